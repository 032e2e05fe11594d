"""Lenient parsing: what real chargers send outside OCPP, repaired in the open.

The strict parsers stay the default. The lenient ones call them first, so a
strictly valid payload costs one strict parse and comes back with no repairs.
Only a payload the strict parser rejects is rewritten, field by field, into the
form OCPP asks for, each change recorded as a ``Repair``; the rewritten
payload is then parsed strictly again. A lenient report is therefore always
one the strict parser accepts, and what could not be repaired raises
:class:`InvalidReport` naming every problem, with the values as sent.

The one strictly valid value that is repaired is the zero time
``0001-01-01T00:00:00``: firmware without a clock sends it, and it is never a
time anything happened.

Every kind of repair, where it applies, what is done and why is data:
``REPAIR_RULES``, from which the documentation's table is printed.

Nothing here writes down a protocol's keys, limits or enums: the reader
derives what it reads from each strict parser's own table of fields
(``FIELDS`` of :mod:`evstatus._ocpp16` and :mod:`evstatus._ocpp2`), so a
field a strict parser learns is one the lenient reader knows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import datetime
from enum import Enum, StrEnum
from functools import cache
from typing import Final, Generic, NamedTuple, TypeVar, cast

import attrs

from . import _ocpp2, _ocpp16
from . import _ocpp2_events as _events
from ._enums import ConnectorState, DescribedEnum, describe
from ._errors import optional_utc, shorten
from ._frozen import FrozenMap
from ._payload import MISSING, FieldKind, PayloadField, is_int, plain, problem
from ._timestamps import ZERO_TIME, format_timestamp, parse_timestamp
from .exceptions import InvalidReport, Problem

__all__ = [
    "ANY_OTHER_KEY",
    "REPAIR_RULES",
    "Parsed",
    "ParsedMessage",
    "Repair",
    "RepairKind",
    "RepairRule",
    "parse_lenient_notify_event",
    "parse_lenient_ocpp16",
    "parse_lenient_ocpp201",
    "parse_lenient_transaction_event",
]


class RepairKind(DescribedEnum):
    """A way real chargers depart from OCPP that lenient parsing repairs."""

    EXTRA_KEY = "extra_key"
    NULL_VALUE = "null_value"
    NUMERIC_STRING = "numeric_string"
    ENUM_CASE = "enum_case"
    UNKNOWN_ERROR_CODE = "unknown_error_code"
    TEXT_TOO_LONG = "text_too_long"
    TIMESTAMP_SPACE = "timestamp_space"
    TIMESTAMP_OFFSET_HOURS = "timestamp_offset_hours"
    TIMESTAMP_OFFSET_NO_COLON = "timestamp_offset_no_colon"
    TIMESTAMP_NO_OFFSET = "timestamp_no_offset"
    TIMESTAMP_ZERO = "timestamp_zero"
    TIME_OF_RECEIPT = "time_of_receipt"


describe(
    RepairKind,
    {
        RepairKind.EXTRA_KEY: "A key the protocol does not define.",
        RepairKind.NULL_VALUE: "JSON null for a field that may be left out.",
        RepairKind.NUMERIC_STRING: "An id sent as a string of decimal digits.",
        RepairKind.ENUM_CASE: "A status or error code written in another case.",
        RepairKind.UNKNOWN_ERROR_CODE: (
            "An error code OCPP 1.6 does not define, such as a vendor's own."
        ),
        RepairKind.TEXT_TOO_LONG: "Free text longer than OCPP allows.",
        RepairKind.TIMESTAMP_SPACE: "A space between date and time instead of T.",
        RepairKind.TIMESTAMP_OFFSET_HOURS: "A UTC offset in hours only, like +03.",
        RepairKind.TIMESTAMP_OFFSET_NO_COLON: (
            "A UTC offset without its colon, like +0300."
        ),
        RepairKind.TIMESTAMP_NO_OFFSET: "A date and time with no UTC offset at all.",
        RepairKind.TIMESTAMP_ZERO: (
            "The zero time 0001-01-01T00:00:00 of a station that has no clock."
        ),
        RepairKind.TIME_OF_RECEIPT: (
            "An OCPP 2.0.1 / 2.1 report with no usable timestamp."
        ),
    },
)

#: Stands in :attr:`RepairRule.ocpp16` and ``ocpp2`` for every key the
#: protocol does not define.
ANY_OTHER_KEY: Final = "*"


@attrs.frozen(kw_only=True)
class RepairRule:
    """One row of the repair table: a kind, where it applies, what is done, why."""

    kind: RepairKind
    ocpp16: tuple[str, ...]
    """The OCPP 1.6 keys it applies to; empty if it never applies to 1.6."""
    ocpp2: tuple[str, ...]
    """The OCPP 2.0.1 / 2.1 keys it applies to; empty if it never applies there."""
    example: str
    """A value as a station sent it, in JSON."""
    action: str
    """What lenient parsing does."""
    why: str
    """Why that is a safe reading."""


# --- what is read, from the strict parsers' fields ------------------------------


@attrs.frozen(kw_only=True)
class _Code:
    """An enum field whose protocol lets a vendor have codes of its own."""

    key: str
    values: type[StrEnum]
    other: str
    """The value that stands for a code the enum lacks."""
    vendor_field: str
    """The text field that then holds the vendor's code, ..."""
    limit: int
    """... and its limit."""


