"""Every status vocabulary of the library, each member with its description.

Two are ours (:class:`ConnectorStatus`, :class:`StationStatus`); the others
are the protocols' own: OCPP 1.6's :class:`ChargePointStatus` and
:class:`ChargePointErrorCode`, OCPP 2.0.1's :class:`ConnectorState` and
:class:`ChargingState`, OCPI 2.2.1's :class:`EvseStatus`. The public domain
modules re-export them; they live together here so that the rule tables can
use them all without a cycle of imports.

Every enum is a :class:`DescribedEnum`: its members' one-line descriptions
are given right under the class, through :func:`describe`, which refuses a
table that leaves a member out.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final, TypeVar

from ._frozen import FrozenMap

__all__ = [
    "CONNECTOR_ZERO_STATUSES",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "ChargingState",
    "ConnectorState",
    "ConnectorStatus",
    "DescribedEnum",
    "EvseStatus",
    "StationStatus",
    "describe",
]

_E = TypeVar("_E", bound="DescribedEnum")
_DESCRIPTIONS: dict[type[DescribedEnum], Mapping[DescribedEnum, str]] = {}


class DescribedEnum(StrEnum):
    """A string enum whose every member carries a one-line description."""

    @property
    def description(self) -> str:
        """One line, in plain words, on what this member means."""
        return _DESCRIPTIONS[type(self)][self]


def describe(enum: type[_E], descriptions: Mapping[_E, str]) -> None:
    """Give *enum*'s members their descriptions: one for each, no more."""
    if set(descriptions) != set(enum) or not all(descriptions.values()):
        raise AssertionError(f"{enum.__name__}: describe every member, once")
    _DESCRIPTIONS[enum] = FrozenMap[DescribedEnum, str](descriptions.items())


class ChargePointStatus(DescribedEnum):
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
    def is_operative(self) -> bool:
        """Whether OCPP counts this state as operative (usable, or in use)."""
        return self not in _INOPERATIVE

    @property
    def allowed_on_connector_zero(self) -> bool:
        """Whether connector 0, the main controller, may report this state."""
        return self in CONNECTOR_ZERO_STATUSES


_INOPERATIVE = frozenset({ChargePointStatus.UNAVAILABLE, ChargePointStatus.FAULTED})

CONNECTOR_ZERO_STATUSES: Final[frozenset[ChargePointStatus]] = frozenset(
    {
        ChargePointStatus.AVAILABLE,
        ChargePointStatus.UNAVAILABLE,
        ChargePointStatus.FAULTED,
    }
)
"""The only states OCPP 1.6 lets connector 0 (the main controller) report.

Available, Unavailable and Faulted. A connector-0 payload with any other state
is refused by :meth:`~evstatus.ocpp16.ConnectorReport.from_ocpp`, and recorded
as an anomaly by :meth:`~evstatus.history.StationState.step`.
"""

describe(
    ChargePointStatus,
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
    },
)


class ChargePointErrorCode(DescribedEnum):
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


describe(
    ChargePointErrorCode,
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
    },
)


class ConnectorStatus(DescribedEnum):
    """What a driver needs to know about one connector."""

    AVAILABLE = "Available"
    OCCUPIED = "Occupied"
    FAULTED = "Faulted"
    UNAVAILABLE = "Unavailable"


describe(
    ConnectorStatus,
    {
        ConnectorStatus.AVAILABLE: "You can plug in and charge now.",
        ConnectorStatus.OCCUPIED: "Someone is plugged in here, charging or not.",
        ConnectorStatus.FAULTED: "Broken for now: it reported an error.",
        ConnectorStatus.UNAVAILABLE: (
            "Not usable right now: reserved, switched off, or out of contact."
        ),
    },
)


class StationStatus(DescribedEnum):
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


describe(
    StationStatus,
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
    },
)


class ConnectorState(DescribedEnum):
    """A connector's state as an OCPP 2.0.1 or 2.1 charging station reports it."""

    AVAILABLE = "Available"
    OCCUPIED = "Occupied"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"


describe(
    ConnectorState,
    {
        ConnectorState.AVAILABLE: "Free; a new driver can start here.",
        ConnectorState.OCCUPIED: (
            "In use: a cable, a vehicle or a session holds it; "
            "the charging state tells more."
        ),
        ConnectorState.RESERVED: "Kept for one driver by a reservation.",
        ConnectorState.UNAVAILABLE: (
            "Switched off, by a command or by the station, without being broken."
        ),
        ConnectorState.FAULTED: "Broken: an error keeps it from charging.",
    },
)


class ChargingState(DescribedEnum):
    """Where an OCPP 2.0.1 / 2.1 transaction stands (TransactionEvent chargingState)."""

    CHARGING = "Charging"
    EV_CONNECTED = "EVConnected"
    SUSPENDED_EV = "SuspendedEV"
    SUSPENDED_EVSE = "SuspendedEVSE"
    IDLE = "Idle"


describe(
    ChargingState,
    {
        ChargingState.CHARGING: "Energy is flowing between station and vehicle.",
        ChargingState.EV_CONNECTED: (
            "Vehicle and station are linked and know it; no energy flows yet."
        ),
        ChargingState.SUSPENDED_EV: (
            "The station offers energy, but the vehicle takes none."
        ),
        ChargingState.SUSPENDED_EVSE: (
            "The vehicle is connected, but the station offers no energy "
            "(a limit, or authorisation refused)."
        ),
        ChargingState.IDLE: "No vehicle is connected to the EVSE.",
    },
)


class EvseStatus(DescribedEnum):
    """An EVSE's status in OCPI 2.2.1 (the Locations module's ``Status`` enum)."""

    AVAILABLE = "AVAILABLE"
    BLOCKED = "BLOCKED"
    CHARGING = "CHARGING"
    INOPERATIVE = "INOPERATIVE"
    OUTOFORDER = "OUTOFORDER"
    PLANNED = "PLANNED"
    REMOVED = "REMOVED"
    RESERVED = "RESERVED"
    UNKNOWN = "UNKNOWN"

    @property
    def has_ocpp_source(self) -> bool:
        """Whether some OCPP report or platform flag can lead to this status.

        PLANNED and BLOCKED cannot: a caller asks for them explicitly.
        """
        return self not in _CALLER_ONLY


_CALLER_ONLY = frozenset({EvseStatus.PLANNED, EvseStatus.BLOCKED})

describe(
    EvseStatus,
    {
        EvseStatus.AVAILABLE: "Ready: a new session can start now.",
        EvseStatus.BLOCKED: (
            "Cannot be reached: something physical, such as a parked car, is in "
            "the way."
        ),
        EvseStatus.CHARGING: "In use by a driver.",
        EvseStatus.INOPERATIVE: (
            "Not usable for now (switched off or not yet commissioned), but not broken."
        ),
        EvseStatus.OUTOFORDER: "Not usable because something is broken.",
        EvseStatus.PLANNED: "Not built or commissioned yet; coming soon.",
        EvseStatus.REMOVED: "Taken away for good (OCPI's stand-in for deleting).",
        EvseStatus.RESERVED: "Held for one driver; others cannot use it.",
        EvseStatus.UNKNOWN: (
            "No status is known, for example because the station is offline."
        ),
    },
)
