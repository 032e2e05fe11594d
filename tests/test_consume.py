"""Fleet.consume, the fold in place, against Fleet.read, the fold by steps.

``consume`` keeps the stations it reads in a form it changes in place and
freezes them into states when asked. Whatever the lines, and however reads,
consumes and questions are interleaved, both must end in equal states, clocks
and views, and refuse the same lines with the same messages.
"""
# pyright: reportPrivateUsage=false

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus.exceptions import InvalidReport
from evstatus.history import KEPT_ANOMALIES, ClockRules, PlatformEvent
from evstatus.log import Fleet
from evstatus.testing import generate_log
from evstatus.testing.strategies import (
    deviant_payloads,
    station_logs,
    status_notification_payloads,
)

from .folding import feed_line

_START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
_STATIONS = st.sampled_from((None, "A", "B", "C"))
# Receive times that go back and forth, and are sometimes missing, so that
# late deliveries, wrong clocks and the fleet's clock all come into play.
_RECEIVED = st.none() | st.integers(0, 400).map(
    lambda minutes: _START + timedelta(minutes=minutes)
)


def _forbidden_zero(status: str, info: str | None) -> dict[str, object]:
    payload: dict[str, object] = {
        "connectorId": 0,
        "errorCode": "NoError",
        "status": status,
    }
    if info is not None:
        payload["info"] = info
    return payload


def _near(connector: int, status: str, minutes: int | None) -> dict[str, object]:
    payload: dict[str, object] = {
        "connectorId": connector,
        "errorCode": "NoError",
        "status": status,
    }
    if minutes is not None:
        moment = _START + timedelta(minutes=minutes)
        payload["timestamp"] = moment.isoformat().replace("+00:00", "Z")
    return payload


_PAYLOADS: st.SearchStrategy[dict[str, object]] = (
    status_notification_payloads().map(dict)
    | deviant_payloads().map(lambda deviant: deviant.payload)
    | st.builds(
        _forbidden_zero,
        st.sampled_from(("Charging", "Preparing", "Finishing", "Reserved")),
        st.none() | st.text(max_size=3),
    )
    # Small connector ids and a few states, so that reports meet the ones
    # held: transitions, duplicates, late deliveries.
    | st.builds(
        _near,
        st.integers(0, 2),
        st.sampled_from(("Available", "Charging", "Unavailable", "Faulted")),
        st.none() | st.integers(-20_000, 500),
    )
)
_BODIES: tuple[tuple[str, object], ...] = (
    ("event", "connected"),
    ("event", "disconnected"),
    ("event", "enabled"),
    ("event", "disabled"),
    ("event", "removed"),
    ("event", "heard"),
    ("event", "exploded"),
    ("frame", json.loads('[2, "h", "Heartbeat", {}]')),
    ("frame", json.loads('[3, "r", {}]')),
    ("frame", json.loads('[4, "e", "InternalError", "", {}]')),
    ("frame", json.loads('[2, "c", "Reset", {"type": "Soft"}]')),
    ("frame", json.loads('[2, "x", "NoSuchAction", {}]')),
    ("frame", "not a frame"),
)
_OTHER_BODIES = st.sampled_from(_BODIES)


@st.composite
def _lines(draw: st.DrawFn) -> str:
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return draw(st.sampled_from(("", "  ", "{", "[]", "7", '{"station": ""}')))
    fields: dict[str, object] = {}
    station = draw(_STATIONS)
    if station is not None:
        fields["station"] = station
    received = draw(_RECEIVED)
    if received is not None:
        fields["received"] = received.isoformat()
    if shape > 6:
        key, value = draw(_OTHER_BODIES)
        fields[key] = value
        return json.dumps(fields)
    payload = draw(_PAYLOADS)
    if not fields and draw(st.booleans()):
        return json.dumps(payload)
    if draw(st.booleans()):
        fields["frame"] = [2, "s", "StatusNotification", payload]
    else:
        fields["payload"] = payload
    return json.dumps(fields)


# What each line is given to: read, consume, or consume after asking for the
# states (which freezes every station consume holds).
_WAYS = st.sampled_from(("read", "consume", "consume", "ask"))


