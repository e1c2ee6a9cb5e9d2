"""The traffic-drop example runs from the alert to resolution and prints the facts.

Every expected number below is worked by hand from the script's fixed inputs
(times in Taipei, UTC+08:00, on 15 and 16 September 2026).
"""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "traffic_drop_response.py"


@pytest.fixture(scope="module")
def output() -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    return printed.getvalue()


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_alert_gives_the_origin_and_the_level(output: str) -> None:
    lines = _lines(output)
    # 11:00 is 14,600 visits on an ordinary day; × 0.52 = 7,592, i.e. -48 %:
    # past the -35 % tier (III) but not the -55 % one (II).
    assert (
        "traffic_drop/shop/1: traffic.visits 7,592 against 14,600 the same hour "
        "yesterday (-48%), Level III 較大"
    ) in lines
    # 10:00 breaches first (8,120 vs 14,000, -42 %); two hours in a row fire at 11:00.
    assert any(
        line.startswith("first breach 09-15 10:00, fired 09-15 11:00") for line in lines
    )


def test_the_timeline_shows_every_event_and_the_suggestions_where_made(
    output: str,
) -> None:
    text = _squeezed(output)
    # 59 events: declaration, 7 role events (6 + jun) + jun leaving, confirmation,
    # playbook, 5 starts, 5 completions, 1 reassignment, 13 messages, 13
    # feedback batches, 2 level changes, 1 strategy, 2 resource commitments,
    # 3 losses, contained, recovered, resolved.
    assert "Timeline (59 events; ⚑ = suggest_adjustments)" in text
    assert (
        "09-15 11:15 wei declared 流量波動 market.traffic_swing at Level III 較大, "
        "lead mei, from alert traffic_drop/shop/1"
    ) in text
    assert "09-15 12:45 ⚑ rules: no adjustment suggested" in text
    # Window (12:20, 13:20]: 400 posts at -0.30 / 45 %, 1,200 at -0.60 / 70 %,
    # 100 calls at -0.50 / 60 % (the data report has no sentiment). Weighted:
    # sentiment (-120 - 720 - 50) / 1,700 = -0.5235 < -0.4; negative share
    # (180 + 840 + 60) / 1,700 = 0.635 > 0.5: escalate III -> II.
    assert (
        "09-15 13:20 ⚑ rules suggest 升級響應級別 escalate.bounds_breached: Feedback "
        "over the last 1 h breaches Level III: volume-weighted sentiment -0.52 "
        "is below the floor -0.4; negative share 0.64 is above the ceiling 0.5. "
        "Escalate to Level II."
    ) in text
    assert "09-15 13:25 mei escalated III 較大 -> II 重大" in text
    # The playbook was activated at 12:00: the diagnosis (critical) is due at
    # 16:00 (PT4H) and still in progress at 16:15.
    assert (
        "09-15 16:15 ⚑ rules suggest 重新調配資源 reallocate.overdue: Action "
        "'traffic_recovery.diagnose_traffic'"
    ) in text
    assert "owned by hao is 15 min overdue and on the critical path" in text
    assert "09-15 16:20 mei reassigned diagnose_traffic to jun" in text
    # Buyers heard at 15:00; every 3 h, the next update was due at 18:00.
    assert (
        "09-15 18:15 ⚑ rules suggest 補發溝通 communicate.update_overdue: The update "
        "to customers was due at 2026-09-15T18:00:00+08:00 and is 15 min overdue."
    ) in text
    assert "09-15 18:20 lan message to 消費者/客戶 customers by website_notice" in text
    # Calm period (18:00, 22:00]: sentiment -0.28, -0.20, -0.15, -0.10 all at
    # or above -0.3; negative share 42 %, 35 %, 30 %, 25 % all at or below 45 %;
    # Level II held since 13:25, i.e. 8 h 35 min >= 4 h.
    assert (
        "09-15 22:00 ⚑ rules suggest 降低響應級別 de_escalate.recovered: All 4 "
        "feedback observations of the last 4 h are within Level II's recovery "
        "bounds, and the crisis has held Level II for 8 h 35 min. De-escalate to "
        "Level III."
    ) in text
    assert "09-15 22:05 mei de-escalated II 重大 -> III 較大" in text
    assert "09-16 16:00 mei resolved 已解決" in text
    assert (
        "09-16 16:10 lan message to 消費者/客戶 customers by website_notice (final)"
        in text
    )


