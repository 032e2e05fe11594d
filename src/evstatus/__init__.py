"""evstatus: from OCPP StatusNotification reports to statuses people can act on.

Everything public is importable from here; the underscore modules behind it
are private and may move.
"""

from __future__ import annotations

from importlib.metadata import version as _version

from ._enums import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorStatus,
    StationStatus,
)
from ._errors import InvalidReport, Problem
from ._history import (
    KEPT_ANOMALIES,
    Anomaly,
    AnomalyKind,
    PlatformEvent,
    StationState,
)
from ._online import DEFAULT_HEARTBEAT_TOLERANCE, is_online
from ._report import ConnectorReport, StatusNotificationPayload
from ._rules import (
    CONNECTOR_STATUS_BY_OCPP,
    MAIN_CONTROLLER_OVERRIDES,
    STATION_RULES,
    Reason,
    StationFacts,
    StationRule,
)
from ._station import (
    StationView,
    connector_status,
    derive_station,
    latest_reports,
    station_status,
    supersedes,
)
from ._transitions import (
    CONNECTOR_ZERO_TRANSITIONS,
    STATE_LETTERS,
    TRANSITIONS,
    Transition,
    classify_transition,
)

__version__: str = _version("evstatus")

__all__ = [
    "CONNECTOR_STATUS_BY_OCPP",
    "CONNECTOR_ZERO_STATUSES",
    "CONNECTOR_ZERO_TRANSITIONS",
    "DEFAULT_HEARTBEAT_TOLERANCE",
    "KEPT_ANOMALIES",
    "MAIN_CONTROLLER_OVERRIDES",
    "STATE_LETTERS",
    "STATION_RULES",
    "TRANSITIONS",
    "Anomaly",
    "AnomalyKind",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "ConnectorReport",
    "ConnectorStatus",
    "InvalidReport",
    "PlatformEvent",
    "Problem",
    "Reason",
    "StationFacts",
    "StationRule",
    "StationState",
    "StationStatus",
    "StationView",
    "StatusNotificationPayload",
    "Transition",
    "__version__",
    "classify_transition",
    "connector_status",
    "derive_station",
    "is_online",
    "latest_reports",
    "station_status",
    "supersedes",
]
