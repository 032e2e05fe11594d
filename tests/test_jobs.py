"""``evstatus replay --jobs N``: the same output as one process, from N."""

import argparse
import contextlib
import io
import json
import multiprocessing
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import _cli as cli
from evstatus._cli import jobs
from evstatus._cli.fleet import FleetSettings
from evstatus._cli.streams import InputError
from evstatus.exceptions import InvalidReport
from evstatus.log import Fleet, read_line
from evstatus.testing import generate_log

from .folding import feed_line

FRAME = (
    '[2, "m", "StatusNotification", '
    '{"connectorId": 1, "errorCode": "NoError", "status": "Charging"}]'
)

# Lines whose station is hard to tell from the bytes, and bad lines of every
# kind: each must be folded (or reported) exactly as by one process.
AWKWARD = [
    FRAME,  # no envelope: the default station
    '{"connectorId": 1, "errorCode": "NoError", "status": "Faulted"}',
    '{"received": "2026-06-01T00:00:01Z", "station": "CP-00002", "event": "heard"}',
    '{"station": "CP-0000\\u0031", "event": "disconnected"}',  # an escape
    '{"station": "CP-00001", "station": "CP-00003", "event": "disabled"}',
    '{"st\\u0061tion": "CP-00004", "event": "removed"}',
    '{"station": "Ladesäule-1", "frame": ' + FRAME + "}",
    '{"station": "CP-00005", "payload": {"station": 1}}',  # bad, two keys
    "",
    " \t",
    "not json",
    '{"station": "", "event": "connected"}',
    '{"station": 7, "event": "connected"}',
    '{"station": "CP-00002", "event": "exploded"}',
    "[2, 3]",
    # Repaired with --lenient, bad without.
    (
        '{"station": "CP-00006", "payload": {"connectorId": "1", '
        '"errorCode": "NoError", "status": "charging"}}'
    ),
    (
        '{"station": "CP-00007", "received": "2026-06-01T00:00:09Z", "payload": '
        '{"connectorId": 1, "errorCode": "NoError", "status": "Faulted", '
        '"timestamp": "2026-06-01T00:00:09+03"}}'
    ),
    # A clock running behind, and one running ahead.
    (
        '{"station": "CP-00008", "received": "2026-06-01T10:00:00Z", "payload": '
        '{"connectorId": 1, "errorCode": "NoError", "status": "Faulted", '
        '"timestamp": "2026-06-01T09:58:00Z"}}'
    ),
    (
        '{"station": "CP-00009", "received": "2026-06-01T10:00:00Z", "payload": '
        '{"connectorId": 1, "errorCode": "NoError", "status": "Faulted", '
        '"timestamp": "2026-06-01T10:00:30Z"}}'
    ),
    '{"station": "CP-\\u001b[2J\\u2028", "event": "connected"}',
]


#: A line nested too deep to read.
NESTED = "[" * 1000


@pytest.fixture(autouse=True)
def many_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # The parts are what is tested, not the machine: allow up to 8 of them.
    monkeypatch.setattr(jobs, "usable_cores", lambda: 8)


def write_log(path: Path, *, stations: int = 40, lines: int = 1500) -> Path:
    generated = list(
        generate_log(seed=3, stations=stations, lines=lines, profile="stress")
    )
    # Spread the awkward lines through the log, and end with a line that is
    # not UTF-8.
    for offset, line in enumerate([*AWKWARD, NESTED]):
        generated.insert(37 * offset + 11, line)
    data = "\ufeff" + "".join(line + "\r\n" for line in generated)
    path.write_bytes(data.encode("utf-8") + b"\xff\xfe not utf-8\n")
    return path


