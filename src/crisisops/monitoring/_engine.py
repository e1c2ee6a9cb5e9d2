"""The causal step kernels behind conditions and rules (private).

Every signal, chart and rule is compiled into a node whose ``step`` takes the
state after period t−1 and the observation of period t for all entities, and
returns the new state and its outputs. State is a dict of numpy arrays (and, for
ring buffers, tuples of row arrays). Nodes write new values through a `Writes`
target (a dict, or the recording journal of ``_store``) and never modify an
array in place, so ring rows can be shared between versions. Batch evaluation
folds the very same ``step`` over a panel's periods, which is why batch and
streaming results are identical by construction.

Windows keep running, per-entity **centred** sums (each entity's first
observed value is subtracted before summing), so a trailing mean or z-score
costs O(entities) per period without the cancellation that plain running
sums of large values suffer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from crisisops.monitoring.conditions import (
    Above,
    AllOf,
    AnyOf,
    Below,
    Calibrated,
    Change,
    Condition,
    CUSUMChart,
    EWMAChart,
    FixedReference,
    LevelShift,
    Not,
    Outside,
    PreviousValue,
    Raw,
    RollingZScore,
    SeasonalLag,
    Side,
    Signal,
    Threshold,
    TrailingMean,
    WarmupReference,
)

__all__ = ["ConditionOutput", "Frame", "Program", "State", "Writes", "per_entity"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
State = dict[str, Any]


class Writes(Protocol):
    """Where a node writes its new state: a dict, or a recording journal."""

    def __setitem__(self, name: str, value: Any) -> None: ...  # noqa: ANN401


_MAD_TO_SIGMA = 1.4826  # 1 / Φ⁻¹(3/4): MAD of a normal sample estimates 0.6745σ


class Frame:
    """One period's inputs: metric values per entity and the active bounds."""

    __slots__ = ("_missing", "bounds", "values", "version")

    def __init__(
        self,
        values: dict[str, FloatArray],
        bounds: dict[str, FloatArray],
        version: str | None,
    ) -> None:
        self.values = values
        self.bounds = bounds
        self.version = version
        self._missing: dict[tuple[str, ...], BoolArray | None] = {}

    def missing(self, metrics: tuple[str, ...]) -> BoolArray | None:
        """Entities missing any of ``metrics`` this period; ``None`` if none is.

        Rules reading the same metrics share one answer per period.
        """
        if metrics in self._missing:
            return self._missing[metrics]
        gaps: BoolArray | None = None
        for metric in metrics:
            nan = np.isnan(self.values[metric])
            gaps = nan if gaps is None else gaps | nan
        result = gaps if gaps is not None and gaps.any() else None
        self._missing[metrics] = result
        return result


class ConditionOutput:
    """What a condition says about every entity in one period."""

    __slots__ = ("baseline", "bound", "breach", "known", "observed", "signal")

    def __init__(  # noqa: PLR0913  one array per explained quantity
        self,
        *,
        breach: BoolArray,
        known: BoolArray,
        signal: FloatArray,
        baseline: FloatArray,
        bound: FloatArray | float,
        observed: FloatArray,
    ) -> None:
        self.breach = breach
        self.known = known
        self.signal = signal
        self.baseline = baseline
        self.bound = bound
        self.observed = observed


# --- small numeric helpers --------------------------------------------------


