"""evstatus.uptime: intervals, outages, exclusions, caps and the regimes' figures.

The hand-worked examples state the expected minutes as plain arithmetic next to
the log that produces them.
"""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    AnomalyKind,
    ChargePointStatus,
    ConnectorStatus,
    InvalidReport,
    StationState,
    StationStatus,
)
from evstatus._enums import DescribedEnum
from evstatus._log import read_line, split_lines
from evstatus.log import Fleet
from evstatus.ocpp16 import RepairKind
from evstatus.uptime import (
    REGIMES,
    UP_STATES,
    Cap,
    Cause,
    Exclusion,
    Notice,
    OutageReason,
    PortUptime,
    Regime,
    Timeline,
    interval_records,
    minutes,
    nevi_quarter,
    read_exclusions,
    trailing_twelve_months,
    uptime,
)

from .folding import feed_line
from .log_lines import DAY, at, data_until, event, opening, stamp, status

NEXT_DAY = DAY + timedelta(days=1)


def exclusion(
    start: datetime,
    end: datetime,
    cause: str,
    connector: int | None = None,
    station: str = "CP-1",
) -> Exclusion:
    return Exclusion(
        station=station,
        connector=connector,
        start=start,
        end=end,
        cause=Cause(cause),
    )


def only_port(
    lines: list[str],
    start: datetime = DAY,
    end: datetime = NEXT_DAY,
    **options: object,
) -> PortUptime:
    """Measure the one port of *lines* over a period the data reaches the end of."""
    timeline = Timeline.from_lines([*lines, data_until(end)])
    result = uptime(timeline, start, end, **options)  # type: ignore[arg-type]
    assert len(result.ports) == 1
    return result.ports[0]


# --- hand-worked examples ---------------------------------------------------------


def test_a_fault_spanning_a_month_boundary_is_split_between_the_months() -> None:
    may = datetime(2026, 5, 1, tzinfo=UTC)
    june = datetime(2026, 6, 1, tzinfo=UTC)
    july = datetime(2026, 7, 1, tzinfo=UTC)
    lines = [
        *opening(may),
        status(june - timedelta(hours=1), 1, "Faulted"),  # 23:00 on 31 May
        status(june + timedelta(hours=2), 1, "Available"),  # 02:00 on 1 June
    ]
    in_may = only_port(lines, may, june)
    in_june = only_port(lines, june, july)
    assert in_may.period_minutes == 31 * 1440 == 44_640
    assert in_may.outage_minutes == 60
    assert in_may.uptime_percent == Fraction(44_640 - 60, 44_640) * 100
    assert in_june.period_minutes == 30 * 1440
    assert in_june.outage_minutes == 120
    (outage,) = in_june.outages
    assert (outage.start, outage.end) == (june, june + timedelta(hours=2))
    assert (outage.status, outage.reason) == ("Faulted", OutageReason.FAULTED)


def test_an_offline_period_is_an_outage_of_every_port() -> None:
    lines = [
        *opening(ports=2),
        event(at(10), "disconnected"),
        event(at(10.5), "connected"),
        data_until(NEXT_DAY),
    ]
    result = uptime(Timeline.from_lines(lines), DAY, NEXT_DAY)
    for port in result.ports:
        assert port.outage_minutes == 30
        (outage,) = port.outages
        assert outage.reason is OutageReason.OFFLINE
        assert outage.status == "Offline"
        assert port.uptime_percent == Fraction(1440 - 30, 1440) * 100


def test_a_heartbeat_after_a_disconnection_ends_the_offline_outage() -> None:
    heartbeat = json.dumps(
        {
            "station": "CP-1",
            "received": stamp(at(2)),
            "frame": [2, "h", "Heartbeat", {}],
        }
    )
    lines = [*opening(), event(at(1), "disconnected"), heartbeat]
    assert only_port(lines).outage_minutes == 60


def test_a_connector_zero_state_it_may_not_have_is_heard_and_kept_as_an_anomaly() -> (
    None
):
    # Connector 0 may only be Available, Unavailable or Faulted: "Charging"
    # there is recorded as an anomaly, not refused, and counts as hearing
    # from the station, which ends the offline outage.
    lines = [
        *opening(),
        event(at(1), "disconnected"),
        status(at(2), 0, "Charging"),
        status(at(3), 0, "Charging"),
    ]
    assert only_port(lines).outage_minutes == 60
    timeline = Timeline.from_lines(lines)
    state = timeline.states["CP-1"]
    assert state.connected
    assert 0 not in state.reports
    assert state.anomaly_counts == {AnomalyKind.CONNECTOR_ZERO_STATUS: 2}
    # The same as the fleet makes of the lines.
    fleet = Fleet()
    for line in lines:
        feed_line(fleet, line)
    assert timeline.states == dict(fleet.states)


def test_a_bad_first_line_makes_no_station_and_a_connector_zero_anomaly_does() -> None:
    timeline = Timeline()
    with pytest.raises(InvalidReport):
        timeline.read(status(at(0), 1, "Sleeping"))
    assert timeline.states == {}
    # A connector-0 state it may not have is no bad line: it makes the station.
    timeline.read(status(at(0), 0, "Preparing"))
    assert timeline.states["CP-1"].anomaly_counts == {
        AnomalyKind.CONNECTOR_ZERO_STATUS: 1
    }


def test_connector_zero_faulted_or_unavailable_masks_every_port() -> None:
    lines = [
        *opening(ports=2),
        status(at(12), 0, "Faulted"),
        status(at(12.75), 0, "Available"),
        status(at(20), 0, "Unavailable"),
        status(at(20.25), 0, "Available"),
    ]
    result = uptime(Timeline.from_lines(lines), DAY, NEXT_DAY)
    for port in result.ports:
        assert port.outage_minutes == 45 + 15
        assert [outage.reason for outage in port.outages] == [
            OutageReason.CONNECTOR_ZERO_FAULTED,
            OutageReason.CONNECTOR_ZERO_UNAVAILABLE,
        ]
        assert [outage.status for outage in port.outages] == ["Faulted", "Unavailable"]


def test_an_exclusion_covering_part_of_an_outage_excludes_that_part_only() -> None:
    lines = [*opening(), status(at(8), 1, "Faulted"), status(at(10), 1, "Available")]
    # The grid fails at 07:00 and is back at 09:00; the port, out from 08:00,
    # comes back at 10:00. Excused 08:00-09:00, the rest counts.
    port = only_port(
        lines, exclusions=[exclusion(at(7), at(9), "utility_interruption")]
    )
    assert port.outage_minutes == 120
    assert port.excluded_minutes == 60
    (outage,) = port.outages
    assert outage.excluded_minutes == 60
    assert outage.cause == "utility_interruption"
    assert port.uptime_percent == Fraction(1440 - (120 - 60), 1440) * 100


