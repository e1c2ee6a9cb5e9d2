"""An immutable, hashable mapping for use inside frozen domain values.

Domain objects in crisisops are immutable (DESIGN.md principle 2), so a mapping
stored inside one must be immutable too. `FrozenDict` is a read-only
``Mapping`` that keeps insertion order, compares equal to another mapping with
the same items, and is hashable when its values are, so a frozen attrs class
that holds one stays hashable.

Examples
--------
>>> from crisisops.frozen import FrozenDict
>>> weights = FrozenDict({"financial": 0.4, "brand": 0.6})
>>> weights["brand"]
0.6
>>> weights.set("brand", 0.5)
FrozenDict({'financial': 0.4, 'brand': 0.5})
>>> weights  # unchanged: every change is a new value
FrozenDict({'financial': 0.4, 'brand': 0.6})
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar, overload

from crisisops.errors import InvalidTypeError, UnknownKeyError

__all__ = ["FrozenDict"]

_ITEMS_EXPECTED = "a mapping or an iterable of (key, value) pairs"

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(Mapping[K, V], Generic[K, V]):
    """A read-only, ordered, hashable mapping.

    Build it like a ``dict``; change it only through methods that return a new
    ``FrozenDict`` (`set()`, `remove()`, `merge()`). Looking up a
    missing key raises `crisisops.errors.UnknownKeyError`, which is also
    a ``KeyError`` and suggests close matches among string keys.
    """

    __slots__ = ("_data", "_hash")

    _data: dict[K, V]
    _hash: int | None

    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, items: Mapping[K, V]) -> None: ...
    @overload
    def __init__(self, items: Iterable[tuple[K, V]]) -> None: ...
    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        """Copy ``items`` (a mapping or an iterable of pairs) into a new mapping.

        Raises
        ------
        InvalidTypeError
            If ``items`` is neither a mapping nor an iterable of pairs, or a
            key is unhashable.
        """
        if isinstance(items, (str, bytes)):
            raise InvalidTypeError("items", items, _ITEMS_EXPECTED)
        try:
            data = dict(items)
        except (TypeError, ValueError):
            raise InvalidTypeError("items", items, _ITEMS_EXPECTED) from None
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse attribute assignment: a FrozenDict never changes."""
        msg = f"FrozenDict is immutable; cannot set {name!r}"
        raise AttributeError(msg)

    def __getitem__(self, key: K) -> V:
        """Return the value for ``key`` or raise ``UnknownKeyError``."""
        try:
            return self._data[key]
        except KeyError:
            known = [k for k in self._data if isinstance(k, str)]
            raise UnknownKeyError("key", key, known) from None

    def __iter__(self) -> Iterator[K]:
        """Iterate over the keys in insertion order."""
        return iter(self._data)

    def __len__(self) -> int:
        """Return the number of items."""
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        """Return whether ``key`` is present."""
        return key in self._data

    def __hash__(self) -> int:
        """Hash the items, ignoring order (equal mappings hash equally)."""
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._data.items())))
        assert self._hash is not None  # noqa: S101  narrowing for mypy
        return self._hash

    def __eq__(self, other: object) -> bool:
        """Compare equal to any mapping with the same items."""
        if isinstance(other, FrozenDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        """Show the items like a dict literal."""
        return f"FrozenDict({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        """Support ``copy`` and ``pickle`` by rebuilding from a plain dict."""
        return (type(self), (dict(self._data),))

    def set(self, key: K, value: V) -> FrozenDict[K, V]:
        """Return a copy with ``key`` set to ``value``."""
        data = dict(self._data)
        data[key] = value
        return FrozenDict(data)

    def remove(self, key: K) -> FrozenDict[K, V]:
        """Return a copy without ``key``; raise ``UnknownKeyError`` if absent."""
        if key not in self._data:
            self[key]  # raises UnknownKeyError with suggestions
        return FrozenDict((k, v) for k, v in self._data.items() if k != key)

    def merge(self, other: Mapping[K, V]) -> FrozenDict[K, V]:
        """Return a copy updated with the items of ``other`` (``other`` wins)."""
        data = dict(self._data)
        data.update(other)
        return FrozenDict(data)
