"""Fleet evaluation gives exactly the single-process `evaluate` result.

`crisisops.fleet` splits a panel by entity, evaluates each partition on its
own (in this thread, or on Dask) and merges the pieces. Every test here
compares the merged `Evaluation` with ``evaluate`` on the whole panel: the
events and alerts (as values and as plain data, in the same order), the final
monitor's state and open alerts, and the monitor continuing with new data.
The rules cover every shape of rule group (the lean path, several tiers,
M-of-N, no-data alerts, cooldown, clear conditions), every kind of signal and
chart, NaNs, and calibrated, re-calibrated threshold sets.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    MissingExtraError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.fleet import (
    DEFAULT_PARTITION_SIZE,
    SCHEDULERS,
    evaluate_fleet,
    evaluate_partitioned,
    evaluate_shops,
    partition_panel,
)
from crisisops.frozen import FrozenDict
from crisisops.monitoring import (
    Above,
    AllOf,
    Below,
    BoundSpec,
    Calibrated,
    Change,
    Consecutive,
    CUSUMChart,
    Evaluation,
    EventKind,
    EWMAChart,
    LevelShift,
    MeanSigma,
    MissingData,
    MOfN,
    Outside,
    Panel,
    PreviousValue,
    Quantile,
    Raw,
    RollingZScore,
    Side,
    Threshold,
    ThresholdSet,
    Tier,
    TrailingMean,
    TrailingMedian,
    TriggerRule,
    WarmupReference,
    calibrate,
    evaluate,
)
from crisisops.serialization import to_data
from crisisops.taxonomy import ResponseLevel

GMV = "sales.gmv"
REVIEWS = "feedback.negative_reviews"
NAN = math.nan
TAIPEI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 2, tzinfo=TAIPEI)


# --- builders -------------------------------------------------------------------


def _days(count: int, first: int = 0) -> list[dt.datetime]:
    return [START + dt.timedelta(days=first + i) for i in range(count)]


def _rule(name: str, tiers: list[Tier], **options: Any) -> TriggerRule:
    return TriggerRule(
        name=name, crisis_type="market.demand_shift", tiers=tiers, **options
    )


def _rules() -> list[TriggerRule]:
    """One rule of every shape the monitor groups rules by, on every signal."""
    low = Threshold(signal=Raw(GMV), predicate=Below(Calibrated("gmv_low")))
    drop = Change(metric=GMV, baseline=TrailingMean(window=3, min_periods=2))
    return [
        # Lean: one tier, a consecutive run, resolution on the first clean day.
        _rule("calibrated_low", [Tier(ResponseLevel.IV, low)]),
        _rule(
            "previous_jump",
            [
                Tier(
                    ResponseLevel.IV,
                    Threshold(
                        signal=Change(metric=GMV, baseline=PreviousValue()),
                        predicate=Outside(-30.0, 30.0),
                    ),
                )
            ],
            missing=MissingData.AS_BREACH,
        ),
        # Two tiers, hysteresis by clear_after, cooldown, held over gaps.
        _rule(
            "drop",
            [
                Tier(ResponseLevel.IV, Threshold(signal=drop, predicate=Below(-0.1))),
                Tier(ResponseLevel.III, Threshold(signal=drop, predicate=Below(-0.3))),
            ],
            persistence=Consecutive(2),
            clear_after=2,
            cooldown=1,
            missing=MissingData.HOLD,
        ),
        # M of N with no-data alerts.
        _rule(
            "median_z",
            [
                Tier(
                    ResponseLevel.IV,
                    Threshold(
                        signal=RollingZScore(
                            metric=REVIEWS, window=4, min_periods=2, robust=True
                        ),
                        predicate=Above(1.5),
                    ),
                )
            ],
            persistence=MOfN(2, 3),
            missing=MissingData.NO_DATA,
            max_gap=2,
        ),
        # Control charts in two tiers, and a clear condition.
        _rule(
            "charts",
            [
                Tier(
                    ResponseLevel.IV,
                    EWMAChart(
                        metric=GMV, reference=WarmupReference(3), side=Side.LOWER
                    ),
                ),
                Tier(
                    ResponseLevel.III,
                    CUSUMChart(
                        metric=GMV, reference=WarmupReference(3), side=Side.LOWER, h=3.0
                    ),
                ),
            ],
            missing=MissingData.AS_CLEAR,
        ),
        _rule(
            "reviews_high",
            [
                Tier(
                    ResponseLevel.IV,
                    AllOf(
                        [
                            Threshold(
                                signal=Raw(REVIEWS),
                                predicate=Above(Calibrated("reviews_high")),
                            ),
                            Threshold(
                                signal=RollingZScore(
                                    metric=REVIEWS, window=3, min_periods=2
                                ),
                                predicate=Above(0.5),
                            ),
                        ]
                    ),
                )
            ],
            clear_condition=Threshold(signal=Raw(REVIEWS), predicate=Below(40.0)),
            missing=MissingData.BREAK,
        ),
        _rule(
            "shifts",
            [
                Tier(
                    ResponseLevel.IV,
                    Threshold(
                        signal=LevelShift(metric=GMV, window=2),
                        predicate=Below(-0.2),
                    ),
                ),
                Tier(
                    ResponseLevel.II,
                    Threshold(
                        signal=Change(
                            metric=GMV, baseline=TrailingMedian(window=3, min_periods=2)
                        ),
                        predicate=Below(-0.5),
                    ),
                ),
            ],
            persistence=Consecutive(1),
        ),
    ]


SPECS = [
    BoundSpec(
        name="gmv_low",
        metric=GMV,
        method=MeanSigma(1.0, side=Side.LOWER),
        min_history=6,
    ),
    BoundSpec(
        name="reviews_high",
        metric=REVIEWS,
        method=Quantile(0.9),
        min_history=6,
        prior=30.0,
    ),
]


def _panel(entities: int, periods: int, seed: int = 7) -> Panel:
    """A random daily panel with slumps, review surges and missing values."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(60.0, 140.0, entities)
    gmv = level * rng.uniform(0.4, 1.4, (periods, entities))
    gmv[rng.random((periods, entities)) < 0.2] *= 0.3
    reviews = rng.poisson(8.0, (periods, entities)).astype(float)
    reviews[rng.random((periods, entities)) < 0.15] *= 6.0
    gmv[rng.random((periods, entities)) < 0.1] = NAN
    reviews[rng.random((periods, entities)) < 0.15] = NAN
    names = [f"sku-{i:03d}" for i in range(entities)]
    return Panel.from_metric_arrays(_days(periods), names, {GMV: gmv, REVIEWS: reviews})


