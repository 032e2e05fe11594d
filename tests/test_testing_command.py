"""``python -m evstatus.testing generate``: the generator's log, from the command line."""

from __future__ import annotations

import io
import os
import runpy
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from evstatus.testing import generate_log
from evstatus.testing._command import EXIT_CANNOT_WRITE, main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_prints_the_generators_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(
        ["generate", "--seed", "7", "--stations", "5", "--lines", "400"], capsys
    )
    assert (code, err) == (0, "")
    assert out == "".join(
        line + "\n" for line in generate_log(seed=7, stations=5, lines=400)
    )


def test_every_knob_has_its_option(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "generate",
        "--seed=-3",
        "--stations=4",
        "--lines=900",
        "--connectors=3",
        "--start=2027-01-02T03:04:05+01:00",
        "--profile=stress",
        "--sessions-per-day=20.5",
        "--faults-per-day=2",
        "--mean-outage=12.5",
        "--heartbeat-interval=90",
        "--protocol=ocpp2.0.1",
    ]
    code, out, err = _run(argv, capsys)
    assert (code, err) == (0, "")
    expected = generate_log(
        seed=-3,
        stations=4,
        lines=900,
        connectors=3,
        start=datetime(2027, 1, 2, 2, 4, 5, tzinfo=UTC),
        profile="stress",
        sessions_per_day=20.5,
        faults_per_day=2,
        mean_outage=timedelta(minutes=12.5),
        heartbeat_interval=timedelta(seconds=90),
        protocol="ocpp2.0.1",
    )
    assert out.splitlines() == list(expected)


def test_output_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "log.jsonl"
    argv = ["generate", "--seed", "1", "--stations", "2", "--lines", "50"]
    code, out, err = _run([*argv, "-o", str(path)], capsys)
    assert (code, out, err) == (0, "", "")
    assert path.read_text(encoding="utf-8").splitlines() == list(
        generate_log(seed=1, stations=2, lines=50)
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "the following arguments are required: --seed, --stations, --lines"),
        (["--seed", "x"], "argument --seed: 'x' is not an integer"),
        (["--lines", "3"], "--lines: got 3, expected an int >= stations"),
        (
            ["--stations", "0", "--lines", "0"],
            "--stations: got 0, expected an int >= 1",
        ),
        (["--connectors", "0"], "--connectors: got 0, expected an int >= 1"),
        (["--profile", "busy"], "argument --profile: invalid choice: 'busy'"),
        (
            ["--faults-per-day", "-1"],
            "argument --faults-per-day: '-1' is not a number >= 0",
        ),
        (["--sessions-per-day", "nan"], "'nan' is not a number >= 0"),
        (["--sessions-per-day", "many"], "'many' is not a number >= 0"),
        (
            ["--mean-outage", "1e300"],
            (
                "argument --mean-outage: '1e300' is not a duration in minutes "
                "between 1 second and 366 days"
            ),
        ),
        (
            ["--heartbeat-interval", "0.5"],
            "'0.5' is not a duration in seconds between 1 second and 366 days",
        ),
        (
            ["--start", "2026-06-01"],
            "argument --start: '2026-06-01' is not an RFC 3339",
        ),
        (
            ["--start", "9999-12-31T00:00:00Z"],
            "--lines: got 20, expected few enough for the log to end by 9999-12-30",
        ),
        (["--seed", "1", "--verbose"], "unrecognized arguments: --verbose"),
    ],
)
def test_bad_arguments_are_usage_errors_without_a_traceback(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    defaults = {"--seed": "1", "--stations": "5", "--lines": "20"}
    given = (
        []
        if not options
        else [
            item
            for option, value in defaults.items()
            if option not in options
            for item in (option, value)
        ]
    )
    code, _, err = _run(["generate", *given, *options], capsys)
    assert code == 2
    assert err.startswith("usage: python -m evstatus.testing generate ")
    assert message in err
    assert "Traceback" not in err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run([], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("usage: python -m evstatus.testing [-h] COMMAND")
    assert "required: COMMAND" in err


def test_help_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["generate", "--help"], capsys)
    assert code == 0
    assert "python -m evstatus.testing generate --seed 7 --stations 50" in out
    assert "realistic" in out
    assert "stress" in out


def test_a_reader_that_goes_away_ends_the_output_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "w", encoding="utf-8") as pipe:
        monkeypatch.setattr(sys, "stdout", pipe)
        argv = ["generate", "--seed", "1", "--stations", "3", "--lines", "5000"]
        assert main(argv) == 0
        # The pipe now writes to the null device, so the final flush is quiet.
        pipe.write("more")
        pipe.flush()


def test_a_full_disk_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        monkeypatch.setattr(sys, "stdout", full)
        argv = ["generate", "--seed", "1", "--stations", "3", "--lines", "5000"]
        assert main(argv) == EXIT_CANNOT_WRITE
        full.write("more")
        full.flush()
    err = capsys.readouterr().err
    assert err == (
        "python -m evstatus.testing: cannot write standard output: "
        "No space left on device\n"
    )


def test_an_output_that_cannot_be_opened_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate", "--seed", "1", "--stations", "3", "--lines", "30"]
    code, out, err = _run([*argv, "-o", str(tmp_path)], capsys)
    assert (code, out) == (EXIT_CANNOT_WRITE, "")
    assert err.startswith(f"python -m evstatus.testing: cannot write {tmp_path}: ")


def test_python_dash_m_runs_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate", "--seed", "2", "--stations", "1", "--lines", "3"]
    monkeypatch.setattr(sys, "argv", ["python -m evstatus.testing", *argv])
    with pytest.raises(SystemExit) as stop:
        runpy.run_module("evstatus.testing", run_name="__main__")
    assert stop.value.code == 0
    assert capsys.readouterr().out.splitlines() == list(
        generate_log(seed=2, stations=1, lines=3)
    )


class _GoneReader(io.StringIO):
    """A standard output with no file behind it whose reader has gone."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe", text[:0])


def test_a_reader_gone_from_an_output_without_a_file_ends_it_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", _GoneReader())
    assert main(["generate", "--seed", "1", "--stations", "1", "--lines", "2"]) == 0
