"""Controls: how they change a loss model, and the paired before/after comparison."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    CrisisOpsError,
    DuplicateKeyError,
    InvalidTypeError,
    ValidationError,
)
from crisisops.risk.controls import (
    Control,
    ControlEffect,
    ControlTarget,
    apply_controls,
    compare_controls,
    control_factors,
)
from crisisops.risk.distributions import (
    PERT,
    Constant,
    LogNormal,
    NegativeBinomial,
    Poisson,
)
from crisisops.risk.simulation import (
    CompoundLossModel,
    FAIRModel,
    LossDistribution,
    simulate,
)
from crisisops.serialization import from_data, to_data

LEF = PERT(low=1.0, mode=4.0, high=13.0)  # mean 5
LM = PERT(low=2_000.0, mode=5_000.0, high=14_000.0)  # mean 6,000


def control(
    key: str = "screening",
    target: ControlTarget = ControlTarget.LIKELIHOOD,
    effectiveness: float = 0.5,
    annual_cost: float = 1_000.0,
) -> Control:
    return Control(
        key=key,
        title=key.replace("_", " "),
        target=target,
        effectiveness=effectiveness,
        annual_cost=annual_cost,
    )


def fair() -> FAIRModel:
    return FAIRModel(loss_event_frequency=LEF, loss_magnitude=LM)


def threat() -> FAIRModel:
    return FAIRModel(
        threat_event_frequency=PERT(low=10.0, mode=20.0, high=60.0),
        vulnerability=PERT(low=0.1, mode=0.2, high=0.6),
        loss_magnitude=LM,
    )


def compound() -> CompoundLossModel:
    return CompoundLossModel(frequency=Poisson(rate=2.0), severity=LM)


# --- the vocabulary -----------------------------------------------------------


def test_targets_carry_the_books_terms() -> None:
    assert "可能性" == ControlTarget.LIKELIHOOD.labels.zh_hant
    assert "影響程度" == ControlTarget.IMPACT.labels.zh_hant
    assert "影响程度" == ControlTarget.IMPACT.labels.zh_hans
    assert "Likelihood and impact" == ControlTarget.BOTH.labels.en
    assert ControlTarget.BOTH.reduces_likelihood
    assert ControlTarget.BOTH.reduces_impact
    assert not ControlTarget.IMPACT.reduces_likelihood
    assert not ControlTarget.LIKELIHOOD.reduces_impact


def test_a_control_knows_its_factors() -> None:
    assert (0.25, 1.0) == (
        control(effectiveness=0.75).frequency_factor,
        control(effectiveness=0.75).magnitude_factor,
    )
    both = control(target=ControlTarget.BOTH, effectiveness=0.2)
    assert (0.8, 0.8) == (both.frequency_factor, both.magnitude_factor)


def test_controls_compose_multiplicatively() -> None:
    controls = [
        control("a", ControlTarget.LIKELIHOOD, 0.5),
        control("b", ControlTarget.LIKELIHOOD, 0.5),
        control("c", ControlTarget.IMPACT, 0.2),
        control("d", ControlTarget.BOTH, 0.5),
    ]
    # likelihood: 0.5 · 0.5 · 0.5; impact: 0.8 · 0.5 (by hand)
    assert (0.125, 0.4) == control_factors(controls)
    assert (1.0, 1.0) == control_factors([])


# --- apply_controls -----------------------------------------------------------


def test_controls_on_a_fair_model_scale_frequency_and_magnitude() -> None:
    controls = [
        control("a", ControlTarget.LIKELIHOOD, 0.5),
        control("b", ControlTarget.IMPACT, 0.25),
    ]
    controlled = apply_controls(fair(), controls)
    assert isinstance(controlled, FAIRModel)
    assert LEF.scaled(0.5) == controlled.loss_event_frequency
    assert LM.scaled(0.75) == controlled.loss_magnitude
    # 5 · 0.5 · 6,000 · 0.75
    assert math.isclose(11_250.0, controlled.expected_loss)


def test_likelihood_controls_on_threat_events_reduce_the_vulnerability() -> None:
    controlled = apply_controls(threat(), [control(effectiveness=0.5)])
    assert isinstance(controlled, FAIRModel)
    assert threat().threat_event_frequency == controlled.threat_event_frequency
    assert PERT(low=0.05, mode=0.1, high=0.3) == controlled.vulnerability
    assert math.isclose(0.5 * threat().expected_loss, controlled.expected_loss)


def test_controls_on_a_compound_model_thin_events_and_scale_losses() -> None:
    model = CompoundLossModel(
        frequency=NegativeBinomial(mean=4.0, dispersion=0.5),
        severity=LogNormal(mu=8.0, sigma=1.0),
    )
    controlled = apply_controls(model, [control("a", ControlTarget.BOTH, 0.5)])
    assert isinstance(controlled, CompoundLossModel)
    assert NegativeBinomial(mean=2.0, dispersion=0.5) == controlled.frequency
    assert LogNormal(mu=8.0 + math.log(0.5), sigma=1.0) == controlled.severity


def test_no_controls_change_nothing_and_full_controls_remove_the_loss() -> None:
    assert compound() == apply_controls(compound(), [])
    gone = apply_controls(
        fair(), [control(target=ControlTarget.IMPACT, effectiveness=1.0)]
    )
    assert 0.0 == gone.expected_loss
    assert Constant(value=0.0) == gone.loss_magnitude


# --- compare_controls ---------------------------------------------------------


@pytest.mark.parametrize("make", [fair, threat, compound], ids=lambda f: f.__name__)
def test_before_is_the_plain_simulation_and_after_the_controlled_model(
    make: Callable[[], Any],
) -> None:
    model = make()
    controls = [
        control("a", ControlTarget.LIKELIHOOD, 0.4),
        control("b", ControlTarget.IMPACT, 0.3),
    ]
    effect = compare_controls(model, controls, trials=40_000, seed=7)
    assert simulate(model, 40_000, seed=7) == effect.before
    expected_after = apply_controls(model, controls).expected_loss
    assert math.isclose(0.6 * 0.7 * model.expected_loss, expected_after)
    assert abs(effect.after.mean - expected_after) < 5 * effect.after.standard_error
    # the same years, so the reduction's error is far below an unpaired one
    unpaired = math.hypot(effect.before.standard_error, effect.after.standard_error)
    assert effect.reduction_standard_error < 0.8 * unpaired


def test_the_paired_after_has_the_controlled_models_distribution() -> None:
    model = compound()
    controls = [control(effectiveness=0.5)]
    paired = compare_controls(model, controls, trials=60_000, seed=3).after
    separate = simulate(apply_controls(model, controls), 60_000, seed=4)
    error = math.hypot(paired.standard_error, separate.standard_error)
    assert abs(paired.mean - separate.mean) < 5 * error
    # P(no event) = e^{-1} for Poisson(2) thinned to Poisson(1)
    assert math.isclose(
        math.exp(-1.0), 1.0 - paired.exceedance_probability(0.0), abs_tol=0.01
    )


def test_return_on_control_spend_by_hand() -> None:
    effect = compare_controls(
        fair(),
        [
            control("a", annual_cost=2_000.0),
            control("b", ControlTarget.IMPACT, 0.0, 500.0),
        ],
        trials=2_000,
        seed=1,
    )
    assert 2_500.0 == effect.annual_cost
    reduction = effect.before.mean - effect.after.mean
    assert math.isclose(reduction, effect.expected_loss_reduction)
    assert math.isclose(reduction - 2_500.0, effect.net_benefit)
    assert math.isclose(
        (reduction - 2_500.0) / 2_500.0, effect.return_on_control_spend or 0.0
    )
    assert effect.percentile_reduction >= 0.0
    free = compare_controls(fair(), [control(annual_cost=0.0)], trials=100, seed=1)
    assert free.return_on_control_spend is None


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(ControlTarget)), st.floats(0.0, 1.0)),
        max_size=4,
    ),
    st.sampled_from(["fair", "threat", "compound"]),
    st.integers(0, 2**32 - 1),
    st.floats(0.0, 100.0),
)
def test_after_never_exceeds_before_in_any_trial(
    specs: list[tuple[ControlTarget, float]], kind: str, seed: int, percentile: float
) -> None:
    makers: dict[str, Callable[[], FAIRModel | CompoundLossModel]] = {
        "fair": fair,
        "threat": threat,
        "compound": compound,
    }
    model = makers[kind]()
    controls = [
        control(f"c{i}", target, effectiveness)
        for i, (target, effectiveness) in enumerate(specs)
    ]
    effect = compare_controls(
        model,
        controls,
        trials=300,
        seed=seed,
        percentile=percentile,
    )
    assert (effect.after.losses <= effect.before.losses).all()
    assert effect.expected_loss_reduction >= 0.0
    assert effect.percentile_reduction >= 0.0


# --- round trips --------------------------------------------------------------

controls_strategy = st.builds(
    Control,
    key=st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
    title=st.text(min_size=1, max_size=20).filter(lambda s: s.strip() != ""),
    target=st.sampled_from(list(ControlTarget)),
    effectiveness=st.floats(0.0, 1.0),
    annual_cost=st.floats(0.0, 1e7),
    owner_role=st.none() | st.just("supply_chain_lead"),
    description=st.text(max_size=30),
)


@settings(max_examples=40, deadline=None)
@given(controls_strategy)
def test_controls_round_trip_through_plain_data(value: Control) -> None:
    document = to_data(value)
    json.dumps(document, allow_nan=False)
    assert value == from_data(Control, document)


@settings(max_examples=15, deadline=None)
@given(controls_strategy, st.integers(0, 2**32 - 1))
def test_control_effects_round_trip_through_plain_data(
    value: Control, seed: int
) -> None:
    effect = compare_controls(compound(), [value], trials=50, seed=seed)
    document = to_data(effect)
    json.dumps(document, allow_nan=False)
    assert effect == from_data(ControlEffect, document)
    assert ControlTarget.BOTH == from_data(ControlTarget, to_data(ControlTarget.BOTH))


# --- bad input ----------------------------------------------------------------

LOSSES = LossDistribution(losses=[1.0, 2.0])

BAD: list[tuple[Callable[[], object], type[CrisisOpsError], str]] = [
    (lambda: control(effectiveness=1.5), ValidationError, "'effectiveness'"),
    (lambda: control(effectiveness=-0.1), ValidationError, "'effectiveness'"),
    (lambda: control(effectiveness=math.nan), ValidationError, "'effectiveness'"),
    (lambda: control(annual_cost=-1.0), ValidationError, "'annual_cost'"),
    (lambda: control(key="Bad Key"), ValidationError, "'key'"),
    (lambda: control(target="likelihood"), InvalidTypeError, "'target'"),  # type: ignore[arg-type]
    (
        lambda: Control(
            key="a", title="", target=ControlTarget.IMPACT, effectiveness=0.5
        ),
        ValidationError,
        "'title'",
    ),
    (
        lambda: Control(
            key="a",
            title="A",
            target=ControlTarget.IMPACT,
            effectiveness=0.5,
            owner_role="Chief Risk Officer",
        ),
        ValidationError,
        "'owner_role'",
    ),
    (lambda: control_factors("screening"), InvalidTypeError, "'controls'"),  # type: ignore[arg-type]
    (lambda: control_factors([control(), "b"]), InvalidTypeError, r"'controls\[1\]'"),  # type: ignore[list-item]
    (lambda: control_factors([control(), control()]), DuplicateKeyError, "screening"),
    (lambda: apply_controls("model", [control()]), InvalidTypeError, "'model'"),  # type: ignore[call-overload]
    (lambda: apply_controls(fair(), 5), InvalidTypeError, "'controls'"),  # type: ignore[call-overload]
    (lambda: compare_controls(None, [], 10, 1), InvalidTypeError, "'model'"),  # type: ignore[arg-type]
    (lambda: compare_controls(fair(), [], 0, 1), ValidationError, "'trials'"),
    (lambda: compare_controls(fair(), [], 10, -1), ValidationError, "'seed'"),
    (
        lambda: compare_controls(fair(), [], 10, 1, percentile=101.0),
        ValidationError,
        "'percentile'",
    ),
    (
        lambda: ControlEffect(
            before=LOSSES, after=LossDistribution(losses=[1.0, 3.0]), controls=[]
        ),
        ValidationError,
        "'after'",
    ),
    (
        lambda: ControlEffect(
            before=LOSSES, after=LossDistribution(losses=[1.0]), controls=[]
        ),
        ValidationError,
        "'after'",
    ),
    (
        lambda: ControlEffect(before=[1.0, 2.0], after=LOSSES, controls=[]),  # type: ignore[arg-type]
        InvalidTypeError,
        "'before'",
    ),
    (
        lambda: ControlEffect(
            before=LOSSES, after=LOSSES, controls=[control(), control()]
        ),
        DuplicateKeyError,
        "screening",
    ),
    (
        lambda: ControlEffect(
            before=LOSSES, after=LOSSES, controls=[], percentile=-1.0
        ),
        ValidationError,
        "'percentile'",
    ),
]


@pytest.mark.parametrize(("make", "error", "field"), BAD)
def test_bad_input_is_rejected_naming_the_field(
    make: Callable[[], object], error: type[CrisisOpsError], field: str
) -> None:
    with pytest.raises(error, match=field):
        make()


def test_the_paired_reduction_is_exact_for_an_impact_control() -> None:
    effect = compare_controls(
        compound(), [control(target=ControlTarget.IMPACT, effectiveness=0.25)], 1_000, 5
    )
    np.testing.assert_allclose(
        0.75 * effect.before.losses, effect.after.losses, rtol=1e-12
    )
