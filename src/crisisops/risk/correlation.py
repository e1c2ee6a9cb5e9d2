r"""Rank correlation between risks, imposed by Iman–Conover reordering.

Risks in a shop rarely move independently: a typhoon delays logistics and
stops a supplier in the same year, a platform outage costs sales and floods
customer service (book §2 供應鏈危機: 供應商生產問題、物流運輸延誤、自然災害等因素都
可能造成供應鏈斷裂). Summing independently simulated losses then understates
the bad years. This module lets a portfolio say how strongly risks move
together and imposes it on the simulated losses without changing any risk's
own distribution:

* `RankCorrelation` – the risk keys and a target Spearman rank-correlation
  matrix between them, validated (square, matching keys, symmetric, unit
  diagonal, entries in [−1, 1], positive semi-definite). Build it from a
  full matrix or, more readably, from the pairs that are not zero with
  `RankCorrelation.from_pairs`.
* `iman_conover` – reorder each row of an ``(R, T)`` array of simulated
  losses (R risks × T trials) so that their rank correlation is the target.
  Each row is only permuted, so every risk's marginal distribution — its
  mean, percentiles, VaR — is exactly what it was.
* `spearman_matrix` – the Spearman rank correlation of the rows of an
  ``(R, T)`` array (mid-ranks for ties), to check what was reached.

How Iman–Conover works (Iman & Conover 1982): take the van der Waerden
scores ``Φ⁻¹(i / (T + 1))``, ``i = 1 … T``, shuffle them independently for
each risk into an ``(R, T)`` score matrix ``M``, and give the scores the
target correlation ``C`` by a linear map: with ``C = P·Pᵀ`` (Cholesky) and
the sample correlation of the shuffled scores ``E = F·Fᵀ``, the rows of
``P·F⁻¹·M`` have correlation exactly ``C`` (the correction by ``F⁻¹`` is the
standard refinement that removes the chance correlation of the shuffle).
Finally each risk's losses are sorted and placed in the rank order of its
row of scores. Everything is array code: one shuffle, one small ``R × R``
solve, one ``argsort`` along the trial axis — no loop over trials.

Two details go beyond the 1982 recipe and are documented here because they
change numbers:

* Pearson correlation ``ρ`` between normal scores gives a Spearman rank
  correlation of ``(6/π)·arcsin(ρ/2)`` (Kruskal 1958), up to 0.018 less than
  ``ρ``. So the target is first mapped to the score correlation
  ``2·sin(π·C/6)``, which makes the reached *rank* correlation the target.
  If that map leaves the positive semi-definite cone (possible only near
  its boundary), negative eigenvalues are clipped to zero and the diagonal
  rescaled to one (Rebonato & Jäckel 1999).
* A positive semi-definite but singular target (e.g. two risks perfectly
  rank-correlated) has no Cholesky factor; its eigen-decomposition
  ``V·√Λ`` is used instead. When the shuffled scores' own correlation is
  singular (fewer trials than risks) the refinement is skipped.

Ties in a risk's losses (typically many loss-free years) cannot be ordered:
the joint ordering is imposed, but Spearman's coefficient computed with
mid-ranks comes out smaller in magnitude than the target.

Examples
--------
Two risks with a rank correlation of 0.7, simulated independently first:

>>> import numpy as np
>>> rng = np.random.default_rng(2026)
>>> losses = np.vstack([rng.lognormal(10.0, 1.0, 5000), rng.gamma(2.0, 3e4, 5000)])
>>> target = RankCorrelation.from_pairs(
...     ["logistics.delay", "supply_chain.breakage"],
...     {("logistics.delay", "supply_chain.breakage"): 0.7},
... )
>>> correlated = iman_conover(losses, target, seed=7)
>>> bool(np.array_equal(np.sort(correlated, axis=1), np.sort(losses, axis=1)))
True
>>> round(float(spearman_matrix(correlated)[0, 1]), 2)
0.7

References
----------
Iman, Ronald L., and W. J. Conover. 1982. "A Distribution-Free Approach to
Inducing Rank Correlation among Input Variables." *Communications in
Statistics – Simulation and Computation* 11 (3): 311–34.
https://doi.org/10.1080/03610918208812265.
Kruskal, William H. 1958. "Ordinal Measures of Association." *Journal of the
American Statistical Association* 53 (284): 814–61.
https://doi.org/10.1080/01621459.1958.10501481. (Spearman's ρ of a bivariate
normal is ``(6/π)·arcsin(ρ/2)``.)
Rebonato, Riccardo, and Peter Jäckel. 1999. "The Most General Methodology to
Create a Valid Correlation Matrix for Risk Management and Option Pricing
Purposes." *Journal of Risk* 2 (2): 17–27.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import check_key, check_unique_texts, to_str_tuple
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.risk._normal import normal_quantile
from crisisops.risk.simulation import _generator

__all__ = [
    "EIGENVALUE_TOLERANCE",
    "SYMMETRY_TOLERANCE",
    "RankCorrelation",
    "check_correlation_matrix",
    "iman_conover",
    "spearman_matrix",
]

FloatArray = npt.NDArray[np.float64]

#: Largest asymmetry ``|C − Cᵀ|`` and diagonal deviation ``|Cᵢᵢ − 1|``
#: accepted as rounding (e.g. of a matrix computed from data).
SYMMETRY_TOLERANCE = 1e-9
#: Most negative eigenvalue accepted as rounding in a positive semi-definite
#: matrix.
EIGENVALUE_TOLERANCE = 1e-9


# --- validation ---------------------------------------------------------------


def _matrix_array(value: object, field: str) -> FloatArray:
    """Return ``value`` as a float64 array or raise naming ``field``."""
    if isinstance(value, RankCorrelation):
        return value.matrix
    return _float_array(value, field, "a square matrix of numbers")


def _float_array(
    value: object, field: str, expected: str, *, copy: bool = False
) -> FloatArray:
    """Return ``value`` as a float64 array; refuse bools, text, complex, objects.

    Without ``copy`` a float64 array is returned as is (no copy of a large
    ``(R, T)`` sample); callers never write to it.
    """
    if isinstance(value, (str, bytes, bool, np.bool_, Mapping)):
        raise InvalidTypeError(field, value, expected)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise InvalidTypeError(field, value, expected) from None
    if raw.dtype.kind not in "iuf":
        raise InvalidTypeError(field, value, expected)
    return np.array(raw, dtype=np.float64, copy=True if copy else None)


def check_correlation_matrix(value: object, field: str = "matrix") -> FloatArray:
    """Return ``value`` as a float64 array after checking it is a correlation matrix.

    A correlation matrix is square, finite, symmetric (to within
    `SYMMETRY_TOLERANCE`), has ones on the diagonal, entries in [−1, 1] and
    is positive semi-definite (smallest eigenvalue ≥ −`EIGENVALUE_TOLERANCE`).

    Raises
    ------
    InvalidTypeError
        If ``value`` is not numeric.
    ValidationError
        Naming ``field`` and the broken property.

    Examples
    --------
    An asymmetry below `SYMMETRY_TOLERANCE` counts as rounding:

    >>> SYMMETRY_TOLERANCE, EIGENVALUE_TOLERANCE
    (1e-09, 1e-09)
    >>> check_correlation_matrix([[1.0, 0.5 + 1e-12], [0.5, 1.0]]).tolist()
    [[1.0, 0.500000000001], [0.5, 1.0]]

    Each pair below is a valid correlation, but A and B cannot both move
    with C while moving against each other:

    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     check_correlation_matrix(
    ...         [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]], "target"
    ...     )
    ... except ValidationError as error:
    ...     error.field, error.expected.split(";")[0]
    ('target', 'a positive semi-definite matrix (its smallest eigenvalue is -0.8')
    """
    array = _matrix_array(value, field)
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] == 0:
        raise ValidationError(
            field, array.shape, "a non-empty square matrix, shape (R, R)"
        )
    if not np.isfinite(array).all():
        raise ValidationError(field, value, "finite numbers (no NaN or infinity)")
    asymmetry = float(np.abs(array - array.T).max())
    if asymmetry > SYMMETRY_TOLERANCE:
        raise ValidationError(
            field, value, f"a symmetric matrix (largest |C - C.T| is {asymmetry:.3g})"
        )
    diagonal = float(np.abs(np.diag(array) - 1.0).max())
    if diagonal > SYMMETRY_TOLERANCE:
        raise ValidationError(
            field, np.diag(array).tolist(), "a matrix with ones on the diagonal"
        )
    if (np.abs(array) > 1.0 + SYMMETRY_TOLERANCE).any():
        raise ValidationError(field, value, "correlations in [-1, 1]")
    smallest = float(np.linalg.eigvalsh(0.5 * (array + array.T)).min())
    if smallest < -EIGENVALUE_TOLERANCE:
        raise ValidationError(
            field,
            value,
            "a positive semi-definite matrix (its smallest eigenvalue is "
            f"{smallest:.3g}; these correlations cannot hold together)",
        )
    return array


def _frozen_matrix(value: object) -> Any:  # noqa: ANN401  the validator reports bad input
    """Copy a matrix into a read-only float64 array; pass junk on to the check."""
    try:
        array = _float_array(value, "matrix", "a square matrix of numbers", copy=True)
    except InvalidTypeError:
        return value
    array.setflags(write=False)
    return array


def _equal_arrays(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b))
    return a is b


# --- the value ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RankCorrelation:
    """A target Spearman rank-correlation matrix between named risks.

    Attributes
    ----------
    risks
        The risk keys, in the order of the matrix's rows and columns, e.g.
        ``("logistics.delay", "supply_chain.breakage")``; unique.
    matrix
        The target rank correlations, a read-only float64 array of shape
        ``(R, R)``: symmetric, ones on the diagonal, entries in [−1, 1],
        positive semi-definite. ``matrix[i, j]`` is the rank correlation
        between ``risks[i]`` and ``risks[j]``.
    """

    risks: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    matrix: FloatArray = attrs.field(
        converter=_frozen_matrix, eq=attrs.cmp_using(eq=_equal_arrays), hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check the keys and the matrix."""
        check_unique_texts(self.risks, "risks", "risk key")
        for index, key in enumerate(self.risks):
            check_key(key, f"risks[{index}]")
        check_correlation_matrix(self.matrix, "matrix")
        size = len(self.risks)
        if self.matrix.shape != (size, size):
            raise ValidationError(
                "matrix",
                self.matrix.shape,
                f"shape ({size}, {size}), one row and column per risk in 'risks'",
            )

    @classmethod
    def from_pairs(
        cls,
        risks: Iterable[str],
        pairs: Mapping[tuple[str, str], float],
    ) -> RankCorrelation:
        """Build the matrix from the correlated pairs; every other pair is 0.

        Parameters
        ----------
        risks
            The risk keys, in matrix order.
        pairs
            ``{(key_a, key_b): rho}``; the order within a pair does not
            matter. A pair given twice (in both orders) must agree.

        Raises
        ------
        UnknownKeyError
            If a pair names a risk not in ``risks`` (with suggestions).
        ValidationError
            For a pair of a risk with itself, a rho that is not a finite
            number in [−1, 1], conflicting duplicates, or a matrix that is not
            positive semi-definite.

        Examples
        --------
        >>> rc = RankCorrelation.from_pairs(["a", "b", "c"], {("b", "a"): 0.5})
        >>> rc.matrix.tolist()
        [[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]]
        """
        keys = to_str_tuple(risks)
        check_unique_texts(keys, "risks", "risk key")
        if not isinstance(pairs, Mapping):
            raise InvalidTypeError(
                "pairs", pairs, "a mapping of (risk, risk) pairs to correlations"
            )
        position = {key: index for index, key in enumerate(keys)}
        matrix = np.eye(len(keys))
        seen: dict[tuple[int, int], float] = {}
        for pair, rho in pairs.items():
            field = f"pairs[{pair!r}]"
            given: object = pair
            if not (isinstance(given, tuple) and len(given) == 2):
                raise InvalidTypeError("pairs", given, "pairs of two risk keys")
            for key in pair:
                if key not in position:
                    raise UnknownKeyError("risk", key, keys)
            i, j = sorted((position[pair[0]], position[pair[1]]))
            if i == j:
                raise ValidationError(
                    field, rho, "a pair of two different risks (the diagonal is 1)"
                )
            number: object = rho
            if isinstance(number, (np.integer, np.floating)):
                number = number.item()
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                raise InvalidTypeError(field, rho, "a real number")
            if not (math.isfinite(number) and -1.0 <= number <= 1.0):
                raise ValidationError(field, rho, "a correlation in [-1, 1]")
            if (i, j) in seen and seen[(i, j)] != float(number):
                raise ValidationError(
                    field, rho, f"the same value as the reversed pair ({seen[(i, j)]})"
                )
            seen[(i, j)] = float(number)
            matrix[i, j] = matrix[j, i] = float(number)
        return cls(risks=keys, matrix=matrix)

    @classmethod
    def independent(cls, risks: Iterable[str]) -> RankCorrelation:
        """Return the identity: the risks are rank-uncorrelated.

        Examples
        --------
        >>> RankCorrelation.independent(["a", "b"]).matrix.tolist()
        [[1.0, 0.0], [0.0, 1.0]]
        """
        keys = to_str_tuple(risks)
        check_unique_texts(keys, "risks", "risk key")
        return cls(risks=keys, matrix=np.eye(len(keys)))

    def coefficient(self, first: str, second: str) -> float:
        """Return the target rank correlation between two risks.

        Raises
        ------
        UnknownKeyError
            If either key is not one of `risks`.
        """
        for key in (first, second):
            if key not in self.risks:
                raise UnknownKeyError("risk", key, self.risks)
        return float(self.matrix[self.risks.index(first), self.risks.index(second)])

    def reordered(self, risks: Sequence[str]) -> FloatArray:
        """Return the matrix for ``risks`` in the given order (a read-only copy).

        ``risks`` must be a permutation of a subset of `risks`; a risk
        missing from this correlation is treated as uncorrelated with all
        others (row and column of the identity).

        Raises
        ------
        ValidationError
            If ``risks`` repeats a key.
        """
        keys = to_str_tuple(risks)
        check_unique_texts(keys, "risks", "risk key")
        position = {key: index for index, key in enumerate(self.risks)}
        index = np.array([position.get(key, -1) for key in keys], dtype=np.intp)
        known = index >= 0
        result = np.eye(len(keys))
        rows = np.flatnonzero(known)
        result[np.ix_(rows, rows)] = self.matrix[np.ix_(index[known], index[known])]
        result.setflags(write=False)
        return result


