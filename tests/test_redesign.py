"""What the layout promises: a small namespace, checked and copied state,
instants in UTC, pickling, the fleet fold, and rules as data.

Each test here failed on the layout before it (see the CHANGELOG).
"""

from __future__ import annotations

import copy
import importlib
import pickle
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import pytest

import evstatus
from evstatus import (
    Anomaly,
    AnomalyKind,
    ChargePointStatus,
    ConnectorReport,
    EvstatusError,
    Fleet,
    InvalidReport,
    PlatformEvent,
    StationState,
    StationStatus,
    derive_station,
    ocpp201,
)
from evstatus._core import Flags
from evstatus._enums import DescribedEnum, describe
from evstatus.exceptions import Problem
from evstatus.history import is_online
from evstatus.log import read_log
from evstatus.ocpi import EvseStatus, evse_status
from evstatus.ocpp16 import supersedes
from evstatus.rules import (
    OCPI_BLOCKED,
    OCPI_FLAG_RULES,
    STATION_RULES,
    TRANSITIONS,
    OcpiFacts,
)

from .folding import timeline

S = ChargePointStatus
BERLIN = ZoneInfo("Europe/Berlin")
MODULES = [
    "evstatus.ocpp16",
    "evstatus.ocpp201",
    "evstatus.ocpi",
    "evstatus.history",
    "evstatus.log",
    "evstatus.rules",
    "evstatus.exceptions",
]


def report(
    connector_id: int, status: S, when: datetime | None = None
) -> ConnectorReport:
    return ConnectorReport(connector_id=connector_id, status=status, timestamp=when)


# --- the namespace -----------------------------------------------------------------


def test_the_top_level_namespace_is_small() -> None:
    assert len(evstatus.__all__) <= 21


