"""One line of a JSON Lines status log, read into what it means for a station.

The format is described in docs/history-and-cli.md. In short, a line is one of

- an OCPP-J frame: ``[2, id, action, payload]``, ``[3, id, payload]`` or
  ``[4, id, code, description, details]``;
- a bare StatusNotification payload: ``{"connectorId": 1, ...}``;
- an envelope: ``{"station": ..., "received": ..., "frame"|"payload"|"event": ...}``,
  the only way to name the station, the receive time, or a platform event.
  Any object with a ``station`` or ``received`` key is an envelope, so that a
  misspelt key is named as such rather than read as a payload.

A line of JSON whitespace only (space, tab, CR, LF) is blank: see :func:`is_blank`.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, cast

import attrs

from ._errors import wrong_type, wrong_value
from ._frozen import fast_constructor
from ._station import PlatformEvent
from .exceptions import InvalidReport, Problem

if TYPE_CHECKING:
    from typing_extensions import TypeIs
from ._timestamps import RFC3339_EXPECTED, parse_timestamp

__all__ = [
    "CENTRAL_SYSTEM_ACTIONS",
    "CHARGE_POINT_ACTIONS",
    "CHARGING_STATION_ACTIONS",
    "CSMS_ACTIONS",
    "OCPP16",
    "OCPP21",
    "OCPP201",
    "PROTOCOLS",
    "STATION_EXPECTED",
    "BadLine",
    "Contact",
    "Event",
    "LogEntry",
    "LogLine",
    "Message",
    "is_blank",
    "is_station_id",
    "read_line",
    "read_log",
    "split_lines",
    "unknown_key",
]

#: OCPP 1.6 actions a charge point sends (with the security extension's).
#: Hearing any of them, or any reply, tells that the station is connected.
CHARGE_POINT_ACTIONS: Final = frozenset(
    {
        "Authorize",
        "BootNotification",
        "DataTransfer",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "LogStatusNotification",
        "MeterValues",
        "SecurityEventNotification",
        "SignCertificate",
        "SignedFirmwareStatusNotification",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
    }
)

#: OCPP 1.6 actions the central system sends. A log holding both directions
#: may contain them; they say nothing about the station, so they are skipped.
CENTRAL_SYSTEM_ACTIONS: Final = frozenset(
    {
        "CancelReservation",
        "CertificateSigned",
        "ChangeAvailability",
        "ChangeConfiguration",
        "ClearCache",
        "ClearChargingProfile",
        "DeleteCertificate",
        "ExtendedTriggerMessage",
        "GetCompositeSchedule",
        "GetConfiguration",
        "GetDiagnostics",
        "GetInstalledCertificateIds",
        "GetLocalListVersion",
        "GetLog",
        "InstallCertificate",
        "RemoteStartTransaction",
        "RemoteStopTransaction",
        "ReserveNow",
        "Reset",
        "SendLocalList",
        "SetChargingProfile",
        "SignedUpdateFirmware",
        "TriggerMessage",
        "UnlockConnector",
        "UpdateFirmware",
    }
)

#: OCPP 2.0.1 actions a charging station sends. Hearing any of them, or any
#: reply, tells that the station is connected; StatusNotification, NotifyEvent
#: and TransactionEvent also tell of its connectors.
CHARGING_STATION_ACTIONS: Final = frozenset(
    {
        "Authorize",
        "BootNotification",
        "ClearedChargingLimit",
        "DataTransfer",
        "FirmwareStatusNotification",
        "Get15118EVCertificate",
        "GetCertificateStatus",
        "Heartbeat",
        "LogStatusNotification",
        "MeterValues",
        "NotifyChargingLimit",
        "NotifyCustomerInformation",
        "NotifyDisplayMessages",
        "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule",
        "NotifyEvent",
        "NotifyMonitoringReport",
        "NotifyReport",
        "PublishFirmwareStatusNotification",
        "ReportChargingProfiles",
        "ReservationStatusUpdate",
        "SecurityEventNotification",
        "SignCertificate",
        "StatusNotification",
        "TransactionEvent",
    }
)

#: OCPP 2.0.1 actions the CSMS sends: skipped, as 1.6's central system's are.
CSMS_ACTIONS: Final = frozenset(
    {
        "CancelReservation",
        "CertificateSigned",
        "ChangeAvailability",
        "ClearCache",
        "ClearChargingProfile",
        "ClearDisplayMessage",
        "ClearVariableMonitoring",
        "CostUpdated",
        "CustomerInformation",
        "DeleteCertificate",
        "GetBaseReport",
        "GetChargingProfiles",
        "GetCompositeSchedule",
        "GetDisplayMessages",
        "GetInstalledCertificateIds",
        "GetLocalListVersion",
        "GetLog",
        "GetMonitoringReport",
        "GetReport",
        "GetTransactionStatus",
        "GetVariables",
        "InstallCertificate",
        "PublishFirmware",
        "RequestStartTransaction",
        "RequestStopTransaction",
        "ReserveNow",
        "Reset",
        "SendLocalList",
        "SetChargingProfile",
        "SetDisplayMessage",
        "SetMonitoringBase",
        "SetMonitoringLevel",
        "SetNetworkProfile",
        "SetVariableMonitoring",
        "SetVariables",
        "TriggerMessage",
        "UnlockConnector",
        "UnpublishFirmware",
        "UpdateFirmware",
    }
)

#: What OCPP 2.1 adds to each side's actions.
_OCPP21_STATION_ACTIONS: Final = frozenset(
    {
        "BatterySwap",
        "ClosePeriodicEventStream",
        "GetCertificateChainStatus",
        "NotifyDERAlarm",
        "NotifyDERStartStop",
        "NotifyPeriodicEventStream",
        "NotifyPriorityCharging",
        "NotifySettlement",
        "OpenPeriodicEventStream",
        "PullDynamicScheduleUpdate",
        "ReportDERControl",
        "VatNumberValidation",
    }
)
_OCPP21_CSMS_ACTIONS: Final = frozenset(
    {
        "AFRRSignal",
        "AdjustPeriodicEventStream",
        "ChangeTransactionTariff",
        "ClearDERControl",
        "ClearTariffs",
        "GetDERControl",
        "GetPeriodicEventStream",
        "GetTariffs",
        "NotifyAllowedEnergyTransfer",
        "NotifyWebPaymentStarted",
        "RequestBatterySwap",
        "SetDERControl",
        "SetDefaultTariff",
        "UpdateDynamicSchedule",
        "UsePriorityCharging",
    }
)

#: The OCPP-J WebSocket subprotocol names a line may give as its protocol.
OCPP16: Final = "ocpp1.6"
OCPP201: Final = "ocpp2.0.1"
OCPP21: Final = "ocpp2.1"
PROTOCOLS: Final[tuple[str, str, str]] = (OCPP16, OCPP201, OCPP21)
PROTOCOLS_EXPECTED: Final = "one of " + ", ".join(map(repr, PROTOCOLS))

Kind = Literal[
    "status", "event", "heard", "skipped", "status2", "notify", "transaction"
]
"""What a line is: ``status`` an OCPP 1.6 StatusNotification; ``status2``,
``notify`` and ``transaction`` an OCPP 2.0.1 / 2.1 StatusNotification,
NotifyEvent and TransactionEvent; ``event`` a platform event; ``heard`` any
other message from the station; ``skipped`` one from the central system."""


def _kinds(
    station: frozenset[str], central: frozenset[str], reports: dict[str, Kind]
) -> dict[str, Kind]:
    kinds: dict[str, Kind] = dict.fromkeys(central, "skipped")
    kinds.update(dict.fromkeys(station, "heard"))
    kinds.update(reports)
    return kinds


_OCPP2_REPORTS: Final[dict[str, Kind]] = {
    "StatusNotification": "status2",
    "NotifyEvent": "notify",
    "TransactionEvent": "transaction",
}
#: Each protocol's CALL actions -> what a line of it is.
_KIND_BY_ACTION: Final[dict[str, dict[str, Kind]]] = {
    OCPP16: _kinds(
        CHARGE_POINT_ACTIONS,
        CENTRAL_SYSTEM_ACTIONS,
        {"StatusNotification": "status"},
    ),
    OCPP201: _kinds(CHARGING_STATION_ACTIONS, CSMS_ACTIONS, _OCPP2_REPORTS),
    OCPP21: _kinds(
        CHARGING_STATION_ACTIONS | _OCPP21_STATION_ACTIONS,
        CSMS_ACTIONS | _OCPP21_CSMS_ACTIONS,
        _OCPP2_REPORTS,
    ),
}
#: The action of each kind of report of OCPP 2.0.1 / 2.1.
ACTION_BY_KIND: Final[dict[str, str]] = {
    kind: action for action, kind in _OCPP2_REPORTS.items()
}
_PROTOCOL_WORDS: Final = {OCPP16: "OCPP 1.6", OCPP201: "OCPP 2.0.1", OCPP21: "OCPP 2.1"}

_EVENT_BY_VALUE: Final = {member.value: member for member in PlatformEvent}
_ENVELOPE_KEYS: Final = frozenset(
    {"station", "received", "protocol", "frame", "payload", "event"}
)
_BODY_KEYS: Final = ("frame", "payload", "event")
_KEYS_IN_WORDS: Final = "station, received, protocol, frame, payload or event"
#: What JSON counts as whitespace (RFC 8259); Python's str.isspace says more.
_JSON_WHITESPACE: Final = " \t\r\n"
#: What a station id must be, in words.
STATION_EXPECTED: Final = "a station id: a non-empty string, not only spaces"
_CALL, _CALLRESULT, _CALLERROR = 2, 3, 4
# OCPP 2.1's two more: an error about a CALLRESULT, and a request that gets
# no reply at all (NotifyPeriodicEventStream is sent that way).
_CALLRESULTERROR, _SEND = 5, 6
#: The message types that carry an action: a SEND is read as the CALL of its
#: action would be (it only gets no reply).
_REQUESTS: Final = frozenset({_CALL, _SEND})
_COMMON_SIZE: Final = 3  # station, received, frame
_PROTOCOL_SIZE: Final = 4  # and protocol
_CALL_SIZE: Final = 4
#: Message type -> the types of the items after it, and the shape in words.
_FRAME_SHAPES: Final[dict[int, tuple[tuple[type, ...], str]]] = {
    _CALL: ((str, str, dict), "[2, message id, action, payload object]"),
    _CALLRESULT: ((str, dict), "[3, message id, payload object]"),
    _CALLERROR: (
        (str, str, str, dict),
        "[4, message id, error code, description, details object]",
    ),
    _CALLRESULTERROR: (
        (str, str, str, dict),
        "[5, message id, error code, description, details object]",
    ),
    _SEND: ((str, str, dict), "[6, message id, action, payload object]"),
}
#: The name of each message type, and the types each protocol has.
_TYPE_NAMES: Final = {
    _CALL: "CALL",
    _CALLRESULT: "CALLRESULT",
    _CALLERROR: "CALLERROR",
    _CALLRESULTERROR: "CALLRESULTERROR",
    _SEND: "SEND",
}
_TYPES_OF: Final[dict[str, tuple[int, ...]]] = {
    OCPP16: (_CALL, _CALLRESULT, _CALLERROR),
    OCPP201: (_CALL, _CALLRESULT, _CALLERROR),
    OCPP21: (_CALL, _CALLRESULT, _CALLERROR, _CALLRESULTERROR, _SEND),
}
_TYPES_EXPECTED: Final = {
    protocol: "the message type: "
    + ", ".join(f"{number} ({_TYPE_NAMES[number]})" for number in types[:-1])
    + f" or {types[-1]} ({_TYPE_NAMES[types[-1]]})"
    for protocol, types in _TYPES_OF.items()
}


LogEntry = tuple[str | None, datetime | None, Kind, object]
"""What one line says, as ``(station, received, kind, value)``.

