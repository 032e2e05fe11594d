"""Test set-up shared by every test: Hypothesis profiles, and Sybil.

Sybil runs the examples in README.md, docs/ and the docstrings as tests.
"""

import os

from hypothesis import settings
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser

# Machines here are shared and noisy: a per-example deadline would fail tests
# for the machine's sake, not the code's. In CI the examples are also drawn the
# same way every run, so that a run that passed once passes again; locally they
# vary, which is how new cases are found.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

pytest_collect_file = (
    Sybil(
        parsers=[PythonCodeBlockParser(), SkipParser()],
        patterns=["README.md", "docs/*.md"],
    )
    + Sybil(
        parsers=[DocTestParser()],
        patterns=["src/evstatus/*.py", "src/evstatus/testing/*.py"],
    )
).pytest()
