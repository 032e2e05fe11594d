"""An OCPP 1.6 log, rewritten as the same stations would log it over OCPP 2.0.1.

Plain Python, like the generator: the translation needs nothing but evstatus.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Final, Literal, cast

from evstatus._enums import ChargePointStatus, ChargingState
from evstatus._errors import wrong_type, wrong_value
from evstatus._fold import StationState
from evstatus._log import CENTRAL_SYSTEM_ACTIONS, CHARGE_POINT_ACTIONS, is_station_id
from evstatus._timestamps import parse_timestamp
from evstatus.exceptions import InvalidReport
from evstatus.rules import OCPP201_STATUS_BY_OCPP16

__all__ = ["ZERO_TIME_TEXT", "Translation", "to_ocpp201"]

#: What a translated message carries where the OCPP 1.6 report had no
#: timestamp: OCPP 2.0.1 requires one, and evstatus reads the zero time of a
#: station without a clock as no timestamp, as it reads a 1.6 report without one.
ZERO_TIME_TEXT: Final = "0001-01-01T00:00:00Z"

Protocol2 = Literal["ocpp2.0.1", "ocpp2.1"]
_PROTOCOLS: Final = ("ocpp2.0.1", "ocpp2.1")
_OCPP16: Final = "ocpp1.6"

_CPS = ChargePointStatus
#: The OCPP 1.6 states that are an OCPP 2.0.1 transaction's charging state.
_CHARGING_STATES: Final = {
    _CPS.CHARGING: ChargingState.CHARGING,
    _CPS.SUSPENDED_EV: ChargingState.SUSPENDED_EV,
    _CPS.SUSPENDED_EVSE: ChargingState.SUSPENDED_EVSE,
}
#: Why a transaction ended, by the OCPP 1.6 state its connector went to.
_END_TRIGGERS: Final = {
    _CPS.AVAILABLE: "EVDeparted",
    _CPS.FAULTED: "AbnormalCondition",
    _CPS.UNAVAILABLE: "AbnormalCondition",
}
_ENVELOPE_KEYS: Final = frozenset(
    {"station", "received", "protocol", "frame", "payload", "event"}
)
_BODY_KEYS: Final = ("frame", "payload", "event")
_EVENTS: Final = frozenset(
    {"connected", "disconnected", "heard", "enabled", "disabled", "removed"}
)
_CALL, _CALLRESULT, _CALLERROR = 2, 3, 4
_FRAME_SHAPES: Final[dict[int, tuple[type, ...]]] = {
    _CALL: (str, str, dict),
    _CALLRESULT: (str, dict),
    _CALLERROR: (str, str, str, dict),
}
# The longest model and vendor names a 2.0.1 BootNotification may carry.
_MODEL_SIZE, _VENDOR_SIZE = 20, 50


def to_ocpp201(
    lines: Iterable[str], *, protocol: Protocol2 = "ocpp2.0.1"
) -> Iterator[str]:
    """Rewrite an OCPP 1.6 JSON Lines log as the same stations would log it over 2.0.1.

    *lines* is a log in the format ``evstatus replay`` reads (frames, bare
    payloads and envelopes; see the history and CLI page); each line comes
    out as an envelope carrying ``"protocol": "ocpp2.0.1"`` (or *protocol*:
    ``"ocpp2.1"`` keeps the very same messages), with the station and the
    receive time of the line it came from. Each station has one connector per
    EVSE: OCPP 1.6 connector *n* becomes EVSE *n*, connector 1.

    - A StatusNotification (a CALL or a bare payload) of connector *n* >= 1
      becomes a 2.0.1 StatusNotification of EVSE *n*, its status mapped by
      :func:`evstatus.ocpp201.from_ocpp16`. Charging, SuspendedEV and
      SuspendedEVSE are Occupied, followed by a TransactionEvent carrying that
      charging state: ``Started`` for the first, ``Updated`` while the
      transaction lasts. A report of any other state ends the transaction
      first: a TransactionEvent ``Ended``, then the new status. Only a report
      the OCPP 1.6 fold takes (judged as a default
      :class:`~evstatus.log.Fleet` judges it) starts, updates or ends a
      transaction: a late delivery or a duplicate leaves it as it was.
    - Connector 0's report becomes a NotifyEvent: the variable
      AvailabilityState of the component ChargingStation, the main controller.
    - A report without a timestamp is stamped with the zero time
      ``0001-01-01T00:00:00Z`` (2.0.1 requires a timestamp), which evstatus
      reads as no timestamp; every other timestamp is kept as written.
    - A BootNotification keeps the station's model and vendor; any other
      request from the station becomes a Heartbeat with the same message
      id, since evstatus reads nothing from it but that the station was
      heard, and its 1.6 payload is not valid 2.0.1. Replies and platform
      events pass through, the protocol added. Requests from the central
      system are left out: they say nothing about a station.
    - A line that is not a valid OCPP 1.6 line (bad JSON, an unknown action,
      an invalid payload, a blank line, a line already naming another
      protocol) passes through unchanged, so that a reader defaulting to
      ``ocpp1.6`` reads it as before.

    Every message written is valid against the official OCPP 2.0.1 schemas.
    Frames made here get message ids ``201-1``, ``201-2`` and so on.

    >>> from evstatus.testing import to_ocpp201
    >>> log = [
    ...     '{"station": "CP-1", "received": "2026-06-01T10:00:00Z", "frame": '
    ...     '[2, "7", "StatusNotification", {"connectorId": 2, '
    ...     '"errorCode": "NoError", "status": "Charging"}]}',
    ... ]
    >>> for line in to_ocpp201(log):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    {"station": "CP-1", "received": "2026-06-01T10:00:00Z", "protocol": "ocpp2.0.1",
     "frame": [2, "7", "StatusNotification", {"timestamp": "0001-01-01T00:00:00Z",
     "connectorStatus": "Occupied", "evseId": 2, "connectorId": 1}]}
    {"station": "CP-1", "received": "2026-06-01T10:00:00Z", "protocol": "ocpp2.0.1",
     "frame": [2, "201-1", "TransactionEvent", {"eventType": "Started",
     "timestamp": "0001-01-01T00:00:00Z", "triggerReason": "ChargingStateChanged",
     "seqNo": 0, "transactionInfo": {"transactionId": "2-1", "chargingState":
     "Charging"}, "evse": {"id": 2, "connectorId": 1}}]}

    Raises :class:`TypeError` or :class:`ValueError` naming a bad argument.
    """
    if isinstance(lines, str):
        raise wrong_type("lines", lines, "an iterable of lines (str), not one str")
    if not isinstance(protocol, str):
        raise wrong_type("protocol", protocol, "'ocpp2.0.1' or 'ocpp2.1'")
    if protocol not in _PROTOCOLS:
        raise wrong_value("protocol", protocol, "'ocpp2.0.1' or 'ocpp2.1'")
    return Translation(protocol).run(lines)


class _Transaction:
    """The transaction under way on one EVSE, and how many events it made."""

    __slots__ = ("events", "id")

    def __init__(self, transaction_id: str) -> None:
        self.id = transaction_id
        self.events = 0


class _Station:
    """What the translation keeps of one station."""

    __slots__ = ("events", "state", "transactions", "transactions_started")

    def __init__(self) -> None:
        # The station as the 1.6 fold sees it, to tell which reports it takes.
        self.state = StationState()
        self.transactions: dict[int, _Transaction] = {}
        self.transactions_started = 0
        self.events = 0


class Translation:
    """A translation under way: what it keeps of each station so far."""

    def __init__(self, protocol: str) -> None:
        self.protocol = protocol
        self.stations: dict[str | None, _Station] = {}
        self.made = 0

    def translate(self, line: str) -> list[str]:
        """Return what *line*, the log's next line, becomes."""
        translated = self.line(line)
        return [line] if translated is None else translated

    def run(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            if type(line) is not str:
                raise wrong_type("lines", line, "lines of text (str)")
            translated = self.line(line)
            if translated is None:
                yield line
            else:
                yield from translated

    def line(self, line: str) -> list[str] | None:
        """Return what *line* becomes, or None to pass it through unchanged."""
        try:
            data: object = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if type(data) is list:
            return self.frame(None, cast("list[object]", data), {})
        if type(data) is not dict:
            return None
        fields = cast("dict[str, object]", data)
        if _ENVELOPE_KEYS.isdisjoint(fields):
            return self.status(None, fields, {}, None)
        return self.envelope(fields)

    def envelope(self, fields: dict[str, object]) -> list[str] | None:
        head = _head(fields)
        if head is None:
            return None
        name = cast("str | None", head.get("station"))
        body = next(key for key in _BODY_KEYS if key in fields)
        value = fields[body]
        if body == "frame" and type(value) is list:
            return self.frame(name, cast("list[object]", value), head)
        if body == "payload" and type(value) is dict:
            return self.status(name, cast("dict[str, object]", value), head, None)
        if body == "event" and type(value) is str and value in _EVENTS:
            return [self.write(head, "event", value)]
        return None

    def frame(
        self, name: str | None, frame: list[object], head: dict[str, object]
    ) -> list[str] | None:
        if not _is_frame(frame):
            return None
        if frame[0] != _CALL:
            return [self.write(head, "frame", frame)]
        message_id, action = cast("str", frame[1]), cast("str", frame[2])
        payload = cast("dict[str, object]", frame[3])
        if action == "StatusNotification":
            return self.status(name, payload, head, message_id)
        if action in CENTRAL_SYSTEM_ACTIONS:
            return []
        if action not in CHARGE_POINT_ACTIONS:
            return None
        if action == "BootNotification":
            request: list[object] = [_CALL, message_id, action, _boot(payload)]
        else:
            request = [_CALL, message_id, "Heartbeat", {}]
        return [self.write(head, "frame", request)]

    def status(
        self,
        name: str | None,
        payload: dict[str, object],
        head: dict[str, object],
        message_id: str | None,
    ) -> list[str] | None:
        station = self.stations.get(name)
        if station is None:
            station = self.stations[name] = _Station()
        raw_received = head.get("received")
        received = (
            parse_timestamp(raw_received) if isinstance(raw_received, str) else None
        )
        try:
            step = station.state.step(payload, at=received)
        except InvalidReport:
            return None
        station.state = step.state
        # A payload that parses is a connector id, a state and a timestamp
        # that is either absent or RFC 3339, kept as the station wrote it.
        connector = cast("int", payload["connectorId"])
        state = ChargePointStatus(cast("str", payload["status"]))
        raw_stamp = payload.get("timestamp")
        stamp = raw_stamp if isinstance(raw_stamp, str) else ZERO_TIME_TEXT
        if message_id is None:
            message_id = self.new_id()
        if connector == 0:
            station.events += 1
            notify = _notify_event(station.events, stamp, state)
            return [
                self.write(head, "frame", [_CALL, message_id, "NotifyEvent", notify])
            ]
        out: list[str] = []
        running = station.transactions.get(connector)
        charging = _CHARGING_STATES.get(state)
        if step.taken and running is not None and charging is None:
            trigger = _END_TRIGGERS.get(state, "StopAuthorized")
            out.append(
                self.transaction(
                    head,
                    running=running,
                    event="Ended",
                    stamp=stamp,
                    evse=connector,
                    trigger=trigger,
                )
            )
            del station.transactions[connector]
        out.append(
            self.write(
                head,
                "frame",
                [
                    _CALL,
                    message_id,
                    "StatusNotification",
                    {
                        "timestamp": stamp,
                        "connectorStatus": OCPP201_STATUS_BY_OCPP16[state].value,
                        "evseId": connector,
                        "connectorId": 1,
                    },
                ],
            )
        )
        if step.taken and charging is not None:
            if running is None:
                station.transactions_started += 1
                running = station.transactions[connector] = _Transaction(
                    f"{connector}-{station.transactions_started}"
                )
                event = "Started"
            else:
                event = "Updated"
            out.append(
                self.transaction(
                    head,
                    running=running,
                    event=event,
                    stamp=stamp,
                    evse=connector,
                    trigger="ChargingStateChanged",
                    charging=charging,
                )
            )
        return out

    def transaction(
        self,
        head: dict[str, object],
        *,
        running: _Transaction,
        event: str,
        stamp: str,
        evse: int,
        trigger: str,
        charging: ChargingState | None = None,
    ) -> str:
        info: dict[str, object] = {"transactionId": running.id}
        if charging is not None:
            info["chargingState"] = charging.value
        payload = {
            "eventType": event,
            "timestamp": stamp,
            "triggerReason": trigger,
            "seqNo": running.events,
            "transactionInfo": info,
            "evse": {"id": evse, "connectorId": 1},
        }
        running.events += 1
        return self.write(
            head, "frame", [_CALL, self.new_id(), "TransactionEvent", payload]
        )

    def new_id(self) -> str:
        self.made += 1
        return f"201-{self.made}"

    def write(self, head: dict[str, object], key: str, value: object) -> str:
        return json.dumps({**head, "protocol": self.protocol, key: value})


def _head(fields: dict[str, object]) -> dict[str, object] | None:
    """Return an OCPP 1.6 envelope's station and receive time; None if it is none."""
    if not _ENVELOPE_KEYS.issuperset(fields):
        return None
    bodies = [key for key in _BODY_KEYS if key in fields]
    if len(bodies) != 1 or fields.get("protocol", _OCPP16) != _OCPP16:
        return None
    if "station" in fields and not is_station_id(fields["station"]):
        return None
    received = fields.get("received")
    if "received" in fields and (
        type(received) is not str or parse_timestamp(received) is None
    ):
        return None
    return {key: fields[key] for key in ("station", "received") if key in fields}


def _is_frame(frame: list[object]) -> bool:
    """Whether *frame* is an OCPP-J CALL, CALLRESULT or CALLERROR of the right shape."""
    kind = frame[0] if frame else None
    if type(kind) is not int or kind not in _FRAME_SHAPES:
        return False
    shape = _FRAME_SHAPES[kind]
    rest = frame[1:]
    return len(rest) == len(shape) and all(
        type(item) is wanted for item, wanted in zip(rest, shape, strict=True)
    )


def _notify_event(
    event_id: int, stamp: str, state: ChargePointStatus
) -> dict[str, object]:
    return {
        "generatedAt": stamp,
        "seqNo": 0,
        "eventData": [
            {
                "eventId": event_id,
                "timestamp": stamp,
                "trigger": "Delta",
                "actualValue": OCPP201_STATUS_BY_OCPP16[state].value,
                "eventNotificationType": "HardWiredNotification",
                "component": {"name": "ChargingStation"},
                "variable": {"name": "AvailabilityState"},
            }
        ],
    }


def _boot(payload: dict[str, object]) -> dict[str, object]:
    """Return the 2.0.1 BootNotification of a 1.6 one, with its model and vendor."""
    model = payload.get("chargePointModel")
    vendor = payload.get("chargePointVendor")
    return {
        "reason": "PowerUp",
        "chargingStation": {
            "model": model[:_MODEL_SIZE] if isinstance(model, str) else "unknown",
            "vendorName": vendor[:_VENDOR_SIZE]
            if isinstance(vendor, str)
            else "unknown",
        },
    }
