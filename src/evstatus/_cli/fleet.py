"""The fleet's settings as the command line gives them, whole; its timeline and views.

Every setting of :class:`~evstatus.log.Fleet` travels in one frozen
:class:`~evstatus.log.FleetSettings`: the one-process replay and each worker
of ``replay --jobs`` make their fleet from it with :func:`new_fleet`, so that
no worker can miss one.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime

from evstatus._core import StationView
from evstatus._fold import Port
from evstatus.history import ClockRules, StationState
from evstatus.log import (
    BadLine,
    Change,
    Fleet,
    FleetSettings,
    describe_change,
    read_log,
)

__all__ = ["FleetSettings", "fleet_settings", "line_taker", "new_fleet", "views_at"]


def fleet_settings(arguments: argparse.Namespace) -> FleetSettings:
    """Return the settings the replay's options give."""
    return FleetSettings(
        default_station=arguments.station,
        heartbeat_interval=arguments.heartbeat_interval,
        tolerance=arguments.tolerance,
        clock=ClockRules(
            ahead_tolerance=arguments.clock_ahead_tolerance,
            behind_window=arguments.clock_behind_window,
        ),
        lenient=arguments.lenient,
        protocol=arguments.protocol,
    )


def new_fleet(settings: FleetSettings) -> Fleet:
    """Make a new fleet with *settings*: the one place a command makes a Fleet."""
    return Fleet.from_settings(settings)


class _Timeline:
    """The replay's timeline: a line fed to the fleet, and what it changed."""

    def __init__(self, fleet: Fleet) -> None:
        self._fleet = fleet
        self._default = fleet.settings.default_station
        self._protocol = fleet.settings.protocol
        # With a heartbeat, a view depends on the clock too: each line is
        # compared with the station's view as last shown.
        self._shown: dict[str, StationView[Port]] | None = (
            None if fleet.settings.heartbeat_interval is None else {}
        )

    def __call__(self, number: int, line: str) -> Change | None:
        """Take line *number*; raise InvalidReport if it is bad.

        None for a line that changed nothing worth telling, or gave no item.
        """
        fleet = self._fleet
        for item in read_log(
            (line,),
            start=number,
            default_station=self._default,
            protocol=self._protocol,
        ):
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


def line_taker(
    fleet: Fleet, emit: Callable[[int, Change], None] | None
) -> Callable[[int, str], None]:
    """Return what a fold does with each good line of a log, for ``fold_lines``.

    With *emit*, each line goes through the reader and the fleet's ``feed``,
    and what it changed is given to *emit* (the timeline); without, the line
    is consumed quietly (the final table only). The one place replay, demo
    and the ``--jobs`` parts choose between the two.
    """
    if emit is None:
        consume = fleet.consume

        def take_quietly(number: int, line: str) -> None:
            del number
            consume(line)

        return take_quietly
    timeline = _Timeline(fleet)

    def take(number: int, line: str) -> None:
        change = timeline(number, line)
        if change is not None:
            emit(number, change)

    return take


def views_at(
    states: Mapping[str, StationState],
    clock: datetime | None,
    settings: FleetSettings,
) -> Iterator[tuple[str, StationState, StationView[Port]]]:
    """Yield each station's state and view at *clock*, in id order.

    What :meth:`~evstatus.log.Fleet.views` gives for a fleet whose clock is
    *clock*: a part of the fleet, folded alone, is judged by the whole
    fleet's clock.
    """
    interval = settings.heartbeat_interval
    for station in sorted(states):
        state = states[station]
        if interval is None or clock is None:
            yield station, state, state.view()
        else:
            view = state.view(
                now=clock, heartbeat_interval=interval, tolerance=settings.tolerance
            )
            yield station, state, view