@attrs.frozen(kw_only=True)
class _Table:
    """What lenient reading reads of one protocol's payload, in reading order."""

    known: frozenset[str]
    nullable: tuple[str, ...]
    """Keys whose JSON null reads as if the key were left out."""
    ids: tuple[tuple[str, int, bool], ...]
    """Each id's key, its minimum, and whether 1.0 reads as 1."""
    enums: tuple[tuple[str, type[StrEnum]], ...]
    """Each enum's key and values, vendor codes aside."""
    timestamp: str
    receipt: bool
    """Whether a report without a usable timestamp takes the time of receipt
    (where OCPP requires one) rather than going without."""
    texts: tuple[tuple[str, int], ...]
    """Each text's key and limit."""
    codes: tuple[_Code, ...]


def _table(fields: Iterable[PayloadField]) -> _Table:
    """Derive what lenient reading reads from a strict parser's table of fields."""
    given = tuple(fields)
    limits = {
        field.key: field.max_length
        for field in given
        if field.kind is FieldKind.TEXT and field.max_length is not None
    }
    (timestamp,) = (field for field in given if field.kind is FieldKind.TIMESTAMP)
    return _Table(
        known=frozenset(field.key for field in given),
        # Null reads as left out where the key may be left out, and for the
        # timestamp, whose absence lenient reading repairs.
        nullable=tuple(
            field.key
            for field in given
            if not field.required or field.kind is FieldKind.TIMESTAMP
        ),
        ids=tuple(
            (field.key, field.minimum, field.integral_floats)
            for field in given
            if field.kind is FieldKind.ID and field.minimum is not None
        ),
        enums=tuple(
            (field.key, field.values)
            for field in given
            if field.values is not None and field.vendor_field is None
        ),
        timestamp=timestamp.key,
        receipt=timestamp.required,
        texts=tuple(limits.items()),
        codes=tuple(
            _Code(
                key=field.key,
                values=field.values,
                other=field.other,
                vendor_field=field.vendor_field,
                limit=limits[field.vendor_field],
            )
            for field in given
            if field.values is not None
            and field.other is not None
            and field.vendor_field is not None
        ),
    )


_TABLE_16: Final = _table(_ocpp16.FIELDS)
_TABLE_2: Final = _table(_ocpp2.FIELDS)


def _applies_to(kind: RepairKind, table: _Table) -> tuple[str, ...]:
    """Return the keys of a payload that a kind of repair applies to."""
    timestamp = (table.timestamp,)
    codes = tuple(code.key for code in table.codes)
    keys: dict[RepairKind, tuple[str, ...]] = {
        RepairKind.EXTRA_KEY: (ANY_OTHER_KEY,),
        RepairKind.NULL_VALUE: table.nullable,
        RepairKind.NUMERIC_STRING: tuple(key for key, _, _ in table.ids),
        RepairKind.ENUM_CASE: (*(key for key, _ in table.enums), *codes),
        RepairKind.UNKNOWN_ERROR_CODE: codes,
        RepairKind.TEXT_TOO_LONG: tuple(key for key, _ in table.texts),
        RepairKind.TIMESTAMP_SPACE: timestamp,
        RepairKind.TIMESTAMP_OFFSET_HOURS: timestamp,
        RepairKind.TIMESTAMP_OFFSET_NO_COLON: timestamp,
        RepairKind.TIMESTAMP_NO_OFFSET: timestamp,
        RepairKind.TIMESTAMP_ZERO: timestamp,
        RepairKind.TIME_OF_RECEIPT: timestamp if table.receipt else (),
    }
    return keys[kind]


def _rule(kind: RepairKind, *, example: str, action: str, why: str) -> RepairRule:
    return RepairRule(
        kind=kind,
        ocpp16=_applies_to(kind, _TABLE_16),
        ocpp2=_applies_to(kind, _TABLE_2),
        example=example,
        action=action,
        why=why,
    )


def _limits_in_words(texts: Iterable[tuple[str, int]]) -> str:
    """Say each text's limit, keys with the same limit together."""
    by_limit: dict[int, list[str]] = {}
    for key, limit in texts:
        by_limit.setdefault(limit, []).append(key)
    parts = [f"{' and '.join(keys)} {limit}" for limit, keys in by_limit.items()]
    parts[0] += " characters"
    return ", ".join(parts)


(_ERROR_CODE,) = _TABLE_16.codes

