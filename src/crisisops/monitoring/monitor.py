r"""Evaluate trigger rules over KPI data: one semantics, batch and streaming.

`Monitor` is an immutable value holding the rules, the entities, the
threshold sets and the state after the last period. `Monitor.step()`
takes one period's `Observation` and returns
a new monitor plus the alert events (`AlertEvent`) of that period;
`Monitor.run()` folds the same step over a whole
`Panel`. Because batch is literally the
streaming step repeated, both give identical events and alerts, including the
alert lifecycle (pending → firing → resolved, one episode number per firing)
and level changes. `Monitor.state` is a plain-data snapshot; save it
with `crisisops.serialization.to_data()` and `Monitor.resume()` later
to continue exactly where it stopped.

Alerts explain themselves (book §3: trigger points must be explainable to the
team that acts on them): every `Alert` carries its rule, entity,
response level, crisis type, first-breach, firing and resolution times, and the
numbers that fired it (`Evidence`: observed value, signal, baseline,
bound, run length, threshold-set version). An alert is never back-dated: it
fires in the period whose data completes its persistence.

Examples
--------
The book's tiered trigger (層級劃分) on one KPI: GMV under 80 two days running
starts Level IV, under 50 two days running Level II. SKU 1 slumps for four
days; SKU 2 is fine.

>>> from datetime import datetime, timezone
>>> from crisisops.monitoring import (
...     AlertKind,
...     Below,
...     Consecutive,
...     Evaluation,
...     EventKind,
...     Evidence,
...     LevelChange,
...     Monitor,
...     Panel,
...     Raw,
...     StepResult,
...     Threshold,
...     Tier,
...     TriggerRule,
...     evaluate,
... )
>>> from crisisops.taxonomy import ResponseLevel
>>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 8)]
>>> gmv = [[100, 100], [70, 98], [75, 97], [45, 101], [40, 99], [90, 100], [95, 102]]
>>> panel = Panel.from_metric_arrays(days, ["sku-1", "sku-2"], {"sales.gmv": gmv})
>>> def below(bound):
...     return Threshold(signal=Raw("sales.gmv"), predicate=Below(bound))
>>> rule = TriggerRule(
...     name="gmv_low",
...     crisis_type="market.demand_shift",
...     tiers=[Tier(ResponseLevel.IV, below(80)), Tier(ResponseLevel.II, below(50))],
...     persistence=Consecutive(2),
... )
>>> evaluation: Evaluation = evaluate([rule], panel)
>>> evaluation
Evaluation(7 periods, 3 events)
>>> [(e.at.day, e.kind.value, e.level.value) for e in evaluation.events]
[(3, 'fired', 'IV'), (5, 'level_changed', 'II'), (6, 'resolved', 'II')]
>>> [e.entity for e in evaluation.events if e.kind is EventKind.FIRED]
['sku-1']

One alert episode, with its whole history and the numbers behind it:

>>> (alert,) = evaluation.alerts
>>> alert.id, alert.kind is AlertKind.BREACH
('gmv_low/sku-1/1', True)
>>> alert.fired_level.value, alert.peak_level.value, alert.is_firing
('IV', 'II', False)
>>> alert.first_breach_at.day, alert.fired_at.day, alert.resolved_at.day
(2, 3, 6)
>>> alert.evidence == Evidence(
...     observed=75, signal=75, baseline=float("nan"), bound=80, run_length=2
... )
True
>>> alert.level_changes == (
...     LevelChange(
...         at=days[4],
...         level=ResponseLevel.II,
...         evidence=Evidence(
...             observed=40, signal=40, baseline=float("nan"), bound=50, run_length=2
...         ),
...     ),
... )
True

Each `AlertEvent` carries its evidence: enough for what a chat bot might
post:

>>> from crisisops.monitoring import AlertEvent
>>> def headline(event: AlertEvent) -> str:
...     numbers = event.evidence
...     return (
...         f"{event.at:%d %b} {event.rule} {event.entity}: {event.kind.value}"
...         f" (GMV {numbers.observed:g}, bound {numbers.bound:g})"
...     )
>>> [headline(event) for event in evaluation.events]  # doctest: +NORMALIZE_WHITESPACE
['03 Mar gmv_low sku-1: fired (GMV 75, bound 80)',
 '05 Mar gmv_low sku-1: level_changed (GMV 40, bound 50)',
 '06 Mar gmv_low sku-1: resolved (GMV 90, bound 80)']
>>> evaluation.event_count, evaluation.firing(), len(evaluation.monitor.open_alerts)
(3, (), 0)

A `Monitor` runs the same rules on a whole panel or one period at a time;
``monitor`` itself never changes (each step returns a new monitor in a
`StepResult`):

>>> monitor = Monitor.start([rule], panel.entities)
>>> monitor.metrics
('sales.gmv',)
>>> monitor.run(panel).events == evaluation.events
True
>>> observations = list(panel.observations())
>>> step: StepResult = monitor.step(observations[0])
>>> step, monitor.state.periods, step.monitor.state.periods
(StepResult(2026-03-01T00:00:00+00:00, 0 events), 0, 1)

Streaming gives the very same events; the step that resolves the alert also
hands it back whole:

>>> streamed = []
>>> for observation in observations:
...     step = monitor.step(observation)
...     monitor = step.monitor
...     streamed.extend(step.events)
...     if step.resolved:
...         closed = step.resolved
>>> tuple(streamed) == evaluation.events, closed == evaluation.alerts
(True, True)

A monitor stopped after 2 March is one breaching day into the two-day rule.
Its `MonitorState` survives a round trip through plain data, and the resumed
monitor fires on 3 March with the breach run dated from 2 March:

>>> from crisisops.monitoring import MonitorState
>>> from crisisops.serialization import from_data, to_data
>>> paused = Monitor.start([rule], panel.entities)
>>> for observation in observations[:2]:
...     paused = paused.step(observation).monitor
>>> state: MonitorState = paused.state
>>> state.periods, state.last_timestamp.day, state.open_alerts
(2, 2, ())
>>> restored = from_data(MonitorState, to_data(state))
>>> restored == state
True
>>> resumed = Monitor.resume([rule], panel.entities, restored)
>>> (fired,) = resumed.step(observations[2]).monitor.open_alerts
>>> fired.first_breach_at.day, fired.fired_at.day
(2, 3)
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs
import numpy as np

from crisisops._validation import (
    check_aware,
    check_unique_texts,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    to_frozendict,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.monitoring._engine import (
    ConditionOutput,
    Frame,
    Program,
    State,
    per_entity,
)
from crisisops.monitoring._store import (
    RECORD,
    Journal,
    Store,
    Version,
    bind_records,
    copy_state,
)
from crisisops.monitoring.conditions import (
    Condition,
    CUSUMChart,
    EWMAChart,
    LevelShift,
    Not,
    Threshold,
)
from crisisops.monitoring.panel import Observation, Panel
from crisisops.monitoring.rules import Consecutive, MissingData, MOfN, TriggerRule
from crisisops.monitoring.thresholds import (
    ThresholdSet,
    active_threshold_set,
    bounds_at,
)
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "Alert",
    "AlertEvent",
    "AlertKind",
    "Evaluation",
    "EventKind",
    "Evidence",
    "LevelChange",
    "Monitor",
    "MonitorState",
    "StepResult",
    "Trace",
    "evaluate",
    "merge_evaluations",
    "trace",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
IndexArray = np.ndarray[Any, np.dtype[np.intp]]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)
_INACTIVE, _PENDING, _FIRING = 0, 1, 2
#: Let rule groups of the simplest shape take `_CompiledGroup._step_lean`
#: (tests turn it off to compare with the general path).
_LEAN_PATH = True


def _to_micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _from_micros(micros: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=micros)


# --- alert values -----------------------------------------------------------


class EventKind(enum.Enum):
    """What happened to an alert in one period.

    Examples
    --------
    ``FIRED``, ``LEVEL_CHANGED`` and ``RESOLVED`` belong to breach alerts,
    ``NO_DATA`` and ``DATA_RESUMED`` to no-data alerts (`AlertKind`):

    >>> [kind.value for kind in EventKind]
    ['fired', 'level_changed', 'resolved', 'no_data', 'data_resumed']
    >>> EventKind("level_changed") is EventKind.LEVEL_CHANGED
    True
    """

    FIRED = "fired"
    LEVEL_CHANGED = "level_changed"
    RESOLVED = "resolved"
    NO_DATA = "no_data"
    DATA_RESUMED = "data_resumed"


class AlertKind(enum.Enum):
    """A breach alert (a tier fired) or a no-data alert (data stopped coming).

    Examples
    --------
    >>> [kind.value for kind in AlertKind]
    ['breach', 'no_data']

    A no-data alert has no level and its id says what it is:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Alert, AlertKind, Evidence
    >>> day = datetime(2026, 3, 4, tzinfo=timezone.utc)
    >>> silent = Alert(
    ...     kind=AlertKind.NO_DATA,
    ...     rule="orders_feed",
    ...     entity="shop",
    ...     episode=1,
    ...     crisis_type="technical.system_failure",
    ...     level=None,
    ...     fired_level=None,
    ...     peak_level=None,
    ...     first_breach_at=day,
    ...     fired_at=day,
    ...     evidence=Evidence(
    ...         observed="nan", signal="nan", baseline="nan", bound="nan", run_length=3
    ...     ),
    ... )
    >>> silent.id, silent.evidence.run_length  # three periods without data
    ('orders_feed/shop/1/no_data', 3)
    """

    BREACH = "breach"
    NO_DATA = "no_data"


@attrs.frozen(kw_only=True)
class Evidence:
    """The numbers behind an alert event, so a person can check the decision.

    NaN means "not applicable" (e.g. no baseline for a raw-value rule).

    Attributes
    ----------
    observed
        The metric's value in the period.
    signal
        The judged number (e.g. −0.35 for a 35 % fall, a z-score, an EWMA
        statistic).
    baseline
        The baseline the signal was computed against.
    bound
        The bound the signal crossed (or failed to cross).
    run_length
        Breaching periods counted by the persistence rule (clean periods for a
        resolution, missing periods for a no-data alert).
    threshold_version
        Version of the threshold set in force, if any.

    Examples
    --------
    GMV of 65 against a trailing mean of 100 is −35 %, past a −30 % bound, on
    the third breaching day; equality treats NaN ("not applicable") as equal:

    >>> evidence = Evidence(
    ...     observed=65, signal=-0.35, baseline=100, bound=-0.3, run_length=3
    ... )
    >>> evidence.observed, evidence.run_length, evidence.threshold_version
    (65.0, 3, None)
    >>> raw = Evidence(observed=40, signal=40, baseline="nan", bound=50, run_length=1)
    >>> raw == Evidence(observed=40, signal=40, baseline="nan", bound=50, run_length=1)
    True
    """

    observed: float = attrs.field(converter=float)
    signal: float = attrs.field(converter=float)
    baseline: float = attrs.field(converter=float)
    bound: float = attrs.field(converter=float)
    run_length: int = attrs.field(converter=int)
    threshold_version: str | None = attrs.field(default=None)

    def __eq__(self, other: object) -> bool:
        """Compare field by field, treating NaN as equal to NaN."""
        if not isinstance(other, Evidence):
            return NotImplemented
        mine = (self.observed, self.signal, self.baseline, self.bound)
        theirs = (other.observed, other.signal, other.baseline, other.bound)
        same_numbers = all(
            (a == b) or (a != a and b != b)  # noqa: PLR0124  NaN check
            for a, b in zip(mine, theirs, strict=True)
        )
        return (
            same_numbers
            and self.run_length == other.run_length
            and self.threshold_version == other.threshold_version
        )

    def __hash__(self) -> int:
        """Hash consistently with NaN-tolerant equality."""
        numbers = tuple(
            None if v != v else v  # noqa: PLR0124  NaN check
            for v in (self.observed, self.signal, self.baseline, self.bound)
        )
        return hash((numbers, self.run_length, self.threshold_version))


@attrs.frozen(kw_only=True)
class AlertEvent:
    """One change to one alert in one period.

    Attributes
    ----------
    kind
        What happened.
    at
        Timestamp of the period whose data caused it.
    rule
        Name of the rule.
    entity
        The entity (SKU, shop, channel …).
    episode
        The alert's episode number for this rule and entity (1, 2, …).
    level
        The response level after the event (``None`` for no-data events).
    crisis_type
        The crisis-type key the rule points to.
    evidence
        The numbers behind the event.

    Examples
    --------
    The module example turns each event of a run into a headline a chat bot
    might post.
    """

    kind: EventKind = attrs.field(validator=is_enum(EventKind))
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    rule: str = attrs.field(validator=is_key())
    entity: str = attrs.field(validator=is_text())
    episode: int
    level: ResponseLevel | None = attrs.field(
        validator=is_optional(is_enum(ResponseLevel))
    )
    crisis_type: str = attrs.field(validator=is_key())
    evidence: Evidence = attrs.field(validator=is_instance(Evidence, "Evidence"))


@attrs.frozen(kw_only=True)
class LevelChange:
    """A change of an alert's response level while it fires.

    Attributes
    ----------
    at
        When the level changed.
    level
        The new level.
    evidence
        The numbers behind the change.
    """

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    evidence: Evidence = attrs.field(validator=is_instance(Evidence, "Evidence"))


@attrs.frozen(kw_only=True)
class Alert:
    """One alert episode: from firing to resolution, with its level history.

    Attributes
    ----------
    kind
        Breach or no-data.
    rule
        Name of the rule.
    entity
        The entity.
    episode
        Episode number for this rule and entity (1, 2, …).
    crisis_type
        The crisis-type key the rule points to.
    level
        Current (or, once resolved, last) response level; ``None`` for no-data.
    fired_level
        The level the alert fired at (``None`` for no-data); later levels are
        in ``level_changes``.
    peak_level
        The most severe level the episode reached.
    first_breach_at
        Start of the breach run that led to firing.
    fired_at
        The period in which the alert fired.
    resolved_at
        The period in which it resolved; ``None`` while it fires.
    evidence
        The numbers that fired it.
    level_changes
        Every later change of level.

    Examples
    --------
    An alert is a plain value; a host can build one (e.g. in a test) and
    close it with ``attrs.evolve``:

    >>> from datetime import datetime, timezone
    >>> import attrs
    >>> from crisisops.monitoring import Alert, AlertKind, Evidence
    >>> from crisisops.taxonomy import ResponseLevel
    >>> day = datetime(2026, 11, 11, tzinfo=timezone.utc)
    >>> alert = Alert(
    ...     kind=AlertKind.BREACH,
    ...     rule="sales_crisis",
    ...     entity="sku-1",
    ...     episode=2,
    ...     crisis_type="market.demand_shift",
    ...     level=ResponseLevel.III,
    ...     fired_level=ResponseLevel.III,
    ...     peak_level=ResponseLevel.III,
    ...     first_breach_at=day,
    ...     fired_at=day,
    ...     evidence=Evidence(
    ...         observed=60, signal=-0.4, baseline=100, bound=-0.3, run_length=3
    ...     ),
    ... )
    >>> alert.id, alert.is_firing
    ('sales_crisis/sku-1/2', True)
    >>> attrs.evolve(alert, resolved_at=day.replace(day=12)).is_firing
    False
    """

    kind: AlertKind = attrs.field(validator=is_enum(AlertKind))
    rule: str = attrs.field(validator=is_key())
    entity: str = attrs.field(validator=is_text())
    episode: int
    crisis_type: str = attrs.field(validator=is_key())
    level: ResponseLevel | None = attrs.field(
        validator=is_optional(is_enum(ResponseLevel))
    )
    fired_level: ResponseLevel | None = attrs.field(
        validator=is_optional(is_enum(ResponseLevel))
    )
    peak_level: ResponseLevel | None = attrs.field(
        validator=is_optional(is_enum(ResponseLevel))
    )
    first_breach_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    fired_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    resolved_at: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    evidence: Evidence = attrs.field(validator=is_instance(Evidence, "Evidence"))
    level_changes: tuple[LevelChange, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(LevelChange, "LevelChange")),
    )

    @property
    def id(self) -> str:
        """Stable identity ``rule/entity/episode`` (plus ``/no_data``)."""
        suffix = "/no_data" if self.kind is AlertKind.NO_DATA else ""
        return f"{self.rule}/{self.entity}/{self.episode}{suffix}"

    @property
    def is_firing(self) -> bool:
        """Whether the alert has not resolved yet."""
        return self.resolved_at is None


# --- monitor state ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class MonitorState:
    """A plain-data snapshot of a monitor after some periods.

    Attributes
    ----------
    periods
        How many periods have been processed.
    last_timestamp
        Timestamp of the last processed period (``None`` before the first).
    arrays
        The numeric state (windows, runs, counters), by name.
    open_alerts
        Alerts that fire and have not resolved.

    Examples
    --------
    The module example stops a monitor one breaching day into a two-day rule,
    saves its state as plain data and resumes it.
    """

    periods: int = attrs.field(default=0)
    last_timestamp: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    arrays: FrozenDict[str, np.ndarray[Any, Any]] = attrs.field(
        factory=FrozenDict,
        converter=to_frozendict,
        eq=attrs.cmp_using(
            eq=lambda a, b: (
                a.keys() == b.keys()
                and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)
            )
        ),
    )
    open_alerts: tuple[Alert, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Alert, "Alert")),
    )


def _nan_equal(a: Any, b: Any) -> bool:  # noqa: ANN401  numpy arrays
    return bool(np.array_equal(a, b, equal_nan=True))


def _freeze(array: Any) -> Any:  # noqa: ANN401  numpy arrays of any dtype
    array = np.asarray(array)
    array.setflags(write=False)
    return array


def _pack(
    state: State, tidied: dict[str, np.ndarray[Any, Any]]
) -> FrozenDict[str, np.ndarray[Any, Any]]:
    """Turn the live state (rings as tuples of rows) into named arrays.

    A record (see `_store.RECORD`) is saved as its fields, each an array of
    its own, exactly as if the fields had never been packed. ``tidied``
    replaces arrays whose live form holds values nobody reads (see
    `_CompiledGroup.tidy`).
    """
    packed: dict[str, np.ndarray[Any, Any]] = {}
    for key, live in state.items():
        if key.endswith(RECORD):
            continue
        value = tidied.get(key, live)
        if isinstance(value, tuple):
            packed[f"{key}#ring"] = _freeze(np.stack(value))
        else:
            packed[key] = _freeze(np.array(value, order="C", copy=True))
    return FrozenDict(packed)


def _unpack(arrays: FrozenDict[str, np.ndarray[Any, Any]]) -> State:
    state: State = {}
    for key, value in arrays.items():
        if key.endswith("#ring"):
            state[key[: -len("#ring")]] = tuple(_freeze(row.copy()) for row in value)
        else:
            state[key] = value
    return state


# --- results ----------------------------------------------------------------


_KINDS = (
    EventKind.FIRED,
    EventKind.LEVEL_CHANGED,
    EventKind.RESOLVED,
    EventKind.NO_DATA,
    EventKind.DATA_RESUMED,
)
_FIRED, _LEVEL_CHANGED, _RESOLVED, _NO_DATA, _DATA_RESUMED = range(5)
_EVIDENCE = ("observed", "signal", "baseline", "bound")
_COLUMNS = (
    "rule",
    "entity",
    "kind",
    "tier",
    "episode",
    *_EVIDENCE,
    "run",
    "since",
    "since_offset",
)
Columns = dict[str, Any]
# Narrow column types keep a long event log small (about 60 bytes an event).
_DTYPES: dict[str, Any] = {
    "rule": np.int16,
    "entity": np.int32,
    "kind": np.int8,
    "tier": np.int8,
    "episode": np.int32,
    "run": np.int32,
    "since": np.int64,
    "since_offset": np.int32,
    "period": np.int32,
    **dict.fromkeys(_EVIDENCE, np.float64),
}


def _new(cls: type[Any], **fields: Any) -> Any:  # noqa: ANN401  any attrs class
    """Build a trusted attrs value without re-running its validators.

    Used only for values assembled from the monitor's own validated arrays,
    where validation would cost more than the evaluation itself.
    """
    instance = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(instance, name, value)
    return instance


def _evidence_value(  # noqa: PLR0913, PLR0917  the parts of the evidence
    observed: float,
    signal: float,
    baseline: float,
    bound: float,
    run_length: int,
    version: str | None,
) -> Evidence:
    result: Evidence = _new(
        Evidence,
        observed=float(observed),
        signal=float(signal),
        baseline=float(baseline),
        bound=float(bound),
        run_length=int(run_length),
        threshold_version=version,
    )
    return result


class StepResult:
    """What one period produced: the next monitor and the period's events.

    The events are kept as columns until first asked for, so stepping a
    monitor through a quiet or busy period costs numpy time only.

    Attributes
    ----------
    monitor
        The monitor after the period.

    Examples
    --------
    The module example steps a monitor one period at a time and collects the
    events and the resolved alerts.
    """

    __slots__ = ("_events", "_previous", "_resolved", "_table", "_timestamp", "monitor")

    def __init__(
        self,
        *,
        monitor: Monitor,
        previous: Monitor,
        timestamp: dt.datetime,
        table: Columns,
    ) -> None:
        """Hold one period's outcome (built by `Monitor.step()`)."""
        self.monitor = monitor
        self._previous = previous
        self._timestamp = timestamp
        self._table = table
        self._events: tuple[AlertEvent, ...] | None = None
        self._resolved: tuple[Alert, ...] | None = None

    def __repr__(self) -> str:
        """Summarise the step."""
        count = 0 if not self._table else int(self._table["kind"].size)
        return f"StepResult({self._timestamp.isoformat()}, {count} events)"

    @property
    def events(self) -> tuple[AlertEvent, ...]:
        """The period's alert events.

        Rule by rule; within a rule resolutions, then firings and level
        changes, then no-data events; each in entity order.
        """
        if self._events is None:
            self._events = (
                _materialise(self.monitor, (self._timestamp,), self._table)
                if self._table
                else ()
            )
        return self._events

    @property
    def resolved(self) -> tuple[Alert, ...]:
        """The alerts that resolved in this period, with their whole history."""
        if self._resolved is None:
            closed: list[Alert] = []
            kinds = self._table["kind"] if self._table else np.zeros(0)
            if np.isin(kinds, (_RESOLVED, _DATA_RESUMED)).any():
                opened = {_alert_key(a): a for a in self._previous.open_alerts}
                since = self._table["since"].tolist()
                offsets = self._table["since_offset"].tolist()
                for index, event in enumerate(self.events):
                    first = _first_breach(since[index], offsets[index], event.at)
                    done = _apply(opened, event, first)
                    if done is not None:
                        closed.append(done)
            self._resolved = tuple(closed)
        return self._resolved