def replay(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["replay", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- every mode of the replay, from the parser's own options ----------------------

#: A value to give an option that takes one, by its metavar.
VALUES = {
    "SECONDS": ["60", "600"],
    "FACTOR": ["3"],
    "ID": ["CP-00001"],
    "NAME": ["ocpp2.0.1"],
}
#: What is not a mode: the log, and the number of jobs itself.
NOT_MODES = {"file", "jobs", "help"}


def replay_options() -> list[argparse.Action]:
    """The replay's options, as its parser holds them."""
    top = cli.parser()
    (subcommands,) = (
        cast("dict[str, argparse.ArgumentParser]", action.choices)
        for action in top._actions  # pyright: ignore[reportPrivateUsage]
        if action.nargs == argparse.PARSER
    )
    return [
        action
        for action in subcommands["replay"]._actions  # pyright: ignore[reportPrivateUsage]
        if action.dest not in NOT_MODES
    ]


def modes() -> list[list[str]]:
    """Each option alone, and with --timeline --json: every mode a flag changes."""
    alone: list[list[str]] = [[]]
    for action in replay_options():
        flag = action.option_strings[-1]
        if action.nargs == 0:
            alone.append([flag])
        else:
            # An option the table does not know fails here: add its values.
            alone.extend([flag, value] for value in VALUES[action.metavar])  # type: ignore[index]
    both = [
        ["--timeline", "--json", *mode]
        for mode in alone
        if "--timeline" not in mode and "--json" not in mode
    ]
    return alone + both


def test_the_modes_cover_every_option() -> None:
    flags = {flag for mode in modes() for flag in mode if flag.startswith("--")}
    assert flags == {action.option_strings[-1] for action in replay_options()}
    assert {"--lenient", "--clock-behind-window", "--heartbeat-interval"} <= flags


@pytest.mark.parametrize("mode", modes(), ids=" ".join)
def test_several_jobs_print_what_one_prints(
    mode: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = str(write_log(tmp_path / "log.jsonl"))
    one = replay([*mode, log], capsys)
    assert one[0] == 1
    assert one[2]  # the bad lines are reported
    assert "Traceback" not in one[2]
    assert replay(["--jobs", "2", *mode, log], capsys) == one
    if mode in ([], ["--timeline", "--json"]):
        assert replay(["--jobs", "3", *mode, log], capsys) == one


def test_lenient_repairs_in_every_part(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = str(write_log(tmp_path / "log.jsonl"))
    strict = replay(["--json", log], capsys)
    lenient = replay(["--json", "--lenient", log], capsys)
    # The repairable lines are bad without --lenient, folded with it.
    assert lenient[2].count("\n") < strict[2].count("\n")
    assert '"enum_case": 1' in lenient[1]
    assert replay(["--jobs", "2", "--json", "--lenient", log], capsys) == lenient


def test_a_deeply_nested_line_is_one_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(FRAME + "\n" + "[" * 1000 + "\n" + FRAME + "\n", encoding="utf-8")
    one = replay([str(log)], capsys)
    assert one[0] == 1
    assert one[2].splitlines()[0].startswith(f"{log}:2: ")
    assert replay(["--jobs", "2", str(log)], capsys) == one
    assert jobs.part_of(b"[" * 100_000, 4, 3) == 3


def test_bad_lines_are_reported_with_file_and_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path / "log.jsonl")
    code, _, err = replay(["--jobs", "2", str(log)], capsys)
    assert code == 1
    numbers = [int(line.split(":")[1]) for line in err.splitlines()[:-1]]
    lines = log.read_bytes().split(b"\n")
    assert numbers == sorted(numbers)
    assert lines[numbers[-1] - 1] == b"\xff\xfe not utf-8"
    assert err.splitlines()[-1] == f"evstatus: {len(numbers)} bad lines skipped"
    not_json = lines.index(b"not json\r") + 1
    assert f"{log}:{not_json}: " in err


@pytest.mark.parametrize("block", [1, 64, 4096])
def test_a_large_log_in_parts(
    block: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # The parent reads in blocks: lines longer than a block, and blocks of
    # many lines, both make the same output.
    log = tmp_path / "log.jsonl"
    lines = list(
        generate_log(
            seed=5, stations=7, lines=1500 if block > 1 else 150, profile="stress"
        )
    )
    log.write_text("".join(line + "\n" for line in lines) + lines[0], encoding="utf-8")
    one = replay(["--timeline", str(log)], capsys)
    assert one[0] == 0
    monkeypatch.setattr(jobs, "BLOCK", block)
    assert replay(["--jobs", "2", "--timeline", str(log)], capsys) == one


@pytest.mark.parametrize("mode", [["--strict"], ["--strict", "--timeline"]])
def test_strict_in_many_blocks(
    mode: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # Blocks keep coming after the first bad line: they are read and dropped.
    log = str(write_log(tmp_path / "log.jsonl"))
    one = replay([*mode, log], capsys)
    assert one[0] == 1
    monkeypatch.setattr(jobs, "BLOCK", 512)
    assert replay(["--jobs", "2", *mode, log], capsys) == one


def test_stdin_is_read_in_parts_too(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    data = write_log(tmp_path / "log.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    one = replay(["--json", "-"], capsys)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert replay(["--jobs", "2", "--json", "-"], capsys) == one


def test_an_empty_log_in_parts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"")
    assert replay(["--jobs", "2", str(log)], capsys) == (0, "no stations\n", "")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_read_error_in_parts(capsys: pytest.CaptureFixture[str]) -> None:
    # Reading a process's own memory at offset 0 fails with EIO.
    code, out, err = replay(["--jobs", "2", "/proc/self/mem"], capsys)
    assert (code, out) == (2, "")
    assert err == "evstatus: cannot read /proc/self/mem: Input/output error\n"


@pytest.mark.parametrize("jobs_text", ["0", "-1", "two", "1.5", "²", ""])
def test_jobs_must_be_a_whole_number_of_at_least_one(
    jobs_text: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path / "log.jsonl")
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay", "--jobs", jobs_text, str(log)])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --jobs: {jobs_text!r} is not a whole number >= 1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("cores", "noun"), [(1, "core"), (2, "cores")])
def test_jobs_are_bounded_by_the_cores(
    cores: int,
    noun: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(jobs, "usable_cores", lambda: cores)
    log = write_log(tmp_path / "log.jsonl")
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay", "--jobs", "150", str(log)])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert (
        f"argument --jobs: 150 is more than the {cores} {noun} this process may "
        "run on" in err
    )
    assert cli.main(["replay", "--jobs", str(cores), str(log)]) == 1


def test_the_cores_are_those_this_process_may_run_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()
    assert 1 <= jobs.usable_cores() <= (multiprocessing.cpu_count())


def test_output_that_fails_ends_the_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "log.jsonl")

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            del text
            raise OSError(28, "No space left on device")

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Full())
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["replay", "--jobs", "2", "--timeline", str(log)]) == 3
    assert "No space left on device" in err.getvalue()


# --- telling a line's station from its bytes ------------------------------------

stations = st.text(min_size=1, max_size=8).filter(lambda text: not text.isspace())
keys = st.sampled_from(["station", "received", "event", "payload", "st\\u0061tion"])
values = st.one_of(
    stations,
    st.sampled_from(["connected", "2026-06-01T00:00:00Z", "heard"]),
    st.integers(),
    st.none(),
)


@st.composite
def lines(draw: st.DrawFn) -> str:
    """Envelopes, frames and payloads, with the station anywhere, or twice."""
    kind = draw(st.sampled_from(["envelope", "frame", "payload", "text"]))
    if kind == "frame":
        return FRAME
    if kind == "text":
        return draw(st.text(max_size=30))
    drawn = draw(st.lists(st.tuples(keys, values), max_size=4))
    # A list of its own: the strategy changes no object it did not build.
    if kind == "envelope":
        pairs = [("station", draw(stations)), *drawn, ("event", "connected")]
    else:
        pairs = [
            *drawn,
            ("connectorId", 1),
            ("errorCode", "NoError"),
            ("status", "Faulted"),
        ]
    ascii_only = draw(st.booleans())
    space = draw(st.sampled_from(["", " ", "\t"]))
    # A key with an escape is written as it is, escape and all.
    body = ", ".join(
        f'"{key}":{space}{json.dumps(value, ensure_ascii=ascii_only)}'
        for key, value in pairs
    )
    return f"{space}{{{space}{body}}}"


def expected_part(line: str, jobs_count: int) -> int | None:
    """Where the fold says *line* belongs; None for a bad line (anywhere will do)."""
    try:
        named, _, _, _ = read_line(line)
    except InvalidReport:
        return None
    return jobs.station_part(named or "default", jobs_count)


@given(line=lines(), jobs_count=st.integers(min_value=1, max_value=5))
def test_a_good_line_goes_where_its_station_is_folded(
    line: str, jobs_count: int
) -> None:
    expected = expected_part(line, jobs_count)
    if expected is None:
        return  # a bad line changes nothing, wherever it is reported
    default = jobs.station_part("default", jobs_count)
    raw = line.encode("utf-8", "surrogatepass")
    assert jobs.part_of(raw, jobs_count, default) == expected
    known: dict[bytes, int] = {}
    # Once to learn the station's part, once to use what was learnt.
    assert jobs.route(raw, jobs_count, default, known) == expected
    assert jobs.route(raw, jobs_count, default, known) == expected


@given(
    block=st.lists(lines(), min_size=1, max_size=6),
    jobs_count=st.integers(min_value=1, max_value=5),
)
def test_a_block_of_good_lines_goes_where_its_stations_are_folded(
    block: list[str], jobs_count: int
) -> None:
    # Lines of the block are those of a file: no newline inside one.
    raws = [
        line.encode("utf-8", "surrogatepass")
        for line in block
        if "\n" not in line and "\r" not in line
    ]
    if not raws:
        return
    default = jobs.station_part("default", jobs_count)
    parts = jobs.block_parts(b"\n".join(raws), raws, default, jobs._Known(jobs_count))  # pyright: ignore[reportPrivateUsage]
    for raw, part in zip(raws, parts, strict=True):
        expected = expected_part(raw.decode("utf-8", "surrogatepass"), jobs_count)
        assert expected in (None, part)


def test_a_block_of_envelopes_is_read_at_once() -> None:
    raws = [
        b'{"station": "A", "event": "connected"}',
        b'{"station": "B", "event": "connected"}',
        b'{"station": "A", "event": "heard"}',
        b'{"station": "A',  # no JSON: reported wherever it goes
    ]
    known = jobs._Known(3)  # pyright: ignore[reportPrivateUsage]
    parts = jobs.block_parts(b"\n".join(raws), raws, 0, known)
    assert list(parts) == [jobs.station_part(s, 3) for s in "ABAA"]
    assert known == {b"A": parts[0], b"B": parts[1]}


def test_lines_that_are_no_json_go_to_the_default_part() -> None:
    assert jobs.part_of(b"\xff", 4, 3) == 3
    assert jobs.part_of(b"[2, 3", 4, 3) == 3
    assert jobs.part_of(b'{"connectorId": 1}', 4, 3) == 3
    assert jobs.part_of(b'{"station": 1}', 4, 3) == 3


# --- the workers ---------------------------------------------------------------


def test_a_worker_that_ends_early_is_an_error() -> None:
    # As when the kernel kills a worker for want of memory.
    part = jobs._Spawned(  # pyright: ignore[reportPrivateUsage]
        1, FleetSettings(), timeline=False, as_json=False, strict=False
    )
    part._process.kill()  # pyright: ignore[reportPrivateUsage]
    part._process.join()  # pyright: ignore[reportPrivateUsage]
    part.send(None)  # a worker that is gone is found out from its results
    with pytest.raises(InputError) as caught:
        part.receive()
    assert caught.value.reason == jobs.WORKER_LOST
    part.end(early=False)


def test_a_local_part_that_fails_says_so() -> None:
    part = jobs._Local(FleetSettings(), timeline=False, as_json=False, strict=False)  # pyright: ignore[reportPrivateUsage]
    part.send("not a block")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="a worker process failed: ValueError"):
        part.receive()
    part.send(None)  # the fold has ended: nothing waits for it
    part.end(early=True)


def test_a_local_part_behind_makes_the_reader_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken: list[object] = []
    go = threading.Event()

    def slow(receive: Callable[[], object], send: object, **_: object) -> None:
        del send
        go.wait()
        while (message := receive()) is not None:
            taken.append(message)

    monkeypatch.setattr(jobs, "_fold_safely", slow)
    monkeypatch.setattr(jobs, "_PATIENCE", 0)
    part = jobs._Local(FleetSettings(), timeline=False, as_json=False, strict=False)  # pyright: ignore[reportPrivateUsage]
    thread = part._thread  # pyright: ignore[reportPrivateUsage]
    part.send((1, b"", b""))
    part.send((2, b"", b""))
    # The queue is full and the fold waits: the reader waits too, looking
    # whether the fold still runs; the first look lets it go on.
    alive = thread.is_alive

    def looked() -> bool:
        go.set()
        return alive()

    monkeypatch.setattr(thread, "is_alive", looked)
    part.send((3, b"", b""))
    part.end(early=True)
    assert taken == [(1, b"", b""), (2, b"", b""), (3, b"", b"")]


def test_a_stream_closed_under_the_reader_ends_it_quietly() -> None:
    class Closed(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            del size
            raise ValueError("I/O operation on closed file")

    sent: list[object] = []

    class Recording:
        def send(self, message: object) -> None:
            sent.append(message)

        def receive(self) -> object:
            return None

        def end(self, *, early: bool) -> None:
            del early

    failure: list[OSError] = []
    jobs._read_blocks(  # pyright: ignore[reportPrivateUsage]
        stream=Closed(),
        jobs=1,
        default=0,
        parts=[Recording()],
        stop=threading.Event(),
        failure=failure,
    )
    assert (sent, failure) == ([None], [])


def run_worker(
    monkeypatch: pytest.MonkeyPatch,
    feed: Callable[[Callable[[object], None]], None] | None,
) -> list[object]:
    """Run a worker in this process on what *feed* sends; return what it sent."""

    # The worker ignores Ctrl-C; this process must not.
    def ignore(*_: object) -> None:
        pass

    monkeypatch.setattr(signal, "signal", ignore)
    blocks_in, blocks_out = multiprocessing.Pipe(duplex=False)
    results_in, results_out = multiprocessing.Pipe(duplex=False)
    if feed is not None:
        feed(blocks_out.send)
    blocks_out.close()
    jobs._worker(  # pyright: ignore[reportPrivateUsage]
        blocks_in,
        results_out,
        index=0,
        settings=FleetSettings(),
        timeline=False,
        as_json=False,
        strict=False,
    )
    answers: list[object] = []
    with contextlib.suppress(EOFError):
        while True:
            answers.append(results_in.recv())
    results_in.close()
    blocks_in.close()
    return answers


def test_a_worker_whose_parent_is_gone_just_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run_worker(monkeypatch, None) == []


def test_a_worker_that_fails_says_so_instead_of_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def feed(send: Callable[[object], None]) -> None:
        send("not a block")

    (answer,) = run_worker(monkeypatch, feed)
    with pytest.raises(InputError, match="a worker process failed: ValueError"):
        jobs._checked(answer)  # pyright: ignore[reportPrivateUsage]


# --- Fleet.merge ----------------------------------------------------------------

AT = datetime(2026, 6, 1, tzinfo=UTC)


def test_merged_fleets_hold_every_station_and_the_later_clock() -> None:
    first, second = Fleet(), Fleet()
    feed_line(
        first,
        '{"station": "A", "received": "2026-06-01T00:00:09Z", "event": "connected"}',
    )
    feed_line(
        second,
        '{"station": "B", "received": "2026-06-01T00:00:05Z", "event": "connected"}',
    )
    whole = Fleet()
    for line in (
        '{"station": "A", "received": "2026-06-01T00:00:09Z", "event": "connected"}',
        '{"station": "B", "received": "2026-06-01T00:00:05Z", "event": "connected"}',
    ):
        feed_line(whole, line)
    first.merge(pickle.loads(pickle.dumps(second)))
    assert first.states == whole.states
    assert first.views() == whole.views()
    assert first.clock == AT + timedelta(seconds=9)


def test_a_station_in_both_fleets_is_refused() -> None:
    first, second = Fleet(), Fleet()
    for fleet in (first, second):
        feed_line(fleet, '{"station": "A", "event": "connected"}')
    with pytest.raises(ValueError, match="station 'A' is in both fleets"):
        first.merge(second)


def test_fleets_with_other_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="other: its settings"):
        Fleet().merge(Fleet(heartbeat_interval=timedelta(minutes=5)))
    with pytest.raises(TypeError, match="other: got"):
        Fleet().merge({"A": 1})  # type: ignore[arg-type]


def test_a_clean_log_in_parts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(
        "".join(
            line + "\n"
            for line in generate_log(seed=2, stations=9, lines=900, profile="stress")
        ),
        encoding="utf-8",
    )
    one = replay(["--json", str(log)], capsys)
    assert one[0] == 0
    assert len(one[1].splitlines()) == 9
    assert replay(["--jobs", "4", "--json", str(log)], capsys) == one
