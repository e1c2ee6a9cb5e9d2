"""The "From the book to the code" page runs, and everything it names exists.

The page walks the book's chapters (§1 to §6 and the case studies of §5.4) and,
for each, names crisisops objects, concept pages and example scripts. These
tests keep it honest: its code runs block after block as a reader would, every
relative link points to a page that exists, every example it names is in
``examples/``, and every dotted ``crisisops.…`` name imports.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGE = DOCS / "book-to-code.md"

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_EXAMPLE = re.compile(r"\bexamples/[A-Za-z0-9_]+\.py\b")
_DOTTED_NAME = re.compile(r"\bcrisisops(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
_CHAPTER_HEADING = re.compile(r"^## (§[0-9.]+) ", re.MULTILINE)

# The book's chapters and the §5.4 case studies, in the order the page walks them.
CHAPTERS = ("§1", "§2", "§3", "§4", "§5", "§5.4", "§6")

# Every example that tells one of the book's stories must be reachable from here.
BOOK_EXAMPLES = (
    "examples/quickstart.py",
    "examples/crisis_types.py",
    "examples/quarterly_risk_assessment.py",
    "examples/sales_slump_trigger.py",
    "examples/supply_network_risk.py",
    "examples/inventory_crisis_plan.py",
    "examples/supplier_outage_drill.py",
    "examples/traffic_drop_response.py",
    "examples/data_breach_communication.py",
    "examples/customer_service_review.py",
)


def _markdown() -> str:
    return PAGE.read_text(encoding="utf-8")


def _python_blocks(markdown: str) -> list[str]:
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


def _chapters(markdown: str) -> dict[str, str]:
    """Split the page into its chapter sections, keyed by '§n' (in page order)."""
    matches = list(_CHAPTER_HEADING.finditer(markdown))
    sections: dict[str, str] = {}
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else None
        sections[match.group(1)] = markdown[match.start() : end]
    return sections


def _resolve(dotted: str) -> object:
    """Import the longest module prefix of ``dotted`` and getattr the rest."""
    parts = dotted.split(".")
    for size in range(len(parts), 0, -1):
        candidate = ".".join(parts[:size])
        try:
            value: object = importlib.import_module(candidate)
        except ModuleNotFoundError as error:
            missing = error.name or ""
            if candidate == missing or candidate.startswith(missing + "."):
                continue  # not a module: a class, function or attribute of one
            raise
        for attribute in parts[size:]:
            value = getattr(value, attribute)
        return value
    msg = f"no module in {dotted!r}"
    raise ModuleNotFoundError(msg)


def _unresolved(dotted: str) -> str | None:
    """Say why ``dotted`` does not resolve, or ``None`` when it does."""
    try:
        _resolve(dotted)
    except (ImportError, AttributeError) as error:
        return f"{dotted}: {error}"
    return None


def test_every_python_block_of_the_page_runs_in_order() -> None:
    blocks = _python_blocks(_markdown())
    assert len(blocks) >= len(CHAPTERS)
    namespace: dict[str, object] = {"__name__": "docs_book_to_code"}
    for number, block in enumerate(blocks, start=1):
        compiled = compile(block, f"{PAGE.name}, python block {number}", "exec")
        exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test


def test_every_code_block_checks_its_output() -> None:
    for number, block in enumerate(_python_blocks(_markdown()), start=1):
        assert "assert " in block, f"python block {number} checks nothing"


def test_the_page_walks_the_book_in_order() -> None:
    markdown = _markdown()
    assert markdown.startswith("# From the book to the code (從書到程式碼)\n")
    assert CHAPTERS == tuple(_chapters(markdown))


def test_every_chapter_shows_objects_a_concept_page_an_example_and_code() -> None:
    for chapter, section in _chapters(_markdown()).items():
        assert _DOTTED_NAME.search(section), f"{chapter} names no crisisops object"
        assert "](concepts/" in section, f"{chapter} links no concept page"
        assert _EXAMPLE.search(section), f"{chapter} names no example"
        assert _PYTHON_BLOCK.search(section), f"{chapter} shows no code"


def test_the_summary_table_maps_every_chapter() -> None:
    summary = _markdown().split("## Summary", 1)[1]
    rows = [line for line in summary.splitlines() if line.startswith("| §")]
    assert [row.split()[1] for row in rows] == list(CHAPTERS)
    for row in rows:
        assert _EXAMPLE.search(row), row


def test_every_relative_link_points_to_an_existing_page() -> None:
    targets = [
        target
        for target in _LINK.findall(_markdown())
        if not target.startswith(("http://", "https://", "mailto:", "#"))
    ]
    assert targets, "the page links no concept page"
    for target in targets:
        path = (PAGE.parent / target.split("#", 1)[0]).resolve()
        assert path.is_file(), f"{target} does not exist"
        assert DOCS in path.parents, f"{target} is outside docs/: MkDocs cannot link it"


def test_every_named_example_exists() -> None:
    named = set(_EXAMPLE.findall(_markdown()))
    assert set(BOOK_EXAMPLES) <= named
    for example in sorted(named):
        assert (ROOT / example).is_file(), f"{example} does not exist"


def test_every_crisisops_name_resolves() -> None:
    names = sorted(set(_DOTTED_NAME.findall(_markdown())))
    assert len(names) >= 100
    unresolved = [problem for problem in map(_unresolved, names) if problem]
    assert [] == unresolved
