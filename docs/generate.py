"""Rewrite the generated parts of the docs from evstatus itself.

Tables that restate the code (enum members, decision rules, exit codes, the
uptime rules), the state diagram and the code the recipes show are generated,
and kept in the Markdown sources, so that they read the same in the
repository as on the site. Each sits between two markers on lines of their
own, which a rendered page does not show::

    <!-- evstatus: members ChargePointStatus -->

    | Value | Member | Meaning |
    ...

    <!-- /evstatus: members ChargePointStatus -->

Run ``python docs/generate.py`` after changing what a region shows, and
``python docs/generate.py --check`` to list the stale files without writing
(``tests/test_docs.py`` fails on a stale one too). What a region holds:

- ``members ENUM``: an enum's members with their values and descriptions;
- ``transition-diagram``: the OCPP 1.6 state machine, in Mermaid;
- ``exit-codes``: the exit codes of the ``evstatus`` command;
- ``generator-profiles``: the knobs of ``evstatus.testing.generate_log``
  and their values in each profile;
- a name of ``evstatus._tables.TABLES`` or ``evstatus._uptime_tables``: that
  table, printed from the data itself;
- ``ocpp2-messages``: what the fold takes from each OCPP 2.0.1 message;
- ``ocpp2-translation``: what ``evstatus.testing.to_ocpp201`` writes for
  each OCPP 1.6 report, found by translating one;
- ``ocpp2-main-controller``: what the ChargingStation's AvailabilityState
  does, found by folding each value;
- ``ocpp2-evse-order``: the state an EVSE of two connectors stands for as
  an uptime port, found by deriving each pair;
- ``uptime-demo-timeline``: the demo day's timeline, drawn into
  ``docs/uptime-demo-timeline.svg``, which the region shows;
- ``snippet PATH`` or ``snippet PATH:SECTION``: a file of the repository, or
  the part of it between ``--8<-- [start:SECTION]`` and
  ``--8<-- [end:SECTION]`` comments, as a code block.

An unknown region, or a begin marker without its end, is an error.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from evstatus._cli import exit_codes_table
from evstatus._enums import ChargePointStatus, ChargingState, ConnectorState
from evstatus._log import ACTION_BY_KIND, CHARGING_STATION_ACTIONS, CSMS_ACTIONS
from evstatus._ocpp2 import ConnectorReport as Report2
from evstatus._tables import (
    ENUMS,
    TABLES,
    markdown_table,
    members_table,
    transition_diagram,
)
from evstatus._uptime_tables import UPTIME_TABLES
from evstatus.log import Fleet
from evstatus.rules import OCPP16_STATUS_BY_OCPP201
from evstatus.testing import generate_log, to_ocpp201
from evstatus.testing._generator import PROFILES
from evstatus.uptime._timeline import evse_states

ROOT: Final = Path(__file__).resolve().parent.parent
DOCS: Final = ROOT / "docs"

BEGIN: Final = re.compile(r"^<!-- evstatus: (?P<spec>[^<>]+?) -->$")
_SECTION_MARK: Final = re.compile(r"--8<-- \[(?P<end>start|end):(?P<name>\w+)\]")
_LANGUAGES: Final = {".py": "python", ".sh": "sh", ".toml": "toml"}

_TIMELINE: Final = "uptime-demo-timeline"
_TIMELINE_FILE: Final = "uptime-demo-timeline.svg"


def pages() -> list[Path]:
    """Every Markdown file that may hold generated regions."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def generated_files() -> dict[Path, Callable[[], str]]:
    """The files generated whole, besides the regions, and their contents."""
    return {DOCS / _TIMELINE_FILE: lambda: UPTIME_TABLES[_TIMELINE]() + "\n"}


def _whole_tables() -> dict[str, Callable[[], str]]:
    """The regions that take no argument, by name."""
    whole: dict[str, Callable[[], str]] = {
        name: table for name, (_title, table) in TABLES.items()
    }
    whole["transition-diagram"] = lambda: f"```mermaid\n{transition_diagram()}\n```"
    whole["exit-codes"] = exit_codes_table
    whole["generator-profiles"] = _profiles_table
    whole["ocpp2-messages"] = _ocpp2_messages_table
    whole["ocpp2-translation"] = _ocpp2_translation_table
    whole["ocpp2-main-controller"] = _ocpp2_main_controller_table
    whole["ocpp2-evse-order"] = _ocpp2_evse_order_table
    whole.update(UPTIME_TABLES)
    # The timeline is a file of its own, which the page shows.
    whole[_TIMELINE] = lambda: (
        "![The demo day's timeline: a strip per port, coloured by what it "
        f"showed]({_TIMELINE_FILE})"
    )
    return whole


