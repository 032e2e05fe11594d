"""Station status from OCPP 2.0.1 reports: every small station, against a hand-written
reading of the station rules for OCPP 2 input (docs/interop.md spells it out)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    InvalidReport,
    Reason,
    StationStatus,
    StationView,
    derive_station,
    ocpp201,
)
from evstatus.ocpp201 import ChargingState, to_ocpp16

O2 = ocpp201.ConnectorState
T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
Key = tuple[int, int]

IN_TRANSACTION = {"Charging", "SuspendedEV", "SuspendedEVSE"}


def reference(
    connectors: Mapping[Key, str],
    states: Mapping[int, str],
    station: str | None,
    *,
    online: bool,
    enabled: bool,
    removed: bool,
) -> tuple[str, str]:
    """The station rules read for OCPP 2, in plain strings, from the docs' table."""
    if removed:
        return "Removed", "removed"
    if not enabled:
        return "Inoperative", "not_enabled"
    if not online:
        return "Offline", "offline"
    if station == "Faulted":
        return "Out of Order", "main_controller_faulted"
    if station == "Unavailable":
        return "Unavailable", "main_controller_unavailable"
    if not connectors:
        return "Unknown", "no_connector_reports"
    values = set(connectors.values())
    if "Available" in values:
        return "Available", "connector_available"
    if all(
        status == "Occupied" and states.get(key[0]) in IN_TRANSACTION
        for key, status in connectors.items()
    ):
        return "Charging", "all_connectors_charging"
    if values <= {"Faulted", "Unavailable"} and "Faulted" in values:
        return "Out of Order", "connectors_out_of_order"
    if values == {"Reserved"}:
        return "Reserved", "all_connectors_reserved"
    return "Unavailable", "no_connector_available"


def reference_connector(status: str, station: str | None, *, in_service: bool) -> str:
    if not in_service:
        return "Unavailable"
    own = {"Available": "Available", "Occupied": "Occupied", "Faulted": "Faulted"}.get(
        status, "Unavailable"
    )
    if station == "Faulted":
        return "Faulted"
    if station == "Unavailable" and own != "Faulted":
        return "Unavailable"
    return own


def report(key: Key, status: O2, at: datetime = T0) -> ocpp201.ConnectorReport:
    return ocpp201.ConnectorReport(
        evse_id=key[0], connector_id=key[1], status=status, timestamp=at
    )


def check(
    positions: Sequence[Key],
    choice: Sequence[O2 | None],
    states: Mapping[int, ChargingState],
    station: O2 | None,
    flags: tuple[bool, bool, bool],
) -> None:
    online, enabled, removed = flags
    reports = [
        report(key, status)
        for key, status in zip(positions, choice, strict=True)
        if status is not None
    ]
    view = ocpp201.derive_station(
        reports,
        charging_states=states,
        station_state=station,
        online=online,
        enabled=enabled,
        removed=removed,
    )
    connectors = {r.connector: r.status.value for r in reports}
    station_text = None if station is None else station.value
    expected = reference(
        connectors,
        {evse: state.value for evse, state in states.items()},
        station_text,
        online=online,
        enabled=enabled,
        removed=removed,
    )
    assert (view.status.value, view.reason.value) == expected
    in_service = online and enabled and not removed
    assert {key: shown.value for key, shown in view.connectors.items()} == {
        key: reference_connector(status, station_text, in_service=in_service)
        for key, status in connectors.items()
    }
    assert list(view.connectors) == sorted(connectors)
    assert (
        ocpp201.station_status(
            reports,
            charging_states=states,
            station_state=station,
            online=online,
            enabled=enabled,
            removed=removed,
        )
        is view.status
    )


CHOICES: list[O2 | None] = [None, *O2]
STATE_CHOICES: list[ChargingState | None] = [None, *ChargingState]
STATIONS: list[O2 | None] = [None, O2.AVAILABLE, O2.UNAVAILABLE, O2.FAULTED]
FLAGS = list(itertools.product([True, False], repeat=3))


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize("station", STATIONS)
def test_every_two_evse_station(
    flags: tuple[bool, bool, bool], station: O2 | None
) -> None:
    positions = [(1, 1), (2, 1)]
    for choice in itertools.product(CHOICES, repeat=2):
        for first, second in itertools.product(STATE_CHOICES, repeat=2):
            states = {
                evse: state
                for evse, state in ((1, first), (2, second))
                if state is not None
            }
            check(positions, choice, states, station, flags)


@pytest.mark.parametrize("station", STATIONS)
def test_every_station_with_two_connectors_on_one_evse(station: O2 | None) -> None:
    # (1, 1) and (1, 2) share EVSE 1's charging state.
    positions = [(1, 1), (1, 2), (2, 1)]
    for choice in itertools.product(CHOICES, repeat=3):
        for first, second in itertools.product(STATE_CHOICES, repeat=2):
            states = {
                evse: state
                for evse, state in ((1, first), (2, second))
                if state is not None
            }
            check(positions, choice, states, station, (True, True, False))


