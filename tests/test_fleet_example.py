"""The fleet example runs on a local Dask cluster and prints what a reader expects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fleet_monitoring.py"


def _run() -> str:
    completed = subprocess.run(  # noqa: S603  our own script, fixed arguments
        [sys.executable, str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
        encoding="utf-8",
    )
    return completed.stdout


def test_fleet_monitoring_matches_the_single_process_run_for_every_shop() -> None:
    output = _run()
    lines = output.splitlines()

    assert "Fleet monitoring on Dask (book §3 關鍵指標監控, at fleet scale)" in lines
    # 700 + 550 + 450 + 300 SKUs, calibrated on the first eight weeks.
    assert (
        "4 shops, 2,000 SKUs, 100 days; "
        "the rules are calibrated per shop on the first 56 days"
    ) in lines
    assert (
        "rules: gmv_slump, stockout_surge, negative_reviews_up, availability_down"
        in lines
    )
    # distributed is in the dask extra: a local cluster, not the thread pool.
    assert (
        "1. Each shop on a local Dask cluster (2 workers, in this process), "
        "3 partitions per shop"
    ) in lines
    # One line per shop, each equal to `evaluate` on that shop's panel.
    shops = [line for line in lines if "same as evaluate(): " in line]
    assert ["taipei", "taichung", "kaohsiung", "hualien"] == [
        line.split()[0] for line in shops
    ]
    assert all(line.endswith("same as evaluate(): yes") for line in shops)
    assert (
        "taipei      700 SKUs  151 alert(s), 80 still firing at the end; "
        "same as evaluate(): yes"
    ) in lines
    # Taipei's slump (15% of traffic on a tenth of its SKUs from 05-11) is
    # caught on 05-12: two days below the SKU's mean − 4σ.
    assert "    gmv_slump              4   first 05-12 sku-029 (level III)" in lines
    assert "hualien     300 SKUs   33 alert(s), 1 still firing at the end; " in output
    # The marketplace: 2,000 SKUs and four shop totals, cut by shop.
    assert (
        "2. The marketplace as one panel: 2,004 entities, partitioned by shop" in lines
    )
    assert output.rstrip().endswith(
        "349 alert(s) (349 in the shops' own runs); "
        "same as evaluate() on the whole panel: yes"
    )
    assert " NO" not in output
