"""The crisis types of the book, the response levels and one type up close (§2).

Run it with ``python examples/crisis_types.py``. It prints

1. the built-in catalog of crisis types (book §2 and the §5.4 case studies) as a
   bilingual table grouped by the book's six categories;
2. the four response levels, Level I 特別重大 (red) to Level IV 一般 (blue);
3. one crisis type in detail, the peak-season stock-out of case 1;
4. the same type as the plain JSON a shop backend would store.

The whole loop, from the first warning signal to the post-crisis review, is
``examples/quickstart.py``.
"""

from __future__ import annotations

import json
import textwrap
import unicodedata

import crisisops
from crisisops import CrisisType, ResponseLevel, default_catalog, from_data, to_data


def display_width(text: str) -> int:
    """Count terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns."""
    return text + " " * max(width - display_width(text), 0)


def print_table(rows: list[list[str]]) -> None:
    """Print rows as aligned columns; the first row is the header."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        cells = [pad(cell, w) for cell, w in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))


def print_catalog() -> None:
    """Print every crisis type, grouped by the book's categories."""
    catalog = default_catalog()
    print(f"crisisops {crisisops.__version__}: {len(catalog)} built-in crisis types\n")
    for category in catalog.categories():
        types = catalog.in_category(category)
        labels = category.labels
        print(f"{labels.en} / {labels.zh_hant} / {labels.zh_hans}", end="")
        print(f"  ({category.book_section})")
        rows = [["key", "English", "繁體中文", "简体中文", "SCCT cluster"]]
        for crisis in types:
            indent = "  " if crisis.parent else ""
            cluster = crisis.scct_cluster.value if crisis.scct_cluster else "-"
            rows.append(
                [
                    indent + crisis.key,
                    crisis.labels.en,
                    crisis.labels.zh_hant,
                    crisis.labels.zh_hans,
                    cluster,
                ]
            )
        print_table(rows)
        print()


def print_levels() -> None:
    """Print the four response levels with their colours and SEV equivalents."""
    print("Response levels (most severe first)")
    header = [["level", "colour", "繁體中文", "English", "severity"]]
    rows = header + [
        [
            f"Level {level.value}",
            level.colour,
            level.labels.zh_hant,
            level.labels.en,
            level.to_sev(),
        ]
        for level in sorted(ResponseLevel, reverse=True)
    ]
    print_table(rows)
    print()


def print_detail(crisis: CrisisType) -> None:
    """Print one crisis type the way a trainer would present it."""
    catalog = default_catalog()
    print(f"{crisis.labels.en} — {crisis.labels.zh_hant} ({crisis.key})")
    print(f"  book section : {crisis.book_section}")
    if crisis.parent:
        parent = catalog[crisis.parent]
        print(f"  specialises  : {parent.labels.en} ({parent.labels.zh_hant})")
    print(f"  indicators   : {', '.join(crisis.indicators)}")
    print(f"  team roles   : {', '.join(crisis.default_roles)}")
    print(f"  playbooks    : {', '.join(crisis.default_playbooks)}")
    if crisis.scct_type is not None and crisis.scct_cluster is not None:
        cluster = crisis.scct_cluster.value
        print(f"  SCCT         : {crisis.scct_type.value} ({cluster} cluster)")
    else:
        print("  SCCT         : not a reputational crisis type")
    for language, text in (
        ("en", crisis.description.en),
        ("zh-Hant", crisis.description.zh_hant),
    ):
        wrapped = textwrap.wrap(text, width=76 if language == "en" else 38)
        print(f"  [{language}]")
        for line in wrapped:
            print(f"    {line}")
    print()


def main() -> None:
    """Show the catalog, the levels and one type in detail."""
    print_catalog()
    print_levels()
    stockout = default_catalog()["supply_chain.peak_season_stockout"]
    print_detail(stockout)
    document = to_data(stockout)
    text = json.dumps(document, ensure_ascii=False)
    print(
        f"As plain JSON for a backend or a UI (crisisops.to_data, {len(text)} chars):"
    )
    shown = json.loads(text)
    for language, description in shown["data"]["description"].items():
        shown["data"]["description"][language] = description[:24] + "..."
    print(textwrap.indent(json.dumps(shown, ensure_ascii=False, indent=2), "  "))
    restored = from_data(CrisisType, json.loads(text))
    same = restored == stockout
    print(f"\nRead back with crisisops.from_data: equal to the original? {same}")


if __name__ == "__main__":
    main()
