"""``Timeline.feed``: the items a service feeds a Fleet, folded as log lines are."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import ConnectorReport, InvalidReport, PlatformEvent
from evstatus._timestamps import format_timestamp
from evstatus.log import BadLine, read_log
from evstatus.testing import generate_log, to_ocpp201
from evstatus.testing.strategies import status_notification_payloads
from evstatus.uptime import Timeline, uptime

DAY = datetime(2026, 6, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    """One thing a station said or the platform saw, as an item and as a line."""

    station: str
    item: ConnectorReport | PlatformEvent | Mapping[str, object]
    at: datetime | None

    def line(self) -> str:
        record: dict[str, object] = {"station": self.station}
        if self.at is not None:
            record["received"] = format_timestamp(self.at)
        item = self.item
        if isinstance(item, PlatformEvent):
            record["event"] = item.value
        elif isinstance(item, ConnectorReport):
            record["payload"] = item.to_ocpp()
        else:
            record["payload"] = dict(item)
        return json.dumps(record)


times = st.none() | st.integers(0, 30).map(
    lambda minute: DAY + timedelta(minutes=minute)
)
payloads = status_notification_payloads(connector_ids=st.integers(0, 2))


@st.composite
def steps(draw: st.DrawFn) -> Step:
    station = draw(st.sampled_from(("A", "B")))
    kind = draw(st.sampled_from(("payload", "report", "event")))
    item: ConnectorReport | PlatformEvent | Mapping[str, object]
    if kind == "event":
        item = draw(st.sampled_from(PlatformEvent))
    else:
        payload = draw(payloads)
        item = payload if kind == "payload" else ConnectorReport.from_ocpp(payload)
    return Step(station, item, draw(times))


def folded(timeline: Timeline) -> object:
    """Everything a timeline tells: its ports' intervals, warnings and states."""
    end = DAY + timedelta(days=10)
    return (
        timeline.ports(),
        [
            list(timeline.intervals(station, port, until=end))
            for station, port in timeline.ports()
        ],
        [notice.message for notice in timeline.warnings],  # (lines are not numbered)
        timeline.states,
        timeline.data_end,
    )


@given(st.lists(steps(), max_size=25), st.sampled_from((None, 2, 5)))
def test_feeding_items_folds_as_reading_their_lines(
    given_steps: list[Step], heartbeat: int | None
) -> None:
    # With a heartbeat rule too: a station silent for long is offline.
    interval = None if heartbeat is None else timedelta(minutes=heartbeat)
    fed = Timeline(heartbeat_interval=interval)
    read = Timeline(heartbeat_interval=interval)
    for step in given_steps:
        fed.feed(step.station, step.item, at=step.at)
        read.read(step.line())
    assert folded(fed) == folded(read)


@pytest.mark.parametrize("protocol", ["ocpp1.6", "ocpp2.0.1"])
@pytest.mark.parametrize("heartbeat", [None, timedelta(minutes=5)])
@pytest.mark.parametrize("seed", range(3))
def test_feeding_what_read_log_reads_folds_as_the_log(
    protocol: str, heartbeat: timedelta | None, seed: int
) -> None:
    # A day of a small fleet: sessions, outages, lost links, heartbeats; in
    # OCPP 2.0.1 its translation (NotifyEvent, TransactionEvent and all).
    lines = list(generate_log(seed=seed, stations=3, lines=1500, profile="stress"))
    if protocol != "ocpp1.6":
        lines = list(to_ocpp201(lines))
    read = Timeline.from_lines(lines, heartbeat_interval=heartbeat)
    fed = Timeline(heartbeat_interval=heartbeat)
    for entry in read_log(lines):
        assert not isinstance(entry, BadLine)
        fed.feed(entry.station, entry.item, at=entry.received)
    assert folded(fed) == folded(read)
    assert fed.ports()


def test_a_service_gets_uptime_without_writing_a_log() -> None:
    timeline = Timeline()
    timeline.feed("CP-1", PlatformEvent.CONNECTED, at=DAY)
    timeline.feed(
        "CP-1",
        {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
        at=DAY,
    )
    timeline.feed(
        "CP-1",
        ConnectorReport.from_ocpp(
            {"connectorId": 1, "errorCode": "GroundFailure", "status": "Faulted"}
        ),
        at=DAY + timedelta(hours=6),
    )
    # Without a receive time, the report's own timestamp.
    timeline.feed(
        "CP-1",
        {
            "connectorId": 1,
            "errorCode": "NoError",
            "status": "Available",
            "timestamp": "2026-06-01T06:36:00Z",
        },
    )
    port = uptime(timeline, DAY, DAY + timedelta(days=1)).ports[0]
    assert (port.station, port.connector_id, port.outage_minutes) == (
        "CP-1",
        1,
        Fraction(36),
    )
    assert timeline.warnings == []


def test_an_item_without_any_time_counts_at_the_stations_previous_time() -> None:
    timeline = Timeline()
    timeline.feed("CP-1", PlatformEvent.CONNECTED)
    assert timeline.ports() == []
    timeline.feed(
        "CP-1", {"connectorId": 1, "errorCode": "NoError", "status": "Faulted"}
    )
    untimed = (
        "no receive time or timestamp, and no earlier time for the station; the "
        "change counts from the station's next line with a time"
    )
    # Both the connection and the report came without a time.
    assert [notice.message for notice in timeline.warnings] == [untimed, untimed]
    timeline.feed("CP-1", PlatformEvent.HEARD, at=DAY)
    assert timeline.first_seen("CP-1", 1) == DAY


def test_a_bad_item_changes_nothing_and_says_what_is_wrong() -> None:
    timeline = Timeline()
    timeline.feed("CP-1", PlatformEvent.CONNECTED, at=DAY)
    before = timeline.states
    with pytest.raises(InvalidReport, match="status"):
        timeline.feed("CP-1", {"connectorId": 1, "errorCode": "NoError", "status": "x"})
    with pytest.raises(TypeError, match="item: got 'Available', expected a "):
        timeline.feed("CP-1", "Available")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError, match="station: got 1, expected a station id"):
        timeline.feed(1, PlatformEvent.HEARD)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(ValueError, match="at"):
        timeline.feed("CP-1", PlatformEvent.HEARD, at=datetime(2026, 6, 1))  # noqa: DTZ001
    assert timeline.states == before
    assert timeline.ports() == []


def test_a_lenient_timeline_repairs_fed_payloads_as_it_repairs_lines() -> None:
    timeline = Timeline(lenient=True)
    timeline.feed("CP-1", PlatformEvent.CONNECTED, at=DAY)
    timeline.feed(
        "CP-1",
        {"connectorId": "1", "errorCode": "NoError", "status": "faulted"},
        at=DAY,
    )
    timeline.feed("CP-1", PlatformEvent.HEARD, at=DAY + timedelta(hours=1))
    interval = next(timeline.intervals("CP-1", 1, until=DAY + timedelta(hours=1)))
    assert interval.ocpp_status == "Faulted"
    assert sum(timeline.states["CP-1"].repair_counts.values()) == 2
