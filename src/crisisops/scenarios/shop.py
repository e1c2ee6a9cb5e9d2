"""A synthetic e-commerce shop: seeded KPI panels for drills and what-ifs.

The book asks a team to rehearse (模擬演練, book §4 成立危機應對小組) and to
predict crises from data (數據分析預測潛在危機, book §1). Both need data whose
truth is known. This module generates it: a shop of SKUs whose key
indicators (關鍵指標, book §3) come from a small causal model, so a shock
injected into the model (`crisisops.scenarios.shocks`) shows up in the KPIs
the way a real crisis would, and the moment it started is on record.

The model, per period (day or hour) and SKU:

* **Traffic** (用戶訪問量): base visits × annual growth × weekly seasonality
  (× the daily profile for hourly data) × promotion peaks — 618 (June 18)
  and Double 11 (雙十一, November 11) by default, each with a pre-peak ramp.
* **Orders** (訂單量): each visit converts with the conversion rate, so
  orders given visits are binomial; visits are Poisson or negative binomial
  (a gamma–Poisson mixture with a dispersion parameter).
* **Stock** (庫存): an inventory per SKU sells down and is restocked from
  its supplier with a lead time (order-up-to policy); a stock-out caps
  sales, so conversion and GMV (銷售額) fall with it.
* **What follows the orders**: late deliveries (物流延遲), defects, service
  failures → negative reviews (負面評價), complaints (投訴), refunds (退貨退款).
* **The shop as a whole**: social mentions and sentiment, technical health
  (availability, error rate, payment failures, latency), advertising, and
  the cash balance and runway (資金).

The causes live in `Drivers` (per period × SKU arrays such as ``traffic``,
``conversion``, ``restock``, ``delay_rate``); shocks change drivers, never
KPIs. The KPIs are named with the keys of `default_metrics()`; the shop
row of the panel (entity `SHOP_ENTITY`, ``"shop"``) holds sums and ratios
over the SKUs and the shop-only indicators, which are NaN in the SKU rows.

`simulate_shop` runs the model for one or many runs at once: every array
of a `ShopRun` has a leading run axis, ``(runs, periods, SKUs)`` (length 1
for a single run); only the stock recursion loops over periods.

Examples
--------
>>> import datetime as dt
>>> from crisisops.scenarios import ShopProfile, simulate_shop
>>> start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> profile = ShopProfile.default(start, skus=20, days=60)
>>> run = simulate_shop(profile, seed=2026)
>>> panel = run.panel()
>>> panel.values.shape  # 60 days x (20 SKUs + the shop) x 25 KPIs
(60, 21, 25)
>>> orders = panel.metric_values("sales.orders")
>>> bool((orders[:, -1] == orders[:, :-1].sum(axis=1)).all())  # shop = sum of SKUs
True
>>> simulate_shop(profile, seed=2026) == run  # same seed, same shop
True

The panel's KPIs are `SHOP_METRICS`: the `SKU_METRICS` have a value per
SKU (the shop row sums or averages them), the `SHOP_ONLY_METRICS` only
in the shop row, entity `SHOP_ENTITY`. The `DRIVERS` behind them are
per SKU (`SKU_DRIVERS`) or per shop (`SHOP_DRIVERS`):

>>> import numpy as np
>>> from crisisops.scenarios.shop import (
...     DRIVERS,
...     SHOP_DRIVERS,
...     SHOP_ENTITY,
...     SHOP_METRICS,
...     SHOP_ONLY_METRICS,
...     SKU_DRIVERS,
...     SKU_METRICS,
... )
>>> len(SKU_METRICS), len(SHOP_ONLY_METRICS), len(SHOP_METRICS)
(14, 11, 25)
>>> panel.entities[-1] == SHOP_ENTITY, "social.sentiment" in SHOP_ONLY_METRICS
(True, True)
>>> sentiment = panel.metric_values("social.sentiment")
>>> bool(np.isnan(sentiment[:, :-1]).all())  # NaN in every SKU row
True
>>> bool(np.isnan(sentiment[:, -1]).any())  # a value in every shop row
False
>>> DRIVERS == SKU_DRIVERS + SHOP_DRIVERS
True
>>> run.drivers.traffic.shape, run.drivers.sentiment.shape  # (runs, days[, SKUs])
((1, 60, 20), (1, 60))

References
----------
Greenwood, Major, and G. Udny Yule. 1920. "An Inquiry into the Nature of
Frequency Distributions Representative of Multiple Happenings." *Journal of
the Royal Statistical Society* 83 (2): 255–79. (The gamma–Poisson mixture:
negative binomial counts.)
Silver, Edward A., David F. Pyke, and Rein Peterson. 1998. *Inventory
Management and Production Planning and Scheduling*. 3rd ed. New York:
Wiley. §7. (Periodic-review, order-up-to-level replenishment.)
Devroye, Luc. 1986. *Non-Uniform Random Variate Generation*. New York:
Springer. §X.4. (Binomial variates by sequential-search inversion.)
Kachitvichyanukul, Voratas, and Bruce W. Schmeiser. 1988. "Binomial Random
Variate Generation." *Communications of the ACM* 31 (2): 216–22.
Law, Averill M. 2015. *Simulation Modeling and Analysis*. 5th ed. §11.2.
(Common random numbers.)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._random import SeedLike, resolve_rng
from crisisops._validation import (
    check_unique_texts,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_tuple_of,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.monitoring.panel import Panel
from crisisops.risk.supply import SupplyLink, SupplyNetwork, SupplyNode
from crisisops.scenarios import _generator as engine
from crisisops.scenarios._generator import (
    DRIVERS,
    SHOP_DRIVERS,
    SHOP_ENTITY,
    SHOP_METRICS,
    SHOP_ONLY_METRICS,
    SKU_DRIVERS,
    SKU_METRICS,
    UNIT_DRIVERS,
    arrays_equal,
    check_array,
    frozen_array,
)
from crisisops.scenarios.shocks import GroundTruth, Shock, ShockContext, is_shock

__all__ = [
    "DEFAULT_CATEGORIES",
    "DOUBLE_ELEVEN",
    "DRIVERS",
    "SHOP_DRIVERS",
    "SHOP_ENTITY",
    "SHOP_METRICS",
    "SHOP_ONLY_METRICS",
    "SIX_EIGHTEEN",
    "SKU_DRIVERS",
    "SKU_METRICS",
    "Assortment",
    "CashModel",
    "DemandModel",
    "Drivers",
    "FeedbackModel",
    "InventoryPolicy",
    "MarketingModel",
    "PeriodLength",
    "Promotion",
    "ShopProfile",
    "ShopRun",
    "SocialModel",
    "TechModel",
    "simulate_shop",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_labels = Labels.of

#: Product categories of `ShopProfile.default` (simple keys).
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "apparel",
    "beauty",
    "home",
    "electronics",
    "food",
)
_REGIONS: tuple[str, ...] = (
    "guangdong",
    "zhejiang",
    "fujian",
    "jiangsu",
    "shandong",
    "sichuan",
)
# Where the hourly share of a day's traffic goes (local hours 0-23): quiet
# nights, a late-morning rise and the evening peak of Chinese e-commerce.
_DAILY_PROFILE: tuple[float, ...] = (
    0.55, 0.35, 0.20, 0.15, 0.12, 0.15, 0.30, 0.60, 0.90, 1.10, 1.25, 1.25,
    1.15, 1.10, 1.15, 1.20, 1.20, 1.15, 1.10, 1.30, 1.55, 1.70, 1.60, 1.10,
)  # fmt: skip
_WEEKLY_PROFILE: tuple[float, ...] = (0.97, 0.95, 0.96, 0.98, 1.02, 1.06, 1.06)


# --- small validators -----------------------------------------------------------------


def _to_float(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _positive(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_finite(low=0.0)(_instance, attribute, value)
    if value <= 0:
        raise ValidationError(field_name(attribute), value, "a number > 0")


def _below_one(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_finite(low=0.0, high=1.0)(_instance, attribute, value)
    if value >= 1:
        raise ValidationError(field_name(attribute), value, "a share in [0, 1)")


_SHARE = is_finite(low=0.0, high=1.0)
_NON_NEGATIVE = is_finite(low=0.0)


def _int_at_least(low: int) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidTypeError(name, value, f"an int >= {low}")
        if value < low:
            raise ValidationError(name, value, f"an int >= {low}")

    return validate


def _weights(length: int) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if not isinstance(value, tuple) or len(value) != length:
            raise ValidationError(name, value, f"{length} relative weights")
        for index, weight in enumerate(value):
            check = is_finite(low=0.0)
            check(_instance, _Named(f"{name}[{index}]"), weight)
            if weight <= 0:
                raise ValidationError(f"{name}[{index}]", weight, "a weight > 0")

    return validate


def _to_float_tuple(value: Iterable[float]) -> tuple[float, ...]:
    items = to_tuple(value)
    if isinstance(items, tuple):
        return tuple(_to_float(item) for item in items)
    return items


class _Named:
    """Stand-in attribute so a nested check reports its own field name."""

    __slots__ = ("alias", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.alias = name


# --- periods and promotions -----------------------------------------------------------


class PeriodLength(enum.Enum):
    """The length of one period of a synthetic panel: a day or an hour.

    Examples
    --------
    >>> import datetime as dt
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> hourly = ShopProfile.default(start, skus=2, days=2, period=PeriodLength.HOURLY)
    >>> hourly.periods, PeriodLength.HOURLY.periods_per_day
    (48, 24)
    >>> str(hourly.timestamps[1] - hourly.timestamps[0])
    '1:00:00'
    >>> PeriodLength.DAILY.labels.zh_hant
    '每日'
    """

    DAILY = "daily"
    HOURLY = "hourly"

    @property
    def periods_per_day(self) -> int:
        """Number of periods in a day: 1 or 24."""
        return 1 if self is PeriodLength.DAILY else 24

    @property
    def labels(self) -> Labels:
        """The period length in English, 繁體 and 简体."""
        return _PERIOD_LABELS[self]


_PERIOD_LABELS = {
    PeriodLength.DAILY: _labels("Daily", "每日", "每日"),
    PeriodLength.HOURLY: _labels("Hourly", "每小時", "每小时"),
}


def _check_month(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _int_at_least(1)(_instance, attribute, value)
    if value > 12:
        raise ValidationError(field_name(attribute), value, "a month in [1, 12]")


def _check_month_day(instance: Promotion, _attribute: Any, value: int) -> None:  # noqa: ANN401
    _int_at_least(1)(instance, _Named("day"), value)
    try:
        dt.date(2025, instance.month, value)  # a common year: no 29 February
    except ValueError:
        raise ValidationError(
            "day",
            value,
            f"a day that exists in month {instance.month} of every year",
        ) from None


@attrs.frozen(kw_only=True)
class Promotion:
    """A yearly sales peak such as 618 or Double 11 (銷售高峰期, book §5.4).

    On the peak days traffic, conversion and ad spend rise, prices carry the
    festival discount and deliveries slow down; traffic and ad spend climb
    linearly over the ``ramp_days`` before the peak (pre-sales and
    "add to cart" days), and the delivery backlog fades over the
    ``backlog_days`` after it.

    Attributes
    ----------
    key
        Simple key, e.g. ``"double_eleven"``; unique within a profile.
    labels
        Optional display names in English, 繁體 and 简体.
    month, day
        The local date of the (first) peak day every year; 29 February is
        refused (it is not in every year).
    duration_days
        Number of peak days (>= 1).
    ramp_days
        Days before the peak over which traffic climbs to its peak (>= 0).
    backlog_days
        Days after the peak over which the extra delivery delays fade (>= 0).
    traffic_factor
        Traffic multiplier at the peak (> 0; 5.0 = five times the visits).
    conversion_factor
        Conversion multiplier on the peak days (> 0; capped at a rate of 1).
    discount
        Price cut on the peak days, a share in [0, 1).
    delay_factor
        Multiplier of the late-delivery rate on the peak days (>= 0).
    ad_spend_factor
        Ad spend multiplier at the peak (>= 0), ramping like traffic.

    Examples
    --------
    The built-in peaks are `SIX_EIGHTEEN` and `DOUBLE_ELEVEN`:

    >>> (SIX_EIGHTEEN.month, SIX_EIGHTEEN.day), (DOUBLE_ELEVEN.month, DOUBLE_ELEVEN.day)
    ((6, 18), (11, 11))
    >>> (
    ...     DOUBLE_ELEVEN.labels.zh_hant,
    ...     DOUBLE_ELEVEN.traffic_factor,
    ...     DOUBLE_ELEVEN.discount,
    ... )
    ('雙十一', 5.0, 0.2)

    A shop's own anniversary sale, two days long; 29 February is refused:

    >>> anniversary = Promotion(key="anniversary", month=9, day=9, duration_days=2)
    >>> anniversary.ramp_days, anniversary.traffic_factor  # the defaults
    (7, 3.0)
    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     Promotion(key="leap", month=2, day=29)
    ... except ValidationError as error:
    ...     error.expected
    'a day that exists in month 2 of every year'
    """

    key: str = attrs.field(validator=is_key(dotted=False))
    month: int = attrs.field(validator=_check_month)
    day: int = attrs.field(validator=_check_month_day)
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels"))
    )
    duration_days: int = attrs.field(default=1, validator=_int_at_least(1))
    ramp_days: int = attrs.field(default=7, validator=_int_at_least(0))
    backlog_days: int = attrs.field(default=3, validator=_int_at_least(0))
    traffic_factor: float = attrs.field(
        default=3.0, converter=_to_float, validator=_positive
    )
    conversion_factor: float = attrs.field(
        default=1.3, converter=_to_float, validator=_positive
    )
    discount: float = attrs.field(
        default=0.15, converter=_to_float, validator=_below_one
    )
    delay_factor: float = attrs.field(
        default=1.5, converter=_to_float, validator=_NON_NEGATIVE
    )
    ad_spend_factor: float = attrs.field(
        default=2.0, converter=_to_float, validator=_NON_NEGATIVE
    )


#: The 618 shopping festival (June 18), JD.com's anniversary sale.
SIX_EIGHTEEN = Promotion(
    key="six_eighteen",
    labels=_labels("618 shopping festival", "618 購物節", "618 购物节"),
    month=6,
    day=18,
    ramp_days=10,
    backlog_days=4,
    traffic_factor=3.0,
    conversion_factor=1.4,
    discount=0.15,
    delay_factor=1.8,
    ad_spend_factor=2.5,
)
#: Double 11 (Singles' Day, 雙十一), November 11: the year's largest peak.
DOUBLE_ELEVEN = Promotion(
    key="double_eleven",
    labels=_labels("Double 11 (Singles' Day)", "雙十一", "双十一"),
    month=11,
    day=11,
    ramp_days=10,
    backlog_days=6,
    traffic_factor=5.0,
    conversion_factor=1.6,
    discount=0.2,
    delay_factor=2.5,
    ad_spend_factor=3.0,
)


# --- the assortment -------------------------------------------------------------------


def _to_floats(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    return frozen_array(value, np.float64)


def _to_ints(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    return frozen_array(value, np.int64)


def _per_sku(
    *, low: float | None = None, high: float | None = None, low_open: bool = False
) -> Any:  # noqa: ANN401  an attrs validator
    def validate(instance: Assortment, attribute: Any, value: Any) -> None:  # noqa: ANN401
        check_array(
            value,
            field_name(attribute),
            shape=(len(instance.skus),),
            low=low,
            high=high,
            low_open=low_open,
        )

    return validate


def _check_skus(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    check_unique_texts(value, name, "SKU")
    if SHOP_ENTITY in value:
        raise ValidationError(
            f"{name}[{value.index(SHOP_ENTITY)}]",
            SHOP_ENTITY,
            f"a SKU key other than {SHOP_ENTITY!r} (the shop row's entity key)",
        )


def _check_categories(instance: Assortment, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_key(dotted=False))(instance, attribute, value)
    if len(value) != len(instance.skus):
        raise ValidationError(
            name, len(value), f"one category per SKU ({len(instance.skus)})"
        )


@attrs.frozen(kw_only=True)
class Assortment:
    """The shop's SKUs (商品) and their base parameters, one array entry per SKU.

    Attributes
    ----------
    skus
        SKU keys (non-blank, unique, not ``"shop"``); the panel's entities.
    categories
        The category of each SKU, a simple key such as ``"apparel"``.
    base_visits
        Visits per day at the start, before seasonality and promotions (> 0).
    conversion
        Share of visits that end in an order, in (0, 1].
    price
        Average order value in CNY (> 0); one order is one unit.
    unit_cost
        Purchase cost of one unit in CNY (>= 0), paid when it arrives.
    defect_rate
        Share of sold units that are defective, in [0, 1].
    lead_time_days
        Days between a restocking order and its arrival (int >= 0; 0 means
        by the next period).

    Examples
    --------
    Two SKUs by hand:

    >>> goods = Assortment(
    ...     skus=["tea", "cup"],
    ...     categories=["food", "home"],
    ...     base_visits=[100, 50],
    ...     conversion=[0.05, 0.02],
    ...     price=[80, 30],
    ...     unit_cost=[40, 12],
    ...     defect_rate=[0.01, 0.0],
    ...     lead_time_days=[3, 7],
    ... )
    >>> goods.size, goods.in_categories("home"), goods.price.tolist()
    (2, ('cup',), [80.0, 30.0])

    Or drawn at random, over `DEFAULT_CATEGORIES` unless told otherwise:

    >>> drawn = Assortment.generate(3, seed=1)
    >>> drawn.skus
    ('sku-001', 'sku-002', 'sku-003')
    >>> DEFAULT_CATEGORIES
    ('apparel', 'beauty', 'home', 'electronics', 'food')
    >>> set(drawn.categories) <= set(DEFAULT_CATEGORIES)
    True
    """

    skus: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_check_skus)
    categories: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_check_categories
    )
    base_visits: FloatArray = attrs.field(
        converter=_to_floats,
        validator=_per_sku(low=0.0, low_open=True),
        eq=attrs.cmp_using(eq=arrays_equal),
        hash=False,
    )
    conversion: FloatArray = attrs.field(
        converter=_to_floats,
        validator=_per_sku(low=0.0, high=1.0, low_open=True),
        eq=attrs.cmp_using(eq=arrays_equal),
        hash=False,
    )
    price: FloatArray = attrs.field(
        converter=_to_floats,
        validator=_per_sku(low=0.0, low_open=True),
        eq=attrs.cmp_using(eq=arrays_equal),
        hash=False,
    )
    unit_cost: FloatArray = attrs.field(
        converter=_to_floats,
        validator=_per_sku(low=0.0),
        eq=attrs.cmp_using(eq=arrays_equal),
        hash=False,
    )
    defect_rate: FloatArray = attrs.field(
        converter=_to_floats,
        validator=_per_sku(low=0.0, high=1.0),
        eq=attrs.cmp_using(eq=arrays_equal),
        hash=False,
    )
    lead_time_days: IntArray = attrs.field(
        converter=_to_ints,
        validator=_per_sku(low=0.0),
        eq=attrs.cmp_using(eq=arrays_equal),
        hash=False,
    )

    @classmethod
    def generate(  # noqa: PLR0913  keyword-only knobs with defaults
        cls,
        skus: int,
        *,
        seed: SeedLike,
        categories: Sequence[str] = DEFAULT_CATEGORIES,
        median_visits: float = 150.0,
        median_price: float = 120.0,
        median_conversion: float = 0.03,
    ) -> Assortment:
        """Draw a plausible assortment: a long tail of popularity and price.

        Base visits, prices and conversion rates are lognormal around their
        medians (popularity with σ = 0.9, so a few SKUs carry much of the
        traffic); defect rates are 2% × Beta(2, 5) (mean 0.57%); unit costs
        40–60% of the price; lead times 3–14 days. SKUs are named
        ``sku-001``, ``sku-002``, … and spread over ``categories`` at random.

        Raises
        ------
        ValidationError, InvalidTypeError
            For fewer than one SKU, no category or a non-positive median.
        """
        _int_at_least(1)(None, _Named("skus"), skus)
        names = to_str_tuple(categories)
        is_tuple_of(is_key(dotted=False), min_length=1)(
            None, _Named("categories"), names
        )
        for name, value in (
            ("median_visits", median_visits),
            ("median_price", median_price),
            ("median_conversion", median_conversion),
        ):
            _positive(None, _Named(name), value)
        if median_conversion > 1:
            raise ValidationError(
                "median_conversion", median_conversion, "a rate in (0, 1]"
            )
        rng = resolve_rng(seed, "seed")
        width = max(3, len(str(skus)))
        price = np.round(median_price * np.exp(0.6 * rng.standard_normal(skus)), 1)
        price = np.maximum(price, 0.1)
        return cls(
            skus=tuple(f"sku-{i:0{width}d}" for i in range(1, skus + 1)),
            categories=tuple(names[i] for i in rng.integers(0, len(names), skus)),
            base_visits=median_visits * np.exp(0.9 * rng.standard_normal(skus)),
            conversion=np.clip(
                median_conversion * np.exp(0.35 * rng.standard_normal(skus)),
                1e-4,
                1.0,
            ),
            price=price,
            unit_cost=np.round(price * rng.uniform(0.4, 0.6, skus), 2),
            defect_rate=0.02 * rng.beta(2.0, 5.0, skus),
            lead_time_days=rng.integers(3, 15, skus),
        )

    @property
    def size(self) -> int:
        """Number of SKUs."""
        return len(self.skus)

    def in_categories(self, *categories: str) -> tuple[str, ...]:
        """Return the SKUs of the given categories, in assortment order.

        Raises
        ------
        UnknownKeyError
            For a category no SKU belongs to (with suggestions).
        """
        known = set(self.categories)
        for category in categories:
            if category not in known:
                raise UnknownKeyError("category", category, sorted(known))
        wanted = set(categories)
        return tuple(
            sku
            for sku, category in zip(self.skus, self.categories, strict=True)
            if category in wanted
        )


# --- the model's parts ----------------------------------------------------------------


def _optional_dispersion(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is not None:
        _positive(_instance, attribute, value)


@attrs.frozen(kw_only=True)
class DemandModel:
    """How traffic moves over time: trend, seasonality, promotions and noise.

    Attributes
    ----------
    annual_growth
        Traffic growth per year (> -1), compounded daily; 0.12 = +12% a year.
    weekly_profile
        Seven relative weights, Monday to Sunday (> 0; scaled to mean 1).
    daily_profile
        Twenty-four relative weights for local hours 0–23 (> 0; scaled to
        mean 1); used by hourly profiles only.
    promotions
        The yearly peaks (`Promotion`), keys unique; default 618 and Double 11.
    visit_dispersion
        Dispersion ``k`` of the gamma–Poisson mixture (> 0): visits are
        negative binomial with variance ``μ + μ²/k``; ``None`` for Poisson.
    order_value_cv
        Coefficient of variation of one order's value (>= 0).

    Examples
    --------
    Flat weeks, no growth and Double 11 alone: from 1 November, traffic
    climbs over the 10-day ramp to five times its base on the 11th, then
    falls back:

    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> flat = DemandModel(
    ...     annual_growth=0.0, weekly_profile=[1] * 7, promotions=[DOUBLE_ELEVEN]
    ... )
    >>> profile = attrs.evolve(ShopProfile.default(start, skus=1, days=14), demand=flat)
    >>> run = simulate_shop(profile, seed=1)
    >>> visits = run.baseline.traffic[0, :, 0] / profile.assortment.base_visits[0]
    >>> visits.round(2).tolist()
    [1.36, 1.73, 2.09, 2.45, 2.82, 3.18, 3.55, 3.91, 4.27, 4.64, 5.0, 1.0, 1.0, 1.0]
    >>> (run.baseline.price[0, 9:12, 0] / profile.assortment.price[0]).tolist()
    [1.0, 0.8, 1.0]
    """

    annual_growth: float = attrs.field(
        default=0.12, converter=_to_float, validator=is_finite(low=-0.99)
    )
    weekly_profile: tuple[float, ...] = attrs.field(
        default=_WEEKLY_PROFILE, converter=_to_float_tuple, validator=_weights(7)
    )
    daily_profile: tuple[float, ...] = attrs.field(
        default=_DAILY_PROFILE, converter=_to_float_tuple, validator=_weights(24)
    )
    promotions: tuple[Promotion, ...] = attrs.field(
        default=(SIX_EIGHTEEN, DOUBLE_ELEVEN),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Promotion, "a Promotion")),
    )
    visit_dispersion: float | None = attrs.field(
        default=30.0, converter=_to_float, validator=_optional_dispersion
    )
    order_value_cv: float = attrs.field(
        default=0.35, converter=_to_float, validator=_NON_NEGATIVE
    )

    def __attrs_post_init__(self) -> None:
        """Check that promotion keys are unique."""
        seen: set[str] = set()
        for promotion in self.promotions:
            if promotion.key in seen:
                raise DuplicateKeyError("promotion", promotion.key)
            seen.add(promotion.key)


@attrs.frozen(kw_only=True)
class FeedbackModel:
    """What happens after an order: delays, defects, reviews, complaints, refunds.

    Each sold order is independently late (``delay_rate`` driver), defective
    (the SKU's ``defect_rate``) or badly served (``service_failure_rate``).
    A reviewed order is negative with probability ``1 − (1 − negative_share)
    × Π (1 − rateᵢ × negative_if_causeᵢ)``; complaints and refunds follow the
    same "any cause" form. Every share is in [0, 1].

    Attributes
    ----------
    review_rate
        Share of orders that get a review.
    negative_share
        Share of reviews that are negative when nothing went wrong.
    negative_if_defect, negative_if_late, negative_if_service_failure
        Chance that a defective / late / badly served order's review is
        negative.
    complaint_rate
        Share of orders with a complaint when nothing went wrong.
    complaint_if_defect, complaint_if_late, complaint_if_service_failure
        Chance that such an order leads to a complaint.
    refund_rate
        Share of orders refunded when nothing went wrong.
    refund_if_defect
        Chance that a defective order is returned and refunded.
    delay_rate
        Base share of orders delivered late (物流延遲).
    service_failure_rate
        Base share of orders with a customer-service failure.
    positive_stars, negative_stars
        Average stars (0–5) of a positive and of a negative review.

    Examples
    --------
    The base rates become drivers; with every complaint chance at 0 the
    shop gets no complaints:

    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=7)
    >>> calm = FeedbackModel(
    ...     delay_rate=0.1,
    ...     complaint_rate=0.0,
    ...     complaint_if_defect=0.0,
    ...     complaint_if_late=0.0,
    ...     complaint_if_service_failure=0.0,
    ... )
    >>> run = simulate_shop(attrs.evolve(profile, feedback=calm), seed=1)
    >>> run.baseline.delay_rate[0, :, 0].tolist()  # late deliveries per order
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
    >>> run.shop_kpis["feedback.complaints"].sum()
    np.float64(0.0)
    """

    review_rate: float = attrs.field(
        default=0.25, converter=_to_float, validator=_SHARE
    )
    negative_share: float = attrs.field(
        default=0.04, converter=_to_float, validator=_SHARE
    )
    negative_if_defect: float = attrs.field(
        default=0.6, converter=_to_float, validator=_SHARE
    )
    negative_if_late: float = attrs.field(
        default=0.25, converter=_to_float, validator=_SHARE
    )
    negative_if_service_failure: float = attrs.field(
        default=0.5, converter=_to_float, validator=_SHARE
    )
    complaint_rate: float = attrs.field(
        default=0.005, converter=_to_float, validator=_SHARE
    )
    complaint_if_defect: float = attrs.field(
        default=0.3, converter=_to_float, validator=_SHARE
    )
    complaint_if_late: float = attrs.field(
        default=0.08, converter=_to_float, validator=_SHARE
    )
    complaint_if_service_failure: float = attrs.field(
        default=0.4, converter=_to_float, validator=_SHARE
    )
    refund_rate: float = attrs.field(
        default=0.02, converter=_to_float, validator=_SHARE
    )
    refund_if_defect: float = attrs.field(
        default=0.7, converter=_to_float, validator=_SHARE
    )
    delay_rate: float = attrs.field(default=0.04, converter=_to_float, validator=_SHARE)
    service_failure_rate: float = attrs.field(
        default=0.01, converter=_to_float, validator=_SHARE
    )
    positive_stars: float = attrs.field(
        default=4.8, converter=_to_float, validator=is_finite(low=0.0, high=5.0)
    )
    negative_stars: float = attrs.field(
        default=1.6, converter=_to_float, validator=is_finite(low=0.0, high=5.0)
    )


@attrs.frozen(kw_only=True)
class InventoryPolicy:
    """How the shop restocks: periodic review, order up to a target.

    Every ``review_period_days`` the shop orders enough to bring stock on
    hand plus stock on order up to the planned demand over the lead time
    and the review period, plus ``safety_z`` standard deviations of it
    (periodic-review order-up-to policy; Silver, Pyke & Peterson 1998 §7).

    Attributes
    ----------
    review_period_days
        Days between restocking orders (int >= 1).
    safety_z
        Safety factor in standard deviations of demand (>= 0); 1.65 covers
        the lead-time demand about 95% of the time.

    Examples
    --------
    Without safety stock (``safety_z=0``) a 60-day run of five SKUs loses
    orders to stock-outs; the default 1.65 standard deviations loses none:

    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=5, days=60)
    >>> def lost(policy):
    ...     shop = attrs.evolve(profile, inventory=policy)
    ...     return int(simulate_shop(shop, seed=1).lost_orders.sum())
    >>> lost(InventoryPolicy(safety_z=0.0)), lost(InventoryPolicy())
    (55, 0)
    """

    review_period_days: int = attrs.field(default=1, validator=_int_at_least(1))
    safety_z: float = attrs.field(
        default=1.65, converter=_to_float, validator=_NON_NEGATIVE
    )


@attrs.frozen(kw_only=True)
class SocialModel:
    """Social-media mentions and sentiment of the shop (社交媒體).

    Attributes
    ----------
    mentions_per_day
        Expected mentions per day (>= 0); promotions raise it with the square
        root of their traffic factor.
    dispersion
        Dispersion ``k`` of the negative-binomial mention counts (> 0).
    sentiment
        Average sentiment of a mention, from -1 (hostile) to 1.
    sentiment_sd
        Spread of one mention's sentiment (>= 0); the day's average has
        spread ``sentiment_sd / √mentions``.

    Examples
    --------
    On ordinary days (no promotion) the drivers are the model's values:

    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=7)
    >>> quiet = SocialModel(mentions_per_day=10, sentiment=-0.2)
    >>> run = simulate_shop(attrs.evolve(profile, social=quiet), seed=1)
    >>> run.baseline.mentions[0, :3].tolist(), run.baseline.sentiment[0, :3].tolist()
    ([10.0, 10.0, 10.0], [-0.2, -0.2, -0.2])
    """

    mentions_per_day: float = attrs.field(
        default=40.0, converter=_to_float, validator=_NON_NEGATIVE
    )
    dispersion: float = attrs.field(
        default=5.0, converter=_to_float, validator=_positive
    )
    sentiment: float = attrs.field(
        default=0.35, converter=_to_float, validator=is_finite(low=-1.0, high=1.0)
    )
    sentiment_sd: float = attrs.field(
        default=0.5, converter=_to_float, validator=_NON_NEGATIVE
    )


@attrs.frozen(kw_only=True)
class TechModel:
    """Technical health of the shop's systems (系統, book §2.5).

    Attributes
    ----------
    availability
        Expected share of the period the systems serve requests, in [0, 1].
    error_rate
        Share of requests that fail, in [0, 1].
    payment_failure_rate
        Share of payment attempts that fail, in [0, 1].
    latency_ms
        95th-percentile response time off-peak, in ms (> 0).
    latency_per_load
        Relative rise of latency per unit of extra promotion traffic (>= 0).
    latency_cv
        Log-scale spread of the measured latency (>= 0).
    requests_per_visit
        Requests one visit makes to the systems (> 0).
    checks_per_day
        Uptime checks per day (int >= 1; 1440 = once a minute): measured
        availability is the share of checks that succeed.

    Examples
    --------
    The drivers carry the model's values; the availability KPI is the share
    of the day's 1,440 uptime checks that succeeded, so it scatters around
    the expected 99 %:

    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=7)
    >>> shaky = TechModel(availability=0.99, latency_ms=500)
    >>> run = simulate_shop(attrs.evolve(profile, tech=shaky), seed=1)
    >>> run.baseline.availability[0, 0], run.baseline.latency_ms[0, 0]
    (np.float64(0.99), np.float64(500.0))
    >>> measured = run.shop_kpis["tech.availability"][0]
    >>> bool((abs(measured - 0.99) < 0.01).all())
    True
    """

    availability: float = attrs.field(
        default=0.999, converter=_to_float, validator=_SHARE
    )
    error_rate: float = attrs.field(
        default=0.002, converter=_to_float, validator=_SHARE
    )
    payment_failure_rate: float = attrs.field(
        default=0.01, converter=_to_float, validator=_SHARE
    )
    latency_ms: float = attrs.field(
        default=350.0, converter=_to_float, validator=_positive
    )
    latency_per_load: float = attrs.field(
        default=0.05, converter=_to_float, validator=_NON_NEGATIVE
    )
    latency_cv: float = attrs.field(
        default=0.08, converter=_to_float, validator=_NON_NEGATIVE
    )
    requests_per_visit: float = attrs.field(
        default=8.0, converter=_to_float, validator=_positive
    )
    checks_per_day: int = attrs.field(default=1_440, validator=_int_at_least(1))


@attrs.frozen(kw_only=True)
class MarketingModel:
    """Advertising (營銷數據, book §3): spend, click-through and return.

    Attributes
    ----------
    ad_spend_per_day
        Ad budget per day in CNY (>= 0); promotions multiply it.
    ad_spend_cv
        Log-scale day-to-day spread of the spend (>= 0).
    ctr
        Share of impressions clicked, in [0, 1].
    cost_per_mille
        CNY per thousand impressions (> 0).
    attributed_share
        Share of GMV attributed to advertising, for the ROI (>= 0).

    Examples
    --------
    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=7)
    >>> ads = MarketingModel(ad_spend_per_day=1_000, ctr=0.03)
    >>> run = simulate_shop(attrs.evolve(profile, marketing=ads), seed=1)
    >>> run.baseline.ad_spend[0, :3].tolist(), run.baseline.ctr[0, :3].tolist()
    ([1000.0, 1000.0, 1000.0], [0.03, 0.03, 0.03])
    """

    ad_spend_per_day: float = attrs.field(
        default=2_000.0, converter=_to_float, validator=_NON_NEGATIVE
    )
    ad_spend_cv: float = attrs.field(
        default=0.05, converter=_to_float, validator=_NON_NEGATIVE
    )
    ctr: float = attrs.field(default=0.02, converter=_to_float, validator=_SHARE)
    cost_per_mille: float = attrs.field(
        default=30.0, converter=_to_float, validator=_positive
    )
    attributed_share: float = attrs.field(
        default=0.3, converter=_to_float, validator=_NON_NEGATIVE
    )


@attrs.frozen(kw_only=True)
class CashModel:
    """The shop's cash (資金鏈, book §2.4): settlements in, costs out.

    Simulation parameters are floats: this is a model, not a ledger.

    Attributes
    ----------
    initial_balance
        Cash at the start, in CNY (may be negative: overdrawn).
    fixed_costs_per_day
        Wages, rent and services per day, in CNY (>= 0).
    platform_fee
        Share of GMV the platform keeps (commission), in [0, 1).
    settlement_delay_days
        Days between an order and its settlement (int >= 0).
    runway_window_days
        Days of history the runway's average daily burn uses (int >= 1).
    max_runway_days
        Runway reported when the shop is not burning cash (> 0).

    Examples
    --------
    The platform keeps its fee, so 92 % of GMV is settled; a shop that opens
    with CNY 1,000 and spends 5,000 a day is overdrawn at once, with no
    runway left:

    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=7)
    >>> tight = CashModel(
    ...     platform_fee=0.08, initial_balance=1_000, fixed_costs_per_day=5_000
    ... )
    >>> run = simulate_shop(attrs.evolve(profile, cash=tight), seed=1)
    >>> run.baseline.settlement_share[0, 0]
    np.float64(0.92)
    >>> bool((run.shop_kpis["cash.balance"] < 0).all())
    True
    >>> run.shop_kpis["cash.runway_days"][0, :3].tolist()
    [0.0, 0.0, 0.0]
    >>> simulate_shop(profile, seed=1).shop_kpis["cash.runway_days"][
    ...     0, 0
    ... ]  # not burning
    np.float64(365.0)
    """

    initial_balance: float = attrs.field(
        default=500_000.0, converter=_to_float, validator=is_finite()
    )
    fixed_costs_per_day: float = attrs.field(
        default=3_000.0, converter=_to_float, validator=_NON_NEGATIVE
    )
    platform_fee: float = attrs.field(
        default=0.05, converter=_to_float, validator=_below_one
    )
    settlement_delay_days: int = attrs.field(default=7, validator=_int_at_least(0))
    runway_window_days: int = attrs.field(default=28, validator=_int_at_least(1))
    max_runway_days: float = attrs.field(
        default=365.0, converter=_to_float, validator=_positive
    )


# --- the profile ----------------------------------------------------------------------


def _check_metrics(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of metric keys")
    if not value:
        raise ValidationError(name, value, "at least one metric key")
    seen: set[object] = set()
    for index, key in enumerate(value):
        if not isinstance(key, str):
            raise InvalidTypeError(f"{name}[{index}]", key, "a metric key (str)")
        if key not in SHOP_METRICS:
            raise UnknownKeyError("synthetic shop metric", key, SHOP_METRICS)
        if key in seen:
            raise DuplicateKeyError("metric", key)
        seen.add(key)


def _check_network(instance: ShopProfile, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is None:
        return
    name = field_name(attribute)
    if not isinstance(value, SupplyNetwork):
        raise InvalidTypeError(name, value, "a SupplyNetwork or None")
    skus = instance.assortment.skus
    demand = set(value.demand_nodes)
    for key in value.demand_nodes:
        if key not in set(skus):
            raise UnknownKeyError(f"SKU (demand node of {name})", key, skus)
    for key in skus:
        if key not in demand:
            raise ValidationError(
                name,
                key,
                "a network in which every SKU of the assortment is a demand node "
                f"(SKU {key!r} is not)",
            )


def _instance_of(kind: type, expected: str) -> Any:  # noqa: ANN401  an attrs validator
    return is_instance(kind, expected)


@attrs.frozen(kw_only=True)
class ShopProfile:
    """Every parameter of a synthetic shop, validated; `default()` builds one.

    Attributes
    ----------
    start
        Start of the first period, timezone-aware; calendar features
        (weekday, hour, promotion dates) are read in its zone.
    periods
        Number of periods (int >= 1).
    period
        `PeriodLength.DAILY` or `PeriodLength.HOURLY`.
    assortment
        The SKUs (`Assortment`).
    network
        Optional `SupplyNetwork` from `crisisops.risk` whose demand nodes are
        exactly the SKUs; supplier outages propagate over it.
    demand, feedback, inventory, social, tech, marketing, cash
        The parts of the model (`DemandModel`, `FeedbackModel`,
        `InventoryPolicy`, `SocialModel`, `TechModel`, `MarketingModel`,
        `CashModel`); defaults are a plausible mid-size shop.
    metrics
        The KPIs to generate, keys of `SHOP_METRICS`, in panel order; fewer
        metrics cost fewer draws (default: all 25).
    """

    start: dt.datetime = attrs.field(validator=is_aware_datetime())
    periods: int = attrs.field(validator=_int_at_least(1))
    assortment: Assortment = attrs.field(
        validator=_instance_of(Assortment, "an Assortment")
    )
    period: PeriodLength = attrs.field(
        default=PeriodLength.DAILY, validator=is_enum(PeriodLength)
    )
    network: SupplyNetwork | None = attrs.field(default=None, validator=_check_network)
    demand: DemandModel = attrs.field(
        factory=DemandModel, validator=_instance_of(DemandModel, "a DemandModel")
    )
    feedback: FeedbackModel = attrs.field(
        factory=FeedbackModel, validator=_instance_of(FeedbackModel, "a FeedbackModel")
    )
    inventory: InventoryPolicy = attrs.field(
        factory=InventoryPolicy,
        validator=_instance_of(InventoryPolicy, "an InventoryPolicy"),
    )
    social: SocialModel = attrs.field(
        factory=SocialModel, validator=_instance_of(SocialModel, "a SocialModel")
    )
    tech: TechModel = attrs.field(
        factory=TechModel, validator=_instance_of(TechModel, "a TechModel")
    )
    marketing: MarketingModel = attrs.field(
        factory=MarketingModel,
        validator=_instance_of(MarketingModel, "a MarketingModel"),
    )
    cash: CashModel = attrs.field(
        factory=CashModel, validator=_instance_of(CashModel, "a CashModel")
    )
    metrics: tuple[str, ...] = attrs.field(
        default=SHOP_METRICS, converter=to_str_tuple, validator=_check_metrics
    )
    _calendar: engine.Calendar | None = attrs.field(
        init=False, default=None, repr=False, eq=False, hash=False
    )

    @classmethod
    def default(  # noqa: PLR0913  keyword-only knobs with defaults
        cls,
        start: dt.datetime,
        *,
        skus: int = 50,
        days: int = 365,
        period: PeriodLength = PeriodLength.DAILY,
        suppliers: int = 6,
        seed: SeedLike = 0,
    ) -> ShopProfile:
        """Return a plausible mid-size shop of ``skus`` SKUs over ``days`` days.

        The assortment is `Assortment.generate` (median 150 visits a day,
        3% conversion, CNY 120 per order); ``suppliers`` suppliers in
        different regions each have a lead time of 3–14 days; every SKU has a
        main supplier (spread evenly; a supplier left without SKUs is left
        out) and about a third also buy 30% from a second one (the network is
        suppliers → SKUs, with revenues, so outage impacts are weighted).
        Ad budget, fixed costs and opening cash scale with the expected GMV:
        ads 6% of it, fixed costs 12%, opening cash 60 days of GMV.

        Raises
        ------
        ValidationError, InvalidTypeError
            For a naive ``start``, fewer than 1 SKU, day or supplier.
        """
        for name, value in (("skus", skus), ("days", days), ("suppliers", suppliers)):
            _int_at_least(1)(None, _Named(name), value)
        if not isinstance(period, PeriodLength):
            raise InvalidTypeError("period", period, "a PeriodLength")
        rng = resolve_rng(seed, "seed")
        goods = Assortment.generate(skus, seed=rng)
        lead = rng.integers(3, 15, suppliers)
        main = rng.permutation(np.arange(skus) % suppliers)  # all busy if possible
        second = (main + rng.integers(1, max(suppliers, 2), skus)) % suppliers
        dual = (rng.random(skus) < 1.0 / 3.0) & (second != main)
        width = max(2, len(str(suppliers)))
        names = [f"supplier-{i:0{width}d}" for i in range(1, suppliers + 1)]
        used = set(main.tolist()) | set(second[dual].tolist())
        daily_gmv = goods.base_visits * goods.conversion * goods.price
        nodes = [
            SupplyNode(key=name, kind="supplier", region=_REGIONS[i % len(_REGIONS)])
            for i, name in enumerate(names)
            if i in used
        ]
        nodes += [
            SupplyNode(key=sku, kind="sku", revenue=float(value) * 365.0)
            for sku, value in zip(goods.skus, daily_gmv.tolist(), strict=True)
        ]
        links = []
        for index, sku in enumerate(goods.skus):
            share = 0.7 if dual[index] else 1.0
            links.append(SupplyLink(source=names[main[index]], target=sku, share=share))
            if dual[index]:
                links.append(
                    SupplyLink(source=names[second[index]], target=sku, share=0.3)
                )
        goods = attrs.evolve(goods, lead_time_days=lead[main])
        total = float(daily_gmv.sum())
        return cls(
            start=start,
            periods=days * period.periods_per_day,
            period=period,
            assortment=goods,
            network=SupplyNetwork(nodes=nodes, links=links, tiers=("supplier", "sku")),
            marketing=MarketingModel(ad_spend_per_day=round(0.06 * total, 2)),
            cash=CashModel(
                initial_balance=round(60.0 * total, 2),
                fixed_costs_per_day=round(0.12 * total, 2),
            ),
        )

    # --- the calendar ------------------------------------------------------------

    def _cal(self) -> engine.Calendar:
        if self._calendar is None:
            cal = engine.calendar(
                self.start, self.periods, hourly=self.period is PeriodLength.HOURLY
            )
            object.__setattr__(self, "_calendar", cal)
        assert self._calendar is not None  # noqa: S101  narrowing for mypy
        return self._calendar

    @property
    def timestamps(self) -> tuple[dt.datetime, ...]:
        """Start of every period, aware, strictly increasing (computed once)."""
        return self._cal().timestamps

    @property
    def end(self) -> dt.datetime:
        """End of the last period: the exclusive end of the scenario."""
        return self._cal().end

    @property
    def periods_per_day(self) -> int:
        """Periods in a day: 1 (daily) or 24 (hourly)."""
        return self.period.periods_per_day

    @property
    def entities(self) -> tuple[str, ...]:
        """The panel's entities: every SKU, then `SHOP_ENTITY`."""
        return (*self.assortment.skus, SHOP_ENTITY)

    def promotion_peaks(self) -> tuple[tuple[str, dt.datetime], ...]:
        """Return ``(promotion key, start of its peak)`` for each peak in the horizon.

        The peak starts at local midnight of its first peak day, in the zone
        of ``start``; peaks are in time order.
        """
        zone = self.start.tzinfo
        first = self.start.date().year
        last = self.end.date().year
        peaks: list[tuple[str, dt.datetime]] = []
        for promo in self.demand.promotions:
            for year in range(first, last + 1):
                moment = dt.datetime(year, promo.month, promo.day, tzinfo=zone)
                if self.start <= moment < self.end:
                    peaks.append((promo.key, moment))
        return tuple(sorted(peaks, key=lambda item: (item[1], item[0])))

    def sku_groups(self, by: str = "category") -> FrozenDict[str, tuple[str, ...]]:
        """Group the SKUs by ``"category"`` or by main ``"supplier"``.

        The main supplier of a SKU is the source its largest share of supply
        comes from (`SupplyNetwork.upstream_exposure`).

        Raises
        ------
        ValidationError
            For another ``by``, or ``"supplier"`` without a network.
        """
        goods = self.assortment
        if by == "category":
            keys = goods.categories
        elif by == "supplier":
            if self.network is None:
                raise ValidationError(
                    "network", None, "a SupplyNetwork to group SKUs by supplier"
                )
            exposure = self.network.upstream_exposure()
            row_of = {sku: row for row, sku in enumerate(exposure.demand)}
            rows = [row_of[sku] for sku in goods.skus]
            best = np.argmax(exposure.shares[rows], axis=1)
            keys = tuple(exposure.sources[i] for i in best.tolist())
        else:
            raise ValidationError("by", by, "'category' or 'supplier'")
        groups: dict[str, list[str]] = {}
        for sku, key in zip(goods.skus, keys, strict=True):
            groups.setdefault(key, []).append(sku)
        return FrozenDict((key, tuple(groups[key])) for key in sorted(groups))


