"""The cost of one report to a station's state: 1 connector against 10,000.

A station state holds its reports in a persistent map, so taking a report
copies one path of it, never the whole: the cost per report should not grow
with the number of connectors. Both sizes are timed in one run, in
alternation; the figure is the ratio between them. For scale, the same steps
are also timed with the reports copied into a new dict per report (what the
state did before), at both sizes.

    python benchmarks/bench_state.py          # the full run
    python benchmarks/bench_state.py --quick  # a smoke run
"""

from __future__ import annotations

from collections.abc import Callable

from _timing import best_microseconds_each, parse_args
from evstatus import ChargePointStatus as S
from evstatus import ConnectorReport, PlatformEvent, StationState

SIZES = (1, 10_000)
STEPS = 200


def station(connectors: int) -> StationState:
    return (
        StationState(
            reports={
                i: ConnectorReport(connector_id=i, status=S.AVAILABLE)
                for i in range(1, connectors + 1)
            }
        )
        .step(PlatformEvent.CONNECTED)
        .state
    )


def reports(connectors: int) -> list[ConnectorReport]:
    # Spread over the station's connectors, each report a defined transition
    # of its connector (Available <-> Preparing): no anomaly on either size.
    visits: dict[int, int] = {}
    made: list[ConnectorReport] = []
    for i in range(STEPS):
        cid = 1 + (i * 7919) % connectors
        visits[cid] = visits.get(cid, 0) + 1
        status = S.PREPARING if visits[cid] % 2 else S.AVAILABLE
        made.append(ConnectorReport(connector_id=cid, status=status))
    return made


def stepping(connectors: int) -> Callable[[], object]:
    start = station(connectors)
    items = reports(connectors)

    def run() -> object:
        state = start
        for item in items:
            state = state.step(item).state
        return state

    return run


def copying(connectors: int) -> Callable[[], object]:
    # The old way: a new dict of every report, per report.
    start = dict(station(connectors).reports)
    items = reports(connectors)

    def run() -> object:
        held = start
        for item in items:
            held = dict(held)
            held[item.connector_id] = item
        return held

    return run


def main() -> None:
    args = parse_args(__doc__ or "")
    functions = [stepping(n) for n in SIZES] + [copying(n) for n in SIZES]
    for size in SIZES:
        final = stepping(size)()
        assert isinstance(final, StationState)
        assert not final.anomaly_counts
    number = 2 if args.quick else 20
    small, large, copy_small, copy_large = (
        seconds / STEPS
        for seconds in best_microseconds_each(
            *functions, number=number, rounds=3 if args.quick else 7
        )
    )
    print(f"step, {SIZES[0]:>6,} connector:   {small:8.2f} µs per report")
    print(f"step, {SIZES[1]:>6,} connectors:  {large:8.2f} µs per report")
    print(f"ratio 10,000 : 1                  {large / small:8.2f}x")
    print(f"copying a dict, 1 connector:      {copy_small:8.2f} µs per report")
    print(f"copying a dict, 10,000:           {copy_large:8.2f} µs per report")
    print(f"ratio 10,000 : 1 when copying     {copy_large / copy_small:8.1f}x")


if __name__ == "__main__":
    main()
