from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    Anomaly,
    AnomalyKind,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    InvalidReport,
    PlatformEvent,
    Reason,
    StationState,
    StationStatus,
)
from evstatus.history import KEPT_ANOMALIES
from evstatus.ocpp16 import latest_reports
from evstatus.rules import (
    TRANSITIONS,
)
from evstatus.testing.strategies import connector_sessions

S = ChargePointStatus
T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def report(
    connector_id: int, status: S, minute: int | None = None, **extra: object
) -> ConnectorReport:
    timestamp = None if minute is None else T0 + minute * MINUTE
    return ConnectorReport(
        connector_id=connector_id,
        status=status,
        timestamp=timestamp,
        **extra,  # type: ignore[arg-type]
    )


def without_anomalies(state: StationState) -> StationState:
    return attrs.evolve(state, anomaly_counts={}, recent_anomalies=())


# --- a new state and platform events ----------------------------------------


def test_a_new_state_has_heard_nothing() -> None:
    state = StationState()
    assert dict(state.reports) == {}
    assert (state.enabled, state.removed, state.connected) == (True, False, False)
    assert state.last_heard is None
    assert state.anomaly_count == 0
    assert state.recent_anomalies == ()
    view = state.view()
    assert (view.status, view.reason) == (StationStatus.OFFLINE, Reason.OFFLINE)


@pytest.mark.parametrize(
    ("events", "flags"),
    [
        ([PlatformEvent.CONNECTED], (True, False, True)),
        ([PlatformEvent.HEARD], (True, False, True)),
        ([PlatformEvent.CONNECTED, PlatformEvent.DISCONNECTED], (True, False, False)),
        ([PlatformEvent.DISCONNECTED, PlatformEvent.HEARD], (True, False, True)),
        ([PlatformEvent.DISABLED], (False, False, False)),
        ([PlatformEvent.DISABLED, PlatformEvent.ENABLED], (True, False, False)),
        ([PlatformEvent.REMOVED], (True, True, False)),
        # Removed is for good: nothing brings a station back.
        ([PlatformEvent.REMOVED, PlatformEvent.ENABLED], (True, True, False)),
        ([PlatformEvent.REMOVED, PlatformEvent.CONNECTED], (True, True, True)),
    ],
)
def test_events_set_the_flags(
    events: list[PlatformEvent], flags: tuple[bool, bool, bool]
) -> None:
    state = StationState().fold(events)
    assert (state.enabled, state.removed, state.connected) == flags
    assert state.last_heard is None
    assert state.anomaly_count == 0


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([], StationStatus.AVAILABLE),  # the report itself was heard
        ([PlatformEvent.CONNECTED], StationStatus.AVAILABLE),
        ([PlatformEvent.DISCONNECTED], StationStatus.OFFLINE),
        ([PlatformEvent.DISABLED], StationStatus.INOPERATIVE),
        (
            [PlatformEvent.DISCONNECTED, PlatformEvent.DISABLED],
            StationStatus.INOPERATIVE,
        ),
        ([PlatformEvent.REMOVED], StationStatus.REMOVED),
        ([PlatformEvent.DISABLED, PlatformEvent.ENABLED], StationStatus.AVAILABLE),
    ],
)
def test_events_decide_the_station_status(
    events: list[PlatformEvent], status: StationStatus
) -> None:
    state = StationState().step(report(1, S.AVAILABLE)).state.fold(events)
    assert state.view().status is status


def test_every_event_kind_has_a_description() -> None:
    assert {event.value for event in PlatformEvent} == {
        "connected",
        "disconnected",
        "heard",
        "enabled",
        "disabled",
        "removed",
    }
    for event in PlatformEvent:
        assert event.description.endswith(".")
    for kind in AnomalyKind:
        assert kind.description.endswith(".")


def test_hearing_keeps_the_latest_time() -> None:
    state = StationState().step(PlatformEvent.HEARD, at=T0 + MINUTE).state
    assert state.last_heard == T0 + MINUTE
    earlier = state.step(PlatformEvent.CONNECTED, at=T0).state
    assert earlier.last_heard == T0 + MINUTE
    assert earlier is state  # nothing changed at all
    later = state.step(report(1, S.AVAILABLE), at=T0 + 2 * MINUTE).state
    assert later.last_heard == T0 + 2 * MINUTE
    assert later.step(PlatformEvent.DISCONNECTED).state.last_heard == T0 + 2 * MINUTE


