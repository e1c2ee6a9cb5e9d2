"""Drills over synthetic shops: detection lag, false alarms, determinism, bad input.

Expected detection times are computed by hand from the rule: a bound breached
``persistence`` periods in a row fires on the last of them, and a panel
period is stamped with its start, so a shock that moves the KPI from its
first period is detected ``persistence - 1`` periods after its onset.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.monitoring import (
    Below,
    BoundSpec,
    MeanSigma,
    Raw,
    Side,
    Threshold,
    Tier,
    TriggerRule,
)
from crisisops.response import CrisisMode, CrisisStatus
from crisisops.review import ImprovementKind
from crisisops.scenarios import (
    DemandShift,
    ShopProfile,
    ShopRun,
    SupplierOutage,
    simulate_shop,
)
from crisisops.scenarios.drill import (
    DrillPolicy,
    DrillReport,
    DrillScope,
    DrillSummary,
    default_drill_rules,
    run_drill,
)
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 1, 5, tzinfo=TZ)
DAY = dt.timedelta(days=1)


@functools.cache
def slump_run() -> ShopRun:
    """Return 90 days of a 40-SKU shop whose traffic falls to 30% on days 70-79."""
    profile = ShopProfile.default(START, skus=40, days=90)
    slump = DemandShift(
        key="slump", onset=START + 70 * DAY, end=START + 80 * DAY, traffic_factor=0.3
    )
    return simulate_shop(profile, [slump], seed=11)


@functools.cache
def outage_run() -> ShopRun:
    """Return 120 days of a 30-SKU shop whose three first suppliers fail on day 70."""
    profile = ShopProfile.default(START, skus=30, days=120)
    outage = SupplierOutage(
        key="outage",
        onset=START + 70 * DAY,
        end=START + 100 * DAY,
        failed=["supplier-01", "supplier-02", "supplier-03"],
    )
    return simulate_shop(profile, [outage], seed=4)


@functools.cache
def quiet_run(seed: int) -> ShopRun:
    """Return a year of a 30-SKU shop with no shock (618 and Double 11 included)."""
    return simulate_shop(ShopProfile.default(START, skus=30, days=365), seed=seed)


@functools.cache
def slump_report(seed: int = 7) -> DrillReport:
    return run_drill(slump_run(), seed=seed)


# --- detection ------------------------------------------------------------------------


@pytest.mark.parametrize("persistence", [1, 2, 3])
def test_a_demand_collapse_is_detected_persistence_minus_one_days_after_onset(
    persistence: int,
) -> None:
    report = run_drill(slump_run(), policy=DrillPolicy(persistence=persistence), seed=1)
    (score,) = report.shocks
    # GMV falls to ~30% from day 70 on, far below mean - 4 sigma (~80% of the
    # mean for 40 SKUs): breached from the first day, fired on day 70 + p - 1.
    assert START + (70 + persistence - 1) * DAY == score.detected_at
    assert (persistence - 1) * DAY == score.detection_lag
    assert () == report.missed_shocks
    assert () == report.false_crises
    (crisis,) = report.crises
    assert "market.demand_shift" == crisis.crisis_type
    assert CrisisMode.DRILL == crisis.mode
    assert CrisisStatus.REVIEWED == crisis.status
    # Declared after the acknowledgement (30 min) and declaration (90 min) delays.
    assert score.detected_at + dt.timedelta(hours=2) == crisis.declared_at


def test_a_supplier_outage_is_detected_when_the_stockout_rule_says() -> None:
    run = outage_run()
    report = run_drill(run, seed=3)
    # By hand: the stock-out rule needs the shop's stock-out rate above the
    # warm-up mean + 4 sample sigma and at or above 0.1, two days running.
    rate = run.shop_kpis["supply.stockout_rate"][0]
    warm = rate[:56]
    bound = warm.mean() + 4.0 * warm.std(ddof=1)
    breach = (rate > bound) & (rate >= 0.1)
    first = next(t for t in range(70, 119) if breach[t] and breach[t + 1])
    (score,) = report.shocks
    assert START + (first + 1) * DAY == score.detected_at
    assert score.detection_lag is not None
    assert score.detection_lag > DAY  # stock on hand sells first
    assert () == report.false_crises  # the GMV slump it causes matches it too
    (review,) = [
        review
        for review, crisis in zip(report.reviews, report.crises, strict=True)
        if crisis.crisis_type == "supply_chain.breakage"
    ]
    detect = [i for i in review.improvements if i.kind is ImprovementKind.DETECT]
    assert ["improve_late_detection"] == [i.key for i in detect]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_no_shock_raises_no_crisis_with_the_default_calibrated_rules(seed: int) -> None:
    report = run_drill(quiet_run(seed), seed=seed)
    assert () == report.crises
    assert () == report.shocks
    summary = report.summary
    assert (0, 0, None) == (
        summary.crises,
        summary.false_crises,
        summary.mean_detection_lag,
    )
    assert 0.0 == report.estimated_loss - float(
        (quiet_run(seed).lost_orders[0] * quiet_run(seed).drivers.price[0]).sum()
    )


def test_a_hair_trigger_raises_false_crises_and_their_reviews_say_so() -> None:
    policy = DrillPolicy(k=0.5, persistence=1)
    report = run_drill(quiet_run(0), policy=policy, seed=0)
    assert report.false_crises
    assert len(report.false_crises) == report.summary.false_crises
    for crisis_key, review in zip(
        (c.key for c in report.crises), report.reviews, strict=True
    ):
        assert f"review_{crisis_key}" == review.key
        assert "false_alarm" in [lesson.key for lesson in review.lessons]


def test_summary_counts_match_the_scores() -> None:
    report = slump_report()
    summary = report.summary
    assert (1, 1, 0, 1, 0) == (
        summary.shocks,
        summary.detected,
        summary.missed,
        summary.crises,
        summary.false_crises,
    )
    assert DAY == summary.mean_detection_lag
    assert sum(s.actions for s in report.scores) == summary.actions
    assert len(report.crises[0].actions) == summary.actions
    assert summary.cadence_adherence is not None
    assert 0.0 <= summary.cadence_adherence <= 1.0
    assert summary.estimated_loss > 0.0
    assert summary == from_data(DrillSummary, to_data(summary))


def test_actions_respect_their_dependencies() -> None:
    crisis = slump_report().crises[0]
    done = {a.key: a.completed_at for a in crisis.actions}
    for action in crisis.actions:
        if action.started_at is None:
            continue
        for dep in action.depends_on:
            finished = done[dep]
            assert finished is not None
            assert finished <= action.started_at


# --- determinism and round trip -------------------------------------------------------


def test_the_same_seed_gives_the_same_drill() -> None:
    assert run_drill(slump_run(), seed=5) == run_drill(slump_run(), seed=5)
    assert run_drill(slump_run(), seed=5) != run_drill(slump_run(), seed=6)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_drill_reports_round_trip_through_to_data(seed: int) -> None:
    report = run_drill(slump_run(), seed=seed)
    assert report == from_data(DrillReport, to_data(report))


def test_a_custom_policy_round_trips_and_drives_the_drill() -> None:
    rules, bounds = default_drill_rules(k=3.0)
    policy = DrillPolicy(rules=rules[:1], bounds=bounds[:1], scope=DrillScope.ALL)
    assert policy == from_data(DrillPolicy, to_data(policy))
    report = run_drill(slump_run(), policy=policy, seed=2)
    assert {"market.demand_shift"} == {c.crisis_type for c in report.crises}
    assert report.shocks[0].detected


# --- bad input ------------------------------------------------------------------------


def test_run_drill_rejects_bad_arguments() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        run_drill("shop", seed=1)  # type: ignore[arg-type]
    assert "run" == caught.value.field
    with pytest.raises(InvalidTypeError) as caught:
        run_drill(slump_run(), policy="fast", seed=1)  # type: ignore[arg-type]
    assert "policy" == caught.value.field
    with pytest.raises(ValidationError) as failed:
        run_drill(slump_run(), seed=1, run_index=1)
    assert "run_index" == failed.value.field
    with pytest.raises(ValidationError) as failed:
        run_drill(slump_run(), policy=DrillPolicy(warmup_days=75), seed=1)
    assert "policy.warmup_days" == failed.value.field
    with pytest.raises(ValidationError) as failed:
        run_drill(slump_run(), policy=DrillPolicy(warmup_days=90), seed=1)
    assert "policy.warmup_days" == failed.value.field


def test_a_custom_rule_on_an_unknown_metric_is_named() -> None:
    fixed = Threshold(signal=Raw("sales.nothing"), predicate=Below(1.0))
    rule = TriggerRule(
        name="nothing",
        crisis_type="market.demand_shift",
        tiers=[Tier(ResponseLevel.III, fixed)],
    )
    with pytest.raises(UnknownKeyError):
        run_drill(slump_run(), policy=DrillPolicy(rules=[rule]), seed=1)


def test_unknown_shock_keys_are_named() -> None:
    profile = ShopProfile.default(START, skus=10, days=90)
    outage = SupplierOutage(
        key="outage", onset=START + 70 * DAY, end=START + 80 * DAY, failed=["nobody"]
    )
    with pytest.raises(UnknownKeyError):
        simulate_shop(profile, [outage], seed=1)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("warmup_days", 7, ValidationError),
        ("warmup_days", 56.0, InvalidTypeError),
        ("k", -1.0, ValidationError),
        ("k", 0, ValidationError),
        ("persistence", 0, ValidationError),
        ("stockout_floor", 1.5, ValidationError),
        ("action_sigma", float("nan"), ValidationError),
        ("dedup_window", 3, InvalidTypeError),
        ("max_duration", dt.timedelta(0), ValidationError),
        ("message_slip", -dt.timedelta(minutes=1), ValidationError),
        ("scope", "shop", InvalidTypeError),
    ],
)
def test_drill_policy_names_the_bad_field(
    field: str, value: object, error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        DrillPolicy(**{field: value})  # type: ignore[arg-type]
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_bounds_need_rules_and_unique_names() -> None:
    spec = BoundSpec(
        name="low", metric="sales.gmv", method=MeanSigma(3.0, side=Side.LOWER)
    )
    with pytest.raises(ValidationError) as caught:
        DrillPolicy(bounds=[spec])
    assert "bounds" == caught.value.field
    rules, _ = default_drill_rules()
    with pytest.raises(ValidationError) as caught:
        DrillPolicy(rules=rules, bounds=[spec, spec])
    assert "bounds[1].name" == caught.value.field
    with pytest.raises(ValidationError) as caught:
        DrillPolicy(rules=[rules[0], rules[0]])
    assert "rules[1].name" == caught.value.field


def test_estimated_loss_counts_the_slump() -> None:
    run = slump_run()
    base, now = run.baseline, run.drivers
    # By hand: expected GMV lost to the traffic cut, plus stock-out orders.
    expected = (
        np.clip(
            base.traffic[0] * base.conversion[0] * base.price[0]
            - now.traffic[0] * now.conversion[0] * now.price[0],
            0.0,
            None,
        ).sum()
        + (run.lost_orders[0] * now.price[0]).sum()
    )
    assert float(expected) == pytest.approx(slump_report().estimated_loss)


def test_every_run_of_a_batch_can_be_drilled() -> None:
    # Shocks that do not vary by run keep a driver run axis of length 1; the
    # drill of run 2 must read it as shared, not index past it.
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    profile = ShopProfile.default(start, skus=5, days=120)
    batch = simulate_shop(profile, seed=4, runs=3)
    reports = [run_drill(batch, seed=1, run_index=i) for i in range(3)]
    assert 3 == len(reports)
    assert all(report.summary.estimated_loss >= 0.0 for report in reports)
