"""Measure the parsers and the station rules against their yardsticks (SPEC.md §5).

Prints ratios; asserts nothing (timings are not judged in CI). ``--quick`` runs
few iterations, only to prove the script works.

- ``ConnectorReport.from_ocpp`` vs ``jsonschema.Draft4Validator`` on the official
  OCPP 1.6 schema (what the ``ocpp`` package runs on every message);
- ``Ocpp2ConnectorReport.from_ocpp`` vs ``jsonschema.Draft6Validator`` on the
  official OCPP 2.0.1 schema.
"""

from __future__ import annotations

import argparse
import json
import timeit
from collections.abc import Callable
from importlib.resources import files
from typing import Any, cast

import jsonschema  # type: ignore[import-untyped]

from evstatus import ConnectorReport, Ocpp2ConnectorReport

PAYLOAD_16 = {
    "connectorId": 1,
    "errorCode": "NoError",
    "status": "Charging",
    "timestamp": "2026-11-22T10:15:00Z",
}
PAYLOAD_201 = {
    "timestamp": "2026-11-22T10:15:00Z",
    "connectorStatus": "Occupied",
    "evseId": 1,
    "connectorId": 1,
}


def _schema(path: str) -> dict[str, object]:
    text = files("ocpp").joinpath(path).read_text(encoding="utf-8")
    schema: dict[str, object] = json.loads(text)
    return schema


def _best(statement: object, number: int) -> float:
    timer = timeit.Timer(statement)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=5, number=number)) / number


def _validating(validator: object, payload: object) -> Callable[[], None]:
    validate_payload = cast("Any", validator).validate

    def validate() -> None:
        validate_payload(payload)

    return validate


def main() -> None:
    """Run the measurements and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few iterations")
    number = 200 if parser.parse_args().quick else 20_000
    checks: list[tuple[str, Any, Any]] = [
        (
            "OCPP 1.6 StatusNotification",
            lambda: ConnectorReport.from_ocpp(PAYLOAD_16),
            jsonschema.Draft4Validator(_schema("v16/schemas/StatusNotification.json")),
        ),
        (
            "OCPP 2.0.1 StatusNotificationRequest",
            lambda: Ocpp2ConnectorReport.from_ocpp(PAYLOAD_201),
            jsonschema.Draft6Validator(
                _schema("v201/schemas/StatusNotificationRequest.json")
            ),
        ),
    ]
    for name, ours, validator in checks:
        payload = PAYLOAD_16 if "1.6" in name else PAYLOAD_201
        mine = _best(ours, number)
        theirs = _best(_validating(validator, payload), number)
        print(
            f"{name}: from_ocpp {mine * 1e6:.2f} us, jsonschema "
            f"{theirs * 1e6:.2f} us, {theirs / mine:.1f}x faster"
        )


if __name__ == "__main__":
    main()
