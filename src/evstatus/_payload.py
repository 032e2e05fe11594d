"""Small helpers the strict JSON payload readers share (OCPP 1.6 and 2.x).

Each reader checks its own fields; these say, the same way everywhere, what a
missing key, an unknown key or a value of the wrong kind looks like as a
:class:`Problem`. :class:`PayloadField` is the row of the table each reader
keeps of its payload's fields, the one place a protocol's keys, limits and
enums are written down.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Final, cast

import attrs

if TYPE_CHECKING:
    # Only annotations use it (Python 3.13 has it in typing): importing it at
    # run time would add to every import of evstatus.
    from typing_extensions import TypeIs

from ._errors import shorten
from .exceptions import InvalidReport, Problem

__all__ = [
    "MISSING",
    "FieldKind",
    "PayloadField",
    "is_int",
    "not_an_object",
    "object_fields",
    "plain",
    "problem",
    "unknown_keys",
]


class FieldKind(Enum):
    """What a payload field holds, as far as reading it goes."""

    ID = "id"
    """An integer id, at least :attr:`PayloadField.minimum`."""
    ENUM = "enum"
    """One of the values of :attr:`PayloadField.values`."""
    TIMESTAMP = "timestamp"
    """An RFC 3339 date-time with an offset."""
    TEXT = "text"
    """Free text of at most :attr:`PayloadField.max_length` characters."""
    OBJECT = "object"
    """A JSON object the protocol leaves to the vendor."""


@attrs.frozen(kw_only=True)
class PayloadField:
    """One field of a payload, as the protocol defines it and the reader checks it."""

    key: str
    """The JSON key."""
    attribute: str
    """The report's attribute that holds the value read."""
    kind: FieldKind
    required: bool
    minimum: int | None = None
    """The smallest id allowed (``ID`` fields)."""
    integral_floats: bool = False
    """Whether a number with a zero fraction (``1.0``) reads as that integer, as
    JSON Schema draft 6 counts it (``ID`` fields)."""
    values: type[StrEnum] | None = None
    """The values allowed (``ENUM`` fields)."""
    max_length: int | None = None
    """The longest text allowed (``TEXT`` fields)."""
    other: str | None = None
    """The value that stands for a code the enum lacks, for an ``ENUM`` field
    whose protocol lets a vendor have codes of its own (OCPP 1.6's error code:
    ``OtherError``)."""
    vendor_field: str | None = None
    """The ``TEXT`` field that then holds the vendor's own code."""


#: Marks a key the payload lacks, so that ``None`` can mean JSON null.
MISSING: Final = object()

_SHOWN_UNKNOWN_KEYS: Final = 5


def is_int(value: object) -> TypeIs[int]:
    """Whether *value* is an int and not a bool (JSON and OCPP keep them apart)."""
    return isinstance(value, int) and not isinstance(value, bool)


def plain(value: object) -> str:
    """Return *value* as an exact ``str``; ``""`` (no member's value) if not a string.

    Enum members of other libraries (the ``ocpp`` package's, ours) are ``str``
    subclasses whose hash is not their value's, so look-ups need the plain text.
    """
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    return ""


def problem(key: str, value: object, expected: str) -> Problem:
    """Return the problem with *key*, which held *value* or was :data:`MISSING`."""
    if value is MISSING:
        return Problem(field=key, value=None, expected=expected, missing=True)
    return Problem(field=key, value=value, expected=expected)


def not_an_object(payload: object, required: Collection[str]) -> Problem:
    """Return the problem with a payload that is not a JSON object at all."""
    keys = list(required)
    listed = ", ".join(keys[:-1]) + f" and {keys[-1]}"
    return Problem(
        field="<payload>",
        value=payload,
        expected=f"a JSON object (dict) with {listed}",
    )


def unknown_keys(payload: dict[object, object], known: Collection[str]) -> Problem:
    """Return one problem naming the keys outside *known*, a few and the count."""
    unknown = [key for key in payload if key not in known]
    shown = ", ".join(shorten(key) for key in unknown[:_SHOWN_UNKNOWN_KEYS])
    if len(unknown) > _SHOWN_UNKNOWN_KEYS:
        shown += f", … ({len(unknown)} in all)"
    return Problem(
        field="<keys>",
        value=tuple(unknown),
        expected="only " + ", ".join(sorted(known)) + f"; unknown: {shown}",
    )


def object_fields(
    payload: object, required: Collection[str], known: Collection[str]
) -> tuple[dict[object, object], list[Problem]]:
    """Return a payload's fields and the problem with its keys, if any.

    Raises :class:`InvalidReport` at once if *payload* is not a JSON object:
    then there are no fields to look at.
    """
    if not isinstance(payload, dict):
        raise InvalidReport([not_an_object(payload, required)])
    fields = cast("dict[object, object]", payload)
    problems: list[Problem] = []
    if not all(key in known for key in fields):
        problems.append(unknown_keys(fields, known))
    return fields, problems
