"""docs/interop.md prints its mapping tables from the code; this checks it still does.

Each table is rendered here from the public mapping objects, and the page must
contain it verbatim. To refresh the page after changing a table, run
``python tests/test_docs_interop.py`` and paste what it prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from evstatus import (
    CONNECTOR_STATUS_BY_OCPP2,
    OCPI_FLAG_STATUSES,
    OCPI_MAIN_CONTROLLER_OVERRIDES,
    OCPI_STATUS_BY_OCPP2,
    OCPI_STATUS_BY_OCPP16,
    OCPP2_STATUS_BY_OCPP16,
    OCPP16_STATUS_BY_OCPP2,
    STATION_RULES,
    ChargePointStatus,
    ChargingState,
    OcpiEvseStatus,
    Ocpp2ConnectorStatus,
)

PAGE = Path(__file__).resolve().parent.parent / "docs" / "interop.md"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ocpp2_by_ocpp16() -> str:
    return _table(
        ["OCPP 1.6 `ChargePointStatus`", "OCPP 2.0.1 / 2.1 `ConnectorStatus`"],
        ([old.value, new.value] for old, new in OCPP2_STATUS_BY_OCPP16.items()),
    )


def ocpp16_by_ocpp2() -> str:
    states: list[ChargingState | None] = [None, *ChargingState]
    return _table(
        [
            "OCPP 2.0.1 status \\ charging state",
            *("(none known)" if s is None else s.value for s in states),
        ],
        (
            [status.value, *(OCPP16_STATUS_BY_OCPP2[status, s].value for s in states)]
            for status in Ocpp2ConnectorStatus
        ),
    )


def connector_status_by_ocpp2() -> str:
    return _table(
        ["OCPP 2.0.1 / 2.1 status", "`ConnectorStatus`"],
        ([s.value, shown.value] for s, shown in CONNECTOR_STATUS_BY_OCPP2.items()),
    )


def ocpi_by_state() -> str:
    rows = [
        [f"1.6 {old.value}", published.value]
        for old, published in OCPI_STATUS_BY_OCPP16.items()
    ]
    rows += [
        [f"2.0.1 {new.value}", published.value]
        for new, published in OCPI_STATUS_BY_OCPP2.items()
    ]
    return _table(["connector's OCPP state", "OCPI `EVSE.status`"], rows)


def ocpi_main_controller() -> str:
    mains = list(OCPI_MAIN_CONTROLLER_OVERRIDES)
    return _table(
        [
            "connector's own OCPI status",
            *(f"main controller {main.value}" for main in mains),
        ],
        (
            [own.value, *(OCPI_MAIN_CONTROLLER_OVERRIDES[m][own].value for m in mains)]
            for own in OcpiEvseStatus
            if own.has_ocpp_source and own is not OcpiEvseStatus.REMOVED
        ),
    )


def ocpi_flags() -> str:
    return _table(
        ["#", "when", "OCPI `EVSE.status`"],
        (
            [str(number), flag, status.value]
            for number, (flag, status) in enumerate(OCPI_FLAG_STATUSES, 1)
        ),
    )


def ocpi_descriptions() -> str:
    return _table(
        ["`OcpiEvseStatus`", "meaning", "from OCPP?"],
        (
            [m.value, m.description, "yes" if m.has_ocpp_source else "caller only"]
            for m in OcpiEvseStatus
        ),
    )


def enum_descriptions() -> str:
    rows = [
        [f"`Ocpp2ConnectorStatus.{m.name}`", m.description]
        for m in Ocpp2ConnectorStatus
    ]
    rows += [[f"`ChargingState.{m.name}`", m.description] for m in ChargingState]
    return _table(["member", "meaning"], rows)


def station_rules_column() -> str:
    return _table(
        ["#", "rule (SPEC.md)", "status", "`Reason`"],
        (
            [str(r.number), r.condition, r.status.value, r.reason.name]
            for r in STATION_RULES
        ),
    )


RENDERERS = [
    ocpp2_by_ocpp16,
    ocpp16_by_ocpp2,
    connector_status_by_ocpp2,
    ocpi_by_state,
    ocpi_main_controller,
    ocpi_flags,
    ocpi_descriptions,
    enum_descriptions,
    station_rules_column,
]


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
def test_page_holds_the_table_the_code_gives(render: object) -> None:
    assert callable(render)
    table = render()
    assert isinstance(table, str)
    assert table in PAGE.read_text(encoding="utf-8"), (
        f"docs/interop.md is out of date; paste this in:\n\n{table}"
    )


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


if __name__ == "__main__":  # pragma: no cover
    for render in RENDERERS:
        print(f"<!-- {render.__name__} -->\n{render()}\n")  # noqa: T201
