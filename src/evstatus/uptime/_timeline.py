"""The timeline: a log folded, line by line, into each port's runs of conditions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Final, cast

import attrs

from evstatus._enums import (
    ChargePointStatus,
    ChargingState,
    ConnectorStatus,
    StationStatus,
)
from evstatus._errors import check_bool, optional_utc, to_utc, wrong_type, wrong_value
from evstatus._fold import Item, Tally, take_entry, take_item
from evstatus._log import OCPP16, PROTOCOLS, Message, read_line
from evstatus._ocpp2 import ConnectorReport as Report2
from evstatus._ocpp16 import ConnectorReport
from evstatus._station import (
    DEFAULT_HEARTBEAT_TOLERANCE,
    check_heartbeat,
    check_tolerance,
)
from evstatus._timestamps import ZERO_TIME, format_timestamp
from evstatus.exceptions import InvalidReport
from evstatus.history import DEFAULT_CLOCK_RULES, StationState
from evstatus.rules import OCPP16_STATUS_BY_OCPP201, Reason

from ._conditions import Condition, StationConditions
from ._notice import Notice
from ._regimes import OutageReason


@attrs.frozen(kw_only=True)
class Interval:
    """One stretch ``[start, end)`` over which nothing about a port changed."""

    station: str
    connector_id: int
    start: datetime
    end: datetime
    ocpp_status: ChargePointStatus
    """The state the port itself last reported."""
    connector_status: ConnectorStatus
    """What a driver was shown for the port."""
    station_status: StationStatus
    reason: Reason
    """The station rule that decided ``station_status``."""
    outage: OutageReason | None
    """Why the port was not up, or None if it was up."""

    @property
    def up(self) -> bool:
        """Whether the port was up throughout."""
        return self.outage is None

    @property
    def minutes(self) -> Fraction:
        """The length in minutes, exact."""
        return minutes(self.end - self.start)


class Runs:
    """A port's conditions, each from a moment on; None once it left the count.

    Two flat lists rather than a list of pairs: a long log makes a million
    runs, and a million pairs would be a million objects for the cyclic garbage
    collector to walk again and again, which costs more than the fold itself.
    Datetimes and the shared condition tuples add nothing for it to track.
    ``outages`` indexes the runs that are outages, so that measuring a port
    looks at its outages only, not at every change of a busy port.
    """

    __slots__ = ("conditions", "outages", "starts")

    def __init__(self, moment: datetime, condition: Condition | None) -> None:
        self.starts = [moment]
        self.conditions = [condition]
        self.outages = [0] if condition is not None and condition[4] else []

    def push(self, moment: datetime, condition: Condition | None) -> None:
        conditions = self.conditions
        if conditions[-1] is condition:
            return
        if self.starts[-1] == moment:
            # Two changes at one instant: the later one is what held.
            self.starts.pop()
            conditions.pop()
            if self.outages and self.outages[-1] == len(conditions):
                self.outages.pop()
            if conditions and conditions[-1] is condition:
                return
        self.append(moment, condition)

    def append(self, moment: datetime, condition: Condition | None) -> None:
        if condition is not None and condition[4]:
            self.outages.append(len(self.starts))
        self.starts.append(moment)
        self.conditions.append(condition)


MICROSECOND: Final = timedelta(microseconds=1)
_MICROSECONDS_PER_MINUTE: Final = 60_000_000


def minutes(duration: timedelta) -> Fraction:
    """Return *duration* in minutes, exact to the microsecond."""
    return Fraction(duration // MICROSECOND, _MICROSECONDS_PER_MINUTE)


class _Station:
    """What a Timeline keeps of one station besides its state."""

    __slots__ = (
        "clock",
        "conditions",
        "latest",
        "pending",
        "ports",
        "silent",
        "tally",
    )

    def __init__(self, tally: Tally[int]) -> None:
        self.tally = tally
        """The station's state, folded in place (frozen on demand)."""
        self.ports: dict[int, Runs] = {}
        self.clock: datetime | None = None
        """The time of the station's latest change."""
        self.latest: datetime | None = None
        """The latest time of any of its lines, a change or not: where a
        change without a time of its own is counted from."""
        self.conditions = StationConditions()
        """Its ports' conditions: those met so far, and the facts of the last."""
        self.pending = False
        """Whether its state changed before any time was known for it."""
        self.silent = False
        """Whether its ports are in their offline conditions for its silence."""


