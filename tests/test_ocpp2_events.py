"""The strict and lenient readers of OCPP 2.0.1 / 2.1 NotifyEvent and TransactionEvent."""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime
from typing import Any

import pytest

from evstatus import InvalidReport
from evstatus._enums import ChargingState, ConnectorState
from evstatus._ocpp2_events import (
    AvailabilityReport,
    TransactionReport,
    parse_notify_event,
    parse_transaction_event,
)

MOMENT = datetime(2026, 11, 22, 10, 15, tzinfo=UTC)
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
    bad = notify(event(variable={"name": "x", "customData": {"vendorId": 1}}))
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
