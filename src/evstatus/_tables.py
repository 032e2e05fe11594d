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
from ._history import AnomalyKind, PlatformEvent
from ._lenient import ANY_OTHER_KEY, REPAIR_RULES, RepairKind
from ._ocpi import OcpiEvseStatus
from ._ocpp2 import ChargingState, Ocpp2ConnectorStatus
from ._rules import (
    CONNECTOR_STATUS_BY_OCPP,
    FLAGGED_CONNECTOR_STATUS,
    MAIN_CONTROLLER_OVERRIDES,
    STATION_RULES,
    Reason,
)
from ._transitions import (
    CONNECTOR_ZERO_TRANSITIONS,
    STATE_LETTERS,
    TRANSITIONS,
    Transition,
)

__all__ = [
    "ENUMS",
    "TABLES",
    "markdown_table",
    "members_table",
    "transition_diagram",
]

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
            PlatformEvent,
            AnomalyKind,
            Ocpp2ConnectorStatus,
            ChargingState,
            OcpiEvseStatus,
            RepairKind,
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


def _states_in_table_order() -> list[ChargePointStatus]:
    return sorted(STATE_LETTERS, key=STATE_LETTERS.__getitem__)


def transition_matrix_table() -> str:
    """Return the OCPP 1.6 transition table: rows are states left, columns entered."""
    order = _states_in_table_order()
    by_pair = {(t.source, t.target): t.code for t in TRANSITIONS.values()}
    return markdown_table(
        ["From \\ to", *(f"{rank} {state}" for rank, state in enumerate(order, 1))],
        (
            [
                f"{STATE_LETTERS[source]} {source}",
                *(by_pair.get((source, target), "·") for target in order),
            ]
            for source in order
        ),
    )


def _transition_list(transitions: Mapping[str, Transition]) -> str:
    return markdown_table(
        ["Code", "From", "To", "Typical trigger"],
        (
            [f"`{t.code}`", f"`{t.source}`", f"`{t.target}`", _capitalised(t.trigger)]
            for t in transitions.values()
        ),
    )


def transitions_table() -> str:
    """Return every defined OCPP 1.6 connector transition with its trigger."""
    return _transition_list(TRANSITIONS)


def connector_zero_transitions_table() -> str:
    """Return the transitions the main controller (connector 0) may make."""
    return _transition_list(CONNECTOR_ZERO_TRANSITIONS)


def transition_diagram() -> str:
    """Return the OCPP 1.6 connector state machine as a Mermaid state diagram."""
    lines = ["stateDiagram-v2", "    direction LR", "    [*] --> Available"]
    lines.extend(
        f"    {t.source} --> {t.target}: {t.code}" for t in TRANSITIONS.values()
    )
    return "\n".join(lines)


def _repair_fields(keys: Sequence[str]) -> str:
    if not keys:
        return "·"
    return ", ".join(
        "any other key" if key == ANY_OTHER_KEY else f"`{key}`" for key in keys
    )


def lenient_repairs_table() -> str:
    """Return every repair lenient parsing makes: where, what is done, and why."""
    return markdown_table(
        [
            "`RepairKind`",
            "OCPP 1.6",
            "OCPP 2.0.1 / 2.1",
            "Sent, for example",
            "What evstatus does",
            "Why",
        ],
        (
            [
                f"`{rule.kind}`",
                _repair_fields(rule.ocpp16),
                _repair_fields(rule.ocpp2),
                f"`{rule.example}`",
                rule.action,
                rule.why,
            ]
            for rule in REPAIR_RULES
        ),
    )


#: Every table by the name the docs' markers use, with the title
#: ``evstatus tables`` prints above it.
TABLES: Mapping[str, tuple[str, Callable[[], str]]] = MappingProxyType(
    {
        "connector-status-by-ocpp": (
            "OCPP 1.6 status -> connector status",
            connector_status_table,
        ),
        "connector-overrides": (
            "What each connector shows, by the flags and connector 0",
            connector_overrides_table,
        ),
        "station-rules": ("Station status, first match wins", station_rules_table),
        "transition-matrix": (
            "OCPP 1.6 transitions (rows: state left, columns: state entered)",
            transition_matrix_table,
        ),
        "transitions": ("OCPP 1.6 transitions", transitions_table),
        "connector-zero-transitions": (
            "Connector 0 (main controller) transitions",
            connector_zero_transitions_table,
        ),
        "platform-events": (
            "Platform events",
            lambda: members_table(PlatformEvent),
        ),
        "anomalies": ("Anomalies", lambda: members_table(AnomalyKind)),
        "lenient-repairs": (
            "Lenient parsing: what is repaired, and why",
            lenient_repairs_table,
        ),
    }
)
