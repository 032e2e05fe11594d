"""The typed reader of a whole TransactionEvent line against the general reader.

Whenever the typed reader answers, the general one (read_line, then
read_transaction on its payload) must read the line alike, down to the type
of each value; every plain line must be answered; and folding a log with it
or without it must give the same stations.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Literal, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evstatus import _log, _transaction_lines
from evstatus._ocpp2_events import read_transaction
from evstatus._transaction_lines import (
    READ_TRANSACTION,
    SHORTEST,
    read_transaction_line,
)
from evstatus.exceptions import InvalidReport
from evstatus.log import PROTOCOLS, Fleet, read_line
from evstatus.testing import generate_log, to_ocpp201
from evstatus.uptime import Timeline, uptime

from .examples import examples
from .strategies import json_values, mutated, plain_transactions

pytestmark = pytest.mark.skipif(
    not _log.FAST, reason="the typed reader needs evstatus[fast]"
)

LINES = settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_PLAIN_PAYLOAD = {
    "eventType": "Updated",
    "timestamp": "2026-06-01T10:15:00Z",
    "triggerReason": "ChargingStateChanged",
    "seqNo": 3,
    "transactionInfo": {"transactionId": "tx-1", "chargingState": "SuspendedEV"},
    "evse": {"id": 2, "connectorId": 1},
}


def envelope(
    payload: object, protocol: str | None = "ocpp2.0.1", **changes: object
) -> dict[str, object]:
    """A log line's fields carrying a CALL of a TransactionEvent of *payload*."""
    fields: dict[str, object] = {
        "station": "CP-1",
        "received": "2026-06-01T10:15:01.250Z",
    }
    if protocol is not None:
        fields["protocol"] = protocol
    fields["frame"] = [2, "m-1", "TransactionEvent", payload]
    fields.update(changes)
    return fields


def general(line: str, protocol: str) -> object:
    """What the general reader makes of *line*: the typed reader's answer, or why not."""
    try:
        station, received, kind, value = read_line(line, protocol)
    except InvalidReport as error:
        return list(error.problems)
    if kind != "transaction":
        return kind
    version, payload = cast("tuple[str, object]", value)
    try:
        facts = read_transaction(payload, cast("Any", version))
    except InvalidReport as error:
        return list(error.problems)
    return (station, received, READ_TRANSACTION, (version, facts))


def typed(value: object) -> object:
    """*value* with the type of each of its parts beside it, however deep."""
    if isinstance(value, tuple):
        return tuple(typed(item) for item in cast("tuple[object, ...]", value))
    return (type(value), value)


def agree(line: str, protocol: str) -> bool:
    """Assert the two readers agree on *line*; return whether the typed one read it."""
    read = read_transaction_line(line, protocol)
    if read is None:
        return False
    expected = general(line, protocol)
    assert read == expected
    assert typed(read) == typed(expected)
    return True


# --- every plain line is read, and read alike ------------------------------------


@LINES
@given(
    payload=plain_transactions(),
    named=st.sampled_from([None, "ocpp2.0.1", "ocpp2.1"]),
    protocol=st.sampled_from(PROTOCOLS),
    station=st.sampled_from(["CP-1", "station é 7", "x"]),
    received=st.sampled_from(["2026-06-01T10:15:01.250Z", "2026-06-01T12:15:01+02:00"]),
    compact=st.booleans(),
)
def test_every_plain_line_is_read_as_the_general_reader_reads_it(  # noqa: PLR0917  (the line's parts)
    payload: dict[str, object],
    named: str | None,
    protocol: str,
    station: str,
    received: str,
    compact: bool,
) -> None:
    fields = envelope(payload, named, station=station, received=received)
    separators = (",", ":") if compact else (", ", ": ")
    line = json.dumps(fields, separators=separators, ensure_ascii=compact)
    version = named or protocol
    # A negative seqNo is 2.0.1's alone; a 1.6 line has no TransactionEvent.
    expected = version != "ocpp1.6" and not (
        version == "ocpp2.1" and cast("int", payload["seqNo"]) < 0
    )
    assert agree(line, protocol) is expected
    if not expected:
        assert not isinstance(general(line, protocol), tuple)


# --- anything else is left to the general reader --------------------------------

