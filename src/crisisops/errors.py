"""The exceptions crisisops raises, one rooted tree.

Every exception derives from `CrisisOpsError`, so ``except CrisisOpsError``
catches anything the library raises on purpose. Each subclass also inherits the
builtin it resembles, so code written against plain Python keeps working:
``except ValueError`` still catches a `ValidationError`, ``except KeyError``
still catches an `UnknownKeyError`.

Messages name the field, the value received and what was expected, e.g.
``'threshold' must be in [0, 1] (got 1.5)``. The same facts are kept on the
exception as attributes (``field``, ``value``, ``expected``) so a user interface
can show them without parsing the text.

Examples
--------
>>> from crisisops.errors import UnknownKeyError
>>> err = UnknownKeyError("crisis type", "market.demand_shfit", ["market.demand_shift"])
>>> str(err)
"unknown crisis type 'market.demand_shfit'; did you mean 'market.demand_shift'?"
>>> isinstance(err, KeyError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "CrisisOpsError",
    "DuplicateKeyError",
    "InvalidTypeError",
    "MissingExtraError",
    "NaiveDatetimeError",
    "SerializationError",
    "TransitionError",
    "UnknownKeyError",
    "ValidationError",
]

_MAX_VALUE_REPR = 80


def _short_repr(value: object) -> str:
    """Return ``repr(value)`` cut to a readable length for error messages."""
    text = repr(value)
    if len(text) > _MAX_VALUE_REPR:
        return text[: _MAX_VALUE_REPR - 3] + "..."
    return text


class CrisisOpsError(Exception):
    """Root of every exception that crisisops raises on purpose.

    Examples
    --------
    One ``except`` clause for anything the library refuses, whatever the
    subclass:

    >>> from crisisops.taxonomy import Phase, default_catalog
    >>> def refused(call):
    ...     try:
    ...         call()
    ...     except CrisisOpsError as error:
    ...         return type(error).__name__
    >>> refused(lambda: default_catalog()["market.demand_shfit"])
    'UnknownKeyError'
    >>> refused(lambda: Phase.REVIEW.move_to(Phase.STRATEGY))
    'TransitionError'
    """


class ValidationError(CrisisOpsError, ValueError):
    """A value has the right type but is not acceptable.

    Parameters
    ----------
    field
        Name of the field or argument that was checked, e.g. ``"labels.en"``.
    value
        The value that was received.
    expected
        What was expected, in words, e.g. ``"a finite number in [0, 1]"``.

    Examples
    --------
    >>> error = ValidationError("threshold", 1.5, "a number in [0, 1]")
    >>> str(error)
    "'threshold' must be a number in [0, 1] (got 1.5)"
    >>> error.field, error.value, error.expected
    ('threshold', 1.5, 'a number in [0, 1]')
    >>> isinstance(error, ValueError)  # plain ``except ValueError`` catches it
    True
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field!r} must be {expected} (got {_short_repr(value)})")


class NaiveDatetimeError(ValidationError):
    """A datetime without a timezone was given where an aware one is required.

    crisisops never guesses a timezone: ``datetime(2026, 1, 1)`` is rejected,
    ``datetime(2026, 1, 1, tzinfo=timezone.utc)`` is accepted.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops import Recurrence
    >>> try:
    ...     Recurrence.quarterly(datetime(2026, 1, 15))
    ... except NaiveDatetimeError as error:
    ...     error.field, error.expected
    ('start', 'a timezone-aware datetime (tzinfo set)')
    >>> Recurrence.quarterly(datetime(2026, 1, 15, tzinfo=timezone.utc)).start.day
    15

    It is a `ValidationError`, so code that catches those catches it too:

    >>> isinstance(NaiveDatetimeError("at", datetime(2026, 1, 1)), ValidationError)
    True
    """

    def __init__(self, field: str, value: object) -> None:
        super().__init__(field, value, "a timezone-aware datetime (tzinfo set)")


