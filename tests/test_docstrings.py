"""Docstrings use Markdown, which the documentation site renders.

mkdocstrings shows Sphinx roles such as ``:class:`X``` as raw text, so the
source must not contain them; write `X` (code) instead.
"""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "crisisops"
ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`")


def test_no_sphinx_roles_in_the_source() -> None:
    found = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE.search(line)
    ]

    assert [] == found


def test_the_role_pattern_catches_roles() -> None:
    assert ROLE.search("see :class:`~crisisops.taxonomy.Phase`")
    assert ROLE.search("see :py:func:`evaluate`")
    assert not ROLE.search("see `Phase`")
