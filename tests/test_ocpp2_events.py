"""The strict and lenient readers of OCPP 2.0.1 / 2.1 NotifyEvent and TransactionEvent."""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import InvalidReport
from evstatus._enums import ChargingState, ConnectorState
from evstatus._lenient import (
    Repair,
    parse_lenient_notify_event,
    parse_lenient_transaction_event,
)
from evstatus._ocpp2_events import (
    AvailabilityReport,
    TransactionReport,
    Version,
    parse_notify_event,
    parse_transaction_event,
)

MOMENT = datetime(2026, 11, 22, 10, 15, tzinfo=UTC)
#: Stands for a key left out.
MISSING_KEY = object()
COMPONENTS: dict[str, dict[str, object]] = {
    "ChargingStation": {"name": "ChargingStation"},
    "EVSE": {"name": "EVSE", "evse": {"id": 2}},
    "Connector": {"name": "Connector", "evse": {"id": 2, "connectorId": 3}},
}
PLACES: dict[str, tuple[int | None, int | None]] = {
    "ChargingStation": (None, None),
    "EVSE": (2, None),
    "Connector": (2, 3),
}


def event(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "eventId": 7,
        "timestamp": "2026-11-22T10:15:00Z",
        "trigger": "Delta",
        "actualValue": "Faulted",
        "eventNotificationType": "HardWiredNotification",
        "component": {"name": "EVSE", "evse": {"id": 2}},
        "variable": {"name": "AvailabilityState"},
    }
    fields.update(overrides)
    return fields


def notify(*events: dict[str, object], **overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "generatedAt": "2026-11-22T10:15:01Z",
        "seqNo": 0,
        "eventData": list(events) or [event()],
    }
    fields.update(overrides)
    return fields


def transaction(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "eventType": "Started",
        "timestamp": "2026-11-22T11:15:00+01:00",
        "triggerReason": "CablePluggedIn",
        "seqNo": 0,
        "transactionInfo": {"transactionId": "tx-1", "chargingState": "EVConnected"},
        "evse": {"id": 1, "connectorId": 1},
    }
    fields.update(overrides)
    return fields


def fields_of(error: pytest.ExceptionInfo[InvalidReport]) -> list[str]:
    return [found.field for found in error.value.problems]


# --- NotifyEvent ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "state"), list(itertools.product(COMPONENTS, ConnectorState))
)
def test_every_state_on_every_component(component: str, state: ConnectorState) -> None:
    payload = notify(event(component=COMPONENTS[component], actualValue=state.value))
    evse_id, connector_id = PLACES[component]
    assert parse_notify_event(payload) == (
        AvailabilityReport(
            evse_id=evse_id, connector_id=connector_id, status=state, timestamp=MOMENT
        ),
    )


@pytest.mark.parametrize("component", COMPONENTS)
@pytest.mark.parametrize("value", ["Charging", "available", "", "Occupied "])
def test_an_availability_state_that_is_not_a_connector_state(
    component: str, value: str
) -> None:
    payload = notify(event(), event(component=COMPONENTS[component], actualValue=value))
    with pytest.raises(InvalidReport) as caught:
        parse_notify_event(payload)
    assert fields_of(caught) == ["eventData[1].actualValue"]
    assert "'Available', 'Occupied'" in str(caught.value)


def test_other_variables_and_components_are_valid_and_not_returned() -> None:
    payload = notify(
        event(variable={"name": "Problem"}, actualValue="true"),
        event(component={"name": "Connector"}, variable={"name": "Enabled"}),
        event(component={"name": "PowerConverter"}, actualValue="whatever"),
        event(actualValue="Unavailable"),
    )
    (report,) = parse_notify_event(payload)
    assert report.status is ConnectorState.UNAVAILABLE


def test_names_are_read_in_any_case() -> None:
    payload = notify(
        event(
            component={"name": "connector", "evse": {"id": 1, "connectorId": 2}},
            variable={"name": "AVAILABILITYSTATE", "instance": "x"},
            actualValue="Reserved",
        )
    )
    (report,) = parse_notify_event(payload)
    assert (report.evse_id, report.connector_id) == (1, 2)
    # A look-alike from another script is not the name.
    payload = notify(event(variable={"name": "AvailabilityStatе"}))
    assert parse_notify_event(payload) == ()


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ({"name": "EVSE"}, "component.evse"),
        (
            {"name": "EVSE", "evse": {"id": 1, "connectorId": 1}},
            "component.evse.connectorId",
        ),
        ({"name": "Connector"}, "component.evse"),
        ({"name": "Connector", "evse": {"id": 1}}, "component.evse.connectorId"),
        ({"name": "ChargingStation", "evse": {"id": 1}}, "component.evse"),
    ],
)
def test_the_place_must_match_the_component(
    component: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidReport) as caught:
        parse_notify_event(notify(event(component=component)))
    assert fields_of(caught) == [f"eventData[0].{field}"]


