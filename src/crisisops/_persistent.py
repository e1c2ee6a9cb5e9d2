"""Persistent sequences and maps: change one, keep the old, copy almost nothing.

An immutable value that grows by one entry per change (an event log, a list of
actions) must not copy everything it holds at every change, or building it by
N changes costs 1 + 2 + … + N copies. The two structures here share storage
between the versions that descend from one another instead:

* `AppendLog` – an append-only sequence. Versions share one Python list and
  each remembers its own length; appending to the newest version appends in
  place (O(1) amortised), appending to an older one copies its prefix once and
  starts a branch. Entries are never changed or removed, so the prefix a
  version reads stays what it was — as a Go slice shares its array.
* `PersistentMap` – a hash array mapped trie (P. Bagwell, "Ideal Hash Trees",
  EPFL 2001; the structure behind Clojure's and Scala's immutable maps).
  Setting a key copies only the nodes on the path to it — at most
  ⌈64 / 5⌉ = 13 nodes of 32 slots, in practice 3 or 4 — so a change costs
  O(log₃₂ n) whatever the size of the map. Iteration follows the order in which
  keys were first set (an `AppendLog` of keys), never the hash order, so it is
  the same in every process whatever ``PYTHONHASHSEED`` is.

Both are private building blocks of the immutable aggregates (e.g. the
event-sourced `crisisops.response.Crisis`); they are safe to share between
threads (the only in-place write, the append, checks that it won).

Examples
--------
>>> log = AppendLog.empty().appended("declared").appended("confirmed")
>>> longer = log.appended("contained")
>>> log.to_tuple(), longer.to_tuple()
(('declared', 'confirmed'), ('declared', 'confirmed', 'contained'))
>>> owners = PersistentMap.empty().set("restock", "ana").set("notify", "bo")
>>> moved = owners.set("restock", "cy")
>>> owners["restock"], moved["restock"], list(moved)
('ana', 'cy', ['restock', 'notify'])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

__all__ = ["AppendLog", "PersistentMap"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_BITS = 5
_WIDTH = 1 << _BITS
_MASK = _WIDTH - 1
_HASH_MASK = (1 << 64) - 1


class AppendLog(Sequence[T], Generic[T]):
    """An append-only sequence whose versions share one list.

    Build one with `empty` or `of`, grow it with `appended`; every version
    keeps the entries it had. Indexing, slicing, ``len``, iteration and ``in``
    work as on a tuple.
    """

    __slots__ = ("_items", "_length")

    def __init__(self, items: list[T], length: int) -> None:
        self._items = items
        self._length = length

    @classmethod
    def empty(cls) -> AppendLog[T]:
        """Return a log with no entries."""
        return cls([], 0)

    @classmethod
    def of(cls, items: Iterable[T]) -> AppendLog[T]:
        """Return a log holding ``items`` in order."""
        entries = list(items)
        return cls(entries, len(entries))

    def appended(self, item: T) -> AppendLog[T]:
        """Return a log with this log's entries, then ``item``.

        When this is the newest version of its list, ``item`` is appended in
        place; otherwise this version's entries are copied into a new list
        first (a branch), so no other version ever sees ``item``.
        """
        items = self._items
        length = self._length
        if len(items) == length:
            items.append(item)
            # Another thread may have appended to the same prefix first: our
            # item then is not at ``length``, and we branch like an old version.
            if items[length] is item:
                return AppendLog(items, length + 1)
        branch = items[:length]
        branch.append(item)
        return AppendLog(branch, length + 1)

    def last(self) -> T | None:
        """Return the last entry, or ``None`` if the log is empty."""
        return self._items[self._length - 1] if self._length else None

    def to_tuple(self) -> tuple[T, ...]:
        """Return the entries as a tuple (a copy: O(length))."""
        return tuple(self._items[: self._length])

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self._items[: self._length][index])
        length = self._length
        position = index + length if index < 0 else index
        if not 0 <= position < length:
            raise IndexError("AppendLog index out of range")
        return self._items[position]

    def __iter__(self) -> Iterator[T]:
        items = self._items
        for position in range(self._length):
            yield items[position]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AppendLog):
            return self.to_tuple() == other.to_tuple()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.to_tuple())

    def __repr__(self) -> str:
        return f"AppendLog({list(self)!r})"


# A trie node is a list of _WIDTH slots. A slot holds None, a child node (a
# list), a leaf ``(hash, key, value)`` (a tuple) or a collision bucket (a dict
# of keys whose 64-bit hashes are all equal, stored with that hash).


class _Bucket:
    """Keys whose full 64-bit hashes collide, kept together in one slot."""

    __slots__ = ("entries", "hash")

    def __init__(self, hash_: int, entries: dict[Any, Any]) -> None:
        self.hash = hash_
        self.entries = entries


def _hash(key: object) -> int:
    return hash(key) & _HASH_MASK


def _lookup(node: list[Any], key: object, hash_: int) -> Any:  # noqa: ANN401
    shift = 0
    while True:
        slot = node[(hash_ >> shift) & _MASK]
        if slot is None:
            raise KeyError(key)
        if isinstance(slot, list):
            node = slot
            shift += _BITS
            continue
        if isinstance(slot, tuple):
            if slot[0] == hash_ and (slot[1] is key or slot[1] == key):
                return slot[2]
            raise KeyError(key)
        if slot.hash == hash_ and key in slot.entries:
            return slot.entries[key]
        raise KeyError(key)


def _leaf_hash(slot: tuple[Any, ...] | _Bucket) -> int:
    return slot[0] if isinstance(slot, tuple) else slot.hash


def _split(
    existing: tuple[Any, ...] | _Bucket, leaf: tuple[Any, ...], shift: int
) -> list[Any]:
    """Return a node at ``shift`` holding ``existing`` and ``leaf`` (hashes differ)."""
    node: list[Any] = [None] * _WIDTH
    old_index = (_leaf_hash(existing) >> shift) & _MASK
    new_index = (leaf[0] >> shift) & _MASK
    if old_index == new_index:
        node[old_index] = _split(existing, leaf, shift + _BITS)
    else:
        node[old_index] = existing
        node[new_index] = leaf
    return node


def _assoc(
    node: list[Any],
    shift: int,
    leaf: tuple[Any, ...],
) -> tuple[list[Any], bool]:
    """Return (a copy of ``node`` with ``leaf`` set, whether the key is new)."""
    hash_, key, value = leaf
    index = (hash_ >> shift) & _MASK
    slot = node[index]
    added = False
    if slot is None:
        new_slot: Any = leaf
        added = True
    elif isinstance(slot, list):
        new_slot, added = _assoc(slot, shift + _BITS, leaf)
    elif isinstance(slot, tuple):
        if slot[0] == hash_ and (slot[1] is key or slot[1] == key):
            new_slot = leaf
        elif slot[0] == hash_:
            new_slot = _Bucket(hash_, {slot[1]: slot[2], key: value})
            added = True
        else:
            new_slot = _split(slot, leaf, shift + _BITS)
            added = True
    elif slot.hash == hash_:
        added = key not in slot.entries
        new_slot = _Bucket(hash_, {**slot.entries, key: value})
    else:
        new_slot = _split(slot, leaf, shift + _BITS)
        added = True
    copy = node.copy()
    copy[index] = new_slot
    return copy, added


class PersistentMap(Mapping[K, V], Generic[K, V]):
    """An immutable mapping whose `set` returns a new map, sharing the rest.

    Reading works as on any `Mapping` (``m[k]``, ``k in m``, ``len(m)``,
    `get`, `keys`, `values`, `items`); iteration follows the order in which
    keys were first set. There is no delete: the aggregates that use it never
    forget a key.
    """

    __slots__ = ("_order", "_root")

    def __init__(self, root: list[Any], order: AppendLog[K]) -> None:
        self._root = root
        self._order = order

    @classmethod
    def empty(cls) -> PersistentMap[K, V]:
        """Return a map with no keys."""
        return cls([None] * _WIDTH, AppendLog.empty())

    @classmethod
    def of(cls, items: Iterable[tuple[K, V]]) -> PersistentMap[K, V]:
        """Return a map of ``(key, value)`` pairs (a later pair wins)."""
        result: PersistentMap[K, V] = cls.empty()
        for key, value in items:
            result = result.set(key, value)
        return result

    def set(self, key: K, value: V) -> PersistentMap[K, V]:
        """Return a map equal to this one except that ``key`` maps to ``value``."""
        root, added = _assoc(self._root, 0, (_hash(key), key, value))
        order = self._order.appended(key) if added else self._order
        return PersistentMap(root, order)

    def __getitem__(self, key: K) -> V:
        value: V = _lookup(self._root, key, _hash(key))
        return value

    def __contains__(self, key: object) -> bool:
        try:
            _lookup(self._root, key, _hash(key))
        except KeyError:
            return False
        except TypeError:  # an unhashable key is in no map
            return False
        return True

    def __iter__(self) -> Iterator[K]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __repr__(self) -> str:
        return f"PersistentMap({dict(self.items())!r})"
