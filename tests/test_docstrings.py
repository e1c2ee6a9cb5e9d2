"""Docstrings use Markdown and every public name has a runnable example.

mkdocstrings shows Sphinx roles such as ``:class:`X``` as raw text, so the
source must not contain them; write `X` (code) instead. And the API reference
teaches by example: every name a package exports appears in a doctest of the
module that defines it, and the suite runs every doctest.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
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


# --------------------------------------------------------------------------
# Every public name has a runnable example (issue #10, API reference).
# --------------------------------------------------------------------------

#: The packages whose ``__all__`` is the public API.
PUBLIC_PACKAGES = (
    "crisisops",
    "crisisops.taxonomy",
    "crisisops.monitoring",
    "crisisops.risk",
    "crisisops.planning",
    "crisisops.stakeholders",
    "crisisops.response",
    "crisisops.review",
    "crisisops.scenarios",
    "crisisops.serialization",
    "crisisops.schemas",
    "crisisops.viz",
    "crisisops.fleet",
    "crisisops.errors",
)


def _doctest_source(module_name: str) -> str:
    """Every doctest line (source) in a module, its classes and functions."""
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder()
    return "\n".join(ex.source for test in finder.find(module) for ex in test.examples)


def _modules_of(package: str) -> list[str]:
    """The package and, for a package with a path, every module inside it."""
    module = importlib.import_module(package)
    names = [package]
    path = getattr(module, "__path__", None)
    if path is not None:
        names += [info.name for info in pkgutil.walk_packages(path, f"{package}.")]
    return names


def _home(package: str, name: str, value: object) -> list[str]:
    """Where an example of ``name`` may live: its defining module(s)."""
    if inspect.isclass(value) or inspect.isfunction(value):
        defining = getattr(value, "__module__", package)
        if defining.startswith("crisisops"):
            return [defining, package]
    # A constant: the modules of its package that assign it, and the package.
    homes = [package]
    for module_name in _modules_of(package):
        module = importlib.import_module(module_name)
        if name in vars(module) and module_name != package:
            homes.append(module_name)
    return homes


def test_every_public_name_appears_in_a_runnable_example() -> None:
    sources: dict[str, str] = {}
    missing = []
    for package in PUBLIC_PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            homes = _home(package, name, getattr(module, name))
            text = "\n".join(
                sources.setdefault(home, _doctest_source(home)) for home in homes
            )
            if not re.search(rf"\b{re.escape(name)}\b", text):
                missing.append(f"{homes[0]}.{name}")

    assert [] == sorted(set(missing))
