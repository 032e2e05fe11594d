"""Many stations at once: the fleet fold, and the JSON Lines log it reads.

A :class:`Fleet` keeps one :class:`~evstatus.StationState` per station id. A
service feeds it what it hears, as reports, payloads or events
(:meth:`~evstatus.log.Fleet.feed`, :meth:`~evstatus.log.Fleet.feed_ocpp`), or as lines
of a log (:meth:`~evstatus.log.Fleet.read`), and reads every station's view back
(:meth:`~evstatus.log.Fleet.views`), each with the OCPI status of its connectors from
the same flags (:meth:`~evstatus.StationView.ocpi_statuses`). ``evstatus
replay`` is this class and a printer.

A line of the log is one of

- an OCPP-J frame: ``[2, id, action, payload]``, ``[3, id, payload]`` or
  ``[4, id, code, description, details]``;
- a bare StatusNotification payload: ``{"connectorId": 1, ...}``;
- an envelope: ``{"station": ..., "received": ..., "frame"|"payload"|"event": ...}``,
  the only way to name the station, the receive time, or a platform event.

Memory grows with the number of stations, never with the number of lines:
each keeps one (bounded) state and, in heartbeat mode, its last view.

>>> from evstatus.log import Fleet
>>> fleet = Fleet()
>>> _ = fleet.read('{"station": "CP-1", "event": "connected"}')
>>> _ = fleet.read(
...     '{"station": "CP-1", "received": "2026-06-01T08:00:00Z", "payload": '
...     '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}}'
... )
>>> view = fleet.views()["CP-1"]
>>> view.status, dict(view.ocpi_statuses())
(<StationStatus.AVAILABLE: 'Available'>, {1: <EvseStatus.AVAILABLE: 'AVAILABLE'>})
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Final

import attrs

from ._core import StationView
from ._errors import check_bool, optional_utc, wrong_type, wrong_value
from ._frozen import FrozenMap, fast_constructor
from ._lenient import Repair, parse_lenient_ocpp16
from ._log import (
    CENTRAL_SYSTEM_ACTIONS,
    CHARGE_POINT_ACTIONS,
    LogEntry,
    read_line,
)
from ._ocpp16 import ConnectorReport, parse_payload
from ._timestamps import format_timestamp
from .exceptions import InvalidReport
from .history import (
    DEFAULT_CLOCK_RULES,
    DEFAULT_HEARTBEAT_TOLERANCE,
    Anomaly,
    ClockRules,
    PlatformEvent,
    StationState,
    Step,
    _Tally,  # pyright: ignore[reportPrivateUsage]
    is_online,
)

__all__ = [
    "CENTRAL_SYSTEM_ACTIONS",
    "CHARGE_POINT_ACTIONS",
    "Change",
    "Fleet",
    "LineStep",
    "LogEntry",
    "read_line",
    "station_record",
]

_NEW: Final = StationState()


@attrs.frozen(kw_only=True)
class LineStep:
    """What one line of a log did: what it said, the station, and the step."""

    entry: LogEntry
    """What the line said, as :func:`~evstatus.log.read_line` reads it."""
    station: str
    """The station the line was about (the default station if it named none)."""
    step: Step | None
    """What the station's state did; None for a line that was skipped (a
    message the central system sent, which says nothing about the station)."""


# A line's step is built from values read_line and the state already checked.
_make_line_step: Final = fast_constructor(LineStep)
_HEARD: Final = PlatformEvent.HEARD
#: The events that make a station of one never heard of, as the step decides.
_MAKING_EVENTS: Final = frozenset(
    event for event in PlatformEvent if _NEW.step(event).state != _NEW
)


@attrs.frozen(kw_only=True)
class Change:
    """What one line changed about one station, for a timeline."""

    line: int
    time: datetime | None
    """The receive time, else the report's own timestamp, else None."""
    station: str
    event: str
    """What happened, in a few words."""
    state: StationState
    view: StationView[int]
    anomalies: tuple[Anomaly, ...]
    """The anomalies this line caused."""
    repairs: tuple[Repair, ...] = ()
    """What lenient parsing repaired in the line's payload."""


