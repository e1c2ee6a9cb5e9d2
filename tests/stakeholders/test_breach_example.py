"""The data-breach communication example runs and prints what the team reads.

The example takes everything from book case three (`data_breach_case`): the
dates, the stakeholder graph and the seed of the spread are the case's, the
declaration time and level come from the case's drill (seed 1). Lines that
follow from the case's fixed inputs, the default `DrillPolicy` and the
default cadences are worked out by hand in the comments; the few figures
that come from seeded draws (the mentions, the slipped messages) are pinned
as printed, and the spread's Monte Carlo means are checked against their
exact values within four standard errors.
"""

from __future__ import annotations

import contextlib
import io
import re
import runpy
from pathlib import Path

import pytest

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "data_breach_communication.py"
)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    return [" ".join(line.split()) for line in printed.getvalue().splitlines()]


def _number(lines: list[str], pattern: str) -> float:
    """Return the first number captured by ``pattern`` in the printed lines."""
    found = re.search(pattern, "\n".join(lines))
    assert found is not None, pattern
    return float(found.group(1))


def test_the_case_header_and_its_ground_truth(lines: list[str]) -> None:
    assert (
        lines[0]
        == "§5.4 案例三 · Handling a data-security crisis · 數據安全危機應對實踐"
    )
    assert lines[1].startswith("某電商企業在遭受網絡攻擊后")
    assert any(line.startswith("(After a network attack a shop") for line in lines)
    # The case's shock: 4 May to 18 May (exclusive), on every SKU of the
    # 50-SKU shop; the cascade starts from the angry buyers.
    assert (
        "customer_data_leak: DataBreach from 2026-05-04 to 05-18, "
        "true type technical.data_security_breach"
    ) in lines
    assert (
        "it moves traffic, sentiment, mentions of all 50 SKUs; "
        "the story starts with angry_buyers"
    ) in lines


def test_the_drill_detects_the_breach_and_declares_it(lines: list[str]) -> None:
    assert (
        "rule mentions_surge: social.mentions above its calibrated mean + 4·σ, "
        "2 periods in a row"
    ) in lines
    # Seeded draws: the onset day's 65 mentions stay under the bound, the
    # next two days (248, 328) are above it.
    assert (
        "social.mentions (shop): 05-02 63 | 05-03 37 | 05-04 65 | 05-05 248 | 05-06 328"
    ) in lines
    # Two breaching days in a row: first breach 05-05, fired with the second
    # day's period (stamped 05-06 00:00). Declared 30 min (acknowledge) +
    # 90 min (declare) later, at the rule's level (the case's Level II).
    assert (
        "alert: first breach 05-05, fired 05-06 00:00; declared Level II at 05-06 02:00"
    ) in lines
    # Lag = 05-06 00:00 - 05-04 00:00 = 2 days; no rule fired without cause.
    assert "drill: detected after 2 days, 0 false crises, 0 missed" in lines
    assert (
        "Data-security breach (technical.data_security_breach), declared "
        "2026-05-06 02:00 (+08:00) at Level II"
    ) in lines


def test_the_example_classifies_advises_and_plans(lines: list[str]) -> None:
    assert "11 stakeholders, 15 influence arcs" in lines
    # The regulator scores 0.9 / 0.9 / 0.7: all three attributes at >= 0.5,
    # definitive; power 0.9 and interest 0.8 put it in "manage closely".
    assert "cyberspace_office definitive definitive manage_closely (重點管理)" in lines
    # The supplier has legitimacy only (0.4, 0.8, 0.2): discretionary, latent;
    # power 0.4 and interest 0.4 both below 0.5: monitor.
    assert "oolong_farm discretionary latent monitor (監測)" in lines
    # The angry buyers have no power (0.3) but legitimacy and urgency (0.9):
    # dependent; power 0.3, interest 1.0: keep informed.
    assert "angry_buyers dependent expectant keep_informed (隨時告知)" in lines
    # The case's KOL has legitimacy 0.5, so all three attributes at >= 0.5.
    assert "tea_kol definitive definitive manage_closely (重點管理)" in lines
    # A data breach by hackers is in the victim cluster (Coombs 2007): base
    # response, compensation for serious harm, no deny / diminish / rebuild.
    assert "cluster victim, posture: base response only" in lines
    # Level II: employees within 15 min of 02:00, everyone else within 30 min
    # (book §5: internal communication first).
    plan = lines[lines.index("Communication plan (溝通計劃)") + 2]
    assert plan.startswith("employees first by 02:15 comms_liaison")
    assert any(line.startswith("customers first by 02:30") for line in lines)
    assert any(line.startswith("regulators first by 02:30") for line in lines)