@attrs.define(kw_only=True)
class Timeline:
    """A log folded, line by line, into each port's history of conditions.

    Feed it lines with :meth:`evstatus.uptime.Timeline.read` (or build it with
    :meth:`evstatus.uptime.Timeline.from_lines`), then ask for
    :meth:`evstatus.uptime.Timeline.intervals` or pass it to
    :func:`evstatus.uptime.uptime`. A line's time is its
    receive time, else the report's own timestamp; a line with neither takes
    the station's previous time, with a warning in
    :attr:`evstatus.uptime.Timeline.warnings`.

    With a *heartbeat_interval*, silence is downtime, by the rule
    ``evstatus replay --heartbeat-interval`` applies
    (:func:`evstatus.history.is_online`): a station not heard from (no line
    of its with a receive time that hears it) for longer than
    ``tolerance * heartbeat_interval`` is offline from then until it is heard
    again, or until the data ends. Without one, a station is online while
    connected, heard or not.

    The data ends at :attr:`evstatus.uptime.Timeline.data_end`, the latest
    time of any line; nothing is known after it, so no port counts there.

    With *lenient*, payloads are read by :func:`evstatus.ocpp16.parse_lenient`,
    as a lenient :class:`evstatus.log.Fleet` reads them: what it repairs is
    counted in the station's ``repair_counts``, and a payload it still
    refuses makes a bad line.
    """

    default_station: str = "default"
    """The station of lines that name none."""
    lenient: bool = attrs.field(
        default=False, validator=lambda _s, _a, v: check_bool("lenient", v)
    )
    """Whether payloads are read by :func:`evstatus.ocpp16.parse_lenient`."""
    protocol: str = attrs.field(
        default=OCPP16,
        validator=attrs.validators.in_(PROTOCOLS),
    )
    """The protocol of lines that name none (see
    :attr:`evstatus.log.FleetSettings.protocol`). An OCPP 2.0.1 / 2.1
    station's ports are its EVSEs, each up while one of its connectors is."""
    warnings: list[Notice] = attrs.field(factory=list[Notice])
    """What the lines read so far gave reason to warn about."""
    heartbeat_interval: timedelta | None = attrs.field(
        default=None, validator=lambda _s, _a, v: _check_interval(v)
    )
    """How often stations send a heartbeat; None: online by the connection alone."""
    tolerance: float = attrs.field(
        default=DEFAULT_HEARTBEAT_TOLERANCE,
        validator=lambda _s, _a, v: check_tolerance(v),
    )
    """How many heartbeat intervals of silence a station is allowed."""
    _stations: dict[str, _Station] = attrs.field(
        factory=dict[str, "_Station"], init=False
    )
    _data_end: datetime | None = attrs.field(default=None, init=False)

    @property
    def data_end(self) -> datetime | None:
        """The latest time of any line read, in UTC; None before any.

        A line's receive time, else its timestamp. No port counts after it.
        """
        end = self._data_end
        return None if end is None else end.astimezone(UTC)

    @property
    def _silence_limit(self) -> timedelta | None:
        interval = self.heartbeat_interval
        if interval is None:
            return None
        try:
            return interval * self.tolerance
        except OverflowError:
            # Longer than any span of datetimes: never silent for long enough.
            return None

    @classmethod
    def from_lines(
        cls,
        lines: Iterable[str],
        *,
        default_station: str = "default",
        lenient: bool = False,
        protocol: str = OCPP16,
        heartbeat_interval: timedelta | None = None,
        tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
    ) -> Timeline:
        """Fold every line; a bad line raises :class:`InvalidReport` naming it."""
        timeline = cls(
            default_station=default_station,
            lenient=lenient,
            protocol=protocol,
            heartbeat_interval=heartbeat_interval,
            tolerance=tolerance,
        )
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                timeline.read(line, number=number)
            except InvalidReport as error:
                raise InvalidReport(error.problems, what=f"line {number}") from None
        return timeline

    def read(self, line: str, *, number: int | None = None) -> None:
        """Fold one line; raise :class:`InvalidReport` (nothing changed) if bad."""
        station, received, kind, value = read_line(line, self.protocol)
        self._take(station, received, kind, value, number)

    def feed(self, station: str, item: Item, *, at: datetime | None = None) -> None:
        """Fold one item as :meth:`evstatus.log.Fleet.feed` takes it, received at *at*.

        *item* is what the fleet takes: a report (:class:`~evstatus.ConnectorReport`
        of OCPP 1.6 or of 2.0.1), a :class:`~evstatus.PlatformEvent`, an OCPP
        1.6 StatusNotification payload (a mapping), or a
        :class:`~evstatus.log.Message` (what :func:`~evstatus.log.read_log`
        gives for an OCPP 2.0.1 / 2.1 line); a payload is read leniently if
        the timeline is. It is taken by the same fold, and counted in the same
        way, as the log line that would carry it with that receive time:
        without *at*, at the report's own timestamp, else at the station's
        previous time, with a warning. A bad payload raises
        :class:`~evstatus.InvalidReport`, and an item of another type
        :class:`TypeError`; either way nothing changes.
        """
        if not isinstance(station, str):
            raise wrong_type("station", station, "a station id (str)")
        received = optional_utc("at", at)
        # A NotifyEvent or TransactionEvent may change what an EVSE stands
        # for without a report, as its line's kind says to read.
        kind = (
            _FED_EVENT
            if isinstance(item, Message)
            and item.protocol != OCPP16
            and item.action != "StatusNotification"
            else _FED
        )
        self._take(station, received, kind, item, None)

    def _take(  # noqa: C901, PLR0912, PLR0915  (the one body of read and feed)
        self,
        station: str | None,
        received: datetime | None,
        kind: str,
        value: object,
        number: int | None,
    ) -> None:
        """Fold what a line said, or an item (*kind* ``_FED``), into its station."""
        protocol = self.protocol
        if station is None:
            station = self.default_station
        stations = self._stations
        tracked = stations.get(station)
        tally = _new_tally(protocol) if tracked is None else tracked.tally
        spoken = tally.protocol
        connected, enabled, removed = tally.connected, tally.enabled, tally.removed
        # What silence needs of the state before the line, should the line
        # show the station silent for too long since it was last heard.
        heard = tally.last_heard
        main_before = tally.reports.get(0)
        # The station's state is folded in place by the fold's own dispatch of
        # a line, as Fleet.consume folds it; a bad line raises there, having
        # changed nothing (and made no station).
        report = None
        if kind in _FED_KINDS:
            took = take_item(tally, value, received, DEFAULT_CLOCK_RULES, self.lenient)
            if isinstance(took, ConnectorReport | Report2) and tally.taken:
                report = took
        elif kind != "skipped":
            report = take_entry(
                tally, kind, value, received, DEFAULT_CLOCK_RULES, self.lenient
            )
        if tracked is None:
            tracked = stations[station] = _Station(tally)
        taken = report is not None
        moment = received
        if moment is None and report is not None:
            # The zero time is no time (a clock never set), not year 1.
            stamp = report.timestamp
            moment = None if stamp == ZERO_TIME else stamp
        if moment is not None:
            latest = tracked.latest
            if latest is None or moment > latest:
                tracked.latest = moment
            end = self._data_end
            if end is None or moment > end:
                self._data_end = moment
        woken = self._follow_silence(
            tracked,
            heard,
            received,
            enabled,
            None if main_before is None else main_before.status,
        )
        flags_same = (
            tally.connected == connected
            and tally.enabled == enabled
            and tally.removed == removed
        )
        # An OCPP 2.0.1 / 2.1 message may change a charging state, and so
        # the state an EVSE stands for, without a report; or the protocol
        # changed, and with it the ports.
        other = kind in _OCPP2_KINDS or tally.protocol != spoken
        if (
            not taken
            and flags_same
            and not other
            and not woken
            and (moment is None or not tracked.pending)
        ):
            return
        # Most lines change one port's report and nothing else; _record then
        # looks the outcome up by that change alone.
        changed = (
            report.connector_id
            if report is not None and flags_same and tally.protocol == OCPP16
            else None
        )
        clock = tracked.clock
        if moment is None or (clock is not None and moment < clock):
            placed = self._place(tracked, moment, number)
            if placed is None:
                return
            moment = placed
        tracked.clock = moment
        tracked.pending = False
        if woken:
            tracked.conditions.forget()
            tracked.silent = False
        _record(tracked, tracked.tally, moment, changed)
        if tracked.silent:
            # The line did not hear the station (a message of the central
            # system's, a platform event): it is silent still.
            main = tally.reports.get(0)
            _silence(
                tracked, moment, tally.enabled, None if main is None else main.status
            )

    def _follow_silence(
        self,
        tracked: _Station,
        heard: datetime | None,
        received: datetime | None,
        enabled: bool,
        main: ChargePointStatus | None,
    ) -> bool:
        """Put a station silent since before this line offline; say if heard again.

        *heard*, *enabled* and *main* are the station's before the line.
        Returns whether the line heard a silent station, whose ports'
        conditions are then counted anew.
        """
        silent = self._silent_at(tracked, heard, received)
        if silent is not None:
            _silence(tracked, silent, enabled, main)
        return tracked.silent and tracked.tally.last_heard is not heard

    def _silent_from(
        self, tracked: _Station, heard: datetime | None
    ) -> datetime | None:
        """When a station last heard at *heard* falls silent; None: never.

        Silent for longer than the heartbeat rule allows, and no earlier
        than the station's clock (time already counted stays counted).
        """
        limit = self._silence_limit
        if limit is None or heard is None:
            return None
        try:
            silent = heard + limit
        except OverflowError:
            return None
        clock = tracked.clock
        return clock if clock is not None and clock > silent else silent

    def _silent_at(
        self, tracked: _Station, heard: datetime | None, received: datetime | None
    ) -> datetime | None:
        """Return when the station fell silent, if it did before *received*.

        A line received at *received* shows it silent for too long since it
        was *heard*; None if it does not.
        """
        if received is None or not tracked.ports:
            return None
        silent = self._silent_from(tracked, heard)
        return silent if silent is not None and silent < received else None

    def _silent_tail(
        self, station: str
    ) -> tuple[datetime, dict[int, Condition]] | None:
        """From when, and in which conditions, a station is silent at the data's end."""
        end = self._data_end
        tracked = self._stations[station]
        tally = tracked.tally
        silent = self._silent_from(tracked, tally.last_heard)
        if silent is None or end is None or silent >= end:
            return None
        main = tally.reports.get(0)
        conditions = silent_conditions(
            tracked, tally.enabled, None if main is None else main.status
        )
        return silent, conditions

    def _place(
        self, tracked: _Station, moment: datetime | None, number: int | None
    ) -> datetime | None:
        """Where a change without a usable time goes, with a warning; None: nowhere."""
        if moment is None:
            # Counted from the station's latest line with a time, a change or
            # not: no earlier, since the time up to that line is counted
            # already, in the state the station was then in.
            latest = tracked.latest
            if latest is None:
                tracked.pending = True
                tracked.conditions.forget()
                self.warnings.append(
                    Notice(
                        line=number,
                        message="no receive time or timestamp, and no earlier "
                        "time for the station; the change counts from the "
                        "station's next line with a time",
                    )
                )
                return None
            self.warnings.append(
                Notice(
                    line=number,
                    message="no receive time or timestamp; counted at the "
                    f"station's previous time, {format_timestamp(latest)}",
                )
            )
            return latest
        clock = cast("datetime", tracked.clock)
        message = (
            f"time {format_timestamp(moment)} is before the station's "
            f"previous time; counted at {format_timestamp(clock)}"
        )
        self.warnings.append(Notice(line=number, message=message))
        return clock

    @property
    def states(self) -> dict[str, StationState]:
        """Each station's state after the lines read so far, by station id."""
        return {
            station: tracked.tally.freeze()
            for station, tracked in self._stations.items()
        }

    def ports(self) -> list[tuple[str, int]]:
        """Every port seen in the log, as ``(station, connector_id)``, sorted."""
        return sorted(
            (station, connector_id)
            for station, tracked in self._stations.items()
            for connector_id in tracked.ports
        )

    def first_seen(self, station: str, connector_id: int) -> datetime:
        """When the port first appeared in the log, in UTC."""
        return self._runs(station, connector_id).starts[0].astimezone(UTC)

    def removed_at(self, station: str, connector_id: int) -> datetime | None:
        """When the port left the count with its station's removal, if it did."""
        # Removal is for good, so it can only be the last run.
        runs = self._runs(station, connector_id)
        if runs.conditions[-1] is not None:
            return None
        return runs.starts[-1].astimezone(UTC)

    def intervals(
        self, station: str, connector_id: int, *, until: datetime
    ) -> Iterator[Interval]:
        """Yield the port's intervals, in order, from its first appearance to *until*.

        The last known condition lasts until *until* or the end of the data
        (:attr:`evstatus.uptime.Timeline.data_end`), whichever comes first;
        with a heartbeat rule, a station silent for too long at the end of
        the data is offline from then. Nothing is given after a removal.
        """
        to_utc("until", until)
        runs = self._runs(station, connector_id)
        end = self._data_end
        if end is not None and end < until:
            until = end
        tail = self._silent_tail(station)
        silent = None
        if tail is not None and connector_id in tail[1]:
            silent = (tail[0], tail[1][connector_id])
        limit = until if silent is None else min(until, silent[0])
        starts = runs.starts
        for index, (start, condition) in enumerate(
            zip(starts, runs.conditions, strict=True)
        ):
            if condition is None or start >= limit:
                continue
            stop = starts[index + 1] if index + 1 < len(starts) else limit
            yield _interval(station, connector_id, start, min(stop, limit), condition)
        if silent is not None and silent[0] < until:
            yield _interval(station, connector_id, silent[0], until, silent[1])

    def _runs(self, station: str, connector_id: int) -> Runs:
        tracked = self._stations.get(station)
        runs = None if tracked is None else tracked.ports.get(connector_id)
        if runs is None:
            raise wrong_value(
                "connector_id",
                connector_id,
                f"a port of station {station!r} seen in the log",
            )
        return runs