#: Every repair lenient parsing makes, in the order the docs list them.
REPAIR_RULES: Final[tuple[RepairRule, ...]] = (
    _rule(
        RepairKind.EXTRA_KEY,
        example='"meterValue": 1234',
        action="Dropped; the repair names the key and keeps its value.",
        why=(
            "Nothing reads it, and both schemas forbid it. Vendor data has its "
            "own place: vendorId and vendorErrorCode in 1.6, customData in 2.x."
        ),
    ),
    _rule(
        RepairKind.NULL_VALUE,
        example='"info": null',
        action="Read as if the key were left out.",
        why=(
            "Null says there is no value, which is what leaving the key out "
            "says in the form OCPP allows. A null required field is not "
            "repaired (a 2.x timestamp aside: see time_of_receipt)."
        ),
    ),
    _rule(
        RepairKind.NUMERIC_STRING,
        example='"connectorId": "2"',
        action=(
            "Read as the integer its digits spell: ASCII digits only, 1 to 18 "
            "of them, leading zeros allowed."
        ),
        why=(
            "Plain digits name exactly one number. A sign, a space, a fraction "
            "or another script's digits could be a mistake of another kind, "
            "so those are rejected, and so is an id below the protocol's minimum."
        ),
    ),
    _rule(
        RepairKind.ENUM_CASE,
        example='"status": "CHARGING"',
        action="Read as the member whose value matches, ignoring ASCII letter case.",
        why=(
            "No two OCPP values differ in case alone, so the match is never "
            "ambiguous. Text with non-ASCII letters is not matched: a look-alike "
            "letter is not the value."
        ),
    ),
    _rule(
        RepairKind.UNKNOWN_ERROR_CODE,
        example='"errorCode": "E42_OverTemp"',
        action=(
            f"Replaced by {_ERROR_CODE.other}. The code sent becomes "
            f"{_ERROR_CODE.vendor_field} if that is absent and the code fits its "
            f"{_ERROR_CODE.limit} characters; otherwise it is kept in the repair "
            f"only, which says so. A blank code is rejected."
        ),
        why=(
            "OtherError is OCPP's code for an error without a code of its own "
            "and vendorErrorCode is where OCPP keeps a vendor's, so the fault is "
            "neither lost nor made up. A vendorErrorCode the station sent is "
            "never overwritten."
        ),
    ),
    _rule(
        RepairKind.TEXT_TOO_LONG,
        example='"info": "<73 characters>"',
        action=(
            f"Cut to its limit ({_limits_in_words(_TABLE_16.texts + _TABLE_2.texts)}"
            "); the repair says the original length and keeps the whole text."
        ),
        why=(
            "The text is for people and nothing decides by it; the start "
            "usually says what matters, and nothing is lost from the record."
        ),
    ),
    _rule(
        RepairKind.TIMESTAMP_SPACE,
        example='"timestamp": "2025-04-25 15:39:32Z"',
        action="Read as if the space were a T.",
        why=(
            "RFC 3339 itself names the space as a readable alternative "
            "(section 5.6); nothing else could be meant."
        ),
    ),
    _rule(
        RepairKind.TIMESTAMP_OFFSET_HOURS,
        example='"timestamp": "2025-04-25T15:39:32+03"',
        action="Read as whole hours: +03 is +03:00.",
        why="ISO 8601 allows an offset in hours alone; it names one offset.",
    ),
    _rule(
        RepairKind.TIMESTAMP_OFFSET_NO_COLON,
        example='"timestamp": "2025-04-25T15:39:32+0300"',
        action="Read with the colon: +0300 is +03:00.",
        why="It is ISO 8601's basic format; the digits name one offset.",
    ),
    _rule(
        RepairKind.TIMESTAMP_NO_OFFSET,
        example='"timestamp": "2025-04-25T12:39:32"',
        action="Assumed to be UTC.",
        why=(
            "Without an offset the time names no instant. UTC is the one zone a "
            "central system can assume without knowing where the station "
            "stands; the repair says it was assumed, so a station that sends "
            "local time can be found."
        ),
    ),
    _rule(
        RepairKind.TIMESTAMP_ZERO,
        example='"timestamp": "0001-01-01T00:00:00Z"',
        action=(
            "Treated as no timestamp: a 1.6 report goes without one, a 2.x "
            "report takes the time of receipt. That clock reading with any "
            "offset counts, and so does any time naming its instant in UTC."
        ),
        why=(
            "It is the empty value of some platforms' date type, not a time "
            "anything happened. Kept, it would make the report older than any "
            "other, and a station history would drop it as a late delivery."
        ),
    ),
    _rule(
        RepairKind.TIME_OF_RECEIPT,
        example='"timestamp": null',
        action=(
            "The time of receipt the caller passes as received_at is used; "
            "without it the report is rejected."
        ),
        why=(
            "The 2.0.1 schema says the time of receipt is assumed when the "
            "timestamp is absent. Only the caller knows that time: evstatus "
            "reads no clock."
        ),
    ),
)

_RULES: Final[Mapping[RepairKind, RepairRule]] = FrozenMap(
    {rule.kind: rule for rule in REPAIR_RULES}
)


@attrs.frozen(kw_only=True)
class Repair:
    """One change lenient parsing made to a payload, so that none is silent.

    >>> from evstatus import ocpp16
    >>> parsed = ocpp16.parse_lenient(
    ...     {"connectorId": "1", "errorCode": "NoError", "status": "Available"}
    ... )
    >>> (repair,) = parsed.repairs
    >>> repair.kind, repair.field, repair.original
    (<RepairKind.NUMERIC_STRING: 'numeric_string'>, 'connectorId', '1')
    """

    kind: RepairKind
    field: str
    """The JSON key whose value was repaired."""
    original: object = attrs.field(repr=shorten, hash=False)
    """The value as sent (``None`` for a key that was absent or null)."""
    action: str
    """What was done, in words."""
    why: str
    """Why that reading is safe, in words."""

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(field=name, value=value, expected=expected)
            for name, value, expected in (
                ("kind", self.kind, "a RepairKind member"),
                ("field", self.field, "a str"),
                ("action", self.action, "a str"),
                ("why", self.why, "a str"),
            )
            if not isinstance(value, RepairKind if name == "kind" else str)
        ]
        if problems:
            raise InvalidReport(problems, what="repair")


ReportT = TypeVar("ReportT", _ocpp16.ConnectorReport, _ocpp2.ConnectorReport)


@attrs.frozen(kw_only=True)
class Parsed(Generic[ReportT]):
    """A report read leniently, and every repair it took to read it."""

    report: ReportT
    """The report, as the strict parser would build it from the repaired payload."""
    repairs: tuple[Repair, ...] = ()
    """In the order the fields were read: keys first, then each field's own."""


