"""Between protocols: OCPP 1.6 <-> 2.0.1 states, and OCPI EVSE status.

All functions here are pure and only look things up in ``_mappings``.
"""

from __future__ import annotations

from typing import Final

from ._enums import ChargePointStatus
from ._errors import InvalidReport, Problem, bad_argument
from ._mappings import (
    OCPI_FLAG_STATUSES,
    OCPI_MAIN_CONTROLLER_OVERRIDES,
    OCPI_STATUS_BY_OCPP2,
    OCPI_STATUS_BY_OCPP16,
    OCPP2_STATUS_BY_OCPP16,
    OCPP16_STATUS_BY_OCPP2,
)
from ._ocpi import OcpiEvseStatus
from ._ocpp2 import ChargingState, Ocpp2ConnectorReport, Ocpp2ConnectorStatus
from ._report import ConnectorReport

__all__ = ["ocpi_evse_status", "to_ocpp2", "to_ocpp16"]

_MAIN_STATES: Final[dict[str, ChargePointStatus]] = {
    state.value: state
    for state in (
        ChargePointStatus.AVAILABLE,
        ChargePointStatus.UNAVAILABLE,
        ChargePointStatus.FAULTED,
    )
}
_MAIN_EXPECTED: Final = (
    "None, or a ChargePointStatus or Ocpp2ConnectorStatus member among "
    "'Available', 'Unavailable', 'Faulted'"
)


def to_ocpp2(
    report_or_status: ConnectorReport | ChargePointStatus,
) -> Ocpp2ConnectorStatus:
    """Return the OCPP 2.0.1 / 2.1 connector status an OCPP 1.6 state stands for.

    >>> from evstatus import ChargePointStatus, to_ocpp2
    >>> to_ocpp2(ChargePointStatus.SUSPENDED_EV)
    <Ocpp2ConnectorStatus.OCCUPIED: 'Occupied'>
    """
    if isinstance(report_or_status, ConnectorReport):
        return OCPP2_STATUS_BY_OCPP16[report_or_status.status]
    if isinstance(report_or_status, ChargePointStatus):
        return OCPP2_STATUS_BY_OCPP16[report_or_status]
    raise bad_argument(
        "report_or_status",
        report_or_status,
        "a ConnectorReport or a ChargePointStatus member",
    )


def to_ocpp16(
    report_or_status: Ocpp2ConnectorReport | Ocpp2ConnectorStatus,
    charging_state: ChargingState | None = None,
) -> ChargePointStatus:
    """Return the OCPP 1.6 state an OCPP 2.0.1 / 2.1 connector status stands for.

    *charging_state* is the charging state of the transaction on the
    connector's EVSE, if known; it refines Occupied and nothing else. Occupied
    with no charging state (or Idle, or EVConnected) is Preparing: in use, not
    known to be charging.

    >>> from evstatus import ChargingState, Ocpp2ConnectorStatus, to_ocpp16
    >>> to_ocpp16(Ocpp2ConnectorStatus.OCCUPIED)
    <ChargePointStatus.PREPARING: 'Preparing'>
    >>> to_ocpp16(Ocpp2ConnectorStatus.OCCUPIED, ChargingState.SUSPENDED_EV)
    <ChargePointStatus.SUSPENDED_EV: 'SuspendedEV'>
    """
    # The annotations are promises a caller without a type checker may break.
    given: object = report_or_status
    state: object = charging_state
    problems: list[Problem] = []
    status: Ocpp2ConnectorStatus | None = None
    if isinstance(given, Ocpp2ConnectorReport):
        status = given.connector_status
    elif isinstance(given, Ocpp2ConnectorStatus):
        status = given
    else:
        problems.append(
            Problem(
                field="report_or_status",
                value=given,
                expected="an Ocpp2ConnectorReport or an Ocpp2ConnectorStatus member",
            )
        )
    if state is not None and not isinstance(state, ChargingState):
        problems.append(charging_state_problem("charging_state", state))
    if problems or status is None:
        raise InvalidReport(problems, what="arguments")
    return OCPP16_STATUS_BY_OCPP2[status, charging_state]


def main_controller_state(
    main: ChargePointStatus | Ocpp2ConnectorStatus | None, *, field: str = "main"
) -> ChargePointStatus | None:
    """Read the main controller's state, given in either OCPP version, as 1.6's.

    Only Available, Unavailable and Faulted are a main controller's states;
    anything else raises :class:`InvalidReport`.
    """
    if main is None:
        return None
    if isinstance(main, (ChargePointStatus, Ocpp2ConnectorStatus)):
        # Both enums share these three values, so a member is found by its text.
        state = _MAIN_STATES.get(main.value)
        if state is not None:
            return state
    raise bad_argument(field, main, _MAIN_EXPECTED)