def _thresholds(panel: Panel) -> list[ThresholdSet]:
    """Two versions, fitted on the first 8 and 16 days (NaN where history is short)."""
    first = calibrate(panel.slice(end=panel.timestamps[8]), SPECS, version="v1")
    second = calibrate(panel.slice(end=panel.timestamps[16]), SPECS, version="v2")
    return [first, second]


def _same(expected: Evaluation, actual: Evaluation) -> None:
    """Assert two evaluations are the same, value by value and as plain data."""
    assert expected.event_count == actual.event_count
    assert expected.events == actual.events
    assert expected.alerts == actual.alerts
    assert expected.firing() == actual.firing()
    assert [to_data(e) for e in expected.events] == [to_data(e) for e in actual.events]
    assert [to_data(a) for a in expected.alerts] == [to_data(a) for a in actual.alerts]
    assert expected.monitor == actual.monitor
    assert expected.monitor.state == actual.monitor.state
    assert to_data(expected.monitor.state) == to_data(actual.monitor.state)
    assert expected.monitor.open_alerts == actual.monitor.open_alerts
    assert repr(expected) == repr(actual)


RULES = _rules()
PANEL = _panel(entities=8, periods=24)
THRESHOLDS = _thresholds(PANEL)
WHOLE = evaluate(RULES, PANEL, THRESHOLDS)
#: Fewer rules where the test is about something else than the merge (speed):
#: the lean path, two tiers with cooldown, M of N with no-data alerts.
FEW = RULES[:1] + RULES[2:4]


