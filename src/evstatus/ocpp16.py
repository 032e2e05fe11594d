"""OCPP 1.6: StatusNotification reports, and a station's status from them.

A charge point reports one connector at a time; connector 0 is its main
controller. Parse each payload with :meth:`~evstatus.ocpp16.ConnectorReport.from_ocpp`,
then derive the station's status from its log of reports with
:func:`derive_station`. The rule tables behind it, and the 1.6 connector
state machine, are in :mod:`evstatus.rules`.

>>> from evstatus.ocpp16 import ConnectorReport, derive_station
>>> log = [
...     {"connectorId": 0, "errorCode": "NoError", "status": "Available"},
...     {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
... ]
>>> derive_station(ConnectorReport.from_ocpp(p) for p in log).status
<StationStatus.CHARGING: 'Charging'>
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from ._core import (
    StationView,
    connector_status,
    decide,
    derive,
    flags,
    latest,
    supersedes,
)
from ._enums import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    StationStatus,
)
from ._ocpp16 import ConnectorReport, StatusNotificationPayload
from .rules import Transition, classify_transition

if TYPE_CHECKING:
    from ._lenient import Parsed, Repair, RepairKind

__all__ = [
    "CONNECTOR_ZERO_STATUSES",
    "ChargePointErrorCode",
    "ChargePointStatus",
    "ConnectorReport",
    "Parsed",
    "Repair",
    "RepairKind",
    "StationView",
    "StatusNotificationPayload",
    "Transition",
    "classify_transition",
    "connector_status",
    "derive_station",
    "latest_reports",
    "parse_lenient",
    "station_status",
    "supersedes",
]


def latest_reports(reports: Iterable[ConnectorReport]) -> dict[int, ConnectorReport]:
    """Return the report that counts for each connector id, from a log in order.

    A later report replaces an earlier one, unless both carry timestamps and
    the later one's is strictly older (see :func:`~evstatus.ocpp16.supersedes`). Raises
    :class:`TypeError` if *reports* is not an iterable of
    :class:`ConnectorReport`.
    """
    return cast(
        "dict[int, ConnectorReport]", latest(reports, ConnectorReport, "connector_id")
    )


def derive_station(
    reports: Iterable[ConnectorReport],
    *,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationView[int]:
    """Derive a station's status, the reason, and each connector's status.

    *reports* is the station's log of reports in the order received, any
    number per connector; :func:`~evstatus.ocpp16.latest_reports` picks the one that
    counts. The flags come from the operator's platform.
    """
    checked = flags(online, enabled, removed)
    main, states = _facts(reports)
    return derive(states, main, checked)


def station_status(
    reports: Iterable[ConnectorReport],
    *,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> StationStatus:
    """Return ``derive_station(...).status``, without building the view."""
    checked = flags(online, enabled, removed)
    found = latest_reports(reports)
    main = found.pop(0, None)
    states = frozenset([report.status for report in found.values()])
    return decide(checked, None if main is None else main.status, states)[0]


def _facts(
    reports: Iterable[ConnectorReport],
) -> tuple[ChargePointStatus | None, dict[int, ChargePointStatus]]:
    found = latest_reports(reports)
    main = found.pop(0, None)
    states = {key: report.status for key, report in found.items()}
    return (None if main is None else main.status), states


def parse_lenient(payload: object) -> Parsed[ConnectorReport]:
    """Parse a StatusNotification payload, repairing what real chargers get wrong.

    A payload the strict :meth:`~evstatus.ocpp16.ConnectorReport.from_ocpp`
    accepts comes back as that report with no repairs. Otherwise each
    deviation that has one safe reading (see the docs' "Real chargers" page)
    is repaired and recorded as a :class:`~evstatus.ocpp201.Repair`; what
    cannot be repaired still raises
    :class:`~evstatus.InvalidReport`.
    """
    # Loaded on first use: most services parse strictly, and the lenient
    # reader is the largest module of the parsers.
    from ._lenient import parse_lenient_ocpp16  # noqa: PLC0415

    return parse_lenient_ocpp16(payload)


if not TYPE_CHECKING:  # pragma: no branch  (always true at run time)

    def __getattr__(name: str) -> object:
        # The lenient reader's types, loaded with it on first use.
        if name in {"Parsed", "Repair", "RepairKind"}:
            from . import _lenient  # noqa: PLC0415

            return getattr(_lenient, name)
        raise AttributeError(f"module 'evstatus.ocpp16' has no attribute {name!r}")
