"""Every decision rule of evstatus, as data, in one module.

Functions elsewhere only look things up here, and the documentation's tables
and ``evstatus tables`` are printed from these same objects, so no rule is
written down twice. In order:

- Connector status: :data:`~evstatus.rules.CONNECTOR_STATUS_BY_OCPP16`,
  :data:`~evstatus.rules.CONNECTOR_STATUS_BY_OCPP201`,
  :data:`~evstatus.rules.FLAGGED_CONNECTOR_STATUS` and
  :data:`~evstatus.rules.MAIN_CONTROLLER_OVERRIDES` (how connector 0 masks the others).
- Station status: :data:`~evstatus.rules.STATION_RULES`, first match wins, over
  :class:`~evstatus.rules.StationFacts`; :class:`Reason` names the rule that decided.
- OCPP 1.6 transitions: :data:`~evstatus.rules.TRANSITIONS`,
  :data:`~evstatus.rules.CONNECTOR_ZERO_TRANSITIONS`,
  :data:`~evstatus.rules.STATE_LETTERS` and :func:`~evstatus.rules.classify_transition`.
- Between protocols: :data:`~evstatus.rules.OCPP201_STATUS_BY_OCPP16` and
  :data:`~evstatus.rules.OCPP16_STATUS_BY_OCPP201`.
- OCPI 2.2.1: :data:`~evstatus.rules.OCPI_STATUS_BY_OCPP16`,
  :data:`~evstatus.rules.OCPI_STATUS_BY_OCPP201`,
  :data:`~evstatus.rules.OCPI_MAIN_CONTROLLER_OVERRIDES`,
  :data:`~evstatus.rules.OCPI_FLAG_RULES` and :data:`~evstatus.rules.OCPI_BLOCKED`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final, NamedTuple

from ._enums import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointStatus,
    ChargingState,
    ConnectorState,
    ConnectorStatus,
    DescribedEnum,
    EvseStatus,
    StationStatus,
    describe,
)
from ._errors import wrong_type, wrong_value
from ._frozen import FrozenMap

__all__ = [
    "CONNECTOR_STATUS_BY_OCPP16",
    "CONNECTOR_STATUS_BY_OCPP201",
    "CONNECTOR_ZERO_STATUSES",
    "CONNECTOR_ZERO_TRANSITIONS",
    "CONNECTOR_ZERO_TRANSITION_BY_PAIR",
    "FLAGGED_CONNECTOR_STATUS",
    "MAIN_CONTROLLER_OVERRIDES",
    "OCPI_BLOCKED",
    "OCPI_FLAG_RULES",
    "OCPI_MAIN_CONTROLLER_OVERRIDES",
    "OCPI_STATUS_BY_OCPP16",
    "OCPI_STATUS_BY_OCPP201",
    "OCPP16_STATUS_BY_OCPP201",
    "OCPP201_STATUS_BY_OCPP16",
    "STATE_LETTERS",
    "STATION_RULES",
    "TRANSITIONS",
    "TRANSITION_BY_PAIR",
    "OcpiFacts",
    "OcpiFlagRule",
    "Reason",
    "StationFacts",
    "StationRule",
    "Transition",
    "classify_transition",
]

_CPS = ChargePointStatus
_O2 = ConnectorState
_OCPI = EvseStatus

# --- connector status ---------------------------------------------------------

CONNECTOR_STATUS_BY_OCPP16: Final[Mapping[ChargePointStatus, ConnectorStatus]] = (
    FrozenMap(
        {
            _CPS.AVAILABLE: ConnectorStatus.AVAILABLE,
            _CPS.PREPARING: ConnectorStatus.OCCUPIED,
            _CPS.CHARGING: ConnectorStatus.OCCUPIED,
            _CPS.SUSPENDED_EV: ConnectorStatus.OCCUPIED,
            _CPS.SUSPENDED_EVSE: ConnectorStatus.OCCUPIED,
            _CPS.FINISHING: ConnectorStatus.OCCUPIED,
            # Nobody is plugged in, yet a new driver cannot use it.
            _CPS.RESERVED: ConnectorStatus.UNAVAILABLE,
            _CPS.UNAVAILABLE: ConnectorStatus.UNAVAILABLE,
            _CPS.FAULTED: ConnectorStatus.FAULTED,
        }
    )
)
"""OCPP 1.6 state of a connector -> what a driver is told about it."""

#: The connector status every connector shows when a flag takes the station out:
#: removed, not enabled or offline. Connector 0 does not mask this (see
#: the design decisions): the flags dominate everything.
FLAGGED_CONNECTOR_STATUS: Final = ConnectorStatus.UNAVAILABLE

MAIN_CONTROLLER_OVERRIDES: Final[
    Mapping[ChargePointStatus, Mapping[ConnectorStatus, ConnectorStatus]]
] = FrozenMap(
    {
        # A faulted main controller breaks every connector.
        _CPS.FAULTED: FrozenMap(
            dict.fromkeys(ConnectorStatus, ConnectorStatus.FAULTED)
        ),
        # An unavailable one switches off every connector, but a connector's
        # own fault stays visible: support staff need to see it.
        _CPS.UNAVAILABLE: FrozenMap(
            {
                own: own
                if own is ConnectorStatus.FAULTED
                else ConnectorStatus.UNAVAILABLE
                for own in ConnectorStatus
            }
        ),
    }
)
"""Connector 0's state -> (a connector's own status -> the status it shows).

