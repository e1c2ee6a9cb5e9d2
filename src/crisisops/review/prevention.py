"""Prevention: what the reviewed crises say the risk register should now read (§6.4).

Book §6.4 預防未來危機的發生 begins "分析歷史數據,找出潛在風險點": analyse the
history to find the risk points, then keep the warning system and the
measures current. Book §3 (構建風險評估體系) had rated each risk's likelihood
and impact "結合專家意見和歷史案例" — from expert opinion *and past cases*;
after some crises the past cases have grown. `propose_register_updates()`
turns the reviews into proposed new assessments of the risks in a
`crisisops.risk.RiskRegister`:

* **likelihood** — the confirmed crises of a risk's crisis type between
  ``since`` and ``at`` (reviewed by ``at``: a proposal uses what was known
  when it was made) give an observed rate (crises per year), turned into
  a level by `crisisops.risk.likelihood_from_history` on the matrix's
  likelihood scale (`crisisops.risk.default_likelihood_scale`: fewer than
  0.1 a year is "Rare", four or more "Almost certain"). A short history is
  noisy, so by default the level is blended with the current (expert)
  level by a Bühlmann credibility weight, ``years / (years + 3)``
  (`crisisops.risk.blend`, `crisisops.risk.history_weight`): two quiet
  years nudge a yearly risk down one level, they do not make it rare.
* **impact** — the business loss of those crises (each review's best-known
  total, `crisisops.response.BusinessLoss.total_best_known`), put on the
  impact scale (`crisisops.risk.default_impact_scale`) by money thresholds
  the shop sets (`LossBands`: e.g. TWD 10k / 100k / 1M / 10M). When the
  observed loss is worse than the financial rating, the rating is raised;
  a milder loss is reported but never lowers it — a few mild outcomes do
  not bound the worst case.

Nothing is applied: each `RegisterProposal` shows the evidence and the
proposed `crisisops.risk.Assessment`; a person accepts it with
`RegisterProposal.apply`, which records it through
`crisisops.risk.RiskRegister.assess` (and refuses if the risk was assessed
again in the meantime).

Examples
--------
A shop rated its customer-service risk "Unlikely" (2). Then three
customer-service crises happened in two years.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from crisisops.response import Crisis, LossCategory, RateCard
>>> from crisisops.review.prevention import LossBands, propose_register_updates
>>> from crisisops.review.record import Review
>>> from crisisops.risk import Assessment, Risk, RiskRegister
>>> from crisisops.taxonomy import ResponseLevel
>>> start = dt.datetime(2024, 7, 1, tzinfo=dt.timezone.utc)
>>> risk = Risk(
...     key="service_overload",
...     title="Customer service swamped at peak",
...     crisis_type="other.customer_service_failure",
... )
>>> rated = Assessment(
...     likelihood=2,
...     impacts={"financial": 2, "customer_relationship": 3},
...     assessed_at=start,
...     assessor="ops_lead",
... )
>>> register = RiskRegister().add(risk, at=start, by="ops_lead")
>>> register = register.assess("service_overload", rated, at=start, by="ops_lead")
>>> def reviewed(key, when, loss):
...     h = dt.timedelta(hours=1)
...     crisis = Crisis.declare(
...         key,
...         title=key,
...         crisis_type="other.customer_service_failure",
...         level=ResponseLevel.III,
...         at=when,
...         actor="monitor",
...         lead="mei",
...         rates=RateCard(currency="TWD", hourly={"crisis_lead": 1_000}),
...     )
...     crisis = crisis.confirm(at=when + h, actor="mei", root_cause="queue")
...     crisis = crisis.record_loss(
...         at=when + h,
...         actor="mei",
...         category=LossCategory.REFUNDS_COMPENSATION,
...         amount=Decimal(loss),
...         estimate=False,
...     )
...     crisis = crisis.mark_contained(at=when + 2 * h, actor="mei")
...     crisis = crisis.mark_recovered(at=when + 3 * h, actor="mei")
...     crisis = crisis.resolve(at=when + 4 * h, actor="mei")
...     return Review.draft(
...         crisis,
...         key=f"review_{key}",
...         at=when + 5 * h,
...         owner="mei",
...         summary="Queues overflowed.",
...     )
>>> reviews = [
...     reviewed("cs_1", dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc), 40_000),
...     reviewed("cs_2", dt.datetime(2025, 11, 11, tzinfo=dt.timezone.utc), 250_000),
...     reviewed("cs_3", dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc), 90_000),
... ]
>>> bands = LossBands(currency="TWD", edges=[10_000, 100_000, 1_000_000, 10_000_000])
>>> (proposal,) = propose_register_updates(
...     register,
...     reviews,
...     since=start,
...     at=dt.datetime(2026, 7, 1, tzinfo=dt.timezone.utc),
...     loss_bands=bands,
... )

Three crises in two years is 1.5 a year, "Likely" (4); two years of history
weigh about 2 / (2 + 3) = 0.4 against the experts' 2: 0.6 · 2 + 0.4 · 4 =
2.8, level 3 (half up). The worst loss, TWD 250,000, is financial impact 3,
"Moderate" (rated 2).

>>> proposal.incidents, round(proposal.observed_rate, 2), proposal.historical_likelihood
(3, 1.5, 4)
>>> proposal.likelihood_change, proposal.impact_change
((2, 3), (2, 3))
>>> proposal.proposed.impacts.levels[proposal.loss_bands.dimension]
3
>>> updated = proposal.apply(
...     register, at=dt.datetime(2026, 7, 2, tzinfo=dt.timezone.utc), by="ops_lead"
... )
>>> updated["service_overload"].current.likelihood
3

The observed loss is the largest of the crises' losses by default; one of
`LOSS_STATISTICS` chooses another summary. The mean, TWD 126,666.67, falls
in the same band:

>>> from crisisops.review.prevention import LOSS_STATISTICS
>>> LOSS_STATISTICS
('max', 'mean')
>>> proposal.observed_loss
Decimal('250000')
>>> (by_mean,) = propose_register_updates(
...     register,
...     reviews,
...     since=start,
...     at=dt.datetime(2026, 7, 1, tzinfo=dt.timezone.utc),
...     loss_bands=bands,
...     loss_statistic="mean",
... )
>>> round(by_mean.observed_loss, 2), by_mean.observed_impact
(Decimal('126666.67'), 3)

A `RegisterProposal` waits for a person to accept it, so it is stored and
read back unchanged:

>>> from crisisops.review.prevention import RegisterProposal
>>> from crisisops.serialization import from_data, to_data
>>> from_data(RegisterProposal, to_data(proposal)) == proposal
True

References
----------
ISO 31000:2018 *Risk management — Guidelines*, §6.4.3 (risk analysis
considers past events) and §6.6 (monitoring and review). Geneva: ISO.
Bühlmann, Hans. 1967. "Experience Rating and Credibility." *ASTIN Bulletin*
4 (3): 199–207. https://doi.org/10.1017/S0515036100008989. (How much a
short history should count against a prior rating.)
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from crisisops._time import instant
from crisisops._validation import (
    check_amount,
    check_aware,
    check_finite,
    check_str,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    is_unique,
    to_str_tuple,
)
from crisisops.errors import (
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.planning import check_currency
from crisisops.response import CrisisStatus
from crisisops.review._shared import (
    check_unique_keys,
    detected,
    items_of,
    latest_reviews,
)
from crisisops.review.record import Review
from crisisops.risk import (
    Assessment,
    AssessmentKind,
    BlendedLikelihood,
    ImpactDimension,
    ImpactRating,
    RiskMatrix,
    RiskRegister,
    blend,
    default_matrix,
    history_weight,
    likelihood_from_history,
)
from crisisops.taxonomy import CrisisTypeCatalog

__all__ = [
    "LOSS_STATISTICS",
    "LossBands",
    "RegisterProposal",
    "propose_register_updates",
]

#: The ways the crises' losses can be summarised into one observed loss.
LOSS_STATISTICS: tuple[str, ...] = ("max", "mean")

_YEAR = dt.timedelta(days=365.25)
_DEFAULT_ASSESSOR = "crisisops.review"


# --- loss bands -----------------------------------------------------------------


def _to_amounts(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    """Turn a list of ints or Decimals into a tuple of Decimals; pass others on."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value
    return tuple(
        Decimal(item) if isinstance(item, int) and not isinstance(item, bool) else item
        for item in value
    )


