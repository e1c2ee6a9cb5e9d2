"""The tutorial, the how-to guides and the landing page run, and their links resolve.

The tutorial builds one shop's crisis plan in blocks that continue each other;
each how-to guide is a task done in order. These tests run every ``python``
block of each page top to bottom in one namespace per page, as a reader would,
check that every block asserts something, that every relative link (and its
``#anchor``) on these pages and on the landing page points to something that
exists inside ``docs/``, and that the crisis-loop picture is a self-contained
SVG with English and 繁體 labels.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial.md"
HOWTOS = (
    DOCS / "howto" / "calibrate-your-data.md",
    DOCS / "howto" / "store-crises.md",
    DOCS / "howto" / "ui-from-json.md",
)
INDEX = DOCS / "index.md"
LOOP = DOCS / "assets" / "crisis-loop.svg"
RUNNABLE = (TUTORIAL, *HOWTOS)

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_FENCE = re.compile(r"^```.*?^```$", re.DOTALL | re.MULTILINE)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} (.+?)\s*$", re.MULTILINE)
_EXPLICIT_ID = re.compile(r"\{#([A-Za-z0-9_-]+)\}\s*$")
_SVG = "{http://www.w3.org/2000/svg}"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STALE = re.compile(r"coming soon|\(coming|\bTODO\b|\bTBD\b", re.IGNORECASE)

# The steps of the tutorial, in order: each names the package it teaches.
TUTORIAL_STEPS = (
    ("Step 1", "crisisops.taxonomy"),
    ("Step 2", "crisisops.monitoring"),
    ("Step 3", "crisisops.risk"),
    ("Step 4", "crisisops.planning"),
    ("Step 5", "crisisops.stakeholders"),
    ("Step 6", "crisisops.scenarios"),
    ("Step 7", "crisisops.response"),
    ("Step 8", "to_data"),
)


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _python_blocks(markdown: str) -> list[str]:
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


def _slug(heading: str) -> str:
    """Python-Markdown's default ``toc`` slug: ASCII, lower case, dashes."""
    value = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def _anchors(page: Path) -> set[str]:
    """The ids of a page's headings, explicit ``{#id}`` ones included."""
    found: set[str] = set()
    for heading in _HEADING.findall(_FENCE.sub("", _text(page))):
        explicit = _EXPLICIT_ID.search(heading)
        if explicit:
            found.add(explicit.group(1))
        else:
            found.add(_slug(heading.replace("`", "")))
    return found


def _relative_links(page: Path) -> list[str]:
    return [
        target
        for target in _LINK.findall(_FENCE.sub("", _text(page)))
        if not target.startswith(("http://", "https://", "mailto:"))
    ]


def _run_page(page: Path) -> None:
    blocks = _python_blocks(_text(page))
    assert blocks, f"{page.name} has no python block"
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, block in enumerate(blocks, start=1):
        compiled = compile(block, f"{page.name}, python block {number}", "exec")
        exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda page: page.stem)
def test_every_python_block_of_the_page_runs_in_order(page: Path) -> None:
    _run_page(page)


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda page: page.stem)
def test_every_python_block_checks_its_output(page: Path) -> None:
    for number, block in enumerate(_python_blocks(_text(page)), start=1):
        assert "assert " in block, f"{page.name}, python block {number} checks nothing"


def test_the_landing_page_code_runs() -> None:
    _run_page(INDEX)


@pytest.mark.parametrize("page", [*RUNNABLE, INDEX], ids=lambda page: page.stem)
def test_every_relative_link_resolves(page: Path) -> None:
    targets = _relative_links(page)
    assert targets, f"{page.name} links nothing"
    for target in targets:
        path_part, _, anchor = target.partition("#")
        path = (page.parent / path_part).resolve() if path_part else page
        assert path.is_file(), f"{page.name}: {target} does not exist"
        assert DOCS in path.parents, f"{page.name}: {target} is outside docs/"
        if anchor:
            assert path.suffix == ".md", f"{page.name}: {target} anchors a non-page"
            assert anchor in _anchors(path), f"{page.name}: no #{anchor} in {path.name}"


def test_the_tutorial_walks_the_steps_in_order() -> None:
    markdown = _text(TUTORIAL)
    assert markdown.startswith("# Tutorial: a crisis plan for your shop\n")
    sections = re.split(r"^## ", markdown, flags=re.MULTILINE)
    steps = [section for section in sections if section.startswith("Step ")]
    assert [section.split(" ·", 1)[0] for section in steps] == [
        step for step, _ in TUTORIAL_STEPS
    ]
    for section, (step, package) in zip(steps, TUTORIAL_STEPS, strict=True):
        assert "**Why.**" in section, f"{step} does not say why"
        assert "§" in section, f"{step} cites no section of the book"
        assert _CJK.search(section), f"{step} quotes no term of the book"
        assert package in section, f"{step} does not name {package}"
        assert _PYTHON_BLOCK.search(section), f"{step} shows no code"


def test_the_landing_page_shows_the_loop_and_where_to_go_next() -> None:
    markdown = _text(INDEX)
    assert "](assets/crisis-loop.svg)" in markdown
    for page in ("tutorial.md", "book-to-code.md", "concepts/", "howto/", "reference/"):
        assert f"]({page}" in markdown, f"the landing page does not link {page}"
    assert [] == _STALE.findall(markdown)


def test_the_crisis_loop_is_a_self_contained_bilingual_svg() -> None:
    root = ET.parse(LOOP).getroot()  # noqa: S314  our own file, not untrusted input
    assert f"{_SVG}svg" == root.tag
    assert root.get("viewBox")
    assert root.find(f"{_SVG}title") is not None
    text = " ".join("".join(node.itertext()) for node in root.iter(f"{_SVG}text"))
    for english, chinese in (
        ("Warning", "預警"),
        ("Assessment", "評估"),
        ("Strategy", "策略"),
        ("Execution", "執行"),
        ("Review", "復盤"),
    ):
        assert english in text
        assert chinese in text
    for package in ("monitoring", "risk", "planning", "response", "review"):
        assert package in text
    source = LOOP.read_text(encoding="utf-8")
    # No external fonts, images or styles: nothing is fetched to draw it.
    assert "@import" not in source
    assert "@font-face" not in source
    assert root.find(f".//{_SVG}image") is None
    assert root.find(f".//{_SVG}style") is None
    assert re.findall(r"https?://[^\s\"']+", source) == ["http://www.w3.org/2000/svg"]
    # Every text has its own dark fill and sits on a filled shape, so it reads
    # the same on a light and a dark page.
    for node in root.iter(f"{_SVG}text"):
        assert node.get("fill") == "#1f2937", "".join(node.itertext())
