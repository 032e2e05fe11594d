"""The docs site says what the code says.

docs/hooks.py fills tables into the pages from evstatus when the site is built;
these tests run the same functions, without MkDocs, and check the pages ask
for every table they should.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import cast

import pytest

from evstatus import (
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorStatus,
    Reason,
    StationStatus,
)
from evstatus._tables import markdown_table, transition_diagram
from evstatus.rules import (
    CONNECTOR_STATUS_BY_OCPP16,
    STATION_RULES,
    TRANSITIONS,
)

DOCS = Path(__file__).parent.parent / "docs"
ROOT = DOCS.parent
ENUMS: tuple[type[StrEnum], ...] = (
    ChargePointStatus,
    ChargePointErrorCode,
    ConnectorStatus,
    StationStatus,
)


def _load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "evstatus_docs_hooks", DOCS / "hooks.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_hooks = _load_hooks()
render = cast("Callable[[str], str]", _hooks.render)
link_roles = cast("Callable[[str], str]", _hooks.link_roles)
on_page_markdown = cast("Callable[..., str]", _hooks.on_page_markdown)
on_page_content = cast("Callable[..., str]", _hooks.on_page_content)


def _description(member: StrEnum) -> str:
    description: str = getattr(member, "description")  # noqa: B009
    return description


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_concepts_page_lists_every_member_with_its_description(
    enum: type[StrEnum],
) -> None:
    marker = f"<!-- evstatus: members {enum.__name__} -->"
    assert marker in (DOCS / "concepts.md").read_text(encoding="utf-8")
    table = render(marker).splitlines()
    assert table[:2] == ["| Value | Member | Meaning |", "| --- | --- | --- |"]
    assert len(table) == 2 + len(enum)
    for member, row in zip(enum, table[2:], strict=True):
        description = _description(member)
        # Reason descriptions start lower case; the table capitalises them.
        meaning = description[0].upper() + description[1:]
        assert row == f"| `{member}` | `{member.name}` | {meaning} |"


def test_concepts_page_prints_the_connector_status_mapping() -> None:
    page = (DOCS / "concepts.md").read_text(encoding="utf-8")
    assert "<!-- evstatus: connector-status-by-ocpp -->" in page
    table = render("<!-- evstatus: connector-status-by-ocpp -->").splitlines()
    assert len(table) == 2 + len(ChargePointStatus)
    for ocpp_state, row in zip(ChargePointStatus, table[2:], strict=True):
        shown = CONNECTOR_STATUS_BY_OCPP16[ocpp_state]
        assert row == f"| `{ocpp_state}` | `{shown}` | {shown.description} |"


def test_station_rules_table_follows_the_rules() -> None:
    marker = "<!-- evstatus: station-rules -->"
    assert marker in (DOCS / "concepts.md").read_text(encoding="utf-8")
    rows = render(marker).splitlines()[2:]
    assert len(rows) == len(STATION_RULES) == len(Reason)
    for number, (rule, row) in enumerate(zip(STATION_RULES, rows, strict=True), 1):
        assert row.startswith(f"| {number} | {rule.condition[0].upper()}")
        assert row.endswith(f" | {rule.status} | `{rule.reason}` |")


def test_readme_carries_the_station_rules_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render("<!-- evstatus: station-rules -->") in readme


def test_no_marker_is_left_on_any_page() -> None:
    for page in DOCS.glob("*.md"):
        rendered = render(page.read_text(encoding="utf-8"))
        assert "<!-- evstatus:" not in rendered, page.name


def test_mkdocs_hooks_render_markers_and_link_roles() -> None:
    assert on_page_markdown("<!-- evstatus: members ConnectorStatus -->").startswith(
        "| Value | Member | Meaning |"
    )
    html = (
        "Raises :class:<code>InvalidReport</code>"
        " (see :data:<code>evstatus.STATION_RULES</code>)."
    )
    assert on_page_content(html) == link_roles(html)
    assert link_roles(html) == (
        'Raises <autoref identifier="evstatus.InvalidReport"><code>InvalidReport</code>'
        '</autoref> (see <autoref identifier="evstatus.STATION_RULES">'
        "<code>evstatus.STATION_RULES</code></autoref>)."
    )


@pytest.mark.parametrize(
    "marker",
    [
        "<!-- evstatus: members NoSuchEnum -->",
        "<!-- evstatus: members -->",
        "<!-- evstatus: no-such-table -->",
        "<!-- evstatus: connector-status-by-ocpp Extra -->",
    ],
)
def test_an_unknown_marker_fails_the_build(marker: str) -> None:
    with pytest.raises(ValueError, match=re.escape("evstatus")):
        render(f"text\n{marker}\nmore text")


def test_table_cells_escape_pipes() -> None:
    assert markdown_table(["a", "b"], [["1 | 2", "3"]]) == (
        "| a | b |\n| --- | --- |\n| 1 \\| 2 | 3 |"
    )


def test_rules_page_asks_for_every_rule_table() -> None:
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    for name in ("connector-status-by-ocpp", "connector-overrides", "station-rules"):
        assert f"<!-- evstatus: {name} -->" in page


def test_state_diagram_page_is_drawn_from_the_transition_table() -> None:
    page = render((DOCS / "state-diagram.md").read_text(encoding="utf-8"))
    assert f"```mermaid\n{transition_diagram()}\n```" in page
    for transition in TRANSITIONS.values():
        assert (
            f"    {transition.source} --> {transition.target}: {transition.code}"
            in page
        )
        assert f"| `{transition.code}` |" in page


def test_connector_overrides_table_follows_the_overrides() -> None:
    rows = render("<!-- evstatus: connector-overrides -->").splitlines()
    assert (
        rows[0]
        == "| When | "
        + " | ".join(f"Own `{status}`" for status in ConnectorStatus)
        + " |"
    )
    assert rows[2] == "| Removed, not enabled or offline |" + " `Unavailable` |" * 4
    assert rows[3] == (
        "| Connector 0 Faulted | `Faulted` | `Faulted` | `Faulted` | `Faulted` |"
    )
    assert rows[4] == (
        "| Connector 0 Unavailable | `Unavailable` | `Unavailable` | `Faulted`"
        " | `Unavailable` |"
    )
    assert rows[5].endswith("| `Available` | `Occupied` | `Faulted` | `Unavailable` |")


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", text, re.DOTALL)


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before_first_section = readme.split("\n## ", 1)[0]
    blocks = _shell_blocks(before_first_section)
    assert len(blocks) == 2
    for block in blocks:
        assert "\n" not in block, "each set-up command is one line"
        shlex.split(block)
    install, test = blocks
    assert "pip install" in install
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = _shell_blocks(readme.split("\n## ", 1)[0])[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_link_roles_shorten_with_a_tilde_and_leave_builtins_as_code() -> None:
    html = (
        ":meth:<code>~evstatus.history.StationState.step</code> raises"
        " :class:<code>TypeError</code>; see :mod:<code>evstatus.rules</code>."
    )
    assert link_roles(html) == (
        '<autoref identifier="evstatus.history.StationState.step"><code>step</code>'
        "</autoref> raises <code>TypeError</code>; see "
        '<autoref identifier="evstatus.rules"><code>evstatus.rules</code></autoref>.'
    )


#: What the product and its tests must never say: they stand on their own, so
#: they cite no document outside them and no ticket they were written for.
_CITATIONS = re.compile(
    r"SPEC"  # cites: example
    r"|(?i:the issue|issue asks|issue left)"  # cites: example
)
#: A page named in a text, as a file: ``docs/rules.md``, ``README.md``.
_PAGE = re.compile(r"[\w./-]*\w\.md\b")
#: Marks the lines of this module that show what the checks look for.
_EXAMPLE = "# cites: example"


def _texts() -> list[Path]:
    """Every text of the product and its tests: pages, code, tests, benchmarks."""
    texts = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "conftest.py"]
    texts += sorted(DOCS.rglob("*.md"))
    texts += sorted(DOCS.glob("*.py"))
    for folder in ("src", "tests", "benchmarks", "examples"):
        texts += sorted((ROOT / folder).rglob("*.py"))
    return texts


def _lines(texts: list[Path]) -> list[tuple[str, str]]:
    return [
        (f"{path.relative_to(ROOT)}:{number}", line.strip())
        for path in texts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _EXAMPLE not in line
    ]


def test_no_text_cites_an_outside_spec_or_issue() -> None:
    texts = _texts()
    for expected in (
        ROOT / "docs" / "api" / "index.md",
        Path(__file__),
        ROOT / "tests" / "oracle.py",
        ROOT / "benchmarks" / "bench_station.py",
    ):
        assert expected in texts
    found = [
        f"{where}: {line}" for where, line in _lines(texts) if _CITATIONS.search(line)
    ]
    assert found == []


def test_every_page_a_text_names_is_in_the_repository() -> None:
    pages = {path.name for path in [ROOT / "README.md", ROOT / "CHANGELOG.md"]}
    pages |= {path.name for path in DOCS.rglob("*.md")}
    found = [
        f"{where}: {name}"
        for where, line in _lines(_texts())
        for name in _PAGE.findall(line)
        if name.rpartition("/")[2] not in pages
    ]
    assert found == []


def test_the_citation_checks_catch_what_they_name() -> None:
    for sentence in (
        "as SPEC.md says",  # cites: example
        "Decisions where the issue left room:",  # cites: example
        "EVConnected reads as Preparing, as the issue asks.",  # cites: example
    ):
        assert _CITATIONS.search(sentence), sentence
    assert not _CITATIONS.search("OCPI specifies the EVSE statuses")
    sample = "see NOTES.md and docs/rules.md."  # cites: example
    assert _PAGE.findall(sample) == ["NOTES.md", "docs/rules.md"]  # cites: example
