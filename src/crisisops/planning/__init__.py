"""Response teams, RACI, impact and cause analysis, playbooks and resources (book §4).

Book §4 (危機應對策略制定) turns a warning into a plan. Form a crisis team with
clear duties (成立危機應對小組); analyse the causes and the scope of impact
(分析危機原因和影響範圍); write targeted strategies and contingency plans with
owners and deadlines (制定針對性的應對策略, 預案); communicate and allocate
resources (溝通協作與資源調配); train and drill (培訓與演練). This package
does each of those as plain values:

* `roles` and `team` – the role catalog with Incident Command System
  functions, members and their availability, `assemble_team()`, escalation
  chains and coordination-meeting cadences;
* `raci` – validated RACI matrices of actions × roles;
* `impact`, `causes` and `continuity` – the five-dimension impact
  assessment that suggests a `ResponseLevel`, cause analysis with root and
  contributing causes and five-whys chains, and ISO 22301 objectives (MTPD,
  RTO, RPO, minimum service level);
* `playbooks` – contingency plans with dated, owned steps, critical paths
  and `activate()`, and a built-in plan for every crisis type;
* `resources` – allocation of people, material and money that serves
  critical demands first and reports every shortfall;
* `readiness` – whether a roster and its plans could answer every crisis at
  every level.

Every name below is importable from ``crisisops.planning``.
"""

from __future__ import annotations

from crisisops.planning.causes import (
    Cause,
    CauseAnalysis,
    CauseFamily,
    Evidence,
    FiveWhys,
    Why,
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
from crisisops.planning.impact import (
    DEFAULT_BANDS,
    IMPACT_SCORES,
    DimensionImpact,
    ImpactAssessment,
    ImpactDimension,
    LevelBands,
    MoneyEstimate,
    MoneyKind,
    OverallRule,
    check_currency,
)
from crisisops.planning.playbooks import (
    TARGET_RESPONSE,
    ActionPlan,
    DeadlineOffset,
    MemberLookup,
    PlannedAction,
    Playbook,
    PlaybookCatalog,
    PlaybookStep,
    Schedule,
    StepTiming,
    StrategyFamily,
    activate,
    default_playbooks,
)
from crisisops.planning.raci import (
    RACILetter,
    RACIMatrix,
    RACIOverload,
)
from crisisops.planning.readiness import (
    LevelReadiness,
    ReadinessReport,
    TypeReadiness,
    UnownedStep,
    check_readiness,
)
from crisisops.planning.resources import (
    TERMS,
    TOLERANCE,
    Allocation,
    AllocationChange,
    AllocationRule,
    CapacityChange,
    Demand,
    Reallocation,
    Resource,
    ResourceKind,
    ResourcePool,
    Shortfall,
    allocate,
    reallocate,
)
from crisisops.planning.roles import (
    ICSFunction,
    Role,
    RoleCatalog,
    default_roles,
)
from crisisops.planning.team import (
    DEFAULT_MAX_SPAN,
    AvailabilityWindow,
    EscalationChain,
    EscalationNotice,
    EscalationStep,
    MeetingCadence,
    Member,
    Roster,
    SpanOfControlWarning,
    StaffingPolicy,
    Team,
    assemble_team,
    default_escalation_chain,
)

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_MAX_SPAN",
    "IMPACT_SCORES",
    "TARGET_RESPONSE",
    "TERMS",
    "TOLERANCE",
    "ActionPlan",
    "Allocation",
    "AllocationChange",
    "AllocationRule",
    "AvailabilityWindow",
    "BusinessImpactAnalysis",
    "CapacityChange",
    "Cause",
    "CauseAnalysis",
    "CauseFamily",
    "ContinuityObjective",
    "CriticalActivity",
    "DeadlineOffset",
    "Demand",
    "DependencyGap",
    "DimensionImpact",
    "EscalationChain",
    "EscalationNotice",
    "EscalationStep",
    "Evidence",
    "FiveWhys",
    "ICSFunction",
    "ImpactAssessment",
    "ImpactDimension",
    "ImpactOverTime",
    "ImpactPoint",
    "LevelBands",
    "LevelReadiness",
    "MeetingCadence",
    "Member",
    "MemberLookup",
    "MinimumServiceLevel",
    "MoneyEstimate",
    "MoneyKind",
    "OverallRule",
    "PlannedAction",
    "Playbook",
    "PlaybookCatalog",
    "PlaybookStep",
    "RACILetter",
    "RACIMatrix",
    "RACIOverload",
    "ReadinessReport",
    "Reallocation",
    "RecoveryCheck",
    "RecoveryGap",
    "Resource",
    "ResourceKind",
    "ResourcePool",
    "Role",
    "RoleCatalog",
    "Roster",
    "Schedule",
    "Shortfall",
    "SpanOfControlWarning",
    "StaffingPolicy",
    "StepTiming",
    "StrategyFamily",
    "Team",
    "TypeReadiness",
    "UnownedStep",
    "Why",
    "activate",
    "allocate",
    "assemble_team",
    "check_currency",
    "check_readiness",
    "check_recovery",
    "default_escalation_chain",
    "default_playbooks",
    "default_roles",
    "reallocate",
]


def __dir__() -> list[str]:
    """List the public API."""
    return sorted(__all__)
