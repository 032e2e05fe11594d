"""``evstatus report``: the uptime figures as one self-contained HTML page."""

from __future__ import annotations

import argparse
from typing import IO, Any

from .exits import EXIT_CANNOT_RUN
from .measure import add_uptime_options, measure, uptime_epilog
from .streams import OutputFileError, check_not_input, write_file

__all__ = ["add_command"]


def add_command(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``report`` to the ``evstatus`` subcommands."""
    report = commands.add_parser(
        "report",
        help="write an HTML uptime report with a timeline per port",
        description="Like 'evstatus uptime', but write one self-contained HTML "
        "page: per station, a timeline strip per port coloured by status, the "
        "uptime table and the outage list.",
        epilog=uptime_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_uptime_options(report)
    report.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="HTML",
        help="where to write the page (written whole, or not at all; never "
        "over the log or the exclusions)",
    )
    report.set_defaults(run=_run_report, parser=report)


def _run_report(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del out
    from evstatus._uptime_html import render_report  # noqa: PLC0415  (only this command needs it)

    name: str = arguments.output
    inputs = [arguments.file, arguments.exclusions or "-"]
    try:
        # Refused before the log is read, and checked again when written.
        check_not_input(name, inputs)
        measured, code = measure(arguments, err)
        if measured is None:
            return code
        write_file(name, render_report(*measured), inputs=inputs)
    except OutputFileError as error:
        err.write(f"evstatus: {error}\n")
        return EXIT_CANNOT_RUN
    return code
