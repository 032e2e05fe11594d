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
connector id, and the OCPP 1.6 machines of connectors and of connector 0;
:data:`OCPP2`: no machine at all). :func:`take_ocpp16` reads an OCPP 1.6
StatusNotification payload into a tally; :func:`take_ocpp2` reads OCPP 2.0.1
/ 2.1's StatusNotification, NotifyEvent and TransactionEvent into the same
tally, by the same rules (:meth:`Tally.take_connector`,
:meth:`Tally.take_availability`, :meth:`Tally.transact`): a new protocol is
a new reader, not a fold.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any, Final, Generic, TypeAlias, TypeVar, cast

import attrs

from ._core import StationView, derive, flags
from ._enums import (
    ChargePointErrorCode,
    ChargePointStatus,
    ChargingState,
    ConnectorState,
)
from ._errors import check_bool, optional_utc, wrong_type, wrong_value
from ._frozen import FrozenMap, fast_constructor
from ._lenient import (
    Repair,
    RepairKind,
    parse_lenient_notify_event,
    parse_lenient_ocpp16,
    parse_lenient_ocpp201,
    parse_lenient_transaction_event,
)
from ._log import ACTION_BY_KIND, PROTOCOLS, PROTOCOLS_EXPECTED, Message
from ._log import OCPP16 as OCPP16_NAME
from ._log import OCPP201 as OCPP201_NAME
from ._ocpp2 import ConnectorReport as Report2
from ._ocpp2 import parse_payload as parse_ocpp201
from ._ocpp2_events import (
    Version,
    parse_notify_event,
    read_transaction,
)
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
    OCPP16_STATUS_BY_OCPP201,
    TRANSITION_BY_PAIR,
    Transition,
)

__all__ = [
    "EVENT_EFFECTS",
    "NEW",
    "OCPP2",
    "OCPP16",
    "Item",
    "Port",
    "Ports",
    "StationState",
    "Step",
    "Tally",
    "judge",
    "take_entry",
    "take_item",
    "take_ocpp16",
]

Item = ConnectorReport | Report2 | PlatformEvent | Mapping[str, object] | Message
"""What a station's state takes one at a time: a report (OCPP 1.6 or 2.0.1), a
platform event, an OCPP 1.6 StatusNotification payload (parsed, then taken),
or a message of the log (:class:`evstatus.log.Message`: an OCPP 2.0.1 / 2.1
StatusNotification, NotifyEvent or TransactionEvent, parsed, then taken)."""

Port: TypeAlias = int | tuple[int, int]
"""How a station names a port: OCPP 1.6's connector id (0 is the main
controller, for OCPP 2.0.1 too), or OCPP 2.0.1's ``(evse_id, connector_id)``."""

#: A report of either protocol, as the engine holds it.
AnyReport: TypeAlias = ConnectorReport | Report2

_K = TypeVar("_K")
_V = TypeVar("_V")
#: A port id: OCPP 1.6's connector id, (EVSE, connector) for OCPP 2.0.1.
_P = TypeVar("_P", bound=Hashable)
_Q = TypeVar("_Q", bound=Hashable)
_R = TypeVar("_R", ConnectorReport, Report2)


# --- what the engine knows of a protocol ---------------------------------------


@attrs.frozen
class Ports(Generic[_P]):
    """How the engine reads a protocol's reports: their port and transitions.

    *port* gives the id of the port a report is of (any hashable value).
    *transitions* are the transitions the protocol defines, by (state
    before, state after), or None for a protocol without a transition
    machine (OCPP 2.0.1: no change of state is undefined); *special* holds
    the tables of the ports that follow a machine of their own. The engine
    asks nothing else of a protocol: a report needs only ``status`` and
    ``timestamp`` besides. Tables rather than a function, since a change of
    state is looked up on most reports.
    """

    port: Callable[[ConnectorReport], _P]
    transitions: Mapping[tuple[ChargePointStatus, ChargePointStatus], Transition] | None
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

OCPP2: Final[Ports[int]] = Ports(
    port=attrgetter("connector_id"), transitions=None, special={}
)
"""OCPP 2.0.1 and 2.1: no transition machine. The main controller is port 0
(its AvailabilityState, held as a connector-0 report); a connector is
``(evse_id, connector_id)``, read by :meth:`Tally.take_connector`."""


def _ports_of(protocol: str) -> Ports[int]:
    return OCPP16 if protocol == OCPP16_NAME else OCPP2


