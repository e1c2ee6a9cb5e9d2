"""KPI panels and alerts as pandas DataFrames (optional extra ``pandas``).

Book §3 asks for the key indicators to be collected and analysed with the
tools of data analysis (數據收集與分析: 運用專業的數據分析工具進行深入分析) and
for trigger points to come from history (通過對歷史數據、行業數據等進行深入分析,
確定關鍵指標的合理范圍). A shop's history usually lives in a table: one row
per day, shop and indicator, exported from a data warehouse or a spreadsheet.
This module moves such tables into a `Panel` and the alerts back out as
tables, losslessly. pandas is imported on first use, never at
``import crisisops.monitoring``; without it the functions raise
`crisisops.errors.MissingExtraError` naming ``pip install 'crisisops[pandas]'``.

Two layouts (Wickham 2014, "Tidy Data", calls the first one tidy):

* **long** – one row per observation. The timestamp is the
  ``DatetimeIndex`` or a ``"timestamp"`` column; then an ``"entity"``
  column, a ``"metric"`` column and a ``"value"`` column. Every name can be
  changed by keyword (``time_column=``, ``entity_column=``,
  ``metric_column=``, ``value_column=``); other columns are ignored. With
  ``metric="sales.gmv"`` the frame has no metric column and holds that one
  metric. `panel_to_frame` writes every ``(period, entity, metric)`` cell,
  missing ones as NaN, in panel order, with the timestamps as the index.
* **wide** – one row per period (the ``DatetimeIndex``), one column per
  ``(metric, entity)`` pair: a two-level ``MultiIndex`` whose levels are
  named ``"metric"`` and ``"entity"`` (level names that match the column
  names are used in any order, unnamed levels are taken as metric then
  entity). With ``metric="sales.gmv"`` the columns are plain entity keys.

Rules both ways, the same as for any `Panel`:

* timestamps are timezone-aware; a naive index or column raises
  `crisisops.errors.NaiveDatetimeError` naming it. The time zone is kept
  (UTC, a fixed offset such as +08:00, or a zone with daylight saving time
  from `zoneinfo`); a `DatetimeIndex` holds one zone, so a panel whose
  timestamps mix zones needs ``tz=`` to be converted. Timestamps carry whole
  microseconds (Python's precision). A panel's periods are sorted by time,
  whatever the order of the rows.
* NaN (or ``pandas.NA``, or a missing row) is a missing value; infinities,
  booleans, text and other non-numbers raise, naming the row.
* a repeated ``(timestamp, entity, metric)`` raises
  `crisisops.errors.DuplicateKeyError`; a metric key that is not a dotted
  key, or is not in ``catalog`` (or ``metrics``) when one is given, raises.
* entities and metrics keep the order of their first appearance (or the
  order of ``entities=`` and ``metrics=``, which may also name keys without
  any row).

``panel_from_frame(panel_to_frame(p, ...), ...) == p`` for every panel with
at least one period, entity and metric (and in one time zone), and a frame
in the form `panel_to_frame` writes comes back equal
(``pandas.testing.assert_frame_equal``). `alerts_frame` turns alerts into
one row each, with their `Evidence` flattened into columns.

Examples
--------
>>> import pandas as pd
>>> from crisisops.monitoring.frames import panel_from_frame, panel_to_frame
>>> frame = pd.DataFrame(
...     {
...         "timestamp": pd.to_datetime(
...             ["2026-03-01", "2026-03-01", "2026-03-02", "2026-03-02"]
...         ).tz_localize("Asia/Taipei"),
...         "entity": ["shop_a", "shop_b", "shop_a", "shop_b"],
...         "metric": ["sales.gmv"] * 4,
...         "value": [1000.0, 80.0, 940.0, None],
...     }
... )
>>> panel = panel_from_frame(frame)
>>> panel.values.shape, panel.entities, panel.metrics
((2, 2, 1), ('shop_a', 'shop_b'), ('sales.gmv',))
>>> panel.metric_values("sales.gmv").tolist()
[[1000.0, 80.0], [940.0, nan]]
>>> panel.timestamps[0].isoformat()
'2026-03-01T00:00:00+08:00'
>>> wide = panel_to_frame(panel, layout="wide", metric="sales.gmv")
>>> wide.columns.tolist(), wide["shop_a"].tolist()
(['shop_a', 'shop_b'], [1000.0, 940.0])
>>> panel_from_frame(wide, layout="wide", metric="sales.gmv") == panel
True

References
----------
Wickham, Hadley. 2014. "Tidy Data." *Journal of Statistical Software* 59
(10): 1-23. <https://doi.org/10.18637/jss.v059.i10>.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from crisisops._frames import (
    NAT,
    check_tz,
    level_dtype,
    one_zone,
    utc_index,
    utc_micros,
)
from crisisops._optional import require
from crisisops._validation import check_key, check_str
from crisisops.errors import (
    CrisisOpsError,
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring.metrics import MetricCatalog
from crisisops.monitoring.monitor import Alert
from crisisops.monitoring.panel import Panel

if TYPE_CHECKING:
    from typing import TypeAlias

    import pandas as pd

    #: ``pandas.DataFrame``, for annotations (pandas is imported lazily).
    DataFrame: TypeAlias = pd.DataFrame

__all__ = ["alerts_frame", "panel_from_frame", "panel_to_frame"]

#: The two table layouts: one row per observation, or one row per period.
LAYOUTS: tuple[str, ...] = ("long", "wide")

#: The columns of `alerts_frame`, in order.
ALERT_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "rule",
    "entity",
    "episode",
    "crisis_type",
    "level",
    "fired_level",
    "peak_level",
    "first_breach_at",
    "fired_at",
    "resolved_at",
    "observed",
    "signal",
    "baseline",
    "bound",
    "run_length",
    "threshold_version",
    "n_level_changes",
)

_REAL = "a real number (int or float; NaN marks a missing value)"

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


# --- shared helpers ---------------------------------------------------------


def _pandas(feature: str) -> ModuleType:
    return require("pandas", extra="pandas", feature=feature)


def _check_layout(layout: object) -> str:
    if not isinstance(layout, str):
        raise InvalidTypeError("layout", layout, "'long' or 'wide'")
    if layout not in LAYOUTS:
        raise UnknownKeyError("layout", layout, LAYOUTS)
    return layout


def _check_columns(**names: object) -> tuple[str, ...]:
    """Check that the column names are distinct, non-blank strings."""
    seen: dict[str, str] = {}
    for argument, name in names.items():
        text = check_str(name, argument)
        if text in seen:
            raise ValidationError(
                argument, name, f"a column name different from {seen[text]!r}"
            )
        seen[text] = argument
    return tuple(seen)


def _datetime_index(
    pd: ModuleType,
    stamps: Sequence[dt.datetime | None],
    field: Callable[[int], str],
    tz: dt.tzinfo | None,
) -> Any:  # noqa: ANN401  a pandas DatetimeIndex
    """Return aware datetimes (``None`` → NaT) as a microsecond ``DatetimeIndex``.

    The stamps keep their time zone, which they must share, unless ``tz``
    converts them all to one (same instants). Kept stamps must come back as
    they were, so a wall-clock time that a daylight-saving change skipped is
    refused.
    """
    zone = one_zone(stamps, field) if tz is None else tz
    micros = utc_micros(stamps)
    index = utc_index(pd, micros, zone, "tz" if tz is not None else field(0))
    if tz is None:  # the wall-clock times must come back as they were
        present = micros != NAT
        given = np.array(stamps, dtype=object)[present]
        back = index.to_pydatetime()[present]
        moved = np.asarray(back != given, dtype=bool)
        if moved.any():
            position = int(np.flatnonzero(present)[_first(moved)])
            raise ValidationError(
                field(position),
                stamps[position],
                "a wall-clock time that exists in its zone (the hour skipped "
                "when daylight saving time starts does not)",
            )
    return index


# --- reading a frame ----------------------------------------------------------


def _first(mask: npt.NDArray[np.bool_]) -> int:
    """Return the position of the first ``True`` in ``mask``."""
    return int(np.argmax(mask))


def _is_real_dtype(pd: ModuleType, dtype: object) -> bool:
    types = pd.api.types
    return bool(
        types.is_numeric_dtype(dtype)
        and not types.is_bool_dtype(dtype)
        and not types.is_complex_dtype(dtype)
    )


def _is_real(item: object) -> bool:
    return isinstance(item, (int, float, np.integer, np.floating)) and not isinstance(
        item, (bool, np.bool_)
    )


def _fits(item: object) -> bool:
    """Return whether ``item`` converts to a float."""
    try:
        float(item)  # type: ignore[arg-type]
    except OverflowError:
        return False
    return True


def _numbers(
    pd: ModuleType,
    column: Any,  # noqa: ANN401  a pandas Series
    where: Callable[[int], str],
) -> FloatArray:
    """Return a column of real numbers as float64 (missing → NaN), or name a bad one."""
    if _is_real_dtype(pd, column.dtype):
        values: FloatArray = column.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        kind = pd.api.types.infer_dtype(column, skipna=True)
        missing = column.isna().to_numpy()
        if kind not in {"integer", "floating", "mixed-integer-float", "empty"}:
            # Only on the way to an error: find the first item that is no number.
            bad = np.fromiter(
                (not _is_real(item) for item in column.to_numpy(dtype=object)),
                dtype=bool,
                count=len(column),
            )
            bad &= ~missing
            row = _first(bad) if bad.any() else _first(~missing)
            raise InvalidTypeError(where(row), column.iloc[row], _REAL)
        items = column.to_numpy(dtype=object, na_value=np.nan)
        try:
            values = np.where(missing, np.nan, items).astype(np.float64)
        except OverflowError:  # an int too large for a float, e.g. 10**400
            row = _first(
                np.fromiter((not _fits(item) for item in items), bool, len(items))
            )
            raise ValidationError(
                where(row), items[row], "a number a float can hold"
            ) from None
    infinite = np.isinf(values)
    if infinite.any():
        row = _first(infinite)
        raise ValidationError(
            where(row),
            float(values[row]),
            "a finite number or NaN (missing); infinity is not a KPI value",
        )
    return values


def _given_keys(
    given: Iterable[str], name: str, kind: str, check: Callable[[object, str], object]
) -> tuple[str, ...]:
    if isinstance(given, str) or not isinstance(given, Iterable):
        raise InvalidTypeError(name, given, f"a sequence of {kind} keys (str)")
    keys = tuple(given)
    seen: set[str] = set()
    for position, key in enumerate(keys):
        check(key, f"{name}[{position}]")
        if key in seen:
            raise DuplicateKeyError(kind, key)
        seen.add(key)
    return keys


def _check_metric_key(key: object, field: str) -> object:
    return check_key(key, field)


def _check_entity_key(key: object, field: str) -> object:
    return check_str(key, field)


def _an(kind: str) -> str:
    """Return ``kind`` with its indefinite article: "an entity", "a metric"."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _passes(check: Callable[[object, str], object], key: str) -> bool:
    """Return whether ``check`` accepts ``key``."""
    try:
        check(key, "key")
    except CrisisOpsError:
        return False
    return True


