"""Shocks: time-bounded crises injected into a synthetic shop's drivers.

A shock is the cause of a crisis (危機), one per family of book §2, acting
on the `Drivers` of `crisisops.scenarios.shop` — traffic, conversion,
restocking, delays, availability, sentiment, cash — never on the KPIs
directly. The KPIs then move the way the model makes them move: a supplier
outage cuts restocking, stock runs down over the following days, and only
then do orders fall. Every shock records its `GroundTruth` (what happened,
the true crisis type of the taxonomy, when, to whom), so a drill can score
how fast and how well the warning system noticed it.

The shocks, the book's section for each, and the drivers they move:

* `DemandShift` – §2.1 市場需求變化: traffic.
* `PriceWar` – §2.1 市場競爭加劇: conversion, price, ctr.
* `PolicyChange` – §2.1 市場突發事件 (政策變化): traffic, settlement share.
* `SupplierOutage` – §2.3 供應鏈斷裂, §5.4 案例一 庫存危機: restock, over the
  supply network.
* `LogisticsDelay` – §2.6 物流配送危機 (物流延遲): delay rate.
* `ProductDefect` – §2.2 產品危機 (質量安全問題): defect rate (and social
  mentions and sentiment).
* `ServiceFailure` – §5.4 案例四 客戶服務危機: service failure rate.
* `SiteOutage` – §2.5 系統故障危機 (高並發): availability, error rate, payment
  failures, latency.
* `DataBreach` – §2.5 數據泄露, §5.4 案例三 數據安全危機: sentiment, mentions,
  traffic, through an opinion cascade over the stakeholder graph.
* `CashSqueeze` – §2.4 資金短缺危機: settlement share, extra outflow.

Timing. A shock acts from ``onset`` (inclusive) to ``end`` (exclusive): the
first period starting at or after ``onset`` feels it. Its strength can
climb linearly over ``ramp`` and fade linearly over ``recovery`` after
``end`` (a data breach's strength follows its opinion cascade instead).
Multiplicative effects (factors) compose in any order; a shock that sets a
level (a 30% delay rate) blends from whatever the earlier shocks left.

Examples
--------
>>> import datetime as dt
>>> from crisisops.scenarios import ShopProfile, SupplierOutage, simulate_shop
>>> start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> profile = ShopProfile.default(start, skus=20, days=90)
>>> outage = SupplierOutage(
...     key="supplier_01_fire",
...     failed=["supplier-01"],
...     onset=start + dt.timedelta(days=30),
...     end=start + dt.timedelta(days=60),
... )
>>> outage.drivers
('restock',)
>>> truth = outage.ground_truth(profile)
>>> truth.crisis_type, truth.onset == outage.onset
('supply_chain.breakage', True)
>>> truth.entities  # the SKUs downstream of supplier-01, then the shop
('sku-003', 'sku-004', 'sku-008', 'sku-013', 'sku-020', 'shop')
>>> run = simulate_shop(profile, [outage], seed=7)
>>> run.drivers.restock[0, 40, 3]  # sku-004 gets no restocking ...
np.float64(0.0)
>>> stockout = run.panel().metric_values("supply.stockout_rate")[:, 3]
>>> int(stockout[30:45].sum()), int(stockout[45:60].sum())  # ... then runs dry
(0, 15)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_unique_texts,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.scenarios import _generator as engine
from crisisops.scenarios._generator import SHOP_ENTITY, SKU_DRIVERS
from crisisops.stakeholders.diffusion import (
    DiffusionModel,
    Intervention,
    simulate_spread,
)
from crisisops.stakeholders.graph import StakeholderGraph
from crisisops.taxonomy import ResponseLevel

if TYPE_CHECKING:
    from crisisops.scenarios.shop import ShopProfile

__all__ = [
    "CashSqueeze",
    "DataBreach",
    "DemandShift",
    "GroundTruth",
    "LogisticsDelay",
    "PolicyChange",
    "PriceWar",
    "ProductDefect",
    "ServiceFailure",
    "Shock",
    "ShockContext",
    "SiteOutage",
    "SupplierOutage",
    "is_shock",
]

FloatArray = npt.NDArray[np.float64]
_ZERO = dt.timedelta(0)


# --- ground truth ---------------------------------------------------------------------


def _check_truth_entities(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    check_unique_texts(value, field_name(attribute), "entity")


@attrs.frozen(kw_only=True)
class GroundTruth:
    """What a shock really was: the answer key a drill is scored against.

    Attributes
    ----------
    shock
        The shock's key.
    kind
        The shock's class name, e.g. ``"SupplierOutage"``.
    crisis_type
        The true crisis type, a key of `crisisops.taxonomy.default_catalog()`
        such as ``"supply_chain.breakage"``.
    onset
        When the cause started (the first affected period starts at or after
        it). Effects can lag it: stock takes days to run out.
    end
        When the cause stopped (exclusive); effects may linger over the
        shock's recovery.
    entities
        Panel entities whose KPIs the shock moves: the SKUs affected, then
        ``"shop"`` (the shop row aggregates every SKU, so it is always
        affected).
    drivers
        The drivers the shock moved.
    level
        The true response level, if the scenario's author set one.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.scenarios import DemandShift, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> slump = DemandShift(key="slump", onset=day(3), end=day(6), traffic_factor=0.5)
    >>> truth: GroundTruth = slump.ground_truth(profile)  # without simulating
    >>> truth.kind, truth.crisis_type, truth.drivers
    ('DemandShift', 'market.demand_shift', ('traffic',))
    >>> truth.entities  # every SKU, then the shop row
    ('sku-001', 'sku-002', 'shop')
    >>> simulate_shop(profile, [slump], seed=1).truth("slump") == truth
    True
    """

    shock: str = attrs.field(validator=is_key())
    kind: str = attrs.field(validator=is_text())
    crisis_type: str = attrs.field(validator=is_key())
    onset: dt.datetime = attrs.field(validator=is_aware_datetime())
    end: dt.datetime = attrs.field(validator=is_aware_datetime())
    entities: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_check_truth_entities
    )
    drivers: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=is_tuple_of(is_key(dotted=False)),
    )
    level: ResponseLevel | None = attrs.field(
        default=None, validator=is_optional(is_enum(ResponseLevel))
    )

    def __attrs_post_init__(self) -> None:
        """Check that the shock ends after it starts and names known drivers."""
        if self.end <= self.onset:
            raise ValidationError(
                "end", self.end, f"a moment after onset ({self.onset.isoformat()})"
            )
        for index, name in enumerate(self.drivers):
            if name not in engine.DRIVERS:
                raise UnknownKeyError(
                    f"driver (drivers[{index}])", name, engine.DRIVERS
                )


# --- the scenario as shocks see it ----------------------------------------------------


class ShockContext:
    """A scenario as the shocks see it: calendar, SKUs, network, drivers.

    `simulate_shop` builds one with writable copies of the baseline drivers
    and hands it to each shock in turn (`check`, then `apply`). Shocks
    change ``drivers`` in place; the result becomes the run's `Drivers`.

    Parameters
    ----------
    profile
        The shop simulated.
    cal
        Its calendar (periods and their local features).
    runs
        Number of runs; a driver that varies by run gets a run axis this long.
    drivers
        ``{name: array}``, shape ``(1 or runs, T, E)`` or ``(1 or runs, T)``.

    Examples
    --------
    What `simulate_shop` does with each shock, on two drivers of a 4-day,
    2-SKU shop (the calendar is the profile's own):

    >>> import datetime as dt
    >>> import numpy as np
    >>> from crisisops.scenarios.shop import ShopProfile
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=4)
    >>> drivers = {"traffic": np.full((1, 4, 2), 100.0), "ctr": np.full((1, 4), 0.02)}
    >>> scene = ShockContext(profile, profile._cal(), 1, drivers)
    >>> slump = DemandShift(
    ...     key="slump",
    ...     onset=start + dt.timedelta(days=1),
    ...     end=start + dt.timedelta(days=3),
    ...     traffic_factor=0.5,
    ...     entities=["sku-002"],
    ... )
    >>> slump.check(scene)
    >>> truth = slump.apply(scene, np.random.default_rng(0))
    >>> scene.drivers["traffic"][0].tolist()  # periods x SKUs
    [[100.0, 100.0], [100.0, 50.0], [100.0, 50.0], [100.0, 100.0]]
    >>> scene.blend("ctr", 0.01, np.array([0.0, 0.0, 0.5, 1.0]))  # toward 1 %
    >>> scene.drivers["ctr"][0].tolist()
    [0.02, 0.02, 0.015, 0.01]
    >>> truth.entities, scene.position("sku-002")
    (('sku-002', 'shop'), 1)
    """

    def __init__(
        self,
        profile: ShopProfile,
        cal: engine.Calendar,
        runs: int,
        drivers: dict[str, FloatArray],
    ) -> None:
        """Keep the scenario's parts and index the SKUs."""
        self.profile = profile
        self.calendar = cal
        self.runs = runs
        self.drivers = drivers
        self.skus = profile.assortment.skus
        self._position = {sku: i for i, sku in enumerate(self.skus)}

    def position(self, sku: str) -> int:
        """Return the column of ``sku`` in the SKU drivers."""
        return self._position[sku]

    def columns(self, entities: tuple[str, ...] | None) -> slice | npt.NDArray[np.intp]:
        """Return the SKU columns of ``entities`` (all SKUs for ``None``)."""
        if entities is None:
            return slice(None)
        return np.array(sorted(self._position[sku] for sku in entities), dtype=np.intp)

    def check_entities(self, entities: tuple[str, ...] | None, field: str) -> None:
        """Check that every entity is a SKU of the profile."""
        for sku in entities or ():
            if sku not in self._position:
                raise UnknownKeyError(f"SKU (in {field})", sku, self.skus)

    def scale(
        self,
        name: str,
        factor: float,
        weight: FloatArray,
        columns: slice | npt.NDArray[np.intp] = slice(None),
    ) -> None:
        """Multiply a driver by ``1 + (factor − 1) × weight`` over the window.

        ``weight`` is the shock's strength, shape ``(T,)`` or ``(runs, T)``.
        """
        self._combine(
            name, weight, columns, lambda x, w: x * (1.0 + (factor - 1.0) * w)
        )

    def blend(
        self,
        name: str,
        level: float,
        weight: FloatArray,
        columns: slice | npt.NDArray[np.intp] = slice(None),
    ) -> None:
        """Move a driver toward ``level`` by ``weight``: ``x + (level − x) × w``."""
        self._combine(name, weight, columns, lambda x, w: x + (level - x) * w)

    def shift(
        self,
        name: str,
        amount: float,
        weight: FloatArray,
        *,
        low: float | None = None,
        high: float | None = None,
    ) -> None:
        """Add ``amount × weight`` to a shop driver, clipped to ``[low, high]``."""
        self._combine(
            name,
            weight,
            slice(None),
            lambda x, w: np.clip(x + amount * w, low, high),
        )

    def _combine(
        self,
        name: str,
        weight: FloatArray,
        columns: slice | npt.NDArray[np.intp],
        rule: Any,  # noqa: ANN401  a vectorised (values, weight) -> values function
    ) -> None:
        array = self.drivers[name]
        if weight.ndim == 2 and array.shape[0] != weight.shape[0]:
            array = np.broadcast_to(array, (weight.shape[0], *array.shape[1:])).copy()
            self.drivers[name] = array
        w = weight if weight.ndim == 2 else weight[np.newaxis]
        if name in SKU_DRIVERS:
            part = array[:, :, columns]
            array[:, :, columns] = rule(part, w[:, :, np.newaxis])
        else:
            array[...] = rule(array, w)


