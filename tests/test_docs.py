"""The docs say what the code says.

docs/generate.py writes tables, diagrams and code generated from the
repository into the pages' sources, between markers; these tests check that
every such region is current, and that the pages hold the regions they
should. docs/hooks.py links the API reference when the site is built.
"""

from __future__ import annotations

import importlib.util
import pkgutil
import re
import shlex
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import cast

import pytest
from hypothesis import settings

import evstatus
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


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"evstatus_docs_{name}", DOCS / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_hooks = _load("hooks")
link_roles = cast("Callable[[str], str]", _hooks.link_roles)
on_page_content = cast("Callable[..., str]", _hooks.on_page_content)
_generate = _load("generate")
generated = cast("Callable[[str], str]", _generate.generated)
regenerate = cast("Callable[[str], str]", _generate.regenerate)
stale = cast("Callable[[], list[Path]]", _generate.stale)
generate_main = cast("Callable[[list[str]], int]", _generate.main)


def _description(member: StrEnum) -> str:
    description: str = getattr(member, "description")  # noqa: B009
    return description


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_concepts_page_lists_every_member_with_its_description(
    enum: type[StrEnum],
) -> None:
    marker = f"<!-- evstatus: members {enum.__name__} -->"
    assert marker in (DOCS / "concepts.md").read_text(encoding="utf-8")
    table = generated(f"members {enum.__name__}").splitlines()
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
    table = generated("connector-status-by-ocpp").splitlines()
    assert len(table) == 2 + len(ChargePointStatus)
    for ocpp_state, row in zip(ChargePointStatus, table[2:], strict=True):
        shown = CONNECTOR_STATUS_BY_OCPP16[ocpp_state]
        assert row == f"| `{ocpp_state}` | `{shown}` | {shown.description} |"


def test_station_rules_table_follows_the_rules() -> None:
    marker = "<!-- evstatus: station-rules -->"
    assert marker in (DOCS / "concepts.md").read_text(encoding="utf-8")
    rows = generated("station-rules").splitlines()[2:]
    assert len(rows) == len(STATION_RULES) == len(Reason)
    for number, (rule, row) in enumerate(zip(STATION_RULES, rows, strict=True), 1):
        assert row.startswith(f"| {number} | {rule.condition[0].upper()}")
        assert row.endswith(f" | {rule.status} | `{rule.reason}` |")


def test_readme_carries_the_station_rules_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert generated("station-rules") in readme


def test_every_generated_region_is_current() -> None:
    # If this fails, run `python docs/generate.py` and commit what it rewrote.
    assert stale() == []
    regions = [
        line
        for page in _reader_pages()
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("<!-- evstatus: ")
    ]
    assert len(regions) > 40
    assert "<!-- evstatus: generator-profiles -->" in regions
    # The code the recipes show is in the pages, not included at build time.
    assert "<!-- evstatus: snippet examples/central_system.py:registry -->" in regions
    for page in _reader_pages():
        text = page.read_text(encoding="utf-8")
        assert "--8<--" not in text or page.name == "changelog.md", page.name


def test_generate_rewrites_a_stale_region_and_nothing_else() -> None:
    page = (
        "Intro.\n\n<!-- evstatus: exit-codes -->\nold table\n"
        "<!-- /evstatus: exit-codes -->\n\nOutro.\n"
    )
    fresh = regenerate(page)
    assert fresh == (
        "Intro.\n\n<!-- evstatus: exit-codes -->\n\n"
        + generated("exit-codes")
        + "\n\n<!-- /evstatus: exit-codes -->\n\nOutro.\n"
    )
    assert regenerate(fresh) == fresh
    assert regenerate("No regions here.\n") == "No regions here.\n"


def test_a_snippet_is_the_section_dedented_without_its_marks() -> None:
    code = generated("snippet examples/central_system.py:status_notification")
    source = (ROOT / "examples" / "central_system.py").read_text(encoding="utf-8")
    assert code.startswith("```python\n")
    assert code.endswith("\n```")
    body = code.removeprefix("```python\n").removesuffix("\n```")
    assert "--8<--" not in body
    assert not body.startswith(" ")
    # Every line is the file's, less the section's indent.
    for line in body.splitlines():
        assert not line or f"\n    {line}\n" in source, line
    whole = generated("snippet examples/distributed/fleet_fold.py")
    recipe = ROOT / "examples" / "distributed" / "fleet_fold.py"
    text = recipe.read_text(encoding="utf-8").strip("\n")
    assert whole == f"```python\n{text}\n```"


