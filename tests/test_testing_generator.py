"""evstatus.testing.generate_log: deterministic, realistic, and replayable."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evstatus import ChargePointStatus
from evstatus._cli import main
from evstatus._timestamps import parse_timestamp
from evstatus.rules import classify_transition
from evstatus.testing import DEFAULT_START, generate_log

# The digest of one log, written down once (and checked on Python 3.11, 3.12
# and 3.13): if it changes, the same seed no longer gives the same lines, which
# the generator promises on every Python version.
GOLDEN_SHA256 = "42e71a2f6b2b0a8079dd1406697b399597f8943bb2589e046c0ae2534d054d56"


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def test_the_same_seed_gives_the_lines_it_always_gave() -> None:
    lines = list(generate_log(seed=2026, stations=7, lines=2000, connectors=3))
    assert _digest(lines) == GOLDEN_SHA256


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


def test_a_long_log_replays_with_no_bad_line_and_no_anomaly(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = list(generate_log(seed=11, stations=20, lines=20_000))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    code, rows, err = _replay_json(path)
    assert (code, err) == (0, "")
    assert [row["station"] for row in rows] == [f"CP-{n:05d}" for n in range(1, 21)]
    assert all(row["anomalies"] == {} for row in rows)


def test_a_log_holds_every_kind_of_line() -> None:
    kinds: Counter[str] = Counter()
    for line in generate_log(seed=5, stations=10, lines=20_000, connectors=2):
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
    # Mostly reports, as a platform's log is.
    assert kinds["StatusNotification"] > 0.6 * sum(
        kinds[k] for k in ("StatusNotification", "Heartbeat", "connected")
    )


def test_reports_follow_transitions_and_time_only_moves_on() -> None:
    held: dict[tuple[str, int], tuple[ChargePointStatus, datetime]] = {}
    previous_receipt = None
    for line in generate_log(seed=9, stations=4, lines=5000, connectors=3):
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
