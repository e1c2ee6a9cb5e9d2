"""Resource allocation: people, material and money by priority (book §4 資源調配).

Book §4 (溝通協作與資源調配) makes resource allocation one of the two pillars
of a crisis response, in four steps:

    1.評估現有資源 — assess what the company has: people (人力資源), material
    (物資資源) and money (財務資源), and how much of it the response can use.
    2.優先分配關鍵資源 — give key resources to the most urgent problems first
    (short of cash: keep the supply chain stable; short of staff: core posts).
    3.動態調整資源配置 — re-allocate as the crisis moves.
    4.外部資源獲取與合作 — when needed, bring in outside resources (industry
    help, emergency supply from suppliers).

This module gives each step a value:

* a `Resource` is one pool of something (`ResourceKind`: people 人力,
  material 物資, money 資金) with a ``capacity`` in its ``unit``, flagged
  ``external`` when it comes from outside (外部資源); a `ResourcePool` holds
  them, keyed (step 1);
* a `Demand` asks one resource for an ``amount``, with a ``priority``, a
  ``critical`` flag and a ``minimum`` it cannot do with less of (step 2);
* `allocate()` shares each resource among its demands and returns an
  `Allocation`; `reallocate()` allocates again after demands or capacities
  change and reports what moved in a `Reallocation` (step 3). Demands served
  from external resources are listed by `Allocation.served_externally()` (step 4).

The allocation rule
-------------------
Each resource is shared among the demands on it, independently of the other
resources, in four phases. Each phase hands out what is left after the phases
before it:

1. **critical minimums** — every critical demand's ``minimum``;
2. **critical demands in full, by priority** — the critical demands' remaining
   amounts, highest ``priority`` first: demands of equal priority form a tier,
   each tier is served in full before the next (lower) tier gets anything;
3. **other minimums** — every non-critical demand's ``minimum``;
4. **the rest** — what is still left is shared among the remaining unmet
   amounts (``amount`` minus what the demand already has) of all demands.

Whenever a phase (or, in phase 2, a tier) asks for more than is left, what is
left is shared among its targets tᵢ (the amounts that phase asks for) by the
chosen `AllocationRule`; every demand gets ``min(tᵢ, λ·wᵢ)`` with the one
level λ at which the shares add up to exactly what is left:

* `AllocationRule.PROPORTIONAL`: wᵢ = tᵢ, so every target gets the same
  fraction (the proportional rule of claims problems; O'Neill 1982);
* `AllocationRule.PRIORITY_WEIGHTED`: wᵢ = priorityᵢ · tᵢ, proportional to
  priority times the unmet amount, capped at the target; what a capped demand
  cannot take goes to the others (a weighted proportional rule);
* `AllocationRule.MAX_MIN_FAIR`: wᵢ = 1, water-filling: everyone gets the
  same amount, except those who ask for less, who get what they ask for
  (max-min fairness, Bertsekas & Gallager 1992 §6.5.2; the constrained equal
  awards rule of claims problems, Thomson 2003).

So ``priority`` orders the critical demands (phase 2) under every rule and, in
addition, weighs every share under `AllocationRule.PRIORITY_WEIGHTED`; the two
other rules ignore it outside phase 2. A non-critical demand gets anything
only after every critical demand on its resource is served in full, and more
than its minimum only after every demand there has its minimum. Nothing is
dropped silently: `Allocation.shortfalls()` lists every demand that got less
than it asked for.

Each of the three rules gives nobody less when there is more to share
(resource monotonicity; Thomson 2003), and the phases are served one after the
other, so **adding capacity never lowers any demand's allocation**, under every
rule. What each demand gets does not depend on the order the demands are
given in, to the last bit: `allocate()` works on them sorted by their values
(resource, amount, minimum, priority, critical), and demands equal in all of
those are interchangeable. The `Allocation` keeps them in the order given.

Floating point: each demand gets at most its ``amount`` exactly, and the total
handed out from a resource is at most its capacity × (1 + `TOLERANCE`).
What is left on a resource below `TOLERANCE` × capacity counts as nothing.

The allocation is numpy array code over all demands of all resources at once
(sorting by resource, segment sums with ``np.add.reduceat``, one water level
per resource found by sorting and cumulative sums), with no Python loop over
demands; the only per-demand Python work is reading the `Demand` fields into
arrays. 10,000 demands over 100 resources take about 10 ms, most of it that
reading (``benchmarks/bench_planning_allocation.py``).

Examples
--------
An inventory crisis in peak season (book §5.4, case 1): 100 units of
emergency stock, 120 more from a partner's warehouse, and three order groups.

>>> from crisisops.planning.resources import (
...     AllocationRule,
...     Demand,
...     Resource,
...     ResourceKind,
...     ResourcePool,
...     allocate,
... )
>>> pool = ResourcePool(
...     [
...         Resource(
...             key="stock", kind=ResourceKind.MATERIAL, unit="units", capacity=100
...         ),
...         Resource(
...             key="partner_stock",
...             kind=ResourceKind.MATERIAL,
...             unit="units",
...             capacity=120,
...             external=True,
...         ),
...     ]
... )
>>> demands = [
...     Demand(key="vip_orders", resource="stock", amount=60, critical=True),
...     Demand(key="urgent_orders", resource="stock", amount=50, minimum=20),
...     Demand(key="other_orders", resource="stock", amount=30, minimum=10),
...     Demand(key="backorders", resource="partner_stock", amount=80),
... ]
>>> allocation = allocate(pool, demands, rule=AllocationRule.PROPORTIONAL)
>>> dict(allocation.by_demand())
{'vip_orders': 60.0, 'urgent_orders': 26.0, 'other_orders': 14.0, 'backorders': 80.0}
>>> [(s.demand, s.shortfall) for s in allocation.shortfalls()]
[('other_orders', 16.0), ('urgent_orders', 24.0)]
>>> dict(allocation.served_externally()), dict(allocation.left())
({'backorders': 80.0}, {'stock': 0.0, 'partner_stock': 40.0})

The VIP orders are critical and come first (60); the minimums come next (20 +
10); the last 10 units go to the unmet 30 and 20 in proportion (6 and 4).

What a resource hands out may pass its capacity by `TOLERANCE` (relative)
at most, and `TERMS` holds the book's words for the steps:

>>> from crisisops.planning.resources import TERMS, TOLERANCE
>>> TOLERANCE, allocation.used()["stock"] <= 100 * (1 + TOLERANCE)
(1e-09, True)
>>> TERMS["shortfall"].zh_hant, TERMS["external_resources"].en
('資源缺口', 'Obtain external resources and cooperate')

References
----------
Book §4 溝通協作與資源調配 (資源調配: 評估現有資源, 優先分配關鍵資源, 動態調整資源
配置, 外部資源獲取與合作); §4 制定針對性的應對策略, 3.資源調配 (合理分配人力、物力、
財力等資源 … 對於關鍵資源,要優先保障).
O'Neill, Barry. 1982. "A Problem of Rights Arbitration from the Talmud."
*Mathematical Social Sciences* 2 (4): 345–71.
Thomson, William. 2003. "Axiomatic and Game-Theoretic Analysis of Bankruptcy
and Taxation Problems: A Survey." *Mathematical Social Sciences* 45 (3):
249–97 (proportional and constrained-equal-awards rules; resource
monotonicity).
Bertsekas, Dimitri, and Robert Gallager. 1992. *Data Networks*, 2nd ed.,
§6.5.2 "Max-Min Fairness". Prentice Hall.
FEMA. 2017. *National Incident Management System*, 3rd ed., "Resource
Management" (identify requirements, order and acquire, mutual aid).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_finite,
    field_name,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    to_tuple,
)
from crisisops.catalog import Catalog
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels

__all__ = [
    "TERMS",
    "TOLERANCE",
    "Allocation",
    "AllocationChange",
    "AllocationRule",
    "CapacityChange",
    "Demand",
    "Reallocation",
    "Resource",
    "ResourceKind",
    "ResourcePool",
    "Shortfall",
    "allocate",
    "reallocate",
]

_T = TypeVar("_T")
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Relative floating-point slack: what a resource hands out may exceed its
#: capacity by at most ``TOLERANCE × capacity``; a remainder below it is nothing.
TOLERANCE = 1e-9


_labels = Labels.of


#: The book's resource-allocation terms, in English, 繁體 and 简体.
TERMS: FrozenDict[str, Labels] = FrozenDict(
    {
        "resource_allocation": _labels("Resource allocation", "資源調配", "资源调配"),
        "assess_resources": _labels(
            "Assess existing resources", "評估現有資源", "评估现有资源"
        ),
        "prioritise_key_resources": _labels(
            "Allocate key resources first", "優先分配關鍵資源", "优先分配关键资源"
        ),
        "dynamic_adjustment": _labels(
            "Adjust the allocation as the crisis moves",
            "動態調整資源配置",
            "动态调整资源配置",
        ),
        "external_resources": _labels(
            "Obtain external resources and cooperate",
            "外部資源獲取與合作",
            "外部资源获取与合作",
        ),
        "shortfall": _labels("Shortfall", "資源缺口", "资源缺口"),
    }
)


class ResourceKind(enum.Enum):
    """What a resource is: people, material or money (book §4 人力、物力、財力).

    The book names the three kinds of resources a crisis response assesses
    and allocates: human resources (人力資源), material resources (物資資源)
    and financial resources (財務資源).
    """

    PEOPLE = "people"
    MATERIAL = "material"
    MONEY = "money"

    @property
    def labels(self) -> Labels:
        """Name of the kind in English, 繁體 and 简体."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ResourceKind.PEOPLE: _labels("People", "人力", "人力"),
    ResourceKind.MATERIAL: _labels("Material", "物資", "物资"),
    ResourceKind.MONEY: _labels("Money", "資金", "资金"),
}


