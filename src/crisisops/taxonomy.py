"""Crisis categories and types, response levels and lifecycle phases (book §2).

This module is the vocabulary every other crisisops package speaks.

* `CrisisCategory` – the six families of crisis of book §2
  (電商運營中的危機類型): market, product, supply chain, financial, technical and
  other.
* `CrisisType` – one kind of crisis, e.g. ``supply_chain.inventory``
  (庫存危機), with trilingual labels, a description drawn from the book, the book
  section, its typical indicators, default roles and playbooks, and where one
  applies its type in Coombs' Situational Crisis Communication Theory.
* `CrisisTypeCatalog` and `default_catalog()` – the open catalog of
  every type the book names plus the case-study crises of §5.4.
* `ResponseLevel` – the four-tier emergency convention, Level I 特別重大
  (red) to Level IV 一般 (blue), ordered by severity and mapped to SEV1–SEV4.
* `Phase` – the book's crisis lifecycle 預警 → 評估 → 策略 → 執行 → 復盤,
  mapped to Fink's, Pearson–Mitroff's and Coombs' stage models.

Examples
--------
>>> from crisisops.taxonomy import ResponseLevel, default_catalog
>>> catalog = default_catalog()
>>> catalog["supply_chain.inventory"].labels.zh_hant
'庫存危機'
>>> ResponseLevel.I > ResponseLevel.IV  # Level I is the most severe
True
>>> ResponseLevel.II.to_sev()
'SEV2'
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from crisisops._validation import (
    field_name,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_tuple_of,
    is_unique,
    to_str_tuple,
)
from crisisops.catalog import Catalog
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels

__all__ = [
    "CoombsStage",
    "CrisisCategory",
    "CrisisType",
    "CrisisTypeCatalog",
    "FinkStage",
    "ImpactDimension",
    "PearsonMitroffStage",
    "Phase",
    "ResponseLevel",
    "SCCTCluster",
    "SCCTCrisisType",
    "default_catalog",
]


_labels = Labels.of


# --- categories ---------------------------------------------------------------


class CrisisCategory(enum.Enum):
    """The six crisis families of book §2 (電商運營中的危機類型).

    The value is the first segment of every crisis-type key in the category,
    e.g. ``supply_chain.inventory``.
    """

    MARKET = "market"
    PRODUCT = "product"
    SUPPLY_CHAIN = "supply_chain"
    FINANCIAL = "financial"
    TECHNICAL = "technical"
    OTHER = "other"

    @property
    def labels(self) -> Labels:
        """Name of the category in English, 繁體 and 简体."""
        return _CATEGORY_LABELS[self]

    @property
    def book_section(self) -> str:
        """The section of the book that describes the category."""
        return _CATEGORY_SECTIONS[self]


_CATEGORY_LABELS = {
    CrisisCategory.MARKET: _labels("Market crisis", "市場危機", "市场危机"),
    CrisisCategory.PRODUCT: _labels("Product crisis", "產品危機", "产品危机"),
    CrisisCategory.SUPPLY_CHAIN: _labels(
        "Supply-chain crisis", "供應鏈危機", "供应链危机"
    ),
    CrisisCategory.FINANCIAL: _labels("Financial crisis", "財務危機", "财务危机"),
    CrisisCategory.TECHNICAL: _labels("Technical crisis", "技術危機", "技术危机"),
    CrisisCategory.OTHER: _labels(
        "Other common crisis", "其他常見危機類型", "其他常见危机类型"
    ),
}

_CATEGORY_SECTIONS = {
    CrisisCategory.MARKET: "§2.1 市場危機",
    CrisisCategory.PRODUCT: "§2.2 產品危機",
    CrisisCategory.SUPPLY_CHAIN: "§2.3 供應鏈危機",
    CrisisCategory.FINANCIAL: "§2.4 財務危機",
    CrisisCategory.TECHNICAL: "§2.5 技術危機",
    CrisisCategory.OTHER: "§2.6 其他常見危機類型",
}


# --- SCCT (Coombs 2007) -------------------------------------------------------


class SCCTCluster(enum.Enum):
    """Crisis clusters of Situational Crisis Communication Theory (Coombs 2007).

    The clusters are ordered by how much responsibility stakeholders attribute
    to the organisation: victim (minimal) < accidental (low) < preventable
    (strong). A crisis history or an unfavourable prior reputation moves a
    crisis one cluster up (`intensified()`).

    Examples
    --------
    >>> from crisisops.taxonomy import SCCTCluster
    >>> [(cluster.value, cluster.responsibility) for cluster in SCCTCluster]
    [('victim', 1), ('accidental', 2), ('preventable', 3)]
    >>> SCCTCluster.ACCIDENTAL.intensified()  # e.g. after a crisis history
    <SCCTCluster.PREVENTABLE: 'preventable'>
    >>> SCCTCluster.PREVENTABLE.intensified()  # already the top
    <SCCTCluster.PREVENTABLE: 'preventable'>
    >>> SCCTCluster.ACCIDENTAL.labels.zh_hant
    '意外型'

    References
    ----------
    Coombs, W. Timothy. 2007. "Protecting Organization Reputations During a
    Crisis: The Development and Application of Situational Crisis Communication
    Theory." *Corporate Reputation Review* 10 (3): 163–76.
    https://doi.org/10.1057/palgrave.crr.1550049.
    """

    VICTIM = "victim"
    ACCIDENTAL = "accidental"
    PREVENTABLE = "preventable"

    @property
    def responsibility(self) -> int:
        """Ordinal attributed responsibility: 1 victim, 2 accidental, 3 preventable."""
        return _CLUSTER_ORDER.index(self) + 1

    def intensified(self) -> SCCTCluster:
        """Return the cluster one step up (preventable stays preventable)."""
        position = min(_CLUSTER_ORDER.index(self) + 1, len(_CLUSTER_ORDER) - 1)
        return _CLUSTER_ORDER[position]

    @property
    def labels(self) -> Labels:
        """Name of the cluster in English, 繁體 and 简体."""
        return _CLUSTER_LABELS[self]


_CLUSTER_ORDER = (SCCTCluster.VICTIM, SCCTCluster.ACCIDENTAL, SCCTCluster.PREVENTABLE)
_CLUSTER_LABELS = {
    SCCTCluster.VICTIM: _labels("Victim cluster", "受害型", "受害型"),
    SCCTCluster.ACCIDENTAL: _labels("Accidental cluster", "意外型", "意外型"),
    SCCTCluster.PREVENTABLE: _labels("Preventable cluster", "可預防型", "可预防型"),
}


class SCCTCrisisType(enum.Enum):
    """The crisis types of Coombs (2007, Table 1), each in one cluster.

    Labels follow the 2007 paper; later editions of *Ongoing Crisis
    Communication* rename some of them.

    Examples
    --------
    >>> from crisisops.taxonomy import SCCTCluster, SCCTCrisisType, default_catalog
    >>> SCCTCrisisType.RUMOR.cluster
    <SCCTCluster.VICTIM: 'victim'>
    >>> [t.value for t in SCCTCrisisType if t.cluster is SCCTCluster.ACCIDENTAL]
    ['challenge', 'technical_error_accident', 'technical_error_product_harm']

    The built-in e-commerce crises that concern reputation carry one:

    >>> quality = default_catalog()["product.quality_safety"]
    >>> quality.scct_type.value, quality.scct_cluster.value
    ('human_error_product_harm', 'preventable')
    """

    NATURAL_DISASTER = "natural_disaster"
    RUMOR = "rumor"
    WORKPLACE_VIOLENCE = "workplace_violence"
    PRODUCT_TAMPERING = "product_tampering"
    CHALLENGE = "challenge"
    TECHNICAL_ERROR_ACCIDENT = "technical_error_accident"
    TECHNICAL_ERROR_PRODUCT_HARM = "technical_error_product_harm"
    HUMAN_ERROR_ACCIDENT = "human_error_accident"
    HUMAN_ERROR_PRODUCT_HARM = "human_error_product_harm"
    ORGANIZATIONAL_MISDEED_NO_INJURIES = "organizational_misdeed_no_injuries"
    ORGANIZATIONAL_MISDEED_MANAGEMENT_MISCONDUCT = (
        "organizational_misdeed_management_misconduct"
    )
    ORGANIZATIONAL_MISDEED_WITH_INJURIES = "organizational_misdeed_with_injuries"

    @property
    def cluster(self) -> SCCTCluster:
        """The SCCT cluster this crisis type belongs to (Coombs 2007, Table 1)."""
        if self in _VICTIM_TYPES:
            return SCCTCluster.VICTIM
        if self in _ACCIDENTAL_TYPES:
            return SCCTCluster.ACCIDENTAL
        return SCCTCluster.PREVENTABLE


_VICTIM_TYPES = frozenset(
    {
        SCCTCrisisType.NATURAL_DISASTER,
        SCCTCrisisType.RUMOR,
        SCCTCrisisType.WORKPLACE_VIOLENCE,
        SCCTCrisisType.PRODUCT_TAMPERING,
    }
)
_ACCIDENTAL_TYPES = frozenset(
    {
        SCCTCrisisType.CHALLENGE,
        SCCTCrisisType.TECHNICAL_ERROR_ACCIDENT,
        SCCTCrisisType.TECHNICAL_ERROR_PRODUCT_HARM,
    }
)


# --- crisis types -------------------------------------------------------------


def _check_book_section(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Check that a book reference starts with '§' and a chapter number."""
    if not isinstance(value, str):
        raise InvalidTypeError(field_name(attribute), value, "a str")
    if len(value) < 2 or not value.startswith("§") or not value[1].isdigit():
        raise ValidationError(
            field_name(attribute),
            value,
            "a book reference such as '§2.3 供應鏈危機' (a '§' then a digit)",
        )


