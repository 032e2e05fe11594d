"""An independent, deliberately naive reading of the connector and station rules.

The library keeps its rules as data tables; this module restates them as the
plain if-chains a reader of the rules in words would write, so that the exhaustive tests compare
two implementations written in different ways rather than one with itself.
"""

from __future__ import annotations

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
