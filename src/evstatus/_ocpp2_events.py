"""OCPP 2.0.1 NotifyEvent and TransactionEvent requests, validated, and what they say.

Besides StatusNotification, two charging-station requests tell a station's
state: NotifyEvent, whose events on the variable ``AvailabilityState`` report
the state of the station (component ``ChargingStation``), of an EVSE or of a
connector; and TransactionEvent, whose ``chargingState`` says what an
occupied EVSE is doing. This module parses both strictly and returns only
what the fold reads of them.

How deep each request is validated, and why: *all of it*, against the
official JSON schema, for both requests. Every object's required keys and
``additionalProperties: false``, every type, enum, string length and array
length down to a meter value's ``sampledValue`` entries and their
``signedMeterValue`` and ``unitOfMeasure``. A strict parser that let part of
a request through unchecked would accept requests the central system's own
validator refuses, and lenient mode (which repairs only what the strict
parser rejects) would then have nothing to say about them. Each request is
described once, as data (the ``ObjectNode`` trees below, written from the
schema and tested member by member against the official one). A check
generated once from each tree says whether a payload is valid, at a glance
per JSON value; only a payload it refuses is walked again, by the walker
that names every problem with its path (``eventData[2].component.evse.id``).
Checking the whole of a typical request costs about as much as reading
its JSON line.

On top of the schema, the rules the OCPP text adds, as the StatusNotification
parser keeps them:

- an EVSE's ``id`` and a ``connectorId`` are at least 1 (the 2.1 schema says
  0; the text of both versions says an EVSE is numbered from 1);
- every date-time is a real RFC 3339 time with an offset (JSON Schema's
  ``format`` is not enforced by common validators);
- a number is finite: JSON has no NaN or Infinity;
- an event on ``AvailabilityState`` of component ``ChargingStation``, ``EVSE``
  or ``Connector`` has a ConnectorState as its ``actualValue`` and names
  exactly what it is about: no ``evse`` for the station, ``evse.id`` alone
  for an EVSE, ``evse.id`` and ``evse.connectorId`` for a connector.

Component and variable names are compared without regard to ASCII letter
case, as OCPP 2.0.1 defines them; values are not. Instances of a component
or variable are not looked at: a station has one AvailabilityState per
component. A TransactionEvent ``Started`` may lack ``evse``: a transaction
started by presenting an id token before plugging in does not know its EVSE
yet, and the text asks for the EVSE in the first request that knows it.

OCPP 2.1 changed both schemas (minimums of 0 on counters, a ``severity`` for
events, cost details and more in TransactionEvent); ``version`` picks the
schema a payload is held to.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from enum import Enum
from typing import Final, Literal, cast

import attrs

from ._enums import ChargingState, ConnectorState
from ._errors import wrong_value
from ._frozen import fast_constructor
from ._ocpp2 import _as_integer, _custom_data_problem  # pyright: ignore[reportPrivateUsage]
from ._payload import MISSING, is_int, object_fields, plain, problem, unknown_keys
from ._timestamps import RFC3339_EXPECTED, in_utc, parse_timestamp
from .exceptions import InvalidReport, Problem

__all__ = [
    "NOTIFY_EVENT",
    "TRANSACTION_EVENT",
    "VERSIONS",
    "ArrayNode",
    "AvailabilityReport",
    "Check",
    "Member",
    "Node",
    "ObjectNode",
    "TransactionReport",
    "ValueKind",
    "ValueNode",
    "Version",
    "compile_check",
    "is_availability_event",
    "known_version",
    "parse_notify_event",
    "parse_transaction_event",
    "read_transaction",
    "validate_thoroughly",
]

#: The OCPP-J subprotocol names of the versions whose schemas are known here.
Version = Literal["ocpp2.0.1", "ocpp2.1"]


# --- the reports -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AvailabilityReport:
    """One NotifyEvent event on a component's AvailabilityState."""

    evse_id: int | None
    """The EVSE, from 1; None for component ChargingStation (the main controller)."""
    connector_id: int | None
    """The connector on that EVSE, from 1; only for component Connector."""
    status: ConnectorState
    timestamp: datetime = attrs.field(converter=in_utc)
    """The event's timestamp, in UTC."""


@attrs.frozen(kw_only=True)
class TransactionReport:
    """What the fold reads of one TransactionEventRequest."""

    event_type: str
    """``"Started"``, ``"Updated"`` or ``"Ended"``."""
    transaction_id: str
    evse_id: int | None
    """``evse.id`` when given."""
    connector_id: int | None
    """``evse.connectorId`` when given."""
    charging_state: ChargingState | None
    timestamp: datetime = attrs.field(converter=in_utc)
    """The request's timestamp, in UTC."""


# --- the schema, as data ------------------------------------------------------


