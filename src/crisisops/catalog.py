"""Open, immutable catalogs of keyed entries.

Every built-in vocabulary in crisisops (crisis types here; indicators, roles,
playbooks and stakeholder kinds in later packages) is a `Catalog`: a
default, not a cage (DESIGN.md principle 7). A catalog is an immutable value;
adding your own entries returns a new catalog and never changes the old one.

Looking up a key that is not there raises
`UnknownKeyError`, which suggests the closest keys.
Adding an entry whose key is already present raises
`DuplicateKeyError`; use `Catalog.replace()` to
override a built-in on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import attrs
from typing_extensions import Self

from crisisops._validation import field_name, to_tuple
from crisisops.errors import DuplicateKeyError, InvalidTypeError, UnknownKeyError
from crisisops.frozen import FrozenDict

__all__ = ["Catalog", "Keyed"]


class Keyed(Protocol):
    """Anything with a stable string ``key``: what a catalog can hold."""

    @property
    def key(self) -> str:
        """The entry's stable, unique key."""
        ...


EntryT = TypeVar("EntryT", bound=Keyed)
CatalogT = TypeVar("CatalogT", bound="Catalog[Any]")


def _check_entries(instance: Catalog[Any], attribute: Any, value: object) -> None:  # noqa: ANN401
    """Check that entries are a tuple of the catalog's entry type, keys unique."""
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of catalog entries")
    entry_type = type(instance).entry_type
    seen: set[str] = set()
    for index, entry in enumerate(value):
        if entry_type is not None and not isinstance(entry, entry_type):
            raise InvalidTypeError(
                f"{name}[{index}]", entry, f"a {entry_type.__name__}"
            )
        key = getattr(entry, "key", None)
        if not isinstance(key, str):
            raise InvalidTypeError(f"{name}[{index}].key", key, "a str key")
        if key in seen:
            raise DuplicateKeyError(instance.kind, key)
        seen.add(key)


@attrs.frozen
class Catalog(Generic[EntryT]):
    """An immutable, ordered collection of entries looked up by ``key``.

    Subclasses fix the entry type (``entry_type``) and the word used in error
    messages (``kind``), e.g. `crisisops.taxonomy.CrisisTypeCatalog`.

    Attributes
    ----------
    entries
        The entries, in display order; keys must be unique.

    Examples
    --------
    Any values with a ``key`` make a catalog, here the book's financial
    crises:

    >>> from crisisops.catalog import Catalog
    >>> from crisisops.taxonomy import CrisisCategory, default_catalog
    >>> money = Catalog(default_catalog().in_category(CrisisCategory.FINANCIAL).entries)
    >>> len(money), money.keys()[:2]
    (7, ('financial.cash_shortage', 'financial.risk_control'))
    >>> money["financial.cash_shortage"].labels.zh_hant
    '資金短缺危機'
    >>> "financial.fx_risk" in money, money.get("market.competition")
    (True, None)

    Changes return a new catalog; the old one is left as it was:

    >>> smaller = money.without("financial.fx_risk")
    >>> len(money), len(smaller)
    (7, 6)
    >>> money.select(lambda entry: "cash" in entry.key).keys()
    ('financial.cash_shortage', 'financial.cash_chain')

    A typo in a key is answered with the closest keys:

    >>> from crisisops.errors import UnknownKeyError
    >>> try:
    ...     money["financial.cash_shortgae"]
    ... except UnknownKeyError as error:
    ...     error.suggestions[0]
    'financial.cash_shortage'
    """

    #: The class every entry must be an instance of (``None``: any keyed value).
    entry_type: ClassVar[type | None] = None
    #: What an entry is called in messages, e.g. ``"crisis type"``.
    kind: ClassVar[str] = "catalog entry"

    entries: tuple[EntryT, ...] = attrs.field(
        converter=to_tuple, validator=_check_entries
    )
    _index: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Index the entries by key for constant-time lookup."""
        index = FrozenDict((entry.key, i) for i, entry in enumerate(self.entries))
        object.__setattr__(self, "_index", index)

    # --- reading -------------------------------------------------------------

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self.entries)

    def __iter__(self) -> Iterator[EntryT]:
        """Iterate over the entries in order."""
        return iter(self.entries)

    def __contains__(self, item: object) -> bool:
        """Return whether a key (or an entry with that key) is in the catalog."""
        key = item if isinstance(item, str) else getattr(item, "key", None)
        return isinstance(key, str) and key in self._index

    def __getitem__(self, key: str) -> EntryT:
        """Return the entry with ``key``; raise ``UnknownKeyError`` otherwise."""
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a str key")
        position = self._index.get(key)
        if position is None:
            raise UnknownKeyError(self.kind, key, self._index.keys())
        return self.entries[position]

    def get(self, key: str) -> EntryT | None:
        """Return the entry with ``key``, or ``None`` if there is none."""
        position = self._index.get(key)
        return None if position is None else self.entries[position]

    def keys(self) -> tuple[str, ...]:
        """Return the keys in order."""
        return tuple(self._index)

    def select(self, predicate: Callable[[Any], bool]) -> Self:
        """Return a catalog of the entries for which ``predicate`` is true."""
        return self._evolve([e for e in self.entries if predicate(e)])

    # --- changing (always a new catalog) ---------------------------------------

    def add(self, *entries: Any) -> Self:  # noqa: ANN401
        """Return a new catalog with ``entries`` appended.

        Raises
        ------
        DuplicateKeyError
            If a key is already in the catalog or repeated among ``entries``.
        """
        return self._evolve([*self.entries, *entries])

    def replace(self, entry: Any) -> Self:  # noqa: ANN401
        """Return a new catalog where the entry with ``entry.key`` is swapped.

        Raises
        ------
        UnknownKeyError
            If no entry has that key (use `add()` for new keys).
        """
        key = getattr(entry, "key", None)
        if not isinstance(key, str) or key not in self._index:
            raise UnknownKeyError(self.kind, key, self._index.keys())
        position = self._index[key]
        entries = list(self.entries)
        entries[position] = entry
        return self._evolve(entries)

    def without(self, *keys: str) -> Self:
        """Return a new catalog without the entries with ``keys``.

        Raises
        ------
        UnknownKeyError
            If a key is not in the catalog.
        """
        for key in keys:
            self[key]  # raises UnknownKeyError with suggestions
        drop = set(keys)
        return self._evolve([e for e in self.entries if e.key not in drop])

    def merge(self, other: Iterable[Any]) -> Self:
        """Return a new catalog with every entry of ``other`` added.

        Raises
        ------
        DuplicateKeyError
            If the two catalogs share a key.
        """
        return self._evolve([*self.entries, *other])

    def _evolve(self, entries: Iterable[Any]) -> Self:
        """Build a catalog of the same class (subclasses re-validate)."""
        return attrs.evolve(self, entries=tuple(entries))
