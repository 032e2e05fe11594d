"""The uptime report as one self-contained HTML page, and its timeline pictures.

Nothing in the page is fetched from elsewhere: styles are inline, the
timelines are inline SVG, there are no scripts, fonts or images. So the file
can be mailed, archived with a regulatory submission, or opened on a machine
without network. The one thing it may point to is the full list of outages as
CSV, which the caller writes beside it (see :func:`outages_csv`).

The page is built for a fleet: a summary first (the ports that miss the
regime's target, worst first, and the fleet's totals), then one collapsed
section per station. Its size grows with the number of ports and of changes
of what a port showed, never with their product: a port's strip is one SVG
path per colour, consecutive intervals of one colour are drawn as one, and
each port lists at most a fixed number of outages.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from html import escape
from types import MappingProxyType
from typing import Final

from evstatus import __version__
from evstatus._enums import ConnectorStatus
from evstatus._errors import optional_utc, wrong_type, wrong_value
from evstatus._escape import printable
from evstatus._timestamps import format_timestamp

from ._measure import Outage, PortUptime, Uptime
from ._regimes import OutageReason
from ._timeline import MICROSECOND, Timeline

__all__ = [
    "CATEGORY_COLOURS",
    "OUTAGE_COLUMNS",
    "outages_csv",
    "render_report",
    "timeline_svg",
]

#: How each kind of interval is drawn: (label, colour).
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
        OutageReason.SUSPENDED_EVSE.value: (
            "Outage: charger not offering energy (SuspendedEVSE)",
            "#ad1457",
        ),
        "no_data": (
            "Not counted (not yet seen, removed, or after the data ends)",
            "#e4e4e4",
        ),
    }
)

#: The columns of the full outage list (:func:`outages_csv`): a port's, then
#: the keys of an outage in ``evstatus uptime --json``.
OUTAGE_COLUMNS: Final = (
    "station",
    "connector",
    "start",
    "end",
    "minutes",
    "status",
    "reason",
    "excluded_minutes",
    "cause",
)

_WIDTH: Final = 960
_LABEL: Final = 90
_ROW: Final = 26
_BAR: Final = 18
_AXIS: Final = 34  # two lines of labels: the date where it changes, the hour
_RIGHT: Final = 32  # room for the last tick's label
_MAX_TICKS: Final = 12
_SHOWN_WARNINGS: Final = 10  # more than this many are folded away
_LOWEST_SHOWN: Final = 10  # the summary's ports: those below target, or this many
_STYLE: Final = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #202124; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.875rem; }
th, td { border: 1px solid #dadce0; padding: 0.2rem 0.45rem; text-align: left; }
div.wide { overflow-x: auto; }
th { background: #f1f3f4; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.time, td.number { white-space: nowrap; }
td.time { font-variant-numeric: tabular-nums; }
dl.source { display: grid; grid-template-columns: max-content auto;
  gap: 0.2rem 1rem; }
dl.source dt { font-weight: bold; } dl.source dd { margin: 0; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem;
  vertical-align: middle; margin-right: 0.3rem; border: 1px solid #999; }
.below { color: #c62828; font-weight: bold; }
details.station { border-top: 1px solid #dadce0; padding: 0.3rem 0; }
details.station > summary { cursor: pointer; font-size: 1.05rem; }
details.station > summary .name { font-weight: bold; margin-right: 0.6rem; }
p.note, span.began { color: #5f6368; }
svg.timeline { max-width: 100%; height: auto; display: block; }
"""

#: How the timelines look: in the page's styles, or in a picture of its own.
_SVG_STYLE: Final = f"""
svg.timeline text {{ font-size: 12px; fill: #5f6368; }}
svg.timeline text.tick, svg.timeline text.tick-date {{ text-anchor: middle; }}
svg.timeline text.tick-date {{ font-weight: bold; fill: #3c4043; }}
svg.timeline text.label {{ font-size: 13px; fill: #202124; }}
svg.timeline .grid {{ stroke: #dadce0; }}
svg.timeline .no-data {{ fill: {CATEGORY_COLOURS["no_data"][1]}; }}
svg.timeline .data-end {{ stroke: #202124; stroke-dasharray: 3 3; }}
"""

_EXCLUDED_SWATCH: Final = (
    '<span><span class="swatch" style="background:repeating-linear-gradient('
    '45deg,#888 0 3px,#fff 3px 6px)"></span>Excluded from the count</span></p>'
)


def _shown(text: str) -> str:
    """Text from the log, as HTML: escaped as every output escapes it, then for HTML."""
    return escape(printable(text))


def fixed(value: Fraction, places: int = 2) -> str:
    """Return *value* (not negative) rounded half up to *places* decimals, exactly."""
    scale = 10**places
    return _decimal(math.floor(value * scale + Fraction(1, 2)), places)


