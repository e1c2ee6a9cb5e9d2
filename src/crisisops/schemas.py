"""JSON Schemas of the plain-data documents, for tools written in other languages.

`crisisops.serialization.to_data` turns every value into a plain JSON document
(DESIGN.md principle 4, "plain data at the edges"). A user interface in
TypeScript, a backend in Go or a data pipeline in Java cannot import crisisops
to check such a document; it can check it against a JSON Schema (draft 2020-12,
https://json-schema.org). This module generates those schemas from the classes
themselves — their attrs fields and type annotations — following, type by type,
the rules `crisisops.serialization` writes by:

* the envelope ``{"schema_version": 1, "type": "Crisis", "data": {...}}``;
* an attrs class is an object of its fields, every field present (``to_data``
  writes them all), no other field allowed (``additionalProperties: false``,
  as ``from_data`` refuses unknown fields); each class is one entry of
  ``$defs`` with its title, summary and field descriptions taken from its
  docstring;
* a member of a union of attrs classes carries ``"@type": "ClassName"`` and the
  union is a ``oneOf``; ``X | None`` also admits ``null``;
* enums are an ``enum`` of their values; datetimes are RFC 3339 strings with an
  offset (``format: date-time``); dates ``YYYY-MM-DD``; durations the ISO 8601
  days-and-seconds text (``"P1DT3600.5S"``); `decimal.Decimal` amounts their
  exact text (``"12.50"``); floats a number or one of
  ``"NaN"``, ``"Infinity"``, ``"-Infinity"``;
* tuples and lists are arrays, frozensets arrays of unique items;
  `crisisops.frozen.FrozenDict` an object when its keys are text (or a
  text-valued enum), else an array of ``[key, value]`` pairs;
* a numpy array is ``{"dtype": "float64", "shape": [...], "data": [...]}``.

What a schema promises: every document ``to_data`` writes validates, and every
document that validates has the shape ``from_data`` reads (which also reads a
few lenient spellings the schema leaves out, such as an integer amount or an
offset written ``+0800``). What it leaves to
``from_data``: the checks a class makes on values (ranges, key formats, an
array's ``shape`` matching its ``data``, a crisis's events following its
lifecycle).

`DOCUMENTS` names the top-level documents UI tools exchange; the repository
commits their schemas as ``schemas/<name>.schema.json`` (written by
``scripts/write_schemas.py``, checked by the tests to be current).

Examples
--------
>>> from crisisops.schemas import JSON_SCHEMA_DIALECT, document_schema, json_schema
>>> schema = document_schema("risk_register")
>>> schema["$schema"] == JSON_SCHEMA_DIALECT
True
>>> JSON_SCHEMA_DIALECT
'https://json-schema.org/draft/2020-12/schema'
>>> schema["properties"]["type"], schema["properties"]["data"]
({'const': 'RiskRegister'}, {'$ref': '#/$defs/RiskRegister'})
>>> schema["$defs"]["RiskStatus"]["enum"][:3]
['identified', 'assessed', 'treated']
>>> from crisisops.labels import Labels
>>> json_schema(Labels)["$defs"]["Labels"]["required"]
['en', 'zh_hant', 'zh_hans']
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import inspect
import math
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
import numpy as np

from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.monitoring import ThresholdSet, TriggerRule
from crisisops.response import Crisis
from crisisops.review import Review
from crisisops.risk import RiskRegister
from crisisops.scenarios import DrillReport

# The schema follows serialization's own dispatch, so it uses serialization's
# own predicates and limits rather than copies of them that could drift.
from crisisops.serialization import (
    _ALLOWED_DTYPES,
    _DECIMAL,
    _PLAIN,
    SCHEMA_VERSION,
    TYPE_TAG,
    _is_attrs_union,
    _is_ndarray,
    _is_union,
    _string_keyed,
    type_name,
)
from crisisops.stakeholders import CommunicationPlan

__all__ = [
    "DOCUMENTS",
    "JSON_SCHEMA_DIALECT",
    "document_schema",
    "document_schemas",
    "json_schema",
]

#: The JSON Schema dialect every schema declares (``$schema``).
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The top-level documents UI tools exchange, by the name of their schema file
#: (``schemas/<name>.schema.json``).
DOCUMENTS: FrozenDict[str, type] = FrozenDict(
    {
        "crisis": Crisis,
        "risk_register": RiskRegister,
        "trigger_rule": TriggerRule,
        "threshold_set": ThresholdSet,
        "review": Review,
        "communication_plan": CommunicationPlan,
        "drill_report": DrillReport,
    }
)

Schema = dict[str, Any]

_SUPPORTED = (
    "a type crisisops serialises: str, int, float, bool, None, Decimal, "
    "datetime, date, timedelta, an enum, a Literal, tuple[...], list[...], "
    "frozenset[...], FrozenDict[..., ...], a numpy array, an attrs class, "
    "X | None, or a union of attrs classes"
)
_NONFINITE = ["NaN", "Infinity", "-Infinity"]
# RFC 3339 date-time with an offset, which ``from_data`` requires; what
# ``datetime.isoformat`` writes and what JavaScript's ``toISOString`` writes.
_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
# serialization's duration grammar without its named groups (not ECMA-262):
# days, seconds or both, an optional sign and up to six decimals of a second.
_SECONDS = r"T\d{1,12}(?:\.\d{1,6})?S"
_DURATION = rf"^-?P(?:\d{{1,9}}D(?:{_SECONDS})?|{_SECONDS})$"
_SECTION_RULE = re.compile(r"-{3,}")

_Form = Literal["plain", "tagged", "enum"]
_DefKey = tuple[Any, _Form]


def _one_line(words: Iterable[str]) -> str:
    """Join docstring text into one line, code in single backticks (Markdown)."""
    return " ".join(" ".join(words).split()).replace("``", "`")


def _summary(cls: type) -> str | None:
    """Return the first paragraph of the class's own docstring, on one line."""
    doc = cls.__dict__.get("__doc__")
    if not isinstance(doc, str) or not doc.strip():
        return None
    return _one_line(inspect.cleandoc(doc).split("\n\n", 1)[:1])