def _interval(
    station: str,
    connector_id: int,
    start: datetime,
    end: datetime,
    condition: Condition,
) -> Interval:
    own, shown, status, reason, outage = condition
    return Interval(
        station=station,
        connector_id=connector_id,
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        ocpp_status=own,
        connector_status=shown,
        station_status=status,
        reason=reason,
        outage=outage,
    )


def _check_interval(value: object) -> None:
    if value is not None:
        # Checked as the heartbeat rule of replay checks it.
        check_heartbeat(datetime(2000, 1, 1, tzinfo=UTC), value, 1.0)


def silent_conditions(
    tracked: _Station, enabled: bool, main: ChargePointStatus | None
) -> dict[int, Condition]:
    """Each port's condition were its station offline, from its latest one."""
    ports = tracked.ports
    owns = [
        condition[0]
        for runs in ports.values()
        if (condition := runs.conditions[-1]) is not None
    ]
    if not owns:
        return {}
    conditions = tracked.conditions
    conditions.recount(enabled, False, main, owns)  # noqa: FBT003
    found = {
        connector_id: conditions.condition(condition[0])
        for connector_id, runs in ports.items()
        if (condition := runs.conditions[-1]) is not None
    }
    # The facts are those of a station offline, not of the station's state:
    # the next change counts them again.
    conditions.forget()
    return found


