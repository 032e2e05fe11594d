"""SPEC.md sections 1-4, checked where the other tests do not reach."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from evstatus import (
    CONNECTOR_ZERO_STATUSES,
    STATION_RULES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    InvalidReport,
    Reason,
    StationStatus,
    connector_status,
    latest_reports,
    station_status,
)
from evstatus._errors import shorten
from evstatus._timestamps import format_timestamp, parse_timestamp

S = ChargePointStatus
VALID = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}


# --- section 1: enums -----------------------------------------------------------


@pytest.mark.parametrize(
    "descriptions",
    [
        [member.description for member in ChargePointStatus],
        [member.description for member in ChargePointErrorCode],
        [member.description for member in ConnectorStatus],
        [member.description for member in StationStatus],
        [member.description for member in Reason],
    ],
    ids=[
        "ChargePointStatus",
        "ChargePointErrorCode",
        "ConnectorStatus",
        "StationStatus",
        "Reason",
    ],
)
def test_every_member_has_a_distinct_one_line_description(
    descriptions: list[str],
) -> None:
    assert all(text and "\n" not in text for text in descriptions)
    assert len(set(descriptions)) == len(descriptions)


def test_operative_states_and_connector_zero() -> None:
    assert {s for s in S if not s.is_operative} == {S.UNAVAILABLE, S.FAULTED}
    assert {s for s in S if s.allowed_on_connector_zero} == CONNECTOR_ZERO_STATUSES
    assert {S.AVAILABLE, S.UNAVAILABLE, S.FAULTED} == CONNECTOR_ZERO_STATUSES


def test_reasons_name_their_rules() -> None:
    for rule in STATION_RULES:
        assert rule.reason.rule is rule
        assert rule.reason.description == rule.condition


# --- section 2: reports -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"connector_id": -1}, "connector_id"),
        ({"connector_id": True}, "connector_id"),
        ({"status": "Charging"}, "status"),
        ({"connector_id": 0, "status": S.CHARGING}, "status"),
        ({"error_code": "NoError"}, "error_code"),
        ({"timestamp": "2026-06-01T08:00:00Z"}, "timestamp"),
        ({"timestamp": datetime(2026, 6, 1)}, "timestamp"),  # noqa: DTZ001
        ({"info": "x" * 51}, "info"),
        ({"vendor_id": 5}, "vendor_id"),
        ({"vendor_error_code": "x" * 51}, "vendor_error_code"),
    ],
)
def test_construction_checks_every_field(fields: dict[str, object], bad: str) -> None:
    arguments: dict[str, object] = {"connector_id": 1, "status": S.AVAILABLE} | fields
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport(**arguments)  # type: ignore[arg-type]
    assert [problem.field for problem in caught.value.problems] == [bad]


def test_construction_accepts_the_limits() -> None:
    report = ConnectorReport(
        connector_id=0,
        status=S.FAULTED,
        error_code=ChargePointErrorCode.GROUND_FAILURE,
        timestamp=datetime(2026, 6, 1, tzinfo=UTC),
        info="i" * 50,
        vendor_id="v" * 255,
        vendor_error_code="e" * 50,
    )
    assert ConnectorReport.from_ocpp(report.to_ocpp()) == report
    assert not report.is_warning
    assert ConnectorReport(
        connector_id=1, status=S.CHARGING, error_code=ChargePointErrorCode.WEAK_SIGNAL
    ).is_warning


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"timestamp": 5}, "timestamp"),
        ({"timestamp": "2026-02-30T00:00:00Z"}, "timestamp"),
        ({"timestamp": None}, "timestamp"),
        ({"info": "x" * 51}, "info"),
        ({"info": 1}, "info"),
        ({"vendorId": "x" * 256}, "vendorId"),
        ({"vendorErrorCode": "x" * 51}, "vendorErrorCode"),
        ({"vendorErrorCode": None}, "vendorErrorCode"),
        ({"connectorId": 1.0}, "connectorId"),
        ({"errorCode": "noerror"}, "errorCode"),
        ({"status": None}, "status"),
    ],
)
def test_parsing_names_the_bad_field(extra: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp(VALID | extra)
    assert [problem.field for problem in caught.value.problems] == [field]


def test_parsing_lists_every_problem_and_unknown_keys() -> None:
    payload = {f"extra{n}": n for n in range(7)} | {"status": "Charged"}
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp(payload)
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["<keys>", "connectorId", "errorCode", "status"]
    assert "(7 in all)" in caught.value.problems[0].expected
    assert caught.value.problems[1].missing
    assert "connectorId: missing, expected an integer >= 0" in str(caught.value)


@pytest.mark.parametrize("payload", [None, [], "x", 3, json.loads("NaN")])
def test_parsing_a_non_object(payload: object) -> None:
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp(payload)
    assert caught.value.problems[0].field == "<payload>"


def test_parsing_accepts_str_subclasses_and_every_optional_field() -> None:
    class Wire(str):
        __slots__ = ()

    payload = {
        "connectorId": 2,
        "errorCode": Wire("OtherError"),
        "status": Wire("Finishing"),
        "timestamp": "2026-06-01t08:00:00.1234567z",
        "info": Wire("ok"),
        "vendorId": "acme",
        "vendorErrorCode": "E1",
    }
    report = ConnectorReport.from_ocpp(payload)
    assert report.status is S.FINISHING
    assert report.error_code is ChargePointErrorCode.OTHER_ERROR
    assert report.timestamp == datetime(2026, 6, 1, 8, 0, 0, 123456, tzinfo=UTC)
    assert type(report.info) is str
    assert report.to_ocpp().get("timestamp") == "2026-06-01T08:00:00.123456Z"
    plain = ConnectorReport.from_ocpp(
        VALID | {"vendorId": "acme", "vendorErrorCode": "E1", "info": "i"}
    )
    assert plain.to_ocpp() == VALID | {
        "vendorId": "acme",
        "vendorErrorCode": "E1",
        "info": "i",
    }


def test_connector_zero_is_parsed_thoroughly() -> None:
    report = ConnectorReport.from_ocpp(
        {"connectorId": 0, "errorCode": "NoError", "status": "Unavailable"}
    )
    assert (report.connector_id, report.status) == (0, S.UNAVAILABLE)


# --- timestamps and shortening ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-06-01T10:00:00+02:00", datetime(2026, 6, 1, 8, tzinfo=UTC)),
        ("2026-06-01T08:00:00-00:00", datetime(2026, 6, 1, 8, tzinfo=UTC)),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        ("9999-12-31T23:59:59Z", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("0001-01-01T00:00:00+01:00", None),
        ("9999-12-31T23:00:00-01:00", None),
        ("2026-06-01 08:00:00Z", None),
        ("2026-06-01T08:00:60Z", None),
        ("2026-02-29t08:00:00z", None),
        ("0000-01-01T00:00:00Z", None),
    ],
)
def test_timestamps(text: str, moment: datetime | None) -> None:
    assert parse_timestamp(text) == moment


def test_format_timestamp_writes_utc() -> None:
    moment = datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(moment) == "2026-06-01T08:00:00Z"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (10**100, "<integer of 333 bits>"),
        (-(10**100), "<-integer of 333 bits>"),
        (float("nan"), "float(nan)"),
        (1.5, "1.5"),
        ("x" * 45, "'" + "x" * 40 + "'… (45 characters)"),
        ({1: 2}, "<dict of 1>"),
        (object(), "<object>"),
        (None, "None"),
    ],
)
def test_shorten(value: object, shown: str) -> None:
    assert shorten(value) == shown


# --- sections 3 and 4: connector and station status --------------------------------


def test_connector_status_takes_a_report_or_a_status() -> None:
    report = ConnectorReport(connector_id=1, status=S.RESERVED)
    assert connector_status(report) is ConnectorStatus.UNAVAILABLE
    assert connector_status(S.SUSPENDED_EV) is ConnectorStatus.OCCUPIED
    for flags in ({"online": False}, {"enabled": False}, {"removed": True}):
        assert connector_status(S.AVAILABLE, **flags) is ConnectorStatus.UNAVAILABLE
    with pytest.raises(InvalidReport) as caught:
        connector_status("Available")  # type: ignore[arg-type]
    assert caught.value.problems[0].field == "report_or_status"


def test_flags_must_be_bools() -> None:
    with pytest.raises(InvalidReport) as caught:
        station_status([], online=1, removed=None)  # type: ignore[arg-type]
    assert [problem.field for problem in caught.value.problems] == ["online", "removed"]


def test_station_status_matches_the_rules() -> None:
    reports = [
        ConnectorReport(connector_id=1, status=S.FAULTED),
        ConnectorReport(connector_id=2, status=S.UNAVAILABLE),
    ]
    assert station_status(reports) is StationStatus.OUT_OF_ORDER
    assert station_status(reports, removed=True) is StationStatus.REMOVED


@pytest.mark.parametrize(
    ("reports", "field"),
    [
        (5, "reports"),
        ([ConnectorReport(connector_id=1, status=S.AVAILABLE), "x"], "reports[1]"),
    ],
)
def test_latest_reports_checks_its_argument(reports: object, field: str) -> None:
    with pytest.raises(InvalidReport) as caught:
        latest_reports(reports)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == field


def test_latest_reports_keeps_the_earlier_on_a_late_delivery() -> None:
    def at(minute: int, status: S) -> ConnectorReport:
        moment = datetime(2026, 6, 1, 8, minute, tzinfo=UTC)
        return ConnectorReport(connector_id=1, status=status, timestamp=moment)

    newer, older = at(5, S.CHARGING), at(4, S.PREPARING)
    assert latest_reports([newer, older]) == {1: newer}
    assert latest_reports([older, newer]) == {1: newer}


def test_the_missing_marker_shows_as_such() -> None:
    from evstatus._report import (  # noqa: PLC0415
        _MISSING,  # pyright: ignore[reportPrivateUsage]
    )

    assert repr(_MISSING) == "<missing>"
