"""The inventory-crisis example plans the book's case one from the case's own data.

The shop, the outage, the alert and the declaration come from
`crisisops.scenarios.inventory_case` (shop seed 11, drill seed 5, the run
``examples/supplier_outage_drill.py`` drills). Dates, levels and the
allocation are worked out by hand in the comments; the plan's forecasts come
from the case's baseline drivers (no randomness) and are pinned as printed.
"""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inventory_crisis_plan.py"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    return [" ".join(line.split()) for line in printed.getvalue().splitlines()]


def test_it_opens_with_the_case_and_the_books_words(lines: list[str]) -> None:
    assert "§5.4 案例一 · Handling an inventory crisis · 庫存危機應對實踐" == lines[0]
    assert lines[1].startswith("某電商企業在銷售高峰期遭遇了庫存危機")
    assert any(line.startswith("(In its peak season a shop ran") for line in lines)


def test_the_alert_and_the_declaration_come_from_the_drill(lines: list[str]) -> None:
    # The stock-out rule needs two days in a row: the first breach is on
    # 11-02, the alert is taken at the start of the second day, 11-03 00:00.
    assert "stock-out rate 18% on 11-02, 22% on 11-03: alert 11-03 00:00" in lines
    # Declared 30 min (acknowledge) + 90 min (declare) after the alert, the
    # DrillPolicy defaults: 02:00 on Tuesday 3 November 2026.
    assert (
        "declared supply_chain.peak_season_stockout, Level III, Tuesday 11-03 02:00"
    ) in lines
    # The fire began 10-20 00:00: 11-03 00:00 is 14 days later.
    assert (
        "drill: detected 14 d after the fire, 0 false crises, "
        "estimated loss CNY 639,244"
    ) in lines


def test_the_impact_rests_on_the_cases_evidence(lines: list[str]) -> None:
    # supplier-01 restarts 11-17; with the 11-day lead time of the SKUs it
    # mainly supplies, its goods land again on 11-28.
    assert (
        "supplier-01 stopped 10-20, restarts 11-17; its goods land again 11-28"
    ) in lines
    # Twelve SKUs get some supply from supplier-01; eight get all of it.
    assert "12 of 50 SKUs buy from it, 8 only from it" in lines
    # The plan's GMV of supplier-01's share over 11-03 - 11-27 (baseline
    # drivers: the same for every seed).
    assert (
        "revenue at risk 11-03 – 11-27: CNY 672,770, 21% of the plan's GMV"
    ) in lines
    # Scores 4, 3, 3, 4, 4: the worst dimension, 4, suggests level II, one
    # level above the drill's alert (III).
    assert "overall 4.0 -> response level II (the drill declared III)" in lines


def test_the_team_misses_the_lawyer_on_leave(lines: list[str]) -> None:
    # Declared Tuesday 02:00; the leave ends two days later at 09:00.
    assert (
        "the case's roster (8 people); Xu Lin 徐琳 is on leave until "
        "Thursday 11-05 09:00"
    ) in lines
    # Level II adds a legal counsel; Xu Lin is the only one on the roster.
    assert "legal_counsel -" in lines
    assert "uncovered now: legal_counsel" in lines
    assert "lead Lin Mei 林美, deputy Chen Jun 陳俊" in lines


def test_the_plan_starts_when_the_drill_activated_it(lines: list[str]) -> None:
    # Activated at the drill's confirmation, 1 h after the declaration.
    assert "inventory_replenishment, activated 11-03 03:00" in lines
    # The first step is due 4 hours later, on the critical path, owned by
    # the supply-chain lead.
    assert (
        "11-03 07:00 Wang Wei 王偉 *assess_stock 準確評估庫存現狀與各商品缺口" in lines
    )
    assert (
        "* critical path: assess_stock -> contact_suppliers -> reforecast_demand "
        "-> review_and_drill"
    ) in lines
    assert "meets the level II target response time" in lines


def test_the_backup_units_go_to_double_eleven_first(lines: list[str]) -> None:
    # 722 + 2,518 + 1,509 = 4,749 units; half of that, rounded: 2,374.
    assert (
        "supplier-01's share of the plan's orders until its goods are back: 4,749 units"
    ) in lines
    assert "a backup supplier (external) takes 50% of that share: 2,374 units" in lines
    # The critical Double 11 orders first, in full: 2,374 - 722 = 1,652 left,
    # shared in proportion to priority x amount asked: 2 x 2,518 = 5,036 and
    # 1 x 1,509 = 1,509, so 1,652 x 5,036 / 6,545 = 1,271.1 and
    # 1,652 x 1,509 / 6,545 = 380.9.
    assert "double_eleven_orders asked 722 got 722" in lines
    assert "ramp_up_orders asked 2,518 got 1,271" in lines
    assert "after_peak_orders asked 1,509 got 381" in lines
    assert "short: ramp_up_orders lacks 1,247" in lines
    assert "short: after_peak_orders lacks 1,128" in lines


def test_pausing_the_promotion_lets_the_backup_cover_every_order(
    lines: list[str],
) -> None:
    # Without Double 11 the peak day has a fifth of the visits and 1/1.6 of
    # the conversion (DOUBLE_ELEVEN's factors): 722.4 / (5 x 1.6) = 90.3. The
    # weeks after the peak do not change (the promotion's ramp comes before
    # it). 90 + 747 + 1,509 = 2,346 units, 28 fewer than the backup's 2,374.
    assert "double_eleven_orders asked 722 -> 90 got 722 -> 90" in lines
    assert "ramp_up_orders asked 2,518 -> 747 got 1,271 -> 747" in lines
    assert "after_peak_orders asked 1,509 -> 1,509 got 381 -> 1,509" in lines
    assert "no shortfalls; 28 units left" in lines


def test_readiness_shows_the_roles_the_leave_leaves_open(lines: list[str]) -> None:
    assert "checked 34 crisis types at 4 levels" in lines
    # Xu Lin is both the legal counsel and the finance lead.
    assert "roles nobody can fill now: finance_lead, legal_counsel" in lines
