"""``evstatus replay --jobs N``: the fold split by station over N processes.

A station's state depends on its own lines only, in their order, so the log
can be folded in parts, one per set of stations. The parent process reads
the log a block at a time, tells each line's part (:func:`block_parts`) and
sends each worker the lines of its own stations. A worker folds them with
the loop every command uses, and sends back, per block, what the one-process
replay would print for those lines (a change of the timeline, a bad line),
tagged with the line's number: the parent merges the workers' records by
that number, so that stdout and stderr are the same as one process's, in the
same order. At the end each worker sends its stations' lines of the final
table (or JSON), ready to print, and the parent merges them in station order:
no fleet or state is pickled.

Telling which station a line is about must be cheap. A block whose every line
opens the way ``json.dumps`` writes an envelope (``{"station": "``), with no
backslash and no second ``"station"`` anywhere, has each station sliced
straight from the bytes; any other block is read line by line by
:func:`route`.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import json
import os
import queue
import signal
import threading
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import compress, count
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import IO, Any, Final, Protocol, cast

from evstatus._errors import shorten
from evstatus.log import Change

from .changes import Line, change_json, change_text, print_stations, station_line
from .exits import EXIT_BAD_LINES, EXIT_OK
from .fleet import FleetSettings, line_taker, new_fleet, views_at
from .loop import fold_lines, frozen_gc, say_bad_lines
from .streams import BOM, InputError

__all__ = ["jobs_option", "replay_in_parts", "usable_cores"]

#: Bytes the parent reads at a time: the lines of one block go out together.
BLOCK: Final = 1 << 20
#: More parts than this cannot be told apart in one byte per line.
MOST_JOBS: Final = 255

# A line that opens with the station's name, an ASCII string without escapes.
_KEY: Final = b'"station"'
# How json.dumps opens an envelope: the most common line of all.
_OPEN: Final = b'{"station": "'
_OPENING: Final = len(_OPEN)
_LINE_OPEN: Final = b"\n" + _OPEN

#: (line number, True for a bad line's problem / False for output, the text)
Record = tuple[int, bool, str]
#: What the parent sends a worker: the first line's number, every line's
#: part, and the worker's own lines joined by newlines; None at the end.
Block = tuple[int, bytes, bytes]

#: What is said when a worker's pipe closes before it finished.
WORKER_LOST: Final = "a worker process ended before it finished (killed?)"


def usable_cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover  (not on Linux)
        return os.cpu_count() or 1


def jobs_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--jobs`` to *parser*."""
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="fold in N processes, each given a share of the stations; at most "
        "the number of cores; the output is the same as with one "
        "(default: %(default)s)",
    )


