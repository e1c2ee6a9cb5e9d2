"""Resource allocation (book §4 資源調配): phases, rules, shortfalls, re-allocation."""

from __future__ import annotations

import json
import math
from typing import Any, TypeVar

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.planning.resources import (
    TERMS,
    TOLERANCE,
    Allocation,
    AllocationChange,
    AllocationRule,
    CapacityChange,
    Demand,
    Reallocation,
    Resource,
    ResourceKind,
    ResourcePool,
    Shortfall,
    allocate,
    reallocate,
)
from crisisops.serialization import from_data, to_data

T = TypeVar("T")

PROPORTIONAL = AllocationRule.PROPORTIONAL
WEIGHTED = AllocationRule.PRIORITY_WEIGHTED
FAIR = AllocationRule.MAX_MIN_FAIR


def resource(
    key: str,
    capacity: float,
    *,
    external: bool = False,
    kind: ResourceKind | None = None,
) -> Resource:
    return Resource(
        key=key,
        kind=kind or ResourceKind.MATERIAL,
        unit="units",
        capacity=capacity,
        external=external,
    )


def pool_of(*resources: Resource) -> ResourcePool:
    return ResourcePool(resources)


def one(capacity: float) -> ResourcePool:
    return pool_of(resource("r", capacity))


def demand(key: str, amount: float, **extra: Any) -> Demand:
    return Demand(key=key, resource=extra.pop("resource", "r"), amount=amount, **extra)


def got(allocation: Allocation) -> dict[str, float]:
    return dict(allocation.by_demand())


def approx(values: dict[str, float]) -> Any:  # pytest's approx object
    return pytest.approx(values, rel=1e-12, abs=1e-12)


def round_trip(value: T) -> T:
    document = json.loads(json.dumps(to_data(value), allow_nan=False))
    return from_data(type(value), document)


# --- vocabulary ---------------------------------------------------------------


def test_kinds_and_rules_carry_the_books_terms_in_three_scripts() -> None:
    assert ["人力", "物資", "資金"] == [k.labels.zh_hant for k in ResourceKind]
    assert ["人力", "物资", "资金"] == [k.labels.zh_hans for k in ResourceKind]
    assert "Max-min fair" == FAIR.labels.en
    assert "資源調配" == TERMS["resource_allocation"].zh_hant
    assert "外部资源获取与合作" == TERMS["external_resources"].zh_hans
    assert all(isinstance(rule.labels, Labels) for rule in AllocationRule)


# --- hand-worked allocations ----------------------------------------------------


def test_proportional_shortage_serves_critical_then_minimums_then_shares_the_rest() -> (
    None
):
    demands = [
        demand("vip", 60, critical=True),
        demand("urgent", 50, minimum=20),
        demand("other", 30, minimum=10),
    ]

    result = allocate(one(100), demands, rule=PROPORTIONAL)

    # vip 60 (critical); minimums 20 + 10; the last 10 split 30:20 of unmet
    # amounts (50-20, 30-10): urgent 20 + 6, other 10 + 4.
    assert {"other": 14.0, "urgent": 26.0, "vip": 60.0} == got(result)
    assert {"r": 100.0} == dict(result.used())
    assert {"r": 0.0} == dict(result.left())
    assert [("other", 16.0), ("urgent", 24.0)] == [
        (s.demand, s.shortfall) for s in result.shortfalls()
    ]


def test_priority_weighted_shares_in_proportion_to_priority_times_unmet() -> None:
    demands = [
        demand("a", 10, priority=1),
        demand("b", 10, priority=3),
        demand("c", 2, priority=1),
    ]

    result = allocate(one(10), demands, rule=WEIGHTED)

    # weights p·t = 10, 30, 2 (sum 42); each gets 10 · w / 42.
    assert approx({"a": 100 / 42, "b": 300 / 42, "c": 20 / 42}) == got(result)


def test_priority_weighted_caps_a_share_at_the_demand_and_passes_the_excess_on() -> (
    None
):
    demands = [demand("a", 2, priority=5), demand("b", 20, priority=1)]

    result = allocate(one(10), demands, rule=WEIGHTED)

    # uncapped a would get 10 · 10/30 = 3.33 > 2: a is capped at 2, b gets 8.
    assert {"a": 2.0, "b": 8.0} == got(result)


