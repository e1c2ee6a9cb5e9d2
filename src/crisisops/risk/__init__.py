"""Risk sources, the risk register, grading, expert scoring and Monte Carlo loss.

Book §3 (危機預警與風險評估) asks an e-commerce team to identify its risk sources
(確定風險源), to build a risk-evaluation system that quantifies each risk's
probability and impact and combines the numbers with expert opinion and past
cases (構建風險評估體系), to grade risks so the serious ones come first (風險量化與
等級劃分), and to repeat the assessment every quarter or half-year (定期進行風險
評估). Book §2 adds the supply chain's single points of failure and the advice
to diversify (多元化供應鏈管理). This package does all of it as plain values
and numpy array code:

* `register` – risk sources, risks (cause → event → consequence, owner,
  status, treatment, controls, linked trigger rules, inherent / current /
  residual / target assessments) and the immutable `RiskRegister` with its
  append-only history and queries;
* `schedule` – assessment cycles (quarterly, half-yearly or any RFC 5545
  rule), overdue risks, dated snapshots and score trends;
* `scales` – ordinal scales, impact dimensions, the `RiskMatrix` and its
  grading into `ResponseLevel`s, risk appetite and FMEA;
* `scoring` – several experts' ratings pooled with a consensus check, and
  incident history turned into a likelihood level;
* `distributions`, `simulation` and `controls` – Monte Carlo loss: PERT,
  lognormal and friends, the FAIR product and the compound frequency–severity
  model, VaR and expected shortfall, and controls compared on common random
  numbers;
* `correlation` and `portfolio` – many risks at once, with Iman–Conover rank
  correlation, common shocks and tail contributions;
* `supply` – the supply network: single points of failure, Herfindahl–
  Hirschman concentration and what an outage hits.

Every name below is importable from ``crisisops.risk``.
"""

from __future__ import annotations

from crisisops.risk.controls import (
    Control,
    ControlEffect,
    ControlTarget,
    apply_controls,
    compare_controls,
    control_factors,
)
from crisisops.risk.correlation import (
    EIGENVALUE_TOLERANCE,
    SYMMETRY_TOLERANCE,
    RankCorrelation,
    check_correlation_matrix,
    iman_conover,
    spearman_matrix,
)
from crisisops.risk.distributions import (
    MAX_RATE,
    MAX_SIZE,
    PERT,
    Bernoulli,
    Constant,
    CountDistribution,
    Distribution,
    Empirical,
    LogNormal,
    NegativeBinomial,
    Poisson,
    Triangular,
    TruncatedNormal,
    Uniform,
)
from crisisops.risk.frames import register_frame
from crisisops.risk.portfolio import (
    MAX_SHOCK_MULTIPLIER,
    CommonShock,
    Diversification,
    Portfolio,
    PortfolioLoss,
    ShockEffect,
    TailContributions,
    Tornado,
    simulate_portfolio,
)
from crisisops.risk.register import (
    RANKINGS,
    Assessment,
    AssessmentKind,
    ChangeKind,
    RegisterChange,
    Risk,
    RiskRegister,
    RiskSource,
    RiskSourceCatalog,
    RiskStatus,
    SourceOrigin,
    Treatment,
    default_sources,
)
from crisisops.risk.scales import (
    AppetiteBasis,
    AppetiteZone,
    FMEARating,
    FrequencyBand,
    ImpactCombination,
    ImpactDimension,
    ImpactRating,
    ImpactRule,
    LookupTable,
    ProductThresholds,
    RiskAppetite,
    RiskGrade,
    RiskMatrix,
    Scale,
    ScaleLevel,
    default_impact_scale,
    default_likelihood_scale,
    default_matrix,
    risk_priority_numbers,
    round_half_up,
)
from crisisops.risk.schedule import (
    AssessmentSchedule,
    MonthEnd,
    RegisterSnapshot,
    RuleCycle,
    ScoreTrends,
    score_trends,
)
from crisisops.risk.scoring import (
    Aggregation,
    BlendedLikelihood,
    ExpertConsensus,
    ExpertRating,
    aggregate_ratings,
    blend,
    history_weight,
    likelihood_from_history,
)
from crisisops.risk.simulation import (
    MAX_CURVE_POINTS,
    MAX_TRIALS,
    CompoundLossModel,
    CompoundSample,
    FAIRModel,
    LossDistribution,
    LossModel,
    risk_generator,
    simulate,
)
from crisisops.risk.supply import (
    HHI_POINTS,
    SHARE_TOLERANCE,
    TERMS,
    ConcentrationBand,
    ConcentrationReport,
    OutageImpact,
    SinglePointOfFailure,
    SkuConcentration,
    SupplyLink,
    SupplyNetwork,
    SupplyNode,
    UpstreamExposure,
    herfindahl_index,
)

__all__ = [
    "EIGENVALUE_TOLERANCE",
    "HHI_POINTS",
    "MAX_CURVE_POINTS",
    "MAX_RATE",
    "MAX_SHOCK_MULTIPLIER",
    "MAX_SIZE",
    "MAX_TRIALS",
    "PERT",
    "RANKINGS",
    "SHARE_TOLERANCE",
    "SYMMETRY_TOLERANCE",
    "TERMS",
    "Aggregation",
    "AppetiteBasis",
    "AppetiteZone",
    "Assessment",
    "AssessmentKind",
    "AssessmentSchedule",
    "Bernoulli",
    "BlendedLikelihood",
    "ChangeKind",
    "CommonShock",
    "CompoundLossModel",
    "CompoundSample",
    "ConcentrationBand",
    "ConcentrationReport",
    "Constant",
    "Control",
    "ControlEffect",
    "ControlTarget",
    "CountDistribution",
    "Distribution",
    "Diversification",
    "Empirical",
    "ExpertConsensus",
    "ExpertRating",
    "FAIRModel",
    "FMEARating",
    "FrequencyBand",
    "ImpactCombination",
    "ImpactDimension",
    "ImpactRating",
    "ImpactRule",
    "LogNormal",
    "LookupTable",
    "LossDistribution",
    "LossModel",
    "MonthEnd",
    "NegativeBinomial",
    "OutageImpact",
    "Poisson",
    "Portfolio",
    "PortfolioLoss",
    "ProductThresholds",
    "RankCorrelation",
    "RegisterChange",
    "RegisterSnapshot",
    "Risk",
    "RiskAppetite",
    "RiskGrade",
    "RiskMatrix",
    "RiskRegister",
    "RiskSource",
    "RiskSourceCatalog",
    "RiskStatus",
    "RuleCycle",
    "Scale",
    "ScaleLevel",
    "ScoreTrends",
    "ShockEffect",
    "SinglePointOfFailure",
    "SkuConcentration",
    "SourceOrigin",
    "SupplyLink",
    "SupplyNetwork",
    "SupplyNode",
    "TailContributions",
    "Tornado",
    "Treatment",
    "Triangular",
    "TruncatedNormal",
    "Uniform",
    "UpstreamExposure",
    "aggregate_ratings",
    "apply_controls",
    "blend",
    "check_correlation_matrix",
    "compare_controls",
    "control_factors",
    "default_impact_scale",
    "default_likelihood_scale",
    "default_matrix",
    "default_sources",
    "herfindahl_index",
    "history_weight",
    "iman_conover",
    "likelihood_from_history",
    "register_frame",
    "risk_generator",
    "risk_priority_numbers",
    "round_half_up",
    "score_trends",
    "simulate",
    "simulate_portfolio",
    "spearman_matrix",
]


def __dir__() -> list[str]:
    """List the public API."""
    return sorted(__all__)
