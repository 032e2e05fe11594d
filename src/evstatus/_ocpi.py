"""The OCPI 2.2.1 EVSE status, as published to roaming partners."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = ["OcpiEvseStatus"]


class OcpiEvseStatus(StrEnum):
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
    def description(self) -> str:
        """One line, in plain words, on what this status means."""
        return _OCPI_STATUS_DESCRIPTIONS[self]

    @property
    def has_ocpp_source(self) -> bool:
        """Whether some OCPP report or platform flag can lead to this status.

        PLANNED and BLOCKED cannot: a caller asks for them explicitly.
        """
        return self not in _CALLER_ONLY


_CALLER_ONLY = frozenset({OcpiEvseStatus.PLANNED, OcpiEvseStatus.BLOCKED})

_OCPI_STATUS_DESCRIPTIONS: Mapping[OcpiEvseStatus, str] = MappingProxyType(
    {
        OcpiEvseStatus.AVAILABLE: "Ready: a new session can start now.",
        OcpiEvseStatus.BLOCKED: (
            "Cannot be reached: something physical, such as a parked car, is in "
            "the way."
        ),
        OcpiEvseStatus.CHARGING: "In use by a driver.",
        OcpiEvseStatus.INOPERATIVE: (
            "Not usable for now (switched off or not yet commissioned), but not broken."
        ),
        OcpiEvseStatus.OUTOFORDER: "Not usable because something is broken.",
        OcpiEvseStatus.PLANNED: "Not built or commissioned yet; coming soon.",
        OcpiEvseStatus.REMOVED: "Taken away for good (OCPI's stand-in for deleting).",
        OcpiEvseStatus.RESERVED: "Held for one driver; others cannot use it.",
        OcpiEvseStatus.UNKNOWN: (
            "No status is known, for example because the station is offline."
        ),
    }
)