def test_a_report_without_a_time_still_counts_as_heard() -> None:
    state = StationState().step(report(1, S.AVAILABLE)).state
    assert state.connected
    assert state.last_heard is None


# --- reports and anomalies ---------------------------------------------------


def test_a_defined_transition_is_no_anomaly() -> None:
    state = StationState().fold([report(1, S.AVAILABLE), report(1, S.PREPARING)])
    assert state.reports[1].status is S.PREPARING
    assert state.anomaly_count == 0


def test_the_same_state_again_is_no_anomaly() -> None:
    state = StationState().fold(
        [
            report(1, S.CHARGING, 1),
            report(1, S.CHARGING, 2),
            report(1, S.CHARGING, 3, error_code=ChargePointErrorCode.HIGH_TEMPERATURE),
        ]
    )
    assert state.reports[1].error_code is ChargePointErrorCode.HIGH_TEMPERATURE
    assert state.anomaly_count == 0


def test_an_undefined_transition_is_kept_and_recorded() -> None:
    state = StationState().fold([report(1, S.CHARGING, 1), report(1, S.PREPARING, 2)])
    assert state.reports[1].status is S.PREPARING
    assert dict(state.anomaly_counts) == {AnomalyKind.UNDEFINED_TRANSITION: 1}
    (anomaly,) = state.recent_anomalies
    assert anomaly == Anomaly(
        kind=AnomalyKind.UNDEFINED_TRANSITION,
        connector_id=1,
        status=S.PREPARING,
        previous=S.CHARGING,
        timestamp=T0 + 2 * MINUTE,
    )
    assert str(anomaly) == "connector 1: undefined transition Charging -> Preparing"


def test_connector_zero_goes_through_its_whole_machine_without_anomaly() -> None:
    states = [S.AVAILABLE, S.UNAVAILABLE, S.FAULTED, S.AVAILABLE, S.FAULTED]
    states += [S.UNAVAILABLE, S.AVAILABLE]
    zero = [ConnectorReport(connector_id=0, status=status) for status in states]
    assert StationState().fold(zero).anomaly_count == 0


def test_a_late_delivery_is_ignored_and_recorded() -> None:
    state = StationState().fold([report(1, S.CHARGING, 5), report(1, S.PREPARING, 4)])
    assert state.reports[1].status is S.CHARGING
    (anomaly,) = state.recent_anomalies
    assert anomaly.kind is AnomalyKind.LATE_DELIVERY
    assert (
        str(anomaly) == "connector 1: late Preparing report ignored (holding Charging)"
    )


def test_equal_timestamps_are_no_late_delivery() -> None:
    state = StationState().fold([report(1, S.CHARGING, 5), report(1, S.FINISHING, 5)])
    assert state.reports[1].status is S.FINISHING
    assert state.anomaly_count == 0


def test_an_exact_duplicate_is_not_taken_but_counts_as_hearing() -> None:
    first = StationState().step(report(1, S.CHARGING, 5), at=T0).state
    first = first.step(PlatformEvent.DISCONNECTED).state
    step = first.step(report(1, S.CHARGING, 5), at=T0 + MINUTE)
    second = step.state
    assert second.reports == first.reports
    assert not step.taken
    assert step.anomaly is not None
    (anomaly,) = second.recent_anomalies
    assert anomaly == step.anomaly
    assert anomaly.kind is AnomalyKind.DUPLICATE
    assert anomaly.at == T0 + MINUTE
    assert str(anomaly) == "connector 1: duplicate Charging report"
    # Any report is word from the station, even one that changes nothing else.
    assert (second.connected, second.last_heard) == (True, T0 + MINUTE)
    assert step.changed


