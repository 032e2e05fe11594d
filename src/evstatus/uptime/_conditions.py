"""Port conditions: what a station's state means for each of its ports.

A port's condition is what its interval carries: its own OCPP state, what a
driver is shown, the station's status and the rule that decided it, and why
the port is out (None if it is up). All but the port's own state follow from
station-wide facts alone: the station's flags, connector 0's state and the set
of states its ports are in, which each station keeps count of as its ports
change (:class:`StationConditions`).

Each station keeps the conditions its ports have had in a cache of its own, one
object per distinct condition, so that the same facts give the same object and
a port's runs compare conditions by identity. The cache grows only with the
distinct conditions the station's ports have been in (at most
2 x 2 x 10 x 9 x 9 x 11 combinations of the facts), not with the length of the
log nor with the number of ports, and it is keyed by the facts themselves,
never by the identity of an object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from evstatus._core import Flags, decide, shown_statuses
from evstatus._enums import ChargePointStatus, ConnectorStatus, StationStatus
from evstatus.rules import Reason

from ._regimes import UP_STATES, OutageReason

_CPS = ChargePointStatus

Condition = tuple[
    ChargePointStatus, ConnectorStatus, StationStatus, Reason, OutageReason | None
]
"""What a port's interval carries, as a plain tuple (one is kept per change)."""

# The facts as one small int, cheap to hash (enum members hash through Python
# code): bit 0 enabled, bit 1 connected, bits 2-5 connector 0's state (0:
# none); then the station's status, the rule that decided it and the port's
# own state. The set of the ports' states is a mask of nine bits beside it.
_MAIN_CODES: Final[Mapping[str | None, int]] = {
    None: 0,
    **{status.value: index << 2 for index, status in enumerate(_CPS, start=1)},
}
_STATUS_CODES: Final[Mapping[str, int]] = {
    status.value: index << 6 for index, status in enumerate(StationStatus)
}
_REASON_CODES: Final[Mapping[str, int]] = {
    reason.value: index << 10 for index, reason in enumerate(Reason)
}
_OWN_CODES: Final[Mapping[str, int]] = {
    status.value: index << 14 for index, status in enumerate(_CPS)
}
_BITS: Final[Mapping[str, int]] = {
    status.value: 1 << index for index, status in enumerate(_CPS)
}
_MASK_SHIFT: Final = 6
_STATES: Final[tuple[frozenset[ChargePointStatus], ...]] = tuple(
    frozenset(status for status in _CPS if mask & _BITS[status.value])
    for mask in range(1 << len(_CPS))
)
"""The set of states each mask stands for: the same object every time."""
_FLAGS: Final = {
    (enabled, connected): Flags(online=connected, enabled=enabled)
    for enabled in (True, False)
    for connected in (True, False)
}


def outage_reason(
    enabled: bool,
    connected: bool,
    main: ChargePointStatus | None,
    own: ChargePointStatus,
) -> OutageReason | None:
    """Return why a port in state *own* is out, the first that applies; None: up."""
    if not enabled:
        return OutageReason.NOT_ENABLED
    if not connected:
        return OutageReason.OFFLINE
    if main is _CPS.FAULTED:
        return OutageReason.CONNECTOR_ZERO_FAULTED
    if main is _CPS.UNAVAILABLE:
        return OutageReason.CONNECTOR_ZERO_UNAVAILABLE
    if own in UP_STATES:
        return None
    return OutageReason.FAULTED if own is _CPS.FAULTED else OutageReason.UNAVAILABLE


