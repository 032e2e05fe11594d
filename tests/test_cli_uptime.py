"""The ``evstatus uptime`` and ``evstatus report`` commands, end to end in process."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from evstatus import _cli as cli
from evstatus._cli import loop

DAY = datetime(2026, 6, 1, tzinfo=UTC)


def at(hours: float, base: datetime = DAY) -> str:
    return (base + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def status(moment: str, connector: int, state: str, station: str = "CP-1") -> str:
    payload = {"connectorId": connector, "errorCode": "NoError", "status": state}
    return json.dumps({"station": station, "received": moment, "payload": payload})


def event(moment: str, name: str, station: str = "CP-1") -> str:
    return json.dumps({"station": station, "received": moment, "event": name})


def opening(moment: str, ports: int = 1, station: str = "CP-1") -> list[str]:
    return [
        event(moment, "connected", station),
        *(status(moment, port, "Available", station) for port in range(1, ports + 1)),
    ]


def data_until(moment: str) -> str:
    """A line of a station without ports: the log's data reaches *moment*."""
    return event(moment, "heard", "log-end")


def write(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ports(
    capsys: pytest.CaptureFixture[str],
    log: str,
    start: str = "2026-06-01",
    end: str = "2026-06-02",
    *options: str,
) -> list[dict[str, Any]]:
    code, out, err = run(
        capsys, "uptime", log, "--from", start, "--to", end, "--json", *options
    )
    assert (code, err) == (0, "")
    return [json.loads(line) for line in out.splitlines()]


def exclusion(start: str, end: str, cause: str, **extra: object) -> str:
    return json.dumps(
        {"station": "CP-1", "start": start, "end": end, "cause": cause, **extra}
    )


# --- the hand-worked examples, through the command ---------------------------------


def test_a_fault_spanning_a_month_boundary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    may = datetime(2026, 5, 1, tzinfo=UTC)
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(0, may)),
            status(at(-1), 1, "Faulted"),
            status(at(2), 1, "Available"),
            data_until(at(0, datetime(2026, 7, 1, tzinfo=UTC))),
        ],
    )
    (in_may,) = ports(capsys, log, "2026-05-01", "2026-06-01")
    (in_june,) = ports(capsys, log, "2026-06-01", "2026-07-01")
    assert (in_may["period_minutes"], in_may["outage_minutes"]) == (44_640, 60)
    assert in_may["uptime_percent"] == float(Fraction(44_640 - 60, 44_640) * 100)
    assert (in_june["period_minutes"], in_june["outage_minutes"]) == (43_200, 120)
    assert in_june["outages"] == [
        {
            "start": "2026-06-01T00:00:00Z",
            "end": "2026-06-01T02:00:00Z",
            "minutes": 120,
            "status": "Faulted",
            "reason": "faulted",
            "excluded_minutes": 0,
            "cause": None,
        }
    ]


def test_an_offline_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(0), ports=2),
            event(at(10), "disconnected"),
            event(at(10.5), "connected"),
            data_until(at(24)),
        ],
    )
    for port in ports(capsys, log):
        assert port["outage_minutes"] == 30
        assert [(o["status"], o["reason"]) for o in port["outages"]] == [
            ("Offline", "offline")
        ]


def test_connector_zero_masking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(0), ports=2),
            status(at(12), 0, "Faulted"),
            status(at(12.75), 0, "Available"),
            data_until(at(24)),
        ],
    )
    for port in ports(capsys, log):
        assert port["outage_minutes"] == 45
        assert port["outages"][0]["reason"] == "connector_zero_faulted"


def test_an_exclusion_covering_part_of_an_outage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(0)),
            status(at(8), 1, "Faulted"),
            status(at(10), 1, "Available"),
            data_until(at(24)),
        ],
    )
    excused = write(
        tmp_path, "x.jsonl", [exclusion(at(7), at(9), "utility_interruption")]
    )
    (port,) = ports(capsys, log, "2026-06-01", "2026-06-02", "--exclusions", excused)
    assert (port["outage_minutes"], port["excluded_minutes"]) == (120, 60)
    assert port["uptime_percent"] == float(Fraction(1440 - 60, 1440) * 100)
    (outage,) = port["outages"]
    assert (outage["excluded_minutes"], outage["cause"]) == (60, "utility_interruption")


