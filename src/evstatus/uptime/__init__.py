"""Per-port uptime: how long each charging port was up, and the outages in between.

The road from a log to a compliance figure has three steps:

1. :class:`evstatus.uptime.Timeline` folds a station log (the JSON Lines
   format of ``evstatus replay``) into gap-free status intervals per port,
   each an :class:`evstatus.uptime.Interval` ``[start, end)`` in UTC that says
   whether the port was up or in an outage, and why.
2. :func:`evstatus.uptime.uptime` measures each port over a period: the
   minutes counted, the outage minutes, the part of them excluded by
   caller-supplied :class:`evstatus.uptime.Exclusion` records under a
   :class:`evstatus.uptime.Regime`, and the outages one by one.
3. :func:`evstatus.uptime.nevi_quarter` and
   :func:`evstatus.uptime.interval_records` arrange those figures the way the
   NEVI quarterly submission and California's 15-minute reliability records
   want them.

Every figure is exact: minutes are ``fractions.Fraction`` computed from
microsecond-exact time differences, never rounded before the division.

>>> from datetime import datetime, UTC
>>> log = [
...     '{"station": "CP-1", "received": "2026-06-01T00:00:00Z", "event": "connected"}',
...     '{"station": "CP-1", "received": "2026-06-01T00:00:00Z", "payload": '
...     '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}}',
...     '{"station": "CP-1", "received": "2026-06-01T06:00:00Z", "payload": '
...     '{"connectorId": 1, "errorCode": "GroundFailure", "status": "Faulted"}}',
...     '{"station": "CP-1", "received": "2026-06-01T06:36:00Z", "payload": '
...     '{"connectorId": 1, "errorCode": "NoError", "status": "Available"}}',
...     '{"station": "CP-1", "received": "2026-06-02T00:00:00Z", "event": "heard"}',
... ]
>>> timeline = Timeline.from_lines(log)
>>> june_1, june_2 = datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
>>> day = uptime(timeline, june_1, june_2)
>>> port = day.ports[0]
>>> port.period_minutes, port.outage_minutes, float(port.uptime_percent)
(Fraction(1440, 1), Fraction(36, 1), 97.5)
"""

# In the order the API reference presents them (it follows the order of the
# imports): the regimes, what the log and the exclusions give, then what is
# measured from them. Hence not sorted.
# ruff: noqa: I001
from ._regimes import UP_STATES, REGIMES, OutageReason, Cause, Cap, Regime
from ._notice import Notice
from ._exclusions import Exclusion, read_exclusions, read_exclusion_line
from ._inventory import PortRecord, read_inventory
from ._timeline import Interval, Timeline, minutes
from ._measure import ExcludedPart, Segment, Outage, PortUptime, Uptime, uptime
from ._reports import (
    NeviQuarterPort,
    IntervalRecord,
    trailing_twelve_months,
    nevi_quarter,
    interval_records,
)
from ._evchart import (
    EVCHART_REASONS,
    EvChart,
    EvChartOutage,
    EvChartUptime,
    evchart_rows,
    write_evchart,
)
from ._html import render_report, outages_csv

__all__ = [
    "EVCHART_REASONS",
    "REGIMES",
    "UP_STATES",
    "Cap",
    "Cause",
    "EvChart",
    "EvChartOutage",
    "EvChartUptime",
    "ExcludedPart",
    "Exclusion",
    "Interval",
    "IntervalRecord",
    "NeviQuarterPort",
    "Notice",
    "Outage",
    "OutageReason",
    "PortRecord",
    "PortUptime",
    "Regime",
    "Segment",
    "Timeline",
    "Uptime",
    "evchart_rows",
    "interval_records",
    "minutes",
    "nevi_quarter",
    "outages_csv",
    "read_exclusion_line",
    "read_exclusions",
    "read_inventory",
    "render_report",
    "trailing_twelve_months",
    "uptime",
    "write_evchart",
]
