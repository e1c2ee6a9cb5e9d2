"""The KPI chart: a key indicator, its trigger bounds and its alerts (book §3).

Book §3 (關鍵指標監控與應急響應觸發點設定) watches each key indicator against
trigger points set from history (找到合理範圍) and tiers the response
(層級劃分). `kpi_chart` draws one indicator of one entity the way an operator
reads it: the series; the calibrated bounds of the `ThresholdSet` versions
in force at each period (the same point-in-time rule the monitor applies:
a version counts only from its ``valid_from``, a weekday-seasonal bound
takes the row of the period's weekday); and every alert as a span from its
first breach to its resolution, coloured by its peak `ResponseLevel`, with
a dotted line where it fired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from crisisops._time import instant
from crisisops._validation import check_aware, check_str
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.labels import Labels
from crisisops.monitoring import (
    Alert,
    MetricCatalog,
    Panel,
    ThresholdSet,
    default_metrics,
)
from crisisops.viz._common import (
    check_language,
    check_title,
    date_axis,
    date_number,
    date_numbers,
    level_colour,
    new_figure,
    term,
    tolerate_missing_glyphs,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["bound_series", "kpi_chart"]

FloatArray = npt.NDArray[np.float64]

_labels = Labels.of
_BOUND = _labels("trigger bound", "觸發點", "触发点")
_RANGE = _labels("reasonable range", "合理範圍", "合理范围")
_ALERT = _labels("alert", "預警", "预警")
_SERIES_COLOUR = "#263238"
_BOUND_COLOURS = ("#6a1b9a", "#00897b", "#5d4037", "#3949ab")
_WEEKDAYS = 7


def _check_panel(panel: object) -> Panel:
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a monitoring Panel")
    return panel


def _check_sets(thresholds: object) -> tuple[ThresholdSet, ...]:
    if thresholds is None:
        return ()
    if isinstance(thresholds, ThresholdSet):
        return (thresholds,)
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise InvalidTypeError(
            "thresholds", thresholds, "a ThresholdSet, several, or None"
        )
    sets = tuple(thresholds)
    for position, item in enumerate(sets):
        if not isinstance(item, ThresholdSet):
            raise InvalidTypeError(f"thresholds[{position}]", item, "a ThresholdSet")
    return sets


def _check_bounds(bounds: object, sets: tuple[ThresholdSet, ...]) -> tuple[str, ...]:
    known = list(dict.fromkeys(name for s in sets for name in s.bounds))
    if bounds is None:
        return tuple(known)
    if not sets:
        raise ValidationError("bounds", bounds, "None when no thresholds are given")
    if isinstance(bounds, str) or not isinstance(bounds, Iterable):
        raise InvalidTypeError("bounds", bounds, "a sequence of bound names")
    names = tuple(bounds)
    for position, name in enumerate(names):
        check_str(name, f"bounds[{position}]")
        if name not in known:
            raise UnknownKeyError("threshold bound", name, known)
    return names


def _check_alerts(alerts: object) -> tuple[Alert, ...]:
    if isinstance(alerts, Alert):
        return (alerts,)
    if isinstance(alerts, (str, bytes)) or not isinstance(alerts, Iterable):
        raise InvalidTypeError("alerts", alerts, "an iterable of Alert")
    found = tuple(alerts)
    for position, item in enumerate(found):
        if not isinstance(item, Alert):
            raise InvalidTypeError(f"alerts[{position}]", item, "an Alert")
    return found


def _seconds(moment: object, position: int) -> float:
    """Return an aware moment as seconds since the epoch (it must be aware)."""
    return instant(check_aware(moment, f"timestamps[{position}]")).timestamp()


def bound_series(
    timestamps: Sequence[dt.datetime],
    entity: str,
    name: str,
    thresholds: ThresholdSet | Iterable[ThresholdSet],
) -> FloatArray:
    """Return bound ``name`` of ``entity`` at every timestamp, as the monitor uses it.

    At each timestamp the set in force is the one with the latest
    ``valid_from`` not after it (`active_threshold_set`); before any set is
    valid, or where the set has no such bound or entity, the value is NaN.
    A weekday-seasonal bound gives the row of the timestamp's weekday (in its
    own offset, Monday = 0).

    Raises
    ------
    InvalidTypeError, NaiveDatetimeError
        For thresholds that are not `ThresholdSet` values, a timestamp that is
        not an aware datetime, or a non-str entity or name.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.monitoring import ThresholdSet
    >>> utc = dt.timezone.utc
    >>> days = [dt.datetime(2026, 1, d, tzinfo=utc) for d in range(1, 6)]
    >>> q1 = ThresholdSet(
    ...     version="q1",
    ...     fitted_through=days[0],
    ...     valid_from=days[2],
    ...     entities=["shop"],
    ...     bounds={"floor": [90.0]},
    ... )
    >>> bound_series(days, "shop", "floor", [q1]).tolist()
    [nan, nan, 90.0, 90.0, 90.0]
    """
    check_str(entity, "entity")
    check_str(name, "name")
    ordered = sorted(_check_sets(thresholds), key=lambda s: instant(s.valid_from))
    stamps = tuple(timestamps)
    starts = np.array([instant(s.valid_from).timestamp() for s in ordered])
    times = np.fromiter(
        (_seconds(t, position) for position, t in enumerate(stamps)),
        np.float64,
        len(stamps),
    )
    weekday = np.fromiter((t.weekday() for t in stamps), np.intp, len(stamps))
    table = np.full((len(ordered) + 1, _WEEKDAYS), np.nan)  # row 0: no set yet
    for row, item in enumerate(ordered, start=1):  # a handful of versions
        if name in item.bounds and entity in item.entities:
            table[row] = item.bounds[name][..., item.entities.index(entity)]
    version = np.searchsorted(starts, times, side="right")
    values: FloatArray = table[version, weekday]
    return values


def kpi_chart(  # noqa: PLR0913  keyword-only settings with defaults
    panel: Panel,
    metric: str,
    entity: str,
    *,
    alerts: Iterable[Alert] = (),
    thresholds: ThresholdSet | Iterable[ThresholdSet] | None = None,
    bounds: Sequence[str] | None = None,
    catalog: MetricCatalog | None = None,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw one KPI of one entity with its trigger bounds and alert spans.

    Parameters
    ----------
    panel
        The observations (`Panel`); missing values (NaN) leave gaps.
    metric
        The metric key to draw, e.g. ``"sales.gmv"``.
    entity
        The entity to draw, e.g. a SKU.
    alerts
        Alerts to mark (`Alert`, e.g. ``evaluation.alerts``); those of other
        entities are left out. Each is a span from ``first_breach_at`` to
        ``resolved_at`` (to the last period while it fires) in the colour of
        its peak level (`LEVEL_COLOURS`; grey for a no-data alert), with a
        dotted line at ``fired_at``. The span's ``gid`` is ``"alert:<id>"``.
    thresholds
        A `ThresholdSet`, or its versions over time, whose bounds to draw as
        step lines (``gid`` ``"bound:<name>"``) at the value in force at
        each period (`bound_series`). Two bounds also shade the reasonable
        range (合理範圍) between them.
    bounds
        Which bound names to draw; every bound of the sets if ``None``. Draw
        only bounds fitted on this metric's raw values: a bound on a change
        or a z-score is on another scale.
    catalog
        The `MetricCatalog` that names the metric and its unit;
        `default_metrics()` if ``None``. A metric it lacks is named by key.
    language
        ``None`` for English and Traditional Chinese, or a language tag.
    title
        The title; default "<entity> · <metric name>".

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the series (the first line), one line per bound, one span
        per alert of the entity, and a legend.

    Raises
    ------
    InvalidTypeError
        For a panel, alert, threshold set, catalog or title of the wrong type.
    UnknownKeyError
        For a metric, entity or bound name that is not there (with
        suggestions), or an unknown language tag.
    ValidationError
        For ``bounds`` without ``thresholds``.
    MissingExtraError
        Without matplotlib.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.monitoring import Panel
    >>> utc = dt.timezone.utc
    >>> days = [dt.datetime(2026, 3, d, tzinfo=utc) for d in range(1, 8)]
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["shop"], {"sales.gmv": [[100], [98], [101], [60], [55], [90], [99]]}
    ... )
    >>> axes = kpi_chart(panel, "sales.gmv", "shop", language="en").axes[0]
    >>> axes.get_title(), axes.get_ylabel()
    ('shop · Sales (GMV)', 'Sales (GMV), CNY')
    """
    checked = _check_panel(panel)
    column = checked.metric_index(metric)
    row = checked.entity_index(entity)
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    chosen = _check_alerts(alerts)
    sets = _check_sets(thresholds)
    names = _check_bounds(bounds, sets)
    metrics = default_metrics() if catalog is None else catalog
    if not isinstance(metrics, MetricCatalog):
        raise InvalidTypeError("catalog", catalog, "a MetricCatalog or None")
    name = metric
    unit = ""
    if metric in metrics:
        name = term(metrics[metric].labels, chosen_language)
        unit = metrics[metric].unit
    values = checked.values[:, row, column]
    stamps = checked.timestamps
    lines = [(bound, bound_series(stamps, entity, bound, sets)) for bound in names]

    with tolerate_missing_glyphs():
        figure = new_figure("kpi_chart", width=9.0, height=4.5)
        axes = figure.add_subplot()
        x = date_numbers(stamps)
        axes.plot(x, values, color=_SERIES_COLOUR, linewidth=1.3, label=name)
        _draw_bounds(axes, x, lines, chosen_language)
        _draw_alerts(
            axes, [a for a in chosen if a.entity == entity], stamps, chosen_language
        )
        date_axis(axes, stamps[0].tzinfo)
        axes.set_ylabel(f"{name}, {unit}" if unit else name)
        axes.set_title(f"{entity} · {name}" if chosen_title is None else chosen_title)
        axes.grid(visible=True, alpha=0.3)
        axes.legend(loc="best", fontsize=8)
    return figure