class Evaluation:
    """The result of evaluating rules over a panel.

    Events are kept in columns (numpy arrays) while the rules run, so a year
    of daily data for thousands of entities evaluates at numpy speed;
    `events` and `alerts` turn them into values on first use.

    Attributes
    ----------
    monitor
        The monitor after the last period: continue it with new data.

    Examples
    --------
    See `evaluate()`, where one alert is still open at the end, and the module
    example, where the one alert is resolved.
    """

    __slots__ = ("_alerts", "_events", "_start", "_table", "_timestamps", "monitor")

    def __init__(
        self,
        *,
        monitor: Monitor,
        start: Monitor,
        timestamps: tuple[dt.datetime, ...],
        table: Columns,
    ) -> None:
        """Hold a finished run (built by `Monitor.run()`)."""
        self.monitor = monitor
        self._start = start
        self._timestamps = timestamps
        self._table = table
        self._events: tuple[AlertEvent, ...] | None = None
        self._alerts: tuple[Alert, ...] | None = None

    def __repr__(self) -> str:
        """Summarise the evaluation."""
        return f"Evaluation({len(self._timestamps)} periods, {self.event_count} events)"

    @property
    def event_count(self) -> int:
        """How many alert events the evaluation produced."""
        return int(self._table["kind"].size)

    @property
    def events(self) -> tuple[AlertEvent, ...]:
        """Every alert event, in time order (then as in `StepResult`)."""
        if self._events is None:
            self._events = _materialise(self.monitor, self._timestamps, self._table)
        return self._events

    @property
    def alerts(self) -> tuple[Alert, ...]:
        """Every alert episode (resolved and still firing), in firing order."""
        if self._alerts is None:
            opened = {_alert_key(a): a for a in self._start.open_alerts}
            closed: list[Alert] = []
            since = self._table["since"].tolist()
            offsets = self._table["since_offset"].tolist()
            for index, event in enumerate(self.events):
                first = _first_breach(since[index], offsets[index], event.at)
                resolved = _apply(opened, event, first)
                if resolved is not None:
                    closed.append(resolved)
            every = [*closed, *opened.values()]
            self._alerts = tuple(sorted(every, key=lambda a: (a.fired_at, a.id)))
        return self._alerts

    def firing(self) -> tuple[Alert, ...]:
        """Return the alerts still firing at the end."""
        return tuple(alert for alert in self.alerts if alert.is_firing)