def _safe_divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Divide where the denominator is non-zero and finite; NaN elsewhere.

    Like every kernel here it runs under `Program.step_nodes`' ``errstate``:
    the quotient is computed everywhere, then the undefined places are set
    to NaN (a masked division costs twice a plain one). A tiny (even
    subnormal) spread makes the quotient overflow to ±inf: the honest value
    of a deviation measured in a vanishing unit, not an error.

    Where the quotient is undefined it comes out NaN already, or infinite,
    or (an infinite denominator) zero: only places with an infinite
    quotient or denominator need a closer look.
    """
    out: FloatArray = numerator / denominator
    suspect = np.isinf(out)
    suspect |= np.isinf(denominator)
    if np.count_nonzero(suspect):
        where = np.flatnonzero(suspect)
        top = np.broadcast_to(numerator, out.shape)[where]
        bottom = np.broadcast_to(denominator, out.shape)[where]
        ok = np.isfinite(top) & np.isfinite(bottom) & (bottom != 0)
        out[where[~ok]] = np.nan
    return out


def _nan_median_rows(rows: tuple[FloatArray, ...], required: int) -> FloatArray:
    """Median over rows per entity, ignoring NaN; NaN with fewer than ``required``."""
    stacked = np.sort(np.stack(rows), axis=0)  # NaN sort last
    count = np.count_nonzero(~np.isnan(stacked), axis=0)
    top = len(rows) - 1
    low = np.clip((count - 1) // 2, 0, top)
    high = np.clip(count // 2, 0, top)
    a = np.take_along_axis(stacked, low[np.newaxis, :], axis=0)[0]
    b = np.take_along_axis(stacked, high[np.newaxis, :], axis=0)[0]
    median: FloatArray = (a + b) / 2.0
    median[count < max(required, 1)] = np.nan
    return median


class _Ring:
    """Helpers for a fixed-length ring of rows stored oldest first in a tuple."""

    @staticmethod
    def empty(length: int, n: int) -> tuple[FloatArray, ...]:
        blank = np.full(n, np.nan)
        blank.setflags(write=False)
        return (blank,) * length

    @staticmethod
    def push(rows: tuple[FloatArray, ...], row: FloatArray) -> tuple[FloatArray, ...]:
        return (*rows[1:], row)


class _Entry:
    """One period's values as they enter a metric's trailing windows."""

    __slots__ = ("centre", "enter", "new_centre", "valid", "x")

    def __init__(
        self,
        x: FloatArray,
        centre: FloatArray,
        new_centre: FloatArray | None,
        enter: FloatArray,
        valid: FloatArray,
    ) -> None:
        self.x = x
        self.centre = centre
        self.new_centre = new_centre
        self.enter = enter
        self.valid = valid


Entries = dict[tuple[int, int], _Entry]


# --- signal nodes -----------------------------------------------------------


class _SignalNode:
    """A stateful signal: returns (signal, baseline, observed) per period."""

    def __init__(self, prefix: str, metric: str) -> None:
        self.prefix = prefix
        self.metric = metric

    def init(self, n: int) -> State:  # pragma: no cover - overridden
        raise NotImplementedError

    def step(
        self, state: State, x: FloatArray, new: Writes, entries: Entries
    ) -> tuple[FloatArray, FloatArray]:  # pragma: no cover - overridden
        raise NotImplementedError

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"


class _RawNode(_SignalNode):
    def __init__(self, prefix: str, metric: str) -> None:
        super().__init__(prefix, metric)
        self.blank: FloatArray = np.full(0, np.nan)

    def init(self, n: int) -> State:
        del n
        return {}

    def step(
        self, state: State, x: FloatArray, new: Writes, entries: Entries
    ) -> tuple[FloatArray, FloatArray]:
        del state, new, entries
        blank = self.blank
        if blank.shape != x.shape:
            # No baseline: one read-only NaN array, made once (outputs are
            # never written in place).
            blank = np.full(x.shape, np.nan)
            blank.setflags(write=False)
            self.blank = blank
        return x, blank


class _LagNode(_SignalNode):
    """Baseline = value ``lag`` periods back (previous value, seasonal lag)."""

    def __init__(self, prefix: str, metric: str, lag: int, *, relative: bool) -> None:
        super().__init__(prefix, metric)
        self.lag = lag
        self.relative = relative

    def init(self, n: int) -> State:
        return {self.key("rows"): _Ring.empty(self.lag, n)}

    def step(
        self, state: State, x: FloatArray, new: Writes, entries: Entries
    ) -> tuple[FloatArray, FloatArray]:
        del entries
        rows = state[self.key("rows")]
        baseline = rows[0]
        new[self.key("rows")] = _Ring.push(rows, x)
        return _change(x, baseline, relative=self.relative), baseline


def _change(x: FloatArray, baseline: FloatArray, *, relative: bool) -> FloatArray:
    """Return ``x - baseline``, or ``(x - baseline) / |baseline|`` if relative.

    ``x`` is finite or NaN (panels refuse infinities). A relative change is
    NaN where the baseline is zero, NaN or infinite: an infinite baseline
    makes the difference infinite or NaN, so checking that the difference is
    finite and the baseline's size positive is `_safe_divide`'s test.
    """
    difference = x - baseline
    if not relative:
        return difference
    size = np.abs(baseline)
    out: FloatArray = difference / size
    # Where undefined the quotient is NaN already or infinite (an infinite
    # size makes the difference infinite or NaN too): only infinite
    # quotients need a closer look, since overflow is a defined ±inf.
    suspect = np.isinf(out)
    if np.count_nonzero(suspect):
        where = np.flatnonzero(suspect)
        ok = np.isfinite(difference[where]) & (size[where] > 0)
        out[where[~ok]] = np.nan
    return out


class _WindowSums:
    """Running centred sums over a trailing window of ``length`` periods.

    The ring keeps each period's centred, zero-filled value and its validity,
    so adding the new period and dropping the oldest is a few array
    operations whatever the window length.
    """

    def __init__(self, node: _SignalNode, length: int, *, squares: bool) -> None:
        self.node = node
        self.length = length
        self.squares = squares
        self.settled: FloatArray | None = None
        self.ones: FloatArray = np.ones(0)
        # State keys, spelt once (a step reads and writes each of them).
        self.keys = {
            name: node.key(name)
            for name in ("centred", "valid", "centre", "sum", "count", "sumsq")
        }

    def init(self, n: int) -> State:
        key = self.node.key
        zero = np.zeros(n)
        zero.setflags(write=False)
        state: State = {
            key("centred"): (zero,) * self.length,
            key("valid"): (zero,) * self.length,
            key("centre"): np.full(n, np.nan),
            key("sum"): np.zeros(n),
            key("count"): np.zeros(n),
        }
        if self.squares:
            state[key("sumsq")] = np.zeros(n)
        return state

    def stats(self, state: State) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return (centre, centred sum, count) of the window before this period."""
        keys = self.keys
        return state[keys["centre"]], state[keys["sum"]], state[keys["count"]]

    def entry(self, state: State, x: FloatArray, entries: Entries) -> _Entry:
        """Return this period's centred value, validity and (new) centre.

        Windows on one metric share their centre (each entity's first
        observed value), so they share this computation too: ``entries``
        caches it per period by the arrays it was computed from.
        """
        centre = state[self.keys["centre"]]
        cache_key = (id(x), id(centre))
        cached = entries.get(cache_key)
        if cached is not None and cached.x is x and cached.centre is centre:
            return cached
        missing = np.isnan(x)
        new_centre = None
        # Once every entity has a centre it never changes again: remember
        # the array (state arrays are never modified in place).
        if centre is not self.settled:
            unset = np.isnan(centre)
            if unset.any():
                new_centre = np.where(unset & ~missing, x, centre)
                if not np.isnan(new_centre).any():
                    self.settled = new_centre
            else:
                self.settled = centre
        enter = x - (centre if new_centre is None else new_centre)
        if np.count_nonzero(missing):
            enter[missing] = 0.0
            valid = (~missing).astype(np.float64)
        else:
            # A period with no gap enters one shared read-only row of ones
            # (ring rows are never written in place).
            valid = self.ones
            if valid.shape != x.shape:
                valid = np.ones(x.shape)
                valid.setflags(write=False)
                self.ones = valid
        result = _Entry(x, centre, new_centre, enter, valid)
        entries[cache_key] = result
        return result

    def push(self, state: State, x: FloatArray, new: Writes, entries: Entries) -> None:
        """Add this period's values to the window, dropping the oldest."""
        keys = self.keys
        entry = self.entry(state, x, entries)
        if entry.new_centre is not None:
            new[keys["centre"]] = entry.new_centre
        enter, valid = entry.enter, entry.valid
        # Read everything old before writing: in batch ``new`` is ``state``.
        centred, validity = state[keys["centred"]], state[keys["valid"]]
        leave, left = centred[0], validity[0]
        total, count = state[keys["sum"]], state[keys["count"]]
        sumsq = state[keys["sumsq"]] if self.squares else None
        new[keys["centred"]] = (*centred[1:], enter)
        new[keys["valid"]] = (*validity[1:], valid)
        # The same sums as ``total + enter - leave`` (and so on), in fewer
        # temporary arrays.
        new_total = np.add(total, enter)
        new_total -= leave
        new[keys["sum"]] = new_total
        if valid is not left:
            new_count = np.add(count, valid)
            new_count -= left
            new[keys["count"]] = new_count
        if sumsq is not None:
            squares = np.multiply(enter, enter)
            squares += sumsq
            squares -= leave * leave
            new[keys["sumsq"]] = squares


