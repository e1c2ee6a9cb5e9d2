"""Shocks: each moves exactly its drivers, its KPIs follow, its truth is on record."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
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
from crisisops.scenarios import (
    DRIVERS,
    SHOP_ENTITY,
    SKU_DRIVERS,
    CashSqueeze,
    DataBreach,
    DemandShift,
    GroundTruth,
    LogisticsDelay,
    PeriodLength,
    PolicyChange,
    PriceWar,
    ProductDefect,
    ServiceFailure,
    Shock,
    ShockContext,
    ShopProfile,
    ShopRun,
    SiteOutage,
    SupplierOutage,
    is_shock,
    simulate_shop,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders.diffusion import Intervention
from crisisops.stakeholders.graph import Influence, Stakeholder, StakeholderGraph
from crisisops.taxonomy import ResponseLevel, default_catalog

FloatArray = npt.NDArray[np.float64]

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 1, 5, tzinfo=TZ)
DAY = dt.timedelta(days=1)
Z = 4.5  # allowed distance from the model, in standard errors
PROFILE = ShopProfile.default(START, skus=12, days=120, seed=3)
SKUS = PROFILE.assortment.skus
SEED = 2026


def at(day: int) -> dt.datetime:
    return START + day * DAY


def _person(key: str, kind: str) -> Stakeholder:
    return Stakeholder(
        key=key,
        name=key.title(),
        kind=kind,
        power=0.5,
        legitimacy=0.6,
        urgency=0.7,
        interest=0.8,
    )


GRAPH = StakeholderGraph(
    stakeholders=[
        _person("victims", "customers"),
        _person("kol", "influencers"),
        _person("press", "media"),
        _person("public", "public"),
        _person("buyers", "customers"),
    ],
    influences=[
        Influence(source="victims", target="kol", weight=0.8),
        Influence(source="kol", target="press", weight=0.7),
        Influence(source="press", target="public", weight=0.8),
        Influence(source="public", target="buyers", weight=0.6),
        Influence(source="kol", target="buyers", weight=0.5),
    ],
)

# One of each shock, all in days 40 to 70 of PROFILE.
SHOCKS: dict[str, Callable[[], Shock]] = {
    "demand": lambda: DemandShift(
        key="slump", onset=at(40), end=at(70), entities=SKUS[:4], traffic_factor=0.5
    ),
    "price_war": lambda: PriceWar(
        key="rival", onset=at(40), end=at(70), price_factor=0.9, entities=SKUS[4:]
    ),
    "policy": lambda: PolicyChange(
        key="rule",
        onset=at(40),
        end=at(70),
        entities=PROFILE.assortment.in_categories(PROFILE.assortment.categories[0]),
        fee_increase=0.03,
    ),
    "supplier": lambda: SupplierOutage(
        key="fire", onset=at(40), end=at(70), failed=["supplier-01"]
    ),
    "logistics": lambda: LogisticsDelay(
        key="storm", onset=at(40), end=at(70), delay_rate=0.4, recovery=3 * DAY
    ),
    "defect": lambda: ProductDefect(
        key="batch",
        onset=at(40),
        end=at(70),
        entities=SKUS[:2],
        defect_rate=0.3,
        mentions_factor=3.0,
        sentiment_drop=0.4,
    ),
    "service": lambda: ServiceFailure(
        key="helpdesk", onset=at(40), end=at(70), service_failure_rate=0.3
    ),
    "site": lambda: SiteOutage(key="crash", onset=at(40), end=at(70), availability=0.5),
    "breach": lambda: DataBreach(
        key="leak",
        onset=at(40),
        end=at(70),
        stakeholders=GRAPH,
        seeds=["victims"],
        recovery=5 * DAY,
    ),
    "cash": lambda: CashSqueeze(
        key="freeze",
        onset=at(40),
        end=at(70),
        withheld_share=0.0,
        extra_outflow_per_day=10_000.0,
    ),
}


def base_run(runs: int | None = 2) -> ShopRun:
    return simulate_shop(PROFILE, seed=SEED, runs=runs)


def changed(before: FloatArray, after: FloatArray) -> npt.NDArray[np.bool_]:
    shape = np.broadcast_shapes(before.shape, after.shape)
    result: npt.NDArray[np.bool_] = np.broadcast_to(after, shape) != np.broadcast_to(
        before, shape
    )
    return result


# --- every shock moves exactly its drivers --------------------------------------------


@pytest.mark.parametrize("name", sorted(SHOCKS))
def test_each_shock_moves_exactly_the_drivers_it_claims(name: str) -> None:
    shock = SHOCKS[name]()
    base = base_run()
    run = simulate_shop(PROFILE, [shock], seed=SEED, runs=2)
    truth = run.truth(shock.key)
    moved = [
        driver
        for driver in DRIVERS
        if changed(base.drivers.get(driver), run.drivers.get(driver)).any()
    ]

    assert shock.drivers == tuple(moved)
    assert shock.drivers == truth.drivers
    assert moved  # every shock in the list does something
    weight = shock.intensity(PROFILE)
    affected = [SKUS.index(sku) for sku in truth.entities if sku != SHOP_ENTITY]
    for driver in moved:
        diff = changed(base.drivers.get(driver), run.drivers.get(driver))
        periods: npt.NDArray[np.bool_] = np.asarray(
            diff.any(axis=(0, 2)) if driver in SKU_DRIVERS else diff.any(axis=0)
        )
        # Only inside the window (and its fade-out) ...
        assert not periods[weight == 0].any()
        assert not periods[:40].any()
        # ... and only for the SKUs the ground truth names.
        if driver in SKU_DRIVERS:
            columns = np.flatnonzero(diff.any(axis=(0, 1)))
            assert set(columns.tolist()) <= set(affected)


@pytest.mark.parametrize("name", sorted(SHOCKS))
def test_the_ground_truth_is_known_before_and_after_the_run(name: str) -> None:
    shock = SHOCKS[name]()
    run = simulate_shop(PROFILE, [shock], seed=SEED)
    truth = shock.ground_truth(PROFILE)

    assert truth == run.truth(shock.key)
    assert truth.crisis_type in default_catalog()
    assert (shock.onset, shock.end) == (truth.onset, truth.end)
    assert type(shock).__name__ == truth.kind
    assert SHOP_ENTITY == truth.entities[-1]
    assert is_shock(shock)


def test_every_crisis_type_a_shock_can_be_is_in_the_catalog() -> None:
    catalog = default_catalog()
    for make in SHOCKS.values():
        kind = type(make())
        assert kind.CRISIS_TYPES
        for key in kind.CRISIS_TYPES:
            assert key in catalog, key


# --- the KPIs follow ------------------------------------------------------------------


def test_a_demand_shift_halves_the_visits_of_its_skus() -> None:
    shock = SHOCKS["demand"]()
    base = base_run(4)
    run = simulate_shop(PROFILE, [shock], seed=SEED, runs=4)
    window = slice(40, 70)
    hit = run.sku_kpis["traffic.visits"][:, window, :4].sum()
    before = base.sku_kpis["traffic.visits"][:, window, :4].sum()

    # Same seed, same gamma mixing: only Poisson noise is left in the ratio.
    assert abs(math.log(hit / before) - math.log(0.5)) < Z * math.sqrt(
        1 / hit + 1 / before
    )
    # Draws are made in time order: before the onset nothing differs, in any run.
    np.testing.assert_array_equal(
        base.sku_kpis["traffic.visits"][:, :40], run.sku_kpis["traffic.visits"][:, :40]
    )


def test_a_supplier_outage_empties_the_shelves_downstream_only() -> None:
    shock = SHOCKS["supplier"]()
    base = base_run()
    run = simulate_shop(PROFILE, [shock], seed=SEED, runs=2)
    truth = run.truth("fire")
    impact = PROFILE.network.outage_impact(["supplier-01"])  # type: ignore[union-attr]
    cut = [SKUS.index(sku) for sku in truth.entities if sku != SHOP_ENTITY]
    kept = [i for i in range(len(SKUS)) if i not in cut]

    assert impact.affected == tuple(sorted(truth.entities[:-1]))
    # Common random numbers: the customers want exactly the same orders.
    np.testing.assert_array_equal(
        base.sku_kpis["sales.orders"] + base.lost_orders,
        run.sku_kpis["sales.orders"] + run.lost_orders,
    )
    np.testing.assert_array_equal(
        base.sku_kpis["sales.orders"][:, :, kept],
        run.sku_kpis["sales.orders"][:, :, kept],
    )
    # Stock lasts a while (nothing changes at the onset) ...
    np.testing.assert_array_equal(
        base.sku_kpis["sales.orders"][:, :41], run.sku_kpis["sales.orders"][:, :41]
    )
    # ... then the SKUs fully cut off run dry and orders are lost.
    full = [SKUS.index(sku) for sku in impact.fully_lost]
    assert full
    stock_out = run.sku_kpis["supply.stockout_rate"][:, 60:70][:, :, full]
    assert stock_out.mean() > 0.9
    assert run.lost_orders[:, 40:80].sum() > base.lost_orders[:, 40:80].sum()


def test_a_logistics_delay_makes_parcels_late_and_customers_complain() -> None:
    shock = SHOCKS["logistics"]()
    base = base_run()
    run = simulate_shop(PROFILE, [shock], seed=SEED, runs=2)
    window = slice(45, 70)
    orders = run.shop_kpis["sales.orders"][:, window]
    late = (run.shop_kpis["logistics.delay_rate"][:, window] * orders).sum()
    n = orders.sum()

    assert abs(late / n - 0.4) < Z * math.sqrt(0.4 * 0.6 / n)
    complaints = run.shop_kpis["feedback.complaints"][:, window].sum()
    usual = base.shop_kpis["feedback.complaints"][:, window].sum()
    assert complaints > 2 * usual


def test_a_defect_brings_refunds_negative_reviews_and_bad_press() -> None:
    shock = SHOCKS["defect"]()
    base = base_run()
    run = simulate_shop(PROFILE, [shock], seed=SEED, runs=2)
    window = slice(40, 70)
    orders = run.sku_kpis["sales.orders"][:, window, :2]
    refunds = np.nansum(run.sku_kpis["feedback.refund_rate"][:, window, :2] * orders)
    feedback = PROFILE.feedback
    defect = 0.3
    u = 1 - (1 - feedback.refund_rate) * (1 - defect * feedback.refund_if_defect)

    assert abs(refunds / orders.sum() - u) < Z * math.sqrt(u * (1 - u) / orders.sum())
    negative = run.sku_kpis["feedback.negative_reviews"][:, window, :2].sum()
    assert (
        negative > 3 * base.sku_kpis["feedback.negative_reviews"][:, window, :2].sum()
    )
    mentions = run.shop_kpis["social.mentions"][:, window].mean()
    assert mentions > 2 * base.shop_kpis["social.mentions"][:, window].mean()
    drop = (
        base.shop_kpis["social.sentiment"][:, window]
        - run.shop_kpis["social.sentiment"][:, window]
    )
    assert drop.mean() == pytest.approx(0.4, abs=0.05)


def test_a_service_failure_multiplies_complaints() -> None:
    run = simulate_shop(PROFILE, [SHOCKS["service"]()], seed=SEED, runs=2)
    base = base_run()
    window = slice(40, 70)

    assert run.shop_kpis["feedback.complaints"][:, window].sum() > 5 * (
        base.shop_kpis["feedback.complaints"][:, window].sum()
    )
    assert (
        run.shop_kpis["feedback.rating"][:, window].mean()
        < base.shop_kpis["feedback.rating"][:, window].mean()
    )


def test_a_site_outage_loses_visits_orders_and_payments() -> None:
    run = simulate_shop(PROFILE, [SHOCKS["site"]()], seed=SEED, runs=2)
    base = base_run()
    window = slice(40, 70)

    availability = run.shop_kpis["tech.availability"][:, window]
    assert availability.mean() == pytest.approx(0.5, abs=0.02)
    ratio = (
        run.shop_kpis["traffic.visits"][:, window].sum()
        / base.shop_kpis["traffic.visits"][:, window].sum()
    )
    assert ratio == pytest.approx(0.5, abs=0.02)
    assert run.shop_kpis["tech.error_rate"][:, window].mean() > 0.1
    assert run.shop_kpis["tech.payment_failure_rate"][:, window].mean() > 0.15


def test_a_site_outage_at_peak_starts_when_the_festival_opens() -> None:
    year = ShopProfile.default(START, skus=4, days=365)
    outage = SiteOutage.at_peak(year, "double_eleven")
    hourly = ShopProfile.default(
        dt.datetime(2026, 11, 10, tzinfo=TZ), skus=4, days=3, period=PeriodLength.HOURLY
    )
    short = SiteOutage.at_peak(hourly, "double_eleven", key="midnight_crash")

    assert dt.datetime(2026, 11, 11, tzinfo=TZ) == outage.onset
    assert outage.onset + DAY == outage.end  # at least one period
    assert dt.timedelta(hours=6) == short.end - short.onset
    run = simulate_shop(hourly, [short], seed=1)
    availability = run.drivers.availability[0]
    peak = hourly.timestamps.index(short.onset)
    assert (availability[peak : peak + 6] == 0.6).all()
    assert (availability[peak + 6 :] == hourly.tech.availability).all()


def test_a_price_war_lowers_conversion_and_order_value() -> None:
    war = PriceWar(key="rival", onset=at(40), end=at(70), price_factor=0.9)
    run = simulate_shop(PROFILE, [war], seed=SEED, runs=2)
    base = base_run()
    window = slice(40, 70)

    def conversion(r: ShopRun) -> float:
        return float(
            r.shop_kpis["sales.orders"][:, window].sum()
            / r.shop_kpis["traffic.visits"][:, window].sum()
        )

    assert conversion(run) == pytest.approx(0.75 * conversion(base), rel=0.05)
    np.testing.assert_allclose(
        run.drivers.price[0, 50] / base.drivers.price[0, 50], 0.9
    )
    assert run.shop_kpis["marketing.ctr"][:, window].mean() < 0.9 * (
        base.shop_kpis["marketing.ctr"][:, window].mean()
    )


def test_a_policy_change_costs_traffic_and_fees() -> None:
    shock = SHOCKS["policy"]()
    run = simulate_shop(PROFILE, [shock], seed=SEED, runs=2)
    base = base_run()
    settled = run.drivers.settlement_share[0]

    assert settled[50] == pytest.approx(1 - PROFILE.cash.platform_fee - 0.03)
    np.testing.assert_array_equal(
        base.shop_kpis["cash.balance"][:, :40], run.shop_kpis["cash.balance"][:, :40]
    )
    assert (
        run.shop_kpis["cash.balance"][:, 80:] < base.shop_kpis["cash.balance"][:, 80:]
    ).all()


def test_a_data_breach_cascades_into_sentiment_mentions_and_traffic() -> None:
    shock = SHOCKS["breach"]()
    run = simulate_shop(PROFILE, [shock], seed=SEED, runs=50)
    base = simulate_shop(PROFILE, seed=SEED, runs=50)
    window = slice(45, 70)
    sentiment = run.drivers.sentiment

    assert (50, PROFILE.periods) == sentiment.shape  # each run its own cascade
    assert (50, PROFILE.periods, len(SKUS)) == run.drivers.traffic.shape
    assert (sentiment[:, :40] == PROFILE.social.sentiment).all()
    assert (sentiment[:, window] < PROFILE.social.sentiment).mean() > 0.99
    # Runs differ: in some the news reaches few, in others everyone.
    assert np.unique(sentiment[:, 60]).size > 1
    assert (
        run.shop_kpis["social.sentiment"][:, window].mean()
        < base.shop_kpis["social.sentiment"][:, window].mean() - 0.3
    )
    assert (
        run.shop_kpis["social.mentions"][:, window].mean()
        > 5 * base.shop_kpis["social.mentions"][:, window].mean()
    )
    # Recovered five days after the end.
    assert (sentiment[:, 75:] == PROFILE.social.sentiment).all()


def test_talking_early_softens_a_data_breach() -> None:
    quiet_kol = Intervention(nodes=["kol", "press"], step=1)
    loud = SHOCKS["breach"]()
    assert isinstance(loud, DataBreach)
    answered = attrs.evolve(loud, interventions=(quiet_kol,))
    silent = simulate_shop(PROFILE, [loud], seed=SEED, runs=200)
    spoken = simulate_shop(PROFILE, [answered], seed=SEED, runs=200)

    # Same cascade coins (the shock's own stream): the plan only removes.
    drop_silent = PROFILE.social.sentiment - silent.drivers.sentiment[:, 60]
    drop_spoken = PROFILE.social.sentiment - spoken.drivers.sentiment[:, 60]
    assert (drop_spoken <= drop_silent + 1e-12).all()
    assert drop_spoken.mean() < 0.7 * drop_silent.mean()


def test_a_cash_squeeze_drains_exactly_its_outflow() -> None:
    run = simulate_shop(PROFILE, [SHOCKS["cash"]()], seed=SEED, runs=2)
    base = base_run()
    gap = base.shop_kpis["cash.balance"] - run.shop_kpis["cash.balance"]

    # By hand: 10,000 a day from day 40 to day 69, nothing else moves.
    expected = 10_000.0 * np.clip(np.arange(PROFILE.periods) - 39, 0, 30)
    np.testing.assert_allclose(gap, np.broadcast_to(expected, gap.shape))
    assert (
        run.shop_kpis["cash.runway_days"][:, 69]
        < base.shop_kpis["cash.runway_days"][:, 69]
    ).all()


def test_a_frozen_account_withholds_settlements() -> None:
    freeze = CashSqueeze(key="freeze", onset=at(40), end=at(70), withheld_share=0.6)
    run = simulate_shop(PROFILE, [freeze], seed=SEED)
    share = run.drivers.settlement_share[0]

    assert share[50] == pytest.approx(0.4 * (1 - PROFILE.cash.platform_fee))
    assert ("settlement_share",) == freeze.drivers
    assert (SHOP_ENTITY,) == run.truth("freeze").entities


# --- timing and composition -----------------------------------------------------------


def test_ramp_and_recovery_are_linear() -> None:
    shock = LogisticsDelay(
        key="storm",
        onset=at(10),
        end=at(20),
        ramp=2 * DAY,
        recovery=3 * DAY,
        delay_rate=0.5,
    )
    weight = shock.intensity(PROFILE)
    run = simulate_shop(PROFILE, [shock], seed=1)
    base = run.baseline.delay_rate[0, :, 0]
    delay = run.drivers.delay_rate[0, :, 0]

    # By hand: the onset period feels 1/3, then 2/3, then all of it; after
    # the end 3/4, 2/4, 1/4 are left, then nothing.
    np.testing.assert_allclose(weight[9:14], [0, 1 / 3, 2 / 3, 1, 1])
    np.testing.assert_allclose(weight[19:25], [1, 3 / 4, 2 / 4, 1 / 4, 0, 0])
    np.testing.assert_allclose(delay, base + (0.5 - base) * weight)


def test_shocks_compose_factors_multiply() -> None:
    first = DemandShift(key="a", onset=at(10), end=at(30), traffic_factor=0.5)
    second = DemandShift(key="b", onset=at(20), end=at(40), traffic_factor=0.8)
    run = simulate_shop(PROFILE, [first, second], seed=1)
    ratio = run.drivers.traffic[0, :, 0] / run.baseline.traffic[0, :, 0]

    np.testing.assert_allclose(
        ratio[[9, 10, 19, 20, 29, 30, 39, 40]],
        [
            1,
            0.5,
            0.5,
            0.4,
            0.4,
            0.8,
            0.8,
            1,
        ],
    )
    assert ("a", "b") == tuple(t.shock for t in run.ground_truth)


def test_a_shock_between_period_starts_begins_with_the_next_period() -> None:
    noon = DemandShift(
        key="noon",
        onset=at(10) + dt.timedelta(hours=12),
        end=at(12),
        traffic_factor=0.5,
    )
    weight = noon.intensity(PROFILE)

    np.testing.assert_allclose(weight[9:13], [0, 0, 1, 0])


# --- plain data -----------------------------------------------------------------------


def roundtrip(value: Any) -> Any:
    document = json.loads(json.dumps(to_data(value), allow_nan=False))
    return from_data(type(value), document)


moments = st.integers(0, 100).map(at)
durations = st.integers(0, 72).map(lambda h: dt.timedelta(hours=h))
shares = st.floats(0.0, 1.0)
factors = st.floats(0.01, 5.0)
levels = st.none() | st.sampled_from(ResponseLevel)
entities = st.none() | st.lists(
    st.sampled_from(SKUS), min_size=1, max_size=4, unique=True
)


@st.composite
def shocks(draw: st.DrawFn) -> Shock:
    onset = draw(moments)
    common: dict[str, Any] = {
        "key": draw(st.sampled_from(["a", "b.c", "outage_2"])),
        "onset": onset,
        "end": onset + draw(st.integers(1, 20)) * DAY,
        "recovery": draw(durations),
        "level": draw(levels),
    }
    kind = draw(st.sampled_from(sorted(SHOCKS)))
    ramp: dict[str, Any] = {"ramp": draw(durations)}
    built: Shock
    if kind == "demand":
        built = DemandShift(
            **common, **ramp, entities=draw(entities), traffic_factor=draw(factors)
        )
    elif kind == "price_war":
        built = PriceWar(**common, **ramp, conversion_factor=draw(factors))
    elif kind == "policy":
        built = PolicyChange(**common, **ramp, fee_increase=draw(shares))
    elif kind == "supplier":
        failed = draw(
            st.dictionaries(
                st.sampled_from(["s1", "s2"]), st.floats(0.01, 1.0), min_size=1
            )
        )
        built = SupplierOutage(**common, **ramp, failed=failed)
    elif kind == "logistics":
        built = LogisticsDelay(**common, **ramp, delay_rate=draw(shares))
    elif kind == "defect":
        built = ProductDefect(
            **common,
            **ramp,
            entities=draw(st.lists(st.sampled_from(SKUS), min_size=1, unique=True)),
            sentiment_drop=draw(st.floats(0, 2)),
        )
    elif kind == "service":
        built = ServiceFailure(**common, **ramp, service_failure_rate=draw(shares))
    elif kind == "site":
        built = SiteOutage(
            **common, **ramp, availability=draw(shares), latency_factor=draw(factors)
        )
    elif kind == "breach":
        built = DataBreach(
            **common,
            stakeholders=GRAPH,
            seeds=["victims"],
            step=dt.timedelta(hours=draw(st.integers(1, 48))),
            traffic_loss=draw(shares),
        )
    else:
        built = CashSqueeze(
            **common,
            **ramp,
            withheld_share=draw(shares),
            extra_outflow_per_day=draw(st.floats(0, 1e6)),
        )
    return built


@settings(max_examples=60, deadline=None)
@given(shock=shocks())
def test_shocks_round_trip_through_plain_data(shock: Shock) -> None:
    assert shock == roundtrip(shock)


@settings(max_examples=20, deadline=None)
@given(shock=shocks())
def test_ground_truths_round_trip_through_plain_data(shock: Shock) -> None:
    if isinstance(shock, SupplierOutage):
        shock = attrs.evolve(shock, failed=["supplier-02"])
    truth = shock.ground_truth(PROFILE)
    assert truth == roundtrip(truth)


def test_a_run_with_every_shock_round_trips_through_plain_data() -> None:
    small = ShopProfile.default(START, skus=4, days=80, seed=3)
    every = [make() for make in SHOCKS.values()]
    every = [
        attrs.evolve(s, entities=small.assortment.skus[:2])
        if isinstance(s, (DemandShift, PriceWar, ProductDefect, PolicyChange))
        else s
        for s in every
    ]
    run = simulate_shop(small, every, seed=5, runs=2)

    assert run == roundtrip(run)


# --- bad input ------------------------------------------------------------------------


def test_shocks_outside_the_scenario_are_refused() -> None:
    early = DemandShift(key="early", onset=START - DAY, end=at(5))
    late = DemandShift(key="late", onset=at(100), end=at(130))
    after = DemandShift(key="after", onset=at(120), end=at(121))

    with pytest.raises(ValidationError, match=r"'shocks\[0\].onset'"):
        simulate_shop(PROFILE, [early], seed=1)
    with pytest.raises(ValidationError, match=r"'shocks\[1\].end'"):
        simulate_shop(
            PROFILE, [early.__class__(key="ok", onset=at(1), end=at(2)), late], seed=1
        )
    with pytest.raises(ValidationError, match="onset"):
        after.ground_truth(PROFILE)
    with pytest.raises(ValidationError, match="onset"):
        late.intensity(ShopProfile.default(START, skus=2, days=50))


def test_unknown_skus_and_nodes_are_refused_with_suggestions() -> None:
    typo = DemandShift(key="typo", onset=at(1), end=at(2), entities=["sku-01"])
    nowhere = SupplierOutage(
        key="nowhere", onset=at(1), end=at(2), failed=["supplier-1"]
    )
    no_network = attrs.evolve(PROFILE, network=None)

    with pytest.raises(UnknownKeyError, match=r"shocks\[0\].entities.*'sku-01'"):
        simulate_shop(PROFILE, [typo], seed=1)
    with pytest.raises(UnknownKeyError, match="supplier-01"):
        simulate_shop(PROFILE, [nowhere], seed=1)
    with pytest.raises(ValidationError, match=r"'shocks\[0\].failed'"):
        simulate_shop(no_network, [SHOCKS["supplier"]()], seed=1)


def test_two_shocks_with_one_key_are_refused() -> None:
    one = DemandShift(key="same", onset=at(1), end=at(2))
    with pytest.raises(DuplicateKeyError, match="same"):
        simulate_shop(PROFILE, [one, attrs.evolve(one, traffic_factor=0.9)], seed=1)


@pytest.mark.parametrize(
    ("build", "error", "field"),
    [
        (
            lambda: DemandShift(key="x", onset=at(2), end=at(2)),
            ValidationError,
            "'end'",
        ),
        (
            lambda: DemandShift(key="x", onset=dt.datetime(2026, 1, 1), end=at(2)),  # noqa: DTZ001
            NaiveDatetimeError,
            "'onset'",
        ),
        (
            lambda: DemandShift(key="X!", onset=at(1), end=at(2)),
            ValidationError,
            "'key'",
        ),
        (
            lambda: DemandShift(key="x", onset=at(1), end=at(2), traffic_factor=-0.5),
            ValidationError,
            "'traffic_factor'",
        ),
        (
            lambda: DemandShift(key="x", onset=at(1), end=at(2), traffic_factor=0.0),
            ValidationError,
            "'traffic_factor'",
        ),
        (
            lambda: DemandShift(key="x", onset=at(1), end=at(2), ramp=-DAY),
            ValidationError,
            "'ramp'",
        ),
        (
            lambda: DemandShift(key="x", onset=at(1), end=at(2), recovery=3),  # type: ignore[arg-type]
            InvalidTypeError,
            "'recovery'",
        ),
        (
            lambda: DemandShift(key="x", onset=at(1), end=at(2), entities=[]),
            ValidationError,
            "'entities'",
        ),
        (
            lambda: DemandShift(key="x", onset=at(1), end=at(2), entities=["a", "a"]),
            DuplicateKeyError,
            "'a'",
        ),
        (
            lambda: DemandShift(
                key="x", onset=at(1), end=at(2), crisis_type="technical.system_failure"
            ),
            ValidationError,
            "'crisis_type'",
        ),
        (
            lambda: DemandShift(key="x", onset=at(1), end=at(2), level="I"),  # type: ignore[arg-type]
            InvalidTypeError,
            "'level'",
        ),
        (
            lambda: PriceWar(key="x", onset=at(1), end=at(2), ctr_factor=float("nan")),
            ValidationError,
            "'ctr_factor'",
        ),
        (
            lambda: PolicyChange(key="x", onset=at(1), end=at(2), fee_increase=1.5),
            ValidationError,
            "'fee_increase'",
        ),
        (
            lambda: SupplierOutage(key="x", onset=at(1), end=at(2), failed=[]),
            ValidationError,
            "'failed'",
        ),
        (
            lambda: SupplierOutage(key="x", onset=at(1), end=at(2), failed="s1"),
            InvalidTypeError,
            "'failed'",
        ),
        (
            lambda: SupplierOutage(key="x", onset=at(1), end=at(2), failed={"s1": 0.0}),
            ValidationError,
            "failed",
        ),
        (
            lambda: LogisticsDelay(key="x", onset=at(1), end=at(2), delay_rate=-0.1),
            ValidationError,
            "'delay_rate'",
        ),
        (
            lambda: ProductDefect(key="x", onset=at(1), end=at(2), entities=None),  # type: ignore[arg-type]
            InvalidTypeError,
            "'entities'",
        ),
        (
            lambda: ProductDefect(
                key="x", onset=at(1), end=at(2), entities=["a"], sentiment_drop=3.0
            ),
            ValidationError,
            "'sentiment_drop'",
        ),
        (
            lambda: ServiceFailure(
                key="x", onset=at(1), end=at(2), service_failure_rate=2.0
            ),
            ValidationError,
            "'service_failure_rate'",
        ),
        (
            lambda: SiteOutage(key="x", onset=at(1), end=at(2), availability=1.5),
            ValidationError,
            "'availability'",
        ),
        (
            lambda: DataBreach(
                key="x", onset=at(1), end=at(2), stakeholders=GRAPH, seeds=["hackers"]
            ),
            UnknownKeyError,
            "hackers",
        ),
        (
            lambda: DataBreach(
                key="x", onset=at(1), end=at(2), stakeholders=GRAPH, seeds=[]
            ),
            ValidationError,
            "'seeds'",
        ),
        (
            lambda: DataBreach(
                key="x",
                onset=at(1),
                end=at(2),
                stakeholders=GRAPH,
                seeds=["victims"],
                ramp=DAY,
            ),
            ValidationError,
            "'ramp'",
        ),
        (
            lambda: DataBreach(
                key="x",
                onset=at(1),
                end=at(2),
                stakeholders=GRAPH,
                seeds=["victims"],
                step=dt.timedelta(0),
            ),
            ValidationError,
            "'step'",
        ),
        (
            lambda: DataBreach(
                key="x",
                onset=at(1),
                end=at(2),
                stakeholders="graph",  # type: ignore[arg-type]
                seeds=["v"],
            ),
            InvalidTypeError,
            "'stakeholders'",
        ),
        (
            lambda: DataBreach(
                key="x",
                onset=at(1),
                end=at(2),
                stakeholders=GRAPH,
                seeds=["victims"],
                model="rumour",
            ),
            InvalidTypeError,
            "'model'",
        ),
        (
            lambda: CashSqueeze(
                key="x", onset=at(1), end=at(2), extra_outflow_per_day=-1.0
            ),
            ValidationError,
            "'extra_outflow_per_day'",
        ),
        (
            lambda: GroundTruth(
                shock="x",
                kind="DemandShift",
                crisis_type="market.demand_shift",
                onset=at(2),
                end=at(1),
                entities=["shop"],
                drivers=["traffic"],
            ),
            ValidationError,
            "'end'",
        ),
        (
            lambda: GroundTruth(
                shock="x",
                kind="DemandShift",
                crisis_type="market.demand_shift",
                onset=at(1),
                end=at(2),
                entities=["shop"],
                drivers=["trafic"],
            ),
            UnknownKeyError,
            "trafic",
        ),
    ],
)
def test_shocks_reject_bad_fields(
    build: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        build()


def test_placing_an_outage_at_a_peak_rejects_bad_arguments() -> None:
    spring = ShopProfile.default(START, skus=3, days=60)
    with pytest.raises(UnknownKeyError, match="double_eleven"):
        SiteOutage.at_peak(spring, "double_elevn")
    with pytest.raises(ValidationError, match="'promotion'"):
        SiteOutage.at_peak(spring, "double_eleven")
    with pytest.raises(InvalidTypeError, match="'duration'"):
        SiteOutage.at_peak(PROFILE, "six_eighteen", duration=6)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'profile'"):
        SHOCKS["demand"]().ground_truth("shop")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'profile'"):
        SHOCKS["demand"]().intensity(None)  # type: ignore[arg-type]


def test_checking_and_applying_by_hand_reject_bad_arguments() -> None:
    shock = SHOCKS["demand"]()
    scene = ShockContext(PROFILE, PROFILE._cal(), 1, {})
    with pytest.raises(InvalidTypeError, match="'scene'"):
        shock.check("scene")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'scene'"):
        shock.apply("scene", np.random.default_rng(1))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'rng'"):
        shock.apply(scene, 1)  # type: ignore[arg-type]