def test_the_california_vandalism_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    march = datetime(2026, 3, 1, tzinfo=UTC)
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(0, march)),
            status(at(48, march), 1, "Faulted"),
            status(at(17 * 24, march), 1, "Available"),
            data_until(at(31 * 24, march)),
        ],
    )
    excused = write(
        tmp_path, "x.jsonl", [exclusion(at(24, march), at(21 * 24, march), "vandalism")]
    )
    (cec,) = ports(
        capsys,
        log,
        "2026-03-01",
        "2026-04-01",
        "--regime",
        "cec",
        "--exclusions",
        excused,
    )
    (nevi,) = ports(capsys, log, "2026-03-01", "2026-04-01", "--exclusions", excused)
    assert (cec["outage_minutes"], cec["excluded_minutes"]) == (21_600, 14_400)
    assert nevi["excluded_minutes"] == 21_600
    assert cec["uptime_percent"] == float(Fraction(44_640 - 7_200, 44_640) * 100)


def test_a_port_appearing_mid_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(
        tmp_path,
        "log.jsonl",
        [*opening(at(0)), status(at(12), 2, "Available"), data_until(at(24))],
    )
    first, second = ports(capsys, log)
    assert first["period_minutes"] == 1440
    assert (second["start"], second["period_minutes"]) == (
        "2026-06-01T12:00:00Z",
        720,
    )


def test_a_removed_station(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(6)),
            status(at(10), 1, "Faulted"),
            status(at(11), 1, "Available"),
            event(at(18), "removed"),
            data_until(at(24)),
        ],
    )
    (port,) = ports(capsys, log)
    assert (port["start"], port["end"]) == (
        "2026-06-01T06:00:00Z",
        "2026-06-01T18:00:00Z",
    )
    assert (port["period_minutes"], port["outage_minutes"]) == (720, 60)


def test_a_port_without_data_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(30)))
    (port,) = ports(capsys, log)
    assert port["uptime_percent"] is None
    assert port["note"] == "no data for this port in the period"
    code, out, _ = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02"
    )
    assert code == 0
    assert "no data" in out
    assert "100" not in out.split("\n\n")[1]


# --- output shapes -------------------------------------------------------------------


DEMO = str(files("evstatus").joinpath("data", "demo.jsonl"))


def test_the_demo_day_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "uptime", DEMO, "--from", "2026-06-01", "--to", "2026-06-02"
    )
    # The demo's log ends at 21:00: the three hours after it are no data.
    assert code == 0
    assert "data ends at 2026-06-01T21:00:00Z" in err
    lines = out.splitlines()
    assert lines[0].startswith(
        "Uptime per port, 2026-06-01T00:00:00Z to 2026-06-02T00:00:00Z, regime nevi"
    )
    assert lines[2].split() == [
        "STATION",
        "CONNECTOR",
        "PERIOD_MINUTES",
        "OUTAGE_MINUTES",
        "EXCLUDED_MINUTES",
        "UPTIME_PERCENT",
        "OUTAGES",
    ]
    # Port 1: counted from 06:00:01 to 21:00, out 22:45 offline and 45:00
    # switched off. Port 2 also 15:00 in SuspendedEVSE, out under nevi.
    assert lines[3].split() == [
        "CP-DEMO-1",
        "1",
        "899.98",
        "67.75",
        "0.00",
        "92.472",
        "2",
    ]
    assert lines[4].split() == [
        "CP-DEMO-1",
        "2",
        "899.97",
        "114.23",
        "0.00",
        "87.307",
        "4",
    ]
    assert "Outages:" in out
    assert "2026-06-01T13:05:33Z  2026-06-01T13:37:02Z  31.48    Faulted" in out


def test_the_demo_day_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "uptime", DEMO, "--from", "2026-06-01", "--to", "2026-06-02", "--csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["uptime_percent"] for row in rows] == ["92.472", "87.307"]
    assert rows[1]["outage_minutes"] == "114.233"
    assert rows[1]["outages"] == "4"
    assert [row["regime"] for row in rows] == ["nevi", "nevi"]
    code, out, _ = run(
        capsys,
        "uptime",
        DEMO,
        *("--from", "2026-06-01", "--to", "2026-06-02"),
        *("--csv", "--regime", "CEC"),
    )
    assert [row["regime"] for row in csv.DictReader(io.StringIO(out))] == ["cec"] * 2