class _TrailingMeanNode(_SignalNode):
    def __init__(
        self, prefix: str, metric: str, window: int, required: int, *, relative: bool
    ) -> None:
        super().__init__(prefix, metric)
        self.sums = _WindowSums(self, window, squares=False)
        self.required = required
        self.relative = relative

    def init(self, n: int) -> State:
        return self.sums.init(n)

    def step(
        self, state: State, x: FloatArray, new: Writes, entries: Entries
    ) -> tuple[FloatArray, FloatArray]:
        centre, total, count = self.sums.stats(state)
        baseline = total / count
        short = count < self.required
        if np.count_nonzero(short):
            baseline[short] = np.nan
        baseline += centre
        self.sums.push(state, x, new, entries)
        return _change(x, baseline, relative=self.relative), baseline


class _TrailingMedianNode(_SignalNode):
    def __init__(
        self, prefix: str, metric: str, window: int, required: int, *, relative: bool
    ) -> None:
        super().__init__(prefix, metric)
        self.window = window
        self.required = required
        self.relative = relative

    def init(self, n: int) -> State:
        return {self.key("rows"): _Ring.empty(self.window, n)}

    def step(
        self, state: State, x: FloatArray, new: Writes, entries: Entries
    ) -> tuple[FloatArray, FloatArray]:
        del entries
        rows = state[self.key("rows")]
        baseline = _nan_median_rows(rows, self.required)
        new[self.key("rows")] = _Ring.push(rows, x)
        return _change(x, baseline, relative=self.relative), baseline


