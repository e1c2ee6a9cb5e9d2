"""The review's before/after KPI chart (book §6 數據分析和效果評估).

Book §6 starts the review from the data: compare the key indicators before,
during and after the crisis (通過對比分析危機前後的數據) to see what the response
achieved. `before_after` draws the `KPIEffect` values of
`crisisops.review.evaluate_effects`, one row per KPI: on the left the mean of
each window per entity, with the change against *before* in per cent; on the
right one entity's actual values over the *during* and *after* periods
against the counterfactual baseline, the shortfall between them shaded (its
sum is the loss area) and the moment the KPI was back on target.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from crisisops._validation import check_str
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.monitoring import MetricCatalog, default_metrics
from crisisops.review import EvaluationWindow, KPIEffect
from crisisops.viz._common import (
    check_language,
    check_title,
    date_axis,
    date_number,
    date_numbers,
    new_figure,
    term,
    tolerate_missing_glyphs,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["WINDOW_COLOURS", "before_after"]

#: Bar colour of each evaluation window: grey before, red during, green after.
WINDOW_COLOURS: FrozenDict[EvaluationWindow, str] = FrozenDict(
    {
        EvaluationWindow.BEFORE: "#90a4ae",
        EvaluationWindow.DURING: "#e57373",
        EvaluationWindow.AFTER: "#81c784",
    }
)

_labels = Labels.of
_ACTUAL = _labels("actual", "實際", "实际")
_BASELINE = _labels("baseline (no crisis)", "基準", "基准")
_LOSS = _labels("loss area", "損失", "损失")
_RECOVERED = _labels("back on target", "恢復", "恢复")
_AFTER_STARTS = _labels("after window starts", "危機後", "危机后")
_REVIEW = _labels("Before and after the crisis", "危機前後對比", "危机前后对比")
_BAR_WIDTH = 0.26


def _check_effects(effects: object) -> tuple[KPIEffect, ...]:
    if isinstance(effects, KPIEffect):
        return (effects,)
    if isinstance(effects, (str, bytes)) or not isinstance(effects, Sequence):
        raise InvalidTypeError(
            "effects", effects, "a KPIEffect or a sequence of KPIEffect"
        )
    if not effects:
        raise ValidationError("effects", effects, "at least one KPIEffect")
    for position, item in enumerate(effects):
        if not isinstance(item, KPIEffect):
            raise InvalidTypeError(f"effects[{position}]", item, "a KPIEffect")
    return tuple(effects)


def before_after(
    effects: KPIEffect | Sequence[KPIEffect],
    *,
    entity: str | None = None,
    catalog: MetricCatalog | None = None,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the before/during/after means and the actual-against-baseline series.

    One row per `KPIEffect`, two axes per row:

    * left, the window means of every entity as grouped bars (before grey,
      during red, after green; `WINDOW_COLOURS`), each *during* and *after*
      bar labelled with its change against *before* (``pct_during``,
      ``pct_after``);
    * right, for ``entity``, the actual values over the horizon (*during*
      then *after*) and the counterfactual baseline, the shortfall in the
      metric's bad direction shaded (it sums to ``loss_area``), a dotted
      line where the *after* window starts and a solid one where the KPI is
      back on target for good (``recovered_at``).

    Parameters
    ----------
    effects
        A `KPIEffect` or several (e.g. the tuple `evaluate_effects` returns).
    entity
        The entity whose series to draw; default each effect's first entity.
    catalog
        The `MetricCatalog` that names the metrics; `default_metrics()` if
        ``None`` (a metric it lacks is named by key).
    language
        ``None`` for English and Traditional Chinese, or a language tag.
    title
        The figure's title; default "Before and after the crisis".

    Returns
    -------
    matplotlib.figure.Figure
        ``2 × len(effects)`` axes, row by row: the bars (three containers of
        one bar per entity, ``gid`` ``"window:<before|during|after>"``) and the
        series (lines ``gid`` ``"actual"`` and ``"baseline"``, the shaded
        ``"loss"``, the ``"after"`` and ``"recovered"`` lines).

    Raises
    ------
    InvalidTypeError
        For effects that are not `KPIEffect`, a non-str entity, a bad catalog
        or title.
    ValidationError
        For an empty sequence.
    UnknownKeyError
        For an entity that an effect did not evaluate, or an unknown language
        tag.
    MissingExtraError
        Without matplotlib.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.monitoring import Panel
    >>> from crisisops.review import Windows, evaluate_effect
    >>> def day(n):
    ...     return dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
    ...         days=n
    ...     )
    >>> gmv = [100, 100, 100, 100, 60, 70, 90, 92, 97, 99, 101, 100]
    >>> panel = Panel.from_metric_arrays(
    ...     [day(n) for n in range(12)], ["shop"], {"sales.gmv": [[v] for v in gmv]}
    ... )
    >>> windows = Windows(
    ...     before=(day(0), day(4)), during=(day(4), day(7)), after=(day(7), day(12))
    ... )
    >>> effect = evaluate_effect(panel, "sales.gmv", windows, permutations=0)
    >>> bars, series = before_after(effect, language="en").axes
    >>> len(bars.patches), series.get_title()
    (3, 'shop: loss area 92')
    """
    chosen = _check_effects(effects)
    if entity is not None:
        check_str(entity, "entity")
    rows = [
        effect.entity_index(entity) if entity is not None else 0 for effect in chosen
    ]
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    metrics = default_metrics() if catalog is None else catalog
    if not isinstance(metrics, MetricCatalog):
        raise InvalidTypeError("catalog", catalog, "a MetricCatalog or None")

    with tolerate_missing_glyphs():
        figure = new_figure("before_after", width=12.0, height=1.0 + 3.6 * len(chosen))
        grid = figure.subplots(len(chosen), 2, squeeze=False)
        for (bars, series), effect, row in zip(grid, chosen, rows, strict=True):
            name = (
                term(metrics[effect.metric].labels, chosen_language)
                if effect.metric in metrics
                else effect.metric
            )
            _draw_windows(bars, effect, name, chosen_language)
            _draw_series(series, effect, row, name, chosen_language)
        figure.suptitle(
            term(_REVIEW, chosen_language) if chosen_title is None else chosen_title
        )
    return figure


