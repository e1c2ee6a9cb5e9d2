"""Cause analysis: cause families, root vs contributing causes, five whys (book §4).

Book §4 (分析危機原因和影響範圍, 1. 分析危機原因) says a crisis "往往有其深層原因"
(usually has deeper causes) and that analysing them "有助于精準定位問題" (pins
the problem down). It names five places to look, the `CauseFamily` members:
市場趨勢 (market trend), 供應鏈穩定性 (supply-chain stability), 產品與服務質量
(product and service quality), 競爭環境 (competition) and 技術與網絡安全
(technology and network security). Book §5 (執行危機應對策略, 2.
精準識別危機類型和根源) adds that the team must find the crisis's 根源 (root)
before it can target a solution.

This module records such an analysis as plain values:

* `Evidence` – where a finding comes from (a dashboard, a supplier's e-mail),
  optionally when it was observed and which metric shows it;
* `Cause` – one cause, in a family, with evidence, marked as a root cause or
  not, and the keys of the causes (or effects) it leads to;
* `FiveWhys` – the "ask why until you reach the root" chain of the Toyota
  Production System (Ohno 1988): a problem and the ordered answers, the last
  one the root cause;
* `CauseAnalysis` – the causes of one crisis as a directed acyclic graph
  (cause → what it contributes to), checked on construction, with queries for
  root causes, contributing causes, causes by family and the chains that lead
  to a cause.

Incident-review practice (Allspaw 2012; Google SRE postmortems) warns against
a single root cause: most crises have several **contributing causes** that
only together produced the failure. The graph keeps them all; "root" only
means "we stopped asking why here, and this is where we act".

Examples
--------
>>> from crisisops.planning.causes import Cause, CauseAnalysis, CauseFamily
>>> analysis = CauseAnalysis(
...     crisis_key="peak_2026.stockout",
...     causes=[
...         Cause(
...             key="forecast_missed_trend",
...             family=CauseFamily.MARKET_TREND,
...             description="Demand forecast ignored the viral trend",
...             is_root=True,
...             contributes_to=["late_reorder"],
...         ),
...         Cause(
...             key="late_reorder",
...             family="supply_chain_stability",
...             description="Re-order placed after the supplier's cut-off",
...         ),
...     ],
... )
>>> [cause.key for cause in analysis.root_causes()]
['forecast_missed_trend']
>>> [cause.key for cause in analysis.contributing_causes()]
['late_reorder']
>>> analysis.chain_to("late_reorder")
(('forecast_missed_trend', 'late_reorder'),)
>>> CauseFamily.SUPPLY_CHAIN_STABILITY.labels.zh_hant
'供應鏈穩定性'

References
----------
Ohno, Taiichi. 1988. *Toyota Production System: Beyond Large-Scale
Production*. Cambridge, MA: Productivity Press. (The five whys.)
Ishikawa, Kaoru. 1990. *Introduction to Quality Control*. Tokyo: 3A
Corporation. (Cause families as the bones of a cause-and-effect diagram.)
Allspaw, John. 2012. "Blameless PostMortems and a Just Culture." *Code as
Craft* (Etsy engineering blog). (Multiple contributing factors.)
Beyer, Betsy, et al., eds. 2016. *Site Reliability Engineering*, ch. 15
"Postmortem Culture". Sebastopol, CA: O'Reilly.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import networkx as nx

from crisisops._validation import (
    check_key,
    field_name,
    is_aware_datetime,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
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
    "Cause",
    "CauseAnalysis",
    "CauseFamily",
    "Evidence",
    "FiveWhys",
    "Why",
]

_BOOK_SECTION = "§4 分析危機原因和影響範圍"


_labels = Labels.of


# --- cause families -------------------------------------------------------------


class CauseFamily(enum.Enum):
    """Where a crisis's cause lies: the five areas of book §4 (分析危機原因).

    The book's five families, each with the question it asks
    (`CauseFamily.question`, in the book's words), work like the bones of an
    Ishikawa cause-and-effect diagram: go through each and ask whether a cause
    lies there. ``OTHER`` is crisisops' addition for causes outside the five
    (e.g. an internal process or a regulation); the book names only five.
    """

    MARKET_TREND = "market_trend"
    SUPPLY_CHAIN_STABILITY = "supply_chain_stability"
    PRODUCT_SERVICE_QUALITY = "product_service_quality"
    COMPETITION = "competition"
    TECHNOLOGY_SECURITY = "technology_security"
    OTHER = "other"

    @property
    def labels(self) -> Labels:
        """Name of the family in English, 繁體 and 简体 (the book's headings)."""
        return _FAMILY_TEXT[self][0]

    @property
    def question(self) -> Labels:
        """What to check in this family, in the book's words."""
        return _FAMILY_TEXT[self][1]

    @property
    def book_section(self) -> str | None:
        """Where the book names the family (``None`` for ``OTHER``)."""
        return None if self is CauseFamily.OTHER else _BOOK_SECTION


_FAMILY_TEXT = {
    CauseFamily.MARKET_TREND: (
        _labels("Market trend", "市場趨勢", "市场趋势"),
        _labels(
            "Did a change in consumer demand cause falling sales or market share?",
            "考察消費者需求的變化是否導致銷售下滑或市場份額減少",
            "考察消费者需求的变化是否导致销售下滑或市场份额减少",
        ),
    ),
    CauseFamily.SUPPLY_CHAIN_STABILITY: (
        _labels("Supply-chain stability", "供應鏈穩定性", "供应链稳定性"),
        _labels(
            "Are suppliers stable and reliable; is there a risk of a supply break?",
            "評估供應商是否穩定可靠,是否存在供應鏈中斷的風險",
            "评估供应商是否稳定可靠,是否存在供应链中断的风险",
        ),
    ),
    CauseFamily.PRODUCT_SERVICE_QUALITY: (
        _labels("Product and service quality", "產品與服務質量", "产品与服务质量"),
        _labels(
            "Do products or services have defects or quality problems that "
            "hurt the customer experience?",
            "檢查產品和服務是否存在缺陷或質量問題,影響消費者體驗",
            "检查产品和服务是否存在缺陷或质量问题,影响消费者体验",
        ),
    ),
    CauseFamily.COMPETITION: (
        _labels("Competition", "競爭環境", "竞争环境"),
        _labels(
            "Does a change in competitors' strategy threaten or challenge us?",
            "分析競爭對手的策略變化是否對本企業構成威脅或挑戰",
            "分析竞争对手的策略变化是否对本企业构成威胁或挑战",
        ),
    ),
    CauseFamily.TECHNOLOGY_SECURITY: (
        _labels("Technology and network security", "技術與網絡安全", "技术与网络安全"),
        _labels(
            "Are information systems secure; can they withstand attacks and "
            "data leaks?",
            "評估信息系統是否安全無虞,能否應對網絡攻擊和數據泄露風險",
            "评估信息系统是否安全无虞,能否应对网络攻击和数据泄露风险",
        ),
    ),
    CauseFamily.OTHER: (
        _labels("Other", "其他", "其他"),
        _labels(
            "A cause outside the book's five families, e.g. an internal process.",
            "書中五類以外的原因,例如內部流程。",
            "书中五类以外的原因,例如内部流程。",
        ),
    ),
}


def _to_family(value: Any) -> Any:  # noqa: ANN401
    """Accept a family's value (``"competition"``) for the enum member."""
    if isinstance(value, str):
        for member in CauseFamily:
            if member.value == value:
                return member
    return value


def _check_family(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if isinstance(value, CauseFamily):
        return
    known = [member.value for member in CauseFamily]
    if isinstance(value, str):
        raise UnknownKeyError(
            f"cause family (in {field_name(attribute)})", value, known
        )
    raise InvalidTypeError(
        field_name(attribute), value, f"a CauseFamily ({', '.join(known)})"
    )


# --- evidence ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Evidence:
    """Where a finding comes from: a source, a note, when, and which metric.

    Attributes
    ----------
    source
        Where it was seen, e.g. ``"GMV dashboard"`` or ``"supplier e-mail"``.
    note
        What it shows, in words; may be empty.
    observed_at
        When it was observed (timezone-aware), or ``None``.
    metric
        Key of the monitored indicator that shows it (a dotted key such as
        ``"sales.gmv"``, see `crisisops.monitoring`), or ``None``.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> Evidence(
    ...     source="inventory report",
    ...     note="SKU-7 at 0.4 days of cover",
    ...     observed_at=datetime(2026, 11, 9, 8, 0, tzinfo=timezone.utc),
    ...     metric="supply.inventory_days_of_cover",
    ... ).metric
    'supply.inventory_days_of_cover'
    """

    source: str = attrs.field(validator=is_text())
    note: str = attrs.field(default="", validator=is_text(allow_empty=True))
    observed_at: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    metric: str | None = attrs.field(default=None, validator=is_optional(is_key()))


# --- causes ---------------------------------------------------------------------


def _check_contributes_to(instance: Cause, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of cause keys")
    seen: set[str] = set()
    for index, key in enumerate(value):
        check_key(key, f"{name}[{index}]")
        if key in seen:
            raise DuplicateKeyError(f"cause key (in {name})", key)
        if key == instance.key:
            raise ValidationError(
                f"{name}[{index}]",
                key,
                "the key of another cause (a cause cannot contribute to itself)",
            )
        seen.add(key)


@attrs.frozen(kw_only=True)
class Cause:
    """One cause of a crisis, with its family, evidence and what it leads to.

    Attributes
    ----------
    key
        Stable key, unique in its analysis, e.g. ``"late_reorder"`` (dotted
        keys such as ``"supply.late_reorder"`` are allowed).
    family
        The `CauseFamily` it belongs to; its value (``"competition"``) is
        accepted too.
    description
        What happened, in words.
    evidence
        The `Evidence` behind it.
    is_root
        Whether this is a root cause (根源): the analysis stopped asking "why"
        here because this is where a fix belongs. Non-root causes are
        *contributing* causes.
    contributes_to
        Keys of the causes this one leads to, in its `CauseAnalysis`. Empty
        for a cause that leads straight to the crisis (a direct cause).
    """

    key: str = attrs.field(validator=is_key())
    family: CauseFamily = attrs.field(converter=_to_family, validator=_check_family)
    description: str = attrs.field(validator=is_text())
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Evidence, "an Evidence")),
    )
    is_root: bool = attrs.field(default=False, validator=is_instance(bool, "a bool"))
    contributes_to: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=_check_contributes_to
    )


