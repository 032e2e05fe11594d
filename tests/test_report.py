"""ConnectorReport: checked construction, strict parsing, and the way back."""

# pyright: reportPrivateUsage=false

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    InvalidReport,
)
from evstatus.exceptions import Problem
from evstatus.testing.strategies import connector_reports

from .strategies import json_values

MINIMAL = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
FULL = {
    "connectorId": 2,
    "errorCode": "GroundFailure",
    "status": "Faulted",
    "timestamp": "2026-11-22T10:15:00.25+01:00",
    "info": "RCD tripped",
    "vendorId": "com.example",
    "vendorErrorCode": "E-17",
}


def problems_of(payload: object) -> list[Problem]:
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp(payload)
    return list(caught.value.problems)


def fields_of(payload: object) -> list[str]:
    return [problem.field for problem in problems_of(payload)]


# --- construction ---------------------------------------------------------------


def test_defaults() -> None:
    report = ConnectorReport(connector_id=3, status=ChargePointStatus.AVAILABLE)
    assert report.error_code is ChargePointErrorCode.NO_ERROR
    assert report.timestamp is None
    assert report.info is None
    assert report.vendor_id is None
    assert report.vendor_error_code is None


def test_is_immutable_slotted_and_keyword_only() -> None:
    report = ConnectorReport(connector_id=1, status=ChargePointStatus.CHARGING)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.connector_id = 2  # type: ignore[misc]
    assert not hasattr(report, "__dict__")
    with pytest.raises(TypeError):
        ConnectorReport(1, ChargePointStatus.CHARGING)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"connector_id": -1}, "connector_id"),
        ({"connector_id": True}, "connector_id"),
        ({"connector_id": 1.0}, "connector_id"),
        ({"connector_id": "1"}, "connector_id"),
        ({"status": "Charging"}, "status"),
        ({"connector_id": 0, "status": ChargePointStatus.CHARGING}, "status"),
        ({"error_code": "NoError"}, "error_code"),
        ({"timestamp": datetime(2026, 1, 1)}, "timestamp"),  # noqa: DTZ001
        ({"timestamp": "2026-01-01T00:00:00Z"}, "timestamp"),
        (
            {"timestamp": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))},
            "timestamp",
        ),
        ({"info": "x" * 51}, "info"),
        ({"info": 5}, "info"),
        ({"vendor_id": "x" * 256}, "vendor_id"),
        ({"vendor_error_code": "x" * 51}, "vendor_error_code"),
    ],
)
def test_construction_checks_every_rule(changes: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {
        "connector_id": 1,
        "status": ChargePointStatus.CHARGING,
        **changes,
    }
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport(**arguments)
    assert [problem.field for problem in caught.value.problems] == [field]
    assert field in str(caught.value)


def test_construction_lists_every_problem_at_once() -> None:
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport(
            connector_id=-5,
            status="Charging",  # type: ignore[arg-type]
            error_code="NoError",  # type: ignore[arg-type]
            info="x" * 60,
        )
    assert [p.field for p in caught.value.problems] == [
        "connector_id",
        "status",
        "error_code",
        "info",
    ]


def test_limits_are_inclusive() -> None:
    report = ConnectorReport(
        connector_id=0,
        status=ChargePointStatus.FAULTED,
        info="i" * 50,
        vendor_id="v" * 255,
        vendor_error_code="e" * 50,
    )
    assert ConnectorReport.from_ocpp(report.to_ocpp()) == report


def test_evolve_checks_too() -> None:
    report = ConnectorReport(connector_id=1, status=ChargePointStatus.CHARGING)
    with pytest.raises(InvalidReport):
        attrs.evolve(report, connector_id=0)


def test_invalid_report_is_a_value_error() -> None:
    assert issubclass(InvalidReport, ValueError)


@pytest.mark.parametrize(
    ("status", "error_code", "warning"),
    [
        (ChargePointStatus.CHARGING, ChargePointErrorCode.NO_ERROR, False),
        (ChargePointStatus.CHARGING, ChargePointErrorCode.HIGH_TEMPERATURE, True),
        (ChargePointStatus.FAULTED, ChargePointErrorCode.HIGH_TEMPERATURE, False),
        (ChargePointStatus.FAULTED, ChargePointErrorCode.NO_ERROR, False),
    ],
)
def test_is_warning(
    status: ChargePointStatus, error_code: ChargePointErrorCode, warning: bool
) -> None:
    report = ConnectorReport(connector_id=1, status=status, error_code=error_code)
    assert report.is_warning is warning


# --- parsing --------------------------------------------------------------------


def test_parses_a_minimal_payload() -> None:
    report = ConnectorReport.from_ocpp(MINIMAL)
    assert report == ConnectorReport(connector_id=1, status=ChargePointStatus.CHARGING)


def test_parses_every_field() -> None:
    report = ConnectorReport.from_ocpp(FULL)
    assert report == ConnectorReport(
        connector_id=2,
        status=ChargePointStatus.FAULTED,
        error_code=ChargePointErrorCode.GROUND_FAILURE,
        timestamp=datetime(2026, 11, 22, 9, 15, 0, 250000, tzinfo=UTC),
        info="RCD tripped",
        vendor_id="com.example",
        vendor_error_code="E-17",
    )
    # Held in UTC, whatever offset the station wrote.
    assert report.timestamp is not None
    assert report.timestamp.tzinfo is UTC


@pytest.mark.parametrize("status", ["Available", "Unavailable", "Faulted"])
def test_connector_zero_takes_its_three_states(status: str) -> None:
    report = ConnectorReport.from_ocpp({**MINIMAL, "connectorId": 0, "status": status})
    assert report.connector_id == 0


@pytest.mark.parametrize(
    "status",
    ["Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing", "Reserved"],
)
def test_connector_zero_rejects_the_others(status: str) -> None:
    problems = problems_of({**MINIMAL, "connectorId": 0, "status": status})
    assert [p.field for p in problems] == ["status"]
    assert "connector 0" in problems[0].expected


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"connectorId": -1}, "connectorId"),
        ({"connectorId": True}, "connectorId"),
        ({"connectorId": 1.0}, "connectorId"),
        ({"connectorId": "1"}, "connectorId"),
        ({"connectorId": None}, "connectorId"),
        ({"errorCode": "noError"}, "errorCode"),
        ({"errorCode": None}, "errorCode"),
        ({"errorCode": ["NoError"]}, "errorCode"),
        ({"status": "charging"}, "status"),
        ({"status": "Occupied"}, "status"),
        ({"status": {"x": 1}}, "status"),
        ({"timestamp": "2026-11-22T10:15:00"}, "timestamp"),
        ({"timestamp": "2026-11-22 10:15:00Z"}, "timestamp"),
        ({"timestamp": "2026-02-30T10:15:00Z"}, "timestamp"),
        ({"timestamp": "2026-11-22T10:15:60Z"}, "timestamp"),
        ({"timestamp": "2026-11-22T10:15:00Z\n"}, "timestamp"),
        ({"timestamp": 1700000000}, "timestamp"),
        ({"timestamp": None}, "timestamp"),
        ({"info": "x" * 51}, "info"),
        ({"info": None}, "info"),
        ({"info": 3}, "info"),
        ({"vendorId": "x" * 256}, "vendorId"),
        ({"vendorErrorCode": "x" * 51}, "vendorErrorCode"),
        ({"vendorErrorCode": False}, "vendorErrorCode"),
        ({"extra": 1}, "<keys>"),
        ({"ConnectorId": 1}, "<keys>"),
    ],
)
def test_rejects_each_broken_field(change: dict[str, object], field: str) -> None:
    problems = problems_of({**FULL, **change})
    assert [p.field for p in problems] == [field]
    problem = problems[0]
    if field != "<keys>":
        assert problem.value == next(iter(change.values()))
    assert problem.expected


