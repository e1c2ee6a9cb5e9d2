from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops._validation import check_amount
from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring import Alert, AlertKind, Evidence
from crisisops.planning import default_roles
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
from crisisops.taxonomy import ResponseLevel
from tests.strategies import aware_datetimes, texts

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def alert(**changes: Any) -> Alert:
    fields: dict[str, Any] = {
        "kind": AlertKind.BREACH,
        "rule": "traffic_drop",
        "entity": "shop",
        "episode": 2,
        "crisis_type": "market.traffic_swing",
        "level": ResponseLevel.II,
        "fired_level": ResponseLevel.III,
        "peak_level": ResponseLevel.II,
        "first_breach_at": T0,
        "fired_at": hours(2),
        "evidence": Evidence(
            observed=41000, signal=-0.45, baseline=75000, bound=-0.3, run_length=3
        ),
    }
    fields.update(changes)
    return Alert(**fields)


def action(**changes: Any) -> Action:
    fields: dict[str, Any] = {
        "key": "traffic_recovery.launch_promotions",
        "title": "Launch advertising and promotional campaigns",
        "owner": "lin",
        "due_at": hours(12),
        "created_at": T0,
        "done_when": "Campaigns are live on the channels that lost traffic",
    }
    fields.update(changes)
    return Action(**fields)


# --- origin -------------------------------------------------------------------------


def test_an_alert_origin_keeps_onset_and_detection() -> None:
    origin = Origin.from_alert(alert())

    assert OriginKind.ALERT is origin.kind
    assert "traffic_drop/shop/2" == origin.reference
    assert T0 == origin.signal_onset
    assert hours(2) == origin.detected_at
    assert "market.traffic_swing" == origin.crisis_type
    assert ResponseLevel.II is origin.level
    assert "breach of rule traffic_drop on shop" == origin.summary


def test_a_no_data_alert_origin_has_no_level() -> None:
    origin = Origin.from_alert(
        alert(kind=AlertKind.NO_DATA, level=None, fired_level=None, peak_level=None)
    )

    assert "traffic_drop/shop/2/no_data" == origin.reference
    assert origin.level is None


def test_a_risk_origin_is_detected_when_it_materialises() -> None:
    risk = Risk(
        key="traffic_swing",
        title="Traffic lost to events",
        crisis_type="market.traffic_swing",
    )

    origin = Origin.from_risk(risk, at=hours(3), level=ResponseLevel.III)

    assert OriginKind.RISK is origin.kind
    assert "traffic_swing" == origin.reference
    assert origin.signal_onset is None
    assert hours(3) == origin.detected_at
    assert ResponseLevel.III is origin.level
    assert "Traffic lost to events" == origin.summary


def test_origin_bad_input() -> None:
    with pytest.raises(InvalidTypeError, match="'alert'"):
        Origin.from_alert("traffic_drop/shop/2")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'risk'"):
        Origin.from_risk("traffic_swing", at=T0)  # type: ignore[arg-type]
    risk = Risk(key="r", title="R", crisis_type="market.traffic_swing")
    with pytest.raises(NaiveDatetimeError, match="'detected_at'"):
        Origin.from_risk(risk, at=dt.datetime(2026, 3, 1))  # noqa: DTZ001  on purpose
    with pytest.raises(ValidationError, match="'detected_at' must be a moment at or"):
        Origin(
            kind=OriginKind.REPORT,
            reference="r-1",
            signal_onset=T0,
            detected_at=hours(-1),
        )
    with pytest.raises(ValidationError, match="'reference'"):
        Origin(kind=OriginKind.REPORT, reference=" ")
    with pytest.raises(InvalidTypeError, match="'kind'"):
        Origin(kind="alert", reference="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'crisis_type'"):
        Origin(kind=OriginKind.REPORT, reference="x", crisis_type="Market")


# --- actions ----------------------------------------------------------------------


def test_a_new_action_is_open_with_defaults() -> None:
    new = action()

    assert ActionStatus.OPEN is new.status
    assert ActionPriority.MEDIUM is new.priority
    assert () == new.depends_on
    assert not new.critical
    assert new.finished_on_time is None
    assert new.due_at == new.first_due_at  # the first deadline is the given one
    assert not new.slipped


