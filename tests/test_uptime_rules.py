"""evstatus.uptime against the rules: silence, the data's end, exclusions, NEVI.

Hand-worked cases give the arithmetic beside the log; the properties compare
the library with the minute-by-minute reading in ``tests/oracle.py`` and check
that the order of the exclusions never matters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evstatus.exceptions import InvalidReport
from evstatus.uptime import (
    REGIMES,
    Cap,
    Cause,
    Exclusion,
    Outage,
    OutageReason,
    PortUptime,
    Regime,
    Timeline,
    Uptime,
    interval_records,
    nevi_quarter,
    read_exclusions,
    trailing_twelve_months,
    uptime,
)

from .log_lines import DAY, at, data_until, event, opening, stamp, status
from .oracle import (
    OracleExclusion,
    OracleLine,
    OracleRegime,
    expected_uptime,
)

PACIFIC = ZoneInfo("America/Los_Angeles")


def excuse(
    start: datetime,
    end: datetime,
    cause: str,
    *,
    connector: int | None = None,
    incident: str | None = None,
) -> Exclusion:
    return Exclusion(
        station="CP-1",
        connector=connector,
        start=start,
        end=end,
        cause=Cause(cause),
        incident=incident,
    )


def measure(
    lines: list[str], start: datetime, end: datetime, **options: object
) -> PortUptime:
    """The one port of *lines* over ``[start, end)``, the data reaching *end*."""
    timeline = Timeline.from_lines([*lines, data_until(end)])
    result = uptime(timeline, start, end, **options)  # type: ignore[arg-type]
    (port,) = result.ports
    return port


# --- silence is downtime ----------------------------------------------------------


def test_a_silent_station_is_offline_from_its_limit_until_heard_again() -> None:
    # Heartbeats every 5 minutes, 2 allowed: offline 10 minutes after the last
    # line heard. Heard at 00:00 and 01:00; the log goes on to 02:00 (another
    # station). Offline 00:10-01:00 and 01:10-02:00: 100 of 120 minutes.
    # Without the rule the port is up all along.
    lines = [*opening(), event(at(1), "heard")]
    every = timedelta(minutes=5)
    timeline = Timeline.from_lines(
        [*lines, data_until(at(2))], heartbeat_interval=every
    )
    (port,) = uptime(timeline, DAY, at(2)).ports
    assert port.outage_minutes == 50 + 50
    assert [(o.start, o.end, o.reason) for o in port.outages] == [
        (DAY + 2 * every, at(1), OutageReason.OFFLINE),
        (at(1) + 2 * every, at(2), OutageReason.OFFLINE),
    ]
    assert measure(lines, DAY, at(2)).outage_minutes == 0
    # Three intervals allowed: offline from 00:15; heard at 01:00, where the
    # data ends, so nothing after.
    quiet = Timeline.from_lines(lines, heartbeat_interval=every, tolerance=3)
    intervals = quiet.intervals("CP-1", 1, until=at(5))
    assert [(i.start, i.end, i.up) for i in intervals] == [
        (DAY, at(0.25), True),
        (at(0.25), at(1), False),
    ]


def test_silence_at_the_end_of_the_data_is_downtime_too() -> None:
    # Heard every quarter of an hour until 06:00; the log goes on to 12:00
    # (another station). With a 15-minute interval and a tolerance of 2,
    # offline from 06:30: 330 of the 720 minutes.
    beats = [event(at(quarter / 4), "heard") for quarter in range(1, 25)]
    lines = [*opening(), *beats, data_until(at(12))]
    timeline = Timeline.from_lines(lines, heartbeat_interval=timedelta(minutes=15))
    (port,) = uptime(timeline, DAY, at(12)).ports
    assert (port.period_minutes, port.outage_minutes) == (Fraction(720), Fraction(330))
    assert port.uptime_percent == Fraction(720 - 330, 720) * 100
    (outage,) = port.outages
    assert (outage.start, outage.end, outage.reason) == (
        at(6.5),
        at(12),
        OutageReason.OFFLINE,
    )
    assert list(timeline.intervals("CP-1", 1, until=at(24)))[-1].outage is (
        OutageReason.OFFLINE
    )


def test_a_line_that_does_not_hear_the_station_keeps_it_silent() -> None:
    # Heard at 00:00, limit 10 minutes. A "disabled" event at 01:00 is the
    # platform's, not the station's: still silent, now also switched off
    # (not_enabled comes first). Heard again at 02:00 and enabled: up until
    # silent again at 02:10, to the data's end at 03:00.
    lines = [
        *opening(),
        event(at(1), "disabled"),
        event(at(2), "heard"),
        event(at(2), "enabled"),
    ]
    timeline = Timeline.from_lines(
        [*lines, data_until(at(3))], heartbeat_interval=timedelta(minutes=5)
    )
    (port,) = uptime(timeline, DAY, at(3)).ports
    first, second = port.outages
    assert [(s.reason, s.start, s.end) for s in first.segments] == [
        (OutageReason.OFFLINE, at(1 / 6), at(1)),
        (OutageReason.NOT_ENABLED, at(1), at(2)),
    ]
    assert (second.start, second.end) == (at(2 + 1 / 6), at(3))
    assert port.outage_minutes == 50 + 60 + 50


def test_the_heartbeat_settings_are_checked() -> None:
    with pytest.raises(TypeError, match="heartbeat_interval"):
        Timeline(heartbeat_interval=5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(ValueError, match="heartbeat_interval"):
        Timeline(heartbeat_interval=timedelta(0))
    with pytest.raises(ValueError, match="tolerance"):
        Timeline(tolerance=0.5)
    # An interval too long to multiply is never reached: no silence.
    huge = Timeline.from_lines(
        [*opening(), data_until(at(24))],
        heartbeat_interval=timedelta.max,
    )
    assert uptime(huge, DAY, at(24)).ports[0].outage_minutes == 0
    # One that multiplies but reaches past the year 9999 from the last time
    # heard: never reached either.
    far = Timeline.from_lines(
        [*opening(), event(at(1), "heard"), data_until(at(24))],
        heartbeat_interval=timedelta(days=900_000_000),
        tolerance=1,
    )
    assert uptime(far, DAY, at(24)).ports[0].outage_minutes == 0


# --- no data is no data ------------------------------------------------------------


def test_a_period_after_the_data_has_no_figures_and_a_warning() -> None:
    # The audit: asked about 2027 on a log ending in June 2026, every port was
    # at 100%. Now no port counts, and the warning says when the data ends.
    timeline = Timeline.from_lines([*opening(), status(at(5), 1, "Charging")])
    assert timeline.data_end == at(5)
    year = uptime(
        timeline, datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    )
    (port,) = year.ports
    assert (port.has_data, port.uptime_percent) == (False, None)
    assert year.data_end == at(5)
    (notice,) = year.warnings
    assert notice.message.startswith(
        "the log's data ends at 2026-06-01T05:00:00Z, before the period begins"
    )
    # Part of a day: counted to 05:00 only (300 minutes, all up).
    day = uptime(timeline, DAY, at(24))
    assert day.ports[0].period_minutes == 300
    assert "before the period ends" in day.warnings[0].message
    assert uptime(Timeline(), DAY, at(1)).warnings[0].message == (
        "the log has no data: no port counts"
    )


# --- one outage per span out --------------------------------------------------------


def test_one_outage_however_many_reasons_it_goes_through() -> None:
    # Faulted at 08:00, the station goes offline at 09:00, back at 10:00 still
    # faulted, Available at 11:00: one outage of 180 minutes, three segments.
    # The old code made three outages.
    lines = [
        *opening(),
        status(at(8), 1, "Faulted"),
        event(at(9), "disconnected"),
        event(at(10), "connected"),
        status(at(11), 1, "Available"),
    ]
    port = measure(lines, DAY, at(24))
    (outage,) = port.outages
    assert (outage.start, outage.end, outage.minutes) == (at(8), at(11), Fraction(180))
    assert [(s.reason, s.status, s.start, s.end) for s in outage.segments] == [
        (OutageReason.FAULTED, "Faulted", at(8), at(9)),
        (OutageReason.OFFLINE, "Offline", at(9), at(10)),
        (OutageReason.FAULTED, "Faulted", at(10), at(11)),
    ]
    assert [s.minutes for s in outage.segments] == [60, 60, 60]
    assert outage.reason is OutageReason.FAULTED


def test_a_multi_day_outage_over_the_period_bounds_is_cut_to_the_period() -> None:
    # Out from 30 May 18:00 to 3 June 06:00. Over 1-2 June (two days): the
    # whole 2,880 minutes, one outage that began before the period.
    lines = [
        *opening(at(-72)),
        status(at(-6), 1, "Faulted"),
        status(at(54), 1, "Available"),
    ]
    port = measure(lines, DAY, at(48))
    (outage,) = port.outages
    assert (outage.start, outage.end, outage.began) == (DAY, at(48), at(-6))
    assert port.outage_minutes == port.period_minutes == 2 * 1440
    assert port.uptime_percent == 0
    # The day after: out 00:00-06:00, 360 of 1,440 minutes.
    later = measure(lines, at(48), at(72))
    assert later.outage_minutes == 360
    assert later.outages[0].began == at(-6)


# --- exclusions ---------------------------------------------------------------------


def _maintenance_over_a_grid_failure() -> tuple[list[str], list[Exclusion]]:
    # The audit's case: a port out 75 hours (4,500 minutes) from 1 March.
    # The grid is down for the first 2 hours (120 minutes); maintenance,
    # capped by California at 72 hours a year, covers the whole 75 hours.
    start = datetime(2026, 3, 1, tzinfo=UTC)
    lines = [
        *opening(start - timedelta(days=1)),
        status(start, 1, "Unavailable"),
        status(start + timedelta(hours=75), 1, "Available"),
    ]
    grid = excuse(start, start + timedelta(hours=2), "utility_interruption")
    maintenance = excuse(start, start + timedelta(hours=75), "scheduled_maintenance")
    return lines, [grid, maintenance]


def test_a_capped_cause_spends_its_cap_only_where_nothing_uncapped_covers() -> None:
    # Grid first: 120 minutes, then maintenance's 4,320 minutes over the next
    # 73 hours: 120 + 4,320 = 4,440 excluded, in either order of the records.
    # The old code gave 4,380 in one order and 4,500 in the other.
    lines, records = _maintenance_over_a_grid_failure()
    march = datetime(2026, 3, 1, tzinfo=UTC)
    for order in (records, records[::-1]):
        port = measure(
            lines,
            march,
            datetime(2026, 4, 1, tzinfo=UTC),
            regime="cec",
            exclusions=order,
        )
        assert port.outage_minutes == 4500
        assert port.excluded_minutes == 120 + 4320
        (outage,) = port.outages
        assert [(p.cause, p.minutes) for p in outage.excluded] == [
            (Cause.UTILITY_INTERRUPTION, Fraction(120)),
            (Cause.SCHEDULED_MAINTENANCE, Fraction(4320)),
        ]


def test_an_exclusion_over_a_port_already_out_excuses_nothing() -> None:
    # Faulted from 08:00 to 12:00; the grid fails 09:00-11:00. The port would
    # not otherwise have been operational: nothing excluded. The old code
    # excluded the 120 minutes of the grid failure.
    lines = [*opening(), status(at(8), 1, "Faulted"), status(at(12), 1, "Available")]
    grid = excuse(at(9), at(11), "utility_interruption")
    port = measure(lines, DAY, at(24), exclusions=[grid])
    assert (port.outage_minutes, port.excluded_minutes) == (Fraction(240), Fraction(0))


def test_an_outage_begun_inside_an_exclusion_stays_excused_while_covered() -> None:
    # A storm from 31 May 20:00 to 1 June 02:00, then the grid down 02:00-05:00;
    # the port, out from 31 May 22:00 to 1 June 06:00, is excused from its
    # start to 05:00 (the storm began before the period); 05:00-06:00 counts.
    # Over 1 June: 360 minutes out, 300 excluded.
    lines = [
        *opening(at(-48)),
        status(at(-2), 1, "Faulted"),
        status(at(6), 1, "Available"),
    ]
    covers = [
        excuse(at(-4), at(2), "natural_disaster"),
        excuse(at(2), at(5), "utility_interruption"),
    ]
    port = measure(lines, DAY, at(24), exclusions=covers)
    assert (port.outage_minutes, port.excluded_minutes) == (
        Fraction(360),
        Fraction(300),
    )
    assert [(p.cause, p.start, p.end) for p in port.outages[0].excluded] == [
        (Cause.NATURAL_DISASTER, at(0), at(2)),
        (Cause.UTILITY_INTERRUPTION, at(2), at(5)),
    ]
    # A gap between the two breaks the chain: the grid from 03:00 excuses
    # nothing, the storm's two hours of the period only.
    gap = [
        excuse(at(-4), at(2), "natural_disaster"),
        excuse(at(3), at(5), "utility_interruption"),
    ]
    assert measure(lines, DAY, at(24), exclusions=gap).excluded_minutes == 120


def test_vandalism_split_into_records_of_one_incident_keeps_one_cap() -> None:
    # Out 15 days from 3 March. One vandalism incident written as two records
    # (3-10 March and 10-20 March) is capped at 10 days together; as two
    # incidents (no incident named), each has its own ten days.
    start = datetime(2026, 3, 1, tzinfo=UTC)
    lines = [
        *opening(start),
        status(start + timedelta(days=2), 1, "Faulted"),
        status(start + timedelta(days=17), 1, "Available"),
    ]
    halves = [
        (start + timedelta(days=2), start + timedelta(days=9)),
        (start + timedelta(days=9), start + timedelta(days=19)),
    ]
    one = [excuse(a, b, "vandalism", incident="police report 42") for a, b in halves]
    two = [excuse(a, b, "vandalism") for a, b in halves]
    end = datetime(2026, 4, 1, tzinfo=UTC)
    assert measure(
        lines, start, end, regime="cec", exclusions=one
    ).excluded_minutes == (10 * 1440)
    # 7 days of the first record, then 8 of the second's 10.
    assert measure(
        lines, start, end, regime="cec", exclusions=two
    ).excluded_minutes == (15 * 1440)


def test_a_pacific_new_years_eve_maintenance_stays_in_its_cap_year() -> None:
    # Out under maintenance from 28 December 20:00 to 1 January 00:00 in Los
    # Angeles: 76 hours. In Pacific cap years all of it falls in 2026: 72
    # excluded. In UTC years (2027 begins 31 December 16:00 Pacific) 68 hours
    # fall in 2026 and 8 in 2027: all 76 excluded, the cap escaped.
    local_start = datetime(2026, 12, 28, 20, tzinfo=PACIFIC)
    local_end = datetime(2027, 1, 1, tzinfo=PACIFIC)
    lines = [
        *opening(local_start - timedelta(days=1)),
        status(local_start, 1, "Unavailable"),
        status(local_end, 1, "Available"),
    ]
    window = [excuse(local_start, local_end, "scheduled_maintenance")]
    start = datetime(2026, 12, 1, tzinfo=PACIFIC)
    end = datetime(2027, 2, 1, tzinfo=PACIFIC)
    pacific = measure(lines, start, end, regime="cec", exclusions=window, tz=PACIFIC)
    assert pacific.outage_minutes == 76 * 60
    assert pacific.excluded_minutes == 72 * 60
    in_utc = measure(lines, start, end, regime="cec", exclusions=window)
    assert in_utc.excluded_minutes == 76 * 60


def test_a_yearly_cap_in_the_last_year_there_is() -> None:
    # Out 80 hours at the end of 9999 under maintenance: 72 excluded, the cap
    # year having no successor to give again from.
    end = datetime(9999, 12, 31, 23, tzinfo=UTC)
    start = end - timedelta(hours=80)
    lines = [
        *opening(start - timedelta(days=1)),
        status(start, 1, "Unavailable"),
        status(end, 1, "Available"),
    ]
    window = [excuse(start, end, "scheduled_maintenance")]
    port = measure(lines, start, end, regime="cec", exclusions=window)
    assert (port.outage_minutes, port.excluded_minutes) == (
        Fraction(80 * 60),
        Fraction(72 * 60),
    )


def test_exclusions_are_checked_and_read_with_their_incident() -> None:
    (record,) = read_exclusions(
        [
            (
                '{"station": "CP-1", "start": "2026-06-01T00:00:00Z", "end": '
                '"2026-06-02T00:00:00Z", "cause": "vandalism", "incident": "A-1"}'
            )
        ]
    )
    assert record.incident == "A-1"
    with pytest.raises(ValueError, match="incident"):
        excuse(DAY, at(1), "vandalism", incident=" ")
    with pytest.raises(TypeError, match="incident"):
        Exclusion(
            station="CP-1",
            connector=None,
            start=DAY,
            end=at(1),
            cause=Cause.VANDALISM,
            incident=7,  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        )
    with pytest.raises(Exception, match="incident: got 7"):
        read_exclusions(
            [
                (
                    '{"station": "CP-1", "start": "2026-06-01T00:00:00Z", "end": '
                    '"2026-06-02T00:00:00Z", "cause": "vandalism", "incident": 7}'
                )
            ]
        )


# --- NEVI as written ----------------------------------------------------------------


def _a_year_of(base: datetime, outage_minutes: int) -> list[str]:
    return [
        *opening(base),
        status(base + timedelta(days=40), 1, "Faulted"),
        status(base + timedelta(days=40, minutes=outage_minutes), 1, "Available"),
    ]


def test_the_nevi_denominator_is_525600_even_across_a_29_february() -> None:
    # March 2027 to February 2028 holds 29 February 2028: 527,040 minutes.
    # 15,784 minutes out, none excused: (525,600 - 15,784) / 525,600 =
    # 96.997% (not compliant); over 527,040 it would read 97.005%.
    base = datetime(2027, 3, 1, tzinfo=UTC)
    end = datetime(2028, 3, 1, tzinfo=UTC)
    lines = _a_year_of(base, 15_784)
    port = measure(lines, base, end)
    assert port.period_minutes == 527_040
    assert port.annual
    assert port.uptime_percent == Fraction(525_600 - 15_784, 525_600) * 100
    assert port.uptime_percent is not None
    assert (
        float(port.uptime_percent)
        < 97
        < float(Fraction(527_040 - 15_784, 527_040) * 100)
    )
    timeline = Timeline.from_lines([*lines, data_until(end)])
    february = trailing_twelve_months(timeline, 2028, 2).ports[0]
    assert february.uptime_percent == port.uptime_percent


def test_a_port_younger_than_a_year_has_no_uptime_but_its_minutes() -> None:
    # First seen 1 August 2025; the twelve months to the end of June 2026
    # began 1 July 2025: no uptime, its 180 outage minutes still given.
    base = datetime(2025, 8, 1, tzinfo=UTC)
    timeline = Timeline.from_lines(
        [*_a_year_of(base, 180), data_until(datetime(2026, 7, 1, tzinfo=UTC))]
    )
    june = trailing_twelve_months(timeline, 2026, 6).ports[0]
    assert june.uptime_percent is None
    assert (june.outage_minutes, june.complete) == (Fraction(180), False)
    july = trailing_twelve_months(timeline, 2026, 7).ports[0]
    # July's twelve months reach past the data (it ends 1 July): none either.
    assert july.uptime_percent is None
    # The same port over a shorter period has evstatus's own figure.
    other = uptime(
        timeline, datetime(2025, 9, 1, tzinfo=UTC), datetime(2025, 10, 1, tzinfo=UTC)
    )
    assert not other.ports[0].annual
    assert other.ports[0].uptime_percent == Fraction(43_200 - 180, 43_200) * 100


def test_the_nevi_quarter_gives_the_trailing_terms_of_each_month() -> None:
    # In service since 1 January 2025. Out 300 minutes on 10 February 2026,
    # 60 of them excused (the grid, from the fault's start); 100 minutes on
    # 5 April 2025. Each month of Q1 2026, the twelve months ending with it:
    # January: 100 out (April 2025); February and March: 400 out, 60 excluded.
    base = datetime(2025, 1, 1, tzinfo=UTC)
    fault = datetime(2026, 2, 10, tzinfo=UTC)
    lines = [
        *opening(base),
        status(datetime(2025, 4, 5, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2025, 4, 5, 1, 40, tzinfo=UTC), 1, "Available"),
        status(fault, 1, "Faulted"),
        status(fault + timedelta(minutes=300), 1, "Available"),
        data_until(datetime(2026, 4, 1, tzinfo=UTC)),
    ]
    grid = excuse(fault, fault + timedelta(minutes=60), "utility_interruption")
    ports, warnings = nevi_quarter(
        Timeline.from_lines(lines), 2026, 1, exclusions=[grid]
    )
    assert warnings == ()
    (port,) = ports
    assert [m.outage_minutes for m in port.trailing] == [100, 400, 400]
    assert [m.excluded_minutes for m in port.trailing] == [0, 60, 60]
    assert [m.uptime_percent for m in port.trailing] == [
        Fraction(525_600 - 100, 525_600) * 100,
        Fraction(525_600 - 340, 525_600) * 100,
        Fraction(525_600 - 340, 525_600) * 100,
    ]
    assert [(o.start, o.minutes) for o in port.quarter.outages] == [
        (fault, Fraction(300))
    ]


# --- SuspendedEVSE -------------------------------------------------------------------


def test_suspended_evse_is_out_under_nevi_and_up_where_the_regime_says() -> None:
    # SuspendedEVSE 10:00-11:00, Reserved 12:00-13:00: under nevi and cec the
    # hour suspended is an outage; under plain (OCPP's reading) it is up.
    # Reserved is up under every regime.
    lines = [
        *opening(),
        status(at(10), 1, "SuspendedEVSE"),
        status(at(11), 1, "Available"),
        status(at(12), 1, "Reserved"),
        status(at(13), 1, "Available"),
    ]
    for regime, out in (("nevi", 60), ("cec", 60), ("plain", 0)):
        port = measure(lines, DAY, at(24), regime=regime)
        assert port.outage_minutes == out
    (outage,) = measure(lines, DAY, at(24)).outages
    assert (outage.reason, outage.status) == (
        OutageReason.SUSPENDED_EVSE,
        "SuspendedEVSE",
    )
    mine = Regime(
        name="mine", title="OCPP's reading", causes=frozenset(), suspended_evse_up=True
    )
    assert measure(lines, DAY, at(24), regime=mine).outage_minutes == 0


# --- a calendar ---------------------------------------------------------------------


def test_months_in_a_zone_with_daylight_saving_have_743_and_745_hours() -> None:
    # March 2026 in Los Angeles loses an hour (8 March): 743 hours; November
    # gains one (1 November): 721. October 2026 in Berlin gains one (25
    # October): 745.
    lines = [*opening(datetime(2026, 1, 1, tzinfo=UTC))]
    timeline = Timeline.from_lines(
        [*lines, data_until(datetime(2027, 1, 1, tzinfo=UTC))]
    )
    march = uptime(
        timeline,
        datetime(2026, 3, 1, tzinfo=PACIFIC),
        datetime(2026, 4, 1, tzinfo=PACIFIC),
        tz=PACIFIC,
    )
    november = uptime(
        timeline,
        datetime(2026, 11, 1, tzinfo=PACIFIC),
        datetime(2026, 12, 1, tzinfo=PACIFIC),
        tz=PACIFIC,
    )
    berlin = ZoneInfo("Europe/Berlin")
    october = uptime(
        timeline,
        datetime(2026, 10, 1, tzinfo=berlin),
        datetime(2026, 11, 1, tzinfo=berlin),
        tz=berlin,
    )
    assert march.ports[0].period_minutes == 743 * 60
    assert november.ports[0].period_minutes == 721 * 60
    assert october.ports[0].period_minutes == 745 * 60
    assert march.tz is PACIFIC
    # Twelve Pacific months are the annual figure in that zone, not in UTC.
    year = (datetime(2026, 1, 1, tzinfo=PACIFIC), datetime(2027, 1, 1, tzinfo=PACIFIC))
    assert uptime(timeline, *year, tz=PACIFIC).ports[0].annual
    assert not uptime(timeline, *year).ports[0].annual
    quarter, _ = nevi_quarter(timeline, 2026, 2, tz=PACIFIC)
    assert quarter[0].quarter.start == datetime(2026, 4, 1, 7, tzinfo=UTC)
    with pytest.raises(TypeError, match="tz: got 'UTC'"):
        uptime(timeline, *year, tz="UTC")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# --- interval records ----------------------------------------------------------------


def test_interval_records_follow_outages_across_many_intervals() -> None:
    # Out 00:10-00:50 and 01:05-01:20 (excused 01:05-01:10, the grid from
    # 01:00): 10-minute records over two hours.
    lines = [
        *opening(),
        status(at(1 / 6), 1, "Faulted"),
        status(at(5 / 6), 1, "Available"),
        status(at(13 / 12), 1, "Faulted"),
        status(at(4 / 3), 1, "Available"),
    ]
    timeline = Timeline.from_lines([*lines, data_until(at(2))])
    result = uptime(
        timeline,
        DAY,
        at(2),
        exclusions=[excuse(at(1), at(7 / 6), "utility_interruption")],
    )
    records = list(interval_records(result, timedelta(minutes=10)))
    outage = [0, 10, 10, 10, 10, 0, 5, 10, 0, 0, 0, 0]
    assert [r.outage_minutes for r in records] == outage
    assert [r.excluded_minutes for r in records] == [0] * 6 + [5] + [0] * 5


# --- properties ------------------------------------------------------------------------

_STATES = [
    "Available",
    "Preparing",
    "Charging",
    "SuspendedEVSE",
    "SuspendedEV",
    "Finishing",
    "Reserved",
    "Unavailable",
    "Faulted",
]
# Removal ends a station's count for good: drawn less often than the others.
_EVENTS = [
    *(["connected", "disconnected", "enabled", "disabled", "heard"] * 3),
    "removed",
]

_OUT = ["Unavailable", "Faulted", "SuspendedEVSE"]
_steps = st.lists(
    st.tuples(
        st.integers(0, 20),
        st.one_of(
            st.tuples(st.integers(1, 2), st.sampled_from(_STATES)),
            st.tuples(st.integers(1, 2), st.sampled_from(_OUT)),
            st.tuples(
                st.just(0), st.sampled_from(["Available", "Unavailable", "Faulted"])
            ),
            st.tuples(st.none(), st.sampled_from(_EVENTS)),
        ),
    ),
    min_size=3,
    max_size=25,
)
"""A log's lines after a station opens with two ports Available at minute 0."""
_windows = st.lists(
    st.tuples(
        st.integers(0, 200),
        st.integers(1, 200),
        st.sampled_from(list(Cause)),
        st.sampled_from([None, 1, 2]),
        st.sampled_from([None, "A", "B"]),
    ),
    max_size=6,
)
# Small caps, so that they run out within a test's few hours.
_SMALL = Regime(
    name="small",
    title="Small caps",
    causes=frozenset(Cause) - {Cause.VEHICLE_FAULT},
    caps=(
        Cap(cause=Cause.VANDALISM, minutes=45, per="incident"),
        Cap(cause=Cause.SCHEDULED_MAINTENANCE, minutes=70, per="year"),
    ),
)
_REGIMES = [REGIMES["nevi"], REGIMES["cec"], REGIMES["plain"], _SMALL]


