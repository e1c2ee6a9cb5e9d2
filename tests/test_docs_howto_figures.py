"""The figures how-to page's code runs, block after block, as a reader would."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")  # no display: the figures render off screen

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "howto" / "figures.md"

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_FENCE = re.compile(r"^```.*?^```$", re.DOTALL | re.MULTILINE)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _python_blocks() -> list[str]:
    return [
        m.group(1) for m in _PYTHON_BLOCK.finditer(PAGE.read_text(encoding="utf-8"))
    ]


def test_every_python_block_of_the_page_runs_in_order() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 7, "one block per figure"
    namespace: dict[str, object] = {"__name__": "docs_howto_figures"}
    for number, block in enumerate(blocks, start=1):
        compiled = compile(block, f"figures.md, python block {number}", "exec")
        exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test


def test_every_python_block_checks_the_figure_it_builds() -> None:
    for number, block in enumerate(_python_blocks(), start=1):
        assert "assert " in block, f"figures.md, python block {number} checks nothing"


def test_the_page_saves_nothing() -> None:
    assert not any("savefig" in block for block in _python_blocks())


def test_every_relative_link_resolves() -> None:
    text = _FENCE.sub("", PAGE.read_text(encoding="utf-8"))
    targets = [t for t in _LINK.findall(text) if not t.startswith(("http", "mailto:"))]
    assert targets, "the page links the concept pages"
    for target in targets:
        assert (PAGE.parent / target.partition("#")[0]).resolve().is_file(), target
