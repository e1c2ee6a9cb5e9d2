"""Scales, impact dimensions, the risk matrix, appetite and FMEA (book §3, §4)."""

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
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.risk.scales import (
    AppetiteBasis,
    AppetiteZone,
    FMEARating,
    FrequencyBand,
    ImpactCombination,
    ImpactDimension,
    ImpactRating,
    ImpactRule,
    LookupTable,
    ProductThresholds,
    RiskAppetite,
    RiskGrade,
    RiskMatrix,
    Scale,
    ScaleLevel,
    default_impact_scale,
    default_likelihood_scale,
    default_matrix,
    risk_priority_numbers,
    round_half_up,
)
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel


def _name(text: str) -> Labels:
    return Labels(en=text, zh_hant=text, zh_hans=text)


def _scale(size: int, key: str = "axis", *, bands: bool = False) -> Scale:
    edges = [0.0, *[float(2**i) for i in range(size - 1)], math.inf]
    return Scale(
        key=key,
        labels=_name(key),
        levels=[
            ScaleLevel(
                value=n,
                labels=_name(f"{key} {n}"),
                band=FrequencyBand(low=edges[n - 1], high=edges[n]) if bands else None,
            )
            for n in range(1, size + 1)
        ],
    )


def _grades(count: int) -> list[RiskGrade]:
    levels = [ResponseLevel.IV, ResponseLevel.III, ResponseLevel.II, ResponseLevel.I]
    return [
        RiskGrade(
            key=f"g{rank}",
            labels=_name(f"grade {rank}"),
            response_level=levels[min(rank - 1, 3)],
            rank=rank,
        )
        for rank in range(1, count + 1)
    ]


def _round_trip(value: Any) -> Any:
    document = to_data(value)
    text = json.dumps(document, allow_nan=False)
    return from_data(type(value), json.loads(text))


# --- the hand-written default grid ---------------------------------------------

# Rows are likelihood 1..5, columns impact 1..5, graded by L × I against the
# documented thresholds 5, 10, 20 (worked out by hand from the products).
DEFAULT_GRID = [
    ["low", "low", "low", "low", "medium"],  # L1: 1 2 3 4 5
    ["low", "low", "medium", "medium", "high"],  # L2: 2 4 6 8 10
    ["low", "medium", "medium", "high", "high"],  # L3: 3 6 9 12 15
    ["low", "medium", "high", "high", "extreme"],  # L4: 4 8 12 16 20
    ["medium", "high", "high", "extreme", "extreme"],  # L5: 5 10 15 20 25
]
RESPONSE = {
    "low": ResponseLevel.IV,
    "medium": ResponseLevel.III,
    "high": ResponseLevel.II,
    "extreme": ResponseLevel.I,
}
CELLS = [(row, column) for row in range(1, 6) for column in range(1, 6)]


@pytest.mark.parametrize(("likelihood", "impact"), CELLS)
def test_every_cell_of_the_default_matrix_matches_the_hand_table(
    likelihood: int, impact: int
) -> None:
    grade = default_matrix().grade(likelihood, impact)

    expected = DEFAULT_GRID[likelihood - 1][impact - 1]
    assert expected == grade.key
    assert RESPONSE[expected] == grade.response_level
    assert likelihood * impact == default_matrix().score(likelihood, impact)


def test_default_grades_are_ranked_and_bilingual() -> None:
    grades = default_matrix().grades

    assert ["low", "medium", "high", "extreme"] == [g.key for g in grades]
    assert [1, 2, 3, 4] == [g.rank for g in grades]
    assert ["低", "中", "高", "極高"] == [g.labels.zh_hant for g in grades]
    assert "极高" == grades[3].labels.zh_hans


def test_cells_are_the_grade_indices_and_read_only() -> None:
    matrix = default_matrix()
    keys = [g.key for g in matrix.grades]
    expected = [[keys.index(k) for k in row] for row in DEFAULT_GRID]

    cells = matrix.cells()

    assert expected == cells.tolist()
    assert (5, 5) == cells.shape
    assert (5, 5) == matrix.shape
    with pytest.raises(ValueError, match="read-only"):
        cells[0, 0] = 3


def test_product_and_lookup_matrices_agree_on_the_default_grid() -> None:
    product = default_matrix()

    table = RiskMatrix.by_table(
        likelihood=product.likelihood,
        impact=product.impact,
        grades=product.grades,
        table=DEFAULT_GRID,
    )

    assert isinstance(table.grading, LookupTable)
    assert product.cells().tolist() == table.cells().tolist()
    for likelihood, impact in CELLS:
        assert product.grade(likelihood, impact) == table.grade(likelihood, impact)
    # a product matrix and its own cells as indices also agree
    by_index = RiskMatrix.by_table(
        likelihood=product.likelihood,
        impact=product.impact,
        grades=product.grades,
        table=product.cells(),
    )
    assert product.cells().tolist() == by_index.cells().tolist()


def test_product_thresholds_on_a_4x4_match_a_hand_table() -> None:
    # 4 × 4 with thresholds 3, 6, 12: products 1..16, graded by hand.
    likelihood, impact = _scale(4, "likelihood"), _scale(4, "impact")
    product = RiskMatrix.by_product(
        likelihood=likelihood, impact=impact, grades=_grades(4), thresholds=[3, 6, 12]
    )
    hand = [
        [0, 0, 1, 1],  # 1 2 3 4
        [0, 1, 2, 2],  # 2 4 6 8
        [1, 2, 2, 3],  # 3 6 9 12
        [1, 2, 3, 3],  # 4 8 12 16
    ]

    table = RiskMatrix.by_table(
        likelihood=likelihood, impact=impact, grades=_grades(4), table=hand
    )

    assert hand == product.cells().tolist()
    assert product.cells().tolist() == table.cells().tolist()
    assert product != table  # different grading, same cells


