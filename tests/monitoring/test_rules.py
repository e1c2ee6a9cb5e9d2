"""TriggerRule validation: tiers, persistence, clearing, missing data."""

from __future__ import annotations

from typing import Any

import pytest

from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.monitoring.conditions import (
    Above,
    Below,
    Calibrated,
    Change,
    Raw,
    Threshold,
)
from crisisops.monitoring.rules import (
    Consecutive,
    MissingData,
    MOfN,
    Tier,
    TriggerRule,
)
from crisisops.taxonomy import ResponseLevel

GMV = "sales.gmv"
DROP = Change(metric=GMV)


def _tier(level: ResponseLevel, bound: float) -> Tier:
    return Tier(level, Threshold(signal=DROP, predicate=Below(bound)))


def _rule(**changes: Any) -> TriggerRule:
    fields: dict[str, Any] = {
        "name": "sales_crisis",
        "crisis_type": "market.demand_shift",
        "tiers": [
            _tier(ResponseLevel.IV, -0.10),
            _tier(ResponseLevel.III, -0.20),
            _tier(ResponseLevel.II, -0.40),
        ],
    }
    fields.update(changes)
    return TriggerRule(**fields)


def test_a_rule_lists_its_levels_and_metrics() -> None:
    rule = _rule(
        clear_condition=Threshold(signal=Raw("feedback.rating"), predicate=Above(4.0))
    )

    assert (ResponseLevel.IV, ResponseLevel.III, ResponseLevel.II) == rule.levels
    assert (GMV, "feedback.rating") == rule.metrics


def test_defaults_fire_on_first_breach_and_clear_on_first_clean_period() -> None:
    rule = _rule()

    assert Consecutive(1) == rule.persistence
    assert 1 == rule.clear_after
    assert 0 == rule.cooldown
    assert MissingData.BREAK == rule.missing
    assert FrozenDict() == rule.labels


def test_tiers_must_run_from_least_to_most_severe() -> None:
    tiers = [_tier(ResponseLevel.III, -0.2), _tier(ResponseLevel.IV, -0.1)]

    with pytest.raises(ValidationError, match=r"'tiers\[1\]\.level'"):
        _rule(tiers=tiers)


def test_two_tiers_may_not_share_a_level() -> None:
    tiers = [_tier(ResponseLevel.IV, -0.1), _tier(ResponseLevel.IV, -0.2)]

    with pytest.raises(ValidationError, match="more severe"):
        _rule(tiers=tiers)


def test_more_severe_tiers_need_stricter_bounds() -> None:
    tiers = [_tier(ResponseLevel.IV, -0.2), _tier(ResponseLevel.III, -0.1)]

    with pytest.raises(
        ValidationError, match=r"'tiers\[1\]\.condition\.predicate\.bound'"
    ):
        _rule(tiers=tiers)


def test_above_tiers_need_rising_bounds() -> None:
    reviews = Raw("feedback.negative_reviews")
    tiers = [
        Tier(ResponseLevel.IV, Threshold(signal=reviews, predicate=Above(50.0))),
        Tier(ResponseLevel.III, Threshold(signal=reviews, predicate=Above(40.0))),
    ]

    with pytest.raises(ValidationError, match="strictly above"):
        _rule(tiers=tiers)


def test_tiers_on_calibrated_bounds_are_not_compared() -> None:
    tiers = [
        Tier(
            ResponseLevel.IV, Threshold(signal=DROP, predicate=Below(Calibrated("a")))
        ),
        Tier(
            ResponseLevel.III, Threshold(signal=DROP, predicate=Below(Calibrated("b")))
        ),
    ]

    assert 2 == len(_rule(tiers=tiers).tiers)


def test_a_clear_condition_must_sit_beyond_the_fire_bound() -> None:
    dead_band = Threshold(signal=DROP, predicate=Above(-0.05))
    overlapping = Threshold(signal=DROP, predicate=Above(-0.15))
    same_side = Threshold(signal=DROP, predicate=Below(-0.3))

    assert dead_band == _rule(clear_condition=dead_band).clear_condition
    with pytest.raises(ValidationError, match="dead band"):
        _rule(clear_condition=overlapping)
    with pytest.raises(ValidationError, match="opposite side"):
        _rule(clear_condition=same_side)


def test_no_data_policy_needs_a_maximum_gap_and_only_it() -> None:
    assert 3 == _rule(missing=MissingData.NO_DATA, max_gap=3).max_gap
    with pytest.raises(ValidationError, match="'max_gap'"):
        _rule(missing=MissingData.NO_DATA)
    with pytest.raises(ValidationError, match="'max_gap'"):
        _rule(missing=MissingData.HOLD, max_gap=3)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"name": "Sales Crisis"}, ValidationError, "name"),
        ({"crisis_type": ""}, ValidationError, "crisis_type"),
        ({"tiers": []}, ValidationError, "tiers"),
        ({"tiers": [Raw(GMV)]}, InvalidTypeError, "tiers[0]"),
        ({"persistence": 3}, InvalidTypeError, "persistence"),
        ({"clear_after": 0}, ValidationError, "clear_after"),
        ({"clear_after": 1.5}, InvalidTypeError, "clear_after"),
        ({"cooldown": -1}, ValidationError, "cooldown"),
        ({"missing": "hold"}, InvalidTypeError, "missing"),
        ({"labels": {"team": 5}}, InvalidTypeError, "labels"),
        ({"clear_condition": Raw(GMV)}, InvalidTypeError, "clear_condition"),
        ({"description": None}, InvalidTypeError, "description"),
    ],
)
def test_bad_rule_fields_are_refused_naming_the_field(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        _rule(**changes)

    assert f"'{field}'" in str(caught.value)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Consecutive(0), "n"),
        (lambda: MOfN(0, 3), "m"),
        (lambda: MOfN(4, 3), "n"),
        (
            lambda: Tier("II", Threshold(signal=DROP, predicate=Below(0.0))),  # type: ignore[arg-type]
            "level",
        ),
        (lambda: Tier(ResponseLevel.II, DROP), "condition"),  # type: ignore[arg-type]
    ],
)
def test_bad_persistence_and_tiers_are_refused(
    build: Any,
    field: str,
) -> None:
    with pytest.raises((ValidationError, InvalidTypeError)) as caught:
        build()

    assert f"'{field}'" in str(caught.value)


def test_labels_are_frozen() -> None:
    rule = _rule(labels={"team": "sales"})

    assert FrozenDict({"team": "sales"}) == rule.labels