def _materialise(
    monitor: Monitor, timestamps: Sequence[dt.datetime], table: Columns
) -> tuple[AlertEvent, ...]:
    """Turn event columns into AlertEvent values."""
    rules = monitor.rules
    entities = monitor.entities
    versions = table["versions"]
    columns = {name: table[name].tolist() for name in _COLUMNS}
    periods = table["period"].tolist()
    events: list[AlertEvent] = []
    for i, period in enumerate(periods):
        rule = rules[columns["rule"][i]]
        tier = columns["tier"][i]
        events.append(
            _new(
                AlertEvent,
                kind=_KINDS[columns["kind"][i]],
                at=timestamps[period],
                rule=rule.name,
                entity=entities[columns["entity"][i]],
                episode=columns["episode"][i],
                level=None if tier < 0 else rule.tiers[tier].level,
                crisis_type=rule.crisis_type,
                evidence=_evidence_value(
                    columns["observed"][i],
                    columns["signal"][i],
                    columns["baseline"][i],
                    columns["bound"][i],
                    columns["run"][i],
                    versions[period],
                ),
            )
        )
    return tuple(events)


# --- the rule state machine -------------------------------------------------


def _pick(values: list[Any], tiers: Any, entities: Any) -> Any:  # noqa: ANN401
    """Pick one evidence field for each event from the output of its own tier.

    ``values`` holds the field of each tier's output (an array per entity or
    one number); ``tiers`` is each event's tier (``None`` for one tier).
    Tiers on one signal share their arrays, so those are read once; only what
    differs is picked tier by tier, and only for the entities with an event.
    """
    first = values[0]
    if len(values) == 1 or all(v is first for v in values[1:]):
        if isinstance(first, np.ndarray) and first.ndim:
            return first[entities]
        return np.full(entities.size, float(first))
    if all(np.ndim(v) == 0 for v in values):
        return np.asarray(values, dtype=np.float64)[tiers]
    n = next(v for v in values if np.ndim(v)).shape[0]
    small = np.stack([per_entity(v, n)[entities] for v in values])
    return small[tiers, np.arange(entities.size)]


def _gather(outputs: list[ConditionOutput], tiers: Any, entities: Any) -> list[Any]:  # noqa: ANN401
    """Pick each event's evidence from the output of its own tier (see `_pick`)."""
    return [
        _pick([getattr(out, name) for out in outputs], tiers, entities)
        for name in _EVIDENCE
    ]


def _group_key(rule: TriggerRule) -> tuple[Any, ...]:
    """Rules with equal keys share one vectorised state machine."""
    persistence = rule.persistence
    window = persistence.n if isinstance(persistence, MOfN) else None
    return (
        len(rule.tiers),
        type(persistence),
        window,
        rule.missing,
        rule.clear_condition is not None,
    )


def _gap_unknown(condition: Condition) -> bool:
    """Whether a condition's verdict is unknown wherever its metric is missing.

    True of every condition on one metric except a level shift (whose
    medians of recent periods can be known across a one-period gap).
    """
    if isinstance(condition, Threshold):
        return not isinstance(condition.signal, LevelShift)
    if isinstance(condition, (EWMAChart, CUSUMChart)):
        return True
    if isinstance(condition, Not):
        return _gap_unknown(condition.condition)
    return all(_gap_unknown(part) for part in condition.conditions)


def _gaps_unknown(rule: TriggerRule) -> bool:
    """Whether a gap in the rule's data always leaves its verdict unknown.

    A rule on several metrics can still decide with one of them missing
    (an any-of on two metrics), so only one-metric rules qualify.
    """
    conditions = [tier.condition for tier in rule.tiers]
    if rule.clear_condition is not None:
        conditions.append(rule.clear_condition)
    return len(rule.metrics) == 1 and all(_gap_unknown(c) for c in conditions)


def _per_rule(values: list[int]) -> int | Any:  # noqa: ANN401  int or int array
    """Return one number if every rule of a group agrees, else one per rule."""
    if all(v == values[0] for v in values):
        return values[0]
    return np.asarray(values, dtype=np.int64)


class _RuleSlice:
    """One rule's rows of its group's state, read by `Monitor.open_alerts`."""

    def __init__(self, group: _CompiledGroup, row: int) -> None:
        self.rule = group.rules[row]
        self.index = group.indices[row]
        self._group = group
        self._row = row

    def key(self, name: str) -> str:
        return name

    def arrays(self, live: State) -> State:
        """Return this rule's part of every state array of its group, by field."""
        n = self._group.n
        part = slice(self._row * n, (self._row + 1) * n)
        prefix = self._group.prefix + "."
        return {
            name[len(prefix) :]: value[..., part]
            for name, value in live.items()
            if name.startswith(prefix)
        }


#: Every per-cell state array of a rule group, by field name.
_GROUP_FIELDS = (
    "status",
    "busy",
    "level",
    "peak",
    "fired_tier",
    "clean",
    "cool",
    "episode",
    "since",
    "since_offset",
    "fired",
    "fired_offset",
    "evidence",
    "evidence_run",
    "evidence_version",
    "gap",
    "nodata",
    "nodata_episode",
    "nodata_at",
    "nodata_offset",
    "nodata_run",
    "nodata_version",
    "run",
    "window",
    "wpos",
)


#: What an alert keeps from its firing, one record per cell: a firing then
#: costs one recorded write instead of one per field. The fields are also in
#: the state as views (``g0.episode``, ``g0.evidence`` as a 4 × cells array...),
#: and saved as such, so the saved state is the same as with separate arrays.
_FIRING_RECORD = np.dtype(
    [
        ("episode", np.int64),
        ("fired", np.int64),
        ("fired_offset", np.int64),
        ("evidence_run", np.int64),
        ("evidence_version", np.int64),
        ("evidence", np.float64, (4,)),
        ("fired_tier", np.int8),
        ("peak", np.int8),
    ],
    align=True,
)


def _join_records(state: State, prefix: str) -> State:
    """Move a group's firing fields into one record (in place; see above)."""
    cells = state[f"{prefix}.episode"].shape[0]
    record = np.zeros(cells, dtype=_FIRING_RECORD)
    for field in _FIRING_RECORD.names or ():
        value = state[f"{prefix}.{field}"]
        record[field] = value.T if value.ndim > 1 else value
    state[f"{prefix}{RECORD}"] = record
    return bind_records(state)