@attrs.frozen(kw_only=True)
class CrisisType:
    """One kind of crisis an e-commerce business can face (book §2).

    Attributes
    ----------
    key
        Stable dotted key whose first segment is the category's value, e.g.
        ``"supply_chain.inventory"``. Keys never change once published; data and
        other catalogs refer to types by key.
    category
        The book §2 family the type belongs to.
    labels
        The type's name in English, 繁體 and 简体 (the book's own term in 繁體).
    description
        One paragraph on what the crisis is and how it shows, drawn from the book.
    book_section
        Where the book describes it, e.g. ``"§2.3 供應鏈危機"``.
    indicators
        Keys of the key indicators (關鍵指標) that typically reveal this crisis,
        e.g. ``("supply.stockout_rate", "sales.gmv")``; monitoring rules use them.
    default_roles
        Keys of the response-team roles usually needed, e.g. ``("crisis_lead",)``.
    default_playbooks
        Keys of the contingency plans (預案) usually activated.
    scct_type
        The crisis type in Coombs' SCCT when one applies (``None`` for crises
        that are not about reputation, e.g. a cash shortage). The mapping of
        e-commerce crises to SCCT types is crisisops' documented choice, not
        part of SCCT.
    parent
        Key of a broader type this one specialises, e.g. the §5.4 case
        ``supply_chain.peak_season_stockout`` specialises
        ``supply_chain.inventory``; ``None`` for top-level types.
    """

    key: str = attrs.field(validator=is_key())
    category: CrisisCategory = attrs.field(validator=is_enum(CrisisCategory))
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    description: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    book_section: str = attrs.field(validator=_check_book_section)
    indicators: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("indicator key")],
    )
    default_roles: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("role key")],
    )
    default_playbooks: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("playbook key")],
    )
    scct_type: SCCTCrisisType | None = attrs.field(
        default=None, validator=is_optional(is_enum(SCCTCrisisType))
    )
    parent: str | None = attrs.field(default=None, validator=is_optional(is_key()))

    def __attrs_post_init__(self) -> None:
        """Check that the key lives under its category and has a sub-type name."""
        prefix = f"{self.category.value}."
        if not self.key.startswith(prefix) or self.key == prefix:
            raise ValidationError(
                "key",
                self.key,
                f"a key under its category, starting with {prefix!r}",
            )
        if self.parent == self.key:
            raise ValidationError("parent", self.parent, "the key of another type")

    @property
    def scct_cluster(self) -> SCCTCluster | None:
        """The SCCT cluster (victim / accidental / preventable), if one applies."""
        return None if self.scct_type is None else self.scct_type.cluster


