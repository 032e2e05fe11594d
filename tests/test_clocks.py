"""Wrong charger clocks and lenient payloads in the station history."""

from __future__ import annotations

import json
import pickle
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    AnomalyKind,
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    Fleet,
    InvalidReport,
    PlatformEvent,
    StationState,
    derive_station,
)
from evstatus import _cli as cli
from evstatus.history import DEFAULT_CLOCK_RULES, ZERO_TIME, ClockRules
from evstatus.ocpp16 import RepairKind

from .folding import timeline

S = ChargePointStatus
NOON = datetime(2026, 6, 1, 12, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def report(status: S, stamp: datetime | None, connector_id: int = 1) -> ConnectorReport:
    return ConnectorReport(connector_id=connector_id, status=status, timestamp=stamp)


def fold(items: Sequence[tuple[ConnectorReport, datetime | None]]) -> StationState:
    state = StationState().step(PlatformEvent.CONNECTED).state
    for item, at in items:
        state = state.step(item, at=at).state
    return state


# --- the two field cases ---------------------------------------------------------------

AHEAD = [
    # Local time labelled Z: two hours ahead, then corrected.
    (report(S.CHARGING, NOON + timedelta(hours=2)), NOON),
    (report(S.FINISHING, NOON + 5 * MINUTE), NOON + 5 * MINUTE),
    (report(S.AVAILABLE, NOON + 6 * MINUTE), NOON + 6 * MINUTE),
    (report(S.FAULTED, NOON + 30 * MINUTE), NOON + 30 * MINUTE),
]


def test_a_clock_two_hours_ahead_does_not_freeze_the_connector() -> None:
    state = fold(AHEAD)
    assert state.reports[1].status is S.FAULTED
    assert state.view().connectors[1] is ConnectorStatus.FAULTED
    assert dict(state.anomaly_counts) == {AnomalyKind.CLOCK_AHEAD: 1}
    (anomaly,) = state.recent_anomalies
    assert str(anomaly) == (
        "connector 1: Charging stamped 2026-06-01T14:00:00Z, received "
        "2026-06-01T12:00:00Z: the station's clock is ahead; ordered by the "
        "receive time"
    )


def test_without_receive_times_the_latest_report_rule_holds() -> None:
    # Bare reports carry no receive time: the report's own timestamp decides,
    # so the later reports are late deliveries there, as the rule says.
    assert derive_station(item for item, _ in AHEAD).connectors[1] is (
        ConnectorStatus.OCCUPIED
    )
    state = fold([(item, None) for item, _ in AHEAD])
    assert state.reports[1].status is S.CHARGING
    assert state.anomaly_counts[AnomalyKind.LATE_DELIVERY] == 3


@pytest.mark.parametrize(
    "reset", [datetime(2000, 1, 1, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)]
)
def test_a_clock_reset_by_a_power_loss_is_ordered_by_receive_time(
    reset: datetime,
) -> None:
    state = fold(
        [
            (report(S.AVAILABLE, NOON - MINUTE), NOON - MINUTE),
            (report(S.PREPARING, reset), NOON),
            (report(S.CHARGING, reset + MINUTE), NOON + MINUTE),
            (report(S.FAULTED, reset + 2 * MINUTE), NOON + 2 * MINUTE),
        ]
    )
    assert state.reports[1].status is S.FAULTED
    assert dict(state.anomaly_counts) == {AnomalyKind.CLOCK_BEHIND: 3}
    assert "clock is behind" in str(state.recent_anomalies[0])


def test_the_zero_time_counts_as_no_timestamp() -> None:
    state = fold(
        [
            (report(S.CHARGING, NOON), None),
            (report(S.FINISHING, ZERO_TIME), None),
            (report(S.AVAILABLE, None), None),
        ]
    )
    assert state.reports[1].status is S.AVAILABLE
    assert dict(state.anomaly_counts) == {AnomalyKind.CLOCK_UNSET: 1}
    assert "zero time 0001-01-01T00:00:00Z" in str(state.recent_anomalies[0])


def test_a_zero_time_report_blocks_no_later_report_of_a_lagging_clock() -> None:
    # The station's clock runs an hour behind, and one report goes out with
    # the zero time: it has no time to be ordered by, so the next report,
    # stamped an hour behind as ever, is no late delivery.
    lag = timedelta(hours=1)
    state = fold(
        [
            (report(S.PREPARING, NOON - lag), NOON),
            (report(S.CHARGING, ZERO_TIME), NOON + MINUTE),
        ]
    )
    assert state.order_times == {1: None}
    after = state.step(
        report(S.FINISHING, NOON + 2 * MINUTE - lag), at=NOON + 2 * MINUTE
    )
    assert after.taken
    assert after.anomalies == ()
    assert after.state.reports[1].status is S.FINISHING
    assert after.state.order_times == {1: NOON + 2 * MINUTE - lag}


_OFFSETS = st.one_of(
    # Within the clock rules' bounds, near them, and far beyond (a clock
    # reset to another decade).
    st.integers(-3 * 24 * 60, 3 * 24 * 60),
    st.integers(-30 * 365 * 24 * 60, 30 * 365 * 24 * 60),
).map(lambda minutes: timedelta(minutes=minutes))
_REPORTS = st.lists(
    st.tuples(
        st.sampled_from(list(S)),
        st.sampled_from(("stamped", "stamped", "untimed", "zero time")),
        st.integers(0, 24 * 60),
    ),
    min_size=1,
    max_size=25,
)


@given(offset=_OFFSETS, reports=_REPORTS)
def test_a_clock_off_by_a_constant_offset_shows_the_true_status(
    offset: timedelta, reports: list[tuple[S, str, int]]
) -> None:
    # Whatever the offset of the station's clock, and whatever untimed
    # reports come in between, each report the station sends is the status
    # its connector shows once it is received.
    state = StationState().step(PlatformEvent.CONNECTED).state
    at = NOON
    for status, timing, gap in reports:
        at += timedelta(minutes=gap)
        stamp = {"stamped": at + offset, "untimed": None, "zero time": ZERO_TIME}
        state = state.step(report(status, stamp[timing]), at=at).state
        assert state.reports[1].status is status


def test_a_genuine_late_delivery_is_still_recognised() -> None:
    # Queued through a short disconnect and flushed after a newer report.
    state = fold(
        [
            (report(S.CHARGING, NOON + 5 * MINUTE), NOON + 6 * MINUTE),
            (report(S.PREPARING, NOON - 10 * MINUTE), NOON + 10 * MINUTE),
        ]
    )
    assert state.reports[1].status is S.CHARGING
    assert dict(state.anomaly_counts) == {AnomalyKind.LATE_DELIVERY: 1}


def test_a_small_lead_is_ordered_by_receive_time_without_an_anomaly() -> None:
    step = fold([]).step(report(S.CHARGING, NOON + 30 * timedelta(seconds=1)), at=NOON)
    assert step.anomalies == ()
    assert step.state.order_times == {1: NOON}
    after = step.state.step(
        report(S.FINISHING, NOON + 10 * timedelta(seconds=1)), at=NOON + MINUTE
    )
    assert after.taken
    assert after.state.order_times == {1: NOON + 10 * timedelta(seconds=1)}


def test_the_clock_rules_are_configurable() -> None:
    strict = ClockRules(ahead_tolerance=timedelta(0), behind_window=timedelta(hours=1))
    state = StationState()
    ahead = state.step(
        report(S.CHARGING, NOON + timedelta(seconds=1)), at=NOON, clock=strict
    )
    assert [a.kind for a in ahead.anomalies] == [AnomalyKind.CLOCK_AHEAD]
    behind = state.step(
        report(S.CHARGING, NOON - 2 * timedelta(hours=1)), at=NOON, clock=strict
    )
    assert [a.kind for a in behind.anomalies] == [AnomalyKind.CLOCK_BEHIND]
    trusted = state.step(report(S.CHARGING, NOON - 2 * timedelta(hours=1)), at=NOON)
    assert trusted.anomalies == ()
    assert (
        ClockRules(
            ahead_tolerance=timedelta(minutes=5), behind_window=timedelta(days=7)
        )
        == DEFAULT_CLOCK_RULES
    )


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"ahead_tolerance": 5}, TypeError),
        ({"behind_window": timedelta(seconds=-1)}, ValueError),
    ],
)
def test_clock_rules_refuse_what_is_not_a_span(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error, match=rf"^{next(iter(kwargs))}: got "):
        ClockRules(**kwargs)  # type: ignore[arg-type]


