"""The crisis as an event log: lifecycle, actions, feedback, metrics and cost (§5).

Book §5 (危機執行與應對實踐) puts the plan to work: identify the type and root
cause (精準識別危機類型和根源), give every solution an owner and a deadline
(明確責任人及執行時間), respond fast and communicate openly, collect real-time
feedback and adjust the strategy and resources (實時反饋與調整策略), then
recover. This package models one crisis as the fold of its append-only log:

* `lifecycle` – `CrisisStatus` and its transition table, `Milestones`
  (impact started ≤ detected ≤ … ≤ resolved ≤ reviewed) and `CrisisMode`
  (real, drill 演練, backfilled);
* `records` – the values a crisis carries: `Origin` (the alert or risk that
  started it), `Action`, `RoleAssignment`, `LevelChange`, `FeedbackChannel`,
  `LossCategory` and the `RateCard` frozen into it;
* `events` – the past-tense events of the log and their union `CrisisEvent`;
* `crisis` – `Crisis`: commands that validate against the current state and
  append one event each, and `Crisis.from_events` that replays a stored log;
* `communication` – the crisis's messages checked against a stakeholder
  `CommunicationPlan` (overdue updates, cadence adherence);
* `adjustments` – `suggest_adjustments()`: rule-based escalate,
  de-escalate, reallocate and communicate suggestions, as data;
* `metrics` – time to detect, acknowledge, contain, recover and resolve, time
  per level and status, action on-time rate, and portfolio summaries that keep
  drills out;
* `costs` – response cost (role-weighted hours × rates frozen at the time of
  the crisis) and business loss by category, kept apart.

Every name below is importable from ``crisisops.response``.
"""

from __future__ import annotations

from crisisops.response.adjustments import (
    AdjustmentPolicy,
    LevelBounds,
    Suggestion,
    SuggestionKind,
    suggest_adjustments,
)
from crisisops.response.communication import (
    cadence_adherence,
    check_communications,
    sent_messages,
)
from crisisops.response.costs import (
    HOURS_QUANTUM,
    BusinessLoss,
    CostLine,
    ResponseCost,
    business_loss,
    response_cost,
)
from crisisops.response.crisis import (
    LEAD_ROLE,
    Crisis,
)
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
from crisisops.response.lifecycle import (
    TRANSITIONS,
    CrisisMode,
    CrisisStatus,
    Milestone,
    Milestones,
    allowed_next,
)
from crisisops.response.metrics import (
    DURATION_METRICS,
    DurationStats,
    MetricsSummary,
    ResponseMetrics,
    measure,
    summarize,
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

__all__ = [
    "DURATION_METRICS",
    "EVENT_TYPES",
    "HOURS_QUANTUM",
    "LEAD_ROLE",
    "TRANSITIONS",
    "Action",
    "ActionAssigned",
    "ActionBlocked",
    "ActionCancelled",
    "ActionCompleted",
    "ActionPriority",
    "ActionReassigned",
    "ActionStarted",
    "ActionStatus",
    "AdjustmentPolicy",
    "BusinessLoss",
    "CommunicationRecorded",
    "CostLine",
    "Crisis",
    "CrisisConfirmed",
    "CrisisContained",
    "CrisisDeclared",
    "CrisisDismissed",
    "CrisisEvent",
    "CrisisMerged",
    "CrisisMode",
    "CrisisRecovered",
    "CrisisReopened",
    "CrisisResolved",
    "CrisisReviewed",
    "CrisisStatus",
    "DurationStats",
    "FeedbackChannel",
    "FeedbackRecorded",
    "LevelBounds",
    "LevelChange",
    "LevelDeEscalated",
    "LevelEscalated",
    "LossCategory",
    "LossRecorded",
    "MetricsSummary",
    "Milestone",
    "Milestones",
    "Origin",
    "OriginKind",
    "OriginLinked",
    "PlaybookActivated",
    "RateCard",
    "ResourcesReallocated",
    "ResponseCost",
    "ResponseMetrics",
    "RoleAssigned",
    "RoleAssignment",
    "RoleRelinquished",
    "StrategyAdjusted",
    "Suggestion",
    "SuggestionKind",
    "allowed_next",
    "business_loss",
    "cadence_adherence",
    "check_communications",
    "measure",
    "response_cost",
    "sent_messages",
    "suggest_adjustments",
    "summarize",
]
