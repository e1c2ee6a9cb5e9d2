r"""Evaluate trigger rules over KPI data: one semantics, batch and streaming.

:class:`Monitor` is an immutable value holding the rules, the entities, the
threshold sets and the state after the last period. :meth:`Monitor.step`
takes one period's :class:`~crisisops.monitoring.panel.Observation` and returns
a new monitor plus the :class:`AlertEvent`\\ s of that period;
:meth:`Monitor.run` folds the same step over a whole
:class:`~crisisops.monitoring.panel.Panel`. Because batch is literally the
streaming step repeated, both give identical events and alerts, including the
alert lifecycle (pending → firing → resolved, one episode number per firing)
and level changes. :attr:`Monitor.state` is a plain-data snapshot; save it
with :func:`crisisops.serialization.to_data` and :meth:`Monitor.resume` later
to continue exactly where it stopped.

Alerts explain themselves (book §3: trigger points must be explainable to the
team that acts on them): every :class:`Alert` carries its rule, entity,
response level, crisis type, first-breach, firing and resolution times, and the
numbers that fired it (:class:`Evidence`: observed value, signal, baseline,
bound, run length, threshold-set version). An alert is never back-dated: it
fires in the period whose data completes its persistence.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np

from crisisops._validation import (
    check_aware,
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
from crisisops.monitoring._engine import ConditionOutput, Frame, Program, State
from crisisops.monitoring.conditions import Condition
from crisisops.monitoring.panel import Observation, Panel
from crisisops.monitoring.rules import Consecutive, MissingData, MOfN, TriggerRule
from crisisops.monitoring.thresholds import ThresholdSet, active_threshold_set
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
    "trace",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)
_INACTIVE, _PENDING, _FIRING = 0, 1, 2


def _to_micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _from_micros(micros: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=micros)


# --- alert values -----------------------------------------------------------


class EventKind(enum.Enum):
    """What happened to an alert in one period."""

    FIRED = "fired"
    LEVEL_CHANGED = "level_changed"
    RESOLVED = "resolved"
    NO_DATA = "no_data"
    DATA_RESUMED = "data_resumed"


class AlertKind(enum.Enum):
    """A breach alert (a tier fired) or a no-data alert (data stopped coming)."""

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
    """

    kind: AlertKind = attrs.field(validator=is_enum(AlertKind))
    rule: str = attrs.field(validator=is_key())
    entity: str = attrs.field(validator=is_text())
    episode: int
    crisis_type: str = attrs.field(validator=is_key())
    level: ResponseLevel | None = attrs.field(
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


def _pack(state: State) -> FrozenDict[str, np.ndarray[Any, Any]]:
    """Turn the live state (rings as tuples of rows) into named arrays."""
    packed: dict[str, np.ndarray[Any, Any]] = {}
    for key, value in state.items():
        if isinstance(value, tuple):
            packed[f"{key}#ring"] = _freeze(np.stack(value))
        else:
            packed[key] = _freeze(np.array(value, copy=True))
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


@attrs.frozen
class StepResult:
    """What one period produced: the next monitor and the period's events.

    Attributes
    ----------
    monitor
        The monitor after the period.
    events
        The period's alert events, in rule order then entity order.
    """

    monitor: Monitor
    events: tuple[AlertEvent, ...]


@attrs.frozen
class Evaluation:
    """The result of evaluating rules over a panel.

    Attributes
    ----------
    events
        Every alert event, in time order.
    alerts
        Every alert episode (resolved and still firing), in firing order.
    monitor
        The monitor after the last period: continue it with new data.
    """

    events: tuple[AlertEvent, ...]
    alerts: tuple[Alert, ...]
    monitor: Monitor

    def firing(self) -> tuple[Alert, ...]:
        """Return the alerts still firing at the end."""
        return tuple(alert for alert in self.alerts if alert.is_firing)


# --- the rule state machine -------------------------------------------------


class _CompiledRule:
    """Per-rule vectorised state machine over all entities."""

    def __init__(self, index: int, rule: TriggerRule, program: Program) -> None:
        self.rule = rule
        self.prefix = f"r{index}"
        self.program = program
        for tier in rule.tiers:
            program.register(tier.condition)
        if rule.clear_condition is not None:
            program.register(rule.clear_condition)

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def init(self, n: int) -> State:
        tiers = len(self.rule.tiers)
        state: State = {
            self.key("status"): np.zeros(n, dtype=np.int8),
            self.key("level"): np.full(n, -1, dtype=np.int8),
            self.key("clean"): np.zeros(n, dtype=np.int64),
            self.key("cool"): np.zeros(n, dtype=np.int64),
            self.key("episode"): np.zeros(n, dtype=np.int64),
            self.key("since"): np.full(n, -1, dtype=np.int64),
            self.key("since_offset"): np.zeros(n, dtype=np.int64),
            self.key("gap"): np.zeros(n, dtype=np.int64),
            self.key("nodata"): np.zeros(n, dtype=bool),
            self.key("nodata_episode"): np.zeros(n, dtype=np.int64),
        }
        persistence = self.rule.persistence
        if isinstance(persistence, Consecutive):
            state[self.key("run")] = np.zeros((tiers, n), dtype=np.int64)
        else:
            state[self.key("window")] = np.zeros((tiers, persistence.n, n), dtype=bool)
            state[self.key("wpos")] = np.zeros(n, dtype=np.int64)
        return state

    def _counts(
        self,
        state: State,
        new: State,
        breach: BoolArray,
        update: BoolArray,
        reset: BoolArray,
    ) -> tuple[Any, Any]:
        """Advance persistence; return (satisfied (K, E), counts (K, E))."""
        persistence = self.rule.persistence
        if isinstance(persistence, Consecutive):
            run = state[self.key("run")]
            run = np.where(update, np.where(breach, run + 1, 0), run)
            run = np.where(reset, 0, run)
            new[self.key("run")] = run
            return run >= persistence.n, run
        assert isinstance(persistence, MOfN)  # noqa: S101  exhaustive union
        window = state[self.key("window")].copy()
        wpos = state[self.key("wpos")].copy()
        movers = np.flatnonzero(update)
        window[:, wpos[movers], movers] = breach[:, movers]
        wpos[movers] = (wpos[movers] + 1) % persistence.n
        window[:, :, reset] = False
        new[self.key("window")] = window
        new[self.key("wpos")] = wpos
        counts = window.sum(axis=1)
        return counts >= persistence.m, counts

    def step(  # noqa: PLR0915  one vectorised pass of the whole state machine
        self,
        state: State,
        new: State,
        frame: Frame,
        outputs: dict[int, tuple[Any, ...]],
        context: _StepContext,
    ) -> list[tuple[int, EventKind, int, Evidence]]:
        rule = self.rule
        tiers = [self.program.evaluate(t.condition, frame, outputs) for t in rule.tiers]
        missing = np.zeros(context.n, dtype=bool)
        for metric in rule.metrics:
            missing |= np.isnan(frame.values[metric])
        present = ~missing
        breach = np.stack([out.known & out.breach for out in tiers])
        policy = rule.missing
        update = np.ones(context.n, dtype=bool)
        reset = np.zeros(context.n, dtype=bool)
        if policy in (MissingData.HOLD, MissingData.NO_DATA):
            update = present
        elif policy is MissingData.BREAK:
            reset = missing
        elif policy is MissingData.AS_BREACH:
            breach[0] |= missing
            breach[1:] &= present
        else:  # AS_CLEAR
            breach &= present
        satisfied, counts = self._counts(state, new, breach, update, reset)

        tier_count = len(rule.tiers)
        any_satisfied = satisfied.any(axis=0)
        top = np.where(
            any_satisfied, tier_count - 1 - np.argmax(satisfied[::-1], axis=0), -1
        )
        any_breach = breach.any(axis=0)
        status = state[self.key("status")]
        level = state[self.key("level")]
        clean = state[self.key("clean")]
        cool = state[self.key("cool")]
        episode = state[self.key("episode")]
        since = state[self.key("since")]
        firing = status == _FIRING

        clean_now = update & ~any_breach & ~reset
        if rule.clear_condition is not None:
            clear = self.program.evaluate(rule.clear_condition, frame, outputs)
            holds = clear.known & clear.breach
            if policy is MissingData.AS_CLEAR:
                holds |= missing
            clean_now &= holds
        clean_count = np.where(
            firing & update, np.where(clean_now, clean + 1, 0), clean
        )
        resolve = firing & (clean_count >= rule.clear_after)
        blocked = cool > 0
        new_cool = np.where(blocked, cool - 1, 0)
        fire = ~firing & any_satisfied & ~blocked
        still_firing = firing & ~resolve
        level_change = still_firing & any_satisfied & (top != level)
        has_counts = counts.any(axis=0)
        now = context.now_micros
        new_since = np.where(
            resolve,
            -1,
            np.where(
                (status == _INACTIVE) & (has_counts | fire) & (since < 0), now, since
            ),
        )
        cancel = (status == _PENDING) & ~has_counts & ~fire
        new_since = np.where(cancel, -1, new_since)
        new_status = np.where(
            fire | still_firing,
            _FIRING,
            np.where(has_counts & ~resolve, _PENDING, _INACTIVE),
        ).astype(np.int8)
        new_level = np.where(
            fire | level_change, top, np.where(resolve, -1, level)
        ).astype(np.int8)
        new_episode = episode + fire.astype(np.int64)
        new_clean = np.where(fire | resolve, 0, clean_count)
        new_cool = np.where(resolve, rule.cooldown, new_cool)
        if resolve.any():
            self._reset_persistence(new, resolve)
        new[self.key("status")] = new_status
        new[self.key("level")] = new_level
        new[self.key("clean")] = new_clean
        new[self.key("cool")] = new_cool
        new[self.key("episode")] = new_episode
        new[self.key("since")] = new_since
        started = new_since != since
        new[self.key("since_offset")] = np.where(
            started, context.offset_seconds, state[self.key("since_offset")]
        )

        events: list[tuple[int, EventKind, int, Evidence]] = []
        version = frame.version
        for entity in np.flatnonzero(resolve):
            e = int(entity)
            evidence = _evidence(tiers[0], e, int(clean_count[e]), version)
            events.append((e, EventKind.RESOLVED, int(level[e]), evidence))
        for entity in np.flatnonzero(fire | level_change):
            e = int(entity)
            tier = int(top[e])
            evidence = _evidence(tiers[tier], e, int(counts[tier, e]), version)
            kind = EventKind.FIRED if fire[e] else EventKind.LEVEL_CHANGED
            events.append((e, kind, tier, evidence))
        events.extend(self._no_data(state, new, missing, frame, context))
        return events

    def _reset_persistence(self, new: State, entities: Any) -> None:  # noqa: ANN401
        if isinstance(self.rule.persistence, Consecutive):
            new[self.key("run")] = np.where(entities, 0, new[self.key("run")])
        else:
            window = new[self.key("window")]
            window[:, :, entities] = False

    def _no_data(
        self,
        state: State,
        new: State,
        missing: Any,  # noqa: ANN401
        frame: Frame,
        context: _StepContext,
    ) -> list[tuple[int, EventKind, int, Evidence]]:
        gap = np.where(missing, state[self.key("gap")] + 1, 0)
        new[self.key("gap")] = gap
        nodata = state[self.key("nodata")]
        episodes = state[self.key("nodata_episode")]
        if self.rule.missing is not MissingData.NO_DATA:
            new[self.key("nodata")] = nodata
            new[self.key("nodata_episode")] = episodes
            return []
        assert self.rule.max_gap is not None  # noqa: S101  checked by TriggerRule
        start = ~nodata & (gap >= self.rule.max_gap)
        end = nodata & ~missing
        new[self.key("nodata")] = (nodata | start) & ~end
        new[self.key("nodata_episode")] = episodes + start.astype(np.int64)
        del context
        events: list[tuple[int, EventKind, int, Evidence]] = []
        previous_gap = state[self.key("gap")]
        for entity in np.flatnonzero(start | end):
            e = int(entity)
            run = int(gap[e]) if start[e] else int(previous_gap[e])
            evidence = Evidence(
                observed=float(frame.values[self.rule.metrics[0]][e]),
                signal=float("nan"),
                baseline=float("nan"),
                bound=float("nan"),
                run_length=run,
                threshold_version=frame.version,
            )
            kind = EventKind.NO_DATA if start[e] else EventKind.DATA_RESUMED
            events.append((e, kind, -1, evidence))
        return events


def _evidence(
    output: ConditionOutput, entity: int, run_length: int, version: str | None
) -> Evidence:
    return Evidence(
        observed=float(output.observed[entity]),
        signal=float(output.signal[entity]),
        baseline=float(output.baseline[entity]),
        bound=float(output.bound[entity]),
        run_length=run_length,
        threshold_version=version,
    )


class _StepContext:
    __slots__ = ("n", "now_micros", "offset_seconds")

    def __init__(self, n: int, moment: dt.datetime) -> None:
        self.n = n
        self.now_micros = _to_micros(moment)
        offset = moment.utcoffset()
        self.offset_seconds = 0 if offset is None else int(offset.total_seconds())


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
    is_tuple_of(is_text(), min_length=1)(_instance, attribute, value)
    if len(set(value)) != len(value):
        seen: set[str] = set()
        for entity in value:
            if entity in seen:
                raise DuplicateKeyError("entity", entity)
            seen.add(entity)


def _check_threshold_sets(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(ThresholdSet, "a ThresholdSet"))(
        _instance, attribute, value
    )
    versions = [s.version for s in value]
    for version in versions:
        if versions.count(version) > 1:
            raise DuplicateKeyError("threshold-set version", version)


@attrs.frozen(kw_only=True)
class Monitor:
    """Trigger rules evaluated one period at a time, as an immutable value.

    Build one with :meth:`start`, feed periods with :meth:`step` (streaming) or
    a whole panel with :meth:`run` (batch); both give identical results.

    Attributes
    ----------
    rules
        The trigger rules (unique names).
    entities
        The entities every observation must list, in this order.
    thresholds
        Threshold sets; at each period the one valid then is used.
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
    _live: State = attrs.field(default=None, eq=False, repr=False, alias="_live")
    _periods: int = attrs.field(default=0, eq=False, repr=False, alias="_periods")
    _last: dt.datetime | None = attrs.field(
        default=None, eq=False, repr=False, alias="_last"
    )
    _open: FrozenDict[tuple[str, str, AlertKind], Alert] = attrs.field(
        factory=FrozenDict, eq=False, repr=False, alias="_open"
    )
    _compiled: tuple[Program, tuple[_CompiledRule, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        """Compile the rules and create the initial state if none was given."""
        program = Program()
        compiled = tuple(
            _CompiledRule(index, rule, program) for index, rule in enumerate(self.rules)
        )
        object.__setattr__(self, "_compiled", (program, compiled))
        if self._live is None:
            state = program.init(len(self.entities))
            for rule in compiled:
                state.update(rule.init(len(self.entities)))
            object.__setattr__(self, "_live", state)

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
        """Return a monitor that continues from a saved :class:`MonitorState`.

        The rules and entities must be the ones the state was made with.

        Raises
        ------
        ValidationError
            If the state's arrays do not fit the rules and entities.
        """
        if not isinstance(state, MonitorState):
            raise InvalidTypeError("state", state, "a MonitorState")
        fresh = cls.start(rules, entities, thresholds)
        live = _unpack(state.arrays)
        expected = fresh._live  # noqa: SLF001  same class, building its own state
        if set(live) != set(expected):
            raise ValidationError(
                "state.arrays",
                sorted(set(live) ^ set(expected)),
                "exactly the arrays these rules and entities need",
            )
        for key, value in expected.items():
            got = live[key]
            shape = (
                (len(value), *value[0].shape)
                if isinstance(value, tuple)
                else (value.shape)
            )
            got_shape = (
                (len(got), *got[0].shape) if isinstance(got, tuple) else (got.shape)
            )
            if shape != got_shape:
                raise ValidationError(
                    f"state.arrays[{key!r}]", got_shape, f"shape {shape}"
                )
            if not isinstance(value, tuple):
                live[key] = np.asarray(got, dtype=value.dtype)
        opened = {(a.rule, a.entity, a.kind): a for a in state.open_alerts}
        return attrs.evolve(
            fresh,
            _live=live,
            _periods=state.periods,
            _last=state.last_timestamp,
            _open=FrozenDict(opened),
        )

    @property
    def state(self) -> MonitorState:
        """A plain-data snapshot to save with ``to_data`` and :meth:`resume`."""
        return MonitorState(
            periods=self._periods,
            last_timestamp=self._last,
            arrays=_pack(self._live),
            open_alerts=tuple(self._open.values()),
        )

    @property
    def open_alerts(self) -> tuple[Alert, ...]:
        """Alerts firing now."""
        return tuple(self._open.values())

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
        if observation.entities != self.entities:
            raise ValidationError(
                "observation.entities",
                observation.entities[:5],
                f"the monitor's entities in order ({len(self.entities)} entities)",
            )
        columns = self._columns(observation.metrics)
        events, monitor, _ = self._advance(
            observation.timestamp, observation.values, columns
        )
        return StepResult(monitor, tuple(events))

    def run(self, panel: Panel) -> Evaluation:
        """Process every period of ``panel`` in order (batch evaluation).

        This folds :meth:`step` over the panel's periods, so the result equals
        stepping through them one by one.
        """
        if not isinstance(panel, Panel):
            raise InvalidTypeError("panel", panel, "a Panel")
        if panel.entities != self.entities:
            raise ValidationError(
                "panel.entities",
                panel.entities[:5],
                f"the monitor's entities in order ({len(self.entities)} entities)",
            )
        columns = self._columns(panel.metrics)
        monitor = self
        events: list[AlertEvent] = []
        finished: list[Alert] = []
        for index, timestamp in enumerate(panel.timestamps):
            period_events, monitor, closed = monitor._advance(
                timestamp, panel.values[index], columns
            )
            events.extend(period_events)
            finished.extend(closed)
        alerts = sorted(
            [*finished, *monitor.open_alerts], key=lambda a: (a.fired_at, a.id)
        )
        return Evaluation(tuple(events), tuple(alerts), monitor)

    def _columns(self, metrics: Sequence[str]) -> dict[str, int]:
        position = {metric: i for i, metric in enumerate(metrics)}
        columns: dict[str, int] = {}
        for metric in self.metrics:
            if metric not in position:
                raise UnknownKeyError("metric in the data", metric, position)
            columns[metric] = position[metric]
        return columns

    def _advance(
        self,
        timestamp: dt.datetime,
        values: FloatArray,
        columns: dict[str, int],
    ) -> tuple[list[AlertEvent], Monitor, list[Alert]]:
        check_aware(timestamp, "timestamp")
        if self._last is not None and timestamp <= self._last:
            raise ValidationError(
                "timestamp",
                timestamp,
                f"a period after the last one ({self._last.isoformat()})",
            )
        program, compiled = self._compiled
        active = active_threshold_set(self.thresholds, timestamp)
        bounds = active.aligned(self.entities, timestamp) if active else {}
        frame = Frame(
            {metric: values[:, column] for metric, column in columns.items()},
            bounds,
            None if active is None else active.version,
        )
        state = self._live
        new: State = dict(state)
        outputs = program.step_nodes(state, frame, new)
        context = _StepContext(len(self.entities), timestamp)
        opened = dict(self._open)
        events: list[AlertEvent] = []
        closed: list[Alert] = []
        for rule_state in compiled:
            raw = rule_state.step(state, new, frame, outputs, context)
            since = new[rule_state.key("since")]
            since_offset = new[rule_state.key("since_offset")]
            episodes = new[rule_state.key("episode")]
            nodata_episodes = new[rule_state.key("nodata_episode")]
            for entity_index, kind, tier, evidence in raw:
                event = _make_event(
                    rule_state.rule,
                    entity=self.entities[entity_index],
                    kind=kind,
                    tier=tier,
                    evidence=evidence,
                    timestamp=timestamp,
                    episode=int(
                        nodata_episodes[entity_index]
                        if kind in (EventKind.NO_DATA, EventKind.DATA_RESUMED)
                        else episodes[entity_index]
                    ),
                )
                events.append(event)
                first = _first_breach(
                    int(since[entity_index]), int(since_offset[entity_index]), timestamp
                )
                _apply(opened, closed, event, first)
        monitor = attrs.evolve(
            self,
            _live=new,
            _periods=self._periods + 1,
            _last=timestamp,
            _open=FrozenDict(opened),
        )
        return events, monitor, closed


def _make_event(  # noqa: PLR0913  the parts of an event
    rule: TriggerRule,
    *,
    entity: str,
    kind: EventKind,
    tier: int,
    evidence: Evidence,
    timestamp: dt.datetime,
    episode: int,
) -> AlertEvent:
    level = None if tier < 0 else rule.tiers[tier].level
    return AlertEvent(
        kind=kind,
        at=timestamp,
        rule=rule.name,
        entity=entity,
        episode=episode,
        level=level,
        crisis_type=rule.crisis_type,
        evidence=evidence,
    )


def _first_breach(micros: int, offset: int, fallback: dt.datetime) -> dt.datetime:
    """Rebuild the first-breach time in the offset its period was reported in."""
    if micros < 0:
        return fallback
    zone = dt.timezone(dt.timedelta(seconds=offset))
    return _from_micros(micros).astimezone(zone)


def _apply(
    opened: dict[tuple[str, str, AlertKind], Alert],
    closed: list[Alert],
    event: AlertEvent,
    first_breach: dt.datetime,
) -> None:
    """Fold one event into the table of open alerts (and the closed list)."""
    if event.kind in (EventKind.NO_DATA, EventKind.DATA_RESUMED):
        key = (event.rule, event.entity, AlertKind.NO_DATA)
        if event.kind is EventKind.NO_DATA:
            opened[key] = Alert(
                kind=AlertKind.NO_DATA,
                rule=event.rule,
                entity=event.entity,
                episode=event.episode,
                crisis_type=event.crisis_type,
                level=None,
                peak_level=None,
                first_breach_at=event.at,
                fired_at=event.at,
                evidence=event.evidence,
            )
        else:
            alert = opened.pop(key)
            closed.append(attrs.evolve(alert, resolved_at=event.at))
        return
    key = (event.rule, event.entity, AlertKind.BREACH)
    if event.kind is EventKind.FIRED:
        first = first_breach
        opened[key] = Alert(
            kind=AlertKind.BREACH,
            rule=event.rule,
            entity=event.entity,
            episode=event.episode,
            crisis_type=event.crisis_type,
            level=event.level,
            peak_level=event.level,
            first_breach_at=first,
            fired_at=event.at,
            evidence=event.evidence,
        )
    elif event.kind is EventKind.LEVEL_CHANGED:
        alert = opened[key]
        assert event.level is not None  # noqa: S101  breach events carry a level
        peak = alert.peak_level
        opened[key] = attrs.evolve(
            alert,
            level=event.level,
            peak_level=event.level if peak is None or event.level > peak else peak,
            level_changes=(
                *alert.level_changes,
                LevelChange(at=event.at, level=event.level, evidence=event.evidence),
            ),
        )
    else:
        alert = opened.pop(key)
        closed.append(attrs.evolve(alert, resolved_at=event.at))


def evaluate(
    rules: Iterable[TriggerRule],
    panel: Panel,
    thresholds: Iterable[ThresholdSet] = (),
) -> Evaluation:
    """Evaluate ``rules`` over every period of ``panel`` (batch).

    Equivalent to ``Monitor.start(rules, panel.entities, thresholds).run(panel)``.
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
        array = np.stack([getattr(row, name) for row in rows]).astype(dtype)
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
