from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from evstatus import (
    ChargePointStatus,
    ConnectorReport,
    Fleet,
    InvalidReport,
    PlatformEvent,
    StationStatus,
)
from evstatus._log import (
    CENTRAL_SYSTEM_ACTIONS,
    CHARGE_POINT_ACTIONS,
    LogEntry,
    is_blank,
    is_station_id,
    read_line,
)
from evstatus.ocpi import EvseStatus

from .folding import feed_line, timeline

S = ChargePointStatus

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


@pytest.mark.parametrize("named", [True, False])
def test_a_call_frame_without_a_payload_object_is_a_bad_frame(named: bool) -> None:
    # The same message whether the envelope is the common one or not.
    fields: dict[str, object] = {
        "received": AT,
        "frame": [2, "m", "StatusNotification", 7],
    }
    if named:
        fields["station"] = "A"
    with pytest.raises(InvalidReport) as caught:
        read_line(line(fields))
    assert "frame" in [problem.field for problem in caught.value.problems]


def test_actions_are_known_once() -> None:
    assert not CHARGE_POINT_ACTIONS & CENTRAL_SYSTEM_ACTIONS
    assert "StatusNotification" in CHARGE_POINT_ACTIONS


@pytest.mark.parametrize(
    ("text", "field", "expected_part"),
    [
        ("{not json", "column 2", "one JSON value (Expecting property name"),
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
        ('{"payload": [1]}', "payload", "a StatusNotification payload (a JSON"),
        ('{"station": "A", "payload": "x"}', "payload", "a StatusNotification"),
        ('{"station": "", "event": "heard"}', "station", "a non-empty string"),
        ('{"station": " \\t", "event": "heard"}', "station", "not only spaces"),
        ('{"station": 7, "event": "heard"}', "station", "a non-empty string"),
        ('{"station": null, "event": "heard"}', "station", "leave the key out"),
        ('{"received": null, "event": "heard"}', "received", "leave the key out"),
        ('{"received": "yesterday", "event": "heard"}', "received", "RFC 3339"),
        ('{"received": 12, "event": "heard"}', "received", "RFC 3339"),
        ('{"event": "heard", "at": "x"}', "<keys>", "an envelope key: station,"),
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
    assert [str(p) for p in caught.value.problems] == [
        (
            "<keys>: got 'y', expected an envelope key: station, received,"
            " protocol, frame, payload or event"
        ),
        "<keys>: got 'payload, event', expected only one of frame, payload, event",
        "station: got 1, expected a station id: a non-empty string, not only spaces",
        (
            "received: got 'x', expected an RFC 3339 date-time with an offset, like"
            " '2026-11-22T10:15:00Z' or '2026-11-22T11:15:00.5+01:00'"
        ),
    ]


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        (
            {"station": "X", "evnt": "connected"},
            [
                (
                    "<keys>: got 'evnt', expected an envelope key: station, received,"
                    " protocol, frame, payload or event (did you mean 'event'?)"
                ),
                (
                    "frame/payload/event: missing, expected one of them: an OCPP-J frame,"
                    " a StatusNotification payload or a platform event"
                ),
            ],
        ),
        (
            {"recieved": AT, "station": "X", "event": "heard"},
            [
                (
                    "<keys>: got 'recieved', expected an envelope key: station, received,"
                    " protocol, frame, payload or event (did you mean 'received'?)"
                )
            ],
        ),
        (
            {"received": AT, "connectorId": 1, "status": "Charging"},
            [
                (
                    "<keys>: got 'connectorId', expected an envelope key: station,"
                    " received, protocol, frame, payload or event"
                ),
                (
                    "<keys>: got 'status', expected an envelope key: station, received,"
                    " protocol, frame, payload or event"
                ),
                (
                    "frame/payload/event: missing, expected one of them: an OCPP-J frame,"
                    " a StatusNotification payload or a platform event"
                ),
            ],
        ),
        (
            {"station": "X", "e" * 50: 1, "event": "heard"},
            [
                (
                    f"<keys>: got {'e' * 40!r}… (50 characters), expected an envelope"
                    " key: station, received, protocol, frame, payload or event"
                )
            ],
        ),
    ],
)
def test_an_object_naming_a_station_or_time_is_an_envelope(
    value: dict[str, object], problems: list[str]
) -> None:
    # Read as a bare payload, a misspelt key would show as a list of missing
    # payload fields, none of them the real mistake.
    with pytest.raises(InvalidReport) as caught:
        read_line(line(value))
    assert [str(p) for p in caught.value.problems] == problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '{"connectorId": 1, "status": "Charging" "errorCode": "NoError"}',
            (
                'column 41: got \'"errorCode": "NoError"}\', expected one JSON value'
                " (Expecting ',' delimiter)"
            ),
        ),
        (
            '{"connectorId": 1, ',
            (
                "column 20: missing, expected one JSON value"
                " (Expecting property name enclosed in double quotes)"
            ),
        ),
        ("[1] [2]", "column 5: got '[2]', expected one JSON value (Extra data)"),
    ],
)
def test_json_errors_name_the_column_once(text: str, problem: str) -> None:
    with pytest.raises(InvalidReport) as caught:
        read_line(text)
    assert [str(p) for p in caught.value.problems] == [problem]


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("", True),
        (" \t\r\n ", True),
        ("\x0c", False),
        ("\x0b", False),
        ("\u00a0", False),
        ("\u2028", False),
        ("\x1c", False),
        ("\x85", False),
        (" x ", False),
    ],
)
def test_only_json_whitespace_makes_a_blank_line(text: str, blank: bool) -> None:
    assert is_blank(text) is blank
    if not blank:
        # Whatever else the line is, JSON does not skip it.
        with pytest.raises(InvalidReport):
            read_line(text)


def test_a_station_id_has_more_than_white_space() -> None:
    assert is_station_id("CP-1")
    assert is_station_id(" CP 1 ")
    for value in ["", " ", "\t\u00a0", None, 1, ["CP-1"]]:
        assert not is_station_id(value)


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
        {"station": "   ", "received": AT, "frame": FRAME},
        {"station": "A", "received": 5, "frame": FRAME},
        {"station": "A", "received": AT, "frame": "x"},
    ],
)
def test_unusual_envelopes_are_judged_thoroughly(value: object) -> None:
    with pytest.raises(InvalidReport):
        read_line(line(value))


def _report_at(
    connector_id: int, status: ChargePointStatus, when: datetime | None = None
) -> ConnectorReport:
    return ConnectorReport(connector_id=connector_id, status=status, timestamp=when)


# --- a fleet of stations, fed and read ----------------------------------------


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
    fleet.feed("quiet", _report_at(1, S.AVAILABLE), at=t0)
    fleet.feed("busy", _report_at(1, S.AVAILABLE), at=t0 + timedelta(hours=1))
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
    assert feed_line(fleet, '[2, "1", "Reset", {"type": "Soft"}]') is None
    assert timeline(fleet, ['[2, "1", "Reset", {"type": "Soft"}]']) == [None]
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


def test_a_heartbeat_fleet_says_nothing_of_a_line_that_changes_nothing() -> None:
    fleet = Fleet(heartbeat_interval=timedelta(minutes=5))
    line = '{"station": "A", "received": "2026-06-01T08:00:00Z", "event": "connected"}'
    again = '{"station": "A", "received": "2026-06-01T08:01:00Z", "event": "heard"}'
    first, second = timeline(fleet, [line, again])
    assert first is not None
    assert second is None
