"""Key indicators (關鍵指標): what a shop measures to see a crisis coming (book §3).

The book's section 關鍵指標監控與應急響應觸發點設定 names four families of key
indicator to watch in real time: sales and conversion (銷售額與轉化率), user
feedback (用戶反饋: negative reviews, satisfaction), supply-chain stability
(供應鏈穩定性: inventory, logistics) and marketing data (營銷數據: ad
effectiveness, social-media interaction). crisisops adds technical health and
cash, which the crisis types of §2.4 (財務危機) and §2.5 (技術危機) are revealed by.

* `Direction` – whether a rise or a fall of the indicator is the bad news.
* `MetricFamily` – the book's families of key indicator.
* `Metric` – one indicator: key, trilingual labels, unit, direction,
  family and the range its values can take.
* `MetricCatalog` and `default_metrics()` – the open catalog of
  e-commerce KPIs; every crisis type of `crisisops.taxonomy` lists its
  typical indicators by these keys.

Examples
--------
>>> from crisisops.monitoring.metrics import Direction, default_metrics
>>> metrics = default_metrics()
>>> rate = metrics["feedback.negative_review_rate"]
>>> rate.labels.zh_hant, rate.unit, rate.direction is Direction.LOWER_IS_BETTER
('負面評價率', 'ratio', True)
>>> rate.direction.bad_sign  # a rise is bad
1
>>> (rate.minimum, rate.maximum)
(0.0, 1.0)
"""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
)
from crisisops.catalog import Catalog
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.labels import Labels

__all__ = [
    "Direction",
    "Metric",
    "MetricCatalog",
    "MetricFamily",
    "default_metrics",
]


_labels = Labels.of


# --- direction and family ---------------------------------------------------


class Direction(enum.Enum):
    """Which way an indicator moves when things get worse.

    A trigger rule uses it to orient a change: for ``HIGHER_IS_BETTER`` (sales,
    conversion) a fall is the warning; for ``LOWER_IS_BETTER`` (negative-review
    rate, stock-outs, latency) a rise is.
    """

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"

    @property
    def bad_sign(self) -> int:
        """Sign of a harmful change: -1 if a fall is bad, +1 if a rise is bad."""
        return -1 if self is Direction.HIGHER_IS_BETTER else 1

    @property
    def labels(self) -> Labels:
        """Name of the direction in English, 繁體 and 简体."""
        return _DIRECTION_LABELS[self]


_DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: _labels("Higher is better", "越高越好", "越高越好"),
    Direction.LOWER_IS_BETTER: _labels("Lower is better", "越低越好", "越低越好"),
}


class MetricFamily(enum.Enum):
    """The families of key indicator (關鍵指標) of book §3, plus tech and cash.

    The first four are the book's own list (關鍵指標監控): sales and conversion,
    user feedback, supply-chain stability and marketing data. Technical health
    and cash watch the technical (§2.5) and financial (§2.4) crises.
    """

    SALES = "sales"
    FEEDBACK = "feedback"
    SUPPLY_CHAIN = "supply_chain"
    MARKETING = "marketing"
    TECHNICAL = "technical"
    CASH = "cash"

    @property
    def labels(self) -> Labels:
        """Name of the family in English, 繁體 (the book's term) and 简体."""
        return _FAMILY_LABELS[self]


_FAMILY_LABELS = {
    MetricFamily.SALES: _labels(
        "Sales and conversion", "銷售額與轉化率", "销售额与转化率"
    ),
    MetricFamily.FEEDBACK: _labels("User feedback", "用戶反饋", "用户反馈"),
    MetricFamily.SUPPLY_CHAIN: _labels(
        "Supply-chain stability", "供應鏈穩定性", "供应链稳定性"
    ),
    MetricFamily.MARKETING: _labels("Marketing data", "營銷數據", "营销数据"),
    MetricFamily.TECHNICAL: _labels("Technical health", "技術健康", "技术健康"),
    MetricFamily.CASH: _labels("Cash", "資金", "资金"),
}


