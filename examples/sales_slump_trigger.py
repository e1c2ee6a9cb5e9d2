"""A sales slump and a review surge caught by calibrated trigger rules (book §3).

Run it with ``python examples/sales_slump_trigger.py``. The book's section
關鍵指標監控與應急響應觸發點設定 (key-indicator monitoring and emergency-response
trigger points) gives its own example:

    例如,當銷售額連續三日下降超過一定幅度時,應立即啟動銷售危機應急預案;當負面評價
    數量激增時,應立即調查產品問題或客戶服務問題,并進行相應的危機處理。

    (For example, when sales fall by more than a certain margin for three
    consecutive days, start the sales-crisis plan at once; when negative reviews
    surge, investigate product or customer-service problems at once.)

This script tells that story for a synthetic shop. It

1. builds a year of daily KPIs for 20 SKUs (GMV, orders, negative reviews) with
   weekly seasonality, Poisson noise and three promotions, from a fixed seed,
   and injects a sales slump on three SKUs and a review surge on one;
2. calibrates thresholds on the first quarter (找到合理範圍), leaving the
   promotions out;
3. sets three tiered rules (層級劃分): the book's three-day fall, a fall below
   each SKU's calibrated 5th percentile, and the review surge;
4. evaluates the year and prints every alert with the numbers that fired it;
5. summarises the alerts and the back-tested alert rate;
6. prints the notifications the shop would receive under a simple policy.

Everything is computed in memory: no files, no clock, the same output on every
run. With ``--plots DIR`` (needs ``pip install 'crisisops[viz]'``) it also
saves, as PNG files there, the GMV of each slumping SKU with its calibrated
floor and its alerts, and the negative reviews of the SKU with the surge.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np
from _plots import plots_directory, save_figures

from crisisops import ResponseLevel, default_catalog
from crisisops.monitoring import (
    Above,
    Alert,
    AllOf,
    AnyOf,
    Below,
    BoundSpec,
    Calibrated,
    Change,
    Condition,
    Consecutive,
    Evaluation,
    Guards,
    InhibitRule,
    Matcher,
    MOfN,
    Not,
    Notification,
    NotificationPolicy,
    Outside,
    Panel,
    Quantile,
    Raw,
    Silence,
    Threshold,
    ThresholdSet,
    Tier,
    TrailingMean,
    TrailingMedian,
    TriggerRule,
    backtest,
    calibrate,
    default_metrics,
    evaluate,
    plan_notifications,
)
from crisisops.viz import kpi_chart

SEED = 20260101
TAIPEI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 1, 1, tzinfo=TAIPEI)
N_DAYS = 365
SKUS = tuple(f"SKU-{number:02d}" for number in range(1, 21))

#: Sales multiplier by weekday (Monday first): weekends sell more.
WEEKDAY_EFFECT = np.array([0.93, 0.92, 0.95, 0.97, 1.03, 1.12, 1.08])

#: The shop's promotion calendar: name -> (first day, day after the last).
PROMOTIONS = {
    "3.8 女王節": (dt.date(2026, 3, 6), dt.date(2026, 3, 9)),
    "618": (dt.date(2026, 6, 16), dt.date(2026, 6, 19)),
    "雙11": (dt.date(2026, 11, 9), dt.date(2026, 11, 12)),
}
#: Uplift on each day of a promotion (three days, the last the biggest).
PROMOTION_UPLIFT = (1.6, 2.2, 3.2)

#: Injected sales slumps: SKU -> (first day, day after the last, multiplier per day).
SLUMPS = {
    "SKU-04": (dt.date(2026, 8, 3), dt.date(2026, 8, 15), (0.70,)),
    "SKU-09": (dt.date(2026, 9, 14), dt.date(2026, 9, 28), (0.75,) * 4 + (0.45,)),
    "SKU-15": (dt.date(2026, 12, 1), dt.date(2026, 12, 11), (0.58,)),
}
#: Injected negative-review surge: SKU, first day, day after the last, factor.
SURGE = ("SKU-12", dt.date(2026, 10, 12), dt.date(2026, 10, 19), 8.0)


# --- 1. the synthetic shop --------------------------------------------------


def moment(day: dt.date) -> dt.datetime:
    """Return midnight of ``day`` in the shop's time zone (UTC+08:00)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=TAIPEI)


def day_index(day: dt.date) -> int:
    """Return the position of ``day`` in the year of data."""
    return (moment(day) - START).days


