"""The quarterly risk-assessment example runs and prints what the meeting reads."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "quarterly_risk_assessment.py"
)


def test_the_example_prints_scores_grades_heat_map_loss_and_controls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    output = capsys.readouterr().out

    assert "Register: 12 risks (風險登記冊)" in output
    # The experts disagree on the site outage (ratings L 4, 5, 2 with weights
    # 2, 1, 1): a weighted sd of about 1.09 > 0.8 asks for another round.
    assert "site_outage        L 4  I 3  spread 1.09" in output
    assert "<- another round" in output
    # 4.2 from the experts and 5 incidents in 4 years (1.25 a year: level 4).
    assert (
        "peak_stockout      L 4  I 3  spread 0.43  (experts 4.2 + history 4 -> 4)"
        in (output)
    )
    # L 4 x I 3 = 12 on the default matrix: grade high, response level II.
    assert "peak_stockout      12  高  high     response level II" in output
    assert "likelihood \\ impact   1    2    3    4    5" in output
    assert "VaR 99%" in output
    assert "expected shortfall 99%" in output
    assert "Loss exceedance (P(yearly loss > x))" in output
    assert "Second supplier for the ten best sellers (peak_stockout)" in output
    assert "Next assessment due 2026-07-01" in output
    assert "Overdue on 2026-07-15: 12 risks not re-assessed" in output


def test_the_exceedance_table_never_rises(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    output = capsys.readouterr().out
    table = output.split("Loss exceedance (P(yearly loss > x))\n", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("  > ")]
    shares = [float(line.rsplit(maxsplit=1)[1].rstrip("%")) for line in rows]
    assert len(shares) == 5
    assert shares == sorted(shares, reverse=True)
