"""Synthetic shops, shocks, drills and what-if scenarios that run the whole loop.

Book §4 asks for drills (模擬演練) and book §1 for predicting crises from data
(數據分析預測潛在危機); both need a shop whose truth is known. This package
generates one and breaks it on purpose:

* `shop` – a seeded synthetic shop: SKUs with trend, weekly (and hourly)
  seasonality and promotion peaks (618, Double 11), Poisson / negative
  binomial traffic, binomial conversion, stock that sells down and is
  restocked with a lead time, feedback that follows defects and delays,
  social, technical and cash indicators; `simulate_shop` turns a
  `ShopProfile` into a `ShopRun` whose panel uses the keys of
  `crisisops.monitoring.default_metrics()`, for one run or many at once;
* `shocks` – one shock per crisis family of book §2, acting on the shop's
  `Drivers` (demand shift, price war, policy change, supplier outage over a
  `crisisops.risk.SupplyNetwork`, logistics delay, product defect, service
  failure, site outage at peak load, data breach spreading over a
  `crisisops.stakeholders.StakeholderGraph`, cash squeeze), each recording
  its `GroundTruth`;
* `drill` – `run_drill` runs one generated run through the whole loop
  (calibrated trigger rules, crises in drill mode with a team, a playbook
  and updates, resolution and review) and scores it against the ground
  truth: detection lag, missed shocks, false crises, late actions,
  communication cadence and estimated loss, in a `DrillReport`;
* `cases` – the four case studies of book §5.4 (案例分析) as `BookCase`
  values: a shop, its shock and a drill policy whose rules see it
  (`inventory_case`, `traffic_case`, `data_breach_case`,
  `customer_service_case`; `book_cases` for all four);
* `whatif` – `compare_alternatives` runs a scenario many times over
  uncertain parameters on common random numbers and compares alternatives
  (a second supplier, other thresholds, a faster response) on loss,
  detection lag and recovery time, with percentiles and paired differences.

Every name below is importable from ``crisisops.scenarios``.

Examples
--------
>>> import datetime as dt
>>> from crisisops.scenarios import DemandShift, ShopProfile, simulate_shop
>>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> profile = ShopProfile.default(start, skus=10, days=60)
>>> slump = DemandShift(
...     key="slump",
...     onset=start + dt.timedelta(days=30),
...     end=start + dt.timedelta(days=45),
...     traffic_factor=0.5,
... )
>>> run = simulate_shop(profile, [slump], seed=1)
>>> run.ground_truth[0].crisis_type
'market.demand_shift'
>>> traffic = run.drivers.traffic[0, :, 0] / run.baseline.traffic[0, :, 0]
>>> traffic[29:31].tolist(), traffic[44:46].tolist()  # halved from day 30 to 44
([1.0, 0.5], [0.5, 1.0])
"""

from __future__ import annotations

from crisisops.scenarios.cases import (
    BookCase,
    book_cases,
    customer_service_case,
    data_breach_case,
    inventory_case,
    traffic_case,
)
from crisisops.scenarios.drill import (
    CrisisScore,
    DrillPolicy,
    DrillReport,
    DrillScope,
    DrillSummary,
    ShockScore,
    default_drill_roster,
    default_drill_rules,
    run_drill,
)
from crisisops.scenarios.shocks import (
    CashSqueeze,
    DataBreach,
    DemandShift,
    GroundTruth,
    LogisticsDelay,
    PolicyChange,
    PriceWar,
    ProductDefect,
    ServiceFailure,
    Shock,
    ShockContext,
    SiteOutage,
    SupplierOutage,
    is_shock,
)
from crisisops.scenarios.shop import (
    DEFAULT_CATEGORIES,
    DOUBLE_ELEVEN,
    DRIVERS,
    SHOP_DRIVERS,
    SHOP_ENTITY,
    SHOP_METRICS,
    SHOP_ONLY_METRICS,
    SIX_EIGHTEEN,
    SKU_DRIVERS,
    SKU_METRICS,
    Assortment,
    CashModel,
    DemandModel,
    Drivers,
    FeedbackModel,
    InventoryPolicy,
    MarketingModel,
    PeriodLength,
    Promotion,
    ShopProfile,
    ShopRun,
    SocialModel,
    TechModel,
    simulate_shop,
)
from crisisops.scenarios.whatif import (
    WHATIF_METRICS,
    Alternative,
    MetricStats,
    PairedDifference,
    Uncertain,
    WhatIfReport,
    compare_alternatives,
)

__all__ = [
    "DEFAULT_CATEGORIES",
    "DOUBLE_ELEVEN",
    "DRIVERS",
    "SHOP_DRIVERS",
    "SHOP_ENTITY",
    "SHOP_METRICS",
    "SHOP_ONLY_METRICS",
    "SIX_EIGHTEEN",
    "SKU_DRIVERS",
    "SKU_METRICS",
    "WHATIF_METRICS",
    "Alternative",
    "Assortment",
    "BookCase",
    "CashModel",
    "CashSqueeze",
    "CrisisScore",
    "DataBreach",
    "DemandModel",
    "DemandShift",
    "DrillPolicy",
    "DrillReport",
    "DrillScope",
    "DrillSummary",
    "Drivers",
    "FeedbackModel",
    "GroundTruth",
    "InventoryPolicy",
    "LogisticsDelay",
    "MarketingModel",
    "MetricStats",
    "PairedDifference",
    "PeriodLength",
    "PolicyChange",
    "PriceWar",
    "ProductDefect",
    "Promotion",
    "ServiceFailure",
    "Shock",
    "ShockContext",
    "ShockScore",
    "ShopProfile",
    "ShopRun",
    "SiteOutage",
    "SocialModel",
    "SupplierOutage",
    "TechModel",
    "Uncertain",
    "WhatIfReport",
    "book_cases",
    "compare_alternatives",
    "customer_service_case",
    "data_breach_case",
    "default_drill_roster",
    "default_drill_rules",
    "inventory_case",
    "is_shock",
    "run_drill",
    "simulate_shop",
    "traffic_case",
]


def __dir__() -> list[str]:
    """List the public API."""
    return sorted(__all__)
