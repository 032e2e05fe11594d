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

__version__: str = _version("evstatus")

__all__ = [
    "CONNECTOR_STATUS_BY_OCPP",
    "CONNECTOR_ZERO_STATUSES",
    "MAIN_CONTROLLER_OVERRIDES",
    "STATION_RULES",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "ConnectorReport",
    "ConnectorStatus",
    "InvalidReport",
    "Problem",
    "Reason",
    "StationFacts",
    "StationRule",
    "StationStatus",
    "StationView",
    "StatusNotificationPayload",
    "__version__",
    "connector_status",
    "derive_station",
    "latest_reports",
    "station_status",
    "supersedes",
]
