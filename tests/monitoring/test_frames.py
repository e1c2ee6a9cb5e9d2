"""pandas interop: panels from and to long and wide DataFrames, alerts as a frame."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import zoneinfo
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    MissingExtraError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring import (
    Alert,
    AlertKind,
    Below,
    Change,
    Consecutive,
    Evidence,
    LevelChange,
    Panel,
    PreviousValue,
    Threshold,
    Tier,
    TriggerRule,
    alerts_frame,
    default_metrics,
    evaluate,
    panel_from_frame,
    panel_to_frame,
)
from crisisops.monitoring.frames import ALERT_COLUMNS
from crisisops.taxonomy import ResponseLevel

from .build import TAIPEI

UTC = dt.timezone.utc
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NAN = math.nan


def _day(day: int, tz: dt.tzinfo = TAIPEI, hour: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=tz)


def _small_panel(tz: dt.tzinfo = TAIPEI) -> Panel:
    """Two days, two shops, two metrics; shop_b's orders missing on day 1."""
    return Panel.from_metric_arrays(
        [_day(1, tz), _day(2, tz)],
        ["shop_a", "shop_b"],
        {
            "sales.gmv": [[100.0, 80.0], [90.0, 85.0]],
            "sales.orders": [[10.0, NAN], [9.0, 8.0]],
        },
    )


def _csv_like() -> pd.DataFrame:
    """A shop's export: text dates parsed, rows in no order, one row missing."""
    return pd.DataFrame(
        {
            "timestamp": pd.to_datetime(
                [
                    "2026-03-02 00:00",
                    "2026-03-01 00:00",
                    "2026-03-01 00:00",
                    "2026-03-02 00:00",
                    "2026-03-01 00:00",
                ]
            ).tz_localize("Asia/Taipei"),
            "entity": ["shop_a", "shop_a", "shop_b", "shop_b", "shop_a"],
            "metric": [
                "sales.gmv",
                "sales.gmv",
                "sales.gmv",
                "sales.gmv",
                "sales.orders",
            ],
            "value": [90.0, 100.0, 80.0, 85.0, 10.0],
            "note": ["", "promo", "", "", ""],  # ignored
        }
    )


# --- worked examples: reading ------------------------------------------------


def test_a_long_frame_with_a_timestamp_column_becomes_a_panel() -> None:
    panel = panel_from_frame(_csv_like())
    # Periods sorted by time; entities and metrics in order of first appearance.
    assert [_day(1).date(), _day(2).date()] == [t.date() for t in panel.timestamps]
    assert ("shop_a", "shop_b") == panel.entities
    assert ("sales.gmv", "sales.orders") == panel.metrics
    # By hand: GMV rows as given, orders only for shop_a on day 1, rest NaN.
    np.testing.assert_array_equal(
        [[100.0, 80.0], [90.0, 85.0]], panel.metric_values("sales.gmv")
    )
    np.testing.assert_array_equal(
        [[10.0, NAN], [NAN, NAN]], panel.metric_values("sales.orders")
    )
    assert dt.timedelta(hours=8) == panel.timestamps[0].utcoffset()


def test_a_long_frame_with_a_datetime_index_reads_the_same() -> None:
    frame = _csv_like().set_index("timestamp")
    assert panel_from_frame(_csv_like()) == panel_from_frame(frame)


def test_entities_and_metrics_fix_the_order_and_may_name_keys_without_rows() -> None:
    panel = panel_from_frame(
        _csv_like(),
        entities=["shop_b", "shop_a", "shop_c"],
        metrics=["sales.orders", "sales.gmv", "traffic.visits"],
    )
    assert ("shop_b", "shop_a", "shop_c") == panel.entities
    assert ("sales.orders", "sales.gmv", "traffic.visits") == panel.metrics
    np.testing.assert_array_equal(
        [[80.0, 100.0, NAN], [85.0, 90.0, NAN]], panel.metric_values("sales.gmv")
    )
    assert np.isnan(panel.metric_values("traffic.visits")).all()


def test_a_long_frame_of_one_metric_needs_no_metric_column() -> None:
    frame = _csv_like()
    gmv = frame[frame["metric"] == "sales.gmv"].drop(columns="metric")
    panel = panel_from_frame(gmv, metric="sales.gmv")
    assert panel == panel_from_frame(frame).select(metrics=["sales.gmv"])


