"""Where a tea shop's supply can break, and what diversifying buys (book §2.3).

Run it with ``python examples/supply_network_risk.py``. The book's supply-chain
crisis (供應鏈危機) begins with the risk of a broken chain (供應鏈斷裂風險) and
answers it first with diversified supply:

    (1)多元化供應鏈管理:分散供應商風險,避免過度依賴單一供應商或地區。

    (Diversified supply-chain management: spread supplier risk; avoid
    over-reliance on a single supplier or region.)

This script measures that advice for an online tea shop. It

1. builds the shop's network: four tea farms and a porcelain kiln supply two
   warehouses, which stock four SKUs; the cups are drop-shipped by the kiln;
2. lists the single points of failure (單點故障): nodes whose loss alone leaves
   a SKU with no supply at all;
3. prints each SKU's supplier concentration (Herfindahl–Hirschman index) over
   its direct suppliers, over the farms its goods really come from, and over
   their regions, with the merger-guidelines bands;
4. plays outages: each supplier in turn, a typhoon over Fujian, the kiln at
   half capacity, and reports the SKUs and revenue hit;
5. diversifies (a second kiln, the black tea stocked in both warehouses, a
   Yunnan farm for the oolong) and compares.

Everything is computed in memory: no files, no clock, the same output on every
run. With ``--plots DIR`` (needs ``pip install 'crisisops[viz]'``) it also
saves maps of the network there as PNG files: a typhoon over Fujian on the
network as it is, and on the diversified one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from _plots import plots_directory, save_figures

from crisisops.labels import Labels
from crisisops.risk.supply import (
    HHI_POINTS,
    TERMS,
    OutageImpact,
    SupplyLink,
    SupplyNetwork,
    SupplyNode,
)
from crisisops.viz import supply_network_map

TIERS = ("supplier", "warehouse", "sku")

#: Yearly revenue per SKU, in thousands of CNY.
REVENUE = {
    "oolong-250g": 1_200.0,
    "black-tea-100g": 500.0,
    "puer-cake": 800.0,
    "tea-cup": 300.0,
}


def labels(en: str, zh_hant: str, zh_hans: str) -> Labels:
    """Name something in English, 繁體 and 简体."""
    return Labels(en=en, zh_hant=zh_hant, zh_hans=zh_hans)


def supplier(key: str, region: str, name: Labels) -> SupplyNode:
    """Return a top-tier supplier in ``region``."""
    return SupplyNode(key=key, kind="supplier", region=region, labels=name)


def sku(key: str, name: Labels) -> SupplyNode:
    """Return a SKU carrying its yearly revenue."""
    return SupplyNode(key=key, kind="sku", revenue=REVENUE[key], labels=name)


NODES = [
    supplier("farm-anxi", "fujian", labels("Anxi farm", "安溪茶園", "安溪茶园")),
    supplier("farm-wuyi", "fujian", labels("Wuyi farm", "武夷茶園", "武夷茶园")),
    supplier("farm-menghai", "yunnan", labels("Menghai farm", "勐海茶園", "勐海茶园")),
    supplier(
        "kiln-jingdezhen", "jiangxi", labels("Jingdezhen kiln", "景德鎮窯", "景德镇窑")
    ),
    SupplyNode(key="wh-east", kind="warehouse", region="zhejiang"),
    SupplyNode(key="wh-south", kind="warehouse", region="guangdong"),
    sku("oolong-250g", labels("Oolong 250 g", "烏龍茶 250 克", "乌龙茶 250 克")),
    sku("black-tea-100g", labels("Black tea 100 g", "紅茶 100 克", "红茶 100 克")),
    sku("puer-cake", labels("Pu'er cake", "普洱茶餅", "普洱茶饼")),
    sku("tea-cup", labels("Tea cup", "茶杯", "茶杯")),
]

LINKS = [
    ("farm-anxi", "wh-east", 0.6),
    ("farm-wuyi", "wh-east", 0.4),
    ("farm-anxi", "wh-south", 0.2),
    ("farm-menghai", "wh-south", 0.8),
    ("wh-east", "oolong-250g", 0.7),
    ("wh-south", "oolong-250g", 0.3),
    ("wh-east", "black-tea-100g", 1.0),
    ("wh-south", "puer-cake", 1.0),
    ("kiln-jingdezhen", "tea-cup", 1.0),
]


def build(
    nodes: list[SupplyNode], links: list[tuple[str, str, float]]
) -> SupplyNetwork:
    """Build the tiered network from nodes and (source, target, share) triples."""
    return SupplyNetwork(
        nodes=nodes,
        links=[SupplyLink(source=s, target=t, share=x) for s, t, x in links],
        tiers=TIERS,
    )


def diversified() -> SupplyNetwork:
    """Add a second kiln, stock black tea in both warehouses, add a Yunnan farm."""
    nodes = [
        *NODES,
        supplier("kiln-dehua", "fujian", labels("Dehua kiln", "德化窯", "德化窑")),
        supplier(
            "farm-fengqing", "yunnan", labels("Fengqing farm", "鳳慶茶園", "凤庆茶园")
        ),
    ]
    changed = {
        ("farm-anxi", "wh-east"): 0.45,
        ("farm-wuyi", "wh-east"): 0.3,
        ("wh-east", "black-tea-100g"): 0.6,
        ("kiln-jingdezhen", "tea-cup"): 0.5,
    }
    links = [(s, t, changed.get((s, t), x)) for s, t, x in LINKS]
    links += [
        ("farm-fengqing", "wh-east", 0.25),
        ("wh-south", "black-tea-100g", 0.4),
        ("kiln-dehua", "tea-cup", 0.5),
    ]
    return build(nodes, links)


# --- printing ---------------------------------------------------------------


def display_width(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns."""
    return text + " " * max(width - display_width(text), 0)


