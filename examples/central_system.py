"""A small OCPP central system keeping an evstatus station state per charge point.

Charge points connect over WebSocket to ``ws://HOST:PORT/ocpp/<charge point id>``
offering the ``ocpp2.0.1`` or the ``ocpp1.6`` subprotocol; the central system
speaks the one offered (2.0.1 if both are), with the ``ocpp`` package's
``v201`` or ``v16`` classes. The same port answers plain HTTP:

- ``GET /stations`` lists the charge points known, ordered by id, one page at a
  time (``?limit=`` and ``?after=``; the answer says where the next page is);
- ``GET /stations/<charge point id>`` returns one (404 if not known).

Everything the central system hears is written as a line of the log format
``evstatus replay`` reads (the station, the receive time, the protocol when
it is not OCPP 1.6, and the frame or the connection event), and that line is
what evstatus folds into the station's ``evstatus.StationState``: connecting
and disconnecting drive its ``online`` flag; StatusNotification (and, over
2.0.1, NotifyEvent reporting AvailabilityState and TransactionEvent's
charging state) its connectors; BootNotification and Heartbeat count as
hearing from it. What OCPP does not expect of a station (such as connector 0
reporting Charging) is counted under ``anomalies``. With ``--log FILE`` the
lines are kept, so that ``evstatus replay FILE`` gives the same statuses
later. Each change of a station's status is printed on standard output.

What a charge point can make it hold is bounded: ids are checked at the
handshake, the number of stations and of connectors per station is capped,
and every frame is checked before the ``ocpp`` package parses it.

Run it with ``python examples/central_system.py --port 9000`` and point
``examples/charge_point_simulator.py`` (or a real charge point) at it.
It needs the ``examples`` dependency group: ``ocpp`` and ``websockets``.
"""

# The ocpp package ships no type information: these comments (and marked
# lines below) let strict type checkers accept its base class and decorator.
# mypy: disable-error-code="untyped-decorator"
# pyright: reportMissingTypeStubs=false, reportUntypedFunctionDecorator=false

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
from bisect import bisect_right
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from itertools import accumulate
from pathlib import Path
from typing import Any, Final, Generic, TypeVar, cast
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ocpp.charge_point import ChargePoint as BaseChargePoint
from ocpp.exceptions import (
    FormationViolationError,
    GenericError,
    PropertyConstraintViolationError,
)
from ocpp.messages import CallError
from ocpp.routing import on  # pyright: ignore[reportUnknownVariableType]
from ocpp.v16 import ChargePoint, call_result
from ocpp.v16.enums import Action, RegistrationStatus
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as call_result_201
from ocpp.v201.enums import Action as Action201
from ocpp.v201.enums import RegistrationStatusEnumType
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from evstatus import InvalidReport, PlatformEvent, StationState, StationView
from evstatus.history import Port
from evstatus.log import BadLine, port_name, read_log

OCPP_PATH = "/ocpp/"
STATIONS_PATH = "/stations"
HEARTBEAT_INTERVAL = 300  # seconds, told to each charge point at boot
OCPP16 = "ocpp1.6"
OCPP201 = "ocpp2.0.1"
#: The subprotocols served, the preferred first: a station offering both
#: speaks 2.0.1.
PROTOCOLS: Final = (OCPP201, OCPP16)

LOG = logging.getLogger("central_system")

# --8<-- [start:limits]
# What one charge point (or anyone who can reach the port) may make the
# central system hold or parse. Each limit is far above what a well-behaved
# OCPP 1.6 charge point needs and low enough that the worst case stays cheap.