# --- the rules for one report ---------------------------------------------------


def judge(  # noqa: C901, PLR0917  (every rule for a report, in order)
    report: AnyReport,
    port: Hashable,
    held: AnyReport | None,
    held_order: datetime | None,
    at: datetime | None,
    clock: ClockRules,
    ports: Ports[Any],
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
        if table is None:
            # A protocol without a transition machine: no change is undefined.
            return order, kinds, True, None
        transition = table.get((previous, status))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
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

#: The main controller's AvailabilityState -> the connector-0 state it is.
_MAIN_BY_STATE: Final[Mapping[ConnectorState, ChargePointStatus]] = {
    ConnectorState.AVAILABLE: ChargePointStatus.AVAILABLE,
    ConnectorState.UNAVAILABLE: ChargePointStatus.UNAVAILABLE,
    ConnectorState.FAULTED: ChargePointStatus.FAULTED,
}
_NO_ERROR: Final = ChargePointErrorCode.NO_ERROR
_make_report: Final = fast_constructor(ConnectorReport, convert=False)
_make_report2: Final = fast_constructor(Report2, convert=False)


class Tally(Generic[_P]):
    """A station's state, changed in place, item by item, by the rules of the steps.

    Build one with :meth:`thaw` (dicts of its own: the fastest to change, for
    a long fold), or over a state's persistent maps (as a step does: then a
    change copies one path of them), take items with :meth:`take` (an OCPP
    1.6 report, or the main controller's), :meth:`take_connector` (an OCPP
    2.0.1 connector's), :meth:`refuse` (a state the port may not report),
    :meth:`transact` (a transaction's charging state), :meth:`apply` (a
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
        "charging",
        "connected",
        "counts",
        "enabled",
        "evse_reports",
        "last_heard",
        "order_times",
        "ports",
        "previous",
        "protocol",
        "recent",
        "removed",
        "repaired",
        "repairs",
        "reports",
        "taken",
        "transactions",
        "transition",
    )

    ports: Ports[_P]
    """How the protocol's reports are read (see :class:`Ports`)."""
    reports: _Store[_P, ConnectorReport]
    """The report that counts for each port: each OCPP 1.6 connector, or an
    OCPP 2.0.1 station's main controller (0)."""
    evse_reports: _Store[tuple[int, int], Report2]
    """The report that counts for each OCPP 2.0.1 connector."""
    order_times: _Store[Hashable, datetime | None]
    """For a held report ordered by something other than its own timestamp:
    the time it is ordered by, or None (see ``StationState.order_times``)."""
    charging: Mapping[int, ChargingState]
    """The charging state of the transaction on each EVSE, where known."""
    transactions: Mapping[str, int]
    """The EVSE of each transaction going on."""
    protocol: str
    """The protocol the station speaks (the latest report's)."""
    counts: Mapping[AnomalyKind, int]
    """Anomalies counted by kind: the state's own until the first new one,
    then a dict of this tally's."""
    taken: bool
    """Whether the last report now counts for its port."""
    previous: ChargePointStatus | ConnectorState | None
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
        order_times: _Store[Hashable, datetime | None],
        ports: Ports[_P],
        evse_reports: _Store[tuple[int, int], Report2] | None = None,
    ) -> None:
        self.reports = reports
        self.order_times = order_times
        self.ports = ports
        self.evse_reports = (
            state.evse_reports if evse_reports is None else evse_reports  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
        )
        self.charging = state.charging_states
        self.transactions = state.transactions
        self.protocol = state.protocol
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

        Its OCPP 1.6 ports (and an OCPP 2.0.1 station's main controller) are
        connector ids; OCPP 2.0.1 connectors are held apart, by
        ``(evse_id, connector_id)``.
        """
        if state is None:
            return Tally(NEW, {}, {}, OCPP16, {})
        # Most tallies start from a new state, or one with nothing in most
        # fields: empty fields are not copied.
        return Tally(
            state,
            dict(state.reports.items()) if state.reports else {},
            dict(state.order_times.items()) if state.order_times else {},
            _ports_of(state.protocol),
            dict(state.evse_reports.items()) if state.evse_reports else {},
        )

    def freeze(self) -> StationState:
        """Return the state this tally holds, as the steps would have built it."""
        reports = self.reports
        order_times = self.order_times
        counts = self.counts
        evse_reports = self.evse_reports
        charging = self.charging
        transactions = self.transactions
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
            self.protocol,
            evse_reports
            if type(evse_reports) is not dict
            else PersistentMap(evse_reports)
            if evse_reports
            else _NO_EVSE_REPORTS,
            charging if type(charging) is FrozenMap else FrozenMap(charging),
            transactions
            if type(transactions) is FrozenMap
            else FrozenMap(transactions),
        )

    def speak(self, protocol: str) -> None:
        """Note that the station speaks *protocol* (see :data:`evstatus.log.PROTOCOLS`).

        A station that changes between OCPP 1.6 and 2.0.1 / 2.1 was
        restarted with new firmware: its ports, named anew, report afresh,
        so every report held (and its order time), charging state and
        transaction is dropped. Its flags, when it was last heard from and
        the anomalies and repairs counted carry over. Between 2.0.1 and 2.1
        the ports are the same and everything carries over.
        """
        old = self.protocol
        if protocol == old:
            return
        self.protocol = protocol
        if (protocol == OCPP16_NAME) is (old == OCPP16_NAME):
            return
        self.ports = _ports_of(protocol)  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
        self.reports = {}
        self.evse_reports = {}
        self.order_times = {}
        self.charging = _NO_CHARGING
        self.transactions = _NO_TRANSACTIONS

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
        ports = self.ports
        self.reports = self._take_at(
            report, ports.port(report), self.reports, ports, None, at, clock, repairs
        )
        return self.taken

    def take_connector(
        self,
        report: Report2,
        at: datetime | None,
        clock: ClockRules,
        repairs: tuple[Repair, ...],
    ) -> bool:
        """Take an OCPP 2.0.1 / 2.1 connector's *report*, as :meth:`take` does.

        The rules are the same (the clock, a late delivery, a duplicate),
        without a transition machine: OCPP 2.0.1 defines none, so no change
        of state is an undefined transition.
        """
        evse_id = report.evse_id
        self.evse_reports = self._take_at(
            report,
            (evse_id, report.connector_id),
            self.evse_reports,
            OCPP2,
            evse_id,
            at,
            clock,
            repairs,
        )
        return self.taken

    def _take_at(  # noqa: PLR0917  (the hot path: positional)
        self,
        report: _R,
        port: _Q,
        reports: _Store[_Q, _R],
        ports: Ports[Any],
        evse_id: int | None,
        at: datetime | None,
        clock: ClockRules,
        repairs: tuple[Repair, ...],
    ) -> _Store[_Q, _R]:
        """Take *report* at *port* of *reports*; return the reports after it.

        The one body of :meth:`take` and :meth:`take_connector`. *evse_id*
        names the EVSE in an anomaly (None for OCPP 1.6). The reports
        returned are the same dict, changed in place, or a new persistent map.
        """
        if repairs:
            self.repairs = _counted(self.repairs, repairs)
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
                reports = cast("PersistentMap[_Q, _R]", reports).set(port, report)
            if order != report.timestamp or port in order_times:
                if type(order_times) is dict:
                    order_times[port] = order
                else:
                    times = cast(
                        "PersistentMap[Hashable, datetime | None]", order_times
                    )
                    self.order_times = times.set(port, order)
        if not kinds:
            self.anomalies = ()
            return reports
        anomalies = self.anomalies = tuple(
            Anomaly(
                kind=kind,
                evse_id=evse_id,
                connector_id=report.connector_id,
                status=report.status,
                previous=previous,
                timestamp=report.timestamp,
                at=at,
            )
            for kind in kinds
        )
        self._note(anomalies)
        return reports

    def take_availability(  # noqa: PLR0917  (the fields of one AvailabilityState)
        self,
        evse_id: int | None,
        connector_id: int | None,
        status: ConnectorState,
        timestamp: datetime,
        at: datetime | None,
        clock: ClockRules,
    ) -> list[ConnectorReport | Report2]:
        """Take an OCPP 2.0.1 AvailabilityState; return the reports it made.

        Of the main controller (*evse_id* None): Available, Unavailable or
        Faulted is taken as its report, connector 0's part in OCPP 1.6, by
        the same rules; Occupied or Reserved is refused as a
        ``connector_zero_status`` anomaly. Of a connector: that connector's
        report, as a StatusNotification would be. Of an EVSE: a report of
        each of its connectors known so far; of its connector 1 if none is
        (every EVSE has one, numbered from 1). The anomalies of all of them
        are in ``anomalies``; ``taken`` tells whether any was taken.
        """
        if evse_id is None:
            main = _MAIN_BY_STATE.get(status)
            if main is None:
                self.refuse(0, status, timestamp, at)
                return []
            report = _make_report(0, main, _NO_ERROR, timestamp, None, None, None)
            self.take(report, at, clock, ())
            return [report]
        if connector_id is None:
            connectors = sorted(
                key[1] for key in self.evse_reports if key[0] == evse_id
            ) or [1]
        else:
            connectors = [connector_id]
        made: list[ConnectorReport | Report2] = []
        anomalies: list[Anomaly] = []
        taken = False
        for number in connectors:
            report2 = _make_report2(evse_id, number, status, timestamp, None)
            taken = self.take_connector(report2, at, clock, ()) or taken
            anomalies.extend(self.anomalies)
            made.append(report2)
        self.taken = taken
        self.anomalies = tuple(anomalies)
        return made

    def transact(
        self,
        event_type: str,
        transaction_id: str,
        evse_id: int | None,
        charging_state: ChargingState | None,
        at: datetime | None,
    ) -> int | None:
        """Take a TransactionEvent; return the EVSE whose charging state it set.

        Started ties the transaction to its EVSE (which it must name) and
        sets the EVSE's charging state (none given: none known, so Occupied
        reads as Preparing); Updated sets it where given, on the EVSE the
        transaction is on; Ended drops it. An event of a transaction never
        started that names no EVSE is only hearing from the station (None).
        """
        self.hear(at)
        self.taken = False
        self.previous = self.transition = None
        self.anomalies = self.repaired = ()
        transactions = self.transactions
        evse = transactions.get(transaction_id, evse_id)
        if evse_id is not None:
            evse = evse_id
        if evse is None:
            return None
        # A dict is this tally's own (a state's maps are frozen, and freeze
        # copies): changed in place. Anything else is copied first.
        # Annotated, not cast(): a cast is a call, and this runs per message.
        held: dict[int, ChargingState] = self.charging  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
        charging = self.charging = held if type(held) is dict else dict(held)
        if event_type == "Ended":
            if transaction_id in transactions:
                own = self.transactions = _own(transactions)
                del own[transaction_id]
            charging.pop(evse, None)
        else:
            if transactions.get(transaction_id) != evse:
                own = self.transactions = _own(transactions)
                own[transaction_id] = evse
            if charging_state is not None:
                charging[evse] = charging_state
            elif event_type == "Started":
                charging.pop(evse, None)
        return evse

    def refuse(
        self,
        port: int,
        status: ChargePointStatus | ConnectorState,
        timestamp: datetime | None,
        at: datetime | None,
    ) -> Anomaly:
        """Note a report of *status*, a state *port* may not have, received at *at*.

        It is not taken: it counts as hearing from the station, and as a
        ``connector_zero_status`` anomaly, which is returned (and kept in
        ``anomalies``).
        """
        held = cast("_Store[int, ConnectorReport]", self.reports).get(port)
        anomaly = Anomaly(
            kind=AnomalyKind.CONNECTOR_ZERO_STATUS,
            connector_id=port,
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


def _own(transactions: Mapping[str, int]) -> dict[str, int]:
    """Return *transactions* as a tally's own dict: itself if it is one."""
    if type(transactions) is dict:
        return transactions  # pyright: ignore[reportUnknownVariableType]
    return dict(transactions)


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
        tally.speak(OCPP16_NAME)
        tally.refuse(0, status, timestamp, at)
        return None
    tally.speak(OCPP16_NAME)
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
) -> ConnectorReport | Report2 | None:
    """Take what one line of a log says into *tally*; return the report if taken.

    *kind* and *value* are what :func:`evstatus._log.read_line` read: a
    StatusNotification payload (of OCPP 1.6, or of 2.0.1 / 2.1), a NotifyEvent
    or TransactionEvent, a platform event, or a message heard (a message of
    the central system's, "skipped", is the caller's to drop). The one
    dispatch of a log line for the folds in place,
    :meth:`evstatus.log.Fleet.consume` and uptime's timeline. A bad payload
    raises :class:`InvalidReport` having changed nothing. For a NotifyEvent
    or TransactionEvent, nothing is returned: what it did is in the tally.
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
                if tally.protocol != OCPP16_NAME:
                    tally.speak(OCPP16_NAME)
                return report if tally.take(report, at, clock, ()) else None
        taken = take_ocpp16(tally, value, at, clock, lenient)
        return taken if taken is not None and tally.taken else None
    if kind == "event":
        tally.apply(value, at)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    elif kind == "heard":
        tally.hear(at)
    else:
        # Unpacked without cast(), which is a call: this runs once per line.
        protocol: str
        payload: object
        protocol, payload = value  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
        made = take_ocpp2(tally, kind, protocol, payload, at, clock, lenient)  # pyright: ignore[reportUnknownArgumentType]
        if type(made) is Report2 and tally.taken:
            return made
    return None


def take_ocpp2(  # noqa: PLR0917  (as take_entry)
    tally: Tally[int],
    kind: str,
    protocol: str,
    payload: object,
    at: datetime | None,
    clock: ClockRules,
    lenient: bool,
) -> ConnectorReport | Report2 | None:
    """Take an OCPP 2.0.1 / 2.1 message of *kind* into *tally*; return its report.

    *kind* is ``status2`` (a StatusNotification), ``notify`` (a NotifyEvent)
    or ``transaction`` (a TransactionEvent). The payload is parsed first (by
    the lenient readers with *lenient*): a bad one raises
    :class:`InvalidReport` having changed nothing. Returned: the report the
    message made (for a NotifyEvent, the last of them), None if it made
    none.
    """
    if kind == "status2":
        repaired: tuple[Repair, ...] = ()
        if lenient:
            parsed = parse_lenient_ocpp201(payload)
            report, repaired = parsed.report, parsed.repairs
        else:
            report = parse_ocpp201(payload)
        if tally.protocol != protocol:
            tally.speak(protocol)
        tally.repaired = repaired
        tally.take_connector(report, at, clock, repaired)
        return report
    if kind == "transaction":
        _take_transaction(tally, protocol, payload, at, lenient)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        return None
    return _take_notify(tally, protocol, payload, at, clock, lenient)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def _take_notify(  # noqa: PLR0917  (as take_ocpp2)
    tally: Tally[int],
    version: Version,
    payload: object,
    at: datetime | None,
    clock: ClockRules,
    lenient: bool,
) -> ConnectorReport | Report2 | None:
    repairs: tuple[Repair, ...] = ()
    if lenient:
        availability, repairs = parse_lenient_notify_event(
            payload, received_at=at, version=version
        )
    else:
        availability = parse_notify_event(payload, version=version)
    tally.speak(version)
    if repairs:
        tally.repairs = _counted(tally.repairs, repairs)
    made: ConnectorReport | Report2 | None = None
    anomalies: list[Anomaly] = []
    taken = False
    for event in availability:
        reports = tally.take_availability(
            event.evse_id, event.connector_id, event.status, event.timestamp, at, clock
        )
        anomalies.extend(tally.anomalies)
        taken = tally.taken or taken
        if reports:
            made = reports[-1]
    if not availability:
        # Events on other variables only: hearing from the station.
        tally.hear(at)
    tally.taken = taken
    tally.anomalies = tuple(anomalies)
    tally.repaired = repairs
    return made


def _take_transaction(
    tally: Tally[int],
    version: Version,
    payload: object,
    at: datetime | None,
    lenient: bool,
) -> None:
    repairs: tuple[Repair, ...] = ()
    if lenient:
        transaction, repairs = parse_lenient_transaction_event(
            payload, received_at=at, version=version
        )
        event_type, transaction_id = transaction.event_type, transaction.transaction_id
        evse_id, charging_state = transaction.evse_id, transaction.charging_state
    else:
        # The fields as a tuple: no report object is needed.
        event_type, transaction_id, evse_id, _, charging_state, _ = read_transaction(
            payload, version
        )
    if tally.protocol != version:
        tally.speak(version)
    if repairs:
        tally.repairs = _counted(tally.repairs, repairs)
    tally.transact(event_type, transaction_id, evse_id, charging_state, at)
    tally.repaired = repairs


_ITEM_EXPECTED: Final = (
    "a ConnectorReport (OCPP 1.6 or 2.0.1), a PlatformEvent member, a "
    "StatusNotification payload (a mapping) or a log's Message"
)


def take_item(
    tally: Tally[int],
    item: object,
    at: datetime | None,
    clock: ClockRules,
    lenient: bool,
) -> ConnectorReport | Report2 | PlatformEvent | None:
    """Take one item of any kind :data:`Item` names into *tally*.

    Returns the report or event taken in (None for a payload refused, or a
    message that made no report); what a report did is in the tally's
    ``taken``, ``previous`` and the rest. Raises :class:`TypeError` for
    anything else, and :class:`InvalidReport` for a bad payload; either way
    nothing changes.
    """
    if type(item) is ConnectorReport or isinstance(item, ConnectorReport):
        tally.speak(OCPP16_NAME)
        tally.repaired = ()
        tally.take(item, at, clock, ())
        return item
    if isinstance(item, PlatformEvent):
        tally.apply(item, at)
        tally.taken = False
        tally.previous = tally.transition = None
        tally.anomalies = tally.repaired = ()
        return item
    if isinstance(item, Report2):
        if tally.protocol == OCPP16_NAME:
            # A 2.0.1 report to a station of 1.6: it speaks OCPP 2.0.1 now.
            tally.speak(OCPP201_NAME)
        tally.repaired = ()
        tally.take_connector(item, at, clock, ())
        return item
    if isinstance(item, Message):
        if item.protocol == OCPP16_NAME:
            return take_ocpp16(tally, item.payload, at, clock, lenient)
        tally.taken = False
        tally.previous = tally.transition = None
        tally.anomalies = tally.repaired = ()
        return take_ocpp2(
            tally,
            _KIND_BY_ACTION2[item.action],
            item.protocol,
            item.payload,
            at,
            clock,
            lenient,
        )
    if isinstance(item, Mapping):
        return take_ocpp16(
            tally, cast("Mapping[str, object]", item), at, clock, lenient
        )
    raise wrong_type("item", item, _ITEM_EXPECTED)


#: The action of an OCPP 2.0.1 message -> its kind, as the reader tells it.
_KIND_BY_ACTION2: Final = {action: kind for kind, action in ACTION_BY_KIND.items()}


# --- the immutable state ----------------------------------------------------------

_NO_REPORTS: Final[PersistentMap[int, ConnectorReport]] = PersistentMap()
_NO_COUNTS: Final[Mapping[AnomalyKind, int]] = FrozenMap()
_NO_REPAIRS: Final[Mapping[RepairKind, int]] = FrozenMap()
_NO_TIMES: Final[PersistentMap[Port, datetime | None]] = PersistentMap()
_NO_EVSE_REPORTS: Final[PersistentMap[tuple[int, int], Report2]] = PersistentMap()
_NO_CHARGING: Final[Mapping[int, ChargingState]] = FrozenMap()
_NO_TRANSACTIONS: Final[Mapping[str, int]] = FrozenMap()


@attrs.frozen(kw_only=True)
class StationState:
    """What is known about one station after some stream of reports and events.

    Immutable: :meth:`~evstatus.history.StationState.step` returns a new state and
    leaves this one alone. A new state has heard nothing: no reports, not connected,
    enabled and not removed. Whatever is passed in is checked and copied.

    One class serves every protocol (``protocol``). An OCPP 1.6 station's
    ports are its connector ids, 0 the main controller, in ``reports``. An
    OCPP 2.0.1 / 2.1 station's connectors are named ``(evse_id,
    connector_id)``, ids scoped per EVSE, in ``evse_reports``; its main
    controller (the ChargingStation component's AvailabilityState) plays
    connector 0's part and is held as a connector-0 report in ``reports``;
    the charging state of each EVSE's transaction (``charging_states``, from
    TransactionEvent) refines an Occupied connector of that EVSE, as
    :func:`evstatus.ocpp201.to_ocpp16` does. The view then comes from the
    same derivation for both.

    OCPP 2.0.1 has no transition machine: its reports show the clock
    anomalies, late deliveries and duplicates, and the main controller's
    ``connector_zero_status``, never an undefined transition. A station
    that changes between 1.6 and 2.0.1 / 2.1 drops its ports' reports,
    charging states and transactions (new firmware re-reports every
    connector), and keeps its flags, ``last_heard`` and the anomalies and
    repairs counted.

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
    order_times: Mapping[Port, datetime | None] = attrs.field(
        default=_NO_TIMES, hash=False, repr=lambda m: repr(dict(m))
    )
    """For a held report ordered by something other than its own timestamp
    (a wrong clock, the zero time): the time it is ordered by, or None (no
    time: the report blocks no later one). Every other held report is
    ordered by its own timestamp. Keyed by port: a connector id, or an OCPP
    2.0.1 ``(evse_id, connector_id)``."""
    protocol: str = OCPP16_NAME
    """The protocol the station speaks, as its latest report said:
    ``"ocpp1.6"``, ``"ocpp2.0.1"`` or ``"ocpp2.1"``."""
    evse_reports: Mapping[tuple[int, int], Report2] = attrs.field(
        default=_NO_EVSE_REPORTS, hash=False, repr=lambda m: repr(dict(m))
    )
    """For OCPP 2.0.1 / 2.1: the report that counts for each connector, by
    ``(evse_id, connector_id)``; a NotifyEvent's AvailabilityState of a
    connector or an EVSE is held as such a report."""
    charging_states: Mapping[int, ChargingState] = attrs.field(
        default=_NO_CHARGING, hash=False
    )
    """For OCPP 2.0.1 / 2.1: the charging state of the transaction going on
    at each EVSE, where a TransactionEvent gave one."""
    transactions: Mapping[str, int] = attrs.field(default=_NO_TRANSACTIONS, hash=False)
    """For OCPP 2.0.1 / 2.1: the EVSE of each transaction started and not
    ended, by transaction id."""

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
        protocol: object = self.protocol
        if type(protocol) is not str or protocol not in PROTOCOLS:
            raise wrong_value("protocol", protocol, PROTOCOLS_EXPECTED)
        setter(
            self,
            "evse_reports",
            _checked_evse_reports(self.evse_reports, protocol, self.reports),
        )
        setter(
            self,
            "charging_states",
            _checked_ids(self.charging_states, "charging_states", protocol),
        )
        setter(
            self,
            "transactions",
            _checked_ids(self.transactions, "transactions", protocol),
        )
        setter(
            self,
            "order_times",
            _checked_times(self.order_times, self.reports, self.evse_reports),
        )

    @property
    def anomaly_count(self) -> int:
        """How many anomalies were seen in all."""
        return sum(self.anomaly_counts.values())

    def step(
        self,
        item: Item,
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
        For OCPP 2.0.1 / 2.1, *item* is an :class:`evstatus.ocpp201.ConnectorReport`
        or a log's :class:`~evstatus.log.Message` (a StatusNotification,
        NotifyEvent or TransactionEvent, parsed first, leniently with
        *lenient*). An item of another protocol than the state's changes
        the station's protocol (see the class).

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
          an undefined transition, and taken all the same (OCPP 2.0.1 has no
          such machine: no change is undefined).
        """
        moment = optional_utc("at", at)
        if type(clock) is not ClockRules:
            raise wrong_type("clock", clock, "a ClockRules")
        if lenient is not False:
            check_bool("lenient", lenient)
        # A tally over this state's own persistent maps: the step copies one
        # path of them, and this state keeps its own. take_item is inlined
        # for a report, the usual item.
        protocol = self.protocol
        tally = Tally(
            self,
            self.reports,  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
            self.order_times,  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
            OCPP16 if protocol == OCPP16_NAME else OCPP2,
        )
        made: ConnectorReport | Report2 | PlatformEvent | None
        repaired: tuple[Repair, ...] = ()
        if type(item) is ConnectorReport and protocol == OCPP16_NAME:
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
        if protocol == OCPP16_NAME and tally.protocol == OCPP16_NAME:
            # Only a report is taken.
            changed = flags_changed or (taken and made.status is not previous)  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess, reportAttributeAccessIssue]
        else:
            # A charging state, or a change of protocol, changes connectors
            # other than a report's: the facts are compared whole.
            changed = flags_changed or state.facts() != self.facts()
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

    def fold(self, items: Iterable[Item]) -> StationState:
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
    ) -> StationView[Port]:
        """Derive the station's view from this state.

        See :meth:`~evstatus.history.StationState.online` for how ``now`` and the
        heartbeat decide whether the station counts as online. The view's
        connectors are keyed by connector id (OCPP 1.6) or by ``(evse_id,
        connector_id)`` (OCPP 2.0.1 / 2.1).
        """
        online = self.online(
            now=now, heartbeat_interval=heartbeat_interval, tolerance=tolerance
        )
        main, states = self.facts()
        return derive(states, main, flags(online, self.enabled, self.removed))

    def facts(self) -> tuple[ChargePointStatus | None, dict[Port, ChargePointStatus]]:
        """Return the main controller's state and each connector's OCPP 1.6 state.

        What the view is derived from: an OCPP 2.0.1 connector's status as
        the 1.6 state it stands for, refined by its EVSE's charging state
        (:data:`evstatus.rules.OCPP16_STATUS_BY_OCPP201`).
        """
        main = None
        states: dict[Port, ChargePointStatus] = {}
        for connector_id, report in self.reports.items():
            if connector_id:
                states[connector_id] = report.status
            else:
                main = report.status
        if self.evse_reports:
            charging = self.charging_states
            for key, connector in self.evse_reports.items():
                states[key] = OCPP16_STATUS_BY_OCPP201[
                    connector.status, charging.get(key[0])
                ]
        return main, states


@attrs.frozen(kw_only=True)
class Step:
    """What one report or event did to a station: the new state and what happened."""

    state: StationState
    """The state after the item."""
    before: StationState = attrs.field(repr=False)
    """The state before it."""
    item: ConnectorReport | Report2 | PlatformEvent | None
    """The report or event taken in (a payload's report, once parsed; for a
    NotifyEvent, the last report it made); None for a payload refused as a
    connector-0 anomaly (see :meth:`~evstatus.history.StationState.step`),
    or a message that made no report (a TransactionEvent, a NotifyEvent of
    no AvailabilityState)."""
    taken: bool = False
    """Whether the item was a report that now counts for its connector."""
    previous: ChargePointStatus | ConnectorState | None = None
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
    times: object,
    reports: Mapping[int, ConnectorReport],
    evse_reports: Mapping[tuple[int, int], Report2],
) -> PersistentMap[Port, datetime | None]:
    if type(times) is PersistentMap:
        return cast("PersistentMap[Port, datetime | None]", times)
    if not isinstance(times, Mapping):
        raise wrong_type("order_times", times, "a mapping of port to time")
    entries = cast("Mapping[object, object]", times)
    checked: dict[Port, datetime | None] = {}
    for given, moment in entries.items():
        key: object = given
        if not (
            (is_int(key) and key in reports)
            or (type(key) is tuple and key in evse_reports)
        ):
            raise wrong_value("order_times", given, "ports that have a report")
        checked[cast("Port", key)] = optional_utc(f"order_times[{key}]", moment)
    return PersistentMap(checked)


def _checked_evse_reports(
    reports: object, protocol: str, main: Mapping[int, ConnectorReport]
) -> PersistentMap[tuple[int, int], Report2]:
    if protocol != OCPP16_NAME and any(main):
        raise wrong_value(
            "reports",
            sorted(main),
            f"only the main controller's report (0) for protocol {protocol!r}",
        )
    checked: PersistentMap[tuple[int, int], Report2]
    if isinstance(reports, PersistentMap):
        checked = cast("PersistentMap[tuple[int, int], Report2]", reports)
    else:
        if not isinstance(reports, Mapping):
            raise wrong_type(
                "evse_reports",
                reports,
                "a mapping of (evse_id, connector_id) to report",
            )
        entries = cast("Mapping[object, object]", reports)
        for key, report in entries.items():
            if not isinstance(report, Report2):
                raise wrong_type(
                    f"evse_reports[{key!r}]", report, "an OCPP 2.0.1 ConnectorReport"
                )
            if key != report.connector:
                raise wrong_value(
                    "evse_reports",
                    key,
                    f"the key of each report to be its connector {report.connector}",
                )
        checked = PersistentMap(cast("Mapping[tuple[int, int], Report2]", entries))
    if checked and protocol == OCPP16_NAME:
        raise wrong_value("evse_reports", dict(checked), "none for protocol 'ocpp1.6'")
    return checked


def _checked_ids(values: object, name: str, protocol: str) -> Mapping[Any, Any]:
    """Check charging_states (EVSE -> ChargingState) or transactions (id -> EVSE)."""
    charging = name == "charging_states"
    expected = (
        "a mapping of EVSE id (an int >= 1) to ChargingState"
        if charging
        else "a mapping of transaction id (a string) to EVSE id (an int >= 1)"
    )
    if not isinstance(values, Mapping):
        raise wrong_type(name, values, expected)
    entries = dict(cast("Mapping[object, object]", values))
    for key, value in entries.items():
        evse, other = (key, value) if charging else (value, key)
        if not is_int(evse) or evse < 1:
            raise wrong_value(name, entries, expected)
        if not isinstance(other, ChargingState if charging else str):
            raise wrong_value(name, entries, expected)
    if entries and protocol == OCPP16_NAME:
        raise wrong_value(name, entries, "none for protocol 'ocpp1.6'")
    return FrozenMap(entries)


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