def _key_codes(  # noqa: PLR0913, PLR0917  the labels, where they are, how to check
    pd: ModuleType,
    labels: Any,  # noqa: ANN401  a pandas Series or Index of keys
    where: Callable[[int], str],
    kind: str,
    check: Callable[[object, str], object],
    order: tuple[str, ...] | None,
) -> tuple[IntArray, tuple[str, ...]]:
    """Return each label's position among the keys, and the keys.

    The keys are ``order`` if given (every label must be one of them), else
    the distinct labels in order of first appearance.
    """
    missing = np.asarray(pd.isna(labels), dtype=bool)
    if missing.any():
        row = _first(missing)
        raise ValidationError(where(row), None, f"{_an(kind)} key (not missing)")
    if pd.api.types.infer_dtype(labels, skipna=False) not in {"string", "empty"}:
        text = np.fromiter(
            (isinstance(item, str) for item in labels), dtype=bool, count=len(labels)
        )
        row = _first(~text)
        raise InvalidTypeError(
            where(row),
            labels[row] if isinstance(labels, pd.Index) else labels.iloc[row],
            f"{_an(kind)} key (str); convert the labels first, e.g. .astype(str)",
        )
    codes, uniques = pd.factorize(labels, sort=False)
    keys = tuple(str(key) for key in uniques)
    if order is None:
        plain = kind == "entity" and all(map(str.strip, keys))
        for position, key in enumerate(() if plain else keys):
            if not _passes(check, key):  # check again, naming its first row
                check(key, where(_first(codes == position)))
        return np.asarray(codes, dtype=np.intp), keys
    positions = np.asarray(pd.Index(order).get_indexer(list(keys)), dtype=np.intp)
    if (positions < 0).any():
        unknown = _first(positions < 0)
        raise UnknownKeyError(kind, keys[unknown], order)
    return positions[codes], order


