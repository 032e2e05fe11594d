"""The stack example's central system under traffic a well-behaved station never sends.

Same set-up as tests/test_stack_example.py: the central system runs
in-process on a free port of 127.0.0.1 and is spoken to over real WebSocket
and HTTP connections. Counts are small and every wait is bounded.
"""

# The ocpp package ships no type information.
# pyright: reportMissingTypeStubs=false

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import math
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any, cast
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("ocpp", reason="the stack example needs the examples group")
pytest.importorskip("websockets", reason="the stack example needs the examples group")

from ocpp.v16.enums import ChargePointStatus
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

import central_system
import charge_point_simulator
from central_system import (
    MAX_CONNECTORS,
    MAX_DEPTH,
    MAX_FRAME_CHARS,
    MAX_NUMBER_CHARS,
    MAX_PAGE,
    CentralSystem,
    Frame,
    FrameProblem,
    NotCurrentError,
    Registry,
    RegistryFullError,
    charge_point_id_from,
    check_frame,
)
from charge_point_simulator import Protocol, Step
from evstatus import StationStatus

from .test_stack_example import DEADLINE, http_get, station

OCPP16 = [Subprotocol("ocpp1.6")]
HEARTBEAT = '[2,"hb","Heartbeat",{}]'


def run(
    test: Callable[[CentralSystem, int], Awaitable[None]],
    max_stations: int = central_system.MAX_STATIONS,
) -> None:
    """Run *test* against a fresh central system, within DEADLINE."""

    async def body() -> None:
        async with central_system.running(port=0, max_stations=max_stations) as (
            central,
            server,
        ):
            await test(central, central_system.bound_port(server))

    asyncio.run(asyncio.wait_for(body(), DEADLINE))


@asynccontextmanager
async def raw(port: int, path: str = "/ocpp/CP-1") -> AsyncGenerator[ClientConnection]:
    """A plain WebSocket to the central system, to send frames as they are."""
    async with connect(f"ws://127.0.0.1:{port}{path}", subprotocols=OCPP16) as ws:
        yield ws


async def ask(ws: ClientConnection, frame: str | bytes) -> list[Any]:
    await ws.send(frame)
    answer: list[Any] = json.loads(await ws.recv())
    assert isinstance(answer, list)
    return answer


async def still_answers(ws: ClientConnection) -> None:
    """The next frame back answers a Heartbeat: nothing else was sent before."""
    answer = await ask(ws, HEARTBEAT)
    assert answer[:2] == [3, "hb"]
    assert answer[2]["currentTime"].endswith("Z")


async def refused_at_handshake(port: int, path: str) -> int:
    with pytest.raises(InvalidStatus) as refusal:
        async with raw(port, path):
            pass
    return refusal.value.response.status_code


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["stations"]]


# -- one id, several connections -------------------------------------------


def test_a_second_connection_replaces_the_first_and_the_station_goes_offline() -> None:
    async def test(central: CentralSystem, port: int) -> None:
        async with raw(port) as first:
            await still_answers(first)
            async with raw(port) as second:
                # The central system closes the older connection itself.
                await first.wait_closed()
                assert first.close_code == 1000
                assert first.close_reason == (
                    "replaced by a newer connection with the same id"
                )
                await still_answers(second)
                # The older connection's handler ends on its own time.
                await central.registry.wait_for_connections("CP-1", 1)
                assert (await station(port, "CP-1"))["online"] is True
                status = (
                    '[2,"s1","StatusNotification",{"connectorId":1,'
                    '"errorCode":"NoError","status":"Charging"}]'
                )
                assert (await ask(second, status))[0] == 3
                assert (await station(port, "CP-1"))["status"] == "Charging"
        view = await central.registry.wait_for(
            "CP-1", lambda v: v.status is StationStatus.OFFLINE
        )
        assert view.connectors == {1: "Unavailable"}
        assert central.registry.open_connections("CP-1") == 0
        assert (await station(port, "CP-1"))["online"] is False

    run(test)


REPORT: dict[str, object] = {
    "connectorId": 1,
    "errorCode": "NoError",
    "status": "Charging",
}


