"""Risk sources and the risk register (book §3 確定風險源, 構建風險評估體系).

The book's warning mechanism starts by naming where risk comes from
(確定風險源): "電商運營中的風險源多種多樣,包括但不限於供應鏈中斷、市場競爭激化、
消費者投訴增多等" — supply-chain disruption, fiercer competition, more
customer complaints and more. It then builds an evaluation system
(構建風險評估體系) that quantifies each risk's probability and impact. ISO
31000 keeps the result in a *risk register* (§6.7, recording and reporting).
This module is that register, as immutable values:

* `RiskSource` – one source of risk, internal or external (`SourceOrigin`),
  in a book §2 `CrisisCategory`; `default_sources()` lists the sources the
  book names, in a `RiskSourceCatalog`.
* `Risk` – one entry: key, title, the crisis type it would become, its
  source, the bow-tie chain cause → event → consequence, owner role,
  `RiskStatus`, ISO 31000 `Treatment`, controls, linked trigger rules and
  key risk indicators, four dated assessments (inherent, current,
  residual, target; see `AssessmentKind`), next review date and tags.
* `Assessment` – a likelihood level and per-dimension `ImpactRating`
  from one assessor at one moment, optionally with a Monte Carlo loss model;
  graded by a `RiskMatrix`.
* `RiskRegister` – the register: `add`, `update`, `replace`, `assess` and
  `retire` return a new register and append a `RegisterChange` (what, when,
  who, before and after) to its append-only ``history``. The history *is*
  the register: a register built from a history (``RiskRegister(history=
  ...)``, `from_data`) replays and checks every change, and each change
  method checks its one change against the current state and applies it
  without replaying — both give the same register, and
  `RiskRegister.as_of` gives the register at any past moment. Queries rank
  and filter the open risks: by grade, response level, category, owner,
  status, overdue review, top-N by score or by simulated loss, and
  heat-map counts.

Examples
--------
>>> from datetime import datetime, timezone
>>> from crisisops.risk.register import Assessment, Risk, RiskRegister, RiskStatus
>>> q1 = datetime(2026, 3, 31, 17, 0, tzinfo=timezone.utc)
>>> stockout = Risk(
...     key="peak_season_stockout",
...     title="Best sellers run out during the 11.11 peak",
...     crisis_type="supply_chain.peak_season_stockout",
...     source="supply.disruption",
...     cause="A single supplier cannot scale production",
...     event="Top SKUs out of stock for days",
...     consequence="Lost sales, angry customers, ranking drop",
...     owner_role="supply_chain_lead",
... )
>>> register = RiskRegister().add(stockout, at=q1, by="ops-lead")
>>> current = Assessment(
...     likelihood=4,
...     impacts={"financial": 4, "customer_relationship": 3},
...     assessed_at=q1,
...     assessor="ops-lead",
... )
>>> register = register.assess("peak_season_stockout", current, at=q1, by="ops-lead")
>>> risk = register["peak_season_stockout"]
>>> risk.status is RiskStatus.ASSESSED, risk.current.score(), risk.current.grade().key
(True, 16, 'high')
>>> [change.kind.value for change in register.history]
['add', 'update']

A second risk, less likely but with a worse impact, comes first only
when ranked by impact (`RANKINGS` lists the orders `RiskRegister.top`
knows):

>>> from crisisops.risk.register import RANKINGS
>>> outage = Risk(
...     key="platform_outage",
...     title="Shop platform down",
...     crisis_type="technical.platform_outage",
... )
>>> register = register.add(outage, at=q1, by="ops-lead").assess(
...     "platform_outage",
...     Assessment(
...         likelihood=2, impacts={"financial": 5}, assessed_at=q1, assessor="ops-lead"
...     ),
...     at=q1,
...     by="ops-lead",
... )
>>> RANKINGS
('score', 'grade', 'likelihood', 'impact')
>>> [risk.key for risk in register.top(2, by="score")]  # 4 x 4 = 16 > 2 x 5
['peak_season_stockout', 'platform_outage']
>>> [risk.key for risk in register.top(2, by="impact")]
['platform_outage', 'peak_season_stockout']

Simulations stop at `MAX_TRIALS` simulated years:

>>> from crisisops.errors import ValidationError
>>> from crisisops.risk.simulation import MAX_TRIALS
>>> try:
...     register.top_by_simulated_loss(1, trials=MAX_TRIALS + 1, seed=1)
... except ValidationError as error:
...     error.field, error.expected
('trials', 'an int from 1 to 100000000')

References
----------
ISO 31000:2018 *Risk management — Guidelines*, §6.4 (risk assessment),
§6.5.2 (selection of risk treatment options), §6.7 (recording and
reporting). Geneva: ISO.
ISO Guide 73:2009 *Risk management — Vocabulary* (risk source, residual
risk, risk owner, risk register). Geneva: ISO.
IEC 31010:2019 *Risk management — Risk assessment techniques*, Annex B.4.2
(bow-tie analysis: causes → event → consequences). Geneva: IEC.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_aware,
    check_finite,
    check_key,
    check_str,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    is_unique,
    to_str_tuple,
    to_tuple,
)
from crisisops.catalog import Catalog
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.risk.controls import Control, apply_controls
from crisisops.risk.correlation import RankCorrelation
from crisisops.risk.portfolio import CommonShock, Portfolio
from crisisops.risk.scales import (
    ImpactRating,
    ImpactRule,
    RiskGrade,
    RiskMatrix,
    default_matrix,
)
from crisisops.risk.simulation import (
    MAX_TRIALS,
    CompoundLossModel,
    FAIRModel,
    LossDistribution,
    LossModel,
    risk_generator,
    simulate,
)
from crisisops.taxonomy import CrisisCategory, CrisisTypeCatalog, ResponseLevel

__all__ = [
    "RANKINGS",
    "Assessment",
    "AssessmentKind",
    "ChangeKind",
    "RegisterChange",
    "Risk",
    "RiskRegister",
    "RiskSource",
    "RiskSourceCatalog",
    "RiskStatus",
    "SourceOrigin",
    "Treatment",
    "default_sources",
]

IntArray = npt.NDArray[np.int64]
K = TypeVar("K")
V = TypeVar("V")

#: The ways `RiskRegister.top` can rank risks.
RANKINGS = ("score", "grade", "likelihood", "impact")


_labels = Labels.of


# --- risk sources ----------------------------------------------------------------


class SourceOrigin(enum.Enum):
    """Whether a risk source lies inside the shop or outside it.

    ISO 31000:2018 §6.3.2 asks to understand both the external and the
    internal context; the book's sources mix both (supply-chain disruption
    comes from outside, a system that fails under peak load from inside).
    """

    INTERNAL = "internal"
    EXTERNAL = "external"

    @property
    def labels(self) -> Labels:
        """Name of the origin in English, 繁體 and 简体."""
        return _ORIGIN_LABELS[self]


_ORIGIN_LABELS = {
    SourceOrigin.INTERNAL: _labels("Internal", "內部", "内部"),
    SourceOrigin.EXTERNAL: _labels("External", "外部", "外部"),
}


@attrs.frozen(kw_only=True)
class RiskSource:
    """A source of risk (風險源): where a risk comes from (book §3 確定風險源).

    ISO Guide 73 defines a risk source as an element which alone or in
    combination has the potential to give rise to risk. Risks in a register
    name their source by key.

    Attributes
    ----------
    key
        Stable dotted key, e.g. ``"supply.disruption"``.
    title
        Short name, e.g. ``"Supply-chain disruption"``.
    category
        The book §2 `CrisisCategory` the source mostly feeds.
    origin
        `SourceOrigin.INTERNAL` or ``EXTERNAL``.
    description
        What to watch, in words; may be empty.
    labels
        The name in English, 繁體 and 简体 (the built-in sources have them).
    book_section
        Where the book names the source, e.g. ``"§3 確定風險源"``.

    Examples
    --------
    A source the book does not list, added to the built-in catalog:

    >>> from crisisops.taxonomy import CrisisCategory
    >>> single = RiskSource(
    ...     key="supply.single_supplier",
    ...     title="Single supplier for the best sellers",
    ...     category=CrisisCategory.SUPPLY_CHAIN,
    ...     origin=SourceOrigin.INTERNAL,
    ... )
    >>> sources = default_sources().add(single)
    >>> sources.in_category(CrisisCategory.SUPPLY_CHAIN).keys()
    ('supply.disruption', 'supply.inventory', 'supply.single_supplier')
    >>> single.origin.labels.zh_hant
    '內部'
    """

    key: str = attrs.field(validator=is_key())
    title: str = attrs.field(validator=is_text())
    category: CrisisCategory = attrs.field(validator=is_enum(CrisisCategory))
    origin: SourceOrigin = attrs.field(validator=is_enum(SourceOrigin))
    description: str = attrs.field(default="", validator=is_text(allow_empty=True))
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels"))
    )
    book_section: str | None = attrs.field(
        default=None, validator=is_optional(is_text())
    )


class RiskSourceCatalog(Catalog[RiskSource]):
    """An open, immutable catalog of risk sources, looked up by key.

    Start from `default_sources()` and ``add()`` your own; every change
    returns a new catalog.

    Examples
    --------
    >>> catalog: RiskSourceCatalog = default_sources()
    >>> len(catalog), catalog["customer.complaints"].labels.zh_hant
    (15, '消費者投訴增多')
    >>> catalog.of_origin(SourceOrigin.INTERNAL).keys()
    ... # doctest: +NORMALIZE_WHITESPACE
    ('customer.complaints', 'product.quality', 'supply.inventory',
     'technical.peak_load', 'finance.cash_flow')
    """

    entry_type = RiskSource
    kind = "risk source"

    def in_category(self, category: CrisisCategory) -> RiskSourceCatalog:
        """Return the sources of one book §2 category, in catalog order."""
        if not isinstance(category, CrisisCategory):
            raise InvalidTypeError("category", category, "a CrisisCategory")
        return self.select(lambda entry: entry.category is category)

    def of_origin(self, origin: SourceOrigin) -> RiskSourceCatalog:
        """Return the internal or the external sources, in catalog order."""
        if not isinstance(origin, SourceOrigin):
            raise InvalidTypeError("origin", origin, "a SourceOrigin")
        return self.select(lambda entry: entry.origin is origin)


_BUILT_IN_SOURCES = (
    # key, category, origin, (en, 繁體, 简体), description, book section
    (
        "supply.disruption",
        CrisisCategory.SUPPLY_CHAIN,
        SourceOrigin.EXTERNAL,
        ("Supply-chain disruption", "供應鏈中斷", "供应链中断"),
        (
            "Supplier production problems, transport delays and natural disasters "
            "that cut the flow of goods."
        ),
        "§3 確定風險源; §2.3 供應鏈斷裂風險",
    ),
    (
        "market.competition",
        CrisisCategory.MARKET,
        SourceOrigin.EXTERNAL,
        ("Fiercer market competition", "市場競爭激化", "市场竞争激化"),
        (
            "Competitors' pricing, promotions and products; watch industry news "
            "and competitors (密切關注行業動態和競爭對手情況)."
        ),
        "§3 確定風險源; §2.1 市場競爭加劇",
    ),
    (
        "customer.complaints",
        CrisisCategory.OTHER,
        SourceOrigin.INTERNAL,
        ("More customer complaints", "消費者投訴增多", "消费者投诉增多"),
        (
            "Rising complaints and negative reviews: the shop's own product and "
            "service quality as customers experience it."
        ),
        "§3 確定風險源",
    ),
    (
        "market.demand_change",
        CrisisCategory.MARKET,
        SourceOrigin.EXTERNAL,
        ("Changing consumer demand", "消費者需求變化", "消费者需求变化"),
        "Social trends, fashions and the economy move what customers buy.",
        "§2.1 市場需求變化; §4 市場趨勢",
    ),
    (
        "market.policy_change",
        CrisisCategory.MARKET,
        SourceOrigin.EXTERNAL,
        ("Policy change", "政策變化", "政策变化"),
        "New rules for platforms, taxes, imports or advertising.",
        "§2.1 市場突發事件",
    ),
    (
        "market.natural_disaster",
        CrisisCategory.MARKET,
        SourceOrigin.EXTERNAL,
        ("Natural disaster", "自然災害", "自然灾害"),
        "Storms, floods, earthquakes and epidemics that stop work or transport.",
        "§2.1 市場突發事件",
    ),
    (
        "product.quality",
        CrisisCategory.PRODUCT,
        SourceOrigin.INTERNAL,
        ("Product and service quality", "產品與服務質量", "产品与服务质量"),
        "Safety, performance and design defects, and service failures.",
        "§2.2 產品危機; §4 產品與服務質量",
    ),
    (
        "supply.inventory",
        CrisisCategory.SUPPLY_CHAIN,
        SourceOrigin.INTERNAL,
        ("Inventory management", "庫存管理", "库存管理"),
        "Too much stock ties up cash; too little loses sales in the peak season.",
        "§2.3 庫存危機",
    ),
    (
        "supply.logistics",
        CrisisCategory.OTHER,
        SourceOrigin.EXTERNAL,
        ("Logistics partners", "物流配送", "物流配送"),
        "Delayed, damaged and mis-delivered parcels.",
        "§2.6 物流配送危機",
    ),
    (
        "technical.peak_load",
        CrisisCategory.TECHNICAL,
        SourceOrigin.INTERNAL,
        ("Systems under peak load", "高並發系統故障", "高并发系统故障"),
        "The platform slows down or crashes when traffic peaks.",
        "§2.5 系統故障危機",
    ),
    (
        "technical.cyber_attack",
        CrisisCategory.TECHNICAL,
        SourceOrigin.EXTERNAL,
        ("Cyber attacks", "網絡攻擊", "网络攻击"),
        "Phishing, malware and data theft; leaks of customer data.",
        "§2.5 網絡安全危機; §4 技術與網絡安全",
    ),
    (
        "technical.change",
        CrisisCategory.TECHNICAL,
        SourceOrigin.EXTERNAL,
        ("Fast technology change", "技術更新換代", "技术更新换代"),
        "New technology (AI, big data) that leaves a slow shop behind.",
        "§1 背景介紹; §2.6 技術風險危機",
    ),
    (
        "finance.cash_flow",
        CrisisCategory.FINANCIAL,
        SourceOrigin.INTERNAL,
        ("Cash-flow management", "資金鏈管理", "资金链管理"),
        "Cash shortages and a broken cash chain from poor planning.",
        "§2.4 資金短缺危機, 資金鏈管理危機",
    ),
    (
        "finance.market_credit_fx",
        CrisisCategory.FINANCIAL,
        SourceOrigin.EXTERNAL,
        ("Market, credit and FX risk", "市場、信貸與匯率風險", "市场、信贷与汇率风险"),
        "Financial risks the shop must identify and control.",
        "§2.4 財務風險控制危機",
    ),
    (
        "brand.negative_news",
        CrisisCategory.OTHER,
        SourceOrigin.EXTERNAL,
        ("Negative news and word of mouth", "負面新聞與口碑", "负面新闻与口碑"),
        "Press and social-media stories that damage the brand image.",
        "§2.1 品牌形象受損; §2.6 品牌形象危機",
    ),
)


def default_sources() -> RiskSourceCatalog:
    """Return the risk sources the book names, as an open catalog.

    The three sources of book §3 確定風險源 (供應鏈中斷, 市場競爭激化,
    消費者投訴增多) come first, then the causes book §2 and §4 (分析危機原因)
    name: demand change, policy change, natural disasters, product and
    service quality, inventory, logistics, systems under peak load, cyber
    attacks, fast technology change, cash flow, market/credit/FX risk and
    negative news. Which are internal and which external is crisisops'
    documented reading of the book.

    Examples
    --------
    >>> sources = default_sources()
    >>> sources["supply.disruption"].labels.zh_hant
    '供應鏈中斷'
    >>> len(sources.of_origin(SourceOrigin.INTERNAL))
    5
    """
    return RiskSourceCatalog(
        tuple(
            RiskSource(
                key=key,
                title=names[0],
                category=category,
                origin=origin,
                description=description,
                labels=_labels(*names),
                book_section=section,
            )
            for key, category, origin, names, description, section in (
                _BUILT_IN_SOURCES
            )
        )
    )


# --- status, treatment, assessment kinds ------------------------------------------


class RiskStatus(enum.Enum):
    """Where a risk is in its management cycle (ISO 31000 §6.4–6.6).

    ``IDENTIFIED`` (已識別) → ``ASSESSED`` (已評估) → ``TREATED`` (已處置,
    a treatment other than acceptance is being carried out) or ``ACCEPTED``
    (已接受, retained by an informed decision) → ``MONITORED`` (監控中, the
    treatment is in place and its indicators are watched) → ``CLOSED``
    (已關閉). A risk may be re-assessed from any open status and closed from
    any open status; ``CLOSED`` is final. `allowed_next()` lists the moves.
    """

    IDENTIFIED = "identified"
    ASSESSED = "assessed"
    TREATED = "treated"
    ACCEPTED = "accepted"
    MONITORED = "monitored"
    CLOSED = "closed"

    @property
    def labels(self) -> Labels:
        """Name of the status in English, 繁體 and 简体."""
        return _STATUS_LABELS[self]

    @property
    def is_active(self) -> bool:
        """Whether the risk is still managed (every status but ``CLOSED``)."""
        return self is not RiskStatus.CLOSED

    def allowed_next(self) -> tuple[RiskStatus, ...]:
        """Return the statuses this one may move to, in enum order."""
        return _STATUS_MOVES[self]

    def can_move_to(self, target: RiskStatus) -> bool:
        """Return whether moving from this status to ``target`` is allowed."""
        return target in _STATUS_MOVES[self]

    def move_to(self, target: RiskStatus) -> RiskStatus:
        """Return ``target`` if the move is allowed.

        Raises
        ------
        InvalidTypeError
            If ``target`` is not a `RiskStatus`.
        TransitionError
            If the move is not allowed (e.g. ``IDENTIFIED`` → ``TREATED``
            before any assessment, or anything after ``CLOSED``).
        """
        if not isinstance(target, RiskStatus):
            raise InvalidTypeError("target", target, "a RiskStatus")
        if not self.can_move_to(target):
            raise TransitionError(
                "risk status",
                self.name,
                target.name,
                (status.name for status in self.allowed_next()),
            )
        return target


_STATUS_LABELS = {
    RiskStatus.IDENTIFIED: _labels("Identified", "已識別", "已识别"),
    RiskStatus.ASSESSED: _labels("Assessed", "已評估", "已评估"),
    RiskStatus.TREATED: _labels("Being treated", "已處置", "已处置"),
    RiskStatus.ACCEPTED: _labels("Accepted", "已接受", "已接受"),
    RiskStatus.MONITORED: _labels("Monitored", "監控中", "监控中"),
    RiskStatus.CLOSED: _labels("Closed", "已關閉", "已关闭"),
}
_STATUS_MOVES = {
    RiskStatus.IDENTIFIED: (RiskStatus.ASSESSED, RiskStatus.CLOSED),
    RiskStatus.ASSESSED: (RiskStatus.TREATED, RiskStatus.ACCEPTED, RiskStatus.CLOSED),
    RiskStatus.TREATED: (
        RiskStatus.ASSESSED,
        RiskStatus.ACCEPTED,
        RiskStatus.MONITORED,
        RiskStatus.CLOSED,
    ),
    RiskStatus.ACCEPTED: (RiskStatus.ASSESSED, RiskStatus.TREATED, RiskStatus.CLOSED),
    RiskStatus.MONITORED: (
        RiskStatus.ASSESSED,
        RiskStatus.TREATED,
        RiskStatus.ACCEPTED,
        RiskStatus.CLOSED,
    ),
    RiskStatus.CLOSED: (),
}


class Treatment(enum.Enum):
    """The risk-treatment options of ISO 31000:2018 §6.5.2, in four words.

    * ``AVOID`` (規避) – stop the activity that gives rise to the risk, or
      remove its source;
    * ``MITIGATE`` (降低) – change the likelihood or the consequences, with
      controls;
    * ``TRANSFER`` (轉移) – share the risk with another party (insurance,
      contracts, a second supplier bearing the cost);
    * ``ACCEPT`` (接受) – retain the risk by an informed decision.

    The same four as the UK "4T" (terminate, treat, transfer, tolerate) and
    as Eramba's strategies.

    Examples
    --------
    >>> [(option.name, option.labels.zh_hant) for option in Treatment]
    [('AVOID', '規避'), ('MITIGATE', '降低'), ('TRANSFER', '轉移'), ('ACCEPT', '接受')]
    >>> Treatment("transfer").labels.en
    'Transfer'
    """

    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"

    @property
    def labels(self) -> Labels:
        """Name of the option in English, 繁體 and 简体."""
        return _TREATMENT_LABELS[self]


_TREATMENT_LABELS = {
    Treatment.AVOID: _labels("Avoid", "規避", "规避"),
    Treatment.MITIGATE: _labels("Mitigate", "降低", "降低"),
    Treatment.TRANSFER: _labels("Transfer", "轉移", "转移"),
    Treatment.ACCEPT: _labels("Accept", "接受", "接受"),
}


class AssessmentKind(enum.Enum):
    """Which of a risk's four assessments a query looks at.

    * ``INHERENT`` (固有風險) – before any control (COSO / IIA usage);
    * ``CURRENT`` (當前風險) – as things stand, with the controls in place;
    * ``RESIDUAL`` (殘餘風險) – what remains after the planned treatment
      (ISO Guide 73 "residual risk");
    * ``TARGET`` (目標風險) – where the owner wants the risk to be.

    The value is the name of the `Risk` field that holds it.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> q1 = datetime(2026, 3, 31, tzinfo=timezone.utc)
    >>> risk = Risk(
    ...     key="peak_season_stockout",
    ...     title="Best sellers run out",
    ...     crisis_type="supply_chain.peak_season_stockout",
    ...     current=Assessment(
    ...         likelihood=4, impacts={"financial": 4}, assessed_at=q1, assessor="ops"
    ...     ),
    ... )
    >>> risk.assessment(AssessmentKind.CURRENT).score()
    16
    >>> risk.assessment(AssessmentKind.TARGET) is None  # not set yet
    True
    >>> AssessmentKind.RESIDUAL.value, AssessmentKind.RESIDUAL.labels.zh_hant
    ('residual', '殘餘風險')
    """

    INHERENT = "inherent"
    CURRENT = "current"
    RESIDUAL = "residual"
    TARGET = "target"

    @property
    def labels(self) -> Labels:
        """Name of the kind in English, 繁體 and 简体."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    AssessmentKind.INHERENT: _labels("Inherent risk", "固有風險", "固有风险"),
    AssessmentKind.CURRENT: _labels("Current risk", "當前風險", "当前风险"),
    AssessmentKind.RESIDUAL: _labels("Residual risk", "殘餘風險", "残余风险"),
    AssessmentKind.TARGET: _labels("Target risk", "目標風險", "目标风险"),
}