def _times(
    pd: ModuleType,
    frame: Any,  # noqa: ANN401  a pandas DataFrame
    time_column: str,
    *,
    allow_column: bool,
) -> tuple[str, Any]:
    """Return the name of the time field (for messages) and its ``DatetimeIndex``."""
    if allow_column and time_column in frame.columns:
        field = f"frame[{time_column!r}]"
        column = frame[time_column]
        if not pd.api.types.is_datetime64_any_dtype(column.dtype):
            raise InvalidTypeError(
                field,
                column.iloc[0] if len(column) else column.dtype,
                "timezone-aware datetimes (a datetime64 column with a time zone; "
                "parse text with pandas.to_datetime and add the zone with "
                ".dt.tz_localize or utc=True)",
            )
        times = pd.DatetimeIndex(column)
    else:
        field = "frame.index"
        if not isinstance(frame.index, pd.DatetimeIndex):
            expected = "a timezone-aware DatetimeIndex"
            if allow_column:
                expected += f", or a {time_column!r} column of aware datetimes"
            raise InvalidTypeError(field, frame.index, expected)
        times = frame.index
    if times.tz is None:
        raise NaiveDatetimeError(field, times[0] if len(times) else times.dtype)
    return field, times


def _periods(
    pd: ModuleType,
    times: Any,  # noqa: ANN401  a pandas DatetimeIndex
    field: str,
    where: Callable[[int], str],
) -> tuple[IntArray, tuple[dt.datetime, ...]]:
    """Return each row's period and the periods: sorted, distinct, as datetimes."""
    codes, uniques = pd.factorize(times, sort=True)
    codes = np.asarray(codes, dtype=np.intp)
    if (codes < 0).any():
        row = _first(codes < 0)
        raise ValidationError(where(row), "NaT", "a timestamp (NaT is none)")
    fractions = np.asarray(uniques.nanosecond) != 0
    if fractions.any():
        row = _first(codes == _first(fractions))
        raise ValidationError(
            where(row),
            str(times[row]),
            "a timestamp in whole microseconds (Python datetimes hold no "
            "nanoseconds); round it first, e.g. .dt.floor('us')",
        )
    stamps = uniques.to_pydatetime()
    # Python compares two datetimes of one zone by their wall-clock time, so
    # the hour repeated when daylight saving time ends reads as no later.
    later = np.asarray(stamps[1:] > stamps[:-1], dtype=bool)
    if not later.all():
        period = _first(~later) + 1
        raise ValidationError(
            field,
            stamps[period].isoformat(),
            f"timestamps a Python datetime can order; "
            f"{stamps[period - 1].isoformat()} and {stamps[period].isoformat()} "
            f"show the same wall-clock time in {uniques.tz}, the hour repeated "
            "when daylight saving time ends: convert to UTC first, e.g. "
            "frame.tz_convert('UTC')",
        )
    return codes, tuple(stamps)


