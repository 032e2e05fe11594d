"""The four status vocabularies: two from OCPP 1.6, two of our own.

Each member's one-line description lives in a table right under its enum, so
that UIs and the docs read the same words and a test can check that no member
was left without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "ChargePointErrorCode",
    "ChargePointStatus",
    "ConnectorStatus",
    "StationStatus",
]


class ChargePointStatus(StrEnum):
    """A connector's state as an OCPP 1.6 charge point reports it."""

    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EVSE = "SuspendedEVSE"
    SUSPENDED_EV = "SuspendedEV"
    FINISHING = "Finishing"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this state means."""
        return _CHARGE_POINT_STATUS_DESCRIPTIONS[self]

    @property
    def is_operative(self) -> bool:
        """Whether OCPP counts this state as operative (usable, or in use)."""
        return self not in _INOPERATIVE

    @property
    def allowed_on_connector_zero(self) -> bool:
        """Whether connector 0, the main controller, may report this state."""
        return self in CONNECTOR_ZERO_STATUSES


_INOPERATIVE = frozenset({ChargePointStatus.UNAVAILABLE, ChargePointStatus.FAULTED})

#: The only states OCPP 1.6 lets connector 0 (the main controller) report.
CONNECTOR_ZERO_STATUSES: frozenset[ChargePointStatus] = frozenset(
    {
        ChargePointStatus.AVAILABLE,
        ChargePointStatus.UNAVAILABLE,
        ChargePointStatus.FAULTED,
    }
)

_CHARGE_POINT_STATUS_DESCRIPTIONS: Mapping[ChargePointStatus, str] = MappingProxyType(
    {
        ChargePointStatus.AVAILABLE: "Free and ready for the next driver.",
        ChargePointStatus.PREPARING: (
            "Taken by a driver (card shown, cable in or bay occupied), "
            "no transaction running yet."
        ),
        ChargePointStatus.CHARGING: "Contactor closed; energy flows to the vehicle.",
        ChargePointStatus.SUSPENDED_EVSE: (
            "Vehicle plugged in, but the station is holding energy back "
            "(for example a smart-charging limit)."
        ),
        ChargePointStatus.SUSPENDED_EV: (
            "Vehicle plugged in and energy offered, but the vehicle draws none."
        ),
        ChargePointStatus.FINISHING: (
            "Transaction over, but the cable or the vehicle is still there."
        ),
        ChargePointStatus.RESERVED: "Held for someone by a reservation.",
        ChargePointStatus.UNAVAILABLE: (
            "Taken out of service by a command or by the station itself."
        ),
        ChargePointStatus.FAULTED: "An error stops it from delivering energy.",
    }
)


class ChargePointErrorCode(StrEnum):
    """The error code an OCPP 1.6 StatusNotification carries beside the status."""

    CONNECTOR_LOCK_FAILURE = "ConnectorLockFailure"
    EV_COMMUNICATION_ERROR = "EVCommunicationError"
    GROUND_FAILURE = "GroundFailure"
    HIGH_TEMPERATURE = "HighTemperature"
    INTERNAL_ERROR = "InternalError"
    LOCAL_LIST_CONFLICT = "LocalListConflict"
    NO_ERROR = "NoError"
    OTHER_ERROR = "OtherError"
    OVER_CURRENT_FAILURE = "OverCurrentFailure"
    OVER_VOLTAGE = "OverVoltage"
    POWER_METER_FAILURE = "PowerMeterFailure"
    POWER_SWITCH_FAILURE = "PowerSwitchFailure"
    READER_FAILURE = "ReaderFailure"
    RESET_FAILURE = "ResetFailure"
    UNDER_VOLTAGE = "UnderVoltage"
    WEAK_SIGNAL = "WeakSignal"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this error code means."""
        return _ERROR_CODE_DESCRIPTIONS[self]


