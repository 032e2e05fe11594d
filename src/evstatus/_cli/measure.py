"""What ``uptime`` and ``report`` share: their options, the fold, the measuring.

Both fold a log with :class:`evstatus.uptime.Timeline` and measure every port
over ``--from``/``--to``, in the calendar of ``--tz``, with the ports of the
inventory ``--ports`` if one is given.
"""

from __future__ import annotations

import argparse
import re
import textwrap
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, Final
from zoneinfo import ZoneInfo

from evstatus._errors import shorten
from evstatus._escape import printable
from evstatus._lenient import RepairKind
from evstatus._log import split_lines
from evstatus._timestamps import RFC3339_EXPECTED, parse_timestamp
from evstatus.exceptions import InvalidReport
from evstatus.history import DEFAULT_HEARTBEAT_TOLERANCE
from evstatus.uptime import (
    REGIMES,
    Cause,
    Exclusion,
    Notice,
    PortRecord,
    Timeline,
    Uptime,
    read_exclusion_line,
    read_inventory,
    uptime,
)

from .exits import EXIT_BAD_LINES, EXIT_CANNOT_RUN, EXIT_OK
from .loop import Progress, fold_lines, say_bad_lines
from .options import (
    LENIENT_HELP,
    positive_seconds,
    protocol_option,
    station,
    tolerance,
)
from .streams import InputError, numbered_lines, open_input, shown_name

__all__ = [
    "OUT_OF_RANGE",
    "Measured",
    "add_uptime_options",
    "given",
    "input_files",
    "interval",
    "measure",
    "warn",
]

_INTERVAL: Final = re.compile(r"([1-9][0-9]*)(s|m|min|h|d)")
_UNIT_SECONDS: Final = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_LAST: Final = datetime.max.replace(tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)

#: A fold and its measure.
Measured = tuple[Timeline, Uptime]

#: What ``--from`` and ``--to`` read: a date (midnight in the ``--tz`` zone,
#: known only once every option is read) or an instant.
Moment = date | datetime


def add_uptime_options(parser: argparse.ArgumentParser) -> None:
    """Add the log, the period and the rules to *parser*."""
    parser.add_argument("file", metavar="FILE", help="the log; - reads stdin")
    parser.add_argument(
        "--from",
        dest="start",
        required=True,
        type=_moment,
        metavar="TIME",
        help="start of the period: RFC 3339, or a date for its midnight in the "
        "--tz zone",
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
        "--tz",
        type=_zone,
        default=UTC,
        metavar="ZONE",
        help="the time zone of months, quarters, yearly caps and of --from/--to "
        "given as dates: an IANA name such as America/Los_Angeles (default: UTC)",
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
        "--ports",
        metavar="FILE",
        help="a CSV inventory of the ports to report, with their identifiers "
        "(see below)",
    )
    parser.add_argument(
        "--heartbeat-interval",
        type=positive_seconds,
        metavar="SECONDS",
        help="also count a station offline once silent for FACTOR times this "
        "long (see --tolerance), judged by the receive times in the log",
    )
    parser.add_argument(
        "--tolerance",
        type=tolerance,
        default=DEFAULT_HEARTBEAT_TOLERANCE,
        metavar="FACTOR",
        help="heartbeat intervals of silence allowed (default: %(default)s)",
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
        "incident (optional, a string) makes records one incident for a cap per",
        "incident (without it, each record is an incident of its own);",
        "start and end are RFC 3339 date-times with an offset; cause is one of:",
    ]
    for cause in Cause:
        lines.extend(_wrapped(cause.description, f"  {cause.value:<24}"))
    lines += [
        "",
        "port inventory (--ports FILE): CSV with a header row, one port a row:",
        "  station,connector,station_id,port_id,network_provider",
        "  CP-1,1,STATION-0001,0001-A,ExampleNet",
        "station and connector are the ids of the log (for OCPP 2.0.1 the EVSE",
        "id); the other columns are optional, an empty cell takes the OCPP id;",
        "other columns are ignored. Every port listed is reported, with a blank",
        "uptime if it has no data; a port of the log not listed is reported too,",
        "with a warning.",
    ]
    return "\n".join(lines)


def _wrapped(text: str, head: str) -> list[str]:
    return textwrap.wrap(
        text, width=78, initial_indent=head, subsequent_indent=" " * len(head)
    )


def _regime(text: str) -> str:
    return text.casefold()


def _moment(text: str) -> Moment:
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    moment = parse_timestamp(text)
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not a date (YYYY-MM-DD, midnight in the --tz "
            f"zone) or {RFC3339_EXPECTED}"
        )
    return moment.astimezone(UTC)


