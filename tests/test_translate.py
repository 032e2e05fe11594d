"""evstatus.testing.to_ocpp201 keeps its promises.

Every message it writes is checked against the official OCPP 2.0.1 and 2.1
schemas shipped in the ``ocpp`` package; what the stations' statuses come to
is compared between the 1.6 log and its translation with the pure derivations
of both protocols, independently of the log reader.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import Any, Literal, assert_type, cast

import jsonschema
import pytest
from hypothesis import given, settings

from evstatus import (
    ChargePointStatus,
    ConnectorReport,
    StationStatus,
    ocpp16,
    ocpp201,
)
from evstatus._timestamps import parse_timestamp
from evstatus.ocpp201 import ChargingState, ConnectorState
from evstatus.testing import to_ocpp201
from evstatus.testing._translate import ZERO_TIME_TEXT
from evstatus.testing.strategies import station_logs

_CPS = ChargePointStatus
_FOLDERS = {"ocpp2.0.1": "v201", "ocpp2.1": "v21"}


@cache
def _validator(protocol: str, action: str) -> jsonschema.Draft6Validator:
    folder = _FOLDERS[protocol]
    text = files("ocpp").joinpath(f"{folder}/schemas/{action}Request.json").read_text()
    return jsonschema.Draft6Validator(json.loads(text))


def _frames(
    lines: Iterable[str],
) -> Iterator[tuple[dict[str, Any], Any]]:
    for line in lines:
        envelope = json.loads(line)
        yield envelope, envelope.get("frame")


def _line(station: str, received: str, frame: list[object]) -> str:
    return json.dumps({"station": station, "received": received, "frame": frame})


def _status(connector: int, status: ChargePointStatus, stamp: str | None) -> str:
    payload: dict[str, object] = {
        "connectorId": connector,
        "errorCode": "NoError",
        "status": status.value,
    }
    if stamp is not None:
        payload["timestamp"] = stamp
    return _line(
        "CP-1", stamp or "2026-06-01T10:00:00Z", [2, "m", "StatusNotification", payload]
    )


def _actions(lines: Iterable[str]) -> list[str]:
    """Each translated frame in words: its action, with the event type or status."""
    said: list[str] = []
    for _, frame in _frames(lines):
        payload = frame[3]
        if frame[2] == "TransactionEvent":
            said.append(
                f"{payload['eventType']} {payload['transactionInfo'].get('chargingState')}"
            )
        elif frame[2] == "StatusNotification":
            said.append(payload["connectorStatus"])
        else:
            said.append(frame[2])
    return said


# --- the messages are valid 2.0.1 and 2.1 ----------------------------------


def _check_valid(lines: list[str], protocol: str) -> None:
    for envelope, frame in _frames(lines):
        assert envelope["protocol"] == protocol
        if frame is not None and frame[0] == 2:
            _validator(protocol, frame[2]).validate(frame[3])  # pyright: ignore[reportUnknownMemberType]


@settings(max_examples=60, deadline=None)
@given(station_logs())
def test_every_message_is_valid_against_the_official_schemas(log: str) -> None:
    protocol: Literal["ocpp2.0.1", "ocpp2.1"]
    for protocol in ("ocpp2.0.1", "ocpp2.1"):
        lines = list(to_ocpp201(log.splitlines(), protocol=protocol))
        _check_valid(lines, protocol)


def test_the_messages_of_every_kind_are_valid() -> None:
    log = [
        _status(0, _CPS.FAULTED, None),
        _status(1, _CPS.CHARGING, "2026-06-01T10:00:00Z"),
        _status(1, _CPS.SUSPENDED_EV, "2026-06-01T12:01:00+02:00"),
        _status(1, _CPS.FINISHING, "2026-06-01T10:02:00Z"),
        _line(
            "CP-1",
            "2026-06-01T10:03:00Z",
            [
                2,
                "b",
                "BootNotification",
                {"chargePointVendor": "V" * 25, "chargePointModel": "M"},
            ],
        ),
        _line("CP-1", "2026-06-01T10:03:00Z", [2, "b", "BootNotification", {}]),
        _line(
            "CP-1", "2026-06-01T10:04:00Z", [2, "h", "MeterValues", {"connectorId": 1}]
        ),
    ]
    protocol: Literal["ocpp2.0.1", "ocpp2.1"]
    for protocol in ("ocpp2.0.1", "ocpp2.1"):
        lines = list(to_ocpp201(log, protocol=protocol))
        assert len(lines) == 10
        _check_valid(lines, protocol)


# --- the statuses come out the same ----------------------------------------


def _statuses_16(lines: Iterable[str]) -> dict[str, StationStatus]:
    reports: dict[str, list[ConnectorReport]] = {}
    for envelope, frame in _frames(lines):
        payload = envelope.get("payload")
        if frame is not None and frame[2] == "StatusNotification":
            payload = frame[3]
        if payload is not None:
            report = ConnectorReport.from_ocpp(payload)
            reports.setdefault(envelope["station"], []).append(report)
    return {name: ocpp16.station_status(held) for name, held in reports.items()}


def _statuses_201(lines: Iterable[str]) -> dict[str, StationStatus]:
    reports: dict[str, list[ocpp201.ConnectorReport]] = {}
    charging: dict[str, dict[int, ChargingState]] = {}
    main: dict[str, ConnectorState] = {}
    for envelope, frame in _frames(lines):
        if frame is None or frame[0] != 2:
            continue
        name, action, payload = envelope["station"], frame[2], frame[3]
        if action == "StatusNotification":
            reports.setdefault(name, []).append(
                ocpp201.ConnectorReport.from_ocpp(payload)
            )
        elif action == "TransactionEvent":
            states = charging.setdefault(name, {})
            evse = payload["evse"]["id"]
            if payload["eventType"] == "Ended":
                del states[evse]
            else:
                states[evse] = ChargingState(
                    payload["transactionInfo"]["chargingState"]
                )
        elif action == "NotifyEvent":
            main[name] = ConnectorState(payload["eventData"][0]["actualValue"])
    return {
        name: ocpp201.station_status(
            reports.get(name, []),
            charging_states=charging.get(name),
            station_state=main.get(name),
        )
        for name in reports.keys() | main.keys()
    }


@settings(max_examples=100, deadline=None)
@given(station_logs())
def test_a_translated_log_comes_to_the_same_statuses(log: str) -> None:
    lines = log.splitlines()
    assert _statuses_201(to_ocpp201(lines)) == _statuses_16(lines)


@pytest.mark.parametrize(
    ("before", "after"), list(itertools.product(list(_CPS), list(_CPS)))
)
def test_every_change_of_a_connector(
    before: ChargePointStatus, after: ChargePointStatus
) -> None:
    """Exhaustively: what a change from one state to another is written as."""
    log = [
        _status(1, before, "2026-06-01T10:00:00Z"),
        _status(1, after, "2026-06-01T10:01:00Z"),
    ]
    charging = {_CPS.CHARGING, _CPS.SUSPENDED_EV, _CPS.SUSPENDED_EVSE}
    said = _actions(to_ocpp201(log))
    first = (
        ["Occupied", f"Started {before.value}"]
        if before in charging
        else [ocpp201.from_ocpp16(before).value]
    )
    second = [ocpp201.from_ocpp16(after).value]
    if before == after and before in charging:
        # The same report again, but for its timestamp: still taken.
        second.append(f"Updated {after.value}")
    elif after in charging:
        second.append(f"{'Updated' if before in charging else 'Started'} {after.value}")
    elif before in charging:
        second.insert(0, "Ended None")
    assert said == first + second
    assert _statuses_201(to_ocpp201(log)) == _statuses_16(log)


def test_transactions_are_numbered_per_station_and_evse() -> None:
    log = [
        _status(2, _CPS.CHARGING, "2026-06-01T10:00:00Z"),
        _status(2, _CPS.SUSPENDED_EVSE, "2026-06-01T10:01:00Z"),
        _status(2, _CPS.FINISHING, "2026-06-01T10:02:00Z"),
        _status(2, _CPS.CHARGING, "2026-06-01T10:03:00Z"),
    ]
    events = [
        (
            f[3]["eventType"],
            f[3]["transactionInfo"]["transactionId"],
            f[3]["seqNo"],
            f[1],
        )
        for _, f in _frames(to_ocpp201(log))
        if f[2] == "TransactionEvent"
    ]
    assert events == [
        ("Started", "2-1", 0, "201-1"),
        ("Updated", "2-1", 1, "201-2"),
        ("Ended", "2-1", 2, "201-3"),
        ("Started", "2-2", 0, "201-4"),
    ]


def test_a_late_or_repeated_report_leaves_the_transaction_alone() -> None:
    log = [
        _status(1, _CPS.CHARGING, "2026-06-01T10:00:00Z"),
        # Stamped before the report held: a late delivery, not taken.
        _status(1, _CPS.FINISHING, "2026-06-01T09:00:00Z"),
    ]
    repeated = [log[0], log[0]]
    assert _actions(to_ocpp201(log)) == ["Occupied", "Started Charging", "Occupied"]
    assert _actions(to_ocpp201(repeated)) == [
        "Occupied",
        "Started Charging",
        "Occupied",
    ]


def test_an_untimed_report_is_stamped_with_the_zero_time() -> None:
    (line,) = to_ocpp201([_status(3, _CPS.AVAILABLE, None)])
    payload = json.loads(line)["frame"][3]
    assert payload["timestamp"] == ZERO_TIME_TEXT
    assert parse_timestamp(ZERO_TIME_TEXT) == datetime(1, 1, 1, tzinfo=UTC)
    assert ocpp201.ConnectorReport.from_ocpp(payload).evse_id == 3


def test_connector_zero_is_the_charging_stations_availability_state() -> None:
    for status in list(_CPS):
        (line,) = to_ocpp201([_status(0, status, "2026-06-01T10:00:00Z")])
        frame = json.loads(line)["frame"]
        assert frame[:3] == [2, "m", "NotifyEvent"]
        (data,) = frame[3]["eventData"]
        assert data["component"] == {"name": "ChargingStation"}
        assert data["variable"] == {"name": "AvailabilityState"}
        assert data["actualValue"] == ocpp201.from_ocpp16(status).value


# --- everything else --------------------------------------------------------


def test_other_lines() -> None:
    received = "2026-06-01T10:00:00Z"
    event = json.dumps({"station": "CP-1", "received": received, "event": "connected"})
    reply = _line("CP-1", received, [3, "1", {"currentTime": received}])
    error = _line("CP-1", received, [4, "1", "NotImplemented", "", {}])
    heartbeat = json.dumps([2, "9", "Heartbeat", {}])
    reset = _line("CP-1", received, [2, "r", "Reset", {"type": "Hard"}])
    bare = json.dumps({"connectorId": 1, "errorCode": "NoError", "status": "Available"})
    in_envelope = json.dumps(
        {
            "payload": {
                "connectorId": 1,
                "errorCode": "NoError",
                "status": "Available",
            },
            "protocol": "ocpp1.6",
        }
    )
    out = [
        json.loads(line)
        for line in to_ocpp201(
            [event, reply, error, heartbeat, reset, bare, in_envelope]
        )
    ]
    assert out == [
        {
            "station": "CP-1",
            "received": received,
            "protocol": "ocpp2.0.1",
            "event": "connected",
        },
        {
            "station": "CP-1",
            "received": received,
            "protocol": "ocpp2.0.1",
            "frame": [3, "1", {"currentTime": received}],
        },
        {
            "station": "CP-1",
            "received": received,
            "protocol": "ocpp2.0.1",
            "frame": [4, "1", "NotImplemented", "", {}],
        },
        {"protocol": "ocpp2.0.1", "frame": [2, "9", "Heartbeat", {}]},
        {
            "protocol": "ocpp2.0.1",
            "frame": [
                2,
                "201-1",
                "StatusNotification",
                {
                    "timestamp": ZERO_TIME_TEXT,
                    "connectorStatus": "Available",
                    "evseId": 1,
                    "connectorId": 1,
                },
            ],
        },
        {
            "protocol": "ocpp2.0.1",
            "frame": [
                2,
                "201-2",
                "StatusNotification",
                {
                    "timestamp": ZERO_TIME_TEXT,
                    "connectorStatus": "Available",
                    "evseId": 1,
                    "connectorId": 1,
                },
            ],
        },
    ]


@pytest.mark.parametrize(
    "line",
    [
        "",
        "  ",
        "not json",
        "[2, 1, 2",
        "7",
        "[]",
        '[5, "1", {}]',
        '[2, "1", "StatusNotification"]',
        '[true, "1", "Heartbeat", {}]',
        '[2, "1", "Recharge", {}]',
        '[2, "1", "StatusNotification", {"connectorId": 1}]',
        '{"connectorId": -1, "errorCode": "NoError", "status": "Available"}',
        '{"station": "CP-1", "evnt": "connected"}',
        '{"station": "CP-1"}',
        '{"station": "CP-1", "event": "connected", "frame": [3, "1", {}]}',
        '{"station": "  ", "event": "connected"}',
        '{"station": "CP-1", "received": "yesterday", "event": "connected"}',
        '{"station": "CP-1", "received": 7, "event": "connected"}',
        '{"station": "CP-1", "frame": {}}',
        '{"station": "CP-1", "payload": []}',
        '{"station": "CP-1", "event": "rebooted"}',
        '{"station": "CP-1", "event": ["connected"]}',
        '{"station": "CP-1", "protocol": "ocpp2.0.1", "event": "connected"}',
    ],
)
def test_a_line_that_is_not_valid_ocpp16_passes_through_unchanged(line: str) -> None:
    assert list(to_ocpp201([line])) == [line]


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="lines: got 'abc'"):
        to_ocpp201("abc")
    with pytest.raises(TypeError, match="protocol: got 2"):
        to_ocpp201([], protocol=2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"protocol: got 'ocpp1\.6'"):
        to_ocpp201([], protocol="ocpp1.6")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="lines: got <bytes>"):
        list(to_ocpp201(cast("list[str]", [b"x"])))


def test_types() -> None:
    assert_type(to_ocpp201([]), Iterator[str])
    assert_type(to_ocpp201([], protocol="ocpp2.1"), Iterator[str])
