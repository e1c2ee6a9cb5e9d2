"""The numerical engine behind `simulate_shop` (private).

Everything here is array code; the public value classes live in
`crisisops.scenarios.shop` and `crisisops.scenarios.shocks`. Drivers are
run-major, ``(runs, periods, SKUs)``; the sampling stages work on time-major
views, ``(periods, runs, SKUs)`` (`time_major`), and `simulate_shop` hands the
results back run-major. The stages, in the order `simulate_shop` runs them
(the benchmark times them one by one):

1. `calendar()` – the period timestamps and their local calendar features;
2. `baseline_drivers()` – trend × weekly (× hourly) seasonality × promotions,
   the drivers before any shock;
3. the shocks change the drivers (`crisisops.scenarios.shocks`);
4. `draw_demand()` – visits and orders: a gamma–Poisson (negative binomial)
   traffic intensity, split by Poisson thinning into orders and browsing;
5. `run_inventory()` – the only sequential stage: per period, stock sells
   down and an order-up-to policy restocks with each SKU's lead time;
6. `draw_fulfilment()` – order values, reviews, complaints, refunds, late
   deliveries, all binomial out of the orders actually sold;
7. `shop_level()` – the shop row: sums and ratios of the SKU rows, social,
   technical and marketing indicators, cash balance and runway.

Randomness: the seed is turned into one independent stream per component
(`Streams`), so the demand draws never depend on which feedback metrics are
requested, and two scenarios that share a seed and differ only in, say, a
supplier outage see exactly the same customers (common random numbers).
Streams are consumed in time order, so a shock never changes a draw made
before its onset, in any run.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from crisisops._random import SeedLike, resolve_rng
from crisisops._time import instant, wall_time
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.monitoring import default_metrics

if TYPE_CHECKING:
    from crisisops.scenarios.shop import Promotion, ShopProfile

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Entity key of the shop-level row of a synthetic panel.
SHOP_ENTITY = "shop"
SECONDS_PER_DAY = 86_400.0
_DAYS_PER_YEAR = 365.25

#: Drivers with one value per run, period and SKU: shape ``(1 or R, T, E)``.
SKU_DRIVERS: tuple[str, ...] = (
    "traffic",
    "conversion",
    "price",
    "restock",
    "defect_rate",
    "delay_rate",
    "service_failure_rate",
)
#: Drivers with one value per run and period for the whole shop: ``(1 or R, T)``.
SHOP_DRIVERS: tuple[str, ...] = (
    "availability",
    "error_rate",
    "payment_failure_rate",
    "latency_ms",
    "sentiment",
    "mentions",
    "ad_spend",
    "ctr",
    "settlement_share",
    "extra_outflow",
)
#: Every driver, SKU-level first.
DRIVERS: tuple[str, ...] = SKU_DRIVERS + SHOP_DRIVERS
#: Drivers that are shares or probabilities, in [0, 1].
UNIT_DRIVERS = frozenset(
    {
        "conversion",
        "restock",
        "defect_rate",
        "delay_rate",
        "service_failure_rate",
        "availability",
        "error_rate",
        "payment_failure_rate",
        "ctr",
        "settlement_share",
    }
)

#: KPIs with a value per SKU (the shop row holds their sum or ratio).
SKU_METRICS: tuple[str, ...] = (
    "sales.gmv",
    "sales.orders",
    "sales.conversion_rate",
    "sales.average_order_value",
    "traffic.visits",
    "feedback.negative_review_rate",
    "feedback.rating",
    "feedback.complaints",
    "feedback.refund_rate",
    "supply.inventory_days_of_cover",
    "supply.stockout_rate",
    "logistics.on_time_delivery_rate",
    "logistics.delay_rate",
    "feedback.negative_reviews",
)
#: KPIs that only the shop row has (NaN in the SKU rows of a panel).
SHOP_ONLY_METRICS: tuple[str, ...] = (
    "marketing.ad_spend",
    "marketing.roi",
    "marketing.ctr",
    "social.mentions",
    "social.sentiment",
    "tech.error_rate",
    "tech.latency_p95",
    "tech.payment_failure_rate",
    "cash.balance",
    "cash.runway_days",
    "tech.availability",
)
#: Every KPI the synthetic shop generates, in the order of `default_metrics()`.
SHOP_METRICS: tuple[str, ...] = tuple(default_metrics().keys())

_GMV_METRICS = frozenset(
    {
        "sales.gmv",
        "sales.average_order_value",
        "marketing.roi",
        "cash.balance",
        "cash.runway_days",
    }
)
_BROWSING_METRICS = frozenset({"traffic.visits", "sales.conversion_rate"})
_REVIEW_METRICS = frozenset(
    {
        "feedback.negative_reviews",
        "feedback.negative_review_rate",
        "feedback.rating",
    }
)
_LATE_METRICS = frozenset({"logistics.delay_rate", "logistics.on_time_delivery_rate"})
_STREAM_NAMES: tuple[str, ...] = (
    "visit_mix",
    "orders",
    "browsing",
    "order_value",
    "reviews",
    "complaints",
    "refunds",
    "late",
    "social",
    "tech",
    "marketing",
)


# --- checks shared by the value classes -----------------------------------------------


def read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Lock ``array`` against writes and return it."""
    array.setflags(write=False)
    return array