def _check_edges(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a sequence of Decimal amounts")
    if not value:
        raise ValidationError(name, value, "at least one edge (two impact levels)")
    for index, edge in enumerate(value):
        check_amount(edge, f"{name}[{index}]")
        if edge <= 0:
            raise ValidationError(f"{name}[{index}]", edge, "an amount > 0")
        if index and edge <= value[index - 1]:
            raise ValidationError(
                f"{name}[{index}]",
                edge,
                f"an amount above {name}[{index - 1}] ({value[index - 1]}): "
                "edges rise strictly",
            )


@attrs.frozen(kw_only=True)
class LossBands:
    """Money thresholds that put a crisis's loss on the impact scale.

    The default impact scale (`crisisops.risk.default_impact_scale`) names
    its levels — Insignificant, Minor, Moderate, Major, Catastrophic — but no
    amounts: what is "Major" for a small shop is nothing for a platform. The
    bands say it for one shop, in one currency, like the likelihood scale's
    frequency bands: half-open, level ``k`` for ``edges[k-2] <= loss <
    edges[k-1]``, so a scale of ``n`` levels needs ``n − 1`` edges.

    Attributes
    ----------
    currency
        ISO 4217 code of the amounts, e.g. ``"TWD"``; losses in another
        currency are not compared.
    edges
        The amounts where each level above the first begins, rising
        strictly, each a `decimal.Decimal` > 0 (ints are taken as Decimals;
        floats are refused: money is exact).
    dimension
        The impact dimension the loss rates (`crisisops.risk.ImpactDimension`;
        financial by default).

    Examples
    --------
    >>> bands = LossBands(currency="TWD", edges=[10_000, 100_000, 1_000_000, 10**7])
    >>> from decimal import Decimal
    >>> bands.level(Decimal(9_999)), bands.level(Decimal(10_000)), bands.levels
    (1, 2, 5)
    """

    currency: str = attrs.field()
    edges: tuple[Decimal, ...] = attrs.field(
        converter=_to_amounts, validator=_check_edges
    )
    dimension: ImpactDimension = attrs.field(
        default=ImpactDimension.FINANCIAL, validator=is_enum(ImpactDimension)
    )

    @currency.validator
    def _check_currency(self, _attribute: Any, value: object) -> None:  # noqa: ANN401
        check_currency(value, "currency")

    @property
    def levels(self) -> int:
        """The number of impact levels the bands cover, ``len(edges) + 1``."""
        return len(self.edges) + 1

    def level(self, amount: Decimal) -> int:
        """Return the impact level of a loss of ``amount`` (1 … `levels`).

        Raises
        ------
        InvalidTypeError, ValidationError
            Unless ``amount`` is a finite `decimal.Decimal` >= 0.
        """
        check_amount(amount, "amount")
        return bisect.bisect_right(self.edges, amount) + 1


# --- proposals ------------------------------------------------------------------


def _is_level(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int level >= 1")
    if value < 1:
        raise ValidationError(name, value, "an int level >= 1")


def _is_optional_amount(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is not None:
        check_amount(value, field_name(attribute))


_OPTIONAL_LEVEL = is_optional(_is_level)
_ASSESSMENT = is_instance(Assessment, "an Assessment")


@attrs.frozen(kw_only=True)
class RegisterProposal:
    """A proposed new current assessment of one risk, with its evidence.

    Never applied by itself: `apply` records it in a register once a person
    accepts it.

    Attributes
    ----------
    risk
        The risk's key.
    crisis_type
        The risk's crisis type: the crises counted are of this type.
    since, at
        The history window the evidence comes from, ``[since, at]``.
    crises
        Keys of the confirmed crises of that type detected in the window,
        oldest first.
    years
        Length of the window in years of 365.25 days.
    historical_likelihood
        `crisisops.risk.likelihood_from_history` of ``len(crises)`` crises
        in ``years`` years on the matrix's likelihood scale.
    blended
        How the historical level was blended with the current one
        (`crisisops.risk.BlendedLikelihood`), or ``None`` when the history
        alone decides (no current assessment, or blending turned off).
    observed_loss
        The crises' loss summarised (largest or mean best-known total) in
        ``loss_bands.currency``; ``None`` without bands or losses.
    observed_impact
        ``observed_loss`` on the bands' scale; ``None`` without it.
    loss_bands
        The bands used, or ``None``.
    current
        The risk's current assessment when the proposal was made (``None``
        if it had none): `apply` refuses if it has changed since.
    proposed
        The proposed current assessment: the new likelihood, the impacts of
        ``current`` with the bands' dimension raised to ``observed_impact``
        where that is worse, ``assessed_at`` ``at``, the reasons as its note,
        and the current loss model kept.
    reasons
        The evidence in words, one line per finding.
    """

    risk: str = attrs.field(validator=is_key())
    crisis_type: str = attrs.field(validator=is_key())
    since: dt.datetime = attrs.field(validator=is_aware_datetime())
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    crises: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=[is_tuple_of(is_text()), is_unique("crisis")]
    )
    years: float = attrs.field(validator=is_finite(low=0.0))
    historical_likelihood: int = attrs.field(validator=_is_level)
    blended: BlendedLikelihood | None = attrs.field(
        validator=is_optional(is_instance(BlendedLikelihood, "a BlendedLikelihood"))
    )
    observed_loss: Decimal | None = attrs.field(validator=_is_optional_amount)
    observed_impact: int | None = attrs.field(validator=_OPTIONAL_LEVEL)
    loss_bands: LossBands | None = attrs.field(
        validator=is_optional(is_instance(LossBands, "a LossBands"))
    )
    current: Assessment | None = attrs.field(validator=is_optional(_ASSESSMENT))
    proposed: Assessment = attrs.field(validator=_ASSESSMENT)
    reasons: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text())
    )

    def __attrs_post_init__(self) -> None:
        """Check the window, the proposed moment and that something changes."""
        if instant(self.at) <= instant(self.since):
            raise ValidationError(
                "at", self.at, f"a moment after since ({self.since.isoformat()})"
            )
        if self.years <= 0:
            raise ValidationError("years", self.years, "a number > 0")
        if instant(self.proposed.assessed_at) != instant(self.at):
            raise ValidationError(
                "proposed.assessed_at",
                self.proposed.assessed_at,
                f"the proposal's at ({self.at.isoformat()})",
            )
        if (self.observed_impact is None) != (self.observed_loss is None):
            raise ValidationError(
                "observed_impact",
                self.observed_impact,
                "set exactly when observed_loss is set",
            )
        if self.observed_loss is not None and self.loss_bands is None:
            raise ValidationError(
                "loss_bands", None, "the LossBands the observed loss was rated on"
            )
        current = self.current
        if current is not None and (
            current.likelihood == self.proposed.likelihood
            and current.impacts == self.proposed.impacts
        ):
            raise ValidationError(
                "proposed",
                self.proposed,
                "an assessment that changes the current likelihood or impacts",
            )

    @property
    def incidents(self) -> int:
        """How many confirmed crises of the risk's type the window holds."""
        return len(self.crises)

    @property
    def observed_rate(self) -> float:
        """Crises per year in the window."""
        return len(self.crises) / self.years

    @property
    def likelihood_change(self) -> tuple[int | None, int]:
        """The likelihood level before (``None`` if unassessed) and proposed."""
        before = None if self.current is None else self.current.likelihood
        return (before, self.proposed.likelihood)

    @property
    def impact_change(self) -> tuple[int | None, int | None]:
        """The bands' dimension's impact level before and proposed.

        ``(None, None)`` without loss bands; the first is ``None`` when the
        current assessment does not rate that dimension.
        """
        if self.loss_bands is None:
            return (None, None)
        dimension = self.loss_bands.dimension
        before = None if self.current is None else self.current.impacts.level(dimension)
        return (before, self.proposed.impacts.level(dimension))

    def apply(
        self, register: RiskRegister, *, at: dt.datetime, by: str, note: str = ""
    ) -> RiskRegister:
        """Return ``register`` with the proposed assessment recorded as current.

        The explicit acceptance of the proposal: `crisisops.risk.RiskRegister.assess`
        with ``which=CURRENT``, so the change lands in the register's history
        with who accepted it, when and why (``note``, default the reasons).

        Raises
        ------
        InvalidTypeError
            If ``register`` is not a `crisisops.risk.RiskRegister`.
        UnknownKeyError
            If the register no longer holds the risk.
        ValidationError
            If the risk's current assessment is no longer the one the proposal
            was made from (it was assessed again: propose anew), or ``at`` is
            before the proposal's ``at`` or the register's last change.
        """
        if not isinstance(register, RiskRegister):
            raise InvalidTypeError(
                "register", register, "a crisisops.risk.RiskRegister"
            )
        check_str(note, "note", allow_empty=True)
        risk = register[self.risk]
        if risk.current != self.current:
            raise ValidationError(
                "register",
                self.risk,
                "a register whose risk still has the current assessment the "
                "proposal was made from (it was re-assessed since: propose again)",
            )
        moment = check_aware(at, "at")
        if instant(moment) < instant(self.at):
            raise ValidationError(
                "at", at, f"a moment at or after the proposal ({self.at.isoformat()})"
            )
        return register.assess(
            self.risk,
            self.proposed,
            at=moment,
            by=by,
            which=AssessmentKind.CURRENT,
            note=note or "; ".join(self.reasons),
        )


