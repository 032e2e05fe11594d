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
schema), and one walker checks any payload against its tree; the cost is a
visit per JSON value, small beside reading the JSON line.

On top of the schema, the rules the OCPP text adds, as the StatusNotification
parser keeps them:

- an EVSE's ``id`` and a ``connectorId`` are at least 1 (the 2.1 schema says
  0; the text of both versions says an EVSE is numbered from 1);
- every date-time is a real RFC 3339 time with an offset (JSON Schema's
  ``format`` is not enforced by common validators);
- a number is finite: JSON has no NaN or Infinity;
- an event on ``AvailabilityState`` of component ``ChargingStation``, ``EVSE``
  or ``Connector`` has a ConnectorState as its ``actualValue`` and names the
  EVSE (and, for a connector, its connector id) it is about.

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

import math
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from typing import Final, Literal, cast

import attrs

from ._enums import ChargingState, ConnectorState
from ._errors import wrong_value
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
EVENT_TYPES: Final = ("Ended", "Started", "Updated")


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
        _required("eventType", _enum(EVENT_TYPES)),
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
# valid requests, so each tree is also compiled once into a test of
# validity alone: nested closures that take a plain dict, list, str, int or
# bool at a glance and hand any other value to _fits, the walk's own rule.
# It accepts exactly what the walk finds no problem with, except that a
# subclass of dict or list goes the walk's way; the tests check both.

Check = Callable[[object], bool]


def compile_check(node: Node) -> Check:
    """Return a test of whether a value is one *node* allows."""
    if isinstance(node, ObjectNode):
        return _compile_object(node)
    if isinstance(node, ArrayNode):
        return _compile_array(node)
    return _compile_value(node)


def _compile_object(node: ObjectNode) -> Check:
    known = frozenset(node.by_key)
    required = node.required
    checks = {member.key: compile_check(member.node) for member in node.members}

    def check(value: object) -> bool:
        if type(value) is not dict:
            return False
        # Keys that are not strings fail here: no known key equals one.
        fields = cast("dict[str, object]", value)
        if not fields.keys() <= known:
            return False
        for key in required:
            if key not in fields:
                return False
        # A loop, not all() over a generator: this runs for every value.
        for key, item in fields.items():  # noqa: SIM110
            if not checks[key](item):
                return False
        return True

    return check


def _compile_array(node: ArrayNode) -> Check:
    check_item = compile_check(node.items)
    least = node.min_items
    most = math.inf if node.max_items is None else node.max_items

    def check(value: object) -> bool:
        if type(value) is not list:
            return False
        items = cast("list[object]", value)
        if not least <= len(items) <= most:
            return False
        for item in items:  # noqa: SIM110  (see above)
            if not check_item(item):
                return False
        return True

    return check


def _compile_value(node: ValueNode) -> Check:
    kind = node.kind

    def careful(value: object) -> bool:
        return _fits(node, value)

    if kind is ValueKind.TEXT:
        limit = cast("int", node.max_length)
        return lambda value: (
            (type(value) is str and len(value) <= limit) or careful(value)
        )
    if kind is ValueKind.INTEGER:
        low = -math.inf if node.minimum is None else node.minimum
        high = math.inf if node.maximum is None else node.maximum
        return lambda value: (
            (type(value) is int and low <= value <= high) or careful(value)
        )
    if kind is ValueKind.ENUM:
        values = frozenset(node.values)
        return lambda value: (type(value) is str and value in values) or careful(value)
    if kind is ValueKind.TIMESTAMP:
        return lambda value: (
            (type(value) is str and parse_timestamp(value) is not None)
            or careful(value)
        )
    if kind is ValueKind.CUSTOM_DATA:
        # It checks that the value is a dict first.
        return lambda value: (
            _custom_data_problem(value, "customData", json=True) is None
        )
    return careful


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
    reports: list[AvailabilityReport] = []
    events = fields.get("eventData")
    if isinstance(events, list):
        broken = _broken_events(problems)
        for index, event in enumerate(cast("list[object]", events)):
            if index not in broken:
                path = f"eventData[{index}]"
                report = _availability(cast("dict[str, object]", event), path, problems)
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
    event: dict[str, object], path: str, problems: list[Problem]
) -> AvailabilityReport | None:
    """Read one well-formed event; None if it is not on an AvailabilityState."""
    component = cast("dict[str, object]", event["component"])
    if not is_availability_event(event):
        return None
    kind = _folded(component["name"])
    found: list[Problem] = []
    raw = event["actualValue"]
    status = _STATE_BY_VALUE.get(plain(raw))
    if status is None:
        found.append(
            Problem(field=f"{path}.actualValue", value=raw, expected=_STATE_EXPECTED)
        )
    evse_id, connector_id = _place(kind, component, f"{path}.component", found)
    if found or status is None:
        problems.extend(found)
        return None
    timestamp = parse_timestamp(plain(event["timestamp"]))
    return AvailabilityReport(
        evse_id=evse_id,
        connector_id=connector_id,
        status=status,
        timestamp=cast("datetime", timestamp),
    )


