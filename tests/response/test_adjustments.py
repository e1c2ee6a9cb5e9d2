"""Rule-based adjustment suggestions: policy, bounds, the four rules, replay."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.monitoring import default_metrics
from crisisops.planning import Playbook, PlaybookStep
from crisisops.response.adjustments import (
    AdjustmentPolicy,
    LevelBounds,
    Suggestion,
    SuggestionKind,
    suggest_adjustments,
)
from crisisops.response.crisis import Crisis
from crisisops.response.records import FeedbackChannel
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import (
    Channel,
    Stakeholder,
    StakeholderGraph,
    plan_communication,
)
from crisisops.taxonomy import ResponseLevel

START = dt.datetime(2026, 6, 18, 9, 0, tzinfo=dt.timezone.utc)
TYPE = "market.traffic_swing"
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def declared(level: ResponseLevel = ResponseLevel.III) -> Crisis:
    return Crisis.declare(
        "traffic_drop_0618",
        title="Traffic fell by half",
        crisis_type=TYPE,
        level=level,
        at=START,
        actor="monitor",
        lead="alice",
    )


def feed(
    crisis: Crisis,
    minute: float,
    volume: int,
    sentiment: float | None = None,
    share: float | None = None,
    kpis: dict[str, float] | None = None,
) -> Crisis:
    return crisis.record_feedback(
        at=at(minute),
        actor="social_team",
        channel=FeedbackChannel.SOCIAL_MEDIA,
        volume=volume,
        sentiment=sentiment,
        negative_share=share,
        kpis=kpis,
    )


def of_kind(
    suggestions: tuple[Suggestion, ...], *kinds: SuggestionKind
) -> list[Suggestion]:
    return [s for s in suggestions if s.kind in kinds]


LEVEL_KINDS = (SuggestionKind.ESCALATE, SuggestionKind.DE_ESCALATE)


# --- SuggestionKind ----------------------------------------------------------------


def test_kinds_carry_the_book_terms_and_the_output_order() -> None:
    assert ["升級響應級別", "降低響應級別", "重新調配資源", "補發溝通"] == [
        kind.labels.zh_hant for kind in SuggestionKind
    ]
    assert [0, 1, 2, 3] == [kind.rank for kind in SuggestionKind]


# --- LevelBounds and AdjustmentPolicy ------------------------------------------------


def test_default_policy_numbers() -> None:
    policy = AdjustmentPolicy.default()

    assert AdjustmentPolicy() == policy
    assert (HOUR, 4 * HOUR, 3, HOUR) == (
        policy.window,
        policy.calm_period,
        policy.min_observations,
        policy.at_risk_within,
    )
    iii = policy.bounds(ResponseLevel.III)
    assert (-0.4, 0.5, -0.1, 0.3) == (
        iii.sentiment_floor,
        iii.negative_share_ceiling,
        iii.recovery_sentiment,
        iii.recovery_negative_share,
    )
    assert not policy.bounds(ResponseLevel.I).escalates
    assert not policy.bounds(ResponseLevel.IV).recovers
    assert all(not b.kpi_limits and not b.recovery_kpis for b in policy.levels.values())


def test_level_bounds_convert_ints_and_accept_level_names() -> None:
    bounds = LevelBounds(sentiment_floor=-1, kpi_limits={"sales.gmv": 1000})
    policy = AdjustmentPolicy(
        levels={
            name: AdjustmentPolicy().levels[ResponseLevel(name)]
            for name in ["I", "II", "III", "IV"]
        }
    )

    assert -1.0 == bounds.sentiment_floor
    assert isinstance(bounds.sentiment_floor, float)
    assert FrozenDict({"sales.gmv": 1000.0}) == bounds.kpi_limits
    assert AdjustmentPolicy() == policy


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"sentiment_floor": -1.5}, ValidationError, "sentiment_floor"),
        ({"negative_share_ceiling": 1.2}, ValidationError, "negative_share_ceiling"),
        ({"recovery_sentiment": float("nan")}, ValidationError, "recovery_sentiment"),
        ({"sentiment_floor": "low"}, InvalidTypeError, "sentiment_floor"),
        ({"kpi_limits": {"Sales GMV": 1.0}}, ValidationError, "kpi_limits key"),
        ({"kpi_limits": {"sales.gmv": "1"}}, InvalidTypeError, "kpi_limits"),
        ({"recovery_kpis": [1.0]}, InvalidTypeError, "recovery_kpis"),
        (
            {"sentiment_floor": -0.4, "recovery_sentiment": -0.5},
            ValidationError,
            "recovery_sentiment",
        ),
        (
            {"negative_share_ceiling": 0.5, "recovery_negative_share": 0.6},
            ValidationError,
            "recovery_negative_share",
        ),
    ],
)
def test_level_bounds_reject_bad_input(
    fields: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        LevelBounds(**fields)

    assert caught.value.field.startswith(field)  # type: ignore[attr-defined]


def default_levels() -> dict[ResponseLevel, LevelBounds]:
    return dict(AdjustmentPolicy().levels)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"window": dt.timedelta(0)}, ValidationError, "window"),
        ({"calm_period": -HOUR}, ValidationError, "calm_period"),
        ({"at_risk_within": -MINUTE}, ValidationError, "at_risk_within"),
        ({"at_risk_within": 60}, InvalidTypeError, "at_risk_within"),
        ({"min_observations": 0}, ValidationError, "min_observations"),
        ({"min_observations": True}, InvalidTypeError, "min_observations"),
        ({"levels": [1, 2]}, InvalidTypeError, "levels"),
        ({"levels": {"V": LevelBounds()}}, UnknownKeyError, "'V'"),
    ],
)
def test_policy_rejects_bad_fields(
    change: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        AdjustmentPolicy(**change)  # type: ignore[arg-type]


def test_policy_needs_every_level() -> None:
    levels = default_levels()
    del levels[ResponseLevel.II]

    with pytest.raises(ValidationError, match="missing"):
        AdjustmentPolicy(levels=levels)


def test_policy_refuses_bounds_that_would_be_ignored() -> None:
    levels = default_levels()
    with pytest.raises(ValidationError, match=r"escalation bounds at Level I \("):
        AdjustmentPolicy(
            levels={**levels, ResponseLevel.I: LevelBounds(sentiment_floor=-0.9)}
        )
    with pytest.raises(ValidationError, match="Level IV"):
        AdjustmentPolicy(
            levels={**levels, ResponseLevel.IV: LevelBounds(recovery_sentiment=0.0)}
        )


def test_policy_refuses_a_recovery_that_the_level_below_would_escalate_again() -> None:
    # Level II recovers at -0.3; Level III escalates below -0.4. A Level II
    # recovery bound of -0.45 would step down on feedback Level III escalates.
    policy = AdjustmentPolicy()
    ii = attrs.evolve(policy.bounds(ResponseLevel.II), recovery_sentiment=-0.45)

    with pytest.raises(ValidationError, match=r"levels\['II'\].recovery_sentiment"):
        policy.with_bounds(ResponseLevel.II, ii)


def test_with_bounds_replaces_one_level() -> None:
    kpi = LevelBounds(
        sentiment_floor=-0.4,
        negative_share_ceiling=0.5,
        kpi_limits={"sales.conversion_rate": 0.02},
        recovery_sentiment=-0.1,
        recovery_negative_share=0.3,
    )
    policy = AdjustmentPolicy().with_bounds(ResponseLevel.III, kpi)

    assert kpi == policy.bounds(ResponseLevel.III)
    assert AdjustmentPolicy().bounds(ResponseLevel.II) == policy.bounds(
        ResponseLevel.II
    )
    with pytest.raises(InvalidTypeError):
        policy.with_bounds("III", kpi)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        policy.with_bounds(ResponseLevel.III, {})  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        policy.bounds("III")  # type: ignore[arg-type]


def test_check_metrics_knows_directions() -> None:
    metrics = default_metrics()
    # conversion rate: higher is better, so recovery must be >= the limit;
    # negative-review rate: lower is better, so recovery must be <= the limit.
    good = AdjustmentPolicy().with_bounds(
        ResponseLevel.II,
        attrs.evolve(
            AdjustmentPolicy().bounds(ResponseLevel.II),
            kpi_limits={
                "sales.conversion_rate": 0.01,
                "feedback.negative_review_rate": 0.2,
            },
            recovery_kpis={
                "sales.conversion_rate": 0.02,
                "feedback.negative_review_rate": 0.1,
            },
        ),
    )
    good.check_metrics(metrics)

    worse = good.with_bounds(
        ResponseLevel.II,
        attrs.evolve(
            good.bounds(ResponseLevel.II),
            recovery_kpis={"feedback.negative_review_rate": 0.3},
        ),
    )
    with pytest.raises(ValidationError, match="negative_review_rate"):
        worse.check_metrics(metrics)

    # Level I's recovery must also be at least as good as Level II's limit.
    below = good.with_bounds(
        ResponseLevel.I,
        attrs.evolve(
            good.bounds(ResponseLevel.I), recovery_kpis={"sales.conversion_rate": 0.005}
        ),
    )
    with pytest.raises(ValidationError, match=r"levels\['II'\]\.kpi_limits"):
        below.check_metrics(metrics)


def test_check_metrics_names_an_unknown_metric() -> None:
    policy = AdjustmentPolicy().with_bounds(
        ResponseLevel.IV, LevelBounds(kpi_limits={"sales.conversion_rat": 0.01})
    )

    with pytest.raises(UnknownKeyError, match=r"sales\.conversion_rate"):
        policy.check_metrics(default_metrics())
    with pytest.raises(InvalidTypeError):
        policy.check_metrics({})  # type: ignore[arg-type]


# --- Suggestion --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"kind": SuggestionKind.ESCALATE, "rule": "reallocate.overdue"}, "rule"),
        ({"kind": SuggestionKind.ESCALATE, "rule": "escalate.x"}, "target_level"),
        (
            {
                "kind": SuggestionKind.REALLOCATE,
                "rule": "reallocate.x",
                "target_level": ResponseLevel.II,
            },
            "target_level",
        ),
        ({"kind": SuggestionKind.REALLOCATE, "rule": "reallocate.x"}, "action"),
        (
            {"kind": SuggestionKind.REALLOCATE, "rule": "reallocate.x", "action": "a"},
            "owner",
        ),
        (
            {
                "kind": SuggestionKind.ESCALATE,
                "rule": "escalate.x",
                "target_level": ResponseLevel.II,
                "owner": "bob",
            },
            "owner",
        ),
        (
            {
                "kind": SuggestionKind.REALLOCATE,
                "rule": "reallocate.x",
                "action": "a",
                "owner": "bob",
                "audience": "customers",
            },
            "audience",
        ),
        (
            {
                "kind": SuggestionKind.COMMUNICATE,
                "rule": "communicate.x",
                "evidence": {"late": float("inf")},
            },
            "evidence",
        ),
        ({"kind": "communicate", "rule": "communicate.x"}, "kind"),
    ],
)
def test_suggestion_fields_must_fit_the_kind(
    fields: dict[str, object], match: str
) -> None:
    with pytest.raises((ValidationError, InvalidTypeError), match=match):
        Suggestion(reason="because", as_of=START, **fields)  # type: ignore[arg-type]


# --- rule 1: escalate -----------------------------------------------------------------


def test_escalates_on_volume_weighted_sentiment_and_pooled_negative_share() -> None:
    # Window (08:50 .. 09:50]: two batches.
    # sentiment = (100 * -0.2 + 300 * -0.6) / 400 = -200 / 400 = -0.5 < -0.4
    # share     = (100 * 0.3 + 300 * 0.6) / 400 = 210 / 400 = 0.525 > 0.5
    crisis = feed(declared(), 20, 100, -0.2, 0.3)
    crisis = feed(crisis, 40, 300, -0.6, 0.6)

    (suggestion,) = suggest_adjustments(crisis, as_of=at(50))

    assert SuggestionKind.ESCALATE == suggestion.kind
    assert "escalate.bounds_breached" == suggestion.rule
    assert ResponseLevel.II == suggestion.target_level
    assert at(50) == suggestion.as_of
    assert {
        "observations": 2.0,
        "volume": 400.0,
        "sentiment": pytest.approx(-0.5),
        "sentiment_floor": -0.4,
        "negative_share": pytest.approx(0.525),
        "negative_share_ceiling": 0.5,
    } == dict(suggestion.evidence)
    assert "-0.50" in suggestion.reason
    assert "0.53" in suggestion.reason


def test_one_burst_justifies_one_escalation_not_two() -> None:
    # The 09:40 burst (-0.9) escalates III -> II at 09:45. At 09:50 the same
    # burst is all the window holds: it judged Level III, not Level II, so no
    # second escalation. A new burst at 09:55 judges Level II and breaches it.
    crisis = feed(declared(), 40, 500, -0.9, 0.9)
    crisis = crisis.escalate(at=at(45), actor="mei", reason="Angry customers")

    assert [] == of_kind(suggest_adjustments(crisis, as_of=at(50)), *LEVEL_KINDS)

    crisis = feed(crisis, 55, 500, -0.95, 0.95)
    (suggestion,) = of_kind(suggest_adjustments(crisis, as_of=at(56)), *LEVEL_KINDS)
    assert ResponseLevel.I == suggestion.target_level
    assert 1.0 == suggestion.evidence["observations"]


def test_weights_by_volume_not_by_batch() -> None:
    # Unweighted the two batches average -0.5 and 0.5 — a breach. Weighted:
    # sentiment (900 * -0.1 + 100 * -0.9) / 1000 = -0.18 >= -0.4,
    # share (900 * 0.1 + 100 * 0.9) / 1000 = 0.18 <= 0.5: no breach.
    crisis = feed(declared(), 20, 900, -0.1, 0.1)
    crisis = feed(crisis, 40, 100, -0.9, 0.9)

    assert () == suggest_adjustments(crisis, as_of=at(50))


def test_the_window_is_open_at_its_start_and_closed_at_as_of() -> None:
    # window 1 h: a batch exactly 1 h before as_of is out, one at as_of is in.
    crisis = feed(declared(), 0, 500, -0.9, 0.9)
    assert [] == of_kind(suggest_adjustments(crisis, as_of=at(60)), *LEVEL_KINDS)

    crisis = feed(declared(), 30, 500, -0.9, 0.9)
    assert [SuggestionKind.ESCALATE] == [
        s.kind for s in suggest_adjustments(crisis, as_of=at(30))
    ]


def test_batches_without_volume_say_nothing_about_the_mood() -> None:
    crisis = feed(declared(), 20, 0, -1.0, 1.0)

    assert () == suggest_adjustments(crisis, as_of=at(30))


def kpi_policy() -> AdjustmentPolicy:
    return AdjustmentPolicy().with_bounds(
        ResponseLevel.III,
        attrs.evolve(
            AdjustmentPolicy().bounds(ResponseLevel.III),
            kpi_limits={
                "sales.conversion_rate": 0.02,  # higher is better
                "feedback.negative_review_rate": 0.1,  # lower is better
            },
        ),
    )


def test_escalates_when_a_kpi_reading_is_worse_than_its_bound() -> None:
    # conversion: worst (lowest) reading 0.015 < 0.02 -> breach;
    # negative-review rate: worst (highest) 0.08 <= 0.1 -> fine.
    crisis = feed(declared(), 10, 0, kpis={"sales.conversion_rate": 0.025})
    crisis = feed(
        crisis,
        20,
        0,
        kpis={"sales.conversion_rate": 0.015, "feedback.negative_review_rate": 0.08},
    )

    (suggestion,) = suggest_adjustments(crisis, as_of=at(30), policy=kpi_policy())

    assert ResponseLevel.II == suggestion.target_level
    assert {
        "observations": 2.0,
        "volume": 0.0,
        "kpi.sales.conversion_rate": 0.015,
        "kpi_limit.sales.conversion_rate": 0.02,
        "kpi.feedback.negative_review_rate": 0.08,
        "kpi_limit.feedback.negative_review_rate": 0.1,
    } == dict(suggestion.evidence)
    assert "sales.conversion_rate read 0.015, below the bound 0.02" in suggestion.reason


def test_a_lower_is_better_kpi_breaches_upwards() -> None:
    crisis = feed(declared(), 10, 0, kpis={"feedback.negative_review_rate": 0.12})

    (suggestion,) = suggest_adjustments(crisis, as_of=at(30), policy=kpi_policy())

    assert "above the bound 0.1" in suggestion.reason


def test_no_escalation_above_level_i() -> None:
    crisis = feed(declared(ResponseLevel.I), 5, 1000, -1.0, 1.0)

    assert [] == of_kind(suggest_adjustments(crisis, as_of=at(10)), *LEVEL_KINDS)


# --- rule 2: de-escalate --------------------------------------------------------------


def calm_crisis(*batches: tuple[float, int, float, float]) -> Crisis:
    crisis = declared(ResponseLevel.II)
    for minute, volume, sentiment, share in batches:
        crisis = feed(crisis, minute, volume, sentiment, share)
    return crisis


GOOD = [(120, 50, -0.2, 0.4), (180, 50, -0.2, 0.4), (240, 50, -0.2, 0.4)]


def test_de_escalates_when_every_observation_of_the_calm_period_recovered() -> None:
    # Level II recovers at sentiment >= -0.3 and share <= 0.45; as of 14:00
    # (5 h in) the calm period (10:00 .. 14:00] holds three such batches and
    # the level has been held 5 h >= 4 h; the window (13:00 .. 14:00] is empty.
    crisis = calm_crisis(*GOOD)

    (suggestion,) = of_kind(suggest_adjustments(crisis, as_of=at(300)), *LEVEL_KINDS)

    assert SuggestionKind.DE_ESCALATE == suggestion.kind
    assert "de_escalate.recovered" == suggestion.rule
    assert ResponseLevel.III == suggestion.target_level
    assert {
        "worst_sentiment": -0.2,
        "recovery_sentiment": -0.3,
        "worst_negative_share": 0.4,
        "recovery_negative_share": 0.45,
        "observations": 3.0,
        "held_seconds": 18000.0,
    } == dict(suggestion.evidence)


@pytest.mark.parametrize(
    "batches",
    [
        GOOD[:2],  # only two observations (min 3)
        [*GOOD, (250, 10, -0.35, 0.1)],  # one batch below -0.3
        [*GOOD, (250, 10, 0.0, 0.5)],  # one batch above 0.45
        [(120, 0, -0.2, 0.4), *GOOD[1:]],  # a zero-volume batch does not count
    ],
)
def test_no_de_escalation_without_enough_calm(
    batches: list[tuple[float, int, float, float]],
) -> None:
    crisis = calm_crisis(*batches)

    assert [] == of_kind(suggest_adjustments(crisis, as_of=at(300)), *LEVEL_KINDS)


def test_feedback_before_the_calm_period_does_not_block_recovery() -> None:
    # 09:30 is before the calm period (10:00 .. 14:00].
    crisis = calm_crisis((30, 500, -0.9, 0.9), *GOOD)

    assert [SuggestionKind.DE_ESCALATE] == [
        s.kind
        for s in of_kind(suggest_adjustments(crisis, as_of=at(300)), *LEVEL_KINDS)
    ]


def test_a_zero_volume_batch_neither_counts_nor_blocks() -> None:
    crisis = calm_crisis(*GOOD, (250, 0, -1.0, 1.0))

    (suggestion,) = of_kind(suggest_adjustments(crisis, as_of=at(300)), *LEVEL_KINDS)

    assert 3.0 == suggestion.evidence["observations"]


def test_no_de_escalation_before_the_level_was_held_for_the_calm_period() -> None:
    # Escalated III -> II at 11:00; as of 14:00 held 3 h < 4 h.
    crisis = declared(ResponseLevel.III)
    crisis = crisis.escalate(at=at(120), actor="alice", reason="sentiment collapsed")
    for minute, volume, sentiment, share in [*GOOD[1:], (250, 50, -0.2, 0.4)]:
        crisis = feed(crisis, minute, volume, sentiment, share)

    assert [] == of_kind(suggest_adjustments(crisis, as_of=at(300)), *LEVEL_KINDS)
    later = of_kind(suggest_adjustments(crisis, as_of=at(361)), *LEVEL_KINDS)
    assert [ResponseLevel.III] == [s.target_level for s in later]


def _resolved_and_reopened(calm: Crisis, minute: float) -> Crisis:
    crisis = calm.confirm(at=at(260), actor="alice", root_cause="ranking lost")
    crisis = crisis.mark_contained(at=at(260), actor="alice")
    crisis = crisis.mark_recovered(at=at(260), actor="alice")
    crisis = crisis.resolve(at=at(260), actor="alice")
    return crisis.reopen(at=at(minute), actor="alice", reason="traffic fell again")


def test_the_level_is_held_only_while_the_crisis_is_active() -> None:
    # The calm Level II crisis is resolved at 13:20 and reopened at 23:00 the
    # same day, with three calm batches recorded at 23:10 .. 23:30. As of
    # 23:40 the crisis has held Level II for 40 min since the reopening, not
    # the 14 h 40 since the declaration: no de-escalation yet.
    crisis = _resolved_and_reopened(calm_crisis(*GOOD), 840)
    for minute in (850, 860, 870):
        crisis = feed(crisis, minute, 50, -0.2, 0.4)

    assert [] == of_kind(suggest_adjustments(crisis, as_of=at(880)), *LEVEL_KINDS)
    # 4 h after the reopening the calm period holds the three batches.
    (later,) = of_kind(suggest_adjustments(crisis, as_of=at(1080)), *LEVEL_KINDS)
    assert ResponseLevel.III == later.target_level
    assert 4 * 3600.0 == later.evidence["held_seconds"]


def test_silence_after_a_reopening_counts_from_the_reopening() -> None:
    # Level II asks for an external update at least every 30 min; the silence
    # while the crisis was resolved (13:20 .. 23:00) is not a missed update.
    crisis = _resolved_and_reopened(calm_crisis(*GOOD), 840)
    silence = [
        s
        for s in suggest_adjustments(crisis, as_of=at(870))
        if s.rule.startswith("communicate")
    ]
    assert [] == silence
    (late,) = [
        s
        for s in suggest_adjustments(crisis, as_of=at(871))
        if s.rule.startswith("communicate")
    ]
    assert 1860.0 == late.evidence["silence_seconds"]
    assert "since the crisis was reopened" in late.reason


def test_no_de_escalation_below_level_iv() -> None:
    crisis = declared(ResponseLevel.IV)
    for minute, volume, _, _ in GOOD:
        crisis = feed(crisis, minute, volume, 0.9, 0.0)

    assert [] == of_kind(suggest_adjustments(crisis, as_of=at(300)), *LEVEL_KINDS)


def test_never_both_escalate_and_de_escalate() -> None:
    # A 4 h window and a 1 h calm period: the calm hour is fine, but the window
    # also holds a large bad batch at 10:30:
    # sentiment (1000 * -0.9 + 150 * -0.2) / 1150 = -930 / 1150 = -0.809 < -0.6.
    policy = attrs.evolve(AdjustmentPolicy(), window=4 * HOUR, calm_period=HOUR)
    crisis = calm_crisis(
        (90, 1000, -0.9, 0.3),
        (250, 50, -0.2, 0.4),
        (260, 50, -0.2, 0.4),
        (270, 50, -0.2, 0.4),
    )

    suggestions = of_kind(
        suggest_adjustments(crisis, as_of=at(300), policy=policy), *LEVEL_KINDS
    )

    assert [SuggestionKind.ESCALATE] == [s.kind for s in suggestions]
    assert pytest.approx(-930 / 1150) == suggestions[0].evidence["sentiment"]


# --- rule 3: reallocate ---------------------------------------------------------------


PLAYBOOK = Playbook(
    key="traffic_test",
    labels=Labels(en="Traffic test", zh_hant="流量測試", zh_hans="流量测试"),
    crisis_types=(TYPE,),
    steps=[
        # critical path: assess (1 h) -> fix (2 h) = 3 h; notify -> fix = 2 h 10 min
        PlaybookStep(
            key="assess",
            title="Assess the traffic sources",
            owner_role="ops_expert",
            deadline=HOUR,
            duration=HOUR,
            done_when="sources ranked",
        ),
        PlaybookStep(
            key="notify",
            title="Notify customer service",
            owner_role="customer_service",
            deadline=30 * MINUTE,
            duration=10 * MINUTE,
            done_when="briefing sent",
        ),
        PlaybookStep(
            key="fix",
            title="Relaunch the campaign",
            owner_role="marketing_pr",
            deadline=4 * HOUR,
            duration=2 * HOUR,
            depends_on=("assess", "notify"),
            done_when="campaign live",
        ),
        PlaybookStep(
            key="report",
            title="Report the numbers",
            owner_role="data_analyst",
            deadline=30 * MINUTE,
            duration=5 * MINUTE,
            done_when="report out",
        ),
    ],
)
OWNERS = {"ops_expert": "bob", "customer_service": "carol", "marketing_pr": "dave"}


def with_playbook() -> Crisis:
    crisis = declared().confirm(
        at=at(0), actor="alice", root_cause="a search ranking change"
    )
    crisis = crisis.activate_playbook(PLAYBOOK, at=at(0), actor="alice", owners=OWNERS)
    return crisis.record_communication(  # keeps rule 4 quiet for a while
        at=at(0),
        actor="alice",
        audience="customers",
        channel=Channel.WEBSITE_NOTICE,
        internal=False,
        summary="We are on it.",
    )


def test_the_playbook_marks_its_critical_path() -> None:
    crisis = with_playbook()

    assert {"traffic_test.assess", "traffic_test.fix"} == {
        a.key for a in crisis.actions if a.critical
    }


def test_overdue_actions_on_the_critical_path_get_one_suggestion_each() -> None:
    # As of 10:30: assess (critical, due 10:00) is 30 min overdue; notify (due
    # 09:30) is 1 h overdue and the critical fix waits on it; report is overdue
    # but nothing critical waits on it; fix is due 13:00, 2.5 h away.
    suggestions = suggest_adjustments(with_playbook(), as_of=at(90))
    moves = of_kind(suggestions, SuggestionKind.REALLOCATE)

    assert [
        ("reallocate.overdue", "traffic_test.assess", "bob", 1.0, 1800.0),
        ("reallocate.overdue", "traffic_test.notify", "carol", 0.0, 3600.0),
    ] == [
        (
            s.rule,
            s.action,
            s.owner,
            s.evidence["critical"],
            s.evidence["overdue_seconds"],
        )
        for s in moves
    ]
    assert "critical path" in moves[0].reason


def test_a_critical_action_due_soon_and_not_under_way_is_at_risk() -> None:
    # assess and notify done; as of 12:10 fix (due 13:00) is 50 min away and open.
    crisis = with_playbook()
    crisis = crisis.complete_action("traffic_test.assess", at=at(70), actor="bob")
    crisis = crisis.complete_action("traffic_test.notify", at=at(80), actor="carol")

    moves = of_kind(
        suggest_adjustments(crisis, as_of=at(190)), SuggestionKind.REALLOCATE
    )

    assert [("reallocate.at_risk", "traffic_test.fix", "dave", 3000.0)] == [
        (s.rule, s.action, s.owner, s.evidence["due_in_seconds"]) for s in moves
    ]
    # 1 h before the deadline is still "within 1 h"; 1 h 1 min is not.
    assert of_kind(
        suggest_adjustments(crisis, as_of=at(180)), SuggestionKind.REALLOCATE
    )
    assert not of_kind(
        suggest_adjustments(crisis, as_of=at(179)), SuggestionKind.REALLOCATE
    )


def test_a_started_action_is_not_at_risk_but_a_blocked_one_is() -> None:
    crisis = with_playbook()
    crisis = crisis.complete_action("traffic_test.assess", at=at(70), actor="bob")
    crisis = crisis.complete_action("traffic_test.notify", at=at(80), actor="carol")
    started = crisis.start_action("traffic_test.fix", at=at(185), actor="dave")
    blocked = started.block_action(
        "traffic_test.fix", at=at(186), actor="dave", reason="ad account frozen"
    )

    assert not of_kind(
        suggest_adjustments(started, as_of=at(190)), SuggestionKind.REALLOCATE
    )
    (move,) = of_kind(
        suggest_adjustments(blocked, as_of=at(190)), SuggestionKind.REALLOCATE
    )
    assert 1.0 == move.evidence["blocked"]
    assert "ad account frozen" in move.reason


# --- rule 4: communicate --------------------------------------------------------------


def member(key: str, kind: str) -> Stakeholder:
    return Stakeholder(
        key=key,
        name=key,
        kind=kind,
        power=0.5,
        legitimacy=0.8,
        urgency=0.8,
        interest=0.7,
    )


SHOP = StakeholderGraph(
    stakeholders=[member("buyers", "customers"), member("staff", "employees")]
)
# Level III: employees first due 09:30, customers 10:00; updates every hour.
PLAN = plan_communication(TYPE, ResponseLevel.III, SHOP, at=START)


def test_an_overdue_first_message_gets_a_suggestion_per_group() -> None:
    # As of 10:10: employees (due 09:30) 40 min overdue, customers (due 10:00)
    # 10 min. Nobody holds comms_liaison or customer_service: the lead sends.
    suggestions = suggest_adjustments(declared(), as_of=at(70), plan=PLAN)

    assert [
        ("communicate.first_message_overdue", "customers", "alice", 600.0),
        ("communicate.first_message_overdue", "employees", "alice", 2400.0),
    ] == [
        (s.rule, s.audience, s.owner, s.evidence["overdue_seconds"])
        for s in suggestions
    ]


def test_the_group_owner_role_holder_is_asked_to_send() -> None:
    crisis = declared().assign_role(
        "customer_service", "carol", at=at(1), actor="alice"
    )
    crisis = crisis.assign_role("comms_liaison", "erin", at=at(2), actor="alice")

    suggestions = suggest_adjustments(crisis, as_of=at(70), plan=PLAN)

    assert {"customers": "carol", "employees": "erin"} == {
        s.audience: s.owner for s in suggestions
    }


def test_a_late_message_already_sent_is_history_a_missed_update_is_not() -> None:
    # employees told late at 09:35 (due 09:30), promising 10:05: no suggestion
    # for that; as of 10:10 the 10:05 update is missed by 5 min.
    crisis = declared().record_communication(
        at=at(35),
        actor="alice",
        audience="employees",
        channel=Channel.INTERNAL_MEETING,
        internal=True,
        summary="Traffic down; war room at 10.",
        next_update_at=at(65),
    )

    suggestions = suggest_adjustments(crisis, as_of=at(70), plan=PLAN)

    assert [
        ("communicate.first_message_overdue", "customers", 600.0),
        ("communicate.update_overdue", "employees", 300.0),
    ] == [(s.rule, s.audience, s.evidence["overdue_seconds"]) for s in suggestions]


def test_without_a_plan_silence_longer_than_the_level_interval_is_flagged() -> None:
    # Level III external updates every hour (stakeholders.default_cadence).
    assert () == suggest_adjustments(declared(), as_of=at(60))
    (suggestion,) = suggest_adjustments(declared(), as_of=at(61))

    assert "communicate.silence" == suggestion.rule
    assert suggestion.audience is None
    assert "alice" == suggestion.owner
    assert {"silence_seconds": 3660.0, "limit_seconds": 3600.0} == dict(
        suggestion.evidence
    )
    assert "since the declaration" in suggestion.reason


def test_silence_counts_from_the_last_communication() -> None:
    crisis = declared().record_communication(
        at=at(50),
        actor="alice",
        audience="customers",
        channel=Channel.SOCIAL_MEDIA,
        internal=False,
        summary="Looking into it.",
    )

    assert () == suggest_adjustments(crisis, as_of=at(110))
    (suggestion,) = suggest_adjustments(crisis, as_of=at(111))
    assert 3660.0 == suggestion.evidence["silence_seconds"]


# --- scope, order, replay -------------------------------------------------------------


def test_a_crisis_that_is_no_longer_active_gets_no_suggestions() -> None:
    bad = feed(declared(), 5, 1000, -1.0, 1.0)
    dismissed = bad.dismiss(at=at(10), actor="alice", reason="bot traffic, not users")
    resolved = (
        bad.confirm(at=at(10), actor="alice", root_cause="ranking change")
        .mark_contained(at=at(20), actor="alice")
        .mark_recovered(at=at(30), actor="alice")
        .resolve(at=at(40), actor="alice")
    )

    assert () == suggest_adjustments(dismissed, as_of=at(50), plan=PLAN)
    assert () == suggest_adjustments(resolved, as_of=at(500))
    # ... but it was active before: replay at 00:09.
    assert suggest_adjustments(dismissed, as_of=at(9))


def test_suggestions_come_in_kind_rule_subject_order() -> None:
    crisis = feed(with_playbook(), 80, 500, -0.9, 0.9)

    suggestions = suggest_adjustments(crisis, as_of=at(90), plan=PLAN)

    assert [
        ("escalate.bounds_breached", None),
        ("reallocate.overdue", "traffic_test.assess"),
        ("reallocate.overdue", "traffic_test.notify"),
        ("communicate.first_message_overdue", "employees"),
        ("communicate.update_overdue", "customers"),
    ] == [(s.rule, s.subject) for s in suggestions]


def test_an_earlier_as_of_ignores_later_events() -> None:
    early = feed(declared(), 20, 100, 0.5, 0.0)
    late = feed(early, 40, 1000, -1.0, 1.0)

    assert suggest_adjustments(early, as_of=at(30)) == suggest_adjustments(
        late, as_of=at(30)
    )
    assert suggest_adjustments(late, as_of=at(40))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"crisis": "traffic"}, InvalidTypeError),
        ({"as_of": dt.datetime(2026, 6, 18, 10)}, NaiveDatetimeError),  # noqa: DTZ001
        ({"as_of": at(-1)}, ValidationError),
        ({"policy": {"window": HOUR}}, InvalidTypeError),
        ({"plan": "plan"}, InvalidTypeError),
        ({"metrics": ["sales.gmv"]}, InvalidTypeError),
        (
            {
                "plan": plan_communication(
                    "technical.system_failure", ResponseLevel.III, SHOP, at=START
                )
            },
            ValidationError,
        ),
        (
            {
                "policy": AdjustmentPolicy().with_bounds(
                    ResponseLevel.IV, LevelBounds(kpi_limits={"sales.visits": 1.0})
                )
            },
            UnknownKeyError,
        ),
    ],
)
def test_suggest_rejects_bad_input(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    arguments: dict[str, object] = {"crisis": declared(), "as_of": at(10), **kwargs}
    crisis = arguments.pop("crisis")

    with pytest.raises(error):
        suggest_adjustments(crisis, **arguments)  # type: ignore[arg-type]


def test_an_unknown_audience_is_named_even_for_a_closed_crisis() -> None:
    crisis = declared().record_communication(
        at=at(5),
        actor="alice",
        audience="investors",
        channel=Channel.EMAIL,
        internal=False,
        summary="FYI",
    )
    crisis = crisis.dismiss(at=at(10), actor="alice", reason="false alarm")

    with pytest.raises(UnknownKeyError, match="investors"):
        suggest_adjustments(crisis, as_of=at(20), plan=PLAN)


# --- properties -----------------------------------------------------------------------


batches = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=40),  # minutes after the previous batch
        st.integers(min_value=0, max_value=1000),
        # calm values half of the time, so both level rules get exercised
        st.none() | st.floats(min_value=-1, max_value=1) | st.floats(0, 1),
        st.none() | st.floats(min_value=0, max_value=1) | st.floats(0, 0.3),
    ),
    max_size=12,
)


def fed(
    level: ResponseLevel, drawn: list[tuple[int, int, float | None, float | None]]
) -> Crisis:
    crisis = declared(level)
    minute = 0
    for gap, volume, sentiment, share in drawn:
        minute += gap
        crisis = feed(crisis, minute, volume, sentiment, share)
    return crisis


@settings(max_examples=60, deadline=None)
@given(
    level=st.sampled_from(ResponseLevel),
    drawn=batches,
    after_last=st.integers(min_value=-240, max_value=90),
    window=st.integers(min_value=1, max_value=120),
    calm=st.integers(min_value=1, max_value=120),
)
def test_rules_never_contradict_and_keep_their_order(
    level: ResponseLevel,
    drawn: list[tuple[int, int, float | None, float | None]],
    after_last: int,
    window: int,
    calm: int,
) -> None:
    as_of = max(0, sum(gap for gap, *_ in drawn) + after_last)
    policy = attrs.evolve(
        AdjustmentPolicy(),
        window=window * MINUTE,
        calm_period=calm * MINUTE,
        min_observations=1,
    )
    crisis = fed(level, drawn)

    suggestions = suggest_adjustments(crisis, as_of=at(as_of), policy=policy)

    kinds = [s.kind for s in suggestions]
    assert not (
        SuggestionKind.ESCALATE in kinds and SuggestionKind.DE_ESCALATE in kinds
    )
    assert sorted(suggestions, key=lambda s: s.sort_key) == list(suggestions)
    for s in suggestions:
        if s.kind is SuggestionKind.ESCALATE:
            assert level.escalated() == s.target_level != level
        if s.kind is SuggestionKind.DE_ESCALATE:
            assert level.de_escalated() == s.target_level != level
    for s in suggestions:
        assert s == from_data(Suggestion, to_data(s))
    shorter = fed(
        level,
        [b for i, b in enumerate(drawn) if sum(g for g, *_ in drawn[: i + 1]) <= as_of],
    )
    assert suggest_adjustments(shorter, as_of=at(as_of), policy=policy) == suggestions


sentiments = st.floats(min_value=-1, max_value=1)
shares = st.floats(min_value=0, max_value=1)


@st.composite
def level_bounds(draw: st.DrawFn) -> LevelBounds:
    floor = draw(st.none() | sentiments)
    ceiling = draw(st.none() | shares)
    recovery = draw(
        st.none() | st.floats(min_value=floor if floor is not None else -1, max_value=1)
    )
    share = draw(
        st.none()
        | st.floats(min_value=0, max_value=ceiling if ceiling is not None else 1)
    )
    keys = st.sampled_from(["sales.gmv", "sales.conversion_rate", "tech.availability"])
    return LevelBounds(
        sentiment_floor=floor,
        negative_share_ceiling=ceiling,
        recovery_sentiment=recovery,
        recovery_negative_share=share,
        kpi_limits=draw(st.dictionaries(keys, st.floats(-1e6, 1e6), max_size=2)),
        recovery_kpis=draw(st.dictionaries(keys, st.floats(-1e6, 1e6), max_size=2)),
    )


@st.composite
def policies(draw: st.DrawFn) -> AdjustmentPolicy:
    # Floors fall and ceilings rise with severity; each recovery bound lies
    # between its own level's escalation bound and the best possible value.
    f4, f3, f2 = sorted(
        draw(st.lists(sentiments, min_size=3, max_size=3)), reverse=True
    )
    c4, c3, c2 = sorted(draw(st.lists(shares, min_size=3, max_size=3)))
    r3, r2, r1 = (draw(st.floats(min_value=low, max_value=1)) for low in (f4, f3, f2))
    s3, s2, s1 = (draw(st.floats(min_value=0, max_value=high)) for high in (c4, c3, c2))
    return AdjustmentPolicy(
        levels={
            ResponseLevel.IV: LevelBounds(
                sentiment_floor=f4, negative_share_ceiling=c4
            ),
            ResponseLevel.III: LevelBounds(
                sentiment_floor=f3,
                negative_share_ceiling=c3,
                recovery_sentiment=max(r3, f3),
                recovery_negative_share=min(s3, c3),
            ),
            ResponseLevel.II: LevelBounds(
                sentiment_floor=f2,
                negative_share_ceiling=c2,
                recovery_sentiment=max(r2, f2),
                recovery_negative_share=min(s2, c2),
            ),
            ResponseLevel.I: LevelBounds(
                recovery_sentiment=r1, recovery_negative_share=s1
            ),
        },
        window=draw(st.integers(1, 10_000)) * MINUTE,
        calm_period=draw(st.integers(1, 10_000)) * MINUTE,
        min_observations=draw(st.integers(1, 50)),
        at_risk_within=draw(st.integers(0, 10_000)) * MINUTE,
    )


@st.composite
def suggestions(draw: st.DrawFn) -> Suggestion:
    kind = draw(st.sampled_from(SuggestionKind))
    fields: dict[str, object] = {}
    if kind in LEVEL_KINDS:
        fields["target_level"] = draw(st.sampled_from(ResponseLevel))
    if kind is SuggestionKind.REALLOCATE:
        fields |= {"action": "traffic_test.fix", "owner": "dave"}
    if kind is SuggestionKind.COMMUNICATE:
        fields |= {
            "owner": draw(st.none() | st.just("erin")),
            "audience": draw(st.none() | st.just("customers")),
        }
    return Suggestion(
        kind=kind,
        rule=f"{kind.value}.{draw(st.sampled_from(['a', 'b_c']))}",
        reason=draw(st.text(min_size=1).filter(str.strip)),
        as_of=START + draw(st.integers(0, 10**6)) * MINUTE,
        evidence=draw(
            st.dictionaries(
                st.text(min_size=1),
                st.floats(allow_nan=False, allow_infinity=False),
                max_size=3,
            )
        ),
        **fields,  # type: ignore[arg-type]
    )


@settings(max_examples=40, deadline=None)
@given(value=level_bounds() | policies() | suggestions())
def test_values_round_trip_through_plain_data(
    value: LevelBounds | AdjustmentPolicy | Suggestion,
) -> None:
    assert value == from_data(type(value), to_data(value))
