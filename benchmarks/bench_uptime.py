"""Uptime cost: ``evstatus uptime`` against ``evstatus replay`` on the same log.

Generates the replay benchmark's log (``generate_log``'s ``stress`` profile,
1,000,000 lines over 10,000 stations; ``--quick``: 20,000 over 200) in a temporary file, then times
in the same run, in alternation,

- ``evstatus replay FILE`` (in process, output thrown away), and
- ``evstatus uptime FILE --from ... --to ...`` over the whole log,

and prints their ratio. The goal is a ratio of at most 1.3: measuring uptime
may cost at most 30% more than folding the log at all. Each side's best round
counts; the ratio is given in CPU time of this process (what other work on a
shared machine disturbs least) and in wall-clock time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

from evstatus._cli import main
from evstatus.testing import generate_log

_PERIOD = ["--from", "2026-06-01", "--to", "2026-07-01"]


def _time(argv: list[str]) -> tuple[float, float]:
    """Run one command; return its (CPU, wall-clock) seconds."""
    out = io.StringIO()
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if code != 0:
        raise SystemExit(f"{argv[0]} failed with exit code {code}")
    return cpu, wall


def run(frames: int, stations: int, rounds: int) -> dict[str, float]:
    """Time both commands on one generated log, alternating; keep each best."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            stream.writelines(
                line + "\n"
                for line in generate_log(
                    seed=1, stations=stations, lines=frames, profile="stress"
                )
            )
        replay = uptime = (float("inf"), float("inf"))
        for _ in range(rounds):
            replay = min(replay, _time(["replay", str(path)]))
            uptime = min(uptime, _time(["uptime", str(path), *_PERIOD]))
    return {
        "frames": frames,
        "stations": stations,
        "replay_per_second": frames / replay[0],
        "uptime_per_second": frames / uptime[0],
        "ratio": uptime[0] / replay[0],
        "wall_ratio": uptime[1] / replay[1],
    }


def main_bench() -> None:
    """Parse the options, run, print the figures."""
    parser = argparse.ArgumentParser(description="Measure the cost of uptime.")
    parser.add_argument("--quick", action="store_true", help="a small, fast run")
    options = parser.parse_args()
    if options.quick:
        figures = run(20_000, 200, rounds=1)
    else:
        figures = run(1_000_000, 10_000, rounds=3)
    print(f"Python {sys.version.split()[0]}")
    print(
        f"{figures['frames']:,.0f} StatusNotification frames, "
        f"{figures['stations']:,.0f} stations"
    )
    print(f"evstatus replay:  {figures['replay_per_second']:>12,.0f} messages/CPU s")
    print(f"evstatus uptime:  {figures['uptime_per_second']:>12,.0f} messages/CPU s")
    print(f"ratio, CPU:       {figures['ratio']:>12.2f} x (goal: <= 1.3)")
    print(f"ratio, wall:      {figures['wall_ratio']:>12.2f} x")


if __name__ == "__main__":
    main_bench()
