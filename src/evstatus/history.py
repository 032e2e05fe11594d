"""A station's history: its state, stepped through its reports and platform events.

:class:`StationState` is immutable. :meth:`~evstatus.history.StationState.step` takes
one report or :class:`PlatformEvent` and returns a :class:`Step`: the new state
together with what happened (the transition made, the :class:`Anomaly` seen,
whether the station's view changed). A report costs the same whatever the
number of connectors the station has: the reports are held in a persistent
mapping that shares all but one path with the state before.

The latest-report rule is the one :func:`evstatus.ocpp16.supersedes` states.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Final, TypeVar, cast

import attrs

from ._core import StationView, derive, flags
from ._enums import ChargePointStatus, DescribedEnum, describe
from ._errors import (
    check_bool,
    optional_utc,
    to_utc,
    wrong_type,
    wrong_value,
)
from ._frozen import FrozenMap, fast_constructor
from ._lenient import Repair, RepairKind, parse_lenient_ocpp16
from ._ocpp16 import ConnectorReport, connector_zero_forbidden
from ._payload import is_int
from ._persistent import PersistentMap
from ._timestamps import ZERO_TIME, format_timestamp
from .exceptions import InvalidReport
from .rules import CONNECTOR_ZERO_TRANSITION_BY_PAIR, TRANSITION_BY_PAIR, Transition

__all__ = [
    "DEFAULT_CLOCK_RULES",
    "DEFAULT_HEARTBEAT_TOLERANCE",
    "KEPT_ANOMALIES",
    "ZERO_TIME",
    "Anomaly",
    "AnomalyKind",
    "ClockRules",
    "PlatformEvent",
    "StationState",
    "Step",
    "is_online",
]

KEPT_ANOMALIES: Final = 20
"""How many of its most recent anomalies a :class:`StationState` keeps in full.

Older ones are still counted in ``anomaly_counts``; keeping them all would let a
misbehaving station grow the state without bound.
"""

DEFAULT_HEARTBEAT_TOLERANCE: Final = 2.0
"""How many heartbeat intervals of silence a station is allowed before it is offline.

