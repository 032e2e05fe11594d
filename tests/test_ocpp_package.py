"""Interop with the ``ocpp`` package: its enums and StatusNotification dataclasses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from enum import Enum
from typing import Any, cast

import ocpp.charge_point  # pyright: ignore[reportMissingTypeStubs]
import pytest
from ocpp.v16 import call as call16  # pyright: ignore[reportMissingTypeStubs]
from ocpp.v16 import enums as enums16  # pyright: ignore[reportMissingTypeStubs]
from ocpp.v21 import call as call21  # pyright: ignore[reportMissingTypeStubs]
from ocpp.v21 import datatypes as datatypes21  # pyright: ignore[reportMissingTypeStubs]
from ocpp.v21 import enums as enums21  # pyright: ignore[reportMissingTypeStubs]
from ocpp.v201 import call as call201  # pyright: ignore[reportMissingTypeStubs]
from ocpp.v201 import enums as enums201  # pyright: ignore[reportMissingTypeStubs]

from evstatus import (
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    InvalidReport,
    ocpp201,
)
from evstatus.ocpp201 import ChargingState

# Typed handles on the untyped helpers the ocpp package sends messages with.
remove_nones = cast(
    "Callable[[Any], Any]",
    ocpp.charge_point.remove_nones,  # pyright: ignore[reportUnknownMemberType]
)
snake_to_camel_case = cast(
    "Callable[[Any], Any]",
    ocpp.charge_point.snake_to_camel_case,  # pyright: ignore[reportUnknownMemberType]
)
camel_to_snake_case = cast(
    "Callable[[Any], Any]",
    ocpp.charge_point.camel_to_snake_case,  # pyright: ignore[reportUnknownMemberType]
)

PAIRS: list[tuple[type[Enum], type[Enum]]] = [
    (enums16.ChargePointStatus, ChargePointStatus),
    (enums16.ChargePointErrorCode, ChargePointErrorCode),
    (enums201.ConnectorStatusEnumType, ocpp201.ConnectorState),
    (enums201.ChargingStateEnumType, ChargingState),
    (enums21.ConnectorStatusEnumType, ocpp201.ConnectorState),
    (enums21.ChargingStateEnumType, ChargingState),
]


@pytest.mark.parametrize(("theirs", "ours"), PAIRS)
def test_every_member_converts_by_value(theirs: type[Enum], ours: type[Enum]) -> None:
    converted = [ours(member) for member in theirs]
    # Each of theirs becomes one of ours with the same text, and none is missed.
    assert [m.value for m in converted] == [m.value for m in theirs]
    assert set(converted) == set(ours)
    assert len(converted) == len(ours)


def _payload(message: object) -> Any:
    """The documented one-liner's inner part: dataclass -> camelCase JSON object."""
    return remove_nones(snake_to_camel_case(asdict(message)))  # type: ignore[call-overload]


def test_v16_status_notification_dataclass() -> None:
    message = call16.StatusNotification(
        connector_id=2,
        error_code=enums16.ChargePointErrorCode.ground_failure,
        status=enums16.ChargePointStatus.suspended_evse,
        timestamp="2026-11-22T10:15:00+01:00",
        vendor_id="acme",
    )
    report = ConnectorReport.from_ocpp(
        remove_nones(snake_to_camel_case(asdict(message)))
    )
    assert report.connector_id == 2
    assert report.error_code is ChargePointErrorCode.GROUND_FAILURE
    assert report.status is ChargePointStatus.SUSPENDED_EVSE
    assert report.vendor_id == "acme"
    assert report.info is None
    assert report.to_ocpp().get("timestamp") == "2026-11-22T09:15:00Z"


def test_v201_status_notification_dataclass() -> None:
    message = call201.StatusNotification(
        timestamp="2026-11-22T10:15:00Z",
        connector_status=enums201.ConnectorStatusEnumType.occupied,
        evse_id=1,
        connector_id=2,
    )
    report = ocpp201.ConnectorReport.from_ocpp(
        remove_nones(snake_to_camel_case(asdict(message)))
    )
    assert report.connector == (1, 2)
    assert report.status is ocpp201.ConnectorState.OCCUPIED
    assert report.custom_data is None
    # And back: our payload builds their dataclass.
    again = call201.StatusNotification(**_snake(report.to_ocpp()))
    assert asdict(again) == asdict(message)


def test_v201_custom_data_comes_through() -> None:
    message = call201.StatusNotification(
        timestamp="2026-11-22T10:15:00Z",
        connector_status=enums201.ConnectorStatusEnumType.faulted,
        evse_id=3,
        connector_id=1,
        custom_data={"vendor_id": "acme", "code": 7},
    )
    report = ocpp201.ConnectorReport.from_ocpp(_payload(message))
    assert report.custom_data == {"vendorId": "acme", "code": 7}


def test_v21_status_notification_dataclass() -> None:
    message = call21.StatusNotification(
        connector_id=1,
        connector_status=enums21.ConnectorStatusEnumType.reserved,
        evse_id=4,
        timestamp="2026-11-22T10:15:00Z",
        custom_data=datatypes21.CustomDataType(vendor_id="acme"),
    )
    report = ocpp201.ConnectorReport.from_ocpp(_payload(message))
    assert report.connector == (4, 1)
    assert report.status is ocpp201.ConnectorState.RESERVED
    assert report.custom_data == {"vendorId": "acme"}


def test_bad_dataclass_values_still_give_invalid_report() -> None:
    bad_status: Any = "Charging"
    message = call201.StatusNotification(
        timestamp="yesterday",
        connector_status=bad_status,
        evse_id=0,
        connector_id=1,
    )
    with pytest.raises(InvalidReport) as caught:
        ocpp201.ConnectorReport.from_ocpp(_payload(message))
    assert [p.field for p in caught.value.problems] == [
        "timestamp",
        "connectorStatus",
        "evseId",
    ]


def _snake(payload: object) -> dict[str, Any]:
    result: dict[str, Any] = camel_to_snake_case(payload)
    return result
