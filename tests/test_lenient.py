"""Lenient parsing: every repair on its own, what is never repaired, and what holds.

Each repair is shown on a payload the strict parser rejects (the zero time
aside, which is strictly valid and repaired all the same). Hypothesis checks
that a strictly valid payload comes back as the strict parser reads it, with no
repairs; that a valid payload with one deviation comes back as the report it
stands for, with exactly that repair; and that nothing but InvalidReport is
ever raised.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs
import hypothesis_jsonschema
import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evstatus import (
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    InvalidReport,
    ocpp201,
)
from evstatus._lenient import (
    ANY_OTHER_KEY,
    REPAIR_RULES,
    Parsed,
    Repair,
    RepairKind,
    parse_lenient_ocpp16,
    parse_lenient_ocpp201,
)
from evstatus._tables import TABLES, members_table
from evstatus.testing.strategies import aware_datetimes, connector_reports

from .examples import examples
from .strategies import json_values

K = RepairKind
RECEIVED = datetime(2026, 11, 22, 10, 15, tzinfo=UTC)
DROP = object()  # in a case's changes: leave the key out

from_schema = cast(
    "Callable[[Any], st.SearchStrategy[Any]]",
    hypothesis_jsonschema.from_schema,  # pyright: ignore[reportUnknownMemberType]
)


def _schema(path: str) -> dict[str, Any]:
    text = files("ocpp").joinpath(path).read_text(encoding="utf-8")
    return cast("dict[str, Any]", json.loads(text))


SCHEMA16 = _schema("v16/schemas/StatusNotification.json")
SCHEMAS2 = {
    version: _schema(f"{version}/schemas/StatusNotificationRequest.json")
    for version in ("v201", "v21")
}
# Either version's schema, each strategy built once: built inside a flatmap,
# it was built again for every example, a third of these tests' time.
VALID_PAYLOADS2 = st.one_of(
    [from_schema(SCHEMAS2[version]) for version in sorted(SCHEMAS2)]
)
VALIDATOR16: Any = jsonschema.Draft4Validator(SCHEMA16)
VALIDATORS2: dict[str, Any] = {
    version: jsonschema.Draft6Validator(schema) for version, schema in SCHEMAS2.items()
}

VALID16: dict[str, object] = {
    "connectorId": 1,
    "errorCode": "NoError",
    "status": "Charging",
    "timestamp": "2025-04-25T12:39:32Z",
}
VALID2: dict[str, object] = {
    "timestamp": "2025-04-25T12:39:32Z",
    "connectorStatus": "Occupied",
    "evseId": 1,
    "connectorId": 2,
}
AT = datetime(2025, 4, 25, 12, 39, 32, tzinfo=UTC)
ZERO = datetime(1, 1, 1, tzinfo=UTC)


def _changed(
    base: Mapping[str, object], changes: Mapping[str, object]
) -> dict[str, object]:
    payload = dict(base)
    for key, value in changes.items():
        if value is DROP:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


def _strict_rejects(parse: Callable[[object], object], payload: object) -> bool:
    try:
        parse(payload)
    except InvalidReport:
        return True
    return False


ALLOWED16 = {(rule.kind, key) for rule in REPAIR_RULES for key in rule.ocpp16}
ALLOWED2 = {(rule.kind, key) for rule in REPAIR_RULES for key in rule.ocpp2}
KNOWN16 = set(SCHEMA16["properties"])
KNOWN2 = set(SCHEMAS2["v201"]["properties"])


def _allowed(
    repair: Repair, allowed: set[tuple[RepairKind, str]], known: set[str]
) -> bool:
    if repair.kind is K.EXTRA_KEY:
        return repair.field not in known and (K.EXTRA_KEY, ANY_OTHER_KEY) in allowed
    return (repair.kind, repair.field) in allowed


def _check_16(payload: dict[str, object], parsed: Parsed[ConnectorReport]) -> None:
    """What every lenient 1.6 result must be: strictly valid, each repair listed."""
    report = parsed.report
    assert ConnectorReport.from_ocpp(report.to_ocpp()) == report
    assert VALIDATOR16.is_valid(report.to_ocpp())
    for repair in parsed.repairs:
        assert _allowed(repair, ALLOWED16, KNOWN16), repair
        assert repair.original is payload.get(repair.field), repair
        assert repair.action
        assert repair.why


def _check_2(
    payload: dict[str, object], parsed: Parsed[ocpp201.ConnectorReport]
) -> None:
    report = parsed.report
    assert ocpp201.ConnectorReport.from_ocpp(report.to_ocpp()) == report
    for validator in VALIDATORS2.values():
        assert validator.is_valid(report.to_ocpp())
    for repair in parsed.repairs:
        assert _allowed(repair, ALLOWED2, KNOWN2), repair
        assert repair.original is payload.get(repair.field), repair


# --- every repair, one by one: OCPP 1.6 -----------------------------------------

CASES16: list[
    tuple[str, dict[str, object], list[tuple[RepairKind, str]], dict[str, Any]]
] = [
    (
        "offset in hours",
        {"timestamp": "2025-04-25T15:39:32+03"},
        [(K.TIMESTAMP_OFFSET_HOURS, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "negative offset in hours",
        {"timestamp": "2025-04-25T09:39:32-03"},
        [(K.TIMESTAMP_OFFSET_HOURS, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "offset without colon",
        {"timestamp": "2025-04-25T15:39:32+0300"},
        [(K.TIMESTAMP_OFFSET_NO_COLON, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "offset without colon, half hour",
        {"timestamp": "2025-04-25T18:09:32+0530"},
        [(K.TIMESTAMP_OFFSET_NO_COLON, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "no offset",
        {"timestamp": "2025-04-25T12:39:32"},
        [(K.TIMESTAMP_NO_OFFSET, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "space for T",
        {"timestamp": "2025-04-25 12:39:32Z"},
        [(K.TIMESTAMP_SPACE, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "space and no offset",
        {"timestamp": "2025-04-25 12:39:32"},
        [(K.TIMESTAMP_SPACE, "timestamp"), (K.TIMESTAMP_NO_OFFSET, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "space, fraction, offset without colon",
        {"timestamp": "2025-04-25 15:39:32.25+0300"},
        [(K.TIMESTAMP_SPACE, "timestamp"), (K.TIMESTAMP_OFFSET_NO_COLON, "timestamp")],
        {"timestamp": AT.replace(microsecond=250000)},
    ),
    (
        "lower-case t and z stay strict",
        {"timestamp": "2025-04-25t12:39:32", "status": "charging"},
        [(K.ENUM_CASE, "status"), (K.TIMESTAMP_NO_OFFSET, "timestamp")],
        {"timestamp": AT},
    ),
    (
        "zero time without offset",
        {"timestamp": "0001-01-01 00:00:00"},
        [(K.TIMESTAMP_ZERO, "timestamp")],
        {"timestamp": None},
    ),
    (
        "zero time with an offset past year 1",
        {"timestamp": "0001-01-01T00:00:00.000+03"},
        [(K.TIMESTAMP_ZERO, "timestamp")],
        {"timestamp": None},
    ),
    (
        "zero time to the microsecond",
        {"timestamp": "0001-01-01T00:00:00.0000009+0100"},
        [(K.TIMESTAMP_ZERO, "timestamp")],
        {"timestamp": None},
    ),
    (
        "the zero instant written in another zone",
        {"timestamp": "0001-01-01 01:00:00+0100"},
        [(K.TIMESTAMP_ZERO, "timestamp")],
        {"timestamp": None},
    ),
    (
        "connectorId as digits",
        {"connectorId": "2"},
        [(K.NUMERIC_STRING, "connectorId")],
        {"connector_id": 2},
    ),
    (
        "connectorId with leading zeros",
        {"connectorId": "007"},
        [(K.NUMERIC_STRING, "connectorId")],
        {"connector_id": 7},
    ),
    (
        "connector 0 as digits",
        {"connectorId": "0", "status": "Available"},
        [(K.NUMERIC_STRING, "connectorId")],
        {"connector_id": 0, "status": ChargePointStatus.AVAILABLE},
    ),
    (
        "status in lower case",
        {"status": "charging"},
        [(K.ENUM_CASE, "status")],
        {"status": ChargePointStatus.CHARGING},
    ),
    (
        "status in upper case",
        {"status": "SUSPENDEDEVSE"},
        [(K.ENUM_CASE, "status")],
        {"status": ChargePointStatus.SUSPENDED_EVSE},
    ),
    (
        "error code in another case",
        {"errorCode": "noerror"},
        [(K.ENUM_CASE, "errorCode")],
        {"error_code": ChargePointErrorCode.NO_ERROR},
    ),
    (
        "unknown error code",
        {"errorCode": "E42_OverTemp"},
        [(K.UNKNOWN_ERROR_CODE, "errorCode")],
        {
            "error_code": ChargePointErrorCode.OTHER_ERROR,
            "vendor_error_code": "E42_OverTemp",
        },
    ),
    (
        "unknown error code of 50 characters",
        {"errorCode": "E" * 50},
        [(K.UNKNOWN_ERROR_CODE, "errorCode")],
        {"error_code": ChargePointErrorCode.OTHER_ERROR, "vendor_error_code": "E" * 50},
    ),
    (
        "unknown error code, vendorErrorCode taken",
        {"errorCode": "E42", "vendorErrorCode": "V7"},
        [(K.UNKNOWN_ERROR_CODE, "errorCode")],
        {"error_code": ChargePointErrorCode.OTHER_ERROR, "vendor_error_code": "V7"},
    ),
    (
        "unknown error code too long for vendorErrorCode",
        {"errorCode": "E" * 51},
        [(K.UNKNOWN_ERROR_CODE, "errorCode")],
        {"error_code": ChargePointErrorCode.OTHER_ERROR, "vendor_error_code": None},
    ),
    (
        "unknown error code, vendorErrorCode null",
        {"errorCode": "E42", "vendorErrorCode": None},
        [(K.NULL_VALUE, "vendorErrorCode"), (K.UNKNOWN_ERROR_CODE, "errorCode")],
        {"error_code": ChargePointErrorCode.OTHER_ERROR, "vendor_error_code": "E42"},
    ),
    (
        "a look-alike error code is unknown",
        {"errorCode": "NoErr\N{GREEK SMALL LETTER OMICRON}r"},
        [(K.UNKNOWN_ERROR_CODE, "errorCode")],
        {
            "error_code": ChargePointErrorCode.OTHER_ERROR,
            "vendor_error_code": "NoErr\N{GREEK SMALL LETTER OMICRON}r",
        },
    ),
    # The Kelvin sign lower-cases to an ASCII k: matching after lower() alone would take it.
    (
        "a Kelvin sign is not a k",
        {"errorCode": "Wea\N{KELVIN SIGN}Signal"},
        [(K.UNKNOWN_ERROR_CODE, "errorCode")],
        {
            "error_code": ChargePointErrorCode.OTHER_ERROR,
            "vendor_error_code": "Wea\N{KELVIN SIGN}Signal",
        },
    ),
    (
        "info too long",
        {"info": "i" * 73},
        [(K.TEXT_TOO_LONG, "info")],
        {"info": "i" * 50},
    ),
    (
        "vendorId too long",
        {"vendorId": "v" * 256},
        [(K.TEXT_TOO_LONG, "vendorId")],
        {"vendor_id": "v" * 255},
    ),
    (
        "vendorErrorCode too long",
        {"vendorErrorCode": "c" * 60},
        [(K.TEXT_TOO_LONG, "vendorErrorCode")],
        {"vendor_error_code": "c" * 50},
    ),
    ("an extra key", {"meterValue": 1234}, [(K.EXTRA_KEY, "meterValue")], {}),
    (
        "two extra keys, each named",
        {"a": [1], "connectorid": 3},
        [(K.EXTRA_KEY, "a"), (K.EXTRA_KEY, "connectorid")],
        {"connector_id": 1},
    ),
    (
        "null timestamp",
        {"timestamp": None},
        [(K.NULL_VALUE, "timestamp")],
        {"timestamp": None},
    ),
    ("null info", {"info": None}, [(K.NULL_VALUE, "info")], {"info": None}),
    (
        "null vendorId",
        {"vendorId": None},
        [(K.NULL_VALUE, "vendorId")],
        {"vendor_id": None},
    ),
    (
        "null vendorErrorCode",
        {"vendorErrorCode": None},
        [(K.NULL_VALUE, "vendorErrorCode")],
        {"vendor_error_code": None},
    ),
]


@pytest.mark.parametrize(
    ("changes", "repairs", "expected"),
    [case[1:] for case in CASES16],
    ids=[case[0] for case in CASES16],
)
def test_each_ocpp16_repair(
    changes: dict[str, object],
    repairs: list[tuple[RepairKind, str]],
    expected: dict[str, Any],
) -> None:
    payload = _changed(VALID16, changes)
    assert _strict_rejects(ConnectorReport.from_ocpp, payload)
    parsed = parse_lenient_ocpp16(payload)
    assert [(repair.kind, repair.field) for repair in parsed.repairs] == repairs
    _check_16(payload, parsed)
    unchanged = ConnectorReport.from_ocpp(VALID16)
    assert parsed.report == attrs.evolve(unchanged, **expected)


def test_the_repair_says_what_was_done_in_words() -> None:
    def actions(changes: dict[str, object]) -> list[str]:
        parsed = parse_lenient_ocpp16(_changed(VALID16, changes))
        return [repair.action for repair in parsed.repairs]

    assert actions({"info": "i" * 73}) == ["cut from 73 to its first 50 characters"]
    assert actions({"connectorId": "007"}) == ["read as the integer 7"]
    assert actions({"status": "charging"}) == ["read as 'Charging'"]
    assert actions({"timestamp": "2025-04-25T15:39:32+03"}) == ["read as +03:00"]
    assert actions({"errorCode": "E42"}) == [
        "replaced by 'OtherError'; the code sent is now vendorErrorCode"
    ]
    assert "kept only in this repair" in actions({"errorCode": "E" * 51})[0]
    assert "at 51 characters" in actions({"errorCode": "E" * 51})[0]
    assert "already holds" in actions({"errorCode": "E", "vendorErrorCode": "V"})[0]
    rule_why = {rule.kind: rule.why for rule in REPAIR_RULES}
    parsed = parse_lenient_ocpp16(_changed(VALID16, {"x": 1, "info": None}))
    assert [repair.why for repair in parsed.repairs] == [
        rule_why[K.EXTRA_KEY],
        rule_why[K.NULL_VALUE],
    ]


def test_the_zero_time_is_strictly_valid_and_still_repaired() -> None:
    payload = _changed(VALID16, {"timestamp": "0001-01-01T00:00:00Z"})
    assert ConnectorReport.from_ocpp(payload).timestamp == ZERO
    parsed = parse_lenient_ocpp16(payload)
    assert parsed.report.timestamp is None
    assert [(r.kind, r.original) for r in parsed.repairs] == [
        (K.TIMESTAMP_ZERO, "0001-01-01T00:00:00Z")
    ]
    # A strictly valid time on the same day, or a second later, is a real time.
    for kept in ("0001-01-01T00:00:01Z", "0001-01-01T00:00:00.000001Z"):
        later = _changed(VALID16, {"timestamp": kept})
        assert parse_lenient_ocpp16(later).repairs == ()
    assert parse_lenient_ocpp16(
        _changed(VALID16, {"timestamp": "0001-01-01T00:00:01"})
    ).report.timestamp == ZERO + timedelta(seconds=1)


@pytest.mark.parametrize(
    "timestamp",
    # -05:00 keeps the UTC instant within year 1, so the strict parser reads it.
    ["0001-01-01T00:00:00-05:00", "0001-01-01T01:00:00+01:00"],
)
def test_other_strictly_valid_zero_times_are_repaired(timestamp: str) -> None:
    payload = _changed(VALID16, {"timestamp": timestamp})
    assert ConnectorReport.from_ocpp(payload).timestamp is not None
    parsed = parse_lenient_ocpp16(payload)
    assert parsed.report.timestamp is None
    assert [repair.kind for repair in parsed.repairs] == [K.TIMESTAMP_ZERO]


# --- every repair, one by one: OCPP 2.0.1 / 2.1 ---------------------------------

CASES2: list[
    tuple[
        str,
        dict[str, object],
        datetime | None,
        list[tuple[RepairKind, str]],
        dict[str, Any],
    ]
] = [
    (
        "offset in hours",
        {"timestamp": "2025-04-25T15:39:32+03"},
        None,
        [(K.TIMESTAMP_OFFSET_HOURS, "timestamp")],
        {},
    ),
    (
        "offset without colon",
        {"timestamp": "2025-04-25T15:39:32+0300"},
        None,
        [(K.TIMESTAMP_OFFSET_NO_COLON, "timestamp")],
        {},
    ),
    (
        "no offset",
        {"timestamp": "2025-04-25T12:39:32"},
        None,
        [(K.TIMESTAMP_NO_OFFSET, "timestamp")],
        {},
    ),
    (
        "space for T",
        {"timestamp": "2025-04-25 12:39:32.000Z"},
        None,
        [(K.TIMESTAMP_SPACE, "timestamp")],
        {},
    ),
    (
        "zero time, time of receipt",
        {"timestamp": "0001-01-01T00:00:00Z"},
        RECEIVED,
        [(K.TIMESTAMP_ZERO, "timestamp"), (K.TIME_OF_RECEIPT, "timestamp")],
        {"timestamp": RECEIVED},
    ),
    (
        "zero time without offset, time of receipt",
        {"timestamp": "0001-01-01 00:00:00"},
        RECEIVED,
        [(K.TIMESTAMP_ZERO, "timestamp"), (K.TIME_OF_RECEIPT, "timestamp")],
        {"timestamp": RECEIVED},
    ),
    (
        "no timestamp, time of receipt",
        {"timestamp": DROP},
        RECEIVED,
        [(K.TIME_OF_RECEIPT, "timestamp")],
        {"timestamp": RECEIVED},
    ),
    (
        "null timestamp, time of receipt",
        {"timestamp": None},
        RECEIVED,
        [(K.NULL_VALUE, "timestamp"), (K.TIME_OF_RECEIPT, "timestamp")],
        {"timestamp": RECEIVED},
    ),
    (
        "evseId as digits",
        {"evseId": "3"},
        None,
        [(K.NUMERIC_STRING, "evseId")],
        {"evse_id": 3},
    ),
    (
        "connectorId as digits",
        {"connectorId": "02"},
        None,
        [(K.NUMERIC_STRING, "connectorId")],
        {"connector_id": 2},
    ),
    (
        "both ids as digits",
        {"evseId": "1", "connectorId": "1"},
        None,
        [(K.NUMERIC_STRING, "evseId"), (K.NUMERIC_STRING, "connectorId")],
        {"connector_id": 1},
    ),
    (
        "status in another case",
        {"connectorStatus": "FAULTED"},
        None,
        [(K.ENUM_CASE, "connectorStatus")],
        {"status": ocpp201.ConnectorState.FAULTED},
    ),
    ("an extra key", {"errorCode": "NoError"}, None, [(K.EXTRA_KEY, "errorCode")], {}),
    ("null customData", {"customData": None}, None, [(K.NULL_VALUE, "customData")], {}),
]


@pytest.mark.parametrize(
    ("changes", "received_at", "repairs", "expected"),
    [case[1:] for case in CASES2],
    ids=[case[0] for case in CASES2],
)
def test_each_ocpp2_repair(
    changes: dict[str, object],
    received_at: datetime | None,
    repairs: list[tuple[RepairKind, str]],
    expected: dict[str, Any],
) -> None:
    payload = _changed(VALID2, changes)
    if changes.get("timestamp") != "0001-01-01T00:00:00Z":
        assert _strict_rejects(ocpp201.ConnectorReport.from_ocpp, payload)
    parsed = parse_lenient_ocpp201(payload, received_at=received_at)
    assert [(repair.kind, repair.field) for repair in parsed.repairs] == repairs
    _check_2(payload, parsed)
    unchanged = ocpp201.ConnectorReport.from_ocpp(VALID2)
    assert parsed.report == attrs.evolve(unchanged, **expected)


def test_the_time_of_receipt_repair_says_which_time() -> None:
    parsed = parse_lenient_ocpp201(
        _changed(VALID2, {"timestamp": DROP}), received_at=RECEIVED
    )
    (repair,) = parsed.repairs
    assert repair.original is None
    assert repair.action == "used the time of receipt, 2026-11-22T10:15:00Z"


def test_received_at_is_not_used_when_the_timestamp_is_readable() -> None:
    payload = _changed(VALID2, {"timestamp": "2025-04-25T12:39:32"})
    parsed = parse_lenient_ocpp201(payload, received_at=RECEIVED)
    assert parsed.report.timestamp == AT
    assert parse_lenient_ocpp201(VALID2, received_at=RECEIVED).report.timestamp == AT


def test_ocpp2_zero_time_needs_the_time_of_receipt() -> None:
    payload = _changed(VALID2, {"timestamp": "0001-01-01T00:00:00Z"})
    assert ocpp201.ConnectorReport.from_ocpp(payload).timestamp == ZERO
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_ocpp201(payload)
    (found,) = caught.value.problems
    assert (found.field, found.value, found.missing) == (
        "timestamp",
        "0001-01-01T00:00:00Z",
        False,
    )
    assert "zero time" in found.expected
    assert "received_at" in found.expected


def test_ocpp2_missing_timestamp_needs_the_time_of_receipt() -> None:
    for changes in ({"timestamp": DROP}, {"timestamp": None}):
        with pytest.raises(InvalidReport) as caught:
            parse_lenient_ocpp201(_changed(VALID2, changes))
        (found,) = caught.value.problems
        assert (found.field, found.missing) == ("timestamp", True)
        assert "received_at" in found.expected


@pytest.mark.parametrize(
    "received_at",
    [
        datetime(2026, 11, 22, 10, 15),  # noqa: DTZ001  (naive on purpose)
        "2026-11-22T10:15:00Z",
        0,
        datetime.min.replace(tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_a_bad_received_at_is_named(received_at: object) -> None:
    # A caller's mistake, not bad data: a TypeError or ValueError naming it.
    with pytest.raises((TypeError, ValueError), match=r"^received_at: got "):
        parse_lenient_ocpp201(VALID2, received_at=cast("datetime", received_at))


# --- what is never repaired ----------------------------------------------------

UNREPAIRABLE16: list[tuple[str, dict[str, object], str]] = [
    ("unknown status", {"status": "Charging!"}, "status"),
    (
        "status with a look-alike letter",
        {"status": "Ch\N{LATIN SMALL LETTER A WITH ACUTE}rging"},
        "status",
    ),
    ("status padded", {"status": " Charging"}, "status"),
    ("status missing", {"status": DROP}, "status"),
    ("status null", {"status": None}, "status"),
    ("status a number", {"status": 3}, "status"),
    ("connectorId missing", {"connectorId": DROP}, "connectorId"),
    ("connectorId null", {"connectorId": None}, "connectorId"),
    ("connectorId negative", {"connectorId": -1}, "connectorId"),
    ("connectorId negative digits", {"connectorId": "-1"}, "connectorId"),
    ("connectorId with plus", {"connectorId": "+1"}, "connectorId"),
    ("connectorId with space", {"connectorId": " 1"}, "connectorId"),
    ("connectorId with fraction", {"connectorId": "1.0"}, "connectorId"),
    ("connectorId a float", {"connectorId": 1.0}, "connectorId"),
    ("connectorId a bool", {"connectorId": True}, "connectorId"),
    (
        "connectorId in other digits",
        {"connectorId": "\N{FULLWIDTH DIGIT ONE}"},
        "connectorId",
    ),
    ("connectorId of 19 digits", {"connectorId": "1" * 19}, "connectorId"),
    ("connectorId empty", {"connectorId": ""}, "connectorId"),
    ("error code blank", {"errorCode": "  "}, "errorCode"),
    ("error code empty", {"errorCode": ""}, "errorCode"),
    ("error code a number", {"errorCode": 42}, "errorCode"),
    ("error code missing", {"errorCode": DROP}, "errorCode"),
    ("error code null", {"errorCode": None}, "errorCode"),
    ("timestamp unreadable", {"timestamp": "yesterday"}, "timestamp"),
    ("timestamp a number", {"timestamp": 1745584772}, "timestamp"),
    (
        "timestamp a day the month lacks",
        {"timestamp": "2025-02-30 10:00:00"},
        "timestamp",
    ),
    (
        "timestamp with a one-digit offset",
        {"timestamp": "2025-04-25T15:39:32+3"},
        "timestamp",
    ),
    (
        "timestamp with a three-digit offset",
        {"timestamp": "2025-04-25T15:39:32+030"},
        "timestamp",
    ),
    ("timestamp without seconds", {"timestamp": "2025-04-25T15:39"}, "timestamp"),
    ("timestamp with a leap second", {"timestamp": "2016-12-31 23:59:60"}, "timestamp"),
    (
        "timestamp before year 1 in UTC",
        {"timestamp": "0001-01-01T00:00:01+0300"},
        "timestamp",
    ),
    (
        "timestamp with a trailing newline",
        {"timestamp": "2025-04-25 12:39:32\n"},
        "timestamp",
    ),
    ("info a number", {"info": 5}, "info"),
    ("vendorId a list", {"vendorId": ["v"]}, "vendorId"),
    ("a key JSON cannot hold", {cast("str", 7): "x"}, "<keys>"),
    (
        "connector 0 charging, in any case",
        {"connectorId": "0", "status": "charging"},
        "status",
    ),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [case[1:] for case in UNREPAIRABLE16],
    ids=[case[0] for case in UNREPAIRABLE16],
)
def test_what_ocpp16_cannot_repair_is_named(
    changes: dict[str, object], field: str
) -> None:
    payload = _changed(VALID16, changes)
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_ocpp16(payload)
    assert [found.field for found in caught.value.problems] == [field]
    (found,) = caught.value.problems
    if field in payload:
        # Problems show the value as sent, even where another field was repaired.
        assert found.value == payload[field]
    else:
        assert found.missing or field == "<keys>"
    assert _strict_rejects(ConnectorReport.from_ocpp, payload)


def test_every_problem_is_named_at_once() -> None:
    payload: dict[object, object] = {
        "connectorId": "-2",
        "errorCode": "",
        "status": "Plugged",
        "timestamp": "soon",
        "info": 7,
        "vendorId": ["x"],
        "vendorErrorCode": None,
        "extra": 1,
        8: 9,
    }
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_ocpp16(payload)
    fields = [found.field for found in caught.value.problems]
    assert fields == [
        "connectorId",
        "status",
        "timestamp",
        "info",
        "vendorId",
        "errorCode",
        "<keys>",
    ]
    message = str(caught.value)
    for shown in (
        "'-2'",
        "'Plugged'",
        "'soon'",
        "in any case",
        "decimal digits",
        "+0300",
    ):
        assert shown in message


UNREPAIRABLE2: list[tuple[str, dict[str, object], str]] = [
    ("evseId 0 as digits", {"evseId": "0"}, "evseId"),
    ("evseId 0", {"evseId": 0}, "evseId"),
    ("evseId negative", {"evseId": -1}, "evseId"),
    ("connectorId a fraction", {"connectorId": 1.5}, "connectorId"),
    ("connectorId a string fraction", {"connectorId": "1.0"}, "connectorId"),
    ("a 1.6 status", {"connectorStatus": "Charging"}, "connectorStatus"),
    ("status missing", {"connectorStatus": DROP}, "connectorStatus"),
    ("timestamp unreadable", {"timestamp": "2025-04-25"}, "timestamp"),
    ("customData without vendorId", {"customData": {"x": 1}}, "customData.vendorId"),
    ("customData not an object", {"customData": "x"}, "customData"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [case[1:] for case in UNREPAIRABLE2],
    ids=[case[0] for case in UNREPAIRABLE2],
)
def test_what_ocpp2_cannot_repair_is_named(
    changes: dict[str, object], field: str
) -> None:
    payload = _changed(VALID2, changes)
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_ocpp201(payload, received_at=RECEIVED)
    assert [found.field for found in caught.value.problems] == [field]


def test_the_strict_parsers_problems_on_other_fields_are_kept() -> None:
    # connectorStatus is repaired, then customData fails in the strict parse.
    payload = _changed(
        VALID2,
        {"connectorStatus": "occupied", "evseId": "1", "customData": {"vendorId": 5}},
    )
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_ocpp201(payload)
    assert [(p.field, p.value) for p in caught.value.problems] == [
        ("customData.vendorId", 5)
    ]


@pytest.mark.parametrize("payload", [None, [], "{}", 1, ("connectorId", 1)])
def test_a_payload_that_is_not_an_object_gets_the_strict_error(payload: object) -> None:
    for parse in (parse_lenient_ocpp16, parse_lenient_ocpp201):
        with pytest.raises(InvalidReport) as caught:
            parse(payload)
        assert [found.field for found in caught.value.problems] == ["<payload>"]


# --- properties ----------------------------------------------------------------

PROPERTY = settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


R = TypeVar("R")


def _strict_or_none(parse: Callable[[object], R], payload: object) -> R | None:
    try:
        return parse(payload)
    except InvalidReport:
        return None


def _zero(moment: datetime | None) -> bool:
    return moment is not None and moment.replace(tzinfo=UTC) == ZERO


@PROPERTY
@given(from_schema(SCHEMA16) | connector_reports().map(ConnectorReport.to_ocpp))
def test_a_strictly_valid_ocpp16_payload_comes_back_as_is(
    payload: dict[str, Any],
) -> None:
    strict = _strict_or_none(ConnectorReport.from_ocpp, payload)
    assume(strict is not None and not _zero(strict.timestamp))
    assert strict is not None
    parsed = parse_lenient_ocpp16(payload)
    assert parsed == Parsed(report=strict, repairs=())


@PROPERTY
@given(
    VALID_PAYLOADS2,
    st.none() | st.just(RECEIVED),
)
def test_a_strictly_valid_ocpp2_payload_comes_back_as_is(
    payload: dict[str, Any], received_at: datetime | None
) -> None:
    strict = _strict_or_none(ocpp201.ConnectorReport.from_ocpp, payload)
    assume(strict is not None and not _zero(strict.timestamp))
    assert strict is not None
    parsed = parse_lenient_ocpp201(payload, received_at=received_at)
    assert parsed == Parsed(report=strict, repairs=())


KEYS16 = st.sampled_from([*sorted(KNOWN16), "extra"])
KEYS2 = st.sampled_from([*sorted(KNOWN2), "extra"])
NEAR_VALUES = (
    st.sampled_from(
        [
            "1",
            "007",
            "-1",
            "charging",
            "OCCUPIED",
            "E42",
            "2025-04-25 15:39:32+03",
            "0001-01-01T00:00:00Z",
            "x" * 60,
            "x" * 300,
        ]
    )
    | json_values
)


def _payloads(
    keys: st.SearchStrategy[str], valid: dict[str, object]
) -> st.SearchStrategy[object]:
    """Anything JSON can be, and valid payloads with members changed or added."""
    one_changed = st.tuples(keys, NEAR_VALUES).map(
        lambda change: {**valid, change[0]: change[1]}
    )
    changed = st.dictionaries(keys, NEAR_VALUES, max_size=4).map(
        lambda changes: {**valid, **changes}
    )
    return (
        one_changed
        | changed
        | st.dictionaries(keys, NEAR_VALUES, max_size=8)
        | json_values
    )


@PROPERTY
@given(_payloads(KEYS16, VALID16))
def test_ocpp16_raises_nothing_but_invalid_report(payload: object) -> None:
    try:
        parsed = parse_lenient_ocpp16(payload)
    except InvalidReport as error:
        assert error.problems
        assert _strict_rejects(ConnectorReport.from_ocpp, payload)
        return
    _check_16(cast("dict[str, object]", payload), parsed)
    if not _strict_rejects(ConnectorReport.from_ocpp, payload) and not _zero(
        ConnectorReport.from_ocpp(payload).timestamp
    ):
        assert parsed.repairs == ()


@PROPERTY
@given(_payloads(KEYS2, VALID2), st.none() | st.just(RECEIVED))
def test_ocpp2_raises_nothing_but_invalid_report(
    payload: object, received_at: datetime | None
) -> None:
    try:
        parsed = parse_lenient_ocpp201(payload, received_at=received_at)
    except InvalidReport as error:
        assert error.problems
        if received_at is not None:
            assert _strict_rejects(ocpp201.ConnectorReport.from_ocpp, payload)
        return
    _check_2(cast("dict[str, object]", payload), parsed)


def test_the_property_inputs_reach_both_outcomes_and_repairs() -> None:
    """Guard against properties that pass because every input fails, or none is repaired."""
    seen: set[str] = set()

    @settings(max_examples=400, derandomize=True, database=None, deadline=None)
    @given(_payloads(KEYS16, VALID16))
    def collect(payload: object) -> None:
        try:
            parsed = parse_lenient_ocpp16(payload)
        except InvalidReport:
            seen.add("rejected")
        else:
            seen.add("accepted")
            seen.update(repair.kind for repair in parsed.repairs)

    collect()
    assert {"rejected", "accepted", K.EXTRA_KEY, K.NUMERIC_STRING, K.ENUM_CASE} <= seen


# --- one deviation on a valid report ----------------------------------------------

whole_hour_offsets = st.integers(-23, 23).map(
    lambda hours: timezone(timedelta(hours=hours))
)


def _offset_text(moment: datetime, *, colon: bool) -> str:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02}:{rest:02}" if colon else f"{sign}{hours:02}{rest:02}"


def _clock(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat()


@st.composite
def deviant_timestamps(draw: st.DrawFn) -> tuple[datetime, str, list[RepairKind]]:
    """A moment, a text for it with one or two deviations, and the repairs expected."""
    style = draw(st.sampled_from(["hours", "no colon", "none", "space"]))
    if style == "hours":
        moment = draw(
            st.datetimes(
                min_value=datetime(2, 1, 1),  # noqa: DTZ001  (hypothesis wants naive bounds)
                max_value=datetime(9998, 12, 31),  # noqa: DTZ001
                timezones=whole_hour_offsets,
            )
        )
        offset = _offset_text(moment, colon=True)[:3]
        return moment, f"{_clock(moment)}{offset}", [K.TIMESTAMP_OFFSET_HOURS]
    moment = draw(aware_datetimes())
    if style == "no colon":
        return (
            moment,
            f"{_clock(moment)}{_offset_text(moment, colon=False)}",
            [K.TIMESTAMP_OFFSET_NO_COLON],
        )
    if style == "none":
        utc = moment.astimezone(UTC)
        return moment, _clock(utc), [K.TIMESTAMP_NO_OFFSET]
    text = f"{_clock(moment)}{_offset_text(moment, colon=True)}".replace("T", " ")
    return moment, text, [K.TIMESTAMP_SPACE]


def _case_variant(value: str) -> st.SearchStrategy[str]:
    return (
        st.lists(st.booleans(), min_size=len(value), max_size=len(value))
        .map(
            lambda upper: "".join(
                c.upper() if u else c.lower() for c, u in zip(value, upper, strict=True)
            )
        )
        .filter(lambda variant: variant != value)
    )


@PROPERTY
@given(
    connector_reports(
        # Ids a numeric string can carry: at most 18 digits.
        connector_ids=st.integers(min_value=0, max_value=10**18 - 1),
        timestamps=aware_datetimes(),
    ),
    st.data(),
)
def test_one_deviation_on_a_valid_ocpp16_report(
    report: ConnectorReport, data: st.DataObject
) -> None:
    payload: dict[str, object] = dict(report.to_ocpp())
    expected = report
    deviation = data.draw(
        st.sampled_from(
            [
                "timestamp",
                "connectorId",
                "status",
                "errorCode",
                "extra",
                "null",
                "info",
                "code",
            ]
        )
    )
    if deviation == "timestamp":
        moment, text, kinds = data.draw(deviant_timestamps())
        payload["timestamp"] = text
        expected = attrs.evolve(report, timestamp=moment)
    elif deviation == "connectorId":
        payload["connectorId"] = (
            f"{report.connector_id:0{data.draw(st.integers(1, 4))}}"
        )
        kinds = [K.NUMERIC_STRING]
    elif deviation in {"status", "errorCode"}:
        payload[deviation] = data.draw(_case_variant(cast("str", payload[deviation])))
        kinds = [K.ENUM_CASE]
    elif deviation == "extra":
        key = data.draw(st.text(max_size=12).filter(lambda key: key not in KNOWN16))
        payload[key] = data.draw(json_values)
        kinds = [K.EXTRA_KEY]
    elif deviation == "null":
        absent = sorted(
            {"timestamp", "info", "vendorId", "vendorErrorCode"} - set(payload)
        )
        assume(absent)
        payload[data.draw(st.sampled_from(absent))] = None
        kinds = [K.NULL_VALUE]
    elif deviation == "info":
        text = data.draw(st.text(min_size=51, max_size=120))
        payload["info"] = text
        expected = attrs.evolve(report, info=text[:50])
        kinds = [K.TEXT_TOO_LONG]
    else:
        code = data.draw(
            st.text(min_size=1, max_size=60).filter(
                lambda c: (
                    c.strip()
                    and not (
                        c.isascii()
                        and c.lower() in {m.value.lower() for m in ChargePointErrorCode}
                    )
                )
            )
        )
        payload["errorCode"] = code
        fits = len(code) <= 50 and report.vendor_error_code is None
        expected = attrs.evolve(
            report,
            error_code=ChargePointErrorCode.OTHER_ERROR,
            vendor_error_code=code if fits else report.vendor_error_code,
        )
        kinds = [K.UNKNOWN_ERROR_CODE]
    assert _strict_rejects(ConnectorReport.from_ocpp, payload)
    parsed = parse_lenient_ocpp16(payload)
    assert parsed.report == expected
    assert [repair.kind for repair in parsed.repairs] == kinds
    _check_16(payload, parsed)


@PROPERTY
@given(
    VALID_PAYLOADS2,
    st.data(),
)
def test_one_deviation_on_a_valid_ocpp2_payload(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    report = _strict_or_none(ocpp201.ConnectorReport.from_ocpp, payload)
    assume(report is not None and not _zero(report.timestamp))
    assert report is not None
    payload = dict(payload)
    expected = report
    deviation = data.draw(
        st.sampled_from(
            [
                "timestamp",
                "evseId",
                "connectorId",
                "connectorStatus",
                "extra",
                "receipt",
            ]
        )
    )
    if deviation == "timestamp":
        moment, text, kinds = data.draw(deviant_timestamps())
        payload["timestamp"] = text
        expected = attrs.evolve(report, timestamp=moment)
    elif deviation in {"evseId", "connectorId"}:
        number = data.draw(st.integers(1, 10**6))
        payload[deviation] = str(number)
        if deviation == "evseId":
            expected = attrs.evolve(report, evse_id=number)
        else:
            expected = attrs.evolve(report, connector_id=number)
        kinds = [K.NUMERIC_STRING]
    elif deviation == "connectorStatus":
        payload[deviation] = data.draw(_case_variant(report.status.value))
        kinds = [K.ENUM_CASE]
    elif deviation == "extra":
        key = data.draw(st.text(max_size=12).filter(lambda key: key not in KNOWN2))
        payload[key] = data.draw(json_values)
        kinds = [K.EXTRA_KEY]
    else:
        del payload["timestamp"]
        expected = attrs.evolve(report, timestamp=RECEIVED)
        kinds = [K.TIME_OF_RECEIPT]
    assert _strict_rejects(ocpp201.ConnectorReport.from_ocpp, payload)
    parsed = parse_lenient_ocpp201(payload, received_at=RECEIVED)
    assert parsed.report == expected
    assert [repair.kind for repair in parsed.repairs] == kinds
    _check_2(payload, parsed)


# --- the Repair value and the rules table ---------------------------------------

finite_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
repairs = st.builds(
    Repair,
    kind=st.sampled_from(RepairKind),
    field=st.text(),
    original=finite_json,
    action=st.text(),
    why=st.text(),
)


@given(repairs)
def test_a_repair_survives_pickle_and_deepcopy(repair: Repair) -> None:
    assert pickle.loads(pickle.dumps(repair)) == repair
    assert copy.deepcopy(repair) == repair
    assert copy.copy(repair) == repair


def test_a_parse_result_survives_pickle_and_deepcopy() -> None:
    parsed = parse_lenient_ocpp16(
        _changed(VALID16, {"errorCode": "E42", "x": {"a": [1]}, "status": "charging"})
    )
    assert len(parsed.repairs) == 3
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    assert copy.deepcopy(parsed) == parsed


def test_a_repair_is_immutable_hashable_and_keyword_only() -> None:
    repair = Repair(
        kind=K.EXTRA_KEY, field="x", original={"a": [1]}, action="dropped", why="w"
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        repair.field = "y"  # type: ignore[misc]
    assert hash(repair) == hash(attrs.evolve(repair, original=[2]))
    assert not hasattr(repair, "__dict__")
    with pytest.raises(TypeError):
        Repair(K.EXTRA_KEY, "x", 1, "a", "w")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    assert "original=<dict of 1>" in repr(repair)


@pytest.mark.parametrize("field", ["kind", "field", "action", "why"])
def test_a_repair_checks_its_fields(field: str) -> None:
    given_fields: dict[str, Any] = {
        "kind": K.EXTRA_KEY,
        "field": "x",
        "original": 1,
        "action": "a",
        "why": "w",
    }
    given_fields[field] = 3
    with pytest.raises(InvalidReport, match="invalid repair") as caught:
        Repair(**given_fields)
    assert [found.field for found in caught.value.problems] == [field]


def test_every_kind_has_a_description_and_exactly_one_rule() -> None:
    assert [rule.kind for rule in REPAIR_RULES] == list(RepairKind)
    for kind in RepairKind:
        assert kind.description.endswith(".")
        assert "\n" not in kind.description
    for rule in REPAIR_RULES:
        assert rule.ocpp16 or rule.ocpp2
        assert set(rule.ocpp16) <= KNOWN16 | {ANY_OTHER_KEY}
        assert set(rule.ocpp2) <= KNOWN2 | {ANY_OTHER_KEY}
        assert rule.action.endswith(".")
        assert rule.why.endswith(".")


def test_no_two_ocpp_values_differ_in_case_alone() -> None:
    for enum in (ChargePointStatus, ChargePointErrorCode, ocpp201.ConnectorState):
        folded = [member.value.lower() for member in enum]
        assert len(set(folded)) == len(folded)
        assert all(member.value.isascii() for member in enum)


def test_the_text_limits_are_the_schemas() -> None:
    for key, attribute in (
        ("info", "info"),
        ("vendorId", "vendor_id"),
        ("vendorErrorCode", "vendor_error_code"),
    ):
        limit = SCHEMA16["properties"][key]["maxLength"]
        at_limit = parse_lenient_ocpp16(_changed(VALID16, {key: "x" * limit}))
        assert at_limit.repairs == ()
        over = parse_lenient_ocpp16(_changed(VALID16, {key: "x" * (limit + 1)}))
        assert getattr(over.report, attribute) == "x" * limit
        assert [repair.kind for repair in over.repairs] == [K.TEXT_TOO_LONG]


def test_repairs_count_by_kind_over_a_log() -> None:
    # What a replay does with them: one call per payload, a count per kind.
    log: list[object] = [
        VALID16,
        _changed(VALID16, {"connectorId": "1", "status": "charging"}),
        _changed(VALID16, {"status": "CHARGING", "x": 1}),
        {"connectorId": 1},
    ]
    counts: Counter[RepairKind] = Counter()
    rejected = 0
    for payload in log:
        try:
            counts.update(
                repair.kind for repair in parse_lenient_ocpp16(payload).repairs
            )
        except InvalidReport:
            rejected += 1
    assert counts == {K.ENUM_CASE: 2, K.NUMERIC_STRING: 1, K.EXTRA_KEY: 1}
    assert rejected == 1


# --- the docs page ----------------------------------------------------------------

PAGE = Path(__file__).parent.parent / "docs" / "real-chargers.md"


def test_the_docs_page_prints_the_rules_and_the_kinds() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert "<!-- evstatus: lenient-repairs -->" in page
    assert "<!-- evstatus: members RepairKind -->" in page
    _title, table = TABLES["lenient-repairs"]
    rows = table().splitlines()[2:]
    assert len(rows) == len(REPAIR_RULES)
    for rule, row in zip(REPAIR_RULES, rows, strict=True):
        assert row.startswith(f"| `{rule.kind}` |")
        assert row.endswith(f" | {rule.action} | {rule.why} |")
    assert "| `extra_key` | any other key | any other key |" in rows[0]
    assert "| `time_of_receipt` | · | `timestamp` |" in rows[-1]
    assert len(members_table(RepairKind).splitlines()) == 2 + len(RepairKind)


def test_the_docs_page_shows_every_kind_in_an_example() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for kind in RepairKind:
        assert f"'{kind}'" in page or f"{kind}:" in page, kind
