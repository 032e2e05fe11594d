"""Measuring: each port's outages over a period, with exclusions applied."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import cast

import attrs

from evstatus._errors import to_utc, wrong_value

from ._conditions import Condition
from ._exclusions import Exclusion
from ._inventory import PortRecord, arrange_ports
from ._notice import Notice
from ._regimes import Cap, Cause, OutageReason, Regime, find_regime
from ._timeline import MICROSECOND, Runs, Timeline, minutes


@attrs.frozen(kw_only=True)
class ExcludedPart:
    """A part of an outage taken out of the count, and why."""

    start: datetime
    end: datetime
    cause: Cause

    @property
    def minutes(self) -> Fraction:
        """The length in minutes, exact."""
        return minutes(self.end - self.start)


@attrs.frozen(kw_only=True)
class Outage:
    """A stretch of outage of one port with one reason, within the period."""

    start: datetime
    end: datetime
    reason: OutageReason
    excluded: tuple[ExcludedPart, ...] = ()

    @property
    def status(self) -> str:
        """The status that made it an outage."""
        return self.reason.status

    @property
    def minutes(self) -> Fraction:
        """The length in minutes, exact."""
        return minutes(self.end - self.start)

    @property
    def excluded_minutes(self) -> Fraction:
        """How many of its minutes are excluded."""
        return sum((part.minutes for part in self.excluded), Fraction(0))

    @property
    def cause(self) -> str | None:
        """The cause of the excluded part; several are joined by commas."""
        causes = dict.fromkeys(part.cause.value for part in self.excluded)
        return ",".join(causes) or None


@attrs.frozen(kw_only=True)
class PortUptime:
    """One port's figures over a period."""

    station: str
    connector_id: int
    start: datetime | None
    """Where the port's count began: the later of the period start and its
    first appearance; None if the port has no data in the period."""
    end: datetime | None
    """Where its count stopped: the period end, or its station's removal."""
    outages: tuple[Outage, ...]
    inventory: PortRecord | None = None
    """The port's record in the inventory (``ports``), if it has one."""

    @property
    def has_data(self) -> bool:
        """Whether any of the period counts for this port."""
        return self.start is not None

    @property
    def period_minutes(self) -> Fraction:
        """The minutes the port counts in the period."""
        return minutes(self.period_time)

    @property
    def outage_minutes(self) -> Fraction:
        """The minutes it was not up (T_outage)."""
        return minutes(self.outage_time)

    @property
    def excluded_minutes(self) -> Fraction:
        """The outage minutes excused by exclusions, after caps (T_excluded)."""
        return minutes(self.excluded_time)

    @property
    def uptime_percent(self) -> Fraction | None:
        """``(period - (outage - excluded)) / period * 100``; None without data."""
        # In whole microseconds, one exact division: the same fraction as in
        # minutes, without the cost of Fraction arithmetic per term.
        period = self.period_time // MICROSECOND
        if not period:
            return None
        counted = (self.outage_time - self.excluded_time) // MICROSECOND
        return Fraction(100 * (period - counted), period)

    @property
    def period_time(self) -> timedelta:
        """The time the port counts in the period, exact."""
        if self.start is None or self.end is None:
            return timedelta(0)
        return self.end - self.start

    @property
    def outage_time(self) -> timedelta:
        """The time it was not up, exact."""
        return sum((o.end - o.start for o in self.outages), timedelta(0))

    @property
    def excluded_time(self) -> timedelta:
        """The outage time excused, exact."""
        return sum(
            (p.end - p.start for o in self.outages for p in o.excluded), timedelta(0)
        )


@attrs.frozen(kw_only=True)
class Uptime:
    """What :func:`evstatus.uptime.uptime` found: each port's figures, warnings."""

    start: datetime
    end: datetime
    regime: Regime
    ports: tuple[PortUptime, ...]
    warnings: tuple[Notice, ...]


