import io
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from evstatus import ChargePointStatus, StationStatus
from evstatus import _cli as cli
from evstatus._tables import TABLES
from evstatus.rules import TRANSITIONS

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
            f"{log}:2: <line>: got '{{oops', expected one JSON value "
            "(Expecting property name enclosed in double quotes:"
            " line 1 column 2 (char 1))"
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
    assert out.startswith("STATION")
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
        (
            f"{log}:2: <line>: got 'nope', expected one JSON value "
            "(Expecting value: line 1 column 1 (char 0))"
        ),
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
    assert "<stdin>:2: <line>" in err
    assert "A        Available" in out


def test_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(["replay", str(tmp_path / "nothing.jsonl")], capsys)
    assert (code, out) == (2, "")
    assert (
        err == f"evstatus: cannot read {tmp_path / 'nothing.jsonl'}:"
        " No such file or directory\n"
    )


def test_an_error_while_reading(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def failing(_stream: object) -> object:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(cli, "_numbered_lines", failing)
    log = write_log(tmp_path, status("A", 1, 1, "Available"))
    code, out, err = run(["replay", log], capsys)
    assert (code, out) == (2, "")
    assert err == f"evstatus: cannot read {log}: Input/output error\n"


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
        ["--tolerance", "0.5"],
        ["--tolerance", "nan"],
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
    assert "evstatus replay: error: argument" in err
    assert "Traceback" not in err


def test_progress_shows_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 2)
    log = write_log(
        tmp_path, *(status("A", minute, 1, "Available") for minute in range(3)), "x", ""
    )
    assert cli.main(["replay", log]) == 1
    shown = terminal.getvalue()
    assert shown.startswith("\r2 lines read\r4 lines read\n")
    assert f"{log}:4: <line>" in shown
    assert shown.endswith("evstatus: 1 bad line skipped\n")
    assert capsys.readouterr().err == ""


def test_no_progress_off_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 1)
    log = write_log(tmp_path, status("A", 1, 1, "Available"))
    code, _, err = run(["replay", log], capsys)
    assert (code, err) == (0, "")


def test_a_closed_pipe_ends_quietly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "out"

    class ClosedPipe(io.StringIO):
        def __init__(self) -> None:
            super().__init__()
            self.handle = target.open("w")

        def write(self, _text: str) -> int:
            raise BrokenPipeError

        def fileno(self) -> int:
            return self.handle.fileno()

    pipe = ClosedPipe()
    monkeypatch.setattr(sys, "stdout", pipe)
    try:
        assert cli.main(["tables"]) == 0
    finally:
        pipe.handle.close()


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


def test_explain_refuses_a_forbidden_connector_zero_state(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["explain", "0=Charging"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(
        "evstatus explain: connector 0: status: got <ChargePointStatus.CHARGING"
    )
    assert "expected on connector 0 only 'Available', 'Unavailable', 'Faulted'" in err


# --- tables -------------------------------------------------------------------


def test_tables_come_from_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["tables"], capsys)
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


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip()


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