def test_the_event_timestamp_is_held_in_utc() -> None:
    (report,) = parse_notify_event(notify(event(timestamp="2026-11-22T11:15:00+01:00")))
    assert report.timestamp == MOMENT
    assert report.timestamp.tzinfo is UTC


def test_schema_problems_are_named_by_path() -> None:
    payload = notify(
        event(),
        event(eventId="1", component={"name": "EVSE", "evse": {"id": 0}}, extra=1),
        seqNo=True,
        tbc="no",
    )
    with pytest.raises(InvalidReport) as caught:
        parse_notify_event(payload)
    assert sorted(fields_of(caught)) == [
        "eventData[1].<keys>",
        "eventData[1].component.evse.id",
        "eventData[1].eventId",
        "seqNo",
        "tbc",
    ]


@pytest.mark.parametrize("payload", [None, [], "x", 1, {"eventData": []}, {}])
def test_junk_notify_events(payload: object) -> None:
    with pytest.raises(InvalidReport):
        parse_notify_event(payload)


def test_an_empty_event_list_is_refused() -> None:
    with pytest.raises(InvalidReport) as caught:
        parse_notify_event(notify(eventData=[]))
    assert fields_of(caught) == ["eventData"]


def test_custom_data_anywhere() -> None:
    good = {"vendorId": "acme", "more": [1]}
    payload = notify(
        event(
            customData=good,
            component={"name": "EVSE", "evse": {"id": 2, "customData": good}},
        ),
        customData=good,
    )
    assert len(parse_notify_event(payload)) == 1
    bad = notify(
        event(variable={"name": "x", "customData": {"vendorId": 1}}), customData=good
    )
    with pytest.raises(InvalidReport) as caught:
        parse_notify_event(bad)
    assert fields_of(caught) == ["eventData[0].variable.customData.vendorId"]


def test_an_unknown_version_is_a_caller_mistake() -> None:
    with pytest.raises(ValueError, match="version"):
        parse_notify_event(notify(), version="ocpp1.6")  # type: ignore[arg-type]


# --- TransactionEvent -------------------------------------------------------------


def test_a_transaction_event() -> None:
    assert parse_transaction_event(transaction()) == TransactionReport(
        event_type="Started",
        transaction_id="tx-1",
        evse_id=1,
        connector_id=1,
        charging_state=ChargingState.EV_CONNECTED,
        timestamp=MOMENT,
    )


@pytest.mark.parametrize("event_type", ["Started", "Updated", "Ended"])
@pytest.mark.parametrize("state", [None, *ChargingState])
def test_every_event_type_and_charging_state(
    event_type: str, state: ChargingState | None
) -> None:
    info: dict[str, object] = {"transactionId": "t"}
    if state is not None:
        info["chargingState"] = state.value
    payload = transaction(eventType=event_type, transactionInfo=info)
    del payload["evse"]
    report = parse_transaction_event(payload)
    assert report.event_type == event_type
    assert report.charging_state is state
    assert (report.evse_id, report.connector_id) == (None, None)


def test_a_full_transaction_event() -> None:
    sampled: dict[str, object] = {
        "value": 12.5,
        "context": "Sample.Periodic",
        "measurand": "Energy.Active.Import.Register",
        "phase": "L1-N",
        "location": "Outlet",
        "signedMeterValue": {
            "signedMeterData": "abc",
            "signingMethod": "ECDSA",
            "encodingMethod": "OCMF",
            "publicKey": "key",
        },
        "unitOfMeasure": {"unit": "kWh", "multiplier": 3},
    }
    payload = transaction(
        eventType="Ended",
        meterValue=[
            {
                "timestamp": "2026-11-22T10:15:00Z",
                "sampledValue": [sampled, {"value": 1}],
            }
        ],
        offline=True,
        numberOfPhasesUsed=3,
        cableMaxCurrent=32,
        reservationId=5,
        idToken={
            "idToken": "ABC",
            "type": "ISO14443",
            "additionalInfo": [{"additionalIdToken": "x", "type": "y"}],
        },
        transactionInfo={
            "transactionId": "tx",
            "timeSpentCharging": 100,
            "stoppedReason": "EVDisconnected",
            "remoteStartId": 4,
        },
        evse={"id": 2},
        customData={"vendorId": "v"},
    )
    report = parse_transaction_event(payload)
    assert (report.evse_id, report.connector_id) == (2, None)
    assert report.charging_state is None