def build_shop(rng: np.random.Generator) -> Panel:
    """Return a year of daily GMV, orders and negative reviews for every SKU."""
    days = np.arange(N_DAYS)
    timestamps = [START + dt.timedelta(days=int(d)) for d in days]
    weekday = np.array([stamp.weekday() for stamp in timestamps])
    base_orders = rng.uniform(150.0, 600.0, size=len(SKUS))
    price = rng.uniform(30.0, 200.0, size=len(SKUS))
    review_share = rng.uniform(0.004, 0.008, size=len(SKUS))

    trend = 1.0 + 0.08 * days / N_DAYS  # the shop grows 8 % over the year
    demand = np.outer(WEEKDAY_EFFECT[weekday] * trend, base_orders)  # (T, E)
    for first, _end in PROMOTIONS.values():
        start = day_index(first)
        demand[start : start + len(PROMOTION_UPLIFT)] *= np.array(PROMOTION_UPLIFT)[
            :, np.newaxis
        ]
    for sku, (first, end, factors) in SLUMPS.items():
        column = SKUS.index(sku)
        start, stop = day_index(first), day_index(end)
        multipliers = np.full(stop - start, factors[-1])
        multipliers[: len(factors)] = factors[: stop - start]
        demand[start:stop, column] *= multipliers

    orders = rng.poisson(demand).astype(np.float64)
    basket = rng.lognormal(mean=0.0, sigma=0.03, size=orders.shape)
    gmv = np.round(orders * price * basket, 2)
    review_rate = orders * review_share
    sku, first, end, factor = SURGE
    review_rate[day_index(first) : day_index(end), SKUS.index(sku)] *= factor
    negative_reviews = rng.poisson(review_rate).astype(np.float64)
    return Panel.from_metric_arrays(
        timestamps,
        SKUS,
        {
            "sales.gmv": gmv,
            "sales.orders": orders,
            "feedback.negative_reviews": negative_reviews,
        },
        catalog=default_metrics(),
    )


# --- 2. calibration: the reasonable range (合理範圍) -------------------------


def promotion_windows() -> list[tuple[dt.datetime, dt.datetime]]:
    """Return the promotion calendar as half-open windows of aware datetimes."""
    return [(moment(first), moment(end)) for first, end in PROMOTIONS.values()]


def calibrate_first_quarter(panel: Panel) -> ThresholdSet:
    """Fit each SKU's weekday 5th percentile of GMV on January to March."""
    spec = BoundSpec(
        name="gmv_p5",
        metric="sales.gmv",
        method=Quantile(0.05),
        seasonal=True,  # one bound per weekday: Saturdays sell more than Tuesdays
        min_history=56,  # eight weeks: eight values per weekday
    )
    return calibrate(
        panel,
        [spec],
        version="2026-Q1",
        fitted_through=moment(dt.date(2026, 3, 31)),
        exclude=promotion_windows(),  # 3.8 falls in Q1; 618 and 雙11 come later
    )


# --- 3. the rules (觸發點與層級劃分) ---------------------------------------------


def sales_rule() -> TriggerRule:
    """Return the book's rule: sales down more than a margin three days in a row."""
    fall = Change(
        metric="sales.gmv", baseline=TrailingMedian(window=28, min_periods=14)
    )
    guards = Guards(min_baseline=1000.0)  # ignore SKUs selling under 1,000 CNY a day

    def down_by(share: float) -> Threshold:
        return Threshold(
            signal=fall, predicate=Below(-share, inclusive=True), guards=guards
        )

    return TriggerRule(
        name="sales_crisis",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(ResponseLevel.IV, down_by(0.20)),
            Tier(ResponseLevel.III, down_by(0.35)),
            Tier(ResponseLevel.II, down_by(0.50)),
        ],
        persistence=Consecutive(3),
        clear_after=2,
        clear_condition=Threshold(signal=fall, predicate=Above(-0.10)),
        labels={"team": "sales"},
        description=(
            "GMV down against its 28-day median three days in a row: start the "
            "sales-crisis plan (銷售額連續三日下降超過一定幅度 → 啟動銷售危機應急預案)"
        ),
    )


def floor_rule() -> TriggerRule:
    """GMV below the SKU's calibrated 5th percentile for its weekday."""
    return TriggerRule(
        name="gmv_below_p5",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.IV,
                Threshold(
                    signal=Raw("sales.gmv"), predicate=Below(Calibrated("gmv_p5"))
                ),
            )
        ],
        persistence=Consecutive(3),
        clear_after=2,
        labels={"team": "sales"},
        description=(
            "GMV below its own Q1 5th percentile for the weekday, three days in a "
            "row (低於合理範圍)"
        ),
    )


