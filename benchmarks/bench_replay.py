"""Replay throughput: ``evstatus replay`` against ``json.loads`` of the same lines.

Three logs from ``evstatus.testing.generate_log`` (seed 1, the ``stress``
profile: most lines are reports), each written to a temporary file:

- 1,000,000 lines over 10,000 stations;
- 1,000,000 lines over 100,000 stations;
- 1,000,000 lines over 100,000 stations where one line in twenty is a report
  of a station's main controller (connector 0, with a text in ``info`` so that
  none is a duplicate);

and, for OCPP 2.0.1, a fleet's 1.6 log translated by
``evstatus.testing.to_ocpp201`` (the same stations and events, one connector
per EVSE, charging states as TransactionEvents), both replayed in the same
run, in alternation, and the ratio of their CPU times printed, 2.0.1 over
1.6: the median of each round's pair (the goal: at most 1.2). Three such pairs:

- the first log above (``stress``), every 2.0.1 line naming its protocol;
- a ``realistic`` log of as many lines and stations (sessions, heartbeats,
  the odd fault), every 2.0.1 line naming its protocol, as in a log of a
  fleet that mixes protocols;
- the same ``realistic`` log with no line naming it, replayed with
  ``--protocol ocpp2.0.1``, as a fleet that speaks 2.0.1 logs.

``--quick``: 20,000 lines over 200 and 2,000 stations. With ``evstatus[fast]``
installed the reader decodes with msgspec; ``EVSTATUS_PURE_PYTHON=1`` times
the pure path instead. For each log it times,
in the same run and in alternation, best of several rounds,

- reading the file and ``json.loads``-ing every line, and
- ``evstatus replay FILE`` (in process, output thrown away),

and prints their ratio, the time the cyclic garbage collector took per replay
(from ``gc.callbacks``), and the memory the fleet holds per station once the
log is read (``tracemalloc``, in a run of its own), live (as
``Fleet.consume`` holds the stations) and frozen into states. The goal is a ratio of at
most 2 in pure Python, at most 1 with ``evstatus[fast]`` installed.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import itertools
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from evstatus._cli import main
from evstatus._log import FAST
from evstatus.log import Fleet
from evstatus.testing import generate_log, to_ocpp201

_MAIN_CONTROLLER_EVERY = 20


class _GcClock:
    """The time the cyclic garbage collector spends, from its callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        del info
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1


def _with_main_controller(lines: Iterator[str], stations: int) -> Iterator[str]:
    """Put a connector-0 report after every 19 lines, in the state it holds."""
    zero_state: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        yield line
        if number <= stations or number % (_MAIN_CONTROLLER_EVERY - 1):
            continue
        record = json.loads(line)
        station = record["station"]
        frame = record.get("frame")
        if frame and frame[2] == "StatusNotification" and frame[3]["connectorId"] == 0:
            zero_state[station] = frame[3]["status"]
        payload = {
            "connectorId": 0,
            "errorCode": "NoError",
            "status": zero_state.get(station, "Available"),
            "info": f"self-test {number}",
        }
        yield json.dumps(
            {
                "station": station,
                "received": record["received"],
                "frame": [2, f"z{number}", "StatusNotification", payload],
            }
        )


def _write(
    path: Path, lines: int, stations: int, *, zero: bool, profile: str = "stress"
) -> None:
    produced: Iterator[str]
    if zero:
        # Enough generated lines that, with one inserted after every 19 past
        # the stations' first ones, there are *lines* in all.
        count = (
            (_MAIN_CONTROLLER_EVERY - 1) * lines + stations
        ) // _MAIN_CONTROLLER_EVERY + 1
        generated = generate_log(
            seed=1, stations=stations, lines=count, profile="stress"
        )
        produced = itertools.islice(_with_main_controller(generated, stations), lines)
    else:
        produced = generate_log(
            seed=1,
            stations=stations,
            lines=lines,
            profile="realistic" if profile == "realistic" else "stress",
        )
    with path.open("w", encoding="utf-8") as stream:
        stream.writelines(line + "\n" for line in produced)


def _time_json(path: Path) -> float:
    loads = json.loads
    started = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            loads(line.decode("utf-8"))
    return time.perf_counter() - started


def _time_replay(
    path: Path, clock: _GcClock, options: list[str] | None = None
) -> float:
    out = io.StringIO()
    gc.collect()
    gc.callbacks.append(clock)
    try:
        started = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = main(["replay", *(options or []), str(path)])
        elapsed = time.perf_counter() - started
    finally:
        gc.callbacks.remove(clock)
    if code != 0:
        raise SystemExit(f"replay failed with exit code {code}")
    return elapsed


def _bytes_per_station(path: Path, stations: int) -> tuple[float, float]:
    """What the fleet holds per station once the log is read (tracemalloc).

    Twice: while :meth:`Fleet.consume` still holds the stations in the form
    it changes in place, and once they are frozen into states, as the
    replay's table asks for them.
    """
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    fleet = Fleet()
    consume = fleet.consume
    with path.open("rb") as stream:
        for line in stream:
            consume(line.decode("utf-8"))
    gc.collect()
    live = tracemalloc.get_traced_memory()[0] - before
    states = fleet.states
    del states
    gc.collect()
    frozen = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    if len(fleet.states) != stations:
        raise SystemExit(f"expected {stations} stations, got {len(fleet.states)}")
    return live / stations, frozen / stations


