"""The rule tables and vocabularies, written out as Markdown from the code.

The documentation site fills these into its pages when it is built (see
``docs/hooks.py``), and the README carries the station table, checked by a
test; so no table in prose can drift from the data in ``_rules`` and
``_enums``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType

from ._enums import (
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorStatus,
    StationStatus,
)
from ._rules import (
    CONNECTOR_STATUS_BY_OCPP,
    FLAGGED_CONNECTOR_STATUS,
    MAIN_CONTROLLER_OVERRIDES,
    STATION_RULES,
    Reason,
)

__all__ = ["ENUMS", "TABLES", "markdown_table", "members_table"]

#: The enums whose members the docs list, by name.
ENUMS: Mapping[str, type[StrEnum]] = MappingProxyType(
    {
        enum.__name__: enum
        for enum in (
            ChargePointStatus,
            ChargePointErrorCode,
            ConnectorStatus,
            StationStatus,
            Reason,
        )
    }
)


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return a Markdown table; a ``|`` inside a cell is escaped."""
    lines = [_row(header), _row(["---"] * len(header)), *map(_row, rows)]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", r"\|") for cell in cells) + " |"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _description(member: StrEnum) -> str:
    # Every evstatus enum has a `description` property; StrEnum does not say so.
    description: str = getattr(member, "description")  # noqa: B009
    return _capitalised(description)


def members_table(enum: type[StrEnum]) -> str:
    """Return an enum's members: the value, the member's name, and its meaning."""
    return markdown_table(
        ["Value", "Member", "Meaning"],
        ([f"`{m.value}`", f"`{m.name}`", _description(m)] for m in enum),
    )


def connector_status_table() -> str:
    """Return each OCPP 1.6 state and the connector status a driver is told."""
    return markdown_table(
        ["OCPP 1.6 state", "Connector status", "What the driver is told"],
        (
            [
                f"`{ocpp}`",
                f"`{CONNECTOR_STATUS_BY_OCPP[ocpp]}`",
                CONNECTOR_STATUS_BY_OCPP[ocpp].description,
            ]
            for ocpp in ChargePointStatus
        ),
    )


def connector_overrides_table() -> str:
    """Return how the flags and connector 0 change what each connector shows."""
    own = list(ConnectorStatus)
    rows = [
        [
            "Removed, not enabled or offline",
            *(f"`{FLAGGED_CONNECTOR_STATUS}`" for _ in own),
        ],
        *(
            [f"Connector 0 {main}", *(f"`{overrides[status]}`" for status in own)]
            for main, overrides in MAIN_CONTROLLER_OVERRIDES.items()
        ),
        [
            f"Connector 0 {ChargePointStatus.AVAILABLE}, or no report from it",
            *(f"`{status}`" for status in own),
        ],
    ]
    return markdown_table(["When", *(f"Own `{status}`" for status in own)], rows)


def station_rules_table() -> str:
    """Return the station decision table: the first rule that applies decides."""
    return markdown_table(
        ["#", "When", "Station status", "`Reason`"],
        (
            [
                str(rule.number),
                _capitalised(rule.condition),
                str(rule.status),
                f"`{rule.reason}`",
            ]
            for rule in STATION_RULES
        ),
    )


#: Every table by the name the docs' markers and ``evstatus tables`` use.
TABLES: Mapping[str, Callable[[], str]] = MappingProxyType(
    {
        "connector-status-by-ocpp": connector_status_table,
        "connector-overrides": connector_overrides_table,
        "station-rules": station_rules_table,
    }
)