def test_a_repeat_without_timestamp_after_a_disconnect_reconnects() -> None:
    # Failed before: the repeat counted as a duplicate only, and the station
    # stayed Offline although it had just been heard from.
    state = (
        StationState()
        .step(PlatformEvent.CONNECTED)
        .state.step(report(1, S.CHARGING))
        .state
    )
    state = (
        state.step(PlatformEvent.DISCONNECTED).state.step(report(1, S.CHARGING)).state
    )
    assert state.connected
    assert state.view().status is StationStatus.CHARGING


def test_connector_zero_with_a_forbidden_state_is_recorded_not_refused() -> None:
    payload = {
        "connectorId": 0,
        "errorCode": "NoError",
        "status": "Charging",
        "timestamp": "2026-06-01T08:03:00Z",
    }
    state = StationState().step(payload, at=T0).state
    assert dict(state.reports) == {}
    assert state.connected
    assert state.last_heard == T0
    (anomaly,) = state.recent_anomalies
    assert anomaly == Anomaly(
        kind=AnomalyKind.CONNECTOR_ZERO_STATUS,
        connector_id=0,
        status=S.CHARGING,
        timestamp=T0 + 3 * MINUTE,
        at=T0,
    )
    assert str(anomaly) == (
        "connector 0: status Charging is not allowed on connector 0; ignored (holding nothing)"
    )


@pytest.mark.parametrize(
    "payload",
    [
        # Other problems beside the connector-0 state: a bad payload, not an anomaly.
        {"connectorId": 0, "errorCode": "Oops", "status": "Charging"},
        {"connectorId": 0, "errorCode": "NoError", "status": "Charging", "x": 1},
        # Not connector 0, or not a state at all.
        {"connectorId": -1, "errorCode": "NoError", "status": "Charging"},
        {"connectorId": False, "errorCode": "NoError", "status": "Charging"},
        {"connectorId": 0, "errorCode": "NoError", "status": "charging"},
        {"connectorId": 0, "errorCode": "NoError", "status": 3},
        {"connectorId": 0, "errorCode": "NoError"},
        {"connectorId": 1, "errorCode": 7, "status": "Charging"},
    ],
)
def test_other_bad_payloads_raise(payload: dict[str, object]) -> None:
    with pytest.raises(InvalidReport):
        StationState().step(payload)


@pytest.mark.parametrize("item", [["not", "an", "object"], "Charging", 1, None])
def test_an_item_of_no_kind_a_state_takes_is_a_type_error(item: object) -> None:
    with pytest.raises(TypeError, match=r"^item: got .*, expected a ConnectorReport"):
        StationState().step(item)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^item: got "):
        StationState().fold([PlatformEvent.CONNECTED, item])  # type: ignore[list-item]


def test_a_forbidden_connector_zero_state_without_timestamp() -> None:
    payload = {"connectorId": 0, "errorCode": "NoError", "status": "Reserved"}
    (anomaly,) = StationState().step(payload).state.recent_anomalies
    assert anomaly.timestamp is None
    assert anomaly.status is S.RESERVED


def test_apply_ocpp_applies_a_good_payload() -> None:
    payload = {"connectorId": 2, "errorCode": "NoError", "status": "Finishing"}
    state = StationState().step(payload, at=T0).state
    assert state.reports[2] == ConnectorReport.from_ocpp(payload)
    assert state.last_heard == T0


def test_only_the_latest_anomalies_are_kept_but_all_are_counted() -> None:
    state = StationState().step(report(1, S.CHARGING, 100)).state
    for minute in range(KEPT_ANOMALIES + 5):
        state = state.step(report(1, S.AVAILABLE, minute)).state
    assert state.anomaly_count == KEPT_ANOMALIES + 5
    assert dict(state.anomaly_counts) == {AnomalyKind.LATE_DELIVERY: KEPT_ANOMALIES + 5}
    assert len(state.recent_anomalies) == KEPT_ANOMALIES
    assert state.recent_anomalies[-1].timestamp == T0 + (KEPT_ANOMALIES + 4) * MINUTE
    assert state.recent_anomalies[0].timestamp == T0 + 5 * MINUTE


