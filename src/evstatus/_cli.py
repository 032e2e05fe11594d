"""The ``evstatus`` command: demo, replay, explain and tables.

Every failure the user can cause (a bad line, a missing file, a wrong
argument) ends in a message on stderr and an exit code, never a traceback:

- 0: all went well;
- 1: some lines of the log were bad (skipped, or fatal with ``--strict``);
- 2: the command could not run (wrong arguments, unreadable file).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import IO, Final

from . import __version__
from ._enums import ChargePointStatus
from ._errors import InvalidReport
from ._history import AnomalyKind, StationState
from ._online import DEFAULT_HEARTBEAT_TOLERANCE
from ._replay import Change, Replay
from ._report import ConnectorReport
from ._station import StationView, derive_station
from ._tables import TABLES
from ._timestamps import format_timestamp

__all__ = ["main"]

EXIT_OK: Final = 0
EXIT_BAD_LINES: Final = 1
EXIT_CANNOT_RUN: Final = 2

#: A progress line goes to a terminal's stderr once every this many lines.
PROGRESS_EVERY = 100_000

_DEMO_LOG: Final = "demo.jsonl"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    for stream in (sys.stdout, sys.stderr):
        # Station ids come from the log; an ASCII-only terminal must not make
        # printing one fail.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    arguments = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = arguments.run
    try:
        return command(arguments)
    except BrokenPipeError:
        # The reader (say, ``head``) went away; that is not an error of ours.
        # Pointing stdout at the null device keeps the interpreter's final
        # flush from failing the same way.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evstatus",
        description="Turn OCPP 1.6 StatusNotification logs into station statuses.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="replay a sample day of a two-connector station"
    )
    demo.add_argument(
        "--json", action="store_true", help="print JSON Lines instead of text"
    )
    demo.set_defaults(run=_run_demo)

    replay = commands.add_parser(
        "replay",
        help="replay a JSON Lines log and print each station's status",
        description="Read a JSON Lines log (see docs/history-and-cli.md) and print "
        "the final status of every station in it, or every change.",
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
        metavar="ID",
        help="the station of lines that name none (default: %(default)s)",
    )
    replay.add_argument(
        "--heartbeat-interval",
        type=_positive_seconds,
        metavar="SECONDS",
        help="also count a station offline once silent for TOLERANCE times this "
        "long, judged by the receive times in the log",
    )
    replay.add_argument(
        "--tolerance",
        type=_tolerance,
        default=DEFAULT_HEARTBEAT_TOLERANCE,
        metavar="FACTOR",
        help="heartbeat intervals of silence allowed (default: %(default)s)",
    )
    replay.set_defaults(run=_run_replay)

    explain = commands.add_parser(
        "explain",
        help="derive a station's status from connector states given here",
        description="Derive a station's status from connector states. Each STATE "
        "is an OCPP 1.6 status for the next connector (1, 2, ...) or ID=STATUS; "
        "0=STATUS sets the main controller.",
    )
    explain.add_argument("states", nargs="*", metavar="STATE", type=_connector_state)
    explain.add_argument("--offline", action="store_true", help="not connected")
    explain.add_argument(
        "--disabled", action="store_true", help="not enabled on the platform"
    )
    explain.add_argument(
        "--removed", action="store_true", help="removed from the platform"
    )
    explain.set_defaults(run=_run_explain)

    tables = commands.add_parser(
        "tables", help="print the decision and transition tables"
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


def _connector_state(text: str) -> tuple[int | None, ChargePointStatus]:
    connector_text, equals, status_text = text.rpartition("=")
    connector_id: int | None = None
    if equals:
        if not connector_text.isascii() or not connector_text.isdigit():
            raise argparse.ArgumentTypeError(
                f"{text!r}: the connector id before '=' must be a number >= 0"
            )
        connector_id = int(connector_text)
    status = _STATUS_BY_NAME.get(status_text.casefold())
    if status is None:
        choices = ", ".join(member.value for member in ChargePointStatus)
        raise argparse.ArgumentTypeError(
            f"{status_text!r} is not an OCPP 1.6 status; choose from {choices}"
        )
    return connector_id, status


def _positive_seconds(text: str) -> timedelta:
    seconds = _number(text)
    if seconds is None or seconds <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds > 0")
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise argparse.ArgumentTypeError(f"{text!r} seconds is too long") from None


def _tolerance(text: str) -> float:
    factor = _number(text)
    if factor is None or factor < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number >= 1")
    return factor


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# --- demo and replay ----------------------------------------------------------


def _run_demo(arguments: argparse.Namespace) -> int:
    log = files("evstatus").joinpath("data", _DEMO_LOG).read_text(encoding="utf-8")
    out = sys.stdout
    if not arguments.json:
        out.write(
            "A day of station CP-DEMO-1 (two connectors), replayed from the "
            "sample log shipped with evstatus.\n\n"
        )
    replay = Replay()
    # The sample is ours and the tests check it has no bad line.
    _replay_lines(
        replay,
        enumerate(log.splitlines(), start=1),
        name=_DEMO_LOG,
        timeline=True,
        as_json=arguments.json,
        strict=False,
    )
    if not arguments.json:
        out.write("\nAt the end of the day:\n")
    _print_views(replay, as_json=arguments.json)
    return EXIT_OK


def _run_replay(arguments: argparse.Namespace) -> int:
    replay = Replay(
        default_station=arguments.station,
        heartbeat_interval=arguments.heartbeat_interval,
        tolerance=arguments.tolerance,
    )
    name: str = arguments.file
    try:
        stream = sys.stdin.buffer if name == "-" else Path(name).open("rb")  # noqa: SIM115
    except OSError as error:
        sys.stderr.write(f"evstatus: cannot read {name}: {error.strerror}\n")
        return EXIT_CANNOT_RUN
    shown = "<stdin>" if name == "-" else name
    try:
        with stream:
            bad = _replay_lines(
                replay,
                _numbered_lines(stream),
                name=shown,
                timeline=arguments.timeline,
                as_json=arguments.json,
                strict=arguments.strict,
            )
    except OSError as error:
        sys.stderr.write(f"evstatus: cannot read {shown}: {error.strerror}\n")
        return EXIT_CANNOT_RUN
    if arguments.strict and bad:
        return EXIT_BAD_LINES
    if not arguments.timeline:
        _print_views(replay, as_json=arguments.json)
    return EXIT_BAD_LINES if bad else EXIT_OK


def _numbered_lines(stream: IO[bytes]) -> Iterator[tuple[int, str | None]]:
    """Yield each line with its number; None stands for a line not in UTF-8."""
    for number, raw in enumerate(stream, start=1):
        try:
            yield number, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield number, None


class _Progress:
    """Shows how far the reading got, on a terminal only, for long inputs."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._shown = False
        self.enabled = stream.isatty()

    def update(self, number: int) -> None:
        if not number % PROGRESS_EVERY:
            self._stream.write(f"\r{number:,} lines read")
            self._stream.flush()
            self._shown = True

    def clear(self) -> None:
        """Move off the progress line, so that a message starts on its own."""
        if self._shown:
            self._stream.write("\n")
            self._shown = False


