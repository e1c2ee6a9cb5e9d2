"""The supplier-outage drill example runs end to end and prints the facts.

Dates, keys and durations follow from the script's fixed inputs and the
default `DrillPolicy` (worked out in the comments). The rest comes from the
seeded synthetic shop, drill and what-if: those figures are pinned as
printed, and the comments say how they fit together.
"""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "supplier_outage_drill.py"


@pytest.fixture(scope="module")
def output() -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    return printed.getvalue()


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_shop_and_the_ground_truth(output: str) -> None:
    lines = _lines(output)
    # ShopProfile.default: 50 SKUs over 365 days, six suppliers all in use.
    assert "50 SKUs, 365 days from 2026-01-01, 6 suppliers" in lines
    assert "promotion peaks: six_eighteen 06-18, double_eleven 11-11" in lines
    assert (
        "supplier_fire: SupplierOutage of supplier-01, true type "
        "supply_chain.peak_season_stockout"
    ) in lines
    # The shock's own onset and end (exclusive), four weeks.
    assert "from 10-20 00:00 to 11-17 00:00; drivers ('restock',)" in lines
    # Nine SKUs have supplier-01 as their main supplier, three as their second.
    assert any(line.startswith("12 SKUs cut off: sku-008, sku-010,") for line in lines)


def test_the_stock_runs_out_before_the_peak(output: str) -> None:
    lines = _lines(output)
    # No stock-out before the onset; stock on hand sells for about two weeks,
    # then a fifth of the SKUs is out in the Double 11 ramp-up week.
    assert "10-13 0.0% 65,659" in lines
    assert "10-20 1.4% 61,283" in lines
    assert "11-03 20.6% 163,852" in lines


def test_the_drill_detects_the_outage_and_runs_the_playbook(output: str) -> None:
    lines = _lines(output)
    assert "shocks detected 1 of 1" in lines
    assert "false crises 0" in lines
    # First stock-out alert 11-03 00:00 minus the onset 10-20 00:00: 14 days.
    assert "detection lag 14 d" in lines
    assert "actions late 0 of 6" in lines
    assert "update cadence met 78%" in lines
    assert "estimated loss (CNY) 639,244" in lines
    assert "Crisis drill_001 (supply_chain.breakage, III), lead jun: reviewed" in lines
    # Declared 30 min + 90 min after the alert (DrillPolicy defaults): 02:00;
    # reviewed review_after = 2 days after the resolution.
    assert (
        "detected 11-03 00:00, declared 11-03 02:00, contained 11-27 23:58, "
        "resolved 11-28 00:00, reviewed 11-30 00:00"
    ) in lines
    assert "assess_supply_gap wei 11-03 11:00 11-03 05:01 on time" in lines
    assert "update_customers lan 11-03 15:00 11-03 06:47 on time" in lines


def test_the_review_turns_the_late_detection_into_an_improvement(
    output: str,
) -> None:
    lines = _lines(output)
    # A 14-day lag is above late_detection (2 days): a DETECT improvement.
    assert (
        "late_detection went_poorly data_monitoring "
        "Detected 14 d after the shock began."
    ) in lines
    assert "improve_late_detection detect jun 12-14 00:00" in lines
    assert "improve_missed_updates training jun 12-14 00:00" in lines


def test_the_what_if_compares_a_second_supplier(output: str) -> None:
    lines = _lines(output)
    assert (
        "== What if: a second supplier? (20 runs, common random numbers) =="
    ) in lines
    # PERT(10, 21, 40) has mean (10 + 4·21 + 40) / 6 = 22.3 days.
    assert "outage length drawn: p10 16.8 d, p50 21.7 d, p90 26.8 d" in lines
    assert "single_source loss 20 577,036 501,315 572,082 650,877" in lines
    assert "single_source detection_lag_days 20 13.9 13.0 14.0 14.1" in lines
    assert "single_source crises 20 1.0 1.0 1.0 1.0" in lines
    # Half the share still arrives: far fewer stock-outs, no crisis, no lag.
    assert "second_supplier loss 20 42,727 28,162 42,086 58,316" in lines
    assert "second_supplier detection_lag_days 0 - - - -" in lines
    assert "second_supplier crises 20 0.0 0.0 0.0 0.0" in lines
    assert (
        "loss, second_supplier - single_source: mean -534,309, p10 -602,410, "
        "p90 -467,380; second supplier better in 100% of runs"
    ) in lines
