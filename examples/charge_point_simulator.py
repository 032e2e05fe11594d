"""A charge point simulator speaking OCPP 1.6, 2.0.1 or 2.1 over WebSocket.

It connects to a central system, boots, walks one connector through a
charging session (and a fault that clears), then disconnects. It is built on
the ``ocpp`` and ``websockets`` packages only; it does not use evstatus, as a
real charge point would not.

With ``--protocol ocpp2.0.1`` (or ``ocpp2.1``) it offers that WebSocket
subprotocol and plays a station of one EVSE with one connector: the main
controller's state is the ChargingStation's AvailabilityState (a
NotifyEvent), the connector's a StatusNotification of EVSE 1, and the
session's Charging, SuspendedEV and SuspendedEVSE are a transaction's
charging state (TransactionEvent Started, Updated, and Ended when the
connector leaves them), the way such a station reports the same session.

Run it against ``examples/central_system.py``::

    python examples/charge_point_simulator.py ws://127.0.0.1:9000/ocpp/CP-1
    python examples/charge_point_simulator.py --protocol ocpp2.0.1 \\
        ws://127.0.0.1:9000/ocpp/CP-2
"""

# The ocpp package ships no type information: these comments (and a marked
# line below) let strict type checkers accept its base class and `call`.
# pyright: reportMissingTypeStubs=false

from __future__ import annotations

import argparse
import asyncio
import itertools
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal, TypeAlias, TypeVar, get_args

from ocpp import v201
from ocpp.charge_point import ChargePoint as BaseChargePoint
from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import ChargePointErrorCode, ChargePointStatus
from ocpp.v201 import datatypes as v201_types
from ocpp.v201 import enums as v201_enums
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