def _check_long_columns(
    frame: Any,  # noqa: ANN401  a pandas DataFrame
    columns: tuple[str, ...],
    metric: str | None,
) -> None:
    """Check that the long frame has each column it needs, once."""
    time_column, entity_column, metric_column, value_column = columns
    needed = [entity_column, value_column]
    if metric is None:
        needed.insert(1, metric_column)
    elif metric_column in frame.columns:
        raise ValidationError(
            "metric",
            metric,
            f"None for a frame with a {metric_column!r} column (the metric of "
            "each row); filter the rows and drop that column to read one metric",
        )
    repeated = set(frame.columns[frame.columns.duplicated()])
    for name in (time_column, *needed):
        if name in repeated:
            raise DuplicateKeyError("column", name)
    for name in needed:
        if name not in frame.columns:
            raise UnknownKeyError("column", name, [str(c) for c in frame.columns])


def _rows_of(field: str) -> Callable[[int], str]:
    """Name a row of a column (``frame['value'].iloc[3]``) or index (``[3]``)."""
    if field.endswith("]"):
        return lambda row: f"{field}.iloc[{row}]"
    return lambda row: f"{field}[{row}]"


def _from_long(  # noqa: PLR0913, PLR0917  the frame's columns, by role
    pd: ModuleType,
    frame: Any,  # noqa: ANN401  a pandas DataFrame
    columns: tuple[str, ...],
    metric: str | None,
    entities: tuple[str, ...] | None,
    metrics: tuple[str, ...] | None,
) -> tuple[tuple[dt.datetime, ...], tuple[str, ...], tuple[str, ...], FloatArray]:
    """Read a long frame into the parts of a panel."""
    time_column, entity_column, metric_column, value_column = columns
    _check_long_columns(frame, columns, metric)
    field, times = _times(pd, frame, time_column, allow_column=True)
    entity_field = f"frame[{entity_column!r}]"
    entity_of, entity_keys = _key_codes(
        pd,
        frame[entity_column],
        _rows_of(entity_field),
        "entity",
        _check_entity_key,
        entities,
    )
    if metric is None:
        metric_of, metric_keys = _key_codes(
            pd,
            frame[metric_column],
            _rows_of(f"frame[{metric_column!r}]"),
            "metric",
            _check_metric_key,
            metrics,
        )
    else:
        metric_of, metric_keys = np.zeros(len(frame), dtype=np.intp), (metric,)
    data = _numbers(pd, frame[value_column], _rows_of(f"frame[{value_column!r}]"))
    period_of, stamps = _periods(pd, times, field, _rows_of(field))
    shape = (len(stamps), len(entity_keys), len(metric_keys))
    cell = (period_of * shape[1] + entity_of) * shape[2] + metric_of
    repeated = np.asarray(pd.Index(cell).duplicated(keep="first"), dtype=bool)
    if repeated.any():
        row = _first(repeated)
        raise DuplicateKeyError(
            "observation (timestamp, entity, metric)",
            (
                stamps[period_of[row]].isoformat(),
                entity_keys[entity_of[row]],
                metric_keys[metric_of[row]],
            ),
        )
    values = np.full(shape[0] * shape[1] * shape[2], np.nan)
    values[cell] = data
    return stamps, entity_keys, metric_keys, values.reshape(shape)