class ValueKind(Enum):
    """What a leaf of a request holds, as far as checking and repairing go."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"
    ENUM = "enum"
    CUSTOM_DATA = "customData"


@attrs.frozen(kw_only=True)
class ValueNode:
    """A JSON value that is not an object or array of ours (customData aside)."""

    kind: ValueKind
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    values: tuple[str, ...] = ()
    free_text: bool = False
    """Text for people that nothing decides by (lenient mode may cut it)."""
    receipt: bool = False
    """The timestamp of the message or event itself (lenient mode may put the
    time of receipt in its place)."""

    @property
    def expected(self) -> str:
        return _expected(self)


@attrs.frozen(kw_only=True)
class Member:
    """One key an object may (or must) have, and what its value is."""

    key: str
    node: Node
    required: bool = False


@attrs.frozen
class ObjectNode:
    """A JSON object with exactly these members (additionalProperties false)."""

    members: tuple[Member, ...]
    by_key: dict[str, Member] = attrs.field(init=False, eq=False, repr=False)
    required: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "by_key", {m.key: m for m in self.members})
        object.__setattr__(
            self, "required", tuple(m.key for m in self.members if m.required)
        )

    @property
    def expected(self) -> str:
        if not self.required:
            return "a JSON object"
        return "a JSON object with " + ", ".join(self.required)


@attrs.frozen(kw_only=True)
class ArrayNode:
    """A JSON array of values of one kind, with limits on its length."""

    items: Node
    min_items: int = 0
    max_items: int | None = None

    @property
    def expected(self) -> str:
        text = f"a JSON array of {self.min_items} or more items"
        if self.max_items is not None:
            text = text.replace("or more", f"to {self.max_items}")
        return text


Node = ValueNode | ObjectNode | ArrayNode


def _expected(value: ValueNode) -> str:  # noqa: PLR0911  (one return per kind)
    kind = value.kind
    if kind is ValueKind.TEXT:
        return f"a string of at most {value.max_length} characters"
    if kind is ValueKind.INTEGER:
        if value.minimum is not None and value.maximum is not None:
            return f"an integer from {value.minimum} to {value.maximum}"
        if value.minimum is not None:
            return f"an integer >= {value.minimum}"
        return "an integer"
    if kind is ValueKind.NUMBER:
        return "a finite number"
    if kind is ValueKind.BOOLEAN:
        return "true or false"
    if kind is ValueKind.TIMESTAMP:
        return RFC3339_EXPECTED
    if kind is ValueKind.ENUM:
        return "one of " + ", ".join(repr(v) for v in value.values)
    return "a JSON object with a vendorId (a string of at most 255 characters)"


def _text(limit: int, *, free_text: bool = False) -> ValueNode:
    return ValueNode(kind=ValueKind.TEXT, max_length=limit, free_text=free_text)


def _integer(minimum: int | None = None, maximum: int | None = None) -> ValueNode:
    return ValueNode(kind=ValueKind.INTEGER, minimum=minimum, maximum=maximum)


def _enum(values: Iterable[str]) -> ValueNode:
    return ValueNode(kind=ValueKind.ENUM, values=tuple(values))


_NUMBER: Final = ValueNode(kind=ValueKind.NUMBER)
_BOOLEAN: Final = ValueNode(kind=ValueKind.BOOLEAN)
_TIMESTAMP: Final = ValueNode(kind=ValueKind.TIMESTAMP)
_OWN_TIMESTAMP: Final = ValueNode(kind=ValueKind.TIMESTAMP, receipt=True)
_CUSTOM_DATA: Final = ValueNode(kind=ValueKind.CUSTOM_DATA)


def _required(key: str, node: Node) -> Member:
    return Member(key=key, node=node, required=True)


def _optional(key: str, node: Node) -> Member:
    return Member(key=key, node=node)


def _object(*members: Member) -> ObjectNode:
    """Return an object of the schema, with the customData every one may carry."""
    return ObjectNode((*members, _optional("customData", _CUSTOM_DATA)))


def _array(items: Node, *, max_items: int | None = None) -> ArrayNode:
    # Every array in these schemas holds at least one item.
    return ArrayNode(items=items, min_items=1, max_items=max_items)


def _evse() -> ObjectNode:
    # EVSEs and connectors are numbered from 1 (the OCPP text; see above).
    return _object(
        _required("id", _integer(1)),
        _optional("connectorId", _integer(1)),
    )


def _counter(version: Version) -> ValueNode:
    """Return an integer the 2.1 schema says is not negative (2.0.1 allows any)."""
    return _integer(0 if version == "ocpp2.1" else None)


def _notify_event(version: Version) -> ObjectNode:
    v21 = version == "ocpp2.1"
    component = _object(
        _required("name", _text(50)),
        _optional("instance", _text(50)),
        _optional("evse", _evse()),
    )
    variable = _object(
        _required("name", _text(50)),
        _optional("instance", _text(50)),
    )
    event = _object(
        _required("eventId", _counter(version)),
        _required("timestamp", _OWN_TIMESTAMP),
        _required("trigger", _enum(["Alerting", "Delta", "Periodic"])),
        _optional("cause", _counter(version)),
        _required("actualValue", _text(2500)),
        _optional("techCode", _text(50)),
        _optional("techInfo", _text(500, free_text=True)),
        _optional("cleared", _BOOLEAN),
        _optional("transactionId", _text(36)),
        _required("component", component),
        _optional("variableMonitoringId", _counter(version)),
        _required(
            "eventNotificationType",
            _enum(
                [
                    "HardWiredNotification",
                    "HardWiredMonitor",
                    "PreconfiguredMonitor",
                    "CustomMonitor",
                ]
            ),
        ),
        _required("variable", variable),
        *([_optional("severity", _integer(0))] if v21 else []),
    )
    return _object(
        _required("generatedAt", _OWN_TIMESTAMP),
        _optional("tbc", _BOOLEAN),
        _required("seqNo", _counter(version)),
        _required("eventData", _array(event)),
    )


_MEASURANDS_201: Final = (
    "Current.Export",
    "Current.Import",
    "Current.Offered",
    "Energy.Active.Export.Register",
    "Energy.Active.Import.Register",
    "Energy.Reactive.Export.Register",
    "Energy.Reactive.Import.Register",
    "Energy.Active.Export.Interval",
    "Energy.Active.Import.Interval",
    "Energy.Active.Net",
    "Energy.Reactive.Export.Interval",
    "Energy.Reactive.Import.Interval",
    "Energy.Reactive.Net",
    "Energy.Apparent.Net",
    "Energy.Apparent.Import",
    "Energy.Apparent.Export",
    "Frequency",
    "Power.Active.Export",
    "Power.Active.Import",
    "Power.Factor",
    "Power.Offered",
    "Power.Reactive.Export",
    "Power.Reactive.Import",
    "SoC",
    "Voltage",
)
_READING_CONTEXTS: Final = (
    "Interruption.Begin",
    "Interruption.End",
    "Other",
    "Sample.Clock",
    "Sample.Periodic",
    "Transaction.Begin",
    "Transaction.End",
    "Trigger",
)
_PHASES: Final = (
    "L1",
    "L2",
    "L3",
    "N",
    "L1-N",
    "L2-N",
    "L3-N",
    "L1-L2",
    "L2-L3",
    "L3-L1",
)
_LOCATIONS_201: Final = ("Body", "Cable", "EV", "Inlet", "Outlet")
_REASONS_201: Final = (
    "DeAuthorized",
    "EmergencyStop",
    "EnergyLimitReached",
    "EVDisconnected",
    "GroundFault",
    "ImmediateReset",
    "Local",
    "LocalOutOfCredit",
    "MasterPass",
    "Other",
    "OvercurrentFault",
    "PowerLoss",
    "PowerQuality",
    "Reboot",
    "Remote",
    "SOCLimitReached",
    "StoppedByEV",
    "TimeLimitReached",
    "Timeout",
)
_TRIGGER_REASONS_201: Final = (
    "Authorized",
    "CablePluggedIn",
    "ChargingRateChanged",
    "ChargingStateChanged",
    "Deauthorized",
    "EnergyLimitReached",
    "EVCommunicationLost",
    "EVConnectTimeout",
    "MeterValueClock",
    "MeterValuePeriodic",
    "TimeLimitReached",
    "Trigger",
    "UnlockCommand",
    "StopAuthorized",
    "EVDeparted",
    "EVDetected",
    "RemoteStop",
    "RemoteStart",
    "AbnormalCondition",
    "SignedDataReceived",
    "ResetCommand",
)
_ID_TOKEN_TYPES_201: Final = (
    "Central",
    "eMAID",
    "ISO14443",
    "ISO15693",
    "KeyCode",
    "Local",
    "MacAddress",
    "NoAuthorization",
)
_EVENT_TYPES: Final = ("Ended", "Started", "Updated")


# What OCPP 2.1 added to those enums.
_MEASURANDS_21: Final = (
    "Current.Export.Offered",
    "Current.Export.Minimum",
    "Current.Import.Offered",
    "Current.Import.Minimum",
    "Display.PresentSOC",
    "Display.MinimumSOC",
    "Display.TargetSOC",
    "Display.MaximumSOC",
    "Display.RemainingTimeToMinimumSOC",
    "Display.RemainingTimeToTargetSOC",
    "Display.RemainingTimeToMaximumSOC",
    "Display.ChargingComplete",
    "Display.BatteryEnergyCapacity",
    "Display.InletHot",
    "Energy.Active.Import.CableLoss",
    "Energy.Active.Import.LocalGeneration.Register",
    "Energy.Active.Setpoint.Interval",
    "EnergyRequest.Target",
    "EnergyRequest.Minimum",
    "EnergyRequest.Maximum",
    "EnergyRequest.Minimum.V2X",
    "EnergyRequest.Maximum.V2X",
    "EnergyRequest.Bulk",
    "Power.Active.Setpoint",
    "Power.Active.Residual",
    "Power.Export.Minimum",
    "Power.Export.Offered",
    "Power.Import.Offered",
    "Power.Import.Minimum",
    "Voltage.Minimum",
    "Voltage.Maximum",
)
_REASONS_21: Final = ("ReqEnergyTransferRejected",)
_TRIGGER_REASONS_21: Final = (
    "CostLimitReached",
    "LimitSet",
    "OperationModeChanged",
    "RunningCost",
    "SoCLimitReached",
    "TariffChanged",
    "TariffNotAccepted",
    "TxResumed",
)
_LOCATIONS_21: Final = ("Upstream",)
# Enums OCPP 2.1 brought in with its new members.
_OPERATION_MODES: Final = (
    "Idle",
    "ChargingOnly",
    "CentralSetpoint",
    "ExternalSetpoint",
    "ExternalLimits",
    "CentralFrequency",
    "LocalFrequency",
    "LocalLoadBalancing",
)
_PRECONDITIONING_STATUSES: Final = ("Unknown", "Ready", "NotReady", "Preconditioning")
_TARIFF_COSTS: Final = ("NormalCost", "MinCost", "MaxCost")
# "IdleTIme" is the schema's own spelling.
_COST_DIMENSIONS: Final = (
    "Energy",
    "MaxCurrent",
    "MinCurrent",
    "MaxPower",
    "MinPower",
    "IdleTIme",
    "ChargingTime",
)


def _meter_value(version: Version) -> ObjectNode:
    v21 = version == "ocpp2.1"
    signed = _object(
        _required("signedMeterData", _text(32768 if v21 else 2500)),
        # 2.1 lets the method and the key be known from elsewhere.
        Member(key="signingMethod", node=_text(50), required=not v21),
        _required("encodingMethod", _text(50)),
        Member(key="publicKey", node=_text(2500), required=not v21),
    )
    unit = _object(
        _optional("unit", _text(20)),
        _optional("multiplier", _integer()),
    )
    sampled_value = _object(
        _required("value", _NUMBER),
        _optional("context", _enum(_READING_CONTEXTS)),
        _optional(
            "measurand", _enum(_MEASURANDS_201 + (_MEASURANDS_21 if v21 else ()))
        ),
        _optional("phase", _enum(_PHASES)),
        _optional("location", _enum(_LOCATIONS_201 + (_LOCATIONS_21 if v21 else ()))),
        _optional("signedMeterValue", signed),
        _optional("unitOfMeasure", unit),
    )
    return _object(
        _required("sampledValue", _array(sampled_value)),
        _required("timestamp", _TIMESTAMP),
    )


def _cost_details() -> ObjectNode:
    """Return OCPP 2.1's running or final cost of a transaction."""
    tax_rate = _object(
        _required("type", _text(20)),
        _required("tax", _NUMBER),
        _optional("stack", _integer(0)),
    )
    price = _object(
        _optional("exclTax", _NUMBER),
        _optional("inclTax", _NUMBER),
        _optional("taxRates", _array(tax_rate, max_items=5)),
    )
    total_price = _object(
        _optional("exclTax", _NUMBER),
        _optional("inclTax", _NUMBER),
    )
    total_cost = _object(
        _required("currency", _text(3)),
        _required("typeOfCost", _enum(_TARIFF_COSTS)),
        *(
            _optional(key, price)
            for key in (
                "fixed",
                "energy",
                "chargingTime",
                "idleTime",
                "reservationTime",
                "reservationFixed",
            )
        ),
        _required("total", total_price),
    )
    total_usage = _object(
        _required("energy", _NUMBER),
        _required("chargingTime", _integer()),
        _required("idleTime", _integer()),
        _optional("reservationTime", _integer()),
    )
    dimension = _object(
        _required("type", _enum(_COST_DIMENSIONS)),
        _required("volume", _NUMBER),
    )
    period = _object(
        _optional("dimensions", _array(dimension)),
        _optional("tariffId", _text(60)),
        _required("startPeriod", _TIMESTAMP),
    )
    return _object(
        _optional("chargingPeriods", _array(period)),
        _required("totalCost", total_cost),
        _required("totalUsage", total_usage),
        _optional("failureToCalculate", _BOOLEAN),
        _optional("failureReason", _text(500, free_text=True)),
    )