def test_column_names_are_keywords() -> None:
    frame = _csv_like().rename(
        columns={"timestamp": "day", "entity": "shop", "metric": "kpi", "value": "v"}
    )
    names: dict[str, Any] = {
        "time_column": "day",
        "entity_column": "shop",
        "metric_column": "kpi",
        "value_column": "v",
    }
    panel = panel_from_frame(frame, **names)
    assert panel_from_frame(_csv_like()) == panel
    written = panel_to_frame(panel, **names)
    assert ["shop", "kpi", "v"] == written.columns.tolist()
    assert "day" == written.index.name


def test_a_wide_frame_with_metric_entity_columns_becomes_a_panel() -> None:
    columns = pd.MultiIndex.from_tuples(
        [("sales.gmv", "shop_a"), ("sales.gmv", "shop_b"), ("sales.orders", "shop_a")],
        names=["metric", "entity"],
    )
    index = pd.DatetimeIndex([_day(2), _day(1)])  # rows in no order
    frame = pd.DataFrame(
        [[90.0, 85.0, 9.0], [100.0, 80.0, 10.0]], index=index, columns=columns
    )
    panel = panel_from_frame(frame, layout="wide")
    assert (_day(1), _day(2)) == panel.timestamps
    np.testing.assert_array_equal(
        [[100.0, 80.0], [90.0, 85.0]], panel.metric_values("sales.gmv")
    )
    np.testing.assert_array_equal(
        [[10.0, NAN], [9.0, NAN]], panel.metric_values("sales.orders")
    )
    # Levels named the other way round are read by name.
    swapped = frame.copy()
    swapped.columns = columns.swaplevel()
    assert panel == panel_from_frame(swapped, layout="wide")


def test_a_wide_frame_of_plain_entity_columns_holds_one_metric() -> None:
    frame = pd.DataFrame(
        {"shop_a": [100, 90], "shop_b": [80, None]},
        index=pd.DatetimeIndex([_day(1), _day(2)]),
    )
    panel = panel_from_frame(frame, layout="wide", metric="sales.gmv")
    assert ("sales.gmv",) == panel.metrics
    np.testing.assert_array_equal(
        [[100.0, 80.0], [90.0, NAN]], panel.metric_values("sales.gmv")
    )


def test_nullable_and_object_numbers_are_read_with_missing_as_nan() -> None:
    frame = _csv_like()
    nullable = frame.assign(value=pd.array([90, 100, None, 85, 10], dtype="Int64"))
    objects = frame.assign(value=pd.Series([90, 100.0, None, 85, 10], dtype=object))
    expected = panel_from_frame(frame.assign(value=[90.0, 100.0, NAN, 85.0, 10.0]))
    assert expected == panel_from_frame(nullable)
    assert expected == panel_from_frame(objects)


def test_a_catalog_checks_metric_keys_and_ranges() -> None:
    metrics = default_metrics()
    assert panel_from_frame(_csv_like(), catalog=metrics).metrics == (
        "sales.gmv",
        "sales.orders",
    )
    typo = _csv_like().replace({"metric": {"sales.orders": "sales.ordres"}})
    with pytest.raises(UnknownKeyError, match=r"sales\.orders"):
        panel_from_frame(typo, catalog=metrics)
    negative = _csv_like().assign(value=[90.0, -1.0, 80.0, 85.0, 10.0])
    with pytest.raises(ValidationError, match=r"sales\.gmv"):
        panel_from_frame(negative, catalog=metrics)


def test_the_panel_does_not_share_memory_with_the_frame() -> None:
    frame = _csv_like()
    panel = panel_from_frame(frame)
    frame.loc[0, "value"] = -5.0
    assert 90.0 == panel.metric_values("sales.gmv")[1, 0]
    written = panel_to_frame(panel)
    written.iloc[0, 2] = -5.0  # the frame is writable and its own copy
    assert 100.0 == panel.metric_values("sales.gmv")[0, 0]


def test_the_methods_on_panel_call_the_functions() -> None:
    panel = _small_panel()
    for layout in ("long", "wide"):
        frame = panel.to_frame(layout=layout)
        pd.testing.assert_frame_equal(panel_to_frame(panel, layout=layout), frame)
        assert panel == Panel.from_frame(frame, layout=layout)


