"""The KPI chart draws the series, the bounds in force and the alert spans."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring import ThresholdSet, active_threshold_set
from crisisops.taxonomy import ResponseLevel
from crisisops.viz import LEVEL_COLOURS, bound_series, kpi_chart

from .build import (
    days,
    edges,
    find,
    kpi_evaluation,
    kpi_panel,
    kpi_sets,
    num,
    rgba,
    values,
)


def test_the_series_is_the_first_line_with_the_entitys_values() -> None:
    panel = kpi_panel()

    axes = kpi_chart(panel, "sales.gmv", "shop", language="en").axes[0]

    (line,) = axes.lines
    assert panel.metric_values("sales.gmv")[:, 0].tolist() == values(line.get_ydata())
    assert [num(t) for t in panel.timestamps] == values(line.get_xdata())
    assert "shop · Sales (GMV)" == axes.get_title()
    assert "Sales (GMV), CNY" == axes.get_ylabel()
    assert 0 == len(axes.patches)  # no alerts given, no spans


def test_the_bound_in_force_switches_version_and_follows_the_weekday() -> None:
    axes = kpi_chart(
        kpi_panel(), "sales.gmv", "shop", thresholds=kpi_sets(), bounds=["floor"]
    ).axes[0]

    floor = values(find(axes.lines, "bound:floor").get_ydata())
    # Days 0-1: no set valid yet. Days 2-7 (Wed 4 to Mon 9 March): v1's 80.
    # Days 8-13 (Tue 10 to Sun 15 March): v2's weekday floor, 90 on weekdays,
    # 50 on Saturday and Sunday.
    expected = [math.nan] * 2 + [80.0] * 6 + [90.0] * 4 + [50.0] * 2
    np.testing.assert_array_equal(expected, floor)


def test_two_bounds_shade_the_reasonable_range_between_them() -> None:
    v1, _ = kpi_sets()

    axes = kpi_chart(
        kpi_panel(), "sales.gmv", "cup", thresholds=v1, language="en"
    ).axes[0]

    assert 3 == len(axes.lines)  # the series, floor and ceiling
    assert ["bound:floor", "bound:ceiling"] == [
        line.get_gid() for line in axes.lines[1:]
    ]
    assert "reasonable range" == find(axes.collections, "range").get_label()


def test_each_alert_spans_first_breach_to_resolution_in_its_level_colour() -> None:
    evaluation = kpi_evaluation()

    axes = kpi_chart(kpi_panel(), "sales.gmv", "shop", alerts=evaluation.alerts).axes[0]

    spans = [p for p in axes.patches if str(p.get_gid()).startswith("alert:")]
    assert 2 == len(spans)
    for alert, span in zip(evaluation.alerts, spans, strict=True):
        assert f"alert:{alert.id}" == span.get_gid()
        assert alert.resolved_at is not None
        # 7 March to 10 March, then 11 March to 13 March (see build.kpi_evaluation).
        assert (num(alert.first_breach_at), num(alert.resolved_at)) == pytest.approx(
            edges(span)
        )
        assert rgba(LEVEL_COLOURS[ResponseLevel.III])[:3] == span.get_facecolor()[:3]
        fired = find(axes.lines, f"fired:{alert.id}")
        assert [num(alert.fired_at)] * 2 == values(fired.get_xdata())


def test_a_firing_alert_runs_to_the_last_period() -> None:
    panel = kpi_panel()
    alert = kpi_evaluation().alerts[1]
    firing = attrs.evolve(alert, resolved_at=None)

    axes = kpi_chart(panel, "sales.gmv", "shop", alerts=[firing]).axes[0]

    (span,) = axes.patches
    assert num(panel.timestamps[-1]) == pytest.approx(edges(span)[1])


def test_alerts_of_other_entities_are_left_out() -> None:
    axes = kpi_chart(
        kpi_panel(), "sales.gmv", "cup", alerts=kpi_evaluation().alerts
    ).axes[0]

    assert 0 == len(axes.patches)


def test_the_language_tag_chooses_the_script() -> None:
    axes = kpi_chart(kpi_panel(), "sales.gmv", "shop", language="zh-Hant").axes[0]

    assert "shop · 銷售額" == axes.get_title()


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"panel": "panel"}, InvalidTypeError, "'panel'"),
        ({"metric": "sales.gvm"}, UnknownKeyError, "sales.gmv"),
        ({"entity": "shp"}, UnknownKeyError, "shop"),
        ({"alerts": ["alert"]}, InvalidTypeError, r"'alerts\[0\]'"),
        ({"thresholds": "v1"}, InvalidTypeError, "'thresholds'"),
        ({"bounds": ["floor"]}, ValidationError, "'bounds'"),
        ({"thresholds": kpi_sets(), "bounds": ["flor"]}, UnknownKeyError, "floor"),
        ({"catalog": {}}, InvalidTypeError, "'catalog'"),
        ({"language": "fr"}, UnknownKeyError, "language tag"),
        ({"title": 3}, InvalidTypeError, "'title'"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(
    arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    call: dict[str, object] = {
        "panel": kpi_panel(),
        "metric": "sales.gmv",
        "entity": "shop",
        **arguments,
    }
    panel, metric, entity = call.pop("panel"), call.pop("metric"), call.pop("entity")

    with pytest.raises(error, match=match):
        kpi_chart(panel, metric, entity, **call)  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=13), min_size=1, max_size=4),
    floors=st.lists(st.floats(min_value=0.0, max_value=200.0), min_size=4, max_size=4),
)
def test_bound_series_agrees_with_the_monitors_active_set(
    offsets: list[int], floors: list[float]
) -> None:
    stamps = days(14)
    sets = [
        ThresholdSet(
            version=f"v{n}",
            fitted_through=stamps[offset] - dt.timedelta(hours=1),
            valid_from=stamps[offset] + dt.timedelta(minutes=n),
            entities=["shop"],
            bounds={"floor": [floors[n]]},
        )
        for n, offset in enumerate(offsets)
    ]

    values = bound_series(stamps, "shop", "floor", sets)

    for stamp, value in zip(stamps, values.tolist(), strict=True):
        active = active_threshold_set(sets, stamp)
        expected = math.nan if active is None else float(active.bound("floor")[0])
        assert expected == value or (math.isnan(expected) and math.isnan(value))


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        (
            {"timestamps": [dt.datetime(2026, 3, 2)]},  # noqa: DTZ001  naive on purpose
            NaiveDatetimeError,
            r"timestamps\[0\]",
        ),
        ({"thresholds": ["v1"]}, InvalidTypeError, r"thresholds\[0\]"),
        ({"entity": 1}, InvalidTypeError, "'entity'"),
        ({"name": None}, InvalidTypeError, "'name'"),
    ],
)
def test_bound_series_refuses_bad_input(
    arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    call: dict[str, object] = {
        "timestamps": days(3),
        "entity": "shop",
        "name": "floor",
        "thresholds": kpi_sets(),
        **arguments,
    }

    with pytest.raises(error, match=match):
        bound_series(**call)  # type: ignore[arg-type]
