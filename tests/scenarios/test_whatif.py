"""Tests of `crisisops.scenarios.whatif`: Monte Carlo what-ifs on common numbers."""

from __future__ import annotations

import datetime as dt
import functools

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.risk import PERT, Constant, Uniform
from crisisops.risk.supply import SupplyLink, SupplyNetwork
from crisisops.scenarios import (
    DemandShift,
    DrillPolicy,
    ShopProfile,
    SupplierOutage,
    run_drill,
    simulate_shop,
)
from crisisops.scenarios.drill import estimated_losses
from crisisops.scenarios.whatif import (
    WHATIF_METRICS,
    Alternative,
    Uncertain,
    WhatIfReport,
    compare_alternatives,
)
from crisisops.serialization import from_data, to_data

START = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.timedelta(days=1)


@functools.cache
def profile() -> ShopProfile:
    return ShopProfile.default(START, skus=10, days=100, suppliers=3)


def outage() -> SupplierOutage:
    return SupplierOutage(
        key="outage",
        failed=["supplier-01"],
        onset=START + 65 * DAY,
        end=START + 85 * DAY,
    )


def slump() -> DemandShift:
    return DemandShift(
        key="slump", onset=START + 70 * DAY, end=START + 80 * DAY, traffic_factor=0.3
    )


@functools.cache
def second_supplier_profile() -> ShopProfile:
    """Every SKU that buys from supplier-01 buys half from supplier-02 too."""
    shop = profile()
    network = shop.network
    assert network is not None
    cut = {link.target for link in network.links if link.source == "supplier-01"}
    links = [link for link in network.links if link.target not in cut]
    for sku in sorted(cut):
        links.append(SupplyLink(source="supplier-01", target=sku, share=0.5))
        links.append(SupplyLink(source="supplier-02", target=sku, share=0.5))
    rewired = SupplyNetwork(nodes=network.nodes, links=links, tiers=network.tiers)
    return attrs.evolve(shop, network=rewired)


LENGTH = Uncertain(
    key="outage_days",
    target="outage",
    field="duration",
    distribution=PERT(low=5.0, mode=12.0, high=30.0),
)
DEPTH = Uncertain(
    key="depth",
    target="slump",
    field="traffic_factor",
    distribution=Uniform(low=0.2, high=0.4),
)


@functools.cache
def crn_report() -> WhatIfReport:
    return compare_alternatives(
        profile(),
        [outage()],
        [Alternative(key="base"), Alternative(key="copy", description="the same")],
        parameters=[LENGTH],
        runs=3,
        seed=11,
    )


def test_identical_alternative_has_zero_paired_differences() -> None:
    # Common random numbers: run i of both alternatives sees the same draws
    # and seeds, so every metric is equal run by run.
    report = crn_report()
    for metric in WHATIF_METRICS:
        base = report.per_run("base", metric)
        np.testing.assert_array_equal(base, report.per_run("copy", metric))
        diff = report.difference("base", "copy", metric)
        if diff.count:
            assert (0.0, 0.0, 0.0, 0.0) == (diff.mean, diff.p10, diff.p50, diff.p90)
            assert (0.0, 0.0) == (diff.alternative_better, diff.base_better)
    assert report.summary("base", "loss").count == 3
    mean = report.summary("base", "loss").mean
    assert mean is not None
    assert mean > 0.0


def test_draws_follow_the_distribution_and_shape_the_runs() -> None:
    report = crn_report()
    assert report.draws.shape == (1, 3)
    assert np.all((report.draws >= 5.0) & (report.draws <= 30.0))
    assert report.values.shape == (2, len(WHATIF_METRICS), 3)
    assert not report.values.flags.writeable