def test_the_state_is_immutable_and_apply_leaves_it_alone() -> None:
    state = StationState()
    after = state.step(report(1, S.AVAILABLE)).state
    assert dict(state.reports) == {}
    assert after is not state
    with pytest.raises(AttributeError):
        state.enabled = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        after.reports[2] = report(2, S.AVAILABLE)  # type: ignore[index]


def test_states_compare_and_hash_by_value() -> None:
    one = StationState().step(report(1, S.AVAILABLE)).state
    two = StationState().step(report(1, S.AVAILABLE)).state
    assert one == two
    assert hash(one) == hash(two)
    assert "reports={1: ConnectorReport(" in repr(one)


@pytest.mark.parametrize(
    ("item", "at", "error", "field"),
    [
        ("Available", None, TypeError, "item"),
        (None, None, TypeError, "item"),
        (PlatformEvent.HEARD, datetime(2026, 1, 1), ValueError, "at"),  # noqa: DTZ001
        (PlatformEvent.HEARD, "2026-01-01T00:00:00Z", TypeError, "at"),
    ],
)
def test_bad_arguments_to_step(
    item: object, at: object, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=rf"^{field}: got "):
        StationState().step(item, at=at)  # type: ignore[arg-type]


def test_step_ocpp_checks_the_time_too() -> None:
    payload = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
    with pytest.raises(TypeError, match=r"^at: got 'now'"):
        StationState().step(payload, at="now")  # type: ignore[arg-type]


# --- online and the view -----------------------------------------------------


def test_online_by_connection_alone() -> None:
    state = StationState().step(PlatformEvent.CONNECTED, at=T0).state
    assert state.online()
    assert not state.step(PlatformEvent.DISCONNECTED).state.online()


def test_online_by_heartbeat() -> None:
    state = StationState().step(report(1, S.AVAILABLE), at=T0).state
    five = timedelta(minutes=5)
    assert state.online(now=T0 + 10 * MINUTE, heartbeat_interval=five)
    assert not state.online(now=T0 + 11 * MINUTE, heartbeat_interval=five)
    assert state.online(now=T0 + 11 * MINUTE, heartbeat_interval=five, tolerance=3)
    view = state.view(now=T0 + 11 * MINUTE, heartbeat_interval=five)
    assert view.status is StationStatus.OFFLINE
    assert dict(view.connectors) == {1: ConnectorStatus.UNAVAILABLE}
    # Disconnected is offline whatever the clock says.
    gone = state.step(PlatformEvent.DISCONNECTED).state
    assert not gone.online(now=T0, heartbeat_interval=five)


def test_online_without_a_receive_time_trusts_the_connection() -> None:
    five = timedelta(minutes=5)
    assert (
        StationState()
        .step(PlatformEvent.CONNECTED)
        .state.online(now=T0, heartbeat_interval=five)
    )
    assert not StationState().online(now=T0, heartbeat_interval=five)
    with pytest.raises(ValueError, match=r"^heartbeat_interval: got "):
        StationState().online(now=T0, heartbeat_interval=timedelta(0))


def test_a_heartbeat_check_needs_now() -> None:
    with pytest.raises(TypeError, match=r"^now: missing"):
        StationState().online(heartbeat_interval=timedelta(minutes=5))


def test_view_masks_by_connector_zero() -> None:
    state = StationState().fold(
        [
            report(1, S.CHARGING),
            report(2, S.AVAILABLE),
            ConnectorReport(connector_id=0, status=S.FAULTED),
        ]
    )
    view = state.view()
    assert (view.status, view.reason) == (
        StationStatus.OUT_OF_ORDER,
        Reason.MAIN_CONTROLLER_FAULTED,
    )
    assert dict(view.connectors) == {
        1: ConnectorStatus.FAULTED,
        2: ConnectorStatus.FAULTED,
    }


# --- properties ----------------------------------------------------------------

statuses = st.sampled_from(list(S))
items = st.one_of(
    st.builds(
        report,
        st.integers(min_value=1, max_value=3),
        statuses,
        st.none() | st.integers(min_value=0, max_value=30),
    ),
    st.builds(
        ConnectorReport,
        connector_id=st.just(0),
        status=st.sampled_from([S.AVAILABLE, S.UNAVAILABLE, S.FAULTED]),
    ),
    st.sampled_from(list(PlatformEvent)),
)
timed_items = st.lists(
    st.tuples(items, st.none() | st.integers(min_value=0, max_value=60)), max_size=30
)


