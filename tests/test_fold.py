"""One fold: stepping against folding, the log reader, and a fleet's settings."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import ChargePointStatus as S
from evstatus import ConnectorReport, InvalidReport, PlatformEvent, StationState
from evstatus.history import DEFAULT_CLOCK_RULES, ClockRules
from evstatus.log import (
    BadLine,
    Contact,
    Event,
    Fleet,
    FleetSettings,
    Message,
    read_line,
    read_log,
)
from evstatus.testing.strategies import (
    DeviantPayload,
    connector_reports,
    deviant_payloads,
    status_notification_payloads,
)

T0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
AT = "2026-06-01T08:00:00Z"

# --- stepping against folding -----------------------------------------------------


def _forbidden(status: str, info: str) -> dict[str, object]:
    return {"connectorId": 0, "errorCode": "NoError", "status": status, "info": info}


_SMALL_IDS = st.integers(0, 3)
_ITEMS = st.one_of(
    connector_reports(connector_ids=_SMALL_IDS),
    st.sampled_from(list(PlatformEvent)),
    status_notification_payloads(),
    # Connector 0 in a state it may not have: an anomaly, not an error.
    # (info within its 50 characters, so that the state is its only fault).
    st.builds(
        _forbidden, st.sampled_from(["Charging", "Reserved"]), st.text(max_size=50)
    ),
)


@given(st.lists(_ITEMS, max_size=30))
def test_folding_items_gives_the_state_stepping_them_gives(
    items: list[ConnectorReport | PlatformEvent | dict[str, object]],
) -> None:
    stepped = StationState()
    for item in items:
        stepped = stepped.step(item).state
    assert StationState().fold(items) == stepped
    # From a state with a history too, which the fold must not change.
    start = StationState().fold(items[: len(items) // 2])
    again = start
    for item in items:
        again = again.step(item).state
    assert start.fold(items) == again
    assert start == StationState().fold(items[: len(items) // 2])


@given(deviant_payloads(), st.booleans())
def test_a_bad_payload_raises_alike_from_step_and_fold(
    deviant: DeviantPayload, lenient: bool
) -> None:
    payload = deviant.payload
    try:
        stepped = StationState().step(payload, lenient=lenient).state
    except InvalidReport as error:
        assert not deviant.deviation.valid_ocpp
        with pytest.raises(InvalidReport) as caught:
            StationState().fold([payload])
        if not lenient:
            assert caught.value.problems == error.problems
    else:
        if not lenient:
            assert StationState().fold([payload]) == stepped


def test_an_event_that_changes_nothing_gives_the_very_same_state() -> None:
    state = StationState().step(PlatformEvent.DISABLED).state
    assert state.step(PlatformEvent.DISABLED).state is state
    assert not state.step(PlatformEvent.DISABLED).changed
    enabled = state.step(PlatformEvent.ENABLED)
    assert enabled.changed
    assert enabled.state.enabled


def test_a_payload_must_be_a_json_object() -> None:
    # A mapping of another kind, even one holding a state connector 0 may
    # not have, is no payload: nothing was decoded from JSON into it.
    for status in ("Charging", "Available"):
        payload = MappingProxyType({**_PAYLOAD, "connectorId": 0, "status": status})
        with pytest.raises(InvalidReport, match=r"<payload>: got <mappingproxy>"):
            StationState().step(payload)


def test_step_checks_lenient_and_the_clock_for_every_item() -> None:
    with pytest.raises(TypeError, match=r"^lenient: got 1"):
        StationState().step(PlatformEvent.HEARD, lenient=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^clock: got None"):
        StationState().step(PlatformEvent.HEARD, clock=None)  # type: ignore[arg-type]


# --- the reader ---------------------------------------------------------------------


def _line(value: object) -> str:
    return json.dumps(value)


_PAYLOAD = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
_NONE: dict[str, object] = {}


def test_the_reader_yields_each_line_as_a_typed_item_with_its_number() -> None:
    lines = [
        _line({"station": "A", "received": AT, "event": "connected"}),
        "",
        _line({"station": "A", "received": AT, "frame": [2, "1", "Heartbeat", _NONE]}),
        _line([3, "1", _NONE]),
        _line({"station": "B", "payload": _PAYLOAD}),
        _line([2, "2", "Reset", {"type": "Soft"}]),
        " \t",
        "{not json",
        _line([2, "3", "StatusNotification", _PAYLOAD]),
    ]
    read = list(read_log(lines, start=10, default_station="CP-0"))
    assert read[:5] == [
        Event(number=10, station="A", received=T0, event=PlatformEvent.CONNECTED),
        Contact(number=12, station="A", received=T0, action="Heartbeat"),
        Contact(number=13, station="CP-0", received=None, action="CALLRESULT"),
        Message(
            number=14,
            station="B",
            received=None,
            action="StatusNotification",
            payload=_PAYLOAD,
        ),
        BadLine(number=17, error=_error("{not json")),
    ]
    # Reading goes on after a bad line.
    last = read[5]
    assert isinstance(last, Message)
    assert (last.number, last.station, last.protocol) == (18, "CP-0", "ocpp1.6")
    assert last.item == _PAYLOAD
    assert len(read) == 6
    assert isinstance(read[0], Event)
    assert read[0].item is PlatformEvent.CONNECTED
    assert isinstance(read[1], Contact)
    assert read[1].item is PlatformEvent.HEARD


def _error(line: str) -> InvalidReport:
    with pytest.raises(InvalidReport) as caught:
        read_line(line)
    return caught.value


def test_bad_lines_are_equal_when_their_problems_are() -> None:
    first, second = read_log(["[2]", "[2]"])
    assert isinstance(first, BadLine)
    assert first.error is not second.error  # type: ignore[union-attr]
    assert first == BadLine(number=1, error=second.error)  # type: ignore[union-attr]
    assert first != BadLine(number=1, error=_error("[5]"))


@pytest.mark.parametrize(
    ("kwargs", "error", "start"),
    [
        ({"start": "1"}, TypeError, "start: got '1'"),
        ({"default_station": 7}, TypeError, "default_station: got 7"),
        ({"default_station": " "}, ValueError, "default_station: got ' '"),
    ],
)
def test_the_reader_refuses_bad_arguments_at_once(
    kwargs: dict[str, object], error: type[Exception], start: str
) -> None:
    with pytest.raises(error) as caught:
        read_log([], **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(start)


# --- a fleet's settings ---------------------------------------------------------------


def test_a_fleet_is_built_from_its_settings_and_gives_them_back() -> None:
    settings = FleetSettings(
        default_station="CP-0",
        heartbeat_interval=timedelta(minutes=5),
        tolerance=3,
        clock=ClockRules(ahead_tolerance=timedelta(0)),
        lenient=True,
    )
    fleet = Fleet.from_settings(settings)
    assert fleet.settings is settings
    assert Fleet(**_fields(settings)).settings == settings  # type: ignore[arg-type]
    assert Fleet().settings == FleetSettings()
    assert FleetSettings().clock is DEFAULT_CLOCK_RULES
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert pickle.loads(pickle.dumps(fleet)).settings == settings
    fleet.consume(_line({"payload": {**_PAYLOAD, "status": "charging"}}))
    assert fleet.states["CP-0"].reports[1].status is S.CHARGING


def _fields(settings: FleetSettings) -> dict[str, object]:
    return {
        "default_station": settings.default_station,
        "heartbeat_interval": settings.heartbeat_interval,
        "tolerance": settings.tolerance,
        "clock": settings.clock,
        "lenient": settings.lenient,
    }


@pytest.mark.parametrize(
    ("kwargs", "error", "start"),
    [
        ({"default_station": ""}, ValueError, "default_station: got ''"),
        ({"default_station": None}, TypeError, "default_station: got None"),
        ({"heartbeat_interval": timedelta(0)}, ValueError, "heartbeat_interval: got"),
        ({"heartbeat_interval": 5}, TypeError, "heartbeat_interval: got 5"),
        ({"tolerance": 0.5}, ValueError, "tolerance: got 0.5"),
        ({"tolerance": "2"}, TypeError, "tolerance: got '2'"),
        ({"clock": None}, TypeError, "clock: got None"),
        ({"lenient": "yes"}, TypeError, "lenient: got 'yes'"),
    ],
)
def test_settings_are_checked_when_made(
    kwargs: dict[str, object], error: type[Exception], start: str
) -> None:
    for make in (FleetSettings, Fleet):
        with pytest.raises(error) as caught:
            make(**kwargs)  # type: ignore[arg-type]
        assert str(caught.value).startswith(start)


def test_settings_are_immutable_and_given_by_keyword() -> None:
    settings = FleetSettings()
    with pytest.raises(AttributeError):
        settings.lenient = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        FleetSettings("CP-0")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    with pytest.raises(TypeError, match=r"^settings: got "):
        Fleet.from_settings({"lenient": True})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "other",
    [
        FleetSettings(lenient=True),
        FleetSettings(clock=ClockRules(behind_window=timedelta(days=1))),
        FleetSettings(default_station="other"),
        FleetSettings(heartbeat_interval=timedelta(minutes=5)),
        FleetSettings(heartbeat_interval=timedelta(minutes=5), tolerance=3),
    ],
)
def test_fleets_merge_only_with_equal_settings(other: FleetSettings) -> None:
    # Lenient reading and clock rules count too: a fleet folded by others
    # would hold states these settings never make.
    fleet = Fleet()
    with pytest.raises(ValueError, match=r"^other: its settings FleetSettings\("):
        fleet.merge(Fleet.from_settings(other))
    fleet.merge(Fleet.from_settings(FleetSettings()))
