"""The error tree: every error is a CrisisOpsError and its matching builtin."""

from __future__ import annotations

import pytest

from crisisops.errors import (
    CrisisOpsError,
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    SerializationError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (ValidationError("threshold", 1.5, "in [0, 1]"), ValueError),
        (NaiveDatetimeError("at", "2026-01-01"), ValueError),
        (InvalidTypeError("labels", 3, "a Labels"), TypeError),
        (UnknownKeyError("crisis type", "x", ["y"]), KeyError),
        (DuplicateKeyError("crisis type", "x"), ValueError),
        (TransitionError("phase", "REVIEW", "EXECUTION", ["WARNING"]), ValueError),
        (SerializationError("$.data", "bad"), ValueError),
    ],
)
def test_each_error_is_a_crisisops_error_and_its_builtin(
    error: CrisisOpsError, builtin: type[Exception]
) -> None:
    assert isinstance(error, CrisisOpsError)
    assert isinstance(error, builtin)


def test_validation_message_names_field_value_and_expectation() -> None:
    error = ValidationError("threshold", 1.5, "a number in [0, 1]")

    assert "'threshold' must be a number in [0, 1] (got 1.5)" == str(error)
    assert ("threshold", 1.5, "a number in [0, 1]") == (
        error.field,
        error.value,
        error.expected,
    )


def test_long_values_are_shortened_in_messages() -> None:
    error = ValidationError("note", "x" * 500, "short")

    assert len(str(error)) < 150
    assert str(error).endswith("...)")


def test_invalid_type_message_names_the_received_type() -> None:
    error = InvalidTypeError("labels", 3, "a Labels")

    assert "'labels' must be a Labels (got 3 of type int)" == str(error)


def test_unknown_key_suggests_close_keys() -> None:
    known = ["market.demand_shift", "market.competition", "product.performance"]

    error = UnknownKeyError("crisis type", "market.demand_shfit", known)

    assert ("market.demand_shift",) == error.suggestions
    assert (
        "unknown crisis type 'market.demand_shfit'; did you mean "
        "'market.demand_shift'?" == str(error)
    )


def test_unknown_key_without_close_keys_has_no_suggestion() -> None:
    error = UnknownKeyError("crisis type", "zzz", ["market.demand_shift"])

    assert () == error.suggestions
    assert "unknown crisis type 'zzz'" == str(error)


def test_transition_error_lists_allowed_next_states() -> None:
    error = TransitionError("phase", "REVIEW", "EXECUTION", ["WARNING"])

    assert "cannot move phase from REVIEW to EXECUTION; allowed next: WARNING" == str(
        error
    )


def test_transition_error_with_no_way_out_says_nothing() -> None:
    assert str(TransitionError("status", "closed", "open", [])).endswith("nothing")


def test_serialization_error_names_the_path_and_keeps_all_problems() -> None:
    error = SerializationError(
        "$.data.key", "bad key", [("$.data.key", "bad key"), ("$.data", "extra")]
    )

    assert "at $.data.key: bad key" == str(error)
    assert 2 == len(error.problems)
    assert (("$.x", "y"),) == SerializationError("$.x", "y").problems