def _replay_lines(
    replay: Replay,
    lines: Iterable[tuple[int, str | None]],
    *,
    name: str,
    timeline: bool,
    as_json: bool,
    strict: bool,
) -> int:
    """Feed *lines* to *replay*; return how many were bad."""
    err = sys.stderr
    progress = _Progress(err)
    bad = 0
    read = replay.read
    for number, line in lines:
        if progress.enabled:
            progress.update(number)
        if line is None:
            problem = "the line is not UTF-8 text"
        else:
            try:
                if timeline:
                    _show(replay.read_changes(number, line), as_json=as_json)
                else:
                    read(line)
            except InvalidReport as error:
                # Blank lines are rare, so they are looked for only here.
                if not line or line.isspace():
                    continue
                problem = "; ".join(str(problem) for problem in error.problems)
            else:
                continue
        bad += 1
        progress.clear()
        err.write(f"{name}:{number}: {problem}\n")
        if strict:
            err.write("evstatus: stopped at the first bad line (--strict)\n")
            return bad
    progress.clear()
    if bad:
        err.write(f"evstatus: {bad} bad line{'s' if bad != 1 else ''} skipped\n")
    return bad


def _show(change: Change | None, *, as_json: bool) -> None:
    if change is not None:
        sys.stdout.write(_change_json(change) if as_json else _change_text(change))


