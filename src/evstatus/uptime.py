"""Per-port uptime: how long each charging port was up, and the outages in between.

The road from a log to a compliance figure has three steps:

1. :class:`evstatus.uptime.Timeline` folds a station log (the JSON Lines
   format of ``evstatus replay``) into gap-free status intervals per port,
   each an :class:`evstatus.uptime.Interval` ``[start, end)`` in UTC that says
   whether the port was up or in an outage, and why.
2. :func:`evstatus.uptime.uptime` measures each port over a period: the
   minutes counted, the outage minutes, the part of them excluded by
   caller-supplied :class:`evstatus.uptime.Exclusion` records under a
   :class:`evstatus.uptime.Regime`, and the outages one by one.
3. :func:`evstatus.uptime.nevi_quarter` and
   :func:`evstatus.uptime.interval_records` arrange those figures the way the
   NEVI quarterly submission and California's 15-minute reliability records
   want them.

Every figure is exact: minutes are ``fractions.Fraction`` computed from
microsecond-exact time differences, never rounded before the division.

>>> from datetime import datetime, UTC
>>> log = [
...     '{"station": "CP-1", "received": "2026-06-01T00:00:00Z", "event": "connected"}',
...     '{"station": "CP-1", "received": "2026-06-01T00:00:00Z", "payload": '
...     '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}}',
...     '{"station": "CP-1", "received": "2026-06-01T06:00:00Z", "payload": '
...     '{"connectorId": 1, "errorCode": "GroundFailure", "status": "Faulted"}}',
...     '{"station": "CP-1", "received": "2026-06-01T06:36:00Z", "payload": '
...     '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}}',
... ]
>>> timeline = Timeline.from_lines(log)
>>> june_1, june_2 = datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
>>> day = uptime(timeline, june_1, june_2)
>>> port = day.ports[0]
>>> port.period_minutes, port.outage_minutes, float(port.uptime_percent)
(Fraction(1440, 1), Fraction(36, 1), 97.5)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cache
from itertools import pairwise
from typing import Final, Literal, cast

import attrs

from ._core import Flags, decide, shown_statuses
from ._enums import ChargePointStatus, ConnectorStatus, StationStatus
from ._errors import to_utc, wrong_value
from ._fold import Tally as _Tally
from ._frozen import FrozenMap
from ._log import read_line
from ._ocpp16 import parse_payload
from ._timestamps import RFC3339_EXPECTED, format_timestamp, parse_timestamp
from .exceptions import InvalidReport, Problem
from .history import DEFAULT_CLOCK_RULES, PlatformEvent, StationState
from .rules import Reason

__all__ = [
    "REGIMES",
    "UP_STATES",
    "Cap",
    "Cause",
    "ExcludedPart",
    "Exclusion",
    "Interval",
    "IntervalRecord",
    "NeviQuarterPort",
    "Notice",
    "Outage",
    "OutageReason",
    "PortUptime",
    "Regime",
    "Timeline",
    "Uptime",
    "interval_records",
    "minutes",
    "nevi_quarter",
    "read_exclusion_line",
    "read_exclusions",
    "trailing_twelve_months",
    "uptime",
]

_CPS = ChargePointStatus

UP_STATES: Final[frozenset[ChargePointStatus]] = frozenset(
    {
        _CPS.AVAILABLE,
        _CPS.PREPARING,
        _CPS.CHARGING,
        _CPS.SUSPENDED_EV,
        _CPS.SUSPENDED_EVSE,
        _CPS.FINISHING,
        _CPS.RESERVED,
    }
)
"""The OCPP 1.6 states in which a port counts as up.

Only while its station is online, enabled and not removed, and connector 0 is
neither Faulted nor Unavailable. Every other state of the port is an outage.
"""


class OutageReason(StrEnum):
    """Why a port was not up, the first that applies in the order listed."""

    NOT_ENABLED = "not_enabled"
    OFFLINE = "offline"
    CONNECTOR_ZERO_FAULTED = "connector_zero_faulted"
    CONNECTOR_ZERO_UNAVAILABLE = "connector_zero_unavailable"
    FAULTED = "faulted"
    UNAVAILABLE = "unavailable"

    @property
    def description(self) -> str:
        """One line, in plain words, on when this reason applies."""
        return _OUTAGE_DESCRIPTIONS[self][1]

    @property
    def status(self) -> str:
        """The status that made the port an outage, as shown in outage lists."""
        return _OUTAGE_DESCRIPTIONS[self][0]


_OUTAGE_DESCRIPTIONS: Final[Mapping[OutageReason, tuple[str, str]]] = FrozenMap(
    {
        OutageReason.NOT_ENABLED: (
            StationStatus.INOPERATIVE.value,
            "The station is switched off on the platform.",
        ),
        OutageReason.OFFLINE: (
            StationStatus.OFFLINE.value,
            "The station is not connected to the platform.",
        ),
        OutageReason.CONNECTOR_ZERO_FAULTED: (
            _CPS.FAULTED.value,
            "Connector 0, the main controller, reports Faulted.",
        ),
        OutageReason.CONNECTOR_ZERO_UNAVAILABLE: (
            _CPS.UNAVAILABLE.value,
            "Connector 0, the main controller, reports Unavailable.",
        ),
        OutageReason.FAULTED: (
            _CPS.FAULTED.value,
            "The port itself reports Faulted.",
        ),
        OutageReason.UNAVAILABLE: (
            _CPS.UNAVAILABLE.value,
            "The port itself reports Unavailable.",
        ),
    }
)


class Cause(StrEnum):
    """What caused an outage that an :class:`evstatus.uptime.Exclusion` excuses."""

    UTILITY_INTERRUPTION = "utility_interruption"
    VEHICLE_FAULT = "vehicle_fault"
    SCHEDULED_MAINTENANCE = "scheduled_maintenance"
    VANDALISM = "vandalism"
    NATURAL_DISASTER = "natural_disaster"
    OUTSIDE_OPERATING_HOURS = "outside_operating_hours"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this cause covers."""
        return _CAUSE_DESCRIPTIONS[self]


