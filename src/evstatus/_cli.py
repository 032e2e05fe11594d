"""The ``evstatus`` command: demo, replay, explain and tables.

Every failure the user can cause (a bad line, a missing file, a wrong
argument, a full disk) ends in a message on stderr and an exit code, never a
traceback:

- 0: all went well; also when the reader of a pipe stops reading early (as
  ``head`` does), which ends the command quietly;
- 1: some lines of the log were bad (skipped, or fatal with ``--strict``);
- 2: the command could not run (a usage error, or input that cannot be read);
- 3: the output could not be written (a full disk, say);
- 130: interrupted (Ctrl-C).

:data:`EXIT_CODES` holds the same list; the help and the docs print it.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import math
import os
import re
import shutil
import stat
import sys
import textwrap
import time
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Final

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from . import __version__
from ._core import StationView
from ._enums import CONNECTOR_ZERO_STATUSES, ChargePointStatus
from ._errors import shorten
from ._log import STATION_EXPECTED, is_station_id
from ._tables import TABLES, markdown_table
from ._timestamps import format_timestamp
from .exceptions import InvalidReport
from .history import (
    DEFAULT_CLOCK_RULES,
    DEFAULT_HEARTBEAT_TOLERANCE,
    ClockRules,
    StationState,
)
from .log import BadLine, Change, Fleet, describe_change, read_log, station_record
from .ocpp16 import ConnectorReport, derive_station

__all__ = ["EXIT_CODES", "exit_codes_table", "main"]

EXIT_OK: Final = 0
EXIT_BAD_LINES: Final = 1
EXIT_CANNOT_RUN: Final = 2
EXIT_CANNOT_WRITE: Final = 3
EXIT_INTERRUPTED: Final = 130

#: Every exit code of the command, with its meaning.
EXIT_CODES: Final[Mapping[int, str]] = MappingProxyType(
    {
        EXIT_OK: "all went well; also when the reader of a pipe stops reading "
        "early (as head does): the command then ends quietly",
        EXIT_BAD_LINES: "some lines of the log were bad: each was reported and "
        "skipped; with --strict the first one stopped the replay and nothing "
        "was printed on stdout",
        EXIT_CANNOT_RUN: "the command could not run: a usage error (a wrong "
        "argument or option), or the input cannot be read",
        EXIT_CANNOT_WRITE: "the output could not be written (a full disk, say)",
        EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
    }
)

#: How often, in lines, the progress display looks at the clock.
PROGRESS_EVERY = 1000
#: Seconds of reading before progress is shown at all: short runs show none.
PROGRESS_DELAY = 0.5
#: Seconds between two updates of the progress display.
PROGRESS_REFRESH = 0.2

_DEMO_LOG: Final = "demo.jsonl"
_BOM: Final = b"\xef\xbb\xbf"
_MIB: Final = 1 << 20


def exit_codes_table() -> str:
    """Return the exit codes as a Markdown table, for the docs."""
    return markdown_table(
        ["Exit code", "Meaning"],
        ([str(code), meaning] for code, meaning in EXIT_CODES.items()),
    )


def _exit_codes_text() -> str:
    lines = ["exit codes:"]
    for code, meaning in EXIT_CODES.items():
        lines.extend(
            textwrap.wrap(
                meaning,
                width=76,
                initial_indent=f"  {code:<5}",
                subsequent_indent=" " * 7,
            )
        )
    return "\n".join(lines)


class _InputError(Exception):
    """The input failed; anything else an OSError can come from is the output."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.reason = error.strerror or str(error)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    out, err = sys.stdout, sys.stderr
    if err is None:
        # Started with stderr closed: messages go nowhere, exit codes still tell.
        err = io.StringIO()
    for stream in (out, err):
        # Station ids come from the log; an ASCII-only terminal must not make
        # printing one fail.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if out is None:
        err.write("evstatus: cannot write the output: standard output is closed\n")
        return EXIT_CANNOT_WRITE
    try:
        try:
            arguments = _parser().parse_args(argv)
            command: Callable[[argparse.Namespace, IO[str], IO[str]], int] = (
                arguments.run
            )
            return command(arguments, out, err)
        finally:
            # Output is buffered: a full disk may only show now.
            out.flush()
            err.flush()
    except BrokenPipeError:
        # The reader (say, ``head``) went away: it has all it wanted.
        _detach(out)
        return EXIT_OK
    except OSError as error:
        _detach(out)
        _say(err, f"evstatus: cannot write the output: {error.strerror or error}\n")
        return EXIT_CANNOT_WRITE
    except KeyboardInterrupt:
        _say(err, "evstatus: interrupted\n")
        return EXIT_INTERRUPTED


