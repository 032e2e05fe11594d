"""Immutable building blocks: a read-only mapping and the fast constructor.

- :class:`FrozenMap` is a read-only mapping over a private dict, in insertion
  order. Unlike :class:`types.MappingProxyType` it pickles and deep-copies,
  so every value object holding one can go through a process pool.
- :class:`~evstatus._persistent.PersistentMap` (in its own module, loaded
  with the station history that uses it) is the mapping a station state
  holds its reports in.
- :func:`fast_constructor` builds instances of a slotted attrs class without
  running ``__init__``, for hot paths whose inputs are already checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar, cast, overload

import attrs

__all__ = ["FrozenMap", "fast_constructor"]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class FrozenMap(Mapping[K, V]):
    """A read-only mapping, in the order it was built; picklable and hashable."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        # dict(), not dict[K, V](): calling a subscripted alias costs a lookup
        # more, and views build two of these per station.
        self._items: dict[K, V] = dict(items)

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | T, /) -> V | T: ...
    def get(self, key: K, default: object = None, /) -> object:
        # Mapping's own get raises and catches KeyError for a missing key;
        # hot paths look up tables held in these.
        return self._items.get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == cast("FrozenMap[object, object]", other)._items
        if isinstance(other, Mapping):
            return self._items == dict(cast("Mapping[object, object]", other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __reduce__(self) -> tuple[object, ...]:
        return (FrozenMap, (self._items,))


def fast_constructor(cls: type[T], *, convert: bool = True) -> Callable[..., T]:
    """Return a function that builds a *cls* from one value per attrs field.

    The function takes the values positionally, in the order of
    ``attrs.fields(cls)``, sets every slot, and runs each field's converter,
    if it has one (unless *convert* is false: for values already in their
    converted form), but skips validation and ``__attrs_post_init__``: callers
    pass only values they have checked already. Replaying a log builds an
    object per line, and ``__init__``'s checks would cost as much again.

    Generated once per class, like attrs' own ``__init__``, so that it is a
    single call with no loop.
    """
    fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
    namespace: dict[str, object] = {"new": object.__new__, "cls": cls}
    lines: list[str] = []
    for index, field in enumerate(fields):
        namespace[f"set{index}"] = cls.__dict__[field.name].__set__
        value = f"v{index}"
        if convert and field.converter is not None:
            namespace[f"convert{index}"] = field.converter
            value = f"convert{index}({value})"
        lines.append(f"    set{index}(instance, {value})")
    arguments = ", ".join(f"v{index}" for index in range(len(fields)))
    source = "\n".join(
        [
            f"def make({arguments}):",
            "    instance = new(cls)",
            *lines,
            "    return instance",
        ]
    )
    exec(source, namespace)  # noqa: S102  (built from field names only, as attrs does)
    make = cast("Callable[..., T]", namespace["make"])
    make.__qualname__ = f"fast_constructor({cls.__qualname__})"
    return make
