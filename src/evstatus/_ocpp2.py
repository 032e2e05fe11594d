"""OCPP 2.0.1 and 2.1: connector status, charging state, and one StatusNotification.

OCPP 2.1 kept the 2.0.1 StatusNotificationRequest and both enums unchanged, so
everything here serves both versions (the 2.1 schema only adds ``minimum: 0`` to
the two ids, which the OCPP text's ``>= 1`` already implies).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final, NotRequired, TypedDict, cast

import attrs

from ._errors import InvalidReport, Problem
from ._payload import (
    MISSING,
    is_int,
    object_fields,
    plain,
    problem,
)
from ._timestamps import (
    RFC3339_EXPECTED,
    format_timestamp,
    is_representable,
    parse_timestamp,
)

__all__ = [
    "ChargingState",
    "Ocpp2ConnectorReport",
    "Ocpp2ConnectorStatus",
    "Ocpp2StatusNotificationPayload",
]


class Ocpp2ConnectorStatus(StrEnum):
    """A connector's state as an OCPP 2.0.1 or 2.1 charging station reports it."""

    AVAILABLE = "Available"
    OCCUPIED = "Occupied"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this state means."""
        return _OCPP2_STATUS_DESCRIPTIONS[self]


_OCPP2_STATUS_DESCRIPTIONS: Mapping[Ocpp2ConnectorStatus, str] = MappingProxyType(
    {
        Ocpp2ConnectorStatus.AVAILABLE: "Free; a new driver can start here.",
        Ocpp2ConnectorStatus.OCCUPIED: (
            "In use: a cable, a vehicle or a session holds it; "
            "the charging state tells more."
        ),
        Ocpp2ConnectorStatus.RESERVED: "Kept for one driver by a reservation.",
        Ocpp2ConnectorStatus.UNAVAILABLE: (
            "Switched off, by a command or by the station, without being broken."
        ),
        Ocpp2ConnectorStatus.FAULTED: "Broken: an error keeps it from charging.",
    }
)


class ChargingState(StrEnum):
    """Where an OCPP 2.0.1 / 2.1 transaction stands (TransactionEvent chargingState)."""

    CHARGING = "Charging"
    EV_CONNECTED = "EVConnected"
    SUSPENDED_EV = "SuspendedEV"
    SUSPENDED_EVSE = "SuspendedEVSE"
    IDLE = "Idle"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this state means."""
        return _CHARGING_STATE_DESCRIPTIONS[self]


_CHARGING_STATE_DESCRIPTIONS: Mapping[ChargingState, str] = MappingProxyType(
    {
        ChargingState.CHARGING: "Energy is flowing between station and vehicle.",
        ChargingState.EV_CONNECTED: (
            "Vehicle and station are linked and know it; no energy flows yet."
        ),
        ChargingState.SUSPENDED_EV: (
            "The station offers energy, but the vehicle takes none."
        ),
        ChargingState.SUSPENDED_EVSE: (
            "The vehicle is connected, but the station offers no energy "
            "(a limit, or authorisation refused)."
        ),
        ChargingState.IDLE: "No vehicle is connected to the EVSE.",
    }
)


class Ocpp2StatusNotificationPayload(TypedDict):
    """The JSON object of an OCPP 2.0.1 / 2.1 StatusNotificationRequest."""

    timestamp: str
    connectorStatus: str
    evseId: int
    connectorId: int
    customData: NotRequired[Mapping[str, object]]


_VENDOR_ID_LIMIT: Final = 255
_REQUIRED_KEYS: Final = ("timestamp", "connectorStatus", "evseId", "connectorId")
_KNOWN_KEYS: Final = frozenset({*_REQUIRED_KEYS, "customData"})
_STATUS_BY_VALUE: Final[dict[str, Ocpp2ConnectorStatus]] = {
    member.value: member for member in Ocpp2ConnectorStatus
}
_STATUS_EXPECTED: Final = "one of " + ", ".join(
    repr(member.value) for member in Ocpp2ConnectorStatus
)
_ID_EXPECTED: Final = "an integer >= 1"
_CUSTOM_DATA_EXPECTED: Final = (
    "a JSON object with string keys and a vendorId (a string of at most 255 characters)"
)
_VENDOR_ID_EXPECTED: Final = f"a string of at most {_VENDOR_ID_LIMIT} characters"


def _freeze_custom_data(value: object) -> Mapping[str, object] | None:
    """Keep a read-only shallow copy of a custom-data mapping; leave the rest be.

    Anything that is not a mapping is kept as given, for the checks to reject.
    """
    if isinstance(value, Mapping):
        return MappingProxyType(dict(cast("Mapping[str, object]", value)))
    return cast("Mapping[str, object] | None", value)