def test_proportional_ignores_priority_outside_the_critical_phase() -> None:
    demands = [demand("a", 10, priority=1), demand("b", 30, priority=9)]

    result = allocate(one(20), demands, rule=PROPORTIONAL)

    # everyone gets 20/40 = half of what it asks.
    assert {"a": 5.0, "b": 15.0} == got(result)


def test_max_min_fair_fills_water_up_to_a_common_level() -> None:
    demands = [demand("a", 10), demand("b", 10), demand("c", 2)]

    result = allocate(one(10), demands, rule=FAIR)

    # c asks 2 < level, so gets 2; a and b share the other 8 equally.
    assert {"a": 4.0, "b": 4.0, "c": 2.0} == got(result)


def test_max_min_fair_fills_above_the_minimums() -> None:
    demands = [demand("a", 10, minimum=6), demand("b", 10), demand("c", 3)]

    result = allocate(one(12), demands, rule=FAIR)

    # minimum: a 6, 6 left; unmet a 4, b 10, c 3: level 2 < 3 fits (2·3 = 6).
    assert {"a": 8.0, "b": 2.0, "c": 2.0} == got(result)


def test_a_higher_priority_critical_tier_is_served_in_full_first() -> None:
    demands = [
        demand("hotline", 6, critical=True),
        demand("chat", 8, critical=True, priority=3),
        demand("email", 4),
    ]

    for rule in AllocationRule:
        assert {"chat": 8.0, "email": 0.0, "hotline": 2.0} == got(
            allocate(one(10), demands, rule=rule)
        )


def test_a_critical_tier_that_does_not_fit_is_shared_by_the_rule() -> None:
    demands = [
        demand("x", 8, critical=True, priority=2),
        demand("y", 4, critical=True, priority=2),
        demand("z", 5, critical=True, priority=1),
    ]

    proportional = allocate(one(10), demands, rule=PROPORTIONAL)
    fair = allocate(one(10), demands, rule=FAIR)
    weighted = allocate(one(10), demands, rule=WEIGHTED)

    # tier 2 asks 12 > 10; tier 1 gets nothing.
    assert approx({"x": 20 / 3, "y": 10 / 3, "z": 0.0}) == got(proportional)
    assert {"x": 6.0, "y": 4.0, "z": 0.0} == got(fair)
    assert got(proportional) == got(weighted)  # one priority in the tier


def test_critical_minimums_beyond_capacity_are_shared_and_reported() -> None:
    demands = [
        demand("a", 10, minimum=8, critical=True),
        demand("b", 10, minimum=4, critical=True, priority=2),
        demand("c", 5, minimum=1),
    ]

    proportional = allocate(one(10), demands, rule=PROPORTIONAL)
    fair = allocate(one(10), demands, rule=FAIR)
    weighted = allocate(one(10), demands, rule=WEIGHTED)

    # minimums 8 + 4 = 12 > 10: proportional 10·8/12 and 10·4/12; fair and
    # priority-weighted (weights 8·1, 4·2: b capped at 4) give b 4, a 6.
    assert approx({"a": 20 / 3, "b": 10 / 3, "c": 0.0}) == got(proportional)
    assert {"a": 6.0, "b": 4.0, "c": 0.0} == got(fair)
    assert {"a": 6.0, "b": 4.0, "c": 0.0} == got(weighted)
    short = {s.demand: s for s in proportional.shortfalls()}
    assert ["b", "a", "c"] == list(short)  # critical first, then priority
    assert all(s.below_minimum for s in short.values())
    assert 5.0 == short["c"].shortfall
    # fair: a (6 < 8) is below its minimum, b (4) is not: a is listed first.
    assert [("a", True), ("b", False)] == [
        (s.demand, s.below_minimum) for s in fair.shortfalls() if s.critical
    ]


def test_external_resources_are_flagged_and_their_demands_listed() -> None:
    pool = pool_of(resource("stock", 100), resource("partner", 50, external=True))
    demands = [
        demand("orders", 120, resource="stock"),
        demand("backorders", 70, resource="partner"),
        demand("samples", 5, resource="partner"),
    ]

    result = allocate(pool, demands, rule=FAIR)

    # partner: level 45 for backorders, samples 5 in full.
    assert {"orders": 100.0, "backorders": 45.0, "samples": 5.0} == got(result)
    assert {"backorders": 45.0, "samples": 5.0} == dict(result.served_externally())
    assert [("backorders", True), ("orders", False)] == [
        (s.demand, s.external) for s in result.shortfalls()
    ]


