"""The one error a caller can cause, and how it shows bad values safely."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sized
from typing import cast

import attrs

__all__ = ["InvalidReport", "Problem", "bad_argument", "shorten"]

_MAX_TEXT = 40
_MAX_INT_DIGITS = 30


def shorten(value: object) -> str:
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


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a report: which field, what it held, what was wanted.

    ``value`` is the offending value itself (``None`` when ``missing``, that
    is, a required field was left out); ``str(problem)`` shows it shortened.
    """

    field: str
    value: object = attrs.field(repr=shorten, hash=False)
    expected: str
    missing: bool = False

    def __str__(self) -> str:
        got = "missing" if self.missing else f"got {shorten(self.value)}"
        return f"{self.field}: {got}, expected {self.expected}"


class InvalidReport(ValueError):  # noqa: N818  (the name is part of the contract)
    """A status report, payload or event broke the rules.

    ``problems`` lists every problem found, as data; the message lists them too,
    one per line after a short summary.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem], *, what: str = "report") -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"invalid {what} ({count} problem{'s' if count != 1 else ''})"
        super().__init__("\n  ".join([f"{head}:", *map(str, self.problems)]))


def bad_argument(name: str, value: object, expected: str) -> InvalidReport:
    """Return the error for one bad argument of a function, ready to raise."""
    return InvalidReport(
        [Problem(field=name, value=value, expected=expected)], what="arguments"
    )