# --- proposing ------------------------------------------------------------------


def _check_reviews(reviews: object) -> list[Review]:
    items = items_of(reviews, "reviews", Review, "an iterable of Review")
    check_unique_keys(items, "review")
    return items


def _confirmed_in_window(
    reviews: list[Review], since: dt.datetime, at: dt.datetime
) -> list[tuple[dt.datetime, Review]]:
    """Latest review per confirmed real crisis detected in ``[since, at]``, by date.

    Only reviews written by ``at`` count: a proposal dated ``at`` uses what
    was known then, so running it again later gives the same proposal. A
    crisis whose latest review by then is of its dismissal does not count.
    """
    current = latest_reviews(reviews, as_of=at).values()
    low, high = instant(since), instant(at)
    found = [
        (detected(review.milestones), review)
        for review in current
        if review.outcome is CrisisStatus.RESOLVED and review.mode.counts_in_metrics
    ]
    kept = [(when, review) for when, review in found if low <= instant(when) <= high]
    return sorted(kept, key=lambda item: (instant(item[0]), item[1].crisis))


def _observed_loss(
    reviews: list[Review], bands: LossBands, statistic: str
) -> tuple[Decimal | None, list[str]]:
    """Summarise the crises' loss in the bands' currency; note the others."""
    amounts: list[Decimal] = []
    other: list[str] = []
    for review in reviews:
        loss = review.business_loss
        if loss is None:
            continue
        if loss.currency != bands.currency:
            other.append(review.crisis)
            continue
        amounts.append(loss.total_best_known)
    notes = []
    if other:
        notes.append(
            f"losses of {', '.join(other)} not in {bands.currency} "
            "(or without a currency) were not compared"
        )
    if not amounts:
        return None, notes
    if statistic == "max":
        return max(amounts), notes
    return sum(amounts, Decimal(0)) / len(amounts), notes