class AllocationRule(enum.Enum):
    """How a resource that cannot serve every target in full is shared.

    Each demand gets ``min(target, λ·w)`` with one level λ per resource (or
    priority tier) chosen so the shares add up to what is left; the rules
    differ in the weight ``w``. See the module docstring for the phases.
    """

    #: w = priority × unmet amount: higher priority gets a larger share.
    PRIORITY_WEIGHTED = "priority_weighted"
    #: w = unmet amount: everyone gets the same fraction of what they ask.
    PROPORTIONAL = "proportional"
    #: w = 1: water-filling, the smallest allocation is as large as possible.
    MAX_MIN_FAIR = "max_min_fair"

    @property
    def labels(self) -> Labels:
        """Name of the rule in English, 繁體 and 简体."""
        return _RULE_LABELS[self]


_RULE_LABELS = {
    AllocationRule.PRIORITY_WEIGHTED: _labels(
        "Priority-weighted", "按優先級加權", "按优先级加权"
    ),
    AllocationRule.PROPORTIONAL: _labels("Proportional", "按比例分配", "按比例分配"),
    AllocationRule.MAX_MIN_FAIR: _labels(
        "Max-min fair", "最大最小公平", "最大最小公平"
    ),
}


# --- resources ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Resource:
    """One pool of people, material or money and how much of it there is.

    Attributes
    ----------
    key
        Unique key, lowercase words joined by dots, e.g. ``"stock.east"``.
    kind
        People (人力), material (物資) or money (資金).
    unit
        What ``capacity`` counts, e.g. ``"units"``, ``"agent-hours"``, ``"CNY"``.
    capacity
        How much the response can use (>= 0, finite), in ``unit``.
    external
        Whether it comes from outside the company (外部資源: a partner's
        warehouse, an emergency supplier, industry help). Defaults to ``False``.
    labels
        Optional display names in English, 繁體 and 简体.
    """

    key: str = attrs.field(validator=is_key())
    kind: ResourceKind = attrs.field(validator=is_enum(ResourceKind))
    unit: str = attrs.field(validator=is_text())
    capacity: float = attrs.field(validator=is_finite(low=0.0))
    external: bool = attrs.field(
        default=False, validator=is_instance(bool, "true or false")
    )
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels"))
    )


