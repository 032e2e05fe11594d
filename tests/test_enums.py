"""The enums: the wire values users import by, and what every enum promises.

The four enums of connector and station status are checked member by member
against a copy written out by hand. Every other check runs over every enum the
package exports, found by walking its public modules, so that an enum added
later is checked without being listed here.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from enum import Enum, StrEnum

import pytest

import evstatus
from evstatus import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorStatus,
    StationStatus,
)
from evstatus._enums import DescribedEnum, describe

# Written out by hand, as users see them: the names and values they import by.
WIRE_MEMBERS: dict[type[StrEnum], dict[str, str]] = {
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


def _public_modules() -> list[str]:
    """The package and each of its public modules, the testing helpers too."""
    names = [
        module.name
        for module in pkgutil.walk_packages(evstatus.__path__, prefix="evstatus.")
        if not any(part.startswith("_") for part in module.name.split("."))
    ]
    return ["evstatus", *sorted(names)]


def _exported_enums() -> list[type[Enum]]:
    """Every enum class a public module exports, once each, in module order."""
    found: dict[type[Enum], None] = {}
    for name in _public_modules():
        module = importlib.import_module(name)
        for exported in getattr(module, "__all__", ()):
            value = getattr(module, exported)
            if isinstance(value, type) and issubclass(value, Enum):
                found[value] = None
    return list(found)


ENUMS = _exported_enums()
DESCRIBED = [enum for enum in ENUMS if issubclass(enum, DescribedEnum)]


def test_the_enums_are_found() -> None:
    names = {enum.__name__ for enum in ENUMS}
    assert set(WIRE_MEMBERS) <= set(ENUMS)
    assert {"RepairKind", "EvseStatus", "ConnectorState", "Deviation"} <= names
    assert len(DESCRIBED) >= 12


@pytest.mark.parametrize("enum", WIRE_MEMBERS, ids=lambda e: e.__name__)
def test_members_and_values_are_exactly_the_written_ones(enum: type[StrEnum]) -> None:
    assert {m.name: m.value for m in enum} == WIRE_MEMBERS[enum]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_str_and_json_give_the_wire_value(enum: type[Enum]) -> None:
    assert issubclass(enum, StrEnum)
    for member in enum:
        assert str(member) == member.value
        assert json.dumps(member) == json.dumps(member.value)
        assert f"{member}" == member.value


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_enum_is_described_through_the_one_base(enum: type[Enum]) -> None:
    assert issubclass(enum, DescribedEnum)
    for member in enum:
        assert isinstance(member, DescribedEnum)
        assert member.description


@pytest.mark.parametrize("enum", DESCRIBED, ids=lambda e: e.__name__)
def test_every_member_has_a_one_line_description(enum: type[DescribedEnum]) -> None:
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


# --- describing members -------------------------------------------------------


def test_describe_refuses_a_table_that_leaves_a_member_out() -> None:
    class Two(DescribedEnum):
        ONE = "one"
        TWO = "two"

    with pytest.raises(AssertionError, match="Two: describe every member"):
        describe(Two, {Two.ONE: "The first."})
    with pytest.raises(AssertionError):
        describe(Two, {Two.ONE: "The first.", Two.TWO: ""})
