"""Every command writes only to the streams it is given, and never a traceback.

Each command is run with stdout or stderr closed, on a log that cannot be
read to its end, with absurd numbers and dates near the year 9999, and on
station ids that no terminal, CSV or UTF-8 file should take raw.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from evstatus import _cli as cli
from evstatus._cli import jobs, measure

PERIOD = ["--from", "2026-06-01", "--to", "2026-06-02"]
#: A station id with what must never reach an output raw: a lone surrogate,
#: an escape sequence, a line separator, a C1 next-line, a newline.
NASTY = "CP-\ud800\x1b[2J\u2028\x85\n"
#: The same id as the text outputs show it.
SHOWN = "CP-\\ud800\\x1b[2J\\u2028\\x85\\n"
RAW = ("\ud800", "\x1b", "\u2028", "\x85")


def frame(status: str) -> list[object]:
    return [
        2,
        "m",
        "StatusNotification",
        {"connectorId": 1, "errorCode": "NoError", "status": status},
    ]


def nasty_log(tmp_path: Path) -> str:
    """A log of the nasty station, faulted for an hour, with one bad line."""
    lines = [
        json.dumps(
            {
                "station": NASTY,
                "received": f"2026-06-01T{hour}:00:00Z",
                "frame": frame(s),
            }
        )
        for hour, s in (("08", "Faulted"), ("09", "Available"))
    ]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join([*lines, "not json"]) + "\n", encoding="utf-8")
    return str(path)


def commands(log: str, tmp_path: Path) -> dict[str, list[str]]:
    """Every command, and every output of those that read a log, on *log*."""
    html = str(tmp_path / "report.html")
    return {
        "demo": ["demo"],
        "demo --json": ["demo", "--json"],
        "explain": ["explain", "Charging"],
        "tables": ["tables"],
        "replay": ["replay", log],
        "replay --json": ["replay", "--json", log],
        "replay --timeline": ["replay", "--timeline", log],
        "replay --timeline --json": ["replay", "--timeline", "--json", log],
        "replay --jobs 2": ["replay", "--jobs", "2", log],
        "uptime": ["uptime", *PERIOD, log],
        "uptime --csv": ["uptime", "--csv", *PERIOD, log],
        "uptime --json": ["uptime", "--json", *PERIOD, log],
        "uptime --interval": ["uptime", "--interval", "6h", *PERIOD, log],
        "uptime --interval --csv": [
            "uptime",
            "--interval",
            "6h",
            "--csv",
            *PERIOD,
            log,
        ],
        "uptime --interval --json": [
            "uptime",
            "--interval",
            "6h",
            "--json",
            *PERIOD,
            log,
        ],
        "report": ["report", "-o", html, *PERIOD, log],
    }


NAMES = list(commands("LOG", Path()))
READING = [name for name in NAMES if name.split()[0] in {"replay", "uptime", "report"}]


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "usable_cores", lambda: 2)


class Forbidden(io.StringIO):
    """A stream no command may write to: not the one it was given."""

    def write(self, text: str) -> int:
        raise AssertionError(f"written to a stream not given: {text!r}")


@pytest.mark.parametrize("name", NAMES)
def test_a_command_writes_only_to_the_streams_it_is_given(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    argv = commands(nasty_log(tmp_path), tmp_path)[name]
    arguments = cli.parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", Forbidden())
    monkeypatch.setattr(sys, "stderr", Forbidden())
    code = arguments.run(arguments, out, err)
    assert code == (1 if name in READING else 0)
    assert ("report" in name) == (out.getvalue() == "")
    assert ("not json" in err.getvalue() or "JSON" in err.getvalue()) == (
        name in READING
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_closed_stderr(
    name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    argv = commands(nasty_log(tmp_path), tmp_path)[name]
    monkeypatch.setattr(sys, "stderr", None)
    assert cli.main(argv) == (1 if name in READING else 0)
    assert "Traceback" not in capsys.readouterr().out


@pytest.mark.parametrize("name", NAMES)
def test_a_closed_stdout(
    name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    argv = commands(nasty_log(tmp_path), tmp_path)[name]
    monkeypatch.setattr(sys, "stdout", None)
    assert cli.main(argv) == cli.EXIT_CANNOT_WRITE
    assert capsys.readouterr().err == (
        "evstatus: cannot write the output: standard output is closed\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("name", NAMES)
def test_a_full_stdout(
    name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    argv = commands(nasty_log(tmp_path), tmp_path)[name]
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        monkeypatch.setattr(sys, "stdout", full)
        code = cli.main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if name.startswith("report"):
        assert code == 1  # the report goes to its file, not stdout
    else:
        assert code == cli.EXIT_CANNOT_WRITE
        assert err.endswith(
            "evstatus: cannot write the output: No space left on device\n"
        )


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("name", READING)
def test_a_read_error(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Reading a process's own memory at offset 0 fails with EIO.
    argv = commands("/proc/self/mem", tmp_path)[name]
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "evstatus: cannot read /proc/self/mem: Input/output error\n"
    assert not (tmp_path / "report.html").exists()


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("name", READING)
def test_a_read_error_mid_file(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A log whose reading fails after its first lines: a pipe from a reader
    # of /proc/self/mem, after a good start, is not portable; a FIFO fed by
    # a child is. Instead, the log is read through a file object that fails.
    log = nasty_log(tmp_path)
    argv = commands("-", tmp_path)[name]
    data = Path(log).read_bytes()

    class Failing(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            if self.tell():
                raise OSError(5, "Input/output error")
            return super().read(size)

        def readline(self, size: int | None = -1) -> bytes:
            if self.tell():
                raise OSError(5, "Input/output error")
            return super().readline(size)

        def __iter__(self) -> Failing:
            return self

        def __next__(self) -> bytes:
            line = self.readline()
            if not line:
                raise StopIteration
            return line

    stdin = io.TextIOWrapper(Failing(data))
    old = sys.stdin
    sys.stdin = stdin
    try:
        code = cli.main(argv)
    finally:
        sys.stdin = old
    assert code == 2
    err = capsys.readouterr().err
    assert err.endswith("evstatus: cannot read <stdin>: Input/output error\n")
    assert not (tmp_path / "report.html").exists()


# --- absurd numbers and dates --------------------------------------------------


@pytest.mark.parametrize("command", ["uptime", "report"])
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--interval", "99999999999999999h"], "'99999999999999999h' is too long"),
        (["--interval", "999999999999h"], "'999999999999h' is too long"),
        (["--to", "9999-12-31T23:59:59-01:00"], "is not a date"),
        (["--from", "0001-01-01T00:00:00+01:00"], "is not a date"),
    ],
)
def test_absurd_arguments_are_usage_errors(
    command: str,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    if command == "report" and argv[0] == "--interval":
        return  # report has no --interval
    out = ["-o", str(tmp_path / "report.html")] if command == "report" else []
    with pytest.raises(SystemExit) as caught:
        cli.main([command, *PERIOD, *argv, *out, nasty_log(tmp_path)])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


FAR = ["--from", "9999-12-01", "--to", "9999-12-31T23:59:59.999999Z"]


@pytest.mark.parametrize("name", [name for name in READING if "replay" not in name])
@pytest.mark.parametrize("regime", ["nevi", "cec", "plain"])
def test_a_period_at_the_end_of_time(
    name: str, regime: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "far.jsonl"
    # The data reaches the end of the period: the last instant there is.
    lines = [
        {"station": "A", "received": "9999-12-02T00:00:00Z", "frame": frame("Faulted")},
        {"station": "A", "received": "9999-12-31T23:59:59.999999Z", "event": "heard"},
    ]
    log.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    argv = commands(str(log), tmp_path)[name]
    start = argv.index(PERIOD[0])
    argv[start : start + len(PERIOD)] = [*FAR, "--regime", regime]
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if "--interval" in argv:
        # The last interval would end past the year 9999.
        assert code == 2
        assert "reaches past the year 9999" in captured.err
    else:
        assert (code, captured.err) == (0, "")
        assert "9999-12-31T23:59:59.999999Z" in (
            captured.out or (tmp_path / "report.html").read_text(encoding="utf-8")
        )


def test_a_measure_past_the_end_of_time_is_an_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # Whatever part of measuring meets the year 10000, the command says so.
    def overflowing(*_: object, **__: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(measure, "uptime", overflowing)
    assert cli.main(["uptime", *PERIOD, nasty_log(tmp_path)]) == 2
    assert capsys.readouterr().err.endswith(measure.OUT_OF_RANGE)


def test_a_last_interval_that_ends_by_the_end_of_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = nasty_log(tmp_path)
    code = cli.main(
        [
            *["uptime", "--interval", "1h", "--from", "9999-12-31", "--to"],
            *["9999-12-31T23:00:00.000001Z", "--csv", log],
        ]
    )
    assert code == 2
    code = cli.main(
        [
            *["uptime", "--interval", "1h", "--from", "9999-12-31", "--to"],
            *["9999-12-31T23:00:00Z", "--csv", log],
        ]
    )
    assert code == 1
    assert capsys.readouterr().out.count("\n") == 1 + 23


# --- text from the log, escaped everywhere ---------------------------------------


@pytest.mark.parametrize("name", READING)
def test_station_ids_are_escaped_in_every_output(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = commands(nasty_log(tmp_path), tmp_path)[name]
    assert cli.main(argv) == 1
    captured = capsys.readouterr()
    if name == "report":
        data = (tmp_path / "report.html").read_bytes()
        shown = data.decode("utf-8")  # it is UTF-8, whole
        assert SHOWN in shown
    elif "--json" in name:
        shown = captured.out
        for line in shown.splitlines():
            assert json.loads(line)["station"] == NASTY
    else:
        shown = captured.out
        assert SHOWN in shown
    assert not any(raw in shown for raw in RAW)
    assert "Traceback" not in captured.err


# --- output files ------------------------------------------------------------------


def test_report_will_not_write_over_its_own_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = nasty_log(tmp_path)
    before = Path(log).read_bytes()
    code = cli.main(["report", "-o", log, *PERIOD, log])
    assert code == 2
    assert capsys.readouterr().err == (
        f"evstatus: will not write {log}: it is the input {log}; choose another file\n"
    )
    assert Path(log).read_bytes() == before
    # Another name for the same file is the same file.
    other = tmp_path / "same.jsonl"
    other.hardlink_to(log)
    assert cli.main(["report", "-o", str(other), *PERIOD, log]) == 2
    assert Path(log).read_bytes() == before


def test_report_will_not_write_over_its_exclusions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = nasty_log(tmp_path)
    exclusions = tmp_path / "exclusions.jsonl"
    exclusions.write_text("\n", encoding="utf-8")
    argv = ["report", "-o", str(exclusions), "--exclusions", str(exclusions), log]
    assert cli.main([*argv, *PERIOD]) == 2
    assert "will not write" in capsys.readouterr().err
    assert exclusions.read_text(encoding="utf-8") == "\n"


def test_a_report_that_cannot_be_written_leaves_the_old_one(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    log = nasty_log(tmp_path)
    html = tmp_path / "report.html"
    html.write_text("the old report", encoding="utf-8")
    html.chmod(0o640)

    def fail(self: Path, target: Path) -> Path:
        del self, target
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "replace", fail)
        assert cli.main(["report", "-o", str(html), *PERIOD, log]) == 2
    # The outage list is written first, so the page never links to a list
    # that is not there; it is what could not be written.
    assert capsys.readouterr().err.endswith(
        f"evstatus: cannot write {tmp_path / 'report-outages.csv'}: "
        "No space left on device\n"
    )
    assert html.read_text(encoding="utf-8") == "the old report"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "log.jsonl",
        "report.html",
    ]
    # Written at last, it replaces the old one whole, and keeps its mode.
    assert cli.main(["report", "-o", str(html), *PERIOD, log]) == 1
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert html.stat().st_mode & 0o777 == 0o640


def test_a_new_report_gets_the_usual_mode(tmp_path: Path) -> None:
    log = nasty_log(tmp_path)
    html = tmp_path / "report.html"
    umask = os.umask(0o027)
    try:
        assert cli.main(["report", "-o", str(html), *PERIOD, log]) == 1
    finally:
        os.umask(umask)
    assert html.stat().st_mode & 0o777 == 0o640