# --- the base of every shock ----------------------------------------------------------


def _check_crisis_type(instance: _Shock, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    allowed = type(instance).CRISIS_TYPES
    if not isinstance(value, str):
        raise InvalidTypeError(name, value, "a crisis-type key (str)")
    if value not in allowed:
        raise ValidationError(
            name,
            value,
            f"a crisis type this shock can be ({', '.join(allowed)})",
        )


def _check_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta")
    if value < _ZERO:
        raise ValidationError(name, value, "a duration >= 0")


def _to_float(value: float) -> float:
    """Turn an ``int`` into a ``float``; pass anything else to the validator."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _to_optional_keys(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """Turn a list of keys into a tuple; keep ``None`` (every SKU)."""
    return None if value is None else to_str_tuple(value)


def _check_optional_keys(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is not None:
        check_unique_texts(value, field_name(attribute), "SKU")


def _check_keys(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    check_unique_texts(value, field_name(attribute), "SKU")


def _positive(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_finite(low=0.0)(_instance, attribute, value)
    if value <= 0:
        raise ValidationError(field_name(attribute), value, "a factor > 0")


_SHARE = is_finite(low=0.0, high=1.0)
_NON_NEGATIVE = is_finite(low=0.0)


@attrs.frozen(kw_only=True)
class _Shock:
    """Fields and timing shared by every shock (see the module docstring).

    Attributes
    ----------
    key
        The shock's key, unique within a scenario, e.g. ``"supplier_fire"``.
    onset
        When it starts (aware); must lie within the scenario.
    end
        When it stops (aware, exclusive); after ``onset``, at most the
        scenario's end.
    ramp
        Time over which its strength climbs to full (default 0: at once).
    recovery
        Time over which its effect fades after ``end`` (default 0).
    level
        The true response level, if the scenario's author sets one.
    crisis_type
        The true crisis type: one of the class's ``CRISIS_TYPES`` (the first
        is the default).
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = ()

    key: str = attrs.field(validator=is_key())
    onset: dt.datetime = attrs.field(validator=is_aware_datetime())
    end: dt.datetime = attrs.field(validator=is_aware_datetime())
    ramp: dt.timedelta = attrs.field(default=_ZERO, validator=_check_duration)
    recovery: dt.timedelta = attrs.field(default=_ZERO, validator=_check_duration)
    level: ResponseLevel | None = attrs.field(
        default=None, validator=is_optional(is_enum(ResponseLevel))
    )

    def __attrs_post_init__(self) -> None:
        """Check that the shock ends after it starts."""
        if self.end <= self.onset:
            raise ValidationError(
                "end", self.end, f"a moment after onset ({self.onset.isoformat()})"
            )

    # --- what subclasses provide ------------------------------------------------

    @property
    def drivers(self) -> tuple[str, ...]:
        """The drivers this shock moves (with its parameters), in `DRIVERS` order."""
        raise NotImplementedError

    def _check_keys(self, scene: ShockContext, field: str) -> None:
        """Check the shock's entity or node keys against the scenario."""

    def _affected(self, scene: ShockContext) -> tuple[str, ...]:
        """Return the SKUs whose KPIs the shock moves (sorted by position)."""
        raise NotImplementedError

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        """Change the drivers in ``scene``; ``weight`` is the strength per period."""
        raise NotImplementedError

    # --- shared behaviour ------------------------------------------------------

    def check(self, scene: ShockContext, field: str = "shock") -> None:
        """Check that the shock fits the scenario: period and keys.

        Raises
        ------
        ValidationError
            If ``onset`` or ``end`` lies outside the scenario's period.
        UnknownKeyError
            For an entity or node key the scenario does not have.
        InvalidTypeError
            If ``scene`` is not a `ShockContext`.
        """
        if not isinstance(scene, ShockContext):
            raise InvalidTypeError("scene", scene, "a ShockContext")
        start = scene.profile.start
        stop = scene.calendar.end
        if not start <= self.onset < stop:
            raise ValidationError(
                f"{field}.onset",
                self.onset,
                f"a moment within the scenario [{start.isoformat()}, "
                f"{stop.isoformat()})",
            )
        if self.end > stop:
            raise ValidationError(
                f"{field}.end",
                self.end,
                f"a moment no later than the scenario's end ({stop.isoformat()})",
            )
        self._check_keys(scene, field)

    def apply(self, scene: ShockContext, rng: np.random.Generator) -> GroundTruth:
        """Change the drivers in ``scene`` and return the shock's ground truth.

        Call `check` first (`simulate_shop` does). ``rng`` is the shock's own
        random stream (only a data breach draws from it).

        Raises
        ------
        InvalidTypeError
            If ``scene`` is not a `ShockContext` or ``rng`` not a Generator.
        """
        if not isinstance(scene, ShockContext):
            raise InvalidTypeError("scene", scene, "a ShockContext")
        if not isinstance(rng, np.random.Generator):
            raise InvalidTypeError("rng", rng, "a numpy.random.Generator")
        cal = scene.calendar
        weight = engine.intensity(cal, self.onset, self.end, self.ramp, self.recovery)
        self._act(scene, weight, rng)
        return self._truth(scene)

    def _truth(self, scene: ShockContext) -> GroundTruth:
        return GroundTruth(
            shock=self.key,
            kind=type(self).__name__,
            crisis_type=self.crisis_type,
            onset=self.onset,
            end=self.end,
            entities=(*self._affected(scene), SHOP_ENTITY),
            drivers=self.drivers,
            level=self.level,
        )

    @property
    def crisis_type(self) -> str:
        """The true crisis type (a field on every concrete shock)."""
        raise NotImplementedError

    def _scene(self, profile: ShopProfile) -> ShockContext:
        from crisisops.scenarios.shop import ShopProfile  # noqa: PLC0415  cycle

        if not isinstance(profile, ShopProfile):
            raise InvalidTypeError("profile", profile, "a ShopProfile")
        cal = profile._cal()  # noqa: SLF001  same package
        return ShockContext(profile, cal, 1, {})

    def ground_truth(self, profile: ShopProfile) -> GroundTruth:
        """Return the ground truth this shock has in ``profile``, without simulating.

        Raises
        ------
        ValidationError, UnknownKeyError
            As `check`: the shock must fit the profile.
        """
        scene = self._scene(profile)
        self.check(scene)
        return self._truth(scene)

    def intensity(self, profile: ShopProfile) -> FloatArray:
        """Return the shock's strength per period of ``profile``, 0 to 1, shape (T,).

        For a data breach this is the window before its cascade shapes it.
        """
        scene = self._scene(profile)
        self.check(scene)
        return engine.intensity(
            scene.calendar, self.onset, self.end, self.ramp, self.recovery
        )


