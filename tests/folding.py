"""The careful way to fold a line: the reader's item, fed to the fleet.

What ``Fleet.consume`` does fast, and the command line's timeline does with
every line: :func:`evstatus.log.read_log` reads the line, and its item is
given to :meth:`evstatus.log.Fleet.feed`. Tests hold ``consume`` to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from evstatus import StationView
from evstatus.history import Port, Step
from evstatus.log import BadLine, Change, Fleet, describe_change, read_log


def feed_line(fleet: Fleet, line: str, number: int = 1) -> Step | None:
    """Fold *line* into *fleet* by its item; None for a line that gives none.

    Raises the line's :class:`~evstatus.InvalidReport` if it is bad, as
    ``consume`` does, having changed nothing.
    """
    default = fleet.settings.default_station
    for item in read_log([line], start=number, default_station=default):
        if isinstance(item, BadLine):
            raise item.error
        return fleet.feed(item.station, item.item, at=item.received)
    return None


def timeline(fleet: Fleet, lines: Iterable[str]) -> list[Change | None]:
    """Fold *lines* into *fleet* by their items; say what each one changed.

    As the command line's timeline does: with a heartbeat interval, each
    line's view is compared with the station's view as last shown. A line
    that gives no item (blank, or from the central system) gives None.
    """
    shown: dict[str, StationView[Port]] = {}
    heartbeat = fleet.settings.heartbeat_interval is not None
    changes: list[Change | None] = []
    default = fleet.settings.default_station
    for number, line in enumerate(lines, start=1):
        change = None
        for item in read_log([line], start=number, default_station=default):
            if isinstance(item, BadLine):
                raise item.error
            station = item.station
            before = (shown.get(station) or fleet.view(station)) if heartbeat else None
            step = fleet.feed(station, item.item, at=item.received)
            view = shown[station] = fleet.view(station)
            change = describe_change(item, step, view=view, before=before)
        changes.append(change)
    return changes