def _lines(
    drawn: list[tuple[int, tuple[int | None, str]]],
) -> tuple[list[str], list[OracleLine]]:
    lines: list[str] = opening(ports=2)
    oracle = [
        OracleLine(minute=0, connector=None, value="connected"),
        OracleLine(minute=0, connector=1, value="Available"),
        OracleLine(minute=0, connector=2, value="Available"),
    ]
    minute = 0
    for gap, (connector, value) in drawn:
        minute += gap
        moment = DAY + timedelta(minutes=minute)
        if connector is None:
            lines.append(event(moment, value))
        else:
            lines.append(status(moment, connector, value))
        oracle.append(OracleLine(minute=minute, connector=connector, value=value))
    return lines, oracle


def _exclusions(
    windows: list[tuple[int, int, Cause, int | None, str | None]],
) -> tuple[list[Exclusion], list[OracleExclusion]]:
    made = [
        excuse(
            DAY + timedelta(minutes=start),
            DAY + timedelta(minutes=start + length),
            cause.value,
            connector=connector,
            incident=incident,
        )
        for start, length, cause, connector, incident in windows
    ]
    oracle = [
        OracleExclusion(
            start=start,
            end=start + length,
            cause=cause.value,
            connector=connector,
            incident=incident,
        )
        for start, length, cause, connector, incident in windows
    ]
    return made, oracle