_CAUSE_DESCRIPTIONS: Final[Mapping[Cause, str]] = FrozenMap(
    {
        Cause.UTILITY_INTERRUPTION: (
            "The electricity supply failed upstream of the station "
            "(California: grid power loss)."
        ),
        Cause.VEHICLE_FAULT: "Charging failed because of the vehicle, not the port.",
        Cause.SCHEDULED_MAINTENANCE: (
            "Maintenance planned in advance (California: planned maintenance)."
        ),
        Cause.VANDALISM: "Someone damaged the equipment on purpose.",
        Cause.NATURAL_DISASTER: "A natural disaster took the site out.",
        Cause.OUTSIDE_OPERATING_HOURS: "The site was closed: outside its hours.",
    }
)


@attrs.frozen(kw_only=True)
class Cap:
    """A limit a regime puts on how much outage one cause may exclude, per port."""

    cause: Cause
    minutes: int
    """The most outage minutes the cause may exclude in one ``per``."""
    per: Literal["incident", "year"]
    """``incident``: each exclusion record on its own; ``year``: all of the
    cause's records together, per calendar year in UTC."""


@attrs.frozen(kw_only=True)
class Regime:
    """A jurisdiction's rules for excluded time: which causes count, and caps.

    A new jurisdiction is a new entry in :data:`evstatus.uptime.REGIMES`, not new code.
    """

    name: str
    title: str
    causes: frozenset[Cause]
    """The causes whose exclusions this regime accepts; others are ignored
    with a warning."""
    caps: tuple[Cap, ...] = ()
    target_percent: int | None = None
    """The uptime a funded port must exceed, if the regime sets one."""


REGIMES: Final[Mapping[str, Regime]] = FrozenMap(
    {
        "nevi": Regime(
            name="nevi",
            title="US NEVI, 23 CFR 680.116(b)",
            causes=frozenset(Cause),
            target_percent=97,
        ),
        "cec": Regime(
            name="cec",
            title="California Energy Commission reliability standard",
            causes=frozenset(
                {
                    Cause.UTILITY_INTERRUPTION,
                    Cause.SCHEDULED_MAINTENANCE,
                    Cause.VANDALISM,
                    Cause.NATURAL_DISASTER,
                }
            ),
            caps=(
                Cap(cause=Cause.VANDALISM, minutes=10 * 24 * 60, per="incident"),
                Cap(cause=Cause.SCHEDULED_MAINTENANCE, minutes=72 * 60, per="year"),
            ),
            target_percent=97,
        ),
        "plain": Regime(
            name="plain",
            title="Every cause, no caps",
            causes=frozenset(Cause),
        ),
    }
)
"""The regimes ``evstatus uptime --regime`` knows, by name."""


@attrs.frozen(kw_only=True)
class Notice:
    """A warning: something in the input that was accepted but deserves a look."""

    line: int | None
    """The line of the log or exclusions file it is about, if any."""
    message: str
    source: Literal["log", "exclusions"] = "log"

    def __str__(self) -> str:
        where = "" if self.line is None else f"line {self.line}: "
        return f"{self.source} {where}{self.message}"


# --- exclusions ---------------------------------------------------------------


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
        problems: list[Problem] = []
        unknown = sorted(key for key in fields if key not in _EXCLUSION_KEYS)
        if unknown:
            problems.append(
                Problem(
                    field="<keys>",
                    value=", ".join(unknown),
                    expected="only station, connector, start, end, cause",
                )
            )
        station = fields.get("station")
        if type(station) is not str or not station:
            problems.append(_field_problem(fields, "station", "a non-empty station id"))
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
            start=cast("datetime", start).astimezone(UTC),
            end=cast("datetime", end).astimezone(UTC),
            cause=cast("Cause", cause),
            line=line,
        )


