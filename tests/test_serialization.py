"""to_data / from_data: lossless round trips and safe failure on bad input."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import enum
import json
import math
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops._time import Recurrence
from crisisops._validation import is_finite
from crisisops.errors import SerializationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.serialization import (
    MAX_DEPTH,
    SCHEMA_VERSION,
    TYPE_TAG,
    from_data,
    to_data,
    type_name,
)
from crisisops.taxonomy import (
    CrisisType,
    CrisisTypeCatalog,
    Phase,
    ResponseLevel,
    default_catalog,
)

from .strategies import (
    aware_datetimes,
    crisis_type_catalogs,
    crisis_types,
    labels,
    recurrences,
)


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen
class Ping:
    n: int


@attrs.frozen
class Pong:
    text: str
    when: dt.datetime | None = None


@attrs.frozen
class Finite:
    value: float = attrs.field(validator=is_finite())


@attrs.frozen(kw_only=True)
class Everything:
    """A test class holding one of every kind of field the converter supports."""

    number: float
    count: int
    flag: bool
    when: dt.datetime
    day: dt.date
    span: dt.timedelta
    colour: Colour
    tags: frozenset[str]
    by_name: FrozenDict[str, float]
    by_colour: FrozenDict[Colour, int]
    by_number: FrozenDict[int, str]
    series: np.ndarray[Any, Any] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    events: tuple[Ping | Pong, ...]
    maybe: Ping | Pong | None
    pair: tuple[int, str]


def _everything() -> Everything:
    taipei = dt.timezone(dt.timedelta(hours=8))
    return Everything(
        number=2.5,
        count=-7,
        flag=True,
        when=dt.datetime(2026, 11, 11, 0, 0, tzinfo=taipei),
        day=dt.date(2026, 6, 18),
        span=dt.timedelta(days=3, seconds=7200, microseconds=5),
        colour=Colour.BLUE,
        tags=frozenset({"peak", "618"}),
        by_name=FrozenDict({"gmv": 1.5}),
        by_colour=FrozenDict({Colour.RED: 1}),
        by_number=FrozenDict({3: "three"}),
        series=np.array([[1, 2], [3, 4]], dtype=np.int32),
        events=(
            Ping(1),
            Pong("hello", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)),
        ),
        maybe=None,
        pair=(1, "one"),
    )


def _json_round_trip(document: dict[str, Any]) -> Any:
    """Pass a document through a strict JSON encoder and back."""
    return json.loads(json.dumps(document, allow_nan=False))


# --- round trips --------------------------------------------------------------


def test_document_envelope_names_schema_version_and_type() -> None:
    document = to_data(Ping(3))

    assert (document) == {
        "schema_version": SCHEMA_VERSION,
        "type": "Ping",
        "data": {"n": 3},
    }


def test_every_supported_field_kind_round_trips_through_strict_json() -> None:
    value = _everything()

    restored = from_data(Everything, _json_round_trip(to_data(value)))

    assert value == restored
    assert restored.series.dtype == np.int32
    assert restored.series.shape == (2, 2)


def test_field_encodings_are_the_documented_plain_forms() -> None:
    data = to_data(_everything())["data"]

    assert data["when"] == "2026-11-11T00:00:00+08:00"
    assert data["day"] == "2026-06-18"
    assert data["span"] == "P3DT7200.000005S"
    assert data["colour"] == "blue"
    assert data["tags"] == ["618", "peak"]
    assert data["by_colour"] == {"red": 1}
    assert data["by_number"] == [[3, "three"]]
    assert data["series"] == {"dtype": "int32", "shape": [2, 2], "data": [1, 2, 3, 4]}
    assert data["events"][0] == {TYPE_TAG: "Ping", "n": 1}
    assert data["pair"] == [1, "one"]


def test_non_finite_floats_are_spelled_out_and_come_back() -> None:
    value = attrs.evolve(
        _everything(),
        number=math.inf,
        series=np.array([1.0, np.nan, -np.inf, np.inf]),
    )

    document = to_data(value)
    restored = from_data(Everything, _json_round_trip(document))

    assert document["data"]["number"] == "Infinity"
    assert document["data"]["series"]["data"] == [1.0, "NaN", "-Infinity", "Infinity"]
    assert np.array_equal(value.series, restored.series, equal_nan=True)
    assert math.isinf(restored.number)


def test_restored_arrays_are_read_only() -> None:
    restored = from_data(Everything, to_data(_everything()))

    with pytest.raises(ValueError, match="read-only"):
        restored.series[0, 0] = 9


def test_enum_documents_round_trip() -> None:
    assert from_data(ResponseLevel, to_data(ResponseLevel.III)) == ResponseLevel.III
    assert from_data(Phase, to_data(Phase.REVIEW)) == Phase.REVIEW


def test_default_catalog_round_trips() -> None:
    catalog = default_catalog()

    restored = from_data(CrisisTypeCatalog, _json_round_trip(to_data(catalog)))

    assert catalog == restored
    assert catalog.keys() == restored.keys()


@given(labels)
def test_labels_round_trip(value: Labels) -> None:
    assert value == from_data(Labels, _json_round_trip(to_data(value)))


@given(crisis_types())
def test_crisis_types_round_trip(value: CrisisType) -> None:
    assert value == from_data(CrisisType, _json_round_trip(to_data(value)))


@settings(max_examples=50)
@given(crisis_type_catalogs())
def test_crisis_type_catalogs_round_trip(value: CrisisTypeCatalog) -> None:
    assert value == from_data(CrisisTypeCatalog, _json_round_trip(to_data(value)))


@given(recurrences())
def test_recurrences_round_trip(value: Recurrence) -> None:
    restored = from_data(Recurrence, _json_round_trip(to_data(value)))

    assert value == restored
    assert value.first(3) == restored.first(3)


@given(st.sampled_from(ResponseLevel) | st.sampled_from(Phase))
def test_enum_members_round_trip(value: ResponseLevel | Phase) -> None:
    assert value == from_data(type(value), _json_round_trip(to_data(value)))


@given(aware_datetimes)
def test_aware_datetimes_round_trip_to_the_same_instant_and_offset(
    when: dt.datetime,
) -> None:
    restored = from_data(Pong, _json_round_trip(to_data(Pong("x", when)))).when

    assert restored is not None
    assert when == restored
    assert when.utcoffset() == restored.utcoffset()


@given(st.timedeltas())
def test_timedeltas_round_trip(span: dt.timedelta) -> None:
    value = attrs.evolve(_everything(), span=span)

    assert span == from_data(Everything, _json_round_trip(to_data(value))).span


@given(
    st.lists(
        st.floats(allow_nan=True, allow_infinity=True, width=64),
        max_size=30,
    )
)
def test_float_arrays_round_trip_bit_for_bit_including_nan(values: list[float]) -> None:
    series = np.array(values, dtype=np.float64)
    value = attrs.evolve(_everything(), series=series)

    restored = from_data(Everything, _json_round_trip(to_data(value))).series

    assert series.shape == restored.shape
    assert np.array_equal(series, restored, equal_nan=True)
    assert np.array_equal(
        np.signbit(series[~np.isnan(series)]), np.signbit(restored[~np.isnan(restored)])
    )


@given(st.dictionaries(st.text(max_size=5), st.floats(allow_nan=False), max_size=5))
def test_frozendicts_with_text_keys_round_trip(items: dict[str, float]) -> None:
    value = attrs.evolve(_everything(), by_name=FrozenDict(items))

    assert value == from_data(Everything, _json_round_trip(to_data(value)))


def test_type_name_is_the_class_name() -> None:
    assert type_name(CrisisType) == "CrisisType"


# --- bad input ----------------------------------------------------------------


def _valid_document() -> dict[str, Any]:
    result: dict[str, Any] = _json_round_trip(to_data(_everything()))
    return result


def _fails_at(document: object, path: str, words: str) -> None:
    with pytest.raises(SerializationError) as caught:
        from_data(Everything, document)
    assert path == caught.value.path
    assert words in caught.value.problem


def test_document_must_be_an_object() -> None:
    _fails_at([1, 2], "$", "document object")


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda d: d.pop("schema_version"), "$", "missing ['schema_version']"),
        (lambda d: d.update(extra=1), "$", "unexpected ['extra']"),
        (lambda d: d.update(schema_version=99), "$.schema_version", "not supported"),
        (lambda d: d.update(schema_version="1"), "$.schema_version", "integer"),
        (lambda d: d.update(type="Ping"), "$.type", "expected a 'Everything'"),
    ],
)
def test_envelope_problems_are_named(
    change: Any,
    path: str,
    words: str,
) -> None:
    document = _valid_document()
    change(document)

    _fails_at(document, path, words)


@pytest.mark.parametrize(
    ("field", "bad", "path", "words"),
    [
        ("count", 1.5, "$.data.count", "expected an integer"),
        ("count", True, "$.data.count", "expected an integer"),
        ("count", "3", "$.data.count", "expected an integer"),
        ("number", "1.5", "$.data.number", "expected a number"),
        ("flag", 1, "$.data.flag", "true or false"),
        ("when", "2026-11-11T00:00:00", "$.data.when", "no UTC offset"),
        ("when", "yesterday", "$.data.when", "not an ISO 8601 datetime"),
        ("when", 1700000000, "$.data.when", "ISO 8601 datetime string"),
        ("day", "2026-13-01", "$.data.day", "not an ISO 8601 date"),
        ("span", "3 days", "$.data.span", "not a duration"),
        ("span", "P", "$.data.span", "not a duration"),
        ("colour", "green", "$.data.colour", "Colour"),
        ("tags", "peak", "$.data.tags", "expected a list"),
        ("by_name", [["gmv", 1.0]], "$.data.by_name", "expected an object"),
        ("by_number", {"3": "three"}, "$.data.by_number", "[key, value] pairs"),
        ("pair", [1], "$.data.pair", "2 items"),
        ("events", {"n": 1}, "$.data.events", "expected a list"),
    ],
)
def test_field_problems_name_their_path(
    field: str, bad: object, path: str, words: str
) -> None:
    document = _valid_document()
    document["data"][field] = bad

    _fails_at(document, path, words)


def test_missing_and_extra_fields_are_both_reported() -> None:
    document = _valid_document()
    del document["data"]["count"]
    document["data"]["surprise"] = 1

    with pytest.raises(SerializationError) as caught:
        from_data(Everything, document)

    problems = dict(caught.value.problems)
    assert problems["$.data.count"] == "required field missing"
    assert problems["$.data"] == "unexpected field(s) ['surprise']"


def test_nested_item_problems_name_the_index() -> None:
    document = _valid_document()
    document["data"]["events"][1]["text"] = 5

    _fails_at(document, "$.data.events[1].text", "expected a string")


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("os.system", "unknown type"),
        ("__import__('os')", "unknown type"),
        (5, "unknown type"),
    ],
)
def test_union_tags_are_looked_up_never_imported(tag: object, words: str) -> None:
    document = _valid_document()
    document["data"]["events"][0][TYPE_TAG] = tag

    _fails_at(document, f"$.data.events[0].{TYPE_TAG}", words)


def test_union_members_must_carry_a_tag() -> None:
    document = _valid_document()
    del document["data"]["events"][0][TYPE_TAG]

    _fails_at(document, "$.data.events[0]", TYPE_TAG)


@pytest.mark.parametrize(
    ("series", "path", "words"),
    [
        (
            {"dtype": "object", "shape": [1], "data": [1]},
            "$.data.series.dtype",
            "one of",
        ),
        (
            {"dtype": "int32", "shape": [3], "data": [1]},
            "$.data.series.data",
            "holds 3",
        ),
        ({"dtype": "int32", "shape": [-1], "data": []}, "$.data.series.shape", "non-"),
        ({"dtype": "int8", "shape": [1], "data": [300]}, "$.data.series.data", "fit"),
        (
            {"dtype": "int32", "shape": [2], "data": [1, 2.5]},
            "$.data.series.data[1]",
            "int32",
        ),
        (
            {"dtype": "float64", "shape": [2], "data": [1, True]},
            "$.data.series.data[1]",
            "float64",
        ),
        (
            {"dtype": "float64", "shape": [1], "data": ["nan"]},
            "$.data.series.data[0]",
            "'NaN'",
        ),
        ({"dtype": "bool", "shape": [1], "data": [0]}, "$.data.series.data[0]", "bool"),
        ({"dtype": "int32", "shape": [1]}, "$.data.series", "missing ['data']"),
        ([1, 2], "$.data.series", "expected an object"),
    ],
)
def test_array_problems_are_named(series: object, path: str, words: str) -> None:
    document = _valid_document()
    document["data"]["series"] = series

    _fails_at(document, path, words)


def test_validator_refusals_name_the_field() -> None:
    document = _json_round_trip(to_data(default_catalog()["market.competition"]))
    document["data"]["labels"]["zh_hant"] = "   "

    with pytest.raises(SerializationError) as caught:
        from_data(CrisisType, document)

    assert caught.value.path == "$.data.labels.zh_hant"
    assert "non-empty" in caught.value.problem


def test_bare_nan_from_a_lenient_json_parser_reads_like_the_spelled_out_form() -> None:
    document = _valid_document()
    document["data"]["number"] = math.nan
    document["data"]["series"] = {
        "dtype": "float64",
        "shape": [3],
        "data": [math.nan, "NaN", math.inf],
    }

    restored = from_data(Everything, document)

    assert math.isnan(restored.number)
    assert [True, True, False] == np.isnan(restored.series).tolist()


def test_fields_that_need_finite_numbers_refuse_nan_in_any_spelling() -> None:
    document = _json_round_trip(to_data(Finite(1.0)))
    for spelling in ("NaN", math.nan, "-Infinity"):
        document["data"]["value"] = spelling

        with pytest.raises(SerializationError) as caught:
            from_data(Finite, document)

        assert "$.data.value" == caught.value.path
        assert "finite" in caught.value.problem


@pytest.mark.parametrize("leaf", [b"bytes", {1, 2}, (1, 2), object(), 1j])
def test_non_json_values_are_refused(leaf: object) -> None:
    document = _valid_document()
    document["data"]["count"] = leaf

    _fails_at(document, "$.data.count", "not plain JSON data")


def test_non_string_object_keys_are_refused() -> None:
    document = _valid_document()
    document["data"]["by_name"] = {1: 2.0}

    _fails_at(document, "$.data.by_name", "keys must be strings")


def test_deep_nesting_is_refused_before_structuring() -> None:
    nested: list[Any] = []
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]
    document = _valid_document()
    document["data"]["tags"] = nested

    with pytest.raises(SerializationError, match="nesting deeper"):
        from_data(Everything, document)


def test_from_data_rejects_a_non_value_class() -> None:
    with pytest.raises(SerializationError, match="not a crisisops value class"):
        from_data(dict, {})


def test_to_data_rejects_values_that_are_not_documents() -> None:
    with pytest.raises(SerializationError, match="not a crisisops value class"):
        to_data({"a": 1})


def test_to_data_rejects_a_naive_datetime_inside_a_value() -> None:
    value = Pong("x", dt.datetime(2026, 1, 1))  # noqa: DTZ001  the point of the test

    with pytest.raises(SerializationError) as caught:
        to_data(value)

    assert caught.value.path == "$.data"
    assert "naive" in caught.value.problem


def test_to_data_rejects_object_arrays() -> None:
    value = attrs.evolve(_everything(), series=np.array([object()], dtype=object))

    with pytest.raises(SerializationError, match="dtype 'object'"):
        to_data(value)


# --- fuzzing: hostile input raises SerializationError and nothing else --------

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["NaN", "Infinity", "2026-01-01T00:00:00+08:00", "P1D", "red"])
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300)
@given(json_values)
def test_random_json_as_data_only_ever_raises_serialization_error(
    payload: object,
) -> None:
    for cls in (Everything, CrisisType, CrisisTypeCatalog, Labels, ResponseLevel):
        document = {"schema_version": 1, "type": cls.__name__, "data": payload}
        with contextlib.suppress(SerializationError):
            from_data(cls, document)


@settings(max_examples=300)
@given(st.data())
def test_mutating_one_field_of_a_valid_document_only_raises_serialization_error(
    data: st.DataObject,
) -> None:
    document = _valid_document()
    field = data.draw(st.sampled_from(sorted(document["data"])))
    document["data"][field] = data.draw(json_values)

    try:
        restored = from_data(Everything, document)
    except SerializationError:
        return
    assert isinstance(restored, Everything)


@settings(max_examples=200)
@given(json_values)
def test_random_json_documents_only_raise_serialization_error(payload: object) -> None:
    with contextlib.suppress(SerializationError):
        from_data(CrisisType, payload)


# --- decimals (exact money amounts) -------------------------------------------


@attrs.frozen(kw_only=True)
class Money:
    """A test class with every way a decimal appears in a value."""

    amount: decimal.Decimal
    maybe: decimal.Decimal | None = None
    by_role: FrozenDict[str, decimal.Decimal] = attrs.field(factory=FrozenDict)
    history: tuple[decimal.Decimal, ...] = ()


def _money() -> Money:
    return Money(
        amount=decimal.Decimal("12.50"),
        maybe=decimal.Decimal("1E+3"),
        by_role=FrozenDict({"crisis_lead": decimal.Decimal("150.00")}),
        history=(decimal.Decimal("-0.001"), decimal.Decimal(0)),
    )


def test_decimals_are_written_as_their_exact_text() -> None:
    data = to_data(_money())["data"]

    assert data == {
        "amount": "12.50",
        "maybe": "1E+3",
        "by_role": {"crisis_lead": "150.00"},
        "history": ["-0.001", "0"],
    }


def test_decimals_round_trip_keeping_trailing_zeros_and_exponent() -> None:
    value = _money()

    restored = from_data(Money, _json_round_trip(to_data(value)))

    assert value == restored
    assert "12.50" == str(restored.amount)
    assert "1E+3" == str(restored.maybe)
    assert isinstance(restored.by_role["crisis_lead"], decimal.Decimal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (7, "7"),
        (-3, "-3"),
        ("0.10", "0.10"),
        ("+5", "5"),
        ("1.5e3", "1.5E+3"),
        (".5", "0.5"),
        ("-0", "-0"),
    ],
)
def test_decimals_are_read_from_text_or_integers(text: object, expected: str) -> None:
    document = to_data(_money())
    document["data"]["amount"] = text

    assert expected == str(from_data(Money, document).amount)


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("NaN", "not a finite decimal"),
        ("nan", "not a finite decimal"),
        ("sNaN", "not a finite decimal"),
        ("Infinity", "not a finite decimal"),
        ("-Infinity", "not a finite decimal"),
        ("12,50", "not a finite decimal"),
        ("twelve", "not a finite decimal"),
        (" 12.5", "not a finite decimal"),
        ("1_000", "not a finite decimal"),
        ("", "not a finite decimal"),
        ("1e99999", "not a finite decimal"),
        ("9" * 101, "not a finite decimal"),
        (10**100, "more than 100 digits"),
        (12.5, "as a string"),
        (True, "as a string"),
        (None, "as a string"),
        ([1], "as a string"),
    ],
)
def test_bad_decimals_name_their_path(bad: object, words: str) -> None:
    document = _json_round_trip(to_data(_money()))
    document["data"]["amount"] = bad

    with pytest.raises(SerializationError) as caught:
        from_data(Money, document)

    assert "$.data.amount" == caught.value.path
    assert words in caught.value.problem


def test_bad_decimal_inside_a_mapping_names_its_key() -> None:
    document = _json_round_trip(to_data(_money()))
    document["data"]["by_role"]["crisis_lead"] = "NaN"

    with pytest.raises(SerializationError) as caught:
        from_data(Money, document)

    assert "$.data.by_role.crisis_lead" == caught.value.path


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (decimal.Decimal("NaN"), "not finite"),
        (decimal.Decimal("-Infinity"), "not finite"),
        (decimal.Decimal("1E+100000"), "too long or too large"),
    ],
)
def test_to_data_refuses_decimals_that_would_not_read_back(
    amount: decimal.Decimal, words: str
) -> None:
    with pytest.raises(SerializationError) as caught:
        to_data(Money(amount=amount))

    assert words in caught.value.problem


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=4)
    | st.decimals(allow_nan=False, allow_infinity=False)
)
def test_finite_decimals_round_trip_exactly(amount: decimal.Decimal) -> None:
    value = Money(amount=amount, history=(amount,))

    try:
        document = _json_round_trip(to_data(value))
    except SerializationError:  # beyond the documented size bounds
        assert len(str(amount)) > 100 or abs(amount.adjusted()) > 9999
        return
    restored = from_data(Money, document)

    assert str(amount) == str(restored.amount)
    assert amount.as_tuple() == restored.amount.as_tuple()


@attrs.frozen
class _Listed:
    """A value with a list field (the converter must take any length)."""

    items: list[int]
    pair: tuple[int, str]


@given(st.lists(st.integers(min_value=-5, max_value=5), max_size=6))
def test_list_fields_round_trip_at_any_length(items: list[int]) -> None:
    value = _Listed(items=items, pair=(1, "a"))
    document = to_data(value)
    assert items == document["data"]["items"]
    assert value == from_data(_Listed, document)


def test_a_fixed_tuple_still_wants_its_exact_length() -> None:
    document = to_data(_Listed(items=[], pair=(1, "a")))
    document["data"]["pair"] = [1, "a", "extra"]
    with pytest.raises(SerializationError, match="pair"):
        from_data(_Listed, document)