def _silence(
    tracked: _Station, moment: datetime, enabled: bool, main: ChargePointStatus | None
) -> None:
    """Put every port of a station silent since *moment* in its offline condition."""
    for connector_id, condition in silent_conditions(tracked, enabled, main).items():
        tracked.ports[connector_id].push(moment, condition)
    tracked.silent = True
    if tracked.clock is None or moment > tracked.clock:
        tracked.clock = moment


#: The kinds :meth:`Timeline.feed` gives its item, where a line's kind would
#: be: a NotifyEvent or TransactionEvent of OCPP 2.0.1 / 2.1, or any other.
_FED: Final = "fed item"
_FED_EVENT: Final = "fed event"
_FED_KINDS: Final = frozenset({_FED, _FED_EVENT})

_OCPP2_KINDS: Final = frozenset({"notify", "transaction", _FED_EVENT})

#: How much an EVSE's connector's state says for the EVSE: one that is up
#: under every regime, then SuspendedEVSE (up under some), then Unavailable,
#: then Faulted; among the first, the one that says most about its use.
_EVSE_RANK: Final[Mapping[ChargePointStatus, int]] = {
    status: rank
    for rank, status in enumerate(
        (
            ChargePointStatus.CHARGING,
            ChargePointStatus.SUSPENDED_EV,
            ChargePointStatus.FINISHING,
            ChargePointStatus.PREPARING,
            ChargePointStatus.RESERVED,
            ChargePointStatus.AVAILABLE,
            ChargePointStatus.SUSPENDED_EVSE,
            ChargePointStatus.UNAVAILABLE,
            ChargePointStatus.FAULTED,
        )
    )
}


