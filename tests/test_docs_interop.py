"""docs/interop.md takes its mapping tables from the code, never by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from evstatus import ChargePointStatus
from evstatus.rules import (
    OCPI_MAIN_CONTROLLER_OVERRIDES,
    STATION_RULES,
)

PAGE = Path(__file__).resolve().parent.parent / "docs" / "interop.md"

#: The generated tables the page must hold (docs/generate.py writes them).
MARKERS = [
    "members ConnectorState",
    "members ChargingState",
    "members EvseStatus",
    "ocpp201-by-ocpp16",
    "ocpp16-by-ocpp201",
    "connector-status-by-ocpp201",
    "station-rules",
    "ocpi-flags",
    "ocpi-by-state",
    "ocpi-main-controller",
]


@pytest.mark.parametrize("marker", MARKERS)
def test_page_asks_for_the_generated_table(marker: str) -> None:
    # A table pasted into the page could drift from the code; a generated
    # region is checked against it (tests/test_docs.py).
    assert f"<!-- evstatus: {marker} -->" in PAGE.read_text(encoding="utf-8")


def test_page_reads_every_station_rule_for_ocpp2() -> None:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("How each rule reads for OCPP 2 input:", 1)[1]
    section = section.split("\n## ", 1)[0]
    numbered = [
        line.split(".", 1)[0]
        for line in section.splitlines()
        if line[:1].isdigit() and ". **" in line
    ]
    assert numbered == [str(rule.number) for rule in STATION_RULES]


def test_the_connector_zero_statuses_are_the_main_controllers() -> None:
    # The OCPI overrides table only has keys a main controller may report.
    assert all(m.allowed_on_connector_zero for m in OCPI_MAIN_CONTROLLER_OVERRIDES)
    assert ChargePointStatus.AVAILABLE not in OCPI_MAIN_CONTROLLER_OVERRIDES
