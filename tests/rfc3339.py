"""An independent judge of RFC 3339 date-times for the differential tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rfc3339_validator import validate_rfc3339


def is_rfc3339(text: str) -> bool:
    """Whether *text* is an RFC 3339 date-time, by the validator jsonschema uses.

    It upper-cases first (so t and z pass, as RFC 3339 allows) and anchors its
    pattern with $, which also matches before a final newline; RFC 3339 does not
    allow one, so that case is excluded here.
    """
    return validate_rfc3339(text.upper()) and not text.endswith("\n")


def utc_instant_fits(text: str) -> bool:
    """Whether a valid RFC 3339 *text* names an instant within years 1-9999 UTC.

    The one documented gap between RFC 3339 and what ``datetime`` can hold.
    """
    upper = text.upper()
    naive = datetime.fromisoformat(upper[:19])
    if upper.endswith("Z"):
        return True
    sign = -1 if upper[-6] == "-" else 1
    offset = timedelta(hours=int(upper[-5:-3]), minutes=int(upper[-2:])) * sign
    try:
        _ = naive - offset
    except OverflowError:
        return False
    return True


def is_acceptable_timestamp(text: str) -> bool:
    return is_rfc3339(text) and utc_instant_fits(text)


def is_ocpp2_timestamp(text: str) -> bool:
    """Whether the OCPP 2.0.1 / 2.1 readers must take *text* as a timestamp.

    ASCII only: rfc3339_validator's \\d takes any script's digits, evstatus
    only ASCII ones. Its "$" lets one trailing newline through, which RFC 3339
    does not. Leap seconds and instants outside years 1-9999 UTC are
    rejected on purpose (docs/decisions.md); fromisoformat tells both apart.
    """
    if not text.isascii() or text.endswith("\n"):
        return False
    if not validate_rfc3339(text.upper()):
        return False
    try:
        datetime.fromisoformat(text.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True
