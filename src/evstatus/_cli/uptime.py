"""``evstatus uptime``: each port's uptime and outages, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import IO, Any, Final

from evstatus._escape import json_line, printable
from evstatus._timestamps import format_timestamp
from evstatus.uptime import (
    IntervalRecord,
    Outage,
    PortUptime,
    Regime,
    Timeline,
    Uptime,
    evchart_rows,
    interval_records,
    minutes,
)
from evstatus.uptime._evchart import identifiers

from .exits import EXIT_CANNOT_RUN
from .layout import display_width
from .measure import (
    add_uptime_options,
    given,
    input_files,
    interval,
    measure,
    uptime_epilog,
    warn,
)
from .streams import OutputFileError, check_not_input, write_file

__all__ = ["add_command"]

NO_DATA: Final = "no data"
#: The uptime of a port over twelve calendar months that it does not count
#: whole (younger, removed, or its data ending early): 680.116(b) gives none.
NOT_WHOLE: Final = "not a year"


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
    up.add_argument(
        "--evchart",
        metavar="DIR",
        help="also write the EV-ChART uploads DIR/module3.csv (per port and "
        "month, the twelve months' uptime) and DIR/module4.csv (per outage "
        "begun in the period); DIR is made if missing",
    )
    up.set_defaults(run=_run_uptime, parser=up)


def _run_uptime(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    folder: str | None = arguments.evchart
    names = [] if folder is None else [str(Path(folder) / name) for name in _MODULES]
    try:
        # Refused before the log is read, and checked again when written.
        for name in names:
            check_not_input(name, input_files(arguments))
    except OutputFileError as error:
        err.write(f"evstatus: {error}\n")
        return EXIT_CANNOT_RUN
    measured, code = measure(arguments, err)
    if measured is None:
        return code
    timeline, result = measured
    if folder is not None and not _write_evchart(arguments, timeline, result, err):
        return EXIT_CANNOT_RUN
    _print(arguments, result, out)
    return code


def _print(arguments: argparse.Namespace, result: Uptime, out: IO[str]) -> None:
    """Print the figures in the shape the options ask for."""
    every: timedelta | None = arguments.interval
    # With an inventory, JSON and CSV name each port by its identifiers too.
    named = None
    if arguments.ports is not None:
        named = {(port.station, port.connector_id): port for port in result.ports}
    if every is not None:
        records = interval_records(result, every)
        regime = result.regime
        if arguments.json:
            out.writelines(_record_json(record, regime, named) for record in records)
        elif arguments.csv:
            _records_csv(out, records, regime, named)
        else:
            _records_table(out, records, result, every)
    elif arguments.json:
        out.writelines(_port_json(port, result, named) for port in result.ports)
    elif arguments.csv:
        _ports_csv(out, result, named)
    else:
        _ports_text(out, result)


_MODULES: Final = ("module3.csv", "module4.csv")


def _write_evchart(
    arguments: argparse.Namespace, timeline: Timeline, result: Uptime, err: IO[str]
) -> bool:
    """Write the EV-ChART files; say why not and return False if they cannot be."""
    exclusions, inventory = given(arguments)
    try:
        evchart = evchart_rows(
            timeline,
            result.start,
            result.end,
            regime=result.regime,
            exclusions=exclusions,
            tz=arguments.tz,
            ports=inventory,
        )
    except (OverflowError, ValueError):
        # The only bad value left: a month outside the calendar.
        err.write(
            "evstatus: cannot write the EV-ChART files: the twelve months before "
            "the period's months, or those months, are outside the years 1 to "
            "9999\n"
        )
        return False
    for notice in evchart.warnings:
        if notice not in result.warnings:
            warn(err, notice, arguments)
    folder = Path(arguments.evchart)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in zip(
            _MODULES, (evchart.module3_csv(), evchart.module4_csv()), strict=True
        ):
            write_file(str(folder / name), text, inputs=input_files(arguments))
    except OSError as error:
        err.write(f"evstatus: cannot make {printable(str(folder))}: {error.strerror}\n")
        return False
    except OutputFileError as error:
        err.write(f"evstatus: {error}\n")
        return False
    return True


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
    value = port.uptime_percent
    if value is not None:
        percent = _fixed(value, 3)
    else:
        percent = NO_DATA if not period else NOT_WHOLE
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


#: What names a port beside its OCPP ids, with an inventory.
_IDENTIFIERS: Final = ("station_id", "port_id", "network_provider")
#: Port -> its measure, for its identifiers; None without an inventory.
Named = dict[tuple[str, int], PortUptime] | None


def _ids_json(station: str, connector: int, named: Named) -> dict[str, object]:
    if named is None:
        return {}
    return dict(zip(_IDENTIFIERS, identifiers(named[station, connector]), strict=True))


def _ids_csv(station: str, connector: int, named: Named) -> tuple[str, ...]:
    if named is None:
        return ()
    return tuple(
        printable(cell or "") for cell in identifiers(named[station, connector])
    )


def _port_json(port: PortUptime, result: Uptime, named: Named) -> str:
    percent = port.uptime_percent
    record: dict[str, object] = {
        "station": port.station,
        "connector": port.connector_id,
        **_ids_json(port.station, port.connector_id, named),
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
        record["note"] = (
            "no data for this port in the period"
            if not port.has_data
            else "no annual uptime: the port does not count all twelve months"
        )
    return json_line(record)


def _ports_csv(out: IO[str], result: Uptime, named: Named) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_columns(_PORT_COLUMNS, named))
    for port in result.ports:
        writer.writerow(
            (
                printable(port.station),
                port.connector_id,
                *_ids_csv(port.station, port.connector_id, named),
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


def _ports_text(out: IO[str], result: Uptime) -> None:
    out.write(
        f"Uptime per port, {format_timestamp(result.start)} to "
        f"{format_timestamp(result.end)}, regime {result.regime} "
        f"({result.regime.title})\n\n"
    )
    _write_table(
        out,
        _heads(_PORT_TABLE),
        lambda: (
            (
                printable(port.station),
                str(port.connector_id),
                *_port_figures(port, 2),
                str(len(port.outages)),
            )
            for port in result.ports
        ),
    )
    if any(port.outages for port in result.ports):
        out.write("\nOutages:\n\n")
        _write_table(out, _heads(_OUTAGE_TABLE), lambda: _outage_rows(result))


def _outage_rows(result: Uptime) -> Iterator[tuple[str, ...]]:
    for port in result.ports:
        station = printable(port.station)
        connector = str(port.connector_id)
        for outage in port.outages:
            yield (
                station,
                connector,
                format_timestamp(outage.start),
                format_timestamp(outage.end),
                _fixed(outage.minutes, 2),
                outage.status,
                outage.reason.value,
                _fixed(outage.excluded_minutes, 2),
                outage.cause or "-",
            )


def _write_table(
    out: IO[str],
    header: tuple[str, ...],
    rows: Callable[[], Iterable[tuple[str, ...]]],
) -> None:
    """Write a table whose rows are made twice: once to measure, once to write.

    The rows come from what is in memory already (the measured ports); the
    text of them all, which may be many times larger, never is.
    """
    widths = [display_width(cell) for cell in header]
    for row in rows():
        widths = [
            max(width, display_width(cell))
            for width, cell in zip(widths, row, strict=True)
        ]
    out.write(_line(header, widths))
    out.writelines(_line(row, widths) for row in rows())


def _line(row: Sequence[str], widths: Sequence[int]) -> str:
    """One row of a table laid out as :func:`evstatus._cli.layout.table` does."""
    # str.ljust pads by characters, which is the width for ASCII text.
    return (
        "  ".join(
            cell.ljust(width)
            if cell.isascii()
            else cell + " " * (width - display_width(cell))
            for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        + "\n"
    )


def _record_json(record: IntervalRecord, regime: Regime, named: Named) -> str:
    percent = record.uptime_percent
    return json_line(
        {
            "station": record.station,
            "connector": record.connector_id,
            **_ids_json(record.station, record.connector_id, named),
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
    records: Iterable[IntervalRecord], regime: Regime, named: Named = None
) -> Iterator[tuple[str, ...]]:
    for record in records:
        yield (
            printable(record.station),
            str(record.connector_id),
            *_ids_csv(record.station, record.connector_id, named),
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


def _columns(columns: tuple[str, ...], named: Named) -> tuple[str, ...]:
    """Return the CSV's columns: with an inventory, the identifiers after the port."""
    if named is None:
        return columns
    return (*columns[:2], *_IDENTIFIERS, *columns[2:])