def test_a_table_matrix_may_grade_cells_a_product_cannot() -> None:
    # Impact weighs more than likelihood: (L2, I1) low but (L1, I2) medium.
    scale = _scale(2)
    table = RiskMatrix.by_table(
        likelihood=scale, impact=scale, grades=_grades(3), table=[[0, 1], [0, 2]]
    )

    assert "g1" == table.grade(2, 1).key
    assert "g2" == table.grade(1, 2).key
    assert 2 == table.score(2, 1) == table.score(1, 2)


# --- validation of the matrix -------------------------------------------------


def _table(rows: Any) -> RiskMatrix:
    return RiskMatrix.by_table(
        likelihood=default_likelihood_scale(),
        impact=default_impact_scale(),
        grades=default_matrix().grades,
        table=rows,
    )


def test_a_grade_falling_as_likelihood_rises_is_rejected_naming_the_cell() -> None:
    rows = [[0, 0, 0, 0, 1] for _ in range(5)]
    rows[3][2] = 2  # L4, I3 high; L5, I3 low below it
    with pytest.raises(ValidationError) as caught:
        _table(rows)

    assert "grading.cells[4][2]" == caught.value.field
    assert "likelihood 5, impact 3" in str(caught.value)
    assert "as likelihood rises" in str(caught.value)


def test_a_grade_falling_as_impact_rises_is_rejected_naming_the_cell() -> None:
    rows = [[0, 2, 1, 3, 3] for _ in range(5)]  # high, then medium to the right
    rows[0] = [0, 1, 1, 3, 3]  # L1 alone is monotone
    with pytest.raises(ValidationError) as caught:
        _table(rows)

    assert "grading.cells[1][2]" == caught.value.field
    assert "likelihood 2, impact 3" in str(caught.value)
    assert "as impact rises" in str(caught.value)


@pytest.mark.parametrize("hole", [None, float("nan"), -1, 1.5, True])
def test_ungraded_cells_are_rejected_naming_the_cell(hole: object) -> None:
    rows: list[list[object]] = [[0, 0, 1, 1, 2] for _ in range(5)]
    rows[2][3] = hole

    with pytest.raises(ValidationError) as caught:
        _table(rows)

    assert "cells[2][3]" == caught.value.field
    assert "every cell must be graded" in str(caught.value)
    assert "likelihood 3, impact 4" in str(caught.value)


def test_a_grade_index_beyond_the_grades_is_rejected() -> None:
    rows = [[0, 0, 1, 1, 2] for _ in range(5)]
    rows[4] = [0, 0, 1, 1, 4]

    with pytest.raises(ValidationError) as caught:
        _table(rows)

    assert "grading.cells[4][4]" == caught.value.field


def test_a_table_of_the_wrong_shape_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"shape \(5, 5\)"):
        _table([[0, 0, 0, 0, 0]] * 4)
    with pytest.raises(InvalidTypeError, match="2-D table"):
        _table([0, 0, 0])


def test_an_unknown_grade_key_in_a_table_is_named() -> None:
    rows = [list(row) for row in DEFAULT_GRID]
    rows[1][1] = "severe"

    with pytest.raises(UnknownKeyError, match=r"table\[1\]\[1\]") as caught:
        _table(rows)

    assert "'severe'" in str(caught.value)


@pytest.mark.parametrize(
    ("thresholds", "field"),
    [
        ((5, 10), "grading.thresholds"),  # one short
        ((5, 10, 20, 24), "grading.thresholds"),  # one too many
        ((5, 10, 26), "grading.thresholds[2]"),  # unreachable
        ((5, 5, 20), "thresholds[1]"),  # not increasing
        ((1, 10, 20), "thresholds[0]"),  # a grade below score 1
    ],
)
def test_bad_product_thresholds_are_rejected(
    thresholds: tuple[int, ...], field: str
) -> None:
    base = default_matrix()
    with pytest.raises(ValidationError) as caught:
        RiskMatrix.by_product(
            likelihood=base.likelihood,
            impact=base.impact,
            grades=base.grades,
            thresholds=thresholds,
        )
    assert field == caught.value.field


def test_grades_must_be_ranked_unique_and_escalate() -> None:
    low, medium, high, extreme = default_matrix().grades
    scale = default_likelihood_scale()

    def build(grades: list[RiskGrade]) -> RiskMatrix:
        return RiskMatrix.by_product(
            likelihood=scale,
            impact=default_impact_scale(),
            grades=grades,
            thresholds=list(range(5, 5 + 5 * (len(grades) - 1), 5)),
        )

    with pytest.raises(ValidationError, match=r"grades\[1\]\.rank"):
        build([low, high])
    twin = RiskGrade(
        key="low", labels=_name("x"), response_level=ResponseLevel.III, rank=2
    )
    with pytest.raises(DuplicateKeyError, match="'low'"):
        build([low, twin])
    milder = RiskGrade(
        key="mild", labels=_name("x"), response_level=ResponseLevel.IV, rank=3
    )
    with pytest.raises(ValidationError, match=r"grades\[2\]\.response_level"):
        build([low, medium, milder])
    with pytest.raises(ValidationError, match="at least 2"):
        RiskMatrix(
            likelihood=scale,
            impact=default_impact_scale(),
            grades=[low],
            grading=ProductThresholds(thresholds=[5]),
        )
    with pytest.raises(InvalidTypeError, match=r"grades\[1\]"):
        build([low, "medium"])  # type: ignore[list-item]
    assert extreme.rank == 4


def test_the_matrix_refuses_bad_parts() -> None:
    base = default_matrix()
    with pytest.raises(InvalidTypeError, match="'likelihood'"):
        RiskMatrix(
            likelihood="5x5",  # type: ignore[arg-type]
            impact=base.impact,
            grades=base.grades,
            grading=base.grading,
        )
    with pytest.raises(InvalidTypeError, match="'grading'"):
        RiskMatrix(
            likelihood=base.likelihood,
            impact=base.impact,
            grades=base.grades,
            grading=(5, 10, 20),  # type: ignore[arg-type]
        )