def _detach(out: IO[str]) -> None:
    # Pointing the failed stream at the null device keeps the interpreter's
    # final flush of what is still buffered from failing the same way.
    try:
        descriptor = out.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def _say(err: IO[str], text: str) -> None:
    # A last word; if stderr fails too, the exit code still tells.
    try:
        err.write(text)
        err.flush()
    except OSError:
        pass


_LOG_FORMAT: Final = """\
the log: JSON Lines, UTF-8, one message or event per line, in the order the
platform received them. A line is one of
  an OCPP-J frame         [2, "id", "StatusNotification", {...}], any other
                          OCPP 1.6 CALL, [3, "id", {...}] or [4, ...]
  a bare payload          {"connectorId": 1, "errorCode": "NoError",
                           "status": "Charging"}
  an envelope             {"station": "CP-1", "received": "2026-06-01T08:00:00Z",
                           "frame": [...]}  (or "payload": {...}, or "event":
                           one of connected, disconnected, heard, enabled,
                           disabled, removed); station and received are
                           optional, no other key is allowed
Lines of spaces and tabs only are skipped; every other bad line is reported as
FILE:LINE: what is wrong, and skipped. "evstatus demo --log" prints a sample."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a failure to print help or a usage error is not hidden.

    argparse drops an OSError met while printing; then ``--help > /dev/full``
    would succeed. Here it reaches :func:`main`, which reports it.
    """

    def _print_message(
        self, message: str, file: SupportsWrite[str] | None = None
    ) -> None:
        stream = file or sys.stderr
        if message and stream is not None:
            stream.write(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evstatus",
        description="Turn OCPP 1.6 StatusNotification logs into station statuses.",
        epilog="'evstatus replay --help' describes the log format;\n'evstatus demo "
        "--log' prints a sample log.\n\n" + _exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="replay a sample day of a two-connector station",
        description="Replay the sample log shipped with evstatus: one day of "
        "station CP-DEMO-1 (two connectors): two charging sessions, a ground "
        "fault, a disconnection with a late report, and a time switched off.",
        epilog="The sample log is a replay log like any other: save it with "
        "'evstatus demo --log > demo.jsonl', then try 'evstatus replay "
        "demo.jsonl'.",
    )
    shown = demo.add_mutually_exclusive_group()
    shown.add_argument(
        "--json", action="store_true", help="print JSON Lines instead of text"
    )
    shown.add_argument(
        "--log", action="store_true", help="print the sample log itself, unreplayed"
    )
    demo.set_defaults(run=_run_demo)

    replay = commands.add_parser(
        "replay",
        help="replay a JSON Lines log and print each station's status",
        description="Read a JSON Lines log and print the final status of every\n"
        "station in it, or every change.",
        epilog=f"{_LOG_FORMAT}\n\n{_exit_codes_text()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    replay.add_argument("file", metavar="FILE", help="the log; - reads stdin")
    replay.add_argument(
        "--timeline", action="store_true", help="print every change, as it happens"
    )
    replay.add_argument(
        "--json", action="store_true", help="print JSON Lines instead of text"
    )
    replay.add_argument(
        "--strict", action="store_true", help="stop at the first bad line"
    )
    replay.add_argument(
        "--station",
        default="default",
        type=_station,
        metavar="ID",
        help="the station of lines that name none (default: %(default)s)",
    )
    replay.add_argument(
        "--heartbeat-interval",
        type=_positive_seconds,
        metavar="SECONDS",
        help="also count a station offline once silent for FACTOR times this "
        "long (see --tolerance), judged by the receive times in the log",
    )
    replay.add_argument(
        "--tolerance",
        type=_tolerance,
        default=DEFAULT_HEARTBEAT_TOLERANCE,
        metavar="FACTOR",
        help="heartbeat intervals of silence allowed (default: %(default)s)",
    )
    replay.add_argument(
        "--lenient",
        action="store_true",
        help="repair what real chargers get wrong in payloads (offsets like +03, "
        "ids as strings, case, vendor error codes, over-long text, extra keys, "
        "nulls) instead of rejecting the line; every repair is reported "
        "(evstatus tables lists them)",
    )
    replay.add_argument(
        "--clock-ahead-tolerance",
        type=_seconds_or_zero,
        default=DEFAULT_CLOCK_RULES.ahead_tolerance,
        metavar="SECONDS",
        help="a report stamped this much later than its receive time shows a "
        "clock running ahead (default: "
        f"{DEFAULT_CLOCK_RULES.ahead_tolerance.total_seconds():g}); it is ordered "
        "by its receive time all the same",
    )
    replay.add_argument(
        "--clock-behind-window",
        type=_seconds_or_zero,
        default=DEFAULT_CLOCK_RULES.behind_window,
        metavar="SECONDS",
        help="a report stamped more than this before its receive time shows a "
        "clock running behind, and is ordered by its receive time (default: "
        f"{DEFAULT_CLOCK_RULES.behind_window.total_seconds():g}, a week)",
    )
    replay.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="fold in N processes, each given a share of the stations; the "
        "output is the same as with one (default: %(default)s)",
    )
    replay.set_defaults(run=_run_replay, parser=replay)

    explain = commands.add_parser(
        "explain",
        help="derive a station's status from connector states given here",
        description="Derive a station's status from connector states. Each STATE "
        "is an OCPP 1.6 status for the next connector (1, 2, ...) or ID=STATUS; "
        "0=STATUS sets the main controller, which may only be "
        + _connector_zero_choices()
        + ".",
        epilog="example: evstatus explain 0=Available Charging 3=Faulted --disabled",
    )
    explain.add_argument("states", nargs="*", metavar="STATE", type=_connector_state)
    explain.add_argument("--offline", action="store_true", help="not connected")
    explain.add_argument(
        "--disabled", action="store_true", help="not enabled on the platform"
    )
    explain.add_argument(
        "--removed", action="store_true", help="removed from the platform"
    )
    explain.set_defaults(run=_run_explain, parser=explain)

    tables = commands.add_parser(
        "tables",
        help="print the decision and transition tables",
        description="Print every table evstatus decides by, as aligned text fitted "
        "to the terminal, or as Markdown.",
    )
    tables.add_argument(
        "--markdown", action="store_true", help="print Markdown tables instead"
    )
    tables.set_defaults(run=_run_tables)

    # uptime and report live in _cli_uptime, which imports this module.
    from ._cli_uptime import add_commands  # noqa: PLC0415

    add_commands(commands)
    return parser


