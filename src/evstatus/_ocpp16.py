"""One OCPP 1.6 StatusNotification.req, validated, and its JSON form."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Final, NotRequired, TypedDict, TypeVar, cast

import attrs

from ._enums import CONNECTOR_ZERO_STATUSES, ChargePointErrorCode, ChargePointStatus
from ._frozen import fast_constructor
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
    in_utc_or_none,
    is_representable,
    parse_timestamp,
)
from .exceptions import InvalidReport, Problem

__all__ = [
    "FIELDS",
    "ConnectorReport",
    "StatusNotificationPayload",
    "connector_zero_forbidden",
    "parse_payload",
]


class StatusNotificationPayload(TypedDict):
    """The JSON object of an OCPP 1.6 StatusNotification request."""

    connectorId: int
    errorCode: str
    status: str
    timestamp: NotRequired[str]
    info: NotRequired[str]
    vendorId: NotRequired[str]
    vendorErrorCode: NotRequired[str]


#: The payload's fields as OCPP 1.6 defines them, in the order its text lists
#: them: the one place their keys, limits and enums are written. This parser,
#: the lenient reader and the test strategies all take theirs from it.
FIELDS: Final = (
    PayloadField(
        key="connectorId",
        attribute="connector_id",
        kind=FieldKind.ID,
        required=True,
        minimum=0,
    ),
    PayloadField(
        key="errorCode",
        attribute="error_code",
        kind=FieldKind.ENUM,
        required=True,
        values=ChargePointErrorCode,
        other=ChargePointErrorCode.OTHER_ERROR.value,
        vendor_field="vendorErrorCode",
    ),
    PayloadField(
        key="status",
        attribute="status",
        kind=FieldKind.ENUM,
        required=True,
        values=ChargePointStatus,
    ),
    PayloadField(
        key="timestamp",
        attribute="timestamp",
        kind=FieldKind.TIMESTAMP,
        required=False,
    ),
    PayloadField(
        key="info",
        attribute="info",
        kind=FieldKind.TEXT,
        required=False,
        max_length=50,
    ),
    PayloadField(
        key="vendorId",
        attribute="vendor_id",
        kind=FieldKind.TEXT,
        required=False,
        max_length=255,
    ),
    PayloadField(
        key="vendorErrorCode",
        attribute="vendor_error_code",
        kind=FieldKind.TEXT,
        required=False,
        max_length=50,
    ),
)
# The free-text fields: (JSON key, attribute, longest allowed).
_TEXT_FIELDS: Final = tuple(
    (field.key, field.attribute, field.max_length)
    for field in FIELDS
    if field.max_length is not None
)
_LIMITS: Final = {key: limit for key, _, limit in _TEXT_FIELDS}
# Named for the fast path, which checks each field without a loop.
_INFO_LIMIT: Final = _LIMITS["info"]
_VENDOR_ID_LIMIT: Final = _LIMITS["vendorId"]
_VENDOR_ERROR_CODE_LIMIT: Final = _LIMITS["vendorErrorCode"]
_REQUIRED_KEYS: Final = tuple(field.key for field in FIELDS if field.required)
_REQUIRED_COUNT: Final = len(_REQUIRED_KEYS)
_KNOWN_KEYS: Final = frozenset(field.key for field in FIELDS)
_STATUS_BY_VALUE: Final[dict[str, ChargePointStatus]] = {
    member.value: member for member in ChargePointStatus
}
_ZERO_STATUS_BY_VALUE: Final[dict[str, ChargePointStatus]] = {
    member.value: member
    for member in ChargePointStatus
    if member in CONNECTOR_ZERO_STATUSES
}
_ERROR_BY_VALUE: Final[dict[str, ChargePointErrorCode]] = {
    member.value: member for member in ChargePointErrorCode
}
_CONNECTOR_ZERO_EXPECTED: Final = "on connector 0 only " + ", ".join(
    repr(s.value) for s in ChargePointStatus if s in CONNECTOR_ZERO_STATUSES
)


_Member = TypeVar("_Member", ChargePointStatus, ChargePointErrorCode)


def _one_of(members: Iterable[ChargePointStatus | ChargePointErrorCode]) -> str:
    return "one of " + ", ".join(repr(member.value) for member in members)


_STATUS_TYPE_EXPECTED: Final = (
    "a ChargePointStatus member (convert a string with ChargePointStatus(x))"
)
_ERROR_TYPE_EXPECTED: Final = (
    "a ChargePointErrorCode member (convert a string with ChargePointErrorCode(x))"
)
_DATETIME_EXPECTED: Final = "None or a timezone-aware datetime within years 1-9999 UTC"


@attrs.frozen(kw_only=True)
class ConnectorReport:
    """What one connector said in one OCPP 1.6 StatusNotification.

    Immutable and checked when built: breaking any rule raises
    :class:`InvalidReport` listing every problem at once.

    >>> from evstatus import ChargePointStatus, ConnectorReport
    >>> report = ConnectorReport(connector_id=1, status=ChargePointStatus.CHARGING)
    >>> report.to_ocpp()
    {'connectorId': 1, 'errorCode': 'NoError', 'status': 'Charging'}
    """

    connector_id: int
    """The connector, counted from 1; 0 means the charge point's main controller."""
    status: ChargePointStatus
    """The OCPP 1.6 state reported."""
    error_code: ChargePointErrorCode = ChargePointErrorCode.NO_ERROR
    """The error code reported beside the state."""
    timestamp: datetime | None = attrs.field(default=None, converter=in_utc_or_none)
    """When the station says the state began, if it said; held in UTC."""
    info: str | None = None
    """Free text from the station, at most 50 characters."""
    vendor_id: str | None = None
    """Who defines ``vendor_error_code``, at most 255 characters."""
    vendor_error_code: str | None = None
    """The vendor's own error code, at most 50 characters."""

    def __attrs_post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise InvalidReport(problems)

    def _problems(self) -> Iterator[Problem]:
        # The annotations are promises a caller without a type checker may
        # break, so each value is looked at as a plain object here.
        connector_id: object = self.connector_id
        if not is_int(connector_id) or connector_id < 0:
            yield Problem(
                field="connector_id", value=connector_id, expected="an int >= 0"
            )
        status: object = self.status
        if not isinstance(status, ChargePointStatus):
            yield Problem(field="status", value=status, expected=_STATUS_TYPE_EXPECTED)
        elif connector_id == 0 and status not in CONNECTOR_ZERO_STATUSES:
            yield Problem(
                field="status", value=status, expected=_CONNECTOR_ZERO_EXPECTED
            )
        error_code: object = self.error_code
        if not isinstance(error_code, ChargePointErrorCode):
            yield Problem(
                field="error_code", value=error_code, expected=_ERROR_TYPE_EXPECTED
            )
        timestamp: object = self.timestamp
        if timestamp is not None and (
            not isinstance(timestamp, datetime) or not is_representable(timestamp)
        ):
            yield Problem(
                field="timestamp", value=timestamp, expected=_DATETIME_EXPECTED
            )
        for _, attribute, limit in _TEXT_FIELDS:
            text: object = getattr(self, attribute)
            if text is not None and (not isinstance(text, str) or len(text) > limit):
                yield Problem(
                    field=attribute,
                    value=text,
                    expected=f"None or a str of at most {limit} characters",
                )

    @property
    def is_warning(self) -> bool:
        """Whether this is a warning: an error code on a connector that still works.

        OCPP lets a station report an error code with any state; only with
        Faulted is it a fault.
        """
        return (
            self.error_code is not ChargePointErrorCode.NO_ERROR
            and self.status is not ChargePointStatus.FAULTED
        )

    @classmethod
    def from_ocpp(cls, payload: object) -> ConnectorReport:
        """Parse the JSON object of a StatusNotification request.

        Accepts exactly what the official OCPP 1.6 schema accepts, plus the rules
        its prose adds (connectorId >= 0, connector 0's three states, a real RFC
        3339 timestamp with an offset). Raises :class:`InvalidReport`, and
        nothing else, for any other input, listing every problem found.

        >>> ConnectorReport.from_ocpp(
        ...     {"connectorId": 2, "errorCode": "NoError", "status": "Finishing"}
        ... ).status
        <ChargePointStatus.FINISHING: 'Finishing'>
        """
        return _parse(payload)

    def to_ocpp(self) -> StatusNotificationPayload:
        """Return the StatusNotification request payload, ready for ``json.dumps``.

        Keys left unset are left out; a timestamp is written in UTC with ``Z``.
        """
        payload: StatusNotificationPayload = {
            "connectorId": self.connector_id,
            "errorCode": self.error_code.value,
            "status": self.status.value,
        }
        if self.timestamp is not None:
            payload["timestamp"] = format_timestamp(self.timestamp)
        if self.info is not None:
            payload["info"] = self.info
        if self.vendor_id is not None:
            payload["vendorId"] = self.vendor_id
        if self.vendor_error_code is not None:
            payload["vendorErrorCode"] = self.vendor_error_code
        return payload