# A strictly valid payload pays for one strict parse and this: writing the
# slots directly skips attrs' __init__, a sizeable share of the extra cost.
_slots = Parsed.__dict__
_set_report = _slots["report"].__set__
_set_repairs = _slots["repairs"].__set__
del _slots
_new = object.__new__


def _unrepaired(report: ReportT) -> Parsed[ReportT]:
    parsed = cast("Parsed[ReportT]", _new(Parsed))
    _set_report(parsed, report)
    _set_repairs(parsed, ())
    return parsed


# --- reading -----------------------------------------------------------------


def parse_lenient_ocpp16(payload: object) -> Parsed[_ocpp16.ConnectorReport]:
    """Parse an OCPP 1.6 StatusNotification request, repairing what is safe to.

    A strictly valid payload takes :meth:`ConnectorReport.from_ocpp` alone and
    comes back with no repairs (unless its timestamp is the zero time). Raises
    :class:`InvalidReport`, and nothing else, for what cannot be repaired,
    naming every problem.

    >>> from evstatus import ocpp16
    >>> parsed = ocpp16.parse_lenient({
    ...     "connectorId": 1, "errorCode": "noError", "status": "Charging",
    ...     "timestamp": "2025-04-25T15:39:32+03",
    ... })
    >>> parsed.report.timestamp.isoformat()  # held in UTC
    '2025-04-25T12:39:32+00:00'
    >>> ", ".join(repair.kind.value for repair in parsed.repairs)
    'timestamp_offset_hours, enum_case'
    """
    try:
        report = _strict_16(payload)
    except InvalidReport:
        if not isinstance(payload, dict):
            raise
        return _repair(cast("dict[object, object]", payload), _TABLE_16, _strict_16)
    timestamp = report.timestamp
    if (
        timestamp is not None
        and timestamp.year == 1
        and _is_zero_time(payload, _TABLE_16.timestamp)
    ):
        return _repair(cast("dict[object, object]", payload), _TABLE_16, _strict_16)
    return _unrepaired(report)


def parse_lenient_ocpp201(
    payload: object, *, received_at: datetime | None = None
) -> Parsed[_ocpp2.ConnectorReport]:
    """Parse an OCPP 2.0.1 or 2.1 StatusNotificationRequest, repairing what is safe.

    *received_at*, when the platform received the message (timezone-aware),
    stands in for a timestamp that is absent, null or the zero time, as the
    2.0.1 schema says; without it such a report is rejected. A strictly valid
    payload takes :meth:`ocpp201.ConnectorReport.from_ocpp` alone and comes back
    with no repairs (unless its timestamp is the zero time). Raises
    :class:`InvalidReport`, and nothing else, for what cannot be repaired,
    naming every problem.

    >>> from datetime import UTC, datetime
    >>> from evstatus import ocpp201
    >>> parsed = ocpp201.parse_lenient(
    ...     {"connectorStatus": "occupied", "evseId": "1", "connectorId": 1},
    ...     received_at=datetime(2026, 11, 22, 10, 15, tzinfo=UTC),
    ... )
    >>> parsed.report.connector, parsed.report.timestamp.isoformat()
    ((1, 1), '2026-11-22T10:15:00+00:00')
    >>> ", ".join(repair.kind.value for repair in parsed.repairs)
    'numeric_string, enum_case, time_of_receipt'
    """
    # The annotation is a promise a caller without a type checker may break.
    received_at = optional_utc("received_at", received_at)
    try:
        report = _strict_2(payload)
    except InvalidReport:
        if not isinstance(payload, dict):
            raise
        return _repair(
            cast("dict[object, object]", payload), _TABLE_2, _strict_2, received_at
        )
    if report.timestamp.year == 1 and _is_zero_time(payload, _TABLE_2.timestamp):
        return _repair(
            cast("dict[object, object]", payload), _TABLE_2, _strict_2, received_at
        )
    return _unrepaired(report)


_strict_16: Final = _ocpp16.ConnectorReport.from_ocpp
_strict_2: Final = _ocpp2.ConnectorReport.from_ocpp


def _is_zero_time(payload: object, key: str) -> bool:
    """Whether a valid payload's timestamp is the zero time, on the clock or in UTC.

    Read from the text: the report holds its timestamp in UTC, so the clock
    the station wrote is only in the payload.
    """
    raw = cast("dict[str, object]", payload)[key]
    text = str(raw)
    clock = text[11:19]
    fraction = text[19:].partition("+")[0].partition("-")[0].rstrip("Zz")
    if text[:10] == "0001-01-01" and _is_zero_clock(clock + fraction):
        return True
    moment = parse_timestamp(text)
    return moment == ZERO_TIME


def _repair(
    payload: dict[object, object],
    table: _Table,
    parse: Callable[[object], ReportT],
    received_at: datetime | None = None,
) -> Parsed[ReportT]:
    rewrite = _Rewrite.of(payload, table.known, table.nullable)
    for key, minimum, fractions in table.ids:
        rewrite.read_id(key, minimum=minimum, fractions=fractions)
    for key, enum in table.enums:
        rewrite.read_status(key, enum)
    key = table.timestamp
    found = rewrite.read_timestamp(key)
    if table.receipt:
        if found is not _PRESENT:
            rewrite.use_time_of_receipt(key, received_at, zero=found is _ZERO)
    elif found is _ZERO:
        rewrite.drop(key)
    for key, limit in table.texts:
        rewrite.read_text(key, limit)
    for code in table.codes:
        rewrite.read_code(code)
    return rewrite.finish(parse)