def test_a_resource_without_capacity_or_demands_is_kept_and_shortfalls_kept() -> None:
    pool = pool_of(resource("empty", 0), resource("idle", 7))

    result = allocate(pool, [demand("d", 3, resource="empty", minimum=1)])

    assert {"d": 0.0} == got(result)
    assert {"empty": 0.0, "idle": 0.0} == dict(result.used())
    assert {"empty": 0.0, "idle": 7.0} == dict(result.left())
    (short,) = result.shortfalls()
    assert (3.0, True) == (short.shortfall, short.below_minimum)
    assert {} == dict(allocate(pool, []).by_demand())


def test_enough_for_everyone_serves_everyone_in_full() -> None:
    demands = [demand("a", 1, minimum=1), demand("b", 2, critical=True)]

    for rule in AllocationRule:
        result = allocate(one(5), demands, rule=rule)
        assert {"a": 1.0, "b": 2.0} == got(result)
        assert () == result.shortfalls()
        assert {"r": 2.0} == dict(result.left())


def test_demands_are_kept_in_the_order_given() -> None:
    pool = pool_of(resource("b_side", 10), resource("a_side", 10))
    demands = [
        demand("z", 1, resource="a_side"),
        demand("y", 1, resource="b_side"),
        demand("x", 1, resource="a_side"),
    ]

    result = allocate(pool, demands)

    assert ["z", "y", "x"] == [d.key for d in result.demands]
    assert 1.0 == result.allocated_to("x")
    assert 0.0 == result.shortfall_of("x")


def test_the_result_is_read_only() -> None:
    result = allocate(one(1), [demand("a", 2)])

    with pytest.raises(ValueError, match="read-only"):
        result.allocated[0] = 5.0
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.rule = FAIR  # type: ignore[misc]


# --- re-allocation ----------------------------------------------------------------


def test_more_budget_moves_to_the_non_critical_demand() -> None:
    pool = pool_of(resource("budget", 100, kind=ResourceKind.MONEY))
    demands = [
        demand("ads", 80, resource="budget"),
        demand("refunds", 80, resource="budget", critical=True),
    ]
    first = allocate(pool, demands)

    moved = reallocate(first, pool.with_capacity("budget", 150), demands)

    # refunds 80 first both times; ads 20 → 70.
    assert [("ads", 20.0, 70.0, 50.0)] == [
        (c.demand, c.before, c.after, c.delta) for c in moved.changes()
    ]
    assert 2 == len(moved.changes(moved_only=False))
    assert [("budget", 100, 150, 50)] == [
        (c.resource, c.before, c.after, c.delta) for c in moved.capacity_changes()
    ]
    assert () == moved.added() == moved.removed() == moved.amended()
    assert {"budget": 50.0} == dict(moved.used_delta())
    assert (
        PROPORTIONAL is reallocate(first, pool, demands, rule=PROPORTIONAL).current.rule
    )


def test_reallocation_reports_added_removed_amended_and_new_resources() -> None:
    pool = pool_of(resource("stock", 100))
    before = allocate(
        pool,
        [
            demand("vip", 40, resource="stock", critical=True),
            demand("web", 60, resource="stock"),
            demand("shops", 50, resource="stock"),
        ],
        rule=PROPORTIONAL,
    )
    # vip 40; web and shops share 60 as 60:50 → 360/11 and 300/11.

    new_pool = pool.with_capacity("stock", 80).add(
        resource("partner", 30, external=True)
    )
    after = reallocate(
        before,
        new_pool,
        [
            demand("vip", 50, resource="stock", critical=True),
            demand("web", 60, resource="stock"),
            demand("backorders", 40, resource="partner"),
        ],
    )

    # stock 80: vip 50, web 30; partner 30 to backorders.
    assert {"vip": 50.0, "web": 30.0, "backorders": 30.0} == got(after.current)
    assert ("backorders",) == after.added()
    assert ("shops",) == after.removed()
    assert ("vip",) == after.amended()
    changes = {c.demand: (c.before, c.after) for c in after.changes()}
    assert approx(
        {"vip": 40.0, "web": 360 / 11, "shops": 300 / 11, "backorders": 0.0}
    ) == {k: v[0] for k, v in changes.items()}
    assert {"vip": 50.0, "web": 30.0, "shops": 0.0, "backorders": 30.0} == {
        k: v[1] for k, v in changes.items()
    }
    # largest move first: shops −27.27, backorders +30 … ordered by |delta|
    assert ["backorders", "shops", "vip", "web"] == [c.demand for c in after.changes()]
    assert [("stock", 100, 80), ("partner", None, 30)] == [
        (c.resource, c.before, c.after) for c in after.capacity_changes()
    ]
    assert PROPORTIONAL is after.current.rule  # the previous rule is kept
    assert approx({"stock": -20.0, "partner": 30.0}) == dict(after.used_delta())