def test_fifteen_minute_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "uptime",
        DEMO,
        "--from",
        "2026-06-01T13:00:00Z",
        "--to",
        "2026-06-01T14:00:00Z",
        "--interval",
        "15m",
    ]
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 8
    second = [r for r in records if r["connector"] == 2]
    # The fault ran from 13:05:33 to 13:37:02.
    assert [r["outage_minutes"] for r in second] == [
        pytest.approx(9 + 27 / 60),
        15,
        pytest.approx(7 + 2 / 60),
        0,
    ]
    code, out, _ = run(capsys, *argv, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert (rows[4]["regime"], rows[4]["start"]) == ("nevi", "2026-06-01T13:00:00Z")
    assert rows[4]["outage_minutes"] == "9.450"
    code, out, _ = run(capsys, *argv)
    assert out.splitlines()[0].split()[:4] == [
        "STATION",
        "CONNECTOR",
        "REGIME",
        "START",
    ]
    assert len(out.splitlines()) == 9


def test_every_output_names_the_same_things_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Times to the millisecond, as many stations send them; one outage.
    log = write(
        tmp_path,
        "log.jsonl",
        [
            event("2026-06-01T00:00:00.250Z", "connected"),
            status("2026-06-01T00:00:00.250Z", 1, "Available"),
            status("2026-06-01T01:00:00.778Z", 1, "Faulted"),
            status("2026-06-01T02:30:00Z", 1, "Available"),
            data_until(at(24)),
        ],
    )
    period = ("--from", "2026-06-01", "--to", "2026-06-02", "--regime", "cec")
    every = ("--interval", "12h")

    def output(*options: str) -> str:
        code, out, err = run(capsys, "uptime", log, *period, *options)
        assert (code, err) == (0, "")
        # Times keep the digits they need, and no more.
        assert "778000" not in out
        return out

    (port,) = [json.loads(line) for line in output("--json").splitlines()]
    (row,) = csv.DictReader(io.StringIO(output("--csv")))
    records = [json.loads(line) for line in output("--json", *every).splitlines()]
    rows = list(csv.DictReader(io.StringIO(output("--csv", *every))))
    text = output()
    table = output(*every)
    # JSON and CSV: one name for each thing, the same in both.
    assert list(port) == list(row)
    assert list(records[0]) == list(rows[0])
    assert list(records[0]) == [
        "station",
        "connector",
        "regime",
        "start",
        "end",
        "period_minutes",
        "outage_minutes",
        "excluded_minutes",
        "uptime_percent",
    ]
    assert list(port) == [*list(records[0]), "outages"]
    assert (port["regime"], row["regime"]) == ("cec", "cec")
    assert {record["regime"] for record in records} == {"cec"}
    assert (port["start"], row["start"]) == ("2026-06-01T00:00:00.250Z",) * 2
    (outage,) = port["outages"]
    assert (outage["start"], outage["end"]) == (
        "2026-06-01T01:00:00.778Z",
        "2026-06-01T02:30:00Z",
    )
    # The tables head their columns with the same names, in capitals.
    assert table.splitlines()[0].split() == [name.upper() for name in rows[0]]
    lines = text.splitlines()
    assert set(lines[2].split()) <= {name.upper() for name in row}
    heads = lines[lines.index("Outages:") + 2].split()
    assert set(heads) <= {"STATION", "CONNECTOR"} | {key.upper() for key in outage}
    assert "2026-06-01T01:00:00.778Z  2026-06-01T02:30:00Z" in text
    assert ", regime cec (" in lines[0]


# --- bad input -----------------------------------------------------------------------


def test_bad_exclusions_stop_the_command_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    bad = write(
        tmp_path,
        "x.jsonl",
        ["", exclusion(at(0), at(1), "vandalism"), exclusion(at(2), at(1), "aliens")],
    )
    code, out, err = run(
        capsys,
        "uptime",
        log,
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-02",
        "--exclusions",
        bad,
    )
    assert code == 2
    assert out == ""
    assert err.startswith(f"evstatus: {bad}:3: cause: got 'aliens', expected one of")
    assert "; end: got '2026-06-01T01:00:00Z', expected a time after start" in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_exclusions_lines_are_the_log_readers_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A station id with a raw line separator, in the log and the exclusions:
    # both readers take it as part of its line.
    odd = "CP\u20281"
    log = tmp_path / "log.jsonl"
    log.write_text(
        "".join(
            json.dumps(line, ensure_ascii=False) + "\n"
            for line in [
                {"station": odd, "received": at(0), "event": "connected"},
                {
                    "station": odd,
                    "received": at(1),
                    "payload": {
                        "connectorId": 1,
                        "errorCode": "NoError",
                        "status": "Faulted",
                    },
                },
                {"station": "log-end", "received": at(24), "event": "heard"},
            ]
        ),
        encoding="utf-8",
    )
    excused = tmp_path / "x.jsonl"
    excused.write_text(
        json.dumps(
            {"station": odd, "start": at(0), "end": at(2), "cause": "vandalism"},
            ensure_ascii=False,
        )
        + "\r\n",
        encoding="utf-8",
    )
    period = ["--from", "2026-06-01", "--to", "2026-06-02"]
    code, out, err = run(
        capsys, "uptime", str(log), *period, "--json", "--exclusions", str(excused)
    )
    assert (code, err) == (0, "")
    # One record a line, each ended by a line feed (a line separator in an id
    # may be written raw or escaped, and either way is no line end).
    (record,) = out.removesuffix("\n").split("\n")
    port = json.loads(record)
    assert (port["station"], port["excluded_minutes"]) == (odd, 60)
    # A form feed alone on a line is a bad line, line 2, as in a log.
    fed = write(
        tmp_path, "fed.jsonl", [exclusion(at(0), at(1), "vandalism"), "\f", "{oops"]
    )
    code, out, err = run(capsys, "uptime", str(log), *period, "--exclusions", fed)
    assert (code, out) == (2, "")
    assert err == (
        f"evstatus: {fed}:2: <line>: got '\\x0c', expected one JSON object\n"
    )


def test_exclusions_reaching_nothing_are_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", [*opening(at(0)), data_until(at(24))])
    odd = write(
        tmp_path,
        "x.jsonl",
        [
            json.dumps(
                {"station": "CP-9", "start": at(0), "end": at(1), "cause": "vandalism"}
            )
        ],
    )
    code, _, err = run(
        capsys,
        "uptime",
        log,
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-02",
        "--exclusions",
        odd,
    )
    assert code == 0
    assert (
        err
        == f"evstatus: warning: {odd}:1: station 'CP-9' is not in the log; ignored\n"
    )


def test_log_warnings_and_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(5)),
            status(at(4), 1, "Faulted"),
            "{oops",
            "",
            '{"station": "CP-1", "event": "disabled"}',
        ],
    )
    code, _, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02"
    )
    assert code == 1
    assert f"{log}:4: column 2: got 'oops'" in err
    assert "1 bad line skipped" in err
    assert f"evstatus: warning: {log}:3: time 2026-06-01T04:00:00Z is before" in err
    assert f"evstatus: warning: {log}:6: no receive time or timestamp" in err
    code, _, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02", "--strict"
    )
    assert code == 1
    assert "stopped at the first bad line" in err