def review_rule() -> TriggerRule:
    """Return the book's second rule: a negative-review surge starts an inquiry."""
    surge = Change(
        metric="feedback.negative_reviews",
        baseline=TrailingMean(window=28, min_periods=14),
    )
    guards = Guards(min_abs_change=5.0)  # at least five more reviews than usual
    # More orders bring more reviews of every kind: a promotion day is no surge.
    order_boom = Threshold(
        signal=Change(
            metric="sales.orders", baseline=TrailingMedian(window=28, min_periods=14)
        ),
        predicate=Above(0.5),
    )

    def up_by(share: float) -> AllOf:
        surge_alone = Threshold(
            signal=surge, predicate=Above(share, inclusive=True), guards=guards
        )
        return AllOf([surge_alone, Not(order_boom)])

    return TriggerRule(
        name="review_surge",
        crisis_type="product.performance",  # default playbook: quality_investigation
        tiers=[
            Tier(ResponseLevel.IV, up_by(2.0)),
            Tier(ResponseLevel.III, up_by(4.0)),
        ],
        persistence=MOfN(2, 3),
        clear_after=3,
        cooldown=7,
        labels={"team": "customer_service"},
        description=(
            "negative reviews surge while orders do not: investigate "
            "(負面評價數量激增 → 調查產品問題或客戶服務問題)"
        ),
    )


# --- printing ---------------------------------------------------------------


def display_width(text: str) -> int:
    """Count terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns."""
    return text + " " * max(width - display_width(text), 0)


def print_table(rows: list[list[str]], notes: list[str] | None = None) -> None:
    """Print rows as aligned columns; the first row is the header.

    ``notes[i]`` (if given) is printed, indented, under data row ``i``.
    """
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        cells = [pad(cell, w) for cell, w in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))
        elif notes is not None:
            print(f"    {notes[number - 1]}")


def level_text(level: ResponseLevel | None) -> str:
    """``"III 較大"``: the level's numeral and its 繁體 label."""
    return "no data" if level is None else f"{level.value} {level.labels.zh_hant}"


def day(moment_: dt.datetime | None) -> str:
    """Format a date, or ``"firing"`` for an alert that has not resolved."""
    return "firing" if moment_ is None else f"{moment_:%Y-%m-%d}"


