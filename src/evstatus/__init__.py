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
from ._interop import ocpi_evse_status, to_ocpp2, to_ocpp16
from ._mappings import (
    CONNECTOR_STATUS_BY_OCPP2,
    OCPI_FLAG_STATUSES,
    OCPI_MAIN_CONTROLLER_OVERRIDES,
    OCPI_STATUS_BY_OCPP2,
    OCPI_STATUS_BY_OCPP16,
    OCPP2_STATUS_BY_OCPP16,
    OCPP16_STATUS_BY_OCPP2,
)
from ._ocpi import OcpiEvseStatus
from ._ocpp2 import (
    ChargingState,
    Ocpp2ConnectorReport,
    Ocpp2ConnectorStatus,
    Ocpp2StatusNotificationPayload,
)
from ._ocpp2_station import (
    Ocpp2StationView,
    derive_ocpp2_station,
    latest_ocpp2_reports,
    ocpp2_station_status,
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
    "CONNECTOR_STATUS_BY_OCPP2",
    "CONNECTOR_ZERO_STATUSES",
    "CONNECTOR_ZERO_TRANSITIONS",
    "DEFAULT_HEARTBEAT_TOLERANCE",
    "KEPT_ANOMALIES",
    "MAIN_CONTROLLER_OVERRIDES",
    "OCPI_FLAG_STATUSES",
    "OCPI_MAIN_CONTROLLER_OVERRIDES",
    "OCPI_STATUS_BY_OCPP2",
    "OCPI_STATUS_BY_OCPP16",
    "OCPP2_STATUS_BY_OCPP16",
    "OCPP16_STATUS_BY_OCPP2",
    "STATE_LETTERS",
    "STATION_RULES",
    "TRANSITIONS",
    "Anomaly",
    "AnomalyKind",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "ChargingState",
    "ConnectorReport",
    "ConnectorStatus",
    "InvalidReport",
    "OcpiEvseStatus",
    "Ocpp2ConnectorReport",
    "Ocpp2ConnectorStatus",
    "Ocpp2StationView",
    "Ocpp2StatusNotificationPayload",
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
    "derive_ocpp2_station",
    "derive_station",
    "is_online",
    "latest_ocpp2_reports",
    "latest_reports",
    "ocpi_evse_status",
    "ocpp2_station_status",
    "station_status",
    "supersedes",
    "to_ocpp2",
    "to_ocpp16",
]
