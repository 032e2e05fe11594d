"""Whether a station counts as online, judged from when it was last heard from."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Final

from ._errors import InvalidReport, Problem

__all__ = ["DEFAULT_HEARTBEAT_TOLERANCE", "is_online"]

DEFAULT_HEARTBEAT_TOLERANCE: Final = 2.0
"""How many heartbeat intervals of silence :func:`is_online` puts up with.

Two intervals means one heartbeat may go missing or arrive late (a busy link, a
reconnect, the station's timer drifting) before the station is called offline,
while a station that has really gone quiet is noticed within two intervals.
That is the usual choice of central systems; one interval would flap on every
slightly late heartbeat, three or more would hide outages for long.
"""

_AWARE: Final = "a timezone-aware datetime"


def is_online(
    last_heard: datetime | None,
    now: datetime,
    *,
    heartbeat_interval: timedelta,
    tolerance: float = DEFAULT_HEARTBEAT_TOLERANCE,
) -> bool:
    """Whether a station last heard from at *last_heard* is still online at *now*.

    It does while no more than ``tolerance * heartbeat_interval`` has passed
    since anything (a heartbeat or any other message) was heard from it. Never
    heard from (``None``) is offline. A *last_heard* later than *now* (clocks
    of two machines, or a log read out of order) counts as just heard.

    *tolerance* must be at least 1: below that a station sending every
    heartbeat on time would be called offline between two of them.

    >>> from datetime import datetime, timedelta, UTC
    >>> heard = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    >>> every = timedelta(minutes=5)
    >>> is_online(heard, heard + timedelta(minutes=9), heartbeat_interval=every)
    True
    >>> is_online(heard, heard + timedelta(minutes=11), heartbeat_interval=every)
    False
    """
    problems = list(_problems(last_heard, now, heartbeat_interval, tolerance))
    if problems:
        raise InvalidReport(problems, what="arguments")
    if last_heard is None:
        return False
    try:
        allowed = heartbeat_interval * tolerance
    except OverflowError:
        # Longer than any datetime span: every gap is within it.
        return True
    return now - last_heard <= allowed


def _problems(
    last_heard: object, now: object, heartbeat_interval: object, tolerance: object
) -> list[Problem]:
    problems: list[Problem] = []
    if last_heard is not None and not _is_aware(last_heard):
        problems.append(
            Problem(field="last_heard", value=last_heard, expected=f"None or {_AWARE}")
        )
    if not _is_aware(now):
        problems.append(Problem(field="now", value=now, expected=_AWARE))
    if not isinstance(heartbeat_interval, timedelta) or heartbeat_interval <= timedelta(
        0
    ):
        problems.append(
            Problem(
                field="heartbeat_interval",
                value=heartbeat_interval,
                expected="a positive timedelta",
            )
        )
    if (
        not isinstance(tolerance, (int, float))
        or isinstance(tolerance, bool)
        or not math.isfinite(tolerance)
        or tolerance < 1
    ):
        problems.append(
            Problem(field="tolerance", value=tolerance, expected="a finite number >= 1")
        )
    return problems


def _is_aware(value: object) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None