# --- metric -----------------------------------------------------------------


def _to_optional_float(value: float | None) -> float | None:
    """Turn an ``int`` bound into a ``float``; pass anything else through."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _format_bound(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:g}"


@attrs.frozen(kw_only=True)
class Metric:
    """One key indicator (關鍵指標) a shop monitors, e.g. the conversion rate.

    Attributes
    ----------
    key
        Stable dotted key, e.g. ``"sales.conversion_rate"``; crisis types and
        trigger rules refer to the indicator by it.
    labels
        The indicator's name in English, 繁體 (the book's term where it names
        one) and 简体.
    description
        One sentence on what is measured, in the three languages.
    unit
        Unit of the values, e.g. ``"CNY"``, ``"count"``, ``"ratio"``,
        ``"days"``, ``"ms"`` or ``"score"``.
    direction
        Whether a rise or a fall is the bad news (`Direction`).
    family
        The book §3 family the indicator belongs to (`MetricFamily`).
    minimum
        Smallest valid value (inclusive), or ``None`` for no lower bound; e.g.
        ``0.0`` for a rate.
    maximum
        Largest valid value (inclusive), or ``None`` for no upper bound; e.g.
        ``1.0`` for a rate. Must not be below ``minimum``.
    """

    key: str = attrs.field(validator=is_key())
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    description: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    unit: str = attrs.field(validator=is_text())
    direction: Direction = attrs.field(validator=is_enum(Direction))
    family: MetricFamily = attrs.field(validator=is_enum(MetricFamily))
    minimum: float | None = attrs.field(
        default=None,
        converter=_to_optional_float,
        validator=is_optional(is_finite()),
    )
    maximum: float | None = attrs.field(
        default=None,
        converter=_to_optional_float,
        validator=is_optional(is_finite()),
    )

    def __attrs_post_init__(self) -> None:
        """Check that the range is not empty."""
        if (
            self.minimum is not None
            and self.maximum is not None
            and self.maximum < self.minimum
        ):
            raise ValidationError(
                "maximum",
                self.maximum,
                f"a number at or above 'minimum' ({self.minimum:g})",
            )

    @property
    def range_text(self) -> str:
        """The valid range in interval notation, e.g. ``[0, 1]`` or ``[0, inf)``."""
        low = _format_bound(self.minimum, "-inf")
        high = _format_bound(self.maximum, "inf")
        opening = "(" if self.minimum is None else "["
        closing = ")" if self.maximum is None else "]"
        return f"{opening}{low}, {high}{closing}"

    def check_values(self, values: npt.ArrayLike) -> None:
        """Check that every value lies in ``[minimum, maximum]``; NaN is allowed.

        NaN means a missing value and is never out of range. The check is one
        vectorised pass over the array, of any shape.

        Parameters
        ----------
        values
            Values of this indicator, any array-like of real numbers.

        Raises
        ------
        InvalidTypeError
            If ``values`` is not an array of real numbers.
        ValidationError
            If a value lies outside the range; the message names the metric
            key, the first bad value (in C order) and its index.
        """
        array = _real_array(values, f"values of {self.key}")
        if self.minimum is None and self.maximum is None:
            return
        low = -math.inf if self.minimum is None else self.minimum
        high = math.inf if self.maximum is None else self.maximum
        outside = (array < low) | (array > high)  # NaN compares False: allowed
        if not outside.any():
            return
        flat = int(np.flatnonzero(outside.reshape(-1))[0])
        where = tuple(int(i) for i in np.unravel_index(flat, array.shape))
        raise ValidationError(
            self.key,
            float(array.reshape(-1)[flat]),
            f"a value in {self.range_text} ({self.unit}); first value out of "
            f"range at index {where}",
        )


def _real_array(values: Any, field: str) -> npt.NDArray[Any]:  # noqa: ANN401
    """Return ``values`` as a numeric array; raise ``InvalidTypeError`` otherwise."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        raise InvalidTypeError(field, values, "an array of real numbers") from None
    if array.dtype.kind not in "iuf":
        raise InvalidTypeError(
            field, values, f"an array of real numbers (got dtype {array.dtype})"
        )
    return array