# --- assessment ----------------------------------------------------------------


def _to_impact_rating(value: object) -> object:
    """Accept a plain mapping of dimension to level as an `ImpactRating`."""
    if isinstance(value, Mapping):
        return ImpactRating(levels=value)
    return value


def _check_likelihood(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int likelihood level >= 1")
    if value < 1:
        raise ValidationError(name, value, "an int likelihood level >= 1")


def _to_int(value: Any) -> Any:  # noqa: ANN401  the validator checks the type
    if isinstance(value, np.integer):
        return int(value)
    return value


def _check_matrix(matrix: object) -> RiskMatrix:
    if matrix is None:
        return default_matrix()
    if not isinstance(matrix, RiskMatrix):
        raise InvalidTypeError("matrix", matrix, "a RiskMatrix (or None: the default)")
    return matrix


def _check_rule(rule: object) -> ImpactRule:
    if rule is None:
        return ImpactRule.maximum()
    if not isinstance(rule, ImpactRule):
        raise InvalidTypeError(
            "rule", rule, "an ImpactRule (or None: the worst dimension)"
        )
    return rule


@attrs.frozen(kw_only=True)
class Assessment:
    """One dated assessment of a risk: likelihood, impact per dimension, who.

    The book quantifies each risk's probability and impact (對風險的概率、
    影響程度進行量化評估, §3 構建風險評估體系). An assessment records the
    likelihood level and an `ImpactRating` on the book §4 dimensions, when
    and by whom, and optionally a Monte Carlo loss model of the same risk.
    Levels are checked against a matrix's scales when the assessment is
    graded (`check`, `score`, `grade`): an assessment made on a 5 × 5 matrix
    is refused by a 3 × 3 one, naming the field.

    Attributes
    ----------
    likelihood
        Likelihood level, an int ≥ 1 (1 = rarest).
    impacts
        Impact level per `ImpactDimension`; a plain mapping such as
        ``{"financial": 3, "brand": 4}`` is accepted.
    assessed_at
        When the assessment was made (timezone-aware).
    assessor
        Who made it (a person, role or panel).
    note
        Reasoning, evidence, expert round; may be empty.
    loss_model
        A `FAIRModel` or `CompoundLossModel` of the risk's annual loss, for
        simulation, or ``None``.
    """

    likelihood: int = attrs.field(converter=_to_int, validator=_check_likelihood)
    impacts: ImpactRating = attrs.field(
        converter=_to_impact_rating,
        validator=is_instance(ImpactRating, "an ImpactRating or a mapping"),
    )
    assessed_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    assessor: str = attrs.field(validator=is_text())
    note: str = attrs.field(default="", validator=is_text(allow_empty=True))
    loss_model: LossModel | None = attrs.field(
        default=None,
        validator=is_optional(
            is_instance(
                (FAIRModel, CompoundLossModel), "a FAIRModel or CompoundLossModel"
            )
        ),
    )

    def check(self, matrix: RiskMatrix | None = None, field: str = "") -> Assessment:
        """Return the assessment if its levels are levels of the matrix's scales.

        Parameters
        ----------
        matrix
            The matrix to check against; `default_matrix()` if ``None``.
        field
            Prefix for error messages, e.g. ``"risks['x'].current"``.

        Raises
        ------
        UnknownKeyError
            Naming the likelihood or the impact dimension whose level is not
            on the scale, e.g. ``impacts.levels['brand']``.
        """
        grid = _check_matrix(matrix)
        label = check_str(field, "field", allow_empty=True)
        prefix = f"{label}." if label else ""
        grid.likelihood.check_value(self.likelihood, f"{prefix}likelihood")
        self.impacts.check_scale(grid.impact, f"{prefix}impacts")
        return self

    def impact(self, rule: ImpactRule | None = None) -> int:
        """Return the combined impact level (the worst dimension by default)."""
        return _check_rule(rule).combine(self.impacts)

    def score(
        self, matrix: RiskMatrix | None = None, rule: ImpactRule | None = None
    ) -> int:
        """Return the score L × I on the matrix (`default_matrix()` if ``None``).

        Raises
        ------
        UnknownKeyError
            If a level is not on the matrix's scales.
        """
        grid = _check_matrix(matrix)
        self.check(grid)
        return grid.score(self.likelihood, self.impact(rule))

    def grade(
        self, matrix: RiskMatrix | None = None, rule: ImpactRule | None = None
    ) -> RiskGrade:
        """Return the matrix's grade of the assessment (with its response level).

        Raises
        ------
        UnknownKeyError
            If a level is not on the matrix's scales.
        """
        grid = _check_matrix(matrix)
        self.check(grid)
        return grid.grade(self.likelihood, self.impact(rule))


# --- risk ----------------------------------------------------------------------


_CATEGORY_VALUES = tuple(category.value for category in CrisisCategory)


def _check_crisis_type(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    key = check_key(value, name)
    if key.split(".", 1)[0] not in _CATEGORY_VALUES:
        raise ValidationError(
            name,
            value,
            "a crisis-type key that starts with a CrisisCategory value "
            f"({', '.join(_CATEGORY_VALUES)}), e.g. 'supply_chain.inventory'",
        )


def _check_controls(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_instance(Control, "a Control"))(_instance, attribute, value)
    assert isinstance(value, tuple)  # noqa: S101  narrowing for mypy
    seen: set[str] = set()
    for control in value:
        if control.key in seen:
            raise DuplicateKeyError(f"control (in {name})", control.key)
        seen.add(control.key)


_OPTIONAL_ASSESSMENT = is_optional(is_instance(Assessment, "an Assessment"))


@attrs.frozen(kw_only=True)
class Risk:
    """One entry of the risk register.

    The bow-tie chain (IEC 31010 B.4.2) reads ``cause`` → ``event`` →
    ``consequence``: e.g. *a single supplier cannot scale* → *best sellers
    out of stock in the peak season* → *lost sales and angry customers*.
    The book's cause analysis (§4 分析危機原因) fills the left side, its
    impact scope (確定影響範圍) the right.

    A risk is catalog-free: its ``crisis_type`` only has to start with a
    `CrisisCategory` value; a `RiskRegister` given a `CrisisTypeCatalog`
    checks it against the catalog, and the register checks ``source``
    against its `RiskSourceCatalog`.

    Attributes
    ----------
    key
        Stable dotted key, unique in the register and never reused.
    title
        Short name of the risk.
    crisis_type
        Key of the crisis type it would turn into, e.g.
        ``"supply_chain.peak_season_stockout"``; its first segment is the
        risk's `category`.
    description
        Free text; may be empty.
    source
        Key of its `RiskSource`, or ``None``.
    cause, event, consequence
        The bow-tie chain, in words; each may be empty.
    owner_role
        Key of the role that owns the risk (ISO Guide 73 "risk owner"), or
        ``None``.
    status
        `RiskStatus`; ``ASSESSED``, ``TREATED``, ``ACCEPTED`` and
        ``MONITORED`` need an inherent or current assessment, ``TREATED``
        and ``MONITORED`` a treatment, ``ACCEPTED`` the treatment ``ACCEPT``.
    treatment
        The chosen `Treatment`, or ``None`` while undecided.
    controls
        The controls (`Control`) in place or planned (unique keys).
    trigger_rules
        Names of the monitoring trigger rules (`TriggerRule.name`) that warn of it.
    indicators
        Metric keys of its key risk indicators (KRIs), e.g.
        ``"supply.stockout_rate"``.
    inherent, current, residual, target
        The four assessments (see `AssessmentKind`); each optional.
    next_review
        When the risk is next due for review (timezone-aware), or ``None``.
    tags
        Free labels for filtering (unique, non-blank).
    """

    key: str = attrs.field(validator=is_key())
    title: str = attrs.field(validator=is_text())
    crisis_type: str = attrs.field(validator=_check_crisis_type)
    description: str = attrs.field(default="", validator=is_text(allow_empty=True))
    source: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    cause: str = attrs.field(default="", validator=is_text(allow_empty=True))
    event: str = attrs.field(default="", validator=is_text(allow_empty=True))
    consequence: str = attrs.field(default="", validator=is_text(allow_empty=True))
    owner_role: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    status: RiskStatus = attrs.field(
        default=RiskStatus.IDENTIFIED, validator=is_enum(RiskStatus)
    )
    treatment: Treatment | None = attrs.field(
        default=None, validator=is_optional(is_enum(Treatment))
    )
    controls: tuple[Control, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_controls
    )
    trigger_rules: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("trigger rule name")],
    )
    indicators: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("metric key")],
    )
    inherent: Assessment | None = attrs.field(
        default=None, validator=_OPTIONAL_ASSESSMENT
    )
    current: Assessment | None = attrs.field(
        default=None, validator=_OPTIONAL_ASSESSMENT
    )
    residual: Assessment | None = attrs.field(
        default=None, validator=_OPTIONAL_ASSESSMENT
    )
    target: Assessment | None = attrs.field(
        default=None, validator=_OPTIONAL_ASSESSMENT
    )
    next_review: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    tags: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_text()), is_unique("tag")],
    )

    def __attrs_post_init__(self) -> None:
        """Check that the status agrees with the assessments and treatment."""
        status = self.status
        needs_assessment = status in (
            RiskStatus.ASSESSED,
            RiskStatus.TREATED,
            RiskStatus.ACCEPTED,
            RiskStatus.MONITORED,
        )
        if needs_assessment and self.inherent is None and self.current is None:
            raise ValidationError(
                "status",
                status.name,
                "IDENTIFIED (or CLOSED) for a risk without an inherent or "
                "current assessment: assess it first",
            )
        if status is RiskStatus.ACCEPTED and self.treatment is not Treatment.ACCEPT:
            raise ValidationError(
                "treatment",
                self.treatment,
                "Treatment.ACCEPT for an ACCEPTED risk",
            )
        if status in (RiskStatus.TREATED, RiskStatus.MONITORED) and (
            self.treatment is None
        ):
            raise ValidationError(
                "treatment", None, f"a Treatment for a {status.name} risk"
            )

    @property
    def category(self) -> CrisisCategory:
        """The book §2 category: the first segment of ``crisis_type``."""
        return CrisisCategory(self.crisis_type.split(".", 1)[0])

    def assessment(self, which: AssessmentKind) -> Assessment | None:
        """Return the inherent, current, residual or target assessment."""
        if not isinstance(which, AssessmentKind):
            raise InvalidTypeError("which", which, "an AssessmentKind")
        found: Assessment | None = getattr(self, which.value)
        return found

    @property
    def last_assessed(self) -> dt.datetime | None:
        """When the risk was last assessed, or ``None`` if never.

        The latest ``assessed_at`` of the inherent, current and residual
        assessments (a target is a goal, not an assessment).
        """
        moments = [
            assessment.assessed_at
            for assessment in (self.inherent, self.current, self.residual)
            if assessment is not None
        ]
        return max(moments) if moments else None

    def is_overdue(self, as_of: dt.datetime) -> bool:
        """Return whether ``next_review`` is strictly before ``as_of``.

        A review due exactly at ``as_of`` is due, not yet overdue; a risk
        without a review date is never overdue.
        """
        moment = check_aware(as_of, "as_of")
        return self.next_review is not None and self.next_review < moment

    def controlled_loss_model(
        self, which: AssessmentKind = AssessmentKind.INHERENT
    ) -> LossModel | None:
        """Return the loss model of an assessment with the risk's controls applied.

        `apply_controls` on the ``which`` assessment's loss model (the
        inherent one by default): what the controls should leave of it.
        ``None`` if that assessment has no loss model.
        """
        assessment = self.assessment(which)
        if assessment is None or assessment.loss_model is None:
            return None
        return apply_controls(assessment.loss_model, self.controls)


