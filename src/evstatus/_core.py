"""The one derivation behind every protocol: from states and flags to a view.

A station, whatever protocol it speaks, comes down to the same facts: the
state of its main controller (OCPP 1.6's connector 0, OCPP 2.0.1's own
AvailabilityState), the OCPP 1.6 state each connector holds or stands for,
keyed by any id (an int in 1.6, ``(evse_id, connector_id)`` in 2.0.1), and
the platform's :class:`Flags`. :func:`derive` turns those into a
:class:`StationView` by the tables of :mod:`evstatus.rules`; the protocol
modules only read their reports into these facts.

Everything here is pure; the caches hold answers of the rule tables, which
depend on nothing else.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Hashable, Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Final, Generic, TypeVar, cast

import attrs

from . import _ocpp16
from ._enums import (
    ChargePointStatus,
    ConnectorState,
    ConnectorStatus,
    EvseStatus,
    StationStatus,
)
from ._errors import check_bool, wrong_type, wrong_value
from ._frozen import FrozenMap
from .rules import (
    CONNECTOR_STATUS_BY_OCPP16,
    FLAGGED_CONNECTOR_STATUS,
    MAIN_CONTROLLER_OVERRIDES,
    OCPI_BLOCKED,
    OCPI_FLAG_RULES,
    OCPI_MAIN_CONTROLLER_OVERRIDES,
    OCPI_STATUS_BY_OCPP16,
    OCPP16_STATUS_BY_OCPP201,
    STATION_RULES,
    OcpiFacts,
    Reason,
    StationFacts,
)

if TYPE_CHECKING:
    from . import _ocpp2

__all__ = [
    "Flags",
    "StationView",
    "connector_status",
    "derive",
    "flags",
    "latest",
    "main_state",
    "ocpi_facts",
    "ocpi_status",
    "ocpp16_state",
    "supersedes",
]

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", "_ocpp16.ConnectorReport", "_ocpp2.ConnectorReport")


# The hash is kept: every derivation looks its decision up by the flags.
@attrs.frozen(cache_hash=True)
class Flags:
    """What the operator's platform knows about a station, checked once.

    Each must be exactly ``True`` or ``False``; anything else raises
    :class:`TypeError` naming the flag.
    """

    online: bool = True
    """Whether the station is connected (and, with heartbeats, heard lately)."""
    enabled: bool = True
    """Whether an operator has the station switched on, on the platform."""
    removed: bool = False
    """Whether the station was taken off the platform for good."""

    def __attrs_post_init__(self) -> None:
        check_bool("online", self.online)
        check_bool("enabled", self.enabled)
        check_bool("removed", self.removed)

    @property
    def in_service(self) -> bool:
        """Whether no flag takes the station out: online, enabled, not removed."""
        return self.online and self.enabled and not self.removed


IN_SERVICE: Final = Flags()
_ALL_FLAGS: Final = {
    (online, enabled, removed): Flags(online=online, enabled=enabled, removed=removed)
    for online in (True, False)
    for enabled in (True, False)
    for removed in (True, False)
}


def flags(online: object, enabled: object, removed: object) -> Flags:
    """Return the :class:`Flags` of three flags, checked, without building one.

    There are only eight; every call of a derivation needs one, and building
    (and checking) a new one would cost as much as the derivation itself.
    """
    if type(online) is bool and type(enabled) is bool and type(removed) is bool:
        return _ALL_FLAGS[online, enabled, removed]
    return Flags(online=online, enabled=enabled, removed=removed)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class StationView(Generic[K]):
    """A station's status, the rule that decided it, and what each connector shows.

    ``K`` is how the protocol names a connector: an ``int`` in OCPP 1.6, an
    ``(evse_id, connector_id)`` pair in OCPP 2.0.1 / 2.1. Every mapping is
    read-only and in connector order.
    """

    status: StationStatus
    """The whole station's status."""
    reason: Reason
    """Which rule of :data:`evstatus.rules.STATION_RULES` decided ``status``."""
    connectors: Mapping[K, ConnectorStatus]
    """Each connector that has reported -> the status it shows a driver."""
    states: Mapping[K, ChargePointStatus]
    """Each connector -> the OCPP 1.6 state it holds (for OCPP 2.0.1, the state
    its status stands for)."""
    main: ChargePointStatus | None = None
    """The main controller's state, if it reported one."""
    flags: Flags = IN_SERVICE
    """The platform's flags the view was derived with."""

    def ocpi_statuses(
        self, *, planned: bool = False, blocked: Collection[K] = ()
    ) -> Mapping[K, EvseStatus]:
        """Return each connector's OCPI 2.2.1 EVSE status, from this view's facts.

        The flags, the main controller and each connector's state are the
        ones the station status was derived from, so the two never disagree.
        *planned* marks the whole station as not yet in service; *blocked*
        names connectors whose bay is blocked (see
        :data:`~evstatus.rules.OCPI_BLOCKED`).
        """
        facts = ocpi_facts(self.flags, planned=planned)
        return FrozenMap(
            {
                key: ocpi_status(
                    OCPI_STATUS_BY_OCPP16[state],
                    self.main,
                    facts,
                    blocked=key in blocked,
                )
                for key, state in self.states.items()
            }
        )