def test_a_removed_resource_is_reported() -> None:
    pool = pool_of(resource("a", 1), resource("b", 2))
    first = allocate(pool, [demand("x", 1, resource="a")])

    moved = reallocate(first, pool.without("b"), [demand("x", 1, resource="a")])

    assert [CapacityChange(resource="b", before=2, after=None)] == list(
        moved.capacity_changes()
    )
    assert -2.0 == moved.capacity_changes()[0].delta
    assert () == moved.changes()


# --- properties -------------------------------------------------------------------

RESOURCE_KEYS = ("r0", "r1", "r2")
capacities = st.one_of(
    st.sampled_from([0.0, 1.0, 10.0, 100.0]),
    st.floats(min_value=0.0, max_value=1000.0, allow_subnormal=False),
)


@st.composite
def pools(draw: st.DrawFn) -> ResourcePool:
    count = draw(st.integers(min_value=1, max_value=len(RESOURCE_KEYS)))
    return ResourcePool(
        [
            resource(key, draw(capacities), external=draw(st.booleans()))
            for key in RESOURCE_KEYS[:count]
        ]
    )


@st.composite
def demand_lists(draw: st.DrawFn, pool: ResourcePool) -> list[Demand]:
    count = draw(st.integers(min_value=0, max_value=10))
    result = []
    for index in range(count):
        amount = draw(
            st.one_of(
                st.sampled_from([1.0, 2.0, 5.0, 10.0]),
                st.floats(min_value=0.01, max_value=200.0, allow_subnormal=False),
            )
        )
        fraction = draw(
            st.sampled_from([0.0, 0.0, 0.5, 1.0])
            | st.floats(0.0, 1.0, allow_subnormal=False)
        )
        result.append(
            Demand(
                key=f"d{index}",
                resource=draw(st.sampled_from(pool.keys())),
                amount=amount,
                minimum=amount * fraction,
                priority=draw(
                    st.sampled_from([1, 2, 3]) | st.floats(min_value=0.1, max_value=9)
                ),
                critical=draw(st.booleans()),
            )
        )
    return result


@st.composite
def problems(draw: st.DrawFn) -> tuple[ResourcePool, list[Demand], AllocationRule]:
    pool = draw(pools())
    return pool, draw(demand_lists(pool)), draw(st.sampled_from(AllocationRule))


def _reference_share(
    targets: list[float], weights: list[float], room: float
) -> list[float]:
    """min(t, λw) with λ found by bisection: independent of the sorting method."""
    if sum(targets) <= room:
        return list(targets)
    low, high = 0.0, max(t / w for t, w in zip(targets, weights, strict=True))
    for _ in range(200):
        middle = (low + high) / 2
        given = sum(min(t, middle * w) for t, w in zip(targets, weights, strict=True))
        low, high = (middle, high) if given <= room else (low, middle)
    return [min(t, low * w) for t, w in zip(targets, weights, strict=True)]