class Fleet:
    """The states of many stations, fed one report, event or log line at a time.

    Not thread-safe, and not meant to be: it is a plain fold. For several
    processes, give each its own stations (a station's lines must stay in
    order) and bring the fleets together with
    :meth:`~evstatus.log.Fleet.merge`; every fleet, state and view pickles.
    """

    def __init__(
        self,
        *,
        default_station: str = "default",
        heartbeat_interval: timedelta | None = None,
        tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
        clock: ClockRules = DEFAULT_CLOCK_RULES,
        lenient: bool = False,
    ) -> None:
        if type(default_station) is not str:
            raise wrong_type("default_station", default_station, "a non-blank string")
        if not default_station.strip():
            raise wrong_value("default_station", default_station, "a non-blank string")
        if heartbeat_interval is not None:
            # Checked now, so that a bad interval fails here and not per line.
            is_online(
                None,
                datetime(2000, 1, 1, tzinfo=UTC),
                heartbeat_interval=heartbeat_interval,
                tolerance=tolerance,
            )
        if type(clock) is not ClockRules:
            raise wrong_type("clock", clock, "a ClockRules")
        self._rules = clock
        self._lenient = check_bool("lenient", lenient)
        self._default = default_station
        self._heartbeat = heartbeat_interval
        self._tolerance = tolerance
        self._states: dict[str, StationState] = {}
        # Stations consume() holds live, changed in place; their entries in
        # _states (kept for the order stations were first heard of) are stale
        # until _settle freezes them back.
        self._live: dict[str, _Tally] = {}
        self._views: dict[str, StationView[int]] = {}
        self._clock: datetime | None = None

    @property
    def states(self) -> Mapping[str, StationState]:
        """Each station's state, by station id, in the order first heard of."""
        self._settle_all()
        return FrozenMap(self._states)

    def __getstate__(self) -> dict[str, object]:
        # A pickle carries frozen states only: the live form is this
        # process's business.
        self._settle_all()
        return self.__dict__

    @property
    def clock(self) -> datetime | None:
        """The latest receive time seen: "now", for the heartbeat check (UTC)."""
        return self._clock

    def feed(
        self,
        station: str,
        item: ConnectorReport | PlatformEvent,
        *,
        at: datetime | None = None,
    ) -> Step:
        """Step *station*'s state with a report or an event received at *at*."""
        moment = self._advance(at)
        step = self._state(station).step(item, at=moment, clock=self._rules)
        self._states[station] = step.state
        return step

    def feed_ocpp(
        self, station: str, payload: object, *, at: datetime | None = None
    ) -> Step:
        """Step *station*'s state with a StatusNotification payload.

        Raises :class:`~evstatus.InvalidReport` for a bad payload, and then
        changes nothing (see :meth:`~evstatus.history.StationState.step_ocpp`).
        """
        state = self._state(station)
        step = state.step_ocpp(
            payload, at=optional_utc("at", at), clock=self._rules, lenient=self._lenient
        )
        self._advance(at)
        self._states[station] = step.state
        return step

    def read(self, line: str) -> LineStep:
        """Take one line of a log; raise :class:`~evstatus.InvalidReport` if bad.

        A bad line changes nothing.
        """
        return self._read_entry(read_line(line))

    def consume(self, line: str) -> None:  # noqa: C901, PLR0912  (one line's fold, in one piece)
        """Take one line of a log as :meth:`~evstatus.log.Fleet.read` does, quietly.

        The way to fold a whole log when the steps of its lines are of no
        interest, at a fraction of the cost: the fleet then keeps each
        station's state in a form it changes in place, instead of building a
        new state per line, and freezes it into the same
        :class:`~evstatus.StationState` that :meth:`~evstatus.log.Fleet.read`
        would have built as soon as anything asks for it (``states``,
        ``views``, ``read``, ``feed``, ``merge``, pickling). A bad line raises
        :class:`~evstatus.InvalidReport` and changes nothing.
        """
        entry = read_line(line)
        named, received, kind, value = entry
        if kind == "skipped":
            return
        station = self._default if named is None else named
        report = None
        repairs: tuple[Repair, ...] = ()
        if kind == "status":
            try:
                if self._lenient:
                    parsed = parse_lenient_ocpp16(value)
                    report, repairs = parsed.report, parsed.repairs
                else:
                    report = parse_payload(value)
            except InvalidReport:
                # Perhaps a state connector 0 may not report: an anomaly,
                # which the step records (or the same error, raised again).
                self._careful(station, entry)
                return
        tally = self._live.get(station)
        if tally is None:
            known = self._states.get(station)
            if known is None and kind == "event" and value not in _MAKING_EVENTS:
                # An event that tells nothing about a station never heard of
                # (say, "enabled") makes no station of it; it moves time on.
                self._careful(station, entry)
                return
            tally = self._live[station] = _Tally(_NEW if known is None else known)
            if known is None:
                # Holds the station's place in the order first heard of.
                self._states[station] = _NEW
        if report is not None:
            tally.take(report, received, self._rules, repairs)
        elif kind == "event":
            tally.apply(value, received)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        else:
            tally.hear(received)
        if received is not None:
            clock = self._clock
            if clock is None or received > clock:
                self._clock = received

    def _careful(self, station: str, entry: LogEntry) -> None:
        """Take *entry* by the step, for :meth:`consume`; hold the station live."""
        self._read_entry(entry)
        state = self._states.get(station)
        if state is not None:
            self._live[station] = _Tally(state)

    def _read_entry(self, entry: LogEntry) -> LineStep:
        named, received, kind, value = entry
        station = self._default if named is None else named
        if kind == "skipped":
            return _make_line_step(entry, station, None)
        states = self._states
        known = self._settle(station)
        state = _NEW if known is None else known
        if kind == "status":
            step = state.step_ocpp(
                value, at=received, clock=self._rules, lenient=self._lenient
            )
        elif kind == "event":
            step = state.step(value, at=received)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        else:
            step = state.step(_HEARD, at=received)
        # The receive time comes from read_line, in UTC already: no need for
        # _advance's check.
        if received is not None:
            clock = self._clock
            if clock is None or received > clock:
                self._clock = received
        # A station is known once a line tells something about it: an event
        # that changes nothing for a station never heard of (say, "enabled")
        # makes no station of it.
        if known is not None or step.state != _NEW:
            states[station] = step.state
        return _make_line_step(entry, station, step)

    def _settle(self, station: str) -> StationState | None:
        """Return *station*'s state, frozen if it was held live; None if unknown."""
        tally = self._live.pop(station, None)
        if tally is None:
            return self._states.get(station)
        state = self._states[station] = tally.freeze()
        return state

    def _settle_all(self) -> None:
        live = self._live
        if live:
            states = self._states
            for station, tally in live.items():
                states[station] = tally.freeze()
            live.clear()

    def read_changes(self, number: int, line: str) -> Change | None:
        """Take one line, numbered *number*; say what it changed, if anything.

        Nothing is said of a line that only moved time on, or only told that
        the station is still there.
        """
        done = self.read(line)
        step = done.step
        if step is None:
            return None
        station = done.station
        if self._heartbeat is None:
            if not (step.changed or step.taken or step.anomalies or step.repairs):
                return None
            view = self._view(step.state)
        else:
            # The view depends on the clock too: compare it with the last one.
            before = self._views.get(station) or self._view(step.before)
            view = self._view(step.state)
            self._views[station] = view
            if view == before and not (step.taken or step.anomalies or step.repairs):
                return None
        anomalies = step.anomalies
        time = done.entry[1]
        if time is None and step.taken and isinstance(step.item, ConnectorReport):
            time = step.item.timestamp
        return Change(
            line=number,
            time=time,
            station=station,
            event=_describe(done.entry, step),
            state=step.state,
            view=view,
            anomalies=anomalies,
            repairs=step.repairs,
        )

    def merge(self, other: Fleet) -> None:
        """Take over the stations of *other*, a fold of other stations' lines.

        This is how folds run in parallel come together: each part folds the
        lines of its own stations, in order, and the parts are merged. The
        clock becomes the later of the two. Both must have the same settings
        (default station, heartbeat interval, tolerance), and no station may be
        in both: a station's lines split between two folds would each miss the
        other's reports, so that raises :class:`ValueError`.
        """
        if not isinstance(other, Fleet):
            raise wrong_type("other", other, "a Fleet")
        ours = (self._default, self._heartbeat, self._tolerance)
        theirs = (other._default, other._heartbeat, other._tolerance)
        if ours != theirs:
            raise ValueError(
                f"other: its settings {theirs!r} differ from this fleet's {ours!r}"
            )
        self._settle_all()
        other._settle_all()
        shared = self._states.keys() & other._states.keys()
        if shared:
            raise ValueError(
                f"other: station {min(shared)!r} is in both fleets; give each "
                "station's lines to one fold"
            )
        self._states.update(other._states)
        self._views.update(other._views)
        self._advance(other._clock)

    def view(self, station: str) -> StationView[int]:
        """Return *station*'s view now ("now" being :attr:`~evstatus.log.Fleet.clock`).

        A station never heard of is a new state: Offline, no connectors.
        """
        return self._view(self._state(station))

    def views(self) -> Mapping[str, StationView[int]]:
        """Return every station's view now, by station id, in id order."""
        self._settle_all()
        return FrozenMap(
            {
                station: self._view(self._states[station])
                for station in sorted(self._states)
            }
        )

    def _state(self, station: object) -> StationState:
        if type(station) is not str:
            raise wrong_type("station", station, "a non-blank string")
        if not station.strip():
            raise wrong_value("station", station, "a non-blank string")
        state = self._settle(station)
        return _NEW if state is None else state

    def _advance(self, at: datetime | None) -> datetime | None:
        moment = optional_utc("at", at)
        if moment is not None and (self._clock is None or moment > self._clock):
            self._clock = moment
        return moment

    def _view(self, state: StationState) -> StationView[int]:
        if self._heartbeat is None or self._clock is None:
            return state.view()
        return state.view(
            now=self._clock,
            heartbeat_interval=self._heartbeat,
            tolerance=self._tolerance,
        )


