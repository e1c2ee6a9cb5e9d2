"""Monte Carlo what-ifs: one scenario, many runs, alternatives compared fairly.

Book §3 asks what a risk would cost and book §4 how well we would answer it
(應急預案, 模擬演練); a single drill answers once, for one draw of luck. A
what-if runs the scenario many times with its uncertain parameters drawn
from distributions of `crisisops.risk` (how long the supplier is down, how
deep the slump, how slowly the team declares), and runs every
`Alternative` — a second supplier, thresholds A vs B, a faster response —
on the *same* draws and the same seeds: common random numbers (Law 2015
§11.2). Run ``i`` of every alternative sees the same outage length and the
same customers, so the paired difference of two alternatives shows the
effect of the choice, not of the luck, and a handful of runs suffice.

Per run and alternative the what-if records (all "lower is better"):

* ``loss`` – GMV lost to the shocks and to stock-outs
  (`DrillReport.estimated_loss`: demand lost to the shocked drivers plus
  every order lost to a stock-out, ordinary ones included, CNY);
* ``detection_lag_days`` – mean detection lag over the shocks detected (NaN
  if none was, or without a drill);
* ``missed`` – shocks no crisis of their family detected;
* ``recovery_days`` – time to resolve: from the first shock's onset to the
  resolution of the last crisis matching a shock (NaN if none did);
* ``crises`` and ``false_crises`` – crises declared, and those matching no
  shock.

`WhatIfReport` summarises each metric per alternative (count of runs with a
value, mean, p10, p50, p90; NaN-aware, numpy's linear percentiles) and each
pair of alternatives by the paired difference ``alternative − base`` over
the runs where both have a value, with the share of runs where either wins.

Examples
--------
>>> import datetime as dt
>>> from crisisops.risk import Uniform
>>> from crisisops.scenarios import DemandShift, ShopProfile
>>> from crisisops.scenarios.whatif import Alternative, Uncertain
>>> from crisisops.scenarios.whatif import compare_alternatives
>>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> profile = ShopProfile.default(start, skus=10, days=100)
>>> slump = DemandShift(
...     key="slump",
...     onset=start + dt.timedelta(days=70),
...     end=start + dt.timedelta(days=80),
...     traffic_factor=0.4,
... )
>>> depth = Uncertain(
...     key="depth",
...     target="slump",
...     field="traffic_factor",
...     distribution=Uniform(low=0.3, high=0.5),
... )
>>> report = compare_alternatives(
...     profile,
...     [slump],
...     [Alternative(key="base"), Alternative(key="same")],
...     parameters=[depth],
...     runs=3,
...     seed=1,
...     drill=False,
... )
>>> report.difference("base", "same", "loss").mean  # same draws, same seeds
0.0
>>> report.summary("base", "loss").count
3

A `WhatIfReport` keeps one row per run for every metric of `WHATIF_METRICS`;
`summary` gives a `MetricStats`, `difference` a `PairedDifference`:

>>> from crisisops.scenarios.whatif import WHATIF_METRICS, MetricStats
>>> from crisisops.scenarios.whatif import PairedDifference, WhatIfReport
>>> WHATIF_METRICS[:3]
('loss', 'detection_lag_days', 'missed')
>>> isinstance(report, WhatIfReport), report.runs
(True, 3)
>>> stats = report.summary("base", "loss")
>>> isinstance(stats, MetricStats) and stats.p10 <= stats.p50 <= stats.p90
True
>>> paired = report.difference("base", "same", "loss")
>>> isinstance(paired, PairedDifference), paired.count
(True, 3)

Notes
-----
Cost. Parameter draws, per-run seeds, losses and every summary are numpy
over runs. Without shock parameters (none, or only drill-policy ones) each
alternative is simulated once, vectorised over runs (`simulate_shop` with
``runs=``). With shock parameters every run is simulated on its own, with
its own shocks and seed (sequential; ~15 ms for a 10-SKU, 120-day daily shop
on a 2-core machine). The drill of each run (`run_drill`: calibration,
rules, crises, reviews) is sequential per run and alternative, ~0.1 s per
run for such a shop, and dominates; ``drill=False`` skips it and keeps only
the losses.

References
----------
Law, Averill M. 2015. *Simulation Modeling and Analysis*. 5th ed. New York:
McGraw-Hill. §11.2. (Common random numbers, paired comparison.)
Hyndman, Rob J., and Yanan Fan. 1996. "Sample Quantiles in Statistical
Packages." *The American Statistician* 50 (4): 361–65. (Definition 7, numpy's
default linear percentile.)
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._random import SeedLike, resolve_rng
from crisisops._validation import (
    check_progress,
    field_name,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
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
from crisisops.response.lifecycle import CrisisStatus
from crisisops.risk.distributions import (
    PERT,
    Constant,
    Empirical,
    LogNormal,
    Triangular,
    TruncatedNormal,
    Uniform,
)
from crisisops.scenarios._generator import arrays_equal
from crisisops.scenarios.drill import (
    DrillPolicy,
    DrillReport,
    estimated_losses,
    run_drill,
)
from crisisops.scenarios.shocks import Shock, is_shock
from crisisops.scenarios.shop import ShopProfile, simulate_shop

__all__ = [
    "WHATIF_METRICS",
    "Alternative",
    "MetricStats",
    "PairedDifference",
    "Uncertain",
    "WhatIfReport",
    "compare_alternatives",
]

FloatArray = npt.NDArray[np.float64]

#: The metrics recorded per run and alternative, in `WhatIfReport.values` order.
WHATIF_METRICS: tuple[str, ...] = (
    "loss",
    "detection_lag_days",
    "missed",
    "recovery_days",
    "crises",
    "false_crises",
)

#: The target of a parameter that changes the drill policy, not a shock.
POLICY = "policy"

_DISTRIBUTIONS = (
    PERT,
    Triangular,
    Uniform,
    LogNormal,
    TruncatedNormal,
    Constant,
    Empirical,
)
_DAY = dt.timedelta(days=1)
_SHIFTS = ("duration", "onset")


def _check_shocks_field(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    for index, item in enumerate(value):
        if not is_shock(item):
            raise InvalidTypeError(f"{name}[{index}]", item, "a shock")
    _check_unique([item.key for item in value], name)


def _check_unique(keys: Sequence[str], field: str) -> None:
    for index, key in enumerate(keys):
        if key in keys[:index]:
            raise DuplicateKeyError(f"{field}[{index}].key", key)


@attrs.frozen(kw_only=True)
class Alternative:
    """One way to face the scenario, as data: what it changes, not how.

    Attributes
    ----------
    key
        The alternative's key, e.g. ``"second_supplier"``.
    labels
        Optional bilingual name (e.g. 雙供應商 for a second supplier).
    description
        What the alternative stands for, in words.
    profile
        A replacement `ShopProfile` (e.g. with a second supplier in its
        network); ``None`` keeps the scenario's.
    remove
        Keys of the scenario's shocks this alternative does without.
    add
        Extra shocks (their keys must differ from the scenario's).
    policy
        A replacement `DrillPolicy` (thresholds ``k``, persistence, response
        delays); ``None`` keeps the default policy.
    """

    key: str = attrs.field(validator=is_key())
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels"))
    )
    description: str = attrs.field(default="", validator=is_text(allow_empty=True))
    profile: ShopProfile | None = attrs.field(
        default=None, validator=is_optional(is_instance(ShopProfile, "a ShopProfile"))
    )
    remove: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=is_tuple_of(is_key())
    )
    add: tuple[Shock, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_shocks_field
    )
    policy: DrillPolicy | None = attrs.field(
        default=None, validator=is_optional(is_instance(DrillPolicy, "a DrillPolicy"))
    )

    def shocks(self, base: Sequence[Shock]) -> tuple[Shock, ...]:
        """Return the scenario's shocks as this alternative sees them."""
        dropped = set(self.remove)
        return (*(s for s in base if s.key not in dropped), *self.add)


def _policy_kind(name: str) -> str | None:
    """Return ``"float"``, ``"int"`` or ``"timedelta"`` for a numeric policy field."""
    default = getattr(DrillPolicy(), name, None)
    if isinstance(default, bool):
        return None
    if isinstance(default, float):
        return "float"
    if isinstance(default, int):
        return "int"
    if isinstance(default, dt.timedelta):
        return "timedelta"
    return None


def _policy_fields() -> tuple[str, ...]:
    return tuple(
        a.name for a in attrs.fields(DrillPolicy) if _policy_kind(a.name) is not None
    )


@attrs.frozen(kw_only=True)
class Uncertain:
    """A scenario parameter drawn per run from a `crisisops.risk` distribution.

    Attributes
    ----------
    key
        The parameter's key, e.g. ``"outage_days"``.
    target
        The key of the shock it changes, or ``"policy"`` for the drill
        policy of every alternative.
    field
        What it sets. On a shock: ``"duration"`` (days from onset to end),
        ``"onset"`` (days to shift the whole shock by), a float field (e.g.
        ``traffic_factor``) or a duration field in days (``ramp``,
        ``recovery``). On the policy: a float field (``k``), an int field
        (``persistence``, rounded) or a duration field in days
        (``declare_after``).
    distribution
        A value distribution of `crisisops.risk` (PERT, Triangular,
        Uniform, LogNormal, TruncatedNormal, Constant, Empirical).
    """

    key: str = attrs.field(validator=is_key())
    target: str = attrs.field(validator=is_key())
    field: str = attrs.field(validator=is_key(dotted=False))
    distribution: (
        PERT | Triangular | Uniform | LogNormal | TruncatedNormal | Constant | Empirical
    ) = attrs.field(
        validator=is_instance(_DISTRIBUTIONS, "a crisisops.risk value distribution")
    )

    def __attrs_post_init__(self) -> None:
        """Check that a policy parameter names a numeric policy field."""
        if self.target == POLICY and _policy_kind(self.field) is None:
            raise UnknownKeyError("field", self.field, _policy_fields())


@attrs.frozen(kw_only=True)
class MetricStats:
    """One metric of one alternative over the runs.

    Attributes
    ----------
    alternative
        The alternative's key.
    metric
        One of `WHATIF_METRICS`.
    count
        Runs with a value (a missed detection has none).
    mean, p10, p50, p90
        Mean and percentiles over those runs; ``None`` if there are none.
    """

    alternative: str = attrs.field(validator=is_key())
    metric: str = attrs.field(validator=is_key(dotted=False))
    count: int = attrs.field(validator=is_instance(int, "an int"))
    mean: float | None = attrs.field(validator=is_optional(is_finite()))
    p10: float | None = attrs.field(validator=is_optional(is_finite()))
    p50: float | None = attrs.field(validator=is_optional(is_finite()))
    p90: float | None = attrs.field(validator=is_optional(is_finite()))


@attrs.frozen(kw_only=True)
class PairedDifference:
    """``alternative − base`` for one metric, run by run (common random numbers).

    Attributes
    ----------
    base, alternative
        The two alternatives' keys.
    metric
        One of `WHATIF_METRICS` (lower is better for all).
    count
        Runs where both have a value.
    mean, p10, p50, p90
        Mean and percentiles of the differences; ``None`` if ``count`` is 0.
    alternative_better, base_better
        Share of those runs where ``alternative`` (``base``) is strictly
        lower; the rest are ties. ``None`` if ``count`` is 0.
    """

    base: str = attrs.field(validator=is_key())
    alternative: str = attrs.field(validator=is_key())
    metric: str = attrs.field(validator=is_key(dotted=False))
    count: int = attrs.field(validator=is_instance(int, "an int"))
    mean: float | None = attrs.field(validator=is_optional(is_finite()))
    p10: float | None = attrs.field(validator=is_optional(is_finite()))
    p50: float | None = attrs.field(validator=is_optional(is_finite()))
    p90: float | None = attrs.field(validator=is_optional(is_finite()))
    alternative_better: float | None = attrs.field(
        validator=is_optional(is_finite(low=0.0, high=1.0))
    )
    base_better: float | None = attrs.field(
        validator=is_optional(is_finite(low=0.0, high=1.0))
    )


def _lock(array: FloatArray) -> FloatArray:
    out = np.array(array, dtype=np.float64)
    out.setflags(write=False)
    return out


_ARRAY_EQ = attrs.cmp_using(eq=arrays_equal)


@attrs.frozen(kw_only=True)
class WhatIfReport:
    """The what-if as plain data: per-run values, summaries, paired differences.

    Attributes
    ----------
    runs
        Number of runs.
    alternatives
        The alternatives' keys, in the order compared.
    parameters
        The `Uncertain` parameters drawn.
    draws
        The drawn values, shape ``(parameters, runs)``; run ``i`` of every
        alternative used column ``i``.
    values
        The metrics, shape ``(alternatives, len(WHATIF_METRICS), runs)``; NaN where
        a run has no value (a missed detection, no drill).
    stats
        One `MetricStats` per alternative and metric.
    differences
        One `PairedDifference` per pair of alternatives (each with every
        later one) and metric.
    """

    runs: int = attrs.field(validator=is_instance(int, "an int"))
    alternatives: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_key())
    )
    parameters: tuple[Uncertain, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_instance(Uncertain, "Uncertain"))
    )
    draws: FloatArray = attrs.field(converter=_lock, eq=_ARRAY_EQ)
    values: FloatArray = attrs.field(converter=_lock, eq=_ARRAY_EQ)
    stats: tuple[MetricStats, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(MetricStats, "a MetricStats")),
    )
    differences: tuple[PairedDifference, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(PairedDifference, "a PairedDifference")),
    )

    def __attrs_post_init__(self) -> None:
        """Check the shapes of the arrays."""
        shape = (len(self.alternatives), len(WHATIF_METRICS), self.runs)
        if self.values.shape != shape:
            raise ValidationError("values", self.values.shape, f"shape {shape}")
        if self.draws.shape != (len(self.parameters), self.runs):
            raise ValidationError(
                "draws", self.draws.shape, f"shape {(len(self.parameters), self.runs)}"
            )

    def _index(self, alternative: str, metric: str) -> tuple[int, int]:
        if alternative not in self.alternatives:
            raise UnknownKeyError("alternative", alternative, self.alternatives)
        if metric not in WHATIF_METRICS:
            raise UnknownKeyError("metric", metric, WHATIF_METRICS)
        return self.alternatives.index(alternative), WHATIF_METRICS.index(metric)

    def per_run(self, alternative: str, metric: str) -> FloatArray:
        """Return ``metric`` of ``alternative`` per run (read-only, NaN if none)."""
        a, m = self._index(alternative, metric)
        row: FloatArray = self.values[a, m]
        return row

    def summary(self, alternative: str, metric: str) -> MetricStats:
        """Return the `MetricStats` of ``alternative`` for ``metric``."""
        self._index(alternative, metric)
        return next(
            s for s in self.stats if s.alternative == alternative and s.metric == metric
        )

    def difference(self, base: str, alternative: str, metric: str) -> PairedDifference:
        """Return ``alternative − base`` for ``metric`` (either order of the pair)."""
        self._index(base, metric)
        self._index(alternative, metric)
        for d in self.differences:
            if d.metric != metric:
                continue
            if (d.base, d.alternative) == (base, alternative):
                return d
            if (d.base, d.alternative) == (alternative, base):
                return _flip(d)
        raise ValidationError("alternative", alternative, f"a key other than {base!r}")