def _decimal(whole: int, places: int) -> str:
    """Return *whole* hundredths (for two *places*), say, as a decimal."""
    if not places:
        return str(whole)
    scale = 10**places
    return f"{whole // scale}.{whole % scale:0{places}d}"


_MICROSECONDS_PER_MINUTE: Final = 60_000_000


def fixed_minutes(duration: timedelta, places: int = 2) -> str:
    """Return *duration* (not negative) in minutes, as :func:`fixed` shows it.

    In whole microseconds, without fractions: a report writes many of these.
    """
    scale = 10**places
    numerator = duration // MICROSECOND * scale * 2 + _MICROSECONDS_PER_MINUTE
    return _decimal(numerator // (2 * _MICROSECONDS_PER_MINUTE), places)


def _excluded_time(outage: Outage) -> timedelta:
    return sum((part.end - part.start for part in outage.excluded), timedelta(0))


# --- time on the page ---------------------------------------------------------------


def _zone_name(zone: tzinfo) -> str:
    name = str(zone)
    return "UTC" if zone is UTC or name in {"UTC", "UTC+00:00"} else name


def _local(moment: datetime, zone: tzinfo) -> datetime:
    """Return *moment* on the zone's clock; in UTC past the calendar's end."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment


def clock_time(moment: datetime, zone: tzinfo) -> str:
    """*moment* to the second (cut, not rounded), on the zone's clock.

    In UTC the zone is said once, in the column's head; elsewhere each time
    carries its UTC offset, which tells apart the hour a clock repeats when
    summer time ends.
    """
    local = _local(moment, zone)
    text = local.strftime("%Y-%m-%d %H:%M:%S")
    offset = local.utcoffset()
    if _zone_name(zone) == "UTC" or offset is None:
        return text
    return text + " " + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]


def _x(moment: datetime, start: datetime, span: timedelta) -> float:
    return _LABEL + (_WIDTH - _LABEL - _RIGHT) * ((moment - start) / span)


#: The steps between ticks, shortest first: (unit, count). The first step that
#: makes at most a dozen ticks over the period is taken.
_STEPS: Final = (
    *(("hour", hours) for hours in (1, 2, 3, 6, 12)),
    *(("day", days) for days in (1, 2, 7, 14)),
    *(("month", months) for months in (1, 3, 6)),
    *(("year", years) for years in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)),
)
_UNIT_LENGTH: Final = {
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "month": timedelta(days=31),
    "year": timedelta(days=366),
}


def axis_ticks(
    start: datetime, end: datetime, zone: tzinfo
) -> list[tuple[datetime, str, str]]:
    """Return the axis's ticks over ``[start, end]``: (moment, date, time).

    Ticks fall on the zone's round hours, midnights, first days of months or
    of years. A tick shows the date where the date changes (and at the
    first tick), and the hour only where ticks are hours apart: hours within
    a day, dates across days.
    """
    span = end - start
    unit, step = next(
        (
            (unit, step)
            for unit, step in _STEPS
            if span <= _UNIT_LENGTH[unit] * step * _MAX_TICKS
        ),
        ("year", 2000),
    )
    ticks: list[tuple[datetime, str, str]] = []
    shown_date = ""
    for moment in _moments(start, end, zone, unit, step):
        local = _local(moment, zone)
        if unit == "hour":
            day, hour = local.strftime("%m-%d"), local.strftime("%H:%M")
        elif unit == "day":
            day, hour = local.strftime("%Y"), local.strftime("%m-%d")
        elif unit == "month":
            day, hour = local.strftime("%Y"), local.strftime("%m")
        else:
            day, hour = "", f"{local.year}"
        ticks.append((moment, "" if day == shown_date else day, hour))
        shown_date = day
    return ticks


def _moments(
    start: datetime, end: datetime, zone: tzinfo, unit: str, step: int
) -> Iterator[datetime]:
    """Yield the tick moments in ``[start, end]``, in UTC, rising, each once."""
    first = _local(start, zone)
    last = end
    zone = first.tzinfo or UTC
    seen: set[datetime] = set()
    for local in _walls(first, unit, step):
        try:
            moment = local.replace(tzinfo=zone).astimezone(UTC)
        except OverflowError:
            return
        if moment > last:
            return
        if moment >= start and moment not in seen:
            # A wall time in a jump of the clock maps to the same moment as
            # another; the second is left out.
            seen.add(moment)
            yield moment


def _walls(first: datetime, unit: str, step: int) -> Iterator[datetime]:
    """Round wall times from the one at or before *first* on, every *step* units.

    Naive: they are read on the zone's clock by the caller. Ends quietly
    where the calendar does (the year 9999).
    """
    day = first.date()
    try:
        if unit == "hour":
            hour = first.hour - first.hour % step
            while True:
                for at in range(hour, 24, step):
                    yield datetime.combine(day, time(at))
                hour = 0
                day += timedelta(days=1)
        if unit == "day":
            while True:
                yield datetime.combine(day, time())
                day += timedelta(days=step)
        year, month = day.year, day.month
        if unit == "month":
            month -= (month - 1) % step
            while True:
                yield datetime.combine(date(year, month, 1), time())
                month += step
                year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        year -= year % step
        while True:
            yield datetime.combine(date(max(year, 1), 1, 1), time())
            year += step
    except (OverflowError, ValueError):
        return


# --- the timeline pictures ---------------------------------------------------------


def timeline_svg(
    timeline: Timeline,
    result: Uptime,
    station: str,
    *,
    index: int = 0,
    tz: tzinfo | None = None,
) -> str:
    """One SVG picture: a strip per port of *station*, coloured by interval.

    *index* tells several pictures on one page apart (their pattern ids);
    the axis is on the clock of *tz*, by default the result's zone.
    """
    ports = [port for port in result.ports if port.station == station]
    zone = result.tz if tz is None else tz
    known = frozenset(timeline.ports())
    picture = _station_svg(timeline, result, station, (ports, known), index, zone)
    # On its own, the picture carries the styles the page would give it.
    opening = picture.index(">") + 1
    return f"{picture[:opening]}<style>{_SVG_STYLE}</style>{picture[opening:]}"


def _station_svg(  # noqa: PLR0917  (private; all needed)
    timeline: Timeline,
    result: Uptime,
    station: str,
    drawn: tuple[Sequence[PortUptime], Collection[tuple[str, int]]],
    index: int,
    zone: tzinfo,
) -> str:
    """Return a station's picture: *drawn* holds its ports, and the ports logged."""
    ports, known = drawn
    hatch = f"hatch-{index}"
    start, end = result.start, result.end
    span = end - start
    height = _AXIS + _ROW * len(ports) + 4
    parts = [
        (
            f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" '
            f'width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}" '
            f'role="img" aria-label="Timeline of {_shown(station)}" '
            f'data-station="{_shown(station)}">'
            f'<defs><pattern id="{hatch}" width="6" height="6" '
            'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="#5f6368" fill-opacity="0.35"/>'
            '<rect width="3" height="6" fill="#ffffff" fill-opacity="0.7"/>'
            "</pattern></defs>"
            f'<text class="zone" x="0" y="{_AXIS - 8}">'
            f"{escape(_zone_name(zone))}</text>"
        )
    ]
    grid: list[str] = []
    for moment, day, hour in axis_ticks(start, end, zone):
        x = f"{_x(moment, start, span):.1f}"
        grid.append(f"M{x} {_AXIS - 4}V{height}")
        if day:
            parts.append(
                f'<text class="tick-date" x="{x}" y="{_AXIS - 21}">{day}</text>'
            )
        parts.append(f'<text class="tick" x="{x}" y="{_AXIS - 8}">{hour}</text>')
    # The grid's lines, one path: drawn under the strips.
    parts.insert(1, f'<path class="grid" d="{"".join(grid)}"/>')
    for row, port in enumerate(ports):
        logged = (port.station, port.connector_id) in known
        parts.extend(
            _port_row(timeline if logged else None, port, row, (start, end), hatch)
        )
    data_end = result.data_end
    if data_end is not None and start < data_end < end:
        x = f"{_x(data_end, start, span):.1f}"
        parts.append(
            f'<line class="data-end" x1="{x}" y1="{_AXIS - 4}" x2="{x}" '
            f'y2="{height}">'
            f"<title>The data ends at {clock_time(data_end, zone)}</title></line>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _port_row(
    timeline: Timeline | None,
    port: PortUptime,
    row: int,
    period: tuple[datetime, datetime],
    hatch: str,
) -> Iterator[str]:
    """Yield a port's strip: grey ground, a path per colour, one for the hatching.

    A path draws each stretch as a horizontal stroke as thick as the bar, so
    a stretch costs a dozen bytes, not a rectangle's hundred. Without a
    timeline (a port of the inventory the log never names), the ground alone.
    """
    start, end = period
    span = end - start
    y = _AXIS + row * _ROW
    middle = y + _BAR // 2
    yield (
        f'<g class="port" data-port="{port.connector_id}">'
        f'<text class="label" x="0" y="{y + _BAR - 4}">port {port.connector_id}</text>'
        f'<rect class="no-data" x="{_LABEL}" y="{y}" '
        f'width="{_WIDTH - _LABEL - _RIGHT}" height="{_BAR}"/>'
    )
    stretches: dict[str, list[str]] = {}
    merged = () if timeline is None else _merged(timeline, port, start, end)
    for kind, low, high in merged:
        x0, x1 = _x(low, start, span), _x(high, start, span)
        if kind not in {"available", "in_use"}:
            # An outage of seconds in a year is still seen.
            x1 = max(x1, x0 + 0.5)
        stretches.setdefault(kind, []).append(f"M{x0:.1f} {middle}H{x1:.1f}")
    # Outages drawn last, over what they may touch.
    for kind in sorted(stretches, key=lambda kind: kind not in {"available", "in_use"}):
        label, colour = CATEGORY_COLOURS[kind]
        yield (
            f'<path class="segment" data-category="{kind}" '
            f'd="{"".join(stretches[kind])}" stroke="{colour}" '
            f'stroke-width="{_BAR}"><title>{escape(label)}</title></path>'
        )
    excluded = [
        f"M{_x(part.start, start, span):.1f} {middle}"
        f"H{max(_x(part.end, start, span), _x(part.start, start, span) + 0.5):.1f}"
        for outage in port.outages
        for part in outage.excluded
    ]
    if excluded:
        yield (
            f'<path class="excluded" d="{"".join(excluded)}" '
            f'stroke="url(#{hatch})" stroke-width="{_BAR}">'
            "<title>Excluded from the count</title></path>"
        )
    yield "</g>"


def _merged(
    timeline: Timeline, port: PortUptime, start: datetime, end: datetime
) -> Iterator[tuple[str, datetime, datetime]]:
    """Yield the port's stretches: consecutive pieces of one colour as one.

    The outages are drawn from what was measured (their segments), not from
    the intervals: the regime decides at measuring time whether SuspendedEVSE
    is out, and silence and the data's end are measured, not folded. The
    intervals give the colour of the time up, within what the port counts.
    """
    if port.start is None or port.end is None:
        return
    low_bound, high_bound = max(start, port.start), min(end, port.end)
    segments = [
        (
            segment.reason.value,
            max(segment.start, low_bound),
            min(segment.end, high_bound),
        )
        for outage in port.outages
        for segment in outage.segments
        if segment.end > low_bound and segment.start < high_bound
    ]
    index = 0
    # (kind, low, high), consecutive pieces of one kind joined.
    pieces: list[tuple[str, datetime, datetime]] = []
    for interval in timeline.intervals(
        port.station, port.connector_id, until=high_bound
    ):
        moment, stop = max(interval.start, low_bound), interval.end
        if stop <= moment:
            continue
        up = (
            "available"
            if interval.connector_status is ConnectorStatus.AVAILABLE
            else "in_use"
        )
        while moment < stop:
            while index < len(segments) and segments[index][2] <= moment:
                index += 1
            if index < len(segments) and segments[index][1] <= moment:
                this, until = segments[index][0], min(segments[index][2], stop)
            else:
                following = segments[index][1] if index < len(segments) else stop
                this, until = up, min(following, stop)
            if pieces and pieces[-1][0] == this and pieces[-1][2] == moment:
                pieces[-1] = (this, pieces[-1][1], until)
            else:
                pieces.append((this, moment, until))
            moment = until
    yield from pieces


# --- the page ------------------------------------------------------------------------


class _Figures:
    """A port's figures, each worked out once."""

    __slots__ = ("excluded", "outage", "percent", "period", "port")

    def __init__(self, port: PortUptime) -> None:
        self.port = port
        self.percent = port.uptime_percent
        self.period = port.period_time
        self.outage = port.outage_time
        self.excluded = port.excluded_time


def _below(figures: _Figures, target: int | None) -> bool:
    return (
        target is not None and figures.percent is not None and figures.percent <= target
    )


def render_report(
    timeline: Timeline,
    result: Uptime,
    *,
    title: str = "Uptime report",
    inputs: Sequence[str] = (),
    generated: datetime | None = None,
    produced_by: str | None = None,
    tz: tzinfo | None = None,
    outages_per_port: int = 10,
    outages_link: str | None = None,
) -> str:
    r"""Return the uptime report of *result* as one self-contained HTML page.

    *timeline* is the one *result* was measured from: each port's strip is
    drawn from its intervals. The page says first what produced it: this
    evstatus's version (after *produced_by*, the caller's own name for its
    program, if given), the *inputs* by name, the regime, the period, the
    zone, and *generated*, the time the caller made the page. The function
    never reads the clock: the same arguments give the same page, byte for
    byte. Then comes the fleet's summary (its totals, and its ports at or
    below the regime's target, worst first; without a target, the lowest
    few), then one collapsed section per station: a strip per port, each
    port's figures, and its first *outages_per_port* outages. Every outage is
    in :func:`evstatus.uptime.outages_csv`'s list; *outages_link*, if given,
    is where the page links to it (write the list there, beside the page).

    Times are shown in *tz* (by default the zone *result* was measured in,
    :attr:`evstatus.uptime.Uptime.tz`) to the second, cut, not rounded;
    minutes with two decimals and uptimes with three, rounded half up from
    the exact figures. Text from the log is escaped as every output of
    evstatus escapes it. Nothing is fetched from elsewhere: no scripts,
    fonts or images. Raises :class:`TypeError` or :class:`ValueError` naming
    a bad argument.

    >>> from datetime import datetime, UTC
    >>> from evstatus.uptime import Timeline, outages_csv, render_report, uptime
    >>> log = [
    ...     '{"station": "CP-1", "received": "2026-06-01T00:00:00Z", '
    ...     '"event": "connected"}',
    ...     '{"station": "CP-1", "received": "2026-06-01T00:00:00Z", "payload": '
    ...     '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}}',
    ...     '{"station": "CP-1", "received": "2026-06-01T06:00:00Z", "payload": '
    ...     '{"connectorId": 1, "errorCode": "GroundFailure", "status": "Faulted"}}',
    ...     '{"station": "CP-1", "received": "2026-06-01T06:36:00Z", "payload": '
    ...     '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}}',
    ... ]
    >>> timeline = Timeline.from_lines(log)
    >>> day = uptime(
    ...     timeline, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
    ... )
    >>> settings = dict(
    ...     inputs=["june.jsonl"],
    ...     generated=datetime(2026, 6, 2, 6, 0, tzinfo=UTC),
    ...     outages_link="june-outages.csv",
    ... )
    >>> page = render_report(timeline, day, **settings)
    >>> page.startswith("<!DOCTYPE html>")
    True
    >>> page == render_report(timeline, day, **settings)  # the same, byte for byte
    True
    >>> print(outages_csv(day), end="")
    station,connector,start,end,minutes,status,reason,excluded_minutes,cause
    CP-1,1,2026-06-01T06:00:00Z,2026-06-01T06:36:00Z,36.000,Faulted,faulted,0.000,
    """
    inputs = _checked_inputs(inputs)
    generated = optional_utc("generated", generated)
    _check_texts(title=title, produced_by=produced_by, outages_link=outages_link)
    if tz is None:
        tz = result.tz
    elif not isinstance(tz, tzinfo):
        raise wrong_type(
            "tz", tz, "a tzinfo, such as datetime.UTC or a ZoneInfo, or None"
        )
    if type(outages_per_port) is not int:
        raise wrong_type("outages_per_port", outages_per_port, "an int")
    if outages_per_port < 0:
        raise wrong_value("outages_per_port", outages_per_port, "0 or more")
    figures = [_Figures(port) for port in result.ports]
    by_station: dict[str, list[_Figures]] = {}
    for each in figures:
        by_station.setdefault(each.port.station, []).append(each)
    period = f"{clock_time(result.start, tz)} to {clock_time(result.end, tz)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_shown(title)}, {period} ({escape(_zone_name(tz))})</title>",
        f"<style>{_STYLE}{_SVG_STYLE}</style></head><body>",
        f"<h1>{_shown(title)}</h1>",
        *_source(result, inputs, generated, produced_by, tz),
        *_warnings(result),
        *_summary(result, figures, len(by_station), outages_link),
        '<h2 id="stations">Stations</h2>',
        '<p class="legend">',
        *(
            f'<span><span class="swatch" style="background:{colour}"></span>'
            f"{escape(label)}</span>"
            for label, colour in CATEGORY_COLOURS.values()
        ),
        _EXCLUDED_SWATCH,
    ]
    if not by_station:
        parts.append('<p class="empty">No ports in the log.</p>')
    settings = _Settings(
        tz, outages_per_port, outages_link, result.regime.target_percent
    )
    settings.known = frozenset(timeline.ports())
    settings.named = any(port.inventory is not None for port in result.ports)
    for index, station in enumerate(sorted(by_station)):
        parts.extend(
            _station_section(
                timeline, result, station, by_station[station], index, settings
            )
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _check_texts(*, title: object, produced_by: object, outages_link: object) -> None:
    if not isinstance(title, str):
        raise wrong_type("title", title, "a str")
    if produced_by is not None and not isinstance(produced_by, str):
        raise wrong_type("produced_by", produced_by, "a str or None")
    if outages_link is not None and not isinstance(outages_link, str):
        raise wrong_type("outages_link", outages_link, "a str or None")


def _checked_inputs(inputs: Sequence[str]) -> tuple[str, ...]:
    if isinstance(inputs, str) or not isinstance(inputs, Sequence):
        raise wrong_type("inputs", inputs, "a sequence of file names (str)")
    for name in inputs:
        if not isinstance(name, str):
            raise wrong_type("inputs", name, "a file name (str) in the sequence")
    return tuple(inputs)


class _Settings:
    __slots__ = ("known", "limit", "link", "named", "target", "zone")

    def __init__(
        self, zone: tzinfo, limit: int, link: str | None, target: int | None
    ) -> None:
        self.zone = zone
        self.limit = limit
        self.link = link
        self.target = target
        self.known: Collection[tuple[str, int]] = ()
        """The ports the log names: the others have no strip to draw."""
        self.named = False
        """Whether an inventory names the ports: their identifiers are shown."""


def _source(
    result: Uptime,
    inputs: tuple[str, ...],
    generated: datetime | None,
    produced_by: str | None,
    zone: tzinfo,
) -> Iterator[str]:
    """Yield what produced the page: program, inputs, regime, period, zone, time."""
    regime = result.regime
    program = f"evstatus {__version__}"
    if produced_by is not None:
        program = f"{_shown(produced_by)}, with {program}"
    target = (
        "no target"
        if regime.target_percent is None
        else f"each port must be above {regime.target_percent}%"
    )
    yield '<dl class="source">'
    yield f"<dt>Produced by</dt><dd>{program}</dd>"
    if inputs:
        yield f"<dt>Input</dt><dd>{', '.join(_shown(name) for name in inputs)}</dd>"
    yield (
        f"<dt>Regime</dt><dd><strong>{escape(regime.name)}</strong>, "
        f"{escape(regime.title)}; {target}</dd>"
    )
    yield (
        f'<dt>Period</dt><dd class="period" '
        f'data-start="{format_timestamp(result.start)}" '
        f'data-end="{format_timestamp(result.end)}">'
        f"{clock_time(result.start, zone)} to {clock_time(result.end, zone)}, "
        "the end not included</dd>"
    )
    yield f'<dt>Time zone</dt><dd class="zone">{escape(_zone_name(zone))}</dd>'
    data_end = result.data_end
    if data_end is not None:
        after = " (nothing after it is counted)" if data_end < result.end else ""
        yield (
            f'<dt>Data until</dt><dd class="data-end">{clock_time(data_end, zone)}'
            f"{after}</dd>"
        )
    if generated is not None:
        yield f"<dt>Generated</dt><dd>{clock_time(generated, zone)}</dd>"
    yield "</dl>"


def _warnings(result: Uptime) -> Iterator[str]:
    count = len(result.warnings)
    if not count:
        return
    opened = " open" if count <= _SHOWN_WARNINGS else ""
    yield (
        f'<details class="warnings"{opened}><summary>{count} '
        f"warning{'s' * (count != 1)}</summary><ul>"
    )
    yield from (f"<li>{_shown(str(notice))}</li>" for notice in result.warnings)
    yield "</ul></details>"


def _summary(
    result: Uptime, figures: list[_Figures], stations: int, link: str | None
) -> Iterator[str]:
    """Yield the fleet at a glance: its totals, then its ports worst first."""
    target = result.regime.target_percent
    rated = [each for each in figures if each.percent is not None]
    below = [each for each in rated if _below(each, target)]
    outages = sum(len(each.port.outages) for each in figures)
    period = sum((each.period for each in figures), timedelta(0))
    outage = sum((each.outage for each in figures), timedelta(0))
    excluded = sum((each.excluded for each in figures), timedelta(0))
    rows = [
        ("Stations (count)", str(stations)),
        ("Ports (count)", str(len(figures))),
    ]
    if target is not None:
        rows += [
            (
                f"Ports above the target of {target}% (count)",
                str(len(rated) - len(below)),
            ),
            (f"Ports at or below the target of {target}% (count)", str(len(below))),
        ]
    rows += [
        ("Ports without an uptime (count)", str(len(figures) - len(rated))),
        ("Counted time (minutes)", fixed_minutes(period)),
        ("Outage time, T_outage (minutes)", fixed_minutes(outage)),
        ("Excluded time, T_excluded (minutes)", fixed_minutes(excluded)),
        ("Outages (count)", str(outages)),
    ]
    yield '<h2 id="summary">Summary</h2>'
    yield '<table class="totals"><tbody>'
    yield from (
        f'<tr><th scope="row">{head}</th><td class="number">{value}</td></tr>'
        for head, value in rows
    )
    yield "</tbody></table>"
    if link is not None:
        yield (
            f'<p class="csv">Every outage of every port: <a href="{escape(link)}" '
            f"download>{escape(link)}</a> (CSV).</p>"
        )
    if not rated:
        return
    rated.sort(key=lambda each: (not _below(each, target), each.percent))
    shown = rated[: max(len(below), _LOWEST_SHOWN)]
    heading = (
        "Ports at or below the target, worst first"
        if target is not None and below
        else "Ports, lowest uptime first"
    )
    yield f"<h3>{heading}</h3>"
    yield (
        '<table class="worst"><thead><tr><th>Station</th><th>Port</th>'
        "<th>Uptime (%)</th><th>Outage (min)</th><th>Excluded (min)</th>"
        "<th>Outages (count)</th></tr></thead><tbody>"
    )
    stations_index = {
        station: index
        for index, station in enumerate(sorted({each.port.station for each in figures}))
    }
    for each in shown:
        port = each.port
        yield (
            f'<tr data-station="{_shown(port.station)}" '
            f'data-port="{port.connector_id}">'
            f'<td><a href="#station-{stations_index[port.station]}">'
            f"{_shown(port.station)}</a></td>"
            f'<td class="number">{port.connector_id}</td>'
            f"{_uptime_cell(each, target)}"
            f'<td class="number">{fixed_minutes(each.outage)}</td>'
            f'<td class="number">{fixed_minutes(each.excluded)}</td>'
            f'<td class="number">{len(port.outages)}</td></tr>'
        )
    yield "</tbody></table>"
    rest = len(rated) - len(shown)
    if rest:
        yield (
            f'<p class="note">{rest} more port{"s" * (rest != 1)} with an uptime, '
            "each listed under its station.</p>"
        )


def _uptime_cell(figures: _Figures, target: int | None) -> str:
    percent = figures.percent
    if percent is None:
        why = (
            "no data in the period"
            if not figures.port.has_data
            else "not counted for all twelve months"
        )
        return f'<td class="number no-data" title="{why}">blank</td>'
    css = "number below" if _below(figures, target) else "number"
    return f'<td class="{css}">{fixed(percent, 3)}</td>'


def _station_section(  # noqa: PLR0917  (private; all needed)
    timeline: Timeline,
    result: Uptime,
    station: str,
    figures: list[_Figures],
    index: int,
    settings: _Settings,
) -> Iterator[str]:
    target = settings.target
    rated = [each.percent for each in figures if each.percent is not None]
    lowest = min(rated) if rated else None
    outages = sum(len(each.port.outages) for each in figures)
    misses = any(_below(each, target) for each in figures)
    yield (
        f'<details class="station{" below-target" * misses}" '
        f'data-station="{_shown(station)}"><summary>'
        f'<span class="name">{_shown(station)}</span> '
        f"{len(figures)} port{'s' * (len(figures) != 1)}, "
        + (
            "no uptime"
            if lowest is None
            else f'lowest uptime <span class="{"below" if misses else "lowest"}">'
            f"{fixed(lowest, 3)}%</span>"
        )
        + f", {outages} outage{'s' * (outages != 1)}</summary>"
    )
    # The summary's links lead here: a link into a closed section opens it.
    yield f'<div class="content" id="station-{index}">'
    ports = [each.port for each in figures]
    yield _station_svg(
        timeline, result, station, (ports, settings.known), index, settings.zone
    )
    zone = escape(_zone_name(settings.zone))
    named = "<th>Reported as</th>" if settings.named else ""
    yield (
        '<div class="wide"><table class="uptime"><thead><tr><th>Port</th>'
        f"{named}<th>From ({zone})</th><th>Until ({zone})</th>"
        "<th>Counted (min)</th><th>Outage (min)</th><th>Excluded (min)</th>"
        "<th>Uptime (%)</th><th>Outages (count)</th></tr></thead><tbody>"
    )
    for each in figures:
        port = each.port
        yield (
            f'<tr data-port="{port.connector_id}"><td class="number">'
            f"{port.connector_id}</td>"
            f"{_reported_as(port) if settings.named else ''}"
            f'<td class="time">{_optional_clock(port.start, settings.zone)}</td>'
            f'<td class="time">{_optional_clock(port.end, settings.zone)}</td>'
            f'<td class="number">{fixed_minutes(each.period)}</td>'
            f'<td class="number">{fixed_minutes(each.outage)}</td>'
            f'<td class="number">{fixed_minutes(each.excluded)}</td>'
            f"{_uptime_cell(each, target)}"
            f'<td class="number">{len(port.outages)}</td></tr>'
        )
    yield "</tbody></table></div>"
    yield from _outage_table(figures, settings)
    yield "</div></details>"


def _reported_as(port: PortUptime) -> str:
    """Return the cell of the identifiers *port* is reported under."""
    record = port.inventory
    if record is None:
        return '<td class="no-data">not in the inventory</td>'
    provider = (
        ""
        if record.network_provider is None
        else f", {_shown(record.network_provider)}"
    )
    return f"<td>{_shown(record.station_id)} / {_shown(record.port_id)}{provider}</td>"


def _optional_clock(moment: datetime | None, zone: tzinfo) -> str:
    return "-" if moment is None else clock_time(moment, zone)


def _outage_table(figures: list[_Figures], settings: _Settings) -> Iterator[str]:
    if not any(each.port.outages for each in figures):
        yield '<p class="no-outages">No outages in the period.</p>'
        return
    zone = escape(_zone_name(settings.zone))
    yield (
        '<div class="wide"><table class="outages"><thead><tr><th>Port</th>'
        f"<th>Start ({zone})</th><th>End ({zone})</th><th>Length (min)</th>"
        "<th>Reason</th><th>Excluded (min)</th><th>Cause</th>"
        "</tr></thead><tbody>"
    )
    for each in figures:
        port = each.port
        for outage in port.outages[: settings.limit]:
            yield _outage_row(port.connector_id, outage, settings.zone)
        rest = len(port.outages) - settings.limit
        if rest > 0:
            where = (
                "in the full list (CSV) linked in the summary"
                if settings.link is not None
                else "in the full list of outages"
            )
            yield (
                f'<tr class="more" data-port="{port.connector_id}"><td colspan="7">'
                f"Port {port.connector_id}: the first {settings.limit} of "
                f"{len(port.outages)} outages are shown; all are {where}.</td></tr>"
            )
    yield "</tbody></table></div>"


def _then(steps: Iterable[str]) -> str:
    """Return what an outage went through, in order: "faulted, then offline"."""
    # Each segment's reason differs from the one before: that ends a segment.
    return escape(", then ".join(steps))


def _outage_row(connector_id: int, outage: Outage, zone: tzinfo) -> str:
    # An outage already running when the period began is counted from the
    # period's start; when it began is said, or the start would pass for it.
    began = (
        ""
        if outage.began is None
        else f'<br><span class="began">began {clock_time(outage.began, zone)}</span>'
    )
    return (
        f'<tr data-port="{connector_id}"><td class="number">{connector_id}</td>'
        f'<td class="time">{clock_time(outage.start, zone)}{began}</td>'
        f'<td class="time">{clock_time(outage.end, zone)}</td>'
        f'<td class="number">{fixed_minutes(outage.end - outage.start)}</td>'
        f"<td>{_then(segment.reason.value for segment in outage.segments)}</td>"
        f'<td class="number">{fixed_minutes(_excluded_time(outage))}</td>'
        f"<td>{escape((outage.cause or '-').replace(',', ', '))}</td></tr>"
    )


# --- the full list of outages --------------------------------------------------------


def outages_csv(result: Uptime) -> str:
    """Return every outage of every port of *result* as CSV text, with a header.

    The columns are the port's (``station``, ``connector``), then an
    outage's keys in ``evstatus uptime --json``: ``start``, ``end``,
    ``minutes``, ``status``, ``reason``, ``excluded_minutes``, ``cause``.
    With an inventory (``uptime(..., ports=...)``), the identifiers the port is
    reported under come after the port, as in ``evstatus uptime --csv``:
    ``station_id``, ``port_id``, ``network_provider`` (a port the inventory
    lacks: its OCPP ids, and no provider).
    Times are RFC 3339 in UTC, exact; minutes have three decimals, rounded
    half up; ``cause`` is empty when nothing was excluded. Station ids are
    escaped as in every output of evstatus. This is the full list that
    :func:`evstatus.uptime.render_report`'s page links to.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    named = any(port.inventory is not None for port in result.ports)
    columns: tuple[str, ...] = OUTAGE_COLUMNS
    if named:
        columns = (*columns[:2], *_IDENTIFIERS, *columns[2:])
    writer.writerow(columns)
    writer.writerows(_outage_records(result.ports, named=named))
    return out.getvalue()


#: What names a port beside its OCPP ids, with an inventory.
_IDENTIFIERS: Final = ("station_id", "port_id", "network_provider")


def _identifiers(port: PortUptime) -> tuple[str, ...]:
    record = port.inventory
    if record is None:
        return printable(port.station), str(port.connector_id), ""
    return (
        printable(record.station_id),
        printable(record.port_id),
        printable(record.network_provider or ""),
    )


def _outage_records(
    ports: Iterable[PortUptime], *, named: bool
) -> Iterator[tuple[object, ...]]:
    for port in ports:
        station = printable(port.station)
        names = _identifiers(port) if named else ()
        for outage in port.outages:
            yield (
                station,
                port.connector_id,
                *names,
                format_timestamp(outage.start),
                format_timestamp(outage.end),
                fixed_minutes(outage.end - outage.start, 3),
                outage.status,
                outage.reason.value,
                fixed_minutes(_excluded_time(outage), 3),
                outage.cause or "",
            )
