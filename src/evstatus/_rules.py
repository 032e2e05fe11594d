"""Every decision rule of the library, as data, in one place.

- :data:`CONNECTOR_STATUS_BY_OCPP`: OCPP 1.6 state -> simplified connector status.
- :data:`MAIN_CONTROLLER_OVERRIDES`: how connector 0's state masks the others.
- :data:`STATION_RULES`: the ordered station rules; the first that applies wins.

The functions in ``_station`` only look things up here; the docs tables and
``evstatus tables`` are printed from these same objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import attrs

from ._enums import ChargePointStatus, ConnectorStatus, StationStatus

__all__ = [
    "CONNECTOR_STATUS_BY_OCPP",
    "MAIN_CONTROLLER_OVERRIDES",
    "STATION_RULES",
    "Reason",
    "StationFacts",
    "StationRule",
]

_CPS = ChargePointStatus

CONNECTOR_STATUS_BY_OCPP: Final[Mapping[ChargePointStatus, ConnectorStatus]] = (
    MappingProxyType(
        {
            _CPS.AVAILABLE: ConnectorStatus.AVAILABLE,
            _CPS.PREPARING: ConnectorStatus.OCCUPIED,
            _CPS.CHARGING: ConnectorStatus.OCCUPIED,
            _CPS.SUSPENDED_EV: ConnectorStatus.OCCUPIED,
            _CPS.SUSPENDED_EVSE: ConnectorStatus.OCCUPIED,
            _CPS.FINISHING: ConnectorStatus.OCCUPIED,
            # Nobody is plugged in, yet a new driver cannot use it.
            _CPS.RESERVED: ConnectorStatus.UNAVAILABLE,
            _CPS.UNAVAILABLE: ConnectorStatus.UNAVAILABLE,
            _CPS.FAULTED: ConnectorStatus.FAULTED,
        }
    )
)
"""OCPP 1.6 state of a connector -> what a driver is told about it."""

#: The connector status every connector shows when a flag takes the station out:
#: removed, not enabled or offline. Connector 0 does not mask this (see
#: docs/decisions.md): the flags dominate everything.
FLAGGED_CONNECTOR_STATUS: Final = ConnectorStatus.UNAVAILABLE

MAIN_CONTROLLER_OVERRIDES: Final[
    Mapping[ChargePointStatus, Mapping[ConnectorStatus, ConnectorStatus]]
] = MappingProxyType(
    {
        # A faulted main controller breaks every connector.
        _CPS.FAULTED: MappingProxyType(
            dict.fromkeys(ConnectorStatus, ConnectorStatus.FAULTED)
        ),
        # An unavailable one switches off every connector, but a connector's
        # own fault stays visible: support staff need to see it.
        _CPS.UNAVAILABLE: MappingProxyType(
            {
                own: own
                if own is ConnectorStatus.FAULTED
                else ConnectorStatus.UNAVAILABLE
                for own in ConnectorStatus
            }
        ),
    }
)
"""Connector 0's state -> (a connector's own status -> the status it shows).