def fold(
    steps: Sequence[tuple[ConnectorReport | PlatformEvent, int | None]],
) -> StationState:
    state = StationState()
    for item, minute in steps:
        state = state.step(
            item, at=None if minute is None else T0 + minute * MINUTE
        ).state
    return state


@given(timed_items)
def test_folding_is_deterministic(
    steps: list[tuple[ConnectorReport | PlatformEvent, int | None]],
) -> None:
    assert fold(steps) == fold(list(steps))


@given(timed_items, st.data())
def test_reapplying_a_duplicate_changes_only_the_anomalies(
    steps: list[tuple[ConnectorReport | PlatformEvent, int | None]], data: st.DataObject
) -> None:
    state = fold(steps)
    if not state.reports:
        state = state.step(report(1, S.AVAILABLE, 0)).state
    held = state.reports[data.draw(st.sampled_from(sorted(state.reports)))]
    again = state.step(held).state
    assert again.anomaly_count == state.anomaly_count + 1
    assert again.recent_anomalies[-1].kind is AnomalyKind.DUPLICATE
    # A duplicate is still word from the station: it counts as hearing.
    assert without_anomalies(again) == attrs.evolve(
        without_anomalies(state), connected=True
    )


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), statuses),
        min_size=1,
        max_size=12,
    ).flatmap(
        lambda pairs: st.permutations(
            [
                report(
                    connector_id,
                    status if connector_id else S.AVAILABLE,
                    minute,
                )
                for minute, (connector_id, status) in enumerate(pairs)
            ]
        ).map(lambda order: (pairs, order))
    )
)
def test_any_order_of_distinct_timestamps_ends_in_the_same_latest_state(
    case: tuple[list[tuple[int, S]], list[ConnectorReport]],
) -> None:
    pairs, order = case
    in_order = sorted(order, key=lambda r: r.timestamp or T0)
    state = StationState().fold(order)
    assert state.reports == StationState().fold(in_order).reports
    assert dict(state.reports) == latest_reports(in_order)
    assert len(pairs) == len(order)


@given(timed_items)
def test_latest_reports_agree_with_the_core_rule(
    steps: list[tuple[ConnectorReport | PlatformEvent, int | None]],
) -> None:
    # Without receive times, a state keeps exactly the latest-report rule; with
    # them it also guards against wrong clocks (tests/test_clocks.py).
    reports = [item for item, _ in steps if isinstance(item, ConnectorReport)]
    untimed = [(item, None) for item, _ in steps]
    assert dict(fold(untimed).reports) == latest_reports(reports)


@given(timed_items)
def test_with_right_clocks_receive_times_change_nothing(
    steps: list[tuple[ConnectorReport | PlatformEvent, int | None]],
) -> None:
    # Each report received no earlier than it was stamped, within a week: the
    # clock rules never apply, and the latest-report rule alone decides.
    timed = [
        (item, None if item.timestamp is None else item.timestamp)
        if isinstance(item, ConnectorReport)
        else (item, None)
        for item, _ in steps
    ]
    state = StationState()
    for item, at in timed:
        state = state.step(item, at=at).state
    reports = [item for item, _ in steps if isinstance(item, ConnectorReport)]
    assert dict(state.reports) == latest_reports(reports)
    assert not state.order_times


@given(st.lists(connector_sessions(connector_ids=st.integers(0, 3)), max_size=4))
def test_sessions_of_defined_transitions_fold_without_anomalies(
    sessions: list[list[ConnectorReport]],
) -> None:
    state = StationState()
    last: dict[int, ConnectorReport] = {}
    for session in sessions:
        # One session per connector: a second one would start out of the blue.
        if session[0].connector_id in last:
            continue
        state = state.fold(session)
        last[session[0].connector_id] = session[-1]
    assert state.anomaly_count == 0
    assert dict(state.reports) == last