class _ZScoreNode(_SignalNode):
    def __init__(self, prefix: str, metric: str, spec: RollingZScore) -> None:
        super().__init__(prefix, metric)
        self.spec = spec
        self.sums = _WindowSums(self, spec.window, squares=True)
        self.robust = spec.robust

    def init(self, n: int) -> State:
        if self.spec.robust:
            return {self.key("rows"): _Ring.empty(self.spec.window, n)}
        return self.sums.init(n)

    def step(
        self, state: State, x: FloatArray, new: Writes, entries: Entries
    ) -> tuple[FloatArray, FloatArray]:
        if self.spec.robust:
            rows = state[self.key("rows")]
            centre = _nan_median_rows(rows, self.spec.required)
            deviations = tuple(np.abs(row - centre) for row in rows)
            scale = _MAD_TO_SIGMA * _nan_median_rows(deviations, self.spec.required)
            new[self.key("rows")] = _Ring.push(rows, x)
            return _safe_divide(x - centre, scale), centre
        shift, total, count = self.sums.stats(state)
        sumsq = state[self.sums.keys["sumsq"]]
        mean = total / count
        variance = sumsq - total * mean
        variance /= count - 1
        short = count < self.spec.required
        if np.count_nonzero(short):
            mean[short] = np.nan
            variance[short] = np.nan
        # A variance rounded to zero or below gives a zero or NaN spread,
        # which the division below turns into an unknown score.
        spread = np.sqrt(variance)
        centre = mean + shift
        self.sums.push(state, x, new, entries)
        return _safe_divide(x - centre, spread), centre


class _LevelShiftNode(_SignalNode):
    def __init__(self, prefix: str, metric: str, spec: LevelShift) -> None:
        super().__init__(prefix, metric)
        self.spec = spec

    def init(self, n: int) -> State:
        return {self.key("rows"): _Ring.empty(2 * self.spec.window, n)}

    def step(
        self, state: State, x: FloatArray, new: Writes, entries: Entries
    ) -> tuple[FloatArray, FloatArray]:
        del entries
        rows = _Ring.push(state[self.key("rows")], x)
        new[self.key("rows")] = rows
        w = self.spec.window
        older = _nan_median_rows(rows[:w], self.spec.required)
        recent = _nan_median_rows(rows[w:], self.spec.required)
        return _change(recent, older, relative=self.spec.relative), older


