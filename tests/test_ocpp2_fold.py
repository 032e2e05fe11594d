"""OCPP 2.0.1 and 2.1 through the one fold: a line's protocol, the model, peers' bugs.

The log reader tells each line's protocol; the same engine folds OCPP 2.0.1
StatusNotification, NotifyEvent (AvailabilityState) and TransactionEvent
(chargingState) into a station's state, and the same derivation gives its
view. The differential property against OCPP 1.6 is in
tests/test_ocpp2_differential.py.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest

from evstatus import ChargePointStatus, ConnectorReport, InvalidReport, StationStatus
from evstatus._enums import ChargingState, ConnectorState, ConnectorStatus
from evstatus._fold import Tally, take_entry
from evstatus._log import (
    CHARGING_STATION_ACTIONS,
    CSMS_ACTIONS,
    _read_common_envelope,  # pyright: ignore[reportPrivateUsage]
    _read_envelope,  # pyright: ignore[reportPrivateUsage]
    read_line,
)
from evstatus.history import DEFAULT_CLOCK_RULES, AnomalyKind, StationState
from evstatus.log import BadLine, Fleet, FleetSettings, Message, read_log
from evstatus.ocpp201 import ConnectorReport as Report2
from evstatus.ocpp201 import to_ocpp16
from evstatus.rules import Reason

T0 = datetime(2026, 6, 1, 10, tzinfo=UTC)
P201 = "ocpp2.0.1"


def stamp(minutes: float) -> str:
    moment = T0 + timedelta(minutes=minutes)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def status(evse: int, connector: int, state: str, minutes: float) -> dict[str, object]:
    return {
        "timestamp": stamp(minutes),
        "connectorStatus": state,
        "evseId": evse,
        "connectorId": connector,
    }


def notify(
    state: str,
    minutes: float,
    *,
    evse: int | None = None,
    connector: int | None = None,
    variable: str = "AvailabilityState",
) -> dict[str, object]:
    if evse is None:
        component: dict[str, object] = {"name": "ChargingStation"}
    elif connector is None:
        component = {"name": "EVSE", "evse": {"id": evse}}
    else:
        component = {
            "name": "Connector",
            "evse": {"id": evse, "connectorId": connector},
        }
    return {
        "generatedAt": stamp(minutes),
        "seqNo": 0,
        "eventData": [
            {
                "eventId": 1,
                "timestamp": stamp(minutes),
                "trigger": "Delta",
                "actualValue": state,
                "eventNotificationType": "HardWiredNotification",
                "component": component,
                "variable": {"name": variable},
            }
        ],
    }


def transaction(
    event_type: str,
    transaction_id: str,
    minutes: float,
    *,
    evse: int | None = None,
    charging: str | None = None,
) -> dict[str, object]:
    info: dict[str, object] = {"transactionId": transaction_id}
    if charging is not None:
        info["chargingState"] = charging
    payload: dict[str, object] = {
        "eventType": event_type,
        "timestamp": stamp(minutes),
        "triggerReason": "ChargingStateChanged",
        "seqNo": 0,
        "transactionInfo": info,
    }
    if evse is not None:
        payload["evse"] = {"id": evse, "connectorId": 1}
    return payload


def line(
    action: str,
    payload: dict[str, object],
    minutes: float,
    *,
    station: str = "CP-1",
    protocol: str | None = P201,
) -> str:
    fields: dict[str, object] = {"station": station, "received": stamp(minutes)}
    if protocol is not None:
        fields["protocol"] = protocol
    fields["frame"] = [2, "m", action, payload]
    return json.dumps(fields)


def fold(*lines: str, protocol: str = "ocpp1.6") -> StationState:
    fleet = Fleet(protocol=protocol)
    for text in lines:
        fleet.consume(text)
    (state,) = fleet.states.values()
    return state


def problems(text: str, protocol: str = "ocpp1.6") -> list[str]:
    with pytest.raises(InvalidReport) as caught:
        read_line(text, protocol)
    return [str(problem) for problem in caught.value.problems]


# --- which protocol a line speaks ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "ocpp201",
            (
                "protocol: got 'ocpp201', expected one of 'ocpp1.6', 'ocpp2.0.1',"
                " 'ocpp2.1' (did you mean 'ocpp2.0.1'?)"
            ),
        ),
        (
            "OCPP1.6",
            (
                "protocol: got 'OCPP1.6', expected one of 'ocpp1.6', 'ocpp2.0.1',"
                " 'ocpp2.1' (did you mean 'ocpp1.6'?)"
            ),
        ),
        (
            "mqtt",
            "protocol: got 'mqtt', expected one of 'ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'",
        ),
        (
            2.0,
            "protocol: got 2.0, expected one of 'ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'",
        ),
    ],
)
def test_an_unknown_protocol_is_a_bad_line_naming_it(
    value: object, expected: str
) -> None:
    text = json.dumps({"station": "CP-1", "protocol": value, "event": "heard"})
    assert problems(text) == [expected]


def test_a_misspelt_protocol_key_is_named() -> None:
    text = json.dumps({"station": "CP-1", "protocl": P201, "event": "heard"})
    assert "(did you mean 'protocol'?)" in problems(text)[0]


@pytest.mark.parametrize(
    ("protocol", "action", "kind"),
    [
        ("ocpp1.6", "StatusNotification", "status"),
        (P201, "StatusNotification", "status2"),
        (P201, "NotifyEvent", "notify"),
        (P201, "TransactionEvent", "transaction"),
        (P201, "BootNotification", "heard"),
        (P201, "NotifyReport", "heard"),
        (P201, "GetVariables", "skipped"),
        (P201, "RequestStartTransaction", "skipped"),
        ("ocpp2.1", "TransactionEvent", "transaction"),
        ("ocpp2.1", "BatterySwap", "heard"),
        ("ocpp2.1", "SetDERControl", "skipped"),
    ],
)
def test_each_protocol_reads_its_own_actions(
    protocol: str, action: str, kind: str
) -> None:
    named = line(action, {}, 0, protocol=protocol)
    bare = json.dumps([2, "m", action, {}])
    for text, default in ((named, "ocpp1.6"), (bare, protocol)):
        entry = read_line(text, default)
        assert entry[2] == kind
        fields: object = json.loads(text)
        if isinstance(fields, dict):
            fields = cast("dict[str, object]", fields)
            # The fast path leaves a message of the central system to the other.
            assert _read_common_envelope(fields, default) in (entry, None)
            assert _read_envelope(fields, default) == entry


@pytest.mark.parametrize(
    ("protocol", "action", "words"),
    [
        ("ocpp1.6", "GetVariables", "OCPP 1.6"),
        (P201, "RemoteStartTransaction", "OCPP 2.0.1"),
        (P201, "BatterySwap", "OCPP 2.0.1"),
        ("ocpp2.1", "StartTransaction", "OCPP 2.1"),
    ],
)
def test_an_action_of_another_protocol_is_a_bad_line(
    protocol: str, action: str, words: str
) -> None:
    assert problems(line(action, {}, 0, protocol=protocol)) == [
        (
            f"frame[2]: got {action!r}, expected an {words} action, like"
            " 'StatusNotification'"
        )
    ]


@pytest.mark.parametrize("protocol", ["ocpp1.6", P201, "ocpp2.1"])
def test_only_ocpp_21_has_callresulterror_and_send(protocol: str) -> None:
    result_error = json.dumps([5, "m", "GenericError", "cannot take it", {}])
    send = json.dumps([6, "m", "NotifyPeriodicEventStream", {}])
    if protocol != "ocpp2.1":
        for text, number in ((result_error, 5), (send, 6)):
            assert problems(text, protocol) == [
                (
                    f"frame[0]: got {number}, expected the message type: "
                    "2 (CALL), 3 (CALLRESULT) or 4 (CALLERROR)"
                )
            ]
        return
    assert read_line(result_error, protocol) == (
        None,
        None,
        "heard",
        "CALLRESULTERROR",
    )
    assert read_line(send, protocol) == (
        None,
        None,
        "heard",
        "NotifyPeriodicEventStream",
    )
    # A SEND of a report is read as the CALL of it would be.
    payload = status(1, 1, "Faulted", 0)
    as_send = json.dumps([6, "m", "StatusNotification", payload])
    as_call = json.dumps([2, "m", "StatusNotification", payload])
    assert read_line(as_send, protocol) == read_line(as_call, protocol)
    assert problems(json.dumps([7, "m"]), protocol) == [
        (
            "frame[0]: got 7, expected the message type: 2 (CALL), "
            "3 (CALLRESULT), 4 (CALLERROR), 5 (CALLRESULTERROR) or 6 (SEND)"
        )
    ]
    assert problems(json.dumps([6, "m", {}]), protocol) == [
        "frame: got <list of 3>, expected [6, message id, action, payload object]"
    ]


def test_the_action_lists_do_not_overlap() -> None:
    assert not CHARGING_STATION_ACTIONS & CSMS_ACTIONS
    assert {"StatusNotification", "NotifyEvent", "TransactionEvent"} <= (
        CHARGING_STATION_ACTIONS
    )


def test_a_line_without_a_protocol_speaks_the_default() -> None:
    payload = status(1, 1, "Available", 0)
    bare = json.dumps(payload)
    assert read_line(bare, P201) == (None, None, "status2", (P201, payload))
    with pytest.raises(InvalidReport):
        Fleet().consume(bare)
    state = fold(bare, protocol=P201)
    assert state.protocol == P201
    assert dict(state.evse_reports) == {(1, 1): Report2.from_ocpp(payload)}
    wrapped = json.dumps({"station": "CP-1", "payload": payload})
    assert fold(wrapped, protocol="ocpp2.1").protocol == "ocpp2.1"


def test_read_log_gives_a_2x_message_whole_as_its_item() -> None:
    payload = status(1, 1, "Available", 0)
    lines = [line("StatusNotification", payload, 0), json.dumps(payload)]
    first, second = read_log(lines, protocol="ocpp2.1")
    assert first == Message(
        number=1,
        station="CP-1",
        received=T0,
        action="StatusNotification",
        payload=payload,
        protocol=P201,
    )
    assert isinstance(second, Message)
    assert (second.protocol, second.item) == ("ocpp2.1", second)
    with pytest.raises(ValueError, match="protocol"):
        read_log([], protocol="ocpp2")


def test_fleet_settings_check_the_protocol() -> None:
    assert FleetSettings().protocol == "ocpp1.6"
    assert Fleet(protocol="ocpp2.1").settings.protocol == "ocpp2.1"
    with pytest.raises(ValueError, match="protocol"):
        FleetSettings(protocol="ocpp2")
    with pytest.raises(TypeError, match="protocol"):
        FleetSettings(protocol=None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# --- the peers' bugs --------------------------------------------------------------


def test_raw_occupied_is_not_charging_until_a_transaction_says_so() -> None:
    # lbbrhzn/ocpp #2034, #2042: 2.0.1's Occupied read as 1.6 Charging.
    occupied = line("StatusNotification", status(1, 1, "Occupied", 0), 0)
    state = fold(occupied)
    assert state.view().status is not StationStatus.CHARGING
    assert state.view().states[1, 1] is ChargePointStatus.PREPARING
    started = line(
        "TransactionEvent",
        transaction("Started", "T1", 1, evse=1, charging="Charging"),
        1,
    )
    state = fold(occupied, started)
    assert state.view().status is StationStatus.CHARGING
    assert dict(state.charging_states) == {1: ChargingState.CHARGING}
    assert dict(state.transactions) == {"T1": 1}


def test_connector_ids_are_scoped_per_evse() -> None:
    # citrineos-core #859: (1, 1) and (2, 1) merged into one connector.
    state = fold(
        line("StatusNotification", status(1, 1, "Faulted", 0), 0),
        line("StatusNotification", status(2, 1, "Available", 1), 1),
    )
    view = state.view()
    assert dict(view.connectors) == {
        (1, 1): ConnectorStatus.FAULTED,
        (2, 1): ConnectorStatus.AVAILABLE,
    }
    assert view.status is StationStatus.AVAILABLE


def test_one_evse_charging_leaves_the_other_available() -> None:
    # OCPP.Core #97: with OCPP 2.0 both connectors showed occupied.
    state = fold(
        line("StatusNotification", status(1, 1, "Available", 0), 0),
        line("StatusNotification", status(2, 1, "Available", 0), 0),
        line("StatusNotification", status(1, 1, "Occupied", 1), 1),
        line(
            "TransactionEvent",
            transaction("Started", "T1", 1, evse=1, charging="Charging"),
            1,
        ),
    )
    view = state.view()
    assert view.states == {
        (1, 1): ChargePointStatus.CHARGING,
        (2, 1): ChargePointStatus.AVAILABLE,
    }
    assert view.connectors[2, 1] is ConnectorStatus.AVAILABLE
    assert view.status is StationStatus.AVAILABLE


@pytest.mark.parametrize(
    ("state", "expected", "reason"),
    [
        ("Faulted", StationStatus.OUT_OF_ORDER, Reason.MAIN_CONTROLLER_FAULTED),
        ("Unavailable", StationStatus.UNAVAILABLE, Reason.MAIN_CONTROLLER_UNAVAILABLE),
        ("Available", StationStatus.AVAILABLE, Reason.CONNECTOR_AVAILABLE),
    ],
)
def test_the_charging_stations_availability_state_updates_the_station(
    state: str, expected: StationStatus, reason: Reason
) -> None:
    # libocpp #645: the charging station's AvailabilityState not updated.
    folded = fold(
        line("StatusNotification", status(1, 1, "Available", 0), 0),
        line("NotifyEvent", notify("Faulted", 1), 1),
        line("NotifyEvent", notify(state, 2), 2),
    )
    view = folded.view()
    assert (view.status, view.reason) == (expected, reason)
    assert folded.reports[0].status is ChargePointStatus(state)


# --- exhaustive: status x charging state x event type -------------------------

_EVENT_TYPES = ("Started", "Updated")


@pytest.mark.parametrize(
    ("connector_state", "charging", "event_type"),
    list(
        itertools.product(
            ConnectorState, [None, *ChargingState], [None, *_EVENT_TYPES, "Ended"]
        )
    ),
)
def test_every_status_charging_state_and_event_type(
    connector_state: ConnectorState,
    charging: ChargingState | None,
    event_type: str | None,
) -> None:
    lines = [line("StatusNotification", status(1, 1, connector_state.value, 0), 0)]
    if event_type is not None:
        if event_type != "Started":
            # A transaction going on, with a charging state of its own.
            lines.append(
                line(
                    "TransactionEvent",
                    transaction("Started", "T1", 1, evse=1, charging="SuspendedEV"),
                    1,
                )
            )
        lines.append(
            line(
                "TransactionEvent",
                transaction(
                    event_type,
                    "T1",
                    2,
                    evse=1,
                    charging=None if charging is None else charging.value,
                ),
                2,
            )
        )
    state = fold(*lines)
    if event_type is None or event_type == "Ended":
        held = None
    elif charging is None and event_type == "Updated":
        # An update without a charging state leaves the one held.
        held = ChargingState.SUSPENDED_EV
    else:
        held = charging
    assert state.charging_states.get(1) is held
    assert state.view().states[1, 1] is to_ocpp16(connector_state, held)
    assert (event_type in _EVENT_TYPES) is ("T1" in state.transactions)
    step_state = StationState()
    for item in read_log(lines):
        assert not isinstance(item, BadLine)
        step_state = step_state.step(item.item, at=item.received).state
    assert step_state == state


@pytest.mark.parametrize("state", list(ConnectorState))
def test_the_main_controller_takes_its_states_and_refuses_a_connectors(
    state: ConnectorState,
) -> None:
    folded = fold(line("NotifyEvent", notify(state.value, 0), 0))
    if state in {ConnectorState.OCCUPIED, ConnectorState.RESERVED}:
        assert not folded.reports
        (anomaly,) = folded.recent_anomalies
        assert anomaly.kind is AnomalyKind.CONNECTOR_ZERO_STATUS
        assert anomaly.status is state
        assert anomaly.evse_id is None
    else:
        assert folded.reports[0].status.value == state.value
        assert not folded.recent_anomalies
    assert folded.connected


@pytest.mark.parametrize("state", list(ConnectorState))
def test_an_evses_availability_state_is_each_of_its_connectors(
    state: ConnectorState,
) -> None:
    folded = fold(
        line("StatusNotification", status(1, 1, "Available", 0), 0),
        line("StatusNotification", status(1, 2, "Available", 0), 0),
        line("StatusNotification", status(2, 1, "Available", 0), 0),
        line("NotifyEvent", notify(state.value, 1, evse=1), 1),
    )
    assert {key: report.status for key, report in folded.evse_reports.items()} == {
        (1, 1): state,
        (1, 2): state,
        (2, 1): ConnectorState.AVAILABLE,
    }
    # An EVSE not heard of yet has its connector 1.
    alone = fold(line("NotifyEvent", notify(state.value, 1, evse=3), 1))
    assert list(alone.evse_reports) == [(3, 1)]


@pytest.mark.parametrize("state", list(ConnectorState))
def test_a_connectors_availability_state_is_its_report(state: ConnectorState) -> None:
    folded = fold(
        line("StatusNotification", status(1, 1, "Available", 0), 0),
        line("NotifyEvent", notify(state.value, 1, evse=1, connector=2), 1),
    )
    assert folded.evse_reports[1, 2] == Report2(
        evse_id=1, connector_id=2, status=state, timestamp=T0 + timedelta(minutes=1)
    )
    assert folded.evse_reports[1, 1].status is ConnectorState.AVAILABLE


def test_other_variables_are_contact_only() -> None:
    folded = fold(line("NotifyEvent", notify("42", 0, variable="Temperature"), 0))
    assert folded.connected
    assert folded.last_heard == T0
    assert not folded.reports
    assert not folded.evse_reports


def test_transactions_are_tracked_by_id() -> None:
    occupied = line("StatusNotification", status(1, 1, "Occupied", 0), 0)
    started = line(
        "TransactionEvent",
        transaction("Started", "T1", 1, evse=1, charging="Charging"),
        1,
    )
    # Updated names no EVSE: the transaction's own is looked up.
    updated = line(
        "TransactionEvent", transaction("Updated", "T1", 2, charging="SuspendedEVSE"), 2
    )
    ended = line("TransactionEvent", transaction("Ended", "T1", 3), 3)
    assert fold(occupied, started, updated).view().states[1, 1] is (
        ChargePointStatus.SUSPENDED_EVSE
    )
    after = fold(occupied, started, updated, ended)
    assert not after.transactions
    assert not after.charging_states
    assert after.view().states[1, 1] is ChargePointStatus.PREPARING
    # A transaction never started, naming no EVSE, tells nothing but contact.
    stray = fold(
        occupied,
        line(
            "TransactionEvent", transaction("Updated", "T9", 1, charging="Charging"), 1
        ),
    )
    assert not stray.transactions
    assert stray.view().states[1, 1] is ChargePointStatus.PREPARING
    # Started without an EVSE: it is known once an update names the EVSE.
    unplaced = fold(
        occupied,
        line("TransactionEvent", transaction("Started", "T2", 1), 1),
        line(
            "TransactionEvent",
            transaction("Updated", "T2", 2, evse=1, charging="Charging"),
            2,
        ),
    )
    assert dict(unplaced.transactions) == {"T2": 1}
    assert unplaced.view().status is StationStatus.CHARGING
    # Ended of a transaction naming its EVSE but never seen started.
    unseen = fold(
        occupied,
        started,
        line("TransactionEvent", transaction("Ended", "T7", 2, evse=1), 2),
    )
    assert dict(unseen.transactions) == {"T1": 1}
    assert not unseen.charging_states


# --- the rules of a report, without a transition machine ------------------------


@pytest.mark.parametrize(
    ("before", "after"), list(itertools.product(ConnectorState, ConnectorState))
)
def test_no_change_of_state_is_an_undefined_transition(
    before: ConnectorState, after: ConnectorState
) -> None:
    state = fold(
        line("StatusNotification", status(1, 1, before.value, 0), 0),
        line("StatusNotification", status(1, 1, after.value, 1), 1),
    )
    assert not state.anomaly_counts
    assert state.evse_reports[1, 1].status is after


def test_late_deliveries_duplicates_and_clocks_apply() -> None:
    first = line("StatusNotification", status(1, 2, "Occupied", 5), 5)
    state = fold(
        first,
        first,
        line("StatusNotification", status(1, 2, "Available", 1), 6),
        line("StatusNotification", status(1, 2, "Faulted", 60), 7),
        line("StatusNotification", status(2, 1, "Available", -20000), 8),
    )
    assert dict(state.anomaly_counts) == {
        AnomalyKind.LATE_DELIVERY: 1,
        AnomalyKind.DUPLICATE: 1,
        AnomalyKind.CLOCK_AHEAD: 1,
        AnomalyKind.CLOCK_BEHIND: 1,
    }
    duplicate = state.recent_anomalies[0]
    assert (duplicate.evse_id, duplicate.connector_id) == (1, 2)
    assert str(duplicate) == "connector 1/2: duplicate Occupied report"
    # Ordered by their receive times, the wrong clocks' reports were taken.
    assert state.evse_reports[1, 2].status is ConnectorState.FAULTED
    assert state.order_times[1, 2] == T0 + timedelta(minutes=7)


def test_a_2x_station_with_the_zero_time_is_untimed() -> None:
    zero = {**status(1, 1, "Occupied", 0), "timestamp": "0001-01-01T00:00:00Z"}
    state = fold(line("StatusNotification", zero, 0))
    assert dict(state.anomaly_counts) == {AnomalyKind.CLOCK_UNSET: 1}
    assert state.order_times[1, 1] is None


# --- a change of protocol ---------------------------------------------------------


def test_a_change_of_protocol_drops_the_ports_and_keeps_the_rest() -> None:
    old = json.dumps(
        {
            "station": "CP-1",
            "received": stamp(0),
            "payload": {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
        }
    )
    disabled = json.dumps({"station": "CP-1", "event": "disabled"})
    state = fold(old, old, disabled)
    assert state.anomaly_counts == {AnomalyKind.DUPLICATE: 1}
    upgraded = fold(
        old, old, disabled, line("StatusNotification", status(2, 1, "Available", 5), 5)
    )
    assert upgraded.protocol == P201
    assert not upgraded.reports
    assert list(upgraded.evse_reports) == [(2, 1)]
    assert upgraded.anomaly_counts == {AnomalyKind.DUPLICATE: 1}
    assert not upgraded.enabled
    assert upgraded.last_heard == T0 + timedelta(minutes=5)
    # And back: the 2.0.1 ports go, the 1.6 report is taken afresh.
    back = fold(
        old,
        line("StatusNotification", status(2, 1, "Available", 5), 5),
        line(
            "TransactionEvent",
            transaction("Started", "T1", 5, evse=2, charging="Charging"),
            5,
        ),
        old,
    )
    assert back.protocol == "ocpp1.6"
    assert not back.evse_reports
    assert not back.charging_states
    assert not back.transactions
    assert not back.anomaly_counts
    # 2.0.1 to 2.1 names the same ports: they stay.
    newer = fold(
        line("StatusNotification", status(2, 1, "Available", 5), 5),
        line("StatusNotification", status(1, 1, "Available", 6), 6, protocol="ocpp2.1"),
    )
    assert newer.protocol == "ocpp2.1"
    assert list(newer.evse_reports) == [(2, 1), (1, 1)]


@pytest.mark.parametrize("action", ["TransactionEvent", "NotifyEvent"])
def test_any_report_of_the_new_protocol_changes_it(action: str) -> None:
    # A station's first 2.0.1 line after 1.6 may be an event, not a status.
    old = json.dumps(
        {
            "station": "CP-1",
            "received": stamp(0),
            "payload": {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
        }
    )
    payload = (
        transaction("Started", "T1", 5, evse=1, charging="Charging")
        if action == "TransactionEvent"
        else notify("Available", 5)
    )
    upgraded = fold(old, line(action, payload, 5))
    assert upgraded.protocol == P201
    # The 1.6 connector's report is gone (the main controller's stays at 0).
    assert 1 not in upgraded.reports
    assert upgraded.last_heard == T0 + timedelta(minutes=5)


def test_a_step_changes_protocol_as_the_fold_does() -> None:
    report = Report2(
        evse_id=1, connector_id=1, status=ConnectorState.AVAILABLE, timestamp=T0
    )
    step = StationState().step(report)
    assert step.state.protocol == P201
    assert step.changed
    assert step.item is report
    back = step.state.step(
        ConnectorReport(connector_id=1, status=ChargePointStatus.FAULTED)
    )
    assert back.state.protocol == "ocpp1.6"
    assert dict(back.state.view().states) == {1: ChargePointStatus.FAULTED}
    assert back.changed
    # A 2.1 station's report stays 2.1.
    newer = StationState(protocol="ocpp2.1").step(report).state
    assert newer.protocol == "ocpp2.1"


def test_a_step_says_whether_a_transaction_changed_the_view() -> None:
    occupied = StationState().step(
        Report2(evse_id=1, connector_id=1, status=ConnectorState.OCCUPIED, timestamp=T0)
    )
    charging = Message(
        number=1,
        station="CP-1",
        received=None,
        action="TransactionEvent",
        payload=transaction("Started", "T1", 1, evse=1, charging="Charging"),
        protocol=P201,
    )
    step = occupied.state.step(charging)
    assert (step.changed, step.item, step.taken) == (True, None, False)
    again = step.state.step(charging)
    assert not again.changed
    # On a free EVSE the charging state changes no connector's state.
    free = StationState().step(
        Report2(
            evse_id=1, connector_id=1, status=ConnectorState.AVAILABLE, timestamp=T0
        )
    )
    assert not free.state.step(charging).changed


def test_lenient_mode_repairs_a_2x_status_notification() -> None:
    payload = {**status(1, 1, "occupied", 0), "evseId": "1"}
    text = line("StatusNotification", payload, 0)
    with pytest.raises(InvalidReport):
        Fleet().consume(text)
    fleet = Fleet(lenient=True)
    fleet.consume(text)
    state = fleet.states["CP-1"]
    assert state.evse_reports[1, 1].status is ConnectorState.OCCUPIED
    assert sum(state.repair_counts.values()) == 2
    message = next(iter(read_log([text])))
    assert isinstance(message, Message)
    step = StationState().step(message.item, lenient=True)
    assert len(step.repairs) == 2


def test_a_bad_2x_payload_changes_nothing() -> None:
    state = fold(json.dumps({"station": "CP-1", "event": "connected"}))
    tally = Tally.thaw(state)
    bad: list[tuple[str, dict[str, object]]] = [
        ("status2", {"evseId": 1}),
        ("notify", {"eventData": []}),
        ("transaction", {"eventType": "Started"}),
    ]
    for kind, payload in bad:
        with pytest.raises(InvalidReport):
            Fleet().consume(line(_ACTIONS[kind], payload, 0))
        with pytest.raises(InvalidReport):
            take_entry(tally, kind, (P201, payload), T0, DEFAULT_CLOCK_RULES, False)
    assert tally.freeze() == state
    assert tally.protocol == "ocpp1.6"


_ACTIONS = {
    "status2": "StatusNotification",
    "notify": "NotifyEvent",
    "transaction": "TransactionEvent",
}


def test_lenient_mode_repairs_notify_and_transaction_events() -> None:
    lines = [
        line("StatusNotification", status(1, 1, "Occupied", 0), 0),
        line("NotifyEvent", notify("faulted", 1, evse=2), 1),
        line(
            "TransactionEvent",
            transaction("Started", "T1", 2, evse=1, charging="charging"),
            2,
        ),
    ]
    for text in lines[1:]:
        with pytest.raises(InvalidReport):
            Fleet().consume(text)
    fleet = Fleet(lenient=True)
    for text in lines:
        fleet.consume(text)
    state = fleet.states["CP-1"]
    assert state.evse_reports[2, 1].status is ConnectorState.FAULTED
    assert state.charging_states[1] is ChargingState.CHARGING
    assert sum(state.repair_counts.values()) == 2
    stepped = StationState()
    repairs: list[int] = []
    for item in read_log(lines):
        assert not isinstance(item, BadLine)
        step = stepped.step(item.item, at=item.received, lenient=True)
        stepped = step.state
        repairs.append(len(step.repairs))
    assert repairs == [0, 1, 1]
    assert stepped == state


def test_a_step_orders_a_2x_report_by_its_receive_time_where_its_clock_is_off() -> None:
    behind = Report2(
        evse_id=1,
        connector_id=1,
        status=ConnectorState.AVAILABLE,
        timestamp=T0 - timedelta(days=30),
    )
    step = StationState().step(behind, at=T0)
    assert step.state.order_times == {(1, 1): T0}
    later = step.state.step(
        Report2(
            evse_id=1,
            connector_id=1,
            status=ConnectorState.FAULTED,
            timestamp=T0 + timedelta(minutes=1),
        ),
        at=T0 + timedelta(minutes=1),
    )
    # Held in order_times once there, its own time now.
    assert later.state.order_times == {(1, 1): T0 + timedelta(minutes=1)}
    assert later.taken


def test_a_16_message_is_an_item_too() -> None:
    payload = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
    message = Message(
        number=1,
        station="CP-1",
        received=None,
        action="StatusNotification",
        payload=payload,
    )
    assert message.item == payload
    assert StationState().step(message).state == StationState().step(payload).state


def test_order_times_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="order_times"):
        StationState(order_times=[1])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
