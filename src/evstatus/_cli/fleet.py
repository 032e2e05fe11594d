"""The fleet's settings as the command line gives them, whole, and its views.

Every setting of :class:`~evstatus.log.Fleet` travels in one frozen
:class:`FleetSettings`: the one-process replay and each worker of ``replay
--jobs`` make their fleet from it with :func:`new_fleet`, so that no worker
can miss one.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta

import attrs

from evstatus._core import StationView
from evstatus.history import (
    DEFAULT_CLOCK_RULES,
    DEFAULT_HEARTBEAT_TOLERANCE,
    ClockRules,
    StationState,
)
from evstatus.log import Fleet

__all__ = ["FleetSettings", "fleet_settings", "new_fleet", "views_at"]


@attrs.frozen(kw_only=True)
class FleetSettings:
    """Every argument a :class:`~evstatus.log.Fleet` is made with."""

    default_station: str = "default"
    heartbeat_interval: timedelta | None = None
    tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE
    clock: ClockRules = DEFAULT_CLOCK_RULES
    lenient: bool = False


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
    )


def new_fleet(settings: FleetSettings) -> Fleet:
    """Make a new fleet with *settings*: the one place a command makes a Fleet."""
    return Fleet(
        default_station=settings.default_station,
        heartbeat_interval=settings.heartbeat_interval,
        tolerance=settings.tolerance,
        clock=settings.clock,
        lenient=settings.lenient,
    )


def views_at(
    states: Mapping[str, StationState],
    clock: datetime | None,
    settings: FleetSettings,
) -> Iterator[tuple[str, StationState, StationView[int]]]:
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
