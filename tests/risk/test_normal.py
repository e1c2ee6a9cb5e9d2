"""The numpy-only standard normal CDF and quantile: known values, accuracy, inverses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.risk._normal import normal_cdf, normal_pdf, normal_quantile

_SQRT2 = math.sqrt(2.0)


def _reference_cdf(x: float) -> float:
    """Φ(x) from the standard library's erfc (lower tail computed directly)."""
    return 0.5 * math.erfc(-x / _SQRT2)


def _reference_quantile(p: float) -> float:
    """Φ⁻¹(p) by Newton's method on the standard library's erfc.

    Works in the lower tail (min(p, 1 − p)) where Φ keeps relative accuracy,
    starting from a bisection bracket so it does not depend on the code under
    test.
    """
    lower = min(p, 1.0 - p)
    lo, hi = -40.0, 0.0
    for _ in range(200):  # bisection to ~1e-10, then Newton to full precision
        mid = 0.5 * (lo + hi)
        if _reference_cdf(mid) < lower:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10:
            break
    x = 0.5 * (lo + hi)
    for _ in range(4):
        density = math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        x -= (_reference_cdf(x) - lower) / density
    return x if p <= 0.5 else -x


# --- known values -------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        # published values of the standard normal quantile (e.g. R's qnorm)
        (0.975, 1.959963984540054),
        (0.95, 1.6448536269514722),
        (0.5, 0.0),
        (0.025, -1.959963984540054),
        (0.841344746068543, 1.0),
        (1e-10, -6.361340902404056),
        (0.999, 3.090232306167813),
    ],
)
def test_quantile_matches_published_values(p: float, expected: float) -> None:
    assert expected == pytest.approx(normal_quantile(p), abs=2e-15, rel=2e-15)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0.0, 0.5),
        (1.0, 0.8413447460685429),  # Φ(1), published
        (-1.0, 0.15865525393145707),
        (1.959963984540054, 0.975),
        (-8.0, 6.22096057427178e-16),  # far tail, relative accuracy kept
    ],
)
def test_cdf_matches_published_values(x: float, expected: float) -> None:
    assert expected == pytest.approx(normal_cdf(x), rel=5e-15)


def test_pdf_at_zero_is_one_over_root_two_pi() -> None:
    assert 1.0 / math.sqrt(2.0 * math.pi) == pytest.approx(normal_pdf(0.0), rel=1e-15)


def test_the_ends_map_to_infinities() -> None:
    assert [-math.inf, math.inf] == normal_quantile(np.array([0.0, 1.0])).tolist()
    assert [0.0, 1.0] == normal_cdf(np.array([-math.inf, math.inf])).tolist()


# --- accuracy as stated in the module docstring -------------------------------


def test_cdf_relative_error_is_below_5e_15_on_minus_37_to_8() -> None:
    x = np.linspace(-37.0, 8.0, 4001)
    reference = np.array([_reference_cdf(v) for v in x])

    relative = np.abs(normal_cdf(x) - reference) / reference

    assert relative.max() < 5e-15


def test_quantile_error_is_below_2e_15_times_max_1_abs_x() -> None:
    p = np.concatenate(
        [
            np.logspace(-300, -1, 300),
            np.linspace(0.01, 0.99, 301),
            1.0 - np.logspace(-16, -1, 300),
        ]
    )
    reference = np.array([_reference_quantile(v) for v in p])

    error = np.abs(normal_quantile(p) - reference) / np.maximum(1.0, np.abs(reference))

    assert error.max() < 2e-15


# --- shapes and scalars -------------------------------------------------------


def test_scalars_give_floats_and_arrays_keep_their_shape() -> None:
    assert isinstance(normal_quantile(0.3), float)
    assert isinstance(normal_cdf(0.3), float)
    grid = np.full((2, 3), 0.25)
    # published values: Φ⁻¹(0.25) = −0.6744897501960817, Φ(0.25) = 0.5987063256829237
    assert np.full((2, 3), -0.6744897501960817) == pytest.approx(normal_quantile(grid))
    assert np.full((2, 3), 0.5987063256829237) == pytest.approx(normal_cdf(grid))
    assert (2, 3) == normal_quantile(grid).shape
    assert (2, 3) == normal_cdf(grid).shape
    assert [0.5, 0.5] == normal_cdf([0, 0]).tolist()


# --- properties ---------------------------------------------------------------


@given(st.floats(min_value=1e-300, max_value=1.0 - 1e-16))
def test_cdf_inverts_the_quantile(p: float) -> None:
    x = normal_quantile(p)
    # compare in the tail where the probability is small, where it is exact
    lower = min(p, 1.0 - p)
    reached = normal_cdf(-abs(x))
    # dΦ/Φ ≈ |x|·dx, and x carries a few ulps of rounding
    assert lower == pytest.approx(reached, rel=1e-14 * max(1.0, x * x))


@given(st.floats(min_value=-37.0, max_value=0.0))
def test_quantile_inverts_the_cdf_in_the_lower_half(x: float) -> None:
    assert x == pytest.approx(normal_quantile(normal_cdf(x)), abs=1e-14, rel=1e-14)


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=2, max_size=50))
def test_the_quantile_is_non_decreasing(ps: list[float]) -> None:
    values = normal_quantile(np.sort(np.array(ps)))

    assert (values[1:] >= values[:-1]).all()


@given(st.floats(min_value=1e-300, max_value=0.5))
def test_the_quantile_is_antisymmetric_where_one_minus_p_is_exact(p: float) -> None:
    upper = 1.0 - p
    if 1.0 - upper != p:  # only where 1 − p loses nothing in floating point
        return
    assert -normal_quantile(p) == normal_quantile(upper)


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize("bad", [-0.1, 1.5, [0.2, 1.01], math.nan])
def test_the_quantile_rejects_values_outside_0_1_and_nan(bad: object) -> None:
    with pytest.raises(ValidationError, match="'p'"):
        normal_quantile(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["0.5", True, {"p": 0.5}, None])
def test_the_quantile_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(InvalidTypeError, match="'p'"):
        normal_quantile(bad)  # type: ignore[arg-type]


def test_the_cdf_and_pdf_reject_nan_and_text() -> None:
    with pytest.raises(ValidationError, match="'x'"):
        normal_cdf([0.0, math.nan])
    with pytest.raises(InvalidTypeError, match="'x'"):
        normal_cdf("1")
    with pytest.raises(ValidationError, match="'x'"):
        normal_pdf(math.nan)
