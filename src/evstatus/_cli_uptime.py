"""The ``evstatus uptime`` and ``evstatus report`` commands.

Both fold a log with :class:`evstatus.uptime.Timeline` and measure every port
over ``--from``/``--to``; ``uptime`` prints the figures (a table, JSON Lines
or CSV), ``report`` writes them as one self-contained HTML page. Exit codes
are those of the other commands (see ``_cli``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import IO, Any, Final

from ._cli import (
    EXIT_BAD_LINES,
    EXIT_CANNOT_RUN,
    EXIT_OK,
    _numbered_lines,  # pyright: ignore[reportPrivateUsage]
    _Progress,  # pyright: ignore[reportPrivateUsage]
    _table,  # pyright: ignore[reportPrivateUsage]
)
from ._log import is_blank, split_lines
from ._timestamps import RFC3339_EXPECTED, format_timestamp, parse_timestamp
from .exceptions import InvalidReport
from .uptime import (
    REGIMES,
    Exclusion,
    IntervalRecord,
    Outage,
    PortUptime,
    Timeline,
    Uptime,
    interval_records,
    read_exclusion_line,
    uptime,
)

__all__ = ["add_commands"]

_INTERVAL: Final = re.compile(r"([1-9][0-9]*)(s|m|min|h)")
_UNIT_SECONDS: Final = {"s": 1, "m": 60, "min": 60, "h": 3600}
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NO_DATA: Final = "no data"


def add_commands(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``uptime`` and ``report`` to the ``evstatus`` subcommands."""
    up = commands.add_parser(
        "uptime",
        help="per-port uptime and outages over a period, for NEVI or California",
        description="Fold a JSON Lines log (see docs/history-and-cli.md) into "
        "each port's up and outage time between --from and --to, and print the "
        "figures with every outage (see docs/uptime.md).",
    )
    _common(up)
    shape = up.add_mutually_exclusive_group()
    shape.add_argument(
        "--json", action="store_true", help="print one JSON object per port"
    )
    shape.add_argument("--csv", action="store_true", help="print CSV, one row per port")
    up.add_argument(
        "--interval",
        type=_interval,
        metavar="LENGTH",
        help="one record per port per interval of LENGTH (like 15m or 1h) "
        "instead of one per port",
    )
    up.set_defaults(run=_uptime_command)

    report = commands.add_parser(
        "report",
        help="write an HTML uptime report with a timeline per port",
        description="Like 'evstatus uptime', but write one self-contained HTML "
        "page: per station, a timeline strip per port coloured by status, the "
        "uptime table and the outage list.",
    )
    _common(report)
    report.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="HTML",
        help="where to write the page",
    )
    report.set_defaults(run=_report_command)


def _common(parser: argparse.ArgumentParser) -> None:
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
        choices=sorted(REGIMES),
        default="nevi",
        help="which causes may be excluded, and their caps (default: %(default)s)",
    )
    parser.add_argument(
        "--exclusions",
        metavar="FILE",
        help="a JSON Lines file of excluded outage causes (see docs/uptime.md)",
    )
    parser.add_argument(
        "--station",
        default="default",
        metavar="ID",
        help="the station of lines that name none (default: %(default)s)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first bad line"
    )


# --- argument types -----------------------------------------------------------


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


def _interval(text: str) -> timedelta:
    match = _INTERVAL.fullmatch(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a length like 15m, 30s or 1h"
        )
    return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]])


# --- running ------------------------------------------------------------------


def _measure(
    arguments: argparse.Namespace,
) -> tuple[tuple[Timeline, Uptime] | None, int]:
    """Fold the log and measure; None (and the exit code) if it could not run."""
    if arguments.end <= arguments.start:
        sys.stderr.write("evstatus: --to must be later than --from\n")
        return None, EXIT_CANNOT_RUN
    exclusions: list[Exclusion] = []
    if arguments.exclusions is not None:
        read = _read_exclusions(arguments.exclusions)
        if read is None:
            return None, EXIT_CANNOT_RUN
        exclusions = read
    timeline = Timeline(default_station=arguments.station)
    name: str = arguments.file
    shown = "<stdin>" if name == "-" else name
    try:
        stream = sys.stdin.buffer if name == "-" else Path(name).open("rb")  # noqa: SIM115
        with stream:
            bad = _fold(timeline, _numbered_lines(stream), shown, arguments.strict)
    except OSError as error:
        sys.stderr.write(f"evstatus: cannot read {shown}: {error.strerror}\n")
        return None, EXIT_CANNOT_RUN
    if arguments.strict and bad:
        return None, EXIT_BAD_LINES
    for notice in timeline.warnings:
        sys.stderr.write(
            f"evstatus: warning: {shown}:{notice.line}: {notice.message}\n"
        )
    result = uptime(
        timeline,
        arguments.start,
        arguments.end,
        regime=arguments.regime,
        exclusions=exclusions,
    )
    for notice in result.warnings:
        sys.stderr.write(
            f"evstatus: warning: {arguments.exclusions}:{notice.line}: "
            f"{notice.message}\n"
        )
    return (timeline, result), EXIT_BAD_LINES if bad else EXIT_OK


