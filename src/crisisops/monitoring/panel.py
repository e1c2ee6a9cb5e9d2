"""KPI data: a panel of observations over time, entities and metrics (book §3).

Key-indicator monitoring (book §3 關鍵指標監控與應急響應觸發點設定) watches
sales and conversion, user feedback, supply-chain stability and marketing data
for many things at once: every SKU, shop or channel. A `Panel` holds
that data as one float64 array of shape ``(T, E, M)``: ``T`` periods (aware,
strictly increasing timestamps), ``E`` entities (SKU, shop, channel, ... keys)
and ``M`` metrics (keys of `Metric`). NaN
marks a missing value; infinities are refused.

An `Observation` is one period of a panel, for every entity and metric:
what a streaming monitor consumes one period at a time. A panel splits into
observations (`Panel.observations()`) and grows from them
(`Panel.append()`), and the two views always agree.

Both are immutable values: the constructor stores a read-only copy of the
input, so changing the array a panel was built from never changes the panel.
Queries are numpy slicing (no Python loops over data points) and every query
that returns data returns a new value or a read-only view; the periods of a
panel share its read-only memory instead of copying it.

Panels are built from anything array-like: numpy arrays or nested lists;
`Panel.from_frame()` and `Panel.to_frame()` read and write pandas DataFrames
(long or wide; `crisisops.monitoring.frames`), importing pandas only when
called.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_aware,
    check_key,
    check_str,
    field_name,
    is_aware_datetime,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.monitoring.metrics import MetricCatalog

if TYPE_CHECKING:
    from crisisops.monitoring.frames import DataFrame

__all__ = ["Observation", "Panel"]


# --- converters and validators ----------------------------------------------


def _to_values(value: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Copy an array-like of real numbers into a read-only C-contiguous float64 array.

    Anything that is not a real-numbered array-like (text, objects, booleans,
    ragged lists) is passed through unchanged for the validator to report.
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value  # type: ignore[return-value]  # the validator reports it
    if raw.dtype.kind not in "iuf":
        return value  # type: ignore[return-value]  # the validator reports it
    array = np.array(raw, dtype=np.float64, order="C", copy=True)
    array.setflags(write=False)
    return array


def _to_datetime_tuple(value: Iterable[dt.datetime]) -> tuple[dt.datetime, ...]:
    """Like `to_tuple()`, typed for tuples of datetimes (for mypy's plugin)."""
    return to_tuple(value)


def _to_key_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Like `to_tuple()`, typed for tuples of keys (for mypy's plugin)."""
    return to_tuple(value)


def _nan_equal(left: npt.NDArray[np.float64], right: npt.NDArray[np.float64]) -> bool:
    """Compare two arrays value by value, NaN equal to NaN."""
    return bool(np.array_equal(left, right, equal_nan=True))


def _require_tuple(value: object, name: str, what: str) -> tuple[Any, ...]:
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, f"a tuple (or list) of {what}")
    return value


def _check_timestamps(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    """Check aware, strictly increasing timestamps; name the first bad index."""
    name = field_name(attribute)
    stamps = _require_tuple(value, name, "timezone-aware datetimes")
    previous: dt.datetime | None = None
    for index, stamp in enumerate(stamps):
        check_aware(stamp, f"{name}[{index}]")
        if previous is not None and stamp <= previous:
            raise ValidationError(
                f"{name}[{index}]",
                stamp,
                f"later than {name}[{index - 1}] ({previous.isoformat()}); "
                "timestamps must be strictly increasing",
            )
        previous = stamp


def _plain_texts(items: tuple[Any, ...]) -> bool:
    """Return whether every item is a ``str`` with visible content (C-speed passes)."""
    return set(map(type, items)) <= {str} and all(map(str.strip, items))


def _check_unique_items(
    items: tuple[Any, ...],
    name: str,
    kind: str,
    check: Callable[[object, str], None],
    fast: Callable[[tuple[Any, ...]], bool] | None = None,
) -> None:
    """Check each item and that none repeats; report the first bad index.

    ``fast`` is an optional whole-tuple check built from C-speed passes
    (``map`` over builtins, ``set``); when it and the uniqueness test pass, the
    per-item loop, which only serves to find the culprit, is skipped. A panel
    of 10,000 SKUs is checked in well under a millisecond.
    """
    if fast is not None and fast(items) and len(set(items)) == len(items):
        return
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        check(item, f"{name}[{index}]")
        earlier = first_seen.setdefault(item, index)
        if earlier != index:
            raise ValidationError(
                f"{name}[{index}]",
                item,
                f"{kind} not already in {name} (repeats {name}[{earlier}])",
            )


def _check_key_text(item: object, name: str) -> None:
    check_str(item, name)


def _check_metric_key(item: object, name: str) -> None:
    check_key(item, name)


def _check_entities(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    """Check unique, non-blank entity keys."""
    name = field_name(attribute)
    items = _require_tuple(value, name, "entity keys (str)")
    _check_unique_items(
        items, name, "an entity key", _check_key_text, fast=_plain_texts
    )


def _check_metrics(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    """Check unique, well-formed dotted metric keys."""
    name = field_name(attribute)
    items = _require_tuple(value, name, "metric keys (str)")
    _check_unique_items(items, name, "a metric key", _check_metric_key)


def _check_array(
    value: object, name: str, expected: tuple[int, ...], axes: str
) -> None:
    """Check a float64 array of the expected shape without infinities."""
    if not isinstance(value, np.ndarray) or value.dtype != np.float64:
        raise InvalidTypeError(
            name,
            value,
            "an array-like of real numbers (int or float; NaN marks a missing value)",
        )
    if value.shape != expected:
        raise ValidationError(
            name, value.shape, f"an array of shape {axes} = {expected}"
        )
    infinite = np.isinf(value)
    if infinite.any():
        where = tuple(int(i) for i in np.argwhere(infinite)[0])
        raise ValidationError(
            f"{name}[{', '.join(map(str, where))}]",
            float(value[where]),
            "a finite number or NaN (missing); infinity is not a KPI value",
        )


def _check_panel_values(instance: Panel, attribute: Any, value: object) -> None:  # noqa: ANN401
    expected = (
        len(instance.timestamps),
        len(instance.entities),
        len(instance.metrics),
    )
    axes = "(T, E, M) = (len(timestamps), len(entities), len(metrics))"
    _check_array(value, field_name(attribute), expected, axes)


def _check_observation_values(
    instance: Observation,
    attribute: Any,  # noqa: ANN401
    value: object,
) -> None:
    expected = (len(instance.entities), len(instance.metrics))
    axes = "(E, M) = (len(entities), len(metrics))"
    _check_array(value, field_name(attribute), expected, axes)


def _position(index: object, size: int, name: str = "index") -> int:
    """Return ``index`` as a position in ``range(size)``; negatives count back."""
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise InvalidTypeError(name, index, "an int")
    position = int(index)
    if not -size <= position < size:
        raise ValidationError(
            name, index, f"an index in [{-size}, {size - 1}] ({size} period(s))"
        )
    return position % size


def _lookup(
    index: Mapping[str, int], key: object, kind: str, known: Iterable[str]
) -> int:
    if not isinstance(key, str):
        raise InvalidTypeError("key", key, f"a {kind} key (str)")
    position = index.get(key)
    if position is None:
        raise UnknownKeyError(kind, key, known)
    return position


def _find(keys: tuple[str, ...], key: object, kind: str) -> int:
    """Return the position of ``key`` in ``keys`` by a linear search."""
    if not isinstance(key, str):
        raise InvalidTypeError("key", key, f"a {kind} key (str)")
    try:
        return keys.index(key)
    except ValueError:
        raise UnknownKeyError(kind, key, keys) from None


def _index_of(keys: tuple[str, ...]) -> FrozenDict[str, int]:
    return FrozenDict((key, position) for position, key in enumerate(keys))


def _stack_columns(
    columns: Mapping[str, npt.ArrayLike], shape: tuple[int, ...], axes: str
) -> tuple[tuple[str, ...], npt.NDArray[np.float64]]:
    """Stack per-metric arrays of ``shape`` into one array with metrics last."""
    if not isinstance(columns, Mapping):
        raise InvalidTypeError(
            "values", columns, "a mapping of metric key to array-like"
        )
    metrics = tuple(columns)
    stacked = np.empty((*shape, len(metrics)), dtype=np.float64)
    for position, key in enumerate(metrics):
        name = f"values[{key!r}]"
        column = _to_values(columns[key])
        _check_array(column, name, shape, axes)
        stacked[..., position] = column
    return metrics, stacked


def _trusted_observation(
    timestamp: dt.datetime,
    entities: tuple[str, ...],
    metrics: tuple[str, ...],
    values: npt.NDArray[np.float64],
) -> Observation:
    """Build an observation from parts of a panel, skipping the checks.

    Only for parts that already passed a panel's validation: a timestamp of
    the panel, its entity and metric tuples, and one period of its read-only
    array (a view, no copy). This keeps `Panel.period()` and
    `Panel.observations()` free of per-entity Python work.
    """
    observation: Observation = object.__new__(Observation)
    object.__setattr__(observation, "timestamp", timestamp)
    object.__setattr__(observation, "entities", entities)
    object.__setattr__(observation, "metrics", metrics)
    object.__setattr__(observation, "values", values)
    return observation


def _trusted_panel(
    timestamps: tuple[dt.datetime, ...],
    entities: tuple[str, ...],
    metrics: tuple[str, ...],
    values: npt.NDArray[np.float64],
    source: Panel,
) -> Panel:
    """Build a panel from parts that are valid by construction, skipping the checks.

    Only for `Panel.slice()`, `Panel.select()` and `Panel.append()`,
    whose results are cut from (or joined at a checked seam of) ``source``, a
    panel that passed validation. ``values`` must be a read-only, C-contiguous
    float64 array that no caller can write to. The key indexes of ``source``
    are shared when the keys are the same.
    """
    panel: Panel = object.__new__(Panel)
    object.__setattr__(panel, "timestamps", timestamps)
    object.__setattr__(panel, "entities", entities)
    object.__setattr__(panel, "metrics", metrics)
    object.__setattr__(panel, "values", values)
    object.__setattr__(
        panel,
        "_entity_positions",
        source._entity_positions  # noqa: SLF001  same module
        if entities is source.entities
        else _index_of(entities),
    )
    object.__setattr__(
        panel,
        "_metric_positions",
        source._metric_positions  # noqa: SLF001  same module
        if metrics is source.metrics
        else _index_of(metrics),
    )
    return panel


def _read_only(array: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return a new C-contiguous float64 array locked against writes."""
    result = np.ascontiguousarray(array, dtype=np.float64)
    result.setflags(write=False)
    return result


# --- observation ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Observation:
    """One period of KPI data: every metric for every entity at one timestamp.

    This is what a streaming monitor consumes, one period at a time; a
    `Panel` is a run of observations. Equality treats NaN as equal to
    NaN (a missing value equals a missing value).

    Attributes
    ----------
    timestamp
        When the period was observed (timezone-aware).
    entities
        Entity keys (SKU, shop, channel, ...): unique, non-blank.
    metrics
        Metric keys, unique and dotted, e.g. ``"sales.gmv"``.
    values
        Read-only float64 array of shape ``(E, M)`` =
        ``(len(entities), len(metrics))``; NaN marks a missing value.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.monitoring import Observation, Panel
    >>> day = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> today = Observation.from_mapping(
    ...     day, ["sku-1", "sku-2"], {"sales.gmv": [120.0, float("nan")]}
    ... )
    >>> today.values.tolist()  # one row per entity; sku-2 sent nothing: NaN
    [[120.0], [nan]]
    >>> panel = Panel.from_metric_arrays(
    ...     [day], ["sku-1", "sku-2"], {"sales.gmv": [[120.0, float("nan")]]}
    ... )
    >>> next(iter(panel.observations())) == today  # a panel is a run of them
    True
    """

    timestamp: dt.datetime = attrs.field(validator=is_aware_datetime())
    entities: tuple[str, ...] = attrs.field(
        converter=_to_key_tuple, validator=_check_entities
    )
    metrics: tuple[str, ...] = attrs.field(
        converter=_to_key_tuple, validator=_check_metrics
    )
    values: npt.NDArray[np.float64] = attrs.field(
        converter=_to_values,
        validator=_check_observation_values,
        eq=attrs.cmp_using(eq=_nan_equal),
        hash=False,
    )

    @classmethod
    def from_mapping(
        cls,
        timestamp: dt.datetime,
        entities: Iterable[str],
        values: Mapping[str, npt.ArrayLike],
    ) -> Observation:
        """Build an observation from one 1-D array of shape ``(E,)`` per metric.

        Parameters
        ----------
        timestamp
            When the period was observed (timezone-aware).
        entities
            Entity keys, in the order of every array.
        values
            ``{metric_key: values for each entity}``; the metrics keep the
            mapping's order.

        Raises
        ------
        ValidationError
            If an array does not have shape ``(E,)`` (the message names the
            metric) or holds an infinity.
        """
        entity_keys = _to_key_tuple(entities)
        _check_entities(None, _Named("entities"), entity_keys)
        metrics, stacked = _stack_columns(values, (len(entity_keys),), "(E,)")
        return cls(
            timestamp=timestamp, entities=entity_keys, metrics=metrics, values=stacked
        )

    @property
    def n_entities(self) -> int:
        """Number of entities ``E``."""
        return len(self.entities)

    @property
    def n_metrics(self) -> int:
        """Number of metrics ``M``."""
        return len(self.metrics)

    def metric_index(self, key: str) -> int:
        """Return the position of metric ``key``; ``UnknownKeyError`` if absent."""
        return _find(self.metrics, key, "metric")

    def entity_index(self, key: str) -> int:
        """Return the position of entity ``key``; ``UnknownKeyError`` if absent."""
        return _find(self.entities, key, "entity")

    def metric_values(self, key: str) -> npt.NDArray[np.float64]:
        """Return metric ``key``'s values for every entity (read-only, ``(E,)``)."""
        return self.values[:, self.metric_index(key)]


class _Named:
    """Stand-in attribute so module validators can be called outside attrs."""

    __slots__ = ("alias", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.alias = name


# --- panel ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Panel:
    """KPI observations over time for many entities and metrics (book §3).

    The values form one float64 array of shape ``(T, E, M)``: periods ×
    entities × metrics. NaN marks a missing value. The panel keeps its own
    read-only copy of the array, so it is an immutable value; every query that
    changes the shape (`slice()`, `select()`, `append()`) returns a
    new panel. Equality treats NaN as equal to NaN; the hash covers the
    timestamps, entities and metrics only.

    Attributes
    ----------
    timestamps
        The periods, timezone-aware and strictly increasing (a panel may have
        no period at all: ``T = 0``).
    entities
        Entity keys (SKU, shop, channel, ...): unique, non-blank.
    metrics
        Metric keys, unique and dotted, e.g. ``"sales.gmv"``; see
        `default_metrics()`.
    values
        Read-only, C-contiguous float64 array of shape ``(T, E, M)`` =
        ``(len(timestamps), len(entities), len(metrics))``. Anything array-like
        of real numbers is accepted and copied; infinities are refused.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3)]
    >>> panel = Panel.from_metric_arrays(
    ...     days,
    ...     ["shop_a", "shop_b"],
    ...     {
    ...         "sales.gmv": [[100.0, 80.0], [90.0, float("nan")], [60.0, 85.0]],
    ...         "sales.orders": [[10, 8], [9, 7], [6, 9]],
    ...     },
    ... )
    >>> panel.values.shape
    (3, 2, 2)
    >>> panel.metric_values("sales.gmv")[:, 0].tolist()  # shop_a's GMV
    [100.0, 90.0, 60.0]
    >>> later = panel.slice(start=days[1])
    >>> later.n_periods, later.period(0).metric_values("sales.orders").tolist()
    (2, [9.0, 7.0])
    >>> panel.slice(end=days[1]).append(later) == panel
    True
    """

    timestamps: tuple[dt.datetime, ...] = attrs.field(
        converter=_to_datetime_tuple, validator=_check_timestamps
    )
    entities: tuple[str, ...] = attrs.field(
        converter=_to_key_tuple, validator=_check_entities
    )
    metrics: tuple[str, ...] = attrs.field(
        converter=_to_key_tuple, validator=_check_metrics
    )
    values: npt.NDArray[np.float64] = attrs.field(
        converter=_to_values,
        validator=_check_panel_values,
        eq=attrs.cmp_using(eq=_nan_equal),
        hash=False,
    )
    _entity_positions: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _metric_positions: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Index the entities and metrics by key for constant-time lookup."""
        object.__setattr__(self, "_entity_positions", _index_of(self.entities))
        object.__setattr__(self, "_metric_positions", _index_of(self.metrics))

    # --- named constructors --------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        timestamps: Iterable[dt.datetime],
        entities: Iterable[str],
        metrics: Iterable[str],
        values: npt.ArrayLike,
        *,
        catalog: MetricCatalog | None = None,
    ) -> Panel:
        """Build a panel from a ``(T, E, M)`` array-like.

        Parameters
        ----------
        timestamps
            The periods, timezone-aware and strictly increasing.
        entities
            Entity keys, unique.
        metrics
            Metric keys, unique.
        values
            Array-like of real numbers of shape ``(T, E, M)``; NaN is missing.
        catalog
            If given, every metric key must be in it and every value must lie
            in its metric's range (`Metric.check_values
            <crisisops.monitoring.metrics.Metric.check_values>()`).

        Raises
        ------
        NaiveDatetimeError, ValidationError, InvalidTypeError
            For a bad field; the message names it (and the first bad index).
        UnknownKeyError
            If a metric is not in ``catalog`` (with suggestions).
        """
        panel = cls(
            timestamps=_to_datetime_tuple(timestamps),
            entities=_to_key_tuple(entities),
            metrics=_to_key_tuple(metrics),
            values=values,
        )
        if catalog is not None:
            panel.check_against(catalog)
        return panel

    @classmethod
    def from_metric_arrays(
        cls,
        timestamps: Iterable[dt.datetime],
        entities: Iterable[str],
        values: Mapping[str, npt.ArrayLike],
        *,
        catalog: MetricCatalog | None = None,
    ) -> Panel:
        """Build a panel from one ``(T, E)`` array-like per metric.

        Parameters
        ----------
        timestamps
            The periods, timezone-aware and strictly increasing.
        entities
            Entity keys, unique; the columns of every array.
        values
            ``{metric_key: array of shape (T, E)}``; the metrics keep the
            mapping's order.
        catalog
            As for `from_arrays()`.

        Raises
        ------
        ValidationError
            If an array does not have shape ``(T, E)``; the message names the
            metric.
        """
        stamps = _to_datetime_tuple(timestamps)
        _check_timestamps(None, _Named("timestamps"), stamps)
        entity_keys = _to_key_tuple(entities)
        _check_entities(None, _Named("entities"), entity_keys)
        metrics, stacked = _stack_columns(
            values, (len(stamps), len(entity_keys)), "(T, E)"
        )
        return cls.from_arrays(stamps, entity_keys, metrics, stacked, catalog=catalog)

    @classmethod
    def from_observations(
        cls,
        observations: Iterable[Observation],
        *,
        entities: Iterable[str] | None = None,
        metrics: Iterable[str] | None = None,
    ) -> Panel:
        """Stack observations (in time order) into a panel.

        Every observation must have the same entities and metrics, in the same
        order. ``entities`` and ``metrics`` give the layout when there may be
        no observation at all (the result then has ``T = 0``).

        Raises
        ------
        ValidationError
            If the layouts differ, the timestamps do not increase, or there is
            no observation and no layout was given.
        """
        items = tuple(observations)
        for index, item in enumerate(items):
            if not isinstance(item, Observation):
                raise InvalidTypeError(f"observations[{index}]", item, "an Observation")
        entity_keys = None if entities is None else _to_key_tuple(entities)
        metric_keys = None if metrics is None else _to_key_tuple(metrics)
        if items:
            entity_keys = items[0].entities if entity_keys is None else entity_keys
            metric_keys = items[0].metrics if metric_keys is None else metric_keys
        if entity_keys is None or metric_keys is None:
            raise ValidationError(
                "observations",
                items,
                "at least one observation, or 'entities' and 'metrics' given",
            )
        for index, item in enumerate(items):
            _same_layout(entity_keys, metric_keys, item, f"observations[{index}]")
        values = (
            np.stack([item.values for item in items])
            if items
            else np.empty((0, len(entity_keys), len(metric_keys)))
        )
        return cls(
            timestamps=tuple(item.timestamp for item in items),
            entities=entity_keys,
            metrics=metric_keys,
            values=values,
        )

    @classmethod
    def from_frame(  # noqa: PLR0913  the layout, the keys and the column names
        cls,
        frame: DataFrame,
        *,
        layout: str = "long",
        metric: str | None = None,
        entities: Iterable[str] | None = None,
        metrics: Iterable[str] | None = None,
        catalog: MetricCatalog | None = None,
        time_column: str = "timestamp",
        entity_column: str = "entity",
        metric_column: str = "metric",
        value_column: str = "value",
    ) -> Panel:
        """Build a panel from a long or wide pandas DataFrame (extra ``pandas``).

        Long: one row per observation, timestamps in the ``DatetimeIndex`` or
        a ``"timestamp"`` column, then ``"entity"``, ``"metric"`` and
        ``"value"`` columns. Wide: a ``DatetimeIndex`` and ``(metric,
        entity)`` MultiIndex columns, or plain entity columns and ``metric=``.
        `crisisops.monitoring.frames.panel_from_frame()` documents every
        argument and error; this method calls it.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame(
        ...     {"shop_a": [100.0, 90.0], "shop_b": [80.0, None]},
        ...     index=pd.date_range("2026-03-01", periods=2, tz="UTC"),
        ... )
        >>> panel = Panel.from_frame(frame, layout="wide", metric="sales.gmv")
        >>> panel.values.shape, panel.metric_values("sales.gmv")[:, 1].tolist()
        ((2, 2, 1), [80.0, nan])
        """
        from crisisops.monitoring.frames import panel_from_frame  # noqa: PLC0415

        return panel_from_frame(
            frame,
            layout=layout,
            metric=metric,
            entities=entities,
            metrics=metrics,
            catalog=catalog,
            time_column=time_column,
            entity_column=entity_column,
            metric_column=metric_column,
            value_column=value_column,
        )

    def to_frame(  # noqa: PLR0913  the layout, the zone and the column names
        self,
        *,
        layout: str = "long",
        metric: str | None = None,
        tz: dt.tzinfo | None = None,
        time_column: str = "timestamp",
        entity_column: str = "entity",
        metric_column: str = "metric",
        value_column: str = "value",
    ) -> DataFrame:
        """Write the panel as a long or wide pandas DataFrame (extra ``pandas``).

        ``Panel.from_frame(panel.to_frame(...), ...) == panel`` with the same
        layout and names. `crisisops.monitoring.frames.panel_to_frame()`
        documents every argument and error; this method calls it.

        Examples
        --------
        >>> from datetime import datetime, timezone
        >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2)]
        >>> panel = Panel.from_metric_arrays(
        ...     days, ["shop_a"], {"sales.gmv": [[100.0], [90.0]]}
        ... )
        >>> frame = panel.to_frame()
        >>> frame.columns.tolist(), frame["value"].tolist()
        (['entity', 'metric', 'value'], [100.0, 90.0])
        >>> Panel.from_frame(frame) == panel
        True
        """
        from crisisops.monitoring.frames import panel_to_frame  # noqa: PLC0415

        return panel_to_frame(
            self,
            layout=layout,
            metric=metric,
            tz=tz,
            time_column=time_column,
            entity_column=entity_column,
            metric_column=metric_column,
            value_column=value_column,
        )

    # --- shape and lookup ----------------------------------------------------

    @property
    def n_periods(self) -> int:
        """Number of periods ``T``."""
        return len(self.timestamps)

    @property
    def n_entities(self) -> int:
        """Number of entities ``E``."""
        return len(self.entities)

    @property
    def n_metrics(self) -> int:
        """Number of metrics ``M``."""
        return len(self.metrics)

    def metric_index(self, key: str) -> int:
        """Return the position of metric ``key`` on the last axis.

        Raises
        ------
        UnknownKeyError
            If the panel has no such metric (with suggestions).
        """
        return _lookup(self._metric_positions, key, "metric", self.metrics)

    def entity_index(self, key: str) -> int:
        """Return the position of entity ``key`` on the middle axis.

        Raises
        ------
        UnknownKeyError
            If the panel has no such entity (with suggestions).
        """
        return _lookup(self._entity_positions, key, "entity", self.entities)

    def index_at(self, timestamp: dt.datetime) -> int:
        """Return the period whose timestamp equals ``timestamp`` (same instant).

        Raises
        ------
        UnknownKeyError
            If no period has that timestamp; the neighbouring timestamps are
            suggested.
        """
        check_aware(timestamp, "timestamp")
        position = bisect.bisect_left(self.timestamps, timestamp)
        if position < self.n_periods and self.timestamps[position] == timestamp:
            return position
        neighbours = self.timestamps[max(position - 1, 0) : position + 1]
        raise UnknownKeyError(
            "timestamp",
            timestamp.isoformat(),
            [stamp.isoformat() for stamp in neighbours],
        )

    def metric_values(self, key: str) -> npt.NDArray[np.float64]:
        """Return the values of metric ``key`` as a read-only ``(T, E)`` view."""
        return self.values[:, :, self.metric_index(key)]

    # --- periods -------------------------------------------------------------

    def period(self, index: int) -> Observation:
        """Return period ``index`` as an `Observation` (negatives count back).

        Raises
        ------
        ValidationError
            If ``index`` is outside ``[-T, T - 1]``.
        """
        position = _position(index, self.n_periods)
        return _trusted_observation(
            self.timestamps[position],
            self.entities,
            self.metrics,
            self.values[position],
        )

    def observations(self) -> Iterator[Observation]:
        """Yield every period as an `Observation`, in time order."""
        for position in range(self.n_periods):
            yield self.period(position)

    # --- new panels ----------------------------------------------------------

    def slice(
        self, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> Panel:
        """Return the periods with ``start <= timestamp < end`` (half-open).

        ``None`` leaves that side open. The result may have no period.

        Raises
        ------
        ValidationError
            If ``end`` is earlier than ``start``.
        """
        low = 0
        high = self.n_periods
        if start is not None:
            check_aware(start, "start")
            low = bisect.bisect_left(self.timestamps, start)
        if end is not None:
            check_aware(end, "end")
            high = bisect.bisect_left(self.timestamps, end)
        if start is not None and end is not None and end < start:
            raise ValidationError(
                "end", end, f"at or after 'start' ({start.isoformat()})"
            )
        return _trusted_panel(
            self.timestamps[low:high],
            self.entities,
            self.metrics,
            self.values[low:high],
            self,
        )

    def select(
        self,
        entities: Sequence[str] | None = None,
        metrics: Sequence[str] | None = None,
    ) -> Panel:
        """Return a panel of the given entities and metrics, in the given order.

        ``None`` keeps all of them.

        Raises
        ------
        UnknownKeyError
            If a key is not in the panel.
        ValidationError
            If a key is given twice.
        """
        entity_keys = self.entities if entities is None else _to_key_tuple(entities)
        metric_keys = self.metrics if metrics is None else _to_key_tuple(metrics)
        _check_entities(None, _Named("entities"), entity_keys)
        _check_metrics(None, _Named("metrics"), metric_keys)
        rows = [self.entity_index(key) for key in entity_keys]
        columns = [self.metric_index(key) for key in metric_keys]
        values = self.values[:, rows][:, :, columns]
        return _trusted_panel(
            self.timestamps, entity_keys, metric_keys, _read_only(values), self
        )

    def append(self, other: Panel | Observation) -> Panel:
        """Return a new panel with ``other``'s periods after this panel's.

        Parameters
        ----------
        other
            A panel or one observation with exactly the same entities and
            metrics, in the same order, whose first timestamp is later than
            this panel's last.

        Raises
        ------
        ValidationError
            If the entities or metrics differ, or the timestamps would not
            keep increasing.
        """
        if isinstance(other, Observation):
            stamps: tuple[dt.datetime, ...] = (other.timestamp,)
            values = other.values[np.newaxis]
        elif isinstance(other, Panel):
            stamps = other.timestamps
            values = other.values
        else:
            raise InvalidTypeError("other", other, "a Panel or an Observation")
        _same_layout(self.entities, self.metrics, other, "other")
        if stamps and self.timestamps and stamps[0] <= self.timestamps[-1]:
            raise ValidationError(
                "other.timestamps[0]",
                stamps[0],
                f"later than the panel's last timestamp "
                f"({self.timestamps[-1].isoformat()})",
            )
        if not stamps:
            return self
        return _trusted_panel(
            self.timestamps + stamps,
            self.entities,
            self.metrics,
            _read_only(np.concatenate([self.values, values])),
            self,
        )

    def check_against(self, catalog: MetricCatalog) -> None:
        """Check every metric key against ``catalog`` and the values against ranges.

        Raises
        ------
        UnknownKeyError
            If a metric is not in the catalog (with suggestions).
        ValidationError
            If a value lies outside its metric's range; the message names the
            metric, the value and its ``(period, entity)`` index.
        """
        if not isinstance(catalog, MetricCatalog):
            raise InvalidTypeError("catalog", catalog, "a MetricCatalog")
        definitions = [catalog[key] for key in self.metrics]
        for position, definition in enumerate(definitions):
            definition.check_values(self.values[:, :, position])


def _same_layout(
    entities: tuple[str, ...],
    metrics: tuple[str, ...],
    other: Panel | Observation,
    name: str,
) -> None:
    if other.entities != entities:
        raise ValidationError(
            f"{name}.entities",
            other.entities,
            f"the same entities in the same order {entities}",
        )
    if other.metrics != metrics:
        raise ValidationError(
            f"{name}.metrics",
            other.metrics,
            f"the same metrics in the same order {metrics}",
        )