def test_second_supplier_removes_most_of_the_outage_loss() -> None:
    # By hand: the outage cuts no demand driver, so its whole loss is orders
    # lost to stock-outs. Single-sourced, supplier-01's SKUs get nothing for
    # 5-30 days and run dry. Half-sourced from supplier-02, half of each order
    # arrives; the daily order-up-to rule re-orders the missing half the next
    # day (orders double), so the stock position falls by about one day's
    # demand, which the safety stock mostly covers: the loss falls to near
    # the scenario's without the outage (its own stock-outs, same seeds).
    report = compare_alternatives(
        profile(),
        [outage()],
        [
            Alternative(key="single"),
            Alternative(
                key="second_supplier",
                labels=Labels(
                    en="Second supplier", zh_hant="雙供應商", zh_hans="双供应商"
                ),
                profile=second_supplier_profile(),
            ),
            Alternative(key="no_outage", remove=["outage"]),
        ],
        parameters=[LENGTH],
        runs=6,
        seed=3,
        drill=False,
    )
    single = report.per_run("single", "loss")
    dual = report.per_run("second_supplier", "loss")
    none = report.per_run("no_outage", "loss")
    assert np.all(dual >= none)
    # The outage's own loss (above the no-outage loss) shrinks at least 3-fold
    # in every run (about a day of lost stock vs 5-30 days without supply).
    assert np.all(dual - none <= (single - none) / 3.0)
    saved = report.difference("single", "second_supplier", "loss")
    assert saved.mean is not None
    assert saved.mean < 0.0
    assert saved.alternative_better == 1.0
    # Without a drill only the loss is recorded.
    assert report.summary("single", "detection_lag_days").count == 0
    assert report.summary("single", "detection_lag_days").mean is None


def test_faster_response_lowers_detection_lag() -> None:
    # A plainly visible slump (traffic x0.2-0.4) breaches the GMV bound from
    # its first day: needing 1 period instead of 2 detects it 1 day earlier.
    report = compare_alternatives(
        profile(),
        [slump()],
        [
            Alternative(key="slow", policy=DrillPolicy(persistence=2)),
            Alternative(key="fast", policy=DrillPolicy(persistence=1)),
        ],
        parameters=[DEPTH],
        runs=3,
        seed=5,
    )
    diff = report.difference("slow", "fast", "detection_lag_days")
    assert diff.count >= 2
    assert diff.mean == pytest.approx(-1.0)
    assert diff.alternative_better == 1.0
    assert report.summary("fast", "missed").mean == 0.0
    slow_missed = report.summary("slow", "missed").mean
    assert slow_missed is not None
    assert slow_missed >= 0.0
    # The shock is the same, so the loss is too (common random numbers).
    assert report.difference("slow", "fast", "loss").mean == 0.0
    assert report.summary("fast", "recovery_days").count == 3


def test_deterministic_under_a_seed() -> None:
    def once() -> WhatIfReport:
        return compare_alternatives(
            profile(),
            [slump()],
            [Alternative(key="a"), Alternative(key="b", policy=DrillPolicy(k=3.0))],
            parameters=[
                Uncertain(
                    key="k",
                    target="policy",
                    field="k",
                    distribution=Uniform(low=3.0, high=5.0),
                )
            ],
            runs=2,
            seed=9,
        )

    first, second = once(), once()
    assert first == second
    np.testing.assert_array_equal(first.values, second.values)


def test_percentiles_equal_numpys() -> None:
    report = crn_report()
    for metric in ("loss", "recovery_days"):
        values = report.per_run("base", metric)
        present = values[~np.isnan(values)]
        stats = report.summary("base", metric)
        if not present.size:
            continue
        expected = np.percentile(present, [10, 50, 90]).tolist()
        assert expected == [stats.p10, stats.p50, stats.p90]
        assert float(present.mean()) == stats.mean


def test_paired_percentiles_equal_numpys_and_flip() -> None:
    report = compare_alternatives(
        profile(),
        [outage()],
        [Alternative(key="single"), Alternative(key="none", remove=["outage"])],
        parameters=[LENGTH],
        runs=5,
        seed=2,
        drill=False,
    )
    delta = report.per_run("none", "loss") - report.per_run("single", "loss")
    diff = report.difference("single", "none", "loss")
    assert np.percentile(delta, [10, 50, 90]).tolist() == [
        diff.p10,
        diff.p50,
        diff.p90,
    ]
    flipped = report.difference("none", "single", "loss")
    assert flipped.mean == pytest.approx(-diff.mean)  # type: ignore[operator]
    assert flipped.alternative_better == diff.base_better


def test_vectorised_loss_matches_the_drill() -> None:
    for seed in (4, 5):
        run = simulate_shop(profile(), [outage()], seed=seed)
        (loss,) = estimated_losses(run)
        assert loss == pytest.approx(run_drill(run, seed=1).estimated_loss)
    # Vectorised over runs, each row is the loss of that run.
    batch = simulate_shop(profile(), [outage()], seed=4, runs=3)
    losses = estimated_losses(batch)
    assert losses.shape == (3,)
    assert np.all(losses > 0.0)


