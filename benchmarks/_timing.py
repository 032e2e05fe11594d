"""Shared timing helpers for the benchmarks.

Machines here are shared and noisy, so a benchmark never reports one side's
time alone: it times the two sides in alternation, several rounds each, and
keeps each side's best round. Load that comes and goes then hits both sides
alike, and the ratio between them is what is reported.
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a few thousand calls only: proves the benchmark runs, not its numbers",
    )
    return parser.parse_args()


def best_microseconds_each(
    *functions: Callable[[], object], number: int, rounds: int = 7
) -> list[float]:
    """Per call, the best of *rounds* alternating rounds of *number* calls each."""
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for index, function in enumerate(functions):
            seconds = timeit.timeit(function, number=number)
            best[index] = min(best[index], seconds / number * 1e6)
    return best
