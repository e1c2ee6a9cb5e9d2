"""The stakeholder graph colours nodes by salience or sentiment; the spread, shares."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize
from matplotlib.patches import FancyArrowPatch

from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.stakeholders import (
    DiffusionNetwork,
    Intervention,
    SalienceClass,
    SalienceThresholds,
    StakeholderGraph,
    compare_interventions,
    simulate_spread,
)
from crisisops.viz import (
    SALIENCE_COLOURS,
    SENTIMENT_COLOURMAP,
    opinion_spread,
    spread_shares,
    stakeholder_graph,
)

from .build import face_colours, graph, offsets, rgba, values


def _nodes(axes: object) -> PathCollection:
    (nodes,) = [c for c in axes.collections if isinstance(c, PathCollection)]  # type: ignore[attr-defined]
    return nodes


def test_nodes_take_the_colour_of_their_salience_class() -> None:
    figure = stakeholder_graph(graph(), language="en")

    (axes,) = figure.axes
    colours = face_colours(_nodes(axes))
    # Worked out in build.graph: definitive, dangerous, discretionary, none.
    expected = [
        SalienceClass.DEFINITIVE,
        SalienceClass.DANGEROUS,
        SalienceClass.DISCRETIONARY,
        SalienceClass.NON_STAKEHOLDER,
    ]
    assert [rgba(SALIENCE_COLOURS[c]) for c in expected] == colours
    legend = axes.get_legend()
    assert legend is not None
    assert ["Definitive", "Dangerous", "Discretionary", "Non-stakeholder"] == [
        t.get_text() for t in legend.get_texts()
    ]
    assert "Stakeholder graph · salience" == axes.get_title()


def test_the_salience_thresholds_change_the_classes() -> None:
    strict = SalienceThresholds(power=0.65, legitimacy=0.5, urgency=0.5)

    axes = stakeholder_graph(graph(), thresholds=strict).axes[0]

    # At power >= 0.65 only the press (0.7) holds power: the buyers (0.6)
    # drop to dependent (legitimacy + urgency).
    assert (
        rgba(SALIENCE_COLOURS[SalienceClass.DEPENDENT]) == face_colours(_nodes(axes))[0]
    )


def test_one_arrow_per_influence_and_one_label_per_stakeholder() -> None:
    axes = stakeholder_graph(graph()).axes[0]

    arrows = [p for p in axes.patches if isinstance(p, FancyArrowPatch)]
    assert [
        "influence:buyers:press",
        "influence:press:staff",
        "influence:staff:buyers",
    ] == [a.get_gid() for a in arrows]
    # Width 0.6 + 3 × weight: the strongest arc (0.9) is the widest.
    assert [2.1, 1.2, 3.3] == pytest.approx([a.get_linewidth() for a in arrows])
    assert ["Buyers", "Press", "Staff", "Farm"] == [t.get_text() for t in axes.texts]


def test_sentiment_colours_run_from_red_to_green_on_a_colour_bar() -> None:
    figure = stakeholder_graph(graph(), colour_by="sentiment", language="en")

    axes, bar = figure.axes
    nodes = _nodes(axes)
    assert SENTIMENT_COLOURMAP == nodes.get_cmap().name
    assert [-0.8, 0.0, 0.6, 1.0] == nodes.get_array().tolist()  # type: ignore[union-attr]
    norm = nodes.norm
    assert isinstance(norm, Normalize)
    assert (-1.0, 1.0) == (norm.vmin, norm.vmax)
    assert "Sentiment" == bar.get_ylabel()


def test_the_layout_is_the_same_for_the_same_seed() -> None:
    first = offsets(_nodes(stakeholder_graph(graph()).axes[0]))
    again = offsets(_nodes(stakeholder_graph(graph()).axes[0]))
    other = offsets(_nodes(stakeholder_graph(graph(), seed=7).axes[0]))

    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_given_positions_are_used_as_they_are() -> None:
    places = {"buyers": (0, 0), "press": (1, 0), "staff": (0, 1), "farm": (1, 1)}

    axes = stakeholder_graph(graph(), positions=places).axes[0]

    assert [[0, 0], [1, 0], [0, 1], [1, 1]] == offsets(_nodes(axes)).tolist()


@pytest.mark.parametrize(
    ("value", "arguments", "error", "match"),
    [
        ("graph", {}, InvalidTypeError, "'graph'"),
        (StakeholderGraph(), {}, ValidationError, "'graph'"),
        (graph(), {"colour_by": "power"}, UnknownKeyError, "colour_by"),
        (graph(), {"colour_by": 1}, InvalidTypeError, "'colour_by'"),
        (graph(), {"thresholds": 0.5}, InvalidTypeError, "'thresholds'"),
        (graph(), {"seed": -1}, ValidationError, "'seed'"),
        (graph(), {"seed": 1.5}, InvalidTypeError, "'seed'"),
        (graph(), {"positions": [(0, 0)]}, InvalidTypeError, "'positions'"),
        (graph(), {"positions": {"buyers": (0, 0)}}, ValidationError, "'positions'"),
        (graph(), {"positions": {"buyer": (0, 0)}}, UnknownKeyError, "buyers"),
        (
            graph(),
            {
                "positions": dict.fromkeys(
                    ("buyers", "press", "staff", "farm"), (0, "x")
                )
            },
            InvalidTypeError,
            r"positions\['buyers'\]\[1\]",
        ),
    ],
)
def test_bad_graph_input_is_refused(
    value: object, arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        stakeholder_graph(value, **arguments)  # type: ignore[arg-type]


# --- the spread ---------------------------------------------------------------------


def _chain() -> DiffusionNetwork:
    """a → b → c → d, each arc passing the story on with probability 1."""
    return DiffusionNetwork.from_arcs(
        ["a", "b", "c", "d"], [("a", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0)]
    )


def test_a_certain_chain_turns_one_more_quarter_negative_each_step() -> None:
    result = simulate_spread(_chain(), ["a"], rng=1, runs=10)

    axes = opinion_spread(result, language="en").axes[0]

    (line,) = axes.lines
    assert [0, 1, 2, 3] == values(line.get_xdata())
    assert [0.25, 0.5, 0.75, 1.0] == values(line.get_ydata())
    assert "Without the plan: 4.0 of 4 at the end" == line.get_label()
    assert ("Step of the spread", "Share turned negative") == (
        axes.get_xlabel(),
        axes.get_ylabel(),
    )


def test_a_comparison_draws_both_lines_and_shades_what_the_plan_saves() -> None:
    # Silencing c from step 2 stops the story at c: a, b, c turn, d never.
    plan = [Intervention(nodes=["c"], step=2)]
    comparison = compare_interventions(_chain(), ["a"], plan, rng=1, runs=10)

    axes = opinion_spread(comparison, language="en").axes[0]

    without, with_plan = axes.lines
    assert [0.25, 0.5, 0.75, 1.0] == values(without.get_ydata())
    assert [0.25, 0.5, 0.75, 0.75] == values(with_plan.get_ydata())
    assert str(with_plan.get_label()).startswith("With the plan: 3.0 of 4")
    assert ["saved"] == [c.get_gid() for c in axes.collections]


def test_shorter_spreads_are_held_at_their_last_share() -> None:
    short = simulate_spread(_chain(), ["c"], rng=1, runs=5)  # c, d: one step

    assert [0.25, 0.5, 0.5, 0.5] == spread_shares(short, 3).tolist()
    axes = opinion_spread(
        {"from a": simulate_spread(_chain(), ["a"], rng=1, runs=5), "from c": short}
    ).axes[0]
    assert [4, 4] == [len(values(line.get_xdata())) for line in axes.lines]


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("spread", InvalidTypeError, "'results'"),
        ({}, ValidationError, "'results'"),
        ({"a": 1}, InvalidTypeError, "results"),
        ({2: None}, InvalidTypeError, "'results key'"),
    ],
)
def test_bad_spread_input_is_refused(
    value: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        opinion_spread(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"result": "spread"}, InvalidTypeError, "'result'"),
        ({"steps": 1.0}, InvalidTypeError, "'steps'"),
        ({"steps": -1}, ValidationError, "'steps'"),
    ],
)
def test_spread_shares_refuses_bad_input(
    arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    call: dict[str, object] = {
        "result": simulate_spread(_chain(), ["a"], rng=1, runs=2),
        "steps": 3,
        **arguments,
    }

    with pytest.raises(error, match=match):
        spread_shares(**call)  # type: ignore[arg-type]


def test_spread_shares_can_cut_the_spread_short() -> None:
    result = simulate_spread(_chain(), ["a"], rng=1, runs=2)

    assert [0.25, 0.5] == spread_shares(result, 1).tolist()
