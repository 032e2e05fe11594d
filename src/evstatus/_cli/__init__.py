"""The ``evstatus`` command: demo, replay, explain, tables, uptime and report.

Every failure the user can cause (a bad line, a missing file, a wrong
argument, a full disk) ends in a message on stderr and an exit code, never a
traceback:

- 0: all went well; also when the reader of a pipe stops reading early (as
  ``head`` does), which ends the command quietly;
- 1: some lines of the log were bad (skipped, or fatal with ``--strict``);
- 2: the command could not run (a usage error, or input that cannot be read);
- 3: the output could not be written (a full disk, say);
- 130: interrupted (Ctrl-C).

:data:`EXIT_CODES` holds the same list; the help and the docs print it.

The package's modules, none importing this one: ``exits`` (the codes),
``options`` (the parser and shared option types), ``streams`` (input,
output streams and files), ``loop`` (the one loop over a log's lines, with
progress), ``layout`` (tables as text), ``fleet`` (the fleet's settings),
``changes`` (what replay prints), ``measure`` (what uptime and report share),
``jobs`` (``replay --jobs``), and one module per command.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from difflib import get_close_matches
from typing import IO

from evstatus import __version__

from .exits import (
    EXIT_CANNOT_WRITE,
    EXIT_CODES,
    EXIT_INTERRUPTED,
    EXIT_OK,
    exit_codes_table,
    exit_codes_text,
)
from .options import Parser
from .streams import detach, say

__all__ = [
    "EXIT_CANNOT_WRITE",
    "EXIT_CODES",
    "EXIT_INTERRUPTED",
    "exit_codes_table",
    "main",
    "parser",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    out, err = sys.stdout, sys.stderr
    if err is None:
        # Started with stderr closed: messages go nowhere, exit codes still tell.
        err = io.StringIO()
    for stream in (out, err):
        # Text from the log is escaped; what else is printed (a file name
        # given as an argument, say) must not make printing fail.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if out is None:
        err.write("evstatus: cannot write the output: standard output is closed\n")
        return EXIT_CANNOT_WRITE
    try:
        try:
            arguments = _parse(argv)
            command: Callable[[argparse.Namespace, IO[str], IO[str]], int] = (
                arguments.run
            )
            return command(arguments, out, err)
        finally:
            # Output is buffered: a full disk may only show now.
            out.flush()
            err.flush()
    except BrokenPipeError:
        # The reader (say, ``head``) went away: it has all it wanted.
        detach(out)
        return EXIT_OK
    except OSError as error:
        detach(out)
        say(err, f"evstatus: cannot write the output: {error.strerror or error}\n")
        return EXIT_CANNOT_WRITE
    except KeyboardInterrupt:
        say(err, "evstatus: interrupted\n")
        return EXIT_INTERRUPTED


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse *argv*; an unknown option is the command's usage error, not ours."""
    arguments, extras = parser().parse_known_args(argv)
    if extras:
        command: argparse.ArgumentParser = arguments.parser
        command.error(unrecognized(extras, command))
    return arguments


def unrecognized(extras: Sequence[str], command: argparse.ArgumentParser) -> str:
    """Say which arguments *command* does not know, and what was perhaps meant."""
    options = [
        option
        for action in command._actions  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
        for option in action.option_strings
    ]
    said: list[str] = []
    for extra in extras:
        name = extra.split("=", 1)[0]
        close = get_close_matches(name, options, n=1) if name.startswith("-") else []
        said.append(f"{extra} (did you mean {close[0]}?)" if close else extra)
    return f"unrecognized arguments: {' '.join(said)}"


def parser() -> argparse.ArgumentParser:
    """Return the command's argument parser, with every subcommand."""
    top = Parser(
        prog="evstatus",
        description="Turn OCPP 1.6 StatusNotification logs into station statuses.",
        epilog="'evstatus replay --help' describes the log format;\n'evstatus demo "
        "--log' prints a sample log.\n\n" + exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(required=True, metavar="COMMAND")
    # Imported here, not above: a worker of replay --jobs imports this
    # package on its way to the jobs module, and needs none of them.
    from . import demo, explain, replay, report, tables, uptime  # noqa: PLC0415

    for command in (demo, replay, explain, tables, uptime, report):
        command.add_command(commands)
    return top