def _signal_node(prefix: str, signal: Signal) -> _SignalNode:  # noqa: PLR0911  one per kind
    if isinstance(signal, Raw):
        return _RawNode(prefix, signal.metric)
    if isinstance(signal, Change):
        baseline = signal.baseline
        relative = signal.relative
        if isinstance(baseline, PreviousValue):
            return _LagNode(prefix, signal.metric, 1, relative=relative)
        if isinstance(baseline, SeasonalLag):
            return _LagNode(prefix, signal.metric, baseline.lag, relative=relative)
        if isinstance(baseline, TrailingMean):
            return _TrailingMeanNode(
                prefix,
                signal.metric,
                baseline.window,
                baseline.required,
                relative=relative,
            )
        return _TrailingMedianNode(
            prefix, signal.metric, baseline.window, baseline.required, relative=relative
        )
    if isinstance(signal, RollingZScore):
        return _ZScoreNode(prefix, signal.metric, signal)
    return _LevelShiftNode(prefix, signal.metric, signal)


# --- control charts ---------------------------------------------------------


class _ReferenceState:
    """μ₀ and σ per entity: fixed, or learnt from a warm-up (Welford updates)."""

    def __init__(
        self, prefix: str, reference: FixedReference | WarmupReference
    ) -> None:
        self.prefix = prefix
        self.reference = reference

    def init(self, n: int) -> State:
        if isinstance(self.reference, FixedReference):
            return {}
        p = self.prefix
        return {
            f"{p}.warm_n": np.zeros(n, dtype=np.int64),
            f"{p}.warm_mean": np.zeros(n),
            f"{p}.warm_m2": np.zeros(n),
        }

    def update(
        self, state: State, x: FloatArray, new: Writes
    ) -> tuple[FloatArray, FloatArray, BoolArray]:
        """Return (mean, sigma, ready-before-this-period) and learn from ``x``."""
        if isinstance(self.reference, FixedReference):
            n = x.shape[0]
            return (
                np.full(n, self.reference.mean),
                np.full(n, self.reference.sigma),
                np.ones(n, dtype=bool),
            )
        p = self.prefix
        periods = self.reference.periods
        count = state[f"{p}.warm_n"]
        mean = state[f"{p}.warm_mean"]
        m2 = state[f"{p}.warm_m2"]
        ready = count >= periods
        learn = ~ready & ~np.isnan(x)
        new_count = count + learn.astype(np.int64)
        delta = np.where(learn, x - mean, 0.0)
        new_mean = mean + _safe_divide(delta, new_count.astype(np.float64)) * learn
        new_mean = np.where(learn, new_mean, mean)
        new_m2 = np.where(learn, m2 + delta * (x - new_mean), m2)
        new[f"{p}.warm_n"] = new_count
        new[f"{p}.warm_mean"] = new_mean
        new[f"{p}.warm_m2"] = new_m2
        sigma = np.sqrt(_safe_divide(m2, (count - 1).astype(np.float64)))
        sigma = np.where(ready & (sigma > 0), sigma, np.nan)
        return mean, sigma, ready


def _side_breach(stat: FloatArray, limit: float, side: Side) -> BoolArray:
    if side is Side.LOWER:
        return stat < -limit
    if side is Side.UPPER:
        return stat > limit
    return np.abs(stat) > limit


class _EWMANode:
    def __init__(self, prefix: str, spec: EWMAChart) -> None:
        self.prefix = prefix
        self.spec = spec
        self.metric = spec.metric
        self.reference = _ReferenceState(prefix, spec.reference)

    def init(self, n: int) -> State:
        state = self.reference.init(n)
        state[f"{self.prefix}.z"] = np.full(n, np.nan)
        state[f"{self.prefix}.t"] = np.zeros(n, dtype=np.int64)
        return state

    def step(self, state: State, frame: Frame, new: Writes) -> ConditionOutput:
        spec = self.spec
        x = frame.values[self.metric]
        mean, sigma, ready = self.reference.update(state, x, new)
        active = ready & ~np.isnan(x) & ~np.isnan(sigma)
        z_before = state[f"{self.prefix}.z"]
        z_before = np.where(np.isnan(z_before), mean, z_before)
        t = state[f"{self.prefix}.t"] + active.astype(np.int64)
        z = np.where(active, spec.lam * x + (1.0 - spec.lam) * z_before, z_before)
        new[f"{self.prefix}.z"] = np.where(ready, z, np.nan)
        new[f"{self.prefix}.t"] = t
        factor = np.sqrt(
            spec.lam / (2.0 - spec.lam) * (1.0 - (1.0 - spec.lam) ** (2.0 * t))
        )
        stat = _safe_divide(z - mean, sigma * factor)
        stat = np.where(active, stat, np.nan)
        known = ~np.isnan(stat)
        bound_value = -spec.limit if spec.side is Side.LOWER else spec.limit
        return ConditionOutput(
            breach=known & _side_breach(stat, spec.limit, spec.side),
            known=known,
            signal=stat,
            baseline=mean,
            bound=float(bound_value),
            observed=x,
        )


