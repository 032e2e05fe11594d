"""from_ocpp against the official OCPP 1.6 schema, shipped in the ocpp package.

The parser must accept exactly what jsonschema's Draft4Validator accepts on the
official StatusNotification schema *and* the rules the OCPP text adds to
it: connectorId >= 0, connector 0's three states, and a real RFC 3339
timestamp (within the years datetime can hold in UTC).
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evstatus import CONNECTOR_ZERO_STATUSES, ConnectorReport, InvalidReport
from evstatus.testing.strategies import (
    DeviantPayload,
    deviant_payloads,
    status_notification_payloads,
)

from .examples import examples
from .rfc3339 import is_acceptable_timestamp

jsonschema = pytest.importorskip("jsonschema")
hypothesis_jsonschema = pytest.importorskip("hypothesis_jsonschema")

SCHEMA: dict[str, Any] = json.loads(
    resources.files("ocpp").joinpath("v16/schemas/StatusNotification.json").read_text()
)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)

_NEAR_DATE_TIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2})?"
    r"(\.[0-9]*)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?\n?$"
)


def _loosened(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy that also admits what the official schema rejects."""
    loose = copy.deepcopy(schema)
    loose.pop("required")
    loose["additionalProperties"] = {"type": "integer"}
    loose["propertyNames"] = {"enum": [*schema["properties"], "extra", "connectorid"]}
    properties = loose["properties"]
    properties["connectorId"] = {
        "anyOf": [
            {"type": "integer"},
            {"type": ["number", "string", "boolean", "null"]},
        ]
    }
    for key in ("errorCode", "status"):
        properties[key] = {
            "anyOf": [
                properties[key],
                {"enum": [v.lower() for v in properties[key]["enum"]]},
                {"type": ["string", "integer", "null"]},
            ]
        }
    properties["timestamp"] = {
        "anyOf": [
            properties["timestamp"],
            {"type": "string", "pattern": _NEAR_DATE_TIME},
            {"type": ["string", "integer", "null"]},
        ]
    }
    for key in ("info", "vendorId", "vendorErrorCode"):
        limit = properties[key]["maxLength"]
        properties[key] = {
            "anyOf": [
                {"type": "string", "minLength": limit - 2, "maxLength": limit + 2},
                {"type": ["string", "integer", "null"]},
            ]
        }
    return loose


def ocpp_accepts(payload: dict[str, Any]) -> bool:
    """The oracle: the official schema, then the rules the OCPP text adds."""
    if not VALIDATOR.is_valid(payload):
        return False
    if payload["connectorId"] < 0:
        return False
    if payload["connectorId"] == 0 and payload["status"] not in CONNECTOR_ZERO_STATUSES:
        return False
    timestamp = payload.get("timestamp")
    return timestamp is None or is_acceptable_timestamp(timestamp)


def _check(payload: dict[str, Any]) -> None:
    try:
        report = ConnectorReport.from_ocpp(payload)
    except InvalidReport as error:
        assert not ocpp_accepts(payload), error
    else:
        assert ocpp_accepts(payload)
        assert VALIDATOR.is_valid(report.to_ocpp())
        assert ConnectorReport.from_ocpp(report.to_ocpp()) == report


_SETTINGS = settings(
    max_examples=examples(300),
    suppress_health_check=[HealthCheck.too_slow],
    deadline=None,
)


@_SETTINGS
@given(hypothesis_jsonschema.from_schema(SCHEMA))
def test_payloads_from_the_official_schema(payload: dict[str, Any]) -> None:
    _check(payload)


@_SETTINGS
@given(hypothesis_jsonschema.from_schema(_loosened(SCHEMA)))
def test_payloads_from_a_loosened_schema(payload: dict[str, Any]) -> None:
    _check(payload)


@given(status_notification_payloads())
def test_generated_valid_payloads(payload: dict[str, Any]) -> None:
    assert ocpp_accepts(payload)
    _check(payload)


@given(deviant_payloads())
def test_real_world_deviations(deviant: DeviantPayload) -> None:
    assert ocpp_accepts(deviant.payload) is deviant.deviation.valid_ocpp
    _check(deviant.payload)


@given(st.sampled_from(sorted(SCHEMA["properties"]["status"]["enum"])))
def test_both_sides_know_the_same_statuses(status: str) -> None:
    _check({"connectorId": 1, "errorCode": "NoError", "status": status})


def test_the_loosened_schema_really_produces_rejects() -> None:
    """Guard against a differential test that sees only one kind of payload."""
    seen = {"accepted": 0, "rejected": 0}

    @settings(max_examples=200, deadline=None, database=None)
    @given(
        hypothesis_jsonschema.from_schema(SCHEMA)
        | hypothesis_jsonschema.from_schema(_loosened(SCHEMA))
    )
    def count(payload: dict[str, Any]) -> None:
        seen["accepted" if ocpp_accepts(payload) else "rejected"] += 1

    count()
    assert seen["accepted"] > 0
    assert seen["rejected"] > 0