@pytest.mark.parametrize("key", ["connectorId", "errorCode", "status"])
def test_required_keys(key: str) -> None:
    payload = {k: v for k, v in MINIMAL.items() if k != key}
    (problem,) = problems_of(payload)
    assert problem.field == key
    assert problem.missing
    assert f"{key}: missing, expected" in str(problem)


def test_lists_every_problem() -> None:
    payload = {
        "connectorId": -3,
        "errorCode": "Oops",
        "status": "Charged",
        "timestamp": "yesterday",
        "info": "i" * 51,
        "vendorId": 7,
        "vendorErrorCode": None,
        "colour": "red",
    }
    assert fields_of(payload) == [
        "<keys>",
        "connectorId",
        "errorCode",
        "status",
        "timestamp",
        "info",
        "vendorId",
        "vendorErrorCode",
    ]


@pytest.mark.parametrize("payload", [None, [], "{}", 1, b"{}", ("connectorId", 1)])
def test_rejects_non_objects(payload: object) -> None:
    assert fields_of(payload) == ["<payload>"]


def test_unknown_keys_are_named_but_not_all_of_a_million() -> None:
    payload: dict[object, object] = {f"k{i}": i for i in range(1_000_000)}
    payload.update(MINIMAL)
    payload[3] = "not even a string key"
    (problem,) = problems_of(payload)
    assert problem.field == "<keys>"
    assert "'k0'" in problem.expected
    assert "(1000001 in all)" in problem.expected
    assert len(str(problem)) < 300


