"""The HTML uptime report: what the page holds, and how a real browser renders it.

The browser test drives Debian's Chromium through Selenium and ChromeDriver.
Without a Chromium it is skipped, saying why; where the CI variable is set a
missing browser fails it instead, so CI can never pass without looking.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

import pytest

from evstatus import _cli as cli
from evstatus._uptime_html import CATEGORY_COLOURS, render_report, timeline_svg
from evstatus.uptime import Cause, Exclusion, Regime, Timeline, uptime

DAY = datetime(2026, 6, 1, tzinfo=UTC)
DEMO = files("evstatus").joinpath("data", "demo.jsonl").read_text(encoding="utf-8")


def at(hours: float) -> str:
    return (DAY + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def status(moment: str, connector: int, state: str, station: str) -> str:
    payload = {"connectorId": connector, "errorCode": "NoError", "status": state}
    return json.dumps({"station": station, "received": moment, "payload": payload})


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


# --- the page's content ------------------------------------------------------------


def test_the_page_holds_a_section_per_station_with_timeline_and_tables() -> None:
    _, html = demo_day(EXCUSED)
    assert html.count('<section class="station"') == 2
    assert html.count('<svg class="timeline"') == 2
    assert 'data-station="CP-DEMO-1"' in html
    # Each picture has its own hatch pattern, so their ids never clash.
    assert 'id="hatch-0"' in html
    assert 'id="hatch-1"' in html
    assert 'fill="url(#hatch-0)"' in html
    # Port 2 of the demo: 114.23 of 1079.97 minutes out (its SuspendedEVSE
    # quarter hour among them, out under nevi).
    assert '<td class="number below">89.423</td>' in html
    assert "<td>Faulted</td><td>faulted</td>" in html
    assert "utility_interruption" in html
    # The tables head their columns with the names the JSON and CSV use, in words.
    heads = re.findall(r"<thead><tr>(.*?)</tr></thead>", html)
    assert {tuple(re.findall(r"<th>(.*?)</th>", head)) for head in heads} == {
        (
            "Connector",
            "Start",
            "Period minutes",
            "Outage minutes",
            "Excluded minutes",
            "Uptime percent",
            "Outages",
        ),
        (
            "Connector",
            "Start",
            "End",
            "Minutes",
            "Status",
            "Reason",
            "Excluded minutes",
            "Cause",
        ),
    }


def test_nothing_in_the_page_reaches_outside_it() -> None:
    _, html = demo_day(EXCUSED)
    assert "<script" not in html
    assert "<link" not in html
    assert "src=" not in html
    assert "https://" not in html
    assert html.count("http://") == html.count('xmlns="http://www.w3.org/2000/svg"')


def test_a_page_without_ports_and_without_outages() -> None:
    empty = uptime(Timeline(), DAY, DAY + timedelta(days=1))
    assert "No ports in the log." in render_report(Timeline(), empty)
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
    assert '<td class="number no-data">no data</td>' in html


def test_warnings_are_shown_on_the_page() -> None:
    timeline = Timeline.from_lines(second_station())
    odd = Exclusion(
        station="CP-Z",
        connector=None,
        start=DAY,
        end=DAY + timedelta(hours=1),
        cause=Cause.VANDALISM,
        line=4,
    )
    result = uptime(timeline, DAY, DAY + timedelta(days=1), exclusions=[odd])
    assert (
        "<li>exclusions line 4: station &#x27;CP-Z&#x27; is not in the log; "
        "ignored</li>" in render_report(timeline, result)
    )


def test_long_periods_label_the_axis_with_dates() -> None:
    timeline = Timeline.from_lines(second_station())
    week = uptime(timeline, DAY, DAY + timedelta(days=7))
    svg = timeline_svg(timeline, week, "CP-B")
    assert ">06-01</text>" in svg
    assert ">06-08</text>" in svg
    year = uptime(timeline, DAY, DAY + timedelta(days=3650))
    assert "<text" in timeline_svg(timeline, year, "CP-B")


def test_the_strip_starts_at_the_period_not_before() -> None:
    timeline = Timeline.from_lines(second_station())
    later = uptime(timeline, DAY + timedelta(hours=10), DAY + timedelta(hours=11))
    svg = timeline_svg(timeline, later, "CP-B")
    # Port 1 has one interval in the hour, port 2 none (it appears at noon).
    assert svg.count('class="segment"') == 1
    assert 'data-category="available"' in svg


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
    assert (
        browser.title == "Uptime report, 2026-06-01T00:00:00Z to 2026-06-02T00:00:00Z"
    )
    found = browser.execute_script(  # pyright: ignore[reportUnknownMemberType]
        """
        const sections = [...document.querySelectorAll('section.station')];
        return sections.map(section => {
          const svg = section.querySelector('svg.timeline');
          const box = svg.getBoundingClientRect();
          const segments = [...svg.querySelectorAll('rect.segment')];
          return {
            station: section.dataset.station,
            svgWidth: box.width,
            svgHeight: box.height,
            segments: segments.length,
            drawn: segments.filter(r => r.getBoundingClientRect().width > 0).length,
            faultedFill: segments
              .filter(r => r.dataset.category === 'faulted')
              .map(r => getComputedStyle(r).fill),
            excluded: svg.querySelectorAll('rect.excluded').length,
            uptime: [...section.querySelectorAll('table.uptime tbody tr')]
              .map(row => row.cells[5].textContent),
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
    assert demo["segments"] == demo["drawn"] > 10
    red = CATEGORY_COLOURS["faulted"][1]
    assert red == "#c62828"
    assert demo["faultedFill"] == ["rgb(198, 40, 40)"]
    assert demo["uptime"] == ["93.727", "89.423"]
    assert demo["outages"] == 6
    assert demo["belowColour"] == ["rgb(198, 40, 40)", "rgb(198, 40, 40)"]
    other = by_station["CP-B"]
    assert other["excluded"] == 1
    assert other["outages"] == 1
    # Port 1 from 01:00: six hours faulted, two of them excused; port 2 from noon.
    assert other["uptime"] == [f"{(1380 - 240) / 1380 * 100:.3f}", "100.000"]

    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot))  # pyright: ignore[reportUnknownMemberType]
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert screenshot.stat().st_size > 10_000


# --- the docs' tables and picture ----------------------------------------------------


def test_the_docs_tables_are_printed_from_the_data() -> None:
    from evstatus._uptime_tables import UPTIME_TABLES  # noqa: PLC0415

    up = UPTIME_TABLES["uptime-up-states"]().splitlines()
    assert "| `Faulted` | outage |" in up
    assert "| `Reserved` | up |" in up
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
