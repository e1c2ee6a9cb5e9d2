"""The data-breach communication example runs and prints what the team reads."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "data_breach_communication.py"
)


def _run(capsys: pytest.CaptureFixture[str]) -> list[str]:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    return [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]


def test_the_example_classifies_advises_plans_checks_and_simulates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = _run(capsys)

    assert "11 stakeholders, 15 influence arcs" in lines
    # The regulator scores 0.9 / 0.9 / 0.7: all three attributes at >= 0.5,
    # definitive; power 0.9 and interest 0.8 put it in "manage closely".
    assert "cyberspace_office definitive definitive manage_closely (重點管理)" in lines
    # The supplier has legitimacy only (0.4, 0.8, 0.2): discretionary, latent;
    # power 0.4 and interest 0.4 both below 0.5: monitor.
    assert "oolong_farm discretionary latent monitor (監測)" in lines
    # A data breach by hackers is in the victim cluster (Coombs 2007): base
    # response, compensation for serious harm, no deny / diminish / rebuild.
    assert "cluster victim, posture: base response only" in lines
    # Employees hear first (book §5: internal communication first).
    plan = lines[lines.index("Communication plan (溝通計劃)") + 2]
    assert plan.startswith("employees first by 09:05")
    # The late e-mail to the regulator and the stalled website notice.
    assert "overdue_first_message regulators (late by 0:15:00)" in lines
    assert "next_update_not_stated regulators" in lines
    assert "missed_update customers (late by 0:10:00)" in lines


def test_the_plan_reduces_the_spread_on_the_same_draws(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = "\n".join(_run(capsys))
    without = float(re.search(r"without the plan: ([0-9.]+)", text).group(1))  # type: ignore[union-attr]
    with_plan = float(re.search(r"with the plan: ([0-9.]+)", text).group(1))  # type: ignore[union-attr]
    # Blocking three stakeholders before step 1 can only shrink every run.
    assert with_plan < without
    # Once buyers and VIP buyers stop spreading, nobody passes it to the
    # marketplace: both of its incoming arcs start at them.
    assert "P(marketplace hears it): 18.9% -> 0.0%" in text