def _jobs(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not a whole number >= 1")
    jobs, cores = int(text), min(usable_cores(), MOST_JOBS)
    if jobs > cores:
        raise argparse.ArgumentTypeError(
            f"{jobs} is more than the {cores} core{'s' if cores != 1 else ''} "
            "this process may run on"
        )
    return jobs


# --- telling a line's part ---------------------------------------------------------


def station_part(station: str, jobs: int) -> int:
    """Return which of *jobs* parts folds the lines of *station*."""
    return zlib.crc32(station.encode("utf-8", "surrogatepass")) % jobs


def part_of(raw: bytes, jobs: int, default: int) -> int:
    """Return the part of *jobs* that folds the line *raw* (*default*: no station).

    The line is decoded the way the fold decodes it, so that a good line
    always lands with its station's others; one that names no station, or
    is no JSON at all, goes where the default station's lines go (and is
    reported there).
    """
    try:
        value = json.loads(raw.decode("utf-8").rstrip("\r\n"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
        return default
    if isinstance(value, dict):
        station = cast("dict[str, object]", value).get("station")
        if type(station) is str:
            return station_part(station, jobs)
    return default


class _Known(dict[bytes, int]):
    """Each station's part, by its bytes, learnt as they come."""

    def __init__(self, jobs: int) -> None:
        super().__init__()
        self.jobs = jobs

    def __missing__(self, key: bytes) -> int:
        part = self[key] = zlib.crc32(key) % self.jobs
        return part


def route(raw: bytes, jobs: int, default: int, known: dict[bytes, int]) -> int:
    """:func:`part_of`, made quicker for the common envelope.

    A line that opens the way ``json.dumps`` writes an envelope has its
    station sliced out when no other ``"station"`` key can hide in it (no
    backslash, so no key spelt with escapes, and the key's text once); each
    station's part is remembered in *known*.
    """
    end = raw.find(b'"', _OPENING)
    if end > 0 and raw.startswith(_OPEN) and b"\\" not in raw and raw.count(_KEY) == 1:
        key = raw[_OPENING:end]
        part = known.get(key)
        if part is None:
            part = known[key] = zlib.crc32(key) % jobs
        return part
    return part_of(raw, jobs, default)


def block_parts(block: bytes, lines: list[bytes], default: int, known: _Known) -> bytes:
    """Return each line's part, a byte each; *lines* are *block* split at newlines.

    When every line opens as an envelope, the block holds no backslash and
    ``"station"`` once per line, the station of each line is where
    :func:`route` would find it; that is checked once for the whole block.
    """
    if (
        b"\\" not in block
        and block.startswith(_OPEN)
        and block.count(_KEY) == len(lines)
        and block.count(_LINE_OPEN) == len(lines) - 1
    ):
        # The station is what stands between the line's third and fourth
        # quotes, {"station": "...": every line has three. One whose station
        # is not closed is no JSON; any part reports it.
        keys = [line.split(b'"', 4)[3] for line in lines]
        return bytes(map(known.__getitem__, keys))
    jobs = known.jobs
    return bytes(route(line, jobs, default, known) for line in lines)


# --- the parent ----------------------------------------------------------------


def _read_blocks(
    *,
    stream: IO[bytes],
    jobs: int,
    default: int,
    parts: list[_Part],
    stop: threading.Event,
    failure: list[OSError],
) -> None:
    """Read *stream*, sending each part its lines, block by block, then None."""
    known = _Known(jobs)
    selectors = [
        bytes(int(byte == index) for byte in range(256)) for index in range(jobs)
    ]
    number = 1
    carry = b""
    try:
        while not stop.is_set():
            data = stream.read(BLOCK)
            if not data:
                break
            data = carry + data
            end = data.rfind(b"\n")
            if end < 0:
                carry = data
                continue
            carry = data[end + 1 :]
            number = _send_block(
                data[:end],
                number,
                default=default,
                known=known,
                selectors=selectors,
                parts=parts,
            )
        if carry and not stop.is_set():
            # The last line, without a newline.
            _send_block(
                carry,
                number,
                default=default,
                known=known,
                selectors=selectors,
                parts=parts,
            )
    except OSError as error:
        failure.append(error)
    except ValueError:
        pass  # the stream was closed under it: the command ended early
    finally:
        for part in parts:
            part.send(None)


def _send_block(
    block: bytes,
    number: int,
    *,
    default: int,
    known: _Known,
    selectors: list[bytes],
    parts: list[_Part],
) -> int:
    """Send each part its lines of *block*; return the next line's number."""
    if number == 1:
        # A byte order mark is no part of the first line.
        block = block.removeprefix(BOM)
    lines = block.split(b"\n")
    where = block_parts(block, lines, default, known)
    for selector, part in zip(selectors, parts, strict=True):
        own = b"\n".join(compress(lines, where.translate(selector)))
        part.send((number, where, own))
    return number + len(lines)


#: Seconds between two looks at whether the local fold is still running.
_PATIENCE: Final = 0.1


class _Part(Protocol):
    """A part of the fold, as the parent sees it: send it blocks, receive records."""

    def send(self, message: Block | datetime | None) -> None:
        """Send the part a block, the end of the blocks (None), or the clock."""

    def receive(self) -> object:
        """Return the part's next records, its clock, or its final lines."""

    def end(self, *, early: bool) -> None:
        """Wait for the part to end; with *early*, make it end now."""


class _Local:
    """Part 0, folded by a thread of this process: no process to start for it."""

    def __init__(self, settings: FleetSettings, **modes: bool) -> None:
        # Bounded: the reader waits rather than hold the whole log here.
        self._blocks: queue.Queue[object] = queue.Queue(maxsize=2)
        self._results: queue.Queue[object] = queue.Queue()
        self._thread = threading.Thread(
            target=_fold_safely,
            args=(self._blocks.get, self._results.put),
            kwargs={"index": 0, "settings": settings, **modes},
            daemon=True,
        )
        self._thread.start()

    def send(self, message: Block | datetime | None) -> None:
        # Waits while the fold is behind, unless it has ended (it failed).
        while self._thread.is_alive():
            try:
                self._blocks.put(message, timeout=_PATIENCE)
            except queue.Full:
                continue
            return

    def receive(self) -> object:
        return _checked(self._results.get())

    def end(self, *, early: bool) -> None:
        if early:
            # The end of the blocks (the reader may be stuck in a read that
            # never returns, on a terminal), then no clock: the fold ends.
            self.send(None)
            self.send(None)
        self._thread.join()


class _Spawned:
    """A part folded by a process of its own."""

    def __init__(self, index: int, settings: FleetSettings, **modes: bool) -> None:
        # Spawned, not forked: a fork of a process with threads may deadlock.
        context = get_context("spawn")
        blocks_in, self._blocks = context.Pipe(duplex=False)
        self._results, results_out = context.Pipe(duplex=False)
        self._process: BaseProcess = context.Process(
            target=_worker,
            args=(blocks_in, results_out),
            kwargs={"index": index, "settings": settings, **modes},
            daemon=True,
        )
        self._process.start()
        blocks_in.close()
        results_out.close()

    def send(self, message: Block | datetime | None) -> None:
        # A worker that is gone is found out from its results.
        with contextlib.suppress(OSError, ValueError):
            self._blocks.send(message)

    def receive(self) -> object:
        try:
            message: object = self._results.recv()
        except EOFError:
            # Killed, say, by the kernel for want of memory: the fold is
            # incomplete.
            raise InputError(OSError(0, WORKER_LOST)) from None
        return _checked(message)

    def end(self, *, early: bool) -> None:
        if early:
            self._process.terminate()
        self._process.join()
        self._blocks.close()
        self._results.close()


def _checked(message: object) -> object:
    if isinstance(message, _Failure):
        raise InputError(OSError(0, f"a worker process failed: {message.reason}"))
    return message


def replay_in_parts(
    stream: IO[bytes],
    jobs: int,
    settings: FleetSettings,
    *,
    out: IO[str],
    err: IO[str],
    name: str,
    timeline: bool,
    as_json: bool,
    strict: bool,
) -> int:
    """Replay *stream* in *jobs* processes; print what one process prints.

    Returns the exit code; a failure to read raises :class:`InputError`.
    """
    modes = {"timeline": timeline, "as_json": as_json, "strict": strict}
    # The parent folds part 0 itself: one process fewer to start, and its
    # lines are never copied.
    parts: list[_Part] = [_Local(settings, **modes)]
    parts.extend(_Spawned(index, settings, **modes) for index in range(1, jobs))
    stop = threading.Event()
    failure: list[OSError] = []
    reader = threading.Thread(
        target=_read_blocks,
        kwargs={
            "stream": stream,
            "jobs": jobs,
            "default": station_part(settings.default_station, jobs),
            "parts": parts,
            "stop": stop,
            "failure": failure,
        },
        daemon=True,
    )
    reader.start()
    finished = False
    try:
        code = _gather(
            parts,
            stop,
            failure,
            out=out,
            err=err,
            name=name,
            timeline=timeline,
            as_json=as_json,
            strict=strict,
        )
        finished = True
    finally:
        stop.set()
        # After a failure, or Ctrl-C, nothing the parts still hold is wanted.
        for part in parts[1:]:
            part.end(early=not finished)
        if finished:
            # Otherwise it may wait on a read that never returns (stdin on a
            # terminal, at Ctrl-C); it ends with the process.
            reader.join()
        parts[0].end(early=not finished)
    return code


def _gather(
    parts: list[_Part],
    stop: threading.Event,
    failure: list[OSError],
    *,
    out: IO[str],
    err: IO[str],
    name: str,
    timeline: bool,
    as_json: bool,
    strict: bool,
) -> int:
    """Print the workers' records in line order, then their stations.

    After a bad line with --strict, what the workers still send is read and
    dropped: the reader stops at its next block, and each worker ends.
    """
    bad = 0
    while True:
        answers = [part.receive() for part in parts]
        records = [
            cast("list[Record]", answer)
            for answer in answers
            if isinstance(answer, list)
        ]
        if len(records) < len(answers):
            break  # every worker has had every block
        if not (strict and bad):
            merged = heapq.merge(*records)
            bad += _print_records(merged, out, err, name=name, strict=strict)
            if strict and bad:
                stop.set()
    if failure:
        raise InputError(failure[0])
    clocks = [answer for answer in answers if isinstance(answer, datetime)]
    clock = max(clocks, default=None)
    for part in parts:
        part.send(clock)
    say_bad_lines(err, bad, strict=strict)
    finals = [cast("list[tuple[str, Line]]", part.receive()) for part in parts]
    if strict and bad:
        return EXIT_BAD_LINES
    if not timeline:
        print_stations((line for _, line in heapq.merge(*finals)), out, as_json=as_json)
    return EXIT_BAD_LINES if bad else EXIT_OK


def _print_records(
    records: Iterable[Record], out: IO[str], err: IO[str], *, name: str, strict: bool
) -> int:
    """Print *records*, in line order; return how many were bad lines."""
    bad = 0
    for number, is_problem, text in records:
        if not is_problem:
            out.write(text)
            continue
        bad += 1
        err.write(f"{name}:{number}: {text}\n")
        if strict:
            break
    return bad


# --- a worker ----------------------------------------------------------------------


class _Failure:
    """What a worker sends when it failed, instead of a traceback."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _worker(
    blocks: Connection,
    results: Connection,
    *,
    index: int,
    settings: FleetSettings,
    timeline: bool,
    as_json: bool,
    strict: bool,
) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with frozen_gc():
        _fold_safely(
            blocks.recv,
            results.send,
            index=index,
            settings=settings,
            timeline=timeline,
            as_json=as_json,
            strict=strict,
        )
    results.close()


def _fold_safely(
    receive: Callable[[], object],
    send: Callable[[object], None],
    **arguments: Any,  # noqa: ANN401  (those of fold_part)
) -> None:
    """Run :func:`fold_part`; send what went wrong instead of raising it."""
    try:
        fold_part(receive, send, **arguments)
    except EOFError:
        pass  # the parent is gone
    except Exception as error:  # noqa: BLE001  (sent to the parent, not a traceback)
        send(_Failure(f"{type(error).__name__}: {error}"))


def fold_part(
    receive: Callable[[], object],
    send: Callable[[object], None],
    *,
    index: int,
    settings: FleetSettings,
    timeline: bool,
    as_json: bool,
    strict: bool,
) -> None:
    """Fold the lines of part *index* that come in *blocks*; *send* what is printed.

    Per block, a list of records; at the end, the part's clock; then, once
    the parent has sent the whole fleet's clock, the part's stations' lines
    of the final output, in station order.
    """
    fleet = new_fleet(settings)
    selector = bytes(int(byte == index) for byte in range(256))
    records: list[Record] = []
    emit: Callable[[int, Change], None] | None = None
    if timeline:
        render = change_json if as_json else change_text

        def record(number: int, change: Change) -> None:
            records.append((number, False, render(change)))

        emit = record

    take = line_taker(fleet, emit)

    def bad(number: int, problem: str) -> None:
        records.append((number, True, problem))

    stopped = False
    while (block := cast("Block | None", receive())) is not None:
        first, parts, own = block
        if not stopped:
            numbers = compress(count(first), parts.translate(selector))
            lines = _texts(own, parts.count(index))
            found = fold_lines(
                zip(numbers, lines, strict=False), take, bad, strict=strict
            )
            stopped = strict and found > 0
        send(records)
        records = []
    send(fleet.clock)
    clock = cast("datetime | None", receive())
    send(
        []
        if timeline
        else [
            (station, station_line(station, state, view, as_json=as_json))
            for station, state, view in views_at(fleet.states, clock, settings)
        ]
    )


def _texts(own: bytes, lines: int) -> Iterable[str | None]:
    """Return the *lines* lines of *own* as text; None for one not in UTF-8."""
    if not lines:
        return ()
    try:
        text = own.decode("utf-8")
    except UnicodeDecodeError:
        return map(_text, own.split(b"\n"))
    split = text.split("\n")
    return [line.rstrip("\r") for line in split] if "\r" in text else split


def _text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
