"""An immutable mapping whose :meth:`~PersistentMap.set` costs O(log n).

A hash trie of 32-way nodes: setting a key copies the nodes on one path and
shares all the others with the mapping before. A station state holds its
reports in one, so a report costs the same for a station of 2 connectors or
10,000, and every state before it stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, TypeVar, cast, overload

__all__ = ["PersistentMap"]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


# A node of the trie is a dict of up to 32 slots; a slot holds a leaf, a
# (key, value) tuple, or a deeper node. Two keys whose hashes agree in every
# bit end in a _Bucket of leaves. Connector ids are small ints, whose hash is
# the int itself, so connectors 0 to 31 sit in the root like in a plain dict.
_BITS: Final = 5
_MASK: Final = (1 << _BITS) - 1
_HASH_BITS: Final = 64
_HASH_MASK: Final = (1 << _HASH_BITS) - 1


class _Bucket(tuple[tuple[Any, Any], ...]):
    """Leaves whose keys' hashes are equal in all 64 bits."""

    __slots__ = ()


_Node = dict[int, Any]


def _hash(key: object) -> int:
    return hash(key) & _HASH_MASK


def _leaf_pair(
    first: tuple[Any, Any],
    first_hash: int,
    second: tuple[Any, Any],
    second_hash: int,
    shift: int,
) -> Any:  # noqa: ANN401  (a node or a bucket)
    if shift >= _HASH_BITS:
        return _Bucket((first, second))
    node: _Node = {}
    a = (first_hash >> shift) & _MASK
    b = (second_hash >> shift) & _MASK
    if a == b:
        node[a] = _leaf_pair(first, first_hash, second, second_hash, shift + _BITS)
    else:
        node[a] = first
        node[b] = second
    return node


def _set(
    node: _Node, key: object, value: object, key_hash: int, shift: int
) -> tuple[_Node, bool]:
    """Return a copy of *node* with *key* set, and whether the key is new."""
    index = (key_hash >> shift) & _MASK
    copy = dict(node)
    slot = node.get(index)
    if slot is None:
        copy[index] = (key, value)
        return copy, True
    if type(slot) is tuple:
        if slot[0] == key:
            copy[index] = (key, value)
            return copy, False
        leaf = cast("tuple[object, object]", slot)
        copy[index] = _leaf_pair(
            leaf, _hash(leaf[0]), (key, value), key_hash, shift + _BITS
        )
        return copy, True
    if type(slot) is _Bucket:
        leaves = [leaf for leaf in slot if leaf[0] != key]
        added = len(leaves) == len(slot)
        copy[index] = _Bucket((*leaves, (key, value)))
        return copy, added
    copy[index], added = _set(slot, key, value, key_hash, shift + _BITS)
    return copy, added


def _leaves(node: _Node) -> Iterator[tuple[Any, Any]]:
    for slot in node.values():
        if type(slot) is tuple:
            yield slot
        elif type(slot) is _Bucket:
            yield from slot
        else:
            yield from _leaves(slot)


_ABSENT: Final = object()


class PersistentMap(Mapping[K, V]):
    """An immutable mapping; :meth:`set` returns a new one in O(log n).

    Iteration order is the trie's: neither the order of insertion nor sorted.
    """

    __slots__ = ("_len", "_root")

    _root: _Node
    _len: int

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        if type(items) is dict:
            given = cast("dict[int, object]", items)
            if all(type(key) is int and 0 <= key <= _MASK for key in given):
                # The usual station's connector ids, 0 to 31: each sits in the
                # root at its own index (an int is its own hash), as _set
                # would put it, built in one go.
                self._root = {key: (key, value) for key, value in given.items()}
                self._len = len(given)
                return
        pairs: Iterable[tuple[K, V]] = (
            cast("Mapping[K, V]", items).items()
            if isinstance(items, Mapping)
            else items
        )
        root: _Node = {}
        length = 0
        for key, value in pairs:
            root, added = _set(root, key, value, _hash(key), 0)
            length += added
        self._root = root
        self._len = length

    def set(self, key: K, value: V) -> PersistentMap[K, V]:
        """Return a mapping like this one, with *key* mapped to *value*."""
        root, added = _set(self._root, key, value, _hash(key), 0)
        new = cast("PersistentMap[K, V]", object.__new__(PersistentMap))
        new._root = root  # noqa: SLF001  (the same class: building a sibling)
        new._len = self._len + added  # noqa: SLF001
        return new

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | T, /) -> V | T: ...

    def get(self, key: K, default: object = None, /) -> object:
        """Return the value of *key*, or *default* if it has none."""
        found = self._find(key)
        return default if found is _ABSENT else found

    def _find(self, key: object) -> object:
        key_hash = _hash(key)
        node = self._root
        shift = 0
        while True:
            slot = node.get((key_hash >> shift) & _MASK)
            if slot is None:
                return _ABSENT
            if type(slot) is tuple:
                leaf = cast("tuple[object, object]", slot)
                return leaf[1] if leaf[0] == key else _ABSENT
            if type(slot) is _Bucket:
                for leaf_key, value in slot:
                    if leaf_key == key:
                        return value
                return _ABSENT
            node = slot
            shift += _BITS

    def __getitem__(self, key: K) -> V:
        found = self._find(key)
        if found is _ABSENT:
            raise KeyError(key)
        return cast("V", found)

    def __contains__(self, key: object) -> bool:
        return self._find(key) is not _ABSENT

    def __iter__(self) -> Iterator[K]:
        return (key for key, _ in _leaves(self._root))

    def items(self) -> Iterator[tuple[K, V]]:  # type: ignore[override]
        """Iterate over the (key, value) pairs, in trie order."""
        return _leaves(self._root)

    def values(self) -> Iterator[V]:  # type: ignore[override]
        """Iterate over the values, in trie order."""
        return (value for _, value in _leaves(self._root))

    def __len__(self) -> int:
        return self._len

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        mapping = cast("Mapping[object, object]", other)
        if len(mapping) != self._len:
            return False
        for key, value in _leaves(self._root):
            if mapping.get(key, _ABSENT) != value:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PersistentMap({dict(_leaves(self._root))!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (PersistentMap, (tuple(_leaves(self._root)),))
