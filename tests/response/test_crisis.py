from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    CrisisOpsError,
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.monitoring import Alert, AlertKind, Evidence
from crisisops.planning import (
    StrategyFamily,
    default_playbooks,
    default_roles,
)
from crisisops.response.crisis import LEAD_ROLE, Crisis
from crisisops.response.events import (
    ActionAssigned,
    CrisisConfirmed,
    CrisisContained,
    CrisisDeclared,
    CrisisReopened,
    RoleAssigned,
)
from crisisops.response.lifecycle import (
    TRANSITIONS,
    CrisisMode,
    CrisisStatus,
    Milestone,
    Milestones,
)
from crisisops.response.records import (
    Action,
    ActionPriority,
    ActionStatus,
    FeedbackChannel,
    LevelChange,
    LossCategory,
    Origin,
    OriginKind,
    RateCard,
    RoleAssignment,
)
from crisisops.risk import Risk
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import Channel
from crisisops.taxonomy import ResponseLevel, default_catalog

S = CrisisStatus
UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
KEY = "traffic_drop"


def h(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def declared(**changes: Any) -> Crisis:
    fields: dict[str, Any] = {
        "title": "Traffic fell by half after a sudden event",
        "crisis_type": "market.traffic_swing",
        "level": ResponseLevel.III,
        "at": T0,
        "actor": "duty manager",
        "lead": "mei",
    }
    fields.update(changes)
    return Crisis.declare(KEY, **fields)


def read_api(crisis: Crisis) -> dict[str, Any]:
    """Every value the read API derives, for comparing two crises in full."""
    roles = sorted({a.role for a in crisis.role_assignments})
    return {
        "key": crisis.key,
        "events": crisis.events,
        "version": crisis.version,
        "status": crisis.status,
        "crisis_type": crisis.crisis_type,
        "root_cause": crisis.root_cause,
        "title": crisis.title,
        "mode": crisis.mode,
        "level": crisis.level,
        "level_changes": crisis.level_changes,
        "origins": crisis.origins,
        "milestones": crisis.milestones,
        "rates": crisis.rates,
        "declared_at": crisis.declared_at,
        "last_event_at": crisis.last_event_at,
        "lead": crisis.lead,
        "role_assignments": crisis.role_assignments,
        "holders": {role: crisis.holders(role) for role in roles},
        "actions": crisis.actions,
        "overdue": crisis.overdue_actions(crisis.last_event_at + dt.timedelta(days=2)),
        "playbooks": crisis.playbooks,
        "communications": crisis.communications,
        "feedback": crisis.feedback,
        "strategy_adjustments": crisis.strategy_adjustments,
        "resources": crisis.resources,
        "losses": crisis.losses,
        "merged_into": crisis.merged_into,
        "reopen_count": crisis.reopen_count,
        "ended_at": crisis.ended_at,
        "status_changes": crisis.status_changes,
        "active_periods": crisis.active_periods,
    }


def assert_refused(
    crisis: Crisis,
    command: Callable[[Crisis], object],
    error: type[Exception],
    match: str | None = None,
) -> None:
    """The command raises ``error`` and leaves the crisis exactly as it was."""
    before = read_api(crisis)
    with pytest.raises(error, match=match):
        command(crisis)
    assert before == read_api(crisis)
    assert crisis == Crisis.from_events(crisis.events)


# --- building crises in every status ------------------------------------------------


def base() -> Crisis:
    """A detected crisis with an open action 'triage' and a scribe 'bo'."""
    crisis = declared()
    crisis = crisis.assign_action(
        "triage",
        at=h(0.5),
        actor="mei",
        title="Check whether the drop is real",
        owner="ana",
        due_at=h(100),
        done_when="Traffic data checked against a second source",
    )
    return crisis.assign_role("scribe", "bo", at=h(0.5), actor="mei")


def in_status(status: CrisisStatus) -> Crisis:
    """Bring the base crisis to ``status`` with lifecycle commands at h(1)...h(6)."""
    crisis = base()
    if status is S.DETECTED:
        return crisis
    if status is S.DISMISSED:
        return crisis.dismiss(at=h(1), actor="mei", reason="Bot traffic")
    if status is S.MERGED:
        return crisis.merge_into("brand_attack", at=h(1), actor="mei", reason="Same")
    crisis = crisis.confirm(at=h(1), actor="mei", root_cause="A rumour")
    steps: list[tuple[CrisisStatus, Callable[[Crisis, dt.datetime], Crisis]]] = [
        (
            S.RESPONDING,
            lambda c, t: c.assign_action(
                "promote",
                at=t,
                actor="mei",
                title="Promote",
                owner="lin",
                due_at=t + dt.timedelta(hours=12),
                done_when="Live",
            ),
        ),
        (S.CONTAINED, lambda c, t: c.mark_contained(at=t, actor="mei")),
        (S.RECOVERING, lambda c, t: c.mark_recovered(at=t, actor="mei")),
        (S.RESOLVED, lambda c, t: c.resolve(at=t, actor="mei")),
        (S.REVIEWED, lambda c, t: c.mark_reviewed(at=t, actor="mei")),
    ]
    for hour, (reached, step) in enumerate(steps, start=2):
        if crisis.status is status:
            break
        crisis = step(crisis, h(hour))
        assert reached is crisis.status
    assert status is crisis.status
    return crisis


LATER = h(10)

LIFECYCLE: dict[str, Callable[[Crisis], Crisis]] = {
    "confirm": lambda c: c.confirm(at=LATER, actor="mei", root_cause="A rumour"),
    "dismiss": lambda c: c.dismiss(at=LATER, actor="mei", reason="Bot traffic"),
    "merge_into": lambda c: c.merge_into(
        "brand_attack", at=LATER, actor="mei", reason="Same cause"
    ),
    "mark_contained": lambda c: c.mark_contained(at=LATER, actor="mei"),
    "mark_recovered": lambda c: c.mark_recovered(at=LATER, actor="mei"),
    "resolve": lambda c: c.resolve(at=LATER, actor="mei"),
    "mark_reviewed": lambda c: c.mark_reviewed(at=LATER, actor="mei"),
    "reopen": lambda c: c.reopen(at=LATER, actor="mei", reason="It is back"),
}

# (status, command) → the status after it; every pair not listed is refused.
ALLOWED_LIFECYCLE: dict[tuple[CrisisStatus, str], CrisisStatus] = {
    (S.DETECTED, "confirm"): S.CONFIRMED,
    (S.DETECTED, "dismiss"): S.DISMISSED,
    (S.DETECTED, "merge_into"): S.MERGED,
    (S.CONFIRMED, "mark_contained"): S.CONTAINED,
    (S.CONFIRMED, "merge_into"): S.MERGED,
    (S.RESPONDING, "mark_contained"): S.CONTAINED,
    (S.RESPONDING, "merge_into"): S.MERGED,
    (S.CONTAINED, "mark_recovered"): S.RECOVERING,
    (S.CONTAINED, "merge_into"): S.MERGED,
    (S.RECOVERING, "resolve"): S.RESOLVED,
    (S.RECOVERING, "merge_into"): S.MERGED,
    (S.RESOLVED, "mark_reviewed"): S.REVIEWED,
    (S.RESOLVED, "reopen"): S.RESPONDING,
    (S.REVIEWED, "reopen"): S.RESPONDING,
    (S.DISMISSED, "reopen"): S.RESPONDING,
}


def test_the_allowed_lifecycle_pairs_are_the_transition_table() -> None:
    moves = {(status, target) for (status, _), target in ALLOWED_LIFECYCLE.items()}
    # CONFIRMED → RESPONDING is made by the first work, tested below.
    moves.add((S.CONFIRMED, S.RESPONDING))

    assert {(s, t) for s, targets in TRANSITIONS.items() for t in targets} == moves


@pytest.mark.parametrize("command", list(LIFECYCLE))
@pytest.mark.parametrize("status", list(CrisisStatus), ids=lambda s: s.value)
def test_every_status_and_lifecycle_command(status: CrisisStatus, command: str) -> None:
    crisis = in_status(status)
    run = LIFECYCLE[command]
    target = ALLOWED_LIFECYCLE.get((status, command))

    if target is None:
        assert_refused(
            crisis, run, TransitionError, f"crisis '{KEY}' from {status.value}"
        )
        return
    after = run(crisis)
    assert target is after.status
    assert crisis.version + 1 == after.version
    assert status is crisis.status  # the original is untouched


def work_commands() -> dict[str, Callable[[Crisis], Crisis]]:
    traffic = default_playbooks()["traffic_recovery"]
    return {
        "escalate": lambda c: c.escalate(at=LATER, actor="mei", reason="Spreading"),
        "de_escalate": lambda c: c.de_escalate(at=LATER, actor="mei", reason="Calm"),
        "assign_role": lambda c: c.assign_role(
            "data_analyst", "ana", at=LATER, actor="m"
        ),
        "relinquish_role": lambda c: c.relinquish_role(
            "scribe", "bo", at=LATER, actor="m"
        ),
        "assign_action": lambda c: c.assign_action(
            "notify",
            at=LATER,
            actor="mei",
            title="Notify",
            owner="lin",
            due_at=LATER,
            done_when="Sent",
        ),
        "start_action": lambda c: c.start_action("triage", at=LATER, actor="ana"),
        "complete_action": lambda c: c.complete_action("triage", at=LATER, actor="ana"),
        "block_action": lambda c: c.block_action(
            "triage", at=LATER, actor="ana", reason="No data"
        ),
        "reassign_action": lambda c: c.reassign_action(
            "triage", at=LATER, actor="mei", reason="Busy", owner="kai"
        ),
        "cancel_action": lambda c: c.cancel_action(
            "triage", at=LATER, actor="mei", reason="Moot"
        ),
        "activate_playbook": lambda c: c.activate_playbook(
            traffic, at=LATER, actor="m"
        ),
        "adjust_strategy": lambda c: c.adjust_strategy(
            at=LATER, actor="mei", summary="More ads", reason="Low traffic"
        ),
        "reallocate_resources": lambda c: c.reallocate_resources(
            at=LATER, actor="mei", amounts={"money.ads": 1000}, reason="Ads"
        ),
        "record_communication": lambda c: c.record_communication(
            at=LATER,
            actor="lin",
            audience="customers",
            channel=Channel.SOCIAL_MEDIA,
            internal=False,
            summary="Update",
        ),
        "record_feedback": lambda c: c.record_feedback(
            at=LATER, actor="ana", channel=FeedbackChannel.HOTLINE, volume=12
        ),
        "record_loss": lambda c: c.record_loss(
            at=LATER, actor="fin", category=LossCategory.OTHER, amount=Decimal(5)
        ),
        "link_origin": lambda c: c.link_origin(
            Origin(kind=OriginKind.REPORT, reference="hotline_2", detected_at=LATER),
            at=LATER,
            actor="ana",
        ),
    }


ACTIVE = [s for s in S if s.is_active]
WHEN_ALLOWED: dict[str, list[CrisisStatus]] = {
    **dict.fromkeys(work_commands(), ACTIVE),
    "activate_playbook": [s for s in ACTIVE if s is not S.DETECTED],
    "record_communication": [*ACTIVE, S.RESOLVED],
    "record_feedback": [*ACTIVE, S.RESOLVED],
    "record_loss": [*ACTIVE, S.RESOLVED],
    "link_origin": [*ACTIVE, S.RESOLVED],
    # A playbook's follow-up steps (its review, say) come after the resolution.
    "start_action": [*ACTIVE, S.RESOLVED],
    "complete_action": [*ACTIVE, S.RESOLVED],
    "cancel_action": [*ACTIVE, S.RESOLVED],
}
STARTS_WORK = {"assign_action", "start_action", "activate_playbook"}


@pytest.mark.parametrize("command", list(work_commands()))
@pytest.mark.parametrize("status", list(CrisisStatus), ids=lambda s: s.value)
def test_every_status_and_work_command(status: CrisisStatus, command: str) -> None:
    crisis = in_status(status)
    run = work_commands()[command]

    if status not in WHEN_ALLOWED[command]:
        assert_refused(
            crisis, run, TransitionError, re.escape(f"to {command} (allowed")
        )
        return
    after = run(crisis)
    starts_work = status is S.CONFIRMED and command in STARTS_WORK
    assert (S.RESPONDING if starts_work else status) is after.status
    assert crisis.version + 1 == after.version


# --- the hand-worked case: traffic drop, book §5.4 案例二 ---------------------------


def tp(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in March 2026, Taipei time."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TAIPEI)


def traffic_drop_case() -> Crisis:
    """Book §5.4 案例二: a sudden event makes traffic drop; ads, search, social."""
    alert = Alert(
        kind=AlertKind.BREACH,
        rule="traffic_drop",
        entity="shop",
        episode=1,
        crisis_type="market.traffic_swing",
        level=ResponseLevel.III,
        fired_level=ResponseLevel.III,
        peak_level=ResponseLevel.III,
        first_breach_at=tp(2, 6),
        fired_at=tp(2, 8),
        evidence=Evidence(
            observed=41000, signal=-0.45, baseline=75000, bound=-0.3, run_length=2
        ),
    )
    rates = RateCard(
        currency="TWD",
        hourly={"crisis_lead": Decimal(1500), "data_analyst": Decimal(900)},
        default_hourly=Decimal(800),
    )
    c = Crisis.declare(
        "traffic_drop_2026_03",
        title="Visits fell 45 % after a sudden event",
        crisis_type="market.traffic_swing",
        level=ResponseLevel.III,
        at=tp(2, 8, 30),
        actor="duty manager",
        lead="mei",
        origins=[Origin.from_alert(alert)],
        rates=rates,
    )
    c = c.confirm(
        at=tp(2, 9), actor="mei", root_cause="A sudden event pulled search traffic away"
    )
    c = c.assign_role("data_analyst", "ana", at=tp(2, 9, 5), actor="mei")
    c = c.assign_role("marketing_pr", "lin", at=tp(2, 9, 5), actor="mei")
    c = c.activate_playbook(
        default_playbooks()["traffic_recovery"], at=tp(2, 9, 10), actor="mei"
    )
    c = c.record_communication(
        at=tp(2, 9, 30),
        actor="lin",
        audience="customers",
        channel=Channel.SOCIAL_MEDIA,
        internal=False,
        summary="We see the problem and are working on it",
        next_update_at=tp(2, 11, 30),
    )
    c = c.start_action("traffic_recovery.diagnose_traffic", at=tp(2, 10), actor="ana")
    c = c.record_feedback(
        at=tp(2, 12),
        actor="ana",
        channel=FeedbackChannel.SOCIAL_MEDIA,
        volume=850,
        sentiment=-0.42,
        negative_share=0.61,
        kpis={"traffic.visits": 41000},
    )
    c = c.complete_action(
        "traffic_recovery.diagnose_traffic", at=tp(2, 12, 30), actor="ana"
    )
    c = c.escalate(at=tp(2, 12, 45), actor="mei", reason="Negative posts spreading")
    c = c.reallocate_resources(
        at=tp(2, 13),
        actor="mei",
        amounts={"money.ads": 50000, "people.customer_service": 6},
        reason="Fund the campaigns; staff the hotline",
    )
    c = c.adjust_strategy(
        at=tp(2, 13),
        actor="mei",
        summary="Answer on social media before the campaigns start",
        reason="Sentiment fell to -0.42",
        families=[StrategyFamily.COMMUNICATION, StrategyFamily.RESOURCES],
    )
    c = c.start_action(
        "traffic_recovery.launch_promotions", at=tp(2, 13, 30), actor="lin"
    )
    c = c.start_action(
        "traffic_recovery.social_response", at=tp(2, 13, 30), actor="lin"
    )
    c = c.complete_action("traffic_recovery.social_response", at=tp(2, 16), actor="lin")
    c = c.assign_role(
        LEAD_ROLE, "kai", at=tp(2, 18), actor="mei", reason="Shift change"
    )
    c = c.block_action(
        "traffic_recovery.launch_promotions",
        at=tp(2, 19),
        actor="lin",
        reason="Ad account under review",
    )
    slipped = c.overdue_actions(tp(2, 21, 30))
    assert ("traffic_recovery.launch_promotions",) == tuple(a.key for a in slipped)
    c = c.reassign_action(
        "traffic_recovery.launch_promotions",
        at=tp(2, 21, 30),
        actor="kai",
        reason="The review ends tomorrow noon",
        due_at=tp(3, 12),
    )
    c = c.start_action("traffic_recovery.launch_promotions", at=tp(3, 10), actor="lin")
    c = c.complete_action(
        "traffic_recovery.launch_promotions", at=tp(3, 11), actor="lin"
    )
    c = c.record_feedback(
        at=tp(3, 12),
        actor="ana",
        channel=FeedbackChannel.DATA_REPORT,
        volume=300,
        sentiment=-0.05,
        negative_share=0.2,
        kpis={"traffic.visits": 68000},
    )
    c = c.de_escalate(at=tp(3, 12, 30), actor="kai", reason="Sentiment recovered")
    c = c.mark_contained(at=tp(3, 14), actor="kai", summary="Visits back to 90 %")
    c = c.complete_action("traffic_recovery.optimise_search", at=tp(4, 9), actor="kai")
    c = c.mark_recovered(at=tp(4, 10), actor="kai")
    c = c.complete_action("traffic_recovery.track_traffic", at=tp(5, 9), actor="ana")
    c = c.record_loss(
        at=tp(5, 10),
        actor="finance",
        category=LossCategory.LOST_SALES,
        amount=Decimal("182000.00"),
    )
    c = c.complete_action(
        "traffic_recovery.review_and_drill", at=tp(5, 10, 30), actor="kai"
    )
    c = c.resolve(at=tp(5, 11), actor="kai")
    c = c.record_communication(
        at=tp(5, 12),
        actor="lin",
        audience="customers",
        channel=Channel.SOCIAL_MEDIA,
        internal=False,
        summary="All clear",
        final=True,
    )
    return c.mark_reviewed(at=tp(12, 10), actor="kai", review="review-2026-03-12")


def test_the_traffic_drop_case_timeline() -> None:
    crisis = traffic_drop_case()

    assert 31 == crisis.version
    assert S.REVIEWED is crisis.status
    assert "kai" == crisis.lead
    assert ResponseLevel.III is crisis.level
    assert "A sudden event pulled search traffic away" == crisis.root_cause
    # Milestones: onset 06:00 and detection 08:00 come from the alert.
    assert (
        Milestones(
            impact_started=tp(2, 6),
            detected=tp(2, 8),
            declared=tp(2, 8, 30),
            acknowledged=tp(2, 9),
            contained=tp(3, 14),
            recovered=tp(4, 10),
            resolved=tp(5, 11),
            reviewed=tp(12, 10),
        )
        == crisis.milestones
    )
    # Time to detect 2 h; detection to containment 03-02 08:00 → 03-03 14:00 = 30 h.
    marks = crisis.milestones
    assert dt.timedelta(hours=2) == marks.between(
        Milestone.IMPACT_STARTED, Milestone.DETECTED
    )
    assert dt.timedelta(hours=30) == marks.between(
        Milestone.DETECTED, Milestone.CONTAINED
    )
    assert tp(5, 11) == crisis.ended_at
    assert tp(2, 8, 30) == crisis.declared_at
    assert tp(12, 10) == crisis.last_event_at


def test_the_traffic_drop_case_levels_and_roles() -> None:
    crisis = traffic_drop_case()

    assert (
        LevelChange(
            at=tp(2, 8, 30),
            actor="duty manager",
            level=ResponseLevel.III,
            previous=None,
            reason="declared",
        ),
        LevelChange(
            at=tp(2, 12, 45),
            actor="mei",
            level=ResponseLevel.II,
            previous=ResponseLevel.III,
            reason="Negative posts spreading",
        ),
        LevelChange(
            at=tp(3, 12, 30),
            actor="kai",
            level=ResponseLevel.III,
            previous=ResponseLevel.II,
            reason="Sentiment recovered",
        ),
    ) == crisis.level_changes
    # Level II lasted 03-02 12:45 → 03-03 12:30: 23 h 45 min.
    changes = crisis.level_changes
    assert dt.timedelta(hours=23, minutes=45) == changes[2].at - changes[1].at
    assert (
        RoleAssignment(
            role=LEAD_ROLE,
            member="mei",
            assumed_at=tp(2, 8, 30),
            relinquished_at=tp(2, 18),
        ),
        RoleAssignment(role="data_analyst", member="ana", assumed_at=tp(2, 9, 5)),
        RoleAssignment(role="marketing_pr", member="lin", assumed_at=tp(2, 9, 5)),
        RoleAssignment(
            role=LEAD_ROLE, member="kai", assumed_at=tp(2, 18), handoff_from="mei"
        ),
    ) == crisis.role_assignments
    assert ("kai",) == crisis.holders(LEAD_ROLE)
    assert () == crisis.holders("ops_expert")


def test_the_traffic_drop_case_actions() -> None:
    crisis = traffic_drop_case()
    actions = {a.key.split(".")[1]: a for a in crisis.actions}

    assert [
        "diagnose_traffic",
        "launch_promotions",
        "optimise_search",
        "social_response",
        "track_traffic",
        "review_and_drill",
    ] == list(actions)
    # Owners: the role's holder, else the lead at activation (mei): nobody held
    # ops_expert, and the review belongs to the crisis lead.
    assert {
        "diagnose_traffic": "ana",
        "launch_promotions": "lin",
        "optimise_search": "mei",
        "social_response": "lin",
        "track_traffic": "ana",
        "review_and_drill": "mei",
    } == {key: a.owner for key, a in actions.items()}
    # Due = activation 09:10 + the step's deadline (4 h, 12 h, 48 h, 8 h, 72 h,
    # one month); launch_promotions was moved to 03-03 12:00.
    assert {
        "diagnose_traffic": tp(2, 13, 10),
        "launch_promotions": tp(3, 12),
        "optimise_search": tp(4, 9, 10),
        "social_response": tp(2, 17, 10),
        "track_traffic": tp(5, 9, 10),
        "review_and_drill": dt.datetime(2026, 4, 2, 9, 10, tzinfo=TAIPEI),
    } == {key: a.due_at for key, a in actions.items()}
    # Only launch_promotions slipped: first due 09:10 + 12 h = 03-02 21:10, done
    # 03-03 11:00. Moving its deadline to 03-03 12:00 does not make it punctual.
    assert tp(2, 21, 10) == actions["launch_promotions"].first_due_at
    assert {"launch_promotions"} == {k for k, a in actions.items() if a.slipped}
    assert {"launch_promotions"} == {
        key for key, a in actions.items() if a.finished_on_time is False
    }
    assert {ActionStatus.DONE} == {a.status for a in actions.values()}
    # The critical path: diagnose → optimise (8 h) → track → review.
    assert {
        "diagnose_traffic",
        "optimise_search",
        "track_traffic",
        "review_and_drill",
    } == {key for key, a in actions.items() if a.critical}
    # Resumed after the block, it keeps its first start; done without a start,
    # optimise_search starts when it is done.
    assert tp(2, 13, 30) == actions["launch_promotions"].started_at
    assert tp(4, 9) == actions["optimise_search"].started_at
    assert (
        "traffic_recovery.launch_promotions",
        "traffic_recovery.optimise_search",
    ) == (actions["track_traffic"].depends_on)
    assert FrozenDict({"traffic_recovery": tp(2, 9, 10)}) == crisis.playbooks


def test_the_traffic_drop_case_records() -> None:
    crisis = traffic_drop_case()

    assert FrozenDict({"money.ads": 50000.0, "people.customer_service": 6.0}) == (
        crisis.resources
    )
    assert [False, True] == [m.final for m in crisis.communications]
    assert [850, 300] == [f.volume for f in crisis.feedback]
    assert [Decimal("182000.00")] == [loss.amount for loss in crisis.losses]
    assert 1 == len(crisis.strategy_adjustments)
    assert "traffic_drop/shop/1" == crisis.origins[0].reference
    assert "TWD" == (crisis.rates.currency if crisis.rates else None)
    assert crisis.reopen_count == 0
    assert crisis.merged_into is None


def test_the_traffic_drop_case_replays_and_round_trips() -> None:
    crisis = traffic_drop_case()
    document = json.loads(json.dumps(to_data(crisis), allow_nan=False))
    back = from_data(Crisis, document)

    assert crisis == Crisis.from_events(crisis.events)
    assert read_api(crisis) == read_api(Crisis.from_events(crisis.events))
    assert crisis == back
    assert read_api(crisis) == read_api(back)
    assert {"events", "roles", "catalog"} == set(document["data"])
    assert "CrisisDeclared" == document["data"]["events"][0]["@type"]


# --- commands in detail -------------------------------------------------------------


def test_declare_defaults_the_times_from_the_origins() -> None:
    early = Origin.from_risk(
        _risk(), at=h(-2), level=ResponseLevel.III
    )  # detected_at h(-2), no onset
    alert_origin = attrs.evolve(early, signal_onset=h(-5), detected_at=h(-1))

    crisis = declared(origins=(alert_origin, early))

    assert h(-5) == crisis.milestones.impact_started
    assert h(-2) == crisis.milestones.detected
    assert T0 == crisis.milestones.declared
    plain = declared()
    assert T0 == plain.milestones.detected
    assert plain.milestones.impact_started is None


def _risk() -> Risk:
    return Risk(
        key="traffic_swing", title="Traffic lost", crisis_type="market.traffic_swing"
    )


def test_declare_sets_one_lead_and_the_declared_level() -> None:
    crisis = declared(mode=CrisisMode.DRILL)

    assert S.DETECTED is crisis.status
    assert CrisisMode.DRILL is crisis.mode
    assert "mei" == crisis.lead
    assert ("mei",) == crisis.holders(LEAD_ROLE)
    assert (RoleAssignment(role=LEAD_ROLE, member="mei", assumed_at=T0),) == (
        crisis.role_assignments
    )
    assert 1 == len(crisis.level_changes)
    assert crisis.root_cause is None
    assert crisis.ended_at is None
    assert 1 == crisis.version
    assert "Crisis(key='traffic_drop', status='detected', level='III', version=1)" == (
        repr(crisis)
    )


def test_confirm_may_reclassify_the_crisis() -> None:
    crisis = declared().confirm(
        at=h(1),
        actor="mei",
        root_cause="Brand attack",
        crisis_type="market.brand_damage",
    )

    assert "market.brand_damage" == crisis.crisis_type
    assert h(1) == crisis.milestones.acknowledged


def test_escalate_and_de_escalate_by_one_step_or_to_a_level() -> None:
    crisis = declared().escalate(at=h(1), actor="mei", reason="Spreading")
    assert ResponseLevel.II is crisis.level
    crisis = crisis.escalate(at=h(2), actor="mei", reason="Press", to=ResponseLevel.I)
    assert ResponseLevel.I is crisis.level
    crisis = crisis.de_escalate(
        at=h(3), actor="mei", reason="Calm", to=ResponseLevel.IV
    )
    assert ResponseLevel.IV is crisis.level
    assert [None, ResponseLevel.III, ResponseLevel.II, ResponseLevel.I] == [
        change.previous for change in crisis.level_changes
    ]


def test_the_lead_is_handed_off_never_doubled() -> None:
    crisis = declared().assign_role(LEAD_ROLE, "kai", at=h(1), actor="mei")
    crisis = crisis.assign_role(LEAD_ROLE, "mei", at=h(2), actor="kai")

    assert "mei" == crisis.lead
    assert ("mei",) == crisis.holders(LEAD_ROLE)
    lead_spans = [
        (a.member, a.assumed_at, a.relinquished_at, a.handoff_from)
        for a in crisis.role_assignments
    ]
    assert [
        ("mei", T0, h(1), None),
        ("kai", h(1), h(2), "mei"),
        ("mei", h(2), None, "kai"),
    ] == lead_spans
    events = [e for e in crisis.events if isinstance(e, RoleAssigned)]
    assert ["mei", "kai"] == [e.handoff_from for e in events]


def test_a_member_may_hold_several_roles_and_a_role_several_members() -> None:
    crisis = declared()
    crisis = crisis.assign_role("scribe", "mei", at=h(1), actor="mei")
    crisis = crisis.assign_role("customer_service", "bo", at=h(1), actor="mei")
    crisis = crisis.assign_role("customer_service", "cy", at=h(1), actor="mei")
    crisis = crisis.relinquish_role("customer_service", "bo", at=h(2), actor="bo")

    assert ("mei",) == crisis.holders("scribe")
    assert ("cy",) == crisis.holders("customer_service")
    assert h(2) == crisis.role_assignments[2].relinquished_at
    # Re-assigning after relinquishing is a new assignment.
    crisis = crisis.assign_role("customer_service", "bo", at=h(3), actor="mei")
    assert ("cy", "bo") == crisis.holders("customer_service")
    assert 5 == len(crisis.role_assignments)


def test_playbook_owners_follow_the_incident_command_rule() -> None:
    playbook = default_playbooks()["traffic_recovery"]
    crisis = declared().confirm(at=h(1), actor="mei", root_cause="Rumour")
    crisis = crisis.assign_role("marketing_pr", "lin", at=h(1), actor="mei")
    crisis = crisis.assign_role("marketing_pr", "zoe", at=h(1), actor="mei")
    crisis = crisis.activate_playbook(
        playbook, at=h(2), actor="mei", owners={"data_analyst": "ana"}
    )
    owners = {a.key: a.owner for a in crisis.actions}

    assert "ana" == owners["traffic_recovery.diagnose_traffic"]  # named
    assert "lin" == owners["traffic_recovery.launch_promotions"]  # first holder
    assert "mei" == owners["traffic_recovery.optimise_search"]  # the lead
    assert S.RESPONDING is crisis.status
    first = crisis.action("traffic_recovery.diagnose_traffic")
    assert "data_analyst" == first.owner_role
    assert "traffic_recovery" == first.playbook
    assert h(2) + dt.timedelta(hours=4) == first.due_at
    assert "The drop is attributed to channels and pages" == first.done_when


def test_action_life_and_blocking() -> None:
    crisis = in_status(S.RESPONDING)
    crisis = crisis.assign_action(
        "follow_up",
        at=h(3),
        actor="mei",
        title="Follow up",
        owner="lin",
        due_at=h(8),
        done_when="Done",
        depends_on=["promote"],
        priority=ActionPriority.HIGH,
        owner_role="marketing_pr",
    )
    assert_refused(
        crisis,
        lambda c: c.start_action("follow_up", at=h(3), actor="lin"),
        TransitionError,
        "waiting for promote",
    )
    crisis = crisis.start_action("promote", at=h(3), actor="lin")
    crisis = crisis.block_action("promote", at=h(4), actor="lin", reason="No budget")
    assert "No budget" == crisis.action("promote").blocked_reason
    assert_refused(
        crisis,
        lambda c: c.complete_action("promote", at=h(5), actor="lin"),
        TransitionError,
        "from blocked to done",
    )
    crisis = crisis.start_action("promote", at=h(5), actor="lin")
    promote = crisis.action("promote")
    assert (ActionStatus.IN_PROGRESS, h(3), None) == (
        promote.status,
        promote.started_at,
        promote.blocked_reason,
    )
    crisis = crisis.complete_action("promote", at=h(6), actor="lin", note="Live")
    crisis = crisis.start_action("follow_up", at=h(6), actor="lin")
    crisis = crisis.cancel_action("follow_up", at=h(7), actor="mei", reason="Moot")
    follow = crisis.action("follow_up")
    assert (ActionStatus.CANCELLED, h(7)) == (follow.status, follow.cancelled_at)
    assert ActionPriority.HIGH is follow.priority
    for command in (
        lambda c: c.start_action("follow_up", at=h(8), actor="lin"),
        lambda c: c.block_action("follow_up", at=h(8), actor="lin", reason="x"),
        lambda c: c.cancel_action("follow_up", at=h(8), actor="lin", reason="x"),
        lambda c: c.reassign_action(
            "promote", at=h(8), actor="lin", reason="x", owner="z"
        ),
    ):
        assert_refused(crisis, command, TransitionError, "allowed next: nothing")


def test_reassign_changes_owner_or_deadline() -> None:
    crisis = base()
    crisis = crisis.reassign_action(
        "triage", at=h(1), actor="mei", reason="x", owner="kai"
    )
    assert ("kai", h(100)) == (
        crisis.action("triage").owner,
        crisis.action("triage").due_at,
    )
    crisis = crisis.reassign_action(
        "triage", at=h(2), actor="mei", reason="x", due_at=h(3)
    )
    assert ("kai", h(3)) == (
        crisis.action("triage").owner,
        crisis.action("triage").due_at,
    )
    assert (crisis.action("triage"),) == crisis.overdue_actions(h(3.5))
    assert () == crisis.overdue_actions(h(3))


def test_reopen_clears_the_later_milestones_and_counts() -> None:
    resolved = in_status(S.RESOLVED)
    reopened = resolved.reopen(at=h(8), actor="mei", reason="Dropped again")

    assert S.RESPONDING is reopened.status
    assert 1 == reopened.reopen_count
    assert reopened.ended_at is None
    marks = reopened.milestones
    assert (h(1), None, None, None) == (
        marks.acknowledged,
        marks.contained,
        marks.recovered,
        marks.resolved,
    )
    again = reopened.mark_contained(at=h(9), actor="mei")
    assert h(9) == again.milestones.contained
    # The history keeps the first containment.
    assert [h(3), h(9)] == [
        e.at for e in again.events if isinstance(e, CrisisContained)
    ]


def test_the_status_history_and_the_active_periods() -> None:
    resolved = in_status(S.REVIEWED)  # resolved at h(5), reviewed at h(6)
    reopened = resolved.reopen(at=h(8), actor="mei", reason="Dropped again")
    merged = reopened.merge_into("brand_attack", at=h(9), actor="mei", reason="Dup")

    assert [
        (T0, S.DETECTED),
        (h(1), S.CONFIRMED),
        (h(2), S.RESPONDING),  # the first work on a confirmed crisis
        (h(3), S.CONTAINED),
        (h(4), S.RECOVERING),
        (h(5), S.RESOLVED),
        (h(6), S.REVIEWED),
        (h(8), S.RESPONDING),
        (h(9), S.MERGED),
    ] == list(merged.status_changes)
    # Active from the declaration to the resolution, then from the reopening.
    assert ((T0, h(5)),) == resolved.active_periods
    assert ((T0, h(5)), (h(8), None)) == reopened.active_periods
    assert ((T0, h(5)), (h(8), h(9))) == merged.active_periods
    assert h(9) == merged.ended_at
    # Active time: 0 → 5 h and 8 → 9 h; an open period runs on to ``end``.
    hour = dt.timedelta(hours=1)
    assert 6 * hour == merged.active_time(T0, h(20))
    assert 2 * hour == reopened.active_time(h(4), h(9))
    assert 4 * hour == reopened.active_time(h(4), h(11))
    assert dt.timedelta(0) == merged.active_time(h(5), h(8))
    assert dt.timedelta(0) == merged.active_time(h(3), h(2))
    with pytest.raises(NaiveDatetimeError, match="'start'"):
        merged.active_time(NAIVE, h(2))


def test_declare_names_its_own_arguments() -> None:
    # Declaring is not replaying: the error names the argument, not events[0].
    with pytest.raises(UnknownKeyError) as caught:
        declared(crisis_type="market.traffic_swign")
    assert "unknown crisis type 'market.traffic_swign'; did you mean" in str(
        caught.value
    )
    assert "events[0]" not in str(caught.value)


def test_a_dismissed_crisis_reopens_without_an_acknowledgement() -> None:
    crisis = declared().dismiss(at=h(1), actor="mei", reason="Looked like bots")
    assert h(1) == crisis.ended_at
    crisis = crisis.reopen(at=h(2), actor="mei", reason="It was real")

    assert S.RESPONDING is crisis.status
    assert crisis.milestones.acknowledged is None
    assert isinstance(crisis.events[-1], CrisisReopened)


def test_merge_records_the_target_and_ends_the_crisis() -> None:
    crisis = declared().merge_into("brand_attack", at=h(1), actor="mei", reason="Dup")

    assert ("brand_attack", h(1)) == (crisis.merged_into, crisis.ended_at)


def test_communications_feedback_and_losses_continue_after_resolution() -> None:
    crisis = in_status(S.RESOLVED)
    crisis = crisis.record_feedback(
        at=h(8),
        actor="ana",
        channel=FeedbackChannel.ONLINE_SERVICE,
        volume=3,
        kpis={"sales.refunds": 2},
    )
    crisis = crisis.record_loss(
        at=h(9),
        actor="fin",
        category=LossCategory.REFUNDS_COMPENSATION,
        amount=Decimal("99.90"),
        estimate=False,
    )

    assert S.RESOLVED is crisis.status
    assert FrozenDict({"sales.refunds": 2.0}) == crisis.feedback[0].kpis
    assert Decimal("99.90") == crisis.losses[0].amount


def test_a_drill_behaves_like_a_real_crisis() -> None:
    real = traffic_drop_case()
    first = real.events[0]
    assert isinstance(first, CrisisDeclared)
    drill_events = (attrs.evolve(first, mode=CrisisMode.DRILL), *real.events[1:])
    drill = Crisis.from_events(drill_events)
    expected = read_api(real)
    actual = read_api(drill)
    for api in (expected, actual):
        del api["events"], api["mode"]

    assert expected == actual
    assert CrisisMode.DRILL is drill.mode


def test_commands_branch_without_disturbing_each_other() -> None:
    crisis = base()
    confirmed = crisis.confirm(at=h(1), actor="mei", root_cause="Rumour")
    dismissed = crisis.dismiss(at=h(1), actor="mei", reason="Bots")
    later = confirmed.mark_contained(at=h(2), actor="mei")

    assert S.DETECTED is crisis.status
    assert (S.CONFIRMED, S.DISMISSED, S.CONTAINED) == (
        confirmed.status,
        dismissed.status,
        later.status,
    )
    assert crisis.events == dismissed.events[:-1] == confirmed.events[:-1]
    assert confirmed.events == later.events[:-1]
    assert Crisis.from_events(dismissed.events) == dismissed


def test_append_applies_a_pre_built_event() -> None:
    crisis = declared()
    event = CrisisConfirmed(
        crisis=KEY,
        sequence=1,
        at=h(1),
        actor="mei",
        crisis_type="market.traffic_swing",
        root_cause="Rumour",
    )

    assert declared().confirm(at=h(1), actor="mei", root_cause="Rumour") == (
        crisis.append(event)
    )


def test_append_checks_the_event_like_a_command() -> None:
    crisis = declared()
    event = CrisisConfirmed(
        crisis=KEY,
        sequence=1,
        at=h(1),
        actor="mei",
        crisis_type="market.traffic_swing",
        root_cause="Rumour",
    )

    assert_refused(
        crisis, lambda c: c.append(bad("confirmed")), InvalidTypeError, "'event'"
    )
    assert_refused(
        crisis,
        lambda c: c.append(attrs.evolve(event, sequence=5)),
        ValidationError,
        "'sequence' must be 1",
    )
    assert_refused(
        crisis,
        lambda c: c.append(attrs.evolve(event, crisis="another")),
        ValidationError,
        "'crisis'",
    )
    assert_refused(
        crisis, lambda c: c.append(crisis.events[0]), ValidationError, "once"
    )
    assert Crisis(events=[crisis.events[0], event]) == crisis.append(event)


def test_equality_hash_copy_and_pickle() -> None:
    crisis = traffic_drop_case()
    replayed = Crisis.from_events(crisis.events, roles=default_roles())

    assert crisis == replayed
    assert hash(crisis) == hash(replayed)
    assert crisis == copy.deepcopy(crisis)
    assert crisis == pickle.loads(pickle.dumps(crisis))  # noqa: S301  our own data
    assert crisis != declared()
    assert read_api(crisis) == read_api(pickle.loads(pickle.dumps(crisis)))  # noqa: S301


def test_a_custom_catalog_and_roles_are_used_for_checks() -> None:
    catalog = default_catalog().select(lambda t: t.key == "market.traffic_swing")
    crisis = declared(catalog=catalog)

    assert catalog is crisis.catalog
    assert_refused(
        crisis,
        lambda c: c.confirm(
            at=h(1), actor="m", root_cause="x", crisis_type="market.brand_damage"
        ),
        UnknownKeyError,
        "crisis type",
    )
    roles = default_roles().without("scribe")
    slim = declared(roles=roles)
    assert_refused(
        slim,
        lambda c: c.assign_role("scribe", "bo", at=h(1), actor="m"),
        UnknownKeyError,
    )
    with pytest.raises(UnknownKeyError, match="crisis_lead"):
        declared(roles=default_roles().without(LEAD_ROLE))


# --- bad input for every command ----------------------------------------------------

NAIVE = dt.datetime(2026, 3, 1, 12)  # noqa: DTZ001  on purpose
TRAFFIC = default_playbooks()["traffic_recovery"]


def bad(value: object) -> Any:
    """Pass a value of the wrong type past the type checker, on purpose."""
    return value


def new_action(c: Crisis, key: str = "x", **changes: Any) -> Crisis:
    fields: dict[str, Any] = {
        "at": LATER,
        "actor": "m",
        "title": "t",
        "owner": "o",
        "due_at": LATER,
        "done_when": "d",
    }
    fields.update(changes)
    return c.assign_action(key, **fields)


def feedback(c: Crisis, **changes: Any) -> Crisis:
    fields: dict[str, Any] = {
        "at": LATER,
        "actor": "m",
        "channel": FeedbackChannel.EMAIL,
        "volume": 1,
    }
    fields.update(changes)
    return c.record_feedback(**fields)


def message(c: Crisis, **changes: Any) -> Crisis:
    fields: dict[str, Any] = {
        "at": LATER,
        "actor": "m",
        "audience": "customers",
        "channel": Channel.EMAIL,
        "internal": False,
        "summary": "x",
    }
    fields.update(changes)
    return c.record_communication(**fields)


def playbook(c: Crisis, **changes: Any) -> Crisis:
    fields: dict[str, Any] = {"at": LATER, "actor": "m"}
    fields.update(changes)
    return c.activate_playbook(TRAFFIC, **fields)


def twice(command: Callable[[Crisis], Crisis]) -> Callable[[Crisis], Crisis]:
    return lambda c: command(command(c))


Command = Callable[[Crisis], object]
R = S.RESPONDING

# name, status the crisis is in, the command, the error, a text the message has
BAD_COMMANDS: list[tuple[str, CrisisStatus, Command, type[Exception], str]] = [
    # --- lifecycle
    (
        "contain before confirm",
        S.DETECTED,
        LIFECYCLE["mark_contained"],
        TransitionError,
        "detected to contained",
    ),
    (
        "confirm twice",
        S.CONFIRMED,
        LIFECYCLE["confirm"],
        TransitionError,
        "confirmed to confirmed",
    ),
    (
        "resolve before recovery",
        S.CONTAINED,
        LIFECYCLE["resolve"],
        TransitionError,
        "contained to resolved",
    ),
    (
        "confirm naive",
        S.DETECTED,
        lambda c: c.confirm(at=NAIVE, actor="m", root_cause="x"),
        NaiveDatetimeError,
        "'at'",
    ),
    (
        "confirm before the last event",
        S.DETECTED,
        lambda c: c.confirm(at=h(0.25), actor="m", root_cause="x"),
        ValidationError,
        "at or after the last event",
    ),
    (
        "confirm without a cause",
        S.DETECTED,
        lambda c: c.confirm(at=LATER, actor="m", root_cause=" "),
        ValidationError,
        "'root_cause'",
    ),
    (
        "confirm an unknown type",
        S.DETECTED,
        lambda c: c.confirm(
            at=LATER, actor="m", root_cause="x", crisis_type="market.nope"
        ),
        UnknownKeyError,
        "crisis type",
    ),
    (
        "confirm without an actor",
        S.DETECTED,
        lambda c: c.confirm(at=LATER, actor="", root_cause="x"),
        ValidationError,
        "'actor'",
    ),
    (
        "dismiss without a reason",
        S.DETECTED,
        lambda c: c.dismiss(at=LATER, actor="m", reason=""),
        ValidationError,
        "'reason'",
    ),
    (
        "reopen without a reason",
        S.RESOLVED,
        lambda c: c.reopen(at=LATER, actor="m", reason=""),
        ValidationError,
        "'reason'",
    ),
    (
        "merge into itself",
        S.DETECTED,
        lambda c: c.merge_into(KEY, at=LATER, actor="m", reason="x"),
        ValidationError,
        "'into'",
    ),
    (
        "merge into a bad key",
        S.DETECTED,
        lambda c: c.merge_into("INC 42", at=LATER, actor="m", reason="x"),
        ValidationError,
        "'into'",
    ),
    (
        "review naive",
        S.RESOLVED,
        lambda c: c.mark_reviewed(at=NAIVE, actor="m"),
        NaiveDatetimeError,
        "'at'",
    ),
    (
        "contain with a summary that is not text",
        R,
        lambda c: c.mark_contained(at=LATER, actor="m", summary=bad(None)),
        InvalidTypeError,
        "'summary'",
    ),
    (
        "recover naive",
        S.CONTAINED,
        lambda c: c.mark_recovered(at=NAIVE, actor="m"),
        NaiveDatetimeError,
        "'at'",
    ),
    (
        "resolve before the last event",
        S.RECOVERING,
        lambda c: c.resolve(at=h(1), actor="m"),
        ValidationError,
        "'at'",
    ),
    # --- levels
    (
        "escalate at Level I",
        R,
        lambda c: c.escalate(
            at=LATER, actor="m", reason="x", to=ResponseLevel.I
        ).escalate(at=LATER, actor="m", reason="x"),
        TransitionError,
        "from Level I",
    ),
    (
        "escalate to a milder level",
        R,
        lambda c: c.escalate(at=LATER, actor="m", reason="x", to=ResponseLevel.IV),
        TransitionError,
        "response level",
    ),
    (
        "escalate to the same level",
        R,
        lambda c: c.escalate(at=LATER, actor="m", reason="x", to=ResponseLevel.III),
        TransitionError,
        "response level",
    ),
    (
        "de-escalate at Level IV",
        R,
        lambda c: c.de_escalate(
            at=LATER, actor="m", reason="x", to=ResponseLevel.IV
        ).de_escalate(at=LATER, actor="m", reason="x"),
        TransitionError,
        "from Level IV",
    ),
    (
        "escalate without a reason",
        R,
        lambda c: c.escalate(at=LATER, actor="m", reason=""),
        ValidationError,
        "'reason'",
    ),
    (
        "escalate to something that is not a level",
        R,
        lambda c: c.escalate(at=LATER, actor="m", reason="x", to=bad("I")),
        InvalidTypeError,
        "'to'",
    ),
    # --- roles
    (
        "an unknown role",
        R,
        lambda c: c.assign_role("ceo", "bo", at=LATER, actor="m"),
        UnknownKeyError,
        "unknown role 'ceo'",
    ),
    (
        "a role the member holds",
        R,
        lambda c: c.assign_role("scribe", "bo", at=LATER, actor="m"),
        DuplicateKeyError,
        "holder of role 'scribe'",
    ),
    (
        "the lead role to the lead",
        R,
        lambda c: c.assign_role(LEAD_ROLE, "mei", at=LATER, actor="m"),
        DuplicateKeyError,
        "holder of role 'crisis_lead'",
    ),
    (
        "relinquish the lead",
        R,
        lambda c: c.relinquish_role(LEAD_ROLE, "mei", at=LATER, actor="m"),
        TransitionError,
        "hand-off",
    ),
    (
        "relinquish a role not held",
        R,
        lambda c: c.relinquish_role("scribe", "kai", at=LATER, actor="m"),
        UnknownKeyError,
        "holder of role 'scribe'",
    ),
    (
        "relinquish an unknown role",
        R,
        lambda c: c.relinquish_role("ceo", "bo", at=LATER, actor="m"),
        UnknownKeyError,
        "unknown role",
    ),
    (
        "a bad member key",
        R,
        lambda c: c.assign_role("scribe", "Bo Lin", at=LATER, actor="m"),
        ValidationError,
        "'member'",
    ),
    (
        "a role that is not text",
        R,
        lambda c: c.assign_role(bad(7), "bo", at=LATER, actor="m"),
        InvalidTypeError,
        "'role'",
    ),
    # --- actions
    (
        "complete an action never assigned",
        R,
        lambda c: c.complete_action("refund", at=LATER, actor="m"),
        UnknownKeyError,
        "unknown action 'refund'",
    ),
    (
        "start an unknown action",
        R,
        lambda c: c.start_action("promot", at=LATER, actor="m"),
        UnknownKeyError,
        "did you mean 'promote'",
    ),
    (
        "a duplicate action",
        R,
        lambda c: new_action(c, "triage"),
        DuplicateKeyError,
        "action 'triage'",
    ),
    (
        "an action assigned at a naive time",
        R,
        lambda c: new_action(c, at=NAIVE),
        NaiveDatetimeError,
        "'at'",
    ),
    (
        "due before assigned",
        R,
        lambda c: new_action(c, due_at=h(9)),
        ValidationError,
        "'due_at'",
    ),
    (
        "an unknown dependency",
        R,
        lambda c: new_action(c, depends_on=("nope",)),
        UnknownKeyError,
        "dependency of 'x'",
    ),
    (
        "an unknown owner role",
        R,
        lambda c: new_action(c, owner_role="ceo"),
        UnknownKeyError,
        "unknown role",
    ),
    (
        "no done-when",
        R,
        lambda c: new_action(c, done_when=""),
        ValidationError,
        "'done_when'",
    ),
    (
        "a bad action key",
        R,
        lambda c: new_action(c, "Fix it"),
        ValidationError,
        "'key'",
    ),
    (
        "a bad priority",
        R,
        lambda c: new_action(c, priority="high"),
        InvalidTypeError,
        "'priority'",
    ),
    (
        "block without a reason",
        R,
        lambda c: c.block_action("triage", at=LATER, actor="m", reason=""),
        ValidationError,
        "'reason'",
    ),
    (
        "cancel without a reason",
        R,
        lambda c: c.cancel_action("triage", at=LATER, actor="m", reason=""),
        ValidationError,
        "'reason'",
    ),
    (
        "reassign nothing",
        R,
        lambda c: c.reassign_action("triage", at=LATER, actor="m", reason="x"),
        ValidationError,
        "'owner'",
    ),
    (
        "reassign into the past",
        R,
        lambda c: c.reassign_action(
            "triage", at=LATER, actor="m", reason="x", due_at=h(9)
        ),
        ValidationError,
        "'due_at'",
    ),
    (
        "reassign an unknown action",
        R,
        lambda c: c.reassign_action("nope", at=LATER, actor="m", reason="x", owner="z"),
        UnknownKeyError,
        "unknown action",
    ),
    (
        "complete naive",
        R,
        lambda c: c.complete_action("triage", at=NAIVE, actor="m"),
        NaiveDatetimeError,
        "'at'",
    ),
    (
        "start before the last event",
        R,
        lambda c: c.start_action("triage", at=T0, actor="m"),
        ValidationError,
        "'at'",
    ),
    (
        "an action key that is not text",
        R,
        lambda c: c.action(bad(3)),
        InvalidTypeError,
        "'key'",
    ),
    # --- playbooks
    (
        "a playbook before confirmation",
        S.DETECTED,
        playbook,
        TransitionError,
        "activate_playbook",
    ),
    (
        "a playbook twice",
        R,
        twice(playbook),
        DuplicateKeyError,
        "activated playbook 'traffic_recovery'",
    ),
    (
        "not a playbook",
        R,
        lambda c: c.activate_playbook(bad("traffic_recovery"), at=LATER, actor="m"),
        InvalidTypeError,
        "'playbook'",
    ),
    (
        "a playbook naive",
        R,
        lambda c: playbook(c, at=NAIVE),
        NaiveDatetimeError,
        "'at'",
    ),
    (
        "owners of an unknown role",
        R,
        lambda c: playbook(c, owners={"ceo": "z"}),
        UnknownKeyError,
        "owners key",
    ),
    (
        "owners that are not a mapping",
        R,
        lambda c: playbook(c, owners=["ana"]),
        InvalidTypeError,
        "'owners'",
    ),
    (
        "owners with a bad member",
        R,
        lambda c: playbook(c, owners={"data_analyst": ""}),
        ValidationError,
        "owners",
    ),
    # --- records
    (
        "a message promising an update in the past",
        R,
        lambda c: message(c, next_update_at=h(9)),
        ValidationError,
        "'next_update_at'",
    ),
    (
        "a message on a bad channel",
        R,
        lambda c: message(c, channel="email"),
        InvalidTypeError,
        "'channel'",
    ),
    (
        "feedback with a negative volume",
        R,
        lambda c: feedback(c, volume=-1),
        ValidationError,
        "'volume'",
    ),
    (
        "feedback with a NaN sentiment",
        R,
        lambda c: feedback(c, sentiment=float("nan")),
        ValidationError,
        "'sentiment'",
    ),
    (
        "feedback with an infinite KPI",
        R,
        lambda c: feedback(c, kpis={"traffic.visits": float("inf")}),
        ValidationError,
        "kpis",
    ),
    (
        "a strategy change without a reason",
        R,
        lambda c: c.adjust_strategy(at=LATER, actor="m", summary="x", reason=""),
        ValidationError,
        "'reason'",
    ),
    (
        "a strategy change of a bad family",
        R,
        lambda c: c.adjust_strategy(
            at=LATER, actor="m", summary="x", reason="y", families=bad(["team"])
        ),
        InvalidTypeError,
        "families",
    ),
    (
        "reallocate nothing",
        R,
        lambda c: c.reallocate_resources(at=LATER, actor="m", amounts={}, reason="x"),
        ValidationError,
        "'amounts'",
    ),
    (
        "reallocate a negative amount",
        R,
        lambda c: c.reallocate_resources(
            at=LATER, actor="m", amounts={"money.ads": -5}, reason="x"
        ),
        ValidationError,
        "amounts",
    ),
    (
        "a loss as a float",
        R,
        lambda c: c.record_loss(
            at=LATER, actor="m", category=LossCategory.OTHER, amount=bad(9.99)
        ),
        InvalidTypeError,
        "'amount'",
    ),
    (
        "a negative loss",
        R,
        lambda c: c.record_loss(
            at=LATER, actor="m", category=LossCategory.OTHER, amount=Decimal(-1)
        ),
        ValidationError,
        "'amount'",
    ),
    # --- queries
    (
        "holders of an unknown role",
        R,
        lambda c: c.holders("ceo"),
        UnknownKeyError,
        "unknown role",
    ),
    (
        "overdue as of a naive time",
        R,
        lambda c: c.overdue_actions(NAIVE),
        NaiveDatetimeError,
        "'as_of'",
    ),
]


@pytest.mark.parametrize(
    ("status", "command", "error", "match"),
    [case[1:] for case in BAD_COMMANDS],
    ids=[case[0] for case in BAD_COMMANDS],
)
def test_bad_commands_are_refused_and_change_nothing(
    status: CrisisStatus, command: Command, error: type[Exception], match: str
) -> None:
    assert_refused(in_status(status), command, error, match)


def test_the_refused_command_messages_name_what_was_wrong() -> None:
    crisis = in_status(S.DETECTED)

    with pytest.raises(TransitionError) as caught:
        crisis.mark_contained(at=LATER, actor="m")
    assert (S.DETECTED, S.CONTAINED) == (caught.value.current, caught.value.target)
    assert (S.CONFIRMED, S.DISMISSED, S.MERGED) == caught.value.allowed
    with pytest.raises(ValidationError) as late:
        crisis.confirm(at=T0, actor="m", root_cause="x")
    assert "at" == late.value.field


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"at": NAIVE}, NaiveDatetimeError, "'at'"),
        ({"crisis_type": "market.nope"}, UnknownKeyError, "crisis type"),
        ({"crisis_type": "Traffic"}, ValidationError, "'crisis_type'"),
        ({"level": "III"}, InvalidTypeError, "'level'"),
        ({"lead": ""}, ValidationError, "'lead'"),
        ({"detected_at": h(1)}, ValidationError, "'at'"),
        (
            {"impact_started_at": h(-1), "detected_at": h(-2)},
            ValidationError,
            "'detected_at'",
        ),
        ({"origins": ["alert"]}, InvalidTypeError, "origins"),
        ({"origins": 5}, InvalidTypeError, "'origins'"),
        ({"rates": "TWD"}, InvalidTypeError, "'rates'"),
        ({"roles": ["crisis_lead"]}, InvalidTypeError, "'roles'"),
        ({"catalog": {}}, InvalidTypeError, "'catalog'"),
        ({"mode": "real"}, InvalidTypeError, "'mode'"),
        ({"title": ""}, ValidationError, "'title'"),
    ],
)
def test_declare_bad_input(
    changes: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        declared(**changes)
    # The argument is named ``key`` (the event's field is ``crisis``).
    with pytest.raises(ValidationError, match="'key'"):
        Crisis.declare(
            "Traffic Drop",
            title="t",
            crisis_type="market.traffic_swing",
            level=ResponseLevel.III,
            at=T0,
            actor="a",
            lead="mei",
        )


# --- replaying a log that no commands could have made -------------------------------


def _events() -> list[Any]:
    return list(in_status(S.RESPONDING).events)


def test_from_events_refuses_events_from_another_crisis() -> None:
    events = _events()
    events[2] = attrs.evolve(events[2], crisis="other_crisis")

    with pytest.raises(ValidationError, match=re.escape("'events[2].crisis'")):
        Crisis.from_events(events)


def test_from_events_refuses_a_wrong_sequence() -> None:
    events = _events()
    events[3] = attrs.evolve(events[3], sequence=7)

    with pytest.raises(
        ValidationError, match=re.escape("'events[3].sequence' must be 3")
    ):
        Crisis.from_events(events)


def test_from_events_refuses_time_running_backwards() -> None:
    events = _events()
    events[3] = attrs.evolve(events[3], at=T0 - dt.timedelta(seconds=1))

    with pytest.raises(ValidationError, match=re.escape("'events[3].at'")):
        Crisis.from_events(events)


def test_from_events_refuses_two_leads() -> None:
    events = _events()
    second_lead = RoleAssigned(
        crisis=KEY,
        sequence=len(events),
        at=h(5),
        actor="kai",
        role=LEAD_ROLE,
        member="kai",
    )

    with pytest.raises(ValidationError, match="exactly one lead"):
        Crisis.from_events([*events, second_lead])


def test_from_events_refuses_a_log_without_its_declaration() -> None:
    events = _events()

    with pytest.raises(ValidationError, match="CrisisDeclared"):
        Crisis.from_events(events[1:])
    with pytest.raises(ValidationError, match="declared once"):
        Crisis.from_events([*events, attrs.evolve(events[0], sequence=len(events))])
    with pytest.raises(ValidationError, match="at least one event"):
        Crisis.from_events([])


def test_from_events_refuses_lifecycle_moves_out_of_order() -> None:
    events = _events()
    contained = CrisisContained(crisis=KEY, sequence=1, at=h(1), actor="m")

    with pytest.raises(TransitionError, match="from detected to contained"):
        Crisis.from_events([events[0], contained])


def test_from_events_refuses_non_events_and_unknown_keys() -> None:
    events = _events()
    with pytest.raises(InvalidTypeError, match=re.escape("'events[1]'")):
        Crisis.from_events([events[0], {"@type": "CrisisConfirmed"}])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="'events'"):
        Crisis(events=7)  # type: ignore[arg-type]
    strange = ActionAssigned(
        crisis=KEY,
        sequence=len(events),
        at=h(5),
        actor="m",
        action=Action(
            key="x",
            title="t",
            owner="o",
            due_at=h(5),
            created_at=h(5),
            done_when="d",
            depends_on=("ghost",),
        ),
    )
    with pytest.raises(UnknownKeyError, match=re.escape(f"events[{len(events)}]")):
        Crisis.from_events([*events, strange])


