"""Hypothesis strategies only the tests need.

The strategies for valid reports, payloads, timestamps and logs are public, in
evstatus.testing.strategies, and the tests use them from there.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterator
from typing import Any, cast

from hypothesis import strategies as st

from evstatus import ChargePointErrorCode, ChargePointStatus
from evstatus.ocpp201 import ChargingState

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


def _paths(
    value: object, path: tuple[object, ...] = ()
) -> Iterator[tuple[object, ...]]:
    """Every place inside a JSON value: keys of objects, indexes of arrays."""
    yield path
    if isinstance(value, dict):
        for key, item in cast("dict[str, object]", value).items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(cast("list[object]", value)):
            yield from _paths(item, (*path, index))


@st.composite
def mutated(
    draw: st.DrawFn, valid: st.SearchStrategy[Any], values: st.SearchStrategy[Any]
) -> object:
    """A draw of *valid* with one value anywhere in it replaced, removed or added.

    The new values are drawn from *values*. The draw is copied first: the
    strategy changes only what it made.
    """
    payload = copy.deepcopy(draw(valid))
    places = [path for path in _paths(payload) if path]
    if not places:
        return payload
    *parents, last = cast("tuple[Any, ...]", draw(st.sampled_from(places)))
    parent: Any = payload
    for step in parents:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "remove":
        del parent[last]
    elif action == "replace" or isinstance(parent, list):
        parent[last] = draw(values)
    else:
        parent[draw(st.sampled_from(["extra", "customData", "evse", "name"]))] = draw(
            values
        )
    return payload


@st.composite
def plain_transactions(draw: st.DrawFn) -> dict[str, object]:
    """A TransactionEventRequest of the plain shape: valid, each value of its JSON type.

    The shape the fast ways of reading one take: its five required members,
    perhaps ``evse``, and in ``transactionInfo`` the id and perhaps a
    charging state.
    """
    info: dict[str, object] = {"transactionId": draw(st.text(max_size=36))}
    if draw(st.booleans()):
        info["chargingState"] = draw(st.sampled_from([s.value for s in ChargingState]))
    payload: dict[str, object] = {
        "eventType": draw(st.sampled_from(["Started", "Updated", "Ended"])),
        "timestamp": draw(
            st.sampled_from(
                [
                    "2026-11-22T10:15:00Z",
                    "2026-11-22T10:15:00.250Z",
                    "2026-11-22T05:15:00-05:00",
                ]
            )
        ),
        "triggerReason": draw(
            st.sampled_from(["ChargingStateChanged", "EVDetected", "StopAuthorized"])
        ),
        "seqNo": draw(st.integers(0, 2**31)),
        "transactionInfo": info,
    }
    if draw(st.booleans()):
        evse: dict[str, object] = {"id": draw(st.integers(1, 5))}
        if draw(st.booleans()):
            evse["connectorId"] = draw(st.integers(1, 3))
        payload["evse"] = evse
    return payload
