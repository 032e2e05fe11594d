"""The uptime report's HTML, under the name the command line and the docs import.

It lives with the rest of uptime, in :mod:`evstatus.uptime._html`; the public
names are :func:`evstatus.uptime.render_report` and
:func:`evstatus.uptime.outages_csv`.
"""

from __future__ import annotations

from .uptime._html import (
    CATEGORY_COLOURS,
    OUTAGE_COLUMNS,
    category,
    outages_csv,
    render_report,
    timeline_svg,
)

__all__ = [
    "CATEGORY_COLOURS",
    "OUTAGE_COLUMNS",
    "category",
    "outages_csv",
    "render_report",
    "timeline_svg",
]