# --- worked examples: writing ------------------------------------------------


def test_the_long_frame_lists_every_cell_in_panel_order() -> None:
    frame = panel_to_frame(_small_panel())
    # T × E × M = 2 × 2 × 2 rows: time, then entity, then metric (by hand).
    assert ["entity", "metric", "value"] == frame.columns.tolist()
    assert "timestamp" == frame.index.name
    assert [_day(1)] * 4 + [_day(2)] * 4 == list(frame.index)
    assert ["shop_a", "shop_a", "shop_b", "shop_b"] * 2 == frame["entity"].tolist()
    assert ["sales.gmv", "sales.orders"] * 4 == frame["metric"].tolist()
    np.testing.assert_array_equal(
        [100.0, 10.0, 80.0, NAN, 90.0, 9.0, 85.0, 8.0], frame["value"]
    )
    assert "datetime64[us, UTC+08:00]" == str(frame.index.dtype)


def test_the_wide_frame_has_one_row_per_period() -> None:
    frame = panel_to_frame(_small_panel(), layout="wide")
    assert ["metric", "entity"] == list(frame.columns.names)
    assert [
        ("sales.gmv", "shop_a"),
        ("sales.gmv", "shop_b"),
        ("sales.orders", "shop_a"),
        ("sales.orders", "shop_b"),
    ] == frame.columns.tolist()
    np.testing.assert_array_equal(
        [[100.0, 80.0, 10.0, NAN], [90.0, 85.0, 9.0, 8.0]], frame.to_numpy()
    )
    one = panel_to_frame(_small_panel(), layout="wide", metric="sales.orders")
    assert ["shop_a", "shop_b"] == one.columns.tolist()
    assert "entity" == one.columns.name
    np.testing.assert_array_equal([[10.0, NAN], [9.0, 8.0]], one.to_numpy())


def test_one_metric_in_the_long_layout_drops_the_metric_column() -> None:
    frame = panel_to_frame(_small_panel(), metric="sales.gmv")
    assert ["entity", "value"] == frame.columns.tolist()
    assert [100.0, 80.0, 90.0, 85.0] == frame["value"].tolist()
    assert _small_panel().select(metrics=["sales.gmv"]) == panel_from_frame(
        frame, metric="sales.gmv"
    )


def test_an_empty_panel_gives_an_empty_frame_that_reads_back_with_its_keys() -> None:
    empty = _small_panel().slice(end=_day(1))
    frame = panel_to_frame(empty)
    assert 0 == len(frame)
    assert "datetime64[us, UTC]" == str(frame.index.dtype)  # no timestamp: UTC
    again = panel_from_frame(frame, entities=empty.entities, metrics=empty.metrics)
    assert empty == again
    wide = panel_to_frame(empty, layout="wide")
    assert empty == panel_from_frame(wide, layout="wide")


# --- time zones ----------------------------------------------------------------


@pytest.mark.parametrize("tz", [UTC, TAIPEI, BERLIN], ids=["UTC", "+08:00", "Berlin"])
@pytest.mark.parametrize("layout", ["long", "wide"])
def test_time_zones_and_offsets_are_kept(tz: dt.tzinfo, layout: str) -> None:
    panel = _small_panel(tz)
    frame = panel_to_frame(panel, layout=layout)
    assert tz == frame.index.tz
    again = panel_from_frame(frame, layout=layout)
    assert panel == again
    for before, after in zip(panel.timestamps, again.timestamps, strict=True):
        assert before.tzinfo == after.tzinfo
        assert before.utcoffset() == after.utcoffset()
        assert before.replace(tzinfo=None) == after.replace(tzinfo=None)