@attrs.frozen
class ResourcePool(Catalog[Resource]):
    """The resources a response can draw on, looked up by key (評估現有資源).

    A `crisisops.catalog.Catalog` of `Resource`: keys are unique, looking up
    an unknown key raises `UnknownKeyError` with the closest keys, and every
    change (`add()`, `replace()`, `without()`, `with_capacity()`) returns a
    new pool.

    Examples
    --------
    >>> from crisisops.planning.resources import Resource, ResourceKind, ResourcePool
    >>> agents = Resource(
    ...     key="agents", kind=ResourceKind.PEOPLE, unit="people", capacity=8
    ... )
    >>> pool = ResourcePool([agents])
    >>> pool.with_capacity("agents", 12)["agents"].capacity
    12
    >>> pool["agent"]
    Traceback (most recent call last):
    ...
    crisisops.errors.UnknownKeyError: unknown resource 'agent'; did you mean 'agents'?
    """

    entry_type = Resource
    kind = "resource"

    def with_capacity(self, key: str, capacity: float) -> ResourcePool:
        """Return a pool where resource ``key`` has a new ``capacity``.

        Raises
        ------
        UnknownKeyError
            If no resource has that key.
        ValidationError
            If ``capacity`` is negative, NaN or infinite.
        """
        return self.replace(attrs.evolve(self[key], capacity=capacity))

    def capacities(self) -> FrozenDict[str, float]:
        """Return each resource's capacity, in pool order."""
        return FrozenDict((r.key, r.capacity) for r in self.entries)


# --- demands ------------------------------------------------------------------