class _CompiledGroup:
    """A vectorised state machine for rules of one shape, over all entities.

    Rules with the same number of tiers, kind of persistence, missing-data
    policy and use of a clear condition run together: their state is kept
    rule after rule in flat arrays of ``rules × entities`` cells, so one
    period costs the same number of numpy calls for four rules as for one.
    Per-rule settings (run length, clear-after, cooldown, maximum gap) are
    numbers, or arrays by rule where the rules differ.
    """

    def __init__(
        self,
        number: int,
        members: list[tuple[int, TriggerRule]],
        program: Program,
        n: int,
    ) -> None:
        self.prefix = f"g{number}"
        self.names = {name: f"{self.prefix}.{name}" for name in _GROUP_FIELDS}
        self.record = f"{self.prefix}{RECORD}"
        self.indices = [index for index, _ in members]
        self.rules = [rule for _, rule in members]
        self.rule_metrics = [rule.metrics for rule in self.rules]
        self.same_metrics = all(m == self.rule_metrics[0] for m in self.rule_metrics)
        self.n = n
        self.program = program
        first = self.rules[0]
        self.tiers = len(first.tiers)
        self.consecutive = isinstance(first.persistence, Consecutive)
        self.missing = first.missing
        self.has_clear = first.clear_condition is not None
        self.window_length = (
            first.persistence.n if isinstance(first.persistence, MOfN) else 0
        )
        self.need = _per_rule(
            [
                r.persistence.n if isinstance(r.persistence, Consecutive) else 0
                for r in self.rules
            ]
        )
        self.m = _per_rule(
            [
                r.persistence.m if isinstance(r.persistence, MOfN) else 0
                for r in self.rules
            ]
        )
        self.clear_after = _per_rule([r.clear_after for r in self.rules])
        self.cooldown = _per_rule([r.cooldown for r in self.rules])
        self.max_gap = _per_rule([r.max_gap or 0 for r in self.rules])
        # Missing data changes nothing for a quiet cell (inactive, no run, no
        # cooldown) unless it counts as a breach, raises a no-data alert or
        # moves an M-of-N window's position: only then must it wake the cell.
        self.missing_wakes = not self.consecutive or self.missing in (
            MissingData.AS_BREACH,
            MissingData.NO_DATA,
        )
        self.rule_numbers = np.asarray(self.indices, dtype=_DTYPES["rule"])
        # Where each rule's events start among `_lean_events`' sorted keys.
        self.rule_keys = 2 * n * np.arange(len(self.rules) + 1)
        self._fired_kind = np.asarray(_FIRED, dtype=_DTYPES["kind"])
        self._resolved_kind = np.asarray(_RESOLVED, dtype=_DTYPES["kind"])
        # The commonest shape (one tier, a consecutive run, resolve on the
        # first clean period, no cooldown, no clear condition, no no-data
        # alerts) has a state machine small enough to run on whole arrays:
        # see `_step_lean`. `Monitor.resume` turns it off for a state that
        # breaks the invariants it relies on (see `lean_invariants_hold`).
        self.lean = (
            _LEAN_PATH
            and self.tiers == 1
            and self.consecutive
            and self.missing is not MissingData.NO_DATA
            and not self.has_clear
            and isinstance(self.clear_after, int)
            and self.clear_after == 1
            and isinstance(self.cooldown, int)
            and self.cooldown == 0
        )
        self.gaps_break_unknown = self.missing is MissingData.BREAK and all(
            _gaps_unknown(rule) for rule in self.rules
        )
        # Each rule's run length needed, as a column against the rules ×
        # entities view of the cells (a number if the rules agree).
        self.row_need = (
            self.need
            if isinstance(self.need, int)
            else self.need.astype(np.int32)[:, np.newaxis]
        )
        for rule in self.rules:
            for tier in rule.tiers:
                program.register(tier.condition)
            if rule.clear_condition is not None:
                program.register(rule.clear_condition)

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def slices(self) -> list[_RuleSlice]:
        return [_RuleSlice(self, row) for row in range(len(self.rules))]

    def init(self, n: int) -> State:
        cells = len(self.rules) * n
        key = self.key
        state: State = {
            key("status"): np.zeros(cells, dtype=np.int8),
            key("busy"): np.zeros(cells, dtype=bool),
            key("level"): np.full(cells, -1, dtype=np.int8),
            key("peak"): np.full(cells, -1, dtype=np.int8),
            key("fired_tier"): np.full(cells, -1, dtype=np.int8),
            key("clean"): np.zeros(cells, dtype=np.int64),
            key("cool"): np.zeros(cells, dtype=np.int64),
            key("episode"): np.zeros(cells, dtype=np.int64),
            key("since"): np.full(cells, -1, dtype=np.int64),
            key("since_offset"): np.zeros(cells, dtype=np.int64),
            key("fired"): np.full(cells, -1, dtype=np.int64),
            key("fired_offset"): np.zeros(cells, dtype=np.int64),
            key("evidence"): np.full((4, cells), np.nan),
            key("evidence_run"): np.zeros(cells, dtype=np.int64),
            key("evidence_version"): np.full(cells, -1, dtype=np.int64),
            key("gap"): np.zeros(cells, dtype=np.int64),
            key("nodata"): np.zeros(cells, dtype=bool),
            key("nodata_episode"): np.zeros(cells, dtype=np.int64),
            key("nodata_at"): np.full(cells, -1, dtype=np.int64),
            key("nodata_offset"): np.zeros(cells, dtype=np.int64),
            key("nodata_run"): np.zeros(cells, dtype=np.int64),
            key("nodata_version"): np.full(cells, -1, dtype=np.int64),
        }
        if self.consecutive:
            # Run lengths fit 32 bits (two billion periods), and halve the
            # memory traffic of the lean path's whole-array updates.
            state[key("run")] = np.zeros((self.tiers, cells), dtype=np.int32)
        else:
            state[key("window")] = np.zeros(
                (self.tiers, self.window_length, cells), dtype=bool
            )
            state[key("wpos")] = np.zeros(cells, dtype=np.int64)
        return _join_records(state, self.prefix)

    def _by_rule(self, values: Any, rule_of: Any) -> Any:  # noqa: ANN401
        """Return a per-rule setting for each active cell (a number if uniform)."""
        if isinstance(values, int):
            return values
        return values[rule_of]

    def _joined(self, arrays: list[Any]) -> Any:  # noqa: ANN401
        """Return every rule's per-entity array in one flat array, rule after rule."""
        if len(arrays) == 1:
            return arrays[0]
        return np.concatenate(arrays)

    def _missing(self, frame: Frame) -> BoolArray | None:
        """Return the cells whose rule misses a metric this period (or None)."""
        masks = [frame.missing(metrics) for metrics in self.rule_metrics]
        if all(mask is None for mask in masks):
            return None
        blank = np.zeros(self.n, dtype=bool)
        joined: BoolArray = self._joined(
            [blank if mask is None else mask for mask in masks]
        )
        return joined

    def _policy(
        self,
        breach: Any,  # noqa: ANN401  (K, m) boolean array
        missing: BoolArray | None,
    ) -> tuple[Any, BoolArray | None, BoolArray | None]:
        """Apply the missing-data policy; return (breach, update, reset)."""
        if missing is None or not missing.any():
            return breach, None, None
        policy = self.missing
        if policy in (MissingData.HOLD, MissingData.NO_DATA):
            return breach, ~missing, None
        if policy is MissingData.BREAK:
            return breach, None, missing
        breach = breach.copy()
        if policy is MissingData.AS_BREACH:
            breach[0] |= missing
            breach[1:, missing] = False
        else:  # AS_CLEAR
            breach[:, missing] = False
        return breach, None, None

    def step(  # noqa: C901, PLR0912, PLR0915  one vectorised pass of the state machine
        self,
        state: State,
        new: Journal,
        frame: Frame,
        outputs: dict[int, tuple[Any, ...]],
        context: _StepContext,
    ) -> list[Columns]:
        """Advance every rule and entity one period; return the events as columns.

        Only cells with something going on (a breach, missing data, an alert
        pending, firing or cooling down) are touched; for every other cell
        the state machine provably stays put, so a quiet catalogue of
        thousands of SKUs costs a handful of whole-array operations. The
        breach events (resolutions, firings, level changes) come as one part
        already in the documented order.
        """
        if self.lean:
            return self._step_lean(state, new, frame, outputs, context)
        names = self.names
        n = self.n
        evaluate = self.program.evaluate
        outs = [
            [evaluate(t.condition, frame, outputs) for t in rule.tiers]
            for rule in self.rules
        ]
        tiers = self.tiers
        if tiers == 1:
            any_tier = self._joined([o[0].breach for o in outs])
            breach_full = None
        else:
            breach_full = np.stack(
                [self._joined([o[k].breach for o in outs]) for k in range(tiers)]
            )
            any_tier = breach_full.any(axis=0)
        # "busy": pending, firing or cooling down (kept up to date below).
        active = any_tier | state[names["busy"]]
        shared_missing: BoolArray | None = None
        missing_full: BoolArray | None = None
        if self.same_metrics and not self.missing_wakes:
            # Every rule misses the same entities: look them up per entity.
            shared_missing = frame.missing(self.rule_metrics[0])
        else:
            missing_full = self._missing(frame)
            if missing_full is not None and self.missing_wakes:
                active |= missing_full
        no_data = self.missing is MissingData.NO_DATA
        if no_data:
            active |= (state[names["gap"]] > 0) | state[names["nodata"]]
        idx = np.flatnonzero(active)
        if idx.size == 0:
            return []
        if len(self.rules) == 1:
            rule_of = np.zeros(idx.size, dtype=np.intp)
            entity = idx
        else:
            rule_of, entity = np.divmod(idx, n)

        missing: BoolArray | None = None
        if shared_missing is not None:
            missing = shared_missing[entity]
        elif missing_full is not None:
            missing = missing_full[idx]
        picked = (
            any_tier[idx][np.newaxis, :] if breach_full is None else breach_full[:, idx]
        )
        breach, update, reset = self._policy(picked, missing)
        satisfied, counts = self._counts(
            state, new, idx, rule_of, breach, update, reset
        )
        if tiers == 1:
            any_satisfied = satisfied[0]
            top = np.where(any_satisfied, 0, -1)
            any_breach = breach[0]
            has_counts = counts[0] > 0
            known_full = self._joined([o[0].known for o in outs])
        else:
            any_satisfied = satisfied.any(axis=0)
            last = tiers - 1
            top = np.where(any_satisfied, last - np.argmax(satisfied[::-1], axis=0), -1)
            any_breach = breach.any(axis=0)
            has_counts = counts.any(axis=0)
            known_full = self._joined(
                [np.logical_or.reduce([out.known for out in o]) for o in outs]
            )
        status = state[names["status"]][idx]
        level = state[names["level"]][idx]
        clean = state[names["clean"]][idx]
        cool = state[names["cool"]][idx]
        since = state[names["since"]][idx]
        firing = status == _FIRING

        # A period is clean only with evidence of recovery: no tier breached
        # and at least one tier's verdict known (an unknown verdict, e.g. the
        # day after a gap with a previous-value baseline, proves nothing).
        clean_now = known_full[idx]
        clean_now &= ~any_breach
        as_clear = self.missing is MissingData.AS_CLEAR
        if as_clear and missing is not None:
            clean_now |= missing
        if update is not None:
            clean_now &= update
        if reset is not None:
            clean_now &= ~reset
        if self.has_clear:
            holds_full = self._joined(
                [self._holds(rule, frame, outputs) for rule in self.rules]
            )
            holds = holds_full[idx]
            if as_clear and missing is not None:
                holds |= missing
            clean_now &= holds
        counting = firing if update is None else firing & update
        clean_count = np.where(counting, np.where(clean_now, clean + 1, 0), clean)
        resolve = firing & (clean_count >= self._by_rule(self.clear_after, rule_of))
        blocked = cool > 0
        fire = any_satisfied & ~firing
        fire &= ~blocked
        still_firing = firing & ~resolve
        level_change = still_firing & any_satisfied
        level_change &= top != level
        starting = (status == _INACTIVE) & (has_counts | fire)
        starting &= since < 0
        moving = fire | level_change
        settle = resolve | moving
        new_since = np.where(starting, context.now_micros, since)
        new_since[resolve | ((status == _PENDING) & ~has_counts & ~fire)] = -1
        new_status = np.where(has_counts & ~resolve, _PENDING, _INACTIVE)
        new_status[fire | still_firing] = _FIRING
        new_level = np.where(moving, top, level)
        new_level[resolve] = -1
        new_cool = np.where(blocked, cool - 1, 0)
        if isinstance(self.cooldown, int):
            if self.cooldown:
                new_cool[resolve] = self.cooldown
        else:
            new_cool = np.where(resolve, self.cooldown[rule_of], new_cool)
        busy = new_cool > 0
        busy |= new_status != _INACTIVE
        new.scatter(names["status"], idx, new_status, old=status)
        new.scatter(names["level"], idx, new_level, old=level)
        clean_count_kept = clean_count.copy()
        clean_count_kept[fire | resolve] = 0
        new.scatter(names["clean"], idx, clean_count_kept, old=clean)
        new.scatter(names["cool"], idx, new_cool, old=cool)
        new.scatter(names["busy"], idx, busy)
        new.scatter(names["since"], idx, new_since, old=since)
        if starting.any():
            new.scatter(names["since_offset"], idx[starting], context.offset_seconds)

        parts: list[Columns] = []
        if settle.any():
            parts.append(
                self._breach_events(
                    state,
                    new,
                    outs,
                    context,
                    idx,
                    rule_of,
                    entity,
                    np.flatnonzero(settle),
                    moving,
                    fire,
                    top,
                    level,
                    clean_count,
                    new_since,
                    counts,
                )
            )
        if no_data:
            parts.extend(
                self._no_data(state, new, idx, rule_of, entity, missing, frame, context)
            )
        return parts

    def tidy(self, live: State) -> dict[str, np.ndarray[Any, Any]]:
        """Return the arrays to save in place of their live form.

        A lean group leaves a calmed-down cell's first-breach time as it was
        (`_step_lean`); a saved state shows -1 there, as the general path
        keeps it.
        """
        if not self.lean:
            return {}
        names = self.names
        since = np.where(live[names["busy"]], live[names["since"]], -1)
        return {names["since"]: since}

    def lean_invariants_hold(self, state: State) -> bool:
        """Whether a state obeys what `_step_lean` relies on (always, if it made it).

        For a lean group every cell is firing (status firing, level 0),
        pending (a run under way, level -1) or inactive (no run, level -1,
        no first-breach time); busy means not inactive; the clean count and
        cooldown stay 0. Both step paths keep this true; only a hand-made
        state can break it, and then the group takes the general path.
        """
        names = self.names
        status = state[names["status"]]
        run = state[names["run"]][0]
        firing = status == _FIRING
        expected = np.add(run > 0, firing, dtype=np.int8)
        expected[firing] = _FIRING
        busy = status != _INACTIVE
        return bool(
            np.array_equal(status, expected)
            and (run >= 0).all()
            and np.array_equal(state[names["busy"]], busy)
            and np.array_equal(state[names["level"]], np.where(firing, 0, -1))
            and np.array_equal(state[names["since"]] >= 0, busy)
            and not state[names["clean"]].any()
            and not state[names["cool"]].any()
        )

    def _step_lean(
        self,
        state: State,
        new: Journal,
        frame: Frame,
        outputs: dict[int, tuple[Any, ...]],
        context: _StepContext,
    ) -> list[Columns]:
        """Advance a lean group (see `lean`) one period on whole arrays.

        With one tier, a consecutive run, no cooldown and resolution on the
        first clean period, a cell's state is its run length and whether it
        fires: the run grows on a breach and restarts otherwise (the
        missing-data policy decides what a gap does), the cell fires once
        the run is long enough and resolves on the first clean period. That
        is a handful of whole-array operations per period, cheaper than
        picking out the active cells; the other fields change only where an
        alert fires or resolves, or a run starts or ends. The result equals
        `step`'s general path exactly (the tests compare them).
        """
        names = self.names
        evaluate = self.program.evaluate
        outs = [evaluate(r.tiers[0].condition, frame, outputs) for r in self.rules]
        breach = self._joined([o.breach for o in outs])
        known = self._joined([o.known for o in outs])
        # Where a gap already makes every rule's verdict unknown, breaking
        # the run on a gap is what an unknown verdict does anyway.
        missing = None if self.gaps_break_unknown else self._missing(frame)
        policy = self.missing
        hold: BoolArray | None = None
        # For booleans ``a > b`` is ``a & ~b`` in one pass.
        if missing is None:
            grows = breach
            clean = np.greater(known, breach)
        elif policy is MissingData.AS_BREACH:
            grows = breach | missing
            clean = np.greater(known, grows)
        else:
            grows = np.greater(breach, missing)
            clean = np.greater(known, breach | missing)
            if policy is MissingData.AS_CLEAR:
                clean |= missing
            elif policy is MissingData.HOLD:
                hold = missing
        run_before = state[names["run"]][0]
        run = run_before + 1
        run *= grows
        if hold is not None:
            np.copyto(run, run_before, where=hold)
        status = state[names["status"]]
        was_firing = status == _FIRING
        firing = np.greater(was_firing, clean)
        firing |= (run.reshape(len(self.rules), self.n) >= self.row_need).ravel()
        # Without held runs a run is under way exactly where it grew.
        busy = np.logical_or(grows, firing) if hold is None else run > 0
        if hold is not None:
            busy |= firing
        was_busy = state[names["busy"]]
        new[names["run"]] = run[np.newaxis, :]
        new[names["status"]] = np.add(busy, firing, dtype=np.int8)
        new[names["busy"]] = busy
        # A lean cell's first-breach time is written when it gets busy and
        # left as it is when it calms down: only busy cells' times are read
        # (`tidy` sets the others to -1 in a saved state).
        starting = np.greater(busy, was_busy).nonzero()[0]
        if starting.size:
            new.scatter(names["since"], starting, context.now_micros)
            new.scatter(names["since_offset"], starting, context.offset_seconds)
        key = self._flips(was_firing, firing)
        if not key.size:
            return []
        # The level of a lean cell is 0 while firing and -1 otherwise.
        new[names["level"]] = np.subtract(firing, 1, dtype=np.int8)
        return [self._lean_events(state, new, outs, context, key, run)]

    def _flips(self, was_firing: BoolArray, firing: BoolArray) -> Any:  # noqa: ANN401
        """Return the cells that resolved or fired, as sorted event keys.

        A key is ``(2 * rule + fired) * n + entity``: marking resolutions in
        row ``[rule, 0]`` and firings in row ``[rule, 1]`` of one array and
        reading it flat gives them in event order (rule by rule, resolutions
        first, entity order within each) without a sort.
        """
        rules = len(self.rules)
        before = was_firing.reshape(rules, self.n)
        after = firing.reshape(rules, self.n)
        flips = np.empty((rules, 2, self.n), dtype=bool)
        np.greater(before, after, out=flips[:, 0])
        np.greater(after, before, out=flips[:, 1])
        return np.flatnonzero(flips)

    def _lean_events(  # noqa: PLR0913, PLR0917  the pieces of one lean period
        self,
        state: State,
        new: Journal,
        outs: list[ConditionOutput],
        context: _StepContext,
        key: Any,  # noqa: ANN401  ``(2 * rule + fired) * n + entity``, sorted
        run: Any,  # noqa: ANN401  int32 run lengths
    ) -> Columns:
        """Record a lean group's firings and resolutions; return their columns.

        Rule by rule, resolutions before firings, entity order within each
        (the order of ``key``). `_step_lean` has already written this
        period's first-breach times, so a firing cell reads the start of its
        run there; a resolution reports none (-1) and a run of 1 (its one
        clean period).
        """
        names = self.names
        n = self.n
        kind_row, entity = np.divmod(key, n)
        rule_of: Any = None
        # ``is_fire`` is 1 for a firing and 0 for a resolution.
        if len(self.rules) == 1:
            is_fire = kind_row
            cells = entity
        else:
            rule_of = kind_row >> 1
            is_fire = kind_row & 1
            cells = entity + n * rule_of
        size = key.size
        episodes = state[names["episode"]][cells]
        episodes += is_fire
        evidence = self._lean_evidence(outs, key, entity)
        # Only a firing reports a first-breach time and a run of its own.
        since = np.full(size, -1, dtype=_DTYPES["since"])
        offsets = np.zeros(size, dtype=_DTYPES["since_offset"])
        runs = np.ones(size, dtype=_DTYPES["run"])
        fire_at = is_fire.nonzero()[0]
        if fire_at.size:
            newly = cells[fire_at]
            since[fire_at] = state[names["since"]][newly]
            offsets[fire_at] = state[names["since_offset"]][newly]
            fired_runs = run[newly]
            runs[fire_at] = fired_runs
            self._record_firings(
                new,
                context,
                newly,
                episodes[fire_at],
                0,
                [column[fire_at] for column in evidence],
                fired_runs,
            )
        columns: Columns = {
            "rule": (
                np.full(size, self.indices[0], dtype=_DTYPES["rule"])
                if rule_of is None
                else self.rule_numbers[rule_of]
            ),
            "entity": entity.astype(_DTYPES["entity"]),
            "kind": np.where(is_fire, self._fired_kind, self._resolved_kind),
            "tier": np.zeros(size, dtype=_DTYPES["tier"]),
            "episode": episodes.astype(_DTYPES["episode"]),
            "run": runs,
            "since": since,
            "since_offset": offsets,
        }
        for name, values in zip(_EVIDENCE, evidence, strict=True):
            columns[name] = values
        return columns

    def _holds(
        self, rule: TriggerRule, frame: Frame, outputs: dict[int, tuple[Any, ...]]
    ) -> BoolArray:
        """Return where a rule's clear condition is known to hold this period."""
        assert rule.clear_condition is not None  # noqa: S101  grouped by it
        clear = self.program.evaluate(rule.clear_condition, frame, outputs)
        holds: BoolArray = clear.known & clear.breach
        return holds

    def _lean_evidence(
        self,
        outs: list[ConditionOutput],
        key: Any,  # noqa: ANN401  sorted event keys (see `_lean_events`)
        entity: Any,  # noqa: ANN401
    ) -> FloatArray:
        """Return one-tier rules' evidence per event, a row per field.

        The same numbers as `_evidence` with no tier to choose: a field every
        rule shares (the observed value, typically) is read at once, the
        others rule by rule and joined into their row.
        """
        segments: list[tuple[int, Any]] = [(0, entity)]
        if len(outs) > 1:
            bounds = np.searchsorted(key, self.rule_keys).tolist()
            segments = [
                (row, entity[start:stop])
                for row, (start, stop) in enumerate(itertools.pairwise(bounds))
                if start != stop
            ]
        block = np.empty((len(_EVIDENCE), entity.size))
        for field, name in enumerate(_EVIDENCE):
            values = [getattr(out, name) for out in outs]
            first = values[0]
            shared = True
            for value in values:
                if value is not first:
                    shared = False
                    break
            if shared:
                # A fixed bound is a number; every other field an array.
                block[field] = first if isinstance(first, float) else first[entity]
                continue
            parts = [
                np.full(where.size, values[row])
                if isinstance(values[row], float)
                else values[row][where]
                for row, where in segments
            ]
            # Joining into a row of the block casts to float if need be.
            np.concatenate(parts, out=block[field], casting="unsafe")
        return block

    def _evidence(
        self,
        outs: list[list[ConditionOutput]],
        rule_of: Any,  # noqa: ANN401
        chosen: Any,  # noqa: ANN401
        entity: Any,  # noqa: ANN401
    ) -> list[Any]:
        """Return the numbers behind each event, from its own rule's tiers.

        ``rule_of`` must be sorted; ``chosen`` is each event's tier (``None``
        for one-tier rules). A field every rule shares (the observed value,
        typically) is read once for all events.
        """
        if len(outs) == 1:
            return _gather(outs[0], chosen, entity)
        bounds: list[int] | None = None
        picked: list[Any] = []
        for name in _EVIDENCE:
            values = [[getattr(out, name) for out in o] for o in outs]
            first = values[0][0]
            if all(v is first for row in values for v in row):
                picked.append(_pick([first], None, entity))
                continue
            if bounds is None:
                bounds = np.searchsorted(rule_of, np.arange(len(outs) + 1)).tolist()
            pieces = [
                _pick(
                    values[row],
                    None if chosen is None else chosen[start:stop],
                    entity[start:stop],
                )
                for row, (start, stop) in enumerate(itertools.pairwise(bounds))
                if start != stop
            ]
            picked.append(pieces[0] if len(pieces) == 1 else np.concatenate(pieces))
        return picked

    def _counts(  # noqa: PLR0913, PLR0917  the pieces of one persistence update
        self,
        state: State,
        new: Journal,
        idx: Any,  # noqa: ANN401
        rule_of: Any,  # noqa: ANN401
        breach: Any,  # noqa: ANN401
        update: BoolArray | None,
        reset: BoolArray | None,
    ) -> tuple[Any, Any]:
        """Advance persistence for ``idx``; return (satisfied, counts), (K, m)."""
        if self.consecutive:
            name = self.names["run"]
            where = (0, idx) if self.tiers == 1 else (slice(None), idx)
            run = state[name][where]
            grown = run + 1
            if self.tiers == 1:
                grown *= breach[0]
            else:
                grown *= breach
            if update is not None:
                grown = np.where(update, grown, run)
            if reset is not None:
                grown[..., reset] = 0
            new.scatter(name, where, grown, old=run)
            if self.tiers == 1:
                grown = grown[np.newaxis, :]
            return grown >= self._by_rule(self.need, rule_of), grown
        name = self.names["window"]
        index = (slice(None), slice(None), idx)
        before = state[name][index]
        window = before.copy()
        wpos = state[self.names["wpos"]][idx]
        movers = np.arange(idx.size) if update is None else np.flatnonzero(update)
        window[:, wpos[movers], movers] = breach[:, movers]
        wpos[movers] = (wpos[movers] + 1) % self.window_length
        if reset is not None:
            window[:, :, reset] = False
        new.scatter(name, index, window, old=before)
        new.scatter(self.names["wpos"], idx, wpos)
        counts = window.sum(axis=1)
        return counts >= self._by_rule(self.m, rule_of), counts

    def _breach_events(  # noqa: PLR0913, PLR0915, PLR0917  every kind of breach event
        self,
        state: State,
        new: Journal,
        outs: list[list[ConditionOutput]],
        context: _StepContext,
        idx: Any,  # noqa: ANN401
        rule_of: Any,  # noqa: ANN401
        entity: Any,  # noqa: ANN401
        settled: Any,  # noqa: ANN401  positions (into idx) with an event
        moving: Any,  # noqa: ANN401
        fire: Any,  # noqa: ANN401
        top: Any,  # noqa: ANN401
        level: Any,  # noqa: ANN401
        clean_count: Any,  # noqa: ANN401
        new_since: Any,  # noqa: ANN401
        counts: Any,  # noqa: ANN401
    ) -> Columns:
        """Record resolutions, firings and level changes; return their columns.

        The columns come rule by rule, resolutions before firings and level
        changes within a rule, entity order within each kind.
        """
        names = self.names
        moves = moving[settled]
        rules = rule_of[settled]
        resolving = ~moves
        any_resolve = bool(resolving.any())
        any_move = not bool(resolving.all())
        if any_resolve and any_move:
            rank = moves.astype(np.int16)
            if len(self.rules) > 1:
                rank += (rules * 2).astype(np.int16)
            order = np.argsort(rank, kind="stable")
            settled = settled[order]
            moves = moves[order]
            rules = rules[order]
            resolving = ~moves
        cells = idx[settled]
        entities = entity[settled]
        fired = fire[settled]
        chosen = top[settled]
        if any_resolve:
            # A resolution reports the first tier's numbers at its last level.
            tier_column = np.where(moves, chosen, level[settled])
            evidence_tier = np.where(moves, chosen, 0) if self.tiers > 1 else None
            runs = clean_count[settled]
            if any_move:
                runs[moves] = counts[chosen[moves], settled[moves]]
        else:
            tier_column = chosen
            evidence_tier = chosen if self.tiers > 1 else None
            runs = counts[chosen, settled]
        evidence = self._evidence(outs, rules, evidence_tier, entities)
        episodes = state[names["episode"]][cells]
        if any_resolve:
            self._reset_persistence(new, cells[resolving])
        since = np.full(cells.size, -1, dtype=_DTYPES["since"])
        offsets = np.zeros(cells.size, dtype=_DTYPES["since_offset"])
        kinds = np.full(cells.size, _RESOLVED, dtype=_DTYPES["kind"])
        if any_move:
            moved_at = settled[moves]
            moved = idx[moved_at]
            moved_tier = top[moved_at]
            moved_fired = fire[moved_at]
            since[moves] = new_since[moved_at]
            offsets[moves] = state[names["since_offset"]][moved]
            kinds[moves] = np.where(moved_fired, _FIRED, _LEVEL_CHANGED)
            peak = np.maximum(state[names["peak"]][moved], moved_tier)
            peak[moved_fired] = moved_tier[moved_fired]
            new.scatter(names["peak"], moved, peak)
            if moved_fired.any():
                self._record_firings(
                    new,
                    context,
                    cells[fired],
                    episodes[fired] + 1,
                    chosen[fired],
                    [column[fired] for column in evidence],
                    runs[fired],
                )
                episodes += fired
        columns: Columns = {
            "rule": (
                np.full(cells.size, self.indices[0], dtype=_DTYPES["rule"])
                if len(self.rules) == 1
                else self.rule_numbers[rules]
            ),
            "entity": entities.astype(_DTYPES["entity"]),
            "kind": kinds,
            "tier": tier_column.astype(_DTYPES["tier"]),
            "episode": episodes.astype(_DTYPES["episode"]),
            "run": runs.astype(_DTYPES["run"]),
            "since": since,
            "since_offset": offsets,
        }
        for name, values in zip(_EVIDENCE, evidence, strict=True):
            columns[name] = np.asarray(values, dtype=np.float64)
        return columns

    def _columns(  # noqa: PLR0913  the columns of one kind of event
        self,
        rule_of: Any,  # noqa: ANN401
        entities: Any,  # noqa: ANN401
        *,
        kinds: Any,  # noqa: ANN401
        tiers: Any,  # noqa: ANN401
        episodes: Any,  # noqa: ANN401
        evidence: list[Any],
        runs: Any,  # noqa: ANN401
        since: Any,  # noqa: ANN401
        offsets: Any,  # noqa: ANN401
    ) -> Columns:
        n = entities.size
        kind = (
            np.full(n, kinds, dtype=_DTYPES["kind"])
            if isinstance(kinds, int)
            else np.asarray(kinds, dtype=_DTYPES["kind"])
        )
        rules = (
            np.full(n, self.indices[0], dtype=_DTYPES["rule"])
            if len(self.rules) == 1
            else self.rule_numbers[rule_of]
        )
        columns: Columns = {
            "rule": rules,
            "entity": entities.astype(_DTYPES["entity"]),
            "kind": kind,
            "tier": np.asarray(tiers, dtype=_DTYPES["tier"]),
            "episode": np.asarray(episodes, dtype=_DTYPES["episode"]),
            "run": np.asarray(runs, dtype=_DTYPES["run"]),
            "since": np.asarray(since, dtype=_DTYPES["since"]),
            "since_offset": np.asarray(offsets, dtype=_DTYPES["since_offset"]),
        }
        for name, values in zip(_EVIDENCE, evidence, strict=True):
            columns[name] = np.asarray(values, dtype=np.float64)
        return columns

    def _record_firings(  # noqa: PLR0913, PLR0917  what an alert keeps from its firing
        self,
        new: Journal,
        context: _StepContext,
        newly: Any,  # noqa: ANN401  cells that fired
        episodes: Any,  # noqa: ANN401
        tiers: Any,  # noqa: ANN401
        evidence: list[Any],
        runs: Any,  # noqa: ANN401
    ) -> None:
        """Remember what fired each new alert (for `Monitor.open_alerts`).

        One record per cell (see `_FIRING_RECORD`), written at once; the
        peak level of a new alert is the tier it fired at.
        """
        record = np.zeros(newly.size, dtype=_FIRING_RECORD)
        record["episode"] = episodes
        record["fired"] = context.now_micros
        record["fired_offset"] = context.offset_seconds
        record["evidence_run"] = runs
        record["evidence_version"] = context.version_index
        stored = record["evidence"]
        for row, column in enumerate(evidence):
            stored[:, row] = column
        if not isinstance(tiers, int) or tiers:  # a new record's tiers are 0
            record["fired_tier"] = tiers
            record["peak"] = tiers
        new.scatter(self.record, newly, record)

    def _reset_persistence(self, new: Journal, cells: Any) -> None:  # noqa: ANN401
        if self.consecutive:
            where = (0, cells) if self.tiers == 1 else (slice(None), cells)
            new.scatter(self.key("run"), where, 0)
        else:
            new.scatter(
                self.key("window"),
                (slice(None), slice(None), cells),
                values=False,
            )

    def _no_data(  # noqa: PLR0913, PLR0917  the pieces of one no-data update
        self,
        state: State,
        new: Journal,
        idx: Any,  # noqa: ANN401
        rule_of: Any,  # noqa: ANN401
        entity: Any,  # noqa: ANN401
        missing: BoolArray | None,
        frame: Frame,
        context: _StepContext,
    ) -> list[Columns]:
        key = self.key
        previous_gap = state[key("gap")][idx]
        gap = (
            np.zeros_like(previous_gap)
            if missing is None
            else np.where(missing, previous_gap + 1, 0)
        )
        new.scatter(key("gap"), idx, gap, old=previous_gap)
        nodata = state[key("nodata")][idx]
        start = ~nodata & (gap >= self._by_rule(self.max_gap, rule_of))
        end = nodata & (gap == 0)
        if not (start.any() or end.any()):
            return []
        new.scatter(key("nodata"), idx, (nodata | start) & ~end)
        episodes = state[key("nodata_episode")][idx] + start
        new.scatter(key("nodata_episode"), idx, episodes)
        started = idx[start]
        if started.size:
            new.scatter(key("nodata_at"), started, context.now_micros)
            new.scatter(key("nodata_offset"), started, context.offset_seconds)
            new.scatter(key("nodata_run"), started, gap[start])
            new.scatter(key("nodata_version"), started, context.version_index)
        changed = start | end
        changed_rules = rule_of[changed]
        entities = entity[changed]
        kinds = np.where(start[changed], _NO_DATA, _DATA_RESUMED)
        runs = np.where(start[changed], gap[changed], previous_gap[changed])
        nan = np.full(entities.size, np.nan)
        observed = self._joined([frame.values[rule.metrics[0]] for rule in self.rules])[
            idx[changed]
        ]
        return [
            self._columns(
                changed_rules,
                entities,
                kinds=kinds,
                tiers=np.full(entities.size, -1),
                episodes=episodes[changed],
                evidence=[observed, nan, nan, nan],
                runs=runs,
                since=np.full(entities.size, -1),
                offsets=np.zeros(entities.size),
            )
        ]