def test_a_daylight_saving_zone_keeps_each_period_s_own_offset() -> None:
    # Berlin moves from +01:00 to +02:00 at 01:00 UTC on 29 March 2026.
    hours = [dt.datetime(2026, 3, 29, h, tzinfo=UTC) for h in range(4)]
    stamps = [h.astimezone(BERLIN) for h in hours]
    panel = Panel.from_arrays(stamps, ["shop_a"], ["sales.gmv"], [[[1.0]]] * 4)
    frame = panel_to_frame(panel)
    # 01:00 and 03:00 Berlin time are one hour apart: 02:00 never happened.
    assert ["01:00", "03:00", "04:00", "05:00"] == [
        t.strftime("%H:%M") for t in frame.index
    ]
    assert [1, 2, 2, 2] == [
        int(t.utcoffset().total_seconds() // 3600) for t in frame.index
    ]
    again = panel_from_frame(frame)
    assert panel == again
    assert [s.utcoffset() for s in stamps] == [s.utcoffset() for s in again.timestamps]


def test_the_hour_repeated_when_daylight_saving_ends_asks_for_utc() -> None:
    # 25 October 2026: 02:00 Berlin time happens twice, at +02:00 and +01:00.
    index = pd.date_range("2026-10-25 00:00", periods=4, freq="h", tz=UTC)
    frame = pd.DataFrame({"shop_a": [1.0, 2.0, 3.0, 4.0]}, index=index)
    with pytest.raises(ValidationError, match=r"tz_convert\('UTC'\)"):
        panel_from_frame(frame.tz_convert(BERLIN), layout="wide", metric="sales.gmv")
    panel = panel_from_frame(frame, layout="wide", metric="sales.gmv")
    assert 4 == panel.n_periods


def test_a_time_skipped_by_daylight_saving_is_refused_when_writing() -> None:
    skipped = dt.datetime(2026, 3, 29, 2, 30, tzinfo=BERLIN)  # never shown on a clock
    panel = Panel.from_arrays([skipped], ["shop_a"], ["sales.gmv"], [[[1.0]]])
    with pytest.raises(ValidationError, match=r"panel.timestamps\[0\]"):
        panel_to_frame(panel)
    assert 1 == len(panel_to_frame(panel, tz=UTC))


def test_mixed_zones_need_tz_to_become_one_column() -> None:
    stamps = [_day(1, UTC), _day(2, TAIPEI)]
    panel = Panel.from_arrays(stamps, ["shop_a"], ["sales.gmv"], [[[1.0]], [[2.0]]])
    with pytest.raises(ValidationError, match=r"panel.timestamps\[1\].*tz="):
        panel_to_frame(panel)
    frame = panel_to_frame(panel, tz=TAIPEI)
    assert TAIPEI == frame.index.tz
    assert panel == panel_from_frame(frame)  # the same instants


# --- round trips -----------------------------------------------------------------

_ZONES = [UTC, TAIPEI, dt.timezone(dt.timedelta(hours=-5, minutes=-30)), BERLIN]
_entity_keys = st.text(min_size=1, max_size=8).filter(lambda s: s.strip() != "")
_metric_keys = st.lists(
    st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), min_size=1, max_size=2
).map(".".join)
_kpi_values = st.floats(allow_nan=True, allow_infinity=False, width=64)


def _exists(stamp: dt.datetime) -> bool:
    """Whether the wall-clock time exists in its zone (not skipped by DST)."""
    back = stamp.astimezone(UTC).astimezone(stamp.tzinfo)
    return back.replace(tzinfo=None, fold=0) == stamp.replace(tzinfo=None, fold=0)