def _attribute_docs(cls: type) -> dict[str, str]:
    """Return the NumPy ``Attributes`` section of the class's docstring by field.

    Each entry is the field's name on its own line, then its description
    indented below it; the description comes back on one line.
    """
    doc = cls.__dict__.get("__doc__")
    if not isinstance(doc, str):
        return {}
    lines = inspect.cleandoc(doc).splitlines()
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    inside = False
    for index, line in enumerate(lines):
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if _SECTION_RULE.fullmatch(next_line.strip()):
            inside = line.strip() == "Attributes"
            current = None
            continue
        if not inside or _SECTION_RULE.fullmatch(line.strip()) or not line.strip():
            continue
        if line[0].isspace():
            if current is not None:
                current.append(line.strip())
            continue
        names = line.split(":", 1)[0]
        current = []
        for name in names.split(","):
            found.setdefault(name.strip(), current)
    return {name: _one_line(words) for name, words in found.items() if words}


def _field_description(cls: type, name: str) -> str | None:
    """Return a field's description, looked up along the class's bases."""
    public = name.lstrip("_")
    for base in cls.__mro__:
        docs = _attribute_docs(base)
        for candidate in (name, public):
            if candidate in docs:
                return docs[candidate]
    return None


def _typevar_map(tp: Any) -> dict[Any, Any]:  # noqa: ANN401  any type hint
    """Map the type variables of a generic attrs class to their arguments.

    Covers a parametrised annotation (``Catalog[Role]``) and a subclass that
    fixes them (``class RoleCatalog(Catalog[Role])``), through every base.
    """
    mapping: dict[Any, Any] = {}
    origin = get_origin(tp)
    cls = origin if isinstance(origin, type) else tp
    if origin is not None:
        parameters = getattr(origin, "__parameters__", ())
        mapping.update(zip(parameters, get_args(tp), strict=False))
    # Most derived first: a subclass fixes the variables its bases are written in.
    for klass in cls.__mro__:
        for base in klass.__dict__.get("__orig_bases__", ()):
            base_origin = get_origin(base)
            parameters = getattr(base_origin, "__parameters__", ())
            arguments = [_substitute(a, mapping) for a in get_args(base)]
            for parameter, argument in zip(parameters, arguments, strict=False):
                mapping.setdefault(parameter, argument)
    return mapping