def test_the_registry_is_online_while_any_connection_is_open() -> None:
    # The order that once left a station online for good: two connections
    # with one id, the newer closes, the older reports, then closes.
    async def scenario() -> None:
        registry: Registry[str] = Registry()
        assert await registry.connected("CP-1", "A") == []
        assert await registry.connected("CP-1", "B") == ["A"]
        await registry.disconnected("CP-1", "B")
        state = registry.state("CP-1")
        assert state is not None
        assert state.online() is True  # A has not closed yet
        with pytest.raises(NotCurrentError):
            await registry.reported("CP-1", "A", dict(REPORT))
        await registry.disconnected("CP-1", "A")
        state = registry.state("CP-1")
        assert state is not None
        assert state.online() is False
        assert state.view().status is StationStatus.OFFLINE

    asyncio.run(scenario())


# Every order of up to six steps over three connections of one id.
CONNECTIONS = ("A", "B", "C")
STEPS = tuple(
    (action, name) for action in ("open", "close", "report") for name in CONNECTIONS
)


def orders(length: int) -> Iterator[tuple[tuple[str, str], ...]]:
    for order in itertools.product(STEPS, repeat=length):
        opened: set[str] = set()
        closed: set[str] = set()
        valid = True
        for action, name in order:
            if action == "open":
                valid = name not in opened
                opened.add(name)
            elif action == "close":
                valid = name in opened and name not in closed
                closed.add(name)
            else:
                valid = name in opened and name not in closed
            if not valid:
                break
        if valid:
            yield order


def test_every_order_of_opening_closing_and_reporting() -> None:
    async def check(order: tuple[tuple[str, str], ...]) -> None:
        registry: Registry[str] = Registry()
        open_now: list[str] = []
        current: str | None = None
        for action, name in order:
            if action == "open":
                assert await registry.connected("CP", name) == open_now
                open_now.append(name)
                current = name
            elif action == "close":
                await registry.disconnected("CP", name)
                open_now.remove(name)
                current = None if current == name else current
            elif name == current:
                await registry.reported("CP", name, dict(REPORT))
            else:
                with pytest.raises(NotCurrentError):
                    await registry.reported("CP", name, dict(REPORT))
            state = registry.state("CP")
            assert state is not None
            assert state.online() is bool(open_now), order
            assert registry.open_connections("CP") == len(open_now), order

    async def every() -> int:
        count = 0
        for length in range(1, 7):
            for order in orders(length):
                await check(order)
                count += 1
        return count

    assert asyncio.run(every()) > 1000


# -- charge point ids ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/ocpp/",
        "/ocpp/?token=secret",
        "/ocpp/CP%2F1",  # an encoded '/'
        "/ocpp/CP/1",
        "/ocpp/CP%3Ftoken=x",  # an encoded '?'
        "/ocpp/CP%201",
        "/ocpp/CP:1",
        "/ocpp/%FF",  # not UTF-8
        "/ocpp/%C3%A9",  # 'é'
        "/ocpp/CP%00",
        "/ocpp/" + "x" * 49,
        "/ocpp/CP%252F1",  # encoded twice: '%' is left after decoding
    ],
)
def test_a_bad_charge_point_id_is_refused_at_the_handshake(path: str) -> None:
    async def test(central: CentralSystem, port: int) -> None:
        assert await refused_at_handshake(port, path) == 400
        assert len(central.registry) == 0

    run(test)


def test_the_id_is_decoded_and_the_query_dropped() -> None:
    async def test(central: CentralSystem, port: int) -> None:
        async with raw(port, "/ocpp/CP%2D1?token=secret") as ws:
            await still_answers(ws)
            status_code, body = await http_get(port, "/stations")
            assert status_code == 200
            assert ids(body) == ["CP-1"]
            assert "secret" not in json.dumps(body)
        longest = "Az09*-_=+|@." * 4
        async with raw(port, f"/ocpp/{quote(longest, safe='')}") as ws:
            await still_answers(ws)
        assert central.registry.state(longest) is not None
        # The single-station path decodes the same way.
        assert (await station(port, "CP%2D1"))["id"] == "CP-1"
        assert (await station(port, quote(longest, safe="")))["id"] == longest

    run(test)


@given(st.text(max_size=60))
def test_an_accepted_id_is_always_of_the_safe_set(text: str) -> None:
    found = charge_point_id_from("/ocpp/" + quote(text, safe=""))
    if found is None:
        assert central_system.CHARGE_POINT_ID.fullmatch(text) is None
    else:
        assert found == text
        assert central_system.CHARGE_POINT_ID.fullmatch(found)
        assert len(found) <= 48


# -- how many stations, and the listing --------------------------------------


