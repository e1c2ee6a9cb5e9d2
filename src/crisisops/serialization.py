"""Plain JSON-compatible data in and out: ``to_data`` and ``from_data``.

Every crisisops value converts to plain data (dicts, lists, str, int, float,
bool, None) that ``json.dumps(..., allow_nan=False)`` accepts, and back,
losslessly (DESIGN.md principle 4). Backends store it; user interfaces render it.

A top-level document is an envelope::

    {"schema_version": 1, "type": "CrisisType", "data": {...the fields...}}

Inside ``data``:

* attrs classes are objects keyed by their ``__init__`` argument names;
* datetimes are ISO 8601 strings **with** a UTC offset
  (``"2026-11-11T00:00:00+08:00"``); naive datetimes are rejected on the way in;
  dates are ``"YYYY-MM-DD"``; timedeltas are ISO 8601 durations of days and
  seconds (``"P1DT3600.5S"``, ``"-PT30S"``);
* enums are their value; tuples and lists are lists; frozensets are sorted lists;
* `FrozenDict` is an object when its keys are strings
  (or string-valued enums), otherwise a list of ``[key, value]`` pairs;
* numpy arrays are ``{"dtype": "float64", "shape": [2, 3], "data": [...]}``
  with a flat, C-order ``data`` list; only plain numeric and boolean dtypes are
  allowed;
* floats that are not finite are written as the strings ``"NaN"``,
  ``"Infinity"`` and ``"-Infinity"`` (the protobuf JSON convention), so NaN
  meaning "missing" in a data panel survives a strict JSON encoder; on the way
  in, the bare non-finite floats of a lenient JSON parser are read too. A field
  that requires a finite number rejects them either way (its validator does);
* `decimal.Decimal` amounts (money) are their exact text, ``str(value)``:
  ``Decimal("12.50")`` is written ``"12.50"``, never a float, so no cent is
  lost or invented and trailing zeros survive. On the way in a decimal is
  read from such a string (plain or exponent notation, ``"-3"``, ``"1.5E+3"``)
  or from an integer; floats (already inexact), ``"NaN"``, ``"Infinity"``,
  surrounding blanks and any other text are rejected, and so are (both ways)
  more than 100 digits on either side of the point or an exponent beyond
  four digits;
* a value whose declared type is a union of attrs classes carries the class
  name under ``"@type"``, e.g. ``{"@type": "AlertFired", ...}``; a union may
  also admit one plain type (``float | Calibrated``), written untagged.

Reading is safe on untrusted input: nothing is executed, evaluated or imported
by name (type tags are looked up among the union's own members; array dtypes
in a fixed allow-list), nesting deeper than `MAX_DEPTH` is refused, and
every problem raises `SerializationError` naming the
path to the bad field, e.g. ``at $.data.labels.en: 'en' must be a non-empty
text (got '')``.

Examples
--------
>>> from crisisops.serialization import from_data, to_data
>>> from crisisops.taxonomy import CrisisType, default_catalog
>>> inventory = default_catalog()["supply_chain.inventory"]
>>> document = to_data(inventory)
>>> document["type"], document["data"]["labels"]["zh_hant"]
('CrisisType', '庫存危機')
>>> from_data(CrisisType, document) == inventory
True

The envelope names the layout's version, `SCHEMA_VERSION`; a document
written in another version is refused, not guessed at:

>>> from crisisops.errors import SerializationError
>>> from crisisops.serialization import SCHEMA_VERSION
>>> document["schema_version"], SCHEMA_VERSION
(1, 1)
>>> try:
...     from_data(CrisisType, {**document, "schema_version": 2})
... except SerializationError as error:
...     error.path
'$.schema_version'

A field whose type is a union of classes (a loss model's event frequency
is a `Bernoulli`, `Poisson` or `NegativeBinomial`) names the class of its
value under `TYPE_TAG`:

>>> from crisisops.risk import CompoundLossModel, LogNormal, Poisson
>>> from crisisops.serialization import TYPE_TAG
>>> outages = CompoundLossModel(
...     frequency=Poisson(rate=2.0),
...     severity=LogNormal.from_interval(low=1_000.0, high=10_000.0),
... )
>>> stored = to_data(outages)
>>> TYPE_TAG, stored["data"]["frequency"]
('@type', {'@type': 'Poisson', 'rate': 2.0})
>>> from_data(CompoundLossModel, stored) == outages
True

Untrusted input nested deeper than `MAX_DEPTH` is refused before anything
is built:

>>> from crisisops.serialization import MAX_DEPTH
>>> nested = []
>>> for _ in range(MAX_DEPTH + 1):
...     nested = [nested]
>>> try:
...     from_data(CrisisType, {**document, "data": {"indicators": nested}})
... except SerializationError as error:
...     error.problem
'nesting deeper than 64 levels'
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
import numpy as np
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from dateutil.parser import isoparse

from crisisops.errors import CrisisOpsError, SerializationError
from crisisops.frozen import FrozenDict

__all__ = [
    "MAX_DEPTH",
    "SCHEMA_VERSION",
    "TYPE_TAG",
    "from_data",
    "to_data",
    "type_name",
]

#: Version of the plain-data layout. Bumped when a stored document would no
#: longer read back; older versions are then migrated on the way in.
SCHEMA_VERSION = 1
#: Deepest nesting of lists and objects ``from_data`` accepts.
MAX_DEPTH = 64
#: Key that names the class of a member of a union of attrs classes.
TYPE_TAG = "@type"

T = TypeVar("T")

_ALLOWED_DTYPES = frozenset(
    {
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float32",
        "float64",
    }
)
_NONFINITE_TEXT = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>\d{1,9})D)?"
    r"(?:T(?P<seconds>\d{1,12})(?:\.(?P<fraction>\d{1,6}))?S)?"
)
_ENVELOPE_KEYS = frozenset({"schema_version", "type", "data"})
# The text of a finite decimal: what ``str(Decimal)`` writes, plus the usual
# hand-written forms. Bounded, so a hostile "1e999999999" or a megabyte of
# digits is refused before ``Decimal`` sees it.
_DECIMAL = re.compile(
    r"[+-]?(?:\d{1,100}(?:\.\d{0,100})?|\.\d{1,100})(?:[eE][+-]?\d{1,4})?"
)


class _Fail(Exception):  # noqa: N818  internal signal, never escapes this module
    """A leaf problem found by one of our hooks, with a path below that point."""

    def __init__(self, problem: str, subpath: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.subpath = subpath


def type_name(cls: type) -> str:
    """Return the stable name a class is tagged with in plain data.

    It is the class's ``__name__``: renaming a serialised class is a schema
    change.

    Examples
    --------
    >>> from crisisops.serialization import to_data, type_name
    >>> from crisisops.taxonomy import CrisisType, default_catalog
    >>> type_name(CrisisType)
    'CrisisType'
    >>> to_data(default_catalog()["supply_chain.inventory"])["type"]
    'CrisisType'
    """
    return cls.__name__


# --- primitives ---------------------------------------------------------------


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _Fail(f"expected a string, got {_describe(value)}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _Fail(f"expected true or false, got {_describe(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Fail(f"expected an integer, got {_describe(value)}")
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, str) and value in _NONFINITE_TEXT:
        return _NONFINITE_TEXT[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Fail(f"expected a number, got {_describe(value)}")
    try:
        return float(value)
    except OverflowError:
        raise _Fail(f"{value} is too large for a float") from None


def _unstructure_float(value: float) -> float | str:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def _structure_decimal(value: object, _: type) -> decimal.Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**100:
            raise _Fail(f"integer {_describe(value)} has more than 100 digits")
        return decimal.Decimal(value)
    if not isinstance(value, str):
        raise _Fail(
            f"expected a decimal number as a string (e.g. '12.50') or an integer, "
            f"got {_describe(value)}"
        )
    if _DECIMAL.fullmatch(value) is None:
        raise _Fail(
            f"not a finite decimal number: {_describe(value)} "
            "(expected e.g. '12.50', '-3' or '1.5E+3')"
        )
    return decimal.Decimal(value)


def _unstructure_decimal(value: decimal.Decimal) -> str:
    text = str(value)
    if not value.is_finite():
        raise _Fail(f"decimal {text} is not finite and cannot be serialised")
    if _DECIMAL.fullmatch(text) is None:
        # Written only what reads back: at most 100 digits, a 4-digit exponent.
        raise _Fail(f"decimal {_describe(text)} is too long or too large to serialise")
    return text


def _structure_datetime(value: object, _: type) -> dt.datetime:
    if not isinstance(value, str):
        raise _Fail(f"expected an ISO 8601 datetime string, got {_describe(value)}")
    try:
        parsed = isoparse(value)
    except (ValueError, OverflowError):
        raise _Fail(f"not an ISO 8601 datetime: {_describe(value)}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise _Fail(
            f"datetime {_describe(value)} has no UTC offset; "
            "write it with one, e.g. '2026-11-11T00:00:00+08:00'"
        )
    return parsed


def _unstructure_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise _Fail(f"naive datetime {value!r} cannot be serialised")
    return value.isoformat()


def _structure_date(value: object, _: type) -> dt.date:
    if not isinstance(value, str):
        raise _Fail(f"expected an ISO 8601 date string, got {_describe(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Fail(f"not an ISO 8601 date (YYYY-MM-DD): {_describe(value)}") from None


def _unstructure_timedelta(value: dt.timedelta) -> str:
    sign = "-" if value < dt.timedelta(0) else ""
    magnitude = -value if sign else value
    text = f"{sign}P"
    if magnitude.days:
        text += f"{magnitude.days}D"
    if magnitude.seconds or magnitude.microseconds or not magnitude.days:
        text += f"T{magnitude.seconds}"
        if magnitude.microseconds:
            text += f".{magnitude.microseconds:06d}"
        text += "S"
    return text


def _structure_timedelta(value: object, _: type) -> dt.timedelta:
    if not isinstance(value, str):
        raise _Fail(f"expected an ISO 8601 duration string, got {_describe(value)}")
    match = _DURATION.fullmatch(value)
    if match is None or (match["days"] is None and match["seconds"] is None):
        raise _Fail(
            f"not a duration of the form 'P<days>DT<seconds>S': {_describe(value)}"
        )
    fraction = (match["fraction"] or "").ljust(6, "0")
    try:
        delta = dt.timedelta(
            days=int(match["days"] or 0),
            seconds=int(match["seconds"] or 0),
            microseconds=int(fraction or 0),
        )
    except OverflowError:
        raise _Fail(f"duration out of range: {_describe(value)}") from None
    return -delta if match["sign"] else delta


# --- numpy arrays -------------------------------------------------------------


def _is_ndarray(tp: Any) -> bool:  # noqa: ANN401  any type hint
    return tp is np.ndarray or get_origin(tp) is np.ndarray


def _unstructure_array(value: np.ndarray[Any, Any]) -> dict[str, Any]:
    array = np.asarray(value)
    dtype = array.dtype.name
    if dtype not in _ALLOWED_DTYPES:
        raise _Fail(f"arrays of dtype {dtype!r} cannot be serialised")
    flat = array.reshape(-1)
    if array.dtype.kind == "f" and not np.isfinite(flat).all():
        # Non-finite values become the strings "NaN", "Infinity", "-Infinity";
        # done on an object array, without a Python loop over the values.
        boxed = flat.astype(object)
        boxed[np.isnan(flat)] = "NaN"
        boxed[np.isposinf(flat)] = "Infinity"
        boxed[np.isneginf(flat)] = "-Infinity"
        data = boxed.tolist()
    else:
        data = flat.tolist()
    return {"dtype": dtype, "shape": list(array.shape), "data": data}


def _structure_array(value: object, _: type) -> np.ndarray[Any, Any]:
    if not isinstance(value, dict):
        raise _Fail("expected an object with 'dtype', 'shape' and 'data'")
    extra = set(value) - {"dtype", "shape", "data"}
    missing = {"dtype", "shape", "data"} - set(value)
    if extra or missing:
        raise _Fail(
            f"an array needs exactly 'dtype', 'shape' and 'data' "
            f"(missing {sorted(missing)}, unexpected {sorted(extra)})"
        )
    dtype, shape, data = value["dtype"], value["shape"], value["data"]
    if not isinstance(dtype, str) or dtype not in _ALLOWED_DTYPES:
        raise _Fail(
            f"dtype must be one of {sorted(_ALLOWED_DTYPES)}, got {_describe(dtype)}",
            ".dtype",
        )
    if not isinstance(shape, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise _Fail("shape must be a list of non-negative integers", ".shape")
    if not isinstance(data, list):
        raise _Fail("data must be a flat list of numbers", ".data")
    size = math.prod(shape)
    if size != len(data):
        raise _Fail(
            f"shape {shape} holds {size} values but data has {len(data)}", ".data"
        )
    return _array_from_list(data, np.dtype(dtype)).reshape(shape)


def _array_from_list(data: list[Any], dtype: np.dtype[Any]) -> np.ndarray[Any, Any]:
    """Build a read-only array, checking element types without a Python loop.

    ``map`` over builtins runs in C: ``map(type, data)`` checks the element
    types and ``map(dict.get, data, data)`` swaps the spelled-out non-finite
    floats for their values. Only the error paths look at single elements.
    """
    kind_set = set(map(type, data))
    allowed: set[type] = {bool} if dtype.kind == "b" else {int}
    if dtype.kind == "f":
        allowed = {int, float, str}
    if not kind_set <= allowed:
        index = next(i for i, v in enumerate(data) if type(v) not in allowed)
        raise _Fail(
            f"expected a {dtype.name} value, got {_describe(data[index])}",
            f".data[{index}]",
        )
    values: list[Any] = data
    if str in kind_set:
        values = list(map(_NONFINITE_TEXT.get, data, data))
        if str in set(map(type, values)):
            index = next(i for i, v in enumerate(values) if isinstance(v, str))
            raise _Fail(
                f"expected a number or 'NaN'/'Infinity'/'-Infinity', "
                f"got {_describe(data[index])}",
                f".data[{index}]",
            )
    try:
        result = np.array(values, dtype=dtype)
    except OverflowError:
        raise _Fail(f"a value does not fit in {dtype.name}", ".data") from None
    result.setflags(write=False)
    return result


# --- containers ---------------------------------------------------------------


def _is_union(tp: Any) -> bool:  # noqa: ANN401  any type hint
    origin = get_origin(tp)
    return origin is typing.Union or (
        sys.version_info >= (3, 10) and origin is types.UnionType
    )


def _is_attrs_union(tp: Any) -> bool:  # noqa: ANN401  any type hint
    """Tell whether a union has attrs members that need a tag (not ``X | None``)."""
    if not _is_union(tp):
        return False
    members = [m for m in get_args(tp) if m is not type(None)]
    classes = [m for m in members if _is_attrs_class(m)]
    plain = [m for m in members if not _is_attrs_class(m)]
    return bool(classes) and len(members) >= 2 and all(p in _PLAIN for p in plain)


# Plain members a tagged union may also have (e.g. ``float | Calibrated``).
_PLAIN = (float, int, str, bool)


def _is_attrs_class(tp: Any) -> bool:  # noqa: ANN401  any type hint
    origin = get_origin(tp)
    cls = origin if isinstance(origin, type) else tp
    return isinstance(cls, type) and attrs.has(cls)


def _is_frozendict(tp: Any) -> bool:  # noqa: ANN401  any type hint
    return tp is FrozenDict or get_origin(tp) is FrozenDict


def _is_tuple(tp: Any) -> bool:  # noqa: ANN401  any type hint
    return tp is tuple or get_origin(tp) is tuple


def _is_frozenset(tp: Any) -> bool:  # noqa: ANN401  any type hint
    return tp is frozenset or get_origin(tp) is frozenset


def _is_list(tp: Any) -> bool:  # noqa: ANN401  any type hint
    return tp is list or get_origin(tp) is list


def _add_note(exc: Exception, note: str) -> None:
    """Attach a note (``add_note`` is Python 3.11+; cattrs reads ``__notes__``)."""
    notes = [*getattr(exc, "__notes__", []), note]
    exc.__notes__ = notes  # type: ignore[attr-defined]


def _structure_items(
    converter: cattrs.Converter,
    items: list[Any],
    item_types: list[Any],
    cl: Any,  # noqa: ANN401
) -> list[Any]:
    """Structure list items, collecting failures with their index for the path."""
    result: list[Any] = []
    failures: list[Exception] = []
    for index, (item, item_type) in enumerate(zip(items, item_types, strict=True)):
        try:
            result.append(converter.structure(item, item_type))
        except Exception as exc:  # noqa: BLE001, PERF203  reported with its path
            _add_note(exc, IterableValidationNote(f"item {index}", index, item_type))
            failures.append(exc)
    if failures:
        raise IterableValidationError("invalid items", failures, cl)
    return result


def _make_tuple_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:  # noqa: ANN401
        args = get_args(tp)
        # ``list[X]`` and ``tuple[X, ...]`` hold any number of X; a
        # ``tuple[X, Y]`` holds exactly one X then one Y.
        homogeneous = (
            _is_list(tp) or not args or (len(args) == 2 and args[1] is Ellipsis)
        )
        item_type = args[0] if args else Any
        as_list = _is_list(tp)

        def structure(value: object, _: Any) -> tuple[Any, ...] | list[Any]:  # noqa: ANN401
            if not isinstance(value, (list, tuple)):
                raise _Fail(f"expected a list, got {_describe(value)}")
            if homogeneous:
                types_ = [item_type] * len(value)
            else:
                if len(value) != len(args):
                    raise _Fail(f"expected a list of {len(args)} items")
                types_ = list(args)
            items = _structure_items(converter, list(value), types_, tp)
            return items if as_list else tuple(items)

        return structure

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:  # noqa: ANN401
        args = get_args(tp)
        # ``list[X]`` and ``tuple[X, ...]`` hold any number of X; a
        # ``tuple[X, Y]`` holds exactly one X then one Y.
        homogeneous = (
            _is_list(tp) or not args or (len(args) == 2 and args[1] is Ellipsis)
        )

        def unstructure(value: tuple[Any, ...]) -> list[Any]:
            if homogeneous:
                item_type = args[0] if args else None
                if item_type is None:
                    return [converter.unstructure(v) for v in value]
                return [
                    converter.unstructure(v, unstructure_as=item_type) for v in value
                ]
            return [
                converter.unstructure(v, unstructure_as=a)
                for v, a in zip(value, args, strict=True)
            ]

        return unstructure

    return structure_factory, unstructure_factory


def _sort_key(item: Any) -> str:  # noqa: ANN401
    return repr(item)


def _make_frozenset_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:  # noqa: ANN401
        args = get_args(tp)
        item_type = args[0] if args else Any

        def structure(value: object, _: Any) -> frozenset[Any]:  # noqa: ANN401
            if not isinstance(value, list):
                raise _Fail(f"expected a list, got {_describe(value)}")
            items = _structure_items(converter, value, [item_type] * len(value), tp)
            return frozenset(items)

        return structure

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:  # noqa: ANN401
        args = get_args(tp)
        item_type = args[0] if args else None

        def unstructure(value: frozenset[Any]) -> list[Any]:
            items = [converter.unstructure(v, unstructure_as=item_type) for v in value]
            return sorted(items, key=_sort_key)

        return unstructure

    return structure_factory, unstructure_factory


def _string_keyed(key_type: Any) -> bool:  # noqa: ANN401
    if key_type is str:
        return True
    return (
        isinstance(key_type, type)
        and issubclass(key_type, enum.Enum)
        and all(isinstance(m.value, str) for m in key_type)
    )


def _make_frozendict_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:  # noqa: ANN401
        args = get_args(tp)
        key_type, value_type = args if len(args) == 2 else (Any, Any)
        as_object = _string_keyed(key_type)

        def structure(value: object, _: Any) -> FrozenDict[Any, Any]:  # noqa: ANN401
            if as_object:
                if not isinstance(value, dict):
                    raise _Fail(f"expected an object, got {_describe(value)}")
                pairs = list(value.items())
            else:
                if not isinstance(value, list) or not all(
                    isinstance(p, list) and len(p) == 2 for p in value
                ):
                    raise _Fail("expected a list of [key, value] pairs")
                pairs = [(p[0], p[1]) for p in value]
            result: dict[Any, Any] = {}
            failures: list[Exception] = []
            for position, (raw_key, raw_value) in enumerate(pairs):
                where: int | str = raw_key if as_object else position
                try:
                    key = converter.structure(raw_key, key_type)
                    result[key] = converter.structure(raw_value, value_type)
                except Exception as exc:  # noqa: BLE001  reported with its path
                    note = IterableValidationNote(f"key {where!r}", where, value_type)
                    _add_note(exc, note)
                    failures.append(exc)
            if failures:
                raise IterableValidationError("invalid mapping items", failures, tp)
            if len(result) != len(pairs):
                raise _Fail("duplicate keys after conversion")
            return FrozenDict(result)

        return structure

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:  # noqa: ANN401
        args = get_args(tp)
        key_type, value_type = args if len(args) == 2 else (None, None)
        as_object = key_type is None or _string_keyed(key_type)

        def unstructure(value: Mapping[Any, Any]) -> Any:  # noqa: ANN401
            if as_object and all(isinstance(k, (str, enum.Enum)) for k in value):
                return {
                    (k.value if isinstance(k, enum.Enum) else k): converter.unstructure(
                        v, unstructure_as=value_type
                    )
                    for k, v in value.items()
                }
            return [
                [
                    converter.unstructure(k, unstructure_as=key_type),
                    converter.unstructure(v, unstructure_as=value_type),
                ]
                for k, v in value.items()
            ]

        return unstructure

    return structure_factory, unstructure_factory


# --- attrs classes and tagged unions ------------------------------------------


def _make_attrs_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:  # noqa: ANN401
        generated = make_dict_structure_fn(
            tp,
            converter,
            _cattrs_forbid_extra_keys=True,
            _cattrs_detailed_validation=True,
        )
        cls = get_origin(tp) or tp
        names = [a.alias for a in attrs.fields(cls) if a.init]

        def structure(value: object, _: Any) -> Any:  # noqa: ANN401
            if not isinstance(value, dict):
                raise _Fail(
                    f"expected an object with fields {names}, got {_describe(value)}"
                )
            try:
                return generated(value, tp)
            except (ClassValidationError, IterableValidationError, _Fail):
                raise
            except CrisisOpsError as exc:
                # A validator in the class's __init__ refused a value.
                field = getattr(exc, "field", None)
                subpath = f".{field}" if isinstance(field, str) and field else ""
                raise _Fail(str(exc), subpath) from None
            except (ValueError, TypeError) as exc:
                raise _Fail(f"{type(exc).__name__}: {exc}") from None

        return structure

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:  # noqa: ANN401
        fn: Callable[[Any], Any] = make_dict_unstructure_fn(tp, converter)
        return fn

    return structure_factory, unstructure_factory


def _structure_plain(
    converter: cattrs.Converter,
    value: object,
    plain: list[Any],
    members: dict[str, Any],
) -> Any:  # noqa: ANN401  any plain member
    """Structure the untagged, plain member of a tagged union."""
    for member in plain:
        try:
            return converter.structure(value, member)
        except _Fail:  # noqa: PERF203  try the next plain member
            continue
    names = [p.__name__ for p in plain]
    raise _Fail(
        f"expected one of {names} or an object tagged with "
        f"{TYPE_TAG!r} ({sorted(members)}), got {_describe(value)}"
    )


def _union_members(tp: Any) -> tuple[dict[str, Any], bool]:  # noqa: ANN401
    """Return the union's attrs members by type name, and whether None is allowed."""
    members: dict[str, Any] = {}
    allows_none = False
    for member in get_args(tp):
        if member is type(None):
            allows_none = True
            continue
        if not _is_attrs_class(member):
            continue  # plain members are handled by value, untagged
        name = type_name(get_origin(member) or member)
        if name in members:
            msg = f"two members of {tp!r} share the type name {name!r}"
            raise TypeError(msg)
        members[name] = member
    return members, allows_none


