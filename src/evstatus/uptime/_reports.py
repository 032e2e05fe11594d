"""Report builders: NEVI's quarterly figures and California's interval records.

Both arrange what :func:`evstatus.uptime.uptime` measures the way a submission
asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from itertools import pairwise

import attrs

from evstatus._errors import wrong_value

from ._exclusions import Exclusion
from ._measure import Outage, PortUptime, Uptime, uptime
from ._notice import Notice
from ._regimes import Regime
from ._timeline import Timeline, minutes

# --- NEVI quarterly figures ---------------------------------------------------


@attrs.frozen(kw_only=True)
class NeviQuarterPort:
    """One port's figures for a NEVI quarterly submission (23 CFR 680.112)."""

    station: str
    connector_id: int
    months: tuple[PortUptime, PortUptime, PortUptime]
    """Each month of the quarter on its own: T_outage and T_excluded."""
    trailing: tuple[PortUptime, PortUptime, PortUptime]
    """The twelve months ending with each month of the quarter: the uptime."""
    quarter: PortUptime
    """The whole quarter, whose outages give the duration of each outage."""


def _month_start(year: int, month: int) -> datetime:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=UTC)


def trailing_twelve_months(
    timeline: Timeline,
    year: int,
    month: int,
    *,
    exclusions: Sequence[Exclusion] = (),
    regime: Regime | str = "nevi",
) -> Uptime:
    """Measure the twelve months ending with *month* (1-12) of *year*.

    This is the figure NEVI computes every month; a port younger than a year
    counts from its first report.
    """
    if type(month) is not int or not 1 <= month <= 12:
        raise wrong_value("month", month, "a month number from 1 to 12")
    return uptime(
        timeline,
        _month_start(year, month - 11),
        _month_start(year, month + 1),
        regime=regime,
        exclusions=exclusions,
    )


def nevi_quarter(
    timeline: Timeline,
    year: int,
    quarter: int,
    *,
    exclusions: Sequence[Exclusion] = (),
    regime: Regime | str = "nevi",
) -> tuple[list[NeviQuarterPort], tuple[Notice, ...]]:
    """Per port, the figures of quarter *quarter* (1-4) of *year*, with warnings."""
    if type(quarter) is not int or not 1 <= quarter <= 4:
        raise wrong_value("quarter", quarter, "1, 2, 3 or 4")
    first = 3 * (quarter - 1) + 1
    bounds = [_month_start(year, first + step) for step in range(4)]
    months = [
        uptime(timeline, low, high, regime=regime, exclusions=exclusions)
        for low, high in pairwise(bounds)
    ]
    trailing = [
        trailing_twelve_months(
            timeline, year, first + step, regime=regime, exclusions=exclusions
        )
        for step in range(3)
    ]
    whole = uptime(timeline, bounds[0], bounds[3], regime=regime, exclusions=exclusions)
    result = [
        NeviQuarterPort(
            station=port.station,
            connector_id=port.connector_id,
            months=(months[0].ports[i], months[1].ports[i], months[2].ports[i]),
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

    A last interval shorter than *every* ends at the period's end.
    """
    step: object = every
    if not isinstance(step, timedelta) or step <= timedelta(0):
        raise wrong_value("every", every, "a positive timedelta")
    for port in result.ports:
        low = result.start
        outages = port.outages
        while low < result.end:
            high = min(low + every, result.end)
            yield _record_for(port, outages, low, high)
            low = high


def _record_for(
    port: PortUptime, outages: Sequence[Outage], low: datetime, high: datetime
) -> IntervalRecord:
    period = timedelta(0)
    outage_time = timedelta(0)
    excluded = timedelta(0)
    if port.start is not None and port.end is not None:
        period = max(timedelta(0), min(high, port.end) - max(low, port.start))
        for outage in outages:
            outage_time += _overlap(outage.start, outage.end, low, high)
            for part in outage.excluded:
                excluded += _overlap(part.start, part.end, low, high)
    return IntervalRecord(
        station=port.station,
        connector_id=port.connector_id,
        start=low,
        end=high,
        period_minutes=minutes(period),
        outage_minutes=minutes(outage_time),
        excluded_minutes=minutes(excluded),
    )


def _overlap(a: datetime, b: datetime, low: datetime, high: datetime) -> timedelta:
    return max(timedelta(0), min(b, high) - max(a, low))