# Builds a report that _parse has already checked without __init__ checking
# it all again, which would double the hot path's cost. Its timestamp comes
# from parse_timestamp, in UTC already: the converter would only cost a call.
_make = fast_constructor(ConnectorReport, convert=False)


def _parse(payload: object) -> ConnectorReport:  # noqa: C901, PLR0911, PLR0912
    # The fast path: one pass for every plainly valid payload, connector 0
    # included. Anything unusual (a problem, str or int subclasses, a dict
    # subclass) goes to _parse_thoroughly, which alone decides what is
    # rejected and lists every problem. This function is long on purpose:
    # every call it saves is a few percent of the cost of parsing a report
    # (a cast() is one too, hence the annotation instead).
    if type(payload) is not dict:
        return _parse_thoroughly(payload)
    fields: dict[str, object] = payload  # pyright: ignore[reportUnknownVariableType]
    if not _KNOWN_KEYS.issuperset(fields):
        return _parse_thoroughly(fields)
    get = fields.get
    connector_id = get("connectorId")
    raw_error = get("errorCode")
    raw_status = get("status")
    if (
        type(connector_id) is not int
        or connector_id < 0
        or type(raw_error) is not str
        or type(raw_status) is not str
    ):
        return _parse_thoroughly(fields)
    error_code = _ERROR_BY_VALUE.get(raw_error)
    # Connector 0 looks its state up among the three it may report.
    status = (_STATUS_BY_VALUE if connector_id else _ZERO_STATUS_BY_VALUE).get(
        raw_status
    )
    if error_code is None or status is None:
        return _parse_thoroughly(fields)

    timestamp = info = vendor_id = vendor_error_code = None
    unchecked = len(fields) - _REQUIRED_COUNT
    if unchecked:
        raw_timestamp = get("timestamp")
        if raw_timestamp is not None:
            if type(raw_timestamp) is not str:
                return _parse_thoroughly(fields)
            timestamp = parse_timestamp(raw_timestamp)
            if timestamp is None:
                return _parse_thoroughly(fields)
            unchecked -= 1
    if unchecked:
        info = get("info")
        if info is not None:
            if type(info) is not str or len(info) > _INFO_LIMIT:
                return _parse_thoroughly(fields)
            unchecked -= 1
        vendor_id = get("vendorId")
        if vendor_id is not None:
            if type(vendor_id) is not str or len(vendor_id) > _VENDOR_ID_LIMIT:
                return _parse_thoroughly(fields)
            unchecked -= 1
        vendor_error_code = get("vendorErrorCode")
        if vendor_error_code is not None:
            if (
                type(vendor_error_code) is not str
                or len(vendor_error_code) > _VENDOR_ERROR_CODE_LIMIT
            ):
                return _parse_thoroughly(fields)
            unchecked -= 1
        if unchecked:
            # A key held JSON null, which is never valid; the thorough path says where.
            return _parse_thoroughly(fields)

    return _make(
        connector_id, status, error_code, timestamp, info, vendor_id, vendor_error_code
    )