def _transaction_event(version: Version) -> ObjectNode:
    v21 = version == "ocpp2.1"
    transaction_limit = _object(
        _optional("maxCost", _NUMBER),
        _optional("maxEnergy", _NUMBER),
        _optional("maxTime", _integer()),
        _optional("maxSoC", _integer(0, 100)),
    )
    transaction = _object(
        _required("transactionId", _text(36)),
        _optional("chargingState", _enum(member.value for member in ChargingState)),
        _optional("timeSpentCharging", _integer()),
        _optional("stoppedReason", _enum(_REASONS_201 + (_REASONS_21 if v21 else ()))),
        _optional("remoteStartId", _integer()),
        *(
            [
                _optional("operationMode", _enum(_OPERATION_MODES)),
                _optional("tariffId", _text(60)),
                _optional("transactionLimit", transaction_limit),
            ]
            if v21
            else []
        ),
    )
    token_limit = 255 if v21 else 36
    additional_info = _object(
        _required("additionalIdToken", _text(token_limit)),
        _required("type", _text(50)),
    )
    id_token = _object(
        _optional("additionalInfo", _array(additional_info)),
        _required("idToken", _text(token_limit)),
        # 2.1 made the token type free text, for types of its own to come.
        _required("type", _text(20) if v21 else _enum(_ID_TOKEN_TYPES_201)),
    )
    triggers = _TRIGGER_REASONS_201 + (_TRIGGER_REASONS_21 if v21 else ())
    return _object(
        _required("eventType", _enum(_EVENT_TYPES)),
        _optional("meterValue", _array(_meter_value(version))),
        _required("timestamp", _OWN_TIMESTAMP),
        _required("triggerReason", _enum(triggers)),
        _required("seqNo", _counter(version)),
        _optional("offline", _BOOLEAN),
        _optional("numberOfPhasesUsed", _integer(0, 3) if v21 else _integer()),
        _optional("cableMaxCurrent", _integer()),
        _optional("reservationId", _counter(version)),
        _required("transactionInfo", transaction),
        _optional("evse", _evse()),
        _optional("idToken", id_token),
        *(
            [
                _optional("costDetails", _cost_details()),
                _optional("preconditioningStatus", _enum(_PRECONDITIONING_STATUSES)),
                _optional("evseSleep", _BOOLEAN),
            ]
            if v21
            else []
        ),
    )