class _StepContext:
    """The period being processed: its time, offset and threshold version."""

    __slots__ = ("now_micros", "offset_seconds", "version_index")

    def __init__(self, moment: dt.datetime, version_index: int) -> None:
        self.now_micros = _to_micros(moment)
        offset = moment.utcoffset()
        self.offset_seconds = 0 if offset is None else int(offset.total_seconds())
        self.version_index = version_index


# --- the monitor ------------------------------------------------------------


def _check_rules(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(TriggerRule, "a TriggerRule"), min_length=1)(
        _instance, attribute, value
    )
    seen: set[str] = set()
    for rule in value:
        if rule.name in seen:
            raise DuplicateKeyError("rule", rule.name)
        seen.add(rule.name)


def _check_entities(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    check_unique_texts(value, field_name(attribute), "entity")


def _check_threshold_sets(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(ThresholdSet, "a ThresholdSet"))(
        _instance, attribute, value
    )
    versions = [s.version for s in value]
    for version in versions:
        if versions.count(version) > 1:
            raise DuplicateKeyError("threshold-set version", version)
    starts = [s.valid_from for s in value]
    for start in starts:
        if starts.count(start) > 1:
            raise DuplicateKeyError("threshold-set valid_from", start.isoformat())


_ChangeLog = FrozenDict[tuple[int, int], tuple[LevelChange, ...]]


@attrs.frozen(kw_only=True)
class Monitor:
    """Trigger rules evaluated one period at a time, as an immutable value.

    Build one with `start()`, feed periods with `step()` (streaming) or
    a whole panel with `run()` (batch); both give identical results.

    Attributes
    ----------
    rules
        The trigger rules (unique names).
    entities
        The entities every observation must list, in this order.
    thresholds
        Threshold sets; at each period the one valid then is used.

    Examples
    --------
    The module example runs a monitor on a whole panel, then one period at a
    time, and resumes it from saved state.
    """

    rules: tuple[TriggerRule, ...] = attrs.field(
        converter=to_tuple, validator=_check_rules
    )
    entities: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_check_entities
    )
    thresholds: tuple[ThresholdSet, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_threshold_sets
    )
    _version: Version = attrs.field(
        default=None, eq=False, repr=False, alias="_version"
    )
    _periods: int = attrs.field(default=0, eq=False, repr=False, alias="_periods")
    _last: dt.datetime | None = attrs.field(
        default=None, eq=False, repr=False, alias="_last"
    )
    _changes: _ChangeLog = attrs.field(
        factory=FrozenDict, eq=False, repr=False, alias="_changes"
    )
    _compiled: tuple[Program, tuple[_CompiledGroup, ...], dict[Any, Any]] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        """Compile the rules and create the initial state if none was given."""
        program = Program()
        n = len(self.entities)
        shapes: dict[tuple[Any, ...], list[tuple[int, TriggerRule]]] = {}
        for index, rule in enumerate(self.rules):
            shapes.setdefault(_group_key(rule), []).append((index, rule))
        groups = tuple(
            _CompiledGroup(number, members, program, n)
            for number, members in enumerate(shapes.values())
        )
        object.__setattr__(self, "_compiled", (program, groups, {}))
        if self._version is None:
            state = program.init(n)
            for group in groups:
                state.update(group.init(n))
            object.__setattr__(self, "_version", Version(Store(state)))

    @contextmanager
    def _live(self) -> Iterator[State]:
        """Hold this monitor's store with its arrays set to this monitor's state."""
        store = self._version.store
        with store.lock:
            yield store.checkout(self._version)

    def _successor(
        self, version: Version, periods: int, last: dt.datetime, changes: _ChangeLog
    ) -> Monitor:
        """Return the next monitor, sharing the validated, compiled parts."""
        successor: Monitor = _new(
            Monitor,
            rules=self.rules,
            entities=self.entities,
            thresholds=self.thresholds,
            _version=version,
            _periods=periods,
            _last=last,
            _changes=changes,
            _compiled=self._compiled,
        )
        return successor

    @classmethod
    def start(
        cls,
        rules: Iterable[TriggerRule],
        entities: Iterable[str],
        thresholds: Iterable[ThresholdSet] = (),
    ) -> Monitor:
        """Return a monitor that has seen no data yet."""
        return cls(
            rules=tuple(rules), entities=tuple(entities), thresholds=tuple(thresholds)
        )

    @classmethod
    def resume(
        cls,
        rules: Iterable[TriggerRule],
        entities: Iterable[str],
        state: MonitorState,
        thresholds: Iterable[ThresholdSet] = (),
    ) -> Monitor:
        """Return a monitor that continues from a saved `MonitorState`.

        The rules, entities and threshold sets must be the ones the state was
        made with.

        Raises
        ------
        ValidationError
            If the state's arrays do not fit the rules and entities.
        """
        if not isinstance(state, MonitorState):
            raise InvalidTypeError("state", state, "a MonitorState")
        fresh = cls.start(rules, entities, thresholds)
        live = _unpack(state.arrays)
        with fresh._live() as fresh_state:  # noqa: SLF001  same class, its own state
            expected = {
                key: value
                for key, value in fresh_state.items()
                if not key.endswith(RECORD)
            }
            shapes = {key: _shape(value) for key, value in expected.items()}
            dtypes = {
                key: value.dtype
                for key, value in expected.items()
                if not isinstance(value, tuple)
            }
        if set(live) != set(expected):
            raise ValidationError(
                "state.arrays",
                sorted(set(live) ^ set(expected)),
                "exactly the arrays these rules and entities need",
            )
        for key, shape in shapes.items():
            got = live[key]
            if shape != _shape(got):
                raise ValidationError(
                    f"state.arrays[{key!r}]", _shape(got), f"shape {shape}"
                )
            if key in dtypes:
                # A private, writable copy: the store updates it in place.
                live[key] = np.array(got, dtype=dtypes[key], copy=True)
        fresh._compiled[0].share_centres(live)  # noqa: SLF001  same class
        for group in fresh._compiled[1]:  # noqa: SLF001  same class
            _join_records(live, group.prefix)
            if group.lean and not group.lean_invariants_hold(live):
                group.lean = False
        rule_index = {rule.name: i for i, rule in enumerate(fresh.rules)}
        entity_index = {entity: i for i, entity in enumerate(fresh.entities)}
        changes = {
            (rule_index[a.rule], entity_index[a.entity]): a.level_changes
            for a in state.open_alerts
            if a.level_changes and a.rule in rule_index and a.entity in entity_index
        }
        return fresh._successor(  # noqa: SLF001  same class
            Version(Store(live)),
            state.periods,
            state.last_timestamp,  # type: ignore[arg-type]  # None before any period
            FrozenDict(changes),
        )

    @property
    def state(self) -> MonitorState:
        """A plain-data snapshot to save with ``to_data`` and `resume()`."""
        with self._live() as live:
            return MonitorState(
                periods=self._periods,
                last_timestamp=self._last,
                arrays=_pack(
                    live,
                    {
                        key: value
                        for group in self._compiled[1]
                        for key, value in group.tidy(live).items()
                    },
                ),
                open_alerts=self._open_alerts(live),
            )

    @property
    def open_alerts(self) -> tuple[Alert, ...]:
        """Alerts firing now, rule by rule in entity order."""
        with self._live() as live:
            return self._open_alerts(live)

    def _open_alerts(self, live: State) -> tuple[Alert, ...]:
        alerts: list[Alert] = []
        versions = [s.version for s in self.thresholds]
        slices = sorted(
            (piece for group in self._compiled[1] for piece in group.slices()),
            key=lambda piece: piece.index,
        )
        for rule_state in slices:
            arrays = rule_state.arrays(live)
            alerts.extend(_open_breaches(rule_state, arrays, self, versions))
            alerts.extend(_open_no_data(rule_state, arrays, self, versions))
        return tuple(alerts)

    @property
    def metrics(self) -> tuple[str, ...]:
        """Every metric key the rules read."""
        seen: dict[str, None] = {}
        for rule in self.rules:
            for metric in rule.metrics:
                seen[metric] = None
        return tuple(seen)

    # --- driving -------------------------------------------------------------

    def step(self, observation: Observation) -> StepResult:
        """Process one period and return the next monitor and its events.

        Raises
        ------
        ValidationError
            If the observation is not after the last one, or lists other
            entities.
        UnknownKeyError
            If a metric the rules read is not in the observation.
        """
        if not isinstance(observation, Observation):
            raise InvalidTypeError("observation", observation, "an Observation")
        # Comparing 10,000 keys costs more than a quiet step: remember the
        # last tuple found equal (observations of one panel share theirs).
        cache = self._compiled[2]
        if observation.entities is not cache.get("entities"):
            if observation.entities != self.entities:
                raise ValidationError(
                    "observation.entities",
                    observation.entities[:5],
                    f"the monitor's entities in order ({len(self.entities)} entities)",
                )
            cache["entities"] = observation.entities
        columns = self._metric_columns(observation.metrics)
        store = self._version.store
        with store.lock:  # `_live`, spelt out: this is the hot path
            journal = Journal(store.checkout(self._version), record=True)
            head = Version(store)
            try:
                table, monitor = self._advance(
                    observation.timestamp,
                    observation.values,
                    columns,
                    0,
                    journal,
                    head,
                )
            except BaseException:
                journal.rollback()
                raise
            assert journal.undo is not None  # noqa: S101  recording journal
            self._version.link(head, journal.undo)
        return StepResult(
            monitor=monitor,
            previous=self,
            timestamp=observation.timestamp,
            table=table,
        )

    def run(self, panel: Panel) -> Evaluation:
        """Process every period of ``panel`` in order (batch evaluation).

        This folds the streaming step over the panel's periods, so the result
        equals stepping through them one by one.
        """
        if not isinstance(panel, Panel):
            raise InvalidTypeError("panel", panel, "a Panel")
        if panel.entities != self.entities:
            raise ValidationError(
                "panel.entities",
                panel.entities[:5],
                f"the monitor's entities in order ({len(self.entities)} entities)",
            )
        columns = self._metric_columns(panel.metrics)
        monitor = self
        program = self._compiled[0]
        with self._live() as live:
            working = copy_state(live)
        program.share_centres(working)
        # The run's monitors share a private store updated in place; only the
        # last one escapes, so no undo records are needed.
        journal = Journal(working, record=False)
        head = Version(Store(working))
        tables: list[Columns] = []
        for index, timestamp in enumerate(panel.timestamps):
            table, monitor = monitor._advance(
                timestamp, panel.values[index], columns, index, journal, head
            )
            if table:
                tables.append(table)
        return Evaluation(
            monitor=monitor,
            start=self,
            timestamps=panel.timestamps,
            table=_concat(tables),
        )

    def _metric_columns(self, metrics: Sequence[str]) -> dict[str, int]:
        # Observations of one panel share their metrics tuple: remember the
        # answer for the last one seen.
        cache = self._compiled[2]
        found = cache.get("metrics")
        if found is not None and found[0] is metrics:
            columns: dict[str, int] = found[1]
            return columns
        columns = self._find_columns(metrics)
        cache["metrics"] = (metrics, columns)
        return columns

    def _find_columns(self, metrics: Sequence[str]) -> dict[str, int]:
        position = {metric: i for i, metric in enumerate(metrics)}
        columns: dict[str, int] = {}
        for metric in self.metrics:
            if metric not in position:
                raise UnknownKeyError("metric in the data", metric, position)
            columns[metric] = position[metric]
        return columns

    def _advance(  # noqa: PLR0913, PLR0917  one period and where it goes
        self,
        timestamp: dt.datetime,
        values: FloatArray,
        columns: dict[str, int],
        period: int,
        new: Journal,
        version: Version,
    ) -> tuple[Columns, Monitor]:
        """Run one period; return its event columns (empty dict if none).

        The state is updated in place through ``new`` (which records undo
        records when streaming); ``version`` is the successor's place in the
        store. Batch and streaming run exactly the same arithmetic.
        """
        check_aware(timestamp, "timestamp")
        if self._last is not None and timestamp <= self._last:
            raise ValidationError(
                "timestamp",
                timestamp,
                f"a period after the last one ({self._last.isoformat()})",
            )
        program, compiled, _ = self._compiled
        active = active_threshold_set(self.thresholds, timestamp)
        version_index = -1 if active is None else self.thresholds.index(active)
        bounds = self._bounds(version_index, timestamp)
        frame = Frame(
            {
                metric: np.ascontiguousarray(values[:, column])
                for metric, column in columns.items()
            },
            bounds,
            None if active is None else active.version,
        )
        state = new.state
        outputs = program.step_nodes(state, frame, new)
        context = _StepContext(timestamp, version_index)
        parts: list[Columns] = []
        for group in compiled:
            parts.extend(group.step(state, new, frame, outputs, context))
        changes = self._changes
        table: Columns = {}
        if parts:
            table = _in_rule_order(parts)
            periods = np.empty(table["kind"].size, dtype=np.int32)
            periods.fill(period)
            table["period"] = periods
            table["versions"] = {period: frame.version}
            changes = self._log_changes(table, timestamp, frame.version)
        monitor = self._successor(version, self._periods + 1, timestamp, changes)
        return table, monitor

    def _bounds(self, version_index: int, moment: dt.datetime) -> dict[str, Any]:
        """Return the active set's bounds for this monitor's entities (aligned once)."""
        if version_index < 0:
            return {}
        cache: dict[Any, Any] = self._compiled[2]
        aligned = cache.get(version_index)
        if aligned is None:
            aligned = self.thresholds[version_index].reordered(self.entities)
            cache[version_index] = aligned
        return bounds_at(aligned, moment)

    def _log_changes(
        self, table: Columns, timestamp: dt.datetime, version: str | None
    ) -> _ChangeLog:
        """Keep level changes of open alerts; forget them when alerts resolve."""
        kinds = table["kind"]
        level_changes = kinds == _LEVEL_CHANGED
        if not self._changes and not np.count_nonzero(level_changes):
            return self._changes
        interesting = level_changes | (kinds == _RESOLVED)
        changes = dict(self._changes)
        for i in np.flatnonzero(interesting).tolist():
            key = (int(table["rule"][i]), int(table["entity"][i]))
            if table["kind"][i] == _RESOLVED:
                changes.pop(key, None)
                continue
            rule = self.rules[key[0]]
            change: LevelChange = _new(
                LevelChange,
                at=timestamp,
                level=rule.tiers[int(table["tier"][i])].level,
                evidence=_evidence_value(
                    table["observed"][i],
                    table["signal"][i],
                    table["baseline"][i],
                    table["bound"][i],
                    table["run"][i],
                    version,
                ),
            )
            changes[key] = (*changes.get(key, ()), change)
        return FrozenDict(changes)


