"""Expert aggregation, past cases and blending (book §3 專家意見 + 歷史案例)."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.risk.scales import (
    ImpactRating,
    ImpactRule,
    default_impact_scale,
    default_likelihood_scale,
)
from crisisops.risk.scoring import (
    Aggregation,
    BlendedLikelihood,
    ExpertConsensus,
    ExpertRating,
    aggregate_ratings,
    blend,
    history_weight,
    likelihood_from_history,
)
from crisisops.serialization import from_data, to_data


def _round_trip(value: Any) -> Any:
    document = to_data(value)
    return from_data(type(value), json.loads(json.dumps(document, allow_nan=False)))


def _ratings(*rows: tuple[int, int, float]) -> list[ExpertRating]:
    return [
        ExpertRating(expert=f"e{n}", likelihood=lk, impact=im, weight=w)
        for n, (lk, im, w) in enumerate(rows)
    ]


# --- aggregation on hand-computed ratings -----------------------------------------


def test_weighted_mean_on_hand_computed_ratings() -> None:
    ratings = _ratings((3, 4, 2.0), (2, 4, 1.0), (4, 5, 1.0))

    consensus = aggregate_ratings(ratings)

    # likelihood (2·3 + 2 + 4) / 4 = 3; impact (2·4 + 4 + 5) / 4 = 4.25
    assert 3.0 == consensus.likelihood
    assert 4.25 == consensus.impact
    assert (3, 4) == (consensus.likelihood_level, consensus.impact_level)
    # dispersion: sqrt((2·0 + 1 + 1) / 4) = sqrt(0.5); impact sqrt(0.1875)
    assert math.sqrt(0.5) == pytest.approx(consensus.likelihood_dispersion)
    assert math.sqrt(0.1875) == pytest.approx(consensus.impact_dispersion)
    assert ("e0", "e1", "e2") == consensus.experts
    assert 4.0 == consensus.total_weight
    assert Aggregation.WEIGHTED_MEAN is consensus.method


def test_median_with_equal_weights_is_the_ordinary_median() -> None:
    odd = aggregate_ratings(
        _ratings((1, 5, 1), (2, 4, 1), (5, 1, 1)), Aggregation.MEDIAN
    )
    even = aggregate_ratings(
        _ratings((1, 1, 1), (2, 2, 1), (3, 2, 1), (4, 5, 1)), Aggregation.MEDIAN
    )

    assert (2.0, 4.0) == (odd.likelihood, odd.impact)
    # [1, 2, 3, 4] → (2 + 3) / 2 = 2.5, rounded half up to 3; impacts [1, 2, 2, 5] → 2
    assert (2.5, 3) == (even.likelihood, even.likelihood_level)
    assert (2.0, 2) == (even.impact, even.impact_level)


def test_weighted_median_follows_the_weight() -> None:
    # levels 1, 2, 5 weighing 1, 1, 3: cumulative 1, 2, 5 of 5 → half (2.5) at 5
    heavy = aggregate_ratings(
        _ratings((1, 1, 1.0), (2, 1, 1.0), (5, 1, 3.0)), Aggregation.MEDIAN
    )
    # weights 1, 2, 1 on 1, 3, 5: cumulative 1, 3, 4 → half (2) inside level 3
    middle = aggregate_ratings(
        _ratings((1, 1, 1.0), (3, 1, 2.0), (5, 1, 1.0)), Aggregation.MEDIAN
    )
    # weights 0.1 + 0.2 = 0.3 of 0.6 exactly half, despite floating point: (1+4)/2
    tenths = aggregate_ratings(
        _ratings((1, 1, 0.1), (1, 1, 0.2), (4, 1, 0.3)), Aggregation.MEDIAN
    )

    assert 5.0 == heavy.likelihood
    assert 3.0 == middle.likelihood
    assert 2.5 == tenths.likelihood


def test_geometric_mean_on_hand_computed_ratings() -> None:
    # sqrt(2·8) = 4; (1^1 · 16^3)^(1/4) = 16^0.75 = 8
    plain = aggregate_ratings(
        _ratings((2, 1, 1.0), (8, 16, 1.0)), Aggregation.GEOMETRIC_MEAN
    )
    weighted = aggregate_ratings(
        _ratings((1, 1, 1.0), (16, 16, 3.0)), Aggregation.GEOMETRIC_MEAN
    )

    assert 4.0 == pytest.approx(plain.likelihood)
    assert 4.0 == pytest.approx(plain.impact)
    assert 8.0 == pytest.approx(weighted.likelihood)
    assert 8 == weighted.likelihood_level
    assert (
        plain.likelihood < aggregate_ratings(_ratings((2, 1, 1), (8, 16, 1))).likelihood
    )


def test_the_methods_have_bilingual_labels() -> None:
    assert ["加權平均", "加權中位數", "加權幾何平均"] == [
        method.labels.zh_hant for method in Aggregation
    ]


# --- dispersion and Delphi rounds ---------------------------------------------------


def test_agreement_has_no_dispersion() -> None:
    consensus = aggregate_ratings(_ratings((3, 2, 1), (3, 2, 5)))

    assert 0.0 == consensus.likelihood_dispersion == consensus.impact_dispersion
    assert not consensus.needs_another_round


def test_dispersion_threshold_flags_another_round() -> None:
    # two equal experts two levels apart: sd exactly 1.0, not above the threshold
    close = aggregate_ratings(_ratings((2, 3, 1), (4, 3, 1)))
    # three levels apart: sd 1.5 > 1.0
    apart = aggregate_ratings(_ratings((1, 3, 1), (4, 3, 1)))
    impact_apart = aggregate_ratings(_ratings((3, 1, 1), (3, 5, 1)))

    assert 1.0 == close.likelihood_dispersion
    assert not close.needs_another_round
    assert 1.5 == apart.likelihood_dispersion == apart.dispersion
    assert apart.needs_another_round
    assert 2.0 == impact_apart.impact_dispersion
    assert impact_apart.needs_another_round
    strict = aggregate_ratings(_ratings((2, 3, 1), (4, 3, 1)), max_dispersion=0.5)
    assert strict.needs_another_round
    assert 0.5 == strict.max_dispersion


def test_a_heavier_expert_moves_the_result_and_dispersion() -> None:
    # weights 3 and 1 on levels 1 and 5: mean 2, sd sqrt((3·1 + 1·9) / 4) = sqrt(3)
    consensus = aggregate_ratings(_ratings((1, 1, 3.0), (5, 1, 1.0)))

    assert 2.0 == consensus.likelihood
    assert math.sqrt(3.0) == pytest.approx(consensus.likelihood_dispersion)


# --- impact ratings per dimension ---------------------------------------------------


def test_per_dimension_impact_is_combined_by_the_rule_before_pooling() -> None:
    ratings = [
        ExpertRating(
            expert="finance",
            likelihood=2,
            impact=ImpactRating(levels={"financial": 4, "brand": 2}),
        ),
        ExpertRating(expert="pr", likelihood=2, impact=3),
    ]

    worst = aggregate_ratings(ratings)  # max: 4 and 3 → 3.5 → 4
    weighted = aggregate_ratings(
        ratings, impact_rule=ImpactRule.weighted({"financial": 1, "brand": 3})
    )  # (4 + 3·2) / 4 = 2.5 unrounded, with 3 → 2.75 → 3

    assert 3.5 == worst.impact
    assert 4 == worst.impact_level
    assert 2.75 == weighted.impact
    assert 3 == weighted.impact_level
    assert 2.5 == ratings[0].impact_value(
        ImpactRule.weighted({"financial": 1, "brand": 3})
    )
    assert 3.0 == ratings[1].impact_value()
    with pytest.raises(InvalidTypeError, match="'rule'"):
        ratings[1].impact_value("max")  # type: ignore[arg-type]


def test_scales_check_every_rating() -> None:
    ratings = [
        ExpertRating(expert="a", likelihood=2, impact=3),
        ExpertRating(expert="b", likelihood=6, impact=3),
    ]
    with pytest.raises(UnknownKeyError, match=r"ratings\[1\]\.likelihood"):
        aggregate_ratings(ratings, likelihood_scale=default_likelihood_scale())
    per_dimension = [
        ExpertRating(expert="a", likelihood=2, impact=ImpactRating(levels={"brand": 7}))
    ]
    with pytest.raises(UnknownKeyError, match=r"ratings\[0\]\.impact\.levels"):
        aggregate_ratings(per_dimension, impact_scale=default_impact_scale())
    plain = [ExpertRating(expert="a", likelihood=2, impact=6)]
    with pytest.raises(UnknownKeyError, match=r"ratings\[0\]\.impact"):
        aggregate_ratings(plain, impact_scale=default_impact_scale())
    ok = aggregate_ratings(
        ratings[:1],
        likelihood_scale=default_likelihood_scale(),
        impact_scale=default_impact_scale(),
    )
    assert (2, 3) == (ok.likelihood_level, ok.impact_level)


# --- bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"expert": ""}, ValidationError, "expert"),
        ({"expert": 7}, InvalidTypeError, "expert"),
        ({"likelihood": 0}, ValidationError, "likelihood"),
        ({"likelihood": 2.0}, InvalidTypeError, "likelihood"),
        ({"likelihood": True}, InvalidTypeError, "likelihood"),
        ({"impact": 0}, ValidationError, "impact"),
        ({"impact": "high"}, InvalidTypeError, "impact"),
        ({"weight": 0.0}, ValidationError, "weight"),
        ({"weight": -1.0}, ValidationError, "weight"),
        ({"weight": math.inf}, ValidationError, "weight"),
        ({"weight": "1"}, InvalidTypeError, "weight"),
        ({"note": ""}, ValidationError, "note"),
    ],
)
def test_bad_expert_ratings_are_rejected(
    kwargs: dict[str, object], error: type[Exception], field: str
) -> None:
    values: dict[str, object] = {"expert": "a", "likelihood": 2, "impact": 3}
    values.update(kwargs)
    with pytest.raises(error) as caught:
        ExpertRating(**values)  # type: ignore[arg-type]
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_numpy_levels_and_int_weights_are_accepted() -> None:
    rating = ExpertRating(
        expert="a", likelihood=np.int64(2), impact=np.int32(3), weight=2
    )

    assert 2 == rating.likelihood
    assert isinstance(rating.likelihood, int)
    assert 2.0 == rating.weight
    assert isinstance(rating.weight, float)


def test_bad_aggregation_input_is_rejected() -> None:
    ratings = _ratings((2, 3, 1.0))
    with pytest.raises(ValidationError, match="at least one"):
        aggregate_ratings([])
    with pytest.raises(InvalidTypeError, match="'ratings'"):
        aggregate_ratings("ratings")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'ratings'"):
        aggregate_ratings(3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"ratings\[1\]"):
        aggregate_ratings([*ratings, (2, 3)])  # type: ignore[list-item]
    with pytest.raises(DuplicateKeyError, match="'e0'"):
        aggregate_ratings(ratings * 2)
    with pytest.raises(InvalidTypeError, match="'method'"):
        aggregate_ratings(ratings, "median")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'impact_rule'"):
        aggregate_ratings(ratings, impact_rule="max")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'likelihood_scale'"):
        aggregate_ratings(ratings, likelihood_scale="5")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'max_dispersion'"):
        aggregate_ratings(ratings, max_dispersion=-0.1)
    with pytest.raises(ValidationError, match="'max_dispersion'"):
        aggregate_ratings(ratings, max_dispersion=math.nan)


def test_a_consensus_must_be_consistent() -> None:
    good = aggregate_ratings(_ratings((2, 3, 1), (3, 3, 1)))
    fields = {
        "method": good.method,
        "likelihood": good.likelihood,
        "impact": good.impact,
        "likelihood_level": good.likelihood_level,
        "impact_level": good.impact_level,
        "likelihood_dispersion": good.likelihood_dispersion,
        "impact_dispersion": good.impact_dispersion,
        "max_dispersion": good.max_dispersion,
        "experts": good.experts,
        "total_weight": good.total_weight,
    }
    assert good == ExpertConsensus(**fields)  # type: ignore[arg-type]
    for change, field, error in (
        ({"likelihood_level": 2}, "likelihood_level", ValidationError),
        ({"impact": 0.5}, "impact", ValidationError),
        ({"likelihood_dispersion": -1.0}, "likelihood_dispersion", ValidationError),
        ({"experts": ()}, "experts", ValidationError),
        ({"total_weight": 0.0}, "total_weight", ValidationError),
        ({"method": "median"}, "method", InvalidTypeError),
    ):
        with pytest.raises(error) as caught:
            ExpertConsensus(**{**fields, **change})  # type: ignore[arg-type]
        assert field == caught.value.field  # type: ignore[attr-defined]
    with pytest.raises(DuplicateKeyError, match="'e0'"):
        ExpertConsensus(**{**fields, "experts": ("e0", "e0")})  # type: ignore[arg-type]


# --- past cases --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("incidents", "years", "level"),
    [
        (0, 5.0, 1),  # no incident: the lowest level
        (1, 11.0, 1),  # 0.0909 a year, below 0.1
        (1, 10.0, 2),  # exactly 0.1 a year: the band above the edge
        (2, 4.0, 3),  # exactly 0.5
        (4, 4.0, 4),  # exactly 1
        (15, 4.0, 4),  # 3.75
        (16, 4.0, 5),  # exactly 4: every quarter
        (12, 1.0, 5),  # monthly
    ],
)
def test_history_converts_at_the_band_edges(
    incidents: int, years: float, level: int
) -> None:
    scale = default_likelihood_scale()

    assert level == likelihood_from_history(incidents, years, scale)
    assert [level] == likelihood_from_history([incidents], years, scale).tolist()  # type: ignore[union-attr]


def test_history_as_arrays_broadcasts() -> None:
    scale = default_likelihood_scale()

    levels = likelihood_from_history(np.array([0, 1, 2, 8]), np.array([2.0]), scale)

    assert isinstance(levels, np.ndarray)
    assert [1, 3, 4, 5] == levels.tolist()  # 0, 0.5, 1, 4 a year
    per_risk = likelihood_from_history([1, 1], [10.0, 1.0], scale)
    assert [2, 4] == per_risk.tolist()  # type: ignore[union-attr]
    assert 4 == likelihood_from_history(np.int64(3), np.float64(2.0), scale)


@pytest.mark.parametrize(
    ("incidents", "years", "error", "field"),
    [
        (-1, 1.0, ValidationError, "incidents"),
        (1.5, 1.0, InvalidTypeError, "incidents"),
        (2.0, 1.0, InvalidTypeError, "incidents"),
        (True, 1.0, InvalidTypeError, "incidents"),
        ("3", 1.0, InvalidTypeError, "incidents"),
        (1, 0.0, ValidationError, "years"),
        (1, -2.0, ValidationError, "years"),
        (1, math.inf, ValidationError, "years"),
        (1, "2", InvalidTypeError, "years"),
        ([1, -1], 1.0, ValidationError, "incidents[1]"),
        ([1.0, 2.0], 1.0, InvalidTypeError, "incidents"),
        ([1, 2], [1.0, 0.0], ValidationError, "years[1]"),
        ([1, 2], [1.0, math.nan], ValidationError, "years[1]"),
        ([1, 2], [1.0, 2.0, 3.0], ValidationError, "years"),
    ],
)
def test_bad_history_is_rejected(
    incidents: object, years: object, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        likelihood_from_history(incidents, years, default_likelihood_scale())  # type: ignore[call-overload]
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_ragged_or_overflowing_history_is_refused_naming_the_field() -> None:
    scale = default_likelihood_scale()
    with pytest.raises(InvalidTypeError, match="'incidents'"):
        likelihood_from_history([[1], [1, 2]], 1.0, scale)
    with pytest.raises(InvalidTypeError, match="'years'"):
        likelihood_from_history([1, 2], [[1.0], [1.0, 2.0]], scale)
    # 5 incidents in 1e-320 years is an infinite rate: the years are at fault
    with pytest.raises(ValidationError, match="'years'"):
        likelihood_from_history(5, 1e-320, scale)
    with pytest.raises(ValidationError, match=r"'years\[1\]'"):
        likelihood_from_history([1, 5], [1.0, 1e-320], scale)


def test_huge_weights_only_count_by_their_ratio() -> None:
    # weights 1e308 and 3e307 are 10 : 3, so the mean is (10·2 + 3·4)/13 by hand
    huge = aggregate_ratings(_ratings((2, 1, 1e308), (4, 1, 3e307)))
    small = aggregate_ratings(_ratings((2, 1, 10.0), (4, 1, 3.0)))

    assert 32.0 / 13.0 == pytest.approx(huge.likelihood, rel=1e-12)
    assert small.likelihood == pytest.approx(huge.likelihood, rel=1e-12)
    assert small.likelihood_dispersion == pytest.approx(
        huge.likelihood_dispersion, rel=1e-12
    )
    with pytest.raises(ValidationError, match=r"'ratings'.*finite"):
        aggregate_ratings(_ratings((2, 1, 1e308), (4, 1, 1e308)))


def test_history_needs_a_scale_with_bands() -> None:
    with pytest.raises(ValidationError, match="frequency bands"):
        likelihood_from_history(1, 1.0, default_impact_scale())
    with pytest.raises(InvalidTypeError, match="'scale'"):
        likelihood_from_history(1, 1.0, "likelihood")  # type: ignore[call-overload]


# --- blending ---------------------------------------------------------------------


def test_history_weight_grows_with_years() -> None:
    assert 0.0 == history_weight(0.0)
    assert 0.5 == history_weight(3.0)
    assert 0.75 == history_weight(9.0)
    assert 0.5 == history_weight(5.0, half_weight_years=5.0)
    weights = [history_weight(float(y)) for y in range(30)]
    assert weights == sorted(weights)
    assert all(0.0 <= w < 1.0 for w in weights)


def test_bad_history_weights_are_rejected() -> None:
    with pytest.raises(ValidationError, match="'years'"):
        history_weight(-1.0)
    with pytest.raises(InvalidTypeError, match="'years'"):
        history_weight("3")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'half_weight_years'"):
        history_weight(3.0, half_weight_years=0.0)


def test_blend_on_hand_computed_levels() -> None:
    # 0.75 · 2.4 + 0.25 · 4 = 2.8 → 3
    blended = blend(2.4, 4, 0.25)
    # 0.5 · 2 + 0.5 · 3 = 2.5 → 3 (half up)
    half = blend(2, 3, 0.5)

    assert 3 == blended.level
    assert 2.8 == pytest.approx(blended.value)
    assert (2.4, 4, 0.25) == (
        blended.expert_likelihood,
        blended.historical_likelihood,
        blended.history_weight,
    )
    assert "→ level 3" in blended.explanation
    assert (3, 2.5) == (half.level, half.value)
    assert 2 == blend(2.0, 5, 0.0).level  # experts only
    assert 5 == blend(2.0, 5, 1.0).level  # history only


def test_blend_checks_its_input() -> None:
    with pytest.raises(ValidationError, match="'expert_likelihood'"):
        blend(0.5, 2, 0.5)
    with pytest.raises(InvalidTypeError, match="'expert_likelihood'"):
        blend("3", 2, 0.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'historical_likelihood'"):
        blend(2.0, 0, 0.5)
    with pytest.raises(InvalidTypeError, match="'historical_likelihood'"):
        blend(2.0, 2.5, 0.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'history_weight'"):
        blend(2.0, 2, 1.5)
    with pytest.raises(ValidationError, match="'history_weight'"):
        blend(2.0, 2, math.nan)
    scale = default_likelihood_scale()
    with pytest.raises(UnknownKeyError, match="historical_likelihood"):
        blend(2.0, 6, 0.5, scale=scale)
    with pytest.raises(ValidationError, match="'expert_likelihood'"):
        blend(5.5, 2, 0.5, scale=scale)
    with pytest.raises(InvalidTypeError, match="'scale'"):
        blend(2.0, 2, 0.5, scale="5")  # type: ignore[arg-type]


def test_a_blended_likelihood_must_follow_from_its_inputs() -> None:
    with pytest.raises(ValidationError, match="'value'"):
        BlendedLikelihood(
            level=3,
            value=3.0,
            expert_likelihood=2.0,
            historical_likelihood=4,
            history_weight=0.25,
        )
    with pytest.raises(ValidationError, match="'level'"):
        BlendedLikelihood(
            level=2,
            value=2.5,
            expert_likelihood=2.0,
            historical_likelihood=3,
            history_weight=0.5,
        )


def test_the_worked_example_from_experts_and_history() -> None:
    scale = default_likelihood_scale()
    consensus = aggregate_ratings(_ratings((3, 4, 2.0), (2, 4, 1.0), (4, 5, 1.0)))
    # 5 outages in 3 years: 1.67 a year → level 4; three years weigh 0.5
    history = likelihood_from_history(5, 3.0, scale)

    blended = blend(consensus.likelihood, history, history_weight(3.0), scale=scale)

    assert 4 == history
    assert (3.5, 4) == (blended.value, blended.level)


# --- properties -----------------------------------------------------------------


rating_rows = st.lists(
    st.tuples(
        st.integers(1, 7),
        st.integers(1, 7),
        st.floats(0.01, 100.0, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=8,
)


@given(rating_rows, st.sampled_from(Aggregation))
@settings(max_examples=80, deadline=None)
def test_aggregation_stays_within_the_ratings(
    rows: list[tuple[int, int, float]], method: Aggregation
) -> None:
    consensus = aggregate_ratings(_ratings(*rows), method)
    likelihoods = [row[0] for row in rows]
    impacts = [row[1] for row in rows]

    assert min(likelihoods) <= consensus.likelihood <= max(likelihoods)
    assert min(impacts) <= consensus.impact <= max(impacts)
    assert min(likelihoods) <= consensus.likelihood_level <= max(likelihoods)
    assert min(impacts) <= consensus.impact_level <= max(impacts)
    assert consensus.likelihood_dispersion <= (max(likelihoods) - min(likelihoods))


@given(rating_rows, st.sampled_from(Aggregation), st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_the_order_of_the_experts_changes_nothing(
    rows: list[tuple[int, int, float]], method: Aggregation, random: Any
) -> None:
    ratings = _ratings(*rows)
    shuffled = list(ratings)
    random.shuffle(shuffled)

    first = aggregate_ratings(ratings, method)
    second = aggregate_ratings(shuffled, method)

    assert first.experts == tuple(r.expert for r in ratings)
    assert second.experts == tuple(r.expert for r in shuffled)
    for name in (
        "likelihood",
        "impact",
        "likelihood_level",
        "impact_level",
        "likelihood_dispersion",
        "impact_dispersion",
        "total_weight",
    ):
        assert getattr(first, name) == getattr(second, name), name


@given(rating_rows, st.sampled_from(Aggregation))
@settings(max_examples=40, deadline=None)
def test_consensus_and_ratings_round_trip(
    rows: list[tuple[int, int, float]], method: Aggregation
) -> None:
    ratings = _ratings(*rows)
    consensus = aggregate_ratings(ratings, method)

    assert consensus == _round_trip(consensus)
    for rating in ratings:
        assert rating == _round_trip(rating)


@given(
    st.integers(1, 5),
    st.dictionaries(
        st.sampled_from(["financial", "brand", "market_position"]),
        st.integers(1, 5),
        min_size=1,
    ),
    st.one_of(st.none(), st.text(min_size=1).filter(str.strip)),
)
@settings(max_examples=40, deadline=None)
def test_per_dimension_ratings_round_trip(
    likelihood: int, levels: dict[str, int], note: str | None
) -> None:
    rating = ExpertRating(
        expert="a", likelihood=likelihood, impact=ImpactRating(levels=levels), note=note
    )

    assert rating == _round_trip(rating)


@given(
    st.floats(1.0, 5.0, allow_nan=False),
    st.integers(1, 5),
    st.floats(0.0, 1.0, allow_nan=False),
)
@settings(max_examples=60, deadline=None)
def test_blends_lie_between_their_inputs_and_round_trip(
    expert: float, history: int, weight: float
) -> None:
    blended = blend(expert, history, weight)

    low, high = sorted((expert, float(history)))
    assert low - 1e-12 <= blended.value <= high + 1e-12
    assert blended == _round_trip(blended)


def test_untrusted_consensus_documents_are_validated() -> None:
    document = to_data(aggregate_ratings(_ratings((2, 3, 1), (3, 3, 1))))
    document["data"]["likelihood_level"] = 5

    with pytest.raises(SerializationError, match=r"\$\.data\.likelihood_level"):
        from_data(ExpertConsensus, document)
