"""What ``uptime`` and ``report`` share: their options, the fold, the measuring.

Both fold a log with :class:`evstatus.uptime.Timeline` and measure every port
over ``--from``/``--to``.
"""

from __future__ import annotations

import argparse
import re
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Final

from evstatus._escape import printable
from evstatus._lenient import RepairKind
from evstatus._log import split_lines
from evstatus._timestamps import RFC3339_EXPECTED, parse_timestamp
from evstatus.exceptions import InvalidReport
from evstatus.uptime import (
    REGIMES,
    Cause,
    Exclusion,
    Timeline,
    Uptime,
    read_exclusion_line,
    uptime,
)

from .exits import EXIT_BAD_LINES, EXIT_CANNOT_RUN, EXIT_OK
from .loop import Progress, fold_lines, say_bad_lines
from .options import LENIENT_HELP, protocol_option, station
from .streams import InputError, numbered_lines, open_input, shown_name

__all__ = ["OUT_OF_RANGE", "Measured", "add_uptime_options", "interval", "measure"]

_INTERVAL: Final = re.compile(r"([1-9][0-9]*)(s|m|min|h|d)")
_UNIT_SECONDS: Final = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_LAST: Final = datetime.max.replace(tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)

#: A fold and its measure.
Measured = tuple[Timeline, Uptime]


def add_uptime_options(parser: argparse.ArgumentParser) -> None:
    """Add the log, the period and the rules to *parser*."""
    parser.add_argument("file", metavar="FILE", help="the log; - reads stdin")
    parser.add_argument(
        "--from",
        dest="start",
        required=True,
        type=_moment,
        metavar="TIME",
        help="start of the period: RFC 3339, or a date for midnight UTC",
    )
    parser.add_argument(
        "--to",
        dest="end",
        required=True,
        type=_moment,
        metavar="TIME",
        help="end of the period (not included), as for --from",
    )
    parser.add_argument(
        "--regime",
        type=_regime,
        choices=sorted(REGIMES),
        default="nevi",
        help="which causes may be excluded, and their caps, in any case "
        "(default: %(default)s; see below)",
    )
    parser.add_argument(
        "--exclusions",
        metavar="FILE",
        help="a JSON Lines file of excluded outage causes (see below)",
    )
    parser.add_argument(
        "--station",
        default="default",
        type=station,
        metavar="ID",
        help="the station of lines that name none (default: %(default)s)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first bad line"
    )
    parser.add_argument("--lenient", action="store_true", help=LENIENT_HELP)
    protocol_option(parser)


def uptime_epilog() -> str:
    """Return what the help says of the regimes and the exclusions file."""
    lines = ["regimes (--regime):"]
    for name in sorted(REGIMES):
        regime = REGIMES[name]
        caps = "".join(
            f"; {cap.cause} at most {cap.minutes:,} min per {cap.per}"
            for cap in regime.caps
        )
        causes = ", ".join(cause for cause in Cause if cause in regime.causes)
        text = f"{regime.title}: may exclude {causes}{caps}"
        lines.extend(_wrapped(text, f"  {name:<8}"))
    lines += [
        "",
        "exclusions (--exclusions FILE): JSON Lines, one object per line, blank",
        "lines skipped; each excuses the outages of a station (or of one port)",
        "over [start, end), if the regime accepts its cause, within its caps:",
        '  {"station": "CP-1", "connector": 1, "start": "2026-06-01T08:00:00Z",',
        '   "end": "2026-06-01T10:00:00Z", "cause": "scheduled_maintenance"}',
        "connector may be left out (or null) for every port of the station;",
        "start and end are RFC 3339 date-times with an offset; cause is one of:",
    ]
    for cause in Cause:
        lines.extend(_wrapped(cause.description, f"  {cause.value:<24}"))
    return "\n".join(lines)


def _wrapped(text: str, head: str) -> list[str]:
    return textwrap.wrap(
        text, width=78, initial_indent=head, subsequent_indent=" " * len(head)
    )


def _regime(text: str) -> str:
    return text.casefold()


def _moment(text: str) -> datetime:
    if _DATE.fullmatch(text):
        try:
            return datetime.fromisoformat(text).replace(tzinfo=UTC)
        except ValueError:
            pass
    moment = parse_timestamp(text)
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD, midnight UTC) or {RFC3339_EXPECTED}"
        )
    return moment.astimezone(UTC)


def interval(text: str) -> timedelta:
    """Read a length such as 15m, 30s or 1h."""
    match = _INTERVAL.fullmatch(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a length like 30s, 15m, 1h or 1d"
        )
    try:
        return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]])
    except OverflowError:
        raise argparse.ArgumentTypeError(f"{text!r} is too long") from None


