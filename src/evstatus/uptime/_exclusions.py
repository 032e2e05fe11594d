"""Exclusions: the spans of time a station's owner says its outages are excused.

Read from a JSON Lines file (one object a line) or built in code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Final, cast

import attrs

from evstatus._errors import to_utc, wrong_value
from evstatus._log import STATION_EXPECTED, is_blank, is_station_id, unknown_key
from evstatus._timestamps import RFC3339_EXPECTED, parse_timestamp
from evstatus.exceptions import InvalidReport, Problem

from ._regimes import Cause


@attrs.frozen(kw_only=True)
class Exclusion:
    """A span of time during which outages of a station (or one port) are excused."""

    station: str
    connector: int | None
    """The port, or None for every port of the station."""
    start: datetime
    end: datetime
    cause: Cause
    line: int | None = None
    """Where it was read from, for warnings; None if built in code."""

    def __attrs_post_init__(self) -> None:
        # The same rules as for an exclusion read from a file: times are
        # instants (timezone-aware, kept in UTC), and the span is not empty.
        start = to_utc("start", self.start)
        end = to_utc("end", self.end)
        if end <= start:
            raise wrong_value(
                "end", self.end, f"a time after start ({start.isoformat()})"
            )
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def from_json(cls, data: object, *, line: int | None = None) -> Exclusion:
        """Read one exclusion object; raise :class:`InvalidReport` naming the line."""
        what = "exclusion" if line is None else f"exclusion on line {line}"
        if type(data) is not dict:
            raise InvalidReport(
                [Problem(field="<line>", value=data, expected="a JSON object")],
                what=what,
            )
        fields = cast("dict[str, object]", data)
        problems: list[Problem] = [
            unknown_key(key, _EXCLUSION_KEYS, _KEYS_EXPECTED)
            for key in sorted(fields)
            if key not in _EXCLUSION_KEYS
        ]
        station = fields.get("station")
        if not is_station_id(station):
            problems.append(_field_problem(fields, "station", STATION_EXPECTED))
        connector = fields.get("connector")
        if connector is not None and (type(connector) is not int or connector < 1):
            problems.append(
                Problem(
                    field="connector",
                    value=connector,
                    expected="a port number >= 1, or no connector for every port",
                )
            )
        start = _read_time(fields, "start", problems)
        end = _read_time(fields, "end", problems)
        raw_cause = fields.get("cause")
        cause = _CAUSE_BY_VALUE.get(raw_cause) if type(raw_cause) is str else None
        if cause is None:
            problems.append(
                _field_problem(fields, "cause", "one of " + ", ".join(Cause))
            )
        if start is not None and end is not None and end <= start:
            problems.append(
                Problem(
                    field="end",
                    value=fields["end"],
                    expected=f"a time after start ({fields['start']})",
                )
            )
        if problems:
            raise InvalidReport(problems, what=what)
        return cls(
            station=cast("str", station),
            connector=cast("int | None", connector),
            start=cast("datetime", start),
            end=cast("datetime", end),
            cause=cast("Cause", cause),
            line=line,
        )


_EXCLUSION_KEYS: Final = frozenset({"station", "connector", "start", "end", "cause"})
_KEYS_EXPECTED: Final = "an exclusion key: station, connector, start, end or cause"
_CAUSE_BY_VALUE: Final = {member.value: member for member in Cause}


def _field_problem(fields: dict[str, object], name: str, expected: str) -> Problem:
    if name not in fields:
        return Problem(field=name, value=None, expected=expected, missing=True)
    return Problem(field=name, value=fields[name], expected=expected)


def _read_time(
    fields: dict[str, object], name: str, problems: list[Problem]
) -> datetime | None:
    raw = fields.get(name)
    moment = parse_timestamp(raw) if type(raw) is str else None
    if moment is None:
        problems.append(_field_problem(fields, name, RFC3339_EXPECTED))
    return moment


def read_exclusions(lines: Iterable[str]) -> list[Exclusion]:
    """Read a JSON Lines file of exclusions; blank lines are skipped.

    *lines* are the file's lines without their line ends, numbered from 1.
    Raises :class:`InvalidReport` at the first bad line, naming it.
    """
    return [
        exclusion
        for number, line in enumerate(lines, start=1)
        if (exclusion := read_exclusion_line(line, number)) is not None
    ]


def read_exclusion_line(line: str, number: int) -> Exclusion | None:
    """Read line *number* of an exclusions file; None if it is blank.

    Blank as for the log reader: nothing but JSON white space (a line of a
    form feed, say, is a bad line, not a blank one).
    """
    if is_blank(line):
        return None
    try:
        data: object = json.loads(line)
    except (ValueError, RecursionError):
        raise InvalidReport(
            [Problem(field="<line>", value=line, expected="one JSON object")],
            what=f"exclusion on line {number}",
        ) from None
    return Exclusion.from_json(data, line=number)