- ``station``: the station the line names, or None for the default one;
- ``received``: when the platform received the message or noted the event;
- ``kind``: ``status`` (``value`` is an OCPP 1.6 StatusNotification payload, a
  dict still unchecked), ``status2``, ``notify`` or ``transaction`` (an OCPP
  2.0.1 / 2.1 StatusNotification, NotifyEvent or TransactionEvent: ``value``
  is ``(protocol, payload)``, the payload unchecked), ``event`` (``value`` is
  a :class:`PlatformEvent`), ``heard`` (any other message from the station;
  ``value`` names it) or ``skipped`` (a message from the central system;
  ``value`` names it).

A plain tuple, not a named one: building a named tuple costs a Python-level
call, and the replay makes one per line.
"""

# json.loads without options hands the text to a default decoder; calling it
# directly saves a layer per line and decodes exactly the same.
_DECODER: Final = json.JSONDecoder()
_decode: Final = _DECODER.decode
# The decoder's scanner (in C) reads one value from an offset and says where
# it ended. A line that is one value and nothing else, the usual line, needs
# nothing more; decode() adds two regex scans for white space around it.
_scan: Final = cast(
    "Callable[[str, int], tuple[object, int]]",
    _DECODER.scan_once,  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
)


_FAST_LINE_LIMIT: Final = 640
# evstatus[fast] installs msgspec, whose JSON decoder (in C, like json's, but
# without json's Python layers) the reader then uses for every line, unless
# EVSTATUS_PURE_PYTHON is set to anything but "" or "0".
_msgspec_decode: Callable[[str], object]
_MsgspecError: type[Exception]
try:
    import msgspec.json
except ImportError:  # pragma: no cover  (the test environment has msgspec)
    _have_msgspec = False
    # Never called: FAST is false without msgspec.
    _msgspec_decode, _MsgspecError = json.loads, Exception
else:
    _have_msgspec = True
    _msgspec_decode, _MsgspecError = msgspec.json.Decoder().decode, msgspec.MsgspecError
#: Whether the log reader decodes with msgspec (``evstatus[fast]``).
FAST: Final = _have_msgspec and os.environ.get("EVSTATUS_PURE_PYTHON", "") in {"", "0"}


def is_blank(line: str) -> bool:
    r"""Whether *line* holds nothing but JSON whitespace: space, tab, CR, LF.

    A form feed, a no-break space or a Unicode line separator is no JSON
    whitespace, so a line of them is a bad line, not a blank one.

    >>> is_blank(" \t\r"), is_blank("\f"), is_blank("\u00a0")
    (True, False, False)
    """
    return not line.strip(_JSON_WHITESPACE)


def split_lines(text: str) -> list[str]:
    r"""Split *text* into lines as the log reader splits a file.

    A line ends at a line feed alone, without it and any carriage returns
    before it; a byte order mark is no part of the first line. A form feed,
    a Unicode line or paragraph separator or a lone carriage return is part
    of a line (Python's ``str.splitlines`` ends lines at each of them).

    >>> split_lines("\ufeffa\r\n\f\nb\u2028c\n")
    ['a', '\x0c', 'b\u2028c']
    """
    lines = text.split("\n")
    if not lines[-1]:
        # The text ends with a line feed (or is empty): no line after it.
        lines.pop()
    if lines:
        lines[0] = lines[0].removeprefix("\ufeff")
    return [line.rstrip("\r") for line in lines]


def unknown_key(key: str, known: Collection[str], expected: str) -> Problem:
    """Return the problem of an unknown *key*, with the closest of *known*.

    *expected* says what a key must be; a known key close to this one is
    added as a guess ("did you mean ...?").
    """
    # Matching is quadratic in the key's length; a long key is no typo anyway.
    close = (
        difflib.get_close_matches(key, known, n=1, cutoff=0.75) if len(key) < 40 else []
    )
    if close:
        expected += f" (did you mean {close[0]!r}?)"
    return Problem(field="<keys>", value=key, expected=expected)


def is_station_id(value: object) -> TypeIs[str]:
    """Whether *value* can name a station: a string with more than white space."""
    return type(value) is str and bool(value) and not value.isspace()


def read_line(line: str, protocol: str = OCPP16) -> LogEntry:
    """Read one line; raise :class:`InvalidReport` saying what is wrong with it.

    *protocol* is the protocol of a line that names none (one of
    :data:`evstatus.log.PROTOCOLS`; the caller checks it).
    """
    data = _decode_value(line)
    # Annotated, not cast(): a cast is a call, and this runs once per line.
    if type(data) is list:
        frame: list[object] = data  # pyright: ignore[reportUnknownVariableType]
        return _read_frame(frame, None, None, protocol)
    if type(data) is dict:
        fields: dict[str, object] = data  # pyright: ignore[reportUnknownVariableType]
        entry = _read_common_envelope(fields, protocol)
        if entry is not None:
            return entry
        if _ENVELOPE_KEYS.isdisjoint(fields):
            return (None, None, *_status(fields, protocol))
        return _read_envelope(fields, protocol)
    raise _bad(
        "<line>",
        data,
        "a JSON array (an OCPP-J frame) or object (a payload or an envelope)",
    )


def protocol_problem(value: object, field: str = "protocol") -> Problem:
    """Return the problem of *value* as a protocol: what it must be, and a guess."""
    expected = PROTOCOLS_EXPECTED
    if type(value) is str and len(value) < 40:
        close = difflib.get_close_matches(value.lower(), PROTOCOLS, n=1, cutoff=0.6)
        if close:
            expected += f" (did you mean {close[0]!r}?)"
    return Problem(field=field, value=value, expected=expected)


def _status(payload: dict[str, object], protocol: str) -> tuple[Kind, object]:
    """Return a StatusNotification payload of *protocol* as a line's kind and value."""
    if protocol == OCPP16:
        return "status", payload
    return "status2", (protocol, payload)


def _decode_line(line: str) -> object:
    """Decode *line* exactly as :func:`_decode_carefully` does, faster."""
    try:
        data, end = _scan(line, 0)
    except (StopIteration, ValueError, RecursionError):
        return _decode_carefully(line)
    if end != len(line):
        # White space after the value, or more than one value.
        return _decode_carefully(line)
    return data


def _decode_line_fast(line: str) -> object:
    """Decode *line* exactly as :func:`_decode_carefully` does, with msgspec.

    Only a line msgspec reads is taken from it: one it refuses (bad JSON, but
    also NaN, a lone surrogate or 1e400, which json takes) goes to the pure
    path, which alone writes the messages. A long line goes there too: json
    and msgspec may disagree on how deep a value may nest or how many digits
    an integer may have (``sys.set_int_max_str_digits`` goes down to 640),
    and a line shorter than that can reach neither limit.
    """
    if len(line) < _FAST_LINE_LIMIT:
        try:
            return _msgspec_decode(line)
        except (_MsgspecError, RecursionError):
            pass
    return _decode_line(line)


def _decode_carefully(line: str) -> object:
    """Decode *line* as json.loads does, or raise the line's error."""
    try:
        return _decode(line)
    except json.JSONDecodeError as error:
        raise _not_json(line, error) from None
    except (ValueError, RecursionError):
        # An integer of too many digits, or arrays nested too deep to parse.
        raise _bad("<line>", line, "one JSON value of sane size") from None


def _read_common_envelope(  # noqa: C901, PLR0911, PLR0912  (one pass, for speed)
    fields: dict[str, object], protocol: str
) -> LogEntry | None:
    """Read the common lines: a CALL frame or a platform event in an envelope.

    Anything unusual gives None, for :func:`_read_envelope` to judge; only
    lines it would accept as they are, and read the same, get read here
    (tests/test_fast_paths.py compares the two).
    """
    get = fields.get
    size = len(fields)
    if size != _COMMON_SIZE:
        if size != _PROTOCOL_SIZE:
            return None
        # Compared, not looked up: the line's name is a new string, and
        # hashing it costs more than comparing it with the three names. The
        # name kept is ours, whose hash every later look-up finds cached.
        named = get("protocol")
        if named == OCPP201:
            protocol = OCPP201
        elif named == OCPP21:
            protocol = OCPP21
        elif named == OCPP16:
            protocol = OCPP16
        else:
            return None
    station = get("station")
    raw_received = get("received")
    if (
        type(station) is not str
        or not station
        or station.isspace()
        or type(raw_received) is not str
    ):
        return None
    frame = get("frame")
    kind: Kind | None
    if frame is None:
        raw_event = get("event")
        value: object = (
            _EVENT_BY_VALUE.get(raw_event) if type(raw_event) is str else None
        )
        if value is None:
            return None
        kind = "event"
    else:
        if type(frame) is not list:
            return None
        items: list[object] = frame  # pyright: ignore[reportUnknownVariableType]
        if (
            len(items) != _CALL_SIZE
            or items[0] != _CALL
            or type(items[0]) is not int
            or type(items[1]) is not str
            or type(items[3]) is not dict
        ):
            return None
        action = items[2]
        if type(action) is not str:
            return None
        kind = _KIND_BY_ACTION[protocol].get(action)
        if kind == "status":
            # Narrowed to a dict of unknowns by the check above: the
            # payload is unchecked, for the state to judge.
            value = items[3]  # pyright: ignore[reportUnknownVariableType]
        elif kind == "heard":
            value = action
        elif kind is None or kind == "skipped":
            return None
        else:
            value = (protocol, items[3])  # pyright: ignore[reportUnknownVariableType]
    received = parse_timestamp(raw_received)
    if received is None:
        return None
    return (station, received, kind, value)  # pyright: ignore[reportUnknownVariableType]


def _read_envelope(  # noqa: C901  (every key of an envelope, in order)
    fields: dict[str, object], protocol: str
) -> LogEntry:
    problems = [_unknown_key(key) for key in fields if key not in _ENVELOPE_KEYS]
    bodies = [key for key in _BODY_KEYS if key in fields]
    if not bodies:
        problems.append(
            Problem(
                field="frame/payload/event",
                value=None,
                expected="one of them: an OCPP-J frame, a StatusNotification "
                "payload or a platform event",
                missing=True,
            )
        )
    elif len(bodies) > 1:
        problems.append(
            Problem(
                field="<keys>",
                value=", ".join(bodies),
                expected="only one of frame, payload, event",
            )
        )
    station = fields.get("station")
    if "station" in fields:
        _check_station(station, problems)
    received = None
    if "received" in fields:
        received = _read_received(fields["received"], problems)
    if "protocol" in fields:
        named = fields["protocol"]
        if type(named) is str and named in _KIND_BY_ACTION:
            protocol = named
        else:
            problems.append(protocol_problem(named))
    if problems:
        raise InvalidReport(problems, what="line")
    name = cast("str | None", station)
    body = bodies[0]
    if body == "frame":
        frame = fields["frame"]
        if type(frame) is not list:
            raise _bad("frame", frame, "an OCPP-J frame (a JSON array)")
        return _read_frame(cast("list[object]", frame), name, received, protocol)
    if body == "payload":
        return (name, received, *_status(_payload(fields["payload"]), protocol))
    raw_event = fields["event"]
    event = _EVENT_BY_VALUE.get(raw_event) if type(raw_event) is str else None
    if event is None:
        raise _bad(
            "event", raw_event, "one of " + ", ".join(map(repr, _EVENT_BY_VALUE))
        )
    return (name, received, "event", event)


def _payload(value: object) -> dict[str, object]:
    if type(value) is not dict:
        raise _bad("payload", value, "a StatusNotification payload (a JSON object)")
    return cast("dict[str, object]", value)


def _check_station(station: object, problems: list[Problem]) -> None:
    if not is_station_id(station):
        expected = STATION_EXPECTED
        if station is None:
            expected += " (leave the key out for the default station)"
        problems.append(Problem(field="station", value=station, expected=expected))


def _unknown_key(key: str) -> Problem:
    return unknown_key(key, _ENVELOPE_KEYS, f"an envelope key: {_KEYS_IN_WORDS}")


def _read_received(raw: object, problems: list[Problem]) -> datetime | None:
    received = parse_timestamp(raw) if type(raw) is str else None
    if received is None:
        expected = RFC3339_EXPECTED
        if raw is None:
            expected += " (leave the key out if the time is unknown)"
        problems.append(Problem(field="received", value=raw, expected=expected))
    return received


def _read_frame(
    frame: list[object], station: str | None, received: datetime | None, protocol: str
) -> LogEntry:
    kind = frame[0] if frame else None
    if type(kind) is not int or kind not in _TYPES_OF[protocol]:
        raise _bad("frame[0]", kind, _TYPES_EXPECTED[protocol])
    shape, expected = _FRAME_SHAPES[kind]
    rest = frame[1:]
    if len(rest) != len(shape) or any(
        type(item) is not wanted for item, wanted in zip(rest, shape, strict=True)
    ):
        raise _bad("frame", frame, expected)
    if kind not in _REQUESTS:
        # A reply, or an error about one: the station was heard.
        return (station, received, "heard", _TYPE_NAMES[kind])
    action = cast("str", rest[1])
    found = _KIND_BY_ACTION[protocol].get(action)
    if found is None:
        raise _bad(
            "frame[2]",
            action,
            f"an {_PROTOCOL_WORDS[protocol]} action, like 'StatusNotification'",
        )
    if found == "status":
        return (station, received, found, rest[2])
    if found in {"heard", "skipped"}:
        return (station, received, found, action)
    return (station, received, found, (protocol, rest[2]))


def _not_json(line: str, error: json.JSONDecodeError) -> InvalidReport:
    # The line number is the reader's to give; json's is always 1, and its
    # message repeats the position, so only the column and the reason are kept.
    rest = line[error.pos :]
    problem = Problem(
        field=f"column {error.colno}",
        value=rest or None,
        expected=f"one JSON value ({error.msg})",
        missing=not rest,
    )
    return InvalidReport([problem], what="line")


def _bad(field: str, value: object, expected: str) -> InvalidReport:
    return InvalidReport(
        [Problem(field=field, value=value, expected=expected)], what="line"
    )


_decode_value: Callable[[str], object] = _decode_line_fast if FAST else _decode_line


# --- the reader ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Message:
    """A line holding a status report from a station.

    In OCPP 1.6 a StatusNotification; in OCPP 2.0.1 / 2.1 a
    StatusNotification, NotifyEvent or TransactionEvent.
    """

    number: int
    """The line's number."""
    station: str
    """The station it is from (the default station if the line names none)."""
    received: datetime | None
    """When the platform received it, if the line says (UTC)."""
    action: str
    """The message's action: ``StatusNotification``, or for OCPP 2.0.1 / 2.1
    also ``NotifyEvent`` or ``TransactionEvent``."""
    payload: Mapping[str, object]
    """Its payload, as decoded and not yet checked: the fold parses it."""
    protocol: str = OCPP16
    """The protocol the payload is in: ``"ocpp1.6"``, ``"ocpp2.0.1"`` or
    ``"ocpp2.1"`` (see :data:`evstatus.log.PROTOCOLS`)."""

    @property
    def item(self) -> Mapping[str, object] | Message:
        """What a station's state takes for this line.

        An OCPP 1.6 payload as it is; any other message whole, since its
        action and protocol say how to read its payload.
        """
        if self.protocol == OCPP16:
            return self.payload
        return self


@attrs.frozen(kw_only=True)
class Event:
    """A line holding a platform event about a station."""

    number: int
    """The line's number."""
    station: str
    """The station it is about (the default station if the line names none)."""
    received: datetime | None
    """When the platform noted it, if the line says (UTC)."""
    event: PlatformEvent
    """The event."""

    @property
    def item(self) -> PlatformEvent:
        """What a station's state takes for this line: the event."""
        return self.event


@attrs.frozen(kw_only=True)
class Contact:
    """A line holding any other message from a station: it was heard from."""

    number: int
    """The line's number."""
    station: str
    """The station it is from (the default station if the line names none)."""
    received: datetime | None
    """When the platform received it, if the line says (UTC)."""
    action: str
    """What the message was: its action (``Heartbeat``, say), or ``CALLRESULT``
    or ``CALLERROR`` for a reply (also OCPP 2.1's ``CALLRESULTERROR``)."""

    @property
    def item(self) -> PlatformEvent:
        """What a station's state takes for this line: ``PlatformEvent.HEARD``."""
        return PlatformEvent.HEARD


@attrs.frozen(kw_only=True)
class BadLine:
    """A line that could not be read, and why."""

    number: int
    """The line's number."""
    error: InvalidReport = attrs.field(
        eq=attrs.cmp_using(eq=lambda a, b: (a.problems, a.what) == (b.problems, b.what))
    )
    """What is wrong with it: one problem or more (two bad lines are equal
    if their errors list the same problems)."""


LogLine: TypeAlias = Message | Event | Contact
"""A line of a log, read: what it tells about one station."""

# Built per line from values read_line checked already.
_make_message: Final = fast_constructor(Message)
_make_event: Final = fast_constructor(Event)
_make_contact: Final = fast_constructor(Contact)
_make_bad: Final = fast_constructor(BadLine)


def read_log(
    lines: Iterable[str],
    *,
    start: int = 1,
    default_station: str = "default",
    protocol: str = OCPP16,
) -> Iterator[LogLine | BadLine]:
    """Read the lines of a log; yield what each says, numbered from *start*.

    Each line gives a :class:`~evstatus.log.Message` (a
    StatusNotification), an :class:`~evstatus.log.Event` (a platform event),
    a :class:`~evstatus.log.Contact` (any other message from a station) or a
    :class:`~evstatus.log.BadLine` (the :class:`InvalidReport` saying what is
    wrong with it; reading goes on). Blank lines (JSON white space only) and
    messages from the central system, which say nothing about a station,
    give nothing. A line that names no station is
    about *default_station*; one that names no protocol speaks *protocol*
    (one of :data:`evstatus.log.PROTOCOLS`). Every item has an ``item`` to
    give a station's state or a fleet (:meth:`evstatus.log.Fleet.feed`), received at its
    ``received``.

    >>> from evstatus.log import read_log
    >>> lines = [
    ...     '{"station": "CP-1", "event": "connected"}',
    ...     "",
    ...     '[2, "7", "Heartbeat", {}]',
    ...     '[2, "8", "Heartbeat"]',
    ... ]
    >>> for line in read_log(lines):
    ...     print(line.number, type(line).__name__, getattr(line, "item", None))
    1 Event connected
    3 Contact heard
    4 BadLine None
    """
    if type(start) is not int:
        raise wrong_type("start", start, "an int")
    if type(default_station) is not str:
        raise wrong_type("default_station", default_station, STATION_EXPECTED)
    if not is_station_id(default_station):
        raise wrong_value("default_station", default_station, STATION_EXPECTED)
    if type(protocol) is not str or protocol not in _KIND_BY_ACTION:
        raise wrong_value("protocol", protocol, PROTOCOLS_EXPECTED)
    return _read_log(lines, start, default_station, protocol)


def _read_log(
    lines: Iterable[str], start: int, default: str, protocol: str
) -> Iterator[LogLine | BadLine]:
    for number, line in enumerate(lines, start):
        try:
            named, received, kind, value = read_line(line, protocol)
        except InvalidReport as error:
            # Blank lines are rare, so they are looked for only here.
            if not is_blank(line):
                yield _make_bad(number, error)
            continue
        station = default if named is None else named
        if kind == "status":
            yield _make_message(
                number,
                station,
                received,
                "StatusNotification",
                cast("dict[str, object]", value),
                OCPP16,
            )
        elif kind == "event":
            yield _make_event(number, station, received, value)
        elif kind == "heard":
            yield _make_contact(number, station, received, value)
        elif kind != "skipped":
            spoken, payload = cast("tuple[str, dict[str, object]]", value)
            yield _make_message(
                number, station, received, ACTION_BY_KIND[kind], payload, spoken
            )