#: :meth:`ConnectorReport.from_ocpp` without the method's own call, for the
#: replay's hot loop.
parse_payload: Final = _parse


def _parse_thoroughly(payload: object) -> ConnectorReport:
    fields, problems = object_fields(payload, _REQUIRED_KEYS, _KNOWN_KEYS)
    connector_id = _read_connector_id(fields, problems)
    error_code = _read_member(fields, "errorCode", _ERROR_BY_VALUE, problems)
    status = _read_member(fields, "status", _STATUS_BY_VALUE, problems)
    if (
        connector_id == 0
        and status is not None
        and status not in CONNECTOR_ZERO_STATUSES
    ):
        problems.append(problem("status", status.value, _CONNECTOR_ZERO_EXPECTED))
    timestamp = _read_timestamp(fields, problems)
    info, vendor_id, vendor_error_code = (
        _read_text(fields, key, limit, problems) for key, _, limit in _TEXT_FIELDS
    )
    if problems or status is None or error_code is None or connector_id is None:
        raise InvalidReport(problems)
    return ConnectorReport(
        connector_id=connector_id,
        status=status,
        error_code=error_code,
        timestamp=timestamp,
        info=info,
        vendor_id=vendor_id,
        vendor_error_code=vendor_error_code,
    )


def _read_connector_id(
    fields: dict[object, object], problems: list[Problem]
) -> int | None:
    raw = fields.get("connectorId", MISSING)
    if is_int(raw) and raw >= 0:
        return int(raw)
    problems.append(problem("connectorId", raw, _ID_EXPECTED))
    return None