def _profiles_table() -> str:
    """The knobs of ``generate_log``, and each profile's values for them."""
    knobs = list(PROFILES.values())
    rows = [
        [
            "`sessions_per_day`: charging sessions a day per connector",
            *(f"{knob.sessions_per_day:g}" for knob in knobs),
        ],
        [
            (
                "`faults_per_day`: outages a day per connector (warnings, "
                "main-controller outages, lost links and disablings come in "
                "proportion)"
            ),
            *(f"{knob.faults_per_day:g}" for knob in knobs),
        ],
        [
            (
                "`mean_outage`: the mean length of an outage (each lasts a minute "
                "or more; a lost link, a quarter of it)"
            ),
            *(_span(knob.mean_outage_ms) for knob in knobs),
        ],
        [
            (
                "`heartbeat_interval`: how long a station stays silent before it "
                "sends a heartbeat"
            ),
            *(_span(knob.heartbeat_ms) for knob in knobs),
        ],
    ]
    default = inspect.signature(generate_log).parameters["profile"].default
    names = [
        f'`profile="{name}"`' + (" (the default)" if name == default else "")
        for name in PROFILES
    ]
    return markdown_table(["Knob", *names], rows)


#: What the fold takes from each kind of OCPP 2.0.1 report, in words.
_OCPP2_REPORT_WORDS: Final = {
    "status2": (
        "The status of one connector, named by its EVSE and its connector id "
        "on that EVSE."
    ),
    "notify": (
        "Each event on the variable AvailabilityState: of the component "
        "ChargingStation (the main controller), EVSE or Connector. Events on "
        "other variables: only that the station was heard."
    ),
    "transaction": (
        "The transaction's charging state, for the EVSE it is on; Ended drops it."
    ),
}


def _ocpp2_messages_table() -> str:
    """What the fold takes from each OCPP 2.0.1 CALL a charging station sends."""
    rows = [
        [f"`{ACTION_BY_KIND[kind]}`", words]
        for kind, words in _OCPP2_REPORT_WORDS.items()
    ]
    others = sorted(CHARGING_STATION_ACTIONS - set(ACTION_BY_KIND.values()))
    rows.append(
        [
            ", ".join(f"`{action}`" for action in others),
            "That the station was heard, nothing else.",
        ]
    )
    rows.append(
        [
            (
                f"The {len(CSMS_ACTIONS)} requests of the CSMS (`Reset`, "
                "`RequestStartTransaction`, ...), and any reply"
            ),
            (
                "A request of the CSMS is skipped; a reply (CALLRESULT, "
                "CALLERROR, and in OCPP 2.1 CALLRESULTERROR) counts as hearing "
                "from the station. OCPP 2.1's SEND, a request without a reply, "
                "is read as the CALL of its action."
            ),
        ]
    )
    return markdown_table(["OCPP 2.0.1 message", "What evstatus takes from it"], rows)


def _translated(lines: list[str]) -> list[str]:
    """Each 2.0.1 message *lines* become, in words."""
    said: list[str] = []
    for line in to_ocpp201(lines):
        _, _, action, payload = json.loads(line)["frame"]
        if action == "StatusNotification":
            said.append(f"StatusNotification {payload['connectorStatus']}")
        elif action == "NotifyEvent":
            value = payload["eventData"][0]["actualValue"]
            said.append(f"NotifyEvent: AvailabilityState {value}")
        else:
            state = payload["transactionInfo"].get("chargingState")
            said.append(
                f"TransactionEvent {payload['eventType']}"
                + (f" ({state})" if state else "")
            )
    return said


def _report_line(connector: int, status: ChargePointStatus, minute: int = 1) -> str:
    payload = {
        "connectorId": connector,
        "errorCode": "NoError",
        "status": status,
        "timestamp": f"2026-06-01T10:{minute:02d}:00Z",
    }
    return json.dumps({"frame": [2, "1", "StatusNotification", payload]})


