"""The port inventory: every port that should be reported, and its identifiers.

A log only names the ports that talked. The rules want every port reported,
under the permanent station and port identifiers given when the station was
registered, with its network provider; a port that never reported is then an
outage-free port without data, listed, never dropped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Final, cast

import attrs

from evstatus._errors import wrong_type, wrong_value
from evstatus._log import STATION_EXPECTED
from evstatus.exceptions import InvalidReport, Problem

from ._notice import Notice

__all__ = ["INVENTORY_COLUMNS", "PortRecord", "arrange_ports", "read_inventory"]

#: The columns an inventory may have; ``station`` and ``connector`` are required.
INVENTORY_COLUMNS: Final = (
    "station",
    "connector",
    "station_id",
    "port_id",
    "network_provider",
)
_REQUIRED: Final = ("station", "connector")
_PORT_EXPECTED: Final = (
    "a port number >= 1 (the OCPP connector id; for OCPP 2.0.1 the EVSE id)"
)
_TEXT_EXPECTED: Final = "text with more than spaces, or an empty cell"
_NUMBER: Final = re.compile(r"[0-9]+")


def _is_text(value: object) -> bool:
    """Whether *value* is a string with more than white space in it."""
    return isinstance(value, str) and bool(value) and not value.isspace()


# The validators are typed as their fields, for attrs' type checking; the
# checks take any object, as a caller may pass anything.
def _port_number(_instance: object, _attribute: object, value: int) -> None:
    _check_port(value)


def _check_port(value: object) -> None:
    if type(value) is not int:
        raise wrong_type("connector", value, "an int")
    if value < 1:
        raise wrong_value("connector", value, _PORT_EXPECTED)


def _station(_instance: object, _attribute: object, value: str) -> None:
    if not _is_text(value):
        raise wrong_value("station", value, STATION_EXPECTED)


def _identifier(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _is_text(value):
        raise wrong_value(attribute.name, value, "a non-empty string, not only spaces")


def _provider(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and not _is_text(value):
        raise wrong_value(
            "network_provider", value, "a non-empty string, not only spaces, or None"
        )


@attrs.frozen(kw_only=True)
class PortRecord:
    """One port of the inventory: its OCPP ids and the identifiers to report under.

    >>> port = PortRecord(station="CP-1", connector=2)
    >>> port.station_id, port.port_id, port.network_provider
    ('CP-1', '2', None)
    """

    station: str = attrs.field(validator=_station)
    """The station id as the log names it."""
    connector: int = attrs.field(validator=_port_number)
    """The port as the log numbers it: the connector id (OCPP 1.6), the EVSE id
    (OCPP 2.0.1)."""
    station_id: str = attrs.field(
        default=attrs.Factory(lambda self: self.station, takes_self=True),
        validator=_identifier,
    )
    """The permanent station identifier to report under; by default *station*."""
    port_id: str = attrs.field(
        default=attrs.Factory(lambda self: str(self.connector), takes_self=True),
        validator=_identifier,
    )
    """The permanent port identifier to report under; by default the port number."""
    network_provider: str | None = attrs.field(default=None, validator=_provider)
    """Who runs the network that manages the charger, if known."""
    line: int | None = None
    """The line of the file where its row ends; None if built in code."""

    @property
    def key(self) -> tuple[str, int]:
        """The port as :meth:`evstatus.uptime.Timeline.ports` lists it."""
        return self.station, self.connector


def read_inventory(source: Iterable[str]) -> list[PortRecord]:
    r"""Read a port inventory: CSV with a header row, one port a row.

    *source* gives the file's text, a line at a time with the line ends (a
    file opened with ``newline=""``, or ``io.StringIO(text, newline="")``:
    a quoted cell may hold a line break).
    The columns are named in the header: ``station`` and ``connector`` (the
    OCPP ids as the log has them) are required; ``station_id``, ``port_id``
    and ``network_provider`` are optional, and an empty cell takes the
    default (the OCPP ids; no provider). Other columns are ignored, and so are
    rows with nothing but spaces in them.

    A bad row raises :class:`evstatus.exceptions.InvalidReport` naming its
    line, the column, the value and what was expected; so does a port listed
    twice, by its OCPP ids or by its identifiers.

    >>> import io
    >>> text = "station,connector,port_id,notes\nCP-1,1,CP-1-A,by the door\n"
    >>> ports = read_inventory(io.StringIO(text, newline=""))
    >>> for port in ports:
    ...     print(port.station, port.connector, port.station_id, port.port_id)
    CP-1 1 CP-1 CP-1-A
    """
    rows = csv.reader(source, strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise InvalidReport(
                [
                    Problem(
                        field="<header>",
                        value=None,
                        expected=_HEADER_EXPECTED,
                        missing=True,
                    )
                ],
                what="port inventory",
            )
        columns = _columns(header)
        records: list[PortRecord] = []
        by_ocpp: dict[tuple[str, int], PortRecord] = {}
        by_identifiers: dict[tuple[str, str], PortRecord] = {}
        for row in rows:
            if not "".join(row).strip():
                continue
            record = _record(row, columns, rows.line_num)
            _check_unique(record, by_ocpp, by_identifiers)
            records.append(record)
    except csv.Error as error:
        raise InvalidReport(
            [
                Problem(
                    field="<line>", value=str(error), expected="a well-formed CSV row"
                )
            ],
            what=f"port inventory line {rows.line_num}",
        ) from None
    return records


_HEADER_EXPECTED: Final = (
    "a header row naming the columns: station, connector, and optionally "
    "station_id, port_id, network_provider"
)


def _columns(header: list[str]) -> dict[str, int]:
    # Spaces around a name, and a byte order mark before the first, are what
    # spreadsheets leave; they are not part of the name.
    names = [name.strip().removeprefix("\ufeff").strip() for name in header]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name not in INVENTORY_COLUMNS:
            continue
        if name in columns:
            problems.append(
                Problem(field=name, value=name, expected="a column named only once")
            )
        columns[name] = index
    problems.extend(
        Problem(
            field=name,
            value=None,
            expected=f"a column named {name} in the header",
            missing=True,
        )
        for name in _REQUIRED
        if name not in columns
    )
    if problems:
        raise InvalidReport(problems, what="port inventory header on line 1")
    return columns


def _record(row: list[str], columns: dict[str, int], line: int) -> PortRecord:
    cells = {
        name: row[index] if index < len(row) else "" for name, index in columns.items()
    }
    problems: list[Problem] = []
    station = cells["station"]
    if not _is_text(station):
        problems.append(
            Problem(field="station", value=station, expected=STATION_EXPECTED)
        )
    raw = cells["connector"]
    connector = int(raw) if _NUMBER.fullmatch(raw) else 0
    if connector < 1:
        problems.append(Problem(field="connector", value=raw, expected=_PORT_EXPECTED))
    optional: dict[str, str] = {}
    for name in ("station_id", "port_id", "network_provider"):
        value = cells.get(name, "")
        if not value:
            continue
        if value.isspace():
            problems.append(Problem(field=name, value=value, expected=_TEXT_EXPECTED))
        optional[name] = value
    if problems:
        raise InvalidReport(problems, what=f"port inventory row on line {line}")
    return PortRecord(
        station=station,
        connector=connector,
        station_id=optional.get("station_id", station),
        port_id=optional.get("port_id", str(connector)),
        network_provider=optional.get("network_provider"),
        line=line,
    )


def _check_unique(
    record: PortRecord,
    by_ocpp: dict[tuple[str, int], PortRecord],
    by_identifiers: dict[tuple[str, str], PortRecord],
) -> None:
    earlier = by_ocpp.get(record.key)
    if earlier is not None:
        raise InvalidReport(
            [
                Problem(
                    field="connector",
                    value=record.connector,
                    expected=f"a port not listed before (line {earlier.line} "
                    f"lists station {record.station!r} port {record.connector})",
                )
            ],
            what=f"port inventory row on line {record.line}",
        )
    identifiers = (record.station_id, record.port_id)
    earlier = by_identifiers.get(identifiers)
    if earlier is not None:
        raise InvalidReport(
            [
                Problem(
                    field="port_id",
                    value=record.port_id,
                    expected=f"identifiers not given before (line {earlier.line} "
                    f"reports station {earlier.station!r} port {earlier.connector} "
                    f"as station_id {record.station_id!r}, port_id {record.port_id!r})",
                )
            ],
            what=f"port inventory row on line {record.line}",
        )
    by_ocpp[record.key] = record
    by_identifiers[identifiers] = record


def arrange_ports(
    logged: Sequence[tuple[str, int]], inventory: Sequence[PortRecord] | None
) -> tuple[list[tuple[str, int, PortRecord | None]], list[Notice]]:
    """Return the ports to measure, each with its inventory record, and warnings.

    Without an inventory, the log's ports. With one, every port of either,
    sorted: an inventoried port the log never names is measured as having no
    data; a port of the log the inventory lacks is measured, with a warning.
    """
    if inventory is None:
        return [(station, connector, None) for station, connector in logged], []
    by_key = _check_inventory(inventory)
    notices = [
        Notice(
            line=None,
            message=f"station {station!r} port {connector} is in the log but not "
            "in the port inventory; reported under its OCPP ids",
            source="ports",
        )
        for station, connector in logged
        if (station, connector) not in by_key
    ]
    keys = sorted({*logged, *by_key})
    return [
        (station, connector, by_key.get((station, connector)))
        for station, connector in keys
    ], notices


def _check_inventory(inventory: object) -> dict[tuple[str, int], PortRecord]:
    if isinstance(inventory, (str, bytes)) or not isinstance(inventory, Sequence):
        raise wrong_type("ports", inventory, "a sequence of PortRecord, or None")
    by_key: dict[tuple[str, int], PortRecord] = {}
    identifiers: set[tuple[str, str]] = set()
    for record in cast("Sequence[object]", inventory):
        if not isinstance(record, PortRecord):
            raise wrong_type("ports", record, "a sequence of PortRecord, or None")
        named = (record.station_id, record.port_id)
        if record.key in by_key or named in identifiers:
            raise wrong_value(
                "ports",
                record,
                "each port listed once, under identifiers of its own",
            )
        by_key[record.key] = record
        identifiers.add(named)
    return by_key
