"""The supply-network map: tiers, single points of failure and an outage (book §2.3).

Book §2.3 (供應鏈危機) starts from the risk of a broken supply chain
(供應鏈斷裂風險) and answers it with diversified supply (多元化供應鏈管理):
avoid relying on a single supplier or region. `supply_network_map` draws a
`SupplyNetwork` left to right, one column per tier (suppliers, warehouses,
SKUs), links as arrows as wide as the share of supply they carry. Nodes
whose failure alone cuts a SKU off (單點故障, `single_points_of_failure`)
get a thick red ring; given an `OutageImpact`, the failed nodes are dark,
the SKUs left without supply red and those that lose part of it orange,
labelled with the share lost (連鎖反應).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import numpy.typing as npt

from crisisops.errors import InvalidTypeError, UnknownKeyError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.risk import TERMS, OutageImpact, SupplyNetwork
from crisisops.taxonomy import ResponseLevel
from crisisops.viz._common import (
    CRITICAL_COLOUR,
    LEVEL_COLOURS,
    check_language,
    check_title,
    new_figure,
    term,
    tolerate_missing_glyphs,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["OUTAGE_COLOURS", "supply_network_map"]

FloatArray = npt.NDArray[np.float64]

#: Fill colour of a node in an outage: the failed node, a SKU with no supply
#: left (Level I red), a SKU that loses part of its supply (Level II orange).
OUTAGE_COLOURS: FrozenDict[str, str] = FrozenDict(
    {
        "failed": "#424242",
        "fully_lost": LEVEL_COLOURS[ResponseLevel.I],
        "partially_lost": LEVEL_COLOURS[ResponseLevel.II],
    }
)
_TIER_COLOURS = ("#bbdefb", "#c8e6c9", "#fff9c4", "#e1bee7", "#ffccbc")

_labels = Labels.of
_FAILED = _labels("failed", "中斷", "中断")
_FULLY = _labels("no supply left", "完全斷供", "完全断供")
_PARTLY = _labels("part of supply lost", "部分斷供", "部分断供")


def _columns(network: SupplyNetwork) -> tuple[list[int], list[str]]:
    """Return each node's column and the column names.

    With declared tiers, a node's column is its tier; without, its distance
    in links from the nearest source (a breadth-first search from a virtual
    source that feeds them all, so cycles are fine).
    """
    if network.tiers is not None:
        tiers = list(network.tiers)
        return [tiers.index(node.kind) for node in network.nodes], tiers
    graph = network.graph()
    root = object()
    graph.add_edges_from((root, source) for source in network.sources)
    depth: dict[object, int] = nx.single_source_shortest_path_length(graph, root)
    columns = [max(depth.get(node.key, 1) - 1, 0) for node in network.nodes]
    return columns, [f"tier {n + 1}" for n in range(max(columns) + 1)]


def _positions(columns: list[int]) -> FloatArray:
    """Stack each column's nodes from the top, centred on 0, in node order."""
    column = np.array(columns, dtype=np.int64)
    counts = np.bincount(column)
    order = np.argsort(column, kind="stable")
    rank = np.empty_like(column)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank[order] = np.arange(column.size) - np.repeat(starts, counts)
    y = (counts[column] - 1) / 2.0 - rank
    return np.column_stack((column.astype(np.float64), y.astype(np.float64)))


