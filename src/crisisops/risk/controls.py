r"""Controls that reduce a risk, and their effect measured on common random numbers.

Once a risk is quantified, the book's next step is to prepare the response
(book §3 定期進行風險評估: 4. 制定應對策略, and §4 制定針對性的應對策略):
measures that make the crisis less likely or less costly. ISO 31000 names
the same two levers among its treatment options (§6.5.2: "changing the
likelihood", "changing the consequences"). A `Control` says which lever it
pulls (`ControlTarget`), how well (its effectiveness, a fraction in [0, 1])
and what it costs per year.

How controls change a loss model (`apply_controls`):

* a **likelihood** control with effectiveness ``e`` stops a share ``e`` of
  the loss events: the frequency is *thinned* to ``1 − e`` of itself
  (`FAIRModel`: the loss-event frequency, or the vulnerability when the model
  has threat events and a vulnerability — FAIR's control strength;
  `CompoundLossModel`: each event kept with probability ``1 − e``);
* an **impact** control makes every loss ``1 − e`` times as large (the
  magnitude or severity distribution is scaled);
* a control on **both** does both with the same ``e``.

Several controls compose **multiplicatively**, as independent barriers: an
event has to get past each likelihood control in turn, so the kept share is
``∏(1 − eᵢ)`` over the likelihood (and both) controls, and the loss factor
``∏(1 − eᵢ)`` over the impact (and both) controls. Two 50% likelihood
controls stop 75% of events, not 100%.

`compare_controls` simulates the risk before and after on **common random
numbers**: the same simulated years, the same events and the same event
losses, with only the controls' effect applied (events thinned by one extra
uniform draw each, losses scaled). The comparison is then paired: every
simulated year loses at most as much after as before, and the reduction in
expected loss has a much smaller Monte Carlo error than the difference of
two independent runs would (common random numbers, Law 2015 §11.2). The
result, a `ControlEffect`, reports the expected-loss reduction, the
reduction at a percentile, and the return on control spend
``(reduction − cost)/cost`` (ROSI, Sonnenreich et al. 2006).

Examples
--------
>>> from crisisops.risk.distributions import PERT, Poisson
>>> from crisisops.risk.simulation import CompoundLossModel
>>> chargebacks = CompoundLossModel(
...     frequency=Poisson(rate=4.0),
...     severity=PERT(low=2_000.0, mode=5_000.0, high=14_000.0),
... )
>>> screening = Control(
...     key="fraud_screening",
...     title="Fraud screening at checkout",
...     target=ControlTarget.LIKELIHOOD,
...     effectiveness=0.5,
...     annual_cost=6_000.0,
... )
>>> apply_controls(chargebacks, [screening]).frequency
Poisson(rate=2.0)
>>> effect = compare_controls(chargebacks, [screening], trials=20_000, seed=2026)
>>> bool((effect.after.losses <= effect.before.losses).all())
True
>>> round(effect.expected_loss_reduction / 12_000.0, 1)  # half of 4 · 6,000
1.0
>>> round(effect.return_on_control_spend, 0)  # (12,000 − 6,000) / 6,000
1.0

References
----------
ISO 31000:2018. *Risk Management — Guidelines*. §6.5.2, selection of risk
treatment options.
Law, Averill M. 2015. *Simulation Modeling and Analysis*. 5th ed. New York:
McGraw-Hill. §11.2, common random numbers.
Sonnenreich, Wes, Jason Albanese, and Bruce Stout. 2006. "Return On Security
Investment (ROSI) – A Practical Quantitative Model." *Journal of Research and
Practice in Information Technology* 38 (1): 45–56.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from typing import Any, overload

import attrs
import numpy as np

from crisisops._validation import (
    check_finite,
    field_name,
    is_enum,
    is_finite,
    is_key,
    is_optional,
    is_text,
    to_tuple,
)
from crisisops.errors import DuplicateKeyError, InvalidTypeError, ValidationError
from crisisops.labels import Labels
from crisisops.risk.simulation import (
    CompoundLossModel,
    FAIRModel,
    LossDistribution,
    LossModel,
    _check_trials,
    _generator,
)

__all__ = [
    "Control",
    "ControlEffect",
    "ControlTarget",
    "apply_controls",
    "compare_controls",
    "control_factors",
]


class ControlTarget(enum.Enum):
    """What a control reduces: the likelihood of loss events, their impact, or both.

    The book's two dimensions of a risk (book §3 構建風險評估體系: 風險的概率、
    影響程度), as ISO 31000 §6.5.2's "changing the likelihood" and "changing
    the consequences".
    """

    LIKELIHOOD = "likelihood"
    IMPACT = "impact"
    BOTH = "both"

    @property
    def labels(self) -> Labels:
        """Name of the target in English, 繁體 and 简体."""
        return _TARGET_LABELS[self]

    @property
    def reduces_likelihood(self) -> bool:
        """Whether the control thins the loss events."""
        return self is not ControlTarget.IMPACT

    @property
    def reduces_impact(self) -> bool:
        """Whether the control scales the losses down."""
        return self is not ControlTarget.LIKELIHOOD


_TARGET_LABELS = {
    ControlTarget.LIKELIHOOD: Labels(
        en="Likelihood", zh_hant="可能性", zh_hans="可能性"
    ),
    ControlTarget.IMPACT: Labels(en="Impact", zh_hant="影響程度", zh_hans="影响程度"),
    ControlTarget.BOTH: Labels(
        en="Likelihood and impact",
        zh_hant="可能性與影響程度",
        zh_hans="可能性与影响程度",
    ),
}


def _to_float(value: float) -> float:
    """Turn an int into a float; pass anything else on to the validator."""
    if isinstance(value, (int, np.integer, np.floating)) and not isinstance(
        value, bool
    ):
        return float(value)
    return value


@attrs.frozen(kw_only=True)
class Control:
    """A measure (應對措施) that makes a risk less likely, less costly, or both.

    The book's response measures (應對措施; book §3 制定應對策略) as data:
    which lever the measure pulls (`ControlTarget`), how well, at what cost
    and who owns it. `apply_controls` and `compare_controls` turn it into
    numbers.

    Attributes
    ----------
    key
        Identifier, e.g. ``"fraud_screening"`` or ``"supply.second_source"``.
    title
        Short human-readable name.
    target
        What it reduces: `ControlTarget.LIKELIHOOD`, ``IMPACT`` or ``BOTH``.
    effectiveness
        The share it removes, in [0, 1]: of the loss events (likelihood), of
        each loss (impact), or of both.
    annual_cost
        What it costs per year (``>= 0``), in the unit of the losses.
    owner_role
        Key of the role that owns it (e.g. ``"supply_chain_lead"``), or
        ``None``.
    description
        Free text: how it works, evidence for its effectiveness.

    Examples
    --------
    >>> backup = Control(
    ...     key="backup_supplier",
    ...     title="Second supplier on standby",
    ...     target=ControlTarget.IMPACT,
    ...     effectiveness=0.6,
    ... )
    >>> backup.frequency_factor, backup.magnitude_factor
    (1.0, 0.4)
    """

    key: str = attrs.field(validator=is_key())
    title: str = attrs.field(validator=is_text())
    target: ControlTarget = attrs.field(validator=is_enum(ControlTarget))
    effectiveness: float = attrs.field(
        converter=_to_float, validator=is_finite(low=0.0, high=1.0)
    )
    annual_cost: float = attrs.field(
        default=0.0, converter=_to_float, validator=is_finite(low=0.0)
    )
    owner_role: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    description: str = attrs.field(default="", validator=is_text(allow_empty=True))

    @property
    def frequency_factor(self) -> float:
        """Share of loss events it lets through: ``1 − effectiveness`` or 1."""
        return 1.0 - self.effectiveness if self.target.reduces_likelihood else 1.0

    @property
    def magnitude_factor(self) -> float:
        """Factor on each loss: ``1 − effectiveness`` or 1."""
        return 1.0 - self.effectiveness if self.target.reduces_impact else 1.0


def _check_controls(controls: object) -> tuple[Control, ...]:
    if isinstance(controls, Control):
        return (controls,)
    if isinstance(controls, (str, bytes)) or not isinstance(controls, Iterable):
        raise InvalidTypeError("controls", controls, "an iterable of Control")
    items = tuple(controls)
    seen: set[str] = set()
    for index, control in enumerate(items):
        if not isinstance(control, Control):
            raise InvalidTypeError(f"controls[{index}]", control, "a Control")
        if control.key in seen:
            raise DuplicateKeyError("control", control.key)
        seen.add(control.key)
    return items


def control_factors(controls: Iterable[Control]) -> tuple[float, float]:
    """Return the combined ``(frequency_factor, magnitude_factor)`` of controls.

    Controls compose multiplicatively: ``∏(1 − eᵢ)`` over the controls that
    reduce likelihood, and over those that reduce impact. No controls give
    ``(1.0, 1.0)``.

    Raises
    ------
    InvalidTypeError
        If ``controls`` is not an iterable of `Control`.
    DuplicateKeyError
        If two controls share a key.

    Examples
    --------
    >>> two = [
    ...     Control(
    ...         key="a", title="A", target=ControlTarget.LIKELIHOOD, effectiveness=0.5
    ...     ),
    ...     Control(key="b", title="B", target=ControlTarget.BOTH, effectiveness=0.5),
    ... ]
    >>> control_factors(two)
    (0.25, 0.5)
    """
    items = _check_controls(controls)
    frequency = math.prod(c.frequency_factor for c in items)
    magnitude = math.prod(c.magnitude_factor for c in items)
    return float(frequency), float(magnitude)


@overload
def apply_controls(model: FAIRModel, controls: Iterable[Control]) -> FAIRModel: ...


@overload
def apply_controls(
    model: CompoundLossModel, controls: Iterable[Control]
) -> CompoundLossModel: ...


def apply_controls(model: LossModel, controls: Iterable[Control]) -> LossModel:
    """Return the loss model with the controls' combined effect applied.

    With ``k`` and ``m`` the combined factors of `control_factors`:

    * `FAIRModel` – the loss-event frequency is scaled by ``k`` (or, when the
      model has threat events, the vulnerability is), the loss magnitude by
      ``m``;
    * `CompoundLossModel` – the frequency is thinned to ``k``
      (`Poisson` ``rate·k``, `Bernoulli` ``p·k``, `NegativeBinomial`
      ``mean·k``), the severity scaled by ``m``.

    Parameters
    ----------
    model
        The uncontrolled (inherent) loss model.
    controls
        The controls in place; none gives the model unchanged.

    Returns
    -------
    FAIRModel or CompoundLossModel
        The controlled (residual) model, of the same kind.

    Raises
    ------
    InvalidTypeError
        If ``model`` is not a loss model or ``controls`` not Controls.
    DuplicateKeyError
        If two controls share a key.
    """
    if not isinstance(model, (FAIRModel, CompoundLossModel)):
        raise InvalidTypeError("model", model, "a FAIRModel or CompoundLossModel")
    keep, shrink = control_factors(controls)
    if isinstance(model, CompoundLossModel):
        return CompoundLossModel(
            frequency=model.frequency.thinned(keep),
            severity=model.severity.scaled(shrink),
        )
    magnitude = model.loss_magnitude.scaled(shrink)
    if model.loss_event_frequency is not None:
        return attrs.evolve(
            model,
            loss_event_frequency=model.loss_event_frequency.scaled(keep),
            loss_magnitude=magnitude,
        )
    assert model.vulnerability is not None  # noqa: S101  a FAIRModel checks this
    return attrs.evolve(
        model, vulnerability=model.vulnerability.scaled(keep), loss_magnitude=magnitude
    )


def _check_paired(instance: ControlEffect, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    _is_loss_distribution(instance, attribute, value)
    before = instance.before
    if value.trials != before.trials:
        raise ValidationError(
            name, value, f"the same number of trials as before ({before.trials})"
        )
    if not (value.losses <= before.losses).all():
        raise ValidationError(
            name,
            value,
            "losses paired with before, trial by trial, never above them "
            "(simulate with compare_controls)",
        )


def _is_loss_distribution(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if not isinstance(value, LossDistribution):
        raise InvalidTypeError(field_name(attribute), value, "a LossDistribution")


def _check_control_tuple(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of Control")
    _check_controls(value)


def _percentile_level(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    check_finite(value, field_name(attribute), low=0.0, high=100.0)


@attrs.frozen(kw_only=True)
class ControlEffect:
    """The paired before/after losses of a risk under controls, and what they say.

    Attributes
    ----------
    before
        Simulated annual losses without the controls.
    after
        The same simulated years with the controls applied (common random
        numbers): never above ``before``, trial by trial.
    controls
        The controls compared.
    percentile
        The percentile (in [0, 100]) at which `percentile_reduction` is
        reported, e.g. 95 for the 1-in-20 bad year.

    Examples
    --------
    >>> effect = ControlEffect(
    ...     before=LossDistribution(losses=[0.0, 100.0, 200.0]),
    ...     after=LossDistribution(losses=[0.0, 50.0, 100.0]),
    ...     controls=[
    ...         Control(
    ...             key="a",
    ...             title="A",
    ...             target=ControlTarget.IMPACT,
    ...             effectiveness=0.5,
    ...             annual_cost=25.0,
    ...         )
    ...     ],
    ... )
    >>> effect.expected_loss_reduction, effect.return_on_control_spend
    (50.0, 1.0)
    """

    before: LossDistribution = attrs.field(validator=_is_loss_distribution)
    after: LossDistribution = attrs.field(validator=_check_paired)
    controls: tuple[Control, ...] = attrs.field(
        converter=to_tuple, validator=_check_control_tuple
    )
    percentile: float = attrs.field(
        default=95.0, converter=_to_float, validator=_percentile_level
    )

    @property
    def annual_cost(self) -> float:
        """What the controls cost per year together."""
        return math.fsum(c.annual_cost for c in self.controls)

    @property
    def expected_loss_reduction(self) -> float:
        """Expected annual loss avoided: ``mean(before) − mean(after)``."""
        return self.before.mean - self.after.mean

    @property
    def reduction_standard_error(self) -> float:
        """Monte Carlo standard error of `expected_loss_reduction`.

        The sd of the paired per-trial reductions over ``√trials``: small,
        because both runs share their random numbers.
        """
        difference = self.before.losses - self.after.losses
        if difference.size < 2:
            return 0.0
        return float(difference.std(ddof=1)) / math.sqrt(difference.size)

    @property
    def percentile_reduction(self) -> float:
        """Reduction of the `percentile`-th percentile of annual loss (``>= 0``)."""
        return float(
            self.before.percentile(self.percentile)
            - self.after.percentile(self.percentile)
        )

    @property
    def net_benefit(self) -> float:
        """Expected loss avoided minus what the controls cost, per year."""
        return self.expected_loss_reduction - self.annual_cost

    @property
    def return_on_control_spend(self) -> float | None:
        """ROSI ``(reduction − cost)/cost``; ``None`` when the controls cost nothing.

        1.0 means every unit spent avoids two units of expected loss; below 0
        the controls cost more than they save on average (they may still be
        worth it for the tail, see `percentile_reduction`).
        """
        cost = self.annual_cost
        if cost == 0.0:
            return None
        return self.net_benefit / cost


def compare_controls(
    model: LossModel,
    controls: Iterable[Control],
    trials: int,
    seed: int | np.random.SeedSequence | np.random.Generator,
    *,
    percentile: float = 95.0,
) -> ControlEffect:
    """Simulate a risk before and after controls, on common random numbers.

    The "before" losses are exactly ``simulate(model, trials, seed)``'s. The
    "after" losses reuse the same years and events: the frequency (or each
    event, for a `CompoundLossModel`) is thinned by the combined likelihood
    factor, every loss scaled by the combined impact factor (see
    `control_factors`). They have the distribution of
    ``apply_controls(model, controls)``, but are not the draws a separate
    simulation of it would make: they are paired with "before", trial by
    trial, and never above it.

    Parameters
    ----------
    model
        The uncontrolled loss model.
    controls
        The controls to evaluate together.
    trials
        Number of simulated years.
    seed
        An int seed ``>= 0``, a `numpy.random.SeedSequence` or a Generator.
    percentile
        Where to report the tail reduction, in [0, 100] (default 95).

    Returns
    -------
    ControlEffect

    Raises
    ------
    InvalidTypeError, ValidationError, DuplicateKeyError
        For a bad model, controls, trial count, seed or percentile.
    """
    if not isinstance(model, (FAIRModel, CompoundLossModel)):
        raise InvalidTypeError("model", model, "a FAIRModel or CompoundLossModel")
    items = _check_controls(controls)
    n = _check_trials(trials)
    level = check_finite(_to_float(percentile), "percentile", low=0.0, high=100.0)
    keep, shrink = control_factors(items)
    rng = _generator(seed)
    before, after = model.sample_paired(
        rng, n, frequency_factor=keep, magnitude_factor=shrink
    )
    before.setflags(write=False)
    after.setflags(write=False)
    return ControlEffect(
        before=LossDistribution(losses=before),
        after=LossDistribution(losses=after),
        controls=items,
        percentile=level,
    )
