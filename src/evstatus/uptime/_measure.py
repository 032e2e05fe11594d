"""Measuring: each port's outages over a period, with exclusions applied."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Final, cast

import attrs

from evstatus._enums import ChargePointStatus
from evstatus._errors import to_utc, wrong_type, wrong_value
from evstatus._timestamps import format_timestamp

from ._conditions import Condition
from ._exclusions import Exclusion, Part, excuse
from ._inventory import PortRecord, arrange_ports
from ._notice import Notice
from ._regimes import Cause, OutageReason, Regime, find_regime
from ._timeline import MICROSECOND, Timeline, minutes

YEAR_MINUTES: Final = 525_600
"""The minutes of 680.116(b)'s year: 365 days, even across a 29 February."""
_YEAR_MICROSECONDS: Final = YEAR_MINUTES * 60_000_000


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
class Segment:
    """A stretch of an outage with one reason and status."""

    reason: OutageReason
    status: str
    """The status that made it an outage
    (:attr:`evstatus.uptime.OutageReason.status`)."""
    start: datetime
    end: datetime

    @property
    def minutes(self) -> Fraction:
        """The length in minutes, exact."""
        return minutes(self.end - self.start)


@attrs.frozen(kw_only=True)
class Outage:
    """One continuous span in which a port was out, within the period.

    However many reasons it went through (a faulted port whose station then
    goes offline is one outage): they are its
    :attr:`evstatus.uptime.Outage.segments`.
    """

    start: datetime
    end: datetime
    segments: tuple[Segment, ...]
    """Its reasons one after another, covering ``[start, end)``."""
    excluded: tuple[ExcludedPart, ...] = ()
    began: datetime | None = None
    """When the outage began, if before the period (and so before
    its ``start``); None: at its ``start``."""

    @property
    def reason(self) -> OutageReason:
        """Why the port was out when the outage (within the period) began."""
        return self.segments[0].reason

    @property
    def status(self) -> str:
        """The status that made it an outage when it began."""
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
    """Where its count stopped: the period end, its station's removal or the
    end of the data, whichever comes first."""
    outages: tuple[Outage, ...]
    annual: bool = False
    """Whether the period is twelve calendar months, which takes 680.116(b)'s
    formula: a denominator of 525,600 minutes, and no figure for a port that
    does not count the whole of it."""
    complete: bool = True
    """Whether the port counts the whole period: in the log before it began,
    not removed, and with data to its end."""
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
        """The uptime in percent, exact; None where there is no figure.

        Over twelve calendar months
        (:attr:`evstatus.uptime.PortUptime.annual`), 680.116(b)'s
        ``(525,600 - (T_outage - T_excluded)) / 525,600 * 100``, and None
        unless the port counts the whole twelve months. Over any other period,
        evstatus's own ``(period - (outage - excluded)) / period * 100`` over
        the minutes the port counts; None without data.
        """
        # In whole microseconds, one exact division: the same fraction as in
        # minutes, without the cost of Fraction arithmetic per term.
        counted = (self.outage_time - self.excluded_time) // MICROSECOND
        if self.annual:
            if not self.complete or self.start is None:
                return None
            return Fraction(100 * (_YEAR_MICROSECONDS - counted), _YEAR_MICROSECONDS)
        period = self.period_time // MICROSECOND
        if not period:
            return None
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
    tz: tzinfo = UTC
    """The zone of the calendar: months, quarters and cap years."""
    data_end: datetime | None = None
    """Where the log's data ends (:attr:`evstatus.uptime.Timeline.data_end`)."""


