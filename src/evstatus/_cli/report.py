"""``evstatus report``: the uptime figures as one HTML page, and its outages as CSV."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from .exits import EXIT_CANNOT_RUN
from .measure import add_uptime_options, input_files, measure, uptime_epilog
from .streams import OutputFileError, check_not_input, write_file

__all__ = ["add_command"]


def add_command(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``report`` to the ``evstatus`` subcommands."""
    report = commands.add_parser(
        "report",
        help="write an HTML uptime report with a timeline per port",
        description="Like 'evstatus uptime', but write one self-contained HTML "
        "page: a summary of the fleet (the ports that miss the regime's target, "
        "worst first, and the totals), then per station, collapsed, a timeline "
        "strip per port coloured by status, the uptime table and the first "
        "outages of each port. Every outage goes to a CSV file beside the page, "
        "which the page links to.",
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
    report.add_argument(
        "--outages-csv",
        metavar="CSV",
        help="where to write every outage as CSV (default: beside the page, "
        "its name with -outages.csv for .html)",
    )
    report.add_argument(
        "--outages-per-port",
        type=_count,
        default=10,
        metavar="N",
        help="how many outages of each port the page lists (default: %(default)s)",
    )
    report.set_defaults(run=_run_report, parser=report)


def _count(text: str) -> int:
    if not text.isdecimal() or not text.isascii():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (0 or more)")
    return int(text)


def outages_name(page: str) -> str:
    """Return where the outages go by default: beside *page*, named after it."""
    path = Path(page)
    stem = path.name.removesuffix(".html")
    return str(path.with_name(f"{stem}-outages.csv"))


def _link(page: str, target: str) -> str:
    """Return the address of *target* relative to the page, for its link."""
    relative = os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)
    return quote(Path(relative).as_posix())


def generation_time() -> datetime:
    """Return the time the report is made, or ``SOURCE_DATE_EPOCH``'s if set.

    The variable, in seconds since 1970, is how builds are made reproducible:
    with it set, the same log gives the same page byte for byte.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (OverflowError, ValueError, OSError):
            pass
    return datetime.now(UTC)


def _run_report(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del out
    from evstatus.uptime import outages_csv, render_report  # noqa: PLC0415  (only this command needs it)

    name: str = arguments.output
    table: str = arguments.outages_csv or outages_name(name)
    inputs = input_files(arguments)
    try:
        # Refused before the log is read, and checked again when written.
        check_not_input(name, inputs)
        check_not_input(table, [*inputs, name])
        measured, code = measure(arguments, err)
        if measured is None:
            return code
        timeline, result = measured
        page = render_report(
            timeline,
            result,
            inputs=["<stdin>" if source == "-" else source for source in inputs],
            generated=generation_time(),
            outages_per_port=arguments.outages_per_port,
            outages_link=_link(name, table),
        )
        # The list first: the page never links to a file not yet written.
        write_file(table, outages_csv(result), inputs=[*inputs, name])
        write_file(name, page, inputs=inputs)
    except OutputFileError as error:
        err.write(f"evstatus: {error}\n")
        return EXIT_CANNOT_RUN
    return code