def test_a_bad_stored_document_is_refused_with_its_path() -> None:
    document = to_data(in_status(S.RESPONDING))
    document["data"]["events"][2]["sequence"] = 9

    with pytest.raises(CrisisOpsError, match="sequence"):
        from_data(Crisis, document)


# --- random valid crises round-trip -------------------------------------------------


def _random_step(crisis: Crisis, choice: int, at: dt.datetime, salt: int) -> Crisis:
    keys = [a.key for a in crisis.actions]
    key = keys[salt % len(keys)] if keys else "none"
    steps: list[Callable[[], Crisis]] = [
        lambda: crisis.confirm(at=at, actor="m", root_cause=f"cause {salt}"),
        lambda: crisis.assign_action(
            f"a{salt}",
            at=at,
            actor="m",
            title="t",
            owner=f"m{salt % 3}",
            due_at=at + dt.timedelta(hours=salt % 7),
            done_when="d",
            depends_on=keys[: salt % 2],
        ),
        lambda: crisis.start_action(key, at=at, actor="m"),
        lambda: crisis.complete_action(key, at=at, actor="m"),
        lambda: crisis.block_action(key, at=at, actor="m", reason="r"),
        lambda: crisis.escalate(at=at, actor="m", reason="r"),
        lambda: crisis.de_escalate(at=at, actor="m", reason="r"),
        lambda: crisis.assign_role(
            ["scribe", LEAD_ROLE, "data_analyst"][salt % 3],
            f"m{salt % 4}",
            at=at,
            actor="m",
        ),
        lambda: crisis.record_feedback(
            at=at,
            actor="m",
            channel=list(FeedbackChannel)[salt % 6],
            volume=salt,
            sentiment=(salt % 21 - 10) / 10,
            kpis={"traffic.visits": salt * 1.5},
        ),
        lambda: crisis.record_loss(
            at=at,
            actor="m",
            category=list(LossCategory)[salt % 5],
            amount=Decimal(salt) / 100,
        ),
        lambda: crisis.reallocate_resources(
            at=at, actor="m", amounts={f"money.r{salt % 3}": salt}, reason="r"
        ),
        lambda: crisis.mark_contained(at=at, actor="m"),
        lambda: crisis.mark_recovered(at=at, actor="m"),
        lambda: crisis.resolve(at=at, actor="m"),
        lambda: crisis.reopen(at=at, actor="m", reason="r"),
        lambda: crisis.dismiss(at=at, actor="m", reason="r"),
    ]
    try:
        return steps[choice % len(steps)]()
    except CrisisOpsError:
        return crisis