def _oracle_regime(regime: Regime) -> OracleRegime:
    return OracleRegime(
        causes=frozenset(cause.value for cause in regime.causes),
        caps={cap.cause.value: (cap.minutes, cap.per) for cap in regime.caps},
        suspended_evse_up=regime.suspended_evse_up,
    )


@settings(max_examples=300)
@given(
    _steps,
    _windows,
    st.sampled_from(_REGIMES),
    st.sampled_from([None, (5, 2), (10, 1), (3, 3)]),
    st.integers(0, 30),
    st.integers(1, 400),
)
def test_the_library_agrees_with_the_minute_by_minute_reading(  # noqa: PLR0917
    drawn: list[tuple[int, tuple[int | None, str]]],
    windows: list[tuple[int, int, Cause, int | None, str | None]],
    regime: Regime,
    heartbeat: tuple[int, int] | None,
    low: int,
    length: int,
) -> None:
    lines, oracle_lines = _lines(drawn)
    exclusions, oracle_exclusions = _exclusions(windows)
    timeline = Timeline.from_lines(
        lines,
        heartbeat_interval=None
        if heartbeat is None
        else timedelta(minutes=heartbeat[0]),
        tolerance=2.0 if heartbeat is None else heartbeat[1],
    )
    start = DAY + timedelta(minutes=low)
    end = start + timedelta(minutes=length)
    result = uptime(timeline, start, end, regime=regime, exclusions=exclusions)
    expected = expected_uptime(
        oracle_lines,
        oracle_exclusions,
        _oracle_regime(regime),
        (low, low + length),
        silence=None if heartbeat is None else heartbeat[0] * heartbeat[1],
    )
    got = {port.connector_id: port for port in result.ports}
    assert sorted(got) == sorted(expected)
    for connector, figures in expected.items():
        port = got[connector]
        assert port.period_minutes == figures.period, connector
        assert port.outage_minutes == figures.outage, connector
        assert port.excluded_minutes == figures.excluded, connector
        offset = [
            (
                round((o.start - DAY).total_seconds()) // 60,
                round((o.end - DAY).total_seconds()) // 60,
                [
                    (
                        s.reason.value,
                        round((s.start - DAY).total_seconds()) // 60,
                        round((s.end - DAY).total_seconds()) // 60,
                    )
                    for s in o.segments
                ],
            )
            for o in port.outages
        ]
        assert offset == figures.outages, connector