def _spoiled_log(tmp_path: Path) -> str:
    """A day whose payloads real chargers got wrong: three repairable, one not."""

    def spoiled(moment: str, connector: object, state: str, **extra: object) -> str:
        payload = {
            "connectorId": connector,
            "errorCode": "NoError",
            "status": state,
            **extra,
        }
        return json.dumps({"station": "CP-1", "received": moment, "payload": payload})

    return write(
        tmp_path,
        "log.jsonl",
        [
            event(at(0), "connected"),
            spoiled(at(0), "1", "Available"),
            spoiled(at(1), 1, "faulted", timestamp="2026-06-01 01:00:00+00"),
            spoiled(at(3), 1, "Available", firmware="1.2", info=None),
            spoiled(at(5), 1, "Sleeping"),
        ],
    )


def test_lenient_reading_skips_the_same_lines_in_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = _spoiled_log(tmp_path)
    period = ("--from", "2026-06-01", "--to", "2026-06-02")
    page = str(tmp_path / "report.html")
    # Read strictly, all four payloads are refused; leniently only the one
    # whose status no repair can make sense of.
    for strict, lenient in [
        (("replay", log), ("replay", log, "--lenient")),
        (("uptime", log, *period), ("uptime", log, *period, "--lenient")),
        (
            ("report", log, *period, "-o", page),
            ("report", log, *period, "-o", page, "--lenient"),
        ),
    ]:
        code, _, err = run(capsys, *strict)
        bad = [line for line in err.splitlines() if line.startswith(f"{log}:")]
        assert (code, len(bad)) == (1, 4), err
        assert "4 bad lines skipped" in err
        code, _, err = run(capsys, *lenient)
        assert code == 1
        assert f"{log}:5: status: got 'Sleeping'" in err
        assert err.count(f"{log}:5:") == 1
        assert "1 bad line skipped" in err
    # The repairs are told too, by kind.
    code, _, err = run(capsys, "uptime", log, *period, "--lenient")
    assert (
        f"evstatus: {log}: 6 repairs of payloads: 1 extra_key, 1 null_value, "
        "1 numeric_string, 1 enum_case, 1 timestamp_space, "
        "1 timestamp_offset_hours\n"
    ) in err


