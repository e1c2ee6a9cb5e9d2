from __future__ import annotations

import datetime as dt
import json
import re
import typing
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops.errors import InvalidTypeError, NaiveDatetimeError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.planning import StrategyFamily
from crisisops.response.crisis import Crisis
from crisisops.response.events import (
    EVENT_TYPES,
    ActionAssigned,
    ActionBlocked,
    ActionCancelled,
    ActionCompleted,
    ActionReassigned,
    ActionStarted,
    CommunicationRecorded,
    CrisisConfirmed,
    CrisisContained,
    CrisisDeclared,
    CrisisDismissed,
    CrisisEvent,
    CrisisMerged,
    CrisisRecovered,
    CrisisReopened,
    CrisisResolved,
    CrisisReviewed,
    FeedbackRecorded,
    LevelDeEscalated,
    LevelEscalated,
    LossRecorded,
    OriginLinked,
    PlaybookActivated,
    ResourcesReallocated,
    RoleAssigned,
    RoleRelinquished,
    StrategyAdjusted,
)
from crisisops.response.lifecycle import CrisisMode
from crisisops.response.records import (
    Action,
    ActionStatus,
    FeedbackChannel,
    LossCategory,
    Origin,
    OriginKind,
    RateCard,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import Channel
from crisisops.taxonomy import ResponseLevel
from tests.strategies import aware_datetimes, texts

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
HEAD: dict[str, Any] = {
    "crisis": "traffic_drop",
    "sequence": 3,
    "at": T0,
    "actor": "mei",
}


def hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def new_action(key: str = "promote", **changes: Any) -> Action:
    fields: dict[str, Any] = {
        "key": key,
        "title": "Launch promotions",
        "owner": "lin",
        "due_at": hours(12),
        "created_at": T0,
        "done_when": "Campaigns are live",
    }
    fields.update(changes)
    return Action(**fields)


# One valid example of every event, with its own fields.
EXAMPLES: dict[type[Any], dict[str, Any]] = {
    CrisisDeclared: {
        "sequence": 0,
        "title": "Traffic fell by half",
        "crisis_type": "market.traffic_swing",
        "level": ResponseLevel.III,
        "mode": CrisisMode.DRILL,
        "lead": "mei",
        "origins": (
            Origin(
                kind=OriginKind.ALERT,
                reference="traffic_drop/shop/1",
                signal_onset=hours(-3),
                detected_at=hours(-1),
            ),
        ),
        "detected_at": hours(-1),
        "impact_started_at": hours(-3),
        "rates": RateCard(currency="TWD", hourly={"crisis_lead": Decimal("1200.50")}),
        "summary": "Visits down 45 %",
    },
    CrisisConfirmed: {"crisis_type": "market.traffic_swing", "root_cause": "A rumour"},
    OriginLinked: {
        "origin": Origin(
            kind=OriginKind.ALERT,
            reference="conversion_drop/shop/1",
            signal_onset=hours(-2),
            detected_at=hours(0),
        )
    },
    LevelEscalated: {
        "previous": ResponseLevel.III,
        "level": ResponseLevel.II,
        "reason": "Spreading",
    },
    LevelDeEscalated: {
        "previous": ResponseLevel.II,
        "level": ResponseLevel.IV,
        "reason": "Calm",
    },
    RoleAssigned: {"role": "crisis_lead", "member": "bo", "handoff_from": "mei"},
    RoleRelinquished: {"role": "scribe", "member": "bo", "reason": "shift over"},
    PlaybookActivated: {
        "playbook": "traffic_recovery",
        "actions": (
            new_action("traffic_recovery.diagnose", playbook="traffic_recovery"),
            new_action(
                "traffic_recovery.promote",
                playbook="traffic_recovery",
                depends_on=("traffic_recovery.diagnose",),
                critical=True,
            ),
        ),
    },
    ActionAssigned: {"action": new_action()},
    ActionStarted: {"action": "promote"},
    ActionCompleted: {"action": "promote", "note": "live"},
    ActionBlocked: {"action": "promote", "reason": "no budget"},
    ActionReassigned: {
        "action": "promote",
        "owner": "kai",
        "due_at": hours(20),
        "reason": "lin is ill",
    },
    ActionCancelled: {"action": "promote", "reason": "not needed"},
    CommunicationRecorded: {
        "audience": "customers",
        "channel": Channel.SOCIAL_MEDIA,
        "internal": False,
        "summary": "We are on it",
        "strategy": "rebuild",
        "next_update_at": hours(2),
    },
    FeedbackRecorded: {
        "channel": FeedbackChannel.HOTLINE,
        "volume": 120,
        "sentiment": -0.25,
        "negative_share": 0.6,
        "kpis": {"traffic.visits": 41000.5},
        "note": "calls",
    },
    StrategyAdjusted: {
        "summary": "More ads",
        "reason": "Visits still low",
        "families": (StrategyFamily.RESOURCES, StrategyFamily.COMMUNICATION),
    },
    ResourcesReallocated: {"amounts": {"money.ads": 50000.0}, "reason": "ads"},
    LossRecorded: {
        "category": LossCategory.LOST_SALES,
        "amount": Decimal("125000.75"),
        "estimate": False,
    },
    CrisisContained: {"summary": "Visits stable"},
    CrisisRecovered: {},
    CrisisResolved: {"summary": "Back to normal"},
    CrisisDismissed: {"reason": "Bot traffic"},
    CrisisMerged: {"into": "brand_attack", "reason": "Same cause"},
    CrisisReopened: {"reason": "It dropped again"},
    CrisisReviewed: {"summary": "Done", "review": "review-2026-03"},
}


def example(kind: type[Any], **changes: Any) -> Any:
    return kind(**{**HEAD, **EXAMPLES[kind], **changes})


def test_every_event_type_has_an_example_and_is_in_the_union() -> None:
    assert set(EVENT_TYPES) == set(EXAMPLES)
    assert EVENT_TYPES == typing.get_args(CrisisEvent)


@pytest.mark.parametrize("kind", EVENT_TYPES, ids=lambda k: k.__name__)
def test_every_event_names_its_crisis_command(kind: type[Any]) -> None:
    assert kind.command
    assert callable(getattr(Crisis, kind.command))
    assert ["crisis", "sequence", "at", "actor"] == [
        field.name for field in attrs.fields(kind)[:4]
    ]


@pytest.mark.parametrize("kind", EVENT_TYPES, ids=lambda k: k.__name__)
def test_every_event_round_trips_through_json(kind: type[Any]) -> None:
    event = example(kind)
    document = json.loads(json.dumps(to_data(event), allow_nan=False))

    assert event == from_data(kind, document)


def test_money_stays_exact_in_plain_data() -> None:
    event = example(LossRecorded)

    assert "125000.75" == to_data(event)["data"]["amount"]
    assert Decimal("125000.75") == from_data(LossRecorded, to_data(event)).amount


def test_numbers_are_normalised() -> None:
    feedback = example(FeedbackRecorded, sentiment=-1, kpis={"traffic.visits": 3})
    loss = example(LossRecorded, amount=12)

    assert -1.0 == feedback.sentiment
    assert isinstance(feedback.sentiment, float)
    assert FrozenDict({"traffic.visits": 3.0}) == feedback.kpis
    assert Decimal(12) == loss.amount


# --- every event checks its own fields ------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"crisis": "Traffic Drop"}, "crisis", ValidationError),
        ({"sequence": -1}, "sequence", ValidationError),
        ({"sequence": True}, "sequence", InvalidTypeError),
        ({"sequence": 1.0}, "sequence", InvalidTypeError),
        ({"at": dt.datetime(2026, 3, 1)}, "at", NaiveDatetimeError),  # noqa: DTZ001
        ({"at": "2026-03-01T09:00Z"}, "at", InvalidTypeError),
        ({"actor": " "}, "actor", ValidationError),
        ({"actor": None}, "actor", InvalidTypeError),
    ],
)
@pytest.mark.parametrize("kind", [CrisisConfirmed, FeedbackRecorded, CrisisReopened])
def test_the_four_common_fields_are_checked(
    kind: type[Any], changes: dict[str, Any], field: str, error: type[Exception]
) -> None:
    with pytest.raises(error, match=f"'{field}'"):
        example(kind, **changes)


