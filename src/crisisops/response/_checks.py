"""Small checks and converters shared by the response modules (private).

Money, hours and weights are exact `decimal.Decimal` values; feedback numbers
are floats; moments are compared as instants. Each module used to carry its own
copy of these few lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from crisisops._time import instant
from crisisops._validation import check_amount, field_name
from crisisops.errors import ValidationError

__all__ = [
    "check_not_before",
    "is_amount",
    "is_optional_amount",
    "to_decimal",
    "to_float",
]


def is_amount(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Validate a finite `Decimal` >= 0 (an attrs validator)."""
    check_amount(value, field_name(attribute))


def is_optional_amount(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Validate ``None`` or a finite `Decimal` >= 0 (an attrs validator)."""
    if value is not None:
        check_amount(value, field_name(attribute))


def to_decimal(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    """Turn an ``int`` (not a bool) into a `Decimal`; pass anything else through."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def to_float(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    """Turn an ``int`` (not a bool) into a ``float``; pass anything else through."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def check_not_before(
    value: dt.datetime | None, field: str, earlier: dt.datetime, earlier_name: str
) -> None:
    """Raise unless ``value`` (if set) is at or after ``earlier``, as instants."""
    if value is not None and instant(value) < instant(earlier):
        raise ValidationError(
            field, value, f"a moment at or after {earlier_name} ({earlier.isoformat()})"
        )