def test_the_reference_run_exercises_every_kind_of_event() -> None:
    kinds = {event.kind for event in WHOLE.events}
    assert set(EventKind) == kinds
    assert {"v1", "v2"} <= {e.evidence.threshold_version for e in WHOLE.events}
    assert WHOLE.monitor.open_alerts  # some alerts still fire at the end
    assert len({event.rule for event in WHOLE.events}) == len(RULES)


# --- equality -------------------------------------------------------------------


@pytest.mark.parametrize("parts", [1, 3])
def test_evaluate_partitioned_equals_evaluate(parts: int) -> None:
    _same(WHOLE, evaluate_partitioned(RULES, PANEL, THRESHOLDS, partitions=parts))


@pytest.mark.parametrize(
    ("scheduler", "parts"),
    [("synchronous", 8), ("threads", 3)],  # 8: one partition per entity
)
def test_evaluate_fleet_equals_evaluate(scheduler: str, parts: int) -> None:
    fleet = evaluate_fleet(
        RULES, PANEL, THRESHOLDS, partitions=parts, scheduler=scheduler
    )
    _same(WHOLE, fleet)


def test_partitions_by_a_mapping_interleave_and_still_merge_exactly() -> None:
    # Every third SKU in one shop: partitions are not contiguous runs.
    shops = {sku: f"shop-{i % 3}" for i, sku in enumerate(PANEL.entities)}
    fleet = evaluate_fleet(
        RULES, PANEL, THRESHOLDS, partitions=shops, scheduler="threads"
    )
    _same(WHOLE, fleet)


def test_the_merged_monitor_continues_exactly_like_the_single_runs() -> None:
    more = _panel(entities=8, periods=30, seed=8).slice(start=_days(1, 24)[0])
    fleet = evaluate_partitioned(RULES, PANEL, THRESHOLDS, partitions=3)

    expected = WHOLE.monitor.run(more)
    actual = fleet.monitor.run(more)

    assert expected.events == actual.events
    assert expected.alerts == actual.alerts
    assert expected.monitor.state == actual.monitor.state


def test_given_partitions_stand_for_the_panel_of_their_entities_in_order() -> None:
    parts = [
        PANEL.select(entities=PANEL.entities[5:]),
        PANEL.select(entities=PANEL.entities[:2]),
        PANEL.select(entities=PANEL.entities[2:5]),
    ]
    joined = PANEL.select(entities=[e for p in parts for e in p.entities])

    expected = evaluate(RULES, joined, THRESHOLDS)

    _same(expected, evaluate_fleet(RULES, tuple(parts), THRESHOLDS))


def test_a_panel_without_periods_evaluates_to_nothing_but_a_fresh_monitor() -> None:
    empty = PANEL.slice(end=PANEL.timestamps[0])
    _same(evaluate(RULES, empty), evaluate_partitioned(RULES, empty, partitions=3))


def test_the_default_partition_size_keeps_a_small_panel_whole() -> None:
    assert DEFAULT_PARTITION_SIZE >= PANEL.n_entities
    calls: list[tuple[int, int]] = []
    evaluate_partitioned(FEW, PANEL, THRESHOLDS, progress=_record(calls))
    assert [(1, 1)] == calls


entity_counts = st.integers(min_value=1, max_value=5)


@st.composite
def small_panels(draw: st.DrawFn) -> Panel:
    entities = draw(entity_counts)
    periods = draw(st.integers(min_value=1, max_value=10))
    value = st.one_of(
        st.just(NAN),
        st.sampled_from([0.0, 5.0, 20.0, 45.0, 60.0, 100.0]),
        st.floats(min_value=0.0, max_value=150.0, width=32),
    )
    cells = st.lists(value, min_size=entities * periods, max_size=entities * periods)
    gmv = np.reshape(draw(cells), (periods, entities))
    reviews = np.reshape(draw(cells), (periods, entities))
    names = [f"e{i}" for i in range(entities)]
    return Panel.from_metric_arrays(_days(periods), names, {GMV: gmv, REVIEWS: reviews})