# --- grading arrays and the heat map ---------------------------------------------


def test_heatmap_counts_on_a_hand_example() -> None:
    # Six risks: two at (L4, I3), one each at (L1, I1), (L5, I5), (L1, I5), (L4, I2).
    likelihoods = [4, 1, 4, 5, 1, 4]
    impacts = [3, 1, 3, 5, 5, 2]
    expected = np.zeros((5, 5), dtype=np.int64)
    expected[3, 2] = 2
    expected[0, 0] = expected[4, 4] = expected[0, 4] = expected[3, 1] = 1

    counts = default_matrix().heatmap_counts(likelihoods, impacts)

    assert expected.tolist() == counts.tolist()
    assert 6 == counts.sum()
    # per grade: low (1,1); medium (1,5), (4,2); high (4,3) × 2; extreme (5,5)
    assert [1, 2, 2, 1] == default_matrix().grade_counts(likelihoods, impacts).tolist()


def test_heatmap_of_no_risks_is_all_zero() -> None:
    counts = default_matrix().heatmap_counts([], [])

    assert (5, 5) == counts.shape
    assert 0 == counts.sum()


def test_grade_indices_and_scores_are_vectorised_and_broadcast() -> None:
    matrix = default_matrix()
    likelihoods = np.array([[1], [3], [5]])
    impacts = np.array([1, 3, 5])

    indices = matrix.grade_indices(likelihoods, impacts)
    scores = matrix.scores(likelihoods, impacts)

    assert (3, 3) == indices.shape
    for (row, column), index in np.ndenumerate(indices):
        level, impact = int(likelihoods[row, 0]), int(impacts[column])
        assert matrix.grade(level, impact).rank - 1 == index
        assert level * impact == scores[row, column]


def test_vectorised_grading_names_the_bad_entry() -> None:
    matrix = default_matrix()
    with pytest.raises(UnknownKeyError, match=r"likelihoods\[2\]") as caught:
        matrix.grade_indices([1, 2, 6], [1, 1, 1])
    assert "6" in str(caught.value)
    with pytest.raises(UnknownKeyError, match=r"impacts\[0\]\[1\]"):
        matrix.grade_indices([[1, 1]], [[1, 0]])
    with pytest.raises(InvalidTypeError, match="'likelihoods'"):
        matrix.grade_indices([1.0, 2.0], [1, 1])
    with pytest.raises(InvalidTypeError, match="'impacts'"):
        matrix.heatmap_counts([1], ["high"])
    with pytest.raises(InvalidTypeError, match="'likelihoods'"):
        matrix.scores([True], [1])
    with pytest.raises(ValidationError, match="'impacts'"):
        matrix.heatmap_counts([1, 2, 3], [1, 2])


def test_scalar_grading_rejects_unknown_levels() -> None:
    matrix = default_matrix()
    with pytest.raises(UnknownKeyError, match="likelihood level") as caught:
        matrix.grade(0, 3)
    assert 0 == caught.value.key
    with pytest.raises(UnknownKeyError, match="impact level"):
        matrix.score(3, 6)
    with pytest.raises(InvalidTypeError, match="'likelihood'"):
        matrix.grade(2.0, 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'impact'"):
        matrix.grade(2, impact=True)
    assert "high" == matrix.grade(np.int64(4), np.int32(3)).key


def test_grade_by_key() -> None:
    assert 3 == default_matrix().grade_by_key("high").rank
    with pytest.raises(UnknownKeyError, match="did you mean 'high'"):
        default_matrix().grade_by_key("hihg")
    with pytest.raises(InvalidTypeError, match="'key'"):
        default_matrix().grade_by_key(3)  # type: ignore[arg-type]


# --- scales -------------------------------------------------------------------------


def test_the_default_likelihood_scale_is_bilingual_with_documented_bands() -> None:
    scale = default_likelihood_scale()

    assert ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"] == [
        level.labels.en for level in scale.levels
    ]
    assert "幾乎確定" == scale.level(5).labels.zh_hant
    assert "几乎确定" == scale.level(5).labels.zh_hans
    assert "可能性" == scale.labels.zh_hant
    assert "每季一次或更頻繁。" == scale.level(5).description.zh_hant  # type: ignore[union-attr]
    bands = [(level.band.low, level.band.high) for level in scale.levels if level.band]
    assert [(0, 0.1), (0.1, 0.5), (0.5, 1), (1, 4), (4, math.inf)] == bands
    assert scale.has_bands
    assert (1, 2, 3, 4, 5) == scale.values
    assert 5 == len(scale) == scale.size
    assert "[0.1, 0.5) a year" == str(scale.level(2).band)
    assert ">= 4 a year" == str(scale.level(5).band)


def test_the_default_impact_scale_has_no_bands() -> None:
    scale = default_impact_scale()

    assert ["可忽略", "輕微", "中等", "嚴重", "災難性"] == [
        level.labels.zh_hant for level in scale.levels
    ]
    assert "影響程度" == scale.labels.zh_hant
    assert not scale.has_bands
    with pytest.raises(ValidationError, match="frequency bands"):
        scale.level_for_frequency(1.0)
    with pytest.raises(ValidationError, match="frequency bands"):
        scale.levels_for_frequencies([1.0])


# Edges are half-open [low, high): a rate on an edge belongs to the band above.
BAND_EDGES = [
    (0.0, 1),
    (0.0999, 1),
    (0.1, 2),
    (0.4999, 2),
    (0.5, 3),
    (0.999, 3),
    (1.0, 4),
    (3.999, 4),
    (4.0, 5),
    (365.0, 5),
]


