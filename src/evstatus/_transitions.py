"""The OCPP 1.6 connector state machine (section 4.9), as data.

OCPP 1.6 names each state with a letter when it is left (A-I) and a digit when
it is entered (1-9), so a transition has a two-character code such as ``B3``.
The letters follow the order of the specification's transition table, which is
*not* the order of the ChargePointStatus enumeration (the table puts
SuspendedEV before SuspendedEVSE), so they are written out here, never derived
from the enum.

The table is Edition 2's (53 transitions; B6 came with the errata sheet). It was
checked cell by cell against the specification text and against EVerest
libocpp's and the SAP simulator's state machines; see
docs/history-and-cli.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from ._enums import ChargePointStatus
from ._errors import InvalidReport, Problem

__all__ = [
    "CONNECTOR_ZERO_TRANSITIONS",
    "STATE_LETTERS",
    "TRANSITIONS",
    "Transition",
    "classify_transition",
]

_CPS = ChargePointStatus

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

STATE_LETTERS: Final[Mapping[ChargePointStatus, str]] = MappingProxyType(
    {state: "ABCDEFGHI"[index] for index, state in enumerate(_TABLE_ORDER)}
)
"""Each state -> its letter in the transition table (its digit is the letter's rank)."""


@attrs.frozen(kw_only=True)
class Transition:
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
    return MappingProxyType(
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
:data:`CONNECTOR_ZERO_TRANSITIONS`.
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

_BY_PAIR: Final = {(t.source, t.target): t for t in TRANSITIONS.values()}
_ZERO_BY_PAIR: Final = {
    (t.source, t.target): t for t in CONNECTOR_ZERO_TRANSITIONS.values()
}
_STATUS_EXPECTED: Final = "a ChargePointStatus member"

_Pairs = Mapping[tuple[ChargePointStatus, ChargePointStatus], Transition]


def pair_tables() -> tuple[_Pairs, _Pairs]:
    """Return both machines keyed by (state left, state entered), for fast look-ups."""
    return _BY_PAIR, _ZERO_BY_PAIR


def classify_transition(
    previous: ChargePointStatus,
    current: ChargePointStatus,
    *,
    connector_id: int = 1,
) -> Transition | None:
    """Return the transition from *previous* to *current*, or None if undefined.

    Connector 0 follows :data:`CONNECTOR_ZERO_TRANSITIONS`, every other
    connector :data:`TRANSITIONS`. Staying in the same state is no transition,
    so it gives None as well.

    >>> from evstatus import ChargePointStatus as S, classify_transition
    >>> classify_transition(S.PREPARING, S.CHARGING).code
    'B3'
    >>> classify_transition(S.CHARGING, S.PREPARING) is None
    True
    """
    # The annotations are promises a caller without a type checker may break.
    given: tuple[tuple[str, object], ...] = (
        ("previous", previous),
        ("current", current),
    )
    problems = [
        Problem(field=name, value=value, expected=_STATUS_EXPECTED)
        for name, value in given
        if not isinstance(value, ChargePointStatus)
    ]
    number: object = connector_id
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        problems.append(
            Problem(field="connector_id", value=connector_id, expected="an int >= 0")
        )
    if problems:
        raise InvalidReport(problems, what="arguments")
    table = _ZERO_BY_PAIR if connector_id == 0 else _BY_PAIR
    return table.get((previous, current))
