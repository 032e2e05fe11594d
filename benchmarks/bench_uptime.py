"""Uptime cost: ``evstatus uptime`` against ``evstatus replay``, and the report's.

Generates the replay benchmark's log (``generate_log``'s ``stress`` profile,
1,000,000 lines over 10,000 stations; ``--quick``: 20,000 over 200) in a temporary file, then times
in the same run, in alternation,

- ``evstatus replay FILE`` (in process, output thrown away), and
- ``evstatus uptime FILE --from ... --to ...`` over the whole log,

and prints their ratio. The goal is a ratio of at most 1.3: measuring uptime
may cost at most 30% more than folding the log at all. Each side's best round
counts; the ratio is given in CPU time of this process (what other work on a
shared machine disturbs least) and in wall-clock time.

Then the HTML report, on ``generate_log``'s ``realistic`` profile over two
days (about 330 lines a station a day): 50 stations and ten times as many,
500 (``--quick``: 5 and 50). For each it times, in alternation, best round,
``evstatus uptime FILE`` and ``evstatus report FILE -o PAGE`` over the two
days, and prints the report's cost over uptime's, its cost per station, and
the page's and the outage list's sizes. A report whose cost grows with the
fleet's size only, not its square, costs the same per station at both sizes;
the page must stay under 5 MB at 50 stations.
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


#: Lines a station of the realistic profile makes in a day, about.
_LINES_PER_STATION_DAY = 330
_TWO_DAYS = ["--from", "2026-06-01", "--to", "2026-06-03"]


def run_report(stations: int, rounds: int) -> dict[str, float]:
    """Time uptime and the report over two days of *stations*; measure the page."""
    lines = stations * _LINES_PER_STATION_DAY * 2
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        page = Path(directory) / "report.html"
        with path.open("w", encoding="utf-8") as stream:
            stream.writelines(
                line + "\n"
                for line in generate_log(seed=1, stations=stations, lines=lines)
            )
        uptime = report = (float("inf"), float("inf"))
        for _ in range(rounds):
            uptime = min(uptime, _time(["uptime", str(path), *_TWO_DAYS]))
            report = min(
                report, _time(["report", str(path), *_TWO_DAYS, "-o", str(page)])
            )
        size = page.stat().st_size
        listed = (Path(directory) / "report-outages.csv").stat().st_size
    return {
        "stations": stations,
        "lines": lines,
        "uptime_seconds": uptime[0],
        "report_seconds": report[0],
        "ratio": report[0] / uptime[0],
        "ms_per_station": report[0] / stations * 1000,
        "page_mb": size / 1e6,
        "csv_mb": listed / 1e6,
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
    sizes = (5, 50) if options.quick else (50, 500)
    reports = [
        run_report(stations, rounds=1 if options.quick else 3) for stations in sizes
    ]
    print()
    print("evstatus report over two days, realistic profile (CPU seconds):")
    print(
        f"{'stations':>9} {'lines':>9} {'uptime':>8} {'report':>8} {'ratio':>7} "
        f"{'ms/station':>11} {'page MB':>8} {'CSV MB':>7}"
    )
    for row in reports:
        print(
            f"{row['stations']:>9,.0f} {row['lines']:>9,.0f} "
            f"{row['uptime_seconds']:>8.2f} {row['report_seconds']:>8.2f} "
            f"{row['ratio']:>6.2f}x {row['ms_per_station']:>11.2f} "
            f"{row['page_mb']:>8.3f} {row['csv_mb']:>7.3f}"
        )
    small, large = reports
    print(
        f"cost per station, {large['stations']:,.0f} against "
        f"{small['stations']:,.0f} stations: "
        f"{large['ms_per_station'] / small['ms_per_station']:.2f}x (linear: about 1)"
    )


if __name__ == "__main__":
    main_bench()