_EXCLUSION_KEYS: Final = frozenset({"station", "connector", "start", "end", "cause"})
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

    Raises :class:`InvalidReport` at the first bad line, naming it.
    """
    return [
        exclusion
        for number, line in enumerate(lines, start=1)
        if (exclusion := read_exclusion_line(line, number)) is not None
    ]


def read_exclusion_line(line: str, number: int) -> Exclusion | None:
    """Read line *number* of an exclusions file; None if it is blank."""
    if not line.strip():
        return None
    try:
        data: object = json.loads(line)
    except (ValueError, RecursionError):
        raise InvalidReport(
            [Problem(field="<line>", value=line, expected="one JSON object")],
            what=f"exclusion on line {number}",
        ) from None
    return Exclusion.from_json(data, line=number)


# --- the fold: a log into intervals -------------------------------------------


@attrs.frozen(kw_only=True)
class Interval:
    """One stretch ``[start, end)`` over which nothing about a port changed."""

    station: str
    connector_id: int
    start: datetime
    end: datetime
    ocpp_status: ChargePointStatus
    """The state the port itself last reported."""
    connector_status: ConnectorStatus
    """What a driver was shown for the port."""
    station_status: StationStatus
    reason: Reason
    """The station rule that decided ``station_status``."""
    outage: OutageReason | None
    """Why the port was not up, or None if it was up."""

    @property
    def up(self) -> bool:
        """Whether the port was up throughout."""
        return self.outage is None

    @property
    def minutes(self) -> Fraction:
        """The length in minutes, exact."""
        return minutes(self.end - self.start)


# What a port's interval carries, as a plain tuple: one is built per change in
# the log, and functools.cache hands back the same object for the same facts,
# so comparing by identity is enough.
_Condition = tuple[
    ChargePointStatus, ConnectorStatus, StationStatus, Reason, OutageReason | None
]


class _Runs:
    """A port's conditions, each from a moment on; None once it left the count.

    Two flat lists rather than a list of pairs: a long log makes a million
    runs, and a million pairs would be a million objects for the cyclic garbage
    collector to walk again and again, which costs more than the fold itself.
    Datetimes and the shared condition tuples add nothing for it to track.
    ``outages`` indexes the runs that are outages, so that measuring a port
    looks at its outages only, not at every change of a busy port.
    """

    __slots__ = ("conditions", "outages", "starts")

    def __init__(self, moment: datetime, condition: _Condition | None) -> None:
        self.starts = [moment]
        self.conditions = [condition]
        self.outages = [0] if condition is not None and condition[4] else []

    def push(self, moment: datetime, condition: _Condition | None) -> None:
        conditions = self.conditions
        if conditions[-1] is condition:
            return
        if self.starts[-1] == moment:
            # Two changes at one instant: the later one is what held.
            self.starts.pop()
            conditions.pop()
            if self.outages and self.outages[-1] == len(conditions):
                self.outages.pop()
            if conditions and conditions[-1] is condition:
                return
        self.append(moment, condition)

    def append(self, moment: datetime, condition: _Condition | None) -> None:
        if condition is not None and condition[4]:
            self.outages.append(len(self.starts))
        self.starts.append(moment)
        self.conditions.append(condition)


_NEW: Final = StationState()
_MICROSECOND: Final = timedelta(microseconds=1)
_MICROSECONDS_PER_MINUTE: Final = 60_000_000


def minutes(duration: timedelta) -> Fraction:
    """Return *duration* in minutes, exact to the microsecond."""
    return Fraction(duration // _MICROSECOND, _MICROSECONDS_PER_MINUTE)


def _outage_reason(
    enabled: bool,
    connected: bool,
    main: ChargePointStatus | None,
    own: ChargePointStatus,
) -> OutageReason | None:
    if not enabled:
        return OutageReason.NOT_ENABLED
    if not connected:
        return OutageReason.OFFLINE
    if main is _CPS.FAULTED:
        return OutageReason.CONNECTOR_ZERO_FAULTED
    if main is _CPS.UNAVAILABLE:
        return OutageReason.CONNECTOR_ZERO_UNAVAILABLE
    if own in UP_STATES:
        return None
    return OutageReason.FAULTED if own is _CPS.FAULTED else OutageReason.UNAVAILABLE


@cache
def _condition(  # noqa: PLR0917  (a cache key, one argument per fact)
    enabled: bool,
    connected: bool,
    main: ChargePointStatus | None,
    own: ChargePointStatus,
    status: StationStatus,
    reason: Reason,
) -> _Condition:
    shown = shown_statuses(enabled and connected, main)[own]
    return (own, shown, status, reason, _outage_reason(enabled, connected, main, own))


class _Station:
    """What a Timeline keeps of one station besides its state."""

    __slots__ = ("clock", "last", "pending", "ports", "tally")

    def __init__(self) -> None:
        self.tally = _Tally.thaw()
        """The station's state, folded in place (frozen on demand)."""
        self.ports: dict[int, _Runs] = {}
        self.clock: datetime | None = None
        """The time of the station's latest change."""
        self.last: _Conditions | None = None
        """The ports' conditions as last recorded."""
        self.pending = False
        """Whether its state changed before any time was known for it."""