def evse_states(
    reports: Mapping[tuple[int, int], Report2],
    charging: Mapping[int, ChargingState],
) -> dict[int, ChargePointStatus]:
    """Return the OCPP 1.6 state each EVSE stands for, as an uptime port.

    An OCPP 2.0.1 / 2.1 port is an EVSE, which may have several
    connectors. Each connector's status stands for an OCPP 1.6 state
    (refined by its EVSE's charging state); the EVSE's is the best of its
    connectors' by :data:`_EVSE_RANK`, so that an EVSE is up under any
    regime exactly when at least one of its connectors is.
    """
    best: dict[int, ChargePointStatus] = {}
    rank = _EVSE_RANK
    for (evse_id, _), report in reports.items():
        own = OCPP16_STATUS_BY_OCPP201[report.status, charging.get(evse_id)]
        held = best.get(evse_id)
        if held is None or rank[own] < rank[held]:
            best[evse_id] = own
    return best


def _record(
    tracked: _Station, state: Tally[int], moment: datetime, changed: int | None
) -> None:
    ports = tracked.ports
    reports = state.reports
    conditions = tracked.conditions
    if state.removed:
        conditions.forget()
        _remove(ports, _port_ids(state), moment)
        return
    if state.evse_reports:
        _record_evses(tracked, state, moment)
        return
    if changed and conditions.valid:
        # Only this port's report changed since the conditions were last
        # recorded: unless the station's status or its rule changed with it,
        # only this port's condition changes.
        own = reports[changed].status
        runs = ports.get(changed)
        before = None if runs is None else cast("Condition", runs.conditions[-1])[0]
        if before is own:
            return
        condition = conditions.change(before, own)
        if condition is not None:
            _advance(ports, changed, condition, moment)
            return
    else:
        main = reports.get(0)
        conditions.recount(
            state.enabled,
            state.connected,
            None if main is None else main.status,
            [report.status for connector_id, report in reports.items() if connector_id],
        )
    for connector_id, report in reports.items():
        if connector_id:
            _advance(ports, connector_id, conditions.condition(report.status), moment)


