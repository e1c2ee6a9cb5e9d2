"""Figures of risk assessment: the heat map and the loss-exceedance curve (book §3).

Book §3 (構建風險評估體系, 風險量化與等級劃分) quantifies each risk's
probability and impact and grades it, so the serious risks come first.
`risk_heat_map` draws that grading: the `RiskMatrix` cells coloured by the
response level of their grade, and a register's risks placed in their cells.
`loss_exceedance_curve` draws the Monte Carlo answer to "how bad can a year
get": the share of simulated years that lose more than each amount,
``P(L > x)`` (the FAIR loss-exceedance curve, Freund & Jones 2014), for one
or several loss distributions, e.g. before and after a control.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.labels import Labels
from crisisops.risk import (
    AssessmentKind,
    ControlEffect,
    ImpactRule,
    LossDistribution,
    RiskMatrix,
    RiskRegister,
    default_matrix,
)
from crisisops.viz._common import (
    LEVEL_COLOURS,
    check_language,
    check_title,
    named_items,
    new_figure,
    term,
    tolerate_missing_glyphs,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["loss_exceedance_curve", "risk_heat_map"]

FloatArray = npt.NDArray[np.float64]

_labels = Labels.of
_RISK_MATRIX = _labels("Risk matrix", "風險矩陣", "风险矩阵")
_ANNUAL_LOSS = _labels("Annual loss", "年度損失", "年度损失")
_EXCEEDANCE = _labels("P(annual loss > x)", "超過概率", "超过概率")
_CURVE = _labels("Loss exceedance curve", "損失超越概率曲線", "损失超越概率曲线")
_BEFORE = _labels("Before the controls", "控制前", "控制前")
_AFTER = _labels("After the controls", "控制後", "控制后")


# --- the heat map ----------------------------------------------------------------


def _check_max_keys(max_keys: object) -> int:
    if isinstance(max_keys, bool) or not isinstance(max_keys, int):
        raise InvalidTypeError("max_keys", max_keys, "an int >= 1")
    if max_keys < 1:
        raise ValidationError("max_keys", max_keys, "an int >= 1")
    return max_keys


def _placed_risks(
    register: RiskRegister,
    grid: RiskMatrix,
    rule: ImpactRule | None,
    which: AssessmentKind,
) -> dict[tuple[int, int], list[str]]:
    """Return the keys of the assessed risks per (likelihood, impact) cell."""
    register.heatmap(grid, rule=rule, which=which)  # checks every level first
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in register:  # a register holds a handful to hundreds of risks
        assessment = risk.assessment(which)
        if assessment is not None:
            cell = (assessment.likelihood, assessment.impact(rule))
            cells.setdefault(cell, []).append(risk.key)
    return cells


def _cell_text(keys: list[str], max_keys: int) -> str:
    if len(keys) <= max_keys:
        return "\n".join(keys)
    shown = keys[: max_keys - 1]
    return "\n".join([*shown, f"+{len(keys) - len(shown)} more"])


def risk_heat_map(  # noqa: PLR0913  keyword-only settings with defaults
    source: RiskRegister | RiskMatrix,
    *,
    matrix: RiskMatrix | None = None,
    rule: ImpactRule | None = None,
    which: AssessmentKind = AssessmentKind.CURRENT,
    max_keys: int = 4,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the likelihood × impact matrix coloured by grade, risks in their cells.

    Book §3 風險量化與等級劃分: every cell of the `RiskMatrix` is filled with
    the colour of its grade's `ResponseLevel` (`LEVEL_COLOURS`: Level I red
    … Level IV blue), likelihood rising upwards and impact to the right, as
    ISO 31000-style heat maps are drawn. Given a `RiskRegister`, each open
    risk with the ``which`` assessment is written into its cell by key (the
    first ``max_keys`` of a crowded cell, then ``+n more``).

    Parameters
    ----------
    source
        A `RiskRegister` (its risks are placed) or a `RiskMatrix` (the bare
        grading).
    matrix
        The matrix to grade a register on; `default_matrix()` if ``None``.
        Only with a register.
    rule
        How a risk's impact dimensions combine into one level
        (`ImpactRule`; the worst dimension if ``None``).
    which
        The assessment to place (`AssessmentKind`; the current one by default).
    max_keys
        At most this many lines of keys per cell, >= 1.
    language
        ``None`` for the book's terms in English and Traditional Chinese, or a
        language tag (``"en"``, ``"zh-Hant"``, ``"zh-Hans"``).
    title
        The title; a default names the matrix, the assessment and the count.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: one rectangle patch per cell (its ``gid`` is
        ``"cell:<likelihood>:<impact>"``), one text per occupied cell (``gid``
        ``"risks:<likelihood>:<impact>"``) and a legend of the grades.

    Raises
    ------
    InvalidTypeError
        For a source that is neither a register nor a matrix, or a bad
        ``matrix``, ``rule``, ``which``, ``max_keys`` or ``title``.
    ValidationError
        For a ``matrix`` given with a matrix as the source, or ``max_keys`` < 1.
    UnknownKeyError
        For a risk whose levels are off the matrix (naming it), or an unknown
        language tag.
    MissingExtraError
        Without matplotlib (``pip install 'crisisops[viz]'``).

    Examples
    --------
    >>> from crisisops.risk import default_matrix
    >>> figure = risk_heat_map(default_matrix(), language="en")
    >>> axes = figure.axes[0]
    >>> len(axes.patches), axes.get_xlabel()
    (25, 'Impact')
    """
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    limit = _check_max_keys(max_keys)
    cells: dict[tuple[int, int], list[str]] = {}
    if isinstance(source, RiskMatrix):
        if matrix is not None:
            raise ValidationError(
                "matrix", matrix, "None when the source is itself a RiskMatrix"
            )
        grid = source
        subject = ""
    elif isinstance(source, RiskRegister):
        if matrix is not None and not isinstance(matrix, RiskMatrix):
            raise InvalidTypeError("matrix", matrix, "a RiskMatrix or None")
        grid = default_matrix() if matrix is None else matrix
        cells = _placed_risks(source, grid, rule, which)
        count = sum(len(keys) for keys in cells.values())
        subject = f": {count} risks, {term(which.labels, chosen_language)}"
    else:
        raise InvalidTypeError("source", source, "a RiskRegister or a RiskMatrix")

    with tolerate_missing_glyphs():
        figure = new_figure("risk_heat_map", width=10.5, height=6.0)
        axes = figure.add_subplot()
        _draw_matrix(axes, grid, cells, limit, chosen_language)
        axes.set_title(
            chosen_title
            if chosen_title is not None
            else term(_RISK_MATRIX, chosen_language) + subject
        )
    return figure