#: A charge point id: OCPP 2.0.1's identifierString characters without ':'
#: (HTTP Basic authentication, OCPP's usual way to check a charge point,
#: cannot carry a ':' in a user name), at most 48 of them. Percent-encoding in
#: the URL is decoded first, so an encoded '/' or '?' is refused, not kept.
CHARGE_POINT_ID: Final = re.compile(r"[A-Za-z0-9*\-_=+|@.]{1,48}")
#: How many stations the registry holds. When it is full, a new charge point
#: takes the place of the station that has been disconnected longest; if
#: every station is connected, the new one is refused.
MAX_STATIONS: Final = 10_000
#: How many distinct connector ids one station may report (0 included);
#: real charge points have a handful.
MAX_CONNECTORS: Final = 100
#: ``GET /stations`` pages: the default and the largest ``limit``.
DEFAULT_PAGE: Final = 100
MAX_PAGE: Final = 1_000
#: The longest frame checked and answered. OCPP 1.6 requests from a charge
#: point take a few kilobytes at most, short of a DataTransfer carrying a
#: vendor's bulk data, which this central system does not take anyway.
MAX_FRAME_CHARS: Final = 64 * 1024
#: Beyond this many bytes, websockets closes the connection (code 1009)
#: without reading the frame in full; between the two limits a frame is
#: answered with a CALLERROR and the connection stays open.
MAX_MESSAGE_BYTES: Final = 1024 * 1024
#: How deep arrays and objects may nest. The deepest OCPP 1.6 message is
#: about 6 levels; Python's json parser and jsonschema recurse once per level
#: and fail near 1000.
MAX_DEPTH: Final = 32
#: The longest number literal. A 64-bit integer has 20 characters with its
#: sign and a double's shortest form about 24; Python refuses to convert
#: integers over 4300 digits, and converting long ones takes quadratic time.
MAX_NUMBER_CHARS: Final = 32
#: The longest message id a CALLERROR is sent back for when the frame could
#: not be parsed (OCPP allows 36 characters).
MAX_MESSAGE_ID_CHARS: Final = 36
# --8<-- [end:limits]


def charge_point_id_from(path: str) -> str | None:
    """Return the charge point id of ``/ocpp/<id>``, or None if it is not valid.

    The query, if any, is dropped and the id is percent-decoded.
    """
    raw = urlsplit(path).path
    if not raw.startswith(OCPP_PATH):
        return None
    return _checked_id(raw.removeprefix(OCPP_PATH))


def _checked_id(encoded: str) -> str | None:
    try:
        decoded = unquote(encoded, errors="strict")
    except UnicodeDecodeError:
        return None
    return decoded if CHARGE_POINT_ID.fullmatch(decoded) else None


# --8<-- [start:json]
def view_as_json(charge_point_id: str, state: StationState) -> dict[str, Any]:
    """Return one station as the HTTP endpoint shows it."""
    view = state.view()
    return {
        "id": charge_point_id,
        "online": state.online(),
        "status": view.status.value,
        "reason": view.reason.value,
        # An OCPP 2.0.1 connector is named by its EVSE and its id on it: 1/2.
        "connectors": {
            port_name(port): status.value for port, status in view.connectors.items()
        },
        "anomalies": {kind.value: n for kind, n in state.anomaly_counts.items()},
    }


# --8<-- [end:json]


Listener = Callable[[str, StationView[Port]], None]
#: Where the lines of the log go, one at a time, without a newline.
LogWriter = Callable[[str], None]
Connection = TypeVar("Connection")


class RegistryFullError(Exception):
    """Every station held is connected: there is no room for another one."""


class NotCurrentError(Exception):
    """A report came over a connection that is not the charge point's current one."""


class TooManyConnectorsError(Exception):
    """A report names a connector beyond the number a station may have."""


