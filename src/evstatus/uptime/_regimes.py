"""Regimes and causes: when a port is up, why it is not, what may excuse it.

A regime is data: which causes of outage a jurisdiction lets a port's owner
exclude, and how much of each. A new jurisdiction is a new entry in
:data:`evstatus.uptime.REGIMES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

import attrs

from evstatus._enums import (
    ChargePointStatus,
    DescribedEnum,
    StationStatus,
    describe,
)
from evstatus._errors import wrong_value
from evstatus._frozen import FrozenMap

_CPS = ChargePointStatus

UP_STATES: Final[frozenset[ChargePointStatus]] = frozenset(
    {
        _CPS.AVAILABLE,
        _CPS.PREPARING,
        _CPS.CHARGING,
        _CPS.SUSPENDED_EV,
        _CPS.SUSPENDED_EVSE,
        _CPS.FINISHING,
        _CPS.RESERVED,
    }
)
"""The OCPP 1.6 states in which a port counts as up when the log is folded.

Only while its station is online, enabled and not removed, and connector 0 is
neither Faulted nor Unavailable. Every other state of the port is an outage.
SuspendedEVSE is among them as OCPP counts it operative; a regime decides at
measuring time whether it is up after all
(:attr:`evstatus.uptime.Regime.suspended_evse_up`).
"""


class OutageReason(DescribedEnum):
    """Why a port was not up, the first that applies in the order listed."""

    NOT_ENABLED = "not_enabled"
    OFFLINE = "offline"
    CONNECTOR_ZERO_FAULTED = "connector_zero_faulted"
    CONNECTOR_ZERO_UNAVAILABLE = "connector_zero_unavailable"
    FAULTED = "faulted"
    UNAVAILABLE = "unavailable"
    SUSPENDED_EVSE = "suspended_evse"

    @property
    def status(self) -> str:
        """The status that made the port an outage, as shown in outage lists."""
        return _OUTAGE_STATUSES[self]


describe(
    OutageReason,
    {
        OutageReason.NOT_ENABLED: "The station is switched off on the platform.",
        OutageReason.OFFLINE: "The station is not connected to the platform.",
        OutageReason.CONNECTOR_ZERO_FAULTED: (
            "Connector 0, the main controller, reports Faulted."
        ),
        OutageReason.CONNECTOR_ZERO_UNAVAILABLE: (
            "Connector 0, the main controller, reports Unavailable."
        ),
        OutageReason.FAULTED: "The port itself reports Faulted.",
        OutageReason.UNAVAILABLE: "The port itself reports Unavailable.",
        OutageReason.SUSPENDED_EVSE: (
            "The port reports SuspendedEVSE (not offering energy) and the "
            "regime counts that as out."
        ),
    },
)

_OUTAGE_STATUSES: Final[Mapping[OutageReason, str]] = FrozenMap(
    {
        OutageReason.NOT_ENABLED: StationStatus.INOPERATIVE.value,
        OutageReason.OFFLINE: StationStatus.OFFLINE.value,
        OutageReason.CONNECTOR_ZERO_FAULTED: _CPS.FAULTED.value,
        OutageReason.CONNECTOR_ZERO_UNAVAILABLE: _CPS.UNAVAILABLE.value,
        OutageReason.FAULTED: _CPS.FAULTED.value,
        OutageReason.UNAVAILABLE: _CPS.UNAVAILABLE.value,
        OutageReason.SUSPENDED_EVSE: _CPS.SUSPENDED_EVSE.value,
    }
)


class Cause(DescribedEnum):
    """What caused an outage that an :class:`evstatus.uptime.Exclusion` excuses."""

    UTILITY_INTERRUPTION = "utility_interruption"
    VEHICLE_FAULT = "vehicle_fault"
    SCHEDULED_MAINTENANCE = "scheduled_maintenance"
    VANDALISM = "vandalism"
    NATURAL_DISASTER = "natural_disaster"
    OUTSIDE_OPERATING_HOURS = "outside_operating_hours"


describe(
    Cause,
    {
        Cause.UTILITY_INTERRUPTION: (
            "The electricity supply failed upstream of the station "
            "(California: grid power loss)."
        ),
        Cause.VEHICLE_FAULT: "Charging failed because of the vehicle, not the port.",
        Cause.SCHEDULED_MAINTENANCE: (
            "Maintenance planned in advance (California: planned maintenance)."
        ),
        Cause.VANDALISM: "Someone damaged the equipment on purpose.",
        Cause.NATURAL_DISASTER: "A natural disaster took the site out.",
        Cause.OUTSIDE_OPERATING_HOURS: "The site was closed: outside its hours.",
    },
)


@attrs.frozen(kw_only=True)
class Cap:
    """A limit a regime puts on how much outage one cause may exclude, per port."""

    cause: Cause
    minutes: int
    """The most outage minutes the cause may exclude in one ``per``."""
    per: Literal["incident", "year"]
    """``incident``: the records of one incident together (those sharing an
    :attr:`evstatus.uptime.Exclusion.incident`; a record without one is an
    incident of its own); ``year``: all of the cause's records together, per
    calendar year in the zone the figures are measured in (``tz``)."""


@attrs.frozen(kw_only=True)
class Regime:
    """A jurisdiction's rules for excluded time: which causes count, and caps.

    A new jurisdiction is a new entry in :data:`evstatus.uptime.REGIMES`, not new code.
    """

    name: str
    title: str
    causes: frozenset[Cause]
    """The causes whose exclusions this regime accepts; others are ignored
    with a warning."""
    caps: tuple[Cap, ...] = ()
    target_percent: int | None = None
    """The uptime a funded port must exceed, if the regime sets one."""
    suspended_evse_up: bool = False
    """Whether a port reporting SuspendedEVSE counts as up.

    OCPP 1.6 calls SuspendedEVSE operative: the EV is connected but the EVSE
    is not offering it energy (a smart charging limit, a local supply limit,
    charging refused). NEVI's port is up only when it "successfully dispenses
    electricity", which such a port does not. The default, False, counts it
    as out (``OutageReason.SUSPENDED_EVSE``), so that no
    figure claims more uptime than the rule's words allow; a regime that
    trusts OCPP's reading sets True. Reserved is up under every regime."""

    @property
    def up_states(self) -> frozenset[ChargePointStatus]:
        """The OCPP 1.6 states of a port this regime counts as up.

        :data:`evstatus.uptime.UP_STATES`, without SuspendedEVSE unless
        :attr:`evstatus.uptime.Regime.suspended_evse_up`; the station's own
        conditions apply besides.
        """
        if self.suspended_evse_up:
            return UP_STATES
        return UP_STATES - {_CPS.SUSPENDED_EVSE}

    def __str__(self) -> str:
        """Return the regime's name, as ``--regime`` and every output write it."""
        return self.name