def test_transaction_problems_are_named_by_path() -> None:
    no_samples: list[object] = []
    payload = transaction(
        transactionInfo={"transactionId": "t" * 37, "chargingState": "charging"},
        meterValue=[{"timestamp": "2026-11-22T10:15:00", "sampledValue": no_samples}],
        evse={"connectorId": 1.5},
    )
    with pytest.raises(InvalidReport) as caught:
        parse_transaction_event(payload)
    assert sorted(fields_of(caught)) == [
        "evse.connectorId",
        "evse.id",
        "meterValue[0].sampledValue",
        "meterValue[0].timestamp",
        "transactionInfo.chargingState",
        "transactionInfo.transactionId",
    ]


def test_integral_floats_are_integers() -> None:
    report = parse_transaction_event(transaction(evse={"id": 3.0}, seqNo=1.0))
    assert report.evse_id == 3
    assert type(report.evse_id) is int


def test_payloads_are_not_changed() -> None:
    payload = transaction()
    kept = copy.deepcopy(payload)
    parse_transaction_event(payload)
    assert payload == kept
    given: dict[str, Any] = notify()
    kept = copy.deepcopy(given)
    parse_notify_event(given)
    assert given == kept


# --- lenient twins ------------------------------------------------------------------

RECEIVED = datetime(2026, 11, 22, 10, 20, tzinfo=UTC)


def repaired(repairs: tuple[Repair, ...]) -> list[tuple[str, str]]:
    return [(repair.kind.value, repair.field) for repair in repairs]


def test_lenient_takes_a_valid_payload_as_it_is() -> None:
    payload = notify(event(), event(actualValue="Available"))
    assert parse_lenient_notify_event(payload) == (parse_notify_event(payload), ())
    payload = transaction()
    parsed = parse_lenient_transaction_event(payload)
    assert parsed.report == parse_transaction_event(payload)
    assert parsed.repairs == ()


@st.composite
def deviant_notify_events(
    draw: st.DrawFn,
) -> tuple[dict[str, object], dict[str, object], set[tuple[str, str]]]:
    """A valid NotifyEvent, the same with deviations, and the repairs they need."""
    state = draw(st.sampled_from(ConnectorState))
    component = draw(st.sampled_from(list(COMPONENTS)))
    valid = notify(
        event(),
        event(component=copy.deepcopy(COMPONENTS[component]), actualValue=state.value),
        seqNo=draw(st.integers(0, 10**6)),
    )
    deviant = copy.deepcopy(valid)
    expected: set[tuple[str, str]] = set()
    second = cast("dict[str, Any]", cast("list[object]", deviant["eventData"])[1])
    if draw(st.booleans()):
        second["actualValue"] = state.value.upper()
        expected.add(("enum_case", "eventData[1].actualValue"))
    if draw(st.booleans()):
        second["trigger"] = "DELTA"
        expected.add(("enum_case", "eventData[1].trigger"))
    if draw(st.booleans()):
        deviant["seqNo"] = str(valid["seqNo"])
        expected.add(("numeric_string", "seqNo"))
    if component != "ChargingStation" and draw(st.booleans()):
        second["component"]["evse"]["id"] = "02"
        expected.add(("numeric_string", "eventData[1].component.evse.id"))
    if draw(st.booleans()):
        second["component"]["vendorField"] = 1
        expected.add(("extra_key", "eventData[1].component.vendorField"))
    if draw(st.booleans()):
        deviant["tbc"] = None
        expected.add(("null_value", "tbc"))
    if draw(st.booleans()):
        second["timestamp"] = "2026-11-22 10:15:00Z"
        expected.add(("timestamp_space", "eventData[1].timestamp"))
    if draw(st.booleans()):
        deviant["generatedAt"] = "2026-11-22T10:15:01"
        expected.add(("timestamp_no_offset", "generatedAt"))
    return valid, deviant, expected


