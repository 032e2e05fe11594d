"""The port inventory: its CSV reader and its records."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus.exceptions import InvalidReport
from evstatus.uptime import PortRecord, Timeline, read_inventory, uptime
from evstatus.uptime._inventory import INVENTORY_COLUMNS


def read(text: str) -> list[PortRecord]:
    return read_inventory(io.StringIO(text, newline=""))


def problem(text: str) -> tuple[str, str, object, str]:
    """Read a bad inventory: where, which column, what value, what was expected."""
    with pytest.raises(InvalidReport) as caught:
        read(text)
    error = caught.value
    assert len(error.problems) == 1, error
    first = error.problems[0]
    return error.what, first.field, first.value, first.expected


def test_the_ocpp_ids_alone_report_under_themselves() -> None:
    [port] = read("station,connector\nCP-1,2\n")
    assert port == PortRecord(
        station="CP-1",
        connector=2,
        station_id="CP-1",
        port_id="2",
        network_provider=None,
        line=2,
    )
    assert port.key == ("CP-1", 2)


def test_every_column_in_any_order_and_other_columns_ignored() -> None:
    text = (
        "\ufeff notes ,network_provider, port_id ,connector,station_id,station\n"
        "by the door,ExampleNet,0001-A,1,STATION-0001,CP-1\n"
        "\n"
        " , , , , , \n"
        "windy,,,2,,CP-1\n"
    )
    assert [
        (p.station, p.connector, p.station_id, p.port_id, p.network_provider, p.line)
        for p in read(text)
    ] == [
        ("CP-1", 1, "STATION-0001", "0001-A", "ExampleNet", 2),
        ("CP-1", 2, "CP-1", "2", None, 5),
    ]


def test_a_quoted_cell_may_hold_commas_and_line_breaks() -> None:
    text = 'station,connector,notes,port_id\n"CP, 1",1,"two\nlines",A\nCP-2,1,,B\n'
    ports = read(text)
    assert [(p.station, p.port_id, p.line) for p in ports] == [
        ("CP, 1", "A", 3),
        ("CP-2", "B", 4),
    ]


def test_an_empty_inventory_has_no_ports() -> None:
    assert read("station,connector\n") == []


def test_no_header_is_refused() -> None:
    assert problem("") == (
        "port inventory",
        "<header>",
        None,
        (
            "a header row naming the columns: station, connector, and optionally "
            "station_id, port_id, network_provider"
        ),
    )


@pytest.mark.parametrize("missing", ["station", "connector"])
def test_a_required_column_missing_is_named(missing: str) -> None:
    header = ",".join(
        name for name in ("station", "connector", "port_id") if name != missing
    )
    assert problem(header + "\n") == (
        "port inventory header on line 1",
        missing,
        None,
        f"a column named {missing} in the header",
    )


def test_a_column_named_twice_is_refused() -> None:
    assert problem("station,connector,port_id,port_id\n") == (
        "port inventory header on line 1",
        "port_id",
        "port_id",
        "a column named only once",
    )


CONNECTOR_EXPECTED = (
    "a port number >= 1 (the OCPP connector id; for OCPP 2.0.1 the EVSE id)"
)


@pytest.mark.parametrize("cell", ["", "0", "-1", "1.0", " 1", "one", "1e3", "+1", "١"])
def test_a_bad_connector_is_named_with_its_line(cell: str) -> None:
    text = f"station,connector\nCP-1,1\nCP-1,{cell}\n"
    assert problem(text) == (
        "port inventory row on line 3",
        "connector",
        cell,
        CONNECTOR_EXPECTED,
    )


def test_a_short_row_lacks_its_connector() -> None:
    assert problem("station,connector\nCP-1\n") == (
        "port inventory row on line 2",
        "connector",
        "",
        CONNECTOR_EXPECTED,
    )


@pytest.mark.parametrize("cell", ["", "   "])
def test_a_station_without_an_id_is_refused(cell: str) -> None:
    what, field, value, expected = problem(f"station,connector,port_id\n{cell},1,A\n")
    assert (what, field, value) == ("port inventory row on line 2", "station", cell)
    assert expected.startswith("a station id")


@pytest.mark.parametrize("column", ["station_id", "port_id", "network_provider"])
def test_an_identifier_of_spaces_is_refused(column: str) -> None:
    text = f"station,connector,{column}\nCP-1,1,  \n"
    assert problem(text) == (
        "port inventory row on line 2",
        column,
        "  ",
        "text with more than spaces, or an empty cell",
    )


def test_every_problem_of_a_row_is_listed() -> None:
    with pytest.raises(InvalidReport) as caught:
        read("station,connector,port_id\n ,x, \n")
    assert [p.field for p in caught.value.problems] == [
        "station",
        "connector",
        "port_id",
    ]


def test_a_port_listed_twice_is_refused() -> None:
    text = "station,connector,port_id\nCP-1,1,A\nCP-2,1,B\nCP-1,1,C\n"
    assert problem(text) == (
        "port inventory row on line 4",
        "connector",
        1,
        "a port not listed before (line 2 lists station 'CP-1' port 1)",
    )


def test_two_ports_under_the_same_identifiers_are_refused() -> None:
    # Reported under one station_id and port_id, they would be one row in a
    # submission.
    text = "station,connector,station_id,port_id\nCP-1,1,S-1,A\nCP-1,2,S-1,A\n"
    assert problem(text) == (
        "port inventory row on line 3",
        "port_id",
        "A",
        (
            "identifiers not given before (line 2 reports station 'CP-1' port 1 "
            "as station_id 'S-1', port_id 'A')"
        ),
    )


def test_the_default_identifiers_collide_too() -> None:
    # Both ports 1 take their port_id by default: "1" under S-1, twice.
    text = "station,connector,station_id\nCP-1,1,S-1\nCP-2,1,S-1\n"
    what, field, value, _ = problem(text)
    assert (what, field, value) == ("port inventory row on line 3", "port_id", "1")


def test_a_malformed_row_is_refused_with_its_line() -> None:
    text = 'station,connector\nCP-1,1\n"CP-2"x,2\n'
    what, field, _, expected = problem(text)
    assert (what, field, expected) == (
        "port inventory line 3",
        "<line>",
        "a well-formed CSV row",
    )


# --- records built in code ---------------------------------------------------------


def test_a_record_built_in_code_takes_the_same_defaults() -> None:
    port = PortRecord(station="CP-9", connector=3, network_provider="Net")
    assert (port.station_id, port.port_id, port.network_provider, port.line) == (
        "CP-9",
        "3",
        "Net",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"station": "", "connector": 1}, ValueError, "station: got ''"),
        ({"station": "CP-1", "connector": 0}, ValueError, "connector: got 0"),
        ({"station": "CP-1", "connector": "1"}, TypeError, "connector: got '1'"),
        ({"station": "CP-1", "connector": True}, TypeError, "connector: got True"),
        (
            {"station": "CP-1", "connector": 1, "station_id": " "},
            ValueError,
            "station_id: got ' '",
        ),
        (
            {"station": "CP-1", "connector": 1, "port_id": ""},
            ValueError,
            "port_id: got ''",
        ),
        (
            {"station": "CP-1", "connector": 1, "network_provider": ""},
            ValueError,
            "network_provider: got ''",
        ),
    ],
)
def test_a_bad_record_built_in_code_is_refused(
    fields: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{message}, expected"):
        PortRecord(**fields)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# --- measuring with an inventory -----------------------------------------------------


def _line(station: str, received: str, **what: object) -> str:
    return json.dumps({"station": station, "received": received, **what})


def _available(connector: int) -> dict[str, object]:
    return {"connectorId": connector, "errorCode": "NoError", "status": "Available"}


LOG = [
    _line("CP-1", "2026-06-01T00:00:00Z", event="connected"),
    _line("CP-1", "2026-06-01T00:00:00Z", payload=_available(1)),
    _line("CP-7", "2026-06-01T00:00:00Z", event="connected"),
    _line("CP-7", "2026-06-01T00:00:00Z", payload=_available(3)),
    _line("CP-7", "2026-06-02T00:00:00Z", event="heard"),
    _line("CP-1", "2026-06-02T00:00:00Z", event="heard"),
]
JUNE_1 = datetime(2026, 6, 1, tzinfo=UTC)
JUNE_2 = datetime(2026, 6, 2, tzinfo=UTC)


def test_an_inventoried_port_without_data_is_listed_not_dropped() -> None:
    inventory = [
        PortRecord(station="CP-1", connector=2, port_id="B"),
        PortRecord(station="CP-1", connector=1, port_id="A"),
    ]
    result = uptime(Timeline.from_lines(LOG), JUNE_1, JUNE_2, ports=inventory)
    assert [
        (
            port.station,
            port.connector_id,
            port.inventory,
            port.has_data,
            port.uptime_percent,
            port.outage_minutes,
        )
        for port in result.ports
    ] == [
        ("CP-1", 1, inventory[1], True, Fraction(100), Fraction(0)),
        # Never heard from: no figure, not 100%.
        ("CP-1", 2, inventory[0], False, None, Fraction(0)),
        # In the log, not in the inventory: measured all the same.
        ("CP-7", 3, None, True, Fraction(100), Fraction(0)),
    ]
    assert [
        (notice.source, notice.line, notice.message) for notice in result.warnings
    ] == [
        (
            "ports",
            None,
            (
                "station 'CP-7' port 3 is in the log but not in the port "
                "inventory; reported under its OCPP ids"
            ),
        )
    ]


def test_without_an_inventory_the_logs_ports_are_measured() -> None:
    result = uptime(Timeline.from_lines(LOG), JUNE_1, JUNE_2)
    assert [(p.station, p.connector_id, p.inventory) for p in result.ports] == [
        ("CP-1", 1, None),
        ("CP-7", 3, None),
    ]
    assert result.warnings == ()


def test_an_empty_inventory_warns_of_every_port() -> None:
    result = uptime(Timeline.from_lines(LOG), JUNE_1, JUNE_2, ports=[])
    assert len(result.ports) == 2
    assert [notice.source for notice in result.warnings] == ["ports", "ports"]


@pytest.mark.parametrize(
    ("ports", "error", "message"),
    [
        ("CP-1,1", TypeError, "ports: got 'CP-1,1', expected a sequence of PortRecord"),
        ({("CP-1", 1)}, TypeError, "ports: got <set of 1>, expected a sequence"),
        ([("CP-1", 1)], TypeError, "ports: got <tuple of 2>, expected a sequence"),
        (
            [PortRecord(station="CP-1", connector=1)] * 2,
            ValueError,
            "ports: got <PortRecord>, expected each port listed once",
        ),
        (
            [
                PortRecord(station="CP-1", connector=1, port_id="A"),
                PortRecord(station="CP-1", connector=2, port_id="A"),
            ],
            ValueError,
            "ports: got <PortRecord>, expected each port listed once",
        ),
    ],
)
def test_a_bad_inventory_in_code_is_refused(
    ports: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        uptime(
            Timeline.from_lines(LOG),
            JUNE_1,
            JUNE_2,
            ports=ports,  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        )


# --- properties ------------------------------------------------------------------------

_TEXT = st.text(min_size=1, max_size=12).filter(lambda text: not text.isspace())


@st.composite
def inventories(draw: st.DrawFn) -> list[PortRecord]:
    """Inventories of distinct ports under distinct identifiers, any text."""
    keys = draw(
        st.lists(
            st.tuples(_TEXT, st.integers(min_value=1, max_value=10**12)),
            unique=True,
            max_size=6,
        )
    )
    records: list[PortRecord] = []
    named: set[tuple[str, str]] = set()
    for station, connector in keys:
        station_id = draw(st.none() | _TEXT) or station
        port_id = draw(st.none() | _TEXT) or str(connector)
        if (station_id, port_id) in named:
            continue
        named.add((station_id, port_id))
        records.append(
            PortRecord(
                station=station,
                connector=connector,
                station_id=station_id,
                port_id=port_id,
                network_provider=draw(st.none() | _TEXT),
            )
        )
    return records


@given(
    inventories(), st.permutations(INVENTORY_COLUMNS), st.sampled_from(["\n", "\r\n"])
)
def test_an_inventory_written_as_csv_reads_back_the_same(
    records: list[PortRecord], columns: list[str], end: str
) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=end, quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for record in records:
        cells = {
            "station": record.station,
            "connector": str(record.connector),
            "station_id": record.station_id,
            "port_id": record.port_id,
            "network_provider": record.network_provider or "",
        }
        writer.writerow([cells[column] for column in columns])
    read = read_inventory(io.StringIO(out.getvalue(), newline=""))
    assert [attrs.evolve(port, line=None) for port in read] == records
    # Each record says where its row ends: after the header, in order.
    lines = [port.line or 0 for port in read]
    assert lines == sorted(lines)
    assert all(line >= 2 for line in lines)
