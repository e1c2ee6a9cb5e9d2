"""Supply-network risk: single points of failure, HHI, upstream exposure, outages."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.risk.supply import (
    HHI_POINTS,
    TERMS,
    ConcentrationBand,
    ConcentrationReport,
    OutageImpact,
    SinglePointOfFailure,
    SkuConcentration,
    SupplyLink,
    SupplyNetwork,
    SupplyNode,
    UpstreamExposure,
    herfindahl_index,
)
from crisisops.serialization import from_data, to_data

TIERS = ("supplier", "warehouse", "sku")


def node(key: str, kind: str, **extra: Any) -> SupplyNode:
    return SupplyNode(key=key, kind=kind, **extra)


def link(source: str, target: str, share: float) -> SupplyLink:
    return SupplyLink(source=source, target=target, share=share)


def network(
    nodes: list[SupplyNode], links: list[tuple[str, str, float]], **extra: Any
) -> SupplyNetwork:
    return SupplyNetwork(nodes=nodes, links=[link(*t) for t in links], **extra)


def diamond() -> SupplyNetwork:
    """One supplier, two warehouses, one SKU fed by both."""
    return network(
        [
            node("s", "supplier"),
            node("w1", "warehouse"),
            node("w2", "warehouse"),
            node("k", "sku"),
        ],
        [("s", "w1", 1.0), ("s", "w2", 1.0), ("w1", "k", 0.5), ("w2", "k", 0.5)],
        tiers=TIERS,
    )


def chain() -> SupplyNetwork:
    return network(
        [node("s", "supplier"), node("w", "warehouse"), node("k", "sku")],
        [("s", "w", 1.0), ("w", "k", 1.0)],
        tiers=TIERS,
    )


def shop() -> SupplyNetwork:
    """Hand example: farms a, b → warehouse w → k1; w and kiln c → k2.

    Exposures by hand: k1 = 0.7 a + 0.3 b; k2 = 0.5·(0.7 a + 0.3 b) + 0.5 c
    = 0.35 a + 0.15 b + 0.5 c.
    """
    return network(
        [
            node("a", "supplier", region="fujian"),
            node("b", "supplier", region="yunnan"),
            node("c", "supplier", region="fujian"),
            node("w", "warehouse"),
            node("k1", "sku", revenue=600.0),
            node("k2", "sku", revenue=400.0),
        ],
        [
            ("a", "w", 0.7),
            ("b", "w", 0.3),
            ("w", "k1", 1.0),
            ("w", "k2", 0.5),
            ("c", "k2", 0.5),
        ],
        tiers=TIERS,
    )


# --- the Herfindahl–Hirschman index -------------------------------------------


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([0.5, 0.3, 0.2], 0.38),  # 0.25 + 0.09 + 0.04
        ([1.0], 1.0),
        ([0.25, 0.25, 0.25, 0.25], 0.25),  # n equal shares give 1/n
        ([2, 1, 1], 0.375),  # rescaled to 0.5, 0.25, 0.25: 0.25 + 2·0.0625
        ([0.3, 0.2], 0.52),  # rescaled to 0.6, 0.4: 0.36 + 0.16
        ([0.6, 0.0, 0.4], 0.52),  # a zero share adds nothing
    ],
)
def test_hhi_of_hand_computed_shares(shares: list[float], expected: float) -> None:
    assert expected == pytest.approx(herfindahl_index(shares), abs=1e-12)


def test_hhi_of_a_sku_matches_the_hand_value_on_both_scales() -> None:
    net = network(
        [node(k, "supplier") for k in "abc"] + [node("k", "sku")],
        [("a", "k", 0.5), ("b", "k", 0.3), ("c", "k", 0.2)],
    )

    sku = net.concentration().skus["k"]

    assert 0.38 == pytest.approx(sku.hhi)
    assert 3800 == pytest.approx(sku.hhi_points)
    assert 1 / 0.38 == pytest.approx(sku.effective_suppliers)
    assert ConcentrationBand.HIGH is sku.band  # 3,800 > 2,500
    assert not sku.rescaled


def test_shares_that_do_not_sum_to_one_are_rescaled_and_say_so() -> None:
    net = network(
        [node("a", "supplier"), node("b", "supplier"), node("k", "sku")],
        [("a", "k", 0.3), ("b", "k", 0.2)],
    )

    sku = net.concentration().skus["k"]

    assert sku.rescaled
    assert 0.5 == pytest.approx(sku.declared_share)
    assert {"a": 0.6, "b": 0.4} == pytest.approx(dict(sku.suppliers))
    assert 0.52 == pytest.approx(sku.hhi)  # 0.36 + 0.16


@pytest.mark.parametrize(
    ("hhi", "band"),
    [
        (0.0, ConcentrationBand.UNCONCENTRATED),
        (0.1499, ConcentrationBand.UNCONCENTRATED),
        (0.15, ConcentrationBand.MODERATE),  # 1,500 points: moderate (2010 §5.3)
        (0.25, ConcentrationBand.MODERATE),  # 2,500 points: still moderate
        (0.2501, ConcentrationBand.HIGH),
        (1.0, ConcentrationBand.HIGH),
    ],
)
def test_bands_follow_the_2010_merger_guidelines(
    hhi: float, band: ConcentrationBand
) -> None:
    assert band is ConcentrationBand.of(hhi)


def test_bands_take_other_thresholds_such_as_the_2023_guidelines() -> None:
    assert ConcentrationBand.HIGH is ConcentrationBand.of(
        0.2, moderate_from=0.10, high_above=0.18
    )
    assert HHI_POINTS == 10_000
    assert "高度集中" == ConcentrationBand.HIGH.labels.zh_hant
    assert all(isinstance(label, Labels) for label in TERMS.values())
    assert "多元化供應鏈管理" == TERMS["diversified_supply"].zh_hant


# --- single points of failure ---------------------------------------------------


def test_a_diamond_has_no_single_point_of_failure_below_the_top() -> None:
    points = diamond().single_points_of_failure()

    assert [("s", ("k",))] == [(p.node, p.cuts_off) for p in points]


def test_a_diamond_fed_by_two_suppliers_has_none() -> None:
    net = network(
        [
            node("s1", "supplier"),
            node("s2", "supplier"),
            node("w1", "warehouse"),
            node("w2", "warehouse"),
            node("k", "sku"),
        ],
        [("s1", "w1", 1.0), ("s2", "w2", 1.0), ("w1", "k", 0.5), ("w2", "k", 0.5)],
    )

    assert () == net.single_points_of_failure()


def test_in_a_chain_every_node_above_the_sku_is_a_single_point_of_failure() -> None:
    points = chain().single_points_of_failure()

    assert [("s", "supplier"), ("w", "warehouse")] == [(p.node, p.kind) for p in points]
    assert all(("k",) == p.cuts_off for p in points)
    assert all(p.revenue_share is None for p in points)  # no revenue given


def test_single_points_of_failure_rank_by_revenue_and_list_skus_sorted() -> None:
    points = {p.node: p for p in shop().single_points_of_failure()}

    # w alone feeds k1; k2 still has the kiln c. a, b, c are backed up.
    assert ["w"] == list(points)
    assert ("k1",) == points["w"].cuts_off
    assert 600.0 == points["w"].revenue_at_risk
    assert 0.6 == pytest.approx(points["w"].revenue_share)

    shared = network(
        [
            node("s", "supplier"),
            node("w", "warehouse"),
            node("t", "supplier"),
            node("z", "sku", revenue=1.0),
            node("y", "sku", revenue=1.0),
            node("x", "sku", revenue=5.0),
        ],
        [("s", "w", 1.0), ("w", "z", 1.0), ("w", "y", 1.0), ("t", "x", 1.0)],
    )
    ranked = [(p.node, p.cuts_off) for p in shared.single_points_of_failure()]
    assert [("t", ("x",)), ("s", ("y", "z")), ("w", ("y", "z"))] == ranked


# --- upstream exposure -------------------------------------------------------------


def test_upstream_exposure_multiplies_shares_along_paths_and_sums_paths() -> None:
    exposure = shop().upstream_exposure()

    assert ("k1", "k2") == exposure.demand
    assert ("a", "b", "c") == exposure.sources
    # by hand, see shop()
    expected = [[0.7, 0.3, 0.0], [0.35, 0.15, 0.5]]
    np.testing.assert_allclose(exposure.shares, expected, atol=1e-12)
    assert {"c": 0.5, "a": 0.35, "b": 0.15} == pytest.approx(dict(exposure.of("k2")))
    assert not exposure.shares.flags.writeable


def test_upstream_hhi_looks_through_the_warehouse_and_regions_group_sources() -> None:
    report = shop().concentration()
    k1, k2 = report.skus["k1"], report.skus["k2"]

    assert 1.0 == k1.hhi  # one warehouse
    assert 0.58 == pytest.approx(k1.upstream_hhi)  # 0.49 + 0.09
    assert 0.5 == pytest.approx(k2.hhi)  # w and c, half each
    assert 0.35**2 + 0.15**2 + 0.5**2 == pytest.approx(k2.upstream_hhi)
    # the fujian share sums the farms a and c
    assert {"fujian": 0.85, "yunnan": 0.15} == pytest.approx(dict(k2.regions))
    assert 0.85**2 + 0.15**2 == pytest.approx(k2.region_hhi)
    # overall, weighted by revenue 600 and 400
    assert (0.6 * 1.0 + 0.4 * 0.5) == pytest.approx(report.revenue_weighted_hhi)
    assert 0.75 == pytest.approx(report.mean_hhi)
    upstream = 0.6 * 0.58 + 0.4 * (0.35**2 + 0.15**2 + 0.5**2)
    assert upstream == pytest.approx(report.revenue_weighted_upstream_hhi)
    assert ["k1", "k2"] == [c.sku for c in report.ranked()]
    assert ["k1", "k2"] == [c.sku for c in report.ranked(upstream=True)]


def test_region_hhi_is_undefined_when_a_source_has_no_region() -> None:
    report = diamond().concentration()

    assert report.skus["k"].region_hhi is None
    assert {} == dict(report.skus["k"].regions)
    assert report.revenue_weighted_hhi is None  # no revenue given


def test_a_cycle_without_tiers_is_solved_as_a_linear_system() -> None:
    # w1 = 0.5 a + 0.5 w2, w2 = 0.5 w1 + 0.5 b  ⇒  w1 = 2/3 a + 1/3 b,
    # w2 = 1/3 a + 2/3 b; k = 0.6 w1 + 0.4 w2 = 8/15 a + 7/15 b.
    net = network(
        [
            node("a", "supplier"),
            node("b", "supplier"),
            node("w1", "warehouse"),
            node("w2", "warehouse"),
            node("k", "sku"),
        ],
        [
            ("a", "w1", 0.5),
            ("w2", "w1", 0.5),
            ("w1", "w2", 0.5),
            ("b", "w2", 0.5),
            ("w1", "k", 0.6),
            ("w2", "k", 0.4),
        ],
    )

    np.testing.assert_allclose(
        net.upstream_exposure().shares, [[8 / 15, 7 / 15]], atol=1e-12
    )
    # w1 at half output: w1 = 0.5(0.5 + 0.5 w2), w2 = 0.5 w1 + 0.5
    # ⇒ w1 = 3/7, w2 = 5/7, k = 0.6·3/7 + 0.4·5/7 = 19/35, so 16/35 is lost.
    hit = net.outage_impact({"w1": 0.5})
    assert 16 / 35 == pytest.approx(hit.lost_share["k"], abs=1e-11)
    assert () == net.single_points_of_failure()


def test_a_sku_fed_only_by_a_cycle_without_a_source_is_unsupplied() -> None:
    net = network(
        [
            node("s", "supplier"),
            node("k", "sku"),
            node("o1", "warehouse"),
            node("o2", "warehouse"),
            node("k2", "sku", revenue=5.0),
        ],
        [("s", "k", 1.0), ("o1", "o2", 1.0), ("o2", "o1", 1.0), ("o2", "k2", 1.0)],
    )

    assert ("k2",) == net.unsupplied
    assert ("s",) == net.sources
    assert ("k", "k2") == net.demand_nodes
    assert net.concentration().skus["k2"].upstream_hhi is None
    assert [("s", ("k",))] == [
        (p.node, p.cuts_off) for p in net.single_points_of_failure()
    ]
    hit = net.outage_impact(["o1"])  # k2 had nothing to lose
    assert {} == dict(hit.lost_share)
    assert 0.0 == hit.revenue_at_risk


# --- outage impact -----------------------------------------------------------------


def test_outage_of_a_supplier_loses_its_upstream_share() -> None:
    hit = shop().outage_impact(["a"])

    assert () == hit.fully_lost
    assert ("k1", "k2") == hit.partially_lost
    assert {"k1": 0.7, "k2": 0.35} == pytest.approx(dict(hit.lost_share))
    # by hand: 600·0.7 + 400·0.35 = 560 of 1,000
    assert 560.0 == pytest.approx(hit.revenue_at_risk)
    assert 0.56 == pytest.approx(hit.revenue_share)
    assert (0.7 + 0.35) / 2 == pytest.approx(hit.sku_share)
    assert {"a": 1.0} == dict(hit.failed)


def test_outage_of_the_warehouse_cuts_one_sku_off_and_halves_the_other() -> None:
    hit = shop().outage_impact(["w"])

    assert ("k1",) == hit.fully_lost
    assert ("k2",) == hit.partially_lost
    assert ("k1", "k2") == hit.affected
    assert {"k1": 1.0, "k2": 0.5} == pytest.approx(dict(hit.lost_share))
    assert 0.8 == pytest.approx(hit.revenue_share)  # (600 + 200) / 1,000


def test_a_regional_outage_and_a_partial_one() -> None:
    fujian = shop().outage_impact(["a", "c"])  # a typhoon in Fujian
    assert ("k1", "k2") == fujian.partially_lost
    assert {"k2": 0.85, "k1": 0.7} == pytest.approx(dict(fujian.lost_share))

    half = shop().outage_impact({"c": 0.5})  # the kiln at half capacity
    assert {"k2": 0.25} == pytest.approx(dict(half.lost_share))
    assert 0.1 == pytest.approx(half.revenue_share)  # 400·0.25 / 1,000


def test_a_failed_sku_is_lost_itself() -> None:
    hit = chain().outage_impact(["k"])

    assert ("k",) == hit.fully_lost
    assert hit.revenue_share is None


def test_outage_accepts_any_iterable_of_keys_and_repeats_are_one_failure() -> None:
    net = shop()

    assert net.outage_impact(iter(["a", "a"])) == net.outage_impact(("a",))


# --- validation --------------------------------------------------------------------


def test_unknown_node_in_a_link_is_reported_with_a_suggestion() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean 'warehouse-1'"):
        network(
            [node("s", "supplier"), node("warehouse-1", "warehouse")],
            [("s", "warehouse-l", 1.0)],
        )


def test_unknown_tier_is_reported_with_a_suggestion() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean 'warehouse'"):
        network(
            [node("s", "supplier"), node("w", "warehous")],
            [("s", "w", 1.0)],
            tiers=TIERS,
        )


def test_duplicate_node_keys_and_links_are_refused() -> None:
    with pytest.raises(DuplicateKeyError, match="'s'"):
        network(
            [node("s", "supplier"), node("s", "sku")],
            [("s", "s", 1.0)],
        )
    with pytest.raises(DuplicateKeyError, match="'s -> k'"):
        network(
            [node("s", "supplier"), node("k", "sku")],
            [("s", "k", 0.5), ("s", "k", 0.5)],
        )


def test_shares_into_a_node_above_one_are_refused_naming_the_node() -> None:
    with pytest.raises(
        ValidationError, match="'links' must be shares flowing into 'k'"
    ):
        network(
            [node("a", "supplier"), node("b", "supplier"), node("k", "sku")],
            [("a", "k", 0.7), ("b", "k", 0.4)],
        )
    # rounding slack is allowed
    network(
        [node(x, "supplier") for x in "abc"] + [node("k", "sku")],
        [("a", "k", 1 / 3), ("b", "k", 1 / 3), ("c", "k", 1 / 3 + 1e-9)],
    )


def test_a_cycle_is_refused_when_tiers_are_declared() -> None:
    nodes = [
        node("s", "supplier"),
        node("w1", "warehouse"),
        node("w2", "warehouse"),
        node("k", "sku"),
    ]
    links = [
        ("s", "w1", 0.5),
        ("w1", "w2", 0.5),
        ("w2", "w1", 0.5),
        ("s", "w2", 0.5),
        ("w2", "k", 1.0),
    ]
    with pytest.raises(ValidationError, match="'links' must be a network without"):
        network(nodes, links, tiers=TIERS)
    assert ("k",) == network(nodes, links).demand_nodes  # allowed without tiers


def test_a_link_against_the_tier_order_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"'links\[1\]'.*back to a 'supplier'"):
        network(
            [node("s", "supplier"), node("w", "warehouse"), node("t", "supplier")],
            [("s", "w", 1.0), ("w", "t", 1.0)],
            tiers=TIERS,
        )
    # a link within one tier and one that skips a tier are fine
    network(
        [
            node("s", "supplier"),
            node("w1", "warehouse"),
            node("w2", "warehouse"),
            node("k", "sku"),
        ],
        [("s", "w1", 1.0), ("w1", "w2", 1.0), ("w2", "k", 0.5), ("s", "k", 0.5)],
        tiers=TIERS,
    )


AB = [link("a", "b", 1.0)]


@pytest.mark.parametrize(
    ("nodes", "links", "error", "field"),
    [
        ([], AB, ValidationError, "'nodes'"),
        ([node("a", "supplier")], [], ValidationError, "'links'"),
        ("ab", AB, InvalidTypeError, "'nodes'"),
        ([("a", "supplier")], AB, InvalidTypeError, r"'nodes\[0\]'"),
        ([node("a", "supplier")], [("a", "b", 1.0)], InvalidTypeError, r"'links\[0\]'"),
        (
            [node("a", "supplier"), node("b", "sku")],
            [link("a", "a", 1.0)],
            ValidationError,
            r"'links\[0\]' must be a link between two different",
        ),
        (
            [node("a", "supplier"), node("b", "sku"), node("c", "sku")],
            AB,
            ValidationError,
            r"'nodes\[2\]' must be a node that takes part",
        ),
        (
            [node("a", "supplier"), node("b", "warehouse")],
            [link("a", "b", 0.5), link("b", "a", 0.5)],
            ValidationError,
            "'links' must be links that leave at least one demand node",
        ),
        (
            [node("a", "supplier", revenue=5.0), node("b", "sku")],
            AB,
            ValidationError,
            r"'nodes\[0\].revenue'",
        ),
    ],
)
def test_bad_networks_are_refused_naming_the_field(
    nodes: Any, links: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        SupplyNetwork(nodes=nodes, links=links)


@pytest.mark.parametrize(
    ("tiers", "error"),
    [
        ((), ValidationError),
        (("Supplier", "sku"), ValidationError),
        ("supplier", InvalidTypeError),
    ],
)
def test_bad_tiers_are_refused(tiers: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="'tiers"):
        network(
            [node("a", "supplier"), node("b", "sku")], [("a", "b", 1.0)], tiers=tiers
        )


def test_a_repeated_tier_is_a_duplicate_key_like_a_repeated_node() -> None:
    # the same kind of mistake raises the same error across the risk package
    with pytest.raises(DuplicateKeyError, match="duplicate tier 'supplier'"):
        network(
            [node("a", "supplier"), node("b", "sku")],
            [("a", "b", 1.0)],
            tiers=("supplier", "supplier", "sku"),
        )


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"key": " ", "kind": "sku"}, ValidationError, "'key'"),
        ({"key": 3, "kind": "sku"}, InvalidTypeError, "'key'"),
        ({"key": "a", "kind": "Supplier"}, ValidationError, "'kind'"),
        ({"key": "a", "kind": "sku", "revenue": -1.0}, ValidationError, "'revenue'"),
        (
            {"key": "a", "kind": "sku", "revenue": math.nan},
            ValidationError,
            "'revenue'",
        ),
        ({"key": "a", "kind": "sku", "revenue": True}, InvalidTypeError, "'revenue'"),
        ({"key": "a", "kind": "sku", "region": ""}, ValidationError, "'region'"),
        ({"key": "a", "kind": "sku", "labels": "tea"}, InvalidTypeError, "'labels'"),
    ],
)
def test_bad_nodes_are_refused(
    fields: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        SupplyNode(**fields)


@pytest.mark.parametrize(
    ("share", "error"),
    [
        (0.0, ValidationError),
        (-0.1, ValidationError),
        (1.5, ValidationError),
        (math.nan, ValidationError),
        (math.inf, ValidationError),
        ("0.5", InvalidTypeError),
        (True, InvalidTypeError),
    ],
)
def test_bad_link_shares_are_refused(share: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="'share'"):
        SupplyLink(source="a", target="b", share=share)
    with pytest.raises(InvalidTypeError, match="'source'"):
        SupplyLink(source=None, target="b", share=0.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("failed", "error", "match"),
    [
        ("a", InvalidTypeError, "'failed'"),
        (3, InvalidTypeError, "'failed'"),
        ([], ValidationError, "'failed' must be at least one node key"),
        ({}, ValidationError, "'failed'"),
        (["aa"], UnknownKeyError, "did you mean 'a'"),
        ([1], InvalidTypeError, "'failed'"),
        ({"a": 0.0}, ValidationError, r"failed\['a'\]. must be a fraction"),
        ({"a": 1.5}, ValidationError, r"failed\['a'\]"),
        ({"a": math.nan}, ValidationError, r"failed\['a'\]"),
        ({"a": "all"}, InvalidTypeError, r"failed\['a'\]"),
    ],
)
def test_bad_outages_are_refused_and_change_nothing(
    failed: Any, error: type[Exception], match: str
) -> None:
    net = shop()
    before = (net.concentration(), net.single_points_of_failure())

    with pytest.raises(error, match=match):
        net.outage_impact(failed)

    assert before == (net.concentration(), net.single_points_of_failure())
    assert net == shop()


def test_bad_lookups_and_helpers_are_refused() -> None:
    net = shop()
    with pytest.raises(UnknownKeyError, match="did you mean 'k1'"):
        net.node("k11")
    with pytest.raises(InvalidTypeError, match="'key'"):
        net.node(1)  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="demand node"):
        net.upstream_exposure().of("w")
    with pytest.raises(InvalidTypeError, match="'upstream'"):
        net.concentration().ranked(upstream="yes")  # type: ignore[arg-type]
    for bad in ([], [[0.5, 0.5]], [-0.1, 1.1], [0.0, 0.0], [math.nan]):
        with pytest.raises(ValidationError, match="'shares'"):
            herfindahl_index(bad)
    for wrong in ("0.5", None, 0.5, ["a"]):
        with pytest.raises(InvalidTypeError, match="'shares'"):
            herfindahl_index(wrong)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'hhi'"):
        ConcentrationBand.of(1.2)
    with pytest.raises(ValidationError, match="'moderate_from'"):
        ConcentrationBand.of(0.2, moderate_from=0.3, high_above=0.2)


def test_results_refuse_bad_values() -> None:
    with pytest.raises(ValidationError, match="'shares'"):
        UpstreamExposure(demand=["k"], sources=["a", "b"], shares=[[1.0]])
    with pytest.raises(ValidationError, match="'shares'"):
        UpstreamExposure(demand=["k"], sources=["a"], shares=[[1.5]])
    with pytest.raises(ValidationError, match="'cuts_off'"):
        SinglePointOfFailure(
            node="s",
            kind="supplier",
            cuts_off=[],
            revenue_at_risk=0.0,
            revenue_share=None,
        )
    with pytest.raises(ValidationError, match=r"lost_share\['k'\]"):
        OutageImpact(
            failed={"a": 1.0},
            lost_share={"k": 2.0},
            fully_lost=[],
            partially_lost=["k"],
            revenue_at_risk=0.0,
            revenue_share=None,
            sku_share=0.5,
        )
    with pytest.raises(ValidationError, match=r"skus\['x'\]"):
        ConcentrationReport(
            skus={"x": shop().concentration().skus["k1"]},
            mean_hhi=0.5,
            revenue_weighted_hhi=None,
            revenue_weighted_upstream_hhi=None,
        )


def test_a_sku_concentration_refuses_bad_values() -> None:
    good = shop().concentration().skus["k2"]
    fields: dict[str, Any] = {
        "sku": good.sku,
        "suppliers": good.suppliers,
        "declared_share": good.declared_share,
        "hhi": good.hhi,
        "upstream": good.upstream,
        "upstream_hhi": good.upstream_hhi,
        "regions": good.regions,
        "region_hhi": good.region_hhi,
    }
    assert good == SkuConcentration(**fields)
    for name, bad, error in [
        ("hhi", 1.5, ValidationError),
        ("upstream_hhi", -0.1, ValidationError),
        ("suppliers", [0.5], InvalidTypeError),
        ("regions", {"east": 2.0}, ValidationError),
        ("declared_share", math.nan, ValidationError),
    ]:
        with pytest.raises(error, match=name):
            SkuConcentration(**{**fields, name: bad})


def test_graph_is_a_fresh_copy() -> None:
    net = shop()
    graph = net.graph()
    graph.remove_node("w")
    graph.add_edge("a", "k1", share=1.0)

    assert ("w",) == tuple(p.node for p in net.single_points_of_failure())
    assert 0.7 == net.graph().edges["a", "w"]["share"]
    assert "fujian" == net.graph().nodes["a"]["region"]


# --- generated networks: invariants ------------------------------------------------


@st.composite
def networks(draw: st.DrawFn, *, cycles: bool = False) -> SupplyNetwork:
    """Draw a tiered network; with ``cycles``, links within a tier too (no tiers)."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    tiers = [f"t{t}" for t in range(len(sizes))]
    keys = [[f"n{t}_{i}" for i in range(size)] for t, size in enumerate(sizes)]
    nodes = [
        SupplyNode(
            key=key,
            kind=tiers[t],
            region=draw(st.sampled_from(["east", "west"])) if t == 0 else None,
        )
        for t, layer in enumerate(keys)
        for key in layer
    ]
    links: list[SupplyLink] = []
    used: set[str] = set()
    for t in range(1, len(keys)):
        upstream = [k for layer in keys[:t] for k in layer]
        for key in keys[t]:
            chosen = draw(
                st.lists(st.sampled_from(upstream), min_size=1, max_size=3, unique=True)
            )
            if cycles and t < len(keys) - 1:
                peers = [k for k in keys[t] if k != key]
                if peers:
                    chosen += draw(st.lists(st.sampled_from(peers), max_size=1))
            weights = draw(
                st.lists(st.integers(1, 5), min_size=len(chosen), max_size=len(chosen))
            )
            scale = draw(st.sampled_from([1.0, 0.8]))
            links += [
                SupplyLink(source=s, target=key, share=scale * w / sum(weights))
                for s, w in zip(chosen, weights, strict=True)
            ]
            used.update(chosen)
            used.add(key)
    # nodes nothing links to or from would be refused: drop unused sources
    nodes = [n for n in nodes if n.key in used]
    demand = {n.key for n in nodes} - {lk.source for lk in links}
    revenue = draw(
        st.lists(st.integers(0, 9), min_size=len(nodes), max_size=len(nodes))
    )
    nodes = [
        SupplyNode(key=n.key, kind=n.kind, region=n.region, revenue=float(r))
        if n.key in demand
        else n
        for n, r in zip(nodes, revenue, strict=True)
    ]
    return SupplyNetwork(nodes=nodes, links=links, tiers=None if cycles else tiers)


