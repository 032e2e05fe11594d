"""Replay with several processes: ``evstatus replay --jobs N`` against ``--jobs 1``.

Writes a log from ``evstatus.testing.generate_log`` (seed 1, the ``stress``
profile; by default
1,000,000 lines over 10,000 stations, ``--lines`` and ``--stations`` to
change; ``--quick``: 20,000 over 200) to a temporary file, then runs the real
command, ``evstatus replay FILE`` (as a separate process, output thrown away),
with each number of jobs in turn, in alternating rounds, and keeps each one's
best round: wall-clock seconds, lines per second, the speed-up over one job,
and the CPU seconds the command and its workers used. The outputs of every run
are compared: they must be the same.

On a machine shared with other work the wall clock says little: the other
work takes the cores. So the benchmark also times, in this process, the fold
of each part alone (CPU time), and projects the wall clock of N jobs on an
idle machine: the CPU time of N jobs, less the parts' sum, plus the longest
part (the parts run side by side; start-up, merge and printing do not).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evstatus._jobs import fold_part
from evstatus.log import Fleet
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


class _Never:
    def is_set(self) -> bool:
        return False


def _part_cpu(path: Path, jobs: int, *, timeline: bool) -> list[float]:
    """CPU seconds of the fold of each of *jobs* parts, one after the other."""
    seconds: list[float] = []
    for index in range(jobs):
        started = time.process_time()
        fold_part(
            str(path),
            index,
            jobs,
            Fleet(),
            "default",
            timeline=timeline,
            as_json=False,
            strict=False,
            send=lambda _: None,
            stop=_Never(),
        )
        seconds.append(time.process_time() - started)
    return seconds


def run(
    lines: int, stations: int, jobs: list[int], rounds: int, mode: list[str]
) -> dict[int, tuple[float, float, list[float]]]:
    """Per number of jobs: best wall and CPU seconds, and each part's CPU."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            stream.writelines(
                line + "\n"
                for line in generate_log(
                    seed=1, stations=stations, lines=lines, profile="stress"
                )
            )
        wall = dict.fromkeys(jobs, float("inf"))
        cpu = dict.fromkeys(jobs, float("inf"))
        outputs: set[bytes] = set()
        for _ in range(rounds):
            for count in jobs:
                elapsed, used, output = _replay(path, count, mode)
                wall[count] = min(wall[count], elapsed)
                cpu[count] = min(cpu[count], used)
                outputs.add(output)
        if len(outputs) != 1:
            raise SystemExit("the outputs differ between numbers of jobs")
        parts = {count: _part_cpu(path, count, timeline=bool(mode)) for count in jobs}
    return {count: (wall[count], cpu[count], parts[count]) for count in jobs}


def main() -> None:
    """Parse the options, run, print the figures."""
    parser = argparse.ArgumentParser(description="Measure replay --jobs speed-up.")
    parser.add_argument("--quick", action="store_true", help="a small, fast run")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeline", action="store_true", help="time --timeline")
    options = parser.parse_args()
    if options.quick:
        options.lines, options.stations, options.rounds = 20_000, 200, 1
    mode = ["--timeline"] if options.timeline else []
    best = run(options.lines, options.stations, options.jobs, options.rounds, mode)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(
        f"{options.lines:,} lines (generate_log, seed 1), {options.stations:,} "
        f"stations, {' '.join(mode) or 'table'}, best of {options.rounds}"
    )
    one_wall, one_cpu, _ = best[options.jobs[0]]
    print(
        "         wall s   lines/s  speed-up  CPU s  parts' CPU s  idle wall s  speed-up"
    )
    for count, (wall, cpu, parts) in best.items():
        idle = cpu - sum(parts) + max(parts)
        print(
            f"--jobs {count}: {wall:6.2f} {options.lines / wall:>9,.0f} "
            f"{one_wall / wall:8.2f}x {cpu:6.2f} "
            f"{' + '.join(f'{part:.2f}' for part in parts):>13} "
            f"{idle:11.2f} {one_cpu / idle:8.2f}x"
        )
    print("(idle wall: projected for an idle machine; see the docstring)")


if __name__ == "__main__":
    main()
