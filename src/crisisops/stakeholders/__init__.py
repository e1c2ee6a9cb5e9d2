"""Stakeholder graph, salience, SCCT communication and opinion spread (book §4–5).

Book §4–5 asks a shop in crisis to keep talking with everyone it depends on
(保持與內外部利益相關者的溝通): customers, suppliers, partners, media, the public,
employees and regulators, sincerely and transparently (真誠透明), through the
right channel and on a steady rhythm, because online a small incident can
spread fast (信息傳播速度極快). This package models that as plain values:

* `graph` – stakeholder kinds, stakeholders with power, legitimacy,
  urgency, interest, sentiment and reach, and the `StakeholderGraph` of who
  influences whom, with centrality, communities and who hears first;
* `classification` – Mitchell–Agle–Wood salience and Mendelow's
  power–interest grid, as timestamped snapshots;
* `scct` – Coombs' Situational Crisis Communication Theory:
  `recommend_response()` for a crisis type and its intensifiers;
* `communication` – a `CommunicationPlan` per stakeholder group (channel,
  owner, message, first deadline, update cadence) and `check_plan()` against
  the messages actually sent;
* `diffusion` – independent-cascade and linear-threshold spread of negative
  word of mouth, and the effect of reaching people first.

Every name below is importable from ``crisisops.stakeholders``.
"""

from __future__ import annotations

from crisisops.stakeholders.classification import (
    ClassificationMoves,
    ClassificationSnapshot,
    PowerInterestSnapshot,
    PowerInterestThresholds,
    Quadrant,
    QuadrantMove,
    SalienceClass,
    SalienceGroup,
    SalienceMove,
    SalienceSnapshot,
    SalienceThresholds,
    classify,
    classify_power_interest,
    classify_salience,
    quadrant,
    salience_class,
    who_hears_first,
)
from crisisops.stakeholders.communication import (
    DEFAULT_OWNER_ROLES,
    FALLBACK_OWNER_ROLE,
    CommunicationPlan,
    FindingKind,
    PlanCheck,
    PlanFinding,
    PlanStep,
    SentMessage,
    UpdateCadence,
    check_plan,
    default_cadence,
    plan_communication,
)
from crisisops.stakeholders.diffusion import (
    DEFAULT_RUNS,
    LT_WEIGHT_TOLERANCE,
    MAX_RUNS,
    DiffusionModel,
    DiffusionNetwork,
    Intervention,
    InterventionEffect,
    SpreadComparison,
    SpreadResult,
    compare_interventions,
    simulate_spread,
)
from crisisops.stakeholders.graph import (
    SCORE_FIELDS,
    Channel,
    Influence,
    Stakeholder,
    StakeholderGraph,
    StakeholderKind,
    StakeholderKindCatalog,
    betweenness,
    communities,
    default_kinds,
    key_influencers,
    pagerank,
)
from crisisops.stakeholders.scct import (
    BaseResponse,
    Guideline,
    MessageStrategy,
    PriorReputation,
    ResponsePosture,
    ResponseRecommendation,
    ResponseStrategy,
    check_strategies,
    recommend_response,
)

__all__ = [
    "DEFAULT_OWNER_ROLES",
    "DEFAULT_RUNS",
    "FALLBACK_OWNER_ROLE",
    "LT_WEIGHT_TOLERANCE",
    "MAX_RUNS",
    "SCORE_FIELDS",
    "BaseResponse",
    "Channel",
    "ClassificationMoves",
    "ClassificationSnapshot",
    "CommunicationPlan",
    "DiffusionModel",
    "DiffusionNetwork",
    "FindingKind",
    "Guideline",
    "Influence",
    "Intervention",
    "InterventionEffect",
    "MessageStrategy",
    "PlanCheck",
    "PlanFinding",
    "PlanStep",
    "PowerInterestSnapshot",
    "PowerInterestThresholds",
    "PriorReputation",
    "Quadrant",
    "QuadrantMove",
    "ResponsePosture",
    "ResponseRecommendation",
    "ResponseStrategy",
    "SalienceClass",
    "SalienceGroup",
    "SalienceMove",
    "SalienceSnapshot",
    "SalienceThresholds",
    "SentMessage",
    "SpreadComparison",
    "SpreadResult",
    "Stakeholder",
    "StakeholderGraph",
    "StakeholderKind",
    "StakeholderKindCatalog",
    "UpdateCadence",
    "betweenness",
    "check_plan",
    "check_strategies",
    "classify",
    "classify_power_interest",
    "classify_salience",
    "communities",
    "compare_interventions",
    "default_cadence",
    "default_kinds",
    "key_influencers",
    "pagerank",
    "plan_communication",
    "quadrant",
    "recommend_response",
    "salience_class",
    "simulate_spread",
    "who_hears_first",
]


def __dir__() -> list[str]:
    """List the public API."""
    return sorted(__all__)
