"""A plain TransactionEvent's whole line, read in one typed decode (``evstatus[fast]``).

A fleet that speaks OCPP 2.0.1 sends a TransactionEvent beside most reports
of a charge, so its log holds many (7% of a realistic fleet's lines, 28% of
the stress profile's). The general reader decodes such a line into dicts,
checks its envelope key by key and its payload by the fast path of
:mod:`evstatus._ocpp2_events`. With msgspec, the plain line (an envelope of
the station, the receive time, perhaps the protocol, and a CALL of a
TransactionEvent of the plain shape) is decoded straight into the structs
below: msgspec checks in C that exactly these keys are there, each of its
JSON type, and the values are judged by
:func:`~evstatus._ocpp2_events.checked_facts`, against the same rules, taken
from the schema's tree, as that fast path's. Any other line, or any value the
rules refuse, gives None: the general reader then reads it and alone judges
it (tests/test_transaction_lines.py holds the two to the same answers).

The folds that read a log line by line (:meth:`evstatus.log.Fleet.consume`
and uptime's timeline) ask here first, for lines long enough to be one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final, Literal

from ._log import _FAST_LINE_LIMIT as LONGEST  # pyright: ignore[reportPrivateUsage]
from ._log import FAST, OCPP21, OCPP201, is_station_id
from ._ocpp2_events import QUICK_RULES, TransactionFacts, checked_facts
from ._timestamps import parse_timestamp

__all__ = ["READ_TRANSACTION", "SHORTEST", "read_transaction_line"]

#: The kind of a line read here (see :data:`evstatus._log.Kind`): its value is
#: ``(protocol, facts)``, the facts those :func:`read_transaction` returns.
READ_TRANSACTION: Final = "read transaction"
#: Lines this short are not looked at: a plain TransactionEvent in a log's
#: envelope runs to about 300 characters, and the lines that are not one
#: (a heartbeat of 100, a 1.6 StatusNotification of 210 to 230) are spared
#: the search for its action. A shorter one is read the general way.
SHORTEST: Final = 240

TransactionLine = tuple[str, datetime, str, tuple[str, TransactionFacts]]
"""What :func:`read_transaction_line` returns: a :data:`evstatus._log.LogEntry`
of kind :data:`READ_TRANSACTION`."""

read_transaction_line: Callable[[str, str], TransactionLine | None]

if FAST:
    import msgspec

    class _Info(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
        transaction_id: str
        charging_state: str | msgspec.UnsetType = msgspec.UNSET

    class _Evse(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
        id: int
        connector_id: int | msgspec.UnsetType = msgspec.UNSET

    class _Request(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
        event_type: str
        timestamp: str
        trigger_reason: str
        seq_no: int
        transaction_info: _Info
        evse: _Evse | msgspec.UnsetType = msgspec.UNSET

    class _Line(msgspec.Struct, forbid_unknown_fields=True):
        station: str
        received: str
        frame: tuple[Literal[2], str, Literal["TransactionEvent"], _Request]
        protocol: str | msgspec.UnsetType = msgspec.UNSET

    _decode: Final = msgspec.json.Decoder(_Line).decode
    _Refused: Final = msgspec.MsgspecError
    # Searched for before decoding: a line without it is not one.
    _ACTION: Final = '"TransactionEvent"'

    def _read(line: str, protocol: str) -> TransactionLine | None:
        """Read *line* if it is a plain TransactionEvent; None for anything else.

        *protocol* is the protocol of a line that names none.
        """
        if len(line) >= LONGEST or _ACTION not in line:
            # Long lines go the general way, which alone knows how deep a
            # value may nest or how many digits an integer may have.
            return None
        try:
            read = _decode(line)
        except _Refused:
            return None
        named = read.protocol
        if named is msgspec.UNSET:
            named = protocol
        # Our own names kept, as the general reader keeps them.
        if named == OCPP201:
            version = OCPP201
        elif named == OCPP21:
            version = OCPP21
        else:
            return None
        station = read.station
        received = parse_timestamp(read.received)
        if received is None or not is_station_id(station):
            return None
        request = read.frame[3]
        info = request.transaction_info
        state = info.charging_state
        evse = request.evse
        evse_id = connector_id = None
        if evse is not msgspec.UNSET:
            evse_id = evse.id
            if evse.connector_id is not msgspec.UNSET:
                connector_id = evse.connector_id
        facts = checked_facts(
            QUICK_RULES[version],
            request.event_type,
            request.trigger_reason,
            request.seq_no,
            info.transaction_id,
            None if state is msgspec.UNSET else state,
            evse_id,
            connector_id,
            request.timestamp,
        )
        if facts is None:
            return None
        return (station, received, READ_TRANSACTION, (version, facts))

    read_transaction_line = _read
else:  # pragma: no cover  (the test environment has msgspec)

    def _never(line: str, protocol: str) -> TransactionLine | None:  # noqa: ARG001  (the reader's signature)
        """Without msgspec every line is read the general way."""
        return None

    read_transaction_line = _never
