"""Stakeholders, their influence on one another, and who matters in the network.

Book §4 (識別關鍵問題與利益相關者) asks to name the stakeholder groups first —
customers, suppliers, employees, media — because "their attitude and behaviour
in the crisis directly steer where it goes"; §5 (保持與內外部利益相關者的溝通)
splits them into internal (員工, reached by 緊急會議 and updates) and external
ones (客戶, 供應商, 合作伙伴, 媒體, 公眾), each reached through its own channel
(官方網站, 社交媒體, 電話熱線, 在線客服, 電子郵件). §4.1 adds the 物流服務商, and
the introduction warns that online, information spreads extremely fast
(信息的傳播速度極快): who talks to whom decides how far a small incident goes.

This module holds that picture as immutable values:

* `Channel` – the communication channels the book names, bilingual;
* `StakeholderKind`, `StakeholderKindCatalog` and `default_kinds()` – the open
  catalog of stakeholder kinds (customers, customer segments, suppliers,
  logistics partners, the marketplace platform, media, influencers/KOLs, the
  public, employees, regulators, investors, partners), internal or external,
  with their default channels;
* `Stakeholder` – one stakeholder with Mitchell–Agle–Wood's power, legitimacy
  and urgency and Mendelow's interest in [0, 1], a sentiment in [-1, 1], an
  audience size (``reach``) and preferred channels;
* `Influence` – "``source`` sways ``target``" with a weight in [0, 1];
* `StakeholderGraph` – the stakeholders (node order = their order) and the
  influence arcs, validated, with compressed-sparse-row arrays of the arcs for
  vectorised diffusion code and immutable updates (`with_stakeholder`,
  `without`, `with_influence`, `with_scores`).

Network analysis (free functions over a graph):

* `pagerank()` – weighted PageRank computed with numpy on the arc arrays. By
  default on the *reversed* arcs, so a stakeholder scores high when it sways
  stakeholders who themselves sway others (an influencer), not when it hears
  from many;
* `betweenness()` – Brandes betweenness with arc length ``1 / weight`` (a
  strong influence is a short hop), through networkx;
* `communities()` – groups that influence each other more than chance
  (modularity), by networkx's greedy (Clauset–Newman–Moore) algorithm or by
  Louvain with an explicit ``rng`` (an int seed or a numpy Generator);
* `key_influencers()` – the top stakeholders by either centrality.

The salience and power–interest classification and the order in which
stakeholders must hear from us live in `crisisops.stakeholders.classification`.

Examples
--------
>>> from crisisops.stakeholders.graph import (
...     Channel,
...     Influence,
...     Stakeholder,
...     StakeholderGraph,
...     pagerank,
... )
>>> def person(key, kind, power):
...     return Stakeholder(
...         key=key,
...         name=key.title(),
...         kind=kind,
...         power=power,
...         legitimacy=0.8,
...         urgency=0.6,
...         interest=0.7,
...     )
>>> graph = StakeholderGraph(
...     stakeholders=[
...         person("kol", "influencers", 0.6),
...         person("buyers", "customers", 0.4),
...         person("press", "media", 0.7),
...     ],
...     influences=[
...         Influence(source="kol", target="buyers", weight=0.1),
...         Influence(source="kol", target="press", weight=0.9),
...         Influence(source="press", target="buyers", weight=0.9),
...     ],
... )
>>> graph.keys
('kol', 'buyers', 'press')
>>> graph.successors("kol")
('buyers', 'press')
>>> indptr, targets, weights = graph.out_arrays()
>>> indptr.tolist(), targets.tolist(), weights.tolist()
([0, 2, 2, 3], [1, 2, 1], [0.1, 0.9, 0.9])
>>> graph.in_degree().tolist()
[0, 2, 1]
>>> ranks = pagerank(graph)  # influencers first: the KOL sways everyone
>>> [graph.keys[i] for i in ranks.argsort()[::-1]]
['kol', 'press', 'buyers']

The press relays the KOL to the buyers (two arcs of weight 0.9); the KOL's
direct arc to the buyers is weak (0.1). Weighted, the strong two-hop path is
the shorter (1/0.9 + 1/0.9 < 1/0.1), so the press brokers the one path
between others, of two ordered pairs; by hops the direct arc wins and nobody
brokers. The KOL spreads (PageRank), the press brokers (betweenness):

>>> from crisisops.stakeholders.graph import betweenness, key_influencers
>>> betweenness(graph).tolist()
[0.0, 0.0, 0.5]
>>> betweenness(graph, weighted=False).tolist()
[0.0, 0.0, 0.0]
>>> betweenness(graph, normalized=False).tolist()  # count of paths
[0.0, 0.0, 1.0]
>>> key_influencers(graph, top=2)
('kol', 'press')
>>> key_influencers(graph, top=1, measure="betweenness")
('press',)
>>> calmer = graph.with_scores("press", sentiment=-0.5)
>>> calmer.stakeholder("press").sentiment, graph.stakeholder("press").sentiment
(-0.5, 0.0)

The numeric fields a graph reads as arrays and updates are `SCORE_FIELDS`:

>>> from crisisops.stakeholders.graph import SCORE_FIELDS
>>> SCORE_FIELDS
('power', 'legitimacy', 'urgency', 'interest', 'sentiment', 'reach')
>>> graph.score_array("power").tolist()
[0.6, 0.4, 0.7]
>>> from crisisops.errors import UnknownKeyError
>>> try:
...     graph.with_scores("press", name="The Press")
... except UnknownKeyError as error:
...     error.key
'name'

References
----------
Brandes, Ulrik. 2001. "A Faster Algorithm for Betweenness Centrality." *Journal
of Mathematical Sociology* 25 (2): 163–77.
https://doi.org/10.1080/0022250X.2001.9990249.
Page, Lawrence, Sergey Brin, Rajeev Motwani, and Terry Winograd. 1999. "The
PageRank Citation Ranking: Bringing Order to the Web." Stanford InfoLab
Technical Report 1999-66.
Opsahl, Tore, Filip Agneessens, and John Skvoretz. 2010. "Node Centrality in
Weighted Networks: Generalizing Degree and Shortest Paths." *Social Networks*
32 (3): 245–51. https://doi.org/10.1016/j.socnet.2010.03.006.
Clauset, Aaron, M. E. J. Newman, and Cristopher Moore. 2004. "Finding
Community Structure in Very Large Networks." *Physical Review E* 70 (6): 066111.
https://doi.org/10.1103/PhysRevE.70.066111.
Blondel, Vincent D., Jean-Loup Guillaume, Renaud Lambiotte, and Etienne
Lefebvre. 2008. "Fast Unfolding of Communities in Large Networks." *Journal of
Statistical Mechanics* 2008 (10): P10008.
https://doi.org/10.1088/1742-5468/2008/10/P10008.
"""

