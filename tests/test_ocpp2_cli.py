"""OCPP 2.0.1 / 2.1 stations through the command line, the records and uptime's ports."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from evstatus import ChargePointStatus, ConnectorReport
from evstatus._cli import main
from evstatus._enums import ChargingState, ConnectorState
from evstatus.history import Anomaly, AnomalyKind, StationState
from evstatus.log import (
    BadLine,
    Change,
    Fleet,
    describe_change,
    port_name,
    read_log,
    station_record,
)
from evstatus.ocpp201 import ConnectorReport as Report2
from evstatus.rules import OCPP16_STATUS_BY_OCPP201
from evstatus.testing import generate_log, to_ocpp201
from evstatus.uptime import Timeline, uptime
from evstatus.uptime._conditions import outage_reason
from evstatus.uptime._regimes import UP_STATES
from evstatus.uptime._timeline import evse_states
from tests.test_ocpp2_fold import line, notify, stamp, status, transaction

T0 = datetime(2026, 6, 1, 10, tzinfo=UTC)
P201 = "ocpp2.0.1"

#: A log of three stations: one speaking 1.6, one 2.0.1 with two connectors
#: on EVSE 1, one 2.1 that names no protocol (the default given).
MIXED = [
    json.dumps({"station": "A-16", "received": stamp(0), "event": "connected"}),
    json.dumps(
        {
            "station": "A-16",
            "received": stamp(1),
            "protocol": "ocpp1.6",
            "frame": [
                2,
                "1",
                "StatusNotification",
                {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
            ],
        }
    ),
    line("BootNotification", {}, 0, station="B-201"),
    line("StatusNotification", status(1, 1, "Occupied", 1), 1, station="B-201"),
    line("StatusNotification", status(1, 2, "Available", 1), 1, station="B-201"),
    line("StatusNotification", status(2, 1, "Faulted", 1), 1, station="B-201"),
    line(
        "TransactionEvent",
        transaction("Started", "T1", 2, evse=1, charging="Charging"),
        2,
        station="B-201",
    ),
    line("GetVariables", {}, 2, station="B-201"),
    line("NotifyEvent", notify("Unavailable", 3), 3, station="C-21", protocol=None),
    line(
        "StatusNotification",
        status(1, 1, "Available", 3),
        3,
        station="C-21",
        protocol=None,
    ),
    line(
        "StatusNotification",
        status(1, 1, "Available", 3),
        4,
        station="C-21",
        protocol=None,
    ),
    line("TransactionEvent", transaction("Ended", "T1", 5), 5, station="B-201"),
    line("StatusNotification", status(1, 1, "Available", 6), 6, station="B-201"),
    "not json",
]


def replay(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["replay", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def mixed(tmp_path: Path) -> str:
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(MIXED) + "\n", encoding="utf-8")
    return str(path)


MODES = [[], ["--json"], ["--timeline"], ["--timeline", "--json"], ["--lenient"]]


@pytest.mark.parametrize("mode", MODES, ids=" ".join)
def test_two_jobs_print_what_one_prints_for_a_mixed_log(
    mode: list[str], mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    one = replay([*mode, "--protocol", "ocpp2.1", mixed], capsys)
    assert one[0] == 1
    assert one[2].startswith(f"{mixed}:14: ")
    assert replay(["--jobs", "2", *mode, "--protocol", "ocpp2.1", mixed], capsys) == one


def test_the_table_names_evse_and_connector(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = replay(["--protocol", "ocpp2.1", mixed], capsys)
    rows = {row.split()[0]: row for row in out.splitlines()[1:]}
    assert "#1 Occupied (Charging)" in rows["A-16"]
    assert "#1/1 Available, #1/2 Available, #2/1 Faulted" in rows["B-201"]
    assert "#1/1 Unavailable (Available)" in rows["C-21"]
    assert "1 duplicate" in rows["C-21"]


def test_the_json_names_evse_and_connector(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = replay(["--json", "--protocol", "ocpp2.1", mixed], capsys)
    records = {
        record["station"]: record for record in map(json.loads, out.splitlines())
    }
    assert "protocol" not in records["A-16"]
    b201 = records["B-201"]
    assert b201["protocol"] == P201
    assert b201["connectors"] == {
        "1/1": "Available",
        "1/2": "Available",
        "2/1": "Faulted",
    }
    assert b201["evses"][0] == {
        "evse_id": 1,
        "connector_id": 1,
        "status": "Available",
        "ocpp": "Available",
        "ocpp16": "Available",
        "charging_state": None,
    }
    assert records["C-21"]["protocol"] == "ocpp2.1"
    assert records["C-21"]["ocpp"] == {"0": "Unavailable", "1/1": "Available"}


def test_the_timeline_tells_2x_changes(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = replay(["--timeline", "--protocol", "ocpp2.1", mixed], capsys)
    assert "B-201  BootNotification received; station connected" in out
    assert "B-201  connector 1/1 Occupied\n" in out
    assert "B-201  TransactionEvent: EVSE 1 charging state Charging" in out
    assert "#1/1 Occupied (Charging)" in out
    assert "C-21  connector 0 Unavailable; station connected" in out
    assert "C-21  anomaly: connector 1/1: duplicate Available report" in out
    assert "B-201  TransactionEvent: EVSE 1 charging state none" in out
    assert "B-201  connector 1/1 Occupied -> Available" in out


def test_a_message_that_changes_nothing_is_told_as_received() -> None:
    fleet = Fleet(protocol=P201)
    lines = [
        line("NotifyEvent", notify("1", 0, variable="Temperature"), 0),
        line("NotifyEvent", notify("2", 1, variable="Temperature"), 1),
    ]
    changes: list[Change | None] = []
    for item in read_log(lines):
        assert not isinstance(item, BadLine)
        before = fleet.view("CP-1")
        step = fleet.feed(item.station, item.item, at=item.received)
        changes.append(
            describe_change(item, step, view=fleet.view("CP-1"), before=before)
        )
    assert changes[1] is None
    first = changes[0]
    assert first is not None
    assert first.event == "NotifyEvent received; station connected"


def test_a_bad_protocol_is_a_usage_error(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["replay", "--protocol", "ocpp2", mixed])
    assert caught.value.code == 2
    assert (
        "'ocpp2' is not one of ocpp1.6, ocpp2.0.1, ocpp2.1" in capsys.readouterr().err
    )


def test_uptime_takes_the_protocol(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["uptime", mixed, "--from", "2026-06-01", "--to", "2026-06-02"]
    assert main([*argv, "--protocol", "ocpp2.1"]) == 1
    out = capsys.readouterr().out
    table = out.split("\n\n")[1]
    ports = [row.split()[:2] for row in table.splitlines()[1:]]
    # B-201's ports are its EVSEs; C-21 (its lines name no protocol) has one.
    assert ports == [["A-16", "1"], ["B-201", "1"], ["B-201", "2"], ["C-21", "1"]]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "C-21" not in out


# --- the records ------------------------------------------------------------------


def test_port_names() -> None:
    assert [port_name(1), port_name((2, 3))] == ["1", "2/3"]


def test_a_2x_record_lists_each_connector() -> None:
    state = StationState().fold(
        [
            Report2(
                evse_id=2,
                connector_id=1,
                status=ConnectorState.OCCUPIED,
                timestamp=T0,
            )
        ]
    )
    charging = StationState(
        connected=True,
        protocol=P201,
        evse_reports=state.evse_reports,
        charging_states={2: ChargingState.SUSPENDED_EV},
        transactions={"T": 2},
    )
    record = station_record("CP-1", charging, charging.view())
    assert record["evses"] == [
        {
            "evse_id": 2,
            "connector_id": 1,
            "status": "Occupied",
            "ocpp": "Occupied",
            "ocpp16": "SuspendedEV",
            "charging_state": "SuspendedEV",
        }
    ]


# --- checking a caller's state ------------------------------------------------------

_REPORT = Report2(
    evse_id=1, connector_id=2, status=ConnectorState.AVAILABLE, timestamp=T0
)


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"protocol": "ocpp2"}, ValueError, "protocol"),
        ({"protocol": None}, ValueError, "protocol"),
        ({"evse_reports": {(1, 2): _REPORT}}, ValueError, "none for protocol"),
        ({"protocol": P201, "evse_reports": [1]}, TypeError, "evse_reports"),
        ({"protocol": P201, "evse_reports": {(1, 2): 1}}, TypeError, r"\(1, 2\)"),
        ({"protocol": P201, "evse_reports": {(1, 1): _REPORT}}, ValueError, "key"),
        (
            {
                "protocol": P201,
                "reports": {
                    1: ConnectorReport(
                        connector_id=1, status=ChargePointStatus.AVAILABLE
                    )
                },
            },
            ValueError,
            "main controller",
        ),
        ({"charging_states": {1: ChargingState.CHARGING}}, ValueError, "none for"),
        ({"transactions": {"T": 1}}, ValueError, "none for"),
        ({"protocol": P201, "charging_states": [1]}, TypeError, "charging_states"),
        (
            {"protocol": P201, "charging_states": {0: ChargingState.IDLE}},
            ValueError,
            ">= 1",
        ),
        (
            {"protocol": P201, "charging_states": {1: "Idle"}},
            ValueError,
            "ChargingState",
        ),
        ({"protocol": P201, "transactions": {"T": "1"}}, ValueError, "transaction id"),
        ({"protocol": P201, "transactions": {1: 1}}, ValueError, "transaction id"),
        ({"protocol": P201, "order_times": {(1, 2): None}}, ValueError, "order_times"),
    ],
)
def test_a_callers_state_is_checked(
    fields: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        StationState(**fields)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_a_callers_2x_state_is_kept() -> None:
    state = StationState(
        protocol=P201,
        evse_reports={(1, 2): _REPORT},
        order_times={(1, 2): None},
        charging_states={1: ChargingState.IDLE},
        transactions={"T": 1},
    )
    assert (
        StationState(
            protocol=P201,
            evse_reports=state.evse_reports,
            order_times=state.order_times,
            charging_states=state.charging_states,
            transactions=state.transactions,
        )
        == state
    )
    assert state.view().states == {(1, 2): ChargePointStatus.AVAILABLE}


def test_an_anomaly_names_its_evse() -> None:
    anomaly = Anomaly(
        kind=AnomalyKind.DUPLICATE,
        connector_id=2,
        evse_id=1,
        status=ConnectorState.OCCUPIED,
    )
    assert str(anomaly) == "connector 1/2: duplicate Occupied report"


# --- uptime: a port is an EVSE ------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "charging"),
    list(itertools.product(ConnectorState, ConnectorState, [None, *ChargingState])),
)
def test_an_evse_is_up_when_one_of_its_connectors_is(
    first: ConnectorState, second: ConnectorState, charging: ChargingState | None
) -> None:
    # Two connectors on one EVSE, which has one charging state (or none).
    reports = {
        (1, 1): Report2(evse_id=1, connector_id=1, status=first, timestamp=T0),
        (1, 2): Report2(evse_id=1, connector_id=2, status=second, timestamp=T0),
    }
    states = {} if charging is None else {1: charging}
    (own,) = evse_states(reports, states).values()
    held = {OCPP16_STATUS_BY_OCPP201[status, charging] for status in (first, second)}
    assert own in held
    # Up under a regime exactly when a connector is, whether SuspendedEVSE
    # counts as up or not.
    for up in (UP_STATES, UP_STATES - {ChargePointStatus.SUSPENDED_EVSE}):
        assert (own in up) is bool(held & up)
    assert (outage_reason(True, True, None, own) is None) is bool(held & UP_STATES)
    if not held & UP_STATES:
        # Out: Unavailable rather than Faulted, if either connector is.
        assert (own is ChargePointStatus.UNAVAILABLE) is (
            ChargePointStatus.UNAVAILABLE in held
        )


def test_an_evse_port_follows_its_connectors_through_the_timeline() -> None:
    lines = [
        line("StatusNotification", status(1, 1, "Faulted", 0), 0),
        line("StatusNotification", status(1, 2, "Available", 0), 0),
        line("StatusNotification", status(1, 2, "Unavailable", 30), 30),
        line("StatusNotification", status(1, 1, "Available", 60), 60),
        line(
            "TransactionEvent",
            transaction("Started", "T1", 70, evse=1, charging="Charging"),
            70,
        ),
        json.dumps({"station": "CP-1", "received": stamp(90), "event": "removed"}),
    ]
    timeline = Timeline.from_lines(lines)
    assert timeline.ports() == [("CP-1", 1)]
    outages = [
        (interval.start, interval.end, interval.ocpp_status)
        for interval in timeline.intervals("CP-1", 1, until=T0 + timedelta(hours=2))
        if not interval.up
    ]
    assert outages == [
        (
            T0 + timedelta(minutes=30),
            T0 + timedelta(minutes=60),
            ChargePointStatus.UNAVAILABLE,
        )
    ]
    measured = uptime(timeline, T0, T0 + timedelta(minutes=90))
    (port,) = measured.ports
    assert port.outage_minutes == 30
    assert timeline.removed_at("CP-1", 1) == T0 + timedelta(minutes=90)
    assert Timeline(protocol="ocpp2.1").protocol == "ocpp2.1"
    with pytest.raises(ValueError, match="protocol"):
        Timeline(protocol="ocpp2")


def test_a_translated_log_measures_alike_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = list(generate_log(seed=5, stations=3, lines=600, profile="stress"))
    old, new = tmp_path / "16.jsonl", tmp_path / "201.jsonl"
    old.write_text("\n".join(lines) + "\n", encoding="utf-8")
    new.write_text("\n".join(to_ocpp201(lines)) + "\n", encoding="utf-8")
    outputs: list[str] = []
    for path in (old, new):
        main(["uptime", str(path), "--from", "2026-06-01", "--to", "2026-06-08"])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