def supply_network_map(
    network: SupplyNetwork,
    *,
    outage: OutageImpact | None = None,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw a supply network by tier, its single points of failure and an outage.

    Parameters
    ----------
    network
        The `SupplyNetwork`.
    outage
        An `OutageImpact` of this network (``network.outage_impact(...)``) to
        colour in: failed nodes dark, SKUs fully lost red, partly lost orange
        (`OUTAGE_COLOURS`), each lost SKU labelled with the share it loses.
    language
        ``None`` for English and Traditional Chinese, or a language tag.
    title
        The title; default "Supply network", naming the outage's nodes.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: one scatter collection of the nodes (in ``network.nodes``
        order; the single points of failure ringed in `CRITICAL_COLOUR`),
        one arrow patch per link (``gid`` ``"link:<source>:<target>"``) and
        one text per node.

    Raises
    ------
    InvalidTypeError
        For a network or outage of the wrong type, or a bad title.
    UnknownKeyError
        For an outage naming a node the network does not have, or an
        unknown language tag.
    MissingExtraError
        Without matplotlib.

    Examples
    --------
    >>> from crisisops.risk import SupplyLink, SupplyNetwork, SupplyNode
    >>> network = SupplyNetwork(
    ...     nodes=[
    ...         SupplyNode(key="farm", kind="supplier"),
    ...         SupplyNode(key="tea", kind="sku", revenue=100.0),
    ...     ],
    ...     links=[SupplyLink(source="farm", target="tea", share=1.0)],
    ... )
    >>> axes = supply_network_map(network, language="en").axes[0]
    >>> len(axes.patches), [t.get_text() for t in axes.texts]
    (1, ['farm', 'tea'])
    """
    if not isinstance(network, SupplyNetwork):
        raise InvalidTypeError("network", network, "a SupplyNetwork")
    if outage is not None:
        if not isinstance(outage, OutageImpact):
            raise InvalidTypeError("outage", outage, "an OutageImpact or None")
        keys = [node.key for node in network.nodes]
        for key in (*outage.failed, *outage.lost_share):
            if key not in keys:
                raise UnknownKeyError("supply node (in outage)", key, keys)
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    columns, names = _columns(network)
    points = _positions(columns)

    with tolerate_missing_glyphs():
        figure = new_figure(
            "supply_network_map",
            width=3.0 + 2.6 * len(names),
            height=1.5 + 0.75 * max(np.bincount(columns)),
        )
        axes = figure.add_subplot()
        _draw_links(axes, network, points)
        _draw_nodes(
            axes=axes,
            network=network,
            points=points,
            columns=columns,
            outage=outage,
            language=chosen_language,
        )
        axes.set_xticks(range(len(names)), names)
        axes.tick_params(axis="x", length=0)
        axes.set_yticks([])
        for side in ("top", "right", "left", "bottom"):
            axes.spines[side].set_visible(False)
        axes.set_xlim(-0.6, len(names) - 0.4)
        low, high = float(points[:, 1].min()), float(points[:, 1].max())
        axes.set_ylim(low - 0.8, high + 0.6)
        default = term(TERMS["supply_chain_crisis"], chosen_language)
        if outage is not None:
            default += (
                ": " + ", ".join(outage.failed) + f" {term(_FAILED, chosen_language)}"
            )
        axes.set_title(default if chosen_title is None else chosen_title)
    return figure


def _draw_links(axes: Axes, network: SupplyNetwork, points: FloatArray) -> None:
    from matplotlib.patches import FancyArrowPatch  # noqa: PLC0415  lazy extra

    index = {node.key: row for row, node in enumerate(network.nodes)}
    for link in network.links:  # a shop's network: tens of links
        start = points[index[link.source]]
        end = points[index[link.target]]
        axes.add_patch(
            FancyArrowPatch(
                (float(start[0]), float(start[1])),
                (float(end[0]), float(end[1])),
                arrowstyle="-|>",
                mutation_scale=12,
                shrinkA=16,
                shrinkB=16,
                linewidth=0.5 + 4.0 * link.share,
                color="#78909c",
                alpha=0.8,
                gid=f"link:{link.source}:{link.target}",
            )
        )


def _draw_nodes(  # noqa: PLR0913  the pieces of one drawing
    *,
    axes: Axes,
    network: SupplyNetwork,
    points: FloatArray,
    columns: list[int],
    outage: OutageImpact | None,
    language: str | None,
) -> None:
    from matplotlib.lines import Line2D  # noqa: PLC0415  lazy extra
    from matplotlib.patches import Patch  # noqa: PLC0415  lazy extra

    weak = {point.node for point in network.single_points_of_failure()}
    faces = [_TIER_COLOURS[c % len(_TIER_COLOURS)] for c in columns]
    texts = [
        term(node.labels, language) if node.labels is not None else node.key
        for node in network.nodes
    ]
    if outage is not None:
        for row, node in enumerate(network.nodes):  # one colour per node
            if node.key in outage.failed:
                faces[row] = OUTAGE_COLOURS["failed"]
            elif node.key in outage.fully_lost:
                faces[row] = OUTAGE_COLOURS["fully_lost"]
            elif node.key in outage.partially_lost:
                faces[row] = OUTAGE_COLOURS["partially_lost"]
            if node.key in outage.lost_share and node.key not in outage.failed:
                texts[row] += f" (−{outage.lost_share[node.key]:.0%})"
    ringed = [node.key in weak for node in network.nodes]
    axes.scatter(
        points[:, 0],
        points[:, 1],
        s=520,
        c=faces,
        edgecolors=[CRITICAL_COLOUR if ring else "#546e7a" for ring in ringed],
        linewidths=[3.0 if ring else 0.8 for ring in ringed],
        zorder=3,
    )
    for (x, y), text in zip(points, texts, strict=True):
        axes.text(x, y - 0.3, text, ha="center", va="top", fontsize=8)
    handles: list[Patch | Line2D] = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=11,
            markerfacecolor="white",
            markeredgecolor=CRITICAL_COLOUR,
            markeredgewidth=3.0,
            label=term(TERMS["single_point_of_failure"], language),
        )
    ]
    if outage is not None:
        handles += [
            Patch(facecolor=OUTAGE_COLOURS["failed"], label=term(_FAILED, language)),
            Patch(facecolor=OUTAGE_COLOURS["fully_lost"], label=term(_FULLY, language)),
            Patch(
                facecolor=OUTAGE_COLOURS["partially_lost"],
                label=term(_PARTLY, language),
            ),
        ]
    axes.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8
    )