@st.composite
def panels(draw: st.DrawFn) -> Panel:
    """Small panels in one time zone: 1–4 periods, 1–3 entities and metrics."""
    zone = draw(st.sampled_from(_ZONES))
    walls = draw(
        st.lists(
            st.datetimes(
                min_value=dt.datetime(1970, 1, 2),  # noqa: DTZ001  hypothesis bounds
                max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001  hypothesis bounds
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    stamps = [wall.replace(tzinfo=zone) for wall in sorted(walls)]
    assume(all(_exists(stamp) for stamp in stamps))
    entities = draw(st.lists(_entity_keys, min_size=1, max_size=3, unique=True))
    metrics = draw(st.lists(_metric_keys, min_size=1, max_size=3, unique=True))
    shape = (len(stamps), len(entities), len(metrics))
    values = draw(
        st.lists(_kpi_values, min_size=math.prod(shape), max_size=math.prod(shape))
    )
    return Panel.from_arrays(stamps, entities, metrics, np.reshape(values, shape))


def _same_zones(left: Panel, right: Panel) -> bool:
    return all(
        a.tzinfo == b.tzinfo and a.utcoffset() == b.utcoffset()
        for a, b in zip(left.timestamps, right.timestamps, strict=True)
    )


@settings(max_examples=30, deadline=None)
@given(panel=panels(), layout=st.sampled_from(["long", "wide"]))
def test_panel_to_frame_and_back_is_exact(panel: Panel, layout: str) -> None:
    frame = panel_to_frame(panel, layout=layout)
    again = panel_from_frame(frame, layout=layout)
    assert panel == again
    assert _same_zones(panel, again)
    # ... and the frame comes back as it was written.
    pd.testing.assert_frame_equal(frame, panel_to_frame(again, layout=layout))


@settings(max_examples=25, deadline=None)
@given(panel=panels(), layout=st.sampled_from(["long", "wide"]), data=st.data())
def test_one_metric_round_trips_in_both_layouts(
    panel: Panel, layout: str, data: st.DataObject
) -> None:
    metric = data.draw(st.sampled_from(panel.metrics))
    frame = panel_to_frame(panel, layout=layout, metric=metric)
    again = panel_from_frame(frame, layout=layout, metric=metric)
    assert panel.select(metrics=[metric]) == again
    pd.testing.assert_frame_equal(
        frame, panel_to_frame(again, layout=layout, metric=metric)
    )


@settings(max_examples=25, deadline=None)
@given(panel=panels(), seed=st.integers(0, 2**32 - 1))
def test_row_order_and_missing_rows_do_not_matter(panel: Panel, seed: int) -> None:
    frame = panel_to_frame(panel)
    keys: dict[str, Any] = {"entities": panel.entities, "metrics": panel.metrics}
    shuffled = frame.sample(frac=1.0, random_state=seed)
    assert panel == panel_from_frame(shuffled, **keys)
    # A missing row is a missing value, as long as each period keeps a row.
    known = frame.dropna(subset=["value"])
    assume(known.index.nunique() == panel.n_periods)
    assert panel == panel_from_frame(known, **keys)


# --- bad input ---------------------------------------------------------------------


def _bad(frame: pd.DataFrame, error: type[Exception], match: str, **kw: Any) -> None:
    with pytest.raises(error, match=match):
        panel_from_frame(frame, **kw)


def test_from_frame_refuses_what_is_not_a_frame_or_a_layout() -> None:
    _bad(_csv_like()["value"], InvalidTypeError, "'frame' must be a pandas DataFrame")
    _bad(_csv_like(), UnknownKeyError, "did you mean 'wide'", layout="wdie")
    _bad(_csv_like(), InvalidTypeError, "'layout'", layout=2)
    _bad(_csv_like(), ValidationError, "'metric_column'", metric_column="entity")
    _bad(_csv_like(), InvalidTypeError, "'value_column'", value_column=3)
    _bad(_csv_like(), InvalidTypeError, "'entities'", entities="shop_a")
    _bad(_csv_like(), DuplicateKeyError, "shop_a", entities=["shop_a", "shop_a"])
    _bad(_csv_like(), ValidationError, r"'metrics\[0\]'", metrics=["Sales GMV"])
    _bad(_csv_like(), InvalidTypeError, "'catalog'", catalog={"sales.gmv": 1})


def test_from_frame_wants_aware_timestamps() -> None:
    naive = _csv_like().assign(timestamp=pd.to_datetime(["2026-03-01"] * 5))
    _bad(naive, NaiveDatetimeError, r"frame\['timestamp'\]")
    _bad(naive.set_index("timestamp"), NaiveDatetimeError, "'frame.index'")
    text = _csv_like().assign(timestamp=["2026-03-01"] * 5)
    _bad(text, InvalidTypeError, "pandas.to_datetime")
    _bad(_csv_like().drop(columns="timestamp"), InvalidTypeError, "DatetimeIndex")
    missing = _csv_like()
    missing.loc[2, "timestamp"] = pd.NaT
    _bad(missing, ValidationError, r"frame\['timestamp'\].iloc\[2\].*NaT")
    nanos = _csv_like()
    nanos["timestamp"] = nanos["timestamp"].dt.as_unit("ns")
    nanos.loc[3, "timestamp"] += pd.Timedelta(nanoseconds=1)
    _bad(nanos, ValidationError, r"iloc\[3\].*whole microseconds")


def test_from_frame_refuses_missing_or_repeated_columns() -> None:
    _bad(_csv_like().drop(columns="value"), UnknownKeyError, "column 'value'")
    renamed = _csv_like().rename(columns={"entity": "Entity"})
    _bad(renamed, UnknownKeyError, "did you mean 'Entity'")
    twice = pd.concat([_csv_like(), _csv_like()["value"]], axis=1)
    _bad(twice, DuplicateKeyError, "column 'value'")
    _bad(
        _csv_like(), ValidationError, "'metric' must be None for a", metric="sales.gmv"
    )


def test_from_frame_refuses_duplicate_observations() -> None:
    frame = pd.concat([_csv_like(), _csv_like().iloc[[3]]], ignore_index=True)
    with pytest.raises(DuplicateKeyError, match="shop_b") as caught:
        panel_from_frame(frame)
    assert ("2026-03-02T00:00:00+08:00", "shop_b", "sales.gmv") == caught.value.key


def test_from_frame_refuses_bad_keys_naming_the_row() -> None:
    typo = _csv_like()
    typo.loc[4, "metric"] = "Sales Orders"
    _bad(typo, ValidationError, r"frame\['metric'\].iloc\[4\].*dots")
    blank = _csv_like()
    blank.loc[1, "entity"] = "  "
    _bad(blank, ValidationError, r"frame\['entity'\].iloc\[1\]")
    missing = _csv_like()
    missing.loc[2, "entity"] = None
    _bad(missing, ValidationError, r"iloc\[2\].*not missing")
    numbered = _csv_like().assign(entity=[1001, 1001, 1002, 1002, 1001])
    _bad(numbered, InvalidTypeError, r"iloc\[0\].*astype\(str\)")
    _bad(_csv_like(), UnknownKeyError, "entity 'shop_b'", entities=["shop_a"])
    _bad(_csv_like(), UnknownKeyError, "metric 'sales.orders'", metrics=["sales.gmv"])
    _bad(
        _csv_like(),
        ValidationError,
        "'metrics' must be None",
        metric="sales.gmv",
        metrics=["sales.gmv"],
    )


def test_from_frame_refuses_values_that_are_no_numbers() -> None:
    text = _csv_like().assign(value=["90", 100.0, 80.0, 85.0, 10.0])
    _bad(text, InvalidTypeError, r"frame\['value'\].iloc\[0\].*real number")
    flags = _csv_like().assign(value=[True, False, True, True, False])
    _bad(flags, InvalidTypeError, r"iloc\[0\].*real number")
    infinite = _csv_like().assign(value=[90.0, 100.0, math.inf, 85.0, 10.0])
    _bad(infinite, ValidationError, r"iloc\[2\].*infinity")
    huge = _csv_like().assign(value=pd.Series([90, 100, 10**400, 85, 10], dtype=object))
    _bad(huge, ValidationError, r"iloc\[2\].*a float can hold")


def test_from_frame_refuses_bad_wide_frames() -> None:
    index = pd.DatetimeIndex([_day(1), _day(2)])
    plain = pd.DataFrame({"shop_a": [1.0, 2.0]}, index=index)
    _bad(plain, ValidationError, "MultiIndex", layout="wide")
    columns = pd.MultiIndex.from_tuples([("sales.gmv", "shop_a")])
    multi = pd.DataFrame([[1.0], [2.0]], index=index, columns=columns)
    _bad(multi, ValidationError, r"frame\[metric\]", layout="wide", metric="sales.gmv")
    twice = pd.concat([plain, plain], axis=1)
    _bad(twice, DuplicateKeyError, "shop_a", layout="wide", metric="sales.gmv")
    rows = pd.concat([plain, plain.iloc[[0]]])
    _bad(rows, DuplicateKeyError, "timestamp", layout="wide", metric="sales.gmv")
    _bad(
        plain.reset_index(drop=True),
        InvalidTypeError,
        "'frame.index'",
        layout="wide",
        metric="sales.gmv",
    )
    text = plain.assign(shop_b=["a", "b"])
    _bad(
        text,
        InvalidTypeError,
        r"frame\['shop_b'\].iloc\[0\]",
        layout="wide",
        metric="sales.gmv",
    )
    infinite = plain.assign(shop_b=[1.0, -math.inf])
    _bad(
        infinite,
        ValidationError,
        r"frame\['shop_b'\].iloc\[1\].*infinity",
        layout="wide",
        metric="sales.gmv",
    )
    bad_key = pd.DataFrame(
        [[1.0], [2.0]], index=index, columns=pd.MultiIndex.from_tuples([("GMV", "a")])
    )
    _bad(bad_key, ValidationError, r"get_level_values\(0\)\[0\]'", layout="wide")


def test_to_frame_refuses_bad_arguments() -> None:
    panel = _small_panel()
    with pytest.raises(InvalidTypeError, match="'panel' must be a Panel"):
        panel_to_frame(panel.period(0))  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="did you mean 'long'"):
        panel_to_frame(panel, layout="lnog")
    with pytest.raises(UnknownKeyError, match=r"did you mean 'sales\.gmv'"):
        panel_to_frame(panel, metric="sales.gvm")
    with pytest.raises(InvalidTypeError, match="'tz'"):
        panel_to_frame(panel, tz="Asia/Taipei")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'value_column'"):
        panel_to_frame(panel, value_column="metric")


# --- alerts ----------------------------------------------------------------------


def _evaluation_alerts() -> tuple[Alert, ...]:
    """The book's example: sales down 5 % or more a day, three days in a row."""
    day_over_day = Change(metric="sales.gmv", baseline=PreviousValue())

    def fall_of(share: float) -> Threshold:
        return Threshold(signal=day_over_day, predicate=Below(-share, inclusive=True))

    rule = TriggerRule(
        name="sales_crisis",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(ResponseLevel.IV, fall_of(0.05)),
            Tier(ResponseLevel.III, fall_of(0.10)),
        ],
        persistence=Consecutive(3),
    )
    gmv = [1000, 1010, 990, 1000, 940, 880, 790, 700, 620, 640, 650, 660]
    stamps = [_day(2) + dt.timedelta(days=d) for d in range(len(gmv))]
    panel = Panel.from_metric_arrays(
        stamps, ["sku-tea"], {"sales.gmv": [[g] for g in gmv]}
    )
    return evaluate([rule], panel).alerts


def test_alerts_become_one_row_each_with_their_evidence() -> None:
    alerts = _evaluation_alerts()
    frame = alerts_frame(alerts)
    assert list(ALERT_COLUMNS) == frame.columns.tolist()
    assert 1 == len(frame)
    row = frame.to_dict("records")[0]
    # By hand: falls of 6.0 %, 6.4 %, 10.2 % (6, 7, 8 March) fire Level IV on
    # the 8th; 11.4 % on the 9th and 10th moves it to III on the 10th (three
    # days past 10 %); growth on the 11th resolves it.
    assert "sales_crisis/sku-tea/1" == row["id"]
    assert ("breach", "sales_crisis", "sku-tea", 1) == (
        row["kind"],
        row["rule"],
        row["entity"],
        row["episode"],
    )
    assert ("III", "IV", "III") == (row["level"], row["fired_level"], row["peak_level"])
    assert _day(6) == row["first_breach_at"]
    assert _day(8) == row["fired_at"]
    assert _day(11) == row["resolved_at"]
    assert (790.0, 880.0, -0.05, 3) == (
        row["observed"],
        row["baseline"],
        row["bound"],
        row["run_length"],
    )
    assert 790.0 / 880.0 - 1.0 == pytest.approx(row["signal"])
    assert 1 == row["n_level_changes"]
    assert pd.isna(row["threshold_version"])
    assert TAIPEI == frame["fired_at"].dt.tz


def test_alert_levels_order_by_severity() -> None:
    alerts = _evaluation_alerts()
    fired = alerts[0]
    worse = Alert(
        kind=AlertKind.BREACH,
        rule="sales_crisis",
        entity="sku-cup",
        episode=1,
        crisis_type="market.demand_shift",
        level=ResponseLevel.I,
        fired_level=ResponseLevel.II,
        peak_level=ResponseLevel.I,
        first_breach_at=_day(7),
        fired_at=_day(9),
        evidence=Evidence(
            observed=1.0,
            signal=-0.9,
            baseline=10.0,
            bound=-0.5,
            run_length=3,
            threshold_version="2026-Q1",
        ),
        level_changes=[
            LevelChange(at=_day(10), level=ResponseLevel.I, evidence=fired.evidence)
        ],
    )
    no_data = Alert(
        kind=AlertKind.NO_DATA,
        rule="sales_crisis",
        entity="sku-new",
        episode=1,
        crisis_type="market.demand_shift",
        level=None,
        fired_level=None,
        peak_level=None,
        first_breach_at=_day(3),
        fired_at=_day(5),
        evidence=Evidence(
            observed=NAN, signal=NAN, baseline=NAN, bound=NAN, run_length=2
        ),
    )
    frame = alerts_frame([fired, worse, no_data])
    assert "I" == frame["level"].max()  # the most severe
    assert ["III", "I", None] == [None if pd.isna(v) else v for v in frame["level"]]
    assert frame["level"].cat.ordered
    assert ["2026-Q1"] == frame["threshold_version"].dropna().tolist()
    assert [1, 1, 0] == frame["n_level_changes"].tolist()
    assert pd.isna(frame.loc[1, "resolved_at"])
    assert frame.loc[2, "id"].endswith("/no_data")


def test_an_empty_list_of_alerts_gives_the_columns_and_their_types() -> None:
    frame = alerts_frame([])
    assert list(ALERT_COLUMNS) == frame.columns.tolist()
    assert 0 == len(frame)
    assert "datetime64[us, UTC]" == str(frame["fired_at"].dtype)
    assert "int64" == str(frame["run_length"].dtype)


def test_alert_times_show_in_the_zone_of_their_periods() -> None:
    alert = _evaluation_alerts()[0]
    shifted = attrs.evolve(  # the same instant written in UTC
        alert, first_breach_at=alert.first_breach_at.astimezone(UTC)
    )
    frame = alerts_frame([shifted])
    assert TAIPEI == frame["first_breach_at"].dt.tz  # the zone of fired_at
    assert "2026-03-06T00:00:00+08:00" == frame.loc[0, "first_breach_at"].isoformat()
    assert UTC == alerts_frame([])["fired_at"].dt.tz


def test_alerts_fired_in_several_zones_need_tz() -> None:
    alert = _evaluation_alerts()[0]
    utc_alert = attrs.evolve(
        alert,
        entity="sku-cup",
        first_breach_at=alert.first_breach_at.astimezone(UTC),
        fired_at=alert.fired_at.astimezone(UTC),
    )
    with pytest.raises(ValidationError, match=r"'alerts\[1\].fired_at'.*tz="):
        alerts_frame([alert, utc_alert])
    frame = alerts_frame([alert, utc_alert], tz=UTC)
    assert frame.loc[0, "fired_at"] == frame.loc[1, "fired_at"]  # the same instant
    assert UTC == frame["fired_at"].dt.tz


def test_alerts_frame_refuses_what_is_not_alerts() -> None:
    alert = _evaluation_alerts()[0]
    with pytest.raises(InvalidTypeError, match="'alerts' must be an iterable"):
        alerts_frame(alert)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'alerts' must be an iterable"):
        alerts_frame(3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'alerts\[1\]' must be an Alert"):
        alerts_frame([alert, "sales_crisis/sku-tea/1"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="'tz'"):
        alerts_frame([alert], tz=8)  # type: ignore[arg-type]


# --- the extra stays optional -----------------------------------------------------


def test_importing_the_monitoring_stage_does_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "import crisisops.monitoring\n"
        "import crisisops.monitoring.frames\n"
        "from crisisops.monitoring import Panel, alerts_frame\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandas'))\n"
    )
    result = subprocess.run(  # noqa: S603  our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "[]" == result.stdout.strip()


def test_without_pandas_the_functions_name_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(MissingExtraError, match=r"pip install 'crisisops\[pandas\]'"):
        _small_panel().to_frame()
    with pytest.raises(MissingExtraError, match="panel_from_frame"):
        Panel.from_frame(object())
    with pytest.raises(MissingExtraError, match="alerts_frame"):
        alerts_frame([])