_RISK_FIELDS = tuple(attribute.name for attribute in attrs.fields(Risk))


# --- changes -------------------------------------------------------------------


class ChangeKind(enum.Enum):
    """What a `RegisterChange` did to the register.

    Examples
    --------
    >>> [(kind.value, kind.labels.zh_hant) for kind in ChangeKind]
    [('add', '新增'), ('update', '更新'), ('retire', '註銷')]
    """

    ADD = "add"
    UPDATE = "update"
    RETIRE = "retire"

    @property
    def labels(self) -> Labels:
        """Name of the change in English, 繁體 and 简体."""
        return _CHANGE_LABELS[self]


_CHANGE_LABELS = {
    ChangeKind.ADD: _labels("Added", "新增", "新增"),
    ChangeKind.UPDATE: _labels("Updated", "更新", "更新"),
    ChangeKind.RETIRE: _labels("Retired", "註銷", "注销"),
}

_OPTIONAL_RISK = is_optional(is_instance(Risk, "a Risk"))


@attrs.frozen(kw_only=True)
class RegisterChange:
    """One entry of a register's append-only history: what, when, who.

    * ``ADD``: ``before`` is ``None``, ``after`` the new risk (not closed);
    * ``UPDATE``: ``before`` and ``after`` are the same risk (same key)
      before and after; they differ, neither is closed, and a status change
      must be allowed (`RiskStatus.move_to`);
    * ``RETIRE``: ``after`` is ``before`` with status ``CLOSED`` and
      nothing else changed; ``note`` says why.

    Attributes
    ----------
    kind
        `ChangeKind`.
    at
        When the change was made (timezone-aware).
    by
        Who made it.
    before, after
        The risk before and after the change.
    note
        Why; required (non-blank) for ``RETIRE``.

    Examples
    --------
    Each change method appends one change; an assessment is an ``UPDATE``
    of two fields, retiring closes the risk and keeps the reason:

    >>> from datetime import datetime, timedelta, timezone
    >>> q1 = datetime(2026, 3, 31, tzinfo=timezone.utc)
    >>> risk = Risk(
    ...     key="platform_outage",
    ...     title="Shop platform down",
    ...     crisis_type="technical.platform_outage",
    ... )
    >>> register = (
    ...     RiskRegister()
    ...     .add(risk, at=q1, by="ops")
    ...     .assess(
    ...         "platform_outage",
    ...         Assessment(
    ...             likelihood=2,
    ...             impacts={"financial": 5},
    ...             assessed_at=q1,
    ...             assessor="ops",
    ...         ),
    ...         at=q1,
    ...         by="ops",
    ...     )
    ...     .retire(
    ...         "platform_outage",
    ...         at=q1 + timedelta(days=30),
    ...         by="cto",
    ...         reason="Moved to a second host",
    ...     )
    ... )
    >>> added, assessed, retired = register.history
    >>> added.kind is ChangeKind.ADD, added.before is None
    (True, True)
    >>> assessed.changed_fields
    ('status', 'current')
    >>> retired.kind.name, retired.by, retired.note, retired.after.status.name
    ('RETIRE', 'cto', 'Moved to a second host', 'CLOSED')
    >>> change: RegisterChange = register.changes_of("platform_outage")[-1]
    >>> change == retired, "platform_outage" in register
    (True, False)
    """

    kind: ChangeKind = attrs.field(validator=is_enum(ChangeKind))
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    by: str = attrs.field(validator=is_text())
    before: Risk | None = attrs.field(default=None, validator=_OPTIONAL_RISK)
    after: Risk | None = attrs.field(default=None, validator=_OPTIONAL_RISK)
    note: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check that before and after fit the kind of change."""
        before, after = self.before, self.after
        if after is None:
            raise ValidationError("after", None, f"a Risk for a {self.kind.name}")
        if after.status is RiskStatus.CLOSED and self.kind is not ChangeKind.RETIRE:
            raise ValidationError(
                "after.status",
                after.status.name,
                "an open status: a risk is closed only by retiring it",
            )
        if self.kind is ChangeKind.ADD:
            if before is not None:
                raise ValidationError("before", before, "None for an ADD")
            return
        if before is None:
            raise ValidationError("before", None, f"a Risk for a {self.kind.name}")
        if before.key != after.key:
            raise ValidationError(
                "after.key", after.key, f"the key of before ({before.key!r})"
            )
        if before.status is RiskStatus.CLOSED:
            raise ValidationError(
                "before.status", "CLOSED", "an open status (a closed risk is final)"
            )
        if self.kind is ChangeKind.RETIRE:
            if attrs.evolve(before, status=RiskStatus.CLOSED) != after:
                raise ValidationError(
                    "after",
                    after.key,
                    "before with status CLOSED and nothing else changed",
                )
            check_str(self.note, "note")
            return
        if before == after:
            raise ValidationError("after", after.key, "a risk that differs from before")
        if before.status is not after.status:
            before.status.move_to(after.status)

    @property
    def key(self) -> str:
        """The key of the risk the change is about."""
        assert self.after is not None  # noqa: S101  checked on construction
        return self.after.key

    @property
    def changed_fields(self) -> tuple[str, ...]:
        """Names of the `Risk` fields that differ between before and after.

        Every field for an ``ADD``.
        """
        if self.before is None:
            return _RISK_FIELDS
        return tuple(
            name
            for name in _RISK_FIELDS
            if getattr(self.before, name) != getattr(self.after, name)
        )


# --- the register ----------------------------------------------------------------


def _check_history(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(RegisterChange, "a RegisterChange"))(
        _instance, attribute, value
    )


def _check_order(change: RegisterChange, last: dt.datetime | None, field: str) -> None:
    """Refuse a change dated before the change it follows (one replay step)."""
    if last is not None and change.at < last:
        raise ValidationError(
            f"{field}.at",
            change.at,
            f"a moment at or after {last.isoformat()} (the history is in time order)",
        )


def _apply_change(
    change: RegisterChange,
    risks: dict[str, Risk],
    retired: dict[str, Risk],
    added_at: dict[str, dt.datetime],
) -> None:
    """Apply a checked change to the state dicts, in place (one replay step)."""
    key = change.key
    after = change.after
    assert after is not None  # noqa: S101  a RegisterChange checks this
    if change.kind is ChangeKind.ADD:
        added_at[key] = change.at
    if change.kind is ChangeKind.RETIRE:
        del risks[key]
        retired[key] = after
    else:
        risks[key] = after


class _ChangeLog:
    """Append-only storage for the histories of a chain of registers (internal).

    A register built by a change does not copy its predecessor's history: it
    holds a log and a length, and its ``history`` is the log's first
    ``length`` changes. `extended` appends a change in place when the
    register changed is the newest on the log (no change was appended after
    its prefix) and copies the prefix only when an older register branches
    off. Entries are only ever appended, never changed or removed, so the
    prefix each register reads stays what it was — the log is shared
    storage behind immutable values, as a Go slice shares its array.
    Building a register by N changes thus appends N times instead of copying
    histories of 1, 2, …, N changes.

    A register keeps the whole log alive, including changes made after it
    on the same chain.
    """

    __slots__ = ("_changes",)

    def __init__(self, changes: Iterable[RegisterChange]) -> None:
        self._changes = list(changes)

    def extended(self, length: int, change: RegisterChange) -> _ChangeLog:
        """Return a log holding this log's first ``length`` changes, then ``change``."""
        changes = self._changes
        if len(changes) == length:
            changes.append(change)
            # If another thread appended to the same prefix first, our change
            # is not at ``length``: branch off below like any older register.
            if changes[length] is change:
                return self
        branch = changes[:length]
        branch.append(change)
        return _ChangeLog(branch)

    def prefix(self, length: int) -> tuple[RegisterChange, ...]:
        """Return the first ``length`` changes as a tuple."""
        return tuple(self._changes[:length])

    def count_until(self, length: int, moment: dt.datetime) -> int:
        """Count the first ``length`` changes made at or before ``moment``.

        They are in time order, so this is a binary search.
        """
        return bisect.bisect_right(
            self._changes, moment, hi=length, key=lambda change: change.at
        )

    def last(self, length: int) -> RegisterChange | None:
        """Return the last of the first ``length`` changes (``None`` if 0)."""
        return self._changes[length - 1] if length else None


