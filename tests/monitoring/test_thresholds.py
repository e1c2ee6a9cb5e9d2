"""ThresholdSet alignment to another entity order, and seasonal rows."""

from __future__ import annotations

import math

import pytest

from crisisops.errors import ValidationError
from crisisops.monitoring.thresholds import ThresholdSet, bounds_at

from .build import days


def _set() -> ThresholdSet:
    stamps = days(2)
    return ThresholdSet(
        version="v1",
        fitted_through=stamps[0],
        valid_from=stamps[1],
        entities=("a", "b"),
        bounds={
            "flat": [1.0, 2.0],
            "weekday": [[float(d), 10.0 + d] for d in range(7)],
        },
    )


def test_bounds_follow_the_requested_entity_order_and_unknowns_get_nan() -> None:
    reordered = _set().reordered(["b", "z", "a"])

    assert [2.0, 1.0] == [reordered["flat"][0], reordered["flat"][2]]
    assert math.isnan(reordered["flat"][1])
    assert (7, 3) == reordered["weekday"].shape


def test_seasonal_bounds_pick_the_weekday_of_the_moment() -> None:
    tuesday = days(2)[1]  # 2026-03-03 is a Tuesday (weekday 1)

    aligned = _set().aligned(["a", "b"], tuesday)

    assert [1.0, 11.0] == aligned["weekday"].tolist()
    assert [1.0, 2.0] == aligned["flat"].tolist()


def test_seasonal_bounds_need_a_moment() -> None:
    with pytest.raises(ValidationError, match="'moment'"):
        bounds_at(_set().reordered(["a"]), None)


def test_bounds_already_in_order_come_back_unchanged_and_read_only() -> None:
    thresholds = _set()

    same = thresholds.reordered(iter(["a", "b"]))  # any iterable of entities

    assert [1.0, 2.0] == same["flat"].tolist()
    assert [[0.0, 10.0], [1.0, 11.0]] == same["weekday"][:2].tolist()
    assert not same["flat"].flags.writeable
    assert not same["weekday"].flags.writeable
    # A prefix or another order is still a reordering.
    assert [1.0] == thresholds.reordered(["a"])["flat"].tolist()