def number(value: float) -> str:
    """Format a KPI value: thousands separated, at most one decimal."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def percent(value: float) -> str:
    """Format a signed percentage with a real minus sign, e.g. ``−35.6 %``."""
    return f"{value * 100:+.1f} %".replace("-", "−")


SHORT_NAMES = {"sales.gmv": "gmv", "feedback.negative_reviews": "negative reviews"}


def first_threshold(condition: Condition) -> Threshold:
    """Return the threshold an alert's evidence comes from.

    A composition (``AllOf``, ``AnyOf``, ``Not``) reports the numbers of its
    first part.
    """
    while not isinstance(condition, Threshold):
        if isinstance(condition, (AllOf, AnyOf)):
            condition = condition.conditions[0]
        elif isinstance(condition, Not):
            condition = condition.condition
        else:
            raise TypeError(f"no threshold in {condition!r}")
    return condition


def persistence_text(rule: TriggerRule, run: int | None = None) -> str:
    """Say how long a breach must (or did) last, e.g. ``3 days in a row``."""
    persistence = rule.persistence
    if isinstance(persistence, MOfN):
        count = persistence.m if run is None else run
        return f"{count} of the last {persistence.n} days"
    return f"{persistence.n if run is None else run} days in a row"


def explain(alert: Alert, rule: TriggerRule) -> str:
    """Say in words the numbers that fired ``alert``."""
    evidence = alert.evidence
    signal = first_threshold(rule.tiers[0].condition).signal
    name = SHORT_NAMES.get(signal.metric, signal.metric)
    if isinstance(signal, Change):
        what = (
            f"{name} {number(evidence.observed)} vs baseline "
            f"{number(evidence.baseline)} ({percent(evidence.signal)}), "
            f"bound {percent(evidence.bound)}"
        )
    else:
        what = (
            f"{name} {number(evidence.observed)} below bound {number(evidence.bound)}"
        )
    run = persistence_text(rule, evidence.run_length)
    version = evidence.threshold_version
    thresholds = "no thresholds yet" if version is None else f"thresholds v{version}"
    text = f"{what}, {run}, {thresholds}"
    for change in alert.level_changes:
        text += (
            f"; {change.at:%m-%d} → {level_text(change.level)} "
            f"({percent(change.evidence.signal)})"
        )
    return text


def print_alerts(evaluation: Evaluation, rules: dict[str, TriggerRule]) -> None:
    """Print every alert and the numbers that fired it."""
    catalog = default_catalog()
    alerts = evaluation.alerts
    print(f"Alerts ({len(alerts)}), in firing order; level = the most severe reached")
    rows = [
        ["rule", "SKU", "level", "crisis type", "first breach", "fired", "resolved"]
    ]
    notes = []
    for alert in alerts:
        crisis = catalog[alert.crisis_type]
        rows.append(
            [
                alert.rule,
                alert.entity,
                level_text(alert.peak_level),
                f"{crisis.key} {crisis.labels.zh_hant}",
                day(alert.first_breach_at),
                day(alert.fired_at),
                day(alert.resolved_at),
            ]
        )
        notes.append(explain(alert, rules[alert.rule]))
    print_table(rows, notes)


def print_summary(
    evaluation: Evaluation,
    panel: Panel,
    rules: list[TriggerRule],
    thresholds: ThresholdSet,
) -> None:
    """Alerts per level and rule, and the back-tested alert rate on Q1."""
    alerts = evaluation.alerts
    by_level: Counter[ResponseLevel] = Counter(
        a.peak_level for a in alerts if a.peak_level is not None
    )
    print("Summary")
    levels = ", ".join(
        f"{level_text(level)} ({level.colour}): {by_level[level]}"
        for level in sorted(ResponseLevel, reverse=True)
    )
    print(f"  alerts by peak level: {levels}")
    by_rule = Counter(a.rule for a in alerts)
    print(
        "  alerts by rule: " + ", ".join(f"{r.name} {by_rule[r.name]}" for r in rules)
    )
    surge_skus = sorted({a.entity for a in alerts if a.rule == "review_surge"})
    print(f"  review surge investigated on: {', '.join(surge_skus) or 'none'}")
    in_sample = backtest(rules, panel, thresholds)
    out_of_sample = backtest(rules, panel, thresholds, start=thresholds.valid_from)
    for report in (in_sample, out_of_sample):
        kind = "in-sample" if report.in_sample else "out-of-sample"
        print(
            f"  back-test with v{report.threshold_version} on "
            f"{report.start:%Y-%m-%d} … {report.end:%Y-%m-%d} "
            f"({report.periods} days × {report.entities} SKUs, {kind}):"
        )
        for result in report.rules:
            print(
                f"    {result.rule:<13} {result.episodes:>2} episode(s) on "
                f"{result.entities_alerted:>2} SKU(s), "
                f"{result.alerts_per_entity_per_100_periods:.2f} alerts per SKU per "
                f"100 days, firing {result.firing_share:.1%} of SKU-days"
            )


def describe(note: Notification) -> str:
    """One notification as a line of text."""
    firing = ", ".join(
        f"{alert_id} ({level_text(ResponseLevel(note.labels[alert_id]['level']))})"
        for alert_id in note.firing
    )
    parts = [f"firing: {firing}"] if firing else []
    if note.resolved:
        parts.append(f"resolved: {', '.join(note.resolved)}")
    group = "/".join(note.group_key)
    return f"{note.at:%Y-%m-%d}  {note.reason.value:<8}  {group:<24}  " + "; ".join(
        parts
    )


def notification_policy() -> NotificationPolicy:
    """One message per team and SKU; severe levels mute milder ones; a silence."""
    clearance = Silence(
        matchers=[Matcher("entity", "=", "SKU-15"), Matcher("team", "=", "sales")],
        starts_at=moment(dt.date(2026, 12, 1)),
        ends_at=moment(dt.date(2027, 1, 1)),
        comment="SKU-15 is being cleared out (清倉) in December: sales drop expected",
        created_by="category manager",
    )
    return NotificationPolicy(
        group_by=("team", "entity"),
        group_wait=0,
        group_interval=1,
        repeat_interval=7,
        inhibit_rules=InhibitRule.by_level(equal=("entity",)),
        silences=[clearance],
    )


def print_notifications(evaluation: Evaluation, panel: Panel) -> None:
    """Print the messages the shop would receive (sending is the host's job)."""
    policy = notification_policy()
    notes = plan_notifications(policy, evaluation, panel.timestamps)
    print(
        f"Notifications ({len(notes)}): grouped by team and SKU, repeated every "
        f"{policy.repeat_interval} days while firing, lower levels inhibited by "
        "higher ones on the same SKU, SKU-15's clearance silenced"
    )
    for note in notes:
        print(f"  {describe(note)}")


# --- the story --------------------------------------------------------------


def print_data(panel: Panel) -> None:
    """Say what the synthetic shop is."""
    metrics = default_metrics()
    first, last = panel.timestamps[0], panel.timestamps[-1]
    print(
        f"A synthetic shop: {panel.n_entities} SKUs, {panel.n_periods} days "
        f"({first:%Y-%m-%d} … {last:%Y-%m-%d}, UTC+08:00), seed {SEED}"
    )
    for key in panel.metrics:
        metric = metrics[key]
        print(
            f"  {key:<26} {metric.labels.zh_hant} ({metric.labels.en}, {metric.unit})"
        )
    slumps = "; ".join(
        f"{sku} {first:%d %b}–{end - dt.timedelta(days=1):%d %b}"
        for sku, (first, end, _factors) in SLUMPS.items()
    )
    print(f"  injected sales slumps: {slumps}")
    sku, start, end, factor = SURGE
    print(
        f"  injected negative-review surge: {sku} ×{factor:g}, "
        f"{start:%d %b}–{end - dt.timedelta(days=1):%d %b}"
    )
    promotions = ", ".join(
        f"{name} {first:%d %b}–{end - dt.timedelta(days=1):%d %b}"
        for name, (first, end) in PROMOTIONS.items()
    )
    print(f"  promotions: {promotions}")


def print_thresholds(thresholds: ThresholdSet) -> None:
    """Say how the thresholds were fitted."""
    print(
        f"Thresholds v{thresholds.version}: fitted through "
        f"{thresholds.fitted_through:%Y-%m-%d}, valid from "
        f"{thresholds.valid_from:%Y-%m-%d}"
    )
    for name, note in thresholds.notes.items():
        print(f"  {name}: {note}")
    tuesday, saturday = thresholds.bound("gmv_p5")[[1, 5], 0]
    print(
        f"  e.g. {thresholds.entities[0]}'s floor: {number(tuesday)} CNY on a "
        f"Tuesday, {number(saturday)} CNY on a Saturday"
    )


def print_rules(rules: list[TriggerRule]) -> None:
    """List the rules, their crisis types and tiers."""
    catalog = default_catalog()
    print("Rules (層級劃分: each tier starts a response level)")
    for rule in rules:
        crisis = catalog[rule.crisis_type]
        playbooks = ", ".join(crisis.default_playbooks)
        print(f"  {rule.name} → {crisis.key} {crisis.labels.zh_hant} ({playbooks})")
        print(f"    {rule.description}")
        tiers = []
        for tier in rule.tiers:
            predicate = first_threshold(tier.condition).predicate
            if isinstance(predicate, Outside):
                text = f"outside [{predicate.low}, {predicate.high}]"
            elif isinstance(predicate.bound, Calibrated):
                text = f"below the calibrated {predicate.bound.name}"
            else:
                text = f"from {percent(predicate.bound)}"
            tiers.append(f"{level_text(tier.level)} {text}")
        print(f"    {'; '.join(tiers)}; {persistence_text(rule)}")


def main(argv: Sequence[str] | None = None) -> None:
    """Build the shop, calibrate, evaluate and print what a shop would read."""
    plots = plots_directory(argv, __doc__)
    rng = np.random.default_rng(SEED)
    panel = build_shop(rng)
    print_data(panel)
    print()
    thresholds = calibrate_first_quarter(panel)
    print_thresholds(thresholds)
    print()
    rules = [sales_rule(), floor_rule(), review_rule()]
    print_rules(rules)
    print()
    evaluation = evaluate(rules, panel, [thresholds])
    print_alerts(evaluation, {rule.name: rule for rule in rules})
    print()
    print_summary(evaluation, panel, rules, thresholds)
    print()
    print_notifications(evaluation, panel)
    if plots is not None:
        figures = {
            f"sales_slump_{sku}.png": kpi_chart(
                panel,
                "sales.gmv",
                sku,
                alerts=evaluation.alerts,
                thresholds=thresholds,
                bounds=["gmv_p5"],
            )
            for sku in SLUMPS
        }
        figures[f"review_surge_{SURGE[0]}.png"] = kpi_chart(
            panel, "feedback.negative_reviews", SURGE[0], alerts=evaluation.alerts
        )
        save_figures(plots, figures)


if __name__ == "__main__":
    main()
