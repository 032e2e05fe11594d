"""The rule tables and vocabularies, as rows built from the code.

Each table is a :class:`Table`: a header and rows of cells, whose text may
hold Markdown code spans. :data:`TABLES` writes them out as Markdown: the
documentation site fills these into its pages when it is built (see
``docs/hooks.py``), and the README carries the station table, checked by a
test; so no table in prose can drift from the data in :mod:`evstatus.rules`
and the enums. ``evstatus tables`` lays the same rows out as text
(:data:`TABLE_ROWS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from enum import StrEnum
from typing import NamedTuple

from ._enums import (
    ChargePointErrorCode,
    ChargePointStatus,
    ChargingState,
    ConnectorState,
    ConnectorStatus,
    EvseStatus,
    StationStatus,
)
from ._frozen import FrozenMap
from ._lenient import ANY_OTHER_KEY, REPAIR_RULES, RepairKind
from ._timestamps import format_timestamp
from .history import DEFAULT_CLOCK_RULES, ZERO_TIME, AnomalyKind, PlatformEvent
from .rules import (
    CONNECTOR_STATUS_BY_OCPP16,
    CONNECTOR_STATUS_BY_OCPP201,
    CONNECTOR_ZERO_TRANSITIONS,
    FLAGGED_CONNECTOR_STATUS,
    MAIN_CONTROLLER_OVERRIDES,
    OCPI_BLOCKED,
    OCPI_FLAG_RULES,
    OCPI_MAIN_CONTROLLER_OVERRIDES,
    OCPI_STATUS_BY_OCPP16,
    OCPI_STATUS_BY_OCPP201,
    OCPP16_STATUS_BY_OCPP201,
    OCPP201_STATUS_BY_OCPP16,
    STATE_LETTERS,
    STATION_RULES,
    TRANSITIONS,
    Reason,
    Transition,
)

__all__ = [
    "ENUMS",
    "TABLES",
    "TABLE_ROWS",
    "Table",
    "markdown_table",
    "members_table",
    "transition_diagram",
]

#: The enums whose members the docs list, by name.
ENUMS: Mapping[str, type[StrEnum]] = FrozenMap(
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
            ConnectorState,
            ChargingState,
            EvseStatus,
            RepairKind,
        )
    }
)


class Table(NamedTuple):
    """A table's header and rows; a cell may hold Markdown code spans."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
        """Return a table of *header* and *rows*, each made a tuple."""
        return cls(tuple(header), tuple(tuple(row) for row in rows))

    def markdown(self) -> str:
        """Return the table in Markdown."""
        return markdown_table(self.header, self.rows)


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
    """Return an enum's members as a Markdown table (see :func:`members_rows`)."""
    return members_rows(enum).markdown()


def members_rows(enum: type[StrEnum]) -> Table:
    """Return an enum's members: the value, the member's name, and its meaning."""
    return Table.of(
        ["Value", "Member", "Meaning"],
        ([f"`{m.value}`", f"`{m.name}`", _description(m)] for m in enum),
    )


def connector_status_rows() -> Table:
    """Return each OCPP 1.6 state and the connector status a driver is told."""
    return Table.of(
        ["OCPP 1.6 state", "Connector status", "What the driver is told"],
        (
            [
                f"`{ocpp}`",
                f"`{CONNECTOR_STATUS_BY_OCPP16[ocpp]}`",
                CONNECTOR_STATUS_BY_OCPP16[ocpp].description,
            ]
            for ocpp in ChargePointStatus
        ),
    )


def connector_overrides_rows() -> Table:
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
    return Table.of(["When", *(f"Own `{status}`" for status in own)], rows)


