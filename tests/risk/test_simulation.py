"""Loss models, loss distributions, seeds: oracles, properties and bad input."""

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
    TruncatedNormal,
    Uniform,
)
from crisisops.risk.simulation import (
    CompoundLossModel,
    CompoundSample,
    FAIRModel,
    LossDistribution,
    risk_generator,
    simulate,
)
from crisisops.serialization import from_data, to_data

N = 100_000


def rng(seed: int = 2026) -> np.random.Generator:
    return np.random.default_rng(seed)


def fair() -> FAIRModel:
    return FAIRModel(
        loss_event_frequency=PERT(low=1.0, mode=4.0, high=13.0),
        loss_magnitude=PERT(low=2_000.0, mode=5_000.0, high=14_000.0),
    )


def compound() -> CompoundLossModel:
    return CompoundLossModel(
        frequency=Poisson(rate=2.0),
        severity=PERT(low=2_000.0, mode=5_000.0, high=14_000.0),
    )


# --- FAIR ---------------------------------------------------------------------


def test_fair_expected_loss_is_frequency_times_magnitude() -> None:
    # E[LEF] = (1 + 16 + 13)/6 = 5, E[LM] = (2k + 20k + 14k)/6 = 6k
    assert 30_000.0 == fair().expected_loss
    result = simulate(fair(), N, seed=1)
    assert abs(result.mean - 30_000.0) < 5 * result.standard_error


def test_fair_annual_loss_is_the_product_of_one_draw_of_each() -> None:
    model = fair()
    generator = rng(3)
    frequency = model.loss_event_frequency.sample(generator, 1_000)  # type: ignore[union-attr]
    magnitude = model.loss_magnitude.sample(generator, 1_000)
    assert np.array_equal(frequency * magnitude, model.sample(rng(3), 1_000))


def test_fair_vulnerability_is_drawn_per_trial() -> None:
    # TEF = 10 and LM = 1, so a year's loss is 10·V_t: uniform on [0, 10],
    # not the constant 5 a single averaged vulnerability would give
    model = FAIRModel(
        threat_event_frequency=Constant(value=10.0),
        vulnerability=Uniform(low=0.0, high=1.0),
        loss_magnitude=Constant(value=1.0),
    )
    losses = model.sample(rng(), N)
    assert math.isclose(10.0 / math.sqrt(12.0), float(losses.std()), rel_tol=0.02)
    assert 5.0 == model.expected_loss


def test_a_plain_vulnerability_is_a_constant() -> None:
    model = FAIRModel(
        threat_event_frequency=PERT(low=10.0, mode=24.0, high=60.0),
        vulnerability=0.25,
        loss_magnitude=Constant(value=100.0),
    )
    assert Constant(value=0.25) == model.vulnerability
    # (10 + 96 + 60)/6 · 0.25 · 100
    assert math.isclose(166.0 / 6.0 * 25.0, model.expected_loss)


def test_fair_scales_multiply_each_trial() -> None:
    model = fair()
    base = model.sample(rng(4), 1_000)
    scale = np.linspace(0.0, 2.0, 1_000)
    np.testing.assert_allclose(
        base * scale, model.sample(rng(4), 1_000, frequency_scale=scale), rtol=1e-12
    )
    np.testing.assert_allclose(
        base * scale, model.sample(rng(4), 1_000, magnitude_scale=scale), rtol=1e-12
    )


# --- compound -----------------------------------------------------------------


@pytest.mark.parametrize(
    "frequency",
    [
        Poisson(rate=2.0),
        Bernoulli(probability=0.3),
        NegativeBinomial(mean=2.0, dispersion=0.5),
    ],
    ids=lambda f: type(f).__name__,
)
def test_compound_mean_is_event_rate_times_severity_mean(frequency: Any) -> None:
    severity = LogNormal(mu=8.0, sigma=0.6)
    model = CompoundLossModel(frequency=frequency, severity=severity)
    assert math.isclose(frequency.mean * severity.mean, model.expected_loss)
    losses = model.sample(rng(), N)
    # Var[S] = E[N]·Var[X] + Var[N]·E[X]² (the collective risk model)
    variance = (
        frequency.mean * severity.variance + frequency.variance * severity.mean**2
    )
    error = math.sqrt(variance / N)
    assert abs(float(losses.mean()) - model.expected_loss) < 5 * error
    assert math.isclose(variance, float(losses.var()), rel_tol=0.1)