async def visit(port: int, charge_point_id: str) -> None:
    async with raw(port, f"/ocpp/{charge_point_id}") as ws:
        await still_answers(ws)


def test_a_full_registry_forgets_the_station_disconnected_longest() -> None:
    async def test(central: CentralSystem, port: int) -> None:
        for n in range(10):
            await visit(port, f"CP-{n}")
            await central.registry.wait_for(
                f"CP-{n}", lambda v: v.status is StationStatus.OFFLINE
            )
        assert len(central.registry) == 3
        _, body = await http_get(port, "/stations")
        assert ids(body) == ["CP-7", "CP-8", "CP-9"]
        # Reconnecting keeps a station; the longest offline one goes first.
        await visit(port, "CP-7")
        await central.registry.wait_for(
            "CP-7", lambda v: v.status is StationStatus.OFFLINE
        )
        await visit(port, "CP-new")
        _, body = await http_get(port, "/stations")
        assert ids(body) == ["CP-7", "CP-9", "CP-new"]

    run(test, max_stations=3)


def test_the_registry_refuses_a_new_station_when_all_are_connected() -> None:
    # What the connection handler meets if another charge point took the last
    # place between its handshake and its start.
    async def scenario() -> None:
        registry: Registry[str] = Registry(max_stations=1)
        await registry.connected("CP-1", "A")
        assert not registry.admits("CP-2")
        assert registry.admits("CP-1")
        with pytest.raises(RegistryFullError):
            await registry.connected("CP-2", "B")
        assert registry.state("CP-2") is None
        await registry.disconnected("CP-1", "A")
        assert registry.admits("CP-2")
        await registry.connected("CP-2", "B")
        assert registry.state("CP-1") is None
        assert len(registry) == 1

    asyncio.run(scenario())


@pytest.mark.parametrize("bad", [0, -1])
def test_a_registry_holds_at_least_one_station(bad: int) -> None:
    with pytest.raises(ValueError, match=f"max_stations must be 1 or more, not {bad}"):
        Registry(max_stations=bad)


def test_the_command_line_takes_a_maximum_number_of_stations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert central_system.parse_args([]).max_stations == central_system.MAX_STATIONS
    assert central_system.parse_args(["--max-stations", "5"]).max_stations == 5
    for bad in ("0", "-3", "many", "١"):
        with pytest.raises(SystemExit):
            central_system.parse_args(["--max-stations", bad])
        error = capsys.readouterr().err
        assert f"{bad!r} is not a whole number above 0" in error
        assert "Traceback" not in error


def test_a_registry_of_connected_stations_refuses_a_new_one() -> None:
    async def test(central: CentralSystem, port: int) -> None:
        async with raw(port, "/ocpp/CP-1") as one, raw(port, "/ocpp/CP-2") as two:
            await still_answers(one)
            await still_answers(two)
            assert await refused_at_handshake(port, "/ocpp/CP-3") == 503
            # A station already known may still connect (and replaces itself).
            async with raw(port, "/ocpp/CP-2") as again:
                await still_answers(again)
        assert central.registry.state("CP-3") is None

    run(test, max_stations=2)


def test_many_connections_keep_the_registry_bounded() -> None:
    # Whole batches are kept, so which stations remain does not depend on the
    # order in which the connections of one batch close.
    total, concurrent, kept = 300, 20, 60

    async def test(central: CentralSystem, port: int) -> None:
        for start in range(0, total, concurrent):
            batch = [f"{n:048d}" for n in range(start, start + concurrent)]
            await asyncio.gather(*(visit(port, cp_id) for cp_id in batch))
            for cp_id in batch:
                await central.registry.wait_for(
                    cp_id, lambda v: v.status is StationStatus.OFFLINE
                )
            assert len(central.registry) <= kept
        _, body = await http_get(port, f"/stations?limit={MAX_PAGE}")
        assert ids(body) == [f"{n:048d}" for n in range(total - kept, total)]
        assert body["next"] is None

    run(test, max_stations=kept)


