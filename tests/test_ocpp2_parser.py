"""ocpp201.ConnectorReport.from_ocpp, tested differentially against the official schemas.

The oracle is independent of our code: ``jsonschema.Draft6Validator`` on the
schema shipped in the ``ocpp`` package, plus the rules the OCPP text adds
(evseId >= 1, connectorId >= 1, a real RFC 3339 date-time), checked with
``rfc3339_validator`` the way our 1.6 parser's tests check timestamps.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from typing import Any, cast

import hypothesis_jsonschema
import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evstatus import InvalidReport, ocpp201
from evstatus.testing.strategies import ocpp2_status_notification_payloads

from .examples import examples
from .rfc3339 import is_ocpp2_timestamp
from .strategies import loosened

VERSIONS = ("v201", "v21")

# Typed handles on the untyped (or loosely typed) tools.
from_schema = cast(
    "Callable[[Any], st.SearchStrategy[Any]]",
    hypothesis_jsonschema.from_schema,  # pyright: ignore[reportUnknownMemberType]
)


def _schema(version: str) -> dict[str, Any]:
    text = (
        files("ocpp")
        .joinpath(f"{version}/schemas/StatusNotificationRequest.json")
        .read_text(encoding="utf-8")
    )
    return cast("dict[str, Any]", json.loads(text))


_LOOSENED_AWAY = {"required", "additionalProperties", "enum", "type", "maxLength"}


SCHEMAS = {version: _schema(version) for version in VERSIONS}
VALIDATORS: dict[str, Any] = {
    version: jsonschema.Draft6Validator(schema) for version, schema in SCHEMAS.items()
}


def test_the_schemas_are_draft_06_and_agree_on_the_enum() -> None:
    for schema in SCHEMAS.values():
        assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
        enum = schema["definitions"]["ConnectorStatusEnumType"]["enum"]
        assert enum == [member.value for member in ocpp201.ConnectorState]
        assert sorted(schema["required"]) == sorted(
            ["timestamp", "connectorStatus", "evseId", "connectorId"]
        )


def oracle(version: str, payload: object) -> bool:
    """What the schema and the OCPP text accept, computed without evstatus."""
    if not VALIDATORS[version].is_valid(payload):
        return False
    fields = cast("dict[str, Any]", payload)
    return (
        is_ocpp2_timestamp(fields["timestamp"])
        and fields["evseId"] >= 1
        and fields["connectorId"] >= 1
    )


def _accepts(payload: object) -> bool:
    try:
        ocpp201.ConnectorReport.from_ocpp(payload)
    except InvalidReport:
        return False
    return True


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["Available", "Occupied", "2026-11-22T10:15:00Z", 1.0, 0, -1])
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    ["timestamp", "connectorStatus", "evseId", "connectorId", "customData", "other"]
)


# Each version's strategies are built once, not again for every example.
VALID_PAYLOADS = {version: from_schema(SCHEMAS[version]) for version in VERSIONS}


@st.composite
def _mutated(draw: st.DrawFn, version: str) -> object:
    """A valid payload with one member replaced, removed or added."""
    payload: dict[str, object] = dict(draw(VALID_PAYLOADS[version]))
    key = draw(KEYS)
    if draw(st.booleans()):
        payload.pop(key, None)
    else:
        payload[key] = draw(JSON)
    return payload


def _payloads(version: str) -> st.SearchStrategy[object]:
    return st.one_of(
        VALID_PAYLOADS[version],
        # Valid too, with the offsets and customData the schema alone rarely gives.
        ocpp2_status_notification_payloads(),
        from_schema(loosened(SCHEMAS[version], _LOOSENED_AWAY)),
        _mutated(version),
    )


#: Valid payloads, loosened ones, and valid ones with one member changed.
PAYLOADS = {version: _payloads(version) for version in VERSIONS}


DIFFERENTIAL = settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("version", VERSIONS)
@DIFFERENTIAL
@given(data=st.data())
def test_accepts_exactly_what_schema_and_text_accept(
    version: str, data: st.DataObject
) -> None:
    payload = data.draw(PAYLOADS[version])
    assert _accepts(payload) == oracle(version, payload)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_differential_sees_both_answers(version: str) -> None:
    # Guards against a differential test that passes because every payload
    # is valid, or every one is invalid, or the text rules never bite.
    seen: set[tuple[bool, bool]] = set()

    @settings(
        max_examples=300,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(PAYLOADS[version])
    def collect(payload: object) -> None:
        seen.add((VALIDATORS[version].is_valid(payload), oracle(version, payload)))

    collect()
    assert seen == {(True, True), (True, False), (False, False)}


@given(JSON)
def test_raises_only_invalid_report_for_any_json(payload: object) -> None:
    try:
        ocpp201.ConnectorReport.from_ocpp(payload)
    except InvalidReport as error:
        caught: InvalidReport | None = error
    else:
        caught = None
    if caught is not None:
        assert caught.problems
        assert len(str(caught)) < 2000


@settings(DIFFERENTIAL, max_examples=examples(100))
@given(VALID_PAYLOADS["v201"])
def test_round_trip(payload: dict[str, Any]) -> None:
    assume(oracle("v201", payload))
    report = ocpp201.ConnectorReport.from_ocpp(payload)
    again = report.to_ocpp()
    assert ocpp201.ConnectorReport.from_ocpp(again) == report
    assert VALIDATORS["v201"].is_valid(again)
    assert again["timestamp"].endswith("Z")
    assert report.timestamp == datetime.fromisoformat(payload["timestamp"].upper())


VALID: dict[str, object] = {
    "timestamp": "2026-11-22T10:15:00Z",
    "connectorStatus": "Occupied",
    "evseId": 2,
    "connectorId": 1,
}


def _problems(payload: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidReport) as caught:
        ocpp201.ConnectorReport.from_ocpp(payload)
    return [(p.field, str(p)) for p in caught.value.problems]


def test_valid_payload_fields() -> None:
    report = ocpp201.ConnectorReport.from_ocpp(VALID)
    assert report.evse_id == 2
    assert report.connector_id == 1
    assert report.connector == (2, 1)
    assert report.status is ocpp201.ConnectorState.OCCUPIED
    assert report.timestamp == datetime(2026, 11, 22, 10, 15, tzinfo=UTC)
    assert report.custom_data is None
    assert report.to_ocpp() == VALID


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("evseId", 0),
        ("evseId", -1),
        ("evseId", True),
        ("evseId", 1.5),
        ("evseId", math.nan),
        ("evseId", math.inf),
        ("evseId", "1"),
        ("connectorId", 0),
        ("connectorId", None),
        ("connectorStatus", "occupied"),
        ("connectorStatus", "Charging"),
        ("connectorStatus", 1),
        ("timestamp", "2026-11-22T10:15:00"),
        ("timestamp", "2026-11-22 10:15:00Z"),
        ("timestamp", "2026-11-22T10:15:00Z\n"),
        ("timestamp", "2026-02-30T10:15:00Z"),
        ("timestamp", "2026-11-22T10:15:60Z"),
        ("timestamp", "0001-01-01T00:00:00+01:00"),
        ("timestamp", None),
        ("customData", None),
        ("customData", []),
        ("customData", {}),
        ("customData", {"vendorId": 5}),
        ("customData", {"vendorId": "x" * 256}),
        ("customData", {"vendorId": "x", 1: 2}),
    ],
)
def test_each_bad_value_is_named(key: str, value: object) -> None:
    payload = {**VALID, key: value}
    problems = _problems(payload)
    assert len(problems) == 1
    field, message = problems[0]
    assert field.startswith(key)
    assert "expected" in message
    # The non-JSON case (a non-string key) is the one place we are stricter
    # than the schema; every other case the schema or the OCPP text rejects.
    if not (key == "customData" and isinstance(value, dict) and 1 in value):
        assert not oracle("v201", payload)


def test_every_problem_is_listed() -> None:
    payload = {"evseId": 0, "connectorStatus": "x", "extra": 1, "more": 2}
    fields = [field for field, _ in _problems(payload)]
    assert fields == ["<keys>", "timestamp", "connectorStatus", "evseId", "connectorId"]


def test_missing_keys_say_missing() -> None:
    problems = _problems({})
    assert [field for field, _ in problems] == [
        "timestamp",
        "connectorStatus",
        "evseId",
        "connectorId",
    ]
    assert all("missing" in message for _, message in problems)


def test_many_unknown_keys_are_counted() -> None:
    payload = {**VALID, **{f"k{i}": i for i in range(9)}}
    ((field, message),) = _problems(payload)
    assert field == "<keys>"
    assert "(9 in all)" in message


JUNK: list[object] = [None, [], "text", 1, 1.5, True, (VALID,), {"a": {"b": [{}]}}]


@pytest.mark.parametrize("payload", JUNK)
def test_non_objects_and_junk(payload: object) -> None:
    assert _problems(payload)


def test_huge_values_give_short_messages() -> None:
    payload = {
        "timestamp": "9" * 1_000_000,
        "connectorStatus": "x" * 1_000_000,
        "evseId": -(10**5000),
        "connectorId": math.nan,
        "customData": {"vendorId": "v" * 1_000_000},
        "y" * 1_000_000: 1,
    }
    with pytest.raises(InvalidReport) as caught:
        ocpp201.ConnectorReport.from_ocpp(payload)
    assert len(caught.value.problems) == 6
    assert len(str(caught.value)) < 1500


def test_integral_floats_are_integers_as_in_draft_06() -> None:
    report = ocpp201.ConnectorReport.from_ocpp(
        {**VALID, "evseId": 3.0, "connectorId": 1e3}
    )
    assert (report.evse_id, report.connector_id) == (3, 1000)
    assert type(report.evse_id) is int
    assert type(report.connector_id) is int
    assert VALIDATORS["v201"].is_valid({**VALID, "evseId": 3.0})


def test_custom_data_is_kept_read_only_and_round_trips() -> None:
    custom = {"vendorId": "acme", "nested": {"a": [1, 2]}}
    report = ocpp201.ConnectorReport.from_ocpp({**VALID, "customData": custom})
    custom["vendorId"] = "changed"
    assert report.custom_data is not None
    assert report.custom_data["vendorId"] == "acme"
    with pytest.raises(TypeError):
        report.custom_data["vendorId"] = "x"  # type: ignore[index]
    assert report.to_ocpp().get("customData") == {
        "vendorId": "acme",
        "nested": {"a": [1, 2]},
    }
    assert ocpp201.ConnectorReport.from_ocpp(report.to_ocpp()) == report
    assert "acme" in repr(report)
    assert hash(report) == hash(ocpp201.ConnectorReport.from_ocpp(report.to_ocpp()))


def test_str_subclasses_and_dict_subclasses_are_read_by_value() -> None:
    class Text(str):
        __slots__ = ()

    class Payload(dict[str, object]):
        pass

    report = ocpp201.ConnectorReport.from_ocpp(
        Payload({**VALID, "connectorStatus": Text("Faulted")})
    )
    assert report.status is ocpp201.ConnectorState.FAULTED
    assert ocpp201.ConnectorReport.from_ocpp(
        {**VALID, "timestamp": Text("2026-11-22T10:15:00z")}
    ).timestamp == datetime(2026, 11, 22, 10, 15, tzinfo=UTC)


# Construction checks: the same rules hold for reports built in code.

MOMENT = datetime(2026, 11, 22, 10, 15, tzinfo=UTC)


def _build(**overrides: object) -> ocpp201.ConnectorReport:
    fields: dict[str, object] = {
        "evse_id": 1,
        "connector_id": 1,
        "status": ocpp201.ConnectorState.AVAILABLE,
        "timestamp": MOMENT,
    }
    fields.update(overrides)
    return ocpp201.ConnectorReport(**fields)  # type: ignore[arg-type]


def test_construction_accepts_any_mapping_for_custom_data() -> None:
    report = _build(custom_data={"vendorId": "acme"})
    assert report.custom_data == {"vendorId": "acme"}
    west = _build(timestamp=datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-3))))
    assert west.to_ocpp()["timestamp"] == "2026-01-01T03:00:00Z"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("evse_id", 0),
        ("evse_id", True),
        ("evse_id", 1.0),
        ("connector_id", -5),
        ("status", "Available"),
        ("timestamp", None),
        ("timestamp", datetime(2026, 1, 1)),  # noqa: DTZ001  (naive on purpose)
        ("timestamp", "2026-11-22T10:15:00Z"),
        ("timestamp", datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))),
        ("custom_data", {"vendor": "acme"}),
        ("custom_data", "acme"),
    ],
)
def test_construction_rejects(field: str, value: object) -> None:
    with pytest.raises(InvalidReport) as caught:
        _build(**{field: value})
    assert [problem.field for problem in caught.value.problems] == [
        field
        + (".vendorId" if field == "custom_data" and isinstance(value, dict) else "")
    ]


def test_reports_are_frozen() -> None:
    report = _build()
    with pytest.raises(AttributeError):
        report.evse_id = 2  # type: ignore[misc]


def test_fast_and_thorough_paths_agree_on_a_copy() -> None:
    # A dict subclass always takes the thorough path; a plain dict the fast one.
    class Payload(dict[str, object]):
        pass

    assert ocpp201.ConnectorReport.from_ocpp(Payload(VALID)) == (
        ocpp201.ConnectorReport.from_ocpp(copy.deepcopy(VALID))
    )