# --- Iman–Conover -------------------------------------------------------------


def _score_correlation(target: FloatArray) -> FloatArray:
    """Map a rank-correlation target to the Pearson correlation of normal scores.

    ``2·sin(π·ρ/6)`` inverts Spearman's ``(6/π)·arcsin(ρ/2)`` for normal
    data (Kruskal 1958). If the result is not positive semi-definite, clip
    its negative eigenvalues and rescale to a unit diagonal (Rebonato &
    Jäckel 1999).
    """
    adjusted = 2.0 * np.sin(np.pi * target / 6.0)
    np.fill_diagonal(adjusted, 1.0)
    values, vectors = np.linalg.eigh(adjusted)
    if values.min() >= 0.0:
        return adjusted
    clipped = (vectors * np.clip(values, 0.0, None)) @ vectors.T
    scale = 1.0 / np.sqrt(np.diag(clipped))
    repaired: FloatArray = clipped * scale[:, None] * scale[None, :]
    np.fill_diagonal(repaired, 1.0)
    return repaired


def _factor(matrix: FloatArray) -> FloatArray:
    """Return ``P`` with ``P·Pᵀ = matrix``: Cholesky, else ``V·√Λ`` (singular)."""
    try:
        factor = np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(0.5 * (matrix + matrix.T))
        factor = vectors * np.sqrt(np.clip(values, 0.0, None))
    return np.asarray(factor, dtype=np.float64)


