"""What is said of a station over time: its events, its anomalies, its clock, online.

The vocabulary of :mod:`evstatus.history`, which re-exports every public name
here; the rules that fold a station's stream are in :mod:`evstatus._fold`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final

import attrs

from ._enums import ChargePointStatus, ConnectorState, DescribedEnum, describe
from ._errors import optional_utc, to_utc, wrong_type, wrong_value
from ._frozen import FrozenMap
from ._timestamps import ZERO_TIME, format_timestamp

__all__ = [
    "DEFAULT_CLOCK_RULES",
    "DEFAULT_HEARTBEAT_TOLERANCE",
    "KEPT_ANOMALIES",
    "ZERO_TIME",
    "Anomaly",
    "AnomalyKind",
    "ClockRules",
    "PlatformEvent",
    "check_heartbeat",
    "check_tolerance",
    "is_online",
]

KEPT_ANOMALIES: Final = 20
"""How many of its most recent anomalies a :class:`StationState` keeps in full.

Older ones are still counted in ``anomaly_counts``; keeping them all would let a
misbehaving station grow the state without bound.
"""

DEFAULT_HEARTBEAT_TOLERANCE: Final = 2.0
"""How many heartbeat intervals of silence a station is allowed before it is offline.

The default *tolerance* of :func:`~evstatus.history.is_online` and
:meth:`~evstatus.history.StationState.online`. Two intervals means one
heartbeat may go missing or arrive late (a busy link, a reconnect, the
station's timer drifting) before the station is called offline, while a
station that has really gone quiet is noticed within two intervals. That is
the usual choice of central systems; one interval would flap on every slightly
late heartbeat, three or more would hide outages for long.
"""


@attrs.frozen
class ClockRules:
    """How far a station's clock may be from the platform's before it is not trusted.

    They apply where the receive time of a report is known (``at=``): a
    report is never ordered later than it was received (it cannot have been
    sent after), and beyond these bounds its own timestamp is judged wrong,
    the report is ordered by its receive time instead and the clock is
    recorded as an anomaly. Where no receive time is known the report's own
    timestamp decides, as for :func:`~evstatus.ocpp16.derive_station`.
    """

    ahead_tolerance: timedelta = timedelta(minutes=5)
    """How much later than its receive time a report may be stamped before the
    clock counts as ahead. Clocks of chargers that are not synchronised drift
    by seconds to minutes; such a report is ordered by its receive time all the
    same, only the anomaly waits for a real gap."""
    behind_window: timedelta = timedelta(days=7)
    """How much earlier than its receive time a report may be stamped and still
    be trusted. A week covers reports a charger queued through an ordinary
    outage (a long weekend without network); a clock reset to 1970 or 2000 by a
    power loss, or to the firmware's build date, is far beyond it."""

    def __attrs_post_init__(self) -> None:
        for name in ("ahead_tolerance", "behind_window"):
            value: object = getattr(self, name)
            if not isinstance(value, timedelta):
                raise wrong_type(name, value, "a timedelta >= 0")
            if value < timedelta(0):
                raise wrong_value(name, value, "a timedelta >= 0")


DEFAULT_CLOCK_RULES: Final = ClockRules()
"""The clock rules a state steps by unless told otherwise."""


class PlatformEvent(DescribedEnum):
    """Something the platform, not a connector report, tells about a station."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    HEARD = "heard"
    ENABLED = "enabled"
    DISABLED = "disabled"
    REMOVED = "removed"


describe(
    PlatformEvent,
    {
        PlatformEvent.CONNECTED: "The station opened its connection to the platform.",
        PlatformEvent.DISCONNECTED: "The station's connection closed or was lost.",
        PlatformEvent.HEARD: (
            "A heartbeat or any other message came in from the station."
        ),
        PlatformEvent.ENABLED: "An operator switched the station on, on the platform.",
        PlatformEvent.DISABLED: (
            "An operator switched the station off, on the platform."
        ),
        PlatformEvent.REMOVED: "The station was taken off the platform for good.",
    },
)


class AnomalyKind(DescribedEnum):
    """A way a station's stream of reports can go against what OCPP expects."""

    UNDEFINED_TRANSITION = "undefined_transition"
    LATE_DELIVERY = "late_delivery"
    DUPLICATE = "duplicate"
    CONNECTOR_ZERO_STATUS = "connector_zero_status"
    CLOCK_AHEAD = "clock_ahead"
    CLOCK_BEHIND = "clock_behind"
    CLOCK_UNSET = "clock_unset"

    @property
    def template(self) -> str:
        """How an anomaly of this kind is told in one line (see ``Anomaly.__str__``)."""
        return _ANOMALY_TEMPLATES[self]


describe(
    AnomalyKind,
    {
        AnomalyKind.UNDEFINED_TRANSITION: (
            "A change of state OCPP 1.6 does not define; the new state is kept."
        ),
        AnomalyKind.LATE_DELIVERY: (
            "A report older than the one already held; it is ignored."
        ),
        AnomalyKind.DUPLICATE: (
            "The very report already held, sent again; nothing changes."
        ),
        AnomalyKind.CONNECTOR_ZERO_STATUS: (
            "Connector 0 reported a state only other connectors may have; ignored."
        ),
        AnomalyKind.CLOCK_AHEAD: (
            "Stamped later than it was received; ordered by its receive time."
        ),
        AnomalyKind.CLOCK_BEHIND: (
            "Stamped implausibly long before it was received; ordered by its "
            "receive time."
        ),
        AnomalyKind.CLOCK_UNSET: (
            "Stamped with the zero time of a station without a clock; read as "
            "no timestamp."
        ),
    },
)

#: One line per kind, filled in with the anomaly's fields.
_ANOMALY_TEMPLATES: Final[Mapping[AnomalyKind, str]] = FrozenMap(
    {
        AnomalyKind.UNDEFINED_TRANSITION: "undefined transition {previous} -> {status}",
        AnomalyKind.LATE_DELIVERY: "late {status} report ignored (holding {previous})",
        AnomalyKind.DUPLICATE: "duplicate {status} report",
        AnomalyKind.CONNECTOR_ZERO_STATUS: (
            "status {status} is not allowed on connector 0; ignored "
            "(holding {previous})"
        ),
        AnomalyKind.CLOCK_AHEAD: (
            "{status} stamped {timestamp}, received {at}: the station's clock is "
            "ahead; ordered by the receive time"
        ),
        AnomalyKind.CLOCK_BEHIND: (
            "{status} stamped {timestamp}, received {at}: the station's clock is "
            "behind; ordered by the receive time"
        ),
        AnomalyKind.CLOCK_UNSET: (
            "{status} stamped with the zero time {timestamp}: read as no timestamp"
        ),
    }
)


@attrs.frozen(kw_only=True)
class Anomaly:
    """One anomaly seen while stepping through a station's stream."""

    kind: AnomalyKind
    connector_id: int
    """The connector: its id (0: the main controller), counted per EVSE
    in OCPP 2.0.1 / 2.1 (see ``evse_id``)."""
    status: ChargePointStatus | ConnectorState
    """The state the offending report gave (an OCPP 2.0.1 report's status
    for an OCPP 2.0.1 / 2.1 station)."""
    previous: ChargePointStatus | ConnectorState | None = None
    """The state the connector held before it, if any."""
    timestamp: datetime | None = None
    """The offending report's own timestamp, if it had one."""
    at: datetime | None = None
    """When the platform received the report, if known."""
    evse_id: int | None = None
    """For an OCPP 2.0.1 / 2.1 connector, its EVSE; None otherwise (an OCPP
    1.6 connector, or a main controller)."""

    def __str__(self) -> str:
        what = self.kind.template.format(
            status=self.status,
            previous="nothing" if self.previous is None else self.previous,
            timestamp="-"
            if self.timestamp is None
            else format_timestamp(self.timestamp),
            at="-" if self.at is None else format_timestamp(self.at),
        )
        if self.evse_id is None:
            return f"connector {self.connector_id}: {what}"
        return f"connector {self.evse_id}/{self.connector_id}: {what}"


def is_online(
    last_heard: datetime | None,
    now: datetime,
    *,
    heartbeat_interval: timedelta,
    tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
) -> bool:
    """Whether a station last heard from at *last_heard* is still online at *now*.

    It is while no more than ``tolerance * heartbeat_interval`` has passed
    since anything (a heartbeat or any other message) was heard from it. Never
    heard from (``None``) is offline. A *last_heard* later than *now* (clocks
    of two machines, or a log read out of order) counts as just heard. Both
    instants are compared in UTC, whatever zones they are given in.

    *tolerance* must be at least 1: below that a station sending every
    heartbeat on time would be called offline between two of them.

    >>> from datetime import datetime, timedelta, UTC
    >>> heard = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    >>> every = timedelta(minutes=5)
    >>> is_online(heard, heard + timedelta(minutes=9), heartbeat_interval=every)
    True
    >>> is_online(heard, heard + timedelta(minutes=11), heartbeat_interval=every)
    False
    """
    last = optional_utc("last_heard", last_heard)
    current = check_heartbeat(now, heartbeat_interval, tolerance)
    if last is None:
        return False
    try:
        allowed = heartbeat_interval * tolerance
    except OverflowError:
        # Longer than any datetime span: every gap is within it.
        return True
    return current - last <= allowed


def check_heartbeat(
    now: object, heartbeat_interval: object, tolerance: object
) -> datetime:
    current = to_utc("now", now)
    if not isinstance(heartbeat_interval, timedelta):
        raise wrong_type(
            "heartbeat_interval", heartbeat_interval, "a positive timedelta"
        )
    if heartbeat_interval <= timedelta(0):
        raise wrong_value(
            "heartbeat_interval", heartbeat_interval, "a positive timedelta"
        )
    check_tolerance(tolerance)
    return current


def check_tolerance(tolerance: object) -> float:
    """Return *tolerance* if it is a heartbeat tolerance; raise saying why not."""
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool):
        raise wrong_type("tolerance", tolerance, "a finite number >= 1")
    if not math.isfinite(tolerance) or tolerance < 1:
        raise wrong_value("tolerance", tolerance, "a finite number >= 1")
    return tolerance
