"""Replay throughput: ``evstatus replay`` against ``json.loads`` of the same lines.

Generates a log of StatusNotification frames (1,000,000 over 10,000 stations;
``--quick``: 20,000 over 200) in a temporary file, then times, in the same run,

- reading the file and ``json.loads``-ing every line, and
- ``evstatus replay FILE`` (in process, output thrown away),

and prints messages per second for both and their ratio. The goal is a ratio of
at most 4.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from evstatus._cli import main

# A plausible session on one connector, as the states it reports in turn.
_CYCLE = (
    "Preparing",
    "Charging",
    "SuspendedEV",
    "Charging",
    "Finishing",
    "Available",
)
_START = datetime(2026, 6, 1, tzinfo=UTC)


def _lines(frames: int, stations: int) -> Iterator[str]:
    for index in range(frames):
        station = index % stations
        step = index // stations
        connector = 1 + step % 2
        status = _CYCLE[(step // 2) % len(_CYCLE)]
        moment = (_START + timedelta(seconds=index)).strftime("%Y-%m-%dT%H:%M:%SZ")
        frame = [
            2,
            f"{index:x}",
            "StatusNotification",
            {
                "connectorId": connector,
                "errorCode": "NoError",
                "status": status,
                "timestamp": moment,
            },
        ]
        envelope = {"station": f"CP-{station:05d}", "received": moment, "frame": frame}
        yield json.dumps(envelope) + "\n"


def _time_json(path: Path) -> float:
    loads = json.loads
    started = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            loads(line.decode("utf-8"))
    return time.perf_counter() - started


def _time_replay(path: Path) -> float:
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(["replay", str(path)])
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"replay failed with exit code {code}")
    return elapsed


def run(frames: int, stations: int, repeat: int) -> dict[str, float]:
    """Time both ways on one generated log; return the best of *repeat* runs."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            stream.writelines(_lines(frames, stations))
        bare = min(_time_json(path) for _ in range(repeat))
        replay = min(_time_replay(path) for _ in range(repeat))
    return {
        "frames": frames,
        "stations": stations,
        "json_per_second": frames / bare,
        "replay_per_second": frames / replay,
        "ratio": replay / bare,
    }


def main_bench() -> None:
    """Parse the options, run, print the figures."""
    parser = argparse.ArgumentParser(description="Measure replay throughput.")
    parser.add_argument("--quick", action="store_true", help="a small, fast run")
    options = parser.parse_args()
    if options.quick:
        figures = run(20_000, 200, repeat=1)
    else:
        figures = run(1_000_000, 10_000, repeat=3)
    print(f"Python {sys.version.split()[0]}")
    print(
        f"{figures['frames']:,.0f} StatusNotification frames, "
        f"{figures['stations']:,.0f} stations"
    )
    print(f"json.loads only:  {figures['json_per_second']:>12,.0f} messages/s")
    print(f"evstatus replay:  {figures['replay_per_second']:>12,.0f} messages/s")
    print(f"ratio:            {figures['ratio']:>12.2f} x (goal: <= 4)")


if __name__ == "__main__":
    main_bench()
