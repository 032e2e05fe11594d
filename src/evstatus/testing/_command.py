"""``python -m evstatus.testing generate``: a generated log, without writing Python."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Final, NoReturn, get_args

from evstatus._cli.options import number
from evstatus._cli.streams import detach
from evstatus._errors import shorten
from evstatus._timestamps import parse_timestamp
from evstatus.testing._generator import (
    DEFAULT_START,
    LONGEST,
    PROTOCOLS,
    SHORTEST,
    Profile,
    generate_log,
)
from evstatus.testing._writing import write_timestamp

__all__ = ["main"]

PROG: Final = "python -m evstatus.testing"

EXIT_OK: Final = 0
EXIT_USAGE: Final = 2
EXIT_CANNOT_WRITE: Final = 4


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Test data for services that consume OCPP status reports. "
            "'generate' prints a seeded, realistic multi-station log."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    generate = commands.add_parser(
        "generate",
        help="print a generated station log as JSON Lines",
        description=(
            "Print a log of STATIONS stations, exactly LINES lines of JSON, in "
            "the format 'evstatus replay' and 'evstatus uptime' read. The same "
            "arguments give the same lines. Each station connects, reports its "
            "connectors Available, then goes through charging sessions, "
            "outages (Faulted or Unavailable, then Available again), warnings, "
            "main-controller outages, lost links and heartbeats. The knobs "
            "left out take the profile's values: 'realistic' (ports up about "
            "98% of the time) or 'stress' (reports, state changes and outages "
            "all the time)."
        ),
        epilog=(
            f"example: {PROG} generate --seed 7 --stations 50 --lines 200000 "
            "> log.jsonl"
        ),
    )
    generate.add_argument("--seed", type=_integer, required=True, help="any integer")
    generate.add_argument(
        "--stations", type=_integer, required=True, help="how many stations (>= 1)"
    )
    generate.add_argument(
        "--lines",
        type=_integer,
        required=True,
        help="how many lines in all (>= STATIONS: each station connects first)",
    )
    generate.add_argument(
        "--connectors",
        type=_integer,
        default=2,
        help="connectors per station, besides the main controller (default: 2)",
    )
    generate.add_argument(
        "--start",
        type=_timestamp,
        default=DEFAULT_START,
        metavar="TIME",
        help=(
            f"when the log begins, RFC 3339 (default: {write_timestamp(DEFAULT_START)})"
        ),
    )
    generate.add_argument(
        "--profile",
        choices=get_args(Profile),
        default="realistic",
        help="the knobs' defaults (default: realistic)",
    )
    generate.add_argument(
        "--sessions-per-day",
        type=_rate,
        metavar="N",
        help="charging sessions a day per connector",
    )
    generate.add_argument(
        "--faults-per-day",
        type=_rate,
        metavar="N",
        help="outages a day per connector (the rarer troubles scale with it)",
    )
    generate.add_argument(
        "--mean-outage",
        type=_minutes,
        metavar="MINUTES",
        help="the mean length of an outage (each lasts a minute at least)",
    )
    generate.add_argument(
        "--heartbeat-interval",
        type=_seconds,
        metavar="SECONDS",
        help="a station silent this long sends a heartbeat",
    )
    generate.add_argument(
        "--protocol",
        choices=PROTOCOLS,
        default="ocpp1.6",
        help=(
            "the OCPP version the stations speak; 2.0.1 and 2.1 lines carry "
            "it in their envelopes (default: ocpp1.6)"
        ),
    )
    generate.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the log to FILE instead of standard output",
    )
    return parser, generate


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not an integer") from None


def _rate(text: str) -> float:
    value = number(text)
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not a number >= 0")
    return value


def _duration(text: str, unit: str, per_unit: timedelta) -> timedelta:
    value = number(text)
    # The generator's own bounds, compared in the option's unit (a huge
    # number of minutes overflows a timedelta).
    if value is None or not SHORTEST / per_unit <= value <= LONGEST / per_unit:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not a duration in {unit} between "
            f"{SHORTEST.seconds} second and {LONGEST.days} days"
        )
    return value * per_unit


def _minutes(text: str) -> timedelta:
    return _duration(text, "minutes", timedelta(minutes=1))


def _seconds(text: str) -> timedelta:
    return _duration(text, "seconds", timedelta(seconds=1))


def _timestamp(text: str) -> datetime:
    moment = parse_timestamp(text)
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not an RFC 3339 time (like 2026-06-01T00:00:00Z)"
        )
    return moment


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    parser, generate = _parsers()
    arguments, extra = parser.parse_known_args(argv)
    if extra:
        # The one command's options: said with its usage, not the top level's.
        generate.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        lines = generate_log(
            seed=arguments.seed,
            stations=arguments.stations,
            lines=arguments.lines,
            connectors=arguments.connectors,
            start=arguments.start,
            profile=arguments.profile,
            sessions_per_day=arguments.sessions_per_day,
            faults_per_day=arguments.faults_per_day,
            mean_outage=arguments.mean_outage,
            heartbeat_interval=arguments.heartbeat_interval,
            protocol=arguments.protocol,
        )
    except (TypeError, ValueError) as error:
        _refused(generate, error)
    try:
        if arguments.output is None:
            _write(lines, sys.stdout)
        else:
            with Path(arguments.output).open("w", encoding="utf-8") as out:
                _write(lines, out)
    except ValueError as error:
        # A log so long, or started so late, that it would run past the
        # last time a datetime holds: found out on the way.
        _refused(generate, error)
    except BrokenPipeError:
        # The reader (say, ``head``) went away: it has all it wanted.
        detach(sys.stdout)
        return EXIT_OK
    except OSError as error:
        where = arguments.output or "standard output"
        if arguments.output is None:
            detach(sys.stdout)
        sys.stderr.write(f"{PROG}: cannot write {where}: {error.strerror or error}\n")
        return EXIT_CANNOT_WRITE
    return EXIT_OK


def _refused(parser: argparse.ArgumentParser, error: Exception) -> NoReturn:
    # What the generator refuses, in its words, which start with the
    # argument's name: given as the option it came from.
    name, _, rest = str(error).partition(": ")
    parser.error(f"--{name.replace('_', '-')}: {rest}")


def _write(lines: Iterable[str], out: IO[str]) -> None:
    for line in lines:
        out.write(line)
        out.write("\n")
    out.flush()
