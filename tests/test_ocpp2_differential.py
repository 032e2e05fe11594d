"""Any OCPP 1.6 log and its OCPP 2.0.1 translation fold to the same stations.

The translation (:func:`evstatus.testing.to_ocpp201`) gives each connector an
EVSE of its own, connector 0 to the charging station's AvailabilityState and
Charging, SuspendedEV and SuspendedEVSE to Occupied plus a TransactionEvent's
charging state. Folded by the one engine, both logs must give every station
the same status, the same rule, the same shown status per connector
(connector n being EVSE n's connector 1) and the same main controller; and
uptime the same minutes per port (connector n being EVSE n).
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from evstatus.log import BadLine, Fleet, read_log
from evstatus.testing import to_ocpp201
from evstatus.testing.strategies import station_logs
from evstatus.uptime import Timeline, uptime

START = datetime(2000, 1, 1, tzinfo=UTC)
END = datetime(2100, 1, 1, tzinfo=UTC)


def _fleet(lines: list[str], **settings: object) -> Fleet:
    fleet = Fleet(**settings)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    for line in lines:
        fleet.consume(line)
    return fleet


def _views(fleet: Fleet) -> dict[str, object]:
    """Each station's view, its connectors named by their 1.6 ids."""
    return {
        station: (
            view.status,
            view.reason,
            view.main,
            {
                key if type(key) is int else key[0]: shown  # type: ignore[index]
                for key, shown in view.connectors.items()
            },
        )
        for station, view in fleet.views().items()
    }


def _minutes(lines: list[str]) -> list[tuple[object, ...]]:
    measured = uptime(Timeline.from_lines(lines), START, END)
    return [
        (port.station, port.connector_id, port.period_minutes, port.outage_minutes)
        for port in measured.ports
    ]


@given(station_logs(), st.sampled_from(["ocpp2.0.1", "ocpp2.1"]))
def test_a_translated_log_gives_the_same_statuses_and_minutes(
    log: str, protocol: str
) -> None:
    lines = log.splitlines()
    translated = list(to_ocpp201(lines, protocol=protocol))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assert _views(_fleet(translated)) == _views(_fleet(lines))
    assert _minutes(translated) == _minutes(lines)


@given(station_logs(protocols=st.sampled_from(["ocpp1.6", "ocpp2.0.1", "ocpp2.1"])))
def test_a_mixed_log_folds_alike_by_steps_and_in_place(log: str) -> None:
    lines = log.splitlines()
    consumed = _fleet(lines)
    fed = Fleet()

    for item in read_log(lines):
        assert not isinstance(item, BadLine)
        fed.feed(item.station, item.item, at=item.received)
    assert fed.states == consumed.states
    assert fed.views() == consumed.views()
