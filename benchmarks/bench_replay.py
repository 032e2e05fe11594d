"""Replay throughput: ``evstatus replay`` against ``json.loads`` of the same lines.

Writes a log from ``evstatus.testing.generate_log`` (seed 1; 1,000,000 lines
over 10,000 stations; ``--quick``: 20,000 over 200) to a temporary file: mostly
StatusNotification frames following the OCPP 1.6 transitions, with heartbeats
and connection and platform events among them. Then times, in the same run,

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
from pathlib import Path

from evstatus._cli import main
from evstatus.testing import generate_log


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
            stream.writelines(
                line + "\n"
                for line in generate_log(seed=1, stations=stations, lines=frames)
            )
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
        f"{figures['frames']:,.0f} lines (generate_log, seed 1), "
        f"{figures['stations']:,.0f} stations"
    )
    print(f"json.loads only:  {figures['json_per_second']:>12,.0f} messages/s")
    print(f"evstatus replay:  {figures['replay_per_second']:>12,.0f} messages/s")
    print(f"ratio:            {figures['ratio']:>12.2f} x (goal: <= 4)")


if __name__ == "__main__":
    main_bench()