def _make_union_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:  # noqa: ANN401
        members, allows_none = _union_members(tp)
        plain = [m for m in get_args(tp) if m in _PLAIN]

        def structure(value: object, _: Any) -> Any:  # noqa: ANN401
            if value is None and allows_none:
                return None
            if not isinstance(value, dict) and plain:
                return _structure_plain(converter, value, plain, members)
            if not isinstance(value, dict) or TYPE_TAG not in value:
                raise _Fail(
                    f"expected an object tagged with {TYPE_TAG!r}, one of "
                    f"{sorted(members)}"
                )
            tag = value[TYPE_TAG]
            if not isinstance(tag, str) or tag not in members:
                raise _Fail(
                    f"unknown type {_describe(tag)}; expected one of {sorted(members)}",
                    f".{TYPE_TAG}",
                )
            body = {k: v for k, v in value.items() if k != TYPE_TAG}
            return converter.structure(body, members[tag])

        return structure

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:  # noqa: ANN401
        members, _ = _union_members(tp)
        by_class = {get_origin(m) or m: m for m in members.values()}

        def unstructure(value: Any) -> Any:  # noqa: ANN401
            if value is None:
                return None
            member = by_class.get(type(value))
            if member is None:
                if isinstance(value, _PLAIN) and not attrs.has(type(value)):
                    return converter.unstructure(value, unstructure_as=type(value))
                raise _Fail(f"{type(value).__name__} is not a member of {tp!r}")
            body = converter.unstructure(value, unstructure_as=member)
            return {TYPE_TAG: type_name(type(value)), **body}

        return unstructure

    return structure_factory, unstructure_factory


