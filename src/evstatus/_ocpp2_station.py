"""Station status from OCPP 2.0.1 / 2.1 reports, by the very same rule table.

Each connector's latest 2.0.1 status is read as the OCPP 1.6 state it stands for
(:data:`evstatus.OCPP16_STATUS_BY_OCPP2`, refined by its EVSE's charging state
when the caller knows it), and :data:`evstatus.STATION_RULES` decides as for a
1.6 station. The station's own AvailabilityState, if given, plays connector 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, cast

import attrs

from ._enums import ChargePointStatus, ConnectorStatus, StationStatus
from ._errors import InvalidReport, Problem, bad_argument, shorten
from ._interop import charging_state_problem, main_controller_state
from ._mappings import OCPP16_STATUS_BY_OCPP2
from ._ocpp2 import ChargingState, Ocpp2ConnectorReport, Ocpp2ConnectorStatus
from ._rules import Reason
from ._station import check_flags, decide, shown_statuses

__all__ = [
    "Ocpp2StationView",
    "derive_ocpp2_station",
    "latest_ocpp2_reports",
    "ocpp2_station_status",
]

_REPORT_EXPECTED: Final = (
    "an Ocpp2ConnectorReport (parse payloads with Ocpp2ConnectorReport.from_ocpp)"
)
_STATION_STATE_EXPECTED: Final = (
    "None or an Ocpp2ConnectorStatus member among 'Available', 'Unavailable', 'Faulted'"
)


@attrs.frozen(kw_only=True)
class Ocpp2StationView:
    """An OCPP 2.0.1 / 2.1 station's status, the deciding rule, and its connectors."""

    status: StationStatus
    """The whole station's status."""
    reason: Reason
    """Which rule of the decision table decided ``status``."""
    connectors: Mapping[tuple[int, int], ConnectorStatus] = attrs.field(
        hash=False, repr=lambda m: repr(dict(m))
    )
    """Each ``(evse_id, connector_id)`` reported -> the status it shows, in order."""


def latest_ocpp2_reports(
    reports: Iterable[Ocpp2ConnectorReport],
) -> dict[tuple[int, int], Ocpp2ConnectorReport]:
    """Return the report that counts for each ``(evse_id, connector_id)``, from a log.

    The rule is :func:`evstatus.supersedes`'s: a later report replaces an
    earlier one unless its timestamp is strictly older (a late delivery). OCPP 2
    reports always carry a timestamp, so late deliveries are always caught.
    Raises :class:`InvalidReport` if *reports* is not an iterable of
    :class:`Ocpp2ConnectorReport`.
    """
    latest: dict[tuple[int, int], Ocpp2ConnectorReport] = {}
    try:
        iterator = iter(reports)
    except TypeError:
        raise bad_argument(
            "reports", reports, "an iterable of Ocpp2ConnectorReport"
        ) from None
    for index, report in enumerate(iterator):
        if not isinstance(report, Ocpp2ConnectorReport):
            raise bad_argument(f"reports[{index}]", report, _REPORT_EXPECTED)
        key = (report.evse_id, report.connector_id)
        previous = latest.get(key)
        if previous is None or report.timestamp >= previous.timestamp:
            latest[key] = report
    return latest


def derive_ocpp2_station(
    reports: Iterable[Ocpp2ConnectorReport],
    *,
    charging_states: Mapping[int, ChargingState] | None = None,
    station_state: Ocpp2ConnectorStatus | None = None,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> Ocpp2StationView:
    """Derive an OCPP 2.0.1 / 2.1 station's status, the reason, and its connectors.

    *reports* is the station's log of StatusNotification reports in the order
    received. *charging_states* maps an EVSE id to the charging state of the
    transaction on it (from TransactionEvent), where known: only then can an
    Occupied connector count as charging. *station_state* is the station's own
    AvailabilityState (Available, Unavailable or Faulted), if known; it plays
    the part connector 0 plays in OCPP 1.6. The rules are
    :data:`evstatus.STATION_RULES`; docs/interop.md reads each for OCPP 2.

    >>> from evstatus import ChargingState, Ocpp2ConnectorReport, derive_ocpp2_station
    >>> report = Ocpp2ConnectorReport.from_ocpp({
    ...     "timestamp": "2026-11-22T10:15:00Z",
    ...     "connectorStatus": "Occupied",
    ...     "evseId": 1,
    ...     "connectorId": 1,
    ... })
    >>> derive_ocpp2_station([report]).status
    <StationStatus.UNAVAILABLE: 'Unavailable'>
    >>> derive_ocpp2_station(
    ...     [report], charging_states={1: ChargingState.CHARGING}
    ... ).status
    <StationStatus.CHARGING: 'Charging'>
    """
    main, latest, states = _facts(
        reports, charging_states, station_state, online, enabled, removed
    )
    status, reason = decide(removed, enabled, online, main, frozenset(states.values()))
    shown = shown_statuses(not removed and enabled and online, main)
    connectors = {key: shown[states[key]] for key in sorted(latest)}
    return Ocpp2StationView(
        status=status, reason=reason, connectors=MappingProxyType(connectors)
    )


def ocpp2_station_status(
    reports: Iterable[Ocpp2ConnectorReport],
    *,
    charging_states: Mapping[int, ChargingState] | None = None,
    station_state: Ocpp2ConnectorStatus | None = None,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationStatus:
    """Return ``derive_ocpp2_station(...).status``, without building the view."""
    main, _, states = _facts(
        reports, charging_states, station_state, online, enabled, removed
    )
    return decide(removed, enabled, online, main, frozenset(states.values()))[0]


def _facts(  # noqa: PLR0917  (a private helper of two public functions)
    reports: Iterable[Ocpp2ConnectorReport],
    charging_states: object,
    station_state: object,
    online: bool,
    enabled: bool,
    removed: bool,
) -> tuple[
    ChargePointStatus | None,
    dict[tuple[int, int], Ocpp2ConnectorReport],
    dict[tuple[int, int], ChargePointStatus],
]:
    check_flags(online=online, enabled=enabled, removed=removed)
    by_evse = _check_charging_states(charging_states)
    if station_state is not None and not isinstance(
        station_state, Ocpp2ConnectorStatus
    ):
        raise bad_argument("station_state", station_state, _STATION_STATE_EXPECTED)
    main = main_controller_state(station_state, field="station_state")
    latest = latest_ocpp2_reports(reports)
    states = {
        key: OCPP16_STATUS_BY_OCPP2[report.connector_status, by_evse.get(key[0])]
        for key, report in latest.items()
    }
    return main, latest, states


def _check_charging_states(charging_states: object) -> Mapping[int, ChargingState]:
    if charging_states is None:
        return {}
    if not isinstance(charging_states, Mapping):
        raise bad_argument(
            "charging_states",
            charging_states,
            "None or a mapping of EVSE id (an int >= 1) to ChargingState",
        )
    states = cast("Mapping[object, object]", charging_states)
    problems = [
        Problem(
            field="charging_states", value=key, expected="EVSE ids that are ints >= 1"
        )
        for key in states
        if type(key) is not int or key < 1
    ]
    problems.extend(
        charging_state_problem(f"charging_states[{shorten(key)}]", value)
        for key, value in states.items()
        if not isinstance(value, ChargingState)
    )
    if problems:
        raise InvalidReport(problems, what="arguments")
    return cast("Mapping[int, ChargingState]", states)