@attrs.frozen
class CrisisTypeCatalog(Catalog[CrisisType]):
    """The open catalog of crisis types, looked up by key.

    Start from `default_catalog()` and `add()` your own types; every
    change returns a new catalog. A type's ``parent`` must be in the catalog,
    and no two types may share a label in the same language (so
    `by_label()` is unambiguous; English compares case-insensitively).

    Examples
    --------
    >>> from crisisops.labels import Labels
    >>> from crisisops.taxonomy import CrisisCategory, CrisisType, default_catalog
    >>> flash_sale = CrisisType(
    ...     key="market.flash_sale_overload",
    ...     category=CrisisCategory.MARKET,
    ...     labels=Labels(
    ...         en="Flash-sale overload", zh_hant="秒殺超載", zh_hans="秒杀超载"
    ...     ),
    ...     description=Labels(
    ...         en="Demand spike.", zh_hant="需求激增。", zh_hans="需求激增。"
    ...     ),
    ...     book_section="§2.1 市場危機",
    ... )
    >>> mine = default_catalog().add(flash_sale)
    >>> (
    ...     "market.flash_sale_overload" in mine,
    ...     "market.flash_sale_overload" in default_catalog(),
    ... )
    (True, False)

    A catalog of your own types alone, found by any of its labels:

    >>> from crisisops.taxonomy import CrisisTypeCatalog
    >>> own = CrisisTypeCatalog([flash_sale])
    >>> own.by_label("FLASH-SALE overload").key, own.by_label("秒杀超载").key
    ('market.flash_sale_overload', 'market.flash_sale_overload')
    >>> [category.value for category in own.categories()]
    ['market']
    """

    entry_type = CrisisType
    kind = "crisis type"

    def __attrs_post_init__(self) -> None:
        """Index the entries; check parents exist and labels are unambiguous."""
        super().__attrs_post_init__()
        seen: set[tuple[str, str]] = set()
        for entry in self.entries:
            labels = entry.labels
            for language, text in (
                ("en", labels.en.casefold()),
                ("zh_hant", labels.zh_hant),
                ("zh_hans", labels.zh_hans),
            ):
                if (language, text) in seen:
                    raise DuplicateKeyError(f"crisis-type label ({language})", text)
                seen.add((language, text))
        for index, entry in enumerate(self.entries):
            if entry.parent is not None and entry.parent not in self._index:
                raise UnknownKeyError(
                    f"parent crisis type (entries[{index}].parent)",
                    entry.parent,
                    self._index.keys(),
                )

    def in_category(self, category: CrisisCategory) -> CrisisTypeCatalog:
        """Return the types of one book §2 category, in catalog order."""
        if not isinstance(category, CrisisCategory):
            raise InvalidTypeError("category", category, "a CrisisCategory")
        return self.select(lambda entry: entry.category is category)

    def children(self, key: str) -> tuple[CrisisType, ...]:
        """Return the types whose ``parent`` is ``key``."""
        self[key]  # raises UnknownKeyError for unknown keys
        return tuple(entry for entry in self.entries if entry.parent == key)

    def by_label(self, text: str) -> CrisisType:
        """Find the type whose label equals ``text`` in any of the three languages.

        English matching ignores case, so ``"inventory crisis"`` finds
        ``supply_chain.inventory``, as does ``"庫存危機"`` and ``"库存危机"``.

        Raises
        ------
        UnknownKeyError
            If no label matches; suggestions come from all labels.
        """
        if not isinstance(text, str):
            raise InvalidTypeError("text", text, "a str label")
        wanted = text.strip()
        for entry in self.entries:
            labels = entry.labels
            if wanted.casefold() == labels.en.casefold() or wanted in (
                labels.zh_hant,
                labels.zh_hans,
            ):
                return entry
        every_label = [
            label
            for entry in self.entries
            for label in (entry.labels.en, entry.labels.zh_hant, entry.labels.zh_hans)
        ]
        raise UnknownKeyError("crisis-type label", text, every_label)

    def categories(self) -> tuple[CrisisCategory, ...]:
        """Return the categories that have at least one type, in enum order."""
        present = {entry.category for entry in self.entries}
        return tuple(c for c in CrisisCategory if c in present)