def print_table(rows: list[list[str]]) -> None:
    """Print rows as aligned columns; the first row is the header."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        print("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))


def percent(value: float | None) -> str:
    """Format a share as a whole percentage."""
    return "n/a" if value is None else f"{100 * value:.0f}%"


def points(value: float | None) -> str:
    """Format an HHI (0-1) on the 0-10,000 scale of the merger guidelines."""
    return "n/a" if value is None else f"{value * HHI_POINTS:,.0f}"


def heading(text: str) -> None:
    """Print an underlined section heading."""
    print()
    print(text)
    print("=" * display_width(text))


def print_network(network: SupplyNetwork) -> None:
    """Print the size of the network and the revenue it carries."""
    kinds = [node.kind for node in network.nodes]
    counts = ", ".join(f"{kinds.count(tier)} {tier}s" for tier in TIERS)
    total = sum(REVENUE.values())
    print(f"Tiers: {' -> '.join(TIERS)} ({counts}); {len(network.links)} links")
    print(f"Yearly revenue: {total:,.0f} thousand CNY over {len(REVENUE)} SKUs")


def print_single_points(network: SupplyNetwork) -> None:
    """Print every node whose loss alone cuts a SKU off."""
    term = TERMS["single_point_of_failure"]
    heading(f"{term.en} ({term.zh_hant})")
    rows = [["node", "kind", "cuts off", "revenue at risk"]]
    rows += [
        [
            point.node,
            point.kind,
            ", ".join(point.cuts_off),
            f"{point.revenue_at_risk:,.0f} ({percent(point.revenue_share)})",
        ]
        for point in network.single_points_of_failure()
    ]
    print_table(rows)


def print_concentration(network: SupplyNetwork) -> None:
    """Print each SKU's HHI, most concentrated upstream first."""
    term = TERMS["supplier_concentration"]
    heading(f"{term.en} ({term.zh_hant}), HHI on the 0-10,000 scale")
    report = network.concentration()
    rows = [
        ["SKU", "direct HHI", "band", "eff. suppliers", "upstream HHI", "region HHI"]
    ]
    rows += [
        [
            item.sku,
            points(item.hhi),
            item.band.labels.zh_hant,
            f"{item.effective_suppliers:.1f}",
            points(item.upstream_hhi),
            points(item.region_hhi),
        ]
        for item in report.ranked(upstream=True)
    ]
    print_table(rows)
    print(
        f"Revenue-weighted HHI: direct {points(report.revenue_weighted_hhi)}, "
        f"upstream {points(report.revenue_weighted_upstream_hhi)}"
    )
    oolong = report.skus["oolong-250g"]
    farms = ", ".join(f"{k} {percent(v)}" for k, v in oolong.upstream.items())
    regions = ", ".join(f"{k} {percent(v)}" for k, v in oolong.regions.items())
    print(f"oolong-250g comes from: {farms}; by region: {regions}")


