"""Benchmark: FAIR-style Monte Carlo loss against plain numpy (issue #4).

Two cases from the issue, each against a hand-written numpy implementation of
the same math measured in the same run (best of 3 runs each, interleaved):

1. one risk x 1,000,000 trials: loss-event frequency PERT(1, 5, 20) x loss
   magnitude PERT(1k, 5k, 50k), the FAIR product, via ``simulate``;
2. 100 risks x 100,000 trials, each risk with its own PERTs (frequency
   modes 1..10, magnitude modes 2k..14k), drawn from its own stream
   (``risk_generator``) and summed per trial into one portfolio loss.

The reference draws ``low + (high - low) * rng.beta(a, b, n)`` with the
classic PERT shapes, multiplies, and (for the portfolio) accumulates per
risk into one vector. A third, informational case compares the compound
frequency-severity model (Poisson(2) events x lognormal losses) with numpy's
``bincount`` recipe. Printed: time ratio (target <= 1.3x) and peak extra
memory ratio measured with tracemalloc (target < 1.5x). If pyfair imports,
it runs on the same models and its time ratio is printed too.

Run with ``python benchmarks/bench_risk.py``.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from crisisops.risk.distributions import PERT, LogNormal, Poisson
from crisisops.risk.portfolio import Portfolio, simulate_portfolio
from crisisops.risk.simulation import (
    CompoundLossModel,
    FAIRModel,
    LossDistribution,
    risk_generator,
    simulate,
)

Array = np.ndarray[Any, Any]
Triple = tuple[float, float, float]

SEED = 2026
ONE_TRIALS = 1_000_000
PORTFOLIO_TRIALS = 100_000
PORTFOLIO_RISKS = 100
REPEATS = 3
TIME_TARGET = 1.3
MEMORY_TARGET = 1.5

ONE_LEF: Triple = (1.0, 5.0, 20.0)
ONE_LM: Triple = (1_000.0, 5_000.0, 50_000.0)


def portfolio_inputs() -> list[tuple[str, Triple, Triple]]:
    """Return 100 risks: key, frequency PERT and magnitude PERT."""
    risks = []
    for i in range(PORTFOLIO_RISKS):
        share = i / (PORTFOLIO_RISKS - 1)
        lef = (0.5, 1.0 + 9.0 * share, 20.0)
        lm = (1_000.0, 2_000.0 + 12_000.0 * share, 50_000.0)
        risks.append((f"risk.r{i:03d}", lef, lm))
    return risks


RISKS = portfolio_inputs()


# --- the hand-written numpy reference -----------------------------------------


def pert_shapes(low: float, mode: float, high: float) -> tuple[float, float]:
    """Classic PERT beta shapes (gamma = 4)."""
    span = high - low
    return 1.0 + 4.0 * (mode - low) / span, 1.0 + 4.0 * (high - mode) / span


def reference_pert(rng: np.random.Generator, spec: Triple, n: int) -> Array:
    """Draw a PERT the plain way: ``low + (high - low) * beta``."""
    a, b = pert_shapes(*spec)
    return spec[0] + (spec[2] - spec[0]) * rng.beta(a, b, n)


def reference_one() -> Array:
    """One risk, FAIR product, plain numpy."""
    rng = np.random.default_rng(SEED)
    lef = reference_pert(rng, ONE_LEF, ONE_TRIALS)
    lm = reference_pert(rng, ONE_LM, ONE_TRIALS)
    return lef * lm


def reference_portfolio() -> Array:
    """100 risks, one spawned stream each, accumulated into one vector."""
    children = np.random.SeedSequence(SEED).spawn(len(RISKS))
    total = np.zeros(PORTFOLIO_TRIALS)
    for (_, lef, lm), child in zip(RISKS, children, strict=True):
        rng = np.random.default_rng(child)
        total += reference_pert(rng, lef, PORTFOLIO_TRIALS) * reference_pert(
            rng, lm, PORTFOLIO_TRIALS
        )
    return total


def reference_portfolio_matrix() -> Array:
    """100 risks kept row by row (what tail contributions need), then summed."""
    children = np.random.SeedSequence(SEED).spawn(len(RISKS))
    losses = np.empty((len(RISKS), PORTFOLIO_TRIALS))
    for row, ((_, lef, lm), child) in enumerate(zip(RISKS, children, strict=True)):
        rng = np.random.default_rng(child)
        np.multiply(
            reference_pert(rng, lef, PORTFOLIO_TRIALS),
            reference_pert(rng, lm, PORTFOLIO_TRIALS),
            out=losses[row],
        )
    total: Array = losses.sum(axis=0)
    return total


COMPOUND_RATE = 2.0
COMPOUND_SEVERITY = LogNormal.from_interval(low=10_000.0, high=1_000_000.0)


def reference_compound() -> Array:
    """Compound Poisson-lognormal, numpy's bincount recipe."""
    rng = np.random.default_rng(SEED)
    counts = rng.poisson(COMPOUND_RATE, ONE_TRIALS)
    severities = rng.lognormal(
        COMPOUND_SEVERITY.mu, COMPOUND_SEVERITY.sigma, int(counts.sum())
    )
    owner = np.repeat(np.arange(ONE_TRIALS), counts)
    return np.bincount(owner, weights=severities, minlength=ONE_TRIALS)