#: Each request's tree, by version: the one place their keys, types, enums
#: and limits are written. The strict parsers check against them and the
#: lenient readers repair by them.
VERSIONS: Final[tuple[Version, ...]] = ("ocpp2.0.1", "ocpp2.1")
NOTIFY_EVENT: Final = {version: _notify_event(version) for version in VERSIONS}
TRANSACTION_EVENT: Final = {
    version: _transaction_event(version) for version in VERSIONS
}


# --- checking a payload against a tree --------------------------------------


def _check(node: Node, value: object, path: str, problems: list[Problem]) -> None:
    """Append to *problems* everything in *value* that *node* does not allow."""
    if isinstance(node, ValueNode):
        if not _fits(node, value):
            problems.append(Problem(field=path, value=value, expected=node.expected))
        elif node.kind is ValueKind.CUSTOM_DATA:
            found = _custom_data_problem(value, path, json=True)
            if found is not None:
                problems.append(found)
    elif isinstance(node, ObjectNode):
        if not isinstance(value, dict):
            problems.append(Problem(field=path, value=value, expected=node.expected))
            return
        _check_members(node, cast("dict[object, object]", value), path, problems)
    else:
        _check_array(node, value, path, problems)


def _check_members(
    node: ObjectNode, fields: dict[object, object], path: str, problems: list[Problem]
) -> None:
    prefix = f"{path}." if path else ""
    by_key = node.by_key
    if not all(key in by_key for key in fields):
        found = unknown_keys(fields, by_key)
        problems.append(attrs.evolve(found, field=f"{prefix}{found.field}"))
    for member in node.members:
        value = fields.get(member.key, MISSING)
        if value is MISSING:
            if member.required:
                problems.append(
                    problem(f"{prefix}{member.key}", MISSING, _expected_of(member.node))
                )
            continue
        _check(member.node, value, f"{prefix}{member.key}", problems)