def derive(
    states: Mapping[K, ChargePointStatus],
    main: ChargePointStatus | None,
    flags: Flags,
) -> StationView[K]:
    """Derive the view of a station whose connectors hold *states*."""
    status, reason = decide(flags, main, frozenset(states.values()))
    shown = shown_statuses(flags.in_service, main)
    ordered = sorted(states.items())
    return StationView(
        status=status,
        reason=reason,
        connectors=FrozenMap({key: shown[state] for key, state in ordered}),
        states=FrozenMap(ordered),
        main=main,
        flags=flags,
    )


@cache
def decide(
    flags: Flags, main: ChargePointStatus | None, states: frozenset[ChargePointStatus]
) -> tuple[StationStatus, Reason]:
    """Return the status and reason the first applying station rule gives."""
    # The space of distinct inputs is small (8 x 4 x 512), so each is worked
    # out from the rule table once and remembered.
    facts = StationFacts(flags.removed, flags.enabled, flags.online, main, states)
    for rule in STATION_RULES:
        if rule.applies(facts):
            return rule.status, rule.reason
    raise AssertionError("the last rule always applies")  # pragma: no cover


@cache
def shown_statuses(
    in_service: bool, main: ChargePointStatus | None
) -> Mapping[ChargePointStatus, ConnectorStatus]:
    """Return what each OCPP state shows a driver, given the flags and connector 0."""
    if not in_service:
        return FrozenMap(dict.fromkeys(ChargePointStatus, FLAGGED_CONNECTOR_STATUS))
    override = None if main is None else MAIN_CONTROLLER_OVERRIDES.get(main)
    if override is None:
        return CONNECTOR_STATUS_BY_OCPP16
    return FrozenMap(
        {own: override[shown] for own, shown in CONNECTOR_STATUS_BY_OCPP16.items()}
    )


def ocpi_facts(flags: Flags, *, planned: object) -> OcpiFacts:
    return OcpiFacts(
        removed=flags.removed,
        planned=check_bool("planned", planned),
        enabled=flags.enabled,
        online=flags.online,
    )


def ocpi_status(
    own: EvseStatus | None,
    main: ChargePointStatus | None,
    facts: OcpiFacts,
    *,
    blocked: bool,
) -> EvseStatus:
    """Return the OCPI status of one EVSE, by the OCPI tables of the rules."""
    for rule in OCPI_FLAG_RULES:
        if rule.applies(facts):
            return rule.status
    status = EvseStatus.UNKNOWN if own is None else own
    override = None if main is None else OCPI_MAIN_CONTROLLER_OVERRIDES.get(main)
    if override is not None:
        status = override[status]
    if blocked:
        return OCPI_BLOCKED.get(status, status)
    return status


# --- reading the protocols' reports and states ----------------------------------

_STATE_EXPECTED: Final = (
    "an OCPP 1.6 or 2.0.1 ConnectorReport, or a ChargePointStatus or "
    "ConnectorState member"
)
_MAIN_STATES: Final = frozenset(
    {
        ChargePointStatus.AVAILABLE,
        ChargePointStatus.UNAVAILABLE,
        ChargePointStatus.FAULTED,
    }
)


