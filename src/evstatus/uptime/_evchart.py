"""EV-ChART files: the uptime (Module 3) and outage (Module 4) uploads.

The Joint Office's EV-ChART takes a NEVI-funded station's reliability data as
CSV files, one per module, with the columns and value rules of its published
module definitions. Module 3 has one row per port per month: the month's
bounds and the uptime, T_outage and T_excluded of the twelve months ending
with it. Module 4 has one row per outage: when it began (its id), how long it
lasted, and whether and why it was excluded.

Every number is rounded half up, from the exact fraction, to two decimal
places; every time is written in UTC with a ``Z`` (EV-ChART's datetime check
takes no other offset).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from fractions import Fraction
from pathlib import Path
from typing import Final

import attrs

from evstatus._frozen import FrozenMap
from evstatus._timestamps import format_timestamp

from ._exclusions import Exclusion
from ._inventory import PortRecord
from ._measure import Outage, PortUptime, Uptime, uptime
from ._notice import Notice
from ._regimes import Cause, Regime
from ._reports import trailing_twelve_months
from ._timeline import Timeline

__all__ = [
    "EVCHART_REASONS",
    "EvChart",
    "EvChartOutage",
    "EvChartUptime",
    "evchart_rows",
    "write_evchart",
]

EVCHART_REASONS: Final[Mapping[Cause, int]] = FrozenMap(
    {
        Cause.UTILITY_INTERRUPTION: 1,
        Cause.VEHICLE_FAULT: 2,
        Cause.SCHEDULED_MAINTENANCE: 3,
        Cause.VANDALISM: 4,
        Cause.NATURAL_DISASTER: 5,
        Cause.OUTSIDE_OPERATING_HOURS: 6,
    }
)
"""The number EV-ChART's ``excluded_outage_reason`` gives each cause: the
order in which 23 CFR 680.116(b) lists the exclusions."""

#: Module 3's columns, in the order written.
MODULE3_COLUMNS: Final = (
    "station_id",
    "port_id",
    "network_provider",
    "uptime_reporting_start",
    "uptime_reporting_end",
    "uptime",
    "total_outage",
    "total_outage_excl",
)
#: Module 4's columns, in the order written.
MODULE4_COLUMNS: Final = (
    "station_id",
    "port_id",
    "network_provider",
    "outage_id",
    "outage_duration",
    "excluded_outage",
    "excluded_outage_reason",
    "excluded_outage_notes",
)
_NOTES_LENGTH: Final = 255
_SMALLEST_DURATION: Final = Fraction(1, 100)
#: Module 4's outage_duration is a decimal of 8 digits, 2 after the point:
#: 999,999.99 minutes (about 694 days) at most. Module 3's totals have as
#: many, and twelve months never fill them.
_LONGEST_DURATION: Final = Fraction(10**8 - 1, 100)
#: The least duration that, rounded half up, is written longer than that.
_TOO_LONG: Final = _LONGEST_DURATION + Fraction(1, 200)


@attrs.frozen(kw_only=True)
class EvChartUptime:
    """One row of Module 3: a port's figures for one month."""

    station_id: str
    port_id: str
    network_provider: str | None
    uptime_reporting_start: datetime
    """The month's first instant."""
    uptime_reporting_end: datetime
    """The next month's first instant: the month is ``[start, end)``."""
    uptime: Fraction | None
    """The uptime over the twelve months ending with the month, in percent;
    None (blank) for a port that does not count all twelve."""
    total_outage: Fraction
    """T_outage over those twelve months, in minutes."""
    total_outage_excl: Fraction
    """T_excluded over those twelve months, in minutes."""

    def cells(self) -> tuple[str, ...]:
        """Return the row as written, in Module 3's column order."""
        return (
            self.station_id,
            self.port_id,
            self.network_provider or "",
            format_timestamp(self.uptime_reporting_start),
            format_timestamp(self.uptime_reporting_end),
            "" if self.uptime is None else decimal_half_up(self.uptime),
            decimal_half_up(self.total_outage),
            decimal_half_up(self.total_outage_excl),
        )