def test_an_exclusion_beginning_after_the_outage_excuses_none_of_it() -> None:
    # Faulted from 08:00 to 10:00; the grid fails at 09:00. The port would
    # not otherwise have been operational at 09:00 (it was faulted): none of
    # the outage is excused. The old code excused 09:00-10:00 (60 minutes).
    lines = [*opening(), status(at(8), 1, "Faulted"), status(at(10), 1, "Available")]
    port = only_port(
        lines, exclusions=[exclusion(at(9), at(11), "utility_interruption")]
    )
    assert port.outage_minutes == 120
    assert port.excluded_minutes == 0
    assert port.uptime_percent == Fraction(1440 - 120, 1440) * 100


def test_california_caps_vandalism_at_ten_days_per_incident() -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    end = datetime(2026, 4, 1, tzinfo=UTC)
    lines = [
        *opening(start),
        status(start + timedelta(days=2), 1, "Faulted"),
        status(start + timedelta(days=17), 1, "Available"),
    ]
    vandalism = [
        exclusion(start + timedelta(days=1), start + timedelta(days=21), "vandalism")
    ]
    cec = only_port(lines, start, end, regime="cec", exclusions=vandalism)
    nevi = only_port(lines, start, end, regime="nevi", exclusions=vandalism)
    assert cec.outage_minutes == nevi.outage_minutes == 15 * 1440
    assert cec.excluded_minutes == 10 * 1440
    assert nevi.excluded_minutes == 15 * 1440
    (part,) = cec.outages[0].excluded
    # The first ten days of outage within the incident are the excused ones.
    assert part.start == start + timedelta(days=2)
    assert part.end == start + timedelta(days=12)
    assert cec.uptime_percent == Fraction(31 * 1440 - 5 * 1440, 31 * 1440) * 100


def test_each_vandalism_incident_has_its_own_cap() -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    lines = [*opening(start), status(start + timedelta(days=1), 1, "Faulted")]
    incidents = [
        exclusion(start + timedelta(days=1), start + timedelta(days=13), "vandalism"),
        exclusion(start + timedelta(days=13), start + timedelta(days=25), "vandalism"),
    ]
    port = only_port(
        lines, start, start + timedelta(days=30), regime="cec", exclusions=incidents
    )
    assert port.excluded_minutes == 20 * 1440


def test_california_caps_planned_maintenance_at_72_hours_a_year() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    lines = [*opening(start)]
    maintenance: list[Exclusion] = []
    for month in (2, 5, 8):  # three 40-hour windows: 120 hours in all
        down = datetime(2026, month, 1, tzinfo=UTC)
        lines += [
            status(down, 1, "Unavailable"),
            status(down + timedelta(hours=40), 1, "Available"),
        ]
        maintenance.append(
            exclusion(down, down + timedelta(hours=40), "scheduled_maintenance")
        )
    cec = only_port(lines, start, end, regime="cec", exclusions=maintenance)
    plain = only_port(lines, start, end, regime="plain", exclusions=maintenance)
    assert cec.outage_minutes == 120 * 60
    assert cec.excluded_minutes == 72 * 60
    assert [o.excluded_minutes for o in cec.outages] == [40 * 60, 32 * 60, 0]
    assert plain.excluded_minutes == 120 * 60


def test_the_yearly_cap_starts_afresh_each_calendar_year() -> None:
    new_year = datetime(2027, 1, 1, tzinfo=UTC)
    start, end = new_year - timedelta(days=6), new_year + timedelta(days=2)
    lines = [*opening(start), status(new_year - timedelta(hours=80), 1, "Faulted")]
    window = [exclusion(start, end, "scheduled_maintenance")]
    port = only_port(lines, start, end, regime="cec", exclusions=window)
    # 80 hours of outage before the new year, 48 after: 72 + 48 are excused.
    assert port.outage_minutes == (80 + 48) * 60
    assert port.excluded_minutes == (72 + 48) * 60


def test_a_port_appearing_mid_period_counts_from_its_first_report() -> None:
    lines = [*opening(), status(at(12), 2, "Available"), data_until(NEXT_DAY)]
    result = uptime(Timeline.from_lines(lines), DAY, NEXT_DAY)
    first, second = result.ports
    assert first.period_minutes == 1440
    assert second.start == at(12)
    assert second.period_minutes == 720
    assert second.uptime_percent == 100


def test_a_removed_station_leaves_the_count_at_its_removal() -> None:
    lines = [
        *opening(at(6)),
        status(at(10), 1, "Faulted"),
        status(at(11), 1, "Available"),
        event(at(18), "removed"),
    ]
    port = only_port(lines)
    assert (port.start, port.end) == (at(6), at(18))
    assert port.period_minutes == 12 * 60
    assert port.outage_minutes == 60
    assert port.uptime_percent == Fraction(720 - 60, 720) * 100


def test_a_station_removed_before_the_period_has_no_data() -> None:
    lines = [*opening(at(-10)), event(at(-5), "removed")]
    port = only_port(lines)
    assert not port.has_data
    assert port.uptime_percent is None
    assert port.period_minutes == 0


def test_a_port_first_seen_after_the_period_has_no_data() -> None:
    port = only_port(opening(at(30)))
    assert port.uptime_percent is None


def test_a_port_reported_after_the_removal_never_counts() -> None:
    lines = [*opening(), event(at(1), "removed"), status(at(2), 2, "Available")]
    result = uptime(Timeline.from_lines(lines), DAY, NEXT_DAY)
    assert [port.has_data for port in result.ports] == [True, False]


def test_the_state_before_the_period_carries_into_it() -> None:
    lines = [
        *opening(at(-48)),
        status(at(-1), 1, "Faulted"),
        status(at(3), 1, "Available"),
    ]
    port = only_port(lines)
    assert port.outage_minutes == 180
    assert port.outages[0].start == DAY


def test_disabled_is_an_outage_named_inoperative() -> None:
    lines = [*opening(), event(at(16), "disabled"), event(at(16.75), "enabled")]
    (outage,) = only_port(lines).outages
    assert (outage.reason, outage.status) == (OutageReason.NOT_ENABLED, "Inoperative")
    assert outage.minutes == 45


def test_the_nevi_formula_over_a_whole_year() -> None:
    year = datetime(2026, 1, 1, tzinfo=UTC)
    lines = [
        *opening(year),
        status(datetime(2026, 3, 3, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2026, 3, 5, tzinfo=UTC), 1, "Available"),
    ]
    storm = [
        exclusion(
            datetime(2026, 3, 2, tzinfo=UTC),
            datetime(2026, 3, 4, tzinfo=UTC),
            "natural_disaster",
        )
    ]
    port = only_port(lines, year, datetime(2027, 1, 1, tzinfo=UTC), exclusions=storm)
    # Out 3-5 March (2 days), the storm over 2-4 March excuses 3-4 March.
    t_outage, t_excluded = 2 * 1440, 1440
    assert port.period_minutes == 525_600
    assert port.outage_minutes == t_outage
    assert port.excluded_minutes == t_excluded
    assert (
        port.uptime_percent
        == Fraction(525_600 - (t_outage - t_excluded), 525_600) * 100
    )


