"""Post-crisis reviews, before/after evaluation, lessons and learning (book §6).

Book §6 (後期復盤與經驗總結) closes the loop: evaluate the effect with data
before and after the crisis (數據分析和效果評估), compare the expected goals
with the results (對比預期目標與實際效果), record what worked and what must
improve (總結經驗和教訓), write a continuous-improvement plan (持續改進) and
prevent the next crisis by learning from history and updating the warning
system (預防未來危機的發生). This package models that as plain values:

* `lessons` – lessons by the book's five themes (went well, went poorly,
  where we got lucky) and typed improvement actions with owners and dates;
* `record` – the `Review` of one crisis, drafted from its event log, with a
  workflow (draft → in review → reviewed → closed) due by response level,
  and `close_crisis` that marks the crisis reviewed;
* `evaluation` – KPI windows before, during and after a crisis over a
  monitoring `Panel`: deltas, a counterfactual baseline and the loss area,
  recovery time, and a permutation test;
* `goals` – objectives vs results, response-speed targets by level, and
  stakeholder feedback summaries;
* `portfolio` – learning across crises: response times by type, level and
  quarter with trends, recurrence, improvement progress, trigger quality
  (precision, recall, lead time) and playbook steps that keep slipping;
* `prevention` – proposed risk-register updates from the evidence;
* `retune` – re-calibrated trigger thresholds proposed from the reviews
  (a resolved crisis is a true alarm, a dismissed one a false alarm), point
  in time, for a person to accept.

Every name below is importable from ``crisisops.review``.
"""

from __future__ import annotations

from crisisops.review.evaluation import (
    MAX_PERMUTATIONS,
    BaselineStatistic,
    Counterfactual,
    EffectTotals,
    EvaluationWindow,
    KPIEffect,
    SeasonalBaseline,
    TrailingBaseline,
    Windows,
    evaluate_effect,
    evaluate_effects,
)
from crisisops.review.goals import (
    EFFORT_LABELS,
    RATING_LABELS,
    SPEED_METRICS,
    FeedbackSummary,
    GoalReport,
    GroupFeedback,
    Objective,
    ObjectiveResult,
    SpeedTarget,
    SpeedTargets,
    StakeholderFeedback,
    compare_goals,
    compare_speed,
    summarize_feedback,
)
from crisisops.review.lessons import (
    IMPROVEMENT_TRANSITIONS,
    ImprovementAction,
    ImprovementKind,
    ImprovementStatus,
    Lesson,
    LessonKind,
    LessonTheme,
)
from crisisops.review.portfolio import (
    QUARTER,
    TIMING_GROUPINGS,
    AlertOutcome,
    ImprovementProgress,
    MetricTiming,
    ProgressCounts,
    Recurrence,
    RecurrenceEntry,
    RecurrenceKind,
    StepFeedback,
    TimingGroup,
    TriggerQuality,
    TriggerQualityReport,
    detected_at,
    improvement_progress,
    playbook_feedback,
    recurrence,
    response_times,
    trigger_quality,
)
from crisisops.review.prevention import (
    LOSS_STATISTICS,
    LossBands,
    RegisterProposal,
    propose_register_updates,
)
from crisisops.review.record import (
    REVIEW_DEADLINES,
    REVIEW_TRANSITIONS,
    REVIEWABLE_OUTCOMES,
    Review,
    ReviewActivity,
    ReviewStatus,
    StatusChange,
    TimelineEntry,
    close_crisis,
    review_due,
)
from crisisops.review.retune import (
    DEFAULT_FACTORS,
    Candidate,
    CrisisVerdict,
    CrisisWindow,
    RetuneDecision,
    RetuneProposal,
    RuleChange,
    RuleOutcome,
    retune,
)

__all__ = [
    "DEFAULT_FACTORS",
    "EFFORT_LABELS",
    "IMPROVEMENT_TRANSITIONS",
    "LOSS_STATISTICS",
    "MAX_PERMUTATIONS",
    "QUARTER",
    "RATING_LABELS",
    "REVIEWABLE_OUTCOMES",
    "REVIEW_DEADLINES",
    "REVIEW_TRANSITIONS",
    "SPEED_METRICS",
    "TIMING_GROUPINGS",
    "AlertOutcome",
    "BaselineStatistic",
    "Candidate",
    "Counterfactual",
    "CrisisVerdict",
    "CrisisWindow",
    "EffectTotals",
    "EvaluationWindow",
    "FeedbackSummary",
    "GoalReport",
    "GroupFeedback",
    "ImprovementAction",
    "ImprovementKind",
    "ImprovementProgress",
    "ImprovementStatus",
    "KPIEffect",
    "Lesson",
    "LessonKind",
    "LessonTheme",
    "LossBands",
    "MetricTiming",
    "Objective",
    "ObjectiveResult",
    "ProgressCounts",
    "Recurrence",
    "RecurrenceEntry",
    "RecurrenceKind",
    "RegisterProposal",
    "RetuneDecision",
    "RetuneProposal",
    "Review",
    "ReviewActivity",
    "ReviewStatus",
    "RuleChange",
    "RuleOutcome",
    "SeasonalBaseline",
    "SpeedTarget",
    "SpeedTargets",
    "StakeholderFeedback",
    "StatusChange",
    "StepFeedback",
    "TimelineEntry",
    "TimingGroup",
    "TrailingBaseline",
    "TriggerQuality",
    "TriggerQualityReport",
    "Windows",
    "close_crisis",
    "compare_goals",
    "compare_speed",
    "detected_at",
    "evaluate_effect",
    "evaluate_effects",
    "improvement_progress",
    "playbook_feedback",
    "propose_register_updates",
    "recurrence",
    "response_times",
    "retune",
    "review_due",
    "summarize_feedback",
    "trigger_quality",
]
