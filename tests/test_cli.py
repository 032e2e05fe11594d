import contextlib
import importlib.util
import io
import json
import os
import pty
import re
import runpy
import signal
import subprocess
import sys
import threading
import tty
from collections.abc import Callable, Generator, Iterator
from importlib.resources import files
from pathlib import Path
from typing import IO, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evstatus
from evstatus import ChargePointStatus, StationStatus
from evstatus import _cli as cli
from evstatus._cli import layout, loop
from evstatus._cli.tables import table_text
from evstatus._tables import TABLE_ROWS, TABLES, Table
from evstatus.rules import STATE_LETTERS, TRANSITIONS

DOCS = Path(__file__).parent.parent / "docs"


def _load_generated() -> Callable[[str], str]:
    spec = importlib.util.spec_from_file_location(
        "cli_docs_generate", DOCS / "generate.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast("Callable[[str], str]", module.generated)


generated = _load_generated()

AT = "2026-06-01T08:{:02d}:00Z"


def status(station: str, minute: int, connector: int, state: str, **extra: str) -> str:
    payload = {
        "connectorId": connector,
        "errorCode": "NoError",
        "status": state,
        **extra,
    }
    frame = [2, f"m{minute}", "StatusNotification", payload]
    return json.dumps(
        {"station": station, "received": AT.format(minute), "frame": frame}
    )


def event(station: str, minute: int, name: str) -> str:
    return json.dumps(
        {"station": station, "received": AT.format(minute), "event": name}
    )


def write_log(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "log.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- demo -----------------------------------------------------------------------


def test_demo_tells_the_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["demo"], capsys)
    assert (code, err) == (0, "")
    for expected in [
        "connector 1 Available -> Preparing (A2)",
        "connector 1 Preparing -> Charging (B3)",
        "connector 1 Charging -> SuspendedEV (C4)",
        "connector 1 SuspendedEV -> Finishing (D6)",
        "connector 2 Charging -> SuspendedEVSE (C5)",
        "connector 2 Available -> Faulted (A9), error GroundFailure",
        "connector 2 Faulted -> Available (I1)",
        "station Charging (all_connectors_charging)",
        "disconnected",
        "station Offline (offline)",
        "station Inoperative (not_enabled)",
        "anomaly: connector 2: late Faulted report ignored",
        "CP-DEMO-1  Available  connector_available",
    ]:
        assert expected in out


def test_demo_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["demo", "--json"], capsys)
    assert (code, err) == (0, "")
    records = [json.loads(line) for line in out.splitlines()]
    final = records[-1]
    assert final["station"] == "CP-DEMO-1"
    assert final["status"] == "Available"
    assert final["anomalies"] == {"late_delivery": 1}
    changes = records[:-1]
    assert [r["line"] for r in changes] == sorted(r["line"] for r in changes)
    assert {r["status"] for r in changes} >= {"Available", "Charging", "Offline"}


# --- replay -------------------------------------------------------------------


def test_replay_prints_each_station(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        status("B", 1, 1, "Charging"),
        status("A", 2, 1, "Available"),
        status("A", 3, 2, "Faulted"),
        event("C", 4, "removed"),
    )
    code, out, err = run(["replay", log], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        (
            "STATION  STATUS     REASON                   CONNECTORS"
            "                ANOMALIES"
        ),
        "A        Available  connector_available      #1 Available, #2 Faulted  -",
        "B        Charging   all_connectors_charging  #1 Occupied (Charging)    -",
        "C        Removed    removed                  -                         -",
    ]


def test_replay_as_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = write_log(
        tmp_path,
        status("A", 1, 1, "Charging"),
        status("A", 2, 1, "Preparing"),
        json.dumps(
            {
                "station": "A",
                "payload": {
                    "connectorId": 0,
                    "errorCode": "NoError",
                    "status": "Available",
                },
            }
        ),
    )
    code, out, _ = run(["replay", "--json", log], capsys)
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record == {
        "station": "A",
        "status": "Unavailable",
        "reason": "no_connector_available",
        "connectors": {"1": "Occupied"},
        "ocpp": {"0": "Available", "1": "Preparing"},
        "connected": True,
        "enabled": True,
        "removed": False,
        "last_heard": "2026-06-01T08:02:00Z",
        "anomalies": {"undefined_transition": 1},
        "repairs": {},
    }