def default_catalog() -> CrisisTypeCatalog:
    """Return the built-in catalog: every crisis type of book §2 and §5.4.

    The catalog is rebuilt on each call (it is cheap and immutable), so callers
    can never share hidden state through it.
    """
    from crisisops._crisis_types import BUILT_IN_CRISIS_TYPES  # noqa: PLC0415

    return CrisisTypeCatalog(BUILT_IN_CRISIS_TYPES)


# --- response levels ----------------------------------------------------------


class ResponseLevel(enum.Enum):
    """The four-tier emergency response level, Level I (most severe) to IV.

    Chinese emergency plans (突發事件應急預案) grade events in four tiers with
    colours: Level I 特別重大 (red), Level II 重大 (orange), Level III 較大
    (yellow), Level IV 一般 (blue). The book (§3, 層級劃分) asks for tiered
    response levels; crisisops uses this convention.

    Comparison is by **severity**: ``ResponseLevel.I > ResponseLevel.II`` because
    Level I is the more severe. ``max(levels)`` is therefore the most severe.

    Mapping to incident-management severities (our documented choice, one to
    one): I ↔ SEV1, II ↔ SEV2, III ↔ SEV3, IV ↔ SEV4. A fifth, informational
    SEV5 used by some tools has no level here.
    """

    I = "I"  # noqa: E741  the Roman numeral is the level's official name
    II = "II"
    III = "III"
    IV = "IV"

    @property
    def severity(self) -> int:
        """Severity rank: 4 for Level I (most severe) down to 1 for Level IV."""
        return 4 - _LEVEL_ORDER.index(self)

    @property
    def number(self) -> int:
        """The level's number: 1 for Level I ... 4 for Level IV."""
        return _LEVEL_ORDER.index(self) + 1

    @property
    def colour(self) -> str:
        """Warning colour: red, orange, yellow or blue."""
        return _LEVEL_COLOURS[self]

    @property
    def labels(self) -> Labels:
        """Name of the level (特別重大, 重大, 較大, 一般) in three languages."""
        return _LEVEL_LABELS[self]

    def to_sev(self) -> str:
        """Return the matching incident severity, ``"SEV1"`` ... ``"SEV4"``."""
        return f"SEV{self.number}"

    @classmethod
    def from_sev(cls, sev: str) -> ResponseLevel:
        """Return the level for ``"SEV1"`` ... ``"SEV4"`` (or ``"SEV-1"``, ``"sev1"``).

        Raises
        ------
        UnknownKeyError
            For any other severity (including SEV5, which has no level).
        """
        if not isinstance(sev, str):
            raise InvalidTypeError("sev", sev, "a str such as 'SEV2'")
        normal = sev.strip().upper().replace("-", "")
        for level in _LEVEL_ORDER:
            if level.to_sev() == normal:
                return level
        raise UnknownKeyError(
            "severity", sev, [level.to_sev() for level in _LEVEL_ORDER]
        )

    @classmethod
    def from_number(cls, number: int) -> ResponseLevel:
        """Return the level for its number 1 ... 4 (1 is Level I)."""
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidTypeError("number", number, "an int from 1 to 4")
        if not 1 <= number <= len(_LEVEL_ORDER):
            raise ValidationError("number", number, "an int from 1 to 4")
        return _LEVEL_ORDER[number - 1]

    def escalated(self) -> ResponseLevel:
        """Return the next more severe level (Level I stays Level I)."""
        return _LEVEL_ORDER[max(_LEVEL_ORDER.index(self) - 1, 0)]

    def de_escalated(self) -> ResponseLevel:
        """Return the next less severe level (Level IV stays Level IV)."""
        return _LEVEL_ORDER[min(_LEVEL_ORDER.index(self) + 1, len(_LEVEL_ORDER) - 1)]

    def _compare(self, other: object) -> int | None:
        if not isinstance(other, ResponseLevel):
            return None
        return self.severity - other.severity

    def __lt__(self, other: object) -> bool:
        """Less severe than ``other``."""
        diff = self._compare(other)
        return NotImplemented if diff is None else diff < 0

    def __le__(self, other: object) -> bool:
        """Less severe than or as severe as ``other``."""
        diff = self._compare(other)
        return NotImplemented if diff is None else diff <= 0

    def __gt__(self, other: object) -> bool:
        """More severe than ``other``."""
        diff = self._compare(other)
        return NotImplemented if diff is None else diff > 0

    def __ge__(self, other: object) -> bool:
        """More severe than or as severe as ``other``."""
        diff = self._compare(other)
        return NotImplemented if diff is None else diff >= 0

    def __str__(self) -> str:
        """Show e.g. ``Level II 重大 (orange)``."""
        return f"Level {self.value} {self.labels.zh_hant} ({self.colour})"