@attrs.define(kw_only=True)
class Timeline:
    """A log folded, line by line, into each port's history of conditions.

    Feed it lines with :meth:`evstatus.uptime.Timeline.read` (or build it with
    :meth:`evstatus.uptime.Timeline.from_lines`), then ask for
    :meth:`evstatus.uptime.Timeline.intervals` or pass it to
    :func:`evstatus.uptime.uptime`. A line's time is its
    receive time, else the report's own timestamp; a line with neither takes
    the station's previous time, with a warning in
    :attr:`evstatus.uptime.Timeline.warnings`.
    """

    default_station: str = "default"
    """The station of lines that name none."""
    warnings: list[Notice] = attrs.field(factory=list[Notice])
    """What the lines read so far gave reason to warn about."""
    _stations: dict[str, _Station] = attrs.field(
        factory=dict[str, "_Station"], init=False
    )

    @classmethod
    def from_lines(
        cls, lines: Iterable[str], *, default_station: str = "default"
    ) -> Timeline:
        """Fold every line; a bad line raises :class:`InvalidReport` naming it."""
        timeline = cls(default_station=default_station)
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                timeline.read(line, number=number)
            except InvalidReport as error:
                raise InvalidReport(error.problems, what=f"line {number}") from None
        return timeline

    def read(self, line: str, *, number: int | None = None) -> None:  # noqa: C901  (the hot loop, kept whole)
        """Fold one line; raise :class:`InvalidReport` (nothing changed) if bad."""
        station, received, kind, value = read_line(line)
        if station is None:
            station = self.default_station
        stations = self._stations
        tracked = stations.get(station)
        report = None
        stepped: StationState | None = None
        if kind == "status":
            try:
                report = parse_payload(value)
            except InvalidReport:
                # Perhaps a state connector 0 may not report: an anomaly the
                # step records (or the same error, raised again, nothing
                # changed). Rare, so the station's state is frozen for it.
                before = _NEW if tracked is None else tracked.tally.freeze()
                stepped = before.step(
                    cast("dict[str, object]", value), at=received
                ).state
        if tracked is None:
            tracked = stations[station] = _Station()
        # The station's state is folded in place, by the rules of the steps,
        # as Fleet.consume does (inlined, since this runs once per line).
        tally = tracked.tally
        connected, enabled, removed = tally.connected, tally.enabled, tally.removed
        taken = False
        if stepped is not None:
            tally = tracked.tally = _Tally.thaw(stepped)
        elif report is not None:
            taken = tally.take(report, received, DEFAULT_CLOCK_RULES, ())
        elif kind == "event":
            tally.apply(cast("PlatformEvent", value), received)
        elif kind == "heard":
            tally.hear(received)
        moment = received
        if moment is None and taken and report is not None:
            moment = report.timestamp
        flags_same = (
            tally.connected == connected
            and tally.enabled == enabled
            and tally.removed == removed
        )
        if not taken and flags_same and (moment is None or not tracked.pending):
            return
        # Most lines change one port's report and nothing else; _record then
        # looks the outcome up by that change alone.
        changed = report.connector_id if report is not None and flags_same else None
        clock = tracked.clock
        if moment is None or (clock is not None and moment < clock):
            placed = self._place(tracked, moment, number)
            if placed is None:
                return
            moment = placed
        tracked.clock = moment
        tracked.pending = False
        _record(tracked, tracked.tally, moment, changed)

    def _place(
        self, tracked: _Station, moment: datetime | None, number: int | None
    ) -> datetime | None:
        """Where a change without a usable time goes, with a warning; None: nowhere."""
        clock = tracked.clock
        if moment is None:
            if clock is None:
                tracked.pending = True
                tracked.last = None
                self.warnings.append(
                    Notice(
                        line=number,
                        message="no receive time or timestamp, and no earlier "
                        "time for the station; the change counts from the "
                        "station's next line with a time",
                    )
                )
                return None
            message = (
                "no receive time or timestamp; counted at the station's "
                f"previous time, {format_timestamp(clock)}"
            )
        else:
            message = (
                f"time {format_timestamp(moment)} is before the station's "
                f"previous time; counted at {format_timestamp(cast('datetime', clock))}"
            )
        self.warnings.append(Notice(line=number, message=message))
        return clock

    @property
    def states(self) -> dict[str, StationState]:
        """Each station's state after the lines read so far, by station id."""
        return {
            station: tracked.tally.freeze()
            for station, tracked in self._stations.items()
        }

    def ports(self) -> list[tuple[str, int]]:
        """Every port seen in the log, as ``(station, connector_id)``, sorted."""
        return sorted(
            (station, connector_id)
            for station, tracked in self._stations.items()
            for connector_id in tracked.ports
        )

    def first_seen(self, station: str, connector_id: int) -> datetime:
        """When the port first appeared in the log, in UTC."""
        return self._runs(station, connector_id).starts[0].astimezone(UTC)

    def removed_at(self, station: str, connector_id: int) -> datetime | None:
        """When the port left the count with its station's removal, if it did."""
        # Removal is for good, so it can only be the last run.
        runs = self._runs(station, connector_id)
        if runs.conditions[-1] is not None:
            return None
        return runs.starts[-1].astimezone(UTC)

    def intervals(
        self, station: str, connector_id: int, *, until: datetime
    ) -> Iterator[Interval]:
        """Yield the port's intervals, in order, from its first appearance to *until*.

        The last known condition lasts until *until*; nothing is given after a
        removal.
        """
        _check_aware("until", until)
        runs = self._runs(station, connector_id)
        starts = runs.starts
        for index, (start, condition) in enumerate(
            zip(starts, runs.conditions, strict=True)
        ):
            if condition is None or start >= until:
                continue
            end = starts[index + 1] if index + 1 < len(starts) else until
            end = min(end, until)
            own, shown, status, reason, outage = condition
            yield Interval(
                station=station,
                connector_id=connector_id,
                start=start.astimezone(UTC),
                end=end.astimezone(UTC),
                ocpp_status=own,
                connector_status=shown,
                station_status=status,
                reason=reason,
                outage=outage,
            )

    def _runs(self, station: str, connector_id: int) -> _Runs:
        tracked = self._stations.get(station)
        runs = None if tracked is None else tracked.ports.get(connector_id)
        if runs is None:
            raise wrong_value(
                "connector_id",
                connector_id,
                f"a port of station {station!r} seen in the log",
            )
        return runs


