"""Dependencies point one way (DESIGN.md, "Dependencies point one way").

``taxonomy``, ``errors``, ``serialization`` and the other bottom modules import
no stage; ``monitoring``, ``risk`` and ``stakeholders`` sit beside each other;
``planning`` sits above ``taxonomy``; ``response`` above ``planning`` (and may
use the packages beside and below it); ``review`` above ``response`` and
``monitoring``; ``scenarios`` on top, beside the adapters ``viz`` (figures),
``fleet`` (Dask) and ``schemas`` (JSON Schema), which no stage imports. This
test reads every module's imports (with `ast`, including imports inside
functions and ``TYPE_CHECKING`` blocks) and fails on an import that points up
or sideways.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "crisisops"

#: The stages a stage may import (the bottom modules are always allowed).
ALLOWED: dict[str, frozenset[str]] = {
    "monitoring": frozenset(),
    "risk": frozenset(),
    "stakeholders": frozenset(),
    "planning": frozenset(),
    "response": frozenset({"monitoring", "risk", "stakeholders", "planning"}),
    "review": frozenset({"monitoring", "risk", "stakeholders", "planning", "response"}),
    "scenarios": frozenset(
        {"monitoring", "risk", "stakeholders", "planning", "response", "review"}
    ),
    # Adapters on top, each for one optional extra or for every document type:
    # figures (matplotlib), fleet evaluation (dask) and the JSON Schemas.
    "viz": frozenset(
        {"monitoring", "risk", "stakeholders", "planning", "response", "review"}
    ),
    "fleet": frozenset({"monitoring"}),
    "schemas": frozenset(
        {
            "monitoring",
            "risk",
            "stakeholders",
            "planning",
            "response",
            "review",
            "scenarios",
        }
    ),
}
STAGES = frozenset(ALLOWED)


def _stage_of(path: Path) -> str | None:
    """Return the stage a source file belongs to (``None`` for bottom modules)."""
    relative = path.relative_to(SOURCE)
    if len(relative.parts) > 1 and relative.parts[0] in STAGES:
        return relative.parts[0]
    stem = relative.stem
    return stem if stem in STAGES else None


def _imported_stages(code: str, package: tuple[str, ...]) -> set[tuple[str, int]]:
    """Return (stage, line) for every import of a crisisops stage in ``code``.

    ``package`` is the file's package below ``crisisops`` (``("risk",)`` for
    ``crisisops/risk/register.py``), to resolve relative imports.
    """
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(code)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = package[: len(package) - node.level + 1]
                module = ".".join(("crisisops", *base, *filter(None, [node.module])))
            else:
                module = node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "crisisops" and parts[1] in STAGES:
                found.add((parts[1], getattr(node, "lineno", 0)))
    return found


def _source_files() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


@pytest.mark.parametrize(
    "path", _source_files(), ids=lambda p: str(p.relative_to(SOURCE))
)
def test_no_module_imports_a_stage_above_or_beside_it(path: Path) -> None:
    stage = _stage_of(path)
    allowed = ALLOWED[stage] | {stage} if stage is not None else frozenset()
    code = path.read_text(encoding="utf-8")
    package = path.relative_to(SOURCE).parts[:-1]
    wrong = sorted(
        (line, imported)
        for imported, line in _imported_stages(code, package)
        if imported not in allowed
    )
    assert not wrong, (
        f"{path.relative_to(SOURCE)} ({stage or 'bottom layer'}) imports "
        + ", ".join(f"crisisops.{name} (line {line})" for line, name in wrong)
    )


def test_the_scan_sees_imports_of_every_form() -> None:
    # The scan must not be blind: every import form is seen, relative ones too.
    code = (
        "import crisisops.risk\n"
        "from crisisops.planning import roles\n"
        "from crisisops import stakeholders\n"
        "from ..monitoring import panel\n"
        "def f():\n    from crisisops.review.records import Review\n"
    )
    stages = {stage for stage, _ in _imported_stages(code, ("response",))}
    assert {"risk", "planning", "stakeholders", "monitoring", "review"} == stages
