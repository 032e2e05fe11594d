"""Many stations at once: the fleet fold, and the JSON Lines log it reads.

A :class:`Fleet` keeps one :class:`~evstatus.StationState` per station id. A
service feeds it what it hears, one report, payload or event at a time
(:meth:`~evstatus.log.Fleet.feed`), or lines of a log
(:meth:`~evstatus.log.Fleet.consume`), and reads every station's view back
(:meth:`~evstatus.log.Fleet.views`), each with the OCPI status of its connectors from
the same flags (:meth:`~evstatus.StationView.ocpi_statuses`). How it folds is
one :class:`~evstatus.log.FleetSettings` value.
:func:`~evstatus.log.read_log` reads a log into typed lines;
:func:`~evstatus.log.describe_change` tells what a line's step changed, for
a timeline. ``evstatus replay`` is this module and a printer.

A line of the log is one of

- an OCPP-J frame: ``[2, id, action, payload]``, ``[3, id, payload]`` or
  ``[4, id, code, description, details]``;
- a bare StatusNotification payload: ``{"connectorId": 1, ...}``;
- an envelope: ``{"station": ..., "received": ..., "frame"|"payload"|"event": ...}``,
  the only way to name the station, the receive time, or a platform event;
  it may name its ``"protocol"`` too (``"ocpp1.6"``, ``"ocpp2.0.1"`` or
  ``"ocpp2.1"``; lines without one speak :attr:`evstatus.log.FleetSettings.protocol`).

Memory grows with the number of stations, never with the number of lines:
each keeps one (bounded) state.

>>> from evstatus.log import Fleet
>>> fleet = Fleet()
>>> fleet.consume('{"station": "CP-1", "event": "connected"}')
>>> fleet.consume(
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
from typing import Final, cast

import attrs

from ._core import StationView
from ._errors import check_bool, optional_utc, wrong_type, wrong_value
from ._fold import NEW, Item, Port, Tally, take_entry
from ._frozen import FrozenMap
from ._lenient import Repair
from ._log import (
    CENTRAL_SYSTEM_ACTIONS,
    CHARGE_POINT_ACTIONS,
    CHARGING_STATION_ACTIONS,
    CSMS_ACTIONS,
    OCPP16,
    PROTOCOLS,
    PROTOCOLS_EXPECTED,
    BadLine,
    Contact,
    Event,
    LogEntry,
    LogLine,
    Message,
    is_blank,
    read_line,
    read_log,
)
from ._ocpp2 import ConnectorReport as Report2
from ._ocpp16 import ConnectorReport
from ._station import (
    DEFAULT_CLOCK_RULES,
    DEFAULT_HEARTBEAT_TOLERANCE,
    Anomaly,
    ClockRules,
    PlatformEvent,
    check_tolerance,
    is_online,
)
from ._timestamps import format_timestamp
from .exceptions import InvalidReport
from .history import StationState, Step

__all__ = [
    "CENTRAL_SYSTEM_ACTIONS",
    "CHARGE_POINT_ACTIONS",
    "CHARGING_STATION_ACTIONS",
    "CSMS_ACTIONS",
    "PROTOCOLS",
    "BadLine",
    "Change",
    "Contact",
    "Event",
    "Fleet",
    "FleetSettings",
    "LogEntry",
    "LogLine",
    "Message",
    "Port",
    "describe_change",
    "port_name",
    "read_line",
    "read_log",
    "station_record",
]

#: The events that make a station of one never heard of, as the step decides.
_MAKING_EVENTS: Final = frozenset(
    event for event in PlatformEvent if NEW.step(event).state != NEW
)


def _check_default_station(value: object) -> None:
    if type(value) is not str:
        raise wrong_type("default_station", value, "a non-blank string")
    if not value.strip():
        raise wrong_value("default_station", value, "a non-blank string")


def _check_interval(value: object) -> None:
    if value is not None:
        # Checked with the tolerance, as the heartbeat check will use them.
        is_online(
            None,
            datetime(2000, 1, 1, tzinfo=UTC),
            heartbeat_interval=value,  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
            tolerance=DEFAULT_HEARTBEAT_TOLERANCE,
        )


def _check_protocol(value: object) -> None:
    if type(value) is not str:
        raise wrong_type("protocol", value, PROTOCOLS_EXPECTED)
    if value not in PROTOCOLS:
        raise wrong_value("protocol", value, PROTOCOLS_EXPECTED)


def _check_clock(value: object) -> None:
    if type(value) is not ClockRules:
        raise wrong_type("clock", value, "a ClockRules")


@attrs.frozen(kw_only=True)
class FleetSettings:
    """How a :class:`Fleet` folds: one value, checked when it is made.

    Two fleets with equal settings fold the same lines into the same states
    and views (see :meth:`~evstatus.log.Fleet.merge`). Immutable, and it
    pickles, so a fold split over processes can carry it whole.

    >>> from datetime import timedelta
    >>> from evstatus.log import Fleet, FleetSettings
    >>> settings = FleetSettings(heartbeat_interval=timedelta(minutes=5))
    >>> Fleet.from_settings(settings).settings == settings
    True
    """

    default_station: str = attrs.field(
        default="default", validator=lambda _s, _a, v: _check_default_station(v)
    )
    """The station of lines and items that name none."""
    heartbeat_interval: timedelta | None = attrs.field(
        default=None, validator=lambda _s, _a, v: _check_interval(v)
    )
    """How often stations send a heartbeat; None: online by the connection alone."""
    tolerance: float = attrs.field(
        default=DEFAULT_HEARTBEAT_TOLERANCE,
        validator=lambda _s, _a, v: check_tolerance(v),
    )
    """How many heartbeat intervals of silence a station is allowed (see
    :func:`~evstatus.history.is_online`)."""
    clock: ClockRules = attrs.field(
        default=DEFAULT_CLOCK_RULES, validator=lambda _s, _a, v: _check_clock(v)
    )
    """How far a station's clock may be off (see
    :class:`~evstatus.history.ClockRules`)."""
    lenient: bool = attrs.field(
        default=False, validator=lambda _s, _a, v: check_bool("lenient", v)
    )
    """Whether payloads are read by :func:`evstatus.ocpp16.parse_lenient` (or
    the OCPP 2.0.1 / 2.1 lenient readers)."""
    protocol: str = attrs.field(
        default=OCPP16, validator=lambda _s, _a, v: _check_protocol(v)
    )
    """The protocol of lines that name none (``"ocpp1.6"``, ``"ocpp2.0.1"``
    or ``"ocpp2.1"``), and of stations never heard of."""


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
    view: StationView[Port]
    anomalies: tuple[Anomaly, ...]
    """The anomalies this line caused."""
    repairs: tuple[Repair, ...] = ()
    """What lenient parsing repaired in the line's payload."""


