"""Validators and converters for attrs fields that raise crisisops errors.

attrs' own validators raise plain ``TypeError``/``ValueError``; ours raise
`crisisops.errors` exceptions whose message names the field, the value and
what was expected (DESIGN.md principle 3). Converters run before validators:
they only normalise shapes (list → tuple, dict → FrozenDict) and pass anything
they do not understand through unchanged, so the validator can name the field
in its complaint.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    ValidationError,
)
from crisisops.frozen import FrozenDict

__all__ = [
    "check_aware",
    "check_finite",
    "check_key",
    "check_str",
    "check_unique_texts",
    "field_name",
    "is_aware_datetime",
    "is_enum",
    "is_finite",
    "is_instance",
    "is_key",
    "is_optional",
    "is_str_mapping",
    "is_text",
    "is_tuple_of",
    "is_unique",
    "to_frozendict",
    "to_str_tuple",
    "to_tuple",
]

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

Validator = Callable[[Any, Any, Any], None]

#: A key such as ``supply_chain.inventory_shortage``: lowercase ASCII words of
#: letters, digits and underscores, joined by dots, each starting with a letter.
DOTTED_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
#: A key without dots, such as ``crisis_lead``.
SIMPLE_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
_MAX_KEY_LENGTH = 120


def field_name(attribute: Any) -> str:  # noqa: ANN401  attrs passes its Attribute
    """Return the public name of an attrs attribute (its ``__init__`` alias)."""
    alias = getattr(attribute, "alias", None)
    return str(alias or attribute.name)


# --- plain check functions (usable outside attrs) ---------------------------


def check_str(value: object, field: str, *, allow_empty: bool = False) -> str:
    """Return ``value`` if it is a ``str`` with visible content."""
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a str")
    if not allow_empty and not value.strip():
        raise ValidationError(field, value, "a non-empty text")
    return value


def check_key(value: object, field: str, *, dotted: bool = True) -> str:
    """Return ``value`` if it is a well-formed catalog key."""
    check_str(value, field)
    assert isinstance(value, str)  # noqa: S101  narrowing for mypy
    pattern = DOTTED_KEY_PATTERN if dotted else SIMPLE_KEY_PATTERN
    if len(value) > _MAX_KEY_LENGTH or not pattern.fullmatch(value):
        shape = (
            "lowercase words of [a-z0-9_] joined by dots, e.g. 'market.demand_shift'"
            if dotted
            else "one lowercase word of [a-z0-9_], e.g. 'crisis_lead'"
        )
        raise ValidationError(field, value, f"a key made of {shape}")
    return value


def check_finite(
    value: object,
    field: str,
    *,
    low: float | None = None,
    high: float | None = None,
) -> float:
    """Return ``value`` as a float if it is a finite real number in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidTypeError(field, value, "a real number")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float, e.g. 10**400
        number = math.inf
    if not math.isfinite(number):
        raise ValidationError(field, value, "a finite number (not NaN or infinite)")
    if (low is not None and number < low) or (high is not None and number > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValidationError(field, value, f"a number in [{lo}, {hi}]")
    return number


def check_amount(value: object, field: str) -> Decimal:
    """Return ``value`` if it is a finite, non-negative `decimal.Decimal`.

    Money (and anything counted as exactly as money) is a `Decimal`; floats
    are refused because 0.1 + 0.2 is not 0.3 in binary.
    """
    if not isinstance(value, Decimal):
        raise InvalidTypeError(
            field, value, "a decimal.Decimal (money is exact; no floats)"
        )
    if not value.is_finite():
        raise ValidationError(field, value, "a finite Decimal (not NaN or infinite)")
    if value < 0:
        raise ValidationError(field, value, "a Decimal >= 0")
    return value


def check_aware(value: object, field: str) -> dt.datetime:
    """Return ``value`` if it is a timezone-aware ``datetime``."""
    if not isinstance(value, dt.datetime):
        raise InvalidTypeError(field, value, "a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(field, value)
    return value


def check_unique_texts(items: object, field: str, kind: str) -> None:
    """Check a tuple of non-blank, unique strings (e.g. entity keys).

    Whole-tuple checks run first at C speed; the per-item loop that names
    the culprit only runs when something is wrong, so 10,000 SKUs cost well
    under a millisecond.

    Raises
    ------
    InvalidTypeError, ValidationError
        For a non-tuple, an empty tuple, or an item that is not visible text.
    DuplicateKeyError
        For a repeated item.
    """
    if not isinstance(items, tuple):
        raise InvalidTypeError(field, items, f"a tuple (or list) of {kind}s")
    if not items:
        raise ValidationError(field, items, f"at least one {kind}")
    plain = set(map(type, items)) <= {str} and all(map(str.strip, items))
    if plain and len(set(items)) == len(items):
        return
    seen: set[str] = set()
    for index, item in enumerate(items):
        check_str(item, f"{field}[{index}]")
        if item in seen:
            raise DuplicateKeyError(kind, item)
        seen.add(item)


# --- attrs validators -------------------------------------------------------


def is_instance(kind: type | tuple[type, ...], expected: str) -> Validator:
    """Validate ``isinstance(value, kind)``; ``bool`` never passes for numbers."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        numeric = kind in (int, float) or (
            isinstance(kind, tuple) and any(k in (int, float) for k in kind)
        )
        if not isinstance(value, kind) or (numeric and isinstance(value, bool)):
            raise InvalidTypeError(field_name(attribute), value, expected)

    return validate


def is_text(*, allow_empty: bool = False) -> Validator:
    """Validate a ``str`` (non-blank unless ``allow_empty``)."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        check_str(value, field_name(attribute), allow_empty=allow_empty)

    return validate


def is_key(*, dotted: bool = True) -> Validator:
    """Validate a catalog key (see `DOTTED_KEY_PATTERN`)."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        check_key(value, field_name(attribute), dotted=dotted)

    return validate


def is_enum(enum_type: type[enum.Enum]) -> Validator:
    """Validate a member of ``enum_type``."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        if not isinstance(value, enum_type):
            names = ", ".join(m.name for m in enum_type)
            raise InvalidTypeError(
                field_name(attribute), value, f"a {enum_type.__name__} ({names})"
            )

    return validate


def is_finite(*, low: float | None = None, high: float | None = None) -> Validator:
    """Validate a finite real number within the closed range [low, high]."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        check_finite(value, field_name(attribute), low=low, high=high)

    return validate


def is_aware_datetime() -> Validator:
    """Validate a timezone-aware ``datetime``."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        check_aware(value, field_name(attribute))

    return validate


def is_optional(inner: Validator) -> Validator:
    """Validate ``None`` or whatever ``inner`` accepts."""

    def validate(instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        if value is not None:
            inner(instance, attribute, value)

    return validate


class _ItemAttribute:
    """Stand-in attribute so item validators report ``field[index]``."""

    __slots__ = ("alias", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.alias = name


def is_tuple_of(item: Validator, *, min_length: int = 0) -> Validator:
    """Validate a ``tuple`` whose items each pass ``item``."""

    def validate(instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if not isinstance(value, tuple):
            raise InvalidTypeError(name, value, "a tuple (or list) of items")
        if len(value) < min_length:
            raise ValidationError(name, value, f"at least {min_length} item(s)")
        for index, element in enumerate(value):
            item(instance, _ItemAttribute(f"{name}[{index}]"), element)

    return validate


def is_str_mapping() -> Validator:
    """Validate a mapping whose keys and values are all ``str``."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise InvalidTypeError(
                field_name(attribute), value, "a mapping of str to str"
            )

    return validate


def is_unique(kind: str) -> Validator:
    """Validate that a tuple holds no repeated items."""

    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        if not isinstance(value, tuple):
            return
        seen: set[object] = set()
        for element in value:
            if element in seen:
                raise ValidationError(
                    field_name(attribute), value, f"{kind}s without repeats"
                )
            seen.add(element)

    return validate


# --- converters -------------------------------------------------------------


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Turn a list (or other non-text iterable) into a tuple; pass others through.

    Strings, bytes and mappings are passed through unchanged, so the field's
    validator rejects them with a message naming the field instead of silently
    splitting ``"abc"`` into ``("a", "b", "c")``.
    """
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # the validator reports it
    return tuple(value)


def to_str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Like `to_tuple()`, typed for tuples of strings (for mypy's attrs plugin)."""
    return to_tuple(value)


def to_frozendict(value: Mapping[Any, Any]) -> FrozenDict[Any, Any]:
    """Turn a mapping into a `FrozenDict`; pass others through."""
    if isinstance(value, FrozenDict):
        return value
    if isinstance(value, Mapping):
        return FrozenDict(value)
    return value  # the validator reports it


#: A progress callback: ``progress(done, total)`` after each unit of work.
Progress = Callable[[int, int], None]


def check_progress(progress: object) -> Progress | None:
    """Return ``progress`` if it is a callable or ``None``; else `InvalidTypeError`.

    Long runs (Monte Carlo, drills, what-ifs, fleet evaluation) take an optional
    callback ``progress(done, total)``: the library never prints, the host
    draws its own progress bar.

    Examples
    --------
    >>> calls = []
    >>> check_progress(lambda done, total: calls.append(done)) is not None
    True
    >>> check_progress(None) is None
    True
    """
    if progress is not None and not callable(progress):
        raise InvalidTypeError(
            "progress", progress, "a callable progress(done, total), or None"
        )
    return progress
