"""``evstatus uptime``: each port's uptime and outages, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from fractions import Fraction
from typing import IO, Any, Final

from evstatus._escape import json_line, printable
from evstatus._timestamps import format_timestamp
from evstatus.uptime import (
    IntervalRecord,
    Outage,
    PortUptime,
    Regime,
    Uptime,
    interval_records,
)

from .layout import table
from .measure import add_uptime_options, interval, measure, uptime_epilog

__all__ = ["add_command"]

NO_DATA: Final = "no data"


def add_command(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``uptime`` to the ``evstatus`` subcommands."""
    up = commands.add_parser(
        "uptime",
        help="per-port uptime and outages over a period, for NEVI or California",
        description="Fold a JSON Lines log (its format: 'evstatus replay "
        "--help') into each port's up and outage time between --from and --to, "
        "and print the figures with every outage.",
        epilog=uptime_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_uptime_options(up)
    shape = up.add_mutually_exclusive_group()
    shape.add_argument(
        "--json", action="store_true", help="print one JSON object per port"
    )
    shape.add_argument("--csv", action="store_true", help="print CSV, one row per port")
    up.add_argument(
        "--interval",
        type=interval,
        metavar="LENGTH",
        help="one record per port per interval of LENGTH (like 15m, 1h or 1d) "
        "instead of one per port",
    )
    up.set_defaults(run=_run_uptime, parser=up)


def _run_uptime(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    measured, code = measure(arguments, err)
    if measured is None:
        return code
    _, result = measured
    every: timedelta | None = arguments.interval
    if every is not None:
        records = interval_records(result, every)
        regime = result.regime
        if arguments.json:
            out.writelines(_record_json(record, regime) for record in records)
        elif arguments.csv:
            _records_csv(out, records, regime)
        else:
            out.write(_records_table(records, regime))
    elif arguments.json:
        out.writelines(_port_json(port, result) for port in result.ports)
    elif arguments.csv:
        _ports_csv(out, result)
    else:
        out.write(_ports_text(result))
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
        "regime": str(result.regime),
        "start": _time(port.start) or None,
        "end": _time(port.end) or None,
        "period_minutes": _number(port.period_minutes),
        "outage_minutes": _number(port.outage_minutes),
        "excluded_minutes": _number(port.excluded_minutes),
        "uptime_percent": None if percent is None else _number(percent),
        "outages": [_outage_record(outage) for outage in port.outages],
    }
    if percent is None:
        record["note"] = "no data for this port in the period"
    return json_line(record)


def _ports_csv(out: IO[str], result: Uptime) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_PORT_COLUMNS)
    for port in result.ports:
        writer.writerow(
            (
                printable(port.station),
                port.connector_id,
                result.regime,
                _time(port.start),
                _time(port.end),
                *_port_figures(port, 3),
                len(port.outages),
            )
        )


#: The columns of the text table, a part of the CSV's under the same names:
#: the regime and the period are said once, above it.
_PORT_TABLE: Final = (
    "station",
    "connector",
    "period_minutes",
    "outage_minutes",
    "excluded_minutes",
    "uptime_percent",
    "outages",
)
#: The outage list's columns: a port's, then the keys of an outage in JSON.
_OUTAGE_TABLE: Final = (
    "station",
    "connector",
    "start",
    "end",
    "minutes",
    "status",
    "reason",
    "excluded_minutes",
    "cause",
)


def _heads(columns: Iterable[str]) -> tuple[str, ...]:
    """Return a text table's header: the JSON and CSV names, in capitals."""
    return tuple(column.upper() for column in columns)


def _ports_text(result: Uptime) -> str:
    head = (
        f"Uptime per port, {format_timestamp(result.start)} to "
        f"{format_timestamp(result.end)}, regime {result.regime} "
        f"({result.regime.title})\n\n"
    )
    rows = [_heads(_PORT_TABLE)]
    rows.extend(
        (
            printable(port.station),
            str(port.connector_id),
            *_port_figures(port, 2),
            str(len(port.outages)),
        )
        for port in result.ports
    )
    text = head + table(rows)
    outages = [
        (
            printable(port.station),
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
        text += "\nOutages:\n\n" + table([_heads(_OUTAGE_TABLE), *outages])
    return text


def _record_json(record: IntervalRecord, regime: Regime) -> str:
    percent = record.uptime_percent
    return json_line(
        {
            "station": record.station,
            "connector": record.connector_id,
            "regime": str(regime),
            "start": format_timestamp(record.start),
            "end": format_timestamp(record.end),
            "period_minutes": _number(record.period_minutes),
            "outage_minutes": _number(record.outage_minutes),
            "excluded_minutes": _number(record.excluded_minutes),
            "uptime_percent": None if percent is None else _number(percent),
        }
    )


def _record_rows(
    records: Iterable[IntervalRecord], regime: Regime
) -> Iterator[tuple[str, ...]]:
    for record in records:
        yield (
            printable(record.station),
            str(record.connector_id),
            str(regime),
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
    "regime",
    "start",
    "end",
    "period_minutes",
    "outage_minutes",
    "excluded_minutes",
    "uptime_percent",
)
#: A port's figures: an interval's, and how many outages it had.
_PORT_COLUMNS: Final = (*_RECORD_COLUMNS, "outages")


def _records_csv(
    out: IO[str], records: Iterable[IntervalRecord], regime: Regime
) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_RECORD_COLUMNS)
    writer.writerows(_record_rows(records, regime))


def _records_table(records: Iterable[IntervalRecord], regime: Regime) -> str:
    return table([_heads(_RECORD_COLUMNS), *_record_rows(records, regime)])