def test_replay_timeline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = write_log(
        tmp_path,
        event("A", 0, "connected"),
        status("A", 1, 1, "Available"),
        json.dumps(
            {
                "station": "A",
                "received": AT.format(2),
                "frame": [2, "h", "Heartbeat", {}],
            }
        ),
        status("A", 3, 1, "Available", timestamp=AT.format(3)),
        status("A", 4, 1, "Preparing"),
        status("A", 4, 1, "Preparing"),
        event("A", 5, "disconnected"),
        json.dumps(
            {
                "station": "A",
                "received": AT.format(6),
                "frame": [2, "h", "Heartbeat", {}],
            }
        ),
        json.dumps({"station": "A", "frame": [2, "r", "RemoteStartTransaction", {}]}),
        json.dumps({"station": "A", "frame": [3, "r", {}]}),
        json.dumps(
            {
                "station": "A",
                "payload": {
                    "connectorId": 0,
                    "errorCode": "NoError",
                    "status": "Charging",
                },
            }
        ),
        json.dumps(
            [
                2,
                "x",
                "StatusNotification",
                {
                    "connectorId": 2,
                    "errorCode": "WeakSignal",
                    "status": "Available",
                    "timestamp": AT.format(9),
                },
            ]
        ),
        json.dumps({"connectorId": 2, "errorCode": "NoError", "status": "Available"}),
        event("A", 10, "disabled"),
    )
    code, out, err = run(["replay", "--timeline", "--station", "A", log], capsys)
    assert (code, err) == (0, "")
    events = out.splitlines()[0::2]
    details = out.splitlines()[1::2]
    assert events == [
        "2026-06-01T08:00:00Z  A  connected",
        "2026-06-01T08:01:00Z  A  connector 1 Available",
        "2026-06-01T08:03:00Z  A  connector 1 Available again",
        "2026-06-01T08:04:00Z  A  connector 1 Available -> Preparing (A2)",
        "2026-06-01T08:04:00Z  A  anomaly: connector 1: duplicate Preparing report",
        "2026-06-01T08:05:00Z  A  disconnected",
        "2026-06-01T08:06:00Z  A  Heartbeat received; station connected",
        (
            "-  A  anomaly: connector 0: status Charging is not allowed on connector 0;"
            " ignored (holding nothing)"
        ),
        "2026-06-01T08:09:00Z  A  connector 2 Available, error WeakSignal",
        "-  A  connector 2 Available again",
        "2026-06-01T08:10:00Z  A  disabled",
    ]
    assert (
        details[0].strip() == "no connectors | station Unknown (no_connector_reports)"
    )
    assert (
        details[5].strip() == "#1 Unavailable (Preparing) | station Offline (offline)"
    )
    assert details[-1].strip().endswith("station Inoperative (not_enabled)")


def test_replay_timeline_writes_times_as_sent_and_aligns_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def at(received: str, connector: int, state: str) -> str:
        payload = {"connectorId": connector, "errorCode": "NoError", "status": state}
        return json.dumps({"station": "A", "received": received, "payload": payload})

    log = write_log(
        tmp_path,
        at("2026-06-01T08:00:00.778Z", 1, "Available"),
        at("2026-06-01T08:00:01.000Z", 2, "Available"),
        at("2026-06-01T08:00:01.000001Z", 1, "Preparing"),
    )
    code, out, _ = run(["replay", "--timeline", log], capsys)
    assert code == 0
    lines = out.splitlines()
    # The fewest digits that keep each time exact: the milliseconds as sent.
    assert [line.split()[0] for line in lines[0::2]] == [
        "2026-06-01T08:00:00.778Z",
        "2026-06-01T08:00:01Z",
        "2026-06-01T08:00:01.000001Z",
    ]
    # Each second line starts under its station, whatever the time's width.
    for first, second in zip(lines[0::2], lines[1::2], strict=True):
        assert first.index("  A  ") + 2 == len(second) - len(second.lstrip())
    code, out, _ = run(["replay", "--timeline", "--json", log], capsys)
    assert json.loads(out.splitlines()[0])["time"] == "2026-06-01T08:00:00.778Z"


def test_replay_timeline_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path, status("A", 1, 1, "Charging"), status("A", 2, 1, "Reserved")
    )
    code, out, _ = run(["replay", "--timeline", "--json", log], capsys)
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["line"] == 1
    assert first["time"] == "2026-06-01T08:01:00Z"
    assert first["event"] == "connector 1 Charging; station connected"
    assert first["new_anomalies"] == []
    assert first["anomalies"] == {}
    assert second["event"] == (
        "connector 1 Charging -> Reserved (undefined); "
        "anomaly: connector 1: undefined transition Charging -> Reserved"
    )
    assert second["anomalies"] == {"undefined_transition": 1}
    assert second["new_anomalies"] == [
        "connector 1: undefined transition Charging -> Reserved"
    ]
    assert second["status"] == "Reserved"


def test_bad_lines_are_reported_counted_and_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        status("A", 1, 1, "Charging"),
        "{oops",
        "",
        "   ",
        '[2, "m", "Teleport", {}]',
        json.dumps(
            {
                "station": "A",
                "payload": {
                    "connectorId": -1,
                    "errorCode": "NoError",
                    "status": "Charged",
                },
            }
        ),
        event("A", 5, "exploded"),
        json.dumps({"station": "A", "received": "soon", "event": "heard"}),
        status("B", 7, 1, "Available"),
    )
    code, out, err = run(["replay", log], capsys)
    assert code == 1
    assert err.splitlines() == [
        (
            f"{log}:2: column 2: got 'oops', expected one JSON value "
            "(Expecting property name enclosed in double quotes)"
        ),
        (
            f"{log}:5: frame[2]: got 'Teleport', expected an OCPP 1.6 action,"
            " like 'StatusNotification'"
        ),
        (
            f"{log}:6: connectorId: got -1, expected an integer >= 0;"
            " status: got 'Charged', "
            "expected one of 'Available', 'Preparing', 'Charging', 'SuspendedEVSE', "
            "'SuspendedEV', 'Finishing', 'Reserved', 'Unavailable', 'Faulted'"
        ),
        (
            f"{log}:7: event: got 'exploded', expected one of 'connected',"
            " 'disconnected', "
            "'heard', 'enabled', 'disabled', 'removed'"
        ),
        (
            f"{log}:8: received: got 'soon', expected an RFC 3339 date-time"
            " with an offset, "
            "like '2026-11-22T10:15:00Z' or '2026-11-22T11:15:00.5+01:00'"
        ),
        "evstatus: 5 bad lines skipped",
    ]
    # Nothing read before or after a bad line is lost.
    assert "A        Charging" in out
    assert "B        Available" in out


