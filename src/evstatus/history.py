"""A station's history: its state, stepped through its reports and platform events.

:class:`StationState` is immutable. :meth:`~evstatus.history.StationState.step` takes
one report, StatusNotification payload or :class:`PlatformEvent` and returns a
:class:`Step`: the new state together with what happened (the transition made,
the :class:`Anomaly` seen, whether the station's view changed);
:meth:`~evstatus.history.StationState.fold` takes many at once. A report costs
the same whatever the number of connectors the station has: the reports are
held in a persistent mapping that shares all but one path with the state
before.

The latest-report rule is the one :func:`evstatus.ocpp16.supersedes` states.
"""

from __future__ import annotations

from ._fold import Port, StationState, Step
from ._station import (
    DEFAULT_CLOCK_RULES,
    DEFAULT_HEARTBEAT_TOLERANCE,
    KEPT_ANOMALIES,
    ZERO_TIME,
    Anomaly,
    AnomalyKind,
    ClockRules,
    PlatformEvent,
    is_online,
)

__all__ = [
    "DEFAULT_CLOCK_RULES",
    "DEFAULT_HEARTBEAT_TOLERANCE",
    "KEPT_ANOMALIES",
    "ZERO_TIME",
    "Anomaly",
    "AnomalyKind",
    "ClockRules",
    "PlatformEvent",
    "Port",
    "StationState",
    "Step",
    "is_online",
]