# --- crisisops ----------------------------------------------------------------


def pert(spec: Triple) -> PERT:
    """Return a crisisops PERT from a triple."""
    return PERT(low=spec[0], mode=spec[1], high=spec[2])


ONE_MODEL = FAIRModel(loss_event_frequency=pert(ONE_LEF), loss_magnitude=pert(ONE_LM))
PORTFOLIO_MODELS = [
    (key, FAIRModel(loss_event_frequency=pert(lef), loss_magnitude=pert(lm)))
    for key, lef, lm in RISKS
]
COMPOUND_MODEL = CompoundLossModel(
    frequency=Poisson(rate=COMPOUND_RATE), severity=COMPOUND_SEVERITY
)


def crisisops_one() -> Array:
    """One risk through ``simulate``."""
    return simulate(ONE_MODEL, ONE_TRIALS, SEED).losses


def crisisops_portfolio() -> Array:
    """100 risks, one ``risk_generator`` stream each, summed per trial."""
    total = np.zeros(PORTFOLIO_TRIALS)
    for key, model in PORTFOLIO_MODELS:
        total += model.sample(risk_generator(SEED, key), PORTFOLIO_TRIALS)
    total.setflags(write=False)
    return LossDistribution(losses=total).losses


PORTFOLIO = Portfolio(risks=dict(PORTFOLIO_MODELS))


def crisisops_portfolio_api() -> Array:
    """Run the same 100 risks through ``simulate_portfolio`` (keeps each row)."""
    return simulate_portfolio(PORTFOLIO, PORTFOLIO_TRIALS, SEED).total.losses


def crisisops_compound() -> Array:
    """Compound model through ``simulate``."""
    return simulate(COMPOUND_MODEL, ONE_TRIALS, SEED).losses


# --- pyfair (optional) --------------------------------------------------------


def pyfair_module() -> Any:  # noqa: ANN401  an optional third-party module
    """Return the pyfair module, or None when it is not installed."""
    try:
        import pyfair  # type: ignore[import-not-found,import-untyped,unused-ignore]  # noqa: PLC0415
    except ImportError:
        return None
    return pyfair


def pyfair_model(pyfair: Any, name: str, lef: Triple, lm: Triple, n: int) -> Any:  # noqa: ANN401
    """Build and calculate a pyfair FairModel of the same FAIR product."""
    model = pyfair.FairModel(name=name, n_simulations=n, random_seed=SEED)
    model.input_data("Loss Event Frequency", low=lef[0], mode=lef[1], high=lef[2])
    model.input_data("Loss Magnitude", low=lm[0], mode=lm[1], high=lm[2])
    model.calculate_all()
    return model


def pyfair_one(pyfair: Any) -> Callable[[], Array]:  # noqa: ANN401
    """Return a runner of the one-risk case in pyfair."""

    def run() -> Array:
        model = pyfair_model(pyfair, "one", ONE_LEF, ONE_LM, ONE_TRIALS)
        return np.asarray(model.export_results()["Risk"], dtype=np.float64)

    return run


def pyfair_portfolio(pyfair: Any) -> Callable[[], Array]:  # noqa: ANN401
    """Return a runner of the portfolio case in pyfair (FairMetaModel)."""

    def run() -> Array:
        with warnings.catch_warnings():
            # pyfair's meta model warns about its own pandas usage; not ours
            warnings.simplefilter("ignore")
            return _pyfair_portfolio(pyfair)

    return run


