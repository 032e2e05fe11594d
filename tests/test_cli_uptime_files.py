"""``evstatus uptime`` and ``report``: the inventory, EV-ChART, --tz, the heartbeat
rule and the streamed tables, through the command line.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from evstatus import _cli as cli
from evstatus._cli.layout import table
from evstatus._cli.uptime import (
    _RECORD_COLUMNS,  # pyright: ignore[reportPrivateUsage]
    _heads,  # pyright: ignore[reportPrivateUsage]
    _record_rows,  # pyright: ignore[reportPrivateUsage]
)
from evstatus.uptime import Timeline, interval_records, uptime

from .evchart_rules import violations

DAY = datetime(2026, 6, 1, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def at(hours: float, base: datetime = DAY) -> str:
    return stamp(base + timedelta(hours=hours))


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


def write(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def as_json(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


# --- --ports ------------------------------------------------------------------------


def inventory_case(tmp_path: Path) -> tuple[str, str]:
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(0)),
            *opening(at(0), station="CP-7"),
            status(at(6), 1, "Faulted"),
            status(at(6.6), 1, "Available"),
            event(at(24), "heard"),
            event(at(24), "heard", station="CP-7"),
        ],
    )
    ports = tmp_path / "ports.csv"
    ports.write_text(
        "station,connector,station_id,port_id,network_provider,notes\n"
        "CP-1,1,S-0001,S-0001-A,ExampleNet,north bay\n"
        "CP-1,2,S-0001,S-0001-B,ExampleNet,never heard from\n",
        encoding="utf-8",
    )
    return log, str(ports)


def test_a_never_reporting_port_is_listed_and_a_missing_one_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, ports = inventory_case(tmp_path)
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--ports", ports, "--json",
    )  # fmt: skip
    assert code == 0
    assert err == (
        f"evstatus: warning: {ports}: station 'CP-7' port 1 is in the log but not "
        "in the port inventory; reported under its OCPP ids\n"
    )
    rows = as_json(out)
    assert [
        (
            row["station"],
            row["connector"],
            row["station_id"],
            row["port_id"],
            row["network_provider"],
            row["period_minutes"],
            row["outage_minutes"],
            row["uptime_percent"],
        )
        for row in rows
    ] == [
        # 36 minutes out of 1,440: (1440 - 36) / 1440 = 97.5%.
        ("CP-1", 1, "S-0001", "S-0001-A", "ExampleNet", 1440, 36, 97.5),
        ("CP-1", 2, "S-0001", "S-0001-B", "ExampleNet", 0, 0, None),
        ("CP-7", 1, "CP-7", "1", None, 1440, 0, 100),
    ]
    assert rows[1]["note"] == "no data for this port in the period"


def test_the_inventory_in_the_csv_and_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, ports = inventory_case(tmp_path)
    period = ("--from", "2026-06-01", "--to", "2026-06-02", "--ports", ports)
    _, out, _ = run(capsys, "uptime", log, *period, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:5] == [
        "station", "connector", "station_id", "port_id", "network_provider",
    ]  # fmt: skip
    assert [
        (r["port_id"], r["network_provider"], r["uptime_percent"]) for r in rows
    ] == [
        ("S-0001-A", "ExampleNet", "97.500"),
        ("S-0001-B", "ExampleNet", "no data"),
        ("1", "", "100.000"),
    ]
    _, out, _ = run(capsys, "uptime", log, *period)
    assert (
        "CP-1     2          0.00            0.00            0.00              "
        "no data         0\n"
    ) in out
    _, out, _ = run(capsys, "uptime", log, *period, "--interval", "12h", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["port_id"], r["start"], r["uptime_percent"]) for r in rows] == [
        ("S-0001-A", "2026-06-01T00:00:00Z", "95.000"),
        ("S-0001-A", "2026-06-01T12:00:00Z", "100.000"),
        ("S-0001-B", "2026-06-01T00:00:00Z", "no data"),
        ("S-0001-B", "2026-06-01T12:00:00Z", "no data"),
        ("1", "2026-06-01T00:00:00Z", "100.000"),
        ("1", "2026-06-01T12:00:00Z", "100.000"),
    ]
    _, out, _ = run(capsys, "uptime", log, *period, "--interval", "1d", "--json")
    assert [(r["station_id"], r["port_id"]) for r in as_json(out)] == [
        ("S-0001", "S-0001-A"),
        ("S-0001", "S-0001-B"),
        ("CP-7", "1"),
    ]


def test_without_an_inventory_no_identifier_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, _ = inventory_case(tmp_path)
    _, out, _ = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02", "--csv"
    )
    assert out.startswith("station,connector,regime,")
    _, out, _ = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02", "--json"
    )
    assert "port_id" not in as_json(out)[0]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "station,connector\nCP-1,0\n",
            (
                "port inventory row on line 2: connector: got '0', expected a port "
                "number >= 1 (the OCPP connector id; for OCPP 2.0.1 the EVSE id)"
            ),
        ),
        (
            "station,port\nCP-1,1\n",
            (
                "port inventory header on line 1: connector: missing, expected a "
                "column named connector in the header"
            ),
        ),
        (
            "station,connector\nCP-1,1\nCP-1,1\n",
            (
                "port inventory row on line 3: connector: got 1, expected a port not "
                "listed before (line 2 lists station 'CP-1' port 1)"
            ),
        ),
    ],
)
def test_a_bad_inventory_stops_the_command_naming_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    log, _ = inventory_case(tmp_path)
    ports = tmp_path / "bad.csv"
    ports.write_text(text, encoding="utf-8")
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--ports", str(ports),
    )  # fmt: skip
    assert (code, out, err) == (2, "", f"evstatus: {ports}: {said}\n")


def test_an_unreadable_inventory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, _ = inventory_case(tmp_path)
    missing = tmp_path / "nowhere.csv"
    code, _, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--ports", str(missing),
    )  # fmt: skip
    assert (code, err) == (
        2,
        f"evstatus: cannot read {missing}: No such file or directory\n",
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"station,connector\nCP-\xe9,1\n")
    code, _, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--ports", str(latin),
    )  # fmt: skip
    assert (code, err) == (2, f"evstatus: cannot read {latin}: not UTF-8 text\n")


def test_a_spreadsheets_byte_order_mark_is_not_part_of_the_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, _ = inventory_case(tmp_path)
    ports = tmp_path / "excel.csv"
    ports.write_bytes(
        "station,connector,port_id\r\nCP-1,1,A\r\nCP-7,1,B\r\n".encode("utf-8-sig")
    )
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--ports", str(ports), "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert [row["port_id"] for row in as_json(out)] == ["A", "B"]


def test_report_takes_the_inventory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, ports = inventory_case(tmp_path)
    page = tmp_path / "report.html"
    code, _, err = run(
        capsys, "report", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--ports", ports, "-o", str(page),
    )  # fmt: skip
    assert code == 0
    assert "'CP-7' port 1 is in the log but not in the port inventory" in err
    assert "S-0001" in page.read_text(encoding="utf-8")


# --- --tz ---------------------------------------------------------------------------


LA = ZoneInfo("America/Los_Angeles")


def test_a_daylight_saving_month_in_los_angeles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # March 2026 in Los Angeles is 1 March 08:00Z to 1 April 07:00Z: 31 days
    # less the hour lost on the 8th, 44,580 minutes. A fault from 23:30 on 31
    # March to 00:30 on 1 April, Pacific daylight time, is half in it.
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(stamp(datetime(2026, 2, 1, tzinfo=UTC))),
            status(stamp(datetime(2026, 3, 31, 23, 30, tzinfo=LA)), 1, "Faulted"),
            status(stamp(datetime(2026, 4, 1, 0, 30, tzinfo=LA)), 1, "Available"),
            event(stamp(datetime(2026, 5, 1, tzinfo=UTC)), "heard"),
        ],
    )
    march = ("--from", "2026-03-01", "--to", "2026-04-01")
    code, out, err = run(
        capsys, "uptime", log, *march, "--tz", "America/Los_Angeles", "--json"
    )
    assert (code, err) == (0, "")
    (port,) = as_json(out)
    assert (port["start"], port["end"]) == (
        "2026-03-01T08:00:00Z",
        "2026-04-01T07:00:00Z",
    )
    assert (port["period_minutes"], port["outage_minutes"]) == (44_580, 30)
    assert port["uptime_percent"] == pytest.approx((44_580 - 30) / 44_580 * 100)
    # In UTC, the same dates: 31 whole days, and the fault all in April.
    _, out, _ = run(capsys, "uptime", log, *march, "--json")
    (port,) = as_json(out)
    assert (port["start"], port["period_minutes"], port["outage_minutes"]) == (
        "2026-03-01T00:00:00Z",
        44_640,
        0,
    )


def test_an_rfc_3339_time_is_the_instant_it_names_whatever_the_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", [*opening(at(0)), event(at(48), "heard")])
    _, out, _ = run(
        capsys, "uptime", log, "--from", "2026-06-01T00:00:00Z", "--to",
        "2026-06-02", "--tz", "Asia/Tokyo", "--json",
    )  # fmt: skip
    (port,) = as_json(out)
    # To midnight in Tokyo, 15:00Z the day before: 15 hours.
    assert (port["start"], port["end"], port["period_minutes"]) == (
        "2026-06-01T00:00:00Z",
        "2026-06-01T15:00:00Z",
        900,
    )


@pytest.mark.parametrize(
    "zone",
    [
        "Mars/Olympus_Mons",
        "utc",
        "America",
        "../etc/passwd",
        "",
        "/etc/localtime",
        "x" * 300,
    ],
)
def test_an_unknown_zone_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    with pytest.raises(SystemExit) as exited:
        cli.main(
            ["uptime", log, "--from", "2026-06-01", "--to", "2026-06-02", "--tz", zone]
        )
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "argument --tz: " in err
    assert (
        "is not a time zone: expected an IANA name such as UTC, America/Los_Angeles"
        in err
    )
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "day", "zone"),
    [
        ("--from", "0001-01-01", "Asia/Tokyo"),
        # Midnight at +09:00 on the first day is 15:00 the day before in UTC.
        ("--to", "0001-01-01", "Asia/Tokyo"),
    ],
)
def test_a_date_whose_midnight_is_outside_the_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, day: str, zone: str
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    period = {"--from": "0001-01-01T00:00:00Z", "--to": "2026-06-02", option: day}
    with pytest.raises(SystemExit) as exited:
        cli.main(
            [
                "uptime",
                log,
                "--from",
                period["--from"],
                "--to",
                period["--to"],
                "--tz",
                zone,
            ]
        )
    assert exited.value.code == 2
    assert (
        f"{option}: midnight of {day} in {zone} is outside the years 1 to 9999 in UTC"
        in capsys.readouterr().err
    )


# --- the heartbeat rule and the end of the data ---------------------------------------


def test_a_silent_station_is_offline_after_the_tolerance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Heard at 00:00, 03:00 and 24:00: with heartbeats every 10 minutes and a
    # tolerance of 3, offline from 00:30 to 03:00 and from 03:30 to the end,
    # 150 + 1,230 = 1,380 minutes.
    log = write(
        tmp_path,
        "log.jsonl",
        [*opening(at(0)), event(at(3), "heard"), event(at(24), "heard")],
    )
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--heartbeat-interval", "600", "--tolerance", "3", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    (port,) = as_json(out)
    assert port["outage_minutes"] == 1380
    assert [(o["start"], o["end"], o["reason"]) for o in port["outages"]] == [
        ("2026-06-01T00:30:00Z", "2026-06-01T03:00:00Z", "offline"),
        ("2026-06-01T03:30:00Z", "2026-06-02T00:00:00Z", "offline"),
    ]
    # Without the rule, silence is not an outage.
    _, out, _ = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02", "--json"
    )
    assert as_json(out)[0]["outage_minutes"] == 0


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (
            ("--heartbeat-interval", "0"),
            "argument --heartbeat-interval: '0' is not a number of seconds > 0",
        ),
        (("--tolerance", "0.5"), "argument --tolerance: '0.5' is not a number >= 1"),
        (
            ("--heartbeat-interval", "1e9", "--tolerance", "1e9"),
            "--heartbeat-interval times --tolerance is too long a time",
        ),
    ],
)
def test_bad_heartbeat_options_are_usage_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: tuple[str, ...],
    said: str,
) -> None:
    log = write(tmp_path, "log.jsonl", opening(at(0)))
    with pytest.raises(SystemExit) as exited:
        cli.main(
            ["uptime", log, "--from", "2026-06-01", "--to", "2026-06-02", *options]
        )
    assert exited.value.code == 2
    assert said in capsys.readouterr().err


def test_time_after_the_data_is_no_data_and_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", [*opening(at(0)), event(at(12), "heard")])
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02", "--json"
    )
    assert code == 0
    assert err == (
        f"evstatus: warning: {log}: the log's data ends at 2026-06-01T12:00:00Z, "
        "before the period ends: the time after it is not counted (no data)\n"
    )
    (port,) = as_json(out)
    assert (port["end"], port["period_minutes"]) == ("2026-06-01T12:00:00Z", 720)


# --- --evchart -----------------------------------------------------------------------


def test_the_evchart_files_pass_evcharts_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, ports = inventory_case(tmp_path)
    folder = tmp_path / "made" / "evchart"
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--ports", ports, "--evchart", str(folder), "--json",
    )  # fmt: skip
    assert code == 0
    assert len(as_json(out)) == 3
    assert err.splitlines() == [
        (
            f"evstatus: warning: {ports}: station 'CP-7' port 1 is in the log but not "
            "in the port inventory; reported under its OCPP ids"
        ),
        # Said of June, the month Module 3 reports.
        (
            f"evstatus: warning: {log}: the log's data ends at 2026-06-02T00:00:00Z, "
            "before the period ends: the time after it is not counted (no data)"
        ),
        (
            f"evstatus: warning: {ports}: station 'CP-7' port 1 has no "
            "network_provider, which EV-ChART needs; give it in the port inventory"
        ),
    ]
    module3 = (folder / "module3.csv").read_text(encoding="utf-8")
    module4 = (folder / "module4.csv").read_text(encoding="utf-8")
    # CP-7 is refused for want of a provider, and only it.
    assert violations(3, module3) == [
        "row 4, network_provider = '': empty, but required"
    ]
    assert violations(4, module4) == []
    assert module3.splitlines() == [
        (
            "station_id,port_id,network_provider,uptime_reporting_start,"
            "uptime_reporting_end,uptime,total_outage,total_outage_excl"
        ),
        # The ports are younger than a year: no uptime, their outage minutes.
        "S-0001,S-0001-A,ExampleNet,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,,36.00,0.00",
        "S-0001,S-0001-B,ExampleNet,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,,0.00,0.00",
        "CP-7,1,,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,,0.00,0.00",
    ]
    assert module4.splitlines() == [
        (
            "station_id,port_id,network_provider,outage_id,outage_duration,"
            "excluded_outage,excluded_outage_reason,excluded_outage_notes"
        ),
        "S-0001,S-0001-A,ExampleNet,2026-06-01T06:00:00Z,36.00,FALSE,,",
    ]


def test_the_evchart_files_never_replace_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "module3.csv", [*opening(at(0)), event(at(24), "heard")])
    code, _, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--evchart", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert err == (
        f"evstatus: will not write {log}: it is the input {log}; choose another file\n"
    )


def test_an_evchart_directory_that_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", [*opening(at(0)), event(at(24), "heard")])
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, out, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--evchart", str(blocker / "evchart"),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.endswith(
        f"evstatus: cannot make {blocker / 'evchart'}: Not a directory\n"
    )


def test_an_evchart_file_that_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", [*opening(at(0)), event(at(24), "heard")])
    folder = tmp_path / "out"
    (folder / "module4.csv").mkdir(parents=True)
    code, _, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02",
        "--evchart", str(folder),
    )  # fmt: skip
    assert code == 2
    assert err.endswith(
        f"evstatus: cannot write {folder / 'module4.csv'}: Is a directory\n"
    )


def test_evchart_months_before_the_year_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(tmp_path, "log.jsonl", opening("0001-03-01T00:00:00Z"))
    code, _, err = run(
        capsys, "uptime", log, "--from", "0001-03-01", "--to", "0001-04-01",
        "--evchart", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 2
    assert err.endswith(
        "evstatus: cannot write the EV-ChART files: the twelve months before the "
        "period's months, or those months, are outside the years 1 to 9999\n"
    )


# --- the streamed tables -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "every", "station"),
    [
        ("2026-06-01", "15m", "CP-1"),
        ("2026-06-01T00:00:00.250Z", "1h", "CP-1"),
        ("2026-06-01T00:00:00.000001Z", "7m", "充電-1"),
        ("2026-06-01", "1d", "CP-1"),
    ],
)
def test_the_streamed_interval_table_is_the_table_built_whole(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    start: str,
    every: str,
    station: str,
) -> None:
    lines = [
        *opening(at(0), ports=2, station=station),
        status(at(1.25), 2, "Faulted", station),
        status(at(30), 2, "Available", station),
        *opening(at(5), ports=12, station="CP-LONGER-NAME"),
    ]
    log = write(tmp_path, "log.jsonl", lines)
    code, out, _ = run(
        capsys,
        "uptime",
        log,
        "--from",
        start,
        "--to",
        "2026-06-03",
        "--interval",
        every,
    )
    assert code == 0
    # The table as built whole, from the same records.
    timeline = Timeline.from_lines(lines)
    begin = datetime.fromisoformat(start)
    if begin.tzinfo is None:
        begin = begin.replace(tzinfo=UTC)
    result = uptime(timeline, begin, datetime(2026, 6, 3, tzinfo=UTC))
    length = {"15m": 15, "1h": 60, "7m": 7, "1d": 1440}[every]
    records = interval_records(result, timedelta(minutes=length))
    assert out == table(
        [_heads(_RECORD_COLUMNS), *_record_rows(records, result.regime)]
    )


def test_the_per_port_table_and_its_outages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(at(0), ports=2, station="充電-1"),
            status(at(1), 2, "Faulted", "充電-1"),
            status(at(2), 2, "Available", "充電-1"),
            event(at(24), "heard", "充電-1"),
        ],
    )
    _, out, _ = run(capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-06-02")
    assert out.splitlines()[2:] == [
        "STATION  CONNECTOR  PERIOD_MINUTES  OUTAGE_MINUTES  EXCLUDED_MINUTES  UPTIME_PERCENT  OUTAGES",
        "充電-1   1          1440.00         0.00            0.00              100.000         0",
        "充電-1   2          1440.00         60.00           0.00              95.833          1",
        "",
        "Outages:",
        "",
        "STATION  CONNECTOR  START                 END                   MINUTES  STATUS   REASON   EXCLUDED_MINUTES  CAUSE",
        "充電-1   2          2026-06-01T01:00:00Z  2026-06-01T02:00:00Z  60.00    Faulted  faulted  0.00              -",
    ]


def test_a_year_that_a_port_does_not_count_whole_has_no_uptime(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Twelve calendar months take 680.116(b)'s formula; a port first seen in
    # March counts ten of them: its outage minutes, but no uptime.
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening("2025-01-01T00:00:00Z"),
            *opening("2025-03-01T00:00:00Z", station="CP-2"),
            event("2026-01-01T00:00:00Z", "heard"),
            event("2026-01-01T00:00:00Z", "heard", station="CP-2"),
        ],
    )
    year = ("--from", "2025-01-01", "--to", "2026-01-01")
    _, out, _ = run(capsys, "uptime", log, *year, "--json")
    old, young = as_json(out)
    assert (old["uptime_percent"], young["uptime_percent"]) == (100, None)
    assert young["note"] == (
        "no annual uptime: the port does not count all twelve months"
    )
    _, out, _ = run(capsys, "uptime", log, *year, "--csv")
    assert [row["uptime_percent"] for row in csv.DictReader(io.StringIO(out))] == [
        "100.000",
        "not a year",
    ]


# --- the docs' command lines ---------------------------------------------------------

ROOT = Path(__file__).parent.parent
DEMO = ROOT / "src" / "evstatus" / "data" / "demo.jsonl"


def sessions(block: str) -> list[tuple[str, str]]:
    """Split a console block into its commands, each with what it shows."""
    found: list[tuple[str, str]] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        else:
            command, shown = found[-1]
            found[-1] = (command, shown + line)
    return found


def test_the_compliance_pages_command_lines_show_what_they_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (ROOT / "docs" / "compliance.md").read_text(encoding="utf-8")
    (inventory,) = re.findall(r'```text title="ports.csv"\n(.*?)```', page, re.S)
    (tmp_path / "ports.csv").write_text(inventory, encoding="utf-8")
    shutil.copy(DEMO, tmp_path / "demo.jsonl")
    monkeypatch.chdir(tmp_path)
    blocks = [
        block
        for block in re.findall(r"```console\n(.*?)```", page, re.S)
        if "--ports ports.csv" in block
    ]
    assert len(blocks) == 2
    for block in blocks:
        for command, shown in sessions(block):
            argv = shlex.split(command)
            if argv[0] == "cat":
                assert Path(argv[1]).read_text(encoding="utf-8") == shown
                continue
            assert argv[0] == "evstatus"
            target = None
            if ">" in argv:
                target = argv[argv.index(">") + 1]
                argv = argv[: argv.index(">")]
            code = cli.main(argv[1:])
            out, err = capsys.readouterr()
            assert code == 0
            if target is None:
                assert err + out == shown
            else:
                assert err == shown
                Path(target).write_text(out, encoding="utf-8")


def test_the_evchart_files_take_the_exclusions_and_the_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fault from 23:00 on 30 June to 01:00 Pacific daylight time, its first
    # hour (June's part, 06:00Z to 07:00Z) under scheduled maintenance.
    la_june_30 = datetime(2026, 6, 30, 23, tzinfo=LA)
    log = write(
        tmp_path,
        "log.jsonl",
        [
            *opening(stamp(datetime(2026, 5, 1, tzinfo=UTC))),
            status(stamp(la_june_30), 1, "Faulted"),
            status(stamp(la_june_30 + timedelta(hours=2)), 1, "Available"),
            event(stamp(datetime(2026, 8, 1, tzinfo=UTC)), "heard"),
        ],
    )
    excused = tmp_path / "x.jsonl"
    excused.write_text(
        json.dumps(
            {
                "station": "CP-1",
                "start": stamp(la_june_30),
                "end": stamp(la_june_30 + timedelta(hours=1)),
                "cause": "scheduled_maintenance",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    ports = tmp_path / "ports.csv"
    ports.write_text(
        "station,connector,network_provider\nCP-1,1,Net\n", encoding="utf-8"
    )
    folder = tmp_path / "evchart"
    code, _, err = run(
        capsys, "uptime", log, "--from", "2026-06-01", "--to", "2026-07-01",
        "--tz", "America/Los_Angeles", "--exclusions", str(excused),
        "--ports", str(ports), "--evchart", str(folder),
    )  # fmt: skip
    assert (code, err) == (0, "")
    module3 = (folder / "module3.csv").read_text(encoding="utf-8")
    module4 = (folder / "module4.csv").read_text(encoding="utf-8")
    assert (violations(3, module3), violations(4, module4)) == ([], [])
    assert module3.splitlines()[1:] == [
        # In the log from May: no whole year, so no uptime; June's hour.
        "CP-1,1,Net,2026-06-01T07:00:00Z,2026-07-01T07:00:00Z,,60.00,60.00"
    ]
    # The outage as far as June goes: its hour, all of it excused, and still
    # out where the period ends.
    assert module4.splitlines()[1:] == [
        (
            "CP-1,1,Net,2026-07-01T06:00:00Z,60.00,TRUE,3,"
            '"still out at 2026-07-01T07:00:00Z, where the count ends"'
        )
    ]
