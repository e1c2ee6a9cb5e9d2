"""Shared checks in crisisops._validation."""

from __future__ import annotations

import pytest

from crisisops._validation import check_finite, check_unique_texts
from crisisops.errors import DuplicateKeyError, InvalidTypeError, ValidationError


def test_unique_texts_pass_quietly() -> None:
    check_unique_texts(tuple(f"sku-{i}" for i in range(10_000)), "entities", "entity")


@pytest.mark.parametrize(
    ("items", "error", "words"),
    [
        (["a"], InvalidTypeError, "'entities' must be a tuple"),
        ((), ValidationError, "at least one entity"),
        (("a", " "), ValidationError, r"'entities\[1\]' must be a non-empty"),
        (("a", 3), InvalidTypeError, r"'entities\[1\]' must be a str"),
        (("a", "b", "a"), DuplicateKeyError, "duplicate entity 'a'"),
    ],
)
def test_bad_entity_tuples_are_named(
    items: object, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        check_unique_texts(items, "entities", "entity")


def test_an_int_too_large_for_a_float_is_not_finite() -> None:
    # float(10**400) raises OverflowError; the check reports it as not finite.
    with pytest.raises(ValidationError, match="'amount' must be a finite number"):
        check_finite(10**400, "amount")
    assert 3.0 == check_finite(3, "amount")
