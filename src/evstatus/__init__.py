"""evstatus: from OCPP StatusNotification reports to statuses people can act on.

The names most code needs are here. The rest lives in domain modules:

- :mod:`evstatus.ocpp16`: OCPP 1.6 reports and a station's status from them;
- :mod:`evstatus.ocpp201`: the same for OCPP 2.0.1 and 2.1;
- :mod:`evstatus.ocpi`: OCPI 2.2.1 EVSE status;
- :mod:`evstatus.history`: a station's state over time, anomalies, online;
- :mod:`evstatus.log`: many stations at once, and the JSON Lines log;
- :mod:`evstatus.rules`: every decision table;
- :mod:`evstatus.exceptions`: what evstatus raises.

Modules whose names start with an underscore are private and may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._core import StationView, connector_status
from ._enums import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorStatus,
    StationStatus,
)
from .exceptions import EvstatusError, InvalidReport
from .ocpp16 import ConnectorReport, derive_station, station_status
from .rules import Reason

if TYPE_CHECKING:
    from .history import Anomaly, AnomalyKind, PlatformEvent, StationState, Step
    from .log import Fleet

# Read by the build backend too: the one place the version is written.
__version__ = "0.1.0.dev0"

__all__ = [
    "CONNECTOR_ZERO_STATUSES",
    "Anomaly",
    "AnomalyKind",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "ConnectorReport",
    "ConnectorStatus",
    "EvstatusError",
    "Fleet",
    "InvalidReport",
    "PlatformEvent",
    "Reason",
    "StationState",
    "StationStatus",
    "StationView",
    "Step",
    "__version__",
    "connector_status",
    "derive_station",
    "station_status",
]

#: Names whose modules load on first use: a service that only parses reports
#: and derives statuses does not pay for the history and the fleet fold when
#: it imports evstatus (PEP 562).
_LAZY = {
    "Anomaly": "history",
    "AnomalyKind": "history",
    "PlatformEvent": "history",
    "StationState": "history",
    "Step": "history",
    "Fleet": "log",
}

if not TYPE_CHECKING:  # pragma: no branch  (always true at run time)
    # Hidden from type checkers, which would otherwise take any attribute of
    # the package as valid; they see the imports above instead.

    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'evstatus' has no attribute {name!r}")
        value = getattr(importlib.import_module(f"evstatus.{module}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