def _draw_bounds(
    axes: Axes,
    x: FloatArray,
    lines: list[tuple[str, FloatArray]],
    language: str | None,
) -> None:
    word = term(_BOUND, language)
    for position, (name, values) in enumerate(lines):
        axes.plot(
            x,
            values,
            drawstyle="steps-post",
            linestyle="--",
            linewidth=1.2,
            color=_BOUND_COLOURS[position % len(_BOUND_COLOURS)],
            label=f"{word} {name}",
            gid=f"bound:{name}",
        )
    if len(lines) == 2:
        low = np.fmin(lines[0][1], lines[1][1])
        high = np.fmax(lines[0][1], lines[1][1])
        axes.fill_between(
            x,
            low,
            high,
            step="post",
            color="#80cbc4",
            alpha=0.2,
            label=term(_RANGE, language),
            gid="range",
        )


def _draw_alerts(
    axes: Axes,
    alerts: list[Alert],
    stamps: Sequence[dt.datetime],
    language: str | None,
) -> None:
    word = term(_ALERT, language)
    for alert in alerts:  # a handful of episodes per entity
        colour = level_colour(alert.peak_level)
        end = stamps[-1] if alert.resolved_at is None else alert.resolved_at
        level = "no data" if alert.peak_level is None else alert.peak_level.value
        axes.axvspan(
            date_number(alert.first_breach_at),
            date_number(end),
            color=colour,
            alpha=0.3,
            linewidth=0,
            label=f"{word} {alert.rule} #{alert.episode} ({level})",
            gid=f"alert:{alert.id}",
        )
        axes.axvline(
            date_number(alert.fired_at),
            color=colour,
            linestyle=":",
            linewidth=1.5,
            gid=f"fired:{alert.id}",
        )