def _fixed_thresholds(panel: Panel, data: st.DataObject) -> list[ThresholdSet]:
    """A set valid from the third day, with NaN and unknown entities."""
    bound = st.one_of(st.just(NAN), st.floats(min_value=0.0, max_value=120.0))
    known = [*panel.entities[::2], "not-in-the-panel"]
    arrays = {
        name: data.draw(st.lists(bound, min_size=len(known), max_size=len(known)))
        for name in ("gmv_low", "reviews_high")
    }
    return [
        ThresholdSet(
            version="fixed",
            fitted_through=START + dt.timedelta(days=1),
            valid_from=START + dt.timedelta(days=2),
            entities=known,
            bounds=arrays,
        )
    ]


#: The hypothesis tests run one rule of each group shape on a small panel.
SHAPES = [*FEW, RULES[5]]


@settings(max_examples=15, deadline=None)
@given(small_panels(), st.integers(min_value=1, max_value=6), st.data())
def test_any_partition_count_gives_the_single_run(
    panel: Panel, parts: int, data: st.DataObject
) -> None:
    thresholds = _fixed_thresholds(panel, data)
    _same(
        evaluate(SHAPES, panel, thresholds),
        evaluate_partitioned(SHAPES, panel, thresholds, partitions=parts),
    )


@settings(max_examples=8, deadline=None)
@given(small_panels(), st.data())
def test_any_grouping_of_entities_gives_the_single_run(
    panel: Panel, data: st.DataObject
) -> None:
    groups = data.draw(
        st.lists(
            st.sampled_from(["a", "b", "c"]),
            min_size=panel.n_entities,
            max_size=panel.n_entities,
        )
    )
    mapping = dict(zip(panel.entities, groups, strict=True))
    thresholds = _fixed_thresholds(panel, data)
    _same(
        evaluate(SHAPES, panel, thresholds),
        evaluate_fleet(SHAPES, panel, thresholds, partitions=mapping),
    )


# --- partitions -------------------------------------------------------------------


def test_partition_panel_cuts_contiguous_runs_of_nearly_equal_size() -> None:
    # 8 entities in 3: 8 = 2·3 + 2, so two of 3 then one of 2.
    parts = partition_panel(PANEL, 3)
    assert [3, 3, 2] == [p.n_entities for p in parts]
    assert PANEL.entities == tuple(e for p in parts for e in p.entities)
    for part in parts:
        assert PANEL.timestamps == part.timestamps
        assert PANEL.metrics == part.metrics
        assert PANEL.select(entities=part.entities) == part


def test_more_partitions_than_entities_gives_one_per_entity() -> None:
    parts = partition_panel(PANEL, 100)
    assert [(e,) for e in PANEL.entities] == [p.entities for p in parts]
    assert (PANEL,) == partition_panel(PANEL, 1)


def test_partitions_by_key_follow_first_appearance_and_ignore_other_entities() -> None:
    mapping = {e: ("odd" if i % 2 else "even") for i, e in enumerate(PANEL.entities)}
    mapping["sku-elsewhere"] = "other"
    even, odd = partition_panel(PANEL, mapping)
    assert PANEL.entities[::2] == even.entities
    assert PANEL.entities[1::2] == odd.entities
    one_shop = dict.fromkeys(PANEL.entities, "all")
    assert (PANEL,) == partition_panel(PANEL, one_shop)


#: Partition keys that are not text.
NUMBERED: dict[str, Any] = dict.fromkeys(PANEL.entities, 3)


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda: partition_panel(PANEL, 0), ValidationError, "'parts'"),
        (lambda: partition_panel(PANEL, -2), ValidationError, "'parts'"),
        (lambda: partition_panel(PANEL, parts=True), InvalidTypeError, "'parts'"),
        (lambda: partition_panel(PANEL, 2.0), InvalidTypeError, "'parts'"),  # type: ignore[arg-type]
        (lambda: partition_panel("panel", 2), InvalidTypeError, "'panel'"),  # type: ignore[arg-type]
        (
            lambda: partition_panel(PANEL, {"sku-000": "a"}),
            ValidationError,
            "'sku-001'",
        ),
        (
            lambda: partition_panel(PANEL, NUMBERED),
            InvalidTypeError,
            "parts['sku-000']",
        ),
    ],
)
def test_partition_panel_rejects_bad_input(
    call: Callable[[], object], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text.replace("[", r"\[").replace("]", r"\]")):
        call()