def station_record(
    station: str, state: StationState, view: StationView[int]
) -> dict[str, object]:
    """Return a station's state and view as the JSON object ``replay --json`` prints.

    Keys: ``station``, ``status``, ``reason``, ``connectors`` (what each
    connector shows), ``ocpp`` (the OCPP 1.6 state each holds, connector 0
    included), ``connected``, ``enabled``, ``removed``, ``last_heard`` (RFC
    3339 in UTC, or None), and the ``anomalies`` and ``repairs`` counted per
    kind. One function writes it, so that every tool reading a fleet (the
    command line, a distributed fold) writes the same record.
    """
    return {
        "station": station,
        "status": view.status.value,
        "reason": view.reason.value,
        "connectors": {str(key): value.value for key, value in view.connectors.items()},
        "ocpp": {
            str(key): state.reports[key].status.value for key in sorted(state.reports)
        },
        "connected": state.connected,
        "enabled": state.enabled,
        "removed": state.removed,
        "last_heard": None
        if state.last_heard is None
        else format_timestamp(state.last_heard),
        "anomalies": {
            kind.value: count for kind, count in state.anomaly_counts.items()
        },
        "repairs": {kind.value: count for kind, count in state.repair_counts.items()},
    }


def _describe(entry: LogEntry, step: Step) -> str:
    parts: list[str] = []
    _, _, kind, value = entry
    item = step.item
    if step.taken and isinstance(item, ConnectorReport):
        parts.append(_describe_report(item, step))
    elif kind == "event":
        parts.append(str(value))
    elif kind == "heard":
        parts.append(f"{value} received")
    if step.state.connected and not step.before.connected and kind != "event":
        parts.append("station connected")
    parts.extend(f"anomaly: {anomaly}" for anomaly in step.anomalies)
    parts.extend(f"repaired {repair.field}: {repair.action}" for repair in step.repairs)
    return "; ".join(parts)


def _describe_report(report: ConnectorReport, step: Step) -> str:
    head = f"connector {report.connector_id}"
    previous = step.previous
    if previous is None:
        text = f"{head} {report.status}"
    elif previous is report.status:
        text = f"{head} {report.status} again"
    else:
        code = "undefined" if step.transition is None else step.transition.code
        text = f"{head} {previous} -> {report.status} ({code})"
    if report.error_code.value != "NoError":
        text += f", error {report.error_code}"
    return text