def _shape(value: Any) -> tuple[int, ...]:  # noqa: ANN401  array or ring
    if isinstance(value, tuple):
        return (len(value), *np.shape(value[0]))
    return tuple(np.shape(value))


#: Within a rule, a period lists resolutions, then firings and level changes,
#: then no-data events (indexed by event kind).
_KIND_RANK = np.array([1, 1, 0, 2, 2], dtype=np.int8)


def _in_rule_order(parts: list[Columns]) -> Columns:
    """Join one period's event columns, rule by rule (see `StepResult.events`).

    A group of rules yields each kind of event for all its rules at once,
    every part in (rule, entity) order; a stable sort by rule and kind rank
    restores the documented order without disturbing the entity order.
    """
    if len(parts) == 1:
        # One part is already in order (see `_CompiledGroup.step`).
        return dict(parts[0])
    table: Columns = {
        name: np.concatenate([p[name] for p in parts]) for name in _COLUMNS
    }
    rules = table["rule"]
    if rules.size > 1:
        rank = rules.astype(np.int32) * 3 + _KIND_RANK[table["kind"]]
        if np.any(rank[1:] < rank[:-1]):
            order = np.argsort(rank, kind="stable")
            table = {name: column[order] for name, column in table.items()}
    return table


def _concat(tables: list[Columns]) -> Columns:
    """Join per-period event columns into one table."""
    versions: dict[int, str | None] = {}
    for table in tables:
        versions.update(table["versions"])
    if not tables:
        empty: Columns = {
            name: np.zeros(0, dtype=_DTYPES[name]) for name in (*_COLUMNS, "period")
        }
        empty["versions"] = versions
        return empty
    joined: Columns = {
        name: np.concatenate([t[name] for t in tables])
        for name in (*_COLUMNS, "period")
    }
    joined["versions"] = versions
    return joined