def _advance(
    ports: dict[int, Runs], connector_id: int, condition: Condition, moment: datetime
) -> None:
    runs = ports.get(connector_id)
    if runs is None:
        ports[connector_id] = Runs(moment, condition)
    elif runs.conditions[-1] is not condition:
        if runs.starts[-1] == moment:
            runs.push(moment, condition)
        else:
            runs.append(moment, condition)


def _record_evses(tracked: _Station, state: Tally[int], moment: datetime) -> None:
    """Record an OCPP 2.0.1 / 2.1 station: each EVSE a port.

    The station's status comes from every connector's state, as its view's
    does; each EVSE's condition from the state it stands for
    (:func:`evse_states`).
    """
    ports = tracked.ports
    conditions = tracked.conditions
    evse_reports = state.evse_reports
    charging = state.charging
    main = state.reports.get(0)
    conditions.recount(
        state.enabled,
        state.connected,
        None if main is None else main.status,
        [
            OCPP16_STATUS_BY_OCPP201[report.status, charging.get(key[0])]
            for key, report in evse_reports.items()
        ],
    )
    # Recounted at every change: the shortcut follows one port's change,
    # and an EVSE's state is not one connector's.
    conditions.forget()
    for evse_id, own in evse_states(evse_reports, charging).items():
        _advance(ports, evse_id, conditions.condition(own), moment)


def _new_tally(protocol: str) -> Tally[int]:
    """Return the tally of a station never heard of, which speaks *protocol*."""
    if protocol == OCPP16:
        return Tally.thaw()
    return Tally.thaw(StationState(protocol=protocol))


def _port_ids(state: Tally[int]) -> Iterable[int]:
    """Return a station's uptime ports: its connectors, or its EVSEs (2.0.1)."""
    if state.evse_reports:
        return sorted({evse_id for evse_id, _ in state.evse_reports})
    return state.reports


def _remove(ports: dict[int, Runs], reports: Iterable[int], moment: datetime) -> None:
    for connector_id in reports:
        if not connector_id:
            continue
        runs = ports.get(connector_id)
        if runs is None:
            ports[connector_id] = Runs(moment, None)
        else:
            runs.push(moment, None)
