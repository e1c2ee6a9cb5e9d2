"""The README's taste of the API runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_python_block_runs() -> None:
    blocks = re.findall(
        r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL
    )

    assert 1 == len(blocks)
    exec(compile(blocks[0], str(README), "exec"), {})  # noqa: S102  our own README


def test_the_readme_keeps_exactly_two_set_up_commands() -> None:
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)\n```", text, re.DOTALL)

    assert [
        "pip install -e . && python examples/quickstart.py",
        'pip install -e ".[test]" && pytest',
    ] == commands