class _Found(Enum):
    """What read_timestamp found."""

    PRESENT = "present"  # read, perhaps rewritten, or rejected
    ABSENT = "absent"
    ZERO = "zero"


_PRESENT: Final = _Found.PRESENT
_ABSENT: Final = _Found.ABSENT
_ZERO: Final = _Found.ZERO


@cache
def _values_by_folded(enum: type[StrEnum]) -> Mapping[str, str]:
    """Return an enum's values by their lower-case form; no two values share one."""
    return {member.value.lower(): member.value for member in enum}


_DIGITS: Final = re.compile(r"[0-9]{1,18}")
# RFC 3339's date-time with the deviations real chargers send: a space for
# the T, an offset of hours only or without its colon, or no offset at all.
_NEAR_RFC3339: Final = re.compile(
    r"(?P<date>[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))"
    r"(?P<separator>[Tt ])"
    r"(?P<time>(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?)"
    r"(?P<offset>[Zz]|(?P<sign>[+-])(?P<hours>[01][0-9]|2[0-3])"
    r"(?:(?P<colon>:)?(?P<minutes>[0-5][0-9]))?)?"
)
_TIMESTAMP_EXPECTED: Final = (
    "a date and time like '2026-11-22T10:15:00Z' (read leniently: a space for "
    "the T, an offset like +03 or +0300, or none for UTC)"
)
_RECEIPT_HINT: Final = "; or pass received_at to use the time of receipt"


@attrs.define
class _Rewrite:
    """A payload being rewritten into the form OCPP asks for, and the record of it."""

    fields: dict[object, object]
    repairs: list[Repair] = attrs.Factory(list[Repair])
    originals: dict[str, object] = attrs.Factory(dict[str, object])
    """Each rewritten key's value as sent, to show in problems."""
    problems: dict[str, Problem] = attrs.Factory(dict[str, Problem])
    """What could not be repaired, by key."""

    @classmethod
    def of(
        cls,
        payload: dict[object, object],
        known: Collection[str],
        nullable: Collection[str],
    ) -> _Rewrite:
        rewrite = cls({})
        for key, value in payload.items():
            if not isinstance(key, str):
                # JSON cannot hold it; the strict parser names it.
                rewrite.fields[key] = value
                continue
            name = plain(key)
            if name not in known:
                rewrite.record(RepairKind.EXTRA_KEY, name, value, "dropped")
            elif value is None and name in nullable:
                rewrite.record(RepairKind.NULL_VALUE, name, None, "read as if left out")
            else:
                rewrite.fields[name] = value
        return rewrite

    def record(self, kind: RepairKind, key: str, original: object, action: str) -> None:
        self.repairs.append(
            Repair(
                kind=kind,
                field=key,
                original=original,
                action=action,
                why=_RULES[kind].why,
            )
        )

    def replace(self, key: str, value: object) -> None:
        self.originals.setdefault(key, self.fields.get(key))
        self.fields[key] = value

    def drop(self, key: str) -> None:
        self.originals.setdefault(key, self.fields.pop(key))

    def reject(self, key: str, raw: object, expected: str) -> None:
        self.problems[key] = problem(key, raw, expected)

    def read_id(self, key: str, *, minimum: int, fractions: bool) -> None:
        raw = self.fields.get(key, MISSING)
        number: int | None = None
        if is_int(raw) or (
            fractions
            and isinstance(raw, float)
            and math.isfinite(raw)
            and raw.is_integer()
        ):
            number = int(raw)
        elif isinstance(raw, str) and _DIGITS.fullmatch(raw):
            number = int(raw)
            if number >= minimum:
                self.replace(key, number)
                self.record(
                    RepairKind.NUMERIC_STRING, key, raw, f"read as the integer {number}"
                )
        if number is None or number < minimum:
            self.reject(
                key,
                raw,
                f"an integer >= {minimum}, or a string of 1 to 18 decimal digits",
            )

    def read_member(self, key: str, enum: type[StrEnum]) -> bool:
        """Whether *key* holds one of *enum*'s values, read case-insensitively."""
        raw = self.fields.get(key, MISSING)
        text = plain(raw)
        values = _values_by_folded(enum)
        if text in values.values():
            return True
        value = values.get(text.lower()) if text.isascii() else None
        if value is None:
            return False
        self.replace(key, value)
        self.record(RepairKind.ENUM_CASE, key, raw, f"read as {value!r}")
        return True

    def read_status(self, key: str, enum: type[StrEnum]) -> None:
        if not self.read_member(key, enum):
            values = ", ".join(repr(member.value) for member in enum)
            self.reject(
                key, self.fields.get(key, MISSING), f"one of {values}, in any case"
            )

    def read_code(self, field: _Code) -> None:
        key, vendor_field, limit = field.key, field.vendor_field, field.limit
        if self.read_member(key, field.values):
            return
        raw = self.fields.get(key, MISSING)
        if not isinstance(raw, str) or not raw.strip():
            self.reject(
                key,
                raw,
                f"a {field.values.__name__} value in any case, or a vendor's own "
                "code (not blank)",
            )
            return
        code = plain(raw)
        other = field.other
        self.replace(key, other)
        vendor_code = self.fields.get(vendor_field, MISSING)
        if vendor_code is MISSING and len(code) <= limit:
            self.fields[vendor_field] = code
            action = f"replaced by {other!r}; the code sent is now {vendor_field}"
        elif vendor_code is MISSING:
            action = (
                f"replaced by {other!r}; at {len(code)} characters the code sent "
                f"is too long for {vendor_field} (at most {limit}), so it "
                "is kept only in this repair"
            )
        else:
            action = (
                f"replaced by {other!r}; {vendor_field} already holds the "
                "station's own code, so the code sent is kept only in this repair"
            )
        self.record(RepairKind.UNKNOWN_ERROR_CODE, key, raw, action)

    def read_text(self, key: str, limit: int) -> None:
        raw = self.fields.get(key, MISSING)
        if raw is MISSING:
            return
        if not isinstance(raw, str):
            self.reject(
                key, raw, f"a string (one over {limit} characters is cut to {limit})"
            )
            return
        if len(raw) > limit:
            self.replace(key, plain(raw)[:limit])
            self.record(
                RepairKind.TEXT_TOO_LONG,
                key,
                raw,
                f"cut from {len(raw)} to its first {limit} characters",
            )

    def read_timestamp(self, key: str) -> _Found:
        """Read the timestamp: _PRESENT (perhaps rewritten), _ABSENT or _ZERO.

        A timestamp that cannot be read is rejected and counts as present.
        """
        raw = self.fields.get(key, MISSING)
        if raw is MISSING:
            return _ABSENT
        match = _NEAR_RFC3339.fullmatch(raw) if isinstance(raw, str) else None
        if match is None:
            self.reject(key, raw, _TIMESTAMP_EXPECTED)
            return _PRESENT
        date, time = match["date"], match["time"]
        # Checked on the text first: with a positive offset the zero time
        # falls before year 1 in UTC, which no datetime can hold.
        if date == "0001-01-01" and _is_zero_clock(time):
            return self._zero(key, raw)
        offset, fixes = _offset_fixes(match)
        if match["separator"] == " ":
            fixes.insert(0, (RepairKind.TIMESTAMP_SPACE, "read the space as T"))
        rewritten = f"{date}T{time}{offset}" if fixes else plain(raw)
        moment = parse_timestamp(rewritten)
        if moment is None:
            # A day the month lacks, or an instant outside years 1-9999 UTC.
            self.reject(key, raw, _TIMESTAMP_EXPECTED)
            return _PRESENT
        if moment == ZERO_TIME:
            return self._zero(key, raw)
        if fixes:
            self.replace(key, rewritten)
            for kind, action in fixes:
                self.record(kind, key, raw, action)
        return _PRESENT

    def _zero(self, key: str, raw: object) -> _Found:
        self.record(RepairKind.TIMESTAMP_ZERO, key, raw, "treated as no timestamp")
        return _ZERO

    def use_time_of_receipt(
        self, key: str, received_at: datetime | None, *, zero: bool
    ) -> None:
        raw = self.fields.get(key) if zero else None
        if received_at is None:
            expected = (
                "a real time, not the zero time of a station without a clock"
                if zero
                else _TIMESTAMP_EXPECTED
            )
            self.reject(key, raw if zero else MISSING, expected + _RECEIPT_HINT)
            return
        text = format_timestamp(received_at)
        self.replace(key, text)
        self.record(
            RepairKind.TIME_OF_RECEIPT,
            key,
            raw,
            f"used the time of receipt, {text}",
        )

    def finish(self, parse: Callable[[object], ReportT]) -> Parsed[ReportT]:
        """Parse the rewritten payload strictly; raise for all that is left wrong."""
        try:
            report = parse(self.fields)
        except InvalidReport as error:
            # The strict parser also sees what was not repaired; the reader's
            # own problem on those keys says more, so it replaces the parser's.
            left: list[Problem] = [
                self._as_sent(found)
                for found in error.problems
                if found.field not in self.problems
            ]
            raise InvalidReport([*self.problems.values(), *left]) from None
        if self.problems:
            raise InvalidReport(self.problems.values())
        return Parsed(report=report, repairs=tuple(self.repairs))

    def _as_sent(self, found: Problem) -> Problem:
        if found.field in self.originals:
            return attrs.evolve(found, value=self.originals[found.field])
        return found


