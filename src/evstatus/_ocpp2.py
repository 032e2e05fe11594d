"""One OCPP 2.0.1 / 2.1 StatusNotificationRequest, validated, and its JSON form.

OCPP 2.1 kept the 2.0.1 StatusNotificationRequest and both enums unchanged, so
everything here serves both versions (the 2.1 schema only adds ``minimum: 0`` to
the two ids, which the OCPP text's ``>= 1`` already implies).
The public face of this module is :mod:`evstatus.ocpp201`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Final, NotRequired, TypedDict, cast

import attrs

from ._enums import ConnectorState
from ._frozen import FrozenMap, fast_constructor
from ._payload import (
    MISSING,
    FieldKind,
    PayloadField,
    is_int,
    object_fields,
    plain,
    problem,
)
from ._timestamps import (
    RFC3339_EXPECTED,
    format_timestamp,
    in_utc,
    is_representable,
    parse_timestamp,
)
from .exceptions import InvalidReport, Problem

__all__ = ["FIELDS", "ConnectorReport", "StatusNotificationPayload"]


class StatusNotificationPayload(TypedDict):
    """The JSON object of an OCPP 2.0.1 / 2.1 StatusNotificationRequest."""

    timestamp: str
    connectorStatus: str
    evseId: int
    connectorId: int
    customData: NotRequired[Mapping[str, object]]


#: The payload's fields as OCPP 2.0.1 and 2.1 define them, in the order their
#: text lists them: the one place their keys and enum are written. This parser
#: and the lenient reader take theirs from it.
FIELDS: Final = (
    PayloadField(
        key="timestamp",
        attribute="timestamp",
        kind=FieldKind.TIMESTAMP,
        required=True,
    ),
    PayloadField(
        key="connectorStatus",
        attribute="status",
        kind=FieldKind.ENUM,
        required=True,
        values=ConnectorState,
    ),
    PayloadField(
        key="evseId",
        attribute="evse_id",
        kind=FieldKind.ID,
        required=True,
        minimum=1,
        integral_floats=True,
    ),
    PayloadField(
        key="connectorId",
        attribute="connector_id",
        kind=FieldKind.ID,
        required=True,
        minimum=1,
        integral_floats=True,
    ),
    PayloadField(
        key="customData",
        attribute="custom_data",
        kind=FieldKind.OBJECT,
        required=False,
    ),
)
# The one member customData must hold, and its limit, as both schemas set them.
_VENDOR_ID_LIMIT: Final = 255
_REQUIRED_KEYS: Final = tuple(field.key for field in FIELDS if field.required)
_KNOWN_KEYS: Final = frozenset(field.key for field in FIELDS)
_STATUS_BY_VALUE: Final[dict[str, ConnectorState]] = {
    member.value: member for member in ConnectorState
}
_STATUS_EXPECTED: Final = "one of " + ", ".join(
    repr(member.value) for member in ConnectorState
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
        return FrozenMap(cast("Mapping[str, object]", value))
    return cast("Mapping[str, object] | None", value)


def _custom_data_repr(value: Mapping[str, object] | None) -> str:
    return "None" if value is None else repr(dict(value))


@attrs.frozen(kw_only=True)
class ConnectorReport:
    """What one connector said in one OCPP 2.0.1 or 2.1 StatusNotificationRequest.

    A connector is named by two ids, its EVSE's (from 1 on each station) and its
    own (from 1 on each EVSE). Immutable and checked when built: breaking any
    rule raises :class:`InvalidReport` listing every problem at once.

    >>> from datetime import UTC, datetime
    >>> from evstatus.ocpp201 import ConnectorReport, ConnectorState
    >>> report = ConnectorReport(
    ...     evse_id=1,
    ...     connector_id=2,
    ...     status=ConnectorState.OCCUPIED,
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
    status: ConnectorState
    """The state reported."""
    timestamp: datetime = attrs.field(converter=in_utc)
    """When the station says the state began, held in UTC; OCPP 2 requires it."""
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
        status: object = self.status
        if not isinstance(status, ConnectorState):
            yield Problem(
                field="status",
                value=status,
                expected="an ConnectorState member "
                "(convert a string with ConnectorState(x))",
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
    def from_ocpp(cls, payload: object) -> ConnectorReport:
        """Parse the JSON object of a StatusNotificationRequest (OCPP 2.0.1 or 2.1).

        Accepts exactly what the official schemas accept, plus the rules the
        OCPP text adds: evseId and connectorId >= 1 and a real RFC 3339
        timestamp with an offset. Like the draft-06 schemas, it takes an
        integral number written with a fraction (``1.0``) as that integer.
        Raises :class:`InvalidReport`, and nothing else, for any other input,
        listing every problem found.

        >>> ConnectorReport.from_ocpp({
        ...     "timestamp": "2026-11-22T10:15:00Z",
        ...     "connectorStatus": "Available",
        ...     "evseId": 1,
        ...     "connectorId": 1,
        ... }).connector
        (1, 1)
        """
        return _parse(payload)

    def to_ocpp(self) -> StatusNotificationPayload:
        """Return the StatusNotificationRequest payload, ready for ``json.dumps``.

        The timestamp is written in UTC with ``Z``; ``customData`` only if set.
        """
        payload: StatusNotificationPayload = {
            "timestamp": format_timestamp(self.timestamp),
            "connectorStatus": self.status.value,
            "evseId": self.evse_id,
            "connectorId": self.connector_id,
        }
        if self.custom_data is not None:
            payload["customData"] = dict(self.custom_data)
        return payload


# Builds a report that _parse has already checked without __init__ checking
# it all again; its timestamp is in UTC already (parse_timestamp's), and it
# has no customData, so no converter needs to run either.
_make = fast_constructor(ConnectorReport, convert=False)


def _parse(payload: object) -> ConnectorReport:
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
    return _make(evse_id, connector_id, status, timestamp, None)


parse_payload: Final = _parse
"""Parse a StatusNotificationRequest: :meth:`ConnectorReport.from_ocpp`,
without the method's call (the fold parses one per line)."""


def _parse_thoroughly(payload: object) -> ConnectorReport:
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
    return ConnectorReport(
        evse_id=evse_id,
        connector_id=connector_id,
        status=status,
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
