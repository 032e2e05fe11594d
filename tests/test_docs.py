"""Docs that restate code are checked against it, so they cannot drift."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from evstatus import STATION_RULES, ChargePointStatus, ConnectorStatus
from evstatus._tables import markdown_table, rule_tables

ROOT = Path(__file__).parent.parent


def _between(text: str, start: str, end: str) -> str:
    match = re.search(
        re.escape(start) + r"[^\n]*\n(.*?)\n" + re.escape(end), text, re.S
    )
    assert match, f"markers {start!r} … {end!r} not found"
    return match.group(1)


def test_rules_page_shows_the_tables_the_code_has() -> None:
    page = (ROOT / "docs" / "rules.md").read_text()
    assert _between(page, "<!-- rule-tables", "<!-- /rule-tables -->") == rule_tables()


def test_the_tables_name_every_state_and_rule() -> None:
    tables = rule_tables()
    for status in ChargePointStatus:
        assert f"| {status.value} | " in tables
    for rule in STATION_RULES:
        assert f"| {rule.number} | {rule.condition} | {rule.status.value} |" in tables
    for shown in ConnectorStatus:
        assert f"own {shown.value}" in tables


def test_markdown_table() -> None:
    assert markdown_table(["a", "b"], [["1", "2"]]) == "| a | b |\n|---|---|\n| 1 | 2 |"


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", text, re.S)


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
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
    readme = (ROOT / "README.md").read_text()
    test_command = _shell_blocks(readme.split("\n## ", 1)[0])[1]
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines
