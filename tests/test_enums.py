"""The four enums: names and values exactly as SPEC.md section 1 fixes them."""

from __future__ import annotations

import json
from enum import StrEnum

import pytest

from evstatus import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorStatus,
    Reason,
    StationStatus,
)

# SPEC.md section 1, copied as literal data: the contract users import by.
SPEC_MEMBERS: dict[type[StrEnum], dict[str, str]] = {
    ChargePointStatus: {
        "AVAILABLE": "Available",
        "PREPARING": "Preparing",
        "CHARGING": "Charging",
        "SUSPENDED_EVSE": "SuspendedEVSE",
        "SUSPENDED_EV": "SuspendedEV",
        "FINISHING": "Finishing",
        "RESERVED": "Reserved",
        "UNAVAILABLE": "Unavailable",
        "FAULTED": "Faulted",
    },
    ChargePointErrorCode: {
        "CONNECTOR_LOCK_FAILURE": "ConnectorLockFailure",
        "EV_COMMUNICATION_ERROR": "EVCommunicationError",
        "GROUND_FAILURE": "GroundFailure",
        "HIGH_TEMPERATURE": "HighTemperature",
        "INTERNAL_ERROR": "InternalError",
        "LOCAL_LIST_CONFLICT": "LocalListConflict",
        "NO_ERROR": "NoError",
        "OTHER_ERROR": "OtherError",
        "OVER_CURRENT_FAILURE": "OverCurrentFailure",
        "OVER_VOLTAGE": "OverVoltage",
        "POWER_METER_FAILURE": "PowerMeterFailure",
        "POWER_SWITCH_FAILURE": "PowerSwitchFailure",
        "READER_FAILURE": "ReaderFailure",
        "RESET_FAILURE": "ResetFailure",
        "UNDER_VOLTAGE": "UnderVoltage",
        "WEAK_SIGNAL": "WeakSignal",
    },
    ConnectorStatus: {
        "AVAILABLE": "Available",
        "OCCUPIED": "Occupied",
        "FAULTED": "Faulted",
        "UNAVAILABLE": "Unavailable",
    },
    StationStatus: {
        "AVAILABLE": "Available",
        "CHARGING": "Charging",
        "OFFLINE": "Offline",
        "OUT_OF_ORDER": "Out of Order",
        "INOPERATIVE": "Inoperative",
        "REMOVED": "Removed",
        "RESERVED": "Reserved",
        "UNKNOWN": "Unknown",
        "UNAVAILABLE": "Unavailable",
    },
}

DESCRIBED: tuple[type[StrEnum], ...] = (*SPEC_MEMBERS, Reason)


@pytest.mark.parametrize("enum", SPEC_MEMBERS, ids=lambda e: e.__name__)
def test_members_and_values_are_exactly_the_spec(enum: type[StrEnum]) -> None:
    assert {m.name: m.value for m in enum} == SPEC_MEMBERS[enum]


@pytest.mark.parametrize("enum", DESCRIBED, ids=lambda e: e.__name__)
def test_str_and_json_give_the_wire_value(enum: type[StrEnum]) -> None:
    assert issubclass(enum, StrEnum)
    for member in enum:
        assert str(member) == member.value
        assert json.dumps(member) == json.dumps(member.value)
        assert f"{member}" == member.value


@pytest.mark.parametrize("enum", DESCRIBED, ids=lambda e: e.__name__)
def test_every_member_has_a_one_line_description(enum: type[StrEnum]) -> None:
    descriptions = [getattr(member, "description") for member in enum]  # noqa: B009
    for text in descriptions:
        assert isinstance(text, str)
        assert text.strip() == text
        assert 10 <= len(text) <= 100
        assert "\n" not in text
    assert len(set(descriptions)) == len(descriptions), "descriptions are distinct"


def test_is_operative_follows_ocpp() -> None:
    inoperative = {ChargePointStatus.UNAVAILABLE, ChargePointStatus.FAULTED}
    for status in ChargePointStatus:
        assert status.is_operative is (status not in inoperative)


def test_connector_zero_may_report_only_three_states() -> None:
    assert {
        ChargePointStatus.AVAILABLE,
        ChargePointStatus.UNAVAILABLE,
        ChargePointStatus.FAULTED,
    } == CONNECTOR_ZERO_STATUSES
    for status in ChargePointStatus:
        assert status.allowed_on_connector_zero is (status in CONNECTOR_ZERO_STATUSES)


def _ocpp_members(version: str, name: str) -> list[str]:
    """The members of one of the ocpp package's enums (str subclasses)."""
    enums = pytest.importorskip(f"ocpp.{version}.enums")
    members: list[str] = list(getattr(enums, name))
    assert members
    assert all(isinstance(member, str) for member in members)
    return members


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (ChargePointStatus, "ChargePointStatus"),
        (ChargePointErrorCode, "ChargePointErrorCode"),
    ],
)
def test_the_ocpp_packages_members_convert_by_value(
    ours: type[StrEnum], theirs: str
) -> None:
    converted = {ours(member) for member in _ocpp_members("v16", theirs)}
    assert converted == set(ours)