def test_occupied_without_a_charging_state_is_not_charging() -> None:
    reports = [report((1, 1), O2.OCCUPIED), report((2, 1), O2.OCCUPIED)]
    view = ocpp201.derive_station(reports)
    assert view.status is StationStatus.UNAVAILABLE
    assert view.reason is Reason.NO_CONNECTOR_AVAILABLE
    # A charging state for one EVSE is not enough; for both, it is.
    half = {1: ChargingState.CHARGING}
    assert ocpp201.station_status(reports, charging_states=half) is (
        StationStatus.UNAVAILABLE
    )
    both = {1: ChargingState.CHARGING, 2: ChargingState.SUSPENDED_EV}
    assert ocpp201.station_status(reports, charging_states=both) is (
        StationStatus.CHARGING
    )
    assert dict(view.connectors) == {
        (1, 1): ConnectorStatus.OCCUPIED,
        (2, 1): ConnectorStatus.OCCUPIED,
    }


@given(
    st.lists(
        st.tuples(
            st.sampled_from([(1, 1), (1, 2), (2, 1), (3, 7)]),
            st.sampled_from(list(O2)),
            st.integers(-3, 3),
        ),
        max_size=8,
    ),
    st.dictionaries(st.integers(1, 3), st.sampled_from(list(ChargingState))),
    st.sampled_from(STATIONS),
    st.sampled_from(FLAGS),
)
def test_same_answer_as_the_16_rules_on_translated_reports(
    log: list[tuple[Key, O2, int]],
    states: dict[int, ChargingState],
    station: O2 | None,
    flags: tuple[bool, bool, bool],
) -> None:
    online, enabled, removed = flags
    reports = [report(key, status, T0 + timedelta(minutes=m)) for key, status, m in log]
    view = ocpp201.derive_station(
        reports,
        charging_states=states,
        station_state=station,
        online=online,
        enabled=enabled,
        removed=removed,
    )
    # The same station in OCPP 1.6 terms: each (evse, connector) a connector
    # id of its own, and the station's own state as connector 0.
    number = {key: index for index, key in enumerate(sorted({k for k, _, _ in log}), 1)}
    translated = [
        ConnectorReport(
            connector_id=number[r.connector],
            status=to_ocpp16(r, states.get(r.evse_id)),
            timestamp=r.timestamp,
        )
        for r in reports
    ]
    if station is not None:
        main = ChargePointStatus(station.value)
        translated.insert(0, ConnectorReport(connector_id=0, status=main))
    old = derive_station(translated, online=online, enabled=enabled, removed=removed)
    assert (view.status, view.reason) == (old.status, old.reason)
    assert {number[key]: shown for key, shown in view.connectors.items()} == dict(
        old.connectors
    )


def test_latest_report_per_connector_and_late_deliveries() -> None:
    early = report((1, 1), O2.AVAILABLE, T0)
    later = report((1, 1), O2.OCCUPIED, T0 + timedelta(seconds=1))
    same_time = report((1, 1), O2.FAULTED, T0 + timedelta(seconds=1))
    other = report((1, 2), O2.RESERVED, T0 - timedelta(days=1))
    assert ocpp201.latest_reports([early, later]) == {(1, 1): later}
    # A later delivery with an older timestamp is a late delivery: ignored.
    assert ocpp201.latest_reports([later, early]) == {(1, 1): later}
    # Equal timestamps: the later delivery wins, as in OCPP 1.6.
    assert ocpp201.latest_reports([later, same_time]) == {(1, 1): same_time}
    assert ocpp201.latest_reports([other, early]) == {(1, 2): other, (1, 1): early}


@given(st.permutations([(1, 1), (1, 2), (2, 1), (2, 2)]), st.sampled_from(list(O2)))
def test_order_of_distinct_connectors_does_not_matter(
    order: list[Key], status: O2
) -> None:
    statuses = dict(
        zip(
            [(1, 1), (1, 2), (2, 1), (2, 2)],
            [O2.AVAILABLE, O2.OCCUPIED, O2.FAULTED, status],
            strict=True,
        )
    )
    in_order = [report(key, statuses[key]) for key in sorted(statuses)]
    shuffled = [report(key, statuses[key]) for key in order]
    assert [r.connector for r in in_order] != [r.connector for r in shuffled] or (
        order == sorted(order)
    )
    first = ocpp201.derive_station(in_order)
    second = ocpp201.derive_station(shuffled)
    assert first == second
    assert list(second.connectors) == sorted(statuses)
    assert isinstance(first, StationView)


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"reports": 5}, ["reports"]),
        ({"reports": [None]}, ["reports[0]"]),
        (
            {
                "reports": [
                    ConnectorReport(connector_id=1, status=ChargePointStatus.CHARGING)
                ]
            },
            ["reports[0]"],
        ),
        ({"reports": [], "online": "yes"}, ["online"]),
        ({"reports": [], "charging_states": [1]}, ["charging_states"]),
        (
            {
                "reports": [],
                "charging_states": {0: ChargingState.IDLE, "1": "Charging"},
            },
            ["charging_states"],
        ),
        ({"reports": [], "station_state": O2.OCCUPIED}, ["station_state"]),
        ({"reports": [], "station_state": O2.RESERVED}, ["station_state"]),
        (
            {"reports": [], "station_state": ChargePointStatus.FAULTED},
            ["station_state"],
        ),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], fields: list[str]) -> None:
    for function in (ocpp201.derive_station, ocpp201.station_status):
        with pytest.raises((TypeError, ValueError)) as caught:
            function(**kwargs)  # type: ignore[arg-type]
        assert str(caught.value).startswith(f"{fields[0]}: got ")
        assert not isinstance(caught.value, InvalidReport)


# --- charging states ----------------------------------------------------------


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
