"""Connector and station status: every table cell, every small combination."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    Reason,
    StationStatus,
    connector_status,
    derive_station,
    station_status,
)
from evstatus.ocpp16 import latest_reports, supersedes
from evstatus.rules import (
    OCPI_FLAG_RULES,
    STATION_RULES,
)
from evstatus.testing.strategies import connector_reports

from .oracle import expected_connector, expected_latest, expected_station

S = ChargePointStatus
FLAGS = [
    {"online": online, "enabled": enabled, "removed": removed}
    for online, enabled, removed in itertools.product([True, False], repeat=3)
]


def report(connector_id: int, status: S, minute: int | None = None) -> ConnectorReport:
    timestamp = None
    if minute is not None:
        timestamp = datetime(2026, 11, 22, 10, tzinfo=UTC) + timedelta(minutes=minute)
    return ConnectorReport(
        connector_id=connector_id, status=status, timestamp=timestamp
    )


# --- connector status: every state ------------------------------------------------

CONNECTOR_TABLE = {
    S.AVAILABLE: ConnectorStatus.AVAILABLE,
    S.PREPARING: ConnectorStatus.OCCUPIED,
    S.CHARGING: ConnectorStatus.OCCUPIED,
    S.SUSPENDED_EV: ConnectorStatus.OCCUPIED,
    S.SUSPENDED_EVSE: ConnectorStatus.OCCUPIED,
    S.FINISHING: ConnectorStatus.OCCUPIED,
    S.RESERVED: ConnectorStatus.UNAVAILABLE,
    S.UNAVAILABLE: ConnectorStatus.UNAVAILABLE,
    S.FAULTED: ConnectorStatus.FAULTED,
}


@pytest.mark.parametrize("status", list(S))
def test_connector_table_in_service(status: S) -> None:
    assert connector_status(status) is CONNECTOR_TABLE[status]
    assert connector_status(report(1, status)) is CONNECTOR_TABLE[status]


@pytest.mark.parametrize("flags", FLAGS, ids=str)
@pytest.mark.parametrize("status", list(S))
def test_connector_status_every_cell(status: S, flags: dict[str, bool]) -> None:
    expected = expected_connector(status, **flags)
    assert connector_status(status, **flags) is expected
    assert connector_status(report(1, status), **flags) is expected
    if flags["removed"] or not flags["enabled"] or not flags["online"]:
        assert expected is ConnectorStatus.UNAVAILABLE


@pytest.mark.parametrize("bad", ["Charging", None, 1, report])
def test_connector_status_rejects_other_things(bad: object) -> None:
    with pytest.raises(TypeError, match=r"^report_or_status: got .*, expected an OCPP"):
        connector_status(bad)  # type: ignore[arg-type]


# --- the station rules: one example per rule --------------------------------------

RULE_EXAMPLES: list[
    tuple[int, list[ConnectorReport], dict[str, bool], StationStatus, Reason]
] = [
    # (rule, reports, flags, status, reason)
    (1, [report(1, S.AVAILABLE)], {"removed": True}, StationStatus.REMOVED, Reason.REMOVED),
    (1, [], {"removed": True, "enabled": False, "online": False}, StationStatus.REMOVED, Reason.REMOVED),
    (2, [report(1, S.AVAILABLE)], {"enabled": False}, StationStatus.INOPERATIVE, Reason.NOT_ENABLED),
    (2, [report(1, S.AVAILABLE)], {"enabled": False, "online": False}, StationStatus.INOPERATIVE, Reason.NOT_ENABLED),
    (3, [report(1, S.AVAILABLE)], {"online": False}, StationStatus.OFFLINE, Reason.OFFLINE),
    (3, [report(0, S.FAULTED)], {"online": False}, StationStatus.OFFLINE, Reason.OFFLINE),
    (4, [report(0, S.FAULTED), report(1, S.AVAILABLE)], {}, StationStatus.OUT_OF_ORDER, Reason.MAIN_CONTROLLER_FAULTED),
    (5, [report(0, S.UNAVAILABLE), report(1, S.AVAILABLE)], {}, StationStatus.UNAVAILABLE, Reason.MAIN_CONTROLLER_UNAVAILABLE),
    (6, [], {}, StationStatus.UNKNOWN, Reason.NO_CONNECTOR_REPORTS),
    (6, [report(0, S.AVAILABLE)], {}, StationStatus.UNKNOWN, Reason.NO_CONNECTOR_REPORTS),
    (7, [report(1, S.FAULTED), report(2, S.AVAILABLE)], {}, StationStatus.AVAILABLE, Reason.CONNECTOR_AVAILABLE),
    (8, [report(1, S.CHARGING), report(2, S.SUSPENDED_EV), report(3, S.SUSPENDED_EVSE)], {}, StationStatus.CHARGING, Reason.ALL_CONNECTORS_CHARGING),
    (9, [report(1, S.FAULTED), report(2, S.UNAVAILABLE)], {}, StationStatus.OUT_OF_ORDER, Reason.CONNECTORS_OUT_OF_ORDER),
    (9, [report(1, S.FAULTED)], {}, StationStatus.OUT_OF_ORDER, Reason.CONNECTORS_OUT_OF_ORDER),
    (10, [report(1, S.RESERVED), report(2, S.RESERVED)], {}, StationStatus.RESERVED, Reason.ALL_CONNECTORS_RESERVED),
    (11, [report(1, S.PREPARING)], {}, StationStatus.UNAVAILABLE, Reason.NO_CONNECTOR_AVAILABLE),
    (11, [report(1, S.FINISHING), report(2, S.CHARGING)], {}, StationStatus.UNAVAILABLE, Reason.NO_CONNECTOR_AVAILABLE),
    (11, [report(1, S.UNAVAILABLE), report(2, S.UNAVAILABLE)], {}, StationStatus.UNAVAILABLE, Reason.NO_CONNECTOR_AVAILABLE),
    (11, [report(1, S.RESERVED), report(2, S.CHARGING)], {}, StationStatus.UNAVAILABLE, Reason.NO_CONNECTOR_AVAILABLE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "log", "flags", "status", "reason"),
    RULE_EXAMPLES,
    ids=[f"rule{example[0]}-{n}" for n, example in enumerate(RULE_EXAMPLES)],
)
def test_each_rule(
    rule: int,
    log: list[ConnectorReport],
    flags: dict[str, bool],
    status: StationStatus,
    reason: Reason,
) -> None:
    view = derive_station(log, **flags)
    assert (view.status, view.reason) == (status, reason)
    assert reason.rule.number == rule
    assert station_status(log, **flags) is status


def test_every_rule_has_an_example() -> None:
    assert {example[0] for example in RULE_EXAMPLES} == set(range(1, 12))


# --- exhaustive: two connectors x connector 0 x the three flags ----------------------

_ONE_CONNECTOR = [None, *S]
_MAIN = [None, *sorted(CONNECTOR_ZERO_STATUSES)]


@pytest.mark.parametrize("main", _MAIN, ids=str)
def test_two_connectors_every_combination(main: S | None) -> None:
    checked = 0
    for first, second, flags in itertools.product(
        _ONE_CONNECTOR, _ONE_CONNECTOR, FLAGS
    ):
        log = [report(0, main)] if main is not None else []
        log += [report(cid, s) for cid, s in ((1, first), (2, second)) if s is not None]
        view = derive_station(log, **flags)
        status, reason, shown = expected_station(log, **flags)
        assert (view.status, view.reason, dict(view.connectors)) == (
            status,
            reason,
            shown,
        ), (log, flags)
        assert station_status(log, **flags) is view.status
        assert derive_station(reversed(log), **flags) == view
        checked += 1
    assert checked == 10 * 10 * 8


# --- how connector 0 masks the others ------------------------------------------------


@pytest.mark.parametrize("status", list(S))
def test_main_controller_faulted_faults_every_connector(status: S) -> None:
    view = derive_station(
        [report(0, S.FAULTED), report(1, status), report(2, S.AVAILABLE)]
    )
    assert set(view.connectors.values()) == {ConnectorStatus.FAULTED}


@pytest.mark.parametrize("status", list(S))
def test_main_controller_unavailable_keeps_faults_visible(status: S) -> None:
    view = derive_station([report(0, S.UNAVAILABLE), report(1, status)])
    faulted = status is S.FAULTED
    assert view.connectors[1] is (
        ConnectorStatus.FAULTED if faulted else ConnectorStatus.UNAVAILABLE
    )


def test_main_controller_available_masks_nothing() -> None:
    view = derive_station([report(0, S.AVAILABLE), report(1, S.CHARGING)])
    assert view.connectors == {1: ConnectorStatus.OCCUPIED}
    assert view.status is StationStatus.CHARGING


def test_connectors_exclude_zero_and_come_in_id_order() -> None:
    view = derive_station(
        [report(3, S.AVAILABLE), report(0, S.AVAILABLE), report(1, S.FAULTED)]
    )
    assert list(view.connectors) == [1, 3]
    with pytest.raises(TypeError):
        view.connectors[2] = ConnectorStatus.FAULTED  # type: ignore[index]


# --- the latest-report rule -----------------------------------------------------------


def test_a_later_report_replaces_an_earlier_one() -> None:
    log = [report(1, S.CHARGING), report(1, S.AVAILABLE)]
    assert derive_station(log).status is StationStatus.AVAILABLE


def test_a_late_delivery_is_ignored() -> None:
    log = [report(1, S.CHARGING, minute=5), report(1, S.AVAILABLE, minute=4)]
    assert latest_reports(log)[1].status is S.CHARGING
    assert derive_station(log).status is StationStatus.CHARGING


@pytest.mark.parametrize(
    ("old_minute", "new_minute", "replaced"),
    [(5, 5, True), (5, 6, True), (5, 4, False), (None, 4, True), (5, None, True), (None, None, True)],
)  # fmt: skip
def test_supersedes(
    old_minute: int | None, new_minute: int | None, replaced: bool
) -> None:
    old = report(1, S.CHARGING, old_minute)
    new = report(1, S.AVAILABLE, new_minute)
    assert supersedes(new, old) is replaced


def test_time_zones_compare_as_instants() -> None:
    early = ConnectorReport.from_ocpp(
        {"connectorId": 1, "errorCode": "NoError", "status": "Charging",
         "timestamp": "2026-11-22T11:00:00+02:00"}
    )  # fmt: skip
    late = ConnectorReport.from_ocpp(
        {"connectorId": 1, "errorCode": "NoError", "status": "Available",
         "timestamp": "2026-11-22T10:00:00Z"}
    )  # fmt: skip
    assert latest_reports([late, early])[1] is late


# Few connector ids, so that reports of one connector meet often.
_SMALL_IDS = st.integers(0, 4)
_logs = st.lists(connector_reports(connector_ids=_SMALL_IDS), max_size=12)
_flags = st.fixed_dictionaries(
    {"online": st.booleans(), "enabled": st.booleans(), "removed": st.booleans()}
)


@given(_logs, _flags)
def test_agrees_with_the_oracle_on_any_log(
    log: list[ConnectorReport], flags: dict[str, bool]
) -> None:
    view = derive_station(log, **flags)
    assert (view.status, view.reason, dict(view.connectors)) == expected_station(
        log, **flags
    )
    assert latest_reports(log) == expected_latest(log)


@given(_logs, st.randoms(use_true_random=False), _flags)
def test_order_of_distinct_connectors_never_matters(
    log: list[ConnectorReport], random: object, flags: dict[str, bool]
) -> None:
    # Interleave the per-connector logs differently, keeping each one's order.
    import random as random_module  # noqa: PLC0415

    assert isinstance(random, random_module.Random)
    queues = {
        cid: [r for r in log if r.connector_id == cid]
        for cid in {r.connector_id for r in log}
    }
    shuffled: list[ConnectorReport] = []
    while queues:
        cid = random.choice(sorted(queues))
        shuffled.append(queues[cid].pop(0))
        if not queues[cid]:
            del queues[cid]
    assert derive_station(shuffled, **flags) == derive_station(log, **flags)


@given(
    st.lists(
        connector_reports(
            connector_ids=_SMALL_IDS, timestamps=st.datetimes(timezones=st.just(UTC))
        ),
        max_size=10,
    ),
    st.randoms(use_true_random=False),
)
def test_with_distinct_timestamps_any_order_ends_the_same(
    log: list[ConnectorReport], random: object
) -> None:
    import random as random_module  # noqa: PLC0415

    assert isinstance(random, random_module.Random)
    stamps = [r.timestamp for r in log]
    if len(set(stamps)) < len(stamps):
        return
    shuffled = list(log)
    random.shuffle(shuffled)
    assert latest_reports(shuffled) == latest_reports(log)
    assert derive_station(shuffled) == derive_station(log)


@given(_logs, _flags)
def test_flags_dominate_in_order(
    log: list[ConnectorReport], flags: dict[str, bool]
) -> None:
    view = derive_station(log, **flags)
    if flags["removed"]:
        assert view.status is StationStatus.REMOVED
    elif not flags["enabled"]:
        assert view.status is StationStatus.INOPERATIVE
    elif not flags["online"]:
        assert view.status is StationStatus.OFFLINE
    if flags["removed"] or not flags["enabled"] or not flags["online"]:
        assert set(view.connectors.values()) <= {ConnectorStatus.UNAVAILABLE}


# --- bad arguments and purity ----------------------------------------------------------


def test_rejects_a_non_iterable() -> None:
    with pytest.raises(
        TypeError, match=r"^reports: got <ConnectorReport>, expected an"
    ):
        derive_station(report(1, S.CHARGING))  # type: ignore[arg-type]


def test_rejects_a_payload_in_the_log() -> None:
    log = [report(1, S.CHARGING), {"connectorId": 1}]
    with pytest.raises(TypeError, match=r"^reports\[1\]: got <dict of 1>, .*from_ocpp"):
        station_status(log)  # type: ignore[arg-type]


@pytest.mark.parametrize("function", [derive_station, station_status, connector_status])
def test_rejects_flags_that_are_not_bools(function: object) -> None:
    assert callable(function)
    # A caller's mistake is a TypeError naming the first bad flag, not bad data.
    with pytest.raises(TypeError, match=r"^online: got 1, expected True or False$"):
        function(  # pyright: ignore[reportUnknownVariableType]
            [] if function is not connector_status else S.CHARGING,
            online=1,
            removed=None,
        )


def test_does_not_touch_its_input() -> None:
    log = [report(0, S.AVAILABLE), report(1, S.CHARGING)]
    before = list(log)
    derive_station(log)
    station_status(log)
    assert log == before


def test_views_compare_and_hash() -> None:
    log = [report(1, S.CHARGING)]
    assert derive_station(log) == derive_station(list(log))
    assert hash(derive_station(log)) == hash(derive_station(log))
    assert "connectors={1: " in repr(derive_station(log))


# --- the rule rows ------------------------------------------------------------


def test_rule_rows_show_what_decides_them() -> None:
    assert repr(STATION_RULES[0]) == (
        "StationRule(number=1, status=<StationStatus.REMOVED: 'Removed'>)"
    )
    assert repr(OCPI_FLAG_RULES[0]).startswith(
        "OcpiFlagRule(status=<EvseStatus.REMOVED: 'REMOVED'>, condition="
    )