_LEVEL_ORDER = (ResponseLevel.I, ResponseLevel.II, ResponseLevel.III, ResponseLevel.IV)
_LEVEL_COLOURS = {
    ResponseLevel.I: "red",
    ResponseLevel.II: "orange",
    ResponseLevel.III: "yellow",
    ResponseLevel.IV: "blue",
}
_LEVEL_LABELS = {
    ResponseLevel.I: _labels("Extraordinarily serious", "特別重大", "特别重大"),
    ResponseLevel.II: _labels("Serious", "重大", "重大"),
    ResponseLevel.III: _labels("Relatively serious", "較大", "较大"),
    ResponseLevel.IV: _labels("General", "一般", "一般"),
}


# --- lifecycle phases ---------------------------------------------------------


class FinkStage(enum.Enum):
    """Fink's (1986) four crisis stages.

    Examples
    --------
    Where each stage's work happens in the book's lifecycle (`Phase`):

    >>> from crisisops.taxonomy import FinkStage, Phase
    >>> [(stage.value, Phase.from_fink(stage).value) for stage in FinkStage]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('prodromal', 'warning'), ('acute', 'execution'),
     ('chronic', 'execution'), ('resolution', 'review')]
    >>> [stage.value for stage in Phase.EXECUTION.fink_stages]
    ['acute', 'chronic']

    References
    ----------
    Fink, Steven. 1986. *Crisis Management: Planning for the Inevitable*. New
    York: AMACOM.
    """

    PRODROMAL = "prodromal"
    ACUTE = "acute"
    CHRONIC = "chronic"
    RESOLUTION = "resolution"