# --- the converter ------------------------------------------------------------


def _build_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_unstructure_hook(float, _unstructure_float)
    converter.register_unstructure_hook(int, int)
    converter.register_unstructure_hook(bool, bool)
    converter.register_structure_hook(decimal.Decimal, _structure_decimal)
    converter.register_unstructure_hook(decimal.Decimal, _unstructure_decimal)
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    converter.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.timedelta, _structure_timedelta)
    converter.register_unstructure_hook(dt.timedelta, _unstructure_timedelta)
    converter.register_structure_hook_func(_is_ndarray, _structure_array)
    converter.register_unstructure_hook_func(_is_ndarray, _unstructure_array)

    pairs = (
        (_is_tuple, _make_tuple_hooks(converter)),
        (_is_list, _make_tuple_hooks(converter)),
        (_is_frozenset, _make_frozenset_hooks(converter)),
        (_is_frozendict, _make_frozendict_hooks(converter)),
        (_is_attrs_union, _make_union_hooks(converter)),
        (_is_attrs_class, _make_attrs_hooks(converter)),
    )
    for predicate, (structure_factory, unstructure_factory) in pairs:
        converter.register_structure_hook_factory(predicate, structure_factory)
        converter.register_unstructure_hook_factory(predicate, unstructure_factory)
    return converter


