"""Lines of a JSON Lines log, written for the uptime tests' examples.

Each names its station and receive time in an envelope, as a platform logs
what it received.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

DAY = datetime(2026, 6, 1, tzinfo=UTC)


def at(hours: float, base: datetime = DAY) -> datetime:
    return base + timedelta(hours=hours)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def status(moment: datetime, connector: int, state: str, station: str = "CP-1") -> str:
    payload = {"connectorId": connector, "errorCode": "NoError", "status": state}
    return json.dumps(
        {"station": station, "received": stamp(moment), "payload": payload}
    )


def event(moment: datetime, name: str, station: str = "CP-1") -> str:
    return json.dumps({"station": station, "received": stamp(moment), "event": name})


def opening(moment: datetime = DAY, ports: int = 1, station: str = "CP-1") -> list[str]:
    """A station connecting at *moment* with *ports* ports Available."""
    return [
        event(moment, "connected", station),
        *(status(moment, port, "Available", station) for port in range(1, ports + 1)),
    ]


def data_until(moment: datetime) -> str:
    """A line of a station without ports at *moment*: the log's data reaches it.

    No port counts after the log's last line; the examples that measure a
    period beyond their last change end with this line.
    """
    return event(moment, "heard", station="log-end")