def _check_samples(samples: object, size: int) -> FloatArray:
    array = _float_array(samples, "samples", "an (R, T) array of numbers")
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValidationError(
            "samples", array.shape, "a 2-D array, one row of trials per risk"
        )
    if array.shape[0] != size:
        raise ValidationError(
            "samples",
            array.shape,
            f"{size} rows, one per row of the target matrix",
        )
    if np.isnan(array).any():
        raise ValidationError("samples", "NaN", "numbers, not NaN")
    return array


def iman_conover(
    samples: npt.ArrayLike,
    target: npt.ArrayLike | RankCorrelation,
    seed: int | np.random.SeedSequence | np.random.Generator,
) -> FloatArray:
    """Reorder each row of ``samples`` to the target rank correlation.

    Iman & Conover (1982) with van der Waerden scores and the correction for
    the scores' sample correlation; see the module docstring for the steps
    and the mapping of the target to a score correlation. Each row of the
    result is a permutation of the same row of ``samples``, so every row's
    distribution is preserved exactly.

    Parameters
    ----------
    samples
        An ``(R, T)`` array: R risks (rows) × T trials.
    target
        The ``(R, R)`` target rank-correlation matrix (validated like
        `RankCorrelation.matrix`), or a `RankCorrelation`, whose
        ``risks`` order must then be the order of the rows.
    seed
        An int seed ``>= 0``, a `numpy.random.SeedSequence` or a
        `numpy.random.Generator` (whose state advances): the stream that
        shuffles the scores. The same seed gives the same order.

    Returns
    -------
    numpy.ndarray
        A new float64 ``(R, T)`` array.

    Raises
    ------
    InvalidTypeError
        For a non-numeric ``samples`` or ``target`` or a bad ``seed``.
    ValidationError
        For a target that is not a correlation matrix (naming ``target``), or
        ``samples`` that are not 2-D with one row per target row, or hold NaN.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.vstack([np.arange(6.0), np.arange(6.0)])
    >>> out = iman_conover(x, [[1.0, -1.0], [-1.0, 1.0]], seed=1)
    >>> out[0].tolist()  # the first risk's values, shuffled
    [4.0, 0.0, 2.0, 1.0, 5.0, 3.0]
    >>> out[1].tolist()  # the second in the opposite rank order
    [1.0, 5.0, 3.0, 4.0, 0.0, 2.0]
    """
    matrix = check_correlation_matrix(target, "target")
    generator = _generator(seed)
    array = _check_samples(samples, matrix.shape[0])
    risks, trials = array.shape
    if risks == 1 or trials == 1:
        unchanged: FloatArray = array.copy()
        return unchanged
    ranks = np.arange(1, trials + 1, dtype=np.float64) / (trials + 1)
    scores: FloatArray = normal_quantile(ranks)
    scores /= np.sqrt(np.mean(scores * scores))  # mean 0 (symmetric), RMS 1
    shuffled = np.tile(scores, (risks, 1))
    generator.permuted(shuffled, axis=1, out=shuffled)
    wanted = _factor(_score_correlation(matrix))
    try:
        # Every row has mean 0 and RMS 1, so the Gram matrix / T is their
        # sample correlation E = F·Fᵀ.
        have = np.linalg.cholesky((shuffled @ shuffled.T) / trials)
    except np.linalg.LinAlgError:  # fewer trials than risks: skip the refinement
        mixing = wanted
    else:
        mixing = np.linalg.solve(have.T, wanted.T).T  # P·F⁻¹
    correlated = mixing @ shuffled
    del shuffled
    order = np.argsort(correlated, axis=1)
    del correlated
    result = np.empty_like(array)
    np.put_along_axis(result, order, np.sort(array, axis=1), axis=1)
    return result


