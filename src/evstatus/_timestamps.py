"""RFC 3339 date-times: a strict parser and the one format we write.

OCPP's JSON schemas mark timestamps ``"format": "date-time"``, which common
validators do not enforce, and ``datetime.fromisoformat`` accepts far more than
RFC 3339 (week dates, spaces, missing offsets). So we match the RFC 3339 grammar
ourselves and build the ``datetime`` from the pieces.

Decisions where the RFC leaves room (see docs/decisions.md):

- ``t``/``z`` in lower case are accepted (RFC 3339 §5.6 allows them).
- Fractions of any length are accepted and truncated to microseconds.
- Leap seconds (``:60``) are rejected: ``datetime`` cannot hold them, and the
  validators the OCPP ecosystem uses reject them too.
- ``-00:00`` reads as UTC.
- A time whose UTC instant falls outside years 1-9999 is rejected, because it
  could not be written back out as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Final

__all__ = [
    "RFC3339_EXPECTED",
    "ZERO_TIME",
    "format_timestamp",
    "in_utc",
    "in_utc_or_none",
    "is_representable",
    "parse_timestamp",
]

ZERO_TIME: Final = datetime(1, 1, 1, tzinfo=UTC)
"""The time firmware without a clock sends: read as no timestamp at all."""

RFC3339_EXPECTED = (
    "an RFC 3339 date-time with an offset, like '2026-11-22T10:15:00Z' "
    "or '2026-11-22T11:15:00.5+01:00'"
)

# The RFC 3339 date-time grammar, ranges included. ASCII digits only: a bare
# \d would also match other scripts' digits. Second 60 is left out on purpose.
_GRAMMAR = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_fullmatch = _GRAMMAR.fullmatch
_fromisoformat = datetime.fromisoformat


# The shapes nearly every station and platform writes, told apart by the
# characters at offsets 4, 7, 10, 13, 16 and 19 (one slice, no regex), each
# with the one size it has: UTC with or without milliseconds, and a numeric
# offset without a fraction.
_SIZES: Final = {"--T::Z": 20, "--T::.": 24, "--T::+": 25, "--T::-": 25}
_OFFSET_SIZE: Final = 25


def parse_timestamp(text: str) -> datetime | None:
    """Return the instant *text* names, in UTC, or None if it is not RFC 3339."""
    # The fast path pins every separator and the size; fromisoformat then
    # demands ASCII digits in every other place and checks each range, which
    # is what the grammar says, except for the offset's minutes (it takes
    # +02:60), checked here. Anything it refuses goes the careful way, which
    # alone decides what is rejected.
    size = _SIZES.get(text[4:20:3])
    if size == len(text):
        if size != _OFFSET_SIZE:
            if text[-1] == "Z":
                try:
                    return _fromisoformat(text)
                except ValueError:
                    pass
        elif text[22] == ":" and "0" <= text[23] <= "5":
            # astimezone() costs more than the parse: the wall clock is read
            # as if it were UTC, and the offset, cached, taken off.
            offset = _OFFSETS.get(text[19:])
            if offset is None:
                offset = _learn_offset(text)
            if offset is not None:
                try:
                    return _fromisoformat(text[:19] + "Z") - offset
                except (ValueError, OverflowError):
                    # A bad date or time, or an instant outside years
                    # 1-9999 UTC.
                    pass
    return _parse_by_grammar(text)


#: Each offset text seen (like "+01:00") -> the offset. Only offsets that
#: fromisoformat read in a whole timestamp get in: at most 2 * 24 * 60.
_OFFSETS: Final[dict[str, timedelta]] = {}


def _learn_offset(text: str) -> timedelta | None:
    """Read the offset of *text*, a timestamp of the offset shape, and keep it."""
    try:
        found = _fromisoformat(text).utcoffset()
    except ValueError:
        return None
    if found is None:  # pragma: no cover  (the shape has an offset)
        return None
    _OFFSETS[text[19:]] = found
    return found


def _parse_by_grammar(text: str) -> datetime | None:
    """Parse *text* the careful way: the RFC 3339 grammar, then fromisoformat."""
    if _fullmatch(text) is None:
        return None
    # Once the grammar holds, fromisoformat (in C) reads it exactly; it takes
    # any number of fraction digits and truncates them to microseconds.
    try:
        moment = _fromisoformat(text)
    except ValueError:
        # A day the month does not have, year 0, or a lower-case t or z, which
        # RFC 3339 allows and fromisoformat does not.
        return None if text.isupper() else _parse_by_grammar(text.upper())
    # Only near the ends of datetime's range can an offset push the UTC instant
    # out of it (a literal tuple here is a constant, cheaper than a global).
    if moment.tzinfo is UTC:
        return moment
    if moment.year in (1, 9999) and not is_representable(moment):
        return None
    # Held in UTC, so that every later comparison is between instants.
    return moment.astimezone(UTC)


def in_utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC; leave anything else for the checks.

    The converter of every timestamp field: a value that is not an aware
    datetime (a caller without a type checker may pass anything), or whose
    UTC instant does not fit, stays as it is, so that the report's own checks
    can say what is wrong with it.
    """
    given: object = value
    if type(given) is datetime and value.tzinfo is UTC:
        return value
    if isinstance(given, datetime) and is_representable(given):
        return given.astimezone(UTC)
    return value


def in_utc_or_none(value: datetime | None) -> datetime | None:
    """:func:`in_utc`, for a timestamp that may be absent."""
    return None if value is None else in_utc(value)


def format_timestamp(moment: datetime) -> str:
    """Write an aware ``datetime`` as RFC 3339 in UTC with a ``Z``.

    With the fewest digits of a second's fraction that keep it exact: none
    for a whole second, three for whole milliseconds, else six. A time read
    as ``.778Z`` is written so, not as ``.778000Z``; and one log's times,
    mostly of one precision, mostly print in one width.
    """
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    micro = utc.microsecond
    # isoformat() writes no fraction for a whole second, six digits otherwise.
    if micro and not micro % 1000:
        return utc.isoformat(timespec="milliseconds") + "Z"
    return utc.isoformat() + "Z"


def is_representable(moment: datetime) -> bool:
    """Whether *moment* is timezone-aware and its UTC instant fits a datetime."""
    if moment.utcoffset() is None:
        return False
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return True