@attrs.frozen(kw_only=True)
class EvChartOutage:
    """One row of Module 4: one outage of a port."""

    station_id: str
    port_id: str
    network_provider: str | None
    outage_id: datetime
    """When the outage began: its identifier."""
    outage_duration: Fraction
    """Its minutes, up to the end of the period (or of the port's count)."""
    excluded_outage: bool
    """Whether any of its minutes are excluded."""
    excluded_outage_reason: int | None
    """The cause (:data:`evstatus.uptime.EVCHART_REASONS`) excusing most of its excluded
    minutes; None if none are."""
    excluded_outage_notes: str | None
    """What else a reader needs: a partly excused outage, several causes, an
    outage still running at the end; at most 255 characters."""

    def cells(self) -> tuple[str, ...]:
        """Return the row as written, in Module 4's column order.

        A duration that rounds to 0.00 is written 0.01, the least EV-ChART
        takes.
        """
        return (
            self.station_id,
            self.port_id,
            self.network_provider or "",
            format_timestamp(self.outage_id),
            decimal_half_up(max(self.outage_duration, _SMALLEST_DURATION)),
            "TRUE" if self.excluded_outage else "FALSE",
            ""
            if self.excluded_outage_reason is None
            else str(self.excluded_outage_reason),
            self.excluded_outage_notes or "",
        )


@attrs.frozen(kw_only=True)
class EvChart:
    """Both modules' rows, and what the measuring warned about."""

    uptime: tuple[EvChartUptime, ...]
    """Module 3: per port (in the order of the ports), per month."""
    outages: tuple[EvChartOutage, ...]
    """Module 4: per port, its outages in order."""
    warnings: tuple[Notice, ...]

    def module3_csv(self) -> str:
        """Return Module 3 as CSV text, with its header."""
        return _csv(MODULE3_COLUMNS, (row.cells() for row in self.uptime))

    def module4_csv(self) -> str:
        """Return Module 4 as CSV text, with its header."""
        return _csv(MODULE4_COLUMNS, (row.cells() for row in self.outages))


def decimal_half_up(value: Fraction) -> str:
    """Write *value* (>= 0) with two decimal places, rounded half up.

    >>> decimal_half_up(Fraction(96_005, 1000)), decimal_half_up(Fraction(1, 3))
    ('96.01', '0.33')
    """
    hundredths = (value * 200 + 1) // 2
    whole, part = divmod(hundredths, 100)
    return f"{whole}.{part:02d}"


def _csv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return text.getvalue()


def evchart_rows(
    timeline: Timeline,
    start: datetime,
    end: datetime,
    *,
    regime: Regime | str = "nevi",
    exclusions: Sequence[Exclusion] = (),
    tz: tzinfo = UTC,
    ports: Sequence[PortRecord] | None = None,
) -> EvChart:
    """Return the EV-ChART rows of every port over ``[start, end)``.

    Module 3 has a row per port for every month (in *tz*) the period touches,
    each month whole: the figures of the twelve months ending with it, by
    680.116(b)'s formula. Module 4 has a row per outage that began in the
    period; one already running at its start is left to an earlier report.
    The options are :func:`evstatus.uptime.uptime`'s; with *ports*, the
    identifiers are the inventory's.
    """
    period = uptime(
        timeline,
        start,
        end,
        regime=regime,
        exclusions=exclusions,
        tz=tz,
        ports=ports,
    )
    yearly: list[tuple[datetime, datetime, Uptime]] = []
    by_port: list[dict[tuple[str, int], PortUptime]] = []
    for low, high in _months(period.start, period.end, tz):
        local = low.astimezone(tz)
        year = trailing_twelve_months(
            timeline,
            local.year,
            local.month,
            regime=regime,
            exclusions=exclusions,
            tz=tz,
            ports=ports,
        )
        yearly.append((low, high, year))
        by_port.append({(p.station, p.connector_id): p for p in year.ports})
    uptime_rows = [
        EvChartUptime(
            station_id=station_id,
            port_id=port_id,
            network_provider=provider,
            uptime_reporting_start=low,
            uptime_reporting_end=high,
            uptime=measured.uptime_percent,
            total_outage=measured.outage_minutes,
            total_outage_excl=measured.excluded_minutes,
        )
        for port in period.ports
        for station_id, port_id, provider in (identifiers(port),)
        for (low, high, _), ports_of_year in zip(yearly, by_port, strict=True)
        for measured in (ports_of_year[port.station, port.connector_id],)
    ]
    outage_rows = [
        _outage_row(port, outage)
        for port in period.ports
        for outage in port.outages
        if outage.began is None
    ]
    # An outage longer than the column holds is written whole, as measured:
    # a figure cut to fit would be wrong. EV-ChART refuses the row, so say so.
    overlong = [
        Notice(
            line=None,
            message=f"station {row.station_id!r} port {row.port_id}: the outage "
            f"from {format_timestamp(row.outage_id)} lasts "
            f"{decimal_half_up(row.outage_duration)} minutes to the end of the "
            "period, more than EV-ChART's outage_duration holds "
            f"({decimal_half_up(_LONGEST_DURATION)}); EV-ChART will refuse its "
            "row: report a shorter period",
        )
        for row in outage_rows
        if row.outage_duration >= _TOO_LONG
    ]
    # EV-ChART finds a station by its id and network provider: a row
    # without a provider is refused.
    unnamed = [
        Notice(
            line=None,
            message=f"station {port.station!r} port {port.connector_id} has no "
            "network_provider, which EV-ChART needs; give it in the port inventory",
            source="ports",
        )
        for port in period.ports
        if identifiers(port)[2] is None
    ]
    warnings = dict.fromkeys(
        [
            *period.warnings,
            *(notice for *_, year in yearly for notice in year.warnings),
            *overlong,
            *unnamed,
        ]
    )
    return EvChart(
        uptime=tuple(uptime_rows), outages=tuple(outage_rows), warnings=tuple(warnings)
    )