def _impact_evidence(
    reviews: list[Review],
    bands: LossBands,
    statistic: str,
    levels: dict[ImpactDimension, int],
    grid: RiskMatrix,
) -> tuple[Decimal | None, int | None, list[str]]:
    """Rate the crises' loss on the bands; raise ``levels`` where it is worse.

    Returns the observed loss, its impact level and the reasons in words.
    """
    loss, notes = _observed_loss(reviews, bands, statistic)
    if loss is None:
        return None, None, notes
    impact = bands.level(loss)
    dimension = bands.dimension
    rated = levels.get(dimension)
    word = "largest" if statistic == "max" else "mean"
    notes.append(
        f"{word} loss {loss} {bands.currency}: {dimension.value} impact {impact} "
        f"({grid.impact.level(impact).labels.en}), "
        f"rated {'none' if rated is None else rated}"
    )
    if rated is None or impact > rated:
        levels[dimension] = impact
    return loss, impact, notes


def _lineage(crisis_type: str, catalog: CrisisTypeCatalog | None) -> set[str]:
    """Return ``crisis_type`` and, through the catalog's parent links, its ancestors."""
    found = {crisis_type}
    key: str | None = crisis_type
    while catalog is not None and key is not None and key in catalog:
        key = catalog[key].parent
        if key is None or key in found:
            break
        found.add(key)
    return found


