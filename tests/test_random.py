"""Tests for crisisops._random: explicit, reproducible randomness."""

import re
import typing
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops._random import SeedLike, resolve_rng
from crisisops.errors import CrisisOpsError, InvalidTypeError, ValidationError


def field_pattern(field: str) -> str:
    """Return a regex that finds ``'field'`` quoted in an error message."""
    return re.escape(repr(field))


def test_seed_like_is_int_or_generator() -> None:
    assert set(typing.get_args(SeedLike)) == {int, np.random.Generator}


def test_int_seed_gives_a_fresh_generator() -> None:
    rng = resolve_rng(2026)
    assert isinstance(rng, np.random.Generator)
    expected = np.random.default_rng(2026).integers(0, 1_000_000, size=5)
    assert np.array_equal(resolve_rng(2026).integers(0, 1_000_000, size=5), expected)


@given(st.integers(min_value=0, max_value=2**128))
def test_same_seed_gives_the_same_draws(seed: int) -> None:
    first = resolve_rng(seed).random(8)
    second = resolve_rng(seed).random(8)
    assert np.array_equal(first, second)


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_numpy_integer_seeds_match_int_seeds(seed: int) -> None:
    expected = resolve_rng(seed).random(4)
    scalars: list[Any] = [np.int64(seed), np.uint64(seed)]
    for scalar in scalars:
        assert np.array_equal(resolve_rng(scalar).random(4), expected)


def test_small_numpy_integer_types_are_accepted() -> None:
    expected = resolve_rng(7).random(3)
    for value in (np.int8(7), np.uint8(7), np.int32(7), np.uint16(7)):
        scalar: Any = value
        assert np.array_equal(resolve_rng(scalar).random(3), expected)


def test_different_seeds_give_different_streams() -> None:
    assert not np.array_equal(resolve_rng(1).random(8), resolve_rng(2).random(8))


def test_generator_is_returned_as_is_with_state_untouched() -> None:
    shared = np.random.default_rng(11)
    state_before = shared.bit_generator.state
    assert resolve_rng(shared) is shared
    assert shared.bit_generator.state == state_before


def test_draws_through_a_passed_generator_advance_the_callers_stream() -> None:
    shared = np.random.default_rng(11)
    resolve_rng(shared).random()
    assert shared.random() == np.random.default_rng(11).random(2)[1]


def test_none_is_rejected_because_randomness_must_be_explicit() -> None:
    with pytest.raises(ValidationError, match=field_pattern("rng")) as info:
        resolve_rng(None)  # type: ignore[arg-type]
    message = str(info.value)
    assert "reproducible" in message
    assert "explicit" in message
    assert info.value.field == "rng"
    assert info.value.value is None


def test_field_name_is_used_in_messages() -> None:
    with pytest.raises(ValidationError, match=field_pattern("trial_seed")):
        resolve_rng(None, "trial_seed")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=field_pattern("trial_seed")):
        resolve_rng(1.5, field="trial_seed")  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [-1, -(2**70), np.int64(-3)])
def test_negative_seeds_are_rejected(seed: Any) -> None:
    with pytest.raises(ValidationError, match=field_pattern("rng")) as info:
        resolve_rng(seed)
    assert info.value.field == "rng"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "seed",
    [
        True,
        False,
        np.bool_(True),  # noqa: FBT003  a numpy bool scalar, not a flag
        1.0,
        np.float64(3.0),
        "42",
        b"42",
        [1, 2],
        np.random.RandomState(0),
        np.random.PCG64(1),
        np.random.SeedSequence(1),
    ],
    ids=repr,
)
def test_wrong_types_are_rejected(seed: Any) -> None:
    with pytest.raises(InvalidTypeError, match=field_pattern("rng")) as info:
        resolve_rng(seed)
    assert info.value.field == "rng"
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, CrisisOpsError)
