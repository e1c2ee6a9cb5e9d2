"""Value and count distributions: closed forms, sampling, scaling, bad input."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import CrisisOpsError, InvalidTypeError, ValidationError
from crisisops.risk.distributions import (
    PERT,
    Bernoulli,
    Constant,
    Empirical,
    LogNormal,
    NegativeBinomial,
    Poisson,
    Triangular,
    TruncatedNormal,
    Uniform,
)
from crisisops.serialization import from_data, to_data

N = 200_000


def rng(seed: int = 2026) -> np.random.Generator:
    return np.random.default_rng(seed)


def assert_mean_within_error(draws: np.ndarray, mean: float, variance: float) -> None:
    """The sample mean is within 5 Monte Carlo standard errors of the formula."""
    error = math.sqrt(variance / draws.size)
    assert abs(float(draws.mean()) - mean) <= 5.0 * error + 1e-12


# --- PERT ---------------------------------------------------------------------


def test_pert_mean_is_the_classic_formula() -> None:
    # (low + 4·mode + high) / 6, by hand: (1 + 20 + 20) / 6
    assert math.isclose(41.0 / 6.0, PERT(low=1.0, mode=5.0, high=20.0).mean)
    # gamma = 2: (1 + 2·5 + 20) / 4
    assert math.isclose(31.0 / 4.0, PERT(low=1, mode=5, high=20, gamma=2).mean)


def test_pert_keeps_the_mode_of_the_estimate() -> None:
    pert = PERT(low=1_000.0, mode=5_000.0, high=50_000.0)
    # the mode of a beta(α, β) is (α − 1)/(α + β − 2) on [0, 1]
    share = (pert.alpha - 1.0) / (pert.alpha + pert.beta - 2.0)
    assert math.isclose(5_000.0, pert.low + share * (pert.high - pert.low))


def test_pert_samples_peak_at_the_mode() -> None:
    # PERT(0, 5, 20) is 20·beta(2, 4): density ∝ x(1 − x)³, highest at x = 5
    draws = PERT(low=0.0, mode=5.0, high=20.0).sample(rng(), 400_000)
    counts, _ = np.histogram(draws, bins=20, range=(0.0, 20.0))
    assert int(np.argmax(counts)) in {4, 5}  # the unit bins [4, 5) and [5, 6)


def test_pert_sample_mean_and_variance_match_the_formulas() -> None:
    pert = PERT(low=1.0, mode=5.0, high=20.0)
    draws = pert.sample(rng(), N)
    assert_mean_within_error(draws, pert.mean, pert.variance)
    assert math.isclose(pert.variance, float(draws.var()), rel_tol=0.02)
    assert pert.low <= draws.min()
    assert draws.max() <= pert.high


# --- the other value distributions -------------------------------------------


@pytest.mark.parametrize(
    ("distribution", "mean", "variance"),
    [
        # (a + b + c)/3 and (a² + b² + c² − ab − ac − bc)/18, by hand
        (Triangular(low=0.0, mode=3.0, high=6.0), 3.0, 27.0 / 18.0),
        (Uniform(low=2.0, high=4.0), 3.0, 4.0 / 12.0),
        (Constant(value=7.5), 7.5, 0.0),
        # mean exp(mu + σ²/2), variance (e^{σ²} − 1)·e^{2mu + σ²}
        (
            LogNormal(mu=1.0, sigma=0.5),
            math.exp(1.125),
            math.expm1(0.25) * math.exp(2.25),
        ),
        (Empirical(values=[1.0, 3.0], weights=[3.0, 1.0]), 1.5, 0.75),
        (Empirical(values=[2.0, 4.0, 9.0]), 5.0, 26.0 / 3.0),
    ],
)
def test_closed_form_moments_match_samples(
    distribution: Any, mean: float, variance: float
) -> None:
    assert math.isclose(mean, distribution.mean)
    assert math.isclose(variance, distribution.variance, abs_tol=1e-12)
    assert_mean_within_error(distribution.sample(rng(), N), mean, variance)


def test_lognormal_mean_is_exp_mu_plus_half_sigma_squared() -> None:
    assert math.isclose(math.exp(2.0 + 0.8**2 / 2.0), LogNormal(mu=2.0, sigma=0.8).mean)


def test_a_lognormal_variance_beyond_the_float_range_is_infinite() -> None:
    # (e^{σ²} − 1)·e^{2μ + σ²}: for μ = 0, σ = 30 that is e^{1800}, not a float
    assert math.inf == LogNormal(mu=0.0, sigma=30.0).variance
    # μ = −300, σ = 20: e^{400}·e^{−200} = e^{200} by hand (e^{−400} is negligible)
    assert math.isclose(math.exp(200.0), LogNormal(mu=-300.0, sigma=20.0).variance)
    assert 0.0 == LogNormal(mu=3.0, sigma=0.0).variance


def test_lognormal_from_a_90_percent_interval_hits_its_percentiles() -> None:
    fitted = LogNormal.from_interval(low=10_000.0, high=200_000.0)
    z = 1.6448536269514722  # Φ⁻¹(0.95)
    assert math.isclose((math.log(1e4) + math.log(2e5)) / 2.0, fitted.mu)
    assert math.isclose((math.log(2e5) - math.log(1e4)) / (2.0 * z), fitted.sigma)
    p5, p95 = np.percentile(fitted.sample(rng(), N), [5.0, 95.0])
    assert math.isclose(10_000.0, p5, rel_tol=0.02)
    assert math.isclose(200_000.0, p95, rel_tol=0.02)


def test_lognormal_from_an_80_percent_interval() -> None:
    fitted = LogNormal.from_interval(low=1.0, high=math.e**2, confidence=0.8)
    assert math.isclose(1.0, fitted.mu)
    assert math.isclose(1.0 / 1.2815515655446004, fitted.sigma)  # Φ⁻¹(0.9)


def test_a_lognormal_interval_wider_than_1000_times_warns() -> None:
    with pytest.warns(UserWarning, match="spans a factor of 5,000"):
        LogNormal.from_interval(low=10.0, high=50_000.0)


def test_truncated_normal_mean_has_the_closed_form() -> None:
    # 100 + 50·φ(2)/Φ(2), φ(2) = 0.0539909665, Φ(2) = 0.9772498681
    loss = TruncatedNormal(mu=100.0, sigma=50.0, low=0.0)
    assert math.isclose(100.0 + 50.0 * 0.0539909665 / 0.9772498681, loss.mean)
    draws = loss.sample(rng(), N)
    assert draws.min() >= 0.0
    assert_mean_within_error(draws, loss.mean, loss.variance)
    assert math.isclose(loss.variance, float(draws.var()), rel_tol=0.02)


def test_truncated_normal_in_the_far_tail_stays_exact() -> None:
    # 8 to 9 sd above the mean: the mirrored lower tail keeps the precision
    tail = TruncatedNormal(mu=0.0, sigma=1.0, low=8.0, high=9.0)
    draws = tail.sample(rng(), 50_000)
    assert 8.0 <= draws.min()
    assert draws.max() <= 9.0
    # E[Z | Z > 8] ≈ 8.1211 (φ(8)/(1 − Φ(8)), the mass above 9 is negligible)
    assert math.isclose(8.1211, tail.mean, rel_tol=1e-4)
    assert_mean_within_error(draws, tail.mean, tail.variance)


def test_truncated_normal_between_two_bounds_and_below_the_mean() -> None:
    body = TruncatedNormal(mu=10.0, sigma=2.0, low=5.0, high=9.0)
    draws = body.sample(rng(), N)
    assert 5.0 <= draws.min()
    assert draws.max() <= 9.0
    assert_mean_within_error(draws, body.mean, body.variance)


def test_empirical_never_draws_a_zero_weight_value() -> None:
    past = Empirical(values=[1.0, 2.0, 3.0], weights=[1.0, 0.0, 1.0])
    draws = past.sample(rng(), 10_000)
    assert {1.0, 3.0} == set(np.unique(draws).tolist())
    assert (1.0, 3.0) == past.support


def test_empirical_values_are_a_read_only_copy() -> None:
    values = np.array([1.0, 2.0])
    past = Empirical(values=values)
    values[0] = 100.0
    assert [1.0, 2.0] == past.values.tolist()
    assert not past.values.flags.writeable


# --- counts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "mean", "variance"),
    [
        (Bernoulli(probability=0.2), 0.2, 0.16),
        (Poisson(rate=3.0), 3.0, 3.0),
        # NB2: variance μ + μ²/k = 2 + 4/0.5
        (NegativeBinomial(mean=2.0, dispersion=0.5), 2.0, 10.0),
    ],
)
def test_count_moments_match_samples(counts: Any, mean: float, variance: float) -> None:
    assert math.isclose(mean, counts.mean)
    assert math.isclose(variance, counts.variance)
    draws = counts.sample_counts(rng(), N)
    assert np.int64 == draws.dtype
    assert draws.min() >= 0
    assert_mean_within_error(draws.astype(float), mean, variance)
    assert math.isclose(variance, float(draws.var()), rel_tol=0.05)
    assert np.float64 == counts.sample(rng(), 3).dtype


@pytest.mark.parametrize(
    ("counts", "thinned"),
    [
        (Bernoulli(probability=0.4), Bernoulli(probability=0.1)),
        (Poisson(rate=4.0), Poisson(rate=1.0)),
        (
            NegativeBinomial(mean=4.0, dispersion=0.7),
            NegativeBinomial(mean=1.0, dispersion=0.7),
        ),
    ],
)
def test_thinning_keeps_the_kind_and_scales_the_mean(counts: Any, thinned: Any) -> None:
    assert thinned == counts.thinned(0.25)
    assert counts == counts.thinned(1.0)


def test_count_scale_multiplies_each_trials_rate() -> None:
    scale = np.repeat([0.0, 2.0], N // 2)
    draws = Poisson(rate=1.5).sample_counts(rng(), N, scale)
    assert 0 == draws[: N // 2].sum()
    assert_mean_within_error(draws[N // 2 :].astype(float), 3.0, 3.0)


def test_a_bernoulli_probability_times_a_large_scale_is_capped_at_one() -> None:
    draws = Bernoulli(probability=0.5).sample_counts(rng(), 1_000, np.full(1_000, 3.0))
    assert (draws == 1).all()


def test_negative_binomial_scale_keeps_the_dispersion() -> None:
    counts = NegativeBinomial(mean=2.0, dispersion=0.5)
    draws = counts.sample_counts(rng(), N, np.full(N, 0.5))
    scaled = counts.scaled(0.5)
    assert_mean_within_error(draws.astype(float), scaled.mean, scaled.variance)


# --- scaling ------------------------------------------------------------------

VALUE_DISTRIBUTIONS = [
    PERT(low=1.0, mode=2.0, high=9.0, gamma=3.0),
    Triangular(low=1.0, mode=2.0, high=9.0),
    Uniform(low=1.0, high=9.0),
    LogNormal(mu=1.0, sigma=0.7),
    TruncatedNormal(mu=5.0, sigma=3.0, low=0.0, high=12.0),
    Constant(value=4.0),
    Empirical(values=[1.0, 5.0, 7.0], weights=[1.0, 2.0, 1.0]),
]


@pytest.mark.parametrize(
    "distribution", VALUE_DISTRIBUTIONS, ids=lambda d: type(d).__name__
)
def test_scaling_multiplies_every_draw_on_the_same_random_numbers(
    distribution: Any,
) -> None:
    scaled = distribution.scaled(0.3)
    assert math.isclose(0.3 * distribution.mean, scaled.mean, rel_tol=1e-9)
    np.testing.assert_allclose(
        0.3 * distribution.sample(rng(5), 1_000),
        scaled.sample(rng(5), 1_000),
        rtol=1e-9,
    )
    assert distribution == distribution.scaled(1.0)


@pytest.mark.parametrize(
    "distribution", VALUE_DISTRIBUTIONS, ids=lambda d: type(d).__name__
)
def test_scaling_by_zero_gives_zero(distribution: Any) -> None:
    zero = distribution.scaled(0)
    assert 0.0 == zero.mean
    assert (zero.sample(rng(), 5) == 0.0).all()


def test_count_scaling_scales_the_expected_count() -> None:
    assert Poisson(rate=6.0) == Poisson(rate=2.0).scaled(3.0)
    assert Bernoulli(probability=0.5) == Bernoulli(probability=0.25).scaled(2.0)
    assert Bernoulli(probability=1.0) == Bernoulli(probability=0.1).scaled(10.0)


# --- determinism and round trips ----------------------------------------------


@pytest.mark.parametrize(
    "distribution",
    [*VALUE_DISTRIBUTIONS, Bernoulli(probability=0.3), Poisson(rate=2.0)],
    ids=lambda d: type(d).__name__,
)
def test_the_same_seed_gives_the_same_draws(distribution: Any) -> None:
    assert np.array_equal(
        distribution.sample(rng(9), 100), distribution.sample(rng(9), 100)
    )


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False)
probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def three_points(draw: st.DrawFn) -> tuple[float, float, float]:
    low = draw(finite)
    high = low + draw(positive)
    mode = low + draw(probability) * (high - low)
    return low, min(max(mode, low), high), high


@st.composite
def distributions(draw: st.DrawFn) -> Any:
    low, mode, high = draw(three_points())
    choices: list[Callable[[], Any]] = [
        lambda: PERT(low=low, mode=mode, high=high, gamma=draw(positive)),
        lambda: Triangular(low=low, mode=mode, high=high),
        lambda: Uniform(low=low, high=high),
        lambda: LogNormal(mu=draw(st.floats(-5, 5)), sigma=draw(st.floats(0, 3))),
        lambda: TruncatedNormal(mu=mode, sigma=draw(positive), low=low, high=high),
        lambda: TruncatedNormal(mu=mode, sigma=draw(positive)),
        lambda: Constant(value=low),
        lambda: Empirical(values=draw(st.lists(finite, min_size=1, max_size=5))),
        lambda: Empirical(values=[low, high], weights=[draw(positive), 0.0]),
        lambda: Bernoulli(probability=draw(probability)),
        lambda: Poisson(rate=draw(positive)),
        lambda: NegativeBinomial(mean=draw(positive), dispersion=draw(positive)),
    ]
    return draw(st.sampled_from(choices))()


@settings(max_examples=60, deadline=None)
@given(distributions())
def test_every_distribution_round_trips_through_plain_data(distribution: Any) -> None:
    document = to_data(distribution)
    json.dumps(document, allow_nan=False)
    assert distribution == from_data(type(distribution), document)


@settings(max_examples=40, deadline=None)
@given(distributions(), st.integers(0, 2**32 - 1))
def test_draws_stay_inside_the_support(distribution: Any, seed: int) -> None:
    low, high = distribution.support
    draws = distribution.sample(rng(seed), 200)
    assert np.isfinite(draws).all()
    assert low <= draws.min()
    assert draws.max() <= high


# --- bad input ----------------------------------------------------------------

BAD: list[tuple[Callable[[], object], type[CrisisOpsError], str]] = [
    (lambda: PERT(low=5.0, mode=1.0, high=10.0), ValidationError, "'mode'"),
    (lambda: PERT(low=1.0, mode=12.0, high=10.0), ValidationError, "'mode'"),
    (lambda: PERT(low=5.0, mode=5.0, high=5.0), ValidationError, "'high'"),
    (lambda: PERT(low=10.0, mode=10.0, high=1.0), ValidationError, "'high'"),
    (lambda: PERT(low=math.nan, mode=1.0, high=2.0), ValidationError, "'low'"),
    (lambda: PERT(low=0.0, mode=1.0, high=math.inf), ValidationError, "'high'"),
    (lambda: PERT(low=0.0, mode=1.0, high=2.0, gamma=0.0), ValidationError, "'gamma'"),
    (lambda: PERT(low="0", mode=1.0, high=2.0), InvalidTypeError, "'low'"),  # type: ignore[arg-type]
    (lambda: Triangular(low=0.0, mode=3.0, high=2.0), ValidationError, "'mode'"),
    (lambda: Uniform(low=2.0, high=2.0), ValidationError, "'high'"),
    (lambda: LogNormal(mu=0.0, sigma=-1.0), ValidationError, "'sigma'"),
    (lambda: LogNormal(mu=math.inf, sigma=1.0), ValidationError, "'mu'"),
    (lambda: LogNormal(mu=700.0, sigma=5.0), ValidationError, "'sigma'"),
    (lambda: LogNormal.from_interval(low=0.0, high=5.0), ValidationError, "'low'"),
    (lambda: LogNormal.from_interval(low=5.0, high=5.0), ValidationError, "'high'"),
    (
        lambda: LogNormal.from_interval(low=1.0, high=5.0, confidence=1.0),
        ValidationError,
        "'confidence'",
    ),
    (lambda: TruncatedNormal(mu=0.0, sigma=0.0), ValidationError, "'sigma'"),
    (lambda: TruncatedNormal(mu=0.0, sigma=-2.0), ValidationError, "'sigma'"),
    (
        lambda: TruncatedNormal(mu=0.0, sigma=1.0, low=3.0, high=1.0),
        ValidationError,
        "'high'",
    ),
    (
        lambda: TruncatedNormal(mu=0.0, sigma=1.0, low=math.nan),
        ValidationError,
        "'low'",
    ),
    (
        lambda: TruncatedNormal(mu=0.0, sigma=1.0, low=math.inf),
        ValidationError,
        "'low'",
    ),
    (lambda: TruncatedNormal(mu=0.0, sigma=1.0, low=40.0), ValidationError, "'low'"),
    (lambda: Constant(value=math.nan), ValidationError, "'value'"),
    (lambda: Empirical(values=[]), ValidationError, "'values'"),
    (lambda: Empirical(values=[1.0, math.inf]), ValidationError, "'values'"),
    (lambda: Empirical(values=[[1.0], [2.0]]), ValidationError, "'values'"),
    (lambda: Empirical(values="abc"), InvalidTypeError, "'values'"),
    (lambda: Empirical(values=[1.0, 2.0], weights=[1.0]), ValidationError, "'weights'"),
    (
        lambda: Empirical(values=[1.0, 2.0], weights=[1.0, -1.0]),
        ValidationError,
        "'weights'",
    ),
    (
        lambda: Empirical(values=[1.0, 2.0], weights=[0.0, 0.0]),
        ValidationError,
        "'weights'",
    ),
    (lambda: Bernoulli(probability=1.5), ValidationError, "'probability'"),
    (lambda: Bernoulli(probability=-0.1), ValidationError, "'probability'"),
    (lambda: Bernoulli(probability=True), InvalidTypeError, "'probability'"),
    (lambda: Poisson(rate=-1.0), ValidationError, "'rate'"),
    (lambda: Poisson(rate=math.nan), ValidationError, "'rate'"),
    (lambda: NegativeBinomial(mean=-1.0, dispersion=1.0), ValidationError, "'mean'"),
    (
        lambda: NegativeBinomial(mean=1.0, dispersion=0.0),
        ValidationError,
        "'dispersion'",
    ),
    (lambda: PERT(low=0, mode=1, high=2).sample("seed", 3), InvalidTypeError, "'rng'"),  # type: ignore[arg-type]
    (lambda: PERT(low=0, mode=1, high=2).sample(rng(), -1), ValidationError, "'size'"),
    (
        lambda: PERT(low=0, mode=1, high=2).sample(rng(), 2.5),  # type: ignore[arg-type]
        InvalidTypeError,
        "'size'",
    ),
    (lambda: PERT(low=0, mode=1, high=2).scaled(-1.0), ValidationError, "'factor'"),
    (lambda: Constant(value=1.0).scaled(math.inf), ValidationError, "'factor'"),
    (lambda: Poisson(rate=1.0).thinned(1.5), ValidationError, "'keep'"),
    (lambda: Bernoulli(probability=0.5).thinned(-0.5), ValidationError, "'keep'"),
    (
        lambda: NegativeBinomial(mean=1.0, dispersion=1.0).thinned(2),
        ValidationError,
        "'keep'",
    ),
    (lambda: Bernoulli(probability=0.5).scaled(3.0), ValidationError, "'factor'"),
    (
        lambda: Poisson(rate=1.0).sample_counts(rng(), 3, [1.0]),
        ValidationError,
        "'scale'",
    ),
    (
        lambda: Poisson(rate=1.0).sample_counts(rng(), 2, [1.0, -1.0]),
        ValidationError,
        "'scale'",
    ),
    (
        lambda: Poisson(rate=1.0).sample_counts(rng(), 2, [1.0, math.nan]),
        ValidationError,
        "'scale'",
    ),
    (
        lambda: Poisson(rate=1.0).sample_counts(None, 2),  # type: ignore[arg-type]
        InvalidTypeError,
        "'rng'",
    ),
    (
        lambda: Poisson(rate=10.0).sample_counts(rng(), 1, [1e12]),
        ValidationError,
        "'scale'",
    ),
    # bool arrays are not numbers (bool-as-int), nor are object arrays
    (
        lambda: Poisson(rate=1.0).sample_counts(rng(), 2, np.array([True, False])),
        InvalidTypeError,
        "'scale'",
    ),
    (lambda: Empirical(values=np.array([True, False])), InvalidTypeError, "'values'"),
    (
        lambda: Empirical(values=np.array([1.0, "a"], dtype=object)),
        InvalidTypeError,
        "'values'",
    ),
    (
        lambda: Empirical(values=[1.0, 2.0], weights=np.array([True, True])),
        InvalidTypeError,
        "'weights'",
    ),
    # a range wider than the float range would sample NaN
    (lambda: PERT(low=-1e308, mode=0.0, high=1e308), ValidationError, "'high'"),
    (lambda: Uniform(low=-1e308, high=1e308), ValidationError, "'high'"),
    # scaling a count past MAX_RATE names the factor, not the rate
    (lambda: Poisson(rate=1e6).scaled(2.0), ValidationError, "'factor'"),
    (
        lambda: NegativeBinomial(mean=5e5, dispersion=1.0).scaled(3.0),
        ValidationError,
        "'factor'",
    ),
]


@pytest.mark.parametrize(("make", "error", "field"), BAD)
def test_bad_input_is_rejected_naming_the_field(
    make: Callable[[], object], error: type[CrisisOpsError], field: str
) -> None:
    with pytest.raises(error, match=field):
        make()