@given(_steps, _windows, st.sampled_from(_REGIMES), st.data())
def test_the_order_of_the_exclusions_never_matters(
    drawn: list[tuple[int, tuple[int | None, str]]],
    windows: list[tuple[int, int, Cause, int | None, str | None]],
    regime: Regime,
    data: st.DataObject,
) -> None:
    lines, _ = _lines(drawn)
    exclusions, _ = _exclusions(windows)
    timeline = Timeline.from_lines(lines)
    start, end = DAY, DAY + timedelta(hours=8)
    first = uptime(timeline, start, end, regime=regime, exclusions=exclusions)
    shuffled = data.draw(st.permutations(exclusions))
    second = uptime(timeline, start, end, regime=regime, exclusions=shuffled)
    assert _figures(first) == _figures(second)
    for port in first.ports:
        assert 0 <= port.excluded_minutes <= port.outage_minutes <= port.period_minutes
        for outage in port.outages:
            assert outage.excluded_minutes <= outage.minutes
            assert outage.segments[0].start == outage.start
            assert outage.segments[-1].end == outage.end


def _figures(result: Uptime) -> list[object]:
    return [
        (
            port.connector_id,
            port.outage_minutes,
            port.excluded_minutes,
            [(o.start, o.end, o.excluded) for o in port.outages],
        )
        for port in result.ports
    ]