# --- drivers --------------------------------------------------------------------------


def _check_drivers(instance: Drivers) -> None:
    shapes = {name: getattr(instance, name).shape for name in DRIVERS}
    first = shapes["traffic"]
    if len(first) != 3:
        raise ValidationError("traffic", first, "an array of shape (runs, T, E)")
    periods, skus = first[1], first[2]
    runs = {shape[0] for shape in shapes.values()}
    run_count = max(runs)
    for name in DRIVERS:
        array = getattr(instance, name)
        expected = (
            (run_count, periods, skus) if name in SKU_DRIVERS else (run_count, periods)
        )
        if array.shape[1:] != expected[1:] or array.shape[0] not in (1, run_count):
            axes = "(runs or 1, T, E)" if name in SKU_DRIVERS else "(runs or 1, T)"
            raise ValidationError(
                name, array.shape, f"an array of shape {axes} = {expected}"
            )
        if name in UNIT_DRIVERS:
            check_array(array, name, low=0.0, high=1.0)
        elif name == "sentiment":
            check_array(array, name, low=-1.0, high=1.0)
        else:
            check_array(array, name, low=0.0)


_ARRAY_EQ = attrs.cmp_using(eq=arrays_equal)


@attrs.frozen(kw_only=True)
class Drivers:
    """The causes behind the KPIs, per run, period and SKU (read-only arrays).

    SKU drivers have shape ``(runs, T, E)``, shop drivers ``(runs, T)``; a
    run axis of length 1 means "the same in every run" (broadcast). Shocks
    change drivers; `simulate_shop` turns drivers into KPIs.

    Attributes
    ----------
    traffic
        Expected visits per period (>= 0), before availability.
    conversion
        Chance that a visit ends in an order, in [0, 1].
    price
        Average order value in CNY (>= 0), after promotion discounts.
    restock
        Share of each restocking order the supplier delivers, in [0, 1].
    defect_rate
        Share of sold units that are defective, in [0, 1].
    delay_rate
        Share of orders delivered late, in [0, 1].
    service_failure_rate
        Share of orders with a customer-service failure, in [0, 1].
    availability
        Share of the period the site serves requests, in [0, 1]; visits
        are lost in proportion.
    error_rate
        Share of requests that fail, in [0, 1].
    payment_failure_rate
        Share of payment attempts that fail, in [0, 1]; orders are lost in
        proportion.
    latency_ms
        Expected p95 latency in ms (>= 0).
    sentiment
        Average sentiment of social mentions, in [-1, 1].
    mentions
        Expected social mentions per period (>= 0).
    ad_spend
        Expected ad spend per period in CNY (>= 0).
    ctr
        Click-through rate of the ads, in [0, 1].
    settlement_share
        Share of GMV (net of refunds) the platform pays out, in [0, 1].
    extra_outflow
        Extra cash paid out per period in CNY (>= 0), e.g. a called loan.

    Examples
    --------
    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=7)
    >>> drivers: Drivers = simulate_shop(profile, seed=1).drivers
    >>> drivers.traffic.shape, drivers.ctr.shape, drivers.runs  # (runs, T[, E])
    ((1, 7, 2), (1, 7), 1)
    >>> tuple(drivers.as_dict()) == DRIVERS
    True
    >>> drivers.get("settlement_share")[0, 0]  # 1 - the 5 % platform fee
    np.float64(0.95)
    >>> drivers.traffic.flags.writeable
    False
    """

    traffic: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    conversion: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    price: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    restock: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    defect_rate: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    delay_rate: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    service_failure_rate: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    availability: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    error_rate: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    payment_failure_rate: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    latency_ms: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    sentiment: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    mentions: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    ad_spend: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    ctr: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    settlement_share: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )
    extra_outflow: FloatArray = attrs.field(
        converter=_to_floats, eq=_ARRAY_EQ, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        """Check shapes (consistent T, E and run axis) and ranges."""
        for name in DRIVERS:
            value = getattr(self, name)
            if not isinstance(value, np.ndarray):
                raise InvalidTypeError(name, value, "an array-like of real numbers")
        _check_drivers(self)

    @classmethod
    def _trusted(cls, arrays: Mapping[str, FloatArray]) -> Drivers:
        """Build from engine arrays (valid by construction) without copies or checks."""
        drivers: Drivers = object.__new__(cls)
        for name in DRIVERS:
            array = np.ascontiguousarray(arrays[name], dtype=np.float64)
            if array.flags.writeable:
                array = engine.read_only(
                    array.copy() if array.base is not None else array
                )
            object.__setattr__(drivers, name, array)
        return drivers

    @property
    def runs(self) -> int:
        """Length of the longest run axis (1 when no driver varies by run)."""
        return max(int(getattr(self, name).shape[0]) for name in DRIVERS)

    def get(self, name: str) -> FloatArray:
        """Return the driver called ``name``; `UnknownKeyError` if there is none."""
        if name not in DRIVERS:
            raise UnknownKeyError("driver", name, DRIVERS)
        result: FloatArray = getattr(self, name)
        return result

    def as_dict(self) -> dict[str, FloatArray]:
        """Return ``{name: array}`` for every driver (the arrays stay read-only)."""
        return {name: getattr(self, name) for name in DRIVERS}


# --- the result -----------------------------------------------------------------------


def _to_array_map(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if not isinstance(value, Mapping):
        return value
    return FrozenDict((key, _to_floats(array)) for key, array in value.items())


def _to_shocks(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    return to_tuple(value)


def _check_run_arrays(run: ShopRun) -> None:
    runs = 1 if run.runs is None else run.runs
    periods = run.profile.periods
    skus = run.profile.assortment.size
    wanted = run.profile.metrics
    sku_wanted = tuple(key for key in wanted if key in SKU_METRICS)
    for name, mapping, keys, shape in (
        ("sku_kpis", run.sku_kpis, sku_wanted, (runs, periods, skus)),
        ("shop_kpis", run.shop_kpis, wanted, (runs, periods)),
    ):
        if not isinstance(mapping, FrozenDict):
            raise InvalidTypeError(name, mapping, "a mapping of metric key to array")
        if tuple(mapping) != keys:
            raise ValidationError(
                name, tuple(mapping), f"one array per metric, in order {keys}"
            )
        for key, array in mapping.items():
            if getattr(array, "shape", None) != shape:
                raise ValidationError(
                    f"{name}[{key!r}]",
                    getattr(array, "shape", array),
                    f"an array of shape {shape}",
                )
            if np.isinf(array).any():
                raise ValidationError(
                    f"{name}[{key!r}]", "inf", "finite numbers or NaN (undefined)"
                )
    check_array(run.lost_orders, "lost_orders", shape=(runs, periods, skus), low=0.0)
    for name in ("drivers", "baseline"):
        drivers: Drivers = getattr(run, name)
        shape = drivers.traffic.shape
        if shape[1:] != (periods, skus) or drivers.runs not in (1, runs):
            raise ValidationError(
                f"{name}.traffic",
                shape,
                f"drivers for the profile's {periods} periods and {skus} SKUs, "
                f"with a run axis of 1 or {runs}",
            )


@attrs.frozen(kw_only=True)
class ShopRun:
    """What `simulate_shop` produced: KPIs, the drivers behind them, the truth.

    Every array has a leading run axis (length 1 for a single run). The
    KPIs of one run form a `Panel` (`panel()`): the SKUs, then the shop row.

    Attributes
    ----------
    profile
        The shop simulated.
    shocks
        The shocks injected, in the order applied.
    runs
        The ``runs`` argument: ``None`` for a single run, else the number.
    drivers
        The drivers after the shocks (`Drivers`).
    baseline
        The drivers before any shock: what the shop planned for.
    ground_truth
        One `GroundTruth` per shock, in the same order.
    sku_kpis
        ``{metric: array (runs, T, E)}`` for the profile's SKU-level metrics.
    shop_kpis
        ``{metric: array (runs, T)}``: the shop row of every profile metric.
    lost_orders
        Orders customers wanted but could not place for lack of stock,
        ``(runs, T, E)``.

    Examples
    --------
    Three runs at once, with traffic halved on days 3 to 5:

    >>> import datetime as dt
    >>> import attrs
    >>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> profile = ShopProfile.default(start, skus=2, days=7)
    >>> from crisisops.scenarios.shocks import DemandShift
    >>> slump = DemandShift(
    ...     key="slump",
    ...     onset=start + dt.timedelta(days=3),
    ...     end=start + dt.timedelta(days=6),
    ...     traffic_factor=0.5,
    ... )
    >>> run: ShopRun = simulate_shop(profile, [slump], seed=1, runs=3)
    >>> run.n_runs, run.kpi("sales.orders").shape  # runs x days x (SKUs + shop)
    (3, (3, 7, 3))
    >>> run.truth("slump").crisis_type
    'market.demand_shift'
    >>> (run.drivers.traffic / run.baseline.traffic)[0, :, 0].tolist()
    [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0]
    >>> run.panel(2, shop_only=True).entities
    ('shop',)
    """

    profile: ShopProfile = attrs.field(
        validator=_instance_of(ShopProfile, "a ShopProfile")
    )
    shocks: tuple[Shock, ...] = attrs.field(converter=_to_shocks)
    runs: int | None = attrs.field(validator=is_optional(_int_at_least(1)))
    drivers: Drivers = attrs.field(validator=_instance_of(Drivers, "a Drivers"))
    baseline: Drivers = attrs.field(validator=_instance_of(Drivers, "a Drivers"))
    ground_truth: tuple[GroundTruth, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(GroundTruth, "a GroundTruth")),
    )
    sku_kpis: FrozenDict[str, FloatArray] = attrs.field(
        converter=_to_array_map, eq=attrs.cmp_using(eq=arrays_equal), hash=False
    )
    shop_kpis: FrozenDict[str, FloatArray] = attrs.field(
        converter=_to_array_map, eq=attrs.cmp_using(eq=arrays_equal), hash=False
    )
    lost_orders: FloatArray = attrs.field(
        converter=_to_floats, eq=attrs.cmp_using(eq=arrays_equal), hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check that shocks, truths and arrays fit the profile."""
        for index, shock in enumerate(self.shocks):
            if not is_shock(shock):
                raise InvalidTypeError(f"shocks[{index}]", shock, "a shock")
        if len(self.ground_truth) != len(self.shocks):
            raise ValidationError(
                "ground_truth",
                len(self.ground_truth),
                f"one GroundTruth per shock ({len(self.shocks)})",
            )
        _check_run_arrays(self)

    @property
    def n_runs(self) -> int:
        """Number of runs (the length of every array's first axis)."""
        return 1 if self.runs is None else self.runs

    @property
    def timestamps(self) -> tuple[dt.datetime, ...]:
        """Start of every period."""
        return self.profile.timestamps

    @property
    def entities(self) -> tuple[str, ...]:
        """The panel's entities: the SKUs, then `SHOP_ENTITY`."""
        return self.profile.entities

    @property
    def metrics(self) -> tuple[str, ...]:
        """The KPIs generated, in panel order."""
        return self.profile.metrics

    def kpi(self, key: str) -> FloatArray:
        """Return one KPI for every entity, ``(runs, T, E + 1)``, shop last.

        Shop-only KPIs are NaN in the SKU columns. The result is a new
        (writable) array.

        Raises
        ------
        UnknownKeyError
            If the profile did not generate ``key``.
        """
        if key not in self.shop_kpis:
            raise UnknownKeyError("generated metric", key, tuple(self.shop_kpis))
        runs, periods, skus = (
            self.n_runs,
            self.profile.periods,
            self.profile.assortment.size,
        )
        result = np.full((runs, periods, skus + 1), np.nan)
        if key in self.sku_kpis:
            result[:, :, :skus] = self.sku_kpis[key]
        result[:, :, skus] = self.shop_kpis[key]
        return result

    def panel(self, run: int = 0, *, shop_only: bool = False) -> Panel:
        """Return run ``run`` as a monitoring `Panel` (SKUs, then the shop).

        With ``shop_only=True`` the panel has the shop row alone (what a
        shop-level watch reads), without building the SKU rows at all.

        Raises
        ------
        ValidationError, InvalidTypeError
            If ``run`` is not an int in ``[-runs, runs - 1]``, or
            ``shop_only`` is not a bool.
        """
        if isinstance(run, bool) or not isinstance(run, (int, np.integer)):
            raise InvalidTypeError("run", run, "an int")
        if not isinstance(shop_only, bool):
            raise InvalidTypeError("shop_only", shop_only, "a bool")
        count = self.n_runs
        if not -count <= int(run) < count:
            raise ValidationError("run", run, f"a run index in [{-count}, {count - 1}]")
        position = int(run) % count
        skus = 0 if shop_only else self.profile.assortment.size
        values = np.full((self.profile.periods, skus + 1, len(self.metrics)), np.nan)
        for column, key in enumerate(self.metrics):
            if skus and key in self.sku_kpis:
                values[:, :skus, column] = self.sku_kpis[key][position]
            values[:, skus, column] = self.shop_kpis[key][position]
        return Panel(
            timestamps=self.timestamps,
            entities=self.entities[-1:] if shop_only else self.entities,
            metrics=self.metrics,
            values=values,
        )

    def truth(self, key: str) -> GroundTruth:
        """Return the ground truth of the shock with ``key``.

        Raises
        ------
        UnknownKeyError
            If no shock has that key.
        """
        for item in self.ground_truth:
            if item.shock == key:
                return item
        raise UnknownKeyError("shock", key, [t.shock for t in self.ground_truth])


# --- the entry point ------------------------------------------------------------------


def _check_runs(runs: object) -> int:
    if runs is None:
        return 1
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)):
        raise InvalidTypeError("runs", runs, "None (one run) or an int >= 1")
    if int(runs) < 1:
        raise ValidationError("runs", runs, "None (one run) or an int >= 1")
    return int(runs)


def _check_shocks(shocks: object) -> tuple[Shock, ...]:
    if isinstance(shocks, (str, bytes, Mapping)) or not isinstance(shocks, Iterable):
        raise InvalidTypeError("shocks", shocks, "an iterable of shocks")
    items = tuple(shocks)
    seen: set[str] = set()
    for index, shock in enumerate(items):
        if not is_shock(shock):
            raise InvalidTypeError(
                f"shocks[{index}]",
                shock,
                "a shock (DemandShift, PriceWar, PolicyChange, SupplierOutage, "
                "LogisticsDelay, ProductDefect, ServiceFailure, SiteOutage, "
                "DataBreach or CashSqueeze)",
            )
        if shock.key in seen:
            raise DuplicateKeyError("shock key", shock.key)
        seen.add(shock.key)
    return items


def simulate_shop(
    profile: ShopProfile,
    shocks: Iterable[Shock] = (),
    *,
    seed: SeedLike,
    runs: int | None = None,
) -> ShopRun:
    """Simulate the shop, with ``shocks`` applied to its drivers, once or many times.

    Parameters
    ----------
    profile
        The shop (`ShopProfile`).
    shocks
        Shocks from `crisisops.scenarios.shocks`, applied to the drivers in
        the order given (multiplicative effects commute; a shock that sets a
        level blends from what the earlier ones left). Keys must be unique.
    seed
        An int seed >= 0 or a `numpy.random.Generator` (required: the same
        seed gives the same shop, DESIGN principle 1).
    runs
        ``None`` for one run, else the number of independent runs to draw
        at once, vectorised: every array gets that many rows.

    Returns
    -------
    ShopRun
        KPIs, drivers before and after the shocks, and each shock's truth.

    Notes
    -----
    Everything is array code over ``(runs, periods, SKUs)`` except the
    inventory recursion, which loops over the periods (each step vectorised
    over runs × SKUs). Memory grows with ``runs × periods × SKUs × metrics``
    (8 bytes each): split a large batch into chunks with their own seeds
    (e.g. from `numpy.random.SeedSequence.spawn`).

    Each component (visits, orders, reviews, …) draws from its own stream,
    so two scenarios run with the same seed share their customers: with and
    without a supplier outage, the orders *wanted* are identical and only
    what the outage changes differs (common random numbers; Law 2015 §11.2).

    Raises
    ------
    InvalidTypeError, ValidationError
        For a bad argument, a shock outside the scenario's period, or a
        shock that needs a supply network the profile does not have.
    UnknownKeyError
        For a shock naming an unknown SKU or supply node (with suggestions).
    DuplicateKeyError
        For two shocks with one key.
    """
    if not isinstance(profile, ShopProfile):
        raise InvalidTypeError("profile", profile, "a ShopProfile")
    items = _check_shocks(shocks)
    count = _check_runs(runs)
    cal = profile._cal()  # noqa: SLF001  same package
    baseline = engine.baseline_drivers(profile, cal)
    scene = ShockContext(
        profile, cal, count, {k: v.copy() for k, v in baseline.items()}
    )
    for index, shock in enumerate(items):
        shock.check(scene, f"shocks[{index}]")
    streams = engine.Streams(seed)
    truths = tuple(shock.apply(scene, streams.for_shock(shock.key)) for shock in items)
    drivers = scene.drivers
    metrics = frozenset(profile.metrics)
    ordered = engine.time_major(drivers)
    demand = engine.draw_demand(
        profile,
        ordered,
        count,
        streams,
        browsing=bool(metrics & {"traffic.visits", "sales.conversion_rate"}),
    )
    planned = engine.expected_orders(baseline)[0]
    stock = engine.run_inventory(
        profile, cal, planned, ordered["restock"], demand.orders
    )
    done = engine.draw_fulfilment(profile, ordered, stock.sales, streams, metrics)
    sku, shop = engine.sku_level(profile, demand, stock, done)
    shop.update(
        engine.shop_level(
            profile,
            cal=cal,
            drivers=ordered,
            baseline=baseline,
            demand=demand,
            stock=stock,
            done=done,
            streams=streams,
        )
    )
    return _trusted_run(
        profile=profile,
        shocks=items,
        runs=runs if runs is None else count,
        drivers=Drivers._trusted(drivers),  # noqa: SLF001  same module
        baseline=Drivers._trusted(baseline),  # noqa: SLF001  same module
        ground_truth=truths,
        sku={key: np.swapaxes(sku[key], 0, 1) for key in profile.metrics if key in sku},
        shop={key: shop[key].T for key in profile.metrics},
        lost=np.swapaxes(demand.orders - stock.sales, 0, 1),
    )


def _trusted_run(  # noqa: PLR0913  every part of a run, keyword-only
    *,
    profile: ShopProfile,
    shocks: tuple[Shock, ...],
    runs: int | None,
    drivers: Drivers,
    baseline: Drivers,
    ground_truth: tuple[GroundTruth, ...],
    sku: dict[str, FloatArray],
    shop: dict[str, FloatArray],
    lost: FloatArray,
) -> ShopRun:
    """Build a run from engine output (valid by construction), skipping checks.

    The arrays are fresh engine arrays that nobody else holds; they are
    locked read-only in place instead of copied.
    """
    run: ShopRun = object.__new__(ShopRun)
    for name, value in (
        ("profile", profile),
        ("shocks", shocks),
        ("runs", runs),
        ("drivers", drivers),
        ("baseline", baseline),
        ("ground_truth", ground_truth),
        ("sku_kpis", FrozenDict((k, _lock(v)) for k, v in sku.items())),
        ("shop_kpis", FrozenDict((k, _lock(v)) for k, v in shop.items())),
        ("lost_orders", _lock(lost)),
    ):
        object.__setattr__(run, name, value)
    return run


def _lock(array: FloatArray) -> FloatArray:
    """Lock a fresh engine array (or a transposed view of one) read-only.

    The engine works time-major; a run's arrays are run-major views of the
    engine's own arrays, which nobody else holds, so locking the view and
    the array it looks into makes the value immutable without a copy.
    """
    result = np.asarray(array, dtype=np.float64)
    base: object = result.base
    if base is None:
        pass
    elif (
        isinstance(base, np.ndarray) and base.base is None and base.size == result.size
    ):
        base.setflags(write=False)
    else:
        result = result.copy()
    return engine.read_only(result)
