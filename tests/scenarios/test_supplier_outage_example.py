"""The supplier-outage drill example runs the book's case one and prints the facts.

The shop, the outage and the drill policy are `inventory_case()`'s; dates,
keys and durations follow from them and the `DrillPolicy` defaults (worked
out in the comments). The rest comes from the seeded run (shop seed 11,
drill seed 5), the backup-supplier run on the same draws and the what-if:
those figures are pinned as printed, and the comments say how they fit
together.
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


def test_it_opens_with_the_case_and_the_books_words(output: str) -> None:
    lines = _lines(output)
    assert "§5.4 案例一 · Handling an inventory crisis · 庫存危機應對實踐" == lines[0]
    assert lines[1].startswith("某電商企業在銷售高峰期遭遇了庫存危機")


def test_the_shop_and_the_ground_truth_are_the_cases(output: str) -> None:
    lines = _lines(output)
    # inventory_case(): ShopProfile.default, 50 SKUs over 365 days, six
    # suppliers all in use.
    assert "50 SKUs, 365 days from 2026-01-01, 6 suppliers" in lines
    assert "promotion peaks: six_eighteen 06-18, double_eleven 11-11" in lines
    assert (
        "supplier_fire: SupplierOutage of supplier-01, true type "
        "supply_chain.peak_season_stockout"
    ) in lines
    # The case's onset and end (exclusive): four weeks.
    assert "from 10-20 00:00 to 11-17 00:00; drivers ('restock',)" in lines
    # Nine SKUs have supplier-01 as their main supplier, three as their second.
    assert any(line.startswith("12 SKUs cut off: sku-008, sku-010,") for line in lines)


def test_the_stock_runs_out_before_the_peak_and_less_with_a_backup(
    output: str,
) -> None:
    lines = _lines(output)
    # Before the onset the two shops are the same draws and the same stock.
    assert "10-13 0.0% 65,659 0.0% 65,659" in lines
    # Stock on hand sells for about two weeks, then a fifth of the SKUs is
    # out in the Double 11 ramp-up week; with half the share still arriving,
    # far fewer.
    assert "10-20 1.4% 61,283 1.4% 61,283" in lines
    assert "11-03 20.6% 163,852 8.0% 200,955" in lines


def test_the_drill_detects_the_outage_and_runs_the_playbook(output: str) -> None:
    lines = _lines(output)
    assert "shocks detected 1 of 1" in lines
    assert "false crises 0" in lines
    # First stock-out alert 11-03 00:00 minus the onset 10-20 00:00: 14 days.
    assert "detection lag 14 d" in lines
    # inventory_replenishment has seven steps.
    assert "actions late 0 of 7" in lines
    assert "update cadence met 78%" in lines
    assert "estimated loss (CNY) 639,244" in lines
    # The case's policy declares its own type; at level III Chen Jun leads.
    assert (
        "Crisis drill_001 (supply_chain.peak_season_stockout, III), lead jun: reviewed"
    ) in lines
    # Declared 30 min + 90 min after the alert (DrillPolicy defaults): 02:00;
    # reviewed review_after = 2 days after the resolution.
    assert (
        "detected 11-03 00:00, declared 11-03 02:00, contained 11-27 23:58, "
        "resolved 11-28 00:00, reviewed 11-30 00:00"
    ) in lines
    # Activated at confirmation (02:00 + 1 h); assess_stock is due 4 h later.
    assert "assess_stock wei 11-03 07:00 11-03 04:21 on time" in lines
    assert "reforecast_demand hao 11-05 03:00 11-03 13:47 on time" in lines


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
    assert "== What if: a second supplier? (6 runs, common random numbers) ==" in lines
    # PERT(14, 28, 42) around the case's 28 days, mean (14 + 4·28 + 42) / 6 = 28.
    assert "outage length drawn: p10 25.4 d, p50 27.0 d, p90 33.0 d" in lines
    assert "single_source loss 6 655,450 612,680 635,360 718,311" in lines
    assert "single_source detection_lag_days 6 14.3 14.0 14.0 15.0" in lines
    assert "single_source crises 6 1.0 1.0 1.0 1.0" in lines
    # Half the share still arrives: about 7% of the loss, no detection.
    assert "second_supplier loss 6 44,326 35,496 43,159 54,323" in lines
    assert "second_supplier detection_lag_days 0 - - - -" in lines
    assert "second_supplier crises 6 0.0 0.0 0.0 0.0" in lines
    # Paired over the same six outage lengths and seeds: the mean difference
    # is the difference of the means, 44,326 - 655,450 = -611,124.
    assert (
        "loss, second_supplier - single_source: mean -611,124, p10 -672,921, "
        "p90 -571,188; second supplier better in 100% of runs"
    ) in lines
    # The drilled run's worst days: 6 of 50 SKUs out with the backup, 11
    # without it.
    assert (
        "with the backup: no crisis declared in 6 runs; the drill counts the "
        "outage as missed in 6: stock-outs still happen but seldom stay above the "
        "rule's bound two days in a row (the drilled run's worst day: 12% of SKUs "
        "out, single-sourced 22%)"
    ) in lines