def test_lenient_uptime_measures_the_repaired_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "uptime",
        _spoiled_log(tmp_path),
        *("--from", "2026-06-01", "--to", "2026-06-02", "--json", "--lenient"),
    )
    assert code == 1
    (port,) = [json.loads(line) for line in out.splitlines()]
    # Faulted from 01:00 (its timestamp repaired) until Available at 03:00.
    assert port["outage_minutes"] == 2 * 60
    assert [(o["start"], o["end"]) for o in port["outages"]] == [
        ("2026-06-01T01:00:00Z", "2026-06-01T03:00:00Z")
    ]
    # Nothing to repair, nothing said.
    clean = write(
        tmp_path,
        "clean.jsonl",
        [*opening(at(0)), status(at(1), 1, "Faulted"), data_until(at(24))],
    )
    (port,) = ports(capsys, clean, "2026-06-01", "2026-06-02", "--lenient")
    assert port["outage_minutes"] == 23 * 60


def test_a_line_not_in_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"\xff\n")
    code, _, err = run(
        capsys, "uptime", str(path), "--from", "2026-06-01", "--to", "2026-06-02"
    )
    assert code == 1
    assert ":1: the line is not UTF-8 text" in err


def test_stdin_is_read_with_a_dash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [*opening(at(0)), data_until(at(24))]
    data = "".join(line + "\n" for line in lines).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(
        capsys, "uptime", "-", "--from", "2026-06-01", "--to", "2026-06-02", "--json"
    )
    assert code == 0
    assert json.loads(out)["uptime_percent"] == 100


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2026-13-01", "--to", "2026-06-02"], "is not a date (YYYY-MM-DD"),
        (["--from", "2026-06-01T00:00:00", "--to", "2026-06-02"], "is not a date"),
        (
            ["--from", "2026-06-01", "--to", "2026-06-02", "--interval", "15 minutes"],
            "is not a length like 30s, 15m",
        ),
        (
            ["--from", "2026-06-01", "--to", "2026-06-02", "--regime", "ontario"],
            "invalid choice: 'ontario'",
        ),
    ],
)
def test_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    with pytest.raises(SystemExit) as exited:
        cli.main(["uptime", log, *argv])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_an_empty_period_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-02", "--to", "2026-06-01"
    )
    assert (code, out) == (2, "")
    assert err == "evstatus: --to must be later than --from\n"


def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    period = ["--from", "2026-06-01", "--to", "2026-06-02"]
    missing = str(tmp_path / "missing.jsonl")
    code, _, err = run(capsys, "uptime", missing, *period)
    assert code == 2
    assert f"cannot read {missing}: No such file or directory" in err
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    code, _, err = run(capsys, "uptime", log, *period, "--exclusions", missing)
    assert (code, err) == (
        2,
        f"evstatus: cannot read {missing}: No such file or directory\n",
    )
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b"\xff")
    code, _, err = run(capsys, "uptime", log, *period, "--exclusions", str(latin))
    assert (code, err) == (2, f"evstatus: cannot read {latin}: not UTF-8 text\n")
    code, _, err = run(
        capsys, "report", log, *period, "-o", str(tmp_path / "no" / "such" / "dir.html")
    )
    assert code == 2
    assert "cannot write" in err


def test_report_stops_on_a_bad_exclusion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    bad = write(tmp_path, "x.jsonl", ["[]"])
    page = tmp_path / "r.html"
    code, _, err = run(
        capsys,
        "report",
        log,
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-02",
        "--exclusions",
        bad,
        "-o",
        str(page),
    )
    assert code == 2
    assert "x.jsonl:1: <line>: got <list of 0>, expected a JSON object" in err
    assert not page.exists()


def test_report_writes_one_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    code, out, err = run(
        capsys,
        "report",
        DEMO,
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-02",
        "-o",
        str(page),
    )
    assert (code, out) == (0, "")
    assert "data ends at 2026-06-01T21:00:00Z" in err
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "<script" not in html


def test_progress_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(loop, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(loop, "PROGRESS_DELAY", 0)
    monkeypatch.setattr(loop, "PROGRESS_REFRESH", 0)
    log = write(tmp_path, "log.jsonl", [*opening(at(0), ports=3), "x"])
    code = cli.main(["uptime", log, "--from", "2026-06-01", "--to", "2026-06-02"])
    assert code == 1
    shown = terminal.getvalue()
    assert shown.startswith("\r2 lines read, ")
    assert "\r4 lines read, " in shown
    # The progress line is wiped before the bad line is told.
    assert f"\r{log}:5: column 1: got 'x'" in shown
    assert capsys.readouterr().err == ""


def test_the_docs_show_the_demo_day_as_the_command_prints_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = (Path(__file__).parent.parent / "docs" / "uptime.md").read_text(
        encoding="utf-8"
    )
    _, out, _ = run(
        capsys, "uptime", DEMO, "--from", "2026-06-01", "--to", "2026-06-02"
    )
    assert out.strip() in page
