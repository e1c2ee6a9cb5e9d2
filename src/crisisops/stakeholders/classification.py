"""Who really counts: stakeholder salience and the power–interest grid.

Book §4 asks to identify the stakeholders whose attitude and behaviour steer
the crisis (識別關鍵問題與利益相關者) and to talk to each kind in its own way
(對于不同類型的利益相關者,要采用不同的溝通方式). Two established models say who
comes first and how:

**Salience** (Mitchell, Agle & Wood 1997). A stakeholder may hold three
attributes: *power* (it can make the company do what it otherwise would not),
*legitimacy* (its claim is seen as proper) and *urgency* (its claim is
time-sensitive and critical). Here an attribute is held when its score is
``>=`` its threshold (default 0.5 each, `SalienceThresholds`). The attributes
held give one of seven classes, and salience rises with their number:

| attributes | class | group (salience) |
|---|---|---|
| none | non-stakeholder 非利益相關者 | none |
| power | dormant 休眠型 | latent 潛在型 (low) |
| legitimacy | discretionary 自主型 | latent (low) |
| urgency | demanding 苛求型 | latent (low) |
| power + legitimacy | dominant 支配型 | expectant 預期型 (moderate) |
| power + urgency | dangerous 危險型 | expectant (moderate) |
| legitimacy + urgency | dependent 依賴型 | expectant (moderate) |
| all three | definitive 確定型 | definitive 確定型 (high) |

**Power–interest grid** (Mendelow 1991). *Power* is the ability to influence
the company's strategy or resources, *interest* how likely the stakeholder is
to act on its expectations. A score ``>=`` its threshold (default 0.5,
`PowerInterestThresholds`) counts as high:

| power / interest | Mendelow cell | quadrant | strategy |
|---|---|---|---|
| low / low | A | monitor 監測 | minimal effort |
| low / high | B | keep informed 隨時告知 | keep informed |
| high / low | C | keep satisfied 保持滿意 | keep satisfied |
| high / high | D | manage closely 重點管理 | key players: manage closely |

Positions move during a crisis — a dependent stakeholder who gains a powerful
ally becomes definitive — so each classification is a snapshot at a moment
(`SalienceSnapshot`, `PowerInterestSnapshot`, both together in a
`ClassificationSnapshot`), computed with numpy over all stakeholders at once,
and two snapshots compare (`SalienceSnapshot.moves_since`).

`who_hears_first()` orders stakeholders for the first message: by salience
group, then influence (PageRank), then audience size.

Examples
--------
>>> import datetime as dt
>>> from crisisops.stakeholders.classification import ClassificationSnapshot, Quadrant
>>> from crisisops.stakeholders.classification import classify
>>> from crisisops.stakeholders.graph import Stakeholder
>>> people = [
...     Stakeholder(
...         key="regulator",
...         name="Regulator",
...         kind="regulators",
...         power=0.9,
...         legitimacy=0.9,
...         urgency=0.7,
...         interest=0.8,
...     ),
...     Stakeholder(
...         key="kol",
...         name="KOL",
...         kind="influencers",
...         power=0.6,
...         legitimacy=0.2,
...         urgency=0.9,
...         interest=0.9,
...     ),
...     Stakeholder(
...         key="buyers",
...         name="Buyers",
...         kind="customers",
...         power=0.3,
...         legitimacy=0.8,
...         urgency=0.8,
...         interest=0.9,
...     ),
... ]
>>> at = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
>>> snapshot: ClassificationSnapshot = classify(people, at=at)
>>> snapshot.keys, snapshot.at == at
(('regulator', 'kol', 'buyers'), True)
>>> [c.value for c in snapshot.salience.classes]
['definitive', 'dangerous', 'dependent']
>>> snapshot.salience.attribute_counts().tolist()
[3, 2, 2]
>>> [q.value for q in snapshot.power_interest.quadrants]
['manage_closely', 'manage_closely', 'keep_informed']
>>> snapshot.power_interest.quadrant_of("buyers") is Quadrant.KEEP_INFORMED
True
>>> snapshot.salience.class_of("kol").labels.zh_hant
'危險型'

Each half on its own, here with a stricter power threshold (the KOL's 0.6
no longer counts) and the grid's tally per quadrant:

>>> from crisisops.stakeholders.classification import SalienceThresholds
>>> from crisisops.stakeholders.classification import classify_power_interest
>>> from crisisops.stakeholders.classification import classify_salience
>>> strict = classify_salience(people, at=at, thresholds=SalienceThresholds(power=0.7))
>>> [(key, c.value) for key, c in zip(strict.keys, strict.classes)]
[('regulator', 'definitive'), ('kol', 'demanding'), ('buyers', 'dependent')]
>>> grid = classify_power_interest(people, at=at)
>>> {q.value: n for q, n in grid.counts().items()}
{'monitor': 0, 'keep_informed': 1, 'keep_satisfied': 0, 'manage_closely': 2}

Overnight the buyers gain power (0.3 → 0.7): they become definitive and move
to manage closely (`ClassificationMoves`):

>>> import attrs
>>> later = [attrs.evolve(p, power=0.7) if p.key == "buyers" else p for p in people]
>>> moves = classify(later, at=at + dt.timedelta(days=1)).moves_since(snapshot)
>>> [(m.key, m.before.value, m.after.value) for m in moves.salience]
[('buyers', 'dependent', 'definitive')]
>>> [(m.key, m.before.value, m.after.value) for m in moves.quadrants]
[('buyers', 'keep_informed', 'manage_closely')]
>>> moves.keys, moves.salience[0].rank_change
(('buyers',), 1)

References
----------
Mitchell, Ronald K., Bradley R. Agle, and Donna J. Wood. 1997. "Toward a
Theory of Stakeholder Identification and Salience: Defining the Principle of
Who and What Really Counts." *Academy of Management Review* 22 (4): 853–86.
https://doi.org/10.2307/259247.
Mendelow, Aubrey L. 1991. "Stakeholder Mapping." In *Proceedings of the 2nd
International Conference on Information Systems*, Cambridge, MA. (The 2nd
ICIS met in 1981; the paper is usually cited as 1991.)
Johnson, Gerry, Kevan Scholes, and Richard Whittington. 2008. *Exploring
Corporate Strategy*, 8th ed. Harlow: Pearson (the quadrant strategies).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._time import instant
from crisisops._validation import (
    check_aware,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_tuple_of,
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
from crisisops.stakeholders.graph import (
    Stakeholder,
    StakeholderGraph,
    StakeholderKindCatalog,
    pagerank,
)

__all__ = [
    "ClassificationMoves",
    "ClassificationSnapshot",
    "PowerInterestSnapshot",
    "PowerInterestThresholds",
    "Quadrant",
    "QuadrantMove",
    "SalienceClass",
    "SalienceGroup",
    "SalienceMove",
    "SalienceSnapshot",
    "SalienceThresholds",
    "classify",
    "classify_power_interest",
    "classify_salience",
    "quadrant",
    "salience_class",
    "who_hears_first",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.uint8]


_labels = Labels.of


# --- salience (Mitchell, Agle & Wood 1997) -------------------------------------

_POWER, _LEGITIMACY, _URGENCY = 1, 2, 4


class SalienceGroup(enum.Enum):
    """The salience groups of Mitchell, Agle & Wood (1997), by attribute count.

    Examples
    --------
    >>> SalienceGroup.EXPECTANT.rank, SalienceGroup.EXPECTANT.salience.en
    (2, 'moderate')
    """

    NONE = "none"
    LATENT = "latent"
    EXPECTANT = "expectant"
    DEFINITIVE = "definitive"

    @property
    def rank(self) -> int:
        """Number of attributes held: 0 none, 1 latent, 2 expectant, 3 definitive."""
        return _GROUP_ORDER.index(self)

    @property
    def labels(self) -> Labels:
        """Name of the group in English, 繁體 and 简体."""
        return _GROUP_LABELS[self]

    @property
    def salience(self) -> Labels:
        """The salience the group carries: none, low, moderate or high."""
        return _GROUP_SALIENCE[self]


_GROUP_ORDER = (
    SalienceGroup.NONE,
    SalienceGroup.LATENT,
    SalienceGroup.EXPECTANT,
    SalienceGroup.DEFINITIVE,
)
_GROUP_LABELS = {
    SalienceGroup.NONE: _labels("Non-stakeholders", "非利益相關者", "非利益相关者"),
    SalienceGroup.LATENT: _labels(
        "Latent stakeholders", "潛在型利益相關者", "潜在型利益相关者"
    ),
    SalienceGroup.EXPECTANT: _labels(
        "Expectant stakeholders", "預期型利益相關者", "预期型利益相关者"
    ),
    SalienceGroup.DEFINITIVE: _labels(
        "Definitive stakeholders", "確定型利益相關者", "确定型利益相关者"
    ),
}
_GROUP_SALIENCE = {
    SalienceGroup.NONE: _labels("none", "無", "无"),
    SalienceGroup.LATENT: _labels("low", "低", "低"),
    SalienceGroup.EXPECTANT: _labels("moderate", "中", "中"),
    SalienceGroup.DEFINITIVE: _labels("high", "高", "高"),
}


class SalienceClass(enum.Enum):
    """The seven stakeholder classes of Mitchell, Agle & Wood (1997), plus none.

    Each class is the set of attributes held (power, legitimacy, urgency);
    `code` packs them as bits (power 1, legitimacy 2, urgency 4).

    Examples
    --------
    >>> SalienceClass.from_attributes(power=True, legitimacy=False, urgency=True)
    <SalienceClass.DANGEROUS: 'dangerous'>
    >>> SalienceClass.DEPENDENT.attributes
    ('legitimacy', 'urgency')
    >>> SalienceClass.DEPENDENT.group
    <SalienceGroup.EXPECTANT: 'expectant'>
    """

    NON_STAKEHOLDER = "non_stakeholder"
    DORMANT = "dormant"
    DISCRETIONARY = "discretionary"
    DEMANDING = "demanding"
    DOMINANT = "dominant"
    DANGEROUS = "dangerous"
    DEPENDENT = "dependent"
    DEFINITIVE = "definitive"

    @classmethod
    def from_attributes(
        cls, *, power: bool, legitimacy: bool, urgency: bool
    ) -> SalienceClass:
        """Return the class of a stakeholder holding the given attributes."""
        for name, value in (
            ("power", power),
            ("legitimacy", legitimacy),
            ("urgency", urgency),
        ):
            if not isinstance(value, (bool, np.bool_)):
                raise InvalidTypeError(name, value, "a bool")
        code = _POWER * bool(power) + _LEGITIMACY * bool(legitimacy)
        return _CLASS_BY_CODE[code + _URGENCY * bool(urgency)]

    @property
    def code(self) -> int:
        """Bits of the attributes held: power 1, legitimacy 2, urgency 4."""
        return _CODE_BY_CLASS[self]

    @property
    def attributes(self) -> tuple[str, ...]:
        """Names of the attributes held, in the order power, legitimacy, urgency."""
        code = self.code
        return tuple(
            name
            for name, bit in (
                ("power", _POWER),
                ("legitimacy", _LEGITIMACY),
                ("urgency", _URGENCY),
            )
            if code & bit
        )

    @property
    def attribute_count(self) -> int:
        """How many of the three attributes the class holds (0–3)."""
        return len(self.attributes)

    @property
    def group(self) -> SalienceGroup:
        """Latent (1 attribute), expectant (2), definitive (3) or none (0)."""
        return _GROUP_ORDER[self.attribute_count]

    @property
    def labels(self) -> Labels:
        """Name of the class in English, 繁體 and 简体."""
        return _CLASS_LABELS[self]


_CLASS_BY_CODE: tuple[SalienceClass, ...] = (
    SalienceClass.NON_STAKEHOLDER,  # 0: none
    SalienceClass.DORMANT,  # 1: P
    SalienceClass.DISCRETIONARY,  # 2: L
    SalienceClass.DOMINANT,  # 3: P + L
    SalienceClass.DEMANDING,  # 4: U
    SalienceClass.DANGEROUS,  # 5: P + U
    SalienceClass.DEPENDENT,  # 6: L + U
    SalienceClass.DEFINITIVE,  # 7: P + L + U
)
_CODE_BY_CLASS = {cls: code for code, cls in enumerate(_CLASS_BY_CODE)}
_COUNT_BY_CODE = np.array([0, 1, 1, 2, 1, 2, 2, 3], dtype=np.int64)
_CLASS_LABELS = {
    SalienceClass.NON_STAKEHOLDER: _labels(
        "Non-stakeholder", "非利益相關者", "非利益相关者"
    ),
    SalienceClass.DORMANT: _labels("Dormant", "休眠型", "休眠型"),
    SalienceClass.DISCRETIONARY: _labels("Discretionary", "自主型", "自主型"),
    SalienceClass.DEMANDING: _labels("Demanding", "苛求型", "苛求型"),
    SalienceClass.DOMINANT: _labels("Dominant", "支配型", "支配型"),
    SalienceClass.DANGEROUS: _labels("Dangerous", "危險型", "危险型"),
    SalienceClass.DEPENDENT: _labels("Dependent", "依賴型", "依赖型"),
    SalienceClass.DEFINITIVE: _labels("Definitive", "確定型", "确定型"),
}


def _check_threshold(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_finite(low=0.0, high=1.0)(_instance, attribute, value)
    if float(value) <= 0.0:  # type: ignore[arg-type]  # checked just above
        raise ValidationError(
            name,
            value,
            "a threshold in (0, 1] (at 0 every stakeholder would hold the attribute)",
        )


def _to_float(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if isinstance(value, (int, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    ):
        return float(value)
    return value


@attrs.frozen(kw_only=True)
class SalienceThresholds:
    """Scores at or above which a salience attribute is held (``>=``).

    Attributes
    ----------
    power, legitimacy, urgency
        Thresholds in (0, 1]; default 0.5 each. A score equal to the
        threshold holds the attribute.

    Examples
    --------
    With a stricter power threshold of 0.7, the KOL (power 0.6) loses power
    and is merely demanding:

    >>> import datetime as dt
    >>> at = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
    >>> def kol(thresholds):
    ...     snapshot = SalienceSnapshot(
    ...         at=at,
    ...         keys=["kol"],
    ...         power=[0.6],
    ...         legitimacy=[0.2],
    ...         urgency=[0.9],
    ...         thresholds=thresholds,
    ...     )
    ...     return snapshot.class_of("kol").value
    >>> kol(SalienceThresholds()), kol(SalienceThresholds(power=0.7))
    ('dangerous', 'demanding')
    """

    power: float = attrs.field(
        default=0.5, converter=_to_float, validator=_check_threshold
    )
    legitimacy: float = attrs.field(
        default=0.5, converter=_to_float, validator=_check_threshold
    )
    urgency: float = attrs.field(
        default=0.5, converter=_to_float, validator=_check_threshold
    )


@attrs.frozen(kw_only=True)
class PowerInterestThresholds:
    """Scores at or above which power or interest counts as high (``>=``).

    Attributes
    ----------
    power, interest
        Thresholds in (0, 1]; default 0.5 each. A score equal to the
        threshold is high.

    Examples
    --------
    A power of exactly 0.5 is high by default, low with a threshold of 0.6:

    >>> import datetime as dt
    >>> at = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
    >>> def press(thresholds):
    ...     grid = PowerInterestSnapshot(
    ...         at=at,
    ...         keys=["press"],
    ...         power=[0.5],
    ...         interest=[0.9],
    ...         thresholds=thresholds,
    ...     )
    ...     return grid.quadrant_of("press").value
    >>> press(PowerInterestThresholds()), press(PowerInterestThresholds(power=0.6))
    ('manage_closely', 'keep_informed')
    """

    power: float = attrs.field(
        default=0.5, converter=_to_float, validator=_check_threshold
    )
    interest: float = attrs.field(
        default=0.5, converter=_to_float, validator=_check_threshold
    )


def salience_class(
    power: float,
    legitimacy: float,
    urgency: float,
    *,
    thresholds: SalienceThresholds | None = None,
) -> SalienceClass:
    """Return the salience class of one set of scores (each in [0, 1]).

    Examples
    --------
    >>> salience_class(0.5, 0.49, 0.9).value  # 0.5 >= 0.5 holds power
    'dangerous'
    """
    limits = _salience_thresholds(thresholds)
    scores = [
        float(_check_score(value, name))
        for name, value in (
            ("power", power),
            ("legitimacy", legitimacy),
            ("urgency", urgency),
        )
    ]
    code = _salience_codes(
        np.array([scores[0]]), np.array([scores[1]]), np.array([scores[2]]), limits
    )
    return _CLASS_BY_CODE[int(code[0])]


def _check_score(value: object, field: str) -> float:
    checked = _to_float(value)
    is_finite(low=0.0, high=1.0)(None, _Named(field), checked)
    return float(checked)


class _Named:
    """Stand-in attribute so plain arguments are named in errors."""

    __slots__ = ("alias", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.alias = name


def _salience_codes(
    power: FloatArray,
    legitimacy: FloatArray,
    urgency: FloatArray,
    thresholds: SalienceThresholds,
) -> CodeArray:
    """Return the attribute bits of every stakeholder at once (``>=``)."""
    code = (
        (power >= thresholds.power) * _POWER
        + (legitimacy >= thresholds.legitimacy) * _LEGITIMACY
        + (urgency >= thresholds.urgency) * _URGENCY
    )
    result: CodeArray = code.astype(np.uint8)
    return result


# --- power–interest (Mendelow 1991) -------------------------------------------

_HIGH_POWER, _HIGH_INTEREST = 1, 2


class Quadrant(enum.Enum):
    """The four quadrants of Mendelow's power–interest grid.

    Examples
    --------
    >>> Quadrant.KEEP_SATISFIED.cell, Quadrant.KEEP_SATISFIED.high_power
    ('C', True)
    >>> Quadrant.MANAGE_CLOSELY.labels.zh_hant
    '重點管理'
    """

    MONITOR = "monitor"
    KEEP_INFORMED = "keep_informed"
    KEEP_SATISFIED = "keep_satisfied"
    MANAGE_CLOSELY = "manage_closely"

    @classmethod
    def from_levels(cls, *, high_power: bool, high_interest: bool) -> Quadrant:
        """Return the quadrant for high/low power and interest."""
        for name, value in (
            ("high_power", high_power),
            ("high_interest", high_interest),
        ):
            if not isinstance(value, (bool, np.bool_)):
                raise InvalidTypeError(name, value, "a bool")
        return _QUADRANT_BY_CODE[
            _HIGH_POWER * bool(high_power) + _HIGH_INTEREST * bool(high_interest)
        ]

    @property
    def code(self) -> int:
        """Bits: high power 1, high interest 2."""
        return _QUADRANT_BY_CODE.index(self)

    @property
    def high_power(self) -> bool:
        """Whether the quadrant is on the high-power side."""
        return bool(self.code & _HIGH_POWER)

    @property
    def high_interest(self) -> bool:
        """Whether the quadrant is on the high-interest side."""
        return bool(self.code & _HIGH_INTEREST)

    @property
    def cell(self) -> str:
        """Mendelow's letter: A low/low, B low/high, C high/low, D high/high."""
        return "ABCD"[_CELL_ORDER.index(self)]

    @property
    def labels(self) -> Labels:
        """Name of the quadrant in English, 繁體 and 简体."""
        return _QUADRANT_LABELS[self]

    @property
    def strategy(self) -> Labels:
        """How to treat stakeholders in this quadrant, in three languages."""
        return _QUADRANT_STRATEGY[self]