def test_a_step_refuses_clock_rules_of_another_kind() -> None:
    with pytest.raises(TypeError, match=r"^clock: got "):
        StationState().step(report(S.CHARGING, None), clock=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^clock: got "):
        StationState().step({}, clock=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^clock: got "):
        Fleet(clock="5m")  # type: ignore[arg-type]


# --- convergence, whatever the skew ---------------------------------------------------

statuses = st.sampled_from(
    [S.AVAILABLE, S.PREPARING, S.CHARGING, S.FINISHING, S.FAULTED]
)


@given(
    skew=st.integers(min_value=-60 * 365 * 24 * 60, max_value=30 * 24 * 60).map(
        lambda minutes: timedelta(minutes=minutes)
    ),
    sent=st.lists(statuses, min_size=1, max_size=8),
    corrected=st.lists(statuses, min_size=1, max_size=8),
    delays=st.lists(st.integers(min_value=0, max_value=59), min_size=16, max_size=16),
)
def test_with_any_skew_the_state_converges_once_the_clock_is_right(
    skew: timedelta, sent: list[S], corrected: list[S], delays: list[int]
) -> None:
    # Reports sent a minute apart, each received within that minute, in order;
    # the first ones stamped by a clock off by `skew`, the rest by a right one.
    items: list[tuple[ConnectorReport, datetime | None]] = []
    for index, status in enumerate([*sent, *corrected]):
        true_time = NOON + index * MINUTE
        wrong = index < len(sent)
        stamp = true_time + skew if wrong else true_time
        if stamp.year < 1971:
            stamp = datetime(1970, 1, 1, tzinfo=UTC)
        items.append(
            (report(status, stamp), true_time + timedelta(seconds=delays[index]))
        )
    assert fold(items).reports[1].status is corrected[-1]


# --- lenient payloads --------------------------------------------------------------------


def test_a_lenient_step_counts_its_repairs() -> None:
    payload = {"connectorId": "1", "errorCode": "noError", "status": "charging"}
    with pytest.raises(InvalidReport):
        StationState().step(payload)
    step = StationState().step(payload, lenient=True)
    assert step.taken
    assert [repair.kind for repair in step.repairs] == [
        RepairKind.NUMERIC_STRING,
        RepairKind.ENUM_CASE,
        RepairKind.ENUM_CASE,
    ]
    again = step.state.step({**payload, "status": "finishing"}, lenient=True)
    assert dict(again.state.repair_counts) == {
        RepairKind.NUMERIC_STRING: 2,
        RepairKind.ENUM_CASE: 4,
    }
    clean = again.state.step(
        {"connectorId": 1, "errorCode": "NoError", "status": "Available"}, lenient=True
    )
    assert clean.repairs == ()
    assert clean.state.repair_counts == again.state.repair_counts


def test_a_lenient_step_refuses_what_cannot_be_repaired() -> None:
    with pytest.raises(InvalidReport):
        StationState().step(
            {"connectorId": 1, "errorCode": "NoError", "status": "Busy"}, lenient=True
        )
    with pytest.raises(TypeError, match=r"^lenient: got 1"):
        StationState().step({}, lenient=1)  # type: ignore[arg-type]


def test_a_state_checks_its_repair_counts_and_order_times() -> None:
    held = {1: report(S.CHARGING, None)}
    state = StationState(
        reports=held, repair_counts={RepairKind.ENUM_CASE: 2}, order_times={1: NOON}
    )
    assert pickle.loads(pickle.dumps(state)) == state
    with pytest.raises(TypeError, match=r"^repair_counts: got "):
        StationState(repair_counts={"enum_case": 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match=r"^order_times: got 2"):
        StationState(reports=held, order_times={2: NOON})
    with pytest.raises(TypeError, match=r"^order_times: got "):
        StationState(order_times=[1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^order_times\[1\]: got "):
        StationState(reports=held, order_times={1: datetime(2026, 1, 1)})  # noqa: DTZ001


# --- through the fleet and the command line ---------------------------------------------


def _lines() -> list[str]:
    def line(station: str, received: datetime, payload: dict[str, object]) -> str:
        return json.dumps(
            {
                "station": station,
                "received": received.isoformat().replace("+00:00", "Z"),
                "payload": payload,
            }
        )

    def stamp(moment: datetime) -> str:
        return moment.isoformat().replace("+00:00", "Z")

    out = [
        line(
            "CP-1",
            at,
            {
                "connectorId": 1,
                "errorCode": "NoError",
                "status": item.status.value,
                "timestamp": stamp(item.timestamp or NOON),
            },
        )
        for item, at in AHEAD
    ]
    out.append(
        line(
            "CP-2",
            NOON,
            {
                "connectorId": "1",
                "errorCode": "noError",
                "status": "charging",
                "timestamp": "2026-06-01 12:00:00+02",
            },
        )
    )
    return out


def test_the_fleet_orders_by_receive_times_and_repairs_when_asked() -> None:
    fleet = Fleet(lenient=True)
    changes = timeline(fleet, _lines())
    assert fleet.view("CP-1").connectors == {1: ConnectorStatus.FAULTED}
    assert fleet.view("CP-2").connectors == {1: ConnectorStatus.OCCUPIED}
    last = changes[-1]
    assert last is not None
    assert len(last.repairs) == 5
    assert "repaired connectorId: read as the integer 1" in last.event
    with pytest.raises(TypeError, match=r"^lenient: got "):
        Fleet(lenient="yes")  # type: ignore[arg-type]


def test_replay_gives_the_true_status_and_reports_repairs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "skew.jsonl"
    log.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    assert (
        cli.main(["replay", "--json", str(log)]) == 1
    )  # CP-2's line is bad when strict
    strict = capsys.readouterr()
    assert f"{log}:5: connectorId: got '1'" in strict.err
    assert cli.main(["replay", "--json", "--lenient", str(log)]) == 0
    records = {
        r["station"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())
    }
    assert records["CP-1"]["connectors"] == {"1": "Faulted"}
    assert records["CP-1"]["anomalies"] == {"clock_ahead": 1}
    assert records["CP-2"]["repairs"] == {
        "numeric_string": 1,
        "enum_case": 2,
        "timestamp_space": 1,
        "timestamp_offset_hours": 1,
    }
    assert cli.main(["replay", "--timeline", "--json", "--lenient", str(log)]) == 0
    timeline = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert timeline[0]["new_anomalies"][0].startswith("connector 1: Charging stamped")
    assert {r["kind"] for r in timeline[-1]["new_repairs"]} == {
        "numeric_string",
        "enum_case",
        "timestamp_space",
        "timestamp_offset_hours",
    }


def test_replay_takes_clock_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "skew.jsonl"
    log.write_text("\n".join(_lines()[:4]) + "\n", encoding="utf-8")
    args = ["replay", "--json", "--clock-ahead-tolerance", "10800", str(log)]
    assert cli.main(args) == 0
    (record,) = map(json.loads, capsys.readouterr().out.splitlines())
    # Within a three-hour tolerance: no anomaly, ordered by receive time all the same.
    assert record["anomalies"] == {}
    assert record["connectors"] == {"1": "Faulted"}
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay", "--clock-behind-window", "-1", str(log)])
    assert caught.value.code == 2
    assert "-1' is not a number of seconds >= 0" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay", "--clock-ahead-tolerance", "1e300", str(log)])
    assert caught.value.code == 2
    assert "'1e300' seconds is too long" in capsys.readouterr().err