@pytest.mark.parametrize("name", MODULES)
def test_every_domain_module_exports_real_names(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__
    for exported in module.__all__:
        assert hasattr(module, exported), (name, exported)


def test_one_concept_has_one_name_in_both_protocol_modules() -> None:
    ocpp16 = importlib.import_module("evstatus.ocpp16")
    for shared in (
        "ConnectorReport",
        "StatusNotificationPayload",
        "StationView",
        "connector_status",
        "derive_station",
        "latest_reports",
        "station_status",
        "supersedes",
    ):
        assert shared in ocpp16.__all__
        assert shared in ocpp201.__all__
    assert ocpp16.derive_station is derive_station
    assert ocpp16.StationView is ocpp201.StationView


# --- the state is checked and copied -------------------------------------------------


def test_a_state_copies_the_mapping_it_is_given() -> None:
    given = {1: report(1, S.CHARGING)}
    state = StationState(reports=given, connected=True)
    given[2] = report(2, S.AVAILABLE)
    assert list(state.view().connectors) == [1]


def test_a_report_filed_under_another_connector_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^reports: got 5, expected the key"):
        StationState(reports={5: report(1, S.CHARGING)})


@pytest.mark.parametrize(
    ("kwargs", "error", "start"),
    [
        ({"connected": "yes"}, TypeError, "connected: got 'yes'"),
        ({"enabled": 1}, TypeError, "enabled: got 1"),
        ({"removed": None}, TypeError, "removed: got None"),
        ({"reports": [1]}, TypeError, "reports: got <list of 1>"),
        ({"reports": {1: "Charging"}}, TypeError, "reports[1]: got 'Charging'"),
        ({"reports": {"1": report(1, S.CHARGING)}}, ValueError, "reports: got '1'"),
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
        state.reports[1] = report(1, S.CHARGING)  # type: ignore[index]


# --- the step says what happened ----------------------------------------------------


def test_a_step_names_the_transition_it_made() -> None:
    state = StationState().step(report(1, S.AVAILABLE)).state
    step = state.step(report(1, S.PREPARING))
    assert (step.taken, step.previous, step.anomaly, step.changed) == (
        True,
        S.AVAILABLE,
        None,
        True,
    )
    assert step.transition is TRANSITIONS["A2"]
    assert step.before is state
    assert step.item == report(1, S.PREPARING)


def test_a_step_reports_undefined_and_late_reports() -> None:
    t0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
    state = (
        StationState()
        .step(PlatformEvent.CONNECTED)
        .state.step(report(1, S.CHARGING, t0))
        .state
    )
    undefined = state.step(report(1, S.PREPARING, t0))
    assert undefined.taken
    assert undefined.transition is None
    assert undefined.anomaly is not None
    assert undefined.anomaly.kind is AnomalyKind.UNDEFINED_TRANSITION
    assert undefined.changed
    late = state.step(report(1, S.FINISHING, t0 - timedelta(minutes=1)))
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
        .state.step(report(1, S.CHARGING, t0))
        .state
    )
    again = state.step(report(1, S.CHARGING, t0 + timedelta(minutes=1)))
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
    state = StationState(reports={1: report(1, S.AVAILABLE)}).fold(events)
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


# --- instants in UTC ------------------------------------------------------------------

# 2026-10-25, 03:00 CEST: Berlin's clocks go back to 02:00 CET, so 02:00-03:00
# happens twice: fold=0 is the first time (UTC+2), fold=1 the second (UTC+1).
FIRST_0250 = datetime(2026, 10, 25, 2, 50, tzinfo=BERLIN)  # 00:50 UTC
SECOND_0210 = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)  # 01:10 UTC
SECOND_0250 = datetime(2026, 10, 25, 2, 50, fold=1, tzinfo=BERLIN)  # 01:50 UTC
SECOND_0255 = datetime(2026, 10, 25, 2, 55, fold=1, tzinfo=BERLIN)  # 01:55 UTC


def test_the_fold_instants_are_what_the_comments_say() -> None:
    assert [t.astimezone(UTC).strftime("%H:%M") for t in (FIRST_0250, SECOND_0210)] == [
        "00:50",
        "01:10",
    ]


def test_a_newer_report_across_a_fold_is_not_taken_for_a_late_one() -> None:
    # Failed before: compared by wall clock, 02:10 looked older than 02:50.
    older = report(1, S.CHARGING, FIRST_0250)
    newer = report(1, S.FINISHING, SECOND_0210)
    assert supersedes(newer, older)
    assert (
        derive_station([older, newer]).connectors[1]
        is evstatus.ConnectorStatus.OCCUPIED
    )
    assert StationState().step(older).state.step(newer).taken


def test_reports_an_hour_apart_are_not_duplicates() -> None:
    # Failed before: same wall clock, same zone: equal, so a duplicate.
    first = report(1, S.CHARGING, FIRST_0250)
    second = report(1, S.CHARGING, SECOND_0250)
    assert first != second
    step = StationState().step(first).state.step(second)
    assert step.anomaly is None
    assert step.taken


def test_is_online_measures_real_time_across_a_fold() -> None:
    # 65 minutes of silence, though the wall clock moved five.
    every = timedelta(minutes=5)
    assert not is_online(FIRST_0250, SECOND_0255, heartbeat_interval=every)
    state = StationState().step(PlatformEvent.CONNECTED, at=FIRST_0250).state
    assert not state.online(now=SECOND_0255, heartbeat_interval=every)
    # Equality across zones is never true for a time in the fold (PEP 495),
    # one more reason to hold instants in UTC.
    assert state.last_heard == FIRST_0250.astimezone(UTC)
    assert state.last_heard is not None
    assert state.last_heard.tzinfo is UTC


def test_receive_times_across_a_fold_keep_the_later_instant() -> None:
    state = StationState().step(PlatformEvent.HEARD, at=FIRST_0250).state
    state = state.step(PlatformEvent.HEARD, at=SECOND_0210).state
    assert state.last_heard == SECOND_0210.astimezone(UTC)


def test_ocpp201_reports_compare_as_instants_too() -> None:
    def at(when: datetime, status: ocpp201.ConnectorState) -> ocpp201.ConnectorReport:
        return ocpp201.ConnectorReport(
            evse_id=1, connector_id=1, status=status, timestamp=when
        )

    older = at(FIRST_0250, ocpp201.ConnectorState.OCCUPIED)
    newer = at(SECOND_0210, ocpp201.ConnectorState.FAULTED)
    assert ocpp201.latest_reports([older, newer]) == {(1, 1): newer}
    assert ocpp201.derive_station([older, newer]).status is StationStatus.OUT_OF_ORDER


# --- pickling and copying --------------------------------------------------------------


def _values() -> list[object]:
    t0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
    state = (
        StationState()
        .step(PlatformEvent.CONNECTED, at=t0)
        .state.step(report(1, S.CHARGING, t0), at=t0)
        .state.step(report(1, S.PREPARING, t0), at=t0)
        .state
    )
    fleet = Fleet()
    fleet.feed("CP-1", report(1, S.CHARGING))
    (change,) = timeline(fleet, ['{"station": "CP-2", "event": "disabled"}'])
    (line,) = read_log(['{"station": "CP-2", "event": "disabled"}'])
    (bad,) = read_log(["[2]"])
    ocpp2 = ocpp201.ConnectorReport(
        evse_id=1,
        connector_id=1,
        status=ocpp201.ConnectorState.OCCUPIED,
        timestamp=t0,
        custom_data={"vendorId": "acme", "extra": [1, {"a": 2}]},
    )
    return [
        report(1, S.CHARGING, t0),
        ocpp2,
        derive_station([report(1, S.CHARGING)]),
        ocpp201.derive_station([ocpp2]),
        state,
        state.step(report(1, S.CHARGING)),
        state.recent_anomalies[0],
        Flags(online=False),
        TRANSITIONS["A2"],
        STATION_RULES[3],
        OCPI_FLAG_RULES[1],
        OcpiFacts(removed=False, planned=False, enabled=True, online=True),
        Problem(field="status", value="x", expected="a state"),
        line,
        bad,
        change,
        fleet,
        fleet.settings,
    ]


@pytest.mark.parametrize("value", _values(), ids=lambda v: type(v).__name__)
def test_value_objects_pickle_and_deep_copy(value: object) -> None:
    # Failed before for states, views and 2.0.1 reports with customData
    # ("cannot pickle 'mappingproxy' object").
    for clone in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):
        assert type(clone) is type(value)
        if isinstance(value, Fleet):
            assert isinstance(clone, Fleet)
            assert clone.views() == value.views()
        else:
            assert clone == value