def _flip(d: PairedDifference) -> PairedDifference:
    def neg(x: float | None) -> float | None:
        return None if x is None else 0.0 - x

    return PairedDifference(
        base=d.alternative,
        alternative=d.base,
        metric=d.metric,
        count=d.count,
        mean=neg(d.mean),
        p10=neg(d.p90),
        p50=neg(d.p50),
        p90=neg(d.p10),
        alternative_better=d.base_better,
        base_better=d.alternative_better,
    )


# --- summaries (numpy over runs) ------------------------------------------------------

_Summary = tuple[int, float | None, float | None, float | None, float | None]


def _describe(values: FloatArray) -> _Summary:
    """Count, mean, p10, p50, p90 of the non-NaN values of a 1-D array."""
    present = values[~np.isnan(values)]
    if present.size == 0:
        return (0, None, None, None, None)
    p10, p50, p90 = np.percentile(present, [10.0, 50.0, 90.0]).tolist()
    return (int(present.size), float(present.mean()), p10, p50, p90)


def _summaries(
    keys: Sequence[str], values: FloatArray
) -> tuple[list[MetricStats], list[PairedDifference]]:
    stats = []
    for a, m in itertools.product(range(len(keys)), range(len(WHATIF_METRICS))):
        count, mean, p10, p50, p90 = _describe(values[a, m])
        stats.append(
            MetricStats(
                alternative=keys[a],
                metric=WHATIF_METRICS[m],
                count=count,
                mean=mean,
                p10=p10,
                p50=p50,
                p90=p90,
            )
        )
    differences = []
    for a, b in itertools.combinations(range(len(keys)), 2):
        for m, metric in enumerate(WHATIF_METRICS):
            delta = values[b, m] - values[a, m]
            count, mean, p10, p50, p90 = _describe(delta)
            present = delta[~np.isnan(delta)]
            differences.append(
                PairedDifference(
                    base=keys[a],
                    alternative=keys[b],
                    metric=metric,
                    count=count,
                    mean=mean,
                    p10=p10,
                    p50=p50,
                    p90=p90,
                    alternative_better=(
                        float(np.mean(present < 0.0)) if count else None
                    ),
                    base_better=float(np.mean(present > 0.0)) if count else None,
                )
            )
    return stats, differences