def test_compound_sums_match_a_bincount_of_the_same_events() -> None:
    model = CompoundLossModel(
        frequency=Poisson(rate=1.5), severity=Uniform(low=1.0, high=2.0)
    )
    generator = rng(8)
    counts = model.frequency.sample_counts(generator, 5_000)
    events = model.severity.sample(generator, int(counts.sum()))
    owner = np.repeat(np.arange(5_000), counts)
    expected = np.bincount(owner, weights=events, minlength=5_000)
    np.testing.assert_allclose(expected, model.sample(rng(8), 5_000), rtol=1e-12)
    largest = np.zeros(5_000)
    np.maximum.at(largest, owner, events)
    detail = model.sample_detail(rng(8), 5_000)
    assert np.array_equal(largest, detail.largest)
    assert np.array_equal(counts, detail.counts)


def test_detail_agrees_with_sample_and_makes_sense() -> None:
    model = compound()
    detail = model.sample_detail(rng(5), 20_000)
    assert np.array_equal(model.sample(rng(5), 20_000), detail.annual)
    assert (detail.largest <= detail.annual).all()
    assert (detail.largest[detail.counts == 0] == 0.0).all()
    assert (
        detail.largest[detail.counts == 1] == detail.annual[detail.counts == 1]
    ).all()
    assert detail.occurrence.mean <= detail.aggregate.mean


def test_compound_scales() -> None:
    model = compound()
    none = model.sample(rng(), 1_000, frequency_scale=np.zeros(1_000))
    assert (none == 0.0).all()
    np.testing.assert_allclose(
        2.0 * model.sample(rng(6), 1_000),
        model.sample(rng(6), 1_000, magnitude_scale=np.full(1_000, 2.0)),
        rtol=1e-12,
    )
    tripled = model.sample(rng(), N, frequency_scale=np.full(N, 3.0))
    assert math.isclose(3.0 * model.expected_loss, float(tripled.mean()), rel_tol=0.02)


@settings(max_examples=25, deadline=None)
@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["fair", "threat", "poisson", "negative_binomial"]),
)
def test_paired_samples_never_lose_more_after_than_before(
    keep: float, shrink: float, seed: int, kind: str
) -> None:
    models: dict[str, Any] = {
        "fair": fair(),
        "threat": FAIRModel(
            threat_event_frequency=LogNormal(mu=1.0, sigma=1.0),
            vulnerability=PERT(low=0.0, mode=0.2, high=1.0),
            loss_magnitude=Empirical(values=[0.0, 5.0, 1e9]),
        ),
        "poisson": compound(),
        "negative_binomial": CompoundLossModel(
            frequency=NegativeBinomial(mean=3.0, dispersion=0.3),
            severity=LogNormal(mu=0.0, sigma=3.0),
        ),
    }
    model = models[kind]
    before, after = model.sample_paired(
        rng(seed), 500, frequency_factor=keep, magnitude_factor=shrink
    )
    assert np.array_equal(model.sample(rng(seed), 500), before)
    assert (after <= before).all()


# --- LossDistribution ---------------------------------------------------------

TEN = [3.0, 1.0, 4.0, 10.0, 5.0, 9.0, 2.0, 6.0, 8.0, 7.0]


def test_moments_on_a_hand_computed_sample() -> None:
    four = LossDistribution(losses=[1.0, 2.0, 3.0, 4.0])
    assert 2.5 == four.mean
    assert math.isclose(math.sqrt(5.0 / 3.0), four.sd)  # Σ(x − 2.5)² = 5, n − 1 = 3
    assert math.isclose(math.sqrt(5.0 / 3.0) / 2.0, four.standard_error)
    assert 0.0 == LossDistribution(losses=[7.0]).sd
    assert 4 == four.trials