@pytest.mark.parametrize(
    "error",
    [
        InvalidReport([Problem(field="status", value="x", expected="a state")]),
        InvalidReport(
            [Problem(field="<line>", value=None, expected="JSON", missing=True)],
            what="line",
        ),
        EvstatusError("something"),
    ],
)
def test_exceptions_pickle_and_deep_copy(error: EvstatusError) -> None:
    # Failed before: InvalidReport came back as "i n v a l i d ...".
    for clone in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert type(clone) is type(error)
        assert str(clone) == str(error)
        if isinstance(error, InvalidReport):
            assert isinstance(clone, InvalidReport)
            assert clone.problems == error.problems
            assert clone.what == error.what


def test_invalid_report_is_an_evstatus_error_and_a_value_error() -> None:
    assert issubclass(InvalidReport, EvstatusError)
    assert issubclass(InvalidReport, ValueError)


# --- the fleet fold -----------------------------------------------------------------------


def test_a_service_feeds_payloads_and_reads_every_view_with_ocpi() -> None:
    fleet = Fleet()
    t0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
    fleet.feed("CP-2", PlatformEvent.CONNECTED, at=t0)
    fleet.feed("CP-1", PlatformEvent.CONNECTED, at=t0)
    fleet.feed(
        "CP-1", {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}, at=t0
    )
    fleet.feed(
        "CP-2", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}, at=t0
    )
    fleet.feed("CP-2", PlatformEvent.DISABLED, at=t0)
    views = fleet.views()
    assert list(views) == ["CP-1", "CP-2"]
    assert views["CP-1"].ocpi_statuses() == {1: EvseStatus.CHARGING}
    assert views["CP-2"].status is StationStatus.INOPERATIVE
    assert views["CP-2"].ocpi_statuses() == {1: EvseStatus.INOPERATIVE}
    assert fleet.clock == t0
    assert fleet.view("CP-9").status is StationStatus.OFFLINE


def test_with_heartbeats_the_station_and_ocpi_status_agree() -> None:
    fleet = Fleet(heartbeat_interval=timedelta(minutes=5))
    t0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
    fleet.feed("quiet", report(1, S.AVAILABLE), at=t0)
    fleet.feed("busy", report(1, S.AVAILABLE), at=t0 + timedelta(hours=1))
    quiet = fleet.view("quiet")
    assert quiet.status is StationStatus.OFFLINE
    assert quiet.ocpi_statuses() == {1: EvseStatus.UNKNOWN}
    assert fleet.view("busy").ocpi_statuses() == {1: EvseStatus.AVAILABLE}


def test_a_bad_payload_changes_nothing_in_the_fleet() -> None:
    fleet = Fleet()
    with pytest.raises(InvalidReport):
        fleet.feed("CP-1", {"connectorId": 1}, at=datetime(2026, 6, 1, tzinfo=UTC))
    assert fleet.states == {}
    assert fleet.clock is None


def test_a_skipped_line_makes_no_station() -> None:
    fleet = Fleet()
    line = '[2, "1", "Reset", {"type": "Soft"}]'
    assert list(read_log([line])) == []
    fleet.consume(line)
    assert timeline(fleet, [line]) == [None]
    assert fleet.views() == {}


