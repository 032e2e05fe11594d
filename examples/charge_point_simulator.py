"""A charge point simulator speaking OCPP 1.6 over WebSocket.

It connects to a central system, boots, walks one connector through a
charging session (and a fault that clears), then disconnects. It is built on
the ``ocpp`` and ``websockets`` packages only; it does not use evstatus, as a
real charge point would not.

Run it against ``examples/central_system.py``::

    python examples/charge_point_simulator.py ws://127.0.0.1:9000/ocpp/CP-1
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
from typing import TypeVar

from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import ChargePointErrorCode, ChargePointStatus
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

CONNECTOR = 1
Answer = TypeVar("Answer")


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


class SimulatedChargePoint(ChargePoint):  # type: ignore[misc]  # ocpp is untyped
    """The charge point's side of the OCPP conversation."""

    def __init__(
        self,
        charge_point_id: str,
        connection: ClientConnection,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        super().__init__(charge_point_id, connection)
        self.clock = clock

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


@asynccontextmanager
async def connected(
    url: str, clock: Callable[[], datetime] = wall_clock
) -> AsyncGenerator[SimulatedChargePoint]:
    """Connect to *url* (``ws://host:port/ocpp/<id>``) and listen while inside.

    Leaving the block stops listening and closes the WebSocket.
    """
    charge_point_id = url.rstrip("/").rsplit("/", 1)[-1]
    async with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as connection:
        charge_point = SimulatedChargePoint(charge_point_id, connection, clock)
        listening = asyncio.create_task(_listen(charge_point))
        try:
            yield charge_point
        finally:
            listening.cancel()
            with suppress(asyncio.CancelledError):
                await listening


async def _listen(charge_point: SimulatedChargePoint) -> None:
    with suppress(ConnectionClosed):
        await charge_point.start()


async def main(url: str, delay: float) -> None:
    async with connected(url) as charge_point:
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
        description="Simulate an OCPP 1.6 charge point going through a session."
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
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    with suppress(KeyboardInterrupt):
        asyncio.run(main(arguments.url, arguments.delay))