def _ocpp2_translation_table() -> str:
    """What ``to_ocpp201`` writes for each OCPP 1.6 report, found by running it."""
    rows: list[list[str]] = []
    charging = _report_line(1, ChargePointStatus.CHARGING, 0)
    for status in ChargePointStatus:
        alone = _translated([_report_line(1, status)])
        during = _translated([charging, _report_line(1, status)])[2:]
        main = _translated([_report_line(0, status)])
        rows.append(
            [
                status.value,
                ", then ".join(alone),
                ", then ".join(during),
                ", then ".join(main),
            ]
        )
    return markdown_table(
        [
            "OCPP 1.6 report",
            "Connector n: no transaction under way",
            "Connector n: a transaction under way",
            "Connector 0",
        ],
        rows,
    )


def _ocpp2_line(action: str, payload: dict[str, object]) -> str:
    return json.dumps(
        {
            "station": "CP-1",
            "received": "2026-06-01T10:00:00Z",
            "protocol": "ocpp2.0.1",
            "frame": [2, "1", action, payload],
        }
    )


def _ocpp2_main_controller_table() -> str:
    """What each AvailabilityState of the ChargingStation does, found by folding it."""
    stamp = "2026-06-01T10:00:00Z"
    connector = _ocpp2_line(
        "StatusNotification",
        {
            "timestamp": stamp,
            "connectorStatus": "Available",
            "evseId": 1,
            "connectorId": 1,
        },
    )
    rows: list[list[str]] = []
    for state in ConnectorState:
        event = {
            "eventId": 1,
            "timestamp": stamp,
            "trigger": "Delta",
            "actualValue": state.value,
            "eventNotificationType": "HardWiredNotification",
            "component": {"name": "ChargingStation"},
            "variable": {"name": "AvailabilityState"},
        }
        notify = _ocpp2_line(
            "NotifyEvent", {"generatedAt": stamp, "seqNo": 0, "eventData": [event]}
        )
        fleet = Fleet()
        for line in (json.dumps({"station": "CP-1", "event": "connected"}), connector):
            fleet.consume(line)
        fleet.consume(notify)
        held = fleet.states["CP-1"].reports.get(0)
        taken = (
            "refused: a `connector_zero_status` anomaly"
            if held is None
            else f"held as connector 0's {held.status.value}"
        )
        view = fleet.view("CP-1")
        rows.append(
            [
                state.value,
                taken,
                f"{view.status.value} (`{view.reason.value}`)",
            ]
        )
    return markdown_table(
        [
            "AvailabilityState of ChargingStation",
            "Taken as",
            "A station with one EVSE, Available, then shows",
        ],
        rows,
    )


#: Each OCPP 1.6 state a 2.0.1 connector can stand for, and a status and
#: charging state that make it.
_OCPP2_STANDS_FOR: Final = {
    OCPP16_STATUS_BY_OCPP201[status, charging]: (status, charging)
    for status in ConnectorState
    for charging in (None, *ChargingState)
}


def _ocpp2_evse_order_table() -> str:
    """The state of an EVSE of two connectors, found by deriving each pair."""
    stamp = datetime(2026, 6, 1, tzinfo=UTC)
    states = list(_OCPP2_STANDS_FOR)

    def evse_of(first: ChargePointStatus, second: ChargePointStatus) -> str:
        made = [_OCPP2_STANDS_FOR[first], _OCPP2_STANDS_FOR[second]]
        # The charging state is the EVSE's, shared by its Occupied connectors:
        # two of them that stand for different ones cannot be on one EVSE.
        shared = {
            refinement for status, refinement in made if status.value == "Occupied"
        }
        if len(shared) > 1:
            return "-"
        reports = {
            (1, number): Report2(
                evse_id=1, connector_id=number, status=status, timestamp=stamp
            )
            for number, (status, _) in enumerate(made, start=1)
        }
        refinement = next(iter(shared), None)
        charging = {} if refinement is None else {1: refinement}
        return evse_states(reports, charging)[1].value

    rows = [
        [first.value, *(evse_of(first, second) for second in states)]
        for first in states
    ]
    return markdown_table(
        ["Connector 1 \\ connector 2", *(state.value for state in states)], rows
    )


