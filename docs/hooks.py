"""MkDocs hooks: tables on the pages are generated from evstatus at build time.

A page asks for a table with a marker on a line of its own::

    <!-- evstatus: members ChargePointStatus -->
    <!-- evstatus: connector-status-by-ocpp -->
    <!-- evstatus: connector-overrides -->
    <!-- evstatus: station-rules -->
    <!-- evstatus: transition-diagram -->
    <!-- evstatus: exit-codes -->
    <!-- evstatus: uptime-causes -->

``members ENUM`` lists an enum's members with their values and descriptions;
``transition-diagram`` draws the OCPP 1.6 state machine in Mermaid;
``exit-codes`` lists the exit codes of the ``evstatus`` command; the others
are the tables of ``evstatus._tables.TABLES``, printed from the data itself;
the ``uptime-...`` markers are those of ``evstatus._uptime_tables``, among them
``uptime-demo-timeline``, the demo day's timeline as inline SVG.
The marker is an HTML comment, so the page's source still reads well where
hooks do not run (on a code host, say). An unknown marker fails the build.
``tests/test_docs.py`` checks the same ``render`` function.

The docstrings in ``src/`` cross-reference with Sphinx-style roles
(``:class:`InvalidReport```); mkdocstrings renders docstrings as Markdown and
leaves those roles as text, so :func:`link_roles` turns them into links to the
API reference. A bare name means ``evstatus.NAME``, a top-level name; anything
else is written in full (``:meth:`~evstatus.history.StationState.step```),
and as in Sphinx a leading ``~`` shows only the last part. A role naming
something the reference lacks fails the build, except a Python builtin
(``:class:`TypeError```), which is shown as code.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

from evstatus._cli import exit_codes_table
from evstatus._tables import ENUMS, TABLES, members_table, transition_diagram
from evstatus._uptime_tables import UPTIME_TABLES

# What mkdocstrings makes of ":class:`Name`" in a docstring.
ROLE = re.compile(
    r":(?:class|func|data|meth|attr|exc|obj|mod):<code>(?P<short>~?)(?P<name>[\w.]+)</code>"
)

MARKER = re.compile(
    r"^<!-- evstatus: (?P<what>[\w-]+)(?: (?P<arg>\w+))? -->$", re.MULTILINE
)


def _generate(match: re.Match[str]) -> str:
    what, arg = match["what"], match["arg"]
    if what == "members" and arg in ENUMS:
        return members_table(ENUMS[arg])
    if what in TABLES and not arg:
        _title, table = TABLES[what]
        return table()
    if what == "transition-diagram" and not arg:
        return f"```mermaid\n{transition_diagram()}\n```"
    if what == "exit-codes" and not arg:
        return exit_codes_table()
    if what in UPTIME_TABLES and not arg:
        return UPTIME_TABLES[what]()
    known = ", ".join(
        [
            *(f"members {name}" for name in ENUMS),
            *TABLES,
            "transition-diagram",
            "exit-codes",
            *UPTIME_TABLES,
        ]
    )
    raise ValueError(f"unknown evstatus marker: {match[0]} (known: {known})")


def render(markdown: str) -> str:
    """Replace every evstatus marker in *markdown* with its generated table."""
    return MARKER.sub(_generate, markdown)


def link_roles(html: str) -> str:
    """Turn Sphinx-style roles left in rendered docstrings into API links."""

    def link(match: re.Match[str]) -> str:
        name = match["name"]
        shown = name.rpartition(".")[2] if match["short"] else name
        if "." not in name and hasattr(builtins, name):
            # Python's own (TypeError, say): not ours to document or link.
            return f"<code>{shown}</code>"
        qualified = name == "evstatus" or name.startswith("evstatus.")
        identifier = name if qualified else f"evstatus.{name}"
        # mkdocs-autorefs resolves these once every page is rendered.
        return f'<autoref identifier="{identifier}"><code>{shown}</code></autoref>'

    return ROLE.sub(link, html)


def on_page_markdown(markdown: str, **_: Any) -> str:  # noqa: ANN401
    """MkDocs hook: fill in the generated tables before the page is rendered."""
    return render(markdown)


def on_page_content(html: str, **_: Any) -> str:  # noqa: ANN401
    """MkDocs hook: link the roles in rendered docstrings."""
    return link_roles(html)