# --- checking the result ------------------------------------------------------


def _mid_ranks(row: FloatArray) -> FloatArray:
    """Return the ranks 1 … T of ``row``, ties sharing their mean rank."""
    order = np.argsort(row, kind="stable")
    ordered = row[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], ordered.size]
    mean_rank = 0.5 * (starts + ends - 1) + 1.0
    ranks = np.empty(ordered.size)
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def spearman_matrix(samples: npt.ArrayLike) -> FloatArray:
    """Return the Spearman rank-correlation matrix of the rows of ``samples``.

    Spearman's ρ is Pearson's correlation of the ranks; tied values share
    their mean rank (mid-ranks). A constant row has no ranks to correlate:
    its correlations are NaN (1 on the diagonal).

    Parameters
    ----------
    samples
        An ``(R, T)`` array, R ≥ 1 rows of T ≥ 2 trials.

    Raises
    ------
    InvalidTypeError, ValidationError
        For non-numeric input, a shape that is not ``(R, T)`` with T ≥ 2, or NaN.

    Examples
    --------
    >>> spearman_matrix([[1.0, 2.0, 3.0, 4.0], [30.0, 20.0, 20.0, 10.0]]).round(3)
    array([[ 1.   , -0.949],
           [-0.949,  1.   ]])
    """
    array = _float_array(samples, "samples", "an (R, T) array of numbers")
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] < 2:
        raise ValidationError(
            "samples", array.shape, "a 2-D array of R >= 1 rows and T >= 2 trials"
        )
    if np.isnan(array).any():
        raise ValidationError("samples", "NaN", "numbers, not NaN")
    ranks = np.vstack([_mid_ranks(row) for row in array])  # one per risk
    centred = ranks - ranks.mean(axis=1, keepdims=True)
    norms = np.sqrt(np.einsum("ij,ij->i", centred, centred))
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = (centred @ centred.T) / np.outer(norms, norms)
    np.fill_diagonal(result, 1.0)
    return np.clip(result, -1.0, 1.0)
