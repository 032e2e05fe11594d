"""``evstatus replay --jobs N``: the fold split by station over N processes.

A station's state depends on its own lines only, in their order, so the log
can be folded in parts, one per set of stations, and the parts merged
(:meth:`~evstatus.log.Fleet.merge`). Each worker reads the whole file itself
and folds only the lines of its own stations: handing lines over from one
process to another costs about as much as folding them. Telling which station
a line is about must be cheap, so it is read straight from the bytes when the
line starts with a plain ``"station"`` key; any other line is decoded as JSON
to find out, and one that names no station goes where the default station's
lines go, as does a line that is no JSON at all (it is reported there).

What a worker prints (a change of the timeline, a bad line) it sends back
tagged with the line's number; the parent merges the workers' streams by that
number, so that the output, stdout and stderr alike, is the same as one
process's, in the same order.
"""

from __future__ import annotations

import heapq
import json
import re
import signal
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import IO, Final, Protocol, cast

import attrs

# The command's own printers and errors: the parts print what it prints.
from ._cli import (
    _BOM,  # pyright: ignore[reportPrivateUsage]
    _change_json,  # pyright: ignore[reportPrivateUsage]
    _change_text,  # pyright: ignore[reportPrivateUsage]
    _InputError,  # pyright: ignore[reportPrivateUsage]
    _Timeline,  # pyright: ignore[reportPrivateUsage]
)
from .exceptions import InvalidReport
from .log import Fleet, FleetSettings

__all__ = ["replay_in_parts"]

#: Records a worker sends at a time: one per message would cost a pickle each.
BATCH: Final = 512

# A line that opens with the station's name, an ASCII string without escapes.
_NAMED: Final = re.compile(rb'[ \t]*\{[ \t]*"station"[ \t]*:[ \t]*"([^"\\]*)"')
_KEY: Final = b'"station"'
# How json.dumps opens an envelope: the most common line of all.
_OPEN: Final = b'{"station": "'
_OPENING: Final = len(_OPEN)
_NOT_UTF8: Final = "the line is not UTF-8 text"

#: (line number, True for a bad line's problem / False for output, the text)
Record = tuple[int, bool, str]


class _Flag(Protocol):
    def is_set(self) -> bool: ...


def part_of(raw: bytes, jobs: int, default: int) -> int:
    """Which of *jobs* parts folds the line *raw*; *default* is the default station's.

    The quick reading is only trusted when no other ``"station"`` key can hide
    in the line: without a backslash no key can be spelt with escapes, and the
    key's text occurs once. Everything else is decoded the way the fold
    decodes it, so that a good line always lands with its station's others.
    """
    match = _NAMED.match(raw)
    if match is not None and b"\\" not in raw and raw.count(_KEY) == 1:
        return zlib.crc32(match[1]) % jobs
    try:
        value = json.loads(raw.decode("utf-8").rstrip("\r\n"))
    except ValueError:  # not UTF-8 (UnicodeDecodeError) or not JSON
        return default
    if isinstance(value, dict):
        station = cast("dict[str, object]", value).get("station")
        if type(station) is str:
            return zlib.crc32(station.encode("utf-8", "surrogatepass")) % jobs
    return default


