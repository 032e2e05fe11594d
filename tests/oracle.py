"""An independent, deliberately naive reading of the connector and station rules.

The library keeps its rules as data tables; this module restates them as the
plain if-chains a reader of the rules in words would write, so that the exhaustive tests compare
two implementations written in different ways rather than one with itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evstatus import (
    ChargePointStatus as S,
)
from evstatus import (
    ConnectorReport,
    ConnectorStatus,
    Reason,
    StationStatus,
)


def expected_connector(
    status: S, *, online: bool, enabled: bool, removed: bool
) -> ConnectorStatus:
    if removed or not enabled or not online:
        return ConnectorStatus.UNAVAILABLE
    if status == S.AVAILABLE:
        return ConnectorStatus.AVAILABLE
    if status == S.FAULTED:
        return ConnectorStatus.FAULTED
    if status in (S.RESERVED, S.UNAVAILABLE):
        return ConnectorStatus.UNAVAILABLE
    return ConnectorStatus.OCCUPIED


def expected_latest(reports: list[ConnectorReport]) -> dict[int, ConnectorReport]:
    latest: dict[int, ConnectorReport] = {}
    for report in reports:
        old = latest.get(report.connector_id)
        late = (
            old is not None
            and old.timestamp is not None
            and report.timestamp is not None
            and report.timestamp < old.timestamp
        )
        if not late:
            latest[report.connector_id] = report
    return latest


def expected_station(
    reports: list[ConnectorReport], *, online: bool, enabled: bool, removed: bool
) -> tuple[StationStatus, Reason, dict[int, ConnectorStatus]]:
    latest = expected_latest(reports)
    main = latest[0].status if 0 in latest else None
    states = [r.status for cid, r in latest.items() if cid != 0]
    shown: dict[int, ConnectorStatus] = {}
    for cid in sorted(latest):
        if cid == 0:
            continue
        own = expected_connector(
            latest[cid].status, online=online, enabled=enabled, removed=removed
        )
        # Decision (docs/decisions.md): the flags dominate; connector 0 masks
        # only a station that is in service.
        if not removed and enabled and online:
            if main == S.FAULTED:
                own = ConnectorStatus.FAULTED
            elif main == S.UNAVAILABLE and own != ConnectorStatus.FAULTED:
                own = ConnectorStatus.UNAVAILABLE
        shown[cid] = own

    if removed:
        return StationStatus.REMOVED, Reason.REMOVED, shown
    if not enabled:
        return StationStatus.INOPERATIVE, Reason.NOT_ENABLED, shown
    if not online:
        return StationStatus.OFFLINE, Reason.OFFLINE, shown
    if main == S.FAULTED:
        return StationStatus.OUT_OF_ORDER, Reason.MAIN_CONTROLLER_FAULTED, shown
    if main == S.UNAVAILABLE:
        return StationStatus.UNAVAILABLE, Reason.MAIN_CONTROLLER_UNAVAILABLE, shown
    if not states:
        return StationStatus.UNKNOWN, Reason.NO_CONNECTOR_REPORTS, shown
    if any(s == S.AVAILABLE for s in states):
        return StationStatus.AVAILABLE, Reason.CONNECTOR_AVAILABLE, shown
    if all(s in (S.CHARGING, S.SUSPENDED_EV, S.SUSPENDED_EVSE) for s in states):
        return StationStatus.CHARGING, Reason.ALL_CONNECTORS_CHARGING, shown
    if all(s in (S.FAULTED, S.UNAVAILABLE) for s in states) and S.FAULTED in states:
        return StationStatus.OUT_OF_ORDER, Reason.CONNECTORS_OUT_OF_ORDER, shown
    if all(s == S.RESERVED for s in states):
        return StationStatus.RESERVED, Reason.ALL_CONNECTORS_RESERVED, shown
    return StationStatus.UNAVAILABLE, Reason.NO_CONNECTOR_AVAILABLE, shown


# --- uptime, minute by minute ------------------------------------------------------
#
# A deliberately slow reading of the uptime rules: every minute of a log whose
# lines all fall on whole minutes is looked at on its own, and every rule is
# applied to that minute as a reader of the rules in words would apply it. No
# intervals, no sweeps, no caches.

UP_WORDS = {
    "Available",
    "Preparing",
    "Charging",
    "SuspendedEV",
    "Finishing",
    "Reserved",
}
CAUSE_ORDER = [
    "utility_interruption",
    "vehicle_fault",
    "scheduled_maintenance",
    "vandalism",
    "natural_disaster",
    "outside_operating_hours",
]


@dataclass(frozen=True)
class OracleLine:
    """A log line at minute *minute*: a status report or a platform event."""

    minute: int
    connector: int | None  # None: a platform event
    value: str  # the status, or the event's name


@dataclass(frozen=True)
class OracleExclusion:
    start: int
    end: int
    cause: str
    connector: int | None = None
    incident: str | None = None


@dataclass(frozen=True)
class OracleRegime:
    causes: frozenset[str]
    caps: dict[str, tuple[int, str]]  # cause: (minutes, "incident" | "year")
    suspended_evse_up: bool


@dataclass
class OraclePort:
    period: int = 0
    outage: int = 0
    excluded: int = 0
    # Each outage within the window: (start, end, [(reason, start, end)]).
    outages: list[tuple[int, int, list[tuple[str, int, int]]]] = field(
        default_factory=list[tuple[int, int, list[tuple[str, int, int]]]]
    )


@dataclass
class _Minute:
    """The station after every line at or before a minute."""

    online: bool
    enabled: bool
    removed_at: int | None
    reports: dict[int, str]


def _minute_state(lines: list[OracleLine], minute: int, silence: int | None) -> _Minute:
    connected, enabled = False, True
    heard: int | None = None
    reports: dict[int, str] = {}
    removed_at: int | None = None
    for line in lines:
        if line.minute > minute:
            break
        if line.connector is None:
            if line.value in {"connected", "heard"}:
                connected, heard = True, line.minute
            elif line.value == "disconnected":
                connected = False
            elif line.value == "enabled":
                enabled = True
            elif line.value == "disabled":
                enabled = False
            elif line.value == "removed" and removed_at is None:
                removed_at = line.minute
        else:
            connected, heard = True, line.minute
            reports[line.connector] = line.value
    silent = silence is not None and heard is not None and minute >= heard + silence
    return _Minute(connected and not silent, enabled, removed_at, reports)


def _why_out(state: _Minute, port: int, suspended_up: bool) -> str | None:
    main = state.reports.get(0)
    own = state.reports[port]
    if not state.enabled:
        return "not_enabled"
    if not state.online:
        return "offline"
    if main == "Faulted":
        return "connector_zero_faulted"
    if main == "Unavailable":
        return "connector_zero_unavailable"
    if own in UP_WORDS or (own == "SuspendedEVSE" and suspended_up):
        return None
    if own == "Faulted":
        return "faulted"
    if own == "Unavailable":
        return "unavailable"
    return "suspended_evse"


def expected_uptime(  # noqa: PLR0915  (naive on purpose)
    lines: list[OracleLine],
    exclusions: list[OracleExclusion],
    regime: OracleRegime,
    window: tuple[int, int],
    *,
    silence: int | None = None,
    year_of: Callable[[int], int] = lambda _minute: 0,
) -> dict[int, OraclePort]:
    """Each port's minutes over *window* (in minutes), as the rules say them."""
    if not lines:
        return {}
    data_end = max(line.minute for line in lines)
    first_seen: dict[int, int] = {}
    for line in lines:
        if line.connector:
            first_seen.setdefault(line.connector, line.minute)
    last = max(window[1], data_end)
    states = [_minute_state(lines, minute, silence) for minute in range(last)]
    result: dict[int, OraclePort] = {}
    for port, seen in sorted(first_seen.items()):
        # Which minutes count, and why each is out (None: up).
        out: dict[int, str | None] = {}
        for minute in range(last):
            state = states[minute]
            if minute < seen or minute >= data_end or state.removed_at is not None:
                continue
            out[minute] = _why_out(state, port, regime.suspended_evse_up)
        # Excusing, minute by minute from each outage's first minute.
        accepted = [
            e
            for e in exclusions
            if e.cause in regime.causes and e.connector in {None, port}
        ]
        spent: dict[tuple[object, ...], int] = {}
        excused: dict[int, bool] = {}
        chain = False
        for minute in sorted(out):
            if out[minute] is None:
                chain = False
                continue
            began = minute - 1 not in out or out[minute - 1] is None
            covering = [e for e in accepted if e.start <= minute < e.end]
            if began:
                chain = bool(covering)
            elif not covering:
                chain = False
            if not chain:
                continue
            uncapped = [e for e in covering if e.cause not in regime.caps]
            if uncapped:
                excused[minute] = True
                continue
            ordered = sorted(covering, key=_oracle_spending_key)
            for e in ordered:
                limit, per = regime.caps[e.cause]
                key: tuple[object, ...] = (
                    (e.cause, _oracle_incident(e))
                    if per == "incident"
                    else (e.cause, year_of(minute))
                )
                if spent.get(key, 0) < limit:
                    spent[key] = spent.get(key, 0) + 1
                    excused[minute] = True
                    break
        figures = OraclePort()
        low, high = window
        open_outage: list[tuple[str, int, int]] | None = None
        for minute in range(low, high):
            if minute not in out:
                open_outage = None
                continue
            figures.period += 1
            reason = out[minute]
            if reason is None:
                open_outage = None
                continue
            figures.outage += 1
            figures.excluded += excused.get(minute, False)
            if open_outage is None:
                open_outage = [(reason, minute, minute + 1)]
                figures.outages.append((minute, minute + 1, open_outage))
            else:
                if open_outage[-1][0] == reason:
                    open_outage[-1] = (reason, open_outage[-1][1], minute + 1)
                else:
                    open_outage.append((reason, minute, minute + 1))
                start = figures.outages[-1][0]
                figures.outages[-1] = (start, minute + 1, open_outage)
        result[port] = figures
    return result


def _oracle_incident(e: OracleExclusion) -> tuple[str, ...]:
    if e.incident is not None:
        return ("0", e.incident)
    return (
        "1",
        f"{e.start:09d}",
        f"{e.end:09d}",
        "" if e.connector is None else str(e.connector),
    )


def _oracle_spending_key(e: OracleExclusion) -> tuple[int, tuple[str, ...]]:
    return CAUSE_ORDER.index(e.cause), _oracle_incident(e)
