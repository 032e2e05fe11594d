"""evstatus.testing.strategies keeps its promises.

Valid payloads are checked against the official schemas shipped in the ``ocpp``
package and an independent RFC 3339 validator, not only against our parsers;
sessions against the transition table; logs by replaying them with the real
``evstatus replay`` command.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import itertools
import json
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evstatus.testing.strategies as strategies_module
from evstatus import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    InvalidReport,
    ocpp201,
)
from evstatus._cli import main
from evstatus._timestamps import parse_timestamp
from evstatus.rules import classify_transition
from evstatus.testing.strategies import (
    DeviantPayload,
    Deviation,
    aware_datetimes,
    connector_reports,
    connector_sessions,
    deviant_payloads,
    ocpp2_connector_reports,
    ocpp2_status_notification_payloads,
    offsets,
    rfc3339_timestamps,
    station_logs,
    status_notification_payloads,
)

from .rfc3339 import is_acceptable_timestamp


def _schema(path: str) -> dict[str, Any]:
    text = files("ocpp").joinpath(path).read_text(encoding="utf-8")
    return cast("dict[str, Any]", json.loads(text))


# Typed loosely: jsonschema's stubs want JSON types our TypedDicts do not spell.
OCPP16: Any = jsonschema.Draft4Validator(_schema("v16/schemas/StatusNotification.json"))
OCPP2: dict[str, Any] = {
    version: jsonschema.Draft6Validator(
        _schema(f"{version}/schemas/StatusNotificationRequest.json")
    )
    for version in ("v201", "v21")
}


# --- timestamps -------------------------------------------------------------


@given(offsets())
def test_offsets_are_whole_minutes_within_a_day(zone: Any) -> None:
    offset = zone.utcoffset(None)
    assert offset.total_seconds() % 60 == 0
    assert abs(offset) < timedelta(days=1)


@given(aware_datetimes())
def test_aware_datetimes_exist_in_utc(moment: datetime) -> None:
    assert moment.utcoffset() is not None
    assert 1 <= moment.astimezone(UTC).year <= 9999


@given(rfc3339_timestamps())
def test_rfc3339_timestamps_are_rfc3339_and_read_back(text: str) -> None:
    assert is_acceptable_timestamp(text)
    moment = parse_timestamp(text)
    assert moment is not None
    assert datetime.fromisoformat(text.replace("-00:00", "+00:00")) == moment


def test_rfc3339_timestamps_use_every_zone_and_fraction_form() -> None:
    seen: set[str] = set()

    @settings(max_examples=300, database=None)
    @given(rfc3339_timestamps())
    def collect(text: str) -> None:
        tail = text[19:]
        if tail.startswith("."):
            seen.add("fraction")
        for zone in ("Z", "+00:00", "-00:00"):
            if tail.endswith(zone):
                seen.add(zone)
        if not tail.endswith(("Z", "+00:00", "-00:00")):
            seen.add("offset")

    collect()
    assert seen == {"fraction", "Z", "+00:00", "-00:00", "offset"}


# --- valid OCPP 1.6 ---------------------------------------------------------


@given(status_notification_payloads())
def test_valid_payloads_pass_the_schema_and_the_parser(payload: Any) -> None:
    assert OCPP16.is_valid(payload)
    assert payload["connectorId"] >= 0
    if "timestamp" in payload:
        assert is_acceptable_timestamp(payload["timestamp"])
    report = ConnectorReport.from_ocpp(payload)
    assert report.connector_id == payload["connectorId"]
    assert report.status.value == payload["status"]
    again = json.loads(json.dumps(payload))
    assert ConnectorReport.from_ocpp(again) == report


@given(connector_reports())
def test_reports_round_trip_through_the_official_schema(
    report: ConnectorReport,
) -> None:
    payload = report.to_ocpp()
    assert OCPP16.is_valid(payload)
    assert ConnectorReport.from_ocpp(payload) == report


def test_reports_cover_every_shape() -> None:
    """Connector 0 in each of its states, every error code, every optional field."""
    zero_states: set[ChargePointStatus] = set()
    codes: set[ChargePointErrorCode] = set()
    fields: Counter[str] = Counter()
    offsets_seen: set[bool] = set()

    # Enough draws that one of the 16 error codes going missing is vanishingly rare.
    @settings(max_examples=800, database=None)
    @given(connector_reports())
    def collect(report: ConnectorReport) -> None:
        if report.connector_id == 0:
            zero_states.add(report.status)
        codes.add(report.error_code)
        for name in ("timestamp", "info", "vendor_id", "vendor_error_code"):
            fields[name] += getattr(report, name) is not None
        if report.timestamp is not None:
            # Reports hold their timestamps in UTC, whatever offset they came in.
            offsets_seen.add(report.timestamp.tzinfo is UTC)

    collect()
    assert zero_states == CONNECTOR_ZERO_STATUSES
    assert codes == set(ChargePointErrorCode)
    assert all(fields[name] > 0 for name in fields)
    assert offsets_seen == {True}


@given(connector_reports(connector_ids=st.just(0)))
def test_connector_zero_reports_keep_to_its_three_states(
    report: ConnectorReport,
) -> None:
    assert report.status in CONNECTOR_ZERO_STATUSES


# --- valid OCPP 2.0.1 / 2.1 -------------------------------------------------


@given(ocpp2_status_notification_payloads())
def test_ocpp2_payloads_pass_both_schemas_and_the_parser(payload: Any) -> None:
    for validator in OCPP2.values():
        assert validator.is_valid(payload)
    assert is_acceptable_timestamp(payload["timestamp"])
    assert payload["evseId"] >= 1
    assert payload["connectorId"] >= 1
    report = ocpp201.ConnectorReport.from_ocpp(payload)
    assert report.connector == (payload["evseId"], payload["connectorId"])
    assert ocpp201.ConnectorReport.from_ocpp(json.loads(json.dumps(payload))) == report


@given(ocpp2_connector_reports())
def test_ocpp2_reports_round_trip(report: ocpp201.ConnectorReport) -> None:
    payload = report.to_ocpp()
    assert OCPP2["v201"].is_valid(payload)
    assert ocpp201.ConnectorReport.from_ocpp(payload) == report
    if report.custom_data is not None:
        assert isinstance(report.custom_data["vendorId"], str)


# --- deviant payloads -------------------------------------------------------


@given(deviant_payloads())
def test_deviants_are_rejected_naming_the_field(deviant: DeviantPayload) -> None:
    if deviant.deviation.valid_ocpp:
        report = ConnectorReport.from_ocpp(deviant.payload)
        assert report.timestamp == datetime(1, 1, 1, tzinfo=UTC)
        assert OCPP16.is_valid(deviant.payload)
        return
    with pytest.raises(InvalidReport) as caught:
        ConnectorReport.from_ocpp(deviant.payload)
    assert [problem.field for problem in caught.value.problems] == [deviant.field]


@pytest.mark.parametrize("deviation", list(Deviation))
def test_each_deviation_can_be_asked_for_alone(deviation: Deviation) -> None:
    @settings(max_examples=20, database=None)
    @given(deviant_payloads([deviation]))
    def check(deviant: DeviantPayload) -> None:
        assert deviant.deviation is deviation
        # The deviation is the only thing wrong: undo it and the payload is valid.
        assert ConnectorReport.from_ocpp(_undone(deviant)).connector_id >= 0

    check()


def _undone(deviant: DeviantPayload) -> dict[str, object]:
    payload = dict(deviant.payload)
    field = deviant.field
    if field == "<keys>":
        for key in [k for k in payload if k not in _OCPP16_KEYS]:
            del payload[key]
    elif field == "connectorId":
        payload[field] = int(cast("str", payload[field]))
    elif deviant.deviation is Deviation.ENUM_CASE:
        payload[field] = _BY_FOLDED[cast("str", payload[field]).casefold()]
    elif deviant.deviation is Deviation.VENDOR_ERROR_CODE:
        payload[field] = ChargePointErrorCode.OTHER_ERROR.value
    else:
        del payload[field]
    return payload


_OCPP16_KEYS = {
    "connectorId",
    "errorCode",
    "status",
    "timestamp",
    "info",
    "vendorId",
    "vendorErrorCode",
}
_BY_FOLDED = {
    member.value.casefold(): member.value
    for enum in (ChargePointStatus, ChargePointErrorCode)
    for member in enum
}


@given(deviant_payloads([Deviation.OFFSET_WITHOUT_MINUTES]))
def test_offsets_without_minutes_look_the_part(deviant: DeviantPayload) -> None:
    text = cast("str", deviant.payload["timestamp"])
    assert text[-3] in "+-"
    assert text[-2:].isdigit()


@given(deviant_payloads([Deviation.OFFSET_WITHOUT_COLON]))
def test_offsets_without_a_colon_look_the_part(deviant: DeviantPayload) -> None:
    text = cast("str", deviant.payload["timestamp"])
    assert text[-5] in "+-"
    assert text[-4:].isdigit()


@given(deviant_payloads([Deviation.NO_OFFSET, Deviation.SPACE_SEPARATOR]))
def test_local_and_spaced_timestamps_look_the_part(deviant: DeviantPayload) -> None:
    text = cast("str", deviant.payload["timestamp"])
    if deviant.deviation is Deviation.NO_OFFSET:
        assert datetime.fromisoformat(text).tzinfo is None
    else:
        assert text[10] == " "
        assert datetime.fromisoformat(text).tzinfo is not None


@pytest.mark.parametrize("bad", [[], ["no_offset"], [None]])
def test_deviations_must_be_named_by_the_enum(bad: list[Any]) -> None:
    with pytest.raises((TypeError, ValueError), match=r"^deviations: got <list of"):
        deviant_payloads(bad)


@pytest.mark.parametrize("bad", [-1, 1.5, True, None])
def test_the_longest_walk_must_be_a_count(bad: Any) -> None:
    for strategy in (connector_sessions, station_logs):
        with pytest.raises((TypeError, ValueError)) as caught:
            strategy(max_transitions=bad)
        message = str(caught.value)
        assert message.startswith("max_transitions: got ")
        assert message.endswith("expected an int >= 0")


def test_only_the_zero_time_is_valid_ocpp() -> None:
    assert {d for d in Deviation if d.valid_ocpp} == {Deviation.ZERO_TIME}


# --- sessions ---------------------------------------------------------------


@given(connector_sessions(connector_ids=st.integers(0, 6)))
def test_sessions_follow_defined_transitions(session: list[ConnectorReport]) -> None:
    assert session
    connector_id = session[0].connector_id
    for before, after in itertools.pairwise(session):
        assert after.connector_id == connector_id
        assert (
            classify_transition(before.status, after.status, connector_id=connector_id)
            is not None
        )
        assert before.timestamp is not None
        assert after.timestamp is not None
        assert after.timestamp > before.timestamp
    for report in session:
        faulted = report.status is ChargePointStatus.FAULTED
        if faulted:
            assert report.error_code is not ChargePointErrorCode.NO_ERROR


def test_sessions_walk_the_whole_table() -> None:
    """Across sessions, every one of the 53 transitions is taken."""
    codes: set[str] = set()

    # Enough walks that missing one of the 53 is vanishingly rare, random or not.
    @settings(max_examples=500, database=None)
    @given(connector_sessions(max_transitions=40))
    def collect(session: list[ConnectorReport]) -> None:
        for before, after in itertools.pairwise(session):
            transition = classify_transition(before.status, after.status)
            assert transition is not None
            codes.add(transition.code)

    collect()
    assert len(codes) == 53


@given(
    connector_sessions(
        gaps=st.just(timedelta(minutes=1)),
        starts=st.just(datetime(2026, 1, 1, tzinfo=UTC)),
        max_transitions=3,
    )
)
def test_sessions_take_the_starts_and_gaps_given(
    session: list[ConnectorReport],
) -> None:
    assert len(session) <= 4
    for index, report in enumerate(session):
        assert report.timestamp == datetime(2026, 1, 1, tzinfo=UTC) + index * timedelta(
            minutes=1
        )


# --- logs -------------------------------------------------------------------


def _replay_json(text: str) -> tuple[int, list[dict[str, Any]], str]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        path.write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["replay", "--json", str(path)])
    # Only "\n" ends a JSON Lines record; splitlines() would also split inside
    # a station name holding U+0085 or U+2028, which --json writes as it is.
    rows = [json.loads(line) for line in out.getvalue().split("\n") if line]
    return code, rows, err.getvalue()


@settings(max_examples=40)
@given(station_logs())
def test_logs_replay_cleanly_to_the_last_state_reported(text: str) -> None:
    assert text.endswith("\n")
    stations: set[str] = set()
    last: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        envelope = json.loads(line)
        assert set(envelope) in (
            {"station", "received", "frame"},
            {"station", "received", "payload"},
            {"station", "received", "event"},
        )
        stations.add(envelope["station"])
        payload = envelope.get("payload")
        if "frame" in envelope and envelope["frame"][2] == "StatusNotification":
            payload = envelope["frame"][3]
        if payload is not None:
            last.setdefault(envelope["station"], {})[str(payload["connectorId"])] = (
                payload["status"]
            )
    code, rows, err = _replay_json(text)
    assert (code, err) == (0, "")
    assert {row["station"] for row in rows} == stations
    for row in rows:
        assert row["anomalies"] == {}
        assert row["ocpp"] == last.get(row["station"], {})


def test_logs_hold_every_kind_of_line() -> None:
    kinds: set[str] = set()

    @settings(max_examples=40, database=None)
    @given(station_logs())
    def collect(text: str) -> None:
        for line in text.splitlines():
            envelope = json.loads(line)
            if "event" in envelope:
                kinds.add(envelope["event"])
            elif "payload" in envelope:
                kinds.add("payload")
            else:
                kinds.add(envelope["frame"][2])
                if envelope["frame"][2] == "StatusNotification":
                    kinds.add(
                        f"connector {min(envelope['frame'][3]['connectorId'], 1)}"
                    )

    collect()
    assert kinds == {
        "connected",
        "disconnected",
        "heard",
        "enabled",
        "disabled",
        "payload",
        "Heartbeat",
        "StatusNotification",
        "connector 0",
        "connector 1",
    }


@settings(max_examples=20)
@given(station_logs(stations=st.just(3), connectors=st.just(1)))
def test_logs_have_the_stations_asked_for(text: str) -> None:
    names = {json.loads(line)["station"] for line in text.splitlines()}
    assert len(names) == 3


# --- without Hypothesis -----------------------------------------------------


def test_without_hypothesis_the_import_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # None in sys.modules makes an import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    path = strategies_module.__file__
    assert path is not None
    spec = importlib.util.spec_from_file_location("strategies_without", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with pytest.raises(ImportError, match=r"pip install 'evstatus\[testing\]'"):
        spec.loader.exec_module(module)


def test_the_testing_extra_brings_hypothesis() -> None:
    requires = metadata.requires("evstatus") or []
    extra = [r for r in requires if r.replace('"', "'").endswith("extra == 'testing'")]
    assert [r.split(";")[0].split(">")[0].strip() for r in extra] == ["hypothesis"]


def test_the_log_generator_does_not_need_hypothesis() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None; "
        "from evstatus.testing import generate_log; "
        "print(len(list(generate_log(seed=1, stations=2, lines=5))))"
    )
    done = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "5\n", "")
