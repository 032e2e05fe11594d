"""The HTML uptime report: what the page holds, and how a real browser renders it.

The browser test drives Debian's Chromium through Selenium and ChromeDriver.
Without a Chromium it is skipped, saying why; where the CI variable is set a
missing browser fails it instead, so CI can never pass without looking. Its
screenshot is kept: in the directory ``EVSTATUS_SCREENSHOTS`` names (CI may
upload it from there), else in the test's temporary directory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evstatus
from evstatus import _cli as cli
from evstatus._cli.report import generation_time, outages_name
from evstatus.testing import generate_log
from evstatus.uptime import (
    Cause,
    Exclusion,
    PortRecord,
    Regime,
    Timeline,
    Uptime,
    minutes,
    uptime,
)
from evstatus.uptime._html import (
    CATEGORY_COLOURS,
    OUTAGE_COLUMNS,
    axis_ticks,
    clock_time,
    fixed,
    fixed_minutes,
    outages_csv,
    render_report,
    timeline_svg,
)

DAY = datetime(2026, 6, 1, tzinfo=UTC)
DEMO = files("evstatus").joinpath("data", "demo.jsonl").read_text(encoding="utf-8")
GENERATED = datetime(2026, 6, 2, 6, 30, 15, 250_000, tzinfo=UTC)


def at(hours: float) -> str:
    return (DAY + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def status(moment: str, connector: int, state: str, station: str) -> str:
    payload = {"connectorId": connector, "errorCode": "NoError", "status": state}
    return json.dumps({"station": station, "received": moment, "payload": payload})


def heard(moment: str, station: str) -> str:
    """A line that says only that *station* was heard from at *moment*."""
    return json.dumps({"station": station, "received": moment, "event": "heard"})


def second_station() -> list[str]:
    """A station with a fault partly excused, and a port that comes late."""
    return [
        json.dumps({"station": "CP-B", "received": at(1), "event": "connected"}),
        status(at(1), 1, "Available", "CP-B"),
        status(at(3), 1, "Faulted", "CP-B"),
        status(at(9), 1, "Available", "CP-B"),
        status(at(12), 2, "Charging", "CP-B"),
        # The log's data reaches the end of the day.
        json.dumps({"station": "CP-B", "received": at(24), "event": "heard"}),
    ]


def demo_day(exclusions: list[Exclusion] | None = None) -> tuple[Timeline, str]:
    timeline = Timeline.from_lines([*DEMO.splitlines(), *second_station()])
    result = uptime(timeline, DAY, DAY + timedelta(days=1), exclusions=exclusions or [])
    return timeline, render_report(timeline, result)


EXCUSED = [
    Exclusion(
        station="CP-B",
        connector=1,
        start=DAY + timedelta(hours=3),
        end=DAY + timedelta(hours=5),
        cause=Cause.UTILITY_INTERRUPTION,
    )
]


def heads(html: str, table: str) -> tuple[str, ...]:
    """The column heads of the first table of class *table*."""
    head = re.search(rf'<table class="{table}"><thead><tr>(.*?)</tr></thead>', html)
    assert head is not None
    return tuple(re.findall(r"<th>(.*?)</th>", head[1]))


def flaky_ports(count: int, outages: int = 1) -> list[str]:
    """*count* one-port stations; each faulted *outages* times, half an hour apart."""
    lines: list[str] = []
    for index in range(count):
        name = f"S-{index:03d}"
        lines += [
            json.dumps({"station": name, "received": at(0), "event": "connected"}),
            status(at(0), 1, "Available", name),
        ]
        for outage in range(outages):
            begin = outage * 0.5
            lines += [
                status(at(begin), 1, "Faulted", name),
                status(at(begin + index / 100 + 0.01), 1, "Available", name),
            ]
        # The data lasts the day.
        lines.append(heard(at(24), name))
    return lines


# --- the page's content ------------------------------------------------------------


def test_the_page_holds_a_summary_and_a_collapsed_section_per_station() -> None:
    _, html = demo_day(EXCUSED)
    assert html.count('<details class="station') == 2
    assert html.count('<svg class="timeline"') == 2
    assert 'data-station="CP-DEMO-1"' in html
    # Each picture has its own hatch pattern, so their ids never clash.
    assert 'id="hatch-0"' in html
    assert 'id="hatch-1"' in html
    assert 'stroke="url(#hatch-0)"' in html
    # Port 2 of the demo: 114.23 of 1079.97 minutes out (its SuspendedEVSE
    # quarter hour among them, out under nevi).
    assert '<td class="number below">89.423</td>' in html
    # The reason, in the JSON's words (its status is in the list as CSV).
    assert '<td class="number">360.00</td><td>faulted</td>' in html
    assert "utility_interruption" in html
    # The summary comes before the stations; both demo ports miss the target.
    assert html.index('id="summary"') < html.index('id="stations"')
    summary = html[html.index('id="summary"') : html.index('id="stations"')]
    assert '<th scope="row">Ports at or below the target of 97% (count)</th>' in (
        summary
    )
    worst = re.findall(r'<tr data-station="([^"]*)" data-port="(\d+)">', summary)
    # CP-B's port 1 is out six hours of 23, two of them excused: the worst.
    assert worst == [
        ("CP-B", "1"),
        ("CP-DEMO-1", "2"),
        ("CP-DEMO-1", "1"),
        ("CP-B", "2"),
    ]
    # Every head says its unit; times say their zone.
    assert heads(html, "uptime") == (
        "Port",
        "From (UTC)",
        "Until (UTC)",
        "Counted (min)",
        "Outage (min)",
        "Excluded (min)",
        "Uptime (%)",
        "Outages (count)",
    )
    assert heads(html, "outages") == (
        "Port",
        "Start (UTC)",
        "End (UTC)",
        "Length (min)",
        "Reason",
        "Excluded (min)",
        "Cause",
    )
    assert heads(html, "worst") == (
        "Station",
        "Port",
        "Uptime (%)",
        "Outage (min)",
        "Excluded (min)",
        "Outages (count)",
    )


def test_nothing_in_the_page_reaches_outside_it() -> None:
    _, html = demo_day(EXCUSED)
    assert "<script" not in html
    assert "<link" not in html
    assert "src=" not in html
    assert "https://" not in html
    assert html.count("http://") == html.count('xmlns="http://www.w3.org/2000/svg"')


def test_times_are_shown_to_the_second_and_minutes_rounded_half_up() -> None:
    _, html = demo_day()
    # The demo's outage from 13:05:33.412 is shown from 13:05:33.
    assert '<td class="time">2026-06-01 13:05:33</td>' in html
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", html.split("<style>")[0])
    assert not re.search(r'<td class="time">[^<]*\.\d', html)
    assert fixed(Fraction(5, 1000)) == "0.01"
    assert fixed(Fraction(4999, 1_000_000)) == "0.00"
    assert fixed(Fraction(2, 3), 3) == "0.667"
    assert fixed(Fraction(5, 2), 0) == "3"


@given(st.fractions(min_value=0, max_value=10**6), st.integers(0, 4))
def test_fixed_is_the_exact_value_rounded_half_up(value: Fraction, places: int) -> None:
    shown = Fraction(fixed(value, places))
    step = Fraction(1, 10**places)
    # Half up: a value halfway between is shown as the higher one.
    assert -step / 2 <= value - shown < step / 2


@given(st.timedeltas(min_value=timedelta(0)), st.integers(0, 4))
def test_minutes_from_a_duration_are_the_exact_minutes_rounded(
    duration: timedelta, places: int
) -> None:
    assert fixed_minutes(duration, places) == fixed(minutes(duration), places)


def test_the_page_says_what_produced_it() -> None:
    timeline, _ = demo_day()
    result = uptime(timeline, DAY, DAY + timedelta(days=1), regime="cec")
    html = render_report(
        timeline,
        result,
        title="June <1>",
        inputs=["log\n.jsonl", "ex.jsonl"],
        generated=GENERATED,
        produced_by="fleet-service 2.1",
    )
    assert "<h1>June &lt;1&gt;</h1>" in html
    assert (
        f"<dt>Produced by</dt><dd>fleet-service 2.1, with evstatus "
        f"{evstatus.__version__}</dd>"
    ) in html
    assert "<dt>Input</dt><dd>log\\n.jsonl, ex.jsonl</dd>" in html
    assert "<strong>cec</strong>, California Energy Commission" in html
    assert (
        '<dd class="period" data-start="2026-06-01T00:00:00Z" '
        'data-end="2026-06-02T00:00:00Z">2026-06-01 00:00:00 to '
        "2026-06-02 00:00:00, the end not included</dd>"
    ) in html
    assert '<dd class="zone">UTC</dd>' in html
    assert "<dt>Generated</dt><dd>2026-06-02 06:30:15</dd>" in html
    # Given the same arguments, the same page: nothing reads the clock.
    again = render_report(
        timeline,
        result,
        title="June <1>",
        inputs=["log\n.jsonl", "ex.jsonl"],
        generated=GENERATED,
        produced_by="fleet-service 2.1",
    )
    assert again == html
    plain = render_report(timeline, result)
    assert "<dt>Input</dt>" not in plain
    assert "<dt>Generated</dt>" not in plain
    assert f"<dd>evstatus {evstatus.__version__}</dd>" in plain


def test_a_zone_shows_every_time_with_its_offset() -> None:
    timeline, _ = demo_day()
    result = uptime(timeline, DAY, DAY + timedelta(days=1))
    html = render_report(timeline, result, tz=ZoneInfo("America/Los_Angeles"))
    assert '<dd class="zone">America/Los_Angeles</dd>' in html
    assert "2026-05-31 17:00:00 -07:00 to 2026-05-31 17:00:00 -07:00" not in html
    assert "2026-05-31 17:00:00 -07:00 to 2026-06-01 17:00:00 -07:00" in html
    assert "<th>Start (America/Los_Angeles)</th>" in html
    assert '<td class="time">2026-06-01 06:05:33 -07:00</td>' in html
    fixed = render_report(timeline, result, tz=timezone(timedelta(hours=5, minutes=30)))
    assert "2026-06-01 05:30:00 +05:30" in fixed
    assert render_report(timeline, result, tz=UTC).count(" +00:00") == 0


def test_the_hour_a_clock_repeats_is_told_apart_by_its_offset() -> None:
    zone = ZoneInfo("America/New_York")
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = first + timedelta(hours=1)  # 01:30 EST
    assert clock_time(first, zone) == "2026-11-01 01:30:00 -04:00"
    assert clock_time(second, zone) == "2026-11-01 01:30:00 -05:00"


def test_a_page_without_ports_and_without_outages() -> None:
    empty = uptime(Timeline(), DAY, DAY + timedelta(days=1))
    html = render_report(Timeline(), empty)
    assert "No ports in the log." in html
    assert '<table class="worst">' not in html
    lines = [
        json.dumps({"station": "CP-C", "received": at(-30), "event": "connected"}),
        status(at(-30), 1, "Available", "CP-C"),
        status(at(2), 2, "Available", "CP-C"),
    ]
    timeline = Timeline.from_lines(lines)
    plain = Regime(name="mine", title="No target", causes=frozenset())
    result = uptime(timeline, DAY, DAY + timedelta(hours=1), regime=plain)
    html = render_report(timeline, result)
    assert "No outages in the period." in html
    assert "each port must be above" not in html
    assert "; no target</dd>" in html
    assert '<td class="number no-data" title="no data in the period">blank</td>' in html
    assert "Ports, lowest uptime first" in html
    assert "Ports above the target" not in html
    assert "1 port, lowest uptime" in html or "2 ports, lowest uptime" in html
    # A station none of whose ports has an uptime says so.
    late = uptime(
        Timeline.from_lines(lines[:1] + lines[2:]), DAY, DAY + timedelta(hours=1)
    )
    assert "1 port, no uptime, 0 outages" in render_report(
        Timeline.from_lines(lines[:1] + lines[2:]), late
    )


def test_an_outage_through_several_reasons_is_one_row_naming_each() -> None:
    lines = [
        json.dumps({"station": "A", "received": at(0), "event": "connected"}),
        status(at(0), 1, "Available", "A"),
        status(at(2), 1, "Faulted", "A"),
        json.dumps({"station": "A", "received": at(3), "event": "disconnected"}),
        json.dumps({"station": "A", "received": at(4), "event": "connected"}),
        status(at(5), 1, "Available", "A"),
        heard(at(24), "A"),
    ]
    timeline = Timeline.from_lines(lines)
    html = render_report(timeline, uptime(timeline, DAY, DAY + timedelta(days=1)))
    assert (
        '<td class="time">2026-06-01 02:00:00</td>'
        '<td class="time">2026-06-01 05:00:00</td>'
        '<td class="number">180.00</td>'
        "<td>faulted, then offline, then faulted</td>"
    ) in html


def test_an_outage_running_when_the_period_began_says_when_it_began() -> None:
    lines = [
        json.dumps({"station": "A", "received": at(0), "event": "connected"}),
        status(at(0), 1, "Available", "A"),
        status(at(2), 1, "Faulted", "A"),
        status(at(7), 1, "Available", "A"),
        heard(at(24), "A"),
    ]
    timeline = Timeline.from_lines(lines)
    html = render_report(
        timeline, uptime(timeline, DAY + timedelta(hours=4), DAY + timedelta(days=1))
    )
    assert (
        '<td class="time">2026-06-01 04:00:00<br>'
        '<span class="began">began 2026-06-01 02:00:00</span></td>'
        '<td class="time">2026-06-01 07:00:00</td>'
        '<td class="number">180.00</td>'
    ) in html
    # Counted from the period's start, as measured; said only where it began before.
    whole = render_report(timeline, uptime(timeline, DAY, DAY + timedelta(days=1)))
    assert 'class="began"' not in whole.split("</style>", 1)[1]


def test_the_data_end_is_said_and_drawn() -> None:
    lines = [
        json.dumps({"station": "A", "received": at(0), "event": "connected"}),
        status(at(0), 1, "Available", "A"),
        heard(at(18), "A"),
    ]
    timeline = Timeline.from_lines(lines)
    result = uptime(timeline, DAY, DAY + timedelta(days=1))
    html = render_report(timeline, result)
    assert (
        '<dt>Data until</dt><dd class="data-end">2026-06-01 18:00:00 (nothing '
        "after it is counted)</dd>"
    ) in html
    assert '<line class="data-end" x1="718.5"' in html
    assert 'Data until</dt><dd class="data-end">2026-06-01 18:00:00</dd>' not in html
    whole = uptime(timeline, DAY, DAY + timedelta(hours=18))
    html = render_report(timeline, whole)
    assert '<dt>Data until</dt><dd class="data-end">2026-06-01 18:00:00</dd>' in html
    assert '<line class="data-end"' not in html
    assert "<dt>Data until</dt>" not in render_report(
        Timeline(), uptime(Timeline(), DAY, DAY + timedelta(days=1))
    )


def test_a_port_younger_than_the_year_has_a_blank_annual_uptime() -> None:
    lines = [
        json.dumps({"station": "A", "received": at(0), "event": "connected"}),
        status(at(0), 1, "Available", "A"),
        heard("2027-06-01T00:00:00Z", "A"),
    ]
    timeline = Timeline.from_lines(lines)
    year = uptime(
        timeline, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    html = render_report(timeline, year)
    assert (
        '<td class="number no-data" title="not counted for all twelve months">'
        "blank</td>"
    ) in html
    assert "1 port, no uptime, 0 outages" in html


def test_the_page_is_in_the_zone_the_figures_were_measured_in() -> None:
    timeline = Timeline.from_lines([*second_station(), heard(at(24), "CP-B")])
    zone = ZoneInfo("America/Los_Angeles")
    result = uptime(timeline, DAY, DAY + timedelta(days=1), tz=zone)
    html = render_report(timeline, result)
    assert '<dd class="zone">America/Los_Angeles</dd>' in html
    assert render_report(timeline, result, tz=UTC).count("America/Los_Angeles") == 0
    svg = timeline_svg(timeline, result, "CP-B")
    assert ">America/Los_Angeles</text>" in svg


def test_an_inventory_names_the_ports_and_lists_those_without_data() -> None:
    timeline = Timeline.from_lines([*second_station(), heard(at(24), "CP-B")])
    inventory = [
        PortRecord(station="CP-B", connector=1, station_id="US-7", port_id="7-A"),
        PortRecord(
            station="CP-Q",
            connector=1,
            station_id="US-9",
            port_id="9-A",
            network_provider="<Net>",
        ),
    ]
    result = uptime(timeline, DAY, DAY + timedelta(days=1), ports=inventory)
    html = render_report(timeline, result)
    assert "<th>Port</th><th>Reported as</th>" in html
    assert "<td>US-7 / 7-A</td>" in html
    assert "<td>US-9 / 9-A, &lt;Net&gt;</td>" in html
    assert '<td class="no-data">not in the inventory</td>' in html
    # The port the log never names is listed, with a bare strip.
    quiet = html[html.index('data-station="CP-Q"') :]
    assert '<g class="port" data-port="1">' in quiet
    assert 'class="segment"' not in quiet.split("</svg>")[0]
    assert "Reported as" not in render_report(
        timeline, uptime(timeline, DAY, DAY + timedelta(days=1))
    )
    rows = list(csv.reader(io.StringIO(outages_csv(result))))
    assert rows == [
        [
            "station",
            "connector",
            "station_id",
            "port_id",
            "network_provider",
            *OUTAGE_COLUMNS[2:],
        ],
        [
            "CP-B",
            "1",
            "US-7",
            "7-A",
            "",
            "2026-06-01T03:00:00Z",
            "2026-06-01T09:00:00Z",
            "360.000",
            "Faulted",
            "faulted",
            "0.000",
            "",
        ],
    ]
    loose = [PortRecord(station="CP-B", connector=2, network_provider="N\n1")]
    listed = outages_csv(uptime(timeline, DAY, DAY + timedelta(days=1), ports=loose))
    assert "\nCP-B,1,CP-B,1,,2026-06-01T03:00:00Z," in listed


def test_warnings_are_shown_and_many_are_folded_away() -> None:
    timeline = Timeline.from_lines(second_station())

    def odd(line: int) -> Exclusion:
        return Exclusion(
            station="CP-Z",
            connector=None,
            start=DAY,
            end=DAY + timedelta(hours=1),
            cause=Cause.VANDALISM,
            line=line,
        )

    one = uptime(timeline, DAY, DAY + timedelta(days=1), exclusions=[odd(4)])
    html = render_report(timeline, one)
    assert '<details class="warnings" open><summary>1 warning</summary>' in html
    assert (
        "<li>exclusions line 4: station &#x27;CP-Z&#x27; is not in the log; "
        "ignored</li>" in html
    )
    many = [odd(line) for line in range(1, 13)]
    result = uptime(timeline, DAY, DAY + timedelta(days=1), exclusions=many)
    html = render_report(timeline, result)
    assert '<details class="warnings"><summary>12 warnings</summary>' in html
    assert html.count("<li>exclusions line") == 12


def test_text_from_the_log_is_escaped_everywhere() -> None:
    name = '<b>"CP"</b>\n\u2028&'
    lines = [
        json.dumps({"station": name, "received": at(0), "event": "connected"}),
        status(at(0), 1, "Available", name),
        status(at(1), 1, "Faulted", name),
        heard(at(24), name),
    ]
    timeline = Timeline.from_lines(lines)
    result = uptime(timeline, DAY, DAY + timedelta(days=1))
    html = render_report(timeline, result)
    assert "<b>" not in html
    assert "\n\u2028" not in html
    assert "&lt;b&gt;&quot;CP&quot;&lt;/b&gt;\\n\\u2028&amp;" in html
    rows = list(csv.reader(io.StringIO(outages_csv(result))))
    assert rows[1][0] == '<b>"CP"</b>\\n\\u2028&'


# --- the axis ----------------------------------------------------------------------


def ticks(start: datetime, days: float, zone: Any = UTC) -> list[tuple[str, str]]:
    end = start + timedelta(days=days)
    return [(day, hour) for _, day, hour in axis_ticks(start, end, zone)]


def test_ticks_show_hours_within_a_day_and_dates_where_the_date_changes() -> None:
    assert ticks(DAY, 2) == [
        ("06-01", "00:00"),
        ("", "06:00"),
        ("", "12:00"),
        ("", "18:00"),
        ("06-02", "00:00"),
        ("", "06:00"),
        ("", "12:00"),
        ("", "18:00"),
        ("06-03", "00:00"),
    ]
    # A period within a day still dates its first tick.
    hours = ticks(DAY + timedelta(hours=9, minutes=30), 0.25)
    assert hours == [
        ("06-01", "10:00"),
        ("", "11:00"),
        ("", "12:00"),
        ("", "13:00"),
        ("", "14:00"),
        ("", "15:00"),
    ]


def test_ticks_show_dates_across_days_months_and_years() -> None:
    week = ticks(DAY, 7)
    assert week[0] == ("2026", "06-01")
    assert week[-1] == ("", "06-08")
    assert len(week) == 8
    new_year = ticks(datetime(2026, 12, 20, tzinfo=UTC), 20)
    assert ("2027", "01-01") in new_year
    months = ticks(DAY, 300)
    assert months[0] == ("2026", "06")
    assert ("2027", "01") in months
    years = ticks(DAY, 3650)
    assert years[0] == ("", "2027")
    assert len(years) == 10
    ages = ticks(datetime(1, 1, 1, tzinfo=UTC), 3_000_000)
    assert ages[0] == ("", "1")
    assert all(len(ticks_) <= 13 for ticks_ in (week, new_year, months, years, ages))


def test_ticks_follow_the_zones_clock_through_summer_time() -> None:
    zone = ZoneInfo("Europe/Berlin")
    # Summer time begins at 02:00 on 29 March 2026: 02:00 is no time that day.
    start = datetime(2026, 3, 28, 23, tzinfo=UTC)  # midnight in Berlin
    moments = [
        moment.astimezone(zone).strftime("%H:%M")
        for moment, _, _ in axis_ticks(start, start + timedelta(hours=6), zone)
    ]
    assert moments == ["00:00", "01:00", "03:00", "04:00", "05:00", "06:00", "07:00"]


def test_ticks_stop_where_the_calendar_does() -> None:
    end = datetime.max.replace(tzinfo=UTC)
    # Ahead of UTC the zone's clock passes the year 9999 first; behind it, a
    # round hour of that last day is past the year 9999 in UTC.
    for zone in ("Pacific/Kiritimati", "America/Los_Angeles"):
        for days in (0.2, 3, 300, 3000, 300_000):
            start = end - timedelta(days=days)
            shown = axis_ticks(start, end, ZoneInfo(zone))
            assert shown
            assert all(start <= moment <= end for moment, _, _ in shown)
    assert clock_time(end, ZoneInfo("Pacific/Kiritimati")).startswith("9999-12-31")


# --- the strips --------------------------------------------------------------------


def test_the_strip_starts_at_the_period_not_before() -> None:
    timeline = Timeline.from_lines(second_station())
    later = uptime(timeline, DAY + timedelta(hours=10), DAY + timedelta(hours=11))
    svg = timeline_svg(timeline, later, "CP-B")
    # Port 1 has one interval in the hour, port 2 none (it appears at noon).
    assert svg.count('class="segment"') == 1
    assert re.findall(r'data-category="(\w+)" d="([^"]*)"', svg) == [
        ("available", "M90.0 43H928.0")
    ]


def test_consecutive_intervals_of_one_colour_are_drawn_as_one_stretch() -> None:
    lines = [
        json.dumps({"station": "A", "received": at(0), "event": "connected"}),
        status(at(0), 1, "Preparing", "A"),
        status(at(1), 1, "Charging", "A"),
        status(at(2), 1, "SuspendedEV", "A"),
        status(at(3), 1, "Finishing", "A"),
        status(at(4), 1, "Available", "A"),
        status(at(5), 1, "Faulted", "A"),
        status(at(5.5), 1, "Unavailable", "A"),
        status(at(6), 1, "Preparing", "A"),
        heard(at(24), "A"),
    ]
    timeline = Timeline.from_lines(lines)
    result = uptime(timeline, DAY, DAY + timedelta(days=1))
    svg = timeline_svg(timeline, result, "A")
    paths = dict(re.findall(r'data-category="(\w+)" d="([^"]*)"', svg))
    assert list(paths) == ["in_use", "available", "faulted", "unavailable"]
    assert paths["in_use"].count("M") == 2  # 00:00-04:00 and 06:00 on
    assert paths["available"].count("M") == 1
    # A path's colour is its category's.
    assert f'stroke="{CATEGORY_COLOURS["faulted"][1]}"' in svg


def test_the_strip_draws_what_was_measured_under_the_regime() -> None:
    # 00:00-02:00 Available, 02:00-03:00 SuspendedEVSE, then Charging; the
    # log's last line is at 12:00, so the rest of the day is no data.
    lines = [
        json.dumps({"station": "A", "received": at(0), "event": "connected"}),
        status(at(0), 1, "Available", "A"),
        status(at(2), 1, "SuspendedEVSE", "A"),
        status(at(3), 1, "Charging", "A"),
        heard(at(12), "A"),
    ]
    timeline = Timeline.from_lines(lines)
    nevi = uptime(timeline, DAY, DAY + timedelta(days=1), regime="nevi")
    plain = uptime(timeline, DAY, DAY + timedelta(days=1), regime="plain")
    x = {hour: f"{90 + (928 - 90) * hour / 24:.1f}" for hour in (0, 2, 3, 12)}
    out = dict(
        re.findall(
            r'data-category="(\w+)" d="([^"]*)"', timeline_svg(timeline, nevi, "A")
        )
    )
    assert out == {
        "available": f"M{x[0]} 43H{x[2]}",
        "in_use": f"M{x[3]} 43H{x[12]}",
        "suspended_evse": f"M{x[2]} 43H{x[3]}",
    }
    up = dict(
        re.findall(
            r'data-category="(\w+)" d="([^"]*)"', timeline_svg(timeline, plain, "A")
        )
    )
    # Under plain SuspendedEVSE is up, in use: one stretch with the charging.
    assert up == {"available": f"M{x[0]} 43H{x[2]}", "in_use": f"M{x[2]} 43H{x[12]}"}


def test_a_short_outage_is_still_drawn_and_excluded_parts_are_hatched() -> None:
    lines = [
        json.dumps({"station": "A", "received": at(0), "event": "connected"}),
        status(at(0), 1, "Available", "A"),
        status("2026-06-01T05:00:00Z", 1, "Faulted", "A"),
        status("2026-06-01T05:00:01Z", 1, "Available", "A"),
    ]
    timeline = Timeline.from_lines(lines)
    excused = Exclusion(
        station="A",
        connector=1,
        start=DAY,
        end=DAY + timedelta(days=1),
        cause=Cause.VANDALISM,
    )
    result = uptime(timeline, DAY, DAY + timedelta(days=365), exclusions=[excused])
    svg = timeline_svg(timeline, result, "A", index=3)
    faulted = re.search(r'data-category="faulted" d="M([\d.]+) \d+H([\d.]+)"', svg)
    assert faulted is not None
    assert float(faulted[2]) - float(faulted[1]) >= 0.5
    assert '<path class="excluded" d="M' in svg
    assert 'stroke="url(#hatch-3)"' in svg


def test_the_page_grows_with_ports_and_changes_not_with_their_product() -> None:
    def page(count: int, outages: int) -> str:
        timeline = Timeline.from_lines(flaky_ports(count, outages))
        result = uptime(timeline, DAY, DAY + timedelta(days=1))
        return render_report(timeline, result)

    # A port's strip is a few paths, whatever the number of its intervals.
    busy = page(4, 40)
    assert busy.count("<path") <= 4 * 3
    assert busy.count("<rect") == 4 + 4 * 2  # ground, and each hatch pattern's two
    # Its outage list is capped.
    assert busy.count('<tr class="more"') == 4
    assert (
        "Port 1: the first 10 of 40 outages are shown; all are in the full list "
        "of outages." in busy
    )
    # Twice the stations, about twice the page.
    small, large = len(page(20, 3)), len(page(40, 3))
    assert 1.8 < large / small < 2.1


def test_outages_per_port_sets_the_cap_and_the_link_is_named() -> None:
    timeline = Timeline.from_lines(flaky_ports(2, 3))
    result = uptime(timeline, DAY, DAY + timedelta(days=1))
    html = render_report(timeline, result, outages_per_port=0, outages_link="a b.csv")
    assert (
        html.count('<tr data-port="1"><td class="number">1</td><td class="time">') == 2
    )
    assert "the first 0 of 3 outages are shown; all are in the full list (CSV)" in html
    assert '<a href="a b.csv" download>a b.csv</a>' in html
    three = render_report(timeline, result, outages_per_port=3)
    assert '<tr class="more"' not in three


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"title": 1}, "title: got 1, expected a str"),
        ({"produced_by": 1}, "produced_by: got 1, expected a str or None"),
        ({"tz": "UTC"}, "tz: got 'UTC', expected a tzinfo"),
        ({"outages_link": 1}, "outages_link: got 1, expected a str or None"),
        ({"outages_per_port": True}, "outages_per_port: got True, expected an int"),
        ({"outages_per_port": -1}, "outages_per_port: got -1, expected 0 or more"),
        ({"inputs": "log.jsonl"}, "inputs: got 'log.jsonl', expected a sequence"),
        ({"inputs": [1]}, "inputs: got 1, expected a file name (str)"),
        ({"generated": datetime(2026, 6, 1)}, "generated"),  # noqa: DTZ001
    ],
)
def test_bad_arguments_are_named(arguments: dict[str, Any], message: str) -> None:
    timeline = Timeline.from_lines(second_station())
    result = uptime(timeline, DAY, DAY + timedelta(days=1))
    with pytest.raises((TypeError, ValueError), match=re.escape(message)):
        render_report(timeline, result, **arguments)


# --- the full list as CSV ------------------------------------------------------------


def test_the_outage_list_has_every_outage_exactly() -> None:
    timeline = Timeline.from_lines(flaky_ports(2, 12))
    result = uptime(timeline, DAY, DAY + timedelta(days=1))
    rows = list(csv.reader(io.StringIO(outages_csv(result))))
    assert tuple(rows[0]) == OUTAGE_COLUMNS
    assert len(rows) == 1 + 2 * 12
    assert rows[1] == [
        "S-000",
        "1",
        "2026-06-01T00:00:00Z",
        "2026-06-01T00:00:36Z",
        "0.600",
        "Faulted",
        "faulted",
        "0.000",
        "",
    ]
    excused = [
        row
        for row in csv.reader(
            io.StringIO(
                outages_csv(
                    uptime(
                        Timeline.from_lines([*DEMO.splitlines(), *second_station()]),
                        DAY,
                        DAY + timedelta(days=1),
                        exclusions=EXCUSED,
                    )
                )
            )
        )
        if row[0] == "CP-B"
    ]
    assert excused == [
        [
            "CP-B",
            "1",
            "2026-06-01T03:00:00Z",
            "2026-06-01T09:00:00Z",
            "360.000",
            "Faulted",
            "faulted",
            "120.000",
            "utility_interruption",
        ]
    ]


# --- a fleet -------------------------------------------------------------------------

#: Fifty two-port stations over two days, the realistic profile: about 330
#: lines a day per station.
FLEET_LINES: int = 33_000


def fleet(stations: int = 50, lines: int = FLEET_LINES) -> tuple[Timeline, Uptime]:
    timeline = Timeline.from_lines(generate_log(seed=1, stations=stations, lines=lines))
    return timeline, uptime(timeline, DAY, DAY + timedelta(days=2))


def test_fifty_stations_over_two_days_make_a_page_under_five_megabytes() -> None:
    timeline, result = fleet()
    html = render_report(timeline, result, outages_link="report-outages.csv")
    assert len(html.encode("utf-8")) < 5_000_000
    assert html.count('<details class="station') == 50
    assert html.count('<g class="port"') == 100


def test_the_stress_profile_makes_a_page_under_five_megabytes_too() -> None:
    log = generate_log(seed=1, stations=50, lines=50_000, profile="stress")
    timeline = Timeline.from_lines(log)
    result = uptime(timeline, DAY, DAY + timedelta(days=2))
    assert sum(len(port.outages) for port in result.ports) > 5000
    html = render_report(timeline, result, outages_link="report-outages.csv")
    assert len(html.encode("utf-8")) < 5_000_000


# --- the command ---------------------------------------------------------------------


def test_the_command_writes_the_outage_list_beside_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    log = tmp_path / "log.jsonl"
    log.write_text("".join(line + "\n" for line in flaky_ports(3, 12)))
    page = tmp_path / "june.html"
    argv = ["report", str(log), "--from", "2026-06-01", "--to", "2026-06-02"]
    assert cli.main([*argv, "-o", str(page)]) == 0
    assert capsys.readouterr().err == ""
    listed = tmp_path / "june-outages.csv"
    assert listed.read_text(encoding="utf-8").count("\n") == 1 + 3 * 12
    html = page.read_text(encoding="utf-8")
    assert '<a href="june-outages.csv" download>' in html
    assert f"<dt>Input</dt><dd>{log}</dd>" in html
    assert "<dt>Generated</dt><dd>2026-05-28 20:26:40</dd>" in html
    first = html
    assert cli.main([*argv, "-o", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == first
    # Elsewhere, by name, and fewer per port.
    (tmp_path / "lists").mkdir()
    elsewhere = tmp_path / "lists" / "all of them.csv"
    code = cli.main(
        [
            *argv,
            "-o",
            str(page),
            "--outages-csv",
            str(elsewhere),
            "--outages-per-port",
            "2",
        ]
    )
    assert code == 0
    html = page.read_text(encoding="utf-8")
    assert '<a href="lists/all%20of%20them.csv" download>' in html
    assert "the first 2 of 12 outages are shown" in html
    assert elsewhere.exists()


def test_the_command_never_writes_the_list_over_an_input_or_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text("".join(line + "\n" for line in flaky_ports(1, 1)))
    page = tmp_path / "r.html"
    page.write_text("old")
    argv = ["report", str(log), "--from", "2026-06-01", "--to", "2026-06-02"]
    for target in (log, page):
        code = cli.main([*argv, "-o", str(page), "--outages-csv", str(target)])
        assert code == 2
        assert "will not write" in capsys.readouterr().err
    assert page.read_text() == "old"
    with pytest.raises(SystemExit) as exited:
        cli.main([*argv, "-o", str(page), "--outages-per-port=-1"])
    assert exited.value.code == 2
    assert "'-1' is not a whole number (0 or more)" in capsys.readouterr().err


def test_the_outage_list_is_named_after_the_page() -> None:
    assert outages_name("out/june.html") == str(Path("out/june-outages.csv"))
    assert outages_name("june") == "june-outages.csv"
    assert outages_name("june.htm") == "june.htm-outages.csv"


def test_the_generation_time_is_the_reproducible_builds_one_if_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert generation_time() == datetime(1970, 1, 1, tzinfo=UTC)
    for unusable in ("soon", "-5", "99999999999999999999", ""):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", unusable)
        before = datetime.now(UTC)
        assert before <= generation_time() <= datetime.now(UTC)


# --- a real browser ----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
# The flags a closed network needs: no background connections, no updates.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1100,900",
)


@pytest.fixture
def browser() -> Iterator[object]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        reason = (
            "no Chromium and ChromeDriver installed (Debian: apt-get install "
            "chromium chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test, but there is {reason}")
        pytest.skip(reason)
    from selenium import webdriver  # noqa: PLC0415  (only this test needs it)
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(
            options=options, service=Service(executable_path=CHROMEDRIVER)
        )
        try:
            yield driver
        finally:
            driver.quit()


def screenshot_path(tmp_path: Path, name: str) -> Path:
    """Where a screenshot is kept: ``EVSTATUS_SCREENSHOTS``, else the test's directory."""
    directory = os.environ.get("EVSTATUS_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        return Path(directory) / name
    return tmp_path / name


def test_the_report_renders_in_a_real_browser(
    browser: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: PLC0415

    assert isinstance(browser, WebDriver)
    log = tmp_path / "log.jsonl"
    log.write_text(DEMO + "".join(line + "\n" for line in second_station()))
    excused = tmp_path / "exclusions.jsonl"
    excused.write_text(
        json.dumps(
            {
                "station": "CP-B",
                "connector": 1,
                "start": at(3),
                "end": at(5),
                "cause": "utility_interruption",
            }
        )
        + "\n"
    )
    page = tmp_path / "report.html"
    argv = ["report", str(log), "--from", "2026-06-01", "--to", "2026-06-02"]
    code = cli.main([*argv, "--exclusions", str(excused), "-o", str(page)])
    assert (code, capsys.readouterr().err) == (0, "")

    browser.get(page.as_uri())
    assert browser.title == (
        "Uptime report, 2026-06-01 00:00:00 to 2026-06-02 00:00:00 (UTC)"
    )
    found = browser.execute_script(  # pyright: ignore[reportUnknownMemberType]
        """
        const sections = [...document.querySelectorAll('details.station')];
        sections.forEach(section => { section.open = true; });
        return sections.map(section => {
          const svg = section.querySelector('svg.timeline');
          const box = svg.getBoundingClientRect();
          const segments = [...svg.querySelectorAll('path.segment')];
          return {
            station: section.dataset.station,
            svgWidth: box.width,
            svgHeight: box.height,
            segments: segments.length,
            drawn: segments.filter(p => p.getBoundingClientRect().width > 0).length,
            faultedStroke: segments
              .filter(p => p.dataset.category === 'faulted')
              .map(p => getComputedStyle(p).stroke),
            excluded: svg.querySelectorAll('path.excluded').length,
            uptime: [...section.querySelectorAll('table.uptime tbody tr')]
              .map(row => row.cells[6].textContent),
            outages: section.querySelectorAll('table.outages tbody tr').length,
            belowColour: [...section.querySelectorAll('td.below')]
              .map(cell => getComputedStyle(cell).color),
          };
        });
        """
    )
    assert isinstance(found, list)
    entries = cast("list[dict[str, Any]]", found)
    by_station = {entry["station"]: entry for entry in entries}
    assert sorted(by_station) == ["CP-B", "CP-DEMO-1"]
    demo = by_station["CP-DEMO-1"]
    assert demo["svgWidth"] > 500
    assert demo["svgHeight"] > 40
    assert demo["segments"] == demo["drawn"] >= 6
    assert CATEGORY_COLOURS["faulted"][1] == "#c62828"
    assert demo["faultedStroke"] == ["rgb(198, 40, 40)"]
    assert demo["uptime"] == ["93.727", "89.423"]
    assert demo["outages"] == 6
    assert demo["belowColour"] == ["rgb(198, 40, 40)", "rgb(198, 40, 40)"]
    other = by_station["CP-B"]
    assert other["excluded"] == 1
    assert other["outages"] == 1
    # Port 1 from 01:00: six hours faulted, two of them excused; port 2 from noon.
    assert other["uptime"] == [f"{(1380 - 240) / 1380 * 100:.3f}", "100.000"]


def test_a_fleets_report_is_legible_in_a_real_browser(
    browser: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: PLC0415
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    assert isinstance(browser, WebDriver)
    log = tmp_path / "fleet.jsonl"
    with log.open("w", encoding="utf-8") as stream:
        stream.writelines(
            line + "\n" for line in generate_log(seed=1, stations=50, lines=FLEET_LINES)
        )
    page = tmp_path / "fleet.html"
    argv = ["report", str(log), "--from", "2026-06-01", "--to", "2026-06-03"]
    assert cli.main([*argv, "-o", str(page)]) == 0
    assert capsys.readouterr().err == ""
    assert page.stat().st_size < 5_000_000
    _, result = fleet()
    worst = min(
        (port for port in result.ports if port.uptime_percent is not None),
        key=lambda port: (port.uptime_percent, port.station, port.connector_id),
    )

    browser.get(page.as_uri())
    summary = browser.execute_script(  # pyright: ignore[reportUnknownMemberType]
        """
        const rows = [...document.querySelectorAll('table.worst tbody tr')];
        return {
          first: [rows[0].dataset.station, Number(rows[0].dataset.port)],
          shown: rows.length,
          closed: [...document.querySelectorAll('details.station')]
            .filter(d => !d.open).length,
        };
        """
    )
    assert isinstance(summary, dict)
    shown = cast("dict[str, Any]", summary)
    assert shown["first"] == [worst.station, worst.connector_id]
    assert shown["shown"] >= 10
    assert shown["closed"] == 50

    # The worst port's link opens its station, closed until then.
    browser.find_element(By.CSS_SELECTOR, "table.worst tbody tr a").click()
    opened = browser.execute_script(  # pyright: ignore[reportUnknownMemberType]
        "return [...document.querySelectorAll('details.station')]"
        ".filter(d => d.open).map(d => d.dataset.station);"
    )
    assert opened == [worst.station]
    # A click on a station's summary line opens it too.
    other = browser.find_element(
        By.CSS_SELECTOR, "details.station:not([open]) > summary"
    )
    other.click()
    measured = browser.execute_script(  # pyright: ignore[reportUnknownMemberType]
        """
        const open = [...document.querySelectorAll('details.station[open]')];
        const lines = element => {
          const range = document.createRange();
          range.selectNodeContents(element);
          return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        };
        const cells = open.flatMap(d => [...d.querySelectorAll('td.time')]);
        const heads = open.flatMap(d => [...d.querySelectorAll('th')]);
        const labels = open.flatMap(d => [...d.querySelectorAll('svg text.tick')]);
        const boxes = labels.map(t => t.getBoundingClientRect());
        const overlapping = boxes.filter((box, i) => i > 0 &&
          boxes[i - 1].top === box.top && boxes[i - 1].right > box.left).length;
        const wide = open.flatMap(d => [...d.querySelectorAll('div.wide')]);
        return {
          open: open.length,
          cells: cells.length,
          wrapped: cells.filter(c => lines(c) > 1).map(c => c.textContent),
          overflowing: [...cells, ...heads].filter(c => c.scrollWidth > c.clientWidth)
            .map(c => c.textContent),
          timesWithFractions: cells.filter(c => /\\d\\d:\\d\\d:\\d\\d\\./.test(c.textContent))
            .length,
          smallest: Math.min(...cells.map(c => parseFloat(getComputedStyle(c).fontSize))),
          labels: labels.length,
          overlapping: overlapping,
          tablesScrolling: wide.filter(w => w.scrollWidth > w.clientWidth).length,
          pageScrolling: document.documentElement.scrollWidth > window.innerWidth,
        };
        """
    )
    assert isinstance(measured, dict)
    legible = cast("dict[str, Any]", measured)
    assert legible["open"] == 2
    assert legible["cells"] > 20
    assert legible["wrapped"] == []
    assert legible["overflowing"] == []
    assert legible["timesWithFractions"] == 0
    assert legible["smallest"] >= 12
    assert legible["labels"] >= 2 * 9
    assert legible["overlapping"] == 0
    # At 1,100 pixels wide, the tables fit: nothing scrolls sideways.
    assert legible["tablesScrolling"] == 0
    assert legible["pageScrolling"] is False

    # Kept: the station last opened, and the summary at the top.
    for name, scroll in [("fleet-report-station.png", None), ("fleet-report.png", 0)]:
        if scroll is not None:
            browser.execute_script(f"window.scrollTo(0, {scroll});")  # pyright: ignore[reportUnknownMemberType]
        screenshot = screenshot_path(tmp_path, name)
        assert browser.save_screenshot(str(screenshot))  # pyright: ignore[reportUnknownMemberType]
        assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert screenshot.stat().st_size > 10_000


# --- the docs' tables and picture ----------------------------------------------------


def test_the_docs_tables_are_printed_from_the_data() -> None:
    from evstatus._uptime_tables import UPTIME_TABLES  # noqa: PLC0415

    up = UPTIME_TABLES["uptime-up-states"]().splitlines()
    assert up[0] == "| OCPP 1.6 state of the port | `nevi` | `cec` | `plain` |"
    assert "| `Faulted` | outage | outage | outage |" in up
    assert "| `Reserved` | up | up | up |" in up
    # SuspendedEVSE is where the regimes differ.
    assert "| `SuspendedEVSE` | outage | outage | up |" in up
    causes = UPTIME_TABLES["uptime-causes"]().splitlines()
    assert causes[0] == "| Cause | Covers | `nevi` | `cec` | `plain` |"
    vandalism = next(row for row in causes if row.startswith("| `vandalism`"))
    assert vandalism.endswith(
        "| excluded | at most 14,400 min per incident | excluded |"
    )
    vehicle = next(row for row in causes if row.startswith("| `vehicle_fault`"))
    assert "| not excluded |" in vehicle
    reasons = UPTIME_TABLES["uptime-outage-reasons"]().splitlines()
    assert reasons[2].startswith("| 1 | `not_enabled` | Inoperative |")
    assert "| `cec` | California Energy Commission" in UPTIME_TABLES["uptime-regimes"]()
    assert "#c62828" in UPTIME_TABLES["uptime-colours"]()
    picture = UPTIME_TABLES["uptime-demo-timeline"]()
    assert picture.startswith('<svg class="timeline"')
    assert picture.count(">port ") == 2
    assert 'data-category="faulted"' in picture
