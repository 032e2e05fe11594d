"""Report builders: NEVI's quarterly figures and California's interval records.

Both arrange what :func:`evstatus.uptime.uptime` measures the way a submission
asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction

import attrs

from evstatus._errors import wrong_value

from ._exclusions import Exclusion
from ._inventory import PortRecord
from ._measure import PortUptime, Uptime, check_zone, uptime
from ._notice import Notice
from ._regimes import Regime
from ._timeline import Timeline, minutes

# --- NEVI quarterly figures ---------------------------------------------------


@attrs.frozen(kw_only=True)
class NeviQuarterPort:
    """One port's figures for a NEVI quarterly submission (23 CFR 680.112).

    For each of the quarter's three months, the uptime, T_outage and
    T_excluded as 680.116(b) defines them: over the twelve months ending at
    that month's end.
    """

    station: str
    connector_id: int
    trailing: tuple[PortUptime, PortUptime, PortUptime]
    """The twelve months ending with each month of the quarter: uptime (None
    for a port without twelve months of history), T_outage, T_excluded."""
    quarter: PortUptime
    """The whole quarter, whose outages give the duration of each outage."""


def _month_start(year: int, month: int, tz: tzinfo) -> datetime:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=tz).astimezone(UTC)


def trailing_twelve_months(
    timeline: Timeline,
    year: int,
    month: int,
    *,
    exclusions: Sequence[Exclusion] = (),
    regime: Regime | str = "nevi",
    tz: tzinfo = UTC,
    ports: Sequence[PortRecord] | None = None,
) -> Uptime:
    """Measure the twelve months ending with *month* (1-12) of *year*, in *tz*.

    The figure NEVI computes every month (680.116(b)): its denominator is
    525,600 minutes, and a port without the whole twelve months of history
    has no uptime (None), though its T_outage and T_excluded are given.
    *ports* is an inventory, as for :func:`evstatus.uptime.uptime`.
    """
    if type(month) is not int or not 1 <= month <= 12:
        raise wrong_value("month", month, "a month number from 1 to 12")
    zone = check_zone(tz)
    return uptime(
        timeline,
        _month_start(year, month - 11, zone),
        _month_start(year, month + 1, zone),
        regime=regime,
        exclusions=exclusions,
        tz=zone,
        ports=ports,
    )


def nevi_quarter(
    timeline: Timeline,
    year: int,
    quarter: int,
    *,
    exclusions: Sequence[Exclusion] = (),
    regime: Regime | str = "nevi",
    tz: tzinfo = UTC,
) -> tuple[list[NeviQuarterPort], tuple[Notice, ...]]:
    """Per port, the figures of quarter *quarter* (1-4) of *year*, with warnings.

    Months and quarters are those of *tz*.
    """
    if type(quarter) is not int or not 1 <= quarter <= 4:
        raise wrong_value("quarter", quarter, "1, 2, 3 or 4")
    zone = check_zone(tz)
    first = 3 * (quarter - 1) + 1
    trailing = [
        trailing_twelve_months(
            timeline, year, first + step, regime=regime, exclusions=exclusions, tz=zone
        )
        for step in range(3)
    ]
    whole = uptime(
        timeline,
        _month_start(year, first, zone),
        _month_start(year, first + 3, zone),
        regime=regime,
        exclusions=exclusions,
        tz=zone,
    )
    result = [
        NeviQuarterPort(
            station=port.station,
            connector_id=port.connector_id,
            trailing=(trailing[0].ports[i], trailing[1].ports[i], trailing[2].ports[i]),
            quarter=port,
        )
        for i, port in enumerate(whole.ports)
    ]
    return result, whole.warnings


# --- California: 15-minute interval records -----------------------------------


@attrs.frozen(kw_only=True)
class IntervalRecord:
    """One port's figures over one short reporting interval."""

    station: str
    connector_id: int
    start: datetime
    end: datetime
    period_minutes: Fraction
    """The minutes of the interval the port counts (0: no data)."""
    outage_minutes: Fraction
    excluded_minutes: Fraction

    @property
    def uptime_percent(self) -> Fraction | None:
        """As :attr:`evstatus.uptime.PortUptime.uptime_percent`; None without data."""
        if not self.period_minutes:
            return None
        counted = self.outage_minutes - self.excluded_minutes
        return (self.period_minutes - counted) / self.period_minutes * 100


def interval_records(
    result: Uptime, every: timedelta = timedelta(minutes=15)
) -> Iterator[IntervalRecord]:
    """Split each port of *result* into intervals of *every*, from its start.

    A last interval shorter than *every* ends at the period's end. One pass
    over each port's intervals and outages together, not one over the
    outages for each interval.
    """
    step: object = every
    if not isinstance(step, timedelta) or step <= timedelta(0):
        raise wrong_value("every", every, "a positive timedelta")
    for port in result.ports:
        yield from _port_records(port, result.start, result.end, every)


def _port_records(
    port: PortUptime, start: datetime, end: datetime, every: timedelta
) -> Iterator[IntervalRecord]:
    outages = [(o.start, o.end) for o in port.outages]
    parts = [(p.start, p.end) for o in port.outages for p in o.excluded]
    outage_sweep = _Sweep(outages)
    part_sweep = _Sweep(parts)
    low = start
    while low < end:
        high = min(low + every, end)
        period = timedelta(0)
        if port.start is not None and port.end is not None:
            period = max(timedelta(0), min(high, port.end) - max(low, port.start))
        yield IntervalRecord(
            station=port.station,
            connector_id=port.connector_id,
            start=low,
            end=high,
            period_minutes=minutes(period),
            outage_minutes=minutes(outage_sweep.within(low, high)),
            excluded_minutes=minutes(part_sweep.within(low, high)),
        )
        low = high


class _Sweep:
    """How much of sorted, disjoint spans falls in each of a run of intervals.

    The intervals come in order, so a span is looked at while it overlaps
    them and never again: linear in spans plus intervals.
    """

    __slots__ = ("index", "spans")

    def __init__(self, spans: Sequence[tuple[datetime, datetime]]) -> None:
        self.spans = spans
        self.index = 0

    def within(self, low: datetime, high: datetime) -> timedelta:
        spans = self.spans
        index = self.index
        while index < len(spans) and spans[index][1] <= low:
            index += 1
        self.index = index
        total = timedelta(0)
        while index < len(spans) and spans[index][0] < high:
            start, end = spans[index]
            total += min(end, high) - max(start, low)
            index += 1
        return total