class _CUSUMNode:
    def __init__(self, prefix: str, spec: CUSUMChart) -> None:
        self.prefix = prefix
        self.spec = spec
        self.metric = spec.metric
        self.reference = _ReferenceState(prefix, spec.reference)

    def init(self, n: int) -> State:
        state = self.reference.init(n)
        state[f"{self.prefix}.upper"] = np.zeros(n)
        state[f"{self.prefix}.lower"] = np.zeros(n)
        return state

    def step(self, state: State, frame: Frame, new: Writes) -> ConditionOutput:
        spec = self.spec
        x = frame.values[self.metric]
        mean, sigma, ready = self.reference.update(state, x, new)
        active = ready & ~np.isnan(x) & ~np.isnan(sigma)
        allowance = spec.k * sigma
        limit = spec.h * sigma
        upper_before = state[f"{self.prefix}.upper"]
        lower_before = state[f"{self.prefix}.lower"]
        upper = np.where(
            active, np.maximum(0.0, x - (mean + allowance) + upper_before), upper_before
        )
        lower = np.where(
            active, np.maximum(0.0, (mean - allowance) - x + lower_before), lower_before
        )
        watch_upper = spec.side in (Side.UPPER, Side.BOTH)
        watch_lower = spec.side in (Side.LOWER, Side.BOTH)
        upper_hit = active & (upper > limit) if watch_upper else np.zeros_like(active)
        lower_hit = active & (lower > limit) if watch_lower else np.zeros_like(active)
        # Signal, then restart the sum that crossed H (Page's tabular CUSUM).
        new[f"{self.prefix}.upper"] = np.where(upper_hit, 0.0, upper)
        new[f"{self.prefix}.lower"] = np.where(lower_hit, 0.0, lower)
        watched = np.maximum(
            upper if watch_upper else np.zeros_like(upper),
            lower if watch_lower else np.zeros_like(lower),
        )
        stat = np.where(active, _safe_divide(watched, sigma), np.nan)
        known = ~np.isnan(stat)
        return ConditionOutput(
            breach=upper_hit | lower_hit,
            known=known,
            signal=stat,
            baseline=mean,
            bound=float(spec.h),
            observed=x,
        )


# --- conditions -------------------------------------------------------------


ConditionFn = Callable[
    [State, Frame, State, dict[int, tuple[Any, ...]]], ConditionOutput
]