# --- five whys --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Why:
    """One answer in a `FiveWhys` chain, optionally linked to a `Cause`.

    Attributes
    ----------
    answer
        The answer to "why?" about the step before (or the problem).
    cause
        Key of the `Cause` in the analysis this answer names, or ``None``.

    Examples
    --------
    A linked answer names the `Cause` it found; a `FiveWhys` chain reports
    the cause its last answer names as the root:

    >>> why = Why(answer="The forecast missed the trend", cause="forecast_gap")
    >>> chain = FiveWhys(problem="Stock-out", whys=["Late re-order", why])
    >>> chain.whys[0], chain.root_cause
    (Why(answer='Late re-order', cause=None), 'forecast_gap')
    """

    answer: str = attrs.field(validator=is_text())
    cause: str | None = attrs.field(default=None, validator=is_optional(is_key()))


def _to_whys(value: object) -> object:
    """Accept plain strings as `Why` answers; turn a list into a tuple."""
    items = to_tuple(value)  # type: ignore[arg-type]  # anything; validated next
    if not isinstance(items, tuple):
        return items
    return tuple(Why(answer=item) if isinstance(item, str) else item for item in items)


@attrs.frozen(kw_only=True)
class FiveWhys:
    """A five-whys chain: a problem, then "why?" answered until the root.

    Taiichi Ohno's rule at Toyota: ask "why?" of the problem, then of the
    answer, and so on, until the answer is something you can fix so that the
    problem does not come back. Five is a rule of thumb, not a law: a chain
    here has at least one answer and no upper limit. The **last** answer is
    the root cause (根源); chains of fewer than three answers often stop at a
    symptom (`FiveWhys.is_shallow`).

    Attributes
    ----------
    problem
        The problem observed, e.g. ``"Best-seller out of stock on 11.11"``.
    whys
        The answers in order, each a `Why` (plain strings are accepted and
        become unlinked answers). The first explains the problem, each next
        one explains the one before.

    Examples
    --------
    >>> chain = FiveWhys(
    ...     problem="Best-seller out of stock on 11.11",
    ...     whys=[
    ...         "The re-order arrived two days late",
    ...         "It was placed after the supplier's cut-off",
    ...         "The forecast did not see the viral trend",
    ...     ],
    ... )
    >>> chain.depth, chain.root_answer
    (3, 'The forecast did not see the viral trend')
    """

    problem: str = attrs.field(validator=is_text())
    whys: tuple[Why, ...] = attrs.field(
        converter=_to_whys,
        validator=is_tuple_of(is_instance(Why, "a Why or a str"), min_length=1),
    )

    @property
    def depth(self) -> int:
        """How many times "why?" was asked."""
        return len(self.whys)

    @property
    def root_answer(self) -> str:
        """The last answer: the root cause, in words."""
        return self.whys[-1].answer

    @property
    def root_cause(self) -> str | None:
        """Key of the `Cause` the last answer names, or ``None``."""
        return self.whys[-1].cause

    @property
    def is_shallow(self) -> bool:
        """Whether the chain has fewer than three answers (maybe a symptom)."""
        return len(self.whys) < 3


