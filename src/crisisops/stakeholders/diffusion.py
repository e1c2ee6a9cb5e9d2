r"""Spread of negative opinion among stakeholders: cascade and threshold models.

The book warns that online, news travels fast and a small incident can grow
into a crisis (book §1: 在互聯網時代,信息的傳播速度極快,一個小小的危機事件都
可能迅速擴散), and asks the company to talk to the media early so that false
reports do not spread (book §5 保持與內外部利益相關者的溝通: 確保信息的準確傳播,
避免不實報道的擴散). This module simulates that spread of negative word of
mouth (負面口碑) through the influence arcs of a stakeholder graph, and
measures what a communication plan buys.

Two classic models (Kempe, Kleinberg & Tardos 2003), each run from seed
stakeholders who are negative at step 0:

* **Independent cascade** (IC; Goldenberg, Libai & Muller 2001): a stakeholder
  who turns negative at step ``t`` gets one chance, at step ``t + 1``, to turn
  each out-neighbour ``v`` negative, with probability ``p(u, v)``.
* **Linear threshold** (LT; Granovetter 1978): each stakeholder ``v`` draws a
  threshold ``θ_v ~ U(0, 1]`` once per run and turns negative at the first
  step when the weights ``b(u, v)`` of its negative in-neighbours add up to
  ``θ_v`` or more. The in-weights of every node must sum to at most 1.

A `DiffusionNetwork` holds the arcs as plain CSR arrays (``indptr``,
``targets``, ``weights``) in the node order of its ``keys``; build it from a
`StakeholderGraph` (its influence weights), from a list of arcs or from CSR
arrays, and switch to a preset with `DiffusionNetwork.with_uniform_probability`
(``p`` on every arc, e.g. 0.01 or 0.1 as in KKT) or
`DiffusionNetwork.with_weighted_cascade` (``p(u, v) = 1/indeg(v)``).

`simulate_spread` runs many Monte Carlo runs and returns a `SpreadResult`:
the reach of every run (how many stakeholders are negative at the end, seeds
included), its mean with the Monte Carlo standard error, the mean number of
new activations per step, and each stakeholder's probability of ending
negative. An `Intervention` says that our message reaches some stakeholders
before step ``k``; from then on they stop spreading
(`InterventionEffect.STOP_SPREADING`) or turn neutral
(`InterventionEffect.NEUTRAL`). `compare_interventions` runs a plan and doing
nothing on **common random numbers**, so the reduction in reach is paired run
by run (`SpreadComparison`).

How it is computed (and why it is fast). Every run's randomness is a fixed
function of the run and the arc (IC) or the run and the node (LT): outputs
of a SplitMix64 stream (Steele, Lea & Flood 2014) keyed by two numbers drawn
once from ``rng``, at counters that name the (run, arc) or (run, node). That
is the live-edge view of KKT (each arc's coin is fixed in advance),
evaluated lazily: coins are only computed for the arcs that leave the
current frontier, about a thousand runs at a time, so the cost grows with
the cascade, not with the graph. When every arc has the same probability
``p``, the live arcs of a (run, node) pair come from geometric skips
(Devroye 1986) instead of one coin per arc, so the cost follows the live
arcs. Who is already negative is kept as sorted ``run·n + node`` codes (a
bitmap once a batch holds many; a boolean matrix on small graphs). Because
the randomness depends only on (run, arc or node), results do not depend on
batch sizes or evaluation order, and a plan and the baseline see exactly the
same coins and thresholds: with interventions that only silence or
neutralise, the plan's negative set is a subset of the baseline's in every
run.

Examples
--------
A chain: a KOL influences customers, who influence the media, each arc with
probability 0.5. The media turn negative only if both arcs fire, with
probability 0.5 · 0.5 = 0.25 (by hand):

>>> shop = DiffusionNetwork.from_arcs(
...     ["kol", "customers", "media"],
...     [("kol", "customers", 0.5), ("customers", "media", 0.5)],
... )
>>> result = simulate_spread(shop, ["kol"], runs=20_000, rng=2026)
>>> bool(abs(result.probability("media") - 0.25) < 4 * 0.0031)  # 4 SE
True
>>> result.step_counts.round(2).tolist()  # 1 seed, then 0.5, then 0.25
[1.0, 0.5, 0.25]
>>> quiet_customers = Intervention(nodes=["customers"], step=1)
>>> comparison = compare_interventions(
...     shop, ["kol"], [quiet_customers], runs=20_000, rng=2026
... )
>>> comparison.plan.probability("media")  # customers no longer pass it on
0.0
>>> bool((comparison.plan.reach <= comparison.baseline.reach).all())
True

Without ``runs``, a simulation makes `DEFAULT_RUNS` runs; it may make at
most `MAX_RUNS`:

>>> from crisisops.stakeholders.diffusion import DEFAULT_RUNS, MAX_RUNS
>>> simulate_spread(shop, ["kol"], rng=1).runs == DEFAULT_RUNS
True
>>> from crisisops.errors import ValidationError
>>> try:
...     simulate_spread(shop, ["kol"], rng=1, runs=MAX_RUNS + 1)
... except ValidationError as error:
...     error.expected
'a whole number from 1 to 10,000,000'

The linear threshold model needs every node's in-weights to sum to at
most 1; a sum above 1 by rounding only (up to `LT_WEIGHT_TOLERANCE`)
passes:

>>> from crisisops.stakeholders.diffusion import LT_WEIGHT_TOLERANCE
>>> four = DiffusionNetwork.from_arcs(
...     ["a", "b", "c", "d", "media"],
...     [
...         ("a", "media", 0.2),
...         ("b", "media", 0.4),
...         ("c", "media", 0.3),
...         ("d", "media", 0.1),
...     ],
... )
>>> total = float(four.in_weight_sums()[-1])
>>> total, total - 1 <= LT_WEIGHT_TOLERANCE, four.check_linear_threshold()
(1.0000000000000002, True, None)

References
----------
Kempe, David, Jon Kleinberg, and Éva Tardos. 2003. "Maximizing the Spread of
Influence through a Social Network." *KDD '03*: 137–46.
https://doi.org/10.1145/956750.956769.
Goldenberg, Jacob, Barak Libai, and Eitan Muller. 2001. "Talk of the Network:
A Complex Systems Look at the Underlying Process of Word-of-Mouth."
*Marketing Letters* 12 (3): 211–23.
Granovetter, Mark. 1978. "Threshold Models of Collective Behavior."
*American Journal of Sociology* 83 (6): 1420–43.
Chen, Wei, Yajun Wang, and Siyu Yang. 2009. "Efficient Influence Maximization
in Social Networks." *KDD '09*: 199–208. (The weighted cascade preset.)
Budak, Ceren, Divyakant Agrawal, and Amr El Abbadi. 2011. "Limiting the Spread
of Misinformation in Social Networks." *WWW '11*: 665–74. (Counter-campaigns.)
Steele, Guy L., Doug Lea, and Christine H. Flood. 2014. "Fast Splittable
Pseudorandom Number Generators." *OOPSLA '14*: 453–72. (SplitMix64.)
Devroye, Luc. 1986. *Non-Uniform Random Variate Generation*. New York:
Springer. §X.2. (Geometric skips over Bernoulli trials.)
Law, Averill M. 2015. *Simulation Modeling and Analysis*. 5th ed. §11.2,
common random numbers.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._random import SeedLike, resolve_rng
from crisisops._validation import (
    check_finite,
    check_str,
    check_unique_texts,
    field_name,
    is_enum,
    is_instance,
    is_text,
    is_tuple_of,
    is_unique,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels

if TYPE_CHECKING:
    from crisisops.stakeholders.graph import StakeholderGraph

__all__ = [
    "DEFAULT_RUNS",
    "LT_WEIGHT_TOLERANCE",
    "MAX_RUNS",
    "DiffusionModel",
    "DiffusionNetwork",
    "Intervention",
    "InterventionEffect",
    "SpreadComparison",
    "SpreadResult",
    "compare_interventions",
    "simulate_spread",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
UIntArray = npt.NDArray[np.uint64]

#: Monte Carlo runs when none are given (KKT 2003 used 10,000).
DEFAULT_RUNS = 1_000
#: Most runs one simulation may make.
MAX_RUNS = 10_000_000
#: How far above 1 the linear-threshold in-weights of a node may sum before
#: they are refused: room for rounding, e.g. seven arcs of weight 1/7.
LT_WEIGHT_TOLERANCE = 1e-9

# --- engine constants -----------------------------------------------------------

# Runs simulated together: at least this many, more on small graphs.
_MIN_BATCH = 1024
# Batches of up to this many (run, node) pairs track who is negative in a
# dense boolean matrix (and LT weights in a dense float matrix); larger ones
# use sorted arrays of run·n + node codes, whose size follows the cascade.
_DENSE_PAIRS = 1 << 21
# Sparse tracking drops finished runs only once it holds this many codes...
_FORGET_FROM = 1 << 15
# ...and moves to a bitmap beyond this many.
_BITMAP_FROM = 1 << 16
# Arcs whose coins are computed in one go: keeps the temporaries in cache.
_BLOCK_ARCS = 1 << 17
# A step that never comes (no intervention, no horizon).
_NEVER = np.iinfo(np.int64).max
# Known keys offered as suggestions in an UnknownKeyError, at most.
_MAX_SUGGESTION_KEYS = 5_000

# SplitMix64 (Steele, Lea & Flood 2014): state = key + i·golden, then a mix.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_SHIFT_30 = np.uint64(30)
_SHIFT_27 = np.uint64(27)
_SHIFT_31 = np.uint64(31)
_SHIFT_11 = np.uint64(11)
_TWO_53 = 2.0**53
_LOG_TWO_53 = math.log(_TWO_53)
# Sums of skip lengths stay below this without clamping (int64 has 2**63).
_SAFE_TOTAL = 2.0**61


# --- vocabulary -------------------------------------------------------------------


class DiffusionModel(enum.Enum):
    """How negative word of mouth passes from one stakeholder to the next.

    ``INDEPENDENT_CASCADE``: one chance per arc, with probability ``p(u, v)``
    (Goldenberg, Libai & Muller 2001; KKT 2003). ``LINEAR_THRESHOLD``: a
    stakeholder turns once the weights of its negative in-neighbours reach its
    random threshold (Granovetter 1978; KKT 2003).

    Examples
    --------
    The media hear from two sources, each arc weighing 0.5. With both
    sources negative, the cascade gives two independent chances
    (``1 − 0.5² = 0.75``); the threshold model adds the weights (0.5 + 0.5
    = 1 reaches every threshold):

    >>> two = DiffusionNetwork.from_arcs(
    ...     ["kol", "buyers", "media"],
    ...     [("kol", "media", 0.5), ("buyers", "media", 0.5)],
    ... )
    >>> def media(model):
    ...     result = simulate_spread(
    ...         two, ["kol", "buyers"], runs=20_000, rng=1, model=model
    ...     )
    ...     return result.probability("media")
    >>> abs(media(DiffusionModel.INDEPENDENT_CASCADE) - 0.75) < 0.02
    True
    >>> media(DiffusionModel.LINEAR_THRESHOLD)
    1.0
    >>> DiffusionModel.LINEAR_THRESHOLD.labels.zh_hant
    '線性閾值模型'
    """

    INDEPENDENT_CASCADE = "independent_cascade"
    LINEAR_THRESHOLD = "linear_threshold"

    @property
    def labels(self) -> Labels:
        """Name of the model in English, 繁體 and 简体."""
        return _MODEL_LABELS[self]


_MODEL_LABELS = {
    DiffusionModel.INDEPENDENT_CASCADE: Labels(
        en="Independent cascade", zh_hant="獨立級聯模型", zh_hans="独立级联模型"
    ),
    DiffusionModel.LINEAR_THRESHOLD: Labels(
        en="Linear threshold", zh_hant="線性閾值模型", zh_hans="线性阈值模型"
    ),
}


class InterventionEffect(enum.Enum):
    """What our message does to a stakeholder it reaches before step ``k``.

    ``STOP_SPREADING`` (停止傳播): from step ``k`` on the stakeholder passes
    nothing on; it may still be, or become, negative and is counted in the
    reach (an upset customer who stays quiet, a Daley–Kendall stifler). In
    the linear threshold model its weight no longer pushes its neighbours.

    ``NEUTRAL`` (轉為中立): the stakeholder is won over. From step ``k`` on
    it cannot turn negative and passes nothing on; if it was already negative
    it turns neutral at step ``k`` and is not counted in the reach at the end
    (provided step ``k`` falls within the simulated horizon).
    """

    STOP_SPREADING = "stop_spreading"
    NEUTRAL = "neutral"

    @property
    def labels(self) -> Labels:
        """Name of the effect in English, 繁體 and 简体."""
        return _EFFECT_LABELS[self]


_EFFECT_LABELS = {
    InterventionEffect.STOP_SPREADING: Labels(
        en="Stops spreading", zh_hant="停止傳播", zh_hans="停止传播"
    ),
    InterventionEffect.NEUTRAL: Labels(
        en="Turns neutral", zh_hant="轉為中立", zh_hans="转为中立"
    ),
}


# --- array helpers ----------------------------------------------------------------


def _read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _same_array(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> bool:
    return bool(a.shape == b.shape and np.array_equal(a, b))


def _to_array(value: Any, dtype: type[np.generic], kinds: str) -> Any:  # noqa: ANN401
    """Return ``value`` as a read-only 1-D array of ``dtype``.

    A read-only, contiguous array of the right dtype whose memory nobody can
    change is kept as is (a million arcs are not copied twice); anything else
    is copied, so changing the caller's array later changes nothing here.
    Values of the wrong kind pass through for the validator to report.
    """
    if (
        isinstance(value, np.ndarray)
        and value.dtype == dtype
        and not value.flags.writeable
        and value.flags.c_contiguous
        and (
            value.flags.owndata
            or (isinstance(value.base, np.ndarray) and not value.base.flags.writeable)
        )
    ):
        return value
    if isinstance(value, (str, bytes)) or value is None:
        return value
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if raw.dtype.kind not in kinds and raw.size:  # an empty list is float64
        return value
    return _read_only(np.array(raw, dtype=dtype, order="C", copy=True))


def _to_int_array(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Convert to a read-only int64 array (integers only)."""
    return _to_array(value, np.int64, "iu")


