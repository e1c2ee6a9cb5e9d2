"""Notification policy: needsUpdate cases, timing, grouping, muting, drivers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.monitoring.conditions import Above, Below, Change, Raw, Threshold
from crisisops.monitoring.monitor import (
    Alert,
    AlertEvent,
    AlertKind,
    EventKind,
    Evidence,
    LevelChange,
    Monitor,
    evaluate,
)
from crisisops.monitoring.notifications import (
    BUILTIN_LABELS,
    GroupState,
    InhibitRule,
    Matcher,
    MatchOp,
    Notification,
    NotificationPolicy,
    NotificationReason,
    NotificationState,
    Silence,
    alert_labels,
    notify_step,
    plan_notifications,
)
from crisisops.monitoring.panel import Panel
from crisisops.monitoring.rules import Tier, TriggerRule
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

from .build import days, panel

T = days(40)
GMV = "sales.gmv"
REVIEWS = "reviews.negative_rate"
EVIDENCE = Evidence(observed=60, signal=-0.4, baseline=100, bound=-0.2, run_length=3)
NEW = NotificationReason.NEW
CHANGED = NotificationReason.CHANGED
REPEAT = NotificationReason.REPEAT
RESOLVED = NotificationReason.RESOLVED


def _alert(
    rule: str = "sales_slump",
    entity: str = "sku-1",
    level: ResponseLevel | None = ResponseLevel.III,
    fired: int = 0,
    resolved: int | None = None,
    episode: int = 1,
    kind: AlertKind = AlertKind.BREACH,
) -> Alert:
    if kind is AlertKind.NO_DATA:
        level = None
    return Alert(
        kind=kind,
        rule=rule,
        entity=entity,
        episode=episode,
        crisis_type="market.demand_shift",
        level=level,
        fired_level=level,
        peak_level=level,
        first_breach_at=T[fired],
        fired_at=T[fired],
        resolved_at=None if resolved is None else T[resolved],
        evidence=EVIDENCE,
    )


def _stream(
    policy: NotificationPolicy,
    alerts: Sequence[Alert],
    ticks: int,
    *,
    state: NotificationState | None = None,
    start: int = 0,
) -> tuple[NotificationState, list[Notification]]:
    """Feed hand-built alerts tick by tick through notify_step."""
    current = NotificationState() if state is None else state
    notes: list[Notification] = []
    for tick in range(start, ticks):
        at = T[tick]
        active = [
            a
            for a in alerts
            if a.fired_at <= at and (a.resolved_at is None or at < a.resolved_at)
        ]
        resolved = [a for a in alerts if a.resolved_at == at]
        current, produced = notify_step(policy, current, at, tick, active, resolved)
        notes.extend(produced)
    return current, notes


def _run(
    policy: NotificationPolicy, alerts: Sequence[Alert], ticks: int = 12
) -> list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]:
    """Streaming result as (tick, reason, firing, resolved), checked against batch."""
    _, streamed = _stream(policy, alerts, ticks)
    assert tuple(streamed) == plan_notifications(policy, alerts, T[:ticks])
    return [(n.tick, n.reason.value, n.firing, n.resolved) for n in streamed]


A = "sales_slump/sku-1/1"
B = "review_surge/sku-1/1"
C = "stockout/sku-1/1"


# --- Alertmanager's needsUpdate cases, one by one ---------------------------


def test_first_notification_is_made_when_something_fires() -> None:
    alerts = [_alert(fired=2)]

    assert [(2, "new", (A,), ())] == _run(NotificationPolicy(), alerts)


def test_a_group_with_only_resolved_alerts_and_no_history_stays_quiet() -> None:
    policy = NotificationPolicy(group_wait=3)
    alerts = [_alert(fired=1, resolved=2)]

    assert [] == _run(policy, alerts)


def test_firing_set_not_a_subset_of_the_last_notified_one_notifies_changed() -> None:
    alerts = [_alert(fired=0), _alert("review_surge", fired=2)]

    assert [(0, "new", (A,), ()), (2, "changed", (B, A), ())] == _run(
        NotificationPolicy(group_by=("entity",)), alerts
    )


def test_a_firing_subset_without_new_resolutions_stays_quiet() -> None:
    policy = NotificationPolicy(group_by=("entity",), send_resolved=False)
    alerts = [_alert(fired=0), _alert("review_surge", fired=0, resolved=2)]

    assert [(0, "new", (B, A), ())] == _run(policy, alerts)


def test_all_resolved_after_firing_notifies_resolved() -> None:
    alerts = [_alert(fired=0, resolved=3)]

    assert [(0, "new", (A,), ()), (3, "resolved", (), (A,))] == _run(
        NotificationPolicy(), alerts
    )


def test_all_resolved_without_send_resolved_clears_the_log_silently() -> None:
    policy = NotificationPolicy(send_resolved=False)
    alerts = [_alert(fired=0, resolved=3), _alert(fired=5, episode=2)]

    # The resolution is not sent but clears the group's record, so the next
    # episode is a NEW notification rather than a change.
    assert [
        (0, "new", (A,), ()),
        (5, "new", ("sales_slump/sku-1/2",), ()),
    ] == _run(policy, alerts)
    state, _ = _stream(policy, alerts[:1], 4)
    assert () == state.groups


def test_alerts_that_fired_and_resolved_between_notifications_are_not_mentioned() -> (
    None
):
    # The last notification had nothing firing; an alert that comes and goes
    # before the group is flushed is unknown to the receiver: no message.
    policy = NotificationPolicy(group_wait=2)
    alerts = [_alert(fired=0, resolved=4), _alert(fired=6, resolved=7, episode=2)]

    assert [(2, "new", (A,), ()), (4, "resolved", (), (A,))] == _run(policy, alerts)


def test_new_resolved_alerts_with_send_resolved_notify_while_others_fire() -> None:
    alerts = [_alert(fired=0), _alert("review_surge", fired=0, resolved=2)]

    assert [(0, "new", (B, A), ()), (2, "resolved", (A,), (B,))] == _run(
        NotificationPolicy(group_by=("entity",)), alerts
    )


def test_repeat_interval_elapsed_notifies_repeat() -> None:
    policy = NotificationPolicy(repeat_interval=3)

    assert [
        (0, "new", (A,), ()),
        (3, "repeat", (A,), ()),
        (6, "repeat", (A,), ()),
        (9, "repeat", (A,), ()),
    ] == _run(policy, [_alert(fired=0)], ticks=11)


def test_repeat_interval_not_elapsed_stays_quiet() -> None:
    policy = NotificationPolicy(repeat_interval=20)

    assert [(0, "new", (A,), ())] == _run(policy, [_alert(fired=0)], ticks=20)


def test_repeat_interval_is_rounded_up_to_a_multiple_of_group_interval() -> None:
    policy = NotificationPolicy(group_interval=2, repeat_interval=3)

    assert 4 == policy.effective_repeat_interval
    assert [0, 4, 8] == [t for t, *_ in _run(policy, [_alert(fired=0)], ticks=11)]


def test_group_wait_delays_the_first_flush_then_group_interval_sets_the_pace() -> None:
    policy = NotificationPolicy(group_by=("entity",), group_wait=2, group_interval=3)
    alerts = [
        _alert(fired=0),
        _alert("review_surge", fired=1),
        _alert("stockout", fired=3),
        _alert("stockout", entity="sku-2", fired=6),
    ]

    assert [
        (2, "new", (B, A), ()),  # both arrive within group_wait: one message
        (5, "changed", (B, A, C), ()),  # arrived at 3, waits for the 2 + 3 flush
        (8, "new", ("stockout/sku-2/1",), ()),  # a new group: group_wait again
    ] == _run(policy, alerts)


def test_an_alert_resolved_before_group_wait_elapsed_is_never_notified() -> None:
    policy = NotificationPolicy(group_wait=3, group_interval=2)
    alerts = [_alert(fired=0, resolved=2)]

    assert [] == _run(policy, alerts)


def test_a_level_change_counts_as_a_changed_firing_set() -> None:
    policy = NotificationPolicy()
    alert = _alert(level=ResponseLevel.IV)
    state, first = notify_step(policy, NotificationState(), T[0], 0, [alert])
    state, quiet = notify_step(policy, state, T[1], 1, [alert])
    escalated = attrs.evolve(
        alert,
        level=ResponseLevel.II,
        peak_level=ResponseLevel.II,
        level_changes=[LevelChange(at=T[2], level=ResponseLevel.II, evidence=EVIDENCE)],
    )
    _, second = notify_step(policy, state, T[2], 2, [escalated])

    assert [NEW] == [n.reason for n in first]
    assert () == quiet
    assert [CHANGED] == [n.reason for n in second]
    assert "II" == second[0].labels[A]["level"]
    assert "SEV2" == second[0].labels[A]["severity"]


# --- grouping ---------------------------------------------------------------


def test_group_by_splits_alerts_into_one_notification_per_group() -> None:
    policy = NotificationPolicy(group_by=("entity",))
    alerts = [
        _alert(entity="sku-1"),
        _alert("review_surge", entity="sku-1"),
        _alert(entity="sku-2"),
    ]

    notes = plan_notifications(policy, alerts, T[:1])

    assert [("sku-1",), ("sku-2",)] == [n.group_key for n in notes]
    assert [{"entity": "sku-1"}, {"entity": "sku-2"}] == [
        dict(n.group_labels) for n in notes
    ]
    assert (B, A) == notes[0].firing
    assert ("sales_slump/sku-2/1",) == notes[1].firing


def test_empty_group_by_puts_every_alert_in_one_group() -> None:
    alerts = [_alert(entity="sku-1"), _alert(entity="sku-2")]

    notes = plan_notifications(NotificationPolicy(group_by=()), alerts, T[:1])

    assert 1 == len(notes)
    assert () == notes[0].group_key
    assert 2 == len(notes[0].firing)


def test_a_missing_group_by_label_groups_as_the_empty_string() -> None:
    policy = NotificationPolicy(group_by=("team", "rule"))
    alerts = [_alert(), _alert("review_surge")]

    notes = plan_notifications(
        policy,
        alerts,
        T[:1],
        rules={"sales_slump": {"team": "sales"}, "review_surge": {}},
    )

    assert [("", "review_surge"), ("sales", "sales_slump")] == [
        n.group_key for n in notes
    ]


def test_notifications_carry_each_alerts_labels_including_rule_labels() -> None:
    notes = plan_notifications(
        NotificationPolicy(),
        [_alert()],
        T[:1],
        rules={"sales_slump": {"team": "sales"}},
    )

    assert {
        "rule": "sales_slump",
        "entity": "sku-1",
        "crisis_type": "market.demand_shift",
        "level": "III",
        "severity": "SEV3",
        "kind": "breach",
        "team": "sales",
    } == dict(notes[0].labels[A])


# --- labels -----------------------------------------------------------------


def test_alert_labels_of_a_no_data_alert_have_empty_level_and_severity() -> None:
    labels = alert_labels(_alert(kind=AlertKind.NO_DATA))

    assert ("", "", "no_data") == (
        labels["level"],
        labels["severity"],
        labels["kind"],
    )
    assert BUILTIN_LABELS == tuple(labels)


def test_alert_labels_accepts_the_rules_themselves() -> None:
    rule = TriggerRule(
        name="sales_slump",
        crisis_type="market.demand_shift",
        tiers=[Tier(ResponseLevel.III, Threshold(signal=Raw(GMV), predicate=Below(1)))],
        labels={"team": "sales"},
    )

    assert "sales" == alert_labels(_alert(), [rule])["team"]


# --- silences ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("matcher", "muted"),
    [
        (Matcher("entity", "=", "sku-1"), True),
        (Matcher("entity", "=", "sku-2"), False),
        (Matcher("entity", "!=", "sku-2"), True),
        (Matcher("entity", "!=", "sku-1"), False),
        (Matcher("level", "=~", "III|IV"), True),
        (Matcher("level", "=~", "I"), False),  # anchored: "I" is not "III"
        (Matcher("level", "!~", "I|II"), True),
        (Matcher("level", "!~", "I+"), False),
        (Matcher("team", "=~", ".+"), False),  # missing label matches as ""
    ],
)
def test_silence_matchers_each_operator(matcher: Matcher, muted: bool) -> None:  # noqa: FBT001
    # The rule matcher keeps the silence valid for != and !~ (which match "").
    scoped = [Matcher("rule", "=", "sales_slump"), matcher]
    silence = Silence(matchers=scoped, starts_at=T[0], ends_at=T[10])
    policy = NotificationPolicy(silences=[silence])

    notes = plan_notifications(policy, [_alert(fired=0)], T[:3])

    assert ([] if muted else [0]) == [n.tick for n in notes]


def test_a_missing_label_matches_the_empty_string() -> None:
    assert Matcher("team", "=", "").matches({"rule": "sales_slump"})
    assert not Matcher("team", "!=", "").matches({})
    assert Matcher("team", "!~", ".+").matches({})


def test_a_silence_is_active_over_start_inclusive_end_exclusive() -> None:
    silence = Silence(
        matchers=[Matcher("rule", "=", "sales_slump")], starts_at=T[2], ends_at=T[4]
    )

    assert [False, False, True, True, False, False] == [
        silence.is_active(t) for t in T[:6]
    ]
    assert not silence.is_active(T[2] - dt.timedelta(microseconds=1))
    assert silence.is_active(T[4] - dt.timedelta(microseconds=1))


def test_an_alert_firing_inside_a_silence_is_first_notified_when_it_ends() -> None:
    silence = Silence(
        matchers=[Matcher("rule", "=", "sales_slump")], starts_at=T[2], ends_at=T[4]
    )

    assert [(4, "new", (A,), ())] == _run(
        NotificationPolicy(silences=[silence]), [_alert(fired=2)]
    )


def test_a_silence_in_another_window_or_for_other_labels_changes_nothing() -> None:
    later = Silence(
        matchers=[Matcher("rule", "=", "sales_slump")], starts_at=T[5], ends_at=T[6]
    )
    other = Silence(
        matchers=[Matcher("rule", "=", "review_surge")], starts_at=T[0], ends_at=T[9]
    )

    assert [(0, "new", (A,), ())] == _run(
        NotificationPolicy(silences=[later, other], repeat_interval=30),
        [_alert(fired=0)],
        ticks=5,
    )


def test_an_alert_muted_throughout_is_never_mentioned() -> None:
    silence = Silence(
        matchers=[Matcher("entity", "=", "sku-1")], starts_at=T[0], ends_at=T[9]
    )

    assert [] == _run(
        NotificationPolicy(silences=[silence]), [_alert(fired=1, resolved=4)]
    )


def test_a_resolution_inside_a_silence_is_not_sent_as_in_alertmanager() -> None:
    silence = Silence(
        matchers=[Matcher("entity", "=", "sku-1")], starts_at=T[3], ends_at=T[9]
    )

    assert [(0, "new", (A,), ())] == _run(
        NotificationPolicy(silences=[silence]), [_alert(fired=0, resolved=5)]
    )


def test_a_resolution_silenced_at_the_flush_that_would_report_it_is_dropped() -> None:
    # Found by hypothesis: sku-2's alert resolves at tick 12, between the
    # flushes at 11 and 13, while visible; a silence for sku-2 is active at
    # 13. The flush at 13 must not list it (muted alerts never appear in a
    # notification; Alertmanager mutes resolved alerts at each flush too).
    policy = NotificationPolicy(
        group_by=(),
        group_interval=2,
        repeat_interval=2,
        silences=[
            Silence(
                matchers=[Matcher("entity", "=", "sku-1")],
                starts_at=T[0],
                ends_at=T[1],
            ),
            Silence(
                matchers=[Matcher("entity", "=", "sku-2")],
                starts_at=T[13],
                ends_at=T[14],
            ),
        ],
    )
    alerts = [
        _alert(entity="sku-2", level=ResponseLevel.I, fired=1, resolved=12),
        _alert(level=ResponseLevel.I, fired=0, episode=2),
        _alert(level=ResponseLevel.I, fired=0, episode=3),
    ]
    one, two, other = (
        "sales_slump/sku-1/2",
        "sales_slump/sku-1/3",
        "sales_slump/sku-2/1",
    )

    assert [
        (1, "new", (one, two, other), ()),
        *[(tick, "repeat", (one, two, other), ()) for tick in (3, 5, 7, 9, 11)],
        (13, "repeat", (one, two), ()),
    ] == _run(policy, alerts, ticks=14)


def test_a_resolution_inhibited_at_the_flush_that_would_report_it_is_dropped() -> None:
    # The review surge resolves at tick 1 while visible; at the next flush
    # (tick 2) a Level I alert for the same entity fires and inhibits it.
    policy = NotificationPolicy(
        group_by=("entity",), group_interval=2, inhibit_rules=InhibitRule.by_level()
    )
    alerts = [
        _alert("review_surge", level=ResponseLevel.III, fired=0, resolved=1),
        _alert("gmv_crash", level=ResponseLevel.I, fired=2),
    ]

    assert [
        (0, "new", (B,), ()),
        (2, "changed", ("gmv_crash/sku-1/1",), ()),
    ] == _run(policy, alerts, ticks=5)


def test_a_silence_requires_a_matcher_that_does_not_match_everything() -> None:
    with pytest.raises(ValidationError) as info:
        Silence(matchers=[Matcher("team", "!=", "ops")], starts_at=T[0], ends_at=T[1])
    assert "matchers" == info.value.field


# --- inhibition -------------------------------------------------------------


def test_by_level_mutes_less_severe_alerts_for_the_same_entity() -> None:
    policy = NotificationPolicy(
        group_by=("entity",), inhibit_rules=InhibitRule.by_level()
    )
    alerts = [
        _alert(level=ResponseLevel.III, fired=0),
        _alert("gmv_crash", level=ResponseLevel.I, fired=0, resolved=3),
        _alert(entity="sku-2", level=ResponseLevel.IV, fired=0),
        _alert("review_surge", entity="sku-2", level=ResponseLevel.IV, fired=0),
    ]

    assert [
        (0, "new", ("gmv_crash/sku-1/1",), ()),
        (0, "new", ("review_surge/sku-2/1", "sales_slump/sku-2/1"), ()),
        (3, "changed", (A,), ("gmv_crash/sku-1/1",)),
    ] == _run(policy, alerts, ticks=5)


def test_by_level_leaves_no_data_alerts_alone() -> None:
    policy = NotificationPolicy(inhibit_rules=InhibitRule.by_level(), group_by=())
    alerts = [
        _alert("gmv_crash", level=ResponseLevel.I),
        _alert(kind=AlertKind.NO_DATA),
    ]

    notes = plan_notifications(policy, alerts, T[:1])

    assert ("gmv_crash/sku-1/1", "sales_slump/sku-1/1/no_data") == notes[0].firing


def test_inhibition_needs_equal_values_for_the_equal_labels() -> None:
    rule = InhibitRule(
        source=[Matcher("rule", "=", "gmv_crash")],
        target=[Matcher("rule", "=", "sales_slump")],
        equal=["entity", "team"],  # team is missing on both: "" == ""
    )
    policy = NotificationPolicy(group_by=("entity",), inhibit_rules=[rule])
    alerts = [
        _alert("gmv_crash", entity="sku-1"),
        _alert(entity="sku-1"),
        _alert(entity="sku-2"),
    ]

    notes = plan_notifications(policy, alerts, T[:1])

    assert [("gmv_crash/sku-1/1",), ("sales_slump/sku-2/1",)] == [
        n.firing for n in notes
    ]


def test_inhibition_with_a_label_present_on_one_side_only_does_not_apply() -> None:
    rule = InhibitRule(
        source=[Matcher("rule", "=", "gmv_crash")],
        target=[Matcher("rule", "=", "sales_slump")],
        equal=["team"],
    )
    policy = NotificationPolicy(group_by=(), inhibit_rules=[rule])

    notes = plan_notifications(
        policy,
        [_alert("gmv_crash"), _alert()],
        T[:1],
        rules={"gmv_crash": {"team": "sales"}, "sales_slump": {}},
    )

    assert 2 == len(notes[0].firing)


def test_alerts_matching_both_sides_cannot_inhibit_each_other() -> None:
    rule = InhibitRule(
        source=[Matcher("level", "=~", "I|II")],
        target=[Matcher("level", "=~", "II|III")],
        equal=["entity"],
    )
    policy = NotificationPolicy(group_by=(), inhibit_rules=[rule])
    both_a = _alert("sales_slump", level=ResponseLevel.II)
    both_b = _alert("review_surge", level=ResponseLevel.II)
    target_only = _alert("stockout", level=ResponseLevel.III)
    source_only = _alert("gmv_crash", level=ResponseLevel.I)

    mutual = plan_notifications(policy, [both_a, both_b, target_only], T[:1])
    with_source = plan_notifications(
        policy, [both_a, both_b, target_only, source_only], T[:1]
    )

    # Two-sided alerts do not mute each other, but they mute a target-only one.
    assert (B, A) == mutual[0].firing
    # A source-only alert mutes the two-sided ones too.
    assert ("gmv_crash/sku-1/1",) == with_source[0].firing


def test_a_silenced_source_still_inhibits() -> None:
    silence = Silence(
        matchers=[Matcher("rule", "=", "gmv_crash")], starts_at=T[0], ends_at=T[9]
    )
    policy = NotificationPolicy(
        inhibit_rules=InhibitRule.by_level(), silences=[silence]
    )

    notes = plan_notifications(
        policy, [_alert("gmv_crash", level=ResponseLevel.I), _alert()], T[:3]
    )

    assert () == notes


def test_by_level_rules_use_anchored_level_matchers() -> None:
    rules = InhibitRule.by_level(equal=("entity", "crisis_type"))

    assert 3 == len(rules)
    assert [("entity", "crisis_type")] * 3 == [r.equal for r in rules]
    assert ['level=~"II|III|IV"', 'level=~"III|IV"', 'level=~"IV"'] == [
        str(r.target[0]) for r in rules
    ]


# --- two drivers, one semantics ---------------------------------------------


@st.composite
def _scenarios(draw: st.DrawFn) -> tuple[NotificationPolicy, list[Alert], int, int]:
    ticks = draw(st.integers(min_value=1, max_value=16))
    count = draw(st.integers(min_value=0, max_value=8))
    alerts = []
    for index in range(count):
        fired = draw(st.integers(min_value=0, max_value=ticks - 1))
        resolved = draw(st.none() | st.integers(min_value=fired, max_value=ticks - 1))
        alerts.append(
            _alert(
                draw(st.sampled_from(["sales_slump", "review_surge", "stockout"])),
                entity=draw(st.sampled_from(["sku-1", "sku-2"])),
                level=draw(st.sampled_from(list(ResponseLevel))),
                fired=fired,
                resolved=resolved,
                episode=index + 1,
                kind=draw(st.sampled_from(list(AlertKind))),
            )
        )
    interval = draw(st.integers(min_value=1, max_value=3))
    silences = draw(
        st.lists(
            st.builds(
                lambda start, length, entity: Silence(
                    matchers=[Matcher("entity", "=", entity)],
                    starts_at=T[start],
                    ends_at=T[start + length],
                ),
                st.integers(min_value=0, max_value=ticks),
                st.integers(min_value=1, max_value=5),
                st.sampled_from(["sku-1", "sku-2"]),
            ),
            max_size=2,
        )
    )
    policy = NotificationPolicy(
        group_by=draw(
            st.sampled_from([(), ("rule",), ("entity",), ("entity", "kind")])
        ),
        group_wait=draw(st.integers(min_value=0, max_value=3)),
        group_interval=interval,
        repeat_interval=draw(st.integers(min_value=interval, max_value=8)),
        send_resolved=draw(st.booleans()),
        inhibit_rules=InhibitRule.by_level() if draw(st.booleans()) else (),
        silences=silences,
    )
    split = draw(st.integers(min_value=0, max_value=ticks))
    return policy, alerts, ticks, split


def _round_trip(state: NotificationState) -> NotificationState:
    return from_data(NotificationState, json.loads(json.dumps(to_data(state))))


@settings(max_examples=150, deadline=None)
@given(_scenarios())
def test_streaming_with_a_saved_state_equals_batch(
    scenario: tuple[NotificationPolicy, list[Alert], int, int],
) -> None:
    policy, alerts, ticks, split = scenario

    batch = plan_notifications(policy, alerts, T[:ticks])
    state, first = _stream(policy, alerts, split)
    _, second = _stream(policy, alerts, ticks, state=_round_trip(state), start=split)

    assert batch == (*first, *second)


@settings(max_examples=150, deadline=None)
@given(_scenarios())
def test_every_notification_lists_only_visible_alerts_of_its_own_group(
    scenario: tuple[NotificationPolicy, list[Alert], int, int],
) -> None:
    policy, alerts, ticks, _ = scenario

    for note in plan_notifications(policy, alerts, T[:ticks]):
        assert note.firing or note.resolved
        assert note.firing or note.reason is RESOLVED
        assert policy.send_resolved or not note.resolved
        for labels in note.labels.values():
            assert note.group_key == policy.group_key(labels)
            assert not policy.silenced(labels, note.at)


def test_state_round_trip_mid_stream_gives_the_same_notifications() -> None:
    policy = NotificationPolicy(
        group_by=("entity",), group_wait=1, group_interval=2, repeat_interval=4
    )
    alerts = [
        _alert(fired=0, resolved=7),
        _alert("review_surge", fired=3, resolved=4),
        _alert(entity="sku-2", fired=5),
    ]
    state, first = _stream(policy, alerts, 4)

    document = to_data(state)
    _, second = _stream(policy, alerts, 12, state=_round_trip(state), start=4)
    _, unbroken = _stream(policy, alerts, 12)

    assert "NotificationState" == document["type"]
    assert unbroken == [*first, *second]


def test_policy_and_notifications_round_trip_through_plain_data() -> None:
    silence = Silence(
        matchers=[Matcher("level", "=~", "III|IV")],
        starts_at=T[0],
        ends_at=T[1],
        comment="Double 11 promotion",
        created_by="ops",
    )
    policy = NotificationPolicy(
        inhibit_rules=InhibitRule.by_level(), silences=[silence], group_wait=2
    )
    notes = plan_notifications(NotificationPolicy(), [_alert()], T[:1])

    assert policy == from_data(NotificationPolicy, to_data(policy))
    assert notes[0] == from_data(Notification, to_data(notes[0]))
    restored = from_data(Matcher, to_data(Matcher("level", "=~", "I|II")))
    assert restored.matches({"level": "II"})


def test_a_restored_matcher_with_a_bad_regex_is_refused() -> None:
    document = to_data(Matcher("level", "=~", "I"))
    document["data"]["value"] = "("

    with pytest.raises(ValueError, match="regular expression"):
        from_data(Matcher, document)


# --- end to end: a monitor, a tiered rule, the notifications ----------------


def _tiered_rules() -> list[TriggerRule]:
    sales = TriggerRule(
        name="sales_slump",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(ResponseLevel.IV, Threshold(signal=Raw(GMV), predicate=Below(80.0))),
            Tier(ResponseLevel.III, Threshold(signal=Raw(GMV), predicate=Below(60.0))),
            Tier(ResponseLevel.II, Threshold(signal=Raw(GMV), predicate=Below(40.0))),
        ],
        labels={"team": "sales"},
    )
    reviews = TriggerRule(
        name="review_surge",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.III, Threshold(signal=Raw(REVIEWS), predicate=Above(0.1))
            )
        ],
        labels={"team": "service"},
    )
    return [sales, reviews]


def test_end_to_end_a_tiered_rule_escalates_and_inhibits_the_lesser_alert() -> None:
    gmv = [[100, 100], [70, 100], [50, 100], [30, 100], [30, 100], [90, 100]]
    reviews = [[0.01, 0.01]] * 3 + [[0.2, 0.01]] * 3
    data = panel({GMV: gmv, REVIEWS: reviews}, entities=("sku-1", "sku-2"))
    evaluation = evaluate(_tiered_rules(), data)
    policy = NotificationPolicy(
        group_by=("entity",), inhibit_rules=InhibitRule.by_level()
    )

    notes = plan_notifications(policy, evaluation, data.timestamps)

    sales, review = "sales_slump/sku-1/1", "review_surge/sku-1/1"
    assert [
        (1, NEW, (sales,), (), "IV"),  # GMV 70 < 80: Level IV
        (2, CHANGED, (sales,), (), "III"),  # escalation is news
        (3, CHANGED, (sales,), (), "II"),  # the review surge (III) is inhibited
        (5, CHANGED, (review,), (sales,), "II"),  # sales recovers: reviews show
    ] == [
        (n.tick, n.reason, n.firing, n.resolved, n.labels[sales]["level"])
        for n in notes
    ]
    assert "service" == notes[-1].labels[review]["team"]
    assert {("sku-1",)} == {n.group_key for n in notes}


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([100.0, 70.0, 50.0, 30.0]),
            st.sampled_from([100.0, 30.0, 55.0]),
            st.sampled_from([0.01, 0.2]),
        ),
        min_size=1,
        max_size=14,
    ),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=1, max_value=3),
)
def test_streaming_a_monitor_equals_planning_its_evaluation(
    rows: list[tuple[float, float, float]], group_wait: int, group_interval: int
) -> None:
    gmv = np.array([[a, b] for a, b, _ in rows])
    reviews = np.array([[c, 0.01] for *_, c in rows])
    stamps = T[: len(rows)]
    data = Panel.from_metric_arrays(
        stamps, ("sku-1", "sku-2"), {GMV: gmv, REVIEWS: reviews}
    )
    rules = _tiered_rules()
    policy = NotificationPolicy(
        group_by=("entity",),
        group_wait=group_wait,
        group_interval=group_interval,
        repeat_interval=3 * group_interval,
        inhibit_rules=InhibitRule.by_level(),
    )

    monitor = Monitor.start(rules, data.entities)
    state = NotificationState()
    streamed: list[Notification] = []
    for tick, observation in enumerate(data.observations()):
        result = monitor.step(observation)
        monitor = result.monitor
        state, produced = notify_step(
            policy,
            _round_trip(state),
            observation.timestamp,
            tick,
            monitor.open_alerts,
            result.resolved,
            rules=monitor.rules,
        )
        streamed.extend(produced)
    evaluation = evaluate(rules, data)

    assert plan_notifications(policy, evaluation, stamps) == tuple(streamed)
    assert plan_notifications(policy, evaluation.events, stamps, rules=rules) == tuple(
        streamed
    )


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"label": "", "op": "=", "value": "x"}, ValidationError, "label"),
        ({"label": 3, "op": "=", "value": "x"}, InvalidTypeError, "label"),
        ({"label": "rule", "op": "==", "value": "x"}, ValidationError, "op"),
        ({"label": "rule", "op": 1, "value": "x"}, InvalidTypeError, "op"),
        ({"label": "rule", "op": "=~", "value": "(unclosed"}, ValidationError, "value"),
        ({"label": "rule", "op": "=", "value": None}, InvalidTypeError, "value"),
    ],
)
def test_matcher_refuses_bad_input(
    fields: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        Matcher(**fields)
    assert field == getattr(info.value, "field", None)


def test_matcher_accepts_the_enum_or_its_text() -> None:
    assert Matcher("rule", MatchOp.NOT_REGEX, "x") == Matcher("rule", "!~", "x")


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"matchers": []}, ValidationError, "matchers"),
        ({"matchers": ["rule=x"]}, InvalidTypeError, "matchers[0]"),
        ({"starts_at": dt.datetime(2026, 1, 1)}, NaiveDatetimeError, "starts_at"),  # noqa: DTZ001
        ({"ends_at": T[0]}, ValidationError, "ends_at"),
        ({"ends_at": T[0] - dt.timedelta(days=1)}, ValidationError, "ends_at"),
        ({"comment": 3}, InvalidTypeError, "comment"),
        ({"created_by": None}, InvalidTypeError, "created_by"),
    ],
)
def test_silence_refuses_bad_input(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    fields: dict[str, Any] = {
        "matchers": [Matcher("rule", "=", "sales_slump")],
        "starts_at": T[0],
        "ends_at": T[1],
    }
    fields.update(changes)
    with pytest.raises(error) as info:
        Silence(**fields)
    assert field == getattr(info.value, "field", None)


def test_silence_is_active_refuses_a_naive_moment() -> None:
    silence = Silence(
        matchers=[Matcher("rule", "=", "x")], starts_at=T[0], ends_at=T[1]
    )

    with pytest.raises(NaiveDatetimeError):
        silence.is_active(dt.datetime(2026, 1, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"source": "level=I"}, InvalidTypeError, "source"),
        ({"target": [None]}, InvalidTypeError, "target[0]"),
        ({"equal": ["entity", "entity"]}, ValidationError, "equal"),
        ({"equal": [""]}, ValidationError, "equal[0]"),
    ],
)
def test_inhibit_rule_refuses_bad_input(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    fields: dict[str, Any] = {
        "source": [Matcher("level", "=", "I")],
        "target": [Matcher("level", "=", "II")],
        "equal": ["entity"],
    }
    fields.update(changes)
    with pytest.raises(error) as info:
        InhibitRule(**fields)
    assert field == getattr(info.value, "field", None)


def test_by_level_refuses_bad_equal_labels() -> None:
    with pytest.raises(InvalidTypeError):
        InhibitRule.by_level(equal=(1,))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"group_by": ["rule", "rule"]}, ValidationError, "group_by"),
        ({"group_by": ["..."]}, ValidationError, "group_by"),
        ({"group_by": "rule"}, InvalidTypeError, "group_by"),
        ({"group_wait": -1}, ValidationError, "group_wait"),
        ({"group_wait": 1.5}, InvalidTypeError, "group_wait"),
        ({"group_interval": 0}, ValidationError, "group_interval"),
        ({"group_interval": True}, InvalidTypeError, "group_interval"),
        (
            {"group_interval": 5, "repeat_interval": 4},
            ValidationError,
            "repeat_interval",
        ),
        ({"repeat_interval": 0}, ValidationError, "repeat_interval"),
        ({"send_resolved": "yes"}, InvalidTypeError, "send_resolved"),
        (
            {"inhibit_rules": [Matcher("a", "=", "b")]},
            InvalidTypeError,
            "inhibit_rules[0]",
        ),
        ({"silences": "none"}, InvalidTypeError, "silences"),
    ],
)
def test_policy_refuses_bad_input(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        NotificationPolicy(**changes)
    assert field == getattr(info.value, "field", None)


def _note(**changes: Any) -> Notification:
    fields: dict[str, Any] = {
        "group_key": ("sales_slump",),
        "group_labels": {"rule": "sales_slump"},
        "at": T[0],
        "tick": 0,
        "reason": NEW,
        "firing": (A,),
        "labels": {A: {"rule": "sales_slump"}},
    }
    fields.update(changes)
    return Notification(**fields)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"resolved": (A,)}, ValidationError, "resolved"),
        ({"labels": {}}, ValidationError, "labels"),
        ({"labels": {A: {"rule": 1}}}, InvalidTypeError, f"labels[{A!r}]"),
        ({"group_labels": {}}, ValidationError, "group_labels"),
        ({"tick": -1}, ValidationError, "tick"),
        ({"reason": "new"}, InvalidTypeError, "reason"),
        ({"at": dt.datetime(2026, 1, 1)}, NaiveDatetimeError, "at"),  # noqa: DTZ001
    ],
)
def test_notification_refuses_bad_input(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        _note(**changes)
    assert field == getattr(info.value, "field", None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"last_flush": 3}, "pending_since"),
        ({"pending_resolved": {A: {}}}, "pending_since"),
        ({"pending_since": 4, "last_flush": 3}, "last_flush"),
        ({"notified_firing": {A: "III"}}, "last_notified"),
        ({"last_notified": 2}, "notified_firing"),
    ],
)
def test_group_state_refuses_inconsistent_parts(
    fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        GroupState(key=("sales_slump",), **fields)
    assert field == info.value.field


def test_notification_state_refuses_bad_input() -> None:
    with pytest.raises(ValidationError) as info:
        NotificationState(tick=1)
    assert "at" == info.value.field
    group = GroupState(key=("x",), pending_since=0)
    with pytest.raises(DuplicateKeyError):
        NotificationState(tick=1, at=T[1], groups=[group, group])
    with pytest.raises(InvalidTypeError):
        NotificationState(tick=1, at=T[1], groups=["x"])


def test_alert_labels_refuses_bad_input() -> None:
    with pytest.raises(InvalidTypeError) as info:
        alert_labels("sales_slump/sku-1/1")  # type: ignore[arg-type]
    assert "alert" == info.value.field
    with pytest.raises(UnknownKeyError):
        alert_labels(_alert(), {"review_surge": {}})
    with pytest.raises(ValidationError) as reserved:
        alert_labels(_alert(), {"sales_slump": {"level": "I"}})
    assert "rules['sales_slump'].labels['level']" == reserved.value.field
    with pytest.raises(InvalidTypeError):
        alert_labels(_alert(), 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        alert_labels(_alert(), {"sales_slump": {"team": 1}})  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        alert_labels(_alert(), ["sales_slump"])  # type: ignore[list-item]


def test_alert_labels_refuses_duplicate_rules() -> None:
    rule = _tiered_rules()[0]

    with pytest.raises(DuplicateKeyError):
        alert_labels(_alert(), [rule, rule])


@pytest.mark.parametrize(
    ("args", "error", "field"),
    [
        (("policy", NotificationState(), T[0], 0, []), InvalidTypeError, "policy"),
        ((NotificationPolicy(), {}, T[0], 0, []), InvalidTypeError, "state"),
        (
            (NotificationPolicy(), NotificationState(), dt.datetime(2026, 1, 1), 0, []),  # noqa: DTZ001
            NaiveDatetimeError,
            "at",
        ),
        (
            (NotificationPolicy(), NotificationState(), T[0], -1, []),
            ValidationError,
            "tick_index",
        ),
        (
            (NotificationPolicy(), NotificationState(), T[0], True, []),
            InvalidTypeError,
            "tick_index",
        ),
        (
            (NotificationPolicy(), NotificationState(tick=3, at=T[3]), T[4], 3, []),
            ValidationError,
            "tick_index",
        ),
        (
            (NotificationPolicy(), NotificationState(tick=3, at=T[3]), T[3], 4, []),
            ValidationError,
            "at",
        ),
        (
            (NotificationPolicy(), NotificationState(), T[0], 0, "a"),
            InvalidTypeError,
            "alerts_active",
        ),
        (
            (NotificationPolicy(), NotificationState(), T[0], 0, [1]),
            InvalidTypeError,
            "alerts_active[0]",
        ),
        (
            (NotificationPolicy(), NotificationState(), T[0], 0, [_alert(fired=1)]),
            ValidationError,
            "alerts_active[0].fired_at",
        ),
        (
            (NotificationPolicy(), NotificationState(), T[1], 1, [_alert(resolved=1)]),
            ValidationError,
            "alerts_active[0].resolved_at",
        ),
        (
            (NotificationPolicy(), NotificationState(), T[1], 1, [], [_alert()]),
            ValidationError,
            "alerts_resolved[0].resolved_at",
        ),
        (
            (
                NotificationPolicy(),
                NotificationState(),
                T[1],
                1,
                [],
                [_alert(resolved=2)],
            ),
            ValidationError,
            "alerts_resolved[0].resolved_at",
        ),
        (
            (
                NotificationPolicy(group_by=("entity", "rule")),
                NotificationState(
                    tick=0, at=T[0], groups=[GroupState(key=("x",), pending_since=0)]
                ),
                T[1],
                1,
                [],
            ),
            ValidationError,
            "state.groups[0].key",
        ),
    ],
)
def test_notify_step_refuses_bad_input(
    args: tuple[Any, ...], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        notify_step(*args)
    assert field == getattr(info.value, "field", None)


def test_notify_step_refuses_an_alert_given_twice() -> None:
    with pytest.raises(DuplicateKeyError):
        notify_step(
            NotificationPolicy(),
            NotificationState(),
            T[1],
            1,
            [_alert()],
            [_alert(resolved=1)],
        )


def test_notify_step_refuses_an_unknown_rule_when_rules_are_given() -> None:
    with pytest.raises(UnknownKeyError):
        notify_step(
            NotificationPolicy(),
            NotificationState(),
            T[0],
            0,
            [_alert()],
            rules={"other": {}},
        )


def _event(kind: EventKind, tick: int, **changes: Any) -> AlertEvent:
    fields: dict[str, Any] = {
        "kind": kind,
        "at": T[tick],
        "rule": "sales_slump",
        "entity": "sku-1",
        "episode": 1,
        "level": ResponseLevel.III,
        "crisis_type": "market.demand_shift",
        "evidence": EVIDENCE,
    }
    fields.update(changes)
    return AlertEvent(**fields)


@pytest.mark.parametrize(
    ("source", "timestamps", "error", "field"),
    [
        ([_alert(fired=5)], T[:3], ValidationError, "source[0].fired_at"),
        ([_alert(resolved=5)], T[:3], ValidationError, "source[0].resolved_at"),
        (
            [
                attrs.evolve(
                    _alert(),
                    level_changes=[
                        LevelChange(at=T[5], level=ResponseLevel.II, evidence=EVIDENCE)
                    ],
                )
            ],
            T[:3],
            ValidationError,
            "source[0].level_changes[0].at",
        ),
        ([_alert(), "x"], T[:3], InvalidTypeError, "source[1]"),
        ("alerts", T[:3], InvalidTypeError, "source"),
        ([], [T[1], T[0]], ValidationError, "timestamps[1]"),
        ([], [dt.datetime(2026, 1, 1)], NaiveDatetimeError, "timestamps[0]"),  # noqa: DTZ001
        ([], "2026-01-01", InvalidTypeError, "timestamps"),
        ([_event(EventKind.FIRED, 5)], T[:3], ValidationError, "events[0].at"),
        ([_event(EventKind.RESOLVED, 1)], T[:3], ValidationError, "events[0]"),
        (
            [_event(EventKind.FIRED, 0), _event(EventKind.FIRED, 1, episode=2)],
            T[:3],
            ValidationError,
            "events[1]",
        ),
        ([_event(EventKind.FIRED, 0), _alert()], T[:3], InvalidTypeError, "events[1]"),
    ],
)
def test_plan_notifications_refuses_bad_input(
    source: Any, timestamps: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        plan_notifications(NotificationPolicy(), source, timestamps)
    assert field == getattr(info.value, "field", None)


def test_plan_notifications_refuses_a_bad_policy_and_repeated_alerts() -> None:
    with pytest.raises(InvalidTypeError):
        plan_notifications(None, [], T[:1])  # type: ignore[arg-type]
    with pytest.raises(DuplicateKeyError):
        plan_notifications(NotificationPolicy(), [_alert(), _alert()], T[:1])


def test_plan_notifications_reads_an_event_stream_with_level_changes() -> None:
    events = [
        _event(EventKind.FIRED, 0, level=ResponseLevel.IV),
        _event(EventKind.LEVEL_CHANGED, 2, level=ResponseLevel.II),
        _event(EventKind.NO_DATA, 3, level=None),
        _event(EventKind.RESOLVED, 4, level=ResponseLevel.II),
        _event(EventKind.DATA_RESUMED, 5, level=None),
    ]

    notes = plan_notifications(NotificationPolicy(group_by=()), events, T[:6])

    assert [
        (0, NEW, (A,), ()),
        (2, CHANGED, (A,), ()),
        (3, CHANGED, (A, f"{A}/no_data"), ()),
        (4, RESOLVED, (f"{A}/no_data",), (A,)),
        (5, RESOLVED, (), (f"{A}/no_data",)),
    ] == [(n.tick, n.reason, n.firing, n.resolved) for n in notes]
    assert "II" == notes[1].labels[A]["level"]
    assert FrozenDict() == notes[0].group_labels


def test_alert_values_with_level_changes_notify_like_their_events() -> None:
    # An Alert records the level it fired at and every later change, so a list
    # of alerts gives the same notifications as the event stream behind them.
    drop = Change(metric="sales.gmv")
    rule = TriggerRule(
        name="sales_slump",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(ResponseLevel.IV, Threshold(signal=drop, predicate=Below(-0.1))),
            Tier(ResponseLevel.II, Threshold(signal=drop, predicate=Below(-0.4))),
        ],
        labels={"team": "sales"},
    )
    stamps = T[:6]
    data = Panel.from_metric_arrays(
        stamps,
        ["sku-1"],
        {"sales.gmv": [[100.0], [85.0], [40.0], [35.0], [36.0], [40.0]]},
    )
    evaluation = evaluate([rule], data)
    policy = NotificationPolicy(repeat_interval=24)

    from_alerts = plan_notifications(policy, evaluation.alerts, stamps, rules=[rule])
    from_events = plan_notifications(policy, evaluation, stamps)

    assert ResponseLevel.IV == evaluation.alerts[0].fired_level
    assert from_events == from_alerts
    assert [NEW, CHANGED] == [n.reason for n in from_alerts][:2]
