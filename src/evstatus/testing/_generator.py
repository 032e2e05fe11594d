"""A deterministic generator of realistic multi-station logs, in plain Python.

The log is a discrete-event simulation: each connector goes through charging
sessions, breaks down now and then and is repaired, each main controller and
each network link fails now and then, and each station sends a heartbeat
whenever it has said nothing for a heartbeat interval. The events of every
station wait in one queue, by time, and each becomes a line when its time
comes.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum, auto
from random import Random
from typing import Final, Literal

from evstatus._enums import ChargePointErrorCode, ChargePointStatus
from evstatus._errors import to_utc, wrong_type, wrong_value
from evstatus._payload import is_int
from evstatus.testing._translate import to_ocpp201
from evstatus.testing._writing import write_timestamp

__all__ = ["DEFAULT_START", "PROTOCOLS", "Profile", "generate_log"]

#: The protocols a generated log may speak, as OCPP-J subprotocol names.
PROTOCOLS: Final = ("ocpp1.6", "ocpp2.0.1", "ocpp2.1")

DEFAULT_START: Final = datetime(2026, 6, 1, tzinfo=UTC)
"""Where a generated log's clock starts unless told otherwise."""

_CPS = ChargePointStatus
_NO_ERROR: Final = ChargePointErrorCode.NO_ERROR
_FAULT_CODES: Final = tuple(
    code for code in ChargePointErrorCode if code is not _NO_ERROR
)
_DOWN: Final = frozenset({_CPS.FAULTED, _CPS.UNAVAILABLE})

_SECOND_MS: Final = 1000
_MINUTE_MS: Final = 60 * _SECOND_MS
_DAY_MS: Final = 24 * 60 * _MINUTE_MS

#: A charging session, state by state: the mean time a connector stays in
#: the state (in minutes; None: the idle time, from ``sessions_per_day``),
#: and where it goes next with what weight. Every step is a transition OCPP
#: 1.6 defines (the tests check it against the transition table).
SESSION: Final[
    dict[
        ChargePointStatus,
        tuple[float | None, tuple[tuple[ChargePointStatus, int], ...]],
    ]
] = {
    _CPS.AVAILABLE: (None, ((_CPS.PREPARING, 19), (_CPS.RESERVED, 1))),
    _CPS.RESERVED: (10, ((_CPS.PREPARING, 9), (_CPS.AVAILABLE, 1))),
    # Plugged in, waiting for authorisation; now and then the driver gives up.
    _CPS.PREPARING: (1.5, ((_CPS.CHARGING, 9), (_CPS.AVAILABLE, 1))),
    _CPS.CHARGING: (
        40,
        ((_CPS.SUSPENDED_EV, 5), (_CPS.FINISHING, 4), (_CPS.SUSPENDED_EVSE, 1)),
    ),
    # The car stops drawing (its battery full) and resumes, or is unplugged.
    _CPS.SUSPENDED_EV: (20, ((_CPS.FINISHING, 4), (_CPS.CHARGING, 1))),
    # The station holds back power for a while (load management).
    _CPS.SUSPENDED_EVSE: (5, ((_CPS.CHARGING, 1),)),
    _CPS.FINISHING: (2, ((_CPS.AVAILABLE, 1),)),
}

# How often the rarer troubles come, against a connector's faults: a
# warning (an error code on a connector that still works), the main
# controller out, the station's link down, the station disabled on the
# platform; and how long, against ``mean_outage``, a link stays down.
_WARNINGS_PER_FAULT: Final = 0.5
_MAIN_OUTAGES_PER_FAULT: Final = 0.25
_DISCONNECTS_PER_FAULT: Final = 0.5
_DISABLINGS_PER_FAULT: Final = 0.05
_OFFLINE_SHARE: Final = 0.25
# Of a connector's outages, the share that are faults with an error code;
# the rest are the connector made Unavailable (where OCPP allows it).
_FAULTED_SHARE: Final = 0.7
# No outage, link loss or warning is shorter than this.
_SHORTEST_MS: Final = _MINUTE_MS
# A warning clears after this long on average.
_WARNING_MS: Final = 10 * _MINUTE_MS
# Some stations keep their clock in local time; the offsets, in minutes, that
# stations are given in turn.
_STATION_OFFSETS: Final = (0, 0, 120, 0, -300, 330)
# A report's own timestamp is up to this many milliseconds before its receipt.
_LARGEST_DELAY_MS: Final = 1000
# No wait is longer than this: a thousand years, beyond any log.
_HORIZON_MS: Final = 1000 * 366 * _DAY_MS
_LAST: Final = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
# A station boots within this long after the last station connected, and
# sends what it held back while its link was down within this long of its
# return.
_BOOT_WINDOW_MS: Final = _MINUTE_MS
_CATCH_UP_MS: Final = 30 * _SECOND_MS


