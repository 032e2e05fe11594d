"""How bad values are shown in messages, and the errors for caller mistakes.

Data from stations and logs that breaks the rules raises
:class:`evstatus.exceptions.InvalidReport`; a function called the wrong way
raises :class:`TypeError` or :class:`ValueError` from the helpers here, with a
message that names the argument, shows the value and says what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Sized
from datetime import UTC, datetime, timedelta
from typing import cast

__all__ = [
    "check_bool",
    "optional_utc",
    "shorten",
    "to_utc",
    "wrong_type",
    "wrong_value",
]

_MAX_TEXT = 40
_MAX_INT_DIGITS = 30


def shorten(value: object) -> str:  # noqa: PLR0911  (one return per kind)
    """Show *value* in a few dozen characters, whatever it is.

    Error messages quote the offending value; a payload may hold a string of a
    million characters or an integer too large for ``repr`` (Python refuses to
    print ints of more than 4300 digits), so this never calls ``repr`` on
    anything that could be large and never raises.
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return _shorten_int(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({value!r})"
    if isinstance(value, str):
        return _shorten_str(value)
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        sized = cast("Sized", value)
        return f"<{type(sized).__name__} of {len(sized)}>"
    if isinstance(value, datetime):
        return f"datetime({value.isoformat()})"
    if isinstance(value, timedelta):
        return f"timedelta(seconds={value.total_seconds():g})"
    return f"<{type(value).__name__}>"


def _shorten_int(value: int) -> str:
    # bit_length is cheap; it tells us the digit count without converting.
    if value.bit_length() <= _MAX_INT_DIGITS * 3:
        return str(value)
    sign = "-" if value < 0 else ""
    return f"<{sign}integer of {value.bit_length()} bits>"


def _shorten_str(value: str) -> str:
    if len(value) <= _MAX_TEXT:
        return repr(value)
    return f"{value[:_MAX_TEXT]!r}… ({len(value)} characters)"


def _message(name: str, value: object, expected: str) -> str:
    return f"{name}: got {shorten(value)}, expected {expected}"


def wrong_type(name: str, value: object, expected: str) -> TypeError:
    """Return the error for an argument of the wrong type, ready to raise."""
    return TypeError(_message(name, value, expected))


def wrong_value(name: str, value: object, expected: str) -> ValueError:
    """Return the error for an argument of the right type but a bad value."""
    return ValueError(_message(name, value, expected))


def check_bool(name: str, value: object) -> bool:
    """Return *value* if it is exactly True or False, else raise TypeError.

    ``1``, ``"yes"`` or ``None`` are refused: a flag that is not a real bool
    is almost always a bug (a string read from a form, a missing lookup).
    """
    if type(value) is not bool:
        raise wrong_type(name, value, "True or False")
    return value


def to_utc(name: str, value: object) -> datetime:
    """Return *value*, a timezone-aware datetime, converted to UTC.

    Every comparison of instants in evstatus is made between UTC values: two
    datetimes sharing a zone with daylight saving time compare by wall clock
    and ignore ``fold``, which puts the hour after a change of clocks in the
    wrong order.
    """
    if type(value) is datetime and value.tzinfo is UTC:
        # The usual case, answered without a call.
        return value
    expected = "a timezone-aware datetime"
    if not isinstance(value, datetime):
        raise wrong_type(name, value, expected)
    if value.utcoffset() is None:
        raise wrong_value(name, value, expected)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise wrong_value(
            name, value, expected + " whose UTC instant fits years 1-9999"
        ) from None


def optional_utc(name: str, value: object) -> datetime | None:
    """Return None for None, else what :func:`to_utc` does."""
    return None if value is None else to_utc(name, value)
