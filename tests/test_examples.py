"""The runnable examples run and print what a reader expects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(script: str) -> str:
    completed = subprocess.run(  # noqa: S603  our own script, fixed arguments
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        encoding="utf-8",
    )
    return completed.stdout


def test_quickstart_runs_one_crisis_through_the_whole_loop() -> None:
    output = _run("quickstart.py")
    lines = [line.strip() for line in output.splitlines()]

    # The book's case one on the default shop: supplier-01 stops on 20 October.
    assert "§5.4 案例一 庫存危機應對實踐" in output
    assert "the shock: SupplierOutage from 10-20 to 11-17" in output
    # 1. Warning: one alert, the stock-out rule, no false alarm. A fifth of
    # the SKUs out (0.200) is past both the calibrated bound (0.040) and the
    # rule's 10% floor; two days in a row from 11-03 means firing on 11-04.
    assert "1 alert(s) over the rest of the year:" in output
    assert (
        "stockout_surge #1  supply_chain.peak_season_stockout  III    "
        "11-03 00:00   11-04 00:00  0.200 > 0.040"
    ) in lines
    # 2. Assessment: 12 SKUs (the 50 spread over six suppliers) buy from it.
    assert (
        "12 of 50 SKUs buy from it; they made 22% of GMV in the four weeks before"
        in lines
    )
    # 3. Strategy: declared the morning after (00:00 + 9 h), playbook's
    # first step due 4 h after activation at 10:00.
    assert (
        "declared 11-04 09:00, Level III (較大), lead jun; "
        "playbook inventory_replenishment (庫存補貨預案)"
    ) in lines
    assert "assess_stock       wei    -" in output
    # 5. Execution: contact_suppliers (plan 6 h, taken 18 h from 12:00) ends
    # 11-05 06:00, after its 22:00 deadline; 6 of 7 actions on time = 86%.
    assert "contact_suppliers  wei    11-04 22:00  11-05 06:00  late" in lines
    assert "actions on time                         86%" in lines
    # Impact started on 10-20, the alert fired on 11-04: 15 days.
    assert "time to detect (impact → alert)         15 d" in lines
    assert "update cadence met                      100%" in lines
    # 6. Review closed, crisis reviewed; 7. the stock-out rule is kept (no
    # bound catches the outage earlier without more false alarms), and the
    # review's new indicator fires 10 days earlier but with false alarms.
    assert "review review_stockout_2026_11: closed; crisis reviewed" in lines
    assert (
        "stockout_surge       keep      0.03995 → 0.03995      "
        "1 → 1   1 → 1   15 d → 15 d"
    ) in lines
    assert "fires on 10-25 (10 d before the stock-out rule)" in output
    assert output.rstrip().endswith("and from_data rebuilds it: True.")


def test_crisis_types_prints_the_catalog_levels_and_one_type_in_detail() -> None:
    output = _run("crisis_types.py")

    assert "34 built-in crisis types" in output
    assert "Supply-chain crisis / 供應鏈危機 / 供应链危机" in output
    assert "supply_chain.inventory" in output
    assert "庫存危機" in output
    assert "Level I    red     特別重大" in output
    assert "§5.4 案例分析" in output
    assert '"type": "CrisisType"' in output
    assert "equal to the original? True" in output
