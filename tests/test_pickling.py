"""Every value object survives pickling and deep copying, equal to itself.

Process pools and caches move states, views, steps and fleets between
processes; each must come back whole.
"""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime

import pytest

from evstatus import (
    ChargePointStatus,
    ConnectorReport,
    Fleet,
    PlatformEvent,
    StationState,
    derive_station,
    ocpp201,
)
from evstatus._core import Flags
from evstatus.exceptions import Problem
from evstatus.log import read_log
from evstatus.rules import (
    OCPI_FLAG_RULES,
    STATION_RULES,
    TRANSITIONS,
    OcpiFacts,
)

from .folding import timeline

S = ChargePointStatus


def _report_at(
    connector_id: int, status: ChargePointStatus, when: datetime | None = None
) -> ConnectorReport:
    return ConnectorReport(connector_id=connector_id, status=status, timestamp=when)


def _values() -> list[object]:
    t0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
    state = (
        StationState()
        .step(PlatformEvent.CONNECTED, at=t0)
        .state.step(_report_at(1, S.CHARGING, t0), at=t0)
        .state.step(_report_at(1, S.PREPARING, t0), at=t0)
        .state
    )
    fleet = Fleet()
    fleet.feed("CP-1", _report_at(1, S.CHARGING))
    (change,) = timeline(fleet, ['{"station": "CP-2", "event": "disabled"}'])
    (line,) = read_log(['{"station": "CP-2", "event": "disabled"}'])
    (bad,) = read_log(["[2]"])
    ocpp2 = ocpp201.ConnectorReport(
        evse_id=1,
        connector_id=1,
        status=ocpp201.ConnectorState.OCCUPIED,
        timestamp=t0,
        custom_data={"vendorId": "acme", "extra": [1, {"a": 2}]},
    )
    return [
        _report_at(1, S.CHARGING, t0),
        ocpp2,
        derive_station([_report_at(1, S.CHARGING)]),
        ocpp201.derive_station([ocpp2]),
        state,
        state.step(_report_at(1, S.CHARGING)),
        state.recent_anomalies[0],
        Flags(online=False),
        TRANSITIONS["A2"],
        STATION_RULES[3],
        OCPI_FLAG_RULES[1],
        OcpiFacts(removed=False, planned=False, enabled=True, online=True),
        Problem(field="status", value="x", expected="a state"),
        line,
        bad,
        change,
        fleet,
        fleet.settings,
    ]


@pytest.mark.parametrize("value", _values(), ids=lambda v: type(v).__name__)
def test_value_objects_pickle_and_deep_copy(value: object) -> None:
    # Failed before for states, views and 2.0.1 reports with customData
    # ("cannot pickle 'mappingproxy' object").
    for clone in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):
        assert type(clone) is type(value)
        if isinstance(value, Fleet):
            assert isinstance(clone, Fleet)
            assert clone.views() == value.views()
        else:
            assert clone == value