def test_the_listing_comes_in_pages_in_id_order() -> None:
    async def test(central: CentralSystem, port: int) -> None:
        names = [f"CP-{n:02d}" for n in range(25)]
        for name in reversed(names):
            await visit(port, name)
        seen: list[str] = []
        path: str | None = "/stations?limit=10"
        pages = 0
        while path is not None:
            status_code, body = await http_get(port, path)
            assert status_code == 200
            assert len(body["stations"]) <= 10
            seen += ids(body)
            path = body["next"]
            pages += 1
        assert seen == names
        assert pages == 3
        _, everything = await http_get(port, "/stations")
        assert ids(everything) == names
        assert everything["next"] is None
        _, first = await http_get(port, "/stations?limit=1")
        assert first["next"] == "/stations?limit=1&after=CP-00"
        _, rest = await http_get(port, "/stations?after=CP-22")
        assert ids(rest) == ["CP-23", "CP-24"]
        _, none = await http_get(port, "/stations?after=CP-99&limit=5")
        assert none == {"stations": [], "next": None}
        assert len(central.registry) == 25

    run(test)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/stations?x=1", "unknown query parameter 'x'; expected limit or after"),
        ("/stations?limit=0", f"limit '0' is not a whole number from 1 to {MAX_PAGE}"),
        ("/stations?limit=abc", "limit 'abc' is not a whole number from 1 to 1000"),
        ("/stations?limit=1001", "limit '1001' is not a whole number from 1 to 1000"),
        ("/stations?limit=-1", "limit '-1' is not a whole number from 1 to 1000"),
        ("/stations?limit=1&limit=2", "a query parameter is given more than once"),
        (
            "/stations?limit",
            "malformed query 'limit'; expected name=value pairs joined by &",
        ),
        ("/stations/CP-1?x=1", "unknown query parameter 'x'; this path takes none"),
    ],
)
def test_a_bad_query_gets_400_saying_what_is_wrong(path: str, message: str) -> None:
    async def test(_: CentralSystem, port: int) -> None:
        await visit(port, "CP-1")
        assert await http_get(port, path) == (400, {"error": message})

    run(test)


def test_unknown_paths_and_ids_are_404() -> None:
    async def test(_: CentralSystem, port: int) -> None:
        for path in ("/", "/station", "/stations/CP-2", "/stations/%FF", "/stations/"):
            assert await http_get(port, path) == (404, {"error": "not found"}), path

    run(test)


@pytest.mark.parametrize("protocol", ["ocpp1.6", "ocpp2.0.1"])
def test_a_station_reports_at_most_max_connectors(protocol: Protocol) -> None:
    async def test(central: CentralSystem, port: int) -> None:
        url = f"ws://127.0.0.1:{port}/ocpp/CP-1"
        clock = charge_point_simulator.steady_clock()
        async with charge_point_simulator.connected(url, clock, protocol) as cp:
            for connector in range(MAX_CONNECTORS):
                assert await cp.report(Step(connector, ChargePointStatus.available))
            assert not await cp.report(
                Step(MAX_CONNECTORS, ChargePointStatus.available)
            )
            # Connectors already known still report.
            assert await cp.report(Step(1, ChargePointStatus.preparing))
        state = central.registry.state("CP-1")
        assert state is not None
        # Over 2.0.1, connector 0 is the main controller and n is EVSE n's 1/1.
        assert len(state.reports) + len(state.evse_reports) == MAX_CONNECTORS

    run(test)


# -- frames the ocpp package's parser must not see ---------------------------


def call_with(value: str, message_id: str = "m1") -> str:
    return f'[2,"{message_id}","Heartbeat",{{"x":{value}}}]'


DEEP = "[" * 5_000 + "]" * 5_000
HUGE = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("frame", "code", "description"),
    [
        (
            call_with("1" * 5_000),
            "FormationViolation",
            (
                f"a number of 5000 characters (111111111111...); at most"
                f" {MAX_NUMBER_CHARS} are accepted"
            ),
        ),
        (
            call_with(HUGE),
            "FormationViolation",
            (
                f"the frame has {len(call_with(HUGE))} characters; at most"
                f" {MAX_FRAME_CHARS} are accepted"
            ),
        ),
        (
            call_with(DEEP),
            "FormationViolation",
            f"arrays and objects nest deeper than {MAX_DEPTH} levels",
        ),
        (
            call_with("NaN"),
            "FormationViolation",
            "the frame is not JSON: NaN is not a JSON number",
        ),
        (
            '[2,"m1","Heartbeat",{',
            "FormationViolation",
            (
                "the frame is not JSON: Expecting property name enclosed in double"
                " quotes: line 1 column 22 (char 21)"
            ),
        ),
        (
            '[2,"m1",["Heartbeat"],{}]',
            "FormationViolation",
            "action ['Heartbeat'] is not a string",
        ),
        (
            '[2,"m1","Heartbeat",[]]',
            "FormationViolation",
            "the payload is not a JSON object",
        ),
        (
            '[2,"m1","Heartbeat"]',
            "ProtocolError",
            "a message of type 2 has 4 elements, not 3",
        ),
        (
            b'[2,"m1","Heartbeat",{}]',
            "FormationViolation",
            "a binary frame; OCPP frames are text",
        ),
    ],
)
def test_a_bad_frame_gets_a_callerror_and_the_connection_stays_open(
    frame: str | bytes, code: str, description: str
) -> None:
    async def test(_: CentralSystem, port: int) -> None:
        async with raw(port) as ws:
            assert await ask(ws, frame) == [4, "m1", code, description, {}]
            await still_answers(ws)

    run(test)


