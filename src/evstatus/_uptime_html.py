"""The uptime report as one self-contained HTML page, and its timeline pictures.

Nothing in the page refers to anything outside it: styles are inline, the
timelines are inline SVG, there are no scripts, fonts or images to fetch. So
the file can be mailed, archived with a regulatory submission, or opened on a
machine without network.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from html import escape
from types import MappingProxyType
from typing import Final

from ._enums import ConnectorStatus
from ._escape import printable
from ._timestamps import format_timestamp
from .uptime import Interval, OutageReason, PortUptime, Timeline, Uptime

__all__ = ["CATEGORY_COLOURS", "category", "render_report", "timeline_svg"]

#: How each kind of interval is drawn: (label, fill colour).
CATEGORY_COLOURS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "available": ("Up, free", "#2e9e5b"),
        "in_use": ("Up, in use or held", "#2f6fb5"),
        OutageReason.FAULTED.value: ("Outage: port faulted", "#c62828"),
        OutageReason.UNAVAILABLE.value: ("Outage: port unavailable", "#ef8c00"),
        OutageReason.CONNECTOR_ZERO_FAULTED.value: (
            "Outage: connector 0 faulted",
            "#7f1010",
        ),
        OutageReason.CONNECTOR_ZERO_UNAVAILABLE.value: (
            "Outage: connector 0 unavailable",
            "#a35a00",
        ),
        OutageReason.OFFLINE.value: ("Outage: station offline", "#5f6368"),
        OutageReason.NOT_ENABLED.value: ("Outage: station switched off", "#6a1b9a"),
        "no_data": ("Not counted (not yet seen, or removed)", "#e4e4e4"),
    }
)

_WIDTH: Final = 960
_LABEL: Final = 90
_ROW: Final = 26
_BAR: Final = 18
_AXIS: Final = 22
_RIGHT: Final = 24  # room for the last tick's label
_STYLE: Final = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #202124; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #dadce0; padding: 0.25rem 0.6rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem;
  vertical-align: middle; margin-right: 0.3rem; border: 1px solid #999; }
.below { color: #c62828; font-weight: bold; }
svg.timeline { max-width: 100%; height: auto; }
"""


_EXCLUDED_SWATCH: Final = (
    '<span><span class="swatch" style="background:repeating-linear-gradient('
    '45deg,#888 0 3px,#fff 3px 6px)"></span>Excluded from the count</span></p>'
)


def category(interval: Interval) -> str:
    """Return the key of :data:`CATEGORY_COLOURS` that draws *interval*."""
    if interval.outage is not None:
        return interval.outage.value
    if interval.connector_status is ConnectorStatus.AVAILABLE:
        return "available"
    return "in_use"


def _x(moment: datetime, start: datetime, span: timedelta) -> float:
    return _LABEL + (_WIDTH - _LABEL - _RIGHT) * ((moment - start) / span)