@given(deviant_notify_events())
def test_lenient_repairs_each_deviation_and_reads_what_was_meant(
    case: tuple[dict[str, object], dict[str, object], set[tuple[str, str]]],
) -> None:
    valid, deviant, expected = case
    kept = copy.deepcopy(deviant)
    reports, repairs = parse_lenient_notify_event(deviant)
    assert reports == parse_notify_event(valid)
    assert set(repaired(repairs)) == expected
    assert len(repairs) == len(expected)
    assert deviant == kept


def test_lenient_transaction_event_repairs() -> None:
    payload = transaction(
        eventType="ENDED",
        seqNo="12",
        timestamp="2026-11-22T11:15:00+0100",
        transactionInfo={"transactionId": "t", "chargingState": "suspendedEVSE"},
        evse={"id": "1", "connectorId": "1"},
        meterValue=[
            {
                "timestamp": "0001-01-01T00:00:00Z",
                "sampledValue": [{"value": 1, "measurand": "soc"}],
            }
        ],
        offline=None,
        note="x",
    )
    report, repairs = parse_lenient_transaction_event(payload)
    assert report == TransactionReport(
        event_type="Ended",
        transaction_id="t",
        evse_id=1,
        connector_id=1,
        charging_state=ChargingState.SUSPENDED_EVSE,
        timestamp=MOMENT,
    )
    assert repaired(repairs) == [
        ("enum_case", "eventType"),
        ("timestamp_offset_no_colon", "timestamp"),
        ("numeric_string", "seqNo"),
        ("enum_case", "transactionInfo.chargingState"),
        ("numeric_string", "evse.id"),
        ("numeric_string", "evse.connectorId"),
        ("enum_case", "meterValue[0].sampledValue[0].measurand"),
        ("null_value", "offline"),
        ("extra_key", "note"),
    ]


@pytest.mark.parametrize("timestamp", [MISSING_KEY, None, "0001-01-01T00:00:00Z"])
def test_own_timestamps_take_the_time_of_receipt(timestamp: object) -> None:
    payload = notify(event(timestamp=timestamp), generatedAt=timestamp)
    for key in ("generatedAt",):
        if timestamp is MISSING_KEY:
            del payload[key]
    first = cast("list[dict[str, object]]", payload["eventData"])[0]
    if timestamp is MISSING_KEY:
        del first["timestamp"]
    (report,), repairs = parse_lenient_notify_event(payload, received_at=RECEIVED)
    assert report.timestamp == RECEIVED
    kinds = [kind for kind, _ in repaired(repairs)]
    assert kinds.count("time_of_receipt") == 2
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_notify_event(payload)
    assert sorted(fields_of(caught)) == ["eventData[0].timestamp", "generatedAt"]
    assert "received_at" in str(caught.value)


def test_a_transaction_without_a_time_takes_the_time_of_receipt() -> None:
    payload = transaction()
    del payload["timestamp"]
    report, repairs = parse_lenient_transaction_event(payload, received_at=RECEIVED)
    assert report.timestamp == RECEIVED
    assert repaired(repairs) == [("time_of_receipt", "timestamp")]


def test_a_valid_zero_time_is_read_as_no_time() -> None:
    payload = transaction(timestamp="0001-01-01T00:00:00Z")
    assert parse_transaction_event(payload).timestamp.year == 1
    report, repairs = parse_lenient_transaction_event(payload, received_at=RECEIVED)
    assert report.timestamp == RECEIVED
    assert repaired(repairs) == [
        ("timestamp_zero", "timestamp"),
        ("time_of_receipt", "timestamp"),
    ]


def test_free_text_is_cut_and_names_are_not() -> None:
    payload = notify(event(techInfo="i" * 501, transactionId="t" * 37))
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_notify_event(payload)
    assert fields_of(caught) == ["eventData[0].transactionId"]
    payload = notify(event(techInfo="i" * 501))
    _, repairs = parse_lenient_notify_event(payload)
    assert repaired(repairs) == [("text_too_long", "eventData[0].techInfo")]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"actualValue": "Charging"}, ["eventData[0].actualValue"]),
        # A look-alike letter from another script is not the value.
        ({"actualValue": "Fаulted"}, ["eventData[0].actualValue"]),
        ({"trigger": "Sometimes"}, ["eventData[0].trigger"]),
        ({"eventId": "-1"}, ["eventData[0].eventId"]),
        (
            {"component": {"name": "EVSE", "evse": {"id": "0"}}},
            ["eventData[0].component.evse.id"],
        ),
        ({"timestamp": "22.11.2026"}, ["eventData[0].timestamp"]),
        ({"component": "EVSE"}, ["eventData[0].component"]),
        (
            {"variable": {"name": "AvailabilityState", 1: 2}},
            ["eventData[0].variable.<keys>"],
        ),
    ],
)
def test_what_lenient_cannot_repair(
    changes: dict[object, object], fields: list[str]
) -> None:
    payload = notify(event(**cast("dict[str, object]", changes)))
    with pytest.raises(InvalidReport) as caught:
        parse_lenient_notify_event(payload, received_at=RECEIVED)
    assert fields_of(caught) == fields


