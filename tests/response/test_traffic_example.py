"""The traffic-drop example runs from the alert to resolution and prints the facts.

The data are the book's case two, ``traffic_case().simulate(seed=2026)``: the
shop row's hourly visits and GMV quoted below are read off that run (times
in China Standard Time, UTC+08:00, 14 to 18 September 2026), and every
number derived from them is worked by hand in the comments. The response
(team, messages, feedback from people) is the script's own fixed story.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import runpy
from pathlib import Path

import pytest

from crisisops.scenarios import traffic_case

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "traffic_drop_response.py"
CST = dt.timezone(dt.timedelta(hours=8))


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


def test_the_printout_starts_with_the_case_header(output: str) -> None:
    lines = _lines(output)
    assert "§5.4 案例二 Responding to a traffic swing · 流量波動應對策略" == lines[0]
    # The book's three sentences, one a line, then the English gloss.
    assert "某電商平臺因突發事件導致流量波動,面臨流量驟降的風險。" == lines[1]
    assert (
        "此外,平臺還利用社交媒體進行危機公關,積極回應用戶關切,重塑品牌形象。"
        == lines[3]
    )
    assert lines[4].startswith("A sudden event made a platform's traffic swing")


def test_the_data_are_the_cases_run(output: str) -> None:
    lines = _lines(output)
    # 64 days from 20 July, hourly: 64 × 24 = 1,536 hours.
    assert (
        "200 SKUs and the shop row, hourly from 07-20 00:00 to 09-21 23:00 "
        "(1,536 hours), CNY, CST (UTC+8)"
    ) in lines
    assert (
        "shock viral_rumour (DemandShift, market.traffic_swing, Level III): "
        "traffic × 0.5 on all 200 SKUs"
    ) in lines
    assert "from 09-15 10:00 to 09-17 10:00, back over 1 day (ground truth)" in lines
    # 1,755 / 1,800 - 1 = -2.5 %; 1,239 / 2,469 - 1 = -49.8 %;
    # 1,129 / 2,400 - 1 = -53.0 %: the rumour starts at 10:00.
    assert "08:00 1,800 1,755 -2.5%" in lines
    assert "10:00 2,469 1,239 -49.8%" in lines
    assert "11:00 2,400 1,129 -53.0%" in lines


def test_the_printed_visits_are_the_simulated_ones() -> None:
    run = traffic_case().simulate(seed=2026)
    visits = run.shop_kpis["traffic.visits"][0]
    hour = run.timestamps.index(dt.datetime(2026, 9, 15, 11, tzinfo=CST))
    assert (1129.0, 2400.0) == (visits[hour], visits[hour - 24])


def test_the_alert_gives_the_origin_and_the_level(output: str) -> None:
    lines = _lines(output)
    # The case's rule fires once on the shop row over the whole run.
    assert (
        "rule traffic_drop (IV -25%, III -35%, II -55%) on the shop row, "
        "all 1,536 hours: 1 alert"
    ) in lines
    # -53 % is past the -35 % tier (III) but not the -55 % one (II).
    assert (
        "traffic_drop/shop/1: traffic.visits 1,129 against 2,400 the same hour "
        "yesterday (-53%), Level III 較大"
    ) in lines
    # 10:00 breaches first (-49.8 %); two hours in a row fire at 11:00.
    assert any(
        line.startswith("first breach 09-15 10:00, fired 09-15 11:00") for line in lines
    )
    # On 16 September 10:00 "yesterday" is halved too: 1,202 against 1,239
    # (-3 %) clears the rule, yet 1,202 / 2,353 a week before = 51 %.
    assert (
        "cleared 09-16 10:00: yesterday was down too, not a recovery (visits 51% "
        "of the same hour a week before)"
    ) in lines


def test_the_timeline_shows_every_event_and_the_suggestions_where_made(
    output: str,
) -> None:
    text = _squeezed(output)
    # 69 events: declaration, 7 role events (6 + jun) + jun leaving,
    # confirmation, playbook, 5 starts, 5 completions, 1 reassignment, 21
    # messages (11 to staff, 10 to buyers), 15 feedback batches (9 from
    # people, 6 data reports), 2 level changes, 1 strategy, 2 resource
    # commitments, 3 losses, contained, recovered, resolved.
    assert "Timeline (69 events; ⚑ = suggest_adjustments)" in text
    assert (
        "09-15 11:15 wei declared 流量波動 market.traffic_swing at Level III 較大, "
        "lead mei, from alert traffic_drop/shop/1"
    ) in text
    # 10:00: 1,239 / 2,469 = 50 % of yesterday.
    assert "Emergency meeting: visits at 50% of yesterday since 10:00" in text
    # The 11:00 hour, read at 12:40: 1,129 / 2,400 = 47 %.
    assert (
        "09-15 12:40 hao feedback 數據分析與報告 data_report, traffic.visits 1,129, "
        "sales.conversion_rate 0.0328 (11:00 hour: visits 47% of yesterday)"
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
    # The diagnosis reads the SKU rows: visits 10:00-17:00 against the same
    # hours yesterday, per category; the rumour hit every SKU alike.
    assert (
        "09-15 17:00 jun done diagnose_traffic: every category down alike "
        "(apparel -53%, beauty -48%, electronics -50%, food -50%, home -51%); "
        "190 of 200 SKUs down by a quarter or more"
    ) in text
    # Two days of the case's ad budget, 2 × 10,691.93, to the thousand.
    assert "resources committed: budget.ads_cny 21,000" in text
    # Buyers heard at 15:00; every 3 h, the next update was due at 18:00.
    assert (
        "09-15 18:15 ⚑ rules suggest 補發溝通 communicate.update_overdue: The update "
        "to customers was due at 2026-09-15T18:00:00+08:00 and is 15 min overdue."
    ) in text
    assert "09-15 18:20 lan message to 消費者/客戶 customers by website_notice" in text
    # GMV 10:00-19:00: 39,187 against 80,872 yesterday, 1 - 39,187 / 80,872
    # = 51.5 %; 2 × 174,471 (yesterday's whole day) × 0.5154 = 179,860,
    # to the thousand 180,000.
    assert (
        "09-15 19:00 mei loss 銷售損失 lost_sales CNY 180,000.00 (estimate): GMV "
        "10:00-19:00 CNY 39,187 against 80,872 the same hours yesterday (-52%)"
    ) in text
    # The 20:00 hour: 1,536 / 2,927 = 52 %, as at 14:00 (1,127 / 2,158).
    assert (
        "09-15 21:00 mei contained 已控制: no new claims; visits holding at 52% of "
        "yesterday, no further fall"
    ) in text
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
    # The rumour holds for two days: 791 / 1,675 = 47 % of a week before.
    assert "(08:00 hour: visits 47% of the same hour a week before)" in text
    # Back on 18 September: 2,529 / 2,431 = 104 %, 2,495 / 2,519 = 99 %.
    assert (
        "09-18 12:30 mei recovered 恢復 (now recovering 恢復中): visits back to "
        "last week's: 104% and 99% of the same hours a week before at 10:00 and "
        "11:00"
    ) in text
    # 510,007.25 (8 Sep 10:00 - 11 Sep 10:00) - 297,857.10 = 212,150.15.
    assert (
        "09-18 15:00 mei loss 銷售損失 lost_sales CNY 212,150.15 (actual): GMV "
        "09-15 10:00 to 09-18 10:00 CNY 297,857 against 510,007 the same hours a "
        "week before"
    ) in text
    assert "09-18 16:00 mei resolved 已解決" in text
    assert (
        "09-18 16:10 lan message to 消費者/客戶 customers by website_notice (final)"
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
    # P2D after 15 September 12:00; P3D for the tracking.
    assert (
        "*optimise_search 優化搜索引擎排名和用戶體驗 wei due 09-17 12:00 "
        "已完成 09-16 10:00, on time"
    ) in lines
    assert (
        "*track_traffic 追蹤訪問量與轉化率直至流量穩定 hao due 09-18 12:00 "
        "已完成 09-16 14:00, on time"
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
    # 15 Sep 11:00 -> recovered 18 Sep 12:30: 3 days + 1 h 30 = 73 h 30.
    assert "time to recover 73 h 30 min" in lines
    # 15 Sep 11:00 -> resolved 18 Sep 16:00: 3 days + 5 h = 77 h.
    assert "time to resolve 77 h 00 min" in lines
    # III 11:15-13:25 (2 h 10) + 15 Sep 22:05 - 18 Sep 16:00 (65 h 55) =
    # 68 h 05; II 13:25-22:05.
    assert "time at Level II 重大 8 h 40 min" in lines
    assert "time at Level III 較大 68 h 05 min" in lines
    # Done: diagnose (late), promotions, search, social, tracking (on time);
    # the review is not due yet: 4 / 5.
    assert "actions: 6 in all, 5 done, 0 overdue; on time 80.0%" in lines
    # Staff: 11 deadlines met (11:45, 13:30, 15:30, 17:30, 19:30, then 07:30
    # and 19:30 on 16 and 17 September, 07:30 on the 18th, and the final
    # message). Buyers: 12:15, 15:10 met, 18:00 late, 21:20, then 09:00 and
    # 21:00 on 16 and 17 September, 09:00 on the 18th and the final message
    # met: 20 of 21 = 95.2 %.
    assert "communication cadence adherence 95.2%" in lines


def test_the_cost_uses_the_frozen_rates_and_the_day_rule(output: str) -> None:
    lines = _lines(output)
    # The lead from 15 Sep 11:15 to the resolution at 18 Sep 16:00: 76 h 45,
    # counted 24 + 52.75 × 8 / 24 = 41.583333 h; × 1 × 350 = 14,554.17.
    assert "crisis_lead mei 41.583333 h × 1 × 350 = 14,554.17" in lines
    # The comms liaison from 11:20: 76 h 40 -> 24 + 52.6667 / 3 = 41.555556 h;
    # × 0.75 × 180 = 5,610.00.
    assert "comms_liaison wen 41.555556 h × 0.75 × 180 = 5,610.00" in lines
    # jun helped from 16:20 to 17:05: 0.75 h × 0.5 × 200 = 75.00.
    assert "data_analyst jun 0.75 h × 0.5 × 200 = 75.00" in lines
    # 14,554.17 + 41.555556 × 0.5 × (200 + 190 + 220 + 130) + 41.555556 ×
    # 0.75 × (180 + 110) + 75 = 14,554.17 + 15,375.56 + 9,038.33 + 75.
    assert "total 39,043.06" in lines


def test_the_business_loss_is_kept_apart_and_actuals_replace_estimates(
    output: str,
) -> None:
    lines = _lines(output)
    assert "銷售損失 lost_sales 212,150.15 (estimate was 180,000.00)" in lines
    assert "恢復支出 recovery_spend 21,000.00" in lines
    # 212,150.15 + 21,000.
    assert "total 233,150.15" in lines


def test_the_cases_drill_on_the_same_hours_is_summarised(output: str) -> None:
    lines = _lines(output)
    # The drill takes the alert at its period's stamp: 11:00 - 10:00 = 1 h.
    assert (
        "detected after 1 h 00 min, 0 missed, 0 false crises; 0 of 6 actions late"
    ) in lines
    # 225,986.26 + 66,608.30 = 292,594.56: the rumour's true loss (half the
    # traffic for two days, then fading over one) is close to the 212,150.15
    # the team measured against the week before.
    assert (
        "estimated loss 292,594.56 = 225,986.26 to the rumour (true drivers) + "
        "66,608.30 to ordinary stock-outs"
    ) in lines
    assert "the team measured 212,150.15 against the week before" in lines


def test_the_crisis_rebuilt_from_its_json_log_is_equal(output: str) -> None:
    text = _squeezed(output)
    assert "Crisis.from_events(...) == crisis: True; status resolved 已解決" in text
