"""The fleet how-to page's code runs, block after block, as a reader would."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "howto" / "fleet.md"

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _python_blocks() -> list[str]:
    markdown = PAGE.read_text(encoding="utf-8")
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


def test_every_python_block_of_the_fleet_page_runs_in_order() -> None:
    blocks = _python_blocks()
    assert blocks, "docs/howto/fleet.md shows no code"
    namespace: dict[str, object] = {"__name__": "docs_howto_fleet"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for number, block in enumerate(blocks, start=1):
            compiled = compile(block, f"fleet.md, python block {number}", "exec")
            exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test
    # What the page's comments say the blocks print.
    lines = printed.getvalue().splitlines()
    assert "[76, 75, 75, 75]" in lines
    assert "[(1, 4), (2, 4), (3, 4), (4, 4)]" in lines
