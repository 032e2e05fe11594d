"""Folding a log of many stations, line by line, into their states.

Memory grows with the number of stations, never with the number of lines: each
station keeps one :class:`StationState` (itself bounded) and, when changes are
wanted, its last :class:`StationView`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final, cast

import attrs

from ._history import Anomaly, PlatformEvent, StationState
from ._log import LogEntry, read_line
from ._online import DEFAULT_HEARTBEAT_TOLERANCE
from ._report import ConnectorReport
from ._station import StationView
from ._transitions import classify_transition

__all__ = ["Change", "Replay"]

_NEW: Final = StationState()


@attrs.frozen(kw_only=True)
class Change:
    """What one line changed about one station."""

    line: int
    time: datetime | None
    """The receive time, else the report's own timestamp, else None."""
    station: str
    event: str
    """What happened, in a few words."""
    state: StationState
    view: StationView
    anomalies: tuple[Anomaly, ...]
    """The anomalies this line caused."""


@attrs.define(kw_only=True)
class Replay:
    """Reads lines of a log and keeps the state of every station in it."""

    default_station: str = "default"
    heartbeat_interval: timedelta | None = None
    tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE
    states: dict[str, StationState] = attrs.field(factory=dict[str, StationState])
    clock: datetime | None = None
    """The latest receive time seen on any line: "now", for the heartbeat check."""
    _views: dict[str, StationView] = attrs.field(
        factory=dict[str, StationView], init=False
    )

    def read_changes(self, number: int, line: str) -> Change | None:
        """Apply one line and say what it changed, if anything but the time."""
        entry, station, before, after = self.read(line)
        if after is before:
            return None
        old_view = self._views.get(station) or self._view(before)
        new_view = self._view(after)
        self._views[station] = new_view
        new_anomalies = after.anomaly_count - before.anomaly_count
        if (
            new_view == old_view
            and not new_anomalies
            and after.reports is before.reports
            and _flags(after) == _flags(before)
        ):
            return None
        anomalies = after.recent_anomalies[
            len(after.recent_anomalies) - new_anomalies :
        ]
        return Change(
            line=number,
            time=entry[1] or _report_time(before, after),
            station=station,
            event=_describe(entry, before, after, anomalies),
            state=after,
            view=new_view,
            anomalies=anomalies,
        )

    def views(self) -> Mapping[str, StationView]:
        """Each station's view now, "now" being :attr:`clock`, by station id."""
        return {
            station: self._view(self.states[station]) for station in sorted(self.states)
        }

    def _view(self, state: StationState) -> StationView:
        if self.heartbeat_interval is None or self.clock is None:
            return state.view()
        return state.view(
            now=self.clock,
            heartbeat_interval=self.heartbeat_interval,
            tolerance=self.tolerance,
        )

    def read(self, line: str) -> tuple[LogEntry, str, StationState, StationState]:
        """Apply one line; raise :class:`InvalidReport` (nothing applied) if it is bad.

        Returns what the line said, the station, and its state before and after.
        """
        entry = read_line(line)
        station, received, kind, value = entry
        if station is None:
            station = self.default_station
        before = self.states.get(station, _NEW)
        if kind == "status":
            after = before.apply_ocpp(value, at=received)
        elif kind == "event":
            after = before.apply(cast("PlatformEvent", value), at=received)
        elif kind == "heard":
            after = before.apply(PlatformEvent.HEARD, at=received)
        else:
            after = before
        if received is not None and (self.clock is None or received > self.clock):
            self.clock = received
        self.states[station] = after
        return entry, station, before, after


def _flags(state: StationState) -> tuple[bool, bool, bool]:
    return state.enabled, state.removed, state.connected


def _report_time(before: StationState, after: StationState) -> datetime | None:
    changed = _changed_report(before, after)
    return None if changed is None else changed.timestamp


def _changed_report(
    before: StationState, after: StationState
) -> ConnectorReport | None:
    if after.reports is before.reports:
        return None
    for connector_id, report in after.reports.items():
        if before.reports.get(connector_id) is not report:
            return report
    return None  # pragma: no cover  (a new mapping always holds a new report)


def _describe(
    entry: LogEntry,
    before: StationState,
    after: StationState,
    anomalies: tuple[Anomaly, ...],
) -> str:
    parts: list[str] = []
    report = _changed_report(before, after)
    _, _, kind, value = entry
    if report is not None:
        parts.append(_describe_report(report, before.reports.get(report.connector_id)))
    elif kind == "event":
        parts.append(str(value))
    elif kind == "heard":
        parts.append(f"{value} received")
    if after.connected and not before.connected and kind != "event":
        parts.append("station connected")
    parts.extend(f"anomaly: {anomaly}" for anomaly in anomalies)
    return "; ".join(parts)


def _describe_report(report: ConnectorReport, previous: ConnectorReport | None) -> str:
    head = f"connector {report.connector_id}"
    if previous is None:
        text = f"{head} {report.status}"
    elif previous.status is report.status:
        text = f"{head} {report.status} again"
    else:
        transition = classify_transition(
            previous.status, report.status, connector_id=report.connector_id
        )
        code = "undefined" if transition is None else transition.code
        text = f"{head} {previous.status} -> {report.status} ({code})"
    if report.error_code.value != "NoError":
        text += f", error {report.error_code}"
    return text