def frozen_array(value: Any, dtype: type[np.generic]) -> Any:  # noqa: ANN401  validator reports odd input
    """Return a read-only array of ``dtype`` that nobody else can write to.

    An array that already is read-only, of the right dtype and owns its
    memory (what the engine hands over) is kept as is; anything else
    array-like of real numbers is copied. Text, objects, booleans and ragged
    lists pass through for the field's validator to report.
    """
    if (
        isinstance(value, np.ndarray)
        and value.dtype == dtype
        and not value.flags.writeable
        and value.base is None
    ):
        return value
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if raw.dtype.kind not in "iuf" or (
        dtype is np.int64 and raw.dtype.kind == "f" and not _integral(raw)
    ):
        return value
    return read_only(np.array(raw, dtype=dtype, copy=True))


def _integral(array: npt.NDArray[Any]) -> bool:
    return bool(np.isfinite(array).all() and (array == np.round(array)).all())


def check_array(  # noqa: PLR0913  one check, every facet of an array field
    value: object,
    field: str,
    *,
    shape: tuple[int, ...] | None = None,
    ndim: int | None = None,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
) -> None:
    """Check a numeric array: shape or rank, finiteness and a closed range."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iuf":
        raise InvalidTypeError(field, value, "an array-like of real numbers")
    if shape is not None and value.shape != shape:
        raise ValidationError(field, value.shape, f"an array of shape {shape}")
    if ndim is not None and value.ndim != ndim:
        raise ValidationError(field, value.shape, f"a {ndim}-dimensional array")
    finite = np.isfinite(value)
    if not finite.all():
        where = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ValidationError(
            f"{field}[{', '.join(map(str, where))}]",
            float(value[where]),
            "a finite number (not NaN or infinite)",
        )
    bad = np.zeros(value.shape, dtype=bool)
    if low is not None:
        bad |= (value <= low) if low_open else (value < low)
    if high is not None:
        bad |= value > high
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        bracket = "(" if low_open else "["
        raise ValidationError(
            f"{field}[{', '.join(map(str, where))}]",
            value[where].item(),
            f"a number in {bracket}{lo}, {hi}]",
        )


def arrays_equal(left: object, right: object) -> bool:
    """Compare two arrays (or mappings of arrays) value by value, NaN equal."""
    if isinstance(left, np.ndarray) and isinstance(right, np.ndarray):
        return bool(np.array_equal(left, right, equal_nan=left.dtype.kind == "f"))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return list(left) == list(right) and all(
            arrays_equal(left[k], right[k]) for k in left
        )
    return False


# --- calendar -------------------------------------------------------------------------


class Calendar(NamedTuple):
    """The periods of a scenario and their local calendar features."""

    timestamps: tuple[dt.datetime, ...]
    #: POSIX seconds of each period's start, shape (T,).
    seconds: FloatArray
    #: Nominal length of one period in seconds.
    period_seconds: float
    periods_per_day: int
    #: Local date of each period as a proleptic Gregorian ordinal.
    ordinals: IntArray
    #: Local weekday of each period, Monday = 0.
    weekdays: IntArray
    #: Local hour of each period's start.
    hours: IntArray
    #: Elapsed days since the start, shape (T,).
    days: FloatArray
    #: The moment the last period ends (exclusive end of the horizon).
    end: dt.datetime


def calendar(start: dt.datetime, periods: int, *, hourly: bool) -> Calendar:
    """Return the periods from ``start``: calendar days or real hours.

    Daily periods start at the same wall-clock time each local day (a day
    may last 23 or 25 hours where the zone changes its clocks); hourly
    periods are real hours, computed through UTC, so timestamps always
    increase. Building the ``datetime`` objects is the one per-period Python
    step; every feature after that is array code.
    """
    if hourly:
        base = instant(start)
        zone = start.tzinfo
        stamps = tuple(
            (base + dt.timedelta(hours=i)).astimezone(zone) for i in range(periods)
        )
        end = (base + dt.timedelta(hours=periods)).astimezone(zone)
    else:
        stamps = tuple(wall_time(start + dt.timedelta(days=i)) for i in range(periods))
        end = wall_time(start + dt.timedelta(days=periods))
    seconds = np.fromiter((s.timestamp() for s in stamps), np.float64, periods)
    ordinals = np.fromiter((s.toordinal() for s in stamps), np.int64, periods)
    hours = np.fromiter((s.hour for s in stamps), np.int64, periods)
    return Calendar(
        timestamps=stamps,
        seconds=read_only(seconds),
        period_seconds=3_600.0 if hourly else SECONDS_PER_DAY,
        periods_per_day=24 if hourly else 1,
        ordinals=read_only(ordinals),
        weekdays=read_only((ordinals - 1) % 7),  # ordinal 1 (1 Jan 1) is a Monday
        hours=read_only(hours),
        days=read_only((seconds - seconds[0]) / SECONDS_PER_DAY),
        end=end,
    )


def intensity(
    cal: Calendar,
    onset: dt.datetime,
    end: dt.datetime,
    ramp: dt.timedelta,
    recovery: dt.timedelta,
) -> FloatArray:
    """Return a shock's strength per period, from 0 (none) to 1 (full).

    The first period that starts at or after ``onset`` already feels the
    shock; the strength grows linearly to 1 over ``ramp``, stays there until
    ``end`` and fades linearly back to 0 over ``recovery`` after it. With no
    ramp and no recovery it is a plain 0/1 window ``onset <= t < end``.
    """
    t = cal.seconds
    period = cal.period_seconds
    start = onset.timestamp()
    stop = end.timestamp()
    rise = ramp.total_seconds() + period
    fade = recovery.total_seconds() + period
    up = np.clip((t - start + period) / rise, 0.0, 1.0)
    up[t < start] = 0.0
    reached = min(1.0, (stop - start) / rise)
    down = np.clip(1.0 - (t - stop + period) / fade, 0.0, 1.0) * reached
    return read_only(np.where(t < stop, up, down))


# --- random streams -------------------------------------------------------------------


class Streams:
    """One independent random stream per component of the model.

    The caller's seed (or Generator) gives four 63-bit words; they seed a
    `numpy.random.SeedSequence` whose children feed the components, and each
    shock gets its own stream keyed by its key. Requesting fewer metrics, or
    adding a shock, never shifts another component's draws.
    """

    def __init__(self, seed: SeedLike) -> None:
        """Derive the component streams from ``seed`` (an int >= 0 or a Generator)."""
        root = resolve_rng(seed, "seed")
        self.entropy = [int(x) for x in root.integers(0, 2**63 - 1, size=4)]
        children = np.random.SeedSequence(self.entropy).spawn(len(_STREAM_NAMES))
        self._streams = {
            name: np.random.default_rng(child)
            for name, child in zip(_STREAM_NAMES, children, strict=True)
        }

    def __getitem__(self, name: str) -> np.random.Generator:
        """Return the stream of one component."""
        return self._streams[name]

    def for_shock(self, key: str) -> np.random.Generator:
        """Return the stream of the shock with ``key``."""
        word = zlib.crc32(key.encode("utf-8"))
        return np.random.default_rng(np.random.SeedSequence([*self.entropy, word]))


# --- baseline drivers -----------------------------------------------------------------


class PromotionEffects(NamedTuple):
    """Per-period multipliers of all promotions together, shape (T,) each."""

    traffic: FloatArray
    conversion: FloatArray
    price: FloatArray
    delay: FloatArray
    ad_spend: FloatArray


def promotion_effects(
    promotions: Iterable[Promotion], cal: Calendar
) -> PromotionEffects:
    """Return the multipliers the promotions put on the drivers, per period.

    For each promotion and each year of the horizon: traffic and ad spend
    climb linearly over the ``ramp_days`` before the peak and hold their full
    factor on the peak days; conversion and the discount apply on the peak
    days; the delivery-delay factor applies on the peak days and fades over
    the ``backlog_days`` after them (parcels pile up after a festival).
    """
    n = cal.ordinals.size
    traffic, conversion, price, delay, ad = (np.ones(n) for _ in range(5))
    first = dt.date.fromordinal(int(cal.ordinals[0])).year
    last = dt.date.fromordinal(int(cal.ordinals[-1])).year
    for promo in promotions:
        for year in range(first - 1, last + 2):
            until = dt.date(year, promo.month, promo.day).toordinal() - cal.ordinals
            ramp = np.where(
                (until >= 1) & (until <= promo.ramp_days),
                (promo.ramp_days + 1 - until) / (promo.ramp_days + 1),
                0.0,
            )
            peak = (until <= 0) & (until > -promo.duration_days)
            after = -(until + promo.duration_days - 1)
            backlog = np.where(
                (after >= 1) & (after <= promo.backlog_days),
                1.0 - after / (promo.backlog_days + 1),
                0.0,
            )
            lift = np.where(peak, 1.0, ramp)
            traffic *= 1.0 + (promo.traffic_factor - 1.0) * lift
            ad *= 1.0 + (promo.ad_spend_factor - 1.0) * lift
            conversion *= np.where(peak, promo.conversion_factor, 1.0)
            price *= np.where(peak, 1.0 - promo.discount, 1.0)
            delay *= 1.0 + (promo.delay_factor - 1.0) * np.where(peak, 1.0, backlog)
    return PromotionEffects(traffic, conversion, price, delay, ad)


def baseline_drivers(profile: ShopProfile, cal: Calendar) -> dict[str, FloatArray]:
    """Return the drivers before any shock: run axis of length 1.

    ``traffic = base visits per day / periods per day × (1 + growth)^years ×
    weekly[weekday] (× daily[hour]) × promotion``; conversion, price and
    delays follow the promotions; everything else is the profile's level.
    """
    goods = profile.assortment
    demand = profile.demand
    n_periods = len(cal.timestamps)
    n_skus = len(goods.skus)
    ppd = cal.periods_per_day
    weekly = np.asarray(demand.weekly_profile, dtype=np.float64)
    season = (1.0 + demand.annual_growth) ** (cal.days / _DAYS_PER_YEAR) * (
        weekly[cal.weekdays] / weekly.mean()
    )
    hourly = np.ones(n_periods)
    if ppd > 1:
        daily = np.asarray(demand.daily_profile, dtype=np.float64)
        hourly = daily[cal.hours] / daily.mean()
        season = season * hourly
    promo = promotion_effects(demand.promotions, cal)

    def per_sku(row: FloatArray, column: FloatArray) -> FloatArray:
        result: FloatArray = np.multiply.outer(row, column)[np.newaxis]
        return result

    def per_shop(value: float | FloatArray) -> FloatArray:
        row = np.broadcast_to(np.asarray(value, dtype=np.float64), (n_periods,))
        result: FloatArray = row[np.newaxis].copy()
        return result

    feedback = profile.feedback
    tech = profile.tech
    return {
        "traffic": per_sku(season * promo.traffic, goods.base_visits / ppd),
        "conversion": np.minimum(per_sku(promo.conversion, goods.conversion), 1.0),
        "price": per_sku(promo.price, goods.price),
        "restock": np.ones((1, n_periods, n_skus)),
        "defect_rate": per_sku(np.ones(n_periods), goods.defect_rate),
        "delay_rate": per_sku(
            np.minimum(feedback.delay_rate * promo.delay, 1.0), np.ones(n_skus)
        ),
        "service_failure_rate": np.full(
            (1, n_periods, n_skus), feedback.service_failure_rate
        ),
        "availability": per_shop(tech.availability),
        "error_rate": per_shop(tech.error_rate),
        "payment_failure_rate": per_shop(tech.payment_failure_rate),
        "latency_ms": per_shop(
            tech.latency_ms * (1.0 + tech.latency_per_load * (promo.traffic - 1.0))
        ),
        "sentiment": per_shop(profile.social.sentiment),
        "mentions": per_shop(
            profile.social.mentions_per_day / ppd * hourly * np.sqrt(promo.traffic)
        ),
        "ad_spend": per_shop(
            profile.marketing.ad_spend_per_day / ppd * hourly * promo.ad_spend
        ),
        "ctr": per_shop(profile.marketing.ctr),
        "settlement_share": per_shop(1.0 - profile.cash.platform_fee),
        "extra_outflow": per_shop(0.0),
    }


def expected_orders(drivers: dict[str, FloatArray]) -> FloatArray:
    """Return the expected orders per period and SKU the drivers imply (R|1, T, E)."""
    visits = drivers["traffic"] * drivers["availability"][:, :, np.newaxis]
    paid = 1.0 - drivers["payment_failure_rate"][:, :, np.newaxis]
    result: FloatArray = visits * drivers["conversion"] * paid
    return result


def time_major(drivers: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Return views of the drivers with time first: (T, 1|R, E) and (T, 1|R).

    The sampling stages work time-major: every random stream is consumed in
    time order, so a shock that changes a driver from its onset on leaves
    every draw before the onset unchanged, in every run (common random
    numbers for the past), and each period of the stock recursion is one
    contiguous block.
    """
    return {name: np.swapaxes(array, 0, 1) for name, array in drivers.items()}


