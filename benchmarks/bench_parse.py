"""from_ocpp against jsonschema's Draft4Validator on the official OCPP 1.6 schema.

The baseline is what the ``ocpp`` package does on every incoming message: a
Draft4Validator built once per schema, then ``validate(payload)``. Both sides
see the same mix of payloads; the figure that counts is the ratio, measured in
one run on one machine.

    python benchmarks/bench_parse.py          # the full run (about a minute)
    python benchmarks/bench_parse.py --quick  # a smoke run
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from importlib import resources
from typing import cast

import jsonschema

from _timing import best_microseconds_each, parse_args
from evstatus import ConnectorReport

PAYLOADS = {
    "minimal": {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
    "with timestamp": {
        "connectorId": 1,
        "errorCode": "NoError",
        "status": "Charging",
        "timestamp": "2026-11-22T10:15:00.123Z",
    },
    "every field": {
        "connectorId": 2,
        "errorCode": "OtherError",
        "status": "Faulted",
        "timestamp": "2026-11-22T11:15:00+01:00",
        "info": "contactor welded",
        "vendorId": "com.example",
        "vendorErrorCode": "E-42",
    },
}


def main() -> None:
    args = parse_args(__doc__ or "")
    number = 2_000 if args.quick else 20_000
    schema = json.loads(
        resources.files("ocpp")
        .joinpath("v16/schemas/StatusNotification.json")
        .read_text()
    )
    validator = jsonschema.Draft4Validator(schema)
    # The stubs type validate as (...) -> None; pin the one call we make.
    validate = cast(
        "Callable[[object], None]",
        validator.validate,  # pyright: ignore[reportUnknownMemberType]
    )
    parse = ConnectorReport.from_ocpp

    total_schema = total_ours = 0.0
    print(f"{'payload':<16}{'jsonschema µs':>15}{'from_ocpp µs':>15}{'ratio':>8}")
    for name, payload in PAYLOADS.items():
        validate(payload)  # both sides must accept it
        parse(payload)
        schema_us, ours_us = best_microseconds_each(
            partial(validate, payload), partial(parse, payload), number=number
        )
        total_schema += schema_us
        total_ours += ours_us
        print(
            f"{name:<16}{schema_us:>15.2f}{ours_us:>15.2f}{schema_us / ours_us:>7.1f}×"
        )
    print(f"{'the mix':<16}{total_schema:>15.2f}{total_ours:>15.2f}"
          f"{total_schema / total_ours:>7.1f}×  (goal: ≥ 20×)")  # fmt: skip


if __name__ == "__main__":
    main()