def _substitute(tp: Any, mapping: Mapping[Any, Any]) -> Any:  # noqa: ANN401
    """Replace the type variables in ``tp`` by their values in ``mapping``."""
    if isinstance(tp, TypeVar):
        return mapping.get(tp, tp)
    args = get_args(tp)
    if not args or not mapping or get_origin(tp) is Literal:
        return tp
    new = tuple(_substitute(arg, mapping) for arg in args)
    if new == args:
        return tp
    if _is_union(tp):
        return typing.Union[new]  # noqa: UP007  rebuilding a union from its members
    origin = get_origin(tp)
    return origin[new] if len(new) > 1 else origin[new[0]]


def _check_json_scalar(value: object, where: str, what: str) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float) and math.isfinite(value):
        return
    raise ValidationError(
        where, value, f"{what} that is plain JSON (text, a number, true/false, null)"
    )


def _float_schema() -> Schema:
    return {"anyOf": [{"type": "number"}, {"enum": list(_NONFINITE)}]}


def _array_variant(dtype: str) -> Schema:
    """Return the schema of an encoded array of one dtype."""
    kind = np.dtype(dtype).kind
    item: Schema
    if kind == "f":
        item = _float_schema()
    elif kind == "b":
        item = {"type": "boolean"}
    else:
        info = np.iinfo(np.dtype(dtype))
        item = {"type": "integer", "minimum": int(info.min), "maximum": int(info.max)}
    return {
        "type": "object",
        "description": (
            f"A numpy array of {dtype}: its shape and its values flat, in C order."
        ),
        "properties": {
            "dtype": {"const": dtype},
            "shape": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "data": {"type": "array", "items": item},
        },
        "required": ["dtype", "shape", "data"],
        "additionalProperties": False,
    }


def _array_schema(tp: Any, where: str) -> Schema:  # noqa: ANN401  any type hint
    """Return the schema of ``ndarray[shape, dtype[scalar]]`` as serialised."""
    args = get_args(tp)
    scalar: Any = Any
    if len(args) == 2:
        dtype_args = get_args(args[1])
        scalar = dtype_args[0] if dtype_args else Any
    if scalar is Any:
        allowed = sorted(_ALLOWED_DTYPES)
    elif isinstance(scalar, type) and issubclass(scalar, np.generic):
        allowed = sorted(
            name for name in _ALLOWED_DTYPES if issubclass(np.dtype(name).type, scalar)
        )
    else:
        allowed = []
    if not allowed:
        raise ValidationError(
            where, tp, f"a numpy array of one of the dtypes {sorted(_ALLOWED_DTYPES)}"
        )
    if len(allowed) == 1:
        return _array_variant(allowed[0])
    return {"oneOf": [_array_variant(name) for name in allowed]}


