"""A small, shared timing helper: best of several repeats, in microseconds."""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a few thousand calls only: proves the benchmark runs, not its numbers",
    )
    return parser.parse_args()


def best_microseconds(function: Callable[[], object], *, number: int) -> float:
    """The fastest of five repeats, per call: the least disturbed by other load."""
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1e6
