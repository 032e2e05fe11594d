"""Exclusions: the spans of time a station's owner says its outages are excused.

Read from a JSON Lines file (one object a line) or built in code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import MAXYEAR, UTC, datetime, timedelta, tzinfo
from typing import Final, TypeVar, cast

import attrs

from evstatus._errors import to_utc, wrong_type, wrong_value
from evstatus._log import STATION_EXPECTED, is_blank, is_station_id, unknown_key
from evstatus._timestamps import RFC3339_EXPECTED, parse_timestamp
from evstatus.exceptions import InvalidReport, Problem

from ._regimes import Cap, Cause, Regime


@attrs.frozen(kw_only=True)
class Exclusion:
    """A span of time during which outages of a station (or one port) are excused."""

    station: str
    connector: int | None
    """The port, or None for every port of the station."""
    start: datetime
    end: datetime
    cause: Cause
    incident: str | None = None
    """The incident the record belongs to: records sharing one are one
    incident for a cap per incident (ten days per vandalism incident, say),
    however many records describe it. None: the record is an incident of its
    own."""
    line: int | None = None
    """Where it was read from, for warnings; None if built in code."""

    def __attrs_post_init__(self) -> None:
        # The same rules as for an exclusion read from a file: times are
        # instants (timezone-aware, kept in UTC), and the span is not empty.
        incident: object = self.incident
        if incident is not None:
            if type(incident) is not str:
                raise wrong_type("incident", incident, _INCIDENT_EXPECTED)
            if not incident.strip():
                raise wrong_value("incident", incident, _INCIDENT_EXPECTED)
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
        incident = fields.get("incident")
        if incident is not None and (type(incident) is not str or not incident.strip()):
            problems.append(
                Problem(field="incident", value=incident, expected=_INCIDENT_EXPECTED)
            )
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
            incident=cast("str | None", incident),
            line=line,
        )


_EXCLUSION_KEYS: Final = frozenset(
    {"station", "connector", "start", "end", "cause", "incident"}
)
_KEYS_EXPECTED: Final = (
    "an exclusion key: station, connector, start, end, cause or incident"
)
_INCIDENT_EXPECTED: Final = "a non-blank string naming the incident, or null"
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


# --- Excusing: which outage minutes the accepted exclusions take out ---------------

Span = tuple[datetime, datetime]
"""An outage ``[start, end)`` of one port."""
Part = tuple[datetime, datetime, Cause]
"""A part of an outage excused, and the cause credited with it."""

_ORDER: Final = {cause: index for index, cause in enumerate(Cause)}
_NO_TIME: Final = timedelta(0)


@attrs.frozen
class _Candidate:
    """A capped cause active over a piece of time, and whose cap it spends."""

    order: int
    incident: tuple[str, ...]
    """The incident (for a cap per incident), as a key that sorts."""
    cause: Cause
    cap: Cap


_Piece = tuple[datetime, datetime, "Cause | None", tuple[_Candidate, ...]]
"""A piece of time with the same exclusions over it: from, to, the uncapped
cause credited there (None: none covers it), the capped ones in the order
their caps are spent."""


def _incident_key(exclusion: Exclusion) -> tuple[str, ...]:
    if exclusion.incident is not None:
        return ("0", exclusion.incident)
    # A record of its own: known by what it says, not by where it is listed,
    # so that the order of the records changes nothing (and a record given
    # twice is one incident).
    connector = "" if exclusion.connector is None else str(exclusion.connector)
    return ("1", exclusion.start.isoformat(), exclusion.end.isoformat(), connector)


def _pieces(exclusions: Sequence[Exclusion], regime: Regime) -> list[_Piece]:
    """Cut the time the exclusions cover into pieces: a sort and one sweep."""
    caps = {cap.cause: cap for cap in regime.caps}
    events: list[tuple[datetime, int, Cause, _Candidate | None]] = []
    for exclusion in exclusions:
        cause = exclusion.cause
        cap = caps.get(cause)
        candidate = (
            None
            if cap is None
            else _Candidate(_ORDER[cause], _incident_key(exclusion), cause, cap)
        )
        events.append((exclusion.start, 1, cause, candidate))
        events.append((exclusion.end, -1, cause, candidate))
    events.sort(key=lambda event: event[0])
    uncapped: dict[Cause, int] = {}
    capped: dict[_Candidate, int] = {}
    pieces: list[_Piece] = []
    index, count = 0, len(events)
    while index < count:
        moment = events[index][0]
        while index < count and events[index][0] == moment:
            _, step, cause, candidate = events[index]
            if candidate is None:
                _count(uncapped, cause, step)
            else:
                _count(capped, candidate, step)
            index += 1
        if index == count or not (uncapped or capped):
            continue
        first = min(uncapped, key=_ORDER.__getitem__) if uncapped else None
        spent = () if first is not None else tuple(sorted(capped, key=_spending_order))
        pieces.append((moment, events[index][0], first, spent))
    return pieces


def _spending_order(candidate: _Candidate) -> tuple[int, tuple[str, ...]]:
    return candidate.order, candidate.incident


_K = TypeVar("_K")


def _count(counts: dict[_K, int], key: _K, step: int) -> None:
    left = counts.get(key, 0) + step
    if left:
        counts[key] = left
    else:
        del counts[key]


def excuse(
    outages: Sequence[Span],
    exclusions: Sequence[Exclusion],
    regime: Regime,
    tz: tzinfo,
) -> list[list[Part]]:
    """Return, for each outage (in time order, disjoint), the parts excused.

    *exclusions* are those the regime accepts for the port. An outage is
    excused from its start for as long as accepted exclusions cover it one
    after another; never if none covers its first instant. Of the time
    excused, a piece covered by an uncapped cause is credited to it (the
    first in the regulation's order); elsewhere the caps are spent, in that
    order, from the earliest minute on, and what no cap allows is not
    excluded. The result depends on the set of exclusions, not
    on their order: a sort and a sweep, whatever order they come in.
    """
    pieces = _pieces(exclusions, regime)
    used: dict[tuple[object, ...], timedelta] = {}
    result: list[list[Part]] = []
    first, count = 0, len(pieces)
    for start, end in outages:
        parts: list[Part] = []
        result.append(parts)
        while first < count and pieces[first][1] <= start:
            first += 1
        index, cursor = first, start
        if index == count or pieces[index][0] > start:
            # Out before any accepted cause: never excused ("would otherwise
            # be operational" cannot be shown), whatever comes later.
            continue
        while cursor < end and index < count and pieces[index][0] <= cursor:
            _, high, cause, candidates = pieces[index]
            stop = min(high, end)
            if cause is not None:
                _add(parts, cursor, stop, cause)
            else:
                _spend(parts, cursor, stop, candidates, used, tz)
            cursor = stop
            index += 1
    return result


def _spend(  # noqa: PLR0917  (the private worker of excuse)
    parts: list[Part],
    cursor: datetime,
    stop: datetime,
    candidates: tuple[_Candidate, ...],
    used: dict[tuple[object, ...], timedelta],
    tz: tzinfo,
) -> None:
    """Spend caps on ``[cursor, stop)``, in order, as far as they go.

    Where every cap is spent the time stays covered (the outage is still
    excused, so a later exclusion goes on excusing it) but is not excluded;
    a yearly cap gives again from the next year's first minute.
    """
    while cursor < stop:
        resume = stop
        for candidate in candidates:
            cap = candidate.cap
            limit = stop
            if cap.per == "incident":
                key: tuple[object, ...] = (candidate.cause, candidate.incident)
            else:
                year = cursor.astimezone(tz).year
                key = (candidate.cause, year)
                limit = min(stop, _year_start(year + 1, tz))
                resume = min(resume, limit)
            left = timedelta(minutes=cap.minutes) - used.get(key, _NO_TIME)
            if left > _NO_TIME:
                take = min(limit - cursor, left)
                used[key] = used.get(key, _NO_TIME) + take
                _add(parts, cursor, cursor + take, candidate.cause)
                cursor += take
                break
        else:
            cursor = resume


def _year_start(year: int, tz: tzinfo) -> datetime:
    if year > MAXYEAR:
        return datetime.max.replace(tzinfo=UTC)
    return datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)


def _add(parts: list[Part], start: datetime, end: datetime, cause: Cause) -> None:
    if parts and parts[-1][1] == start and parts[-1][2] is cause:
        parts[-1] = (parts[-1][0], end, cause)
    else:
        parts.append((start, end, cause))
