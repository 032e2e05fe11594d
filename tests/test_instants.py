"""Times are instants: reports, receive times and heartbeats compared in UTC.

Across the hour a daylight-saving change repeats, wall clocks mislead: these
cases compare, order and measure times as the instants they name.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import evstatus
from evstatus import (
    ChargePointStatus,
    ConnectorReport,
    PlatformEvent,
    StationState,
    StationStatus,
    derive_station,
    ocpp201,
)
from evstatus.history import is_online
from evstatus.ocpp16 import supersedes

S = ChargePointStatus
BERLIN = ZoneInfo("Europe/Berlin")


def _report_at(
    connector_id: int, status: ChargePointStatus, when: datetime | None = None
) -> ConnectorReport:
    return ConnectorReport(connector_id=connector_id, status=status, timestamp=when)


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
    older = _report_at(1, S.CHARGING, FIRST_0250)
    newer = _report_at(1, S.FINISHING, SECOND_0210)
    assert supersedes(newer, older)
    assert (
        derive_station([older, newer]).connectors[1]
        is evstatus.ConnectorStatus.OCCUPIED
    )
    assert StationState().step(older).state.step(newer).taken


def test_reports_an_hour_apart_are_not_duplicates() -> None:
    # Failed before: same wall clock, same zone: equal, so a duplicate.
    first = _report_at(1, S.CHARGING, FIRST_0250)
    second = _report_at(1, S.CHARGING, SECOND_0250)
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