def _record(
    tracked: _Station, state: _Tally[int], moment: datetime, changed: int | None
) -> None:
    ports = tracked.ports
    reports = state.reports
    if state.removed:
        tracked.last = None
        _remove(ports, reports, moment)
        return
    last = tracked.last
    if last and changed:
        # Each non-empty conditions object stands for exactly one key (it is
        # made once, on a cache miss; only the empty tuple is shared), so the
        # last one and this change decide the next.
        step = (id(last), changed, reports[changed].status._value_)
        entry = _TRANSITIONS.get(step)
        if entry is not None and entry[0] is last:
            _advance_ports(tracked, entry[1], moment)
            return
        conditions = _lookup(state)
        _TRANSITIONS[step] = (last, conditions)
    else:
        conditions = _lookup(state)
    _advance_ports(tracked, conditions, moment)


def _lookup(state: _Tally[int]) -> _Conditions:
    reports = state.reports
    # A flat key of bools, ints and strings, whose hashes are cheap (enum
    # members hash through Python code); this runs once per change.
    parts: list[object] = [state.enabled, state.connected]
    for connector_id, report in reports.items():
        parts.append(connector_id)
        parts.append(report.status._value_)
    key = tuple(parts)
    conditions = _CONDITIONS.get(key)
    if conditions is None:
        conditions = _conditions(state)
        if len(_CONDITIONS) >= _MAX_CONDITIONS:
            _CONDITIONS.clear()
            _TRANSITIONS.clear()
        _CONDITIONS[key] = conditions
    return conditions


def _advance_ports(
    tracked: _Station, conditions: _Conditions, moment: datetime
) -> None:
    if conditions is tracked.last:
        return
    tracked.last = conditions
    ports = tracked.ports
    for connector_id, condition in conditions:
        runs = ports.get(connector_id)
        if runs is None:
            ports[connector_id] = _Runs(moment, condition)
        elif runs.conditions[-1] is not condition:
            if runs.starts[-1] == moment:
                runs.push(moment, condition)
            else:
                runs.append(moment, condition)


def _remove(ports: dict[int, _Runs], reports: Iterable[int], moment: datetime) -> None:
    for connector_id in reports:
        if not connector_id:
            continue
        runs = ports.get(connector_id)
        if runs is None:
            ports[connector_id] = _Runs(moment, None)
        else:
            runs.push(moment, None)


_Conditions = tuple[tuple[int, _Condition], ...]
_CONDITIONS: Final[dict[tuple[object, ...], _Conditions]] = {}
"""Each port's condition, by what decides them; shared by every Timeline."""
_MAX_CONDITIONS: Final = 100_000
_TRANSITIONS: Final[dict[tuple[int, int, str], tuple[_Conditions, _Conditions]]] = {}
"""(id of the last conditions, port, its new state) -> (those, the next)."""


def _conditions(state: _Tally[int]) -> _Conditions:
    reports = state.reports
    main_report = reports.get(0)
    main = None if main_report is None else main_report.status
    enabled, connected = state.enabled, state.connected
    status, reason = decide(
        # A removed station has no conditions: it has left the count.
        _FLAGS[enabled, connected],
        main,
        frozenset([report.status for key, report in reports.items() if key]),
    )
    return tuple(
        (
            connector_id,
            _condition(enabled, connected, main, report.status, status, reason),
        )
        for connector_id, report in reports.items()
        if connector_id
    )


_FLAGS: Final = {
    (enabled, connected): Flags(online=connected, enabled=enabled)
    for enabled in (True, False)
    for connected in (True, False)
}


def _check_aware(name: str, moment: object) -> None:
    to_utc(name, moment)


# --- uptime -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ExcludedPart:
    """A part of an outage taken out of the count, and why."""

    start: datetime
    end: datetime
    cause: Cause

    @property
    def minutes(self) -> Fraction:
        """The length in minutes, exact."""
        return minutes(self.end - self.start)


