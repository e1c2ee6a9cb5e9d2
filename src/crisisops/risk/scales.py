"""Scales, impact dimensions and grading as data (book §3 構建風險評估體系).

The book asks a shop to build a risk-evaluation system (構建風險評估體系) with
standards, a process and methods, to quantify each risk's probability and
impact (對風險的概率、影響程度進行量化評估), and then to grade risks into
levels by severity and urgency so the high-risk, high-impact ones are handled
first (book §3 定期進行風險評估, 3. 風險量化與等級劃分). This module makes every
piece of that system a value you can inspect, change and store:

* `Scale` – an ordinal scale of any size ≥ 2, each `ScaleLevel` with
  trilingual labels and, for likelihood, a `FrequencyBand` of events per year
  (`default_likelihood_scale()`, `default_impact_scale()`: the usual 5 × 5).
* `ImpactDimension` – the five impact areas of book §4 (確定影響範圍):
  財務影響, 品牌聲譽, 市場地位, 供應鏈風險, 客戶關係; an `ImpactRating` rates a
  risk on some of them and an `ImpactRule` (worst dimension, or a weighted
  mean) combines them into one impact level.
* `RiskMatrix` – grades a (likelihood, impact) cell by product thresholds
  (score = L × I) or by an explicit lookup table; validated so that every
  cell is graded and grades never fall as likelihood or impact rises.
  `default_matrix()` grades the 5 × 5 into four `RiskGrade`s mapped to
  `ResponseLevel` IV … I. Vectorised helpers grade whole arrays of risks and
  count them per cell for a heat map.
* `RiskAppetite` – appetite and tolerance as a score or a grade: is a risk
  within appetite, within tolerance, or beyond tolerance?
* `FMEARating` – the FMEA risk priority number S × O × D, an alternative
  grading method.

Levels are plain ``int`` values 1 … n everywhere (1 = lowest); `Scale.level()`
turns one into its `ScaleLevel` with labels. Grades are numbered by
``rank`` 1 … g (1 = least severe); the *grade index* used by the array
methods is ``rank - 1``.

Examples
--------
>>> from crisisops.risk.scales import (
...     ImpactRating,
...     ImpactRule,
...     default_likelihood_scale,
...     default_matrix,
... )
>>> matrix = default_matrix()
>>> grade = matrix.grade(likelihood=4, impact=3)  # likely, moderate
>>> grade.key, grade.labels.zh_hant, str(grade.response_level)
('high', '高', 'Level II 重大 (orange)')
>>> matrix.score(4, 3)
12
>>> default_likelihood_scale().level_for_frequency(2.0).labels.en  # twice a year
'Likely'
>>> rating = ImpactRating(levels={"financial": 2, "brand": 4})
>>> ImpactRule.maximum().combine(rating)  # the worst dimension counts
4
>>> matrix.heatmap_counts([4, 4, 1], [3, 3, 5]).tolist()[3]  # row: likelihood 4
[0, 0, 2, 0, 0]

References
----------
ISO 31000:2018 *Risk management — Guidelines*, §6.3.4 (risk criteria),
§6.4.3 (risk analysis: likelihood and consequences) and §6.4.4 (risk
evaluation). Geneva: ISO.
IEC 31010:2019 *Risk management — Risk assessment techniques*, Annex B,
consequence/likelihood matrix. Geneva: IEC.
Cox, Louis Anthony (Tony). 2008. "What's Wrong with Risk Matrices?" *Risk
Analysis* 28 (2): 497–512. https://doi.org/10.1111/j.1539-6924.2008.01030.x.
(Weak consistency: a matrix's grades must not fall as risk rises.)
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_finite,
    check_str,
    field_name,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_tuple_of,
    to_frozendict,
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
from crisisops.taxonomy import ImpactDimension, ResponseLevel

__all__ = [
    "AppetiteBasis",
    "AppetiteZone",
    "FMEARating",
    "FrequencyBand",
    "ImpactCombination",
    "ImpactDimension",
    "ImpactRating",
    "ImpactRule",
    "LookupTable",
    "ProductThresholds",
    "RiskAppetite",
    "RiskGrade",
    "RiskMatrix",
    "Scale",
    "ScaleLevel",
    "default_impact_scale",
    "default_likelihood_scale",
    "default_matrix",
    "risk_priority_numbers",
    "round_half_up",
]

IntArray = npt.NDArray[np.int64]

#: Tolerance added before rounding half up, so that a value meant to be an
#: exact half (e.g. a weighted mean of 2.5 computed as 2.4999999999999996)
#: still rounds up.
_HALF_UP_TOLERANCE = 1e-9


_labels = Labels.of


def round_half_up(value: float) -> int:
    """Round a real-valued level to the nearest whole level, halves up.

    This is the one rounding rule of crisisops' risk scoring: a weighted mean
    impact of 2.5 becomes level 3, 2.49 becomes level 2. Python's ``round``
    rounds halves to even (``round(2.5) == 2``), which would make grading
    depend on parity, so it is not used. A tolerance of 1e-9 absorbs
    floating-point noise in a value that is meant to be an exact half.

    Parameters
    ----------
    value
        A finite real number (a level, score or mean of levels).

    Returns
    -------
    int
        ``floor(value + 0.5)``.

    Raises
    ------
    InvalidTypeError, ValidationError
        If ``value`` is not a finite real number.

    Examples
    --------
    >>> round_half_up(2.5), round_half_up(2.49), round_half_up(3.0)
    (3, 2, 3)
    """
    number = check_finite(_plain_number(value), "value")
    return math.floor(number + 0.5 + _HALF_UP_TOLERANCE)


def _plain_number(value: object) -> object:
    """Turn numpy scalars into Python numbers; pass anything else through."""
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        return value.item()
    return value


def _to_int(value: int) -> int:
    """Turn a numpy integer into a Python int; pass anything else to the validator."""
    result: int = _plain_number(value)  # type: ignore[assignment]  # checked later
    return result


def _check_int(value: object, field: str, *, low: int, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in [low, high]."""
    value = _plain_number(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, "an int")
    if value < low or (high is not None and value > high):
        upper = "" if high is None else f" and <= {high}"
        raise ValidationError(field, value, f"an int >= {low}{upper}")
    return value


def _is_int(*, low: int, high: int | None = None) -> Any:  # noqa: ANN401  attrs validator
    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        _check_int(value, field_name(attribute), low=low, high=high)

    return validate


def _cell_name(shape: tuple[int, ...], flat_index: int) -> str:
    """Return ``[i]`` or ``[i][j]`` for a flat index into an array of ``shape``."""
    if not shape:
        return ""
    return "".join(f"[{i}]" for i in np.unravel_index(flat_index, shape))