def _draw_matrix(
    axes: Axes,
    grid: RiskMatrix,
    cells: Mapping[tuple[int, int], list[str]],
    max_keys: int,
    language: str | None,
) -> None:
    from matplotlib.patches import Patch, Rectangle  # noqa: PLC0415  lazy extra

    grades = grid.grades
    index = grid.cells()
    rows, columns = index.shape
    for likelihood in range(1, rows + 1):  # a 5 × 5 matrix: 25 cells
        for impact in range(1, columns + 1):
            grade = grades[int(index[likelihood - 1, impact - 1])]
            axes.add_patch(
                Rectangle(
                    (impact - 0.5, likelihood - 0.5),
                    1.0,
                    1.0,
                    facecolor=LEVEL_COLOURS[grade.response_level],
                    edgecolor="white",
                    linewidth=2.0,
                    gid=f"cell:{likelihood}:{impact}",
                )
            )
    for (likelihood, impact), keys in cells.items():
        axes.text(
            impact,
            likelihood,
            _cell_text(keys, max_keys),
            ha="center",
            va="center",
            fontsize=7,
            gid=f"risks:{likelihood}:{impact}",
        )
    axes.set_xlim(0.5, columns + 0.5)
    axes.set_ylim(0.5, rows + 0.5)
    axes.set_xticks(
        range(1, columns + 1),
        [f"{lv.value} {term(lv.labels, language)}" for lv in grid.impact.levels],
        rotation=20,
        ha="right",
    )
    axes.set_yticks(
        range(1, rows + 1),
        [f"{lv.value} {term(lv.labels, language)}" for lv in grid.likelihood.levels],
    )
    axes.set_xlabel(term(grid.impact.labels, language))
    axes.set_ylabel(term(grid.likelihood.labels, language))
    handles = [
        Patch(
            facecolor=LEVEL_COLOURS[grade.response_level],
            label=(
                f"{term(grade.labels, language)} · Level {grade.response_level.value}"
            ),
        )
        for grade in reversed(grades)
    ]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))


# --- the loss-exceedance curve -----------------------------------------------------


def _series(losses: object, language: str | None) -> list[tuple[str, LossDistribution]]:
    """Name each loss distribution to draw."""
    if isinstance(losses, LossDistribution):
        return [(term(_ANNUAL_LOSS, language), losses)]
    if isinstance(losses, ControlEffect):
        return [
            (term(_BEFORE, language), losses.before),
            (term(_AFTER, language), losses.after),
        ]
    if isinstance(losses, Mapping):
        return named_items(losses, "losses", LossDistribution, "a LossDistribution")
    raise InvalidTypeError(
        "losses",
        losses,
        "a LossDistribution, a ControlEffect or a mapping of name to LossDistribution",
    )