class _Builder:
    """Builds one schema: the envelope and the ``$defs`` it refers to.

    Definitions are first keyed by (type, form) with a provisional reference;
    `finish` names them (the class name, qualified by its module only when two
    classes share it) and rewrites the references.
    """

    def __init__(self) -> None:
        self.defs: dict[_DefKey, Schema] = {}
        self.refs: dict[_DefKey, str] = {}

    def ref(self, key: _DefKey) -> Schema:
        if key not in self.refs:
            self.refs[key] = f"\x00{len(self.refs)}"
        return {"$ref": self.refs[key]}

    # --- types ----------------------------------------------------------------

    def schema(self, tp: Any, where: str) -> Schema:  # noqa: ANN401, C901, PLR0911, PLR0912
        """Return the schema of a value annotated ``tp`` (``where`` names it)."""
        if isinstance(tp, TypeVar):
            raise ValidationError(where, tp, f"{_SUPPORTED}; not a free type variable")
        if tp is None or tp is type(None):
            return {"type": "null"}
        if _is_union(tp):
            return self.union(tp, where)
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return _float_schema()
        if tp is str:
            return {"type": "string"}
        if tp is decimal.Decimal:
            return {"type": "string", "pattern": f"^(?:{_DECIMAL.pattern})$"}
        if tp is dt.datetime:
            return {"type": "string", "format": "date-time", "pattern": _DATETIME}
        if tp is dt.date:
            return {"type": "string", "format": "date", "pattern": _DATE}
        if tp is dt.timedelta:
            return {"type": "string", "pattern": _DURATION}
        if _is_ndarray(tp):
            return _array_schema(tp, where)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self.enum(tp, where)
        origin = get_origin(tp)
        if origin is Literal:
            values = list(get_args(tp))
            for value in values:
                _check_json_scalar(value, where, "a Literal value")
            return {"enum": values}
        if origin in (tuple, list, frozenset):
            return self.sequence(tp, where)
        if origin is FrozenDict:
            return self.mapping(tp, where)
        cls = origin if isinstance(origin, type) else tp
        if isinstance(cls, type) and attrs.has(cls):
            return self.attrs_class(tp, "plain", where)
        raise ValidationError(where, tp, _SUPPORTED)

    def union(self, tp: Any, where: str) -> Schema:  # noqa: ANN401  any type hint
        members = get_args(tp)
        nullable = type(None) in members
        rest = [m for m in members if m is not type(None)]
        if _is_attrs_union(tp):
            # serialization tags the attrs members and writes plain ones as is.
            options = [
                self.attrs_class(m, "tagged", where)
                for m in rest
                if not (isinstance(m, type) and m in _PLAIN)
            ]
            plain = [self.schema(m, where) for m in rest if m in _PLAIN]
            if nullable:
                plain.append({"type": "null"})
            # int and float overlap (2 is both): only then is anyOf needed.
            keyword = "oneOf" if len(plain) <= 1 else "anyOf"
            return {keyword: [*options, *plain]}
        if len(rest) == 1 and nullable:
            return {"anyOf": [self.schema(rest[0], where), {"type": "null"}]}
        raise ValidationError(where, tp, _SUPPORTED)

    def sequence(self, tp: Any, where: str) -> Schema:  # noqa: ANN401  any type hint
        origin = get_origin(tp)
        args = get_args(tp)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            items = [self.schema(a, f"{where}[{i}]") for i, a in enumerate(args)]
            return {
                "type": "array",
                "prefixItems": items,
                "items": False,
                "minItems": len(items),
            }
        schema: Schema = {"type": "array", "items": self.schema(args[0], f"{where}[]")}
        if origin is frozenset:
            schema["uniqueItems"] = True
        return schema

    def mapping(self, tp: Any, where: str) -> Schema:  # noqa: ANN401  any type hint
        key_type, value_type = get_args(tp)
        value = self.schema(value_type, f"{where}[]")
        if _string_keyed(key_type):
            schema: Schema = {"type": "object", "additionalProperties": value}
            if key_type is not str:
                schema["propertyNames"] = self.enum(key_type, where)
            return schema
        key = self.schema(key_type, f"{where}.keys")
        pair: Schema = {
            "type": "array",
            "prefixItems": [key, value],
            "items": False,
            "minItems": 2,
        }
        return {"type": "array", "items": pair}

    # --- definitions ----------------------------------------------------------

    def enum(self, cls: type[enum.Enum], where: str) -> Schema:
        key: _DefKey = (cls, "enum")
        if key not in self.defs:
            values = [member.value for member in cls]
            for value in values:
                _check_json_scalar(value, where, f"a value of the enum {cls.__name__}")
            definition: Schema = {"title": type_name(cls)}
            summary = _summary(cls)
            if summary is not None:
                definition["description"] = summary
            if values and all(isinstance(v, str) for v in values):
                definition["type"] = "string"
            definition["enum"] = values
            self.defs[key] = definition
        return self.ref(key)

    def attrs_class(self, tp: Any, form: _Form, where: str) -> Schema:  # noqa: ANN401
        key: _DefKey = (tp, form)
        if key in self.defs:
            return self.ref(key)
        cls = _class_of(tp)
        self.defs[key] = {}  # reserved: a class may contain itself
        try:
            hints = typing.get_type_hints(cls)
        except Exception as error:  # noqa: BLE001  any failure to resolve names
            raise ValidationError(
                where,
                cls,
                f"a class whose annotations resolve ({type(error).__name__}: {error})",
            ) from None
        mapping = _typevar_map(tp)
        name = type_name(cls)
        properties: dict[str, Schema] = {}
        if form == "tagged":
            properties[TYPE_TAG] = {"const": name}
        for field in attrs.fields(cls):
            if not field.init:
                continue  # serialization leaves out what __init__ does not take
            field_where = f"{name}.{field.name}"
            annotation = hints.get(field.name, field.type)
            if annotation is None or isinstance(annotation, str):
                raise ValidationError(field_where, annotation, _SUPPORTED)
            annotation = _substitute(annotation, mapping)
            prop = self.schema(annotation, field_where)
            description = _field_description(cls, field.name)
            if description is not None:
                prop = {"description": description, **prop}
            properties[field.name] = prop
        definition: Schema = {"title": name}
        summary = _summary(cls)
        if summary is not None:
            definition["description"] = summary
        definition.update(
            {
                "type": "object",
                "properties": properties,
                "required": list(properties),
                "additionalProperties": False,
            }
        )
        self.defs[key] = definition
        return self.ref(key)

    # --- naming ---------------------------------------------------------------

    def finish(self, root: Schema) -> Schema:
        """Name the definitions, rewrite the references, and add ``$defs``."""
        names = self.names()
        targets = {self.refs[key]: f"#/$defs/{names[key]}" for key in self.defs}
        defs = {names[key]: definition for key, definition in self.defs.items()}
        result: Schema = _rewrite(root, targets)
        result["$defs"] = {name: _rewrite(defs[name], targets) for name in sorted(defs)}
        return result

    def names(self) -> dict[_DefKey, str]:
        plain_forms = {tp for tp, form in self.defs if form == "plain"}

        def candidate(key: _DefKey, *, qualified: bool) -> str:
            tp, form = key
            cls = _class_of(tp)
            name = (
                f"{cls.__module__}.{cls.__qualname__}" if qualified else type_name(cls)
            )
            args = get_args(tp)
            if args:
                name += "[" + ", ".join(_arg_name(a) for a in args) + "]"
            if form == "tagged" and tp in plain_forms:
                name += "Tagged"  # the same class also appears untagged
            return name

        first = {key: candidate(key, qualified=False) for key in self.defs}
        counts: dict[str, int] = {}
        for name in first.values():
            counts[name] = counts.get(name, 0) + 1
        return {
            key: name if counts[name] == 1 else candidate(key, qualified=True)
            for key, name in first.items()
        }