class Fleet:
    """The states of many stations, fed one item or log line at a time.

    Built from keyword arguments, the fields of :class:`~evstatus.log.FleetSettings`, or
    from a settings value (:meth:`~evstatus.log.Fleet.from_settings`).

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
        protocol: str = OCPP16,
    ) -> None:
        self._set(
            FleetSettings(
                default_station=default_station,
                heartbeat_interval=heartbeat_interval,
                tolerance=tolerance,
                clock=clock,
                lenient=lenient,
                protocol=protocol,
            )
        )

    @classmethod
    def from_settings(cls, settings: FleetSettings) -> Fleet:
        """Return a new fleet that folds by *settings*."""
        if type(settings) is not FleetSettings:
            raise wrong_type("settings", settings, "a FleetSettings")
        fleet = cls.__new__(cls)
        fleet._set(settings)  # noqa: SLF001  (this class's own)
        return fleet

    def _set(self, settings: FleetSettings) -> None:
        self._settings = settings
        # Read once per line by consume(): kept at hand.
        self._default = settings.default_station
        self._rules = settings.clock
        self._lenient = settings.lenient
        self._protocol = protocol = settings.protocol
        # A station never heard of speaks the fleet's protocol.
        self._new = NEW if protocol == OCPP16 else StationState(protocol=protocol)
        self._states: dict[str, StationState] = {}
        # Stations consume() holds live, changed in place; their entries in
        # _states (kept for the order stations were first heard of) are stale
        # until _settle freezes them back.
        self._live: dict[str, Tally[int]] = {}
        self._clock: datetime | None = None

    @property
    def settings(self) -> FleetSettings:
        """How this fleet folds."""
        return self._settings

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

    def feed(self, station: str, item: Item, *, at: datetime | None = None) -> Step:
        """Step *station*'s state with *item*, received at *at*; say what happened.

        *item* is what :meth:`~evstatus.history.StationState.step` takes: a
        report, a platform event, or a StatusNotification payload, read
        leniently if the settings say so. A bad payload raises
        :class:`~evstatus.InvalidReport` and changes nothing. A station is
        known from the first item that tells something about it: an event
        that changes nothing for a station never heard of (say, "enabled")
        makes no station of it, but moves the clock on.
        """
        known = self._settle(self._checked_station(station))
        new = self._new
        state = new if known is None else known
        moment = optional_utc("at", at)
        step = state.step(item, at=moment, clock=self._rules, lenient=self._lenient)
        self._advance(moment)
        if known is not None or step.state != new:
            self._states[station] = step.state
        return step

    def consume(self, line: str) -> None:
        """Take one line of a log, quietly: the fast way to fold a log.

        The line is read as :func:`~evstatus.log.read_log` reads it and its
        item fed as :meth:`~evstatus.log.Fleet.feed` feeds it, at a fraction
        of the cost: the fleet keeps each station it consumes in a form it
        changes in place, instead of building a new state per line, and
        freezes it into the same :class:`~evstatus.StationState` as soon as
        anything asks for it (``states``, ``views``, ``feed``, ``merge``,
        pickling). A bad line raises :class:`~evstatus.InvalidReport` and
        changes nothing; a blank line, or a message from the central system,
        changes nothing either.
        """
        try:
            named, received, kind, value = read_line(line, self._protocol)
        except InvalidReport:
            # Blank lines are rare, so they are looked for only here.
            if is_blank(line):
                return
            raise
        if kind == "skipped":
            return
        station = self._default if named is None else named
        tally = self._live.get(station)
        fresh = tally is None
        known = None
        if tally is None:
            known = self._states.get(station)
            if known is None and kind == "event" and value not in _MAKING_EVENTS:
                # An event that tells nothing about a station never heard of
                # (say, "enabled") makes no station of it; it moves time on.
                self._advance(received)
                return
            tally = Tally.thaw(self._new if known is None else known)
        take_entry(tally, kind, value, received, self._rules, self._lenient)
        if fresh:
            self._live[station] = tally
            if known is None:
                # Holds the station's place in the order first heard of.
                self._states[station] = self._new
        if received is not None:
            clock = self._clock
            if clock is None or received > clock:
                self._clock = received

    def _advance(self, moment: datetime | None) -> None:
        """Move the clock on to *moment*, if it is later."""
        if moment is not None:
            clock = self._clock
            if clock is None or moment > clock:
                self._clock = moment

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

    def merge(self, other: Fleet) -> None:
        """Take over the stations of *other*, a fold of other stations' lines.

        This is how folds run in parallel come together: each part folds the
        lines of its own stations, in order, and the parts are merged. The
        clock becomes the later of the two. Both must have equal
        :attr:`~evstatus.log.Fleet.settings`, and no station may be in both:
        a station's lines split between two folds would each miss the
        other's reports, so that raises :class:`ValueError`.
        """
        if not isinstance(other, Fleet):
            raise wrong_type("other", other, "a Fleet")
        if other._settings != self._settings:
            raise ValueError(
                f"other: its settings {other._settings!r} differ from this "
                f"fleet's {self._settings!r}"
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
        self._advance(other._clock)

    def view(self, station: str) -> StationView[Port]:
        """Return *station*'s view now ("now" being :attr:`~evstatus.log.Fleet.clock`).

        A station never heard of is a new state: Offline, no connectors.
        """
        state = self._settle(self._checked_station(station))
        return self._view(self._new if state is None else state)

    def views(self) -> Mapping[str, StationView[Port]]:
        """Return every station's view now, by station id, in id order."""
        self._settle_all()
        return FrozenMap(
            {
                station: self._view(self._states[station])
                for station in sorted(self._states)
            }
        )

    @staticmethod
    def _checked_station(station: object) -> str:
        if type(station) is not str:
            raise wrong_type("station", station, "a non-blank string")
        if not station.strip():
            raise wrong_value("station", station, "a non-blank string")
        return station

    def _view(self, state: StationState) -> StationView[Port]:
        settings = self._settings
        interval = settings.heartbeat_interval
        if interval is None or self._clock is None:
            return state.view()
        return state.view(
            now=self._clock,
            heartbeat_interval=interval,
            tolerance=settings.tolerance,
        )


