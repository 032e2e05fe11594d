"""``evstatus replay``: a log folded into each station's status, or its changes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import IO, Any

from evstatus.history import DEFAULT_CLOCK_RULES, DEFAULT_HEARTBEAT_TOLERANCE
from evstatus.log import Change

from .changes import change_json, change_text, print_stations, station_line
from .exits import EXIT_BAD_LINES, EXIT_CANNOT_RUN, EXIT_OK, exit_codes_text
from .fleet import FleetSettings, fleet_settings, line_taker, new_fleet, views_at
from .jobs import jobs_option, replay_in_parts
from .loop import Progress, collections_paused, fold_lines, frozen_gc, say_bad_lines
from .options import (
    LENIENT_HELP,
    LOG_FORMAT,
    positive_seconds,
    protocol_option,
    seconds_or_zero,
    station,
    tolerance,
)
from .streams import InputError, numbered_lines, open_input, shown_name

__all__ = ["add_command"]


def add_command(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``replay`` to the ``evstatus`` subcommands."""
    replay = commands.add_parser(
        "replay",
        help="replay a JSON Lines log and print each station's status",
        description="Read a JSON Lines log and print the final status of every\n"
        "station in it, or every change.",
        epilog=f"{LOG_FORMAT}\n\n{exit_codes_text()}",
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
        type=station,
        metavar="ID",
        help="the station of lines that name none (default: %(default)s)",
    )
    replay.add_argument(
        "--heartbeat-interval",
        type=positive_seconds,
        metavar="SECONDS",
        help="also count a station offline once silent for FACTOR times this "
        "long (see --tolerance), judged by the receive times in the log",
    )
    replay.add_argument(
        "--tolerance",
        type=tolerance,
        default=DEFAULT_HEARTBEAT_TOLERANCE,
        metavar="FACTOR",
        help="heartbeat intervals of silence allowed (default: %(default)s)",
    )
    replay.add_argument(
        "--lenient",
        action="store_true",
        help=LENIENT_HELP,
    )
    replay.add_argument(
        "--clock-ahead-tolerance",
        type=seconds_or_zero,
        default=DEFAULT_CLOCK_RULES.ahead_tolerance,
        metavar="SECONDS",
        help="a report stamped this much later than its receive time shows a "
        "clock running ahead (default: "
        f"{DEFAULT_CLOCK_RULES.ahead_tolerance.total_seconds():g}); it is ordered "
        "by its receive time all the same",
    )
    replay.add_argument(
        "--clock-behind-window",
        type=seconds_or_zero,
        default=DEFAULT_CLOCK_RULES.behind_window,
        metavar="SECONDS",
        help="a report stamped more than this before its receive time shows a "
        "clock running behind, and is ordered by its receive time (default: "
        f"{DEFAULT_CLOCK_RULES.behind_window.total_seconds():g}, a week)",
    )
    protocol_option(replay)
    jobs_option(replay)
    replay.set_defaults(run=_run_replay, parser=replay)


def _run_replay(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    interval = arguments.heartbeat_interval
    if interval is not None:
        try:
            _ = interval * arguments.tolerance
        except OverflowError:
            arguments.parser.error(
                "--heartbeat-interval times --tolerance is too long a time"
            )
    settings = fleet_settings(arguments)
    name: str = arguments.file
    shown = shown_name(name)
    with frozen_gc():
        try:
            stream = open_input(name)
            with stream:
                if _in_parts(arguments):
                    return replay_in_parts(
                        stream,
                        arguments.jobs,
                        settings,
                        out=out,
                        err=err,
                        name=shown,
                        timeline=arguments.timeline,
                        as_json=arguments.json,
                        strict=arguments.strict,
                    )
                return _replay(
                    arguments, settings, stream, out=out, err=err, shown=shown
                )
        except InputError as error:
            err.write(f"evstatus: cannot read {shown}: {error.reason}\n")
            return EXIT_CANNOT_RUN


def _replay(
    arguments: argparse.Namespace,
    settings: FleetSettings,
    stream: IO[bytes],
    *,
    out: IO[str],
    err: IO[str],
    shown: str,
) -> int:
    fleet = new_fleet(settings)
    strict: bool = arguments.strict
    as_json: bool = arguments.json
    progress = Progress(err, stream)
    emit: Callable[[int, Change], None] | None = None
    if arguments.timeline:
        render = change_json if as_json else change_text

        def show(number: int, change: Change) -> None:
            del number
            progress.clear()
            out.write(render(change))

        emit = show

    take = line_taker(fleet, emit)

    def bad(number: int, problem: str) -> None:
        err.write(f"{shown}:{number}: {problem}\n")

    count = fold_lines(
        numbered_lines(stream), take, bad, strict=strict, progress=progress
    )
    say_bad_lines(err, count, strict=strict)
    if strict and count:
        return EXIT_BAD_LINES
    if not arguments.timeline:
        with collections_paused():
            print_stations(
                (
                    station_line(station, state, view, as_json=as_json)
                    for station, state, view in views_at(
                        fleet.states, fleet.clock, settings
                    )
                ),
                out,
                as_json=as_json,
            )
    return EXIT_BAD_LINES if count else EXIT_OK


def _in_parts(arguments: argparse.Namespace) -> bool:
    """Whether to replay with several processes.

    A timeline judged by heartbeats needs every station's clock at every line,
    so it is folded in one process.
    """
    return arguments.jobs > 1 and not (
        arguments.timeline and arguments.heartbeat_interval is not None
    )
