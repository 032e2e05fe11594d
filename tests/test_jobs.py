"""``evstatus replay --jobs N``: the same output as one process, from N."""

import io
import json
import multiprocessing
import pickle
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import _cli as cli
from evstatus import _jobs
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
]


def write_log(path: Path, *, stations: int = 40, lines: int = 1500) -> Path:
    generated = list(
        generate_log(seed=3, stations=stations, lines=lines, profile="stress")
    )
    # Spread the awkward lines through the log, and end with a line that is
    # not UTF-8.
    for offset, line in enumerate(AWKWARD):
        generated.insert(37 * offset + 11, line)
    data = "\ufeff" + "".join(line + "\r\n" for line in generated)
    path.write_bytes(data.encode("utf-8") + b"\xff\xfe not utf-8\n")
    return path


def replay(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["replay", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


MODES = [
    [],
    ["--json"],
    ["--timeline"],
    ["--timeline", "--json"],
    ["--strict"],
    ["--timeline", "--strict"],
    ["--heartbeat-interval", "600"],
    ["--heartbeat-interval", "600", "--timeline", "--json"],
    ["--station", "CP-00001", "--json"],
]


@pytest.mark.parametrize("mode", MODES, ids=" ".join)
def test_several_jobs_print_what_one_prints(
    mode: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = str(write_log(tmp_path / "log.jsonl"))
    one = replay([*mode, log], capsys)
    assert one[0] == 1
    assert one[2]  # the bad lines are reported
    assert replay(["--jobs", "2", *mode, log], capsys) == one
    if mode in ([], ["--timeline", "--json"]):
        assert replay(["--jobs", "3", *mode, log], capsys) == one


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


def test_a_large_log_in_parts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # More lines than a worker sends at a time, so that batches interleave.
    log = tmp_path / "log.jsonl"
    log.write_text(
        "".join(
            line + "\n"
            for line in generate_log(seed=5, stations=7, lines=6000, profile="stress")
        ),
        encoding="utf-8",
    )
    one = replay(["--timeline", str(log)], capsys)
    assert one[0] == 0
    assert one[1].count("\n") > 2 * _jobs.BATCH
    assert replay(["--jobs", "2", "--timeline", str(log)], capsys) == one


def test_stdin_is_read_by_one_process(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    data = write_log(tmp_path / "log.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    one = replay(["--json", "-"], capsys)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert replay(["--jobs", "2", "--json", "-"], capsys) == one


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_read_error_in_a_worker(capsys: pytest.CaptureFixture[str]) -> None:
    # Each worker opens the file itself; reading its own memory fails with EIO.
    code, out, err = replay(["--jobs", "2", "/proc/self/mem"], capsys)
    assert (code, out) == (2, "")
    assert err == "evstatus: cannot read /proc/self/mem: Input/output error\n"


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5", "²", ""])
def test_jobs_must_be_a_whole_number_of_at_least_one(
    jobs: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path / "log.jsonl")
    with pytest.raises(SystemExit) as caught:
        cli.main(["replay", "--jobs", jobs, str(log)])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --jobs: {jobs!r} is not a whole number >= 1" in err
    assert "Traceback" not in err


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


@given(line=lines(), jobs=st.integers(min_value=1, max_value=5))
def test_a_good_line_goes_where_its_station_is_folded(line: str, jobs: int) -> None:
    default = _jobs.station_part("default", jobs)
    try:
        named, _, _, _ = read_line(line)
    except InvalidReport:
        return  # a bad line changes nothing, wherever it is reported
    raw = line.encode("utf-8", "surrogatepass")
    expected = _jobs.station_part(named or "default", jobs)
    assert _jobs.part_of(raw, jobs, default) == expected
    known: dict[bytes, int] = {}
    # Once to learn the station's part, once to use what was learnt.
    assert _jobs.route(raw, jobs, default, known) == expected
    assert _jobs.route(raw, jobs, default, known) == expected


def test_lines_that_are_no_json_go_to_the_default_part() -> None:
    assert _jobs.part_of(b"\xff", 4, 3) == 3
    assert _jobs.part_of(b"[2, 3", 4, 3) == 3
    assert _jobs.part_of(b'{"connectorId": 1}', 4, 3) == 3
    assert _jobs.part_of(b'{"station": 1}', 4, 3) == 3


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


def test_a_stopped_fold_ends_at_the_next_batch(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    generated = list(
        generate_log(seed=2, stations=1, lines=3 * _jobs.BATCH, profile="stress")
    )
    log.write_text("".join(line + "\n" for line in generated), encoding="utf-8")
    stopped, whole = Fleet(), Fleet()
    for line in generated[: _jobs.BATCH - 1]:
        feed_line(whole, line)
    sent: list[list[_jobs.Record]] = []
    _jobs.fold_part(
        str(log),
        0,
        1,
        stopped,
        "default",
        timeline=True,
        as_json=True,
        strict=False,
        send=sent.append,
        stop=_Set(),
    )
    assert stopped.states == whole.states
    assert all(number < _jobs.BATCH for batch in sent for number, _, _ in batch)


class _Set:
    def is_set(self) -> bool:
        return True


def test_a_worker_that_ends_without_its_fleet_is_an_error() -> None:
    # A real pipe whose writing end closes after one batch, as when the
    # kernel kills a worker.
    receiving, sending = multiprocessing.Pipe(duplex=False)
    sending.send([(3, False, "a change\n")])
    sending.close()
    parts: list[Fleet | str] = []
    assert list(_jobs.worker_records(receiving, parts)) == [(3, False, "a change\n")]
    assert parts == [_jobs.WORKER_LOST]
    receiving.close()
