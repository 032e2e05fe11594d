"""``evstatus demo``: a sample day of a two-connector station, replayed."""

from __future__ import annotations

import argparse
from importlib.resources import files
from typing import IO, Any, Final

from evstatus.log import Change

from .changes import change_json, change_text, print_stations, station_line
from .exits import EXIT_OK
from .fleet import FleetSettings, line_taker, new_fleet, views_at
from .loop import fold_lines
from .streams import numbered_lines

__all__ = ["add_command"]

_DEMO_LOG: Final = "demo.jsonl"
#: The demo replays with the default settings.
_DEMO_SETTINGS: Final = FleetSettings()


def add_command(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``demo`` to the ``evstatus`` subcommands."""
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
    demo.set_defaults(run=_run_demo, parser=demo)


def _run_demo(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    sample = files("evstatus").joinpath("data", _DEMO_LOG)
    if arguments.log:
        out.write(sample.read_text(encoding="utf-8"))
        return EXIT_OK
    as_json: bool = arguments.json
    if not as_json:
        out.write(
            "A day of station CP-DEMO-1 (two connectors), replayed from the "
            "sample log shipped with evstatus ('evstatus demo --log' prints it).\n\n"
        )
    fleet = new_fleet(_DEMO_SETTINGS)
    render = change_json if as_json else change_text

    def emit(number: int, change: Change) -> None:
        del number
        out.write(render(change))

    def bad(number: int, problem: str) -> None:
        raise AssertionError(f"{_DEMO_LOG}:{number}: {problem}")

    with sample.open("rb") as stream:
        # The sample is ours and the tests check it has no bad line.
        fold_lines(numbered_lines(stream), line_taker(fleet, emit), bad, strict=False)
    if not as_json:
        out.write("\nAt the end of the day:\n")
    print_stations(
        (
            station_line(station, state, view, as_json=as_json)
            for station, state, view in views_at(
                fleet.states, fleet.clock, _DEMO_SETTINGS
            )
        ),
        out,
        as_json=as_json,
    )
    return EXIT_OK