def _check_array(
    node: ArrayNode, value: object, path: str, problems: list[Problem]
) -> None:
    if not isinstance(value, list):
        problems.append(Problem(field=path, value=value, expected=node.expected))
        return
    items = cast("list[object]", value)
    if len(items) < node.min_items or (
        node.max_items is not None and len(items) > node.max_items
    ):
        problems.append(Problem(field=path, value=items, expected=node.expected))
    for index, item in enumerate(items):
        _check(node.items, item, f"{path}[{index}]", problems)


def _expected_of(node: Node) -> str:
    return node.expected


def _fits(node: ValueNode, value: object) -> bool:  # noqa: PLR0911  (one return per kind)
    kind = node.kind
    if kind is ValueKind.TEXT:
        return isinstance(value, str) and len(value) <= cast("int", node.max_length)
    if kind is ValueKind.INTEGER:
        number = _as_integer(value)
        return (
            number is not None
            and (node.minimum is None or number >= node.minimum)
            and (node.maximum is None or number <= node.maximum)
        )
    if kind is ValueKind.NUMBER:
        return (is_int(value) or isinstance(value, float)) and math.isfinite(
            cast("float", value)
        )
    if kind is ValueKind.BOOLEAN:
        return isinstance(value, bool)
    if kind is ValueKind.TIMESTAMP:
        return isinstance(value, str) and parse_timestamp(plain(value)) is not None
    if kind is ValueKind.ENUM:
        return plain(value) in node.values
    return isinstance(value, dict)


# --- the fast check ------------------------------------------------------------
#
# The walk above names every problem, and pays for the paths it builds and
# the lists it keeps even when there are none. Replaying a log reads mostly
# valid requests, so each tree is also compiled once into a test of validity
# alone: one generated function of nested ifs and loops (as attrs generates
# __init__), which takes a plain dict, list, str, int, float or bool at a
# glance and hands any other value to _fits, the walk's own rule. It accepts
# exactly what the walk finds no problem with, except that a subclass of dict
# or list goes the walk's way; the tests check both.

Check = Callable[[object], bool]


@attrs.define
class _Source:
    """The text of a generated check, and the names its text refers to."""

    lines: list[str] = attrs.Factory(list[str])
    namespace: dict[str, object] = attrs.Factory(dict[str, object])
    count: int = 0

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def refer(self, value: object, prefix: str) -> str:
        name = self.fresh(prefix)
        self.namespace[name] = value
        return name

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)


def compile_check(node: Node) -> Check:
    """Return a test of whether a value is one *node* allows."""
    source = _Source(namespace={"MISSING": MISSING})
    source.emit(0, "def check(value):")
    _emit(source, node, "value", 1)
    source.emit(1, "return True")
    exec("\n".join(source.lines), source.namespace)  # noqa: S102  (from our own trees)
    return cast("Check", source.namespace["check"])


def _emit(source: _Source, node: Node, name: str, depth: int) -> None:
    """Emit lines that return False unless the value in *name* fits *node*."""
    if isinstance(node, ObjectNode):
        known = source.refer(frozenset(node.by_key), "known")
        source.emit(
            depth,
            f"if type({name}) is not dict or not {name}.keys() <= {known}: "
            "return False",
        )
        # Most members are optional and most payloads carry few of them: a
        # count of the optional keys still to meet (exact once every required
        # key is there, and one missing returns False anyway) lets the check
        # skip the look-ups of the rest once all are met.
        left = source.fresh("left")
        source.emit(depth, f"{left} = len({name}) - {len(node.required)}")
        for member in node.members:
            item = source.fresh("v")
            if member.required:
                source.emit(depth, f"if {member.key!r} not in {name}: return False")
                source.emit(depth, f"{item} = {name}[{member.key!r}]")
                _emit(source, member.node, item, depth)
            else:
                source.emit(
                    depth,
                    f"if {left} and ({item} := {name}.get({member.key!r}, MISSING))"
                    " is not MISSING:",
                )
                source.emit(depth + 1, f"{left} -= 1")
                _emit(source, member.node, item, depth + 1)
    elif isinstance(node, ArrayNode):
        size = f"{node.min_items} <= len({name})"
        if node.max_items is not None:
            size += f" <= {node.max_items}"
        source.emit(depth, f"if type({name}) is not list or not {size}: return False")
        item = source.fresh("v")
        source.emit(depth, f"for {item} in {name}:")
        _emit(source, node.items, item, depth + 1)
    else:
        test = _fast_test(source, node, name)
        source.emit(depth, f"if not ({test}): return False")