def _draw_windows(
    axes: Axes, effect: KPIEffect, name: str, language: str | None
) -> None:
    x = np.arange(len(effect.entities), dtype=np.float64)
    changes = {
        EvaluationWindow.DURING: effect.pct_during,
        EvaluationWindow.AFTER: effect.pct_after,
    }
    for offset, window in zip((-1, 0, 1), EvaluationWindow, strict=True):
        means = effect.mean(window)
        bars = axes.bar(
            x + offset * _BAR_WIDTH,
            np.nan_to_num(means),
            width=_BAR_WIDTH,
            color=WINDOW_COLOURS[window],
            label=term(window.labels, language),
            gid=f"window:{window.value}",
        )
        if window in changes:
            axes.bar_label(
                bars,
                labels=[
                    "" if np.isnan(change) else f"{change:+.1f}%"
                    for change in changes[window]
                ],
                fontsize=7,
                padding=2,
            )
    axes.set_xticks(x, list(effect.entities))
    axes.set_ylabel(name)
    axes.set_title(name)
    axes.legend(loc="best", fontsize=7)


def _draw_series(
    axes: Axes, effect: KPIEffect, row: int, name: str, language: str | None
) -> None:
    x = date_numbers(effect.timestamps)
    actual = effect.actual[:, row]
    baseline = effect.baseline[:, row]
    axes.plot(
        x,
        actual,
        color="#263238",
        marker="o",
        markersize=3,
        label=term(_ACTUAL, language),
        gid="actual",
    )
    axes.plot(
        x,
        baseline,
        color="#546e7a",
        linestyle="--",
        label=term(_BASELINE, language),
        gid="baseline",
    )
    axes.fill_between(
        x,
        actual,
        baseline,
        where=effect.shortfall[:, row] > 0.0,
        interpolate=True,
        color="#e57373",
        alpha=0.3,
        label=term(_LOSS, language),
        gid="loss",
    )
    axes.axvline(
        date_number(effect.windows.after[0]),
        color="#455a64",
        linestyle=":",
        label=term(_AFTER_STARTS, language),
        gid="after",
    )
    recovered = effect.recovered_at[row]
    if recovered is not None:
        axes.axvline(
            date_number(recovered),
            color="#2e7d32",
            linewidth=1.5,
            label=term(_RECOVERED, language),
            gid="recovered",
        )
    date_axis(axes, effect.timestamps[0].tzinfo)
    axes.set_ylabel(name)
    loss = float(effect.loss_area[row])
    axes.set_title(
        f"{effect.entities[row]}: {term(_LOSS, language)} "
        + ("-" if np.isnan(loss) else f"{loss:,.0f}")
    )
    axes.grid(visible=True, alpha=0.3)
    axes.legend(loc="best", fontsize=7)