def uptime(
    timeline: Timeline,
    start: datetime,
    end: datetime,
    *,
    regime: Regime | str = "nevi",
    exclusions: Sequence[Exclusion] = (),
    ports: Sequence[PortRecord] | None = None,
) -> Uptime:
    """Measure every port of *timeline* over ``[start, end)``.

    Exclusions whose cause the regime does not accept, or that name a station or
    port the log never mentions, are listed in the result's warnings.

    With *ports*, an inventory (:func:`evstatus.uptime.read_inventory`), every
    port it lists is measured too: one the log never names has no data. A port
    of the log it does not list is measured, with a warning.
    """
    chosen = find_regime(regime)
    start, end = _period(start, end)
    logged = timeline.ports()
    arranged, notices = arrange_ports(logged, ports)
    known = set(logged)
    warnings = [*notices, *_check_exclusions(timeline, exclusions, chosen)]
    ports_measured = tuple(
        attrs.evolve(
            _port_uptime(
                timeline, station, connector_id, start, end, chosen, exclusions
            ),
            inventory=record,
        )
        if record is None or (station, connector_id) in known
        else PortUptime(
            station=station,
            connector_id=connector_id,
            start=None,
            end=None,
            outages=(),
            inventory=record,
        )
        for station, connector_id, record in arranged
    )
    return Uptime(
        start=start,
        end=end,
        regime=chosen,
        ports=ports_measured,
        warnings=tuple(warnings),
    )


def _period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    to_utc("start", start)
    to_utc("end", end)
    if end <= start:
        raise wrong_value("end", end, f"a time after start ({start.isoformat()})")
    return start.astimezone(UTC), end.astimezone(UTC)


def _check_exclusions(
    timeline: Timeline, exclusions: Sequence[Exclusion], regime: Regime
) -> list[Notice]:
    known = set(timeline.ports())
    stations = {station for station, _ in known}
    notices: list[Notice] = []
    for exclusion in exclusions:
        if exclusion.station not in stations:
            message = f"station {exclusion.station!r} is not in the log; ignored"
        elif (
            exclusion.connector is not None
            and (exclusion.station, exclusion.connector) not in known
        ):
            message = (
                f"station {exclusion.station!r} has no port {exclusion.connector} "
                "in the log; ignored"
            )
        elif exclusion.cause not in regime.causes:
            message = (
                f"cause {exclusion.cause} is not excluded under the "
                f"{regime.name} regime; ignored"
            )
        else:
            continue
        notices.append(
            Notice(line=exclusion.line, message=message, source="exclusions")
        )
    return notices


def _port_uptime(  # noqa: PLR0917  (the private worker of uptime)
    timeline: Timeline,
    station: str,
    connector_id: int,
    start: datetime,
    end: datetime,
    regime: Regime,
    exclusions: Sequence[Exclusion],
) -> PortUptime:
    runs = timeline._runs(station, connector_id)  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
    first = runs.starts[0]
    counted_start = start if first <= start else first.astimezone(UTC)
    counted_end = end
    if runs.conditions[-1] is None and runs.starts[-1] < end:
        # Removed (for good, so the last run) within the period.
        counted_end = runs.starts[-1].astimezone(UTC)
    if counted_end <= counted_start:
        return PortUptime(
            station=station,
            connector_id=connector_id,
            start=None,
            end=None,
            outages=(),
        )
    # Caps count from the start of the log, so the whole history up to the end
    # of the period is measured, and only then cut to the period.
    whole = _merged_outages(runs, counted_end)
    if whole and exclusions:
        mine = [
            exclusion
            for exclusion in exclusions
            if exclusion.station == station
            and exclusion.connector in {None, connector_id}
            and exclusion.cause in regime.causes
        ]
        whole = _apply_exclusions(whole, mine, regime)
    outages = tuple(
        clipped
        for outage in whole
        if (clipped := _clip(outage, counted_start, counted_end)) is not None
    )
    return PortUptime(
        station=station,
        connector_id=connector_id,
        start=counted_start,
        end=counted_end,
        outages=outages,
    )


