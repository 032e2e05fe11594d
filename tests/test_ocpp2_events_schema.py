"""NotifyEvent and TransactionEvent readers against the official 2.0.1 and 2.1 schemas.

The oracle is independent of the readers: ``jsonschema.Draft6Validator`` on the
schemas shipped in the ``ocpp`` package, plus the rules the OCPP text adds,
written here on their own: EVSE and connector ids from 1, real RFC 3339
date-times, finite numbers, and the AvailabilityState rules (a ConnectorState
value; the EVSE, or EVSE and connector, its component names).
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any, cast

import hypothesis_jsonschema
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evstatus import InvalidReport
from evstatus._enums import ChargingState, ConnectorState
from evstatus._lenient import (
    ParsedMessage,
    parse_lenient_notify_event,
    parse_lenient_transaction_event,
)
from evstatus._ocpp2_events import (
    _QUICK,  # pyright: ignore[reportPrivateUsage]
    NOTIFY_EVENT,
    TRANSACTION_EVENT,
    VERSIONS,
    ArrayNode,
    Node,
    ObjectNode,
    TransactionReport,
    Version,
    _read_quickly,  # pyright: ignore[reportPrivateUsage]
    _read_transaction_carefully,  # pyright: ignore[reportPrivateUsage]
    compile_check,
    parse_notify_event,
    parse_transaction_event,
    read_transaction,
    validate_thoroughly,
)

from .examples import examples
from .rfc3339 import is_ocpp2_timestamp
from .strategies import loosened
from .test_ocpp2_events import transaction

from_schema = cast(
    "Callable[[Any], st.SearchStrategy[Any]]",
    hypothesis_jsonschema.from_schema,  # pyright: ignore[reportUnknownMemberType]
)

MESSAGES = ("NotifyEventRequest", "TransactionEventRequest")
_SUBDIRECTORY: dict[Version, str] = {"ocpp2.0.1": "v201", "ocpp2.1": "v21"}
CASES: list[tuple[str, Version]] = [
    (message, version) for message in MESSAGES for version in VERSIONS
]


def _schema(message: str, version: Version) -> dict[str, Any]:
    text = (
        files("ocpp")
        .joinpath(f"{_SUBDIRECTORY[version]}/schemas/{message}.json")
        .read_text(encoding="utf-8")
    )
    return cast("dict[str, Any]", json.loads(text))


SCHEMAS = {case: _schema(*case) for case in CASES}
VALIDATORS: dict[tuple[str, Version], Any] = {
    case: jsonschema.Draft6Validator(schema) for case, schema in SCHEMAS.items()
}
PARSERS: dict[str, Callable[..., object]] = {
    "NotifyEventRequest": parse_notify_event,
    "TransactionEventRequest": parse_transaction_event,
}


# --- the oracle ---------------------------------------------------------------


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    return cast("dict[str, Any]", schema["definitions"][ref.rsplit("/", 1)[1]])


def _text_rules_hold(schema: dict[str, Any], node: dict[str, Any], value: Any) -> bool:
    """The OCPP text's rules on one valid value, found by walking the schema."""
    node = _resolve(schema, node)
    if node.get("format") == "date-time":
        return is_ocpp2_timestamp(value)
    if node.get("type") == "number":
        return math.isfinite(value)
    if node.get("type") == "array":
        return all(_text_rules_hold(schema, node["items"], item) for item in value)
    if node.get("type") != "object" or "properties" not in node:
        return True
    properties = node["properties"]
    is_evse = "connectorId" in properties and "id" in properties
    if is_evse and (value["id"] < 1 or value.get("connectorId", 1) < 1):
        return False
    return all(
        _text_rules_hold(schema, properties[key], item)
        for key, item in value.items()
        if key in properties
    )


def _availability_ok(event: dict[str, Any]) -> bool:
    variable = event["variable"]["name"]
    component = event["component"]
    kind = component["name"].lower() if component["name"].isascii() else ""
    if not variable.isascii() or variable.lower() != "availabilitystate":
        return True
    if kind not in {"chargingstation", "evse", "connector"}:
        return True
    if event["actualValue"] not in {state.value for state in ConnectorState}:
        return False
    evse = component.get("evse")
    if kind == "chargingstation":
        return evse is None
    if kind == "evse":
        return evse is not None and "connectorId" not in evse
    return evse is not None and "connectorId" in evse