def test_generate_command_checks_and_rewrites(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = tmp_path / "page.markdown"
    page.write_text(
        "<!-- evstatus: exit-codes -->\n<!-- /evstatus: exit-codes -->\n",
        encoding="utf-8",
    )
    drawn = tmp_path / "drawn.svg"
    monkeypatch.setattr(_generate, "ROOT", tmp_path)
    monkeypatch.setattr(_generate, "pages", lambda: [page])
    monkeypatch.setattr(
        _generate, "generated_files", lambda: {drawn: lambda: "<svg/>\n"}
    )
    assert generate_main(["--check"]) == 1
    assert capsys.readouterr().out == "stale: page.markdown\nstale: drawn.svg\n"
    assert not drawn.exists()
    assert generate_main([]) == 0
    assert capsys.readouterr().out == "rewritten: page.markdown\nrewritten: drawn.svg\n"
    assert drawn.read_text(encoding="utf-8") == "<svg/>\n"
    assert generated("exit-codes") in page.read_text(encoding="utf-8")
    assert generate_main(["--check"]) == 0
    assert capsys.readouterr().out == ""
    page.write_text("<!-- evstatus: exit-codes -->\n", encoding="utf-8")
    assert generate_main([]) == 2
    assert capsys.readouterr().err == (
        "python docs/generate.py: page.markdown: line 1: <!-- evstatus: exit-codes --> "
        "has no <!-- /evstatus: exit-codes --> after it\n"
    )


def test_every_code_fence_closes_on_a_line_of_its_own() -> None:
    for page in _reader_pages():
        inside = False
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.lstrip().startswith("```"):
                continue
            if inside:
                # A closing fence is backticks alone: text after them leaves
                # the block open until the next fence.
                assert not line.strip().strip("`"), f"{page.name}:{number}"
            inside = not inside
        assert not inside, page.name


def test_mkdocs_hooks_link_roles() -> None:
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
def test_an_unknown_region_is_an_error(marker: str) -> None:
    end = marker.replace("<!-- evstatus: ", "<!-- /evstatus: ")
    with pytest.raises(ValueError, match=re.escape("unknown evstatus region")):
        regenerate(f"text\n{marker}\n{end}\nmore text")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("snippet no/such/file.py", "no file no/such/file.py in the repository"),
        ("snippet ../outside.py", "no file ../outside.py in the repository"),
        ("snippet examples/central_system.py:nowhere", "expected one [start:nowhere]"),
    ],
)
def test_a_bad_snippet_is_an_error(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        generated(spec)


def test_table_cells_escape_pipes() -> None:
    assert markdown_table(["a", "b"], [["1 | 2", "3"]]) == (
        "| a | b |\n| --- | --- |\n| 1 \\| 2 | 3 |"
    )


def test_rules_page_asks_for_every_rule_table() -> None:
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    for name in ("connector-status-by-ocpp", "connector-overrides", "station-rules"):
        assert f"<!-- evstatus: {name} -->" in page


def test_state_diagram_page_is_drawn_from_the_transition_table() -> None:
    page = (DOCS / "state-diagram.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{transition_diagram()}\n```" in page
    for transition in TRANSITIONS.values():
        assert (
            f"    {transition.source} --> {transition.target}: {transition.code}"
            in page
        )
        assert f"| `{transition.code}` |" in page


def test_connector_overrides_table_follows_the_overrides() -> None:
    rows = generated("connector-overrides").splitlines()
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


#: A shell command that upgrades pip, as the README's set-up commands do.
_PIP_UPGRADE = re.compile(r"\bpip install (?:-U|--upgrade) pip$")
_FENCE = re.compile(
    r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```", re.DOTALL | re.MULTILINE
)
_SHELLS = frozenset({"sh", "bash", "shell", "console"})


def _command_runs(markdown: str) -> list[list[str]]:
    """The shell commands of a page, a list per code block or inline code span.

    A run is what a reader types in one go: the lines of a shell code block,
    or one inline code span, each split at ``&&`` into single commands.
    """
    runs = [
        [
            command.strip()
            for line in fence["body"].splitlines()
            for command in line.split("&&")
        ]
        for fence in _FENCE.finditer(markdown)
        if fence["info"].strip() in _SHELLS
    ]
    prose = _FENCE.sub("", markdown)
    runs.extend(
        [command.strip() for command in span.split("&&")]
        for span in re.findall(r"`([^`\n]+)`", prose)
    )
    return runs


def _group_installs_without_upgrade(markdown: str) -> list[str]:
    """Every ``pip install ... --group`` not preceded, in its run, by a pip upgrade."""
    found: list[str] = []
    for run in _command_runs(markdown):
        upgraded = False
        for command in run:
            if _PIP_UPGRADE.search(command):
                upgraded = True
            elif "pip install" in command and "--group" in command and not upgraded:
                found.append(command)
    return found


def _reader_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def test_every_group_install_in_the_docs_upgrades_pip_first() -> None:
    # `--group` needs pip 25.1 or newer, newer than a fresh virtualenv may have.
    pages = _reader_pages()
    assert DOCS / "recipes.md" in pages
    found = [
        f"{page.relative_to(ROOT)}: {command}"
        for page in pages
        for command in _group_installs_without_upgrade(page.read_text("utf-8"))
    ]
    assert found == []
    # The README's own commands are among those checked.
    readme_runs = _command_runs((ROOT / "README.md").read_text("utf-8"))
    assert any("--group" in command for run in readme_runs for command in run)


def test_the_group_install_check_catches_what_it_names() -> None:
    assert _group_installs_without_upgrade(
        "Then:\n\n```sh\npython -m pip install -e . --group examples\n```\n"
    ) == ["python -m pip install -e . --group examples"]
    assert _group_installs_without_upgrade(
        "Run `pip install -e . --group docs && pip install -U pip`."
    ) == ["pip install -e . --group docs"]
    # An upgrade in another block does not count for this one.
    assert _group_installs_without_upgrade(
        "```sh\npip install -U pip\n```\n\n```bash\npip install --group test\n```\n"
    ) == ["pip install --group test"]
    assert not _group_installs_without_upgrade(
        "```sh\npython -m pip install --upgrade pip\n"
        "python -m pip install -e . --group examples\n```\n"
        "or `python -m pip install -U pip && python -m pip install --group docs`"
    )


def _public_modules() -> set[str]:
    """Every module of evstatus a user may import: no part of its name private."""
    found = {"evstatus"}
    for module in pkgutil.walk_packages(evstatus.__path__, "evstatus."):
        if not any(part.startswith("_") for part in module.name.split(".")):
            found.add(module.name)
    return found


def _module_lists() -> dict[str, str]:
    """Where the docs list the modules: the README, the home page, the API index."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    home = (DOCS / "index.md").read_text(encoding="utf-8")
    api = (DOCS / "api" / "index.md").read_text(encoding="utf-8")
    paragraph = readme.split("The top-level package has the names", 1)[1]
    return {
        "README.md": paragraph.split("\n\n", 1)[0],
        "docs/index.md": home.split("\n## Where things are\n", 1)[1].split("\n## ")[0],
        "docs/api/index.md": api.split("\n## Top-level names\n", 1)[0],
    }


def test_the_module_lists_name_every_public_module_and_no_other() -> None:
    public = _public_modules()
    # The discovery finds subpackages' modules, and leaves private ones out.
    assert {"evstatus.uptime", "evstatus.testing.strategies"} <= public
    assert not any("._" in name for name in public)
    for where, text in _module_lists().items():
        named = set(re.findall(r"`(evstatus(?:\.\w+)+)`", text))
        assert named <= public, where
        # The top-level package heads the API index's table; elsewhere the
        # text around the list speaks of it.
        assert public - {"evstatus"} <= named, (where, public - named)
    sample = "see NOTES.md and docs/rules.md."  # cites: example
    assert _PAGE.findall(sample) == ["NOTES.md", "docs/rules.md"]  # cites: example


def test_the_readmes_quick_test_commands_name_what_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("\n## ", 1)[0]
    profiles = re.findall(r"EVSTATUS_HYPOTHESIS_PROFILE=([\w-]+)", setup)
    files = re.findall(r"python -m pytest [^`]*?(tests/test_\w+\.py)", setup)
    assert profiles
    assert files
    for profile in profiles:
        # Raises if conftest.py registers no such profile.
        settings.get_profile(profile)
    for file in files:
        assert (ROOT / file).is_file(), file
    assert re.search(r"takes about \d+ minutes on two cores", setup)