def _reference(
    pool: ResourcePool, demands: list[Demand], rule: AllocationRule
) -> dict[str, float]:
    """The documented phases, one resource and one phase at a time, in Python."""

    def weights(items: list[Demand], targets: list[float]) -> list[float]:
        if rule is PROPORTIONAL:
            return targets
        if rule is WEIGHTED:
            return [d.priority * t for d, t in zip(items, targets, strict=True)]
        return [1.0] * len(items)

    def serve(
        have: dict[str, float], items: list[Demand], targets: list[float], room: float
    ) -> float:
        chosen = [(d, t) for d, t in zip(items, targets, strict=True) if t > 0]
        if not chosen or room <= 0:
            return 0.0
        parts = _reference_share(
            [t for _, t in chosen],
            weights([d for d, _ in chosen], [t for _, t in chosen]),
            room,
        )
        for (d, _), part in zip(chosen, parts, strict=True):
            have[d.key] += part
        return sum(parts)

    result: dict[str, float] = {}
    for res in pool:
        mine = [d for d in demands if d.resource == res.key]
        have = {d.key: 0.0 for d in mine}
        critical = [d for d in mine if d.critical]
        others = [d for d in mine if not d.critical]
        left = res.capacity
        left -= serve(have, critical, [d.minimum for d in critical], left)
        for priority in sorted({d.priority for d in critical}, reverse=True):
            tier = [d for d in critical if d.priority == priority]
            targets = [d.amount - have[d.key] for d in tier]
            left -= serve(have, tier, targets, max(left, 0))
        left -= serve(have, others, [d.minimum for d in others], max(left, 0))
        targets = [d.amount - have[d.key] for d in mine]
        left -= serve(have, mine, targets, max(left, 0))
        result.update(have)
    return result


def _per_resource(allocation: Allocation) -> dict[str, list[tuple[Demand, float]]]:
    grouped: dict[str, list[tuple[Demand, float]]] = {
        r.key: [] for r in allocation.pool
    }
    for d, x in zip(allocation.demands, allocation.allocated.tolist(), strict=True):
        grouped[d.resource].append((d, x))
    return grouped


@settings(max_examples=100, deadline=None)
@given(problems())
def test_allocations_conserve_every_resource_and_every_demand(
    problem: tuple[ResourcePool, list[Demand], AllocationRule],
) -> None:
    pool, demands, rule = problem

    result = allocate(pool, demands, rule=rule)

    # allocate skips re-validating its own output: the validator must agree.
    assert result == Allocation(**attrs.asdict(result, recurse=False))
    amounts = np.array([d.amount for d in result.demands])
    assert (result.allocated >= 0).all()
    assert (result.allocated <= amounts).all()
    for res in pool:
        served = _per_resource(result)[res.key]
        used = math.fsum(x for _, x in served)
        assert used <= res.capacity * (1 + TOLERANCE)
        # work-conserving: either everyone on it is served or it is used up
        everyone = all(x == d.amount for d, x in served)
        assert everyone or used >= res.capacity * (1 - 1e-9)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_phases_come_one_after_the_other(
    problem: tuple[ResourcePool, list[Demand], AllocationRule],
) -> None:
    pool, demands, rule = problem

    result = allocate(pool, demands, rule=rule)

    for served in _per_resource(result).values():
        critical = [(d, x) for d, x in served if d.critical]
        others = [(d, x) for d, x in served if not d.critical]
        if any(x < d.amount for d, x in critical):
            assert all(x == 0 for _, x in others)
        if any(x < d.minimum for d, x in critical):
            assert all(x <= d.minimum * (1 + 1e-12) for d, x in critical)
        if any(x < d.minimum for d, x in others):
            assert all(x <= d.minimum * (1 + 1e-12) for d, x in others)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_allocations_match_a_plain_python_reference_of_the_documented_rule(
    problem: tuple[ResourcePool, list[Demand], AllocationRule],
) -> None:
    pool, demands, rule = problem

    result = allocate(pool, demands, rule=rule)

    expected = _reference(pool, demands, rule)
    for key, value in got(result).items():
        assert expected[key] == pytest.approx(value, rel=1e-7, abs=1e-7)