_ENVELOPE_VALUES = st.one_of(
    json_values,
    st.sampled_from(
        [
            "",
            "  ",
            "ocpp1.6",
            "ocpp2.1",
            "OCPP2.0.1",
            "2026-02-30T10:15:00Z",
            "2026-06-01 10:15:00Z",
            [2, "m-1", "TransactionEvent"],
            [2.0, "m-1", "TransactionEvent", _PLAIN_PAYLOAD],
            [True, "m-1", "TransactionEvent", _PLAIN_PAYLOAD],
            [2, 1, "TransactionEvent", _PLAIN_PAYLOAD],
            [2, "m-1", "StatusNotification", _PLAIN_PAYLOAD],
            [6, "m-1", "TransactionEvent", _PLAIN_PAYLOAD],
        ]
    ),
)


@st.composite
def changed_envelopes(draw: st.DrawFn) -> dict[str, object]:
    """A plain or changed payload, in an envelope with up to two keys changed."""
    payload = draw(
        st.one_of(plain_transactions(), mutated(plain_transactions(), json_values))
    )
    fields = envelope(payload, draw(st.sampled_from([None, "ocpp2.0.1", "ocpp2.1"])))
    for _ in range(draw(st.integers(0, 2))):
        key = draw(
            st.sampled_from(["station", "received", "protocol", "frame", "event", "x"])
        )
        if draw(st.booleans()):
            fields.pop(key, None)
        else:
            fields[key] = copy.deepcopy(draw(_ENVELOPE_VALUES))
    return fields


@LINES
@given(fields=changed_envelopes(), protocol=st.sampled_from(PROTOCOLS))
def test_whatever_the_typed_reader_reads_the_general_one_reads_alike(
    fields: dict[str, object], protocol: str
) -> None:
    kept = copy.deepcopy(fields)
    try:
        line = json.dumps(fields)
    except ValueError:  # pragma: no cover  (json_values are all written)
        return
    agree(line, protocol)
    assert fields == kept


def _edited(text: str) -> Iterator[str]:
    """*text* with each of its keys repeated before itself, with another value."""
    for key in ("station", "received", "eventType", "seqNo", "transactionId", "id"):
        quoted = json.dumps(key)
        for earlier in ('"CP-2"', "7", "null", '"Started"'):
            yield text.replace(quoted + ": ", f"{quoted}: {earlier}, {quoted}: ", 1)


@pytest.mark.parametrize(
    "line", list(_edited(json.dumps(envelope(_PLAIN_PAYLOAD)))), ids=repr
)
def test_a_repeated_key_is_read_as_the_general_reader_reads_it(line: str) -> None:
    # The last of a repeated key counts, as in json.loads; where the first
    # would not do for the typed reader, it leaves the line.
    agree(line, "ocpp1.6")


_PLAIN_LINE = json.dumps(envelope(_PLAIN_PAYLOAD))
_NOTHING: dict[str, object] = {}


@pytest.mark.parametrize(
    ("line", "protocol"),
    [
        # The protocol: none named and 1.6 the default, or 1.6 named.
        (json.dumps(envelope(_PLAIN_PAYLOAD, None)), "ocpp1.6"),
        (json.dumps(envelope(_PLAIN_PAYLOAD, "ocpp1.6")), "ocpp2.0.1"),
        (json.dumps(envelope(_PLAIN_PAYLOAD, "ocpp2.0")), "ocpp2.0.1"),
        # The envelope.
        (json.dumps(envelope(_PLAIN_PAYLOAD, station=" ")), "ocpp1.6"),
        (json.dumps(envelope(_PLAIN_PAYLOAD, station="")), "ocpp1.6"),
        (json.dumps(envelope(_PLAIN_PAYLOAD, received="2026-06-01")), "ocpp1.6"),
        (json.dumps(envelope(_PLAIN_PAYLOAD, event="connected")), "ocpp1.6"),
        (
            json.dumps(envelope(_PLAIN_PAYLOAD, frame=[2, "m", "Heartbeat", _NOTHING])),
            "ocpp1.6",
        ),
        # The payload: what a 2.0.1 station also sends, and what is wrong.
        (
            json.dumps(
                envelope(
                    {
                        **_PLAIN_PAYLOAD,
                        "meterValue": [
                            {
                                "timestamp": "2026-06-01T10:15:00Z",
                                "sampledValue": [{"value": 7.5}],
                            }
                        ],
                    }
                )
            ),
            "ocpp1.6",
        ),
        (json.dumps(envelope({**_PLAIN_PAYLOAD, "offline": False})), "ocpp1.6"),
        (
            json.dumps(envelope({**_PLAIN_PAYLOAD, "customData": {"vendorId": "v"}})),
            "ocpp1.6",
        ),
        (json.dumps(envelope({**_PLAIN_PAYLOAD, "eventType": "Paused"})), "ocpp1.6"),
        (json.dumps(envelope({**_PLAIN_PAYLOAD, "seqNo": 3.0})), "ocpp1.6"),
        (json.dumps(envelope({**_PLAIN_PAYLOAD, "seqNo": True})), "ocpp1.6"),
        (json.dumps(envelope({**_PLAIN_PAYLOAD, "evse": None})), "ocpp1.6"),
        (json.dumps(envelope({**_PLAIN_PAYLOAD, "evse": {"id": 0}})), "ocpp1.6"),
        (
            json.dumps(
                envelope(
                    {
                        **_PLAIN_PAYLOAD,
                        "transactionInfo": {
                            "transactionId": "t",
                            "chargingState": None,
                        },
                    }
                )
            ),
            "ocpp1.6",
        ),
        (
            json.dumps(
                envelope({**_PLAIN_PAYLOAD, "timestamp": "2026-02-30T10:15:00Z"})
            ),
            "ocpp1.6",
        ),
        (json.dumps(envelope({**_PLAIN_PAYLOAD, "seqNo": -1}, "ocpp2.1")), "ocpp1.6"),
        # Not JSON msgspec reads, or too long for it to be asked.
        (_PLAIN_LINE.replace('"seqNo": 3', '"seqNo": NaN'), "ocpp1.6"),
        (_PLAIN_LINE[:-1], "ocpp1.6"),
        (_PLAIN_LINE.replace('"tx-1"', json.dumps("t" * 400)), "ocpp1.6"),
    ],
    ids=repr,
)
def test_any_other_line_is_left_to_the_general_reader(line: str, protocol: str) -> None:
    assert read_transaction_line(_PLAIN_LINE, protocol) is not None
    assert read_transaction_line(line, protocol) is None


