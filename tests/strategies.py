"""Shared hypothesis strategies for crisisops value classes."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from crisisops._time import Frequency, Recurrence
from crisisops.labels import Labels
from crisisops.taxonomy import (
    CrisisCategory,
    CrisisType,
    CrisisTypeCatalog,
    SCCTCrisisType,
)

__all__ = [
    "aware_datetimes",
    "crisis_type_catalogs",
    "crisis_types",
    "key_words",
    "labels",
    "recurrences",
    "texts",
]

# Visible text in any script, never blank.
texts = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")

key_words = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
dotted_keys = st.lists(key_words, min_size=1, max_size=3).map(".".join)

labels = st.builds(Labels, en=texts, zh_hant=texts, zh_hans=texts)

timezones = st.sampled_from(
    [
        dt.timezone.utc,
        dt.timezone(dt.timedelta(hours=8)),
        dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
    ]
)
aware_datetimes = st.datetimes(
    min_value=dt.datetime(1970, 1, 2),  # noqa: DTZ001  bounds for hypothesis only
    max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
    timezones=timezones,
)


@st.composite
def crisis_types(
    draw: st.DrawFn, *, category: CrisisCategory | None = None
) -> CrisisType:
    """Draw a valid, standalone CrisisType (no parent)."""
    chosen = category if category is not None else draw(st.sampled_from(CrisisCategory))
    name = draw(st.lists(key_words, min_size=1, max_size=2).map(".".join))
    key = f"{chosen.value}.{name}"
    drawn = draw(labels)
    # A catalog refuses repeated labels, so each type's labels end with its key.
    unique = Labels(
        en=f"{drawn.en} {key}",
        zh_hant=f"{drawn.zh_hant} {key}",
        zh_hans=f"{drawn.zh_hans} {key}",
    )
    return CrisisType(
        key=key,
        category=chosen,
        labels=unique,
        description=draw(labels),
        book_section=draw(st.sampled_from(["§2.1 市場危機", "§5.4 案例分析", "§2"])),
        indicators=draw(st.lists(dotted_keys, unique=True, max_size=4)),
        default_roles=draw(st.lists(key_words, unique=True, max_size=4)),
        default_playbooks=draw(st.lists(dotted_keys, unique=True, max_size=3)),
        scct_type=draw(st.none() | st.sampled_from(SCCTCrisisType)),
    )


@st.composite
def crisis_type_catalogs(draw: st.DrawFn) -> CrisisTypeCatalog:
    """Draw a catalog of unique-keyed types, some children of earlier ones."""
    entries = draw(st.lists(crisis_types(), max_size=6, unique_by=lambda t: t.key))
    linked: list[CrisisType] = []
    for index, entry in enumerate(entries):
        earlier = [e.key for e in linked]
        make_child: bool = draw(st.booleans())
        if earlier and make_child and index > 0:
            parent = draw(st.sampled_from(earlier))
            entry = CrisisType(  # noqa: PLW2901  rebuilt with a parent
                key=entry.key,
                category=entry.category,
                labels=entry.labels,
                description=entry.description,
                book_section=entry.book_section,
                indicators=entry.indicators,
                default_roles=entry.default_roles,
                default_playbooks=entry.default_playbooks,
                scct_type=entry.scct_type,
                parent=parent,
            )
        linked.append(entry)
    return CrisisTypeCatalog(linked)


@st.composite
def recurrences(draw: st.DrawFn) -> Recurrence:
    """Draw a valid Recurrence: open-ended, counted, or bounded by ``until``."""
    start = draw(aware_datetimes)
    ending = draw(st.sampled_from(["open", "count", "until"]))
    count = draw(st.integers(1, 50)) if ending == "count" else None
    until = None
    if ending == "until":
        until = start + draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=3650)))
    return Recurrence(
        frequency=draw(st.sampled_from(Frequency)),
        start=start,
        interval=draw(st.integers(1, 12)),
        count=count,
        until=until,
    )