def outage_row(name: str, hit: OutageImpact) -> list[str]:
    """Return one row of the outage table."""
    partial = ", ".join(f"{k} {percent(hit.lost_share[k])}" for k in hit.partially_lost)
    return [
        name,
        ", ".join(hit.fully_lost) or "-",
        partial or "-",
        percent(hit.revenue_share),
    ]


def print_outages(network: SupplyNetwork) -> None:
    """Print what each supplier outage, a regional one and a partial one hit."""
    term = TERMS["supply_chain_breakage"]
    heading(f"Outages ({term.zh_hant})")
    rows = [["outage", "fully lost", "partly lost (share of supply)", "revenue hit"]]
    rows += [
        outage_row(f"{key} fails", network.outage_impact([key]))
        for key in network.sources
    ]
    fujian = [
        n.key for n in network.nodes if n.region == "fujian" and n.kind == "supplier"
    ]
    rows.append(outage_row("typhoon over Fujian", network.outage_impact(fujian)))
    rows.append(
        outage_row(
            "kiln-jingdezhen at 50%",
            network.outage_impact({"kiln-jingdezhen": 0.5}),
        )
    )
    print_table(rows)


def print_comparison(before: SupplyNetwork, after: SupplyNetwork) -> None:
    """Print the measures before and after diversifying."""
    term = TERMS["diversified_supply"]
    heading(f"After diversifying ({term.zh_hant})")
    one, other = before.concentration(), after.concentration()
    fujian = ["farm-anxi", "farm-wuyi"]
    after_fujian = [*fujian, "kiln-dehua"]
    rows = [["measure", "before", "after"]]
    rows.append(
        [
            "single points of failure",
            str(len(before.single_points_of_failure())),
            str(len(after.single_points_of_failure())),
        ]
    )
    rows.append(
        [
            "revenue-weighted direct HHI",
            points(one.revenue_weighted_hhi),
            points(other.revenue_weighted_hhi),
        ]
    )
    rows.append(
        [
            "revenue-weighted upstream HHI",
            points(one.revenue_weighted_upstream_hhi),
            points(other.revenue_weighted_upstream_hhi),
        ]
    )
    rows.append(
        [
            "revenue hit by a Fujian typhoon",
            percent(before.outage_impact(fujian).revenue_share),
            percent(after.outage_impact(after_fujian).revenue_share),
        ]
    )
    print_table(rows)
    print("Remaining single points of failure after diversifying:")
    for point in after.single_points_of_failure():
        print(f"  {point.node} -> {', '.join(point.cuts_off)}")


def fujian_suppliers(network: SupplyNetwork) -> list[str]:
    """Return the suppliers a typhoon over Fujian stops."""
    return [
        n.key for n in network.nodes if n.region == "fujian" and n.kind == "supplier"
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Tell the story: network, weak points, concentration, outages, remedy."""
    plots = plots_directory(argv, __doc__)
    network = build(NODES, LINKS)
    crisis = TERMS["supply_chain_crisis"]
    print(f"Teahouse online shop: {crisis.en} ({crisis.zh_hant}) risk")
    print_network(network)
    print_single_points(network)
    print_concentration(network)
    print_outages(network)
    print_comparison(network, diversified())
    if plots is not None:
        after = diversified()
        save_figures(
            plots,
            {
                f"supply_{name}.png": supply_network_map(
                    shape,
                    outage=shape.outage_impact(fujian_suppliers(shape)),
                    title=f"A typhoon over Fujian, {name} diversifying",
                )
                for name, shape in (("before", network), ("after", after))
            },
        )


if __name__ == "__main__":
    main()
