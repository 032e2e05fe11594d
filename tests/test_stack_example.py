"""The stack example, end to end: a real OCPP 1.6 conversation over loopback.

examples/central_system.py runs in-process on a free port of 127.0.0.1;
examples/charge_point_simulator.py talks to it over a real WebSocket. After
each step the test asks the central system's HTTP endpoint what it reports.
Every wait is bounded, so a hang fails the test instead of stalling CI.
"""

# The ocpp package ships no type information.
# pyright: reportMissingTypeStubs=false

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import pytest

pytest.importorskip("ocpp", reason="the stack example needs the examples group")
pytest.importorskip("websockets", reason="the stack example needs the examples group")

from ocpp.v16.enums import ChargePointStatus, RegistrationStatus

import central_system
import charge_point_simulator
from charge_point_simulator import SCENARIO, Step
from evstatus import StationStatus, StationView
from evstatus.history import Port

EXAMPLES = Path(__file__).parent.parent / "examples"
# Generous: the whole conversation takes a fraction of a second on loopback.
DEADLINE = 30.0

# What the central system must report after each step of SCENARIO:
# (station status, reason, connectors as the JSON shows them).
EXPECTED_AFTER_STEP: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("Unknown", "no_connector_reports", {}),  # connector 0 Available
    ("Available", "connector_available", {"1": "Available"}),
    ("Unavailable", "no_connector_available", {"1": "Occupied"}),  # Preparing
    ("Charging", "all_connectors_charging", {"1": "Occupied"}),
    ("Charging", "all_connectors_charging", {"1": "Occupied"}),  # SuspendedEV
    ("Charging", "all_connectors_charging", {"1": "Occupied"}),
    ("Unavailable", "no_connector_available", {"1": "Occupied"}),  # Finishing
    ("Available", "connector_available", {"1": "Available"}),
    ("Out of Order", "connectors_out_of_order", {"1": "Faulted"}),
    ("Available", "connector_available", {"1": "Available"}),
)


