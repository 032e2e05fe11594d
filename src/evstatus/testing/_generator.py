"""A deterministic generator of realistic multi-station logs, in plain Python."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from random import Random
from typing import Final

from evstatus._enums import ChargePointErrorCode, ChargePointStatus
from evstatus._errors import to_utc, wrong_type, wrong_value
from evstatus._payload import is_int
from evstatus.rules import CONNECTOR_ZERO_TRANSITIONS, TRANSITIONS, Transition
from evstatus.testing._writing import write_timestamp

__all__ = ["DEFAULT_START", "generate_log"]

DEFAULT_START: Final = datetime(2026, 6, 1, tzinfo=UTC)
"""Where a generated log's clock starts unless told otherwise."""

_CPS = ChargePointStatus
_NO_ERROR: Final = ChargePointErrorCode.NO_ERROR
_FAULT_CODES: Final = tuple(
    code for code in ChargePointErrorCode if code is not _NO_ERROR
)
# How often each kind of line comes, once a station is up: cumulative shares.
_TRANSITION: Final = 0.70
_WARNING: Final = 0.74
_CONNECTOR_ZERO: Final = 0.77
_HEARTBEAT: Final = 0.91
_DISCONNECT: Final = 0.95
# The main controller mostly says Available again, and a station is rarely
# switched off on the platform: the chances, when either comes up.
_ZERO_LEAVES_AVAILABLE: Final = 0.25
_DISABLING: Final = 0.1
# Breakdowns and switch-offs are rarer than the steps of a charging session.
_WEIGHTS: Final = {_CPS.FAULTED: 1, _CPS.UNAVAILABLE: 1}
_USUAL_WEIGHT: Final = 6
# Some stations keep their clock in local time; the offsets, in minutes, that
# stations are given in turn.
_STATION_OFFSETS: Final = (0, 0, 120, 0, -300, 330)
# A report's own timestamp is up to this many milliseconds before its receipt.
_LARGEST_DELAY_MS: Final = 1000
_SECOND_MS: Final = 1000


def _weighted(
    table: dict[str, Transition],
) -> dict[ChargePointStatus, tuple[tuple[float, ...], tuple[Transition, ...]]]:
    """Each state -> cumulative shares and the transitions leaving it."""
    result: dict[
        ChargePointStatus, tuple[tuple[float, ...], tuple[Transition, ...]]
    ] = {}
    for state in ChargePointStatus:
        leaving = tuple(t for t in table.values() if t.source is state)
        if not leaving:
            continue
        weights = [_WEIGHTS.get(t.target, _USUAL_WEIGHT) for t in leaving]
        total = sum(weights)
        shares: list[float] = []
        running = 0
        for weight in weights:
            running += weight
            shares.append(running / total)
        result[state] = (tuple(shares), leaving)
    return result


_CONNECTOR_CHOICES: Final = _weighted(dict(TRANSITIONS))
_ZERO_CHOICES: Final = _weighted(dict(CONNECTOR_ZERO_TRANSITIONS))