def _merged_outages(runs: Runs, until: datetime) -> list[Outage]:
    # Works on the runs, not on Interval objects: a long log has many up runs,
    # and none of them needs an object of its own here.
    outages: list[Outage] = []
    starts, conditions = runs.starts, runs.conditions
    last = len(starts) - 1
    reason: OutageReason | None = None
    begun = end = until
    previous = -2
    for index in runs.outages:
        start = starts[index]
        if start >= until:
            break
        now = cast("Condition", conditions[index])[4]
        if index != previous + 1 or now is not reason:
            if reason is not None:
                outages.append(_outage(begun, end, reason))
            reason, begun = now, start
        end = min(starts[index + 1], until) if index < last else until
        previous = index
    if reason is not None:
        outages.append(_outage(begun, end, reason))
    return outages


def _outage(start: datetime, end: datetime, reason: OutageReason) -> Outage:
    return Outage(start=start.astimezone(UTC), end=end.astimezone(UTC), reason=reason)


def _cover(exclusions: Sequence[Exclusion]) -> list[tuple[datetime, datetime, int]]:
    """Disjoint pieces of time, each with the first listed exclusion covering it."""
    bounds = sorted({moment for e in exclusions for moment in (e.start, e.end)})
    pieces: list[tuple[datetime, datetime, int]] = []
    for left, right in pairwise(bounds):
        index = next(
            (
                index
                for index, exclusion in enumerate(exclusions)
                if exclusion.start <= left and right <= exclusion.end
            ),
            None,
        )
        if index is None:
            continue
        if pieces and pieces[-1][1] == left and pieces[-1][2] == index:
            pieces[-1] = (pieces[-1][0], right, index)
        else:
            pieces.append((left, right, index))
    return pieces


def _apply_exclusions(
    outages: list[Outage], exclusions: Sequence[Exclusion], regime: Regime
) -> list[Outage]:
    if not exclusions:
        return outages
    pieces = _cover(exclusions)
    caps = {cap.cause: cap for cap in regime.caps}
    used: dict[tuple[object, ...], timedelta] = {}
    result: list[Outage] = []
    for outage in outages:
        parts: list[ExcludedPart] = []
        for left, right, index in pieces:
            low, high = max(left, outage.start), min(right, outage.end)
            if high <= low:
                continue
            exclusion = exclusions[index]
            cap = caps.get(exclusion.cause)
            for part_start, part_end in _capped(low, high, index, cap, used):
                parts.append(
                    ExcludedPart(start=part_start, end=part_end, cause=exclusion.cause)
                )
        result.append(attrs.evolve(outage, excluded=tuple(parts)))
    return result


def _capped(
    low: datetime,
    high: datetime,
    index: int,
    cap: Cap | None,
    used: dict[tuple[object, ...], timedelta],
) -> Iterator[tuple[datetime, datetime]]:
    if cap is None:
        yield low, high
        return
    limit = timedelta(minutes=cap.minutes)
    while low < high:
        if cap.per == "incident":
            key: tuple[object, ...] = ("incident", index)
            stop = high
        else:
            key = ("year", cap.cause, low.year)
            stop = min(high, datetime(low.year + 1, 1, 1, tzinfo=UTC))
        spent = used.get(key, timedelta(0))
        take = min(stop - low, limit - spent)
        if take > timedelta(0):
            used[key] = spent + take
            yield low, low + take
        low = stop


def _clip(outage: Outage, start: datetime, end: datetime) -> Outage | None:
    low, high = max(outage.start, start), min(outage.end, end)
    if high <= low:
        return None
    parts = tuple(
        ExcludedPart(
            start=max(part.start, low), end=min(part.end, high), cause=part.cause
        )
        for part in outage.excluded
        if min(part.end, high) > max(part.start, low)
    )
    return Outage(start=low, end=high, reason=outage.reason, excluded=parts)
