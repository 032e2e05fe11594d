"""What ``replay`` and ``demo`` print: changes, and each station at the end.

A station's line of the final table, or its JSON record, is made by
:func:`station_line`, in whichever process folded the station; the lines
are then put in station order and printed by :func:`print_stations`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Final

from evstatus._core import StationView
from evstatus._escape import json_line, printable
from evstatus._fold import Port
from evstatus._timestamps import format_timestamp
from evstatus.history import StationState
from evstatus.log import Change, port_name, station_record

from .layout import table

__all__ = [
    "HEADER",
    "change_json",
    "change_text",
    "print_stations",
    "station_line",
]

#: The header of the final table.
HEADER: Final = ("STATION", "STATUS", "REASON", "CONNECTORS", "ANOMALIES")

#: A station's line of output: a row of the table, or a line of JSON.
Line = tuple[str, ...] | str


def station_line(
    station: str, state: StationState, view: StationView[Port], *, as_json: bool
) -> Line:
    """Return *station*'s row of the final table, or with *as_json* its JSON line."""
    if as_json:
        return json_line(station_record(station, state, view))
    return (
        printable(station),
        str(view.status),
        str(view.reason),
        _connectors_text(view) or "-",
        _anomalies_text(state),
    )


def print_stations(lines: Iterable[Line], out: IO[str], *, as_json: bool) -> None:
    """Print the stations' lines, in the order given, as a table or JSON Lines."""
    if as_json:
        out.writelines(line for line in lines if isinstance(line, str))
        return
    rows = [line for line in lines if not isinstance(line, str)]
    if not rows:
        out.write("no stations\n")
        return
    out.write(table([HEADER, *rows]))


def change_json(change: Change) -> str:
    """Return a change of the timeline as a line of JSON."""
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
    return json_line(record)


def change_text(change: Change) -> str:
    """Return a change of the timeline as two lines of text."""
    time = "-" if change.time is None else format_timestamp(change.time)
    connectors = _connectors_text(change.view) or "no connectors"
    # The second line starts under the station: a time with a fraction of a
    # second is wider than one without.
    indent = max(_TIME_COLUMN, len(time) + 2)
    return (
        f"{time}  {printable(change.station)}  {change.event}\n"
        f"{'':{indent}}{connectors} | station {change.view.status} "
        f"({change.view.reason})\n"
    )


#: Where the station starts after a time in whole seconds and two spaces.
_TIME_COLUMN: Final = len("2026-06-01T08:00:00Z  ")


def _connectors_text(view: StationView[Port]) -> str:
    parts: list[str] = []
    # What each connector's own report says, as the view was derived from it.
    states = view.states
    for port, shown in view.connectors.items():
        own = states[port]
        detail = "" if own.value == shown.value else f" ({own})"
        parts.append(f"#{port_name(port)} {shown.value}{detail}")
    return ", ".join(parts)


def _anomalies_text(state: StationState) -> str:
    parts = [f"{count} {kind}" for kind, count in state.anomaly_counts.items()]
    parts.extend(
        f"{count} repaired {kind}" for kind, count in state.repair_counts.items()
    )
    return ", ".join(parts) or "-"
