"""A shop's quarterly risk assessment, from expert scores to simulated loss.

Book §3 (定期進行風險評估) asks an e-commerce team to assess its risks every
quarter or half-year: identify the risks, quantify likelihood and impact with
data, expert opinion and past cases, grade them, and plan the response to the
serious ones. This script runs one such assessment for a tea shop:

1. a register of a dozen risks, one or more from each crisis category of §2;
2. three experts rate each risk; their ratings are pooled, and the shop's
   incident history is blended into the likelihood;
3. the risks are graded on the 5 x 5 matrix and drawn as a heat map;
4. each risk's loss model is simulated as one portfolio, with correlated
   demand risks and a typhoon that hits logistics and supply together;
5. two controls are tested on common random numbers, with their return.

Run it with ``python examples/quarterly_risk_assessment.py``. With
``--plots DIR`` (needs ``pip install 'crisisops[viz]'``) it also saves the
heat map, the portfolio's loss-exceedance curve and the curves before and
after the second supplier there as PNG files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from _plots import plots_directory, save_figures

from crisisops.risk import (
    PERT,
    Aggregation,
    Assessment,
    AssessmentSchedule,
    Bernoulli,
    CommonShock,
    CompoundLossModel,
    Control,
    ControlEffect,
    ControlTarget,
    ExpertRating,
    FAIRModel,
    LogNormal,
    LossDistribution,
    LossModel,
    Poisson,
    RankCorrelation,
    Risk,
    RiskRegister,
    ShockEffect,
    aggregate_ratings,
    blend,
    compare_controls,
    default_likelihood_scale,
    default_matrix,
    history_weight,
    likelihood_from_history,
    simulate_portfolio,
)
from crisisops.risk.register import RiskStatus
from crisisops.viz import loss_exceedance_curve, risk_heat_map

TAIPEI = dt.timezone(dt.timedelta(hours=8))
QUARTER_START = dt.datetime(2026, 4, 1, 9, tzinfo=TAIPEI)
TRIALS = 50_000
SEED = 2026


def kilo(value: float) -> str:
    """Format an amount in thousands of yuan."""
    return f"{value / 1000:,.0f}k"


# --- 1. the register ---------------------------------------------------------

# key, title, crisis type, source, owner, loss model (CNY per year)
RISKS: list[tuple[str, str, str, str, str, LossModel]] = [
    (
        "demand_drop",
        "Tea demand shifts to ready-to-drink brands",
        "market.demand_shift",
        "market.demand_change",
        "marketing_lead",
        CompoundLossModel(
            frequency=Bernoulli(probability=0.3),
            severity=PERT(low=50_000.0, mode=150_000.0, high=600_000.0),
        ),
    ),
    (
        "price_war",
        "A rival undercuts our best sellers",
        "market.competition",
        "market.competition",
        "marketing_lead",
        FAIRModel(
            loss_event_frequency=PERT(low=0.2, mode=1.0, high=3.0),
            loss_magnitude=PERT(low=20_000.0, mode=60_000.0, high=200_000.0),
        ),
    ),
    (
        "bad_reviews",
        "A wave of negative reviews after a bad batch",
        "market.brand_damage",
        "brand.negative_news",
        "customer_service_lead",
        CompoundLossModel(
            frequency=Poisson(rate=0.8),
            severity=LogNormal.from_interval(low=10_000.0, high=300_000.0),
        ),
    ),
    (
        "pesticide_residue",
        "A lab finds pesticide residue in one tea",
        "product.quality_safety",
        "product.quality",
        "quality_lead",
        CompoundLossModel(
            frequency=Bernoulli(probability=0.05),
            severity=PERT(low=200_000.0, mode=800_000.0, high=3_000_000.0),
        ),
    ),
    (
        "supplier_failure",
        "Our main oolong farm cannot deliver",
        "supply_chain.breakage",
        "supply.disruption",
        "supply_chain_lead",
        CompoundLossModel(
            frequency=Bernoulli(probability=0.15),
            severity=PERT(low=100_000.0, mode=300_000.0, high=900_000.0),
        ),
    ),
    (
        "peak_stockout",
        "Best sellers run out during 11.11",
        "supply_chain.peak_season_stockout",
        "supply.inventory",
        "supply_chain_lead",
        CompoundLossModel(
            frequency=Poisson(rate=1.2),
            severity=PERT(low=20_000.0, mode=60_000.0, high=250_000.0),
        ),
    ),
    (
        "cash_crunch",
        "Platform payouts delayed while stock is prepaid",
        "financial.cash_shortage",
        "finance.cash_flow",
        "finance_lead",
        CompoundLossModel(
            frequency=Bernoulli(probability=0.1),
            severity=PERT(low=30_000.0, mode=100_000.0, high=400_000.0),
        ),
    ),
    (
        "fx_swing",
        "The yuan moves against our import costs",
        "financial.fx_risk",
        "finance.market_credit_fx",
        "finance_lead",
        CompoundLossModel(
            frequency=Bernoulli(probability=0.4),
            severity=PERT(low=5_000.0, mode=30_000.0, high=120_000.0),
        ),
    ),
    (
        "site_outage",
        "The shop goes down under peak-day traffic",
        "technical.system_failure",
        "technical.peak_load",
        "tech_lead",
        CompoundLossModel(
            frequency=Poisson(rate=2.0),
            severity=PERT(low=5_000.0, mode=25_000.0, high=150_000.0),
        ),
    ),
    (
        "data_leak",
        "Customer addresses leak through a plug-in",
        "technical.data_loss_leak",
        "technical.cyber_attack",
        "tech_lead",
        CompoundLossModel(
            frequency=Bernoulli(probability=0.04),
            severity=LogNormal.from_interval(low=100_000.0, high=5_000_000.0),
        ),
    ),
    (
        "courier_delay",
        "Deliveries slip by days in the typhoon season",
        "other.logistics_delay",
        "supply.logistics",
        "logistics_lead",
        CompoundLossModel(
            frequency=Poisson(rate=1.5),
            severity=PERT(low=5_000.0, mode=15_000.0, high=80_000.0),
        ),
    ),
    (
        "service_backlog",
        "Customer service falls days behind",
        "other.customer_service_failure",
        "customer.complaints",
        "customer_service_lead",
        CompoundLossModel(
            frequency=Poisson(rate=1.0),
            severity=PERT(low=5_000.0, mode=20_000.0, high=90_000.0),
        ),
    ),
]

MODELS = {key: model for key, *_, model in RISKS}

# Three experts rate each risk: (likelihood, impact) levels 1-5.
RATINGS: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    "demand_drop": ((3, 3), (3, 4), (2, 3)),
    "price_war": ((4, 3), (4, 3), (3, 3)),
    "bad_reviews": ((3, 3), (4, 3), (3, 4)),
    "pesticide_residue": ((1, 5), (2, 5), (1, 5)),
    "supplier_failure": ((2, 4), (3, 4), (2, 4)),
    "peak_stockout": ((4, 3), (4, 4), (5, 3)),
    "cash_crunch": ((2, 3), (2, 4), (2, 3)),
    "fx_swing": ((3, 2), (3, 2), (4, 2)),
    "site_outage": ((4, 3), (5, 3), (2, 2)),  # the experts disagree
    "data_leak": ((1, 5), (2, 5), (2, 4)),
    "courier_delay": ((4, 2), (4, 2), (4, 3)),
    "service_backlog": ((3, 2), (3, 2), (3, 3)),
}
EXPERTS = (("ops_director", 2.0), ("category_manager", 1.0), ("outside_adviser", 1.0))

# Incidents in the shop's own records: (count, years of history).
HISTORY: dict[str, tuple[int, float]] = {
    "price_war": (4, 3.0),
    "peak_stockout": (5, 4.0),
    "site_outage": (7, 3.0),
    "courier_delay": (6, 3.0),
    "fx_swing": (1, 3.0),
}


def build_register() -> RiskRegister:
    """Add the twelve risks, then record the panel's assessment of each."""
    register = RiskRegister()
    added = QUARTER_START - dt.timedelta(days=90)
    for key, title, crisis_type, source, owner, _ in RISKS:
        risk = Risk(
            key=key,
            title=title,
            crisis_type=crisis_type,
            source=source,
            owner_role=owner,
        )
        register = register.add(risk, at=added, by="risk_office")
    return register