def _print_views(replay: Replay, *, as_json: bool) -> None:
    views = replay.views()
    out = sys.stdout
    if as_json:
        for station, view in views.items():
            record = _station_record(station, replay.states[station], view)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    rows = [("STATION", "STATUS", "REASON", "CONNECTORS", "ANOMALIES")]
    rows.extend(
        (
            station,
            str(view.status),
            str(view.reason),
            _connectors_text(replay.states[station], view) or "-",
            _anomalies_text(replay.states[station]),
        )
        for station, view in views.items()
    )
    out.write(_table(rows))


def _station_record(
    station: str, state: StationState, view: StationView
) -> dict[str, object]:
    return {
        "station": station,
        "status": view.status.value,
        "reason": view.reason.value,
        "connectors": {str(key): value.value for key, value in view.connectors.items()},
        "ocpp": {
            str(key): state.reports[key].status.value for key in sorted(state.reports)
        },
        "connected": state.connected,
        "enabled": state.enabled,
        "removed": state.removed,
        "last_heard": None
        if state.last_heard is None
        else format_timestamp(state.last_heard),
        "anomalies": {
            kind.value: state.anomaly_counts[kind]
            for kind in AnomalyKind
            if kind in state.anomaly_counts
        },
    }


def _change_json(change: Change) -> str:
    record: dict[str, object] = {
        "line": change.line,
        "time": None if change.time is None else format_timestamp(change.time),
        "event": change.event,
    }
    record |= _station_record(change.station, change.state, change.view)
    record["new_anomalies"] = [str(anomaly) for anomaly in change.anomalies]
    return json.dumps(record, ensure_ascii=False) + "\n"


def _change_text(change: Change) -> str:
    time = "-" if change.time is None else format_timestamp(change.time)
    connectors = _connectors_text(change.state, change.view) or "no connectors"
    return (
        f"{time}  {change.station}  {change.event}\n"
        f"{'':22}{connectors} | station {change.view.status} ({change.view.reason})\n"
    )


def _connectors_text(state: StationState, view: StationView) -> str:
    parts: list[str] = []
    for connector_id, shown in view.connectors.items():
        own = state.reports[connector_id].status
        detail = "" if own.value == shown.value else f" ({own})"
        parts.append(f"#{connector_id} {shown}{detail}")
    return ", ".join(parts)


def _anomalies_text(state: StationState) -> str:
    counts = state.anomaly_counts
    return (
        ", ".join(f"{counts[kind]} {kind}" for kind in AnomalyKind if kind in counts)
        or "-"
    )


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        + "\n"
        for row in rows
    )


# --- explain ------------------------------------------------------------------


def _run_explain(arguments: argparse.Namespace) -> int:
    states: list[tuple[int | None, ChargePointStatus]] = arguments.states
    reports: list[ConnectorReport] = []
    next_id = 1
    for connector_id, status in states:
        number = next_id if connector_id is None else connector_id
        next_id = number + 1
        try:
            reports.append(ConnectorReport(connector_id=number, status=status))
        except InvalidReport as error:
            sys.stderr.write(
                f"evstatus explain: connector {number}: "
                + "; ".join(str(p) for p in error.problems)
                + "\n"
            )
            return EXIT_CANNOT_RUN
    view = derive_station(
        reports,
        online=not arguments.offline,
        enabled=not arguments.disabled,
        removed=arguments.removed,
    )
    rule = view.reason.rule
    out = sys.stdout
    out.write(f"station: {view.status} - {view.status.description}\n")
    out.write(f"reason:  rule {rule.number}, {rule.condition} ({view.reason})\n")
    latest = {report.connector_id: report for report in reports}
    if 0 in latest:
        out.write(f"main controller (connector 0): {latest[0].status}\n")
    for connector_id, shown in view.connectors.items():
        out.write(
            f"connector {connector_id}: {latest[connector_id].status} -> {shown}\n"
        )
    return EXIT_OK


# --- tables -------------------------------------------------------------------


def _run_tables(arguments: argparse.Namespace) -> int:
    del arguments
    sys.stdout.write("\n".join(_tables()))
    return EXIT_OK


def _tables() -> Iterator[str]:
    # The same tables, from the same code, as the documentation site shows.
    for title, table in TABLES.values():
        yield f"{title}\n\n{table()}\n"