def test_value_at_risk_and_expected_shortfall_by_hand() -> None:
    years = LossDistribution(losses=TEN)
    # VaR_α = x₍⌈10α⌉₎; ES from the integral of the quantile function over [α, 1]
    assert 8.0 == years.value_at_risk(0.8)
    assert 9.5 == years.expected_shortfall(0.8)  # (9 + 10)/2
    assert 8.0 == years.value_at_risk(0.75)  # x₍⌈7.5⌉₎ = x₍₈₎
    assert math.isclose(9.2, years.expected_shortfall(0.75))  # (0.5·8 + 9 + 10)/2.5
    assert 10.0 == years.value_at_risk(0.95)
    assert 10.0 == years.expected_shortfall(0.95)
    assert 1.0 == years.value_at_risk(0.05)
    assert math.isclose(5.5, years.expected_shortfall(1e-12))  # ≈ the mean


def test_a_level_within_rounding_of_one_gives_the_worst_year() -> None:
    # α = 1 − 2⁻⁵³: n·α rounds to n, which must not empty the tail (n − nα = 0)
    alpha = math.nextafter(1.0, 0.0)
    years = LossDistribution(losses=TEN)
    assert 10.0 == years.value_at_risk(alpha)
    assert 10.0 == years.expected_shortfall(alpha)
    big = LossDistribution(losses=np.arange(1.0, 100_001.0))
    assert 100_000.0 == big.expected_shortfall(alpha)


def test_expected_shortfall_counts_ties_correctly() -> None:
    # eight loss-free years: VaR_0.5 = 0, and the worst half averages
    # (0 + 0 + 0 + 5 + 10)/5 = 3, not the 1.5 of "mean of losses >= VaR"
    years = LossDistribution(losses=[0.0] * 8 + [5.0, 10.0])
    assert 0.0 == years.value_at_risk(0.5)
    assert 3.0 == years.expected_shortfall(0.5)


def test_percentiles_interpolate_linearly() -> None:
    four = LossDistribution(losses=[4.0, 1.0, 3.0, 2.0])
    assert 2.5 == four.percentile(50)
    assert [1.0, 1.75, 4.0] == four.percentile([0.0, 25.0, 100.0]).tolist()


def test_exceedance_probabilities_count_strictly_greater_losses() -> None:
    years = LossDistribution(losses=TEN)
    assert 0.3 == years.exceedance_probability(7.0)
    assert 1.0 == years.exceedance_probability(0.0)
    assert 0.0 == years.exceedance_probability(10.0)
    assert [1.0, 0.5, 0.0] == years.exceedance_probability([-1.0, 5.0, 11.0]).tolist()


def test_exceedance_curve_on_a_given_grid() -> None:
    grid, probabilities = LossDistribution(losses=TEN).exceedance_curve([0.0, 5.0, 9.5])
    assert [0.0, 5.0, 9.5] == grid.tolist()
    assert [1.0, 0.5, 0.1] == probabilities.tolist()


losses_lists = st.lists(
    st.floats(min_value=0.0, max_value=1e9, allow_nan=False), min_size=1, max_size=60
)


@settings(max_examples=60, deadline=None)
@given(losses_lists, st.integers(2, 50))
def test_exceedance_curve_is_non_increasing(losses: list[float], points: int) -> None:
    grid, probabilities = LossDistribution(losses=losses).exceedance_curve(points)
    assert points == grid.size
    assert (np.diff(grid) >= 0.0).all()
    assert (np.diff(probabilities) <= 0.0).all()
    assert 0.0 == probabilities[-1]  # nothing exceeds the largest loss


@settings(max_examples=60, deadline=None)
@given(losses_lists, st.floats(0.001, 0.999))
def test_expected_shortfall_is_at_least_value_at_risk(
    losses: list[float], alpha: float
) -> None:
    years = LossDistribution(losses=losses)
    value_at_risk = years.value_at_risk(alpha)
    shortfall = years.expected_shortfall(alpha)
    assert value_at_risk <= shortfall * (1.0 + 1e-12) + 1e-9
    assert shortfall <= max(losses) * (1.0 + 1e-12)
    assert years.exceedance_probability(value_at_risk) <= 1.0 - alpha + 1e-12


def test_losses_are_copied_unless_already_locked() -> None:
    writable = np.array([1.0, 2.0])
    years = LossDistribution(losses=writable)
    writable[0] = 50.0
    assert [1.0, 2.0] == years.losses.tolist()
    assert not years.losses.flags.writeable
    locked = np.array([1.0, 2.0])
    locked.setflags(write=False)
    assert LossDistribution(losses=locked).losses is locked