# --- demand ---------------------------------------------------------------------------


class Demand(NamedTuple):
    """Visits and orders before stock-outs, time-major: shape (T, R, E)."""

    #: Orders customers would place (not yet capped by stock), int64.
    orders: IntArray
    #: Visits that do not end in an order, int64; None if not requested.
    browsing: IntArray | None
    #: Expected visits of the shop per period (after the mixing draw), (T, R).
    shop_visits: FloatArray
    #: Expected payment attempts of the shop per period, (T, R).
    shop_attempts: FloatArray


def draw_demand(
    profile: ShopProfile,
    drivers: dict[str, FloatArray],
    runs: int,
    streams: Streams,
    *,
    browsing: bool,
) -> Demand:
    """Draw visits and orders for every period, run and SKU at once.

    ``drivers`` are time-major (`time_major`). The traffic intensity is
    ``Λ = traffic × availability × G`` with ``G ~ Gamma(k, 1/k)`` (mean 1,
    variance ``1/k``) when the profile sets a visit dispersion ``k``, so
    visits are negative binomial with variance ``μ + μ²/k`` (the
    gamma–Poisson mixture; Greenwood & Yule 1920); without it, Poisson. A
    visit ends in a paid order with probability ``p = conversion × (1 −
    payment failure)``, so orders given visits are Binomial(visits, p). By
    Poisson thinning that is the same law as two independent Poisson draws,
    ``orders ~ Poisson(Λp)`` and ``browsing ~ Poisson(Λ(1 − p))``, which is
    what is drawn (cheaper than a binomial per cell, and orders never depend
    on whether visits are requested).
    """
    traffic = drivers["traffic"]
    shape = (traffic.shape[0], runs, traffic.shape[2])
    rate = traffic * drivers["availability"][:, :, np.newaxis]
    dispersion = profile.demand.visit_dispersion
    if dispersion is not None:
        mix = streams["visit_mix"].standard_gamma(dispersion, size=shape)
        mix *= 1.0 / dispersion
        rate = rate * mix
    else:
        rate = np.broadcast_to(rate, shape)
    buy = drivers["conversion"] * (
        1.0 - drivers["payment_failure_rate"][:, :, np.newaxis]
    )
    orders = streams["orders"].poisson(rate * buy)
    rest = streams["browsing"].poisson(rate * (1.0 - buy)) if browsing else None
    conversion = np.broadcast_to(drivers["conversion"], shape)
    return Demand(
        orders=orders,
        browsing=rest,
        shop_visits=rate.sum(axis=2),
        shop_attempts=np.einsum("tre,tre->tr", rate, conversion),
    )