def _fast_test(source: _Source, node: ValueNode, name: str) -> str:
    """Return an expression true exactly when *name* holds a value *node* allows."""
    kind = node.kind
    if kind is ValueKind.CUSTOM_DATA:
        # It looks at the type first, and is quick.
        custom = source.refer(_custom_data_problem, "custom")
        return f"{custom}({name}, 'customData', json=True) is None"
    if kind is ValueKind.BOOLEAN:
        return f"type({name}) is bool"
    if kind is ValueKind.TEXT:
        quick = f"type({name}) is str and len({name}) <= {node.max_length}"
    elif kind is ValueKind.INTEGER:
        quick = f"type({name}) is int"
        if node.minimum is not None:
            quick += f" and {name} >= {node.minimum}"
        if node.maximum is not None:
            quick += f" and {name} <= {node.maximum}"
    elif kind is ValueKind.ENUM:
        values = source.refer(frozenset(node.values), "values")
        quick = f"type({name}) is str and {name} in {values}"
    elif kind is ValueKind.TIMESTAMP:
        parse = source.refer(parse_timestamp, "parse")
        quick = f"type({name}) is str and {parse}({name}) is not None"
    else:  # NUMBER
        finite = source.refer(math.isfinite, "finite")
        quick = f"type({name}) is int or (type({name}) is float and {finite}({name}))"
    # Anything else, a str subclass or 1.0 for an integer, the walk's rule decides.
    careful = source.refer(functools.partial(_fits, node), "careful")
    return f"({quick}) or {careful}({name})"


def _validate(
    tree: ObjectNode, payload: object
) -> tuple[dict[str, object], list[Problem]]:
    """Check *payload* against *tree*; raise at once if it is not an object."""
    if _CHECKS[id(tree)](payload):
        return cast("dict[str, object]", payload), []
    return validate_thoroughly(tree, payload)


def validate_thoroughly(
    tree: ObjectNode, payload: object
) -> tuple[dict[str, object], list[Problem]]:
    """Walk *payload* against *tree*, naming every problem; raise if not an object."""
    fields, problems = object_fields(payload, tree.required, tree.by_key)
    # object_fields named the unknown keys; the walk would name them again.
    problems.clear()
    _check_members(tree, fields, "", problems)
    return cast("dict[str, object]", fields), problems


#: Each tree's compiled check, by the tree's id (the trees live as long as
#: the module).
_CHECKS: Final[dict[int, Check]] = {
    id(tree): compile_check(tree)
    for trees in (NOTIFY_EVENT, TRANSACTION_EVENT)
    for tree in trees.values()
}


# --- NotifyEvent ---------------------------------------------------------------


_AVAILABILITY_STATE: Final = "availabilitystate"
_STATION: Final = "chargingstation"
_EVSE: Final = "evse"
_CONNECTOR: Final = "connector"
_STATE_BY_VALUE: Final[dict[str, ConnectorState]] = {
    member.value: member for member in ConnectorState
}
_STATE_EXPECTED: Final = (
    "one of "
    + ", ".join(repr(member.value) for member in ConnectorState)
    + " (the AvailabilityState of a ChargingStation, EVSE or Connector)"
)


def _folded(name: object) -> str:
    """Return a component's or variable's name in lower case; "" if not ASCII.

    OCPP compares these names without regard to case; a look-alike letter
    from another script is not the name.
    """
    text = plain(name)
    return text.lower() if text.isascii() else ""


def parse_notify_event(
    payload: object, *, version: Version = "ocpp2.0.1"
) -> tuple[AvailabilityReport, ...]:
    """Parse a NotifyEventRequest; return its events on AvailabilityState.

    Events on any other variable, or on AvailabilityState of a component other
    than ChargingStation, EVSE or Connector, are checked and not returned.
    Raises :class:`InvalidReport`, and nothing else, listing every problem.
    """
    tree = NOTIFY_EVENT[known_version(version)]
    fields, problems = _validate(tree, payload)
    # Nearly always the schema holds: only the AvailabilityState rules are left.
    broken: Collection[int] = _broken_events(problems) if problems else ()
    reports: list[AvailabilityReport] = []
    events = fields.get("eventData")
    if isinstance(events, list):
        for index, event in enumerate(cast("list[object]", events)):
            if index not in broken:
                report = _availability(
                    cast("dict[str, object]", event), index, problems
                )
                if report is not None:
                    reports.append(report)
    if problems:
        raise InvalidReport(problems)
    return tuple(reports)


