"""The public API's types, as a type checker sees them.

mypy and pyright check this file (``assert_type`` fails the check when a type
is not the one written); pytest runs it too, so every line also works.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from pathlib import Path
from typing import assert_type
from zoneinfo import ZoneInfo

import evstatus
from evstatus import (
    Anomaly,
    ChargePointStatus,
    ConnectorReport,
    ConnectorStatus,
    Fleet,
    InvalidReport,
    PlatformEvent,
    Reason,
    StationState,
    StationStatus,
    StationView,
    Step,
    connector_status,
    derive_station,
    ocpp201,
    station_status,
)
from evstatus.exceptions import EvstatusError, Problem
from evstatus.history import AnomalyKind, ClockRules, Port, is_online
from evstatus.log import (
    PROTOCOLS,
    BadLine,
    Change,
    Contact,
    Event,
    FleetSettings,
    LogEntry,
    LogLine,
    Message,
    describe_change,
    port_name,
    read_line,
    read_log,
)
from evstatus.ocpi import EvseStatus, evse_status
from evstatus.ocpp16 import Repair, latest_reports, supersedes
from evstatus.rules import (
    STATION_RULES,
    TRANSITIONS,
    StationRule,
    Transition,
    classify_transition,
)
from evstatus.uptime import (
    EVCHART_REASONS,
    REGIMES,
    Cause,
    EvChart,
    EvChartOutage,
    EvChartUptime,
    Exclusion,
    NeviQuarterPort,
    Notice,
    Outage,
    OutageReason,
    PortRecord,
    PortUptime,
    Segment,
    Timeline,
    Uptime,
    evchart_rows,
    nevi_quarter,
    read_inventory,
    trailing_twelve_months,
    uptime,
    write_evchart,
)

T0 = datetime(2026, 6, 1, 8, tzinfo=UTC)


def test_ocpp16_types() -> None:
    report = ConnectorReport.from_ocpp(
        {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
    )
    assert_type(report, ConnectorReport)
    assert_type(report.status, ChargePointStatus)
    assert_type(report.timestamp, datetime | None)
    assert_type(report.to_ocpp()["connectorId"], int)
    view = derive_station([report])
    assert_type(view, StationView[int])
    assert_type(view.status, StationStatus)
    assert_type(view.reason, Reason)
    assert_type(view.connectors, Mapping[int, ConnectorStatus])
    assert_type(view.ocpi_statuses(), Mapping[int, EvseStatus])
    assert_type(station_status([report]), StationStatus)
    assert_type(connector_status(report), ConnectorStatus)
    assert_type(latest_reports([report]), dict[int, ConnectorReport])
    assert_type(supersedes(report, report), bool)
    assert_type(
        classify_transition(ChargePointStatus.AVAILABLE, ChargePointStatus.CHARGING),
        Transition | None,
    )
    assert_type(TRANSITIONS["A2"], Transition)
    assert_type(STATION_RULES[0], StationRule)


def test_ocpp201_types() -> None:
    report = ocpp201.ConnectorReport(
        evse_id=1, connector_id=1, status=ocpp201.ConnectorState.OCCUPIED, timestamp=T0
    )
    assert_type(report.status, ocpp201.ConnectorState)
    assert_type(report.connector, tuple[int, int])
    view = ocpp201.derive_station(
        [report], charging_states={1: ocpp201.ChargingState.CHARGING}
    )
    assert_type(view, StationView[tuple[int, int]])
    assert_type(view.connectors, Mapping[tuple[int, int], ConnectorStatus])
    assert_type(ocpp201.to_ocpp16(report), ChargePointStatus)
    assert_type(ocpp201.from_ocpp16(ChargePointStatus.CHARGING), ocpp201.ConnectorState)
    assert_type(
        ocpp201.latest_reports([report]), dict[tuple[int, int], ocpp201.ConnectorReport]
    )
    assert_type(evse_status(report, main=ChargePointStatus.AVAILABLE), EvseStatus)


def test_history_types() -> None:
    state = StationState()
    step = state.step(PlatformEvent.CONNECTED, at=T0)
    assert_type(step, Step)
    assert_type(step.state, StationState)
    assert_type(step.transition, Transition | None)
    assert_type(step.anomaly, Anomaly | None)
    assert_type(step.changed, bool)
    payload = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
    assert_type(state.step(payload, at=None), Step)
    assert_type(state.step(PlatformEvent.HEARD).state, StationState)
    assert_type(state.step(payload, lenient=True).repairs, tuple[Repair, ...])
    assert_type(state.fold([PlatformEvent.HEARD, payload]), StationState)
    assert_type(state.view(), StationView[Port])
    assert_type(state.reports, Mapping[int, ConnectorReport])
    assert_type(state.online(now=T0, heartbeat_interval=timedelta(minutes=5)), bool)
    assert_type(is_online(None, T0, heartbeat_interval=timedelta(minutes=5)), bool)


def test_log_types() -> None:
    fleet = Fleet()
    assert_type(fleet.feed("CP-1", PlatformEvent.CONNECTED), Step)
    payload = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
    assert_type(fleet.feed("CP-1", payload, at=T0), Step)
    assert_type(fleet.consume('{"station": "CP-1", "event": "heard"}'), None)
    assert_type(fleet.settings, FleetSettings)
    assert_type(fleet.clock, datetime | None)
    assert_type(fleet.view("CP-1"), StationView[Port])
    settings = FleetSettings(lenient=True)
    assert_type(Fleet.from_settings(settings), Fleet)
    assert_type(settings.heartbeat_interval, timedelta | None)
    assert_type(settings.clock, ClockRules)
    for line in read_log(['{"station": "CP-1", "event": "heard"}'], start=2):
        assert_type(line, LogLine | BadLine)
        if isinstance(line, BadLine):
            assert_type(line.error, InvalidReport)
            continue
        assert_type(line.number, int)
        assert_type(line.station, str)
        assert_type(line.received, datetime | None)
        if isinstance(line, Message):
            assert_type(line.item, Mapping[str, object] | Message)
            assert_type(line.protocol, str)
        elif isinstance(line, Event):
            assert_type(line.item, PlatformEvent)
        else:
            assert_type(line, Contact)
            assert_type(line.action, str)
        step = fleet.feed(line.station, line.item, at=line.received)
        change = describe_change(line, step, view=fleet.view(line.station))
        assert_type(change, Change | None)
    assert_type(fleet.views(), Mapping[str, StationView[Port]])
    assert_type(fleet.states, Mapping[str, StationState])
    assert_type(read_line('{"event": "heard"}'), LogEntry)


def test_ocpp2_fold_types() -> None:
    state = StationState(protocol="ocpp2.0.1")
    assert_type(state.protocol, str)
    assert_type(state.evse_reports, Mapping[tuple[int, int], ocpp201.ConnectorReport])
    assert_type(state.charging_states, Mapping[int, ocpp201.ChargingState])
    assert_type(state.transactions, Mapping[str, int])
    assert_type(state.order_times, Mapping[Port, datetime | None])
    report = ocpp201.ConnectorReport(
        evse_id=1,
        connector_id=2,
        status=ocpp201.ConnectorState.OCCUPIED,
        timestamp=T0,
    )
    step = state.step(report, at=T0)
    assert_type(
        step.item, ConnectorReport | ocpp201.ConnectorReport | PlatformEvent | None
    )
    assert_type(step.previous, ChargePointStatus | ocpp201.ConnectorState | None)
    assert_type(step.state.view().connectors, Mapping[Port, ConnectorStatus])
    assert_type(
        state.facts(), tuple[ChargePointStatus | None, dict[Port, ChargePointStatus]]
    )
    anomaly = Anomaly(
        kind=AnomalyKind.DUPLICATE, connector_id=2, evse_id=1, status=report.status
    )
    assert_type(anomaly.evse_id, int | None)
    assert_type(anomaly.status, ChargePointStatus | ocpp201.ConnectorState)
    settings = FleetSettings(protocol="ocpp2.1")
    assert_type(settings.protocol, str)
    assert_type(Fleet(protocol="ocpp2.0.1").views(), Mapping[str, StationView[Port]])
    assert_type(port_name((1, 2)), str)
    assert_type(PROTOCOLS, tuple[str, str, str])
    for line in read_log(['{"event": "heard"}'], protocol="ocpp2.0.1"):
        if isinstance(line, Message):
            assert_type(line.item, Mapping[str, object] | Message)
    timeline = Timeline(protocol="ocpp2.0.1")
    assert_type(timeline.protocol, str)


def test_exception_types() -> None:
    error = InvalidReport([Problem(field="x", value=1, expected="y")])
    assert_type(error.problems, tuple[Problem, ...])
    assert isinstance(error, EvstatusError)
    assert_type(evstatus.__version__, str)


def test_uptime_report_types() -> None:
    from evstatus.uptime import (  # noqa: PLC0415  (only this test needs them)
        Timeline,
        outages_csv,
        render_report,
        uptime,
    )

    timeline = Timeline()
    day = datetime(2026, 6, 1, tzinfo=UTC)
    assert_type(timeline.feed("CP-1", PlatformEvent.CONNECTED, at=day), None)
    timeline.feed(
        "CP-1", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
    )
    timeline.feed(
        "CP-1", ConnectorReport(connector_id=1, status=ChargePointStatus.FAULTED)
    )
    result = uptime(timeline, day, day + timedelta(days=1))
    page = render_report(
        timeline,
        result,
        title="June",
        inputs=["june.jsonl"],
        generated=day,
        produced_by="a service",
        tz=UTC,
        outages_per_port=5,
        outages_link="june-outages.csv",
    )
    assert_type(page, str)
    assert_type(outages_csv(result), str)


def test_uptime_inventory_and_evchart_types(tmp_path: Path) -> None:
    inventory = read_inventory(["station,connector,port_id\n", "CP-1,1,A\n"])
    assert_type(inventory, list[PortRecord])
    record = inventory[0]
    assert_type(record.station, str)
    assert_type(record.connector, int)
    assert_type(record.station_id, str)
    assert_type(record.port_id, str)
    assert_type(record.network_provider, str | None)
    assert_type(record.line, int | None)
    assert_type(record.key, tuple[str, int])
    timeline = Timeline.from_lines(['{"station": "CP-1", "event": "connected"}'])
    result = uptime(timeline, T0, T0 + timedelta(days=1), ports=inventory)
    port = result.ports[0]
    assert_type(port, PortUptime)
    assert_type(port.inventory, PortRecord | None)
    chart = evchart_rows(timeline, T0, T0 + timedelta(days=1), tz=UTC, ports=inventory)
    assert_type(chart, EvChart)
    assert_type(chart.uptime, tuple[EvChartUptime, ...])
    assert_type(chart.outages, tuple[EvChartOutage, ...])
    assert_type(chart.warnings, tuple[Notice, ...])
    assert_type(chart.module3_csv(), str)
    assert_type(chart.uptime[0].uptime, Fraction | None)
    assert_type(chart.uptime[0].cells(), tuple[str, ...])
    assert_type(EVCHART_REASONS[Cause.VANDALISM], int)
    assert_type(write_evchart(tmp_path, chart), tuple[Path, Path])


def test_uptime_types() -> None:
    timeline = Timeline.from_lines(
        ['{"station": "CP-1", "received": "2026-06-01T08:00:00Z", "event": "heard"}'],
        heartbeat_interval=timedelta(minutes=5),
        tolerance=2.0,
    )
    assert_type(timeline.heartbeat_interval, timedelta | None)
    assert_type(timeline.tolerance, float)
    assert_type(timeline.data_end, datetime | None)
    pacific = ZoneInfo("America/Los_Angeles")
    exclusion = Exclusion(
        station="CP-1",
        connector=None,
        start=T0,
        end=T0 + timedelta(hours=1),
        cause=Cause.VANDALISM,
        incident="case-7",
    )
    assert_type(exclusion.incident, str | None)
    assert_type(REGIMES["nevi"].suspended_evse_up, bool)
    result = uptime(
        timeline, T0, T0 + timedelta(days=1), exclusions=[exclusion], tz=pacific
    )
    assert_type(result, Uptime)
    assert_type(result.tz, tzinfo)
    assert_type(result.data_end, datetime | None)
    assert_type(result.warnings, tuple[Notice, ...])
    for port in result.ports:
        assert_type(port, PortUptime)
        assert_type(port.uptime_percent, Fraction | None)
        assert_type(port.annual, bool)
        for outage in port.outages:
            assert_type(outage, Outage)
            assert_type(outage.segments, tuple[Segment, ...])
            assert_type(outage.began, datetime | None)
            for segment in outage.segments:
                assert_type(segment.reason, OutageReason)
                assert_type(segment.status, str)
                assert_type(segment.start, datetime)
    year = trailing_twelve_months(timeline, 2026, 6, tz=pacific)
    assert_type(year, Uptime)
    quarter, notices = nevi_quarter(timeline, 2026, 2, tz=pacific)
    assert_type(quarter, list[NeviQuarterPort])
    assert_type(notices, tuple[Notice, ...])
