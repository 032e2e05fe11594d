"""The fold of one station's stream: every rule for one item, in one place.

A station's state is folded in a :class:`Tally`, an accumulator changed in
place, which :meth:`Tally.freeze` turns into the immutable
:class:`StationState`. Everything that folds a station goes through it:

- :meth:`StationState.step`, on a tally over the state's own persistent
  maps, so that one step copies one path of them and never the whole, and
  :meth:`StationState.fold`, on a tally of its own dicts;
- :class:`evstatus.log.Fleet`, which holds the stations it consumes as
  tallies over plain dicts (:meth:`Tally.thaw`) and freezes them on demand;
- the uptime timeline.

The rules are those of :meth:`StationState.step`: :func:`judge` for a report
(clock, late delivery, duplicate, transition), :meth:`Tally.refuse` for a
state a port may not report, :data:`EVENT_EFFECTS` and :meth:`Tally.hear` for
platform events and hearing.

The engine knows nothing of a protocol's wire format. A station's ports are
keyed by any hashable id; a :class:`Ports` value says which port a report is
of and which transition a change of state makes there (:data:`OCPP16`: the
connector id, and the OCPP 1.6 machines of connectors and of connector 0).
:func:`take_ocpp16` reads an OCPP 1.6 StatusNotification payload into a
tally; another protocol adds its own reader and :class:`Ports`, not a fold.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Final, Generic, TypeAlias, TypeVar, cast

import attrs

from ._core import StationView, derive, flags
from ._enums import ChargePointStatus
from ._errors import check_bool, optional_utc, wrong_type, wrong_value
from ._frozen import FrozenMap, fast_constructor
from ._lenient import Repair, RepairKind, parse_lenient_ocpp16
from ._ocpp16 import ConnectorReport, connector_zero_forbidden, parse_payload
from ._payload import is_int
from ._persistent import PersistentMap
from ._station import (
    DEFAULT_CLOCK_RULES,
    DEFAULT_HEARTBEAT_TOLERANCE,
    KEPT_ANOMALIES,
    ZERO_TIME,
    Anomaly,
    AnomalyKind,
    ClockRules,
    PlatformEvent,
    check_heartbeat,
    is_online,
)
from .exceptions import InvalidReport
from .rules import (
    CONNECTOR_ZERO_TRANSITION_BY_PAIR,
    TRANSITION_BY_PAIR,
    Transition,
)

__all__ = [
    "EVENT_EFFECTS",
    "NEW",
    "OCPP16",
    "Item",
    "Ports",
    "StationState",
    "Step",
    "Tally",
    "judge",
    "take_entry",
    "take_item",
    "take_ocpp16",
]

Item = ConnectorReport | PlatformEvent | Mapping[str, object]
"""What a station's state takes one at a time: a report, a platform event, or
an OCPP 1.6 StatusNotification payload (parsed, then taken)."""

_K = TypeVar("_K")
_V = TypeVar("_V")
#: A port id: OCPP 1.6's connector id, (EVSE, connector) for OCPP 2.0.1.
_P = TypeVar("_P", bound=Hashable)


# --- what the engine knows of a protocol ---------------------------------------


@attrs.frozen
class Ports(Generic[_P]):
    """How the engine reads a protocol's reports: their port and transitions.

    *port* gives the id of the port a report is of (any hashable value).
    *transitions* are the transitions the protocol defines, by (state
    before, state after); *special* holds the tables of the ports that
    follow a machine of their own. The engine asks nothing else of a
    protocol: a report needs only ``status`` and ``timestamp`` besides.
    Tables rather than a function, since a change of state is looked up on
    most reports.
    """

    port: Callable[[ConnectorReport], _P]
    transitions: Mapping[tuple[ChargePointStatus, ChargePointStatus], Transition]
    special: Mapping[
        _P, Mapping[tuple[ChargePointStatus, ChargePointStatus], Transition]
    ]


OCPP16: Final[Ports[int]] = Ports(
    port=attrgetter("connector_id"),
    transitions=TRANSITION_BY_PAIR,
    # Connector 0, the main controller, has a reduced machine of its own.
    special={0: CONNECTOR_ZERO_TRANSITION_BY_PAIR},
)
"""OCPP 1.6: a port is a connector id; transitions are those of
:data:`evstatus.rules.TRANSITIONS`, and of
:data:`evstatus.rules.CONNECTOR_ZERO_TRANSITIONS` for connector 0."""


# --- the rules for one report ---------------------------------------------------


def judge(  # noqa: C901, PLR0917  (every rule for a report, in order)
    report: ConnectorReport,
    port: _P,
    held: ConnectorReport | None,
    held_order: datetime | None,
    at: datetime | None,
    clock: ClockRules,
    ports: Ports[_P],
) -> tuple[datetime | None, list[AnomalyKind], bool, Transition | None]:
    """Judge *report*, received at *at*, against *held*, ordered by *held_order*.

    Returns the time the report is ordered by (None: it has no time of its
    own, and neither blocks a later report nor is blocked), the anomalies it
    shows, whether it is taken, and the transition it makes at *port*.
    """
    stamp = report.timestamp
    order = stamp
    kinds: list[AnomalyKind] = []
    if stamp is not None:
        if stamp.year == 1 and stamp == ZERO_TIME:
            # No clock at all: the report is untimed, like one without a
            # timestamp. Ordering it by its receive time instead would let
            # it block every later report of a station whose clock lags.
            kinds.append(AnomalyKind.CLOCK_UNSET)
            order = None
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
    status = report.status
    if status is not previous:
        table = ports.special.get(port, ports.transitions)
        transition = table.get((previous, status))
        if transition is None:
            kinds.append(AnomalyKind.UNDEFINED_TRANSITION)
        return order, kinds, True, transition
    if report == held:
        # Most likely the transport delivering one message twice.
        kinds.append(AnomalyKind.DUPLICATE)
        return order, kinds, False, None
    return order, kinds, True, None


#: What each platform event other than CONNECTED and HEARD (which count as
#: hearing from the station) does to a state: the flag it sets, and to what.
EVENT_EFFECTS: Final[Mapping[PlatformEvent, tuple[str, bool]]] = {
    PlatformEvent.DISCONNECTED: ("connected", False),
    PlatformEvent.ENABLED: ("enabled", True),
    PlatformEvent.DISABLED: ("enabled", False),
    PlatformEvent.REMOVED: ("removed", True),
}

_Kind = TypeVar("_Kind", AnomalyKind, RepairKind)


def _in_kind_order(
    counts: Mapping[_Kind, int], enum: type[_Kind]
) -> FrozenMap[_Kind, int]:
    # Counts are kept in the order of the enum, whatever order they came in.
    return FrozenMap({kind: counts[kind] for kind in enum if kind in counts})


def _counted(
    counts: Mapping[RepairKind, int], repairs: tuple[Repair, ...]
) -> Mapping[RepairKind, int]:
    tally = dict(counts)
    for repair in repairs:
        tally[repair.kind] = tally.get(repair.kind, 0) + 1
    return _in_kind_order(tally, RepairKind)


# --- the accumulator ----------------------------------------------------------


#: Where a tally holds its reports and order times: dicts of its own, or a
#: state's persistent maps, each change a new map sharing all but one path
#: with the one before (so that the state keeps its own).
_Store: TypeAlias = dict[_K, _V] | PersistentMap[_K, _V]


class Tally(Generic[_P]):
    """A station's state, changed in place, item by item, by the rules of the steps.

    Build one with :meth:`thaw` (dicts of its own: the fastest to change, for
    a long fold), or over a state's persistent maps (as a step does: then a
    change copies one path of them), take items with :meth:`take` (a report),
    :meth:`refuse` (a state the port may not report), :meth:`apply` (a
    platform event) and :meth:`hear`, and :meth:`freeze` it into the
    :class:`StationState` the steps build.

    What the last report did is kept in ``taken``, ``previous``,
    ``transition``, ``anomalies`` and ``repaired`` (set by :meth:`take` and
    :meth:`refuse`, :func:`take_ocpp16` and :func:`take_item`), for a step to
    tell: kept, not returned, so that a long fold allocates nothing to say
    it.
    """

    __slots__ = (
        "anomalies",
        "connected",
        "counts",
        "enabled",
        "last_heard",
        "order_times",
        "ports",
        "previous",
        "recent",
        "removed",
        "repaired",
        "repairs",
        "reports",
        "taken",
        "transition",
    )

    reports: _Store[_P, ConnectorReport]
    """The report that counts for each port."""
    order_times: _Store[_P, datetime | None]
    """For a held report ordered by something other than its own timestamp:
    the time it is ordered by, or None (see ``StationState.order_times``)."""
    counts: Mapping[AnomalyKind, int]
    """Anomalies counted by kind: the state's own until the first new one,
    then a dict of this tally's."""
    taken: bool
    """Whether the last report now counts for its port."""
    previous: ChargePointStatus | None
    """The state the last report's port held before it, if any."""
    transition: Transition | None
    """The transition the last report made, if it was taken and changed its
    port's state by one the protocol defines."""
    anomalies: tuple[Anomaly, ...]
    """The anomalies the last report (or payload refused) showed."""
    repaired: tuple[Repair, ...]
    """What lenient parsing repaired in the last payload (see
    :func:`take_ocpp16`)."""

    def __init__(
        self,
        state: StationState,
        reports: _Store[_P, ConnectorReport],
        order_times: _Store[_P, datetime | None],
        ports: Ports[_P],
    ) -> None:
        self.reports = reports
        self.order_times = order_times
        self.ports = ports
        self.enabled = state.enabled
        self.removed = state.removed
        self.connected = state.connected
        self.last_heard = state.last_heard
        # Shared with the state until an anomaly is counted (see _note).
        self.counts = state.anomaly_counts
        # A tuple, as in the state: anomalies are rare, and a deque would
        # cost every station half a kilobyte.
        self.recent = state.recent_anomalies
        self.repairs = state.repair_counts
        # What the last item did (taken, previous, ...) is set by what takes
        # it: a step reads it, a long fold never does.

    @classmethod
    def thaw(cls, state: StationState | None = None) -> Tally[int]:
        """Return a tally of *state* (a new state if None) in dicts of its own.

        A state's ports are OCPP 1.6 connector ids (:data:`OCPP16`).
        """
        if state is None:
            return Tally(NEW, {}, {}, OCPP16)
        # Most tallies start from a new state, or one with nothing in most
        # fields: empty fields are not copied.
        return Tally(
            state,
            dict(state.reports.items()) if state.reports else {},
            dict(state.order_times.items()) if state.order_times else {},
            OCPP16,
        )

    def freeze(self) -> StationState:
        """Return the state this tally holds, as the steps would have built it."""
        reports = self.reports
        order_times = self.order_times
        counts = self.counts
        return _make(
            PersistentMap(reports) if type(reports) is dict else reports,
            self.enabled,
            self.removed,
            self.connected,
            self.last_heard,
            _in_kind_order(counts, AnomalyKind) if isinstance(counts, dict) else counts,
            self.recent,
            self.repairs,
            order_times
            if type(order_times) is not dict
            else PersistentMap(order_times)
            if order_times
            else _NO_TIMES,
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
        in the state's ``repair_counts``. Returns whether the report now
        counts for its port (also kept in ``taken``); what else it did is in
        ``previous``, ``transition`` and ``anomalies``.
        """
        if repairs:
            self.repairs = _counted(self.repairs, repairs)
        ports = self.ports
        port = ports.port(report)
        reports = self.reports
        held = reports.get(port)
        order_times = self.order_times
        previous = held_order = None
        if held is not None:
            previous = held.status
            held_order = (
                order_times.get(port, held.timestamp) if order_times else held.timestamp
            )
        order, kinds, taken, self.transition = judge(
            report, port, held, held_order, at, clock, ports
        )
        self.taken = taken
        self.previous = previous
        # A report, taken or not, is hearing from the station.
        self.hear(at)
        if taken:
            # type() rather than isinstance(): this runs once per report.
            if type(reports) is dict:
                reports[port] = report
            else:
                held_map = cast("PersistentMap[_P, ConnectorReport]", reports)
                self.reports = held_map.set(port, report)
            if order != report.timestamp or port in order_times:
                if type(order_times) is dict:
                    order_times[port] = order
                else:
                    times = cast("PersistentMap[_P, datetime | None]", order_times)
                    self.order_times = times.set(port, order)
        if not kinds:
            self.anomalies = ()
            return taken
        anomalies = self.anomalies = tuple(
            Anomaly(
                kind=kind,
                connector_id=cast("int", port),
                status=report.status,
                previous=previous,
                timestamp=report.timestamp,
                at=at,
            )
            for kind in kinds
        )
        self._note(anomalies)
        return taken

    def refuse(
        self,
        port: _P,
        status: ChargePointStatus,
        timestamp: datetime | None,
        at: datetime | None,
    ) -> Anomaly:
        """Note a report of *status*, a state *port* may not have, received at *at*.

        It is not taken: it counts as hearing from the station, and as a
        ``connector_zero_status`` anomaly, which is returned (and kept in
        ``anomalies``).
        """
        held = self.reports.get(port)
        anomaly = Anomaly(
            kind=AnomalyKind.CONNECTOR_ZERO_STATUS,
            connector_id=cast("int", port),
            status=status,
            previous=None if held is None else held.status,
            timestamp=timestamp,
            at=at,
        )
        self.hear(at)
        self.taken = False
        self.previous = self.transition = None
        self.anomalies, self.repaired = (anomaly,), ()
        self._note(self.anomalies)
        return anomaly

    def hear(self, at: datetime | None) -> None:
        """Note that the station was heard from at *at*."""
        self.connected = True
        if at is not None:
            last = self.last_heard
            if last is None or at > last:
                self.last_heard = at

    def apply(self, event: PlatformEvent, at: datetime | None) -> None:
        """Take a platform event, observed at *at*, as the steps do."""
        effect = EVENT_EFFECTS.get(event)
        if effect is None:
            # CONNECTED or HEARD
            self.hear(at)
        else:
            setattr(self, *effect)

    def _note(self, anomalies: tuple[Anomaly, ...]) -> None:
        counts = self.counts
        if not isinstance(counts, dict):
            counts = self.counts = dict(counts)
        for anomaly in anomalies:
            counts[anomaly.kind] = counts.get(anomaly.kind, 0) + 1
        # Only the latest are kept in full.
        self.recent = (*self.recent, *anomalies)[-KEPT_ANOMALIES:]


def take_ocpp16(
    tally: Tally[int],
    payload: object,
    at: datetime | None,
    clock: ClockRules,
    lenient: bool,
) -> ConnectorReport | None:
    """Take an OCPP 1.6 StatusNotification *payload* into *tally*; return its report.

    A payload whose only fault is a state connector 0 may not report is
    refused (:meth:`Tally.refuse`; None is returned); any other bad payload
    raises :class:`InvalidReport` and changes nothing. With *lenient*, the
    payload is read by :func:`evstatus.ocpp16.parse_lenient`.
    """
    repairs: tuple[Repair, ...] = ()
    try:
        if lenient:
            parsed = parse_lenient_ocpp16(payload)
            report, repairs = parsed.report, parsed.repairs
        else:
            report = parse_payload(payload)
    except InvalidReport:
        forbidden = connector_zero_forbidden(payload)
        if forbidden is None:
            raise
        status, timestamp = forbidden
        tally.refuse(0, status, timestamp, at)
        return None
    tally.repaired = repairs
    tally.take(report, at, clock, repairs)
    return report


def take_entry(  # noqa: PLR0917  (the hot path: positional, as take is)
    tally: Tally[int],
    kind: str,
    value: object,
    at: datetime | None,
    clock: ClockRules,
    lenient: bool,
) -> ConnectorReport | None:
    """Take what one line of a log says into *tally*; return the report if taken.

    *kind* and *value* are what :func:`evstatus._log.read_line` read: a
    StatusNotification payload, a platform event, or a message heard (a
    message of the central system's, "skipped", is the caller's to drop).
    The one dispatch of a log line for the folds in place,
    :meth:`evstatus.log.Fleet.consume` and uptime's timeline. A bad payload
    raises :class:`InvalidReport` having changed nothing.
    """
    if kind == "status":
        if not lenient:
            # The common payload, parsed here and taken: a call less per
            # line. Any other goes the way of every payload (a bad one
            # raises there, having changed nothing).
            try:
                report = parse_payload(value)
            except InvalidReport:
                pass
            else:
                return report if tally.take(report, at, clock, ()) else None
        taken = take_ocpp16(tally, value, at, clock, lenient)
        return taken if taken is not None and tally.taken else None
    if kind == "event":
        tally.apply(cast("PlatformEvent", value), at)
    else:
        tally.hear(at)
    return None


_ITEM_EXPECTED: Final = (
    "a ConnectorReport, a PlatformEvent member or a StatusNotification "
    "payload (a mapping)"
)


def take_item(
    tally: Tally[int],
    item: object,
    at: datetime | None,
    clock: ClockRules,
    lenient: bool,
) -> ConnectorReport | PlatformEvent | None:
    """Take one item of any kind :data:`Item` names into *tally*.

    Returns the report or event taken in (None for a payload refused); what
    a report did is in the tally's ``taken``, ``previous`` and the rest.
    Raises :class:`TypeError` for anything else, and :class:`InvalidReport`
    for a bad payload; either way nothing changes.
    """
    if type(item) is ConnectorReport or isinstance(item, ConnectorReport):
        tally.repaired = ()
        tally.take(item, at, clock, ())
        return item
    if isinstance(item, PlatformEvent):
        tally.apply(item, at)
        tally.taken = False
        tally.previous = tally.transition = None
        tally.anomalies = tally.repaired = ()
        return item
    if isinstance(item, Mapping):
        return take_ocpp16(
            tally, cast("Mapping[str, object]", item), at, clock, lenient
        )
    raise wrong_type("item", item, _ITEM_EXPECTED)


# --- the immutable state ----------------------------------------------------------

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
    >>> state = StationState().fold([PlatformEvent.CONNECTED])
    >>> step = state.step(ConnectorReport(connector_id=1, status=S.CHARGING))
    >>> step.changed, step.state.view().status
    (True, <StationStatus.CHARGING: 'Charging'>)
    >>> step.state.step(PlatformEvent.DISABLED).state.view().status
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
    payloads (see :meth:`~evstatus.history.StationState.step`); kinds
    never seen are left out."""
    order_times: Mapping[int, datetime | None] = attrs.field(
        default=_NO_TIMES, hash=False, repr=lambda m: repr(dict(m))
    )
    """For a held report ordered by something other than its own timestamp
    (a wrong clock, the zero time): the time it is ordered by, or None (no
    time: the report blocks no later one). Every other held report is
    ordered by its own timestamp."""

    def __attrs_post_init__(self) -> None:
        # Only a caller's state comes through here; the engine builds its
        # states with _make from values already checked.
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
        item: ConnectorReport | PlatformEvent | Mapping[str, object],
        *,
        at: datetime | None = None,
        clock: ClockRules = DEFAULT_CLOCK_RULES,
        lenient: bool = False,
    ) -> Step:
        """Take *item*, received (or observed) at *at* if known; say what happened.

        *item* is a :class:`~evstatus.ConnectorReport`, a
        :class:`~evstatus.PlatformEvent`, or an OCPP 1.6 StatusNotification
        payload (a mapping, as JSON decodes it), which is parsed first: a
        payload whose only fault is a state connector 0 may not report is
        recorded as a ``connector_zero_status`` anomaly (and as hearing from
        the station) instead of being refused; any other bad payload raises
        :class:`~evstatus.InvalidReport` and changes nothing. With
        *lenient*, the payload is read by
        :func:`evstatus.ocpp16.parse_lenient`: what it repairs is in the
        step's ``repairs`` and counted in the state's ``repair_counts``.

        A report, like any message, counts as hearing from the station, even
        one that is then ignored. Each report is ordered by a time: its own
        timestamp, except that the zero time counts as none and, where *at*
        is known, a report is never ordered later than it was received, and
        one stamped beyond *clock*'s bounds is ordered by *at* (see
        :class:`~evstatus.history.ClockRules`; the wrong clock is recorded
        as an anomaly).
        Then, for a report of a connector, in order:

        - one ordered strictly before the report held (both with a time) is a
          late delivery: recorded as an anomaly, not taken; a report without
          a time (no timestamp, or the zero time) neither blocks a later one
          nor is blocked;
        - one equal to the report held is a duplicate: recorded, not taken;
        - otherwise it is taken; a change of state that the OCPP 1.6 machine
          (:data:`evstatus.rules.TRANSITIONS`) does not define is recorded as
          an undefined transition, and taken all the same.
        """
        moment = optional_utc("at", at)
        if type(clock) is not ClockRules:
            raise wrong_type("clock", clock, "a ClockRules")
        if lenient is not False:
            check_bool("lenient", lenient)
        # A tally over this state's own persistent maps: the step copies one
        # path of them, and this state keeps its own. take_item is inlined
        # for a report, the usual item.
        tally = Tally(self, self.reports, self.order_times, OCPP16)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        made: ConnectorReport | PlatformEvent | None
        repaired: tuple[Repair, ...] = ()
        if type(item) is ConnectorReport:
            made = item
            tally.take(item, moment, clock, repaired)
        else:
            made = take_item(tally, item, moment, clock, lenient)
            repaired = tally.repaired
        taken, previous = tally.taken, tally.previous
        connected, enabled, removed = tally.connected, tally.enabled, tally.removed
        flags_changed = (
            connected is not self.connected
            or enabled is not self.enabled
            or removed is not self.removed
        )
        if (
            not flags_changed
            and isinstance(made, PlatformEvent)
            and tally.last_heard is self.last_heard
        ):
            # An event that changed nothing at all: the very same state.
            state = self
        else:
            state = tally.freeze()
        # Only a report is taken.
        changed = flags_changed or (taken and made.status is not previous)  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess, reportAttributeAccessIssue]
        return _make_step(
            state,
            self,
            made,
            taken,
            previous,
            tally.transition,
            tally.anomalies,
            changed,
            repaired,
        )

    def fold(
        self, items: Iterable[ConnectorReport | PlatformEvent | Mapping[str, object]]
    ) -> StationState:
        """Return the state after taking each of *items* in turn, times unknown.

        The same state as stepping through them one by one (see
        :meth:`~evstatus.history.StationState.step`), built at once: a bad
        payload raises :class:`~evstatus.InvalidReport`, a wrong item
        :class:`TypeError`.
        """
        tally = Tally.thaw(self)
        for item in items:
            take_item(tally, item, None, DEFAULT_CLOCK_RULES, False)  # noqa: FBT003
        return tally.freeze()

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
            check_heartbeat(now, heartbeat_interval, tolerance)
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


@attrs.frozen(kw_only=True)
class Step:
    """What one report or event did to a station: the new state and what happened."""

    state: StationState
    """The state after the item."""
    before: StationState = attrs.field(repr=False)
    """The state before it."""
    item: ConnectorReport | PlatformEvent | None
    """The report or event taken in (a payload's report, once parsed); None for
    a payload refused as a connector-0 anomaly (see
    :meth:`~evstatus.history.StationState.step`)."""
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
    :meth:`~evstatus.history.StationState.step`)."""

    @property
    def anomaly(self) -> Anomaly | None:
        """The last of :attr:`~evstatus.history.Step.anomalies`, if any."""
        return self.anomalies[-1] if self.anomalies else None


_make: Final = fast_constructor(StationState)
_make_step: Final = fast_constructor(Step)


# --- checking a caller's state ------------------------------------------------------


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


NEW: Final = StationState()
"""A station never heard of."""
