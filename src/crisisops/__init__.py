"""crisisops: crisis management for e-commerce operations, as a pure-domain library.

The library follows the lifecycle of the book *電商運營中的危機管理與應對*: crisis
types and response levels (`crisisops.taxonomy`), warning and risk
assessment, strategy, execution and review. Every name below is importable
straight from ``crisisops``; the stage packages load lazily on first use, so
``import crisisops`` stays fast and pulls in none of numpy, networkx or cattrs.

Examples
--------
>>> import crisisops
>>> crisisops.default_catalog()["technical.system_failure"].labels.zh_hant
'系統故障危機'
>>> crisisops.ResponseLevel.from_sev("SEV1")
<ResponseLevel.I: 'I'>
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from crisisops._version import __version__

if TYPE_CHECKING:  # pragma: no cover - imports for type checkers only
    from crisisops._time import Frequency, Recurrence
    from crisisops.catalog import Catalog
    from crisisops.errors import (
        CrisisOpsError,
        DuplicateKeyError,
        InvalidTypeError,
        MissingExtraError,
        NaiveDatetimeError,
        SerializationError,
        TransitionError,
        UnknownKeyError,
        ValidationError,
    )
    from crisisops.frozen import FrozenDict
    from crisisops.labels import Labels
    from crisisops.serialization import SCHEMA_VERSION, from_data, to_data
    from crisisops.taxonomy import (
        CoombsStage,
        CrisisCategory,
        CrisisType,
        CrisisTypeCatalog,
        FinkStage,
        ImpactDimension,
        PearsonMitroffStage,
        Phase,
        ResponseLevel,
        SCCTCluster,
        SCCTCrisisType,
        default_catalog,
    )

__all__ = [
    "SCHEMA_VERSION",
    "Catalog",
    "CoombsStage",
    "CrisisCategory",
    "CrisisOpsError",
    "CrisisType",
    "CrisisTypeCatalog",
    "DuplicateKeyError",
    "FinkStage",
    "Frequency",
    "FrozenDict",
    "ImpactDimension",
    "InvalidTypeError",
    "Labels",
    "MissingExtraError",
    "NaiveDatetimeError",
    "PearsonMitroffStage",
    "Phase",
    "Recurrence",
    "ResponseLevel",
    "SCCTCluster",
    "SCCTCrisisType",
    "SerializationError",
    "TransitionError",
    "UnknownKeyError",
    "ValidationError",
    "__version__",
    "default_catalog",
    "from_data",
    "to_data",
]

# Where each public name lives; the module is imported on first access (PEP 562).
_LOCATIONS: dict[str, str] = {
    "Catalog": "crisisops.catalog",
    "CoombsStage": "crisisops.taxonomy",
    "CrisisCategory": "crisisops.taxonomy",
    "CrisisOpsError": "crisisops.errors",
    "CrisisType": "crisisops.taxonomy",
    "CrisisTypeCatalog": "crisisops.taxonomy",
    "DuplicateKeyError": "crisisops.errors",
    "FinkStage": "crisisops.taxonomy",
    "Frequency": "crisisops._time",
    "FrozenDict": "crisisops.frozen",
    "ImpactDimension": "crisisops.taxonomy",
    "InvalidTypeError": "crisisops.errors",
    "Labels": "crisisops.labels",
    "NaiveDatetimeError": "crisisops.errors",
    "PearsonMitroffStage": "crisisops.taxonomy",
    "Phase": "crisisops.taxonomy",
    "Recurrence": "crisisops._time",
    "ResponseLevel": "crisisops.taxonomy",
    "SCCTCluster": "crisisops.taxonomy",
    "SCCTCrisisType": "crisisops.taxonomy",
    "SCHEMA_VERSION": "crisisops.serialization",
    "SerializationError": "crisisops.errors",
    "MissingExtraError": "crisisops.errors",
    "TransitionError": "crisisops.errors",
    "UnknownKeyError": "crisisops.errors",
    "ValidationError": "crisisops.errors",
    "default_catalog": "crisisops.taxonomy",
    "from_data": "crisisops.serialization",
    "to_data": "crisisops.serialization",
}


def __getattr__(name: str) -> Any:  # noqa: ANN401  a lazily loaded public name
    """Load a public name from its module on first access (PEP 562)."""
    module_name = _LOCATIONS.get(name)
    if module_name is None:
        msg = f"module 'crisisops' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """List the public API (and the module's own globals)."""
    return sorted(set(globals()) | set(__all__))
