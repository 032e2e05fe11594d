"""Hypothesis strategies only the tests need.

The strategies for valid reports, payloads, timestamps and logs are public, in
evstatus.testing.strategies, and the tests use them from there.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from hypothesis import strategies as st

from evstatus import ChargePointErrorCode, ChargePointStatus

# Anything json.loads could return, and then some: the parser must survive it.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from([member.value for member in ChargePointStatus])
    | st.sampled_from([member.value for member in ChargePointErrorCode])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=20), inner, max_size=4)
    ),
    max_leaves=12,
)


def loosened(node: object, away: Collection[str]) -> object:
    """A JSON schema without the keywords in *away*, at every depth.

    What it then admits includes payloads the schema rejects, for a
    differential test to see both answers.
    """
    if isinstance(node, dict):
        items = cast("dict[str, object]", node).items()
        return {key: loosened(value, away) for key, value in items if key not in away}
    if isinstance(node, list):
        return [loosened(value, away) for value in cast("list[object]", node)]
    return node
