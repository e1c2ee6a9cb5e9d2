"""The heat map colours cells by grade; the exceedance curve is the exact P(L > x)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.risk import (
    PERT,
    Assessment,
    AssessmentKind,
    CompoundLossModel,
    Control,
    ControlTarget,
    LossDistribution,
    Poisson,
    Risk,
    RiskRegister,
    compare_controls,
    default_matrix,
)
from crisisops.viz import LEVEL_COLOURS, loss_exceedance_curve, risk_heat_map
from crisisops.viz.risk import _exceedance_steps

from .build import TAIPEI, rgba, values

AT = dt.datetime(2026, 4, 1, 9, tzinfo=TAIPEI)


def _register() -> RiskRegister:
    """Five risks: two share the cell (4, 3), one is not assessed."""
    register = RiskRegister()
    cells = {
        "price_war": (4, 3),
        "stockout": (4, 3),
        "data_leak": (2, 5),
        "fx_swing": (3, 2),
        "unrated": None,
    }
    for key, cell in cells.items():
        register = register.add(
            Risk(key=key, title=key, crisis_type="market.competition"), at=AT, by="ops"
        )
        if cell is not None:
            rating = Assessment(
                likelihood=cell[0],
                impacts={"financial": cell[1]},
                assessed_at=AT,
                assessor="panel",
            )
            register = register.assess(key, rating, at=AT, by="panel")
    return register


def test_every_cell_has_the_colour_of_its_grades_response_level() -> None:
    matrix = default_matrix()

    axes = risk_heat_map(matrix, language="en").axes[0]

    assert 25 == len(axes.patches)
    for patch in axes.patches:
        _, likelihood, impact = str(patch.get_gid()).split(":")
        grade = matrix.grade(int(likelihood), int(impact))
        assert rgba(LEVEL_COLOURS[grade.response_level]) == patch.get_facecolor()
    # From the table of the risk-grading page: L5 × I1 scores 5, medium
    # (Level III, yellow); L4 × I5 scores 20, extreme (Level I, red).
    by_cell = {p.get_gid(): p.get_facecolor() for p in axes.patches}
    assert rgba("#f7d547") == by_cell["cell:5:1"]
    assert rgba("#e8543f") == by_cell["cell:4:5"]
    assert ("Impact", "Likelihood") == (axes.get_xlabel(), axes.get_ylabel())
    assert 0 == len(axes.texts)  # a bare matrix places no risks


def test_the_legend_names_each_grade_and_its_level_most_severe_first() -> None:
    axes = risk_heat_map(default_matrix(), language="en").axes[0]

    legend = axes.get_legend()
    assert legend is not None
    assert [
        "Extreme · Level I",
        "High · Level II",
        "Medium · Level III",
        "Low · Level IV",
    ] == [text.get_text() for text in legend.get_texts()]


def test_a_registers_risks_are_written_into_their_cells() -> None:
    axes = risk_heat_map(_register(), language="en").axes[0]

    placed = {text.get_gid(): text.get_text() for text in axes.texts}
    assert {
        "risks:4:3": "price_war\nstockout",
        "risks:2:5": "data_leak",
        "risks:3:2": "fx_swing",
    } == placed
    assert "Risk matrix: 4 risks, Current risk" == axes.get_title()


def test_a_crowded_cell_shows_the_first_keys_and_how_many_more() -> None:
    axes = risk_heat_map(_register(), max_keys=1, language="en").axes[0]

    placed = {text.get_gid(): text.get_text() for text in axes.texts}
    assert "+2 more" == placed["risks:4:3"]  # room for one line: the count


def test_another_assessment_kind_places_only_the_risks_that_have_it() -> None:
    axes = risk_heat_map(_register(), which=AssessmentKind.TARGET).axes[0]

    assert 0 == len(axes.texts)
    assert "0 risks" in axes.get_title()


def test_by_default_labels_carry_both_scripts() -> None:
    axes = risk_heat_map(default_matrix()).axes[0]

    assert "Impact (影響程度)" == axes.get_xlabel()
    assert "5 Almost certain (幾乎確定)" == axes.get_yticklabels()[-1].get_text()


@pytest.mark.parametrize(
    ("source", "arguments", "error", "match"),
    [
        ("register", {}, InvalidTypeError, "'source'"),
        (default_matrix(), {"matrix": default_matrix()}, ValidationError, "'matrix'"),
        (RiskRegister(), {"matrix": "5x5"}, InvalidTypeError, "'matrix'"),
        (RiskRegister(), {"which": "current"}, InvalidTypeError, "'which'"),
        (RiskRegister(), {"max_keys": 0}, ValidationError, "'max_keys'"),
        (RiskRegister(), {"max_keys": True}, InvalidTypeError, "'max_keys'"),
        (RiskRegister(), {"language": "de"}, UnknownKeyError, "language tag"),
    ],
)
def test_bad_heat_map_input_is_refused(
    source: object, arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        risk_heat_map(source, **arguments)  # type: ignore[arg-type]


# --- the loss-exceedance curve -----------------------------------------------------


def test_the_curve_steps_down_at_each_loss_to_the_share_of_larger_years() -> None:
    # Ten years: 0 four times, 10, 20 twice, 30, 50, 80. P(L > 0) = 6/10,
    # P(L > 10) = 5/10, P(L > 20) = 3/10, then 2/10, 1/10 and 0.
    years = LossDistribution(losses=[0, 0, 0, 0, 10, 20, 20, 30, 50, 80])

    axes = loss_exceedance_curve(years, language="en").axes[0]

    (line,) = axes.lines
    assert [0, 0, 10, 20, 30, 50, 80] == values(line.get_xdata())
    assert [1.0, 0.6, 0.5, 0.3, 0.2, 0.1, 0.0] == pytest.approx(
        values(line.get_ydata())
    )
    assert "steps-post" == line.get_drawstyle()
    assert ("Annual loss", "P(annual loss > x)") == (
        axes.get_xlabel(),
        axes.get_ylabel(),
    )
    assert "Annual loss: mean 21, 99th percentile 77" == line.get_label()


def test_a_log_axis_leaves_out_the_loss_free_years() -> None:
    years = LossDistribution(losses=[0, 0, 0, 0, 10, 20, 20, 30, 50, 80])

    axes = loss_exceedance_curve(years, log_x=True).axes[0]

    (line,) = axes.lines
    assert [10, 10, 20, 30, 50, 80] == values(line.get_xdata())
    assert 0.6 == pytest.approx(values(line.get_ydata())[0])  # P(L > 0) at the left end
    assert "log" == axes.get_xscale()


def test_a_control_effect_draws_before_and_after_on_the_same_years() -> None:
    model = CompoundLossModel(
        frequency=Poisson(rate=2.0), severity=PERT(low=1.0, mode=4.0, high=10.0)
    )
    control = Control(
        key="check",
        title="Check",
        target=ControlTarget.IMPACT,
        effectiveness=0.5,
        annual_cost=1.0,
    )
    effect = compare_controls(model, [control], 500, 7)

    axes = loss_exceedance_curve(effect, language="en").axes[0]

    before, after = axes.lines
    assert str(before.get_label()).startswith("Before the controls: mean")
    assert str(after.get_label()).startswith("After the controls: mean")
    # An impact control halves every loss: the after curve is the before
    # curve squeezed to half the losses.
    np.testing.assert_allclose(
        0.5 * np.array(values(before.get_xdata())), values(after.get_xdata())
    )


def test_a_mapping_draws_one_named_line_per_series() -> None:
    series = {
        "tea": LossDistribution(losses=[1.0, 2.0]),
        "cups": LossDistribution(losses=[3.0, 4.0, 5.0]),
    }

    axes = loss_exceedance_curve(series, title="Two lines").axes[0]

    assert ["tea", "cups"] == [
        str(line.get_label()).split(":")[0] for line in axes.lines
    ]
    assert "Two lines" == axes.get_title()


@pytest.mark.parametrize(
    ("losses", "arguments", "error", "match"),
    [
        ([1.0, 2.0], {}, InvalidTypeError, "'losses'"),
        ({}, {}, ValidationError, "'losses'"),
        ({"a": [1.0]}, {}, InvalidTypeError, r"losses\['a'\]"),
        ({3: LossDistribution(losses=[1.0])}, {}, InvalidTypeError, "'losses key'"),
        (LossDistribution(losses=[1.0]), {"log_x": 1}, InvalidTypeError, "'log_x'"),
        (
            LossDistribution(losses=[0.0, 0.0]),
            {"log_x": True},
            ValidationError,
            "'losses'",
        ),
    ],
)
def test_bad_curve_input_is_refused(
    losses: object, arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        loss_exceedance_curve(losses, **arguments)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(
    losses=st.lists(
        st.floats(min_value=0.0, max_value=1e6, allow_nan=False),
        min_size=1,
        max_size=40,
    ),
    positive_only=st.booleans(),
)
def test_every_step_is_the_exceedance_probability_and_never_rises(
    *, losses: list[float], positive_only: bool
) -> None:
    years = LossDistribution(losses=losses)

    x, p = _exceedance_steps(years.losses, positive_only=positive_only)

    assert (np.diff(p) <= 0).all()
    for loss, probability in zip(x[1:].tolist(), p[1:].tolist(), strict=True):
        assert years.exceedance_probability(loss) == pytest.approx(probability)
    if positive_only:
        assert (x > 0).all()
