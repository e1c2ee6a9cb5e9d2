"""The synthetic shop: statistics, drivers, stock, cash, determinism, bad input.

Statistical checks compare a total with its expectation and allow ``Z``
standard errors, each derived from the count model (Poisson, negative
binomial, binomial) or, where the formula is unwieldy, estimated from the
sample. The seeds are fixed, so the checks are deterministic; ``Z`` only says
how far from the model a correct generator may land.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
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
from crisisops.monitoring.metrics import default_metrics
from crisisops.risk.supply import SupplyLink, SupplyNetwork, SupplyNode
from crisisops.scenarios import (
    DOUBLE_ELEVEN,
    SHOP_ENTITY,
    SHOP_METRICS,
    SHOP_ONLY_METRICS,
    SIX_EIGHTEEN,
    SKU_METRICS,
    Assortment,
    CashModel,
    DemandModel,
    Drivers,
    FeedbackModel,
    GroundTruth,
    InventoryPolicy,
    MarketingModel,
    PeriodLength,
    Promotion,
    ShopProfile,
    ShopRun,
    SocialModel,
    SupplierOutage,
    TechModel,
    simulate_shop,
)
from crisisops.serialization import from_data, to_data

FloatArray = npt.NDArray[np.float64]

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 1, 5, tzinfo=TZ)  # 5 January 2026 is a Monday
DAY = dt.timedelta(days=1)
Z = 4.5  # allowed distance from the model, in standard errors
FLAT_WEEK = (1.0,) * 7


def assortment(n: int = 10, **changes: Any) -> Assortment:
    """SKUs with round, known parameters (visits 50, 100, ... a day)."""
    values: dict[str, Any] = {
        "skus": [f"sku-{i:02d}" for i in range(n)],
        "categories": ["home" if i % 2 else "food" for i in range(n)],
        "base_visits": 50.0 * np.arange(1, n + 1),
        "conversion": np.full(n, 0.05),
        "price": np.full(n, 100.0),
        "unit_cost": np.full(n, 50.0),
        "defect_rate": np.zeros(n),
        "lead_time_days": np.full(n, 2),
    }
    values.update(changes)
    return Assortment(**values)


def flat_profile(n: int = 10, days: int = 120, **changes: Any) -> ShopProfile:
    """Stationary demand: no growth, a flat week, no promotions, Poisson visits."""
    demand = DemandModel(
        annual_growth=0.0,
        weekly_profile=FLAT_WEEK,
        promotions=(),
        visit_dispersion=None,
    )
    values: dict[str, Any] = {
        "start": START,
        "periods": days,
        "assortment": assortment(n),
        "demand": demand,
        "inventory": InventoryPolicy(safety_z=8.0),  # practically no stock-outs
    }
    values.update(changes)
    return ShopProfile(**values)


def expected_visits(run: ShopRun) -> FloatArray:
    drivers = run.drivers
    result: FloatArray = np.broadcast_to(
        drivers.traffic * drivers.availability[:, :, np.newaxis],
        (run.n_runs, run.profile.periods, run.profile.assortment.size),
    )
    return result


# --- the panel ------------------------------------------------------------------------


def test_the_default_shop_yields_a_panel_of_every_catalog_kpi() -> None:
    profile = ShopProfile.default(START, skus=30, days=120)
    run = simulate_shop(profile, seed=1)
    panel = run.panel()

    panel.check_against(default_metrics())  # every value within its KPI's range
    assert SHOP_METRICS == panel.metrics
    assert set(SHOP_METRICS) == set(default_metrics().keys())
    assert (120, 31, 25) == panel.values.shape
    assert SHOP_ENTITY == panel.entities[-1]
    assert profile.assortment.skus == panel.entities[:-1]
    for key in SHOP_ONLY_METRICS:
        assert np.isnan(panel.metric_values(key)[:, :-1]).all()
    shop_row = panel.values[:, -1, :]
    assert not np.isnan(shop_row).any()


def test_the_shop_row_holds_sums_and_ratios_of_the_skus() -> None:
    run = simulate_shop(ShopProfile.default(START, skus=20, days=60), seed=2)
    panel = run.panel()

    def values(key: str) -> FloatArray:
        return panel.metric_values(key)

    for key in ("traffic.visits", "sales.orders", "sales.gmv", "feedback.complaints"):
        np.testing.assert_allclose(values(key)[:, :-1].sum(axis=1), values(key)[:, -1])
    orders = values("sales.orders")[:, :-1].sum(axis=1)
    visits = values("traffic.visits")[:, :-1].sum(axis=1)
    np.testing.assert_allclose(orders / visits, values("sales.conversion_rate")[:, -1])
    np.testing.assert_allclose(
        values("supply.stockout_rate")[:, :-1].mean(axis=1),
        values("supply.stockout_rate")[:, -1],
    )
    np.testing.assert_allclose(
        1.0 - values("logistics.delay_rate")[:, -1],
        values("logistics.on_time_delivery_rate")[:, -1],
    )


def test_kpi_puts_the_shop_last_and_nan_where_a_sku_has_no_value() -> None:
    run = simulate_shop(flat_profile(days=10), seed=3, runs=2)
    orders = run.kpi("sales.orders")
    mentions = run.kpi("social.mentions")

    assert (2, 10, 11) == orders.shape
    np.testing.assert_array_equal(run.sku_kpis["sales.orders"], orders[:, :, :-1])
    assert np.isnan(mentions[:, :, :-1]).all()
    np.testing.assert_array_equal(run.shop_kpis["social.mentions"], mentions[:, :, -1])


# --- statistics against the parameters ------------------------------------------------


def test_visits_average_their_driver_poisson() -> None:
    run = simulate_shop(flat_profile(), seed=4, runs=4)
    mu = expected_visits(run)
    visits = run.sku_kpis["traffic.visits"]

    # Poisson: the variance of the total is the sum of the means.
    assert abs(visits.sum() - mu.sum()) < Z * math.sqrt(mu.sum())
    per_sku = visits.sum(axis=(0, 1))
    expected = mu.sum(axis=(0, 1))
    assert (np.abs(per_sku - expected) < Z * np.sqrt(expected)).all()


def test_visits_are_negative_binomial_with_the_given_dispersion() -> None:
    k = 4.0
    profile = flat_profile(
        demand=DemandModel(
            annual_growth=0.0,
            weekly_profile=FLAT_WEEK,
            promotions=(),
            visit_dispersion=k,
        )
    )
    run = simulate_shop(profile, seed=5, runs=4)
    mu = expected_visits(run)
    squared = (run.sku_kpis["traffic.visits"] - mu) ** 2
    variance = mu + mu**2 / k  # gamma-Poisson mixture (Greenwood & Yule 1920)

    assert abs(run.sku_kpis["traffic.visits"].sum() - mu.sum()) < Z * math.sqrt(
        variance.sum()
    )
    # Σ (x - μ)² estimates Σ Var; its SE is estimated from the sample.
    standard_error = squared.std() * math.sqrt(squared.size)
    assert abs(squared.sum() - variance.sum()) < Z * standard_error
    # ... and is far above the Poisson variance.
    assert squared.sum() > mu.sum() + Z * standard_error


def test_the_weekly_pattern_shapes_the_drivers_and_the_visits() -> None:
    weekend_peak = (1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0)
    profile = flat_profile(
        demand=DemandModel(
            annual_growth=0.0,
            weekly_profile=weekend_peak,
            promotions=(),
            visit_dispersion=None,
        )
    )
    run = simulate_shop(profile, seed=6, runs=2)
    weekday = np.array([t.weekday() for t in profile.timestamps])
    relative = run.drivers.traffic[0, :, 0] / profile.assortment.base_visits[0]

    # By hand: weights scaled to mean 1 (mean 9/7): weekdays 7/9, weekends 14/9.
    np.testing.assert_allclose(relative[weekday < 5], 7 / 9)
    np.testing.assert_allclose(relative[weekday >= 5], 14 / 9)
    visits = run.sku_kpis["traffic.visits"].sum(axis=(0, 2))
    mu = expected_visits(run).sum(axis=(0, 2))
    weekend, workday = visits[weekday >= 5].sum(), visits[weekday < 5].sum()
    expected_ratio = mu[weekday >= 5].sum() / mu[weekday < 5].sum()
    # Log ratio of two Poisson totals: SE ≈ sqrt(1/W + 1/D).
    log_se = math.sqrt(1 / mu[weekday >= 5].sum() + 1 / mu[weekday < 5].sum())
    assert abs(math.log(weekend / workday) - math.log(expected_ratio)) < Z * log_se
    per_day = mu[weekday >= 5].sum() / (weekday >= 5).sum()
    per_workday = mu[weekday < 5].sum() / (weekday < 5).sum()
    assert 2.0 == pytest.approx(per_day / per_workday)


def test_orders_are_binomial_out_of_visits() -> None:
    profile = flat_profile(tech=TechModel(payment_failure_rate=0.01))
    run = simulate_shop(profile, seed=7, runs=4)
    orders = run.sku_kpis["sales.orders"]
    visits = run.sku_kpis["traffic.visits"]

    assert (run.lost_orders == 0).all()  # no stock-out caps the orders here
    p = 0.05 * (1 - 0.01)  # conversion × payments that go through
    share = orders.sum() / visits.sum()
    assert abs(share - p) < Z * math.sqrt(p * (1 - p) / visits.sum())
    assert (orders <= visits).all()


def test_traffic_and_orders_move_together() -> None:
    profile = ShopProfile.default(START, skus=20, days=365)
    run = simulate_shop(profile, seed=8)
    visits = run.shop_kpis["traffic.visits"][0]
    orders = run.shop_kpis["sales.orders"][0]
    gmv = run.shop_kpis["sales.gmv"][0]

    # Fisher's z: atanh(r) has SE 1 / sqrt(n - 3) under no correlation.
    limit = Z / math.sqrt(visits.size - 3)
    assert math.atanh(np.corrcoef(visits, orders)[0, 1]) > limit
    assert math.atanh(np.corrcoef(orders, gmv)[0, 1]) > limit


def test_gmv_sums_order_values_around_the_price() -> None:
    cv = 0.35
    run = simulate_shop(flat_profile(), seed=9, runs=2)
    orders = run.sku_kpis["sales.orders"]
    price = np.broadcast_to(run.drivers.price, orders.shape)
    gmv = run.sku_kpis["sales.gmv"]

    expected = (orders * price).sum()
    # n orders of mean v and CV cv: variance n (v cv)².
    standard_error = math.sqrt((orders * (price * cv) ** 2).sum())
    assert abs(gmv.sum() - expected) < Z * standard_error
    assert (gmv[orders == 0] == 0).all()


def test_feedback_rates_match_their_parameters() -> None:
    feedback = FeedbackModel(
        review_rate=0.3,
        negative_share=0.05,
        complaint_rate=0.02,
        refund_rate=0.03,
        delay_rate=0.06,
        service_failure_rate=0.0,
    )
    run = simulate_shop(flat_profile(feedback=feedback), seed=10, runs=4)
    orders = run.sku_kpis["sales.orders"].sum()
    negative = run.shop_kpis["feedback.negative_reviews"].sum()
    complaints = run.shop_kpis["feedback.complaints"].sum()
    refunds = np.nansum(
        run.sku_kpis["feedback.refund_rate"] * run.sku_kpis["sales.orders"]
    )
    late = np.nansum(
        run.sku_kpis["logistics.delay_rate"] * run.sku_kpis["sales.orders"]
    )

    def close(count: float, p: float) -> bool:
        return bool(abs(count / orders - p) < Z * math.sqrt(p * (1 - p) / orders))

    # Negative reviews per order: reviewed × negative; the late parcels add
    # their own negatives: 1 - (1 - 0.05)(1 - 0.06 × 0.25), by hand.
    q = 1 - (1 - 0.05) * (1 - 0.06 * feedback.negative_if_late)
    assert close(negative, 0.3 * q)
    c = 1 - (1 - 0.02) * (1 - 0.06 * feedback.complaint_if_late)
    assert close(complaints, c)
    assert close(refunds, 0.03)
    assert close(late, 0.06)


def test_defective_skus_get_more_refunds_and_negative_reviews() -> None:
    defect = np.array([0.0] * 5 + [0.2] * 5)
    profile = flat_profile(assortment=assortment(defect_rate=defect))
    run = simulate_shop(profile, seed=11, runs=4)
    orders = run.sku_kpis["sales.orders"]
    refunds = np.nansum(run.sku_kpis["feedback.refund_rate"] * orders, axis=(0, 1))
    sold = orders.sum(axis=(0, 1))
    feedback = profile.feedback

    negative = run.sku_kpis["feedback.negative_reviews"].sum(axis=(0, 1))
    late, service = feedback.delay_rate, feedback.service_failure_rate

    def close(count: float, n: float, p: float) -> bool:
        return abs(count / n - p) < Z * math.sqrt(p * (1 - p) / n)

    for group, d in ((slice(0, 5), 0.0), (slice(5, 10), 0.2)):
        n = sold[group].sum()
        # By hand: 1 - (1 - refund_rate)(1 - d · refund_if_defect).
        u = 1 - (1 - feedback.refund_rate) * (1 - d * feedback.refund_if_defect)
        assert close(refunds[group].sum(), n, u)
        # Reviewed, and negative for any of the causes.
        q = 1 - (1 - feedback.negative_share) * (
            1 - d * feedback.negative_if_defect
        ) * (1 - late * feedback.negative_if_late) * (
            1 - service * feedback.negative_if_service_failure
        )
        assert close(negative[group].sum(), n, feedback.review_rate * q)


# --- drivers: trend, promotions, hourly profile ---------------------------------------


def test_a_promotion_ramps_up_peaks_and_leaves_a_delivery_backlog() -> None:
    festival = Promotion(
        key="spring_sale",
        month=3,
        day=10,
        ramp_days=3,
        backlog_days=2,
        traffic_factor=4.0,
        conversion_factor=1.5,
        discount=0.2,
        delay_factor=2.0,
        ad_spend_factor=3.0,
    )
    demand = DemandModel(
        annual_growth=0.0, weekly_profile=FLAT_WEEK, promotions=(festival,)
    )
    profile = flat_profile(demand=demand)
    run = simulate_shop(profile, seed=12)
    peak = profile.timestamps.index(dt.datetime(2026, 3, 10, tzinfo=TZ))
    window = slice(peak - 4, peak + 4)
    drivers = run.drivers
    base = profile.assortment

    # By hand: the ramp climbs (4 - d)/4 of the way on day -d, d = 3, 2, 1.
    traffic = drivers.traffic[0, window, 0] / base.base_visits[0]
    np.testing.assert_allclose(traffic, [1, 1.75, 2.5, 3.25, 4, 1, 1, 1])
    conversion = drivers.conversion[0, window, 0] / base.conversion[0]
    np.testing.assert_allclose(conversion, [1, 1, 1, 1, 1.5, 1, 1, 1])
    price = drivers.price[0, window, 0] / base.price[0]
    np.testing.assert_allclose(price, [1, 1, 1, 1, 0.8, 1, 1, 1])
    # The backlog fades 1 - a/3 of the extra delay on day +a, a = 1, 2.
    delay = drivers.delay_rate[0, window, 0] / profile.feedback.delay_rate
    np.testing.assert_allclose(delay, [1, 1, 1, 1, 2, 5 / 3, 4 / 3, 1])
    assert (("spring_sale", profile.timestamps[peak]),) == profile.promotion_peaks()


def test_the_default_peaks_are_618_and_double_11() -> None:
    profile = ShopProfile.default(START, skus=5, days=365)
    run = simulate_shop(profile, seed=13)
    peaks = dict(profile.promotion_peaks())

    assert {"six_eighteen", "double_eleven"} == set(peaks)
    assert (6, 18) == (peaks["six_eighteen"].month, peaks["six_eighteen"].day)
    assert (11, 11) == (peaks["double_eleven"].month, peaks["double_eleven"].day)
    visits = run.shop_kpis["traffic.visits"][0]
    eleven = profile.timestamps.index(peaks["double_eleven"])
    assert visits[eleven] > 3 * np.median(visits)
    assert (SIX_EIGHTEEN, DOUBLE_ELEVEN) == profile.demand.promotions


def test_growth_compounds_over_the_year() -> None:
    demand = DemandModel(
        annual_growth=0.1,
        weekly_profile=FLAT_WEEK,
        promotions=(),
        visit_dispersion=None,
    )
    profile = flat_profile(days=400, demand=demand)
    run = simulate_shop(profile, seed=14)
    traffic = run.drivers.traffic[0, :, 0]

    # By hand: (1 + g) ** (days / 365.25).
    assert traffic[365] / traffic[0] == pytest.approx(1.1 ** (365 / 365.25))


def test_an_hourly_shop_spreads_each_day_over_the_daily_profile() -> None:
    profile = flat_profile(days=14 * 24, period=PeriodLength.HOURLY)
    run = simulate_shop(profile, seed=15)
    stamps = profile.timestamps
    traffic = run.drivers.traffic[0, :, 0]

    assert 24 == profile.periods_per_day
    assert all(b - a == dt.timedelta(hours=1) for a, b in itertools.pairwise(stamps))
    # The 24 hourly shares of a day add up to the day's visits.
    per_day = traffic.reshape(14, 24).sum(axis=1)
    np.testing.assert_allclose(per_day, profile.assortment.base_visits[0])
    hours = np.array([t.hour for t in stamps])
    assert traffic[hours == 21].mean() > 5 * traffic[hours == 4].mean()
    assert (14 * 24, 11, 25) == run.panel().values.shape


def test_the_calendar_is_read_in_the_zone_of_the_start() -> None:
    late_evening_utc = dt.datetime(2026, 6, 17, 16, tzinfo=dt.timezone.utc)
    profile = ShopProfile.default(late_evening_utc.astimezone(TZ), skus=3, days=3)

    # 16:00 UTC is midnight in UTC+8: the first period is 18 June locally.
    assert "six_eighteen" == profile.promotion_peaks()[0][0]


# --- stock ----------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    lead=st.integers(0, 9),
    review=st.integers(1, 4),
    safety=st.floats(0.0, 3.0),
)
def test_stock_never_goes_negative_and_caps_sales(
    seed: int, lead: int, review: int, safety: float
) -> None:
    profile = ShopProfile.default(START, skus=6, days=60, seed=seed)
    profile = attrs.evolve(
        profile,
        assortment=attrs.evolve(profile.assortment, lead_time_days=np.full(6, lead)),
        inventory=InventoryPolicy(review_period_days=review, safety_z=safety),
    )
    run = simulate_shop(profile, seed=seed, runs=2)
    sales = run.sku_kpis["sales.orders"]
    cover = run.sku_kpis["supply.inventory_days_of_cover"]
    out = run.sku_kpis["supply.stockout_rate"]

    assert (sales >= 0).all()
    assert (run.lost_orders >= 0).all()
    assert (cover >= 0).all()
    assert (sales == np.round(sales)).all()
    # Orders are only lost when the shelf is empty at the end of the period.
    assert (out[run.lost_orders > 0] == 1.0).all()


def test_a_lead_time_of_zero_delivers_by_the_next_period() -> None:
    goods = assortment(lead_time_days=np.zeros(10, dtype=np.int64))
    profile = flat_profile(assortment=goods, inventory=InventoryPolicy(safety_z=3.0))
    run = simulate_shop(profile, seed=25, runs=2)

    # Restocked every day: at most a rare stock-out (z = 3 covers 99.9%).
    assert run.sku_kpis["supply.stockout_rate"].mean() < 0.01
    assert run.lost_orders.sum() < 0.001 * run.sku_kpis["sales.orders"].sum()


def test_a_shop_that_cannot_restock_sells_out() -> None:
    profile = flat_profile(days=60, inventory=InventoryPolicy(safety_z=1.0))
    network = SupplyNetwork(
        nodes=[SupplyNode(key="factory", kind="supplier")]
        + [SupplyNode(key=sku, kind="sku") for sku in profile.assortment.skus],
        links=[
            SupplyLink(source="factory", target=sku, share=1.0)
            for sku in profile.assortment.skus
        ],
    )
    profile = attrs.evolve(profile, network=network)
    cut = SupplierOutage(
        key="cut", failed=["factory"], onset=START, end=START + 60 * DAY
    )
    run = simulate_shop(profile, [cut], seed=16)
    stock_out = run.sku_kpis["supply.stockout_rate"][0]

    # Lead time 2 days: what was on order arrives, then the shelves empty.
    assert (stock_out[-10:] == 1.0).all()
    assert (run.sku_kpis["sales.orders"][0, -10:] == 0).all()
    assert run.lost_orders[0, -10:].sum() > 0


def test_cover_is_stock_over_a_day_of_planned_demand() -> None:
    run = simulate_shop(flat_profile(days=20), seed=17)
    cover = run.sku_kpis["supply.inventory_days_of_cover"][0]
    planned = (
        (run.baseline.traffic * run.baseline.conversion)[0]
        * (1 - run.baseline.payment_failure_rate[0, :, np.newaxis])
        * run.baseline.availability[0, :, np.newaxis]
    )

    # Flat demand: the cover times a day of demand is a whole number of units.
    units = cover * planned
    np.testing.assert_allclose(units, np.round(units), atol=1e-6)


# --- cash -----------------------------------------------------------------------------


def test_cash_accumulates_settled_sales_when_nothing_else_flows() -> None:
    profile = flat_profile(
        days=30,
        assortment=assortment(unit_cost=np.zeros(10)),
        feedback=FeedbackModel(refund_rate=0.0),
        marketing=MarketingModel(ad_spend_per_day=0.0),
        cash=CashModel(
            initial_balance=1_000.0,
            fixed_costs_per_day=0.0,
            platform_fee=0.0,
            settlement_delay_days=0,
        ),
    )
    run = simulate_shop(profile, seed=18)
    gmv = run.shop_kpis["sales.gmv"][0]

    np.testing.assert_allclose(run.shop_kpis["cash.balance"][0], 1_000 + np.cumsum(gmv))
    assert (run.shop_kpis["cash.runway_days"][0] == 365.0).all()  # not burning


def test_runway_is_balance_over_the_trailing_daily_burn() -> None:
    profile = flat_profile(
        days=40,
        assortment=assortment(unit_cost=np.zeros(10), price=np.full(10, 0.01)),
        feedback=FeedbackModel(refund_rate=0.0),
        marketing=MarketingModel(ad_spend_per_day=0.0),
        cash=CashModel(
            initial_balance=100_000.0,
            fixed_costs_per_day=1_000.0,
            platform_fee=0.0,
            settlement_delay_days=0,
            runway_window_days=7,
        ),
    )
    run = simulate_shop(profile, seed=19)
    balance = run.shop_kpis["cash.balance"][0]
    runway = run.shop_kpis["cash.runway_days"][0]
    net = np.diff(np.concatenate([[100_000.0], balance]))

    # By hand, day 20: balance / mean burn of days 14..20.
    burn = -net[14:21].mean()
    assert runway[20] == pytest.approx(balance[20] / burn)
    assert 100 == pytest.approx(runway[0], rel=0.01)  # 99,000 / ~1,000 a day


# --- runs, seeds and metrics ----------------------------------------------------------


def test_the_same_seed_gives_the_same_shop() -> None:
    profile = ShopProfile.default(START, skus=8, days=40)

    assert simulate_shop(profile, seed=20) == simulate_shop(profile, seed=20)
    assert simulate_shop(profile, seed=20) != simulate_shop(profile, seed=21)
    first = simulate_shop(profile, seed=np.random.default_rng(20))
    assert first == simulate_shop(profile, seed=np.random.default_rng(20))


def test_runs_are_drawn_at_once_and_differ() -> None:
    profile = flat_profile(days=30)
    many = simulate_shop(profile, seed=22, runs=3)
    single = simulate_shop(profile, seed=22)

    assert 3 == many.n_runs
    assert 3 == many.runs
    assert 1 == single.n_runs
    assert single.runs is None
    assert (3, 30, 10) == many.sku_kpis["sales.orders"].shape
    orders = many.sku_kpis["sales.orders"]
    assert not np.array_equal(orders[0], orders[1])
    assert many.panel(2) == many.panel(-1)
    assert many.panel(0) != many.panel(1)


def test_requesting_fewer_metrics_leaves_the_others_unchanged() -> None:
    profile = ShopProfile.default(START, skus=8, days=40)
    lean = attrs.evolve(profile, metrics=("sales.orders", "cash.balance"))
    full = simulate_shop(profile, seed=23)
    part = simulate_shop(lean, seed=23)

    assert ("sales.orders", "cash.balance") == part.panel().metrics
    for key in ("sales.orders", "cash.balance"):
        np.testing.assert_array_equal(full.shop_kpis[key], part.shop_kpis[key])
    assert ("sales.orders",) == tuple(part.sku_kpis)


def test_sku_groups_by_category_and_by_main_supplier() -> None:
    profile = ShopProfile.default(START, skus=12, days=10)
    by_category = profile.sku_groups()
    by_supplier = profile.sku_groups("supplier")

    assert sorted(profile.assortment.skus) == sorted(
        sku for group in by_category.values() for sku in group
    )
    assert sorted(profile.assortment.skus) == sorted(
        sku for group in by_supplier.values() for sku in group
    )
    assert set(by_supplier) <= set(profile.network.sources)  # type: ignore[union-attr]
    everything = profile.assortment.in_categories(*by_category)
    assert profile.assortment.skus == everything


# --- plain data -----------------------------------------------------------------------


def roundtrip(value: Any) -> Any:
    document = json.loads(json.dumps(to_data(value), allow_nan=False))
    return from_data(type(value), document)


promotions = st.builds(
    Promotion,
    key=st.sampled_from(["six_eighteen", "double_eleven", "spring"]),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    ramp_days=st.integers(0, 10),
    traffic_factor=st.floats(0.1, 10.0),
    discount=st.floats(0.0, 0.9),
)


@st.composite
def profiles(draw: st.DrawFn) -> ShopProfile:
    n = draw(st.integers(1, 4))
    demand = DemandModel(
        annual_growth=draw(st.floats(-0.5, 1.0)),
        visit_dispersion=draw(st.none() | st.floats(0.5, 50.0)),
        promotions=draw(st.lists(promotions, max_size=2, unique_by=lambda p: p.key)),
    )
    metrics = draw(st.lists(st.sampled_from(SHOP_METRICS), min_size=1, unique=True))
    return ShopProfile(
        start=START + draw(st.integers(0, 400)) * DAY,
        periods=draw(st.integers(1, 30)),
        period=draw(st.sampled_from(PeriodLength)),
        assortment=Assortment.generate(n, seed=draw(st.integers(0, 99))),
        demand=demand,
        metrics=metrics,
    )


@settings(max_examples=30, deadline=None)
@given(profile=profiles())
def test_profiles_round_trip_through_plain_data(profile: ShopProfile) -> None:
    assert profile == roundtrip(profile)


def test_the_default_profile_and_a_run_round_trip_through_plain_data() -> None:
    profile = ShopProfile.default(START, skus=4, days=12)
    run = simulate_shop(profile, seed=24, runs=2)

    assert profile == roundtrip(profile)
    assert run == roundtrip(run)
    assert run.drivers == roundtrip(run.drivers)


# --- bad input ------------------------------------------------------------------------


def test_a_profile_rejects_bad_fields() -> None:
    goods = assortment(3)
    with pytest.raises(NaiveDatetimeError, match="'start'"):
        ShopProfile(start=dt.datetime(2026, 1, 1), periods=3, assortment=goods)  # noqa: DTZ001
    with pytest.raises(ValidationError, match="'periods'"):
        ShopProfile(start=START, periods=0, assortment=goods)
    with pytest.raises(InvalidTypeError, match="'periods'"):
        ShopProfile(start=START, periods=True, assortment=goods)
    with pytest.raises(InvalidTypeError, match="'assortment'"):
        ShopProfile(start=START, periods=3, assortment="skus")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match=r"sales\.gvm"):
        ShopProfile(start=START, periods=3, assortment=goods, metrics=["sales.gvm"])
    with pytest.raises(DuplicateKeyError):
        ShopProfile(
            start=START,
            periods=3,
            assortment=goods,
            metrics=["sales.gmv", "sales.gmv"],
        )
    with pytest.raises(ValidationError, match="'metrics'"):
        ShopProfile(start=START, periods=3, assortment=goods, metrics=[])
    with pytest.raises(InvalidTypeError, match="'period'"):
        ShopProfile(start=START, periods=3, assortment=goods, period="daily")  # type: ignore[arg-type]


def test_a_profile_rejects_a_network_that_does_not_match_its_skus() -> None:
    goods = assortment(2)
    stranger = SupplyNetwork(
        nodes=[SupplyNode(key="f", kind="supplier"), SupplyNode(key="x", kind="sku")],
        links=[SupplyLink(source="f", target="x", share=1.0)],
    )
    partial = SupplyNetwork(
        nodes=[
            SupplyNode(key="f", kind="supplier"),
            SupplyNode(key="sku-00", kind="sku"),
        ],
        links=[SupplyLink(source="f", target="sku-00", share=1.0)],
    )
    with pytest.raises(UnknownKeyError, match="'x'"):
        ShopProfile(start=START, periods=3, assortment=goods, network=stranger)
    with pytest.raises(ValidationError, match="sku-01"):
        ShopProfile(start=START, periods=3, assortment=goods, network=partial)
    with pytest.raises(InvalidTypeError, match="'network'"):
        ShopProfile(start=START, periods=3, assortment=goods, network="suppliers")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"base_visits": [1.0, 2.0]}, ValidationError, "base_visits"),
        ({"base_visits": [1.0, 0.0, 2.0]}, ValidationError, r"base_visits\[1\]"),
        ({"conversion": [0.1, 1.5, 0.1]}, ValidationError, r"conversion\[1\]"),
        ({"price": [1.0, float("nan"), 1.0]}, ValidationError, r"price\[1\]"),
        ({"defect_rate": [0.1, -0.1, 0.0]}, ValidationError, r"defect_rate\[1\]"),
        ({"lead_time_days": [1, 2.5, 3]}, InvalidTypeError, "lead_time_days"),
        ({"unit_cost": "cheap"}, InvalidTypeError, "unit_cost"),
        ({"skus": ["a", "a", "b"]}, DuplicateKeyError, "'a'"),
        ({"skus": ["a", "shop", "b"]}, ValidationError, r"skus\[1\]"),
        ({"categories": ["home"]}, ValidationError, "categories"),
        ({"categories": ["home", "Food!", "x"]}, ValidationError, r"categories\[1\]"),
    ],
)
def test_an_assortment_rejects_bad_arrays(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        assortment(3, **changes)


def test_assortment_helpers_reject_bad_input() -> None:
    with pytest.raises(ValidationError, match="'skus'"):
        Assortment.generate(0, seed=1)
    with pytest.raises(ValidationError, match="'median_price'"):
        Assortment.generate(3, seed=1, median_price=-1.0)
    with pytest.raises(ValidationError, match="'median_conversion'"):
        Assortment.generate(3, seed=1, median_conversion=2.0)
    with pytest.raises(ValidationError, match="'categories'"):
        Assortment.generate(3, seed=1, categories=[])
    with pytest.raises(ValidationError, match="'seed'"):
        Assortment.generate(3, seed=None)  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="hom"):
        assortment(3).in_categories("hom")


@pytest.mark.parametrize(
    ("build", "error", "field"),
    [
        (lambda: Promotion(key="p", month=13, day=1), ValidationError, "'month'"),
        (lambda: Promotion(key="p", month=2, day=29), ValidationError, "'day'"),
        (lambda: Promotion(key="p", month=6, day=0), ValidationError, "'day'"),
        (lambda: Promotion(key="P!", month=6, day=1), ValidationError, "'key'"),
        (
            lambda: Promotion(key="p", month=6, day=1, discount=1.0),
            ValidationError,
            "'discount'",
        ),
        (
            lambda: Promotion(key="p", month=6, day=1, traffic_factor=0.0),
            ValidationError,
            "'traffic_factor'",
        ),
        (
            lambda: Promotion(key="p", month=6, day=1, ramp_days=-1),
            ValidationError,
            "'ramp_days'",
        ),
        (lambda: DemandModel(weekly_profile=(1.0,) * 6), ValidationError, "weekly"),
        (
            lambda: DemandModel(weekly_profile=(1.0,) * 6 + (0.0,)),
            ValidationError,
            r"weekly_profile\[6\]",
        ),
        (lambda: DemandModel(visit_dispersion=0.0), ValidationError, "dispersion"),
        (lambda: DemandModel(annual_growth=-1.0), ValidationError, "annual_growth"),
        (
            lambda: DemandModel(promotions=(SIX_EIGHTEEN, SIX_EIGHTEEN)),
            DuplicateKeyError,
            "six_eighteen",
        ),
        (lambda: FeedbackModel(review_rate=1.5), ValidationError, "review_rate"),
        (lambda: FeedbackModel(delay_rate=-0.1), ValidationError, "delay_rate"),
        (lambda: InventoryPolicy(review_period_days=0), ValidationError, "review"),
        (lambda: InventoryPolicy(safety_z=-1.0), ValidationError, "safety_z"),
        (lambda: TechModel(latency_ms=0.0), ValidationError, "latency_ms"),
        (lambda: TechModel(checks_per_day=0), ValidationError, "checks_per_day"),
        (lambda: SocialModel(sentiment=1.5), ValidationError, "'sentiment'"),
        (lambda: SocialModel(dispersion=0.0), ValidationError, "'dispersion'"),
        (lambda: SocialModel(mentions_per_day=-1), ValidationError, "mentions"),
        (lambda: MarketingModel(ctr=2.0), ValidationError, "'ctr'"),
        (lambda: CashModel(platform_fee=1.0), ValidationError, "platform_fee"),
        (
            lambda: CashModel(initial_balance=float("inf")),
            ValidationError,
            "initial_balance",
        ),
        (
            lambda: CashModel(settlement_delay_days=1.5),  # type: ignore[arg-type]
            InvalidTypeError,
            "settlement_delay_days",
        ),
    ],
)
def test_model_parts_reject_bad_values(
    build: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        build()


def test_the_default_profile_rejects_bad_arguments() -> None:
    with pytest.raises(NaiveDatetimeError):
        ShopProfile.default(dt.datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValidationError, match="'skus'"):
        ShopProfile.default(START, skus=0)
    with pytest.raises(ValidationError, match="'days'"):
        ShopProfile.default(START, days=0)
    with pytest.raises(InvalidTypeError, match="'suppliers'"):
        ShopProfile.default(START, suppliers=2.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'period'"):
        ShopProfile.default(START, period="hourly")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'by'"):
        ShopProfile.default(START, skus=3, days=3).sku_groups("colour")
    with pytest.raises(ValidationError, match="'network'"):
        flat_profile().sku_groups("supplier")


def test_simulate_shop_rejects_bad_arguments() -> None:
    profile = flat_profile(days=5)
    with pytest.raises(InvalidTypeError, match="'profile'"):
        simulate_shop("shop", seed=1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'seed'"):
        simulate_shop(profile, seed=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'seed'"):
        simulate_shop(profile, seed=-1)
    with pytest.raises(ValidationError, match="'runs'"):
        simulate_shop(profile, seed=1, runs=0)
    with pytest.raises(InvalidTypeError, match="'runs'"):
        simulate_shop(profile, seed=1, runs=True)
    with pytest.raises(InvalidTypeError, match="'runs'"):
        simulate_shop(profile, seed=1, runs=2.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'shocks'"):
        simulate_shop(profile, "outage", seed=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'shocks\[0\]'"):
        simulate_shop(profile, ["outage"], seed=1)  # type: ignore[list-item]


def test_run_queries_reject_bad_arguments() -> None:
    run = simulate_shop(flat_profile(days=5), seed=1, runs=2)
    with pytest.raises(ValidationError, match="'run'"):
        run.panel(2)
    with pytest.raises(InvalidTypeError, match="'run'"):
        run.panel(True)  # noqa: FBT003  a bool is not a run index
    with pytest.raises(UnknownKeyError, match=r"sales\.gvm"):
        run.kpi("sales.gvm")
    with pytest.raises(UnknownKeyError, match="outage"):
        run.truth("outage")
    with pytest.raises(UnknownKeyError, match="trafic"):
        run.drivers.get("trafic")


def test_drivers_and_runs_built_by_hand_are_checked() -> None:
    run = simulate_shop(flat_profile(days=5), seed=1)
    arrays = run.drivers.as_dict()
    with pytest.raises(ValidationError, match="'conversion"):
        Drivers(**{**arrays, "conversion": arrays["conversion"] * 100})
    with pytest.raises(ValidationError, match="'price'"):
        Drivers(**{**arrays, "price": arrays["price"][:, :3]})
    with pytest.raises(ValidationError, match="'sentiment"):
        Drivers(**{**arrays, "sentiment": arrays["sentiment"] - 5})
    with pytest.raises(InvalidTypeError, match="'traffic'"):
        Drivers(**{**arrays, "traffic": "busy"})
    fields = {f.name: getattr(run, f.name) for f in attrs.fields(ShopRun)}
    truth = GroundTruth(
        shock="slump",
        kind="DemandShift",
        crisis_type="market.demand_shift",
        onset=START,
        end=START + DAY,
        entities=["shop"],
        drivers=["traffic"],
    )
    with pytest.raises(ValidationError, match="'ground_truth'"):
        ShopRun(**{**fields, "ground_truth": [truth]})
    with pytest.raises(ValidationError, match="sku_kpis"):
        ShopRun(**{**fields, "sku_kpis": {}})
    with pytest.raises(ValidationError, match="lost_orders"):
        ShopRun(**{**fields, "lost_orders": -run.lost_orders - 1})
    other = simulate_shop(flat_profile(days=6), seed=1)
    with pytest.raises(ValidationError, match=r"drivers\.traffic"):
        ShopRun(**{**fields, "drivers": other.drivers})


def test_sku_and_shop_metric_lists_partition_the_catalog() -> None:
    assert set(SHOP_METRICS) == set(SKU_METRICS) | set(SHOP_ONLY_METRICS)
    assert not set(SKU_METRICS) & set(SHOP_ONLY_METRICS)


def test_shop_only_panel_is_the_shop_row_of_the_full_panel() -> None:
    start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    run = simulate_shop(ShopProfile.default(start, skus=6, days=20), seed=3)
    shop = run.panel(0, shop_only=True)
    assert ("shop",) == shop.entities
    assert run.panel(0).select(entities=["shop"]) == shop
    with pytest.raises(InvalidTypeError, match="shop_only"):
        run.panel(0, shop_only=1)  # type: ignore[arg-type]
