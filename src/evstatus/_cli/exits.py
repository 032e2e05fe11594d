"""The command's exit codes, with their meanings for the help and the docs."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "EXIT_BAD_LINES",
    "EXIT_CANNOT_RUN",
    "EXIT_CANNOT_WRITE",
    "EXIT_CODES",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "exit_codes_table",
    "exit_codes_text",
]

EXIT_OK: Final = 0
EXIT_BAD_LINES: Final = 1
EXIT_CANNOT_RUN: Final = 2
EXIT_CANNOT_WRITE: Final = 3
EXIT_INTERRUPTED: Final = 130

#: Every exit code of the command, with its meaning.
EXIT_CODES: Final[Mapping[int, str]] = MappingProxyType(
    {
        EXIT_OK: "all went well; also when the reader of a pipe stops reading "
        "early (as head does): the command then ends quietly",
        EXIT_BAD_LINES: "some lines of the log were bad: each was reported and "
        "skipped; with --strict the first one stopped the replay and nothing "
        "was printed on stdout",
        EXIT_CANNOT_RUN: "the command could not run: a usage error (a wrong "
        "argument or option), or the input cannot be read",
        EXIT_CANNOT_WRITE: "the output could not be written (a full disk, say)",
        EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
    }
)


def exit_codes_table() -> str:
    """Return the exit codes as a Markdown table, for the docs."""
    # Only the docs ask: a worker of replay --jobs imports this module too.
    from evstatus._tables import markdown_table  # noqa: PLC0415

    return markdown_table(
        ["Exit code", "Meaning"],
        ([str(code), meaning] for code, meaning in EXIT_CODES.items()),
    )


def exit_codes_text() -> str:
    """Return the exit codes as the help prints them."""
    lines = ["exit codes:"]
    for code, meaning in EXIT_CODES.items():
        lines.extend(
            textwrap.wrap(
                meaning,
                width=76,
                initial_indent=f"  {code:<5}",
                subsequent_indent=" " * 7,
            )
        )
    return "\n".join(lines)