def _broken_events(problems: list[Problem]) -> set[int]:
    """Return the indexes of the events the schema found a problem in.

    Those are not read further: their fields may not be what reading needs.
    """
    broken: set[int] = set()
    for found in problems:
        head, bracket, rest = found.field.partition("[")
        if head == "eventData" and bracket:
            broken.add(int(rest.partition("]")[0]))
    return broken


def is_availability_event(event: dict[str, object]) -> bool:
    """Whether an event is on the AvailabilityState of a station, EVSE or connector.

    These are the events :func:`parse_notify_event` returns.
    """
    component, variable = event.get("component"), event.get("variable")
    if not isinstance(component, dict) or not isinstance(variable, dict):
        return False
    names = cast("dict[str, object]", component), cast("dict[str, object]", variable)
    return _folded(names[1].get("name")) == _AVAILABILITY_STATE and _folded(
        names[0].get("name")
    ) in (_STATION, _EVSE, _CONNECTOR)


def _availability(
    event: dict[str, object], index: int, problems: list[Problem]
) -> AvailabilityReport | None:
    """Read one well-formed event; None if it is not on an AvailabilityState."""
    component = cast("dict[str, object]", event["component"])
    variable = cast("dict[str, object]", event["variable"])
    if _folded(variable["name"]) != _AVAILABILITY_STATE:
        return None
    kind = _folded(component["name"])
    if kind not in _PLACES:
        return None
    status = _STATE_BY_VALUE.get(plain(event["actualValue"]))
    place = _place(kind, component)
    if status is None or isinstance(place, str):
        # The paths are written only now: nearly every event is well placed.
        path = f"eventData[{index}]"
        if status is None:
            problems.append(
                Problem(
                    field=f"{path}.actualValue",
                    value=event["actualValue"],
                    expected=_STATE_EXPECTED,
                )
            )
        if isinstance(place, str):
            problems.append(_misplaced(place, component, f"{path}.component"))
        return None
    timestamp = parse_timestamp(plain(event["timestamp"]))
    return _make_availability(place[0], place[1], status, timestamp)


_PLACES: Final = frozenset({_STATION, _EVSE, _CONNECTOR})


def _place(
    kind: str, component: dict[str, object]
) -> tuple[int | None, int | None] | str:
    """Return the EVSE and connector an AvailabilityState is about.

    Or, if the component does not name them as its kind asks, the path below
    the component of what is wrong, for :func:`_misplaced` to explain.
    """
    evse = cast("dict[str, object] | None", component.get("evse"))
    if kind == _STATION:
        return "evse" if evse is not None else (None, None)
    if evse is None:
        return "evse"
    raw_connector = evse.get("connectorId")
    if (kind == _EVSE) is (raw_connector is not None):
        return "evse.connectorId"
    return _as_integer(evse["id"]), _as_integer(raw_connector)


def _misplaced(where: str, component: dict[str, object], path: str) -> Problem:
    """Say what a component of an AvailabilityState lacks, or has too much."""
    kind = _folded(component["name"])
    value = component.get("evse", MISSING)
    if where == "evse.connectorId":
        value = cast("dict[str, object]", value).get("connectorId", MISSING)
    expected = {
        (_STATION, "evse"): "none: component ChargingStation is the whole station",
        (_EVSE, "evse"): "the EVSE the event is about, as {id}",
        (_EVSE, "evse.connectorId"): (
            "none on component EVSE (component Connector reports one connector)"
        ),
        (_CONNECTOR, "evse"): (
            "the connector the event is about, as {id, connectorId}"
        ),
        (_CONNECTOR, "evse.connectorId"): (
            "the connector's id on its EVSE (component Connector)"
        ),
    }[kind, where]
    return problem(f"{path}.{where}", value, expected)


# --- TransactionEvent -----------------------------------------------------------


def parse_transaction_event(
    payload: object, *, version: Version = "ocpp2.0.1"
) -> TransactionReport:
    """Parse a TransactionEventRequest; return what the fold reads of it.

    Raises :class:`InvalidReport`, and nothing else, listing every problem.
    """
    return _make_transaction(*read_transaction(payload, version))


TransactionFacts = tuple[
    str, str, int | None, int | None, ChargingState | None, datetime
]
"""A :class:`TransactionReport`'s fields, in order, as a plain tuple: the fold
reads one per TransactionEvent and needs no object of them."""


def read_transaction(payload: object, version: Version) -> TransactionFacts:
    """Read a TransactionEventRequest as :func:`parse_transaction_event` does."""
    # "in VERSIONS" first: a caller without a type checker may pass anything.
    rules = _QUICK[version] if version in VERSIONS else None
    if rules is not None and type(payload) is dict:
        facts = _read_quickly(payload, rules)  # pyright: ignore[reportUnknownArgumentType]
        if facts is not None:
            return facts
    # cast(): the type check above narrowed the payload for the type checkers.
    return _read_transaction_carefully(cast("object", payload), version)  # type: ignore[redundant-cast]


def _read_transaction_carefully(payload: object, version: Version) -> TransactionFacts:
    """Read as :func:`read_transaction` does, by the checks of the tree."""
    tree = TRANSACTION_EVENT[known_version(version)]
    fields, problems = _validate(tree, payload)
    if problems:
        raise InvalidReport(problems)
    info = cast("dict[str, object]", fields["transactionInfo"])
    evse = cast("dict[str, object]", fields.get("evse", _NO_EVSE))
    # The values have been checked: the look-ups cannot miss.
    return (
        plain(fields["eventType"]),
        plain(info["transactionId"]),
        _as_integer(evse.get("id")),
        _as_integer(evse.get("connectorId")),
        _CHARGING_STATE_BY_VALUE[plain(info.get("chargingState"))],
        cast("datetime", parse_timestamp(plain(fields["timestamp"]))),
    )


