r"""Fleet scale: trigger rules over many entities and many shops, on Dask.

Book §3 (關鍵指標監控與應急響應觸發點設定) asks a shop to watch its key
indicators for every SKU, channel and the shop as a whole. A marketplace or a
platform team watches thousands of shops and millions of SKUs with one rule
set: one `Panel` too large for one core, or one panel per shop.

**Why partitioning by entity is exact.** Every trigger kernel of
`crisisops.monitoring` is causal in time and independent across entities: an
entity's signals, persistence runs, alert episodes and levels depend only on
its own values and its own calibrated bounds. So the entities can be split
into partitions, each partition evaluated on its own — in this thread, on
threads, in processes or on a Dask cluster — and the pieces merged into the
very `Evaluation` that `crisisops.monitoring.evaluate` returns for the
whole panel, by `crisisops.monitoring.merge_evaluations`:

* the events are put back in single-run order: by period, then rule, then
  kind (resolutions, then firings and level changes, then no-data events),
  then entity in the panel's order; alerts follow from the events;
* the monitor after the last period is rebuilt from the partitions' saved
  states (one cell per rule and entity), laid side by side in entity order
  and resumed, so ``evaluation.monitor`` continues with new data exactly as
  the single run's would.

Threshold sets (`ThresholdSet`) are cut to each partition's entities, so a
partition carries only its own bounds. Calibrate them on the whole panel (or
per shop) before partitioning: `crisisops.monitoring.calibrate` may pool
entities of a group, which one partition alone could not do.

The pieces:

* `partition_panel` – split a panel into partitions of about equal size, or
  by a mapping entity → partition key (e.g. SKU → shop);
* `evaluate_partitioned` – evaluate partition after partition in this thread,
  without Dask: the reference, and the way to bound memory without the extra;
* `evaluate_fleet` – the same on Dask (``"synchronous"``, ``"threads"``,
  ``"processes"`` or a ``distributed.Client``);
* `evaluate_shops` – many shops' panels with one rule set, one `Evaluation`
  per shop, all partitions of all shops in one Dask computation.

Dask is imported only by the call that needs it (the ``dask`` extra:
``pip install 'crisisops[dask]'``); ``import crisisops.fleet`` does not import
it. Every function takes an optional ``progress(done, total)`` callback,
called in the calling thread after each partition is evaluated (``done``
counts the partitions finished so far, in the order they finish; the last
call has ``done == total``). The library itself never prints.

Examples
--------
>>> from datetime import datetime, timedelta, timezone
>>> from crisisops.monitoring import (
...     Below,
...     Consecutive,
...     Raw,
...     Threshold,
...     Tier,
...     TriggerRule,
...     evaluate,
... )
>>> from crisisops.taxonomy import ResponseLevel
>>> days = [
...     datetime(2026, 3, 2, tzinfo=timezone.utc) + timedelta(days=d) for d in range(4)
... ]
>>> panel = Panel.from_metric_arrays(
...     days,
...     ["sku-1", "sku-2", "sku-3"],
...     {
...         "sales.gmv": [
...             [90.0, 80.0, 70.0],
...             [40.0, 85.0, 30.0],
...             [45.0, 20.0, 35.0],
...             [95.0, 25.0, 80.0],
...         ]
...     },
... )
>>> slump = TriggerRule(
...     name="gmv_slump",
...     crisis_type="market.demand_shift",
...     tiers=[
...         Tier(
...             ResponseLevel.III,
...             Threshold(signal=Raw("sales.gmv"), predicate=Below(50.0)),
...         )
...     ],
...     persistence=Consecutive(2),
... )
>>> [part.entities for part in partition_panel(panel, 2)]
[('sku-1', 'sku-2'), ('sku-3',)]
>>> calls = []
>>> record: Progress = lambda done, total: calls.append((done, total))
>>> fleet = evaluate_partitioned([slump], panel, partitions=2, progress=record)
>>> calls
[(1, 2), (2, 2)]
>>> [(alert.entity, alert.fired_at.day) for alert in fleet.alerts]
[('sku-1', 4), ('sku-3', 4), ('sku-2', 5)]
>>> whole = evaluate([slump], panel)
>>> fleet.events == whole.events and fleet.alerts == whole.alerts
True
>>> fleet.monitor.state == whole.monitor.state
True

Without ``partitions``, a panel is cut every `DEFAULT_PARTITION_SIZE`
entities; `evaluate_fleet` runs the partitions on one of the `SCHEDULERS`
(or a ``distributed.Client``):

>>> DEFAULT_PARTITION_SIZE, SCHEDULERS
(10000, ('synchronous', 'threads', 'processes'))

References
----------
Dean, Jeffrey, and Sanjay Ghemawat. 2004. "MapReduce: Simplified Data
Processing on Large Clusters." *OSDI '04*, 137–50. (Partition by key,
process each partition alone, merge in a fixed order.)
Rocklin, Matthew. 2015. "Dask: Parallel Computation with Blocked Algorithms
and Task Scheduling." *Proceedings of the 14th Python in Science
Conference*. https://doi.org/10.25080/Majora-7b98e3ed-013.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import attrs
import numpy as np

from crisisops._optional import require
from crisisops._validation import check_progress, check_str
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    MissingExtraError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.monitoring.monitor import (
    Evaluation,
    Monitor,
    evaluate,
    merge_evaluations,
)
from crisisops.monitoring.panel import Panel
from crisisops.monitoring.rules import TriggerRule
from crisisops.monitoring.thresholds import ThresholdSet

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "DEFAULT_PARTITION_SIZE",
    "SCHEDULERS",
    "Progress",
    "evaluate_fleet",
    "evaluate_partitioned",
    "evaluate_shops",
    "partition_panel",
]

#: Entities per partition when ``partitions`` is not given: large enough that
#: a partition's numpy work outweighs Dask's per-task cost (about a
#: millisecond), small enough that a year of daily data for one partition
#: fits easily in a worker's memory.
DEFAULT_PARTITION_SIZE = 10_000

#: The Dask schedulers `evaluate_fleet` accepts by name (a
#: ``distributed.Client`` is accepted too).
SCHEDULERS: tuple[str, ...] = ("synchronous", "threads", "processes")

#: A progress callback: ``progress(done, total)``.
Progress: TypeAlias = Callable[[int, int], None]

_RULES = "an iterable of TriggerRule values"

#: What a partition sends back: its event columns and its final monitor state.


# --- checks -------------------------------------------------------------------


def _items(value: object, field: str, expected: str) -> tuple[Any, ...]:
    """Return an iterable argument as a tuple (text is not an iterable of values)."""
    if not isinstance(value, Iterable) or isinstance(value, str):
        raise InvalidTypeError(field, value, expected)
    return tuple(value)


def _check_count(value: object, field: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InvalidTypeError(field, value, "an int >= 1")
    if value < 1:
        raise ValidationError(field, value, "an int >= 1 (the number of partitions)")
    return int(value)


def _check_partitions(
    value: object, field: str = "partitions"
) -> int | Mapping[str, str] | None:
    if value is None or isinstance(value, Mapping):
        return value
    return _check_count(value, field)


def _check_scheduler(scheduler: object) -> None:
    """Check the scheduler (and that Dask is there) before any work is done."""
    if scheduler is None:
        return
    if isinstance(scheduler, str):
        if scheduler not in SCHEDULERS:
            raise UnknownKeyError("Dask scheduler", scheduler, SCHEDULERS)
        require("dask", extra="dask", feature="crisisops.fleet on Dask")
        return
    expected = (
        f"one of {', '.join(map(repr, SCHEDULERS))}, a distributed.Client, "
        "or None (no Dask)"
    )
    try:
        distributed = require("distributed", extra="dask", feature="crisisops.fleet")
    except MissingExtraError:
        raise InvalidTypeError("scheduler", scheduler, expected) from None
    if not isinstance(scheduler, distributed.Client):
        raise InvalidTypeError("scheduler", scheduler, expected)


def _positions(keys: Sequence[str], wanted: Iterable[str]) -> np.ndarray[Any, Any]:
    """Return the position of each wanted key in ``keys`` (-1 if absent).

    Dictionary look-ups driven by ``map`` run at C speed: a million entities
    cost a fraction of a second.
    """
    index = dict(zip(keys, range(len(keys)), strict=True))
    return np.fromiter(map(index.get, wanted, itertools.repeat(-1)), dtype=np.intp)


# --- partitions -----------------------------------------------------------------


def partition_panel(panel: Panel, parts: int | Mapping[str, str]) -> tuple[Panel, ...]:
    """Split a panel by entity into partitions for fleet evaluation.

    Parameters
    ----------
    panel
        The KPI panel.
    parts
        The number of partitions (``>= 1``): contiguous runs of entities in
        the panel's order, sizes differing by at most one. More partitions
        than entities is allowed and gives one partition per entity (a
        partition is never empty). Or a mapping entity → partition key (e.g.
        SKU → shop): one partition per key, in the order the keys first
        appear among the panel's entities, each keeping the panel's entity
        order. Every entity must have a key; keys of entities that are not in
        the panel are ignored, so one fleet-wide mapping serves any panel.

    Returns
    -------
    tuple of Panel
        The partitions, each with all the panel's periods and metrics.

    Raises
    ------
    InvalidTypeError
        If ``panel`` is not a `Panel`, ``parts`` is neither an int nor a
        mapping, or a partition key is not text.
    ValidationError
        If ``parts`` < 1, or an entity of the panel has no partition key.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> day = [datetime(2026, 3, 2, tzinfo=timezone.utc)]
    >>> panel = Panel.from_metric_arrays(
    ...     day,
    ...     ["a1", "b1", "a2", "b2", "a3"],
    ...     {"sales.gmv": [[1.0, 2.0, 3.0, 4.0, 5.0]]},
    ... )
    >>> [part.entities for part in partition_panel(panel, 2)]
    [('a1', 'b1', 'a2'), ('b2', 'a3')]
    >>> shops = {
    ...     "a1": "shop_a",
    ...     "a2": "shop_a",
    ...     "a3": "shop_a",
    ...     "b1": "shop_b",
    ...     "b2": "shop_b",
    ... }
    >>> [part.entities for part in partition_panel(panel, shops)]
    [('a1', 'a2', 'a3'), ('b1', 'b2')]
    """
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a Panel")
    if isinstance(parts, Mapping):
        return _partition_by_key(panel, parts)
    count = min(_check_count(parts, "parts"), max(panel.n_entities, 1))
    if count == 1:
        return (panel,)
    # Sizes differing by at most one, the larger ones first (as numpy's
    # array_split): ``E = q·count + r`` gives r partitions of q + 1.
    q, r = divmod(panel.n_entities, count)
    stops = np.cumsum([q + 1] * r + [q] * (count - r)).tolist()
    starts = [0, *stops[:-1]]
    return tuple(
        panel.select(entities=panel.entities[start:stop])
        for start, stop in zip(starts, stops, strict=True)
    )


def _partition_by_key(panel: Panel, parts: Mapping[str, str]) -> tuple[Panel, ...]:
    keys: list[Any] = list(map(parts.get, panel.entities))
    if None in keys:
        entity = panel.entities[keys.index(None)]
        raise ValidationError(
            "parts",
            entity,
            "a mapping that gives every entity of the panel a partition key "
            "(this entity has none)",
        )
    for position, key in enumerate(keys):
        if not isinstance(key, str):
            check_str(key, f"parts[{panel.entities[position]!r}]")
    # Codes in order of first appearance: ``setdefault`` keeps a key's first
    # number, and numbers only grow.
    codes_of: dict[str, int] = {}
    codes = np.fromiter(
        map(codes_of.setdefault, keys, itertools.count()),
        dtype=np.intp,
        count=len(keys),
    )
    if len(codes_of) <= 1:
        return (panel,)
    order = np.argsort(codes, kind="stable")
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    entities = np.array(panel.entities, dtype=object)
    return tuple(
        panel.select(entities=entities[group].tolist())
        for group in np.split(order, cuts)
    )


# --- planning one evaluation ------------------------------------------------------


@attrs.frozen
class _Job:
    """One partition to evaluate (sent whole to a Dask worker)."""

    rules: tuple[TriggerRule, ...]
    panel: Panel
    thresholds: tuple[ThresholdSet, ...]


def _run_job(job: _Job) -> Evaluation:
    """Evaluate one partition (on a worker, or in this thread)."""
    return evaluate(job.rules, job.panel, job.thresholds)


@attrs.frozen
class _Plan:
    """One evaluation split into partitions, and how to put it back together."""

    start: Monitor
    timestamps: tuple[Any, ...]
    parts: tuple[Panel, ...]
    jobs: tuple[_Job, ...]


def _restricted(
    sets: tuple[ThresholdSet, ...], parts: tuple[Panel, ...]
) -> list[tuple[ThresholdSet, ...]]:
    """Cut every threshold set to each partition's entities.

    A set's bounds for an entity it does not know are NaN in the monitor
    (`ThresholdSet.reordered`), so leaving such entities out changes
    nothing; each partition then carries only its own bounds.
    """
    if len(parts) == 1:
        return [sets]
    cut: list[list[ThresholdSet]] = [[] for _ in parts]
    sizes = [part.n_entities for part in parts]
    stops = np.cumsum(sizes).tolist()
    everyone = tuple(itertools.chain.from_iterable(part.entities for part in parts))
    for threshold_set in sets:
        where = _positions(threshold_set.entities, everyone)
        for p, (part, stop) in enumerate(zip(parts, stops, strict=True)):
            index = where[stop - part.n_entities : stop]
            known = index >= 0
            if not known.any():
                # A set needs an entity; one from elsewhere gives this
                # partition NaN bounds, as the whole set would.
                index, known = np.zeros(1, dtype=np.intp), np.ones(1, dtype=bool)
                entities: tuple[str, ...] = threshold_set.entities[:1]
            else:
                entities = tuple(itertools.compress(part.entities, known.tolist()))
            cut[p].append(
                ThresholdSet(
                    version=threshold_set.version,
                    fitted_through=threshold_set.fitted_through,
                    valid_from=threshold_set.valid_from,
                    entities=entities,
                    bounds={
                        name: bound[..., index[known]]
                        for name, bound in threshold_set.bounds.items()
                    },
                    notes=threshold_set.notes,
                )
            )
    return [tuple(sets_of_part) for sets_of_part in cut]


def _as_partitions(data: object, partitions: object, field: str) -> tuple[Panel, ...]:
    """Return the partitions of ``data`` (a panel, or its partitions)."""
    chosen = _check_partitions(partitions)
    if isinstance(data, Panel):
        if chosen is None:
            chosen = max(1, math.ceil(data.n_entities / DEFAULT_PARTITION_SIZE))
        return partition_panel(data, chosen)
    if not isinstance(data, Sequence) or isinstance(data, str):
        raise InvalidTypeError(
            field, data, "a Panel, or a sequence of Panels (its partitions)"
        )
    if chosen is not None:
        raise ValidationError(
            "partitions",
            partitions,
            f"None when {field} is already a sequence of partitions",
        )
    parts = tuple(data)
    if not parts:
        raise ValidationError(field, parts, "at least one partition (a Panel)")
    first = parts[0]
    seen: set[str] = set()
    for index, part in enumerate(parts):
        name = f"{field}[{index}]"
        if not isinstance(part, Panel):
            raise InvalidTypeError(name, part, "a Panel")
        if part.timestamps != first.timestamps:
            raise ValidationError(
                f"{name}.timestamps",
                part.timestamps[:3],
                f"the same timestamps as {field}[0] ({first.n_periods} periods)",
            )
        if part.metrics != first.metrics:
            raise ValidationError(
                f"{name}.metrics",
                part.metrics,
                f"the same metrics in the same order as {field}[0] {first.metrics}",
            )
        if part.n_entities == 0:
            raise ValidationError(f"{name}.entities", (), "at least one entity")
        repeated = seen.intersection(part.entities)
        if repeated:
            raise DuplicateKeyError(
                f"entity (in {name} and an earlier partition)", min(repeated)
            )
        seen.update(part.entities)
    return parts


def _plan(
    rules: object,
    data: object,
    thresholds: object,
    partitions: object,
    field: str = "data",
) -> _Plan:
    """Check everything and split the work; nothing is evaluated yet."""
    rule_tuple = _items(rules, "rules", _RULES)
    sets = _items(thresholds, "thresholds", "an iterable of ThresholdSet values")
    parts = _as_partitions(data, partitions, field)
    if isinstance(data, Panel):
        entities = data.entities
        timestamps = data.timestamps
    else:
        entities = tuple(itertools.chain.from_iterable(p.entities for p in parts))
        timestamps = parts[0].timestamps
    # Validates the rules, entities and threshold sets as `evaluate` would.
    start = Monitor.start(rule_tuple, entities, sets)
    metrics = parts[0].metrics
    for metric in start.metrics:
        if metric not in metrics:
            raise UnknownKeyError("metric in the data", metric, metrics)
    jobs = tuple(
        _Job(rules=start.rules, panel=part, thresholds=part_sets)
        for part, part_sets in zip(
            parts, _restricted(start.thresholds, parts), strict=True
        )
    )
    return _Plan(start=start, timestamps=timestamps, parts=parts, jobs=jobs)


# --- running --------------------------------------------------------------------


def _execute(
    jobs: Sequence[_Job], scheduler: object, progress: Progress | None
) -> list[Evaluation]:
    """Evaluate every job, in this thread or on Dask; results in job order."""
    total = len(jobs)
    if scheduler is None:
        results: list[Evaluation] = []
        for done, job in enumerate(jobs, start=1):
            results.append(_run_job(job))
            if progress is not None:
                progress(done, total)
        return results
    if not isinstance(scheduler, str):
        return _execute_on_client(jobs, scheduler, progress)  # checked: a Client
    dask = require("dask", extra="dask", feature="crisisops.fleet on Dask")
    tasks = [dask.delayed(_run_job, pure=False)(job) for job in jobs]
    options: dict[str, Any] = {}
    if progress is not None:
        ours = {task.key for task in tasks}
        finished = itertools.count(1)

        def posttask(key: object, *_: object) -> None:
            # Local schedulers call this in the calling thread, once per task.
            if key in ours:
                progress(next(finished), total)

        options["callbacks"] = [(None, None, None, posttask, None)]
    return list(dask.compute(*tasks, scheduler=scheduler, **options))


def _execute_on_client(
    jobs: Sequence[_Job],
    client: Any,  # noqa: ANN401  a distributed.Client (see `_check_scheduler`)
    progress: Progress | None,
) -> list[Evaluation]:
    distributed = require("distributed", extra="dask", feature="crisisops.fleet")
    # Scatter the partitions first: a large panel belongs in worker memory,
    # not in the task graph.
    payloads = client.scatter(list(jobs), hash=False)
    futures = [client.submit(_run_job, payload, pure=False) for payload in payloads]
    if progress is not None:
        total = len(futures)
        for done, _ in enumerate(distributed.as_completed(futures), start=1):
            progress(done, total)
    results: list[Evaluation] = client.gather(futures)
    return results


# --- merging --------------------------------------------------------------------


def _assemble(plan: _Plan, results: Sequence[Evaluation]) -> Evaluation:
    """Merge the partitions' evaluations into the whole panel's `Evaluation`."""
    return merge_evaluations(plan.start, results)


# --- entry points ---------------------------------------------------------------


def evaluate_partitioned(
    rules: Iterable[TriggerRule],
    data: Panel | Sequence[Panel],
    thresholds: Iterable[ThresholdSet] = (),
    *,
    partitions: int | Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate ``rules`` partition by partition in this thread (no Dask).

    The result equals ``crisisops.monitoring.evaluate(rules, panel,
    thresholds)``: the same events and alerts in the same order, and a final
    monitor with the same state. Only one partition's working state is
    alive at a time, so memory follows the partition size.

    Parameters
    ----------
    rules
        The trigger rules (unique names).
    data
        The whole panel, or its partitions: panels with the same timestamps
        and metrics and disjoint entities, standing for the panel of all their
        entities one partition after another.
    thresholds
        Threshold sets for the whole panel; each partition gets its entities'
        bounds.
    partitions
        For a panel: the number of partitions, or a mapping entity →
        partition key (see `partition_panel`); by default one partition per
        `DEFAULT_PARTITION_SIZE` entities. Must be ``None`` when ``data``
        already is a sequence of partitions.
    progress
        Optional ``progress(done, total)``, called after each partition
        (``done`` partitions of ``total`` finished).

    Returns
    -------
    Evaluation
        As `crisisops.monitoring.evaluate` returns it.

    Raises
    ------
    InvalidTypeError
        For an argument of the wrong type (``progress`` not callable included).
    ValidationError
        For ``partitions`` < 1, partitions whose timestamps or metrics differ
        or a partition without entities, or what `evaluate` rejects.
    DuplicateKeyError
        If two partitions share an entity, or two rules a name.
    UnknownKeyError
        If a rule reads a metric the data do not have.
    """
    checked = check_progress(progress)
    plan = _plan(rules, data, thresholds, partitions)
    return _assemble(plan, _execute(plan.jobs, None, checked))


