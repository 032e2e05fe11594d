"""The rule tables, written out as Markdown from the data in ``_rules``.

The docs page of decision rules embeds this text, and a test checks that the
page still matches it, so the prose tables cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ._enums import ChargePointStatus, ConnectorStatus
from ._rules import (
    CONNECTOR_STATUS_BY_OCPP,
    FLAGGED_CONNECTOR_STATUS,
    MAIN_CONTROLLER_OVERRIDES,
    STATION_RULES,
)

__all__ = ["markdown_table", "rule_tables"]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return a GitHub-flavoured Markdown table."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def connector_table() -> str:
    """Return OCPP 1.6 state -> simplified connector status, in service."""
    return markdown_table(
        ["OCPP 1.6 status", "connector status", "meaning"],
        (
            (ocpp.value, shown.value, ocpp.description)
            for ocpp, shown in CONNECTOR_STATUS_BY_OCPP.items()
        ),
    )


def override_table() -> str:
    """Return how connector 0 and the flags change what each connector shows."""
    own_statuses = list(ConnectorStatus)
    rows = [
        (
            "removed, not enabled or offline",
            *(FLAGGED_CONNECTOR_STATUS.value for _ in own_statuses),
        ),
        *(
            (
                f"connector 0 {main.value}",
                *(overrides[own].value for own in own_statuses),
            )
            for main, overrides in MAIN_CONTROLLER_OVERRIDES.items()
        ),
        (
            f"connector 0 {ChargePointStatus.AVAILABLE.value} or silent",
            *(own.value for own in own_statuses),
        ),
    ]
    return markdown_table(["when", *(f"own {own.value}" for own in own_statuses)], rows)


def station_table() -> str:
    """Return the ordered station rules."""
    return markdown_table(
        ["#", "condition", "station status", "reason"],
        (
            (str(rule.number), rule.condition, rule.status.value, rule.reason.name)
            for rule in STATION_RULES
        ),
    )


def rule_tables() -> str:
    """Return all three tables, each under a heading, as the docs embed them."""
    return "\n\n".join(
        [
            "### Connector status\n\n" + connector_table(),
            "### What a connector shows\n\n" + override_table(),
            "### Station status (first match wins)\n\n" + station_table(),
        ]
    )