# --- costs, counted rather than timed ---------------------------------------------------


class _CountedExclusion(Exclusion):
    """An exclusion that counts how often its times are read."""

    reads = 0

    def __getattribute__(self, name: str) -> object:
        if name in {"start", "end"}:
            _CountedExclusion.reads += 1
        return super().__getattribute__(name)


def test_exclusions_cost_a_sort_and_a_sweep_not_a_scan_per_piece() -> None:
    # 2,000 exclusions over one outage of a day. The old code read every
    # exclusion's times for every piece between two of their bounds: some
    # 4,000 x 2,000 reads. A sort and a sweep read each a few times.
    lines = [*opening(), status(at(1), 1, "Faulted"), status(at(23), 1, "Available")]
    records = [
        _CountedExclusion(
            station="CP-1",
            connector=None,
            start=at(1) + timedelta(seconds=20 * index),
            end=at(1) + timedelta(seconds=20 * index + 30),
            cause=Cause.VANDALISM if index % 2 else Cause.UTILITY_INTERRUPTION,
        )
        for index in range(2000)
    ]
    _CountedExclusion.reads = 0
    port = measure(lines, DAY, at(24), regime="cec", exclusions=records)
    assert port.excluded_minutes > 0
    assert _CountedExclusion.reads <= 10 * len(records)