from __future__ import annotations

import enum
import math
from typing import Any, Literal

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt

from crisisops._random import SeedLike, resolve_rng
from crisisops._validation import (
    check_finite,
    field_name,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    is_unique,
    to_tuple,
)
from crisisops.catalog import Catalog
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels

__all__ = [
    "SCORE_FIELDS",
    "Channel",
    "Influence",
    "Stakeholder",
    "StakeholderGraph",
    "StakeholderKind",
    "StakeholderKindCatalog",
    "betweenness",
    "communities",
    "default_kinds",
    "key_influencers",
    "pagerank",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: The numeric fields of a `Stakeholder` that `StakeholderGraph.with_scores`
#: may change and `StakeholderGraph.score_array` returns.
SCORE_FIELDS: tuple[str, ...] = (
    "power",
    "legitimacy",
    "urgency",
    "interest",
    "sentiment",
    "reach",
)


_labels = Labels.of


# --- channels -----------------------------------------------------------------


class Channel(enum.Enum):
    """A channel to reach stakeholders through (book §5); the value is its key.

    The book names the official website and social media for customers
    (通過官方網站、社交媒體等渠道及時發布危機公告), the hotline, online service and
    e-mail for feedback (電話熱線、在線客服、電子郵件), statements to the media
    (發布聲明, 與媒體溝通), emergency meetings for staff (緊急會議, 內部溝通會議)
    and close contact with suppliers (與供應商 ... 保持緊密聯系).

    Examples
    --------
    >>> Channel("hotline").labels.zh_hant
    '電話熱線'
    >>> Channel.INTERNAL_MEETING.internal
    True
    """

    WEBSITE_NOTICE = "website_notice"
    SOCIAL_MEDIA = "social_media"
    HOTLINE = "hotline"
    ONLINE_SERVICE = "online_service"
    EMAIL = "email"
    PRESS_RELEASE = "press_release"
    INTERNAL_MEETING = "internal_meeting"
    SUPPLIER_CALL = "supplier_call"

    @property
    def labels(self) -> Labels:
        """Name of the channel in English, 繁體 and 简体."""
        return _CHANNEL_LABELS[self]

    @property
    def internal(self) -> bool:
        """Whether the channel reaches people inside the company only."""
        return self is Channel.INTERNAL_MEETING


_CHANNEL_LABELS = {
    Channel.WEBSITE_NOTICE: _labels("Website notice", "官方網站公告", "官方网站公告"),
    Channel.SOCIAL_MEDIA: _labels("Social media", "社交媒體", "社交媒体"),
    Channel.HOTLINE: _labels("Hotline", "電話熱線", "电话热线"),
    Channel.ONLINE_SERVICE: _labels("Online customer service", "在線客服", "在线客服"),
    Channel.EMAIL: _labels("E-mail", "電子郵件", "电子邮件"),
    Channel.PRESS_RELEASE: _labels("Press release", "新聞稿", "新闻稿"),
    Channel.INTERNAL_MEETING: _labels(
        "Internal meeting", "內部溝通會議", "内部沟通会议"
    ),
    Channel.SUPPLIER_CALL: _labels("Supplier call", "供應商溝通電話", "供应商沟通电话"),
}
_CHANNEL_NAMES = ", ".join(repr(c.value) for c in Channel)


def _to_channel(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Turn a channel key such as ``"hotline"`` into its `Channel`; pass others."""
    if isinstance(value, str):
        try:
            return Channel(value)
        except ValueError:
            return value
    return value


def _to_channels(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    items = to_tuple(value)
    if not isinstance(items, tuple):
        return items
    return tuple(_to_channel(item) for item in items)


def _to_channel_keys(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    items = to_tuple(value)
    if not isinstance(items, tuple):
        return items
    return tuple(item.value if isinstance(item, Channel) else item for item in items)


def _check_channel_key(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, str):
        raise InvalidTypeError(name, value, f"a channel key ({_CHANNEL_NAMES})")
    if value not in Channel._value2member_map_:
        raise UnknownKeyError(f"channel (in {name})", value, [c.value for c in Channel])


def _check_channel(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Validate a `Channel`; a text that names no channel gets suggestions.

    The converters turn a known key such as ``"hotline"`` into its member
    first, so a ``str`` that reaches this check is a typo (``"hotlin"``):
    an `UnknownKeyError`, as everywhere a key is unknown. Anything else
    that is not a `Channel` is an `InvalidTypeError`.
    """
    if isinstance(value, Channel):
        return
    if isinstance(value, str):
        _check_channel_key(_instance, attribute, value)
    raise InvalidTypeError(
        field_name(attribute), value, f"a Channel or its key ({_CHANNEL_NAMES})"
    )


# --- stakeholder kinds --------------------------------------------------------


@attrs.frozen(kw_only=True)
class StakeholderKind:
    """One kind of stakeholder, e.g. the media (媒體) or employees (員工).

    Attributes
    ----------
    key
        Stable key without dots, e.g. ``"logistics_partners"``; a
        `Stakeholder` names its kind by this key.
    labels
        Name in English, 繁體 and 简体, in the book's words where it has them.
    internal
        ``True`` for stakeholders inside the company (員工), whom book §5
        addresses through internal communication (內部溝通) first.
    channels
        Keys of the `Channel` values used to reach this kind by default, in
        order of preference, e.g. ``("press_release", "email")``. A `Channel`
        member is accepted and stored as its key.
    description
        What the kind covers and where the book names it, or ``None``.

    Raises
    ------
    ValidationError, InvalidTypeError, UnknownKeyError
        For a malformed key, a channel key that names no `Channel`, or a
        repeated channel.

    Examples
    --------
    A kind the built-in catalog lacks; channels may be given as keys or as
    `Channel` members:

    >>> podcasters = StakeholderKind(
    ...     key="podcasters",
    ...     labels=Labels.of("Podcasters", "播客", "播客"),
    ...     internal=False,
    ...     channels=["social_media", Channel.EMAIL],
    ... )
    >>> podcasters.channels, podcasters.default_channels[0]
    (('social_media', 'email'), <Channel.SOCIAL_MEDIA: 'social_media'>)
    >>> host = Stakeholder(
    ...     key="tea_talk",
    ...     name="Tea Talk",
    ...     kind="podcasters",
    ...     power=0.4,
    ...     legitimacy=0.5,
    ...     urgency=0.6,
    ...     interest=0.8,
    ... )
    >>> graph = StakeholderGraph(stakeholders=[host])
    >>> try:
    ...     graph.check_kinds(default_kinds())
    ... except UnknownKeyError as error:
    ...     error.key
    'podcasters'
    >>> graph.check_kinds(default_kinds().add(podcasters))  # no error now
    """

    key: str = attrs.field(validator=is_key(dotted=False))
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    internal: bool = attrs.field(validator=is_instance(bool, "a bool"))
    channels: tuple[str, ...] = attrs.field(
        default=(),
        converter=_to_channel_keys,
        validator=[is_tuple_of(_check_channel_key), is_unique("channel")],
    )
    description: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels"))
    )

    @property
    def default_channels(self) -> tuple[Channel, ...]:
        """The default channels as `Channel` members."""
        return tuple(Channel(key) for key in self.channels)


class StakeholderKindCatalog(Catalog[StakeholderKind]):
    """An open catalog of `StakeholderKind` entries (see `default_kinds()`).

    Examples
    --------
    >>> kinds = default_kinds()
    >>> len(kinds), kinds.keys()[:3]
    (12, ('customers', 'customer_segment', 'suppliers'))
    >>> staff_only = StakeholderKindCatalog([kinds["employees"]])
    >>> staff_only.keys(), "media" in staff_only
    (('employees',), False)
    """

    entry_type = StakeholderKind
    kind = "stakeholder kind"


def _kind(
    key: str,
    names: tuple[str, str, str],
    *,
    internal: bool,
    channels: tuple[Channel, ...],
    description: tuple[str, str, str],
) -> StakeholderKind:
    return StakeholderKind(
        key=key,
        labels=_labels(*names),
        internal=internal,
        channels=tuple(c.value for c in channels),
        description=_labels(*description),
    )


_C = Channel
_DEFAULT_KINDS: tuple[StakeholderKind, ...] = (
    _kind(
        "customers",
        ("Customers", "消費者/客戶", "消费者/客户"),
        internal=False,
        channels=(_C.WEBSITE_NOTICE, _C.SOCIAL_MEDIA, _C.ONLINE_SERVICE, _C.HOTLINE),
        description=(
            (
                "Buyers of the shop; book §5 reaches them through the official "
                "website and social media and answers them on the hotline and online "
                "service."
            ),
            "購買商品的消費者；書中§5通過官方網站、社交媒體發布公告，並經電話熱線、在線客服回應關切。",
            "购买商品的消费者；书中§5通过官方网站、社交媒体发布公告，并经电话热线、在线客服回应关切。",
        ),
    ),
    _kind(
        "customer_segment",
        ("Customer segment", "客戶群體", "客户群体"),
        internal=False,
        channels=(_C.EMAIL, _C.ONLINE_SERVICE),
        description=(
            (
                "A group of customers addressed on its own, e.g. the urgent and key "
                "customers (緊急和重點客戶) served first in the book's inventory case."
            ),
            "單獨溝通的一群客戶，例如書中庫存案例優先處理的緊急和重點客戶。",
            "单独沟通的一群客户，例如书中库存案例优先处理的紧急和重点客户。",
        ),
    ),
    _kind(
        "suppliers",
        ("Suppliers", "供應商", "供应商"),
        internal=False,
        channels=(_C.SUPPLIER_CALL, _C.EMAIL),
        description=(
            (
                "Suppliers of goods; book §5 keeps them informed so supply stays "
                "stable (保持供應鏈的穩定性)."
            ),
            "商品供應商；書中§5與其溝通以保持供應鏈的穩定性。",
            "商品供应商；书中§5与其沟通以保持供应链的稳定性。",
        ),
    ),
    _kind(
        "logistics_partners",
        ("Logistics partners", "物流服務商", "物流服务商"),
        internal=False,
        channels=(_C.SUPPLIER_CALL, _C.EMAIL),
        description=(
            "Carriers and warehouses; book §4.1 keeps close contact with 物流服務商.",
            "承運與倉儲夥伴；書中§4.1要求與物流服務商保持緊密聯系。",
            "承运与仓储伙伴；书中§4.1要求与物流服务商保持紧密联系。",
        ),
    ),
    _kind(
        "platform",
        ("Marketplace platform", "電商平臺", "电商平台"),
        internal=False,
        channels=(_C.EMAIL, _C.ONLINE_SERVICE),
        description=(
            (
                "The marketplace the shop sells on, whose rules and support matter "
                "in a crisis."
            ),
            "店鋪所在的電商平臺，其規則與支持在危機中至關重要。",
            "店铺所在的电商平台，其规则与支持在危机中至关重要。",
        ),
    ),
    _kind(
        "partners",
        ("Partners", "合作伙伴", "合作伙伴"),
        internal=False,
        channels=(_C.EMAIL, _C.SUPPLIER_CALL),
        description=(
            "Other business partners (合作伙伴) named in book §5.",
            "書中§5提到的其他合作伙伴。",
            "书中§5提到的其他合作伙伴。",
        ),
    ),
    _kind(
        "media",
        ("Media", "媒體", "媒体"),
        internal=False,
        channels=(_C.PRESS_RELEASE, _C.EMAIL),
        description=(
            (
                "Press and news sites; book §5 talks to them actively so that "
                "reports are accurate (避免不實報道的擴散)."
            ),
            "新聞媒體；書中§5要求積極與媒體溝通，避免不實報道的擴散。",
            "新闻媒体；书中§5要求积极与媒体沟通，避免不实报道的扩散。",
        ),
    ),
    _kind(
        "influencers",
        ("Influencers (KOLs)", "意見領袖（KOL）", "意见领袖（KOL）"),
        internal=False,
        channels=(_C.SOCIAL_MEDIA, _C.EMAIL),
        description=(
            "Key opinion leaders whose posts reach many followers at once.",
            "關鍵意見領袖，其發文可同時觸及大量粉絲。",
            "关键意见领袖，其发文可同时触及大量粉丝。",
        ),
    ),
    _kind(
        "public",
        ("The public (netizens)", "公眾/網民", "公众/网民"),
        internal=False,
        channels=(_C.SOCIAL_MEDIA, _C.WEBSITE_NOTICE),
        description=(
            (
                "The wider public online; book §5 monitors its discussion on social "
                "media (監控社交媒體)."
            ),
            "網上的廣大公眾；書中§5通過監控社交媒體了解公眾看法。",
            "网上的广大公众；书中§5通过监控社交媒体了解公众看法。",
        ),
    ),
    _kind(
        "employees",
        ("Employees", "員工", "员工"),
        internal=True,
        channels=(_C.INTERNAL_MEETING, _C.EMAIL),
        description=(
            (
                "Staff; book §5 holds emergency meetings and regular internal "
                "updates first (內部溝通策略)."
            ),
            "員工；書中§5先以緊急會議和定期更新公告進行內部溝通。",
            "员工；书中§5先以紧急会议和定期更新公告进行内部沟通。",
        ),
    ),
    _kind(
        "regulators",
        ("Regulators", "監管機構", "监管机构"),
        internal=False,
        channels=(_C.EMAIL,),
        description=(
            "Authorities to notify, e.g. of a data leak (book §2.5: legal risk).",
            "需通報的監管機構，例如數據泄露時（書中§2.5：法律風險）。",
            "需通报的监管机构，例如数据泄露时（书中§2.5：法律风险）。",
        ),
    ),
    _kind(
        "investors",
        ("Investors", "投資者", "投资者"),
        internal=False,
        channels=(_C.EMAIL, _C.PRESS_RELEASE),
        description=(
            (
                "Shareholders and lenders, including the financial institutions "
                "(金融機構) of book §2.4."
            ),
            "股東與出資方，包括書中§2.4的金融機構。",
            "股东与出资方，包括书中§2.4的金融机构。",
        ),
    ),
)


def default_kinds() -> StakeholderKindCatalog:
    """Return the built-in catalog of stakeholder kinds (book §4–§5).

    The catalog is open: ``default_kinds().add(StakeholderKind(...))`` returns a
    new catalog with your own kind.

    Examples
    --------
    >>> kinds = default_kinds()
    >>> kinds["logistics_partners"].labels.zh_hant
    '物流服務商'
    >>> [k.key for k in kinds if k.internal]
    ['employees']
    """
    return StakeholderKindCatalog(_DEFAULT_KINDS)


# --- stakeholders and influence -------------------------------------------------


def _to_float(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Store integral scores (``1``) as floats; pass anything else through."""
    if isinstance(value, (int, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    ):
        return float(value)
    return value


def _to_int(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Store numpy integers as ``int``; pass anything else through."""
    if isinstance(value, np.integer):
        return int(value)
    return value


def _check_reach(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int >= 0 (an audience size)")
    if value < 0:
        raise ValidationError(name, value, "an int >= 0 (an audience size)")


_UNIT = is_finite(low=0.0, high=1.0)


@attrs.frozen(kw_only=True)
class Stakeholder:
    """A person or group with a stake in the crisis (利益相關者, book §4–§5).

    The three salience attributes follow Mitchell, Agle & Wood (1997) and the
    interest axis Mendelow's power–interest grid; see
    `crisisops.stakeholders.classification`.

    Attributes
    ----------
    key
        Stable key, e.g. ``"customers"`` or ``"segment.vip"``; unique in a graph.
    name
        Display name, e.g. ``"VIP customers"``.
    kind
        Key of its `StakeholderKind`, e.g. ``"media"``
        (`StakeholderGraph.check_kinds` checks it against a catalog).
    power
        Ability to make the company do what it otherwise would not (coercive,
        utilitarian or normative power), in [0, 1].
    legitimacy
        How proper and appropriate its claim is seen to be, in [0, 1].
    urgency
        How much its claim calls for immediate attention (time-sensitive and
        critical), in [0, 1].
    interest
        How likely it is to act on its expectations (Mendelow), in [0, 1].
    sentiment
        Attitude toward the company, from -1 (hostile) to 1 (supportive);
        default 0 (neutral).
    reach
        Audience size: how many people it speaks to (followers, readers,
        customers), an int >= 0; default 0.
    channels
        Preferred channels (`Channel`), in order; empty means "the kind's
        defaults". Channel keys such as ``"hotline"`` are accepted.

    Raises
    ------
    ValidationError
        For a score outside its range or not finite (NaN, infinite), a negative
        reach, a malformed key or a repeated channel.
    InvalidTypeError
        For a value of the wrong type (``bool`` is not a score).
    UnknownKeyError
        For a channel key that names no `Channel`, e.g. ``"hotlin"`` (with
        suggestions).
    """

    key: str = attrs.field(validator=is_key())
    name: str = attrs.field(validator=is_text())
    kind: str = attrs.field(validator=is_key(dotted=False))
    power: float = attrs.field(converter=_to_float, validator=_UNIT)
    legitimacy: float = attrs.field(converter=_to_float, validator=_UNIT)
    urgency: float = attrs.field(converter=_to_float, validator=_UNIT)
    interest: float = attrs.field(converter=_to_float, validator=_UNIT)
    sentiment: float = attrs.field(
        default=0.0,
        converter=_to_float,
        validator=is_finite(low=-1.0, high=1.0),
    )
    reach: int = attrs.field(default=0, converter=_to_int, validator=_check_reach)
    channels: tuple[Channel, ...] = attrs.field(
        default=(),
        converter=_to_channels,
        validator=[is_tuple_of(_check_channel), is_unique("channel")],
    )


def _check_not_self_loop(instance: Influence, attribute: Any, value: str) -> None:  # noqa: ANN401
    if value == instance.source:
        raise ValidationError(
            field_name(attribute),
            value,
            f"a stakeholder other than the source {instance.source!r} "
            "(no self-loops: a stakeholder does not influence itself)",
        )


@attrs.frozen(kw_only=True)
class Influence:
    """An influence arc: what ``source`` says or does sways ``target``.

    Information, and negative word of mouth, flows from ``source`` to
    ``target``: a KOL → her followers, the media → the public, a supplier →
    the logistics partner.

    Attributes
    ----------
    source
        Key of the stakeholder that exerts influence.
    target
        Key of the stakeholder influenced; not ``source``.
    weight
        Strength in [0, 1]: 0 none, 1 total. Diffusion models read it as a
        probability (independent cascade) or a share of the target's
        threshold (linear threshold).

    Raises
    ------
    ValidationError
        For a weight outside [0, 1] or not finite, a malformed key, or a
        self-loop (``source == target``).
    """

    source: str = attrs.field(validator=is_key())
    target: str = attrs.field(validator=[is_key(), _check_not_self_loop])
    weight: float = attrs.field(converter=_to_float, validator=_UNIT)


# --- the graph ----------------------------------------------------------------


def _read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _view(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Return a read-only view; its base is read-only, so it stays read-only."""
    view: npt.NDArray[Any] = array.view()
    view.setflags(write=False)
    return view


@attrs.frozen(kw_only=True)
class StakeholderGraph:
    """Stakeholders and who influences whom, as an immutable value.

    The node order is the order of ``stakeholders``: every array this class
    and the analysis functions return is indexed in that order. The graph is
    validated when it is built, and every update returns a new graph; the old
    one never changes.

    A networkx ``DiGraph`` is built privately on first use (for betweenness and
    communities) and cached; `graph()` hands out a fresh copy, never the cache.

    Attributes
    ----------
    stakeholders
        The stakeholders (`Stakeholder`), keys unique; may be empty.
    influences
        The influence arcs (`Influence`) between them: both ends must be
        stakeholders of the graph, and at most one arc per ordered pair.

    Raises
    ------
    DuplicateKeyError
        For two stakeholders with one key or two arcs with one (source,
        target) pair.
    UnknownKeyError
        For an arc end that names no stakeholder (with suggestions).
    InvalidTypeError
        For items that are not `Stakeholder` / `Influence`.
    """

    stakeholders: tuple[Stakeholder, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Stakeholder, "a Stakeholder")),
    )
    influences: tuple[Influence, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Influence, "an Influence")),
    )
    _index: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _keys: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _indptr: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _targets: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _weights: FloatArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _sources: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _order: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _nx: Any = attrs.field(init=False, default=None, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Check keys and arcs; build the index and the CSR arrays."""
        keys = [s.key for s in self.stakeholders]
        index = {key: i for i, key in enumerate(keys)}
        if len(index) != len(keys):
            seen: set[str] = set()
            for key in keys:
                if key in seen:
                    raise DuplicateKeyError("stakeholder", key)
                seen.add(key)
        n = len(keys)
        sources = list(map(index.get, [a.source for a in self.influences]))
        targets = list(map(index.get, [a.target for a in self.influences]))
        if None in sources or None in targets:
            for position, arc in enumerate(self.influences):
                for end in ("source", "target"):
                    value = getattr(arc, end)
                    if value not in index:
                        raise UnknownKeyError(
                            f"stakeholder (in influences[{position}].{end})",
                            value,
                            keys,
                        )
        src = np.fromiter(sources, dtype=np.int64, count=len(sources))
        dst = np.fromiter(targets, dtype=np.int64, count=len(targets))
        weights = np.fromiter(
            [a.weight for a in self.influences], dtype=np.float64, count=len(src)
        )
        pair = src * max(n, 1) + dst
        unique, first, counts = np.unique(pair, return_index=True, return_counts=True)
        if unique.size != pair.size:
            repeated = unique[counts > 1]
            positions = np.flatnonzero(np.isin(pair, repeated))
            first_of = dict(zip(unique.tolist(), first.tolist(), strict=True))
            later = next(int(p) for p in positions if first_of[int(pair[p])] != p)
            arc = self.influences[later]
            raise DuplicateKeyError(
                f"influence (influences[{later}] repeats "
                f"influences[{first_of[int(pair[later])]}])",
                f"{arc.source} -> {arc.target}",
            )
        order = np.argsort(src, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        object.__setattr__(self, "_index", FrozenDict(index))
        object.__setattr__(self, "_keys", tuple(keys))
        object.__setattr__(self, "_indptr", _read_only(indptr))
        object.__setattr__(self, "_targets", _read_only(dst[order]))
        object.__setattr__(self, "_weights", _read_only(weights[order]))
        object.__setattr__(self, "_sources", _read_only(src[order]))
        object.__setattr__(self, "_order", _read_only(order.astype(np.int64)))

    # --- reading ---------------------------------------------------------------

    def __len__(self) -> int:
        """Return the number of stakeholders."""
        return len(self.stakeholders)

    def __contains__(self, key: object) -> bool:
        """Return whether a stakeholder with this key is in the graph."""
        return isinstance(key, str) and key in self._index

    @property
    def keys(self) -> tuple[str, ...]:
        """The stakeholder keys in node order."""
        return self._keys

    def index(self, key: str) -> int:
        """Return the node position of the stakeholder ``key``.

        Raises
        ------
        UnknownKeyError
            If no stakeholder has that key (with suggestions).
        InvalidTypeError
            If ``key`` is not a str.
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a stakeholder key (str)")
        position = self._index.get(key)
        if position is None:
            raise UnknownKeyError("stakeholder", key, self._index.keys())
        return position

    def stakeholder(self, key: str) -> Stakeholder:
        """Return the stakeholder with ``key`` (see `index` for errors)."""
        return self.stakeholders[self.index(key)]

    def successors(self, key: str) -> tuple[str, ...]:
        """Return the keys ``key`` influences, in the order of its arcs."""
        i = self.index(key)
        keys = self.keys
        return tuple(
            keys[j] for j in self._targets[self._indptr[i] : self._indptr[i + 1]]
        )

    def predecessors(self, key: str) -> tuple[str, ...]:
        """Return the keys that influence ``key``, in node order."""
        i = self.index(key)
        keys = self.keys
        sources = np.unique(self._sources[self._targets == i])
        return tuple(keys[j] for j in sources)

    def influence(self, source: str, target: str) -> Influence | None:
        """Return the arc ``source`` → ``target``, or ``None`` if there is none.

        Raises
        ------
        UnknownKeyError
            If either key names no stakeholder.
        """
        position = self._arc_position(self.index(source), self.index(target))
        return None if position is None else self.influences[position]

    def _arc_position(self, i: int, j: int) -> int | None:
        """Return the position in ``influences`` of the arc i → j, if any."""
        start, stop = int(self._indptr[i]), int(self._indptr[i + 1])
        hits = np.flatnonzero(self._targets[start:stop] == j)
        return None if hits.size == 0 else int(self._order[start + hits[0]])

    def out_arrays(self) -> tuple[IntArray, IntArray, FloatArray]:
        """Return the out-arcs in compressed sparse row form, read-only.

        Returns
        -------
        indptr : numpy.ndarray of int64, shape (n + 1,)
            The arcs leaving node ``i`` are ``indptr[i]:indptr[i + 1]``.
        targets : numpy.ndarray of int64, shape (m,)
            Target node of each arc; within a node, arcs keep the order of
            ``influences``.
        weights : numpy.ndarray of float64, shape (m,)
            Weight of each arc.
        """
        return _view(self._indptr), _view(self._targets), _view(self._weights)

    def arc_sources(self) -> IntArray:
        """Return the source node of each arc of `out_arrays` (int64, read-only)."""
        return _view(self._sources)

    def in_degree(self) -> IntArray:
        """Return how many arcs enter each node (int64, node order)."""
        return _read_only(np.bincount(self._targets, minlength=len(self)))

    def in_weight_sums(self) -> FloatArray:
        """Return the sum of the weights of the arcs entering each node."""
        return _read_only(
            np.bincount(self._targets, weights=self._weights, minlength=len(self))
        )

    def out_weight_sums(self) -> FloatArray:
        """Return the sum of the weights of the arcs leaving each node."""
        return _read_only(
            np.bincount(self._sources, weights=self._weights, minlength=len(self))
        )

    def score_array(self, field: str) -> FloatArray:
        """Return one score of every stakeholder as a float64 array (node order).

        Parameters
        ----------
        field
            One of `SCORE_FIELDS`: ``"power"``, ``"legitimacy"``, ``"urgency"``,
            ``"interest"``, ``"sentiment"`` or ``"reach"``.

        Raises
        ------
        UnknownKeyError
            For another name (with suggestions).
        """
        _check_score_field(field, "field")
        values = np.fromiter(
            (getattr(s, field) for s in self.stakeholders),
            dtype=np.float64,
            count=len(self),
        )
        return _read_only(values)

    def check_kinds(self, catalog: StakeholderKindCatalog) -> None:
        """Check that every stakeholder's ``kind`` is in ``catalog``.

        Raises
        ------
        UnknownKeyError
            Naming the first stakeholder whose kind is unknown, with
            suggestions.
        InvalidTypeError
            If ``catalog`` is not a `StakeholderKindCatalog`.
        """
        _check_catalog(catalog)
        for position, person in enumerate(self.stakeholders):
            if person.kind not in catalog:
                raise UnknownKeyError(
                    f"stakeholder kind (in stakeholders[{position}].kind)",
                    person.kind,
                    catalog.keys(),
                )

    def internal_mask(self, catalog: StakeholderKindCatalog) -> BoolArray:
        """Return which stakeholders are internal, by their kind in ``catalog``.

        Raises
        ------
        UnknownKeyError
            If a stakeholder's kind is not in ``catalog`` (see `check_kinds`).
        """
        self.check_kinds(catalog)
        return _read_only(
            np.fromiter(
                (catalog[s.kind].internal for s in self.stakeholders),
                dtype=np.bool_,
                count=len(self),
            )
        )

    def graph(self) -> nx.DiGraph:
        """Return a new networkx ``DiGraph`` of the stakeholders and arcs.

        Nodes are the keys, in node order, with the stakeholder's fields as
        attributes (``name``, ``kind``, the scores); arcs carry ``weight``.
        Every call returns a fresh copy: changing it never changes this graph.
        """
        return self._digraph().copy()

    def _digraph(self) -> Any:  # noqa: ANN401  networkx is untyped
        """Return the cached networkx graph; private, never handed out."""
        if self._nx is None:
            graph = nx.DiGraph()
            graph.add_nodes_from(
                (
                    s.key,
                    {
                        "name": s.name,
                        "kind": s.kind,
                        "power": s.power,
                        "legitimacy": s.legitimacy,
                        "urgency": s.urgency,
                        "interest": s.interest,
                        "sentiment": s.sentiment,
                        "reach": s.reach,
                    },
                )
                for s in self.stakeholders
            )
            graph.add_weighted_edges_from(
                (a.source, a.target, a.weight) for a in self.influences
            )
            object.__setattr__(self, "_nx", graph)
        return self._nx

    # --- changing (always a new graph) -------------------------------------------

    def with_stakeholder(self, stakeholder: Stakeholder) -> StakeholderGraph:
        """Return a graph with ``stakeholder`` added, or swapped in by key.

        A new key is appended at the end of the node order; an existing key is
        replaced in place, keeping its arcs.
        """
        if not isinstance(stakeholder, Stakeholder):
            raise InvalidTypeError("stakeholder", stakeholder, "a Stakeholder")
        position = self._index.get(stakeholder.key)
        people = list(self.stakeholders)
        if position is None:
            people.append(stakeholder)
        else:
            people[position] = stakeholder
        return attrs.evolve(self, stakeholders=tuple(people))

    def without(self, *keys: str) -> StakeholderGraph:
        """Return a graph without the stakeholders ``keys`` and their arcs.

        Raises
        ------
        UnknownKeyError
            If a key names no stakeholder.
        """
        for key in keys:
            self.index(key)
        drop = set(keys)
        return attrs.evolve(
            self,
            stakeholders=tuple(s for s in self.stakeholders if s.key not in drop),
            influences=tuple(
                a
                for a in self.influences
                if a.source not in drop and a.target not in drop
            ),
        )

    def with_influence(
        self,
        source: str | Influence,
        target: str | None = None,
        weight: float | None = None,
    ) -> StakeholderGraph:
        """Return a graph with the arc ``source`` → ``target`` set to ``weight``.

        Pass either an `Influence` or the three values. A new arc is appended;
        an existing one has its weight replaced in place.

        Raises
        ------
        UnknownKeyError
            If an end names no stakeholder.
        ValidationError, InvalidTypeError
            For a bad weight, a self-loop, or mixing an `Influence` with
            ``target``/``weight``.
        """
        if isinstance(source, Influence):
            if target is not None or weight is not None:
                raise ValidationError(
                    "target",
                    target if target is not None else weight,
                    "None when an Influence is passed (give either an Influence "
                    "or source, target and weight)",
                )
            arc = source
        else:
            if weight is None:
                raise ValidationError("weight", weight, "a number in [0, 1]")
            arc = Influence(source=source, target=target, weight=weight)  # type: ignore[arg-type]
        position = self._arc_position(self.index(arc.source), self.index(arc.target))
        arcs = list(self.influences)
        if position is None:
            arcs.append(arc)
        else:
            arcs[position] = arc
        return attrs.evolve(self, influences=tuple(arcs))

    def without_influence(self, source: str, target: str) -> StakeholderGraph:
        """Return a graph without the arc ``source`` → ``target``.

        Raises
        ------
        UnknownKeyError
            If an end names no stakeholder or there is no such arc.
        """
        position = self._arc_position(self.index(source), self.index(target))
        if position is None:
            raise UnknownKeyError(
                "influence",
                f"{source} -> {target}",
                [f"{a.source} -> {a.target}" for a in self.influences],
            )
        arcs = self.influences
        return attrs.evolve(self, influences=arcs[:position] + arcs[position + 1 :])

    def with_scores(self, key: str, /, **changes: float) -> StakeholderGraph:
        """Return a graph where stakeholder ``key`` has new scores.

        Positions move during a crisis: a dependent stakeholder who finds a
        powerful ally becomes definitive. ``changes`` may name any of
        `SCORE_FIELDS`; the stakeholder is re-validated.

        Raises
        ------
        UnknownKeyError
            For an unknown stakeholder or a name that is not a score.
        ValidationError, InvalidTypeError
            For a value out of range or of the wrong type.
        """
        position = self.index(key)
        for name in changes:
            _check_score_field(name, "changes")
        person = attrs.evolve(self.stakeholders[position], **changes)  # type: ignore[arg-type]
        people = list(self.stakeholders)
        people[position] = person
        return attrs.evolve(self, stakeholders=tuple(people))


def _check_score_field(name: object, field: str) -> None:
    if not isinstance(name, str):
        raise InvalidTypeError(field, name, f"one of {', '.join(SCORE_FIELDS)}")
    if name not in SCORE_FIELDS:
        raise UnknownKeyError(f"score field (in {field})", name, SCORE_FIELDS)


def _check_catalog(catalog: object) -> None:
    if not isinstance(catalog, StakeholderKindCatalog):
        raise InvalidTypeError("catalog", catalog, "a StakeholderKindCatalog")


def _check_graph(graph: object) -> StakeholderGraph:
    if not isinstance(graph, StakeholderGraph):
        raise InvalidTypeError("graph", graph, "a StakeholderGraph")
    return graph


def _check_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field, value, "a bool")
    return value


# --- centrality ---------------------------------------------------------------


_MAX_ITERATIONS = 100_000


def pagerank(
    graph: StakeholderGraph,
    *,
    alpha: float = 0.85,
    weighted: bool = True,
    reverse: bool = True,
    tol: float = 1.0e-10,
) -> FloatArray:
    """Return the PageRank of every stakeholder (node order; sums to 1).

    A random walker follows arcs with probability proportional to their
    weight (damping ``alpha``) and jumps to a uniformly random stakeholder
    otherwise; a node with no usable arc out spreads its rank over all nodes
    (networkx's convention). Computed by power iteration on the arc arrays
    until the L1 change is below ``n * tol``.

    With ``reverse=True`` (default) the walk runs *against* the influence
    arcs, so rank accumulates on stakeholders that sway influential
    stakeholders: who spreads a message (key influencers). With
    ``reverse=False`` it runs along them: who hears from many influential
    sources. It equals ``networkx.pagerank(G.reverse(), alpha, weight=...)``
    (or of ``G``) to within ``tol``.

    Parameters
    ----------
    graph
        The stakeholder graph.
    alpha
        Damping factor in [0, 1); default 0.85 (Page et al. 1999). The
        iteration needs about ``log(tol) / log(alpha)`` steps; a factor so
        close to 1 that this exceeds 100,000 is refused.
    weighted
        Use arc weights (default) or count every arc as 1.
    reverse
        Rank spreaders (default) or receivers, see above.
    tol
        Convergence tolerance per node, > 0.

    Returns
    -------
    numpy.ndarray of float64
        Read-only, one value per stakeholder in node order.

    Raises
    ------
    ValidationError, InvalidTypeError
        For a ``graph`` that is not a `StakeholderGraph` or a parameter out
        of range.

    Examples
    --------
    >>> from crisisops.stakeholders.graph import Influence, Stakeholder
    >>> people = [
    ...     Stakeholder(
    ...         key=k,
    ...         name=k,
    ...         kind="public",
    ...         power=0,
    ...         legitimacy=0,
    ...         urgency=0,
    ...         interest=0,
    ...     )
    ...     for k in ("a", "b")
    ... ]
    >>> g = StakeholderGraph(
    ...     stakeholders=people,
    ...     influences=[Influence(source="a", target="b", weight=1)],
    ... )
    >>> [round(float(x), 4) for x in pagerank(g)]
    [0.6491, 0.3509]
    """
    _check_graph(graph)
    alpha = check_finite(alpha, "alpha", low=0.0, high=1.0)
    if alpha >= 1.0:
        raise ValidationError("alpha", alpha, "a damping factor in [0, 1)")
    _check_bool(weighted, "weighted")
    _check_bool(reverse, "reverse")
    tol = check_finite(tol, "tol", low=0.0)
    if tol <= 0.0:
        raise ValidationError("tol", tol, "a tolerance > 0")
    n = len(graph)
    if n == 0:
        return _read_only(np.zeros(0))
    src, dst = graph._sources, graph._targets  # noqa: SLF001  same module
    weights = graph._weights if weighted else np.ones_like(graph._weights)  # noqa: SLF001
    if reverse:
        src, dst = dst, src
    out = np.bincount(src, weights=weights, minlength=n)
    usable = weights > 0.0
    src, dst, weights = src[usable], dst[usable], weights[usable]
    share = weights / out[src]
    dangling = out <= 0.0
    rank = np.full(n, 1.0 / n)
    # The L1 change after k steps is at most 2 alpha^k, so `limit` steps always
    # reach the tolerance; refuse a damping so close to 1 that it would not.
    limit = 10 + math.ceil(math.log(tol / 2.0) / math.log(alpha)) if alpha > 0 else 1
    if limit > _MAX_ITERATIONS:
        raise ValidationError(
            "alpha",
            alpha,
            f"a damping factor for which PageRank reaches tol={tol:g} within "
            f"{_MAX_ITERATIONS:,} iterations (lower alpha or raise tol)",
        )
    for _ in range(max(limit, 1)):
        flow = np.bincount(dst, weights=rank[src] * share, minlength=n)
        spread = rank[dangling].sum() / n
        new = alpha * (flow + spread) + (1.0 - alpha) / n
        change = float(np.abs(new - rank).sum())
        rank = new
        if change < n * tol:
            break
    return _read_only(rank / rank.sum())


def betweenness(
    graph: StakeholderGraph,
    *,
    weighted: bool = True,
    normalized: bool = True,
) -> FloatArray:
    """Return the betweenness centrality of every stakeholder (node order).

    The share of shortest influence paths between other stakeholders that
    pass through a stakeholder: brokers between groups (a journalist between
    a KOL and the public) score high. Brandes' (2001) algorithm, by
    ``networkx.betweenness_centrality`` on the directed graph.

    With ``weighted=True`` an arc's length is ``1 / weight`` — a strong
    influence is a short hop (the "weights as inverse distances" convention
    of Opsahl, Agneessens & Skvoretz 2010) — and arcs of weight 0 carry no
    path at all. With ``weighted=False`` every arc has length 1.

    Parameters
    ----------
    graph
        The stakeholder graph.
    weighted
        Use ``1 / weight`` as the arc length (default) or hop counts.
    normalized
        Divide by ``(n - 1)(n - 2)``, the number of ordered pairs of other
        nodes (networkx's convention for directed graphs); default ``True``.

    Returns
    -------
    numpy.ndarray of float64
        Read-only, one value per stakeholder in node order.

    Raises
    ------
    InvalidTypeError
        For a ``graph`` that is not a `StakeholderGraph` or a non-bool flag.

    Examples
    --------
    The module example finds the press brokering between a KOL and the
    buyers, weighted and by hops.
    """
    _check_graph(graph)
    _check_bool(weighted, "weighted")
    _check_bool(normalized, "normalized")
    if len(graph) == 0:
        return _read_only(np.zeros(0))
    source = graph._digraph()  # noqa: SLF001  same module; the cache is never changed
    if weighted:
        paths = nx.DiGraph()
        paths.add_nodes_from(source)
        paths.add_weighted_edges_from(
            (
                (u, v, 1.0 / data["weight"])
                for u, v, data in source.edges(data=True)
                if data["weight"] > 0.0
            ),
            weight="distance",
        )
        values = nx.betweenness_centrality(
            paths, normalized=normalized, weight="distance"
        )
    else:
        values = nx.betweenness_centrality(source, normalized=normalized)
    return _read_only(
        np.fromiter((values[k] for k in graph.keys), dtype=np.float64, count=len(graph))
    )


_MEASURES = ("pagerank", "betweenness")


def key_influencers(
    graph: StakeholderGraph,
    *,
    top: int = 3,
    measure: Literal["pagerank", "betweenness"] = "pagerank",
) -> tuple[str, ...]:
    """Return the keys of the ``top`` stakeholders by a centrality measure.

    Highest first; ties keep node order. ``measure`` is ``"pagerank"``
    (spreaders, `pagerank()` with its defaults) or ``"betweenness"`` (brokers,
    `betweenness()` with its defaults). Fewer keys come back when the graph
    has fewer than ``top`` stakeholders.

    Raises
    ------
    ValidationError, InvalidTypeError, UnknownKeyError
        For ``top`` < 1 or not an int, or an unknown measure.

    Examples
    --------
    The module example ranks a KOL first by PageRank (it spreads) and the
    press first by betweenness (it brokers).
    """
    _check_graph(graph)
    if isinstance(top, (bool, np.bool_)) or not isinstance(top, (int, np.integer)):
        raise InvalidTypeError("top", top, "an int >= 1")
    top = int(top)
    if top < 1:
        raise ValidationError("top", top, "an int >= 1")
    if measure not in _MEASURES:
        raise UnknownKeyError("centrality measure", measure, _MEASURES)
    scores = pagerank(graph) if measure == "pagerank" else betweenness(graph)
    order = np.lexsort((np.arange(len(graph)), -scores))
    keys = graph.keys
    return tuple(keys[i] for i in order[:top])


# --- communities ----------------------------------------------------------------

_METHODS = ("greedy", "louvain")


def communities(
    graph: StakeholderGraph,
    *,
    method: Literal["greedy", "louvain"] = "greedy",
    resolution: float = 1.0,
    seed: SeedLike | None = None,
    rng: SeedLike | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Split the stakeholders into communities that influence each other.

    Communities maximise weighted directed modularity (Leicht & Newman 2008)
    on the influence arcs:

    * ``method="greedy"`` (default) – Clauset–Newman–Moore greedy agglomeration
      (``networkx.community.greedy_modularity_communities``), deterministic,
      no seed needed;
    * ``method="louvain"`` – Blondel et al. (2008) Louvain
      (``networkx.community.louvain_communities``), which visits nodes in a
      random order and so needs explicit randomness, ``rng`` (or its
      networkx-style alias ``seed``): an int seed gives the same communities
      every time; a Generator supplies one draw for the seed.

    Parameters
    ----------
    graph
        The stakeholder graph.
    method
        ``"greedy"`` or ``"louvain"``.
    resolution
        Modularity resolution, > 0: above 1 favours smaller communities.
    rng
        Required for Louvain: an int seed >= 0 or a numpy Generator, as the
        ``rng`` of `crisisops.stakeholders.diffusion.simulate_spread`. Must be
        ``None`` for greedy, which needs none.
    seed
        The same as ``rng`` under networkx's name; give one of the two.

    Returns
    -------
    tuple of tuple of str
        Each community's keys in node order; the communities largest first,
        ties by their first stakeholder's position. Every stakeholder is in
        exactly one community (an isolated one forms its own; with no arc of
        positive weight, every stakeholder does).

    Raises
    ------
    ValidationError, InvalidTypeError, UnknownKeyError
        For an unknown method, a bad resolution, Louvain without ``rng`` /
        ``seed``, both given, or either given to greedy.

    Examples
    --------
    Two tight circles, ``a``–``b``–``c`` and ``d``–``e``, joined by one weak
    arc:

    >>> def person(key):
    ...     return Stakeholder(
    ...         key=key,
    ...         name=key,
    ...         kind="public",
    ...         power=0.5,
    ...         legitimacy=0.5,
    ...         urgency=0.5,
    ...         interest=0.5,
    ...     )
    >>> arcs = [
    ...     ("a", "b", 0.9),
    ...     ("b", "a", 0.9),
    ...     ("b", "c", 0.9),
    ...     ("c", "a", 0.9),
    ...     ("d", "e", 0.9),
    ...     ("e", "d", 0.9),
    ...     ("c", "d", 0.1),
    ... ]
    >>> graph = StakeholderGraph(
    ...     stakeholders=[person(key) for key in "abcde"],
    ...     influences=[Influence(source=s, target=t, weight=w) for s, t, w in arcs],
    ... )
    >>> communities(graph)
    (('a', 'b', 'c'), ('d', 'e'))
    >>> communities(graph, method="louvain", rng=1)
    (('a', 'b', 'c'), ('d', 'e'))
    """
    _check_graph(graph)
    if method not in _METHODS:
        raise UnknownKeyError("community method", method, _METHODS)
    resolution = check_finite(resolution, "resolution", low=0.0)
    if resolution <= 0.0:
        raise ValidationError("resolution", resolution, "a number > 0")
    field, given = ("seed", seed) if rng is None else ("rng", rng)
    if rng is not None and seed is not None:
        raise ValidationError(
            "seed", seed, "None when 'rng' is given (they are the same argument)"
        )
    if method == "greedy" and given is not None:
        raise ValidationError(
            field, given, "None for method='greedy' (it is deterministic)"
        )
    if method == "louvain":
        # resolve_rng refuses None, naming the argument and saying why
        generator = resolve_rng(given, "rng" if given is None else field)  # type: ignore[arg-type]
        nx_seed = (
            int(given)
            if isinstance(given, (int, np.integer))
            else int(generator.integers(0, 2**31 - 1))
        )
    if len(graph) == 0:
        return ()
    keys = graph.keys
    if not bool((graph._weights > 0.0).any()):  # noqa: SLF001  same module
        # No influence at all: modularity is undefined (networkx divides by
        # the total weight), and every stakeholder is a community of its own.
        return tuple((key,) for key in keys)
    source = graph._digraph()  # noqa: SLF001  same module; the cache is never changed
    if method == "greedy":
        found = nx.community.greedy_modularity_communities(
            source, weight="weight", resolution=resolution
        )
    else:
        found = nx.community.louvain_communities(
            source, weight="weight", resolution=resolution, seed=nx_seed
        )
    index = graph._index  # noqa: SLF001  same module
    groups = [sorted(index[k] for k in group) for group in found]
    groups.sort(key=lambda members: (-len(members), members[0]))
    return tuple(tuple(keys[i] for i in members) for members in groups)
