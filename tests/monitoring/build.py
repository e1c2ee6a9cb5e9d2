"""Small builders shared by the monitoring tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np

from crisisops.monitoring.panel import Panel

__all__ = ["TAIPEI", "days", "panel"]

TAIPEI = dt.timezone(dt.timedelta(hours=8))


def days(count: int, start: dt.date = dt.date(2026, 3, 2)) -> list[dt.datetime]:
    """Midnight in Taipei for ``count`` consecutive days (2026-03-02 is a Monday)."""
    first = dt.datetime(start.year, start.month, start.day, tzinfo=TAIPEI)
    return [first + dt.timedelta(days=i) for i in range(count)]


def panel(
    series: Mapping[str, Sequence[float] | Sequence[Sequence[float]]],
    entities: Sequence[str] = ("sku-1",),
) -> Panel:
    """Build a daily panel; a 1-D series is the single entity's column."""
    arrays = {}
    for metric, values in series.items():
        array = np.asarray(values, dtype=np.float64)
        if array.ndim == 1:
            array = array[:, np.newaxis]
        arrays[metric] = array
    length = next(iter(arrays.values())).shape[0]
    return Panel.from_metric_arrays(days(length), entities, arrays)
