"""Tests of the persistent log and map behind the immutable aggregates."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops._persistent import AppendLog, PersistentMap


class _Clash:
    """A key whose hash is chosen, to force trie collisions and deep splits."""

    def __init__(self, name: str, hash_: int) -> None:
        self.name = name
        self.hash_ = hash_

    def __hash__(self) -> int:
        return self.hash_

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Clash) and other.name == self.name

    def __repr__(self) -> str:
        return f"_Clash({self.name!r}, {self.hash_})"


# --- AppendLog ----------------------------------------------------------------


def test_an_empty_log_has_nothing() -> None:
    log: AppendLog[int] = AppendLog.empty()
    assert 0 == len(log)
    assert () == log.to_tuple()
    assert log.last() is None
    with pytest.raises(IndexError):
        log[0]


def test_appending_keeps_every_version() -> None:
    one = AppendLog.of([1])
    two = one.appended(2)
    three = two.appended(3)
    assert (1,) == one.to_tuple()
    assert (1, 2) == two.to_tuple()
    assert (1, 2, 3) == three.to_tuple()
    # The three versions share one list: the newest appended in place.
    assert one._items is three._items


def test_appending_to_an_old_version_branches() -> None:
    base = AppendLog.of("ab")
    newer = base.appended("c")
    branch = base.appended("x")
    assert ("a", "b", "c") == newer.to_tuple()
    assert ("a", "b", "x") == branch.to_tuple()
    assert base._items is not branch._items


def test_log_indexing_and_slicing_follow_the_version() -> None:
    full = AppendLog.of(range(5))
    short = AppendLog(full._items, 3)
    assert 2 == short[-1]
    assert (1, 2) == short[1:]
    assert 2 == short.last()
    assert 3 not in short
    with pytest.raises(IndexError):
        short[3]
    with pytest.raises(IndexError):
        short[-4]


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=30), st.integers())))
def test_any_branching_history_matches_tuples(steps: list[tuple[int, int]]) -> None:
    # Model: every version is a tuple; each step appends to a random earlier version.
    logs: list[AppendLog[int]] = [AppendLog.empty()]
    models: list[tuple[int, ...]] = [()]
    for pick, value in steps:
        index = pick % len(logs)
        logs.append(logs[index].appended(value))
        models.append((*models[index], value))
    for log, model in zip(logs, models, strict=True):
        assert model == log.to_tuple()
        assert model == tuple(log)
        assert len(model) == len(log)
        assert log == AppendLog.of(model)


def test_logs_copy_and_pickle_as_their_entries() -> None:
    log = AppendLog.of([1, 2]).appended(3)
    assert log == pickle.loads(pickle.dumps(log))  # noqa: S301  our own bytes
    assert log == copy.deepcopy(log)
    assert hash(log) == hash(AppendLog.of([1, 2, 3]))


# --- PersistentMap ------------------------------------------------------------


def test_setting_a_key_leaves_the_old_map() -> None:
    empty: PersistentMap[str, int] = PersistentMap.empty()
    one = empty.set("a", 1)
    two = one.set("a", 2).set("b", 3)
    assert {} == dict(empty)
    assert {"a": 1} == dict(one)
    assert {"a": 2, "b": 3} == dict(two)
    assert ["a", "b"] == list(two)
    assert 2 == len(two)
    assert two.get("z") is None
    with pytest.raises(KeyError):
        one["b"]


def test_iteration_follows_first_insertion_not_hash_order() -> None:
    keys = [f"action_{n}" for n in range(200)]
    mapping: PersistentMap[str, int] = PersistentMap.of((k, 0) for k in keys)
    mapping = mapping.set("action_7", 7)
    assert keys == list(mapping)
    assert 7 == mapping["action_7"]


def test_full_hash_collisions_share_a_bucket() -> None:
    first, second, third = _Clash("a", 42), _Clash("b", 42), _Clash("c", 42 + 32)
    mapping: PersistentMap[_Clash, int] = PersistentMap.of(
        [(first, 1), (second, 2), (third, 3)]
    )
    updated = mapping.set(second, 20)
    assert {first: 1, second: 2, third: 3} == dict(mapping)
    assert 20 == updated[second]
    assert 1 == updated[first]
    assert _Clash("d", 42) not in updated
    assert 3 == len(updated)


def test_a_bucket_moves_down_when_another_hash_shares_its_slot() -> None:
    # 42 and 42 + 2**40 agree on their low 40 bits: the trie splits 8 levels deep.
    pair = [(_Clash("a", 42), 1), (_Clash("b", 42), 2)]
    deep = _Clash("c", 42 + 2**40)
    mapping: PersistentMap[_Clash, int] = PersistentMap.of([*pair, (deep, 3)])
    assert {**dict(pair), deep: 3} == dict(mapping)


def test_unhashable_keys_are_in_no_map() -> None:
    mapping: PersistentMap[object, int] = PersistentMap.of([("a", 1)])
    assert [] not in mapping


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=20),
            st.integers(min_value=0, max_value=40),
            st.integers(min_value=0, max_value=3),
            st.integers(),
        ),
        max_size=80,
    )
)
def test_any_history_of_sets_matches_dicts(
    steps: list[tuple[int, int, int, int]],
) -> None:
    # Keys collide on purpose: only 4 distinct hashes for up to 41 names.
    maps: list[PersistentMap[_Clash, int]] = [PersistentMap.empty()]
    models: list[dict[_Clash, int]] = [{}]
    for pick, name, hash_bucket, value in steps:
        index = pick % len(maps)
        key = _Clash(str(name), hash_bucket * (2**33) + 7)
        maps.append(maps[index].set(key, value))
        models.append({**models[index], key: value})
    for mapping, model in zip(maps, models, strict=True):
        assert model == dict(mapping)
        assert list(model) == list(mapping)  # insertion order, as dicts keep it
        assert mapping == model


def test_maps_copy_and_pickle_as_their_items() -> None:
    mapping: PersistentMap[str, int] = PersistentMap.of([("a", 1), ("b", 2)])
    restored = pickle.loads(pickle.dumps(mapping))  # noqa: S301  our own bytes
    assert mapping == restored
    assert ["a", "b"] == list(restored)
    assert mapping == copy.deepcopy(mapping)
