"""Run the examples in README.md, docs/ and the docstrings as tests."""

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser

pytest_collect_file = (
    Sybil(
        parsers=[PythonCodeBlockParser(), SkipParser()],
        patterns=["README.md", "docs/*.md"],
    )
    + Sybil(parsers=[DocTestParser()], patterns=["src/evstatus/*.py"])
).pytest()