def oracle(message: str, version: Version, payload: object) -> bool:
    """What the schema and the OCPP text accept, computed without evstatus."""
    schema = SCHEMAS[message, version]
    if not VALIDATORS[message, version].is_valid(payload):
        return False
    if not _text_rules_hold(schema, schema, payload):
        return False
    if message == "NotifyEventRequest":
        events = cast("dict[str, Any]", payload)["eventData"]
        return all(_availability_ok(event) for event in events)
    return True


def accepts(message: str, version: Version, payload: object) -> bool:
    try:
        PARSERS[message](payload, version=version)
    except InvalidReport:
        return False
    return True


# --- the payloads --------------------------------------------------------------

_LOOSENED_AWAY = {"required", "additionalProperties", "enum", "maxLength", "minItems"}


def _focused(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy whose names and values hit the AvailabilityState rules often."""
    focused = copy.deepcopy(schema)
    event = focused["properties"]["eventData"]["items"]["properties"]
    states = [state.value for state in ConnectorState]
    event["variable"]["properties"]["name"] = {
        "enum": ["AvailabilityState", "availabilitystate", "Problem"]
    }
    event["component"]["properties"]["name"] = {
        "enum": ["ChargingStation", "EVSE", "Connector", "connector", "Other"]
    }
    event["actualValue"] = {"enum": [*states, "available", "Charging"]}
    return focused


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["Available", "Started", "2026-11-22T10:15:00Z", 1.0, 0, -1])
    # Strings the schema takes and the OCPP text does not: no offset, a day
    # February lacks, an instant before year 1 in UTC.
    | st.sampled_from(
        [
            "2026-11-22T10:15:00",
            "2026-02-30T10:15:00Z",
            "0001-01-01T00:00:00+01:00",
        ]
    )
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(
    value: object, path: tuple[object, ...] = ()
) -> Iterator[tuple[object, ...]]:
    """Every place inside a JSON value: keys of objects, indexes of arrays."""
    yield path
    if isinstance(value, dict):
        for key, item in cast("dict[str, object]", value).items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(cast("list[object]", value)):
            yield from _paths(item, (*path, index))


@st.composite
def _mutated(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> object:
    """A valid payload with one value anywhere in it replaced, removed or added."""
    payload = copy.deepcopy(draw(valid))
    places = [path for path in _paths(payload) if path]
    if not places:
        return payload
    *parents, last = cast("tuple[Any, ...]", draw(st.sampled_from(places)))
    parent: Any = payload
    for step in parents:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "remove":
        del parent[last]
    elif action == "replace" or isinstance(parent, list):
        parent[last] = draw(JSON)
    else:
        parent[draw(st.sampled_from(["extra", "customData", "evse", "name"]))] = draw(
            JSON
        )
    return payload


def _inlined(schema: dict[str, Any], node: object) -> object:
    """The schema with every $ref replaced by what it names, for generating.

    hypothesis-jsonschema takes the 2.1 schemas' "$id" for a remote base and
    will not follow their $refs; these schemas have no cycles to inline.
    """
    if isinstance(node, dict):
        fields = cast("dict[str, object]", node)
        if "$ref" in fields:
            return _inlined(schema, _resolve(schema, fields))
        inlined = {
            key: _inlined(schema, value)
            for key, value in fields.items()
            if key not in {"$id", "definitions"}
        }
        if inlined.get("type") == "array" and "maxItems" not in inlined:
            # Short arrays show every rule; long ones only cost time.
            inlined["maxItems"] = 2
        return inlined
    if isinstance(node, list):
        return [_inlined(schema, value) for value in cast("list[object]", node)]
    return node


def _strategies(message: str, version: Version) -> st.SearchStrategy[object]:
    schema = cast(
        "dict[str, Any]", _inlined(SCHEMAS[message, version], SCHEMAS[message, version])
    )
    valid = from_schema(schema)
    if message == "NotifyEventRequest":
        valid = valid | from_schema(_focused(schema))
    # Mutations twice over: they are what reaches the OCPP text's rules.
    mutated = _mutated(valid)
    return st.one_of(
        valid, from_schema(loosened(schema, _LOOSENED_AWAY)), mutated, mutated
    )


PAYLOADS = {case: _strategies(*case) for case in CASES}

DIFFERENTIAL = settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.mark.parametrize(("message", "version"), CASES)
@DIFFERENTIAL
@given(data=st.data())
def test_accepts_exactly_what_schema_and_text_accept(
    message: str, version: Version, data: st.DataObject
) -> None:
    payload = data.draw(PAYLOADS[message, version])
    assert accepts(message, version, payload) == oracle(message, version, payload)


@pytest.mark.parametrize(("message", "version"), CASES)
def test_the_differential_sees_every_answer(message: str, version: Version) -> None:
    # Guards against a differential test that passes because every payload
    # is valid, or every one is invalid, or the text rules never bite.
    seen: set[tuple[bool, bool]] = set()

    @settings(
        max_examples=80,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    @given(PAYLOADS[message, version])
    def collect(payload: object) -> None:
        seen.add(
            (
                VALIDATORS[message, version].is_valid(payload),
                oracle(message, version, payload),
            )
        )

    collect()
    assert seen == {(True, True), (True, False), (False, False)}


@pytest.mark.parametrize(("message", "version"), CASES)
@given(payload=JSON)
def test_raises_only_invalid_report_for_any_json(
    message: str, version: Version, payload: object
) -> None:
    try:
        PARSERS[message](payload, version=version)
    except InvalidReport as error:
        assert error.problems
        assert len(str(error)) < 4000


# --- the trees against the schemas, member by member ----------------------------


def _official(schema: dict[str, Any], node: dict[str, Any]) -> object:
    """A schema node in the plain form _ours gives, $refs followed."""
    node = _resolve(schema, node)
    if node.get("javaType") == "CustomData":
        return "customData"
    kind = node.get("type")
    if "enum" in node:
        return ("enum", frozenset(node["enum"]))
    if kind == "object":
        properties = node["properties"]
        is_evse = "connectorId" in properties and "id" in properties
        members: dict[str, tuple[object, bool]] = {}
        for key, value in properties.items():
            plain = _official(schema, value)
            if is_evse and key in {"id", "connectorId"}:
                # The OCPP text numbers EVSEs and connectors from 1.
                plain = ("integer", 1, None)
            members[key] = (plain, key in node.get("required", ()))
        assert node["additionalProperties"] is False
        return ("object", members)
    if kind == "array":
        return (
            "array",
            _official(schema, node["items"]),
            node["minItems"],
            node.get("maxItems"),
        )
    if kind == "string" and node.get("format") == "date-time":
        return "timestamp"
    if kind == "string":
        return ("text", node["maxLength"])
    if kind == "integer":
        minimum, maximum = node.get("minimum"), node.get("maximum")
        return (
            "integer",
            None if minimum is None else int(minimum),
            None if maximum is None else int(maximum),
        )
    assert kind in {"number", "boolean"}, node
    return kind


def _ours(node: Node) -> object:
    if isinstance(node, ObjectNode):
        return (
            "object",
            {m.key: (_ours(m.node), m.required) for m in node.members},
        )
    if isinstance(node, ArrayNode):
        return ("array", _ours(node.items), node.min_items, node.max_items)
    kind = node.kind.value
    if kind == "enum":
        return ("enum", frozenset(node.values))
    if kind == "text":
        return ("text", node.max_length)
    if kind == "integer":
        return ("integer", node.minimum, node.maximum)
    return kind


@pytest.mark.parametrize(("message", "version"), CASES)
def test_each_tree_is_its_schema(message: str, version: Version) -> None:
    trees = NOTIFY_EVENT if message == "NotifyEventRequest" else TRANSACTION_EVENT
    schema = SCHEMAS[message, version]
    assert _ours(trees[version]) == _official(schema, schema)
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"


# --- the fast check against the careful walk -------------------------------------

TREES = {
    ("NotifyEventRequest", version): NOTIFY_EVENT[version] for version in VERSIONS
} | {
    ("TransactionEventRequest", version): TRANSACTION_EVENT[version]
    for version in VERSIONS
}
CHECKS = {case: compile_check(tree) for case, tree in TREES.items()}


def _walk_finds_nothing(case: tuple[str, Version], payload: object) -> bool:
    try:
        _, problems = validate_thoroughly(TREES[case], payload)
    except InvalidReport:
        return False
    return not problems


@pytest.mark.parametrize(("message", "version"), CASES)
@DIFFERENTIAL
@given(data=st.data())
def test_the_fast_check_agrees_with_the_walk(
    message: str, version: Version, data: st.DataObject
) -> None:
    payload = data.draw(PAYLOADS[message, version] | JSON)
    case = (message, version)
    assert CHECKS[case](payload) == _walk_finds_nothing(case, payload)


def test_the_fast_check_leaves_subclasses_to_the_walk() -> None:
    class Payload(dict[str, object]):
        pass

    class Text(str):
        __slots__ = ()

    payload = {
        "eventType": Text("Started"),
        "timestamp": Text("2026-11-22T10:15:00Z"),
        "triggerReason": "Trigger",
        "seqNo": 1.0,
        "transactionInfo": Payload(transactionId=Text("t")),
    }
    case: tuple[str, Version] = ("TransactionEventRequest", "ocpp2.0.1")
    assert not CHECKS[case](Payload(payload))
    assert _walk_finds_nothing(case, Payload(payload))
    report = parse_transaction_event(Payload(payload))
    assert type(report.transaction_id) is str
    assert type(report.event_type) is str


# --- lenient reading against strict reading ---------------------------------------

LENIENT: dict[str, Callable[..., ParsedMessage[Any]]] = {
    "NotifyEventRequest": parse_lenient_notify_event,
    "TransactionEventRequest": parse_lenient_transaction_event,
}
RECEIVED = datetime(2026, 11, 22, 10, 20, tzinfo=UTC)


@pytest.mark.parametrize(("message", "version"), CASES)
@settings(DIFFERENTIAL, max_examples=examples(30))
@given(data=st.data())
def test_lenient_reading_agrees_with_strict_reading(
    message: str, version: Version, data: st.DataObject
) -> None:
    payload = data.draw(PAYLOADS[message, version])
    kept = copy.deepcopy(payload)
    try:
        strict: object = PARSERS[message](payload, version=version)
    except InvalidReport:
        strict = None
    try:
        lenient = LENIENT[message](payload, received_at=RECEIVED, version=version)
    except InvalidReport as error:
        assert error.problems
        assert strict is None
        return
    finally:
        assert payload == kept
    if strict is not None and not lenient.repairs:
        assert lenient.report == strict
    if strict is None:
        assert lenient.repairs


def test_the_fast_check_skips_only_optional_members_it_has_no_need_of() -> None:
    # It stops looking for optional members once it has met as many as the
    # payload has; a required member missing must still make it say no,
    # whatever the optional members hold.
    case: tuple[str, Version] = ("TransactionEventRequest", "ocpp2.0.1")
    base: dict[str, object] = {
        "eventType": "Started",
        "timestamp": "2026-11-22T10:15:00Z",
        "triggerReason": "Trigger",
        "seqNo": 1,
        "transactionInfo": {"transactionId": "t"},
    }
    assert CHECKS[case](base)
    assert not CHECKS[case]({**base, "offline": "yes"})
    assert not CHECKS[case]({**base, "evse": {"id": 1}, "offline": "yes"})
    missing = {key: value for key, value in base.items() if key != "seqNo"}
    assert not CHECKS[case]({**missing, "offline": True})
    assert not CHECKS[case]({**missing, "offline": "yes"})
    assert CHECKS[case]({**base, "offline": True, "evse": {"id": 1}})


# --- the TransactionEvent fast path against the careful way -------------------------


@st.composite
def _plain_transaction(draw: st.DrawFn) -> dict[str, object]:
    """The shape the fast path reads: valid, each value of the plain JSON type."""
    info: dict[str, object] = {"transactionId": draw(st.text(max_size=36))}
    if draw(st.booleans()):
        info["chargingState"] = draw(st.sampled_from([s.value for s in ChargingState]))
    payload: dict[str, object] = {
        "eventType": draw(st.sampled_from(["Started", "Updated", "Ended"])),
        "timestamp": draw(
            st.sampled_from(
                [
                    "2026-11-22T10:15:00Z",
                    "2026-11-22T10:15:00.250Z",
                    "2026-11-22T05:15:00-05:00",
                ]
            )
        ),
        "triggerReason": draw(
            st.sampled_from(["ChargingStateChanged", "EVDetected", "StopAuthorized"])
        ),
        "seqNo": draw(st.integers(0, 2**31)),
        "transactionInfo": info,
    }
    if draw(st.booleans()):
        evse: dict[str, object] = {"id": draw(st.integers(1, 5))}
        if draw(st.booleans()):
            evse["connectorId"] = draw(st.integers(1, 3))
        payload["evse"] = evse
    return payload


PLAIN_TRANSACTIONS = _plain_transaction()


@pytest.mark.parametrize("version", VERSIONS)
@DIFFERENTIAL
@given(payload=PLAIN_TRANSACTIONS)
def test_the_fast_path_reads_every_plain_request(
    version: Version, payload: dict[str, object]
) -> None:
    facts = _read_quickly(payload, _QUICK[version])
    assert facts is not None
    assert facts == _read_transaction_carefully(payload, version)


def _quickly(payload: object, version: Version) -> object:
    if type(payload) is not dict:
        return None
    return _read_quickly(cast("dict[str, object]", payload), _QUICK[version])


@pytest.mark.parametrize("version", VERSIONS)
@DIFFERENTIAL
@given(payload=st.one_of(PLAIN_TRANSACTIONS, _mutated(PLAIN_TRANSACTIONS)))
def test_the_fast_path_agrees_with_the_careful_way(
    version: Version, payload: object
) -> None:
    kept = copy.deepcopy(payload)
    try:
        careful = _read_transaction_carefully(payload, version)
    except InvalidReport:
        careful = None
    facts = _quickly(payload, version)
    if facts is not None:
        # Taken only when the careful way takes it too, and read the same,
        # down to the types (an int, not 1.0 or True).
        assert careful is not None
        assert facts == careful
        assert list(map(type, cast("tuple[object, ...]", facts))) == list(
            map(type, careful)
        )
    assert accepts("TransactionEventRequest", version, payload) == oracle(
        "TransactionEventRequest", version, payload
    )
    if careful is not None:
        assert read_transaction(payload, version) == careful
        assert parse_transaction_event(payload, version=version) == (
            TransactionReport(
                event_type=careful[0],
                transaction_id=careful[1],
                evse_id=careful[2],
                connector_id=careful[3],
                charging_state=careful[4],
                timestamp=careful[5],
            )
        )
    assert payload == kept


_PLAIN = transaction()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "change",
    [
        {"timestamp": "2026-02-30T10:15:00Z"},
        {"timestamp": "2026-11-22 10:15:00Z"},
        {"eventType": "Paused"},
        {"triggerReason": 7},
        {"seqNo": True},
        {"seqNo": 3.0},
        {"transactionInfo": []},
        {"transactionInfo": {"transactionId": "t" * 37}},
        {"transactionInfo": {"transactionId": "t-1", "chargingState": "charging"}},
        {"transactionInfo": {"transactionId": "t-1", "chargingState": None}},
        {"transactionInfo": {"transactionId": "t-1", "remoteStartId": 4}},
        {"evse": None},
        {"evse": [1]},
        {"evse": {"id": 0}},
        {"evse": {"id": 1.0}},
        {"evse": {"id": 1, "connectorId": 0}},
        {"evse": {"id": 1, "connectorId": None}},
        {"evse": {"id": 1, "connectorId": 1, "customData": {"vendorId": "v"}}},
        {"offline": False},
    ],
    ids=repr,
)
def test_the_fast_path_leaves_anything_else_to_the_careful_way(
    version: Version, change: dict[str, object]
) -> None:
    payload = {**_PLAIN, **change}
    assert _read_quickly(_PLAIN, _QUICK[version]) is not None
    assert _read_quickly(payload, _QUICK[version]) is None
    assert accepts("TransactionEventRequest", version, payload) == oracle(
        "TransactionEventRequest", version, payload
    )


def test_the_fast_path_takes_a_negative_seq_no_only_where_the_schema_does() -> None:
    payload = {**_PLAIN, "seqNo": -1}
    assert _read_quickly(payload, _QUICK["ocpp2.0.1"]) is not None
    assert _read_quickly(payload, _QUICK["ocpp2.1"]) is None
    assert accepts("TransactionEventRequest", "ocpp2.0.1", payload)
    assert not accepts("TransactionEventRequest", "ocpp2.1", payload)