REGIMES: Final[Mapping[str, Regime]] = FrozenMap(
    {
        "nevi": Regime(
            name="nevi",
            title="US NEVI, 23 CFR 680.116(b)",
            causes=frozenset(Cause),
            target_percent=97,
        ),
        "cec": Regime(
            name="cec",
            title="California Energy Commission reliability standard",
            causes=frozenset(
                {
                    Cause.UTILITY_INTERRUPTION,
                    Cause.SCHEDULED_MAINTENANCE,
                    Cause.VANDALISM,
                    Cause.NATURAL_DISASTER,
                }
            ),
            caps=(
                Cap(cause=Cause.VANDALISM, minutes=10 * 24 * 60, per="incident"),
                Cap(cause=Cause.SCHEDULED_MAINTENANCE, minutes=72 * 60, per="year"),
            ),
            target_percent=97,
        ),
        "plain": Regime(
            name="plain",
            title="Every cause, no caps",
            causes=frozenset(Cause),
            suspended_evse_up=True,
        ),
    }
)
"""The regimes ``evstatus uptime --regime`` knows, by name."""


def find_regime(regime: Regime | str) -> Regime:
    """Return the regime given, or the one of that name; raise if none."""
    chosen: object = regime
    if isinstance(chosen, Regime):
        return chosen
    found = REGIMES.get(chosen) if isinstance(chosen, str) else None
    if found is None:
        raise wrong_value("regime", regime, "a Regime or one of " + ", ".join(REGIMES))
    return found
