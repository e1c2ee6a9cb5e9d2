"""Smoke test of an installed crisisops wheel, run by .ci/run in a clean venv.

It must import the INSTALLED package (not the source tree), find its type
marker, and run one small piece of every stage from warning to review.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import crisisops
from crisisops import default_catalog, from_data, to_data
from crisisops.monitoring import (
    Below,
    Consecutive,
    Panel,
    Raw,
    Threshold,
    Tier,
    TriggerRule,
    evaluate,
)
from crisisops.response import Crisis, Origin
from crisisops.taxonomy import ResponseLevel

package = Path(crisisops.__file__).resolve().parent
assert "site-packages" in package.parts, f"imported from {package}, not the wheel"
assert (package / "py.typed").is_file(), "the wheel lacks py.typed"
assert len(default_catalog()) >= 30

zone = dt.timezone(dt.timedelta(hours=8))
days = [dt.datetime(2026, 3, 1, tzinfo=zone) + dt.timedelta(days=i) for i in range(6)]
panel = Panel.from_metric_arrays(
    days, ["shop"], {"sales.gmv": [[100.0], [98.0], [60.0], [55.0], [50.0], [99.0]]}
)
rule = TriggerRule(
    name="gmv_low",
    crisis_type="market.demand_shift",
    tiers=[
        Tier(
            ResponseLevel.III, Threshold(signal=Raw("sales.gmv"), predicate=Below(70.0))
        )
    ],
    persistence=Consecutive(3),
)
(alert,) = evaluate([rule], panel).alerts
crisis = Crisis.declare(
    "smoke",
    title="Smoke test",
    crisis_type=alert.crisis_type,
    level=ResponseLevel.III,
    at=alert.fired_at,
    actor="mei",
    lead="mei",
    origins=[Origin.from_alert(alert)],
)
assert from_data(Crisis, to_data(crisis)) == crisis
print(f"crisisops {crisisops.__version__} from {package}: ok")