# --- the analysis -----------------------------------------------------------------


def _format_cycle(nodes: list[str]) -> str:
    return " → ".join([*nodes, nodes[0]])


@attrs.frozen(kw_only=True)
class CauseAnalysis:
    """The causes of one crisis as a graph: what led to what, and the roots.

    Each `Cause` points, through ``contributes_to``, at the causes it leads
    to; together they form a directed graph (built with networkx, kept
    private and never exposed). The analysis is checked on construction:

    * cause keys are unique, and every key in a ``contributes_to`` names a
      cause of the analysis (an unknown key is reported with suggestions);
    * the graph has no cycle (the error names it, e.g. ``a → b → a``);
    * a root cause has no deeper cause: no other cause contributes to it
      (otherwise the deeper one is the root);
    * a root cause contributes to something, unless it is the only cause;
    * every five-whys chain names only known causes, its last linked answer
      (if its last answer is linked) is a root cause, it names no cause twice,
      and each linked answer is upstream of the linked answer before it
      (the deeper answer leads, in the graph, to the shallower one).

    Causes whose own causes are unknown and that are not marked as roots are
    *open*: ask "why?" again (`open_causes()`). An analysis with open causes,
    or without any root, is valid but not complete (`is_complete`).

    Attributes
    ----------
    crisis_key
        Identifier of the crisis analysed: any non-blank text, e.g.
        ``"peak_2026.stockout"`` or a ticket number ``"INC-2026-0042"`` (the
        same identifier every planning value of one crisis carries).
    causes
        The causes, at least one, in the order to show them.
    chains
        Five-whys chains (`FiveWhys`) behind the analysis.
    notes
        Free text.

    Raises
    ------
    DuplicateKeyError
        For two causes with one key.
    UnknownKeyError
        For a ``contributes_to`` or five-whys key naming no cause.
    ValidationError
        For a cycle, a root cause with a deeper cause, a root cause that
        leads nowhere, or an inconsistent five-whys chain.
    """

    crisis_key: str = attrs.field(validator=is_text())
    causes: tuple[Cause, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Cause, "a Cause"), min_length=1),
    )
    chains: tuple[FiveWhys, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(FiveWhys, "a FiveWhys")),
    )
    notes: str = attrs.field(default="", validator=is_text(allow_empty=True))
    _graph: Any = attrs.field(init=False, repr=False, eq=False, hash=False)
    _by_key: FrozenDict[str, Cause] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check keys, cycles, root causes and chains; build the graph."""
        by_key: dict[str, Cause] = {}
        for cause in self.causes:
            if cause.key in by_key:
                raise DuplicateKeyError("cause", cause.key)
            by_key[cause.key] = cause
        graph = nx.DiGraph()
        graph.add_nodes_from(by_key)
        for index, cause in enumerate(self.causes):
            for position, target in enumerate(cause.contributes_to):
                if target not in by_key:
                    raise UnknownKeyError(
                        f"cause (in causes[{index}].contributes_to[{position}])",
                        target,
                        by_key,
                    )
                graph.add_edge(cause.key, target)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            cycle = None
        if cycle is not None:
            text = _format_cycle([edge[0] for edge in cycle])
            raise ValidationError(
                "causes",
                text,
                "free of cycles: no cause may lead, through contributes_to, "
                f"back to itself; found the cycle {text}",
            )
        for index, cause in enumerate(self.causes):
            if not cause.is_root:
                continue
            deeper = list(graph.predecessors(cause.key))
            if deeper:
                raise ValidationError(
                    f"causes[{index}].is_root",
                    cause.key,
                    f"False, or no deeper cause: {deeper[0]!r} contributes to "
                    f"{cause.key!r}, so the root lies deeper (mark {deeper[0]!r} "
                    "or a cause behind it as the root)",
                )
            if not cause.contributes_to and len(self.causes) > 1:
                raise ValidationError(
                    f"causes[{index}].contributes_to",
                    cause.contributes_to,
                    f"at least one key: root cause {cause.key!r} must lead to "
                    "another cause (only a sole cause may stand alone)",
                )
        object.__setattr__(self, "_graph", graph)
        object.__setattr__(self, "_by_key", FrozenDict(by_key))
        for index, chain in enumerate(self.chains):
            self._check_chain(index, chain)

    def _check_chain(self, index: int, chain: FiveWhys) -> None:
        linked: list[tuple[int, str]] = []
        for position, why in enumerate(chain.whys):
            if why.cause is None:
                continue
            field = f"chains[{index}].whys[{position}].cause"
            if why.cause not in self._by_key:
                raise UnknownKeyError(f"cause (in {field})", why.cause, self._by_key)
            if any(key == why.cause for _, key in linked):
                raise ValidationError(
                    field, why.cause, "a cause not already named earlier in the chain"
                )
            if linked:
                shallower = linked[-1][1]
                if not nx.has_path(self._graph, why.cause, shallower):
                    raise ValidationError(
                        field,
                        why.cause,
                        f"a cause that leads to {shallower!r}, the cause named "
                        f"at whys[{linked[-1][0]}] (each answer explains the "
                        "one before it)",
                    )
            linked.append((position, why.cause))
        root = chain.root_cause
        if root is not None and not self._by_key[root].is_root:
            raise ValidationError(
                f"chains[{index}].whys[{chain.depth - 1}].cause",
                root,
                "a root cause (is_root=True): the last answer of a five-whys "
                "chain is the root",
            )

    # --- queries ------------------------------------------------------------------

    def cause(self, key: str) -> Cause:
        """Return the cause with ``key``.

        Raises
        ------
        UnknownKeyError
            If there is no such cause; the message suggests close keys.
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a cause key (str)")
        if key not in self._by_key:
            raise UnknownKeyError("cause", key, self._by_key)
        return self._by_key[key]

    def root_causes(self) -> tuple[Cause, ...]:
        """Return the causes marked as root causes, in the analysis's order."""
        return tuple(cause for cause in self.causes if cause.is_root)

    def contributing_causes(self) -> tuple[Cause, ...]:
        """Return the causes that are not root causes, in the analysis's order."""
        return tuple(cause for cause in self.causes if not cause.is_root)

    def direct_causes(self) -> tuple[Cause, ...]:
        """Return the causes that lead straight to the crisis (contribute to none)."""
        return tuple(cause for cause in self.causes if not cause.contributes_to)

    def open_causes(self) -> tuple[Cause, ...]:
        """Return the non-root causes with no deeper cause listed: ask "why?" again."""
        return tuple(
            cause
            for cause in self.causes
            if not cause.is_root and self._graph.in_degree(cause.key) == 0
        )

    @property
    def is_complete(self) -> bool:
        """Whether there is a root cause and no open cause is left."""
        return bool(self.root_causes()) and not self.open_causes()

    def by_family(self) -> FrozenDict[CauseFamily, tuple[Cause, ...]]:
        """Return the causes grouped by family, families in `CauseFamily` order.

        Only families that have a cause appear.
        """
        return FrozenDict(
            (family, group)
            for family in CauseFamily
            if (group := tuple(c for c in self.causes if c.family is family))
        )

    def chain_to(self, cause_key: str) -> tuple[tuple[str, ...], ...]:
        """Return every chain of causes that leads to ``cause_key``.

        A chain starts at a cause with no deeper cause listed (a root, or an
        open cause) and follows ``contributes_to`` to ``cause_key``; it is
        returned as keys, deepest first, ending with ``cause_key``. A cause
        with no deeper cause has the one chain ``(cause_key,)``. Chains are
        ordered by the position of their causes in ``causes``.

        Raises
        ------
        UnknownKeyError
            If ``cause_key`` names no cause.
        """
        target = self.cause(cause_key).key
        graph = self._graph
        if graph.in_degree(target) == 0:
            return ((target,),)
        order = {key: position for position, key in enumerate(self._by_key)}
        ancestors = nx.ancestors(graph, target)
        paths = [
            tuple(path)
            for start in self._by_key
            if start in ancestors and graph.in_degree(start) == 0
            for path in nx.all_simple_paths(graph, start, target)
        ]
        return tuple(sorted(paths, key=lambda path: [order[key] for key in path]))

    def leads_to(self, cause_key: str) -> tuple[str, ...]:
        """Return the keys of every cause downstream of ``cause_key``.

        They are in the analysis's order; the result is empty for a direct
        cause.
        """
        target = self.cause(cause_key).key
        downstream = nx.descendants(self._graph, target)
        return tuple(key for key in self._by_key if key in downstream)
