"""Replay with several processes: ``evstatus replay --jobs N`` against ``--jobs 1``.

Writes a log from ``evstatus.testing.generate_log`` (seed 1, the ``stress``
profile; by default
1,000,000 lines over 10,000 stations, ``--lines`` and ``--stations`` to
change; ``--quick``: 20,000 over 200) to a temporary file, then runs the real
command, ``evstatus replay FILE`` (as a separate process, output thrown away),
with each number of jobs in turn, in alternating rounds. Per number of jobs
it prints the median wall-clock seconds, the median CPU seconds the command
and its workers used, and the ratio of each to one job's in the same round
(a ratio per round, then their median: the machine's speed may drift between
rounds, not within one). The outputs of every run are compared: they must be
the same.

It also times, in this process, what the parent of ``--jobs`` does alone:
reading the log and telling each line's part (CPU seconds). On a machine
shared with other work the wall clock says little; the CPU times say what
each way costs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import compress
from pathlib import Path

from evstatus._cli.jobs import BLOCK, block_parts, station_part
from evstatus.testing import generate_log


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _replay(path: Path, jobs: int, mode: list[str]) -> tuple[float, float, bytes]:
    command = [sys.executable, "-m", "evstatus", "replay", "--jobs", str(jobs)]
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603  (our own command, our own file)
        [*command, *mode, str(path)], capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"replay --jobs {jobs} failed: {done.stderr.decode()}")
    return elapsed, _children_cpu() - cpu, done.stdout


def routing_cpu(path: Path, jobs: int) -> float:
    """CPU seconds to read *path* and tell each line's part, as the parent does."""
    from evstatus._cli.jobs import _Known  # noqa: PLC0415  # pyright: ignore[reportPrivateUsage]

    known = _Known(jobs)
    default = station_part("default", jobs)
    started = time.process_time()
    carry = b""
    with path.open("rb") as stream:
        while data := stream.read(BLOCK):
            data = carry + data
            end = data.rfind(b"\n")
            carry = data[end + 1 :]
            lines = data[:end].split(b"\n")
            parts = block_parts(data[:end], lines, default, known)
            for index in range(1, jobs):  # part 0 is folded where it is read
                selector = bytes(int(byte == index) for byte in range(256))
                b"\n".join(compress(lines, parts.translate(selector)))
    return time.process_time() - started


def run(
    lines: int, stations: int, jobs: list[int], rounds: int, mode: list[str]
) -> tuple[dict[int, list[tuple[float, float]]], float]:
    """Per number of jobs, each round's wall and CPU seconds; the routing CPU."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            stream.writelines(
                line + "\n"
                for line in generate_log(
                    seed=1, stations=stations, lines=lines, profile="stress"
                )
            )
        figures: dict[int, list[tuple[float, float]]] = {count: [] for count in jobs}
        outputs: set[bytes] = set()
        for _ in range(rounds):
            for count in jobs:
                elapsed, used, output = _replay(path, count, mode)
                figures[count].append((elapsed, used))
                outputs.add(output)
        if len(outputs) != 1:
            raise SystemExit("the outputs differ between numbers of jobs")
        routing = routing_cpu(path, max(jobs))
    return figures, routing


def main() -> None:
    """Parse the options, run, print the figures."""
    parser = argparse.ArgumentParser(description="Measure replay --jobs speed-up.")
    parser.add_argument("--quick", action="store_true", help="a small, fast run")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeline", action="store_true", help="time --timeline")
    options = parser.parse_args()
    if options.quick:
        options.lines, options.stations, options.rounds = 20_000, 200, 1
    mode = ["--timeline"] if options.timeline else []
    figures, routing = run(
        options.lines, options.stations, options.jobs, options.rounds, mode
    )
    print(
        f"Python {sys.version.split()[0]}, {len(os.sched_getaffinity(0))} cores, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{options.lines:,} lines (generate_log, seed 1), {options.stations:,} "
        f"stations, {' '.join(mode) or 'table'}, median of {options.rounds}"
    )
    base = figures[options.jobs[0]]
    print("           wall s  CPU s  wall / one  CPU / one")
    for count, rounds in figures.items():
        wall = statistics.median(w for w, _ in rounds)
        cpu = statistics.median(c for _, c in rounds)
        wall_ratio = statistics.median(
            w / b[0] for (w, _), b in zip(rounds, base, strict=True)
        )
        cpu_ratio = statistics.median(
            c / b[1] for (_, c), b in zip(rounds, base, strict=True)
        )
        print(
            f"--jobs {count}: {wall:7.2f} {cpu:6.2f} {wall_ratio:10.2f}x "
            f"{cpu_ratio:9.2f}x"
        )
    print(f"the parent's reading and routing alone: {routing:.2f} s of CPU")


if __name__ == "__main__":
    main()