def test_the_actions_show_the_slip(output: str) -> None:
    lines = _lines(output)
    # Due 16:00, done 17:00 by jun (the deadline was kept when reassigned).
    assert (
        "*diagnose_traffic 定位流量下滑的渠道、頁面與搜索來源 jun due 09-15 16:00 "
        "已完成 09-15 17:00, late"
    ) in lines
    # PT8H after 12:00 is 20:00; done at 19:00.
    assert (
        "social_response 利用社交媒體積極回應用戶關切 yu due 09-15 20:00 "
        "已完成 09-15 19:00, on time"
    ) in lines
    # P1M after 15 September 12:00; nobody can complete it once resolved.
    assert (
        "*review_and_drill 復盤應對過程，更新預案並安排演練 mei due 10-15 12:00 待辦"
    ) in lines


def test_the_metrics_are_the_hand_worked_ones(output: str) -> None:
    lines = _lines(output)
    # Impact 10:00 (first breach) -> detected 11:00 (alert fired).
    assert "time to detect 1 h 00 min" in lines
    # Detected 11:00 -> confirmed 11:45.
    assert "time to acknowledge 0 h 45 min" in lines
    # 11:00 -> contained 21:00.
    assert "time to contain 10 h 00 min" in lines
    # 11:00 -> recovered 10:30 the next day.
    assert "time to recover 23 h 30 min" in lines
    # 11:00 -> resolved 16:00 the next day.
    assert "time to resolve 29 h 00 min" in lines
    # III 11:15-13:25 (2 h 10) + 22:05-16:00 (17 h 55) = 20 h 05; II 13:25-22:05.
    assert "time at Level II 重大 8 h 40 min" in lines
    assert "time at Level III 較大 20 h 05 min" in lines
    # Done: diagnose (late), promotions, search, social, tracking (on time);
    # the review is not due yet: 4 / 5.
    assert "actions: 6 in all, 5 done, 0 overdue; on time 80.0%" in lines
    # Staff: 7 deadlines met (11:45, 13:30, 15:30, 17:30, 19:30, 07:30, the
    # final message). Buyers: 12:15, 15:10 met, 18:00 late, 21:20, 09:00 and
    # the final message met: 12 of 13.
    assert "communication cadence adherence 92.3%" in lines


def test_the_cost_uses_the_frozen_rates_and_the_day_rule(output: str) -> None:
    lines = _lines(output)
    # The lead from 11:15 to the resolution at 16:00 the next day: 28 h 45 min,
    # counted 24 + 4.75 × 8 / 24 = 25.583333 h; × 1 × 1,500 = 38,374.9995.
    assert "crisis_lead mei 25.583333 h × 1 × 1500 = 38,375.00" in lines
    # The comms liaison from 11:20: 28 h 40 min -> 24 + 4.6667 / 3 = 25.555556 h;
    # × 0.75 × 800 = 15,333.33.
    assert "comms_liaison wen 25.555556 h × 0.75 × 800 = 15,333.33" in lines
    # jun helped from 16:20 to 17:05: 0.75 h × 0.5 × 900 = 337.50.
    assert "data_analyst jun 0.75 h × 0.5 × 900 = 337.50" in lines
    assert "total 106,434.72" in lines


def test_the_business_loss_is_kept_apart_and_actuals_replace_estimates(
    output: str,
) -> None:
    lines = _lines(output)
    assert "銷售損失 lost_sales 386,500.00 (estimate was 420,000.00)" in lines
    assert "恢復支出 recovery_spend 60,000.00" in lines
    # 386,500 + 60,000.
    assert "total 446,500.00" in lines


def test_the_crisis_rebuilt_from_its_json_log_is_equal(output: str) -> None:
    text = _squeezed(output)
    assert "Crisis.from_events(...) == crisis: True; status resolved 已解決" in text
