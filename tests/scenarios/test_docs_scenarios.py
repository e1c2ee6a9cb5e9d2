"""The scenarios concept page's code runs, block after block, as a reader would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PAGES = ("scenarios.md",)

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _python_blocks(page: str) -> list[str]:
    markdown = (ROOT / "docs" / "concepts" / page).read_text(encoding="utf-8")
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


@pytest.mark.parametrize("page", PAGES)
def test_every_python_block_of_the_page_runs_in_order(page: str) -> None:
    blocks = _python_blocks(page)
    assert blocks, f"{page} shows no code"
    namespace: dict[str, object] = {"__name__": f"docs_{page}"}
    for number, block in enumerate(blocks, start=1):
        compiled = compile(block, f"{page}, python block {number}", "exec")
        exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test
