"""The OCPP 1.6 core this branch builds on, held to the standard set for OCPP 2.

The core (issue 2) came without tests in this tree; these check the parts the
interop code relies on: the 1.6 parser (differentially, against the official
draft-04 schema shipped in the ``ocpp`` package), the report's own checks, and
the station functions' argument handling.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from typing import Any, cast

import hypothesis_jsonschema
import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rfc3339_validator import validate_rfc3339

from evstatus import (
    STATION_RULES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    InvalidReport,
    Reason,
    StationStatus,
    _report,  # pyright: ignore[reportPrivateUsage]
    connector_status,
    derive_station,
    latest_reports,
    station_status,
)

CPS = ChargePointStatus
from_schema = cast(
    "Callable[[Any], st.SearchStrategy[Any]]",
    hypothesis_jsonschema.from_schema,  # pyright: ignore[reportUnknownMemberType]
)
SCHEMA: dict[str, Any] = json.loads(
    files("ocpp")
    .joinpath("v16/schemas/StatusNotification.json")
    .read_text(encoding="utf-8")
)
VALIDATOR: Any = jsonschema.Draft4Validator(SCHEMA)
ZERO_STATES = {"Available", "Unavailable", "Faulted"}


def _timestamp_ok(text: str) -> bool:
    if not text.isascii() or text.endswith("\n"):
        return False
    if not validate_rfc3339(text.upper()):
        return False
    try:
        datetime.fromisoformat(text.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


def oracle(payload: object) -> bool:
    if not VALIDATOR.is_valid(payload):
        return False
    fields = cast("dict[str, Any]", payload)
    if fields["connectorId"] < 0:
        return False
    if fields["connectorId"] == 0 and fields["status"] not in ZERO_STATES:
        return False
    return "timestamp" not in fields or _timestamp_ok(fields["timestamp"])


def _loosen(node: object) -> object:
    away = {"required", "additionalProperties", "enum", "type"}
    if isinstance(node, dict):
        items = cast("dict[str, object]", node).items()
        return {k: _loosen(v) for k, v in items if k not in away}
    return node


def _accepts(payload: object) -> bool:
    try:
        ConnectorReport.from_ocpp(payload)
    except InvalidReport:
        return False
    return True


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.one_of(from_schema(SCHEMA), from_schema(_loosen(SCHEMA))))
def test_16_parser_accepts_exactly_what_schema_and_text_accept(payload: object) -> None:
    assert _accepts(payload) == oracle(payload)
    if oracle(payload):
        report = ConnectorReport.from_ocpp(payload)
        assert ConnectorReport.from_ocpp(report.to_ocpp()) == report


BASE: dict[str, object] = {
    "connectorId": 1,
    "errorCode": "NoError",
    "status": "Charging",
}
FULL: dict[str, object] = {
    **BASE,
    "timestamp": "2026-11-22T10:15:00Z",
    "info": "i",
    "vendorId": "v",
    "vendorErrorCode": "e",
}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("connectorId", -1),
        ("connectorId", True),
        ("connectorId", 1.0),
        ("errorCode", "noerror"),
        ("status", None),
        ("timestamp", 5),
        ("timestamp", "2026-11-22T10:15:00"),
        ("timestamp", None),
        ("info", "x" * 51),
        ("info", None),
        ("vendorId", "x" * 256),
        ("vendorId", 3),
        ("vendorErrorCode", "x" * 51),
        ("vendorErrorCode", None),
        ("other", 1),
    ],
)
def test_16_each_bad_value(key: str, value: object) -> None:
    for base in (BASE, FULL):
        payload = {**base, key: value}
        assert not oracle(payload)
        with pytest.raises(InvalidReport) as caught:
            ConnectorReport.from_ocpp(payload)
        assert [p.field for p in caught.value.problems] == [
            "<keys>" if key == "other" else key
        ]


def test_16_full_payload_and_slow_path_agree() -> None:
    class Payload(dict[str, object]):
        pass

    fast = ConnectorReport.from_ocpp(dict(FULL))
    slow = ConnectorReport.from_ocpp(Payload(FULL))
    assert fast == slow
    assert fast.to_ocpp() == FULL
    zero = ConnectorReport.from_ocpp({**BASE, "connectorId": 0, "status": "Faulted"})
    assert zero.connector_id == 0


def test_16_connector_zero_and_many_unknown_keys() -> None:
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp({**BASE, "connectorId": 0})
    assert [p.field for p in caught.value.problems] == ["status"]
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp({**BASE, **{f"k{i}": i for i in range(7)}})
    assert "(7 in all)" in str(caught.value)
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp(["not", "an", "object"])
    assert caught.value.problems[0].field == "<payload>"
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp({})
    assert all(p.missing for p in caught.value.problems)
    assert repr(_report._MISSING) == "<missing>"  # pyright: ignore[reportPrivateUsage]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("connector_id", -1),
        ("status", "Charging"),
        ("error_code", "NoError"),
        ("timestamp", datetime(2026, 1, 1)),  # noqa: DTZ001  (naive on purpose)
        ("info", "x" * 51),
    ],
)
def test_16_construction_rejects(field: str, value: object) -> None:
    fields: dict[str, object] = {"connector_id": 1, "status": CPS.CHARGING}
    fields[field] = value
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport(**fields)  # type: ignore[arg-type]
    assert [p.field for p in caught.value.problems] == [field]


def test_16_connector_zero_construction() -> None:
    with pytest.raises(InvalidReport):
        ConnectorReport(connector_id=0, status=CPS.CHARGING)


def test_16_is_warning() -> None:
    warning = ConnectorReport(
        connector_id=1,
        status=CPS.CHARGING,
        error_code=ChargePointErrorCode.HIGH_TEMPERATURE,
    )
    assert warning.is_warning
    assert not ConnectorReport(
        connector_id=1,
        status=CPS.FAULTED,
        error_code=ChargePointErrorCode.HIGH_TEMPERATURE,
    ).is_warning


def test_16_enums_describe_themselves() -> None:
    for enum in (
        ChargePointStatus,
        ChargePointErrorCode,
        ConnectorStatus,
        StationStatus,
    ):
        for member in enum:
            assert member.description
    assert [s for s in CPS if not s.is_operative] == [CPS.UNAVAILABLE, CPS.FAULTED]
    assert {s for s in CPS if s.allowed_on_connector_zero} == {
        CPS.AVAILABLE,
        CPS.UNAVAILABLE,
        CPS.FAULTED,
    }
    for rule in STATION_RULES:
        assert rule.reason.rule is rule
        assert rule.reason.description == rule.condition
    assert {rule.reason for rule in STATION_RULES} == set(Reason)


def test_16_station_functions() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    log = [
        ConnectorReport(connector_id=1, status=CPS.CHARGING, timestamp=t0),
        ConnectorReport(
            connector_id=1, status=CPS.AVAILABLE, timestamp=t0 - timedelta(1)
        ),
        ConnectorReport(connector_id=0, status=CPS.UNAVAILABLE),
    ]
    assert latest_reports(log) == {0: log[2], 1: log[0]}
    view = derive_station(log)
    assert view.reason is Reason.MAIN_CONTROLLER_UNAVAILABLE
    assert dict(view.connectors) == {1: ConnectorStatus.UNAVAILABLE}
    assert station_status(log[:1]) is StationStatus.CHARGING
    assert connector_status(log[0]) is ConnectorStatus.OCCUPIED
    assert connector_status(CPS.RESERVED) is ConnectorStatus.UNAVAILABLE
    with pytest.raises(InvalidReport):
        latest_reports(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidReport):
        latest_reports([None])  # type: ignore[list-item]
    with pytest.raises(InvalidReport) as caught:
        station_status([], online=1, removed=math.nan)  # type: ignore[arg-type]
    assert [p.field for p in caught.value.problems] == ["online", "removed"]