# --- progress -------------------------------------------------------------------


def _record(calls: list[tuple[int, int]]) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    return progress


@pytest.mark.parametrize("scheduler", [None, "synchronous", "threads"])
def test_progress_counts_the_partitions_up_to_the_total(scheduler: str | None) -> None:
    calls: list[tuple[int, int]] = []
    result = evaluate_fleet(
        FEW,
        PANEL,
        THRESHOLDS,
        partitions=4,
        scheduler=scheduler,
        progress=_record(calls),
    )
    assert [(1, 4), (2, 4), (3, 4), (4, 4)] == calls
    _same(evaluate(FEW, PANEL, THRESHOLDS), result)


def test_progress_of_evaluate_partitioned() -> None:
    calls: list[tuple[int, int]] = []
    evaluate_partitioned(FEW, PANEL, partitions=3, progress=_record(calls))
    assert [(1, 3), (2, 3), (3, 3)] == calls


# --- many shops -----------------------------------------------------------------


def _shops() -> dict[str, Panel]:
    return {
        "north": _panel(entities=4, periods=20, seed=1),
        "south": _panel(entities=2, periods=18, seed=2),
        "west": _panel(entities=5, periods=20, seed=3).select(metrics=[REVIEWS, GMV]),
    }


def test_evaluate_shops_gives_each_shop_its_own_single_run() -> None:
    shops = _shops()
    per_shop = {key: _thresholds(panel) for key, panel in shops.items()}
    del per_shop["south"]  # a new shop without calibrated bounds
    calls: list[tuple[int, int]] = []

    results = evaluate_shops(
        FEW,
        shops,
        per_shop,
        partitions=2,
        scheduler="threads",
        progress=_record(calls),
    )

    assert isinstance(results, FrozenDict)
    assert list(shops) == list(results)
    for key, panel in shops.items():
        _same(evaluate(FEW, panel, per_shop.get(key, ())), results[key])
    # Each shop in at most two partitions: 2 + 2 + 2.
    assert [(i, 6) for i in range(1, 7)] == calls


def test_evaluate_shops_takes_a_list_and_shared_thresholds() -> None:
    panels = list(_shops().values())
    shared = _thresholds(panels[0])
    results = evaluate_shops(FEW, panels, shared, scheduler=None)
    assert isinstance(results, tuple)
    for panel, result in zip(panels, results, strict=True):
        _same(evaluate(FEW, panel, shared), result)
    assert FrozenDict() == evaluate_shops(FEW, {}, scheduler="synchronous")


def test_evaluate_shops_rejects_bad_input() -> None:
    shops = _shops()
    with pytest.raises(UnknownKeyError, match="did you mean 'north'"):
        evaluate_shops(RULES, shops, {"nort": []})
    with pytest.raises(ValidationError, match="'thresholds'"):
        evaluate_shops(RULES, list(shops.values()), {"north": []})  # type: ignore[dict-item]
    with pytest.raises(InvalidTypeError, match=r"shops\['south'\]"):
        evaluate_shops(RULES, {"south": "panel"})  # type: ignore[dict-item]
    with pytest.raises(InvalidTypeError, match="'shops'"):
        evaluate_shops(RULES, "shops")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'partitions'"):
        evaluate_shops(RULES, shops, partitions=0)
    with pytest.raises(InvalidTypeError, match="'thresholds'"):
        evaluate_shops(RULES, shops, 5)  # type: ignore[call-overload]


# --- bad input ------------------------------------------------------------------


