"""Proposed risk-register updates from the reviewed crises (book §6.4)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.response import Crisis, CrisisMode, LossCategory, RateCard
from crisisops.review.prevention import (
    LOSS_STATISTICS,
    LossBands,
    RegisterProposal,
    propose_register_updates,
)
from crisisops.review.record import Review
from crisisops.risk import (
    Assessment,
    ImpactDimension,
    Risk,
    RiskRegister,
    default_matrix,
)
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel, default_catalog

UTC = dt.timezone.utc
SINCE = dt.datetime(2024, 7, 1, tzinfo=UTC)
AT = dt.datetime(2026, 7, 1, tzinfo=UTC)  # 730 days = 1.9986 years after SINCE
HOUR = dt.timedelta(hours=1)
CS = "other.customer_service_failure"
TRAFFIC = "market.traffic_swing"
FINANCIAL = ImpactDimension.FINANCIAL
BANDS = LossBands(currency="TWD", edges=[10_000, 100_000, 1_000_000, 10_000_000])


def _json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


def round_trips(value: Any) -> bool:
    return bool(value == from_data(type(value), _json(to_data(value))))


def reviewed(
    key: str,
    when: dt.datetime,
    loss: int | None = None,
    *,
    crisis_type: str = CS,
    currency: str = "TWD",
    mode: CrisisMode = CrisisMode.REAL,
    dismissed: bool = False,
    review_key: str | None = None,
) -> Review:
    """The review of a crisis detected at ``when`` (resolved 4 h later)."""
    crisis = Crisis.declare(
        key,
        title=key,
        crisis_type=crisis_type,
        level=ResponseLevel.III,
        at=when,
        actor="monitor",
        lead="mei",
        mode=mode,
        rates=RateCard(currency=currency, hourly={"crisis_lead": 1_000}),
    )
    if dismissed:
        crisis = crisis.dismiss(at=when + HOUR, actor="mei", reason="noise")
    else:
        crisis = crisis.confirm(at=when + HOUR, actor="mei", root_cause="queue")
        if loss is not None:
            crisis = crisis.record_loss(
                at=when + HOUR,
                actor="mei",
                category=LossCategory.LOST_SALES,
                amount=Decimal(loss),
                estimate=False,
            )
        crisis = crisis.mark_contained(at=when + 2 * HOUR, actor="mei")
        crisis = crisis.mark_recovered(at=when + 3 * HOUR, actor="mei")
        crisis = crisis.resolve(at=when + 4 * HOUR, actor="mei")
    return Review.draft(
        crisis,
        key=review_key or f"review_{key}",
        at=when + 5 * HOUR,
        owner="mei",
        summary="Queues overflowed.",
    )


def register_with(
    likelihood: int | None,
    impacts: dict[str, int] | None = None,
    *,
    crisis_type: str = CS,
    key: str = "service_overload",
) -> RiskRegister:
    risk = Risk(key=key, title="Customer service swamped", crisis_type=crisis_type)
    register = RiskRegister().add(risk, at=SINCE, by="ops_lead")
    if likelihood is None:
        return register
    rated = Assessment(
        likelihood=likelihood,
        impacts=impacts or {"financial": 2, "customer_relationship": 3},
        assessed_at=SINCE,
        assessor="ops_lead",
    )
    return register.assess(key, rated, at=SINCE, by="ops_lead")


def three_crises() -> list[Review]:
    return [
        reviewed("cs_1", dt.datetime(2025, 1, 6, tzinfo=UTC), 40_000),
        reviewed("cs_2", dt.datetime(2025, 11, 11, tzinfo=UTC), 250_000),
        reviewed("cs_3", dt.datetime(2026, 3, 2, tzinfo=UTC), 90_000),
    ]


# --- the worked example ---------------------------------------------------------


def test_three_crises_in_two_years_raise_likelihood_and_impact() -> None:
    register = register_with(2)

    (proposal,) = propose_register_updates(
        register, three_crises(), since=SINCE, at=AT, loss_bands=BANDS
    )

    assert ("cs_1", "cs_2", "cs_3") == proposal.crises
    years = 730 / 365.25
    assert years == pytest.approx(proposal.years)
    # 3 / 1.9986 = 1.501 a year: "Likely", level 4
    assert 3 / years == pytest.approx(proposal.observed_rate)
    assert 4 == proposal.historical_likelihood
    # w = 1.9986 / (1.9986 + 3) = 0.3998; 0.6002 × 2 + 0.3998 × 4 = 2.80 → 3
    blended = proposal.blended
    assert blended is not None
    assert years / (years + 3) == pytest.approx(blended.history_weight)
    assert 2.7997 == pytest.approx(blended.value, abs=1e-4)
    assert (2, 3) == proposal.likelihood_change
    # the worst loss, TWD 250,000, lies in [100k, 1M): level 3, rated 2
    assert Decimal(250_000) == proposal.observed_loss
    assert (3, (2, 3)) == (proposal.observed_impact, proposal.impact_change)
    # the other rated dimension is kept
    assert {
        ImpactDimension.FINANCIAL: 3,
        ImpactDimension.CUSTOMER_RELATIONSHIP: 3,
    } == dict(proposal.proposed.impacts.levels)
    assert (AT, "crisisops.review") == (
        proposal.proposed.assessed_at,
        proposal.proposed.assessor,
    )
    assert proposal.reasons[0].startswith("3 confirmed other.customer_service_failure")
    assert "largest loss 250000 TWD: financial impact 3 (Moderate), rated 2" in (
        proposal.reasons
    )
    assert "; ".join(proposal.reasons) == proposal.proposed.note
    assert round_trips(proposal)


def test_applying_a_proposal_records_it_and_leaves_the_old_register() -> None:
    register = register_with(2)
    (proposal,) = propose_register_updates(
        register, three_crises(), since=SINCE, at=AT, loss_bands=BANDS
    )
    accepted = AT + dt.timedelta(days=1)

    updated = proposal.apply(register, at=accepted, by="ops_lead")

    assert 2 == register["service_overload"].current.likelihood  # type: ignore[union-attr]
    assert proposal.proposed == updated["service_overload"].current
    change = updated.history[-1]
    assert (accepted, "ops_lead") == (change.at, change.by)
    assert change.note == "; ".join(proposal.reasons)
    assert "accepted at the review" == (
        proposal.apply(register, at=accepted, by="x", note="accepted at the review")
        .history[-1]
        .note
    )


def test_a_stale_or_early_acceptance_is_refused() -> None:
    register = register_with(2)
    (proposal,) = propose_register_updates(
        register, three_crises(), since=SINCE, at=AT, loss_bands=BANDS
    )
    updated = proposal.apply(register, at=AT, by="ops_lead")

    with pytest.raises(ValidationError, match="re-assessed since"):
        proposal.apply(updated, at=AT, by="ops_lead")
    with pytest.raises(ValidationError, match="'at'"):
        proposal.apply(register, at=AT - HOUR, by="ops_lead")
    with pytest.raises(InvalidTypeError, match="'register'"):
        proposal.apply("register", at=AT, by="ops_lead")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError):
        proposal.apply(RiskRegister(), at=AT, by="ops_lead")
    with pytest.raises(InvalidTypeError, match="'note'"):
        proposal.apply(register, at=AT, by="ops_lead", note=None)  # type: ignore[arg-type]


# --- the rules ------------------------------------------------------------------


def test_quiet_years_lower_a_likely_risk_one_level_not_to_rare() -> None:
    register = register_with(4)

    (proposal,) = propose_register_updates(register, [], since=SINCE, at=AT)

    # no crisis: historical level 1; 0.6002 × 4 + 0.3998 × 1 = 2.80 → 3
    assert (1, (4, 3)) == (proposal.historical_likelihood, proposal.likelihood_change)
    assert (None, None) == proposal.impact_change  # no bands, impacts kept
    history_only = propose_register_updates(
        register, [], since=SINCE, at=AT, half_weight_years=None
    )
    assert (4, 1) == history_only[0].likelihood_change
    assert history_only[0].blended is None


def test_evidence_that_agrees_with_the_register_proposes_nothing() -> None:
    # 1.5 a year is "Likely" (4), as rated; the worst loss (level 3) is
    # milder than the rating (4), which is never lowered
    register = register_with(4, {"financial": 4})

    assert () == propose_register_updates(
        register, three_crises(), since=SINCE, at=AT, loss_bands=BANDS
    )


def test_a_milder_loss_is_reported_but_never_lowers_the_impact() -> None:
    register = register_with(2, {"financial": 4})

    (proposal,) = propose_register_updates(
        register, three_crises(), since=SINCE, at=AT, loss_bands=BANDS
    )

    assert (4, 4) == proposal.impact_change
    assert 3 == proposal.observed_impact


def test_an_unassessed_risk_needs_a_loss_to_be_assessed() -> None:
    register = register_with(None)

    (proposal,) = propose_register_updates(
        register, three_crises(), since=SINCE, at=AT, loss_bands=BANDS
    )

    assert proposal.current is None
    assert (None, 4) == proposal.likelihood_change  # the history alone decides
    assert {FINANCIAL: 3} == dict(proposal.proposed.impacts.levels)
    assert proposal.blended is None
    applied = proposal.apply(register, at=AT, by="ops_lead")
    assert "assessed" == applied["service_overload"].status.value
    assert () == propose_register_updates(register, three_crises(), since=SINCE, at=AT)


def test_only_confirmed_real_crises_of_the_type_inside_the_window_count() -> None:
    register = register_with(2)
    reviews = [
        *three_crises(),
        reviewed("before", SINCE - HOUR),  # detected before the window
        reviewed("after", AT + HOUR),  # after it
        reviewed("alarm", dt.datetime(2025, 2, 1, tzinfo=UTC), dismissed=True),
        reviewed("drill", dt.datetime(2025, 3, 1, tzinfo=UTC), mode=CrisisMode.DRILL),
        reviewed("traffic", dt.datetime(2025, 4, 1, tzinfo=UTC), crisis_type=TRAFFIC),
        # cs_1 reviewed a second time: counted once
        reviewed("cs_1", dt.datetime(2025, 1, 6, tzinfo=UTC), review_key="again"),
    ]

    (proposal,) = propose_register_updates(register, reviews, since=SINCE, at=AT)

    assert ("cs_1", "cs_2", "cs_3") == proposal.crises


def test_reviews_written_after_the_proposal_are_not_used() -> None:
    register = register_with(2)
    late = reviewed("late", AT - 2 * HOUR)  # detected in the window, reviewed at +3 h

    proposals = propose_register_updates(
        register, [*three_crises(), late], since=SINCE, at=AT
    )

    assert ("cs_1", "cs_2", "cs_3") == proposals[0].crises


def test_a_catalog_counts_narrower_crisis_types_for_a_broader_risk() -> None:
    register = register_with(1, crisis_type="supply_chain.inventory", key="stock")
    reviews = [
        reviewed(f"s{i}", dt.datetime(2025, 1 + 4 * i, 6, tzinfo=UTC), crisis_type=kind)
        for i, kind in enumerate(
            [
                "supply_chain.peak_season_stockout",
                "supply_chain.inventory",
                "supply_chain.peak_season_stockout",
            ]
        )
    ]

    exact = propose_register_updates(
        register, reviews, since=SINCE, at=AT, half_weight_years=None
    )
    wider = propose_register_updates(
        register,
        reviews,
        since=SINCE,
        at=AT,
        half_weight_years=None,
        catalog=default_catalog(),
    )

    # 1 crisis in 2 years: 0.5 a year, "Possible" (3); 3 crises: "Likely" (4)
    assert (("s1",), 3) == (exact[0].crises, exact[0].proposed.likelihood)
    assert (("s0", "s1", "s2"), 4) == (wider[0].crises, wider[0].proposed.likelihood)
    with pytest.raises(InvalidTypeError, match="'catalog'"):
        propose_register_updates(register, reviews, since=SINCE, at=AT, catalog=[])  # type: ignore[arg-type]


def test_losses_in_another_currency_are_noted_not_compared() -> None:
    register = register_with(2)
    reviews = [
        reviewed("usd", dt.datetime(2025, 1, 6, tzinfo=UTC), 9_000_000, currency="USD")
    ]

    # one crisis in two years: 0.5 a year, "Possible" (3), by the history alone
    (proposal,) = propose_register_updates(
        register,
        reviews,
        since=SINCE,
        at=AT,
        loss_bands=BANDS,
        half_weight_years=None,
    )

    assert (2, 3) == proposal.likelihood_change
    assert proposal.observed_loss is None
    assert any(
        "usd" in reason and "not in TWD" in reason for reason in proposal.reasons
    )


def test_the_mean_loss_can_be_used_instead_of_the_largest() -> None:
    register = register_with(4, {"financial": 1})
    reviews = [
        reviewed("a", dt.datetime(2025, 1, 6, tzinfo=UTC), 5_000),
        reviewed("b", dt.datetime(2025, 6, 6, tzinfo=UTC), 8_000),
        reviewed("c", dt.datetime(2026, 1, 6, tzinfo=UTC), 2_000_000),
    ]

    largest = propose_register_updates(
        register, reviews, since=SINCE, at=AT, loss_bands=BANDS
    )[0]
    mean = propose_register_updates(
        register, reviews, since=SINCE, at=AT, loss_bands=BANDS, loss_statistic="mean"
    )[0]

    # max 2,000,000 → level 4 (≥ 1M); mean 671,000 → level 3 (≥ 100k)
    assert (Decimal(2_000_000), 4) == (largest.observed_loss, largest.observed_impact)
    assert (Decimal(671_000), 3) == (mean.observed_loss, mean.observed_impact)
    assert ("max", "mean") == LOSS_STATISTICS


def test_every_open_risk_gets_its_own_proposal_in_register_order() -> None:
    register = register_with(1)
    traffic = Risk(key="traffic_swing", title="Traffic swings", crisis_type=TRAFFIC)
    register = register.add(traffic, at=SINCE, by="ops_lead")
    reviews = [
        *three_crises(),
        reviewed(
            "t1", dt.datetime(2025, 4, 1, tzinfo=UTC), 20_000, crisis_type=TRAFFIC
        ),
    ]

    proposals = propose_register_updates(
        register, reviews, since=SINCE, at=AT, loss_bands=BANDS
    )

    assert ["service_overload", "traffic_swing"] == [p.risk for p in proposals]
    assert ("t1",) == proposals[1].crises
    assert {FINANCIAL: 2} == dict(proposals[1].proposed.impacts.levels)


# --- bad input ------------------------------------------------------------------


def test_propose_register_updates_rejects_bad_input() -> None:
    register = register_with(2)
    reviews = three_crises()
    with pytest.raises(InvalidTypeError, match="'register'"):
        propose_register_updates([], reviews, since=SINCE, at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'reviews'"):
        propose_register_updates(register, reviews[0], since=SINCE, at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'reviews\[1\]'"):
        propose_register_updates(register, [reviews[0], "x"], since=SINCE, at=AT)  # type: ignore[list-item]
    with pytest.raises(DuplicateKeyError, match="review"):
        propose_register_updates(register, [reviews[0]] * 2, since=SINCE, at=AT)
    with pytest.raises(NaiveDatetimeError):
        propose_register_updates(
            register, reviews, since=SINCE.replace(tzinfo=None), at=AT
        )
    with pytest.raises(ValidationError, match="'at'"):
        propose_register_updates(register, reviews, since=AT, at=AT)
    with pytest.raises(InvalidTypeError, match="'matrix'"):
        propose_register_updates(register, reviews, since=SINCE, at=AT, matrix="5x5")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'loss_bands'"):
        propose_register_updates(register, reviews, since=SINCE, at=AT, loss_bands={})  # type: ignore[arg-type]
    short = LossBands(currency="TWD", edges=[10_000, 100_000])
    with pytest.raises(ValidationError, match=r"'loss_bands\.edges'"):
        propose_register_updates(
            register, reviews, since=SINCE, at=AT, loss_bands=short
        )
    with pytest.raises(UnknownKeyError, match="did you mean 'mean'"):
        propose_register_updates(
            register, reviews, since=SINCE, at=AT, loss_statistic="meen"
        )
    with pytest.raises(ValidationError, match="'half_weight_years'"):
        propose_register_updates(
            register, reviews, since=SINCE, at=AT, half_weight_years=0.0
        )
    with pytest.raises(ValidationError, match="'half_weight_years'"):
        propose_register_updates(
            register, reviews, since=SINCE, at=AT, half_weight_years=float("nan")
        )
    with pytest.raises(ValidationError, match="'assessor'"):
        propose_register_updates(register, reviews, since=SINCE, at=AT, assessor=" ")
    # a failed call changes nothing
    assert 2 == len(register.history)


def test_loss_bands_check_their_edges() -> None:
    with pytest.raises(InvalidTypeError, match=r"'edges\[0\]'"):
        LossBands(currency="TWD", edges=[0.5, 2])
    with pytest.raises(ValidationError, match=r"'edges\[1\]'"):
        LossBands(currency="TWD", edges=[100, 100])
    with pytest.raises(ValidationError, match=r"'edges\[0\]'"):
        LossBands(currency="TWD", edges=[0, 100])
    with pytest.raises(ValidationError, match="'edges'"):
        LossBands(currency="TWD", edges=[])
    with pytest.raises(InvalidTypeError, match="'edges'"):
        LossBands(currency="TWD", edges=None)
    with pytest.raises(ValidationError, match="'currency'"):
        LossBands(currency="twd", edges=[100])
    with pytest.raises(InvalidTypeError, match="'dimension'"):
        LossBands(currency="TWD", edges=[100], dimension="brand")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'amount'"):
        BANDS.level(2.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'amount'"):
        BANDS.level(Decimal(-1))


def test_register_proposals_check_their_fields() -> None:
    (proposal,) = propose_register_updates(
        register_with(2), three_crises(), since=SINCE, at=AT, loss_bands=BANDS
    )
    with pytest.raises(ValidationError, match="'at'"):
        attrs.evolve(proposal, since=AT)
    with pytest.raises(ValidationError, match=r"'proposed\.assessed_at'"):
        attrs.evolve(proposal, at=AT + HOUR)
    with pytest.raises(ValidationError, match="'observed_impact'"):
        attrs.evolve(proposal, observed_impact=None)
    assert proposal.current is not None
    same = attrs.evolve(proposal.current, assessed_at=AT)
    with pytest.raises(ValidationError, match="'proposed'"):
        attrs.evolve(proposal, proposed=same)
    assert isinstance(proposal, RegisterProposal)


# --- properties -----------------------------------------------------------------


EDGES = st.lists(
    st.integers(min_value=1, max_value=10**9), min_size=1, max_size=6, unique=True
).map(sorted)


@settings(max_examples=60, deadline=None)
@given(edges=EDGES, amounts=st.lists(st.integers(min_value=0, max_value=2 * 10**9)))
def test_loss_bands_are_monotone_and_round_trip(
    edges: list[int], amounts: list[int]
) -> None:
    bands = LossBands(currency="CNY", edges=edges)

    levels = [bands.level(Decimal(a)) for a in sorted(amounts)]

    assert levels == sorted(levels)
    assert all(1 <= level <= bands.levels for level in levels)
    assert all(
        bands.level(Decimal(edge)) == i + 2 for i, edge in enumerate(edges)
    )  # an edge starts its level
    assert round_trips(bands)


MONTHS = st.lists(st.integers(min_value=0, max_value=23), max_size=6, unique=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(months=MONTHS, rated=st.integers(min_value=1, max_value=5))
def test_blended_likelihood_lies_between_the_rating_and_the_history(
    months: list[int], rated: int
) -> None:
    register = register_with(rated)
    reviews = [reviewed(f"c{m}", SINCE + dt.timedelta(days=30 * m + 1)) for m in months]
    before = register.history

    proposals = propose_register_updates(register, reviews, since=SINCE, at=AT)

    assert before == register.history  # proposing never changes the register
    for proposal in proposals:
        low = min(rated, proposal.historical_likelihood)
        high = max(rated, proposal.historical_likelihood)
        assert low <= proposal.proposed.likelihood <= high
        assert proposal.proposed.likelihood != rated
        assert len(months) == proposal.incidents
        assert round_trips(proposal)
    assert len(proposals) <= 1
    # the default matrix's scales fit the default bands
    assert default_matrix().impact.size == BANDS.levels
