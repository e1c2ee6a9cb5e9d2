"""With ``--plots DIR`` the examples save their figures there as PNG files."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: Each example and the files it saves with ``--plots``.
SAVED = {
    "quickstart.py": [
        "quickstart_kpi.png",
        "quickstart_timeline.png",
        "quickstart_actions.png",
    ],
    "quarterly_risk_assessment.py": [
        "quarterly_heat_map.png",
        "quarterly_loss_exceedance.png",
        "quarterly_second_supplier.png",
    ],
    "sales_slump_trigger.py": [
        "sales_slump_SKU-04.png",
        "sales_slump_SKU-09.png",
        "sales_slump_SKU-15.png",
        "review_surge_SKU-12.png",
    ],
    "supply_network_risk.py": ["supply_before.png", "supply_after.png"],
    "data_breach_communication.py": [
        "breach_salience.png",
        "breach_sentiment.png",
        "breach_spread.png",
    ],
    "inventory_crisis_plan.py": [
        "inventory_stockouts.png",
        "inventory_response.png",
    ],
    "supplier_outage_drill.py": [
        "outage_stockouts.png",
        "outage_whatif_losses.png",
    ],
    "traffic_drop_response.py": [
        "traffic_visits.png",
        "traffic_timeline.png",
        "traffic_first_day.png",
    ],
    "customer_service_review.py": [
        "service_before_after.png",
        "service_complaints.png",
        "service_negative_reviews.png",
    ],
}
#: The fleet example starts a Dask cluster, so it runs in its own process.
FLEET_SAVED = [
    "fleet_taipei_shop_stockout_rate.png",
    "fleet_taipei_sku-029_gmv.png",
]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("script", sorted(SAVED))
def test_the_example_saves_its_figures_and_prints_their_paths(
    script: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "figures"  # created by the example
    monkeypatch.setattr(sys, "argv", [script, "--plots", str(folder)])

    runpy.run_path(str(EXAMPLES / script), run_name="__main__")

    printed = capsys.readouterr().out
    assert sorted(SAVED[script]) == sorted(path.name for path in folder.iterdir())
    for name in SAVED[script]:
        path = folder / name
        assert path.read_bytes().startswith(PNG)
        assert path.stat().st_size > 10_000  # a drawn figure, not an empty canvas
        assert f"saved {path}" in printed


def test_without_the_option_nothing_is_saved(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["supply_network_risk.py"])

    runpy.run_path(str(EXAMPLES / "supply_network_risk.py"), run_name="__main__")

    assert "saved" not in capsys.readouterr().out
    assert [] == list(tmp_path.iterdir())


def test_the_fleet_example_saves_one_shops_figures(tmp_path: Path) -> None:
    folder = tmp_path / "figures"
    completed = subprocess.run(  # noqa: S603  our own script, fixed arguments
        [sys.executable, str(EXAMPLES / "fleet_monitoring.py"), "--plots", str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
        encoding="utf-8",
    )

    assert sorted(FLEET_SAVED) == sorted(path.name for path in folder.iterdir())
    for name in FLEET_SAVED:
        path = folder / name
        assert path.read_bytes().startswith(PNG)
        assert path.stat().st_size > 10_000
        assert f"saved {path}" in completed.stdout.splitlines()
    # The progress bars stay on stderr; the table before the figures is there.
    assert "same as evaluate() on the whole panel: yes" in completed.stdout
