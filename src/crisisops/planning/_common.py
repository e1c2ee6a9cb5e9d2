"""Private helper shared by the planning modules: reading a role vocabulary.

Moments are compared as instants with `crisisops._time.instant()` (shared
with the other packages). `role_keys()` accepts a
  `crisisops.planning.roles.RoleCatalog` or any iterable of role keys and
  rejects everything else (a crisis-type catalog, a bare string) with one
  `InvalidTypeError`, so ``check_roles()`` means the same thing on a RACI
  matrix, a playbook and an escalation chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from crisisops._validation import check_key
from crisisops.catalog import Catalog
from crisisops.errors import InvalidTypeError
from crisisops.planning.roles import RoleCatalog

__all__ = ["role_keys"]


def role_keys(known: RoleCatalog | Iterable[str], field: str) -> frozenset[str]:
    """Return the role keys of a `RoleCatalog` or of an iterable of keys.

    Raises
    ------
    InvalidTypeError
        If ``known`` is a string, not iterable, a catalog of something other
        than roles, or holds something that is not a ``str``.
    ValidationError
        If an item is not a well-formed role key (one lowercase word).
    """
    given: object = known
    if isinstance(given, RoleCatalog):
        return frozenset(given.keys())
    if isinstance(given, (str, bytes, Catalog, Mapping)) or not isinstance(
        given, Iterable
    ):
        raise InvalidTypeError(
            field, known, "a RoleCatalog or an iterable of role keys"
        )
    keys = tuple(given)
    for index, key in enumerate(keys):
        check_key(key, f"{field}[{index}]", dotted=False)
    return frozenset(keys)