def _alert_key(alert: Alert) -> tuple[str, str, AlertKind]:
    return (alert.rule, alert.entity, alert.kind)


def _moment(micros: int, offset: int) -> dt.datetime:
    zone = dt.timezone(dt.timedelta(seconds=offset))
    return _from_micros(micros).astimezone(zone)


def _open_breaches(
    rule_state: _RuleSlice, live: State, monitor: Monitor, versions: list[str]
) -> list[Alert]:
    key = rule_state.key
    rule = rule_state.rule
    firing = np.flatnonzero(live[key("status")] == _FIRING)
    alerts: list[Alert] = []
    for e in firing.tolist():
        level = rule.tiers[int(live[key("level")][e])].level
        peak = rule.tiers[int(live[key("peak")][e])].level
        fired_level = rule.tiers[int(live[key("fired_tier")][e])].level
        stored = live[key("evidence")][:, e]
        version_index = int(live[key("evidence_version")][e])
        evidence = _evidence_value(
            stored[0],
            stored[1],
            stored[2],
            stored[3],
            live[key("evidence_run")][e],
            None if version_index < 0 else versions[version_index],
        )
        fired_at = _moment(
            int(live[key("fired")][e]), int(live[key("fired_offset")][e])
        )
        since = int(live[key("since")][e])
        first = (
            _moment(since, int(live[key("since_offset")][e]))
            if since >= 0
            else fired_at
        )
        alerts.append(
            _new(
                Alert,
                kind=AlertKind.BREACH,
                rule=rule.name,
                entity=monitor.entities[e],
                episode=int(live[key("episode")][e]),
                crisis_type=rule.crisis_type,
                level=level,
                fired_level=fired_level,
                peak_level=peak,
                first_breach_at=first,
                fired_at=fired_at,
                resolved_at=None,
                evidence=evidence,
                level_changes=monitor._changes.get((rule_state.index, e), ()),  # noqa: SLF001
            )
        )
    return alerts


def _open_no_data(
    rule_state: _RuleSlice, live: State, monitor: Monitor, versions: list[str]
) -> list[Alert]:
    key = rule_state.key
    rule = rule_state.rule
    alerts: list[Alert] = []
    for e in np.flatnonzero(live[key("nodata")]).tolist():
        at = _moment(int(live[key("nodata_at")][e]), int(live[key("nodata_offset")][e]))
        version_index = int(live[key("nodata_version")][e])
        nan = float("nan")
        alerts.append(
            _new(
                Alert,
                kind=AlertKind.NO_DATA,
                rule=rule.name,
                entity=monitor.entities[e],
                episode=int(live[key("nodata_episode")][e]),
                crisis_type=rule.crisis_type,
                level=None,
                fired_level=None,
                peak_level=None,
                first_breach_at=at,
                fired_at=at,
                resolved_at=None,
                evidence=_evidence_value(
                    nan,
                    nan,
                    nan,
                    nan,
                    live[key("nodata_run")][e],
                    None if version_index < 0 else versions[version_index],
                ),
                level_changes=(),
            )
        )
    return alerts


def _first_breach(micros: int, offset: int, fallback: dt.datetime) -> dt.datetime:
    """Rebuild the first-breach time in the offset its period was reported in."""
    if micros < 0:
        return fallback
    return _moment(micros, offset)


def _apply(
    opened: dict[tuple[str, str, AlertKind], Alert],
    event: AlertEvent,
    first_breach: dt.datetime,
) -> Alert | None:
    """Fold one event into the open-alert table; return an alert it resolved."""
    if event.kind in (EventKind.NO_DATA, EventKind.DATA_RESUMED):
        key = (event.rule, event.entity, AlertKind.NO_DATA)
        if event.kind is EventKind.NO_DATA:
            opened[key] = _new(
                Alert,
                kind=AlertKind.NO_DATA,
                rule=event.rule,
                entity=event.entity,
                episode=event.episode,
                crisis_type=event.crisis_type,
                level=None,
                fired_level=None,
                peak_level=None,
                first_breach_at=event.at,
                fired_at=event.at,
                resolved_at=None,
                evidence=event.evidence,
                level_changes=(),
            )
            return None
        return attrs.evolve(opened.pop(key), resolved_at=event.at)
    key = (event.rule, event.entity, AlertKind.BREACH)
    if event.kind is EventKind.FIRED:
        opened[key] = _new(
            Alert,
            kind=AlertKind.BREACH,
            rule=event.rule,
            entity=event.entity,
            episode=event.episode,
            crisis_type=event.crisis_type,
            level=event.level,
            fired_level=event.level,
            peak_level=event.level,
            first_breach_at=first_breach,
            fired_at=event.at,
            resolved_at=None,
            evidence=event.evidence,
            level_changes=(),
        )
        return None
    if event.kind is EventKind.LEVEL_CHANGED:
        alert = opened[key]
        assert event.level is not None  # noqa: S101  breach events carry a level
        peak = alert.peak_level
        opened[key] = attrs.evolve(
            alert,
            level=event.level,
            peak_level=event.level if peak is None or event.level > peak else peak,
            level_changes=(
                *alert.level_changes,
                _new(
                    LevelChange, at=event.at, level=event.level, evidence=event.evidence
                ),
            ),
        )
        return None
    return attrs.evolve(opened.pop(key), resolved_at=event.at)


def evaluate(
    rules: Iterable[TriggerRule],
    panel: Panel,
    thresholds: Iterable[ThresholdSet] = (),
) -> Evaluation:
    """Evaluate ``rules`` over every period of ``panel`` (batch).

    Equivalent to ``Monitor.start(rules, panel.entities, thresholds).run(panel)``.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Evaluation, Panel, Raw, Threshold, Tier
    >>> from crisisops.monitoring import TriggerRule, evaluate
    >>> from crisisops.taxonomy import ResponseLevel
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3)]
    >>> gmv = [[100, 90], [70, 95], [85, 60]]  # columns: sku-1, sku-2
    >>> panel = Panel.from_metric_arrays(days, ["sku-1", "sku-2"], {"sales.gmv": gmv})
    >>> low = Threshold(signal=Raw("sales.gmv"), predicate=Below(80))
    >>> rule = TriggerRule(
    ...     name="gmv_low",
    ...     crisis_type="market.demand_shift",
    ...     tiers=[Tier(ResponseLevel.IV, low)],
    ... )
    >>> evaluation: Evaluation = evaluate([rule], panel)
    >>> evaluation, evaluation.event_count
    (Evaluation(3 periods, 3 events), 3)
    >>> [(alert.id, alert.fired_at.day) for alert in evaluation.alerts]  # firing order
    [('gmv_low/sku-1/1', 2), ('gmv_low/sku-2/1', 3)]
    >>> [alert.id for alert in evaluation.firing()]  # sku-1 recovered on 3 March
    ['gmv_low/sku-2/1']
    >>> len(evaluation.monitor.open_alerts)
    1
    """
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a Panel")
    return Monitor.start(rules, panel.entities, thresholds).run(panel)