def uptime(
    timeline: Timeline,
    start: datetime,
    end: datetime,
    *,
    regime: Regime | str = "nevi",
    exclusions: Sequence[Exclusion] = (),
    tz: tzinfo = UTC,
    ports: Sequence[PortRecord] | None = None,
) -> Uptime:
    """Measure every port of *timeline* over ``[start, end)``.

    *tz* is the zone of the calendar: whether the period is twelve calendar
    months (680.116(b)'s annual figure), and the years of yearly caps.
    Exclusions whose cause the regime does not accept, or that name a station or
    port the log never mentions, are listed in the result's warnings; so is a
    period that reaches past the end of the log's data, whose time there no
    port counts.

    With *ports*, an inventory (:func:`evstatus.uptime.read_inventory`), every
    port it lists is measured too: one the log never names has no data. A port
    of the log it does not list is measured, with a warning.
    """
    chosen = find_regime(regime)
    zone = check_zone(tz)
    start, end = _period(start, end)
    logged = timeline.ports()
    arranged, notices = arrange_ports(logged, ports)
    known = set(logged)
    warnings = [*notices, *_check_exclusions(timeline, exclusions, chosen)]
    data_end = timeline.data_end
    notice = _data_notice(data_end, start, end)
    if notice is not None:
        warnings.insert(0, notice)
    annual = is_twelve_months(start, end, zone)
    by_station: dict[str, list[Exclusion]] = {}
    for exclusion in exclusions:
        if exclusion.cause in chosen.causes:
            by_station.setdefault(exclusion.station, []).append(exclusion)
    tails: dict[str, tuple[datetime, dict[int, Condition]] | None] = {}
    measured: list[PortUptime] = []
    for station, connector_id, record in arranged:
        if (station, connector_id) not in known:
            # Inventoried, never in the log: listed, with no data.
            measured.append(
                PortUptime(
                    station=station,
                    connector_id=connector_id,
                    start=None,
                    end=None,
                    outages=(),
                    annual=annual,
                    complete=False,
                    inventory=record,
                )
            )
            continue
        if station not in tails:
            tails[station] = timeline._silent_tail(station)  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
        port = _port_uptime(
            timeline,
            (station, connector_id),
            (start, end),
            chosen,
            by_station.get(station, ()),
            zone,
            tails[station],
            annual,
        )
        measured.append(
            port if record is None else attrs.evolve(port, inventory=record)
        )
    return Uptime(
        start=start,
        end=end,
        regime=chosen,
        ports=tuple(measured),
        warnings=tuple(warnings),
        tz=zone,
        data_end=data_end,
    )


def check_zone(tz: object) -> tzinfo:
    """Return *tz* if it is a time zone (a ``tzinfo``); raise saying why not."""
    if not isinstance(tz, tzinfo):
        raise wrong_type("tz", tz, "a tzinfo, such as zoneinfo.ZoneInfo('UTC')")
    return tz


def is_twelve_months(start: datetime, end: datetime, tz: tzinfo) -> bool:
    """Whether ``[start, end)`` is twelve calendar months in *tz*: 680.116(b)'s year."""
    local = start.astimezone(tz)
    if (local.day, local.hour, local.minute, local.second, local.microsecond) != (
        1,
        0,
        0,
        0,
        0,
    ) or local.year >= 9999:
        return False
    after = datetime(local.year + 1, local.month, 1, tzinfo=tz)
    return after.astimezone(UTC) == end


def _period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    to_utc("start", start)
    to_utc("end", end)
    if end <= start:
        raise wrong_value("end", end, f"a time after start ({start.isoformat()})")
    return start.astimezone(UTC), end.astimezone(UTC)


def _data_notice(
    data_end: datetime | None, start: datetime, end: datetime
) -> Notice | None:
    if data_end is None:
        return Notice(line=None, message="the log has no data: no port counts")
    if data_end >= end:
        return None
    when = format_timestamp(data_end)
    if data_end <= start:
        message = (
            f"the log's data ends at {when}, before the period begins: "
            "no port counts in it (no data is no data, not uptime)"
        )
    else:
        message = (
            f"the log's data ends at {when}, before the period ends: "
            "the time after it is not counted (no data)"
        )
    return Notice(line=None, message=message)


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


# An outage of the whole history: start, end, its segments as (reason, start, end).
_Span = tuple[datetime, datetime, list[tuple[OutageReason, datetime, datetime]]]


