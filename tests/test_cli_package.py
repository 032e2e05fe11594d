"""No module of evstatus, the command line's package among them, is in an import cycle."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import evstatus

SOURCE = Path(evstatus.__file__).parent


def module_name(path: Path) -> str:
    """The dotted name of the module in *path*, under ``src``."""
    parts = ["evstatus", *path.relative_to(SOURCE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def imported(name: str) -> Iterator[str]:
    """Each module of evstatus that module *name* imports, anywhere in its code."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # "from package import module" imports the module; "from module
            # import name" the module the name is in.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        yield from (target for target in targets if target in MODULES)


GRAPH = {name: set(imported(name)) for name in MODULES}


def cycle_through(start: str) -> list[str] | None:
    """A chain of imports from *start* back to itself, if there is one."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        name, chain = stack.pop()
        for target in sorted(GRAPH[name]):
            if target == start:
                return [*chain, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*chain, target]))
    return None


CLI_MODULES = sorted(name for name in MODULES if name.startswith("evstatus._cli"))
ALL_MODULES = sorted(MODULES)


def test_the_command_line_is_a_package_of_several_modules() -> None:
    assert "evstatus._cli" in CLI_MODULES
    assert len(CLI_MODULES) > 10
    # The commands are reached from the package; no module of it reaches back.
    assert "evstatus._cli.replay" in GRAPH["evstatus._cli"]
    assert not any("evstatus._cli" in GRAPH[name] for name in CLI_MODULES)


@pytest.mark.parametrize("name", ALL_MODULES)
def test_no_module_is_in_an_import_cycle(name: str) -> None:
    assert cycle_through(name) is None
    if not name.endswith("__main__"):  # which would run the command
        importlib.import_module(name)


def test_the_cycle_finder_finds_a_cycle() -> None:
    GRAPH["evstatus._cli.loop"].add("evstatus._cli.replay")
    try:
        assert cycle_through("evstatus._cli.replay") == [
            "evstatus._cli.replay",
            "evstatus._cli.loop",
            "evstatus._cli.replay",
        ]
    finally:
        GRAPH["evstatus._cli.loop"].discard("evstatus._cli.replay")