def _read_member(
    fields: dict[object, object],
    key: str,
    by_value: Mapping[str, _Member],
    problems: list[Problem],
) -> _Member | None:
    raw = fields.get(key, MISSING)
    member = by_value.get(plain(raw))
    if member is None:
        problems.append(problem(key, raw, _one_of(by_value.values())))
    return member


def _read_timestamp(
    fields: dict[object, object], problems: list[Problem]
) -> datetime | None:
    raw = fields.get("timestamp", MISSING)
    if raw is MISSING:
        return None
    timestamp = parse_timestamp(raw) if isinstance(raw, str) else None
    if timestamp is None:
        problems.append(problem("timestamp", raw, RFC3339_EXPECTED))
    return timestamp


def _read_text(
    fields: dict[object, object], key: str, limit: int, problems: list[Problem]
) -> str | None:
    raw = fields.get(key, MISSING)
    if raw is MISSING:
        return None
    if isinstance(raw, str) and len(raw) <= limit:
        return plain(raw)
    problems.append(problem(key, raw, f"a string of at most {limit} characters"))
    return None


_ID_EXPECTED: Final = "an integer >= 0"


def connector_zero_forbidden(
    payload: object,
) -> tuple[ChargePointStatus, datetime | None] | None:
    """If *payload*'s only fault is a state connector 0 may not have, say which.

    Returns that state and the payload's timestamp; None if the payload has
    any other problem (or none). Decided by parsing the payload again with an
    allowed state in place of the forbidden one, never by reading an error's
    text.
    """
    if type(payload) is not dict:
        return None
    fields = cast("dict[object, object]", payload)
    connector_id = fields.get("connectorId")
    status = _STATUS_BY_VALUE.get(plain(fields.get("status")))
    if (
        not is_int(connector_id)
        or connector_id != 0
        or status is None
        or status in CONNECTOR_ZERO_STATUSES
    ):
        return None
    try:
        stand_in = _parse_thoroughly(
            {**fields, "status": ChargePointStatus.AVAILABLE.value}
        )
    except InvalidReport:
        return None
    return status, stand_in.timestamp