def _ordered(names: Iterable[str]) -> tuple[str, ...]:
    wanted = set(names)
    return tuple(name for name in engine.DRIVERS if name in wanted)


class _SkuShock(_Shock):
    """A shock on some SKUs (``entities``; ``None`` for every SKU)."""

    __slots__ = ()

    if TYPE_CHECKING:
        entities: tuple[str, ...] | None

    def _check_keys(self, scene: ShockContext, field: str) -> None:
        scene.check_entities(self.entities, f"{field}.entities")

    def _affected(self, scene: ShockContext) -> tuple[str, ...]:
        if self.entities is None:
            return scene.skus
        wanted = set(self.entities)
        return tuple(sku for sku in scene.skus if sku in wanted)


# --- market: demand, competition, policy ----------------------------------------------


@attrs.frozen(kw_only=True)
class DemandShift(_SkuShock):
    """Demand moves away (or surges): market demand shift, book §2.1.

    Book §2.1 市場需求變化帶來的危機: consumer demand shifts with trends,
    fashions and the economy; sales stall or fall. Traffic of the affected
    SKUs is multiplied by ``traffic_factor`` (0.6: a 40% drop; 1.5: a surge).

    Attributes
    ----------
    entities
        SKUs affected; ``None`` (default) for every SKU.
    traffic_factor
        Traffic multiplier at full strength (> 0).
    crisis_type
        ``market.demand_shift`` (default), ``other.market_change``,
        ``market.traffic_swing``, ``market.sudden_event`` or
        ``market.natural_disaster``.
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "market.demand_shift",
        "other.market_change",
        "market.traffic_swing",
        "market.sudden_event",
        "market.natural_disaster",
    )

    entities: tuple[str, ...] | None = attrs.field(
        default=None, converter=_to_optional_keys, validator=_check_optional_keys
    )
    traffic_factor: float = attrs.field(
        default=0.6, converter=_to_float, validator=_positive
    )
    crisis_type: str = attrs.field(
        default="market.demand_shift", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """``("traffic",)``, or nothing for a factor of 1."""
        return ("traffic",) if self.traffic_factor != 1.0 else ()

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        if self.traffic_factor != 1.0:
            scene.scale(
                "traffic", self.traffic_factor, weight, scene.columns(self.entities)
            )


@attrs.frozen(kw_only=True)
class PriceWar(_SkuShock):
    """A competitor undercuts us: intensifying competition, book §2.1.

    Book §2.1 市場競爭加劇: a rival's pricing and marketing take market share.
    Our conversion falls (``conversion_factor``), a matched price cut lowers
    our order value (``price_factor``), and competitors bidding on the same
    ads lower our click-through (``ctr_factor``).

    Attributes
    ----------
    entities
        SKUs in the price war; ``None`` (default) for every SKU.
    conversion_factor
        Conversion multiplier at full strength (> 0).
    price_factor
        Our price multiplier if we match (> 0; default 1.0: we do not).
    ctr_factor
        Click-through multiplier (> 0; a shop-wide driver).
    crisis_type
        ``market.competition`` (default), ``financial.profit_decline`` or
        ``other.market_change``.

    Examples
    --------
    A rival halves our conversion for three days; we cut prices by 10 %:

    >>> import datetime as dt
    >>> from crisisops.scenarios import PriceWar, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> war = PriceWar(
    ...     key="rival",
    ...     onset=day(3),
    ...     end=day(6),
    ...     conversion_factor=0.5,
    ...     price_factor=0.9,
    ... )
    >>> war.drivers
    ('conversion', 'price', 'ctr')
    >>> run = simulate_shop(profile, [war], seed=1)
    >>> (run.drivers.conversion / run.baseline.conversion)[0, :, 0].round(2).tolist()
    [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0, 1.0]
    >>> (run.drivers.ctr / run.baseline.ctr)[0].round(2).tolist()  # 0.85 by default
    [1.0, 1.0, 1.0, 0.85, 0.85, 0.85, 1.0, 1.0]
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "market.competition",
        "financial.profit_decline",
        "other.market_change",
    )

    entities: tuple[str, ...] | None = attrs.field(
        default=None, converter=_to_optional_keys, validator=_check_optional_keys
    )
    conversion_factor: float = attrs.field(
        default=0.75, converter=_to_float, validator=_positive
    )
    price_factor: float = attrs.field(
        default=1.0, converter=_to_float, validator=_positive
    )
    ctr_factor: float = attrs.field(
        default=0.85, converter=_to_float, validator=_positive
    )
    crisis_type: str = attrs.field(
        default="market.competition", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """The drivers whose factor is not 1: conversion, price, ctr."""
        moved = {
            "conversion": self.conversion_factor,
            "price": self.price_factor,
            "ctr": self.ctr_factor,
        }
        return _ordered(name for name, factor in moved.items() if factor != 1.0)

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        columns = scene.columns(self.entities)
        if self.conversion_factor != 1.0:
            scene.scale("conversion", self.conversion_factor, weight, columns)
            np.minimum(
                scene.drivers["conversion"], 1.0, out=scene.drivers["conversion"]
            )
        if self.price_factor != 1.0:
            scene.scale("price", self.price_factor, weight, columns)
        if self.ctr_factor != 1.0:
            scene.scale("ctr", self.ctr_factor, weight)
            np.minimum(scene.drivers["ctr"], 1.0, out=scene.drivers["ctr"])


@attrs.frozen(kw_only=True)
class PolicyChange(_SkuShock):
    """A platform or government policy changes the rules: book §2.1.

    Book §2.1 市場突發事件 (政策變化): a policy change can alter how a shop
    may operate. Traffic of the affected SKUs (e.g. a restricted category)
    is multiplied by ``traffic_factor``, and a fee rise lowers the share of
    GMV the platform settles (``fee_increase``).

    Attributes
    ----------
    entities
        SKUs affected (e.g. ``assortment.in_categories("food")``); ``None``
        (default) for every SKU.
    traffic_factor
        Traffic multiplier at full strength (> 0).
    fee_increase
        Extra share of GMV the platform keeps, in [0, 1].
    crisis_type
        ``market.policy_change`` (default) or ``market.sudden_event``.

    Examples
    --------
    A rule halves the traffic of one SKU and the platform keeps 3 points
    more of the GMV:

    >>> import datetime as dt
    >>> from crisisops.scenarios import PolicyChange, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> rule = PolicyChange(
    ...     key="new_rule",
    ...     onset=day(3),
    ...     end=day(6),
    ...     entities=["sku-001"],
    ...     traffic_factor=0.5,
    ...     fee_increase=0.03,
    ... )
    >>> run = simulate_shop(profile, [rule], seed=1)
    >>> ratio = run.drivers.traffic / run.baseline.traffic
    >>> ratio[0, :, 0].round(2).tolist(), ratio[0, :, 1].round(2).tolist()
    ([1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    >>> run.drivers.settlement_share[0].round(2).tolist()  # 95 % settled, then 92 %
    [0.95, 0.95, 0.95, 0.92, 0.92, 0.92, 0.95, 0.95]
    >>> rule.ground_truth(profile).entities
    ('sku-001', 'shop')
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "market.policy_change",
        "market.sudden_event",
    )

    entities: tuple[str, ...] | None = attrs.field(
        default=None, converter=_to_optional_keys, validator=_check_optional_keys
    )
    traffic_factor: float = attrs.field(
        default=0.7, converter=_to_float, validator=_positive
    )
    fee_increase: float = attrs.field(
        default=0.0, converter=_to_float, validator=_SHARE
    )
    crisis_type: str = attrs.field(
        default="market.policy_change", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """``traffic`` (factor not 1) and ``settlement_share`` (a fee rise)."""
        moved = []
        if self.traffic_factor != 1.0:
            moved.append("traffic")
        if self.fee_increase > 0.0:
            moved.append("settlement_share")
        return _ordered(moved)

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        if self.traffic_factor != 1.0:
            scene.scale(
                "traffic", self.traffic_factor, weight, scene.columns(self.entities)
            )
        if self.fee_increase > 0.0:
            scene.shift("settlement_share", -self.fee_increase, weight, low=0.0)


# --- supply chain ---------------------------------------------------------------------


def _to_failed(value: Iterable[str] | Mapping[str, float]) -> FrozenDict[str, float]:
    """Turn node keys (each losing everything) or a mapping into a `FrozenDict`."""
    if isinstance(value, Mapping):
        return FrozenDict((key, _to_float(share)) for key, share in value.items())
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # the validator reports it
    return FrozenDict((key, 1.0) for key in value)


def _check_failed(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(
            name,
            value,
            "node keys, or a mapping of node key to the share of output lost",
        )
    if not value:
        raise ValidationError(name, value, "at least one supply-node key")
    for key, share in value.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidTypeError(name, key, "supply-node keys (non-blank str)")
        is_finite(low=0.0, high=1.0)(None, _Item(f"{name}[{key!r}]"), share)
        if share <= 0:
            raise ValidationError(f"{name}[{key!r}]", share, "a share lost in (0, 1]")


class _Item:
    __slots__ = ("alias", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.alias = name


@attrs.frozen(kw_only=True)
class SupplierOutage(_Shock):
    """Suppliers stop delivering; the SKUs downstream run dry: book §2.3.

    Book §2.3 供應鏈斷裂風險: a supplier's production problem, a transport
    hold-up or a natural disaster leaves goods short. The failed nodes of the
    profile's `SupplyNetwork` lose ``failed[node]`` of their output;
    `SupplyNetwork.outage_impact` propagates it to every SKU downstream
    (連鎖反應), whose ``restock`` driver falls by its lost share. Stock on
    hand keeps selling, so sales only fall once it runs out — the inventory
    crisis in peak season of book §5.4 (案例一) when the outage hits before
    a promotion.

    Attributes
    ----------
    failed
        Node keys (a list: each loses all output) or ``{node: share lost}``
        with shares in (0, 1].
    crisis_type
        ``supply_chain.breakage`` (default), ``supply_chain.inventory``,
        ``supply_chain.peak_season_stockout``, ``product.supply_issue`` or
        ``market.natural_disaster``.
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "supply_chain.breakage",
        "supply_chain.inventory",
        "supply_chain.peak_season_stockout",
        "product.supply_issue",
        "market.natural_disaster",
    )

    failed: FrozenDict[str, float] = attrs.field(
        converter=_to_failed, validator=_check_failed
    )
    crisis_type: str = attrs.field(
        default="supply_chain.breakage", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """``("restock",)``."""
        return ("restock",)

    def _check_keys(self, scene: ShockContext, field: str) -> None:
        network = scene.profile.network
        if network is None:
            raise ValidationError(
                f"{field}.failed",
                dict(self.failed),
                "nodes of the profile's supply network (profile.network is None)",
            )
        known = {node.key for node in network.nodes}
        for key in self.failed:
            if key not in known:
                raise UnknownKeyError(f"supply node (in {field}.failed)", key, known)

    def _lost(self, scene: ShockContext) -> FloatArray:
        network = scene.profile.network
        assert network is not None  # noqa: S101  checked
        impact = network.outage_impact(dict(self.failed))
        lost = np.zeros(len(scene.skus))
        for sku, share in impact.lost_share.items():
            lost[scene.position(sku)] = share
        return lost

    def _affected(self, scene: ShockContext) -> tuple[str, ...]:
        lost = self._lost(scene)
        return tuple(
            sku
            for sku, share in zip(scene.skus, lost.tolist(), strict=True)
            if share > 0
        )

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        lost = self._lost(scene)
        columns = np.flatnonzero(lost > 0)
        if columns.size:
            restock = scene.drivers["restock"]
            cut = 1.0 - np.multiply.outer(weight, lost[columns])
            restock[:, :, columns] *= cut[np.newaxis]


# --- logistics, product, service ------------------------------------------------------


@attrs.frozen(kw_only=True)
class LogisticsDelay(_SkuShock):
    """Parcels arrive late: the logistics and delivery crisis, book §2.6.

    Book §2.6 物流配送危機 (物流延遲): delays lead to dissatisfaction and
    complaints. The late-delivery rate of the affected SKUs moves to
    ``delay_rate``; late orders then bring complaints and negative reviews.

    Attributes
    ----------
    entities
        SKUs affected (e.g. those shipped from one warehouse); ``None``
        (default) for every SKU.
    delay_rate
        Share of orders delivered late at full strength, in [0, 1].
    crisis_type
        ``other.logistics_delay`` (default), ``other.logistics`` or
        ``market.natural_disaster``.

    Examples
    --------
    A typhoon: the late-delivery rate climbs over two days from the base 4 %
    to 30 % (a third of the way each day), and falls back when it ends:

    >>> import datetime as dt
    >>> from crisisops.scenarios import LogisticsDelay, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> typhoon = LogisticsDelay(
    ...     key="typhoon",
    ...     onset=day(2),
    ...     end=day(6),
    ...     ramp=dt.timedelta(days=2),
    ...     delay_rate=0.3,
    ...     crisis_type="market.natural_disaster",
    ... )
    >>> typhoon.intensity(profile).round(2).tolist()
    [0.0, 0.0, 0.33, 0.67, 1.0, 1.0, 0.0, 0.0]
    >>> run = simulate_shop(profile, [typhoon], seed=1)
    >>> run.drivers.delay_rate[0, :, 0].round(3).tolist()
    [0.04, 0.04, 0.127, 0.213, 0.3, 0.3, 0.04, 0.04]
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "other.logistics_delay",
        "other.logistics",
        "market.natural_disaster",
    )

    entities: tuple[str, ...] | None = attrs.field(
        default=None, converter=_to_optional_keys, validator=_check_optional_keys
    )
    delay_rate: float = attrs.field(default=0.3, converter=_to_float, validator=_SHARE)
    crisis_type: str = attrs.field(
        default="other.logistics_delay", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """``("delay_rate",)``."""
        return ("delay_rate",)

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        scene.blend("delay_rate", self.delay_rate, weight, scene.columns(self.entities))


@attrs.frozen(kw_only=True)
class ProductDefect(_SkuShock):
    """A batch is defective: the product quality and safety crisis, book §2.2.

    Book §2.2 產品危機 (質量安全問題, 性能問題, 設計缺陷): once consumers find a
    problem and spread it, returns and complaints follow. The defect rate of
    the affected SKUs moves to ``defect_rate``, so refunds, complaints and
    negative reviews rise; optionally the story reaches social media
    (``mentions_factor``, ``sentiment_drop``).

    Attributes
    ----------
    entities
        The defective SKUs (at least one).
    defect_rate
        Share of sold units defective at full strength, in [0, 1].
    mentions_factor
        Multiplier of the shop's social mentions (> 0; default 1: none).
    sentiment_drop
        Fall of the shop's average sentiment (in [0, 2]; default 0).
    crisis_type
        ``product.quality_safety`` (default), ``product.performance``,
        ``product.design_defect``, ``supply_chain.quality_control`` or
        ``other.logistics_damage``.

    Examples
    --------
    One SKU ships a bad batch (20 % defective) and the story triples the
    shop's mentions and costs half a point of sentiment:

    >>> import datetime as dt
    >>> from crisisops.scenarios import ProductDefect, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> batch = ProductDefect(
    ...     key="bad_batch",
    ...     onset=day(3),
    ...     end=day(6),
    ...     entities=["sku-002"],
    ...     defect_rate=0.2,
    ...     mentions_factor=3,
    ...     sentiment_drop=0.5,
    ... )
    >>> batch.drivers
    ('defect_rate', 'sentiment', 'mentions')
    >>> run = simulate_shop(profile, [batch], seed=1)
    >>> run.drivers.defect_rate[0, 2:7, 1].round(3).tolist()
    [0.006, 0.2, 0.2, 0.2, 0.006]
    >>> run.drivers.sentiment[0, 2:7].round(2).tolist()  # 0.35 - 0.5
    [0.35, -0.15, -0.15, -0.15, 0.35]
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "product.quality_safety",
        "product.performance",
        "product.design_defect",
        "supply_chain.quality_control",
        "other.logistics_damage",
    )

    entities: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_check_keys
    )
    defect_rate: float = attrs.field(default=0.1, converter=_to_float, validator=_SHARE)
    mentions_factor: float = attrs.field(
        default=1.0, converter=_to_float, validator=_positive
    )
    sentiment_drop: float = attrs.field(
        default=0.0, converter=_to_float, validator=is_finite(low=0.0, high=2.0)
    )
    crisis_type: str = attrs.field(
        default="product.quality_safety", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """``defect_rate``, plus ``mentions`` and ``sentiment`` if set."""
        moved = ["defect_rate"]
        if self.mentions_factor != 1.0:
            moved.append("mentions")
        if self.sentiment_drop > 0.0:
            moved.append("sentiment")
        return _ordered(moved)

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        scene.blend(
            "defect_rate", self.defect_rate, weight, scene.columns(self.entities)
        )
        if self.mentions_factor != 1.0:
            scene.scale("mentions", self.mentions_factor, weight)
        if self.sentiment_drop > 0.0:
            scene.shift("sentiment", -self.sentiment_drop, weight, low=-1.0, high=1.0)


@attrs.frozen(kw_only=True)
class ServiceFailure(_SkuShock):
    """Customer service breaks down: the case of book §5.4 (案例四).

    Book §5.4 客戶服務危機應對實踐: problems in customer service turn into a
    crisis of complaints. The share of orders with a service failure moves
    to ``service_failure_rate``: complaints, negative reviews and the rating
    follow.

    Attributes
    ----------
    entities
        SKUs affected; ``None`` (default) for every SKU.
    service_failure_rate
        Share of orders badly served at full strength, in [0, 1].
    crisis_type
        ``other.customer_service_failure``.

    Examples
    --------
    Customer service fails one order in seven for three days, then recovers
    over two:

    >>> import datetime as dt
    >>> from crisisops.scenarios import ServiceFailure, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> breakdown = ServiceFailure(
    ...     key="cs_down", onset=day(3), end=day(6), recovery=dt.timedelta(days=2)
    ... )
    >>> run = simulate_shop(profile, [breakdown], seed=1)
    >>> run.drivers.service_failure_rate[0, :, 0].round(3).tolist()
    [0.01, 0.01, 0.01, 0.15, 0.15, 0.15, 0.103, 0.057]
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = ("other.customer_service_failure",)

    entities: tuple[str, ...] | None = attrs.field(
        default=None, converter=_to_optional_keys, validator=_check_optional_keys
    )
    service_failure_rate: float = attrs.field(
        default=0.15, converter=_to_float, validator=_SHARE
    )
    crisis_type: str = attrs.field(
        default="other.customer_service_failure", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """``("service_failure_rate",)``."""
        return ("service_failure_rate",)

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        scene.blend(
            "service_failure_rate",
            self.service_failure_rate,
            weight,
            scene.columns(self.entities),
        )


# --- technical ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SiteOutage(_Shock):
    """The site buckles under load: the system failure crisis, book §2.5.

    Book §2.5 系統故障危機: under heavy traffic (高並發) a platform may crash or
    slow down, delaying orders and costing trust. Availability, error rate
    and payment failures move to the given levels and latency is multiplied;
    visits and orders are lost in proportion to the downtime and the failed
    payments. `at_peak` places the outage at a promotion's peak.

    Attributes
    ----------
    availability
        Share of the period the site is up at full strength, in [0, 1].
    error_rate
        Share of requests failing at full strength, in [0, 1].
    payment_failure_rate
        Share of payment attempts failing at full strength, in [0, 1].
    latency_factor
        Multiplier of the p95 latency (> 0).
    crisis_type
        ``technical.system_failure`` (default), ``other.technology_lag`` or
        ``technical.network_security``.

    Examples
    --------
    `at_peak` puts the outage on Double 11; with daily periods it lasts the
    whole day:

    >>> import datetime as dt
    >>> from crisisops.scenarios import ShopProfile, SiteOutage, simulate_shop
    >>> start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=14)
    >>> crash = SiteOutage.at_peak(profile, "double_eleven")
    >>> crash.onset.isoformat(), crash.end.isoformat()
    ('2026-11-11T00:00:00+08:00', '2026-11-12T00:00:00+08:00')
    >>> run = simulate_shop(profile, [crash], seed=1)
    >>> run.drivers.availability[0, 9:12].tolist()  # up 99.9 %, then 60 %
    [0.999, 0.6, 0.999]
    >>> (run.drivers.latency_ms / run.baseline.latency_ms)[0, 9:12].tolist()
    [1.0, 4.0, 1.0]
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "technical.system_failure",
        "other.technology_lag",
        "technical.network_security",
    )

    availability: float = attrs.field(
        default=0.6, converter=_to_float, validator=_SHARE
    )
    error_rate: float = attrs.field(default=0.15, converter=_to_float, validator=_SHARE)
    payment_failure_rate: float = attrs.field(
        default=0.2, converter=_to_float, validator=_SHARE
    )
    latency_factor: float = attrs.field(
        default=4.0, converter=_to_float, validator=_positive
    )
    crisis_type: str = attrs.field(
        default="technical.system_failure", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """Availability, error rate, payment failures, and latency (factor not 1)."""
        moved = ["availability", "error_rate", "payment_failure_rate"]
        if self.latency_factor != 1.0:
            moved.append("latency_ms")
        return _ordered(moved)

    def _affected(self, scene: ShockContext) -> tuple[str, ...]:
        return scene.skus

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        scene.blend("availability", self.availability, weight)
        scene.blend("error_rate", self.error_rate, weight)
        scene.blend("payment_failure_rate", self.payment_failure_rate, weight)
        if self.latency_factor != 1.0:
            scene.scale("latency_ms", self.latency_factor, weight)

    @classmethod
    def at_peak(
        cls,
        profile: ShopProfile,
        promotion: str,
        *,
        key: str = "site_outage",
        duration: dt.timedelta = dt.timedelta(hours=6),
        **settings: Any,  # noqa: ANN401  the other fields of SiteOutage
    ) -> SiteOutage:
        """Return an outage starting at the first peak of ``promotion`` in ``profile``.

        The outage starts at local midnight of the peak day (when a festival
        opens and traffic spikes) and lasts ``duration`` (at least one
        period of the profile). Other fields pass through ``settings``.

        Raises
        ------
        UnknownKeyError
            If the profile has no promotion ``promotion``.
        ValidationError
            If its peak is not within the profile's period.
        """
        if not isinstance(duration, dt.timedelta):
            raise InvalidTypeError("duration", duration, "a datetime.timedelta")
        keys = [promo.key for promo in profile.demand.promotions]
        if promotion not in keys:
            raise UnknownKeyError("promotion", promotion, keys)
        peaks = [
            moment for name, moment in profile.promotion_peaks() if name == promotion
        ]
        if not peaks:
            raise ValidationError(
                "promotion",
                promotion,
                "a promotion whose peak falls within the profile's period",
            )
        step = dt.timedelta(hours=24 // profile.periods_per_day)
        end = min(peaks[0] + max(duration, step), profile.end)
        return cls(key=key, onset=peaks[0], end=end, **settings)


def _check_seeds(instance: DataBreach, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    check_unique_texts(value, name, "stakeholder")
    graph = instance.stakeholders
    if isinstance(graph, StakeholderGraph):
        for key in value:
            if key not in graph:
                raise UnknownKeyError(f"stakeholder (in {name})", key, graph.keys)


def _check_step(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(_instance, attribute, value)
    if value <= _ZERO:
        raise ValidationError(field_name(attribute), value, "a duration > 0")


def _to_model(value: DiffusionModel | str) -> DiffusionModel:
    """Accept a `DiffusionModel` or its value, e.g. ``"linear_threshold"``."""
    if isinstance(value, str):
        try:
            return DiffusionModel(value)
        except ValueError:
            return value  # type: ignore[return-value]  # the validator reports it
    return value


def _check_graph(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, StakeholderGraph):
        raise InvalidTypeError(name, value, "a StakeholderGraph")
    if len(value) == 0:
        raise ValidationError(name, value, "a graph with at least one stakeholder")


@attrs.frozen(kw_only=True)
class DataBreach(_Shock):
    """Customer data leaks and the news spreads: book §2.5 and §5.4 (案例三).

    Book §2.5 數據丟失與泄露危機 and the case of §5.4 (數據安全危機應對實踐):
    a breach is a technical crisis that becomes a trust crisis as word
    spreads. Negative opinion cascades over the stakeholder graph from
    ``seeds`` (`simulate_spread`, independent cascade by default; one
    cascade step per ``step`` of time, each run with its own cascade). With
    ``share(r, t)`` the fraction of stakeholders negative in run ``r`` by
    period ``t`` (the run's final reach, timed by the mean cascade):

    * sentiment falls by ``sentiment_drop × share``;
    * mentions rise by the factor ``1 + (mentions_factor − 1) × share``;
    * traffic of every SKU falls by ``traffic_loss × share``.

    After ``end`` (the breach contained and answered) the effects fade over
    ``recovery``. ``interventions`` (our messages) slow the cascade.

    Attributes
    ----------
    stakeholders
        The `StakeholderGraph` the news travels on (influence weights as
        cascade probabilities).
    seeds
        Stakeholders negative at the onset (e.g. the affected customers).
    step
        Time one cascade step takes (> 0; default one day).
    sentiment_drop
        Fall of sentiment if every stakeholder turns negative (in [0, 2]).
    traffic_loss
        Share of traffic lost if every stakeholder turns negative, in [0, 1].
    mentions_factor
        Mentions multiplier if every stakeholder turns negative (> 0).
    interventions
        `Intervention` s from `crisisops.stakeholders` (our communication).
    model
        The `DiffusionModel` (default independent cascade).
    crisis_type
        ``technical.data_security_breach`` (default),
        ``technical.data_loss_leak``, ``technical.network_security``,
        ``market.brand_damage`` or ``other.brand_image``.

    Examples
    --------
    A chain of four stakeholders where everyone passes the story on (weight
    1): one more of the four turns negative each day, so a quarter of the
    drops and rises is added each day from the onset:

    >>> import datetime as dt
    >>> from crisisops.scenarios import DataBreach, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> from crisisops.stakeholders.graph import (
    ...     Influence,
    ...     Stakeholder,
    ...     StakeholderGraph,
    ... )
    >>> def who(key, kind):
    ...     return Stakeholder(
    ...         key=key,
    ...         name=key.title(),
    ...         kind=kind,
    ...         power=0.5,
    ...         legitimacy=0.5,
    ...         urgency=0.5,
    ...         interest=0.5,
    ...     )
    >>> chain = StakeholderGraph(
    ...     stakeholders=[
    ...         who("buyers", "customers"),
    ...         who("kol", "influencers"),
    ...         who("press", "media"),
    ...         who("public", "public"),
    ...     ],
    ...     influences=[
    ...         Influence(source="buyers", target="kol", weight=1.0),
    ...         Influence(source="kol", target="press", weight=1.0),
    ...         Influence(source="press", target="public", weight=1.0),
    ...     ],
    ... )
    >>> leak = DataBreach(
    ...     key="leak",
    ...     onset=day(2),
    ...     end=day(7),
    ...     stakeholders=chain,
    ...     seeds=["buyers"],
    ...     traffic_loss=0.4,
    ...     mentions_factor=5,
    ... )
    >>> run = simulate_shop(profile, [leak], seed=1)
    >>> run.drivers.sentiment[0].round(2).tolist()  # 0.35 - share of 4
    [0.35, 0.35, 0.1, -0.15, -0.4, -0.65, -0.65, 0.35]
    >>> (run.drivers.traffic / run.baseline.traffic)[0, :, 0].round(2).tolist()
    [1.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.6, 1.0]
    >>> (run.drivers.mentions / run.baseline.mentions)[0].round(2).tolist()
    [1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 1.0]
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "technical.data_security_breach",
        "technical.data_loss_leak",
        "technical.network_security",
        "market.brand_damage",
        "other.brand_image",
    )

    stakeholders: StakeholderGraph = attrs.field(validator=_check_graph)
    seeds: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_check_seeds)
    step: dt.timedelta = attrs.field(
        default=dt.timedelta(days=1), validator=_check_step
    )
    sentiment_drop: float = attrs.field(
        default=1.0, converter=_to_float, validator=is_finite(low=0.0, high=2.0)
    )
    traffic_loss: float = attrs.field(
        default=0.3, converter=_to_float, validator=_SHARE
    )
    mentions_factor: float = attrs.field(
        default=20.0, converter=_to_float, validator=_positive
    )
    interventions: tuple[Intervention, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Intervention, "an Intervention")),
    )
    model: DiffusionModel = attrs.field(
        default=DiffusionModel.INDEPENDENT_CASCADE,
        converter=_to_model,
        validator=is_enum(DiffusionModel),
    )
    crisis_type: str = attrs.field(
        default="technical.data_security_breach", validator=_check_crisis_type
    )

    def __attrs_post_init__(self) -> None:
        """Check the window; the cascade, not a ramp, sets how fast it rises."""
        super().__attrs_post_init__()
        if self.ramp != _ZERO:
            raise ValidationError(
                "ramp", self.ramp, "0 for a data breach (its cascade sets the rise)"
            )

    @property
    def drivers(self) -> tuple[str, ...]:
        """Sentiment (a drop), mentions (factor not 1) and traffic (a loss)."""
        moved = []
        if self.sentiment_drop > 0.0:
            moved.append("sentiment")
        if self.mentions_factor != 1.0:
            moved.append("mentions")
        if self.traffic_loss > 0.0:
            moved.append("traffic")
        return _ordered(moved)

    def _affected(self, scene: ShockContext) -> tuple[str, ...]:
        return scene.skus if self.traffic_loss > 0.0 else ()

    def spread_share(self, scene: ShockContext, rng: np.random.Generator) -> FloatArray:
        """Return the share of stakeholders negative per run and period, (runs, T)."""
        cal = scene.calendar
        window = (self.end - self.onset) / self.step
        steps = max(1, math.ceil(window))
        result = simulate_spread(
            self.stakeholders,
            self.seeds,
            rng=rng,
            runs=scene.runs,
            model=self.model,
            interventions=self.interventions,
            max_steps=steps,
        )
        cumulative = result.cumulative_counts
        timing = cumulative / cumulative[-1]
        elapsed = (cal.seconds - self.onset.timestamp()) / self.step.total_seconds()
        index = np.clip(np.floor(elapsed).astype(np.int64), 0, timing.size - 1)
        inside = np.where(elapsed >= 0.0, timing[index], 0.0)
        fade = engine.intensity(cal, self.onset, self.end, _ZERO, self.recovery)
        stop = self.end.timestamp()
        profile = np.where(cal.seconds < stop, inside, fade * timing[-1])
        share = result.reach.astype(np.float64) / len(self.stakeholders)
        return np.multiply.outer(share, profile)

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del weight
        share = self.spread_share(scene, rng)
        if self.sentiment_drop > 0.0:
            scene.shift("sentiment", -self.sentiment_drop, share, low=-1.0, high=1.0)
        if self.mentions_factor != 1.0:
            scene.scale("mentions", self.mentions_factor, share)
        if self.traffic_loss > 0.0:
            scene.scale("traffic", 1.0 - self.traffic_loss, share)


# --- financial ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CashSqueeze(_Shock):
    """Cash stops coming in or rushes out: the cash shortage crisis, book §2.4.

    Book §2.4 資金短缺危機 and 資金鏈管理危機: without cash a shop cannot pay
    its running costs, its purchasing or its logistics. The platform
    withholds ``withheld_share`` of settlements (a frozen account, a
    deposit demand) and/or ``extra_outflow_per_day`` leaves the shop (a
    called loan, suppliers demanding prepayment); balance and runway fall.

    Attributes
    ----------
    withheld_share
        Share of settlements withheld at full strength, in [0, 1].
    extra_outflow_per_day
        Extra cash out per day in CNY at full strength (>= 0).
    crisis_type
        ``financial.cash_shortage`` (default), ``financial.cash_chain``,
        ``financial.credit_risk`` or ``financial.risk_control``.

    Examples
    --------
    The platform freezes half of the settlements and a loan is called at
    CNY 1,000 a day; no SKU is touched, only the shop row:

    >>> import datetime as dt
    >>> from crisisops.scenarios import CashSqueeze, ShopProfile, simulate_shop
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=8)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> squeeze = CashSqueeze(
    ...     key="frozen",
    ...     onset=day(3),
    ...     end=day(6),
    ...     withheld_share=0.5,
    ...     extra_outflow_per_day=1_000,
    ... )
    >>> run = simulate_shop(profile, [squeeze], seed=1)
    >>> run.drivers.settlement_share[0].round(3).tolist()  # 95 %, then half of it
    [0.95, 0.95, 0.95, 0.475, 0.475, 0.475, 0.95, 0.95]
    >>> run.drivers.extra_outflow[0].tolist()
    [0.0, 0.0, 0.0, 1000.0, 1000.0, 1000.0, 0.0, 0.0]
    >>> squeeze.ground_truth(profile).entities
    ('shop',)
    """

    CRISIS_TYPES: ClassVar[tuple[str, ...]] = (
        "financial.cash_shortage",
        "financial.cash_chain",
        "financial.credit_risk",
        "financial.risk_control",
    )

    withheld_share: float = attrs.field(
        default=0.5, converter=_to_float, validator=_SHARE
    )
    extra_outflow_per_day: float = attrs.field(
        default=0.0, converter=_to_float, validator=_NON_NEGATIVE
    )
    crisis_type: str = attrs.field(
        default="financial.cash_shortage", validator=_check_crisis_type
    )

    @property
    def drivers(self) -> tuple[str, ...]:
        """``settlement_share`` (a share withheld) and ``extra_outflow``."""
        moved = []
        if self.withheld_share > 0.0:
            moved.append("settlement_share")
        if self.extra_outflow_per_day > 0.0:
            moved.append("extra_outflow")
        return _ordered(moved)

    def _affected(self, scene: ShockContext) -> tuple[str, ...]:
        del scene
        return ()

    def _act(
        self, scene: ShockContext, weight: FloatArray, rng: np.random.Generator
    ) -> None:
        del rng
        if self.withheld_share > 0.0:
            scene.scale("settlement_share", 1.0 - self.withheld_share, weight)
        if self.extra_outflow_per_day > 0.0:
            per_period = self.extra_outflow_per_day / scene.calendar.periods_per_day
            scene.shift("extra_outflow", per_period, weight, low=0.0)


#: Any shock: the union `simulate_shop` accepts (tagged by class in plain data).
Shock: TypeAlias = (
    DemandShift
    | PriceWar
    | PolicyChange
    | SupplierOutage
    | LogisticsDelay
    | ProductDefect
    | ServiceFailure
    | SiteOutage
    | DataBreach
    | CashSqueeze
)

_SHOCK_CLASSES: tuple[type, ...] = (
    DemandShift,
    PriceWar,
    PolicyChange,
    SupplierOutage,
    LogisticsDelay,
    ProductDefect,
    ServiceFailure,
    SiteOutage,
    DataBreach,
    CashSqueeze,
)


def is_shock(value: object) -> bool:
    """Return whether ``value`` is one of the shock classes of this module.

    Examples
    --------
    `Shock` is the union of the ten shock classes, for type hints:

    >>> import datetime as dt
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
    >>> shock: Shock = DemandShift(
    ...     key="slump", onset=start, end=start + dt.timedelta(days=3)
    ... )
    >>> is_shock(shock), is_shock("slump")
    (True, False)
    >>> len(Shock.__args__), Shock.__args__[0].__name__
    (10, 'DemandShift')
    """
    return isinstance(value, _SHOCK_CLASSES)