# --- inventory ------------------------------------------------------------------------


class Inventory(NamedTuple):
    """What the stock recursion produced, time-major (T, R, E) unless noted."""

    sales: FloatArray
    #: Stock on hand at the end of each period.
    stock: FloatArray
    #: Units arriving from suppliers in each period.
    arrivals: FloatArray
    #: Planned demand per day at each period (the cover denominator), (T, E).
    daily_rate: FloatArray


def _window_sums(
    cumulative: FloatArray, width: npt.NDArray[np.int64], n_periods: int
) -> FloatArray:
    """Return ``Σ x[t : t + width[e], e]`` for ``t < n_periods`` (padded cumsum)."""
    rows = np.arange(n_periods)[:, np.newaxis] + width[np.newaxis, :]
    result: FloatArray = (
        np.take_along_axis(cumulative, rows, axis=0) - cumulative[:n_periods]
    )
    return result


def run_inventory(
    profile: ShopProfile,
    cal: Calendar,
    planned: FloatArray,
    restock: FloatArray,
    demand: IntArray,
) -> Inventory:
    """Sell down and restock every SKU, period by period (the one time loop).

    Stock flows are a recursion in time, so this stage loops over periods;
    each step is array code over all runs × SKUs (``restock`` and
    ``demand`` are time-major). Policy (periodic-review
    order-up-to, Silver, Pyke & Peterson 1998 §7): every ``review_period_days``
    the shop orders ``S_t − (on hand + on order)``, rounded up, where the
    target ``S_t`` covers the planned demand of the next ``lead time + review
    period`` plus ``z`` standard deviations. The plan is the *baseline*
    expected demand (it knows the promotions, not the shocks). The supplier
    delivers the order times the ``restock`` driver (a cut delivery is lost,
    not back-ordered) after the SKU's lead time. Sales are ``min(orders,
    stock on hand + arrivals)``; unmet orders are lost.
    """
    n_periods, runs, n_skus = demand.shape
    ppd = cal.periods_per_day
    review = profile.inventory.review_period_days * ppd
    # An order placed at the end of a period arrives at the start of a later
    # one: a lead time of 0 days means "by the next period".
    lead = np.maximum(profile.assortment.lead_time_days.astype(np.int64) * ppd, 1)
    width = lead + review
    horizon = int(width.max()) + max(review, ppd) + 1
    dispersion = profile.demand.visit_dispersion
    variance = planned if dispersion is None else planned + planned**2 / dispersion
    padded = np.concatenate([planned, np.repeat(planned[-1:], horizon, axis=0)])
    spread = np.concatenate([variance, np.repeat(variance[-1:], horizon, axis=0)])
    zero = np.zeros((1, n_skus))
    mean_sum = np.concatenate([zero, np.cumsum(padded, axis=0)])
    var_sum = np.concatenate([zero, np.cumsum(spread, axis=0)])
    target = np.ceil(
        _window_sums(mean_sum, width, n_periods)
        + profile.inventory.safety_z * np.sqrt(_window_sums(var_sum, width, n_periods))
    )
    daily_rate = _window_sums(mean_sum, np.full(n_skus, ppd, dtype=np.int64), n_periods)
    per_review = _window_sums(
        mean_sum, np.full(n_skus, review, dtype=np.int64), n_periods
    )

    # Steady state at the start: the orders of past reviews are in transit.
    max_lead = int(lead.max())
    arrivals = np.zeros((n_periods + max_lead + 1, runs, n_skus))
    if max_lead:
        k = np.arange(max_lead)[:, np.newaxis]
        transit = np.where(
            (k < lead[np.newaxis, :]) & (k % review == 0),
            np.round(per_review[np.minimum(k, n_periods - 1), np.arange(n_skus)]),
            0.0,
        )
        arrivals[:max_lead] = transit[:, np.newaxis, :]
    on_order = arrivals[:max_lead].sum(axis=0)
    on_hand = np.maximum(target[0] - on_order, 0.0)

    sales = np.empty((n_periods, runs, n_skus))
    stock = np.empty((n_periods, runs, n_skus))
    columns = np.arange(n_skus)
    order = np.empty((runs, n_skus))
    for t in range(n_periods):
        landed = arrivals[t]
        on_hand += landed
        on_order -= landed
        sold = sales[t]
        np.minimum(demand[t], on_hand, out=sold)
        on_hand -= sold
        stock[t] = on_hand
        if t % review == 0:
            np.subtract(target[t], on_hand, out=order)
            order -= on_order
            np.ceil(order, out=order)
            np.maximum(order, 0.0, out=order)
            order *= restock[t]
            np.floor(order, out=order)
            on_order += order
            arrivals[t + lead, :, columns] += order.T
    return Inventory(
        sales=sales,
        stock=stock,
        arrivals=arrivals[:n_periods],
        daily_rate=daily_rate,
    )