def _positive(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Accept a finite number > 0."""
    name = field_name(attribute)
    if check_finite(value, name) <= 0:
        raise ValidationError(name, value, "a finite number > 0")


@attrs.frozen(kw_only=True)
class Demand:
    """A call on one resource: how much, how urgent, how much at the least.

    Attributes
    ----------
    key
        Unique key of the demand, e.g. ``"vip_orders"``.
    resource
        Key of the `Resource` it draws on.
    amount
        How much it asks for (> 0, finite), in the resource's unit.
    priority
        How urgent (> 0, finite; int or float): **higher first**. It orders
        the critical demands (a higher-priority tier is served in full before
        a lower one) and, under `AllocationRule.PRIORITY_WEIGHTED`, weighs
        every share: priority 2 gets twice the share per unit asked of
        priority 1. Defaults to 1.
    critical
        Whether it is key to the response (關鍵資源 優先保障): critical
        demands are served, minimum first, then in full, before any other
        demand gets anything. Defaults to ``False``.
    minimum
        The least that is any use (0 <= minimum <= amount); served before any
        demand gets more than its own minimum. Defaults to 0.
    step
        Optional key of the playbook step or action this demand serves.
    """

    key: str = attrs.field(validator=is_key())
    resource: str = attrs.field(validator=is_key())
    amount: float = attrs.field(validator=_positive)
    priority: float = attrs.field(default=1.0, validator=_positive)
    critical: bool = attrs.field(
        default=False, validator=is_instance(bool, "true or false")
    )
    minimum: float = attrs.field(default=0.0, validator=is_finite(low=0.0))
    step: str | None = attrs.field(default=None, validator=is_optional(is_key()))

    def __attrs_post_init__(self) -> None:
        """Check that the minimum does not exceed the amount."""
        if self.minimum > self.amount:
            raise ValidationError(
                "minimum", self.minimum, f"at most the amount ({self.amount:g})"
            )


# --- results ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Shortfall:
    """A demand that got less than it asked for (資源缺口).

    Attributes
    ----------
    demand
        Key of the demand.
    resource
        Key of the resource it draws on.
    amount
        What it asked for.
    allocated
        What it got (< amount).
    minimum
        The demand's minimum.
    critical
        Whether the demand is critical.
    external
        Whether its resource is external.

    Examples
    --------
    The critical refunds take 80 of the 100 first, so the ads get the 20
    left, short of their minimum of 30:

    >>> pool = ResourcePool(
    ...     [Resource(key="budget", kind=ResourceKind.MONEY, unit="CNY", capacity=100)]
    ... )
    >>> demands = [
    ...     Demand(key="ads", resource="budget", amount=80, minimum=30),
    ...     Demand(key="refunds", resource="budget", amount=80, critical=True),
    ... ]
    >>> (short,) = allocate(pool, demands).shortfalls()
    >>> short == Shortfall(
    ...     demand="ads",
    ...     resource="budget",
    ...     amount=80,
    ...     allocated=20,
    ...     minimum=30,
    ...     critical=False,
    ...     external=False,
    ... )
    True
    >>> short.shortfall, short.below_minimum
    (60.0, True)
    """

    demand: str = attrs.field(validator=is_key())
    resource: str = attrs.field(validator=is_key())
    amount: float = attrs.field(validator=is_finite(low=0.0))
    allocated: float = attrs.field(validator=is_finite(low=0.0))
    minimum: float = attrs.field(validator=is_finite(low=0.0))
    critical: bool = attrs.field(validator=is_instance(bool, "true or false"))
    external: bool = attrs.field(validator=is_instance(bool, "true or false"))

    @property
    def shortfall(self) -> float:
        """How much is missing: ``amount - allocated``."""
        return self.amount - self.allocated

    @property
    def below_minimum(self) -> bool:
        """Whether even the minimum was not met."""
        return self.allocated < self.minimum


def _read_only_floats(value: Any) -> FloatArray:  # noqa: ANN401
    """Copy into a read-only 1-D float64 array (others pass to the validator)."""
    if isinstance(value, (str, bytes, Mapping)):
        return value  # type: ignore[return-value]  # the validator reports it
    try:
        array = np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        return value  # type: ignore[no-any-return]  # the validator reports it
    array.setflags(write=False)
    return array


def _array_equal(left: FloatArray, right: FloatArray) -> bool:
    return bool(np.array_equal(left, right))


def _check_demand_types(value: object, name: str) -> tuple[Demand, ...]:
    """Return ``value`` if it is a tuple of `Demand` (fast path for the common case)."""
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of Demand")
    if not set(map(type, value)) <= {Demand}:
        for index, demand in enumerate(value):
            if not isinstance(demand, Demand):
                raise InvalidTypeError(f"{name}[{index}]", demand, "a Demand")
    return value


def _check_unique(keys: list[str]) -> None:
    """Raise `DuplicateKeyError` for the first repeated demand key."""
    if len(set(keys)) != len(keys):
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise DuplicateKeyError("demand", key)
            seen.add(key)


def _check_demands(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    """Validate a tuple of `Demand` with unique keys."""
    demands = _check_demand_types(value, field_name(attribute))
    _check_unique([d.key for d in demands])


def _resource_index(
    pool: ResourcePool, demands: tuple[Demand, ...], name: str = "demands"
) -> IntArray:
    """Return each demand's resource position in the pool; reject unknown keys."""
    position = {key: i for i, key in enumerate(pool.keys())}
    wanted = [d.resource for d in demands]
    try:
        return np.fromiter(
            map(position.__getitem__, wanted), dtype=np.intp, count=len(wanted)
        )
    except KeyError:
        bad = next(i for i, key in enumerate(wanted) if key not in position)
        raise UnknownKeyError(
            f"resource ({name}[{bad}].resource)", wanted[bad], position
        ) from None


def _amounts(demands: tuple[Demand, ...]) -> FloatArray:
    return np.array([d.amount for d in demands], dtype=np.float64)


@attrs.frozen(kw_only=True)
class Allocation:
    """How much of each resource every demand gets, and what is missing.

    Built by `allocate()`. Built directly or read back with ``from_data``,
    it is validated, so an allocation never hands out more than a demand
    asked for or more than a resource holds (`allocate()` builds values that
    are valid by construction and skips the repeat check).

    Attributes
    ----------
    rule
        The rule the shares were computed with.
    pool
        The resources, with the capacities used.
    demands
        The demands, in the order they were given to `allocate()`.
    allocated
        Read-only float64 array: what each demand gets, in ``demands`` order;
        0 <= allocated <= amount, and per resource the total is at most the
        capacity × (1 + `TOLERANCE`).

    Examples
    --------
    >>> pool = ResourcePool(
    ...     [Resource(key="budget", kind=ResourceKind.MONEY, unit="CNY", capacity=100)]
    ... )
    >>> demands = [
    ...     Demand(key="ads", resource="budget", amount=80, minimum=30),
    ...     Demand(key="refunds", resource="budget", amount=80, critical=True),
    ... ]
    >>> allocation: Allocation = allocate(pool, demands)
    >>> allocation.allocated.tolist(), allocation.allocated_to("ads")
    ([20.0, 80.0], 20.0)
    >>> allocation.shortfall_of("ads"), dict(allocation.left())
    (60.0, {'budget': 0.0})

    Built by hand, an allocation is checked: 60 + 80 is more than the 100
    in the budget.

    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     Allocation(
    ...         rule=allocation.rule, pool=pool, demands=demands, allocated=[60, 80]
    ...     )
    ... except ValidationError as error:
    ...     error.value, error.expected
    (140.0, "a total for resource 'budget' of at most its capacity (100)")
    """

    rule: AllocationRule = attrs.field(validator=is_enum(AllocationRule))
    pool: ResourcePool = attrs.field(
        validator=is_instance(ResourcePool, "a ResourcePool")
    )
    demands: tuple[Demand, ...] = attrs.field(
        converter=to_tuple, validator=_check_demands
    )
    allocated: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_array_equal)
    )

    def __attrs_post_init__(self) -> None:
        """Check resource keys, the array's shape and the conservation bounds."""
        resource = _resource_index(self.pool, self.demands)
        given: object = self.allocated
        n = len(self.demands)
        if not isinstance(given, np.ndarray) or given.ndim != 1:
            raise InvalidTypeError("allocated", given, "a 1-D array of numbers")
        allocated = self.allocated
        if allocated.shape != (n,):
            raise ValidationError(
                "allocated", allocated.shape, f"one number per demand, shape ({n},)"
            )
        amount = _amounts(self.demands)
        if not np.isfinite(allocated).all() or (allocated < 0).any():
            raise ValidationError("allocated", allocated, "finite numbers >= 0")
        if (allocated > amount).any():
            bad = int(np.flatnonzero(allocated > amount)[0])
            raise ValidationError(
                f"allocated[{bad}]",
                float(allocated[bad]),
                f"at most the demand's amount ({amount[bad]:g})",
            )
        capacity = np.array([r.capacity for r in self.pool], dtype=np.float64)
        used = np.bincount(resource, weights=allocated, minlength=capacity.size)
        over = used > capacity * (1.0 + TOLERANCE)
        if over.any():
            bad = int(np.flatnonzero(over)[0])
            raise ValidationError(
                "allocated",
                float(used[bad]),
                f"a total for resource {self.pool.keys()[bad]!r} of at most "
                f"its capacity ({capacity[bad]:g})",
            )

    # --- per demand -------------------------------------------------------

    def _position(self, key: str) -> int:
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a demand key str")
        keys = [d.key for d in self.demands]
        try:
            return keys.index(key)
        except ValueError:
            raise UnknownKeyError("demand", key, keys) from None

    def allocated_to(self, key: str) -> float:
        """Return what demand ``key`` gets.

        Raises
        ------
        UnknownKeyError
            If no demand has that key (the message suggests close keys).
        """
        return float(self.allocated[self._position(key)])

    def shortfall_of(self, key: str) -> float:
        """Return what demand ``key`` is missing: amount − allocated."""
        position = self._position(key)
        return self.demands[position].amount - float(self.allocated[position])

    def by_demand(self) -> FrozenDict[str, float]:
        """Return what each demand gets, in ``demands`` order."""
        return FrozenDict(
            zip(
                map(attrgetter("key"), self.demands),
                self.allocated.tolist(),
                strict=True,
            )
        )

    def shortfalls(self) -> tuple[Shortfall, ...]:
        """Return every demand that got less than its amount; none is left out.

        Ordered by severity: critical demands first, then those below their
        minimum, then by priority (highest first), then by key.
        """
        amount = _amounts(self.demands)
        short = np.flatnonzero(self.allocated < amount)
        external = {r.key for r in self.pool if r.external}
        found = [(self.demands[i], float(self.allocated[i])) for i in short.tolist()]
        found.sort(
            key=lambda pair: (
                not pair[0].critical,
                pair[1] >= pair[0].minimum,
                -pair[0].priority,
                pair[0].key,
            )
        )
        return tuple(
            Shortfall(
                demand=demand.key,
                resource=demand.resource,
                amount=demand.amount,
                allocated=got,
                minimum=demand.minimum,
                critical=demand.critical,
                external=demand.resource in external,
            )
            for demand, got in found
        )

    def served_externally(self) -> FrozenDict[str, float]:
        """Return the demands served from external resources, and how much."""
        external = {r.key for r in self.pool if r.external}
        return FrozenDict(
            (demand.key, got)
            for demand, got in zip(self.demands, self.allocated.tolist(), strict=True)
            if got > 0 and demand.resource in external
        )

    # --- per resource -----------------------------------------------------

    def used(self) -> FrozenDict[str, float]:
        """Return how much of each resource is handed out, in pool order."""
        resource = _resource_index(self.pool, self.demands)
        totals = np.bincount(resource, weights=self.allocated, minlength=len(self.pool))
        return FrozenDict(zip(self.pool.keys(), totals.tolist(), strict=True))

    def left(self) -> FrozenDict[str, float]:
        """Return how much of each resource is left (capacity − used, >= 0)."""
        used = self.used()
        return FrozenDict(
            (r.key, max(r.capacity - used[r.key], 0.0)) for r in self.pool
        )


