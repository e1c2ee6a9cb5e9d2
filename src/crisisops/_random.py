"""Explicit, reproducible randomness for simulations and drills.

crisisops never draws from a hidden or unseeded random source (DESIGN principle 1,
"pure domain"): every function that samples (Monte Carlo risk loss, opinion
diffusion, synthetic drill data) takes a ``rng`` argument that is either an
integer seed or a `numpy.random.Generator`. `resolve_rng()` turns that
argument into a Generator, so the same seed always gives the same result.
"""

from typing import TypeAlias

import numpy as np

from crisisops.errors import InvalidTypeError, ValidationError

__all__ = ["SeedLike", "resolve_rng"]

#: What a sampling function accepts as its ``rng`` argument: an integer seed
#: (``>= 0``) or a ready `numpy.random.Generator`.
SeedLike: TypeAlias = int | np.random.Generator

_EXPECTED = "an int seed >= 0 or a numpy.random.Generator"


def resolve_rng(seed: SeedLike, field: str = "rng") -> np.random.Generator:
    """Return a `numpy.random.Generator` for an explicit seed or generator.

    Pass an integer seed for a reproducible run: the same seed always produces
    the same draws. Pass a Generator to share one stream across several calls;
    it is returned as is (the same object, its state untouched), so draws made
    through it advance the caller's generator.

    Parameters
    ----------
    seed
        An ``int`` ``>= 0`` (NumPy integer scalars such as ``numpy.int64`` are
        accepted; ``bool`` is not), or a `numpy.random.Generator`.
    field
        Name of the argument, used in error messages.

    Returns
    -------
    numpy.random.Generator
        ``numpy.random.default_rng(seed)`` for a seed, or ``seed`` itself.

    Raises
    ------
    ValidationError
        If ``seed`` is ``None`` (crisisops needs explicit randomness so results
        are reproducible) or a negative integer.
    InvalidTypeError
        For anything else, including ``bool``, ``float``, ``str`` and the legacy
        `numpy.random.RandomState`.

    Examples
    --------
    >>> a = resolve_rng(2026).integers(0, 100, size=3)
    >>> b = resolve_rng(2026).integers(0, 100, size=3)
    >>> bool((a == b).all())
    True
    >>> shared = resolve_rng(7)
    >>> resolve_rng(shared) is shared
    True
    """
    value: object = seed
    if isinstance(value, np.random.Generator):
        return value
    if value is None:
        raise ValidationError(
            field,
            value,
            f"{_EXPECTED}: crisisops needs explicit randomness so that results "
            "are reproducible (pass e.g. rng=2026; DESIGN principle 1)",
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InvalidTypeError(field, value, _EXPECTED)
    number = int(value)
    if number < 0:
        raise ValidationError(field, value, _EXPECTED)
    return np.random.default_rng(number)