def _read_exclusions(name: str) -> list[Exclusion] | None:
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        sys.stderr.write(f"evstatus: cannot read {name}: {reason}\n")
        return None
    exclusions: list[Exclusion] = []
    # Lines as the log reader splits them: at line feeds alone.
    for number, line in enumerate(split_lines(text), start=1):
        try:
            exclusion = read_exclusion_line(line, number)
        except InvalidReport as error:
            problems = "; ".join(str(problem) for problem in error.problems)
            sys.stderr.write(f"evstatus: {name}:{number}: {problems}\n")
            return None
        if exclusion is not None:
            exclusions.append(exclusion)
    return exclusions


def _fold(
    timeline: Timeline,
    lines: Iterable[tuple[int, str | None]],
    name: str,
    strict: bool,
) -> int:
    """Feed *lines* to *timeline*; return how many were bad (reported on stderr)."""
    err = sys.stderr
    progress = _Progress(err, None)
    tick = progress.next
    bad = 0
    read = timeline.read
    for number, line in lines:
        if number == tick:
            tick = progress.tick(number)
        if line is None:
            problem = "the line is not UTF-8 text"
        else:
            try:
                read(line, number=number)
            except InvalidReport as error:
                if is_blank(line):
                    continue
                problem = "; ".join(str(problem) for problem in error.problems)
            else:
                continue
        bad += 1
        progress.clear()
        err.write(f"{name}:{number}: {problem}\n")
        if strict:
            err.write("evstatus: stopped at the first bad line (--strict)\n")
            return bad
    progress.clear()
    if bad:
        err.write(f"evstatus: {bad} bad line{'s' if bad != 1 else ''} skipped\n")
    return bad


def _uptime_command(arguments: argparse.Namespace, _out: IO[str], _err: IO[str]) -> int:
    # The command line's commands take the streams; these write to sys's.
    return _run_uptime(arguments)


def _report_command(arguments: argparse.Namespace, _out: IO[str], _err: IO[str]) -> int:
    return _run_report(arguments)


def _run_uptime(arguments: argparse.Namespace) -> int:
    measured, code = _measure(arguments)
    if measured is None:
        return code
    _, result = measured
    out = sys.stdout
    every: timedelta | None = arguments.interval
    if every is not None:
        records = interval_records(result, every)
        if arguments.json:
            out.writelines(_record_json(record) for record in records)
        elif arguments.csv:
            _records_csv(out, records)
        else:
            out.write(_records_table(records))
    elif arguments.json:
        out.writelines(_port_json(port, result) for port in result.ports)
    elif arguments.csv:
        _ports_csv(out, result)
    else:
        out.write(_ports_text(result))
    return code


def _run_report(arguments: argparse.Namespace) -> int:
    from ._uptime_html import render_report  # noqa: PLC0415  (only this command needs it)

    measured, code = _measure(arguments)
    if measured is None:
        return code
    try:
        Path(arguments.output).write_text(render_report(*measured), encoding="utf-8")
    except OSError as error:
        sys.stderr.write(
            f"evstatus: cannot write {arguments.output}: {error.strerror}\n"
        )
        return EXIT_CANNOT_RUN
    return code


# --- formatting ---------------------------------------------------------------


def _number(value: Fraction) -> float | int:
    # JSON readers want numbers; an exact whole number stays an integer.
    return value.numerator if value.denominator == 1 else float(value)


def _fixed(value: Fraction, places: int) -> str:
    return _ratio(value.numerator, value.denominator, places)