# --- the runs -------------------------------------------------------------------------


def _resolved_at(report: DrillReport, keys: Iterable[str]) -> dt.datetime | None:
    wanted = set(keys)
    times = [
        at
        for crisis in report.crises
        if crisis.key in wanted
        for at, status in crisis.status_changes
        if status is CrisisStatus.RESOLVED
    ]
    return max(times) if times else None


def _drill_metrics(report: DrillReport) -> tuple[float, float, float, float, float]:
    """Return lag, missed, recovery (days), crises and false crises of one drill."""
    lags = [
        s.detection_lag / _DAY for s in report.shocks if s.detection_lag is not None
    ]
    matched = {key for s in report.shocks for key in s.crises}
    resolved = _resolved_at(report, matched)
    onsets = [s.onset for s in report.shocks]
    recovery = (
        (resolved - min(onsets)) / _DAY if resolved is not None and onsets else np.nan
    )
    return (
        float(np.mean(lags)) if lags else np.nan,
        float(len(report.missed_shocks)),
        float(recovery),
        float(len(report.crises)),
        float(len(report.false_crises)),
    )


def _changes(name: str, value: object) -> dict[str, Any]:
    return {name: value}


def _set_shock(shock: Shock, name: str, value: float, field: str) -> Shock:
    if name == "duration":
        return attrs.evolve(shock, end=shock.onset + value * _DAY)
    if name == "onset":
        step = value * _DAY
        return attrs.evolve(shock, onset=shock.onset + step, end=shock.end + step)
    current = getattr(shock, name, None)
    if isinstance(current, dt.timedelta):
        return attrs.evolve(shock, **_changes(name, value * _DAY))
    if isinstance(current, float):
        return attrs.evolve(shock, **_changes(name, value))
    raise ValidationError(
        field,
        name,
        f"'duration', 'onset' or a float or duration field of {type(shock).__name__}",
    )