# Index = code (high power 1 + high interest 2).
_QUADRANT_BY_CODE: tuple[Quadrant, ...] = (
    Quadrant.MONITOR,
    Quadrant.KEEP_SATISFIED,
    Quadrant.KEEP_INFORMED,
    Quadrant.MANAGE_CLOSELY,
)
_CELL_ORDER = (
    Quadrant.MONITOR,
    Quadrant.KEEP_INFORMED,
    Quadrant.KEEP_SATISFIED,
    Quadrant.MANAGE_CLOSELY,
)
_QUADRANT_LABELS = {
    Quadrant.MONITOR: _labels("Monitor", "監測", "监测"),
    Quadrant.KEEP_INFORMED: _labels("Keep informed", "隨時告知", "随时告知"),
    Quadrant.KEEP_SATISFIED: _labels("Keep satisfied", "保持滿意", "保持满意"),
    Quadrant.MANAGE_CLOSELY: _labels("Manage closely", "重點管理", "重点管理"),
}
_QUADRANT_STRATEGY = {
    Quadrant.MONITOR: _labels(
        "Minimal effort: watch for changes and use general announcements; "
        "do not overload them with detail.",
        "最少投入：留意其變化，以一般公告溝通，不必提供過多細節。",
        "最少投入：留意其变化，以一般公告沟通，不必提供过多细节。",
    ),
    Quadrant.KEEP_INFORMED: _labels(
        "Keep informed: send regular, open updates and listen to their "
        "concerns; they can become allies or raise the alarm.",
        "隨時告知：定期、透明地通報進展並傾聽關切；他們可能成為盟友，也可能擴大事態。",
        "随时告知：定期、透明地通报进展并倾听关切；他们可能成为盟友，也可能扩大事态。",
    ),
    Quadrant.KEEP_SATISFIED: _labels(
        "Keep satisfied: meet their needs and consult them on what affects "
        "them, without burdening them with detail, so they do not turn into "
        "key players against you.",
        "保持滿意：滿足其需求，在涉及其利益時征詢意見，但不以細節打擾，以免其轉為反對方的關鍵參與者。",
        "保持满意：满足其需求，在涉及其利益时征询意见，但不以细节打扰，以免其转为反对方的关键参与者。",
    ),
    Quadrant.MANAGE_CLOSELY: _labels(
        "Key players: engage them fully, consult early and often, and manage "
        "the relationship closely.",
        "關鍵參與者：全面參與，及早並經常征詢意見，重點管理關係。",
        "关键参与者：全面参与，及早并经常征询意见，重点管理关系。",
    ),
}