# --- fulfilment: order values, reviews, complaints, refunds, delays -------------------


class Fulfilment(NamedTuple):
    """Counts and values that follow the orders sold, time-major (T, R, E)."""

    gmv: FloatArray | None
    negative_reviews: IntArray | None
    reviews: IntArray | None
    complaints: IntArray | None
    refunds: IntArray | None
    late: IntArray | None
    #: Expected refunded share of each order (for cash), (T, R|1, E).
    refund_share: FloatArray


def _any_of(*rates: tuple[FloatArray | float, FloatArray | float]) -> FloatArray:
    """Return ``1 − Π (1 − aᵢ bᵢ)``: the chance that at least one cause strikes."""
    keep: FloatArray | float = 1.0
    for share, effect in rates:
        keep = keep * (1.0 - np.asarray(share) * effect)
    return np.clip(1.0 - np.asarray(keep, dtype=np.float64), 0.0, 1.0)


_ALMOST_ONE = 1.0 - 1e-12
# exp() of less than this underflows to 0: such cells go to numpy's sampler.
_UNDERFLOW = 700.0


def _gather(values: FloatArray, shape: tuple[int, ...], flat: IntArray) -> FloatArray:
    """Return ``broadcast_to(values, shape).ravel()[flat]`` without the copy."""
    if values.size == 1:
        return np.full(flat.size, float(values.reshape(-1)[0]))
    if values.shape == shape:
        return (
            values.reshape(-1)[flat]
            if values.flags.c_contiguous
            else values[np.unravel_index(flat, shape)]
        )
    full = np.broadcast_to(values, shape)
    return full[np.unravel_index(flat, shape)]