@attrs.frozen(kw_only=True)
class Outage:
    """A stretch of outage of one port with one reason, within the period."""

    start: datetime
    end: datetime
    reason: OutageReason
    excluded: tuple[ExcludedPart, ...] = ()

    @property
    def status(self) -> str:
        """The status that made it an outage."""
        return self.reason.status

    @property
    def minutes(self) -> Fraction:
        """The length in minutes, exact."""
        return minutes(self.end - self.start)

    @property
    def excluded_minutes(self) -> Fraction:
        """How many of its minutes are excluded."""
        return sum((part.minutes for part in self.excluded), Fraction(0))

    @property
    def cause(self) -> str | None:
        """The cause of the excluded part; several are joined by commas."""
        causes = dict.fromkeys(part.cause.value for part in self.excluded)
        return ",".join(causes) or None


@attrs.frozen(kw_only=True)
class PortUptime:
    """One port's figures over a period."""

    station: str
    connector_id: int
    start: datetime | None
    """Where the port's count began: the later of the period start and its
    first appearance; None if the port has no data in the period."""
    end: datetime | None
    """Where its count stopped: the period end, or its station's removal."""
    outages: tuple[Outage, ...]

    @property
    def has_data(self) -> bool:
        """Whether any of the period counts for this port."""
        return self.start is not None

    @property
    def period_minutes(self) -> Fraction:
        """The minutes the port counts in the period."""
        return minutes(self.period_time)

    @property
    def outage_minutes(self) -> Fraction:
        """The minutes it was not up (T_outage)."""
        return minutes(self.outage_time)

    @property
    def excluded_minutes(self) -> Fraction:
        """The outage minutes excused by exclusions, after caps (T_excluded)."""
        return minutes(self.excluded_time)

    @property
    def uptime_percent(self) -> Fraction | None:
        """``(period - (outage - excluded)) / period * 100``; None without data."""
        # In whole microseconds, one exact division: the same fraction as in
        # minutes, without the cost of Fraction arithmetic per term.
        period = self.period_time // _MICROSECOND
        if not period:
            return None
        counted = (self.outage_time - self.excluded_time) // _MICROSECOND
        return Fraction(100 * (period - counted), period)

    @property
    def period_time(self) -> timedelta:
        """The time the port counts in the period, exact."""
        if self.start is None or self.end is None:
            return timedelta(0)
        return self.end - self.start

    @property
    def outage_time(self) -> timedelta:
        """The time it was not up, exact."""
        return sum((o.end - o.start for o in self.outages), timedelta(0))

    @property
    def excluded_time(self) -> timedelta:
        """The outage time excused, exact."""
        return sum(
            (p.end - p.start for o in self.outages for p in o.excluded), timedelta(0)
        )


@attrs.frozen(kw_only=True)
class Uptime:
    """What :func:`evstatus.uptime.uptime` found: each port's figures, warnings."""

    start: datetime
    end: datetime
    regime: Regime
    ports: tuple[PortUptime, ...]
    warnings: tuple[Notice, ...]


def _regime(regime: Regime | str) -> Regime:
    chosen: object = regime
    if isinstance(chosen, Regime):
        return chosen
    found = REGIMES.get(chosen) if isinstance(chosen, str) else None
    if found is None:
        raise wrong_value("regime", regime, "a Regime or one of " + ", ".join(REGIMES))
    return found


def uptime(
    timeline: Timeline,
    start: datetime,
    end: datetime,
    *,
    regime: Regime | str = "nevi",
    exclusions: Sequence[Exclusion] = (),
) -> Uptime:
    """Measure every port of *timeline* over ``[start, end)``.

    Exclusions whose cause the regime does not accept, or that name a station or
    port the log never mentions, are listed in the result's warnings.
    """
    chosen = _regime(regime)
    start, end = _period(start, end)
    warnings = _check_exclusions(timeline, exclusions, chosen)
    ports = tuple(
        _port_uptime(timeline, station, connector_id, start, end, chosen, exclusions)
        for station, connector_id in timeline.ports()
    )
    return Uptime(
        start=start, end=end, regime=chosen, ports=ports, warnings=tuple(warnings)
    )


def _period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    _check_aware("start", start)
    _check_aware("end", end)
    if end <= start:
        raise wrong_value("end", end, f"a time after start ({start.isoformat()})")
    return start.astimezone(UTC), end.astimezone(UTC)


def _check_exclusions(
    timeline: Timeline, exclusions: Sequence[Exclusion], regime: Regime
) -> list[Notice]:
    known = set(timeline.ports())
    stations = {station for station, _ in known}
    notices: list[Notice] = []
    for exclusion in exclusions:
        if exclusion.station not in stations:
            message = f"station {exclusion.station!r} is not in the log; ignored"
        elif (
            exclusion.connector is not None
            and (exclusion.station, exclusion.connector) not in known
        ):
            message = (
                f"station {exclusion.station!r} has no port {exclusion.connector} "
                "in the log; ignored"
            )
        elif exclusion.cause not in regime.causes:
            message = (
                f"cause {exclusion.cause} is not excluded under the "
                f"{regime.name} regime; ignored"
            )
        else:
            continue
        notices.append(
            Notice(line=exclusion.line, message=message, source="exclusions")
        )
    return notices


