"""The exceptions evstatus raises for bad data, and the problems they carry.

Bad data from a station or a log raises :class:`InvalidReport`, which lists
every :class:`~evstatus.exceptions.Problem` found. A mistake in how a function is called
(a string where a flag belongs, a naive datetime) raises an ordinary
:class:`TypeError` or :class:`ValueError` instead, naming the argument: it is
a bug to fix in the calling code, not data to log and skip.

Every exception here derives from :class:`EvstatusError`, so one ``except``
clause catches all that evstatus itself raises.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._errors import shorten

__all__ = ["EvstatusError", "InvalidReport", "Problem"]


class EvstatusError(Exception):
    """The base of every exception evstatus raises on its own account."""


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


class InvalidReport(EvstatusError, ValueError):  # noqa: N818  (a public name)
    """A status report, payload, log line or event broke the rules.

    ``problems`` lists every problem found, as data; ``what`` names the kind
    of thing that was bad (``"report"``, ``"line"``); the message lists the
    problems too, one per line after a short summary.
    """

    problems: tuple[Problem, ...]
    what: str

    def __init__(self, problems: Iterable[Problem], *, what: str = "report") -> None:
        self.problems = tuple(problems)
        self.what = what
        count = len(self.problems)
        head = f"invalid {what} ({count} problem{'s' if count != 1 else ''})"
        super().__init__("\n  ".join([f"{head}:", *map(str, self.problems)]))

    def __reduce__(self) -> tuple[object, ...]:
        # BaseException pickles as type(self)(*self.args), and args holds the
        # message, not the problems: rebuild from the data instead.
        return (_rebuild, (type(self), self.problems, self.what))


def _rebuild(
    cls: type[InvalidReport], problems: tuple[Problem, ...], what: str
) -> InvalidReport:
    return cls(problems, what=what)
