"""Key-indicator monitoring and trigger rules (book §3 關鍵指標監控).

Book §3 (危機預警與風險評估) asks an e-commerce team to watch its key
indicators — sales and conversion (銷售額與轉化率), user feedback (用戶反饋),
supply-chain stability (供應鏈穩定性) and marketing data (營銷數據) — to set
trigger points from history (找到合理範圍), to tier the response (層級劃分) and
to re-calibrate periodically (定期調整). This package does all of it as pure
functions over numpy arrays:

* `metrics` – the KPI catalog;
* `panel` – observations over time, per entity;
* `conditions` – signals, predicates, guards,
  SPC charts and their composition;
* `rules` – tiered trigger rules with persistence,
  hysteresis, cooldown and a missing-data policy;
* `monitor` – batch and streaming evaluation with
  identical results, and alerts that explain themselves;
* `thresholds` and
  `calibration` – versioned, point-in-time
  thresholds fitted from history;
* `notifications` – Alertmanager-style grouping,
  inhibition and silences as plain data.

Every name below is importable from ``crisisops.monitoring``.
"""

from __future__ import annotations

from crisisops.monitoring.calibration import (
    BacktestReport,
    BoundSpec,
    CalibrationMethod,
    IQRFence,
    MeanSigma,
    MedianMAD,
    Quantile,
    RuleBacktest,
    backtest,
    calibrate,
    exclusion_mask,
    recalibrate,
    replay_threshold_set,
)
from crisisops.monitoring.conditions import (
    Above,
    AllOf,
    AnyOf,
    Baseline,
    Below,
    Calibrated,
    Change,
    Condition,
    CUSUMChart,
    EWMAChart,
    FixedReference,
    Guards,
    LevelShift,
    Not,
    Outside,
    Predicate,
    PreviousValue,
    Raw,
    Reference,
    RollingZScore,
    SeasonalLag,
    Side,
    Signal,
    Threshold,
    TrailingMean,
    TrailingMedian,
    WarmupReference,
)
from crisisops.monitoring.frames import (
    alerts_frame,
    panel_from_frame,
    panel_to_frame,
)
from crisisops.monitoring.metrics import (
    Direction,
    Metric,
    MetricCatalog,
    MetricFamily,
    default_metrics,
)
from crisisops.monitoring.monitor import (
    Alert,
    AlertEvent,
    AlertKind,
    Evaluation,
    EventKind,
    Evidence,
    LevelChange,
    Monitor,
    MonitorState,
    StepResult,
    Trace,
    evaluate,
    merge_evaluations,
    trace,
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
    RuleLabels,
    Silence,
    alert_labels,
    notify_step,
    plan_notifications,
)
from crisisops.monitoring.panel import (
    Observation,
    Panel,
)
from crisisops.monitoring.rules import (
    Consecutive,
    MissingData,
    MOfN,
    Persistence,
    Tier,
    TriggerRule,
)
from crisisops.monitoring.thresholds import (
    ThresholdSet,
    active_threshold_set,
    bounds_at,
)

__all__ = [
    "BUILTIN_LABELS",
    "Above",
    "Alert",
    "AlertEvent",
    "AlertKind",
    "AllOf",
    "AnyOf",
    "BacktestReport",
    "Baseline",
    "Below",
    "BoundSpec",
    "CUSUMChart",
    "Calibrated",
    "CalibrationMethod",
    "Change",
    "Condition",
    "Consecutive",
    "Direction",
    "EWMAChart",
    "Evaluation",
    "EventKind",
    "Evidence",
    "FixedReference",
    "GroupState",
    "Guards",
    "IQRFence",
    "InhibitRule",
    "LevelChange",
    "LevelShift",
    "MOfN",
    "MatchOp",
    "Matcher",
    "MeanSigma",
    "MedianMAD",
    "Metric",
    "MetricCatalog",
    "MetricFamily",
    "MissingData",
    "Monitor",
    "MonitorState",
    "Not",
    "Notification",
    "NotificationPolicy",
    "NotificationReason",
    "NotificationState",
    "Observation",
    "Outside",
    "Panel",
    "Persistence",
    "Predicate",
    "PreviousValue",
    "Quantile",
    "Raw",
    "Reference",
    "RollingZScore",
    "RuleBacktest",
    "RuleLabels",
    "SeasonalLag",
    "Side",
    "Signal",
    "Silence",
    "StepResult",
    "Threshold",
    "ThresholdSet",
    "Tier",
    "Trace",
    "TrailingMean",
    "TrailingMedian",
    "TriggerRule",
    "WarmupReference",
    "active_threshold_set",
    "alert_labels",
    "alerts_frame",
    "backtest",
    "bounds_at",
    "calibrate",
    "default_metrics",
    "evaluate",
    "exclusion_mask",
    "merge_evaluations",
    "notify_step",
    "panel_from_frame",
    "panel_to_frame",
    "plan_notifications",
    "recalibrate",
    "replay_threshold_set",
    "trace",
]


def __dir__() -> list[str]:
    """List the public API."""
    return sorted(__all__)
