"""Each fast path against the careful path it stands in for.

A fast path may only answer what the careful path would answer, with the same
value; whatever it is unsure of it hands on. These tests compare the two over
the shapes the fast paths look for, with every character of them changed in
turn, and over random strings of those shapes.
"""
# pyright: reportPrivateUsage=false

from __future__ import annotations

import contextlib
import copy
import gc
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    _log,
)
from evstatus._cli import main
from evstatus._cli import replay as replay_command
from evstatus._cli.changes import Line, print_stations
from evstatus._log import _decode_carefully, _decode_line
from evstatus._ocpp16 import _parse_thoroughly
from evstatus._timestamps import _parse_by_grammar, parse_timestamp
from evstatus.exceptions import InvalidReport
from evstatus.history import StationState
from evstatus.log import Fleet, read_line
from evstatus.testing import generate_log

from .folding import feed_line

# The shapes the timestamp fast path looks for, and their neighbours.
_TIMESTAMPS = (
    "2026-06-01T08:15:30Z",
    "2026-06-01T08:15:30.123Z",
    "2026-06-01T08:15:30+05:45",
    "2026-06-01T08:15:30-00:00",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:30:00-01:00",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999Z",
    "2026-06-01T08:15:30.1234Z",
    "2026-06-01T08:15:30.12+01:00",
)
# What each place is changed to: digits out of range, other separators,
# lower case, digits of other scripts, spaces, signs.
_STAND_INS = "0123456789:-+.TtZz ,/W\u0661\u00b2\uff15\u00e9"


def _same(text: str) -> None:
    fast, careful = parse_timestamp(text), _parse_by_grammar(text)
    assert fast == careful, text
    if isinstance(fast, datetime) and isinstance(careful, datetime):
        assert fast.tzinfo is careful.tzinfo, text


@pytest.mark.parametrize("text", _TIMESTAMPS)
def test_timestamp_fast_path_agrees_on_every_one_character_change(text: str) -> None:
    _same(text)
    for index in range(len(text)):
        for stand_in in _STAND_INS:
            _same(text[:index] + stand_in + text[index + 1 :])
        _same(text[:index] + text[index + 1 :])


@given(
    st.sampled_from(_TIMESTAMPS).flatmap(
        lambda text: st.lists(
            st.tuples(
                st.integers(0, len(text) - 1),
                st.sampled_from(_STAND_INS) | st.characters(),
            ),
            max_size=4,
        ).map(lambda changes: _changed(text, changes))
    )
)
def test_timestamp_fast_path_agrees_on_random_changes(text: str) -> None:
    _same(text)


def _changed(text: str, changes: list[tuple[int, str]]) -> str:
    characters = list(text)
    for index, character in changes:
        characters[index] = character
    return "".join(characters)


@given(st.datetimes(timezones=st.timezones()))
def test_timestamp_fast_path_agrees_on_written_times(moment: datetime) -> None:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    base = moment.strftime("%Y-%m-%dT%H:%M:%S").rjust(19, "0")
    for text in (base + "Z", f"{base}.{moment.microsecond // 1000:03d}Z", base + zone):
        _same(text)


# --- from_ocpp: every valid shape, and the near misses ------------------------

_OPTIONAL: tuple[dict[str, object], ...] = (
    {},
    {"timestamp": "2026-06-01T08:15:30Z"},
    {"timestamp": "2026-06-01T08:15:30.5+05:45", "info": "i" * 50},
    {"info": "i" * 51},
    {"vendorId": "v" * 255, "vendorErrorCode": "e" * 50},
    {"vendorId": "v" * 256},
    {"vendorErrorCode": "e" * 51},
    {"info": None},
    {"timestamp": "2026-06-01T08:15:30"},
)


def _outcome(parse: object, payload: object) -> object:
    assert callable(parse)
    try:
        return parse(payload)
    except InvalidReport as error:
        return error.problems


@pytest.mark.parametrize("connector_id", [0, 1, 7, -1])
@pytest.mark.parametrize("extra", _OPTIONAL)
def test_report_fast_path_agrees_on_every_state_and_error_code(
    connector_id: int, extra: dict[str, object]
) -> None:
    for status in ChargePointStatus:
        for code in ChargePointErrorCode:
            payload = {
                "connectorId": connector_id,
                "errorCode": code.value,
                "status": status.value,
                **extra,
            }
            fast = _outcome(ConnectorReport.from_ocpp, payload)
            assert fast == _outcome(_parse_thoroughly, payload), payload