# --- catalog ----------------------------------------------------------------


@attrs.frozen
class MetricCatalog(Catalog[Metric]):
    """The open catalog of key indicators, looked up by key.

    Start from `default_metrics()` and `add()` your own indicators (or
    `replace()` a built-in one, e.g. to change ``sales.gmv`` to another
    currency); every change returns a new catalog.

    Examples
    --------
    >>> from crisisops.labels import Labels
    >>> from crisisops.monitoring.metrics import (
    ...     Direction,
    ...     Metric,
    ...     MetricCatalog,
    ...     MetricFamily,
    ...     default_metrics,
    ... )
    >>> live = Metric(
    ...     key="sales.live_stream_viewers",
    ...     labels=Labels(
    ...         en="Live-stream viewers", zh_hant="直播觀看人數", zh_hans="直播观看人数"
    ...     ),
    ...     description=Labels(
    ...         en="Viewers.", zh_hant="觀看人數。", zh_hans="观看人数。"
    ...     ),
    ...     unit="count",
    ...     direction=Direction.HIGHER_IS_BETTER,
    ...     family=MetricFamily.SALES,
    ...     minimum=0,
    ... )
    >>> mine = default_metrics().add(live)
    >>> "sales.live_stream_viewers" in mine, len(mine) - len(default_metrics())
    (True, 1)

    A catalog of only your own indicators, and the built-in ones of a family:

    >>> own = MetricCatalog([live])
    >>> own.keys(), own["sales.live_stream_viewers"].unit
    (('sales.live_stream_viewers',), 'count')
    >>> [m.key for m in default_metrics().in_family(MetricFamily.SUPPLY_CHAIN)]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['supply.inventory_days_of_cover', 'supply.stockout_rate',
     'logistics.on_time_delivery_rate', 'logistics.delay_rate']
    """

    entry_type = Metric
    kind = "metric"

    def in_family(self, family: MetricFamily) -> MetricCatalog:
        """Return the indicators of one family, in catalog order."""
        if not isinstance(family, MetricFamily):
            raise InvalidTypeError("family", family, "a MetricFamily")
        return self.select(lambda entry: entry.family is family)


# --- the built-in catalog ---------------------------------------------------

_HIGHER = Direction.HIGHER_IS_BETTER
_LOWER = Direction.LOWER_IS_BETTER