def identifiers(port: PortUptime) -> tuple[str, str, str | None]:
    """Return the station and port identifiers and network provider of *port*."""
    record = port.inventory
    if record is None:
        return port.station, str(port.connector_id), None
    return record.station_id, record.port_id, record.network_provider


def _outage_row(port: PortUptime, outage: Outage) -> EvChartOutage:
    station_id, port_id, provider = identifiers(port)
    by_cause: dict[Cause, Fraction] = {}
    for part in outage.excluded:
        by_cause[part.cause] = by_cause.get(part.cause, Fraction(0)) + part.minutes
    # The cause with the most minutes; on a tie, the first in 680.116(b)'s order.
    ranked = sorted(by_cause, key=lambda cause: (-by_cause[cause], _number(cause)))
    notes: list[str] = []
    excluded = outage.excluded_minutes
    if ranked and (excluded != outage.minutes or len(ranked) > 1):
        shares = ", ".join(
            f"{cause.value} {decimal_half_up(by_cause[cause])}" for cause in ranked
        )
        notes.append(
            f"excluded {decimal_half_up(excluded)} of "
            f"{decimal_half_up(outage.minutes)} min: {shares}"
        )
    if port.end is not None and outage.end >= port.end:
        notes.append(
            f"still out at {format_timestamp(outage.end)}, where the count ends"
        )
    return EvChartOutage(
        station_id=station_id,
        port_id=port_id,
        network_provider=provider,
        outage_id=outage.start,
        outage_duration=outage.minutes,
        excluded_outage=bool(ranked),
        excluded_outage_reason=_number(ranked[0]) if ranked else None,
        excluded_outage_notes=_shortened("; ".join(notes)) or None,
    )


def _number(cause: Cause) -> int:
    # A cause 680.116(b) does not list sorts last and has no number.
    return EVCHART_REASONS.get(cause, len(EVCHART_REASONS) + 1)


def _shortened(text: str) -> str:
    if len(text) <= _NOTES_LENGTH:
        return text
    return text[: _NOTES_LENGTH - 3] + "..."


def _months(
    start: datetime, end: datetime, tz: tzinfo
) -> Iterator[tuple[datetime, datetime]]:
    """Each month in *tz* that ``[start, end)`` touches, as its UTC bounds."""
    local = start.astimezone(tz)
    low = datetime(local.year, local.month, 1, tzinfo=tz).astimezone(UTC)
    while low < end:
        high = _add_months(low, 1, tz)
        yield low, high
        low = high


def _add_months(moment: datetime, count: int, tz: tzinfo) -> datetime:
    """Return the first instant of the month *count* months after *moment*'s."""
    local = moment.astimezone(tz)
    index = local.year * 12 + local.month - 1 + count
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=tz).astimezone(UTC)


def write_evchart(directory: Path | str, evchart: EvChart) -> tuple[Path, Path]:
    """Write ``module3.csv`` and ``module4.csv`` into *directory* (UTF-8).

    Returns their paths. The directory must exist; files there of those
    names are replaced.
    """
    folder = Path(directory)
    module3 = folder / "module3.csv"
    module4 = folder / "module4.csv"
    module3.write_text(evchart.module3_csv(), encoding="utf-8", newline="")
    module4.write_text(evchart.module4_csv(), encoding="utf-8", newline="")
    return module3, module4
