"""``evstatus explain``: a station's status from connector states given here."""

from __future__ import annotations

import argparse
from typing import IO, Any, Final

from evstatus._enums import CONNECTOR_ZERO_STATUSES, ChargePointStatus
from evstatus._errors import shorten
from evstatus.ocpp16 import ConnectorReport, derive_station

from .exits import EXIT_OK

__all__ = ["add_command"]


def add_command(commands: Any) -> None:  # noqa: ANN401  (argparse's private type)
    """Add ``explain`` to the ``evstatus`` subcommands."""
    explain = commands.add_parser(
        "explain",
        help="derive a station's status from connector states given here",
        description="Derive a station's status from connector states. Each STATE "
        "is an OCPP 1.6 status for the next connector (1, 2, ...) or ID=STATUS; "
        "0=STATUS sets the main controller, which may only be "
        + _connector_zero_choices()
        + ".",
        epilog="example: evstatus explain 0=Available Charging 3=Faulted --disabled",
    )
    explain.add_argument("states", nargs="*", metavar="STATE", type=_connector_state)
    explain.add_argument("--offline", action="store_true", help="not connected")
    explain.add_argument(
        "--disabled", action="store_true", help="not enabled on the platform"
    )
    explain.add_argument(
        "--removed", action="store_true", help="removed from the platform"
    )
    explain.set_defaults(run=_run_explain, parser=explain)


_STATUS_BY_NAME: Final = {
    member.value.casefold(): member for member in ChargePointStatus
}


def _connector_zero_choices() -> str:
    return ", ".join(s.value for s in ChargePointStatus if s in CONNECTOR_ZERO_STATUSES)


def _connector_state(text: str) -> tuple[int | None, ChargePointStatus]:
    connector_text, equals, status_text = text.rpartition("=")
    connector_id: int | None = None
    if equals:
        if not connector_text.isascii() or not connector_text.isdigit():
            raise argparse.ArgumentTypeError(
                f"{shorten(text)}: the connector id before '=' must be a number >= 0"
            )
        if len(connector_text) > 9:
            raise argparse.ArgumentTypeError(
                f"{shorten(text)}: the connector id before '=' is too large"
            )
        connector_id = int(connector_text)
    status = _STATUS_BY_NAME.get(status_text.casefold())
    if status is None:
        choices = ", ".join(member.value for member in ChargePointStatus)
        raise argparse.ArgumentTypeError(
            f"{shorten(status_text)} is not an OCPP 1.6 status; choose from {choices}"
        )
    if connector_id == 0 and status not in CONNECTOR_ZERO_STATUSES:
        raise argparse.ArgumentTypeError(
            f"{shorten(text)}: connector 0 (the main controller) may only be "
            f"{_connector_zero_choices()}"
        )
    return connector_id, status


def _run_explain(arguments: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    states: list[tuple[int | None, ChargePointStatus]] = arguments.states
    reports: dict[int, ConnectorReport] = {}
    next_id = 1
    for connector_id, status in states:
        number = next_id if connector_id is None else connector_id
        next_id = number + 1
        if number in reports:
            arguments.parser.error(
                f"connector {number} is given twice ({reports[number].status} and "
                f"{status}); give each connector one state"
            )
        reports[number] = ConnectorReport(connector_id=number, status=status)
    view = derive_station(
        reports.values(),
        online=not arguments.offline,
        enabled=not arguments.disabled,
        removed=arguments.removed,
    )
    rule = view.reason.rule
    out.write(f"station: {view.status} - {view.status.description}\n")
    out.write(f"reason:  rule {rule.number}, {rule.condition} ({view.reason})\n")
    if 0 in reports:
        out.write(f"main controller (connector 0): {reports[0].status}\n")
    for connector_id, shown in view.connectors.items():
        out.write(
            f"connector {connector_id}: {reports[connector_id].status} -> {shown}\n"
        )
    return EXIT_OK