def _set_policy(policy: DrillPolicy, name: str, value: float) -> DrillPolicy:
    kind = _policy_kind(name)
    if kind == "timedelta":
        return attrs.evolve(policy, **_changes(name, value * _DAY))
    if kind == "int":
        return attrs.evolve(policy, **_changes(name, round(value)))
    return attrs.evolve(policy, **_changes(name, value))


def _check_inputs(  # noqa: C901, PLR0912  one check per argument
    profile: object,
    shocks: object,
    alternatives: object,
    parameters: object,
    runs: object,
) -> tuple[tuple[Shock, ...], tuple[Alternative, ...], tuple[Uncertain, ...], int]:
    if not isinstance(profile, ShopProfile):
        raise InvalidTypeError("profile", profile, "a ShopProfile")
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer):
        raise InvalidTypeError("runs", runs, "an int")
    if runs < 1:
        raise ValidationError("runs", runs, "an int >= 1")
    if not isinstance(shocks, Iterable) or isinstance(shocks, str):
        raise InvalidTypeError("shocks", shocks, "an iterable of shocks")
    base = tuple(shocks)
    for index, shock in enumerate(base):
        if not is_shock(shock):
            raise InvalidTypeError(f"shocks[{index}]", shock, "a shock")
    keys = [shock.key for shock in base]
    _check_unique(keys, "shocks")
    if not isinstance(alternatives, Iterable) or isinstance(alternatives, str):
        raise InvalidTypeError("alternatives", alternatives, "Alternative values")
    options = tuple(alternatives)
    if not options:
        raise ValidationError("alternatives", options, "at least one Alternative")
    seen: set[str] = set()
    for index, option in enumerate(options):
        if not isinstance(option, Alternative):
            raise InvalidTypeError(f"alternatives[{index}]", option, "an Alternative")
        if option.key in seen:
            raise DuplicateKeyError(f"alternatives[{index}].key", option.key)
        seen.add(option.key)
        for key in option.remove:
            if key not in keys:
                raise UnknownKeyError(
                    f"shock (in alternatives[{index}].remove)", key, keys
                )
        for extra in option.add:
            if extra.key in keys:
                raise DuplicateKeyError(f"alternatives[{index}].add", extra.key)
    if not isinstance(parameters, Iterable) or isinstance(parameters, str):
        raise InvalidTypeError("parameters", parameters, "Uncertain values")
    drawn = tuple(parameters)
    known = set(keys) | {s.key for o in options for s in o.add}
    names: set[str] = set()
    for index, parameter in enumerate(drawn):
        if not isinstance(parameter, Uncertain):
            raise InvalidTypeError(f"parameters[{index}]", parameter, "an Uncertain")
        if parameter.key in names:
            raise DuplicateKeyError(f"parameters[{index}].key", parameter.key)
        names.add(parameter.key)
        if parameter.target != POLICY and parameter.target not in known:
            raise UnknownKeyError(
                f"shock (in parameters[{index}].target)",
                parameter.target,
                sorted(known | {POLICY}),
            )
    return base, options, drawn, int(runs)


