"""Hypothesis strategies for testing code that consumes OCPP status reports.

Needs Hypothesis, which evstatus itself does not depend on: install the extra,
``pip install 'evstatus[testing]'``.

- ``status_notification_payloads`` and ``connector_reports``: valid
  OCPP 1.6 StatusNotification requests, as JSON objects and as reports;
- ``ocpp2_status_notification_payloads`` and ``ocpp2_connector_reports``:
  the same for OCPP 2.0.1 and 2.1;
- ``deviant_payloads``: OCPP 1.6 payloads with one labelled deviation each,
  the kind real stations send;
- ``connector_sessions``: a connector's reports following the transitions
  OCPP 1.6 defines;
- ``station_logs``: JSON Lines logs of several stations, with platform
  events, as ``evstatus replay`` reads them, each station speaking OCPP 1.6,
  2.0.1 or 2.1.

Every strategy draws only what it promises, so a test can rely on it: valid
payloads pass the official JSON schemas and evstatus's strict parsers; deviant
ones are rejected by the strict parser, but for the one deviation OCPP allows
(see ``Deviation.valid_ocpp``).
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
except ImportError as error:
    raise ImportError(
        "evstatus.testing.strategies needs Hypothesis; "
        "install it with: pip install 'evstatus[testing]'"
    ) from error

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Final, Literal

import attrs

from evstatus import _ocpp2, _ocpp16
from evstatus._enums import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorState,
    DescribedEnum,
    describe,
)
from evstatus._errors import wrong_type, wrong_value
from evstatus._ocpp16 import ConnectorReport, StatusNotificationPayload
from evstatus._payload import is_int
from evstatus.history import PlatformEvent
from evstatus.rules import CONNECTOR_ZERO_TRANSITIONS, TRANSITIONS, Transition
from evstatus.testing._translate import Translation
from evstatus.testing._writing import write_frame_line, write_timestamp

__all__ = [
    "DeviantPayload",
    "Deviation",
    "LogProtocol",
    "aware_datetimes",
    "connector_reports",
    "connector_sessions",
    "deviant_payloads",
    "ocpp2_connector_reports",
    "ocpp2_status_notification_payloads",
    "offsets",
    "rfc3339_timestamps",
    "station_logs",
    "status_notification_payloads",
]

_CPS = ChargePointStatus
_ERRORS: Final = tuple(ChargePointErrorCode)
_FAULT_CODES: Final = tuple(
    code for code in ChargePointErrorCode if code is not ChargePointErrorCode.NO_ERROR
)
_ALL_STATUSES: Final = tuple(ChargePointStatus)
_ZERO_STATUSES: Final = tuple(
    s for s in ChargePointStatus if s in CONNECTOR_ZERO_STATUSES
)
_LAST_MINUTE_OF_A_DAY: Final = 24 * 60 - 1


def offsets() -> st.SearchStrategy[timezone]:
    """Generate UTC offsets of whole minutes, -23:59 to +23:59: all RFC 3339 writes."""
    return st.integers(-_LAST_MINUTE_OF_A_DAY, _LAST_MINUTE_OF_A_DAY).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )


def aware_datetimes(
    *,
    min_value: datetime | None = None,
    max_value: datetime | None = None,
) -> st.SearchStrategy[datetime]:
    """Generate timezone-aware datetimes in UTC or any RFC 3339 offset.

    The bounds are naive local times, as ``hypothesis.strategies.datetimes``
    takes them; by default years 2 to 9998, so that every instant drawn, in
    any offset, also exists in UTC (which is how evstatus writes it).
    """
    return st.datetimes(
        min_value=min_value or datetime(2, 1, 1),  # noqa: DTZ001  (naive on purpose)
        max_value=max_value or datetime(9998, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC) | offsets(),
    )


def rfc3339_timestamps(
    *,
    datetimes: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[str]:
    """Generate RFC 3339 date-times as text, in the offset of each datetime drawn.

    UTC is written ``Z``, ``+00:00`` or ``-00:00``; a fraction of a second
    appears when the datetime has one, with 1 to 9 digits.
    """
    return _rfc3339_timestamps(datetimes=datetimes)


# The defaults and the parts the composite strategies below draw, each built
# once, not again at every draw: building and checking a strategy costs more
# than drawing from it. The draws are the same.
_AWARE_DATETIMES: Final = aware_datetimes()
_OFFSETS: Final = offsets()
_THIS_CENTURY: Final = aware_datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
)
_THIS_DECADE: Final = aware_datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 1, 1),  # noqa: DTZ001
)
_FRACTION_DIGITS: Final = st.integers(1, 9)
_UTC_ZONES: Final = st.sampled_from(("Z", "+00:00", "-00:00"))


@st.composite
def _rfc3339_timestamps(
    draw: st.DrawFn,
    *,
    datetimes: st.SearchStrategy[datetime] | None,
) -> str:
    moment = draw(_AWARE_DATETIMES if datetimes is None else datetimes)
    fraction = _fraction(moment, draw(_FRACTION_DIGITS))
    if moment.utcoffset():
        return write_timestamp(moment, fraction=fraction)
    zone = draw(_UTC_ZONES)
    return write_timestamp(moment, fraction=fraction, zone=zone)


def _fraction(moment: datetime, digits: int) -> str:
    if not moment.microsecond:
        return ""
    text = f"{moment.microsecond:06d}"
    # More digits than microseconds hold are zeros; fewer must not lose any.
    return "." + (text.ljust(digits, "0") if digits >= 6 else text.rstrip("0"))


def _texts(limit: int) -> st.SearchStrategy[str | None]:
    return st.none() | st.text(max_size=limit)


# Mostly small ids, as stations have, with connector 0 among them; any other id
# OCPP allows from time to time.
_DEFAULT_CONNECTOR_IDS: Final = st.integers(0, 4) | st.integers(min_value=0)
_STATUSES: Final = {
    True: st.sampled_from(_ZERO_STATUSES),
    False: st.sampled_from(_ALL_STATUSES),
}
_ERROR_CODES: Final = st.sampled_from(_ERRORS)
_TIMESTAMPS_OR_NONE: Final = st.none() | _AWARE_DATETIMES
_INFO: Final = _texts(50)
_VENDOR_ID: Final = _texts(255)


def connector_reports(
    *,
    connector_ids: st.SearchStrategy[int] | None = None,
    timestamps: st.SearchStrategy[datetime | None] | None = None,
) -> st.SearchStrategy[ConnectorReport]:
    """Generate valid OCPP 1.6 :class:`~evstatus.ConnectorReport` objects, all shapes.

    Any connector id (connector 0 with one of its three states only), any
    state, any error code with any state, and each optional field present or
    not. *timestamps* defaults to None or ``aware_datetimes``.
    """
    return _connector_reports(connector_ids=connector_ids, timestamps=timestamps)


@st.composite
def _connector_reports(
    draw: st.DrawFn,
    *,
    connector_ids: st.SearchStrategy[int] | None,
    timestamps: st.SearchStrategy[datetime | None] | None,
) -> ConnectorReport:
    connector_id = draw(
        _DEFAULT_CONNECTOR_IDS if connector_ids is None else connector_ids
    )
    return ConnectorReport(
        connector_id=connector_id,
        status=draw(_STATUSES[connector_id == 0]),
        error_code=draw(_ERROR_CODES),
        timestamp=draw(_TIMESTAMPS_OR_NONE if timestamps is None else timestamps),
        info=draw(_INFO),
        vendor_id=draw(_VENDOR_ID),
        vendor_error_code=draw(_INFO),
    )


def status_notification_payloads(
    *,
    connector_ids: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[StatusNotificationPayload]:
    """Generate valid OCPP 1.6 StatusNotification request payloads (JSON objects).

    The same shapes as ``connector_reports``, with the timestamp (when
    present) written in any offset by ``rfc3339_timestamps``. Each one
    passes the official schema and :meth:`ConnectorReport.from_ocpp
    <evstatus.ConnectorReport.from_ocpp>`.
    """
    return _status_notification_payloads(connector_ids=connector_ids)


@st.composite
def _status_notification_payloads(
    draw: st.DrawFn,
    *,
    connector_ids: st.SearchStrategy[int] | None,
) -> StatusNotificationPayload:
    report = draw(
        connector_reports(connector_ids=connector_ids, timestamps=st.just(None))
    )
    payload = report.to_ocpp()
    if draw(st.booleans()):
        payload["timestamp"] = draw(rfc3339_timestamps())
    return payload


def ocpp2_connector_reports(
    *,
    evse_ids: st.SearchStrategy[int] | None = None,
    connector_ids: st.SearchStrategy[int] | None = None,
    timestamps: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[_ocpp2.ConnectorReport]:
    """Generate valid OCPP 2.0.1 / 2.1 reports.

    Each a :class:`~evstatus.ocpp201.ConnectorReport`, with

    EVSE and connector ids from 1, any connector status, any timestamp
    (``aware_datetimes`` by default), and now and then ``customData``: a
    ``vendorId`` and a few members of the vendor's own.
    """
    return _ocpp2_connector_reports(
        evse_ids=evse_ids, connector_ids=connector_ids, timestamps=timestamps
    )


@st.composite
def _ocpp2_connector_reports(
    draw: st.DrawFn,
    *,
    evse_ids: st.SearchStrategy[int] | None,
    connector_ids: st.SearchStrategy[int] | None,
    timestamps: st.SearchStrategy[datetime] | None,
) -> _ocpp2.ConnectorReport:
    return _ocpp2.ConnectorReport(
        evse_id=draw(_OCPP2_IDS if evse_ids is None else evse_ids),
        connector_id=draw(_OCPP2_IDS if connector_ids is None else connector_ids),
        status=draw(_OCPP2_STATUSES),
        timestamp=draw(_AWARE_DATETIMES if timestamps is None else timestamps),
        custom_data=draw(_CUSTOM_DATA_OR_NONE),
    )


_JSON_SCALARS: Final = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)


def _custom_data() -> st.SearchStrategy[dict[str, object]]:
    vendor = st.fixed_dictionaries({"vendorId": st.text(max_size=255)})
    extra = st.dictionaries(
        st.text(max_size=12).filter(lambda key: key != "vendorId"),
        _JSON_SCALARS,
        max_size=3,
    )
    return st.tuples(vendor, extra).map(_merged)


def _merged(
    parts: tuple[Mapping[str, str], Mapping[str, object]],
) -> dict[str, object]:
    vendor, extra = parts
    return {**vendor, **extra}


_OCPP2_IDS: Final = st.integers(1, 4) | st.integers(min_value=1)
_OCPP2_STATUSES: Final = st.sampled_from(ConnectorState)
_CUSTOM_DATA_OR_NONE: Final = st.none() | _custom_data()


def ocpp2_status_notification_payloads(
    *,
    evse_ids: st.SearchStrategy[int] | None = None,
    connector_ids: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[_ocpp2.StatusNotificationPayload]:
    """Generate valid OCPP 2.0.1 / 2.1 StatusNotificationRequest payloads.

    The shapes of ``ocpp2_connector_reports``, with the timestamp written
    in any offset. Each one passes the official 2.0.1 and 2.1 schemas and
    :meth:`ConnectorReport.from_ocpp <evstatus.ocpp201.ConnectorReport.from_ocpp>`.
    """
    return _ocpp2_status_notification_payloads(
        evse_ids=evse_ids, connector_ids=connector_ids
    )


@st.composite
def _ocpp2_status_notification_payloads(
    draw: st.DrawFn,
    *,
    evse_ids: st.SearchStrategy[int] | None,
    connector_ids: st.SearchStrategy[int] | None,
) -> _ocpp2.StatusNotificationPayload:
    report = draw(
        ocpp2_connector_reports(evse_ids=evse_ids, connector_ids=connector_ids)
    )
    payload = report.to_ocpp()
    payload["timestamp"] = draw(rfc3339_timestamps())
    return payload


class Deviation(DescribedEnum):
    """One way a real station's StatusNotification strays from OCPP 1.6.

    Each member's ``description`` says what is wrong, in one line.
    """

    OFFSET_WITHOUT_MINUTES = "offset_without_minutes"
    OFFSET_WITHOUT_COLON = "offset_without_colon"
    NO_OFFSET = "no_offset"
    SPACE_SEPARATOR = "space_separator"
    CONNECTOR_ID_STRING = "connector_id_string"
    ENUM_CASE = "enum_case"
    VENDOR_ERROR_CODE = "vendor_error_code"
    INFO_TOO_LONG = "info_too_long"
    EXTRA_KEY = "extra_key"
    NULL_OPTIONAL = "null_optional"
    ZERO_TIME = "zero_time"

    @property
    def valid_ocpp(self) -> bool:
        """Whether a payload with this deviation is still valid OCPP 1.6.

        Only the zero time is: it is a real instant that the schema and the
        strict parser accept, but no report was made in year 1, so code that
        orders reports by timestamp has to deal with it.
        """
        return self is Deviation.ZERO_TIME


describe(
    Deviation,
    {
        Deviation.OFFSET_WITHOUT_MINUTES: "The timestamp's offset in hours only: +03.",
        Deviation.OFFSET_WITHOUT_COLON: (
            "The timestamp's offset without its colon: +0300."
        ),
        Deviation.NO_OFFSET: (
            "The timestamp has no offset at all: a local time of unknown zone."
        ),
        Deviation.SPACE_SEPARATOR: "A space instead of T between date and time.",
        Deviation.CONNECTOR_ID_STRING: 'connectorId as a string of digits: "1".',
        Deviation.ENUM_CASE: 'status or errorCode in another case: "charging".',
        Deviation.VENDOR_ERROR_CODE: (
            "A vendor's own code in errorCode, which OCPP does not define."
        ),
        Deviation.INFO_TOO_LONG: "info longer than the 50 characters OCPP allows.",
        Deviation.EXTRA_KEY: "A key OCPP 1.6 does not define.",
        Deviation.NULL_OPTIONAL: (
            "JSON null for an optional field instead of leaving it out."
        ),
        Deviation.ZERO_TIME: (
            'The zero time 0001-01-01T00:00:00Z: a station\'s "no clock yet".'
        ),
    },
)


@attrs.frozen(kw_only=True)
class DeviantPayload:
    """A StatusNotification payload that is valid but for one labelled deviation."""

    deviation: Deviation
    """What is wrong with it."""
    field: str
    """The field that shows the deviation, as
    :class:`~evstatus.exceptions.Problem` names it (``<keys>`` for an extra
    key)."""
    payload: dict[str, object]
    """The JSON object, as a station sent it."""


_VENDOR_CODES: Final = (
    "E042",
    "0x1F04",
    "GroundFault",
    "OverTemperature",
    "RCDFailure",
    "PowerModuleFailure",
    "EmergencyStop",
    "Error",
)
_EXTRA_KEYS: Final = (
    "transactionId",
    "evseId",
    "meterValue",
    "connectorid",
    "Status",
    "vendorInfo",
    "localTime",
)
_KNOWN_KEYS: Final = frozenset(field.key for field in _ocpp16.FIELDS)
_OPTIONAL_KEYS: Final = tuple(
    field.key for field in _ocpp16.FIELDS if not field.required
)
_VALUES: Final = frozenset(
    member.value
    for enum in (ChargePointStatus, ChargePointErrorCode)
    for member in enum
)
_ZERO_TIME: Final = "0001-01-01T00:00:00Z"


def _deviant_timestamp(moment: datetime, deviation: Deviation) -> str:
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    if deviation is Deviation.OFFSET_WITHOUT_MINUTES:
        return write_timestamp(moment, zone=f"{sign}{hours:02d}")
    if deviation is Deviation.OFFSET_WITHOUT_COLON:
        return write_timestamp(moment, zone=f"{sign}{hours:02d}{rest:02d}")
    if deviation is Deviation.NO_OFFSET:
        return write_timestamp(moment, zone="")
    return write_timestamp(moment, separator=" ")


_TIMESTAMP_DEVIATIONS: Final = frozenset(
    {
        Deviation.OFFSET_WITHOUT_MINUTES,
        Deviation.OFFSET_WITHOUT_COLON,
        Deviation.NO_OFFSET,
        Deviation.SPACE_SEPARATOR,
    }
)


@st.composite
def _deviant(draw: st.DrawFn, deviation: Deviation) -> DeviantPayload:
    payload: dict[str, object] = dict(draw(status_notification_payloads()))
    field = "timestamp"
    if deviation in _TIMESTAMP_DEVIATIONS:
        # Whole hours, so that "+03" names the offset the station meant.
        hours = draw(st.integers(-23, 23))
        moment = draw(_THIS_CENTURY).replace(tzinfo=timezone(timedelta(hours=hours)))
        payload["timestamp"] = _deviant_timestamp(moment, deviation)
    elif deviation is Deviation.ZERO_TIME:
        payload["timestamp"] = _ZERO_TIME
    elif deviation is Deviation.CONNECTOR_ID_STRING:
        field = "connectorId"
        payload[field] = str(payload[field])
    elif deviation is Deviation.ENUM_CASE:
        field = draw(st.sampled_from(("status", "errorCode")))
        value = str(payload[field])
        change = draw(st.sampled_from((str.lower, str.upper, str.swapcase)))
        payload[field] = change(value)
    elif deviation is Deviation.VENDOR_ERROR_CODE:
        field = "errorCode"
        payload[field] = draw(
            st.sampled_from(_VENDOR_CODES)
            | st.from_regex(r"[A-Z][A-Za-z0-9]{1,20}", fullmatch=True).filter(
                lambda code: code not in _VALUES
            )
        )
    elif deviation is Deviation.INFO_TOO_LONG:
        field = "info"
        payload[field] = draw(st.text(min_size=51, max_size=200))
    elif deviation is Deviation.EXTRA_KEY:
        field = "<keys>"
        key = draw(
            st.sampled_from(_EXTRA_KEYS)
            | st.text(min_size=1, max_size=20).filter(lambda k: k not in _KNOWN_KEYS)
        )
        payload[key] = draw(_JSON_SCALARS)
    else:
        field = draw(st.sampled_from(_OPTIONAL_KEYS))
        payload[field] = None
    return DeviantPayload(deviation=deviation, field=field, payload=payload)


def deviant_payloads(
    deviations: Iterable[Deviation] | None = None,
) -> st.SearchStrategy[DeviantPayload]:
    """Generate OCPP 1.6 StatusNotification payloads with exactly one deviation each.

    Each is a valid payload (from ``status_notification_payloads``) with
    one thing changed the way real stations get it wrong, labelled with the
    ``Deviation`` and the field it shows in. *deviations* limits which
    (all by default). All but ``Deviation.ZERO_TIME`` are rejected by
    :meth:`ConnectorReport.from_ocpp <evstatus.ConnectorReport.from_ocpp>`,
    with a problem naming that field.
    """
    chosen = tuple(Deviation if deviations is None else deviations)
    expected = "None or a non-empty iterable of Deviation"
    if not all(isinstance(d, Deviation) for d in chosen):
        raise wrong_type("deviations", deviations, expected)
    if not chosen:
        raise wrong_value("deviations", deviations, expected)
    return st.sampled_from(chosen).flatmap(_deviant)


def _outgoing(connector_id: int) -> dict[ChargePointStatus, tuple[Transition, ...]]:
    table = CONNECTOR_ZERO_TRANSITIONS if connector_id == 0 else TRANSITIONS
    return {
        state: tuple(t for t in table.values() if t.source is state)
        for state in ChargePointStatus
    }


# Built once: a session's walk draws from them at every step.
_SESSION_GAPS: Final = st.timedeltas(timedelta(seconds=1), timedelta(hours=6))
_NEXT: Final = {
    zero: {
        state: st.sampled_from(transitions)
        for state, transitions in _outgoing(0 if zero else 1).items()
        if transitions
    }
    for zero in (False, True)
}
_FAULTED_CODES: Final = st.sampled_from(_FAULT_CODES)
# Mostly no error; now and then a warning on a connector that still works.
_WORKING_CODES: Final = st.just(ChargePointErrorCode.NO_ERROR) | _FAULTED_CODES


def _error_code_for(
    status: ChargePointStatus,
) -> st.SearchStrategy[ChargePointErrorCode]:
    return _FAULTED_CODES if status is _CPS.FAULTED else _WORKING_CODES


def connector_sessions(
    *,
    connector_ids: st.SearchStrategy[int] | None = None,
    starts: st.SearchStrategy[datetime] | None = None,
    gaps: st.SearchStrategy[timedelta] | None = None,
    max_transitions: int = 20,
) -> st.SearchStrategy[list[ConnectorReport]]:
    """Generate one connector's reports, each a defined transition from the last.

    A random walk over :data:`~evstatus.rules.TRANSITIONS` (over
    :data:`~evstatus.rules.CONNECTOR_ZERO_TRANSITIONS` when the connector id drawn is
    0), from any state, of 0 to *max_transitions* steps. Timestamps start at a
    time drawn from *starts* (years 2000-2100 in any offset, by default) and
    grow by a gap from *gaps* (1 second to 6 hours) each step, so every report
    supersedes the one before. A report entering Faulted carries an error
    code; the others mostly ``NoError``, sometimes a warning.
    """
    _check_steps(max_transitions)
    return _connector_sessions(
        connector_ids=connector_ids,
        starts=starts,
        gaps=gaps,
        max_transitions=max_transitions,
    )


@st.composite
def _connector_sessions(
    draw: st.DrawFn,
    *,
    connector_ids: st.SearchStrategy[int] | None,
    starts: st.SearchStrategy[datetime] | None,
    gaps: st.SearchStrategy[timedelta] | None,
    max_transitions: int,
) -> list[ConnectorReport]:
    connector_id = draw(st.integers(1, 4) if connector_ids is None else connector_ids)
    moment = draw(_THIS_CENTURY if starts is None else starts)
    step = _SESSION_GAPS if gaps is None else gaps
    next_transition = _NEXT[connector_id == 0]
    status = draw(_STATUSES[connector_id == 0])
    session: list[ConnectorReport] = []
    for index in range(draw(st.integers(0, max_transitions)) + 1):
        if index:
            status = draw(next_transition[status]).target
            moment += draw(step)
        session.append(
            ConnectorReport(
                connector_id=connector_id,
                status=status,
                error_code=draw(_error_code_for(status)),
                timestamp=moment,
            )
        )
    return session


def _check_steps(max_transitions: object) -> None:
    if not is_int(max_transitions):
        raise wrong_type("max_transitions", max_transitions, "an int >= 0")
    if max_transitions < 0:
        raise wrong_value("max_transitions", max_transitions, "an int >= 0")


# A report reaches the platform up to this long after its own timestamp; the
# sessions of a log step by more, so that receiving them keeps their order.
_LARGEST_DELAY: Final = timedelta(seconds=2)
_LOG_GAPS: Final = st.timedeltas(timedelta(seconds=3), timedelta(hours=2))
_LOG_EVENTS: Final = (
    PlatformEvent.CONNECTED,
    PlatformEvent.DISCONNECTED,
    PlatformEvent.HEARD,
    PlatformEvent.ENABLED,
    PlatformEvent.DISABLED,
)


LogProtocol = Literal["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]
"""A protocol a station of :func:`station_logs` may speak."""
_LOG_PROTOCOLS: Final = ("ocpp1.6", "ocpp2.0.1", "ocpp2.1")


def station_logs(
    *,
    stations: st.SearchStrategy[int] | None = None,
    connectors: st.SearchStrategy[int] | None = None,
    max_transitions: int = 8,
    protocols: st.SearchStrategy[LogProtocol] | None = None,
) -> st.SearchStrategy[str]:
    """Generate JSON Lines logs of several stations, as ``evstatus replay`` reads them.

    Each station (1 to 4 by default, each with a distinct name) connects
    first; then its connectors' sessions (from ``connector_sessions``, 1
    to 3 connectors by default, connector 0 sometimes among them),
    heartbeats, and the platform events connected, disconnected, heard,
    enabled and disabled are interleaved with the other stations' lines, in
    order of receipt. Every line is an envelope with a station and a receive
    time; a report comes as a CALL frame or a bare payload, its timestamp in
    the station's own offset. The text ends with a newline.

    *protocols* draws the protocol each station speaks (by default every
    station speaks OCPP 1.6). A station speaking ``"ocpp2.0.1"`` or
    ``"ocpp2.1"`` has its lines written the way
    :func:`~evstatus.testing.to_ocpp201` writes them: envelopes carrying
    ``"protocol"``, one connector per EVSE, connector 0 as the charging
    station's AvailabilityState, Charging, SuspendedEV and SuspendedEVSE as
    Occupied plus a TransactionEvent. So
    ``station_logs(protocols=st.sampled_from(["ocpp1.6", "ocpp2.0.1"]))``
    draws logs that mix the two.

    Every line is valid and no report arrives late, so replaying the log
    gives no bad lines, and each connector ends in the state it reported last.
    """
    _check_steps(max_transitions)
    return _station_logs(
        stations=stations,
        connectors=connectors,
        max_transitions=max_transitions,
        protocols=protocols,
    )


@st.composite
def _station_logs(
    draw: st.DrawFn,
    *,
    stations: st.SearchStrategy[int] | None,
    connectors: st.SearchStrategy[int] | None,
    max_transitions: int,
    protocols: st.SearchStrategy[LogProtocol] | None,
) -> str:
    count = draw(st.integers(1, 4) if stations is None else stations)
    names = draw(
        st.lists(
            # A name of white space only names no station: the reader refuses it.
            st.text(min_size=1, max_size=12).filter(lambda name: not name.isspace()),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    start = draw(_THIS_DECADE)
    lines: list[tuple[datetime, Translation | None, str]] = []
    # One translation per protocol: each keeps what it needs of its stations.
    translations: dict[str, Translation] = {}
    for name in names:
        protocol = "ocpp1.6" if protocols is None else draw(protocols)
        if protocol not in _LOG_PROTOCOLS:
            raise wrong_value(
                "protocols", protocol, "to draw 'ocpp1.6', 'ocpp2.0.1' or 'ocpp2.1'"
            )
        translation = (
            None
            if protocol == "ocpp1.6"
            else translations.setdefault(protocol, Translation(protocol))
        )
        lines.extend(
            (at, translation, line)
            for at, line in _station_lines(
                draw, name, start, connectors, max_transitions
            )
        )
    # Stable: lines received at the same instant keep the order they were drawn in.
    lines.sort(key=lambda timed: timed[0])
    written: list[str] = []
    for _, translation, line in lines:
        if translation is None:
            written.append(line)
        else:
            written.extend(translation.translate(line))
    return "".join(line + "\n" for line in written)


def _station_lines(
    draw: st.DrawFn,
    name: str,
    start: datetime,
    connectors: st.SearchStrategy[int] | None,
    max_transitions: int,
) -> list[tuple[datetime, str]]:
    zone = draw(_OFFSETS)
    first = start + draw(st.timedeltas(timedelta(0), timedelta(minutes=5)))
    lines = [(first, _event_line(name, first, PlatformEvent.CONNECTED))]
    count = draw(st.integers(1, 3) if connectors is None else connectors)
    connector_ids = list(range(1, count + 1))
    if draw(st.booleans()):
        connector_ids.insert(0, 0)
    message = 0
    for connector_id in connector_ids:
        session = draw(
            connector_sessions(
                connector_ids=st.just(connector_id),
                starts=st.just(first + timedelta(seconds=1)),
                gaps=_LOG_GAPS,
                max_transitions=max_transitions,
            )
        )
        for report in session:
            timestamp = _in_zone(report.timestamp, zone)
            received = timestamp + draw(st.timedeltas(timedelta(0), _LARGEST_DELAY))
            payload: dict[str, object] = dict(report.to_ocpp())
            payload["timestamp"] = write_timestamp(timestamp)
            message += 1
            if draw(st.booleans()):
                frame: list[object] = [2, str(message), "StatusNotification", payload]
                lines.append((received, write_frame_line(name, received, frame)))
            else:
                lines.append((received, _line(name, received, "payload", payload)))
    for _ in range(draw(st.integers(0, 6))):
        at = first + draw(st.timedeltas(timedelta(seconds=1), timedelta(hours=12)))
        if draw(st.booleans()):
            message += 1
            frame = [2, str(message), "Heartbeat", {}]
            lines.append((at, write_frame_line(name, at, frame)))
        else:
            lines.append(
                (at, _event_line(name, at, draw(st.sampled_from(_LOG_EVENTS))))
            )
    return lines


def _in_zone(moment: datetime | None, zone: timezone) -> datetime:
    # Sessions drawn here always carry timestamps.
    if moment is None:
        raise AssertionError("a session report without a timestamp")
    return moment.astimezone(zone)


def _event_line(name: str, at: datetime, event: PlatformEvent) -> str:
    return _line(name, at, "event", event.value)


def _line(name: str, at: datetime, key: str, value: object) -> str:
    body: Mapping[str, object] = {
        "station": name,
        "received": write_timestamp(at),
        key: value,
    }
    return json.dumps(body)
