"""OCPI 2.2.1: the status of an EVSE, as published to roaming partners.

Each OCPP connector is published as one OCPI EVSE. :func:`~evstatus.ocpi.evse_status`
gives the status of one; a :class:`~evstatus.StationView` gives every connector's
with :meth:`~evstatus.StationView.ocpi_statuses`, from the very flags its
station status was derived with. The tables are in :mod:`evstatus.rules`.
"""

from __future__ import annotations

from . import _ocpp2, _ocpp16
from ._core import flags, main_state, ocpi_facts, ocpi_status, ocpp16_state
from ._enums import ChargePointStatus, ConnectorState, EvseStatus
from ._errors import check_bool
from .rules import OCPI_STATUS_BY_OCPP16

__all__ = ["EvseStatus", "evse_status"]

_ReportOrState = (
    _ocpp16.ConnectorReport
    | ChargePointStatus
    | _ocpp2.ConnectorReport
    | ConnectorState
)


def evse_status(
    report_or_status: _ReportOrState | None,
    *,
    main: _ReportOrState | None = None,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
    planned: bool = False,
    blocked: bool = False,
) -> EvseStatus:
    """Return the OCPI 2.2.1 status of one connector, published as one EVSE.

    *report_or_status* is the connector's latest report or state, in OCPP 1.6
    or 2.0.1 / 2.1, or None if it has not reported. *main* is the main
    controller's latest report or state (connector 0 in OCPP 1.6; the
    station's own AvailabilityState in OCPP 2.0.1), if known. In order, the
    first that holds wins:

    1. the flags, as :data:`evstatus.rules.OCPI_FLAG_RULES` lists them;
    2. no report -> UNKNOWN; otherwise the state, by
       :data:`evstatus.rules.OCPI_STATUS_BY_OCPP16` (2.0.1 statuses read as
       the 1.6 state they stand for), masked by the main controller as
       :data:`evstatus.rules.OCPI_MAIN_CONTROLLER_OVERRIDES` says;
    3. *blocked* (say, a parking-bay sensor sees a car that is not charging)
       changes the result as :data:`evstatus.rules.OCPI_BLOCKED` says.

    >>> from evstatus import ChargePointStatus
    >>> from evstatus.ocpi import evse_status
    >>> evse_status(ChargePointStatus.FINISHING)
    <EvseStatus.CHARGING: 'CHARGING'>
    >>> evse_status(ChargePointStatus.AVAILABLE, online=False)
    <EvseStatus.UNKNOWN: 'UNKNOWN'>
    >>> evse_status(None, planned=True)
    <EvseStatus.PLANNED: 'PLANNED'>
    """
    checked = flags(online, enabled, removed)
    facts = ocpi_facts(checked, planned=planned)
    own = (
        None
        if report_or_status is None
        else OCPI_STATUS_BY_OCPP16[ocpp16_state(report_or_status, "report_or_status")]
    )
    return ocpi_status(
        own, main_state(main, "main"), facts, blocked=check_bool("blocked", blocked)
    )