def assess(register: RiskRegister) -> tuple[RiskRegister, list[str]]:
    """Pool the experts' ratings, blend in history, and record the assessment."""
    scale = default_likelihood_scale()
    lines: list[str] = []
    for key, ratings in RATINGS.items():
        consensus = aggregate_ratings(
            [
                ExpertRating(expert=name, likelihood=lik, impact=imp, weight=weight)
                for (name, weight), (lik, imp) in zip(EXPERTS, ratings, strict=True)
            ],
            Aggregation.WEIGHTED_MEAN,
            max_dispersion=0.8,
        )
        likelihood = consensus.likelihood_level
        how = "experts"
        if key in HISTORY:
            incidents, years = HISTORY[key]
            past = int(likelihood_from_history(incidents, years, scale))
            mixed = blend(consensus.likelihood, past, history_weight(years))
            likelihood = mixed.level
            how = f"experts {consensus.likelihood:.1f} + history {past} -> {likelihood}"
        flag = "  <- another round" if consensus.needs_another_round else ""
        lines.append(
            f"  {key:<18} L {likelihood}  I {consensus.impact_level}  "
            f"spread {consensus.dispersion:.2f}  ({how}){flag}"
        )
        rating = Assessment(
            likelihood=likelihood,
            impacts={"financial": consensus.impact_level},
            assessed_at=QUARTER_START,
            assessor="risk_panel",
            loss_model=MODELS[key],
        )
        register = register.assess(
            key, rating, at=QUARTER_START, by="risk_panel", next_review=QUARTER_START
        )
    return register, lines