def _wide_columns(
    pd: ModuleType,
    columns: Any,  # noqa: ANN401  a pandas Index or MultiIndex
    names: tuple[str, str],
    metric: str | None,
) -> tuple[Any, Any, str, str]:
    """Return the metric labels (or None), entity labels and their field names."""
    metric_column, entity_column = names
    if metric is not None:
        if isinstance(columns, pd.MultiIndex):
            raise ValidationError(
                "metric",
                metric,
                "None for a frame with (metric, entity) MultiIndex columns; "
                "to read one metric select it first: frame[metric]",
            )
        return None, columns, "", "frame.columns"
    if not isinstance(columns, pd.MultiIndex) or columns.nlevels != 2:
        raise ValidationError(
            "frame.columns",
            list(columns[:3]),
            "a two-level (metric, entity) MultiIndex, or plain entity columns "
            "with metric= naming the one metric they hold",
        )
    level_names = list(columns.names)
    metric_level = 0
    if set(level_names) == {metric_column, entity_column}:
        metric_level = level_names.index(metric_column)
    entity_level = 1 - metric_level
    return (
        columns.get_level_values(metric_level),
        columns.get_level_values(entity_level),
        f"frame.columns.get_level_values({metric_level})",
        f"frame.columns.get_level_values({entity_level})",
    )


def _wide_values(pd: ModuleType, frame: Any) -> FloatArray:  # noqa: ANN401
    """Return a wide frame's values as float64 (missing → NaN), or name a bad one."""
    if all(_is_real_dtype(pd, dtype) for dtype in frame.dtypes):
        data: FloatArray = frame.to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.isinf(data).any():
            return data
    # A column is not numeric or holds an infinity: read column by column to
    # name the first bad value.
    columns = [
        _numbers(pd, frame.iloc[:, position], _rows_of(f"frame[{label!r}]"))
        for position, label in enumerate(frame.columns)
    ]
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def _from_wide(  # noqa: PLR0913, PLR0917  the frame's columns, by role
    pd: ModuleType,
    frame: Any,  # noqa: ANN401  a pandas DataFrame
    columns: tuple[str, ...],
    metric: str | None,
    entities: tuple[str, ...] | None,
    metrics: tuple[str, ...] | None,
) -> tuple[tuple[dt.datetime, ...], tuple[str, ...], tuple[str, ...], FloatArray]:
    time_column, entity_column, metric_column, _ = columns
    metric_labels, entity_labels, metric_field, entity_field = _wide_columns(
        pd, frame.columns, (metric_column, entity_column), metric
    )
    repeated = np.asarray(frame.columns.duplicated(), dtype=bool)
    if repeated.any():
        raise DuplicateKeyError("column", frame.columns[_first(repeated)])
    entity_of, entity_keys = _key_codes(
        pd,
        entity_labels,
        _rows_of(entity_field),
        "entity",
        _check_entity_key,
        entities,
    )
    if metric_labels is None:
        metric_of = np.zeros(len(frame.columns), dtype=np.intp)
        metric_keys: tuple[str, ...] = (str(metric),)
    else:
        metric_of, metric_keys = _key_codes(
            pd,
            metric_labels,
            _rows_of(metric_field),
            "metric",
            _check_metric_key,
            metrics,
        )
    field, times = _times(pd, frame, time_column, allow_column=False)
    repeated = np.asarray(times.duplicated(), dtype=bool)
    if repeated.any():
        raise DuplicateKeyError(
            f"timestamp (row of {field})", times[_first(repeated)].isoformat()
        )
    period_of, stamps = _periods(pd, times, field, _rows_of(field))
    data = _wide_values(pd, frame)
    values = np.full((len(stamps), len(entity_keys), len(metric_keys)), np.nan)
    values[period_of[:, np.newaxis], entity_of, metric_of] = data
    return stamps, entity_keys, metric_keys, values