def _port_uptime(  # noqa: PLR0917  (the private worker of uptime)
    timeline: Timeline,
    station: str,
    connector_id: int,
    start: datetime,
    end: datetime,
    regime: Regime,
    exclusions: Sequence[Exclusion],
) -> PortUptime:
    runs = timeline._runs(station, connector_id)  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
    first = runs.starts[0]
    counted_start = start if first <= start else first.astimezone(UTC)
    counted_end = end
    if runs.conditions[-1] is None and runs.starts[-1] < end:
        # Removed (for good, so the last run) within the period.
        counted_end = runs.starts[-1].astimezone(UTC)
    if counted_end <= counted_start:
        return PortUptime(
            station=station,
            connector_id=connector_id,
            start=None,
            end=None,
            outages=(),
        )
    # Caps count from the start of the log, so the whole history up to the end
    # of the period is measured, and only then cut to the period.
    whole = _merged_outages(runs, counted_end)
    if whole and exclusions:
        mine = [
            exclusion
            for exclusion in exclusions
            if exclusion.station == station
            and exclusion.connector in {None, connector_id}
            and exclusion.cause in regime.causes
        ]
        whole = _apply_exclusions(whole, mine, regime)
    outages = tuple(
        clipped
        for outage in whole
        if (clipped := _clip(outage, counted_start, counted_end)) is not None
    )
    return PortUptime(
        station=station,
        connector_id=connector_id,
        start=counted_start,
        end=counted_end,
        outages=outages,
    )


def _merged_outages(runs: _Runs, until: datetime) -> list[Outage]:
    # Works on the runs, not on Interval objects: a long log has many up runs,
    # and none of them needs an object of its own here.
    outages: list[Outage] = []
    starts, conditions = runs.starts, runs.conditions
    last = len(starts) - 1
    reason: OutageReason | None = None
    begun = end = until
    previous = -2
    for index in runs.outages:
        start = starts[index]
        if start >= until:
            break
        now = cast("_Condition", conditions[index])[4]
        if index != previous + 1 or now is not reason:
            if reason is not None:
                outages.append(_outage(begun, end, reason))
            reason, begun = now, start
        end = min(starts[index + 1], until) if index < last else until
        previous = index
    if reason is not None:
        outages.append(_outage(begun, end, reason))
    return outages


def _outage(start: datetime, end: datetime, reason: OutageReason) -> Outage:
    return Outage(start=start.astimezone(UTC), end=end.astimezone(UTC), reason=reason)


def _cover(exclusions: Sequence[Exclusion]) -> list[tuple[datetime, datetime, int]]:
    """Disjoint pieces of time, each with the first listed exclusion covering it."""
    bounds = sorted({moment for e in exclusions for moment in (e.start, e.end)})
    pieces: list[tuple[datetime, datetime, int]] = []
    for left, right in pairwise(bounds):
        index = next(
            (
                index
                for index, exclusion in enumerate(exclusions)
                if exclusion.start <= left and right <= exclusion.end
            ),
            None,
        )
        if index is None:
            continue
        if pieces and pieces[-1][1] == left and pieces[-1][2] == index:
            pieces[-1] = (pieces[-1][0], right, index)
        else:
            pieces.append((left, right, index))
    return pieces


def _apply_exclusions(
    outages: list[Outage], exclusions: Sequence[Exclusion], regime: Regime
) -> list[Outage]:
    if not exclusions:
        return outages
    pieces = _cover(exclusions)
    caps = {cap.cause: cap for cap in regime.caps}
    used: dict[tuple[object, ...], timedelta] = {}
    result: list[Outage] = []
    for outage in outages:
        parts: list[ExcludedPart] = []
        for left, right, index in pieces:
            low, high = max(left, outage.start), min(right, outage.end)
            if high <= low:
                continue
            exclusion = exclusions[index]
            cap = caps.get(exclusion.cause)
            for part_start, part_end in _capped(low, high, index, cap, used):
                parts.append(
                    ExcludedPart(start=part_start, end=part_end, cause=exclusion.cause)
                )
        result.append(attrs.evolve(outage, excluded=tuple(parts)))
    return result


def _capped(
    low: datetime,
    high: datetime,
    index: int,
    cap: Cap | None,
    used: dict[tuple[object, ...], timedelta],
) -> Iterator[tuple[datetime, datetime]]:
    if cap is None:
        yield low, high
        return
    limit = timedelta(minutes=cap.minutes)
    while low < high:
        if cap.per == "incident":
            key: tuple[object, ...] = ("incident", index)
            stop = high
        else:
            key = ("year", cap.cause, low.year)
            stop = min(high, datetime(low.year + 1, 1, 1, tzinfo=UTC))
        spent = used.get(key, timedelta(0))
        take = min(stop - low, limit - spent)
        if take > timedelta(0):
            used[key] = spent + take
            yield low, low + take
        low = stop


def _clip(outage: Outage, start: datetime, end: datetime) -> Outage | None:
    low, high = max(outage.start, start), min(outage.end, end)
    if high <= low:
        return None
    parts = tuple(
        ExcludedPart(
            start=max(part.start, low), end=min(part.end, high), cause=part.cause
        )
        for part in outage.excluded
        if min(part.end, high) > max(part.start, low)
    )
    return Outage(start=low, end=high, reason=outage.reason, excluded=parts)


