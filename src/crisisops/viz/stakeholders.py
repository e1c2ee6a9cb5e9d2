"""Figures of the stakeholders: who influences whom, and how opinion spreads (§4–5).

Book §4–5 asks a shop in crisis to talk with every stakeholder
(保持與內外部利益相關者的溝通), first with those who matter most, because a
small incident spreads fast online (信息傳播速度極快).
`stakeholder_graph` draws the `StakeholderGraph`: arrows for the influence
arcs (thicker for stronger influence) and nodes coloured by their
Mitchell–Agle–Wood salience class (1997) or by their sentiment, on a
networkx spring layout with a fixed seed, so the same graph is always drawn
the same way. `opinion_spread` draws the Monte Carlo spread of negative word
of mouth (independent cascade or linear threshold, Kempe, Kleinberg &
Tardos 2003): the expected share of stakeholders turned negative by each
step, with and without the communication plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from crisisops._validation import check_finite, check_str
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.stakeholders import (
    SalienceClass,
    SalienceThresholds,
    SpreadComparison,
    SpreadResult,
    StakeholderGraph,
    classify_salience,
)
from crisisops.viz._common import (
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

__all__ = [
    "COLOUR_BY",
    "SALIENCE_COLOURS",
    "SENTIMENT_COLOURMAP",
    "opinion_spread",
    "spread_shares",
    "stakeholder_graph",
]

FloatArray = npt.NDArray[np.float64]

#: What `stakeholder_graph` can colour the nodes by.
COLOUR_BY = ("salience", "sentiment")
#: Fill colour of each salience class (Mitchell, Agle & Wood 1997): greys for
#: none, pale tones for the latent classes (one attribute), mid tones for the
#: expectant ones (two) and red for the definitive stakeholders (all three).
SALIENCE_COLOURS: FrozenDict[SalienceClass, str] = FrozenDict(
    {
        SalienceClass.NON_STAKEHOLDER: "#e0e0e0",
        SalienceClass.DORMANT: "#c6dbef",
        SalienceClass.DISCRETIONARY: "#c7e9c0",
        SalienceClass.DEMANDING: "#fdd0a2",
        SalienceClass.DOMINANT: "#4292c6",
        SalienceClass.DEPENDENT: "#41ab5d",
        SalienceClass.DANGEROUS: "#f16913",
        SalienceClass.DEFINITIVE: "#cb181d",
    }
)
#: The colour map of sentiment, -1 (hostile, red) to 1 (supportive, green).
SENTIMENT_COLOURMAP = "RdYlGn"

_labels = Labels.of
_GRAPH = _labels("Stakeholder graph", "利益相關者", "利益相关者")
_SALIENCE = _labels("salience", "顯著性", "显著性")
_SENTIMENT = _labels("Sentiment", "情緒", "情绪")
_SPREAD = _labels(
    "Spread of negative word of mouth", "負面評價的傳播", "负面评价的传播"
)
_STEP = _labels("Step of the spread", "傳播步數", "传播步数")
_SHARE = _labels("Share turned negative", "負面比例", "负面比例")
_WITHOUT = _labels("Without the plan", "不採取措施", "不采取措施")
_WITH = _labels("With the plan", "執行溝通計劃", "执行沟通计划")
# A salience snapshot is dated; the figure draws the scores, not a date.
_UNDATED = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_SEED = 2026


# --- the graph ----------------------------------------------------------------------


def _check_positions(positions: object, graph: StakeholderGraph) -> FloatArray | None:
    if positions is None:
        return None
    if not isinstance(positions, Mapping):
        raise InvalidTypeError(
            "positions", positions, "a mapping of stakeholder key to (x, y)"
        )
    for key in positions:
        if key not in graph:
            raise UnknownKeyError("stakeholder (in positions)", key, graph.keys)
    points = np.empty((len(graph), 2))
    for row, key in enumerate(graph.keys):  # one pair per stakeholder
        if key not in positions:
            raise ValidationError(
                "positions", f"no entry for {key!r}", "an (x, y) for every stakeholder"
            )
        pair = positions[key]
        if isinstance(pair, (str, bytes)) or len(pair) != 2:
            raise ValidationError(f"positions[{key!r}]", pair, "an (x, y) pair")
        points[row, 0] = check_finite(pair[0], f"positions[{key!r}][0]")
        points[row, 1] = check_finite(pair[1], f"positions[{key!r}][1]")
    return points


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidTypeError("seed", seed, "an int seed >= 0")
    if seed < 0:
        raise ValidationError("seed", seed, "an int seed >= 0")
    return seed


def _layout(graph: StakeholderGraph, seed: int) -> FloatArray:
    """Place the stakeholders by a seeded Fruchterman–Reingold spring layout.

    Each connected component (arcs taken both ways) is laid out on its own,
    scaled by the square root of its size, and the components are set side
    by side, largest first: a stakeholder without arcs would otherwise push
    the others into a corner.
    """
    undirected = graph.graph().to_undirected()
    order = {key: row for row, key in enumerate(graph.keys)}
    parts = sorted(
        (
            sorted(part, key=order.__getitem__)
            for part in nx.connected_components(undirected)
        ),
        key=lambda part: (-len(part), order[part[0]]),
    )
    points = np.zeros((len(graph), 2))
    left = 0.0
    for part in parts:  # a handful of components
        size = float(np.sqrt(len(part)))
        placed: dict[str, Any] = nx.spring_layout(
            undirected.subgraph(part), seed=seed, scale=size
        )
        rows = [order[key] for key in part]
        block = np.array([placed[key] for key in part], dtype=np.float64)
        block[:, 0] += left - block[:, 0].min()
        points[rows] = block
        left = float(block[:, 0].max()) + 1.0
    return points


def stakeholder_graph(  # noqa: PLR0913  keyword-only settings with defaults
    graph: StakeholderGraph,
    *,
    colour_by: str = "salience",
    thresholds: SalienceThresholds | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    seed: int = _SEED,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the stakeholders and their influence arcs, coloured by salience or mood.

    Node size grows with the stakeholder's power; an arrow runs from each
    source to each target it influences, as wide as the arc's weight. With
    ``colour_by="salience"`` each node has the colour of its salience class
    (`SALIENCE_COLOURS`; the classes of `classify_salience` with
    ``thresholds``) and the legend names the classes present; with
    ``"sentiment"`` the colour runs from red (-1, hostile) through yellow to
    green (1, supportive), read on a colour bar.

    Parameters
    ----------
    graph
        The `StakeholderGraph`, with at least one stakeholder.
    colour_by
        ``"salience"`` or ``"sentiment"``.
    thresholds
        The `SalienceThresholds` of the salience classes (0.5 each if
        ``None``).
    positions
        An ``(x, y)`` for every stakeholder key; if ``None``, networkx's
        spring layout places them with ``seed``, the same way every time.
    seed
        The layout's seed (an int >= 0).
    language
        ``None`` for English and Traditional Chinese, or a language tag.
    title
        The title; default "Stakeholder graph · salience".

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one scatter collection of the nodes (in ``graph.keys``
        order), one arrow patch per influence (``gid``
        ``"influence:<source>:<target>"``) and one text per node; with
        sentiment a second axes holds the colour bar.

    Raises
    ------
    InvalidTypeError
        For a graph, positions, thresholds, seed or title of the wrong type.
    UnknownKeyError
        For an unknown ``colour_by``, a position for an unknown stakeholder,
        or an unknown language tag.
    ValidationError
        For an empty graph, a stakeholder without a position, a position that
        is not a finite pair, or a negative seed.
    MissingExtraError
        Without matplotlib.

    Examples
    --------
    >>> from crisisops.stakeholders import Influence, Stakeholder, StakeholderGraph
    >>> people = [
    ...     Stakeholder(
    ...         key="buyers",
    ...         name="Buyers",
    ...         kind="customer",
    ...         power=0.6,
    ...         legitimacy=0.9,
    ...         urgency=0.8,
    ...         interest=0.9,
    ...     ),
    ...     Stakeholder(
    ...         key="press",
    ...         name="Press",
    ...         kind="media",
    ...         power=0.7,
    ...         legitimacy=0.4,
    ...         urgency=0.6,
    ...         interest=0.5,
    ...     ),
    ... ]
    >>> graph = StakeholderGraph(
    ...     stakeholders=people,
    ...     influences=[Influence(source="buyers", target="press", weight=0.4)],
    ... )
    >>> axes = stakeholder_graph(graph, language="en").axes[0]
    >>> len(axes.collections), len(axes.patches), len(axes.texts)
    (1, 1, 2)
    """
    if not isinstance(graph, StakeholderGraph):
        raise InvalidTypeError("graph", graph, "a StakeholderGraph")
    if not len(graph):
        raise ValidationError("graph", graph, "a graph with at least one stakeholder")
    check_str(colour_by, "colour_by")
    if colour_by not in COLOUR_BY:
        raise UnknownKeyError("colour_by", colour_by, COLOUR_BY)
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    chosen_seed = _check_seed(seed)
    if thresholds is not None and not isinstance(thresholds, SalienceThresholds):
        raise InvalidTypeError("thresholds", thresholds, "a SalienceThresholds or None")
    points = _check_positions(positions, graph)
    if points is None:
        points = _layout(graph, chosen_seed)

    with tolerate_missing_glyphs():
        figure = new_figure("stakeholder_graph", width=8.0, height=6.5)
        axes = figure.add_subplot()
        _draw_arcs(axes, graph, points)
        sizes = 120.0 + 480.0 * graph.score_array("power")
        if colour_by == "salience":
            classes = classify_salience(graph, at=_UNDATED, thresholds=thresholds)
            _draw_by_salience(axes, points, sizes, classes.classes, chosen_language)
            what = term(_SALIENCE, chosen_language)
        else:
            _draw_by_sentiment(
                figure=figure,
                axes=axes,
                graph=graph,
                points=points,
                sizes=sizes,
                language=chosen_language,
            )
            what = term(_SENTIMENT, chosen_language)
        for person, (x, y) in zip(graph.stakeholders, points, strict=True):
            axes.annotate(
                person.name,
                (x, y),
                xytext=(0.0, -13.0),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8,
            )
        _pad_limits(axes, points)
        axes.set_axis_off()
        axes.set_title(
            f"{term(_GRAPH, chosen_language)} · {what}"
            if chosen_title is None
            else chosen_title
        )
    return figure


