"""Persistent monitor state without copying it every period (private).

A `Monitor` is an immutable value: stepping it returns a new monitor and
leaves the old one exactly as it was. Copying every state array at every
period would make that promise cost O(entities × arrays) per step, however
few entities changed. Instead, the monitors that descend from one another
share a `Store` of live arrays and use Baker's *rerooting* trick for
persistent arrays (H. G. Baker, "Shallow binding makes functional arrays
fast", ACM SIGPLAN Notices 26(8), 1991; S. Conchon and J.-C. Filliâtre, "A
persistent union-find data structure", ML Workshop 2007):

* the store's arrays hold the state of one version, the **head**;
* every other `Version` keeps the undo records that turn its successor's state
  back into its own, and a reference to that successor;
* stepping the head writes in place and records what it overwrote, so a step
  costs only what it changes;
* using any older version first **reroots** the store to it: the undo records
  on the path are applied (and inverted, so the former head can come back),
  which costs what changed in between.

Seen from outside, every monitor keeps its own state forever. A lock makes
rerooting and stepping safe when monitors of one store are used from several
threads.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

__all__ = ["RECORD", "Journal", "Store", "Version", "bind_records", "copy_state"]

State = dict[str, Any]

#: What a name held before a write that created it (undo deletes the name).
_ABSENT = object()

#: One undo record: (name, index or None for a whole-value write, old value).
Record = tuple[str, Any, Any]

#: A state key ending in this holds a structured array of cells whose fields
#: are also in the state as views, ``prefix.field`` for a key ``prefix#record``
#: (a field of several values per cell is seen transposed, values-major).
#: Writing whole records costs one recorded write for all fields; reads and
#: the saved state see the fields as arrays of their own.
RECORD = "#record"


def _field_view(record: Any, field: str) -> Any:  # noqa: ANN401  numpy arrays
    view = record[field]
    return view.T if view.ndim > 1 else view


#: Opaque item types by size, made once (a new dtype per write is slow).
_OPAQUE: dict[int, np.dtype[Any]] = {}


def _rows(array: Any) -> Any:  # noqa: ANN401  numpy arrays
    """Return a record array as opaque items (numpy copies these much faster)."""
    size = array.dtype.itemsize
    opaque = _OPAQUE.get(size)
    if opaque is None:
        opaque = _OPAQUE.setdefault(size, np.dtype((np.void, size)))
    return array.view(opaque)


def bind_records(state: State) -> State:
    """Point every record's field keys at views of the record (in place)."""
    for key, value in list(state.items()):
        if key.endswith(RECORD):
            prefix = key[: -len(RECORD)]
            for field in value.dtype.names:
                state[f"{prefix}.{field}"] = _field_view(value, field)
    return state


def _views(state: State) -> set[str]:
    """Return the keys that are views of a record."""
    return {
        f"{key[: -len(RECORD)]}.{field}"
        for key, value in state.items()
        if key.endswith(RECORD)
        for field in value.dtype.names
    }


def copy_state(state: State) -> State:
    """Copy every array (rings share their read-only rows); views stay views."""
    views = _views(state)
    copied = {
        key: value if isinstance(value, tuple) or key in views else value.copy()
        for key, value in state.items()
    }
    return bind_records(copied)


class Journal:
    """Writes into a state dict, remembering how to undo them when asked.

    Nodes and rules write through a journal: ``journal[name] = value``
    replaces a value, ``journal.scatter(name, index, values)`` writes into
    part of an array in place. Reads go straight to the state.
    """

    __slots__ = ("state", "undo")

    def __init__(self, state: State, *, record: bool) -> None:
        self.state = state
        self.undo: list[Record] | None = [] if record else None

    def __getitem__(self, name: str) -> Any:  # noqa: ANN401  arrays or rings
        return self.state[name]

    def __contains__(self, name: object) -> bool:
        return name in self.state

    def __setitem__(self, name: str, value: Any) -> None:  # noqa: ANN401
        if self.undo is not None:
            self.undo.append((name, None, self.state.get(name, _ABSENT)))
        self.state[name] = value

    def scatter(
        self,
        name: str,
        index: Any,  # noqa: ANN401  any numpy index
        values: Any,  # noqa: ANN401
        old: Any = None,  # noqa: ANN401
    ) -> None:
        """Write ``values`` into ``state[name][index]`` in place.

        ``old``, if given, must be a copy of what ``state[name][index]`` holds
        now (a caller that gathered it anyway saves the journal a copy).
        """
        target = self.state[name]
        if target.dtype.names is not None:
            # A record: write whole records as opaque items (see `RECORD`).
            rows = _rows(target)
            if self.undo is not None:
                self.undo.append((name, index, np.take(rows, index, axis=0)))
            rows[index] = _rows(values)
            return
        if self.undo is not None:
            if old is None:
                old = target[index]
                # Fancy indexing copies already; a basic index gives a view.
                if np.may_share_memory(old, target):
                    old = old.copy()
            self.undo.append((name, index, old))
        target[index] = values

    def rollback(self) -> None:
        """Undo every recorded write (after a failed step)."""
        if self.undo is not None:
            _apply(self.state, self.undo)
            self.undo.clear()


def _apply(state: State, undo: list[Record]) -> list[Record]:
    """Apply undo records newest first; return the records that redo them."""
    inverse: list[Record] = []
    for name, index, old in reversed(undo):
        if index is None:
            inverse.append((name, None, state.get(name, _ABSENT)))
            if old is _ABSENT:
                del state[name]
            else:
                state[name] = old
        else:
            target = state[name]
            if target.dtype.names is not None:
                target = _rows(target)
            inverse.append((name, index, np.copy(target[index])))
            target[index] = old
    # Applied newest first, the inverse records were collected oldest change
    # last; applying them newest first again replays the original order.
    return inverse


class Store:
    """The live arrays shared by a line of monitor versions."""

    __slots__ = ("lock", "state")

    def __init__(self, state: State) -> None:
        self.state = state
        self.lock = threading.Lock()

    def __getstate__(self) -> State:
        """Copy and pickle the arrays; a lock cannot be, and needs not be.

        A record's field views would come back as arrays of their own, so
        they are left out (their keys kept, in order) and made again from
        the record.
        """
        views = _views(self.state)
        return {
            key: None if key in views else value for key, value in self.state.items()
        }

    def __setstate__(self, state: State) -> None:
        self.state = bind_records(state)
        self.lock = threading.Lock()

    def checkout(self, version: Version) -> State:
        """Make ``version`` the head and return the arrays (hold the lock)."""
        path: list[Version] = []
        node = version
        while node.successor is not None:
            path.append(node)
            node = node.successor
        for older in reversed(path):
            head = older.successor
            assert head is not None  # noqa: S101  on the path to the head
            assert older.undo is not None  # noqa: S101  set with the successor
            head.undo = _apply(self.state, older.undo)
            head.successor = older
            older.successor = None
            older.undo = None
        return self.state


class Version:
    """One monitor's place in its store's history."""

    __slots__ = ("store", "successor", "undo")

    def __init__(self, store: Store) -> None:
        self.store = store
        self.successor: Version | None = None
        self.undo: list[Record] | None = None

    def link(self, head: Version, undo: list[Record]) -> None:
        """Make ``head`` this version's successor, reached by undoing ``undo``."""
        self.successor = head
        self.undo = undo