def rare_binomial(
    rng: np.random.Generator, n: IntArray, p: FloatArray | float
) -> IntArray:
    """Draw Binomial(n, p) per cell by inversion: one uniform per cell.

    Sequential-search inversion (Devroye 1986 §X.4; BINV of
    Kachitvichyanukul & Schmeiser 1988), vectorised: every cell starts at
    ``P(X = 0) = (1 − p)^n``; only the cells whose uniform lies beyond the
    running CDF take another step, so the work follows ``Σ n·p`` and rare
    events (complaints, refunds, late parcels) cost little more than one
    uniform. Using exactly one uniform per cell also couples runs of two
    scenarios monotonically (a higher ``p`` never gives fewer events from
    the same uniform), the best case for common random numbers. Cells
    where ``(1 − p)^n`` underflows are drawn by numpy's sampler instead.
    """
    shape = n.shape
    chance = np.minimum(np.asarray(p, dtype=np.float64), _ALMOST_ONE)
    log_q = np.log1p(-chance)
    u = rng.random(shape)
    cdf: FloatArray = np.multiply(n, log_q, dtype=np.float64)
    overflow = None
    if n.size and float(n.max()) * -float(log_q.min()) > _UNDERFLOW:
        overflow = np.flatnonzero(cdf < -_UNDERFLOW)
    np.exp(cdf, out=cdf)
    if overflow is not None:
        cdf.reshape(-1)[overflow] = 2.0  # the search skips them
    count = np.zeros(shape, dtype=np.int64)
    flat_count = count.reshape(-1)
    idx = np.flatnonzero(u > cdf)
    u_active = u.reshape(-1)[idx]
    step = cdf.reshape(-1)[idx]
    total = step.copy()
    trials = n.reshape(-1)[idx].astype(np.float64)
    odds = _gather(chance / (1.0 - chance), shape, idx)
    k = 0
    while idx.size:
        k += 1
        step *= (trials - (k - 1)) / k
        step *= odds
        total += step
        keep = (u_active > total) & (trials > k)
        flat_count[idx[~keep]] = k
        if not keep.any():
            break
        idx, u_active, step, total, trials, odds = (
            a[keep] for a in (idx, u_active, step, total, trials, odds)
        )
    if overflow is not None and overflow.size:
        flat_count[overflow] = rng.binomial(
            n.reshape(-1)[overflow],
            np.broadcast_to(chance, shape).reshape(-1)[overflow],
        )
    return count


def draw_fulfilment(
    profile: ShopProfile,
    drivers: dict[str, FloatArray],
    sales: FloatArray,
    streams: Streams,
    metrics: frozenset[str],
) -> Fulfilment:
    """Draw what happens to the orders sold (only the parts ``metrics`` need).

    ``drivers`` and ``sales`` are time-major. Each sold order is
    independently defective (``defect_rate``), late (``delay_rate``) or
    badly served (``service_failure_rate``). It is
    reviewed with probability ``review_rate``; a review is negative with
    probability ``q = 1 − (1 − q0) Π (1 − driverᵢ · P(negative | causeᵢ))``;
    complaints and refunds follow the same "any cause" form. Given the
    orders sold, every count is binomial: reviews out of orders, negative
    reviews out of reviews (together the multinomial split of the orders),
    complaints, refunds and late parcels out of orders; the rare ones are
    drawn by inversion (`rare_binomial`). GMV is the sum of ``n`` order
    values with mean ``price`` and coefficient of variation ``cv``:
    ``n · price · (1 + cv · Z / √n)`` by the central limit theorem, floored
    at 0.
    """
    feedback = profile.feedback
    n = sales.astype(np.int64)
    defect = drivers["defect_rate"]
    late_share = drivers["delay_rate"]
    service = drivers["service_failure_rate"]
    refund_share = _any_of(
        (feedback.refund_rate, 1.0), (defect, feedback.refund_if_defect)
    )
    gmv = None
    if metrics & _GMV_METRICS:
        spread = np.maximum(sales, 1.0)
        np.sqrt(spread, out=spread)
        np.divide(
            streams["order_value"].standard_normal(sales.shape), spread, out=spread
        )
        spread *= profile.demand.order_value_cv
        spread += 1.0
        np.maximum(spread, 0.0, out=spread)
        spread *= sales
        spread *= drivers["price"]
        gmv = spread
    negative = reviews = None
    if metrics & _REVIEW_METRICS:
        bad = _any_of(
            (feedback.negative_share, 1.0),
            (defect, feedback.negative_if_defect),
            (late_share, feedback.negative_if_late),
            (service, feedback.negative_if_service_failure),
        )
        rng = streams["reviews"]
        reviews = rng.binomial(n, feedback.review_rate)
        negative = rare_binomial(rng, reviews, bad)
    complaints = None
    if "feedback.complaints" in metrics:
        chance = _any_of(
            (feedback.complaint_rate, 1.0),
            (defect, feedback.complaint_if_defect),
            (late_share, feedback.complaint_if_late),
            (service, feedback.complaint_if_service_failure),
        )
        complaints = rare_binomial(streams["complaints"], n, chance)
    refunds = (
        rare_binomial(streams["refunds"], n, refund_share)
        if "feedback.refund_rate" in metrics
        else None
    )
    late = (
        rare_binomial(streams["late"], n, late_share)
        if metrics & _LATE_METRICS
        else None
    )
    return Fulfilment(
        gmv=gmv,
        negative_reviews=negative,
        reviews=reviews,
        complaints=complaints,
        refunds=refunds,
        late=late,
        refund_share=refund_share,
    )


# --- assembling the KPIs --------------------------------------------------------------