def _custom_data_repr(value: Mapping[str, object] | None) -> str:
    return "None" if value is None else repr(dict(value))


@attrs.frozen(kw_only=True)
class Ocpp2ConnectorReport:
    """What one connector said in one OCPP 2.0.1 or 2.1 StatusNotificationRequest.

    A connector is named by two ids, its EVSE's (from 1 on each station) and its
    own (from 1 on each EVSE). Immutable and checked when built: breaking any
    rule raises :class:`InvalidReport` listing every problem at once.

    >>> from datetime import UTC, datetime
    >>> from evstatus import Ocpp2ConnectorReport, Ocpp2ConnectorStatus
    >>> report = Ocpp2ConnectorReport(
    ...     evse_id=1,
    ...     connector_id=2,
    ...     connector_status=Ocpp2ConnectorStatus.OCCUPIED,
    ...     timestamp=datetime(2026, 11, 22, 10, 15, tzinfo=UTC),
    ... )
    >>> payload = report.to_ocpp()
    >>> payload["timestamp"], payload["connectorStatus"], report.connector
    ('2026-11-22T10:15:00Z', 'Occupied', (1, 2))
    """

    evse_id: int
    """The EVSE the connector belongs to, counted from 1 on each station."""
    connector_id: int
    """The connector, counted from 1 on each EVSE."""
    connector_status: Ocpp2ConnectorStatus
    """The state reported."""
    timestamp: datetime
    """When the station says the state began (timezone-aware); OCPP 2 requires it."""
    custom_data: Mapping[str, object] | None = attrs.field(
        default=None,
        converter=_freeze_custom_data,
        hash=False,
        repr=_custom_data_repr,
    )
    """The optional vendor extension: a read-only copy of the ``customData`` object,
    which always holds a ``vendorId``; its other members are kept as given."""

    def __attrs_post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise InvalidReport(problems)

    def _problems(self) -> Iterator[Problem]:
        # The annotations are promises a caller without a type checker may
        # break, so each value is looked at as a plain object here.
        for attribute in ("evse_id", "connector_id"):
            number: object = getattr(self, attribute)
            if not is_int(number) or number < 1:
                yield Problem(field=attribute, value=number, expected="an int >= 1")
        status: object = self.connector_status
        if not isinstance(status, Ocpp2ConnectorStatus):
            yield Problem(
                field="connector_status",
                value=status,
                expected="an Ocpp2ConnectorStatus member "
                "(convert a string with Ocpp2ConnectorStatus(x))",
            )
        timestamp: object = self.timestamp
        if not isinstance(timestamp, datetime) or not is_representable(timestamp):
            yield Problem(
                field="timestamp",
                value=timestamp,
                expected="a timezone-aware datetime within years 1-9999 UTC",
            )
        custom_data: object = self.custom_data
        if custom_data is not None:
            custom_problem = _custom_data_problem(
                custom_data, "custom_data", json=False
            )
            if custom_problem is not None:
                yield custom_problem

    @property
    def connector(self) -> tuple[int, int]:
        """The connector's full name on its station: ``(evse_id, connector_id)``."""
        return (self.evse_id, self.connector_id)

    @classmethod
    def from_ocpp(cls, payload: object) -> Ocpp2ConnectorReport:
        """Parse the JSON object of a StatusNotificationRequest (OCPP 2.0.1 or 2.1).

        Accepts exactly what the official schemas accept, plus the rules the
        OCPP text adds: evseId and connectorId >= 1 and a real RFC 3339
        timestamp with an offset. Like the draft-06 schemas, it takes an
        integral number written with a fraction (``1.0``) as that integer.
        Raises :class:`InvalidReport`, and nothing else, for any other input,
        listing every problem found.

        >>> Ocpp2ConnectorReport.from_ocpp({
        ...     "timestamp": "2026-11-22T10:15:00Z",
        ...     "connectorStatus": "Available",
        ...     "evseId": 1,
        ...     "connectorId": 1,
        ... }).connector
        (1, 1)
        """
        return _parse(payload)

    def to_ocpp(self) -> Ocpp2StatusNotificationPayload:
        """Return the StatusNotificationRequest payload, ready for ``json.dumps``.

        The timestamp is written in UTC with ``Z``; ``customData`` only if set.
        """
        payload: Ocpp2StatusNotificationPayload = {
            "timestamp": format_timestamp(self.timestamp),
            "connectorStatus": self.connector_status.value,
            "evseId": self.evse_id,
            "connectorId": self.connector_id,
        }
        if self.custom_data is not None:
            payload["customData"] = dict(self.custom_data)
        return payload


