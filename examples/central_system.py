"""A small OCPP 1.6 central system keeping an evstatus station state per charge point.

Charge points connect over WebSocket to ``ws://HOST:PORT/ocpp/<charge point id>``
with the ``ocpp1.6`` subprotocol. The same port answers plain HTTP:

- ``GET /stations`` returns every charge point seen so far as JSON;
- ``GET /stations/<charge point id>`` returns one (404 if never seen).

Each charge point's state is an ``evstatus.StationState``: connecting and
disconnecting drive its ``online`` flag, StatusNotification requests its
connectors, and what OCPP does not expect of a station (such as connector 0
reporting Charging) is counted under ``anomalies``. BootNotification and
Heartbeat get their proper answers. Each change of a station's status is
printed on standard output.

Run it with ``python examples/central_system.py --port 9000`` and point
``examples/charge_point_simulator.py`` (or a real charge point) at it.
It needs the ``examples`` dependency group: ``ocpp`` and ``websockets``.
"""

# The ocpp package ships no type information: these comments (and two marked
# lines below) let strict type checkers accept its base class and decorator.
# mypy: disable-error-code="untyped-decorator"
# pyright: reportMissingTypeStubs=false, reportUntypedFunctionDecorator=false

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from ocpp.exceptions import FormationViolationError
from ocpp.routing import on  # pyright: ignore[reportUnknownVariableType]
from ocpp.v16 import ChargePoint, call_result
from ocpp.v16.enums import Action, RegistrationStatus
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from evstatus import InvalidReport, PlatformEvent, StationState, StationView

OCPP_PATH = "/ocpp/"
STATIONS_PATH = "/stations"
HEARTBEAT_INTERVAL = 300  # seconds, told to each charge point at boot


# --8<-- [start:json]
def view_as_json(charge_point_id: str, state: StationState) -> dict[str, Any]:
    """Return one station as the HTTP endpoint shows it."""
    view = state.view()
    return {
        "id": charge_point_id,
        "online": state.online(),
        "status": view.status.value,
        "reason": view.reason.value,
        "connectors": {
            str(cid): status.value for cid, status in view.connectors.items()
        },
        "anomalies": {kind.value: n for kind, n in state.anomaly_counts.items()},
    }


# --8<-- [end:json]


Listener = Callable[[str, StationView], None]


class Registry:
    """Every charge point's :class:`~evstatus.StationState`, by id.

    Also a way to wait for changes, and a listener told of each new status.
    """

    def __init__(self, listener: Listener | None = None) -> None:
        self._states: dict[str, StationState] = {}
        # Which connection is the current one per id: a charge point that
        # reconnects before its old connection is noticed as gone must not be
        # marked offline when the old one closes.
        self._connections: dict[str, object] = {}
        self._changed = asyncio.Condition()
        self._listener = listener

    def state(self, charge_point_id: str) -> StationState | None:
        return self._states.get(charge_point_id)

    def as_json(self) -> dict[str, Any]:
        return {cp_id: view_as_json(cp_id, s) for cp_id, s in self._states.items()}

    # --8<-- [start:registry]
    async def connected(self, charge_point_id: str, connection: object) -> None:
        self._connections[charge_point_id] = connection
        await self._apply(charge_point_id, PlatformEvent.CONNECTED)

    async def disconnected(self, charge_point_id: str, connection: object) -> None:
        if self._connections.get(charge_point_id) is not connection:
            return
        del self._connections[charge_point_id]
        await self._apply(charge_point_id, PlatformEvent.DISCONNECTED)

    async def reported(self, charge_point_id: str, payload: dict[str, object]) -> None:
        """Apply a StatusNotification payload; raise InvalidReport if it is bad.

        A connector 0 state that only other connectors may have is no error
        here: evstatus records it as an anomaly of the station instead.
        """
        await self._apply(charge_point_id, payload)

    async def _apply(
        self, charge_point_id: str, item: PlatformEvent | dict[str, object]
    ) -> None:
        old = self._states.get(charge_point_id)
        state = StationState() if old is None else old
        at = datetime.now(UTC)  # when the central system received it
        if isinstance(item, PlatformEvent):
            state = state.apply(item, at=at)
        else:
            state = state.apply_ocpp(item, at=at)  # may raise InvalidReport
        self._states[charge_point_id] = state
        view = state.view()
        if self._listener and (old is None or old.view().status != view.status):
            self._listener(charge_point_id, view)
        async with self._changed:
            self._changed.notify_all()

    # --8<-- [end:registry]

    async def wait_for(
        self, charge_point_id: str, check: Callable[[StationView], bool]
    ) -> StationView:
        """Wait until the station's view passes *check*; return that view."""
        async with self._changed:
            while True:
                state = self._states.get(charge_point_id)
                if state is not None and check(view := state.view()):
                    return view
                await self._changed.wait()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class CentralSystemChargePoint(ChargePoint):  # type: ignore[misc]  # ocpp is untyped
    """One connected charge point, as the central system sees it."""

    def __init__(
        self, charge_point_id: str, connection: ServerConnection, registry: Registry
    ) -> None:
        super().__init__(charge_point_id, connection)
        self.charge_point_id = charge_point_id
        self.registry = registry

    @on(Action.boot_notification)
    def on_boot_notification(self, **_: object) -> call_result.BootNotification:
        return call_result.BootNotification(
            current_time=_now(),
            interval=HEARTBEAT_INTERVAL,
            status=RegistrationStatus.accepted,
        )

    @on(Action.heartbeat)
    def on_heartbeat(self) -> call_result.Heartbeat:
        return call_result.Heartbeat(current_time=_now())

    # --8<-- [start:status_notification]
    @on(Action.status_notification)
    async def on_status_notification(
        self, **fields: object
    ) -> call_result.StatusNotification:
        # The ocpp package has checked the payload against the OCPP schema and
        # handed it over in snake_case; evstatus wants the wire form back and
        # adds the checks the schema leaves out (such as a real timestamp with
        # an offset). A state connector 0 may not have is recorded as an
        # anomaly of the station, not refused.
        payload = {_camel(key): value for key, value in fields.items()}
        try:
            await self.registry.reported(self.charge_point_id, payload)
        except InvalidReport as error:
            raise FormationViolationError(description=str(error)) from None
        return call_result.StatusNotification()

    # --8<-- [end:status_notification]