def _zone(text: str) -> tzinfo:
    try:
        return ZoneInfo(text)
    except (ValueError, KeyError, OSError):
        # Unknown names, paths, and names that are directories (America).
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not a time zone: expected an IANA name such as "
            "UTC, America/Los_Angeles or Europe/Paris"
        ) from None


def in_zone(moment: Moment, zone: tzinfo) -> datetime:
    """Return *moment* as an instant in UTC: a date is its midnight in *zone*."""
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, tzinfo=zone).astimezone(UTC)


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


def input_files(arguments: argparse.Namespace) -> list[str]:
    """Every file the command reads: never to be written over."""
    named: list[str | None] = [arguments.file, arguments.exclusions, arguments.ports]
    return [name for name in named if name is not None]


def measure(arguments: argparse.Namespace, err: IO[str]) -> tuple[Measured | None, int]:
    """Fold the log and measure; None (and the exit code) if it could not run."""
    _settle(arguments)
    if not _period_is_sound(arguments, err):
        return None, EXIT_CANNOT_RUN
    inputs = _read_given(arguments, err)
    if inputs is None:
        return None, EXIT_CANNOT_RUN
    # Kept for what else the command writes from them (the EV-ChART files).
    arguments.given = inputs
    exclusions, inventory = inputs
    folded = _fold(arguments, err)
    if folded is None:
        return None, EXIT_CANNOT_RUN
    timeline, count = folded
    if arguments.strict and count:
        return None, EXIT_BAD_LINES
    for notice in timeline.warnings:
        warn(err, notice, arguments)
    if timeline.lenient:
        _say_repairs(timeline, shown_name(arguments.file), err)
    try:
        result = uptime(
            timeline,
            arguments.start,
            arguments.end,
            regime=arguments.regime,
            exclusions=exclusions,
            tz=arguments.tz,
            ports=inventory,
        )
    except OverflowError:
        err.write(OUT_OF_RANGE)
        return None, EXIT_CANNOT_RUN
    for notice in result.warnings:
        warn(err, notice, arguments)
    return (timeline, result), EXIT_BAD_LINES if count else EXIT_OK


def _settle(arguments: argparse.Namespace) -> None:
    """Check what options say together; make --from and --to instants."""
    heartbeat: timedelta | None = arguments.heartbeat_interval
    if heartbeat is not None:
        try:
            _ = heartbeat * arguments.tolerance
        except OverflowError:
            arguments.parser.error(
                "--heartbeat-interval times --tolerance is too long a time"
            )
    zone: tzinfo = arguments.tz
    for option, name in (("--from", "start"), ("--to", "end")):
        try:
            setattr(arguments, name, in_zone(getattr(arguments, name), zone))
        except OverflowError:
            arguments.parser.error(
                f"{option}: midnight of {getattr(arguments, name)} in {zone} is "
                "outside the years 1 to 9999 in UTC"
            )


def given(
    arguments: argparse.Namespace,
) -> tuple[list[Exclusion], list[PortRecord] | None]:
    """Return the exclusions and the inventory :func:`measure` read."""
    read: tuple[list[Exclusion], list[PortRecord] | None] = arguments.given
    return read


def _read_given(
    arguments: argparse.Namespace, err: IO[str]
) -> tuple[list[Exclusion], list[PortRecord] | None] | None:
    """Read the exclusions and the inventory, if given; None if one is bad."""
    exclusions: list[Exclusion] = []
    if arguments.exclusions is not None:
        read = _read_exclusions(arguments.exclusions, err)
        if read is None:
            return None
        exclusions = read
    inventory: list[PortRecord] | None = None
    if arguments.ports is not None:
        inventory = _read_inventory(arguments.ports, err)
        if inventory is None:
            return None
    return exclusions, inventory


def warn(err: IO[str], notice: Notice, arguments: argparse.Namespace) -> None:
    """Say a warning, with the file and line it is about where it has them."""
    named: str | None = arguments.file
    if notice.source == "exclusions":
        named = arguments.exclusions
    elif notice.source == "ports":
        named = arguments.ports
    if named is None:
        err.write(f"evstatus: warning: {notice.message}\n")
        return
    name = shown_name(named)
    where = name if notice.line is None else f"{name}:{notice.line}"
    err.write(f"evstatus: warning: {where}: {notice.message}\n")


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
        heartbeat_interval=arguments.heartbeat_interval,
        tolerance=arguments.tolerance,
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


def _read_inventory(name: str, err: IO[str]) -> list[PortRecord] | None:
    shown = printable(name)
    try:
        # A spreadsheet's CSV may start with a byte order mark: not a name.
        with Path(name).open(encoding="utf-8-sig", newline="") as stream:
            return read_inventory(stream)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        err.write(f"evstatus: cannot read {shown}: {reason}\n")
    except InvalidReport as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        err.write(f"evstatus: {shown}: {error.what}: {problems}\n")
    return None