# --- the algorithm ------------------------------------------------------------


def _order_within(group: IntArray, key: FloatArray) -> IntArray:
    """Return the permutation sorting by ``group``, then ``key`` (ties: as given).

    Same result as ``np.lexsort((key, group))`` with two cheaper sorts: the
    key's rank (a stable sort) is folded into one integer per item,
    ``group × n + rank``, and those unique integers are sorted once.
    """
    n = key.size
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(key, kind="stable")] = np.arange(n, dtype=np.int64)
    return np.argsort(group.astype(np.int64) * n + rank)


def _segment_starts(group: IntArray) -> tuple[IntArray, IntArray]:
    """For a sorted group array, return each segment's start and each item's segment."""
    first = np.empty(group.size, dtype=bool)
    first[:1] = True
    np.not_equal(group[1:], group[:-1], out=first[1:])
    return np.flatnonzero(first), np.cumsum(first) - 1


def _sum_before(values: FloatArray, starts: IntArray, segment: IntArray) -> FloatArray:
    """Return, per item, the sum of the items before it in its segment.

    Values are scaled by the power of two just above their segment's total
    before the running sum (exact: only the exponent changes), so the rounding
    error stays relative to each segment, not to the grand total, and a single
    segment sums exactly as a plain running sum would.
    """
    totals = np.add.reduceat(values, starts)
    scale = np.ldexp(1.0, np.frexp(totals)[1])[segment]
    unit = values / scale
    running = np.cumsum(unit) - unit
    running -= running[starts][segment]
    return np.maximum(running, 0.0) * scale