CONNECTOR = 1
Answer = TypeVar("Answer")
#: The WebSocket subprotocols (OCPP versions) the simulator can speak.
Protocol = Literal["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]
PROTOCOLS: Final[tuple[Protocol, ...]] = get_args(Protocol)


@dataclass(frozen=True)
class Step:
    """One StatusNotification the simulator sends."""

    connector_id: int
    status: ChargePointStatus
    error_code: ChargePointErrorCode = ChargePointErrorCode.no_error
    info: str | None = None


#: What a charge point with one connector reports over a session: at boot the
#: main controller and the connector say they are free; a driver plugs in,
#: charges, the car pauses and resumes, the driver leaves; later the
#: connector faults and recovers.
SCENARIO: tuple[Step, ...] = (
    Step(0, ChargePointStatus.available),
    Step(CONNECTOR, ChargePointStatus.available),
    Step(CONNECTOR, ChargePointStatus.preparing),
    Step(CONNECTOR, ChargePointStatus.charging),
    Step(CONNECTOR, ChargePointStatus.suspended_ev),
    Step(CONNECTOR, ChargePointStatus.charging),
    Step(CONNECTOR, ChargePointStatus.finishing),
    Step(CONNECTOR, ChargePointStatus.available),
    Step(
        CONNECTOR,
        ChargePointStatus.faulted,
        ChargePointErrorCode.ground_failure,
        info="residual current detected",
    ),
    Step(CONNECTOR, ChargePointStatus.available),
)


def steady_clock(start: datetime | None = None) -> Callable[[], datetime]:
    """Return a clock that moves one second per reading (for repeatable runs).

    It starts now by default: a central system that knows when it received
    each report (as this example's does) takes a clock far from its own for a
    wrong one, and orders those reports by their receive time instead.
    """
    first = datetime.now(UTC).replace(microsecond=0) if start is None else start
    readings = itertools.count()
    return lambda: first + timedelta(seconds=next(readings))


def wall_clock() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SimulatedStation(BaseChargePoint):  # type: ignore[misc]  # ocpp is untyped
    """What a simulated station of either protocol has: its clock and subprotocol.

    It comes before the protocol's ChargePoint among a class's bases.
    """

    def __init__(
        self,
        charge_point_id: str,
        connection: ClientConnection,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        super().__init__(charge_point_id, connection)
        self.clock = clock
        #: The subprotocol the central system chose.
        self.subprotocol: str | None = connection.subprotocol


class SimulatedChargePoint(SimulatedStation, ChargePoint):  # type: ignore[misc]  # ocpp is untyped
    """The charge point's side of the OCPP conversation."""

    async def boot(self) -> call_result.BootNotification:
        request = call.BootNotification(
            charge_point_model="evstatus-sim", charge_point_vendor="evstatus examples"
        )
        response = await self._call(request, call_result.BootNotification)
        if response is None:
            raise ConnectionError("the central system refused the BootNotification")
        return response

    async def heartbeat(self) -> call_result.Heartbeat:
        response = await self._call(call.Heartbeat(), call_result.Heartbeat)
        if response is None:
            raise ConnectionError("the central system refused the Heartbeat")
        return response

    async def report(self, step: Step) -> bool:
        """Send one StatusNotification; return whether the central system took it.

        A central system refuses a report with a CALLERROR, which the ocpp
        package turns into ``None`` here.
        """
        request = call.StatusNotification(
            connector_id=step.connector_id,
            error_code=step.error_code,
            status=step.status,
            timestamp=timestamp(self.clock()),
            info=step.info,
        )
        response = await self._call(request, call_result.StatusNotification)
        return response is not None

    async def _call(self, request: object, answer: type[Answer]) -> Answer | None:
        response: object = await self.call(request)  # pyright: ignore[reportUnknownMemberType]
        if response is None or isinstance(response, answer):
            return response
        raise TypeError(f"expected {answer.__name__}, got {response!r}")


# What an OCPP 1.6 state of the scenario is in OCPP 2.0.1: the connector's
# status, and the charging state of the transaction on its EVSE, if any.
_CPS = ChargePointStatus
_STATUS = v201_enums.ConnectorStatusEnumType
_CONNECTOR_STATUS: Final = {
    _CPS.available: _STATUS.available,
    _CPS.preparing: _STATUS.occupied,
    _CPS.charging: _STATUS.occupied,
    _CPS.suspended_ev: _STATUS.occupied,
    _CPS.suspended_evse: _STATUS.occupied,
    _CPS.finishing: _STATUS.occupied,
    _CPS.reserved: _STATUS.reserved,
    _CPS.unavailable: _STATUS.unavailable,
    _CPS.faulted: _STATUS.faulted,
}
_CHARGING = v201_enums.ChargingStateEnumType
_CHARGING_STATE: Final = {
    _CPS.charging: _CHARGING.charging,
    _CPS.suspended_ev: _CHARGING.suspended_ev,
    _CPS.suspended_evse: _CHARGING.suspended_evse,
}
_EVENT = v201_enums.TransactionEventEnumType
_TRIGGER = v201_enums.TriggerReasonEnumType


class SimulatedStation201(SimulatedStation, v201.ChargePoint):  # type: ignore[misc]  # ocpp is untyped
    """A one-EVSE OCPP 2.0.1 charging station's side of the conversation.

    OCPP 2.1 keeps every message it sends, so it plays a 2.1 station as well.
    """

    def __init__(
        self,
        charge_point_id: str,
        connection: ClientConnection,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        super().__init__(charge_point_id, connection, clock)
        # The transaction under way on each EVSE, and its next sequence number.
        self.transactions: dict[int, tuple[str, int]] = {}
        self.started = 0
        self.events = 0

    async def boot(self) -> v201.call_result.BootNotification:
        request = v201.call.BootNotification(
            charging_station=v201_types.ChargingStationType(
                model="evstatus-sim", vendor_name="evstatus examples"
            ),
            reason=v201_enums.BootReasonEnumType.power_up,
        )
        response = await self._call(request, v201.call_result.BootNotification)
        if response is None:
            raise ConnectionError("the central system refused the BootNotification")
        return response

    async def heartbeat(self) -> v201.call_result.Heartbeat:
        response = await self._call(v201.call.Heartbeat(), v201.call_result.Heartbeat)
        if response is None:
            raise ConnectionError("the central system refused the Heartbeat")
        return response

    async def report(self, step: Step) -> bool:
        """Report what *step* says as a 2.0.1 station would; whether all was taken.

        Connector 0 is the station's own AvailabilityState; connector *n* is
        EVSE *n*'s only connector.
        """
        stamp = timestamp(self.clock())
        if step.connector_id == 0:
            return await self._availability(stamp, _CONNECTOR_STATUS[step.status])
        evse = step.connector_id
        charging = _CHARGING_STATE.get(step.status)
        taken = True
        if charging is None and evse in self.transactions:
            taken = await self._transaction(
                evse, _EVENT.ended, stamp, _TRIGGER.ev_departed
            )
            del self.transactions[evse]
        request = v201.call.StatusNotification(
            timestamp=stamp,
            connector_status=_CONNECTOR_STATUS[step.status],
            evse_id=evse,
            connector_id=1,
        )
        answer = await self._call(request, v201.call_result.StatusNotification)
        taken = taken and answer is not None
        if charging is not None:
            event = _EVENT.updated if evse in self.transactions else _EVENT.started
            if event is _EVENT.started:
                self.started += 1
                self.transactions[evse] = (f"{self.id}-{self.started}", 0)
            taken = (
                await self._transaction(
                    evse, event, stamp, _TRIGGER.charging_state_changed, charging
                )
                and taken
            )
        return taken

    async def _availability(
        self, stamp: str, state: v201_enums.ConnectorStatusEnumType
    ) -> bool:
        self.events += 1
        request = v201.call.NotifyEvent(
            generated_at=stamp,
            seq_no=0,
            event_data=[
                v201_types.EventDataType(
                    event_id=self.events,
                    timestamp=stamp,
                    trigger=v201_enums.EventTriggerEnumType.delta,
                    actual_value=state.value,
                    event_notification_type=(
                        v201_enums.EventNotificationEnumType.hard_wired_notification
                    ),
                    component=v201_types.ComponentType(name="ChargingStation"),
                    variable=v201_types.VariableType(name="AvailabilityState"),
                )
            ],
        )
        return await self._call(request, v201.call_result.NotifyEvent) is not None

    async def _transaction(
        self,
        evse: int,
        event: v201_enums.TransactionEventEnumType,
        stamp: str,
        trigger: v201_enums.TriggerReasonEnumType,
        charging: v201_enums.ChargingStateEnumType | None = None,
    ) -> bool:
        transaction_id, number = self.transactions[evse]
        self.transactions[evse] = (transaction_id, number + 1)
        info = v201_types.TransactionType(
            transaction_id=transaction_id, charging_state=charging
        )
        request = v201.call.TransactionEvent(
            event_type=event,
            timestamp=stamp,
            trigger_reason=trigger,
            seq_no=number,
            transaction_info=info,
            evse=v201_types.EVSEType(id=evse, connector_id=1),
        )
        return await self._call(request, v201.call_result.TransactionEvent) is not None

    async def _call(self, request: object, answer: type[Answer]) -> Answer | None:
        response: object = await self.call(request)  # pyright: ignore[reportUnknownMemberType]
        if response is None or isinstance(response, answer):
            return response
        raise TypeError(f"expected {answer.__name__}, got {response!r}")


Simulated: TypeAlias = SimulatedChargePoint | SimulatedStation201
"""A simulated charge point of either protocol: boot, heartbeat, report."""


@asynccontextmanager
async def connected(
    url: str,
    clock: Callable[[], datetime] = wall_clock,
    protocol: Protocol = "ocpp1.6",
) -> AsyncGenerator[Simulated]:
    """Connect to *url* (``ws://host:port/ocpp/<id>``) and listen while inside.

    *protocol* is the one subprotocol offered, and the OCPP version spoken.
    Leaving the block stops listening and closes the WebSocket.
    """
    charge_point_id = url.rstrip("/").rsplit("/", 1)[-1]
    async with connect(url, subprotocols=[Subprotocol(protocol)]) as connection:
        charge_point: Simulated = (
            SimulatedChargePoint(charge_point_id, connection, clock)
            if protocol == "ocpp1.6"
            else SimulatedStation201(charge_point_id, connection, clock)
        )
        listening = asyncio.create_task(_listen(charge_point))
        try:
            yield charge_point
        finally:
            listening.cancel()
            with suppress(asyncio.CancelledError):
                await listening


async def _listen(charge_point: Simulated) -> None:
    with suppress(ConnectionClosed):
        await charge_point.start()


async def main(url: str, delay: float, protocol: Protocol = "ocpp1.6") -> None:
    async with connected(url, protocol=protocol) as charge_point:
        boot = await charge_point.boot()
        print(f"boot: {boot.status}, heartbeat every {boot.interval} s", flush=True)
        beat = await charge_point.heartbeat()
        print(f"heartbeat: central system time {beat.current_time}", flush=True)
        for step in SCENARIO:
            await asyncio.sleep(delay)
            taken = await charge_point.report(step)
            outcome = "accepted" if taken else "refused"
            print(
                f"connector {step.connector_id}: {step.status} ({step.error_code})"
                f" {outcome}",
                flush=True,
            )
        await asyncio.sleep(delay)
    print("disconnected", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Simulate a charge point going through a session."
    )
    parser.add_argument(
        "url",
        nargs="?",
        default="ws://127.0.0.1:9000/ocpp/CP-1",
        help="the central system's WebSocket URL ending in the charge point id",
    )
    parser.add_argument(
        "--delay", type=float, default=1.0, help="seconds between messages"
    )
    parser.add_argument(
        "--protocol",
        choices=PROTOCOLS,
        default="ocpp1.6",
        help="the OCPP version to speak, offered as the WebSocket subprotocol"
        " (default %(default)s)",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    with suppress(KeyboardInterrupt):
        asyncio.run(main(arguments.url, arguments.delay, arguments.protocol))