def _ratio(numerator: int, denominator: int, places: int) -> str:
    """Write ``numerator / denominator`` (both >= 0) with *places* decimals.

    Rounds half to even, as round() would, in integers: Fraction arithmetic
    for every cell of a large table costs more than folding the log.
    """
    scale = 10**places
    quotient, remainder = divmod(numerator * scale, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    whole, part = divmod(quotient, scale)
    return f"{whole}.{part:0{places}d}"


_US_PER_MINUTE: Final = 60_000_000
_MICROSECOND: Final = timedelta(microseconds=1)


def _port_figures(port: PortUptime, places: int) -> tuple[str, str, str, str]:
    """Period, outage and excluded minutes, and the uptime, written out."""
    period = port.period_time // _MICROSECOND
    outage = port.outage_time // _MICROSECOND
    excluded = port.excluded_time // _MICROSECOND
    percent = (
        NO_DATA
        if not period
        else _ratio(100 * (period - (outage - excluded)), period, 3)
    )
    return (
        _ratio(period, _US_PER_MINUTE, places),
        _ratio(outage, _US_PER_MINUTE, places),
        _ratio(excluded, _US_PER_MINUTE, places),
        percent,
    )


def _percent(value: Fraction | None) -> str:
    return NO_DATA if value is None else _fixed(value, 3)


def _time(moment: datetime | None) -> str:
    return "" if moment is None else format_timestamp(moment)


def _outage_record(outage: Outage) -> dict[str, object]:
    return {
        "start": format_timestamp(outage.start),
        "end": format_timestamp(outage.end),
        "minutes": _number(outage.minutes),
        "status": outage.status,
        "reason": outage.reason.value,
        "excluded_minutes": _number(outage.excluded_minutes),
        "cause": outage.cause,
    }


def _port_json(port: PortUptime, result: Uptime) -> str:
    percent = port.uptime_percent
    record: dict[str, object] = {
        "station": port.station,
        "connector": port.connector_id,
        "regime": result.regime.name,
        "period_start": _time(port.start) or None,
        "period_end": _time(port.end) or None,
        "period_minutes": _number(port.period_minutes),
        "outage_minutes": _number(port.outage_minutes),
        "excluded_minutes": _number(port.excluded_minutes),
        "uptime_percent": None if percent is None else _number(percent),
        "outages": [_outage_record(outage) for outage in port.outages],
    }
    if percent is None:
        record["note"] = "no data for this port in the period"
    return json.dumps(record, ensure_ascii=False) + "\n"


_PORT_COLUMNS: Final = (
    "station",
    "connector",
    "period_start",
    "period_end",
    "period_minutes",
    "outage_minutes",
    "excluded_minutes",
    "uptime_percent",
    "outages",
)


def _ports_csv(out: IO[str], result: Uptime) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_PORT_COLUMNS)
    for port in result.ports:
        writer.writerow(
            (
                port.station,
                port.connector_id,
                _time(port.start),
                _time(port.end),
                *_port_figures(port, 3),
                len(port.outages),
            )
        )


def _ports_text(result: Uptime) -> str:
    head = (
        f"Uptime per port, {format_timestamp(result.start)} to "
        f"{format_timestamp(result.end)}, regime {result.regime.name} "
        f"({result.regime.title})\n\n"
    )
    rows = [("STATION", "PORT", "MINUTES", "OUTAGE", "EXCLUDED", "UPTIME %", "OUTAGES")]
    rows.extend(
        (
            port.station,
            str(port.connector_id),
            *_port_figures(port, 2),
            str(len(port.outages)),
        )
        for port in result.ports
    )
    text = head + _table(rows)
    outages = [
        (
            port.station,
            str(port.connector_id),
            format_timestamp(outage.start),
            format_timestamp(outage.end),
            _fixed(outage.minutes, 2),
            outage.status,
            outage.reason.value,
            _fixed(outage.excluded_minutes, 2),
            outage.cause or "-",
        )
        for port in result.ports
        for outage in port.outages
    ]
    if outages:
        header = (
            "STATION",
            "PORT",
            "START",
            "END",
            "MINUTES",
            "STATUS",
            "REASON",
            "EXCLUDED",
            "CAUSE",
        )
        text += "\nOutages:\n\n" + _table([header, *outages])
    return text


def _record_json(record: IntervalRecord) -> str:
    percent = record.uptime_percent
    return (
        json.dumps(
            {
                "station": record.station,
                "connector": record.connector_id,
                "start": format_timestamp(record.start),
                "end": format_timestamp(record.end),
                "period_minutes": _number(record.period_minutes),
                "outage_minutes": _number(record.outage_minutes),
                "excluded_minutes": _number(record.excluded_minutes),
                "uptime_percent": None if percent is None else _number(percent),
            },
            ensure_ascii=False,
        )
        + "\n"
    )


def _record_rows(records: Iterable[IntervalRecord]) -> Iterator[tuple[str, ...]]:
    for record in records:
        yield (
            record.station,
            str(record.connector_id),
            format_timestamp(record.start),
            format_timestamp(record.end),
            _fixed(record.period_minutes, 3),
            _fixed(record.outage_minutes, 3),
            _fixed(record.excluded_minutes, 3),
            _percent(record.uptime_percent),
        )


_RECORD_COLUMNS: Final = (
    "station",
    "connector",
    "interval_start",
    "interval_end",
    "period_minutes",
    "outage_minutes",
    "excluded_minutes",
    "uptime_percent",
)


def _records_csv(out: IO[str], records: Iterable[IntervalRecord]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_RECORD_COLUMNS)
    writer.writerows(_record_rows(records))


def _records_table(records: Iterable[IntervalRecord]) -> str:
    header = tuple(column.upper() for column in _RECORD_COLUMNS)
    return _table([header, *_record_rows(records)])