@settings(max_examples=100, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_demands(
    problem: tuple[ResourcePool, list[Demand], AllocationRule], random: Any
) -> None:
    pool, demands, rule = problem
    shuffled = list(demands)
    random.shuffle(shuffled)

    first = allocate(pool, demands, rule=rule)
    second = allocate(pool, shuffled, rule=rule)

    assert tuple(shuffled) == second.demands
    assert got(first) == got(second)  # bit for bit, not approximately
    assert first.shortfalls() == second.shortfalls()


@settings(max_examples=100, deadline=None)
@given(
    problems(),
    st.lists(
        st.floats(min_value=0.0, max_value=500.0, allow_subnormal=False),
        min_size=3,
        max_size=3,
    ),
)
def test_more_capacity_never_lowers_any_allocation_under_every_rule(
    problem: tuple[ResourcePool, list[Demand], AllocationRule], extra: list[float]
) -> None:
    # Each phase's sharing is resource-monotone and later phases only get
    # what earlier ones leave, so this holds for all three rules.
    pool, demands, rule = problem
    bigger = pool
    for res, more in zip(pool, extra, strict=False):
        bigger = bigger.with_capacity(res.key, res.capacity + more)

    small = got(allocate(pool, demands, rule=rule))
    large = got(allocate(bigger, demands, rule=rule))

    for key, value in small.items():
        assert large[key] >= value - 1e-9 * max(1.0, value)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_allocations_and_reallocations_round_trip_through_plain_data(
    problem: tuple[ResourcePool, list[Demand], AllocationRule],
) -> None:
    pool, demands, rule = problem
    result = allocate(pool, demands, rule=rule)
    moved = reallocate(result, pool, demands[: len(demands) // 2], rule=FAIR)

    assert result == round_trip(result)
    assert moved == round_trip(moved)
    assert pool == round_trip(pool)
    for value in (*result.shortfalls(), *moved.changes(), *moved.capacity_changes()):
        assert value == round_trip(value)


def test_every_value_round_trips_including_labels_and_steps() -> None:
    labelled = Resource(
        key="agents",
        kind=ResourceKind.PEOPLE,
        unit="agent-hours",
        capacity=12.5,
        external=True,
        labels=Labels(en="Temp agents", zh_hant="臨時客服", zh_hans="临时客服"),
    )
    wanted = Demand(
        key="hotline",
        resource="agents",
        amount=8,
        priority=2.5,
        critical=True,
        minimum=4,
        step="add_staff",
    )

    assert labelled == round_trip(labelled)
    assert wanted == round_trip(wanted)
    assert AllocationChange(demand="a", before=1, after=2) == round_trip(
        AllocationChange(demand="a", before=1, after=2)
    )


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"capacity": -1}, ValidationError, "capacity"),
        ({"capacity": math.nan}, ValidationError, "capacity"),
        ({"capacity": math.inf}, ValidationError, "capacity"),
        ({"capacity": "10"}, InvalidTypeError, "capacity"),
        ({"key": "Stock"}, ValidationError, "key"),
        ({"kind": "material"}, InvalidTypeError, "kind"),
        ({"unit": " "}, ValidationError, "unit"),
        ({"external": 1}, InvalidTypeError, "external"),
        ({"labels": "stock"}, InvalidTypeError, "labels"),
    ],
)
def test_bad_resources_are_refused_naming_the_field(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    fields: dict[str, Any] = {
        "key": "stock",
        "kind": ResourceKind.MATERIAL,
        "unit": "units",
        "capacity": 1.0,
    }

    with pytest.raises(error, match=f"'{field}'"):
        Resource(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"amount": 0}, ValidationError, "amount"),
        ({"amount": -3}, ValidationError, "amount"),
        ({"amount": math.nan}, ValidationError, "amount"),
        ({"minimum": 11}, ValidationError, "minimum"),
        ({"minimum": -1}, ValidationError, "minimum"),
        ({"minimum": math.nan}, ValidationError, "minimum"),
        ({"priority": 0}, ValidationError, "priority"),
        ({"priority": math.nan}, ValidationError, "priority"),
        ({"priority": True}, InvalidTypeError, "priority"),
        ({"critical": "yes"}, InvalidTypeError, "critical"),
        ({"resource": "no such"}, ValidationError, "resource"),
        ({"step": ""}, ValidationError, "step"),
    ],
)
def test_bad_demands_are_refused_naming_the_field(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    fields: dict[str, Any] = {"key": "d", "resource": "r", "amount": 10.0}

    with pytest.raises(error, match=f"'{field}'"):
        Demand(**{**fields, **changes})


def test_bad_pools_are_refused() -> None:
    with pytest.raises(DuplicateKeyError, match="resource 'r'"):
        pool_of(resource("r", 1), resource("r", 2))
    with pytest.raises(InvalidTypeError, match=r"entries\[0\]"):
        ResourcePool(["r"])
    with pytest.raises(UnknownKeyError, match="did you mean 'stock'"):
        pool_of(resource("stock", 1))["stok"]
    with pytest.raises(UnknownKeyError, match="unknown resource 'nope'"):
        one(1).with_capacity("nope", 2)
    with pytest.raises(ValidationError, match="'capacity'"):
        one(1).with_capacity("r", -2)


def test_allocate_refuses_bad_arguments_naming_them() -> None:
    demands = [demand("a", 1)]

    with pytest.raises(InvalidTypeError, match="'pool'"):
        allocate([resource("r", 1)], demands)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'rule'"):
        allocate(one(1), demands, rule="proportional")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'demands'"):
        allocate(one(1), demand("a", 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'demands\[1\]'"):
        allocate(one(1), [demand("a", 1), "b"])  # type: ignore[list-item]
    with pytest.raises(DuplicateKeyError, match="demand 'a'"):
        allocate(one(1), [demand("a", 1), demand("a", 2)])
    with pytest.raises(UnknownKeyError, match=r"demands\[1\].resource.*'stokc'"):
        allocate(
            pool_of(resource("stock", 1)),
            [demand("a", 1, resource="stock"), demand("b", 1, resource="stokc")],
        )


def test_allocation_values_that_break_conservation_are_refused() -> None:
    good = allocate(one(10), [demand("a", 6), demand("b", 6)])
    fields = attrs.asdict(good, recurse=False)

    for allocated, match in [
        ([1.0], "shape"),
        ([[1.0, 1.0]], "1-D"),
        ([-1.0, 1.0], ">= 0"),
        ([math.nan, 1.0], "finite"),
        ([7.0, 1.0], "amount"),
        ([6.0, 5.0], "capacity"),
        ("ab", "1-D"),
    ]:
        with pytest.raises((ValidationError, InvalidTypeError), match=match):
            Allocation(**{**fields, "allocated": allocated})
    with pytest.raises(UnknownKeyError, match="resource"):
        Allocation(**{**fields, "pool": pool_of(resource("s", 10))})
    with pytest.raises(DuplicateKeyError):
        Allocation(**{**fields, "demands": [demand("a", 6), demand("a", 6)]})
    with pytest.raises(InvalidTypeError, match="demands"):
        Allocation(**{**fields, "demands": "ab"})
    with pytest.raises(UnknownKeyError, match="did you mean 'a'"):
        good.allocated_to("aa")
    with pytest.raises(InvalidTypeError, match="'key'"):
        good.shortfall_of(3)  # type: ignore[arg-type]


def test_tampered_plain_data_is_refused_on_the_way_in() -> None:
    document = to_data(allocate(one(10), [demand("a", 6)]))
    document["data"]["allocated"]["data"] = [9.0]

    with pytest.raises(SerializationError, match="allocated"):
        from_data(Allocation, document)


def test_reallocate_refuses_bad_arguments() -> None:
    first = allocate(one(1), [demand("a", 1)])

    with pytest.raises(InvalidTypeError, match="'previous'"):
        reallocate("first", one(1), [])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'rule'"):
        reallocate(first, one(1), [], rule="fair")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="resource"):
        reallocate(first, pool_of(resource("s", 1)), [demand("a", 1)])
    with pytest.raises(InvalidTypeError, match="'current'"):
        Reallocation(previous=first, current=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'moved_only'"):
        reallocate(first, one(2), [demand("a", 1)]).changes(moved_only=1)  # type: ignore[arg-type]


def test_result_values_refuse_bad_fields() -> None:
    with pytest.raises(ValidationError, match="'before'"):
        AllocationChange(demand="a", before=math.nan, after=1)
    with pytest.raises(ValidationError, match="'after'"):
        CapacityChange(resource="r", before=None, after=-1)
    with pytest.raises(InvalidTypeError, match="'critical'"):
        Shortfall(
            demand="a",
            resource="r",
            amount=1,
            allocated=0,
            minimum=0,
            critical=None,  # type: ignore[arg-type]
            external=False,
        )