def generate_log(
    *,
    seed: int,
    stations: int,
    lines: int,
    connectors: int = 2,
    start: datetime = DEFAULT_START,
) -> Iterator[str]:
    """Return the lines of a realistic JSON Lines log, the same for the same arguments.

    The log is what a platform would record of *stations* stations (named
    ``CP-00001`` and up) with *connectors* connectors each, in the envelope
    format ``evstatus replay`` reads (see the history and CLI page): exactly
    *lines* lines, without newlines, with receive times rising from *start*
    by about a minute per station. Each station connects first (the first
    *stations* lines), then reports every connector Available, connector 0
    first. After that a station's lines are, in decreasing order of
    frequency: StatusNotifications that follow the transitions OCPP 1.6
    defines (about 70%; a fault with an error code now and then), heartbeats,
    warnings (an error code on a connector that still works), its main
    controller's reports (mostly Available again, sometimes Unavailable or
    Faulted), disconnects (followed, when it is next heard of, by a
    reconnect), and being disabled (rarely) and enabled again on the platform.

    Report timestamps are whole seconds, some in a station's local offset,
    never after the receipt nor before the connector's previous report, so
    a replay finds no bad lines and no anomalies.

    The same arguments give the same lines on every Python version: the only
    randomness is ``random.Random.random`` seeded with *seed*, whose
    sequence Python guarantees. Raises :class:`~evstatus.InvalidReport` for a
    bad argument.

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
    return _Simulation(seed, stations, connectors, start).run(lines)


def _check_count(
    name: str, value: object, least: int | None, floor: str | None = None
) -> None:
    if is_int(value) and (least is None or value >= least):
        return
    expected = "an int" if least is None else f"an int >= {floor or least}"
    if not is_int(value):
        raise wrong_type(name, value, expected)
    raise wrong_value(name, value, expected)


class _Station:
    __slots__ = (
        "connected",
        "enabled",
        "error_codes",
        "last_report_ms",
        "messages",
        "name",
        "pending",
        "states",
        "zone",
    )

    def __init__(self, name: str, connectors: int, zone: timezone) -> None:
        self.name = name
        self.zone = zone
        self.connected = False
        self.enabled = True
        self.messages = 0
        # Index 0 is the main controller, 1 and up the connectors.
        self.states = [_CPS.AVAILABLE] * (connectors + 1)
        self.error_codes = [_NO_ERROR] * (connectors + 1)
        self.last_report_ms = [0] * (connectors + 1)
        # The connectors it reports on booting, in reverse order of sending.
        self.pending = list(range(connectors, -1, -1))


class _Simulation:
    def __init__(
        self, seed: int, stations: int, connectors: int, start: datetime
    ) -> None:
        # Only random() is used: Python promises its sequence for a seed on
        # every version, and not that of choice(), randrange() and the rest.
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
        self.clock_ms = 0
        # About one line a minute from each station.
        self.mean_gap_ms = max(1, 60_000 // stations)

    def below(self, number: int) -> int:
        return int(self.random() * number)

    def run(self, lines: int) -> Iterator[str]:
        for station in self.stations[:lines]:
            station.connected = True
            yield self.event(station, "connected")
            self.tick()
        for _ in range(lines - len(self.stations)):
            yield self.line(self.stations[self.below(len(self.stations))])
            self.tick()

    def tick(self) -> None:
        self.clock_ms += 1 + self.below(2 * self.mean_gap_ms)

    def line(self, station: _Station) -> str:  # noqa: C901, PLR0911  (one branch per kind of line)
        if not station.connected:
            station.connected = True
            return self.event(station, "connected")
        if station.pending:
            return self.report(station, station.pending.pop(), _CPS.AVAILABLE)
        draw = self.random()
        if draw < _TRANSITION:
            return self.transition(station, 1 + self.below(len(station.states) - 1))
        if draw < _WARNING:
            return self.warning(station, 1 + self.below(len(station.states) - 1))
        if draw < _CONNECTOR_ZERO:
            if (
                station.states[0] is _CPS.AVAILABLE
                and self.random() >= _ZERO_LEAVES_AVAILABLE
            ):
                return self.report(station, 0, _CPS.AVAILABLE)
            return self.transition(station, 0)
        if draw < _HEARTBEAT:
            return self.heartbeat(station)
        if draw < _DISCONNECT:
            station.connected = False
            return self.event(station, "disconnected")
        if not station.enabled:
            station.enabled = True
            return self.event(station, "enabled")
        if self.random() < _DISABLING:
            station.enabled = False
            return self.event(station, "disabled")
        return self.heartbeat(station)

    def heartbeat(self, station: _Station) -> str:
        station.messages += 1
        return self.frame(station, [2, str(station.messages), "Heartbeat", {}])

    def transition(self, station: _Station, connector: int) -> str:
        choices = _ZERO_CHOICES if connector == 0 else _CONNECTOR_CHOICES
        shares, leaving = choices[station.states[connector]]
        draw = self.random()
        # The last share is 1.0, so a draw (always below 1) finds one.
        chosen = next(
            t for share, t in zip(shares, leaving, strict=True) if draw < share
        )
        target = chosen.target
        code = (
            _FAULT_CODES[self.below(len(_FAULT_CODES))]
            if target is _CPS.FAULTED
            else _NO_ERROR
        )
        return self.report(station, connector, target, code)

    def warning(self, station: _Station, connector: int) -> str:
        status = station.states[connector]
        if status is _CPS.FAULTED:
            # A faulted connector has its error already; it may recover instead.
            return self.transition(station, connector)
        code = (
            _FAULT_CODES[self.below(len(_FAULT_CODES))]
            if station.error_codes[connector] is _NO_ERROR
            else _NO_ERROR
        )
        return self.report(station, connector, status, code)

    def report(
        self,
        station: _Station,
        connector: int,
        status: ChargePointStatus,
        code: ChargePointErrorCode = _NO_ERROR,
    ) -> str:
        station.states[connector] = status
        station.error_codes[connector] = code
        stamped_ms = max(
            station.last_report_ms[connector],
            self.clock_ms - self.below(_LARGEST_DELAY_MS),
        )
        station.last_report_ms[connector] = stamped_ms
        stamped = self.start + timedelta(
            milliseconds=stamped_ms - stamped_ms % _SECOND_MS
        )
        station.messages += 1
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