# --- exclusions: overlap, reach, bad input --------------------------------------


def test_overlapping_exclusions_count_once_and_never_exceed_the_outage() -> None:
    lines = [*opening(), status(at(8), 1, "Faulted"), status(at(10), 1, "Available")]
    overlapping = [
        exclusion(at(7), at(9.5), "utility_interruption"),
        exclusion(at(9), at(12), "vandalism"),
        exclusion(at(0), at(24), "natural_disaster"),
    ]
    port = only_port(lines, exclusions=overlapping)
    assert port.excluded_minutes == port.outage_minutes == 120
    (outage,) = port.outages
    # Where exclusions overlap, the one listed first takes the time.
    assert [(part.cause, int(part.minutes)) for part in outage.excluded] == [
        (Cause.UTILITY_INTERRUPTION, 90),
        (Cause.VANDALISM, 30),
    ]
    assert outage.cause == "utility_interruption,vandalism"


def test_up_time_is_never_excluded() -> None:
    port = only_port(opening(), exclusions=[exclusion(DAY, NEXT_DAY, "vandalism")])
    assert port.excluded_minutes == 0
    assert port.uptime_percent == 100


def test_an_exclusion_for_one_port_leaves_the_others_alone() -> None:
    lines = [*opening(ports=2), event(at(1), "disconnected"), event(at(2), "connected")]
    result = uptime(
        Timeline.from_lines(lines),
        DAY,
        NEXT_DAY,
        exclusions=[exclusion(DAY, NEXT_DAY, "utility_interruption", connector=2)],
    )
    assert [port.excluded_minutes for port in result.ports] == [0, 60]


def test_exclusions_are_warned_about_when_they_reach_nothing() -> None:
    exclusions = read_exclusions(
        [
            '{"station": "CP-9", "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vandalism"}',
            "",
            '{"station": "CP-1", "connector": 7, "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vandalism"}',
            '{"station": "CP-1", "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vehicle_fault"}',
        ]
    )
    result = uptime(
        Timeline.from_lines([*opening(), data_until(NEXT_DAY)]),
        DAY,
        NEXT_DAY,
        regime="cec",
        exclusions=exclusions,
    )
    assert [str(notice) for notice in result.warnings] == [
        "exclusions line 1: station 'CP-9' is not in the log; ignored",
        "exclusions line 3: station 'CP-1' has no port 7 in the log; ignored",
        (
            "exclusions line 4: cause vehicle_fault is not excluded under the cec "
            "regime; ignored"
        ),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"station": "CP-1", "start": "2026-06-02T00:00:00Z", "end": "2026-06-01T00:00:00Z", "cause": "vandalism"}',
            "end: got '2026-06-01T00:00:00Z', expected a time after start",
        ),
        (
            '{"station": "CP-1", "start": "2026-06-01T00:00:00", "end": "2026-06-02T00:00:00Z", "cause": "vandalism"}',
            "start: got '2026-06-01T00:00:00', expected an RFC 3339 date-time with an offset",
        ),
        (
            '{"station": "CP-1", "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "aliens"}',
            "cause: got 'aliens', expected one of utility_interruption, vehicle_fault",
        ),
        (
            '{"station": "CP-1", "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z"}',
            "cause: missing, expected one of",
        ),
        (
            '{"station": "", "connector": 0, "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vandalism", "x": 1}',
            (
                "<keys>: got 'x', expected an exclusion key: station, connector,"
                " start, end, cause or incident\n"
            ),
        ),
        (
            '{"station": "CP-1", "conector": 1, "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vandalism"}',
            (
                "<keys>: got 'conector', expected an exclusion key: station,"
                " connector, start, end, cause or incident (did you mean 'connector'?)"
            ),
        ),
        (
            '{"station": " ", "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vandalism"}',
            (
                "station: got ' ', expected a station id: a non-empty string, not"
                " only spaces"
            ),
        ),
        ("\f", "<line>: got '\\x0c', expected one JSON object"),
        (
            '{"station": "CP-1", "connector": true}',
            "connector: got True, expected a port number >= 1",
        ),
        ("[1, 2]", "<line>: got <list of 2>, expected a JSON object"),
        ("{oops", "<line>: got '{oops', expected one JSON object"),
    ],
)
def test_bad_exclusions_are_refused_naming_the_line(line: str, message: str) -> None:
    good = '{"station": "CP-1", "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vandalism"}'
    with pytest.raises(InvalidReport) as caught:
        read_exclusions([good, line])
    assert str(caught.value).startswith("invalid exclusion on line 2")
    assert message in str(caught.value)


def test_exclusions_lines_are_split_and_numbered_as_the_log_reader_does() -> None:
    good = '{"station": "CP-1", "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T00:00:00Z", "cause": "vandalism"}'
    # A station id with a line separator in it, as the log reader takes it.
    odd = good.replace('"CP-1"', '"CP\u20281"')
    assert "\u2028" in odd
    text = f"\ufeff{good}\r\n{odd}\n \t\n{good}\n"
    lines = split_lines(text)
    assert lines == [good, odd, " \t", good]
    read = read_exclusions(lines)
    assert [(e.station, e.line) for e in read] == [
        ("CP-1", 1),
        ("CP\u20281", 2),
        ("CP-1", 4),
    ]
    timeline = Timeline.from_lines(
        [
            *opening(station="CP\u20281"),
            status(at(1), 1, "Faulted", "CP\u20281"),
            data_until(NEXT_DAY),
        ]
    )
    assert timeline.ports() == [("CP\u20281", 1)]
    result = uptime(timeline, DAY, NEXT_DAY, exclusions=read)
    assert result.ports[0].excluded_minutes == 23 * 60
    # A form feed on a line of its own is a bad line of its own, as in a log:
    # the line after it keeps its number.
    with pytest.raises(InvalidReport, match=r"^invalid exclusion on line 2"):
        read_exclusions(split_lines(f"{good}\n\f\n{good}\n"))
    with pytest.raises(InvalidReport, match=r"^invalid exclusion on line 3"):
        read_exclusions(split_lines(f"{good}\n\n{{oops\n"))


