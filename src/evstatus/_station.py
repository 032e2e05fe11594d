"""From connector reports and platform flags to connector and station statuses.

All functions here are pure: no I/O, no clock, no global state beyond caches of
the rule tables' answers (which depend on nothing else). ``check_flags``,
``decide`` and ``shown_statuses`` are shared with ``_ocpp2_station``, which
applies the same rules to OCPP 2 reports; the package does not export them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType
from typing import Final

import attrs

from ._enums import ChargePointStatus, ConnectorStatus, StationStatus
from ._errors import InvalidReport, Problem, bad_argument
from ._mappings import CONNECTOR_STATUS_BY_OCPP2
from ._ocpp2 import Ocpp2ConnectorReport, Ocpp2ConnectorStatus
from ._report import ConnectorReport
from ._rules import (
    CONNECTOR_STATUS_BY_OCPP,
    FLAGGED_CONNECTOR_STATUS,
    MAIN_CONTROLLER_OVERRIDES,
    Reason,
    StationFacts,
    first_rule,
)

__all__ = [
    "StationView",
    "connector_status",
    "derive_station",
    "latest_reports",
    "station_status",
    "supersedes",
]

_REPORT_EXPECTED: Final = (
    "a ConnectorReport (parse payloads with ConnectorReport.from_ocpp)"
)


@attrs.frozen(kw_only=True)
class StationView:
    """A station's status, the rule that decided it, and what each connector shows."""

    status: StationStatus
    """The whole station's status."""
    reason: Reason
    """Which rule of the decision table decided ``status``."""
    connectors: Mapping[int, ConnectorStatus] = attrs.field(
        hash=False, repr=lambda m: repr(dict(m))
    )
    """Each connector id >= 1 that has a report -> the status it shows, in id order."""


def supersedes(new: ConnectorReport, old: ConnectorReport) -> bool:
    """Whether *new*, received after *old* for the same connector, replaces it.

    It does, unless both carry timestamps and *new*'s is strictly older: then
    it is a late delivery and *old* stays.
    """
    return (
        new.timestamp is None or old.timestamp is None or new.timestamp >= old.timestamp
    )


def latest_reports(reports: Iterable[ConnectorReport]) -> dict[int, ConnectorReport]:
    """Return the report that counts for each connector id, from a log in order.

    Raises :class:`InvalidReport` if *reports* is not an iterable of
    :class:`ConnectorReport`.
    """
    latest: dict[int, ConnectorReport] = {}
    try:
        iterator = iter(reports)
    except TypeError:
        raise bad_argument(
            "reports", reports, "an iterable of ConnectorReport"
        ) from None
    for index, report in enumerate(iterator):
        if type(report) is not ConnectorReport and not isinstance(
            report, ConnectorReport
        ):
            raise bad_argument(f"reports[{index}]", report, _REPORT_EXPECTED)
        previous = latest.get(report.connector_id)
        if previous is None or supersedes(report, previous):
            latest[report.connector_id] = report
    return latest


def connector_status(
    report_or_status: ConnectorReport
    | ChargePointStatus
    | Ocpp2ConnectorReport
    | Ocpp2ConnectorStatus,
    *,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> ConnectorStatus:
    """Return what a driver is told about one connector.

    Removed, not enabled or offline make it Unavailable; otherwise its OCPP
    state decides, as :data:`evstatus.CONNECTOR_STATUS_BY_OCPP` (OCPP 1.6) or
    :data:`evstatus.CONNECTOR_STATUS_BY_OCPP2` (OCPP 2.0.1 / 2.1) says.
    """
    check_flags(online=online, enabled=enabled, removed=removed)
    if isinstance(report_or_status, ConnectorReport):
        shown = CONNECTOR_STATUS_BY_OCPP[report_or_status.status]
    elif isinstance(report_or_status, ChargePointStatus):
        shown = CONNECTOR_STATUS_BY_OCPP[report_or_status]
    elif isinstance(report_or_status, Ocpp2ConnectorReport):
        shown = CONNECTOR_STATUS_BY_OCPP2[report_or_status.connector_status]
    elif isinstance(report_or_status, Ocpp2ConnectorStatus):
        shown = CONNECTOR_STATUS_BY_OCPP2[report_or_status]
    else:
        raise bad_argument(
            "report_or_status",
            report_or_status,
            "a ConnectorReport, an Ocpp2ConnectorReport, or a ChargePointStatus "
            "or Ocpp2ConnectorStatus member",
        )
    if removed or not enabled or not online:
        return FLAGGED_CONNECTOR_STATUS
    return shown


def derive_station(
    reports: Iterable[ConnectorReport],
    *,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationView:
    """Derive a station's status, the reason, and each connector's status.

    *reports* is the station's log of reports in the order received, any number
    per connector; see :func:`latest_reports` for which one counts.
    """
    check_flags(online=online, enabled=enabled, removed=removed)
    latest = latest_reports(reports)
    main, states = _split(latest)
    status, reason = decide(removed, enabled, online, main, states)
    shown = shown_statuses(not removed and enabled and online, main)
    connectors = {
        connector_id: shown[latest[connector_id].status]
        for connector_id in sorted(latest)
        if connector_id
    }
    return StationView(
        status=status, reason=reason, connectors=MappingProxyType(connectors)
    )


def station_status(
    reports: Iterable[ConnectorReport],
    *,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationStatus:
    """Return ``derive_station(...).status``, without building the view."""
    check_flags(online=online, enabled=enabled, removed=removed)
    main, states = _split(latest_reports(reports))
    return decide(removed, enabled, online, main, states)[0]


def _split(
    latest: dict[int, ConnectorReport],
) -> tuple[ChargePointStatus | None, frozenset[ChargePointStatus]]:
    main = latest.get(0)
    states = frozenset([report.status for key, report in latest.items() if key])
    return (None if main is None else main.status), states


@cache
def decide(
    removed: bool,
    enabled: bool,
    online: bool,
    main: ChargePointStatus | None,
    states: frozenset[ChargePointStatus],
) -> tuple[StationStatus, Reason]:
    # The space of distinct inputs is small (8 x 4 x 512), so each is worked
    # out from the rule table once and remembered.
    rule = first_rule(StationFacts(removed, enabled, online, main, states))
    return rule.status, rule.reason


@cache
def shown_statuses(
    in_service: bool, main: ChargePointStatus | None
) -> Mapping[ChargePointStatus, ConnectorStatus]:
    if not in_service:
        return dict.fromkeys(ChargePointStatus, FLAGGED_CONNECTOR_STATUS)
    override = MAIN_CONTROLLER_OVERRIDES.get(main) if main is not None else None
    if override is None:
        return CONNECTOR_STATUS_BY_OCPP
    return {own: override[shown] for own, shown in CONNECTOR_STATUS_BY_OCPP.items()}


def check_flags(*, online: object, enabled: object, removed: object) -> None:
    if type(online) is bool and type(enabled) is bool and type(removed) is bool:
        return
    problems = [
        Problem(field=name, value=value, expected="True or False")
        for name, value in (
            ("online", online),
            ("enabled", enabled),
            ("removed", removed),
        )
        if type(value) is not bool
    ]
    raise InvalidReport(problems, what="arguments")