Connector 0 Available, or no report from it, masks nothing.
"""


class Reason(StrEnum):
    """Which station rule decided a :class:`StationStatus`."""

    REMOVED = "removed"
    NOT_ENABLED = "not_enabled"
    OFFLINE = "offline"
    MAIN_CONTROLLER_FAULTED = "main_controller_faulted"
    MAIN_CONTROLLER_UNAVAILABLE = "main_controller_unavailable"
    NO_CONNECTOR_REPORTS = "no_connector_reports"
    CONNECTOR_AVAILABLE = "connector_available"
    ALL_CONNECTORS_CHARGING = "all_connectors_charging"
    CONNECTORS_OUT_OF_ORDER = "connectors_out_of_order"
    ALL_CONNECTORS_RESERVED = "all_connectors_reserved"
    NO_CONNECTOR_AVAILABLE = "no_connector_available"

    @property
    def rule(self) -> StationRule:
        """The rule of :data:`STATION_RULES` this reason names."""
        return _RULE_BY_REASON[self]

    @property
    def description(self) -> str:
        """One line, in plain words, on when this rule applies."""
        return _RULE_BY_REASON[self].condition


@attrs.frozen
class StationFacts:
    """All a station rule may look at: the flags and the latest states.

    ``connectors`` is the set of distinct latest states of connectors 1 and up;
    how many connectors share a state never matters to a rule.
    """

    removed: bool
    enabled: bool
    online: bool
    main: ChargePointStatus | None
    connectors: frozenset[ChargePointStatus]


@attrs.frozen
class StationRule:
    """One row of the station decision table."""

    number: int
    condition: str
    """The condition, in words, as the docs print it."""
    applies: Callable[[StationFacts], bool] = attrs.field(repr=False)
    status: StationStatus
    reason: Reason


_CHARGING: Final = frozenset({_CPS.CHARGING, _CPS.SUSPENDED_EV, _CPS.SUSPENDED_EVSE})
_BROKEN: Final = frozenset({_CPS.FAULTED, _CPS.UNAVAILABLE})
_RESERVED: Final = frozenset({_CPS.RESERVED})


def _rule(
    number: int,
    condition: str,
    applies: Callable[[StationFacts], bool],
    status: StationStatus,
    reason: Reason,
) -> StationRule:
    return StationRule(number, condition, applies, status, reason)


STATION_RULES: Final[tuple[StationRule, ...]] = (
    _rule(
        1,
        "the station is removed from the platform",
        lambda f: f.removed,
        StationStatus.REMOVED,
        Reason.REMOVED,
    ),
    _rule(
        2,
        "the station is not enabled on the platform",
        lambda f: not f.enabled,
        StationStatus.INOPERATIVE,
        Reason.NOT_ENABLED,
    ),
    _rule(
        3,
        "the station is not connected",
        lambda f: not f.online,
        StationStatus.OFFLINE,
        Reason.OFFLINE,
    ),
    _rule(
        4,
        "connector 0 (the main controller) is Faulted",
        lambda f: f.main is _CPS.FAULTED,
        StationStatus.OUT_OF_ORDER,
        Reason.MAIN_CONTROLLER_FAULTED,
    ),
    _rule(
        5,
        "connector 0 (the main controller) is Unavailable",
        lambda f: f.main is _CPS.UNAVAILABLE,
        StationStatus.UNAVAILABLE,
        Reason.MAIN_CONTROLLER_UNAVAILABLE,
    ),
    _rule(
        6,
        "no connector (id 1 and up) has reported",
        lambda f: not f.connectors,
        StationStatus.UNKNOWN,
        Reason.NO_CONNECTOR_REPORTS,
    ),
    _rule(
        7,
        "any connector is Available",
        lambda f: _CPS.AVAILABLE in f.connectors,
        StationStatus.AVAILABLE,
        Reason.CONNECTOR_AVAILABLE,
    ),
    _rule(
        8,
        "every connector is Charging, SuspendedEV or SuspendedEVSE",
        lambda f: f.connectors <= _CHARGING,
        StationStatus.CHARGING,
        Reason.ALL_CONNECTORS_CHARGING,
    ),
    _rule(
        9,
        "every connector is Faulted or Unavailable, at least one Faulted",
        lambda f: f.connectors <= _BROKEN and _CPS.FAULTED in f.connectors,
        StationStatus.OUT_OF_ORDER,
        Reason.CONNECTORS_OUT_OF_ORDER,
    ),
    _rule(
        10,
        "every connector is Reserved",
        lambda f: f.connectors == _RESERVED,
        StationStatus.RESERVED,
        Reason.ALL_CONNECTORS_RESERVED,
    ),
    _rule(
        11,
        "otherwise: plugged in but not charging, all Unavailable, or a mix",
        lambda _: True,
        StationStatus.UNAVAILABLE,
        Reason.NO_CONNECTOR_AVAILABLE,
    ),
)
"""The station rules in order; the first whose condition holds decides."""

_RULE_BY_REASON: Final = MappingProxyType({rule.reason: rule for rule in STATION_RULES})


def first_rule(facts: StationFacts) -> StationRule:
    """Return the first rule of :data:`STATION_RULES` that applies to *facts*."""
    for rule in STATION_RULES:
        if rule.applies(facts):
            return rule
    raise AssertionError("the last rule always applies")  # pragma: no cover