_CONVERTER = _build_converter()


# --- input screening and error reporting --------------------------------------


_SCALAR_TYPES = frozenset({str, bool, int, float, type(None)})


def _screen(data: object) -> None:
    """Reject anything that is not plain JSON-like data, or nested too deeply.

    Lists of scalars (the bulk of a data panel) are checked in one C-speed
    pass over their element types; only containers are walked one by one.
    """
    stack: list[tuple[object, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            shown = path if len(path) <= 80 else path[:77] + "..."
            raise SerializationError(shown, f"nesting deeper than {MAX_DEPTH} levels")
        if type(value) in _SCALAR_TYPES:
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise SerializationError(
                        path, f"object keys must be strings, got {_describe(key)}"
                    )
                stack.append((item, f"{path}.{key}", depth + 1))
            continue
        if isinstance(value, list):
            if set(map(type, value)) <= _SCALAR_TYPES:
                continue
            stack.extend(
                (item, f"{path}[{index}]", depth + 1)
                for index, item in enumerate(value)
            )
            continue
        raise SerializationError(
            path,
            f"{type(value).__name__} is not plain JSON data "
            "(expected dict, list, str, int, float, bool or None)",
        )


def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Flatten a (possibly nested) structuring failure into (path, problem) pairs."""
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        found: list[tuple[str, str]] = []
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", []):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if isinstance(name, str):
                    sub_path = f"{path}.{name}"
                    break
                if isinstance(index, int):
                    sub_path = f"{path}[{index}]"
                    break
                if isinstance(index, str):
                    sub_path = f"{path}.{index}"
                    break
            found.extend(_problems(sub, sub_path))
        return found
    if isinstance(exc, _Fail):
        return [(path + exc.subpath, exc.problem)]
    if isinstance(exc, CrisisOpsError):
        # A validator in a class's __init__ refused a value it was given.
        field = getattr(exc, "field", None)
        subpath = f".{field}" if isinstance(field, str) and field else ""
        return [(path + subpath, str(exc))]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [(path, f"unexpected field(s) {sorted(exc.extra_fields)}")]
    if isinstance(exc, KeyError):
        return [(path, "required field missing")]
    return [(path, f"{type(exc).__name__}: {exc}")]


def _raise_from(exc: BaseException, root: str) -> typing.NoReturn:
    problems = _problems(exc, root) or [(root, str(exc))]
    path, problem = problems[0]
    if len(problems) > 1:
        problem += f" (and {len(problems) - 1} more problem(s))"
    raise SerializationError(path, problem, problems) from None


# --- public API ---------------------------------------------------------------


def _check_document_class(cls: object) -> type:
    if not isinstance(cls, type) or not (attrs.has(cls) or issubclass(cls, enum.Enum)):
        raise SerializationError(
            "$", f"{cls!r} is not a crisisops value class (an attrs class or enum)"
        )
    return cls


def to_data(obj: object) -> dict[str, Any]:
    """Convert a crisisops value to a plain, JSON-compatible document.

    Parameters
    ----------
    obj
        An instance of an attrs value class (e.g. a `
        CrisisType`) or an enum member.

    Returns
    -------
    dict
        ``{"schema_version": SCHEMA_VERSION, "type": <class name>, "data": ...}``;
        ``json.dumps(document, allow_nan=False)`` always succeeds.

    Raises
    ------
    SerializationError
        If ``obj`` is not a value class instance or holds something that has no
        plain-data form (a naive datetime, an object array).
    """
    cls = _check_document_class(type(obj))
    try:
        payload = _CONVERTER.unstructure(obj, unstructure_as=cls)
    except (_Fail, ClassValidationError, IterableValidationError) as exc:
        _raise_from(exc, "$.data")
    return {"schema_version": SCHEMA_VERSION, "type": type_name(cls), "data": payload}


def from_data(cls: type[T], data: object) -> T:
    """Rebuild a crisisops value from a document made by `to_data()`.

    Parameters
    ----------
    cls
        The expected value class, e.g. `CrisisType`.
        The document's ``type`` must name it.
    data
        The plain document, e.g. the result of ``json.loads``.

    Raises
    ------
    SerializationError
        For anything wrong with the document: not plain data, too deeply
        nested, another type or a newer ``schema_version``, a missing or
        unexpected field, a value of the wrong type, or a value the class's
        validators reject. The error's ``path`` (e.g. ``$.data.labels.en``)
        says where; ``problems`` lists every problem found.
    """
    target = _check_document_class(cls)
    _screen(data)
    if not isinstance(data, dict):
        raise SerializationError("$", "expected a document object")
    missing = _ENVELOPE_KEYS - set(data)
    extra = set(data) - _ENVELOPE_KEYS
    if missing or extra:
        raise SerializationError(
            "$",
            "a document has exactly 'schema_version', 'type' and 'data' "
            f"(missing {sorted(missing)}, unexpected {sorted(extra)})",
        )
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise SerializationError("$.schema_version", "expected an integer")
    if version != SCHEMA_VERSION:
        raise SerializationError(
            "$.schema_version",
            f"schema version {version} is not supported "
            f"(this crisisops reads version {SCHEMA_VERSION})",
        )
    expected_name = type_name(target)
    if data["type"] != expected_name:
        raise SerializationError(
            "$.type", f"expected a {expected_name!r} document, got {data['type']!r}"
        )
    try:
        result: T = _CONVERTER.structure(data["data"], target)
    except RecursionError:
        raise SerializationError("$.data", "structure too deeply nested") from None
    except Exception as exc:  # noqa: BLE001  every failure becomes SerializationError
        _raise_from(exc, "$.data")
    return result
