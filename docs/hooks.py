"""MkDocs hooks: tables on the pages are generated from evstatus at build time.

A page asks for a table with a marker on a line of its own::

    <!-- evstatus: members ChargePointStatus -->
    <!-- evstatus: connector-status-by-ocpp -->
    <!-- evstatus: station-rules -->

``members ENUM`` lists an enum's members with their values and descriptions;
``connector-status-by-ocpp`` prints :data:`evstatus.CONNECTOR_STATUS_BY_OCPP`;
``station-rules`` prints :data:`evstatus.STATION_RULES` (the README carries the
same table, and a test keeps the two equal).
The marker is an HTML comment, so the page's source still reads well where
hooks do not run (on a code host, say). An unknown marker fails the build.

The same ``render`` function is what ``tests/test_docs.py`` checks, so the
pages cannot drift from the code: a description changed in ``src/`` changes
on the site with the next build.

The docstrings in ``src/`` cross-reference with Sphinx-style roles
(``:class:`InvalidReport```); mkdocstrings renders docstrings as Markdown and
leaves those roles as text, so :func:`link_roles` turns them into links to the
API reference. A role naming something the reference lacks fails the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from evstatus import (
    CONNECTOR_STATUS_BY_OCPP,
    STATION_RULES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorStatus,
    Reason,
    StationStatus,
)

ENUMS: dict[str, type[StrEnum]] = {
    enum.__name__: enum
    for enum in (
        ChargePointStatus,
        ChargePointErrorCode,
        ConnectorStatus,
        StationStatus,
        Reason,
    )
}

# What mkdocstrings makes of ":class:`Name`" in a docstring.
ROLE = re.compile(
    r":(?:class|func|data|meth|attr|exc|obj):<code>~?(?P<name>[\w.]+)</code>"
)

MARKER = re.compile(
    r"^<!-- evstatus: (?P<what>[\w-]+)(?: (?P<arg>\w+))? -->$", re.MULTILINE
)

# A Markdown table cell must not contain a bare "|".
_CELL_UNSAFE = re.compile(r"\|")


def _cell(text: str) -> str:
    return _CELL_UNSAFE.sub(r"\\|", text)


def members_table(enum_name: str) -> str:
    """Return a Markdown table of an evstatus enum: value, name, meaning."""
    try:
        enum = ENUMS[enum_name]
    except KeyError:
        raise ValueError(
            f"no evstatus enum {enum_name!r}; known: {', '.join(ENUMS)}"
        ) from None
    rows = ["| Value | Member | Meaning |", "| --- | --- | --- |"]
    rows.extend(
        f"| `{member.value}` | `{member.name}` | {_cell(_description(member))} |"
        for member in enum
    )
    return "\n".join(rows)


def _description(member: StrEnum) -> str:
    # Every evstatus enum has a `description` property; StrEnum does not say so.
    description: str = getattr(member, "description")  # noqa: B009
    return _capitalised(description)


def connector_status_table() -> str:
    """Return the table from each OCPP 1.6 state to the simplified connector status."""
    rows = [
        "| OCPP 1.6 state | Connector status | What the driver is told |",
        "| --- | --- | --- |",
    ]
    for ocpp_state in ChargePointStatus:
        shown = CONNECTOR_STATUS_BY_OCPP[ocpp_state]
        rows.append(f"| `{ocpp_state}` | `{shown}` | {_cell(shown.description)} |")
    return "\n".join(rows)


def station_rules_table() -> str:
    """Return the station decision table: the first rule that applies decides."""
    rows = ["| # | When | Station status | `Reason` |", "| --- | --- | --- | --- |"]
    rows.extend(
        f"| {rule.number} | {_cell(_capitalised(rule.condition))} | "
        f"{rule.status} | `{rule.reason}` |"
        for rule in STATION_RULES
    )
    return "\n".join(rows)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _generate(match: re.Match[str]) -> str:
    what, arg = match["what"], match["arg"]
    generators: dict[str, Callable[[], str]] = {
        "connector-status-by-ocpp": connector_status_table,
        "station-rules": station_rules_table,
    }
    if what == "members" and arg:
        return members_table(arg)
    if what in generators and not arg:
        return generators[what]()
    raise ValueError(f"unknown evstatus marker: {match[0]}")


def render(markdown: str) -> str:
    """Replace every evstatus marker in *markdown* with its generated table."""
    return MARKER.sub(_generate, markdown)


def link_roles(html: str) -> str:
    """Turn Sphinx-style roles left in rendered docstrings into API links."""

    def link(match: re.Match[str]) -> str:
        name = match["name"]
        identifier = name if name.startswith("evstatus.") else f"evstatus.{name}"
        # mkdocs-autorefs resolves these once every page is rendered.
        return f'<autoref identifier="{identifier}"><code>{name}</code></autoref>'

    return ROLE.sub(link, html)


def on_page_markdown(markdown: str, **_: Any) -> str:  # noqa: ANN401
    """MkDocs hook: fill in the generated tables before the page is rendered."""
    return render(markdown)


def on_page_content(html: str, **_: Any) -> str:  # noqa: ANN401
    """MkDocs hook: link the roles in rendered docstrings."""
    return link_roles(html)
