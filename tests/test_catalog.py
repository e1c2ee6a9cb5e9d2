"""Catalog: an immutable keyed collection whose changes are new catalogs."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops.catalog import Catalog
from crisisops.errors import DuplicateKeyError, InvalidTypeError, UnknownKeyError


@attrs.frozen
class Entry:
    key: str
    size: int = 0


@attrs.frozen
class EntryCatalog(Catalog[Entry]):
    entry_type = Entry
    kind = "entry"


ABC = EntryCatalog([Entry("alpha", 1), Entry("beta", 2), Entry("gamma", 3)])


def test_looks_up_by_key_and_iterates_in_order() -> None:
    assert Entry("beta", 2) == ABC["beta"]
    assert ("alpha", "beta", "gamma") == ABC.keys()
    assert [1, 2, 3] == [entry.size for entry in ABC]
    assert 3 == len(ABC)
    assert "alpha" in ABC
    assert Entry("alpha", 99) in ABC  # membership is by key
    assert 5 not in ABC


def test_get_returns_none_for_missing_keys() -> None:
    assert ABC.get("delta") is None
    assert Entry("gamma", 3) == ABC.get("gamma")


def test_unknown_key_suggests_the_closest() -> None:
    with pytest.raises(
        UnknownKeyError, match="unknown entry 'betta'; did you mean 'beta'"
    ):
        ABC["betta"]


def test_non_string_key_is_a_type_error() -> None:
    with pytest.raises(InvalidTypeError, match="'key' must be a str key"):
        ABC[1]  # type: ignore[index]  # the point of the test


def test_add_returns_a_new_catalog_and_leaves_the_old_one() -> None:
    bigger = ABC.add(Entry("delta"))

    assert ("alpha", "beta", "gamma", "delta") == bigger.keys()
    assert "delta" not in ABC
    assert isinstance(bigger, EntryCatalog)


def test_add_rejects_duplicate_keys() -> None:
    with pytest.raises(DuplicateKeyError, match="duplicate entry 'beta'"):
        ABC.add(Entry("beta", 7))
    with pytest.raises(DuplicateKeyError):
        ABC.add(Entry("x"), Entry("x"))


def test_replace_swaps_an_existing_entry_in_place() -> None:
    replaced = ABC.replace(Entry("beta", 20))

    assert [1, 20, 3] == [entry.size for entry in replaced]
    with pytest.raises(UnknownKeyError):
        ABC.replace(Entry("delta"))


def test_without_drops_entries_and_refuses_unknown_keys() -> None:
    assert ("alpha",) == ABC.without("beta", "gamma").keys()
    with pytest.raises(UnknownKeyError):
        ABC.without("delta")


def test_merge_and_select() -> None:
    other = EntryCatalog([Entry("delta", 4)])

    assert 4 == len(ABC.merge(other))
    assert ("beta", "gamma") == ABC.select(lambda e: e.size >= 2).keys()
    with pytest.raises(DuplicateKeyError):
        ABC.merge(ABC)


def test_entries_must_be_of_the_catalog_type() -> None:
    with pytest.raises(InvalidTypeError, match=r"'entries\[1\]' must be a Entry"):
        EntryCatalog([Entry("a"), "b"])
    with pytest.raises(InvalidTypeError, match="'entries' must be a tuple"):
        EntryCatalog("abc")


def test_untyped_catalog_requires_string_keys() -> None:
    assert ("a",) == Catalog([Entry("a")]).keys()
    with pytest.raises(InvalidTypeError, match=r"entries\[0\]\.key"):
        Catalog([Entry(5)])  # type: ignore[arg-type]


def test_catalog_is_immutable_and_hashable() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ABC.entries = ()  # type: ignore[misc]  # the point of the test
    assert hash(ABC) == hash(EntryCatalog(list(ABC)))


@given(st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), unique=True))
def test_every_entry_is_found_by_its_key(keys: list[str]) -> None:
    catalog = EntryCatalog([Entry(key, i) for i, key in enumerate(keys)])

    assert tuple(keys) == catalog.keys()
    assert all(catalog[key].size == i for i, key in enumerate(keys))