def _int_array(values: object, field: str, what: str) -> IntArray:
    """Return ``values`` as an int64 array, refusing bools, floats and text."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        raise InvalidTypeError(
            field, values, f"{what} (an int or array of ints)"
        ) from None
    if array.size == 0:
        return array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise InvalidTypeError(
            field,
            values,
            f"{what} (an int or array of ints; round real values first, "
            "e.g. with round_half_up)",
        )
    return array.astype(np.int64)


# --- scales --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FrequencyBand:
    """A half-open band of event frequencies, ``low <= events per year < high``.

    Likelihood levels carry one so that past incident counts (歷史案例) can be
    turned into a level (`Scale.level_for_frequency()`).

    Attributes
    ----------
    low
        Fewest events per year in the band (included), a finite number ≥ 0.
    high
        Events per year where the band ends (excluded); greater than ``low``;
        ``math.inf`` for the top band.

    Examples
    --------
    >>> import math
    >>> possible = FrequencyBand(low=0.5, high=1.0)  # once in one to two years
    >>> possible.contains(0.5), possible.contains(1.0)
    (True, False)
    >>> str(possible), str(FrequencyBand(low=4.0, high=math.inf))
    ('[0.5, 1) a year', '>= 4 a year')
    """

    low: float = attrs.field(converter=_plain_number)
    high: float = attrs.field(converter=_plain_number)

    def __attrs_post_init__(self) -> None:
        """Check ``0 <= low < high`` (``high`` may be infinite)."""
        check_finite(self.low, "low", low=0.0)
        if isinstance(self.high, bool) or not isinstance(self.high, (int, float)):
            raise InvalidTypeError("high", self.high, "a real number or math.inf")
        if math.isnan(self.high) or self.high <= self.low:
            raise ValidationError(
                "high", self.high, f"a number above low ({self.low:g}), or math.inf"
            )

    def contains(self, events_per_year: float) -> bool:
        """Return whether ``low <= events_per_year < high``."""
        rate = check_finite(_plain_number(events_per_year), "events_per_year", low=0.0)
        return self.low <= rate < self.high

    def __str__(self) -> str:
        """Show e.g. ``[0.1, 0.5) a year`` or ``>= 4 a year``."""
        if math.isinf(self.high):
            return f">= {self.low:g} a year"
        return f"[{self.low:g}, {self.high:g}) a year"


@attrs.frozen(kw_only=True)
class ScaleLevel:
    """One level of an ordinal scale, e.g. likelihood 4 "Likely" (很可能).

    Attributes
    ----------
    value
        The level's number, 1 for the lowest; a scale's levels are 1 … n in
        order.
    labels
        The level's name in English, 繁體 and 简体.
    description
        What the level means, for the people who rate risks; optional.
    band
        For likelihood levels, the frequency band (events per year) the level
        stands for; ``None`` on scales without bands (e.g. impact).
    """

    value: int = attrs.field(converter=_to_int, validator=_is_int(low=1))
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    description: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels"))
    )
    band: FrequencyBand | None = attrs.field(
        default=None,
        validator=is_optional(is_instance(FrequencyBand, "a FrequencyBand")),
    )


@attrs.frozen(kw_only=True)
class Scale:
    """An ordinal scale of any size ≥ 2: likelihood, impact or any other.

    Levels are numbered 1 … n in order, each with unique labels in every
    language. A scale either gives every level a `FrequencyBand` or none; bands
    must be contiguous and increasing and cover every frequency from 0 to
    infinity, so any observed rate has exactly one level.

    Attributes
    ----------
    key
        Stable key of the scale, e.g. ``"likelihood"``; error messages use it.
    labels
        The scale's name, e.g. 可能性 (likelihood) or 影響程度 (impact).
    levels
        The levels, lowest first.

    Examples
    --------
    A three-level scale of your own:

    >>> from crisisops.labels import Labels
    >>> from crisisops.risk.scales import Scale, ScaleLevel
    >>> def name(en, zh):
    ...     return Labels(en=en, zh_hant=zh, zh_hans=zh)
    >>> urgency = Scale(
    ...     key="urgency",
    ...     labels=name("Urgency", "緊急程度"),
    ...     levels=[
    ...         ScaleLevel(value=1, labels=name("Can wait", "可延後")),
    ...         ScaleLevel(value=2, labels=name("This week", "本週")),
    ...         ScaleLevel(value=3, labels=name("Now", "立即")),
    ...     ],
    ... )
    >>> len(urgency), urgency.level(3).labels.en
    (3, 'Now')
    >>> urgency.level(4)
    Traceback (most recent call last):
    ...
    crisisops.errors.UnknownKeyError: unknown urgency level (1..3) for value 4
    """

    key: str = attrs.field(validator=is_key())
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    levels: tuple[ScaleLevel, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(ScaleLevel, "a ScaleLevel"), min_length=2),
    )

    def __attrs_post_init__(self) -> None:
        """Check numbering, unique labels and contiguous bands."""
        for index, level in enumerate(self.levels):
            if level.value != index + 1:
                raise ValidationError(
                    f"levels[{index}].value",
                    level.value,
                    f"{index + 1} (levels are numbered 1..n, lowest first)",
                )
        for language in ("en", "zh_hant", "zh_hans"):
            seen: set[str] = set()
            for level in self.levels:
                text = getattr(level.labels, language)
                folded = text.casefold() if language == "en" else text
                if folded in seen:
                    raise DuplicateKeyError(
                        f"{self.key} level label ({language})", text
                    )
                seen.add(folded)
        self._check_bands()

    def _check_bands(self) -> None:
        bands = [level.band for level in self.levels]
        if all(band is None for band in bands):
            return
        for index, band in enumerate(bands):
            if band is None:
                raise ValidationError(
                    f"levels[{index}].band",
                    None,
                    "a FrequencyBand, as other levels of the scale have one",
                )
        first, last = bands[0], bands[-1]
        assert first is not None  # noqa: S101  narrowing for mypy
        assert last is not None  # noqa: S101  narrowing for mypy
        if first.low != 0:
            raise ValidationError(
                "levels[0].band.low", first.low, "0 (bands must cover every frequency)"
            )
        for index in range(1, len(bands)):
            before, band = bands[index - 1], bands[index]
            assert before is not None  # noqa: S101  narrowing for mypy
            assert band is not None  # noqa: S101  narrowing for mypy
            if band.low != before.high:
                raise ValidationError(
                    f"levels[{index}].band.low",
                    band.low,
                    f"{before.high:g}, the high end of levels[{index - 1}].band "
                    "(bands must be contiguous and increasing)",
                )
        if not math.isinf(last.high):
            raise ValidationError(
                f"levels[{len(bands) - 1}].band.high",
                last.high,
                "math.inf (the top band must have no upper end)",
            )

    def __len__(self) -> int:
        """Return the number of levels."""
        return len(self.levels)

    @property
    def size(self) -> int:
        """The number of levels, n."""
        return len(self.levels)

    @property
    def values(self) -> tuple[int, ...]:
        """The level values, ``(1, 2, …, n)``."""
        return tuple(range(1, len(self.levels) + 1))

    @property
    def has_bands(self) -> bool:
        """Whether the levels carry frequency bands (a likelihood scale)."""
        return self.levels[0].band is not None

    def check_value(self, value: object, field: str = "level") -> int:
        """Return ``value`` as an ``int`` if it is a level of this scale.

        Raises
        ------
        InvalidTypeError
            If ``value`` is not an int (bools and floats are refused).
        UnknownKeyError
            If ``value`` is not one of 1 … n.
        """
        number = _plain_number(value)
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidTypeError(
                field, value, f"an int {self.key} level 1..{self.size}"
            )
        if not 1 <= number <= self.size:
            raise UnknownKeyError(self._kind(field), number, map(str, self.values))
        return number

    def _kind(self, field: str) -> str:
        return f"{self.key} level (1..{self.size}) for {field}"

    def level(self, value: int) -> ScaleLevel:
        """Return the level numbered ``value`` (1 … n).

        Raises
        ------
        InvalidTypeError, UnknownKeyError
            As `check_value()`.
        """
        return self.levels[self.check_value(value, "value") - 1]

    def check_values(self, values: npt.ArrayLike, field: str = "levels") -> IntArray:
        """Return ``values`` as an int64 array if every entry is a level 1 … n.

        Vectorised: one comparison over the whole array; only a failure looks
        for the first culprit to name it.

        Raises
        ------
        InvalidTypeError
            If the array is not of an integer dtype.
        UnknownKeyError
            Naming the first entry that is not a level, e.g. ``levels[3]``.
        """
        array = _int_array(values, field, f"{self.key} levels")
        bad = (array < 1) | (array > self.size)
        if bad.any():
            flat = int(np.flatnonzero(bad.reshape(-1))[0])
            culprit = int(array.reshape(-1)[flat])
            raise UnknownKeyError(
                self._kind(f"{field}{_cell_name(array.shape, flat)}"),
                culprit,
                map(str, self.values),
            )
        return array

    def by_label(self, text: str) -> ScaleLevel:
        """Return the level whose label is ``text`` in any language.

        English matching ignores case.

        Raises
        ------
        UnknownKeyError
            If no level has that label; suggestions come from all labels.
        """
        wanted = check_str(text, "text").strip()
        for level in self.levels:
            labels = level.labels
            if wanted.casefold() == labels.en.casefold() or wanted in (
                labels.zh_hant,
                labels.zh_hans,
            ):
                return level
        known = [
            label
            for level in self.levels
            for label in (level.labels.en, level.labels.zh_hant, level.labels.zh_hans)
        ]
        raise UnknownKeyError(f"{self.key} level label", text, known)

    def _upper_edges(self) -> npt.NDArray[np.float64]:
        if not self.has_bands:
            raise ValidationError(
                "scale",
                self.key,
                "a scale whose levels have frequency bands (a likelihood scale)",
            )
        return np.array(
            [level.band.high for level in self.levels[:-1] if level.band is not None]
        )

    def level_for_frequency(self, events_per_year: float) -> ScaleLevel:
        """Return the level whose frequency band holds ``events_per_year``.

        Bands are half-open, ``[low, high)``: a rate exactly on an edge
        belongs to the band above it.

        Raises
        ------
        ValidationError
            If the scale has no bands, or the rate is negative or not finite.
        """
        edges = self._upper_edges()
        rate = check_finite(_plain_number(events_per_year), "events_per_year", low=0.0)
        return self.levels[int(np.searchsorted(edges, rate, side="right"))]

    def levels_for_frequencies(self, events_per_year: npt.ArrayLike) -> IntArray:
        """Vectorised `level_for_frequency()`: the level value of every rate.

        Raises
        ------
        ValidationError
            If the scale has no bands, or a rate is negative or not finite
            (naming the first such entry).
        """
        edges = self._upper_edges()
        rates = _rate_array(events_per_year, "events_per_year")
        return np.searchsorted(edges, rates, side="right").astype(np.int64) + 1


def _rate_array(values: npt.ArrayLike, field: str) -> npt.NDArray[np.float64]:
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        raise InvalidTypeError(field, values, "real numbers") from None
    if array.size and array.dtype.kind not in "iuf":
        raise InvalidTypeError(field, values, "real numbers (events per year)")
    rates = array.astype(np.float64)
    bad = ~np.isfinite(rates) | (rates < 0)
    if bad.any():
        flat = int(np.flatnonzero(bad.reshape(-1))[0])
        raise ValidationError(
            f"{field}{_cell_name(rates.shape, flat)}",
            float(rates.reshape(-1)[flat]),
            "a finite number >= 0 (events per year)",
        )
    return rates


def default_likelihood_scale() -> Scale:
    """Return the default 5-level likelihood scale (可能性) with frequency bands.

    | Level | English        | 繁體     | 简体     | Events per year                 |
    |-------|----------------|----------|----------|---------------------------------|
    | 1     | Rare           | 罕見     | 罕见     | < 0.1 (less than once a decade) |
    | 2     | Unlikely       | 不太可能 | 不太可能 | [0.1, 0.5) (once in 2–10 years) |
    | 3     | Possible       | 可能     | 可能     | [0.5, 1) (once in 1–2 years)    |
    | 4     | Likely         | 很可能   | 很可能   | [1, 4) (yearly, not quarterly)  |
    | 5     | Almost certain | 幾乎確定 | 几乎确定 | >= 4 (every quarter or more)    |

    The bands are crisisops' documented choice for an e-commerce shop: the top
    edge, four a year, is the book's quarterly assessment cycle (每季度), so an
    "almost certain" risk is one expected in every assessment period. Bands
    are data: build your own `Scale` for other businesses.
    """
    rows = (
        (
            ("Rare", "罕見", "罕见"),
            (0.0, 0.1),
            ("Less than once a decade.", "十年不到一次。", "十年不到一次。"),
        ),
        (
            ("Unlikely", "不太可能", "不太可能"),
            (0.1, 0.5),
            ("Once in two to ten years.", "每二至十年一次。", "每二至十年一次。"),
        ),
        (
            ("Possible", "可能", "可能"),
            (0.5, 1.0),
            ("Once in one to two years.", "每一至兩年一次。", "每一至两年一次。"),
        ),
        (
            ("Likely", "很可能", "很可能"),
            (1.0, 4.0),
            (
                "At least once a year, less than every quarter.",
                "每年至少一次,但少於每季一次。",
                "每年至少一次,但少于每季一次。",
            ),
        ),
        (
            ("Almost certain", "幾乎確定", "几乎确定"),
            (4.0, math.inf),
            (
                "Every quarter or more often.",
                "每季一次或更頻繁。",
                "每季一次或更频繁。",
            ),
        ),
    )
    return Scale(
        key="likelihood",
        labels=_labels("Likelihood", "可能性", "可能性"),
        levels=tuple(
            ScaleLevel(
                value=value,
                labels=_labels(*names),
                description=_labels(*text),
                band=FrequencyBand(low=low, high=high),
            )
            for value, (names, (low, high), text) in enumerate(rows, start=1)
        ),
    )


def default_impact_scale() -> Scale:
    """Return the default 5-level impact scale (影響程度), no frequency bands.

    1 Insignificant 可忽略, 2 Minor 輕微, 3 Moderate 中等, 4 Major 嚴重,
    5 Catastrophic 災難性 — the consequence labels of the usual ISO 31000-style
    5 × 5 matrix. Rate each `ImpactDimension` on it and combine with an
    `ImpactRule`.

    Examples
    --------
    >>> scale = default_impact_scale()
    >>> scale.key, scale.size, scale.has_bands
    ('impact', 5, False)
    >>> [level.labels.zh_hant for level in scale.levels]
    ['可忽略', '輕微', '中等', '嚴重', '災難性']
    >>> scale.level(4).labels.en
    'Major'
    """
    rows = (
        (
            ("Insignificant", "可忽略", "可忽略"),
            (
                "Hardly noticed; absorbed in normal work.",
                "幾乎無感,日常工作即可消化。",
                "几乎无感,日常工作即可消化。",
            ),
        ),
        (
            ("Minor", "輕微", "轻微"),
            (
                "Noticed and fixed within days at small cost.",
                "有所察覺,數日內以少量成本解決。",
                "有所察觉,数日内以少量成本解决。",
            ),
        ),
        (
            ("Moderate", "中等", "中等"),
            (
                "Needs management attention and a plan.",
                "需要管理層關注並制定方案。",
                "需要管理层关注并制定方案。",
            ),
        ),
        (
            ("Major", "嚴重", "严重"),
            (
                "Serious loss of money, reputation or customers.",
                "造成資金、聲譽或客戶的嚴重損失。",
                "造成资金、声誉或客户的严重损失。",
            ),
        ),
        (
            ("Catastrophic", "災難性", "灾难性"),
            (
                "Threatens the survival of the business or its brand.",
                "威脅企業或品牌的生存。",
                "威胁企业或品牌的生存。",
            ),
        ),
    )
    return Scale(
        key="impact",
        labels=_labels("Impact", "影響程度", "影响程度"),
        levels=tuple(
            ScaleLevel(value=value, labels=_labels(*names), description=_labels(*text))
            for value, (names, text) in enumerate(rows, start=1)
        ),
    )


# --- impact dimensions ---------------------------------------------------------


def _to_dimension_map(value: Mapping[Any, Any]) -> FrozenDict[Any, Any]:
    """Accept dimension names (``"financial"``) as keys; copy into a FrozenDict."""
    if not isinstance(value, Mapping):
        return value
    by_value = {member.value: member for member in ImpactDimension}
    converted: dict[Any, Any] = {}
    for key, item in value.items():
        dimension = by_value.get(key, key) if isinstance(key, str) else key
        if dimension in converted:  # e.g. "brand" and ImpactDimension.BRAND
            raise DuplicateKeyError(
                "impact dimension", getattr(dimension, "value", key)
            )
        converted[dimension] = _plain_number(item)
    return to_frozendict(converted)


def _to_weight_map(value: Mapping[Any, Any]) -> FrozenDict[Any, Any]:
    """Like `_to_dimension_map`, with int weights turned into floats."""
    converted = _to_dimension_map(value)
    if not isinstance(converted, FrozenDict):
        return converted
    return FrozenDict(
        (key, float(item) if type(item) is int else item)
        for key, item in converted.items()
    )


def _check_dimension_keys(field: str, value: object) -> Mapping[Any, Any]:
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(field, value, "a mapping of ImpactDimension to a number")
    for key in value:
        if not isinstance(key, ImpactDimension):
            raise UnknownKeyError(
                f"impact dimension (in {field})",
                key,
                [member.value for member in ImpactDimension],
            )
    return value


def _check_levels_map(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    levels = _check_dimension_keys(name, value)
    if not levels:
        raise ValidationError(name, dict(levels), "at least one rated dimension")
    for key, level in levels.items():
        _check_int(level, f"{name}[{key.value!r}]", low=1)


@attrs.frozen(kw_only=True)
class ImpactRating:
    """A risk's impact level on one or more `ImpactDimension`s.

    Rate only the dimensions a risk touches; an `ImpactRule` combines them.

    Attributes
    ----------
    levels
        Impact level (1 … n of the impact scale) per dimension; at least one.
        Keys may be given as `ImpactDimension` members or their values, e.g.
        ``{"financial": 3, "brand": 4}``.
    """

    levels: FrozenDict[ImpactDimension, int] = attrs.field(
        converter=_to_dimension_map, validator=_check_levels_map
    )

    def level(self, dimension: ImpactDimension) -> int | None:
        """Return the level on ``dimension``, or ``None`` if it was not rated."""
        if not isinstance(dimension, ImpactDimension):
            raise InvalidTypeError("dimension", dimension, "an ImpactDimension")
        return self.levels.get(dimension)

    def check_scale(self, scale: Scale, field: str = "rating") -> ImpactRating:
        """Return the rating if every level is a level of ``scale``.

        Raises
        ------
        UnknownKeyError
            Naming the first dimension whose level is not on the scale.
        """
        if not isinstance(scale, Scale):
            raise InvalidTypeError("scale", scale, "a Scale")
        for dimension, level in self.levels.items():
            scale.check_value(level, f"{field}.levels[{dimension.value!r}]")
        return self


class ImpactCombination(enum.Enum):
    """How an `ImpactRule` combines per-dimension impact levels.

    Examples
    --------
    Money is hit a little (2), the brand badly (5):

    >>> rating = ImpactRating(levels={"financial": 2, "brand": 5})
    >>> ImpactRule(method=ImpactCombination.MAX).combine(rating)
    5
    >>> weighted = ImpactRule(
    ...     method=ImpactCombination.WEIGHTED, weights={"financial": 3, "brand": 1}
    ... )
    >>> weighted.value(rating), weighted.combine(rating)  # (3·2 + 1·5) / 4
    (2.75, 3)
    >>> [method.labels.zh_hant for method in ImpactCombination]
    ['取最嚴重維度', '加權平均']
    """

    MAX = "max"
    WEIGHTED = "weighted"

    @property
    def labels(self) -> Labels:
        """Name of the rule in English, 繁體 and 简体."""
        return _COMBINATION_LABELS[self]


_COMBINATION_LABELS = {
    ImpactCombination.MAX: _labels("Worst dimension", "取最嚴重維度", "取最严重维度"),
    ImpactCombination.WEIGHTED: _labels("Weighted mean", "加權平均", "加权平均"),
}


def _check_weights(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    weights = _check_dimension_keys(name, value)
    for key, weight in weights.items():
        check_finite(weight, f"{name}[{key.value!r}]", low=0.0)


@attrs.frozen(kw_only=True)
class ImpactRule:
    """The documented rule that turns an `ImpactRating` into one impact level.

    * ``MAX`` (default, `ImpactRule.maximum()`): the worst rated dimension —
      a crisis that ruins the brand is major even if it costs little money.
      This is the usual practice with multi-criteria consequence tables
      (ISO 31000:2018 §6.4.3; IEC 31010:2019 consequence/likelihood matrix).
    * ``WEIGHTED`` (`ImpactRule.weighted()`): the weighted mean of the rated
      dimensions, ``Σ wᵢ·levelᵢ / Σ wᵢ`` over the dimensions present in the
      rating (weights are renormalised over them), rounded half up
      (`round_half_up`: 2.5 → 3). Every rated dimension needs a weight, and at
      least one of them a positive one.

    The combined level always lies between the lowest and the highest rated
    level, so it is a level of the scale the dimensions were rated on.

    Attributes
    ----------
    method
        `ImpactCombination.MAX` or `ImpactCombination.WEIGHTED`.
    weights
        Weight ≥ 0 per dimension (``WEIGHTED`` only; empty for ``MAX``).

    Examples
    --------
    >>> from crisisops.risk.scales import ImpactRating, ImpactRule
    >>> rating = ImpactRating(levels={"financial": 2, "brand": 4, "supply_chain": 3})
    >>> ImpactRule.maximum().combine(rating)
    4
    >>> rule = ImpactRule.weighted({"financial": 2, "brand": 1, "supply_chain": 1})
    >>> rule.value(rating)  # (2·2 + 1·4 + 1·3) / 4
    2.75
    >>> rule.combine(rating)
    3
    """

    method: ImpactCombination = attrs.field(
        default=ImpactCombination.MAX, validator=is_enum(ImpactCombination)
    )
    weights: FrozenDict[ImpactDimension, float] = attrs.field(
        factory=FrozenDict, converter=_to_weight_map, validator=_check_weights
    )

    def __attrs_post_init__(self) -> None:
        """Check that weights come with ``WEIGHTED`` and only with it."""
        if self.method is ImpactCombination.MAX and self.weights:
            raise ValidationError(
                "weights", dict(self.weights), "empty for the MAX rule (no weights)"
            )
        if self.method is ImpactCombination.WEIGHTED and not any(
            weight > 0 for weight in self.weights.values()
        ):
            raise ValidationError(
                "weights",
                dict(self.weights),
                "at least one positive weight for the WEIGHTED rule",
            )

    @classmethod
    def maximum(cls) -> ImpactRule:
        """Return the rule "impact is the worst rated dimension"."""
        return cls(method=ImpactCombination.MAX)

    @classmethod
    def weighted(cls, weights: Mapping[Any, float]) -> ImpactRule:
        """Return the weighted-mean rule with ``weights`` per dimension."""
        return cls(method=ImpactCombination.WEIGHTED, weights=weights)

    def value(self, rating: ImpactRating) -> float:
        """Return the combined impact before rounding (max or weighted mean).

        Raises
        ------
        InvalidTypeError
            If ``rating`` is not an `ImpactRating`.
        ValidationError
            For ``WEIGHTED``, if a rated dimension has no weight or all rated
            dimensions weigh 0.
        """
        if not isinstance(rating, ImpactRating):
            raise InvalidTypeError("rating", rating, "an ImpactRating")
        dimensions = list(rating.levels)
        levels = np.array([rating.levels[d] for d in dimensions], dtype=np.float64)
        if self.method is ImpactCombination.MAX:
            return float(levels.max())
        missing = [d.value for d in dimensions if d not in self.weights]
        if missing:
            raise ValidationError(
                "rating",
                missing,
                "dimensions that the weighted rule has weights for "
                f"({[d.value for d in self.weights]})",
            )
        weights = np.array([self.weights[d] for d in dimensions], dtype=np.float64)
        total = weights.sum()
        if total <= 0:
            raise ValidationError(
                "rating",
                [d.value for d in dimensions],
                "at least one rated dimension with a positive weight",
            )
        mean = float(weights @ levels / total)
        return float(np.clip(mean, levels.min(), levels.max()))

    def combine(self, rating: ImpactRating) -> int:
        """Return the combined impact level: `value()` rounded half up."""
        return round_half_up(self.value(rating))


# --- grades and the matrix -----------------------------------------------------


@attrs.frozen(kw_only=True)
class RiskGrade:
    """A grade of risk (風險等級) and the response level it calls for.

    Attributes
    ----------
    key
        Stable key, e.g. ``"high"``.
    labels
        The grade's name in English, 繁體 and 简体.
    response_level
        The `ResponseLevel` (I most severe … IV) a risk of this grade is
        handled at.
    rank
        Position among the matrix's grades, 1 for the least severe; a
        matrix's grades are ranked 1 … g in order. The *grade index* used by
        `RiskMatrix.cells()` and the array methods is ``rank - 1``.

    Examples
    --------
    The grades of `default_matrix()`, least severe first:

    >>> [(g.rank, g.key, g.response_level.name) for g in default_matrix().grades]
    [(1, 'low', 'IV'), (2, 'medium', 'III'), (3, 'high', 'II'), (4, 'extreme', 'I')]
    >>> from crisisops.taxonomy import ResponseLevel
    >>> watch = RiskGrade(
    ...     key="watch",
    ...     labels=Labels.of("Watch", "關注", "关注"),
    ...     response_level=ResponseLevel.IV,
    ...     rank=1,
    ... )
    >>> watch.labels.zh_hant, watch.rank - 1  # label and grade index
    ('關注', 0)
    """

    key: str = attrs.field(validator=is_key(dotted=False))
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    response_level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    rank: int = attrs.field(converter=_to_int, validator=_is_int(low=1))


def _to_int_tuple(value: Iterable[int]) -> tuple[int, ...]:
    converted = to_tuple(value)
    if isinstance(converted, tuple):
        return tuple(_plain_number(item) for item in converted)  # type: ignore[misc]
    return converted


@attrs.frozen(kw_only=True)
class ProductThresholds:
    """Grade by the score L × I: the grade is how many thresholds the score reaches.

    With thresholds ``(5, 10, 20)`` a score of 1–4 is grade index 0, 5–9 is 1,
    10–19 is 2 and 20 or more is 3.

    Attributes
    ----------
    thresholds
        The lowest score of each grade above the first, strictly increasing
        ints ≥ 2; one fewer than the matrix has grades.

    Examples
    --------
    `default_matrix()` grades by the thresholds ``(5, 10, 20)``; along
    likelihood 2 the scores are 2, 4, 6, 8 and 10:

    >>> matrix = default_matrix()
    >>> matrix.grading == ProductThresholds(thresholds=(5, 10, 20))
    True
    >>> [matrix.grade(2, impact).key for impact in range(1, 6)]
    ['low', 'low', 'medium', 'medium', 'high']
    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     ProductThresholds(thresholds=(5, 5, 20))
    ... except ValidationError as error:
    ...     error.field, error.expected
    ('thresholds[1]', 'a score above thresholds[0] (5): thresholds increase strictly')
    """

    thresholds: tuple[int, ...] = attrs.field(
        converter=_to_int_tuple, validator=is_tuple_of(_is_int(low=2), min_length=1)
    )

    def __attrs_post_init__(self) -> None:
        """Check that the thresholds increase strictly."""
        for index in range(1, len(self.thresholds)):
            if self.thresholds[index] <= self.thresholds[index - 1]:
                raise ValidationError(
                    f"thresholds[{index}]",
                    self.thresholds[index],
                    f"a score above thresholds[{index - 1}] "
                    f"({self.thresholds[index - 1]}): thresholds increase strictly",
                )


def _to_cells(value: object) -> object:
    """Copy a nested list of grade indices into a read-only int64 array.

    Whole-number floats (a table read with NaN holes is float) become ints.
    Ungraded cells (``None``, NaN, negative numbers) and non-integers are left
    for the validator to name, so the array is kept as given in that case.
    """
    if isinstance(value, (str, bytes, Mapping)):
        return value
    try:
        array = np.array(value, dtype=object if _has_odd_cell(value) else None)
    except (TypeError, ValueError):
        return value
    numeric = array.dtype.kind in "iuf" or array.dtype == object
    if numeric and array.ndim == 2 and not _ungraded_mask(array).any():
        result = array.astype(np.int64)
        result.setflags(write=False)
        return result
    array.setflags(write=False)
    return array


def _has_odd_cell(value: object) -> bool:
    """Tell whether nested lists hold None or a bool (numpy would coerce them)."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_odd_cell(item) for item in value)
    return False