def _share(
    group: IntArray, target: FloatArray, weight: FloatArray, available: FloatArray
) -> tuple[FloatArray, BoolArray]:
    """Give each item ``min(target, λ_g·weight)``, λ_g filling group g's room.

    ``available[g]`` is what group ``g`` may hand out. Items are sorted by the
    level ``target / weight`` at which they are satisfied; within a group the
    total handed out when item k is satisfied is (targets before k) + level_k
    × (weights from k on), rising in k. The first item whose total exceeds the
    room fixes λ. Returns the amounts and whether each item got its target.
    """
    give = np.zeros_like(target)
    full = target <= 0
    active = np.flatnonzero(target > 0)
    if active.size == 0:
        return give, full
    g, t, w = group[active], target[active], weight[active]
    level = t / w
    order = _order_within(g, level)
    g, t, w, level = g[order], t[order], w[order], level[order]
    starts, segment = _segment_starts(g)
    t_before = _sum_before(t, starts, segment)
    w_before = _sum_before(w, starts, segment)
    w_tail = np.add.reduceat(w, starts)[segment] - w_before
    room = available[g]
    reached = t_before + level * w_tail
    count = np.add.reduceat((reached <= room).astype(np.intp), starts)
    rank = np.arange(g.size) - starts[segment]
    satisfied = rank < count[segment]
    sizes = np.diff(np.append(starts, g.size))
    partial = np.flatnonzero(count < sizes)
    water = np.full(starts.size, np.inf)
    pivot = starts[partial] + count[partial]
    water[partial] = np.maximum(
        (room[pivot] - t_before[pivot]) / np.maximum(w_tail[pivot], 1e-300), 0.0
    )
    got = np.where(satisfied, t, np.minimum(t, water[segment] * w))
    placed = active[order]
    give[placed] = got
    full[placed] = got >= t
    return give, full


def _weights(
    rule: AllocationRule, target: FloatArray, priority: FloatArray
) -> FloatArray:
    if rule is AllocationRule.PROPORTIONAL:
        return target
    if rule is AllocationRule.PRIORITY_WEIGHTED:
        return priority * target
    return np.ones_like(target)


def _share_by_tier(
    resource: IntArray,
    target: FloatArray,
    priority: FloatArray,
    left: FloatArray,
    rule: AllocationRule,
) -> tuple[FloatArray, BoolArray]:
    """Serve targets by priority tier per resource; a tier that does not fit shares."""
    give = np.zeros_like(target)
    full = target <= 0
    active = np.flatnonzero(target > 0)
    if active.size == 0:
        return give, full
    order = active[_order_within(resource[active], -priority[active])]
    r, p, t = resource[order], priority[order], target[order]
    new_tier = np.empty(order.size, dtype=bool)
    new_tier[:1] = True
    new_tier[1:] = (r[1:] != r[:-1]) | (p[1:] != p[:-1])
    tier_starts = np.flatnonzero(new_tier)
    tier = np.cumsum(new_tier) - 1
    tier_total = np.add.reduceat(t, tier_starts)
    tier_resource = r[tier_starts]
    resource_starts, resource_segment = _segment_starts(tier_resource)
    before = _sum_before(tier_total, resource_starts, resource_segment)
    room = np.maximum(left[tier_resource] - before, 0.0)
    got, done = _share(tier, t, _weights(rule, t, p), room)
    give[order] = got
    full[order] = done
    return give, full


def _deduct(
    left: FloatArray, resource: IntArray, give: FloatArray, capacity: FloatArray
) -> FloatArray:
    remaining = left - np.bincount(resource, weights=give, minlength=left.size)
    return np.where(remaining <= TOLERANCE * capacity, 0.0, remaining)


def _solve(  # noqa: PLR0913, PLR0917  the columns of the demand table
    resource: IntArray,
    amount: FloatArray,
    minimum: FloatArray,
    priority: FloatArray,
    critical: BoolArray,
    capacity: FloatArray,
    rule: AllocationRule,
) -> FloatArray:
    """Run the four phases over all demands at once; return what each gets."""
    left = capacity.copy()
    zero = np.zeros_like(amount)

    # 1. critical minimums
    target = np.where(critical, minimum, zero)
    give, _ = _share(resource, target, _weights(rule, target, priority), left)
    got = give
    left = _deduct(left, resource, give, capacity)

    # 2. critical demands in full, highest priority tier first
    target = np.where(critical, amount - got, zero)
    give, full = _share_by_tier(resource, target, priority, left, rule)
    got = np.where(full & (target > 0), amount, got + give)
    left = _deduct(left, resource, give, capacity)

    # 3. every other demand's minimum
    target = np.where(critical, zero, minimum)
    give, _ = _share(resource, target, _weights(rule, target, priority), left)
    got = got + give
    left = _deduct(left, resource, give, capacity)

    # 4. the rest, shared among the remaining unmet amounts
    target = np.maximum(amount - got, 0.0)
    give, full = _share(resource, target, _weights(rule, target, priority), left)
    got = np.where(full & (target > 0), amount, got + give)
    return np.minimum(got, amount)


def _check_pool(pool: object) -> ResourcePool:
    if not isinstance(pool, ResourcePool):
        raise InvalidTypeError("pool", pool, "a ResourcePool")
    return pool


def _check_rule(rule: object) -> AllocationRule:
    if not isinstance(rule, AllocationRule):
        names = ", ".join(m.name for m in AllocationRule)
        raise InvalidTypeError("rule", rule, f"an AllocationRule ({names})")
    return rule


def _demand_tuple(demands: object) -> tuple[Demand, ...]:
    if isinstance(demands, (str, bytes, Mapping)) or not isinstance(demands, Iterable):
        raise InvalidTypeError("demands", demands, "an iterable of Demand")
    return _check_demand_types(tuple(demands), "demands")


def _unchecked(cls: type[_T], **values: object) -> _T:
    """Build a frozen attrs value from fields already known valid.

    Skips the validators, which would only repeat checks on 10,000 demands
    that `allocate()` has just made; tests check that every value built this
    way passes them.
    """
    instance = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(instance, name, value)
    return instance


