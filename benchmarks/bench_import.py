"""How long ``import evstatus`` takes, against ``import attrs`` it builds on.

Each import runs in a fresh interpreter under ``python -X importtime``, the
two in alternation, and each side keeps its best run: the cumulative time of
the top-level module, which for evstatus includes attrs. The goal is at most
1.5x.

    python benchmarks/bench_import.py          # the full run
    python benchmarks/bench_import.py --quick  # a smoke run
"""

from __future__ import annotations

import subprocess
import sys

from _timing import parse_args


def import_microseconds(module: str) -> int:
    """Return the cumulative import time of *module* in a fresh interpreter."""
    done = subprocess.run(  # noqa: S603  (our own interpreter, our own module names)
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in reversed(done.stderr.splitlines()):
        _, _, cumulative, name = (
            part.strip() for part in line.replace("|", ":").split(":")
        )
        if name == module:
            return int(cumulative)
    raise AssertionError(f"no import time for {module}")


def main() -> None:
    args = parse_args(__doc__ or "")
    rounds = 3 if args.quick else 30
    best = {"attrs": float("inf"), "evstatus": float("inf")}
    for _ in range(rounds):
        for module, so_far in best.items():
            best[module] = min(so_far, import_microseconds(module))
    print(f"import attrs     {best['attrs'] / 1000:7.1f} ms (best of {rounds})")
    print(f"import evstatus  {best['evstatus'] / 1000:7.1f} ms (best of {rounds})")
    print(f"ratio            {best['evstatus'] / best['attrs']:7.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