@pytest.mark.parametrize(("rate", "level"), BAND_EDGES)
def test_frequency_bands_at_their_edges(rate: float, level: int) -> None:
    scale = default_likelihood_scale()

    assert level == scale.level_for_frequency(rate).value
    assert scale.level(level).band is not None
    assert scale.level(level).band.contains(rate)  # type: ignore[union-attr]


def test_frequencies_are_converted_as_an_array_too() -> None:
    scale = default_likelihood_scale()
    rates = [rate for rate, _ in BAND_EDGES]

    assert [level for _, level in BAND_EDGES] == scale.levels_for_frequencies(
        rates
    ).tolist()


@pytest.mark.parametrize("rate", [-0.1, math.nan, math.inf, "often", True])
def test_bad_frequencies_are_rejected(rate: object) -> None:
    scale = default_likelihood_scale()
    with pytest.raises((ValidationError, InvalidTypeError), match="events_per_year"):
        scale.level_for_frequency(rate)  # type: ignore[arg-type]


def test_bad_frequency_arrays_name_the_entry() -> None:
    scale = default_likelihood_scale()
    with pytest.raises(ValidationError, match=r"events_per_year\[1\]"):
        scale.levels_for_frequencies([0.5, -1.0])
    with pytest.raises(InvalidTypeError, match="events_per_year"):
        scale.levels_for_frequencies(["x"])


def test_levels_are_looked_up_by_value_and_label() -> None:
    scale = default_likelihood_scale()

    assert "Likely" == scale.level(4).labels.en
    assert 4 == scale.by_label("likely").value
    assert 4 == scale.by_label("很可能").value
    assert 5 == scale.by_label("几乎确定").value
    with pytest.raises(UnknownKeyError, match="did you mean 'Likely'"):
        scale.by_label("Likley")
    with pytest.raises(InvalidTypeError, match="'text'"):
        scale.by_label(4)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, 6, -1])
def test_unknown_scale_levels_are_rejected(value: int) -> None:
    with pytest.raises(UnknownKeyError, match=r"likelihood level \(1\.\.5\)") as caught:
        default_likelihood_scale().level(value)
    assert value == caught.value.key
    assert isinstance(caught.value, KeyError)


@pytest.mark.parametrize("value", [2.0, "2", True, None])
def test_non_int_levels_are_rejected(value: object) -> None:
    with pytest.raises(InvalidTypeError, match="'value'"):
        default_likelihood_scale().level(value)  # type: ignore[arg-type]


def test_check_values_names_the_entry() -> None:
    scale = default_impact_scale()

    assert [1, 5] == scale.check_values([1, 5], "impacts").tolist()
    with pytest.raises(UnknownKeyError, match=r"impacts\[1\]"):
        scale.check_values([1, 9], "impacts")


def test_scale_levels_must_be_numbered_in_order() -> None:
    levels = list(_scale(3).levels)
    with pytest.raises(ValidationError) as caught:
        Scale(
            key="axis", labels=_name("axis"), levels=[levels[1], levels[0], levels[2]]
        )
    assert "levels[0].value" == caught.value.field
    with pytest.raises(ValidationError, match="at least 2"):
        Scale(key="axis", labels=_name("axis"), levels=levels[:1])
    with pytest.raises(InvalidTypeError, match=r"levels\[1\]"):
        Scale(key="axis", labels=_name("axis"), levels=[levels[0], 2])
    with pytest.raises(InvalidTypeError, match="'levels'"):
        Scale(key="axis", labels=_name("axis"), levels="123")
    with pytest.raises(ValidationError, match="'key'"):
        Scale(key="Axis!", labels=_name("axis"), levels=levels)


def test_scale_labels_must_be_unique_in_every_language() -> None:
    one = ScaleLevel(value=1, labels=Labels(en="Low", zh_hant="低", zh_hans="低"))
    two = ScaleLevel(value=2, labels=Labels(en="LOW", zh_hant="高", zh_hans="高"))
    three = ScaleLevel(value=2, labels=Labels(en="High", zh_hant="低", zh_hans="高"))

    with pytest.raises(DuplicateKeyError, match=r"\(en\)"):
        Scale(key="axis", labels=_name("axis"), levels=[one, two])
    with pytest.raises(DuplicateKeyError, match=r"\(zh_hant\)"):
        Scale(key="axis", labels=_name("axis"), levels=[one, three])


def _banded(edges: list[float]) -> list[ScaleLevel]:
    return [
        ScaleLevel(
            value=n,
            labels=_name(f"level {n}"),
            band=FrequencyBand(low=edges[n - 1], high=edges[n]),
        )
        for n in range(1, len(edges))
    ]


def test_bands_must_be_contiguous_increasing_and_cover_every_rate() -> None:
    def build(levels: list[ScaleLevel]) -> Scale:
        return Scale(key="likelihood", labels=_name("likelihood"), levels=levels)

    assert build(_banded([0.0, 1.0, math.inf])).has_bands
    gap = _banded([0.0, 1.0, math.inf])
    gap[1] = ScaleLevel(
        value=2, labels=_name("level 2"), band=FrequencyBand(low=2.0, high=math.inf)
    )
    with pytest.raises(ValidationError) as caught:
        build(gap)
    assert "levels[1].band.low" == caught.value.field
    with pytest.raises(ValidationError, match=r"levels\[0\]\.band\.low"):
        build(_banded([0.5, 1.0, math.inf]))
    with pytest.raises(ValidationError, match=r"levels\[1\]\.band\.high"):
        build(_banded([0.0, 1.0, 9.0]))
    mixed = _banded([0.0, 1.0, math.inf])
    mixed[1] = ScaleLevel(value=2, labels=_name("level 2"))
    with pytest.raises(ValidationError, match=r"levels\[1\]\.band"):
        build(mixed)