# --- NEVI quarterly figures ---------------------------------------------------


@attrs.frozen(kw_only=True)
class NeviQuarterPort:
    """One port's figures for a NEVI quarterly submission (23 CFR 680.112)."""

    station: str
    connector_id: int
    months: tuple[PortUptime, PortUptime, PortUptime]
    """Each month of the quarter on its own: T_outage and T_excluded."""
    trailing: tuple[PortUptime, PortUptime, PortUptime]
    """The twelve months ending with each month of the quarter: the uptime."""
    quarter: PortUptime
    """The whole quarter, whose outages give the duration of each outage."""


def _month_start(year: int, month: int) -> datetime:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=UTC)


def trailing_twelve_months(
    timeline: Timeline,
    year: int,
    month: int,
    *,
    exclusions: Sequence[Exclusion] = (),
    regime: Regime | str = "nevi",
) -> Uptime:
    """Measure the twelve months ending with *month* (1-12) of *year*.

    This is the figure NEVI computes every month; a port younger than a year
    counts from its first report.
    """
    if type(month) is not int or not 1 <= month <= 12:
        raise wrong_value("month", month, "a month number from 1 to 12")
    return uptime(
        timeline,
        _month_start(year, month - 11),
        _month_start(year, month + 1),
        regime=regime,
        exclusions=exclusions,
    )


def nevi_quarter(
    timeline: Timeline,
    year: int,
    quarter: int,
    *,
    exclusions: Sequence[Exclusion] = (),
    regime: Regime | str = "nevi",
) -> tuple[list[NeviQuarterPort], tuple[Notice, ...]]:
    """Per port, the figures of quarter *quarter* (1-4) of *year*, with warnings."""
    if type(quarter) is not int or not 1 <= quarter <= 4:
        raise wrong_value("quarter", quarter, "1, 2, 3 or 4")
    first = 3 * (quarter - 1) + 1
    bounds = [_month_start(year, first + step) for step in range(4)]
    months = [
        uptime(timeline, low, high, regime=regime, exclusions=exclusions)
        for low, high in pairwise(bounds)
    ]
    trailing = [
        trailing_twelve_months(
            timeline, year, first + step, regime=regime, exclusions=exclusions
        )
        for step in range(3)
    ]
    whole = uptime(timeline, bounds[0], bounds[3], regime=regime, exclusions=exclusions)
    result = [
        NeviQuarterPort(
            station=port.station,
            connector_id=port.connector_id,
            months=(months[0].ports[i], months[1].ports[i], months[2].ports[i]),
            trailing=(trailing[0].ports[i], trailing[1].ports[i], trailing[2].ports[i]),
            quarter=port,
        )
        for i, port in enumerate(whole.ports)
    ]
    return result, whole.warnings


# --- California: 15-minute interval records -----------------------------------


@attrs.frozen(kw_only=True)
class IntervalRecord:
    """One port's figures over one short reporting interval."""

    station: str
    connector_id: int
    start: datetime
    end: datetime
    period_minutes: Fraction
    """The minutes of the interval the port counts (0: no data)."""
    outage_minutes: Fraction
    excluded_minutes: Fraction

    @property
    def uptime_percent(self) -> Fraction | None:
        """As :attr:`evstatus.uptime.PortUptime.uptime_percent`; None without data."""
        if not self.period_minutes:
            return None
        counted = self.outage_minutes - self.excluded_minutes
        return (self.period_minutes - counted) / self.period_minutes * 100


def interval_records(
    result: Uptime, every: timedelta = timedelta(minutes=15)
) -> Iterator[IntervalRecord]:
    """Split each port of *result* into intervals of *every*, from its start.

    A last interval shorter than *every* ends at the period's end.
    """
    step: object = every
    if not isinstance(step, timedelta) or step <= timedelta(0):
        raise wrong_value("every", every, "a positive timedelta")
    for port in result.ports:
        low = result.start
        outages = port.outages
        while low < result.end:
            high = min(low + every, result.end)
            yield _record_for(port, outages, low, high)
            low = high


def _record_for(
    port: PortUptime, outages: Sequence[Outage], low: datetime, high: datetime
) -> IntervalRecord:
    period = timedelta(0)
    outage_time = timedelta(0)
    excluded = timedelta(0)
    if port.start is not None and port.end is not None:
        period = max(timedelta(0), min(high, port.end) - max(low, port.start))
        for outage in outages:
            outage_time += _overlap(outage.start, outage.end, low, high)
            for part in outage.excluded:
                excluded += _overlap(part.start, part.end, low, high)
    return IntervalRecord(
        station=port.station,
        connector_id=port.connector_id,
        start=low,
        end=high,
        period_minutes=minutes(period),
        outage_minutes=minutes(outage_time),
        excluded_minutes=minutes(excluded),
    )


def _overlap(a: datetime, b: datetime, low: datetime, high: datetime) -> timedelta:
    return max(timedelta(0), min(b, high) - max(a, low))