def test_an_action_is_judged_against_its_first_deadline() -> None:
    # First due at +12 h, moved to +20 h, done at +15 h: late against the commitment.
    done = action(
        due_at=hours(20),
        first_due_at=hours(12),
        status=ActionStatus.DONE,
        started_at=hours(1),
        completed_at=hours(15),
    )

    assert done.slipped
    assert done.finished_on_time is False
    with pytest.raises(ValidationError, match="'first_due_at'"):
        action(first_due_at=hours(-1))  # before the action was created


def test_overdue_means_outstanding_and_past_the_deadline() -> None:
    new = action()

    assert not new.is_overdue(hours(12))  # due exactly now: not yet overdue
    assert new.is_overdue(hours(12.5))
    done = attrs.evolve(
        new, status=ActionStatus.DONE, started_at=hours(1), completed_at=hours(13)
    )
    assert not done.is_overdue(hours(20))
    blocked = attrs.evolve(new, status=ActionStatus.BLOCKED, blocked_reason="no budget")
    assert blocked.is_overdue(hours(20))


def test_finished_on_time_compares_completion_with_the_deadline() -> None:
    on_time = action(
        status=ActionStatus.DONE, started_at=hours(1), completed_at=hours(12)
    )
    late = action(status=ActionStatus.DONE, started_at=hours(1), completed_at=hours(13))

    assert on_time.finished_on_time is True
    assert late.finished_on_time is False
    assert (
        action(status=ActionStatus.CANCELLED, cancelled_at=hours(1)).finished_on_time
        is None
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_at": hours(-1)}, "due_at"),
        ({"status": ActionStatus.IN_PROGRESS}, "started_at"),
        ({"status": ActionStatus.BLOCKED}, "blocked_reason"),
        ({"status": ActionStatus.DONE, "started_at": hours(1)}, "completed_at"),
        ({"status": ActionStatus.CANCELLED}, "cancelled_at"),
        ({"started_at": hours(1)}, "started_at"),
        ({"blocked_reason": "x"}, "blocked_reason"),
        ({"status": ActionStatus.IN_PROGRESS, "started_at": hours(-1)}, "started_at"),
        (
            {
                "status": ActionStatus.DONE,
                "started_at": hours(2),
                "completed_at": hours(1),
            },
            "completed_at",
        ),
        (
            {
                "status": ActionStatus.DONE,
                "started_at": hours(1),
                "completed_at": hours(2),
                "cancelled_at": hours(2),
            },
            "cancelled_at",
        ),
        ({"depends_on": ("traffic_recovery.launch_promotions",)}, "depends_on"),
        ({"depends_on": ("a", "a")}, "depends_on"),
        ({"key": "Launch"}, "key"),
        ({"owner": ""}, "owner"),
        ({"done_when": "  "}, "done_when"),
        ({"owner_role": "ops.expert"}, "owner_role"),
        ({"critical": 1}, "critical"),
        ({"priority": "high"}, "priority"),
        ({"due_at": dt.datetime(2026, 3, 2)}, "due_at"),  # noqa: DTZ001  on purpose
    ],
)
def test_inconsistent_actions_are_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises((ValidationError, InvalidTypeError), match=f"'{field}'"):
        action(**changes)


def test_is_overdue_needs_an_aware_moment() -> None:
    with pytest.raises(NaiveDatetimeError, match="'as_of'"):
        action().is_overdue(dt.datetime(2026, 3, 2))  # noqa: DTZ001  on purpose


def test_action_status_and_priority_helpers() -> None:
    assert [True, True, True, False, False] == [s.is_outstanding for s in ActionStatus]
    assert [0, 1, 2] == [p.rank for p in ActionPriority]
    assert "in_progress" == str(ActionStatus.IN_PROGRESS)
    assert "已完成" == ActionStatus.DONE.labels.zh_hant
    assert "高" == ActionPriority.HIGH.labels.zh_hant


# --- levels and roles -------------------------------------------------------------


def test_a_level_change_must_change_the_level() -> None:
    first = LevelChange(
        at=T0, actor="mei", level=ResponseLevel.III, previous=None, reason="declared"
    )
    assert first.previous is None
    with pytest.raises(ValidationError, match="'level'"):
        LevelChange(
            at=T0,
            actor="mei",
            level=ResponseLevel.III,
            previous=ResponseLevel.III,
            reason="same",
        )
    with pytest.raises(ValidationError, match="'reason'"):
        LevelChange(
            at=T0, actor="mei", level=ResponseLevel.II, previous=None, reason=""
        )