@pytest.mark.parametrize(
    ("low", "high", "field"),
    [
        (-1.0, 1.0, "low"),
        (math.nan, 1.0, "low"),
        (math.inf, math.inf, "low"),
        (1.0, 1.0, "high"),
        (1.0, 0.5, "high"),
        (0.0, math.nan, "high"),
        (0.0, "lots", "high"),
        (True, 1.0, "low"),
    ],
)
def test_bad_frequency_bands_are_rejected(
    low: object, high: object, field: str
) -> None:
    with pytest.raises((ValidationError, InvalidTypeError)) as caught:
        FrequencyBand(low=low, high=high)
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_a_band_rejects_a_bad_rate() -> None:
    with pytest.raises(ValidationError, match="events_per_year"):
        FrequencyBand(low=0.0, high=1.0).contains(-2.0)


def test_scale_levels_validate_their_fields() -> None:
    with pytest.raises(ValidationError, match="'value'"):
        ScaleLevel(value=0, labels=_name("x"))
    with pytest.raises(InvalidTypeError, match="'labels'"):
        ScaleLevel(value=1, labels="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'band'"):
        ScaleLevel(value=1, labels=_name("x"), band=(0, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'description'"):
        ScaleLevel(value=1, labels=_name("x"), description="text")  # type: ignore[arg-type]


# --- impact dimensions ------------------------------------------------------------


def test_impact_dimensions_carry_the_books_terms() -> None:
    assert ["財務影響", "品牌聲譽", "市場地位", "供應鏈風險", "客戶關係"] == [
        d.labels.zh_hant for d in ImpactDimension
    ]
    assert "客户关系" == ImpactDimension.CUSTOMER_RELATIONSHIP.labels.zh_hans
    assert "現金流" in ImpactDimension.FINANCIAL.description.zh_hant
    assert ImpactDimension.BRAND.book_section.startswith("§4")


def test_an_impact_rating_accepts_dimension_names() -> None:
    rating = ImpactRating(levels={"financial": 2, ImpactDimension.BRAND: 4})

    assert 2 == rating.level(ImpactDimension.FINANCIAL)
    assert rating.level(ImpactDimension.SUPPLY_CHAIN) is None
    assert {ImpactDimension.FINANCIAL, ImpactDimension.BRAND} == set(rating.levels)
    with pytest.raises(InvalidTypeError, match="'dimension'"):
        rating.level("brand")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("levels", "error", "match"),
    [
        ({}, ValidationError, "at least one"),
        ({"money": 3}, UnknownKeyError, "'money'"),
        ({"brand": 0}, ValidationError, r"levels\['brand'\]"),
        ({"brand": 2.0}, InvalidTypeError, r"levels\['brand'\]"),
        ({"brand": True}, InvalidTypeError, r"levels\['brand'\]"),
        # "brand" and BRAND name one dimension twice
        ({"brand": 2, ImpactDimension.BRAND: 3}, DuplicateKeyError, "'brand'"),
        ([("brand", 2)], InvalidTypeError, "'levels'"),
    ],
)
def test_bad_impact_ratings_are_rejected(
    levels: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        ImpactRating(levels=levels)  # type: ignore[arg-type]


def test_an_impact_rating_is_checked_against_a_scale() -> None:
    rating = ImpactRating(levels={"brand": 6})

    with pytest.raises(UnknownKeyError, match=r"levels\['brand'\]"):
        rating.check_scale(default_impact_scale())
    ok = ImpactRating(levels={"brand": 5})
    assert ok is ok.check_scale(default_impact_scale())
    with pytest.raises(InvalidTypeError, match="'scale'"):
        ok.check_scale("impact")  # type: ignore[arg-type]


def test_the_max_rule_takes_the_worst_dimension() -> None:
    rating = ImpactRating(levels={"financial": 2, "brand": 4, "supply_chain": 3})

    assert 4 == ImpactRule.maximum().combine(rating)
    assert 4.0 == ImpactRule().value(rating)
    assert ImpactCombination.MAX == ImpactRule().method
    assert "取最嚴重維度" == ImpactCombination.MAX.labels.zh_hant


def test_the_weighted_rule_on_hand_computed_ratings() -> None:
    rule = ImpactRule.weighted({"financial": 2, "brand": 1, "supply_chain": 1})
    rating = ImpactRating(levels={"financial": 2, "brand": 4, "supply_chain": 3})

    # (2·2 + 1·4 + 1·3) / 4 = 11 / 4 = 2.75 → 3
    assert 2.75 == rule.value(rating)
    assert 3 == rule.combine(rating)
    # weights renormalised over the rated dimensions: (2·2 + 1·4) / 3 = 2.67 → 3
    partial = ImpactRating(levels={"financial": 2, "brand": 4})
    assert 8 / 3 == pytest.approx(rule.value(partial))
    # an exact half rounds up: (1·2 + 1·3) / 2 = 2.5 → 3
    even = ImpactRule.weighted({"brand": 1, "financial": 1})
    assert 3 == even.combine(ImpactRating(levels={"brand": 2, "financial": 3}))
    # thirds summing to a half in floating point still round up
    thirds = ImpactRule.weighted({"brand": 0.1, "financial": 0.1})
    assert 3 == thirds.combine(ImpactRating(levels={"brand": 2, "financial": 3}))


def test_weights_are_floats_and_zero_weights_are_allowed_if_one_is_positive() -> None:
    rule = ImpactRule.weighted({"brand": 1, "financial": 0})

    assert {ImpactDimension.BRAND: 1.0, ImpactDimension.FINANCIAL: 0.0} == dict(
        rule.weights
    )
    assert isinstance(rule.weights[ImpactDimension.BRAND], float)
    assert 4 == rule.combine(ImpactRating(levels={"brand": 4, "financial": 1}))
    with pytest.raises(ValidationError, match="positive weight"):
        rule.combine(ImpactRating(levels={"financial": 1}))


def test_bad_impact_rules_are_rejected() -> None:
    with pytest.raises(ValidationError, match="empty for the MAX rule"):
        ImpactRule(method=ImpactCombination.MAX, weights={"brand": 1.0})
    with pytest.raises(ValidationError, match="at least one positive weight"):
        ImpactRule.weighted({"brand": 0.0})
    with pytest.raises(ValidationError, match="at least one positive weight"):
        ImpactRule.weighted({})
    with pytest.raises(ValidationError, match=r"weights\['brand'\]"):
        ImpactRule.weighted({"brand": -1.0, "financial": 1.0})
    with pytest.raises(ValidationError, match=r"weights\['brand'\]"):
        ImpactRule.weighted({"brand": math.nan})
    with pytest.raises(UnknownKeyError, match="'money'"):
        ImpactRule.weighted({"money": 1.0})
    with pytest.raises(InvalidTypeError, match="'method'"):
        ImpactRule(method="max")  # type: ignore[arg-type]
    rule = ImpactRule.weighted({"brand": 1.0})
    with pytest.raises(ValidationError, match="weights for"):
        rule.combine(ImpactRating(levels={"financial": 2}))
    with pytest.raises(InvalidTypeError, match="'rating'"):
        rule.combine({"brand": 2})  # type: ignore[arg-type]


# --- rounding -------------------------------------------------------------------------


def test_round_half_up() -> None:
    assert [1, 3, 2, 3, 4] == [round_half_up(v) for v in (1.0, 2.5, 2.49, 3.4999, 3.5)]
    assert 3 == round_half_up(np.float64(2.5))
    assert 3 == round_half_up(0.1 * 25)  # 2.5000000000000004
    assert 3 == round_half_up((0.1 + 0.2 + 0.2) * 5)  # 2.4999999999999996 in floats
    with pytest.raises(ValidationError, match="'value'"):
        round_half_up(math.nan)
    with pytest.raises(InvalidTypeError, match="'value'"):
        round_half_up("2.5")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'value'"):
        round_half_up(value=True)


# --- appetite and tolerance ---------------------------------------------------------


def test_appetite_by_score() -> None:
    appetite = RiskAppetite(appetite=4, tolerance=9)

    assert AppetiteZone.WITHIN_APPETITE == appetite.classify(4)
    assert AppetiteZone.WITHIN_TOLERANCE == appetite.classify(5)
    assert AppetiteZone.WITHIN_TOLERANCE == appetite.classify(9)
    assert AppetiteZone.BEYOND_TOLERANCE == appetite.classify(10)
    assert [0, 0, 1, 1, 2] == appetite.zone_indices([1, 4, 5, 9, 25]).tolist()
    matrix = default_matrix()
    assert AppetiteZone.BEYOND_TOLERANCE == appetite.assess(matrix, 4, 3)  # 12
    assert AppetiteZone.WITHIN_TOLERANCE == appetite.assess(matrix, 3, 3)  # 9


def test_appetite_by_grade() -> None:
    matrix = default_matrix()
    appetite = RiskAppetite.from_grades(matrix, "low", "medium")

    assert AppetiteBasis.GRADE == appetite.basis
    assert (1, 2) == (appetite.appetite, appetite.tolerance)
    zones = {
        (likelihood, impact): appetite.assess(matrix, likelihood, impact)
        for likelihood, impact in CELLS
    }
    for (likelihood, impact), zone in zones.items():
        key = DEFAULT_GRID[likelihood - 1][impact - 1]
        expected = {"low": 0, "medium": 1}.get(key, 2)
        assert expected == zone.severity


def test_appetite_zones_are_bilingual_and_ordered() -> None:
    assert ["在風險偏好內", "在風險容忍度內", "超出風險容忍度"] == [
        zone.labels.zh_hant for zone in AppetiteZone
    ]
    assert [0, 1, 2] == [zone.severity for zone in AppetiteZone]
    assert "超出风险容忍度" == AppetiteZone.BEYOND_TOLERANCE.labels.zh_hans


def test_bad_appetites_are_rejected() -> None:
    with pytest.raises(ValidationError, match="'tolerance'"):
        RiskAppetite(appetite=10, tolerance=9)
    with pytest.raises(ValidationError, match="'appetite'"):
        RiskAppetite(appetite=0, tolerance=9)
    with pytest.raises(InvalidTypeError, match="'appetite'"):
        RiskAppetite(appetite=4.5, tolerance=9)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'basis'"):
        RiskAppetite(appetite=1, tolerance=2, basis="grade")  # type: ignore[arg-type]
    appetite = RiskAppetite(appetite=4, tolerance=9)
    with pytest.raises(ValidationError, match="'value'"):
        appetite.classify(0)
    with pytest.raises(InvalidTypeError, match="'value'"):
        appetite.classify(value=True)
    with pytest.raises(ValidationError, match=r"values\[1\]"):
        appetite.zone_indices([3, 0])
    with pytest.raises(InvalidTypeError, match="'values'"):
        appetite.zone_indices([3.5])
    with pytest.raises(InvalidTypeError, match="'matrix'"):
        appetite.assess("matrix", 1, 1)  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="likelihood level"):
        appetite.assess(default_matrix(), 7, 1)
    with pytest.raises(UnknownKeyError, match="'severe'"):
        RiskAppetite.from_grades(default_matrix(), "low", "severe")
    with pytest.raises(InvalidTypeError, match="'matrix'"):
        RiskAppetite.from_grades("matrix", "low", "high")  # type: ignore[arg-type]
    too_high = RiskAppetite(appetite=2, tolerance=7, basis=AppetiteBasis.GRADE)
    with pytest.raises(ValidationError, match="'tolerance'"):
        too_high.assess(default_matrix(), 1, 1)


# --- FMEA ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "occurrence", "detection", "rpn"),
    [
        (1, 1, 1, 1),  # the floor
        (10, 10, 10, 1000),  # the ceiling
        (8, 3, 4, 96),  # 8 × 3 × 4
        (5, 5, 4, 100),  # 5 × 5 × 4, exactly on the default threshold
        (9, 1, 2, 18),  # low RPN, safety-critical severity
    ],
)
def test_fmea_risk_priority_numbers(
    severity: int, occurrence: int, detection: int, rpn: int
) -> None:
    rating = FMEARating(severity=severity, occurrence=occurrence, detection=detection)

    assert rpn == rating.rpn
    assert [rpn] == risk_priority_numbers(
        [severity], [occurrence], [detection]
    ).tolist()


