"""The uptime definitions as Markdown tables, and the demo day's timeline picture.

``docs/hooks.py`` fills these into docs/uptime.md when the site is built, so the
definitions on the page are printed from the data :mod:`evstatus.uptime` runs
on, never retyped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib.resources import files
from types import MappingProxyType

from ._enums import ChargePointStatus
from ._tables import markdown_table
from .uptime import (
    EVCHART_REASONS,
    REGIMES,
    Cause,
    OutageReason,
    Timeline,
    uptime,
)
from .uptime._html import CATEGORY_COLOURS, timeline_svg

__all__ = ["UPTIME_TABLES", "demo_timeline"]


def up_states_table() -> str:
    """List each OCPP 1.6 state of a port, and whether each regime counts it up."""
    return markdown_table(
        ("OCPP 1.6 state of the port", *(f"`{name}`" for name in REGIMES)),
        (
            (
                f"`{state}`",
                *(
                    "up" if state in regime.up_states else "outage"
                    for regime in REGIMES.values()
                ),
            )
            for state in ChargePointStatus
        ),
    )


def outage_reasons_table() -> str:
    """List why a port is in an outage, in the order the checks are made."""
    return markdown_table(
        ("Order", "Reason", "Status shown", "When"),
        (
            (str(number), f"`{reason}`", reason.status, reason.description)
            for number, reason in enumerate(OutageReason, start=1)
        ),
    )


def causes_table() -> str:
    """List the exclusion causes, and which regime accepts each, with its cap."""
    regimes = list(REGIMES.values())
    rows: list[tuple[str, ...]] = []
    for cause in Cause:
        cells = [f"`{cause}`", cause.description]
        for regime in regimes:
            cap = next((cap for cap in regime.caps if cap.cause is cause), None)
            if cause not in regime.causes:
                cells.append("not excluded")
            elif cap is None:
                cells.append("excluded")
            else:
                cells.append(f"at most {cap.minutes:,} min per {cap.per}")
        rows.append(tuple(cells))
    return markdown_table(
        ("Cause", "Covers", *(f"`{regime.name}`" for regime in regimes)), rows
    )


def evchart_reasons_table() -> str:
    """List the number EV-ChART's Module 4 gives each exclusion cause."""
    return markdown_table(
        ("`excluded_outage_reason`", "Cause", "Covers"),
        (
            (str(number), f"`{cause}`", cause.description)
            for cause, number in sorted(EVCHART_REASONS.items(), key=lambda i: i[1])
        ),
    )


def regimes_table() -> str:
    """List the regimes, their titles and targets."""
    return markdown_table(
        ("Regime", "What it follows", "Target per port"),
        (
            (
                f"`{regime.name}`",
                regime.title,
                "-" if regime.target_percent is None else f"> {regime.target_percent}%",
            )
            for regime in REGIMES.values()
        ),
    )


_SWATCH = "display:inline-block;width:1em;height:1em;vertical-align:middle;"


def colours_table() -> str:
    """List how the report's timelines colour each kind of interval."""
    return markdown_table(
        ("Colour", "Meaning"),
        (
            (f'<span style="{_SWATCH}background:{colour}"></span> `{colour}`', label)
            for label, colour in CATEGORY_COLOURS.values()
        ),
    )


def demo_timeline() -> str:
    """Draw the demo day's timeline as the HTML report does (inline SVG)."""
    log = files("evstatus").joinpath("data", "demo.jsonl").read_text(encoding="utf-8")
    timeline = Timeline.from_lines(log.splitlines())
    result = uptime(
        timeline,
        datetime(2026, 6, 1, tzinfo=UTC),
        datetime(2026, 6, 2, tzinfo=UTC),
    )
    return timeline_svg(timeline, result, "CP-DEMO-1")


#: Marker name -> the function printing it, for docs/hooks.py.
UPTIME_TABLES: Mapping[str, Callable[[], str]] = MappingProxyType(
    {
        "uptime-up-states": up_states_table,
        "uptime-outage-reasons": outage_reasons_table,
        "uptime-causes": causes_table,
        "uptime-regimes": regimes_table,
        "uptime-colours": colours_table,
        "evchart-reasons": evchart_reasons_table,
        "uptime-demo-timeline": demo_timeline,
    }
)
