"""evstatus.testing.generate_log: deterministic, realistic, and replayable."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal, assert_type, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evstatus import ChargePointStatus
from evstatus._cli import main
from evstatus._timestamps import parse_timestamp
from evstatus.log import Fleet
from evstatus.rules import classify_transition
from evstatus.testing import DEFAULT_START, Profile, generate_log, to_ocpp201
from evstatus.testing._generator import SESSION
from evstatus.uptime import PortUptime, Timeline, uptime

# The digests of two logs, one per profile, written down once (and checked on
# Python 3.11, 3.12 and 3.13): if one changes, the same seed no longer gives
# the same lines, which the generator promises on every Python version.
GOLDEN_SHA256: dict[Profile, str] = {
    "realistic": "443a0ed0e1c19638770edea9d3178f8b80be967f1534b85a4bd43a57c55744c6",
    "stress": "2317aae0d0fb2efa5dedead0b2b161cd1f8b879848e446180ec9d7ce023c03f6",
}
PROFILES: tuple[Profile, ...] = get_args(Profile)


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("profile", PROFILES)
def test_the_same_seed_gives_the_lines_it_always_gave(profile: Profile) -> None:
    lines = list(
        generate_log(seed=2026, stations=7, lines=2000, connectors=3, profile=profile)
    )
    assert _digest(lines) == GOLDEN_SHA256[profile]


@settings(max_examples=25)
@given(
    seed=st.integers(),
    stations=st.integers(1, 6),
    extra=st.integers(0, 300),
    connectors=st.integers(1, 4),
)
def test_same_arguments_same_lines_and_the_counts_asked_for(
    seed: int, stations: int, extra: int, connectors: int
) -> None:
    arguments: dict[str, Any] = {
        "seed": seed,
        "stations": stations,
        "lines": stations + extra,
        "connectors": connectors,
    }
    lines = list(generate_log(**arguments))
    assert lines == list(generate_log(**arguments))
    assert len(lines) == stations + extra
    envelopes = [json.loads(line) for line in lines]
    names = [envelope["station"] for envelope in envelopes]
    assert sorted(set(names)) == [f"CP-{n:05d}" for n in range(1, stations + 1)]
    # Each station's first line is its connection, in the first `stations` lines.
    assert [e["event"] for e in envelopes[:stations]] == ["connected"] * stations
    for envelope in envelopes:
        if "frame" in envelope and envelope["frame"][2] == "StatusNotification":
            assert 0 <= envelope["frame"][3]["connectorId"] <= connectors


def test_different_seeds_give_different_logs() -> None:
    logs = {
        _digest(list(generate_log(seed=s, stations=3, lines=200))) for s in range(5)
    }
    assert len(logs) == 5


def _replay_json(path: Path) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["replay", "--json", "--strict", str(path)])
    return (
        code,
        [json.loads(line) for line in out.getvalue().split("\n") if line],
        (err.getvalue()),
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_a_long_log_replays_with_no_bad_line_and_no_anomaly(
    tmp_path: Path, profile: Profile
) -> None:
    path = tmp_path / "log.jsonl"
    lines = list(generate_log(seed=11, stations=20, lines=20_000, profile=profile))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    code, rows, err = _replay_json(path)
    assert (code, err) == (0, "")
    assert [row["station"] for row in rows] == [f"CP-{n:05d}" for n in range(1, 21)]
    assert all(row["anomalies"] == {} for row in rows)


def test_a_stress_log_holds_every_kind_of_line() -> None:
    kinds: Counter[str] = Counter()
    lines = generate_log(seed=5, stations=10, lines=20_000, profile="stress")
    for line in lines:
        envelope = json.loads(line)
        assert set(envelope) in (
            {"station", "received", "event"},
            {"station", "received", "frame"},
        )
        if "event" in envelope:
            kinds[envelope["event"]] += 1
            continue
        action = envelope["frame"][2]
        kinds[action] += 1
        if action == "StatusNotification":
            payload = envelope["frame"][3]
            kinds["connector 0" if payload["connectorId"] == 0 else "connector"] += 1
            if payload["errorCode"] != "NoError":
                faulted = payload["status"] == "Faulted"
                kinds["fault" if faulted else "warning"] += 1
            kinds[payload["status"]] += 1
    assert set(kinds) == {
        "connected",
        "disconnected",
        "enabled",
        "disabled",
        "Heartbeat",
        "StatusNotification",
        "connector 0",
        "connector",
        "fault",
        "warning",
        *(status.value for status in ChargePointStatus),
    }
    # Mostly reports: the stress profile is for what reports cost.
    assert kinds["StatusNotification"] > 0.8 * sum(
        kinds[k] for k in ("StatusNotification", "Heartbeat", "connected")
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_reports_follow_transitions_and_time_only_moves_on(profile: Profile) -> None:
    held: dict[tuple[str, int], tuple[ChargePointStatus, datetime]] = {}
    previous_receipt = None
    lines = generate_log(seed=9, stations=4, lines=5000, connectors=3, profile=profile)
    for line in lines:
        envelope = json.loads(line)
        received = parse_timestamp(envelope["received"])
        assert received is not None
        assert previous_receipt is None or received > previous_receipt
        previous_receipt = received
        if "frame" not in envelope or envelope["frame"][2] != "StatusNotification":
            continue
        payload = envelope["frame"][3]
        status = ChargePointStatus(payload["status"])
        stamped = parse_timestamp(payload["timestamp"])
        assert stamped is not None
        assert stamped <= received
        key = (envelope["station"], payload["connectorId"])
        if key in held:
            before, before_stamped = held[key]
            assert stamped >= before_stamped
            assert status is before or (
                classify_transition(before, status, connector_id=key[1]) is not None
            )
        held[key] = (status, stamped)


def test_start_sets_the_clock_and_offsets_vary() -> None:
    start = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5)))
    lines = [
        json.loads(line)
        for line in generate_log(seed=1, stations=6, lines=60, start=start)
    ]
    assert parse_timestamp(lines[0]["received"]) == start
    assert lines[0]["received"] == "2030-01-02T08:04:05.000Z"
    zones = {
        line["frame"][3]["timestamp"][19:]
        for line in lines
        if "frame" in line and line["frame"][2] == "StatusNotification"
    }
    assert "Z" in zones
    assert len(zones) > 1


def test_default_start() -> None:
    first = json.loads(next(generate_log(seed=0, stations=1, lines=1)))
    assert parse_timestamp(first["received"]) == DEFAULT_START
    assert datetime(2026, 6, 1, tzinfo=UTC) == DEFAULT_START


@pytest.mark.parametrize(
    ("arguments", "field", "expected"),
    [
        ({"seed": 1.5}, "seed", "an int"),
        ({"seed": True}, "seed", "an int"),
        ({"stations": 0}, "stations", "an int >= 1"),
        ({"stations": "2"}, "stations", "an int >= 1"),
        ({"connectors": 0}, "connectors", "an int >= 1"),
        ({"lines": 2}, "lines", "an int >= stations (each station connects first)"),
        ({"lines": None}, "lines", "an int >= stations (each station connects first)"),
        ({"start": datetime(2026, 6, 1)}, "start", "a timezone-aware datetime"),  # noqa: DTZ001
        ({"start": "2026-06-01"}, "start", "a timezone-aware datetime"),
        ({"profile": "busy"}, "profile", "'realistic' or 'stress'"),
        ({"profile": None}, "profile", "'realistic' or 'stress'"),
        (
            {"protocol": "ocpp2.0"},
            "protocol",
            "'ocpp1.6' or 'ocpp2.0.1' or 'ocpp2.1'",
        ),
        ({"protocol": 2}, "protocol", "'ocpp1.6' or 'ocpp2.0.1' or 'ocpp2.1'"),
        ({"sessions_per_day": -1}, "sessions_per_day", "a finite number >= 0"),
        ({"faults_per_day": math.inf}, "faults_per_day", "a finite number >= 0"),
        ({"faults_per_day": math.nan}, "faults_per_day", "a finite number >= 0"),
        ({"faults_per_day": "1"}, "faults_per_day", "a finite number >= 0"),
        ({"sessions_per_day": False}, "sessions_per_day", "a finite number >= 0"),
        (
            {"mean_outage": timedelta(milliseconds=999)},
            "mean_outage",
            "a timedelta from 1 second to 366 days",
        ),
        (
            {"heartbeat_interval": timedelta(days=367)},
            "heartbeat_interval",
            "a timedelta from 1 second to 366 days",
        ),
        (
            {"heartbeat_interval": 300},
            "heartbeat_interval",
            "a timedelta from 1 second to 366 days",
        ),
    ],
)
def test_bad_arguments_are_named(
    arguments: dict[str, object], field: str, expected: str
) -> None:
    given_arguments: dict[str, Any] = {
        "seed": 1,
        "stations": 3,
        "lines": 10,
        **arguments,
    }
    # A caller's mistake: a TypeError or ValueError naming the argument.
    with pytest.raises((TypeError, ValueError)) as caught:
        generate_log(**given_arguments)
    message = str(caught.value)
    assert message.startswith(f"{field}: got ")
    assert message.endswith(f"expected {expected}")


# --- no anomalies, whatever the knobs ------------------------------------------


def _fold(lines: list[str]) -> Fleet:
    fleet = Fleet()
    for line in lines:
        fleet.consume(line)  # a bad line would raise
    return fleet


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(),
    stations=st.integers(1, 5),
    extra=st.integers(0, 800),
    connectors=st.integers(1, 4),
    profile=st.sampled_from(PROFILES),
    sessions=st.none() | st.floats(0, 500),
    faults=st.none() | st.floats(0, 200),
    outage=st.none() | st.timedeltas(timedelta(seconds=1), timedelta(days=2)),
    heartbeat=st.none() | st.timedeltas(timedelta(seconds=1), timedelta(hours=12)),
)
def test_any_knobs_give_a_log_that_folds_with_no_anomaly(  # noqa: PLR0917  (one per knob)
    seed: int,
    stations: int,
    extra: int,
    connectors: int,
    profile: Profile,
    sessions: float | None,
    faults: float | None,
    outage: timedelta | None,
    heartbeat: timedelta | None,
) -> None:
    lines = list(
        generate_log(
            seed=seed,
            stations=stations,
            lines=stations + extra,
            connectors=connectors,
            profile=profile,
            sessions_per_day=sessions,
            faults_per_day=faults,
            mean_outage=outage,
            heartbeat_interval=heartbeat,
        )
    )
    assert len(lines) == stations + extra
    fleet = _fold(lines)
    assert {
        station: dict(state.anomaly_counts)
        for station, state in fleet.states.items()
        if state.anomaly_counts
    } == {}


def test_every_session_step_is_a_defined_transition() -> None:
    for state, (_, choices) in SESSION.items():
        for target, weight in choices:
            assert weight > 0
            assert classify_transition(state, target, connector_id=1) is not None
    # Every state a session reaches has its next steps.
    assert {target for _, choices in SESSION.values() for target, _ in choices} <= set(
        SESSION
    )


# --- a realistic fleet --------------------------------------------------------

# Two days of 20 stations, at about 330 lines a station a day.
_STATIONS, _TWO_DAYS = 20, 13_200


def _ports(lines: list[str]) -> list[PortUptime]:
    received = [parse_timestamp(json.loads(line)["received"]) for line in lines]
    first, last = received[0], received[-1]
    assert first is not None
    assert last is not None
    return list(uptime(Timeline.from_lines(lines), first, last).ports)


def _percent(port: PortUptime) -> float:
    assert port.uptime_percent is not None
    return float(port.uptime_percent)


def test_the_default_fleet_is_up_most_of_the_time_with_outages_of_minutes_to_hours() -> (
    None
):
    medians: list[float] = []
    outages: list[timedelta] = []
    for seed in range(5):
        lines = list(generate_log(seed=seed, stations=_STATIONS, lines=_TWO_DAYS))
        ports = _ports(lines)
        assert len(ports) == 40
        medians.append(statistics.median(_percent(port) for port in ports))
        outages += [o.end - o.start for port in ports for o in port.outages]
        # Two days, give or take.
        last = parse_timestamp(json.loads(lines[-1])["received"])
        assert last is not None
        assert timedelta(days=1) < last - DEFAULT_START < timedelta(days=4)
    # Uptime in the high nineties: not perfect, not broken.
    assert 95 <= statistics.median(medians) < 99.9
    # Outages are few, and last from minutes to hours.
    assert 0 < len(outages) / (5 * 40) < 10
    assert min(outages) < timedelta(minutes=10)
    assert max(outages) > timedelta(hours=2)
    assert (
        timedelta(minutes=5) < sorted(outages)[len(outages) // 2] < timedelta(hours=2)
    )


def test_the_stress_profile_breaks_ports_far_more_often() -> None:
    realistic = _ports(list(generate_log(seed=3, stations=_STATIONS, lines=_TWO_DAYS)))
    stressed = _ports(
        list(
            generate_log(seed=3, stations=_STATIONS, lines=_TWO_DAYS, profile="stress")
        )
    )
    assert statistics.median(map(_percent, stressed)) < 90
    assert statistics.median(map(_percent, realistic)) > 95
    assert sum(len(p.outages) for p in stressed) > 10 * sum(
        len(p.outages) for p in realistic
    )


def test_no_faults_and_no_sessions_mean_a_fleet_that_only_heartbeats() -> None:
    lines = list(
        generate_log(
            seed=1,
            stations=3,
            lines=3000,
            faults_per_day=0,
            sessions_per_day=0,
        )
    )
    reports = [json.loads(line) for line in lines if "StatusNotification" in line]
    # Only the boot reports: each station's connector 0, 1 and 2, Available.
    assert len(reports) == 9
    assert {r["frame"][3]["status"] for r in reports} == {"Available"}
    assert sum('"Heartbeat"' in line for line in lines) == 3000 - 3 - 9
    assert all(port.outages == () for port in _ports(lines))


@pytest.mark.parametrize("profile", PROFILES)
def test_a_connected_station_is_never_silent_longer_than_its_heartbeat_interval(
    profile: Profile,
) -> None:
    interval = timedelta(minutes=7)
    lines = generate_log(
        seed=4, stations=5, lines=8000, profile=profile, heartbeat_interval=interval
    )
    heard: dict[str, datetime] = {}
    connected: set[str] = set()
    for line in lines:
        envelope = json.loads(line)
        station = envelope["station"]
        at = parse_timestamp(envelope["received"])
        assert at is not None
        if station in connected:
            # A heartbeat is sent when due; receipts differ by a millisecond
            # where two events fall at the same moment.
            assert at - heard[station] <= interval + timedelta(seconds=1)
        heard[station] = at
        event = envelope.get("event")
        if event == "connected":
            connected.add(station)
        elif event == "disconnected":
            connected.discard(station)
    assert connected


def test_a_log_that_would_run_past_the_year_9999_is_refused_on_the_way() -> None:
    late = datetime(9999, 12, 30, 23, 59, tzinfo=UTC)
    lines = generate_log(seed=1, stations=3, lines=10, start=late)
    # The connections come; the first line past the last time a datetime
    # holds is refused, naming the argument.
    assert [json.loads(next(lines))["event"] for _ in range(3)] == ["connected"] * 3
    with pytest.raises(ValueError, match=r"^lines: got 10, expected few enough"):
        next(lines)
    with pytest.raises(ValueError, match=r"it got there after 0 lines"):
        list(
            generate_log(
                seed=1, stations=3, lines=10, start=datetime.max.replace(tzinfo=UTC)
            )
        )


def test_a_rate_of_nearly_nothing_is_never() -> None:
    lines = list(
        generate_log(
            seed=1,
            stations=2,
            lines=500,
            faults_per_day=5e-324,
            sessions_per_day=1e-300,
        )
    )
    assert len(lines) == 500
    assert not any('"Faulted"' in line or '"Preparing"' in line for line in lines)


def test_the_generators_types() -> None:
    assert_type(generate_log(seed=1, stations=1, lines=1), Iterator[str])
    profile: Profile = "stress"
    assert_type(
        generate_log(seed=1, stations=1, lines=1, profile=profile), Iterator[str]
    )
    assert set(get_args(Profile)) == {"realistic", "stress"}
    assert_type(
        generate_log(seed=1, stations=1, lines=1, protocol="ocpp2.1"), Iterator[str]
    )


# --- OCPP 2.0.1 and 2.1 ---------------------------------------------------------


@pytest.mark.parametrize("protocol", ["ocpp2.0.1", "ocpp2.1"])
@pytest.mark.parametrize("profile", PROFILES)
def test_a_201_log_is_the_16_log_translated_and_cut_to_length(
    protocol: Literal["ocpp2.0.1", "ocpp2.1"], profile: Profile
) -> None:
    arguments: dict[str, Any] = {
        "seed": 5,
        "stations": 4,
        "lines": 3000,
        "profile": profile,
    }
    lines = list(generate_log(**arguments, protocol=protocol))
    assert len(lines) == arguments["lines"]
    assert lines == list(generate_log(**arguments, protocol=protocol))
    translated = list(to_ocpp201(generate_log(**arguments), protocol=protocol))
    assert len(translated) > len(lines)
    assert lines == translated[: len(lines)]
    actions = Counter(json.loads(line).get("frame", [0, 0, None])[2] for line in lines)
    assert all(json.loads(line)["protocol"] == protocol for line in lines)
    assert {
        "StatusNotification",
        "TransactionEvent",
        "NotifyEvent",
        "Heartbeat",
    } <= actions.keys()


def test_the_16_log_is_the_default() -> None:
    assert list(generate_log(seed=3, stations=2, lines=50)) == list(
        generate_log(seed=3, stations=2, lines=50, protocol="ocpp1.6")
    )