def _to_float_array(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Convert to a read-only float64 array (integers or floats)."""
    return _to_array(value, np.float64, "iuf")


def _check_vector(value: object, field: str, dtype: type[np.generic]) -> None:
    if not isinstance(value, np.ndarray) or value.dtype != dtype:
        kind = "integers" if dtype is np.int64 else "numbers"
        raise InvalidTypeError(field, value, f"a 1-D array of {kind}")
    if value.ndim != 1:
        raise ValidationError(field, value, "a 1-D array")


def _key_hint(keys: Sequence[str]) -> Sequence[str]:
    """Keys offered as suggestions: all of them unless there are very many."""
    return keys if len(keys) <= _MAX_SUGGESTION_KEYS else ()


# --- the network ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DiffusionNetwork:
    r"""The influence arcs that negative opinion travels along, as CSR arrays.

    Node ``i`` is ``keys[i]``; its out-arcs are positions
    ``indptr[i]:indptr[i + 1]`` of ``targets`` (the node each arc points to)
    and ``weights`` (the arc's probability ``p(u, v)`` in the independent
    cascade, its weight ``b(u, v)`` in the linear threshold model). This is
    the layout of `StakeholderGraph.out_arrays`, and what the simulation
    works on directly.

    Attributes
    ----------
    keys
        Node keys (stakeholder keys), unique, in node order.
    indptr
        ``len(keys) + 1`` non-decreasing offsets starting at 0 and ending at
        the number of arcs (read-only int64).
    targets
        Target node of each arc, in ``[0, len(keys))`` (read-only int64).
    weights
        Each arc's probability or weight, in [0, 1] (read-only float64).

    Examples
    --------
    >>> net = DiffusionNetwork.from_arcs(
    ...     ["a", "b", "c"], [("a", "c", 0.2), ("b", "c", 0.3), ("a", "b", 1.0)]
    ... )
    >>> net.indptr.tolist(), net.targets.tolist(), net.weights.tolist()
    ([0, 2, 3, 3], [2, 1, 2], [0.2, 1.0, 0.3])
    >>> net.in_degree().tolist(), net.in_weight_sums().round(2).tolist()
    ([0, 1, 2], [0.0, 1.0, 0.5])
    >>> net.with_weighted_cascade().weights.tolist()  # 1 / indeg(target)
    [0.5, 1.0, 0.5]
    """

    keys: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    indptr: IntArray = attrs.field(
        converter=_to_int_array,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
        repr=False,
    )
    targets: IntArray = attrs.field(
        converter=_to_int_array,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
        repr=False,
    )
    weights: FloatArray = attrs.field(
        converter=_to_float_array,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
        repr=False,
    )
    _index: dict[str, int] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _degree: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _coins: UIntArray | None = attrs.field(init=False, repr=False, eq=False, hash=False)
    _uniform: float | None = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Check the keys and the CSR structure; index the keys."""
        check_unique_texts(self.keys, "keys", "stakeholder key")
        n = len(self.keys)
        _check_vector(self.indptr, "indptr", np.int64)
        _check_vector(self.targets, "targets", np.int64)
        _check_vector(self.weights, "weights", np.float64)
        indptr, targets, weights = self.indptr, self.targets, self.weights
        m = targets.size
        if indptr.size != n + 1:
            raise ValidationError(
                "indptr", indptr, f"{n + 1} offsets (one more than the {n} keys)"
            )
        if indptr[0] != 0 or indptr[-1] != m or bool((np.diff(indptr) < 0).any()):
            raise ValidationError(
                "indptr",
                indptr,
                f"non-decreasing offsets from 0 to the number of arcs ({m})",
            )
        if weights.size != m:
            raise ValidationError(
                "weights", weights, f"one weight per arc ({m}, as many as targets)"
            )
        bad_target = np.flatnonzero((targets < 0) | (targets >= n))
        if bad_target.size:
            arc = int(bad_target[0])
            raise ValidationError(
                f"targets[{arc}]",
                int(targets[arc]),
                f"a node index in [0, {n}) (arcs may not point to unknown nodes)",
            )
        bad_weight = np.flatnonzero(~((weights >= 0.0) & (weights <= 1.0)))
        if bad_weight.size:
            arc = int(bad_weight[0])
            source = int(np.searchsorted(indptr, arc, side="right")) - 1
            raise ValidationError(
                f"weights[{arc}] (arc {self.keys[source]!r} -> "
                f"{self.keys[int(targets[arc])]!r})",
                float(weights[arc]),
                "a probability in [0, 1]",
            )
        object.__setattr__(self, "_index", {key: i for i, key in enumerate(self.keys)})
        # What the IC engine needs, computed once: out-degrees, and either the
        # one probability of every arc or per-arc thresholds floor(p·2**53).
        object.__setattr__(self, "_degree", _read_only(np.diff(indptr)))
        uniform = m > 0 and bool((weights == weights[0]).all())
        object.__setattr__(self, "_uniform", float(weights[0]) if uniform else None)
        coins = None if uniform else np.floor(weights * _TWO_53).astype(np.uint64)
        object.__setattr__(self, "_coins", coins)

    # --- building ------------------------------------------------------------

    @classmethod
    def from_csr(
        cls,
        indptr: npt.ArrayLike,
        targets: npt.ArrayLike,
        weights: npt.ArrayLike,
        *,
        keys: Iterable[str] | None = None,
    ) -> DiffusionNetwork:
        """Build a network from CSR arrays; keys default to ``"0"``, ``"1"``, ...

        Parameters
        ----------
        indptr, targets, weights
            The arrays described in the class docstring.
        keys
            Node keys in node order; ``None`` names node ``i`` ``str(i)``.
        """
        if keys is None:
            size = np.asarray(indptr).size - 1
            keys = tuple(map(str, range(max(size, 0))))
        return cls(keys=tuple(keys), indptr=indptr, targets=targets, weights=weights)

    @classmethod
    def from_arcs(
        cls,
        keys: Iterable[str],
        arcs: Iterable[tuple[str, str, float]],
    ) -> DiffusionNetwork:
        """Build a network from ``(source, target, weight)`` arcs between keys.

        Arcs keep their given order within each source node.

        Raises
        ------
        UnknownKeyError
            If an arc names a key that is not in ``keys``.
        InvalidTypeError, ValidationError
            If an arc is not a triple, or a weight is not in [0, 1].
        """
        names = to_str_tuple(keys)
        check_unique_texts(names, "keys", "stakeholder key")
        index = {key: i for i, key in enumerate(names)}
        sources: list[int] = []
        targets: list[int] = []
        weights: list[float] = []
        for position, item in enumerate(arcs):
            arc: object = item
            if not isinstance(arc, (tuple, list)) or len(arc) != 3:
                raise InvalidTypeError(
                    f"arcs[{position}]", arc, "a (source, target, weight) triple"
                )
            source, target, weight = arc
            for end, value in (("source", source), ("target", target)):
                if value not in index:
                    raise UnknownKeyError(
                        f"stakeholder (in arcs[{position}] {end})",
                        value,
                        _key_hint(names),
                    )
            sources.append(index[source])
            targets.append(index[target])
            weights.append(
                check_finite(
                    _as_float(weight), f"arcs[{position}] weight", low=0.0, high=1.0
                )
            )
        source_array = np.array(sources, dtype=np.int64)
        order = np.argsort(source_array, kind="stable")
        indptr = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(np.bincount(source_array, minlength=len(names)), out=indptr[1:])
        return cls(
            keys=names,
            indptr=indptr,
            targets=np.array(targets, dtype=np.int64)[order],
            weights=np.array(weights, dtype=np.float64)[order],
        )

    @classmethod
    def from_graph(cls, graph: StakeholderGraph) -> DiffusionNetwork:
        """Build the network of a `StakeholderGraph`: its influence weights as arcs.

        Node order is the graph's stakeholder order; ``weights`` are the
        influence weights, used as IC probabilities or LT weights. Use
        `with_uniform_probability` or `with_weighted_cascade` for a preset.
        """
        from crisisops.stakeholders.graph import StakeholderGraph  # noqa: PLC0415

        if not isinstance(graph, StakeholderGraph):
            raise InvalidTypeError("graph", graph, "a StakeholderGraph")
        indptr, targets, weights = graph.out_arrays()
        return cls(keys=graph.keys, indptr=indptr, targets=targets, weights=weights)

    # --- reading -------------------------------------------------------------

    @property
    def node_count(self) -> int:
        """Number of nodes (stakeholders)."""
        return len(self.keys)

    @property
    def arc_count(self) -> int:
        """Number of arcs."""
        return int(self.targets.size)

    def index(self, key: str) -> int:
        """Return the node index of ``key``.

        Raises
        ------
        UnknownKeyError
            If no node has that key (with suggestions).
        InvalidTypeError
            If ``key`` is not a str (as `StakeholderGraph.index`).
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a stakeholder key (str)")
        try:
            return self._index[key]
        except KeyError:
            raise UnknownKeyError("stakeholder", key, _key_hint(self.keys)) from None

    def out_degree(self) -> IntArray:
        """Return the number of out-arcs of each node, in node order."""
        return self._degree

    def in_degree(self) -> IntArray:
        """Return the number of in-arcs of each node, in node order."""
        return _read_only(
            np.bincount(self.targets, minlength=self.node_count).astype(np.int64)
        )

    def in_weight_sums(self) -> FloatArray:
        """Sum of the weights of each node's in-arcs (``<= 1`` for LT)."""
        return _read_only(
            np.bincount(self.targets, weights=self.weights, minlength=self.node_count)
        )

    # --- presets -------------------------------------------------------------

    def with_uniform_probability(self, p: float) -> DiffusionNetwork:
        """Return the same arcs, each with probability ``p`` (KKT: 0.01 or 0.1)."""
        value = check_finite(_as_float(p), "p", low=0.0, high=1.0)
        return attrs.evolve(self, weights=np.full(self.arc_count, value))

    def with_weighted_cascade(self) -> DiffusionNetwork:
        """Return the same arcs with the weighted cascade ``p(u, v) = 1/indeg(v)``.

        Kempe, Kleinberg & Tardos (2003); Chen, Wang & Yang (2009). Every
        node's in-weights then sum to 1, so the result also suits the linear
        threshold model.
        """
        indegree = np.bincount(self.targets, minlength=self.node_count)
        weights = np.ones(self.arc_count)
        np.divide(weights, indegree[self.targets], out=weights)
        return attrs.evolve(self, weights=weights)

    def check_linear_threshold(self) -> None:
        """Check that every node's in-weights sum to at most 1.

        Raises
        ------
        ValidationError
            Naming the first node whose in-weights sum above
            ``1 + LT_WEIGHT_TOLERANCE``.
        """
        sums = np.bincount(
            self.targets, weights=self.weights, minlength=self.node_count
        )
        over = np.flatnonzero(sums > 1.0 + LT_WEIGHT_TOLERANCE)
        if over.size:
            node = int(over[0])
            raise ValidationError(
                f"in-weights of {self.keys[node]!r}",
                float(sums[node]),
                "a sum <= 1 for the linear threshold model (Σ_u b(u, v) <= 1); "
                "scale the weights down or use with_weighted_cascade()",
            )


def _as_float(value: object) -> object:
    if isinstance(value, (np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    return value


# --- interventions ----------------------------------------------------------------


def _check_step(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int step >= 1")
    if value < 1:
        raise ValidationError(
            name,
            value,
            "a step >= 1 (step 0 is when the seeds turn negative; our message "
            "can arrive before step 1 at the earliest)",
        )


def _to_int(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if isinstance(value, np.integer):
        return int(value)
    return value


def _to_effect(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Accept an effect's value such as ``"neutral"`` for the member."""
    if isinstance(value, str) and value in InterventionEffect._value2member_map_:
        return InterventionEffect(value)
    return value


def _check_effect(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if isinstance(value, str):
        raise UnknownKeyError(
            "intervention effect", value, [e.value for e in InterventionEffect]
        )
    is_enum(InterventionEffect)(_instance, attribute, value)


@attrs.frozen(kw_only=True)
class Intervention:
    """Our message reaches some stakeholders before step ``step`` of the spread.

    One entry of a communication plan (book §5 保持與內外部利益相關者的溝通:
    respond to concerns early, through the right channel). Step 0 is when the
    seeds turn negative; stakeholders reached "before step ``k``" act on the
    message from step ``k`` on, as its `InterventionEffect` says. A
    stakeholder named by several interventions takes the earliest step of each
    effect.

    Attributes
    ----------
    nodes
        Keys of the stakeholders the message reaches (unique, at least one).
    step
        The first step at which the message has effect (``>= 1``).
    effect
        What the message does: stop spreading (default) or turn neutral; the
        value (``"neutral"``) is accepted for the member.

    Examples
    --------
    >>> Intervention(  # doctest: +NORMALIZE_WHITESPACE
    ...     nodes=["media"], step=2, effect=InterventionEffect.NEUTRAL
    ... )
    Intervention(nodes=('media',), step=2,
                 effect=<InterventionEffect.NEUTRAL: 'neutral'>)
    """

    nodes: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_text(), min_length=1), is_unique("stakeholder")],
    )
    step: int = attrs.field(converter=_to_int, validator=_check_step)
    effect: InterventionEffect = attrs.field(
        default=InterventionEffect.STOP_SPREADING,
        converter=_to_effect,
        validator=_check_effect,
    )


# --- results ----------------------------------------------------------------------


def _check_reach(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    _check_vector(value, name, np.int64)
    assert isinstance(value, np.ndarray)  # noqa: S101  narrowing for mypy
    if value.size == 0:
        raise ValidationError(name, value, "at least one run")
    if bool((value < 0).any()):
        raise ValidationError(name, value, "reach counts >= 0")


def _check_step_counts(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    _check_vector(value, name, np.float64)
    assert isinstance(value, np.ndarray)  # noqa: S101  narrowing for mypy
    if value.size == 0:
        raise ValidationError(name, value, "at least step 0 (the seeds)")
    if not bool(np.isfinite(value).all()) or bool((value < 0).any()):
        raise ValidationError(name, value, "finite mean counts >= 0")


def _check_probabilities(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    _check_vector(value, name, np.float64)
    assert isinstance(value, np.ndarray)  # noqa: S101  narrowing for mypy
    if value.size and not (value.min() >= 0.0 and value.max() <= 1.0):  # NaN fails
        raise ValidationError(name, value, "probabilities in [0, 1]")


def _check_max_steps(value: object, field: str = "max_steps") -> int | None:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InvalidTypeError(field, value, "an int >= 0 or None (no limit)")
    if int(value) < 0:
        raise ValidationError(field, value, "a number of steps >= 0 or None")
    return int(value)


def _validate_max_steps(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    _check_max_steps(value, field_name(attribute))


@attrs.frozen(kw_only=True)
class SpreadResult:
    """Monte Carlo spread of negative opinion: reach, timing and who is exposed.

    Definitions (``R`` runs):

    * `reach` – per run, the number of stakeholders negative at the end,
      seeds included; `mean_reach` is the expected spread ``σ(S)`` of KKT,
      with its Monte Carlo `standard_error` ``sd/√R``.
    * `step_counts` – ``step_counts[t]`` is the mean number (over all runs)
      of stakeholders that turn negative at step ``t``; step 0 is the seeds.
      It has one entry per step up to the last step any run reached.
      Stakeholders that later turn neutral (`InterventionEffect.NEUTRAL`)
      were still activated, so ``step_counts.sum()`` can exceed `mean_reach`
      by exactly the mean number turned neutral.
    * `node_probability` – per node (in ``network.keys`` order), the share
      of runs in which it is negative at the end.

    The result keeps what was simulated (network, seeds, model,
    interventions, horizon), so it stands on its own as data.

    Attributes
    ----------
    model
        The diffusion model simulated.
    network
        The network simulated on (its ``keys`` give the node order).
    seeds
        Keys of the stakeholders negative at step 0.
    reach
        Number of negative stakeholders at the end of each run (int64).
    step_counts
        Mean new activations per step, from step 0 (float64).
    node_probability
        Probability that each node is negative at the end (float64).
    interventions
        The interventions simulated (empty: doing nothing).
    max_steps
        The horizon in steps, or ``None`` if runs went on until no one new
        turned negative.

    Examples
    --------
    The KOL always convinces the customers (weight 1), who pass it on to the
    media half of the time: every run reaches 2 or 3 stakeholders.

    >>> chain = DiffusionNetwork.from_arcs(
    ...     ["kol", "customers", "media"],
    ...     [("kol", "customers", 1.0), ("customers", "media", 0.5)],
    ... )
    >>> result: SpreadResult = simulate_spread(chain, ["kol"], runs=1_000, rng=7)
    >>> result.runs, sorted(set(result.reach.tolist()))
    (1000, [2, 3])
    >>> result.step_counts.tolist()  # the seed, the customers, the media in 46.8 %
    [1.0, 1.0, 0.468]
    >>> result.mean_reach, result.exceedance_probability(2)  # P(reach > 2)
    (2.468, 0.468)
    >>> result.most_exposed(2)
    (('customers', 1.0), ('media', 0.468))
    """

    model: DiffusionModel = attrs.field(validator=is_enum(DiffusionModel))
    network: DiffusionNetwork = attrs.field(
        validator=is_instance(DiffusionNetwork, "a DiffusionNetwork")
    )
    seeds: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_text(), min_length=1), is_unique("seed")],
    )
    reach: IntArray = attrs.field(
        converter=_to_int_array,
        validator=_check_reach,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )
    step_counts: FloatArray = attrs.field(
        converter=_to_float_array,
        validator=_check_step_counts,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )
    node_probability: FloatArray = attrs.field(
        converter=_to_float_array,
        validator=_check_probabilities,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
        repr=False,
    )
    interventions: tuple[Intervention, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Intervention, "an Intervention")),
    )
    max_steps: int | None = attrs.field(
        default=None, converter=_to_int, validator=_validate_max_steps
    )

    def __attrs_post_init__(self) -> None:
        """Check that seeds, interventions and the tallies fit together.

        The three tallies count the same activations, so (beyond their
        ranges) every run's reach is at most the number of nodes, step 0
        holds exactly the seeds, and the node probabilities add up to the
        mean reach. A document edited by hand cannot break that.
        """
        network = self.network
        if self.node_probability.size != network.node_count:
            raise ValidationError(
                "node_probability",
                self.node_probability,
                f"one probability per node ({network.node_count})",
            )
        _seed_indices(network, self.seeds)
        _plan_arrays(network, self.interventions)
        if int(self.reach.max()) > network.node_count:
            raise ValidationError(
                "reach",
                int(self.reach.max()),
                f"at most the number of nodes ({network.node_count})",
            )
        if float(self.step_counts[0]) != len(self.seeds):
            raise ValidationError(
                "step_counts[0]",
                float(self.step_counts[0]),
                f"the number of seeds ({len(self.seeds)}): step 0 is the seeds",
            )
        total = float(self.node_probability.sum())
        if not math.isclose(total, self.mean_reach, rel_tol=1e-9, abs_tol=1e-9):
            raise ValidationError(
                "node_probability",
                total,
                f"probabilities that add up to the mean reach ({self.mean_reach})",
            )

    @property
    def keys(self) -> tuple[str, ...]:
        """Node keys, in the order of `node_probability`."""
        return self.network.keys

    @property
    def runs(self) -> int:
        """Number of Monte Carlo runs."""
        return int(self.reach.size)

    @property
    def mean_reach(self) -> float:
        """Expected number of negative stakeholders at the end (seeds included)."""
        return float(self.reach.mean())

    @property
    def reach_sd(self) -> float:
        """Sample standard deviation of the reach (``ddof = 1``; 0 for one run)."""
        if self.reach.size < 2:
            return 0.0
        return float(self.reach.std(ddof=1))

    @property
    def standard_error(self) -> float:
        """Monte Carlo standard error of `mean_reach`: ``sd / √runs``."""
        return self.reach_sd / math.sqrt(self.reach.size)

    @property
    def steps(self) -> int:
        """The last step at which any run had a new negative stakeholder."""
        return int(self.step_counts.size) - 1

    @property
    def cumulative_counts(self) -> FloatArray:
        """Mean number activated by the end of each step: ``cumsum(step_counts)``."""
        return _read_only(np.cumsum(self.step_counts))

    def probability(self, key: str) -> float:
        """Return the probability that stakeholder ``key`` ends negative."""
        return float(self.node_probability[self.network.index(key)])

    def exceedance_probability(self, count: float) -> float:
        """Return ``P(reach > count)``: the share of runs with more than ``count``."""
        threshold = check_finite(_as_float(count), "count")
        return float(np.count_nonzero(self.reach > threshold)) / self.reach.size

    def reach_percentile(self, q: float) -> float:
        """Return the ``q``-th percentile of the reach, ``q`` in [0, 100].

        Linear interpolation between order statistics (numpy's default).
        """
        level = check_finite(_as_float(q), "q", low=0.0, high=100.0)
        return float(np.percentile(self.reach, level))

    def most_exposed(
        self, count: int = 5, *, include_seeds: bool = False
    ) -> tuple[tuple[str, float], ...]:
        """Return the ``count`` stakeholders most likely to end negative.

        Pairs of (key, probability), most likely first; ties keep node order.
        Seeds are left out unless ``include_seeds``: they are negative from
        the start, and the question is who hears it from them.

        Raises
        ------
        InvalidTypeError, ValidationError
            For a ``count`` that is not an int >= 0 (``bool`` is refused).
        """
        if isinstance(count, (bool, np.bool_)) or not isinstance(
            count, (int, np.integer)
        ):
            raise InvalidTypeError("count", count, "an int >= 0")
        count = int(count)
        if count < 0:
            raise ValidationError("count", count, "a number >= 0")
        probability = self.node_probability.copy()
        candidates = np.ones(probability.size, dtype=bool)
        if not include_seeds:
            candidates[[self.network.index(seed) for seed in self.seeds]] = False
        order = np.flatnonzero(candidates)
        order = order[np.argsort(-probability[order], kind="stable")][:count]
        return tuple((self.keys[i], float(probability[i])) for i in order)


def _check_same_setup(instance: SpreadComparison, _attribute: Any, plan: Any) -> None:  # noqa: ANN401
    baseline = instance.baseline
    if not isinstance(plan, SpreadResult):
        raise InvalidTypeError("plan", plan, "a SpreadResult")
    for name in ("model", "network", "seeds", "max_steps", "runs"):
        mine, theirs = getattr(plan, name), getattr(baseline, name)
        if mine is not theirs and mine != theirs:
            shown = "the baseline's" if name == "network" else f"{theirs!r}"
            raise ValidationError(
                f"plan.{name}",
                "another network" if name == "network" else mine,
                f"{shown} (the baseline's {name}): a paired comparison needs "
                "the same network, seeds, model, horizon and runs",
            )


@attrs.frozen(kw_only=True)
class SpreadComparison:
    """A plan against a baseline, simulated on common random numbers.

    Run ``i`` of the plan and run ``i`` of the baseline use the same coins
    (IC) or thresholds (LT), so their difference is paired: its standard
    error is ``sd(baseline.reach − plan.reach)/√R``, usually far smaller than
    the ``√(SE_b² + SE_p²)`` of two independent simulations (common random
    numbers, Law 2015 §11.2). With interventions that only silence or
    neutralise, no run of the plan reaches more than the same run of the
    baseline.

    Attributes
    ----------
    baseline
        The spread with no intervention (doing nothing).
    plan
        The spread with the plan's interventions.

    Examples
    --------
    Every arc fires (probability 1), so doing nothing reaches all three
    stakeholders; silencing the customers from step 1 spares the media in
    every run, with no Monte Carlo error:

    >>> chain = DiffusionNetwork.from_arcs(
    ...     ["kol", "customers", "media"],
    ...     [("kol", "customers", 1.0), ("customers", "media", 1.0)],
    ... )
    >>> silence = Intervention(nodes=["customers"], step=1)
    >>> comparison: SpreadComparison = compare_interventions(
    ...     chain, ["kol"], [silence], runs=100, rng=1
    ... )
    >>> comparison.baseline.mean_reach, comparison.plan.mean_reach
    (3.0, 2.0)
    >>> comparison.mean_reduction, comparison.reduction_standard_error
    (1.0, 0.0)
    >>> (
    ...     round(comparison.relative_reduction, 3),
    ...     comparison.probability_reduction.tolist(),
    ... )
    (0.333, [0.0, 0.0, 1.0])
    """

    baseline: SpreadResult = attrs.field(
        validator=is_instance(SpreadResult, "a SpreadResult")
    )
    plan: SpreadResult = attrs.field(validator=_check_same_setup)

    @property
    def reduction(self) -> IntArray:
        """Per run, how many fewer stakeholders end negative with the plan."""
        return _read_only(self.baseline.reach - self.plan.reach)

    @property
    def mean_reduction(self) -> float:
        """Expected reduction in reach: ``mean(baseline) − mean(plan)``."""
        return float(self.reduction.mean())

    @property
    def reduction_standard_error(self) -> float:
        """Paired Monte Carlo standard error of `mean_reduction`."""
        difference = self.reduction
        if difference.size < 2:
            return 0.0
        return float(difference.std(ddof=1)) / math.sqrt(difference.size)

    @property
    def unpaired_standard_error(self) -> float:
        """What the standard error would be without pairing (independent runs)."""
        return math.hypot(self.baseline.standard_error, self.plan.standard_error)

    @property
    def relative_reduction(self) -> float:
        """`mean_reduction` as a share of the baseline's mean reach."""
        return self.mean_reduction / self.baseline.mean_reach

    @property
    def probability_reduction(self) -> FloatArray:
        """Per node, how much less likely it is to end negative with the plan."""
        return _read_only(self.baseline.node_probability - self.plan.node_probability)


# --- checking the inputs of a simulation ------------------------------------------


def _check_runs(runs: object) -> int:
    if isinstance(runs, (bool, np.bool_)) or not isinstance(runs, (int, np.integer)):
        raise InvalidTypeError("runs", runs, "an int")
    number = int(runs)
    if not 1 <= number <= MAX_RUNS:
        raise ValidationError("runs", runs, f"a whole number from 1 to {MAX_RUNS:,}")
    return number


def _as_network(network: object) -> DiffusionNetwork:
    if isinstance(network, DiffusionNetwork):
        return network
    from crisisops.stakeholders.graph import StakeholderGraph  # noqa: PLC0415

    if isinstance(network, StakeholderGraph):
        return DiffusionNetwork.from_graph(network)
    raise InvalidTypeError(
        "network", network, "a DiffusionNetwork or a StakeholderGraph"
    )


def _seed_indices(
    network: DiffusionNetwork, seeds: object
) -> tuple[tuple[str, ...], IntArray]:
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise InvalidTypeError(
            "seeds", seeds, "a list or tuple of stakeholder keys, e.g. ['kol']"
        )
    names = tuple(seeds)
    if not names:
        raise ValidationError("seeds", names, "at least one seed stakeholder")
    indices: list[int] = []
    seen: set[str] = set()
    for position, key in enumerate(names):
        check_str(key, f"seeds[{position}]")
        if key in seen:
            raise DuplicateKeyError("seed stakeholder", key)
        seen.add(key)
        if key not in network._index:  # noqa: SLF001  same module
            raise UnknownKeyError(
                f"stakeholder (in seeds[{position}])", key, _key_hint(network.keys)
            )
        indices.append(network._index[key])  # noqa: SLF001  same module
    return names, np.sort(np.array(indices, dtype=np.int64))


class _Plan(NamedTuple):
    """Per-node steps from which a node is silent or immune (`_NEVER` if not).

    ``quiet`` maps each step at which some nodes fall silent to those nodes
    (the linear threshold model withdraws their weight at that step).
    """

    silent: IntArray | None = None
    immune: IntArray | None = None
    quiet: dict[int, IntArray] | None = None


def _plan_arrays(
    network: DiffusionNetwork, interventions: object
) -> tuple[tuple[Intervention, ...], _Plan]:
    if isinstance(interventions, (str, bytes, Intervention)) or not isinstance(
        interventions, Iterable
    ):
        raise InvalidTypeError(
            "interventions", interventions, "a list or tuple of Intervention"
        )
    items = tuple(interventions)
    if not items:
        return items, _Plan()
    n = network.node_count
    stop = np.full(n, _NEVER, dtype=np.int64)
    neutral = np.full(n, _NEVER, dtype=np.int64)
    for position, item in enumerate(items):  # a handful of plan entries
        if not isinstance(item, Intervention):
            raise InvalidTypeError(
                f"interventions[{position}]", item, "an Intervention"
            )
        nodes: list[int] = []
        for number, key in enumerate(item.nodes):
            if key not in network._index:  # noqa: SLF001  same module
                raise UnknownKeyError(
                    f"stakeholder (in interventions[{position}].nodes[{number}])",
                    key,
                    _key_hint(network.keys),
                )
            nodes.append(network._index[key])  # noqa: SLF001  same module
        target = stop if item.effect is InterventionEffect.STOP_SPREADING else neutral
        np.minimum.at(target, np.array(nodes, dtype=np.int64), item.step)
    silent = np.minimum(stop, neutral)
    immune = neutral if bool((neutral != _NEVER).any()) else None
    planned = np.flatnonzero(silent != _NEVER)
    quiet = {
        int(step): planned[silent[planned] == step]
        for step in _distinct(silent[planned]).tolist()  # the plan's few steps
    }
    return items, _Plan(silent, immune, quiet)


# --- the engine -------------------------------------------------------------------


def _splitmix(key: np.uint64 | UIntArray, counters: IntArray) -> UIntArray:
    """SplitMix64 output number ``counter`` of the stream ``key`` (64 bits).

    The state ``key + counter·golden`` goes through the SplitMix64 finaliser
    (Steele, Lea & Flood 2014), so distinct counters give independent-looking
    64-bit integers. ``key`` may be one stream or one per counter. Works in
    place on ``counters`` (a fresh array the caller gives up).
    """
    z = counters.view(np.uint64)
    z *= _GOLDEN
    z += key
    z ^= z >> _SHIFT_30
    z *= _MIX_1
    z ^= z >> _SHIFT_27
    z *= _MIX_2
    z ^= z >> _SHIFT_31
    return z


def _uniform53(key: np.uint64 | UIntArray, counters: IntArray) -> UIntArray:
    """Top 53 bits of `_splitmix`: uniform integers in ``[0, 2**53)``."""
    z = _splitmix(key, counters)
    z >>= _SHIFT_11
    return z


class _Arrays(NamedTuple):
    indptr: IntArray
    targets: IntArray
    weights: FloatArray
    coins: UIntArray | None
    uniform: float | None
    budgets: IntArray | None
    degree: IntArray
    n: int
    m: int


def _expand(
    arrays: _Arrays, nodes: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Out-arcs of ``nodes``: (owner index, arc index, arc ends, arc offsets).

    ``owner[j]`` is the position in ``nodes`` of the node arc ``j`` leaves;
    built with ``repeat``/``cumsum``, no loop over nodes.
    """
    degree = arrays.degree[nodes]
    ends: IntArray = degree.cumsum()
    total = int(ends[-1]) if ends.size else 0
    offset = arrays.indptr[nodes] - (ends - degree)
    owner = np.arange(nodes.size, dtype=np.int64).repeat(degree)
    arcs = np.arange(total, dtype=np.int64)
    arcs += offset[owner]
    return owner, arcs, ends, offset


_EMPTY = _read_only(np.zeros(0, dtype=np.int64))


def _blocks(sizes: IntArray) -> list[tuple[int, int]]:
    """Split consecutive items into blocks of about ``_BLOCK_ARCS`` work each.

    ``sizes`` is the work of each item (arcs or draws); an item larger than
    a block forms a block of its own. Blocks keep the temporaries in cache.
    """
    ends: IntArray = sizes.cumsum()
    total = int(ends[-1]) if ends.size else 0
    if total <= _BLOCK_ARCS:
        return [(0, int(sizes.size))]
    cuts = ends.searchsorted(np.arange(_BLOCK_ARCS, total, _BLOCK_ARCS))
    bounds = _distinct(np.concatenate(([0], cuts, [sizes.size]))).tolist()
    return list(itertools.pairwise(bounds))


def _joined(parts: list[IntArray]) -> IntArray:
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else _EMPTY


def _live_arcs(
    arrays: _Arrays, runs: IntArray, nodes: IntArray, key: np.uint64
) -> tuple[IntArray, IntArray]:
    """Return the out-arcs of (run, node) pairs that fire in the independent cascade.

    Returns the global run and the arc index of every arc that fires. Each
    arc's coin is fixed per (run, arc) by the stream ``key``; only the arcs
    leaving the given pairs are looked at. With one probability ``p`` on
    every arc, 0 and 1 need no coins and ``0 < p < 1`` uses geometric skips
    (`_skip_block`); otherwise each arc gets its own 53-bit uniform, and
    fires when it is below ``floor(p·2**53)`` (`_coin_block`).
    """
    p = arrays.uniform
    if p == 0.0 or nodes.size == 0:
        return _EMPTY, _EMPTY
    degree = arrays.degree[nodes]
    busy = degree.nonzero()[0]
    if busy.size == 0:
        return _EMPTY, _EMPTY
    runs, nodes, degree = runs[busy], nodes[busy], degree[busy]
    work = degree if arrays.budgets is None else arrays.budgets[degree]
    fired_runs: list[IntArray] = []
    fired_arcs: list[IntArray] = []
    for low, high in _blocks(work):  # cache-sized blocks of work
        if p is None:
            found = _coin_block(arrays, runs[low:high], nodes[low:high], key)
        elif p == 1.0:
            owner, arcs, _, _ = _expand(arrays, nodes[low:high])
            found = runs[low:high][owner], arcs
        else:
            pairs = _Pairs(runs[low:high], nodes[low:high], degree[low:high])
            found = _skip_block(arrays, pairs, key, p, work[low:high])
        fired_runs.append(found[0])
        fired_arcs.append(found[1])
    return _joined(fired_runs), _joined(fired_arcs)


def _coin_block(
    arrays: _Arrays, runs: IntArray, nodes: IntArray, key: np.uint64
) -> tuple[IntArray, IntArray]:
    """One 53-bit uniform per out-arc of each pair: counter ``run·m + arc``."""
    assert arrays.coins is not None  # noqa: S101  per-arc probabilities
    degree = arrays.degree[nodes]
    ends: IntArray = degree.cumsum()
    offset = arrays.indptr[nodes] - (ends - degree)
    arcs = offset.repeat(degree)
    arcs += np.arange(int(ends[-1]), dtype=np.int64)
    counters = (runs * arrays.m).repeat(degree)
    counters += arcs
    live = (_uniform53(key, counters) < arrays.coins[arcs]).nonzero()[0]
    owner = ends.searchsorted(live, side="right")
    return runs[owner], arcs[live]


def _skip_budget(degree: IntArray, p: float) -> IntArray:
    """Return how many draws to make at once per pair: mean + 2 sd + 1, <= d + 1.

    The mean and sd are those of the number of live arcs, ``Binomial(d, p)``;
    the last draw has to pass the last arc, hence the + 1. A pair needs a
    second round only when its live arcs exceed mean + 2 sd (a few percent
    of pairs at most).
    """
    mean = degree * p
    spread = np.sqrt(mean * (1.0 - p))
    budget: IntArray = np.ceil(mean + 2.0 * spread).astype(np.int64) + 1
    np.minimum(budget, degree + 1, out=budget)
    return budget


class _Pairs(NamedTuple):
    """(run, node) pairs of a frontier block, with the nodes' out-degrees."""

    runs: IntArray
    nodes: IntArray
    degree: IntArray


def _skip_block(
    arrays: _Arrays, pairs: _Pairs, key: np.uint64, p: float, budget: IntArray
) -> tuple[IntArray, IntArray]:
    """Live out-arcs of each pair by geometric skips, for one probability ``p``.

    With every arc live independently with probability ``p``, the number of
    arcs skipped before the next live one is geometric,
    ``floor(log U / log(1 − p))`` (Devroye 1986, §X.2), so the cost follows
    the live arcs, not all arcs. The ``j``-th draw of pair (run, node) is
    output number ``run·(m + n) + indptr[node] + node + j`` of the stream
    (a node makes at most ``outdeg + 1`` draws), so the live arcs are a fixed
    function of the run, as in the live-edge model. A first round draws a
    ``budget`` (from `_skip_budget`); the rare pairs that used it all draw
    once more, enough to finish.
    """
    runs, nodes, degree = pairs
    base = runs * (arrays.m + arrays.n)
    base += arrays.indptr[nodes]
    base += nodes
    log_q = math.log1p(-p)
    owner, offsets, last = _skip_round(key, base, degree, budget, log_q)
    more = (last < degree).nonzero()[0]
    if more.size:
        start = last[more] + 1
        drawn = budget[more]
        extra = degree[more] - start + 1  # enough draws to pass the last arc
        late_owner, late_offsets, _ = _skip_round(
            key, base[more] + drawn, degree[more] - start, extra, log_q
        )
        owner = np.concatenate((owner, more[late_owner]))
        offsets = np.concatenate((offsets, late_offsets + start[late_owner]))
    return runs[owner], arrays.indptr[nodes[owner]] + offsets


def _skip_round(
    key: np.uint64,
    base: IntArray,
    degree: IntArray,
    budget: IntArray,
    log_q: float,
) -> tuple[IntArray, IntArray, IntArray]:
    """Draw ``budget`` geometric gaps per pair; return live (pair, offset) and last.

    Pair ``i`` uses counters ``base[i] + j`` for ``j < budget[i]``; offsets
    are positions among its ``degree[i]`` out-arcs (live when below it);
    ``last`` is the offset reached by each pair's final draw.
    """
    ends: IntArray = budget.cumsum()
    begins = ends - budget
    counters = (base - begins).repeat(budget)
    counters += np.arange(int(ends[-1]), dtype=np.int64)
    gaps = _uniform53(key, counters).astype(np.float64)
    gaps += 1.0  # 2**53·U with U in (0, 1]; np.log is much faster than log1p
    np.log(gaps, out=gaps)
    gaps -= _LOG_TWO_53
    gaps *= 1.0 / log_q  # >= 0, so truncation below is the floor
    if _LOG_TWO_53 / -log_q * gaps.size > _SAFE_TOTAL:  # only for tiny p
        np.minimum(gaps, float(int(degree.max()) + 1), out=gaps)
    steps = gaps.astype(np.int64)
    steps += 1
    offsets: IntArray = steps.cumsum()
    offsets -= (offsets[begins] - steps[begins] + 1).repeat(budget)
    live = (offsets < degree.repeat(budget)).nonzero()[0]
    owner = ends.searchsorted(live, side="right")
    return owner, offsets[live], offsets[ends - 1]


def _distinct(codes: IntArray) -> IntArray:
    """Sorted distinct values (sort and compare neighbours).

    Much faster than ``np.unique`` on int64 codes, which in numpy 2.3+ goes
    through a hash table first.
    """
    ordered: IntArray = codes.copy()
    ordered.sort()
    if ordered.size < 2:
        return ordered
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _sum_by_code(codes: IntArray, amounts: FloatArray) -> tuple[IntArray, FloatArray]:
    """Distinct ``codes`` (sorted) and the sum of ``amounts`` for each."""
    if codes.size == 0:
        return codes, amounts
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = first.nonzero()[0]
    sums = np.add.reduceat(amounts[order], starts)
    return ordered[starts], sums


def _merged(
    ordered: npt.NDArray[Any], position: IntArray, items: npt.NDArray[Any]
) -> npt.NDArray[Any]:
    """Insert sorted ``items`` before ``position`` of ``ordered`` (``np.insert``).

    The same result as ``np.insert(ordered, position, items)`` for sorted
    positions, without its argument handling (it runs once per step).
    """
    out = np.empty(ordered.size + items.size, dtype=ordered.dtype)
    slots = position + np.arange(items.size)
    old = np.ones(out.size, dtype=bool)
    old[slots] = False
    out[slots] = items
    out[old] = ordered
    return out


class _DenseSeen:
    """Who is negative in a batch: a boolean matrix of (run, node) codes."""

    def __init__(self, pairs: int) -> None:
        self.flags = np.zeros(pairs, dtype=bool)

    def start(self, codes: IntArray) -> IntArray:
        """Mark the seeds' codes (sorted, distinct) and return them."""
        self.flags[codes] = True
        return codes

    def add(self, codes: IntArray) -> IntArray:
        """Mark new codes; return them sorted, without repeats or known ones."""
        codes = _distinct(codes)
        codes = codes[~self.flags[codes]]
        self.flags[codes] = True
        return codes

    def contains(self, codes: IntArray) -> npt.NDArray[np.bool_]:
        return self.flags[codes]

    def forget_finished(self, frontier: IntArray) -> None:
        """Nothing to do: lookups in the matrix cost the same for any size."""

    def clear(self, codes: IntArray) -> None:
        self.flags[codes] = False


class _SparseSeen:
    """Who is negative in a batch: sorted (run, node) codes, then a bitmap.

    Memory and work follow the cascade, not the graph: while a batch has
    reached few (run, node) pairs they are kept as a sorted array. Adding
    to it costs a copy, so (1) the codes of runs whose cascade has ended
    are dropped whenever the runs still going fall to half of those held,
    and (2) once more than ``_BITMAP_FROM`` codes are held the batch
    switches to a bitmap of ``batch · n`` bits (allocated once per
    simulation, cleared entry by entry), where lookups cost the same at any
    size. Small cascades never pay for the bitmap's memory.
    """

    def __init__(self, n: int, pairs: int) -> None:
        self.n = n
        self.pairs = pairs
        self.codes: IntArray = np.zeros(0, dtype=np.int64)
        self.runs_held = 0
        self.bits: npt.NDArray[np.uint8] | None = None
        self.use_bits = False

    def _find(self, codes: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        position = self.codes.searchsorted(codes)
        if self.codes.size == 0:
            return position, np.zeros(codes.size, dtype=bool)
        hit = self.codes[np.minimum(position, self.codes.size - 1)] == codes
        return position, hit

    def start(self, codes: IntArray) -> IntArray:
        """Hold the seeds' codes (sorted, distinct) and return them."""
        self.codes = codes
        self.runs_held = codes.size  # an upper bound on the runs
        return codes

    def add(self, codes: IntArray) -> IntArray:
        """Mark new codes; return them sorted, without repeats or known ones."""
        codes = _distinct(codes)
        if self.use_bits:
            return self._add_bits(codes)
        position, hit = self._find(codes)
        new = ~hit
        codes = codes[new]
        if codes.size:
            self.codes = _merged(self.codes, position[new], codes)
        if self.codes.size > _BITMAP_FROM:
            if self.bits is None:
                self.bits = np.zeros((self.pairs + 7) // 8, dtype=np.uint8)
            self.use_bits = True
            self._add_bits(self.codes)
        return codes

    def _add_bits(self, codes: IntArray) -> IntArray:
        bits = self.bits
        assert bits is not None  # noqa: S101  set when switching
        byte = codes >> 3
        mask = np.left_shift(np.uint8(1), (codes & 7).astype(np.uint8))
        new = ((bits[byte] & mask) == 0).nonzero()[0]
        codes, byte, mask = codes[new], byte[new], mask[new]
        if codes.size:  # codes are sorted: OR together the bits of one byte
            first = np.empty(byte.size, dtype=bool)
            first[0] = True
            np.not_equal(byte[1:], byte[:-1], out=first[1:])
            starts = first.nonzero()[0]
            bits[byte[starts]] |= np.bitwise_or.reduceat(mask, starts)
        return codes

    def contains(self, codes: IntArray) -> npt.NDArray[np.bool_]:
        if self.use_bits:
            assert self.bits is not None  # noqa: S101  set when switching
            mask = np.left_shift(np.uint8(1), (codes & 7).astype(np.uint8))
            found: npt.NDArray[np.bool_] = (self.bits[codes >> 3] & mask) != 0
            return found
        return self._find(codes)[1]

    def forget_finished(self, frontier: IntArray) -> None:
        """Drop the codes of runs that have no frontier any more."""
        if self.use_bits or self.codes.size < _FORGET_FROM:
            return
        running = _distinct(frontier // self.n)
        if 2 * running.size > self.runs_held:
            return
        held_runs = self.codes // self.n
        place = np.minimum(running.searchsorted(held_runs), running.size - 1)
        keep = running[place] == held_runs if running.size else held_runs < 0
        self.codes = self.codes[keep]
        self.runs_held = running.size

    def clear(self, codes: IntArray) -> None:
        if self.use_bits:
            assert self.bits is not None  # noqa: S101  set when switching
            self.bits[codes >> 3] = 0
        self.codes = np.zeros(0, dtype=np.int64)
        self.runs_held = 0
        self.use_bits = False


class _DenseWeights:
    """LT: summed weight of negative in-neighbours per (run, node) code."""

    def __init__(self, pairs: int) -> None:
        self.values = np.zeros(pairs)
        self.touched: list[IntArray] = []

    def add(self, codes: IntArray, amounts: FloatArray) -> FloatArray:
        """Add ``amounts`` to unique ``codes``; return their new totals."""
        self.values[codes] += amounts
        self.touched.append(codes)
        return self.values[codes]

    def subtract(self, codes: IntArray, amounts: FloatArray) -> None:
        self.values[codes] -= amounts
        self.touched.append(codes)

    def clear(self) -> None:
        if self.touched:
            self.values[np.concatenate(self.touched)] = 0.0
        self.touched = []


class _SparseWeights:
    """LT: summed in-weights as sorted codes with their values."""

    def __init__(self) -> None:
        self.codes: IntArray = np.zeros(0, dtype=np.int64)
        self.values: FloatArray = np.zeros(0)

    def _find(self, codes: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        position = self.codes.searchsorted(codes)
        if self.codes.size == 0:
            return position, np.zeros(codes.size, dtype=bool)
        hit = self.codes[np.minimum(position, self.codes.size - 1)] == codes
        return position, hit

    def add(self, codes: IntArray, amounts: FloatArray) -> FloatArray:
        position, hit = self._find(codes)
        totals: FloatArray = amounts.copy()
        self.values[position[hit]] += amounts[hit]
        totals[hit] = self.values[position[hit]]
        new = ~hit
        if new.any():
            self.codes = _merged(self.codes, position[new], codes[new])
            self.values = _merged(self.values, position[new], amounts[new])
        return totals

    def subtract(self, codes: IntArray, amounts: FloatArray) -> None:
        position, hit = self._find(codes)
        self.values[position[hit]] -= amounts[hit]

    def clear(self) -> None:
        self.codes = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0)


class _Batch(NamedTuple):
    first_run: int
    size: int
    seeds: IntArray
    max_steps: int | None
    plan: _Plan


def _seed_codes(arrays: _Arrays, batch: _Batch) -> IntArray:
    """Codes of the seeds in every run of the batch: sorted and distinct."""
    local = np.arange(batch.size, dtype=np.int64) * arrays.n
    return (local[:, None] + batch.seeds[None, :]).ravel()


def _ic_batch(
    arrays: _Arrays,
    batch: _Batch,
    key: np.uint64,
    seen: _DenseSeen | _SparseSeen,
) -> list[IntArray]:
    """One batch of independent-cascade runs; new local codes per step."""
    n = arrays.n
    frontier = seen.start(_seed_codes(arrays, batch))
    found = [frontier]
    silent, immune, _ = batch.plan
    step = 0
    while frontier.size and (batch.max_steps is None or step < batch.max_steps):
        step += 1
        runs, nodes = np.divmod(frontier, n)
        if silent is not None:
            speaking = silent[nodes] > step
            runs, nodes = runs[speaking], nodes[speaking]
        fired_runs, fired_arcs = _live_arcs(arrays, runs + batch.first_run, nodes, key)
        reached = arrays.targets[fired_arcs]
        if immune is not None:
            open_minded = immune[reached] > step
            fired_runs, reached = fired_runs[open_minded], reached[open_minded]
        codes = (fired_runs - batch.first_run) * n + reached
        frontier = seen.add(codes)
        if frontier.size:
            found.append(frontier)
            seen.forget_finished(frontier)
    seen.clear(np.concatenate(found))
    return found


def _thresholds(key: np.uint64, runs: IntArray, nodes: IntArray, n: int) -> FloatArray:
    """LT thresholds ``θ ~ U(0, 1]`` of (global run, node) pairs."""
    draws = _uniform53(key, runs * n + nodes)
    theta: FloatArray = (draws + np.uint64(1)).astype(np.float64) / _TWO_53
    return theta


class _LTState(NamedTuple):
    seen: _DenseSeen | _SparseSeen
    weights: _DenseWeights | _SparseWeights


def _lt_silence(
    arrays: _Arrays, batch: _Batch, step: int, frontier: IntArray, state: _LTState
) -> None:
    """Withdraw the weight of negative nodes that fall silent at ``step``.

    Nodes activated at ``step − 1`` (the frontier) have not added their
    weight yet and are simply skipped later; older ones subtract it from
    their still-positive out-neighbours.
    """
    quiet = batch.plan.quiet
    assert quiet is not None  # noqa: S101  only called with a plan
    quieted = quiet.get(step)
    if quieted is None:
        return
    n = arrays.n
    seen, weights = state
    local = np.arange(batch.size, dtype=np.int64) * n
    codes = (local[:, None] + quieted[None, :]).ravel()
    codes = codes[seen.contains(codes)]
    if frontier.size:
        position = np.minimum(frontier.searchsorted(codes), frontier.size - 1)
        codes = codes[frontier[position] != codes]
    if codes.size == 0:
        return
    runs, nodes = np.divmod(codes, n)
    owner, arcs, _, _ = _expand(arrays, nodes)
    targets = runs[owner] * n + arrays.targets[arcs]
    keep = ~seen.contains(targets)
    unique, amounts = _sum_by_code(targets[keep], arrays.weights[arcs[keep]])
    weights.subtract(unique, amounts)


def _lt_batch(
    arrays: _Arrays,
    batch: _Batch,
    key: np.uint64,
    seen: _DenseSeen | _SparseSeen,
    weights: _DenseWeights | _SparseWeights,
) -> list[IntArray]:
    """One batch of linear-threshold runs; new local codes per step."""
    n = arrays.n
    frontier = seen.start(_seed_codes(arrays, batch))
    found = [frontier]
    silent, immune, _ = batch.plan
    step = 0
    while frontier.size and (batch.max_steps is None or step < batch.max_steps):
        step += 1
        if silent is not None:
            _lt_silence(arrays, batch, step, frontier, _LTState(seen, weights))
        runs, nodes = np.divmod(frontier, n)
        if silent is not None:
            speaking = silent[nodes] > step
            runs, nodes = runs[speaking], nodes[speaking]
        owner, arcs, _, _ = _expand(arrays, nodes)
        reached = arrays.targets[arcs]
        codes = runs[owner] * n + reached
        keep = ~seen.contains(codes)
        if immune is not None:
            keep &= immune[reached] > step
        unique, amounts = _sum_by_code(codes[keep], arrays.weights[arcs[keep]])
        totals = weights.add(unique, amounts)
        local_runs, targets = np.divmod(unique, n)
        theta = _thresholds(key, local_runs + batch.first_run, targets, n)
        frontier = seen.add(unique[totals >= theta])
        if frontier.size:
            found.append(frontier)
            seen.forget_finished(frontier)
    seen.clear(np.concatenate(found))
    weights.clear()
    return found


class _Tally(NamedTuple):
    reach: IntArray
    step_counts: FloatArray
    node_probability: FloatArray


def _spread(  # noqa: PLR0913  the engine's full setting, all keyword
    arrays: _Arrays,
    seeds: IntArray,
    *,
    model: DiffusionModel,
    runs: int,
    keys: tuple[np.uint64, np.uint64],
    plan: _Plan,
    max_steps: int | None,
    batch_size: int | None = None,
    dense: bool | None = None,
) -> _Tally:
    """Simulate ``runs`` runs on CSR arrays; the heart of `simulate_spread`.

    Results depend only on the arrays, seeds, plan, horizon, run count and
    the two stream keys, never on ``batch_size`` or ``dense`` (which only
    trade memory for speed): every coin and threshold is a function of
    (key, run, arc or node).
    """
    n = arrays.n
    size = batch_size or min(runs, max(_MIN_BATCH, _DENSE_PAIRS // n))
    use_dense = size * n <= _DENSE_PAIRS if dense is None else dense
    seen: _DenseSeen | _SparseSeen = (
        _DenseSeen(size * n) if use_dense else _SparseSeen(n, size * n)
    )
    weights: _DenseWeights | _SparseWeights | None = None
    if model is DiffusionModel.LINEAR_THRESHOLD:
        weights = _DenseWeights(size * n) if use_dense else _SparseWeights()
    horizon = _NEVER - 1 if max_steps is None else max_steps
    reach = np.zeros(runs, dtype=np.int64)
    node_counts: IntArray | None = None
    step_sums: list[int] = []
    for first in range(0, runs, size):  # batches of runs, not single runs
        batch = _Batch(first, min(size, runs - first), seeds, max_steps, plan)
        if weights is None:
            found = _ic_batch(arrays, batch, keys[0], seen)
        else:
            found = _lt_batch(arrays, batch, keys[1], seen, weights)
        step_sums.extend([0] * (len(found) - len(step_sums)))
        for step, codes in enumerate(found):  # one entry per step
            step_sums[step] += codes.size
        local_runs, nodes = np.divmod(np.concatenate(found), n)
        if plan.immune is not None:
            negative = plan.immune[nodes] > horizon
            local_runs, nodes = local_runs[negative], nodes[negative]
        reach[first : first + batch.size] = np.bincount(
            local_runs, minlength=batch.size
        )
        counts = np.bincount(nodes, minlength=n)
        node_counts = counts if node_counts is None else node_counts + counts
    assert node_counts is not None  # noqa: S101  runs >= 1: one batch at least
    return _Tally(
        reach=_read_only(reach),
        step_counts=_read_only(np.array(step_sums, dtype=np.float64) / runs),
        node_probability=_read_only(node_counts / runs),
    )


def _arrays(network: DiffusionNetwork) -> _Arrays:
    degree = network._degree  # noqa: SLF001  same module
    p = network._uniform  # noqa: SLF001  same module
    budgets = None
    if p is not None and 0.0 < p < 1.0:  # skip budgets, by out-degree
        top = int(degree.max()) if degree.size else 0
        budgets = _skip_budget(np.arange(top + 1, dtype=np.int64), p)
    return _Arrays(
        indptr=network.indptr,
        targets=network.targets,
        weights=network.weights,
        coins=network._coins,  # noqa: SLF001  same module
        uniform=p,
        budgets=budgets,
        degree=degree,
        n=network.node_count,
        m=network.arc_count,
    )


def _check_model(model: object) -> DiffusionModel:
    """Accept a `DiffusionModel` or its value, e.g. ``"linear_threshold"``."""
    if isinstance(model, DiffusionModel):
        return model
    if isinstance(model, str):
        try:
            return DiffusionModel(model)
        except ValueError:
            raise UnknownKeyError(
                "diffusion model", model, [m.value for m in DiffusionModel]
            ) from None
    names = ", ".join(member.name for member in DiffusionModel)
    raise InvalidTypeError("model", model, f"a DiffusionModel ({names}) or its value")


def _stream_keys(rng: np.random.Generator) -> tuple[np.uint64, np.uint64]:
    """Draw the keys of the coin and threshold streams: two raw 64-bit words."""
    drawn = rng.bit_generator.random_raw(2)
    return np.uint64(drawn[0]), np.uint64(drawn[1])


class _Setup(NamedTuple):
    network: DiffusionNetwork
    arrays: _Arrays
    seed_keys: tuple[str, ...]
    seeds: IntArray
    model: DiffusionModel
    runs: int
    max_steps: int | None
    generator: np.random.Generator


def _setup(  # noqa: PLR0913  the public arguments, checked in one place
    network: object,
    seeds: object,
    *,
    rng: object,
    runs: object,
    model: object,
    max_steps: object,
) -> _Setup:
    generator = resolve_rng(rng)  # type: ignore[arg-type]  # checks the type
    net = _as_network(network)
    seed_keys, seed_index = _seed_indices(net, seeds)
    chosen = _check_model(model)
    if chosen is DiffusionModel.LINEAR_THRESHOLD:
        net.check_linear_threshold()
    return _Setup(
        network=net,
        arrays=_arrays(net),
        seed_keys=seed_keys,
        seeds=seed_index,
        model=chosen,
        runs=_check_runs(runs),
        max_steps=_check_max_steps(max_steps),
        generator=generator,
    )


def _result(
    setup: _Setup, tally: _Tally, interventions: tuple[Intervention, ...]
) -> SpreadResult:
    return SpreadResult(
        model=setup.model,
        network=setup.network,
        seeds=setup.seed_keys,
        reach=tally.reach,
        step_counts=tally.step_counts,
        node_probability=tally.node_probability,
        interventions=interventions,
        max_steps=setup.max_steps,
    )


# --- public entry points ----------------------------------------------------------


def simulate_spread(  # noqa: PLR0913  keyword-only settings with defaults
    network: DiffusionNetwork | StakeholderGraph,
    seeds: Iterable[str],
    *,
    rng: SeedLike,
    runs: int = DEFAULT_RUNS,
    model: DiffusionModel | str = DiffusionModel.INDEPENDENT_CASCADE,
    interventions: Iterable[Intervention] = (),
    max_steps: int | None = None,
) -> SpreadResult:
    """Simulate the spread of negative opinion from ``seeds``, many times over.

    Parameters
    ----------
    network
        A `DiffusionNetwork`, or a `StakeholderGraph` (its influence weights
        are the arc probabilities / weights).
    seeds
        Keys of the stakeholders negative at step 0 (at least one, unique).
    rng
        An int seed or a `numpy.random.Generator` (two numbers are drawn
        from it: the keys of the coin and threshold streams).
    runs
        Number of Monte Carlo runs, 1 to `MAX_RUNS`.
    model
        `DiffusionModel.INDEPENDENT_CASCADE` (default) or
        `DiffusionModel.LINEAR_THRESHOLD` (in-weights must sum to <= 1), or
        the value of either (``"linear_threshold"``).
    interventions
        Our messages: who they reach, from which step, with which effect.
    max_steps
        Stop after this many steps (e.g. the hours before the first update),
        or ``None`` to run until no one new turns negative.

    Returns
    -------
    SpreadResult
        Reach per run, mean new activations per step, probability per node.

    Raises
    ------
    UnknownKeyError
        If a seed or an intervention's stakeholder is not in the network.
    ValidationError
        For no seeds, repeated seeds (`DuplicateKeyError`), a bad run count
        or horizon, or LT in-weights above 1 (naming the node).
    InvalidTypeError
        For arguments of the wrong type, including ``rng=None``.
    """
    setup = _setup(network, seeds, rng=rng, runs=runs, model=model, max_steps=max_steps)
    items, plan = _plan_arrays(setup.network, interventions)
    keys = _stream_keys(setup.generator)
    tally = _spread(
        setup.arrays,
        setup.seeds,
        model=setup.model,
        runs=setup.runs,
        keys=keys,
        plan=plan,
        max_steps=setup.max_steps,
    )
    return _result(setup, tally, items)


def compare_interventions(  # noqa: PLR0913  keyword-only settings with defaults
    network: DiffusionNetwork | StakeholderGraph,
    seeds: Iterable[str],
    interventions: Iterable[Intervention],
    *,
    rng: SeedLike,
    runs: int = DEFAULT_RUNS,
    model: DiffusionModel | str = DiffusionModel.INDEPENDENT_CASCADE,
    max_steps: int | None = None,
) -> SpreadComparison:
    """Compare a plan's interventions with doing nothing, on common random numbers.

    Both simulations use the same stream keys, so run ``i`` of each sees the
    same coins (IC) or thresholds (LT); the baseline equals
    ``simulate_spread(..., rng=seed)`` with the same seed. Arguments as in
    `simulate_spread`; ``interventions`` must not be empty.

    Returns
    -------
    SpreadComparison
        The baseline, the plan, and their paired difference.
    """
    setup = _setup(network, seeds, rng=rng, runs=runs, model=model, max_steps=max_steps)
    items, plan = _plan_arrays(setup.network, interventions)
    if not items:
        raise ValidationError(
            "interventions", items, "at least one Intervention (the plan to compare)"
        )
    keys = _stream_keys(setup.generator)
    baseline, planned = (
        _spread(
            setup.arrays,
            setup.seeds,
            model=setup.model,
            runs=setup.runs,
            keys=keys,
            plan=chosen,
            max_steps=setup.max_steps,
        )
        for chosen in (_Plan(), plan)
    )
    return SpreadComparison(
        baseline=_result(setup, baseline, ()),
        plan=_result(setup, planned, items),
    )