class _Do(Enum):
    """What an event in the queue does when its time comes."""

    BOOT = auto()  # report one port Available after connecting
    STEP = auto()  # the next step of a connector's session
    BREAK = auto()  # a port goes out of order
    REPAIR = auto()  # a port is back
    WARN = auto()  # an error code on a connector that still works
    CLEAR = auto()  # the warning's error code goes away
    DISCONNECT = auto()
    RECONNECT = auto()
    DISABLE = auto()
    ENABLE = auto()
    HEARTBEAT = auto()


# Events that are messages from the station, held back while its link is down.
_SENT: Final = frozenset(
    {_Do.BOOT, _Do.STEP, _Do.BREAK, _Do.REPAIR, _Do.WARN, _Do.CLEAR}
)


def generate_log(
    *,
    seed: int,
    stations: int,
    lines: int,
    connectors: int = 2,
    start: datetime = DEFAULT_START,
    profile: Profile = "realistic",
    sessions_per_day: float | None = None,
    faults_per_day: float | None = None,
    mean_outage: timedelta | None = None,
    heartbeat_interval: timedelta | None = None,
    protocol: Literal["ocpp1.6", "ocpp2.0.1", "ocpp2.1"] = "ocpp1.6",
) -> Iterator[str]:
    """Return the lines of a realistic JSON Lines log, the same for the same arguments.

    The log is what a platform would record of *stations* stations (named
    ``CP-00001`` and up) with *connectors* connectors each, in the envelope
    format ``evstatus replay`` reads (see the history and CLI page): exactly
    *lines* lines, without newlines, with receive times rising from *start*.
    Each station connects first (the first *stations* lines, within about a
    minute), then reports its main controller (connector 0) and every
    connector Available. After that:

    - each connector goes through about *sessions_per_day* charging sessions
      a day (Preparing, Charging, SuspendedEV and the like, Finishing;
      sometimes Reserved first), every step a transition OCPP 1.6 defines;
    - each connector has about *faults_per_day* outages a day, Faulted with
      an error code or Unavailable, each lasting at least a minute and
      *mean_outage* on average (exponentially distributed: mostly minutes,
      now and then hours), after which it is Available again;
    - less often, in proportion to *faults_per_day*: warnings (an error code
      on a connector that keeps working, cleared a while later), the main
      controller Faulted or Unavailable, the station's link lost (a
      disconnect, and a reconnect after a quarter of *mean_outage* on
      average; what the station would have sent meanwhile comes after the
      reconnect), and the station disabled and enabled on the platform;
    - a station that has sent nothing for *heartbeat_interval* sends a
      heartbeat, so that it stays online for ``Fleet`` and ``evstatus
      replay`` given the same interval.

    *profile* sets the knobs left at None. ``"realistic"`` (the default): 6
    sessions and 0.3 outages a day per connector, outages of 1 hour on
    average, a heartbeat every 5 minutes; a port is up about 98% of the time,
    and a station makes about 330 lines a day, most of them heartbeats.
    ``"stress"``: 150 sessions and 40 outages a day, outages of 5 minutes on
    average, a heartbeat every 30 minutes; nine lines in ten are reports,
    and ports are up about 80% of the time.

    *protocol* is the OCPP version the stations speak. With ``"ocpp2.0.1"``
    or ``"ocpp2.1"`` the same simulation is written the way
    :func:`~evstatus.testing.to_ocpp201` writes it: every line an envelope
    with ``"protocol"``, one connector per EVSE, the main controller as the
    charging station's AvailabilityState, a charging session's Charging,
    SuspendedEV and SuspendedEVSE as TransactionEvents. Still exactly
    *lines* lines: as a report may become two messages, the log covers a
    little less time than the 1.6 log of the same arguments, of which it is
    the translation cut to *lines* lines.

    Report timestamps are whole seconds, some in a station's local offset,
    never after the receipt nor before the connector's previous report, and
    no report repeats the state and error code its connector already holds,
    so a replay finds no bad lines and no anomalies, whatever the knobs.

    The same arguments give the same lines on every Python version: the only
    source of chance is ``random.Random.random`` seeded with *seed*, whose
    sequence Python guarantees. Raises :class:`TypeError` or
    :class:`ValueError` naming a bad argument.

    >>> from evstatus.testing import generate_log
    >>> log = list(generate_log(seed=7, stations=2, lines=6))
    >>> print(log[0])  # doctest: +NORMALIZE_WHITESPACE
    {"station": "CP-00001", "received": "2026-06-01T00:00:00.000Z",
     "event": "connected"}
    >>> log == list(generate_log(seed=7, stations=2, lines=6))
    True
    """
    _check_count("seed", seed, None)
    _check_count("stations", stations, 1)
    _check_count("connectors", connectors, 1)
    _check_count("lines", lines, stations, "stations (each station connects first)")
    to_utc("start", start)
    preset = _profile(profile)
    _protocol(protocol)
    knobs = Knobs(
        sessions_per_day=_rate(
            "sessions_per_day", sessions_per_day, preset.sessions_per_day
        ),
        faults_per_day=_rate("faults_per_day", faults_per_day, preset.faults_per_day),
        mean_outage_ms=_duration("mean_outage", mean_outage, preset.mean_outage_ms),
        heartbeat_ms=_duration(
            "heartbeat_interval", heartbeat_interval, preset.heartbeat_ms
        ),
    )
    simulated = _Simulation(seed, stations, connectors, start, knobs).run(lines)
    if protocol == "ocpp1.6":
        return simulated
    # Each 1.6 line gives one line or more: the simulation's lines are enough,
    # and being lazy, it runs no further than the translation needs.
    return itertools.islice(to_ocpp201(simulated, protocol=protocol), lines)


