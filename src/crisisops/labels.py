"""Trilingual labels for catalog entries: English, Traditional and Simplified Chinese.

The source book is written in Traditional Chinese; crisisops keeps its terms so a
Chinese-speaking operator or teacher sees the book's own words (DESIGN.md
principle 6). Every built-in catalog entry (crisis types, levels, phases, and
later roles, indicators and stakeholder kinds) carries a `Labels`.

Examples
--------
>>> from crisisops.labels import Labels
>>> level = Labels(en="Extraordinarily serious", zh_hant="特別重大", zh_hans="特别重大")
>>> level.get("zh-TW")
'特別重大'
>>> level.get("zh-Hans")
'特别重大'
>>> str(level)
'Extraordinarily serious (特別重大)'
"""

from __future__ import annotations

import attrs

from crisisops._validation import is_text
from crisisops.errors import InvalidTypeError, UnknownKeyError

__all__ = ["LANGUAGES", "Labels"]

#: The language tags crisisops ships labels for (BCP 47).
LANGUAGES: tuple[str, ...] = ("en", "zh-Hant", "zh-Hans")

# Tags a caller may reasonably use, normalised to lower case, and which field
# answers them. Regional tags follow the script used in that region.
_ALIASES: dict[str, str] = {
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "zh-hant": "zh_hant",
    "zh-tw": "zh_hant",
    "zh-hk": "zh_hant",
    "zh-mo": "zh_hant",
    "zh-hant-tw": "zh_hant",
    "zh-hant-hk": "zh_hant",
    "zh-hans": "zh_hans",
    "zh-cn": "zh_hans",
    "zh-sg": "zh_hans",
    "zh-hans-cn": "zh_hans",
    "zh": "zh_hans",
}


@attrs.frozen(kw_only=True)
class Labels:
    """One name or text in English, Traditional Chinese and Simplified Chinese.

    Attributes
    ----------
    en
        English text.
    zh_hant
        Traditional Chinese (繁體中文) text, the book's own script.
    zh_hans
        Simplified Chinese (简体中文) text.
    """

    en: str = attrs.field(validator=is_text())
    zh_hant: str = attrs.field(validator=is_text())
    zh_hans: str = attrs.field(validator=is_text())

    @classmethod
    def of(cls, en: str, zh_hant: str, zh_hans: str) -> Labels:
        """Return labels from the three texts in order: English, 繁體, 简体.

        The short form the built-in catalogs use for their many entries.

        Examples
        --------
        >>> Labels.of("Inventory crisis", "庫存危機", "库存危机").zh_hans
        '库存危机'
        """
        return cls(en=en, zh_hant=zh_hant, zh_hans=zh_hans)

    def get(self, language: str) -> str:
        """Return the text for a BCP 47 language tag.

        ``en``, ``zh-Hant`` and ``zh-Hans`` are exact; regional tags map to their
        script (``zh-TW``/``zh-HK`` → Traditional, ``zh-CN``/``zh-SG`` →
        Simplified; bare ``zh`` → Simplified). Matching ignores case and accepts
        ``_`` for ``-``.

        Raises
        ------
        UnknownKeyError
            If the tag names a language crisisops has no labels for.
        """
        if not isinstance(language, str):
            raise InvalidTypeError("language", language, "a language tag str")
        field = _ALIASES.get(language.replace("_", "-").lower())
        if field is None:
            raise UnknownKeyError("language tag", language, LANGUAGES)
        text: str = getattr(self, field)
        return text

    def __str__(self) -> str:
        """Show the English text with the Traditional Chinese in brackets."""
        return f"{self.en} ({self.zh_hant})"
