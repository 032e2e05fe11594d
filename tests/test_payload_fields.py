"""Each protocol's payload fields, written once and read by every reader.

The strict parsers keep a table of their payload's fields (``FIELDS``); the
lenient reader and the test strategies derive theirs from it. These tests hold
each table to the official schemas and the payload types, and show that the
lenient reader knows a field the moment a strict table has it.
"""
# pyright: reportPrivateUsage=false

from __future__ import annotations

import ast
import json
from importlib.resources import files
from pathlib import Path
from typing import Any, NotRequired, cast, get_origin, get_type_hints

import attrs
import pytest

from evstatus import _lenient, _ocpp2, _ocpp16
from evstatus._lenient import RepairKind
from evstatus._payload import FieldKind, PayloadField
from evstatus.testing import strategies

PROTOCOLS = {
    "v16": (_ocpp16, "v16/schemas/StatusNotification.json"),
    "v201": (_ocpp2, "v201/schemas/StatusNotificationRequest.json"),
    "v21": (_ocpp2, "v21/schemas/StatusNotificationRequest.json"),
}


def _schema(path: str) -> dict[str, Any]:
    text = files("ocpp").joinpath(path).read_text(encoding="utf-8")
    return cast("dict[str, Any]", json.loads(text))


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    reference = node.get("$ref")
    if reference is None:
        return node
    name = cast("str", reference).rpartition("/")[2]
    return cast("dict[str, Any]", schema["definitions"][name])


@pytest.mark.parametrize("version", PROTOCOLS)
def test_each_table_is_the_official_schemas(version: str) -> None:
    module, path = PROTOCOLS[version]
    schema = _schema(path)
    properties = cast("dict[str, dict[str, Any]]", schema["properties"])
    fields = {field.key: field for field in module.FIELDS}
    assert set(fields) == set(properties)
    assert {key for key, field in fields.items() if field.required} == set(
        schema.get("required", ())
    )
    for key, field in fields.items():
        node = _resolved(schema, properties[key])
        assert field.max_length == node.get("maxLength"), key
        if field.kind is FieldKind.ENUM:
            assert field.values is not None
            assert {member.value for member in field.values} == set(node["enum"])
        else:
            assert "enum" not in node, key
        expected_type = {
            FieldKind.ID: "integer",
            FieldKind.ENUM: "string",
            FieldKind.TIMESTAMP: "string",
            FieldKind.TEXT: "string",
            FieldKind.OBJECT: "object",
        }[field.kind]
        assert node["type"] == expected_type, key


@pytest.mark.parametrize("module", [_ocpp16, _ocpp2], ids=["v16", "v2"])
def test_each_table_is_its_payload_type_and_its_report(module: Any) -> None:
    fields: tuple[PayloadField, ...] = module.FIELDS
    payload_type = module.StatusNotificationPayload
    assert [field.key for field in fields] == list(payload_type.__annotations__)
    hints = get_type_hints(payload_type, include_extras=True)
    assert {field.key for field in fields if field.required} == {
        key for key, hint in hints.items() if get_origin(hint) is not NotRequired
    }
    attributes = [attribute.name for attribute in attrs.fields(module.ConnectorReport)]
    assert sorted(field.attribute for field in fields) == sorted(attributes)
    assert {field.key for field in fields} == module._KNOWN_KEYS
    assert tuple(f.key for f in fields if f.required) == module._REQUIRED_KEYS


def test_the_1_6_parser_checks_the_limits_of_its_table() -> None:
    limits = {
        field.attribute: field.max_length
        for field in _ocpp16.FIELDS
        if field.max_length is not None
    }
    assert {attribute: limit for _, attribute, limit in _ocpp16._TEXT_FIELDS} == limits
    base = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
    for field in _ocpp16.FIELDS:
        if field.max_length is None:
            continue
        at_limit = {**base, field.key: "x" * field.max_length}
        report = _ocpp16.ConnectorReport.from_ocpp(at_limit)
        assert getattr(report, field.attribute) == "x" * field.max_length
        with pytest.raises(Exception, match=field.key):
            _ocpp16.ConnectorReport.from_ocpp(
                {**base, field.key: "x" * (field.max_length + 1)}
            )


