"""Every protocol mapping of the library, as data, in one place.

- :data:`OCPP2_STATUS_BY_OCPP16`: OCPP 1.6 state -> OCPP 2.0.1 connector status.
- :data:`OCPP16_STATUS_BY_OCPP2`: OCPP 2.0.1 connector status and the
  transaction's charging state -> the OCPP 1.6 state it stands for.
- :data:`CONNECTOR_STATUS_BY_OCPP2`: OCPP 2.0.1 status -> simplified status,
  composed from the 1.6 tables, never written out a second time.
- :data:`OCPI_STATUS_BY_OCPP16`, :data:`OCPI_STATUS_BY_OCPP2`,
  :data:`OCPI_MAIN_CONTROLLER_OVERRIDES`, :data:`OCPI_FLAG_STATUSES`: how one
  connector is published as one OCPI 2.2.1 EVSE.

docs/interop.md prints its tables from these objects (a test checks).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ._enums import ChargePointStatus, ConnectorStatus
from ._ocpi import OcpiEvseStatus
from ._ocpp2 import ChargingState, Ocpp2ConnectorStatus
from ._rules import CONNECTOR_STATUS_BY_OCPP

__all__ = [
    "CONNECTOR_STATUS_BY_OCPP2",
    "OCPI_FLAG_STATUSES",
    "OCPI_MAIN_CONTROLLER_OVERRIDES",
    "OCPI_STATUS_BY_OCPP2",
    "OCPI_STATUS_BY_OCPP16",
    "OCPP2_STATUS_BY_OCPP16",
    "OCPP16_STATUS_BY_OCPP2",
]

_CPS = ChargePointStatus
_O2 = Ocpp2ConnectorStatus
_OCPI = OcpiEvseStatus

OCPP2_STATUS_BY_OCPP16: Final[Mapping[ChargePointStatus, Ocpp2ConnectorStatus]] = (
    MappingProxyType(
        {
            _CPS.AVAILABLE: _O2.AVAILABLE,
            # OCPP 2.0.1 folds the five in-use states into one; the detail moved
            # to the transaction's charging state.
            _CPS.PREPARING: _O2.OCCUPIED,
            _CPS.CHARGING: _O2.OCCUPIED,
            _CPS.SUSPENDED_EV: _O2.OCCUPIED,
            _CPS.SUSPENDED_EVSE: _O2.OCCUPIED,
            _CPS.FINISHING: _O2.OCCUPIED,
            _CPS.RESERVED: _O2.RESERVED,
            _CPS.UNAVAILABLE: _O2.UNAVAILABLE,
            _CPS.FAULTED: _O2.FAULTED,
        }
    )
)
"""OCPP 1.6 state of a connector -> the OCPP 2.0.1 / 2.1 connector status."""

#: What an Occupied connector stands for in OCPP 1.6, by its transaction's
#: charging state (``None``: no charging state known).
_OCCUPIED_BY_CHARGING_STATE: Final[Mapping[ChargingState | None, ChargePointStatus]] = {
    ChargingState.CHARGING: _CPS.CHARGING,
    ChargingState.SUSPENDED_EV: _CPS.SUSPENDED_EV,
    ChargingState.SUSPENDED_EVSE: _CPS.SUSPENDED_EVSE,
    ChargingState.EV_CONNECTED: _CPS.PREPARING,
    # In use, but not known to deliver energy: Preparing is the 1.6 state
    # that says exactly "taken, not charging" (see docs/interop.md).
    ChargingState.IDLE: _CPS.PREPARING,
    None: _CPS.PREPARING,
}
#: The other four statuses have a 1.6 state of the same name; the charging
#: state does not change them (the connector's own report is the fresher word).
_SAME_NAME: Final = {
    _O2.AVAILABLE: _CPS.AVAILABLE,
    _O2.RESERVED: _CPS.RESERVED,
    _O2.UNAVAILABLE: _CPS.UNAVAILABLE,
    _O2.FAULTED: _CPS.FAULTED,
}

OCPP16_STATUS_BY_OCPP2: Final[
    Mapping[tuple[Ocpp2ConnectorStatus, ChargingState | None], ChargePointStatus]
] = MappingProxyType(
    {
        (status, state): (
            _OCCUPIED_BY_CHARGING_STATE[state]
            if status is _O2.OCCUPIED
            else _SAME_NAME[status]
        )
        for status in Ocpp2ConnectorStatus
        for state in (*ChargingState, None)
    }
)
"""(OCPP 2.0.1 status, transaction's charging state or None) -> OCPP 1.6 state.

Occupied is refined by the charging state; without one, or with Idle or
EVConnected, it reads as Preparing, never as Charging.
"""

CONNECTOR_STATUS_BY_OCPP2: Final[Mapping[Ocpp2ConnectorStatus, ConnectorStatus]] = (
    MappingProxyType(
        {
            status: CONNECTOR_STATUS_BY_OCPP[OCPP16_STATUS_BY_OCPP2[status, None]]
            for status in Ocpp2ConnectorStatus
        }
    )
)
"""OCPP 2.0.1 status of a connector -> what a driver is told about it.

Composed from :data:`OCPP16_STATUS_BY_OCPP2` and
:data:`evstatus.CONNECTOR_STATUS_BY_OCPP`; the charging state never changes it.
"""

OCPI_STATUS_BY_OCPP16: Final[Mapping[ChargePointStatus, OcpiEvseStatus]] = (
    MappingProxyType(
        {
            _CPS.AVAILABLE: _OCPI.AVAILABLE,
            # A driver holds the connector in every one of these states.
            _CPS.PREPARING: _OCPI.CHARGING,
            _CPS.CHARGING: _OCPI.CHARGING,
            _CPS.SUSPENDED_EV: _OCPI.CHARGING,
            _CPS.SUSPENDED_EVSE: _OCPI.CHARGING,
            _CPS.FINISHING: _OCPI.CHARGING,
            _CPS.RESERVED: _OCPI.RESERVED,
            # OCPI: INOPERATIVE is "not usable, not broken"; OUTOFORDER is "broken".
            _CPS.UNAVAILABLE: _OCPI.INOPERATIVE,
            _CPS.FAULTED: _OCPI.OUTOFORDER,
        }
    )
)
"""OCPP 1.6 state of a connector -> the OCPI 2.2.1 status of its EVSE."""

OCPI_STATUS_BY_OCPP2: Final[Mapping[Ocpp2ConnectorStatus, OcpiEvseStatus]] = (
    MappingProxyType(
        {
            _O2.AVAILABLE: _OCPI.AVAILABLE,
            _O2.OCCUPIED: _OCPI.CHARGING,
            _O2.RESERVED: _OCPI.RESERVED,
            _O2.UNAVAILABLE: _OCPI.INOPERATIVE,
            _O2.FAULTED: _OCPI.OUTOFORDER,
        }
    )
)
"""OCPP 2.0.1 / 2.1 status of a connector -> the OCPI 2.2.1 status of its EVSE.

Agrees with :data:`OCPI_STATUS_BY_OCPP16` through :data:`OCPP2_STATUS_BY_OCPP16`
(a test checks), so a station's protocol version never changes what partners see.
"""

OCPI_MAIN_CONTROLLER_OVERRIDES: Final[
    Mapping[ChargePointStatus, Mapping[OcpiEvseStatus, OcpiEvseStatus]]
] = MappingProxyType(
    {
        # A faulted main controller breaks every connector.
        _CPS.FAULTED: MappingProxyType(dict.fromkeys(OcpiEvseStatus, _OCPI.OUTOFORDER)),
        # An unavailable one switches every connector off, but a connector's own
        # fault stays visible, as in MAIN_CONTROLLER_OVERRIDES.
        _CPS.UNAVAILABLE: MappingProxyType(
            {
                own: own if own is _OCPI.OUTOFORDER else _OCPI.INOPERATIVE
                for own in OcpiEvseStatus
            }
        ),
    }
)
"""Main controller's state -> (a connector's own OCPI status -> the one published).

In OCPP 1.6 the main controller is connector 0; in OCPP 2.0.1 / 2.1, the
station's own AvailabilityState, if the caller knows it. Available, or unknown,
masks nothing.
"""

OCPI_FLAG_STATUSES: Final[tuple[tuple[str, OcpiEvseStatus], ...]] = (
    ("removed", _OCPI.REMOVED),
    ("planned", _OCPI.PLANNED),
    ("not enabled", _OCPI.INOPERATIVE),
    ("offline", _OCPI.UNKNOWN),
)
"""The platform flags that decide an EVSE's OCPI status before any report does,
in order: the first that holds wins."""