@given(st.text(st.sampled_from("a\r\n\f\v\x1c\x85\u2028\u2029\ufeff")))
def test_split_lines_splits_as_reading_the_encoded_lines_does(text: str) -> None:
    # The log reader reads a file's bytes line by line (at each line feed),
    # drops the line end and, on the first line, a byte order mark.
    raw = [line.decode("utf-8").rstrip("\r\n") for line in io.BytesIO(text.encode())]
    if raw:
        raw[0] = raw[0].removeprefix("\ufeff")
    assert split_lines(text) == raw


NAIVE = datetime(2026, 6, 1)  # noqa: DTZ001  (naive on purpose)
AWARE = "a timezone-aware datetime"
AFTER = "a time after start (2026-06-01T00:00:00+00:00)"


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        (
            {"start": NAIVE},
            ValueError,
            f"start: got datetime(2026-06-01T00:00:00), expected {AWARE}",
        ),
        (
            {"end": NAIVE},
            ValueError,
            f"end: got datetime(2026-06-01T00:00:00), expected {AWARE}",
        ),
        (
            {"start": "2026-06-01T00:00:00Z"},
            TypeError,
            f"start: got '2026-06-01T00:00:00Z', expected {AWARE}",
        ),
        (
            {"end": DAY},
            ValueError,
            f"end: got datetime(2026-06-01T00:00:00+00:00), expected {AFTER}",
        ),
        (
            {"end": at(-1)},
            ValueError,
            f"end: got datetime(2026-05-31T23:00:00+00:00), expected {AFTER}",
        ),
    ],
)
def test_an_exclusion_in_code_is_refused_as_a_file_would_be(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    fields: dict[str, object] = {
        "station": "CP-1",
        "connector": None,
        "start": DAY,
        "end": NEXT_DAY,
        "cause": Cause.VANDALISM,
    }
    fields.update(changes)
    with pytest.raises(error) as caught:
        Exclusion(**fields)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert str(caught.value) == message


def test_an_exclusion_in_code_keeps_its_instants_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    made = Exclusion(
        station="CP-1",
        connector=1,
        start=datetime(2026, 6, 1, 2, tzinfo=plus_two),
        end=datetime(2026, 6, 1, 3, tzinfo=plus_two),
        cause=Cause.VANDALISM,
    )
    assert (made.start, made.end) == (DAY, at(1))
    assert made.start.tzinfo is UTC
    assert made.end.tzinfo is UTC


def test_an_exclusion_object_in_code_and_its_offsets() -> None:
    plus_two = timezone(timedelta(hours=2))
    read = Exclusion.from_json(
        {
            "station": "CP-1",
            "connector": 1,
            "start": "2026-06-01T02:00:00+02:00",
            "end": "2026-06-01T03:00:00+02:00",
            "cause": "vehicle_fault",
        }
    )
    assert read.start == datetime(2026, 6, 1, 2, tzinfo=plus_two)
    assert read.start.tzinfo is UTC
    assert read.line is None
    with pytest.raises(InvalidReport, match=r"^invalid exclusion \("):
        Exclusion.from_json(None)


# --- the fold --------------------------------------------------------------------


def test_intervals_are_gap_free_and_carry_every_status() -> None:
    lines = [
        *opening(ports=2),
        status(at(1), 1, "Charging"),
        status(at(2), 0, "Unavailable"),
        status(at(3), 0, "Available"),
        data_until(NEXT_DAY),
    ]
    timeline = Timeline.from_lines(lines)
    intervals = list(timeline.intervals("CP-1", 1, until=NEXT_DAY))
    assert [(i.start, i.end) for i in intervals] == [
        (DAY, at(1)),
        (at(1), at(2)),
        (at(2), at(3)),
        (at(3), NEXT_DAY),
    ]
    middle = intervals[2]
    assert middle.ocpp_status is ChargePointStatus.CHARGING
    assert middle.connector_status is ConnectorStatus.UNAVAILABLE
    assert middle.station_status is StationStatus.UNAVAILABLE
    assert middle.reason.value == "main_controller_unavailable"
    assert not middle.up
    assert middle.outage is OutageReason.CONNECTOR_ZERO_UNAVAILABLE
    assert middle.minutes == 60
    assert intervals[1].up
    # Port 2 splits where the station's status changes under it, not before.
    assert [i.start for i in timeline.intervals("CP-1", 2, until=NEXT_DAY)] == [
        DAY,
        at(2),
        at(3),
    ]


def test_a_report_that_changes_no_condition_splits_no_interval() -> None:
    # Connector 0, then port 1, again Available with an error code: the
    # station's state changes (each report is taken), no port's condition does.
    def warning(hours: float, connector: int) -> str:
        payload = {
            "connectorId": connector,
            "errorCode": "HighTemperature",
            "status": "Available",
        }
        return json.dumps(
            {"station": "CP-1", "received": stamp(at(hours)), "payload": payload}
        )

    lines = [
        *opening(ports=2),
        status(at(1), 0, "Available"),
        warning(2, 0),
        warning(3, 1),
        data_until(NEXT_DAY),
    ]
    timeline = Timeline.from_lines(lines)
    reports = timeline.states["CP-1"].reports
    assert reports[0].error_code.value == reports[1].error_code.value
    assert reports[1].error_code.value == "HighTemperature"
    for port in (1, 2):
        intervals = list(timeline.intervals("CP-1", port, until=NEXT_DAY))
        assert [(i.start, i.end) for i in intervals] == [
            (DAY, at(1)),
            (at(1), NEXT_DAY),
        ]


def test_intervals_stop_at_until_and_at_removal() -> None:
    timeline = Timeline.from_lines([*opening(), event(at(5), "removed")])
    assert [i.end for i in timeline.intervals("CP-1", 1, until=at(2))] == [at(2)]
    assert [i.end for i in timeline.intervals("CP-1", 1, until=NEXT_DAY)] == [at(5)]
    assert timeline.removed_at("CP-1", 1) == at(5)
    assert Timeline.from_lines(opening()).removed_at("CP-1", 1) is None
    assert timeline.states["CP-1"].removed
    assert timeline.first_seen("CP-1", 1) == DAY
    assert list(timeline.intervals("CP-1", 1, until=DAY)) == []


def test_two_changes_at_one_instant_leave_the_later() -> None:
    lines = [
        *opening(),
        status(at(1), 1, "Faulted"),
        status(at(1), 1, "Available"),
        data_until(at(2)),
    ]
    intervals = list(Timeline.from_lines(lines).intervals("CP-1", 1, until=at(2)))
    assert [(i.start, i.end, i.up) for i in intervals] == [(DAY, at(2), True)]
    lines = [
        *opening(),
        status(at(1), 1, "Faulted"),
        status(at(1), 1, "Unavailable"),
        data_until(at(2)),
    ]
    intervals = list(Timeline.from_lines(lines).intervals("CP-1", 1, until=at(2)))
    assert [i.outage for i in intervals] == [None, OutageReason.UNAVAILABLE]


def test_times_in_other_offsets_come_out_in_utc() -> None:
    line = json.dumps(
        {
            "station": "CP-1",
            "received": "2026-06-01T02:00:00+02:00",
            "payload": {
                "connectorId": 1,
                "errorCode": "NoError",
                "status": "Available",
            },
        }
    )
    timeline = Timeline.from_lines([line, data_until(at(1))])
    (interval,) = timeline.intervals("CP-1", 1, until=at(1))
    assert interval.start == DAY
    assert interval.start.tzinfo is UTC


def test_a_report_without_receive_time_takes_its_own_timestamp() -> None:
    bare = json.dumps(
        {
            "station": "CP-1",
            "payload": {
                "connectorId": 1,
                "errorCode": "NoError",
                "status": "Faulted",
                "timestamp": stamp(at(3)),
            },
        }
    )
    timeline = Timeline.from_lines([*opening(), bare, data_until(NEXT_DAY)])
    assert [i.start for i in timeline.intervals("CP-1", 1, until=NEXT_DAY)] == [
        DAY,
        at(3),
    ]
    assert timeline.warnings == []


def test_a_change_without_any_time_is_counted_at_the_previous_time() -> None:
    timeline = Timeline.from_lines(
        [
            *opening(),
            status(at(2), 1, "Charging"),
            '{"station": "CP-1", "event": "disabled"}',
            data_until(NEXT_DAY),
        ]
    )
    assert timeline.warnings == [
        Notice(
            line=4,
            message="no receive time or timestamp; counted at the station's "
            "previous time, 2026-06-01T02:00:00Z",
        )
    ]
    # At the same instant as the Charging report, so the later state wins.
    intervals = timeline.intervals("CP-1", 1, until=NEXT_DAY)
    assert [(i.start, i.outage) for i in intervals] == [
        (DAY, None),
        (at(2), OutageReason.NOT_ENABLED),
    ]


def test_a_change_before_any_time_counts_from_the_next_timed_line() -> None:
    timeline = Timeline.from_lines(
        [
            '{"connectorId": 1, "errorCode": "NoError", "status": "Faulted"}',
            event(at(1), "connected", "default"),
        ]
    )
    assert timeline.warnings[0].line == 1
    assert "next line with a time" in timeline.warnings[0].message
    assert timeline.ports() == [("default", 1)]
    assert timeline.first_seen("default", 1) == at(1)


def test_a_time_going_back_is_counted_at_the_previous_time() -> None:
    timeline = Timeline.from_lines(
        [*opening(at(5)), status(at(4), 1, "Faulted"), data_until(NEXT_DAY)]
    )
    assert "is before the station's previous time" in timeline.warnings[0].message
    # Counted at 05:00, the same instant as the opening report, so it wins.
    intervals = list(timeline.intervals("CP-1", 1, until=NEXT_DAY))
    assert [(i.start, i.outage) for i in intervals] == [(at(5), OutageReason.FAULTED)]


def test_lines_that_change_nothing_add_no_interval() -> None:
    heartbeat = json.dumps(
        {
            "station": "CP-1",
            "received": stamp(at(1)),
            "frame": [2, "h", "Heartbeat", {}],
        }
    )
    skipped = json.dumps(
        {"station": "CP-1", "received": stamp(at(1)), "frame": [2, "r", "Reset", {}]}
    )
    timeline = Timeline.from_lines(
        [*opening(), heartbeat, skipped, "", status(at(2), 1, "Available")]
    )
    assert len(list(timeline.intervals("CP-1", 1, until=NEXT_DAY))) == 1


def test_a_bad_log_line_is_refused_naming_it() -> None:
    with pytest.raises(InvalidReport, match=r"^invalid line 2 "):
        Timeline.from_lines([*opening()[:1], "{oops"])


def test_asking_for_an_unknown_port_is_an_error() -> None:
    timeline = Timeline.from_lines(opening())
    with pytest.raises(
        (TypeError, ValueError), match="a port of station 'CP-1' seen in the log"
    ):
        list(timeline.intervals("CP-1", 3, until=NEXT_DAY))
    with pytest.raises((TypeError, ValueError), match="until: got"):
        list(timeline.intervals("CP-1", 1, until=datetime(2026, 6, 2)))  # noqa: DTZ001


def test_bad_arguments_to_uptime() -> None:
    timeline = Timeline.from_lines(opening())
    with pytest.raises((TypeError, ValueError), match="end: got"):
        uptime(timeline, NEXT_DAY, DAY)
    with pytest.raises((TypeError, ValueError), match="start: got"):
        uptime(timeline, datetime(2026, 6, 1), NEXT_DAY)  # noqa: DTZ001
    with pytest.raises((TypeError, ValueError), match="regime: got 'ontario'"):
        uptime(timeline, DAY, NEXT_DAY, regime="ontario")
    with pytest.raises((TypeError, ValueError), match="regime: got 3"):
        uptime(timeline, DAY, NEXT_DAY, regime=3)  # type: ignore[arg-type]


def test_a_regime_is_data() -> None:
    ontario = Regime(
        name="ontario",
        title="An invented regime",
        causes=frozenset({Cause.VANDALISM}),
        caps=(Cap(cause=Cause.VANDALISM, minutes=30, per="incident"),),
    )
    lines = [*opening(), status(at(1), 1, "Faulted"), status(at(3), 1, "Available")]
    port = only_port(
        lines, regime=ontario, exclusions=[exclusion(DAY, NEXT_DAY, "vandalism")]
    )
    assert port.excluded_minutes == 30
    assert set(REGIMES) == {"nevi", "cec", "plain"}
    assert REGIMES["cec"].causes < REGIMES["nevi"].causes
    # A regime prints as its name, as --regime and every output write it.
    assert str(ontario) == "ontario"
    assert f"{REGIMES['nevi']}" == "nevi"
    assert [str(regime) for regime in REGIMES.values()] == list(REGIMES)


def test_the_up_states_are_the_operative_ones() -> None:
    assert {s for s in ChargePointStatus if s.is_operative} == UP_STATES


# The wire values are what logs, exclusions files and reports carry, and each
# outage reason's status is what outage lists show: literal data, not derived.
OUTAGE_REASONS = {
    "NOT_ENABLED": ("not_enabled", "Inoperative"),
    "OFFLINE": ("offline", "Offline"),
    "CONNECTOR_ZERO_FAULTED": ("connector_zero_faulted", "Faulted"),
    "CONNECTOR_ZERO_UNAVAILABLE": ("connector_zero_unavailable", "Unavailable"),
    "FAULTED": ("faulted", "Faulted"),
    "UNAVAILABLE": ("unavailable", "Unavailable"),
    "SUSPENDED_EVSE": ("suspended_evse", "SuspendedEVSE"),
}
CAUSES = {
    "UTILITY_INTERRUPTION": "utility_interruption",
    "VEHICLE_FAULT": "vehicle_fault",
    "SCHEDULED_MAINTENANCE": "scheduled_maintenance",
    "VANDALISM": "vandalism",
    "NATURAL_DISASTER": "natural_disaster",
    "OUTSIDE_OPERATING_HOURS": "outside_operating_hours",
}


def test_outage_reasons_keep_their_values_and_statuses() -> None:
    assert issubclass(OutageReason, DescribedEnum)
    assert {
        reason.name: (reason.value, reason.status) for reason in OutageReason
    } == OUTAGE_REASONS


def test_causes_keep_their_values() -> None:
    assert issubclass(Cause, DescribedEnum)
    assert {cause.name: cause.value for cause in Cause} == CAUSES
    assert Cause("vandalism") is Cause.VANDALISM


@pytest.mark.parametrize("enum", [OutageReason, Cause], ids=lambda e: e.__name__)
def test_outage_reasons_and_causes_are_described_one_line_each(
    enum: type[DescribedEnum],
) -> None:
    descriptions = [member.description for member in enum]
    for text in descriptions:
        assert text.strip() == text
        assert 10 <= len(text) <= 100
        assert "\n" not in text
    assert len(set(descriptions)) == len(descriptions)
    for member in enum:
        assert str(member) == member.value
        assert json.dumps(member) == json.dumps(member.value)


# --- NEVI quarter and California intervals ---------------------------------------


def test_the_nevi_quarter_gives_each_month_and_its_trailing_year() -> None:
    start = datetime(2025, 7, 1, tzinfo=UTC)
    lines = [
        *opening(start),
        status(datetime(2026, 2, 10, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2026, 2, 10, 3, tzinfo=UTC), 1, "Available"),
        status(datetime(2026, 3, 1, tzinfo=UTC), 1, "Faulted"),
        status(datetime(2026, 3, 1, 1, tzinfo=UTC), 1, "Available"),
    ]
    maintenance = [
        exclusion(
            datetime(2026, 3, 1, tzinfo=UTC),
            datetime(2026, 3, 1, 0, 30, tzinfo=UTC),
            "scheduled_maintenance",
        )
    ]
    timeline = Timeline.from_lines(
        [*lines, data_until(datetime(2026, 4, 1, tzinfo=UTC))]
    )
    ports, warnings = nevi_quarter(timeline, 2026, 1, exclusions=maintenance)
    assert warnings == ()
    (port,) = ports
    # Each month's figures are those of the twelve months ending with it: by
    # January nothing is out; by February 180 minutes; by March 240, of
    # which 30 are excused.
    assert [m.outage_minutes for m in port.trailing] == [0, 180, 240]
    assert [m.excluded_minutes for m in port.trailing] == [0, 0, 30]
    # The trailing year of January starts in February 2025, before the log:
    # the port has less than twelve months of history, so no uptime.
    assert port.trailing[0].start == start
    assert port.trailing[2].start == start
    assert port.trailing[2].end == datetime(2026, 4, 1, tzinfo=UTC)
    assert [m.uptime_percent for m in port.trailing] == [None, None, None]
    assert [o.minutes for o in port.quarter.outages] == [180, 60]
    with pytest.raises((TypeError, ValueError), match="quarter: got 5"):
        nevi_quarter(Timeline(), 2026, 5)
    december = trailing_twelve_months(timeline, 2025, 12)
    assert (december.start, december.end) == (
        datetime(2025, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert december.ports[0].period_minutes == 184 * 1440  # from 1 July
    with pytest.raises((TypeError, ValueError), match="month: got 13"):
        trailing_twelve_months(Timeline(), 2026, 13)


def test_fifteen_minute_records_add_up_to_the_period() -> None:
    lines = [
        *opening(),
        status(at(1, DAY + timedelta(minutes=5)), 1, "Faulted"),
        status(at(1.5), 1, "Available"),
        data_until(at(2)),
    ]
    result = uptime(
        Timeline.from_lines(lines),
        DAY,
        at(2),
        exclusions=[exclusion(at(1), at(1.4), "utility_interruption")],
    )
    records = list(interval_records(result))
    assert len(records) == 8
    # Out 01:05-01:30, excused 01:05-01:24.
    assert [r.outage_minutes for r in records[4:6]] == [10, 15]
    assert [r.excluded_minutes for r in records[4:6]] == [10, 9]
    assert records[5].uptime_percent == Fraction(15 - (15 - 9), 15) * 100
    assert sum(r.period_minutes for r in records) == 120
    assert sum(r.outage_minutes for r in records) == result.ports[0].outage_minutes
    with pytest.raises(ValueError, match="every: got"):
        list(interval_records(result, timedelta(0)))


def test_records_of_a_port_without_data_say_so() -> None:
    lines = [*opening(), status(at(0.5), 2, "Available"), data_until(at(1))]
    result = uptime(Timeline.from_lines(lines), DAY, at(1), regime=REGIMES["plain"])
    records = list(interval_records(result, timedelta(minutes=30)))
    assert [(r.connector_id, r.uptime_percent) for r in records] == [
        (1, 100),
        (1, 100),
        (2, None),
        (2, 100),
    ]
    gone = uptime(
        Timeline.from_lines([*opening(at(-2)), event(at(-1), "removed")]), DAY, at(1)
    )
    assert [r.period_minutes for r in interval_records(gone)] == [0] * 4


def test_minutes_are_exact() -> None:
    assert minutes(timedelta(seconds=1)) == Fraction(1, 60)
    assert minutes(timedelta(microseconds=1)) == Fraction(1, 60_000_000)


# --- properties ------------------------------------------------------------------

_STATES = [s.value for s in ChargePointStatus]
_ZERO = ["Available", "Unavailable", "Faulted"]
_EVENTS = ["connected", "disconnected", "enabled", "disabled", "heard"]

steps = st.lists(
    st.tuples(
        st.integers(0, 90),
        st.one_of(
            st.tuples(st.just("status"), st.integers(1, 3), st.sampled_from(_STATES)),
            st.tuples(st.just("status"), st.just(0), st.sampled_from(_ZERO)),
            st.tuples(
                st.just("event"), st.just(0), st.sampled_from([*_EVENTS, "removed"])
            ),
        ),
    ),
    max_size=30,
)


def _log(drawn: list[tuple[int, tuple[str, int, str]]]) -> list[str]:
    lines: list[str] = []
    moment = DAY
    for gap, (kind, connector, value) in drawn:
        moment += timedelta(minutes=gap)
        if kind == "status":
            lines.append(status(moment, connector, value))
        else:
            lines.append(event(moment, value))
    return lines


def _check_against_the_fleet(lines: list[str], *, lenient: bool = False) -> None:
    """Each interval shows what the station's state after its lines says.

    A line either refuses is skipped by both, and they must refuse the same.
    """
    timeline = Timeline(lenient=lenient)
    end = DAY + timedelta(days=2)
    # The state after every line at or before each interval's start decides
    # it: the states after each line, once (receive times never go back).
    fleet = Fleet(lenient=lenient)
    after: list[tuple[datetime, StationState]] = []
    for number, line in enumerate(lines, start=1):
        _, received, _, _ = read_line(line)
        assert received is not None
        try:
            timeline.read(line, number=number)
        except InvalidReport:
            refused = True
        else:
            refused = False
        try:
            feed_line(fleet, line, number)
        except InvalidReport:
            assert refused, line
            continue
        assert not refused, line
        after.append((received, fleet.states.get("CP-1", StationState())))
    # Repairs, anomalies and all: the very states the fleet holds (a station
    # only an event that changed nothing told of is new to the timeline, and
    # unknown to the fleet).
    states, held = timeline.states, fleet.states
    for station in states.keys() | held.keys():
        assert states.get(station, StationState()) == held.get(station, StationState())
    for station, connector_id in timeline.ports():
        previous: datetime | None = None
        for interval in timeline.intervals(station, connector_id, until=end):
            assert interval.start < interval.end
            assert previous in {None, interval.start}
            previous = interval.end
            state = StationState()
            for received, later in after:
                if received > interval.start:
                    break
                state = later
            view = state.view()
            assert not state.removed
            assert interval.ocpp_status is state.reports[connector_id].status
            assert interval.connector_status is view.connectors[connector_id]
            assert interval.station_status is view.status
            assert interval.reason is view.reason
            up = (
                state.connected
                and state.enabled
                and (
                    0 not in state.reports
                    or state.reports[0].status.value == "Available"
                )
                and interval.ocpp_status in UP_STATES
            )
            assert interval.up is up


@given(steps)
def test_each_interval_agrees_with_the_station_state(
    drawn: list[tuple[int, tuple[str, int, str]]],
) -> None:
    _check_against_the_fleet(_log(drawn))


# What real chargers get wrong in a payload: each a way to spoil a line, which
# lenient reading repairs, except the last, which it refuses all the same.
_SPOILS = (
    "as sent",
    "id as a string",
    "status in lower case",
    "an extra key",
    "a null",
    "a vendor's error code",
    "a timestamp with a space and +hh",
    "a status no one defines",
)


def _spoil(way: str, payload: dict[str, object], received: str) -> None:
    spoils: dict[str, dict[str, object]] = {
        "as sent": {},
        "id as a string": {"connectorId": str(payload["connectorId"])},
        "status in lower case": {"status": str(payload["status"]).lower()},
        "an extra key": {"firmware": "1.2"},
        "a null": {"info": None},
        "a vendor's error code": {"errorCode": "OverTemperature"},
        "a timestamp with a space and +hh": {
            "timestamp": received.replace("T", " ").replace("Z", "+00")
        },
        "a status no one defines": {"status": "Sleeping"},
    }
    payload.update(spoils[way])


def _spoiled(lines: list[str], spoils: list[str]) -> list[str]:
    """Spoil the payloads of *lines*, the n-th line's by the n-th of *spoils*."""
    spoiled: list[str] = []
    ways = iter(spoils)
    for line in lines:
        envelope = json.loads(line)
        payload = envelope.get("payload")
        way = next(ways, "as sent")
        if payload is not None:
            _spoil(way, payload, envelope["received"])
        spoiled.append(json.dumps(envelope))
    return spoiled


@given(steps, st.lists(st.sampled_from(sorted(_SPOILS)), max_size=30))
def test_each_interval_agrees_with_the_lenient_fleet_state(
    drawn: list[tuple[int, tuple[str, int, str]]], spoils: list[str]
) -> None:
    lines = _spoiled(_log(drawn), spoils)
    _check_against_the_fleet(lines, lenient=True)
    # Read strictly, every spoiled line is refused, by both alike.
    _check_against_the_fleet(lines)


def test_a_lenient_timeline_counts_repairs_and_refuses_what_it_cannot_repair() -> None:
    lines = _spoiled(
        [*opening(), status(at(1), 1, "Faulted"), status(at(2), 1, "Available")],
        [
            "as sent",
            "status in lower case",
            "id as a string",
            "a status no one defines",
        ],
    )
    with pytest.raises(InvalidReport, match="line 2"):
        Timeline.from_lines(lines)
    with pytest.raises(InvalidReport, match=r"line 4 (?s:.)*status: got 'Sleeping'"):
        Timeline.from_lines(lines, lenient=True)
    timeline = Timeline.from_lines([*lines[:3], data_until(at(3))], lenient=True)
    assert timeline.lenient
    assert dict(timeline.states["CP-1"].repair_counts) == {
        RepairKind.ENUM_CASE: 1,
        RepairKind.NUMERIC_STRING: 1,
    }
    (interval, faulted) = timeline.intervals("CP-1", 1, until=at(3))
    assert (interval.ocpp_status, faulted.ocpp_status) == (
        ChargePointStatus.AVAILABLE,
        ChargePointStatus.FAULTED,
    )
    assert faulted.start == at(1)
    with pytest.raises(TypeError, match="lenient"):
        Timeline(lenient="yes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# Many ports, each line most often one port's change: the path on which a
# station's conditions follow one port at a time.
_one_port = st.tuples(st.just("status"), st.integers(1, 12), st.sampled_from(_STATES))
many_port_steps = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.one_of(
            # A port's report three times as often as anything else.
            _one_port,
            _one_port,
            _one_port,
            st.tuples(st.just("status"), st.just(0), st.sampled_from(_ZERO)),
            st.tuples(st.just("event"), st.just(0), st.sampled_from(_EVENTS)),
        ),
    ),
    max_size=60,
)


@given(many_port_steps)
def test_each_interval_of_a_station_with_many_ports_agrees_with_its_state(
    drawn: list[tuple[int, tuple[str, int, str]]],
) -> None:
    _check_against_the_fleet(_log(drawn))


@given(
    steps,
    st.lists(
        st.tuples(
            st.integers(0, 2000), st.integers(1, 600), st.sampled_from(list(Cause))
        ),
        max_size=4,
    ),
    st.sampled_from(sorted(REGIMES)),
)
def test_the_figures_always_add_up(
    drawn: list[tuple[int, tuple[str, int, str]]],
    windows: list[tuple[int, int, Cause]],
    regime: str,
) -> None:
    timeline = Timeline.from_lines(_log(drawn))
    exclusions = [
        Exclusion(
            station="CP-1",
            connector=None,
            start=DAY + timedelta(minutes=offset),
            end=DAY + timedelta(minutes=offset + length),
            cause=cause,
        )
        for offset, length, cause in windows
    ]
    start, end = DAY + timedelta(minutes=30), DAY + timedelta(hours=20)
    result = uptime(timeline, start, end, regime=regime, exclusions=exclusions)
    suspended_out = not REGIMES[regime].suspended_evse_up
    for port in result.ports:
        assert 0 <= port.excluded_minutes <= port.outage_minutes <= port.period_minutes
        if port.has_data:
            assert port.uptime_percent is not None
            assert 0 <= port.uptime_percent <= 100
            intervals = list(
                timeline.intervals(port.station, port.connector_id, until=end)
            )
            down = sum(
                (
                    minutes(min(i.end, end) - max(i.start, start))
                    for i in intervals
                    if i.end > start
                    and (
                        not i.up
                        or (
                            suspended_out
                            and i.ocpp_status is ChargePointStatus.SUSPENDED_EVSE
                        )
                    )
                ),
                Fraction(0),
            )
            assert down == port.outage_minutes
        for outage in port.outages:
            assert outage.minutes > 0
            for part in outage.excluded:
                assert outage.start <= part.start < part.end <= outage.end
        records = list(interval_records(result, timedelta(hours=1)))
        mine = [r for r in records if r.connector_id == port.connector_id]
        assert sum(r.outage_minutes for r in mine) == port.outage_minutes
        assert sum(r.excluded_minutes for r in mine) == port.excluded_minutes


def _busy_station(ports: int, lines: int) -> list[str]:
    """A station whose ports change state at random, one line at a time."""
    chosen = random.Random(20260601)  # noqa: S311  (fixed: the same log every run)
    log = opening(ports=ports)
    for number in range(1, lines + 1):
        moment = DAY + timedelta(seconds=number)
        roll = chosen.random()
        if roll < 0.01:
            log.append(event(moment, chosen.choice(["disconnected", "connected"])))
        elif roll < 0.02:
            log.append(status(moment, 0, chosen.choice(_ZERO)))
        else:
            port = chosen.randint(1, ports)
            log.append(status(moment, port, chosen.choice(_STATES)))
    return log


def test_a_station_caches_only_the_conditions_it_has_been_in() -> None:
    lines = _busy_station(ports=300, lines=6_000)
    timeline = Timeline.from_lines(lines)
    cache = timeline._stations["CP-1"].conditions  # pyright: ignore[reportPrivateUsage]
    # What the station has been in, worked out apart from the cache: its
    # ports' conditions as intervals show them, connector 0's states, and the
    # station-wide facts (flags, connector 0, the set of the ports' states)
    # after each line.
    shown = {
        (i.ocpp_status, i.connector_status, i.station_status, i.reason, i.outage)
        for port in range(1, 301)
        for i in timeline.intervals("CP-1", port, until=NEXT_DAY)
    }
    fleet = Fleet()
    facts: set[tuple[object, ...]] = set()
    for line in lines:
        feed_line(fleet, line)
        state = fleet.states["CP-1"]
        main = state.reports.get(0)
        facts.add(
            (
                state.enabled,
                state.connected,
                None if main is None else main.status,
                frozenset(r.status for key, r in state.reports.items() if key),
            )
        )
    mains = {main for _, _, main, _ in facts}
    # A condition is cached once for each connector-0 state it was met under
    # (none, or one of three), and a decision once for each set of facts.
    assert len(shown) <= len(cache.seen) <= len(shown) * len(mains)
    assert len(set(cache.seen.values())) == len(shown)
    assert len(cache.decided) <= len(facts)
    assert len(cache) == len(cache.seen) + len(cache.decided)
    # Every cached condition is one some port has been in.
    held = {
        id(condition)
        for port in range(1, 301)
        for condition in timeline._runs("CP-1", port).conditions  # pyright: ignore[reportPrivateUsage]
    }
    assert {id(condition) for condition in cache.seen.values()} <= held
    # Bounded by what the station has been in, not by its 6,000 changes: a
    # cache keyed by the whole station's state would hold about one a line.
    assert len(cache) < len(lines) // 10


def test_each_timeline_keeps_a_cache_of_its_own() -> None:
    lines = _busy_station(ports=20, lines=500)
    first, second = Timeline.from_lines(lines), Timeline.from_lines(lines)
    ours = first._stations["CP-1"].conditions  # pyright: ignore[reportPrivateUsage]
    theirs = second._stations["CP-1"].conditions  # pyright: ignore[reportPrivateUsage]
    assert ours.seen.keys() == theirs.seen.keys()
    assert all(ours.seen[key] is not theirs.seen[key] for key in ours.seen)


# --- changes without a time of their own -------------------------------------------


def _untimed(connector: int, state: str, timestamp: str | None = None) -> str:
    payload: dict[str, object] = {
        "connectorId": connector,
        "errorCode": "NoError",
        "status": state,
    }
    if timestamp is not None:
        payload["timestamp"] = timestamp
    return json.dumps({"station": "CP-1", "payload": payload})


def test_an_untimed_change_counts_from_the_stations_previous_line_not_its_previous_change() -> (
    None
):
    # Failed before: the Faulted report, with no time of its own, was counted
    # from 10:00 (the last change) although a heartbeat at 12:00 showed the
    # port still Available then: 240 outage minutes instead of 120.
    lines = [
        *opening(at(10)),
        json.dumps(
            {
                "station": "CP-1",
                "received": stamp(at(12)),
                "frame": [2, "hb", "Heartbeat", {}],
            }
        ),
        _untimed(1, "Faulted"),
        status(at(14), 1, "Available"),
    ]
    timeline = Timeline.from_lines(lines)
    port = uptime(timeline, at(10), at(16)).ports[0]
    assert port.outage_minutes == 120
    assert [(outage.start, outage.end) for outage in port.outages] == [(at(12), at(14))]
    assert [str(notice) for notice in timeline.warnings] == [
        (
            "log line 4: no receive time or timestamp; counted at the station's "
            "previous time, 2026-06-01T12:00:00Z"
        )
    ]


def test_the_zero_time_without_a_receive_time_is_no_time_not_year_one() -> None:
    # Failed before: a first report stamped 0001-01-01T00:00:00Z, received at
    # no known time, started the port in year 1.
    lines = [
        _untimed(1, "Available", "0001-01-01T00:00:00Z"),
        _untimed(1, "Faulted", stamp(at(6))),
        _untimed(1, "Available", stamp(at(6.6))),
    ]
    timeline = Timeline.from_lines(lines)
    assert timeline.first_seen("CP-1", 1) == at(6)
    port = uptime(timeline, DAY, NEXT_DAY).ports[0]
    assert port.outage_minutes == 36