The default *tolerance* of :func:`~evstatus.history.is_online` and
:meth:`~evstatus.history.StationState.online`. Two intervals means one
heartbeat may go missing or arrive late (a busy link, a reconnect, the
station's timer drifting) before the station is called offline, while a
station that has really gone quiet is noticed within two intervals. That is
the usual choice of central systems; one interval would flap on every slightly
late heartbeat, three or more would hide outages for long.
"""


@attrs.frozen
class ClockRules:
    """How far a station's clock may be from the platform's before it is not trusted.

    They apply where the receive time of a report is known (``at=``): a
    report is never ordered later than it was received (it cannot have been
    sent after), and beyond these bounds its own timestamp is judged wrong,
    the report is ordered by its receive time instead and the clock is
    recorded as an anomaly. Where no receive time is known the report's own
    timestamp decides, as for :func:`~evstatus.ocpp16.derive_station`.
    """

    ahead_tolerance: timedelta = timedelta(minutes=5)
    """How much later than its receive time a report may be stamped before the
    clock counts as ahead. Clocks of chargers that are not synchronised drift
    by seconds to minutes; such a report is ordered by its receive time all the
    same, only the anomaly waits for a real gap."""
    behind_window: timedelta = timedelta(days=7)
    """How much earlier than its receive time a report may be stamped and still
    be trusted. A week covers reports a charger queued through an ordinary
    outage (a long weekend without network); a clock reset to 1970 or 2000 by a
    power loss, or to the firmware's build date, is far beyond it."""

    def __attrs_post_init__(self) -> None:
        for name in ("ahead_tolerance", "behind_window"):
            value: object = getattr(self, name)
            if not isinstance(value, timedelta):
                raise wrong_type(name, value, "a timedelta >= 0")
            if value < timedelta(0):
                raise wrong_value(name, value, "a timedelta >= 0")


DEFAULT_CLOCK_RULES: Final = ClockRules()
"""The clock rules a state steps by unless told otherwise."""


class PlatformEvent(DescribedEnum):
    """Something the platform, not a connector report, tells about a station."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    HEARD = "heard"
    ENABLED = "enabled"
    DISABLED = "disabled"
    REMOVED = "removed"


describe(
    PlatformEvent,
    {
        PlatformEvent.CONNECTED: "The station opened its connection to the platform.",
        PlatformEvent.DISCONNECTED: "The station's connection closed or was lost.",
        PlatformEvent.HEARD: (
            "A heartbeat or any other message came in from the station."
        ),
        PlatformEvent.ENABLED: "An operator switched the station on, on the platform.",
        PlatformEvent.DISABLED: (
            "An operator switched the station off, on the platform."
        ),
        PlatformEvent.REMOVED: "The station was taken off the platform for good.",
    },
)


class AnomalyKind(DescribedEnum):
    """A way a station's stream of reports can go against what OCPP expects."""

    UNDEFINED_TRANSITION = "undefined_transition"
    LATE_DELIVERY = "late_delivery"
    DUPLICATE = "duplicate"
    CONNECTOR_ZERO_STATUS = "connector_zero_status"
    CLOCK_AHEAD = "clock_ahead"
    CLOCK_BEHIND = "clock_behind"
    CLOCK_UNSET = "clock_unset"

    @property
    def template(self) -> str:
        """How an anomaly of this kind is told in one line (see ``Anomaly.__str__``)."""
        return _ANOMALY_TEMPLATES[self]


describe(
    AnomalyKind,
    {
        AnomalyKind.UNDEFINED_TRANSITION: (
            "A change of state OCPP 1.6 does not define; the new state is kept."
        ),
        AnomalyKind.LATE_DELIVERY: (
            "A report older than the one already held; it is ignored."
        ),
        AnomalyKind.DUPLICATE: (
            "The very report already held, sent again; nothing changes."
        ),
        AnomalyKind.CONNECTOR_ZERO_STATUS: (
            "Connector 0 reported a state only other connectors may have; ignored."
        ),
        AnomalyKind.CLOCK_AHEAD: (
            "Stamped later than it was received; ordered by its receive time."
        ),
        AnomalyKind.CLOCK_BEHIND: (
            "Stamped implausibly long before it was received; ordered by its "
            "receive time."
        ),
        AnomalyKind.CLOCK_UNSET: (
            "Stamped with the zero time of a station without a clock; read as "
            "no timestamp."
        ),
    },
)

#: One line per kind, filled in with the anomaly's fields.
_ANOMALY_TEMPLATES: Final[Mapping[AnomalyKind, str]] = FrozenMap(
    {
        AnomalyKind.UNDEFINED_TRANSITION: "undefined transition {previous} -> {status}",
        AnomalyKind.LATE_DELIVERY: "late {status} report ignored (holding {previous})",
        AnomalyKind.DUPLICATE: "duplicate {status} report",
        AnomalyKind.CONNECTOR_ZERO_STATUS: (
            "status {status} is not allowed on connector 0; ignored "
            "(holding {previous})"
        ),
        AnomalyKind.CLOCK_AHEAD: (
            "{status} stamped {timestamp}, received {at}: the station's clock is "
            "ahead; ordered by the receive time"
        ),
        AnomalyKind.CLOCK_BEHIND: (
            "{status} stamped {timestamp}, received {at}: the station's clock is "
            "behind; ordered by the receive time"
        ),
        AnomalyKind.CLOCK_UNSET: (
            "{status} stamped with the zero time {timestamp}: read as no timestamp"
        ),
    }
)


@attrs.frozen(kw_only=True)
class Anomaly:
    """One anomaly seen while stepping through a station's stream."""

    kind: AnomalyKind
    connector_id: int
    status: ChargePointStatus
    """The state the offending report gave."""
    previous: ChargePointStatus | None = None
    """The state the connector held before it, if any."""
    timestamp: datetime | None = None
    """The offending report's own timestamp, if it had one."""
    at: datetime | None = None
    """When the platform received the report, if known."""

    def __str__(self) -> str:
        what = self.kind.template.format(
            status=self.status,
            previous="nothing" if self.previous is None else self.previous,
            timestamp="-"
            if self.timestamp is None
            else format_timestamp(self.timestamp),
            at="-" if self.at is None else format_timestamp(self.at),
        )
        return f"connector {self.connector_id}: {what}"


_NO_REPORTS: Final[PersistentMap[int, ConnectorReport]] = PersistentMap()
_NO_COUNTS: Final[Mapping[AnomalyKind, int]] = FrozenMap()
_NO_REPAIRS: Final[Mapping[RepairKind, int]] = FrozenMap()
_NO_TIMES: Final[PersistentMap[int, datetime | None]] = PersistentMap()


@attrs.frozen(kw_only=True)
class StationState:
    """What is known about one station after some stream of reports and events.

    Immutable: :meth:`~evstatus.history.StationState.step` returns a new state and
    leaves this one alone. A new state has heard nothing: no reports, not connected,
    enabled and not removed. Whatever is passed in is checked and copied.

    >>> from evstatus import ConnectorReport, PlatformEvent, StationState
    >>> from evstatus import ChargePointStatus as S
    >>> state = StationState().apply(PlatformEvent.CONNECTED)
    >>> step = state.step(ConnectorReport(connector_id=1, status=S.CHARGING))
    >>> step.changed, step.state.view().status
    (True, <StationStatus.CHARGING: 'Charging'>)
    >>> step.state.apply(PlatformEvent.DISABLED).view().status
    <StationStatus.INOPERATIVE: 'Inoperative'>
    """

    reports: Mapping[int, ConnectorReport] = attrs.field(
        default=_NO_REPORTS, hash=False, repr=lambda m: repr(dict(m))
    )
    """The report that counts for each connector id (see
    :meth:`~evstatus.history.StationState.step`)."""
    enabled: bool = True
    """False after ``PlatformEvent.DISABLED``, until ENABLED."""
    removed: bool = False
    """True for good after ``PlatformEvent.REMOVED``."""
    connected: bool = False
    """Whether the station's connection is up: it was heard from since it last
    disconnected."""
    last_heard: datetime | None = None
    """The latest receive time of anything heard from the station, if known (UTC)."""
    anomaly_counts: Mapping[AnomalyKind, int] = attrs.field(
        default=_NO_COUNTS, hash=False
    )
    """How many anomalies of each kind were seen (kinds never seen are left out)."""
    recent_anomalies: tuple[Anomaly, ...] = ()
    """The latest :data:`~evstatus.history.KEPT_ANOMALIES` anomalies, oldest first."""
    repair_counts: Mapping[RepairKind, int] = attrs.field(
        default=_NO_REPAIRS, hash=False
    )
    """How many repairs of each kind lenient parsing made to this station's
    payloads (see :meth:`~evstatus.history.StationState.step_ocpp`); kinds
    never seen are left out."""
    order_times: Mapping[int, datetime | None] = attrs.field(
        default=_NO_TIMES, hash=False, repr=lambda m: repr(dict(m))
    )
    """For a held report ordered by something other than its own timestamp
    (a wrong clock, the zero time): the time it is ordered by, or None. Every
    other held report is ordered by its own timestamp."""

    def __attrs_post_init__(self) -> None:
        # Only a caller's state comes through here; the steps build theirs
        # with _make from values already checked.
        setter = object.__setattr__
        setter(self, "reports", _checked_reports(self.reports))
        check_bool("enabled", self.enabled)
        check_bool("removed", self.removed)
        check_bool("connected", self.connected)
        setter(self, "last_heard", optional_utc("last_heard", self.last_heard))
        setter(
            self,
            "anomaly_counts",
            _checked_counts(self.anomaly_counts, AnomalyKind, "anomaly_counts"),
        )
        setter(self, "recent_anomalies", _checked_anomalies(self.recent_anomalies))
        setter(
            self,
            "repair_counts",
            _checked_counts(self.repair_counts, RepairKind, "repair_counts"),
        )
        setter(self, "order_times", _checked_times(self.order_times, self.reports))

    @property
    def anomaly_count(self) -> int:
        """How many anomalies were seen in all."""
        return sum(self.anomaly_counts.values())

    def step(
        self,
        item: ConnectorReport | PlatformEvent,
        *,
        at: datetime | None = None,
        clock: ClockRules = DEFAULT_CLOCK_RULES,
    ) -> Step:
        """Take *item*, received (or observed) at *at* if known; say what happened.

        A report, like any message, counts as hearing from the station, even
        one that is then ignored. Each report is ordered by a time: its own
        timestamp, except that the zero time counts as none and, where *at*
        is known, a report is never ordered later than it was received, and
        one stamped beyond *clock*'s bounds is ordered by *at* (see
        :class:`~evstatus.history.ClockRules`; the wrong clock is recorded
        as an anomaly).
        Then, for a report of a connector, in order:

        - one ordered strictly before the report held (both with a time) is a
          late delivery: recorded as an anomaly, not taken;
        - one equal to the report held is a duplicate: recorded, not taken;
        - otherwise it is taken; a change of state that the OCPP 1.6 machine
          (:data:`evstatus.rules.TRANSITIONS`) does not define is recorded as
          an undefined transition, and taken all the same.
        """
        moment = optional_utc("at", at)
        if type(item) is ConnectorReport or isinstance(item, ConnectorReport):
            if type(clock) is not ClockRules:
                raise wrong_type("clock", clock, "a ClockRules")
            return self._step_report(item, moment, clock, ())
        if isinstance(item, PlatformEvent):
            return self._step_event(item, moment)
        raise wrong_type("item", item, "a ConnectorReport or a PlatformEvent member")

    def step_ocpp(
        self,
        payload: object,
        *,
        at: datetime | None = None,
        clock: ClockRules = DEFAULT_CLOCK_RULES,
        lenient: bool = False,
    ) -> Step:
        """Parse a StatusNotification payload and take it, received at *at*.

        A payload whose only fault is a state connector 0 may not report is
        recorded as an anomaly (and as hearing from the station) instead of
        being refused; any other bad payload raises :class:`InvalidReport`
        and changes nothing. With *lenient*, the payload is read by
        :func:`evstatus.ocpp16.parse_lenient`: what it repairs is in the
        step's ``repairs`` and counted in the state's ``repair_counts``.
        """
        moment = optional_utc("at", at)
        if type(clock) is not ClockRules:
            raise wrong_type("clock", clock, "a ClockRules")
        repairs: tuple[Repair, ...] = ()
        try:
            if check_bool("lenient", lenient):
                parsed = parse_lenient_ocpp16(payload)
                report, repairs = parsed.report, parsed.repairs
            else:
                report = ConnectorReport.from_ocpp(payload)
        except InvalidReport:
            forbidden = connector_zero_forbidden(payload)
            if forbidden is None:
                raise
            status, timestamp = forbidden
            held = self.reports.get(0)
            anomaly = Anomaly(
                kind=AnomalyKind.CONNECTOR_ZERO_STATUS,
                connector_id=0,
                status=status,
                previous=None if held is None else held.status,
                timestamp=timestamp,
                at=moment,
            )
            state = _noting(_hearing(self, moment), (anomaly,))
            return Step(
                state=state,
                before=self,
                item=None,
                anomalies=(anomaly,),
                changed=not self.connected,
            )
        return self._step_report(report, moment, clock, repairs)

    def apply(
        self, item: ConnectorReport | PlatformEvent, *, at: datetime | None = None
    ) -> StationState:
        """Return ``step(item, at=at).state``: the state after *item*."""
        return self.step(item, at=at).state

    def apply_ocpp(
        self, payload: object, *, at: datetime | None = None
    ) -> StationState:
        """Return ``step_ocpp(payload, at=at).state``."""
        return self.step_ocpp(payload, at=at).state

    def apply_all(
        self, items: Iterable[ConnectorReport | PlatformEvent]
    ) -> StationState:
        """Return the state after stepping through each of *items*, times unknown."""
        state = self
        for item in items:
            state = state.step(item).state
        return state

    def online(
        self,
        *,
        now: datetime | None = None,
        heartbeat_interval: timedelta | None = None,
        tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
    ) -> bool:
        """Whether the station counts as online.

        It must be connected. If a *heartbeat_interval* is given, *now* must be
        too, and a station whose last receive time is known must also pass
        :func:`~evstatus.history.is_online`; with no receive time known the connection
        alone decides.
        """
        if heartbeat_interval is None:
            return self.connected
        if now is None:
            raise TypeError(
                "now: missing, expected a datetime, since heartbeat_interval is given"
            )
        if self.last_heard is None:
            _check_heartbeat(now, heartbeat_interval, tolerance)
            return self.connected
        return self.connected and is_online(
            self.last_heard,
            now,
            heartbeat_interval=heartbeat_interval,
            tolerance=tolerance,
        )

    def view(
        self,
        *,
        now: datetime | None = None,
        heartbeat_interval: timedelta | None = None,
        tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
    ) -> StationView[int]:
        """Derive the station's view from this state.

        See :meth:`~evstatus.history.StationState.online` for how ``now`` and the
        heartbeat decide whether the station counts as online.
        """
        online = self.online(
            now=now, heartbeat_interval=heartbeat_interval, tolerance=tolerance
        )
        main = None
        states: dict[int, ChargePointStatus] = {}
        for connector_id, report in self.reports.items():
            if connector_id:
                states[connector_id] = report.status
            else:
                main = report.status
        return derive(states, main, flags(online, self.enabled, self.removed))

    def _step_report(
        self,
        report: ConnectorReport,
        at: datetime | None,
        clock: ClockRules,
        repairs: tuple[Repair, ...],
    ) -> Step:
        # The hot path of Fleet.read: one new state per report, built directly.
        reports = cast("PersistentMap[int, ConnectorReport]", self.reports)
        order_times = cast("PersistentMap[int, datetime | None]", self.order_times)
        connector_id = report.connector_id
        held = reports.get(connector_id)
        previous = held_order = None
        if held is not None:
            previous = held.status
            held_order = (
                order_times.get(connector_id, held.timestamp)
                if order_times
                else held.timestamp
            )
        order, kinds, taken, transition = _judge(report, held, held_order, at, clock)
        last = self.last_heard
        if at is not None and (last is None or at > last):
            last = at
        if taken:
            reports = reports.set(connector_id, report)
            if order != report.timestamp or connector_id in order_times:
                order_times = order_times.set(connector_id, order)
        state = _make(
            reports,
            self.enabled,
            self.removed,
            True,  # noqa: FBT003  (hearing from a station means it is connected)
            last,
            self.anomaly_counts,
            self.recent_anomalies,
            _counted(self.repair_counts, repairs) if repairs else self.repair_counts,
            order_times,
        )
        anomalies: tuple[Anomaly, ...] = ()
        if kinds:
            anomalies = _anomalies(kinds, report, previous, at)
            state = _noting(state, anomalies)
        changed = not self.connected or (taken and report.status is not previous)
        return _make_step(
            state,
            self,
            report,
            taken,
            previous,
            transition,
            anomalies,
            changed,
            repairs,
        )

    def _step_event(self, event: PlatformEvent, at: datetime | None) -> Step:
        effect = _EVENT_EFFECTS.get(event)
        if effect is None:
            # CONNECTED or HEARD
            state = _hearing(self, at)
            changed = not self.connected
        else:
            name, value = effect
            state = _rebuild(self, **{name: value})
            changed = getattr(self, name) is not value
        return Step(state=state, before=self, item=event, changed=changed)


#: What each platform event other than CONNECTED and HEARD (which count as
#: hearing from the station) does to a state: the flag it sets, and to what.
_EVENT_EFFECTS: Final[Mapping[PlatformEvent, tuple[str, bool]]] = {
    PlatformEvent.DISCONNECTED: ("connected", False),
    PlatformEvent.ENABLED: ("enabled", True),
    PlatformEvent.DISABLED: ("enabled", False),
    PlatformEvent.REMOVED: ("removed", True),
}


@attrs.frozen(kw_only=True)
class Step:
    """What one report or event did to a station: the new state and what happened."""

    state: StationState
    """The state after the item."""
    before: StationState = attrs.field(repr=False)
    """The state before it."""
    item: ConnectorReport | PlatformEvent | None
    """The report or event taken in; None for a payload refused as a connector-0
    anomaly (see :meth:`~evstatus.history.StationState.step_ocpp`)."""
    taken: bool = False
    """Whether the item was a report that now counts for its connector."""
    previous: ChargePointStatus | None = None
    """For a report: the state its connector held before, if any."""
    transition: Transition | None = None
    """For a report taken: the OCPP 1.6 transition it made, if it changed the
    connector's state by one the machine defines."""
    anomalies: tuple[Anomaly, ...] = ()
    """The anomalies the item caused, in the order found (a report can show a
    wrong clock and make an undefined transition at once)."""
    changed: bool = False
    """Whether the station's view (see :meth:`~evstatus.history.StationState.view`,
    online by the connection alone) differs from the one before: a flag, the connection,
    or a connector's state changed."""
    repairs: tuple[Repair, ...] = ()
    """What lenient parsing repaired in the payload (see
    :meth:`~evstatus.history.StationState.step_ocpp`)."""

    @property
    def anomaly(self) -> Anomaly | None:
        """The last of :attr:`~evstatus.history.Step.anomalies`, if any."""
        return self.anomalies[-1] if self.anomalies else None


_make: Final = fast_constructor(StationState)
_make_step: Final = fast_constructor(Step)
_FIELD_NAMES: Final = tuple(field.name for field in attrs.fields(StationState))


def _rebuild(state: StationState, **changes: object) -> StationState:
    return _make(
        *(
            changes[name] if name in changes else getattr(state, name)
            for name in _FIELD_NAMES
        )
    )


def _hearing(state: StationState, at: datetime | None) -> StationState:
    last = state.last_heard
    if at is not None and (last is None or at > last):
        last = at
    if state.connected and last is state.last_heard:
        return state
    return _rebuild(state, connected=True, last_heard=last)


_Kind = TypeVar("_Kind", AnomalyKind, RepairKind)


def _judge(  # noqa: C901  (every rule for a report, in the order they apply)
    report: ConnectorReport,
    held: ConnectorReport | None,
    held_order: datetime | None,
    at: datetime | None,
    clock: ClockRules,
) -> tuple[datetime | None, list[AnomalyKind], bool, Transition | None]:
    """Judge *report*, received at *at*, against *held*, ordered by *held_order*.

    Returns the time the report is ordered by, the anomalies it shows, whether
    it is taken, and the OCPP 1.6 transition it makes. This is the one place
    the rules of :meth:`StationState.step` for a report live: the immutable
    step and the replay's fold in place (:class:`_Tally`) both call it.
    """
    stamp = report.timestamp
    order = stamp
    kinds: list[AnomalyKind] = []
    if stamp is not None:
        if stamp.year == 1 and stamp == ZERO_TIME:
            kinds.append(AnomalyKind.CLOCK_UNSET)
            order = at
        elif at is not None:
            # A report cannot have been sent after it was received.
            if stamp > at:
                order = at
                if stamp - at > clock.ahead_tolerance:
                    kinds.append(AnomalyKind.CLOCK_AHEAD)
            elif at - stamp > clock.behind_window:
                order = at
                kinds.append(AnomalyKind.CLOCK_BEHIND)
    if held is None:
        return order, kinds, True, None
    previous = held.status
    if order is not None and held_order is not None and order < held_order:
        kinds.append(AnomalyKind.LATE_DELIVERY)
        return order, kinds, False, None
    if report.status is not previous:
        table = (
            CONNECTOR_ZERO_TRANSITION_BY_PAIR
            if report.connector_id == 0
            else TRANSITION_BY_PAIR
        )
        transition = table.get((previous, report.status))
        if transition is None:
            kinds.append(AnomalyKind.UNDEFINED_TRANSITION)
        return order, kinds, True, transition
    if report == held:
        # Most likely the transport delivering one message twice.
        kinds.append(AnomalyKind.DUPLICATE)
        return order, kinds, False, None
    return order, kinds, True, None


def _anomalies(
    kinds: list[AnomalyKind],
    report: ConnectorReport,
    previous: ChargePointStatus | None,
    at: datetime | None,
) -> tuple[Anomaly, ...]:
    return tuple(
        Anomaly(
            kind=kind,
            connector_id=report.connector_id,
            status=report.status,
            previous=previous,
            timestamp=report.timestamp,
            at=at,
        )
        for kind in kinds
    )


def _in_kind_order(
    counts: Mapping[_Kind, int], enum: type[_Kind]
) -> FrozenMap[_Kind, int]:
    # Counts are kept in the order of the enum, whatever order they came in.
    return FrozenMap({kind: counts[kind] for kind in enum if kind in counts})


def _kept(
    recent: tuple[Anomaly, ...], anomalies: tuple[Anomaly, ...]
) -> tuple[Anomaly, ...]:
    """Return the anomalies a state keeps in full: the latest KEPT_ANOMALIES."""
    return (*recent, *anomalies)[-KEPT_ANOMALIES:]


def _noting(state: StationState, anomalies: tuple[Anomaly, ...]) -> StationState:
    counts = dict(state.anomaly_counts)
    for anomaly in anomalies:
        counts[anomaly.kind] = counts.get(anomaly.kind, 0) + 1
    recent = _kept(state.recent_anomalies, anomalies)
    ordered = _in_kind_order(counts, AnomalyKind)
    return _rebuild(state, anomaly_counts=ordered, recent_anomalies=recent)


def _counted(
    counts: Mapping[RepairKind, int], repairs: tuple[Repair, ...]
) -> Mapping[RepairKind, int]:
    tally = dict(counts)
    for repair in repairs:
        tally[repair.kind] = tally.get(repair.kind, 0) + 1
    return _in_kind_order(tally, RepairKind)


class _Tally:  # pyright: ignore[reportUnusedClass]  (log.Fleet uses it)
    """A station's state, changed in place: how :meth:`Fleet.consume` folds a log.

    Building a new :class:`StationState` for every line is most of what a
    replay costs, and a replay keeps none of the states in between. So
    :meth:`evstatus.log.Fleet.consume` holds each station it reads as a tally,
    takes each line into it by the rules the steps use (:func:`_judge`,
    :data:`_EVENT_EFFECTS`), and freezes it into the very state the steps
    would have built whenever a state is asked for. Only the common lines come
    here (a report parsed, an event, a message heard); the others (a
    connector-0 report in a state it may not have, an event about a station
    never heard of) take the step, on a frozen state.
    """

    __slots__ = (
        "connected",
        "counts",
        "enabled",
        "last_heard",
        "order_times",
        "recent",
        "removed",
        "repairs",
        "reports",
    )

    def __init__(self, state: StationState) -> None:
        # Most tallies start from a new state, or one with nothing in most
        # fields: empty fields are not copied.
        self.reports = dict(state.reports.items()) if state.reports else {}
        self.order_times = dict(state.order_times.items()) if state.order_times else {}
        self.enabled = state.enabled
        self.removed = state.removed
        self.connected = state.connected
        self.last_heard = state.last_heard
        self.counts = dict(state.anomaly_counts) if state.anomaly_counts else {}
        # A tuple, as in the state: anomalies are rare, and a deque would
        # cost every station half a kilobyte.
        self.recent = state.recent_anomalies
        self.repairs = state.repair_counts

    def freeze(self) -> StationState:
        """Return the state this tally holds, as the steps would have built it."""
        counts = self.counts
        return _make(
            PersistentMap(self.reports),
            self.enabled,
            self.removed,
            self.connected,
            self.last_heard,
            _in_kind_order(counts, AnomalyKind) if counts else _NO_COUNTS,
            self.recent,
            self.repairs,
            PersistentMap(self.order_times) if self.order_times else _NO_TIMES,
        )

    def take(
        self,
        report: ConnectorReport,
        at: datetime | None,
        clock: ClockRules,
        repairs: tuple[Repair, ...],
    ) -> bool:
        """Take *report*, received at *at*, as :meth:`StationState.step` does.

        *repairs* are what lenient parsing repaired in its payload, counted
        as :meth:`StationState.step_ocpp` counts them. Returns whether the
        report now counts for its connector (the step's ``taken``).
        """
        if repairs:
            self.repairs = _counted(self.repairs, repairs)
        reports = self.reports
        connector_id = report.connector_id
        held = reports.get(connector_id)
        order_times = self.order_times
        held_order = None
        if held is not None:
            held_order = order_times.get(connector_id, held.timestamp)
        order, kinds, taken, _ = _judge(report, held, held_order, at, clock)
        # A report, taken or not, is hearing from the station.
        self.hear(at)
        if taken:
            reports[connector_id] = report
            if order != report.timestamp or connector_id in order_times:
                order_times[connector_id] = order
        if kinds:
            counts = self.counts
            anomalies = _anomalies(
                kinds, report, None if held is None else held.status, at
            )
            for anomaly in anomalies:
                counts[anomaly.kind] = counts.get(anomaly.kind, 0) + 1
            self.recent = _kept(self.recent, anomalies)
        return taken

    def hear(self, at: datetime | None) -> None:
        """Note that the station was heard from at *at*."""
        self.connected = True
        if at is not None:
            last = self.last_heard
            if last is None or at > last:
                self.last_heard = at

    def apply(self, event: PlatformEvent, at: datetime | None) -> None:
        """Take a platform event, as :meth:`StationState.step` does."""
        effect = _EVENT_EFFECTS.get(event)
        if effect is None:
            self.hear(at)
        else:
            setattr(self, *effect)


def _checked_reports(reports: object) -> PersistentMap[int, ConnectorReport]:
    if type(reports) is PersistentMap:
        # Immutable already; its entries were checked when it was built here.
        return cast("PersistentMap[int, ConnectorReport]", reports)
    if not isinstance(reports, Mapping):
        raise wrong_type("reports", reports, "a mapping of connector id to report")
    entries = cast("Mapping[object, object]", reports)
    for key, report in entries.items():
        if not isinstance(report, ConnectorReport):
            raise wrong_type(f"reports[{key!r}]", report, "a ConnectorReport")
        if not is_int(key) or key != report.connector_id:
            raise wrong_value(
                "reports",
                key,
                f"the key of each report to be its connector_id "
                f"({report.connector_id})",
            )
    return PersistentMap(cast("Mapping[int, ConnectorReport]", entries))


def _checked_counts(
    counts: object, enum: type[_Kind], name: str
) -> Mapping[_Kind, int]:
    expected = f"a mapping of {enum.__name__} to count"
    if not isinstance(counts, Mapping):
        raise wrong_type(name, counts, expected)
    entries = cast("Mapping[object, object]", counts)
    for kind, count in entries.items():
        if not isinstance(kind, enum):
            raise wrong_type(name, kind, f"{enum.__name__} members as keys")
        if not is_int(count):
            raise wrong_type(f"{name}[{kind.value}]", count, "an int >= 1")
        if count < 1:
            raise wrong_value(f"{name}[{kind.value}]", count, "an int >= 1")
    return FrozenMap(
        {kind: cast("int", entries[kind]) for kind in enum if kind in entries}
    )


def _checked_times(
    times: object, reports: Mapping[int, ConnectorReport]
) -> PersistentMap[int, datetime | None]:
    if type(times) is PersistentMap:
        return cast("PersistentMap[int, datetime | None]", times)
    if not isinstance(times, Mapping):
        raise wrong_type("order_times", times, "a mapping of connector id to time")
    entries = cast("Mapping[object, object]", times)
    checked: dict[int, datetime | None] = {}
    for key, moment in entries.items():
        if not is_int(key) or key not in reports:
            raise wrong_value(
                "order_times", key, "connector ids that have a report in reports"
            )
        checked[key] = optional_utc(f"order_times[{key}]", moment)
    return PersistentMap(checked)


def _checked_anomalies(anomalies: object) -> tuple[Anomaly, ...]:
    given: object = anomalies
    if not isinstance(given, Iterable) or isinstance(given, (str, Mapping)):
        raise wrong_type("recent_anomalies", anomalies, "a sequence of Anomaly")
    kept = tuple(cast("Iterable[object]", anomalies))
    for index, anomaly in enumerate(kept):
        if not isinstance(anomaly, Anomaly):
            raise wrong_type(f"recent_anomalies[{index}]", anomaly, "an Anomaly")
    return cast("tuple[Anomaly, ...]", kept[-KEPT_ANOMALIES:])


# --- online ----------------------------------------------------------------------


def is_online(
    last_heard: datetime | None,
    now: datetime,
    *,
    heartbeat_interval: timedelta,
    tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
) -> bool:
    """Whether a station last heard from at *last_heard* is still online at *now*.

    It is while no more than ``tolerance * heartbeat_interval`` has passed
    since anything (a heartbeat or any other message) was heard from it. Never
    heard from (``None``) is offline. A *last_heard* later than *now* (clocks
    of two machines, or a log read out of order) counts as just heard. Both
    instants are compared in UTC, whatever zones they are given in.

    *tolerance* must be at least 1: below that a station sending every
    heartbeat on time would be called offline between two of them.

    >>> from datetime import datetime, timedelta, UTC
    >>> heard = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    >>> every = timedelta(minutes=5)
    >>> is_online(heard, heard + timedelta(minutes=9), heartbeat_interval=every)
    True
    >>> is_online(heard, heard + timedelta(minutes=11), heartbeat_interval=every)
    False
    """
    last = optional_utc("last_heard", last_heard)
    current = _check_heartbeat(now, heartbeat_interval, tolerance)
    if last is None:
        return False
    try:
        allowed = heartbeat_interval * tolerance
    except OverflowError:
        # Longer than any datetime span: every gap is within it.
        return True
    return current - last <= allowed


def _check_heartbeat(
    now: object, heartbeat_interval: object, tolerance: object
) -> datetime:
    current = to_utc("now", now)
    if not isinstance(heartbeat_interval, timedelta):
        raise wrong_type(
            "heartbeat_interval", heartbeat_interval, "a positive timedelta"
        )
    if heartbeat_interval <= timedelta(0):
        raise wrong_value(
            "heartbeat_interval", heartbeat_interval, "a positive timedelta"
        )
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool):
        raise wrong_type("tolerance", tolerance, "a finite number >= 1")
    if not math.isfinite(tolerance) or tolerance < 1:
        raise wrong_value("tolerance", tolerance, "a finite number >= 1")
    return current