def _offset_fixes(match: re.Match[str]) -> tuple[str, list[tuple[RepairKind, str]]]:
    """Return the timestamp's offset as RFC 3339 writes it, and how it was read."""
    offset = match["offset"]
    if offset is None:
        return "Z", [(RepairKind.TIMESTAMP_NO_OFFSET, "assumed UTC")]
    if match["hours"] is None:  # Z or z
        return offset, []
    sign_hours = match["sign"] + match["hours"]
    if match["minutes"] is None:
        offset = f"{sign_hours}:00"
        return offset, [(RepairKind.TIMESTAMP_OFFSET_HOURS, f"read as {offset}")]
    offset = f"{sign_hours}:{match['minutes']}"
    if match["colon"] is None:
        return offset, [(RepairKind.TIMESTAMP_OFFSET_NO_COLON, f"read as {offset}")]
    return offset, []


def _is_zero_clock(time: str) -> bool:
    # Fractions past microseconds are cut off when read, so only the first six
    # digits decide.
    return time[:8] == "00:00:00" and not time[9:15].strip("0")


# --- NotifyEvent and TransactionEvent ------------------------------------------

MessageT = TypeVar("MessageT")


class ParsedMessage(NamedTuple, Generic[MessageT]):
    """A request read leniently (NotifyEvent, TransactionEvent), and its repairs.

    A pair, so that ``report, repairs = ...`` works as well as the names.
    """

    report: MessageT
    """What the strict reader returns for the repaired payload."""
    repairs: tuple[Repair, ...]
    """In the order the payload was read, each naming its field by path
    (``eventData[0].actualValue``)."""


