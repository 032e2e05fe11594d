"""A station's state, folded purely from its stream of reports and platform events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from types import MappingProxyType
from typing import Final, cast

import attrs

from ._enums import CONNECTOR_ZERO_STATUSES, ChargePointStatus
from ._errors import InvalidReport, Problem, bad_argument
from ._online import DEFAULT_HEARTBEAT_TOLERANCE, is_online
from ._report import ConnectorReport
from ._station import StationView, derive_station, supersedes
from ._timestamps import parse_timestamp
from ._transitions import pair_tables

__all__ = [
    "KEPT_ANOMALIES",
    "Anomaly",
    "AnomalyKind",
    "PlatformEvent",
    "StationState",
]

KEPT_ANOMALIES: Final = 20
"""How many of its most recent anomalies a :class:`StationState` keeps in full.

Older ones are still counted in ``anomaly_counts``; keeping them all would let a
misbehaving station grow the state without bound.
"""


class PlatformEvent(StrEnum):
    """Something the platform, not a connector report, tells about a station."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    HEARD = "heard"
    ENABLED = "enabled"
    DISABLED = "disabled"
    REMOVED = "removed"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this event means."""
        return _EVENT_DESCRIPTIONS[self]


_EVENT_DESCRIPTIONS: Final[Mapping[PlatformEvent, str]] = MappingProxyType(
    {
        PlatformEvent.CONNECTED: "The station opened its connection to the platform.",
        PlatformEvent.DISCONNECTED: "The station's connection closed or was lost.",
        PlatformEvent.HEARD: (
            "A heartbeat or any other message came in from the station."
        ),
        PlatformEvent.ENABLED: "An operator switched the station on, on the platform.",
        PlatformEvent.DISABLED: (
            "An operator switched the station off, on the platform."
        ),
        PlatformEvent.REMOVED: "The station was taken off the platform for good.",
    }
)


class AnomalyKind(StrEnum):
    """A way a station's stream of reports can go against what OCPP expects."""

    UNDEFINED_TRANSITION = "undefined_transition"
    LATE_DELIVERY = "late_delivery"
    DUPLICATE = "duplicate"
    CONNECTOR_ZERO_STATUS = "connector_zero_status"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this anomaly is and what was done."""
        return _ANOMALY_DESCRIPTIONS[self]


_ANOMALY_DESCRIPTIONS: Final[Mapping[AnomalyKind, str]] = MappingProxyType(
    {
        AnomalyKind.UNDEFINED_TRANSITION: (
            "A change of state OCPP 1.6 does not define; the new state is kept."
        ),
        AnomalyKind.LATE_DELIVERY: (
            "A report older than the one already held; it is ignored."
        ),
        AnomalyKind.DUPLICATE: (
            "The very report already held, sent again; nothing changes."
        ),
        AnomalyKind.CONNECTOR_ZERO_STATUS: (
            "Connector 0 reported a state only other connectors may have; ignored."
        ),
    }
)


@attrs.frozen(kw_only=True)
class Anomaly:
    """One anomaly seen while folding a station's stream."""

    kind: AnomalyKind
    connector_id: int
    status: ChargePointStatus
    """The state the offending report gave."""
    previous: ChargePointStatus | None = None
    """The state held for the connector before it, if any."""
    timestamp: datetime | None = None
    """The offending report's own timestamp, if it had one."""
    at: datetime | None = None
    """When the platform received the report, if known."""

    def __str__(self) -> str:
        if self.kind is AnomalyKind.UNDEFINED_TRANSITION:
            what = f"undefined transition {self.previous} -> {self.status}"
        elif self.kind is AnomalyKind.LATE_DELIVERY:
            what = f"late {self.status} report ignored (holding {self.previous})"
        elif self.kind is AnomalyKind.DUPLICATE:
            what = f"duplicate {self.status} report"
        else:
            what = f"status {self.status} is not allowed on connector 0; ignored"
        return f"connector {self.connector_id}: {what}"


_NO_REPORTS: Final[Mapping[int, ConnectorReport]] = MappingProxyType({})
_NO_COUNTS: Final[Mapping[AnomalyKind, int]] = MappingProxyType({})


