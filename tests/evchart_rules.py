"""EV-ChART's upload rules, read from its published module definitions.

The definitions (tests/evchart/, copied from the Joint Office's repository)
give, per column: whether it is required, its data type, and the limits of
that type (length, decimal precision and scale, minimum, maximum). This module
reads them as data and checks a CSV file against them the way EV-ChART's
validator does, so that nothing of the rules is restated here. What EV-ChART
checks in code rather than data is here too, said as such: the identity
columns of every upload, and the shape of a datetime.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Final, cast

__all__ = ["Rule", "rules", "violations"]

DEFINITIONS: Final = Path(__file__).parent / "evchart"

#: Every upload names its station and network provider (EV-ChART's validator
#: checks these two columns in code, not in the module definitions); their
#: sizes are the database columns' in the central configuration.
_IDENTITY: Final = {
    "station_id": "station_id_upload",
    "network_provider": "network_provider",
}
#: EV-ChART's datetime check, from its validator's code: ISO 8601 with a
#: date, a time to the second, an optional fraction and an optional Z.
_DATETIME: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
_VARCHAR: Final = re.compile(r"varchar\((\d+)\)", re.IGNORECASE)

Rule = Mapping[str, object]


def _load(name: str) -> dict[str, object]:
    return cast(
        "dict[str, object]", json.loads((DEFINITIONS / name).read_text("utf-8"))
    )


def rules(module: int) -> dict[str, Rule]:
    """Each column's rule for *module*, by column name."""
    definition = _load(f"module{module}.json")
    fields = cast("list[dict[str, object]]", definition["fields"])
    found: dict[str, Rule] = {
        cast("str", field["field_name"]): field for field in fields
    }
    config = _load("database_central_config.json")
    table = cast("dict[str, object]", config[f"module{module}_data_v3"])
    schema = cast("dict[str, dict[str, object]]", table["schema"])
    # Columns validated by the central configuration only (Module 4's
    # excluded_outage and the like).
    for name, column in schema.items():
        validation = cast("dict[str, dict[str, object]]", column["module_validation"])
        if name not in found and "default" in validation:
            found[name] = {"field_name": name, **validation["default"]}
    for name, source in _IDENTITY.items():
        size = _VARCHAR.fullmatch(cast("str", schema[source]["rds_column_type"]))
        assert size is not None
        found[name] = {
            "field_name": name,
            "required": True,
            "datatype": "string",
            "max_length": int(size[1]),
        }
    return found


def unique_keys(module: int) -> list[str]:
    """The columns that together must not repeat, as the upload names them."""
    config = _load("database_central_config.json")
    table = cast("dict[str, object]", config[f"module{module}_data_v3"])
    keys = cast("list[str]", table["unique_key_constraints"])
    # The database keys a station by its uuid, which the upload's station_id
    # and network provider resolve to.
    return [key.replace("station_uuid", "station_id") for key in keys]


def violations(module: int, text: str) -> list[str]:
    """Every way the CSV *text* breaks *module*'s rules; empty if none."""
    found = rules(module)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    problems = [
        f"missing required column {name}"
        for name, rule in found.items()
        if rule.get("required") and name not in header
    ]
    if len(set(header)) != len(header):
        problems.append(f"a column named twice: {header}")
    seen: set[tuple[str, ...]] = set()
    keys = [header.index(key) for key in unique_keys(module) if key in header]
    for number, row in enumerate(reader, start=2):
        if len(row) != len(header):
            problems.append(f"row {number}: {len(row)} cells for {len(header)} columns")
            continue
        for name, cell in zip(header, row, strict=True):
            rule = found.get(name)
            if rule is not None:
                problems.extend(
                    f"row {number}, {name} = {cell!r}: {problem}"
                    for problem in _check(rule, cell)
                )
        key = tuple(row[index] for index in keys)
        if key in seen:
            problems.append(f"row {number}: repeats the unique key {key}")
        seen.add(key)
    return problems


def _check(rule: Rule, cell: str) -> list[str]:
    if cell == "":
        if rule.get("required") and not rule.get("required_empty_allowed"):
            return ["empty, but required"]
        return []
    datatype = cast("str", rule["datatype"]).lower()
    checker = _CHECKERS[datatype]
    return checker(rule, cell)


def _number_limits(rule: Rule, value: float) -> list[str]:
    problems: list[str] = []
    low = rule.get("min_value")
    if isinstance(low, (int, float)) and value < low:
        problems.append(f"below the minimum {low}")
    high = rule.get("max_value")
    if isinstance(high, (int, float)) and value > high:
        problems.append(f"above the maximum {high}")
    return problems


def _decimal(rule: Rule, cell: str) -> list[str]:
    if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cell):
        return ["not a decimal number"]
    whole, _, places = cell.lstrip("+-").partition(".")
    precision = cast("int", rule.get("max_precision", 11))
    scale = cast("int", rule.get("max_scale", 2))
    problems = _number_limits(rule, float(cell))
    if len(whole) > precision - scale:
        problems.append(f"more than {precision - scale} digits before the point")
    if len(places) > scale:
        problems.append(f"more than {scale} decimal places")
    return problems


def _integer(rule: Rule, cell: str) -> list[str]:
    if not re.fullmatch(r"[+-]?[0-9]+", cell):
        return ["not an integer"]
    problems = _number_limits(rule, int(cell))
    length = rule.get("length")
    if length is not None and len(cell.lstrip("+-")) != length:
        problems.append(f"not {length} digits")
    return problems


def _string(rule: Rule, cell: str) -> list[str]:
    problems: list[str] = []
    longest = rule.get("max_length")
    if isinstance(longest, int) and len(cell) > longest:
        problems.append(f"longer than {longest} characters")
    shortest = rule.get("min_length", 1)
    if isinstance(shortest, int) and len(cell) < shortest:
        problems.append(f"shorter than {shortest} characters")
    length = rule.get("length")
    if length is not None and len(cell) != length:
        problems.append(f"not {length} characters")
    if rule.get("required") and cell.isspace():
        problems.append("only spaces")
    return problems


def _boolean(_rule: Rule, cell: str) -> list[str]:
    return [] if cell in {"TRUE", "FALSE"} else ["not TRUE or FALSE"]


def _datetime(_rule: Rule, cell: str) -> list[str]:
    try:
        datetime.fromisoformat(cell)
    except ValueError:
        return ["not an ISO 8601 datetime"]
    if not _DATETIME.fullmatch(cell):
        return ["not YYYY-MM-DDTHH:MM:SS[.fraction][Z]"]
    return []


_CHECKERS: Final = {
    "decimal": _decimal,
    "integer": _integer,
    "string": _string,
    "boolean": _boolean,
    "datetime": _datetime,
}
