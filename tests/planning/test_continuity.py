"""ISO 22301 business impact analysis: MTPD, RTO, RPO, MBCO and recovery gaps."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.planning.continuity import (
    BusinessImpactAnalysis,
    ContinuityObjective,
    CriticalActivity,
    DependencyGap,
    ImpactOverTime,
    ImpactPoint,
    MinimumServiceLevel,
    RecoveryCheck,
    RecoveryGap,
    check_recovery,
)
from crisisops.planning.impact import ImpactDimension
from crisisops.serialization import from_data, to_data

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


def _round_trip(value: Any) -> Any:
    text = json.dumps(to_data(value), allow_nan=False, ensure_ascii=False)
    return from_data(type(value), json.loads(text))


def _checkout(**changes: Any) -> CriticalActivity:
    fields: dict[str, Any] = {
        "key": "checkout",
        "name": "Checkout and payment",
        "mtpd": 4 * HOUR,
        "rto": HOUR,
        "rpo": 15 * MINUTE,
        "mbco": MinimumServiceLevel(fraction=0.6, description="60 % of orders"),
    }
    fields.update(changes)
    return CriticalActivity(**fields)


def test_the_objectives_carry_bilingual_names() -> None:
    assert "恢復時間目標" == ContinuityObjective.RTO.labels.zh_hant
    assert "最大可容忍中断时间" == ContinuityObjective.MTPD.labels.zh_hans
    assert ["MTPD", "RTO", "RPO", "MBCO"] == [o.name for o in ContinuityObjective]


# --- RTO < MTPD and the other field checks --------------------------------------------


@pytest.mark.parametrize("rto", [4 * HOUR, 5 * HOUR])
def test_an_rto_not_shorter_than_the_mtpd_is_rejected(rto: dt.timedelta) -> None:
    with pytest.raises(
        ValidationError, match=re.escape("'rto' must be less than mtpd (4:00:00)")
    ):
        _checkout(rto=rto)


def test_an_rto_just_under_the_mtpd_is_accepted() -> None:
    activity = _checkout(rto=4 * HOUR - dt.timedelta(microseconds=1))

    assert activity.rto < activity.mtpd


@pytest.mark.parametrize("field", ["mtpd", "rto"])
@pytest.mark.parametrize("value", [dt.timedelta(0), -HOUR])
def test_mtpd_and_rto_must_be_positive(field: str, value: dt.timedelta) -> None:
    with pytest.raises(ValidationError, match=f"'{field}' must be a duration > 0"):
        _checkout(**{field: value})


@pytest.mark.parametrize("field", ["mtpd", "rto", "rpo"])
def test_durations_must_be_timedeltas(field: str) -> None:
    with pytest.raises(
        InvalidTypeError, match=f"'{field}' must be a datetime.timedelta"
    ):
        _checkout(**{field: 3600})


def test_the_rpo_may_be_zero_or_unset_but_not_negative() -> None:
    assert dt.timedelta(0) == _checkout(rpo=dt.timedelta(0)).rpo
    assert _checkout(rpo=None).rpo is None
    with pytest.raises(ValidationError, match="'rpo' must be a duration >= 0"):
        _checkout(rpo=-MINUTE)


@pytest.mark.parametrize(
    ("fields", "error", "text"),
    [
        ({}, ValidationError, "'fraction' must be a fraction in (0, 1]"),
        ({"description": " "}, ValidationError, "'fraction' must be a fraction"),
        ({"fraction": 0}, ValidationError, "'fraction' must be a share"),
        ({"fraction": 1.2}, ValidationError, "'fraction' must be a number in [0, 1]"),
        ({"fraction": math.nan}, ValidationError, "'fraction' must be a finite"),
        ({"fraction": "half"}, InvalidTypeError, "'fraction'"),
        ({"description": 3}, InvalidTypeError, "'description'"),
    ],
)
def test_bad_minimum_service_levels_are_rejected(
    fields: dict[str, Any], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=re.escape(text)):
        MinimumServiceLevel(**fields)


def test_dependencies_and_resources_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"'dependencies\[1\]'.*itself"):
        _checkout(dependencies=["payments", "checkout"])
    with pytest.raises(DuplicateKeyError, match="'payments'"):
        _checkout(dependencies=["payments", "payments"])
    with pytest.raises(ValidationError, match=r"'dependencies\[0\]'"):
        _checkout(dependencies=["Payment Gateway"])
    with pytest.raises(DuplicateKeyError, match="'payment gateway'"):
        _checkout(resources=["payment gateway", "payment gateway"])
    with pytest.raises(InvalidTypeError, match="'resources'"):
        _checkout(resources="payment gateway")
    with pytest.raises(InvalidTypeError, match="'mbco'"):
        _checkout(mbco=0.6)
    with pytest.raises(ValidationError, match="'key'"):
        _checkout(key="Check Out")
    with pytest.raises(ValidationError, match="'name'"):
        _checkout(name="")


# --- impacts over time ----------------------------------------------------------------


def _curve(*scores: int, unacceptable: int = 4) -> ImpactOverTime:
    return ImpactOverTime(
        points=[
            ImpactPoint(elapsed=(i + 1) * HOUR, scores={"financial": s, "brand": 1})
            for i, s in enumerate(scores)
        ],
        unacceptable=unacceptable,
    )


def test_the_mtpd_implied_by_the_impacts_is_the_first_unacceptable_time() -> None:
    # scores 2, 3, 4, 5 at hours 1..4: the first 4 is at hour 3
    assert 3 * HOUR == _curve(2, 3, 4, 5).first_unacceptable()
    assert 4 * HOUR == _curve(2, 3, 4, 5, unacceptable=5).first_unacceptable()
    assert _curve(1, 2, 3).first_unacceptable() is None


def test_an_mtpd_beyond_the_unacceptable_time_is_rejected() -> None:
    curve = _curve(2, 3, 4, 5)

    assert 3 * HOUR == _checkout(mtpd=3 * HOUR, impacts=curve).mtpd
    with pytest.raises(
        ValidationError, match=re.escape("'mtpd' must be at most 3:00:00")
    ):
        _checkout(mtpd=4 * HOUR, impacts=curve)


def test_bad_impact_curves_are_rejected() -> None:
    with pytest.raises(ValidationError, match=r"'points\[1\]\.elapsed'"):
        ImpactOverTime(
            points=[
                ImpactPoint(elapsed=2 * HOUR, scores={"brand": 2}),
                ImpactPoint(elapsed=HOUR, scores={"brand": 3}),
            ]
        )
    with pytest.raises(ValidationError, match=r"'points\[1\]\.scores'"):
        ImpactOverTime(
            points=[
                ImpactPoint(elapsed=HOUR, scores={"brand": 2}),
                ImpactPoint(elapsed=2 * HOUR, scores={"financial": 3}),
            ]
        )
    with pytest.raises(ValidationError, match="impacts do not fall"):
        _curve(3, 2)
    with pytest.raises(ValidationError, match="'points' must be at least 1"):
        ImpactOverTime(points=[])
    with pytest.raises(ValidationError, match="'unacceptable'"):
        _curve(2, unacceptable=1)
    with pytest.raises(InvalidTypeError, match="'unacceptable'"):
        _curve(2, unacceptable=4.0)  # type: ignore[arg-type]


def test_bad_impact_points_are_rejected() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean 'brand'"):
        ImpactPoint(elapsed=HOUR, scores={"brnad": 2})
    with pytest.raises(ValidationError, match=r"scores\['brand'\]. must be a score"):
        ImpactPoint(elapsed=HOUR, scores={"brand": 6})
    with pytest.raises(InvalidTypeError, match=r"scores\['brand'\]"):
        ImpactPoint(elapsed=HOUR, scores={"brand": 2.0})
    with pytest.raises(ValidationError, match="'scores' must be at least one"):
        ImpactPoint(elapsed=HOUR, scores={})
    with pytest.raises(DuplicateKeyError, match=r"dimension \(in scores\) 'brand'"):
        ImpactPoint(elapsed=HOUR, scores={"brand": 2, ImpactDimension.BRAND: 3})
    with pytest.raises(InvalidTypeError, match=r"scores\['brand'\]"):
        ImpactPoint(elapsed=HOUR, scores={"brand": True})
    with pytest.raises(ValidationError, match="'elapsed' must be a duration > 0"):
        ImpactPoint(elapsed=dt.timedelta(0), scores={"brand": 2})
    assert (
        ImpactDimension.BRAND in ImpactPoint(elapsed=HOUR, scores={"brand": 2}).scores
    )


# --- recovery gaps, by hand -----------------------------------------------------------


def test_a_plan_exactly_on_every_objective_meets_them() -> None:
    check = check_recovery(
        _checkout(), recovery_time=HOUR, data_lost=15 * MINUTE, service_level=0.6
    )

    assert check.meets_objectives
    assert () == check.gaps
    assert () == check.unchecked
    assert dt.timedelta(0) == check.rto_margin
    assert 3 * HOUR == check.mtpd_margin  # 4 h − 1 h


def test_a_late_plan_misses_the_rto_by_the_difference() -> None:
    check = check_recovery(_checkout(), recovery_time=90 * MINUTE)

    gap = check.gap(ContinuityObjective.RTO)
    assert gap is not None
    assert 30 * MINUTE == gap.excess  # 1 h 30 min − 1 h
    assert check.gap(ContinuityObjective.MTPD) is None
    assert -30 * MINUTE == check.rto_margin
    assert 150 * MINUTE == check.mtpd_margin  # 4 h − 1 h 30 min
    assert "RTO missed by 0:30:00 (1:30:00 vs 1:00:00)" == gap.describe()


def test_a_plan_past_the_mtpd_misses_both_time_objectives_worst_first() -> None:
    check = check_recovery(_checkout(), recovery_time=5 * HOUR)

    assert [ContinuityObjective.MTPD, ContinuityObjective.RTO] == [
        gap.objective for gap in check.gaps
    ]
    assert [HOUR, 4 * HOUR] == [gap.excess for gap in check.gaps]  # 5−4, 5−1
    assert -HOUR == check.mtpd_margin


def test_resuming_exactly_at_the_mtpd_is_still_tolerable() -> None:
    check = check_recovery(_checkout(), recovery_time=4 * HOUR)

    assert check.gap(ContinuityObjective.MTPD) is None
    assert check.gap(ContinuityObjective.RTO) is not None


def test_data_and_service_gaps() -> None:
    check = check_recovery(
        _checkout(),
        recovery_time=30 * MINUTE,
        data_lost=20 * MINUTE,
        service_level=0.45,
    )

    rpo = check.gap(ContinuityObjective.RPO)
    mbco = check.gap(ContinuityObjective.MBCO)
    assert rpo is not None
    assert mbco is not None
    assert 5 * MINUTE == rpo.excess  # 20 min lost vs 15 min allowed
    assert mbco.shortfall is not None
    assert math.isclose(0.15, mbco.shortfall)  # 0.60 − 0.45
    assert mbco.excess is None
    assert rpo.shortfall is None
    assert "MBCO missed by 15% (45% vs 60% of capacity)" == mbco.describe()


def test_objectives_without_plan_figures_are_reported_unchecked() -> None:
    described = _checkout(mbco=MinimumServiceLevel(description="key customers only"))

    check = check_recovery(described, recovery_time=HOUR, service_level=0.1)

    assert (ContinuityObjective.RPO, ContinuityObjective.MBCO) == check.unchecked
    assert check.meets_objectives
    bare = check_recovery(_checkout(rpo=None, mbco=None), recovery_time=HOUR)
    assert () == bare.unchecked


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"recovery_time": -MINUTE}, ValidationError, "recovery_time"),
        ({"recovery_time": 60}, InvalidTypeError, "recovery_time"),
        ({"recovery_time": HOUR, "data_lost": -MINUTE}, ValidationError, "data_lost"),
        ({"recovery_time": HOUR, "data_lost": 5}, InvalidTypeError, "data_lost"),
        (
            {"recovery_time": HOUR, "service_level": 1.5},
            ValidationError,
            "service_level",
        ),
        (
            {"recovery_time": HOUR, "service_level": math.nan},
            ValidationError,
            "service_level",
        ),
        (
            {"recovery_time": HOUR, "service_level": True},
            InvalidTypeError,
            "service_level",
        ),
    ],
)
def test_check_recovery_rejects_bad_plans(
    arguments: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=f"'{field}'"):
        check_recovery(_checkout(), **arguments)


def test_check_recovery_needs_an_activity() -> None:
    with pytest.raises(InvalidTypeError, match="'activity'"):
        check_recovery("checkout", recovery_time=HOUR)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'objective'"):
        check_recovery(_checkout(), recovery_time=HOUR).gap("rto")  # type: ignore[arg-type]


# --- the analysis as a whole ----------------------------------------------------------


def _bia() -> BusinessImpactAnalysis:
    return BusinessImpactAnalysis(
        activities=[
            _checkout(dependencies=["payments", "catalog"]),
            CriticalActivity(
                key="payments", name="Payment gateway", mtpd=6 * HOUR, rto=3 * HOUR
            ),
            CriticalActivity(
                key="catalog",
                name="Product catalog",
                mtpd=2 * HOUR,
                rto=30 * MINUTE,
                dependencies=["checkout"],  # mutual dependencies are allowed
            ),
            CriticalActivity(
                key="fulfilment",
                name="Picking and shipping",
                mtpd=48 * HOUR,
                rto=3 * HOUR,
                resources=["warehouse staff", "courier pickup"],
            ),
        ]
    )


def test_activities_in_priority_order() -> None:
    # by RTO: catalog 30 min, checkout 1 h, then payments and fulfilment at
    # 3 h, ordered by MTPD (6 h before 48 h)
    assert ["catalog", "checkout", "payments", "fulfilment"] == [
        activity.key for activity in _bia().priority_order()
    ]


def test_a_dependency_due_back_later_than_its_dependent_is_a_gap() -> None:
    gaps = _bia().dependency_gaps()

    # checkout (RTO 1 h) needs payments (RTO 3 h): 2 h too late;
    # checkout needs catalog (30 min) and catalog needs checkout (1 h): 30 min
    assert [
        DependencyGap(
            activity="checkout",
            dependency="payments",
            activity_rto=HOUR,
            dependency_rto=3 * HOUR,
        ),
        DependencyGap(
            activity="catalog",
            dependency="checkout",
            activity_rto=30 * MINUTE,
            dependency_rto=HOUR,
        ),
    ] == list(gaps)
    assert [2 * HOUR, 30 * MINUTE] == [gap.excess for gap in gaps]


def test_a_whole_plan_is_checked_activity_by_activity() -> None:
    checks = _bia().check_plan(
        {
            "checkout": 2 * HOUR,
            "payments": HOUR,
            "catalog": 10 * MINUTE,
            "fulfilment": 50 * HOUR,
        },
        data_lost={"checkout": 0 * MINUTE},
        service_levels={"checkout": 0.7},
    )

    assert ["checkout", "payments", "catalog", "fulfilment"] == [
        c.activity for c in checks
    ]
    assert [
        [ContinuityObjective.RTO],
        [],
        [],
        [ContinuityObjective.MTPD, ContinuityObjective.RTO],
    ] == [[gap.objective for gap in check.gaps] for check in checks]


def test_a_plan_must_cover_known_activities_with_good_values() -> None:
    bia = _bia()
    plan = {"checkout": HOUR, "payments": HOUR, "catalog": HOUR, "fulfilment": HOUR}

    with pytest.raises(ValidationError, match=r"'recovery_times' .*\['fulfilment'\]"):
        bia.check_plan({"checkout": HOUR, "payments": HOUR, "catalog": HOUR})
    with pytest.raises(UnknownKeyError, match="did you mean 'checkout'"):
        bia.check_plan({**plan, "chekout": HOUR})
    with pytest.raises(UnknownKeyError, match="in data_lost"):
        bia.check_plan(plan, data_lost={"nope": HOUR})
    with pytest.raises(ValidationError, match=re.escape("recovery_times['payments']")):
        bia.check_plan({**plan, "payments": -HOUR})
    with pytest.raises(InvalidTypeError, match=re.escape("service_levels['checkout']")):
        bia.check_plan(plan, service_levels={"checkout": "most"})  # type: ignore[dict-item]
    with pytest.raises(InvalidTypeError, match="'recovery_times'"):
        bia.check_plan([("checkout", HOUR)])  # type: ignore[arg-type]


def test_a_bad_analysis_is_rejected() -> None:
    with pytest.raises(UnknownKeyError) as caught:
        BusinessImpactAnalysis(activities=[_checkout(dependencies=["payment"])])
    assert () == caught.value.suggestions  # nothing close is known
    assert "activities[0].dependencies[0]" in str(caught.value)
    with pytest.raises(UnknownKeyError, match="did you mean 'payments'"):
        BusinessImpactAnalysis(
            activities=[
                _checkout(dependencies=["payment"]),
                CriticalActivity(key="payments", name="P", mtpd=2 * HOUR, rto=HOUR),
            ]
        )
    with pytest.raises(DuplicateKeyError, match="'checkout'"):
        BusinessImpactAnalysis(activities=[_checkout(), _checkout()])
    with pytest.raises(ValidationError, match="'activities' must be at least 1"):
        BusinessImpactAnalysis(activities=[])
    with pytest.raises(UnknownKeyError, match="did you mean 'catalog'"):
        _bia().activity("catalogue")
    with pytest.raises(InvalidTypeError, match="'key'"):
        _bia().activity(1)  # type: ignore[arg-type]
    assert "payments" == _bia().activity("payments").key


def test_a_failed_change_leaves_the_activity_as_it_was() -> None:
    activity = _checkout()

    with pytest.raises(ValidationError):
        attrs.evolve(activity, rto=5 * HOUR)

    assert HOUR == activity.rto


# --- properties and round trips -------------------------------------------------------

_durations = st.timedeltas(dt.timedelta(seconds=1), dt.timedelta(days=30))


@st.composite
def activities(draw: st.DrawFn) -> CriticalActivity:
    mtpd = draw(_durations)
    rto = draw(
        st.timedeltas(dt.timedelta(microseconds=1), mtpd - dt.timedelta(microseconds=1))
    )
    fraction = draw(st.none() | st.floats(0.01, 1.0, allow_nan=False))
    description = draw(st.sampled_from(["", "key customers first"]))
    mbco = (
        None
        if fraction is None and not description
        else MinimumServiceLevel(fraction=fraction, description=description)
    )
    return CriticalActivity(
        key=draw(st.sampled_from(["checkout", "catalog", "fulfilment.picking"])),
        name="activity",
        mtpd=mtpd,
        rto=rto,
        rpo=draw(st.none() | st.timedeltas(dt.timedelta(0), dt.timedelta(days=2))),
        mbco=mbco,
        resources=draw(
            st.lists(st.sampled_from(["staff", "ERP", "courier"]), unique=True)
        ),
    )


@settings(max_examples=40, deadline=None)
@given(activities())
def test_activities_round_trip_through_plain_data(activity: CriticalActivity) -> None:
    assert activity == _round_trip(activity)


@settings(max_examples=100, deadline=None)
@given(_durations, _durations)
def test_an_rto_is_accepted_exactly_when_it_is_shorter_than_the_mtpd(
    mtpd: dt.timedelta, rto: dt.timedelta
) -> None:
    if rto < mtpd:
        assert rto == CriticalActivity(key="a", name="a", mtpd=mtpd, rto=rto).rto
    else:
        with pytest.raises(ValidationError, match="'rto'"):
            CriticalActivity(key="a", name="a", mtpd=mtpd, rto=rto)


@settings(max_examples=60, deadline=None)
@given(
    activities(),
    st.timedeltas(dt.timedelta(0), dt.timedelta(days=40)),
    st.none() | st.timedeltas(dt.timedelta(0), dt.timedelta(days=3)),
    st.none() | st.floats(0, 1, allow_nan=False),
)
def test_gaps_match_the_rules_and_round_trip(
    activity: CriticalActivity,
    recovery: dt.timedelta,
    lost: dt.timedelta | None,
    level: float | None,
) -> None:
    check = check_recovery(
        activity, recovery_time=recovery, data_lost=lost, service_level=level
    )
    missed = {gap.objective for gap in check.gaps}

    assert (recovery > activity.mtpd) == (ContinuityObjective.MTPD in missed)
    assert (recovery > activity.rto) == (ContinuityObjective.RTO in missed)
    assert (ContinuityObjective.MTPD in missed) <= (ContinuityObjective.RTO in missed)
    assert check.rto_margin == activity.rto - recovery
    assert check.mtpd_margin - check.rto_margin == activity.mtpd - activity.rto
    for gap in check.gaps:
        assert (gap.excess is not None and gap.excess > dt.timedelta(0)) or (
            gap.shortfall is not None and gap.shortfall > 0
        )
    assert check == _round_trip(check)
    assert not set(check.unchecked) & missed


def test_every_bia_value_round_trips() -> None:
    curve = _curve(2, 3, 4)
    values: list[Any] = [
        _bia(),
        curve,
        _checkout(mtpd=3 * HOUR, impacts=curve),
        RecoveryGap(
            objective=ContinuityObjective.MBCO, target_level=0.5, planned_level=0.2
        ),
        RecoveryCheck(activity="checkout", recovery_time=HOUR, mtpd=2 * HOUR, rto=HOUR),
        DependencyGap(
            activity="a", dependency="b", activity_rto=HOUR, dependency_rto=2 * HOUR
        ),
    ]

    for value in values:
        assert value == _round_trip(value)