class Fixed(tzinfo):
    """A tzinfo of our own, not datetime.timezone, with a fixed offset."""

    def utcoffset(self, _dt: datetime | None) -> timedelta:
        return timedelta(hours=2)

    def dst(self, _dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, _dt: datetime | None) -> str:
        return "+02"


def test_any_tzinfo_with_an_offset_will_do() -> None:
    at = datetime(2026, 6, 1, 10, 0, tzinfo=Fixed())
    state = StationState().step(PlatformEvent.HEARD, at=at).state
    assert state.last_heard == T0


def _report_at(
    connector_id: int, status: ChargePointStatus, when: datetime | None = None
) -> ConnectorReport:
    return ConnectorReport(connector_id=connector_id, status=status, timestamp=when)


# --- a state is checked and copied --------------------------------------------


def test_a_state_copies_the_mapping_it_is_given() -> None:
    given = {1: _report_at(1, S.CHARGING)}
    state = StationState(reports=given, connected=True)
    given[2] = _report_at(2, S.AVAILABLE)
    assert list(state.view().connectors) == [1]


def test_a_report_filed_under_another_connector_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^reports: got 5, expected the key"):
        StationState(reports={5: _report_at(1, S.CHARGING)})


@pytest.mark.parametrize(
    ("kwargs", "error", "start"),
    [
        ({"connected": "yes"}, TypeError, "connected: got 'yes'"),
        ({"enabled": 1}, TypeError, "enabled: got 1"),
        ({"removed": None}, TypeError, "removed: got None"),
        ({"reports": [1]}, TypeError, "reports: got <list of 1>"),
        ({"reports": {1: "Charging"}}, TypeError, "reports[1]: got 'Charging'"),
        ({"reports": {"1": _report_at(1, S.CHARGING)}}, ValueError, "reports: got '1'"),
        ({"last_heard": datetime(2026, 1, 1)}, ValueError, "last_heard: got"),  # noqa: DTZ001
        ({"anomaly_counts": [1]}, TypeError, "anomaly_counts: got <list of 1>"),
        ({"anomaly_counts": {"late_delivery": 1}}, TypeError, "anomaly_counts: got"),
        (
            {"anomaly_counts": {AnomalyKind.DUPLICATE: 1.5}},
            TypeError,
            "anomaly_counts[duplicate]: got 1.5",
        ),
        (
            {"anomaly_counts": {AnomalyKind.DUPLICATE: 0}},
            ValueError,
            "anomaly_counts[duplicate]: got 0",
        ),
        ({"recent_anomalies": "x"}, TypeError, "recent_anomalies: got 'x'"),
        ({"recent_anomalies": [None]}, TypeError, "recent_anomalies[0]: got None"),
    ],
)
def test_a_state_names_the_field_it_cannot_take(
    kwargs: dict[str, object], error: type[Exception], start: str
) -> None:
    # Failed before: StationState(connected="yes").view() blamed `online`.
    with pytest.raises(error) as caught:
        StationState(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(start)


def test_a_state_keeps_what_is_valid_in_its_own_form() -> None:
    anomaly = Anomaly(kind=AnomalyKind.DUPLICATE, connector_id=1, status=S.CHARGING)
    plus_two = datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Europe/Helsinki"))
    state = StationState(
        last_heard=plus_two,
        anomaly_counts={AnomalyKind.LATE_DELIVERY: 2, AnomalyKind.DUPLICATE: 1},
        recent_anomalies=(anomaly,) * 30,
    )
    assert state.last_heard is not None
    assert state.last_heard.tzinfo is UTC
    assert list(state.anomaly_counts) == [
        AnomalyKind.LATE_DELIVERY,
        AnomalyKind.DUPLICATE,
    ]
    assert len(state.recent_anomalies) == 20
    assert state == StationState(
        last_heard=plus_two,
        anomaly_counts={AnomalyKind.DUPLICATE: 1, AnomalyKind.LATE_DELIVERY: 2},
        recent_anomalies=(anomaly,) * 20,
    )
    assert StationState(reports=state.reports) == StationState()


def test_a_state_cannot_be_changed() -> None:
    state = StationState()
    with pytest.raises(AttributeError):
        state.connected = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.reports[1] = _report_at(1, S.CHARGING)  # type: ignore[index]


# --- a step says what happened ------------------------------------------------


def test_a_step_names_the_transition_it_made() -> None:
    state = StationState().step(_report_at(1, S.AVAILABLE)).state
    step = state.step(_report_at(1, S.PREPARING))
    assert (step.taken, step.previous, step.anomaly, step.changed) == (
        True,
        S.AVAILABLE,
        None,
        True,
    )
    assert step.transition is TRANSITIONS["A2"]
    assert step.before is state
    assert step.item == _report_at(1, S.PREPARING)


def test_a_step_reports_undefined_and_late_reports() -> None:
    t0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
    state = (
        StationState()
        .step(PlatformEvent.CONNECTED)
        .state.step(_report_at(1, S.CHARGING, t0))
        .state
    )
    undefined = state.step(_report_at(1, S.PREPARING, t0))
    assert undefined.taken
    assert undefined.transition is None
    assert undefined.anomaly is not None
    assert undefined.anomaly.kind is AnomalyKind.UNDEFINED_TRANSITION
    assert undefined.changed
    late = state.step(_report_at(1, S.FINISHING, t0 - timedelta(minutes=1)))
    assert not late.taken
    assert late.anomaly is not None
    assert late.anomaly.kind is AnomalyKind.LATE_DELIVERY
    assert not late.changed
    assert late.state.reports == state.reports


def test_a_same_state_report_is_taken_without_changing_the_view() -> None:
    t0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
    state = (
        StationState()
        .step(PlatformEvent.CONNECTED)
        .state.step(_report_at(1, S.CHARGING, t0))
        .state
    )
    again = state.step(_report_at(1, S.CHARGING, t0 + timedelta(minutes=1)))
    assert again.taken
    assert not again.changed
    assert again.state.view() == state.view()


@pytest.mark.parametrize(
    ("events", "event", "changed"),
    [
        ([], PlatformEvent.CONNECTED, True),
        ([PlatformEvent.CONNECTED], PlatformEvent.HEARD, False),
        ([PlatformEvent.CONNECTED], PlatformEvent.DISCONNECTED, True),
        ([], PlatformEvent.DISCONNECTED, False),
        ([], PlatformEvent.ENABLED, False),
        ([PlatformEvent.DISABLED], PlatformEvent.ENABLED, True),
        ([], PlatformEvent.DISABLED, True),
        ([PlatformEvent.DISABLED], PlatformEvent.DISABLED, False),
        ([], PlatformEvent.REMOVED, True),
        ([PlatformEvent.REMOVED], PlatformEvent.REMOVED, False),
    ],
)
def test_an_event_step_says_whether_the_view_changed(
    events: list[PlatformEvent], event: PlatformEvent, changed: bool
) -> None:
    state = StationState(reports={1: _report_at(1, S.AVAILABLE)}).fold(events)
    step = state.step(event)
    assert step.changed is changed
    assert (step.state.view() != state.view()) is changed
    assert (step.taken, step.anomaly, step.item) == (False, None, event)


def test_a_forbidden_connector_zero_state_names_the_state_held() -> None:
    # Failed before: previous was None although connector 0 held a state.
    state = (
        StationState().step(ConnectorReport(connector_id=0, status=S.UNAVAILABLE)).state
    )
    step = state.step({"connectorId": 0, "errorCode": "NoError", "status": "Charging"})
    assert step.anomaly is not None
    assert step.anomaly.previous is S.UNAVAILABLE
    assert str(step.anomaly).endswith("ignored (holding Unavailable)")
    assert step.item is None
    assert not step.taken


def test_a_connector_zero_payload_with_another_fault_is_refused() -> None:
    # Decided by parsing, not by reading an error's text.
    payload = {"connectorId": 0, "errorCode": "Nope", "status": "Charging"}
    with pytest.raises(InvalidReport):
        StationState().step(payload)


def test_every_anomaly_kind_has_a_template() -> None:
    for kind in AnomalyKind:
        text = str(
            Anomaly(kind=kind, connector_id=3, status=S.FAULTED, previous=S.AVAILABLE)
        )
        assert text.startswith("connector 3: ")
        assert "Faulted" in text