def compare_alternatives(  # noqa: PLR0913  keyword-only knobs
    profile: ShopProfile,
    shocks: Iterable[Shock],
    alternatives: Iterable[Alternative],
    *,
    parameters: Iterable[Uncertain] = (),
    runs: int,
    seed: SeedLike,
    drill: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> WhatIfReport:
    """Run a scenario ``runs`` times per alternative on common random numbers.

    Book §4 (模擬演練, 應急預案) and §3 (風險評估): see the module docstring
    for the metrics and the cost.

    Parameters
    ----------
    profile
        The shop (an alternative may replace it).
    shocks
        The scenario's shocks (an alternative may remove some or add others).
    alternatives
        The `Alternative` values compared (unique keys, at least one).
    parameters
        `Uncertain` parameters, each drawn once per run and shared by every
        alternative (a parameter on a shock an alternative lacks is ignored
        for it).
    runs
        Number of runs (>= 1).
    seed
        Seed or Generator for the draws and every run's seeds.
    drill
        Whether to run the drill per run (detection, crises, recovery);
        ``False`` keeps only the losses (much faster).
    progress
        Optional ``progress(done, total)`` with ``total = alternatives ×
        runs``: called after each run of each alternative (its simulation
        and drill), or, for a vectorised batch without drills, once per
        alternative with ``done`` advanced by ``runs``. It changes nothing
        in the report.

    Returns
    -------
    WhatIfReport
        Per-run values, per-alternative summaries, paired differences.

    Raises
    ------
    InvalidTypeError, ValidationError
        For a bad argument, e.g. ``runs`` < 1, a ``progress`` that is not
        callable, or a drawn value a shock or the policy rejects (field
        ``parameters[i]`` with the shock's message).
    UnknownKeyError
        For a parameter or removal naming an unknown shock, or a shock field
        a parameter cannot set.
    DuplicateKeyError
        For two alternatives or parameters with one key.
    """
    base, options, drawn, count = _check_inputs(
        profile, shocks, alternatives, parameters, runs
    )
    if not isinstance(drill, bool):
        raise InvalidTypeError("drill", drill, "a bool")
    report = check_progress(progress)
    rng = resolve_rng(seed, "seed")
    draws = np.empty((len(drawn), count))
    for index, parameter in enumerate(drawn):
        draws[index] = parameter.distribution.sample(rng, count)
    sim_seeds = rng.integers(0, 2**62, size=count).tolist()
    drill_seeds = rng.integers(0, 2**62, size=count).tolist()
    batch_seed = int(rng.integers(0, 2**62))
    # One vectorised batch per alternative when every run has the same
    # shocks; a shock parameter drawn per run needs a simulation per run.
    # `run_drill` then scores run i of the batch.
    per_run = any(p.target != POLICY for p in drawn)
    values = np.full((len(options), len(WHATIF_METRICS), count), np.nan)
    total = len(options) * count
    for a, option in enumerate(options):
        shop = option.profile or profile
        scenario = option.shocks(base)
        policies = _policies(option.policy or DrillPolicy(), drawn, draws, count)
        if not per_run:
            batch = simulate_shop(shop, scenario, seed=batch_seed, runs=count)
            values[a, 0] = estimated_losses(batch)
            if not drill:
                if report is not None:
                    report((a + 1) * count, total)
                continue
            pairs = [(batch, i) for i in range(count)]
        else:
            # Every run's shocks first: a drawn value a shock rejects fails
            # the call before any of the alternative's simulations.
            scenarios = [
                _drawn_shocks(scenario, drawn, draws[:, i]) for i in range(count)
            ]
        # Run i of the alternative: its own simulation (with its drawn
        # shocks) or run i of the batch, then its drill. Every run has its
        # own seeds, so doing each run's work together changes nothing.
        for i in range(count):
            if per_run:
                sim = simulate_shop(shop, scenarios[i], seed=sim_seeds[i])
                values[a, 0, i] = estimated_losses(sim)[0]
                pair = (sim, 0)
            else:
                pair = pairs[i]
            if drill:
                drilled = run_drill(
                    pair[0], policy=policies[i], seed=drill_seeds[i], run_index=pair[1]
                )
                values[a, 1:, i] = _drill_metrics(drilled)
            if report is not None:
                report(a * count + i + 1, total)
    keys = tuple(option.key for option in options)
    stats, differences = _summaries(keys, values)
    return WhatIfReport(
        runs=count,
        alternatives=keys,
        parameters=drawn,
        draws=draws,
        values=values,
        stats=stats,
        differences=differences,
    )


def _drawn_shocks(
    scenario: tuple[Shock, ...], drawn: tuple[Uncertain, ...], column: FloatArray
) -> tuple[Shock, ...]:
    result = list(scenario)
    where = {shock.key: i for i, shock in enumerate(result)}
    for index, parameter in enumerate(drawn):
        if parameter.target not in where:
            continue
        field = f"parameters[{index}]"
        position = where[parameter.target]
        value = float(column[index])
        try:
            result[position] = _set_shock(
                result[position], parameter.field, value, f"{field}.field"
            )
        except ValidationError as exc:
            if exc.field == f"{field}.field":
                raise
            raise ValidationError(
                f"{field} ({parameter.key} → {exc.field})", exc.value, exc.expected
            ) from exc
    return tuple(result)


def _policies(
    policy: DrillPolicy,
    drawn: tuple[Uncertain, ...],
    draws: FloatArray,
    count: int,
) -> list[DrillPolicy]:
    chosen = [(i, p) for i, p in enumerate(drawn) if p.target == POLICY]
    if not chosen:
        return [policy] * count
    result = []
    for run in range(count):
        current = policy
        for index, parameter in chosen:
            value = float(draws[index, run])
            try:
                current = _set_policy(current, parameter.field, value)
            except ValidationError as exc:
                raise ValidationError(
                    f"parameters[{index}] ({parameter.key} → {exc.field})",
                    exc.value,
                    exc.expected,
                ) from exc
        result.append(current)
    return result
