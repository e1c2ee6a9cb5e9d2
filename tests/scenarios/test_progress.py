"""Progress callbacks of drills and what-ifs: they report, they change nothing.

`run_drill` tells ``progress(done, total)`` once the rules have been
evaluated and after each crisis (``total`` = 1 + crises);
`compare_alternatives` after each run of each alternative (``total`` =
alternatives × runs), or once per alternative for a vectorised batch without
drills. Every test checks that ``done`` rises to ``total`` and that the
result equals the one computed without a callback.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import pytest

from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.risk import Uniform
from crisisops.scenarios import (
    DemandShift,
    DrillPolicy,
    ShopProfile,
    ShopRun,
    SupplierOutage,
    run_drill,
    simulate_shop,
)
from crisisops.scenarios.whatif import Alternative, Uncertain, compare_alternatives

START = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.timedelta(days=1)


def _recorder() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    return calls, progress


@functools.cache
def _profile() -> ShopProfile:
    return ShopProfile.default(START, skus=10, days=100, suppliers=3)


def _slump() -> DemandShift:
    return DemandShift(
        key="slump", onset=START + 70 * DAY, end=START + 80 * DAY, traffic_factor=0.3
    )


def _outage() -> SupplierOutage:
    return SupplierOutage(
        key="outage",
        failed=["supplier-01"],
        onset=START + 65 * DAY,
        end=START + 85 * DAY,
    )


@functools.cache
def _run() -> ShopRun:
    return simulate_shop(_profile(), [_slump(), _outage()], seed=1)


def _rises_to_the_total(calls: list[tuple[int, int]], total: int) -> None:
    assert [(done, total) for done in range(1, total + 1)] == calls


# --- drills ---------------------------------------------------------------------


def test_a_drill_reports_the_warning_step_then_each_crisis() -> None:
    calls, progress = _recorder()
    report = run_drill(_run(), seed=7, progress=progress)

    assert report.crises  # the slump and the outage are found
    _rises_to_the_total(calls, 1 + len(report.crises))
    assert report == run_drill(_run(), seed=7)


def test_a_drill_without_crises_reports_its_one_step() -> None:
    quiet = simulate_shop(_profile(), seed=2)
    calls, progress = _recorder()
    report = run_drill(quiet, seed=7, policy=DrillPolicy(k=50.0), progress=progress)

    assert () == report.crises
    assert [(1, 1)] == calls


@pytest.mark.parametrize("progress", ["bar", 3, [print]])
def test_a_drill_refuses_a_progress_that_is_not_callable(progress: object) -> None:
    with pytest.raises(InvalidTypeError, match="'progress'"):
        run_drill(_run(), seed=7, progress=progress)  # type: ignore[arg-type]


# --- what-ifs -------------------------------------------------------------------


DEPTH = Uncertain(
    key="depth",
    target="slump",
    field="traffic_factor",
    distribution=Uniform(low=0.2, high=0.5),
)
PERSISTENCE = Uncertain(
    key="persistence",
    target="policy",
    field="persistence",
    distribution=Uniform(low=1.0, high=3.0),
)
ALTERNATIVES = (
    Alternative(key="base"),
    Alternative(key="no_outage", remove=["outage"]),
)


@pytest.mark.parametrize(
    ("parameter", "mode"),
    [
        (DEPTH, "drill"),  # a simulation and a drill per run
        (DEPTH, "losses"),  # a simulation per run
        (PERSISTENCE, "drill"),  # one batch per alternative, a drill per run
    ],
    ids=["per-run-drilled", "per-run-losses", "batch-drilled"],
)
def test_a_what_if_reports_each_run_of_each_alternative(
    parameter: Uncertain, mode: str
) -> None:
    calls, progress = _recorder()
    arguments: dict[str, Any] = {
        "parameters": [parameter],
        "runs": 2,
        "seed": 4,
        "drill": mode == "drill",
    }

    report = compare_alternatives(
        _profile(), [_slump(), _outage()], ALTERNATIVES, progress=progress, **arguments
    )

    _rises_to_the_total(calls, len(ALTERNATIVES) * 2)
    assert report == compare_alternatives(
        _profile(), [_slump(), _outage()], ALTERNATIVES, **arguments
    )


def test_a_batch_without_drills_reports_once_per_alternative() -> None:
    calls, progress = _recorder()
    report = compare_alternatives(
        _profile(),
        [_slump()],
        [Alternative(key="a"), Alternative(key="b"), Alternative(key="c")],
        runs=4,
        seed=1,
        drill=False,
        progress=progress,
    )
    # 3 alternatives × 4 runs, four runs at a time.
    assert [(4, 12), (8, 12), (12, 12)] == calls
    assert 4 == report.summary("c", "loss").count


def test_a_what_if_refuses_a_progress_that_is_not_callable() -> None:
    with pytest.raises(InvalidTypeError, match="'progress'"):
        compare_alternatives(
            _profile(),
            [_slump()],
            [Alternative(key="base")],
            runs=1,
            seed=1,
            progress="tqdm",  # type: ignore[arg-type]
        )


def test_a_what_if_that_fails_its_checks_reports_nothing() -> None:
    calls, progress = _recorder()
    with pytest.raises(ValidationError, match="'runs'"):
        compare_alternatives(
            _profile(),
            [_slump()],
            [Alternative(key="base")],
            runs=0,
            seed=1,
            progress=progress,
        )
    assert [] == calls