def _matrix(matrix: object, bands: LossBands | None) -> RiskMatrix:
    grid = default_matrix() if matrix is None else matrix
    if not isinstance(grid, RiskMatrix):
        raise InvalidTypeError("matrix", matrix, "a RiskMatrix (or None: the default)")
    if not grid.likelihood.has_bands:
        raise ValidationError(
            "matrix.likelihood",
            grid.likelihood.key,
            "a likelihood scale with frequency bands (to rate a history)",
        )
    if bands is not None and bands.levels != grid.impact.size:
        raise ValidationError(
            "loss_bands.edges",
            bands.edges,
            f"{grid.impact.size - 1} edges, one per impact level above the first "
            f"of the matrix's {grid.impact.size}-level impact scale",
        )
    return grid


def _check_options(
    loss_bands: object, loss_statistic: object, half_weight_years: object
) -> None:
    if loss_bands is not None and not isinstance(loss_bands, LossBands):
        raise InvalidTypeError("loss_bands", loss_bands, "a LossBands or None")
    if not isinstance(loss_statistic, str) or loss_statistic not in LOSS_STATISTICS:
        raise UnknownKeyError("loss statistic", loss_statistic, LOSS_STATISTICS)
    if half_weight_years is not None:
        k = check_finite(half_weight_years, "half_weight_years")
        if k <= 0:
            raise ValidationError(
                "half_weight_years", half_weight_years, "a number > 0, or None"
            )


