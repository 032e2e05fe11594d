"""Writing timestamps and log lines the way stations and platforms do.

Shared by the log generator and the Hypothesis strategies; plain Python only.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

__all__ = ["write_frame_line", "write_timestamp"]


def write_timestamp(
    moment: datetime,
    *,
    fraction: str | None = None,
    zone: str | None = None,
    separator: str = "T",
) -> str:
    """Write *moment* in its own offset, RFC 3339 style unless told otherwise.

    *fraction* replaces the fraction of a second (by default the microseconds,
    without trailing zeros, if any); *zone* replaces the offset (by default
    ``Z`` for UTC, else ``+HH:MM``); *separator* goes between date and time.
    The year always has four digits, which ``strftime`` does not promise.
    """
    if fraction is None:
        fraction = (
            "." + f"{moment.microsecond:06d}".rstrip("0") if moment.microsecond else ""
        )
    if zone is None:
        zone = _zone(moment.utcoffset() or timedelta())
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}{separator}"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}{fraction}{zone}"
    )


def _zone(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def write_frame_line(station: str, received: datetime, frame: list[object]) -> str:
    """Return one log line: *frame* in an envelope naming *station* and *received*."""
    return json.dumps(
        {"station": station, "received": write_timestamp(received), "frame": frame}
    )