def test_fmea_action_rule() -> None:
    assert not FMEARating(severity=8, occurrence=3, detection=4).needs_action()
    assert FMEARating(severity=5, occurrence=5, detection=4).needs_action()  # RPN 100
    assert FMEARating(severity=9, occurrence=1, detection=2).needs_action()  # S 9
    assert FMEARating(severity=8, occurrence=3, detection=4).needs_action(
        rpn_threshold=90
    )
    assert not FMEARating(severity=9, occurrence=1, detection=2).needs_action(
        severity_threshold=10
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"severity": 0}, ValidationError, "severity"),
        ({"occurrence": 11}, ValidationError, "occurrence"),
        ({"detection": 5.0}, InvalidTypeError, "detection"),
        ({"severity": True}, InvalidTypeError, "severity"),
        ({"occurrence": "3"}, InvalidTypeError, "occurrence"),
    ],
)
def test_bad_fmea_ratings_are_rejected(
    kwargs: dict[str, object], error: type[Exception], field: str
) -> None:
    values: dict[str, object] = {"severity": 5, "occurrence": 5, "detection": 5}
    values.update(kwargs)
    with pytest.raises(error) as caught:
        FMEARating(**values)  # type: ignore[arg-type]
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_fmea_thresholds_and_arrays_reject_bad_input() -> None:
    rating = FMEARating(severity=5, occurrence=5, detection=5)
    with pytest.raises(ValidationError, match="'rpn_threshold'"):
        rating.needs_action(rpn_threshold=0)
    with pytest.raises(ValidationError, match="'severity_threshold'"):
        rating.needs_action(severity_threshold=11)
    with pytest.raises(ValidationError, match=r"occurrence\[1\]"):
        risk_priority_numbers([1, 2], [3, 0], [1, 1])
    with pytest.raises(InvalidTypeError, match="'detection'"):
        risk_priority_numbers([1], [1], [1.5])
    with pytest.raises(ValidationError, match="broadcast"):
        risk_priority_numbers([1, 2], [1, 2, 3], [1])


