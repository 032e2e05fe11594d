"""evse_status, over every combination of state, main controller and flags."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from evstatus import (
    ChargePointStatus,
    ConnectorReport,
    InvalidReport,
    ocpp201,
)
from evstatus.ocpi import EvseStatus, evse_status
from evstatus.rules import (
    OCPI_BLOCKED,
    OCPI_FLAG_RULES,
    OCPI_MAIN_CONTROLLER_OVERRIDES,
    OcpiFacts,
)

CPS = ChargePointStatus
O2 = ocpp201.ConnectorState
OCPI = EvseStatus
MOMENT = datetime(2026, 11, 22, tzinfo=UTC)

IN_USE = {
    "Preparing",
    "Charging",
    "SuspendedEV",
    "SuspendedEVSE",
    "Finishing",
    "Occupied",
}


def reference(  # noqa: PLR0917
    state: str | None,
    main: str | None,
    online: bool,
    enabled: bool,
    removed: bool,
    planned: bool,
    blocked: bool,
) -> str:
    """The default OCPI mapping, written out by hand as an if-chain."""
    if removed:
        return "REMOVED"
    if planned:
        return "PLANNED"
    if not enabled:
        return "INOPERATIVE"
    if not online:
        return "UNKNOWN"
    if main == "Faulted":
        return "OUTOFORDER"
    if main == "Unavailable":
        return "OUTOFORDER" if state == "Faulted" else "INOPERATIVE"
    if state is None:
        return "UNKNOWN"
    if state == "Available":
        return "BLOCKED" if blocked else "AVAILABLE"
    if state in IN_USE:
        return "CHARGING"
    return {"Reserved": "RESERVED", "Unavailable": "INOPERATIVE"}.get(
        state, "OUTOFORDER"
    )


def _inputs() -> list[object]:
    given: list[object] = [None]
    for status in CPS:
        given += [status, ConnectorReport(connector_id=3, status=status)]
    for new in O2:
        given += [
            new,
            ocpp201.ConnectorReport(
                evse_id=1, connector_id=2, status=new, timestamp=MOMENT
            ),
        ]
    return given


def _text(given: object) -> str | None:
    if isinstance(given, ConnectorReport):
        return given.status.value
    if isinstance(given, ocpp201.ConnectorReport):
        return given.status.value
    return None if given is None else str(given)


MAINS: list[CPS | O2 | None] = [
    None,
    CPS.AVAILABLE,
    CPS.UNAVAILABLE,
    CPS.FAULTED,
    O2.AVAILABLE,
    O2.UNAVAILABLE,
    O2.FAULTED,
]


@pytest.mark.parametrize("flags", list(itertools.product([True, False], repeat=5)))
def test_every_combination(flags: tuple[bool, bool, bool, bool, bool]) -> None:
    online, enabled, removed, planned, blocked = flags
    for given, main in itertools.product(_inputs(), MAINS):
        got = evse_status(
            given,  # type: ignore[arg-type]
            main=main,
            online=online,
            enabled=enabled,
            removed=removed,
            planned=planned,
            blocked=blocked,
        )
        expected = reference(
            _text(given),
            None if main is None else main.value,
            online,
            enabled,
            removed,
            planned,
            blocked,
        )
        assert type(got) is OCPI
        assert got.value == expected, (given, main, flags)


def test_the_flag_rules_are_the_documented_order() -> None:
    assert [rule.status for rule in OCPI_FLAG_RULES] == [
        OCPI.REMOVED,
        OCPI.PLANNED,
        OCPI.INOPERATIVE,
        OCPI.UNKNOWN,
    ]
    # Each rule looks at its own flag and at nothing else.
    alone = [
        OcpiFacts(removed=True, planned=False, enabled=True, online=True),
        OcpiFacts(removed=False, planned=True, enabled=True, online=True),
        OcpiFacts(removed=False, planned=False, enabled=False, online=True),
        OcpiFacts(removed=False, planned=False, enabled=True, online=False),
    ]
    for index, rule in enumerate(OCPI_FLAG_RULES):
        assert [rule.applies(facts) for facts in alone] == [
            other == index for other in range(len(alone))
        ]


def test_main_controller_overrides_table() -> None:
    assert set(OCPI_MAIN_CONTROLLER_OVERRIDES) == {CPS.FAULTED, CPS.UNAVAILABLE}
    for table in OCPI_MAIN_CONTROLLER_OVERRIDES.values():
        assert set(table) == set(OCPI)
    assert set(OCPI_MAIN_CONTROLLER_OVERRIDES[CPS.FAULTED].values()) == {
        OCPI.OUTOFORDER
    }
    unavailable = OCPI_MAIN_CONTROLLER_OVERRIDES[CPS.UNAVAILABLE]
    assert unavailable[OCPI.OUTOFORDER] is OCPI.OUTOFORDER
    assert {unavailable[s] for s in OCPI if s is not OCPI.OUTOFORDER} == {
        OCPI.INOPERATIVE
    }


def test_blocked_and_planned_come_only_from_the_caller() -> None:
    seen = {
        evse_status(given, main=main, online=online)  # type: ignore[arg-type]
        for given, main, online in itertools.product(_inputs(), MAINS, [True, False])
    }
    assert OCPI.BLOCKED not in seen
    assert OCPI.PLANNED not in seen
    assert seen | {OCPI.BLOCKED, OCPI.PLANNED, OCPI.REMOVED} == set(OCPI)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"report_or_status": "Available"}, TypeError, "report_or_status"),
        ({"report_or_status": None, "main": CPS.CHARGING}, ValueError, "main"),
        ({"report_or_status": None, "main": O2.OCCUPIED}, ValueError, "main"),
        ({"report_or_status": None, "main": "Faulted"}, TypeError, "main"),
        ({"report_or_status": None, "blocked": None}, TypeError, "blocked"),
        ({"report_or_status": None, "planned": 0}, TypeError, "planned"),
        (
            {"report_or_status": 1, "online": 1, "blocked": None, "main": 0},
            TypeError,
            "online",
        ),
    ],
)
def test_bad_arguments(
    kwargs: dict[str, object], error: type[Exception], field: str
) -> None:
    # A caller's mistake: an ordinary TypeError or ValueError, naming the
    # first bad argument.
    with pytest.raises(error) as caught:
        evse_status(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(f"{field}: got ")
    assert not isinstance(caught.value, InvalidReport)


def test_a_connector_zero_report_reads_like_its_state() -> None:
    # Failed before: connector_status took a connector-0 report, evse_status
    # refused it. Both read any report by its state now.
    report = ConnectorReport(connector_id=0, status=CPS.FAULTED)
    assert evse_status(report) is evse_status(CPS.FAULTED) is OCPI.OUTOFORDER
    assert evse_status(None, main=report) is OCPI.OUTOFORDER


# --- blocked bays -------------------------------------------------------------


def test_blocked_follows_its_table() -> None:
    for state in CPS:
        plain = evse_status(state)
        assert evse_status(state, blocked=True) is OCPI_BLOCKED.get(plain, plain)