def test_a_role_is_held_from_assumed_until_relinquished() -> None:
    held = RoleAssignment(
        role="crisis_lead", member="mei", assumed_at=T0, relinquished_at=hours(5)
    )
    open_ended = RoleAssignment(role="scribe", member="bo", assumed_at=T0)

    assert not held.held_at(hours(-1))
    assert held.held_at(T0)
    assert held.held_at(hours(4.99))
    assert not held.held_at(hours(5))  # the hand-off moment belongs to the next lead
    assert open_ended.held_at(hours(1000))


def test_role_assignment_bad_input() -> None:
    with pytest.raises(ValidationError, match="'relinquished_at'"):
        RoleAssignment(
            role="scribe", member="bo", assumed_at=T0, relinquished_at=hours(-1)
        )
    with pytest.raises(ValidationError, match="'handoff_from'"):
        RoleAssignment(
            role="crisis_lead", member="bo", assumed_at=T0, handoff_from="bo"
        )
    with pytest.raises(ValidationError, match="'role'"):
        RoleAssignment(role="crisis.lead", member="bo", assumed_at=T0)
    with pytest.raises(NaiveDatetimeError, match="'moment'"):
        RoleAssignment(role="scribe", member="bo", assumed_at=T0).held_at(
            dt.datetime(2026, 3, 1)  # noqa: DTZ001  on purpose
        )


# --- feedback, loss and rates -------------------------------------------------------


def test_the_book_feedback_channels_and_loss_categories() -> None:
    assert [
        "社交媒體",
        "在線平臺",
        "電話熱線",
        "在線客服",
        "電子郵件",
        "數據分析與報告",
    ] == [channel.labels.zh_hant for channel in FeedbackChannel]
    assert "退款與賠償" == LossCategory.REFUNDS_COMPENSATION.labels.zh_hant
    assert all(category.labels.en for category in LossCategory)


def test_a_rate_card_gives_rates_and_dispatch_weights() -> None:
    card = RateCard(
        currency="TWD",
        hourly={"crisis_lead": 1200, "scribe": Decimal("450.50")},
        default_hourly=600,
    )

    assert Decimal(1200) == card.rate_for("crisis_lead")
    assert Decimal("450.50") == card.rate_for("scribe")
    assert Decimal(600) == card.rate_for("legal_counsel")
    # Dispatch classic: commander 1, scribe and liaison 0.75, others 0.5.
    assert Decimal(1) == card.weight_for("crisis_lead")
    assert Decimal("0.75") == card.weight_for("comms_liaison")
    assert Decimal("0.5") == card.weight_for("data_analyst")
    assert Decimal(8) == card.daily_hours_after_first_day


def test_the_classic_engagement_roles_exist_in_the_default_roles() -> None:
    card = RateCard(currency="TWD", hourly={})

    assert set(card.engagement) <= set(default_roles().keys())


def test_a_role_without_rate_or_default_is_an_error() -> None:
    card = RateCard(currency="CNY", hourly={"crisis_lead": Decimal(300)})

    with pytest.raises(UnknownKeyError, match="'scribe'"):
        card.rate_for("scribe")
    with pytest.raises(ValidationError, match="'role'"):
        card.weight_for("Scribe")


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"currency": "twd"}, "currency", ValidationError),
        ({"currency": 901}, "currency", InvalidTypeError),
        ({"hourly": {"crisis_lead": 12.5}}, "hourly['crisis_lead']", InvalidTypeError),
        (
            {"hourly": {"crisis_lead": Decimal(-1)}},
            "hourly['crisis_lead']",
            ValidationError,
        ),
        (
            {"hourly": {"crisis_lead": Decimal("NaN")}},
            "hourly['crisis_lead']",
            ValidationError,
        ),
        ({"hourly": {"Crisis Lead": Decimal(1)}}, "hourly key", ValidationError),
        ({"hourly": [("crisis_lead", 1)]}, "hourly", InvalidTypeError),
        ({"default_hourly": Decimal("Infinity")}, "default_hourly", ValidationError),
        ({"default_engagement": 0.5}, "default_engagement", InvalidTypeError),
        (
            {"daily_hours_after_first_day": Decimal(25)},
            "daily_hours_after_first_day",
            ValidationError,
        ),
        ({"engagement": {"scribe": True}}, "engagement['scribe']", InvalidTypeError),
    ],
)
def test_rate_card_bad_input(
    changes: dict[str, Any], field: str, error: type[Exception]
) -> None:
    fields: dict[str, Any] = {"currency": "TWD", "hourly": {}}
    fields.update(changes)
    with pytest.raises(error, match=re.escape(repr(field))):
        RateCard(**fields)