def test_one_bad_line_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path, "[]")
    code, out, err = run(["replay", log], capsys)
    assert code == 1
    assert out == "no stations\n"
    assert err.endswith("evstatus: 1 bad line skipped\n")


def test_a_line_not_in_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(
        b'{"connectorId": 1, "errorCode": "NoError", "status": "Charging"}\n\xff\xfe\n'
    )
    code, out, err = run(["replay", str(path)], capsys)
    assert code == 1
    assert f"{path}:2: the line is not UTF-8 text" in err
    assert "default  Charging" in out


def test_strict_stops_at_the_first_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path, status("A", 1, 1, "Charging"), "nope", "nope again")
    code, out, err = run(["replay", "--strict", log], capsys)
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        (f"{log}:2: column 1: got 'nope', expected one JSON value (Expecting value)"),
        "evstatus: stopped at the first bad line (--strict)",
    ]


def test_strict_with_a_clean_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path, status("A", 1, 1, "Charging"))
    assert run(["replay", "--strict", log], capsys)[0] == 0


def test_replay_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (status("A", 1, 1, "Available") + "\nbad\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run(["replay", "-"], capsys)
    assert code == 1
    assert "<stdin>:2: column 1: got 'bad'" in err
    assert "A        Available" in out


def test_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(["replay", str(tmp_path / "nothing.jsonl")], capsys)
    assert (code, out) == (2, "")
    assert (
        err == f"evstatus: cannot read {tmp_path / 'nothing.jsonl'}:"
        " No such file or directory\n"
    )


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_an_error_while_reading(capsys: pytest.CaptureFixture[str]) -> None:
    # Reading a process's memory from offset 0 fails with EIO: a real read error.
    code, out, err = run(["replay", "/proc/self/mem"], capsys)
    assert (code, out) == (2, "")
    assert err == "evstatus: cannot read /proc/self/mem: Input/output error\n"


def test_a_closed_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python sets sys.stdin to None when it starts with file descriptor 0 closed.
    monkeypatch.setattr(sys, "stdin", None)
    code, out, err = run(["replay", "-"], capsys)
    assert (code, out) == (2, "")
    assert err == "evstatus: cannot read <stdin>: standard input is closed\n"


def test_heartbeat_interval_judges_silence_by_the_logs_clock(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        status("quiet", 1, 1, "Available"),
        status("busy", 1, 1, "Available"),
        json.dumps(
            {
                "station": "busy",
                "received": AT.format(30),
                "frame": [2, "h", "Heartbeat", {}],
            }
        ),
    )
    code, out, _ = run(["replay", "--heartbeat-interval", "300", log], capsys)
    assert code == 0
    assert "busy     Available" in out
    assert "quiet    Offline    offline" in out
    code, out, _ = run(
        ["replay", "--heartbeat-interval", "300", "--tolerance", "6", log], capsys
    )
    assert "quiet    Available" in out


def test_heartbeat_interval_without_receive_times(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        json.dumps({"connectorId": 1, "errorCode": "NoError", "status": "Charging"}),
    )
    code, out, _ = run(["replay", "--heartbeat-interval", "60", log], capsys)
    assert code == 0
    assert "default  Charging" in out


@pytest.mark.parametrize(
    "options",
    [
        ["--heartbeat-interval", "0"],
        ["--heartbeat-interval", "-5"],
        ["--heartbeat-interval", "soon"],
        ["--heartbeat-interval", "inf"],
        ["--heartbeat-interval", "1e300"],
        ["--heartbeat-interval", "1e-7"],
        ["--heartbeat-interval", "5e-324"],
        ["--heartbeat-interval", "86400000", "--tolerance", "1e300"],
        ["--tolerance", "0.5"],
        ["--tolerance", "nan"],
        ["--station", ""],
        ["--station", " \t"],
    ],
)
def test_bad_options_are_usage_errors(
    options: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path)
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay", *options, log])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "evstatus replay: error: " in err
    assert "Traceback" not in err


def test_no_progress_off_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(loop, "PROGRESS_EVERY", 1)
    log = write_log(tmp_path, status("A", 1, 1, "Available"))
    code, _, err = run(["replay", log], capsys)
    assert (code, err) == (0, "")


# --- explain --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "lines"),
    [
        (
            ["Charging", "available"],
            [
                "station: Available - At least one connector is free to use.",
                "reason:  rule 7, any connector is Available (connector_available)",
                "connector 1: Charging -> Occupied",
                "connector 2: Available -> Available",
            ],
        ),
        (
            ["0=Faulted", "CHARGING", "3=Reserved"],
            [
                "station: Out of Order - " + StationStatus.OUT_OF_ORDER.description,
                (
                    "reason:  rule 4, connector 0 (the main controller) is Faulted"
                    " (main_controller_faulted)"
                ),
                "main controller (connector 0): Faulted",
                "connector 1: Charging -> Faulted",
                "connector 3: Reserved -> Faulted",
            ],
        ),
        (
            ["--offline", "Charging"],
            [
                "station: Offline - " + StationStatus.OFFLINE.description,
                "reason:  rule 3, the station is not connected (offline)",
                "connector 1: Charging -> Unavailable",
            ],
        ),
        (
            ["--disabled", "--removed"],
            [
                "station: Removed - " + StationStatus.REMOVED.description,
                "reason:  rule 1, the station is removed from the platform (removed)",
            ],
        ),
        (
            ["--disabled", "2=Charging", "Charging"],
            [
                "station: Inoperative - " + StationStatus.INOPERATIVE.description,
                (
                    "reason:  rule 2, the station is not enabled on the platform"
                    " (not_enabled)"
                ),
                "connector 2: Charging -> Unavailable",
                "connector 3: Charging -> Unavailable",
            ],
        ),
        (
            [],
            [
                "station: Unknown - " + StationStatus.UNKNOWN.description,
                (
                    "reason:  rule 6, no connector (id 1 and up) has reported"
                    " (no_connector_reports)"
                ),
            ],
        ),
    ],
)
def test_explain(
    argv: list[str], lines: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["explain", *argv], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == lines


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Charged"], "'Charged' is not an OCPP 1.6 status; choose from Available,"),
        (["x=Charging"], "the connector id before '=' must be a number >= 0"),
        (["-1=Charging"], "unrecognized arguments"),
        (["\u0661=Charging"], "the connector id before '=' must be a number >= 0"),
    ],
)
def test_explain_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["explain", *argv])
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["0=Charging"],
            (
                "argument STATE: '0=Charging': connector 0 (the main controller) may"
                " only be Available, Unavailable, Faulted"
            ),
        ),
        (
            ["1=Available", "1=Faulted"],
            "connector 1 is given twice (Available and Faulted)",
        ),
        (
            ["Available", "Charging", "2=Faulted"],
            "connector 2 is given twice (Charging and Faulted)",
        ),
        (
            ["1" * 5000 + "=Charging"],
            (
                f"argument STATE: {'1' * 40!r}… (5009 characters): the connector id"
                " before '=' is too large"
            ),
        ),
    ],
)
def test_explain_refuses_what_no_station_reports(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["explain", *argv])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: evstatus explain")
    assert f"evstatus explain: error: {message}" in err
    assert "<ChargePointStatus" not in err