def log_line(
    charge_point_id: str, received: datetime, protocol: str, key: str, value: object
) -> str:
    """Return one line of the log: *value* (a frame, an event) in an envelope."""
    envelope: dict[str, object] = {
        "station": charge_point_id,
        "received": received.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    if protocol != OCPP16:
        # The reader's default is OCPP 1.6; any other protocol is said.
        envelope["protocol"] = protocol
    envelope[key] = value
    return json.dumps(envelope)


def _ports(state: StationState) -> int:
    """How many connectors (the main controller among them) a station holds."""
    return len(state.reports) + len(state.evse_reports)


class Registry(Generic[Connection]):
    """Every charge point's :class:`~evstatus.StationState`, by id, and its connections.

    Also a way to wait for changes, and a listener told of each new status.
    """

    def __init__(
        self,
        listener: Listener | None = None,
        *,
        max_stations: int = MAX_STATIONS,
        log: LogWriter | None = None,
    ) -> None:
        if max_stations < 1:
            raise ValueError(f"max_stations must be 1 or more, not {max_stations!r}")
        self.max_stations = max_stations
        self._states: dict[str, StationState] = {}
        # The protocol each station spoke over its latest connection.
        self._protocols: dict[str, str] = {}
        self._log = log
        # Every open connection per id, oldest first, and the current one: the
        # newest, unless it has closed. Replaced connections still count as
        # open until they have closed, but their reports are refused.
        self._open: dict[str, list[Connection]] = {}
        self._current: dict[str, Connection] = {}
        # Ids with no open connection, the one disconnected longest first: the
        # first to be forgotten when the registry is full.
        self._offline: dict[str, None] = {}
        self._sorted_ids: list[str] | None = []
        self._changed = asyncio.Condition()
        self._listener = listener

    def __len__(self) -> int:
        return len(self._states)

    def state(self, charge_point_id: str) -> StationState | None:
        return self._states.get(charge_point_id)

    def open_connections(self, charge_point_id: str) -> int:
        return len(self._open.get(charge_point_id, ()))

    def admits(self, charge_point_id: str) -> bool:
        """Whether a connection for *charge_point_id* would find room now."""
        return (
            charge_point_id in self._states
            or len(self._states) < self.max_stations
            or bool(self._offline)
        )

    def page(
        self, after: str | None = None, limit: int = DEFAULT_PAGE
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Return up to *limit* stations with ids after *after*, in id order.

        Also return the last id given if more stations follow it, else None.
        """
        if self._sorted_ids is None:
            self._sorted_ids = sorted(self._states)
        ids = self._sorted_ids
        start = 0 if after is None else bisect_right(ids, after)
        chosen = ids[start : start + limit]
        more = start + limit < len(ids)
        stations = [view_as_json(cp_id, self._states[cp_id]) for cp_id in chosen]
        return stations, chosen[-1] if more and chosen else None

    # --8<-- [start:registry]
    async def connected(
        self, charge_point_id: str, connection: Connection, protocol: str = OCPP16
    ) -> list[Connection]:
        """Make *connection*, speaking *protocol*, the charge point's current one.

        Return the older connections still open: they are replaced, and the
        caller closes them. Raise RegistryFullError if a new station finds no
        room.
        """
        if charge_point_id not in self._states:
            self._make_room()
        connections = self._open.setdefault(charge_point_id, [])
        replaced = list(connections)
        connections.append(connection)
        self._current[charge_point_id] = connection
        self._offline.pop(charge_point_id, None)
        self._protocols[charge_point_id] = protocol
        await self._apply(charge_point_id, "event", PlatformEvent.CONNECTED.value)
        return replaced

    async def disconnected(self, charge_point_id: str, connection: Connection) -> None:
        """Forget *connection*; the station goes offline when none is left open."""
        connections = self._open.get(charge_point_id, [])
        if connection not in connections:
            return
        connections.remove(connection)
        if self._current.get(charge_point_id) is connection:
            del self._current[charge_point_id]
        if connections:
            await self._notify()
            return
        del self._open[charge_point_id]
        self._offline[charge_point_id] = None
        await self._apply(charge_point_id, "event", PlatformEvent.DISCONNECTED.value)

    async def reported(
        self,
        charge_point_id: str,
        connection: Connection,
        payload: dict[str, object],
        *,
        action: str = "StatusNotification",
        message_id: str = "1",
    ) -> None:
        """Apply a request (a StatusNotification by default) from *connection*.

        *payload* is the request's payload as it came over the wire. Raise
        NotCurrentError if *connection* is not the current one,
        TooManyConnectorsError for a connector beyond MAX_CONNECTORS, and
        InvalidReport if evstatus finds the request bad. A connector 0 state
        that only other connectors may have is no error here: evstatus
        records it as an anomaly of the station instead.
        """
        if self._current.get(charge_point_id) is not connection:
            raise NotCurrentError(charge_point_id)
        await self._apply(charge_point_id, "frame", [2, message_id, action, payload])

    async def _apply(self, charge_point_id: str, key: str, value: object) -> None:
        """Write what was heard as a line of the log, and fold that line."""
        old = self._states.get(charge_point_id)
        state = StationState() if old is None else old
        protocol = self._protocols.get(charge_point_id, OCPP16)
        line = log_line(charge_point_id, datetime.now(UTC), protocol, key, value)
        # One line, read as evstatus reads a log: one item (or a bad line).
        (read,) = read_log([line], default_station=charge_point_id)
        if isinstance(read, BadLine):
            raise read.error
        step = state.step(read.item, at=read.received)  # may raise InvalidReport
        if _ports(step.state) > max(MAX_CONNECTORS, _ports(state)):
            raise TooManyConnectorsError
        if self._log is not None:
            self._log(line)
        if old is None:
            self._sorted_ids = None
        self._states[charge_point_id] = step.state
        # The step says whether the view changed: no need to derive the old one.
        if self._listener and (old is None or step.changed):
            view = step.state.view()
            if old is None or old.view().status != view.status:
                self._listener(charge_point_id, view)
        await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _make_room(self) -> None:
        if len(self._states) < self.max_stations:
            return
        if not self._offline:
            raise RegistryFullError
        oldest = next(iter(self._offline))
        del self._offline[oldest], self._states[oldest]
        self._sorted_ids = None

    # --8<-- [end:registry]

    async def wait_for(
        self, charge_point_id: str, check: Callable[[StationView[Port]], bool]
    ) -> StationView[Port]:
        """Wait until the station's view passes *check*; return that view."""
        async with self._changed:
            while True:
                state = self._states.get(charge_point_id)
                if state is not None and check(view := state.view()):
                    return view
                await self._changed.wait()

    async def wait_for_connections(self, charge_point_id: str, count: int) -> None:
        """Wait until exactly *count* connections of the charge point are open."""
        async with self._changed:
            while self.open_connections(charge_point_id) != count:
                await self._changed.wait()


# --8<-- [start:frames]
@dataclass(frozen=True)
class FrameProblem:
    """Why a frame is not handed to the ocpp package, and what to answer."""

    description: str
    message_id: str | None
    """The CALL's message id when it could be recovered: a CALLERROR goes back."""
    code: str = "FormationViolation"


@dataclass(frozen=True)
class Frame:
    """A frame that passed the checks."""

    message_type: int
    items: list[Any] = field(default_factory=list[Any], compare=False)
    """The frame, parsed."""


# The start of a CALL, read without parsing the rest of the frame.
_CALL_HEAD: Final = re.compile(
    rf'\s*\[\s*2\s*,\s*"([^"\\\x00-\x1f]{{1,{MAX_MESSAGE_ID_CHARS}}})"'
)
# The checks run over the whole frame at the regular expression engine's
# speed. A JSON string (one left open runs to the end of the frame, so that no
# quote inside it is tried again as the start of another: that would take time
# quadratic in the frame's length):
_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
# Once strings are blanked out, a run of number characters that is too long:
_LONG_NUMBER: Final = re.compile(rf"[-0-9][-+.0-9eE]{{{MAX_NUMBER_CHARS},}}")
# ... and everything but brackets, which leaves the nesting to count:
_NOT_BRACKETS: Final = re.compile(r"[^\[\]{}]+")
_NESTING: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


def check_frame(frame: str | bytes) -> Frame | FrameProblem:
    """Check a frame before the ocpp package's parser sees it.

    The parser catches only JSON syntax errors: a frame with a huge integer or
    nesting thousands deep would crash the connection's handler.
    """
    if isinstance(frame, bytes):
        head = frame[:100].decode(errors="replace")
        return _problem("a binary frame; OCPP frames are text", head)
    if len(frame) > MAX_FRAME_CHARS:
        return _problem(
            f"the frame has {len(frame)} characters; at most {MAX_FRAME_CHARS}"
            " are accepted",
            frame,
        )
    bare = _STRING.sub('""', frame)
    number = _LONG_NUMBER.search(bare)
    if number:
        return _problem(
            f"a number of {len(number[0])} characters ({number[0][:12]}...); at"
            f" most {MAX_NUMBER_CHARS} are accepted",
            frame,
        )
    brackets = _NOT_BRACKETS.sub("", bare)
    # The parser goes one level deeper at each opening bracket, closed or not.
    if brackets and max(accumulate(map(_NESTING.__getitem__, brackets))) > MAX_DEPTH:
        return _problem(
            f"arrays and objects nest deeper than {MAX_DEPTH} levels", frame
        )
    try:
        message = json.loads(frame, parse_constant=_no_constant)
    except ValueError as error:
        return _problem(f"the frame is not JSON: {error}", frame)
    checked = _check_shape(message)
    return (
        Frame(checked.message_type, cast("list[Any]", message))
        if isinstance(checked, Frame)
        else checked
    )


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _problem(description: str, frame: str) -> FrameProblem:
    head = _CALL_HEAD.match(frame)
    return FrameProblem(description, head[1] if head else None)


def _check_shape(message: object) -> Frame | FrameProblem:  # noqa: PLR0911  (a return per check)
    if not isinstance(message, list) or not message:
        return FrameProblem("the frame is not a non-empty JSON array", None)
    items: list[object] = message  # pyright: ignore[reportUnknownVariableType]
    kind = items[0]
    message_id = items[1] if len(items) > 1 else None
    if type(kind) is not int or kind not in {2, 3, 4}:
        return FrameProblem(
            f"message type {kind!r} is not 2 (CALL), 3 (CALLRESULT) or 4 (CALLERROR)",
            None,
        )
    expected = {2: 4, 3: 3, 4: 5}[kind]
    if not isinstance(message_id, str):
        return FrameProblem(f"message id {message_id!r} is not a string", None)
    answer_to = message_id if kind == 2 else None
    if len(items) != expected:
        return FrameProblem(
            f"a message of type {kind} has {expected} elements, not {len(items)}",
            answer_to,
            "ProtocolError",
        )
    if kind == 2 and not isinstance(items[2], str):
        return FrameProblem(f"action {items[2]!r} is not a string", answer_to)
    if kind == 2 and not isinstance(items[3], dict):
        return FrameProblem("the payload is not a JSON object", answer_to)
    return Frame(kind)


# --8<-- [end:frames]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Guard:
    """What a connected charge point of either protocol shares.

    It checks each frame before the ``ocpp`` package sees it, counts the calls
    the central system has in flight, and takes a request to the registry.
    """

    def __init__(
        self,
        charge_point_id: str,
        connection: ServerConnection,
        registry: Registry[ServerConnection],
    ) -> None:
        self.charge_point_id = charge_point_id
        self.connection = connection
        self.registry = registry
        self.calls_in_flight = 0
        # The CALL being handled, as it came over the wire.
        self.frame: list[Any] = []

    async def screen(self, raw_msg: str | bytes) -> bool:
        """Check a frame; answer or drop it here, or say it may go on (True)."""
        checked = check_frame(raw_msg)
        if isinstance(checked, FrameProblem):
            LOG.warning(
                "%s: frame refused: %s", self.charge_point_id, checked.description
            )
            if checked.message_id is not None:
                answer = CallError(
                    checked.message_id, checked.code, checked.description, {}
                )
                await self.connection.send(answer.to_json())
            return False
        if checked.message_type != 2 and not self.calls_in_flight:
            # The ocpp package queues every answer for a call that will read
            # it; with no call waiting, the queue would only grow.
            LOG.warning("%s: answer to no call dropped", self.charge_point_id)
            return False
        self.frame = checked.items
        return True

    # --8<-- [start:status_notification]
    async def take(self) -> None:
        """Take the CALL being handled to the registry; refuse it as OCPP says."""
        # The ocpp package has checked the payload against the OCPP schema;
        # evstatus reads the frame as it came over the wire and adds the
        # checks the schema leaves out (such as a real timestamp with an
        # offset). A state connector 0 may not have is recorded as an anomaly
        # of the station, not refused.
        _, message_id, action, payload = self.frame
        try:
            await self.registry.reported(
                self.charge_point_id,
                self.connection,
                payload,
                action=action,
                message_id=message_id,
            )
        except InvalidReport as error:
            raise FormationViolationError(description=str(error)) from None
        except NotCurrentError:
            raise GenericError(
                description="a newer connection with this charge point id replaced"
                " this one"
            ) from None
        except TooManyConnectorsError:
            raise PropertyConstraintViolationError(
                description="a new connector would be more than the"
                f" {MAX_CONNECTORS} connectors a station may have"
            ) from None

    # --8<-- [end:status_notification]


class GuardedStation(BaseChargePoint):  # type: ignore[misc]  # ocpp is untyped
    """What a station of either protocol has: a :class:`Guard` on every frame.

    It comes before the protocol's ChargePoint among a class's bases, so that
    its ``route_message`` and ``call`` wrap that class's.
    """

    def __init__(
        self,
        charge_point_id: str,
        connection: ServerConnection,
        registry: Registry[ServerConnection],
    ) -> None:
        super().__init__(charge_point_id, connection)
        self.guard = Guard(charge_point_id, connection, registry)

    async def route_message(self, raw_msg: str | bytes) -> None:
        """Check a frame, then hand it to the ocpp package or answer it here."""
        if await self.guard.screen(raw_msg):
            await super().route_message(raw_msg)  # pyright: ignore[reportUnknownMemberType]

    async def call(
        self,
        payload: object,
        suppress: bool = True,
        unique_id: str | None = None,
        skip_schema_validation: bool = False,
    ) -> object:
        """Send a CALL to the station (see the ocpp package's ChargePoint)."""
        self.guard.calls_in_flight += 1
        try:
            answer: object = await super().call(  # pyright: ignore[reportUnknownMemberType]
                payload, suppress, unique_id, skip_schema_validation
            )
            return answer
        finally:
            self.guard.calls_in_flight -= 1


class CentralSystemChargePoint(GuardedStation, ChargePoint):  # type: ignore[misc]  # ocpp is untyped
    """One connected OCPP 1.6 charge point, as the central system sees it."""

    @on(Action.boot_notification)
    async def on_boot_notification(self, **_: object) -> call_result.BootNotification:
        await self.guard.take()
        return call_result.BootNotification(
            current_time=_now(),
            interval=HEARTBEAT_INTERVAL,
            status=RegistrationStatus.accepted,
        )

    @on(Action.heartbeat)
    async def on_heartbeat(self) -> call_result.Heartbeat:
        await self.guard.take()
        return call_result.Heartbeat(current_time=_now())

    @on(Action.status_notification)
    async def on_status_notification(
        self, **_: object
    ) -> call_result.StatusNotification:
        await self.guard.take()
        return call_result.StatusNotification()


class CentralSystemStation201(GuardedStation, ChargePoint201):  # type: ignore[misc]  # ocpp is untyped
    """One connected OCPP 2.0.1 charging station, as the central system sees it."""

    @on(Action201.boot_notification)
    async def on_boot_notification(
        self, **_: object
    ) -> call_result_201.BootNotification:
        await self.guard.take()
        return call_result_201.BootNotification(
            current_time=_now(),
            interval=HEARTBEAT_INTERVAL,
            status=RegistrationStatusEnumType.accepted,
        )

    @on(Action201.heartbeat)
    async def on_heartbeat(self) -> call_result_201.Heartbeat:
        await self.guard.take()
        return call_result_201.Heartbeat(current_time=_now())

    @on(Action201.status_notification)
    async def on_status_notification(
        self, **_: object
    ) -> call_result_201.StatusNotification:
        await self.guard.take()
        return call_result_201.StatusNotification()

    @on(Action201.notify_event)
    async def on_notify_event(self, **_: object) -> call_result_201.NotifyEvent:
        await self.guard.take()
        return call_result_201.NotifyEvent()

    @on(Action201.transaction_event)
    async def on_transaction_event(
        self, **_: object
    ) -> call_result_201.TransactionEvent:
        await self.guard.take()
        return call_result_201.TransactionEvent()


class CentralSystem:
    """The WebSocket + HTTP server around a :class:`Registry`."""

    def __init__(self, registry: Registry[ServerConnection]) -> None:
        self.registry = registry
        # Closing a replaced connection waits for its closing handshake; it
        # runs on its own so the new connection is served at once.
        self._closing: set[asyncio.Task[None]] = set()

    # --8<-- [start:connection]
    async def handle(self, connection: ServerConnection) -> None:
        """Serve one charge point's WebSocket connection until it closes."""
        path = connection.request.path if connection.request else ""
        charge_point_id = charge_point_id_from(path)
        if charge_point_id is None:  # http() refuses these at the handshake
            await connection.close(code=1008, reason="connect to /ocpp/<id>")
            return
        protocol = connection.subprotocol or OCPP16
        try:
            replaced = await self.registry.connected(
                charge_point_id, connection, protocol
            )
        except RegistryFullError:
            # Another new charge point took the last place since the handshake.
            await connection.close(code=1013, reason="too many charge points")
            return
        for old in replaced:
            LOG.warning("%s: a new connection replaces an older one", charge_point_id)
            task = asyncio.create_task(
                old.close(reason="replaced by a newer connection with the same id")
            )
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        charge_point = (
            CentralSystemStation201 if protocol == OCPP201 else CentralSystemChargePoint
        )(charge_point_id, connection, self.registry)
        try:
            await charge_point.start()
        except ConnectionClosed:
            pass
        finally:
            await self.registry.disconnected(charge_point_id, connection)

    # --8<-- [end:connection]

    def http(  # noqa: PLR0911  (a return per kind of answer)
        self, connection: ServerConnection, request: Request
    ) -> Response | None:
        """Answer plain HTTP requests; check WebSocket ones before the upgrade."""
        split = urlsplit(request.path)
        if split.path.startswith(OCPP_PATH):
            return self._handshake(connection, request.path)
        try:
            query = _query(split.query)
        except ValueError as error:
            return _error(connection, HTTPStatus.BAD_REQUEST, str(error))
        if split.path == STATIONS_PATH:
            return self._stations(connection, query)
        if not split.path.startswith(STATIONS_PATH + "/"):
            return _error(connection, HTTPStatus.NOT_FOUND, "not found")
        if query:
            unknown = next(iter(query))
            return _error(
                connection,
                HTTPStatus.BAD_REQUEST,
                f"unknown query parameter {unknown!r}; this path takes none",
            )
        charge_point_id = _checked_id(split.path.removeprefix(STATIONS_PATH + "/"))
        state = (
            None if charge_point_id is None else self.registry.state(charge_point_id)
        )
        if charge_point_id is None or state is None:
            return _error(connection, HTTPStatus.NOT_FOUND, "not found")
        body = view_as_json(charge_point_id, state)
        return _json_response(connection, HTTPStatus.OK, body)

    def _handshake(self, connection: ServerConnection, path: str) -> Response | None:
        charge_point_id = charge_point_id_from(path)
        if charge_point_id is None:
            return _error(
                connection,
                HTTPStatus.BAD_REQUEST,
                "connect to /ocpp/<id>, the id being 1 to 48 of A-Z a-z 0-9"
                " * - _ = + | @ .",
            )
        if not self.registry.admits(charge_point_id):
            return _error(
                connection,
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"{self.registry.max_stations} stations, all connected: no room",
            )
        return None

    def _stations(
        self, connection: ServerConnection, query: dict[str, str]
    ) -> Response:
        unknown = sorted(set(query) - {"limit", "after"})
        if unknown:
            return _error(
                connection,
                HTTPStatus.BAD_REQUEST,
                f"unknown query parameter {unknown[0]!r}; expected limit or after",
            )
        raw_limit = query.get("limit", str(DEFAULT_PAGE))
        limit = int(raw_limit) if raw_limit.isascii() and raw_limit.isdigit() else 0
        if not 1 <= limit <= MAX_PAGE:
            return _error(
                connection,
                HTTPStatus.BAD_REQUEST,
                f"limit {raw_limit[:20]!r} is not a whole number from 1 to {MAX_PAGE}",
            )
        stations, last = self.registry.page(query.get("after"), limit)
        following = (
            None
            if last is None
            else f"{STATIONS_PATH}?limit={limit}&after={quote(last, safe='')}"
        )
        return _json_response(
            connection, HTTPStatus.OK, {"stations": stations, "next": following}
        )


def _query(raw: str) -> dict[str, str]:
    """Return the query's parameters; raise ValueError for a malformed one."""
    if not raw:
        return {}
    try:
        pairs = parse_qsl(
            raw, keep_blank_values=True, strict_parsing=True, max_num_fields=10
        )
    except ValueError:
        raise ValueError(
            f"malformed query {raw[:40]!r}; expected name=value pairs joined by &"
        ) from None
    query = dict(pairs)
    if len(query) != len(pairs):
        raise ValueError("a query parameter is given more than once")
    return query


def _error(connection: ServerConnection, status: HTTPStatus, message: str) -> Response:
    return _json_response(connection, status, {"error": message})


def _json_response(
    connection: ServerConnection, status: HTTPStatus, body: object
) -> Response:
    response = connection.respond(status, json.dumps(body, sort_keys=True) + "\n")
    del response.headers["Content-Type"]
    response.headers["Content-Type"] = "application/json"
    return response


@asynccontextmanager
async def running(
    host: str = "127.0.0.1",
    port: int = 0,
    listener: Listener | None = None,
    *,
    max_stations: int = MAX_STATIONS,
    log: LogWriter | None = None,
) -> AsyncGenerator[tuple[CentralSystem, Server]]:
    """Run a central system while inside the block; port 0 picks a free one.

    *log*, if given, is handed each line of the log as it is written.
    """
    central = CentralSystem(Registry(listener, max_stations=max_stations, log=log))
    async with serve(
        central.handle,
        host,
        port,
        subprotocols=[Subprotocol(name) for name in PROTOCOLS],
        process_request=central.http,
        max_size=MAX_MESSAGE_BYTES,
    ) as server:
        yield central, server


def bound_port(server: Server) -> int:
    """The TCP port *server* listens on (useful after asking for port 0)."""
    port: int = server.sockets[0].getsockname()[1]
    return port


def print_change(charge_point_id: str, view: StationView[Port]) -> None:
    connectors = ", ".join(
        f"{port_name(port)}: {status}" for port, status in view.connectors.items()
    )
    print(
        f"{charge_point_id}: {view.status} ({view.reason}) [{connectors}]", flush=True
    )


class OneLineFormatter(logging.Formatter):
    """Log each record on one line: an exception as its message, no traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(
            logging.makeLogRecord(
                {**record.__dict__, "exc_info": None, "exc_text": None}
            )
        )
        if record.exc_info and record.exc_info[1] is not None:
            line += f" ({record.exc_info[1]})"
        return " ".join(line.splitlines())


class LineFile:
    """A file the log's lines are appended to, each written out at once."""

    def __init__(self, path: str) -> None:
        self._out = Path(path).open("a", encoding="utf-8")  # noqa: SIM115  (closed by close())

    def __call__(self, line: str) -> None:
        self._out.write(line + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.close()


async def main(
    host: str,
    port: int,
    max_stations: int = MAX_STATIONS,
    log_path: str | None = None,
) -> None:
    log = None if log_path is None else LineFile(log_path)
    try:
        async with running(
            host, port, print_change, max_stations=max_stations, log=log
        ) as (_, server):
            await _serve(host, server)
    finally:
        if log is not None:
            log.close()


async def _serve(host: str, server: Server) -> None:
    port = bound_port(server)
    protocols = " and ".join(f"OCPP {name.removeprefix('ocpp')}" for name in PROTOCOLS)
    print(f"{protocols} at ws://{host}:{port}{OCPP_PATH}<id>", flush=True)
    print(f"statuses at http://{host}:{port}{STATIONS_PATH}", flush=True)
    await server.serve_forever()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Run a small OCPP 1.6 and 2.0.1 central system that reports"
        " station statuses."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=9000, help="0 picks a free port")
    parser.add_argument(
        "--max-stations",
        type=_positive,
        default=MAX_STATIONS,
        help="how many stations to keep (default %(default)s); when full, the one"
        " disconnected longest is forgotten",
    )
    parser.add_argument(
        "--log",
        metavar="FILE",
        help="append every message and connection event to FILE as JSON Lines,"
        " for evstatus replay",
    )
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def _log_on_one_line() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


if __name__ == "__main__":
    arguments = parse_args()
    _log_on_one_line()
    with suppress(KeyboardInterrupt):
        asyncio.run(
            main(arguments.host, arguments.port, arguments.max_stations, arguments.log)
        )
