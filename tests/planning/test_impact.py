"""Impact assessment over the book's five dimensions (book §4 確定影響範圍)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.planning.causes import Evidence
from crisisops.planning.impact import (
    DEFAULT_BANDS,
    IMPACT_SCORES,
    DimensionImpact,
    ImpactAssessment,
    ImpactDimension,
    LevelBands,
    MoneyEstimate,
    MoneyKind,
    OverallRule,
    check_currency,
)
from crisisops.risk.scales import default_impact_scale
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 11, 11, 10, 0, tzinfo=TAIPEI)


def _round_trip(value: Any) -> Any:
    text = json.dumps(to_data(value), allow_nan=False, ensure_ascii=False)
    return from_data(type(value), json.loads(text))


def _assessment(scores: dict[str, int], **kwargs: Any) -> ImpactAssessment:
    return ImpactAssessment(
        crisis_key="peak_2026.stockout",
        assessed_at=AT,
        impacts=[DimensionImpact(dimension=d, score=s) for d, s in scores.items()],
        **kwargs,
    )


def _money(kind: MoneyKind, amount: float, currency: str = "CNY") -> MoneyEstimate:
    return MoneyEstimate(kind=kind, amount=amount, currency=currency)


# --- the scale and the book's vocabulary ----------------------------------------------


def test_scores_are_the_levels_of_the_default_impact_scale() -> None:
    assert default_impact_scale().values == IMPACT_SCORES


def test_every_money_kind_has_labels_and_a_home_dimension_or_none() -> None:
    assert "利潤損失" == MoneyKind.PROFIT_LOSS.labels.zh_hant
    assert ImpactDimension.FINANCIAL is MoneyKind.CASH_FLOW_SHORTFALL.dimension
    assert ImpactDimension.BRAND is MoneyKind.BRAND_RECOVERY_COST.dimension
    assert MoneyKind.OTHER_COST.dimension is None
    # revenue and cash flow would double count the profit hit: left out of totals
    assert [MoneyKind.REVENUE_LOSS, MoneyKind.CASH_FLOW_SHORTFALL] == [
        kind for kind in MoneyKind if not kind.in_default_total
    ]
    assert "加權平均" == OverallRule.WEIGHTED.labels.zh_hant


# --- hand-worked assessments ----------------------------------------------------------


def test_the_worst_dimension_sets_the_overall_score_and_level() -> None:
    assessment = _assessment({"financial": 4, "brand": 2, "customer_relationship": 3})

    # MAX rule: max(4, 2, 3) = 4, in the band [3.5, 4.5) → Level II
    assert 4.0 == assessment.overall_score()
    assert ResponseLevel.II is assessment.suggested_level()


def test_the_weighted_rule_takes_the_weighted_mean_of_the_assessed_dimensions() -> None:
    assessment = _assessment(
        {"financial": 4, "brand": 2, "customer_relationship": 3},
        rule=OverallRule.WEIGHTED,
        # weights of unassessed dimensions are ignored (renormalised away)
        weights={
            "financial": 2,
            "brand": 1,
            "customer_relationship": 1,
            "supply_chain": 9,
        },
    )

    # (2·4 + 1·2 + 1·3) / (2 + 1 + 1) = 13 / 4 = 3.25 → [2.5, 3.5) → Level III
    assert 3.25 == assessment.overall_score()
    assert ResponseLevel.III is assessment.suggested_level()


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1, ResponseLevel.IV),
        (2, ResponseLevel.IV),
        (3, ResponseLevel.III),
        (4, ResponseLevel.II),
        (5, ResponseLevel.I),
    ],
)
def test_whole_scores_map_to_the_documented_levels(
    score: int, level: ResponseLevel
) -> None:
    assert level is _assessment({"brand": score}).suggested_level()


@pytest.mark.parametrize(
    ("scores", "weights", "expected_score", "level"),
    [
        # (2 + 3) / 2 = 2.5: exactly on the Level III edge
        ({"financial": 2, "brand": 3}, {"financial": 1, "brand": 1}, 2.5, "III"),
        # (3·2 + 1·3) / 4 = 2.25: below it
        ({"financial": 2, "brand": 3}, {"financial": 3, "brand": 1}, 2.25, "IV"),
        # (3 + 4) / 2 = 3.5: exactly on the Level II edge
        ({"financial": 3, "brand": 4}, {"financial": 1, "brand": 1}, 3.5, "II"),
        # (4 + 5) / 2 = 4.5: exactly on the Level I edge
        ({"financial": 4, "brand": 5}, {"financial": 1, "brand": 1}, 4.5, "I"),
        # (2·4 + 1·5) / 3 = 4.333…: below it
        ({"financial": 4, "brand": 5}, {"financial": 2, "brand": 1}, 13 / 3, "II"),
        # a zero weight drops a dimension: 5 alone
        ({"financial": 1, "brand": 5}, {"financial": 0, "brand": 1}, 5.0, "I"),
    ],
)
def test_weighted_scores_at_the_band_edges(
    scores: dict[str, int],
    weights: dict[str, float],
    expected_score: float,
    level: str,
) -> None:
    assessment = _assessment(scores, rule="weighted", weights=weights)

    assert math.isclose(expected_score, assessment.overall_score())
    assert ResponseLevel(level) is assessment.suggested_level()


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1.0, "IV"),
        (2.4999, "IV"),
        (2.5, "III"),
        (3.4999, "III"),
        (3.5, "II"),
        (4.4999, "II"),
        (4.5, "I"),
        (5.0, "I"),
        (5, "I"),
    ],
)
def test_default_bands_include_their_lower_edge(score: float, level: str) -> None:
    assert ResponseLevel(level) is DEFAULT_BANDS.level_for(score)


def test_custom_bands_move_the_edges() -> None:
    strict = LevelBands(level_iii=2, level_ii=3, level_i=4)
    assessment = _assessment({"financial": 4})

    assert ResponseLevel.I is assessment.suggested_level(strict)
    assert ResponseLevel.II is assessment.suggested_level()
    assert ResponseLevel.III is strict.level_for(2)


def test_money_is_totalled_per_currency_without_double_counting() -> None:
    assessment = ImpactAssessment(
        crisis_key="peak_2026.stockout",
        assessed_at=AT,
        impacts=[
            DimensionImpact(
                dimension=ImpactDimension.FINANCIAL,
                score=4,
                estimates=[
                    _money(MoneyKind.REVENUE_LOSS, 500_000),
                    _money(MoneyKind.PROFIT_LOSS, 100_000),
                    _money(MoneyKind.CASH_FLOW_SHORTFALL, 300_000),
                    _money(MoneyKind.PROFIT_LOSS, 2_000, "USD"),
                ],
            ),
            DimensionImpact(
                dimension=ImpactDimension.BRAND,
                score=3,
                estimates=[_money(MoneyKind.BRAND_RECOVERY_COST, 30_000)],
                recovery_time=dt.timedelta(days=90),
            ),
            DimensionImpact(
                dimension=ImpactDimension.SUPPLY_CHAIN,
                score=4,
                estimates=[
                    _money(MoneyKind.SUPPLY_EXTRA_COST, 12_500.5),
                    _money(MoneyKind.OTHER_COST, 500, "USD"),
                ],
                affected=["supplier.shenzhen_01", "SKU-7"],
                knock_on=["SKU-8", "SKU-9"],
            ),
            DimensionImpact(
                dimension=ImpactDimension.CUSTOMER_RELATIONSHIP,
                score=3,
                estimates=[_money(MoneyKind.REMEDIATION_COST, 8_000)],
            ),
        ],
    )

    # default: profit + recovery + extra supply + remediation + other cost
    # CNY: 100,000 + 30,000 + 12,500.5 + 8,000 = 150,500.5; USD: 2,000 + 500
    assert {"CNY": 150_500.5, "USD": 2_500.0} == dict(assessment.total_money())
    assert ["CNY", "USD"] == list(assessment.total_money())
    assert {"CNY": 500_000.0} == dict(
        assessment.total_money(kinds=[MoneyKind.REVENUE_LOSS])
    )
    assert {"CNY": 800_000.0} == dict(
        assessment.total_money(kinds=["revenue_loss", "cash_flow_shortfall"])
    )
    assert {} == dict(assessment.total_money(kinds=()))
    supply = assessment.impact("supply_chain")
    assert supply is not None
    assert {"CNY": 12_500.5, "USD": 500.0} == dict(supply.total_money())


def test_queries_over_the_assessed_dimensions() -> None:
    assessment = ImpactAssessment.from_scores(
        "peak_2026.stockout",
        AT,
        {"customer_relationship": 3, ImpactDimension.FINANCIAL: 4},
    )

    # scores come back in the book's order, whatever the input order
    assert [ImpactDimension.FINANCIAL, ImpactDimension.CUSTOMER_RELATIONSHIP] == list(
        assessment.scores()
    )
    assert (
        ImpactDimension.BRAND,
        ImpactDimension.MARKET_POSITION,
        ImpactDimension.SUPPLY_CHAIN,
    ) == assessment.unassessed()
    assert assessment.impact(ImpactDimension.BRAND) is None
    financial = assessment.impact("financial")
    assert financial is not None
    assert 4 == financial.score


def test_dimension_details_are_kept() -> None:
    market = DimensionImpact(
        dimension="market_position",
        score=3,
        share_points_lost=1.5,
        recovery_time=dt.timedelta(days=180),
        estimates=[_money(MoneyKind.MARKET_RECOVERY_COST, 80_000)],
        notes="competitor took the 11.11 traffic",
        evidence=[
            Evidence(
                source="market share report",
                note="share 12.0% → 10.5%",
                observed_at=AT,
                metric="market.share",
            )
        ],
    )

    assert 1.5 == market.share_points_lost
    assert dt.timedelta(days=180) == market.recovery_time
    assert "market.share" == market.evidence[0].metric


# --- bad input ------------------------------------------------------------------------


def test_an_unknown_dimension_is_rejected_with_a_suggestion() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean 'financial'"):
        DimensionImpact(dimension="finance", score=3)
    with pytest.raises(InvalidTypeError, match="'dimension'"):
        DimensionImpact(dimension=3, score=3)


@pytest.mark.parametrize("score", [0, 6, -1])
def test_scores_outside_one_to_five_are_rejected(score: int) -> None:
    with pytest.raises(ValidationError, match="'score' must be a score from 1"):
        DimensionImpact(dimension="brand", score=score)


@pytest.mark.parametrize("score", [3.0, True, "3", None])
def test_scores_must_be_ints(score: object) -> None:
    with pytest.raises(InvalidTypeError, match="'score'"):
        DimensionImpact(dimension="brand", score=score)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "error", "text"),
    [
        (-1.0, ValidationError, "'amount' must be an amount >= 0"),
        (math.nan, ValidationError, "'amount' must be a finite number"),
        (math.inf, ValidationError, "'amount' must be a finite number"),
        ("10", InvalidTypeError, "'amount'"),
        (True, InvalidTypeError, "'amount'"),
    ],
)
def test_bad_money_amounts_are_rejected(
    amount: object, error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=re.escape(text)):
        MoneyEstimate(kind="profit_loss", amount=amount, currency="CNY")


@pytest.mark.parametrize("currency", ["cny", "RMB1", "", "元", "US"])
def test_currencies_must_be_iso_4217_codes(currency: str) -> None:
    with pytest.raises(ValidationError, match="'currency' must be an ISO 4217"):
        MoneyEstimate(kind="profit_loss", amount=1, currency=currency)
    with pytest.raises(ValidationError, match="'price'"):
        check_currency(currency, "price")


def test_money_kinds_must_be_known_and_of_a_type() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean 'profit_loss'"):
        MoneyEstimate(kind="profit_los", amount=1, currency="CNY")
    with pytest.raises(InvalidTypeError, match="'kind'"):
        MoneyEstimate(kind=1, amount=1, currency="CNY")
    with pytest.raises(InvalidTypeError, match="'currency'"):
        check_currency(840)


def test_a_money_kind_must_belong_to_its_dimension() -> None:
    with pytest.raises(
        ValidationError, match=r"'estimates\[0\]\.kind'.*belongs to 'financial'"
    ):
        DimensionImpact(
            dimension="brand",
            score=2,
            estimates=[_money(MoneyKind.PROFIT_LOSS, 10)],
        )


def test_a_kind_appears_once_per_currency() -> None:
    with pytest.raises(DuplicateKeyError, match="profit_loss in CNY"):
        DimensionImpact(
            dimension="financial",
            score=2,
            estimates=[
                _money(MoneyKind.PROFIT_LOSS, 10),
                _money(MoneyKind.PROFIT_LOSS, 20),
            ],
        )


def test_share_points_belong_to_market_position_and_lie_in_0_100() -> None:
    with pytest.raises(ValidationError, match=r"'share_points_lost'.*market_position"):
        DimensionImpact(dimension="brand", score=2, share_points_lost=1.0)
    with pytest.raises(ValidationError, match="'share_points_lost'"):
        DimensionImpact(dimension="market_position", score=2, share_points_lost=101)
    with pytest.raises(ValidationError, match="'share_points_lost'"):
        DimensionImpact(dimension="market_position", score=2, share_points_lost=-0.1)


def test_recovery_time_must_be_a_non_negative_timedelta() -> None:
    with pytest.raises(ValidationError, match="'recovery_time' must be a duration"):
        DimensionImpact(dimension="brand", score=2, recovery_time=dt.timedelta(-1))
    with pytest.raises(InvalidTypeError, match="'recovery_time'"):
        DimensionImpact(dimension="brand", score=2, recovery_time=30)  # type: ignore[arg-type]


def test_affected_and_knock_on_are_unique_and_disjoint() -> None:
    with pytest.raises(DuplicateKeyError, match="'SKU-7'"):
        DimensionImpact(dimension="supply_chain", score=2, affected=["SKU-7", "SKU-7"])
    with pytest.raises(ValidationError, match=r"'knock_on'.*'SKU-7'"):
        DimensionImpact(
            dimension="supply_chain", score=2, affected=["SKU-7"], knock_on=["SKU-7"]
        )
    with pytest.raises(ValidationError, match=r"'knock_on\[0\]'"):
        DimensionImpact(dimension="supply_chain", score=2, knock_on=[" "])
    with pytest.raises(InvalidTypeError, match="'affected'"):
        DimensionImpact(dimension="supply_chain", score=2, affected="SKU-7")


def test_naive_datetimes_are_rejected() -> None:
    naive = dt.datetime(2026, 11, 11, 10, 0)  # noqa: DTZ001  the bad input under test
    with pytest.raises(NaiveDatetimeError, match="'assessed_at'"):
        ImpactAssessment(
            crisis_key="peak.stockout",
            assessed_at=naive,
            impacts=[DimensionImpact(dimension="brand", score=2)],
        )
    with pytest.raises(NaiveDatetimeError, match="'observed_at'"):
        Evidence(source="dashboard", observed_at=naive)


def test_evidence_needs_a_source_and_a_well_formed_metric_key() -> None:
    with pytest.raises(ValidationError, match="'source'"):
        Evidence(source=" ")
    with pytest.raises(ValidationError, match="'metric'"):
        Evidence(source="dashboard", metric="Sales GMV")


def test_an_assessment_needs_a_key_impacts_and_unique_dimensions() -> None:
    # The crisis identifier is any non-blank text, as in every planning value.
    assert "INC-2026-0042" == (
        ImpactAssessment.from_scores("INC-2026-0042", AT, {"brand": 2}).crisis_key
    )
    with pytest.raises(ValidationError, match="'crisis_key'"):
        ImpactAssessment(
            crisis_key="  ",
            assessed_at=AT,
            impacts=[DimensionImpact(dimension="brand", score=2)],
        )
    with pytest.raises(InvalidTypeError, match="'crisis_key'"):
        ImpactAssessment.from_scores(None, AT, {"brand": 2})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'impacts' must be at least 1"):
        ImpactAssessment(crisis_key="peak.stockout", assessed_at=AT, impacts=[])
    with pytest.raises(DuplicateKeyError, match="'brand'"):
        ImpactAssessment(
            crisis_key="peak.stockout",
            assessed_at=AT,
            impacts=[
                DimensionImpact(dimension="brand", score=2),
                DimensionImpact(dimension="brand", score=3),
            ],
        )
    with pytest.raises(InvalidTypeError, match=r"'impacts\[0\]'"):
        ImpactAssessment(crisis_key="peak.stockout", assessed_at=AT, impacts=[3])


def test_weights_must_fit_the_rule() -> None:
    with pytest.raises(ValidationError, match="'weights' must be empty for the MAX"):
        _assessment({"brand": 2}, weights={"brand": 1})
    with pytest.raises(ValidationError, match=r"missing: \['financial'\]"):
        _assessment({"brand": 2, "financial": 3}, rule="weighted", weights={"brand": 1})
    with pytest.raises(ValidationError, match="a positive weight"):
        _assessment({"brand": 2}, rule="weighted", weights={"brand": 0, "financial": 1})
    with pytest.raises(ValidationError, match=r"missing: \['brand'\]"):
        _assessment({"brand": 2}, rule="weighted")
    with pytest.raises(UnknownKeyError, match="did you mean 'brand'"):
        _assessment({"brand": 2}, rule="weighted", weights={"brnad": 1})
    with pytest.raises(
        ValidationError, match=r"weights\['brand'\]. must be a number in \[0, inf\]"
    ):
        _assessment({"brand": 2}, rule="weighted", weights={"brand": -1})
    with pytest.raises(InvalidTypeError, match="'weights'"):
        _assessment({"brand": 2}, rule="weighted", weights=[1.0])
    with pytest.raises(InvalidTypeError, match="'rule'"):
        _assessment({"brand": 2}, rule="mean")
    # One dimension given twice, as the member and as its value.
    with pytest.raises(DuplicateKeyError, match=r"dimension \(in weights\) 'brand'"):
        _assessment(
            {"brand": 2},
            rule="weighted",
            weights={"brand": 1, ImpactDimension.BRAND: 2},
        )
    with pytest.raises(InvalidTypeError, match=r"weights\['brand'\]"):
        _assessment({"brand": 2}, rule="weighted", weights={"brand": True})
    with pytest.raises(ValidationError, match=r"weights\['brand'\]"):
        _assessment({"brand": 2}, rule="weighted", weights={"brand": math.inf})


@pytest.mark.parametrize(
    ("bands", "field"),
    [
        ({"level_iii": 1.0}, "level_iii"),
        ({"level_iii": 3.6}, "level_ii"),
        ({"level_ii": 4.6}, "level_i"),
        ({"level_i": 5.5}, "level_i"),
        ({"level_ii": math.nan}, "level_ii"),
    ],
)
def test_bands_must_rise_within_the_scale(bands: dict[str, float], field: str) -> None:
    with pytest.raises(ValidationError, match=f"'{field}'"):
        LevelBands(**bands)


def test_queries_reject_bad_arguments() -> None:
    assessment = _assessment({"brand": 2})

    with pytest.raises(InvalidTypeError, match="'bands'"):
        assessment.suggested_level("strict")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'score' must be a number in"):
        DEFAULT_BANDS.level_for(0.5)
    with pytest.raises(InvalidTypeError, match="'kinds'"):
        assessment.total_money(kinds="profit_loss")
    with pytest.raises(UnknownKeyError, match="did you mean 'profit_loss'"):
        assessment.total_money(kinds=["profit"])
    with pytest.raises(InvalidTypeError, match=r"'kinds\[0\]'"):
        assessment.total_money(kinds=[1])  # type: ignore[list-item]
    with pytest.raises(UnknownKeyError, match="impact dimension"):
        assessment.impact("reputation")
    with pytest.raises(InvalidTypeError, match="'scores'"):
        ImpactAssessment.from_scores("peak.stockout", AT, [("brand", 2)])  # type: ignore[arg-type]


def test_a_failed_change_leaves_the_assessment_as_it_was() -> None:
    assessment = _assessment({"brand": 2, "financial": 4})

    with pytest.raises(ValidationError):
        attrs.evolve(assessment, weights={"brand": 1})

    assert OverallRule.MAX is assessment.rule
    assert 4.0 == assessment.overall_score()


# --- properties -----------------------------------------------------------------------

_currencies = st.sampled_from(["CNY", "TWD", "USD"])
_names = st.text(alphabet="ABCDEFGHJK-0123456789", min_size=1, max_size=8)


@st.composite
def dimension_impacts(draw: st.DrawFn, dimension: ImpactDimension) -> DimensionImpact:
    kinds = [k for k in MoneyKind if k.dimension in (dimension, None)]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(kinds), _currencies), unique=True, max_size=4
        )
    )
    estimates = [
        MoneyEstimate(
            kind=kind,
            amount=draw(st.floats(0, 1e9, allow_nan=False)),
            currency=currency,
        )
        for kind, currency in pairs
    ]
    names = draw(st.lists(_names, unique=True, max_size=6))
    split = draw(st.integers(0, len(names)))
    market = dimension is ImpactDimension.MARKET_POSITION
    return DimensionImpact(
        dimension=dimension,
        score=draw(st.sampled_from(IMPACT_SCORES)),
        estimates=estimates,
        recovery_time=draw(
            st.none() | st.timedeltas(dt.timedelta(0), dt.timedelta(days=999))
        ),
        share_points_lost=(
            draw(st.none() | st.floats(0, 100, allow_nan=False)) if market else None
        ),
        affected=names[:split],
        knock_on=names[split:],
        notes=draw(st.text(max_size=10)),
        evidence=draw(
            st.lists(
                st.builds(
                    Evidence,
                    source=st.sampled_from(["dashboard", "e-mail", "客服記錄"]),
                    observed_at=st.none()
                    | st.datetimes(
                        min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001  bounds only
                        max_value=dt.datetime(2030, 1, 1),  # noqa: DTZ001  bounds only
                        timezones=st.sampled_from([UTC, TAIPEI]),
                    ),
                    metric=st.none() | st.sampled_from(["sales.gmv", "market.share"]),
                ),
                max_size=2,
            )
        ),
    )


@st.composite
def assessments(draw: st.DrawFn) -> ImpactAssessment:
    dimensions = draw(
        st.lists(st.sampled_from(ImpactDimension), min_size=1, max_size=5, unique=True)
    )
    impacts = [draw(dimension_impacts(d)) for d in dimensions]
    weighted = draw(st.booleans())
    weights: dict[ImpactDimension, float] = {}
    if weighted:
        weights = {d: draw(st.floats(0, 10, allow_nan=False)) for d in dimensions}
        if not any(w > 0 for w in weights.values()):
            weights[dimensions[0]] = 1.0
    return ImpactAssessment(
        crisis_key="drill.case",
        assessed_at=AT,
        impacts=impacts,
        rule=OverallRule.WEIGHTED if weighted else OverallRule.MAX,
        weights=weights,
    )


@settings(max_examples=30, deadline=None)
@given(assessments())
def test_assessments_round_trip_through_plain_data(
    assessment: ImpactAssessment,
) -> None:
    back = _round_trip(assessment)

    assert assessment == back
    assert assessment.overall_score() == back.overall_score()


@settings(max_examples=40, deadline=None)
@given(assessments())
def test_the_overall_score_lies_within_the_scores_and_totals_add_up(
    assessment: ImpactAssessment,
) -> None:
    scores = [impact.score for impact in assessment.impacts]
    overall = assessment.overall_score()

    assert min(scores) <= overall <= max(scores)
    if assessment.rule is OverallRule.MAX:
        assert float(max(scores)) == overall
    every = [e for impact in assessment.impacts for e in impact.estimates]
    for currency, total in assessment.total_money(kinds=list(MoneyKind)).items():
        expected = math.fsum(e.amount for e in every if e.currency == currency)
        assert math.isclose(expected, total)
    counted = {e.currency for e in every if e.kind.in_default_total}
    assert counted == set(assessment.total_money())


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(ImpactDimension),
        st.sampled_from(IMPACT_SCORES),
        min_size=1,
    ),
    st.sampled_from(ImpactDimension),
)
def test_a_worse_dimension_never_lowers_the_suggested_level(
    scores: dict[ImpactDimension, int], worse: ImpactDimension
) -> None:
    before = ImpactAssessment.from_scores("drill.case", AT, scores)
    raised = dict(scores)
    raised[worse] = min(raised.get(worse, 1) + 1, 5)
    after = ImpactAssessment.from_scores("drill.case", AT, raised)

    assert after.suggested_level() >= before.suggested_level()


@settings(max_examples=100, deadline=None)
@given(st.floats(1, 5, allow_nan=False), st.floats(1, 5, allow_nan=False))
def test_the_suggested_level_rises_with_the_score(a: float, b: float) -> None:
    low, high = sorted((a, b))

    assert DEFAULT_BANDS.level_for(low) <= DEFAULT_BANDS.level_for(high)