@pytest.mark.parametrize(
    ("kwargs", "error", "start"),
    [
        ({"default_station": ""}, ValueError, "default_station: got ''"),
        ({"default_station": " "}, ValueError, "default_station: got ' '"),
        ({"default_station": None}, TypeError, "default_station: got None"),
        ({"heartbeat_interval": timedelta(0)}, ValueError, "heartbeat_interval: got"),
        (
            {"heartbeat_interval": timedelta(minutes=5), "tolerance": 0.5},
            ValueError,
            "tolerance: got 0.5",
        ),
    ],
)
def test_a_fleet_refuses_bad_settings_at_once(
    kwargs: dict[str, object], error: type[Exception], start: str
) -> None:
    with pytest.raises(error) as caught:
        Fleet(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(start)


@pytest.mark.parametrize(("station", "error"), [("", ValueError), (7, TypeError)])
def test_a_fleet_refuses_a_bad_station_id(
    station: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^station: got "):
        Fleet().feed(station, PlatformEvent.CONNECTED)  # type: ignore[arg-type]


# --- rules as data ---------------------------------------------------------------------


def test_blocked_follows_its_table() -> None:
    for state in S:
        plain = evse_status(state)
        assert evse_status(state, blocked=True) is OCPI_BLOCKED.get(plain, plain)


def test_every_anomaly_kind_has_a_template() -> None:
    for kind in AnomalyKind:
        text = str(
            Anomaly(kind=kind, connector_id=3, status=S.FAULTED, previous=S.AVAILABLE)
        )
        assert text.startswith("connector 3: ")
        assert "Faulted" in text


def _enums() -> list[type[StrEnum]]:
    return [
        S,
        evstatus.ChargePointErrorCode,
        evstatus.ConnectorStatus,
        StationStatus,
        evstatus.Reason,
        PlatformEvent,
        AnomalyKind,
        ocpp201.ConnectorState,
        ocpp201.ChargingState,
        EvseStatus,
    ]


@pytest.mark.parametrize("enum", _enums(), ids=lambda e: e.__name__)
def test_every_enum_is_described_through_the_one_base(enum: type[StrEnum]) -> None:
    assert issubclass(enum, DescribedEnum)
    for member in enum:
        assert isinstance(member, DescribedEnum)
        assert member.description


def test_describe_refuses_a_table_that_leaves_a_member_out() -> None:
    class Two(DescribedEnum):
        ONE = "one"
        TWO = "two"

    with pytest.raises(AssertionError, match="Two: describe every member"):
        describe(Two, {Two.ONE: "The first."})
    with pytest.raises(AssertionError):
        describe(Two, {Two.ONE: "The first.", Two.TWO: ""})


def test_lazy_names_load_on_first_use_and_unknown_names_fail() -> None:
    assert evstatus.Fleet is importlib.import_module("evstatus.log").Fleet
    assert "Fleet" in dir(evstatus)
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = evstatus.Nope  # type: ignore[attr-defined]
    ocpp16 = importlib.import_module("evstatus.ocpp16")
    assert ocpp16.Repair is importlib.import_module("evstatus.ocpp201").Repair
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = ocpp16.Nope


def test_rule_rows_show_what_decides_them() -> None:
    assert repr(STATION_RULES[0]) == (
        "StationRule(number=1, status=<StationStatus.REMOVED: 'Removed'>)"
    )
    assert repr(OCPI_FLAG_RULES[0]).startswith(
        "OcpiFlagRule(status=<EvseStatus.REMOVED: 'REMOVED'>, condition="
    )


def test_a_heartbeat_fleet_says_nothing_of_a_line_that_changes_nothing() -> None:
    fleet = Fleet(heartbeat_interval=timedelta(minutes=5))
    line = '{"station": "A", "received": "2026-06-01T08:00:00Z", "event": "connected"}'
    again = '{"station": "A", "received": "2026-06-01T08:01:00Z", "event": "heard"}'
    first, second = timeline(fleet, [line, again])
    assert first is not None
    assert second is None


@pytest.mark.parametrize(
    ("charging_states", "error", "start"),
    [
        ({0: ocpp201.ChargingState.IDLE}, ValueError, "charging_states: got 0"),
        ({1: "Charging"}, TypeError, "charging_states[1]: got 'Charging'"),
        ({"1": ocpp201.ChargingState.IDLE}, TypeError, "charging_states: got '1'"),
    ],
)
def test_charging_states_are_checked_one_by_one(
    charging_states: dict[object, object], error: type[Exception], start: str
) -> None:
    with pytest.raises(error) as caught:
        ocpp201.derive_station([], charging_states=charging_states)  # type: ignore[arg-type]
    assert str(caught.value).startswith(start)