def parse_lenient_notify_event(
    payload: object,
    *,
    received_at: datetime | None = None,
    version: _events.Version = "ocpp2.0.1",
) -> ParsedMessage[tuple[_events.AvailabilityReport, ...]]:
    """Parse a NotifyEventRequest as :func:`parse_lenient_ocpp201` does a status.

    The repairs of a StatusNotification apply at every depth of the request:
    unknown keys dropped, null for an optional field read as left out, ids
    and counters sent as digit strings, enum values and an AvailabilityState
    in another case, free text (``techInfo``) cut to its limit, and the
    timestamp deviations. ``generatedAt`` and an event's ``timestamp`` that
    are absent, null or the zero time take *received_at*. Raises
    :class:`InvalidReport`, and nothing else, for what cannot be repaired.

    >>> from datetime import UTC, datetime
    >>> reports, repairs = parse_lenient_notify_event(
    ...     {
    ...         "generatedAt": "2026-11-22 10:15:00Z",
    ...         "seqNo": "0",
    ...         "eventData": [{
    ...             "eventId": 1, "timestamp": "2026-11-22T10:15:00Z",
    ...             "trigger": "delta", "actualValue": "FAULTED",
    ...             "eventNotificationType": "HardWiredNotification",
    ...             "component": {"name": "EVSE", "evse": {"id": "2"}},
    ...             "variable": {"name": "AvailabilityState"},
    ...         }],
    ...     }
    ... )
    >>> reports[0].evse_id, reports[0].status.value
    (2, 'Faulted')
    >>> [repair.field for repair in repairs]  # doctest: +NORMALIZE_WHITESPACE
    ['generatedAt', 'seqNo', 'eventData[0].trigger',
     'eventData[0].component.evse.id', 'eventData[0].actualValue']
    """
    received_at = optional_utc("received_at", received_at)
    tree = _events.NOTIFY_EVENT[_events.known_version(version)]

    def parse(fields: object) -> tuple[_events.AvailabilityReport, ...]:
        return _events.parse_notify_event(fields, version=version)

    return _parse_message(payload, tree, parse, received_at, _mend_availability)


def parse_lenient_transaction_event(
    payload: object,
    *,
    received_at: datetime | None = None,
    version: _events.Version = "ocpp2.0.1",
) -> ParsedMessage[_events.TransactionReport]:
    """Parse a TransactionEventRequest as :func:`parse_lenient_notify_event` does.

    The request's ``timestamp``, if absent, null or the zero time, takes
    *received_at*.

    >>> report, repairs = parse_lenient_transaction_event(
    ...     {
    ...         "eventType": "updated", "timestamp": "2026-11-22T10:15:00",
    ...         "triggerReason": "ChargingStateChanged", "seqNo": 3,
    ...         "transactionInfo": {"transactionId": "t1", "chargingState": "charging"},
    ...         "evse": {"id": 1, "connectorId": None},
    ...     }
    ... )
    >>> report.event_type, report.charging_state.value, report.connector_id
    ('Updated', 'Charging', None)
    >>> [repair.kind.value for repair in repairs]  # doctest: +NORMALIZE_WHITESPACE
    ['enum_case', 'timestamp_no_offset', 'enum_case', 'null_value']
    """
    received_at = optional_utc("received_at", received_at)
    tree = _events.TRANSACTION_EVENT[_events.known_version(version)]

    def parse(fields: object) -> _events.TransactionReport:
        return _events.parse_transaction_event(fields, version=version)

    return _parse_message(payload, tree, parse, received_at, None)


def _parse_message(
    payload: object,
    tree: _events.ObjectNode,
    parse: Callable[[object], MessageT],
    received_at: datetime | None,
    mend: Callable[[_Mender, dict[str, object]], None] | None,
) -> ParsedMessage[MessageT]:
    """Parse strictly; if that fails, or a message time is zero, repair first."""
    try:
        report = parse(payload)
    except InvalidReport:
        if not isinstance(payload, dict):
            raise
    else:
        if not any(
            _is_zero_time({"t": text}, "t") for text in _own_times(tree, payload)
        ):
            return ParsedMessage(report, ())
    mender = _Mender(received_at)
    given = cast("dict[object, object]", payload)
    fields = cast("dict[str, object]", mender.read(tree, given, ""))
    if mend is not None:
        mend(mender, fields)
    return mender.finish(parse, fields)


def _own_times(tree: _events.ObjectNode, payload: object) -> Iterator[str]:
    """Yield the texts of a valid payload's own timestamps (message's, events')."""
    fields = cast("dict[str, object]", payload)
    for member in tree.members:
        node, value = member.node, fields.get(member.key)
        if isinstance(node, _events.ValueNode) and node.receipt and value is not None:
            yield cast("str", value)
        elif isinstance(node, _events.ArrayNode) and isinstance(
            node.items, _events.ObjectNode
        ):
            for item in cast("list[object]", value or []):
                yield from _own_times(node.items, item)