def ratio(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    """Return ``numerator / denominator``, NaN where the denominator is 0."""
    top = np.asarray(numerator, dtype=np.float64)
    bottom = np.asarray(denominator, dtype=np.float64)
    out = np.full(np.broadcast_shapes(top.shape, bottom.shape), np.nan)
    np.divide(top, bottom, out=out, where=bottom != 0)
    return out


def share(part: npt.ArrayLike, whole: npt.ArrayLike) -> FloatArray:
    """Return ``part / whole`` for counts with ``part == 0`` wherever ``whole == 0``.

    Then ``0 / 0`` is the only undefined case and IEEE division already
    gives NaN there, so no mask is needed.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = np.true_divide(part, whole, dtype=np.float64)
    return result


class Outputs(NamedTuple):
    """The KPIs of every run: SKU rows, the shop row and lost orders."""

    sku: dict[str, FloatArray]
    shop: dict[str, FloatArray]
    lost_orders: FloatArray


Rows = dict[str, tuple[FloatArray, FloatArray]]


def _demand_rows(demand: Demand, sales: FloatArray, total_sales: FloatArray) -> Rows:
    rows: Rows = {"sales.orders": (sales, total_sales)}
    if demand.browsing is not None:
        visits = np.add(demand.orders, demand.browsing, dtype=np.float64)
        shop_visits = visits.sum(axis=2)
        rows["traffic.visits"] = (visits, shop_visits)
        rows["sales.conversion_rate"] = (
            share(sales, visits),
            share(total_sales, shop_visits),
        )
    return rows


def _value_rows(done: Fulfilment, sales: FloatArray, total_sales: FloatArray) -> Rows:
    if done.gmv is None:
        return {}
    total_gmv = done.gmv.sum(axis=2)
    return {
        "sales.gmv": (done.gmv, total_gmv),
        "sales.average_order_value": (
            share(done.gmv, sales),
            share(total_gmv, total_sales),
        ),
    }


def _review_rows(done: Fulfilment, profile: ShopProfile) -> Rows:
    if done.negative_reviews is None or done.reviews is None:
        return {}
    negative = done.negative_reviews.astype(np.float64)
    reviews = done.reviews.astype(np.float64)
    total_negative = negative.sum(axis=2)
    total_reviews = reviews.sum(axis=2)
    high = profile.feedback.positive_stars
    low = profile.feedback.negative_stars
    stars = high * reviews - (high - low) * negative
    return {
        "feedback.negative_reviews": (negative, total_negative),
        "feedback.negative_review_rate": (
            share(negative, reviews),
            share(total_negative, total_reviews),
        ),
        "feedback.rating": (
            share(stars, reviews),
            share(stars.sum(axis=2), total_reviews),
        ),
    }


def _service_rows(done: Fulfilment, sales: FloatArray, total_sales: FloatArray) -> Rows:
    rows: Rows = {}
    if done.complaints is not None:
        complaints = done.complaints.astype(np.float64)
        rows["feedback.complaints"] = (complaints, complaints.sum(axis=2))
    if done.refunds is not None:
        rows["feedback.refund_rate"] = (
            share(done.refunds, sales),
            share(done.refunds.sum(axis=2, dtype=np.float64), total_sales),
        )
    if done.late is not None:
        late = share(done.late, sales)
        shop_late = share(done.late.sum(axis=2, dtype=np.float64), total_sales)
        rows["logistics.delay_rate"] = (late, shop_late)
        rows["logistics.on_time_delivery_rate"] = (1.0 - late, 1.0 - shop_late)
    return rows


def _stock_rows(stock: Inventory, wanted: frozenset[str]) -> Rows:
    rows: Rows = {}
    if "supply.inventory_days_of_cover" in wanted:
        rows["supply.inventory_days_of_cover"] = (
            ratio(stock.stock, stock.daily_rate[:, np.newaxis, :]),
            ratio(stock.stock.sum(axis=2), stock.daily_rate.sum(axis=1)[:, np.newaxis]),
        )
    if "supply.stockout_rate" in wanted:
        out = (stock.stock <= 0.0).astype(np.float64)
        rows["supply.stockout_rate"] = (out, out.mean(axis=2))
    return rows


def sku_level(
    profile: ShopProfile,
    demand: Demand,
    stock: Inventory,
    done: Fulfilment,
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Return the SKU rows (T, R, E) and the matching shop row (T, R).

    Only the profile's metrics are returned. Every SKU ratio divides counts
    whose numerator is 0 wherever the denominator is (orders ≤ visits, GMV
    needs orders, …), so ``0 / 0`` is NaN: undefined, e.g. no review on a
    SKU that day.
    """
    sales = stock.sales
    total_sales = sales.sum(axis=2)
    wanted = frozenset(profile.metrics)
    rows: Rows = {}
    rows.update(_demand_rows(demand, sales, total_sales))
    rows.update(_value_rows(done, sales, total_sales))
    rows.update(_review_rows(done, profile))
    rows.update(_service_rows(done, sales, total_sales))
    rows.update(_stock_rows(stock, wanted))
    keys = [key for key in profile.metrics if key in rows]
    return {key: rows[key][0] for key in keys}, {key: rows[key][1] for key in keys}


def _trailing_mean(values: FloatArray, window: int) -> FloatArray:
    """Mean of the last ``window`` values along axis 0 (fewer at the start)."""
    total = np.cumsum(values, axis=0)
    shifted = np.zeros_like(total)
    shifted[window:] = total[:-window]
    count = np.minimum(np.arange(1, values.shape[0] + 1), window)
    result: FloatArray = (total - shifted) / count[:, np.newaxis]
    return result


def shop_level(  # noqa: PLR0913  the shop row draws on every stage
    profile: ShopProfile,
    *,
    cal: Calendar,
    drivers: dict[str, FloatArray],
    baseline: dict[str, FloatArray],
    demand: Demand,
    stock: Inventory,
    done: Fulfilment,
    streams: Streams,
) -> dict[str, FloatArray]:
    """Return the shop-only KPIs, time-major (T, R): social, tech, ads, cash.

    * mentions are negative binomial around the ``mentions`` driver; the
      day's sentiment is the driver plus noise that shrinks with the number
      of mentions (an average of that many opinions);
    * availability is the share of the period's uptime checks that succeed,
      binomial around the driver; error rate is Poisson errors out of the
      expected requests; payment failures are Poisson out of the expected
      attempts (independent of the successful orders by Poisson thinning);
      p95 latency is lognormal around its driver;
    * ad spend is lognormal around its driver, CTR is Poisson clicks out of
      the impressions the spend buys, ROI the attributed share of GMV per
      unit spend;
    * cash: settlements (the settled share of GMV net of expected refunds,
      ``settlement_delay_days`` late) minus fixed costs, ad spend, extra
      outflows and supplier deliveries paid on arrival, accumulated from the
      opening balance; runway is the balance over the trailing mean daily
      burn (0 when overdrawn, ``max_runway_days`` when not burning cash).
    """
    wanted = frozenset(profile.metrics)
    shape = demand.shop_visits.shape
    out: dict[str, FloatArray] = {}

    def full(name: str) -> FloatArray:
        return np.broadcast_to(drivers[name], shape)

    social = profile.social
    rng = streams["social"]
    mix = rng.standard_gamma(social.dispersion, size=shape) / social.dispersion
    mentions = rng.poisson(full("mentions") * mix).astype(np.float64)
    tone = full("sentiment") + social.sentiment_sd * rng.standard_normal(
        shape
    ) / np.sqrt(np.maximum(mentions, 1.0))
    if "social.mentions" in wanted:
        out["social.mentions"] = mentions
    if "social.sentiment" in wanted:
        out["social.sentiment"] = np.clip(tone, -1.0, 1.0)

    tech = profile.tech
    rng = streams["tech"]
    checks = max(1, tech.checks_per_day // cal.periods_per_day)
    availability = rng.binomial(checks, full("availability")) / checks
    requests = demand.shop_visits * tech.requests_per_visit
    errors = rng.poisson(requests * full("error_rate"))
    failed = rng.poisson(demand.shop_attempts * full("payment_failure_rate"))
    latency = full("latency_ms") * np.exp(
        tech.latency_cv * rng.standard_normal(shape) - tech.latency_cv**2 / 2.0
    )
    paid = demand.orders.sum(axis=2, dtype=np.float64)
    if "tech.availability" in wanted:
        out["tech.availability"] = availability
    if "tech.error_rate" in wanted:
        out["tech.error_rate"] = ratio(errors, requests)
    if "tech.payment_failure_rate" in wanted:
        out["tech.payment_failure_rate"] = ratio(failed, failed + paid)
    if "tech.latency_p95" in wanted:
        out["tech.latency_p95"] = latency

    marketing = profile.marketing
    rng = streams["marketing"]
    spend = full("ad_spend") * np.exp(
        marketing.ad_spend_cv * rng.standard_normal(shape)
        - marketing.ad_spend_cv**2 / 2.0
    )
    impressions = spend / marketing.cost_per_mille * 1_000.0
    clicks = rng.poisson(impressions * full("ctr"))
    if "marketing.ad_spend" in wanted:
        out["marketing.ad_spend"] = spend
    if "marketing.ctr" in wanted:
        out["marketing.ctr"] = ratio(clicks, impressions)
    gmv = None if done.gmv is None else done.gmv.sum(axis=2)
    if "marketing.roi" in wanted and gmv is not None:
        out["marketing.roi"] = ratio(marketing.attributed_share * gmv, spend)

    if wanted & {"cash.balance", "cash.runway_days"} and done.gmv is not None:
        balance, runway = _cash(
            profile,
            cal=cal,
            drivers=drivers,
            baseline=baseline,
            stock=stock,
            done=done,
            spend=spend,
        )
        if "cash.balance" in wanted:
            out["cash.balance"] = balance
        if "cash.runway_days" in wanted:
            out["cash.runway_days"] = runway
    return out


def _cash(  # noqa: PLR0913  the cash ledger reads every flow
    profile: ShopProfile,
    *,
    cal: Calendar,
    drivers: dict[str, FloatArray],
    baseline: dict[str, FloatArray],
    stock: Inventory,
    done: Fulfilment,
    spend: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Return the cash balance and runway in days, time-major (T, R) each."""
    assert done.gmv is not None  # noqa: S101  the caller checked
    cash = profile.cash
    ppd = cal.periods_per_day
    n_periods, runs = spend.shape
    shape = (n_periods, runs)
    net_sales = (done.gmv * (1.0 - done.refund_share)).sum(axis=2)
    planned = expected_orders(baseline)[0] * baseline["price"][0]
    planned_net = (planned * (1.0 - _any_of((profile.feedback.refund_rate, 1.0)))).sum(
        axis=1
    )
    delay = cash.settlement_delay_days * ppd
    settled_base = np.empty(shape)
    head = min(delay, n_periods)
    settled_base[:head] = planned_net[:head, np.newaxis]
    settled_base[head:] = net_sales[: n_periods - head]
    settled = np.broadcast_to(drivers["settlement_share"], shape) * settled_base
    purchases = stock.arrivals @ profile.assortment.unit_cost
    outflow = (
        cash.fixed_costs_per_day / ppd
        + spend
        + np.broadcast_to(drivers["extra_outflow"], shape)
        + purchases
    )
    net = settled - outflow
    balance = cash.initial_balance + np.cumsum(net, axis=0)
    burn = -_trailing_mean(net, cash.runway_window_days * ppd) * ppd
    runway = np.where(
        balance <= 0.0,
        0.0,
        np.where(
            burn > 0.0,
            np.minimum(balance / np.where(burn > 0.0, burn, 1.0), cash.max_runway_days),
            cash.max_runway_days,
        ),
    )
    return balance, runway