def test_lenient_rejects_junk_and_bad_arguments() -> None:
    junks: list[object] = [None, [], "x"]
    for junk in junks:
        with pytest.raises(InvalidReport):
            parse_lenient_notify_event(junk)
        with pytest.raises(InvalidReport):
            parse_lenient_transaction_event(junk)
    with pytest.raises(InvalidReport):
        parse_lenient_notify_event(notify(eventData="x"))
    with pytest.raises(TypeError, match="received_at"):
        parse_lenient_notify_event(notify(), received_at="now")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="version"):
        parse_lenient_transaction_event(transaction(), version="2.1")  # type: ignore[arg-type]


def test_lenient_reads_each_version_by_its_schema() -> None:
    payload = transaction(preconditioningStatus="ready")
    _, repairs = parse_lenient_transaction_event(payload)
    assert repaired(repairs) == [("extra_key", "preconditioningStatus")]
    _, repairs = parse_lenient_transaction_event(payload, version="ocpp2.1")
    assert repaired(repairs) == [("enum_case", "preconditioningStatus")]


@pytest.mark.parametrize(
    ("version", "changes", "expected"),
    [
        (
            "ocpp2.0.1",
            {"customData": []},
            "customData: got <list of 0>, expected a JSON object with a vendorId",
        ),
        (
            "ocpp2.0.1",
            {"evse": {"id": True}},
            "evse.id: got True, expected an integer >= 1",
        ),
        ("ocpp2.0.1", {"seqNo": 0.5}, "seqNo: got 0.5, expected an integer"),
        ("ocpp2.1", {"seqNo": -1}, "seqNo: got -1, expected an integer >= 0"),
        ("ocpp2.1", {"numberOfPhasesUsed": 4}, "expected an integer from 0 to 3"),
        ("ocpp2.0.1", {"offline": 0}, "offline: got 0, expected true or false"),
        (
            "ocpp2.0.1",
            {"meterValue": []},
            "meterValue: got <list of 0>, expected a JSON array of 1 or more items",
        ),
        (
            "ocpp2.0.1",
            {
                "meterValue": [
                    {
                        "timestamp": "2026-11-22T10:15:00Z",
                        "sampledValue": [{"value": "1"}],
                    }
                ]
            },
            "meterValue[0].sampledValue[0].value: got '1', expected a finite number",
        ),
        (
            "ocpp2.0.1",
            {
                "meterValue": [
                    {
                        "timestamp": "2026-11-22T10:15:00Z",
                        "sampledValue": [{"value": 1, "unitOfMeasure": 1}],
                    }
                ]
            },
            "meterValue[0].sampledValue[0].unitOfMeasure: got 1, expected a JSON object\n",
        ),
        (
            "ocpp2.1",
            {
                "costDetails": {
                    "totalUsage": {"energy": 1, "chargingTime": 1, "idleTime": 1},
                    "totalCost": {
                        "currency": "EUR",
                        "typeOfCost": "NormalCost",
                        "total": {},
                        "fixed": {"taxRates": [{"type": "VAT", "tax": 20}] * 6},
                    },
                }
            },
            "costDetails.totalCost.fixed.taxRates: got <list of 6>, expected a JSON array of 1 to 5 items",
        ),
        (
            "ocpp2.0.1",
            {"idToken": {"idToken": "x", "type": "Card"}},
            "idToken.type: got 'Card', expected one of 'Central', 'eMAID'",
        ),
        ("ocpp2.1", {"idToken": {"idToken": "x", "type": "Card"}}, None),
    ],
)
def test_each_kind_of_value_says_what_it_expects(
    version: Version, changes: dict[str, object], expected: str | None
) -> None:
    payload = transaction(**changes)
    if expected is None:
        parse_transaction_event(payload, version=version)
        return
    with pytest.raises(InvalidReport) as caught:
        parse_transaction_event(payload, version=version)
    assert len(caught.value.problems) == 1
    assert expected in str(caught.value) + "\n"
