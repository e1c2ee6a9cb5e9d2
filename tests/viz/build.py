"""Small domain values the figure tests draw, each worked out by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from matplotlib.artist import Artist
from matplotlib.collections import Collection
from matplotlib.colors import to_rgba
from matplotlib.dates import date2num
from matplotlib.patches import Patch, Rectangle

from crisisops.monitoring import (
    Below,
    Calibrated,
    Consecutive,
    Evaluation,
    Panel,
    Raw,
    Threshold,
    ThresholdSet,
    Tier,
    TriggerRule,
    evaluate,
)
from crisisops.planning import default_playbooks
from crisisops.response import Crisis
from crisisops.stakeholders import Influence, Stakeholder, StakeholderGraph
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "TAIPEI",
    "crisis",
    "days",
    "edge_colours",
    "edges",
    "face_colours",
    "find",
    "graph",
    "kpi_evaluation",
    "kpi_panel",
    "kpi_sets",
    "num",
    "offsets",
    "rgba",
    "values",
]

TAIPEI = dt.timezone(dt.timedelta(hours=8))
HOUR = dt.timedelta(hours=1)


A = TypeVar("A", bound=Artist)


def rgba(colour: str) -> tuple[float, float, float, float]:
    """Return a colour as matplotlib's RGBA tuple, for comparisons."""
    return to_rgba(colour)


def num(moment: dt.datetime) -> float:
    """Return matplotlib's date number of a moment (days since its epoch)."""
    return float(date2num(moment))  # type: ignore[no-untyped-call]


def values(data: object) -> list[float]:
    """Return a line's x or y data (or any array) as a list of floats."""
    result: list[float] = np.asarray(data, dtype=np.float64).reshape(-1).tolist()
    return result


def offsets(collection: Collection) -> npt.NDArray[np.float64]:
    """Return the (x, y) points of a scatter collection."""
    return np.asarray(collection.get_offsets(), dtype=np.float64)


def face_colours(collection: Collection) -> list[tuple[float, ...]]:
    """Return the RGBA fill colour of each item of a collection (e.g. nodes)."""
    rows = np.asarray(collection.get_facecolor(), dtype=np.float64).reshape(-1, 4)
    return [tuple(row) for row in rows.tolist()]


def edge_colours(collection: Collection) -> list[tuple[float, ...]]:
    """Return the RGBA edge colour of each item of a collection."""
    rows = np.asarray(collection.get_edgecolor(), dtype=np.float64).reshape(-1, 4)
    return [tuple(row) for row in rows.tolist()]


def edges(patch: Patch) -> tuple[float, float]:
    """Return where a rectangle (a bar, an axvspan) starts and ends on x."""
    assert isinstance(patch, Rectangle)
    return patch.get_x(), patch.get_x() + patch.get_width()


def find(artists: Iterable[A], gid: str) -> A:
    """Return the one artist with this ``gid``."""
    (found,) = [artist for artist in artists if artist.get_gid() == gid]
    return found


def days(count: int) -> list[dt.datetime]:
    """Midnight in Taipei for ``count`` days from Monday 2 March 2026."""
    first = dt.datetime(2026, 3, 2, tzinfo=TAIPEI)
    return [first + dt.timedelta(days=d) for d in range(count)]


def kpi_panel() -> Panel:
    """Fourteen days of GMV from Monday 2 March: the shop dips twice, the cup never."""
    shop = [100, 101, 99, 100, 102, 70, 65, 72, 100, 85, 88, 101, 60, 99]
    cup = [40] * 14
    return Panel.from_metric_arrays(
        days(14), ["shop", "cup"], {"sales.gmv": np.column_stack([shop, cup])}
    )


def kpi_sets() -> tuple[ThresholdSet, ThresholdSet]:
    """A flat floor of 80 from day 3, then a weekday floor from day 8 (a Tuesday).

    v2's floor for the shop is 90 on weekdays and 50 on weekends (rows 5, 6).
    """
    stamps = days(14)
    v1 = ThresholdSet(
        version="v1",
        fitted_through=stamps[2] - HOUR,
        valid_from=stamps[2],
        entities=["shop", "cup"],
        bounds={"floor": [80.0, 30.0], "ceiling": [120.0, 50.0]},
    )
    weekday = [[90.0, 30.0]] * 5 + [[50.0, 30.0]] * 2
    v2 = ThresholdSet(
        version="v2",
        fitted_through=stamps[8] - HOUR,
        valid_from=stamps[8],
        entities=["shop", "cup"],
        bounds={"floor": weekday},
    )
    return v1, v2