class PearsonMitroffStage(enum.Enum):
    """Pearson and Mitroff's (1993) five phases of crisis management.

    Examples
    --------
    >>> from crisisops.taxonomy import PearsonMitroffStage, Phase
    >>> [Phase.from_pearson_mitroff(stage).value for stage in PearsonMitroffStage]
    ['warning', 'assessment', 'execution', 'execution', 'review']
    >>> [stage.value for stage in Phase.EXECUTION.pearson_mitroff_stages]
    ['damage_containment', 'business_recovery']

    References
    ----------
    Pearson, Christine M., and Ian I. Mitroff. 1993. "From Crisis Prone to
    Crisis Prepared: A Framework for Crisis Management." *Academy of Management
    Executive* 7 (1): 48–59. https://doi.org/10.5465/ame.1993.9409142058.
    """

    SIGNAL_DETECTION = "signal_detection"
    PROBING_AND_PREVENTION = "probing_and_prevention"
    DAMAGE_CONTAINMENT = "damage_containment"
    BUSINESS_RECOVERY = "business_recovery"
    LEARNING = "learning"


class CoombsStage(enum.Enum):
    """Coombs' three-stage macro model (*Ongoing Crisis Communication*).

    Examples
    --------
    >>> from crisisops.taxonomy import CoombsStage, Phase
    >>> [Phase.from_coombs(stage).value for stage in CoombsStage]
    ['warning', 'execution', 'review']
    >>> [phase.coombs_stage.value for phase in Phase]
    ['pre_crisis', 'pre_crisis', 'crisis', 'crisis', 'post_crisis']
    """

    PRE_CRISIS = "pre_crisis"
    CRISIS = "crisis"
    POST_CRISIS = "post_crisis"


class Phase(enum.Enum):
    """The book's crisis-management lifecycle: 預警 → 評估 → 策略 → 執行 → 復盤.

    The phases follow the book's chapters: warning (§3 危機預警), assessment
    (§3 風險評估), strategy (§4 危機應對策略制定), execution (§5 危機執行與應對實踐)
    and review (§6 后期復盤與經驗總結). A crisis only moves forward; review feeds
    back into warning (§6: lessons update the warning system), closing the loop.

    Mapping to other models (crisisops' documented choice):

    ========== ============ ======================== ===========
    Phase      Fink         Pearson–Mitroff          Coombs
    ========== ============ ======================== ===========
    WARNING    prodromal    signal detection         pre-crisis
    ASSESSMENT prodromal    probing and prevention   pre-crisis
    STRATEGY   acute        damage containment       crisis
    EXECUTION  acute,       damage containment,      crisis
               chronic      business recovery
    REVIEW     resolution   learning                 post-crisis
    ========== ============ ======================== ===========

    Going the other way, each stage maps to the phase where its main work
    happens (`from_fink()`, `from_pearson_mitroff()`,
    `from_coombs()`), e.g. Fink's *chronic* stage → ``EXECUTION``.

    Examples
    --------
    >>> from crisisops.taxonomy import Phase
    >>> [phase.labels.zh_hant for phase in Phase]
    ['預警', '評估', '策略', '執行', '復盤']
    >>> [phase.value for phase in Phase.WARNING.allowed_next()]  # skipping is allowed
    ['assessment', 'strategy', 'execution', 'review']
    >>> Phase.REVIEW.next, Phase.REVIEW.can_move_to(Phase.STRATEGY)  # the loop closes
    (<Phase.WARNING: 'warning'>, False)
    >>> Phase.WARNING.move_to(Phase.EXECUTION).book_section
    '§5 危機執行與應對實踐'
    """

    WARNING = "warning"
    ASSESSMENT = "assessment"
    STRATEGY = "strategy"
    EXECUTION = "execution"
    REVIEW = "review"

    @property
    def labels(self) -> Labels:
        """Name of the phase (預警, 評估, 策略, 執行, 復盤) in three languages."""
        return _PHASE_LABELS[self]

    @property
    def book_section(self) -> str:
        """The chapter of the book that covers this phase."""
        return _PHASE_SECTIONS[self]

    @property
    def next(self) -> Phase:
        """The phase that follows; after review comes warning again."""
        position = _PHASE_ORDER.index(self)
        return _PHASE_ORDER[(position + 1) % len(_PHASE_ORDER)]

    def allowed_next(self) -> tuple[Phase, ...]:
        """Return the phases this one may move to.

        Any later phase (skipping is allowed, e.g. an obvious outage goes from
        warning straight to execution); from review only back to warning.
        """
        if self is Phase.REVIEW:
            return (Phase.WARNING,)
        return _PHASE_ORDER[_PHASE_ORDER.index(self) + 1 :]

    def can_move_to(self, target: Phase) -> bool:
        """Return whether moving from this phase to ``target`` is allowed."""
        return target in self.allowed_next()

    def move_to(self, target: Phase) -> Phase:
        """Return ``target`` if the move is allowed.

        Raises
        ------
        TransitionError
            If ``target`` is this phase, an earlier one, or anything but warning
            after review.
        """
        if not isinstance(target, Phase):
            raise InvalidTypeError("target", target, "a Phase")
        if not self.can_move_to(target):
            raise TransitionError(
                "phase", self.name, target.name, (p.name for p in self.allowed_next())
            )
        return target

    @property
    def fink_stages(self) -> tuple[FinkStage, ...]:
        """Fink stages that overlap this phase (see the table above)."""
        return _PHASE_TO_FINK[self]

    @property
    def pearson_mitroff_stages(self) -> tuple[PearsonMitroffStage, ...]:
        """Pearson–Mitroff phases that overlap this phase."""
        return _PHASE_TO_PM[self]

    @property
    def coombs_stage(self) -> CoombsStage:
        """The Coombs macro stage this phase falls in."""
        return _PHASE_TO_COOMBS[self]

    @classmethod
    def from_fink(cls, stage: FinkStage) -> Phase:
        """Return the phase where the work of a Fink stage happens."""
        return _lookup_stage(stage, FinkStage, _FINK_TO_PHASE)

    @classmethod
    def from_pearson_mitroff(cls, stage: PearsonMitroffStage) -> Phase:
        """Return the phase where the work of a Pearson–Mitroff phase happens."""
        return _lookup_stage(stage, PearsonMitroffStage, _PM_TO_PHASE)

    @classmethod
    def from_coombs(cls, stage: CoombsStage) -> Phase:
        """Return the phase where the work of a Coombs stage happens."""
        return _lookup_stage(stage, CoombsStage, _COOMBS_TO_PHASE)


