"""Lazy imports of the optional extras (pandas, matplotlib, dask).

DESIGN.md: the core needs only attrs, cattrs, networkx, numpy and dateutil;
an extra is imported on first use, by the function that needs it, never at
``import crisisops``. `require` does that import and turns a missing package
into a `crisisops.errors.MissingExtraError` that names the ``pip install``.

Examples
--------
>>> from crisisops._optional import require
>>> require("json", extra="none", feature="this doctest").__name__
'json'
>>> try:
...     require("no_such_module", extra="viz", feature="figures")
... except ImportError as error:
...     str(error)
"figures needs no_such_module: pip install 'crisisops[viz]'"
"""

from __future__ import annotations

import importlib
from types import ModuleType

from crisisops.errors import MissingExtraError

__all__ = ["require"]


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import ``module`` (e.g. ``"pandas"``) or say which extra installs it.

    Parameters
    ----------
    module
        The module to import, dotted if need be (``"matplotlib.figure"``).
    extra
        The crisisops extra that brings it (``"pandas"``, ``"viz"``, ``"dask"``).
    feature
        What needs it, for the message.

    Raises
    ------
    MissingExtraError
        If the module cannot be imported.
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(module.partition(".")[0], extra, feature) from error