# --- argument types -----------------------------------------------------------


_STATUS_BY_NAME: Final = {
    member.value.casefold(): member for member in ChargePointStatus
}


def _connector_zero_choices() -> str:
    return ", ".join(s.value for s in ChargePointStatus if s in CONNECTOR_ZERO_STATUSES)


def _connector_state(text: str) -> tuple[int | None, ChargePointStatus]:
    connector_text, equals, status_text = text.rpartition("=")
    connector_id: int | None = None
    if equals:
        if not connector_text.isascii() or not connector_text.isdigit():
            raise argparse.ArgumentTypeError(
                f"{shorten(text)}: the connector id before '=' must be a number >= 0"
            )
        if len(connector_text) > 9:
            raise argparse.ArgumentTypeError(
                f"{shorten(text)}: the connector id before '=' is too large"
            )
        connector_id = int(connector_text)
    status = _STATUS_BY_NAME.get(status_text.casefold())
    if status is None:
        choices = ", ".join(member.value for member in ChargePointStatus)
        raise argparse.ArgumentTypeError(
            f"{shorten(status_text)} is not an OCPP 1.6 status; choose from {choices}"
        )
    if connector_id == 0 and status not in CONNECTOR_ZERO_STATUSES:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)}: connector 0 (the main controller) may only be "
            f"{_connector_zero_choices()}"
        )
    return connector_id, status


def _station(text: str) -> str:
    if not is_station_id(text):
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not {STATION_EXPECTED}")
    return text


def _positive_seconds(text: str) -> timedelta:
    seconds = _number(text)
    if seconds is None or seconds <= 0:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not a number of seconds > 0"
        )
    try:
        interval = timedelta(seconds=seconds)
    except OverflowError:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} seconds is too long"
        ) from None
    if not interval:
        # timedelta keeps microseconds: anything shorter rounds to nothing.
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} seconds is shorter than a microsecond"
        )
    return interval


