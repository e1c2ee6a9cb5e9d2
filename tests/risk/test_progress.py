"""Progress callbacks of the risk Monte Carlo (`simulate`), and its chunks.

``simulate(..., chunk_trials=k, progress=f)`` draws the trials ``k`` at a
time from the one stream of the seed and calls ``f(done, total)`` after each
chunk. The callback never changes a number: results with and without it are
identical, chunked or not. Chunks change the order of the draws, so the
expected values here are built from the definition (``model.sample`` chunk
after chunk on ``default_rng(seed)``), and the statistics are checked
against the closed-form mean within four Monte Carlo standard errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.risk.distributions import PERT, Bernoulli, LogNormal, Poisson
from crisisops.risk.simulation import (
    CompoundLossModel,
    FAIRModel,
    LossModel,
    simulate,
)

FAIR = FAIRModel(
    loss_event_frequency=PERT(low=1.0, mode=4.0, high=13.0),
    loss_magnitude=PERT(low=2_000.0, mode=5_000.0, high=14_000.0),
)
COMPOUND = CompoundLossModel(
    frequency=Poisson(rate=2.0),
    severity=LogNormal.from_interval(low=1_000.0, high=20_000.0),
)
RECALL = CompoundLossModel(
    frequency=Bernoulli(probability=0.1),
    severity=PERT(low=2_000.0, mode=5_000.0, high=14_000.0),
)
MODELS: dict[str, LossModel] = {"fair": FAIR, "compound": COMPOUND, "recall": RECALL}


def _recorder() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    return calls, progress


def _by_definition(model: LossModel, trials: int, seed: int, chunk: int) -> np.ndarray:
    """``model.sample`` chunk after chunk on one generator, joined."""
    rng = np.random.default_rng(seed)
    sizes = [min(chunk, trials - start) for start in range(0, trials, chunk)]
    return np.concatenate([model.sample(rng, size) for size in sizes])


@pytest.mark.parametrize("name", list(MODELS))
def test_chunks_report_the_trials_drawn_so_far(name: str) -> None:
    calls, progress = _recorder()
    result = simulate(MODELS[name], 10, seed=3, chunk_trials=3, progress=progress)
    # 10 trials in chunks of 3: after 3, 6, 9 and the last one.
    assert [(3, 10), (6, 10), (9, 10), (10, 10)] == calls
    assert result == simulate(MODELS[name], 10, seed=3, chunk_trials=3)
    np.testing.assert_array_equal(_by_definition(MODELS[name], 10, 3, 3), result.losses)


def test_without_chunks_progress_is_told_once_and_nothing_changes() -> None:
    calls, progress = _recorder()
    result = simulate(FAIR, 2_000, seed=11, progress=progress)
    assert [(2_000, 2_000)] == calls
    assert result == simulate(FAIR, 2_000, seed=11)
    # Still exactly the documented draw: model.sample on default_rng(seed).
    np.testing.assert_array_equal(
        FAIR.sample(np.random.default_rng(11), 2_000), result.losses
    )
    # A chunk as large as the run (or larger) is no chunk at all.
    assert result == simulate(FAIR, 2_000, seed=11, chunk_trials=2_000)
    assert result == simulate(FAIR, 2_000, seed=11, chunk_trials=10**6)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(list(MODELS)),
    st.integers(min_value=1, max_value=300),
    st.one_of(st.none(), st.integers(min_value=1, max_value=400)),
    st.integers(min_value=0, max_value=2**32),
)
def test_progress_rises_to_the_total_and_never_changes_the_losses(
    name: str, trials: int, chunk: int | None, seed: int
) -> None:
    model = MODELS[name]
    calls, progress = _recorder()
    with_callback = simulate(
        model, trials, seed=seed, chunk_trials=chunk, progress=progress
    )
    without = simulate(model, trials, seed=seed, chunk_trials=chunk)

    assert without == with_callback
    dones = [done for done, _ in calls]
    assert dones == sorted(set(dones))  # strictly increasing
    assert all(total == trials for _, total in calls)
    assert trials == dones[-1]
    expected_calls = 1 if chunk is None else math.ceil(trials / chunk)
    assert expected_calls == len(calls)
    if chunk is not None:
        np.testing.assert_array_equal(
            _by_definition(model, trials, seed, chunk), with_callback.losses
        )


def test_a_generator_passed_in_advances_through_every_chunk() -> None:
    rng = np.random.default_rng(5)
    first = simulate(COMPOUND, 100, seed=rng, chunk_trials=30)
    second = simulate(COMPOUND, 100, seed=rng, chunk_trials=30)
    # 100 = 3·30 + 10: four chunks per run, the second run's after the first's.
    replay = np.random.default_rng(5)
    sizes = (30, 30, 30, 10)
    expected_first = np.concatenate([COMPOUND.sample(replay, n) for n in sizes])
    expected_second = np.concatenate([COMPOUND.sample(replay, n) for n in sizes])
    np.testing.assert_array_equal(expected_first, first.losses)
    np.testing.assert_array_equal(expected_second, second.losses)


def test_chunked_results_keep_the_closed_form_mean() -> None:
    # E[LEF]·E[LM] = 5 · 6,000 = 30,000 (PERT means (1 + 4·4 + 13)/6 and
    # (2,000 + 4·5,000 + 14,000)/6).
    result = simulate(FAIR, 40_000, seed=2026, chunk_trials=7_000)
    assert abs(result.mean - 30_000.0) < 4 * result.standard_error


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"progress": "bar"}, InvalidTypeError, "'progress'"),
        ({"progress": 3}, InvalidTypeError, "'progress'"),
        ({"chunk_trials": 0}, ValidationError, "'chunk_trials'"),
        ({"chunk_trials": -5}, ValidationError, "'chunk_trials'"),
        ({"chunk_trials": True}, InvalidTypeError, "'chunk_trials'"),
        ({"chunk_trials": 2.5}, InvalidTypeError, "'chunk_trials'"),
    ],
)
def test_bad_progress_or_chunks_are_refused_before_any_draw(
    kwargs: dict[str, object], error: type[Exception], field: str
) -> None:
    rng = np.random.default_rng(1)
    before = rng.bit_generator.state
    with pytest.raises(error, match=field):
        simulate(FAIR, 100, seed=rng, **kwargs)  # type: ignore[arg-type]
    assert before == rng.bit_generator.state  # a failed call drew nothing