def allocate(
    pool: ResourcePool,
    demands: Iterable[Demand],
    *,
    rule: AllocationRule = AllocationRule.PRIORITY_WEIGHTED,
) -> Allocation:
    """Share every resource of ``pool`` among the ``demands`` on it.

    Per resource: critical minimums, then critical demands in full by
    priority tier, then every other minimum, then the rest by ``rule`` (see
    the module docstring for the exact rule and its guarantees).

    Parameters
    ----------
    pool
        The resources and their capacities.
    demands
        The demands; keys unique, each on a resource of ``pool``. May be empty.
    rule
        How a short resource is shared; defaults to
        `AllocationRule.PRIORITY_WEIGHTED`.

    Returns
    -------
    Allocation
        With the demands in the order given; what each gets does not
        depend on that order.

    Raises
    ------
    InvalidTypeError
        If ``pool`` is not a `ResourcePool`, ``demands`` not an iterable of
        `Demand` or ``rule`` not an `AllocationRule`.
    DuplicateKeyError
        If two demands share a key.
    UnknownKeyError
        If a demand names a resource that is not in ``pool``.

    Examples
    --------
    Two critical demands on 10 agents: priority 3 is served in full first.

    >>> from crisisops.planning.resources import (
    ...     Demand,
    ...     Resource,
    ...     ResourceKind,
    ...     ResourcePool,
    ...     allocate,
    ... )
    >>> agents = Resource(
    ...     key="agents", kind=ResourceKind.PEOPLE, unit="people", capacity=10
    ... )
    >>> pool = ResourcePool([agents])
    >>> result = allocate(
    ...     pool,
    ...     [
    ...         Demand(key="hotline", resource="agents", amount=6, critical=True),
    ...         Demand(
    ...             key="chat", resource="agents", amount=8, critical=True, priority=3
    ...         ),
    ...     ],
    ... )
    >>> dict(result.by_demand())
    {'hotline': 2.0, 'chat': 8.0}
    """
    checked_pool = _check_pool(pool)
    checked_rule = _check_rule(rule)
    given = _demand_tuple(demands)
    _check_unique([d.key for d in given])
    resource = _resource_index(checked_pool, given)
    amount = _amounts(given)
    minimum = np.array([d.minimum for d in given], dtype=np.float64)
    priority = np.array([d.priority for d in given], dtype=np.float64)
    critical = np.array([d.critical for d in given], dtype=np.bool_)
    # Sort by value: demands equal in every column are interchangeable, so
    # every sum runs in an order that does not depend on the input order.
    order = np.lexsort((critical, priority, minimum, amount, resource))
    allocated = np.empty_like(amount)
    allocated[order] = _solve(
        resource[order],
        amount[order],
        minimum[order],
        priority[order],
        critical[order],
        np.array([r.capacity for r in checked_pool], dtype=np.float64),
        checked_rule,
    )
    allocated.setflags(write=False)
    # Valid by construction (the inputs were checked above and the phases
    # conserve every resource), so the validators are not run a second time.
    return _unchecked(
        Allocation,
        rule=checked_rule,
        pool=checked_pool,
        demands=given,
        allocated=allocated,
    )


# --- re-allocation ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AllocationChange:
    """How one demand's allocation moved between two allocations.

    Attributes
    ----------
    demand
        Key of the demand.
    before
        What it got before (0 if it is new).
    after
        What it gets now (0 if it was removed).

    Examples
    --------
    >>> change = AllocationChange(demand="ads", before=20, after=70)
    >>> change.delta
    50
    >>> AllocationChange(demand="ads", before=20, after=0).delta  # removed
    -20
    """

    demand: str = attrs.field(validator=is_key())
    before: float = attrs.field(validator=is_finite(low=0.0))
    after: float = attrs.field(validator=is_finite(low=0.0))

    @property
    def delta(self) -> float:
        """The change, ``after - before`` (positive: it gets more)."""
        return self.after - self.before


@attrs.frozen(kw_only=True)
class CapacityChange:
    """A resource whose capacity changed, appeared or disappeared.

    Attributes
    ----------
    resource
        Key of the resource.
    before
        Its capacity before, or ``None`` if it is new.
    after
        Its capacity now, or ``None`` if it was removed.

    Examples
    --------
    >>> CapacityChange(resource="budget", before=100, after=150).delta
    50
    >>> CapacityChange(resource="loan", before=None, after=50).delta  # new
    50.0
    """

    resource: str = attrs.field(validator=is_key())
    before: float | None = attrs.field(validator=is_optional(is_finite(low=0.0)))
    after: float | None = attrs.field(validator=is_optional(is_finite(low=0.0)))

    @property
    def delta(self) -> float:
        """The change in capacity (a missing side counts as 0)."""
        return (self.after or 0.0) - (self.before or 0.0)


def _moved(before: float, after: float) -> bool:
    return not math.isclose(before, after, rel_tol=TOLERANCE, abs_tol=0.0)