any_networks = st.one_of(networks(), networks(cycles=True))


@settings(max_examples=60, deadline=None)
@given(any_networks)
def test_dominators_agree_with_removing_each_node(net: SupplyNetwork) -> None:
    points = {p.node: set(p.cuts_off) for p in net.single_points_of_failure()}

    for each in net.nodes:
        cut = set(net.outage_impact([each.key]).fully_lost) - {each.key}
        assert points.get(each.key, set()) == cut, each.key


@settings(max_examples=60, deadline=None)
@given(any_networks)
def test_upstream_exposure_of_a_fully_supplied_sku_sums_to_one(
    net: SupplyNetwork,
) -> None:
    exposure = net.upstream_exposure()

    assert () == net.unsupplied
    np.testing.assert_allclose(exposure.shares.sum(axis=1), 1.0, atol=1e-9)
    report = net.concentration()
    for item in report.skus.values():
        # HHI lies between 1/n (n equal shares) and 1
        assert 1 / len(item.suppliers) - 1e-12 <= item.hhi <= 1.0
        assert item.upstream_hhi is not None
        assert 1 / len(exposure.sources) - 1e-12 <= item.upstream_hhi <= 1.0


@settings(max_examples=60, deadline=None)
@given(any_networks, st.data())
def test_losing_sources_loses_exactly_their_exposure(
    net: SupplyNetwork, data: st.DataObject
) -> None:
    exposure = net.upstream_exposure()
    failed = data.draw(
        st.lists(st.sampled_from(exposure.sources), min_size=1, unique=True)
    )
    columns = [exposure.sources.index(s) for s in failed]

    hit = net.outage_impact(failed)

    expected = exposure.shares[:, columns].sum(axis=1)
    actual = [hit.lost_share.get(k, 0.0) for k in exposure.demand]
    np.testing.assert_allclose(actual, expected, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(any_networks, st.data())
def test_failing_more_nodes_never_loses_less(
    net: SupplyNetwork, data: st.DataObject
) -> None:
    keys = [n.key for n in net.nodes]
    some = data.draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
    more = some + data.draw(st.lists(st.sampled_from(keys), unique=True))

    small, large = net.outage_impact(some), net.outage_impact(more)

    for sku in net.demand_nodes:
        assert small.lost_share.get(sku, 0.0) <= large.lost_share.get(sku, 0.0) + 1e-9
    assert set(small.fully_lost) <= set(large.fully_lost)
    assert small.revenue_at_risk <= large.revenue_at_risk + 1e-9


@settings(max_examples=60, deadline=None)
@given(any_networks, st.data())
def test_splitting_a_supplier_with_a_parallel_one_never_raises_the_hhi(
    net: SupplyNetwork, data: st.DataObject
) -> None:
    sku = data.draw(st.sampled_from(net.demand_nodes))
    into = [lk for lk in net.links if lk.target == sku]
    old = data.draw(st.sampled_from(into))
    part = data.draw(st.floats(0.05, 0.95))
    backup = SupplyNode(key="backup", kind=net.node(old.source).kind)
    links = [lk for lk in net.links if lk != old] + [
        SupplyLink(source=old.source, target=sku, share=old.share * part),
        SupplyLink(source="backup", target=sku, share=old.share * (1 - part)),
    ]
    wider = SupplyNetwork(nodes=[*net.nodes, backup], links=links, tiers=net.tiers)

    before = net.concentration().skus[sku].hhi
    after = wider.concentration().skus[sku].hhi
    assert after < before + 1e-12


@settings(max_examples=40, deadline=None)
@given(any_networks, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_nodes_and_links(
    net: SupplyNetwork, random: Any
) -> None:
    nodes, links = list(net.nodes), list(net.links)
    random.shuffle(nodes)
    random.shuffle(links)
    shuffled = SupplyNetwork(nodes=nodes, links=links, tiers=net.tiers)
    some = [net.nodes[0].key]

    assert net.single_points_of_failure() == shuffled.single_points_of_failure()
    assert net.outage_impact(some) == shuffled.outage_impact(some)
    one, other = net.concentration(), shuffled.concentration()
    for sku, item in one.skus.items():
        assert item.hhi == pytest.approx(other.skus[sku].hhi, abs=1e-12)
        assert item.upstream_hhi == pytest.approx(other.skus[sku].upstream_hhi)


# --- plain data ----------------------------------------------------------------------


def _round_trip(value: Any) -> Any:
    document = json.loads(json.dumps(to_data(value), allow_nan=False))
    return from_data(type(value), document)


@settings(max_examples=40, deadline=None)
@given(any_networks)
def test_networks_and_results_round_trip_through_plain_data(
    net: SupplyNetwork,
) -> None:
    back = _round_trip(net)

    assert net == back
    assert net.single_points_of_failure() == back.single_points_of_failure()
    results: list[Any] = [
        net.concentration(),
        net.upstream_exposure(),
        net.outage_impact([net.nodes[0].key]),
        *net.single_points_of_failure(),
    ]
    for result in results:
        assert result == _round_trip(result)


def test_numpy_numbers_are_stored_as_plain_floats() -> None:
    share = SupplyLink(source="a", target="b", share=np.float32(0.5))
    whole = SupplyLink(source="a", target="b", share=1)
    sku = SupplyNode(key="k", kind="sku", revenue=np.int64(5))

    assert (0.5, float) == (share.share, type(share.share))
    assert (1.0, float) == (whole.share, type(whole.share))
    assert (5.0, float) == (sku.revenue, type(sku.revenue))
    assert sku == _round_trip(sku)
    # 0.2 as a float32 is 0.2000000029802322: moderate, from 0.15 to 0.25
    assert ConcentrationBand.MODERATE is ConcentrationBand.of(np.float32(0.2))
    with pytest.raises(InvalidTypeError, match="'shares'"):
        herfindahl_index(np.array([True, False]))  # bool is not a share
    with pytest.raises(InvalidTypeError, match="'share'"):
        SupplyLink(source="a", target="b", share=np.True_)  # type: ignore[arg-type]


def test_a_node_with_labels_round_trips() -> None:
    tea = SupplyNode(
        key="sku-tea",
        kind="sku",
        labels=Labels(en="Oolong tea", zh_hant="烏龍茶", zh_hans="乌龙茶"),
        revenue=12.5,
        region="fujian",
    )

    assert tea == _round_trip(tea)
    assert isinstance(shop().concentration().skus["k1"], SkuConcentration)