def _class_of(tp: Any) -> Any:  # noqa: ANN401  any type hint
    """Return the class of ``tp``: itself, or its origin if it is parametrised."""
    origin: Any = get_origin(tp)
    return origin if isinstance(origin, type) else tp


def _arg_name(arg: Any) -> str:  # noqa: ANN401  any type hint
    return arg.__name__ if isinstance(arg, type) else repr(arg)


def _rewrite(node: Any, targets: Mapping[str, str]) -> Any:  # noqa: ANN401  JSON
    """Copy a schema tree, replacing provisional references by their targets."""
    if isinstance(node, dict):
        return {
            key: (
                targets[value]
                if key == "$ref" and isinstance(value, str) and value in targets
                else _rewrite(value, targets)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item, targets) for item in node]
    return node


def json_schema(cls: type) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of ``to_data(instance)`` for ``cls``.

    The schema describes the whole document: the envelope with
    ``schema_version`` and ``type`` fixed, and ``data`` referring to the
    class's definition in ``$defs``, next to the definitions of every class
    and enum it contains. The result is plain JSON data, built afresh on every
    call, and the same for the same class definitions.

    Parameters
    ----------
    cls
        An attrs value class crisisops serialises (e.g. `crisisops.review.Review`)
        or an enum.

    Returns
    -------
    dict
        The schema; ``json.dumps`` writes it as it is.

    Raises
    ------
    InvalidTypeError
        If ``cls`` is neither an attrs class nor an enum.
    ValidationError
        If a field (named ``Class.field``) has an annotation serialization has
        no plain form for, e.g. ``Any``, a bare ``tuple`` or a union of two
        plain types, or annotations that do not resolve.

    Examples
    --------
    >>> from crisisops.schemas import json_schema
    >>> from crisisops.taxonomy import ResponseLevel
    >>> schema = json_schema(ResponseLevel)
    >>> schema["$defs"]["ResponseLevel"]["enum"]
    ['I', 'II', 'III', 'IV']
    >>> json_schema(dict)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    crisisops.errors.InvalidTypeError: 'cls' must be an attrs class or an enum ...
    """
    given: object = cls  # checked at run time whatever the annotation says
    if not isinstance(given, type) or not (
        attrs.has(given) or issubclass(given, enum.Enum)
    ):
        raise InvalidTypeError(
            "cls", cls, "an attrs class or an enum that crisisops serialises"
        )
    builder = _Builder()
    name = type_name(cls)
    data = builder.schema(cls, name)
    root: Schema = {"$schema": JSON_SCHEMA_DIALECT, "title": name}
    summary = _summary(cls)
    if summary is not None:
        root["description"] = summary
    root.update(
        {
            "type": "object",
            "properties": {
                "schema_version": {"const": SCHEMA_VERSION},
                "type": {"const": name},
                "data": data,
            },
            "required": ["schema_version", "type", "data"],
            "additionalProperties": False,
        }
    )
    return builder.finish(root)


def _check_name(name: object) -> type:
    if not isinstance(name, str):
        raise InvalidTypeError(
            "name", name, f"a document name, one of {list(DOCUMENTS)}"
        )
    if name not in DOCUMENTS:
        raise UnknownKeyError("document", name, DOCUMENTS.keys())
    return DOCUMENTS[name]


def document_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of the document named ``name`` in `DOCUMENTS`.

    Raises
    ------
    InvalidTypeError
        If ``name`` is not a str.
    UnknownKeyError
        If no document has that name; the message suggests close names.

    Examples
    --------
    >>> from crisisops.schemas import document_schema
    >>> document_schema("crisis")["properties"]["type"]
    {'const': 'Crisis'}
    >>> document_schema("crisis_log")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    crisisops.errors.UnknownKeyError: unknown document 'crisis_log'; did you mean ...
    """
    return json_schema(_check_name(name))


def document_schemas() -> dict[str, dict[str, Any]]:
    """Return the schema of every document in `DOCUMENTS`, by name.

    Examples
    --------
    >>> from crisisops.schemas import DOCUMENTS, document_schemas
    >>> list(document_schemas()) == list(DOCUMENTS)
    True
    """
    return {name: json_schema(cls) for name, cls in DOCUMENTS.items()}