def _protocol(value: object) -> None:
    if isinstance(value, str) and value in PROTOCOLS:
        return
    expected = " or ".join(repr(name) for name in PROTOCOLS)
    if isinstance(value, str):
        raise wrong_value("protocol", value, expected)
    raise wrong_type("protocol", value, expected)


def _check_count(
    name: str, value: object, least: int | None, floor: str | None = None
) -> None:
    if is_int(value) and (least is None or value >= least):
        return
    expected = "an int" if least is None else f"an int >= {floor or least}"
    if not is_int(value):
        raise wrong_type(name, value, expected)
    raise wrong_value(name, value, expected)


def _profile(value: object) -> Knobs:
    """Return the knobs of profile *value*, checked."""
    if isinstance(value, str) and value in PROFILES:
        return PROFILES[value]
    expected = " or ".join(repr(name) for name in PROFILES)
    if isinstance(value, str):
        raise wrong_value("profile", value, expected)
    raise wrong_type("profile", value, expected)


def _rate(name: str, value: object, default: float) -> float:
    """Return *value* checked as a rate, or *default* for None."""
    if value is None:
        return default
    expected = "a finite number >= 0"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise wrong_type(name, value, expected)
    if not (math.isfinite(value) and value >= 0):
        raise wrong_value(name, value, expected)
    return float(value)


# The shortest and longest durations a knob may take: a second, and a year,
# far beyond any log's span and small enough that clock arithmetic in
# milliseconds stays exact.
SHORTEST: Final = timedelta(seconds=1)
LONGEST: Final = timedelta(days=366)


def _duration(name: str, value: object, default_ms: int) -> int:
    """Return *value* checked, in milliseconds, or *default_ms* for None."""
    if value is None:
        return default_ms
    expected = "a timedelta from 1 second to 366 days"
    if not isinstance(value, timedelta):
        raise wrong_type(name, value, expected)
    if not SHORTEST <= value <= LONGEST:
        raise wrong_value(name, value, expected)
    return value // timedelta(milliseconds=1)


class Knobs:
    __slots__ = ("faults_per_day", "heartbeat_ms", "mean_outage_ms", "sessions_per_day")

    def __init__(
        self,
        *,
        sessions_per_day: float,
        faults_per_day: float,
        mean_outage_ms: int,
        heartbeat_ms: int,
    ) -> None:
        self.sessions_per_day = sessions_per_day
        self.faults_per_day = faults_per_day
        self.mean_outage_ms = mean_outage_ms
        self.heartbeat_ms = heartbeat_ms


Profile = Literal["realistic", "stress"]
"""A named set of defaults for the knobs of :func:`evstatus.testing.generate_log`."""