def _span(milliseconds: int) -> str:
    for unit, size in (("hour", 3_600_000), ("minute", 60_000), ("second", 1000)):
        if milliseconds % size == 0:
            count = milliseconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{milliseconds} ms"


def generated(spec: str) -> str:
    """Return what the region *spec* holds, without the markers."""
    what, _, arg = spec.partition(" ")
    whole = _whole_tables()
    if what == "members" and arg in ENUMS:
        return members_table(ENUMS[arg])
    if what == "snippet" and arg:
        return _snippet(arg)
    if what in whole and not arg:
        return whole[what]()
    known = ", ".join(
        [*(f"members {name}" for name in ENUMS), *whole, "snippet PATH[:SECTION]"]
    )
    raise ValueError(f"unknown evstatus region: {spec!r} (known: {known})")


def _snippet(where: str) -> str:
    path_text, _, section = where.partition(":")
    path = ROOT / path_text
    if not path.is_file() or ROOT not in path.resolve().parents:
        raise ValueError(f"snippet {where!r}: no file {path_text} in the repository")
    lines = path.read_text(encoding="utf-8").splitlines()
    if section:
        marks = [(_mark(line), i) for i, line in enumerate(lines)]
        starts = [i for mark, i in marks if mark == ("start", section)]
        ends = [i for mark, i in marks if mark == ("end", section)]
        if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
            raise ValueError(
                f"snippet {where!r}: expected one [start:{section}] and one "
                f"[end:{section}] after it in {path_text}"
            )
        lines = lines[starts[0] + 1 : ends[0]]
    # Other sections' marks are for the reader of the file, not of the page.
    code = textwrap.dedent("\n".join(line for line in lines if not _mark(line)))
    language = _LANGUAGES.get(path.suffix, "text")
    return f"```{language}\n{code.strip(chr(10))}\n```"


def _mark(line: str) -> tuple[str, str] | None:
    found = _SECTION_MARK.search(line)
    return None if found is None else (found["end"], found["name"])


def regenerate(markdown: str) -> str:
    """Return *markdown* with every generated region rewritten from the code."""
    lines = markdown.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        begin = BEGIN.match(line)
        if begin is None:
            out.append(line)
            index += 1
            continue
        spec = begin["spec"]
        end = f"<!-- /evstatus: {spec} -->"
        try:
            closing = lines.index(end, index + 1)
        except ValueError:
            raise ValueError(
                f"line {index + 1}: {line} has no {end} after it"
            ) from None
        out += [line, "", *generated(spec).split("\n"), "", end]
        index = closing + 1
    return "\n".join(out)


def stale() -> list[Path]:
    """The generated files, and the pages with a region, that are out of date."""
    found = [page for page in pages() if _regenerated(page) is not None]
    found += [
        path
        for path, content in generated_files().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != content()
    ]
    return found


def _regenerated(page: Path) -> str | None:
    """The page regenerated, if that changes it; a bad region is named."""
    text = page.read_text(encoding="utf-8")
    try:
        new = regenerate(text)
    except ValueError as error:
        raise ValueError(f"{page.relative_to(ROOT)}: {error}") from None
    return None if new == text else new


def write() -> list[Path]:
    """Rewrite what is out of date; return what was rewritten."""
    rewritten = stale()
    for page in pages():
        new = _regenerated(page)
        if new is not None:
            page.write_text(new, encoding="utf-8")
    for path, content in generated_files().items():
        if path in rewritten:
            path.write_text(content(), encoding="utf-8")
    return rewritten


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the docs (``--check``: only list what is stale); the exit code."""
    parser = argparse.ArgumentParser(
        prog="python docs/generate.py",
        description="Rewrite the generated parts of the docs from evstatus itself.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the stale files and exit with 1 if there are any",
    )
    arguments = parser.parse_args(argv)
    try:
        changed = stale() if arguments.check else write()
    except ValueError as error:
        sys.stderr.write(f"{parser.prog}: {error}\n")
        return 2
    verb = "stale" if arguments.check else "rewritten"
    for path in changed:
        sys.stdout.write(f"{verb}: {path.relative_to(ROOT)}\n")
    return 1 if arguments.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