# --- seeds --------------------------------------------------------------------


def test_simulate_is_deterministic_under_a_seed() -> None:
    for model in (fair(), compound()):
        first = simulate(model, 1_000, seed=11)
        assert first == simulate(model, 1_000, seed=11)
        assert first != simulate(model, 1_000, seed=12)
        assert np.array_equal(model.sample(rng(11), 1_000), first.losses)
        sequence = np.random.SeedSequence(11)
        assert first == simulate(model, 1_000, seed=sequence)


def test_risk_generator_streams_do_not_depend_on_other_keys() -> None:
    keys = ["market.demand_shift", "technical.outage", "supply_chain.breakage"]
    alone = {key: risk_generator(2026, key).random(5) for key in keys}
    for order in (keys, keys[::-1], [*keys[1:], "other.new_risk", keys[0]]):
        together = {key: risk_generator(2026, key).random(5) for key in order}
        for key in keys:
            assert np.array_equal(alone[key], together[key])
    assert not np.array_equal(alone[keys[0]], alone[keys[1]])
    assert not np.array_equal(alone[keys[0]], risk_generator(2027, keys[0]).random(5))


def test_risk_generator_accepts_a_seed_sequence_and_uses_its_spawn_key() -> None:
    parent = np.random.SeedSequence(2026)
    child = parent.spawn(1)[0]
    same = risk_generator(np.random.SeedSequence(2026), "technical.outage").random(3)
    assert np.array_equal(risk_generator(2026, "technical.outage").random(3), same)
    assert not np.array_equal(risk_generator(child, "technical.outage").random(3), same)


# --- round trips --------------------------------------------------------------

value_distributions = st.sampled_from(
    [
        PERT(low=0.0, mode=2.0, high=9.0),
        LogNormal(mu=1.0, sigma=0.5),
        TruncatedNormal(mu=5.0, sigma=2.0, low=0.0),
        Empirical(values=[1.0, 5.0], weights=[2.0, 1.0]),
        Constant(value=3.0),
    ]
)
counts = st.sampled_from(
    [
        Bernoulli(probability=0.2),
        Poisson(rate=1.5),
        NegativeBinomial(mean=2.0, dispersion=0.4),
    ]
)
models = st.one_of(
    st.builds(
        FAIRModel,
        loss_event_frequency=value_distributions,
        loss_magnitude=value_distributions,
    ),
    st.builds(
        FAIRModel,
        threat_event_frequency=value_distributions,
        vulnerability=st.floats(0.0, 1.0) | st.just(PERT(low=0.1, mode=0.2, high=0.5)),
        loss_magnitude=value_distributions,
    ),
    st.builds(CompoundLossModel, frequency=counts, severity=value_distributions),
)


@settings(max_examples=40, deadline=None)
@given(models, st.integers(0, 2**32 - 1))
def test_models_and_results_round_trip_through_plain_data(
    model: Any, seed: int
) -> None:
    for value in (model, simulate(model, 20, seed)):
        document = to_data(value)
        json.dumps(document, allow_nan=False)
        assert value == from_data(type(value), document)
    if isinstance(model, CompoundLossModel):
        detail = model.sample_detail(rng(seed), 20)
        assert detail == from_data(CompoundSample, to_data(detail))


# --- bad input ----------------------------------------------------------------

PERT_LM = PERT(low=1.0, mode=2.0, high=3.0)