def _lookup_stage(
    stage: object, kind: type[enum.Enum], table: dict[Any, Phase]
) -> Phase:
    if not isinstance(stage, kind):
        raise InvalidTypeError("stage", stage, f"a {kind.__name__}")
    return table[stage]


_PHASE_ORDER = (
    Phase.WARNING,
    Phase.ASSESSMENT,
    Phase.STRATEGY,
    Phase.EXECUTION,
    Phase.REVIEW,
)
_PHASE_LABELS = {
    Phase.WARNING: _labels("Warning", "預警", "预警"),
    Phase.ASSESSMENT: _labels("Assessment", "評估", "评估"),
    Phase.STRATEGY: _labels("Strategy", "策略", "策略"),
    Phase.EXECUTION: _labels("Execution", "執行", "执行"),
    Phase.REVIEW: _labels("Review", "復盤", "复盘"),
}
_PHASE_SECTIONS = {
    Phase.WARNING: "§3 危機預警與風險評估",
    Phase.ASSESSMENT: "§3 危機預警與風險評估",
    Phase.STRATEGY: "§4 危機應對策略制定",
    Phase.EXECUTION: "§5 危機執行與應對實踐",
    Phase.REVIEW: "§6 后期復盤與經驗總結",
}
_PHASE_TO_FINK = {
    Phase.WARNING: (FinkStage.PRODROMAL,),
    Phase.ASSESSMENT: (FinkStage.PRODROMAL,),
    Phase.STRATEGY: (FinkStage.ACUTE,),
    Phase.EXECUTION: (FinkStage.ACUTE, FinkStage.CHRONIC),
    Phase.REVIEW: (FinkStage.RESOLUTION,),
}
_PHASE_TO_PM = {
    Phase.WARNING: (PearsonMitroffStage.SIGNAL_DETECTION,),
    Phase.ASSESSMENT: (PearsonMitroffStage.PROBING_AND_PREVENTION,),
    Phase.STRATEGY: (PearsonMitroffStage.DAMAGE_CONTAINMENT,),
    Phase.EXECUTION: (
        PearsonMitroffStage.DAMAGE_CONTAINMENT,
        PearsonMitroffStage.BUSINESS_RECOVERY,
    ),
    Phase.REVIEW: (PearsonMitroffStage.LEARNING,),
}
_PHASE_TO_COOMBS = {
    Phase.WARNING: CoombsStage.PRE_CRISIS,
    Phase.ASSESSMENT: CoombsStage.PRE_CRISIS,
    Phase.STRATEGY: CoombsStage.CRISIS,
    Phase.EXECUTION: CoombsStage.CRISIS,
    Phase.REVIEW: CoombsStage.POST_CRISIS,
}
_FINK_TO_PHASE: dict[Any, Phase] = {
    FinkStage.PRODROMAL: Phase.WARNING,
    FinkStage.ACUTE: Phase.EXECUTION,
    FinkStage.CHRONIC: Phase.EXECUTION,
    FinkStage.RESOLUTION: Phase.REVIEW,
}
_PM_TO_PHASE: dict[Any, Phase] = {
    PearsonMitroffStage.SIGNAL_DETECTION: Phase.WARNING,
    PearsonMitroffStage.PROBING_AND_PREVENTION: Phase.ASSESSMENT,
    PearsonMitroffStage.DAMAGE_CONTAINMENT: Phase.EXECUTION,
    PearsonMitroffStage.BUSINESS_RECOVERY: Phase.EXECUTION,
    PearsonMitroffStage.LEARNING: Phase.REVIEW,
}
_COOMBS_TO_PHASE: dict[Any, Phase] = {
    CoombsStage.PRE_CRISIS: Phase.WARNING,
    CoombsStage.CRISIS: Phase.EXECUTION,
    CoombsStage.POST_CRISIS: Phase.REVIEW,
}