def _call_with(**changes: Any) -> Callable[[], object]:
    arguments: dict[str, Any] = {
        "rules": RULES,
        "data": PANEL,
        "thresholds": THRESHOLDS,
        "partitions": 2,
        "scheduler": "synchronous",
        "progress": None,
    }
    arguments.update(changes)
    rules = arguments.pop("rules")
    data = arguments.pop("data")
    thresholds = arguments.pop("thresholds")
    return lambda: evaluate_fleet(rules, data, thresholds, **arguments)


OTHER_DAYS = Panel.from_metric_arrays(
    _days(40, 1), ["x"], {GMV: np.ones((40, 1)), REVIEWS: np.ones((40, 1))}
)


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (_call_with(scheduler="thread"), UnknownKeyError, "did you mean 'threads'"),
        (_call_with(scheduler=4), InvalidTypeError, "'scheduler'"),
        (_call_with(progress="bar"), InvalidTypeError, "'progress'"),
        (_call_with(partitions=0), ValidationError, "'partitions'"),
        (_call_with(partitions=1.5), InvalidTypeError, "'partitions'"),
        (_call_with(data="panel"), InvalidTypeError, "'data'"),
        (_call_with(data=[], partitions=None), ValidationError, "'data'"),
        (_call_with(data=[PANEL, "x"], partitions=None), InvalidTypeError, "data"),
        (_call_with(data=[PANEL, PANEL]), ValidationError, "'partitions'"),
        (
            _call_with(data=[PANEL, PANEL], partitions=None),
            DuplicateKeyError,
            "'sku-000'",
        ),
        (
            _call_with(data=[PANEL, OTHER_DAYS], partitions=None),
            ValidationError,
            "timestamps",
        ),
        (
            _call_with(
                data=[PANEL, PANEL.select(entities=["sku-000"], metrics=[GMV])],
                partitions=None,
            ),
            ValidationError,
            "metrics",
        ),
        (_call_with(data=PANEL.select(metrics=[GMV])), UnknownKeyError, REVIEWS),
        (_call_with(rules=[]), ValidationError, "'rules'"),
        (_call_with(rules=5), InvalidTypeError, "'rules'"),
        (_call_with(rules=[*RULES, RULES[0]]), DuplicateKeyError, "rule"),
        (_call_with(thresholds=["v1"]), InvalidTypeError, "thresholds"),
        (_call_with(thresholds=3), InvalidTypeError, "'thresholds'"),
    ],
)
def test_evaluate_fleet_rejects_bad_input_before_any_work(
    call: Callable[[], object], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text):
        call()


def test_bad_input_never_reaches_the_progress_callback() -> None:
    calls: list[tuple[int, int]] = []
    with pytest.raises(UnknownKeyError):
        evaluate_fleet(
            RULES,
            PANEL.select(metrics=[GMV]),
            partitions=3,
            progress=_record(calls),
        )
    with pytest.raises(ValidationError):
        evaluate_partitioned(RULES, PANEL, partitions=0, progress=_record(calls))
    assert [] == calls


def test_evaluate_partitioned_rejects_bad_input() -> None:
    with pytest.raises(InvalidTypeError, match="'progress'"):
        evaluate_partitioned(RULES, PANEL, progress=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'data'"):
        evaluate_partitioned(RULES, {"a": PANEL})  # type: ignore[arg-type]


def test_the_known_schedulers() -> None:
    assert ("synchronous", "threads", "processes") == SCHEDULERS


def test_without_dask_a_clear_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)  # makes ``import dask`` fail
    with pytest.raises(MissingExtraError, match=r"crisisops\[dask\]"):
        evaluate_fleet(RULES, PANEL, scheduler="threads")
    # Without Dask, evaluate_partitioned (and scheduler=None) still work.
    _same(WHOLE, evaluate_fleet(RULES, PANEL, THRESHOLDS, scheduler=None))


# --- the extra stays optional -------------------------------------------------------


def test_importing_the_fleet_module_does_not_import_dask() -> None:
    code = (
        "import sys, json, crisisops.fleet\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('dask', 'distributed', 'tqdm', 'pandas'))))"
    )
    completed = subprocess.run(  # noqa: S603  our own interpreter, fixed code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert [] == json.loads(completed.stdout)
