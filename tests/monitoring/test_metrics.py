"""Key indicators: Direction, MetricFamily, Metric, MetricCatalog, default_metrics."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops._crisis_types import INDICATOR_KEYS
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.monitoring.metrics import (
    Direction,
    Metric,
    MetricCatalog,
    MetricFamily,
    default_metrics,
)
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import default_catalog

# --- strategies --------------------------------------------------------------

texts = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
labels = st.builds(Labels, en=texts, zh_hant=texts, zh_hans=texts)

key_words = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
dotted_keys = st.lists(key_words, min_size=1, max_size=3).map(".".join)
bounds = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@st.composite
def metrics(draw: st.DrawFn) -> Metric:
    """Draw a valid Metric, with or without each bound."""
    low = draw(st.none() | bounds)
    high = draw(st.none() | bounds)
    if low is not None and high is not None and high < low:
        low, high = high, low
    return Metric(
        key=draw(dotted_keys),
        labels=draw(labels),
        description=draw(labels),
        unit=draw(texts),
        direction=draw(st.sampled_from(Direction)),
        family=draw(st.sampled_from(MetricFamily)),
        minimum=low,
        maximum=high,
    )


NAME = Labels(en="Live viewers", zh_hant="直播觀看人數", zh_hans="直播观看人数")


def _metric(**changes: Any) -> Metric:
    fields: dict[str, Any] = {
        "key": "sales.live_viewers",
        "labels": NAME,
        "description": NAME,
        "unit": "count",
        "direction": Direction.HIGHER_IS_BETTER,
        "family": MetricFamily.SALES,
        "minimum": 0.0,
        "maximum": 1000.0,
    }
    fields.update(changes)
    return Metric(**fields)


def _json_round_trip(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


# --- Direction and MetricFamily ---------------------------------------------


def test_bad_sign_is_minus_one_when_a_fall_is_bad() -> None:
    assert -1 == Direction.HIGHER_IS_BETTER.bad_sign
    assert 1 == Direction.LOWER_IS_BETTER.bad_sign


def test_direction_values_are_stable() -> None:
    assert "higher_is_better" == Direction.HIGHER_IS_BETTER.value
    assert "lower_is_better" == Direction.LOWER_IS_BETTER.value
    assert "越高越好" == Direction.HIGHER_IS_BETTER.labels.zh_hant


@pytest.mark.parametrize(
    ("family", "value", "zh_hant"),
    [
        (MetricFamily.SALES, "sales", "銷售額與轉化率"),
        (MetricFamily.FEEDBACK, "feedback", "用戶反饋"),
        (MetricFamily.SUPPLY_CHAIN, "supply_chain", "供應鏈穩定性"),
        (MetricFamily.MARKETING, "marketing", "營銷數據"),
        (MetricFamily.TECHNICAL, "technical", "技術健康"),
        (MetricFamily.CASH, "cash", "資金"),
    ],
)
def test_families_carry_the_books_terms(
    family: MetricFamily, value: str, zh_hant: str
) -> None:
    assert value == family.value
    assert zh_hant == family.labels.zh_hant
    assert isinstance(family.labels, Labels)


# --- Metric -----------------------------------------------------------------


def test_metric_normalises_integer_bounds_to_floats() -> None:
    metric = _metric(minimum=0, maximum=5)

    assert 0.0 == metric.minimum
    assert isinstance(metric.minimum, float)
    assert isinstance(metric.maximum, float)


def test_metric_bounds_are_optional() -> None:
    metric = _metric(minimum=None, maximum=None)

    assert metric.minimum is None
    assert metric.maximum is None
    assert "(-inf, inf)" == metric.range_text


def test_range_text_uses_interval_notation() -> None:
    assert "[0, 1000]" == _metric().range_text
    assert "[0, inf)" == _metric(maximum=None).range_text
    assert "(-inf, 3]" == _metric(minimum=None, maximum=3.0).range_text


def test_equal_bounds_are_a_valid_single_point_range() -> None:
    assert 2.0 == _metric(minimum=2.0, maximum=2.0).maximum


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"key": "Sales.Gmv"}, ValidationError, "key"),
        ({"key": "sales..gmv"}, ValidationError, "key"),
        ({"key": ""}, ValidationError, "key"),
        ({"key": 3}, InvalidTypeError, "key"),
        ({"labels": "Live viewers"}, InvalidTypeError, "labels"),
        ({"description": None}, InvalidTypeError, "description"),
        ({"unit": ""}, ValidationError, "unit"),
        ({"unit": "   "}, ValidationError, "unit"),
        ({"unit": 1}, InvalidTypeError, "unit"),
        ({"direction": "higher_is_better"}, InvalidTypeError, "direction"),
        ({"family": "sales"}, InvalidTypeError, "family"),
        ({"family": Direction.LOWER_IS_BETTER}, InvalidTypeError, "family"),
        ({"minimum": math.nan}, ValidationError, "minimum"),
        ({"minimum": -math.inf}, ValidationError, "minimum"),
        ({"minimum": "0"}, InvalidTypeError, "minimum"),
        ({"minimum": True}, InvalidTypeError, "minimum"),
        ({"maximum": math.inf}, ValidationError, "maximum"),
        ({"maximum": math.nan}, ValidationError, "maximum"),
        ({"maximum": -1.0}, ValidationError, "maximum"),
        ({"minimum": 5.0, "maximum": 4.0}, ValidationError, "maximum"),
    ],
)
def test_bad_metric_fields_are_rejected_naming_the_field(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=f"^'{field}' must be") as info:
        _metric(**changes)

    assert field == info.value.field  # type: ignore[attr-defined]


def test_maximum_below_minimum_names_the_minimum() -> None:
    with pytest.raises(ValidationError, match=r"at or above 'minimum' \(5\)"):
        _metric(minimum=5.0, maximum=4.0)


def test_check_values_accepts_values_in_range_and_nan() -> None:
    values = np.array([[0.0, np.nan], [1000.0, 3.5]])

    _metric().check_values(values)
    _metric(minimum=None, maximum=None).check_values(np.array([-1e300, np.inf]))


def test_check_values_accepts_array_likes_of_any_shape() -> None:
    _metric().check_values([1, 2, 3])
    _metric().check_values(np.zeros((2, 3, 4)))
    _metric().check_values(np.empty((0, 5)))


def test_check_values_names_the_metric_and_the_first_bad_value() -> None:
    values = np.array([[0.5, np.nan], [1001.0, -3.0]])

    with pytest.raises(ValidationError) as info:
        _metric().check_values(values)

    assert "sales.live_viewers" == info.value.field
    assert 1001.0 == info.value.value
    assert "index (1, 0)" in str(info.value)
    assert "[0, 1000]" in str(info.value)


def test_check_values_finds_values_below_the_minimum() -> None:
    with pytest.raises(ValidationError, match=r"index \(2,\) \(got -0\.5\)"):
        _metric().check_values(np.array([0.0, 3.0, -0.5, -9.0]))


def test_check_values_with_only_one_bound() -> None:
    _metric(maximum=None).check_values(np.array([1e12]))
    with pytest.raises(ValidationError, match=r"\(got -1\.0\)"):
        _metric(maximum=None).check_values(np.array([-1.0]))
    with pytest.raises(ValidationError, match=r"\(got 4\.0\)"):
        _metric(minimum=None, maximum=3.0).check_values(np.array([-1e9, 4.0]))


def test_check_values_counts_infinity_as_out_of_a_finite_range() -> None:
    with pytest.raises(ValidationError, match=r"\(got inf\)"):
        _metric().check_values(np.array([np.inf]))


@pytest.mark.parametrize(
    "values", [["a", "b"], np.array([True, False]), [[1.0], [2.0, 3.0]], None]
)
def test_check_values_rejects_non_numeric_input(values: Any) -> None:
    with pytest.raises(InvalidTypeError, match="array of real numbers"):
        _metric().check_values(values)


@given(metrics())
def test_metric_round_trips_through_plain_data(metric: Metric) -> None:
    assert metric == from_data(Metric, _json_round_trip(to_data(metric)))


def test_from_data_rejects_an_inverted_range_naming_the_field() -> None:
    document = to_data(_metric())
    document["data"]["maximum"] = -1.0

    with pytest.raises(SerializationError) as info:
        from_data(Metric, document)

    assert "$.data.maximum" == info.value.path


# --- MetricCatalog ----------------------------------------------------------


def test_catalog_looks_up_metrics_and_suggests_keys() -> None:
    catalog = default_metrics()

    assert "sales.gmv" == catalog["sales.gmv"].key
    with pytest.raises(
        UnknownKeyError, match=r"unknown metric 'sales\.gvm'; did you mean 'sales\.gmv'"
    ):
        catalog["sales.gvm"]


def test_catalog_refuses_duplicate_keys_and_non_metrics() -> None:
    with pytest.raises(DuplicateKeyError, match=r"duplicate metric 'sales\.gmv'"):
        default_metrics().add(_metric(key="sales.gmv"))
    with pytest.raises(InvalidTypeError, match=r"entries\[0\]"):
        MetricCatalog(["sales.gmv"])


def test_adding_a_metric_returns_a_new_catalog() -> None:
    original = default_metrics()

    bigger = original.add(_metric())

    assert "sales.live_viewers" in bigger
    assert "sales.live_viewers" not in original
    assert len(original) + 1 == len(bigger)


def test_in_family_keeps_catalog_order() -> None:
    cash = default_metrics().in_family(MetricFamily.CASH)

    assert ("cash.balance", "cash.runway_days") == cash.keys()
    assert isinstance(cash, MetricCatalog)


def test_in_family_rejects_other_values() -> None:
    with pytest.raises(InvalidTypeError, match="'family' must be a MetricFamily"):
        default_metrics().in_family("cash")  # type: ignore[arg-type]  # the point


def test_catalog_round_trips_through_plain_data() -> None:
    catalog = default_metrics()

    assert catalog == from_data(MetricCatalog, _json_round_trip(to_data(catalog)))


@given(st.lists(metrics(), max_size=5, unique_by=lambda m: m.key))
def test_any_catalog_round_trips_through_plain_data(entries: list[Metric]) -> None:
    catalog = MetricCatalog(entries)

    assert catalog == from_data(MetricCatalog, _json_round_trip(to_data(catalog)))


# --- the built-in catalog ---------------------------------------------------


def test_default_catalog_starts_with_the_crisis_types_indicator_keys() -> None:
    keys = default_metrics().keys()

    assert INDICATOR_KEYS == keys[: len(INDICATOR_KEYS)]
    assert ("feedback.negative_reviews", "tech.availability") == keys[
        len(INDICATOR_KEYS) :
    ]


def test_every_indicator_of_every_crisis_type_is_a_metric() -> None:
    catalog = default_metrics()

    missing = {
        (crisis_type.key, indicator)
        for crisis_type in default_catalog()
        for indicator in crisis_type.indicators
        if indicator not in catalog
    }

    assert set() == missing


def test_default_catalog_is_a_fresh_equal_value_each_call() -> None:
    assert default_metrics() == default_metrics()
    assert default_metrics() is not default_metrics()


@pytest.mark.parametrize(
    ("key", "direction"),
    [
        ("sales.gmv", Direction.HIGHER_IS_BETTER),
        ("sales.conversion_rate", Direction.HIGHER_IS_BETTER),
        ("traffic.visits", Direction.HIGHER_IS_BETTER),
        ("feedback.negative_review_rate", Direction.LOWER_IS_BETTER),
        ("feedback.negative_reviews", Direction.LOWER_IS_BETTER),
        ("feedback.rating", Direction.HIGHER_IS_BETTER),
        ("feedback.complaints", Direction.LOWER_IS_BETTER),
        ("feedback.refund_rate", Direction.LOWER_IS_BETTER),
        ("supply.inventory_days_of_cover", Direction.HIGHER_IS_BETTER),
        ("supply.stockout_rate", Direction.LOWER_IS_BETTER),
        ("logistics.on_time_delivery_rate", Direction.HIGHER_IS_BETTER),
        ("logistics.delay_rate", Direction.LOWER_IS_BETTER),
        ("marketing.ad_spend", Direction.LOWER_IS_BETTER),
        ("marketing.roi", Direction.HIGHER_IS_BETTER),
        ("social.mentions", Direction.LOWER_IS_BETTER),
        ("social.sentiment", Direction.HIGHER_IS_BETTER),
        ("tech.error_rate", Direction.LOWER_IS_BETTER),
        ("tech.latency_p95", Direction.LOWER_IS_BETTER),
        ("tech.availability", Direction.HIGHER_IS_BETTER),
        ("cash.runway_days", Direction.HIGHER_IS_BETTER),
    ],
)
def test_directions_of_named_metrics(key: str, direction: Direction) -> None:
    assert direction == default_metrics()[key].direction


@pytest.mark.parametrize(
    ("key", "family"),
    [
        ("traffic.visits", MetricFamily.SALES),
        ("feedback.rating", MetricFamily.FEEDBACK),
        ("logistics.delay_rate", MetricFamily.SUPPLY_CHAIN),
        ("social.sentiment", MetricFamily.MARKETING),
        ("tech.payment_failure_rate", MetricFamily.TECHNICAL),
        ("cash.balance", MetricFamily.CASH),
    ],
)
def test_families_of_named_metrics(key: str, family: MetricFamily) -> None:
    assert family == default_metrics()[key].family


@pytest.mark.parametrize("family", list(MetricFamily))
def test_every_family_has_metrics(family: MetricFamily) -> None:
    assert len(default_metrics().in_family(family)) >= 2


@pytest.mark.parametrize(
    ("key", "unit", "minimum", "maximum"),
    [
        ("sales.gmv", "CNY", 0.0, None),
        ("sales.orders", "count", 0.0, None),
        ("sales.conversion_rate", "ratio", 0.0, 1.0),
        ("feedback.rating", "score", 0.0, 5.0),
        ("supply.inventory_days_of_cover", "days", 0.0, None),
        ("social.sentiment", "score", -1.0, 1.0),
        ("tech.latency_p95", "ms", 0.0, None),
        ("cash.balance", "CNY", None, None),
    ],
)
def test_units_and_ranges_of_named_metrics(
    key: str, unit: str, minimum: float | None, maximum: float | None
) -> None:
    metric = default_metrics()[key]

    assert (unit, minimum, maximum) == (metric.unit, metric.minimum, metric.maximum)


def test_every_rate_and_ratio_in_zero_one_is_a_rate_by_name() -> None:
    for metric in default_metrics():
        if metric.key.endswith("_rate") or metric.key in {
            "marketing.ctr",
            "tech.availability",
        }:
            assert ("ratio", 0.0, 1.0) == (metric.unit, metric.minimum, metric.maximum)


def test_counts_and_money_flows_cannot_be_negative() -> None:
    for metric in default_metrics():
        if metric.unit == "count" or metric.key in {"sales.gmv", "marketing.ad_spend"}:
            assert 0.0 == metric.minimum


@pytest.mark.parametrize(
    ("key", "zh_hant"),
    [
        ("sales.gmv", "銷售額"),
        ("sales.conversion_rate", "轉化率"),
        ("feedback.negative_reviews", "負面評價數量"),
        ("feedback.rating", "滿意度評分"),
        ("supply.inventory_days_of_cover", "庫存可售天數"),
        ("logistics.delay_rate", "物流延遲率"),
        ("social.mentions", "社交媒體提及量"),
    ],
)
def test_labels_use_the_books_terms(key: str, zh_hant: str) -> None:
    assert zh_hant == default_metrics()[key].labels.zh_hant


def test_every_built_in_metric_has_distinct_trilingual_labels() -> None:
    catalog = default_metrics()

    for language in ("en", "zh_hant", "zh_hans"):
        names = [getattr(metric.labels, language) for metric in catalog]
        assert len(catalog) == len(set(names))
    for metric in catalog:
        for text in (metric.description.en, metric.description.zh_hant):
            assert text.endswith((".", "。"))