# --- impact dimensions ------------------------------------------------------


class ImpactDimension(enum.Enum):
    """The five areas a crisis can hurt (book §4 確定影響範圍).

    Shared vocabulary: `crisisops.risk` rates a risk's impact on these
    dimensions and `crisisops.planning` assesses a live crisis on them.

    The book lists what to assess: 財務影響 (revenue, profit and cash flow),
    品牌聲譽 (brand image and the cost and time to restore it), 市場地位
    (market share and position), 供應鏈風險 (key suppliers and logistics
    channels, knock-on effects) and 客戶關係 (customer trust and loyalty). The
    labels are the book's headings (客戶關係 normalised to Traditional script).

    Examples
    --------
    >>> from crisisops.taxonomy import ImpactDimension
    >>> [dimension.labels.zh_hant for dimension in ImpactDimension]
    ['財務影響', '品牌聲譽', '市場地位', '供應鏈風險', '客戶關係']
    >>> ImpactDimension("brand").description.en
    'Harm to the brand image, and the cost and time to restore trust.'
    """

    FINANCIAL = "financial"
    BRAND = "brand"
    MARKET_POSITION = "market_position"
    SUPPLY_CHAIN = "supply_chain"
    CUSTOMER_RELATIONSHIP = "customer_relationship"

    @property
    def labels(self) -> Labels:
        """Name of the dimension in English, 繁體 and 简体."""
        return _DIMENSION_LABELS[self][0]

    @property
    def description(self) -> Labels:
        """What to assess on this dimension, in the book's words."""
        return _DIMENSION_LABELS[self][1]

    @property
    def book_section(self) -> str:
        """Where the book describes the dimension."""
        return "§4 分析危機原因和影響範圍"


_DIMENSION_LABELS = {
    ImpactDimension.FINANCIAL: (
        _labels("Financial impact", "財務影響", "财务影响"),
        _labels(
            "Effect on revenue, profit and cash flow.",
            "危機對公司收入、利潤及現金流的影響程度",
            "危机对公司收入、利润及现金流的影响程度",
        ),
    ),
    ImpactDimension.BRAND: (
        _labels("Brand reputation", "品牌聲譽", "品牌声誉"),
        _labels(
            "Harm to the brand image, and the cost and time to restore trust.",
            "危機對品牌形象的潛在負面影響,以及恢復品牌信譽所需的成本和時間",
            "危机对品牌形象的潜在负面影响,以及恢复品牌信誉所需的成本和时间",
        ),
    ),
    ImpactDimension.MARKET_POSITION: (
        _labels("Market position", "市場地位", "市场地位"),
        _labels(
            "Short- and long-term effect on market share and position.",
            "危機對市場份額和市場地位的長短期影響",
            "危机对市场份额和市场地位的长短期影响",
        ),
    ),
    ImpactDimension.SUPPLY_CHAIN: (
        _labels("Supply-chain risk", "供應鏈風險", "供应链风险"),
        _labels(
            "Whether key suppliers and logistics channels are hit; knock-on effects.",
            "危機是否影響關鍵供應商和物流渠道,以及可能的連鎖反應",
            "危机是否影响关键供应商和物流渠道,以及可能的连锁反应",
        ),
    ),
    ImpactDimension.CUSTOMER_RELATIONSHIP: (
        _labels("Customer relationships", "客戶關係", "客户关系"),
        _labels(
            "Effect on customer trust and loyalty, and the remedies needed.",
            "危機對客戶信任度和忠誠度的影響,以及可能需要採取的補救措施",
            "危机对客户信任度和忠诚度的影响,以及可能需要采取的补救措施",
        ),
    ),
}