def heat_map(register: RiskRegister) -> list[str]:
    """Draw the register's heat map: likelihood 5 at the top, impact across."""
    counts = register.heatmap()
    matrix = default_matrix()
    marks = {"low": ".", "medium": "-", "high": "+", "extreme": "#"}
    lines = ["  likelihood \\ impact   1    2    3    4    5"]
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            mark = marks[matrix.grade(likelihood, impact).key]
            count = int(counts[likelihood - 1, impact - 1])
            cells.append(f"{mark}{count or ' ':<3}")
        lines.append(f"  {likelihood:>10}          " + " ".join(cells))
    lines.append("  (. low  - medium  + high  # extreme; numbers count risks)")
    return lines


def save_plots(
    directory: Path,
    register: RiskRegister,
    total: LossDistribution,
    effect: ControlEffect,
) -> None:
    """Save the heat map and the loss-exceedance curves as PNG files."""
    figures = {
        "quarterly_heat_map.png": risk_heat_map(register),
        "quarterly_loss_exceedance.png": loss_exceedance_curve(
            {"all twelve risks": total}, log_x=True
        ),
        "quarterly_second_supplier.png": loss_exceedance_curve(
            effect, title="peak_stockout: before and after a second supplier"
        ),
    }
    save_figures(directory, figures)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the quarter's assessment and print what the risk meeting reads."""
    plots = plots_directory(argv, __doc__)
    register = build_register()
    print(f"Quarterly risk assessment, {QUARTER_START:%Y-%m-%d} (定期進行風險評估)")
    print(f"Register: {len(register.risks)} risks (風險登記冊)\n")

    print("Expert scores and history (專家意見 + 歷史案例)")
    register, lines = assess(register)
    print("\n".join(lines))

    print("\nGrading (風險量化與等級劃分), highest score first")
    matrix = default_matrix()
    for risk in register.top(12):
        rating = risk.current
        if rating is None:  # not assessed this quarter
            continue
        grade = rating.grade(matrix)
        print(
            f"  {risk.key:<18} {rating.score(matrix):>2}  {grade.labels.zh_hant:<2} "
            f"{grade.key:<8} response level {grade.response_level.value}"
        )
    print()
    print("\n".join(heat_map(register)))

    demand = RankCorrelation.from_pairs(
        ["demand_drop", "price_war", "bad_reviews"],
        {("demand_drop", "price_war"): 0.5, ("bad_reviews", "demand_drop"): 0.3},
    )
    typhoon = CommonShock(
        key="typhoon",
        title="A typhoon closes Fujian ports for a week",
        probability=0.2,
        effects={
            "courier_delay": ShockEffect(frequency=2.0, magnitude=1.5),
            "supplier_failure": ShockEffect(frequency=3.0),
            "peak_stockout": ShockEffect(magnitude=1.5),
        },
    )
    portfolio = register.portfolio(correlation=demand, shocks=[typhoon])
    result = simulate_portfolio(portfolio, TRIALS, SEED)
    total = result.total
    print(f"\nSimulated yearly loss, {TRIALS:,} years (Monte Carlo, CNY)")
    print(
        f"  expected {kilo(total.mean)} (+/- {kilo(total.standard_error)}), "
        f"VaR 95% {kilo(total.value_at_risk(0.95))}, "
        f"VaR 99% {kilo(total.value_at_risk(0.99))}, "
        f"expected shortfall 99% {kilo(total.expected_shortfall(0.99))}"
    )
    tail = result.tail_contributions(0.99)
    order = sorted(
        zip(tail.risks, tail.contributions.tolist(), strict=True),
        key=lambda item: -item[1],
    )
    print("  largest shares of the worst 1% of years:")
    for key, amount in order[:4]:
        print(
            f"    {key:<18} {kilo(amount):>7}  {amount / tail.expected_shortfall:5.1%}"
        )

    print("\nLoss exceedance (P(yearly loss > x))")
    thresholds = [250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0, 4_000_000.0]
    losses, probabilities = total.exceedance_curve(thresholds)
    for loss, probability in zip(losses.tolist(), probabilities.tolist(), strict=True):
        print(f"  > {kilo(loss):>6}  {probability:6.1%}")

    print("\nTwo controls, tested on the same simulated years")
    controls = {
        "peak_stockout": Control(
            key="second_supplier",
            title="Second supplier for the ten best sellers",
            target=ControlTarget.LIKELIHOOD,
            effectiveness=0.5,
            annual_cost=30_000.0,
            owner_role="supply_chain_lead",
        ),
        "site_outage": Control(
            key="autoscaling",
            title="Autoscaling and a load test before each campaign",
            target=ControlTarget.IMPACT,
            effectiveness=0.6,
            annual_cost=20_000.0,
            owner_role="tech_lead",
        ),
    }
    effects: dict[str, ControlEffect] = {}
    for key, control in controls.items():
        effect = compare_controls(MODELS[key], [control], TRIALS, SEED)
        effects[key] = effect
        roi = effect.return_on_control_spend
        print(
            f"  {control.title} ({key}): expected loss "
            f"{kilo(effect.before.mean)} -> {kilo(effect.after.mean)}, "
            f"cost {kilo(control.annual_cost)}, return "
            f"{'n/a' if roi is None else f'{roi:.0%}'}"
        )

    schedule = AssessmentSchedule.quarterly(QUARTER_START)
    print(f"\nNext assessment due {schedule.next_due(QUARTER_START):%Y-%m-%d}")
    later = dt.datetime(2026, 7, 15, 9, tzinfo=TAIPEI)
    overdue = schedule.overdue(register, later)
    print(f"Overdue on {later:%Y-%m-%d}: {len(overdue)} risks not re-assessed")
    assessed = sum(1 for r in register.risks if r.status is RiskStatus.ASSESSED)
    print(f"Status: {assessed} of {len(register.risks)} risks assessed")
    if plots is not None:
        save_plots(plots, register, total, effects["peak_stockout"])


if __name__ == "__main__":
    main()
