"""Joining evaluations of entity partitions (merge_evaluations)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.monitoring import (
    Below,
    Consecutive,
    Evaluation,
    Monitor,
    Panel,
    Raw,
    Threshold,
    Tier,
    TriggerRule,
    evaluate,
    merge_evaluations,
)
from crisisops.serialization import to_data
from crisisops.taxonomy import ResponseLevel

ZONE = dt.timezone(dt.timedelta(hours=8))
DAYS = [dt.datetime(2026, 3, d, tzinfo=ZONE) for d in range(1, 7)]
RULE = TriggerRule(
    name="low",
    crisis_type="market.demand_shift",
    tiers=[
        Tier(ResponseLevel.IV, Threshold(signal=Raw("sales.gmv"), predicate=Below(6.0)))
    ],
    persistence=Consecutive(2),
)


def _panel() -> Panel:
    rng = np.random.default_rng(5)
    values = rng.integers(0, 12, size=(len(DAYS), 5)).astype(float)
    values[2, 1] = np.nan
    return Panel.from_metric_arrays(
        DAYS, ["a", "b", "c", "d", "e"], {"sales.gmv": values}
    )


def _parts(panel: Panel, groups: list[list[str]]) -> list[Evaluation]:
    return [evaluate([RULE], panel.select(entities=keys)) for keys in groups]


@pytest.mark.parametrize(
    "groups",
    [
        [["a", "b", "c", "d", "e"]],
        [["e", "a"], ["c"], ["d", "b"]],
        [["b"], ["a", "c", "d", "e"]],
    ],
)
def test_joined_parts_equal_the_whole_run(groups: list[list[str]]) -> None:
    panel = _panel()
    whole = evaluate([RULE], panel)
    joined = merge_evaluations(
        Monitor.start([RULE], panel.entities), _parts(panel, groups)
    )
    assert [to_data(e) for e in whole.events] == [to_data(e) for e in joined.events]
    assert [to_data(a) for a in whole.alerts] == [to_data(a) for a in joined.alerts]
    assert to_data(whole.monitor.state) == to_data(joined.monitor.state)


def test_bad_parts_are_refused() -> None:
    panel = _panel()
    start = Monitor.start([RULE], panel.entities)
    with pytest.raises(ValidationError, match="parts"):
        merge_evaluations(start, [])
    with pytest.raises(InvalidTypeError, match=r"parts\[0\]"):
        merge_evaluations(start, ["evaluation"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="start"):
        merge_evaluations("monitor", _parts(panel, [["a"]]))  # type: ignore[arg-type]
    # An entity twice, or one missing: not a partition.
    with pytest.raises(ValidationError, match="each exactly once"):
        merge_evaluations(start, _parts(panel, [["a", "b"], ["b", "c", "d", "e"]]))
    with pytest.raises(ValidationError, match="each exactly once"):
        merge_evaluations(start, _parts(panel, [["a", "b"], ["c", "d"]]))
    other = Panel.from_metric_arrays(DAYS, ["z"], {"sales.gmv": np.ones((6, 1))})
    with pytest.raises(UnknownKeyError, match="'z'"):
        merge_evaluations(start, [evaluate([RULE], other)])
    shorter = evaluate([RULE], panel.select(entities=["a"]).slice(end=DAYS[3]))
    with pytest.raises(ValidationError, match=r"parts\[1\]\.timestamps"):
        merge_evaluations(start, [*_parts(panel, [["b", "c", "d", "e"]]), shorter])
