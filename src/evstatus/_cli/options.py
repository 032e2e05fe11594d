"""The argument parser's class and the types of the options the commands share."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from evstatus._errors import shorten
from evstatus._log import OCPP16, PROTOCOLS, STATION_EXPECTED, is_station_id

__all__ = [
    "LENIENT_HELP",
    "LOG_FORMAT",
    "Parser",
    "positive_seconds",
    "protocol",
    "protocol_option",
    "seconds_or_zero",
    "station",
    "tolerance",
]

#: The help of --lenient, worded once for every command that has it.
LENIENT_HELP: Final = (
    "repair what real chargers get wrong in payloads (offsets like +03, "
    "ids as strings, case, vendor error codes, over-long text, extra keys, "
    "nulls) instead of rejecting the line; every repair is reported "
    "(evstatus tables lists them)"
)

LOG_FORMAT: Final = """\
the log: JSON Lines, UTF-8, one message or event per line, in the order the
platform received them. A line is one of
  an OCPP-J frame         [2, "id", "StatusNotification", {...}], any other
                          OCPP 1.6 CALL, [3, "id", {...}] or [4, ...]
  a bare payload          {"connectorId": 1, "errorCode": "NoError",
                           "status": "Charging"}
  an envelope             {"station": "CP-1", "received": "2026-06-01T08:00:00Z",
                           "frame": [...]}  (or "payload": {...}, or "event":
                           one of connected, disconnected, heard, enabled,
                           disabled, removed); station, received and
                           protocol (ocpp1.6, ocpp2.0.1 or ocpp2.1; default
                           --protocol) are optional, no other key is allowed
Lines of spaces and tabs only are skipped; every other bad line is reported as
FILE:LINE: what is wrong, and skipped. "evstatus demo --log" prints a sample."""


class Parser(argparse.ArgumentParser):
    """argparse, but a failure to print help or a usage error is not hidden.

    argparse drops an OSError met while printing; then ``--help > /dev/full``
    would succeed. Here it reaches the command's ``main``, which reports it.
    """

    def _print_message(
        self, message: str, file: SupportsWrite[str] | None = None
    ) -> None:
        stream = file or sys.stderr
        if message and stream is not None:
            stream.write(message)


def protocol(text: str) -> str:
    """Read a protocol's name: an OCPP-J WebSocket subprotocol name."""
    if text not in PROTOCOLS:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not one of {', '.join(PROTOCOLS)}"
        )
    return text


def protocol_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--protocol`` to *parser*."""
    parser.add_argument(
        "--protocol",
        type=protocol,
        default=OCPP16,
        metavar="NAME",
        help="the protocol of lines whose envelope names none: "
        f"{', '.join(PROTOCOLS)} (default: %(default)s)",
    )


def station(text: str) -> str:
    """Read a station id given on the command line."""
    if not is_station_id(text):
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not {STATION_EXPECTED}")
    return text


def positive_seconds(text: str) -> timedelta:
    """Read a number of seconds above zero."""
    seconds = number(text)
    if seconds is None or seconds <= 0:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not a number of seconds > 0"
        )
    try:
        interval = timedelta(seconds=seconds)
    except OverflowError:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} seconds is too long"
        ) from None
    if not interval:
        # timedelta keeps microseconds: anything shorter rounds to nothing.
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} seconds is shorter than a microsecond"
        )
    return interval


def seconds_or_zero(text: str) -> timedelta:
    """Read a number of seconds, zero or more."""
    seconds = number(text)
    if seconds is None or seconds < 0:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} is not a number of seconds >= 0"
        )
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)} seconds is too long"
        ) from None


def tolerance(text: str) -> float:
    """Read a factor of at least one."""
    factor = number(text)
    if factor is None or factor < 1:
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not a number >= 1")
    return factor


def number(text: str) -> float | None:
    """Return *text* as a finite number, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