def _fill_state(  # noqa: PLR0913  the five private fields of a register, by name
    register: RiskRegister,
    *,
    risks: Mapping[str, Risk],
    retired: Mapping[str, Risk],
    added_at: Mapping[str, dt.datetime],
    log: _ChangeLog,
    length: int,
) -> None:
    """Set a register's private state: read-only views, the log and its length."""
    state: dict[str, object] = {
        "_risks": _read_only(risks),
        "_retired": _read_only(retired),
        "_added_at": _read_only(added_at),
        "_log": log,
        "_length": length,
    }
    for name, value in state.items():
        object.__setattr__(register, name, value)


def _rebuild_register(cls: type[RiskRegister], fields: dict[str, Any]) -> RiskRegister:
    """Build a register from its public fields (used by `copy` and `pickle`)."""
    return cls(**fields)


def _read_only(mapping: Mapping[K, V]) -> MappingProxyType[K, V]:
    """Return a read-only view of a dict (a view stays as it is)."""
    if isinstance(mapping, MappingProxyType):
        return mapping
    return MappingProxyType(mapping)


def _check_trials(trials: object) -> int:
    if isinstance(trials, np.integer):
        trials = int(trials)
    if isinstance(trials, bool) or not isinstance(trials, int):
        raise InvalidTypeError("trials", trials, f"an int from 1 to {MAX_TRIALS}")
    if not 1 <= trials <= MAX_TRIALS:
        raise ValidationError("trials", trials, f"an int from 1 to {MAX_TRIALS}")
    return trials