# --- a line's JSON: the scanner alone, or decode() -----------------------------

_LINES = (
    '{"a": 1}',
    '[2, "1", "Heartbeat", {}]',
    ' {"a": 1}',
    '{"a": 1} ',
    '{"a": 1}\t\r',
    '{"a": 1}{"b": 2}',
    '{"a": 1} x',
    "",
    " ",
    "nul",
    "null",
    "1" * 5000,
    "[" * 100_000,
    '{"a": "\\ud800"}',
    '{"a": NaN}',
    "\u00a0{}",
    '{"a": 1',
)


def _decoded(decode: object, line: str) -> object:
    assert callable(decode)
    try:
        return ("value", decode(line))
    except InvalidReport as error:
        return ("problems", error.problems)


@pytest.mark.parametrize("line", _LINES)
def test_line_decoding_agrees_with_the_careful_decoder(line: str) -> None:
    assert _decoded(_decode_line, line) == _decoded(_decode_carefully, line)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(max_size=3), inner, max_size=3)
        ),
        max_leaves=8,
    ),
    st.sampled_from(["", " ", "\t", "\r\n"]),
    st.sampled_from(["", " ", "\t", "\r", " 1", "]", "x"]),
)
def test_line_decoding_agrees_on_random_values(
    value: object, before: str, after: str
) -> None:
    line = before + json.dumps(value) + after
    assert _decoded(_decode_line, line) == _decoded(_decode_carefully, line)


# --- the common envelope: the fast reading against the thorough one ------------

# The values below are templates: every draw takes a deep copy, because the
# envelope strategy changes what it draws (it appends to a frame, replaces
# items), and a change to a shared list would change what later draws, and
# Hypothesis's replay of the same choices, see.
_fresh = copy.deepcopy

_ENVELOPE_VALUE_LIST: tuple[object, ...] = (
    "CP-1",
    " ",
    "",
    "2026-06-01T08:00:00Z",
    "2026-06-01T08:00:00",
    "connected",
    "heard",
    "Connected",
    None,
    1,
    True,
    json.loads("[]"),
    json.loads("{}"),
)
_ENVELOPE_VALUES = st.sampled_from(_ENVELOPE_VALUE_LIST).map(_fresh)
_FRAME_ITEM_LIST: tuple[object, ...] = (
    2,
    3,
    2.0,
    True,
    "1",
    7,
    "StatusNotification",
    "Heartbeat",
    "Reset",
    "NoSuchAction",
    ["Heartbeat"],
    json.loads("{}"),
    {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
    None,
)
_FRAME_ITEMS = st.sampled_from(_FRAME_ITEM_LIST).map(_fresh)
_COMMON_BODIES: tuple[tuple[str, object], ...] = (
    ("event", "connected"),
    ("frame", [2, "7", "Heartbeat", json.loads("{}")]),
    (
        "frame",
        [
            2,
            "7",
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
        ],
    ),
)


@st.composite
def _envelopes(draw: st.DrawFn) -> dict[str, object]:
    """A common envelope, then up to three things about it changed."""
    key, body = draw(st.sampled_from(_COMMON_BODIES))
    fields: dict[str, object] = {
        "station": "CP-1",
        "received": "2026-06-01T08:00:00Z",
        key: _fresh(body),
    }
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.integers(0, 3))
        frame = fields.get("frame")
        if change == 0 and isinstance(frame, list) and frame:
            items = cast("list[object]", frame)
            items[draw(st.integers(0, len(items) - 1))] = draw(_FRAME_ITEMS)
        elif change == 1 and isinstance(frame, list):
            items = cast("list[object]", frame)
            if draw(st.booleans()) and items:
                items.pop()
            else:
                items.append(draw(_FRAME_ITEMS))
        elif change == 2:
            fields[draw(_ENVELOPE_KEYS)] = draw(_ENVELOPE_VALUES | _FRAME_ITEMS)
        else:
            fields.pop(draw(_ENVELOPE_KEYS), None)
    return fields