def panel_from_frame(  # noqa: PLR0913  the layout, the keys and the column names
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
    """Build a `Panel` from a long or wide pandas DataFrame (see the module).

    Parameters
    ----------
    frame
        The table. Long: one row per observation, with the timestamps in a
        ``time_column`` column or the ``DatetimeIndex``, and ``entity_column``,
        ``metric_column`` (unless ``metric`` is given) and ``value_column``
        columns; other columns are ignored. Wide: a ``DatetimeIndex`` and
        ``(metric, entity)`` MultiIndex columns, or plain entity columns
        with ``metric``.
    layout
        ``"long"`` (the default) or ``"wide"``.
    metric
        The one metric key of a frame without a metric column (long) or with
        plain entity columns (wide).
    entities, metrics
        The panel's entity and metric keys in the order wanted; every key of
        the frame must be among them, and a key without any row gives a
        column of NaN. By default the keys found, in order of first
        appearance.
    catalog
        If given, every metric key must be in it and every value in its
        metric's range (as `Panel.from_arrays`).
    time_column, entity_column, metric_column, value_column
        The column names (long layout); ``entity_column`` and
        ``metric_column`` are also the names that identify the levels of
        wide MultiIndex columns.

    Returns
    -------
    Panel
        Periods sorted by time, distinct; missing cells NaN.

    Raises
    ------
    MissingExtraError
        If pandas is not installed.
    InvalidTypeError
        If ``frame`` is not a DataFrame, the timestamps are not datetimes, a
        key is not text or a value is not a real number (naming the row).
    NaiveDatetimeError
        If the timestamps have no time zone.
    UnknownKeyError
        For a missing column, an unknown ``layout``, or a key outside
        ``entities``, ``metrics`` or ``catalog``.
    DuplicateKeyError
        For a repeated ``(timestamp, entity, metric)``, column or key.
    ValidationError
        For a badly formed metric key, an infinite value, a missing
        timestamp or key, nanoseconds, or a value outside its metric's range.
    """
    pd = _pandas("panel_from_frame")
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError("frame", frame, "a pandas DataFrame")
    chosen = _check_layout(layout)
    columns = _check_columns(
        time_column=time_column,
        entity_column=entity_column,
        metric_column=metric_column,
        value_column=value_column,
    )
    if metric is not None:
        check_key(metric, "metric")
        if metrics is not None:
            raise ValidationError(
                "metrics", metrics, "None when 'metric' names the frame's one metric"
            )
    entity_order = (
        None
        if entities is None
        else _given_keys(entities, "entities", "entity", _check_entity_key)
    )
    metric_order = (
        None
        if metrics is None
        else _given_keys(metrics, "metrics", "metric", _check_metric_key)
    )
    if catalog is not None and not isinstance(catalog, MetricCatalog):
        raise InvalidTypeError("catalog", catalog, "a MetricCatalog (or None)")
    read = _from_long if chosen == "long" else _from_wide
    stamps, entity_keys, metric_keys, values = read(
        pd, frame, columns, metric, entity_order, metric_order
    )
    return Panel.from_arrays(stamps, entity_keys, metric_keys, values, catalog=catalog)


# --- writing a frame ----------------------------------------------------------


def panel_to_frame(  # noqa: PLR0913  the layout, the zone and the column names
    panel: Panel,
    *,
    layout: str = "long",
    metric: str | None = None,
    tz: dt.tzinfo | None = None,
    time_column: str = "timestamp",
    entity_column: str = "entity",
    metric_column: str = "metric",
    value_column: str = "value",
) -> DataFrame:
    """Write a `Panel` as a long or wide pandas DataFrame (see the module).

    Parameters
    ----------
    panel
        The panel.
    layout
        ``"long"`` (the default): a ``DatetimeIndex`` named ``time_column``
        repeated for every ``(entity, metric)`` cell of a period, and the
        columns ``entity_column``, ``metric_column`` and ``value_column``,
        ``T × E × M`` rows in panel order (missing values as NaN). ``"wide"``:
        one row per period and ``(metric, entity)`` MultiIndex columns whose
        levels are named ``metric_column`` and ``entity_column``.
    metric
        Write only this metric: the long frame then has no metric column and
        the wide frame plain entity columns (named ``entity_column``).
    tz
        Convert the timestamps to this time zone (same instants). By default
        they keep theirs, which must then be one zone for all of them.
    time_column, entity_column, metric_column, value_column
        The names to write.

    Returns
    -------
    pandas.DataFrame
        A new frame (its arrays are copies; changing it leaves the panel as
        it is), with microsecond timestamps.

    Raises
    ------
    MissingExtraError
        If pandas is not installed.
    InvalidTypeError
        If ``panel`` is not a Panel or ``tz`` not a ``datetime.tzinfo``.
    UnknownKeyError
        For an unknown ``layout`` or ``metric``.
    ValidationError
        If the timestamps mix time zones and no ``tz`` is given, or the
        column names repeat.
    """
    pd = _pandas("panel_to_frame")
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a Panel")
    chosen = _check_layout(layout)
    _check_columns(
        time_column=time_column,
        entity_column=entity_column,
        metric_column=metric_column,
        value_column=value_column,
    )
    zone = check_tz(tz)
    selected = None if metric is None else panel.metric_index(metric)
    array = panel.values  # noqa: PD011  the panel's numpy array, not pandas
    periods, n_entities, n_metrics = array.shape
    times = _datetime_index(
        pd, panel.timestamps, lambda position: f"panel.timestamps[{position}]", zone
    ).rename(time_column)
    entities = np.array(panel.entities, dtype=object)
    metrics = np.array(panel.metrics, dtype=object)
    if chosen == "wide":
        if selected is None:
            data = array.transpose(0, 2, 1).reshape(periods, n_metrics * n_entities)
            columns = pd.MultiIndex.from_arrays(
                [np.repeat(metrics, n_entities), np.tile(entities, n_metrics)],
                names=[metric_column, entity_column],
            )
        else:
            data = array[:, :, selected]
            columns = pd.Index(entities, name=entity_column)
        return pd.DataFrame(
            np.array(data, dtype=np.float64), index=times, columns=columns
        )
    per_period = n_entities * (n_metrics if selected is None else 1)
    table: dict[str, Any] = {}
    if selected is None:
        table[entity_column] = np.tile(np.repeat(entities, n_metrics), periods)
        table[metric_column] = np.tile(metrics, periods * n_entities)
        values = array.reshape(-1)
    else:
        table[entity_column] = np.tile(entities, periods)
        values = array[:, :, selected].reshape(-1)
    table[value_column] = np.array(values, dtype=np.float64)
    index = times.repeat(per_period).rename(time_column)
    return pd.DataFrame(table, index=index)


# --- alerts -------------------------------------------------------------------


def alerts_frame(alerts: Iterable[Alert], *, tz: dt.tzinfo | None = None) -> DataFrame:
    """Return one row per alert, with its evidence flattened into columns.

    The columns, in order (`ALERT_COLUMNS`): ``id`` (``rule/entity/episode``),
    ``kind`` (``"breach"`` or ``"no_data"``), ``rule``, ``entity``,
    ``episode``, ``crisis_type``; ``level``, ``fired_level`` and
    ``peak_level`` as their value strings ``"I"`` … ``"IV"`` in an ordered
    categorical, least severe first (so ``frame["level"].max()`` is the most
    severe; missing for no-data alerts); ``first_breach_at``, ``fired_at``
    and ``resolved_at`` (NaT while firing) as timezone-aware datetimes, all
    in the time zone of the ``fired_at`` times (the monitored panel's zone);
    the `Evidence` that fired the alert: ``observed``, ``signal``,
    ``baseline``, ``bound`` (NaN where not applicable), ``run_length`` and
    ``threshold_version`` (missing if none); and ``n_level_changes``, the
    number of later level changes (their detail stays on the `Alert`).

    Parameters
    ----------
    alerts
        The alerts, e.g. ``evaluation.alerts``; one row each, in this order.
    tz
        Show every time in this zone instead (same instants). Needed when
        the ``fired_at`` times are in several zones.

    Raises
    ------
    MissingExtraError
        If pandas is not installed.
    InvalidTypeError
        If ``alerts`` is not an iterable of `Alert` (naming the first item
        that is not one) or ``tz`` not a ``datetime.tzinfo``.
    ValidationError
        If the ``fired_at`` times mix time zones and no ``tz`` is given.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Alert, AlertKind, Evidence
    >>> from crisisops.taxonomy import ResponseLevel
    >>> day = datetime(2026, 3, 8, tzinfo=timezone.utc)
    >>> alert = Alert(
    ...     kind=AlertKind.BREACH,
    ...     rule="sales_crisis",
    ...     entity="sku-tea",
    ...     episode=1,
    ...     crisis_type="market.demand_shift",
    ...     level=ResponseLevel.IV,
    ...     fired_level=ResponseLevel.IV,
    ...     peak_level=ResponseLevel.IV,
    ...     first_breach_at=day,
    ...     fired_at=day,
    ...     evidence=Evidence(
    ...         observed=790.0, signal=-0.1, baseline=880.0, bound=-0.05, run_length=3
    ...     ),
    ... )
    >>> frame = alerts_frame([alert])
    >>> row = frame.to_dict("records")[0]
    >>> row["id"], row["level"], row["signal"], row["run_length"]
    ('sales_crisis/sku-tea/1', 'IV', -0.1, 3)
    >>> row["fired_at"].isoformat(), row["resolved_at"]
    ('2026-03-08T00:00:00+00:00', NaT)
    """
    pd = _pandas("alerts_frame")
    if isinstance(alerts, Alert) or not isinstance(alerts, Iterable):
        raise InvalidTypeError(
            "alerts", alerts, "an iterable of Alert (e.g. evaluation.alerts)"
        )
    items = tuple(alerts)
    for position, item in enumerate(items):
        if not isinstance(item, Alert):
            raise InvalidTypeError(f"alerts[{position}]", item, "an Alert")
    zone = check_tz(tz)
    if zone is None:  # the zone of the periods the alerts fired in
        fired = [item.fired_at for item in items]
        zone = one_zone(fired, lambda position: f"alerts[{position}].fired_at")
    levels = level_dtype(pd)

    def times(name: str) -> Any:  # noqa: ANN401  a pandas DatetimeIndex
        stamps = [getattr(item, name) for item in items]
        return _datetime_index(pd, stamps, lambda p: f"alerts[{p}].{name}", zone)

    def level_column(name: str) -> Any:  # noqa: ANN401  a pandas Categorical
        values = [getattr(item, name) for item in items]
        return pd.Categorical(
            [None if value is None else value.value for value in values], dtype=levels
        )

    def floats(name: str) -> FloatArray:
        return np.array(
            [getattr(item.evidence, name) for item in items], dtype=np.float64
        )

    def texts(values: list[str | None]) -> Any:  # noqa: ANN401  a pandas Series
        return pd.Series(values, dtype="str")

    columns: dict[str, Any] = {
        "id": texts([item.id for item in items]),
        "kind": texts([item.kind.value for item in items]),
        "rule": texts([item.rule for item in items]),
        "entity": texts([item.entity for item in items]),
        "episode": np.array([item.episode for item in items], dtype=np.int64),
        "crisis_type": texts([item.crisis_type for item in items]),
        "level": level_column("level"),
        "fired_level": level_column("fired_level"),
        "peak_level": level_column("peak_level"),
        "first_breach_at": times("first_breach_at"),
        "fired_at": times("fired_at"),
        "resolved_at": times("resolved_at"),
        "observed": floats("observed"),
        "signal": floats("signal"),
        "baseline": floats("baseline"),
        "bound": floats("bound"),
        "run_length": np.array(
            [item.evidence.run_length for item in items], dtype=np.int64
        ),
        "threshold_version": texts([item.evidence.threshold_version for item in items]),
        "n_level_changes": np.array(
            [len(item.level_changes) for item in items], dtype=np.int64
        ),
    }
    return pd.DataFrame(
        {name: _plain(pd, column) for name, column in columns.items()},
        index=pd.RangeIndex(len(items)),
    )


def _plain(pd: ModuleType, column: Any) -> Any:  # noqa: ANN401  pandas or numpy
    """Return a column without an index of its own (a DatetimeIndex → values)."""
    if isinstance(column, pd.Index):
        return column.array
    if isinstance(column, pd.Series):
        return column.array
    return column