def propose_register_updates(  # noqa: PLR0913  the evidence options, by name
    register: RiskRegister,
    reviews: Iterable[Review],
    *,
    since: dt.datetime,
    at: dt.datetime,
    matrix: RiskMatrix | None = None,
    loss_bands: LossBands | None = None,
    loss_statistic: str = "max",
    half_weight_years: float | None = 3.0,
    assessor: str = _DEFAULT_ASSESSOR,
    catalog: CrisisTypeCatalog | None = None,
) -> tuple[RegisterProposal, ...]:
    """Propose new current assessments for the risks the reviews bear on.

    For every open risk in ``register``, the evidence is the confirmed
    crises of the risk's crisis type: reviews with outcome ``RESOLVED``
    (dismissed crises were false alarms), not drills, written by ``at``,
    one per crisis (its latest review), of crises detected
    (`crisisops.review.portfolio.detected_at`) in ``[since, at]``. With a
    crisis-type catalog, a crisis of a narrower type counts for a risk of
    the broader one (``supply_chain.peak_season_stockout`` for a
    ``supply_chain.inventory`` risk, through `crisisops.taxonomy.CrisisType`
    ``parent``). Risks that share a crisis type share its evidence.

    * **Likelihood.** ``likelihood_from_history(len(crises), years,
      matrix.likelihood)``, where ``years = (at − since) / 365.25 days``.
      With a current (or else inherent) assessment and
      ``half_weight_years`` set, the proposed level is
      ``blend(current, historical, history_weight(years,
      half_weight_years)).level``: the weighted mean rounded half up. With
      ``half_weight_years=None`` or no assessment, the historical level.
    * **Impact.** With ``loss_bands``, the crises' best-known business loss
      in the bands' currency is summarised (``loss_statistic``: the largest
      single-crisis loss, ``"max"``, the default — the consequence a rating
      must cover — or the ``"mean"``) and put on the bands' scale. If that
      level is above the base assessment's level on the bands' dimension (or
      the dimension is unrated), the proposal raises it; it never lowers
      one.

    A proposal is made only when the proposed assessment differs from the
    current one in likelihood or impact. A risk without any assessment gets
    one only when the loss gives it an impact (an assessment needs one).

    Parameters
    ----------
    register
        The risk register; only its open risks are considered.
    reviews
        The reviews (`crisisops.review.record.Review`); distinct keys.
    since
        Start of the history the reviews cover (aware). The crises counted
        are those detected from ``since`` to ``at``: pass the start of the
        period whose reviews you give, not the first crisis (counting from
        the first occurrence overstates the rate).
    at
        When the proposal is made (aware), after ``since``; the proposed
        assessments are dated ``at``.
    matrix
        The risk matrix whose scales to use (`crisisops.risk.default_matrix`
        if ``None``); its likelihood scale must have frequency bands.
    loss_bands
        Money thresholds for the impact (`LossBands`), one edge per impact
        level above the first; ``None`` leaves impacts unchanged.
    loss_statistic
        ``"max"`` or ``"mean"`` (see above).
    half_weight_years
        The credibility constant ``k`` of `crisisops.risk.history_weight`
        (``years / (years + k)``); ``None`` to let the history decide alone.
    assessor
        Who the proposed assessments name as assessor.
    catalog
        The crisis types whose parent links widen the matching (see above);
        default the register's own ``catalog``, and without one the types
        must match exactly.

    Returns
    -------
    tuple of RegisterProposal
        In the register's order of risks; empty when the evidence changes
        nothing.

    Raises
    ------
    InvalidTypeError
        For arguments of the wrong type (``reviews`` items by index).
    NaiveDatetimeError
        For a naive ``since`` or ``at``.
    ValidationError
        If ``at`` is not after ``since``, the bands do not fit the matrix's
        impact scale, the likelihood scale has no frequency bands, or
        ``half_weight_years`` is not > 0.
    UnknownKeyError
        For a ``loss_statistic`` not in `LOSS_STATISTICS`.
    DuplicateKeyError
        For a review key given twice.
    """
    if not isinstance(register, RiskRegister):
        raise InvalidTypeError("register", register, "a crisisops.risk.RiskRegister")
    items = _check_reviews(reviews)
    start = check_aware(since, "since")
    moment = check_aware(at, "at")
    if instant(moment) <= instant(start):
        raise ValidationError("at", at, f"a moment after since ({start.isoformat()})")
    _check_options(loss_bands, loss_statistic, half_weight_years)
    check_str(assessor, "assessor")
    grid = _matrix(matrix, loss_bands)
    if catalog is not None and not isinstance(catalog, CrisisTypeCatalog):
        raise InvalidTypeError("catalog", catalog, "a CrisisTypeCatalog or None")
    types = register.catalog if catalog is None else catalog
    years = (instant(moment) - instant(start)) / _YEAR
    evidence = [
        (when, review, _lineage(review.crisis_type, types))
        for when, review in _confirmed_in_window(items, start, moment)
    ]

    proposals = []
    for risk in register:
        mine = [
            (when, r) for when, r, lineage in evidence if risk.crisis_type in lineage
        ]
        base = risk.current if risk.current is not None else risk.inherent
        count = len(mine)
        historical = int(likelihood_from_history(count, years, grid.likelihood))
        rate = count / years
        label = grid.likelihood.level(historical).labels.en
        reasons = [
            (
                f"{count} confirmed {risk.crisis_type} crisis(es) in {years:.2f} "
                f"years ({rate:.2f} a year): historical likelihood {historical} "
                f"({label})"
            )
        ]
        blended = None
        likelihood = historical
        if base is not None and half_weight_years is not None:
            weight = history_weight(years, half_weight_years)
            blended = blend(base.likelihood, historical, weight, scale=grid.likelihood)
            likelihood = blended.level
            reasons.append(
                f"blended with the rated {base.likelihood}: {blended.explanation}"
            )

        levels: dict[ImpactDimension, int] = (
            {} if base is None else dict(base.impacts.levels)
        )
        loss = impact = None
        if loss_bands is not None:
            loss, impact, notes = _impact_evidence(
                [r for _, r in mine], loss_bands, loss_statistic, levels, grid
            )
            reasons.extend(notes)
        if not levels:
            continue  # no impact known: no assessment can be proposed
        proposed = Assessment(
            likelihood=likelihood,
            impacts=ImpactRating(levels=levels),
            assessed_at=moment,
            assessor=assessor,
            note="; ".join(reasons),
            loss_model=None if base is None else base.loss_model,
        ).check(grid, "proposed")
        current = risk.current
        if current is not None and (
            current.likelihood == proposed.likelihood
            and current.impacts == proposed.impacts
        ):
            continue
        proposals.append(
            RegisterProposal(
                risk=risk.key,
                crisis_type=risk.crisis_type,
                since=start,
                at=moment,
                crises=tuple(r.crisis for _, r in mine),
                years=years,
                historical_likelihood=historical,
                blended=blended,
                observed_loss=loss,
                observed_impact=impact,
                loss_bands=loss_bands,
                current=current,
                proposed=proposed,
                reasons=tuple(reasons),
            )
        )
    return tuple(proposals)