@attrs.frozen(kw_only=True)
class Reallocation:
    """A new allocation next to the one it replaces, and what moved (動態調整).

    Attributes
    ----------
    previous
        The allocation before the change.
    current
        The allocation after it.

    Examples
    --------
    The budget grows to 150, a 50 bank loan comes in (external), the ads
    are dropped and the refunds grow to 100:

    >>> pool = ResourcePool(
    ...     [Resource(key="budget", kind=ResourceKind.MONEY, unit="CNY", capacity=100)]
    ... )
    >>> demands = [
    ...     Demand(key="ads", resource="budget", amount=80, minimum=30),
    ...     Demand(key="refunds", resource="budget", amount=80, critical=True),
    ... ]
    >>> first = allocate(pool, demands)
    >>> pool_now = ResourcePool(
    ...     [
    ...         Resource(
    ...             key="budget", kind=ResourceKind.MONEY, unit="CNY", capacity=150
    ...         ),
    ...         Resource(
    ...             key="loan",
    ...             kind=ResourceKind.MONEY,
    ...             unit="CNY",
    ...             capacity=50,
    ...             external=True,
    ...         ),
    ...     ]
    ... )
    >>> demands_now = [
    ...     Demand(key="refunds", resource="budget", amount=100, critical=True),
    ...     Demand(key="supplier", resource="loan", amount=50),
    ... ]
    >>> moved: Reallocation = reallocate(first, pool_now, demands_now)
    >>> moved.added(), moved.removed(), moved.amended()
    (('supplier',), ('ads',), ('refunds',))
    >>> [(c.demand, c.delta) for c in moved.changes()]  # largest move first
    [('supplier', 50.0), ('ads', -20.0), ('refunds', 20.0)]
    >>> [(c.resource, c.delta) for c in moved.capacity_changes()]
    [('budget', 50), ('loan', 50.0)]
    >>> dict(moved.used_delta())
    {'budget': 0.0, 'loan': 50.0}
    """

    previous: Allocation = attrs.field(
        validator=is_instance(Allocation, "an Allocation")
    )
    current: Allocation = attrs.field(
        validator=is_instance(Allocation, "an Allocation")
    )

    def changes(self, *, moved_only: bool = True) -> tuple[AllocationChange, ...]:
        """Return each demand's before, after and delta.

        Demands in either allocation are covered: a new demand had 0, a
        removed one has 0. With ``moved_only`` (the default) only demands
        whose allocation changed by more than `TOLERANCE` (relative) are
        listed. Ordered by the size of the move, largest first, then by key.

        Raises
        ------
        InvalidTypeError
            If ``moved_only`` is not a bool.
        """
        if not isinstance(moved_only, bool):
            raise InvalidTypeError("moved_only", moved_only, "a bool")
        before = self.previous.by_demand()
        after = self.current.by_demand()
        keys = list(after) + [k for k in before if k not in after]
        found = [
            AllocationChange(
                demand=key, before=before.get(key, 0.0), after=after.get(key, 0.0)
            )
            for key in keys
        ]
        if moved_only:
            found = [c for c in found if _moved(c.before, c.after)]
        found.sort(key=lambda change: (-abs(change.delta), change.demand))
        return tuple(found)

    def added(self) -> tuple[str, ...]:
        """Return the keys of demands that are new, in current order."""
        before = {d.key for d in self.previous.demands}
        return tuple(d.key for d in self.current.demands if d.key not in before)

    def removed(self) -> tuple[str, ...]:
        """Return the keys of demands that are gone, in previous order."""
        after = {d.key for d in self.current.demands}
        return tuple(d.key for d in self.previous.demands if d.key not in after)

    def amended(self) -> tuple[str, ...]:
        """Return the keys of demands kept but changed (amount, priority, …)."""
        before = {d.key: d for d in self.previous.demands}
        return tuple(
            d.key
            for d in self.current.demands
            if d.key in before and before[d.key] != d
        )

    def capacity_changes(self) -> tuple[CapacityChange, ...]:
        """Return resources whose capacity changed, or that appeared or went.

        In current pool order, then the removed resources in previous order.
        """
        before = self.previous.pool.capacities()
        after = self.current.pool.capacities()
        found = [
            CapacityChange(resource=key, before=before.get(key), after=capacity)
            for key, capacity in after.items()
            if key not in before or before[key] != capacity
        ]
        found += [
            CapacityChange(resource=key, before=capacity, after=None)
            for key, capacity in before.items()
            if key not in after
        ]
        return tuple(found)

    def used_delta(self) -> FrozenDict[str, float]:
        """Return the change in what each resource hands out (current pool first)."""
        before = self.previous.used()
        after = self.current.used()
        keys = list(after) + [k for k in before if k not in after]
        return FrozenDict(
            (key, after.get(key, 0.0) - before.get(key, 0.0)) for key in keys
        )


def reallocate(
    previous: Allocation,
    pool: ResourcePool,
    demands: Iterable[Demand],
    *,
    rule: AllocationRule | None = None,
) -> Reallocation:
    """Allocate again after demands or capacities changed, and report what moved.

    The new allocation is a fresh `allocate()` of ``pool`` and ``demands``;
    nothing already handed out is protected. To keep what was already spent,
    lower the capacity by it, or add it as a critical demand with that
    minimum.

    Parameters
    ----------
    previous
        The allocation being replaced.
    pool
        The resources now (capacities may have changed, resources come or go).
    demands
        The demands now (added, removed or changed).
    rule
        The rule to use; ``None`` (the default) keeps ``previous.rule``.

    Raises
    ------
    InvalidTypeError
        If ``previous`` is not an `Allocation`, or for the reasons
        `allocate()` gives.
    DuplicateKeyError, UnknownKeyError
        As `allocate()`.

    Examples
    --------
    >>> from crisisops.planning.resources import (
    ...     Demand,
    ...     Resource,
    ...     ResourceKind,
    ...     ResourcePool,
    ...     allocate,
    ...     reallocate,
    ... )
    >>> pool = ResourcePool(
    ...     [Resource(key="budget", kind=ResourceKind.MONEY, unit="CNY", capacity=100)]
    ... )
    >>> demands = [
    ...     Demand(key="ads", resource="budget", amount=80),
    ...     Demand(key="refunds", resource="budget", amount=80, critical=True),
    ... ]
    >>> first = allocate(pool, demands)
    >>> moved = reallocate(first, pool.with_capacity("budget", 150), demands)
    >>> [(c.demand, c.before, c.after, c.delta) for c in moved.changes()]
    [('ads', 20.0, 70.0, 50.0)]
    >>> [(c.resource, c.before, c.after) for c in moved.capacity_changes()]
    [('budget', 100, 150)]
    """
    if not isinstance(previous, Allocation):
        raise InvalidTypeError("previous", previous, "an Allocation")
    chosen = previous.rule if rule is None else _check_rule(rule)
    current = allocate(pool, demands, rule=chosen)
    return Reallocation(previous=previous, current=current)
