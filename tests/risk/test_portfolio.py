"""Portfolios of risks: correlation, common shocks, tail contributions, tornado."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.risk.controls import compare_controls
from crisisops.risk.correlation import RankCorrelation, iman_conover, spearman_matrix
from crisisops.risk.distributions import PERT, Bernoulli, Poisson
from crisisops.risk.portfolio import (
    CommonShock,
    Diversification,
    Portfolio,
    PortfolioLoss,
    ShockEffect,
    TailContributions,
    Tornado,
    simulate_portfolio,
)
from crisisops.risk.simulation import (
    CompoundLossModel,
    FAIRModel,
    LossModel,
    risk_generator,
    simulate,
)
from crisisops.serialization import from_data, to_data

FloatArray = npt.NDArray[np.float64]

DELAYS = CompoundLossModel(
    frequency=Poisson(rate=2.0),
    severity=PERT(low=5_000.0, mode=20_000.0, high=80_000.0),
)
STOPPAGE = CompoundLossModel(
    frequency=Bernoulli(probability=0.1),
    severity=PERT(low=50_000.0, mode=200_000.0, high=900_000.0),
)
OUTAGE = FAIRModel(
    loss_event_frequency=PERT(low=0.5, mode=2.0, high=6.0),
    loss_magnitude=PERT(low=10_000.0, mode=30_000.0, high=120_000.0),
)
FRAUD = FAIRModel(
    loss_event_frequency=PERT(low=1.0, mode=4.0, high=12.0),
    loss_magnitude=PERT(low=1_000.0, mode=3_000.0, high=20_000.0),
)
MODELS: dict[str, LossModel] = {
    "logistics.delay": DELAYS,
    "supply_chain.stoppage": STOPPAGE,
    "tech.outage": OUTAGE,
    "finance.fraud": FRAUD,
}
KEYS = tuple(MODELS)
CORRELATION = RankCorrelation.from_pairs(
    KEYS,
    {
        ("logistics.delay", "supply_chain.stoppage"): 0.5,
        ("tech.outage", "finance.fraud"): 0.6,
        ("logistics.delay", "tech.outage"): 0.2,
    },
)
TYPHOON = CommonShock(
    key="natural.typhoon",
    title="Typhoon season",
    probability=0.2,
    effects={
        "logistics.delay": ShockEffect(frequency=3.0),
        "supply_chain.stoppage": ShockEffect(frequency=2.0, magnitude=1.5),
    },
)
OUTAGE_SHOCK = CommonShock(
    key="tech.cloud_outage",
    title="Cloud provider outage",
    probability=0.1,
    effects={"tech.outage": ShockEffect(magnitude=3.0)},
)


def _reordered(keys: tuple[str, ...] | list[str]) -> RankCorrelation:
    return RankCorrelation(risks=keys, matrix=CORRELATION.reordered(keys))


# --- what a simulation draws --------------------------------------------------


def test_without_correlation_each_row_is_the_risk_simulated_alone() -> None:
    result = simulate_portfolio(Portfolio(risks=MODELS), trials=2_000, seed=2026)

    for index, (key, model) in enumerate(MODELS.items()):
        alone = model.sample(risk_generator(2026, key), 2_000)
        assert np.array_equal(alone, result.losses[index]), key
    # the total is summed in sorted key order, so only rounding may differ
    np.testing.assert_allclose(
        result.losses.sum(axis=0), result.total.losses, rtol=1e-14
    )


def test_a_risk_draws_the_same_whichever_other_risks_are_there() -> None:
    few = simulate_portfolio(
        Portfolio(risks={"tech.outage": OUTAGE}), trials=1_000, seed=5
    )
    many = simulate_portfolio(Portfolio(risks=MODELS), trials=1_000, seed=5)

    assert np.array_equal(few.losses[0], many.losses[KEYS.index("tech.outage")])


@settings(max_examples=15, deadline=None)
@given(
    st.permutations(KEYS),
    st.permutations(KEYS),
    st.permutations([TYPHOON, OUTAGE_SHOCK]),
)
def test_total_percentiles_do_not_depend_on_the_order_of_anything(
    risk_order: list[str], matrix_order: list[str], shocks: list[CommonShock]
) -> None:
    reference = simulate_portfolio(
        Portfolio(
            risks=MODELS, correlation=CORRELATION, shocks=[TYPHOON, OUTAGE_SHOCK]
        ),
        trials=1_000,
        seed=11,
    )
    shuffled = Portfolio(
        risks={key: MODELS[key] for key in risk_order},
        correlation=_reordered(matrix_order),
        shocks=shocks,
    )

    result = simulate_portfolio(shuffled, trials=1_000, seed=11)

    levels = [5.0, 50.0, 90.0, 99.0, 100.0]
    assert reference.total.percentile(levels).tolist() == (
        result.total.percentile(levels).tolist()
    )
    assert tuple(risk_order) == result.risks
    for key in KEYS:
        assert np.array_equal(reference.risk(key).losses, result.risk(key).losses)


def test_the_same_seed_gives_the_same_result_and_a_seed_sequence_is_accepted() -> None:
    portfolio = Portfolio(risks=MODELS, correlation=CORRELATION, shocks=[TYPHOON])

    first = simulate_portfolio(portfolio, trials=500, seed=3)
    again = simulate_portfolio(portfolio, trials=500, seed=3)
    other = simulate_portfolio(portfolio, trials=500, seed=4)
    sequence = simulate_portfolio(portfolio, 500, np.random.SeedSequence(3))

    assert first == again
    assert first != other
    assert np.array_equal(first.losses, sequence.losses)


def test_the_losses_are_read_only() -> None:
    result = simulate_portfolio(Portfolio(risks=MODELS), trials=10, seed=1)

    with pytest.raises(ValueError, match="read-only"):
        result.losses[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        result.total.losses[0] = 1.0


# --- correlation --------------------------------------------------------------


def test_correlation_reaches_the_target_between_continuous_risks() -> None:
    trials = 20_000
    pair = {"tech.outage": OUTAGE, "finance.fraud": FRAUD}
    target = RankCorrelation.from_pairs(
        list(pair), {("tech.outage", "finance.fraud"): 0.6}
    )

    result = simulate_portfolio(
        Portfolio(risks=pair, correlation=target), trials=trials, seed=8
    )

    # FAIR losses are continuous (no ties); Iman–Conover's reached rank
    # correlation varies by about 0.26/√T (see test_correlation); 5 of those.
    assert abs(0.6 - result.rank_correlation()[0, 1]) < 5 * 0.26 / math.sqrt(trials)


def test_correlation_only_reorders_years_so_every_marginal_is_kept() -> None:
    independent = simulate_portfolio(
        Portfolio(risks=MODELS, shocks=[TYPHOON]), trials=3_000, seed=9
    )
    correlated = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=CORRELATION, shocks=[TYPHOON]),
        trials=3_000,
        seed=9,
    )

    assert np.array_equal(
        np.sort(independent.losses, axis=1), np.sort(correlated.losses, axis=1)
    )
    assert not np.array_equal(independent.losses, correlated.losses)


def test_risks_outside_the_correlation_keep_their_years() -> None:
    pair = RankCorrelation.from_pairs(
        ["tech.outage", "finance.fraud"], {("tech.outage", "finance.fraud"): 0.6}
    )
    independent = simulate_portfolio(Portfolio(risks=MODELS), trials=1_000, seed=2)
    correlated = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=pair), trials=1_000, seed=2
    )

    for key in ("logistics.delay", "supply_chain.stoppage"):
        assert np.array_equal(independent.risk(key).losses, correlated.risk(key).losses)


def test_perfect_correlation_leaves_no_diversification() -> None:
    pair = {"tech.outage": OUTAGE, "finance.fraud": FRAUD}
    together = RankCorrelation(risks=list(pair), matrix=[[1.0, 1.0], [1.0, 1.0]])

    result = simulate_portfolio(
        Portfolio(risks=pair, correlation=together), trials=5_000, seed=6
    )

    # comonotone rows: the k-th worst total is the sum of the k-th worst of
    # each, so VaR adds up exactly (up to rounding)
    diversification = result.diversification(0.95)
    assert diversification.benefit == pytest.approx(
        0.0, abs=1e-9 * diversification.portfolio
    )


# --- common shocks ------------------------------------------------------------


@pytest.mark.parametrize("correlation", [None, CORRELATION])
def test_a_shock_with_probability_0_changes_nothing(
    correlation: RankCorrelation | None,
) -> None:
    never = CommonShock(
        key="natural.typhoon",
        title="Never",
        probability=0.0,
        effects={
            "logistics.delay": ShockEffect(frequency=3.0, magnitude=2.0),
            "tech.outage": ShockEffect(magnitude=10.0),
        },
    )
    plain = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=correlation), trials=2_000, seed=21
    )
    shocked = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=correlation, shocks=[never]),
        trials=2_000,
        seed=21,
    )

    assert plain == shocked


@pytest.mark.parametrize("correlation", [None, CORRELATION])
def test_a_certain_magnitude_shock_equals_scaling_the_losses(
    correlation: RankCorrelation | None,
) -> None:
    always = CommonShock(
        key="natural.typhoon",
        title="Every year",
        probability=1.0,
        effects={
            "logistics.delay": ShockEffect(magnitude=2.0),
            "tech.outage": ShockEffect(magnitude=3.0),
        },
    )
    plain = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=correlation), trials=2_000, seed=22
    )
    shocked = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=correlation, shocks=[always]),
        trials=2_000,
        seed=22,
    )

    factors = np.array([[2.0], [1.0], [3.0], [1.0]])  # in KEYS order
    np.testing.assert_allclose(shocked.losses, plain.losses * factors, rtol=1e-12)


def test_a_certain_frequency_shock_equals_scaling_the_frequency() -> None:
    always = CommonShock(
        key="natural.typhoon",
        title="Every year",
        probability=1.0,
        effects={"logistics.delay": ShockEffect(frequency=3.0)},
    )

    shocked = simulate_portfolio(
        Portfolio(risks=MODELS, shocks=[always]), trials=2_000, seed=23
    )

    expected = DELAYS.sample(
        risk_generator(23, "logistics.delay"),
        2_000,
        frequency_scale=np.full(2_000, 3.0),
    )
    assert np.array_equal(expected, shocked.risk("logistics.delay").losses)
    assert np.array_equal(
        FRAUD.sample(risk_generator(23, "finance.fraud"), 2_000),
        shocked.risk("finance.fraud").losses,
    )


def test_a_shock_makes_the_risks_it_hits_bad_together_even_when_correlated() -> None:
    pair = {"tech.outage": OUTAGE, "finance.fraud": FRAUD}
    storm = CommonShock(
        key="tech.breach_wave",
        title="Breach wave",
        probability=0.2,
        effects={key: ShockEffect(magnitude=20.0) for key in pair},
    )
    independent = RankCorrelation.independent(list(pair))
    trials = 10_000

    result = simulate_portfolio(
        Portfolio(risks=pair, correlation=independent, shocks=[storm]),
        trials=trials,
        seed=24,
    )

    # Shock years stay aligned after Iman–Conover (years are reordered only
    # within the shock and the calm years), so the two risks are in their own
    # worst 10% together far more often than the 1% of independent risks:
    # P(both) ≈ 0.2·(0.5·0.5) = 0.05 at least; 0.02 is 10 standard errors
    # (√(0.01/10⁴) = 0.001) above independence.
    worst = result.losses >= np.percentile(result.losses, 90.0, axis=1)[:, None]
    assert np.mean(worst[0] & worst[1]) > 0.02
    # and within the calm years the target (independence) holds
    calm = result.losses[0] < np.percentile(result.losses[0], 70.0)
    assert abs(spearman_matrix(result.losses[:, calm])[0, 1]) < 0.2


# --- tail contributions -------------------------------------------------------


def test_tail_contributions_by_hand() -> None:
    # totals 1..10 (risk b adds 0 except in year 10): with α = 0.8, n·α = 8,
    # so ES is the mean total of the two worst years, (9 + 10)/2 = 9.5;
    # a's part is (9 + 6)/2 = 7.5 and b's (0 + 4)/2 = 2.0.
    a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 6.0]
    b = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0]
    result = PortfolioLoss.from_losses(["a", "b"], [a, b])

    tail = result.tail_contributions(0.8)

    assert [7.5, 2.0] == tail.contributions.tolist()
    assert 9.5 == tail.expected_shortfall
    assert 8.0 == tail.value_at_risk
    assert [7.5 / 9.5, 2.0 / 9.5] == pytest.approx(tail.shares.tolist())


def test_tail_contributions_at_a_level_within_rounding_of_one() -> None:
    # α = 1 − 2⁻⁵³: the tail is the worst year alone (totals 3, 9, 5), whose
    # losses are 4 and 5; before the fix n − n·α was 0 and this divided by it
    result = PortfolioLoss.from_losses(["a", "b"], [[1.0, 4.0, 2.0], [2.0, 5.0, 3.0]])

    tail = result.tail_contributions(math.nextafter(1.0, 0.0))

    assert [4.0, 5.0] == pytest.approx(tail.contributions.tolist(), rel=1e-12)
    assert 9.0 == tail.expected_shortfall == tail.value_at_risk


def test_tail_contributions_share_a_tied_boundary_evenly() -> None:
    # every year totals 4; with α = 0.6 the worst 40% is 2 of the 5 years,
    # spread evenly (0.4 each) over the tied years: a gets 0.4·10/2 = 2.0.
    result = PortfolioLoss.from_losses(
        ["a", "b"], [[0.0, 1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0, 0.0]]
    )

    tail = result.tail_contributions(0.6)

    assert [2.0, 2.0] == pytest.approx(tail.contributions.tolist(), rel=1e-12)
    assert 4.0 == pytest.approx(tail.expected_shortfall, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 40)),
        elements=st.one_of(st.just(0.0), st.floats(0.0, 1e6)),
    ),
    st.floats(0.01, 0.99),
)
def test_tail_contributions_sum_to_the_expected_shortfall(
    losses: FloatArray, alpha: float
) -> None:
    keys = [f"risk_{i}" for i in range(losses.shape[0])]
    result = PortfolioLoss.from_losses(keys, losses)

    tail = result.tail_contributions(alpha)

    expected = result.total.expected_shortfall(alpha)
    assert expected == tail.expected_shortfall
    scale = max(1.0, float(losses.sum(axis=0).max()))
    assert tail.contributions.sum() == pytest.approx(
        expected, rel=1e-12, abs=1e-12 * scale
    )
    assert (tail.contributions >= -1e-12 * scale).all()


def test_tail_contributions_of_a_simulated_portfolio_sum_to_tvar() -> None:
    result = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=CORRELATION, shocks=[TYPHOON]),
        trials=5_000,
        seed=31,
    )

    for alpha in (0.9, 0.95, 0.99):
        tail = result.tail_contributions(alpha)
        tvar = result.total.expected_shortfall(alpha)
        assert tvar == pytest.approx(tail.contributions.sum(), rel=1e-12)
        assert tail.value_at_risk <= tail.expected_shortfall


# --- diversification ----------------------------------------------------------


def test_diversification_by_hand() -> None:
    # a and b never lose in the same year: each stand-alone VaR_0.8 (4 years,
    # rank ⌈3.2⌉ = 4) is 10; the total [10, 0, 0, 10] has VaR 10 too.
    result = PortfolioLoss.from_losses(
        ["a", "b"], [[0.0, 0.0, 0.0, 10.0], [10.0, 0.0, 0.0, 0.0]]
    )

    diversification = result.diversification(0.8)

    assert [10.0, 10.0] == diversification.standalone.tolist()
    assert 10.0 == diversification.portfolio
    assert 20.0 == diversification.standalone_total
    assert 10.0 == diversification.benefit


# --- tornado ------------------------------------------------------------------


def test_tornado_by_hand() -> None:
    # totals [11, 12, 13, 14], mean 12.5; removing a (mean 2.5) changes the
    # mean by −2.5, halving it by −1.25; b (mean 10) by −10 and −5.
    result = PortfolioLoss.from_losses(
        ["a", "b"], [[1.0, 2.0, 3.0, 4.0], [10.0, 10.0, 10.0, 10.0]]
    )

    tornado = result.tornado(low=0.5, high=1.5)

    assert ("b", "a") == tornado.risks  # largest swing first
    assert 12.5 == tornado.baseline
    assert [-10.0, -2.5] == tornado.removed.tolist()
    assert [-5.0, -1.25] == tornado.low.tolist()
    assert [5.0, 1.25] == tornado.high.tolist()
    assert [15.0, 3.75] == tornado.swing.tolist()
    assert "mean" == tornado.statistic


def test_tornado_on_a_percentile_by_hand() -> None:
    result = PortfolioLoss.from_losses(
        ["a", "b"], [[1.0, 2.0, 3.0, 4.0], [10.0, 10.0, 10.0, 10.0]]
    )

    tornado = result.tornado(low=0.0, high=2.0, percentile=50.0)

    # median of [11..14] is 12.5; without b it is 2.5, with b doubled 22.5
    assert "percentile 50" == tornado.statistic
    assert [-10.0, -2.5] == tornado.removed.tolist()
    assert [10.0, 2.5] == tornado.high.tolist()


def test_tornado_equals_re_simulating_with_a_scaled_magnitude() -> None:
    portfolio = Portfolio(risks=MODELS, correlation=CORRELATION, shocks=[TYPHOON])
    result = simulate_portfolio(portfolio, trials=3_000, seed=41)
    bigger = Portfolio(
        risks={
            **MODELS,
            "tech.outage": FAIRModel(
                loss_event_frequency=OUTAGE.loss_event_frequency,
                loss_magnitude=OUTAGE.loss_magnitude.scaled(1.5),
            ),
        },
        correlation=CORRELATION,
        shocks=[TYPHOON],
    )

    rerun = simulate_portfolio(bigger, trials=3_000, seed=41)
    tornado = result.tornado(low=0.5, high=1.5, percentile=95.0)

    change = rerun.total.percentile(95.0) - result.total.percentile(95.0)
    index = tornado.risks.index("tech.outage")
    assert change == pytest.approx(tornado.high[index], rel=1e-9)


# --- serialization ------------------------------------------------------------

effects = st.builds(
    ShockEffect,
    frequency=st.floats(1.0, 100.0),
    magnitude=st.floats(1.0, 100.0),
)
shocks = st.builds(
    CommonShock,
    key=st.sampled_from(["natural.typhoon", "tech.outage_wave", "market.policy"]),
    title=st.sampled_from(["Typhoon", "颱風季", "Policy change"]),
    probability=st.floats(0.0, 1.0),
    effects=st.dictionaries(st.sampled_from(KEYS), effects, min_size=1),
)


@given(shocks)
def test_common_shocks_round_trip_through_plain_data(shock: CommonShock) -> None:
    assert shock == from_data(CommonShock, to_data(shock))


@settings(max_examples=25)
@given(
    shock_list=st.lists(shocks, unique_by=lambda shock: shock.key, max_size=3),
    correlated=st.booleans(),
)
def test_portfolios_round_trip_through_plain_data(
    *, shock_list: list[CommonShock], correlated: bool
) -> None:
    portfolio = Portfolio(
        risks=MODELS,
        correlation=CORRELATION if correlated else None,
        shocks=shock_list,
    )

    assert portfolio == from_data(Portfolio, to_data(portfolio))


@settings(max_examples=25, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 3), st.integers(1, 20)),
        elements=st.floats(0.0, 1e9),
    ),
    st.floats(0.05, 0.95),
)
def test_results_round_trip_through_plain_data(
    losses: FloatArray, alpha: float
) -> None:
    keys = [f"risk_{i}" for i in range(losses.shape[0])]
    result = PortfolioLoss.from_losses(keys, losses)

    for value in (
        result,
        result.tail_contributions(alpha),
        result.diversification(alpha),
        result.tornado(percentile=90.0),
        result.tornado(),
    ):
        assert value == from_data(type(value), to_data(value))


def test_a_simulated_result_round_trips() -> None:
    result = simulate_portfolio(
        Portfolio(risks=MODELS, correlation=CORRELATION, shocks=[TYPHOON]),
        trials=50,
        seed=1,
    )

    assert result == from_data(PortfolioLoss, to_data(result))


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "error", "expected"),
    [
        ({"frequency": 0.5}, ValidationError, "'frequency'.*\\[1, 1e\\+06\\]"),
        ({"magnitude": -2.0}, ValidationError, "'magnitude'"),
        ({"magnitude": math.nan}, ValidationError, "'magnitude'"),
        ({"frequency": "3"}, InvalidTypeError, "'frequency'"),
        ({"frequency": True}, InvalidTypeError, "'frequency'"),
    ],
)
def test_shock_effects_reject_bad_multipliers(
    arguments: dict[str, Any], error: type[Exception], expected: str
) -> None:
    with pytest.raises(error, match=expected):
        ShockEffect(**arguments)


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"probability": 1.5}, ValidationError, "probability"),
        ({"probability": -0.1}, ValidationError, "probability"),
        ({"key": "Typhoon!"}, ValidationError, "key"),
        ({"title": " "}, ValidationError, "title"),
        ({"effects": {}}, ValidationError, "effects"),
        ({"effects": {"logistics.delay": 3.0}}, InvalidTypeError, "effects"),
        ({"effects": {"Bad Key": ShockEffect()}}, ValidationError, "effects key"),
        (
            {"effects": [("logistics.delay", ShockEffect())]},
            InvalidTypeError,
            "effects",
        ),
    ],
)
def test_common_shocks_reject_bad_fields(
    change: dict[str, Any], error: type[Exception], field: str
) -> None:
    arguments: dict[str, Any] = {
        "key": "natural.typhoon",
        "title": "Typhoon",
        "probability": 0.2,
        "effects": {"logistics.delay": ShockEffect(frequency=2.0)},
    }
    arguments.update(change)
    with pytest.raises(error, match=f"['\"]{field}"):
        CommonShock(**arguments)


def test_a_portfolio_rejects_unknown_keys_with_suggestions() -> None:
    typo = RankCorrelation.independent(["logistics.delya", "tech.outage"])
    with pytest.raises(UnknownKeyError, match=r"did you mean 'logistics\.delay'"):
        Portfolio(risks=MODELS, correlation=typo)
    shock = CommonShock(
        key="natural.typhoon",
        title="Typhoon",
        probability=0.2,
        effects={"tech.outgae": ShockEffect(magnitude=2.0)},
    )
    with pytest.raises(UnknownKeyError, match=r"did you mean 'tech\.outage'"):
        Portfolio(risks=MODELS, shocks=[shock])


@pytest.mark.parametrize(
    ("arguments", "error", "expected"),
    [
        ({"risks": {}}, ValidationError, "'risks'.*at least one risk"),
        (
            {"risks": {"tech.outage": PERT(low=0.0, mode=1.0, high=2.0)}},
            InvalidTypeError,
            "FAIRModel",
        ),
        ({"risks": {"Tech Outage": OUTAGE}}, ValidationError, "'risks key'"),
        ({"risks": [OUTAGE]}, InvalidTypeError, "'risks'"),
        (
            {"risks": MODELS, "correlation": np.eye(4)},
            InvalidTypeError,
            "'correlation'",
        ),
        (
            {"risks": MODELS, "shocks": [TYPHOON, TYPHOON]},
            DuplicateKeyError,
            "natural.typhoon",
        ),
        ({"risks": MODELS, "shocks": ["typhoon"]}, InvalidTypeError, "'shocks\\[0\\]'"),
    ],
)
def test_a_portfolio_rejects_bad_fields(
    arguments: dict[str, Any], error: type[Exception], expected: str
) -> None:
    with pytest.raises(error, match=expected):
        Portfolio(**arguments)


@pytest.mark.parametrize(
    ("portfolio", "trials", "seed", "error", "field"),
    [
        (Portfolio(risks=MODELS), 0, 1, ValidationError, "trials"),
        (Portfolio(risks=MODELS), 1.5, 1, InvalidTypeError, "trials"),
        (Portfolio(risks=MODELS), True, 1, InvalidTypeError, "trials"),
        (Portfolio(risks=MODELS), 10, None, ValidationError, "seed"),
        (Portfolio(risks=MODELS), 10, -1, ValidationError, "seed"),
        (Portfolio(risks=MODELS), 10, "2026", InvalidTypeError, "seed"),
        (
            Portfolio(risks=MODELS),
            10,
            np.random.default_rng(1),
            InvalidTypeError,
            "seed",
        ),
        (MODELS, 10, 1, InvalidTypeError, "portfolio"),
    ],
)
def test_simulate_portfolio_rejects_bad_arguments(
    portfolio: Any, trials: Any, seed: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=f"'{field}'"):
        simulate_portfolio(portfolio, trials, seed)


@pytest.mark.parametrize(
    ("risks", "losses", "error", "field"),
    [
        (["a", "b"], [[1.0, 2.0]], ValidationError, "losses"),
        (["a"], [[1.0, -2.0]], ValidationError, "losses"),
        (["a"], [[1.0, math.nan]], ValidationError, "losses"),
        (["a"], [[1.0, math.inf]], ValidationError, "losses"),
        (["a"], [1.0, 2.0], ValidationError, "losses"),
        (["a", "a"], [[1.0], [2.0]], DuplicateKeyError, "a"),
        (["A"], [[1.0]], ValidationError, "risks\\[0\\]"),
    ],
)
def test_results_reject_bad_losses(
    risks: list[str], losses: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        PortfolioLoss.from_losses(risks, losses)


def test_a_result_whose_total_is_not_the_sum_is_rejected() -> None:
    good = PortfolioLoss.from_losses(["a", "b"], [[1.0, 2.0], [3.0, 4.0]])

    with pytest.raises(ValidationError, match=r"'total'.*per-trial sum"):
        PortfolioLoss(risks=good.risks, losses=good.losses, total=good.risk("a"))
    with pytest.raises(InvalidTypeError, match="'total'"):
        PortfolioLoss(risks=good.risks, losses=good.losses, total=[4.0, 6.0])  # type: ignore[arg-type]


def test_analytics_reject_bad_levels_and_factors() -> None:
    result = PortfolioLoss.from_losses(["a", "b"], [[1.0, 2.0], [3.0, 4.0]])

    for alpha in (0.0, 1.0, math.nan, 1.5):
        with pytest.raises(ValidationError, match="'alpha'"):
            result.tail_contributions(alpha)
        with pytest.raises(ValidationError, match="'alpha'"):
            result.diversification(alpha)
    with pytest.raises(InvalidTypeError, match="'alpha'"):
        result.tail_contributions("0.95")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'high'"):
        result.tornado(low=1.5, high=0.5)
    with pytest.raises(ValidationError, match="'low'"):
        result.tornado(low=-0.5)
    with pytest.raises(ValidationError, match="'percentile'"):
        result.tornado(percentile=101.0)
    with pytest.raises(UnknownKeyError, match="did you mean 'a'"):
        result.risk("aa")


def test_tail_contributions_must_add_up_to_the_expected_shortfall() -> None:
    with pytest.raises(ValidationError, match="'expected_shortfall'"):
        TailContributions(
            alpha=0.9,
            risks=["a", "b"],
            contributions=[1.0, 2.0],
            value_at_risk=1.0,
            expected_shortfall=4.0,  # not 1 + 2
        )
    with pytest.raises(ValidationError, match="'value_at_risk'"):
        TailContributions(
            alpha=0.9,
            risks=["a"],
            contributions=[3.0],
            value_at_risk=5.0,  # VaR never exceeds ES
            expected_shortfall=3.0,
        )


@pytest.mark.parametrize(
    "call",
    [
        lambda seed: simulate_portfolio(Portfolio(risks=MODELS), 10, seed),
        lambda seed: simulate(OUTAGE, 10, seed),
        lambda seed: risk_generator(seed, "tech.outage"),
        lambda seed: compare_controls(OUTAGE, [], 10, seed),
        lambda seed: iman_conover(np.ones((1, 3)), np.eye(1), seed),
    ],
    ids=[
        "simulate_portfolio",
        "simulate",
        "risk_generator",
        "compare_controls",
        "iman_conover",
    ],
)
def test_every_seeded_entry_point_treats_a_bad_seed_alike(call: Any) -> None:
    # None and negative: ValidationError; wrong types, bool included: InvalidTypeError
    for missing in (None, -1):
        with pytest.raises(ValidationError, match="'seed'"):
            call(missing)
    for wrong in (True, 1.5, "7"):
        with pytest.raises(InvalidTypeError, match="'seed'"):
            call(wrong)
    call(np.random.SeedSequence(3))  # every one accepts a SeedSequence


def test_result_values_reject_inconsistent_fields() -> None:
    with pytest.raises(ValidationError, match="'contributions'"):
        TailContributions(
            alpha=0.9,
            risks=["a", "b"],
            contributions=[1.0],
            value_at_risk=1.0,
            expected_shortfall=1.0,
        )
    with pytest.raises(ValidationError, match="'alpha'"):
        TailContributions(
            alpha=1.0,
            risks=["a"],
            contributions=[1.0],
            value_at_risk=1.0,
            expected_shortfall=1.0,
        )
    with pytest.raises(ValidationError, match="'standalone'"):
        Diversification(alpha=0.9, risks=["a"], standalone=[-1.0], portfolio=1.0)
    with pytest.raises(ValidationError, match="'high_factor'"):
        Tornado(
            percentile=None,
            low_factor=2.0,
            high_factor=1.0,
            baseline=0.0,
            risks=["a"],
            removed=[0.0],
            low=[0.0],
            high=[0.0],
        )
    with pytest.raises(ValidationError, match="'removed'"):
        Tornado(
            percentile=None,
            low_factor=0.5,
            high_factor=1.5,
            baseline=0.0,
            risks=["a"],
            removed=[0.0, 1.0],
            low=[0.0],
            high=[0.0],
        )