def test_a_plain_line_is_read_whole_with_our_own_protocol_name() -> None:
    read = read_transaction_line(_PLAIN_LINE, "ocpp1.6")
    assert read is not None
    station, received, kind, (version, facts) = read
    assert (station, kind, facts[:5]) == (
        "CP-1",
        READ_TRANSACTION,
        ("Updated", "tx-1", 2, 1, "SuspendedEV"),
    )
    assert isinstance(received, datetime)
    # The name kept is the reader's own, not the line's copy of it.
    assert version is _log.OCPP201
    assert len(_PLAIN_LINE) > SHORTEST


# --- the folds: the same stations with the typed reader or without it -------------


def _fleet(lines: list[str], protocol: str) -> dict[str, object]:
    fleet = Fleet(protocol=protocol)
    for text in lines:
        fleet.consume(text)
    return dict(fleet.states)


def _uptime(lines: list[str], protocol: str) -> object:
    timeline = Timeline.from_lines(lines, protocol=protocol)
    day = uptime(
        timeline, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
    )
    return timeline.states, day.ports


def _logs() -> Iterator[tuple[list[str], str]]:
    versions: tuple[tuple[int, Literal["ocpp2.0.1", "ocpp2.1"]], ...] = (
        (1, "ocpp2.0.1"),
        (2, "ocpp2.1"),
    )
    for seed, version in versions:
        source = generate_log(seed=seed, stations=6, lines=1_500, profile="stress")
        translated = list(to_ocpp201(source, protocol=version))
        yield translated, "ocpp1.6"
        yield [_unnamed(text) for text in translated], version


def _unnamed(text: str) -> str:
    """*text*, a log line, without its protocol."""
    fields = json.loads(text)
    del fields["protocol"]
    return json.dumps(fields)


@pytest.mark.parametrize("read", [_fleet, _uptime], ids=["fleet", "uptime"])
def test_a_log_folds_alike_with_the_typed_reader_and_without_it(
    read: Callable[[list[str], str], object], monkeypatch: pytest.MonkeyPatch
) -> None:
    for lines, protocol in _logs():
        taken = sum(
            read_transaction_line(text, protocol) is not None
            for text in lines
            if len(text) > SHORTEST
        )
        assert taken > 100
        with_it = read(lines, protocol)
        monkeypatch.setattr(_transaction_lines, "read_transaction_line", _declined)
        monkeypatch.setattr("evstatus.log.read_transaction_line", _declined)
        monkeypatch.setattr(
            "evstatus.uptime._timeline.read_transaction_line", _declined
        )
        assert read(lines, protocol) == with_it
        monkeypatch.undo()


def _declined(line: str, protocol: str) -> None:  # noqa: ARG001  (the reader's signature)
    return None