# The knobs' defaults, per profile. "realistic": ports up about 98% of the
# time, outages of minutes to hours, a heartbeat every 5 minutes, the
# intervals OCPP deployments commonly use. "stress": sessions every few
# minutes and outages every half hour or so, short ones, so that reports,
# state changes and every kind of line dominate the log.
PROFILES: Final[dict[str, Knobs]] = {
    "realistic": Knobs(
        sessions_per_day=6.0,
        faults_per_day=0.3,
        mean_outage_ms=60 * _MINUTE_MS,
        heartbeat_ms=5 * _MINUTE_MS,
    ),
    "stress": Knobs(
        sessions_per_day=150.0,
        faults_per_day=40.0,
        mean_outage_ms=5 * _MINUTE_MS,
        heartbeat_ms=30 * _MINUTE_MS,
    ),
}


class _Port:
    """A connector, or the main controller (connector 0), of a station."""

    __slots__ = ("code", "last_stamp_ms", "state", "token")

    def __init__(self) -> None:
        self.state = _CPS.AVAILABLE
        self.code = _NO_ERROR
        self.last_stamp_ms = 0
        # Bumped whenever a pending session step or repair must be dropped.
        self.token = 0


class _Station:
    __slots__ = (
        "back_ms",
        "connected",
        "enabled",
        "heartbeat_token",
        "last_sent_ms",
        "messages",
        "name",
        "ports",
        "zone",
    )

    def __init__(self, name: str, connectors: int, zone: timezone) -> None:
        self.name = name
        self.zone = zone
        self.connected = False
        self.enabled = True
        # When its link comes back, while it is down.
        self.back_ms = 0
        self.messages = 0
        self.last_sent_ms = 0
        self.heartbeat_token = 0
        # Index 0 is the main controller, 1 and up the connectors.
        self.ports = [_Port() for _ in range(connectors + 1)]


# An event: (time, sequence number, station index, what, port, token). The
# sequence number orders events of the same time as they were queued.
_Event = tuple[int, int, int, _Do, int, int]