#: What is said when a time to measure falls past the year 9999.
OUT_OF_RANGE: Final = (
    "evstatus: cannot measure: the period (with --interval, its last "
    "interval) reaches past the year 9999; choose an earlier --to\n"
)


def measure(arguments: argparse.Namespace, err: IO[str]) -> tuple[Measured | None, int]:
    """Fold the log and measure; None (and the exit code) if it could not run."""
    if not _period_is_sound(arguments, err):
        return None, EXIT_CANNOT_RUN
    exclusions: list[Exclusion] = []
    if arguments.exclusions is not None:
        read = _read_exclusions(arguments.exclusions, err)
        if read is None:
            return None, EXIT_CANNOT_RUN
        exclusions = read
    folded = _fold(arguments, err)
    if folded is None:
        return None, EXIT_CANNOT_RUN
    timeline, count = folded
    if arguments.strict and count:
        return None, EXIT_BAD_LINES
    shown = shown_name(arguments.file)
    for notice in timeline.warnings:
        err.write(f"evstatus: warning: {shown}:{notice.line}: {notice.message}\n")
    if timeline.lenient:
        _say_repairs(timeline, shown, err)
    try:
        result = uptime(
            timeline,
            arguments.start,
            arguments.end,
            regime=arguments.regime,
            exclusions=exclusions,
        )
    except OverflowError:
        err.write(OUT_OF_RANGE)
        return None, EXIT_CANNOT_RUN
    exclusions_name = printable(arguments.exclusions or "")
    for notice in result.warnings:
        err.write(
            f"evstatus: warning: {exclusions_name}:{notice.line}: {notice.message}\n"
        )
    return (timeline, result), EXIT_BAD_LINES if count else EXIT_OK


def _say_repairs(timeline: Timeline, shown: str, err: IO[str]) -> None:
    """Say how many repairs lenient reading made, of each kind, if any."""
    counts: dict[RepairKind, int] = {}
    for state in timeline.states.values():
        for kind, count in state.repair_counts.items():
            counts[kind] = counts.get(kind, 0) + count
    if counts:
        kinds = ", ".join(
            f"{counts[kind]} {kind}" for kind in RepairKind if kind in counts
        )
        total = sum(counts.values())
        err.write(
            f"evstatus: {shown}: {total} repair{'s' * (total != 1)} "
            f"of payloads: {kinds}\n"
        )


def _period_is_sound(arguments: argparse.Namespace, err: IO[str]) -> bool:
    if arguments.end <= arguments.start:
        err.write("evstatus: --to must be later than --from\n")
        return False
    every: timedelta | None = getattr(arguments, "interval", None)
    if every is not None and _LAST - every < arguments.end - _MICROSECOND:
        # Each interval ends at its start plus the length, which for the
        # last one may be past the period's end.
        err.write(OUT_OF_RANGE)
        return False
    return True


def _fold(arguments: argparse.Namespace, err: IO[str]) -> tuple[Timeline, int] | None:
    """Fold the log into a timeline; return it and how many lines were bad."""
    timeline = Timeline(
        default_station=arguments.station,
        lenient=arguments.lenient,
        protocol=arguments.protocol,
    )
    name: str = arguments.file
    shown = shown_name(name)
    strict: bool = arguments.strict

    def take(number: int, line: str) -> None:
        timeline.read(line, number=number)

    def bad(number: int, problem: str) -> None:
        err.write(f"{shown}:{number}: {problem}\n")

    try:
        stream = open_input(name)
        with stream:
            count = fold_lines(
                numbered_lines(stream),
                take,
                bad,
                strict=strict,
                progress=Progress(err, None),
            )
    except InputError as error:
        err.write(f"evstatus: cannot read {shown}: {error.reason}\n")
        return None
    say_bad_lines(err, count, strict=strict)
    return timeline, count


def _read_exclusions(name: str, err: IO[str]) -> list[Exclusion] | None:
    shown = printable(name)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        err.write(f"evstatus: cannot read {shown}: {reason}\n")
        return None
    exclusions: list[Exclusion] = []
    for number, line in enumerate(split_lines(text), start=1):
        try:
            exclusion = read_exclusion_line(line, number)
        except InvalidReport as error:
            problems = "; ".join(str(problem) for problem in error.problems)
            err.write(f"evstatus: {shown}:{number}: {problems}\n")
            return None
        if exclusion is not None:
            exclusions.append(exclusion)
    return exclusions
