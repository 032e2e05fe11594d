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

#: What each side runs: the package alone, and the package with the modules
#: that load on first use (the station history and the fleet fold) loaded too.
CODE = {
    "attrs": "import attrs",
    "evstatus": "import evstatus",
    "evstatus, all of it": "import evstatus.history, evstatus.log, evstatus.ocpp201",
}


def import_microseconds(code: str) -> int:
    """Return the cumulative import time of ``evstatus``/``attrs`` under *code*."""
    module = code.split()[1].split(".", maxsplit=1)[0].rstrip(",")
    done = subprocess.run(  # noqa: S603  (our own interpreter, our own module names)
        [sys.executable, "-X", "importtime", "-c", code],
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
    best = dict.fromkeys(CODE, float("inf"))
    for _ in range(rounds):
        for name, so_far in best.items():
            best[name] = min(so_far, import_microseconds(CODE[name]))
    attrs = best["attrs"]
    for name, micros in best.items():
        print(
            f"{name:<22} {micros / 1000:6.1f} ms  {micros / attrs:5.2f}x attrs"
            f"  (best of {rounds})"
        )
    print("goal: import evstatus <= 1.5x import attrs")


if __name__ == "__main__":
    main()