class _CountedOutages(tuple[Outage, ...]):
    """A port's outages, counting how often they are walked."""

    __slots__ = ()
    walks = 0

    def __iter__(self) -> Iterator[Outage]:
        _CountedOutages.walks += 1
        return super().__iter__()


def test_interval_records_walk_the_outages_once_not_once_per_interval() -> None:
    # Twenty outages of 15 minutes (hh:15-hh:30), in 1,440 one-minute records.
    # The old code walked every outage for every record: 1,440 walks.
    lines = opening()
    for hour in range(20):
        lines += [
            status(at(hour + 0.25), 1, "Faulted"),
            status(at(hour + 0.5), 1, "Available"),
        ]
    result = uptime(Timeline.from_lines([*lines, data_until(at(24))]), DAY, at(24))
    (port,) = result.ports
    counted = attrs.evolve(port, outages=_CountedOutages(port.outages))
    walked = attrs.evolve(result, ports=(counted,))
    _CountedOutages.walks = 0
    records = list(interval_records(walked, timedelta(minutes=1)))
    assert len(records) == 1440
    assert sum(r.outage_minutes for r in records) == port.outage_minutes == 20 * 15
    assert _CountedOutages.walks <= 3


def test_an_ocpp201_station_falls_silent_as_a_16_one_does() -> None:
    # The same log over OCPP 2.0.1 (EVSE 1 for connector 1): silence and the
    # data's end give the same figures, SuspendedEVSE the same outage.
    from evstatus.testing import to_ocpp201  # noqa: PLC0415

    lines = [
        *opening(),
        status(at(1), 1, "Charging"),
        status(at(2), 1, "SuspendedEVSE"),
        status(at(3), 1, "Available"),
        event(at(5), "heard"),
        data_until(at(8)),
    ]
    every = timedelta(minutes=30)
    figures: list[tuple[int, Fraction, list[OutageReason]]] = []
    for log in (lines, list(to_ocpp201(lines))):
        timeline = Timeline.from_lines(log, heartbeat_interval=every)
        (port,) = uptime(timeline, DAY, at(8)).ports
        figures.append(
            (port.connector_id, port.outage_minutes, [o.reason for o in port.outages])
        )
    # Heard at 00:00, 01:00, 02:00, 03:00 and 05:00, an hour allowed: offline
    # 04:00-05:00 and 06:00-08:00; SuspendedEVSE 02:00-03:00, out under nevi.
    assert (
        figures[0]
        == figures[1]
        == (
            1,
            Fraction(60 + 60 + 120),
            [OutageReason.SUSPENDED_EVSE, OutageReason.OFFLINE, OutageReason.OFFLINE],
        )
    )


def test_a_frame_whose_action_is_not_a_name_is_a_bad_line() -> None:
    line = json.dumps(
        {"station": "CP-1", "received": stamp(DAY), "frame": [2, "m1", 5, {}]}
    )
    timeline = Timeline()
    with pytest.raises(InvalidReport, match="frame: got <list of 4>"):
        timeline.read(line)
    assert timeline.ports() == []
    assert timeline.data_end is None
