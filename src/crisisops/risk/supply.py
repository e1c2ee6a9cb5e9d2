"""Supply-network risk: single points of failure, concentration, outages (book §2.3).

The book's supply-chain crisis (book §2.3 供應鏈危機) starts with the risk of a
broken chain (供應鏈斷裂風險: a supplier's production problem, a logistics
delay or a natural disaster leaves goods short), and its first remedy is
diversified supply (多元化供應鏈管理):

    分散供應商風險,避免過度依賴單一供應商或地區。
    Spread supplier risk; avoid over-reliance on a single supplier or region.

Book §4 (分析危機原因和影響范圍) then asks, for the impact scope, whether a
crisis reaches key suppliers and logistics channels, and what chain reaction
(連鎖反應) may follow. This module makes both measurable on a graph of
suppliers → warehouses → SKUs (or any tiers):

* `SupplyNetwork` holds `SupplyNode`s and `SupplyLink`s; a link's ``share``
  is the fraction of the target's supply that comes from the source.
* `SupplyNetwork.single_points_of_failure()` finds every node whose loss
  alone cuts at least one SKU off from all supply (單點故障), from the
  dominator tree of the network.
* `SupplyNetwork.concentration()` measures how diversified each SKU's supply
  is with the Herfindahl–Hirschman index (HHI), over its direct suppliers,
  over the origin suppliers its goods ultimately come from, and over their
  regions (地區).
* `SupplyNetwork.outage_impact()` says which SKUs lose all or part of their
  supply, and which share of revenue is hit, when given nodes fail.

*Sources* (origins of supply) are the nodes no link flows into: raw-material
suppliers, or any node whose own supply is not modelled. *Demand nodes*
(SKUs) are the nodes that flow into no other node. The shares flowing into a
node may sum to less than 1 (part of its supply is not recorded); they are
then rescaled to sum to 1 (the recorded suppliers are taken to stand for the
whole supply), and `SkuConcentration.declared_share` keeps the sum as given.
Supply flowing into a node is treated as interchangeable: losing a supplier
of 30% loses 30%. A bill of materials, where a SKU needs every one of its
parts, is not modelled.

Examples
--------
Two tea farms ship to one warehouse that packs the tea SKU; the cup SKU has a
single supplier.

>>> from crisisops.risk.supply import SupplyLink, SupplyNetwork, SupplyNode
>>> network = SupplyNetwork(
...     nodes=[
...         SupplyNode(key="farm-a", kind="supplier", region="fujian"),
...         SupplyNode(key="farm-b", kind="supplier", region="yunnan"),
...         SupplyNode(key="kiln", kind="supplier", region="jiangxi"),
...         SupplyNode(key="wh-east", kind="warehouse"),
...         SupplyNode(key="sku-tea", kind="sku", revenue=800.0),
...         SupplyNode(key="sku-cup", kind="sku", revenue=200.0),
...     ],
...     links=[
...         SupplyLink(source="farm-a", target="wh-east", share=0.7),
...         SupplyLink(source="farm-b", target="wh-east", share=0.3),
...         SupplyLink(source="wh-east", target="sku-tea", share=1.0),
...         SupplyLink(source="kiln", target="sku-cup", share=1.0),
...     ],
...     tiers=["supplier", "warehouse", "sku"],
... )

Two farms feed the tea, but one warehouse packs all of it and one kiln makes
every cup: each is a `SinglePointOfFailure`, most revenue at risk first.

>>> from crisisops.risk.supply import SinglePointOfFailure
>>> warehouse, kiln = network.single_points_of_failure()
>>> warehouse == SinglePointOfFailure(
...     node="wh-east",
...     kind="warehouse",
...     cuts_off=["sku-tea"],
...     revenue_at_risk=800.0,
...     revenue_share=0.8,
... )
True
>>> kiln.node, kiln.cuts_off, kiln.revenue_share
('kiln', ('sku-cup',), 0.2)

Looking through the warehouse (`UpstreamExposure`), 70 % of the tea comes
from farm A:

>>> from crisisops.risk.supply import UpstreamExposure
>>> exposure: UpstreamExposure = network.upstream_exposure()
>>> exposure.demand, exposure.sources
(('sku-cup', 'sku-tea'), ('farm-a', 'farm-b', 'kiln'))
>>> exposure.shares.tolist()
[[0.0, 0.0, 1.0], [0.7, 0.3, 0.0]]
>>> dict(exposure.of("sku-tea"))  # largest first
{'farm-a': 0.7, 'farm-b': 0.3}

By direct supplier both SKUs are single-sourced (HHI 1). The
`ConcentrationReport` also looks upstream, one `SkuConcentration` per SKU:
the tea's farms give an HHI of 0.7² + 0.3² = 0.58, about 1.72 equal
suppliers, still highly concentrated:

>>> from crisisops.risk.supply import ConcentrationReport, SkuConcentration
>>> report: ConcentrationReport = network.concentration()
>>> report.mean_hhi, report.revenue_weighted_hhi
(1.0, 1.0)
>>> [sku.sku for sku in report.ranked(upstream=True)]  # the cup's one kiln first
['sku-cup', 'sku-tea']
>>> round(report.revenue_weighted_upstream_hhi, 3)  # (200 × 1 + 800 × 0.58) / 1000
0.664
>>> tea: SkuConcentration = report.skus["sku-tea"]
>>> tea.hhi, dict(tea.suppliers), dict(tea.upstream)
(1.0, {'wh-east': 1.0}, {'farm-a': 0.7, 'farm-b': 0.3})
>>> round(tea.upstream_hhi, 2), round(tea.upstream_effective_suppliers, 2)
(0.58, 1.72)
>>> tea.upstream_band.name, dict(tea.regions), tea.rescaled
('HIGH', {'fujian': 0.7, 'yunnan': 0.3}, False)

What an outage does (`OutageImpact`, 連鎖反應): farm A alone costs 70 % of
the tea; with the kiln, every cup as well:

>>> outage = network.outage_impact(["farm-a"])
>>> outage.fully_lost, dict(outage.lost_share), round(outage.revenue_share, 2)
((), {'sku-tea': 0.7}, 0.56)
>>> from crisisops.risk.supply import OutageImpact
>>> impact: OutageImpact = network.outage_impact(["farm-a", "kiln"])
>>> impact.fully_lost, impact.partially_lost, dict(impact.lost_share)
(('sku-cup',), ('sku-tea',), {'sku-cup': 1.0, 'sku-tea': 0.7})
>>> impact.revenue_at_risk, impact.revenue_share  # 200 × 1 + 800 × 0.7
(760.0, 0.76)
>>> impact.sku_share, impact.affected  # (1 + 0.7) / 2
(0.85, ('sku-cup', 'sku-tea'))

The tea's HHI on the merger guidelines' scale (`HHI_POINTS` per unit),
and the book's word for what the network finds (`TERMS`):

>>> from crisisops.risk.supply import HHI_POINTS, SHARE_TOLERANCE, TERMS
>>> tea.hhi * HHI_POINTS, round(tea.upstream_hhi * HHI_POINTS)
(10000.0, 5800)
>>> TERMS["single_point_of_failure"].zh_hant, TERMS["chain_reaction"].en
('單點故障', 'Chain reaction')

Shares flowing into one node may pass 1 by `SHARE_TOLERANCE` (rounding),
no more:

>>> from crisisops.errors import ValidationError
>>> def tea_from(share_a, share_b):
...     return SupplyNetwork(
...         nodes=[
...             SupplyNode(key="a", kind="supplier"),
...             SupplyNode(key="b", kind="supplier"),
...             SupplyNode(key="tea", kind="sku"),
...         ],
...         links=[
...             SupplyLink(source="a", target="tea", share=share_a),
...             SupplyLink(source="b", target="tea", share=share_b),
...         ],
...     )
>>> SHARE_TOLERANCE, tea_from(0.7, 0.3 + 1e-7).sources
(1e-06, ('a', 'b'))
>>> try:
...     tea_from(0.7, 0.31)
... except ValidationError as error:
...     error.expected
"shares flowing into 'tea' that sum to at most 1"

References
----------
U.S. Department of Justice and Federal Trade Commission. 2010. *Horizontal
Merger Guidelines*, §5.3 "Market Concentration" (HHI on a 0–10,000 scale;
below 1,500 unconcentrated, 1,500–2,500 moderately, above 2,500 highly
concentrated). https://www.justice.gov/atr/horizontal-merger-guidelines-08192010.
The 2023 *Merger Guidelines* lowered "highly concentrated" to above 1,800;
pass your own thresholds to `ConcentrationBand.of()` to use them.
Hirschman, Albert O. 1945. *National Power and the Structure of Foreign
Trade*. Berkeley: University of California Press. Herfindahl, Orris C. 1950.
"Concentration in the Steel Industry." PhD diss., Columbia University.
Adelman, M. A. 1969. "Comment on the 'H' Concentration Measure as a
Numbers-Equivalent." *The Review of Economics and Statistics* 51 (1): 99–101
(1/HHI as the effective number of suppliers).
Prosser, Reese T. 1959. "Applications of Boolean Matrices to the Analysis of
Flow Diagrams." *Proceedings of the Eastern Joint Computer Conference*,
133–38 (dominators: ``v`` dominates ``d`` when every path from the entry to
``d`` passes through ``v``).
Lengauer, Thomas, and Robert Endre Tarjan. 1979. "A Fast Algorithm for
Finding Dominators in a Flowgraph." *ACM Transactions on Programming Languages
and Systems* 1 (1): 121–41. https://doi.org/10.1145/357062.357071.
Cooper, Keith D., Timothy J. Harvey, and Ken Kennedy. 2001. "A Simple, Fast
Dominance Algorithm." Rice University (the algorithm of
``networkx.immediate_dominators``). https://hdl.handle.net/1911/96345.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_finite,
    check_str,
    field_name,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    to_frozendict,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels

__all__ = [
    "HHI_POINTS",
    "SHARE_TOLERANCE",
    "TERMS",
    "ConcentrationBand",
    "ConcentrationReport",
    "OutageImpact",
    "SinglePointOfFailure",
    "SkuConcentration",
    "SupplyLink",
    "SupplyNetwork",
    "SupplyNode",
    "UpstreamExposure",
    "herfindahl_index",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: How far the shares flowing into one node may sum above 1 (rounding slack).
SHARE_TOLERANCE = 1e-6
#: Points of the 0–10,000 HHI scale of the merger guidelines per unit of ours.
HHI_POINTS = 10_000
# A share lost below this is rounding noise, not an impact.
_LOSS_TOLERANCE = 1e-12
_ROOT = -1  # the virtual super-source of the dominator computation


_labels = Labels.of


#: The book's supply-chain terms this module measures, in English, 繁體 and 简体.
TERMS: FrozenDict[str, Labels] = FrozenDict(
    {
        "supply_chain_crisis": _labels(
            "Supply-chain crisis", "供應鏈危機", "供应链危机"
        ),
        "supply_chain_breakage": _labels(
            "Risk of a broken supply chain", "供應鏈斷裂風險", "供应链断裂风险"
        ),
        "diversified_supply": _labels(
            "Diversified supply-chain management",
            "多元化供應鏈管理",
            "多元化供应链管理",
        ),
        "over_reliance": _labels(
            "Over-reliance on a single supplier or region",
            "過度依賴單一供應商或地區",
            "过度依赖单一供应商或地区",
        ),
        "single_point_of_failure": _labels(
            "Single point of failure", "單點故障", "单点故障"
        ),
        "supplier_concentration": _labels(
            "Supplier concentration", "供應商集中度", "供应商集中度"
        ),
        "chain_reaction": _labels("Chain reaction", "連鎖反應", "连锁反应"),
    }
)


# --- the Herfindahl–Hirschman index -------------------------------------------


def herfindahl_index(shares: npt.ArrayLike) -> float:
    """Return the Herfindahl–Hirschman index of some shares, on the 0–1 scale.

    HHI = Σ sᵢ² over the shares sᵢ after rescaling them to sum to 1. One
    supplier gives 1; ``n`` equal suppliers give ``1/n``, so ``1 / HHI`` is
    the effective number of suppliers (Adelman 1969). Multiply by
    `HHI_POINTS` for the 0–10,000 scale of the merger guidelines.

    Parameters
    ----------
    shares
        One-dimensional sequence or array of non-negative, finite numbers
        with a positive sum.

    Raises
    ------
    InvalidTypeError
        If ``shares`` is not numeric.
    ValidationError
        If it is empty, not one-dimensional, holds a negative or non-finite
        value, or sums to zero.

    Examples
    --------
    >>> herfindahl_index([0.5, 0.3, 0.2])  # 0.25 + 0.09 + 0.04
    0.38
    >>> herfindahl_index([2, 1, 1])  # rescaled to 0.5, 0.25, 0.25
    0.375
    """
    if not isinstance(shares, Iterable) or isinstance(shares, (str, bytes)):
        raise InvalidTypeError("shares", shares, "a sequence of numbers")
    try:
        raw = np.asarray(shares)
    except (TypeError, ValueError):
        raise InvalidTypeError("shares", shares, "a sequence of numbers") from None
    if raw.size and raw.dtype.kind not in "iuf":  # bools, text, objects
        raise InvalidTypeError("shares", shares, "a sequence of numbers")
    values = raw.astype(np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValidationError("shares", shares, "a non-empty one-dimensional sequence")
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValidationError("shares", shares, "finite numbers >= 0")
    total = float(values.sum())
    if total <= 0:
        raise ValidationError("shares", shares, "shares with a positive sum")
    normalised = values / total
    return round(float(np.dot(normalised, normalised)), 15)


class ConcentrationBand(enum.Enum):
    """How concentrated supply is, by the merger guidelines' HHI bands.

    The default thresholds are those of the 2010 Horizontal Merger Guidelines
    §5.3: below 1,500 points (0.15) unconcentrated, 1,500–2,500 moderately
    concentrated, above 2,500 (0.25) highly concentrated. Over-reliance on one
    supplier (過度依賴單一供應商) shows as a high band.
    """

    UNCONCENTRATED = "unconcentrated"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def labels(self) -> Labels:
        """Name of the band in English, 繁體 and 简体."""
        return _BAND_LABELS[self]

    @classmethod
    def of(
        cls, hhi: float, *, moderate_from: float = 0.15, high_above: float = 0.25
    ) -> ConcentrationBand:
        """Return the band of an HHI on the 0–1 scale.

        Parameters
        ----------
        hhi
            The index, in [0, 1].
        moderate_from
            Lowest HHI that is moderately concentrated (0.15 = 1,500 points).
        high_above
            HHI above which supply is highly concentrated (0.25 = 2,500
            points). For the 2023 Merger Guidelines pass 0.18.

        Raises
        ------
        ValidationError
            If a number is outside [0, 1] or ``moderate_from > high_above``.

        Examples
        --------
        >>> ConcentrationBand.of(0.38).labels.zh_hant
        '高度集中'
        >>> ConcentrationBand.of(0.15)
        <ConcentrationBand.MODERATE: 'moderate'>
        """
        value = check_finite(_plain(hhi), "hhi", low=0.0, high=1.0)
        low = check_finite(_plain(moderate_from), "moderate_from", low=0.0, high=1.0)
        high = check_finite(_plain(high_above), "high_above", low=0.0, high=1.0)
        if low > high:
            raise ValidationError(
                "moderate_from", moderate_from, f"at most high_above ({high:g})"
            )
        if value > high:
            return cls.HIGH
        if value >= low:
            return cls.MODERATE
        return cls.UNCONCENTRATED


_BAND_LABELS = {
    ConcentrationBand.UNCONCENTRATED: _labels("Unconcentrated", "分散", "分散"),
    ConcentrationBand.MODERATE: _labels(
        "Moderately concentrated", "中度集中", "中度集中"
    ),
    ConcentrationBand.HIGH: _labels("Highly concentrated", "高度集中", "高度集中"),
}


# --- nodes and links ----------------------------------------------------------


def _plain(value: Any) -> Any:  # noqa: ANN401  anything; the validator checks
    """Turn a numpy number into a Python one; pass anything else on."""
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def _to_float(value: float) -> float:
    """Turn an int or numpy number into a float (typed for mypy's attrs plugin)."""
    number = _plain(value)
    if isinstance(number, int) and not isinstance(number, bool):
        return float(number)
    result: float = number
    return result


def _to_optional_float(value: float | None) -> float | None:
    return None if value is None else _to_float(value)


def _positive_share(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Accept a share in (0, 1]."""
    name = field_name(attribute)
    share = check_finite(value, name, low=0.0, high=1.0)
    if share <= 0:
        raise ValidationError(name, value, "a share in (0, 1]")


@attrs.frozen(kw_only=True)
class SupplyNode:
    """One node of a supply network: a supplier, a warehouse, a SKU, ….

    Attributes
    ----------
    key
        Unique, non-blank key, e.g. ``"farm-a"`` or a SKU code such as the
        entity keys of a monitoring panel.
    kind
        The node's tier or kind, one lowercase word such as ``"supplier"``,
        ``"warehouse"`` or ``"sku"``; any tiers the shop has.
    labels
        Optional display names in English, 繁體 and 简体.
    revenue
        Optional revenue (any currency, any period; >= 0) of a demand node:
        only nodes that supply no other node may carry it. It weighs the
        overall HHI and the revenue hit of an outage.
    region
        Optional region the node is in (地區), e.g. ``"fujian"``; the book
        warns against relying on a single region.
    """

    key: str = attrs.field(validator=is_text())
    kind: str = attrs.field(validator=is_key(dotted=False))
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels"))
    )
    revenue: float | None = attrs.field(
        default=None,
        converter=_to_optional_float,
        validator=is_optional(is_finite(low=0.0)),
    )
    region: str | None = attrs.field(default=None, validator=is_optional(is_text()))


@attrs.frozen(kw_only=True)
class SupplyLink:
    """Goods flowing from one node to another, and how much of the target's supply.

    Attributes
    ----------
    source
        Key of the supplying node.
    target
        Key of the supplied node.
    share
        Fraction of the target's supply that comes from the source, in
        (0, 1]. The shares flowing into one node sum to at most 1.
    """

    source: str = attrs.field(validator=is_text())
    target: str = attrs.field(validator=is_text())
    share: float = attrs.field(converter=_to_float, validator=_positive_share)


# --- results ------------------------------------------------------------------


def _array_equal(left: FloatArray, right: FloatArray) -> bool:
    return bool(np.array_equal(left, right))


def _read_only_matrix(value: npt.ArrayLike) -> FloatArray:
    """Copy into a read-only float64 array (others pass to the validator)."""
    try:
        array = np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        return value  # type: ignore[return-value]  # the validator reports it
    array.setflags(write=False)
    return array


def _check_exposure(instance: UpstreamExposure, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, np.ndarray):
        raise InvalidTypeError(name, value, "a 2-D array of shares")
    expected = (len(instance.demand), len(instance.sources))
    if value.shape != expected:
        raise ValidationError(name, value.shape, f"an array of shape {expected}")
    if not np.isfinite(value).all() or (value < 0).any() or (value > 1 + 1e-9).any():
        raise ValidationError(name, value, "shares in [0, 1]")


@attrs.frozen(kw_only=True)
class UpstreamExposure:
    """Each demand node's share of supply ultimately coming from each source.

    The exposure of SKU ``k`` to source ``s`` is the product of the shares
    along a path from ``s`` to ``k``, summed over all such paths. A row sums
    to 1 when all of the SKU's supply can be traced back to sources.

    Attributes
    ----------
    demand
        Keys of the demand nodes (rows), sorted.
    sources
        Keys of the sources (columns), sorted.
    shares
        Read-only float64 array of shape ``(len(demand), len(sources))``.

    Examples
    --------
    The module example looks through a warehouse to the two farms its tea
    comes from.
    """

    demand: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    sources: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    shares: FloatArray = attrs.field(
        converter=_read_only_matrix,
        validator=_check_exposure,
        eq=attrs.cmp_using(eq=_array_equal),
        hash=False,
    )

    def of(self, sku: str) -> FrozenDict[str, float]:
        """Return one demand node's non-zero exposures, largest first.

        Raises
        ------
        UnknownKeyError
            If ``sku`` is not a demand node.
        """
        if sku not in self.demand:
            raise UnknownKeyError("demand node", sku, self.demand)
        return _ranked(self.sources, self.shares[self.demand.index(sku)])


@attrs.frozen(kw_only=True)
class SinglePointOfFailure:
    """A node whose failure alone cuts SKUs off from all supply (單點故障).

    Attributes
    ----------
    node
        Key of the node.
    kind
        Its tier or kind.
    cuts_off
        Keys of the demand nodes that lose all supply when it fails, sorted.
    revenue_at_risk
        Total revenue of those demand nodes (missing revenue counts 0).
    revenue_share
        ``revenue_at_risk`` over the revenue of all demand nodes; ``None``
        when no demand node carries revenue.

    Examples
    --------
    The module example finds two: the warehouse that packs all the tea and
    the kiln that makes every cup.
    """

    node: str = attrs.field(validator=is_text())
    kind: str = attrs.field(validator=is_key(dotted=False))
    cuts_off: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text(), min_length=1)
    )
    revenue_at_risk: float = attrs.field(validator=is_finite(low=0.0))
    revenue_share: float | None = attrs.field(
        validator=is_optional(is_finite(low=0.0, high=1.0))
    )


def _share_mapping(value: Mapping[str, float]) -> FrozenDict[str, float]:
    return to_frozendict(value)


def _check_share_mapping(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, Mapping):
        raise InvalidTypeError(name, value, "a mapping of key to share")
    for key, share in value.items():
        check_str(key, f"{name} key")
        check_finite(share, f"{name}[{key!r}]", low=0.0, high=1.0)


_HHI = is_finite(low=0.0, high=1.0)


@attrs.frozen(kw_only=True)
class SkuConcentration:
    """How diversified one SKU's supply is (多元化供應鏈管理, measured).

    Attributes
    ----------
    sku
        Key of the demand node.
    suppliers
        Direct suppliers and their shares, rescaled to sum to 1, largest
        first.
    declared_share
        Sum of the shares flowing into the SKU as declared; when it is not 1
        the shares in ``suppliers`` were rescaled.
    hhi
        Herfindahl–Hirschman index of ``suppliers`` on the 0–1 scale.
    upstream
        Share of the SKU's supply ultimately coming from each source, largest
        first (see `UpstreamExposure`).
    upstream_hhi
        HHI of ``upstream`` (rescaled to sum to 1): the "true" concentration
        once warehouses and other intermediate tiers are looked through.
        ``None`` when none of the SKU's supply traces back to a source.
    regions
        ``upstream`` summed by the sources' regions, largest first; sources
        without a region are left out.
    region_hhi
        HHI of ``regions`` (rescaled to sum to 1); ``None`` unless every
        source the SKU depends on has a region.

    Examples
    --------
    The module example measures the tea: single-sourced from its warehouse,
    and an upstream HHI of 0.58 over the two farms behind it.
    """

    sku: str = attrs.field(validator=is_text())
    suppliers: FrozenDict[str, float] = attrs.field(
        converter=_share_mapping, validator=_check_share_mapping
    )
    declared_share: float = attrs.field(validator=is_finite(low=0.0))
    hhi: float = attrs.field(validator=_HHI)
    upstream: FrozenDict[str, float] = attrs.field(
        converter=_share_mapping, validator=_check_share_mapping
    )
    upstream_hhi: float | None = attrs.field(validator=is_optional(_HHI))
    regions: FrozenDict[str, float] = attrs.field(
        converter=_share_mapping, validator=_check_share_mapping
    )
    region_hhi: float | None = attrs.field(validator=is_optional(_HHI))

    @property
    def rescaled(self) -> bool:
        """Whether the declared shares did not sum to 1 and were rescaled."""
        return abs(self.declared_share - 1.0) > SHARE_TOLERANCE

    @property
    def hhi_points(self) -> float:
        """``hhi`` on the 0–10,000 scale of the merger guidelines."""
        return self.hhi * HHI_POINTS

    @property
    def effective_suppliers(self) -> float:
        """``1 / hhi``: the number of equal suppliers with the same HHI."""
        return 1.0 / self.hhi

    @property
    def upstream_effective_suppliers(self) -> float | None:
        """``1 / upstream_hhi``, or ``None`` when it is undefined."""
        return None if self.upstream_hhi is None else 1.0 / self.upstream_hhi

    @property
    def band(self) -> ConcentrationBand:
        """Merger-guidelines band of the direct ``hhi``."""
        return ConcentrationBand.of(self.hhi)

    @property
    def upstream_band(self) -> ConcentrationBand | None:
        """Merger-guidelines band of ``upstream_hhi`` (``None`` if undefined)."""
        if self.upstream_hhi is None:
            return None
        return ConcentrationBand.of(self.upstream_hhi)


def _check_sku_mapping(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, Mapping):
        raise InvalidTypeError(name, value, "a mapping of SKU key to SkuConcentration")
    for key, item in value.items():
        if not isinstance(item, SkuConcentration) or item.sku != key:
            raise ValidationError(
                f"{name}[{key!r}]", item, f"the SkuConcentration of {key!r}"
            )


@attrs.frozen(kw_only=True)
class ConcentrationReport:
    """Supplier concentration of every SKU, and overall.

    Attributes
    ----------
    skus
        One `SkuConcentration` per demand node, by key (sorted).
    mean_hhi
        Unweighted mean of the SKUs' direct HHI.
    revenue_weighted_hhi
        Revenue-weighted mean of the direct HHI, Σ rₖ·HHIₖ / Σ rₖ; ``None``
        when no SKU carries revenue.
    revenue_weighted_upstream_hhi
        The same for the upstream HHI (SKUs without one left out); ``None``
        when no SKU with an upstream HHI carries revenue.

    Examples
    --------
    The module example ranks a tea and a cup SKU by their direct and upstream
    HHI and weighs them by revenue.
    """

    skus: FrozenDict[str, SkuConcentration] = attrs.field(
        converter=to_frozendict, validator=_check_sku_mapping
    )
    mean_hhi: float = attrs.field(validator=_HHI)
    revenue_weighted_hhi: float | None = attrs.field(validator=is_optional(_HHI))
    revenue_weighted_upstream_hhi: float | None = attrs.field(
        validator=is_optional(_HHI)
    )

    def ranked(self, *, upstream: bool = False) -> tuple[SkuConcentration, ...]:
        """Return the SKUs most concentrated first (ties by key).

        With ``upstream=True`` rank by the upstream HHI (SKUs without one
        last).
        """
        if not isinstance(upstream, bool):
            raise InvalidTypeError("upstream", upstream, "a bool")

        def score(item: SkuConcentration) -> float:
            value = item.upstream_hhi if upstream else item.hhi
            return -1.0 if value is None else value

        return tuple(sorted(self.skus.values(), key=lambda c: (-score(c), c.sku)))


@attrs.frozen(kw_only=True)
class OutageImpact:
    """What failing some nodes does to the SKUs' supply (連鎖反應).

    Attributes
    ----------
    failed
        The failed nodes and the fraction of their output lost (1.0: the node
        delivers nothing).
    lost_share
        Every affected demand node and the share of its supply lost, largest
        first (ties by key).
    fully_lost
        Demand nodes left with no supply at all (no path from a source that
        still delivers), sorted. A failed demand node is fully lost.
    partially_lost
        Demand nodes that lose part of their supply, sorted.
    revenue_at_risk
        Σ revenue × lost share over the demand nodes (missing revenue
        counts 0): a fully lost SKU counts in full, a partly lost one by the
        share it loses.
    revenue_share
        ``revenue_at_risk`` over the revenue of all demand nodes; ``None``
        when no demand node carries revenue.
    sku_share
        Mean lost share over all demand nodes, each SKU counting equally.

    Examples
    --------
    The module example fails a farm, then a farm and the kiln, and reads the
    SKUs and the revenue lost.
    """

    failed: FrozenDict[str, float] = attrs.field(
        converter=_share_mapping, validator=_check_share_mapping
    )
    lost_share: FrozenDict[str, float] = attrs.field(
        converter=_share_mapping, validator=_check_share_mapping
    )
    fully_lost: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text())
    )
    partially_lost: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text())
    )
    revenue_at_risk: float = attrs.field(validator=is_finite(low=0.0))
    revenue_share: float | None = attrs.field(
        validator=is_optional(is_finite(low=0.0, high=1.0))
    )
    sku_share: float = attrs.field(validator=is_finite(low=0.0, high=1.0))

    @property
    def affected(self) -> tuple[str, ...]:
        """Every demand node that loses some or all of its supply, sorted."""
        return tuple(sorted((*self.fully_lost, *self.partially_lost)))


# --- the network --------------------------------------------------------------


def _ranked(keys: Iterable[str], values: FloatArray) -> FrozenDict[str, float]:
    """Non-zero values by key, largest first, ties by key."""
    pairs = [(k, float(v)) for k, v in zip(keys, values.tolist(), strict=True) if v]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return FrozenDict(pairs)


def _hhi_of(values: FloatArray) -> float | None:
    """HHI of non-negative values rescaled to sum to 1 (``None`` for all zero)."""
    total = float(values.sum())
    if total <= _LOSS_TOLERANCE:
        return None
    normalised = values / total
    return min(1.0, round(float(np.dot(normalised, normalised)), 15))


def _weighted_mean(values: FloatArray, weights: FloatArray) -> float | None:
    total = float(weights.sum())
    if total <= 0:
        return None
    return min(1.0, float(np.dot(values, weights) / total))


class _Step:
    """One topological generation of the network's strongly connected parts."""

    __slots__ = ("block", "links", "nodes")

    def __init__(self, nodes: IntArray, links: IntArray, block: IntArray) -> None:
        self.nodes = nodes  # every node of the generation
        self.links = links  # links into it from earlier generations
        self.block = block  # its nodes that lie on a cycle (empty for a DAG)


class _Analysis:
    """Derived structure of a network, built once on first use."""

    __slots__ = ("idom", "plan", "reachable", "rooted")

    def __init__(
        self, n: int, source: IntArray, target: IntArray, sources: IntArray
    ) -> None:
        rooted = nx.DiGraph()
        rooted.add_nodes_from(range(n))
        rooted.add_edges_from(zip(source.tolist(), target.tolist(), strict=True))
        rooted.add_edges_from((_ROOT, s) for s in sources.tolist())
        self.rooted = rooted
        idom: dict[int, int] = nx.immediate_dominators(rooted, _ROOT)
        idom.pop(_ROOT, None)  # networkx < 3.5 maps the start to itself
        self.idom = idom
        reachable = np.zeros(n, dtype=bool)
        reachable[list(idom)] = True
        self.reachable = reachable
        self.plan = _plan(rooted.subgraph(range(n)), n, source, target)


def _plan(
    graph: Any,  # noqa: ANN401  networkx ships no type hints
    n: int,
    source: IntArray,
    target: IntArray,
) -> tuple[_Step, ...]:
    """Group nodes and links by topological generation of the strong components."""
    condensed = nx.condensation(graph)
    generation = np.zeros(n, dtype=np.intp)
    on_cycle = np.zeros(n, dtype=bool)
    generations = list(nx.topological_generations(condensed))
    for number, components in enumerate(generations):
        for component in components:
            members = list(condensed.nodes[component]["members"])
            generation[members] = number
            on_cycle[members] = len(members) > 1
    link_generation = generation[target]
    external = np.flatnonzero(generation[source] != link_generation)
    node_order = np.argsort(generation, kind="stable")
    bounds = np.arange(len(generations) + 1)
    node_bounds = np.searchsorted(generation[node_order], bounds)
    link_order = external[np.argsort(link_generation[external], kind="stable")]
    link_bounds = np.searchsorted(link_generation[link_order], bounds)
    steps = []
    for number in range(len(generations)):
        nodes = node_order[node_bounds[number] : node_bounds[number + 1]]
        links = link_order[link_bounds[number] : link_bounds[number + 1]]
        steps.append(_Step(nodes, links, nodes[on_cycle[nodes]]))
    return tuple(steps)


def _check_tiers(instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    if value is None:
        return
    is_tuple_of(is_key(dotted=False), min_length=1)(instance, attribute, value)
    assert isinstance(value, tuple)  # noqa: S101  narrowing for mypy
    seen: set[str] = set()
    for tier in value:
        if tier in seen:
            raise DuplicateKeyError("tier", tier)
        seen.add(tier)


def _to_optional_tuple(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else to_tuple(value)


@attrs.frozen(kw_only=True)
class SupplyNetwork:
    """Suppliers → warehouses → SKUs (or any tiers), with supply shares.

    The graph of the book's supply chain (book §2.3 供應鏈危機): nodes are
    suppliers, warehouses, SKUs or any other tier; a link says which share of
    its target's supply comes from its source. Built once, validated, never
    changed; the analyses (`single_points_of_failure()`, `concentration()`,
    `upstream_exposure()`, `outage_impact()`) share a structure computed on
    first use. `graph()` returns a fresh networkx copy to explore further.

    Attributes
    ----------
    nodes
        The nodes; keys unique. Every node takes part in at least one link.
    links
        The links; at most one per (source, target) pair, no node linked to
        itself, and the shares flowing into a node sum to at most 1 (plus
        `SHARE_TOLERANCE`).
    tiers
        Optional tier order, upstream first, e.g. ``("supplier",
        "warehouse", "sku")``. When given, every node's ``kind`` is one of
        them, no link flows back to an earlier tier, and the network has no
        cycle. Without it, cycles (e.g. transfers between warehouses) are
        allowed.

    Raises
    ------
    UnknownKeyError
        For a link naming an unknown node, or a node kind not among ``tiers``;
        the message suggests close keys.
    DuplicateKeyError
        For two nodes with one key, or two links between the same nodes.
    ValidationError
        For an unlinked node, a link from a node to itself, shares into a
        node summing above 1, a link flowing back against ``tiers``, a cycle
        when ``tiers`` are declared, no demand node at all, or revenue on a
        node that supplies others.
    """

    nodes: tuple[SupplyNode, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(SupplyNode, "a SupplyNode"), min_length=1),
    )
    links: tuple[SupplyLink, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(SupplyLink, "a SupplyLink"), min_length=1),
    )
    tiers: tuple[str, ...] | None = attrs.field(
        default=None, converter=_to_optional_tuple, validator=_check_tiers
    )
    _index: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _source: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _target: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _weight: FloatArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _declared: FloatArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _sources: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _demand: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _revenue: FloatArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _analysis: _Analysis | None = attrs.field(
        init=False, default=None, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check keys, links, shares and tiers, and index the network."""
        keys = [node.key for node in self.nodes]
        index: dict[str, int] = {}
        for position, key in enumerate(keys):
            if key in index:
                raise DuplicateKeyError("supply node", key)
            index[key] = position
        if self.tiers is not None:
            for node in self.nodes:
                if node.kind not in self.tiers:
                    raise UnknownKeyError("tier", node.kind, self.tiers)
        source, target = self._index_links(index)
        n = len(keys)
        shares = np.fromiter(
            (link.share for link in self.links), np.float64, len(self.links)
        )
        declared = np.bincount(target, weights=shares, minlength=n)
        over = np.flatnonzero(declared > 1.0 + SHARE_TOLERANCE)
        if over.size:
            first = int(over[0])
            raise ValidationError(
                "links",
                float(declared[first]),
                f"shares flowing into {keys[first]!r} that sum to at most 1",
            )
        in_degree = np.bincount(target, minlength=n)
        out_degree = np.bincount(source, minlength=n)
        self._check_structure(source, target, in_degree, out_degree)
        weight = shares / declared[target]
        revenue = np.array(
            [0.0 if node.revenue is None else node.revenue for node in self.nodes]
        )
        for name, array in (
            ("_index", FrozenDict(index)),
            ("_source", source),
            ("_target", target),
            ("_weight", weight),
            ("_declared", declared),
            ("_sources", np.flatnonzero(in_degree == 0)),
            ("_demand", np.flatnonzero(out_degree == 0)),
            ("_revenue", revenue),
        ):
            if isinstance(array, np.ndarray):
                array.setflags(write=False)
            object.__setattr__(self, name, array)

    def _index_links(self, index: dict[str, int]) -> tuple[IntArray, IntArray]:
        """Resolve link keys to positions; reject unknown, self and repeated links."""
        seen: set[tuple[int, int]] = set()
        tier_of = (
            {tier: rank for rank, tier in enumerate(self.tiers)}
            if self.tiers is not None
            else None
        )
        pairs: list[tuple[int, int]] = []
        for number, link in enumerate(self.links):
            for key in (link.source, link.target):
                if key not in index:
                    raise UnknownKeyError("supply node", key, index)
            pair = (index[link.source], index[link.target])
            if pair[0] == pair[1]:
                raise ValidationError(
                    f"links[{number}]", link, "a link between two different nodes"
                )
            if pair in seen:
                raise DuplicateKeyError(
                    "supply link", f"{link.source} -> {link.target}"
                )
            seen.add(pair)
            if tier_of is not None:
                upstream = self.nodes[pair[0]].kind
                downstream = self.nodes[pair[1]].kind
                if tier_of[upstream] > tier_of[downstream]:
                    raise ValidationError(
                        f"links[{number}]",
                        link,
                        f"a link that follows the tier order {list(self.tiers or ())}"
                        f" (it flows from a {upstream!r} back to a {downstream!r})",
                    )
            pairs.append(pair)
        array = np.array(pairs, dtype=np.intp).reshape(-1, 2)
        return array[:, 0].copy(), array[:, 1].copy()

    def _check_structure(
        self,
        source: IntArray,
        target: IntArray,
        in_degree: IntArray,
        out_degree: IntArray,
    ) -> None:
        """Reject unlinked nodes, revenue off the demand nodes, and tiered cycles."""
        unlinked = np.flatnonzero((in_degree == 0) & (out_degree == 0))
        if unlinked.size:
            first = int(unlinked[0])
            raise ValidationError(
                f"nodes[{first}]",
                self.nodes[first].key,
                "a node that takes part in at least one link",
            )
        if not (out_degree == 0).any():
            raise ValidationError(
                "links",
                f"{len(self.links)} links, every node supplying another",
                "links that leave at least one demand node (a node that "
                "supplies no other)",
            )
        for position in np.flatnonzero(out_degree > 0).tolist():
            if self.nodes[position].revenue is not None:
                raise ValidationError(
                    f"nodes[{position}].revenue",
                    self.nodes[position].revenue,
                    "None: only demand nodes (that supply no other node) carry revenue",
                )
        if self.tiers is not None:
            graph = nx.DiGraph()
            graph.add_edges_from(zip(source.tolist(), target.tolist(), strict=True))
            if not nx.is_directed_acyclic_graph(graph):
                cycle = [self.nodes[u].key for u, _ in nx.find_cycle(graph)]
                raise ValidationError(
                    "links",
                    " -> ".join([*cycle, cycle[0]]),
                    "a network without cycles when tiers are declared",
                )

    # --- reading -------------------------------------------------------------

    def node(self, key: str) -> SupplyNode:
        """Return the node with ``key``.

        Raises
        ------
        UnknownKeyError
            If there is none; the message suggests close keys.
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a node key (str)")
        if key not in self._index:
            raise UnknownKeyError("supply node", key, self._index)
        return self.nodes[self._index[key]]

    @property
    def sources(self) -> tuple[str, ...]:
        """Keys of the sources (no link flows into them), sorted."""
        return tuple(sorted(self.nodes[i].key for i in self._sources.tolist()))

    @property
    def demand_nodes(self) -> tuple[str, ...]:
        """Keys of the demand nodes, the SKUs (they flow into no node), sorted."""
        return tuple(sorted(self.nodes[i].key for i in self._demand.tolist()))

    @property
    def unsupplied(self) -> tuple[str, ...]:
        """Demand nodes no source reaches, sorted.

        Only possible without declared tiers, for a SKU fed by a cycle that no
        source feeds; such a SKU has no single point of failure and no
        upstream HHI.
        """
        reachable = self._analysed().reachable
        return tuple(
            sorted(self.nodes[i].key for i in self._demand.tolist() if not reachable[i])
        )

    def graph(self) -> Any:  # noqa: ANN401  networkx ships no type hints
        """Return the network as a new ``networkx.DiGraph`` keyed by node key.

        Node attributes are ``kind``, ``region``, ``revenue`` and ``labels``;
        edge attributes are ``share``. The graph is a fresh copy on every
        call: changing it leaves the network as it was.
        """
        graph = nx.DiGraph()
        for node in self.nodes:
            graph.add_node(
                node.key,
                kind=node.kind,
                region=node.region,
                revenue=node.revenue,
                labels=node.labels,
            )
        for link in self.links:
            graph.add_edge(link.source, link.target, share=link.share)
        return graph

    # --- analyses --------------------------------------------------------------

    def _analysed(self) -> _Analysis:
        if self._analysis is None:
            analysis = _Analysis(
                len(self.nodes), self._source, self._target, self._sources
            )
            object.__setattr__(self, "_analysis", analysis)
        assert self._analysis is not None  # noqa: S101  narrowing for mypy
        return self._analysis

    def _propagate(self, seed: FloatArray, keep: FloatArray) -> FloatArray:
        """Push supply downstream, one topological generation at a time.

        ``seed`` has one row per node (non-zero on the sources); ``keep`` is
        the fraction of each node's output that still flows. Row ``v`` of the
        result is ``keep[v] · Σ_u w(u→v) · row u``, the normalised shares
        ``w`` weighting each inflow: with one-hot seeds, the sum over all
        paths of the product of their shares. For a network declared by
        tiers without skipped tiers every generation is one tier and the
        step is a matrix product; nodes on a cycle are solved together,
        ``(I − K·A) x = K·b`` on their block.
        """
        analysis = self._analysed()
        flow = np.array(seed, dtype=np.float64, copy=True)
        source, target, weight = self._source, self._target, self._weight
        for step in analysis.plan:
            if step.links.size:
                inflow = weight[step.links, None] * flow[source[step.links]]
                np.add.at(flow, target[step.links], inflow)
            flow[step.nodes] *= keep[step.nodes, None]
            block = step.block[analysis.reachable[step.block]]
            if block.size:
                flow[block] = self._solve_cycles(block, flow[block], keep[block])
        return flow

    def _solve_cycles(
        self, block: IntArray, external: FloatArray, keep: FloatArray
    ) -> FloatArray:
        """Solve ``x = K (b + A x)`` for nodes on cycles (``external`` = K·b)."""
        local = np.full(len(self.nodes), -1, dtype=np.intp)
        local[block] = np.arange(block.size)
        inside = (local[self._source] >= 0) & (local[self._target] >= 0)
        matrix = np.zeros((block.size, block.size))
        np.add.at(
            matrix,
            (local[self._target[inside]], local[self._source[inside]]),
            self._weight[inside],
        )
        system = np.eye(block.size) - keep[:, None] * matrix
        solved: FloatArray = np.clip(np.linalg.solve(system, external), 0.0, 1.0)
        return solved

    def upstream_exposure(self) -> UpstreamExposure:
        """Return each demand node's share of supply from each source.

        The exposure of SKU ``k`` to source ``s`` is Σ over paths ``s → … →
        k`` of the product of the (rescaled) shares along the path, computed
        for all SKUs and sources at once as a matrix pushed through the
        network's generations (see `UpstreamExposure`).

        Examples
        --------
        >>> network = SupplyNetwork(
        ...     nodes=[
        ...         SupplyNode(key="a", kind="supplier"),
        ...         SupplyNode(key="b", kind="supplier"),
        ...         SupplyNode(key="w", kind="warehouse"),
        ...         SupplyNode(key="k", kind="sku"),
        ...     ],
        ...     links=[
        ...         SupplyLink(source="a", target="w", share=0.5),
        ...         SupplyLink(source="b", target="w", share=0.5),
        ...         SupplyLink(source="w", target="k", share=0.8),
        ...         SupplyLink(source="a", target="k", share=0.2),
        ...     ],
        ... )
        >>> dict(network.upstream_exposure().of("k"))  # a: 0.2 + 0.8·0.5
        {'a': 0.6, 'b': 0.4}
        """
        order = np.argsort([self.nodes[i].key for i in self._sources.tolist()])
        sources = self._sources[order]
        seed = np.zeros((len(self.nodes), sources.size))
        seed[sources, np.arange(sources.size)] = 1.0
        flow = self._propagate(seed, np.ones(len(self.nodes)))
        demand = self._demand_sorted()
        return UpstreamExposure(
            demand=[self.nodes[i].key for i in demand.tolist()],
            sources=[self.nodes[i].key for i in sources.tolist()],
            shares=np.clip(np.round(flow[demand], 12), 0.0, 1.0),
        )

    def _demand_sorted(self) -> IntArray:
        keys = [self.nodes[i].key for i in self._demand.tolist()]
        ordered: IntArray = self._demand[np.argsort(keys)]
        return ordered

    def single_points_of_failure(self) -> tuple[SinglePointOfFailure, ...]:
        """Return every node whose failure alone cuts SKUs off from all supply.

        A virtual super-source feeds every source; node ``v`` cuts SKU ``k``
        off exactly when every path from the super-source to ``k`` passes
        through ``v``, i.e. when ``v`` *dominates* ``k`` (Prosser 1959). The
        dominator tree (Cooper, Harvey & Kennedy 2001, via
        ``networkx.immediate_dominators``) gives all of them in one pass,
        instead of removing each node in turn and re-checking reachability.
        A SKU is not listed as its own single point of failure; a SKU with no
        supply to begin with has none.

        Returns
        -------
        tuple of SinglePointOfFailure
            Largest revenue at risk first, then most SKUs cut off, then by
            node key; each one's SKUs sorted by key.

        Examples
        --------
        A chain: every node above the SKU is a single point of failure.

        >>> chain = SupplyNetwork(
        ...     nodes=[
        ...         SupplyNode(key="s", kind="supplier"),
        ...         SupplyNode(key="w", kind="warehouse"),
        ...         SupplyNode(key="k", kind="sku"),
        ...     ],
        ...     links=[
        ...         SupplyLink(source="s", target="w", share=1.0),
        ...         SupplyLink(source="w", target="k", share=1.0),
        ...     ],
        ... )
        >>> [point.node for point in chain.single_points_of_failure()]
        ['s', 'w']
        """
        analysis = self._analysed()
        cut: dict[int, list[int]] = {}
        for sku in self._demand.tolist():
            above = analysis.idom.get(sku)
            while above is not None and above != _ROOT:
                cut.setdefault(above, []).append(sku)
                above = analysis.idom[above]
        total = float(self._revenue[self._demand].sum())
        points = []
        for position, skus in cut.items():
            at_risk = float(self._revenue[skus].sum())
            points.append(
                SinglePointOfFailure(
                    node=self.nodes[position].key,
                    kind=self.nodes[position].kind,
                    cuts_off=sorted(self.nodes[k].key for k in skus),
                    revenue_at_risk=at_risk,
                    revenue_share=min(1.0, at_risk / total) if total > 0 else None,
                )
            )
        points.sort(key=lambda p: (-p.revenue_at_risk, -len(p.cuts_off), p.node))
        return tuple(points)

    def concentration(self) -> ConcentrationReport:
        """Measure how diversified each SKU's supply is (多元化供應鏈管理).

        For each demand node: the Herfindahl–Hirschman index HHI = Σ sᵢ² of
        its direct suppliers' shares (rescaled to sum to 1 when they do not;
        `SkuConcentration.declared_share` keeps the sum given), on the 0–1
        scale (`SkuConcentration.hhi_points` gives the 0–10,000 scale of the
        merger guidelines), the effective number of suppliers 1/HHI, the
        upstream exposure to each source and its HHI, which looks through
        warehouses to the suppliers goods really come from, and the same by
        region. Overall: the mean HHI and the revenue-weighted HHI.

        Examples
        --------
        >>> network = SupplyNetwork(
        ...     nodes=[
        ...         SupplyNode(key="a", kind="supplier"),
        ...         SupplyNode(key="b", kind="supplier"),
        ...         SupplyNode(key="c", kind="supplier"),
        ...         SupplyNode(key="k", kind="sku", revenue=100.0),
        ...     ],
        ...     links=[
        ...         SupplyLink(source="a", target="k", share=0.5),
        ...         SupplyLink(source="b", target="k", share=0.3),
        ...         SupplyLink(source="c", target="k", share=0.2),
        ...     ],
        ... )
        >>> sku = network.concentration().skus["k"]
        >>> sku.hhi, sku.hhi_points, round(sku.effective_suppliers, 2)
        (0.38, 3800.0, 2.63)
        >>> sku.band.labels.en
        'Highly concentrated'
        """
        exposure = self.upstream_exposure()
        squared = np.bincount(
            self._target, weights=self._weight**2, minlength=len(self.nodes)
        )
        by_target: dict[int, list[int]] = {}
        for number, position in enumerate(self._target.tolist()):
            by_target.setdefault(position, []).append(number)
        regions = [self.node(key).region for key in exposure.sources]
        region_names = sorted({r for r in regions if r is not None})
        region_of = np.array(
            [-1 if r is None else region_names.index(r) for r in regions],
            dtype=np.intp,
        )
        skus: dict[str, SkuConcentration] = {}
        hhis = np.zeros(len(exposure.demand))
        upstream_hhis = np.full(len(exposure.demand), np.nan)
        for row, key in enumerate(exposure.demand):
            position = self._index[key]
            links = by_target[position]
            upstream = exposure.shares[row]
            known = region_of >= 0
            by_region = np.bincount(
                region_of[known], weights=upstream[known], minlength=len(region_names)
            ).astype(np.float64)
            unplaced = bool((upstream[~known] > 0).any())
            item = SkuConcentration(
                sku=key,
                suppliers=_ranked(
                    [self.links[i].source for i in links], self._weight[links]
                ),
                declared_share=float(self._declared[position]),
                hhi=min(1.0, round(float(squared[position]), 15)),
                upstream=_ranked(exposure.sources, upstream),
                upstream_hhi=_hhi_of(upstream),
                regions=_ranked(region_names, np.clip(np.round(by_region, 12), 0, 1)),
                region_hhi=None if unplaced else _hhi_of(by_region),
            )
            skus[key] = item
            hhis[row] = item.hhi
            if item.upstream_hhi is not None:
                upstream_hhis[row] = item.upstream_hhi
        revenue = self._revenue[self._demand_sorted()]
        defined = ~np.isnan(upstream_hhis)
        return ConcentrationReport(
            skus=skus,
            mean_hhi=min(1.0, float(hhis.mean())),
            revenue_weighted_hhi=_weighted_mean(hhis, revenue),
            revenue_weighted_upstream_hhi=_weighted_mean(
                upstream_hhis[defined], revenue[defined]
            ),
        )

    def outage_impact(
        self, failed: Iterable[str] | Mapping[str, float]
    ) -> OutageImpact:
        """Return what failing ``failed`` nodes does to every SKU's supply.

        Each failed node stops delivering (or, given a fraction, delivers
        that much less); nothing re-routes. A SKU is *fully lost* when no
        path from a still-delivering source reaches it, *partially lost*
        when the share of its supply that flowed through failed nodes (from
        the same path products as `upstream_exposure()`) is positive.

        Parameters
        ----------
        failed
            Keys of the failed nodes, or a mapping of key to the fraction of
            the node's output lost, in (0, 1] (e.g. a supplier at half
            capacity: 0.5).

        Raises
        ------
        InvalidTypeError
            If ``failed`` is a single string or not an iterable of keys.
        ValidationError
            If it is empty or a fraction is outside (0, 1].
        UnknownKeyError
            For a key that is not a node of the network.

        Examples
        --------
        >>> network = SupplyNetwork(
        ...     nodes=[
        ...         SupplyNode(key="a", kind="supplier"),
        ...         SupplyNode(key="b", kind="supplier"),
        ...         SupplyNode(key="x", kind="sku", revenue=300.0),
        ...         SupplyNode(key="y", kind="sku", revenue=100.0),
        ...     ],
        ...     links=[
        ...         SupplyLink(source="a", target="x", share=0.6),
        ...         SupplyLink(source="b", target="x", share=0.4),
        ...         SupplyLink(source="a", target="y", share=1.0),
        ...     ],
        ... )
        >>> hit = network.outage_impact(["a"])
        >>> hit.fully_lost, hit.partially_lost, dict(hit.lost_share)
        (('y',), ('x',), {'y': 1.0, 'x': 0.6})
        >>> hit.revenue_at_risk, hit.revenue_share  # 100 + 0.6 · 300 of 400
        (280.0, 0.7)
        """
        fractions = self._failed_fractions(failed)
        n = len(self.nodes)
        keep = np.ones(n)
        positions = np.array([self._index[k] for k in fractions], dtype=np.intp)
        keep[positions] = 1.0 - np.fromiter(fractions.values(), np.float64)
        ones = np.zeros((n, 1))
        ones[self._sources] = 1.0
        before = self._propagate(ones, np.ones(n))[:, 0]
        after = self._propagate(ones, keep)[:, 0]
        analysis = self._analysed()
        dead = [int(p) for p in positions.tolist() if keep[p] == 0.0]
        alive = analysis.rooted.subgraph(set(analysis.rooted) - set(dead))
        still = np.zeros(n, dtype=bool)
        still[list(nx.descendants(alive, _ROOT))] = True
        demand = self._demand_sorted()
        lost = np.clip(before[demand] - after[demand], 0.0, None)
        full = analysis.reachable[demand] & ~still[demand]
        lost[full] = before[demand][full]
        lost = np.where(lost > _LOSS_TOLERANCE, np.minimum(np.round(lost, 12), 1), 0)
        keys = [self.nodes[i].key for i in demand.tolist()]
        revenue = self._revenue[demand]
        at_risk = float(np.dot(revenue, lost))
        total = float(revenue.sum())
        return OutageImpact(
            failed=fractions,
            lost_share=_ranked(keys, lost),
            fully_lost=[k for k, f in zip(keys, full.tolist(), strict=True) if f],
            partially_lost=[
                k
                for k, f, x in zip(keys, full.tolist(), lost.tolist(), strict=True)
                if x > 0 and not f
            ],
            revenue_at_risk=at_risk,
            revenue_share=min(1.0, at_risk / total) if total > 0 else None,
            sku_share=min(1.0, float(lost.mean())),
        )

    def _failed_fractions(
        self, failed: Iterable[str] | Mapping[str, float]
    ) -> dict[str, float]:
        """Check ``failed`` and return key → fraction lost, sorted by key."""
        expected = "node keys, or a mapping of node key to the fraction of output lost"
        if isinstance(failed, (str, bytes)) or not isinstance(
            failed, (Iterable, Mapping)
        ):
            raise InvalidTypeError("failed", failed, expected)
        pairs = (
            list(failed.items())
            if isinstance(failed, Mapping)
            else [(key, 1.0) for key in failed]
        )
        if not pairs:
            raise ValidationError("failed", failed, "at least one node key")
        fractions: dict[str, float] = {}
        for key, fraction in pairs:
            if not isinstance(key, str):
                raise InvalidTypeError("failed", key, "node keys (str)")
            if key not in self._index:
                raise UnknownKeyError("supply node", key, self._index)
            value = check_finite(fraction, f"failed[{key!r}]", low=0.0, high=1.0)
            if value <= 0:
                raise ValidationError(
                    f"failed[{key!r}]", fraction, "a fraction of output lost in (0, 1]"
                )
            fractions[str(key)] = value
        return dict(sorted(fractions.items()))
