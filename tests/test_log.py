import json
from datetime import UTC, datetime

import pytest

from evstatus import InvalidReport, PlatformEvent
from evstatus._log import (
    CENTRAL_SYSTEM_ACTIONS,
    CHARGE_POINT_ACTIONS,
    LogEntry,
    read_line,
)

PAYLOAD = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
FRAME = [2, "m1", "StatusNotification", PAYLOAD]
AT = "2026-06-01T08:00:00Z"
T = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def line(value: object) -> str:
    return json.dumps(value)


EMPTY: dict[str, object] = {}
GOOD_LINES: list[tuple[object, LogEntry | None]] = [
    (FRAME, (None, None, "status", PAYLOAD)),
    (PAYLOAD, (None, None, "status", PAYLOAD)),
    (
        {"station": "CP-1", "received": AT, "frame": FRAME},
        ("CP-1", T, "status", PAYLOAD),
    ),
    (
        {"station": "CP-1", "frame": FRAME},
        ("CP-1", None, "status", PAYLOAD),
    ),
    ({"received": AT, "frame": FRAME}, (None, T, "status", PAYLOAD)),
    (
        {"station": "CP-1", "received": AT, "payload": PAYLOAD},
        ("CP-1", T, "status", PAYLOAD),
    ),
    (
        {"station": "CP-1", "received": AT, "event": "disabled"},
        ("CP-1", T, "event", PlatformEvent.DISABLED),
    ),
    ({"event": "heard"}, (None, None, "event", PlatformEvent.HEARD)),
    ([2, "m2", "Heartbeat", {}], (None, None, "heard", "Heartbeat")),
    ([2, "m2", "ReserveNow", {}], (None, None, "skipped", "ReserveNow")),
    ([3, "m2", {"currentTime": AT}], (None, None, "heard", "CALLRESULT")),
    (
        [4, "m2", "InternalError", "boom", {}],
        (None, None, "heard", "CALLERROR"),
    ),
    (
        {"station": "CP-1", "received": AT, "frame": [2, "m", "Authorize", {}]},
        ("CP-1", T, "heard", "Authorize"),
    ),
    # The quick reader hands anything unusual to the thorough one.
    (
        {"station": "CP-1", "received": AT, "frame": [2, "m", "Heartbeat", {}]},
        ("CP-1", T, "heard", "Heartbeat"),
    ),
    (
        {"station": "CP-1", "received": AT, "frame": [True, "m", "Heartbeat", {}]},
        None,
    ),
]


@pytest.mark.parametrize(("value", "entry"), GOOD_LINES)
def test_good_lines(value: object, entry: LogEntry | None) -> None:
    if entry is None:
        with pytest.raises(InvalidReport):
            read_line(line(value))
    else:
        assert read_line(line(value)) == entry


def test_payload_is_passed_on_unchecked() -> None:
    # Checking it is the state's job; the line is well formed.
    assert read_line(line([2, "m", "StatusNotification", EMPTY]))[3] == {}
    assert (
        read_line(
            line(
                {
                    "station": "A",
                    "received": AT,
                    "frame": [2, "m", "StatusNotification", 7],
                }
            )
        )[3]
        == 7
    )


def test_actions_are_known_once() -> None:
    assert not CHARGE_POINT_ACTIONS & CENTRAL_SYSTEM_ACTIONS
    assert "StatusNotification" in CHARGE_POINT_ACTIONS


@pytest.mark.parametrize(
    ("text", "field", "expected_part"),
    [
        ("{not json", "<line>", "one JSON value (Expecting property name"),
        ("1" * 5000, "<line>", "sane size"),
        ("[" * 100_000, "<line>", "sane size"),
        ("42", "<line>", "a JSON array"),
        ('"text"', "<line>", "a JSON array"),
        ("null", "<line>", "a JSON array"),
        ("[]", "frame[0]", "the message type"),
        ('[5, "m", {}]', "frame[0]", "the message type"),
        ('[true, "m", "Heartbeat", {}]', "frame[0]", "the message type"),
        ('[2, "m", "Heartbeat"]', "frame", "[2, message id, action, payload object]"),
        ('[2, 7, "Heartbeat", {}]', "frame", "[2, message id"),
        ('[2, "m", "Heartbeat", []]', "frame", "[2, message id"),
        ('[3, "m"]', "frame", "[3, message id, payload object]"),
        ('[4, "m", "E", "d"]', "frame", "[4, message id, error code"),
        ('[2, "m", "Teleport", {}]', "frame[2]", "an OCPP 1.6 action"),
        ('{"event": "exploded"}', "event", "one of 'connected'"),
        ('{"event": 3}', "event", "one of 'connected'"),
        ('{"frame": {"a": 1}}', "frame", "an OCPP-J frame"),
        ('{"station": "", "event": "heard"}', "station", "a non-empty string"),
        ('{"station": 7, "event": "heard"}', "station", "a non-empty string"),
        ('{"received": "yesterday", "event": "heard"}', "received", "RFC 3339"),
        ('{"received": 12, "event": "heard"}', "received", "RFC 3339"),
        ('{"event": "heard", "at": "x"}', "<keys>", "only station, received"),
        ('{"event": "heard", "frame": []}', "<keys>", "only one of frame, payload"),
    ],
)
def test_bad_lines(text: str, field: str, expected_part: str) -> None:
    with pytest.raises(InvalidReport) as caught:
        read_line(text)
    assert str(caught.value).startswith("invalid line")
    assert caught.value.problems[0].field == field
    assert expected_part in caught.value.problems[0].expected


def test_every_envelope_problem_is_listed() -> None:
    with pytest.raises(InvalidReport) as caught:
        read_line(
            '{"station": 1, "received": "x", "event": "heard", "payload": {}, "y": 0}'
        )
    assert [p.field for p in caught.value.problems] == [
        "<keys>",
        "<keys>",
        "station",
        "received",
    ]


def test_a_quick_path_bad_receive_time_is_still_caught() -> None:
    text = line({"station": "A", "received": "2026-13-01T00:00:00Z", "frame": FRAME})
    with pytest.raises(InvalidReport) as caught:
        read_line(text)
    assert caught.value.problems[0].field == "received"


@pytest.mark.parametrize(
    "value",
    [
        {
            "station": "A",
            "received": AT,
            "frame": [2, "m", "StatusNotification", PAYLOAD, 1],
        },
        {
            "station": "A",
            "received": AT,
            "frame": [2, 1, "StatusNotification", PAYLOAD],
        },
        {"station": "", "received": AT, "frame": FRAME},
        {"station": "A", "received": 5, "frame": FRAME},
        {"station": "A", "received": AT, "frame": "x"},
    ],
)
def test_unusual_envelopes_are_judged_thoroughly(value: object) -> None:
    with pytest.raises(InvalidReport):
        read_line(line(value))