@pytest.mark.parametrize(
    ("table", "module"),
    [(_lenient._TABLE_16, _ocpp16), (_lenient._TABLE_2, _ocpp2)],
    ids=["v16", "v2"],
)
def test_the_lenient_reader_reads_what_the_strict_table_says(
    table: Any, module: Any
) -> None:
    fields: tuple[PayloadField, ...] = module.FIELDS
    assert table == _lenient._table(fields)
    assert table.known == module._KNOWN_KEYS
    assert {key for key, _, _ in table.ids} == {
        f.key for f in fields if f.kind is FieldKind.ID
    }
    assert {key for key, _ in table.texts} == {
        f.key for f in fields if f.kind is FieldKind.TEXT
    }
    enums = {key for key, _ in table.enums} | {code.key for code in table.codes}
    assert enums == {f.key for f in fields if f.kind is FieldKind.ENUM}


def _with_added(fields: tuple[PayloadField, ...], field: PayloadField) -> Any:
    return _lenient._table((*fields, field))


def test_a_field_added_to_a_strict_table_is_known_to_the_lenient_reader() -> None:
    added = PayloadField(
        key="meterValue",
        attribute="meter_value",
        kind=FieldKind.TEXT,
        required=False,
        max_length=8,
    )
    payload: dict[object, object] = {
        "connectorId": 1,
        "errorCode": "NoError",
        "status": "Available",
        "meterValue": "0123456789",
    }

    def read(table: Any) -> Any:
        # The rewritten fields come back as the "report" here: the strict
        # parser that would read them has not learnt the field.
        return _lenient._repair(dict(payload), table, cast("Any", dict))

    before = read(_lenient._TABLE_16)
    assert "meterValue" not in before.report
    assert [(r.kind, r.field) for r in before.repairs] == [
        (RepairKind.EXTRA_KEY, "meterValue")
    ]
    after = read(_with_added(_ocpp16.FIELDS, added))
    assert after.report["meterValue"] == "01234567"
    assert [(r.kind, r.field) for r in after.repairs] == [
        (RepairKind.TEXT_TOO_LONG, "meterValue")
    ]
    table_2 = _with_added(_ocpp2.FIELDS, attrs.evolve(added, required=True))
    assert "meterValue" in table_2.known
    assert "meterValue" not in table_2.nullable
    assert ("meterValue", 8) in table_2.texts


def test_the_repair_rules_name_the_keys_the_tables_give() -> None:
    rules = {rule.kind: rule for rule in _lenient.REPAIR_RULES}
    for table, protocol in (
        (_lenient._TABLE_16, "ocpp16"),
        (_lenient._TABLE_2, "ocpp2"),
    ):

        def keys_of(kind: RepairKind, protocol: str = protocol) -> tuple[str, ...]:
            return cast("tuple[str, ...]", getattr(rules[kind], protocol))

        assert keys_of(RepairKind.NULL_VALUE) == table.nullable
        assert keys_of(RepairKind.TEXT_TOO_LONG) == tuple(k for k, _ in table.texts)
        assert keys_of(RepairKind.NUMERIC_STRING) == tuple(k for k, _, _ in table.ids)
        assert keys_of(RepairKind.TIMESTAMP_ZERO) == (table.timestamp,)


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_the_lenient_reader_writes_down_no_key_of_its_own() -> None:
    keys = {field.key for field in (*_ocpp16.FIELDS, *_ocpp2.FIELDS)}
    assert _lenient.__file__ is not None
    assert _string_constants(Path(_lenient.__file__)) & keys == set()


def test_the_strategies_know_the_1_6_keys_from_the_table() -> None:
    assert strategies._KNOWN_KEYS == _ocpp16._KNOWN_KEYS
    assert set(strategies._OPTIONAL_KEYS) == _ocpp16._KNOWN_KEYS - set(
        _ocpp16._REQUIRED_KEYS
    )