# --- the fast path ----------------------------------------------------------------
#
# Nearly every TransactionEvent in a log is the plain request: its five
# required members, an evse, and in transactionInfo the id and a charging
# state, each of the plain JSON type. Replay reads a great many of them, so
# that shape is read by hand here, against limits and enums taken from the
# tree (they stay written once). Anything else, and anything this does not
# accept, goes the checked way, which alone decides what is rejected and
# says why; tests/test_ocpp2_events_schema.py holds the two to the same
# answers.

_QuickRules = tuple[
    int,  # how many members are required
    frozenset[str],  # eventType
    frozenset[str],  # triggerReason
    int | None,  # seqNo's minimum
    int,  # transactionId's length limit
    dict[str, ChargingState],  # chargingState
    int,  # evse.id's minimum
    int,  # evse.connectorId's minimum
]


def _quick_rules(tree: ObjectNode) -> _QuickRules:
    """Read the fast path's limits and enums out of a TransactionEvent tree."""

    def leaf(node: ObjectNode, key: str) -> ValueNode:
        found = node.by_key[key].node
        assert isinstance(found, ValueNode)  # noqa: S101  (our own trees)
        return found

    def inner(key: str) -> ObjectNode:
        found = tree.by_key[key].node
        assert isinstance(found, ObjectNode)  # noqa: S101  (our own trees)
        return found

    info, evse = inner("transactionInfo"), inner("evse")
    return (
        len(tree.required),
        frozenset(leaf(tree, "eventType").values),
        frozenset(leaf(tree, "triggerReason").values),
        leaf(tree, "seqNo").minimum,
        cast("int", leaf(info, "transactionId").max_length),
        {value: ChargingState(value) for value in leaf(info, "chargingState").values},
        cast("int", leaf(evse, "id").minimum),
        cast("int", leaf(evse, "connectorId").minimum),
    )


_QUICK: Final[dict[str, _QuickRules]] = {
    version: _quick_rules(tree) for version, tree in TRANSACTION_EVENT.items()
}


def _read_quickly(  # noqa: PLR0911  (one pass, for speed)
    fields: dict[str, object], rules: _QuickRules
) -> TransactionFacts | None:
    """Read the plain request; None for anything else (the careful way's)."""
    (
        required_count,
        event_types,
        triggers,
        seq_minimum,
        id_limit,
        charging_states,
        evse_minimum,
        connector_minimum,
    ) = rules
    get = fields.get
    evse = get("evse")
    # A key present with null is counted and read as absent: the sizes then
    # disagree and the careful way judges it.
    if len(fields) != required_count + (evse is not None):
        return None
    event_type = get("eventType")
    trigger = get("triggerReason")
    seq_no = get("seqNo")
    info = get("transactionInfo")
    raw_timestamp = get("timestamp")
    if (
        type(event_type) is not str
        or event_type not in event_types
        or type(trigger) is not str
        or trigger not in triggers
        or type(seq_no) is not int
        or (seq_minimum is not None and seq_no < seq_minimum)
        or type(info) is not dict
        or type(raw_timestamp) is not str
    ):
        return None
    details = cast("dict[str, object]", info)
    transaction_id = details.get("transactionId")
    raw_state = details.get("chargingState")
    if (
        type(transaction_id) is not str
        or len(transaction_id) > id_limit
        or len(details) != 1 + (raw_state is not None)
    ):
        return None
    state: ChargingState | None = None
    if raw_state is not None:
        state = charging_states.get(raw_state) if type(raw_state) is str else None
        if state is None:
            return None
    evse_id = connector_id = None
    if evse is not None:
        if type(evse) is not dict:
            return None
        place = cast("dict[str, object]", evse)
        evse_id = place.get("id")
        connector_id = place.get("connectorId")
        if (
            type(evse_id) is not int
            or evse_id < evse_minimum
            or len(place) != 1 + (connector_id is not None)
            or (
                connector_id is not None
                and (type(connector_id) is not int or connector_id < connector_minimum)
            )
        ):
            return None
    timestamp = parse_timestamp(raw_timestamp)
    if timestamp is None:
        return None
    # The EVSE's ids are ints or None by the checks above.
    return (event_type, transaction_id, evse_id, connector_id, state, timestamp)  # type: ignore[return-value]  # pyright: ignore[reportReturnType]


_NO_EVSE: Final[dict[str, object]] = {}
# plain() makes "" of a value that is absent (None).
_CHARGING_STATE_BY_VALUE: Final[dict[str, ChargingState | None]] = {
    "": None,
    **{member.value: member for member in ChargingState},
}
# Build the reports parse_* have checked without __init__ checking again; their
# timestamps come from parse_timestamp, in UTC already.
_make_transaction: Final = fast_constructor(TransactionReport, convert=False)
_make_availability: Final = fast_constructor(AvailabilityReport, convert=False)


def known_version(version: object) -> Version:
    """Return *version* if its schemas are known here; else raise ValueError."""
    for known in VERSIONS:
        if version == known:
            return known
    raise wrong_value("version", version, " or ".join(map(repr, VERSIONS)))