def test_report_round_trips() -> None:
    report = crn_report()
    again = from_data(WhatIfReport, to_data(report))
    assert again == report


keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=keys,
    text=st.text(max_size=20),
    remove=st.lists(keys, max_size=3),
    low=st.floats(0.1, 5.0),
    width=st.floats(0.1, 5.0),
    k=st.floats(1.0, 6.0),
)
def test_alternative_and_uncertain_round_trip(
    key: str, text: str, remove: list[str], low: float, width: float, k: float
) -> None:
    option = Alternative(
        key=key,
        description=text,
        remove=remove,
        add=[slump()],
        policy=DrillPolicy(k=k),
    )
    assert from_data(Alternative, to_data(option)) == option
    parameter = Uncertain(
        key=key,
        target="policy",
        field="declare_after",
        distribution=Uniform(low=low, high=low + width),
    )
    assert from_data(Uncertain, to_data(parameter)) == parameter


def test_bad_input_names_the_field() -> None:
    base = [Alternative(key="a")]
    with pytest.raises(ValidationError) as failed:
        compare_alternatives(profile(), [], base, runs=-1, seed=0)
    assert failed.value.field == "runs"
    with pytest.raises(InvalidTypeError) as wrong:
        compare_alternatives(profile(), [], base, runs=True, seed=0)
    assert wrong.value.field == "runs"
    with pytest.raises(InvalidTypeError) as wrong:
        compare_alternatives("shop", [], base, runs=1, seed=0)  # type: ignore[arg-type]
    assert wrong.value.field == "profile"
    with pytest.raises(ValidationError) as failed:
        compare_alternatives(profile(), [], [], runs=1, seed=0)
    assert failed.value.field == "alternatives"
    with pytest.raises(DuplicateKeyError):
        compare_alternatives(profile(), [], base * 2, runs=1, seed=0)
    unknown = Uncertain(
        key="x", target="fire", field="duration", distribution=Constant(value=3.0)
    )
    with pytest.raises(UnknownKeyError) as missing:
        compare_alternatives(
            profile(), [outage()], base, parameters=[unknown], runs=1, seed=0
        )
    assert "parameters[0].target" in missing.value.kind
    with pytest.raises(UnknownKeyError) as missing:
        compare_alternatives(
            profile(),
            [outage()],
            [Alternative(key="a", remove=["fire"])],
            runs=1,
            seed=0,
        )
    assert "alternatives[0].remove" in missing.value.kind
    with pytest.raises(UnknownKeyError) as missing:
        Uncertain(
            key="x", target="policy", field="roster", distribution=Constant(value=1.0)
        )
    assert missing.value.kind == "field"


def test_invalid_distributions_and_draws_name_the_field() -> None:
    with pytest.raises(InvalidTypeError) as wrong:
        Uncertain(key="x", target="slump", field="duration", distribution=3.0)  # type: ignore[arg-type]
    assert wrong.value.field == "distribution"
    with pytest.raises(ValidationError):
        Uniform(low=2.0, high=1.0)
    # A draw the shock rejects (a traffic factor <= 0) names the parameter.
    negative = Uncertain(
        key="depth",
        target="slump",
        field="traffic_factor",
        distribution=Constant(value=-1.0),
    )
    with pytest.raises(ValidationError) as failed:
        compare_alternatives(
            profile(),
            [slump()],
            [Alternative(key="a")],
            parameters=[negative],
            runs=1,
            seed=0,
            drill=False,
        )
    assert failed.value.field.startswith("parameters[0] (depth")
    # A field that is neither a float, a duration, "duration" nor "onset".
    crisis = Uncertain(
        key="t", target="slump", field="crisis_type", distribution=Constant(value=1.0)
    )
    with pytest.raises(ValidationError) as failed:
        compare_alternatives(
            profile(),
            [slump()],
            [Alternative(key="a")],
            parameters=[crisis],
            runs=1,
            seed=0,
            drill=False,
        )
    assert failed.value.field == "parameters[0].field"


def test_report_lookups_reject_unknown_keys() -> None:
    report = crn_report()
    with pytest.raises(UnknownKeyError) as missing:
        report.summary("nope", "loss")
    assert missing.value.kind == "alternative"
    with pytest.raises(UnknownKeyError) as missing:
        report.per_run("base", "profit")
    assert missing.value.kind == "metric"
    with pytest.raises(ValidationError):
        report.difference("base", "base", "loss")