def _seconds_or_zero(text: str) -> timedelta:
    seconds = _number(text)
    if seconds is None or seconds < 0:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not a number of seconds >= 0"
        )
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} seconds is too long"
        ) from None


def _tolerance(text: str) -> float:
    factor = _number(text)
    if factor is None or factor < 1:
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not a number >= 1")
    return factor


def _jobs(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not a whole number >= 1")
    return int(text)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# --- demo and replay ----------------------------------------------------------


def _run_demo(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    sample = files("evstatus").joinpath("data", _DEMO_LOG)
    if arguments.log:
        out.write(sample.read_text(encoding="utf-8"))
        return EXIT_OK
    if not arguments.json:
        out.write(
            "A day of station CP-DEMO-1 (two connectors), replayed from the "
            "sample log shipped with evstatus ('evstatus demo --log' prints it).\n\n"
        )
    replay = Fleet()
    with sample.open("rb") as stream:
        # The sample is ours and the tests check it has no bad line.
        _replay_lines(
            replay,
            _numbered_lines(stream),
            _Progress(err, None),
            out=out,
            err=err,
            name=_DEMO_LOG,
            timeline=True,
            as_json=arguments.json,
            strict=False,
        )
    if not arguments.json:
        out.write("\nAt the end of the day:\n")
    _print_views(replay, out, as_json=arguments.json)
    return EXIT_OK


@contextlib.contextmanager
def _frozen_gc() -> Generator[None, None, None]:
    """Keep the objects the replay has made so far out of the GC's full walks.

    The fleet's states are long-lived and hold no reference cycles, yet each
    full collection of the cyclic GC walks all of them: at 100,000 stations
    that took more time than the fold. :func:`_replay_lines` freezes what has
    lived a while every few thousand lines; frozen objects are still freed
    as usual when a newer state replaces them, and young cycles are
    collected as before. Undone once the table is printed.

    Only where nothing was frozen before and the GC runs: a program that calls
    the command in process and freezes objects of its own keeps them frozen.
    """
    global _freezing  # noqa: PLW0603  (the hot loop reads a global, not an argument)
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    _freezing = True
    gc.freeze()
    try:
        yield
    finally:
        _freezing = False
        gc.unfreeze()


#: Whether the replay now running manages the GC's freezing (see _frozen_gc).
_freezing = False


@contextlib.contextmanager
def _collections_paused() -> Generator[None, None, None]:
    """Hold the cyclic GC off while the final table is built, if it is ours.

    The table makes a state and a view per station, all kept until printed:
    at 100,000 stations the full collections that this sets off took a third
    of the printing's time, and found nothing to free. Only while the replay
    manages the GC (see :func:`_frozen_gc`); re-enabled after, so that any
    cycle made meanwhile is still collected.
    """
    if not _freezing:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _run_replay(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    with _frozen_gc():
        return _replay(arguments, out, err)


def _replay(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    interval: timedelta | None = arguments.heartbeat_interval
    if interval is not None:
        try:
            _ = interval * arguments.tolerance
        except OverflowError:
            arguments.parser.error(
                "--heartbeat-interval times --tolerance is too long a time"
            )
    replay = Fleet(
        default_station=arguments.station,
        heartbeat_interval=interval,
        tolerance=arguments.tolerance,
        clock=ClockRules(
            ahead_tolerance=arguments.clock_ahead_tolerance,
            behind_window=arguments.clock_behind_window,
        ),
        lenient=arguments.lenient,
    )
    name: str = arguments.file
    shown = "<stdin>" if name == "-" else _printable(name)
    try:
        stream = _open_input(name)
        with stream:
            if _in_parts(arguments, stream):
                from ._jobs import replay_in_parts  # noqa: PLC0415  (only then)

                bad = replay_in_parts(
                    name,
                    arguments.jobs,
                    replay,
                    default_station=arguments.station,
                    heartbeat_interval=interval,
                    tolerance=arguments.tolerance,
                    out=out,
                    err=err,
                    name=shown,
                    timeline=arguments.timeline,
                    as_json=arguments.json,
                    strict=arguments.strict,
                )
            else:
                bad = _replay_lines(
                    replay,
                    _numbered_lines(stream),
                    _Progress(err, stream),
                    out=out,
                    err=err,
                    name=shown,
                    timeline=arguments.timeline,
                    as_json=arguments.json,
                    strict=arguments.strict,
                )
    except _InputError as error:
        err.write(f"evstatus: cannot read {shown}: {error.reason}\n")
        return EXIT_CANNOT_RUN
    if arguments.strict and bad:
        return EXIT_BAD_LINES
    if not arguments.timeline:
        with _collections_paused():
            _print_views(replay, out, as_json=arguments.json)
    return EXIT_BAD_LINES if bad else EXIT_OK


def _in_parts(arguments: argparse.Namespace, stream: IO[bytes]) -> bool:
    """Whether to replay with several processes, each reading the file itself.

    Only a regular file can be read by each; a pipe or stdin is read by one.
    A timeline judged by heartbeats needs every station's clock at every line,
    so it is folded in one process too.
    """
    if arguments.jobs == 1 or (
        arguments.timeline and arguments.heartbeat_interval is not None
    ):
        return False
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def _open_input(name: str) -> IO[bytes]:
    if name != "-":
        try:
            return Path(name).open("rb")
        except OSError as error:
            raise _InputError(error) from None
    if sys.stdin is None:
        raise _InputError(OSError(0, "standard input is closed"))
    return sys.stdin.buffer


def _numbered_lines(stream: IO[bytes]) -> Iterator[tuple[int, str | None]]:
    """Yield each line with its number; None stands for a line not in UTF-8.

    A failure to read raises :class:`_InputError`. Exceptions of the consumer
    never pass through here, so an OSError caught here is the input's.
    """
    try:
        first = stream.readline()
        if not first:
            return
        # A byte order mark is no part of the first line.
        yield 1, _text(first.removeprefix(_BOM))
        for number, raw in enumerate(stream, start=2):
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                yield number, None
    except OSError as error:
        raise _InputError(error) from None


def _text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None


class _Progress:
    """How far the reading got, on stderr when it is a terminal, for long inputs.

    It shows the lines read, the rate and, for a regular file, how much of it.
    Whatever else is written must call :meth:`clear` first.
    """

    def __init__(self, err: IO[str], stream: IO[bytes] | None) -> None:
        self._err = err
        self._width = 0
        self._size = 0
        self._tell: Callable[[], int] | None = None
        self.enabled = err.isatty()
        if self.enabled and stream is not None:
            self._measure(stream)
        self._started = self._drawn = time.monotonic()

    def _measure(self, stream: IO[bytes]) -> None:
        try:
            info = os.fstat(stream.fileno())
        except OSError:
            return  # a stream without a file: no size to compare with
        # A pipe or a terminal has no size either.
        if stat.S_ISREG(info.st_mode) and info.st_size:
            self._size, self._tell = info.st_size, stream.tell

    @property
    def next(self) -> int:
        """The line number at which :meth:`tick` wants to be called; -1 for never."""
        return PROGRESS_EVERY if self.enabled else -1

    def tick(self, number: int) -> int:
        """Show the progress if it is time to; return the next line to tick at."""
        now = time.monotonic()
        if now - self._started >= PROGRESS_DELAY and now - self._drawn >= (
            PROGRESS_REFRESH
        ):
            self._drawn = now
            rate = number / max(now - self._started, 1e-9)
            text = f"{number:,} lines read, {rate:,.0f} lines/s"
            if self._tell is not None:
                done = self._tell()
                text += f", {done / self._size:.0%} of {self._size / _MIB:,.1f} MiB"
            # Padding wipes a longer previous text; nothing else is erased.
            self._err.write(f"\r{text.ljust(self._width)}")
            self._err.flush()
            self._width = len(text)
        return number + PROGRESS_EVERY

    def clear(self) -> None:
        """Wipe the progress line, so that other output starts on a clean line."""
        if self._width:
            self._err.write(f"\r{' ' * self._width}\r")
            self._err.flush()
            self._width = 0


class _Timeline:
    """The replay's timeline: a line fed to the fleet, and what it changed."""

    def __init__(self, fleet: Fleet) -> None:
        self._fleet = fleet
        self._default = fleet.settings.default_station
        # With a heartbeat, a view depends on the clock too: each line is
        # compared with the station's view as last shown.
        self._shown: dict[str, StationView[int]] | None = (
            None if fleet.settings.heartbeat_interval is None else {}
        )

    def __call__(self, number: int, line: str) -> Change | None:
        """Take line *number*; raise InvalidReport if it is bad."""
        fleet = self._fleet
        for item in read_log((line,), start=number, default_station=self._default):
            if isinstance(item, BadLine):
                raise item.error
            station = item.station
            shown = self._shown
            before = None
            if shown is not None:
                before = shown.get(station) or fleet.view(station)
            step = fleet.feed(station, item.item, at=item.received)
            view = fleet.view(station)
            if shown is not None:
                shown[station] = view
            return describe_change(item, step, view=view, before=before)
        return None


#: How many lines the replay reads between two freezes of the GC's objects.
_FREEZE_EVERY: Final = 1 << 12


def _replay_lines(  # noqa: C901, PLR0912  (the hot loop: a helper per line costs a call)
    replay: Fleet,
    lines: Iterable[tuple[int, str | None]],
    progress: _Progress,
    *,
    out: IO[str],
    err: IO[str],
    name: str,
    timeline: bool,
    as_json: bool,
    strict: bool,
) -> int:
    """Feed *lines* to *replay*; return how many were bad."""
    bad = 0
    consume = replay.consume
    read_changes = _Timeline(replay)
    tick = progress.next
    try:
        for number, line in lines:
            if not number % _FREEZE_EVERY and _freezing:
                # See _frozen_gc.
                gc.freeze()
            if number == tick:
                tick = progress.tick(number)
            if line is None:
                problem = "the line is not UTF-8 text"
            else:
                try:
                    if timeline:
                        change = read_changes(number, line)
                        if change is not None:
                            progress.clear()
                            out.write(
                                _change_json(change)
                                if as_json
                                else _change_text(change)
                            )
                    else:
                        consume(line)
                except InvalidReport as error:
                    # A blank line changes nothing, and raises nothing.
                    problem = "; ".join(str(problem) for problem in error.problems)
                else:
                    continue
            bad += 1
            progress.clear()
            err.write(f"{name}:{number}: {problem}\n")
            if strict:
                err.write("evstatus: stopped at the first bad line (--strict)\n")
                return bad
    except KeyboardInterrupt:
        progress.clear()
        raise
    progress.clear()
    if bad:
        err.write(f"evstatus: {bad} bad line{'s' if bad != 1 else ''} skipped\n")
    return bad


def _print_views(replay: Fleet, out: IO[str], *, as_json: bool) -> None:
    views = replay.views()
    # Fleet.states copies the fleet's mapping: once, not once per station.
    states = replay.states
    if as_json:
        for station, view in views.items():
            record = station_record(station, states[station], view)
            out.write(_json_line(record))
        return
    if not views:
        out.write("no stations\n")
        return
    rows = [("STATION", "STATUS", "REASON", "CONNECTORS", "ANOMALIES")]
    rows.extend(
        (
            _printable(station),
            str(view.status),
            str(view.reason),
            _connectors_text(view) or "-",
            _anomalies_text(states[station]),
        )
        for station, view in views.items()
    )
    out.write(_table(rows))


# JSON escapes the C0 controls; these pass through raw. C1 controls can start
# terminal escape sequences, and Python's str.splitlines (and so many a JSON
# Lines reader) breaks lines at U+0085, U+2028 and U+2029.
_JSON_UNSAFE: Final = re.compile("[\x7f-\x9f\u2028\u2029]")


def _json_line(record: dict[str, object]) -> str:
    text = json.dumps(record, ensure_ascii=False)
    if not text.isascii():
        text = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
    return text + "\n"


def _change_json(change: Change) -> str:
    record: dict[str, object] = {
        "line": change.line,
        "time": None if change.time is None else format_timestamp(change.time),
        "event": change.event,
    }
    record |= station_record(change.station, change.state, change.view)
    record["new_anomalies"] = [str(anomaly) for anomaly in change.anomalies]
    record["new_repairs"] = [
        {
            "kind": repair.kind.value,
            "field": repair.field,
            "action": repair.action,
        }
        for repair in change.repairs
    ]
    return _json_line(record)


def _change_text(change: Change) -> str:
    time = "-" if change.time is None else format_timestamp(change.time)
    connectors = _connectors_text(change.view) or "no connectors"
    return (
        f"{time}  {_printable(change.station)}  {change.event}\n"
        f"{'':22}{connectors} | station {change.view.status} ({change.view.reason})\n"
    )


def _printable(text: str) -> str:
    r"""Return *text* safe to print: invisible characters shown as escapes.

    A station id comes from the log; printed raw, a newline in it would fake a
    row, an escape sequence would drive the terminal. A backslash is doubled,
    so that an escape shown cannot be confused with the same text in the id.

    >>> print(_printable("CP-1\n\x1b[2J\\"))
    CP-1\n\x1b[2J\\
    """
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(
        char if char.isprintable() and char != "\\" else _escape(char) for char in text
    )


def _escape(char: str) -> str:
    # unicode_escape gives \n, \t, \x1b, \u202e, \\ as Python writes them; a
    # lone surrogate (from an undecodable file name) too.
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def _connectors_text(view: StationView[int]) -> str:
    parts: list[str] = []
    # What each connector's own report says, as the view was derived from it.
    states = view.states
    for connector_id, shown in view.connectors.items():
        own = states[connector_id]
        detail = "" if own.value == shown.value else f" ({own})"
        parts.append(f"#{connector_id} {shown.value}{detail}")
    return ", ".join(parts)


def _anomalies_text(state: StationState) -> str:
    parts = [f"{count} {kind}" for kind, count in state.anomaly_counts.items()]
    parts.extend(
        f"{count} repaired {kind}" for kind, count in state.repair_counts.items()
    )
    return ", ".join(parts) or "-"


def display_width(text: str) -> int:
    """How many terminal columns *text* takes: East Asian wide characters two."""
    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in "WF"
        else 1
        for char in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    return [max(display_width(row[c]) for row in rows) for c in range(len(rows[0]))]


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = _column_widths(rows)
    # str.ljust pads by characters, which is the width for ASCII text: the
    # usual cell, and a replay's table has five per station.
    return "".join(
        "  ".join(
            cell.ljust(width) if cell.isascii() else _pad(cell, width)
            for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        + "\n"
        for row in rows
    )


# --- explain ------------------------------------------------------------------


def _run_explain(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    states: list[tuple[int | None, ChargePointStatus]] = arguments.states
    reports: dict[int, ConnectorReport] = {}
    next_id = 1
    for connector_id, status in states:
        number = next_id if connector_id is None else connector_id
        next_id = number + 1
        if number in reports:
            arguments.parser.error(
                f"connector {number} is given twice ({reports[number].status} and "
                f"{status}); give each connector one state"
            )
        reports[number] = ConnectorReport(connector_id=number, status=status)
    view = derive_station(
        reports.values(),
        online=not arguments.offline,
        enabled=not arguments.disabled,
        removed=arguments.removed,
    )
    rule = view.reason.rule
    out.write(f"station: {view.status} - {view.status.description}\n")
    out.write(f"reason:  rule {rule.number}, {rule.condition} ({view.reason})\n")
    if 0 in reports:
        out.write(f"main controller (connector 0): {reports[0].status}\n")
    for connector_id, shown in view.connectors.items():
        out.write(
            f"connector {connector_id}: {reports[connector_id].status} -> {shown}\n"
        )
    return EXIT_OK


# --- tables -------------------------------------------------------------------


def _run_tables(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    # The same tables, from the same code, as the documentation site shows.
    if arguments.markdown:
        out.write(
            "\n".join(f"{title}\n\n{table()}\n" for title, table in TABLES.values())
        )
        return EXIT_OK
    width = shutil.get_terminal_size().columns
    out.write(
        "\n".join(
            f"{title}\n\n{_plain_text(markdown_cells(table()), width)}"
            for title, table in TABLES.values()
        )
    )
    return EXIT_OK


def _plain_text(rows: list[list[str]], width: int) -> str:
    """Lay a table out for *width* columns, keyed by a legend if it is too wide.

    A grid such as the transition table heads its columns with "1 Available",
    "2 Preparing" and so on: too wide for most terminals, and wrapped it cuts
    every name. When the headers past the first all start with a key of their
    own, they are shortened to it, and a legend says what each key stands for.
    """
    header = rows[0]
    natural = sum(display_width(cell) for cell in header[1:])
    keys = [cell.split(" ", 1)[0] for cell in header[1:]]
    if (
        _total_width(rows) <= width
        or len(set(keys)) != len(keys)
        or any(" " not in cell for cell in header[1:])
        or any(len(key) > _KEY_LENGTH for key in keys)
        or sum(map(display_width, keys)) >= natural
    ):
        return plain_table(rows, width)
    # No-break spaces keep each key with its name; textwrap breaks at spaces only.
    entries = ", ".join(cell.replace(" ", "\u00a0") for cell in header[1:])
    legend = textwrap.fill(f"columns: {entries}", width=max(width, 20))
    legend = legend.replace("\u00a0", " ")
    shortened = [[header[0], *keys], *rows[1:]]
    return f"{legend}\n\n{plain_table(shortened, width)}"


def _total_width(rows: list[list[str]]) -> int:
    return sum(_column_widths(rows)) + _GUTTER * (len(rows[0]) - 1)


_CELL_SEPARATOR: Final = re.compile(r"(?<!\\) \| ")


def markdown_cells(markdown: str) -> list[list[str]]:
    """Read back the rows of a table :func:`markdown_table` wrote, as plain text.

    The delimiter row is dropped, escaped pipes restored and code spans' back
    ticks removed: on a terminal they are noise.
    """
    rows: list[list[str]] = []
    for number, line in enumerate(markdown.splitlines()):
        if number == 1:
            continue
        inner = line.removeprefix("| ").removesuffix(" |")
        rows.append(
            [
                cell.replace("\\|", "|").replace("`", "")
                for cell in _CELL_SEPARATOR.split(inner)
            ]
        )
    return rows


_GUTTER: Final = 2
#: A column key, in a grid's header, is a number or a letter or two.
_KEY_LENGTH: Final = 2
#: A column is never made narrower than this, however little room there is.
_NARROWEST: Final = 6
_CAMEL_PARTS: Final = re.compile(r"[A-Z]+[a-z0-9]*|[a-z0-9]+|.")


def plain_table(rows: list[list[str]], width: int) -> str:
    """Lay *rows* (the first is the header) out in aligned columns.

    Columns too wide for *width* are narrowed, the widest first, and their
    cells wrapped: at spaces, else between the parts of a CamelCase word, and
    only then anywhere.
    """
    count = len(rows[0])
    natural = _column_widths(rows)
    widths = _fit(natural, width - _GUTTER * (count - 1))
    gutter = " " * _GUTTER
    lines: list[str] = []
    for index, row in enumerate(rows):
        wrapped = [wrap_cell(cell, w) for cell, w in zip(row, widths, strict=True)]
        for part in range(max(map(len, wrapped))):
            cells = [cell[part] if part < len(cell) else "" for cell in wrapped]
            lines.append(
                gutter.join(
                    _pad(cell, w) for cell, w in zip(cells, widths, strict=True)
                ).rstrip()
            )
        if index == 0:
            lines.append(gutter.join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _fit(natural: list[int], room: int) -> list[int]:
    """Share *room* among columns: those narrower than a fair share get their width."""
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    left, count = room, len(natural)
    for column in sorted(range(len(natural)), key=natural.__getitem__):
        widths[column] = min(natural[column], max(left // count, _NARROWEST))
        left -= widths[column]
        count -= 1
    return widths


def wrap_cell(cell: str, width: int) -> list[str]:
    """Break *cell* into lines of at most *width* columns."""
    if display_width(cell) <= width:
        return [cell]
    # Pieces, each with what joins it to the one before: a space between
    # words, nothing between the parts of one word.
    pieces: list[tuple[str, str]] = []
    for word in cell.split():
        joint = " "
        for part in _word_parts(word, width):
            pieces.append((joint, part))
            joint = ""
    lines: list[str] = []
    line = ""
    for joint, piece in pieces:
        if not line:
            line = piece
        elif display_width(line + joint + piece) <= width:
            line += joint + piece
        else:
            lines.append(line)
            line = piece
    lines.append(line)
    return lines


def _word_parts(word: str, width: int) -> Iterator[str]:
    if display_width(word) <= width:
        yield word
        return
    for part in _CAMEL_PARTS.findall(word):
        # What is still too long is cut: it fits nowhere else.
        yield from (part[start : start + width] for start in range(0, len(part), width))