@attrs.frozen(kw_only=True)
class Trace:
    """A condition's verdict and numbers for every period and entity.

    Arrays have shape ``(periods, entities)``. Use it to see *why* a rule
    fires, to plot a KPI with its trigger bands, or to check a condition by
    hand.

    Attributes
    ----------
    timestamps
        The periods.
    entities
        The entities.
    breach
        Whether the condition was breached (known and true).
    known
        Whether the verdict was known (data present, enough history).
    signal
        The judged number (change, z-score, chart statistic …).
    baseline
        The baseline the signal was computed against (NaN if none).
    bound
        The bound the signal was compared with.
    observed
        The metric's value.

    Examples
    --------
    Every number as an array of shape ``(periods, entities)``:

    >>> from datetime import datetime, timezone
    >>> import attrs
    >>> from crisisops.monitoring import Above, Panel, Raw, Threshold, Trace, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3)]
    >>> rate = [[0.02, 0.04], [0.06, 0.03], [0.07, float("nan")]]  # a, b
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["shop_a", "shop_b"], {"feedback.refund_rate": rate}
    ... )
    >>> high = Threshold(signal=Raw("feedback.refund_rate"), predicate=Above(0.05))
    >>> result = trace(high, panel)
    >>> [field.name for field in attrs.fields(Trace)][2:]  # after timestamps, entities
    ['breach', 'known', 'signal', 'baseline', 'bound', 'observed']
    >>> result.breach.shape, result.entities
    ((3, 2), ('shop_a', 'shop_b'))
    >>> result.breach.tolist()
    [[False, False], [True, False], [True, False]]
    >>> result.known[:, 1].tolist()  # shop_b has no data on 3 March
    [True, True, False]
    >>> result.bound[0].tolist()
    [0.05, 0.05]
    """

    timestamps: tuple[dt.datetime, ...]
    entities: tuple[str, ...]
    breach: np.ndarray[Any, np.dtype[np.bool_]] = attrs.field(
        eq=attrs.cmp_using(eq=np.array_equal)
    )
    known: np.ndarray[Any, np.dtype[np.bool_]] = attrs.field(
        eq=attrs.cmp_using(eq=np.array_equal)
    )
    signal: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_nan_equal))
    baseline: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_nan_equal))
    bound: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_nan_equal))
    observed: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_nan_equal))


def trace(
    condition: Condition,
    panel: Panel,
    thresholds: Iterable[ThresholdSet] = (),
) -> Trace:
    """Evaluate one condition over every period of ``panel``, keeping every number.

    The condition is stepped exactly as inside a rule, so a trace explains the
    rule's decisions period by period.

    Examples
    --------
    Why is sku-1 breaching from 2 March on and sku-2 not? Day-over-day changes
    against a −5 % bound:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Change, Panel, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 5)]
    >>> gmv = [[100, 50], [90, 52], [60, 51], [54, 50]]  # columns: sku-1, sku-2
    >>> panel = Panel.from_metric_arrays(days, ["sku-1", "sku-2"], {"sales.gmv": gmv})
    >>> fall = Threshold(signal=Change(metric="sales.gmv"), predicate=Below(-0.05))
    >>> result = trace(fall, panel)
    >>> result.baseline.tolist()  # the day before
    [[nan, nan], [100.0, 50.0], [90.0, 52.0], [60.0, 51.0]]
    >>> result.signal.round(3).tolist()
    [[nan, nan], [-0.1, 0.04], [-0.333, -0.019], [-0.1, -0.02]]
    >>> result.breach.tolist()
    [[False, False], [True, False], [True, False], [True, False]]
    """
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a Panel")
    sets = tuple(thresholds)
    program = Program()
    program.register(condition)
    entities = panel.entities
    state = program.init(len(entities))
    columns = {m: panel.metric_index(m) for m in condition.metrics}
    rows: list[ConditionOutput] = []
    for index, timestamp in enumerate(panel.timestamps):
        active = active_threshold_set(sets, timestamp)
        bounds = active.aligned(entities, timestamp) if active else {}
        values = panel.values[index]
        frame = Frame(
            {m: values[:, c] for m, c in columns.items()},
            bounds,
            None if active is None else active.version,
        )
        new: State = dict(state)
        outputs = program.step_nodes(state, frame, new)
        rows.append(program.evaluate(condition, frame, outputs))
        state = new
    n = len(entities)

    def stack(name: str, dtype: Any) -> Any:  # noqa: ANN401  numpy arrays
        if not rows:
            return np.zeros((0, n), dtype=dtype)
        array = np.stack([per_entity(getattr(row, name), n) for row in rows])
        array = array.astype(dtype)
        array.setflags(write=False)
        return array

    return Trace(
        timestamps=panel.timestamps,
        entities=entities,
        breach=stack("breach", bool),
        known=stack("known", bool),
        signal=stack("signal", np.float64),
        baseline=stack("baseline", np.float64),
        bound=stack("bound", np.float64),
        observed=stack("observed", np.float64),
    )


# --- joining partitions -----------------------------------------------------


def _merged_table(
    tables: list[Columns], where: IndexArray, sizes: list[int]
) -> Columns:
    """Join partitions' event columns in single-run order.

    ``where[i]`` is the panel position of the ``i``-th entity of the
    partitions taken one after another.
    """
    names = [name for name in tables[0] if name != "versions"]
    offsets = np.cumsum([0, *sizes[:-1]]).tolist()
    joined = {name: np.concatenate([t[name] for t in tables]) for name in names}
    entity_dtype = joined["entity"].dtype
    joined["entity"] = np.concatenate(
        [
            where[offset + t["entity"].astype(np.intp)]
            for t, offset in zip(tables, offsets, strict=True)
        ]
    ).astype(entity_dtype)
    # Period, then rule, then kind (resolutions; firings and level changes;
    # no-data events), then entity: the order of `Evaluation.events`.
    order = np.lexsort(
        (
            joined["entity"],
            _KIND_RANK[joined["kind"]],
            joined["rule"],
            joined["period"],
        )
    )
    table: Columns = {name: column[order] for name, column in joined.items()}
    versions: dict[int, str | None] = {}
    for t in tables:
        versions.update(t["versions"])
    table["versions"] = versions
    return table


def _merged_arrays(
    states: list[MonitorState], where: IndexArray, sizes: list[int]
) -> dict[str, np.ndarray[Any, Any]]:
    """Lay partitions' state arrays side by side in the panel's entity order.

    Every state array ends in one axis of ``cells = rules × entities``, rule
    after rule (a rule group's cells) or entity by entity (a signal's
    window); the leading axes (ring rows, tiers, evidence fields) are
    shared.
    """
    total = int(sum(sizes))
    inverse = np.empty(total, dtype=np.intp)
    inverse[where] = np.arange(total)
    merged: dict[str, np.ndarray[Any, Any]] = {}
    for key, first in states[0].arrays.items():
        per_rule = first.shape[-1] // sizes[0]
        lead = first.shape[:-1]
        pieces = [
            np.asarray(state.arrays[key]).reshape(*lead, per_rule, size)
            for state, size in zip(states, sizes, strict=True)
        ]
        side_by_side = np.concatenate(pieces, axis=-1)[..., inverse]
        merged[key] = side_by_side.reshape(*lead, per_rule * total)
    return merged


def _check_parts(start: Monitor, parts: Sequence[Evaluation]) -> IndexArray:
    """Check the parts partition ``start``'s entities; return their positions."""
    if not parts:
        raise ValidationError("parts", parts, "at least one evaluation")
    position = {entity: i for i, entity in enumerate(start.entities)}
    where: list[int] = []
    for number, part in enumerate(parts):
        if not isinstance(part, Evaluation):
            raise InvalidTypeError(f"parts[{number}]", part, "an Evaluation")
        if part.monitor.rules != start.rules:
            raise ValidationError(
                f"parts[{number}].monitor.rules", part.monitor.rules, "start's rules"
            )
        if part._timestamps != parts[0]._timestamps:  # noqa: SLF001  same module
            raise ValidationError(
                f"parts[{number}].timestamps",
                len(part._timestamps),  # noqa: SLF001  same module
                "the periods of parts[0]",
            )
        for entity in part.monitor.entities:
            if entity not in position:
                raise UnknownKeyError("entity of start", entity, position)
            where.append(position[entity])
    if len(where) != len(position) or len(set(where)) != len(where):
        raise ValidationError(
            "parts",
            f"{len(where)} entities",
            f"a partition of start's {len(position)} entities: each exactly once",
        )
    return np.asarray(where, dtype=np.intp)


def merge_evaluations(start: Monitor, parts: Sequence[Evaluation]) -> Evaluation:
    """Join the evaluations of entity partitions of one panel into the panel's own.

    Rules evaluate each entity on its own, so a panel may be cut by entity,
    each part evaluated anywhere (another process, a Dask worker) from a
    monitor over its entities, and the parts joined here: the result equals
    evaluating the whole panel from ``start`` — the same events in the same
    order, the same alerts, and a final monitor that continues exactly like
    the single run's. `crisisops.fleet` is built on it.

    Parameters
    ----------
    start
        The monitor the whole panel would have started from (its entities
        fix the order).
    parts
        One `Evaluation` per partition, over the same periods and rules,
        whose entities together are ``start``'s, each exactly once.

    Raises
    ------
    ValidationError, InvalidTypeError, UnknownKeyError
        If the parts do not partition ``start``'s entities, differ in rules
        or periods, or are not evaluations.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.monitoring import (
    ...     Below,
    ...     Consecutive,
    ...     Monitor,
    ...     Panel,
    ...     Raw,
    ...     Threshold,
    ...     Tier,
    ...     TriggerRule,
    ...     evaluate,
    ...     merge_evaluations,
    ... )
    >>> from crisisops.taxonomy import ResponseLevel
    >>> zone = dt.timezone(dt.timedelta(hours=8))
    >>> days = [dt.datetime(2026, 3, d, tzinfo=zone) for d in range(1, 5)]
    >>> panel = Panel.from_metric_arrays(
    ...     days,
    ...     ["a", "b", "c"],
    ...     {"sales.gmv": [[9, 5, 9], [4, 5, 9], [3, 9, 2], [9, 9, 1]]},
    ... )
    >>> rule = TriggerRule(
    ...     name="low",
    ...     crisis_type="market.demand_shift",
    ...     tiers=[
    ...         Tier(
    ...             ResponseLevel.IV,
    ...             Threshold(signal=Raw("sales.gmv"), predicate=Below(6.0)),
    ...         )
    ...     ],
    ...     persistence=Consecutive(2),
    ... )
    >>> whole = evaluate([rule], panel)
    >>> parts = [
    ...     evaluate([rule], panel.select(entities=keys))
    ...     for keys in (["c"], ["a", "b"])
    ... ]
    >>> joined = merge_evaluations(Monitor.start([rule], panel.entities), parts)
    >>> events = [(e.at.day, e.entity, e.kind.value) for e in joined.events]
    >>> events == [(e.at.day, e.entity, e.kind.value) for e in whole.events]
    True
    >>> events[:3]  # b below 6 on days 1-2, a on days 2-3: two in a row fires
    [(2, 'b', 'fired'), (3, 'b', 'resolved'), (3, 'a', 'fired')]
    >>> events[3:]  # on a period, resolutions come before firings
    [(4, 'a', 'resolved'), (4, 'c', 'fired')]

    """
    if not isinstance(start, Monitor):
        raise InvalidTypeError("start", start, "a Monitor")
    parts = tuple(parts)
    where = _check_parts(start, parts)
    tables = [part._table for part in parts]  # noqa: SLF001  same module
    if len(parts) == 1 and np.array_equal(where, np.arange(where.size)):
        table, state = tables[0], parts[0].monitor.state
    else:
        states = [part.monitor.state for part in parts]
        sizes = [len(part.monitor.entities) for part in parts]
        table = _merged_table(tables, where, sizes)
        state = MonitorState(
            periods=states[0].periods,
            last_timestamp=states[0].last_timestamp,
            arrays=_merged_arrays(states, where, sizes),
            open_alerts=tuple(
                itertools.chain.from_iterable(s.open_alerts for s in states)
            ),
        )
    monitor = Monitor.resume(start.rules, start.entities, state, start.thresholds)
    return Evaluation(
        monitor=monitor,
        start=start,
        timestamps=parts[0]._timestamps,  # noqa: SLF001  same module
        table=table,
    )
