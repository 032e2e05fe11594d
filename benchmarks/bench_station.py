"""station_status against a minimal hand-written version of the same rules.

The baseline does the same job with nothing to spare: it picks the latest report
per connector with the same late-delivery rule, then walks the eleven station
rules as an if-chain. Both run, in alternation in one run, over the same set:
all 81 two-connector stations, one per ordered pair of the nine OCPP 1.6 states.

    python benchmarks/bench_station.py          # the full run
    python benchmarks/bench_station.py --quick  # a smoke run
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from _timing import best_microseconds_each, parse_args
from evstatus import (
    ChargePointStatus as S,
)
from evstatus import (
    ConnectorReport,
    StationStatus,
    station_status,
)

_CHARGING = (S.CHARGING, S.SUSPENDED_EV, S.SUSPENDED_EVSE)
_BROKEN = (S.FAULTED, S.UNAVAILABLE)


def hand_written(
    reports: list[ConnectorReport],
    *,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationStatus:
    latest: dict[int, ConnectorReport] = {}
    for report in reports:
        old = latest.get(report.connector_id)
        if (
            old is None
            or old.timestamp is None
            or report.timestamp is None
            or report.timestamp >= old.timestamp
        ):
            latest[report.connector_id] = report
    if removed:
        return StationStatus.REMOVED
    if not enabled:
        return StationStatus.INOPERATIVE
    if not online:
        return StationStatus.OFFLINE
    main = latest.pop(0, None)
    if main is not None and main.status is S.FAULTED:
        return StationStatus.OUT_OF_ORDER
    if main is not None and main.status is S.UNAVAILABLE:
        return StationStatus.UNAVAILABLE
    states = [report.status for report in latest.values()]
    if not states:
        return StationStatus.UNKNOWN
    if S.AVAILABLE in states:
        return StationStatus.AVAILABLE
    if all(state in _CHARGING for state in states):
        return StationStatus.CHARGING
    if all(state in _BROKEN for state in states) and S.FAULTED in states:
        return StationStatus.OUT_OF_ORDER
    if all(state is S.RESERVED for state in states):
        return StationStatus.RESERVED
    return StationStatus.UNAVAILABLE


def stations() -> list[list[ConnectorReport]]:
    """Two-connector stations: every pair of states, timestamped, as a log holds them."""
    start = datetime(2026, 11, 22, 10, tzinfo=UTC)
    return [
        [
            ConnectorReport(connector_id=1, status=first, timestamp=start),
            ConnectorReport(
                connector_id=2, status=second, timestamp=start + timedelta(seconds=1)
            ),
        ]
        for first in S
        for second in S
    ]


def main() -> None:
    args = parse_args(__doc__ or "")
    logs = stations()
    assert len(logs) == len(S) ** 2 == 81
    for log in logs:
        assert station_status(log) is hand_written(log)

    def run_ours() -> None:
        for log in logs:
            station_status(log)

    def run_baseline() -> None:
        for log in logs:
            hand_written(log)

    number = 20 if args.quick else 500
    ours, baseline = (
        per_run / len(logs)
        for per_run in best_microseconds_each(run_ours, run_baseline, number=number)
    )
    print(f"hand-written  {baseline:6.2f} µs per station")
    print(f"station_status{ours:6.2f} µs per station")
    print(f"cost ratio    {ours / baseline:6.2f}×  (goal: ≤ 1.5×)")


if __name__ == "__main__":
    main()