def _feed(fleet: Fleet, way: str, line: str) -> str | None:
    try:
        if way == "read":
            feed_line(fleet, line)
        else:
            if way == "ask":
                _ = fleet.states
            fleet.consume(line)
    except InvalidReport as error:
        return str(error)
    return None


def _same(careful: Fleet, fast: Fleet) -> None:
    assert fast.clock == careful.clock
    assert dict(fast.states) == dict(careful.states)
    assert list(fast.states) == list(careful.states)
    assert dict(fast.views()) == dict(careful.views())


@given(
    st.lists(st.tuples(_lines(), _WAYS), max_size=60),
    st.booleans(),
    st.sampled_from((None, timedelta(minutes=5))),
)
def test_consume_folds_any_lines_as_read_does(
    lines: list[tuple[str, str]], lenient: bool, heartbeat: timedelta | None
) -> None:
    clock = ClockRules(
        ahead_tolerance=timedelta(minutes=5), behind_window=timedelta(days=3)
    )
    settings = {"lenient": lenient, "heartbeat_interval": heartbeat, "clock": clock}
    careful, fast = Fleet(**settings), Fleet(**settings)  # type: ignore[arg-type]
    for line, way in lines:
        assert _feed(fast, way, line) == _feed(careful, "read", line), line
    _same(careful, fast)


@given(station_logs())
def test_consume_folds_generated_station_logs_as_read_does(log: str) -> None:
    careful, fast = Fleet(), Fleet()
    for line in log.splitlines():
        feed_line(careful, line)
        fast.consume(line)
    _same(careful, fast)


def test_consume_folds_a_generated_fleet_log_as_read_does() -> None:
    careful, fast = Fleet(), Fleet()
    for line in generate_log(seed=7, stations=40, lines=6_000, profile="stress"):
        feed_line(careful, line)
        fast.consume(line)
    _same(careful, fast)


def test_a_station_keeps_only_its_latest_anomalies_when_consumed() -> None:
    careful, fast = Fleet(), Fleet()
    line = json.dumps({"connectorId": 1, "errorCode": "NoError", "status": "Available"})
    for _ in range(KEPT_ANOMALIES + 5):
        feed_line(careful, line)
        fast.consume(line)
    state = fast.states["default"]
    assert len(state.recent_anomalies) == KEPT_ANOMALIES
    assert sum(state.anomaly_counts.values()) == KEPT_ANOMALIES + 4
    _same(careful, fast)


def test_a_consumed_fleet_pickles_and_merges_as_frozen_states() -> None:
    lines = list(generate_log(seed=3, stations=6, lines=300, profile="stress"))
    careful, fast = Fleet(), Fleet()
    for line in lines:
        feed_line(careful, line)
        fast.consume(line)
    copy = pickle.loads(pickle.dumps(fast))
    _same(careful, copy)
    # A consumed fleet merges into another and takes one in.
    other = Fleet()
    other.consume('{"station": "elsewhere", "event": "connected"}')
    other.merge(fast)
    assert set(other.states) == {*careful.states, "elsewhere"}
    extra = Fleet()
    extra.consume('{"station": "far", "event": "connected"}')
    fast.merge(extra)
    assert fast.states["far"].connected


def test_an_event_that_tells_nothing_makes_no_station_when_consumed() -> None:
    fleet = Fleet()
    fleet.consume('{"station": "A", "event": "enabled"}')
    fleet.consume('{"station": "B", "event": "disconnected"}')
    assert not fleet.states
    fleet.consume('{"station": "A", "event": "disabled"}')
    assert not fleet.states["A"].enabled


@pytest.mark.parametrize("first", list(PlatformEvent))
@pytest.mark.parametrize("second", list(PlatformEvent))
@pytest.mark.parametrize("known", [False, True])
def test_every_pair_of_events_is_consumed_as_read(
    first: PlatformEvent, second: PlatformEvent, known: bool
) -> None:
    careful, fast = Fleet(), Fleet()
    lines = [json.dumps({"station": "A", "event": e.value}) for e in (first, second)]
    if known:
        lines.insert(0, '{"station": "A", "frame": [2, "h", "Heartbeat", {}]}')
    for line in lines:
        feed_line(careful, line)
        fast.consume(line)
    _same(careful, fast)