@attrs.frozen(kw_only=True)
class StationState:
    """What is known about one station after some stream of reports and events.

    Immutable: :meth:`StationState.apply` returns a new state and leaves this
    one alone. A new state has heard nothing: no reports, not connected, enabled and not
    removed.

    >>> from evstatus import ConnectorReport, PlatformEvent, StationState
    >>> from evstatus import ChargePointStatus as S
    >>> state = StationState().apply(PlatformEvent.CONNECTED)
    >>> state = state.apply(ConnectorReport(connector_id=1, status=S.CHARGING))
    >>> state.view().status
    <StationStatus.CHARGING: 'Charging'>
    >>> state.apply(PlatformEvent.DISABLED).view().status
    <StationStatus.INOPERATIVE: 'Inoperative'>
    """

    reports: Mapping[int, ConnectorReport] = attrs.field(
        default=_NO_REPORTS, hash=False, repr=lambda m: repr(dict(m))
    )
    """The report that counts for each connector id (the SPEC's latest-report rule)."""
    enabled: bool = True
    """False after ``PlatformEvent.DISABLED``, until ENABLED."""
    removed: bool = False
    """True for good after ``PlatformEvent.REMOVED``."""
    connected: bool = False
    """Whether the station's connection is up: it was heard from since it last
    disconnected."""
    last_heard: datetime | None = None
    """The latest receive time of anything heard from the station, if known."""
    anomaly_counts: Mapping[AnomalyKind, int] = attrs.field(
        default=_NO_COUNTS, hash=False, repr=lambda m: repr(dict(m))
    )
    """How many anomalies of each kind were seen (kinds never seen are left out)."""
    recent_anomalies: tuple[Anomaly, ...] = ()
    """The latest :data:`KEPT_ANOMALIES` anomalies, oldest first."""

    @property
    def anomaly_count(self) -> int:
        """How many anomalies were seen in all."""
        return sum(self.anomaly_counts.values())

    def apply(
        self, item: ConnectorReport | PlatformEvent, *, at: datetime | None = None
    ) -> StationState:
        """Return the state after *item*, received (or observed) at *at* if known.

        A report, like any message, also counts as hearing from the station.
        """
        _check_time(at)
        if isinstance(item, ConnectorReport):
            return self._apply_report(item, at)
        if isinstance(item, PlatformEvent):
            return self._apply_event(item, at)
        raise bad_argument("item", item, "a ConnectorReport or a PlatformEvent member")

    def apply_ocpp(
        self, payload: object, *, at: datetime | None = None
    ) -> StationState:
        """Parse a StatusNotification payload and apply it, received at *at*.

        A payload whose only fault is a state connector 0 may not report is
        recorded as an anomaly (and as hearing from the station) instead of
        being refused; any other bad payload raises :class:`InvalidReport`.
        """
        _check_time(at)
        try:
            report = ConnectorReport.from_ocpp(payload)
        except InvalidReport as error:
            anomaly = _connector_zero_anomaly(payload, error, at)
            if anomaly is None:
                raise
            return _noting(_hearing(self, at), anomaly)
        return self._apply_report(report, at)

    def apply_all(
        self, items: Iterable[ConnectorReport | PlatformEvent]
    ) -> StationState:
        """Return the state after applying each of *items* in turn, times unknown."""
        state = self
        for item in items:
            state = state.apply(item)
        return state

    def online(
        self,
        *,
        now: datetime | None = None,
        heartbeat_interval: timedelta | None = None,
        tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
    ) -> bool:
        """Whether the station counts as online.

        It must be connected. If a *heartbeat_interval* is given, *now* must be
        too, and a station whose last receive time is known must also pass
        :func:`is_online`; with no receive time known the connection alone
        decides.
        """
        if heartbeat_interval is None:
            return self.connected
        if now is None:
            raise InvalidReport(
                [
                    Problem(
                        field="now",
                        value=None,
                        expected="a datetime, since heartbeat_interval is given",
                        missing=True,
                    )
                ],
                what="arguments",
            )
        if self.last_heard is None:
            # Validates the arguments all the same.
            is_online(
                None, now, heartbeat_interval=heartbeat_interval, tolerance=tolerance
            )
            return self.connected
        return self.connected and is_online(
            self.last_heard,
            now,
            heartbeat_interval=heartbeat_interval,
            tolerance=tolerance,
        )

    def view(
        self,
        *,
        now: datetime | None = None,
        heartbeat_interval: timedelta | None = None,
        tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
    ) -> StationView:
        """Derive the station's status from this state.

        See :meth:`StationState.online` for how ``now`` and the heartbeat decide
        whether the station counts as connected.
        """
        online = self.online(
            now=now, heartbeat_interval=heartbeat_interval, tolerance=tolerance
        )
        return derive_station(
            self.reports.values(),
            online=online,
            enabled=self.enabled,
            removed=self.removed,
        )

    def _apply_report(
        self, report: ConnectorReport, at: datetime | None
    ) -> StationState:
        # The hot path of a replay: one new state per report, built directly.
        reports = self.reports
        previous = reports.get(report.connector_id)
        anomaly = None if previous is None else _report_anomaly(report, previous, at)
        if anomaly is not None and anomaly.kind is AnomalyKind.DUPLICATE:
            # Most likely the transport delivering one message twice, so not
            # evidence of a new contact either: only the anomaly is recorded.
            return _noting(self, anomaly)
        last = self.last_heard
        if at is not None and (last is None or at > last):
            last = at
        if anomaly is None or anomaly.kind is AnomalyKind.UNDEFINED_TRANSITION:
            changed = dict(reports)
            changed[report.connector_id] = report
            reports = MappingProxyType(changed)
        state = _make(
            reports,
            self.enabled,
            self.removed,
            True,  # noqa: FBT003  (hearing from a station means it is connected)
            last,
            self.anomaly_counts,
            self.recent_anomalies,
        )
        return state if anomaly is None else _noting(state, anomaly)

    def _apply_event(self, event: PlatformEvent, at: datetime | None) -> StationState:
        if event is PlatformEvent.CONNECTED or event is PlatformEvent.HEARD:
            return _hearing(self, at)
        if event is PlatformEvent.DISCONNECTED:
            return _rebuild(self, connected=False)
        if event is PlatformEvent.ENABLED:
            return _rebuild(self, enabled=True)
        if event is PlatformEvent.DISABLED:
            return _rebuild(self, enabled=False)
        return _rebuild(self, removed=True)