def route(raw: bytes, jobs: int, default: int, known: dict[bytes, int]) -> int:
    """:func:`part_of`, made quicker for the common envelope.

    It runs for every line in every worker: a line that opens the way
    ``json.dumps`` writes an envelope has its station sliced out, and each
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


def station_part(station: str, jobs: int) -> int:
    """Which of *jobs* parts folds the lines of *station*."""
    return zlib.crc32(station.encode("utf-8", "surrogatepass")) % jobs


def fold_part(  # noqa: C901, PLR0912  (the hot loop, as in the one-process replay)
    path: str,
    index: int,
    jobs: int,
    fleet: Fleet,
    default_station: str,
    *,
    timeline: bool,
    as_json: bool,
    strict: bool,
    send: Callable[[list[Record]], None],
    stop: _Flag,
) -> None:
    """Fold the lines of part *index* of the log at *path* into *fleet*.

    Records go out through *send*, a batch at a time, in line order. Once
    *stop* is set (every :data:`BATCH` lines it is looked at) the fold ends
    early. A failure to read raises :class:`~evstatus._cli._InputError`.
    """
    default = station_part(default_station, jobs)
    known: dict[bytes, int] = {}
    batch: list[Record] = []
    consume = fleet.consume
    read_changes = _Timeline(fleet)
    try:
        with open(path, "rb") as stream:  # noqa: PTH123  (a plain binary read)
            for number, raw in enumerate(stream, start=1):
                if not number % BATCH and stop.is_set():
                    break
                line_bytes = raw.removeprefix(_BOM) if number == 1 else raw
                if route(line_bytes, jobs, default, known) != index:
                    continue
                try:
                    line = line_bytes.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError:
                    problem = _NOT_UTF8
                else:
                    try:
                        if timeline:
                            change = read_changes(number, line)
                            if change is not None:
                                text = (
                                    _change_json(change)
                                    if as_json
                                    else _change_text(change)
                                )
                                batch.append((number, False, text))
                        else:
                            consume(line)
                    except InvalidReport as error:
                        problem = "; ".join(str(p) for p in error.problems)
                    else:
                        if len(batch) >= BATCH:
                            send(batch)
                            batch = []
                        continue
                batch.append((number, True, problem))
                if strict:
                    break
    except OSError as error:
        raise _InputError(error) from None
    if batch:
        send(batch)


@attrs.frozen(kw_only=True)
class _Task:
    """What every worker is told: the log, the parts, and how to replay."""

    path: str
    jobs: int
    settings: FleetSettings
    default_station: str
    heartbeat_interval: timedelta | None
    tolerance: float
    timeline: bool
    as_json: bool
    strict: bool


def _worker(connection: Connection, task: _Task, index: int, stop: _Flag) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fleet = Fleet.from_settings(task.settings)
    try:
        fold_part(
            task.path,
            index,
            task.jobs,
            fleet,
            task.default_station,
            timeline=task.timeline,
            as_json=task.as_json,
            strict=task.strict,
            send=connection.send,
            stop=stop,
        )
    except _InputError as error:
        connection.send(error.reason)
    else:
        connection.send(fleet)
    connection.close()


def replay_in_parts(
    path: str,
    jobs: int,
    fleet: Fleet,
    *,
    default_station: str,
    heartbeat_interval: timedelta | None,
    tolerance: float,
    out: IO[str],
    err: IO[str],
    name: str,
    timeline: bool,
    as_json: bool,
    strict: bool,
) -> int:
    """Replay the log at *path* in *jobs* processes into *fleet*; return the bad lines.

    Prints what the one-process replay prints, in the same order.
    """
    task = _Task(
        path=path,
        jobs=jobs,
        settings=fleet.settings,
        default_station=default_station,
        heartbeat_interval=heartbeat_interval,
        tolerance=tolerance,
        timeline=timeline,
        as_json=as_json,
        strict=strict,
    )
    # Spawned, not forked: a fork of a process with threads may deadlock.
    context = get_context("spawn")
    stop = context.Event()
    workers: list[BaseProcess] = []
    ends: list[Connection] = []
    for index in range(jobs):
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(
            target=_worker, args=(sending, task, index, stop), daemon=True
        )
        process.start()
        sending.close()
        workers.append(process)
        ends.append(receiving)
    parts: list[Fleet | str] = []
    streams = [worker_records(end, parts) for end in ends]
    try:
        bad = _merge(streams, out, err, name=name, strict=strict)
    finally:
        # Workers still folding are told to stop, and what they still send is
        # read, so that none waits for a reader: each ends of itself.
        stop.set()
        for stream in streams:
            for _ in stream:
                pass
        for worker in workers:
            worker.join()
        for end in ends:
            end.close()
    if strict and bad:
        return bad
    for part in parts:
        if isinstance(part, str):
            raise _InputError(OSError(0, part))
        fleet.merge(part)
    if bad:
        err.write(f"evstatus: {bad} bad line{'s' if bad != 1 else ''} skipped\n")
    return bad


def _merge(
    streams: list[Iterator[Record]],
    out: IO[str],
    err: IO[str],
    *,
    name: str,
    strict: bool,
) -> int:
    """Print the workers' records in line order; return how many were bad."""
    bad = 0
    for number, is_problem, text in heapq.merge(*streams):
        if not is_problem:
            out.write(text)
            continue
        bad += 1
        err.write(f"{name}:{number}: {text}\n")
        if strict:
            err.write("evstatus: stopped at the first bad line (--strict)\n")
            break
    return bad


#: What is said when a worker's pipe closes before its fleet came through.
WORKER_LOST: Final = "a worker process ended before it finished (killed?)"


def worker_records(end: Connection, parts: list[Fleet | str]) -> Iterator[Record]:
    """Yield a worker's records; put its fleet, or what went wrong, in *parts*."""
    while True:
        try:
            message: list[Record] | Fleet | str = end.recv()
        except EOFError:
            # Killed, say, by the kernel for want of memory: the fold is incomplete.
            parts.append(WORKER_LOST)
            return
        if not isinstance(message, list):
            parts.append(message)
            return
        yield from message