def _is_ungraded(item: object) -> bool:
    """Tell whether one cell holds no grade index (None, NaN, 1.5, text, < 0)."""
    number = _plain_number(item)
    if isinstance(number, bool):
        return True
    if isinstance(number, float):
        return not number.is_integer() or number < 0
    return not isinstance(number, int) or number < 0


def _ungraded_mask(array: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Mark the cells that hold no grade index; vectorised for numeric arrays."""
    if array.dtype.kind in "iu":
        return np.asarray(array < 0)
    if array.dtype.kind == "f":
        return np.asarray(
            ~np.isfinite(array) | (array < 0) | (array != np.round(array))
        )
    flat = array.reshape(-1)
    mask = np.fromiter(map(_is_ungraded, flat), dtype=bool, count=flat.size)
    return mask.reshape(array.shape)


def _check_cells(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, np.ndarray) or value.ndim != 2 or 0 in value.shape:
        raise InvalidTypeError(
            name,
            value,
            "a 2-D table of grade indices, one row per likelihood level",
        )
    bad = _ungraded_mask(value)
    if bad.any():
        row, column = (int(i) for i in np.argwhere(bad)[0])
        raise ValidationError(
            f"{name}[{row}][{column}]",
            value[row, column],
            f"a grade index >= 0 for the cell likelihood {row + 1}, impact "
            f"{column + 1}: every cell must be graded",
        )


@attrs.frozen(kw_only=True)
class LookupTable:
    """Grade by an explicit table: ``cells[l - 1][i - 1]`` is the grade index.

    Row ``l - 1`` is likelihood level ``l`` (row 0 is the *lowest*
    likelihood), column ``i - 1`` is impact level ``i``. Every cell must hold a
    grade index ``0 … g - 1`` (``None``, NaN or a negative number marks an
    ungraded cell and is refused).

    Attributes
    ----------
    cells
        Read-only int64 array of shape (likelihood levels, impact levels).

    Examples
    --------
    A 2 × 2 table: only the rare, small corner is grade index 0.

    >>> table = LookupTable(cells=[[0, 1], [1, 1]])
    >>> table.cells.tolist(), table.cells.flags.writeable
    ([[0, 1], [1, 1]], False)
    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     LookupTable(cells=[[0, None], [1, 1]])
    ... except ValidationError as error:
    ...     error.field, error.expected.split(": ")[1]
    ('cells[0][1]', 'every cell must be graded')
    """

    cells: npt.NDArray[np.int64] = attrs.field(
        converter=_to_cells,
        validator=_check_cells,
        eq=attrs.cmp_using(eq=np.array_equal),
        hash=False,
    )


def _check_grades(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_instance(RiskGrade, "a RiskGrade"), min_length=2)(
        _instance, attribute, value
    )
    assert isinstance(value, tuple)  # noqa: S101  narrowing for mypy
    seen: set[str] = set()
    for index, grade in enumerate(value):
        if grade.rank != index + 1:
            raise ValidationError(
                f"{name}[{index}].rank",
                grade.rank,
                f"{index + 1} (grades are ranked 1..g, least severe first)",
            )
        if grade.key in seen:
            raise DuplicateKeyError("risk grade", grade.key)
        seen.add(grade.key)
        if index and grade.response_level < value[index - 1].response_level:
            raise ValidationError(
                f"{name}[{index}].response_level",
                grade.response_level.name,
                f"a level at least as severe as {value[index - 1].response_level.name}"
                f" (the response level of {value[index - 1].key!r}): a more "
                "severe grade never calls for a milder response",
            )


@attrs.frozen(kw_only=True)
class RiskMatrix:
    """Likelihood × impact matrix that grades every cell (風險量化與等級劃分).

    A matrix is data: two scales, the grades (least severe first) and the
    grading — `ProductThresholds` on the score L × I, or an explicit
    `LookupTable`. It is validated on construction:

    * every cell is graded (a lookup table without gaps, thresholds that
      every score can be compared with);
    * grades never fall as likelihood or impact rises (Cox 2008's *weak
      consistency*); a violation raises `ValidationError` naming the cell.

    Build one with `RiskMatrix.by_product()` or `RiskMatrix.by_table()`, or
    start from `default_matrix()`.

    Attributes
    ----------
    likelihood
        The likelihood scale (rows).
    impact
        The impact scale (columns).
    grades
        The grades, ranked 1 … g, least severe first.
    grading
        `ProductThresholds` or `LookupTable`.

    Examples
    --------
    A 3 × 3 matrix from a table; row 0 is the lowest likelihood.

    >>> from crisisops.risk.scales import RiskMatrix, default_matrix
    >>> base = default_matrix()
    >>> low, medium, high = base.grades[:3]
    >>> from crisisops.labels import Labels
    >>> from crisisops.risk.scales import Scale, ScaleLevel
    >>> def three(key):
    ...     names = [("Low", "低"), ("Medium", "中"), ("High", "高")]
    ...     levels = [
    ...         ScaleLevel(value=n, labels=Labels(en=en, zh_hant=zh, zh_hans=zh))
    ...         for n, (en, zh) in enumerate(names, start=1)
    ...     ]
    ...     return Scale(
    ...         key=key, labels=Labels(en=key, zh_hant=key, zh_hans=key), levels=levels
    ...     )
    >>> small = RiskMatrix.by_table(
    ...     likelihood=three("likelihood"),
    ...     impact=three("impact"),
    ...     grades=[low, medium, high],
    ...     table=[
    ...         ["low", "low", "medium"],
    ...         ["low", "medium", "high"],
    ...         ["medium", "high", "high"],
    ...     ],
    ... )
    >>> small.grade(2, 3).key
    'high'
    >>> RiskMatrix.by_table(  # doctest: +ELLIPSIS
    ...     likelihood=three("likelihood"),
    ...     impact=three("impact"),
    ...     grades=[low, medium, high],
    ...     table=[[0, 0, 1], [0, 2, 1], [1, 2, 2]],
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'grading.cells[1][2]' must be a grade at ...
    """

    likelihood: Scale = attrs.field(validator=is_instance(Scale, "a Scale"))
    impact: Scale = attrs.field(validator=is_instance(Scale, "a Scale"))
    grades: tuple[RiskGrade, ...] = attrs.field(
        converter=to_tuple, validator=_check_grades
    )
    grading: ProductThresholds | LookupTable = attrs.field(
        validator=is_instance(
            (ProductThresholds, LookupTable), "a ProductThresholds or a LookupTable"
        )
    )
    _cells: IntArray = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Compute and check the grade of every cell."""
        n_likelihood, n_impact = self.likelihood.size, self.impact.size
        n_grades = len(self.grades)
        if isinstance(self.grading, ProductThresholds):
            thresholds = self.grading.thresholds
            if len(thresholds) != n_grades - 1:
                raise ValidationError(
                    "grading.thresholds",
                    thresholds,
                    f"{n_grades - 1} thresholds, one per grade above the first "
                    f"({n_grades} grades)",
                )
            top = n_likelihood * n_impact
            if thresholds[-1] > top:
                raise ValidationError(
                    f"grading.thresholds[{len(thresholds) - 1}]",
                    thresholds[-1],
                    f"a score the matrix can reach (at most {n_likelihood} × "
                    f"{n_impact} = {top})",
                )
            scores = np.outer(
                np.arange(1, n_likelihood + 1), np.arange(1, n_impact + 1)
            )
            cells = np.searchsorted(np.array(thresholds), scores, side="right")
        else:
            cells = self.grading.cells
            if cells.shape != (n_likelihood, n_impact):
                raise ValidationError(
                    "grading.cells",
                    cells.shape,
                    f"shape ({n_likelihood}, {n_impact}): one row per likelihood "
                    "level, one column per impact level",
                )
            cells = cells.astype(np.int64)
            too_high = cells >= n_grades
            if too_high.any():
                row, column = (int(i) for i in np.argwhere(too_high)[0])
                raise ValidationError(
                    f"grading.cells[{row}][{column}]",
                    int(cells[row, column]),
                    f"a grade index 0..{n_grades - 1} (there are {n_grades} grades)",
                )
        cells = np.ascontiguousarray(cells, dtype=np.int64)
        self._check_monotone(cells)
        cells.setflags(write=False)
        object.__setattr__(self, "_cells", cells)

    def _check_monotone(self, cells: IntArray) -> None:
        for axis, (what, other) in enumerate(
            (("likelihood", "below it"), ("impact", "to its left"))
        ):
            falls = np.diff(cells, axis=axis) < 0
            if falls.any():
                row, column = (int(i) for i in np.argwhere(falls)[0])
                before = (row, column)
                cell = (row + 1, column) if axis == 0 else (row, column + 1)
                raise ValidationError(
                    f"grading.cells[{cell[0]}][{cell[1]}]",
                    self.grades[int(cells[cell])].key,
                    f"a grade at least {self.grades[int(cells[before])].key!r} "
                    f"(the grade of the cell {other}, cells[{before[0]}]"
                    f"[{before[1]}]) for likelihood {cell[0] + 1}, impact "
                    f"{cell[1] + 1}: grades must not fall as {what} rises",
                )

    # --- construction --------------------------------------------------------

    @classmethod
    def by_product(
        cls,
        *,
        likelihood: Scale,
        impact: Scale,
        grades: Sequence[RiskGrade],
        thresholds: Sequence[int],
    ) -> RiskMatrix:
        """Return a matrix grading by the score L × I against ``thresholds``.

        ``thresholds[k]`` is the lowest score of ``grades[k + 1]``.
        """
        return cls(
            likelihood=likelihood,
            impact=impact,
            grades=grades,
            grading=ProductThresholds(thresholds=thresholds),
        )

    @classmethod
    def by_table(
        cls,
        *,
        likelihood: Scale,
        impact: Scale,
        grades: Sequence[RiskGrade],
        table: Sequence[Sequence[int | str | None]] | npt.ArrayLike,
    ) -> RiskMatrix:
        """Return a matrix grading by an explicit table.

        ``table[l - 1][i - 1]`` is the grade of likelihood ``l``, impact ``i``
        (row 0 is the lowest likelihood), given as a grade index or a grade
        key such as ``"high"``.

        Raises
        ------
        UnknownKeyError
            For a grade key that is not one of ``grades``, naming the cell.
        ValidationError
            As the constructor: ungraded cells, wrong shape, grades falling.
        """
        grade_list = to_tuple(grades)
        keys = {
            getattr(grade, "key", None): index for index, grade in enumerate(grade_list)
        }
        rows: object = table
        if isinstance(table, (list, tuple)):
            rows = [
                [
                    _grade_index_for(cell, keys, f"table[{r}][{c}]")
                    for c, cell in enumerate(row)
                ]
                if isinstance(row, (list, tuple))
                else row
                for r, row in enumerate(table)
            ]
        return cls(
            likelihood=likelihood,
            impact=impact,
            grades=grade_list,
            grading=LookupTable(cells=rows),
        )

    # --- queries -------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        """``(likelihood levels, impact levels)``."""
        return (self.likelihood.size, self.impact.size)

    def cells(self) -> IntArray:
        """Return the grade index of every cell, shape (likelihood, impact).

        ``cells()[l - 1, i - 1]`` is ``grade(l, i).rank - 1``. Row 0 is the
        lowest likelihood: flip it (``cells()[::-1]``) to draw a heat map with
        the highest likelihood at the top. The array is read-only.
        """
        return self._cells

    def unreachable_grades(self) -> tuple[RiskGrade, ...]:
        """Return the grades that no cell of the matrix receives, in grade order.

        Product thresholds can skip a grade: on a 5 × 5 matrix no cell
        scores 7 (L × I is never 7), so thresholds ``(7, 8, 20)`` leave the
        grade that starts at 7 empty. Such a matrix is valid (grades still
        never fall as risk rises), but a grade no risk can get usually means
        a threshold was mistyped; a UI or a review can ask this question.

        Examples
        --------
        >>> matrix = default_matrix()
        >>> matrix.unreachable_grades()
        ()
        >>> skipping = RiskMatrix.by_product(
        ...     likelihood=matrix.likelihood,
        ...     impact=matrix.impact,
        ...     grades=matrix.grades,
        ...     thresholds=(7, 8, 20),
        ... )
        >>> [grade.key for grade in skipping.unreachable_grades()]
        ['medium']
        """
        used = np.zeros(len(self.grades), dtype=bool)
        used[self._cells.reshape(-1)] = True
        return tuple(
            grade for grade, hit in zip(self.grades, used, strict=True) if not hit
        )

    def grade_by_key(self, key: str) -> RiskGrade:
        """Return the grade with ``key``, e.g. ``"high"``.

        Raises
        ------
        UnknownKeyError
            If no grade has that key (suggesting close ones).
        """
        check_str(key, "key")
        for grade in self.grades:
            if grade.key == key:
                return grade
        raise UnknownKeyError("risk grade", key, [grade.key for grade in self.grades])

    def score(self, likelihood: int, impact: int) -> int:
        """Return the score L × I (1 … n_L · n_I) of a cell.

        Raises
        ------
        InvalidTypeError, UnknownKeyError
            If either level is not an int level of its scale.
        """
        row = self.likelihood.check_value(likelihood, "likelihood")
        column = self.impact.check_value(impact, "impact")
        return row * column

    def grade(self, likelihood: int, impact: int) -> RiskGrade:
        """Return the grade of the cell (likelihood, impact).

        Raises
        ------
        InvalidTypeError, UnknownKeyError
            If either level is not an int level of its scale.
        """
        row = self.likelihood.check_value(likelihood, "likelihood")
        column = self.impact.check_value(impact, "impact")
        return self.grades[int(self._cells[row - 1, column - 1])]

    def _level_arrays(
        self, likelihoods: npt.ArrayLike, impacts: npt.ArrayLike
    ) -> tuple[IntArray, IntArray]:
        rows = self.likelihood.check_values(likelihoods, "likelihoods")
        columns = self.impact.check_values(impacts, "impacts")
        try:
            rows, columns = np.broadcast_arrays(rows, columns)
        except ValueError:
            raise ValidationError(
                "impacts",
                columns.shape,
                f"an array of the same shape as likelihoods {rows.shape}",
            ) from None
        return rows, columns

    def scores(self, likelihoods: npt.ArrayLike, impacts: npt.ArrayLike) -> IntArray:
        """Vectorised `score()`: L × I for arrays of levels (broadcast)."""
        rows, columns = self._level_arrays(likelihoods, impacts)
        return rows * columns

    def grade_indices(
        self, likelihoods: npt.ArrayLike, impacts: npt.ArrayLike
    ) -> IntArray:
        """Vectorised `grade()`: the grade index (rank − 1) of every risk.

        Parameters
        ----------
        likelihoods, impacts
            Integer arrays of levels, broadcast against each other.

        Raises
        ------
        InvalidTypeError
            If an array is not of an integer dtype.
        UnknownKeyError
            Naming the first entry that is not a level of its scale.
        ValidationError
            If the shapes do not broadcast.
        """
        rows, columns = self._level_arrays(likelihoods, impacts)
        return self._cells[rows - 1, columns - 1]

    def heatmap_counts(
        self, likelihoods: npt.ArrayLike, impacts: npt.ArrayLike
    ) -> IntArray:
        """Count the risks in each cell, shape (likelihood levels, impact levels).

        ``counts[l - 1, i - 1]`` is the number of risks rated likelihood ``l``
        and impact ``i`` — what a UI colours by `cells()`. One `numpy.bincount`
        over all risks.
        """
        rows, columns = self._level_arrays(likelihoods, impacts)
        n_likelihood, n_impact = self.shape
        flat = (rows.reshape(-1) - 1) * n_impact + (columns.reshape(-1) - 1)
        counts = np.bincount(flat, minlength=n_likelihood * n_impact)
        return counts.reshape(n_likelihood, n_impact).astype(np.int64)

    def grade_counts(
        self, likelihoods: npt.ArrayLike, impacts: npt.ArrayLike
    ) -> IntArray:
        """Count the risks of each grade, in grade order (index = rank − 1)."""
        indices = self.grade_indices(likelihoods, impacts).reshape(-1)
        return np.bincount(indices, minlength=len(self.grades)).astype(np.int64)


def _grade_index_for(cell: object, keys: Mapping[object, int], field: str) -> object:
    """Turn a grade key in a table cell into its index; pass others through."""
    if isinstance(cell, str):
        if cell not in keys:
            known = [key for key in keys if isinstance(key, str)]
            raise UnknownKeyError(f"risk grade (in {field})", cell, known)
        return keys[cell]
    return cell


def _default_grades() -> tuple[RiskGrade, ...]:
    return (
        RiskGrade(
            key="low",
            labels=_labels("Low", "低", "低"),
            response_level=ResponseLevel.IV,
            rank=1,
        ),
        RiskGrade(
            key="medium",
            labels=_labels("Medium", "中", "中"),
            response_level=ResponseLevel.III,
            rank=2,
        ),
        RiskGrade(
            key="high",
            labels=_labels("High", "高", "高"),
            response_level=ResponseLevel.II,
            rank=3,
        ),
        RiskGrade(
            key="extreme",
            labels=_labels("Extreme", "極高", "极高"),
            response_level=ResponseLevel.I,
            rank=4,
        ),
    )


def default_matrix() -> RiskMatrix:
    """Return the default 5 × 5 matrix: four grades mapped to `ResponseLevel` IV … I.

    Grading is by the score L × I with thresholds ``(5, 10, 20)``:

    | Score | Grade     | 繁體 / 简体 | Response level    |
    |-------|-----------|-------------|-------------------|
    | 1–4   | `low`     | 低 / 低     | IV 一般 (blue)     |
    | 5–9   | `medium`  | 中 / 中     | III 較大 (yellow)  |
    | 10–19 | `high`    | 高 / 高     | II 重大 (orange)   |
    | 20–25 | `extreme` | 極高 / 极高 | I 特別重大 (red)   |

    so the grid, highest likelihood on top, reads:

        L5  medium high   high   extreme extreme
        L4  low    medium high   high    extreme
        L3  low    medium medium high    high
        L2  low    low    medium medium  high
        L1  low    low    low    low     medium
            I1     I2     I3     I4      I5

    Of the 14 scores a 5 × 5 product can take, 1–4 are the corner of rare,
    small risks, 20 and 25 need both a likely-or-worse event and a major-or-
    worse impact. These bands are the common practice of ISO 31000-style
    matrices (ISO 31000:2018 leaves the criteria to the organisation,
    §6.3.4; IEC 31010:2019 describes the consequence/likelihood matrix);
    they are crisisops' documented choice, not a standard's. Make your own
    with `RiskMatrix.by_product()` or `RiskMatrix.by_table()`.
    """
    return RiskMatrix.by_product(
        likelihood=default_likelihood_scale(),
        impact=default_impact_scale(),
        grades=_default_grades(),
        thresholds=(5, 10, 20),
    )


# --- appetite and tolerance ----------------------------------------------------


class AppetiteBasis(enum.Enum):
    """What a `RiskAppetite` is expressed in: the score L × I or the grade rank.

    Examples
    --------
    Likelihood 4 × impact 3 scores 12, graded ``high``. By score, 12 is
    within a tolerance of 12; by grade, ``high`` is above a tolerance of
    ``medium``:

    >>> matrix = default_matrix()
    >>> by_score = RiskAppetite(appetite=4, tolerance=12)
    >>> by_grade = RiskAppetite.from_grades(matrix, "low", "medium")
    >>> by_score.basis is AppetiteBasis.SCORE, by_grade.basis is AppetiteBasis.GRADE
    (True, True)
    >>> by_grade.appetite, by_grade.tolerance  # grade ranks
    (1, 2)
    >>> by_score.assess(matrix, 4, 3).name, by_grade.assess(matrix, 4, 3).name
    ('WITHIN_TOLERANCE', 'BEYOND_TOLERANCE')
    """

    SCORE = "score"
    GRADE = "grade"


class AppetiteZone(enum.Enum):
    """Where a risk falls against the appetite and tolerance (ISO Guide 73).

    Ordered from best to worst; `severity` is 0, 1, 2.

    Examples
    --------
    >>> [(zone.severity, zone.labels.zh_hant) for zone in AppetiteZone]
    [(0, '在風險偏好內'), (1, '在風險容忍度內'), (2, '超出風險容忍度')]
    >>> appetite = RiskAppetite(appetite=4, tolerance=9)
    >>> appetite.classify(9) is AppetiteZone.WITHIN_TOLERANCE
    True
    >>> appetite.zone_indices([3, 9, 12]).tolist()  # the severities
    [0, 1, 2]
    """

    WITHIN_APPETITE = "within_appetite"
    WITHIN_TOLERANCE = "within_tolerance"
    BEYOND_TOLERANCE = "beyond_tolerance"

    @property
    def labels(self) -> Labels:
        """Name of the zone in English, 繁體 and 简体."""
        return _ZONE_LABELS[self]

    @property
    def severity(self) -> int:
        """0 within appetite, 1 within tolerance, 2 beyond tolerance."""
        return _ZONE_ORDER.index(self)


_ZONE_ORDER = (
    AppetiteZone.WITHIN_APPETITE,
    AppetiteZone.WITHIN_TOLERANCE,
    AppetiteZone.BEYOND_TOLERANCE,
)
_ZONE_LABELS = {
    AppetiteZone.WITHIN_APPETITE: _labels(
        "Within appetite", "在風險偏好內", "在风险偏好内"
    ),
    AppetiteZone.WITHIN_TOLERANCE: _labels(
        "Within tolerance", "在風險容忍度內", "在风险容忍度内"
    ),
    AppetiteZone.BEYOND_TOLERANCE: _labels(
        "Beyond tolerance", "超出風險容忍度", "超出风险容忍度"
    ),
}


@attrs.frozen(kw_only=True)
class RiskAppetite:
    """Risk appetite and tolerance (風險偏好與容忍度) as scores or grades.

    ISO Guide 73:2009 defines *risk appetite* as the amount and type of risk
    an organisation is willing to pursue or retain, and *risk tolerance* as
    its readiness to bear the risk after treatment. Here both are thresholds
    on one measure (``basis``): the score L × I, or the grade rank of a
    `RiskMatrix`. A value ``<= appetite`` is within appetite (accept and
    monitor), ``<= tolerance`` is within tolerance (treat when economical,
    watch closely), anything above is beyond tolerance (treat now or stop the
    activity).

    Attributes
    ----------
    appetite
        Highest value still within appetite (an int ≥ 1).
    tolerance
        Highest value still within tolerance (≥ ``appetite``).
    basis
        `AppetiteBasis.SCORE` (default) or `AppetiteBasis.GRADE` (ranks).

    Examples
    --------
    >>> from crisisops.risk.scales import RiskAppetite, default_matrix
    >>> appetite = RiskAppetite(appetite=4, tolerance=9)
    >>> appetite.classify(12).labels.zh_hant
    '超出風險容忍度'
    >>> by_grade = RiskAppetite.from_grades(default_matrix(), "low", "medium")
    >>> by_grade.assess(default_matrix(), likelihood=3, impact=3).name
    'WITHIN_TOLERANCE'

    References
    ----------
    ISO Guide 73:2009 *Risk management — Vocabulary* (risk appetite, risk
    tolerance). Geneva: ISO.
    """

    appetite: int = attrs.field(converter=_to_int, validator=_is_int(low=1))
    tolerance: int = attrs.field(converter=_to_int, validator=_is_int(low=1))
    basis: AppetiteBasis = attrs.field(
        default=AppetiteBasis.SCORE, validator=is_enum(AppetiteBasis)
    )

    def __attrs_post_init__(self) -> None:
        """Check ``appetite <= tolerance``."""
        if self.tolerance < self.appetite:
            raise ValidationError(
                "tolerance",
                self.tolerance,
                f"a value >= appetite ({self.appetite})",
            )

    @classmethod
    def from_grades(
        cls, matrix: RiskMatrix, appetite: str, tolerance: str
    ) -> RiskAppetite:
        """Return a grade-based appetite from grade keys of ``matrix``.

        ``from_grades(m, "low", "medium")``: low risks are within appetite,
        medium ones within tolerance, high and extreme beyond it.
        """
        if not isinstance(matrix, RiskMatrix):
            raise InvalidTypeError("matrix", matrix, "a RiskMatrix")
        return cls(
            appetite=matrix.grade_by_key(appetite).rank,
            tolerance=matrix.grade_by_key(tolerance).rank,
            basis=AppetiteBasis.GRADE,
        )

    def classify(self, value: int) -> AppetiteZone:
        """Return the zone of a score (or a grade rank, for a GRADE basis).

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``value`` is not an int ≥ 1.
        """
        number = _check_int(value, "value", low=1)
        if number <= self.appetite:
            return AppetiteZone.WITHIN_APPETITE
        if number <= self.tolerance:
            return AppetiteZone.WITHIN_TOLERANCE
        return AppetiteZone.BEYOND_TOLERANCE

    def zone_indices(self, values: npt.ArrayLike) -> IntArray:
        """Vectorised `classify()`: 0, 1 or 2 (`AppetiteZone.severity`) per value."""
        array = _int_array(values, "values", "scores or grade ranks")
        bad = array < 1
        if bad.any():
            flat = int(np.flatnonzero(bad.reshape(-1))[0])
            raise ValidationError(
                f"values{_cell_name(array.shape, flat)}",
                int(array.reshape(-1)[flat]),
                "an int >= 1",
            )
        return (array > self.appetite).astype(np.int64) + (array > self.tolerance)

    def assess(self, matrix: RiskMatrix, likelihood: int, impact: int) -> AppetiteZone:
        """Return the zone of the cell (likelihood, impact) of ``matrix``."""
        if not isinstance(matrix, RiskMatrix):
            raise InvalidTypeError("matrix", matrix, "a RiskMatrix")
        if self.basis is AppetiteBasis.SCORE:
            return self.classify(matrix.score(likelihood, impact))
        if self.tolerance > len(matrix.grades):
            raise ValidationError(
                "tolerance",
                self.tolerance,
                f"a grade rank of the matrix (1..{len(matrix.grades)})",
            )
        return self.classify(matrix.grade(likelihood, impact).rank)


# --- FMEA ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FMEARating:
    """An FMEA rating and its risk priority number RPN = S × O × D.

    Failure Mode and Effects Analysis rates a failure mode on three 1–10
    scales, 10 the worst on each: severity of the effect, occurrence (how
    often the cause happens) and detection (10 = cannot be detected before it
    reaches the customer). RPN runs 1 … 1000 but takes only 120 distinct
    values, and equal RPNs can hide very different risks, which is why
    AIAG & VDA (2019) replaced RPN thresholds with an Action Priority table.
    crisisops does not reproduce that table; `needs_action()` applies the
    widely used documented rule instead: act when RPN ≥ a threshold
    (default 100) **or** severity ≥ 9 (safety or legal effects are acted on
    whatever their RPN). Both thresholds are parameters: set your own.

    Attributes
    ----------
    severity, occurrence, detection
        Ints 1 … 10.

    Examples
    --------
    >>> from crisisops.risk.scales import FMEARating
    >>> payment_outage = FMEARating(severity=8, occurrence=3, detection=4)
    >>> payment_outage.rpn, payment_outage.needs_action()
    (96, False)
    >>> FMEARating(severity=9, occurrence=1, detection=2).needs_action()
    True

    References
    ----------
    IEC 60812:2018 *Failure modes and effects analysis (FMEA and FMECA)*.
    Geneva: IEC.
    AIAG. 2008. *Potential Failure Mode and Effects Analysis (FMEA) Reference
    Manual*, 4th ed. Southfield, MI: Automotive Industry Action Group.
    AIAG & VDA. 2019. *FMEA Handbook*. Southfield, MI: AIAG.
    """

    severity: int = attrs.field(converter=_to_int, validator=_is_int(low=1, high=10))
    occurrence: int = attrs.field(converter=_to_int, validator=_is_int(low=1, high=10))
    detection: int = attrs.field(converter=_to_int, validator=_is_int(low=1, high=10))

    @property
    def rpn(self) -> int:
        """Risk priority number S × O × D, 1 … 1000."""
        return self.severity * self.occurrence * self.detection

    def needs_action(
        self, *, rpn_threshold: int = 100, severity_threshold: int = 9
    ) -> bool:
        """Return whether RPN ≥ ``rpn_threshold`` or S ≥ ``severity_threshold``."""
        rpn_limit = _check_int(rpn_threshold, "rpn_threshold", low=1, high=1000)
        severity_limit = _check_int(
            severity_threshold, "severity_threshold", low=1, high=10
        )
        return self.rpn >= rpn_limit or self.severity >= severity_limit


def risk_priority_numbers(
    severity: npt.ArrayLike, occurrence: npt.ArrayLike, detection: npt.ArrayLike
) -> IntArray:
    """Vectorised RPN = S × O × D for arrays of 1–10 ratings (broadcast).

    Raises
    ------
    InvalidTypeError
        If an array is not of an integer dtype.
    ValidationError
        Naming the first rating outside 1 … 10, or shapes that do not
        broadcast.

    Examples
    --------
    >>> risk_priority_numbers([8, 10], [3, 10], [4, 10]).tolist()
    [96, 1000]
    """
    arrays = []
    for name, values in (
        ("severity", severity),
        ("occurrence", occurrence),
        ("detection", detection),
    ):
        array = _int_array(values, name, "FMEA ratings 1..10")
        bad = (array < 1) | (array > 10)
        if bad.any():
            flat = int(np.flatnonzero(bad.reshape(-1))[0])
            raise ValidationError(
                f"{name}{_cell_name(array.shape, flat)}",
                int(array.reshape(-1)[flat]),
                "an int rating from 1 to 10",
            )
        arrays.append(array)
    try:
        s, o, d = np.broadcast_arrays(*arrays)
    except ValueError:
        raise ValidationError(
            "detection",
            [a.shape for a in arrays],
            "arrays whose shapes broadcast together",
        ) from None
    product: IntArray = s * o * d
    return product