def describe_change(
    line: LogLine,
    step: Step,
    *,
    view: StationView[Port],
    before: StationView[Port] | None = None,
) -> Change | None:
    """Say what *step*, the step of *line*, changed, as a timeline tells it.

    *view* is the station's view after the step, as it is to be shown
    (:meth:`~evstatus.log.Fleet.view`, right after
    :meth:`~evstatus.log.Fleet.feed`). Where views depend on more than the
    state (a fleet with a heartbeat interval, whose stations go offline by
    silence alone), *before* is the station's view as last shown (for a
    station not shown yet, its view just before the step): the line is a
    change if the view differs from it. Without *before*, the step decides
    (``step.changed``). A line that took a report, showed an anomaly or had
    its payload repaired is always a change; otherwise a line that only
    moved time on, or only told that the station is still there, gives None.

    >>> from evstatus.log import Fleet, describe_change, read_log
    >>> fleet = Fleet()
    >>> for line in read_log(['{"station": "CP-1", "event": "connected"}']):
    ...     step = fleet.feed(line.station, line.item, at=line.received)
    ...     change = describe_change(line, step, view=fleet.view(line.station))
    ...     print(change.line, change.station, change.event, change.view.status)
    1 CP-1 connected Unknown
    """
    if before is None:
        if not (step.changed or step.taken or step.anomalies or step.repairs):
            return None
    elif view == before and not (step.taken or step.anomalies or step.repairs):
        return None
    time = line.received
    item = step.item
    if time is None and step.taken and isinstance(item, ConnectorReport):
        time = item.timestamp
    return Change(
        line=line.number,
        time=time,
        station=line.station,
        event=_describe(line, step),
        state=step.state,
        view=view,
        anomalies=step.anomalies,
        repairs=step.repairs,
    )