def ocpp16_state(value: object, name: str) -> ChargePointStatus:
    """Read a report or a state of either protocol as the OCPP 1.6 state.

    An OCPP 2.0.1 Occupied, with no charging state to refine it, reads as
    Preparing: in use, not known to be charging.
    """
    if isinstance(value, _ocpp16.ConnectorReport):
        return value.status
    if isinstance(value, ChargePointStatus):
        return value
    # The OCPP 2.0.1 report class is imported only by the modules that use
    # it, to keep `import evstatus` light; while it is not imported, no value
    # can be one.
    ocpp201 = sys.modules.get("evstatus._ocpp2")
    if ocpp201 is not None and isinstance(value, ocpp201.ConnectorReport):
        return OCPP16_STATUS_BY_OCPP201[
            cast("_ocpp2.ConnectorReport", value).status, None
        ]
    if isinstance(value, ConnectorState):
        return OCPP16_STATUS_BY_OCPP201[value, None]
    raise wrong_type(name, value, _STATE_EXPECTED)


def main_state(value: object, name: str) -> ChargePointStatus | None:
    """Read the main controller's state, given in either protocol, or None."""
    if value is None:
        return None
    state = ocpp16_state(value, name)
    if state not in _MAIN_STATES:
        raise wrong_value(
            name,
            value,
            "None, or a main controller's Available, Unavailable or Faulted",
        )
    return state


def connector_status(
    report_or_status: _ocpp16.ConnectorReport
    | ChargePointStatus
    | _ocpp2.ConnectorReport
    | ConnectorState,
    *,
    online: bool = True,
    enabled: bool = True,
    removed: bool = False,
) -> ConnectorStatus:
    """Return what a driver is told about one connector.

    Removed, not enabled or offline make it Unavailable; otherwise its OCPP
    state decides, by :data:`evstatus.rules.CONNECTOR_STATUS_BY_OCPP16` (for
    OCPP 2.0.1 / 2.1, :data:`evstatus.rules.CONNECTOR_STATUS_BY_OCPP201` says
    the same). A report or state of either protocol is taken.

    >>> from evstatus import ChargePointStatus, connector_status
    >>> connector_status(ChargePointStatus.SUSPENDED_EV)
    <ConnectorStatus.OCCUPIED: 'Occupied'>
    >>> connector_status(ChargePointStatus.AVAILABLE, online=False)
    <ConnectorStatus.UNAVAILABLE: 'Unavailable'>
    """
    checked = flags(online, enabled, removed)
    state = ocpp16_state(report_or_status, "report_or_status")
    return shown_statuses(checked.in_service, None)[state]


# --- the latest-report rule -------------------------------------------------------


def supersedes(
    new: _ocpp16.ConnectorReport | _ocpp2.ConnectorReport,
    old: _ocpp16.ConnectorReport | _ocpp2.ConnectorReport,
) -> bool:
    """Whether *new*, received after *old* for the same connector, replaces it.

    It does, unless both carry timestamps and *new*'s is strictly older: then
    it is a late delivery and *old* stays. Timestamps are held in UTC, so the
    comparison is between instants, never wall clocks.

    >>> from datetime import datetime, UTC
    >>> from evstatus import ChargePointStatus as S, ConnectorReport
    >>> from evstatus.ocpp16 import supersedes
    >>> def at(hour):
    ...     return datetime(2026, 6, 1, hour, tzinfo=UTC)
    >>> early = ConnectorReport(connector_id=1, status=S.CHARGING, timestamp=at(9))
    >>> late = ConnectorReport(connector_id=1, status=S.FINISHING, timestamp=at(8))
    >>> supersedes(late, early)
    False
    """
    new_time = new.timestamp
    old_time = old.timestamp
    return new_time is None or old_time is None or new_time >= old_time


def latest(
    reports: Iterable[R],
    kind: type[R],
    key: str,
) -> dict[Hashable, R]:
    """Return the report that counts per connector (by attribute *key*) of a log."""
    try:
        iterator = iter(reports)
    except TypeError:
        raise wrong_type(
            "reports", reports, f"an iterable of {_protocol(kind)} ConnectorReport"
        ) from None
    found: dict[Hashable, R] = {}
    expected = f"an {_protocol(kind)} ConnectorReport (parse payloads with from_ocpp)"
    for index, report in enumerate(iterator):
        if type(report) is not kind and not isinstance(report, kind):
            raise wrong_type(f"reports[{index}]", report, expected)
        connector = getattr(report, key)
        previous = found.get(connector)
        if previous is None or supersedes(report, previous):
            found[connector] = report
    return found


def _protocol(kind: type[_ocpp16.ConnectorReport | _ocpp2.ConnectorReport]) -> str:
    return "OCPP 1.6" if kind is _ocpp16.ConnectorReport else "OCPP 2.0.1 / 2.1"
