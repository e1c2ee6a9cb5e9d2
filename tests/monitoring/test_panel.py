"""KPI data: Panel and Observation, their invariants, queries and round trips."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring.metrics import default_metrics
from crisisops.monitoring.panel import Observation, Panel
from crisisops.serialization import from_data, to_data

# --- strategies --------------------------------------------------------------

timezones = st.sampled_from(
    [
        dt.timezone.utc,
        dt.timezone(dt.timedelta(hours=8)),
        dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
    ]
)
aware_datetimes = st.datetimes(
    min_value=dt.datetime(1970, 1, 2),  # noqa: DTZ001  bounds for hypothesis only
    max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
    timezones=timezones,
)
entity_keys = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != "")
key_words = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
metric_keys = st.lists(key_words, min_size=1, max_size=3).map(".".join)
# KPI values: any finite float, or NaN for a missing value.
kpi_values = st.floats(allow_nan=True, allow_infinity=False, width=64)


@st.composite
def increasing_timestamps(
    draw: st.DrawFn, *, min_size: int = 0, max_size: int = 6
) -> list[dt.datetime]:
    """Draw strictly increasing aware datetimes (mixed timezones)."""
    start = draw(aware_datetimes)
    steps = draw(
        st.lists(
            st.timedeltas(dt.timedelta(microseconds=1), dt.timedelta(days=40)),
            min_size=min_size,
            max_size=max_size,
        )
    )
    stamps: list[dt.datetime] = []
    moment = start
    for step in steps:
        moment += step
        stamps.append(moment.astimezone(draw(timezones)))
    return stamps


@st.composite
def panels(draw: st.DrawFn, *, min_periods: int = 0) -> Panel:
    """Draw a valid Panel, NaNs included, possibly empty on any axis."""
    stamps = draw(increasing_timestamps(min_size=min_periods))
    entities = draw(st.lists(entity_keys, max_size=4, unique=True))
    metrics = draw(st.lists(metric_keys, max_size=3, unique=True))
    shape = (len(stamps), len(entities), len(metrics))
    values = draw(hnp.arrays(np.float64, shape, elements=kpi_values))
    return Panel.from_arrays(stamps, entities, metrics, values)


# --- fixtures and helpers ---------------------------------------------------

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
NAN = float("nan")
DAYS = tuple(dt.datetime(2026, 3, day, tzinfo=UTC) for day in range(1, 6))
SHOPS = ("shop_a", "shop_b", "shop_c")
METRICS = ("sales.gmv", "feedback.negative_review_rate")


def _values() -> npt.NDArray[np.float64]:
    """Values (5 days, 3 shops, 2 metrics): gmv = 100·shop + day, rate = day/100."""
    day = np.arange(5, dtype=np.float64)[:, None]
    shop = np.arange(3, dtype=np.float64)[None, :]
    gmv = 100.0 * (shop + 1) + day
    rate = np.broadcast_to(day / 100.0, (5, 3))
    values = np.stack([gmv, rate], axis=-1)
    values[2, 1, 0] = NAN  # shop_b's GMV is missing on day 3
    return values


def _panel() -> Panel:
    return Panel.from_arrays(DAYS, SHOPS, METRICS, _values())


def _json_round_trip(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


class ArrayLike:
    """Anything with ``__array__``, like a pandas DataFrame (without pandas)."""

    def __init__(self, data: npt.NDArray[Any]) -> None:
        self.data = data

    def __array__(
        self, dtype: np.dtype[Any] | None = None, *, copy: bool | None = None
    ) -> npt.NDArray[Any]:
        return np.asarray(self.data, dtype=dtype)


# --- construction -----------------------------------------------------------


def test_from_arrays_accepts_lists_and_converts_to_float64_tuples() -> None:
    panel = Panel.from_arrays(
        [DAYS[0], DAYS[1]], ["shop_a"], ["sales.orders"], [[[3]], [[4]]]
    )

    assert (DAYS[0], DAYS[1]) == panel.timestamps
    assert ("shop_a",) == panel.entities
    assert ("sales.orders",) == panel.metrics
    assert np.float64 == panel.values.dtype
    assert [[[3.0]], [[4.0]]] == panel.values.tolist()


def test_from_arrays_accepts_any_numeric_dtype() -> None:
    values = np.arange(6, dtype=np.int32).reshape(2, 3, 1)

    panel = Panel.from_arrays(DAYS[:2], SHOPS, ["sales.orders"], values)

    assert np.float64 == panel.values.dtype
    assert values.tolist() == panel.values.tolist()


def test_from_arrays_accepts_an_object_with_dunder_array() -> None:
    data = _values()

    panel = Panel.from_arrays(DAYS, SHOPS, METRICS, ArrayLike(data))

    assert np.array_equal(data, panel.values, equal_nan=True)


def test_panel_is_built_by_keyword_too() -> None:
    panel = Panel(timestamps=DAYS, entities=SHOPS, metrics=METRICS, values=_values())

    assert _panel() == panel


def test_values_are_a_read_only_c_contiguous_copy() -> None:
    source = np.asfortranarray(_values())

    panel = Panel.from_arrays(DAYS, SHOPS, METRICS, source)

    assert not panel.values.flags.writeable
    assert panel.values.flags.c_contiguous
    assert not np.shares_memory(source, panel.values)
    with pytest.raises(ValueError, match="read-only"):
        panel.values[0, 0, 0] = 1.0


def test_mutating_the_input_afterwards_does_not_change_the_panel() -> None:
    source = _values()
    panel = Panel.from_arrays(DAYS, SHOPS, METRICS, source)

    source[0, 0, 0] = -1.0

    assert 100.0 == panel.values[0, 0, 0]


def test_panel_fields_cannot_be_reassigned() -> None:
    panel = _panel()

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        panel.entities = ("x",)  # type: ignore[misc]  # the point of the test


def test_from_metric_arrays_stacks_metrics_in_mapping_order() -> None:
    panel = Panel.from_metric_arrays(
        DAYS[:2],
        ["shop_a", "shop_b"],
        {"sales.orders": [[1, 2], [3, 4]], "sales.gmv": np.array([[10, 20], [30, 40]])},
    )

    assert ("sales.orders", "sales.gmv") == panel.metrics
    assert [[[1.0, 10.0], [2.0, 20.0]], [[3.0, 30.0], [4.0, 40.0]]] == (
        panel.values.tolist()
    )


def test_from_metric_arrays_with_no_metric_has_an_empty_last_axis() -> None:
    panel = Panel.from_metric_arrays(DAYS[:2], SHOPS, {})

    assert (2, 3, 0) == panel.values.shape


def test_a_panel_may_have_no_period() -> None:
    panel = Panel.from_arrays([], SHOPS, METRICS, np.empty((0, 3, 2)))

    assert 0 == panel.n_periods
    assert [] == list(panel.observations())


def test_observation_from_mapping() -> None:
    observation = Observation.from_mapping(
        DAYS[0], ["shop_a", "shop_b"], {"sales.gmv": [1.0, NAN], "sales.orders": [2, 3]}
    )

    assert ("sales.gmv", "sales.orders") == observation.metrics
    assert (2, 2) == observation.values.shape
    assert not observation.values.flags.writeable
    assert [2.0, 3.0] == observation.metric_values("sales.orders").tolist()
    assert 1 == observation.entity_index("shop_b")
    assert 2 == observation.n_entities
    assert 2 == observation.n_metrics


# --- bad input --------------------------------------------------------------


def test_naive_timestamp_is_rejected_naming_its_index() -> None:
    stamps = [DAYS[0], dt.datetime(2026, 3, 2), DAYS[2]]  # noqa: DTZ001  the point

    with pytest.raises(NaiveDatetimeError) as info:
        Panel.from_arrays(stamps, SHOPS, METRICS, np.zeros((3, 3, 2)))

    assert "timestamps[1]" == info.value.field


@pytest.mark.parametrize(
    ("stamps", "index"),
    [
        ((DAYS[0], DAYS[2], DAYS[1]), 2),
        ((DAYS[0], DAYS[0], DAYS[1]), 1),
        ((DAYS[1], DAYS[1].astimezone(TAIPEI), DAYS[2]), 1),
    ],
)
def test_timestamps_must_strictly_increase(
    stamps: tuple[dt.datetime, ...], index: int
) -> None:
    with pytest.raises(ValidationError, match="strictly increasing") as info:
        Panel.from_arrays(stamps, SHOPS, METRICS, np.zeros((3, 3, 2)))

    assert f"timestamps[{index}]" == info.value.field


def test_a_date_is_not_a_timestamp() -> None:
    with pytest.raises(InvalidTypeError) as info:
        Panel.from_arrays([dt.date(2026, 3, 1)], SHOPS, METRICS, np.zeros((1, 3, 2)))  # type: ignore[list-item]

    assert "timestamps[0]" == info.value.field


def test_timestamps_must_be_a_sequence() -> None:
    with pytest.raises(InvalidTypeError, match=r"^'timestamps' must be a tuple"):
        Panel(timestamps="2026-03-01", entities=SHOPS, metrics=METRICS, values=[])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entities", "error", "field"),
    [
        (("shop_a", "shop_b", "shop_a"), ValidationError, "entities[2]"),
        (("shop_a", " ", "shop_c"), ValidationError, "entities[1]"),
        (("shop_a", 2, "shop_c"), InvalidTypeError, "entities[1]"),
    ],
)
def test_bad_entities_are_rejected_naming_the_index(
    entities: tuple[Any, ...], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        Panel.from_arrays(DAYS, entities, METRICS, _values())

    assert field == info.value.field  # type: ignore[attr-defined]


def test_a_repeated_entity_names_its_first_position() -> None:
    with pytest.raises(ValidationError, match=r"repeats entities\[0\]"):
        Panel.from_arrays(DAYS, ("a", "b", "a"), METRICS, _values())


@pytest.mark.parametrize(
    ("metrics", "field"),
    [
        (("sales.gmv", "sales.gmv"), "metrics[1]"),
        (("Sales GMV", "sales.orders"), "metrics[0]"),
        (("sales.gmv", ""), "metrics[1]"),
    ],
)
def test_bad_metric_keys_are_rejected_naming_the_index(
    metrics: tuple[str, ...], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        Panel.from_arrays(DAYS, SHOPS, metrics, _values())

    assert field == info.value.field


def test_unknown_metric_with_a_catalog_suggests_the_closest_key() -> None:
    with pytest.raises(
        UnknownKeyError,
        match=r"unknown metric 'sales\.gmw'; did you mean 'sales\.gmv'",
    ):
        Panel.from_arrays(
            DAYS,
            SHOPS,
            ["sales.gmw", "feedback.negative_review_rate"],
            _values(),
            catalog=default_metrics(),
        )


def test_known_metrics_with_values_in_range_pass_the_catalog() -> None:
    panel = Panel.from_arrays(
        DAYS, SHOPS, METRICS, _values(), catalog=default_metrics()
    )

    assert _panel() == panel


def test_value_out_of_the_catalog_range_names_metric_value_and_index() -> None:
    values = _values()
    values[3, 2, 1] = 1.5  # a negative-review rate above 1

    with pytest.raises(ValidationError) as info:
        Panel.from_arrays(DAYS, SHOPS, METRICS, values, catalog=default_metrics())

    assert "feedback.negative_review_rate" == info.value.field
    assert 1.5 == info.value.value
    assert "index (3, 2)" in str(info.value)


def test_check_against_requires_a_metric_catalog() -> None:
    with pytest.raises(InvalidTypeError, match="'catalog' must be a MetricCatalog"):
        _panel().check_against({"sales.gmv": None})  # type: ignore[arg-type]


def test_shape_mismatch_names_values_and_both_shapes() -> None:
    with pytest.raises(ValidationError) as info:
        Panel.from_arrays(DAYS, SHOPS, METRICS, np.zeros((5, 2, 2)))

    assert "values" == info.value.field
    assert "(5, 3, 2)" in str(info.value)
    assert "(got (5, 2, 2))" in str(info.value)


def test_values_of_the_wrong_rank_are_a_shape_mismatch() -> None:
    with pytest.raises(ValidationError, match=r"\(got \(5, 6\)\)"):
        Panel.from_arrays(DAYS, SHOPS, METRICS, np.zeros((5, 6)))


@pytest.mark.parametrize("infinity", [np.inf, -np.inf])
def test_infinite_values_are_rejected_naming_the_cell(infinity: float) -> None:
    values = _values()
    values[1, 0, 1] = infinity

    with pytest.raises(ValidationError, match="infinity is not a KPI value") as info:
        Panel.from_arrays(DAYS, SHOPS, METRICS, values)

    assert "values[1, 0, 1]" == info.value.field


@pytest.mark.parametrize(
    "values",
    [
        [[["1.0", "2.0"]]],
        np.ones((1, 1, 2), dtype=bool),
        [[[1.0, None]]],
        [[[1.0, 2.0]], [[1.0]]],
        np.ones((1, 1, 2), dtype=complex),
        "values",
    ],
)
def test_non_numeric_values_are_rejected(values: Any) -> None:
    with pytest.raises(InvalidTypeError, match=r"^'values' must be an array-like"):
        Panel.from_arrays(DAYS[:1], ["shop_a"], ["sales.gmv", "sales.orders"], values)


def test_from_metric_arrays_names_the_metric_of_a_wrong_shape() -> None:
    with pytest.raises(ValidationError) as info:
        Panel.from_metric_arrays(
            DAYS[:2], SHOPS, {"sales.gmv": np.zeros((2, 3)), "sales.orders": [1, 2]}
        )

    assert "values['sales.orders']" == info.value.field
    assert "(2, 3)" in str(info.value)


def test_from_metric_arrays_checks_the_catalog() -> None:
    with pytest.raises(UnknownKeyError, match=r"unknown metric 'sales\.nope'"):
        Panel.from_metric_arrays(
            DAYS[:1], SHOPS, {"sales.nope": [[1, 2, 3]]}, catalog=default_metrics()
        )


def test_from_metric_arrays_needs_a_mapping() -> None:
    with pytest.raises(InvalidTypeError, match="mapping of metric key"):
        Panel.from_metric_arrays(DAYS[:1], SHOPS, [[1, 2, 3]])  # type: ignore[arg-type]


def test_observation_rejects_naive_time_bad_shape_and_infinity() -> None:
    with pytest.raises(NaiveDatetimeError, match="'timestamp'"):
        Observation(
            timestamp=dt.datetime(2026, 3, 1),  # noqa: DTZ001  the point
            entities=SHOPS,
            metrics=METRICS,
            values=np.zeros((3, 2)),
        )
    with pytest.raises(ValidationError, match=r"\(E, M\).*\(got \(2, 3\)\)"):
        Observation(
            timestamp=DAYS[0], entities=SHOPS, metrics=METRICS, values=np.zeros((2, 3))
        )
    with pytest.raises(ValidationError, match=r"values\['sales\.gmv'\]"):
        Observation.from_mapping(DAYS[0], SHOPS, {"sales.gmv": [1.0, 2.0]})
    with pytest.raises(ValidationError, match=r"values\['sales\.gmv'\]\[0\]"):
        Observation.from_mapping(DAYS[0], ["shop_a"], {"sales.gmv": [np.inf]})
    with pytest.raises(ValidationError, match=r"'values\[0, 1\]'"):
        Observation(
            timestamp=DAYS[0],
            entities=["shop_a"],
            metrics=METRICS,
            values=[[1.0, -np.inf]],
        )


# --- queries ----------------------------------------------------------------


def test_sizes() -> None:
    panel = _panel()

    assert (5, 3, 2) == (panel.n_periods, panel.n_entities, panel.n_metrics)


def test_metric_and_entity_positions() -> None:
    panel = _panel()

    assert 1 == panel.metric_index("feedback.negative_review_rate")
    assert 2 == panel.entity_index("shop_c")


def test_unknown_metric_and_entity_suggest_the_closest_key() -> None:
    panel = _panel()

    with pytest.raises(UnknownKeyError, match=r"did you mean 'sales\.gmv'"):
        panel.metric_index("sales.gvm")
    with pytest.raises(UnknownKeyError, match="unknown entity 'shop_d'; did you mean"):
        panel.entity_index("shop_d")
    with pytest.raises(InvalidTypeError, match="'key' must be a entity key"):
        panel.entity_index(3)  # type: ignore[arg-type]  # the point


def test_metric_values_is_a_read_only_time_by_entity_view() -> None:
    gmv = _panel().metric_values("sales.gmv")

    assert (5, 3) == gmv.shape
    assert [100.0, 101.0, 102.0, 103.0, 104.0] == gmv[:, 0].tolist()
    assert np.isnan(gmv[2, 1])
    assert not gmv.flags.writeable


def test_period_returns_one_observation() -> None:
    panel = _panel()

    observation = panel.period(1)

    assert DAYS[1] == observation.timestamp
    assert SHOPS == observation.entities
    assert [[101.0, 0.01], [201.0, 0.01], [301.0, 0.01]] == observation.values.tolist()


def test_negative_period_counts_from_the_end() -> None:
    panel = _panel()

    assert panel.period(4) == panel.period(-1)
    assert panel.period(0) == panel.period(-5)


@pytest.mark.parametrize("index", [5, -6, 100])
def test_period_out_of_range_names_the_index(index: int) -> None:
    with pytest.raises(
        ValidationError, match=r"^'index' must be an index in \[-5, 4\]"
    ):
        _panel().period(index)


def test_period_index_must_be_an_int() -> None:
    with pytest.raises(InvalidTypeError, match="'index' must be an int"):
        _panel().period(index=True)
    assert DAYS[2] == _panel().period(np.int64(2)).timestamp


def test_observations_come_in_time_order() -> None:
    observations = list(_panel().observations())

    assert list(DAYS) == [o.timestamp for o in observations]
    assert np.isnan(observations[2].values[1, 0])


def test_index_at_matches_the_same_instant_in_any_timezone() -> None:
    panel = _panel()

    assert 3 == panel.index_at(DAYS[3])
    assert 3 == panel.index_at(DAYS[3].astimezone(TAIPEI))


def test_index_at_an_unknown_time_suggests_the_neighbours() -> None:
    between = dt.datetime(2026, 3, 2, 12, tzinfo=UTC)

    with pytest.raises(UnknownKeyError) as info:
        _panel().index_at(between)

    assert (
        "2026-03-02T00:00:00+00:00",
        "2026-03-03T00:00:00+00:00",
    ) == info.value.suggestions


def test_index_at_rejects_a_naive_datetime() -> None:
    with pytest.raises(NaiveDatetimeError):
        _panel().index_at(dt.datetime(2026, 3, 1))  # noqa: DTZ001  the point


# --- slice, select, append --------------------------------------------------


def test_slice_is_half_open() -> None:
    part = _panel().slice(DAYS[1], DAYS[3])

    assert (DAYS[1], DAYS[2]) == part.timestamps
    assert [101.0, 102.0] == part.metric_values("sales.gmv")[:, 0].tolist()
    assert SHOPS == part.entities


def test_slice_with_open_ends() -> None:
    panel = _panel()

    assert DAYS[3:] == panel.slice(start=DAYS[3]).timestamps
    assert DAYS[:2] == panel.slice(end=DAYS[2]).timestamps
    assert panel == panel.slice()


def test_slice_bounds_between_timestamps() -> None:
    noon = dt.timedelta(hours=12)

    part = _panel().slice(DAYS[0] + noon, DAYS[2] + noon)

    assert (DAYS[1], DAYS[2]) == part.timestamps


def test_slice_may_be_empty_in_time() -> None:
    panel = _panel()

    empty = panel.slice(DAYS[2], DAYS[2])

    assert () == empty.timestamps
    assert (0, 3, 2) == empty.values.shape
    assert 0 == panel.slice(start=DAYS[4] + dt.timedelta(days=1)).n_periods


def test_slice_end_before_start_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"^'end' must be at or after 'start'"):
        _panel().slice(DAYS[3], DAYS[1])


def test_slice_rejects_naive_bounds() -> None:
    with pytest.raises(NaiveDatetimeError, match="'start'"):
        _panel().slice(start=dt.datetime(2026, 3, 1))  # noqa: DTZ001  the point


def test_select_keeps_the_given_subset_in_the_given_order() -> None:
    picked = _panel().select(
        entities=["shop_c", "shop_a"], metrics=["feedback.negative_review_rate"]
    )

    assert ("shop_c", "shop_a") == picked.entities
    assert ("feedback.negative_review_rate",) == picked.metrics
    assert (5, 2, 1) == picked.values.shape
    assert [[0.04], [0.04]] == picked.values[4].tolist()
    assert [300.0, 100.0] == _panel().select(["shop_c", "shop_a"]).values[
        0, :, 0
    ].tolist()


def test_select_with_nothing_keeps_everything() -> None:
    assert _panel() == _panel().select()


def test_select_rejects_unknown_and_repeated_keys() -> None:
    with pytest.raises(UnknownKeyError, match="unknown entity 'shop_x'"):
        _panel().select(entities=["shop_x"])
    with pytest.raises(ValidationError, match=r"'metrics\[1\]'"):
        _panel().select(metrics=["sales.gmv", "sales.gmv"])
    with pytest.raises(InvalidTypeError, match="'entities' must be a tuple"):
        _panel().select(entities="shop_a")


def test_append_a_panel_and_an_observation() -> None:
    panel = _panel()
    head = panel.slice(end=DAYS[2])

    grown = head.append(panel.slice(DAYS[2], DAYS[4])).append(panel.period(4))

    assert panel == grown
    assert DAYS[:2] == head.timestamps  # the original is unchanged


def test_append_to_or_from_an_empty_panel() -> None:
    panel = _panel()
    empty = panel.slice(end=DAYS[0])

    assert panel == empty.append(panel)
    assert panel == panel.append(empty)


def test_append_requires_the_same_entities_in_the_same_order() -> None:
    panel = _panel()
    reordered = panel.slice(start=DAYS[4]).select(
        entities=["shop_b", "shop_a", "shop_c"]
    )

    with pytest.raises(ValidationError, match="same order") as info:
        panel.slice(end=DAYS[4]).append(reordered)

    assert "other.entities" == info.value.field


def test_append_requires_the_same_metrics() -> None:
    panel = _panel()

    with pytest.raises(ValidationError) as info:
        panel.slice(end=DAYS[4]).append(
            panel.slice(start=DAYS[4]).select(metrics=["sales.gmv"])
        )

    assert "other.metrics" == info.value.field


@pytest.mark.parametrize("day", [0, 4])
def test_appended_periods_must_come_later(day: int) -> None:
    panel = _panel()

    with pytest.raises(ValidationError, match="later than the panel's last") as info:
        panel.append(panel.period(day))

    assert "other.timestamps[0]" == info.value.field


def test_append_rejects_other_values() -> None:
    with pytest.raises(InvalidTypeError, match="a Panel or an Observation"):
        _panel().append(_values())  # type: ignore[arg-type]  # the point


def test_from_observations_stacks_periods() -> None:
    panel = _panel()

    assert panel == Panel.from_observations(panel.observations())


def test_from_observations_with_none_needs_the_layout() -> None:
    empty = Panel.from_observations([], entities=SHOPS, metrics=METRICS)

    assert (0, 3, 2) == empty.values.shape
    with pytest.raises(ValidationError, match="at least one observation"):
        Panel.from_observations([])


def test_from_observations_rejects_mixed_layouts_and_other_values() -> None:
    panel = _panel()
    other = Observation.from_mapping(DAYS[4], ["shop_a"], {"sales.gmv": [1.0]})

    with pytest.raises(ValidationError) as info:
        Panel.from_observations([panel.period(0), other])
    assert "observations[1].entities" == info.value.field
    with pytest.raises(InvalidTypeError, match=r"'observations\[0\]'"):
        Panel.from_observations([panel])  # type: ignore[list-item]  # the point


# --- equality ---------------------------------------------------------------


def test_nan_equals_nan_and_hashes_agree() -> None:
    left = _panel()
    right = Panel.from_arrays(DAYS, SHOPS, METRICS, _values())

    assert left == right
    assert hash(left) == hash(right)
    assert len({left, right}) == 1


def test_a_missing_value_differs_from_any_number() -> None:
    values = _values()
    values[2, 1, 0] = 0.0

    assert _panel() != Panel.from_arrays(DAYS, SHOPS, METRICS, values)


def test_equal_instants_in_other_timezones_make_equal_panels() -> None:
    shifted = tuple(day.astimezone(TAIPEI) for day in DAYS)

    other = Panel.from_arrays(shifted, SHOPS, METRICS, _values())

    assert _panel() == other
    assert hash(_panel()) == hash(other)


def test_observation_equality_treats_nan_as_equal() -> None:
    assert _panel().period(2) == _panel().period(2)
    assert hash(_panel().period(2)) == hash(_panel().period(2))
    assert _panel().period(2) != _panel().period(3)


# --- properties -------------------------------------------------------------


@given(panels())
def test_panel_round_trips_through_plain_data_with_nans(panel: Panel) -> None:
    restored = from_data(Panel, _json_round_trip(to_data(panel)))

    assert panel == restored
    assert not restored.values.flags.writeable


@given(panels())
def test_observation_round_trips_through_plain_data(panel: Panel) -> None:
    for observation in panel.observations():
        document = _json_round_trip(to_data(observation))
        assert observation == from_data(Observation, document)


@given(panels())
def test_appending_every_observation_rebuilds_the_panel(panel: Panel) -> None:
    rebuilt = panel.slice(end=panel.timestamps[0]) if panel.timestamps else panel

    for observation in panel.observations():
        rebuilt = rebuilt.append(observation)

    assert panel == rebuilt


@given(panels(), st.data())
def test_slices_split_and_rejoin(panel: Panel, data: st.DataObject) -> None:
    moments = [
        *panel.timestamps,
        *data.draw(st.lists(aware_datetimes, min_size=1, max_size=2)),
    ]
    a, b = sorted(data.draw(st.lists(st.sampled_from(moments), min_size=2, max_size=2)))

    rejoined = panel.slice(a, b).append(panel.slice(b, None))

    assert panel.slice(a, None) == rejoined


@given(panels(min_periods=1))
def test_select_in_reverse_and_back_is_the_identity(panel: Panel) -> None:
    reverse = panel.select(panel.entities[::-1], panel.metrics[::-1])

    assert panel == reverse.select(panel.entities, panel.metrics)


@given(panels())
def test_from_observations_is_the_inverse_of_observations(panel: Panel) -> None:
    rebuilt = Panel.from_observations(
        panel.observations(), entities=panel.entities, metrics=panel.metrics
    )

    assert panel == rebuilt


def _revalidated(panel: Panel) -> Panel:
    """Rebuild a panel through the validating constructor."""
    return Panel(
        timestamps=panel.timestamps,
        entities=panel.entities,
        metrics=panel.metrics,
        values=panel.values,
    )


def _locked(array: npt.NDArray[np.float64]) -> bool:
    return not array.flags.writeable and array.flags.c_contiguous


@given(panels(min_periods=1), st.data())
def test_derived_panels_and_periods_are_valid_locked_values(
    panel: Panel, data: st.DataObject
) -> None:
    moments = st.sampled_from(panel.timestamps)
    a, b = sorted(data.draw(st.lists(moments, min_size=2, max_size=2)))
    entities = data.draw(st.permutations(panel.entities))
    metrics = data.draw(st.permutations(panel.metrics))
    derived = [
        panel.slice(a, b),
        panel.select(entities, metrics),
        panel.slice(end=b).append(panel.slice(start=b)),
    ]

    for part in derived:
        assert _revalidated(part) == part
        assert _locked(part.values)
        assert tuple(range(part.n_entities)) == tuple(
            map(part.entity_index, part.entities)
        )
        assert tuple(range(part.n_metrics)) == tuple(
            map(part.metric_index, part.metrics)
        )
    for index in range(panel.n_periods):
        observation = panel.period(index)
        assert _locked(observation.values)
        assert (
            Observation(
                timestamp=observation.timestamp,
                entities=observation.entities,
                metrics=observation.metrics,
                values=observation.values,
            )
            == observation
        )