def _records_csv(
    out: IO[str], records: Iterable[IntervalRecord], regime: Regime, named: Named
) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_columns(_RECORD_COLUMNS, named))
    writer.writerows(_record_rows(records, regime, named))


def _records_table(
    out: IO[str], records: Iterable[IntervalRecord], result: Uptime, every: timedelta
) -> None:
    """Write the interval records as a table, each row as it comes.

    A year of 15-minute records for a fleet is millions of rows: the columns'
    widths are worked out beforehand, from what the cells can hold, and no
    row is kept.
    """
    widths = _record_widths(result, every)
    out.write(_line(_heads(_RECORD_COLUMNS), widths))
    out.writelines(_line(row, widths) for row in _record_rows(records, result.regime))


def _record_widths(result: Uptime, every: timedelta) -> list[int]:
    """Return the interval table's column widths: each its widest cell, or more.

    Exact for the names and numbers of ports; for times and figures, the width
    of the widest value a cell can take (usually narrower than the header).
    """
    heads = _heads(_RECORD_COLUMNS)
    ports = result.ports
    station = max((display_width(printable(port.station)) for port in ports), default=0)
    connector = max((len(str(port.connector_id)) for port in ports), default=0)
    # Every bound is the start plus whole intervals, or the end: its fraction
    # of a second has no more digits than theirs (format_timestamp writes
    # none, three or six).
    moments = (result.start, result.end, result.start + every)
    time = max(len(format_timestamp(moment)) for moment in moments)
    longest = minutes(min(every, result.end - result.start))
    figure = len(_fixed(longest, 3))
    percent = max(len(NO_DATA), len(_fixed(Fraction(100), 3)))
    cells = (
        station,
        connector,
        len(str(result.regime)),
        time,
        time,
        figure,
        figure,
        figure,
        percent,
    )
    return [
        max(display_width(head), cell) for head, cell in zip(heads, cells, strict=True)
    ]
