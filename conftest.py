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
# CI runs the whole suite on every Python it lists. The README's command, on the
# oldest, draws every property's full count; the runs from the sdist on the
# newer Pythons (.ci/run sets EVSTATUS_HYPOTHESIS_PROFILE=ci-quick for them
# alone) check that the code works on that Python, which a quarter of the
# examples shows as well, in a fraction of the time. Properties with counts of
# their own scale with it (tests/examples.py); the tests that check that a
# strategy reaches every case keep their counts, which those checks need.
settings.register_profile(
    "ci-quick", parent=settings.get_profile("ci"), max_examples=25
)
settings.load_profile(
    os.environ.get("EVSTATUS_HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI") else "dev")
)

pytest_collect_file = (
    Sybil(
        parsers=[PythonCodeBlockParser(), SkipParser()],
        patterns=["README.md", "docs/*.md"],
    )
    + Sybil(
        parsers=[DocTestParser()],
        patterns=[
            "src/evstatus/*.py",
            "src/evstatus/testing/*.py",
            "src/evstatus/uptime/*.py",
        ],
    )
).pytest()