@attrs.define
class _Mender:
    """A nested request being rewritten into the form OCPP asks for.

    Each scalar is read by the rules a StatusNotification's field of its kind
    is read by (the timestamp and text rules through :class:`_Rewrite` itself);
    the repairs name the field by its path.
    """

    received_at: datetime | None
    repairs: list[Repair] = attrs.Factory(list[Repair])
    problems: dict[str, Problem] = attrs.Factory(dict[str, Problem])

    def read(self, node: _events.Node, raw: object, path: str) -> object:
        """Return *raw* repaired as *node* asks: a new value, *raw* left as sent."""
        if isinstance(node, _events.ObjectNode):
            if not isinstance(raw, dict):
                return raw
            return self._read_object(node, cast("dict[object, object]", raw), path)
        if isinstance(node, _events.ArrayNode):
            if not isinstance(raw, list):
                return raw
            return [
                self.read(node.items, item, f"{path}[{index}]")
                for index, item in enumerate(cast("list[object]", raw))
            ]
        return self._read_value(node, raw, path)

    def _read_object(
        self, node: _events.ObjectNode, raw: dict[object, object], path: str
    ) -> dict[object, object]:
        prefix = f"{path}." if path else ""
        fields: dict[object, object] = {}
        for key, value in raw.items():
            if not isinstance(key, str):
                fields[key] = value  # JSON cannot hold it; the strict parser names it.
                continue
            name = plain(key)
            member = node.by_key.get(name)
            where = prefix + name
            if member is None:
                self._record(RepairKind.EXTRA_KEY, where, value, "dropped")
            elif value is None and (not member.required or _is_own_time(member.node)):
                self._record(RepairKind.NULL_VALUE, where, None, "read as if left out")
            else:
                fields[name] = self.read(member.node, value, where)
        for member in node.members:
            if member.key not in fields and _is_own_time(member.node):
                self._use_time_of_receipt(fields, member.key, prefix + member.key, None)
        return fields

    def _read_value(self, node: _events.ValueNode, raw: object, path: str) -> object:
        kind = node.kind
        if kind is _events.ValueKind.INTEGER:
            return self._read_integer(node, raw, path)
        if kind is _events.ValueKind.ENUM:
            return self.read_choice(raw, node.values, path)
        if kind is _events.ValueKind.TEXT and node.free_text:
            rewrite = _Rewrite({path: raw})
            rewrite.read_text(path, cast("int", node.max_length))
            return self._take(rewrite, path)
        if kind is _events.ValueKind.TIMESTAMP:
            return self._read_timestamp(node, raw, path)
        return raw

    def _read_integer(self, node: _events.ValueNode, raw: object, path: str) -> object:
        if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
            return raw
        number = int(raw)
        if node.minimum is not None and number < node.minimum:
            return raw  # the strict parser says what is expected
        self._record(
            RepairKind.NUMERIC_STRING, path, raw, f"read as the integer {number}"
        )
        return number

    def read_choice(self, raw: object, values: Collection[str], path: str) -> object:
        """Return one of *values*, read without regard to ASCII case, or *raw*."""
        text = plain(raw)
        if text in values or not text.isascii():
            return raw
        folded = {value.lower(): value for value in values}
        value = folded.get(text.lower())
        if value is None:
            return raw
        self._record(RepairKind.ENUM_CASE, path, raw, f"read as {value!r}")
        return value

    def _read_timestamp(
        self, node: _events.ValueNode, raw: object, path: str
    ) -> object:
        rewrite = _Rewrite({path: raw})
        found = rewrite.read_timestamp(path)
        if found is _ZERO and not node.receipt:
            # A valid time of the zero day elsewhere (a meter value's) is
            # not the message's own time: there is nothing to stand in for.
            return raw
        if found is _ZERO:
            self.repairs.extend(rewrite.repairs)
            holder: dict[object, object] = {}
            self._use_time_of_receipt(holder, "t", path, raw)
            return holder.get("t", raw)
        return self._take(rewrite, path)

    def _use_time_of_receipt(
        self, fields: dict[object, object], key: str, path: str, zero: object
    ) -> None:
        rewrite = _Rewrite({path: zero} if zero is not None else {})
        rewrite.use_time_of_receipt(path, self.received_at, zero=zero is not None)
        if path in rewrite.fields:
            fields[key] = rewrite.fields[path]
        self.repairs.extend(rewrite.repairs)
        self.problems.update(rewrite.problems)

    def _take(self, rewrite: _Rewrite, path: str) -> object:
        self.repairs.extend(rewrite.repairs)
        self.problems.update(rewrite.problems)
        return rewrite.fields[path]

    def _record(
        self, kind: RepairKind, path: str, original: object, action: str
    ) -> None:
        self.repairs.append(
            Repair(
                kind=kind,
                field=path,
                original=original,
                action=action,
                why=_RULES[kind].why,
            )
        )

    def finish(
        self, parse: Callable[[object], MessageT], fields: dict[str, object]
    ) -> ParsedMessage[MessageT]:
        """Parse the rewritten payload strictly; raise for all that is left wrong."""
        try:
            report = parse(fields)
        except InvalidReport as error:
            # The reader's own problem on a field says more than the parser's.
            left = [
                found for found in error.problems if found.field not in self.problems
            ]
            raise InvalidReport([*self.problems.values(), *left]) from None
        if self.problems:
            raise InvalidReport(self.problems.values())
        return ParsedMessage(report, tuple(self.repairs))


def _is_own_time(node: _events.Node) -> bool:
    return isinstance(node, _events.ValueNode) and node.receipt


def _mend_availability(mender: _Mender, fields: dict[str, object]) -> None:
    """Read an AvailabilityState's value, a ConnectorState, in any case."""
    events = fields.get("eventData")
    if not isinstance(events, list):
        return
    states = tuple(state.value for state in ConnectorState)
    for index, event in enumerate(cast("list[object]", events)):
        if isinstance(event, dict) and _events.is_availability_event(
            cast("dict[str, object]", event)
        ):
            found = cast("dict[str, object]", event)
            found["actualValue"] = mender.read_choice(
                found["actualValue"], states, f"eventData[{index}].actualValue"
            )