def run(lines: int, stations: int, rounds: int, *, zero: bool) -> dict[str, float]:
    """Time both ways on one generated log, in alternation; keep each's best."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        _write(path, lines, stations, zero=zero)
        bare = replay = float("inf")
        gc_seconds = float("inf")
        collections = 0
        for _ in range(rounds):
            bare = min(bare, _time_json(path))
            clock = _GcClock()
            elapsed = _time_replay(path, clock)
            if elapsed < replay:
                replay, gc_seconds, collections = (
                    elapsed,
                    clock.seconds,
                    clock.collections,
                )
        live, frozen = _bytes_per_station(path, stations)
    return {
        "json_per_second": lines / bare,
        "replay_per_second": lines / replay,
        "ratio": replay / bare,
        "gc_seconds": gc_seconds,
        "collections": collections,
        "bytes_live": live,
        "bytes_frozen": frozen,
    }


#: The pairs of logs compared: (name, profile, whether 2.0.1 lines name it).
PROTOCOL_CASES: tuple[tuple[str, str, bool], ...] = (
    ("stress, protocol on every line", "stress", True),
    ("realistic, protocol on every line", "realistic", True),
    ("realistic, --protocol ocpp2.0.1", "realistic", False),
)


def run_protocols(
    lines: int, stations: int, rounds: int, *, profile: str, named: bool
) -> dict[str, float]:
    """Replay one fleet's log as OCPP 1.6 and translated to 2.0.1; best of each.

    With *named* false, the 2.0.1 lines carry no ``protocol`` and the replay
    is told it with ``--protocol``. Timed in CPU time: on a shared machine,
    the work of other processes stretches the wall clock of one side and not
    the other.
    """
    with tempfile.TemporaryDirectory() as directory:
        ocpp16 = Path(directory) / "ocpp16.jsonl"
        ocpp201 = Path(directory) / "ocpp201.jsonl"
        _write(ocpp16, lines, stations, zero=False, profile=profile)
        with (
            ocpp16.open(encoding="utf-8") as source,
            ocpp201.open("w", encoding="utf-8") as target,
        ):
            written = 0
            for line in to_ocpp201(line.rstrip("\n") for line in source):
                if not named:
                    record = json.loads(line)
                    del record["protocol"]
                    line = json.dumps(record)  # noqa: PLW2901  (the line rewritten)
                target.write(line + "\n")
                written += 1
        options201 = [] if named else ["--protocol", "ocpp2.0.1"]
        times16: list[float] = []
        times201: list[float] = []
        for _ in range(rounds):
            times16.append(_cpu_replay(ocpp16, []))
            times201.append(_cpu_replay(ocpp201, options201))
    # The ratio of each round's pair, then their median: a pair shares the
    # machine's speed of the moment, and one slow or lucky round moves a
    # median less than it moves a best.
    ratios = [late / early for early, late in zip(times16, times201, strict=True)]
    return {
        "lines201": written,
        "per_second16": lines / min(times16),
        "per_second201": written / min(times201),
        "ratio": statistics.median(ratios),
    }


def _cpu_replay(path: Path, options: list[str]) -> float:
    """The CPU time of one replay: what this process spent, whatever else runs."""
    started = time.process_time()
    _time_replay(path, _GcClock(), options)
    return time.process_time() - started


def main_bench() -> None:
    """Parse the options, run, print the figures."""
    parser = argparse.ArgumentParser(description="Measure replay throughput.")
    parser.add_argument("--quick", action="store_true", help="a small, fast run")
    options = parser.parse_args()
    if options.quick:
        logs = [(20_000, 200, False), (20_000, 2_000, False), (20_000, 2_000, True)]
        rounds = 1
    else:
        logs = [
            (1_000_000, 10_000, False),
            (1_000_000, 100_000, False),
            (1_000_000, 100_000, True),
        ]
        rounds = 3
    protocols_log = logs[0][:2]
    reader = "msgspec (evstatus[fast])" if FAST else "pure Python"
    print(
        f"Python {sys.version.split()[0]}; reader: {reader}; "
        f"generate_log, seed 1; best of {rounds}"
    )
    print(
        f"{'log':<46}{'json.loads/s':>14}{'replay/s':>12}{'ratio':>8}"
        f"{'gc s/run':>10}{'B/station live':>16}{'frozen':>8}"
    )
    for lines, stations, zero in logs:
        figures = run(lines, stations, rounds, zero=zero)
        name = f"{lines:,} lines, {stations:,} stations" + (
            ", 1 in 20 conn. 0" if zero else ""
        )
        print(
            f"{name:<46}{figures['json_per_second']:>14,.0f}"
            f"{figures['replay_per_second']:>12,.0f}{figures['ratio']:>7.2f}x"
            f"{figures['gc_seconds']:>10.3f}{figures['bytes_live']:>16,.0f}"
            f"{figures['bytes_frozen']:>8,.0f}"
        )
    print("goal: ratio <= 2 in pure Python, <= 1 with evstatus[fast]")
    lines, stations = protocols_log
    # The ratio moves by a tenth from run to run: more rounds than above.
    protocol_rounds = rounds if options.quick else 9
    print()
    print(
        f"The same fleet in OCPP 2.0.1 ({lines:,} lines of 1.6, "
        f"{stations:,} stations), CPU time: rates the best of "
        f"{protocol_rounds} round{'s' * (protocol_rounds != 1)}, the ratio the "
        "median of each round's pair"
    )
    print(
        f"{'log':<36}{'2.0.1 lines':>13}{'1.6 lines/s':>13}{'2.0.1 lines/s':>15}"
        f"{'2.0.1/1.6':>11}"
    )
    for name, profile, named in PROTOCOL_CASES:
        figures = run_protocols(
            lines, stations, protocol_rounds, profile=profile, named=named
        )
        print(
            f"{name:<36}{figures['lines201']:>13,.0f}"
            f"{figures['per_second16']:>13,.0f}{figures['per_second201']:>15,.0f}"
            f"{figures['ratio']:>10.2f}x"
        )
    print("goal: CPU time 2.0.1/1.6 <= 1.2")


if __name__ == "__main__":
    main_bench()
