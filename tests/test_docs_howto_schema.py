"""The JSON-Schema how-to runs, block after block, as a reader would run it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "howto" / "json-schema.md"

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _python_blocks() -> list[str]:
    markdown = PAGE.read_text(encoding="utf-8")
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


def test_every_python_block_of_the_page_runs_in_order() -> None:
    blocks = _python_blocks()
    assert len(blocks) == 3, "the page shows its three python blocks"
    namespace: dict[str, object] = {"__name__": "docs_howto_json_schema"}
    for number, block in enumerate(blocks, start=1):
        compiled = compile(block, f"json-schema.md, python block {number}", "exec")
        exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test


def test_the_page_names_every_document_file() -> None:
    from crisisops.schemas import DOCUMENTS  # noqa: PLC0415  the module under test

    markdown = PAGE.read_text(encoding="utf-8")
    for name in DOCUMENTS:
        assert f"`schemas/{name}.schema.json`" in markdown