# --- tables -------------------------------------------------------------------


def test_markdown_tables_come_from_the_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["tables", "--markdown"], capsys)
    assert (code, err) == (0, "")
    for title, table in TABLES.values():
        assert f"{title}\n\n{table()}\n" in out
    for transition in TRANSITIONS.values():
        assert (
            f"| `{transition.code}` | `{transition.source}` | `{transition.target}` | "
            f"{transition.trigger[0].upper()}{transition.trigger[1:]} |"
        ) in out
    for state in ChargePointStatus:
        assert f"| `{state}` | " in out
    assert "| A Available | · | A2 | A3 | A4 | A5 | · | A7 | A8 | A9 |" in out
    assert "| D SuspendedEV | D1 | · | D3 | · | D5 | D6 | · | D8 | D9 |" in out
    assert (
        "| 11 | Otherwise: plugged in but not charging, all Unavailable, or a mix"
        in out
    )
    assert (
        "| Connector 0 Faulted | `Faulted` | `Faulted` | `Faulted` | `Faulted` |" in out
    )
    assert "| `late_delivery` | " in out
    assert (
        "| `removed` | `REMOVED` | The station was taken off the platform for good. |"
        in out
    )


def test_version_names_the_program(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"evstatus {evstatus.__version__}\n"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main([])
    assert caught.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


# --- as a program ----------------------------------------------------------------


def test_python_dash_m_runs_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["evstatus", "explain", "Available"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("evstatus", run_name="__main__")
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("station: Available")


def _python_m(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONIOENCODING": "ascii"}
    return subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "evstatus", *argv],
        input=stdin,
        capture_output=True,
        check=False,
        env=environment,
        timeout=120,
    )


def test_a_real_run_of_the_demo() -> None:
    result = _python_m("demo")
    assert result.returncode == 0, result.stderr
    assert b"connector 1 Preparing -> Charging (B3)" in result.stdout
    assert result.stderr == b""


def test_a_real_run_with_bad_input_prints_no_traceback() -> None:
    lines = [
        json.dumps(
            {
                "station": "Zürich-1",
                "frame": [
                    2,
                    "1",
                    "StatusNotification",
                    {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
                ],
            }
        ),
        "[" * 50_000,
        "\x00garbage",
        json.dumps({"station": "Zürich-1", "event": "disabled"}),
    ]
    result = _python_m("replay", "-", stdin="\n".join(lines).encode())
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert result.stderr.count(b"<stdin>:") == 2
    # An ASCII-only output still shows the station, escaped.
    assert b"Z\\xfcrich-1  Inoperative" in result.stdout


# --- output that cannot be written ---------------------------------------------


def changes_log(tmp_path: Path, count: int) -> str:
    return write_log(
        tmp_path,
        *(
            status("A", minute % 60, 1, "Available" if minute % 2 else "Preparing")
            for minute in range(count)
        ),
    )


@pytest.mark.parametrize("mode", [["--timeline"], []])
def test_a_full_disk_is_an_output_error(
    mode: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    log = changes_log(tmp_path, 3)
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        monkeypatch.setattr(sys, "stdout", full)
        code = cli.main(["replay", *mode, log])
    assert code == cli.EXIT_CANNOT_WRITE == 3
    assert capsys.readouterr().err == (
        "evstatus: cannot write the output: No space left on device\n"
    )


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["replay", "--help"]])
def test_help_to_a_full_disk_is_an_output_error(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Line buffered, as a stdout may be: the write itself fails, in argparse.
    with Path("/dev/full").open("w", encoding="utf-8", buffering=1) as full:
        monkeypatch.setattr(sys, "stdout", full)
        assert cli.main(argv) == cli.EXIT_CANNOT_WRITE
    assert capsys.readouterr().err == (
        "evstatus: cannot write the output: No space left on device\n"
    )


def test_a_usage_error_with_stderr_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay"])
    assert caught.value.code == 2


def test_when_stderr_fails_too_the_exit_code_still_tells(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = write_log(tmp_path, "bad")
    # Python's own stderr is line buffered, even when not a terminal.
    full = Path("/dev/full").open("w", encoding="utf-8", buffering=1)  # noqa: SIM115
    monkeypatch.setattr(sys, "stderr", full)
    try:
        assert cli.main(["replay", log]) == cli.EXIT_CANNOT_WRITE
    finally:
        with contextlib.suppress(OSError):
            full.close()
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("mode", [["--timeline"], ["--json"], []])
def test_a_closed_pipe_ends_quietly(
    mode: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    log = changes_log(tmp_path, 500)
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before anything is written
    with open(writing, "w", encoding="utf-8") as pipe:  # noqa: PTH123
        monkeypatch.setattr(sys, "stdout", pipe)
        code = cli.main(["replay", *mode, log])
    assert code == 0
    assert capsys.readouterr().err == ""


def test_a_closed_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python sets sys.stdout to None when it starts with descriptor 1 closed.
    monkeypatch.setattr(sys, "stdout", None)
    assert cli.main(["demo"]) == cli.EXIT_CANNOT_WRITE
    assert capsys.readouterr().err == (
        "evstatus: cannot write the output: standard output is closed\n"
    )


def test_a_closed_stderr_keeps_the_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    log = write_log(tmp_path, status("A", 1, 1, "Charging"), "bad")
    assert cli.main(["replay", log]) == 1
    assert "A        Charging" in capsys.readouterr().out


def test_a_real_pipe_closed_by_head(tmp_path: Path) -> None:
    # Far more than a pipe holds, so the command must meet the closed pipe.
    log = changes_log(tmp_path, 5000)
    with subprocess.Popen(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "evstatus", "replay", "--timeline", log],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read()
        code = process.wait(timeout=120)
    assert first.startswith(b"2026-06-01T08:00:00Z  A  connector 1 Preparing")
    assert (code, err) == (0, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("mode", [["--timeline"], []])
def test_a_real_full_disk(mode: list[str], tmp_path: Path) -> None:
    log = changes_log(tmp_path, 50)
    with Path("/dev/full").open("wb") as full:
        result = subprocess.run(  # noqa: S603  (our own interpreter and module)
            [sys.executable, "-m", "evstatus", "replay", *mode, log],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    assert result.returncode == 3
    assert result.stderr == (
        b"evstatus: cannot write the output: No space left on device\n"
    )


def test_ctrl_c_ends_with_a_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin_read, stdin_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    os.write(stdin_write, (status("A", 1, 1, "Charging") + "\n").encode())
    stdin = open(stdin_read, encoding="utf-8")  # noqa: PTH123, SIM115
    stdout = open(stdout_write, "w", encoding="utf-8", buffering=1)  # noqa: PTH123, SIM115
    seen = open(stdout_read, "rb")  # noqa: PTH123, SIM115
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    main_thread = threading.get_ident()
    # A shell starts a background job with SIGINT ignored, and Python then
    # leaves it so: the suite run that way would wait here for ever.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)

    def interrupt() -> None:
        # Once the first change is out, the replay waits for more input,
        # which never comes: a real SIGINT is the only way out.
        seen.readline()
        signal.pthread_kill(main_thread, signal.SIGINT)

    helper = threading.Thread(target=interrupt)
    helper.start()
    try:
        code = cli.main(["replay", "--timeline", "-"])
    finally:
        helper.join()
        signal.signal(signal.SIGINT, previous)
        for stream in (stdin, stdout, seen):
            stream.close()
        os.close(stdin_write)
    assert code == cli.EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "evstatus: interrupted\n"


# --- exit codes ------------------------------------------------------------------


def test_exit_codes_are_listed_alike_everywhere(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert sorted(cli.EXIT_CODES) == [0, 1, 2, 3, 130]
    docstring = cli.__doc__ or ""
    for code in cli.EXIT_CODES:
        assert f"\n- {code}: " in docstring
    for argv in (["--help"], ["replay", "--help"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
        help_text = capsys.readouterr().out
        assert "exit codes:" in help_text
        for code, meaning in cli.EXIT_CODES.items():
            assert f"  {code:<5}{meaning.split()[0]}" in help_text
    table = cli.exit_codes_table().splitlines()
    assert table[:2] == ["| Exit code | Meaning |", "| --- | --- |"]
    assert table[2:] == [
        f"| {code} | {meaning} |" for code, meaning in cli.EXIT_CODES.items()
    ]


def test_the_docs_print_the_exit_codes_from_the_code() -> None:
    page = (DOCS / "history-and-cli.md").read_text(encoding="utf-8")
    assert page.count("<!-- evstatus: exit-codes -->") == 1
    # The one table of exit codes is the generated region (tests/test_docs.py
    # checks that it is current).
    region = page.split("<!-- evstatus: exit-codes -->", 1)[1].split(
        "<!-- /evstatus: exit-codes -->", 1
    )[0]
    assert region.strip() == generated("exit-codes") == cli.exit_codes_table()
    assert page.lower().count("| exit code |") == 1


# --- progress on a terminal ----------------------------------------------------------


class Terminal:
    """A real pseudo-terminal; a thread collects every byte written to it."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)  # bytes pass as written: no CR added before LF
        self.stream = open(  # noqa: SIM115
            self.slave, "w", encoding="utf-8", closefd=False
        )
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the other side is closed and all was read
                return
            if not chunk:
                return
            self._chunks.append(chunk)

    def close(self) -> bytes:
        """Close the terminal; return all that was written to it."""
        self.stream.close()
        os.close(self.slave)
        self._reader.join()
        os.close(self.master)
        return b"".join(self._chunks)


def screen(written: bytes) -> list[str]:
    """What a terminal shows after *written*: CR returns, LF starts a line."""
    lines: list[list[str]] = [[]]
    column = 0
    for char in written.decode():
        if char == "\r":
            column = 0
        elif char == "\n":
            lines.append([])
            column = 0
        else:
            line = lines[-1]
            if column < len(line):
                line[column] = char
            else:
                line.append(char)
            column += 1
    return ["".join(line).rstrip() for line in lines]


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    opened = Terminal()
    yield opened
    with contextlib.suppress(OSError):
        opened.close()


@pytest.fixture
def eager_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    # Progress at every line, at once: no clock decides what the test sees.
    monkeypatch.setattr(loop, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(loop, "PROGRESS_DELAY", 0)
    monkeypatch.setattr(loop, "PROGRESS_REFRESH", 0)


@pytest.mark.usefixtures("eager_progress")
def test_progress_never_mixes_with_a_timeline_on_the_same_terminal(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    terminal: Terminal,
    tmp_path: Path,
) -> None:
    log = write_log(
        tmp_path,
        status("A", 1, 1, "Available"),
        status("A", 2, 1, "Preparing"),
        status("A", 3, 1, "Preparing"),
        status("B", 4, 1, "Charging"),
        "bad",
    )
    assert cli.main(["replay", "--timeline", log]) == 1
    expected = capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", terminal.stream)
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    assert cli.main(["replay", "--timeline", log]) == 1
    written = terminal.close()
    # The progress was shown, with a rate and how much of the file was read...
    assert re.search(rb"\r4 lines read, [\d,]+ lines/s, \d+% of 0\.0 MiB", written)
    assert b"100% of" in written
    # ...and wiped each time before anything else: the screen holds the
    # timeline and the messages exactly as they are without a terminal.
    assert screen(written) == [*(expected.out + expected.err).splitlines(), ""]


@pytest.mark.usefixtures("eager_progress")
def test_progress_is_wiped_before_the_table(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    terminal: Terminal,
    tmp_path: Path,
) -> None:
    log = write_log(
        tmp_path, *(status("A", minute, 1, "Available") for minute in range(3))
    )
    monkeypatch.setattr(sys, "stdout", terminal.stream)
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    assert cli.main(["replay", log]) == 0
    written = terminal.close()
    assert b"3 lines read" in written
    assert screen(written) == [
        "STATION  STATUS     REASON               CONNECTORS    ANOMALIES",
        "A        Available  connector_available  #1 Available  2 duplicate",
        "",
    ]
    assert capsys.readouterr() == ("", "")


@pytest.mark.usefixtures("eager_progress")
@pytest.mark.parametrize("source", ["pipe", "memory"])
def test_progress_from_stdin_has_no_percentage(
    source: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    terminal: Terminal,
) -> None:
    data = "".join(status("A", minute, 1, "Available") + "\n" for minute in range(3))
    if source == "pipe":
        reading, writing = os.pipe()
        os.write(writing, data.encode())
        os.close(writing)
        stdin: IO[str] = open(reading, encoding="utf-8")  # noqa: PTH123, SIM115
    else:
        stdin = io.TextIOWrapper(io.BytesIO(data.encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    try:
        assert cli.main(["replay", "-"]) == 0
    finally:
        stdin.close()
    written = terminal.close()
    assert b"\r3 lines read, " in written
    assert b"%" not in written
    assert screen(written) == [""]
    assert "A        Available" in capsys.readouterr().out


def test_a_short_run_shows_no_progress(
    monkeypatch: pytest.MonkeyPatch, terminal: Terminal, tmp_path: Path
) -> None:
    monkeypatch.setattr(loop, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(loop, "PROGRESS_DELAY", 1e9)
    log = write_log(tmp_path, status("A", 1, 1, "Available"), "bad")
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    assert cli.main(["replay", log]) == 1
    assert (
        terminal.close()
        == (
            f"{log}:2: column 1: got 'bad', expected one JSON value (Expecting value)\n"
            "evstatus: 1 bad line skipped\n"
        ).encode()
    )


# --- what a line may hold -------------------------------------------------------------


def test_a_misspelt_envelope_key_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path, '{"station": "X", "evnt": "connected"}')
    code, out, err = run(["replay", log], capsys)
    assert (code, out) == (1, "no stations\n")
    assert err.splitlines()[0] == (
        f"{log}:1: <keys>: got 'evnt', expected an envelope key: station, received,"
        " protocol, frame, payload or event (did you mean 'event'?);"
        " frame/payload/event:"
        " missing, expected one of them: an OCPP-J frame, a StatusNotification"
        " payload or a platform event"
    )


def test_a_first_line_not_in_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"\xef\xbb\xff\n" + status("A", 1, 1, "Charging").encode())
    code, out, err = run(["replay", str(path)], capsys)
    assert code == 1
    assert err.startswith(f"{path}:1: the line is not UTF-8 text\n")
    assert "A        Charging" in out


def test_a_byte_order_mark_opens_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "log.jsonl"
    line = status("A", 1, 1, "Charging").encode()
    path.write_bytes(b"\xef\xbb\xbf" + line + b"\n\xef\xbb\xbf" + line + b"\n")
    code, out, err = run(["replay", str(path)], capsys)
    assert code == 1
    assert "A        Charging" in out
    # Only at the start of the file is it a byte order mark.
    assert err.startswith(f"{path}:2: column 1: got '\\ufeff{{")


@pytest.mark.parametrize("text", ["\x0c", "\u00a0", "\u2028", "\x1c", "\x85", " \x0b "])
def test_lines_of_what_json_calls_no_whitespace_are_bad(
    text: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path, status("A", 1, 1, "Charging"), text, " \t ", "", "\r")
    code, _, err = run(["replay", log], capsys)
    assert code == 1
    assert err.startswith(f"{log}:2: column ")
    assert err.endswith("evstatus: 1 bad line skipped\n")


def test_the_demo_log_is_read_like_any_log() -> None:
    # Read by str.splitlines, a form feed or line separator in the sample
    # would split a line; the command reads it as it reads any file.
    sample = (files("evstatus") / "data" / "demo.jsonl").read_bytes()
    assert sample.count(b"\n") == len(sample.decode().splitlines())


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            '{"station": null, "event": "connected"}',
            (
                "station: got None, expected a station id: a non-empty string, not only"
                " spaces (leave the key out for the default station)"
            ),
        ),
        (
            '{"station": "  ", "event": "connected"}',
            (
                "station: got '  ', expected a station id: a non-empty string, not only"
                " spaces"
            ),
        ),
        (
            '{"received": null, "event": "connected"}',
            (
                "received: got None, expected an RFC 3339 date-time with an offset, like"
                " '2026-11-22T10:15:00Z' or '2026-11-22T11:15:00.5+01:00' (leave the key"
                " out if the time is unknown)"
            ),
        ),
    ],
)
def test_null_and_blank_are_no_station_nor_time(
    line: str, problem: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path, line)
    code, out, err = run(["replay", log], capsys)
    assert (code, out) == (1, "no stations\n")
    assert err.splitlines()[0] == f"{log}:1: {problem}"


@pytest.mark.parametrize("station", ["", " ", "\t\u00a0"])
def test_a_blank_default_station_is_a_usage_error(
    station: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay", "--station", station, write_log(tmp_path)])
    assert caught.value.code == 2
    assert (
        "evstatus replay: error: argument --station: "
        f"{station!r} is not a station id: a non-empty string, not only spaces"
    ) in capsys.readouterr().err


def test_a_json_error_names_line_and_column_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = status("A", 1, 1, "Charging").replace(', "status"', ' "status"')
    log = write_log(tmp_path, broken)
    code, _, err = run(["replay", log], capsys)
    assert code == 1
    column = broken.index('"status"') + 1
    assert err.splitlines()[0] == (
        f'{log}:1: column {column}: got \'"status": "Charging"}}]}}\','
        " expected one JSON value (Expecting ',' delimiter)"
    )
    assert "line 1" not in err
    assert "char" not in err


# --- which stations get a row --------------------------------------------------------


def test_a_central_system_action_makes_no_station(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        '[2, "r1", "Reset", {"type": "Soft"}]',
        json.dumps({"station": "CP-2", "frame": [2, "r2", "ChangeAvailability", {}]}),
        status("CP-1", 1, 1, "Charging"),
        json.dumps({"station": "CP-1", "frame": [2, "r3", "UnlockConnector", {}]}),
    )
    for mode in ([], ["--timeline"]):
        code, out, err = run(["replay", *mode, log], capsys)
        assert (code, err) == (0, "")
        assert "default" not in out
        assert "CP-2" not in out
        assert "CP-1" in out
    code, out, _ = run(["replay", "--json", log], capsys)
    assert [json.loads(line)["station"] for line in out.splitlines()] == ["CP-1"]


def test_a_station_named_only_by_central_system_actions_counts_once_heard(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        json.dumps({"station": "CP-2", "frame": [2, "r2", "Reset", {}]}),
        json.dumps({"station": "CP-2", "frame": [3, "r2", {"status": "Accepted"}]}),
    )
    code, out, _ = run(["replay", log], capsys)
    assert code == 0
    assert out.splitlines()[1].startswith("CP-2     Unknown")


@pytest.mark.parametrize(
    "lines", [[], [""], ['[2, "r", "Reset", {}]'], ['{"event": "enabled"}']]
)
def test_a_log_with_no_station_says_so(
    lines: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path, *lines)
    assert run(["replay", log], capsys) == (0, "no stations\n", "")
    # For programs, no station is no record.
    assert run(["replay", "--json", log], capsys) == (0, "", "")


# --- station ids that are not plain text -----------------------------------------------


FAKE_ROW = "A\nB        Charging   fake"


def test_station_ids_are_printed_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path,
        status(FAKE_ROW, 1, 1, "Available"),
        status("\x1b[2J\x1b[31mred", 2, 1, "Available"),
        status("back\\slash", 3, 1, "Available"),
        status("\u202etxt.exe", 4, 1, "Available"),
    )
    code, out, _ = run(["replay", log], capsys)
    assert code == 0
    rows = out.splitlines()
    assert len(rows) == 5
    assert [row.split("  ")[0] for row in rows[1:]] == [
        "\\x1b[2J\\x1b[31mred",
        "A\\nB",
        "back\\\\slash",
        "\\u202etxt.exe",
    ]
    assert "\x1b" not in out
    code, out, _ = run(["replay", "--timeline", log], capsys)
    assert len(out.splitlines()) == 8
    assert out.startswith("2026-06-01T08:01:00Z  A\\nB        Charging   fake  ")
    assert "\n2026-06-01T08:02:00Z  \\x1b[2J\\x1b[31mred  " in out


@given(station=st.text(min_size=1).filter(lambda text: not text.isspace()))
def test_any_station_id_is_one_row_and_one_json_line(station: str) -> None:
    line = status(station, 1, 1, "Charging")
    for argv, rows in ((["replay", "-"], 2), (["replay", "--json", "-"], 1)):
        out = io.StringIO()
        stdin = io.TextIOWrapper(io.BytesIO(line.encode()))
        with contextlib.redirect_stdout(out), _stdin(stdin):
            assert cli.main(argv) == 0
        text = out.getvalue()
        assert len(text.splitlines()) == rows
        if rows == 1:
            assert json.loads(text)["station"] == station
        else:
            # Nothing in the table but printable characters and line ends.
            assert text.replace("\n", "").isprintable()


@contextlib.contextmanager
def _stdin(stream: IO[str]) -> Generator[None]:
    saved = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = saved


# --- tables on a terminal ---------------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 100, 143, 200])
def test_tables_fit_the_terminal_as_plain_text(
    columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run(["tables"], capsys)
    assert (code, err) == (0, "")
    assert "`" not in out
    assert " | " not in out
    assert max(map(layout.display_width, out.splitlines())) <= columns
    words = set(out.split())
    for title, _ in TABLES.values():
        assert f"{title}\n\n" in out
    for transition in TRANSITIONS.values():
        assert transition.code in words
    for state in ChargePointStatus:
        # The row labels of the transition grid are never cut.
        assert f"{transition_letter(state)} {state}" in out or columns < 143


def transition_letter(state: ChargePointStatus) -> str:

    return STATE_LETTERS[state]


def test_a_plain_table_keeps_every_word(capsys: pytest.CaptureFixture[str]) -> None:
    del capsys
    rows = [
        ["#", "When"],
        ["1", "the station is removed from the platform"],
        ["22", "SuspendedEVSE"],
    ]
    assert layout.plain_table(rows, 20) == (
        "#   When\n"
        "--  ----------------\n"
        "1   the station is\n"
        "    removed from the\n"
        "    platform\n"
        "22  SuspendedEVSE\n"
    )
    assert layout.plain_table(rows, 13).splitlines()[-2:] == [
        "22  Suspended",
        "    EVSE",
    ]


@given(
    cell=st.text(alphabet=st.sampled_from("ab CDE-·"), max_size=60),
    width=st.integers(min_value=1, max_value=30),
)
def test_wrapping_keeps_the_text_and_the_width(cell: str, width: int) -> None:
    lines = layout.wrap_cell(cell, width)
    assert all(layout.display_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == cell.replace(" ", "")


@given(
    rows=st.lists(
        st.lists(
            st.text(alphabet=st.sampled_from("ab |·-*`"), max_size=8),
            min_size=3,
            max_size=3,
        ),
        max_size=4,
    )
)
def test_text_tables_are_laid_out_from_the_rows(rows: list[list[str]]) -> None:
    # Markdown escapes "|"; the text is laid out from the rows, unescaped, and
    # only code spans' back ticks are dropped.
    header = ["x", "y z", "w"]
    text = table_text(Table.of(header, rows), 200)
    assert text == layout.plain_table(
        [[cell.replace("`", "") for cell in row] for row in [header, *rows]], 200
    )
    assert "\\|" not in text


def test_the_markdown_tables_are_the_rows_written_out() -> None:
    assert TABLES.keys() == TABLE_ROWS.keys()
    for name, (title, rows) in TABLE_ROWS.items():
        assert TABLES[name][0] == title
        assert TABLES[name][1]() == rows().markdown()


# --- help for someone with only the wheel -------------------------------------------------


def test_help_carries_the_log_format_not_a_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["replay", "--help"])
    text = capsys.readouterr().out
    assert "docs/" not in text
    for needed in ('"station"', '"received"', '"frame"', '"payload"', '"event"'):
        assert needed in text
    assert "evstatus demo --log" in text


def test_demo_prints_its_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(["demo", "--log"], capsys)
    assert (code, err) == (0, "")
    sample = (files("evstatus") / "data" / "demo.jsonl").read_text(encoding="utf-8")
    assert out == sample
    log = tmp_path / "demo.jsonl"
    log.write_text(out, encoding="utf-8")
    code, out, err = run(["replay", str(log)], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[1].startswith("CP-DEMO-1  Available")


def test_demo_log_and_json_exclude_each_other(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["demo", "--log", "--json"])
    assert caught.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
