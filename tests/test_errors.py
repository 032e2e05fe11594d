"""InvalidReport and Problem: errors as data, messages short for any value."""

from __future__ import annotations

import copy
import pickle

import pytest

from evstatus import (
    EvstatusError,
    InvalidReport,
)
from evstatus._errors import shorten
from evstatus.exceptions import Problem

SHORTENED: list[tuple[object, str]] = [
    (None, "None"),
    (True, "True"),
    (42, "42"),
    (-(2**80), str(-(2**80))),
    (2**91, "<integer of 92 bits>"),
    (-(2**91), "<-integer of 92 bits>"),
    (1.5, "1.5"),
    (float("nan"), "float(nan)"),
    (float("-inf"), "float(-inf)"),
    ("short", "'short'"),
    ("x" * 41, "'" + "x" * 40 + "'… (41 characters)"),
    ([1, 2], "<list of 2>"),
    ({"a": 1}, "<dict of 1>"),
    ((), "<tuple of 0>"),
    (frozenset(), "<frozenset of 0>"),
    (object(), "<object>"),
    (b"bytes", "<bytes>"),
]


@pytest.mark.parametrize(("value", "shown"), SHORTENED)
def test_shorten(value: object, shown: str) -> None:
    assert shorten(value) == shown


def test_shorten_never_calls_repr_on_a_huge_int() -> None:
    assert shorten(10**100_000).startswith("<integer of ")


def test_problem_text_and_data() -> None:
    problem = Problem(field="info", value="x" * 100, expected="at most 50 characters")
    assert str(problem) == (
        "info: got '" + "x" * 40 + "'… (100 characters), expected at most 50 characters"
    )
    assert "100 characters" in repr(problem)
    assert problem.value == "x" * 100
    missing = Problem(field="status", value=None, expected="a status", missing=True)
    assert str(missing) == "status: missing, expected a status"


def test_problems_are_hashable_even_with_unhashable_values() -> None:
    problem = Problem(field="info", value=[1], expected="a string")
    assert hash(problem) == hash(Problem(field="info", value=[2], expected="a string"))
    assert problem != Problem(field="info", value=[2], expected="a string")


def test_invalid_report_message() -> None:
    one = InvalidReport([Problem(field="a", value=1, expected="2")])
    assert str(one) == "invalid report (1 problem):\n  a: got 1, expected 2"
    two = InvalidReport(
        [
            Problem(field="a", value=1, expected="2"),
            Problem(field="b", value=3, expected="4"),
        ],
        what="event",
    )
    assert str(two).startswith("invalid event (2 problems):\n  a: ")
    assert len(two.problems) == 2
    assert isinstance(two, ValueError)


# --- pickling, and the classes ------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        InvalidReport([Problem(field="status", value="x", expected="a state")]),
        InvalidReport(
            [Problem(field="<line>", value=None, expected="JSON", missing=True)],
            what="line",
        ),
        EvstatusError("something"),
    ],
)
def test_exceptions_pickle_and_deep_copy(error: EvstatusError) -> None:
    # Failed before: InvalidReport came back as "i n v a l i d ...".
    for clone in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert type(clone) is type(error)
        assert str(clone) == str(error)
        if isinstance(error, InvalidReport):
            assert isinstance(clone, InvalidReport)
            assert clone.problems == error.problems
            assert clone.what == error.what


def test_invalid_report_is_an_evstatus_error_and_a_value_error() -> None:
    assert issubclass(InvalidReport, EvstatusError)
    assert issubclass(InvalidReport, ValueError)