def _port_uptime(  # noqa: PLR0917  (the private worker of uptime)
    timeline: Timeline,
    port: tuple[str, int],
    period: tuple[datetime, datetime],
    regime: Regime,
    exclusions: Sequence[Exclusion],
    tz: tzinfo,
    tail: tuple[datetime, dict[int, Condition]] | None,
    annual: bool,
) -> PortUptime:
    station, connector_id = port
    start, end = period
    runs = timeline._runs(station, connector_id)  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
    first = runs.starts[0]
    counted_start = start if first <= start else first.astimezone(UTC)
    counted_end = end
    if runs.conditions[-1] is None and runs.starts[-1] < counted_end:
        # Removed (for good, so the last run) within the period.
        counted_end = runs.starts[-1].astimezone(UTC)
    data_end = timeline.data_end
    if data_end is not None and data_end < counted_end:
        counted_end = data_end
    complete = counted_start == start and counted_end == end
    if counted_end <= counted_start:
        return PortUptime(
            station=station,
            connector_id=connector_id,
            start=None,
            end=None,
            outages=(),
            annual=annual,
            complete=False,
        )
    # The proviso and the caps look back: the whole history up to the end of
    # the period is measured, and only then cut to the period.
    silent = None
    if tail is not None and connector_id in tail[1]:
        silent = (tail[0], tail[1][connector_id])
    whole = _outage_spans(
        runs.starts,
        runs.conditions,
        range(len(runs.starts)) if not regime.suspended_evse_up else runs.outages,
        counted_end,
        silent,
        suspended_out=not regime.suspended_evse_up,
    )
    mine = [
        exclusion
        for exclusion in exclusions
        if exclusion.connector is None or exclusion.connector == connector_id
    ]
    excused = excuse([(s, e) for s, e, _ in whole], mine, regime, tz) if mine else None
    outages: list[Outage] = []
    for index, span in enumerate(whole):
        if span[1] <= counted_start:
            continue
        parts = excused[index] if excused is not None else []
        outages.append(_clipped(span, parts, counted_start))
    return PortUptime(
        station=station,
        connector_id=connector_id,
        start=counted_start,
        end=counted_end,
        outages=tuple(outages),
        annual=annual,
        complete=complete,
    )


_SUSPENDED: Final = ChargePointStatus.SUSPENDED_EVSE


def _outage_spans(
    starts: Sequence[datetime],
    conditions: Sequence[Condition | None],
    indexes: Sequence[int],
    until: datetime,
    silent: tuple[datetime, Condition] | None,
    *,
    suspended_out: bool,
) -> list[_Span]:
    """Each continuous span out, with its segments, up to *until*.

    *indexes* are the runs that may be outages: every run when the regime
    counts SuspendedEVSE as out (the fold counted it up), else only those
    the fold found out. *silent* is when the station fell silent at the
    data's end, and the port's condition from then on.
    """
    spans: list[_Span] = []
    limit = until if silent is None else min(until, silent[0])
    last = len(starts) - 1
    previous = -2
    for index in indexes:
        begin = starts[index]
        if begin >= limit:
            break
        condition = conditions[index]
        reason = None if condition is None else condition[4]
        if (
            reason is None
            and suspended_out
            and condition is not None
            and condition[0] is _SUSPENDED
        ):
            reason = OutageReason.SUSPENDED_EVSE
        if reason is None:
            continue
        stop = min(starts[index + 1], limit) if index < last else limit
        _extend(spans, reason, begin, stop, joined=index == previous + 1)
        previous = index
    if silent is not None and silent[0] < until:
        # A station offline is out, whatever else: the reason is never None.
        reason = cast("OutageReason", silent[1][4])
        _extend(spans, reason, silent[0], until, joined=True)
    return spans


def _extend(
    spans: list[_Span],
    reason: OutageReason,
    begin: datetime,
    stop: datetime,
    *,
    joined: bool,
) -> None:
    if spans and joined and spans[-1][1] == begin:
        low, _, segments = spans[-1]
        if segments[-1][0] is reason:
            segments[-1] = (reason, segments[-1][1], stop)
        else:
            segments.append((reason, begin, stop))
        spans[-1] = (low, stop, segments)
    else:
        spans.append((begin, stop, [(reason, begin, stop)]))


def _clipped(span: _Span, parts: list[Part], low: datetime) -> Outage:
    """Return the outage *span* within the period, from *low* on."""
    start, end, segments = span
    return Outage(
        start=max(start, low).astimezone(UTC),
        end=end.astimezone(UTC),
        segments=tuple(
            Segment(
                reason=reason,
                status=reason.status,
                start=max(a, low).astimezone(UTC),
                end=b.astimezone(UTC),
            )
            for reason, a, b in segments
            if b > low
        ),
        excluded=tuple(
            ExcludedPart(
                start=max(a, low).astimezone(UTC), end=b.astimezone(UTC), cause=cause
            )
            for a, b, cause in parts
            if b > low
        ),
        began=start.astimezone(UTC) if start < low else None,
    )