BAD_EVENTS: list[tuple[type[Any], dict[str, Any], str, type[Exception]]] = [
    (  # a signal cannot be linked before it was detected
        OriginLinked,
        {
            "origin": Origin(
                kind=OriginKind.REPORT, reference="hotline", detected_at=hours(1)
            )
        },
        "at",
        ValidationError,
    ),
    (OriginLinked, {"origin": "an alert"}, "origin", InvalidTypeError),
    (CrisisDeclared, {"detected_at": hours(1)}, "at", ValidationError),
    (CrisisDeclared, {"impact_started_at": hours(0)}, "detected_at", ValidationError),
    (CrisisDeclared, {"level": 3}, "level", InvalidTypeError),
    (CrisisDeclared, {"mode": "drill"}, "mode", InvalidTypeError),
    (CrisisDeclared, {"lead": "Mei Lin"}, "lead", ValidationError),
    (CrisisDeclared, {"origins": ("alert",)}, "origins[0]", InvalidTypeError),
    (CrisisDeclared, {"rates": {"TWD": 1}}, "rates", InvalidTypeError),
    (CrisisDeclared, {"title": ""}, "title", ValidationError),
    (CrisisConfirmed, {"root_cause": ""}, "root_cause", ValidationError),
    (CrisisConfirmed, {"crisis_type": "traffic swing"}, "crisis_type", ValidationError),
    (LevelEscalated, {"level": ResponseLevel.IV}, "level", ValidationError),
    (LevelEscalated, {"level": ResponseLevel.III}, "level", ValidationError),
    (LevelEscalated, {"reason": ""}, "reason", ValidationError),
    (LevelDeEscalated, {"level": ResponseLevel.I}, "level", ValidationError),
    (RoleAssigned, {"handoff_from": "bo"}, "handoff_from", ValidationError),
    (RoleAssigned, {"role": "crisis.lead"}, "role", ValidationError),
    (RoleRelinquished, {"member": ""}, "member", ValidationError),
    (PlaybookActivated, {"actions": ()}, "actions", ValidationError),
    (
        PlaybookActivated,
        {"actions": (new_action(),)},
        "actions[0].playbook",
        ValidationError,
    ),
    (
        PlaybookActivated,
        {"actions": (new_action(playbook="traffic_recovery"),)},
        "actions[0].key",
        ValidationError,
    ),
    (
        PlaybookActivated,
        {
            "actions": (
                new_action("traffic_recovery.a", playbook="traffic_recovery"),
                new_action("traffic_recovery.a", playbook="traffic_recovery"),
            )
        },
        "actions",
        ValidationError,
    ),
    (ActionAssigned, {"action": "promote"}, "action", InvalidTypeError),
    (
        ActionAssigned,
        {"action": new_action(created_at=hours(-1))},
        "action.created_at",
        ValidationError,
    ),
    (
        ActionAssigned,
        {"action": new_action(status=ActionStatus.CANCELLED, cancelled_at=T0)},
        "action.status",
        ValidationError,
    ),
    (ActionStarted, {"action": "Promote!"}, "action", ValidationError),
    (ActionBlocked, {"reason": ""}, "reason", ValidationError),
    (ActionReassigned, {"owner": ""}, "owner", ValidationError),
    (ActionReassigned, {"due_at": None}, "due_at", InvalidTypeError),
    (ActionCancelled, {"reason": " "}, "reason", ValidationError),
    (
        CommunicationRecorded,
        {"next_update_at": hours(-1)},
        "next_update_at",
        ValidationError,
    ),
    (CommunicationRecorded, {"next_update_at": T0}, "next_update_at", ValidationError),
    (
        CommunicationRecorded,
        {"next_update_at": hours(2), "final": True},
        "next_update_at",
        ValidationError,
    ),
    (CommunicationRecorded, {"audience": "all.customers"}, "audience", ValidationError),
    (CommunicationRecorded, {"channel": "social_media"}, "channel", InvalidTypeError),
    (CommunicationRecorded, {"internal": 0}, "internal", InvalidTypeError),
    (CommunicationRecorded, {"summary": ""}, "summary", ValidationError),
    (CommunicationRecorded, {"strategy": ""}, "strategy", ValidationError),
    (FeedbackRecorded, {"volume": -1}, "volume", ValidationError),
    (FeedbackRecorded, {"volume": 1.5}, "volume", InvalidTypeError),
    (FeedbackRecorded, {"sentiment": -1.5}, "sentiment", ValidationError),
    (FeedbackRecorded, {"sentiment": float("nan")}, "sentiment", ValidationError),
    (FeedbackRecorded, {"negative_share": 1.01}, "negative_share", ValidationError),
    (
        FeedbackRecorded,
        {"kpis": {"traffic.visits": float("inf")}},
        "kpis['traffic.visits']",
        ValidationError,
    ),
    (FeedbackRecorded, {"kpis": {"Visits": 1.0}}, "kpis key", ValidationError),
    (FeedbackRecorded, {"kpis": [("traffic.visits", 1.0)]}, "kpis", InvalidTypeError),
    (StrategyAdjusted, {"families": ("resources",)}, "families[0]", InvalidTypeError),
    (
        StrategyAdjusted,
        {"families": (StrategyFamily.TEAM, StrategyFamily.TEAM)},
        "families",
        ValidationError,
    ),
    (ResourcesReallocated, {"amounts": {}}, "amounts", ValidationError),
    (
        ResourcesReallocated,
        {"amounts": {"money.ads": -1.0}},
        "amounts['money.ads']",
        ValidationError,
    ),
    (
        ResourcesReallocated,
        {"amounts": {"money.ads": True}},
        "amounts['money.ads']",
        InvalidTypeError,
    ),
    (LossRecorded, {"amount": 12.5}, "amount", InvalidTypeError),
    (LossRecorded, {"amount": Decimal(-1)}, "amount", ValidationError),
    (LossRecorded, {"amount": Decimal("sNaN")}, "amount", ValidationError),
    (LossRecorded, {"category": "penalties"}, "category", InvalidTypeError),
    (LossRecorded, {"estimate": "yes"}, "estimate", InvalidTypeError),
    (CrisisDismissed, {"reason": ""}, "reason", ValidationError),
    (CrisisMerged, {"into": "traffic_drop"}, "into", ValidationError),
    (CrisisMerged, {"into": "INC-42"}, "into", ValidationError),
    (CrisisReopened, {"reason": ""}, "reason", ValidationError),
    (CrisisReviewed, {"review": ""}, "review", ValidationError),
    (CrisisContained, {"summary": None}, "summary", InvalidTypeError),
]


