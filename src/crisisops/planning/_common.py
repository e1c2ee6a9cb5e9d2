"""Private helpers shared by the planning modules: instants and role keys.

Two things every planning module needs to do the same way:

* **compare moments as instants.** Python compares two aware datetimes that
  share one ``tzinfo`` object by their wall-clock reading, ignoring ``fold``
  and the UTC offset, so in the hour a zone falls back 01:50 EDT (``fold=0``)
  counts as later than 01:10 EST (``fold=1``), forty minutes after it. Every
  planning check that orders moments (availability windows, deadlines,
  schedules, escalation notices) goes through `instant()` instead.
* **read a role vocabulary.** `role_keys()` accepts a
  `crisisops.planning.roles.RoleCatalog` or any iterable of role keys and
  rejects everything else (a crisis-type catalog, a bare string) with one
  `InvalidTypeError`, so ``check_roles()`` means the same thing on a RACI
  matrix, a playbook and an escalation chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from crisisops._validation import check_key
from crisisops.catalog import Catalog
from crisisops.errors import InvalidTypeError
from crisisops.planning.roles import RoleCatalog

__all__ = ["instant", "role_keys", "wall_time"]

_UTC = dt.timezone.utc


def instant(moment: dt.datetime) -> dt.datetime:
    """Return an aware ``moment`` in UTC: the form that compares as an instant."""
    return moment.astimezone(_UTC)


def wall_time(moment: dt.datetime) -> dt.datetime:
    """Return ``moment`` as a real wall-clock time of its own zone.

    Calendar arithmetic on the wall clock (``relativedelta``) can land on a
    time the zone skips when it springs forward (02:30 on that Sunday in New
    York); such a time moves forward by the gap, as the zone's offset before
    the change reads it (02:30 EST is 03:30 EDT). A time that exists is
    returned unchanged; an ambiguous one keeps ``fold=0``, its first
    occurrence.
    """
    return moment.astimezone(_UTC).astimezone(moment.tzinfo)


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