def quadrant(
    power: float,
    interest: float,
    *,
    thresholds: PowerInterestThresholds | None = None,
) -> Quadrant:
    """Return the power–interest quadrant of one pair of scores (in [0, 1]).

    Examples
    --------
    >>> quadrant(0.5, 0.2).value  # power 0.5 >= 0.5 is high
    'keep_satisfied'
    """
    limits = _grid_thresholds(thresholds)
    p = _check_score(power, "power")
    i = _check_score(interest, "interest")
    code = _quadrant_codes(np.array([p]), np.array([i]), limits)
    return _QUADRANT_BY_CODE[int(code[0])]


def _quadrant_codes(
    power: FloatArray, interest: FloatArray, thresholds: PowerInterestThresholds
) -> CodeArray:
    code = (power >= thresholds.power) * _HIGH_POWER + (
        interest >= thresholds.interest
    ) * _HIGH_INTEREST
    result: CodeArray = code.astype(np.uint8)
    return result


# --- snapshots ---------------------------------------------------------------


def _to_score_array(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Copy a sequence of real-number scores into a read-only float64 array.

    Only integers and floats are converted: text (``"0.5"``, which numpy
    would parse), booleans and mixed objects pass through unchanged for the
    validator to refuse, naming the field.
    """
    if isinstance(value, (str, bytes)):
        return value
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if raw.dtype.kind not in "iuf" and raw.size:  # an empty list is float64
        return value
    if isinstance(value, (list, tuple)) and any(
        isinstance(item, (bool, np.bool_)) for item in value
    ):
        return value  # [True, 0.5] would become [1.0, 0.5]
    array = np.array(raw, dtype=np.float64, copy=True)
    array.setflags(write=False)
    return array


def _check_score_array(instance: Any, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, np.ndarray) or value.dtype != np.float64:
        raise InvalidTypeError(name, value, "a sequence of scores in [0, 1]")
    n = len(instance.keys)
    if value.shape != (n,):
        raise ValidationError(name, value.shape, f"one score per key, shape ({n},)")
    bad = ~((value >= 0.0) & (value <= 1.0))  # NaN fails both comparisons
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            f"{name}[{first}]", float(value[first]), "a finite number in [0, 1]"
        )


def _check_keys(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_key())(_instance, attribute, value)
    assert isinstance(value, tuple)  # noqa: S101  narrowing for mypy
    if len(set(value)) != len(value):
        seen: set[str] = set()
        for key in value:
            if key in seen:
                raise DuplicateKeyError(f"stakeholder (in {name})", key)
            seen.add(key)


def _read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


_ARRAY_EQ = attrs.cmp_using(eq=np.array_equal)


def _key_lookup(keys: tuple[str, ...], key: object) -> int:
    if not isinstance(key, str):
        raise InvalidTypeError("key", key, "a stakeholder key (str)")
    try:
        return keys.index(key)
    except ValueError:
        raise UnknownKeyError("stakeholder", key, keys) from None


def _check_earlier(later: Any, given: object, cls: type) -> None:  # noqa: ANN401
    if not isinstance(given, cls):
        raise InvalidTypeError("earlier", given, f"a {cls.__name__}")
    earlier: Any = given
    # Compare instants: two datetimes of one zone compare by wall clock, which
    # misorders the repeated hour when the clocks go back.
    if instant(earlier.at) > instant(later.at):
        raise ValidationError(
            "earlier",
            earlier.at.isoformat(),
            f"a snapshot taken at or before this one ({later.at.isoformat()})",
        )
    if earlier.thresholds != later.thresholds:
        raise ValidationError(
            "earlier.thresholds",
            earlier.thresholds,
            f"the thresholds of this snapshot ({later.thresholds}); a move "
            "across thresholds would mix a change of scores with a change of "
            "definition",
        )


@attrs.frozen(kw_only=True)
class SalienceMove:
    """A stakeholder whose salience class differs between two snapshots.

    Attributes
    ----------
    key
        The stakeholder.
    before
        Its class in the earlier snapshot, or ``None`` if it was not there.
    after
        Its class in the later snapshot, or ``None`` if it is gone.

    Raises
    ------
    ValidationError
        If ``before`` and ``after`` are the same (nothing moved).

    Examples
    --------
    The buyers find a powerful ally (power 0.3 → 0.7): dependent becomes
    definitive, one attribute more:

    >>> import datetime as dt
    >>> day1 = dt.datetime(2026, 11, 11, tzinfo=dt.timezone.utc)
    >>> day2 = day1 + dt.timedelta(days=1)
    >>> def snapshot(at, buyers_power):
    ...     return SalienceSnapshot(
    ...         at=at,
    ...         keys=["buyers", "kol"],
    ...         power=[buyers_power, 0.6],
    ...         legitimacy=[0.8, 0.2],
    ...         urgency=[0.8, 0.9],
    ...     )
    >>> (move,) = snapshot(day2, 0.7).moves_since(snapshot(day1, 0.3))
    >>> move == SalienceMove(
    ...     key="buyers", before=SalienceClass.DEPENDENT, after=SalienceClass.DEFINITIVE
    ... )
    True
    >>> move.rank_change
    1
    """

    key: str = attrs.field(validator=is_key())
    before: SalienceClass | None = attrs.field(
        validator=is_optional(is_enum(SalienceClass))
    )
    after: SalienceClass | None = attrs.field(
        validator=is_optional(is_enum(SalienceClass))
    )

    def __attrs_post_init__(self) -> None:
        """Check that something moved."""
        _check_move(self)

    @property
    def rank_change(self) -> int:
        """Change in attribute count (0 for an absent side): > 0 gained salience."""
        before = 0 if self.before is None else self.before.attribute_count
        after = 0 if self.after is None else self.after.attribute_count
        return after - before


@attrs.frozen(kw_only=True)
class QuadrantMove:
    """A stakeholder whose power–interest quadrant differs between snapshots.

    Attributes
    ----------
    key
        The stakeholder.
    before
        Its quadrant in the earlier snapshot, or ``None`` if it was not there.
    after
        Its quadrant in the later snapshot, or ``None`` if it is gone.

    Raises
    ------
    ValidationError
        If ``before`` and ``after`` are the same (nothing moved).

    Examples
    --------
    The press loses interest (0.8 → 0.3): from manage closely to keep
    satisfied. A move that changes nothing is refused:

    >>> import datetime as dt
    >>> day1 = dt.datetime(2026, 11, 11, tzinfo=dt.timezone.utc)
    >>> day2 = day1 + dt.timedelta(days=1)
    >>> def grid(at, interest):
    ...     return PowerInterestSnapshot(
    ...         at=at, keys=["press"], power=[0.7], interest=[interest]
    ...     )
    >>> (move,) = grid(day2, 0.3).moves_since(grid(day1, 0.8))
    >>> move.key, move.before.value, move.after.value
    ('press', 'manage_closely', 'keep_satisfied')
    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     QuadrantMove(key="press", before=Quadrant.MONITOR, after=Quadrant.MONITOR)
    ... except ValidationError as error:
    ...     error.field
    'after'
    """

    key: str = attrs.field(validator=is_key())
    before: Quadrant | None = attrs.field(validator=is_optional(is_enum(Quadrant)))
    after: Quadrant | None = attrs.field(validator=is_optional(is_enum(Quadrant)))

    def __attrs_post_init__(self) -> None:
        """Check that something moved."""
        _check_move(self)


def _check_move(move: SalienceMove | QuadrantMove) -> None:
    """Check that a move changes something: ``before`` and ``after`` differ."""
    if move.before == move.after:
        raise ValidationError(
            "after",
            move.after,
            f"a value other than before ({move.before}): a move is a change",
        )


def _moves(
    earlier_keys: tuple[str, ...],
    earlier_codes: CodeArray,
    later_keys: tuple[str, ...],
    later_codes: CodeArray,
) -> list[tuple[str, int | None, int | None]]:
    """Pair keys of two snapshots; return (key, before, after) codes that differ.

    Keys of the later snapshot come first, in its order, then keys that left,
    in the earlier snapshot's order.
    """
    before = dict(zip(earlier_keys, earlier_codes.tolist(), strict=True))
    after = dict(zip(later_keys, later_codes.tolist(), strict=True))
    changed: list[tuple[str, int | None, int | None]] = [
        (key, before.get(key), code)
        for key, code in after.items()
        if before.get(key) != code
    ]
    changed.extend(
        (key, code, None) for key, code in before.items() if key not in after
    )
    return changed


@attrs.frozen(kw_only=True)
class SalienceSnapshot:
    """Every stakeholder's salience at one moment (Mitchell, Agle & Wood 1997).

    The classes are derived from the scores and thresholds when the snapshot
    is built (vectorised), so they can never disagree with them.

    Attributes
    ----------
    at
        When the scores were assessed (timezone-aware).
    keys
        The stakeholder keys, unique, in order; may be empty.
    power, legitimacy, urgency
        One score in [0, 1] per key (read-only float64 arrays).
    thresholds
        The `SalienceThresholds` used (default 0.5 each).

    Raises
    ------
    ValidationError, InvalidTypeError, DuplicateKeyError, NaiveDatetimeError
        For a naive ``at``, repeated keys, a score out of range or NaN (named
        with its index, e.g. ``power[2]``), or arrays of the wrong length.

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
    >>> snapshot = SalienceSnapshot(
    ...     at=at,
    ...     keys=["regulator", "kol", "buyers", "fans"],
    ...     power=[0.9, 0.6, 0.3, 0.1],
    ...     legitimacy=[0.9, 0.2, 0.8, 0.1],
    ...     urgency=[0.7, 0.9, 0.8, 0.1],
    ... )
    >>> [c.value for c in snapshot.classes]
    ['definitive', 'dangerous', 'dependent', 'non_stakeholder']
    >>> snapshot.codes().tolist()  # bits: power 1, legitimacy 2, urgency 4
    [7, 5, 6, 0]
    >>> snapshot.keys_in(SalienceGroup.EXPECTANT)
    ('kol', 'buyers')
    >>> snapshot.counts()[SalienceClass.DEFINITIVE]
    1
    """

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    keys: tuple[str, ...] = attrs.field(converter=to_tuple, validator=_check_keys)
    power: FloatArray = attrs.field(
        converter=_to_score_array,
        validator=_check_score_array,
        eq=_ARRAY_EQ,
        hash=False,
    )
    legitimacy: FloatArray = attrs.field(
        converter=_to_score_array,
        validator=_check_score_array,
        eq=_ARRAY_EQ,
        hash=False,
    )
    urgency: FloatArray = attrs.field(
        converter=_to_score_array,
        validator=_check_score_array,
        eq=_ARRAY_EQ,
        hash=False,
    )
    thresholds: SalienceThresholds = attrs.field(
        factory=SalienceThresholds,
        validator=is_instance(SalienceThresholds, "a SalienceThresholds"),
    )
    _codes: CodeArray = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Classify every stakeholder at once."""
        codes = _salience_codes(
            self.power, self.legitimacy, self.urgency, self.thresholds
        )
        object.__setattr__(self, "_codes", _read_only(codes))

    def codes(self) -> CodeArray:
        """Return the attribute bits per stakeholder (P 1, L 2, U 4), read-only."""
        view: CodeArray = self._codes.view()
        view.setflags(write=False)
        return view

    @property
    def classes(self) -> tuple[SalienceClass, ...]:
        """The salience class of each stakeholder, in key order."""
        return tuple(_CLASS_BY_CODE[c] for c in self._codes.tolist())

    @property
    def groups(self) -> tuple[SalienceGroup, ...]:
        """The salience group of each stakeholder, in key order."""
        return tuple(c.group for c in self.classes)

    def attribute_counts(self) -> IntArray:
        """Return how many attributes each stakeholder holds (0–3), in key order."""
        return _read_only(_COUNT_BY_CODE[self._codes])

    def class_of(self, key: str) -> SalienceClass:
        """Return the class of stakeholder ``key`` (`UnknownKeyError` if absent)."""
        return _CLASS_BY_CODE[int(self._codes[_key_lookup(self.keys, key)])]

    def keys_in(self, salience: SalienceClass | SalienceGroup) -> tuple[str, ...]:
        """Return the keys in a class or a group, in key order."""
        if isinstance(salience, SalienceClass):
            mask = self._codes == salience.code
        elif isinstance(salience, SalienceGroup):
            mask = _COUNT_BY_CODE[self._codes] == salience.rank
        else:
            raise InvalidTypeError(
                "salience", salience, "a SalienceClass or a SalienceGroup"
            )
        return tuple(self.keys[i] for i in np.flatnonzero(mask))

    def counts(self) -> FrozenDict[SalienceClass, int]:
        """Return how many stakeholders are in each class (all eight listed)."""
        tally = np.bincount(self._codes, minlength=8)
        return FrozenDict((cls, int(tally[cls.code])) for cls in SalienceClass)

    def moves_since(self, earlier: SalienceSnapshot) -> tuple[SalienceMove, ...]:
        """Return the stakeholders whose class changed since ``earlier``.

        Stakeholders present in only one snapshot appear with ``None`` on the
        other side. Order: this snapshot's keys, then those that left.

        Raises
        ------
        ValidationError
            If ``earlier`` was taken after this snapshot or used other
            thresholds.
        """
        _check_earlier(self, earlier, SalienceSnapshot)
        return tuple(
            SalienceMove(
                key=key,
                before=None if b is None else _CLASS_BY_CODE[b],
                after=None if a is None else _CLASS_BY_CODE[a],
            )
            for key, b, a in _moves(
                earlier.keys, earlier._codes, self.keys, self._codes
            )
        )


@attrs.frozen(kw_only=True)
class PowerInterestSnapshot:
    """Every stakeholder's place on Mendelow's power–interest grid at a moment.

    Attributes
    ----------
    at
        When the scores were assessed (timezone-aware).
    keys
        The stakeholder keys, unique, in order; may be empty.
    power, interest
        One score in [0, 1] per key (read-only float64 arrays).
    thresholds
        The `PowerInterestThresholds` used (default 0.5 each).

    Raises
    ------
    ValidationError, InvalidTypeError, DuplicateKeyError, NaiveDatetimeError
        As for `SalienceSnapshot`.

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
    >>> grid = PowerInterestSnapshot(
    ...     at=at,
    ...     keys=["regulator", "press", "fans", "buyers"],
    ...     power=[0.9, 0.7, 0.1, 0.3],
    ...     interest=[0.8, 0.3, 0.2, 0.9],
    ... )
    >>> [q.cell for q in grid.quadrants]  # Mendelow's cells
    ['D', 'C', 'A', 'B']
    >>> grid.keys_in(Quadrant.MANAGE_CLOSELY), grid.quadrant_of("buyers").value
    (('regulator',), 'keep_informed')
    >>> grid.codes().tolist()  # bits: high power 1, high interest 2
    [3, 1, 0, 2]
    """

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    keys: tuple[str, ...] = attrs.field(converter=to_tuple, validator=_check_keys)
    power: FloatArray = attrs.field(
        converter=_to_score_array,
        validator=_check_score_array,
        eq=_ARRAY_EQ,
        hash=False,
    )
    interest: FloatArray = attrs.field(
        converter=_to_score_array,
        validator=_check_score_array,
        eq=_ARRAY_EQ,
        hash=False,
    )
    thresholds: PowerInterestThresholds = attrs.field(
        factory=PowerInterestThresholds,
        validator=is_instance(PowerInterestThresholds, "a PowerInterestThresholds"),
    )
    _codes: CodeArray = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Place every stakeholder at once."""
        codes = _quadrant_codes(self.power, self.interest, self.thresholds)
        object.__setattr__(self, "_codes", _read_only(codes))

    def codes(self) -> CodeArray:
        """Return the quadrant bits per stakeholder (high power 1, high interest 2)."""
        view: CodeArray = self._codes.view()
        view.setflags(write=False)
        return view

    @property
    def quadrants(self) -> tuple[Quadrant, ...]:
        """The quadrant of each stakeholder, in key order."""
        return tuple(_QUADRANT_BY_CODE[c] for c in self._codes.tolist())

    def quadrant_of(self, key: str) -> Quadrant:
        """Return the quadrant of stakeholder ``key`` (`UnknownKeyError` if absent)."""
        return _QUADRANT_BY_CODE[int(self._codes[_key_lookup(self.keys, key)])]

    def keys_in(self, where: Quadrant) -> tuple[str, ...]:
        """Return the keys in quadrant ``where``, in key order."""
        if not isinstance(where, Quadrant):
            raise InvalidTypeError("where", where, "a Quadrant")
        return tuple(self.keys[i] for i in np.flatnonzero(self._codes == where.code))

    def counts(self) -> FrozenDict[Quadrant, int]:
        """Return how many stakeholders are in each quadrant (all four listed)."""
        tally = np.bincount(self._codes, minlength=4)
        return FrozenDict((q, int(tally[q.code])) for q in Quadrant)

    def moves_since(self, earlier: PowerInterestSnapshot) -> tuple[QuadrantMove, ...]:
        """Return the stakeholders whose quadrant changed since ``earlier``.

        Same rules as `SalienceSnapshot.moves_since`.
        """
        _check_earlier(self, earlier, PowerInterestSnapshot)
        return tuple(
            QuadrantMove(
                key=key,
                before=None if b is None else _QUADRANT_BY_CODE[b],
                after=None if a is None else _QUADRANT_BY_CODE[a],
            )
            for key, b, a in _moves(
                earlier.keys, earlier._codes, self.keys, self._codes
            )
        )


@attrs.frozen(kw_only=True)
class ClassificationMoves:
    """Who moved between two `ClassificationSnapshot` values.

    Attributes
    ----------
    salience
        Changes of salience class (`SalienceMove`).
    quadrants
        Changes of power–interest quadrant (`QuadrantMove`).

    Examples
    --------
    The module example finds the buyers' moves with
    `ClassificationSnapshot.moves_since`. ``keys`` lists each mover once:

    >>> moves = ClassificationMoves(
    ...     salience=[
    ...         SalienceMove(key="buyers", before=None, after=SalienceClass.DEFINITIVE)
    ...     ],
    ...     quadrants=[
    ...         QuadrantMove(key="press", before=Quadrant.MONITOR, after=None),
    ...         QuadrantMove(key="buyers", before=None, after=Quadrant.MANAGE_CLOSELY),
    ...     ],
    ... )
    >>> moves.keys
    ('buyers', 'press')
    """

    salience: tuple[SalienceMove, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(SalienceMove, "a SalienceMove")),
    )
    quadrants: tuple[QuadrantMove, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(QuadrantMove, "a QuadrantMove")),
    )

    @property
    def keys(self) -> tuple[str, ...]:
        """Keys that moved in either model, each once, salience moves first."""
        moved: list[str] = [m.key for m in self.salience]
        moved.extend(m.key for m in self.quadrants)
        return tuple(dict.fromkeys(moved))


@attrs.frozen(kw_only=True)
class ClassificationSnapshot:
    """Salience and power–interest of every stakeholder at one moment.

    Attributes
    ----------
    salience
        The `SalienceSnapshot`.
    power_interest
        The `PowerInterestSnapshot`, taken at the same moment for the same
        keys and the same power scores.

    Raises
    ------
    ValidationError
        If the two parts disagree on the moment, the keys or the power scores.

    Examples
    --------
    `classify()` builds it from stakeholders (see the module example). Both
    parts must describe the same stakeholders with the same power:

    >>> import datetime as dt
    >>> at = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
    >>> salience = SalienceSnapshot(
    ...     at=at, keys=["kol"], power=[0.6], legitimacy=[0.2], urgency=[0.9]
    ... )
    >>> grid = PowerInterestSnapshot(at=at, keys=["kol"], power=[0.6], interest=[0.9])
    >>> both = ClassificationSnapshot(salience=salience, power_interest=grid)
    >>> both.keys, both.salience.class_of("kol").value
    (('kol',), 'dangerous')
    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     ClassificationSnapshot(
    ...         salience=salience,
    ...         power_interest=attrs.evolve(grid, power=[0.3]),
    ...     )
    ... except ValidationError as error:
    ...     error.field
    'power_interest.power'
    """

    salience: SalienceSnapshot = attrs.field(
        validator=is_instance(SalienceSnapshot, "a SalienceSnapshot")
    )
    power_interest: PowerInterestSnapshot = attrs.field(
        validator=is_instance(PowerInterestSnapshot, "a PowerInterestSnapshot")
    )

    def __attrs_post_init__(self) -> None:
        """Check that both parts describe the same stakeholders at one moment."""
        grid, sal = self.power_interest, self.salience
        if instant(grid.at) != instant(sal.at):  # instants
            raise ValidationError(
                "power_interest.at", grid.at, f"the salience moment {sal.at}"
            )
        if grid.keys != sal.keys:
            raise ValidationError(
                "power_interest.keys", grid.keys, f"the salience keys {sal.keys}"
            )
        if not np.array_equal(grid.power, sal.power):
            raise ValidationError(
                "power_interest.power",
                grid.power.tolist(),
                "the same power scores as the salience snapshot",
            )

    @property
    def at(self) -> dt.datetime:
        """When the scores were assessed."""
        return self.salience.at

    @property
    def keys(self) -> tuple[str, ...]:
        """The stakeholder keys, in order."""
        return self.salience.keys

    def moves_since(self, earlier: ClassificationSnapshot) -> ClassificationMoves:
        """Return who changed salience class or quadrant since ``earlier``."""
        if not isinstance(earlier, ClassificationSnapshot):
            raise InvalidTypeError("earlier", earlier, "a ClassificationSnapshot")
        return ClassificationMoves(
            salience=self.salience.moves_since(earlier.salience),
            quadrants=self.power_interest.moves_since(earlier.power_interest),
        )


# --- computing snapshots ---------------------------------------------------------


def _people(stakeholders: object) -> tuple[Stakeholder, ...]:
    if isinstance(stakeholders, StakeholderGraph):
        return stakeholders.stakeholders
    if isinstance(stakeholders, (str, bytes)) or not isinstance(stakeholders, Iterable):
        raise InvalidTypeError(
            "stakeholders",
            stakeholders,
            "a StakeholderGraph or an iterable of Stakeholder",
        )
    people = tuple(stakeholders)
    for position, person in enumerate(people):
        if not isinstance(person, Stakeholder):
            raise InvalidTypeError(f"stakeholders[{position}]", person, "a Stakeholder")
    return people


def _column(people: tuple[Stakeholder, ...], name: str) -> FloatArray:
    return np.fromiter(
        (getattr(p, name) for p in people), dtype=np.float64, count=len(people)
    )


def _salience_thresholds(value: object) -> SalienceThresholds:
    if value is None:
        return SalienceThresholds()
    if not isinstance(value, SalienceThresholds):
        raise InvalidTypeError("thresholds", value, "a SalienceThresholds or None")
    return value


def _grid_thresholds(
    value: object, field: str = "thresholds"
) -> PowerInterestThresholds:
    if value is None:
        return PowerInterestThresholds()
    if not isinstance(value, PowerInterestThresholds):
        raise InvalidTypeError(field, value, "a PowerInterestThresholds or None")
    return value


def classify_salience(
    stakeholders: StakeholderGraph | Iterable[Stakeholder],
    *,
    at: dt.datetime,
    thresholds: SalienceThresholds | None = None,
) -> SalienceSnapshot:
    """Return the salience of every stakeholder at ``at``.

    Parameters
    ----------
    stakeholders
        A `StakeholderGraph` or stakeholders (keys unique).
    at
        When the scores were assessed (timezone-aware).
    thresholds
        The `SalienceThresholds`; default 0.5 each.

    Raises
    ------
    InvalidTypeError, NaiveDatetimeError, DuplicateKeyError
        For bad stakeholders, a naive ``at`` or repeated keys.

    Examples
    --------
    The module example classifies a regulator, a KOL and the buyers, with the
    default thresholds and with a stricter power threshold.
    """
    people = _people(stakeholders)
    check_aware(at, "at")
    limits = _salience_thresholds(thresholds)
    return SalienceSnapshot(
        at=at,
        keys=tuple(p.key for p in people),
        power=_column(people, "power"),
        legitimacy=_column(people, "legitimacy"),
        urgency=_column(people, "urgency"),
        thresholds=limits,
    )


def classify_power_interest(
    stakeholders: StakeholderGraph | Iterable[Stakeholder],
    *,
    at: dt.datetime,
    thresholds: PowerInterestThresholds | None = None,
) -> PowerInterestSnapshot:
    """Return every stakeholder's power–interest quadrant at ``at``.

    Parameters and errors as for `classify_salience`; ``thresholds`` is a
    `PowerInterestThresholds` (default 0.5 each).

    Examples
    --------
    The module example places a regulator, a KOL and the buyers on the grid
    and counts each quadrant.
    """
    people = _people(stakeholders)
    check_aware(at, "at")
    limits = _grid_thresholds(thresholds)
    return PowerInterestSnapshot(
        at=at,
        keys=tuple(p.key for p in people),
        power=_column(people, "power"),
        interest=_column(people, "interest"),
        thresholds=limits,
    )


def classify(
    stakeholders: StakeholderGraph | Iterable[Stakeholder],
    *,
    at: dt.datetime,
    salience_thresholds: SalienceThresholds | None = None,
    grid_thresholds: PowerInterestThresholds | None = None,
) -> ClassificationSnapshot:
    """Return salience and power–interest of every stakeholder at ``at``.

    See `classify_salience` and `classify_power_interest`.
    """
    people = _people(stakeholders)
    check_aware(at, "at")
    sal_limits = _salience_thresholds(salience_thresholds)
    grid_limits = _grid_thresholds(grid_thresholds, "grid_thresholds")
    return ClassificationSnapshot(
        salience=classify_salience(people, at=at, thresholds=sal_limits),
        power_interest=classify_power_interest(people, at=at, thresholds=grid_limits),
    )


# --- who hears first ----------------------------------------------------------


def who_hears_first(
    graph: StakeholderGraph,
    *,
    thresholds: SalienceThresholds | None = None,
    kinds: StakeholderKindCatalog | None = None,
) -> tuple[str, ...]:
    """Return the stakeholder keys in the order they should hear from us.

    The order, most urgent first:

    1. with ``kinds`` given, internal stakeholders (員工) before external ones —
       book §5 starts with internal communication (內部溝通策略) so staff do
       not learn of the crisis from outside;
    2. salience group: definitive, then expectant, then latent, then
       non-stakeholders (Mitchell, Agle & Wood: salience rises with the
       number of attributes);
    3. influence: `pagerank()` with its defaults (spreaders first), rounded
       to 12 decimals so numerically equal ranks tie;
    4. audience size (``reach``), larger first;
    5. node order.

    Parameters
    ----------
    graph
        The stakeholder graph.
    thresholds
        The `SalienceThresholds`; default 0.5 each.
    kinds
        A `StakeholderKindCatalog` to put internal stakeholders first; every
        stakeholder's kind must be in it.

    Raises
    ------
    InvalidTypeError, UnknownKeyError
        For a bad graph, thresholds or catalog, or a kind not in ``kinds``.

    Examples
    --------
    >>> from crisisops.stakeholders.graph import (
    ...     Influence,
    ...     Stakeholder,
    ...     StakeholderGraph,
    ... )
    >>> def person(key, kind, scores, reach):
    ...     p, l, u = scores
    ...     return Stakeholder(
    ...         key=key,
    ...         name=key,
    ...         kind=kind,
    ...         power=p,
    ...         legitimacy=l,
    ...         urgency=u,
    ...         interest=0.5,
    ...         reach=reach,
    ...     )
    >>> graph = StakeholderGraph(
    ...     stakeholders=[
    ...         person("press", "media", (0.7, 0.6, 0.4), 50_000),
    ...         person("buyers", "customers", (0.6, 0.9, 0.9), 8_000),
    ...         person("kol", "influencers", (0.6, 0.4, 0.8), 200_000),
    ...         person("fans", "public", (0.2, 0.7, 0.8), 90_000),
    ...     ],
    ...     influences=[Influence(source="kol", target="fans", weight=0.6)],
    ... )
    >>> who_hears_first(graph)  # definitive, then expectant by influence
    ('buyers', 'kol', 'fans', 'press')
    """
    if not isinstance(graph, StakeholderGraph):
        raise InvalidTypeError("graph", graph, "a StakeholderGraph")
    limits = _salience_thresholds(thresholds)
    if kinds is not None and not isinstance(kinds, StakeholderKindCatalog):
        raise InvalidTypeError("kinds", kinds, "a StakeholderKindCatalog or None")
    n = len(graph)
    if n == 0:
        return ()
    codes = _salience_codes(
        graph.score_array("power"),
        graph.score_array("legitimacy"),
        graph.score_array("urgency"),
        limits,
    )
    counts = _COUNT_BY_CODE[codes]
    influence = np.round(pagerank(graph), 12)
    reach = graph.score_array("reach")
    internal = (
        graph.internal_mask(kinds) if kinds is not None else np.zeros(n, dtype=bool)
    )
    # np.lexsort sorts by the last key first; negate for "larger first".
    order = np.lexsort((np.arange(n), -reach, -influence, -counts, ~internal))
    keys = graph.keys
    return tuple(keys[i] for i in order)