def _pyfair_portfolio(pyfair: Any) -> Array:  # noqa: ANN401
    """Run the portfolio case in pyfair: 100 FairModels and a FairMetaModel."""
    models = [
        pyfair_model(pyfair, key, lef, lm, PORTFOLIO_TRIALS) for key, lef, lm in RISKS
    ]
    meta = pyfair.FairMetaModel(name="portfolio", models=models)
    meta.calculate_all()
    return np.asarray(meta.export_results()["Risk"], dtype=np.float64)


# --- measuring ----------------------------------------------------------------


def best_times(runners: dict[str, Callable[[], Array]]) -> dict[str, float]:
    """Best wall time of each runner over REPEATS interleaved rounds."""
    best = dict.fromkeys(runners, float("inf"))
    for _ in range(REPEATS):
        for name, run in runners.items():
            gc.collect()
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def peak_memory(run: Callable[[], Array]) -> int:
    """Peak bytes allocated while ``run`` runs (tracemalloc), result included."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak


def compare(
    title: str,
    reference: Callable[[], Array],
    ours: Callable[[], Array],
    pyfair_run: Callable[[], Array] | None,
) -> tuple[float, float]:
    """Time and measure one case; print and return (time ratio, memory ratio)."""
    expected, got = reference(), ours()
    relative = abs(got.mean() - expected.mean()) / expected.mean()
    assert relative < 0.01, f"{title}: means differ by {relative:.2%}"
    runners = {"numpy": reference, "crisisops": ours}
    if pyfair_run is not None:
        runners["pyfair"] = pyfair_run
    times = best_times(runners)
    memory = {name: peak_memory(runners[name]) for name in ("numpy", "crisisops")}
    time_ratio = times["crisisops"] / times["numpy"]
    memory_ratio = memory["crisisops"] / memory["numpy"]
    print(f"\n{title}")
    print(
        f"  mean annual loss: numpy {expected.mean():,.0f}, crisisops {got.mean():,.0f}"
    )
    print(
        f"  time   numpy {times['numpy']:.3f} s, crisisops {times['crisisops']:.3f} s"
        f"  -> ratio {time_ratio:.2f}x (target <= {TIME_TARGET}x)"
    )
    print(
        f"  memory numpy {memory['numpy'] / 1e6:.1f} MB, crisisops "
        f"{memory['crisisops'] / 1e6:.1f} MB  -> ratio {memory_ratio:.2f}x "
        f"(target < {MEMORY_TARGET}x)"
    )
    if "pyfair" in times:
        slow = times["pyfair"]
        print(
            f"  pyfair {slow:.3f} s -> {slow / times['numpy']:.2f}x numpy, "
            f"{slow / times['crisisops']:.2f}x crisisops"
        )
    return time_ratio, memory_ratio


def main() -> None:
    """Run every case and print the ratios."""
    pyfair = pyfair_module()
    print(f"crisisops risk benchmark, numpy {np.__version__}, best of {REPEATS}")
    if pyfair is None:
        print("pyfair is not installed: its comparison is skipped")
    else:
        print("pyfair is installed: it runs on the same models")
    results = {
        "one risk": compare(
            f"1 risk x {ONE_TRIALS:,} trials (FAIR: PERT frequency x PERT magnitude)",
            reference_one,
            crisisops_one,
            None if pyfair is None else pyfair_one(pyfair),
        ),
        "portfolio": compare(
            f"{PORTFOLIO_RISKS} risks x {PORTFOLIO_TRIALS:,} trials (summed per trial)",
            reference_portfolio,
            crisisops_portfolio,
            None if pyfair is None else pyfair_portfolio(pyfair),
        ),
    }
    compare(
        f"{PORTFOLIO_RISKS} risks x {PORTFOLIO_TRIALS:,} trials through Portfolio "
        "(every risk's row kept for tail contributions; information)",
        reference_portfolio_matrix,
        crisisops_portfolio_api,
        None,
    )
    compare(
        f"compound, 1 risk x {ONE_TRIALS:,} years (Poisson x lognormal; information)",
        reference_compound,
        crisisops_compound,
        None,
    )
    print()
    for name, (time_ratio, memory_ratio) in results.items():
        met = time_ratio <= TIME_TARGET and memory_ratio < MEMORY_TARGET
        print(
            f"{name}: time {time_ratio:.2f}x, memory {memory_ratio:.2f}x -> "
            f"{'meets' if met else 'MISSES'} the targets"
        )


if __name__ == "__main__":
    main()
