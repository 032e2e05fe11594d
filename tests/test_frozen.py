"""The immutable building blocks: FrozenMap, PersistentMap, fast_constructor."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evstatus import (
    ChargePointErrorCode,
    ChargePointStatus,
    ConnectorReport,
    StationState,
    Step,
    ocpp201,
)
from evstatus._frozen import FrozenMap, fast_constructor
from evstatus._persistent import PersistentMap


class Colliding:
    """A key whose hash is the same for every instance: a full-hash collision."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __hash__(self) -> int:
        return 42

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Colliding) and other.name == self.name

    def __reduce__(self) -> tuple[object, ...]:
        return (Colliding, (self.name,))


# --- FrozenMap -------------------------------------------------------------------


def test_frozen_map_reads_like_the_dict_it_was_built_from() -> None:
    built = FrozenMap({"b": 1, "a": 2})
    assert list(built) == ["b", "a"]
    assert built["a"] == 2
    assert "b" in built
    assert "c" not in built
    assert len(built) == 2
    assert repr(built) == "{'b': 1, 'a': 2}"
    assert built == {"b": 1, "a": 2}
    assert built == FrozenMap([("b", 1), ("a", 2)])
    assert built != {"b": 1}
    assert built != 5
    assert hash(built) == hash(FrozenMap({"a": 2, "b": 1}))


def test_frozen_map_cannot_be_changed() -> None:
    built = FrozenMap({"a": 1})
    with pytest.raises(TypeError):
        built["a"] = 2  # type: ignore[index]
    with pytest.raises(AttributeError):
        built.x = 1  # type: ignore[attr-defined]


def test_frozen_map_copies_what_it_is_given() -> None:
    source = {"a": 1}
    built = FrozenMap(source)
    source["a"] = 2
    assert built["a"] == 1


def test_frozen_map_pickles_and_deep_copies() -> None:
    built = FrozenMap({"a": [1, 2]})
    for clone in (pickle.loads(pickle.dumps(built)), copy.deepcopy(built)):
        assert clone == built
        assert type(clone) is FrozenMap


# --- PersistentMap -----------------------------------------------------------------

keys = st.one_of(
    st.integers(min_value=0, max_value=2**70),
    st.integers(min_value=-(2**65), max_value=-1),
    st.text(max_size=3),
    st.builds(Colliding, st.sampled_from("abcd")),
)


@given(st.lists(st.tuples(keys, st.integers())))
def test_persistent_map_behaves_like_a_dict(pairs: list[tuple[object, int]]) -> None:
    model: dict[object, int] = {}
    built: PersistentMap[object, int] = PersistentMap()
    versions = [(built, dict(model))]
    for key, value in pairs:
        built = built.set(key, value)
        model[key] = value
        versions.append((built, dict(model)))
    # Every version still holds exactly what it held: nothing was changed in place.
    for version, expected in versions:
        assert len(version) == len(expected)
        assert dict(version.items()) == expected
        assert set(version) == set(expected)
        assert version == expected
        for key, value in expected.items():
            assert version[key] == value
            assert key in version
            assert version.get(key) == value
    assert PersistentMap(model) == model
    assert PersistentMap(list(model.items())) == model


@given(st.lists(st.tuples(keys, st.integers()), max_size=30), keys)
def test_a_missing_key_is_missing(pairs: list[tuple[object, int]], key: object) -> None:
    built = PersistentMap(pairs)
    if key in dict(pairs):
        return
    assert key not in built
    assert built.get(key) is None
    assert built.get(key, "x") == "x"
    with pytest.raises(KeyError):
        built[key]


def test_persistent_map_iterates_keys_values_and_items_alike() -> None:
    built = PersistentMap({3: "c", 1: "a", 2: "b"})
    assert list(zip(built, built.values(), strict=True)) == list(built.items())
    assert repr(built) == f"PersistentMap({dict(built.items())!r})"


def test_persistent_map_collisions_share_a_bucket() -> None:
    a, b, c = Colliding("a"), Colliding("b"), Colliding("c")
    built = PersistentMap[Colliding, int]([(a, 1), (b, 2)]).set(c, 3).set(b, 20)
    assert dict(built.items()) == {a: 1, b: 20, c: 3}
    assert len(built) == 3
    assert built.get(Colliding("z")) is None


def test_persistent_map_equality_and_hashing() -> None:
    built = PersistentMap({1: "a"})
    assert built == {1: "a"}
    assert built != {1: "b"}
    assert built != {2: "a"}
    assert built != {1: "a", 2: "b"}
    assert built != [1]
    with pytest.raises(TypeError):
        hash(built)


def test_persistent_map_pickles_and_deep_copies() -> None:
    built = PersistentMap({1: "a", Colliding("x"): "b", Colliding("y"): "c"})
    for clone in (pickle.loads(pickle.dumps(built)), copy.deepcopy(built)):
        assert clone == built
        assert type(clone) is PersistentMap


def test_setting_one_key_copies_one_path_only() -> None:
    # What makes a report cost the same for 2 or 10,000 connectors: the new
    # map shares every node but the ones on the changed key's path.
    built = PersistentMap((i, i) for i in range(10_000))
    changed = built.set(5_000, -1)
    before = built._root  # pyright: ignore[reportPrivateUsage]
    after = changed._root  # pyright: ignore[reportPrivateUsage]
    shared = [slot for index, slot in before.items() if after[index] is slot]
    assert len(shared) == len(before) - 1
    assert built[5_000] == 5_000
    assert changed[5_000] == -1


# --- fast_constructor --------------------------------------------------------------


@attrs.frozen
class Converting:
    plain: int
    converted: str = attrs.field(converter=str)


def test_fast_constructor_sets_exactly_the_fields_and_converts() -> None:
    make = fast_constructor(Converting)
    built: Converting = make(1, 2)
    assert built == Converting(1, "2")
    assert built.converted == "2"


@pytest.mark.parametrize(
    "cls", [ConnectorReport, ocpp201.ConnectorReport, StationState, Step]
)
def test_fast_constructor_sets_every_attrs_field_of_the_library_classes(
    cls: type[attrs.AttrsInstance],
) -> None:
    fields = attrs.fields(cls)
    sentinels = [object() for _ in fields]
    built: object = fast_constructor(cls)(*sentinels)
    for field, sentinel in zip(fields, sentinels, strict=True):
        if field.converter is None:
            assert getattr(built, field.name) is sentinel, field.name
    # The slots are all the state there is.
    slots: tuple[str, ...] = getattr(cls, "__slots__")  # noqa: B009
    names: set[str] = {field.name for field in fields}
    assert names == set(slots) - {"__weakref__"}


def test_fast_constructor_honours_the_timestamp_converters() -> None:
    plus_one = datetime(2026, 6, 1, 9, tzinfo=timezone(timedelta(hours=1)))
    report = fast_constructor(ConnectorReport)(
        1,
        ChargePointStatus.CHARGING,
        ChargePointErrorCode.NO_ERROR,
        plus_one,
        None,
        None,
        None,
    )
    assert report.timestamp is not None
    assert report.timestamp.tzinfo is UTC
    assert report.timestamp == plus_one
