"""EV-ChART files: Module 3 (uptime) and Module 4 (outages), worked by hand.

Each file is also checked against EV-ChART's own published rules
(tests/evchart_rules.py reads them from tests/evchart/).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus.uptime import (
    EVCHART_REASONS,
    Cause,
    EvChartOutage,
    EvChartUptime,
    Exclusion,
    PortRecord,
    Timeline,
    evchart_rows,
    write_evchart,
)
from evstatus.uptime._evchart import (
    MODULE3_COLUMNS,
    MODULE4_COLUMNS,
    _shortened,  # pyright: ignore[reportPrivateUsage]
    decimal_half_up,
)

from .evchart_rules import rules, unique_keys, violations
from .log_lines import data_until, event, opening, stamp, status


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


JAN_2025 = datetime(2025, 1, 1, tzinfo=UTC)
DEC_2025 = datetime(2025, 12, 1, tzinfo=UTC)
JAN_2026 = datetime(2026, 1, 1, tzinfo=UTC)


def year_log() -> list[str]:
    """Two ports counted from 1 January 2025 to 1 January 2026, each with one
    December outage whose minutes end in exactly half a hundredth.
    """
    return [
        *opening(JAN_2025, ports=2),
        # Port 1: 78 min 50.4 s = 78.84 min; its year's uptime is
        # (525,600 - 78.84) / 525,600 * 100 = 100 - 78.84 / 5,256 = 99.985.
        status(datetime(2025, 12, 10, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2025, 12, 10, 1, 18, 50, 400_000, tzinfo=UTC), 1, "Available"),
        # Port 2: 10 min 0.3 s = 10.005 min.
        status(datetime(2025, 12, 20, tzinfo=UTC), 2, "Faulted"),
        status(datetime(2025, 12, 20, 0, 10, 0, 300_000, tzinfo=UTC), 2, "Available"),
        # The data reaches the end of the year.
        event(JAN_2026, "heard"),
    ]


def test_rounding_is_half_up_from_the_exact_fraction() -> None:
    chart = evchart_rows(Timeline.from_lines(year_log()), DEC_2025, JAN_2026)
    one, two = chart.uptime
    assert one == EvChartUptime(
        station_id="CP-1",
        port_id="1",
        network_provider=None,
        uptime_reporting_start=DEC_2025,
        uptime_reporting_end=JAN_2026,
        uptime=Fraction(99_985, 1000),
        total_outage=Fraction(7884, 100),
        total_outage_excl=Fraction(0),
    )
    assert two.total_outage == Fraction(10_005, 1000)
    module3 = table(chart.module3_csv())
    # Half to even would give 99.98 and 10.00.
    assert [(row["uptime"], row["total_outage"]) for row in module3] == [
        ("99.99", "78.84"),
        ("100.00", "10.01"),
    ]
    module4 = table(chart.module4_csv())
    assert [(row["outage_id"], row["outage_duration"]) for row in module4] == [
        ("2025-12-10T00:00:00Z", "78.84"),
        ("2025-12-20T00:00:00Z", "10.01"),
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Fraction(0), "0.00"),
        (Fraction(5, 1000), "0.01"),
        (Fraction(4999, 1_000_000), "0.00"),
        (Fraction(15, 1000), "0.02"),
        (Fraction(25, 1000), "0.03"),
        (Fraction(99_995, 1000), "100.00"),
        (Fraction(525_600), "525600.00"),
        (Fraction(2, 3), "0.67"),
    ],
)
def test_decimal_half_up(value: Fraction, written: str) -> None:
    assert decimal_half_up(value) == written


def test_module3_has_a_row_per_port_per_month_with_the_twelve_months_figures() -> None:
    log = [
        *opening(datetime(2025, 4, 1, tzinfo=UTC)),
        status(datetime(2026, 2, 10, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2026, 2, 10, 3, tzinfo=UTC), 1, "Available"),
        event(datetime(2026, 4, 1, tzinfo=UTC), "heard"),
    ]
    chart = evchart_rows(
        Timeline.from_lines(log),
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 4, 1, tzinfo=UTC),
    )
    rows = table(chart.module3_csv())
    assert [
        (
            row["uptime_reporting_start"],
            row["uptime_reporting_end"],
            row["uptime"],
            row["total_outage"],
        )
        for row in rows
    ] == [
        # The port is in the log from April 2025: the twelve months ending in
        # January and February are not all counted, so no uptime; March's are.
        ("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "", "0.00"),
        ("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "", "180.00"),
        # (525,600 - 180) / 525,600 * 100 = 99.96575...
        ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "99.97", "180.00"),
    ]
    assert {
        (row["station_id"], row["port_id"], row["network_provider"]) for row in rows
    } == {("CP-1", "1", "")}


def test_a_period_not_in_whole_months_gives_every_month_it_touches() -> None:
    log = [*opening(datetime(2025, 1, 1, tzinfo=UTC)), event(JAN_2026, "heard")]
    chart = evchart_rows(
        Timeline.from_lines(log),
        datetime(2025, 10, 15, tzinfo=UTC),
        datetime(2025, 11, 2, tzinfo=UTC),
    )
    assert [
        (row.uptime_reporting_start.month, row.uptime_reporting_end.month)
        for row in chart.uptime
    ] == [
        (10, 11),
        (11, 12),
    ]


def test_the_inventory_names_the_ports_and_keeps_the_silent_one() -> None:
    log = [
        *opening(DEC_2025, ports=1),
        *opening(DEC_2025, ports=1, station="CP-9"),
        status(datetime(2025, 12, 2, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2025, 12, 2, 1, tzinfo=UTC), 1, "Available"),
        event(JAN_2026, "heard"),
        event(JAN_2026, "heard", station="CP-9"),
    ]
    inventory = [
        PortRecord(
            station="CP-1",
            connector=1,
            station_id="S-0001",
            port_id="S-0001-A",
            network_provider="ExampleNet",
        ),
        # Installed, never heard from.
        PortRecord(
            station="CP-1",
            connector=2,
            station_id="S-0001",
            port_id="S-0001-B",
            network_provider="ExampleNet",
        ),
    ]
    chart = evchart_rows(Timeline.from_lines(log), DEC_2025, JAN_2026, ports=inventory)
    assert [
        (
            row["station_id"],
            row["port_id"],
            row["network_provider"],
            row["uptime"],
            row["total_outage"],
        )
        for row in table(chart.module3_csv())
    ] == [
        # Younger than a year: no uptime, but its outage minutes.
        ("S-0001", "S-0001-A", "ExampleNet", "", "60.00"),
        ("S-0001", "S-0001-B", "ExampleNet", "", "0.00"),
        # Not in the inventory: under its OCPP ids, and warned about.
        ("CP-9", "1", "", "", "0.00"),
    ]
    assert [row["port_id"] for row in table(chart.module4_csv())] == ["S-0001-A"]
    assert any(
        notice.source == "ports" and "'CP-9' port 1" in notice.message
        for notice in chart.warnings
    )


def test_module4_lists_outages_begun_in_the_period_with_their_exclusions() -> None:
    start = datetime(2026, 6, 1, tzinfo=UTC)
    hour = timedelta(hours=1)
    log = [
        *opening(datetime(2026, 5, 1, tzinfo=UTC), ports=3),
        # Port 1: out since May: an earlier report's outage, not this one's.
        status(datetime(2026, 5, 31, 23, tzinfo=UTC), 1, "Faulted"),
        status(start + 2 * hour, 1, "Available"),
        # Port 2: four hours out, all under scheduled maintenance; port 3:
        # four hours out, one excused by vandalism, one by the utility.
        status(start + 10 * hour, 2, "Unavailable"),
        status(start + 10 * hour, 3, "Faulted"),
        status(start + 14 * hour, 2, "Available"),
        status(start + 14 * hour, 3, "Available"),
        # Port 1 again: still out when the period ends.
        status(start + 20 * hour, 1, "Faulted"),
        event(start + 30 * hour, "heard"),
    ]
    exclusions = [
        Exclusion(
            station="CP-1",
            connector=2,
            start=start + 9 * hour,
            end=start + 15 * hour,
            cause=Cause.SCHEDULED_MAINTENANCE,
        ),
        # One after the other from the outage's start: both excuse it.
        Exclusion(
            station="CP-1",
            connector=3,
            start=start + 10 * hour,
            end=start + 11 * hour,
            cause=Cause.VANDALISM,
        ),
        Exclusion(
            station="CP-1",
            connector=3,
            start=start + 11 * hour,
            end=start + 12 * hour,
            cause=Cause.UTILITY_INTERRUPTION,
        ),
    ]
    chart = evchart_rows(
        Timeline.from_lines(log), start, start + 24 * hour, exclusions=exclusions
    )
    assert chart.outages == (
        EvChartOutage(
            station_id="CP-1",
            port_id="1",
            network_provider=None,
            outage_id=start + 20 * hour,
            outage_duration=Fraction(240),
            excluded_outage=False,
            excluded_outage_reason=None,
            excluded_outage_notes="still out at 2026-06-02T00:00:00Z, where the count ends",
        ),
        EvChartOutage(
            station_id="CP-1",
            port_id="2",
            network_provider=None,
            outage_id=start + 10 * hour,
            outage_duration=Fraction(240),
            excluded_outage=True,
            excluded_outage_reason=3,
            excluded_outage_notes=None,
        ),
        EvChartOutage(
            station_id="CP-1",
            port_id="3",
            network_provider=None,
            outage_id=start + 10 * hour,
            outage_duration=Fraction(240),
            excluded_outage=True,
            # A tie of 60 minutes each: the first in 680.116(b)'s order.
            excluded_outage_reason=1,
            excluded_outage_notes="excluded 120.00 of 240.00 min: "
            "utility_interruption 60.00, vandalism 60.00",
        ),
    )
    rows = table(chart.module4_csv())
    assert [(r["excluded_outage"], r["excluded_outage_reason"]) for r in rows] == [
        ("FALSE", ""),
        ("TRUE", "3"),
        ("TRUE", "1"),
    ]


def test_the_reasons_are_numbered_in_the_regulations_order() -> None:
    assert dict(EVCHART_REASONS) == {
        Cause.UTILITY_INTERRUPTION: 1,
        Cause.VEHICLE_FAULT: 2,
        Cause.SCHEDULED_MAINTENANCE: 3,
        Cause.VANDALISM: 4,
        Cause.NATURAL_DISASTER: 5,
        Cause.OUTSIDE_OPERATING_HOURS: 6,
    }


def test_a_duration_under_half_a_hundredth_is_written_as_the_least_allowed() -> None:
    row = EvChartOutage(
        station_id="S",
        port_id="P",
        network_provider=None,
        outage_id=JAN_2026,
        outage_duration=Fraction(1, 1000),
        excluded_outage=False,
        excluded_outage_reason=None,
        excluded_outage_notes=None,
    )
    assert row.cells()[4] == "0.01"


@pytest.mark.parametrize(
    ("seconds", "began_text", "written", "warned"),
    [
        # 999,999.99 minutes, the most outage_duration holds.
        (59_999_999.4, "2024-04-05T13:20:00.600Z", "999999.99", False),
        # 999,999.995 minutes: rounded half up, one hundredth too many.
        (59_999_999.7, "2024-04-05T13:20:00.300Z", "1000000.00", True),
        # Two years.
        (730 * 86_400, "2024-03-01T00:00:00Z", "1051200.00", True),
    ],
)
def test_an_outage_longer_than_module_4_holds_is_written_whole_and_named(
    seconds: float, began_text: str, written: str, warned: bool
) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    end = datetime(2026, 3, 1, tzinfo=UTC)
    began = end - timedelta(seconds=seconds)
    log = [*opening(start), status(began, 1, "Faulted"), data_until(end)]
    chart = evchart_rows(Timeline.from_lines(log), start, end)
    (row,) = chart.outages
    assert row.outage_id == began
    assert row.cells()[4] == written
    overlong = [notice for notice in chart.warnings if "outage_duration" in str(notice)]
    if warned:
        (notice,) = overlong
        assert notice.message == (
            f"station 'CP-1' port 1: the outage from {began_text} lasts "
            f"{written} minutes to the end of the period, more than EV-ChART's "
            "outage_duration holds (999999.99); EV-ChART will refuse its row: "
            "report a shorter period"
        )
    # EV-ChART's own rules agree on which rows it refuses.
    refused = [
        found
        for found in violations(4, chart.module4_csv())
        if "outage_duration" in found
    ]
    assert bool(refused) is warned
    if not warned:
        assert overlong == []


def test_long_notes_are_cut_to_255_characters() -> None:
    assert _shortened("n" * 255) == "n" * 255
    assert _shortened("n" * 256) == "n" * 252 + "..."


def test_months_follow_the_zone_across_daylight_saving_time() -> None:
    la = ZoneInfo("America/Los_Angeles")
    # March 2026 in Los Angeles: clocks go forward on the 8th, so the month is
    # 31 days less an hour, from 08:00Z on 1 March to 07:00Z on 1 April.
    march = datetime(2026, 3, 1, tzinfo=la)
    april = datetime(2026, 4, 1, tzinfo=la)
    log = [
        *opening(datetime(2025, 1, 1, tzinfo=UTC)),
        # 23:30 to 00:30 Pacific daylight time: half in March, half in April.
        status(datetime(2026, 3, 31, 23, 30, tzinfo=la), 1, "Faulted"),
        status(datetime(2026, 4, 1, 0, 30, tzinfo=la), 1, "Available"),
        event(datetime(2026, 5, 1, tzinfo=UTC), "heard"),
    ]
    timeline = Timeline.from_lines(log)
    chart = evchart_rows(timeline, march, april, tz=la)
    (row,) = chart.uptime
    assert (stamp(row.uptime_reporting_start), stamp(row.uptime_reporting_end)) == (
        "2026-03-01T08:00:00Z",
        "2026-04-01T07:00:00Z",
    )
    assert row.total_outage == 30
    # The same month in UTC has none of it.
    (utc_row,) = evchart_rows(
        timeline, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    ).uptime
    assert utc_row.total_outage == 0
    (outage,) = chart.outages
    assert stamp(outage.outage_id) == "2026-04-01T06:30:00Z"


# --- the files against EV-ChART's published rules ------------------------------------


def busy_chart_files(tmp_path: Path) -> tuple[str, str]:
    """Files with every kind of row: young and old ports, silent ones, exclusions."""
    start = datetime(2025, 10, 1, tzinfo=UTC)
    log = [
        *opening(datetime(2024, 9, 1, tzinfo=UTC), ports=2),
        *opening(datetime(2025, 8, 1, tzinfo=UTC), ports=1, station="CP-2"),
        status(datetime(2025, 10, 3, 4, 5, 6, 789_000, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2025, 10, 3, 9, tzinfo=UTC), 1, "Available"),
        status(datetime(2025, 11, 3, tzinfo=UTC), 2, "Unavailable"),
        status(datetime(2025, 11, 3, 0, 0, 0, 100, tzinfo=UTC), 2, "Available"),
        status(datetime(2025, 12, 30, tzinfo=UTC), 1, "Faulted", station="CP-2"),
        event(JAN_2026, "heard"),
        event(JAN_2026, "heard", station="CP-2"),
    ]
    exclusions = [
        Exclusion(
            station="CP-1",
            connector=1,
            start=datetime(2025, 10, 3, 5, tzinfo=UTC),
            end=datetime(2025, 10, 3, 6, tzinfo=UTC),
            cause=Cause.UTILITY_INTERRUPTION,
        )
    ]
    inventory = [
        PortRecord(
            station="CP-1",
            connector=1,
            station_id="S" * 36,
            port_id="P" * 36,
            network_provider="N" * 30,
        ),
        PortRecord(
            station="CP-1",
            connector=2,
            station_id="S" * 36,
            port_id="Q",
            network_provider="ExampleNet",
        ),
        PortRecord(station="CP-2", connector=1, network_provider="ExampleNet"),
        PortRecord(
            station="CP-3",
            connector=1,
            port_id="never heard from",
            network_provider="Net, Inc.",
        ),
    ]
    chart = evchart_rows(
        Timeline.from_lines(log),
        start,
        JAN_2026,
        exclusions=exclusions,
        ports=inventory,
    )
    (tmp_path / "out").mkdir()
    three, four = write_evchart(tmp_path / "out", chart)
    assert (three.name, four.name) == ("module3.csv", "module4.csv")
    return three.read_text(encoding="utf-8"), four.read_text(encoding="utf-8")


def test_the_files_pass_evcharts_rules(tmp_path: Path) -> None:
    module3, module4 = busy_chart_files(tmp_path)
    assert len(table(module3)) == 4 * 3
    assert len(table(module4)) == 3
    assert violations(3, module3) == []
    assert violations(4, module4) == []


def test_the_files_have_the_columns_of_the_definitions() -> None:
    # Every column the definitions know is written, and no other.
    assert set(MODULE3_COLUMNS) == set(rules(3))
    assert set(MODULE4_COLUMNS) == set(rules(4))
    assert set(unique_keys(3)) <= set(MODULE3_COLUMNS)
    assert set(unique_keys(4)) <= set(MODULE4_COLUMNS)


BAD_CELLS = [
    # module, column, cell, what the rules say of it
    (3, "uptime", "99.999", "more than 2 decimal places"),
    (3, "uptime", "1000.00", "more than 3 digits before the point"),
    (3, "uptime", "-1.00", "below the minimum 0"),
    (3, "uptime", "ninety", "not a decimal number"),
    (3, "total_outage", "", "empty, but required"),
    (
        3,
        "uptime_reporting_start",
        "2026-01-01T00:00:00-08:00",
        "not YYYY-MM-DDTHH:MM:SS[.fraction][Z]",
    ),
    (3, "uptime_reporting_end", "January 2026", "not an ISO 8601 datetime"),
    (3, "port_id", "P" * 37, "longer than 36 characters"),
    (3, "network_provider", "N" * 31, "longer than 30 characters"),
    (3, "station_id", " ", "only spaces"),
    (4, "outage_duration", "0.00", "below the minimum 0.01"),
    (4, "excluded_outage", "yes", "not TRUE or FALSE"),
    (4, "excluded_outage_reason", "7", "above the maximum 6"),
    (4, "excluded_outage_reason", "0", "below the minimum 1"),
    (4, "excluded_outage_reason", "1.0", "not an integer"),
    (4, "excluded_outage_notes", "n" * 256, "longer than 255 characters"),
]


@pytest.mark.parametrize(("module", "column", "cell", "said"), BAD_CELLS)
def test_the_rules_catch_a_bad_cell(
    tmp_path: Path, module: int, column: str, cell: str, said: str
) -> None:
    texts: dict[int, str] = dict(zip((3, 4), busy_chart_files(tmp_path), strict=True))
    rows = table(texts[module])
    rows[0][column] = cell
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    assert violations(module, out.getvalue()) == [f"row 2, {column} = {cell!r}: {said}"]


def rewritten(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("module", [3, 4])
def test_the_rules_catch_a_missing_column_and_a_repeated_row(
    tmp_path: Path, module: int
) -> None:
    texts: dict[int, str] = dict(zip((3, 4), busy_chart_files(tmp_path), strict=True))
    header, first, *rest = csv.reader(io.StringIO(texts[module]))
    key = tuple(first[header.index(name)] for name in unique_keys(module))
    assert violations(module, rewritten([header, first, first, *rest])) == [
        f"row 3: repeats the unique key {key}"
    ]
    dropped = [
        [cell for index, cell in enumerate(row) if index != 1]
        for row in (header, first)
    ]
    assert violations(module, rewritten(dropped)) == [
        f"missing required column {header[1]}"
    ]


def test_a_port_without_a_network_provider_is_warned_about() -> None:
    # EV-ChART finds a station by its id and network provider: the rules
    # refuse the row, and the warning says where to give it.
    log = [*opening(DEC_2025), event(JAN_2026, "heard")]
    chart = evchart_rows(Timeline.from_lines(log), DEC_2025, JAN_2026)
    assert [str(notice) for notice in chart.warnings] == [
        (
            "ports station 'CP-1' port 1 has no network_provider, which EV-ChART "
            "needs; give it in the port inventory"
        )
    ]
    assert violations(3, chart.module3_csv()) == [
        "row 2, network_provider = '': empty, but required"
    ]


@given(st.fractions(min_value=0, max_value=10**7))
def test_half_up_is_the_nearest_hundredth_and_halves_go_up(value: Fraction) -> None:
    written = Fraction(decimal_half_up(value))
    assert (written * 100).denominator == 1
    # The one hundredth with value in [written - 1/200, written + 1/200).
    assert written - Fraction(1, 200) <= value < written + Fraction(1, 200)