def test_rpn_arrays_broadcast() -> None:
    rpn = risk_priority_numbers([[1], [10]], [1, 2, 3], 10)

    assert [[10, 20, 30], [100, 200, 300]] == rpn.tolist()


# --- properties -------------------------------------------------------------------


@st.composite
def monotone_tables(draw: st.DrawFn) -> tuple[int, int, int, list[list[int]]]:
    """Draw (rows, columns, grades, table) with grades non-decreasing both ways."""
    rows = draw(st.integers(2, 6))
    columns = draw(st.integers(2, 6))
    grades = draw(st.integers(2, 5))
    raw = np.array(
        draw(
            st.lists(
                st.integers(0, grades - 1),
                min_size=rows * columns,
                max_size=rows * columns,
            )
        )
    ).reshape(rows, columns)
    table = np.maximum.accumulate(np.maximum.accumulate(raw, axis=0), axis=1)
    return rows, columns, grades, table.tolist()


@st.composite
def matrices(draw: st.DrawFn) -> RiskMatrix:
    """Draw a valid matrix, graded by a table or by product thresholds."""
    if draw(st.booleans()):
        rows, columns, grades, table = draw(monotone_tables())
        return RiskMatrix.by_table(
            likelihood=_scale(rows, "likelihood", bands=draw(st.booleans())),
            impact=_scale(columns, "impact"),
            grades=_grades(grades),
            table=table,
        )
    rows = draw(st.integers(2, 6))
    columns = draw(st.integers(2, 6))
    top = rows * columns
    thresholds = sorted(
        draw(st.sets(st.integers(2, top), min_size=1, max_size=min(4, top - 1)))
    )
    return RiskMatrix.by_product(
        likelihood=_scale(rows, "likelihood"),
        impact=_scale(columns, "impact"),
        grades=_grades(len(thresholds) + 1),
        thresholds=thresholds,
    )


@given(matrices())
@settings(max_examples=60, deadline=None)
def test_grades_never_fall_as_likelihood_or_impact_rise(matrix: RiskMatrix) -> None:
    rows, columns = matrix.shape
    for likelihood in range(1, rows + 1):
        for impact in range(1, columns + 1):
            rank = matrix.grade(likelihood, impact).rank
            if likelihood < rows:
                assert rank <= matrix.grade(likelihood + 1, impact).rank
            if impact < columns:
                assert rank <= matrix.grade(likelihood, impact + 1).rank
    cells = matrix.cells()
    assert (np.diff(cells, axis=0) >= 0).all()
    assert (np.diff(cells, axis=1) >= 0).all()


@given(matrices(), st.data())
@settings(max_examples=40, deadline=None)
def test_array_grading_agrees_with_cell_grading(
    matrix: RiskMatrix, data: st.DataObject
) -> None:
    rows, columns = matrix.shape
    count = data.draw(st.integers(0, 30))
    likelihoods = data.draw(
        st.lists(st.integers(1, rows), min_size=count, max_size=count)
    )
    impacts = data.draw(
        st.lists(st.integers(1, columns), min_size=count, max_size=count)
    )

    indices = matrix.grade_indices(likelihoods, impacts).tolist()
    counts = matrix.heatmap_counts(likelihoods, impacts)

    assert [
        matrix.grade(level, i).rank - 1
        for level, i in zip(likelihoods, impacts, strict=True)
    ] == indices
    assert count == counts.sum()
    for level, i in zip(likelihoods, impacts, strict=True):
        assert counts[level - 1, i - 1] >= 1
    assert counts.sum() == matrix.grade_counts(likelihoods, impacts).sum()