def _place(
    kind: str, component: dict[str, object], path: str, problems: list[Problem]
) -> tuple[int | None, int | None]:
    """Return the EVSE and connector an AvailabilityState is about."""
    raw_evse = component.get("evse", MISSING)
    if kind == _STATION:
        if raw_evse is not MISSING:
            problems.append(
                Problem(
                    field=f"{path}.evse",
                    value=raw_evse,
                    expected="no evse: component ChargingStation is the whole station",
                )
            )
        return None, None
    if raw_evse is MISSING:
        problems.append(
            problem(
                f"{path}.evse",
                MISSING,
                f"the id of the EVSE component {component['name']!s} is about"
                if kind == _EVSE
                else "the EVSE id and connectorId of the Connector component",
            )
        )
        return None, None
    evse = cast("dict[str, object]", raw_evse)
    evse_id = cast("int", _as_integer(evse["id"]))
    raw_connector = evse.get("connectorId", MISSING)
    if kind == _EVSE:
        if raw_connector is not MISSING:
            problems.append(
                Problem(
                    field=f"{path}.evse.connectorId",
                    value=raw_connector,
                    expected="none on component EVSE (component Connector "
                    "reports one connector)",
                )
            )
        return evse_id, None
    if raw_connector is MISSING:
        problems.append(
            problem(
                f"{path}.evse.connectorId",
                MISSING,
                "the connector's id on its EVSE (component Connector)",
            )
        )
        return None, None
    return evse_id, _as_integer(raw_connector)


# --- TransactionEvent -----------------------------------------------------------


def parse_transaction_event(
    payload: object, *, version: Version = "ocpp2.0.1"
) -> TransactionReport:
    """Parse a TransactionEventRequest; return what the fold reads of it.

    Raises :class:`InvalidReport`, and nothing else, listing every problem.
    """
    tree = TRANSACTION_EVENT[known_version(version)]
    fields, problems = _validate(tree, payload)
    if problems:
        raise InvalidReport(problems)
    info = cast("dict[str, object]", fields["transactionInfo"])
    evse = cast("dict[str, object]", fields.get("evse", {}))
    raw_state = info.get("chargingState")
    return TransactionReport(
        event_type=plain(fields["eventType"]),
        transaction_id=plain(info["transactionId"]),
        evse_id=_as_integer(evse.get("id")),
        connector_id=_as_integer(evse.get("connectorId")),
        charging_state=None if raw_state is None else ChargingState(plain(raw_state)),
        timestamp=cast("datetime", parse_timestamp(plain(fields["timestamp"]))),
    )


def known_version(version: object) -> Version:
    """Return *version* if its schemas are known here; else raise ValueError."""
    for known in VERSIONS:
        if version == known:
            return known
    raise wrong_value("version", version, " or ".join(map(repr, VERSIONS)))