def _metric(  # noqa: PLR0913  one row of catalog data
    key: str,
    name: tuple[str, str, str],
    description: tuple[str, str, str],
    *,
    unit: str,
    direction: Direction,
    family: MetricFamily,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Metric:
    return Metric(
        key=key,
        labels=_labels(*name),
        description=_labels(*description),
        unit=unit,
        direction=direction,
        family=family,
        minimum=minimum,
        maximum=maximum,
    )


_SALES = MetricFamily.SALES
_FEEDBACK = MetricFamily.FEEDBACK
_SUPPLY = MetricFamily.SUPPLY_CHAIN
_MARKETING = MetricFamily.MARKETING
_TECH = MetricFamily.TECHNICAL
_CASH = MetricFamily.CASH

#: Every built-in key indicator, in display order. The first 23 are the
#: indicator keys the built-in crisis types refer to, in the same order.
_BUILT_IN_METRICS: tuple[Metric, ...] = (
    # --- 銷售額與轉化率 (sales and conversion) ---------------------------------------
    _metric(
        "sales.gmv",
        ("Sales (GMV)", "銷售額", "销售额"),
        (
            "Gross merchandise value of the orders placed in the period.",
            "期間內下單的商品成交總額。",
            "期间内下单的商品成交总额。",
        ),
        unit="CNY",
        direction=_HIGHER,
        family=_SALES,
        minimum=0.0,
    ),
    _metric(
        "sales.orders",
        ("Orders", "訂單量", "订单量"),
        (
            "Number of orders placed in the period.",
            "期間內的下單數量。",
            "期间内的下单数量。",
        ),
        unit="count",
        direction=_HIGHER,
        family=_SALES,
        minimum=0.0,
    ),
    _metric(
        "sales.conversion_rate",
        ("Conversion rate", "轉化率", "转化率"),
        (
            "Share of visits that end in an order.",
            "以下單結束的訪問所佔比例。",
            "以下单结束的访问所占比例。",
        ),
        unit="ratio",
        direction=_HIGHER,
        family=_SALES,
        minimum=0.0,
        maximum=1.0,
    ),
    _metric(
        "sales.average_order_value",
        ("Average order value", "客單價", "客单价"),
        (
            "Sales divided by the number of orders in the period.",
            "期間內銷售額除以訂單量。",
            "期间内销售额除以订单量。",
        ),
        unit="CNY",
        direction=_HIGHER,
        family=_SALES,
        minimum=0.0,
    ),
    _metric(
        "traffic.visits",
        ("Visits", "用戶訪問量", "用户访问量"),
        (
            "Number of visits (sessions) to the shop in the period.",
            "期間內店鋪的訪問次數。",
            "期间内店铺的访问次数。",
        ),
        unit="count",
        direction=_HIGHER,
        family=_SALES,
        minimum=0.0,
    ),
    # --- 用戶反饋 (user feedback) -------------------------------------------------
    _metric(
        "feedback.negative_review_rate",
        ("Negative-review rate", "負面評價率", "负面评价率"),
        (
            "Share of the period's reviews that are negative.",
            "期間內評價中負面評價所佔比例。",
            "期间内评价中负面评价所占比例。",
        ),
        unit="ratio",
        direction=_LOWER,
        family=_FEEDBACK,
        minimum=0.0,
        maximum=1.0,
    ),
    _metric(
        "feedback.rating",
        ("Satisfaction rating", "滿意度評分", "满意度评分"),
        (
            "Average review rating on a five-star scale (0 to 5).",
            "五星制(0 至 5)的平均評分。",
            "五星制(0 至 5)的平均评分。",
        ),
        unit="score",
        direction=_HIGHER,
        family=_FEEDBACK,
        minimum=0.0,
        maximum=5.0,
    ),
    _metric(
        "feedback.complaints",
        ("Customer complaints", "消費者投訴量", "消费者投诉量"),
        (
            "Number of customer complaints received in the period.",
            "期間內收到的消費者投訴數量。",
            "期间内收到的消费者投诉数量。",
        ),
        unit="count",
        direction=_LOWER,
        family=_FEEDBACK,
        minimum=0.0,
    ),
    _metric(
        "feedback.refund_rate",
        ("Refund and return rate", "退貨退款率", "退货退款率"),
        (
            "Share of the period's orders that are returned or refunded.",
            "期間內訂單中退貨或退款所佔比例。",
            "期间内订单中退货或退款所占比例。",
        ),
        unit="ratio",
        direction=_LOWER,
        family=_FEEDBACK,
        minimum=0.0,
        maximum=1.0,
    ),
    # --- 供應鏈穩定性 (supply-chain stability) --------------------------------------
    _metric(
        "supply.inventory_days_of_cover",
        ("Inventory days of cover", "庫存可售天數", "库存可售天数"),
        (
            "Days the stock on hand lasts at the current rate of sales.",
            "按當前銷售速度,現有庫存可維持銷售的天數。",
            "按当前销售速度,现有库存可维持销售的天数。",
        ),
        unit="days",
        direction=_HIGHER,
        family=_SUPPLY,
        minimum=0.0,
    ),
    _metric(
        "supply.stockout_rate",
        ("Stock-out rate", "缺貨率", "缺货率"),
        (
            "Share of listed items (SKUs) that are out of stock.",
            "在售商品(SKU)中缺貨所佔比例。",
            "在售商品(SKU)中缺货所占比例。",
        ),
        unit="ratio",
        direction=_LOWER,
        family=_SUPPLY,
        minimum=0.0,
        maximum=1.0,
    ),
    _metric(
        "logistics.on_time_delivery_rate",
        ("On-time delivery rate", "物流準時送達率", "物流准时送达率"),
        (
            "Share of the period's deliveries that arrive on time.",
            "期間內按時送達的配送所佔比例。",
            "期间内按时送达的配送所占比例。",
        ),
        unit="ratio",
        direction=_HIGHER,
        family=_SUPPLY,
        minimum=0.0,
        maximum=1.0,
    ),
    _metric(
        "logistics.delay_rate",
        ("Delivery delay rate", "物流延遲率", "物流延迟率"),
        (
            "Share of the period's orders shipped or delivered late.",
            "期間內延遲發貨或延遲送達的訂單所佔比例。",
            "期间内延迟发货或延迟送达的订单所占比例。",
        ),
        unit="ratio",
        direction=_LOWER,
        family=_SUPPLY,
        minimum=0.0,
        maximum=1.0,
    ),
    # --- 營銷數據 (marketing data) ------------------------------------------------
    _metric(
        "marketing.ad_spend",
        ("Ad spend", "廣告投放花費", "广告投放花费"),
        (
            "Money spent on advertising in the period.",
            "期間內的廣告投放花費。",
            "期间内的广告投放花费。",
        ),
        unit="CNY",
        # A cost: the crisis signal is spend running away (rising cost with no
        # return, 利潤下滑). Watch an unwanted cut with an explicit "below" rule.
        direction=_LOWER,
        family=_MARKETING,
        minimum=0.0,
    ),
    _metric(
        "marketing.roi",
        ("Advertising ROI", "廣告投放效果(投產比)", "广告投放效果(投产比)"),
        (
            "Sales attributed to advertising per unit of ad spend.",
            "每單位廣告花費帶來的成交額。",
            "每单位广告花费带来的成交额。",
        ),
        unit="ratio",
        direction=_HIGHER,
        family=_MARKETING,
        minimum=0.0,
    ),
    _metric(
        "marketing.ctr",
        ("Click-through rate", "點擊率", "点击率"),
        (
            "Share of ad impressions that are clicked.",
            "廣告曝光中被點擊所佔比例。",
            "广告曝光中被点击所占比例。",
        ),
        unit="ratio",
        direction=_HIGHER,
        family=_MARKETING,
        minimum=0.0,
        maximum=1.0,
    ),
    _metric(
        "social.mentions",
        ("Social-media mentions", "社交媒體提及量", "社交媒体提及量"),
        (
            "Number of social-media posts and comments that mention the shop.",
            "期間內提及店鋪的社交媒體帖子與評論數量。",
            "期间内提及店铺的社交媒体帖子与评论数量。",
        ),
        unit="count",
        # Lower is better: every crisis type that lists it (brand damage, data
        # breach, quality and safety, sudden events) is revealed by a *surge*
        # of mentions (負面輿情發酵). Read it together with social.sentiment.
        direction=_LOWER,
        family=_MARKETING,
        minimum=0.0,
    ),
    _metric(
        "social.sentiment",
        ("Social-media sentiment", "社交媒體情緒", "社交媒体情绪"),
        (
            "Average sentiment of social-media mentions, -1 (negative) to +1.",
            "社交媒體提及的平均情緒,-1(負面)至 +1(正面)。",
            "社交媒体提及的平均情绪,-1(负面)至 +1(正面)。",
        ),
        unit="score",
        direction=_HIGHER,
        family=_MARKETING,
        minimum=-1.0,
        maximum=1.0,
    ),
    # --- 技術健康 (technical health) ----------------------------------------------
    _metric(
        "tech.error_rate",
        ("Error rate", "系統錯誤率", "系统错误率"),
        (
            "Share of requests to the shop's systems that fail.",
            "店鋪系統請求中失敗所佔比例。",
            "店铺系统请求中失败所占比例。",
        ),
        unit="ratio",
        direction=_LOWER,
        family=_TECH,
        minimum=0.0,
        maximum=1.0,
    ),
    _metric(
        "tech.latency_p95",
        ("Response time (p95)", "響應時間(P95)", "响应时间(P95)"),
        (
            "95th-percentile response time of the shop's pages and APIs.",
            "店鋪頁面與接口響應時間的第 95 百分位數。",
            "店铺页面与接口响应时间的第 95 百分位数。",
        ),
        unit="ms",
        direction=_LOWER,
        family=_TECH,
        minimum=0.0,
    ),
    _metric(
        "tech.payment_failure_rate",
        ("Payment failure rate", "支付失敗率", "支付失败率"),
        (
            "Share of payment attempts that fail.",
            "支付嘗試中失敗所佔比例。",
            "支付尝试中失败所占比例。",
        ),
        unit="ratio",
        direction=_LOWER,
        family=_TECH,
        minimum=0.0,
        maximum=1.0,
    ),
    # --- 資金 (cash) ------------------------------------------------------------
    _metric(
        "cash.balance",
        ("Cash balance", "資金餘額", "资金余额"),
        (
            "Cash available at the end of the period; negative when overdrawn.",
            "期末可用資金,透支時為負數。",
            "期末可用资金,透支时为负数。",
        ),
        unit="CNY",
        direction=_HIGHER,
        family=_CASH,
    ),
    _metric(
        "cash.runway_days",
        ("Cash runway", "資金可支撐天數", "资金可支撑天数"),
        (
            "Days the cash balance covers the current net cash outflow.",
            "按當前淨現金流出速度,資金餘額可支撐運營的天數。",
            "按当前净现金流出速度,资金余额可支撑运营的天数。",
        ),
        unit="days",
        direction=_HIGHER,
        family=_CASH,
        minimum=0.0,
    ),
    # --- additions beyond the crisis types' indicators ------------------------
    _metric(
        "feedback.negative_reviews",
        ("Negative reviews", "負面評價數量", "负面评价数量"),
        (
            "Number of negative reviews received in the period.",
            "期間內收到的負面評價數量。",
            "期间内收到的负面评价数量。",
        ),
        unit="count",
        direction=_LOWER,
        family=_FEEDBACK,
        minimum=0.0,
    ),
    _metric(
        "tech.availability",
        ("Availability", "系統可用率", "系统可用率"),
        (
            "Share of the period in which the shop's systems serve requests.",
            "期間內店鋪系統正常提供服務的時間比例。",
            "期间内店铺系统正常提供服务的时间比例。",
        ),
        unit="ratio",
        direction=_HIGHER,
        family=_TECH,
        minimum=0.0,
        maximum=1.0,
    ),
)


def default_metrics() -> MetricCatalog:
    """Return the built-in catalog of e-commerce key indicators (book §3).

    It covers the book's four families (sales and conversion, user feedback,
    supply-chain stability, marketing data) plus technical health and cash,
    and holds every indicator key that a built-in crisis type refers to, plus
    ``feedback.negative_reviews`` (the count behind the book's "負面評價數量激增"
    example) and ``tech.availability``.

    Directions are crisisops' documented choices where the indicator is not
    one-sided: ``supply.inventory_days_of_cover`` is higher-is-better (the crisis
    watched is running out of stock; watch overstock, 庫存積壓, with an explicit
    upper bound), ``marketing.ad_spend`` is lower-is-better (a cost that can run
    away) and ``social.mentions`` is lower-is-better (a surge of mentions is what
    reveals a brand or security crisis). Money is in ``"CNY"``; a shop that
    reports another currency swaps those entries with
    `MetricCatalog.replace()`.

    The catalog is rebuilt on each call (it is cheap and immutable).
    """
    return MetricCatalog(_BUILT_IN_METRICS)