@given(matrices())
@settings(max_examples=40, deadline=None)
def test_matrices_round_trip_through_plain_data(matrix: RiskMatrix) -> None:
    back = _round_trip(matrix)

    assert matrix == back
    assert matrix.cells().tolist() == back.cells().tolist()


@given(
    st.dictionaries(st.sampled_from(ImpactDimension), st.integers(1, 5), min_size=1),
    st.dictionaries(
        st.sampled_from(ImpactDimension),
        st.floats(0.0, 10.0, allow_nan=False),
        min_size=1,
    ).filter(lambda weights: any(w > 0 for w in weights.values())),
)
@settings(max_examples=60, deadline=None)
def test_impact_values_round_trip_and_combine_within_the_rated_range(
    levels: dict[ImpactDimension, int], weights: dict[ImpactDimension, float]
) -> None:
    rating = ImpactRating(levels=levels)
    weighted = ImpactRule.weighted(weights)

    assert rating == _round_trip(rating)
    assert weighted == _round_trip(weighted)
    assert ImpactRule.maximum() == _round_trip(ImpactRule.maximum())
    assert max(levels.values()) == ImpactRule.maximum().combine(rating)
    if set(levels) <= set(weights) and any(weights[d] > 0 for d in levels):
        combined = weighted.combine(rating)
        assert min(levels.values()) <= combined <= max(levels.values())


@given(size=st.integers(2, 8), bands=st.booleans())
@settings(max_examples=20, deadline=None)
def test_scales_round_trip(size: int, *, bands: bool) -> None:
    scale = _scale(size, bands=bands)

    assert scale == _round_trip(scale)


@given(
    st.integers(1, 25),
    st.integers(0, 25),
    st.sampled_from(AppetiteBasis),
    st.integers(1, 10),
    st.integers(1, 10),
    st.integers(1, 10),
)
@settings(max_examples=40, deadline=None)
def test_appetite_and_fmea_round_trip(
    appetite: int,
    extra: int,
    basis: AppetiteBasis,
    severity: int,
    occurrence: int,
    detection: int,
) -> None:
    value = RiskAppetite(appetite=appetite, tolerance=appetite + extra, basis=basis)
    rating = FMEARating(severity=severity, occurrence=occurrence, detection=detection)

    assert value == _round_trip(value)
    assert rating == _round_trip(rating)
    assert 1 <= rating.rpn <= 1000


def test_numpy_integers_become_plain_ints_and_still_round_trip() -> None:
    # a level read from a numpy array is an np.int64: stored as int, so the
    # value compares equal to the int one and serialises to JSON
    appetite = RiskAppetite(appetite=np.int64(4), tolerance=np.int32(9))
    rating = FMEARating(
        severity=np.int64(8), occurrence=np.int64(3), detection=np.int64(4)
    )
    level = ScaleLevel(
        value=np.int64(1), labels=Labels(en="Low", zh_hant="低", zh_hans="低")
    )

    assert RiskAppetite(appetite=4, tolerance=9) == appetite
    assert type(appetite.appetite) is int
    assert 96 == rating.rpn  # 8 · 3 · 4, by hand
    assert type(rating.rpn) is int
    assert type(level.value) is int
    for value in (appetite, rating, level):
        assert value == _round_trip(value)
    with pytest.raises(InvalidTypeError, match="'severity'"):
        FMEARating(severity=np.float64(8.0), occurrence=3, detection=4)


def test_defaults_and_enums_round_trip() -> None:
    for value in (
        default_likelihood_scale(),
        default_impact_scale(),
        default_matrix(),
        ProductThresholds(thresholds=(5, 10, 20)),
        default_matrix().grades[2],
        FrequencyBand(low=4.0, high=math.inf),
    ):
        assert value == _round_trip(value)
    for member in (*ImpactDimension, *AppetiteZone, *ImpactCombination):
        assert member == _round_trip(member)


def test_untrusted_documents_are_validated() -> None:
    document = to_data(
        RiskMatrix.by_table(
            likelihood=_scale(2),
            impact=_scale(2),
            grades=_grades(2),
            table=[[0, 1], [1, 1]],
        )
    )
    document["data"]["grading"]["cells"]["data"] = [1, 1, 0, 1]  # falls in row 2

    with pytest.raises(SerializationError, match="as likelihood rises"):
        from_data(RiskMatrix, document)
    band = to_data(FrequencyBand(low=0.0, high=1.0))
    band["data"]["high"] = -1.0
    with pytest.raises(SerializationError, match=r"\$\.data\.high"):
        from_data(FrequencyBand, band)


def test_unreachable_grades_by_hand() -> None:
    default = default_matrix()
    assert () == default.unreachable_grades()
    # On a 5 x 5 grid the scores are products of 1..5: 1, 2, 3, 4, 5, 6, 8,
    # 9, 10, 12, 15, 16, 20, 25 -- never 7. Thresholds (7, 8, 20) give the
    # second grade only scores in [7, 8): no cell at all.
    skipping = RiskMatrix.by_product(
        likelihood=default.likelihood,
        impact=default.impact,
        grades=default.grades,
        thresholds=(7, 8, 20),
    )
    assert ["medium"] == [grade.key for grade in skipping.unreachable_grades()]


@settings(max_examples=50, deadline=None)
@given(matrices())
def test_a_grade_is_unreachable_exactly_when_no_cell_has_it(matrix: RiskMatrix) -> None:
    used = {int(index) for index in matrix.cells().reshape(-1)}
    expected = [grade for rank, grade in enumerate(matrix.grades) if rank not in used]
    assert tuple(expected) == matrix.unreachable_grades()
