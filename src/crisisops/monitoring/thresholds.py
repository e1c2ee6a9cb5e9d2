"""Versioned, point-in-time threshold sets (book §3 定期調整觸發點).

A `ThresholdSet` holds per-entity bounds (e.g. each SKU's 5th percentile
of daily sales) fitted on history up to ``fitted_through`` and valid from
``valid_from`` on. The book asks for trigger points set from history (找到合理
範圍) and re-calibrated periodically (定期重新評估和調整觸發點); each
re-calibration is a new version. A monitor replaying history uses, at every
date, the version that was valid then — never one fitted on later data.

Examples
--------
Two quarterly versions of each shop's 5th percentile of daily GMV:

>>> from datetime import datetime, timezone
>>> from crisisops.monitoring import ThresholdSet, active_threshold_set
>>> def utc(year, month, day):
...     return datetime(year, month, day, tzinfo=timezone.utc)
>>> q1 = ThresholdSet(
...     version="2026-Q1",
...     fitted_through=utc(2025, 12, 31),
...     valid_from=utc(2026, 1, 1),
...     entities=["shop_a", "shop_b"],
...     bounds={"gmv_p5": [90.0, 20.0]},
... )
>>> q2 = ThresholdSet(
...     version="2026-Q2",
...     fitted_through=utc(2026, 3, 31),
...     valid_from=utc(2026, 4, 1),
...     entities=["shop_a", "shop_b"],
...     bounds={"gmv_p5": [95.0, 25.0]},
... )
>>> active_threshold_set([q1, q2], utc(2026, 2, 14)).version  # Q2 is not valid yet
'2026-Q1'
>>> active_threshold_set([q1, q2], utc(2026, 5, 1)).bound("gmv_p5").tolist()
[95.0, 25.0]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from crisisops._validation import (
    check_aware,
    check_key,
    check_unique_texts,
    is_aware_datetime,
    is_str_mapping,
    is_text,
    to_frozendict,
    to_str_tuple,
)
from crisisops.errors import (
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict

__all__ = ["ThresholdSet", "active_threshold_set", "bounds_at"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def _frozen_bounds(value: Mapping[str, Any]) -> FrozenDict[str, FloatArray]:
    """Copy each bound into a read-only float64 array."""
    if not isinstance(value, Mapping):
        return value  # reported by the validator
    converted: dict[str, Any] = {}
    for key, array in value.items():
        try:
            copy = np.array(array, dtype=np.float64, copy=True)
        except (TypeError, ValueError):
            copy = array
        else:
            copy.setflags(write=False)
        converted[key] = copy
    return to_frozendict(converted)


def _equal_bounds(
    a: FrozenDict[str, FloatArray], b: FrozenDict[str, FloatArray]
) -> bool:
    return a.keys() == b.keys() and all(
        np.array_equal(a[k], b[k], equal_nan=True) for k in a
    )


@attrs.frozen(kw_only=True)
class ThresholdSet:
    """Per-entity bounds fitted on history, with their version and validity.

    Attributes
    ----------
    version
        Identifier of this calibration, e.g. ``"2026-Q1"``; alerts quote it.
    fitted_through
        Timestamp of the last period of history the fit used.
    valid_from
        First moment the set may be used; strictly after ``fitted_through`` so
        no replay ever uses a bound fitted on its own future.
    entities
        The entities the bounds are for, in array order.
    bounds
        Named bounds. Each is a float64 array with one value per entity, shape
        ``(entities,)``, or a weekday-seasonal bound of shape ``(7, entities)``
        whose row is the weekday (Monday = 0) of the period being judged, in
        the period timestamp's own offset. NaN means "no bound for this
        entity" (the condition is then unknown).
    notes
        How each bound was fitted, in words (method, window, fallbacks).

    Examples
    --------
    One bound per shop, and one per weekday and shop (Saturday and Sunday
    differ):

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import ThresholdSet
    >>> weekly = [[100.0, 40.0]] * 5 + [[150.0, 60.0]] * 2  # Monday first
    >>> fitted = ThresholdSet(
    ...     version="2026-03",
    ...     fitted_through=datetime(2026, 2, 28, 23, tzinfo=timezone.utc),
    ...     valid_from=datetime(2026, 3, 1, tzinfo=timezone.utc),
    ...     entities=["shop_a", "shop_b"],
    ...     bounds={"gmv_p5": [90.0, 20.0], "orders_low": weekly},
    ...     notes={"gmv_p5": "quantile q=0.05 of sales.gmv"},
    ... )
    >>> fitted.bound("gmv_p5").tolist(), fitted.is_seasonal("orders_low")
    ([90.0, 20.0], True)
    >>> saturday = datetime(2026, 3, 7, tzinfo=timezone.utc)
    >>> {
    ...     name: bound.tolist()
    ...     for name, bound in fitted.aligned(["shop_b", "shop_c"], saturday).items()
    ... }
    {'gmv_p5': [20.0, nan], 'orders_low': [60.0, nan]}

    A set is never valid before the end of the history it was fitted on:

    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     ThresholdSet(
    ...         version="bad",
    ...         fitted_through=saturday,
    ...         valid_from=saturday,
    ...         entities=["shop_a"],
    ...         bounds={},
    ...     )
    ... except ValidationError as error:
    ...     error.field, error.expected
    ('valid_from', 'a moment after fitted_through (2026-03-07T00:00:00+00:00)')
    """

    version: str = attrs.field(validator=is_text())
    fitted_through: dt.datetime = attrs.field(validator=is_aware_datetime())
    valid_from: dt.datetime = attrs.field(validator=is_aware_datetime())
    entities: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    bounds: FrozenDict[str, FloatArray] = attrs.field(
        converter=_frozen_bounds, eq=attrs.cmp_using(eq=_equal_bounds)
    )
    notes: FrozenDict[str, str] = attrs.field(
        factory=FrozenDict, converter=to_frozendict, validator=is_str_mapping()
    )

    def __attrs_post_init__(self) -> None:
        """Check validity order, entity uniqueness and bound shapes."""
        if self.valid_from <= self.fitted_through:
            raise ValidationError(
                "valid_from",
                self.valid_from,
                f"a moment after fitted_through ({self.fitted_through.isoformat()})",
            )
        check_unique_texts(self.entities, "entities", "entity")
        if not isinstance(self.bounds, FrozenDict):
            raise InvalidTypeError("bounds", self.bounds, "a mapping of name to array")
        for name, array in self.bounds.items():
            check_key(name, "bounds key")
            n = len(self.entities)
            if getattr(array, "shape", None) not in ((n,), (7, n)):
                raise ValidationError(
                    f"bounds[{name!r}]",
                    getattr(array, "shape", array),
                    f"one number per entity, shape ({n},), or one per weekday "
                    f"and entity, shape (7, {n})",
                )
            if np.isinf(array).any():
                raise ValidationError(
                    f"bounds[{name!r}]", "inf", "finite numbers or NaN (no bound)"
                )

    def bound(self, name: str) -> FloatArray:
        """Return the named bound (one value per entity)."""
        if name not in self.bounds:
            raise UnknownKeyError("threshold bound", name, self.bounds.keys())
        return self.bounds[name]

    def is_seasonal(self, name: str) -> bool:
        """Return whether the named bound differs by weekday."""
        return self.bound(name).ndim == 2

    def reordered(self, entities: Iterable[str]) -> dict[str, FloatArray]:
        """Return every bound reordered for ``entities``; unknown entities get NaN.

        Weekday-seasonal bounds keep their weekday axis, shape ``(7, E)``.
        """
        wanted = tuple(entities)
        if wanted == self.entities:
            # Already in order: the read-only bounds serve as they are.
            return dict(self.bounds)
        position = {entity: i for i, entity in enumerate(self.entities)}
        index = np.array([position.get(e, -1) for e in wanted], dtype=np.intp)
        known = index >= 0
        result: dict[str, FloatArray] = {}
        for name, array in self.bounds.items():
            out = np.full((*array.shape[:-1], len(wanted)), np.nan)
            out[..., known] = array[..., index[known]]
            out.setflags(write=False)
            result[name] = out
        return result

    def aligned(
        self, entities: Iterable[str], moment: dt.datetime | None = None
    ) -> dict[str, FloatArray]:
        """Return every bound for ``entities`` at ``moment``; unknown entities get NaN.

        Weekday-seasonal bounds need ``moment`` to pick the weekday row.
        """
        return bounds_at(self.reordered(entities), moment)


def bounds_at(
    bounds: dict[str, FloatArray], moment: dt.datetime | None
) -> dict[str, FloatArray]:
    """Pick the weekday row of seasonal bounds for ``moment`` (others as they are).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> import numpy as np
    >>> from crisisops.monitoring import bounds_at
    >>> weekly = np.array([[100.0]] * 5 + [[150.0]] * 2)  # shape (7, 1), Monday first
    >>> flat = np.array([90.0])
    >>> saturday = datetime(2026, 3, 7, tzinfo=timezone.utc)
    >>> picked = bounds_at({"orders_low": weekly, "gmv_p5": flat}, saturday)
    >>> picked["orders_low"].tolist(), picked["gmv_p5"].tolist()
    ([150.0], [90.0])
    """
    result: dict[str, FloatArray] = {}
    for name, array in bounds.items():
        if array.ndim == 2:
            if moment is None:
                raise ValidationError(
                    "moment", None, f"a datetime: bound {name!r} is seasonal"
                )
            array = array[check_aware(moment, "moment").weekday()]  # noqa: PLW2901
        result[name] = array
    return result


def active_threshold_set(
    sets: Iterable[ThresholdSet], moment: dt.datetime
) -> ThresholdSet | None:
    """Return the set valid at ``moment``: the latest ``valid_from`` not after it.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> from crisisops.monitoring import ThresholdSet, active_threshold_set
    >>> def quarter(name, month):
    ...     start = datetime(2026, month, 1, tzinfo=timezone.utc)
    ...     return ThresholdSet(
    ...         version=name,
    ...         fitted_through=start - timedelta(days=1),
    ...         valid_from=start,
    ...         entities=["shop"],
    ...         bounds={"gmv_p5": [90.0]},
    ...     )
    >>> sets = [quarter("2026-Q2", 4), quarter("2026-Q1", 1)]  # in any order
    >>> def version_at(month, day):
    ...     moment = datetime(2026, month, day, tzinfo=timezone.utc)
    ...     return active_threshold_set(sets, moment).version
    >>> version_at(3, 31), version_at(4, 1)
    ('2026-Q1', '2026-Q2')
    >>> before = datetime(2025, 12, 31, tzinfo=timezone.utc)
    >>> active_threshold_set(sets, before) is None  # nothing valid yet
    True
    """
    check_aware(moment, "moment")
    best: ThresholdSet | None = None
    for candidate in sets:
        if not isinstance(candidate, ThresholdSet):
            raise InvalidTypeError("sets", candidate, "ThresholdSet values")
        if candidate.valid_from <= moment and (
            best is None or candidate.valid_from > best.valid_from
        ):
            best = candidate
    return best
