"""Labels: one text in English, Traditional and Simplified Chinese."""

from __future__ import annotations

import pytest

from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.labels import LANGUAGES, Labels

INVENTORY = Labels(en="Inventory crisis", zh_hant="庫存危機", zh_hans="库存危机")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "Inventory crisis"),
        ("EN-us", "Inventory crisis"),
        ("zh-Hant", "庫存危機"),
        ("zh_TW", "庫存危機"),
        ("zh-HK", "庫存危機"),
        ("zh-Hans", "库存危机"),
        ("zh-CN", "库存危机"),
        ("zh", "库存危机"),
    ],
)
def test_get_answers_language_tags_by_script(tag: str, expected: str) -> None:
    assert expected == INVENTORY.get(tag)


def test_every_shipped_language_is_answered() -> None:
    assert ["Inventory crisis", "庫存危機", "库存危机"] == [
        INVENTORY.get(tag) for tag in LANGUAGES
    ]


def test_str_shows_english_and_the_books_term() -> None:
    assert "Inventory crisis (庫存危機)" == str(INVENTORY)


def test_unknown_language_is_refused_with_suggestion() -> None:
    with pytest.raises(UnknownKeyError, match="language tag 'zh-Hanz'"):
        INVENTORY.get("zh-Hanz")
    with pytest.raises(InvalidTypeError, match="'language'"):
        INVENTORY.get(3)  # type: ignore[arg-type]  # the point of the test


@pytest.mark.parametrize("field", ["en", "zh_hant", "zh_hans"])
@pytest.mark.parametrize("bad", ["", "   "])
def test_blank_texts_are_refused_naming_the_field(field: str, bad: str) -> None:
    texts = {"en": "a", "zh_hant": "b", "zh_hans": "c", field: bad}

    with pytest.raises(ValidationError, match=f"'{field}' must be a non-empty"):
        Labels(**texts)


def test_non_text_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidTypeError, match="'zh_hans' must be a str"):
        Labels(en="a", zh_hant="b", zh_hans=None)  # type: ignore[arg-type]