def ocpi_evse_status(
    report_or_status: ConnectorReport
    | ChargePointStatus
    | Ocpp2ConnectorReport
    | Ocpp2ConnectorStatus
    | None,
    *,
    main: ChargePointStatus | Ocpp2ConnectorStatus | None = None,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
    planned: bool = False,
    blocked: bool = False,
) -> OcpiEvseStatus:
    """Return the OCPI 2.2.1 status of one connector, published as one EVSE.

    *report_or_status* is the connector's latest report or state, in OCPP 1.6
    or 2.0.1 / 2.1, or None if it has not reported. *main* is the main
    controller's latest state (connector 0 in OCPP 1.6; the station's own
    AvailabilityState in OCPP 2.0.1, if known). In order, the first that holds
    wins:

    1. the flags, as :data:`evstatus.OCPI_FLAG_STATUSES` lists them: removed ->
       REMOVED, *planned* -> PLANNED, not enabled -> INOPERATIVE, offline ->
       UNKNOWN;
    2. no report -> UNKNOWN; otherwise the state, by
       :data:`evstatus.OCPI_STATUS_BY_OCPP16` or
       :data:`evstatus.OCPI_STATUS_BY_OCPP2`, masked by the main controller as
       :data:`evstatus.OCPI_MAIN_CONTROLLER_OVERRIDES` says;
    3. *blocked* (say, a parking-bay sensor sees a car that is not charging)
       turns an AVAILABLE result into BLOCKED, and changes nothing else.

    >>> from evstatus import ChargePointStatus, ocpi_evse_status
    >>> ocpi_evse_status(ChargePointStatus.FINISHING)
    <OcpiEvseStatus.CHARGING: 'CHARGING'>
    >>> ocpi_evse_status(ChargePointStatus.AVAILABLE, online=False)
    <OcpiEvseStatus.UNKNOWN: 'UNKNOWN'>
    >>> ocpi_evse_status(None, planned=True)
    <OcpiEvseStatus.PLANNED: 'PLANNED'>
    """
    flag_values: tuple[tuple[str, object], ...] = (
        ("online", online),
        ("enabled", enabled),
        ("removed", removed),
        ("planned", planned),
        ("blocked", blocked),
    )
    problems = [
        Problem(field=name, value=value, expected="True or False")
        for name, value in flag_values
        if type(value) is not bool
    ]
    own = _own_ocpi_status(report_or_status, problems)
    try:
        main_state = main_controller_state(main)
    except InvalidReport as error:
        problems.extend(error.problems)
        main_state = None
    if problems:
        raise InvalidReport(problems, what="arguments")
    flags = {
        "removed": removed,
        "planned": planned,
        "not enabled": not enabled,
        "offline": not online,
    }
    for flag, flagged in OCPI_FLAG_STATUSES:
        if flags[flag]:
            return flagged
    status = OcpiEvseStatus.UNKNOWN if own is None else own
    if main_state is not None and main_state in OCPI_MAIN_CONTROLLER_OVERRIDES:
        status = OCPI_MAIN_CONTROLLER_OVERRIDES[main_state][status]
    if blocked and status is OcpiEvseStatus.AVAILABLE:
        return OcpiEvseStatus.BLOCKED
    return status


def _own_ocpi_status(  # noqa: PLR0911  (one return per accepted kind)
    report_or_status: object, problems: list[Problem]
) -> OcpiEvseStatus | None:
    if report_or_status is None:
        return None
    if isinstance(report_or_status, ConnectorReport):
        if report_or_status.connector_id == 0:
            problems.append(
                Problem(
                    field="report_or_status",
                    value=report_or_status.connector_id,
                    expected="a report of a connector (id >= 1); pass connector 0's "
                    "state as main=",
                )
            )
            return None
        return OCPI_STATUS_BY_OCPP16[report_or_status.status]
    if isinstance(report_or_status, ChargePointStatus):
        return OCPI_STATUS_BY_OCPP16[report_or_status]
    if isinstance(report_or_status, Ocpp2ConnectorReport):
        return OCPI_STATUS_BY_OCPP2[report_or_status.connector_status]
    if isinstance(report_or_status, Ocpp2ConnectorStatus):
        return OCPI_STATUS_BY_OCPP2[report_or_status]
    problems.append(
        Problem(
            field="report_or_status",
            value=report_or_status,
            expected="None, a ConnectorReport, an Ocpp2ConnectorReport, or a "
            "ChargePointStatus or Ocpp2ConnectorStatus member",
        )
    )
    return None


def charging_state_problem(field: str, value: object) -> Problem:
    return Problem(
        field=field,
        value=value,
        expected="None or a ChargingState member (convert a string with "
        "ChargingState(x))",
    )