def _ticks(start: datetime, end: datetime) -> Iterator[datetime]:
    span = end - start
    steps = (1, 2, 3, 6, 12, 24, 48, 24 * 7, 24 * 14, 24 * 30, 24 * 91)
    hours = next(
        (step for step in steps if span / timedelta(hours=step) <= 12), 24 * 365
    )
    step = timedelta(hours=hours)
    # Counted in steps from the start, so that no tick past the end (which
    # may lie past the year 9999) is ever computed.
    for count in range((end - start) // step + 1):
        yield start + count * step


def _shown(text: str) -> str:
    """Text from the log, as HTML: escaped as every output escapes it, then for HTML."""
    return escape(printable(text))


def timeline_svg(
    timeline: Timeline, result: Uptime, station: str, *, index: int = 0
) -> str:
    """One SVG picture: a strip per port of *station*, coloured by interval.

    *index* tells several pictures on one page apart (their pattern ids).
    """
    hatch = f"hatch-{index}"
    ports = [port for port in result.ports if port.station == station]
    start, end = result.start, result.end
    span = end - start
    height = _AXIS + _ROW * len(ports) + 4
    opening = (
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" '
        f'width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}" '
        f'role="img" aria-label="Timeline of {_shown(station)}" '
        f'data-station="{_shown(station)}">'
    )
    pattern = (
        f'<defs><pattern id="{hatch}" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="3" height="6" fill="#ffffff" fill-opacity="0.55"/>'
        "</pattern></defs>"
    )
    parts = [opening, pattern]
    for moment in _ticks(start, end):
        x = _x(moment, start, span)
        label = (
            moment.strftime("%H:%M")
            if span <= timedelta(days=2)
            else (moment.strftime("%m-%d"))
        )
        parts.append(
            f'<line x1="{x:.2f}" y1="{_AXIS - 4}" x2="{x:.2f}" y2="{height}" '
            'stroke="#dadce0"/>'
            f'<text x="{x:.2f}" y="{_AXIS - 8}" font-size="11" text-anchor="middle" '
            f'fill="#5f6368">{label}</text>'
        )
    for row, port in enumerate(ports):
        parts.extend(_port_row(timeline, port, row, (start, end), hatch))
    parts.append("</svg>")
    return "".join(parts)


def _port_row(
    timeline: Timeline,
    port: PortUptime,
    row: int,
    period: tuple[datetime, datetime],
    hatch: str,
) -> Iterator[str]:
    start, end = period
    span = end - start
    y = _AXIS + row * _ROW
    yield (
        f'<text x="0" y="{y + _BAR - 4}" font-size="13" fill="#202124">'
        f"port {port.connector_id}</text>"
        f'<rect x="{_LABEL}" y="{y}" width="{_WIDTH - _LABEL - _RIGHT}" '
        f'height="{_BAR}" '
        f'fill="{CATEGORY_COLOURS["no_data"][1]}" class="no-data"/>'
    )
    for interval in timeline.intervals(port.station, port.connector_id, until=end):
        if interval.end <= start:
            continue
        low, high = max(interval.start, start), interval.end
        kind = category(interval)
        label, colour = CATEGORY_COLOURS[kind]
        x0, x1 = _x(low, start, span), _x(high, start, span)
        yield (
            f'<rect class="segment" data-port="{port.connector_id}" '
            f'data-category="{kind}" data-status="{interval.ocpp_status}" '
            f'x="{x0:.3f}" y="{y}" width="{max(x1 - x0, 0.5):.3f}" height="{_BAR}" '
            f'fill="{colour}"><title>{format_timestamp(low)} to '
            f"{format_timestamp(high)}: {interval.ocpp_status}, "
            f"{escape(label)}</title></rect>"
        )
    for outage in port.outages:
        for part in outage.excluded:
            x0, x1 = _x(part.start, start, span), _x(part.end, start, span)
            yield (
                f'<rect class="excluded" x="{x0:.3f}" y="{y}" '
                f'width="{max(x1 - x0, 0.5):.3f}" height="{_BAR}" '
                f'fill="url(#{hatch})"><title>excluded: {part.cause}</title></rect>'
            )


def _fixed(value: Fraction) -> str:
    return f"{float(value):.2f}"


def _uptime_cell(port: PortUptime, target: int | None) -> str:
    percent = port.uptime_percent
    if percent is None:
        return '<td class="number no-data">no data</td>'
    below = target is not None and percent <= target
    css = "number below" if below else "number"
    return f'<td class="{css}">{float(percent):.3f}</td>'


def render_report(timeline: Timeline, result: Uptime) -> str:
    """Return the whole report as one HTML document."""
    regime = result.regime
    period = f"{format_timestamp(result.start)} to {format_timestamp(result.end)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Uptime report, {period}</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Uptime report</h1>",
        f'<p class="period">Period: {period} (UTC). Regime: '
        f"<strong>{escape(regime.name)}</strong>, {escape(regime.title)}"
        + (
            ""
            if regime.target_percent is None
            else f"; each port must be above {regime.target_percent}%"
        )
        + ".</p>",
        '<p class="legend">',
        *(
            f'<span><span class="swatch" style="background:{colour}"></span>'
            f"{escape(label)}</span>"
            for label, colour in CATEGORY_COLOURS.values()
        ),
        _EXCLUDED_SWATCH,
    ]
    if result.warnings:
        parts.append('<ul class="warnings">')
        parts.extend(f"<li>{escape(str(notice))}</li>" for notice in result.warnings)
        parts.append("</ul>")
    stations = sorted({port.station for port in result.ports})
    if not stations:
        parts.append('<p class="empty">No ports in the log.</p>')
    for index, station in enumerate(stations):
        parts.extend(_station_section(timeline, result, station, index))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _station_section(
    timeline: Timeline, result: Uptime, station: str, index: int
) -> Iterator[str]:
    ports = [port for port in result.ports if port.station == station]
    target = result.regime.target_percent
    yield f'<section class="station" data-station="{_shown(station)}">'
    yield f"<h2>{_shown(station)}</h2>"
    yield timeline_svg(timeline, result, station, index=index)
    yield (
        '<table class="uptime"><thead><tr><th>Connector</th><th>Start</th>'
        "<th>Period minutes</th><th>Outage minutes</th><th>Excluded minutes</th>"
        "<th>Uptime percent</th><th>Outages</th></tr></thead><tbody>"
    )
    for port in ports:
        yield (
            f'<tr data-port="{port.connector_id}"><td>{port.connector_id}</td>'
            f"<td>{'-' if port.start is None else format_timestamp(port.start)}</td>"
            f'<td class="number">{_fixed(port.period_minutes)}</td>'
            f'<td class="number">{_fixed(port.outage_minutes)}</td>'
            f'<td class="number">{_fixed(port.excluded_minutes)}</td>'
            f"{_uptime_cell(port, target)}"
            f'<td class="number">{len(port.outages)}</td></tr>'
        )
    yield "</tbody></table>"
    outages = [(port, outage) for port in ports for outage in port.outages]
    if not outages:
        yield '<p class="no-outages">No outages in the period.</p>'
    else:
        yield (
            '<table class="outages"><thead><tr><th>Connector</th><th>Start</th>'
            "<th>End</th><th>Minutes</th><th>Status</th><th>Reason</th>"
            "<th>Excluded minutes</th><th>Cause</th></tr></thead><tbody>"
        )
        for port, outage in outages:
            yield (
                f'<tr data-port="{port.connector_id}"><td>{port.connector_id}</td>'
                f"<td>{format_timestamp(outage.start)}</td>"
                f"<td>{format_timestamp(outage.end)}</td>"
                f'<td class="number">{_fixed(outage.minutes)}</td>'
                f"<td>{escape(outage.status)}</td><td>{outage.reason}</td>"
                f'<td class="number">{_fixed(outage.excluded_minutes)}</td>'
                f"<td>{escape(outage.cause or '-')}</td></tr>"
            )
        yield "</tbody></table>"
    yield "</section>"