def test_an_open_string_full_of_escaped_quotes_is_answered() -> None:
    # Each quote in it looks like the start of another string; scanning it
    # from every one of them would keep the event loop busy for minutes.
    frame = '[2,"m1","Heartbeat","' + '\\"' * (MAX_FRAME_CHARS // 2 - 20)

    async def test(_: CentralSystem, port: int) -> None:
        async with raw(port) as ws:
            answer = await ask(ws, frame)
            assert answer[:3] == [4, "m1", "FormationViolation"]
            assert answer[3].startswith("the frame is not JSON: Unterminated string")
            await still_answers(ws)

    run(test)


def test_a_frame_over_the_message_limit_closes_the_connection() -> None:
    async def test(central: CentralSystem, port: int) -> None:
        async with raw(port) as ws:
            await ws.send(call_with('"' + "x" * central_system.MAX_MESSAGE_BYTES + '"'))
            await ws.wait_closed()
            assert ws.close_code == 1009
        await central.registry.wait_for(
            "CP-1", lambda v: v.status is StationStatus.OFFLINE
        )

    run(test)


@pytest.mark.parametrize(
    "frame",
    [
        DEEP,
        "1" * 5_000,
        '{"a": 1}',
        "[]",
        '[7,"m1"]',
        "[2, 1, 2, 3]",
        '[3,"m1"]',
        '[3,"m1",{}]',  # an answer to no call
        '[4,"m1","GenericError","",{}]',
        '[2,"' + "x" * 37 + '","Heartbeat",' + DEEP + "]",  # id too long to trust
    ],
)
def test_a_frame_without_a_call_to_answer_is_dropped(frame: str | bytes) -> None:
    async def test(_: CentralSystem, port: int) -> None:
        async with raw(port) as ws:
            await ws.send(frame)
            await still_answers(ws)

    run(test)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(st.text() | json_values.map(json.dumps))
def test_check_frame_never_raises(frame: str) -> None:
    assert isinstance(check_frame(frame), Frame | FrameProblem)


def within_limits(value: object, depth: int) -> bool:
    """Whether *value*, nested *depth* deep already, keeps the number and depth limits."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return len(str(value)) <= MAX_NUMBER_CHARS
    if isinstance(value, float):
        return math.isfinite(value) and len(repr(value)) <= MAX_NUMBER_CHARS
    items = (
        list(cast("dict[str, object]", value).values())
        if isinstance(value, dict)
        else cast("list[object]", value)
    )
    return depth <= MAX_DEPTH and all(within_limits(item, depth + 1) for item in items)


@given(
    st.text(min_size=1, max_size=36),
    st.text(max_size=20),
    st.dictionaries(st.text(max_size=10), json_values, max_size=5),
)
def test_a_well_formed_call_passes(message_id: str, action: str, payload: Any) -> None:
    frame = json.dumps([2, message_id, action, payload])
    checked = check_frame(frame)
    if len(frame) <= MAX_FRAME_CHARS and within_limits(payload, depth=2):
        assert checked == Frame(2)
    else:
        assert isinstance(checked, FrameProblem)
        assert checked.message_id in {message_id, None}


def test_the_command_line_logs_an_exception_on_one_line() -> None:
    formatter = central_system.OneLineFormatter("%(name)s: %(message)s")
    try:
        raise ValueError("invalid report (1 problem):\n  timestamp: bad")  # noqa: TRY301
    except ValueError:
        record = logging.LogRecord(
            "ocpp", logging.ERROR, __file__, 1, "Error while handling", (), None
        )
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert line == (
        "ocpp: Error while handling (invalid report (1 problem):   timestamp: bad)"
    )