class Program:
    """Compiled conditions: shared stateful nodes plus pure predicate logic.

    A signal or chart used by several tiers or rules is stepped once per
    period; conditions then read its cached output.
    """

    def __init__(self) -> None:
        self.signal_nodes: dict[Signal, _SignalNode] = {}
        self.chart_nodes: dict[EWMAChart | CUSUMChart, _EWMANode | _CUSUMNode] = {}
        self._order: list[Any] = []
        # Conditions are attrs values whose hash walks the whole spec; look
        # each object up once and keep (object, memo key, node) by identity.
        self._thresholds: dict[int, tuple[Threshold, tuple[str, int], Any]] = {}
        self._threshold_keys: dict[Threshold, tuple[str, int]] = {}
        self._nan_free: NanFree = {}

    def _node_for_signal(self, signal: Signal) -> _SignalNode:
        node = self.signal_nodes.get(signal)
        if node is None:
            node = _signal_node(f"s{len(self._order)}", signal)
            self.signal_nodes[signal] = node
            self._order.append(node)
        return node

    def _node_for_chart(self, chart: EWMAChart | CUSUMChart) -> _EWMANode | _CUSUMNode:
        node = self.chart_nodes.get(chart)
        if node is None:
            prefix = f"c{len(self._order)}"
            node = (
                _EWMANode(prefix, chart)
                if isinstance(chart, EWMAChart)
                else _CUSUMNode(prefix, chart)
            )
            self.chart_nodes[chart] = node
            self._order.append(node)
        return node

    def register(self, condition: Condition) -> None:
        """Create the nodes a condition needs (once per distinct spec)."""
        if isinstance(condition, Threshold):
            self._node_for_signal(condition.signal)
        elif isinstance(condition, (EWMAChart, CUSUMChart)):
            self._node_for_chart(condition)
        elif isinstance(condition, (AllOf, AnyOf)):
            for part in condition.conditions:
                self.register(part)
        elif isinstance(condition, Not):
            self.register(condition.condition)

    def init(self, n: int) -> State:
        """Return the state before the first period."""
        state: State = {}
        for node in self._order:
            state.update(node.init(n))
        return self.share_centres(state)

    def _centre_keys(self) -> dict[str, list[str]]:
        """Return the state keys of the window centres, by metric."""
        keys: dict[str, list[str]] = {}
        for node in self._order:
            if isinstance(node, _TrailingMeanNode) or (
                isinstance(node, _ZScoreNode) and not node.robust
            ):
                keys.setdefault(node.metric, []).append(node.key("centre"))
        return keys

    def share_centres(self, state: State) -> State:
        """Let equal window centres of one metric be one array (in place).

        Centres are replaced, never modified in place, so windows on one
        metric can share one array and the work of feeding it (see
        `_WindowSums.entry`); unequal centres (a hand-made state) stay apart.
        """
        for keys in self._centre_keys().values():
            first = state[keys[0]]
            for key in keys[1:]:
                other = state[key]
                if other is not first and np.array_equal(first, other, equal_nan=True):
                    state[key] = first
        return state

    def step_nodes(
        self, state: State, frame: Frame, new: Writes
    ) -> dict[int, tuple[Any, ...]]:
        """Step every node once; return outputs keyed by node id."""
        outputs: dict[int, tuple[Any, ...]] = {}
        entries: Entries = {}
        # Kernels divide and take roots everywhere and then set undefined
        # places to NaN explicitly: no floating-point warning is meaningful.
        with np.errstate(all="ignore"):
            for node in self._order:
                if isinstance(node, _SignalNode):
                    x = frame.values[node.metric]
                    signal, baseline = node.step(state, x, new, entries)
                    outputs[id(node)] = (signal, baseline, x)
                else:
                    outputs[id(node)] = (node.step(state, frame, new),)
        return outputs

    def evaluate(
        self, condition: Condition, frame: Frame, outputs: dict[int, tuple[Any, ...]]
    ) -> ConditionOutput:
        """Evaluate a condition from the nodes' outputs of this period.

        A threshold shared by several tiers or rules is computed once per
        period (the result is kept in ``outputs``).
        """
        if isinstance(condition, Threshold):
            found = self._thresholds.get(id(condition))
            if found is None or found[0] is not condition:
                # Equal thresholds share one memo key, hence one result.
                memo_key = self._threshold_keys.setdefault(
                    condition, ("threshold", len(self._threshold_keys))
                )
                found = (condition, memo_key, self.signal_nodes[condition.signal])
                self._thresholds[id(condition)] = found
            _, memo_key, node = found
            memo = outputs.get(memo_key)  # type: ignore[call-overload]
            if memo is not None:
                cached: ConditionOutput = memo[0]
                return cached
            signal, baseline, observed = outputs[id(node)]
            result = _threshold(
                condition, signal, baseline, observed, frame, self._nan_free
            )
            outputs[memo_key] = (result,)  # type: ignore[index]
            return result
        if isinstance(condition, (EWMAChart, CUSUMChart)):
            chart: ConditionOutput = outputs[id(self.chart_nodes[condition])][0]
            return chart
        if isinstance(condition, Not):
            inner = self.evaluate(condition.condition, frame, outputs)
            return ConditionOutput(
                breach=inner.known & ~inner.breach,
                known=inner.known,
                signal=inner.signal,
                baseline=inner.baseline,
                bound=inner.bound,
                observed=inner.observed,
            )
        parts = [self.evaluate(part, frame, outputs) for part in condition.conditions]
        true = np.stack([p.known & p.breach for p in parts])
        false = np.stack([p.known & ~p.breach for p in parts])
        if isinstance(condition, AllOf):
            breach: BoolArray = np.all(true, axis=0)
            known: BoolArray = breach | np.any(false, axis=0)
            # Explain a failure by the first part that is known false.
            deciding = np.where(breach, 0, np.argmax(false, axis=0))
        else:
            breach = np.any(true, axis=0)
            known = breach | np.all(false, axis=0)
            # Explain a breach by the first part that breached.
            deciding = np.where(breach, np.argmax(true, axis=0), 0)
        n = breach.shape[0]
        columns = np.arange(n)

        def pick(name: str) -> FloatArray:
            values = [getattr(p, name) for p in parts]
            if all(v is values[0] for v in values[1:]):
                return per_entity(values[0], n)
            stacked = np.stack([per_entity(v, n) for v in values])
            chosen: FloatArray = stacked[deciding, columns]
            return chosen

        return ConditionOutput(
            breach=breach,
            known=known,
            signal=pick("signal"),
            baseline=pick("baseline"),
            bound=pick("bound"),
            observed=pick("observed"),
        )