def _check_seed(seed: object) -> int | np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    expected = "an int seed >= 0 or a numpy.random.SeedSequence"
    if seed is None:  # randomness must be explicit (DESIGN principle 1)
        raise ValidationError("seed", seed, expected)
    if isinstance(seed, np.integer):
        seed = int(seed)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidTypeError("seed", seed, expected)
    if seed < 0:
        raise ValidationError("seed", seed, expected)
    return seed


def _check_count(n: object) -> int:
    if isinstance(n, np.integer):
        n = int(n)
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidTypeError("n", n, "an int >= 1")
    if n < 1:
        raise ValidationError("n", n, "an int >= 1")
    return n


def _check_which(which: object) -> AssessmentKind:
    if not isinstance(which, AssessmentKind):
        names = ", ".join(kind.name for kind in AssessmentKind)
        raise InvalidTypeError("which", which, f"an AssessmentKind ({names})")
    return which


@attrs.frozen(kw_only=True)
class _Graded:
    """A risk with the chosen assessment's levels on one matrix (internal)."""

    risk: Risk
    likelihood: int
    impact: int
    score: int
    rank: int


@attrs.frozen(kw_only=True)
class RiskRegister:
    """The risk register: an immutable record of risks and every change to them.

    The register is its ``history``. `add`, `update`, `replace`, `assess`
    and `retire` each append one `RegisterChange` and return the new
    register, leaving the old one as it was. A retired risk leaves the
    register (its final, closed state stays in the history, see `retired`)
    and its key is never reused.

    Two ways build a register, with the same result:

    * **from a history** — ``RiskRegister(history=...)``, `from_data`,
      `as_of`: the whole history is replayed, oldest change first, and every
      change is checked against the register as it stood (time order, keys,
      the risk it replaces, status moves, sources, crisis types). Cost
      grows with the length of the history.
    * **by a change** — the methods above check the one new change against
      the register's current state and build the new register from that
      state, without replaying. The cost of a change does not grow with the
      history; only a C-level copy of the open risks' mapping grows with
      their number (``benchmarks/bench_register.py`` measures both ways).
      The tests check that a register built change by change equals the one
      rebuilt from its history.

    Queries look at the open risks. Those that grade or rank take the
    ``matrix`` (`default_matrix()` if ``None``), the impact ``rule`` (worst
    dimension if ``None``) and ``which`` assessment (current by default);
    risks without that assessment are left out.

    Attributes
    ----------
    history
        The changes, oldest first, in non-decreasing time order.
    sources
        The `RiskSourceCatalog` risks name their ``source`` from
        (`default_sources()` unless given). Reference data: it is not part
        of the history.
    catalog
        A `CrisisTypeCatalog` to check every risk's ``crisis_type`` against
        (e.g. `crisisops.taxonomy.default_catalog()`), or ``None`` to check
        only the category prefix.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
    >>> outage = Risk(
    ...     key="checkout_outage",
    ...     title="Checkout fails at peak",
    ...     crisis_type="technical.system_failure",
    ... )
    >>> register = RiskRegister().add(outage, at=at, by="cto")
    >>> later = register.update(
    ...     "checkout_outage", at=at, by="cto", owner_role="tech_lead"
    ... )
    >>> register["checkout_outage"].owner_role, later["checkout_outage"].owner_role
    (None, 'tech_lead')
    >>> later.history[-1].changed_fields
    ('owner_role',)
    >>> later == RiskRegister(history=later.history)  # replaying gives the same
    True
    >>> register.add(outage, at=at, by="cto")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    crisisops.errors.DuplicateKeyError: duplicate risk 'checkout_outage': ...
    """

    history: tuple[RegisterChange, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_history
    )
    sources: RiskSourceCatalog = attrs.field(
        factory=default_sources,
        validator=is_instance(RiskSourceCatalog, "a RiskSourceCatalog"),
    )
    catalog: CrisisTypeCatalog | None = attrs.field(
        default=None,
        validator=is_optional(is_instance(CrisisTypeCatalog, "a CrisisTypeCatalog")),
    )
    # The state the history leads to, kept so that queries and changes never
    # replay: read-only views of dicts that are never changed once built.
    _risks: MappingProxyType[str, Risk] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _retired: MappingProxyType[str, Risk] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _added_at: MappingProxyType[str, dt.datetime] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    # ``history`` is the first ``_length`` changes of ``_log`` (see _ChangeLog).
    _log: _ChangeLog = attrs.field(init=False, repr=False, eq=False, hash=False)
    _length: int = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Replay the history into the open risks, checking every change."""
        risks: dict[str, Risk] = {}
        retired: dict[str, Risk] = {}
        added_at: dict[str, dt.datetime] = {}
        last: dt.datetime | None = None
        for index, change in enumerate(self.history):
            field = f"history[{index}]"
            _check_order(change, last, field)
            self._check_change(change, field, risks, retired)
            _apply_change(change, risks, retired, added_at)
            last = change.at
        _fill_state(
            self,
            risks=risks,
            retired=retired,
            added_at=added_at,
            log=_ChangeLog(self.history),
            length=len(self.history),
        )

    def _check_change(
        self,
        change: RegisterChange,
        field: str,
        risks: Mapping[str, Risk],
        retired: Mapping[str, Risk],
    ) -> None:
        """Check that ``change`` fits the register state ``risks`` / ``retired``.

        The rules of one replay step (besides time order): an added key is
        neither open nor retired; an update or a retirement names an open
        risk, and its ``before`` is that risk as the register holds it; the
        risk after the change names a known source (and crisis type, with a
        catalog). ``field`` (``history[i]``) prefixes the errors.
        """
        key = change.key
        if change.kind is ChangeKind.ADD:
            if key in risks:
                raise DuplicateKeyError("risk", key)
            if key in retired:
                raise DuplicateKeyError("risk (retired; keys are never reused)", key)
        else:
            current = risks.get(key)
            if current is None:
                raise UnknownKeyError(f"risk (in {field})", key, risks)
            if change.before is not current and change.before != current:
                raise ValidationError(
                    f"{field}.before",
                    key,
                    "the risk as the register held it before the change",
                )
        if change.kind is not ChangeKind.RETIRE:
            assert change.after is not None  # noqa: S101  a RegisterChange checks this
            self._check_references(change.after, f"{field}.after")

    def _successor(self, change: RegisterChange) -> RiskRegister:
        """Return the register after ``change``, built without replaying.

        The trusted construction path of every change method. It checks
        ``change`` against this register's state with the rules of one
        replay step (`_check_change`, time order) — O(1) — then builds the
        successor's state from this one: a C-level copy of the open risks'
        mapping and, for an add or a retirement, of the one other mapping
        the change writes; the change is appended to the shared `_ChangeLog`.
        Nothing is built or appended unless every check passes, so a refused
        change leaves the register (and its log) as it was.

        The successor is made with ``object.__new__`` and filled field by
        field: ``__init__`` would validate and replay the whole history.
        Its ``history`` tuple is built from the log when first read
        (`__getattr__`). The result equals ``RiskRegister(history=(*history,
        change), sources=sources, catalog=catalog)``.
        """
        field = f"history[{self._length}]"
        previous = self._log.last(self._length)
        _check_order(change, None if previous is None else previous.at, field)
        self._check_change(change, field, self._risks, self._retired)
        if type(self) is not RiskRegister:  # a subclass may add fields: replay
            return attrs.evolve(self, history=(*self.history, change))
        key = change.key
        after = change.after
        assert after is not None  # noqa: S101  a RegisterChange checks this
        risks = self._risks.copy()
        retired: Mapping[str, Risk] = self._retired
        added_at: Mapping[str, dt.datetime] = self._added_at
        if change.kind is ChangeKind.RETIRE:
            del risks[key]
            retired_now = self._retired.copy()
            retired_now[key] = after
            retired = retired_now
        else:
            risks[key] = after
            if change.kind is ChangeKind.ADD:
                added_now = self._added_at.copy()
                added_now[key] = change.at
                added_at = added_now
        successor: RiskRegister = object.__new__(RiskRegister)
        object.__setattr__(successor, "sources", self.sources)
        object.__setattr__(successor, "catalog", self.catalog)
        _fill_state(
            successor,
            risks=risks,
            retired=retired,
            added_at=added_at,
            log=self._log.extended(self._length, change),
            length=self._length + 1,
        )
        return successor

    if not TYPE_CHECKING:  # hidden from mypy, which would then accept any name

        def __getattr__(self, name: str) -> object:
            """Build ``history`` from the change log on first read, then keep it.

            Python calls this only for an attribute not set: ``history`` of a
            register made by `_successor`. Any other name is an error.
            """
            if name != "history":
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}"
                )
            history = self._log.prefix(self._length)
            object.__setattr__(self, "history", history)
            return history

    def __reduce__(self) -> tuple[Callable[..., RiskRegister], tuple[object, ...]]:
        """Copy and pickle a register as its public fields; loading replays them."""
        fields = {
            field.alias: getattr(self, field.name)
            for field in attrs.fields(type(self))
            if field.init
        }
        return (_rebuild_register, (type(self), fields))

    def _check_references(self, risk: Risk, field: str) -> None:
        if risk.source is not None and risk.source not in self.sources:
            raise UnknownKeyError(
                f"risk source ({field}.source)", risk.source, self.sources.keys()
            )
        if self.catalog is not None and risk.crisis_type not in self.catalog:
            raise UnknownKeyError(
                f"crisis type ({field}.crisis_type)",
                risk.crisis_type,
                self.catalog.keys(),
            )

    # --- reading ---------------------------------------------------------------

    @property
    def risks(self) -> tuple[Risk, ...]:
        """The open risks, in the order they were added."""
        return tuple(self._risks.values())

    def keys(self) -> tuple[str, ...]:
        """Return the keys of the open risks, in the order they were added."""
        return tuple(self._risks)

    def __len__(self) -> int:
        """Return the number of open risks."""
        return len(self._risks)

    def __iter__(self) -> Iterator[Risk]:
        """Iterate over the open risks in the order they were added."""
        return iter(self._risks.values())

    def __contains__(self, key: object) -> bool:
        """Return whether an open risk has ``key``."""
        return isinstance(key, str) and key in self._risks

    def __getitem__(self, key: str) -> Risk:
        """Return the open risk with ``key``.

        Raises
        ------
        UnknownKeyError
            If no open risk has that key (suggesting close ones; a retired
            key says so).
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a str risk key")
        risk = self._risks.get(key)
        if risk is None:
            kind = "risk (retired)" if key in self._retired else "risk"
            raise UnknownKeyError(kind, key, self._risks)
        return risk

    def get(self, key: object) -> Risk | None:
        """Return the open risk with ``key``, or ``None``."""
        return self._risks.get(key) if isinstance(key, str) else None

    def retired(self) -> tuple[Risk, ...]:
        """Return the retired risks, closed, in the order they were retired."""
        return tuple(self._retired.values())

    def added_at(self, key: str) -> dt.datetime:
        """Return when the risk with ``key`` (open or retired) was added.

        Raises
        ------
        UnknownKeyError
            If the register never held that key.
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a str risk key")
        moment = self._added_at.get(key)
        if moment is None:
            raise UnknownKeyError("risk", key, self._added_at)
        return moment

    def changes_of(self, key: str) -> tuple[RegisterChange, ...]:
        """Return the changes of one risk (open or retired), oldest first."""
        self.added_at(key)  # raises UnknownKeyError for keys never held
        return tuple(change for change in self.history if change.key == key)

    def as_of(self, moment: dt.datetime) -> RiskRegister:
        """Return the register as it stood at ``moment``.

        Replays the changes made at or before ``moment``, so
        ``register.as_of(t)`` is what a reader saw at ``t`` (a change exactly
        at ``t`` counts); the register itself if no change came later.
        """
        when = check_aware(moment, "moment")
        # The history is in time order: the changes kept are a prefix.
        kept = self._log.count_until(self._length, when)
        if kept == self._length:
            return self
        return attrs.evolve(self, history=self._log.prefix(kept))

    # --- changing ----------------------------------------------------------------

    def _check_when(
        self, at: object, by: object, note: object, note_field: str = "note"
    ) -> dt.datetime:
        """Check who, why and when a change is made; return the moment."""
        moment = check_aware(at, "at")
        check_str(by, "by")
        check_str(note, note_field, allow_empty=True)
        last = self._log.last(self._length)
        if last is not None and moment < last.at:
            raise ValidationError(
                "at",
                moment,
                f"a moment at or after the last change "
                f"({last.at.isoformat()}): the history only grows forward in time",
            )
        return moment

    def _append(self, change: RegisterChange) -> RiskRegister:
        return self._successor(change)

    def add(
        self, risk: Risk, *, at: dt.datetime, by: str, note: str = ""
    ) -> RiskRegister:
        """Return a new register with ``risk`` added.

        Parameters
        ----------
        risk
            The new risk; any open status (a risk imported already assessed
            may come in as ``ASSESSED``).
        at
            When it was added (timezone-aware), not before the last change.
        by
            Who added it.
        note
            Optional remark kept in the history.

        Raises
        ------
        DuplicateKeyError
            If an open or retired risk already has the key.
        UnknownKeyError
            If its ``source`` is not in ``sources``, or its ``crisis_type``
            not in ``catalog``.
        ValidationError
            If ``at`` is before the last change, or the risk is closed.
        """
        if not isinstance(risk, Risk):
            raise InvalidTypeError("risk", risk, "a Risk")
        moment = self._check_when(at, by, note)
        if risk.key in self._risks:
            raise DuplicateKeyError("risk", risk.key)
        if risk.key in self._retired:
            raise DuplicateKeyError("risk (retired; keys are never reused)", risk.key)
        if not risk.status.is_active:
            raise ValidationError(
                "risk.status", risk.status.name, "an open status for a new risk"
            )
        self._check_references(risk, "risk")
        return self._append(
            RegisterChange(
                kind=ChangeKind.ADD,
                at=moment,
                by=by,
                before=None,
                after=risk,
                note=note,
            )
        )

    def replace(
        self, risk: Risk, *, at: dt.datetime, by: str, note: str = ""
    ) -> RiskRegister:
        """Return a new register where the risk with ``risk.key`` is ``risk``.

        For a whole revised risk, e.g. edited in a form; `update` changes
        named fields and keeps the rest. The status may move only as
        `RiskStatus.allowed_next` says; the change records both versions.

        Raises
        ------
        UnknownKeyError
            If no open risk has that key (or a reference is unknown).
        TransitionError
            If the status change is not allowed.
        ValidationError
            If nothing changes, ``at`` is before the last change, or the new
            status is ``CLOSED`` (use `retire`).
        """
        if not isinstance(risk, Risk):
            raise InvalidTypeError("risk", risk, "a Risk")
        moment = self._check_when(at, by, note)
        before = self[risk.key]
        if risk == before:
            raise ValidationError(
                "risk", risk.key, "a risk that differs from the registered one"
            )
        if risk.status is RiskStatus.CLOSED:
            raise ValidationError(
                "status",
                "CLOSED",
                "an open status: close a risk with retire(), which records why",
            )
        if risk.status is not before.status:
            before.status.move_to(risk.status)
        self._check_references(risk, "risk")
        return self._append(
            RegisterChange(
                kind=ChangeKind.UPDATE,
                at=moment,
                by=by,
                before=before,
                after=risk,
                note=note,
            )
        )

    def update(
        self,
        key: str,
        /,
        *,
        at: dt.datetime,
        by: str,
        note: str = "",
        **changes: Any,  # noqa: ANN401  any Risk field
    ) -> RiskRegister:
        """Return a new register with some fields of one risk changed.

        ``update("x", at=t, by="me", status=RiskStatus.TREATED,
        treatment=Treatment.MITIGATE)`` changes those fields and keeps the
        rest. The key (positional) cannot change.

        Raises
        ------
        UnknownKeyError
            For an unknown risk key or field name (suggesting close ones).
        ValidationError
            For an invalid new value (naming the field), no change at all,
            a change of ``key``, or a ``CLOSED`` status (use `retire`).
        TransitionError
            If the status change is not allowed.
        """
        check_str(key, "key")
        before = self[key]
        if not changes:
            raise ValidationError("changes", {}, "at least one field to change")
        for name in changes:
            if name not in _RISK_FIELDS:
                raise UnknownKeyError("risk field", name, _RISK_FIELDS)
        if "key" in changes:
            raise ValidationError(
                "key",
                changes["key"],
                f"unchanged ({key!r}): a risk's key is permanent",
            )
        return self.replace(attrs.evolve(before, **changes), at=at, by=by, note=note)

    def assess(  # noqa: PLR0913  the assessment, which one, and when/who/why
        self,
        key: str,
        assessment: Assessment,
        *,
        at: dt.datetime,
        by: str,
        which: AssessmentKind = AssessmentKind.CURRENT,
        next_review: dt.datetime | None = None,
        note: str = "",
    ) -> RiskRegister:
        """Return a new register with a new assessment of one risk.

        Sets the ``which`` assessment (current by default); an
        ``IDENTIFIED`` risk whose inherent or current assessment is set
        becomes ``ASSESSED``. ``next_review``, if given, is set too (e.g.
        ``schedule.next_due(at)``).

        Raises
        ------
        UnknownKeyError
            For an unknown risk key.
        ValidationError
            As `update`; also if the assessment was made after ``at``
            (``assessment.assessed_at``): a register records an assessment
            once it has been made, so `as_of` and
            `AssessmentSchedule.overdue` never see one from the future.
        """
        if not isinstance(assessment, Assessment):
            raise InvalidTypeError("assessment", assessment, "an Assessment")
        kind = _check_which(which)
        risk = self[check_str(key, "key")]
        moment = check_aware(at, "at")
        if assessment.assessed_at > moment:
            raise ValidationError(
                "assessment.assessed_at",
                assessment.assessed_at,
                f"a moment at or before at ({moment.isoformat()}): an assessment "
                "is recorded after it is made",
            )
        changes: dict[str, Any] = {kind.value: assessment}
        if risk.status is RiskStatus.IDENTIFIED and kind in (
            AssessmentKind.INHERENT,
            AssessmentKind.CURRENT,
        ):
            changes["status"] = RiskStatus.ASSESSED
        if next_review is not None:
            changes["next_review"] = check_aware(next_review, "next_review")
        return self.update(key, at=at, by=by, note=note, **changes)

    def retire(
        self, key: str, *, at: dt.datetime, by: str, reason: str
    ) -> RiskRegister:
        """Return a new register without the risk; its history keeps it, closed.

        The change records the risk as it was (``before``) and closed
        (``after``), with ``reason`` as its note. The key stays taken: it is
        never reused, so old reports and the history keep naming one risk.

        Raises
        ------
        UnknownKeyError
            For an unknown (or already retired) key.
        InvalidTypeError
            If ``key``, ``by`` or ``reason`` is not a str, or ``at`` not a
            datetime.
        ValidationError
            If ``reason`` or ``by`` is blank, or ``at`` is naive or before the
            last change.
        """
        check_str(key, "key")
        moment = self._check_when(at, by, reason, note_field="reason")
        check_str(reason, "reason")
        before = self[key]
        return self._append(
            RegisterChange(
                kind=ChangeKind.RETIRE,
                at=moment,
                by=by,
                before=before,
                after=attrs.evolve(before, status=RiskStatus.CLOSED),
                note=reason,
            )
        )

    # --- filtering ---------------------------------------------------------------

    def by_status(self, status: RiskStatus) -> tuple[Risk, ...]:
        """Return the open risks with ``status``."""
        if not isinstance(status, RiskStatus):
            raise InvalidTypeError("status", status, "a RiskStatus")
        return tuple(risk for risk in self if risk.status is status)

    def by_category(self, category: CrisisCategory) -> tuple[Risk, ...]:
        """Return the open risks whose crisis type is in ``category``."""
        if not isinstance(category, CrisisCategory):
            raise InvalidTypeError("category", category, "a CrisisCategory")
        return tuple(risk for risk in self if risk.category is category)

    def by_owner(self, owner_role: str) -> tuple[Risk, ...]:
        """Return the open risks owned by the role ``owner_role``."""
        check_key(owner_role, "owner_role")
        return tuple(risk for risk in self if risk.owner_role == owner_role)

    def by_source(self, source: str) -> tuple[Risk, ...]:
        """Return the open risks from the source ``source``.

        Raises
        ------
        UnknownKeyError
            If ``source`` is not in ``sources``.
        """
        self.sources[check_key(source, "source")]
        return tuple(risk for risk in self if risk.source == source)

    def by_tag(self, tag: str) -> tuple[Risk, ...]:
        """Return the open risks tagged ``tag``."""
        check_str(tag, "tag")
        return tuple(risk for risk in self if tag in risk.tags)

    def overdue(self, as_of: dt.datetime) -> tuple[Risk, ...]:
        """Return the open risks whose ``next_review`` is strictly before ``as_of``.

        A review due exactly at ``as_of`` is not yet overdue; risks without a
        review date are never overdue (see `unscheduled`). For reviews due
        by an assessment cycle, see `AssessmentSchedule.overdue`.
        """
        moment = check_aware(as_of, "as_of")
        return tuple(risk for risk in self if risk.is_overdue(moment))

    def unscheduled(self) -> tuple[Risk, ...]:
        """Return the open risks without a ``next_review`` date."""
        return tuple(risk for risk in self if risk.next_review is None)

    # --- grading and ranking -----------------------------------------------------

    def _graded(
        self, matrix: object, rule: object, which: object
    ) -> tuple[RiskMatrix, list[_Graded]]:
        grid = _check_matrix(matrix)
        impact_rule = _check_rule(rule)
        kind = _check_which(which)
        graded: list[_Graded] = []
        for risk in self:
            assessment = risk.assessment(kind)
            if assessment is None:
                continue
            assessment.check(grid, f"risks[{risk.key!r}].{kind.value}")
            impact = assessment.impact(impact_rule)
            graded.append(
                _Graded(
                    risk=risk,
                    likelihood=assessment.likelihood,
                    impact=impact,
                    score=grid.score(assessment.likelihood, impact),
                    rank=grid.grade(assessment.likelihood, impact).rank,
                )
            )
        return grid, graded

    def scores(
        self,
        matrix: RiskMatrix | None = None,
        *,
        rule: ImpactRule | None = None,
        which: AssessmentKind = AssessmentKind.CURRENT,
    ) -> FrozenDict[str, int]:
        """Return the score L × I of every risk that has the ``which`` assessment.

        Raises
        ------
        UnknownKeyError
            Naming the risk and field whose level is not on the matrix.
        """
        _, graded = self._graded(matrix, rule, which)
        return FrozenDict((item.risk.key, item.score) for item in graded)

    def by_grade(
        self,
        grade: str | RiskGrade,
        matrix: RiskMatrix | None = None,
        *,
        rule: ImpactRule | None = None,
        which: AssessmentKind = AssessmentKind.CURRENT,
    ) -> tuple[Risk, ...]:
        """Return the risks of one grade (a key such as ``"high"`` or a RiskGrade).

        Raises
        ------
        UnknownKeyError
            If the matrix has no such grade, or a level is off its scales.
        """
        grid, graded = self._graded(matrix, rule, which)
        if isinstance(grade, RiskGrade):
            if grade not in grid.grades:
                raise UnknownKeyError(
                    "risk grade", grade.key, [g.key for g in grid.grades]
                )
            rank = grade.rank
        else:
            rank = grid.grade_by_key(grade).rank
        return tuple(item.risk for item in graded if item.rank == rank)

    def by_response_level(
        self,
        level: ResponseLevel,
        matrix: RiskMatrix | None = None,
        *,
        rule: ImpactRule | None = None,
        which: AssessmentKind = AssessmentKind.CURRENT,
    ) -> tuple[Risk, ...]:
        """Return the risks whose grade calls for the response ``level``."""
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        grid, graded = self._graded(matrix, rule, which)
        return tuple(
            item.risk
            for item in graded
            if grid.grades[item.rank - 1].response_level is level
        )

    def top(
        self,
        n: int,
        *,
        by: str = "score",
        matrix: RiskMatrix | None = None,
        rule: ImpactRule | None = None,
        which: AssessmentKind = AssessmentKind.CURRENT,
    ) -> tuple[Risk, ...]:
        """Return the ``n`` highest risks, highest first.

        ``by`` is ``"score"`` (L × I), ``"grade"``, ``"likelihood"`` or
        ``"impact"``. Ties are broken by score, then grade, then key (so the
        result never depends on the order risks were added). Risks without
        the ``which`` assessment are left out; fewer than ``n`` come back if
        fewer are assessed.

        Raises
        ------
        UnknownKeyError
            For an unknown ``by`` or a level off the matrix's scales.
        InvalidTypeError
            If ``n`` is not an int or ``by`` not a str.
        ValidationError
            If ``n`` is < 1.
        """
        count = _check_count(n)
        if not isinstance(by, str):
            raise InvalidTypeError("by", by, f"a ranking, one of {', '.join(RANKINGS)}")
        if by not in RANKINGS:
            raise UnknownKeyError("ranking (by)", by, RANKINGS)
        _, graded = self._graded(matrix, rule, which)

        def order(item: _Graded) -> tuple[int, int, int]:
            primary = {
                "score": item.score,
                "grade": item.rank,
                "likelihood": item.likelihood,
                "impact": item.impact,
            }[by]
            return (-primary, -item.score, -item.rank)

        ranked = sorted(graded, key=lambda item: (*order(item), item.risk.key))
        return tuple(item.risk for item in ranked[:count])

    def heatmap(
        self,
        matrix: RiskMatrix | None = None,
        *,
        rule: ImpactRule | None = None,
        which: AssessmentKind = AssessmentKind.CURRENT,
    ) -> IntArray:
        """Count the risks per matrix cell, shape (likelihood levels, impact levels).

        ``counts[l - 1, i - 1]`` is the number of risks assessed at
        likelihood ``l`` and impact ``i`` (`RiskMatrix.heatmap_counts`); flip
        the rows (``[::-1]``) to draw the highest likelihood on top.
        """
        grid, graded = self._graded(matrix, rule, which)
        likelihoods = np.array([item.likelihood for item in graded], dtype=np.int64)
        impacts = np.array([item.impact for item in graded], dtype=np.int64)
        counts = grid.heatmap_counts(likelihoods, impacts)
        counts.setflags(write=False)
        return counts

    # --- simulated loss ----------------------------------------------------------

    def loss_models(
        self, which: AssessmentKind = AssessmentKind.CURRENT
    ) -> FrozenDict[str, LossModel]:
        """Return the loss models of the open risks' ``which`` assessments."""
        kind = _check_which(which)
        models: dict[str, LossModel] = {}
        for risk in self:
            assessment = risk.assessment(kind)
            if assessment is not None and assessment.loss_model is not None:
                models[risk.key] = assessment.loss_model
        return FrozenDict(models)

    def unmodelled(
        self, which: AssessmentKind = AssessmentKind.CURRENT
    ) -> tuple[Risk, ...]:
        """Return the open risks that simulation skips: no ``which`` loss model."""
        models = self.loss_models(which)
        return tuple(risk for risk in self if risk.key not in models)

    def top_by_simulated_loss(
        self,
        n: int,
        *,
        trials: int,
        seed: int | np.random.SeedSequence,
        which: AssessmentKind = AssessmentKind.CURRENT,
        percentile: float | None = None,
    ) -> tuple[tuple[Risk, LossDistribution], ...]:
        """Return the ``n`` risks with the largest simulated annual loss.

        Each risk with a loss model on its ``which`` assessment is simulated
        for ``trials`` years (vectorised, `simulate`) on its own stream
        `risk_generator(seed, key)`, so its losses do not depend on the
        other risks or their order. Risks are ranked by expected annual loss
        (the mean), or by the given ``percentile`` (0–100) of their losses;
        ties by key. **Risks without a loss model are skipped** (see
        `unmodelled`).

        Returns
        -------
        tuple of (Risk, LossDistribution)
            Highest first; fewer than ``n`` if fewer risks have a model.

        Raises
        ------
        ValidationError, InvalidTypeError
            For ``n`` or ``trials`` that are not ints ≥ 1, a bad seed, or a
            percentile outside [0, 100].
        """
        count = _check_count(n)
        runs = _check_trials(trials)
        base = _check_seed(seed)
        if percentile is not None:
            check_finite(percentile, "percentile", low=0.0, high=100.0)
        results: list[tuple[float, str, Risk, LossDistribution]] = []
        for key, model in self.loss_models(which).items():
            losses = simulate(model, runs, risk_generator(base, key))
            value = (
                losses.mean
                if percentile is None
                else float(losses.percentile(float(percentile)))
            )
            results.append((-value, key, self._risks[key], losses))
        results.sort(key=lambda item: (item[0], item[1]))
        return tuple((risk, losses) for _, _, risk, losses in results[:count])

    def portfolio(
        self,
        which: AssessmentKind = AssessmentKind.CURRENT,
        *,
        correlation: RankCorrelation | None = None,
        shocks: Iterable[CommonShock] = (),
    ) -> Portfolio:
        """Return a `Portfolio` of the open risks that have a ``which`` loss model.

        Each risk enters under its key, so `simulate_portfolio` draws it from
        ``risk_generator(seed, key)`` exactly as `top_by_simulated_loss`
        does. Risks without a loss model are skipped (see `unmodelled`); the
        correlation and the shocks may name only risks that have one.

        Raises
        ------
        ValidationError
            If no open risk has a ``which`` loss model.
        UnknownKeyError
            If the correlation or a shock names a risk not in the portfolio.
        """
        models = self.loss_models(which)
        if not models:
            raise ValidationError(
                "which",
                which.name,
                "an assessment kind for which at least one open risk has a loss model",
            )
        return Portfolio(risks=models, correlation=correlation, shocks=shocks)