async def http_get(port: int, path: str) -> tuple[int, Any]:
    """GET http://127.0.0.1:port/path; return the status code and parsed JSON."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_code = int(head.split(b" ", 2)[1])
    return status_code, json.loads(body)


async def station(port: int, charge_point_id: str) -> dict[str, Any]:
    status_code, body = await http_get(port, f"/stations/{charge_point_id}")
    assert status_code == 200
    assert isinstance(body, dict)
    return cast("dict[str, Any]", body)


def summary(body: dict[str, Any]) -> tuple[object, object, object]:
    return body["status"], body["reason"], body["connectors"]


def test_expectations_cover_the_whole_scenario() -> None:
    assert len(EXPECTED_AFTER_STEP) == len(SCENARIO)


def test_statuses_follow_the_charge_point_step_by_step() -> None:
    changes: list[tuple[str, StationStatus]] = []

    def listener(charge_point_id: str, view: StationView[Port]) -> None:
        changes.append((charge_point_id, view.status))

    async def conversation() -> None:
        async with central_system.running(port=0, listener=listener) as (
            central,
            server,
        ):
            port = central_system.bound_port(server)
            url = f"ws://127.0.0.1:{port}/ocpp/CP-1"
            clock = charge_point_simulator.steady_clock()
            assert await http_get(port, "/stations") == (
                200,
                {"stations": [], "next": None},
            )

            async with charge_point_simulator.connected(url, clock) as cp:
                boot = await cp.boot()
                assert boot.status == RegistrationStatus.accepted
                assert boot.interval > 0
                body = await station(port, "CP-1")
                assert body["online"] is True
                assert summary(body) == ("Unknown", "no_connector_reports", {})
                beat = await cp.heartbeat()
                assert beat.current_time.endswith("Z")

                for step, expected in zip(SCENARIO, EXPECTED_AFTER_STEP, strict=True):
                    assert await cp.report(step), step
                    body = await station(port, "CP-1")
                    assert summary(body) == expected, step
                    assert body["anomalies"] == {}, step

                # The schema lets connector 0 say Charging; OCPP's text does
                # not. evstatus's StationState records it as an anomaly of the
                # station and ignores the state, so the central system takes
                # the report, its view stays as it was, and the JSON counts it.
                misbehaving = Step(0, ChargePointStatus.charging)
                assert await cp.report(misbehaving)
                body = await station(port, "CP-1")
                assert summary(body) == EXPECTED_AFTER_STEP[-1]
                assert body["anomalies"] == {"connector_zero_status": 1}

            # The simulator has hung up; the server notices on its own time.
            view = await central.registry.wait_for(
                "CP-1", lambda v: v.status is StationStatus.OFFLINE
            )
            assert view.connectors == {1: "Unavailable"}
            body = await station(port, "CP-1")
            assert body["online"] is False
            assert summary(body) == ("Offline", "offline", {"1": "Unavailable"})
            assert body["anomalies"] == {"connector_zero_status": 1}

            # Back online, the reports it made before count again until it
            # sends new ones.
            async with charge_point_simulator.connected(url, clock) as cp:
                await cp.boot()
                body = await station(port, "CP-1")
                assert body["online"] is True
                assert summary(body) == EXPECTED_AFTER_STEP[-1]

            await central.registry.wait_for(
                "CP-1", lambda v: v.status is StationStatus.OFFLINE
            )
            assert await http_get(port, "/stations/CP-2") == (
                404,
                {"error": "not found"},
            )
            status_code, everything = await http_get(port, "/stations")
            assert status_code == 200
            assert [body["id"] for body in everything["stations"]] == ["CP-1"]

    asyncio.run(asyncio.wait_for(conversation(), DEADLINE))
    assert changes == [
        ("CP-1", StationStatus.UNKNOWN),
        ("CP-1", StationStatus.AVAILABLE),
        ("CP-1", StationStatus.UNAVAILABLE),
        ("CP-1", StationStatus.CHARGING),
        ("CP-1", StationStatus.UNAVAILABLE),
        ("CP-1", StationStatus.AVAILABLE),
        ("CP-1", StationStatus.OUT_OF_ORDER),
        ("CP-1", StationStatus.AVAILABLE),
        ("CP-1", StationStatus.OFFLINE),
        ("CP-1", StationStatus.AVAILABLE),
        ("CP-1", StationStatus.OFFLINE),
    ]


def test_a_report_evstatus_rejects_gets_a_callerror() -> None:
    async def run() -> None:
        async with central_system.running(port=0) as (_, server):
            port = central_system.bound_port(server)
            url = f"ws://127.0.0.1:{port}/ocpp/CP-5"

            # A clock without a time zone: the timestamps it gives have no
            # offset, which the OCPP schema (as the ocpp package checks it)
            # lets through but evstatus does not.
            def naive() -> datetime:
                return datetime(2025, 1, 1)  # noqa: DTZ001

            async with charge_point_simulator.connected(url, naive) as cp:
                assert not await cp.report(Step(1, ChargePointStatus.available))
                body = await station(port, "CP-5")
                assert summary(body) == ("Unknown", "no_connector_reports", {})
                assert body["anomalies"] == {}

    asyncio.run(asyncio.wait_for(run(), DEADLINE))


def test_simulator_main_runs_its_scenario_against_the_central_system(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def run() -> StationView[Port]:
        async with central_system.running(port=0) as (central, server):
            port = central_system.bound_port(server)
            url = f"ws://127.0.0.1:{port}/ocpp/CP-9"
            await charge_point_simulator.main(url, delay=0)
            return await central.registry.wait_for(
                "CP-9", lambda v: v.status is StationStatus.OFFLINE
            )

    view = asyncio.run(asyncio.wait_for(run(), DEADLINE))
    assert view.status is StationStatus.OFFLINE
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "boot: Accepted, heartbeat every 300 s"
    assert sum(line.endswith(" accepted") for line in printed) == len(SCENARIO)
    assert printed[-1] == "disconnected"


def test_central_system_turns_away_other_paths_and_protocols() -> None:
    from websockets.asyncio.client import connect  # noqa: PLC0415
    from websockets.exceptions import InvalidStatus  # noqa: PLC0415
    from websockets.typing import Subprotocol  # noqa: PLC0415

    async def run() -> None:
        async with central_system.running(port=0) as (central, server):
            port = central_system.bound_port(server)
            # No charge point id: the handshake fails, nothing is upgraded.
            url = f"ws://127.0.0.1:{port}/ocpp/"
            with pytest.raises(InvalidStatus, match="400"):
                async with connect(url, subprotocols=[Subprotocol("ocpp1.6")]):
                    pass
            # No OCPP 1.6 offered: the handshake fails.
            with pytest.raises(InvalidStatus, match="400"):
                async with connect(f"ws://127.0.0.1:{port}/ocpp/CP-1"):
                    pass
            assert len(central.registry) == 0

    asyncio.run(asyncio.wait_for(run(), DEADLINE))


def test_both_scripts_work_together_from_the_command_line() -> None:
    async def run() -> tuple[str, dict[str, Any]]:
        central = await asyncio.create_subprocess_exec(
            sys.executable,
            str(EXAMPLES / "central_system.py"),
            "--port",
            "0",
            stdout=asyncio.subprocess.PIPE,
        )
        try:
            assert central.stdout is not None
            first = (await central.stdout.readline()).decode()
            # Its first line tells the port: OCPP 1.6 at ws://127.0.0.1:PORT/...
            port = int(first.split("ws://127.0.0.1:", 1)[1].split("/", 1)[0])
            simulator = await asyncio.create_subprocess_exec(
                sys.executable,
                str(EXAMPLES / "charge_point_simulator.py"),
                f"ws://127.0.0.1:{port}/ocpp/CP-7",
                "--delay",
                "0",
                stdout=asyncio.subprocess.PIPE,
            )
            printed, _ = await simulator.communicate()
            assert simulator.returncode == 0
            assert printed.decode().splitlines()[-1] == "disconnected"
            while True:  # until the central system has seen the hang-up
                body = await station(port, "CP-7")
                if body["status"] == "Offline":
                    break
                await asyncio.sleep(0.01)
        finally:
            central.terminate()
            await central.wait()
        assert central.stdout is not None
        return (await central.stdout.read()).decode(), body

    output, body = asyncio.run(asyncio.wait_for(run(), DEADLINE))
    assert body["online"] is False
    changes = [line for line in output.splitlines() if line.startswith("CP-7: ")]
    assert changes[0] == "CP-7: Unknown (no_connector_reports) []"
    assert changes[-1] == "CP-7: Offline (offline) [1: Unavailable]"


@pytest.mark.parametrize("script", ["central_system.py", "charge_point_simulator.py"])
def test_examples_run_from_the_command_line(script: str) -> None:
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(EXAMPLES / script), "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=DEADLINE,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: ")