def test_check_amount() -> None:
    assert Decimal("0.10") == check_amount(Decimal("0.10"), "amount")
    with pytest.raises(InvalidTypeError, match="'amount'"):
        check_amount(0.1, "amount")
    with pytest.raises(ValidationError, match="'amount'"):
        check_amount(Decimal("-0.01"), "amount")


# --- round trips ----------------------------------------------------------------------

keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8})?", fullmatch=True)
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@st.composite
def actions(draw: st.DrawFn) -> Action:
    created = draw(aware_datetimes.filter(lambda m: m.year < 2190))
    later = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=60))
    due = created + draw(later)
    status = draw(st.sampled_from(ActionStatus))
    started = created + draw(later) if status is not ActionStatus.OPEN else None
    fields: dict[str, Any] = {}
    if status is ActionStatus.DONE:
        assert started is not None
        fields = {"started_at": started, "completed_at": started + draw(later)}
    elif status is ActionStatus.IN_PROGRESS:
        fields = {"started_at": started}
    elif status is ActionStatus.BLOCKED:
        fields = {
            "blocked_reason": draw(texts),
            "started_at": draw(st.none() | st.just(started)),
        }
    elif status is ActionStatus.CANCELLED:
        fields = {"cancelled_at": started}
    return Action(
        key=draw(keys),
        title=draw(texts),
        owner=draw(keys),
        due_at=due,
        created_at=created,
        done_when=draw(texts),
        depends_on=draw(
            st.lists(keys.map(lambda k: f"dep.{k}"), unique=True, max_size=3)
        ),
        owner_role=draw(st.none() | st.sampled_from(["crisis_lead", "scribe"])),
        priority=draw(st.sampled_from(ActionPriority)),
        critical=draw(st.booleans()),
        playbook=draw(st.none() | keys),
        status=status,
        **fields,
    )


rate_cards = st.builds(
    RateCard,
    currency=st.sampled_from(["TWD", "CNY", "USD"]),
    hourly=st.dictionaries(
        st.sampled_from(["crisis_lead", "scribe", "ops_expert"]), money
    ),
    default_hourly=st.none() | money,
    default_engagement=st.decimals(min_value=0, max_value=1, places=2),
    daily_hours_after_first_day=st.decimals(min_value=0, max_value=24, places=1),
)

origins = st.builds(
    Origin,
    kind=st.sampled_from(OriginKind),
    reference=texts,
    detected_at=st.none(),
    crisis_type=st.none() | st.just("market.traffic_swing"),
    level=st.none() | st.sampled_from(ResponseLevel),
    summary=st.text(max_size=20),
)


@given(actions())
def test_actions_round_trip(value: Action) -> None:
    assert value == from_data(Action, to_data(value))


@given(rate_cards)
def test_rate_cards_round_trip_exactly(card: RateCard) -> None:
    back = from_data(RateCard, to_data(card))

    assert card == back
    assert [str(v) for v in card.hourly.values()] == [
        str(v) for v in back.hourly.values()
    ]


@given(origins, aware_datetimes)
def test_origins_round_trip(origin: Origin, onset: dt.datetime) -> None:
    dated = attrs.evolve(origin, signal_onset=onset, detected_at=onset)

    assert origin == from_data(Origin, to_data(origin))
    assert dated == from_data(Origin, to_data(dated))


@given(
    aware_datetimes,
    st.sampled_from(ResponseLevel),
    st.none() | st.sampled_from(ResponseLevel),
)
def test_level_changes_and_role_assignments_round_trip(
    at: dt.datetime, level: ResponseLevel, previous: ResponseLevel | None
) -> None:
    if previous is level:
        previous = None
    change = LevelChange(
        at=at, actor="mei", level=level, previous=previous, reason="why"
    )
    held = RoleAssignment(role="scribe", member="bo", assumed_at=at, relinquished_at=at)

    assert change == from_data(LevelChange, to_data(change))
    assert held == from_data(RoleAssignment, to_data(held))