_ENVELOPE_KEYS = st.sampled_from(
    ("station", "received", "frame", "event", "payload", "stat")
)


def _containers(value: object) -> Iterator[object]:
    """Every list and dict in *value*, itself included, however deep."""
    if isinstance(value, list | dict):
        yield value
        items = (
            cast("dict[object, object]", value).values()
            if isinstance(value, dict)
            else cast("list[object]", value)
        )
        for item in items:
            yield from _containers(item)
    elif isinstance(value, tuple):
        for item in cast("tuple[object, ...]", value):
            yield from _containers(item)


_TEMPLATE_IDS = frozenset(
    id(container)
    for container in _containers(
        (_ENVELOPE_VALUE_LIST, _FRAME_ITEM_LIST, _COMMON_BODIES)
    )
)


@given(_envelopes())
def test_an_envelope_shares_no_list_or_dict_with_the_values_it_is_drawn_from(
    fields: dict[str, object],
) -> None:
    # The strategy changes what it draws; a shared list changed once would
    # change every later draw, and Hypothesis's replay of the same choices.
    assert not any(id(found) in _TEMPLATE_IDS for found in _containers(fields))


def _thoroughly(fields: dict[str, object]) -> object:
    try:
        return _log._read_envelope(fields, _log.OCPP16)
    except InvalidReport as error:
        return error.problems


@given(_envelopes())
def test_the_common_envelope_reads_only_what_the_thorough_reader_reads_alike(
    fields: dict[str, object],
) -> None:
    entry = _log._read_common_envelope(fields, _log.OCPP16)
    if entry is not None:
        assert entry == _thoroughly(fields)


@pytest.mark.parametrize(
    "line",
    [
        '{"station": "A", "received": "2026-06-01T08:00:00Z", "event": "connected"}',
        (
            '{"station": "A", "received": "2026-06-01T08:00:00Z", '
            '"frame": [2, "7", "Heartbeat", {}]}'
        ),
        (
            '{"station": "A", "received": "2026-06-01T08:00:00Z", '
            '"frame": [2, "7", "StatusNotification", {}]}'
        ),
    ],
)
def test_the_common_lines_take_the_fast_reading(line: str) -> None:
    fields = json.loads(line)
    entry = _log._read_common_envelope(fields, _log.OCPP16)
    assert entry is not None
    assert entry == _thoroughly(fields)


# --- evstatus[fast]: the msgspec reader against the pure one -------------------

_BAD_LINES = (
    "",
    "   ",
    "not json",
    '{"station": "CP-1", "received": "2026-06-01T00:00:00Z"}',
    '{"station": "CP-1", "recieved": "2026-06-01T00:00:00Z", "event": "connected"}',
    '[2, "1", "StatusNotification", {"connectorId": 1}]',
    (
        '[2, "1", "StatusNotification", {"connectorId": 18446744073709551616, '
        '"errorCode": "NoError", "status": "Available"}]'
    ),
    (
        '[2, "1", "StatusNotification", {"connectorId": NaN, "errorCode": "NoError", '
        '"status": "Available"}]'
    ),
    '{"connectorId": 1e400, "errorCode": "NoError", "status": "Available"}',
    '{"connectorId": 1, "errorCode": "NoError", "status": "\\ud800"}',
    '{"connectorId": 1, "errorCode": "NoError", "status": "Available"} x',
    '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}  ',
    '{"connectorId": 0, "errorCode": "NoError", "status": "Charging"}',
    "[" * 400 + "]" * 400,
    "[" * 5000 + "]" * 5000,
    "1" * 700,
    '{"a": 1, "a": 2}',
)


def _replayed(lines: list[str]) -> tuple[list[object], dict[str, StationState]]:
    fleet = Fleet()
    outcomes: list[object] = []
    for line in lines:
        try:
            outcomes.append(read_line(line))
            feed_line(fleet, line)
        except InvalidReport as error:
            outcomes.append([str(problem) for problem in error.problems])
    return outcomes, dict(fleet.states)


