"""The planning concept pages' code runs, block after block, as a reader would.

Each block runs statement by statement, and what a statement prints is
checked against the comments that show it: the ``# ...`` lines right below
the statement (the whole output, whitespace aside), or else an inline comment
on its last line, which must start with the output (``print(x)  # 4.0 II:
the worst dimension counts``). A statement whose output no comment shows is
only run.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PAGES = (
    "planning.md",
    "planning-team.md",
    "planning-impact.md",
    "planning-playbooks.md",
    "planning-resources.md",
)

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _python_blocks(page: str) -> list[str]:
    markdown = (ROOT / "docs" / "concepts" / page).read_text(encoding="utf-8")
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _shown_output(lines: list[str], last: int) -> tuple[str, str] | None:
    """Return ("below" | "inline", text) for the comment showing a statement's output.

    ``last`` is the index of the statement's last line in ``lines``.
    """
    below = []
    for line in lines[last + 1 :]:
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        below.append(stripped[1:])
    if below:
        return "below", _squeeze(" ".join(below))
    code, hash_mark, comment = lines[last].partition("  # ")
    if hash_mark and code.strip():
        return "inline", _squeeze(comment)
    return None


@pytest.mark.parametrize("page", PAGES)
def test_every_python_block_of_the_page_runs_in_order(page: str) -> None:
    blocks = _python_blocks(page)
    assert blocks, f"{page} shows no code"
    namespace: dict[str, object] = {"__name__": f"docs_{page}"}
    checked = 0
    for number, block in enumerate(blocks, start=1):
        where = f"{page}, python block {number}"
        lines = block.splitlines()
        for statement in ast.parse(block).body:
            compiled = compile(ast.Module([statement], []), where, "exec")
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test
            output = _squeeze(printed.getvalue())
            last = (statement.end_lineno or statement.lineno) - 1
            shown = _shown_output(lines, last)
            if not output or shown is None:
                continue
            how, text = shown
            if how == "below":
                assert output == text, f"{where}, line {last + 1}"
            else:
                assert text.startswith(output), f"{where}, line {last + 1}"
            checked += 1
    assert checked, f"{page} shows no output to check"