def per_entity(value: FloatArray | float, n: int) -> FloatArray:
    """Return an output as a per-entity array (a fixed bound is a number)."""
    if np.ndim(value) == 0:
        return np.full(n, float(value))
    return value  # type: ignore[return-value]  # an array, as ndim says


def _bound_values(
    bound: float | Calibrated, frame: Frame, n: int
) -> FloatArray | float:
    """Return a calibrated bound's per-entity array, or a fixed bound's number."""
    if isinstance(bound, Calibrated):
        values = frame.bounds.get(bound.name)
        return np.full(n, np.nan) if values is None else values
    return float(bound)


NanFree = dict[int, FloatArray]


def _not_nan(
    nan_free: NanFree, signal: FloatArray, *bounds: FloatArray | float
) -> BoolArray:
    """Return where the signal and every bound are numbers.

    Calibrated bounds are the same read-only arrays period after period:
    ``nan_free`` remembers those without a NaN (by id, the array kept so the
    id stays its own), which need no check at all.
    """
    known: BoolArray = signal == signal  # noqa: PLR0124  False exactly at NaN
    for bound in bounds:
        if isinstance(bound, float) or nan_free.get(id(bound)) is bound:
            continue
        numbers = bound == bound  # noqa: PLR0124
        if not bound.flags.writeable and np.count_nonzero(numbers) == numbers.size:
            if len(nan_free) >= _NAN_FREE_SIZE:
                nan_free.clear()
            nan_free[id(bound)] = bound
        known &= numbers
    return known


#: How many NaN-free bound arrays a program remembers (a few per threshold set).
_NAN_FREE_SIZE = 64


def _threshold(  # noqa: PLR0913, PLR0917  a condition and its inputs
    condition: Threshold,
    signal: FloatArray,
    baseline: FloatArray,
    observed: FloatArray,
    frame: Frame,
    nan_free: NanFree,
) -> ConditionOutput:
    n = signal.shape[0]
    predicate = condition.predicate
    bound: FloatArray | float
    if isinstance(predicate, Below):
        bound = _bound_values(predicate.bound, frame, n)
        breach = signal <= bound if predicate.inclusive else signal < bound
        known = _not_nan(nan_free, signal, bound)
    elif isinstance(predicate, Above):
        bound = _bound_values(predicate.bound, frame, n)
        breach = signal >= bound if predicate.inclusive else signal > bound
        known = _not_nan(nan_free, signal, bound)
    else:
        assert isinstance(predicate, Outside)  # noqa: S101  exhaustive union
        low = _bound_values(predicate.low, frame, n)
        high = _bound_values(predicate.high, frame, n)
        below = signal < low
        breach = below | (signal > high)
        if isinstance(high, float):
            # Cheaper than `np.where` (or `np.full`) with a number on one side.
            bound = np.empty(n)
            bound.fill(high)
            np.copyto(bound, low, where=below)
        else:
            bound = np.where(below, low, high)
        known = _not_nan(nan_free, signal, low, high)
        if not (isinstance(low, float) and isinstance(high, float)):
            # One missing bound leaves the other side able to breach: unknown.
            breach &= known
    guards = condition.guards
    if guards.min_baseline is not None or guards.min_abs_change is not None:
        guarded = np.zeros(n, dtype=bool)
        if guards.min_baseline is not None:
            guarded |= ~(baseline >= guards.min_baseline)
        if guards.min_abs_change is not None:
            guarded |= ~(np.abs(observed - baseline) >= guards.min_abs_change)
        known = known | (guarded & ~np.isnan(observed))
        breach = breach & ~guarded
    # A comparison with NaN is False, so a one-sided breach is known already.
    return ConditionOutput(
        breach=breach,
        known=known,
        signal=signal,
        baseline=baseline,
        bound=bound,
        observed=observed,
    )