def kpi_evaluation() -> Evaluation:
    """GMV below the calibrated floor two days running, Level III.

    With v1 (floor 80) the shop breaches on days 5, 6 and 7 (7-9 March): the
    first alert's first breach is 7 March, it fires on the 8th (the second
    day) and resolves on the 10th (the first clean day). From day 8 v2
    rules: 85 and 88 on days 9 and 10 (Wednesday and Thursday, floor 90)
    breach, though v1's 80 would not; the second alert fires on the 12th and
    resolves on the 13th. 60 on Saturday the 14th is above the weekend's 50.
    """
    rule = TriggerRule(
        name="gmv_floor",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.III,
                Threshold(
                    signal=Raw("sales.gmv"), predicate=Below(Calibrated("floor"))
                ),
            )
        ],
        persistence=Consecutive(2),
    )
    return evaluate([rule], kpi_panel(), list(kpi_sets()))


def crisis() -> Crisis:
    """A sales crisis: declared Level III, escalated to II, back to III, resolved.

    The sales-recovery playbook's first step is done, the second is started,
    the rest wait.
    """
    at = dt.datetime(2026, 5, 4, 9, tzinfo=TAIPEI)
    playbook = default_playbooks()["sales_recovery"]
    declared = Crisis.declare(
        "sales_slump",
        title="Sales slump",
        crisis_type="market.demand_shift",
        level=ResponseLevel.III,
        at=at,
        actor="mei",
        lead="mei",
        impact_started_at=at - 6 * HOUR,
    )
    owners = {"data_analyst": "hao", "ops_expert": "wei", "marketing_pr": "lan"}
    state = declared.confirm(at=at + HOUR, actor="mei", root_cause="a rival's promo")
    state = state.activate_playbook(playbook, at=at + HOUR, actor="mei", owners=owners)
    first = state.actions[0].key
    state = state.start_action(first, at=at + 2 * HOUR, actor="hao")
    state = state.escalate(at=at + 3 * HOUR, actor="mei", reason="sales fell further")
    state = state.complete_action(first, at=at + 5 * HOUR, actor="hao")
    state = state.start_action(state.actions[1].key, at=at + 6 * HOUR, actor="wei")
    state = state.de_escalate(at=at + 20 * HOUR, actor="mei", reason="sales steady")
    return state.mark_contained(at=at + 30 * HOUR, actor="mei")


def graph() -> StakeholderGraph:
    """Four stakeholders, one of each salience group but none, three arcs.

    Scores against the default thresholds (0.5 each): buyers hold power,
    legitimacy and urgency (definitive); press power and urgency (dangerous);
    staff legitimacy only (discretionary); the farm nothing (non-stakeholder).
    """
    people = [
        Stakeholder(
            key="buyers",
            name="Buyers",
            kind="customer",
            power=0.6,
            legitimacy=0.9,
            urgency=0.8,
            interest=0.9,
            sentiment=-0.8,
        ),
        Stakeholder(
            key="press",
            name="Press",
            kind="media",
            power=0.7,
            legitimacy=0.4,
            urgency=0.6,
            interest=0.5,
            sentiment=0.0,
        ),
        Stakeholder(
            key="staff",
            name="Staff",
            kind="employee",
            power=0.2,
            legitimacy=0.8,
            urgency=0.1,
            interest=0.7,
            sentiment=0.6,
        ),
        Stakeholder(
            key="farm",
            name="Farm",
            kind="supplier",
            power=0.1,
            legitimacy=0.2,
            urgency=0.1,
            interest=0.2,
            sentiment=1.0,
        ),
    ]
    arcs = [
        Influence(source="buyers", target="press", weight=0.5),
        Influence(source="press", target="staff", weight=0.2),
        Influence(source="staff", target="buyers", weight=0.9),
    ]
    return StakeholderGraph(stakeholders=people, influences=arcs)