def _exceedance_steps(
    losses: FloatArray, *, positive_only: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Return the exact empirical ``P(L > x)`` as step points ``(x, p)``.

    For the distinct losses ``u₁ < … < u_m`` (counts ``c_k`` of ``n``
    years), ``P(L > u_k) = 1 − (c_1 + … + c_k)/n``; the first point repeats
    the first loss at the probability just below it, so a ``steps-post``
    line starts with a vertical drop. With ``positive_only`` (a log axis)
    losses ≤ 0 are left out.

    Examples
    --------
    >>> import numpy as np
    >>> x, p = _exceedance_steps(np.array([0.0, 0.0, 10.0, 20.0]))
    >>> x.tolist(), p.tolist()
    ([0.0, 0.0, 10.0, 20.0], [1.0, 0.5, 0.25, 0.0])
    >>> _exceedance_steps(np.array([0.0, 0.0, 10.0, 20.0]), positive_only=True)[
    ...     1
    ... ].tolist()
    [0.5, 0.25, 0.0]
    """
    values, counts = np.unique(losses, return_counts=True)
    above = 1.0 - np.cumsum(counts) / losses.size
    first = int(np.searchsorted(values, 0.0, side="right")) if positive_only else 0
    if first >= values.size:
        return np.empty(0), np.empty(0)
    start = 1.0 if first == 0 else float(above[first - 1])
    return (
        np.concatenate(([values[first]], values[first:])),
        np.concatenate(([start], above[first:])),
    )


def loss_exceedance_curve(
    losses: LossDistribution | ControlEffect | Mapping[str, LossDistribution],
    *,
    log_x: bool = False,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw ``P(annual loss > x)`` from simulated losses, one line per series.

    The loss-exceedance curve of FAIR (Freund & Jones 2014) and of
    catastrophe modelling: read across at 1 % to find the 1-in-100 year, up
    from an amount to find how often it is exceeded. Each curve is the exact
    empirical survival function of a `LossDistribution` (no binning): at
    every simulated loss ``u`` it drops to the share of years losing strictly
    more than ``u``, the value `LossDistribution.exceedance_probability`
    gives. A `ControlEffect` draws the paired before and after of
    `compare_controls`.

    Parameters
    ----------
    losses
        A `LossDistribution`, a `ControlEffect` (before and after), or a
        mapping of series name to `LossDistribution`.
    log_x
        Draw the loss axis on a log scale; years without loss (0) then have
        no place on it, and their share shows as the curve's left end
        (``P(L > 0)``).
    language
        ``None`` for English and Traditional Chinese, or a language tag.
    title
        The title; default "Loss exceedance curve".

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per series (labelled with its mean and its
        99th percentile) and a legend.

    Raises
    ------
    InvalidTypeError
        For anything else as ``losses``, a non-str series name, a non-bool
        ``log_x`` or a bad title.
    ValidationError
        For an empty mapping, or a log axis for series that never lose.
    MissingExtraError
        Without matplotlib.

    Examples
    --------
    >>> from crisisops.risk import LossDistribution
    >>> years = LossDistribution(losses=[0.0, 0.0, 10.0, 20.0])
    >>> line = loss_exceedance_curve(years).axes[0].lines[0]
    >>> line.get_ydata().tolist()  # P(L > 0) = 1/2, P(L > 10) = 1/4, P(L > 20) = 0
    [1.0, 0.5, 0.25, 0.0]
    """
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    if not isinstance(log_x, bool):
        raise InvalidTypeError("log_x", log_x, "a bool")
    series = _series(losses, chosen_language)
    curves = [
        (name, loss, *_exceedance_steps(loss.losses, positive_only=log_x))
        for name, loss in series
    ]
    if log_x and all(x.size == 0 for _, _, x, _ in curves):
        raise ValidationError(
            "losses", "no year with a loss > 0", "some positive loss for a log axis"
        )

    with tolerate_missing_glyphs():
        from matplotlib.ticker import (  # noqa: PLC0415  lazy extra
            PercentFormatter,
            StrMethodFormatter,
        )

        figure = new_figure("loss_exceedance_curve", width=7.5, height=4.8)
        axes = figure.add_subplot()
        for name, loss, x, p in curves:
            axes.plot(
                x,
                p,
                drawstyle="steps-post",
                linewidth=1.6,
                label=(
                    f"{name}: mean {loss.mean:,.0f}, "
                    f"99th percentile {loss.percentile(99.0):,.0f}"
                ),
            )
        if log_x:
            axes.set_xscale("log")
        else:
            axes.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        axes.set_ylim(0.0, 1.02)
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        axes.grid(visible=True, which="both", alpha=0.3)
        axes.set_xlabel(term(_ANNUAL_LOSS, chosen_language))
        axes.set_ylabel(term(_EXCEEDANCE, chosen_language))
        axes.set_title(
            term(_CURVE, chosen_language) if chosen_title is None else chosen_title
        )
        axes.legend(loc="upper right")
    return figure