Connector 0 Available, or no report from it, masks nothing.
"""


class Reason(DescribedEnum):
    """Which station rule decided a :class:`StationStatus`."""

    REMOVED = "removed"
    NOT_ENABLED = "not_enabled"
    OFFLINE = "offline"
    MAIN_CONTROLLER_FAULTED = "main_controller_faulted"
    MAIN_CONTROLLER_UNAVAILABLE = "main_controller_unavailable"
    NO_CONNECTOR_REPORTS = "no_connector_reports"
    CONNECTOR_AVAILABLE = "connector_available"
    ALL_CONNECTORS_CHARGING = "all_connectors_charging"
    CONNECTORS_OUT_OF_ORDER = "connectors_out_of_order"
    ALL_CONNECTORS_RESERVED = "all_connectors_reserved"
    NO_CONNECTOR_AVAILABLE = "no_connector_available"

    @property
    def rule(self) -> StationRule:
        """The rule of :data:`~evstatus.rules.STATION_RULES` this reason names."""
        return _RULE_BY_REASON[self]


# The records of the tables are named tuples, not attrs classes: they are
# built once, at import, where every attrs class costs a compile or three.


class StationFacts(NamedTuple):
    """All a station rule may look at: the flags and the latest states.

    ``connectors`` is the set of distinct latest states of connectors 1 and up;
    how many connectors share a state never matters to a rule.
    """

    removed: bool
    enabled: bool
    online: bool
    main: ChargePointStatus | None
    connectors: frozenset[ChargePointStatus]


class StationRule(NamedTuple):
    """One row of the station decision table."""

    number: int
    condition: str
    """The condition, in words, as the docs print it."""
    applies: Callable[[StationFacts], bool]
    """The condition, as a test of the facts."""
    status: StationStatus
    reason: Reason

    def __repr__(self) -> str:
        return f"StationRule(number={self.number}, status={self.status!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # A rule's test is a lambda, which cannot be pickled: a rule travels
        # as its number and is looked up in the table on the other side.
        return (_station_rule, (self.number,))


_CHARGING: Final = frozenset({_CPS.CHARGING, _CPS.SUSPENDED_EV, _CPS.SUSPENDED_EVSE})
_BROKEN: Final = frozenset({_CPS.FAULTED, _CPS.UNAVAILABLE})
_RESERVED: Final = frozenset({_CPS.RESERVED})


def _rule(
    number: int,
    condition: str,
    applies: Callable[[StationFacts], bool],
    status: StationStatus,
    reason: Reason,
) -> StationRule:
    return StationRule(number, condition, applies, status, reason)


STATION_RULES: Final[tuple[StationRule, ...]] = (
    _rule(
        1,
        "the station is removed from the platform",
        lambda f: f.removed,
        StationStatus.REMOVED,
        Reason.REMOVED,
    ),
    _rule(
        2,
        "the station is not enabled on the platform",
        lambda f: not f.enabled,
        StationStatus.INOPERATIVE,
        Reason.NOT_ENABLED,
    ),
    _rule(
        3,
        "the station is not connected",
        lambda f: not f.online,
        StationStatus.OFFLINE,
        Reason.OFFLINE,
    ),
    _rule(
        4,
        "connector 0 (the main controller) is Faulted",
        lambda f: f.main is _CPS.FAULTED,
        StationStatus.OUT_OF_ORDER,
        Reason.MAIN_CONTROLLER_FAULTED,
    ),
    _rule(
        5,
        "connector 0 (the main controller) is Unavailable",
        lambda f: f.main is _CPS.UNAVAILABLE,
        StationStatus.UNAVAILABLE,
        Reason.MAIN_CONTROLLER_UNAVAILABLE,
    ),
    _rule(
        6,
        "no connector (id 1 and up) has reported",
        lambda f: not f.connectors,
        StationStatus.UNKNOWN,
        Reason.NO_CONNECTOR_REPORTS,
    ),
    _rule(
        7,
        "any connector is Available",
        lambda f: _CPS.AVAILABLE in f.connectors,
        StationStatus.AVAILABLE,
        Reason.CONNECTOR_AVAILABLE,
    ),
    _rule(
        8,
        "every connector is Charging, SuspendedEV or SuspendedEVSE",
        lambda f: f.connectors <= _CHARGING,
        StationStatus.CHARGING,
        Reason.ALL_CONNECTORS_CHARGING,
    ),
    _rule(
        9,
        "every connector is Faulted or Unavailable, at least one Faulted",
        lambda f: f.connectors <= _BROKEN and _CPS.FAULTED in f.connectors,
        StationStatus.OUT_OF_ORDER,
        Reason.CONNECTORS_OUT_OF_ORDER,
    ),
    _rule(
        10,
        "every connector is Reserved",
        lambda f: f.connectors == _RESERVED,
        StationStatus.RESERVED,
        Reason.ALL_CONNECTORS_RESERVED,
    ),
    _rule(
        11,
        "otherwise: plugged in but not charging, all Unavailable, or a mix",
        lambda _: True,
        StationStatus.UNAVAILABLE,
        Reason.NO_CONNECTOR_AVAILABLE,
    ),
)
"""The station rules in order; the first whose condition holds decides."""

_RULE_BY_REASON: Final = FrozenMap({rule.reason: rule for rule in STATION_RULES})


def _station_rule(number: int) -> StationRule:
    return STATION_RULES[number - 1]


describe(Reason, {rule.reason: rule.condition for rule in STATION_RULES})


# --- OCPP 1.6 transitions ----------------------------------------------------

# OCPP 1.6 names each state with a letter when it is left (A-I) and a digit when
# it is entered (1-9), so a transition has a two-character code such as ``B3``.
# The letters follow the order of the specification's transition table, which is
# *not* the order of the ChargePointStatus enumeration (the table puts
# SuspendedEV before SuspendedEVSE), so they are written out here, never derived
# from the enum.
#
# The table is Edition 2's (53 transitions; B6 came with the errata sheet). It was
# checked cell by cell against the specification text and against EVerest
# libocpp's and the SAP simulator's state machines.

#: The order of OCPP 1.6 section 4.9's transition table: letter A-I when a state
#: is left, digit 1-9 when it is entered.
_TABLE_ORDER: Final = (
    _CPS.AVAILABLE,
    _CPS.PREPARING,
    _CPS.CHARGING,
    _CPS.SUSPENDED_EV,
    _CPS.SUSPENDED_EVSE,
    _CPS.FINISHING,
    _CPS.RESERVED,
    _CPS.UNAVAILABLE,
    _CPS.FAULTED,
)

STATE_LETTERS: Final[Mapping[ChargePointStatus, str]] = FrozenMap(
    {state: "ABCDEFGHI"[index] for index, state in enumerate(_TABLE_ORDER)}
)
"""Each state -> its letter in the transition table (its digit is the letter's rank)."""


class Transition(NamedTuple):
    """One change of state the OCPP 1.6 state machine defines."""

    code: str
    """The table's code: the letter of the state left, the digit of the one entered."""
    source: ChargePointStatus
    """The state left."""
    target: ChargePointStatus
    """The state entered."""
    trigger: str
    """What typically causes it, in a few words."""

    def __str__(self) -> str:
        return f"{self.code} {self.source} -> {self.target}: {self.trigger}"


def _code(source: ChargePointStatus, target: ChargePointStatus) -> str:
    return f"{STATE_LETTERS[source]}{_TABLE_ORDER.index(target) + 1}"


def _table(
    rows: tuple[tuple[ChargePointStatus, ChargePointStatus, str], ...],
) -> Mapping[str, Transition]:
    return FrozenMap(
        {
            _code(source, target): Transition(
                code=_code(source, target),
                source=source,
                target=target,
                trigger=trigger,
            )
            for source, target, trigger in rows
        }
    )


_FAULT = "a fault that stops charging is detected"
_FAULT_CLEARED = "fault cleared; back to the state held before it"
_SESSION_OVER = "session over and nothing left for the driver to do"
_STOPPED_ACTION_LEFT = "transaction stopped; the driver still has to act"
_SESSION_OVER_PENDING = "session over; a pending switch-off takes effect"

TRANSITIONS: Final[Mapping[str, Transition]] = _table(
    (
        (
            _CPS.AVAILABLE,
            _CPS.PREPARING,
            "a driver starts: plug, card, button or remote",
        ),
        (_CPS.AVAILABLE, _CPS.CHARGING, "energy flows at once, no authorisation step"),
        (
            _CPS.AVAILABLE,
            _CPS.SUSPENDED_EV,
            "session starts but the vehicle draws none",
        ),
        (
            _CPS.AVAILABLE,
            _CPS.SUSPENDED_EVSE,
            "session starts but the station holds back",
        ),
        (_CPS.AVAILABLE, _CPS.RESERVED, "a reservation is made for this connector"),
        (_CPS.AVAILABLE, _CPS.UNAVAILABLE, "switched off by a change of availability"),
        (_CPS.AVAILABLE, _CPS.FAULTED, _FAULT),
        (_CPS.PREPARING, _CPS.AVAILABLE, "start abandoned: unplugged, or it timed out"),
        (_CPS.PREPARING, _CPS.CHARGING, "everything is ready; energy starts flowing"),
        (_CPS.PREPARING, _CPS.SUSPENDED_EV, "ready, but the vehicle draws no energy"),
        (
            _CPS.PREPARING,
            _CPS.SUSPENDED_EVSE,
            "ready, but the station holds energy back",
        ),
        (_CPS.PREPARING, _CPS.FINISHING, "timed out: plugged in, never authorised"),
        (_CPS.PREPARING, _CPS.FAULTED, _FAULT),
        (_CPS.CHARGING, _CPS.AVAILABLE, _SESSION_OVER),
        (_CPS.CHARGING, _CPS.SUSPENDED_EV, "the vehicle pauses charging"),
        (
            _CPS.CHARGING,
            _CPS.SUSPENDED_EVSE,
            "the station pauses: a limit, or auth refused",
        ),
        (_CPS.CHARGING, _CPS.FINISHING, _STOPPED_ACTION_LEFT),
        (_CPS.CHARGING, _CPS.UNAVAILABLE, _SESSION_OVER_PENDING),
        (_CPS.CHARGING, _CPS.FAULTED, _FAULT),
        (_CPS.SUSPENDED_EV, _CPS.AVAILABLE, _SESSION_OVER),
        (_CPS.SUSPENDED_EV, _CPS.CHARGING, "the vehicle draws energy again"),
        (_CPS.SUSPENDED_EV, _CPS.SUSPENDED_EVSE, "the station holds back as well"),
        (_CPS.SUSPENDED_EV, _CPS.FINISHING, _STOPPED_ACTION_LEFT),
        (_CPS.SUSPENDED_EV, _CPS.UNAVAILABLE, _SESSION_OVER_PENDING),
        (_CPS.SUSPENDED_EV, _CPS.FAULTED, _FAULT),
        (_CPS.SUSPENDED_EVSE, _CPS.AVAILABLE, _SESSION_OVER),
        (
            _CPS.SUSPENDED_EVSE,
            _CPS.CHARGING,
            "the station lifts its limit; energy flows",
        ),
        (
            _CPS.SUSPENDED_EVSE,
            _CPS.SUSPENDED_EV,
            "limit lifted, but the vehicle draws none",
        ),
        (_CPS.SUSPENDED_EVSE, _CPS.FINISHING, _STOPPED_ACTION_LEFT),
        (_CPS.SUSPENDED_EVSE, _CPS.UNAVAILABLE, _SESSION_OVER_PENDING),
        (_CPS.SUSPENDED_EVSE, _CPS.FAULTED, _FAULT),
        (_CPS.FINISHING, _CPS.AVAILABLE, "the driver has done all that was left"),
        (
            _CPS.FINISHING,
            _CPS.PREPARING,
            "the driver starts over: replug or card again",
        ),
        (
            _CPS.FINISHING,
            _CPS.UNAVAILABLE,
            "driver done; a pending switch-off takes effect",
        ),
        (_CPS.FINISHING, _CPS.FAULTED, _FAULT),
        (_CPS.RESERVED, _CPS.AVAILABLE, "the reservation ran out or was cancelled"),
        (_CPS.RESERVED, _CPS.PREPARING, "the holder of the reservation arrives"),
        (
            _CPS.RESERVED,
            _CPS.UNAVAILABLE,
            "reservation over; a pending switch-off applies",
        ),
        (_CPS.RESERVED, _CPS.FAULTED, _FAULT),
        (
            _CPS.UNAVAILABLE,
            _CPS.AVAILABLE,
            "switched on again by a change of availability",
        ),
        (
            _CPS.UNAVAILABLE,
            _CPS.PREPARING,
            "switched on while a driver was already there",
        ),
        (_CPS.UNAVAILABLE, _CPS.CHARGING, "switched on; charging starts by itself"),
        (
            _CPS.UNAVAILABLE,
            _CPS.SUSPENDED_EV,
            "switched on; the vehicle draws no energy",
        ),
        (_CPS.UNAVAILABLE, _CPS.SUSPENDED_EVSE, "switched on; the station holds back"),
        (_CPS.UNAVAILABLE, _CPS.FAULTED, _FAULT),
        *((_CPS.FAULTED, target, _FAULT_CLEARED) for target in _TABLE_ORDER[:-1]),
    )
)
"""The 53 connector transitions OCPP 1.6 (Edition 2) defines, by code, in table order.

They apply to connectors 1 and up; connector 0 has its own reduced machine,
:data:`~evstatus.rules.CONNECTOR_ZERO_TRANSITIONS`.
"""

CONNECTOR_ZERO_TRANSITIONS: Final[Mapping[str, Transition]] = _table(
    (
        (_CPS.AVAILABLE, _CPS.UNAVAILABLE, "the whole charge point is switched off"),
        (_CPS.AVAILABLE, _CPS.FAULTED, "a fault of the whole charge point"),
        (_CPS.UNAVAILABLE, _CPS.AVAILABLE, "the whole charge point is switched on"),
        (_CPS.UNAVAILABLE, _CPS.FAULTED, "a fault of the whole charge point"),
        (_CPS.FAULTED, _CPS.AVAILABLE, "fault cleared; it was Available before"),
        (_CPS.FAULTED, _CPS.UNAVAILABLE, "fault cleared; it was Unavailable before"),
    )
)
"""The reduced machine of connector 0, the main controller, by code.

Available and Unavailable go back and forth, either may become Faulted, and
Faulted may clear to either. OCPP gives these no codes of their own; the codes
here are those of the same cells in the connector table.
"""

_Pair = tuple[ChargePointStatus, ChargePointStatus]

TRANSITION_BY_PAIR: Final[Mapping[_Pair, Transition]] = FrozenMap(
    {(t.source, t.target): t for t in TRANSITIONS.values()}
)
""":data:`~evstatus.rules.TRANSITIONS` by ``(source, target)``: the one
look-up of a connector's transition, for
:func:`~evstatus.rules.classify_transition` and the station history alike."""

CONNECTOR_ZERO_TRANSITION_BY_PAIR: Final[Mapping[_Pair, Transition]] = FrozenMap(
    {(t.source, t.target): t for t in CONNECTOR_ZERO_TRANSITIONS.values()}
)
""":data:`~evstatus.rules.CONNECTOR_ZERO_TRANSITIONS` by ``(source, target)``."""


def classify_transition(
    previous: ChargePointStatus,
    current: ChargePointStatus,
    *,
    connector_id: int = 1,
) -> Transition | None:
    """Return the transition from *previous* to *current*, or None if undefined.

    Connector 0 follows :data:`~evstatus.rules.CONNECTOR_ZERO_TRANSITIONS`, every other
    connector :data:`~evstatus.rules.TRANSITIONS`. Staying in the same state is no
    transition, so it gives None as well.

    >>> from evstatus.rules import classify_transition
    >>> from evstatus import ChargePointStatus as S
    >>> classify_transition(S.PREPARING, S.CHARGING).code
    'B3'
    >>> classify_transition(S.CHARGING, S.PREPARING) is None
    True
    """
    # The annotations are promises a caller without a type checker may break.
    for name, value in (("previous", previous), ("current", current)):
        if not isinstance(value, ChargePointStatus):
            raise wrong_type(name, value, "a ChargePointStatus member")
    number: object = connector_id
    if not isinstance(number, int) or isinstance(number, bool):
        raise wrong_type("connector_id", connector_id, "an int >= 0")
    if number < 0:
        raise wrong_value("connector_id", connector_id, "an int >= 0")
    table = (
        CONNECTOR_ZERO_TRANSITION_BY_PAIR if connector_id == 0 else TRANSITION_BY_PAIR
    )
    return table.get((previous, current))


# --- between protocols, and OCPI ----------------------------------------------

OCPP201_STATUS_BY_OCPP16: Final[Mapping[ChargePointStatus, ConnectorState]] = FrozenMap(
    {
        _CPS.AVAILABLE: _O2.AVAILABLE,
        # OCPP 2.0.1 folds the five in-use states into one; the detail moved
        # to the transaction's charging state.
        _CPS.PREPARING: _O2.OCCUPIED,
        _CPS.CHARGING: _O2.OCCUPIED,
        _CPS.SUSPENDED_EV: _O2.OCCUPIED,
        _CPS.SUSPENDED_EVSE: _O2.OCCUPIED,
        _CPS.FINISHING: _O2.OCCUPIED,
        _CPS.RESERVED: _O2.RESERVED,
        _CPS.UNAVAILABLE: _O2.UNAVAILABLE,
        _CPS.FAULTED: _O2.FAULTED,
    }
)
"""OCPP 1.6 state of a connector -> the OCPP 2.0.1 / 2.1 connector status."""

#: What an Occupied connector stands for in OCPP 1.6, by its transaction's
#: charging state (``None``: no charging state known).
_OCCUPIED_BY_CHARGING_STATE: Final[Mapping[ChargingState | None, ChargePointStatus]] = {
    ChargingState.CHARGING: _CPS.CHARGING,
    ChargingState.SUSPENDED_EV: _CPS.SUSPENDED_EV,
    ChargingState.SUSPENDED_EVSE: _CPS.SUSPENDED_EVSE,
    ChargingState.EV_CONNECTED: _CPS.PREPARING,
    # In use, but not known to deliver energy: Preparing is the 1.6 state
    # that says exactly "taken, not charging" (see docs/interop.md).
    ChargingState.IDLE: _CPS.PREPARING,
    None: _CPS.PREPARING,
}
#: The other four statuses have a 1.6 state of the same name; the charging
#: state does not change them (the connector's own report is the fresher word).
_SAME_NAME: Final = {
    _O2.AVAILABLE: _CPS.AVAILABLE,
    _O2.RESERVED: _CPS.RESERVED,
    _O2.UNAVAILABLE: _CPS.UNAVAILABLE,
    _O2.FAULTED: _CPS.FAULTED,
}

OCPP16_STATUS_BY_OCPP201: Final[
    Mapping[tuple[ConnectorState, ChargingState | None], ChargePointStatus]
] = FrozenMap(
    {
        (status, state): (
            _OCCUPIED_BY_CHARGING_STATE[state]
            if status is _O2.OCCUPIED
            else _SAME_NAME[status]
        )
        for status in ConnectorState
        for state in (*ChargingState, None)
    }
)
"""(OCPP 2.0.1 status, transaction's charging state or None) -> OCPP 1.6 state.

Occupied is refined by the charging state; without one, or with Idle or
EVConnected, it reads as Preparing, never as Charging.
"""

CONNECTOR_STATUS_BY_OCPP201: Final[Mapping[ConnectorState, ConnectorStatus]] = (
    FrozenMap(
        {
            status: CONNECTOR_STATUS_BY_OCPP16[OCPP16_STATUS_BY_OCPP201[status, None]]
            for status in ConnectorState
        }
    )
)
"""OCPP 2.0.1 status of a connector -> what a driver is told about it.

Composed from :data:`~evstatus.rules.OCPP16_STATUS_BY_OCPP201` and
:data:`~evstatus.rules.CONNECTOR_STATUS_BY_OCPP16`; the charging state never changes it.
"""

OCPI_STATUS_BY_OCPP16: Final[Mapping[ChargePointStatus, EvseStatus]] = FrozenMap(
    {
        _CPS.AVAILABLE: _OCPI.AVAILABLE,
        # A driver holds the connector in every one of these states.
        _CPS.PREPARING: _OCPI.CHARGING,
        _CPS.CHARGING: _OCPI.CHARGING,
        _CPS.SUSPENDED_EV: _OCPI.CHARGING,
        _CPS.SUSPENDED_EVSE: _OCPI.CHARGING,
        _CPS.FINISHING: _OCPI.CHARGING,
        _CPS.RESERVED: _OCPI.RESERVED,
        # OCPI: INOPERATIVE is "not usable, not broken"; OUTOFORDER is "broken".
        _CPS.UNAVAILABLE: _OCPI.INOPERATIVE,
        _CPS.FAULTED: _OCPI.OUTOFORDER,
    }
)
"""OCPP 1.6 state of a connector -> the OCPI 2.2.1 status of its EVSE."""

OCPI_STATUS_BY_OCPP201: Final[Mapping[ConnectorState, EvseStatus]] = FrozenMap(
    {
        _O2.AVAILABLE: _OCPI.AVAILABLE,
        _O2.OCCUPIED: _OCPI.CHARGING,
        _O2.RESERVED: _OCPI.RESERVED,
        _O2.UNAVAILABLE: _OCPI.INOPERATIVE,
        _O2.FAULTED: _OCPI.OUTOFORDER,
    }
)
"""OCPP 2.0.1 / 2.1 status of a connector -> the OCPI 2.2.1 status of its EVSE.

Agrees with :data:`~evstatus.rules.OCPI_STATUS_BY_OCPP16` through
:data:`~evstatus.rules.OCPP201_STATUS_BY_OCPP16` (a test checks), so a station's
protocol version never changes what partners see.
"""

OCPI_MAIN_CONTROLLER_OVERRIDES: Final[
    Mapping[ChargePointStatus, Mapping[EvseStatus, EvseStatus]]
] = FrozenMap(
    {
        # A faulted main controller breaks every connector.
        _CPS.FAULTED: FrozenMap(dict.fromkeys(EvseStatus, _OCPI.OUTOFORDER)),
        # An unavailable one switches every connector off, but a connector's own
        # fault stays visible, as in MAIN_CONTROLLER_OVERRIDES.
        _CPS.UNAVAILABLE: FrozenMap(
            {
                own: own if own is _OCPI.OUTOFORDER else _OCPI.INOPERATIVE
                for own in EvseStatus
            }
        ),
    }
)
"""Main controller's state -> (a connector's own OCPI status -> the one published).

In OCPP 1.6 the main controller is connector 0; in OCPP 2.0.1 / 2.1, the
station's own AvailabilityState, if the caller knows it. Available, or unknown,
masks nothing.
"""


class OcpiFacts(NamedTuple):
    """All an OCPI flag rule may look at: the platform's flags for the EVSE."""

    removed: bool
    planned: bool
    enabled: bool
    online: bool


class OcpiFlagRule(NamedTuple):
    """One platform flag that decides an EVSE's OCPI status before any report."""

    condition: str
    """The condition, in words, as the docs print it."""
    applies: Callable[[OcpiFacts], bool]
    """The condition, as a test of the facts."""
    status: EvseStatus

    def __repr__(self) -> str:
        return f"OcpiFlagRule(status={self.status!r}, condition={self.condition!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # As for StationRule: pickled as its place in the table.
        return (_ocpi_flag_rule, (self.status,))


def _flag_rule(
    condition: str, applies: Callable[[OcpiFacts], bool], status: EvseStatus
) -> OcpiFlagRule:
    return OcpiFlagRule(condition, applies, status)


OCPI_FLAG_RULES: Final[tuple[OcpiFlagRule, ...]] = (
    _flag_rule(
        "the station is removed from the platform", lambda f: f.removed, _OCPI.REMOVED
    ),
    _flag_rule(
        "the EVSE is planned, not yet in service", lambda f: f.planned, _OCPI.PLANNED
    ),
    _flag_rule(
        "the station is not enabled on the platform",
        lambda f: not f.enabled,
        _OCPI.INOPERATIVE,
    ),
    # OCPI's own words for UNKNOWN: no status information available, as
    # when the station is offline.
    _flag_rule("the station is not connected", lambda f: not f.online, _OCPI.UNKNOWN),
)
"""The flags that decide an EVSE's OCPI status before any report does, in
order: the first that holds wins."""


def _ocpi_flag_rule(status: EvseStatus) -> OcpiFlagRule:
    return next(rule for rule in OCPI_FLAG_RULES if rule.status is status)


OCPI_BLOCKED: Final[Mapping[EvseStatus, EvseStatus]] = FrozenMap(
    {_OCPI.AVAILABLE: _OCPI.BLOCKED}
)
"""What *blocked* (say, a bay sensor sees a car that is not charging) turns a
status into; a status not listed here stays as it is."""