class InvalidTypeError(CrisisOpsError, TypeError):
    """A value has the wrong type.

    Parameters
    ----------
    field
        Name of the field or argument that was checked.
    value
        The value that was received.
    expected
        The expected type, in words, e.g. ``"a str"``.

    Examples
    --------
    Catalogs are looked up by text keys:

    >>> from crisisops.taxonomy import default_catalog
    >>> try:
    ...     default_catalog()[42]
    ... except InvalidTypeError as error:
    ...     str(error)
    "'key' must be a str key (got 42 of type int)"
    >>> isinstance(InvalidTypeError("key", 42, "a str key"), TypeError)
    True
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(
            f"{field!r} must be {expected} "
            f"(got {_short_repr(value)} of type {type(value).__name__})"
        )


class UnknownKeyError(CrisisOpsError, KeyError):
    """A key was looked up that a catalog or mapping does not hold.

    The message suggests the closest known keys (by ``difflib`` similarity), so a
    typo such as ``market.demand_shfit`` points straight at the right key.

    Parameters
    ----------
    kind
        What sort of key it is, in words, e.g. ``"crisis type"``.
    key
        The key that was looked up.
    known
        The keys that do exist; used for suggestions.
    """

    def __init__(self, kind: str, key: object, known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.key = key
        self.suggestions: tuple[str, ...] = tuple(
            difflib.get_close_matches(str(key), list(known), n=3, cutoff=0.6)
        )
        message = f"unknown {kind} {_short_repr(key)}"
        if self.suggestions:
            quoted = " or ".join(repr(s) for s in self.suggestions)
            message += f"; did you mean {quoted}?"
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        """Return the plain message (``KeyError`` would otherwise quote it)."""
        return self.message


class DuplicateKeyError(CrisisOpsError, ValueError):
    """A key that must be unique was given twice.

    Parameters
    ----------
    kind
        What sort of key it is, in words, e.g. ``"crisis type"``.
    key
        The repeated key.

    Examples
    --------
    A built-in crisis type cannot be added a second time (use
    ``Catalog.replace()`` to override it):

    >>> from crisisops.taxonomy import default_catalog
    >>> catalog = default_catalog()
    >>> try:
    ...     catalog.add(catalog["supply_chain.inventory"])
    ... except DuplicateKeyError as error:
    ...     str(error)
    "duplicate crisis type 'supply_chain.inventory': keys must be unique"
    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"duplicate {kind} {_short_repr(key)}: keys must be unique")


class TransitionError(CrisisOpsError, ValueError):
    """A state change that the lifecycle does not allow was attempted.

    Parameters
    ----------
    what
        What is changing, e.g. ``"phase"``.
    current
        The state before the attempted change.
    target
        The state that was asked for.
    allowed
        The states that may follow ``current``.

    Examples
    --------
    After the review (復盤) a crisis only goes back to warning:

    >>> from crisisops.taxonomy import Phase
    >>> try:
    ...     Phase.REVIEW.move_to(Phase.STRATEGY)
    ... except TransitionError as error:
    ...     str(error), error.allowed
    ('cannot move phase from REVIEW to STRATEGY; allowed next: WARNING', ('WARNING',))
    """

    def __init__(
        self, what: str, current: object, target: object, allowed: Iterable[object]
    ) -> None:
        self.what = what
        self.current = current
        self.target = target
        self.allowed = tuple(allowed)
        allowed_text = ", ".join(str(a) for a in self.allowed) or "nothing"
        super().__init__(
            f"cannot move {what} from {current} to {target}; "
            f"allowed next: {allowed_text}"
        )


class SerializationError(CrisisOpsError, ValueError):
    """Plain data could not be turned into a value, or a value into plain data.

    Parameters
    ----------
    path
        Where in the document the problem is, as a JSONPath-like string such as
        ``$.data.labels.en``; ``$`` is the whole document.
    problem
        What is wrong there, in words.
    problems
        Every problem found, as ``(path, problem)`` pairs; the first one is the
        one in the message. Defaults to just ``(path, problem)``.

    Examples
    --------
    A stored crisis type whose English label was blanked:

    >>> from crisisops.serialization import from_data, to_data
    >>> from crisisops.taxonomy import CrisisType, default_catalog
    >>> document = to_data(default_catalog()["supply_chain.inventory"])
    >>> document["data"]["labels"]["en"] = ""
    >>> try:
    ...     from_data(CrisisType, document)
    ... except SerializationError as error:
    ...     error.path, error.problem
    ('$.data.labels.en', "'en' must be a non-empty text (got '')")
    """

    def __init__(
        self,
        path: str,
        problem: str,
        problems: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.path = path
        self.problem = problem
        self.problems: tuple[tuple[str, str], ...] = tuple(problems) or (
            (path, problem),
        )
        super().__init__(f"at {path}: {problem}")


class MissingExtraError(CrisisOpsError, ImportError):
    """An optional extra (pandas, matplotlib, dask) is needed but not installed.

    The core library needs only its five runtime dependencies; figures,
    DataFrames and fleet evaluation load their package on first use and raise
    this, naming the ``pip install`` that brings it, when it is missing.

    Parameters
    ----------
    package
        The module that could not be imported, e.g. ``"pandas"``.
    extra
        The crisisops extra that installs it, e.g. ``"pandas"``.
    feature
        What needed it, in words, e.g. ``"Panel.from_frame"``.

    Examples
    --------
    >>> error = MissingExtraError("matplotlib", "viz", "crisisops.viz")
    >>> str(error)
    "crisisops.viz needs matplotlib: pip install 'crisisops[viz]'"
    >>> isinstance(error, ImportError)
    True
    """

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{feature} needs {package}: pip install 'crisisops[{extra}]'",
            name=package,
        )
