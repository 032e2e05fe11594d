"""evstatus.testing draws and generates OCPP 2.0.1 and 2.1 logs as promised."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evstatus.testing.strategies import LogProtocol, station_logs

_FOLDERS = {"ocpp2.0.1": "v201", "ocpp2.1": "v21"}
_PROTOCOLS: list[LogProtocol] = ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]
_MIXED = st.sampled_from(_PROTOCOLS)


@cache
def _validator(protocol: str, action: str) -> Any:
    folder = _FOLDERS[protocol]
    text = files("ocpp").joinpath(f"{folder}/schemas/{action}Request.json").read_text()
    return jsonschema.Draft6Validator(json.loads(text))


@settings(max_examples=60, deadline=None)
@given(station_logs(protocols=_MIXED))
def test_each_station_speaks_one_protocol_and_its_messages_are_valid(
    text: str,
) -> None:
    assert text.endswith("\n")
    spoken: dict[str, set[str]] = {}
    for line in text.splitlines():
        envelope = json.loads(line)
        protocol = envelope.get("protocol", "ocpp1.6")
        spoken.setdefault(envelope["station"], set()).add(protocol)
        frame = envelope.get("frame")
        if protocol != "ocpp1.6":
            assert "payload" not in envelope
            if frame is not None and frame[0] == 2:
                _validator(protocol, frame[2]).validate(frame[3])
    assert all(len(protocols) == 1 for protocols in spoken.values())


def test_mixed_logs_hold_every_protocol_and_message() -> None:
    seen: set[tuple[str, str]] = set()

    @settings(max_examples=60, database=None)
    @given(station_logs(protocols=_MIXED))
    def collect(text: str) -> None:
        for line in text.splitlines():
            envelope = json.loads(line)
            frame = envelope.get("frame")
            what = "event" if frame is None else frame[2]
            seen.add((envelope.get("protocol", "ocpp1.6"), what))

    collect()
    for protocol in ("ocpp2.0.1", "ocpp2.1"):
        for action in ("StatusNotification", "TransactionEvent", "NotifyEvent"):
            assert (protocol, action) in seen


def test_a_drawn_protocol_must_be_known() -> None:
    @settings(max_examples=1, database=None)
    @given(station_logs(protocols=st.just("ocpp2.0")))  # type: ignore[arg-type]
    def draw(text: str) -> None:
        raise AssertionError(text)

    with pytest.raises(ValueError, match=r"protocols: got 'ocpp2\.0', expected to"):
        draw()