def station_rules_rows() -> Table:
    """Return the station decision table: the first rule that applies decides."""
    return Table.of(
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


def transition_matrix_rows() -> Table:
    """Return the OCPP 1.6 transition table: rows are states left, columns entered."""
    order = _states_in_table_order()
    by_pair = {(t.source, t.target): t.code for t in TRANSITIONS.values()}
    return Table.of(
        ["From \\ to", *(f"{rank} {state}" for rank, state in enumerate(order, 1))],
        (
            [
                f"{STATE_LETTERS[source]} {source}",
                *(by_pair.get((source, target), "·") for target in order),
            ]
            for source in order
        ),
    )


def _transition_rows(transitions: Mapping[str, Transition]) -> Table:
    return Table.of(
        ["Code", "From", "To", "Typical trigger"],
        (
            [f"`{t.code}`", f"`{t.source}`", f"`{t.target}`", _capitalised(t.trigger)]
            for t in transitions.values()
        ),
    )


def transitions_rows() -> Table:
    """Return every defined OCPP 1.6 connector transition with its trigger."""
    return _transition_rows(TRANSITIONS)


def connector_zero_transitions_rows() -> Table:
    """Return the transitions the main controller (connector 0) may make."""
    return _transition_rows(CONNECTOR_ZERO_TRANSITIONS)


def transition_diagram() -> str:
    """Return the OCPP 1.6 connector state machine as a Mermaid state diagram."""
    lines = ["stateDiagram-v2", "    direction LR", "    [*] --> Available"]
    lines.extend(
        f"    {t.source} --> {t.target}: {t.code}" for t in TRANSITIONS.values()
    )
    return "\n".join(lines)


def ocpp201_by_ocpp16_rows() -> Table:
    """Return each OCPP 1.6 state and the OCPP 2.0.1 / 2.1 status it stands for."""
    return Table.of(
        ["OCPP 1.6 `ChargePointStatus`", "OCPP 2.0.1 / 2.1 `ConnectorState`"],
        ([old.value, new.value] for old, new in OCPP201_STATUS_BY_OCPP16.items()),
    )


def ocpp16_by_ocpp201_rows() -> Table:
    """Return the OCPP 1.6 state each 2.0.1 status stands for, by charging state."""
    states: list[ChargingState | None] = [None, *ChargingState]
    return Table.of(
        [
            "OCPP 2.0.1 status \\ charging state",
            *("(none known)" if s is None else s.value for s in states),
        ],
        (
            [status.value, *(OCPP16_STATUS_BY_OCPP201[status, s].value for s in states)]
            for status in ConnectorState
        ),
    )


def connector_status_by_ocpp201_rows() -> Table:
    """Return what a driver is told for each OCPP 2.0.1 / 2.1 status."""
    return Table.of(
        ["OCPP 2.0.1 / 2.1 status", "`ConnectorStatus`"],
        ([s.value, shown.value] for s, shown in CONNECTOR_STATUS_BY_OCPP201.items()),
    )


def ocpi_by_state_rows() -> Table:
    """Return the OCPI status of an EVSE by its connector's OCPP state."""
    rows = [
        [f"1.6 {old.value}", published.value]
        for old, published in OCPI_STATUS_BY_OCPP16.items()
    ]
    rows += [
        [f"2.0.1 {new.value}", published.value]
        for new, published in OCPI_STATUS_BY_OCPP201.items()
    ]
    return Table.of(["Connector's OCPP state", "OCPI `EVSE.status`"], rows)


def ocpi_main_controller_rows() -> Table:
    """Return how the main controller masks what each EVSE publishes."""
    mains = list(OCPI_MAIN_CONTROLLER_OVERRIDES)
    return Table.of(
        [
            "Connector's own OCPI status",
            *(f"Main controller {main.value}" for main in mains),
        ],
        (
            [own.value, *(OCPI_MAIN_CONTROLLER_OVERRIDES[m][own].value for m in mains)]
            for own in EvseStatus
            if own.has_ocpp_source and own is not EvseStatus.REMOVED
        ),
    )


def ocpi_flags_rows() -> Table:
    """Return the flags that decide an EVSE's OCPI status first, in order."""
    rows = [
        [str(number), _capitalised(rule.condition), f"`{rule.status}`"]
        for number, rule in enumerate(OCPI_FLAG_RULES, 1)
    ]
    rows.extend(
        [
            "then",
            f"The bay is blocked and the status would be `{before}`",
            f"`{after}`",
        ]
        for before, after in OCPI_BLOCKED.items()
    )
    return Table.of(["#", "When", "OCPI `EVSE.status`"], rows)


def _repair_fields(keys: Sequence[str]) -> str:
    if not keys:
        return "·"
    return ", ".join(
        "any other key" if key == ANY_OTHER_KEY else f"`{key}`" for key in keys
    )


def lenient_repairs_rows() -> Table:
    """Return every repair lenient parsing makes: where, what is done, and why."""
    return Table.of(
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


def _span(span: timedelta) -> str:
    minutes = span.total_seconds() / 60
    if minutes >= 24 * 60 and not minutes % (24 * 60):
        return f"{minutes / (24 * 60):g} days"
    return f"{minutes:g} minutes"


def clock_rules_rows() -> Table:
    """Return how a station history orders reports whose clock is wrong."""
    ahead = _span(DEFAULT_CLOCK_RULES.ahead_tolerance)
    behind = _span(DEFAULT_CLOCK_RULES.behind_window)
    rows = [
        [
            f"Stamped `{format_timestamp(ZERO_TIME)}`, the zero time",
            "always",
            (
                "read as no timestamp: ordered by no time, it neither blocks a "
                "later report nor is blocked"
            ),
            f"`{AnomalyKind.CLOCK_UNSET}`",
        ],
        [
            "Stamped later than it was received",
            "receive time known",
            (
                "ordered by its receive time (it cannot have been sent later); an "
                f"anomaly once the lead is over `ahead_tolerance` ({ahead})"
            ),
            f"`{AnomalyKind.CLOCK_AHEAD}`",
        ],
        [
            f"Stamped more than `behind_window` ({behind}) before it was received",
            "receive time known",
            "ordered by its receive time",
            f"`{AnomalyKind.CLOCK_BEHIND}`",
        ],
        [
            "Ordered strictly before the report held for its connector",
            "always",
            "a late delivery: ignored",
            f"`{AnomalyKind.LATE_DELIVERY}`",
        ],
    ]
    return Table.of(["When a report is", "Applies", "What is done", "Anomaly"], rows)


#: Every table's rows by the name the docs' markers use, with the title
#: ``evstatus tables`` prints above it.
TABLE_ROWS: Mapping[str, tuple[str, Callable[[], Table]]] = FrozenMap(
    {
        "connector-status-by-ocpp": (
            "OCPP 1.6 status -> connector status",
            connector_status_rows,
        ),
        "connector-overrides": (
            "What each connector shows, by the flags and connector 0",
            connector_overrides_rows,
        ),
        "station-rules": ("Station status, first match wins", station_rules_rows),
        "transition-matrix": (
            "OCPP 1.6 transitions (rows: state left, columns: state entered)",
            transition_matrix_rows,
        ),
        "transitions": ("OCPP 1.6 transitions", transitions_rows),
        "connector-zero-transitions": (
            "Connector 0 (main controller) transitions",
            connector_zero_transitions_rows,
        ),
        "platform-events": (
            "Platform events",
            lambda: members_rows(PlatformEvent),
        ),
        "anomalies": ("Anomalies", lambda: members_rows(AnomalyKind)),
        "ocpp201-by-ocpp16": (
            "OCPP 1.6 state -> OCPP 2.0.1 / 2.1 status",
            ocpp201_by_ocpp16_rows,
        ),
        "ocpp16-by-ocpp201": (
            "OCPP 2.0.1 / 2.1 status and charging state -> OCPP 1.6 state",
            ocpp16_by_ocpp201_rows,
        ),
        "connector-status-by-ocpp201": (
            "OCPP 2.0.1 / 2.1 status -> connector status",
            connector_status_by_ocpp201_rows,
        ),
        "ocpi-flags": ("OCPI status: the flags first, in order", ocpi_flags_rows),
        "ocpi-by-state": ("OCPI status by the OCPP state", ocpi_by_state_rows),
        "ocpi-main-controller": (
            "OCPI status, masked by the main controller",
            ocpi_main_controller_rows,
        ),
        "clock-rules": (
            "Station history: reports whose clock is wrong",
            clock_rules_rows,
        ),
        "lenient-repairs": (
            "Lenient parsing: what is repaired, and why",
            lenient_repairs_rows,
        ),
    }
)


def _markdown(rows: Callable[[], Table]) -> Callable[[], str]:
    return lambda: rows().markdown()


#: Every table as Markdown, by the same names and with the same titles as
#: :data:`TABLE_ROWS`.
TABLES: Mapping[str, tuple[str, Callable[[], str]]] = FrozenMap(
    {name: (title, _markdown(rows)) for name, (title, rows) in TABLE_ROWS.items()}
)
