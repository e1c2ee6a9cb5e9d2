"""The before/after chart and the supply-network map draw what the values say."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from matplotlib.collections import PathCollection

from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.monitoring import Panel
from crisisops.review import EvaluationWindow, KPIEffect, Windows, evaluate_effects
from crisisops.risk import SupplyLink, SupplyNetwork, SupplyNode
from crisisops.viz import (
    CRITICAL_COLOUR,
    OUTAGE_COLOURS,
    WINDOW_COLOURS,
    before_after,
    supply_network_map,
)

from .build import edge_colours, face_colours, find, num, offsets, rgba, values

UTC = dt.timezone.utc


def _day(n: int) -> dt.datetime:
    return dt.datetime(2026, 5, 1, tzinfo=UTC) + dt.timedelta(days=n)


def _effects() -> tuple[KPIEffect, ...]:
    """Twelve days: four normal, a three-day crisis, five of recovery.

    The shop's GMV (the example of `crisisops.review.evaluation`): before
    mean 100, during (60 + 70 + 90) / 3 = 73.33, after 97.8, loss area 92;
    back on target (95 % of 100) from 9 May. The kiosk sells 10 throughout.
    Complaints rise from 2 to 8 during, back to 2.
    """
    gmv = [100, 100, 100, 100, 60, 70, 90, 92, 97, 99, 101, 100]
    complaints = [2, 2, 2, 2, 8, 8, 8, 2, 2, 2, 2, 2]
    panel = Panel.from_metric_arrays(
        [_day(n) for n in range(12)],
        ["shop", "kiosk"],
        {
            "sales.gmv": np.column_stack([gmv, [10] * 12]),
            "feedback.complaints": np.column_stack([complaints, [1] * 12]),
        },
    )
    windows = Windows(
        before=(_day(0), _day(4)), during=(_day(4), _day(7)), after=(_day(7), _day(12))
    )
    return evaluate_effects(
        panel, ["sales.gmv", "feedback.complaints"], windows, permutations=0
    )


def test_one_row_of_two_axes_per_kpi() -> None:
    figure = before_after(_effects(), language="en")

    assert 4 == len(figure.axes)
    titles = [axes.get_title() for axes in figure.axes]
    assert ["Sales (GMV)", "shop: loss area 92", "Customer complaints"] == titles[:3]
    assert figure.get_suptitle() == "Before and after the crisis"


def test_the_bars_are_the_window_means_of_every_entity_in_window_colours() -> None:
    gmv, _ = _effects()

    bars = before_after(gmv, language="en").axes[0]

    assert 6 == len(bars.patches)  # three windows × two entities
    for window, container in zip(EvaluationWindow, bars.containers, strict=True):
        heights = [patch.get_height() for patch in container]
        assert gmv.mean(window).tolist() == pytest.approx(heights)
        assert rgba(WINDOW_COLOURS[window]) == container[0].get_facecolor()
    # 73.33 is 26.7 % below 100 during; 97.8 is 2.2 % below after.
    labels = [t.get_text() for t in bars.texts]
    assert ["-26.7%", "+0.0%", "-2.2%", "+0.0%"] == labels


def test_the_series_shows_actual_against_baseline_and_the_recovery() -> None:
    gmv, _ = _effects()

    series = before_after(gmv).axes[1]

    actual = find(series.lines, "actual")
    assert [60, 70, 90, 92, 97, 99, 101, 100] == values(actual.get_ydata())
    assert [100.0] * 8 == values(find(series.lines, "baseline").get_ydata())
    # The after window opens on 8 May; the shop is back at 95 % from 9 May.
    assert [num(_day(7))] * 2 == values(find(series.lines, "after").get_xdata())
    assert [num(_day(8))] * 2 == values(find(series.lines, "recovered").get_xdata())
    assert str(find(series.collections, "loss").get_label()).startswith("loss area")


def test_another_entity_can_be_drawn_and_a_missing_one_is_refused() -> None:
    gmv, _ = _effects()

    series = before_after(gmv, entity="kiosk", language="en").axes[1]

    assert "kiosk: loss area 0" == series.get_title()
    # The kiosk never left its baseline: on target from the first day of the
    # crisis window, 5 May.
    recovered = find(series.lines, "recovered")
    assert [num(_day(4))] * 2 == values(recovered.get_xdata())
    with pytest.raises(UnknownKeyError, match="kiosk"):
        before_after(gmv, entity="kiosks")


@pytest.mark.parametrize(
    ("value", "arguments", "error", "match"),
    [
        ("effect", {}, InvalidTypeError, "'effects'"),
        ((), {}, ValidationError, "'effects'"),
        ([1], {}, InvalidTypeError, r"'effects\[0\]'"),
        (None, {"entity": 3}, InvalidTypeError, "'entity'"),
        (None, {"catalog": "metrics"}, InvalidTypeError, "'catalog'"),
    ],
)
def test_bad_review_input_is_refused(
    value: object, arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    effects = _effects() if value is None else value
    with pytest.raises(error, match=match):
        before_after(effects, **arguments)  # type: ignore[arg-type]


# --- the supply network ------------------------------------------------------------


def _network() -> SupplyNetwork:
    """Two farms feed one warehouse, which alone stocks the tea: it is a SPOF."""
    return SupplyNetwork(
        nodes=[
            SupplyNode(key="farm-a", kind="supplier"),
            SupplyNode(key="farm-b", kind="supplier"),
            SupplyNode(key="wh", kind="warehouse"),
            SupplyNode(key="tea", kind="sku", revenue=100.0),
            SupplyNode(key="cup", kind="sku", revenue=50.0),
        ],
        links=[
            SupplyLink(source="farm-a", target="wh", share=0.7),
            SupplyLink(source="farm-b", target="wh", share=0.3),
            SupplyLink(source="wh", target="tea", share=1.0),
            SupplyLink(source="farm-b", target="cup", share=1.0),
        ],
        tiers=("supplier", "warehouse", "sku"),
    )


def _nodes(axes: object) -> PathCollection:
    (nodes,) = [c for c in axes.collections if isinstance(c, PathCollection)]  # type: ignore[attr-defined]
    return nodes


def test_nodes_sit_in_their_tier_and_single_points_of_failure_are_ringed() -> None:
    axes = supply_network_map(_network(), language="en").axes[0]

    nodes = _nodes(axes)
    assert [0, 0, 1, 2, 2] == offsets(nodes)[:, 0].tolist()
    # The warehouse cuts the tea off alone, and so does farm-b for the cup.
    ringed = [c == rgba(CRITICAL_COLOUR) for c in edge_colours(nodes)]
    assert [False, True, True, False, False] == ringed
    assert ["supplier", "warehouse", "sku"] == [
        t.get_text() for t in axes.get_xticklabels()
    ]
    assert ["link:farm-a:wh", "link:farm-b:wh", "link:wh:tea", "link:farm-b:cup"] == [
        p.get_gid() for p in axes.patches
    ]


def test_an_outage_colours_the_failed_and_the_lost() -> None:
    network = _network()
    outage = network.outage_impact(["farm-a"])  # the tea loses 70 %, the cup nothing

    axes = supply_network_map(network, outage=outage, language="en").axes[0]

    faces = face_colours(_nodes(axes))
    assert rgba(OUTAGE_COLOURS["failed"]) == faces[0]
    assert rgba(OUTAGE_COLOURS["partially_lost"]) == faces[3]
    assert faces[4] != rgba(OUTAGE_COLOURS["partially_lost"])
    assert "tea (−70%)" == axes.texts[3].get_text()
    everything = network.outage_impact(["wh", "farm-b"])
    faces = face_colours(_nodes(supply_network_map(network, outage=everything).axes[0]))
    assert rgba(OUTAGE_COLOURS["fully_lost"]) == faces[3] == faces[4]


def test_without_tiers_columns_count_links_from_the_sources() -> None:
    untiered = SupplyNetwork(nodes=_network().nodes, links=_network().links)

    axes = supply_network_map(untiered).axes[0]

    # farm-a, farm-b: sources; wh and cup one link away; tea two.
    assert [0, 0, 1, 2, 1] == offsets(_nodes(axes))[:, 0].tolist()


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"network": "net"}, InvalidTypeError, "'network'"),
        ({"outage": {"farm-a": 1.0}}, InvalidTypeError, "'outage'"),
        ({"language": 5}, InvalidTypeError, "'language'"),
    ],
)
def test_bad_supply_input_is_refused(
    arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    network = arguments.pop("network", _network())
    with pytest.raises(error, match=match):
        supply_network_map(network, **arguments)  # type: ignore[arg-type]


def test_an_outage_of_another_network_is_refused() -> None:
    other = SupplyNetwork(
        nodes=[SupplyNode(key="x", kind="supplier"), SupplyNode(key="y", kind="sku")],
        links=[SupplyLink(source="x", target="y", share=1.0)],
    )

    with pytest.raises(UnknownKeyError, match="supply node"):
        supply_network_map(_network(), outage=other.outage_impact(["x"]))
