"""What ships, and what the metadata claims, matches what CI proves.

A packager runs this suite from the sdist, so the sdist carries everything the
suite reads; the classifiers name exactly the Pythons .ci/run tests; the docs
group brings what the docs build asks for.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tomllib
from pathlib import Path
from typing import Any, cast

import pytest
from hatchling.builders.sdist import SdistBuilder

import evstatus

ROOT = Path(__file__).parent.parent
PYPROJECT: dict[str, Any] = tomllib.loads(
    (ROOT / "pyproject.toml").read_text(encoding="utf-8")
)
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_CLASSIFIER = "Programming Language :: Python :: "


@pytest.fixture(scope="module")
def sdist_files(tmp_path_factory: pytest.TempPathFactory) -> frozenset[str]:
    """Build the sdist with the project's own backend; its files, root-relative."""
    directory = tmp_path_factory.mktemp("sdist")
    (archive,) = SdistBuilder(str(ROOT)).build(directory=str(directory))
    with tarfile.open(archive) as tar:
        members = [member for member in tar.getmembers() if member.isfile()]
    # Every member sits under one top directory, evstatus-<version>/.
    tops = {member.name.split("/", 1)[0] for member in members}
    assert tops == {f"evstatus-{evstatus.__version__}"}
    return frozenset(member.name.split("/", 1)[1] for member in members)


def _files_under(path: Path) -> set[str]:
    if path.is_file():
        return {path.relative_to(ROOT).as_posix()}
    return {
        file.relative_to(ROOT).as_posix()
        for file in path.rglob("*")
        if file.is_file() and "__pycache__" not in file.parts
    }


def test_sdist_carries_what_pytest_reads(sdist_files: frozenset[str]) -> None:
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    # conftest.py sets up Sybil and Hypothesis for every test; tests/test_docs.py
    # reads .ci/run; pytest collects testpaths and imports from pythonpath.
    needed = {"pyproject.toml", "conftest.py", ".ci/run"}
    for entry in [*options["testpaths"], *options["pythonpath"]]:
        files = _files_under(ROOT / entry)
        assert files, f"{entry} is empty or missing"
        needed |= files
    assert sorted(needed - sdist_files) == []


def test_sdist_carries_every_file_the_repository_tracks(
    sdist_files: frozenset[str],
) -> None:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist): nothing to compare with")
    listed = subprocess.run(  # noqa: S603  (git itself, fixed arguments)
        [git, "-C", str(ROOT), "ls-files", "-z"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tracked = {name for name in listed.split("\0") if name}
    assert "conftest.py" in tracked
    assert sorted(tracked - sdist_files) == []


def _ci_pythons() -> list[str]:
    (line,) = [line for line in CI_RUN.splitlines() if line.startswith("PYTHONS=(")]
    return line.removeprefix("PYTHONS=(").removesuffix(")").split()


def test_ci_lists_the_pythons_oldest_first() -> None:
    pythons = _ci_pythons()
    assert pythons
    assert all(re.fullmatch(r"3\.\d+", python) for python in pythons)
    assert pythons == sorted(pythons, key=lambda python: int(python.split(".")[1]))


def test_ci_runs_the_suite_on_every_python_it_lists() -> None:
    lines = CI_RUN.splitlines()
    # The oldest is the python3 the README's command runs on, and CI checks
    # that python3 is that version; the others run in the sdist loop.
    assert 'if [[ "$python3_version" != "${PYTHONS[0]}" ]]; then' in lines
    assert 'for version in "${PYTHONS[@]:1}"; do' in lines
    loop = CI_RUN.split('for version in "${PYTHONS[@]:1}"; do', 1)[1]
    assert '"$venv/bin/python" -m pytest' in loop.split("\ndone\n", 1)[0]


def test_classifiers_name_exactly_the_pythons_ci_tests() -> None:
    classifiers: list[str] = PYPROJECT["project"]["classifiers"]
    named = [
        classifier.removeprefix(PYTHON_CLASSIFIER)
        for classifier in classifiers
        if re.fullmatch(re.escape(PYTHON_CLASSIFIER) + r"3\.\d+", classifier)
    ]
    assert named == _ci_pythons()


def test_the_oldest_python_ci_tests_is_the_oldest_supported() -> None:
    oldest = _ci_pythons()[0]
    assert PYPROJECT["project"]["requires-python"] == f">={oldest}"
    assert PYPROJECT["tool"]["pyright"]["pythonVersion"] == oldest


def _words(text: str) -> str:
    # Markdown wraps lines anywhere; compare words.
    return " ".join(text.split())


@pytest.mark.parametrize("page", ["README.md", "docs/index.md"])
def test_first_pages_say_which_python_is_needed_and_tested(page: str) -> None:
    pythons = _ci_pythons()
    tested = ", ".join(pythons[:-1]) + " and " + pythons[-1]
    text = _words((ROOT / page).read_text(encoding="utf-8"))
    assert f"Python {pythons[0]} or newer ({tested} are tested)" in text


def test_readme_says_which_pip_its_commands_need() -> None:
    opening = _words(README.split("\n## ", 1)[0])
    assert "--group` needs pip 25.1 or newer" in opening


def _group(name: str) -> set[str]:
    """The project names a dependency group installs, included groups too."""
    names: set[str] = set()
    for entry in PYPROJECT["dependency-groups"][name]:
        if isinstance(entry, dict):
            names |= _group(cast("dict[str, str]", entry)["include-group"])
        else:
            names.add(re.split(r"[\s\[<>=!~;]", cast("str", entry), maxsplit=1)[0])
    return names


def test_docs_group_brings_a_signature_formatter() -> None:
    # mkdocs.yml asks mkdocstrings for separate signatures, which it formats
    # with Black or Ruff; without either it logs a notice on every build.
    assert "separate_signature: true" in (ROOT / "mkdocs.yml").read_text(
        encoding="utf-8"
    )
    assert _group("docs") & {"ruff", "black"}