@pytest.mark.skipif(not _log._have_msgspec, reason="evstatus[fast] not installed")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_reader_replays_a_log_as_the_pure_one(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = list(generate_log(seed=seed, stations=20, lines=2_000, profile="stress"))
    # A bad line after every 50.
    for index, bad in enumerate(_BAD_LINES * 3):
        lines.insert(50 * (index + 1), bad)
    monkeypatch.setattr(_log, "_decode_value", _log._decode_line_fast)
    fast = _replayed(lines)
    monkeypatch.setattr(_log, "_decode_value", _log._decode_line)
    pure = _replayed(lines)
    assert fast == pure
    outcomes, states = pure
    assert sum(isinstance(outcome, list) for outcome in outcomes) >= len(_BAD_LINES)
    # The stations of the log, and the default one of the bare payloads.
    assert len(states) == 21


@pytest.mark.skipif(not _log._have_msgspec, reason="evstatus[fast] not installed")
@given(st.text(alphabet='{}[]":, 0123456789.eE+-truefalsnNaI\\u\t', max_size=40))
def test_fast_decoder_agrees_on_json_like_text(line: str) -> None:
    assert _decoded(_log._decode_line_fast, line) == _decoded(_decode_carefully, line)


@pytest.mark.parametrize("line", [*_LINES, *_BAD_LINES])
def test_fast_decoder_agrees_on_edge_lines(line: str) -> None:
    assert _decoded(_log._decode_line_fast, line) == _decoded(_decode_carefully, line)


def test_the_pure_switch_turns_the_fast_reader_off() -> None:
    # Decided at import: a fresh interpreter sees the variable.
    script = "from evstatus import _log; print(_log.FAST, _log._decode_value.__name__)"
    usual = "True _decode_line_fast" if _log._have_msgspec else "False _decode_line"
    for value, expected in (("1", "False _decode_line"), ("0", usual), ("", usual)):
        result = subprocess.run(  # noqa: S603  (our own interpreter, fixed script)
            [sys.executable, "-c", script],
            env={**os.environ, "EVSTATUS_PURE_PYTHON": value},
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == expected


# --- the replay's frozen GC ---------------------------------------------------


def test_a_long_replay_freezes_the_gc_and_thaws_it_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = list(generate_log(seed=5, stations=30, lines=10_000, profile="stress"))
    log = tmp_path / "log.jsonl"
    log.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    # Another test, or a library, may have left objects frozen: start clean.
    gc.unfreeze()
    assert main(["replay", "--json", str(log)]) == 0
    # Nothing is left frozen, and the fleet is what Fleet.read makes of it.
    assert gc.get_freeze_count() == 0
    fleet = Fleet()
    for line in lines:
        feed_line(fleet, line)
    printed = [json.loads(row) for row in capsys.readouterr().out.splitlines()]
    assert [row["station"] for row in printed] == sorted(fleet.states)
    assert [row["status"] for row in printed] == [
        view.status.value for view in fleet.views().values()
    ]


def test_a_replay_leaves_a_callers_frozen_objects_frozen(tmp_path: Path) -> None:
    lines = list(generate_log(seed=5, stations=3, lines=5_000, profile="stress"))
    log = tmp_path / "log.jsonl"
    log.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    gc.unfreeze()
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        assert frozen
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["replay", str(log)]) == 0
        # The replay neither froze more nor thawed what the caller froze (a
        # few of those objects may have been freed meanwhile).
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("callers_frozen", [False, True])
def test_the_final_table_is_built_with_the_gc_held_off_only_if_the_replay_owns_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, callers_frozen: bool
) -> None:
    log = tmp_path / "log.jsonl"
    lines = generate_log(seed=5, stations=3, lines=200, profile="stress")
    log.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    seen: list[bool] = []
    printer = print_stations

    def printing(lines: Iterable[Line], out: IO[str], *, as_json: bool) -> None:
        seen.append(gc.isenabled())
        printer(lines, out, as_json=as_json)

    monkeypatch.setattr(replay_command, "print_stations", printing)
    gc.unfreeze()
    if callers_frozen:
        gc.freeze()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["replay", str(log)]) == 0
    finally:
        gc.unfreeze()
    # Held off while the replay manages the GC, left alone otherwise; on after.
    assert seen == [callers_frozen]
    assert gc.isenabled()
