"""The protocol mapping tables, checked cell by cell against a copy written by hand."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from evstatus import (
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    connector_status,
    ocpp201,
)
from evstatus.ocpi import EvseStatus
from evstatus.ocpp201 import ChargingState, to_ocpp16
from evstatus.rules import (
    CONNECTOR_STATUS_BY_OCPP16,
    CONNECTOR_STATUS_BY_OCPP201,
    OCPI_STATUS_BY_OCPP16,
    OCPI_STATUS_BY_OCPP201,
    OCPP16_STATUS_BY_OCPP201,
    OCPP201_STATUS_BY_OCPP16,
)

CPS = ChargePointStatus
O2 = ocpp201.ConnectorState
OCPI = EvseStatus
STATES: tuple[ChargingState | None, ...] = (*ChargingState, None)

# Written out by hand, not computed from the library.
EXPECTED_OCPP2 = {
    "Available": "Available",
    "Preparing": "Occupied",
    "Charging": "Occupied",
    "SuspendedEV": "Occupied",
    "SuspendedEVSE": "Occupied",
    "Finishing": "Occupied",
    "Reserved": "Reserved",
    "Unavailable": "Unavailable",
    "Faulted": "Faulted",
}
EXPECTED_OCCUPIED = {
    "Charging": "Charging",
    "SuspendedEV": "SuspendedEV",
    "SuspendedEVSE": "SuspendedEVSE",
    "EVConnected": "Preparing",
    "Idle": "Preparing",
    None: "Preparing",
}
EXPECTED_OCPI = {
    "Available": "AVAILABLE",
    "Preparing": "CHARGING",
    "Charging": "CHARGING",
    "SuspendedEV": "CHARGING",
    "SuspendedEVSE": "CHARGING",
    "Finishing": "CHARGING",
    "Occupied": "CHARGING",
    "Reserved": "RESERVED",
    "Unavailable": "INOPERATIVE",
    "Faulted": "OUTOFORDER",
}


def test_ocpp16_to_ocpp2_table() -> None:
    assert set(OCPP201_STATUS_BY_OCPP16) == set(CPS)
    for old, new in OCPP201_STATUS_BY_OCPP16.items():
        assert type(old) is CPS
        assert type(new) is O2
        assert new.value == EXPECTED_OCPP2[old.value]
        assert ocpp201.from_ocpp16(old) is new
        assert ocpp201.from_ocpp16(ConnectorReport(connector_id=1, status=old)) is new


def test_ocpp2_to_ocpp16_table() -> None:
    assert set(OCPP16_STATUS_BY_OCPP201) == set(itertools.product(O2, STATES))
    for (status, state), old in OCPP16_STATUS_BY_OCPP201.items():
        assert type(old) is CPS
        if status is O2.OCCUPIED:
            assert (
                old.value == EXPECTED_OCCUPIED[None if state is None else state.value]
            )
        else:
            # Only Occupied is refined; the others keep their names.
            assert old.value == status.value
        assert to_ocpp16(status, state) is old


def test_occupied_is_never_charging_without_a_charging_state() -> None:
    charging = {CPS.CHARGING, CPS.SUSPENDED_EV, CPS.SUSPENDED_EVSE}
    for status in O2:
        assert OCPP16_STATUS_BY_OCPP201[status, None] not in charging


def test_the_round_trip_16_to_2_to_16_keeps_what_2_can_say() -> None:
    for old in CPS:
        new = OCPP201_STATUS_BY_OCPP16[old]
        if new is not O2.OCCUPIED:
            assert to_ocpp16(new) is old
    for status, state in itertools.product(O2, STATES):
        assert ocpp201.from_ocpp16(to_ocpp16(status, state)) is status


def test_connector_status_from_ocpp2_is_composed_from_the_16_tables() -> None:
    assert set(CONNECTOR_STATUS_BY_OCPP201) == set(O2)
    expected = {
        O2.AVAILABLE: ConnectorStatus.AVAILABLE,
        O2.OCCUPIED: ConnectorStatus.OCCUPIED,
        O2.RESERVED: ConnectorStatus.UNAVAILABLE,
        O2.UNAVAILABLE: ConnectorStatus.UNAVAILABLE,
        O2.FAULTED: ConnectorStatus.FAULTED,
    }
    assert dict(CONNECTOR_STATUS_BY_OCPP201) == expected
    for status, state in itertools.product(O2, STATES):
        # The charging state never changes what a driver is told.
        assert CONNECTOR_STATUS_BY_OCPP16[to_ocpp16(status, state)] is expected[status]
    for old in CPS:
        assert (
            CONNECTOR_STATUS_BY_OCPP201[ocpp201.from_ocpp16(old)]
            is CONNECTOR_STATUS_BY_OCPP16[old]
        )


@pytest.mark.parametrize("flags", list(itertools.product([True, False], repeat=3)))
def test_connector_status_takes_ocpp2_input(flags: tuple[bool, bool, bool]) -> None:
    online, enabled, removed = flags
    in_service = online and enabled and not removed
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for status in O2:
        report = ocpp201.ConnectorReport(
            evse_id=1, connector_id=1, status=status, timestamp=moment
        )
        expected = (
            CONNECTOR_STATUS_BY_OCPP201[status]
            if in_service
            else ConnectorStatus.UNAVAILABLE
        )
        for given in (status, report):
            shown = connector_status(
                given, online=online, enabled=enabled, removed=removed
            )
            assert shown is expected


def test_ocpi_tables() -> None:
    assert set(OCPI_STATUS_BY_OCPP16) == set(CPS)
    assert set(OCPI_STATUS_BY_OCPP201) == set(O2)
    for old, published in OCPI_STATUS_BY_OCPP16.items():
        assert published.value == EXPECTED_OCPI[old.value]
        # A station's OCPP version never changes what roaming partners see.
        assert OCPI_STATUS_BY_OCPP201[OCPP201_STATUS_BY_OCPP16[old]] is published
    for status, published in OCPI_STATUS_BY_OCPP201.items():
        assert published.value == EXPECTED_OCPI[status.value]
    used = {*OCPI_STATUS_BY_OCPP16.values(), *OCPI_STATUS_BY_OCPP201.values()}
    assert OCPI.PLANNED not in used
    assert OCPI.BLOCKED not in used


def test_descriptions_cover_every_member() -> None:
    for enum in (ocpp201.ConnectorState, ChargingState, EvseStatus):
        for member in enum:
            assert member.description
            assert member.description.endswith(".")
            assert len(member.description) < 100
            assert str(member) == member.value
    assert [m for m in OCPI if not m.has_ocpp_source] == [OCPI.BLOCKED, OCPI.PLANNED]


def test_the_two_status_enums_compare_as_text_so_keep_them_apart() -> None:
    # StrEnum members equal their text, so "Available" in 1.6 equals
    # "Available" in 2.0.1; that is why the tables are separate.
    old: object = CPS.AVAILABLE
    new: object = O2.AVAILABLE
    assert old == new
    assert old is not new


@pytest.mark.parametrize(
    ("call", "fields"),
    [
        (lambda: ocpp201.from_ocpp16("Available"), ["report_or_status"]),  # type: ignore[arg-type]
        (lambda: ocpp201.from_ocpp16(O2.AVAILABLE), ["report_or_status"]),  # type: ignore[arg-type]
        (lambda: to_ocpp16(CPS.AVAILABLE), ["report_or_state"]),  # type: ignore[arg-type]
        (lambda: to_ocpp16(O2.OCCUPIED, "Charging"), ["charging_state"]),  # type: ignore[arg-type]
        (
            lambda: to_ocpp16(None, CPS.CHARGING),  # type: ignore[arg-type]
            ["report_or_state"],
        ),
        (lambda: connector_status("Occupied"), ["report_or_status"]),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments(call: object, fields: list[str]) -> None:
    assert callable(call)
    # A caller's mistake: a TypeError naming the first bad argument.
    with pytest.raises(TypeError) as caught:
        call()
    assert str(caught.value).startswith(f"{fields[0]}: got ")


def test_to_ocpp16_takes_a_report() -> None:
    report = ocpp201.ConnectorReport.from_ocpp(
        {
            "timestamp": "2026-11-22T10:15:00Z",
            "connectorStatus": "Occupied",
            "evseId": 1,
            "connectorId": 1,
        }
    )
    assert to_ocpp16(report, ChargingState.SUSPENDED_EVSE) is CPS.SUSPENDED_EVSE
    assert to_ocpp16(report) is CPS.PREPARING