@pytest.mark.parametrize(
    ("kind", "changes", "field", "error"),
    BAD_EVENTS,
    ids=[f"{k.__name__}-{f}" for k, _, f, _ in BAD_EVENTS],
)
def test_bad_event_fields_are_refused(
    kind: type[Any], changes: dict[str, Any], field: str, error: type[Exception]
) -> None:
    with pytest.raises(error, match=re.escape(repr(field))):
        example(kind, **changes)


def test_an_event_is_immutable() -> None:
    event = example(CrisisResolved)

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.summary = "changed"


# --- property round trips ---------------------------------------------------------


feedback_events = st.builds(
    FeedbackRecorded,
    crisis=st.just("traffic_drop"),
    sequence=st.integers(min_value=1, max_value=10**6),
    at=aware_datetimes,
    actor=texts,
    channel=st.sampled_from(FeedbackChannel),
    volume=st.integers(min_value=0, max_value=10**9),
    sentiment=st.none() | st.floats(min_value=-1, max_value=1),
    negative_share=st.none() | st.floats(min_value=0, max_value=1),
    kpis=st.dictionaries(
        st.sampled_from(["traffic.visits", "sales.gmv", "sales.conversion"]),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    note=st.text(max_size=20),
)

loss_events = st.builds(
    LossRecorded,
    crisis=st.just("traffic_drop"),
    sequence=st.integers(min_value=1, max_value=10**6),
    at=aware_datetimes,
    actor=texts,
    category=st.sampled_from(LossCategory),
    amount=st.decimals(min_value=0, max_value=10**12, places=2),
    estimate=st.booleans(),
)


@given(feedback_events)
def test_feedback_round_trips(event: FeedbackRecorded) -> None:
    assert event == from_data(FeedbackRecorded, to_data(event))


@given(loss_events)
def test_losses_round_trip_to_the_cent(event: LossRecorded) -> None:
    back = from_data(LossRecorded, to_data(event))

    assert event == back
    assert str(event.amount) == str(back.amount)
