"""OCPP 2.0.1 and 2.1: StatusNotification reports, and a station's status.

OCPP 2.1 kept 2.0.1's StatusNotificationRequest and its enums, so this module
serves both. A connector is named by ``(evse_id, connector_id)``. Each
connector's latest status is read as the OCPP 1.6 state it stands for
(:data:`evstatus.rules.OCPP16_STATUS_BY_OCPP201`, refined by its EVSE's
charging state where the caller knows it), and the very same station rules
decide as for a 1.6 station; the station's own AvailabilityState, if given,
plays connector 0's part.

>>> from evstatus.ocpp201 import ChargingState, ConnectorReport, derive_station
>>> report = ConnectorReport.from_ocpp({
...     "timestamp": "2026-11-22T10:15:00Z",
...     "connectorStatus": "Occupied",
...     "evseId": 1,
...     "connectorId": 1,
... })
>>> derive_station([report]).status
<StationStatus.UNAVAILABLE: 'Unavailable'>
>>> derive_station([report], charging_states={1: ChargingState.CHARGING}).status
<StationStatus.CHARGING: 'Charging'>
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import cast

from . import _ocpp16
from ._core import (
    StationView,
    connector_status,
    decide,
    derive,
    flags,
    latest,
    main_state,
    supersedes,
)
from ._enums import ChargePointStatus, ChargingState, ConnectorState, StationStatus
from ._errors import wrong_type, wrong_value
from ._lenient import Parsed, Repair, RepairKind
from ._lenient import parse_lenient_ocpp201 as parse_lenient
from ._ocpp2 import ConnectorReport, StatusNotificationPayload
from ._payload import is_int
from .rules import OCPP16_STATUS_BY_OCPP201, OCPP201_STATUS_BY_OCPP16

__all__ = [
    "ChargingState",
    "ConnectorReport",
    "ConnectorState",
    "Parsed",
    "Repair",
    "RepairKind",
    "StationView",
    "StatusNotificationPayload",
    "connector_status",
    "derive_station",
    "from_ocpp16",
    "latest_reports",
    "parse_lenient",
    "station_status",
    "supersedes",
    "to_ocpp16",
]

Connector = tuple[int, int]


def latest_reports(
    reports: Iterable[ConnectorReport],
) -> dict[Connector, ConnectorReport]:
    """Return the report that counts for each ``(evse_id, connector_id)``, from a log.

    The rule is :func:`~evstatus.ocpp16.supersedes`'s: a later report replaces an
    earlier one unless its timestamp is strictly older (a late delivery). OCPP 2 reports
    always carry a timestamp, so late deliveries are always caught. Raises
    :class:`TypeError` if *reports* is not an iterable of
    :class:`~evstatus.ocpp201.ConnectorReport`.
    """
    return cast(
        "dict[Connector, ConnectorReport]",
        latest(reports, ConnectorReport, "connector"),
    )


def derive_station(
    reports: Iterable[ConnectorReport],
    *,
    charging_states: Mapping[int, ChargingState] | None = None,
    station_state: ConnectorState | None = None,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationView[Connector]:
    """Derive an OCPP 2.0.1 / 2.1 station's status, the reason, and its connectors.

    *reports* is the station's log of StatusNotification reports in the order
    received. *charging_states* maps an EVSE id to the charging state of the
    transaction on it (from TransactionEvent), where known: only then can an
    Occupied connector count as charging. *station_state* is the station's own
    AvailabilityState (Available, Unavailable or Faulted), if known.
    """
    checked = flags(online, enabled, removed)
    main, states = _facts(reports, charging_states, station_state)
    return derive(states, main, checked)


def station_status(
    reports: Iterable[ConnectorReport],
    *,
    charging_states: Mapping[int, ChargingState] | None = None,
    station_state: ConnectorState | None = None,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationStatus:
    """Return ``derive_station(...).status``, without building the view."""
    checked = flags(online, enabled, removed)
    main, states = _facts(reports, charging_states, station_state)
    return decide(checked, main, frozenset(states.values()))[0]


def _facts(
    reports: Iterable[ConnectorReport],
    charging_states: object,
    station_state: object,
) -> tuple[ChargePointStatus | None, dict[Connector, ChargePointStatus]]:
    by_evse = _check_charging_states(charging_states)
    if station_state is not None and not isinstance(station_state, ConnectorState):
        raise wrong_type(
            "station_state", station_state, "None or a ConnectorState member"
        )
    main = main_state(station_state, "station_state")
    states = {
        key: OCPP16_STATUS_BY_OCPP201[report.status, by_evse.get(key[0])]
        for key, report in latest_reports(reports).items()
    }
    return main, states


def _check_charging_states(charging_states: object) -> Mapping[int, ChargingState]:
    if charging_states is None:
        return {}
    expected = "None or a mapping of EVSE id (an int >= 1) to ChargingState"
    if not isinstance(charging_states, Mapping):
        raise wrong_type("charging_states", charging_states, expected)
    states = cast("Mapping[object, object]", charging_states)
    for key, value in states.items():
        if not is_int(key):
            raise wrong_type("charging_states", key, "EVSE ids that are ints >= 1")
        if key < 1:
            raise wrong_value("charging_states", key, "EVSE ids that are ints >= 1")
        if not isinstance(value, ChargingState):
            raise wrong_type(
                f"charging_states[{key}]",
                value,
                "a ChargingState member (convert a string with ChargingState(x))",
            )
    return cast("Mapping[int, ChargingState]", states)


def to_ocpp16(
    report_or_state: ConnectorReport | ConnectorState,
    charging_state: ChargingState | None = None,
) -> ChargePointStatus:
    """Return the OCPP 1.6 state an OCPP 2.0.1 / 2.1 connector status stands for.

    *charging_state* is the charging state of the transaction on the
    connector's EVSE, if known; it refines Occupied and nothing else. Occupied
    with no charging state (or Idle, or EVConnected) is Preparing: in use, not
    known to be charging.

    >>> from evstatus.ocpp201 import ChargingState, ConnectorState, to_ocpp16
    >>> to_ocpp16(ConnectorState.OCCUPIED)
    <ChargePointStatus.PREPARING: 'Preparing'>
    >>> to_ocpp16(ConnectorState.OCCUPIED, ChargingState.SUSPENDED_EV)
    <ChargePointStatus.SUSPENDED_EV: 'SuspendedEV'>
    """
    # The annotations are promises a caller without a type checker may break.
    given: object = report_or_state
    if isinstance(given, ConnectorReport):
        state = given.status
    elif isinstance(given, ConnectorState):
        state = given
    else:
        raise wrong_type(
            "report_or_state",
            given,
            "an OCPP 2.0.1 ConnectorReport or a ConnectorState member",
        )
    refinement: object = charging_state
    if refinement is not None and not isinstance(refinement, ChargingState):
        raise wrong_type(
            "charging_state",
            refinement,
            "None or a ChargingState member (convert a string with ChargingState(x))",
        )
    return OCPP16_STATUS_BY_OCPP201[state, charging_state]


def from_ocpp16(
    report_or_status: _ocpp16.ConnectorReport | ChargePointStatus,
) -> ConnectorState:
    """Return the OCPP 2.0.1 / 2.1 connector status an OCPP 1.6 state stands for.

    >>> from evstatus import ChargePointStatus
    >>> from evstatus.ocpp201 import from_ocpp16
    >>> from_ocpp16(ChargePointStatus.SUSPENDED_EV)
    <ConnectorState.OCCUPIED: 'Occupied'>
    """
    given: object = report_or_status
    if isinstance(given, _ocpp16.ConnectorReport):
        return OCPP201_STATUS_BY_OCPP16[given.status]
    if isinstance(given, ChargePointStatus):
        return OCPP201_STATUS_BY_OCPP16[given]
    raise wrong_type(
        "report_or_status",
        given,
        "an OCPP 1.6 ConnectorReport or a ChargePointStatus member",
    )
