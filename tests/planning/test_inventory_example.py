"""The inventory-crisis example runs and prints the plan a crisis team reads."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inventory_crisis_plan.py"


def _squeeze(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_example_plans_the_books_inventory_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    lines = _squeeze(capsys.readouterr().out)

    # Scores 4, 3, 3, 4, 4: the worst dimension, 4, suggests level II.
    assert "overall 4.0 -> response level II" in lines
    # Level II adds a legal counsel, who is away until Wednesday.
    assert "uncovered now: legal_counsel" in lines
    assert "lead Lin Mei, deputy Wu Hao" in lines
    # The plan's first step is due 4 hours after activation, on the
    # critical path, owned by the supply-chain lead on duty.
    assert "11-09 14:00 Fang Yu *assess_stock 準確評估庫存現狀與各商品缺口" in lines
    assert (
        "* critical path: assess_stock -> contact_suppliers -> reforecast_demand "
        "-> review_and_drill"
    ) in lines
    assert "meets the level II target response time" in lines
    # The critical VIP orders and air freight are served in full first.
    assert "vip_orders asked 400 got 400" in lines
    assert "air_freight asked 50,000 got 50,000" in lines
    # 1,200 boxes: 400 critical, then minimums, then priority-weighted shares;
    # every box is handed out and nothing is silently dropped.
    assert "short: new_orders lacks 582" in lines
    assert "preorders 482 -> 600" in lines
    assert "checked 34 crisis types at 4 levels" in lines