_ERROR_CODE_DESCRIPTIONS: Mapping[ChargePointErrorCode, str] = MappingProxyType(
    {
        ChargePointErrorCode.CONNECTOR_LOCK_FAILURE: (
            "The cable could not be locked or unlocked."
        ),
        ChargePointErrorCode.EV_COMMUNICATION_ERROR: (
            "The station and the vehicle cannot talk to each other."
        ),
        ChargePointErrorCode.GROUND_FAILURE: (
            "A ground fault (residual current) was detected."
        ),
        ChargePointErrorCode.HIGH_TEMPERATURE: "Something inside is running too hot.",
        ChargePointErrorCode.INTERNAL_ERROR: (
            "The station's own hardware or software failed."
        ),
        ChargePointErrorCode.LOCAL_LIST_CONFLICT: (
            "The local authorisation list and the operator disagree about a card."
        ),
        ChargePointErrorCode.NO_ERROR: "Nothing is wrong.",
        ChargePointErrorCode.OTHER_ERROR: (
            "A problem with no code of its own; the vendor fields may say more."
        ),
        ChargePointErrorCode.OVER_CURRENT_FAILURE: "More current flowed than allowed.",
        ChargePointErrorCode.OVER_VOLTAGE: "The supply voltage is too high.",
        ChargePointErrorCode.POWER_METER_FAILURE: "The energy meter cannot be read.",
        ChargePointErrorCode.POWER_SWITCH_FAILURE: (
            "The contactor or relay did not switch as commanded."
        ),
        ChargePointErrorCode.READER_FAILURE: "The card reader does not work.",
        ChargePointErrorCode.RESET_FAILURE: "A requested reset did not happen.",
        ChargePointErrorCode.UNDER_VOLTAGE: "The supply voltage is too low.",
        ChargePointErrorCode.WEAK_SIGNAL: (
            "The station's wireless link to the operator is poor."
        ),
    }
)


class ConnectorStatus(StrEnum):
    """What a driver needs to know about one connector."""

    AVAILABLE = "Available"
    OCCUPIED = "Occupied"
    FAULTED = "Faulted"
    UNAVAILABLE = "Unavailable"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this status means."""
        return _CONNECTOR_STATUS_DESCRIPTIONS[self]


_CONNECTOR_STATUS_DESCRIPTIONS: Mapping[ConnectorStatus, str] = MappingProxyType(
    {
        ConnectorStatus.AVAILABLE: "You can plug in and charge now.",
        ConnectorStatus.OCCUPIED: "Someone is plugged in here, charging or not.",
        ConnectorStatus.FAULTED: "Broken for now: it reported an error.",
        ConnectorStatus.UNAVAILABLE: (
            "Not usable right now: reserved, switched off, or out of contact."
        ),
    }
)


class StationStatus(StrEnum):
    """What drivers, maps and support staff need to know about a whole station."""

    AVAILABLE = "Available"
    CHARGING = "Charging"
    OFFLINE = "Offline"
    OUT_OF_ORDER = "Out of Order"
    INOPERATIVE = "Inoperative"
    REMOVED = "Removed"
    RESERVED = "Reserved"
    UNKNOWN = "Unknown"
    UNAVAILABLE = "Unavailable"

    @property
    def description(self) -> str:
        """One line, in plain words, on what this status means."""
        return _STATION_STATUS_DESCRIPTIONS[self]


_STATION_STATUS_DESCRIPTIONS: Mapping[StationStatus, str] = MappingProxyType(
    {
        StationStatus.AVAILABLE: "At least one connector is free to use.",
        StationStatus.CHARGING: "Every connector has a vehicle on it in a session.",
        StationStatus.OFFLINE: (
            "The station is not talking to the platform (power or network)."
        ),
        StationStatus.OUT_OF_ORDER: (
            "Broken: its connectors are faulted or switched off, at least one faulted."
        ),
        StationStatus.INOPERATIVE: (
            "Switched off on the platform, whether or not it is connected."
        ),
        StationStatus.REMOVED: "Taken off the platform for good.",
        StationStatus.RESERVED: "Every connector is held by a reservation.",
        StationStatus.UNKNOWN: "Connected, but no connector has reported yet.",
        StationStatus.UNAVAILABLE: (
            "No connector can take a new driver now; unplugging may free one."
        ),
    }
)