BAD: list[tuple[Callable[[], object], type[CrisisOpsError], str]] = [
    (
        lambda: FAIRModel(loss_magnitude=PERT_LM),
        ValidationError,
        "'loss_event_frequency'",
    ),
    (
        lambda: FAIRModel(
            loss_event_frequency=PERT_LM,
            threat_event_frequency=PERT_LM,
            vulnerability=0.5,
            loss_magnitude=PERT_LM,
        ),
        ValidationError,
        "'threat_event_frequency'",
    ),
    (
        lambda: FAIRModel(
            loss_event_frequency=PERT_LM, vulnerability=0.5, loss_magnitude=PERT_LM
        ),
        ValidationError,
        "'vulnerability'",
    ),
    (
        lambda: FAIRModel(threat_event_frequency=PERT_LM, loss_magnitude=PERT_LM),
        ValidationError,
        "'vulnerability'",
    ),
    (
        lambda: FAIRModel(
            threat_event_frequency=PERT_LM, vulnerability=1.5, loss_magnitude=PERT_LM
        ),
        ValidationError,
        "'vulnerability'",
    ),
    (
        lambda: FAIRModel(
            threat_event_frequency=PERT_LM,
            vulnerability=PERT(low=0.5, mode=0.9, high=1.2),
            loss_magnitude=PERT_LM,
        ),
        ValidationError,
        "'vulnerability'",
    ),
    (
        lambda: FAIRModel(
            loss_event_frequency=PERT_LM, loss_magnitude=Uniform(low=-5.0, high=5.0)
        ),
        ValidationError,
        "'loss_magnitude'",
    ),
    (
        lambda: FAIRModel(
            loss_event_frequency=PERT_LM,
            loss_magnitude=TruncatedNormal(mu=5.0, sigma=1.0),
        ),
        ValidationError,
        "'loss_magnitude'",
    ),
    (
        lambda: FAIRModel(
            loss_event_frequency=Uniform(low=-1.0, high=1.0), loss_magnitude=PERT_LM
        ),
        ValidationError,
        "'loss_event_frequency'",
    ),
    (
        lambda: FAIRModel(
            loss_event_frequency=PERT_LM,
            loss_magnitude=Poisson(rate=1.0),  # type: ignore[arg-type]
        ),
        InvalidTypeError,
        "'loss_magnitude'",
    ),
    (
        lambda: CompoundLossModel(frequency=PERT_LM, severity=PERT_LM),  # type: ignore[arg-type]
        InvalidTypeError,
        "'frequency'",
    ),
    (
        lambda: CompoundLossModel(
            frequency=Poisson(rate=1.0), severity=Constant(value=-1.0)
        ),
        ValidationError,
        "'severity'",
    ),
    (lambda: fair().sample(rng(), 0), ValidationError, "'trials'"),
    (lambda: fair().sample(rng(), trials=True), InvalidTypeError, "'trials'"),
    (lambda: fair().sample(7, 10), InvalidTypeError, "'rng'"),  # type: ignore[arg-type]
    (
        lambda: fair().sample(rng(), 3, frequency_scale=[1.0, 1.0]),
        ValidationError,
        "'frequency_scale'",
    ),
    (
        lambda: compound().sample(rng(), 2, magnitude_scale=[1.0, -2.0]),
        ValidationError,
        "'magnitude_scale'",
    ),
    (
        lambda: compound().sample_detail(rng(), 2, frequency_scale=["a", "b"]),
        InvalidTypeError,
        "'frequency_scale'",
    ),
    (
        lambda: fair().sample_paired(
            rng(), 5, frequency_factor=1.5, magnitude_factor=1.0
        ),
        ValidationError,
        "'frequency_factor'",
    ),
    (
        lambda: compound().sample_paired(
            rng(), 5, frequency_factor=1.0, magnitude_factor=-0.1
        ),
        ValidationError,
        "'magnitude_factor'",
    ),
    (lambda: simulate("model", 10, 1), InvalidTypeError, "'model'"),  # type: ignore[arg-type]
    (lambda: simulate(fair(), -5, 1), ValidationError, "'trials'"),
    (lambda: simulate(fair(), 10, None), ValidationError, "'seed'"),  # type: ignore[arg-type]
    (lambda: simulate(fair(), 10, -1), ValidationError, "'seed'"),
    (lambda: simulate(fair(), 10, 1.5), InvalidTypeError, "'seed'"),  # type: ignore[arg-type]
    (lambda: risk_generator(-1, "a"), ValidationError, "'seed'"),
    (lambda: risk_generator("1", "a"), InvalidTypeError, "'seed'"),  # type: ignore[arg-type]
    (lambda: risk_generator(1, ""), ValidationError, "'key'"),
    (lambda: risk_generator(1, 5), InvalidTypeError, "'key'"),  # type: ignore[arg-type]
    (lambda: LossDistribution(losses=[]), ValidationError, "'losses'"),
    (lambda: LossDistribution(losses=[1.0, -1.0]), ValidationError, "'losses'"),
    (lambda: LossDistribution(losses=[1.0, math.nan]), ValidationError, "'losses'"),
    (lambda: LossDistribution(losses=[1.0, math.inf]), ValidationError, "'losses'"),
    (lambda: LossDistribution(losses=[[1.0], [2.0]]), ValidationError, "'losses'"),
    (lambda: LossDistribution(losses="1 2 3"), InvalidTypeError, "'losses'"),
    (lambda: LossDistribution(losses=TEN).percentile(101.0), ValidationError, "'q'"),
    (
        lambda: LossDistribution(losses=TEN).percentile([50.0, math.nan]),
        ValidationError,
        "'q'",
    ),
    (lambda: LossDistribution(losses=TEN).percentile("p95"), InvalidTypeError, "'q'"),
    (
        lambda: LossDistribution(losses=TEN).value_at_risk(1.0),
        ValidationError,
        "'alpha'",
    ),
    (
        lambda: LossDistribution(losses=TEN).value_at_risk(0.0),
        ValidationError,
        "'alpha'",
    ),
    (
        lambda: LossDistribution(losses=TEN).expected_shortfall(95),
        ValidationError,
        "'alpha'",
    ),
    (
        lambda: LossDistribution(losses=TEN).exceedance_probability(math.nan),
        ValidationError,
        "'x'",
    ),
    (
        lambda: LossDistribution(losses=TEN).exceedance_curve(1),
        ValidationError,
        "'points'",
    ),
    (
        lambda: LossDistribution(losses=TEN).exceedance_curve([]),
        ValidationError,
        "'points'",
    ),
    (
        lambda: CompoundSample(annual=[1.0, 2.0], largest=[1.0], counts=[1, 1]),
        ValidationError,
        "'largest'",
    ),
    (
        lambda: CompoundSample(annual=[1.0], largest=[1.0], counts=[-1]),
        ValidationError,
        "'counts'",
    ),
    (
        lambda: CompoundSample(annual=[1.0], largest=[1.0], counts=[1.5]),
        InvalidTypeError,
        "'counts'",
    ),
    # bool and object arrays are not losses (bool-as-int)
    (
        lambda: LossDistribution(losses=np.array([True, False])),
        InvalidTypeError,
        "'losses'",
    ),
    (
        lambda: LossDistribution(losses=np.array([1.0, "a"], dtype=object)),
        InvalidTypeError,
        "'losses'",
    ),
    (
        lambda: LossDistribution(losses=TEN).percentile(np.array([True])),
        InvalidTypeError,
        "'q'",
    ),
    (
        lambda: LossDistribution(losses=TEN).exceedance_probability([True]),
        InvalidTypeError,
        "'x'",
    ),
    # a float is not a number of grid points: 101.0 would be a one-point grid
    (
        lambda: LossDistribution(losses=TEN).exceedance_curve(101.0),
        ValidationError,
        "'points'",
    ),
    (
        lambda: LossDistribution(losses=TEN).exceedance_curve([[1.0, 2.0]]),
        ValidationError,
        "'points'",
    ),
    (lambda: simulate(fair(), 10, np.True_), InvalidTypeError, "'seed'"),  # type: ignore[arg-type]
    (lambda: simulate(fair(), 10, "7"), InvalidTypeError, "'seed'"),  # type: ignore[arg-type]
    (lambda: risk_generator(None, "a"), ValidationError, "'seed'"),  # type: ignore[arg-type]
    (lambda: risk_generator(seed=True, key="a"), InvalidTypeError, "'seed'"),
    (lambda: simulate(fair(), -5, 1), ValidationError, "from 1 to 100,000,000"),
    (lambda: simulate(fair(), 5.0, 1), InvalidTypeError, "'trials'"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("make", "error", "field"), BAD)
def test_bad_input_is_rejected_naming_the_field(
    make: Callable[[], object], error: type[CrisisOpsError], field: str
) -> None:
    with pytest.raises(error, match=field):
        make()


def test_expected_shortfall_of_tiny_losses_stays_within_them() -> None:
    # One subnormal loss: (1 - 0.625) * x / 0.375 rounds above x unless clamped.
    tiny = 2.2250738585e-313
    years = LossDistribution(losses=[tiny])
    assert tiny == years.expected_shortfall(0.625)