class StationConditions:
    """One station's conditions: the facts its ports are in now, and a cache.

    :meth:`recount` sets the facts from the station's whole state;
    :meth:`change` follows one port's change of state in constant time.
    :meth:`condition` gives a port's condition under the facts.
    """

    __slots__ = (
        "base",
        "connected",
        "counts",
        "decided",
        "enabled",
        "main",
        "mask",
        "outcome",
        "reason",
        "seen",
        "shown",
        "status",
        "valid",
    )

    def __init__(self) -> None:
        self.seen: dict[int, Condition] = {}
        """The cache: every condition met so far, by the facts that give it."""
        self.decided: dict[int, tuple[StationStatus, Reason, int]] = {}
        """The station's status and rule for each set of facts met so far."""
        self.valid = False
        """Whether the facts are those last recorded; if not, :meth:`recount`."""
        self.counts: dict[int, int] = {}
        """How many ports are in each state (by its bit), as last recorded."""
        self.mask = 0
        """The states some port is in, one bit each."""
        self.enabled = self.connected = True
        self.main: ChargePointStatus | None = None
        self.base = 0
        """The flags and connector 0 as bits of the cache's keys."""
        self.status = StationStatus.UNKNOWN
        self.reason = Reason.NO_CONNECTOR_REPORTS
        self.outcome = 0
        """The flags, connector 0, status and reason as bits of the keys."""
        self.shown: Mapping[ChargePointStatus, ConnectorStatus] = {}

    def __len__(self) -> int:
        """How many entries the cache holds: conditions and decisions."""
        return len(self.seen) + len(self.decided)

    def forget(self) -> None:
        """Have the next change count the facts again from the whole state."""
        self.valid = False

    def recount(
        self,
        enabled: bool,
        connected: bool,
        main: ChargePointStatus | None,
        ports: Iterable[ChargePointStatus],
    ) -> None:
        """Set the facts of a station with these flags and ports' states."""
        counts: dict[int, int] = {}
        for own in ports:
            bit = _BITS[own._value_]
            counts[bit] = counts.get(bit, 0) + 1
        mask = 0
        for bit in counts:
            mask |= bit
        self.counts, self.mask = counts, mask
        self.enabled, self.connected, self.main = enabled, connected, main
        code = _MAIN_CODES[None if main is None else main._value_]
        self.base = enabled | connected << 1 | code
        self.shown = shown_statuses(enabled and connected, main)
        self.valid = True
        self._decide()

    def change(
        self, before: ChargePointStatus | None, after: ChargePointStatus
    ) -> Condition | None:
        """Follow one port from *before* to *after*; return its new condition.

        *before* is None for a port not seen yet. Nothing else may have changed
        since the facts were set. None: the station's status or the rule that
        decided it changed too, and with it every port's condition.
        """
        counts = self.counts
        mask = self.mask
        if before is not None:
            bit = _BITS[before._value_]
            left = counts[bit] - 1
            if left:
                counts[bit] = left
            else:
                del counts[bit]
                mask ^= bit
        value = after._value_
        bit = _BITS[value]
        held = counts.get(bit, 0)
        counts[bit] = held + 1
        if not held:
            mask |= bit
        if mask != self.mask:
            self.mask = mask
            outcome = self.outcome
            self._decide()
            if self.outcome != outcome:
                return None
        found = self.seen.get(self.outcome | _OWN_CODES[value])
        return self.condition(after) if found is None else found

    def _decide(self) -> None:
        key = self.base | self.mask << _MASK_SHIFT
        decided = self.decided.get(key)
        if decided is None:
            status, reason = decide(
                _FLAGS[self.enabled, self.connected], self.main, _STATES[self.mask]
            )
            codes = _STATUS_CODES[status._value_] | _REASON_CODES[reason._value_]
            outcome = self.base | codes
            decided = self.decided[key] = (status, reason, outcome)
        self.status, self.reason, self.outcome = decided

    def condition(self, own: ChargePointStatus) -> Condition:
        """Return the condition of a port in *own*: the same object every time."""
        key = self.outcome | _OWN_CODES[own._value_]
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = (
                own,
                self.shown[own],
                self.status,
                self.reason,
                outage_reason(self.enabled, self.connected, self.main, own),
            )
        return found