def port_name(port: Port) -> str:
    """Return how a port is written: ``1``, or ``1/2`` for EVSE 1's connector 2."""
    if type(port) is int:
        return str(port)
    evse_id, connector_id = cast("tuple[int, int]", port)
    return f"{evse_id}/{connector_id}"


def station_record(
    station: str, state: StationState, view: StationView[Port]
) -> dict[str, object]:
    """Return a station's state and view as the JSON object ``replay --json`` prints.

    Keys: ``station``, ``status``, ``reason``, ``connectors`` (what each
    connector shows), ``ocpp`` (the state each holds as its protocol says
    it, connector 0 included), ``connected``, ``enabled``, ``removed``,
    ``last_heard`` (RFC 3339 in UTC, or None), and the ``anomalies`` and
    ``repairs`` counted per kind. A connector is named by its id, or for an
    OCPP 2.0.1 / 2.1 station as ``evse/connector`` (``"1/2"``); such a
    station's record also has ``protocol`` and ``evses``: per connector, its
    ``evse_id``, ``connector_id``, the ``status`` it shows, its ``ocpp``
    status, the OCPP 1.6 state it stands for (``ocpp16``) and its EVSE's
    ``charging_state`` (or None). One function writes it, so that every
    tool reading a fleet (the command line, a distributed fold) writes the
    same record.
    """
    ocpp = {str(key): state.reports[key].status.value for key in sorted(state.reports)}
    evse_reports = state.evse_reports
    for key in sorted(evse_reports):
        ocpp[port_name(key)] = evse_reports[key].status.value
    record: dict[str, object] = {
        "station": station,
        "status": view.status.value,
        "reason": view.reason.value,
        "connectors": {
            port_name(key): value.value for key, value in view.connectors.items()
        },
        "ocpp": ocpp,
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
    if state.protocol != OCPP16:
        charging = state.charging_states
        record["protocol"] = state.protocol
        record["evses"] = [
            {
                "evse_id": evse_id,
                "connector_id": connector_id,
                "status": view.connectors[evse_id, connector_id].value,
                "ocpp": evse_reports[evse_id, connector_id].status.value,
                "ocpp16": view.states[evse_id, connector_id].value,
                "charging_state": None
                if evse_id not in charging
                else charging[evse_id].value,
            }
            for evse_id, connector_id in sorted(evse_reports)
        ]
    return record


def _describe(line: LogLine, step: Step) -> str:
    parts: list[str] = []
    item = step.item
    is_event = isinstance(line, Event)
    if step.taken and isinstance(item, (ConnectorReport, Report2)):
        parts.append(_describe_report(item, step))
    elif isinstance(line, Event):
        parts.append(str(line.event))
    elif isinstance(line, Contact):
        parts.append(f"{line.action} received")
    elif line.protocol != OCPP16 and not step.anomalies:
        parts.append(_describe_message(line, step))
    if step.state.connected and not step.before.connected and not is_event:
        parts.append("station connected")
    parts.extend(f"anomaly: {anomaly}" for anomaly in step.anomalies)
    parts.extend(f"repaired {repair.field}: {repair.action}" for repair in step.repairs)
    return "; ".join(parts)


def _describe_message(line: Message, step: Step) -> str:
    """Say what an OCPP 2.0.1 message that took no report did."""
    before = step.before.charging_states
    after = step.state.charging_states
    changes = [
        f"EVSE {evse} charging state {after.get(evse, 'none')}"
        for evse in sorted(before.keys() | after.keys())
        if before.get(evse) is not after.get(evse)
    ]
    if changes:
        return f"{line.action}: " + ", ".join(changes)
    return f"{line.action} received"


def _describe_report(report: ConnectorReport | Report2, step: Step) -> str:
    if type(report) is Report2:
        head = f"connector {report.evse_id}/{report.connector_id}"
    else:
        head = f"connector {report.connector_id}"
    previous = step.previous
    if previous is None:
        text = f"{head} {report.status}"
    elif previous is report.status:
        text = f"{head} {report.status} again"
    elif step.state.protocol != OCPP16:
        # No transition machine to name the change by.
        text = f"{head} {previous} -> {report.status}"
    else:
        code = "undefined" if step.transition is None else step.transition.code
        text = f"{head} {previous} -> {report.status}"
        text += f" ({code})"
    if type(report) is ConnectorReport and report.error_code.value != "NoError":
        text += f", error {report.error_code}"
    return text