class _Simulation:
    def __init__(
        self,
        seed: int,
        stations: int,
        connectors: int,
        start: datetime,
        knobs: Knobs,
    ) -> None:
        # Only random() is used: Python promises its sequence for a seed on
        # every version, and not that of choice(), expovariate() and the rest.
        self.random = Random(seed).random  # noqa: S311  (test data, not secrets)
        width = max(5, len(str(stations)))
        self.stations = [
            _Station(
                f"CP-{number:0{width}d}",
                connectors,
                timezone(
                    timedelta(
                        minutes=_STATION_OFFSETS[(number - 1) % len(_STATION_OFFSETS)]
                    )
                ),
            )
            for number in range(1, stations + 1)
        ]
        self.start = start
        self.knobs = knobs
        self.clock_ms = 0
        # The last moment a receive time may name: a day before the end of
        # what datetime holds, so that no local offset overflows it either.
        self.last_ms = (_LAST - start) // timedelta(milliseconds=1)
        self.queue: list[_Event] = []
        self.queued = 0
        # The stations connect within about a minute, whatever their number.
        self.connect_gap_ms = max(1, _MINUTE_MS // stations)
        # Mean times between events, in milliseconds; None: never.
        faults = knobs.faults_per_day
        self.idle_ms = _mean_gap(knobs.sessions_per_day)
        self.fault_ms = _mean_gap(faults)
        self.warning_ms = _mean_gap(faults * _WARNINGS_PER_FAULT)
        self.main_outage_ms = _mean_gap(faults * _MAIN_OUTAGES_PER_FAULT)
        self.disconnect_ms = _mean_gap(faults * _DISCONNECTS_PER_FAULT)
        self.disabling_ms = _mean_gap(faults * _DISABLINGS_PER_FAULT)

    # --- chance -------------------------------------------------------------

    def below(self, number: int) -> int:
        return int(self.random() * number)

    def wait(self, mean_ms: float, least_ms: int = 1) -> int:
        """Draw an exponential wait of mean *mean_ms*, at least *least_ms*."""
        # 1 - random() is in (0, 1], so its logarithm is finite; a rate of
        # nearly nothing makes a mean beyond any log, cut to the horizon.
        extra = max(0.0, mean_ms - least_ms) * -math.log(1.0 - self.random())
        return least_ms + int(min(extra, _HORIZON_MS))

    # --- the queue ----------------------------------------------------------

    def push(
        self, at_ms: int, station: int, do: _Do, port: int = 0, token: int = 0
    ) -> None:
        self.queued += 1
        heapq.heappush(self.queue, (at_ms, self.queued, station, do, port, token))

    def later(
        self, mean_ms: float | None, station: int, do: _Do, port: int = 0
    ) -> None:
        """Queue *do* after a wait of mean *mean_ms* from now; never if None."""
        if mean_ms is not None:
            self.push(self.clock_ms + self.wait(mean_ms), station, do, port)

    # --- the run ------------------------------------------------------------

    def run(self, lines: int) -> Iterator[str]:
        for index, station in enumerate(self.stations):
            self.check_clock(lines, index)
            station.connected = True
            yield self.event(station, "connected")
            self.heartbeat_later(index, station)
            self.clock_ms += 1 + self.below(2 * self.connect_gap_ms)
        booted = self.clock_ms
        ports = len(self.stations[0].ports)
        for index in range(len(self.stations)):
            boot_ms = booted + self.below(_BOOT_WINDOW_MS)
            for port in range(ports):
                self.push(boot_ms + port * _SECOND_MS, index, _Do.BOOT, port)
            for mean_ms, do in (
                (self.disconnect_ms, _Do.DISCONNECT),
                (self.disabling_ms, _Do.DISABLE),
            ):
                if mean_ms is not None:
                    self.push(boot_ms + self.wait(mean_ms), index, do)
        written = len(self.stations)
        while written < lines:
            at_ms, _, index, do, port, token = heapq.heappop(self.queue)
            # Receive times only move on, however close two events fall.
            self.clock_ms = max(at_ms, self.clock_ms + 1)
            self.check_clock(lines, written)
            line = self.happen(index, do, port, token)
            if line is not None:
                written += 1
                yield line

    def check_clock(self, lines: int, written: int) -> None:
        if self.clock_ms > self.last_ms:
            raise ValueError(
                f"lines: got {lines}, expected few enough for the log to end by "
                f"{write_timestamp(_LAST)} (it got there after {written} lines; "
                "start earlier or shorten heartbeat_interval)"
            )

    def happen(  # noqa: C901, PLR0911, PLR0912  (one branch per kind of event)
        self, index: int, do: _Do, port: int, token: int
    ) -> str | None:
        station = self.stations[index]
        if do in _SENT and not station.connected:
            # Held back by the station until its link is back.
            self.push(
                station.back_ms + 1 + self.below(_CATCH_UP_MS), index, do, port, token
            )
            return None
        held = station.ports[port]
        if do is _Do.BOOT:
            line = self.report(station, port, _CPS.AVAILABLE)
            self.settle(index, port)
            if port:
                # One chain of warnings per connector, for its whole life.
                self.later(self.warning_ms, index, _Do.WARN, port)
            return line
        if do is _Do.STEP:
            if token != held.token:
                return None
            _, choices = SESSION[held.state]
            line = self.report(station, port, self.pick(choices))
            self.step_later(index, port)
            return line
        if do is _Do.BREAK:
            return self.breakdown(index, port)
        if do is _Do.REPAIR:
            # Always current: only a breakdown moves the token, and a port
            # that is down does not break down again before its repair.
            line = self.report(station, port, _CPS.AVAILABLE)
            self.settle(index, port)
            return line
        if do is _Do.WARN:
            self.later(self.warning_ms, index, _Do.WARN, port)
            if held.state in _DOWN or held.code is not _NO_ERROR:
                return None
            line = self.report(station, port, held.state, self.fault_code())
            self.push(
                self.clock_ms + self.wait(_WARNING_MS, _SHORTEST_MS),
                index,
                _Do.CLEAR,
                port,
            )
            return line
        if do is _Do.CLEAR:
            # A session step or an outage since the warning has cleared it.
            if held.state in _DOWN or held.code is _NO_ERROR:
                return None
            return self.report(station, port, held.state)
        if do is _Do.HEARTBEAT:
            return self.heartbeat(index, station, token)
        if do is _Do.DISCONNECT:
            station.connected = False
            offline_ms = self.wait(
                self.knobs.mean_outage_ms * _OFFLINE_SHARE, _SHORTEST_MS
            )
            station.back_ms = self.clock_ms + offline_ms
            self.push(station.back_ms, index, _Do.RECONNECT)
            return self.event(station, "disconnected")
        if do is _Do.RECONNECT:
            station.connected = True
            self.heartbeat_later(index, station)
            self.later(self.disconnect_ms, index, _Do.DISCONNECT)
            return self.event(station, "connected")
        if do is _Do.DISABLE:
            station.enabled = False
            self.push(
                self.clock_ms + self.wait(self.knobs.mean_outage_ms, _SHORTEST_MS),
                index,
                _Do.ENABLE,
            )
            return self.event(station, "disabled")
        station.enabled = True
        self.later(self.disabling_ms, index, _Do.DISABLE)
        return self.event(station, "enabled")

    def settle(self, index: int, port: int) -> None:
        """Resume a port's sessions (not the main controller's) and breakdowns."""
        if port:
            self.step_later(index, port)
        self.later(
            self.fault_ms if port else self.main_outage_ms, index, _Do.BREAK, port
        )

    def step_later(self, index: int, port: int) -> None:
        held = self.stations[index].ports[port]
        mean_minutes, _ = SESSION[held.state]
        mean_ms = self.idle_ms if mean_minutes is None else mean_minutes * _MINUTE_MS
        if mean_ms is not None:
            self.push(
                self.clock_ms + self.wait(mean_ms, _SECOND_MS),
                index,
                _Do.STEP,
                port,
                held.token,
            )

    def breakdown(self, index: int, port: int) -> str:
        station = self.stations[index]
        held = station.ports[port]
        # Unavailable (taken out of service) where OCPP allows it from the
        # state the port is in, which is up: from any but Preparing (the main
        # controller is always Available when it breaks down). Faulted, with
        # an error code, otherwise.
        faulted = self.random() < _FAULTED_SHARE or held.state is _CPS.PREPARING
        held.token += 1
        self.push(
            self.clock_ms + self.wait(self.knobs.mean_outage_ms, _SHORTEST_MS),
            index,
            _Do.REPAIR,
            port,
            held.token,
        )
        if faulted:
            return self.report(station, port, _CPS.FAULTED, self.fault_code())
        return self.report(station, port, _CPS.UNAVAILABLE)

    def pick(
        self, choices: tuple[tuple[ChargePointStatus, int], ...]
    ) -> ChargePointStatus:
        draw = self.random() * sum(weight for _, weight in choices)
        for state, weight in choices[:-1]:
            if draw < weight:
                return state
            draw -= weight
        return choices[-1][0]

    def fault_code(self) -> ChargePointErrorCode:
        return _FAULT_CODES[self.below(len(_FAULT_CODES))]

    # --- lines --------------------------------------------------------------

    def heartbeat_later(self, index: int, station: _Station) -> None:
        station.heartbeat_token += 1
        station.last_sent_ms = self.clock_ms
        self.push(
            self.clock_ms + self.knobs.heartbeat_ms,
            index,
            _Do.HEARTBEAT,
            token=station.heartbeat_token,
        )

    def heartbeat(self, index: int, station: _Station, token: int) -> str | None:
        if token != station.heartbeat_token or not station.connected:
            return None
        due_ms = station.last_sent_ms + self.knobs.heartbeat_ms
        if due_ms > self.clock_ms:
            # The station has sent something since: a heartbeat is due later.
            self.push(due_ms, index, _Do.HEARTBEAT, token=token)
            return None
        station.messages += 1
        line = self.frame(station, [2, str(station.messages), "Heartbeat", {}])
        self.heartbeat_later(index, station)
        return line

    def report(
        self,
        station: _Station,
        connector: int,
        status: ChargePointStatus,
        code: ChargePointErrorCode = _NO_ERROR,
    ) -> str:
        held = station.ports[connector]
        held.state = status
        held.code = code
        stamped_ms = max(
            held.last_stamp_ms, self.clock_ms - self.below(_LARGEST_DELAY_MS)
        )
        held.last_stamp_ms = stamped_ms
        stamped = self.start + timedelta(
            milliseconds=stamped_ms - stamped_ms % _SECOND_MS
        )
        station.messages += 1
        station.last_sent_ms = self.clock_ms
        payload = {
            "connectorId": connector,
            "errorCode": code.value,
            "status": status.value,
            "timestamp": write_timestamp(stamped.astimezone(station.zone)),
        }
        return self.frame(
            station, [2, str(station.messages), "StatusNotification", payload]
        )

    def received(self) -> str:
        moment = (self.start + timedelta(milliseconds=self.clock_ms)).astimezone(UTC)
        return write_timestamp(moment, fraction=f".{moment.microsecond // 1000:03d}")

    def event(self, station: _Station, event: str) -> str:
        return json.dumps(
            {"station": station.name, "received": self.received(), "event": event}
        )

    def frame(self, station: _Station, frame: list[object]) -> str:
        return json.dumps(
            {"station": station.name, "received": self.received(), "frame": frame}
        )


def _mean_gap(per_day: float) -> float | None:
    """Return the mean wait between events *per_day* times a day; None: never."""
    return _DAY_MS / per_day if per_day > 0 else None