def _draw_arcs(axes: Axes, graph: StakeholderGraph, points: FloatArray) -> None:
    from matplotlib.patches import FancyArrowPatch  # noqa: PLC0415  lazy extra

    for arc in graph.influences:  # the arcs of a stakeholder graph: tens
        start = points[graph.index(arc.source)]
        end = points[graph.index(arc.target)]
        axes.add_patch(
            FancyArrowPatch(
                (float(start[0]), float(start[1])),
                (float(end[0]), float(end[1])),
                arrowstyle="-|>",
                mutation_scale=12,
                shrinkA=14,
                shrinkB=14,
                linewidth=0.6 + 3.0 * arc.weight,
                color="#616161",
                alpha=0.7,
                connectionstyle="arc3,rad=0.08",
                gid=f"influence:{arc.source}:{arc.target}",
            )
        )


def _draw_by_salience(
    axes: Axes,
    points: FloatArray,
    sizes: FloatArray,
    classes: tuple[SalienceClass, ...],
    language: str | None,
) -> None:
    from matplotlib.patches import Patch  # noqa: PLC0415  lazy extra

    axes.scatter(
        points[:, 0],
        points[:, 1],
        s=sizes,
        c=[SALIENCE_COLOURS[item] for item in classes],
        edgecolors="#424242",
        linewidths=0.8,
        zorder=3,
    )
    present = [item for item in SalienceClass if item in classes]
    axes.legend(
        handles=[
            Patch(facecolor=SALIENCE_COLOURS[item], label=term(item.labels, language))
            for item in reversed(present)
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
    )


def _draw_by_sentiment(  # noqa: PLR0913  the pieces of one drawing
    *,
    figure: Figure,
    axes: Axes,
    graph: StakeholderGraph,
    points: FloatArray,
    sizes: FloatArray,
    language: str | None,
) -> None:
    from matplotlib.colors import Normalize  # noqa: PLC0415  lazy extra

    nodes = axes.scatter(
        points[:, 0],
        points[:, 1],
        s=sizes,
        c=graph.score_array("sentiment"),
        cmap=SENTIMENT_COLOURMAP,
        norm=Normalize(vmin=-1.0, vmax=1.0),
        edgecolors="#424242",
        linewidths=0.8,
        zorder=3,
    )
    bar = figure.colorbar(nodes, ax=axes, shrink=0.7)
    bar.set_label(term(_SENTIMENT, language))


def _pad_limits(axes: Axes, points: FloatArray) -> None:
    low = points.min(axis=0)
    high = points.max(axis=0)
    margin = np.maximum((high - low) * 0.12, 0.15)
    axes.set_xlim(low[0] - margin[0], high[0] + margin[0])
    axes.set_ylim(low[1] - margin[1], high[1] + margin[1])


# --- the spread ---------------------------------------------------------------------


def _spreads(results: object, language: str | None) -> list[tuple[str, SpreadResult]]:
    if isinstance(results, SpreadResult):
        return [
            (
                term(_WITHOUT, language)
                if not results.interventions
                else term(_WITH, language),
                results,
            )
        ]
    if isinstance(results, SpreadComparison):
        return [
            (term(_WITHOUT, language), results.baseline),
            (term(_WITH, language), results.plan),
        ]
    if isinstance(results, Mapping):
        return named_items(results, "results", SpreadResult, "a SpreadResult")
    raise InvalidTypeError(
        "results",
        results,
        "a SpreadResult, a SpreadComparison or a mapping of name to SpreadResult",
    )


def spread_shares(result: SpreadResult, steps: int) -> FloatArray:
    """Return the mean share of stakeholders turned negative by each step 0 … ``steps``.

    ``cumulative_counts / node_count``, held at its last value after the
    last step any run reached (nothing changes once the spread stops), cut
    at ``steps``.

    Raises
    ------
    InvalidTypeError, ValidationError
        For a result that is not a `SpreadResult`, or ``steps`` not an int >= 0.

    Examples
    --------
    >>> from crisisops.stakeholders import (
    ...     DiffusionModel,
    ...     DiffusionNetwork,
    ...     SpreadResult,
    ... )
    >>> network = DiffusionNetwork.from_arcs(["a", "b", "c", "d"], [("a", "b", 1.0)])
    >>> result = SpreadResult(
    ...     model=DiffusionModel.INDEPENDENT_CASCADE,
    ...     network=network,
    ...     seeds=["a"],
    ...     reach=[2],
    ...     step_counts=[1.0, 1.0],
    ...     node_probability=[1.0, 1.0, 0.0, 0.0],
    ... )
    >>> spread_shares(result, 3).tolist()
    [0.25, 0.5, 0.5, 0.5]
    """
    if not isinstance(result, SpreadResult):
        raise InvalidTypeError("result", result, "a SpreadResult")
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise InvalidTypeError("steps", steps, "an int >= 0")
    if steps < 0:
        raise ValidationError("steps", steps, "an int >= 0")
    cumulative = result.cumulative_counts
    shares = np.full(steps + 1, cumulative[-1])
    shown = min(cumulative.size, steps + 1)
    shares[:shown] = cumulative[:shown]
    normalised: FloatArray = shares / result.network.node_count
    return normalised


def opinion_spread(
    results: SpreadResult | SpreadComparison | Mapping[str, SpreadResult],
    *,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the expected share of stakeholders turned negative, step by step.

    One line per simulated spread: at step ``t`` the mean share (over the
    Monte Carlo runs) of stakeholders who turned negative by then, seeds
    included (`spread_shares`; step 0 is the seeds). A `SpreadComparison`
    draws the plan against doing nothing, on the same random draws, and
    shades the gap between them: what the plan saves.

    Parameters
    ----------
    results
        A `SpreadResult`, a `SpreadComparison` (baseline and plan), or a
        mapping of name to `SpreadResult`.
    language
        ``None`` for English and Traditional Chinese, or a language tag.
    title
        The title; default "Spread of negative word of mouth".

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per spread (its legend gives the mean final
        reach) and, for a comparison, one shaded area between them.

    Raises
    ------
    InvalidTypeError
        For anything else as ``results``, a non-str name or a bad title.
    ValidationError
        For an empty mapping.
    MissingExtraError
        Without matplotlib.

    Notes
    -----
    Stakeholders an intervention turns neutral were still activated, so the
    line counts them (as `SpreadResult.cumulative_counts` does) and can end
    above ``mean_reach / node_count``.

    Examples
    --------
    >>> from crisisops.stakeholders import DiffusionNetwork, simulate_spread
    >>> network = DiffusionNetwork.from_arcs(
    ...     ["a", "b", "c"], [("a", "b", 0.5), ("b", "c", 0.5)]
    ... )
    >>> result = simulate_spread(network, ["a"], rng=7, runs=200)
    >>> axes = opinion_spread(result, language="en").axes[0]
    >>> len(axes.lines), axes.get_xlabel()
    (1, 'Step of the spread')
    """
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    series = _spreads(results, chosen_language)
    steps = max(1, *(result.steps for _, result in series))
    lines = [(name, result, spread_shares(result, steps)) for name, result in series]
    x = np.arange(steps + 1)

    with tolerate_missing_glyphs():
        from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: PLC0415

        figure = new_figure("opinion_spread", width=7.5, height=4.5)
        axes = figure.add_subplot()
        for name, result, shares in lines:
            axes.plot(
                x,
                shares,
                marker="o",
                markersize=4,
                label=(
                    f"{name}: {result.mean_reach:.1f} of "
                    f"{result.network.node_count} at the end"
                ),
            )
        if isinstance(results, SpreadComparison):
            axes.fill_between(
                x, lines[1][2], lines[0][2], color="#a5d6a7", alpha=0.35, gid="saved"
            )
        axes.set_ylim(0.0, 1.02)
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(visible=True, alpha=0.3)
        axes.set_xlabel(term(_STEP, chosen_language))
        axes.set_ylabel(term(_SHARE, chosen_language))
        axes.set_title(
            term(_SPREAD, chosen_language) if chosen_title is None else chosen_title
        )
        axes.legend(loc="lower right")
    return figure