class _Status(StrEnum):
    """Stands in for another library's enum: a str subclass with its own hash."""

    charging = "Charging"
    no_error = "NoError"


class _Int(int):
    pass


def test_accepts_str_and_int_subclasses_as_json_would() -> None:
    report = ConnectorReport.from_ocpp(
        {
            "connectorId": _Int(4),
            "errorCode": _Status.no_error,
            "status": _Status.charging,
            "info": _Status.charging,
        }
    )
    assert report.connector_id == 4
    assert type(report.connector_id) is int
    assert report.status is ChargePointStatus.CHARGING
    assert report.error_code is ChargePointErrorCode.NO_ERROR
    assert type(report.info) is str


def test_accepts_a_dict_subclass() -> None:
    class Payload(dict[str, object]):
        pass

    assert ConnectorReport.from_ocpp(Payload(MINIMAL)) == ConnectorReport.from_ocpp(
        MINIMAL
    )


def test_parses_connector_zero_and_optional_fields_on_the_careful_path() -> None:
    payload = {**FULL, "connectorId": 0, "timestamp": "2026-11-22t10:15:00z"}
    report = ConnectorReport.from_ocpp(payload)
    assert report.connector_id == 0
    assert report.timestamp == datetime(2026, 11, 22, 10, 15, tzinfo=UTC)


def test_huge_values_stay_short_in_the_message() -> None:
    payload: dict[str, object] = {
        "connectorId": -(10**5000),
        "errorCode": "E" * 1_000_000,
        "status": float("nan"),
        "info": [[[]]] * 1000,
    }
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp(payload)
    message = str(caught.value)
    assert len(message) < 1200
    assert "integer of 16610 bits" in message
    assert "(1000000 characters)" in message
    assert "float(nan)" in message
    assert "<list of 1000>" in message


# --- the way back ---------------------------------------------------------------


def test_to_ocpp_leaves_unset_keys_out_and_writes_utc() -> None:
    assert ConnectorReport.from_ocpp(MINIMAL).to_ocpp() == MINIMAL
    payload = ConnectorReport.from_ocpp(FULL).to_ocpp()
    assert payload == {**FULL, "timestamp": "2026-11-22T09:15:00.250Z"}
    assert json.loads(json.dumps(payload)) == payload


@given(connector_reports())
def test_round_trip(report: ConnectorReport) -> None:
    payload = report.to_ocpp()
    assert ConnectorReport.from_ocpp(payload) == report
    assert ConnectorReport.from_ocpp(json.loads(json.dumps(payload))) == report


@given(json_values)
def test_from_ocpp_raises_only_invalid_report(value: object) -> None:
    try:
        ConnectorReport.from_ocpp(value)
    except InvalidReport as error:
        assert error.problems
        assert len(str(error)) < 2000


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "connectorId": st.integers(-3, 3) | st.booleans() | st.none(),
            "errorCode": st.sampled_from(["NoError", "OtherError", "Bad", ""]),
            "status": st.sampled_from(["Available", "Charging", "Faulted", "x"]),
            "timestamp": st.sampled_from(
                ["2026-11-22T10:00:00Z", "2026-11-22T10:00:00", "", "2026-13-01T0"]
            ),
            "info": st.text(max_size=60) | st.none(),
            "vendorId": st.text(max_size=10) | st.integers(),
            "vendorErrorCode": st.text(max_size=60),
            "extra": st.integers(),
        },
    )
)
def test_fast_and_careful_paths_agree(payload: dict[str, object]) -> None:
    """The careful path is the authority; the fast one may only agree with it."""
    from evstatus._ocpp16 import _parse_thoroughly  # noqa: PLC0415

    try:
        fast: object = ConnectorReport.from_ocpp(payload)
    except InvalidReport as error:
        fast = error.problems
    try:
        careful: object = _parse_thoroughly(payload)
    except InvalidReport as error:
        careful = error.problems
    assert fast == careful