def _hearing(state: StationState, at: datetime | None) -> StationState:
    last = state.last_heard
    if at is not None and (last is None or at > last):
        last = at
    if state.connected and last is state.last_heard:
        return state
    return _rebuild(state, connected=True, last_heard=last)


def _noting(state: StationState, anomaly: Anomaly) -> StationState:
    counts = dict(state.anomaly_counts)
    counts[anomaly.kind] = counts.get(anomaly.kind, 0) + 1
    recent = (*state.recent_anomalies[-(KEPT_ANOMALIES - 1) :], anomaly)
    return _rebuild(
        state, anomaly_counts=MappingProxyType(counts), recent_anomalies=recent
    )


def _report_anomaly(
    report: ConnectorReport, previous: ConnectorReport, at: datetime | None
) -> Anomaly | None:
    status = report.status
    previous_status = previous.status
    if not supersedes(report, previous):
        kind = AnomalyKind.LATE_DELIVERY
    elif status is not previous_status:
        table = _ZERO_BY_PAIR if report.connector_id == 0 else _BY_PAIR
        if (previous_status, status) in table:
            return None
        kind = AnomalyKind.UNDEFINED_TRANSITION
    elif report == previous:
        kind = AnomalyKind.DUPLICATE
    else:
        return None
    return Anomaly(
        kind=kind,
        connector_id=report.connector_id,
        status=status,
        previous=previous_status,
        timestamp=report.timestamp,
        at=at,
    )


_STATUS_BY_VALUE: Final = {member.value: member for member in ChargePointStatus}
_BY_PAIR, _ZERO_BY_PAIR = pair_tables()


def _connector_zero_anomaly(
    payload: object, error: InvalidReport, at: datetime | None
) -> Anomaly | None:
    """Return the anomaly if *error* is only about a state connector 0 may not have."""
    if not isinstance(payload, dict) or len(error.problems) != 1:
        return None
    fields = cast("dict[object, object]", payload)
    connector_id = fields.get("connectorId")
    raw_status = fields.get("status")
    if (
        error.problems[0].field != "status"
        or not isinstance(connector_id, int)
        or isinstance(connector_id, bool)
        or connector_id != 0
        or not isinstance(raw_status, str)
    ):
        return None
    status = _STATUS_BY_VALUE.get(str.__str__(raw_status))
    if status is None or status in CONNECTOR_ZERO_STATUSES:
        return None
    raw_timestamp = fields.get("timestamp")
    # The error was about the state alone, so a timestamp present is valid.
    timestamp = (
        parse_timestamp(str.__str__(raw_timestamp))
        if isinstance(raw_timestamp, str)
        else None
    )
    return Anomaly(
        kind=AnomalyKind.CONNECTOR_ZERO_STATUS,
        connector_id=0,
        status=status,
        timestamp=timestamp,
        at=at,
    )


# Folding a long stream builds one state per item; setting the slots directly
# skips attrs' __init__, whose work (defaults, checks) these helpers never need.
_SLOTS: Final = StationState.__dict__
_FIELD_NAMES: Final = tuple(field.name for field in attrs.fields(StationState))
_SETTERS: Final = tuple(_SLOTS[name].__set__ for name in _FIELD_NAMES)
(
    _set_reports,
    _set_enabled,
    _set_removed,
    _set_connected,
    _set_last_heard,
    _set_anomaly_counts,
    _set_recent_anomalies,
) = _SETTERS
_new = object.__new__


def _make(  # noqa: PLR0917  (one argument per slot, in slot order)
    reports: Mapping[int, ConnectorReport],
    enabled: bool,
    removed: bool,
    connected: bool,
    last_heard: datetime | None,
    anomaly_counts: Mapping[AnomalyKind, int],
    recent_anomalies: tuple[Anomaly, ...],
) -> StationState:
    state = _new(StationState)
    _set_reports(state, reports)
    _set_enabled(state, enabled)
    _set_removed(state, removed)
    _set_connected(state, connected)
    _set_last_heard(state, last_heard)
    _set_anomaly_counts(state, anomaly_counts)
    _set_recent_anomalies(state, recent_anomalies)
    return state


def _rebuild(state: StationState, **changes: object) -> StationState:
    fresh = _new(StationState)
    for name, setter in zip(_FIELD_NAMES, _SETTERS, strict=True):
        setter(fresh, changes[name] if name in changes else getattr(state, name))
    return fresh


def _check_time(at: datetime | None) -> None:
    moment: object = at
    if moment is None or (type(moment) is datetime and type(moment.tzinfo) is timezone):
        # The usual case, and a fixed offset is always an offset.
        return
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise bad_argument("at", at, "None or a timezone-aware datetime")