@st.composite
def random_crises(draw: st.DrawFn) -> Crisis:
    crisis = declared(
        mode=draw(st.sampled_from(CrisisMode)),
        rates=draw(
            st.none()
            | st.just(RateCard(currency="TWD", hourly={"crisis_lead": Decimal("99.5")}))
        ),
    )
    moves = draw(
        st.lists(
            st.tuples(st.integers(0, 15), st.integers(0, 120), st.integers(0, 1000)),
            max_size=25,
        )
    )
    at = T0
    for choice, minutes, salt in moves:
        at += dt.timedelta(minutes=minutes)
        crisis = _random_step(crisis, choice, at, salt)
    return crisis


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(random_crises())
def test_random_crises_round_trip_through_json(crisis: Crisis) -> None:
    document = json.loads(json.dumps(to_data(crisis), allow_nan=False))
    back = from_data(Crisis, document)

    assert crisis == back
    assert read_api(crisis) == read_api(back)
    assert read_api(crisis) == read_api(Crisis.from_events(crisis.events))


def test_a_later_alert_is_linked_once_and_moves_no_milestone() -> None:
    crisis = in_status(S.RESPONDING)
    later = Origin(
        kind=OriginKind.ALERT,
        reference="conversion_drop/shop/1",
        signal_onset=h(-5),  # earlier than anything declared
        detected_at=h(9),
    )
    linked = crisis.link_origin(later, at=LATER, actor="ana")

    assert (*crisis.origins, later) == linked.origins
    assert crisis.milestones == linked.milestones
    assert linked == Crisis.from_events(linked.events)
    assert_refused(
        linked,
        lambda c: c.link_origin(later, at=LATER, actor="ana"),
        DuplicateKeyError,
        "conversion_drop/shop/1",
    )
