"""FrozenDict: a read-only, hashable mapping whose changes are new values."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops.errors import InvalidTypeError, UnknownKeyError
from crisisops.frozen import FrozenDict

items = st.dictionaries(st.text(max_size=4), st.integers(), max_size=6)


def test_reads_like_a_dict_in_insertion_order() -> None:
    mapping = FrozenDict({"b": 2, "a": 1})

    assert ["b", "a"] == list(mapping)
    assert 2 == mapping["b"]
    assert 2 == len(mapping)
    assert "a" in mapping
    assert mapping.get("z") is None


def test_builds_from_pairs_and_from_nothing() -> None:
    assert {"a": 1} == FrozenDict([("a", 1)])
    assert 0 == len(FrozenDict())


@pytest.mark.parametrize("bad", [5, "ab", [("a", 1, 2)], [["x"]], [([], 1)]])
def test_things_that_are_not_mappings_or_pairs_are_refused(bad: object) -> None:
    with pytest.raises(InvalidTypeError, match="'items' must be a mapping"):
        FrozenDict(bad)  # type: ignore[call-overload]  # the point of the test


def test_cannot_be_changed_in_place() -> None:
    mapping = FrozenDict({"a": 1})

    with pytest.raises(AttributeError, match="immutable"):
        mapping._data = {}  # the point of the test
    with pytest.raises(TypeError):
        mapping["a"] = 2  # type: ignore[index]  # the point of the test


def test_changes_return_new_values_and_leave_the_original() -> None:
    original = FrozenDict({"a": 1})

    assert {"a": 1, "b": 2} == original.set("b", 2)
    assert {} == original.remove("a")
    assert {"a": 3, "c": 4} == original.merge({"a": 3, "c": 4})
    assert {"a": 1} == original


def test_missing_key_raises_unknown_key_error_with_suggestion() -> None:
    mapping = FrozenDict({"negative_reviews": 1})

    with pytest.raises(UnknownKeyError, match="did you mean 'negative_reviews'"):
        mapping["negative_review"]
    with pytest.raises(UnknownKeyError):
        mapping.remove("nothing")


def test_compares_equal_to_plain_mappings_and_not_to_other_things() -> None:
    assert FrozenDict({"a": 1}) == {"a": 1}
    assert FrozenDict({"a": 1}) != [("a", 1)]


def test_repr_shows_the_items() -> None:
    assert "FrozenDict({'a': 1})" == repr(FrozenDict({"a": 1}))


def test_copies_and_pickles_to_an_equal_value() -> None:
    mapping = FrozenDict({"a": 1})

    assert mapping == copy.deepcopy(mapping)
    assert mapping == pickle.loads(pickle.dumps(mapping))  # noqa: S301  own data


@given(items)
def test_equal_mappings_hash_equally_whatever_the_order(data: dict[str, int]) -> None:
    forward = FrozenDict(data)
    backward = FrozenDict(reversed(list(data.items())))

    assert forward == backward
    assert hash(forward) == hash(backward)


@given(items, st.text(max_size=4), st.integers())
def test_set_then_get_returns_the_value(
    data: dict[str, int], key: str, value: int
) -> None:
    assert value == FrozenDict(data).set(key, value)[key]