# Writing the slots directly builds a report that _parse has already checked
# without __init__ checking it all again.
_slots = Ocpp2ConnectorReport.__dict__
_set_evse_id = _slots["evse_id"].__set__
_set_connector_id = _slots["connector_id"].__set__
_set_connector_status = _slots["connector_status"].__set__
_set_timestamp = _slots["timestamp"].__set__
_set_custom_data = _slots["custom_data"].__set__
del _slots
_new = object.__new__


def _parse(payload: object) -> Ocpp2ConnectorReport:
    # The fast path: the common, plainly valid payload without customData.
    # Anything else goes to _parse_thoroughly, which alone decides what is
    # rejected and lists every problem.
    if type(payload) is not dict:
        return _parse_thoroughly(payload)
    fields = cast("dict[str, object]", payload)
    if len(fields) != len(_REQUIRED_KEYS):
        return _parse_thoroughly(fields)
    get = fields.get
    evse_id = get("evseId")
    connector_id = get("connectorId")
    raw_status = get("connectorStatus")
    raw_timestamp = get("timestamp")
    if (
        type(evse_id) is not int
        or evse_id < 1
        or type(connector_id) is not int
        or connector_id < 1
        or type(raw_status) is not str
        or type(raw_timestamp) is not str
    ):
        return _parse_thoroughly(fields)
    status = _STATUS_BY_VALUE.get(raw_status)
    timestamp = parse_timestamp(raw_timestamp)
    if status is None or timestamp is None:
        return _parse_thoroughly(fields)
    report = _new(Ocpp2ConnectorReport)
    _set_evse_id(report, evse_id)
    _set_connector_id(report, connector_id)
    _set_connector_status(report, status)
    _set_timestamp(report, timestamp)
    _set_custom_data(report, None)
    return report


def _parse_thoroughly(payload: object) -> Ocpp2ConnectorReport:
    fields, problems = object_fields(payload, _REQUIRED_KEYS, _KNOWN_KEYS)
    raw_timestamp = fields.get("timestamp", MISSING)
    timestamp = (
        parse_timestamp(raw_timestamp) if isinstance(raw_timestamp, str) else None
    )
    if timestamp is None:
        problems.append(problem("timestamp", raw_timestamp, RFC3339_EXPECTED))
    raw_status = fields.get("connectorStatus", MISSING)
    status = _STATUS_BY_VALUE.get(plain(raw_status))
    if status is None:
        problems.append(problem("connectorStatus", raw_status, _STATUS_EXPECTED))
    evse_id = _read_id(fields, "evseId", problems)
    connector_id = _read_id(fields, "connectorId", problems)
    custom_data = fields.get("customData", MISSING)
    if custom_data is not MISSING:
        # JSON Schema's "object" is a dict; the report itself takes any Mapping.
        custom_problem = _custom_data_problem(custom_data, "customData", json=True)
        if custom_problem is not None:
            problems.append(custom_problem)
    if (
        problems
        or timestamp is None
        or status is None
        or evse_id is None
        or connector_id is None
    ):
        raise InvalidReport(problems)
    return Ocpp2ConnectorReport(
        evse_id=evse_id,
        connector_id=connector_id,
        connector_status=status,
        timestamp=timestamp,
        custom_data=None
        if custom_data is MISSING
        else cast("Mapping[str, object]", custom_data),
    )


def _read_id(
    fields: dict[object, object], key: str, problems: list[Problem]
) -> int | None:
    raw = fields.get(key, MISSING)
    number = _as_integer(raw)
    if number is not None and number >= 1:
        return number
    problems.append(problem(key, raw, _ID_EXPECTED))
    return None


def _as_integer(value: object) -> int | None:
    """Return the integer a JSON number stands for, as JSON Schema draft 6 reads it.

    Draft 6 counts a number with a zero fraction (``1.0``) as an integer; a
    bool is never one.
    """
    if is_int(value):
        return int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def _custom_data_problem(value: object, field: str, *, json: bool) -> Problem | None:
    """Check a customData object: string keys and a vendorId of <= 255 characters.

    Its other members are the vendor's business and are not looked at.
    """
    given: object = value
    if not isinstance(given, dict if json else Mapping):
        return Problem(field=field, value=given, expected=_CUSTOM_DATA_EXPECTED)
    members = cast("Mapping[object, object]", given)
    if not all(isinstance(key, str) for key in members):
        return Problem(field=field, value=members, expected=_CUSTOM_DATA_EXPECTED)
    vendor_id = members.get("vendorId", MISSING)
    if isinstance(vendor_id, str) and len(vendor_id) <= _VENDOR_ID_LIMIT:
        return None
    return problem(f"{field}.vendorId", vendor_id, _VENDOR_ID_EXPECTED)
