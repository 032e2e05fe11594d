"""from_ocpp against jsonschema's Draft4Validator and a pydantic v2 model.

The first baseline is what the ``ocpp`` package does on every incoming
message: a Draft4Validator built once per schema (the official OCPP 1.6
schema), then ``validate(payload)``. The second is a pydantic v2 model of the
same strictness as from_ocpp (exact int and str types, the enumerations, the
length limits, an aware RFC 3339 timestamp, no unknown keys, connector 0's
three states), validated with ``model_validate(payload)``. All three see the
same mix of payloads, connector-0 and error reports included; the figure that
counts is the ratio, measured in one run on one machine, the sides timed in
alternation, best of seven rounds.

    python benchmarks/bench_parse.py          # the full run (about a minute)
    python benchmarks/bench_parse.py --quick  # a smoke run
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from importlib import resources
from typing import Annotated, cast

import jsonschema
import pydantic

from _timing import best_microseconds_each, parse_args
from evstatus import (
    CONNECTOR_ZERO_STATUSES,
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
)

_CODES = tuple(code.value for code in ChargePointErrorCode)
_STATES = tuple(state.value for state in ChargePointStatus)
_ZERO_STATES = tuple(state.value for state in CONNECTOR_ZERO_STATUSES)


class _Payload(pydantic.BaseModel):
    """StatusNotification.req as a pydantic model, as strict as from_ocpp."""

    model_config = pydantic.ConfigDict(extra="forbid")

    connectorId: Annotated[pydantic.StrictInt, pydantic.Field(ge=0)]  # noqa: N815
    errorCode: pydantic.StrictStr  # noqa: N815
    status: pydantic.StrictStr
    timestamp: pydantic.AwareDatetime | None = None
    info: Annotated[pydantic.StrictStr, pydantic.Field(max_length=50)] | None = None
    vendorId: Annotated[pydantic.StrictStr, pydantic.Field(max_length=255)] | None = (  # noqa: N815
        None
    )
    vendorErrorCode: (  # noqa: N815
        Annotated[pydantic.StrictStr, pydantic.Field(max_length=50)] | None
    ) = None

    @pydantic.model_validator(mode="after")
    def _known_values(self) -> _Payload:
        if self.errorCode not in _CODES:
            raise ValueError("errorCode: not an OCPP 1.6 error code")
        allowed = _ZERO_STATES if self.connectorId == 0 else _STATES
        if self.status not in allowed:
            raise ValueError("status: not allowed on this connector")
        return self


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
    "connector 0": {
        "connectorId": 0,
        "errorCode": "NoError",
        "status": "Unavailable",
        "timestamp": "2026-11-22T10:15:00Z",
    },
    "error report": {
        "connectorId": 1,
        "errorCode": "GroundFailure",
        "status": "Faulted",
        "timestamp": "2026-11-22T10:15:00+01:00",
        "vendorErrorCode": "GF-7",
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
    model = _Payload.model_validate

    totals = [0.0, 0.0, 0.0]
    print(
        f"{'payload':<14}{'jsonschema µs':>14}{'pydantic µs':>13}"
        f"{'from_ocpp µs':>14}{'vs schema':>11}{'vs pydantic':>13}"
    )
    for name, payload in PAYLOADS.items():
        validate(payload)  # every side must accept it
        model(payload)
        parse(payload)
        times = best_microseconds_each(
            partial(validate, payload),
            partial(model, payload),
            partial(parse, payload),
            number=number,
        )
        totals = [total + each for total, each in zip(totals, times, strict=True)]
        _row(name, times)
    _row("the mix", totals)
    print("goal: >= 25x jsonschema, >= 1x pydantic, on the mix")


def _row(name: str, times: list[float]) -> None:
    schema_us, pydantic_us, ours_us = times
    print(
        f"{name:<14}{schema_us:>14.2f}{pydantic_us:>13.2f}{ours_us:>14.2f}"
        f"{schema_us / ours_us:>10.1f}×{pydantic_us / ours_us:>12.2f}×"
    )


if __name__ == "__main__":
    main()