def _camel(snake: str) -> str:
    first, *rest = snake.split("_")
    return first + "".join(word.capitalize() for word in rest)


class CentralSystem:
    """The WebSocket + HTTP server around a :class:`Registry`."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    # --8<-- [start:connection]
    async def handle(self, connection: ServerConnection) -> None:
        """Serve one charge point's WebSocket connection until it closes."""
        path = connection.request.path if connection.request else ""
        charge_point_id = path.removeprefix(OCPP_PATH)
        if (
            not path.startswith(OCPP_PATH)
            or not charge_point_id
            or "/" in charge_point_id
        ):
            await connection.close(code=1008, reason="connect to /ocpp/<id>")
            return
        charge_point = CentralSystemChargePoint(
            charge_point_id, connection, self.registry
        )
        await self.registry.connected(charge_point_id, connection)
        try:
            await charge_point.start()
        except ConnectionClosed:
            pass
        finally:
            await self.registry.disconnected(charge_point_id, connection)

    # --8<-- [end:connection]

    def http(self, connection: ServerConnection, request: Request) -> Response | None:
        """Answer plain HTTP requests for statuses; let WebSocket ones through."""
        if request.path.startswith(OCPP_PATH):
            return None
        if request.path == STATIONS_PATH:
            return _json_response(connection, HTTPStatus.OK, self.registry.as_json())
        charge_point_id = request.path.removeprefix(STATIONS_PATH + "/")
        state = self.registry.state(charge_point_id)
        if request.path.startswith(STATIONS_PATH + "/") and state is not None:
            body = view_as_json(charge_point_id, state)
            return _json_response(connection, HTTPStatus.OK, body)
        return _json_response(connection, HTTPStatus.NOT_FOUND, {"error": "not found"})


def _json_response(
    connection: ServerConnection, status: HTTPStatus, body: object
) -> Response:
    response = connection.respond(status, json.dumps(body, sort_keys=True) + "\n")
    del response.headers["Content-Type"]
    response.headers["Content-Type"] = "application/json"
    return response


@asynccontextmanager
async def running(
    host: str = "127.0.0.1", port: int = 0, listener: Listener | None = None
) -> AsyncGenerator[tuple[CentralSystem, Server]]:
    """Run a central system while inside the block; port 0 picks a free one."""
    central = CentralSystem(Registry(listener))
    async with serve(
        central.handle,
        host,
        port,
        subprotocols=[Subprotocol("ocpp1.6")],
        process_request=central.http,
    ) as server:
        yield central, server


def bound_port(server: Server) -> int:
    """The TCP port *server* listens on (useful after asking for port 0)."""
    port: int = server.sockets[0].getsockname()[1]
    return port


def print_change(charge_point_id: str, view: StationView) -> None:
    connectors = ", ".join(f"{cid}: {s}" for cid, s in view.connectors.items())
    print(
        f"{charge_point_id}: {view.status} ({view.reason}) [{connectors}]", flush=True
    )


async def main(host: str, port: int) -> None:
    async with running(host, port, print_change) as (_, server):
        port = bound_port(server)
        print(f"OCPP 1.6 at ws://{host}:{port}{OCPP_PATH}<id>", flush=True)
        print(f"statuses at http://{host}:{port}{STATIONS_PATH}", flush=True)
        await server.serve_forever()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Run a small OCPP 1.6 central system that reports station statuses."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=9000, help="0 picks a free port")
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    with suppress(KeyboardInterrupt):
        asyncio.run(main(arguments.host, arguments.port))