def test_the_plan_check_reads_the_drills_messages(lines: list[str]) -> None:
    start = lines.index("Plan check at 03:00, one hour in")
    end = lines.index("Spread of the negative story (信息傳播速度極快)")
    findings = lines[start + 3 : end - 1]
    assert lines[start + 2] == "18 messages sent; findings:"
    # Seeded slips (aimed 15 min early, exponential delay of mean 10 min):
    # the staff meeting due 02:15 began at 02:18, the investors' e-mail due
    # 02:30 went out at 02:45, the public's update came 6 min late.
    assert findings == [
        "overdue_first_message employees (late by 0:03:00)",
        "overdue_first_message investors (late by 0:15:12)",
        "missed_update public (late by 0:06:04)",
    ]
    # Every message of the drill says when the next one comes.
    assert not any(line.startswith("next_update_not_stated") for line in lines)


def test_the_plan_reduces_the_spread_on_the_same_draws(lines: list[str]) -> None:
    # Messages went out 05-06 02:00-03:00, 2.1 days after the onset: they
    # take effect from step ceil(2.1) = 3 of the daily cascade, 05-07.
    assert "the drill's messages take effect from step 3 (05-07 00:00)" in lines
    assert "4,000 runs from angry_buyers, same random draws for both:" in lines
    without = _number(lines, r"without the plan: ([0-9.]+)")
    with_plan = _number(lines, r"with the plan: ([0-9.]+)")
    error = _number(lines, r"with the plan: [0-9.]+ stakeholders \(\+/- ([0-9.]+)\)")
    # Silencing can only shrink every run.
    assert with_plan < without
    # By hand, with everyone silent from step 3 the reach is who turns
    # negative by step 2 (independent arcs):
    # angry 1 + netizens 1-0.4·0.8 = 0.68 + tea_kol 0.4
    # + buyers 1-0.7·(1-0.6·0.3)·(1-0.4·0.4) = 0.51784
    # + vip_buyers 1-(1-0.4·0.3)·(1-0.3·0.2) = 0.1728
    # + daily_news 0.6·0.3 = 0.18 + marketplace 0.3·0.3 = 0.09 = 3.04064.
    assert abs(with_plan - 3.04064) < 4 * error
    # The regulator and the investors hear it only through the paper, three
    # steps from the angry buyers: silenced from step 3, never. Without the
    # plan, P(daily_news) = 0.68·0.3 = 0.204, so P(regulator) = 0.102.
    assert "P(cyberspace_office hears it): 10.2% -> 0.0%" in lines
    assert "P(investors hears it): 6.9% -> 0.0%" in lines
    # The paper still hears it at step 2 from netizens negative at step 1
    # (0.6·0.3 = 0.18), the marketplace through buyers (0.3·0.3 = 0.09).
    assert "P(daily_news hears it): 20.0% -> 17.8%" in lines
    assert "P(marketplace hears it): 19.7% -> 8.9%" in lines


def test_a_day_of_detection_lag_costs_reach(lines: list[str]) -> None:
    k2 = _number(lines, r"k = 2: ([0-9.]+) stakeholders")
    k3 = _number(lines, r"k = 3: ([0-9.]+) stakeholders")
    k4 = _number(lines, r"k = 4: ([0-9.]+) stakeholders")
    # Silent from step 2, only the angry buyers' own arcs fire:
    # 1 + 0.6 + 0.3 + 0.4 = 2.3, with standard error
    # sqrt(0.24 + 0.21 + 0.24) / sqrt(4000) = 0.0131.
    assert abs(k2 - 2.3) < 4 * 0.0131
    assert k2 < k3 < k4
    # The drill's own step is the comparison above.
    assert f"k = 3: {k3:.2f} stakeholders <- this drill" in lines
    assert f"with the plan: {k3:.2f} stakeholders (+/- 0.02)" in lines
