"""Figures of the crisis loop, as matplotlib `Figure` objects (optional extra ``viz``).

A picture makes the book's tools readable at a glance: the risk matrix of
§3 (風險矩陣), a KPI crossing its trigger point (觸發點), the stakeholders a
story spreads through (利益相關者), the actions of a response with their
owners and deadlines (明確責任人及執行時間), the data before and after a
crisis (危機前後對比). Each function here takes the values the other
packages return and draws them:

* `risk_heat_map` – likelihood × impact cells coloured by grade, the
  register's risks in their cells (`crisisops.risk`);
* `loss_exceedance_curve` – ``P(annual loss > x)`` from Monte Carlo losses,
  e.g. before and after a control (`crisisops.risk`);
* `supply_network_map` – suppliers → warehouses → SKUs, the single points
  of failure and an outage (`crisisops.risk` supply network);
* `kpi_chart` – one KPI of one entity, its calibrated trigger bounds and
  its alert spans (`crisisops.monitoring`);
* `stakeholder_graph` – the influence arcs, nodes coloured by salience or
  sentiment (`crisisops.stakeholders`);
* `opinion_spread` – the share of stakeholders turned negative per step,
  with and without the plan (`crisisops.stakeholders` diffusion);
* `crisis_timeline` – a Gantt chart of the actions with the critical path,
  and the response level over time (`crisisops.response`);
* `before_after` – the review's window means and actual-against-baseline
  series (`crisisops.review` evaluation).

The rules every function keeps:

* **It returns a figure and does nothing else.** No file is written, no
  window opens, nothing of pyplot's global state is touched (figures are
  built as ``matplotlib.figure.Figure()``, so no GUI backend is needed and
  nothing accumulates in pyplot's figure manager). Save one with
  ``figure.savefig("risk.png")`` in your own code; show it in a notebook by
  leaving it as the cell's value.
* **matplotlib loads on first use.** ``import crisisops.viz`` imports no
  matplotlib; the first figure does, and without it raises
  `crisisops.errors.MissingExtraError` naming ``pip install
  'crisisops[viz]'``.
* **Bad input fails before any drawing**, with the usual crisisops errors
  naming the argument.
* **Bilingual.** Where the book has a term, labels show it in English and
  Traditional Chinese (``language=None``), or in one language
  (``language="en"``, ``"zh-Hant"``, ``"zh-Hans"``). crisisops sets no font:
  without a CJK font the Chinese characters render as boxes, silently (the
  figures ignore only matplotlib's "Glyph missing" warning).
* **Deterministic.** The same values give the same figure; the stakeholder
  layout is seeded.
* **Colours mean something**: `LEVEL_COLOURS` are the warning colours of the
  four response levels (Level I red … Level IV blue), used for risk grades,
  alerts and the level band alike.

Examples
--------
>>> from matplotlib.figure import Figure
>>> import crisisops.viz as viz
>>> from crisisops.risk import default_matrix
>>> figure = viz.risk_heat_map(default_matrix(), language="zh-Hant")
>>> axes = figure.axes[0]
>>> axes.get_xlabel(), axes.get_ylabel(), len(axes.patches)
('影響程度', '可能性', 25)
>>> isinstance(figure, Figure)
True

The colours are plain data, for a legend of your own or a UI that matches:

>>> from crisisops.taxonomy import ResponseLevel
>>> viz.LEVEL_COLOURS[ResponseLevel.I], viz.NO_LEVEL_COLOUR
('#e8543f', '#9e9e9e')
>>> viz.CRITICAL_COLOUR, viz.ACTION_COLOUR
('#c0392b', '#78909c')
>>> viz.COLOUR_BY, viz.SENTIMENT_COLOURMAP
(('salience', 'sentiment'), 'RdYlGn')
>>> sorted(viz.OUTAGE_COLOURS), len(viz.SALIENCE_COLOURS), len(viz.WINDOW_COLOURS)
(['failed', 'fully_lost', 'partially_lost'], 8, 3)
"""

from __future__ import annotations

from crisisops.viz._common import CRITICAL_COLOUR, LEVEL_COLOURS, NO_LEVEL_COLOUR
from crisisops.viz.monitoring import bound_series, kpi_chart
from crisisops.viz.response import ACTION_COLOUR, crisis_timeline
from crisisops.viz.review import WINDOW_COLOURS, before_after
from crisisops.viz.risk import loss_exceedance_curve, risk_heat_map
from crisisops.viz.stakeholders import (
    COLOUR_BY,
    SALIENCE_COLOURS,
    SENTIMENT_COLOURMAP,
    opinion_spread,
    spread_shares,
    stakeholder_graph,
)
from crisisops.viz.supply import OUTAGE_COLOURS, supply_network_map

__all__ = [
    "ACTION_COLOUR",
    "COLOUR_BY",
    "CRITICAL_COLOUR",
    "LEVEL_COLOURS",
    "NO_LEVEL_COLOUR",
    "OUTAGE_COLOURS",
    "SALIENCE_COLOURS",
    "SENTIMENT_COLOURMAP",
    "WINDOW_COLOURS",
    "before_after",
    "bound_series",
    "crisis_timeline",
    "kpi_chart",
    "loss_exceedance_curve",
    "opinion_spread",
    "risk_heat_map",
    "spread_shares",
    "stakeholder_graph",
    "supply_network_map",
]


def __dir__() -> list[str]:
    """List the public API."""
    return sorted(__all__)