def evaluate_fleet(  # noqa: PLR0913  keyword-only knobs
    rules: Iterable[TriggerRule],
    data: Panel | Sequence[Panel],
    thresholds: Iterable[ThresholdSet] = (),
    *,
    partitions: int | Mapping[str, str] | None = None,
    scheduler: str | Client | None = "synchronous",
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate ``rules`` over a large panel on Dask, one task per partition.

    The result equals ``crisisops.monitoring.evaluate(rules, panel,
    thresholds)`` exactly, whatever the partitions and the scheduler (see
    the module docstring for why).

    Parameters
    ----------
    rules, data, thresholds, partitions
        As for `evaluate_partitioned`.
    scheduler
        ``"synchronous"`` (one thread, for debugging and tests),
        ``"threads"`` (a local thread pool), ``"processes"`` (a local process
        pool; partitions are pickled to the workers), a
        ``distributed.Client`` (its cluster; partitions are scattered to the
        workers first), or ``None`` to run without Dask, as
        `evaluate_partitioned`.
    progress
        Optional ``progress(done, total)``, called in the calling thread
        after each partition finishes (in the order they finish).

    Returns
    -------
    Evaluation
        As `crisisops.monitoring.evaluate` returns it.

    Raises
    ------
    MissingExtraError
        If Dask is needed and not installed (``pip install 'crisisops[dask]'``).
    UnknownKeyError
        For an unknown scheduler name (with suggestions), or a metric the
        rules read that the data do not have.
    InvalidTypeError, ValidationError, DuplicateKeyError
        As for `evaluate_partitioned`; all checked before any work starts.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Above, Consecutive, Raw, Threshold, Tier
    >>> from crisisops.taxonomy import ResponseLevel
    >>> day = [datetime(2026, 3, 2, tzinfo=timezone.utc)]
    >>> panel = Panel.from_metric_arrays(
    ...     day, ["sku-1", "sku-2"], {"feedback.negative_reviews": [[3.0, 40.0]]}
    ... )
    >>> surge = TriggerRule(
    ...     name="review_surge",
    ...     crisis_type="product.quality_safety",
    ...     tiers=[
    ...         Tier(
    ...             ResponseLevel.IV,
    ...             Threshold(
    ...                 signal=Raw("feedback.negative_reviews"), predicate=Above(20.0)
    ...             ),
    ...         )
    ...     ],
    ...     persistence=Consecutive(1),
    ... )
    >>> result = evaluate_fleet([surge], panel, partitions=2, scheduler="synchronous")
    >>> [alert.id for alert in result.alerts]
    ['review_surge/sku-2/1']
    """
    checked = check_progress(progress)
    _check_scheduler(scheduler)
    plan = _plan(rules, data, thresholds, partitions)
    return _assemble(plan, _execute(plan.jobs, scheduler, checked))


@overload
def evaluate_shops(
    rules: Iterable[TriggerRule],
    shops: Mapping[str, Panel],
    thresholds: Iterable[ThresholdSet] | Mapping[str, Iterable[ThresholdSet]] = (),
    *,
    partitions: int | None = None,
    scheduler: str | Client | None = "synchronous",
    progress: Progress | None = None,
) -> FrozenDict[str, Evaluation]: ...
@overload
def evaluate_shops(
    rules: Iterable[TriggerRule],
    shops: Sequence[Panel],
    thresholds: Iterable[ThresholdSet] = (),
    *,
    partitions: int | None = None,
    scheduler: str | Client | None = "synchronous",
    progress: Progress | None = None,
) -> tuple[Evaluation, ...]: ...
def evaluate_shops(  # noqa: PLR0913  keyword-only knobs
    rules: Iterable[TriggerRule],
    shops: Mapping[str, Panel] | Sequence[Panel],
    thresholds: Iterable[ThresholdSet] | Mapping[str, Iterable[ThresholdSet]] = (),
    *,
    partitions: int | None = None,
    scheduler: str | Client | None = "synchronous",
    progress: Progress | None = None,
) -> FrozenDict[str, Evaluation] | tuple[Evaluation, ...]:
    """Evaluate one rule set over many shops' panels, one `Evaluation` per shop.

    Each shop's result equals ``crisisops.monitoring.evaluate(rules,
    shop_panel, shop_thresholds)``. The shops may have different entities,
    periods and metrics (each must have the metrics the rules read). Every
    partition of every shop is one task of a single Dask computation, so a
    fleet of small shops keeps all workers busy as well as one large shop.

    Parameters
    ----------
    rules
        The one rule set.
    shops
        ``{shop key: panel}`` (the result is keyed the same way), or a
        sequence of panels (the result is a tuple in the same order).
    thresholds
        Threshold sets shared by every shop, or, for a mapping of shops,
        ``{shop key: threshold sets}``: a shop missing from it has none (a
        new shop without history); an unknown shop key is an error.
    partitions
        Partitions per shop (each shop's panel is cut in at most that many);
        by default one per `DEFAULT_PARTITION_SIZE` entities of the shop.
    scheduler
        As for `evaluate_fleet` (``None``: no Dask, shop after shop).
    progress
        Optional ``progress(done, total)`` over all partitions of all shops.

    Returns
    -------
    FrozenDict or tuple
        One `Evaluation` per shop, in the order of ``shops``.

    Raises
    ------
    InvalidTypeError, ValidationError, UnknownKeyError, DuplicateKeyError
        As for `evaluate_fleet`, for any shop; an unknown shop key in
        ``thresholds``; per-shop thresholds for a sequence of shops.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Above, Consecutive, Raw, Threshold, Tier
    >>> from crisisops.taxonomy import ResponseLevel
    >>> day = [datetime(2026, 3, 2, tzinfo=timezone.utc)]
    >>> reviews = "feedback.negative_reviews"
    >>> shops = {
    ...     "north": Panel.from_metric_arrays(day, ["sku-1"], {reviews: [[30.0]]}),
    ...     "south": Panel.from_metric_arrays(
    ...         day, ["sku-1", "sku-2"], {reviews: [[2.0, 1.0]]}
    ...     ),
    ... }
    >>> surge = TriggerRule(
    ...     name="review_surge",
    ...     crisis_type="product.quality_safety",
    ...     tiers=[
    ...         Tier(
    ...             ResponseLevel.IV,
    ...             Threshold(signal=Raw(reviews), predicate=Above(20.0)),
    ...         )
    ...     ],
    ...     persistence=Consecutive(1),
    ... )
    >>> results = evaluate_shops([surge], shops, scheduler=None)
    >>> {shop: len(result.alerts) for shop, result in results.items()}
    {'north': 1, 'south': 0}
    """
    checked = check_progress(progress)
    _check_scheduler(scheduler)
    if partitions is not None:
        _check_count(partitions, "partitions")
    rule_tuple = _items(rules, "rules", _RULES)
    keys, panels, names = _shop_panels(shops)
    per_shop = _shop_thresholds(thresholds, keys, len(panels))
    plans: list[_Plan] = []
    for index, (panel, name) in enumerate(zip(panels, names, strict=True)):
        if not isinstance(panel, Panel):
            raise InvalidTypeError(name, panel, "a Panel")
        plans.append(_plan(rule_tuple, panel, per_shop[index], partitions, name))
    jobs = [job for plan in plans for job in plan.jobs]
    results = _execute(jobs, scheduler, checked)
    evaluations: list[Evaluation] = []
    start = 0
    for plan in plans:
        stop = start + len(plan.jobs)
        evaluations.append(_assemble(plan, results[start:stop]))
        start = stop
    if keys is None:
        return tuple(evaluations)
    return FrozenDict(zip(keys, evaluations, strict=True))


def _shop_panels(
    shops: object,
) -> tuple[tuple[str, ...] | None, tuple[Any, ...], list[str]]:
    """Return the shop keys (``None`` for a sequence), the panels and their names."""
    if isinstance(shops, Mapping):
        for key in shops:
            check_str(key, "shops (a shop key)")
        keys = tuple(shops)
        return keys, tuple(shops.values()), [f"shops[{key!r}]" for key in keys]
    if isinstance(shops, Sequence) and not isinstance(shops, str):
        panels = tuple(shops)
        return None, panels, [f"shops[{index}]" for index in range(len(panels))]
    raise InvalidTypeError(
        "shops", shops, "a mapping of shop key to Panel, or a sequence of Panels"
    )


def _shop_thresholds(
    thresholds: object, keys: tuple[str, ...] | None, count: int
) -> list[tuple[ThresholdSet, ...]]:
    """Return each shop's threshold sets (shared, or from a mapping by shop)."""
    if not isinstance(thresholds, Mapping):
        if not isinstance(thresholds, Iterable) or isinstance(thresholds, str):
            raise InvalidTypeError(
                "thresholds",
                thresholds,
                "an iterable of ThresholdSet values, or a mapping of shop key to them",
            )
        shared = tuple(thresholds)
        return [shared] * count
    if keys is None:
        raise ValidationError(
            "thresholds",
            type(thresholds).__name__,
            "threshold sets shared by every shop (per-shop thresholds need "
            "shops given as a mapping of shop key to panel)",
        )
    for key in thresholds:
        if key not in keys:
            raise UnknownKeyError("shop (in thresholds)", key, keys)
    return [tuple(thresholds.get(key, ())) for key in keys]
