"""RACI charts: who does, approves, advises on and hears about each action.

Book §4.1 asks for clear duties and a division of labour in the crisis team
(明確小組職責與分工) so the team can act at once; a *responsibility assignment
matrix* (PMBOK Guide, 6th ed., §9.1.2.2) is the standard way to write that
down. A `RACIMatrix` has one row per action and one column per role; each cell
holds the role's letters for the action:

* **R** – Responsible (負責執行): does the work;
* **A** – Accountable (當責): the single approver, answerable for the outcome;
* **C** – Consulted (諮詢): asked before the work, two-way;
* **I** – Informed (知會): told after the work, one-way.

Rules (checked when the matrix is built; an error names the action and the
role):

* exactly one **A** per action — none, or two or more, is an error;
* at least one **R** per action, where an **A** with no **R** counts as doing
  the work itself ("A alone"); an explicit A+R on one role is allowed too. With
  ``accountable_does_work=False`` every action needs an explicit R;
* a role holds at most one letter per action, except the pair A+R (written
  ``"AR"``); ``"RC"``, ``"CI"``, ``"RR"`` ... are errors;
* with a role vocabulary (a `RoleCatalog` or an iterable of role keys),
  every role must be in it (`RACIMatrix.from_rows`, `RACIMatrix.check_roles`).

`RACIMatrix.overload` reports roles that are R or A on more actions than a
threshold, and `RACIMatrix.idle_roles` roles with no letter at all — the two
warnings of Smith & Erwin's RACI guidance. Counts are numpy reductions over
the matrix's bit codes.

Examples
--------
>>> from crisisops.planning.raci import RACIMatrix
>>> chart = RACIMatrix.from_rows(
...     {
...         "Contain the attack": {"security_lead": "AR", "tech_maintenance": "R"},
...         "Restore data from backup": {
...             "tech_maintenance": "R",
...             "security_lead": "A",
...             "crisis_lead": "I",
...         },
...         "Notify users and regulators": {
...             "crisis_lead": "A",
...             "comms_liaison": "R",
...             "legal_counsel": "C",
...         },
...     }
... )
>>> chart.accountable("Restore data from backup")
'security_lead'
>>> chart.responsible("Contain the attack")
('security_lead', 'tech_maintenance')
>>> dict(chart.workload())  # actions where the role is R or A
... # doctest: +NORMALIZE_WHITESPACE
{'security_lead': 2, 'tech_maintenance': 2, 'crisis_lead': 1,
 'comms_liaison': 1, 'legal_counsel': 0}
>>> [(o.role, o.count) for o in chart.overload(1)]
[('security_lead', 2), ('tech_maintenance', 2)]
>>> from crisisops.errors import ValidationError
>>> try:
...     RACIMatrix.from_rows({"Refund": {"finance_lead": "A", "crisis_lead": "A"}})
... except ValidationError as error:
...     error.field, error.expected
... # doctest: +NORMALIZE_WHITESPACE
("chart['Refund']",
 "exactly one Accountable (A); found 2: 'finance_lead', 'crisis_lead'")

References
----------
Project Management Institute. 2017. *A Guide to the Project Management Body
of Knowledge (PMBOK Guide)*, 6th ed., §9.1.2.2 (responsibility assignment
matrix; RACI chart). Newtown Square, PA: PMI.
Smith, Michael L., and James Erwin. "Role & Responsibility Charting (RACI)."
PMI California Inland Empire Chapter.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_key,
    check_str,
    check_unique_texts,
    field_name,
    is_instance,
    is_key,
    is_text,
    is_tuple_of,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.planning._common import role_keys
from crisisops.planning.roles import RoleCatalog

__all__ = ["RACILetter", "RACIMatrix", "RACIOverload"]

CodeArray = npt.NDArray[np.uint8]


class RACILetter(enum.Enum):
    """The four letters of a RACI chart; the value is the letter itself.

    Examples
    --------
    >>> RACILetter("A").labels.zh_hant
    '當責'
    >>> RACILetter.RESPONSIBLE.bit
    1
    """

    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"

    @property
    def labels(self) -> Labels:
        """Name of the letter in English, 繁體 and 简体."""
        return _LETTER_LABELS[self]

    @property
    def bit(self) -> int:
        """The bit that marks this letter in `RACIMatrix.codes` (R 1, A 2, C 4, I 8)."""
        return _BITS[self.value]


_LETTER_LABELS = {
    RACILetter.RESPONSIBLE: Labels(
        en="Responsible", zh_hant="負責執行", zh_hans="负责执行"
    ),
    RACILetter.ACCOUNTABLE: Labels(en="Accountable", zh_hant="當責", zh_hans="当责"),
    RACILetter.CONSULTED: Labels(en="Consulted", zh_hant="諮詢", zh_hans="咨询"),
    RACILetter.INFORMED: Labels(en="Informed", zh_hant="知會", zh_hans="知会"),
}
_R, _A, _C, _I = 1, 2, 4, 8
_BITS = {"R": _R, "A": _A, "C": _C, "I": _I}
#: Canonical order of letters inside a cell: "AR", never "RA".
_ORDER = "ARCI"
#: The codes a cell may hold: nothing, one letter, or A+R.
_ALLOWED = np.array([0, _R, _A, _C, _I, _A | _R], dtype=np.uint8)
_LETTERS_EXPECTED = "letters from R, A, C and I, each at most once (e.g. 'R' or 'AR')"
_ONE_LETTER_EXPECTED = "at most one letter per role and action, except A+R ('AR')"


def _letter(letter: object) -> RACILetter:
    """Return ``letter`` as a `RACILetter` (``"r"`` and ``"R"`` both work)."""
    if isinstance(letter, RACILetter):
        return letter
    if not isinstance(letter, str):
        raise InvalidTypeError("letter", letter, "a RACILetter or 'R', 'A', 'C', 'I'")
    try:
        return RACILetter(letter.strip().upper())
    except ValueError:
        raise ValidationError("letter", letter, "one of R, A, C, I") from None


def _normalise_cell(cell: object) -> object:
    """Upper-case a cell and put its letters in canonical order ("ra" → "AR")."""
    if not isinstance(cell, str):
        return cell
    letters = cell.replace(" ", "").upper()
    if set(letters) <= set(_ORDER) and len(set(letters)) == len(letters):
        return "".join(sorted(letters, key=_ORDER.index))
    return letters


def _to_chart(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    rows = to_tuple(value)
    if not isinstance(rows, tuple):
        return rows
    converted: list[object] = []
    for row in rows:
        cells: object = to_tuple(row)
        converted.append(
            tuple(_normalise_cell(c) for c in cells)
            if isinstance(cells, tuple)
            else cells
        )
    return tuple(converted)


def _check_actions(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    check_unique_texts(value, field_name(attribute), "action")


def _check_roles(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of role keys")
    if not value:
        raise ValidationError(name, value, "at least one role")
    seen: set[str] = set()
    for index, key in enumerate(value):
        check_key(key, f"{name}[{index}]", dotted=False)
        if key in seen:
            raise DuplicateKeyError("role", key)
        seen.add(key)


def _is_count(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int >= 0")
    if value < 0:
        raise ValidationError(name, value, "an int >= 0")


@attrs.frozen(kw_only=True)
class RACIOverload:
    """A role that is Responsible or Accountable on too many actions.

    Attributes
    ----------
    role
        The role key.
    actions
        The actions where the role is R or A (or both), in matrix order.
    threshold
        The most such actions a role was allowed.

    Examples
    --------
    The crisis lead approves all three actions and does one of them; with
    at most two R/A actions per role it is overloaded, the others are not:

    >>> chart = RACIMatrix.from_rows(
    ...     {
    ...         "Pause ads": {"crisis_lead": "A", "marketing_pr": "R"},
    ...         "Refund buyers": {"crisis_lead": "A", "finance_lead": "R"},
    ...         "Issue statement": {"crisis_lead": "AR"},
    ...     }
    ... )
    >>> (warning,) = chart.overload(2)
    >>> warning == RACIOverload(
    ...     role="crisis_lead",
    ...     actions=["Pause ads", "Refund buyers", "Issue statement"],
    ...     threshold=2,
    ... )
    True
    >>> warning.count
    3
    """

    role: str = attrs.field(validator=is_key(dotted=False))
    actions: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text(), min_length=1)
    )
    threshold: int = attrs.field(validator=_is_count)

    @property
    def count(self) -> int:
        """Number of actions where the role is R or A."""
        return len(self.actions)


@attrs.frozen(kw_only=True)
class RACIMatrix:
    """A validated RACI chart of actions × roles (see the module docstring).

    Attributes
    ----------
    actions
        The actions (rows), e.g. playbook steps; non-blank, unique texts.
    roles
        The role keys (columns), unique.
    chart
        One row per action, one cell per role: ``""`` (not involved), ``"R"``,
        ``"A"``, ``"C"``, ``"I"`` or ``"AR"``. Cells are upper-cased and put in
        canonical order on the way in (``"ra"`` becomes ``"AR"``).
    accountable_does_work
        If true (the default), an action whose only doer is its Accountable is
        valid: A alone does the work. If false, every action needs an R.
    """

    actions: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_check_actions
    )
    roles: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_check_roles)
    chart: tuple[tuple[str, ...], ...] = attrs.field(converter=_to_chart)
    accountable_does_work: bool = attrs.field(
        default=True, validator=is_instance(bool, "a bool")
    )
    _codes: CodeArray = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Check the chart's shape and the RACI rules; keep the bit codes."""
        codes = self._encode()
        allowed = np.isin(codes, _ALLOWED)
        if not allowed.all():
            row, column = np.argwhere(~allowed)[0]
            raise ValidationError(
                self._cell_field(int(row), int(column)),
                self.chart[row][column],
                _ONE_LETTER_EXPECTED,
            )
        accountable = (codes & _A) != 0
        count = accountable.sum(axis=1)
        bad = np.flatnonzero(count != 1)
        if bad.size:
            row = int(bad[0])
            holders = [self.roles[j] for j in np.flatnonzero(accountable[row])]
            found = (
                "none"
                if not holders
                else f"{len(holders)}: " + ", ".join(repr(h) for h in holders)
            )
            raise ValidationError(
                f"chart[{self.actions[row]!r}]",
                self._row_cells(row),
                f"exactly one Accountable (A); found {found}",
            )
        if not self.accountable_does_work:
            responsible = ((codes & _R) != 0).any(axis=1)
            missing = np.flatnonzero(~responsible)
            if missing.size:
                row = int(missing[0])
                raise ValidationError(
                    f"chart[{self.actions[row]!r}]",
                    self._row_cells(row),
                    "at least one Responsible (R) when accountable_does_work is False",
                )
        codes.setflags(write=False)
        object.__setattr__(self, "_codes", codes)

    def _row_cells(self, row: int) -> dict[str, str]:
        """Return the non-empty cells of a row, for error messages."""
        cells = zip(self.roles, self.chart[row], strict=True)
        return {role: cell for role, cell in cells if cell}

    def _cell_field(self, row: int, column: int) -> str:
        return f"chart[{self.actions[row]!r}][{self.roles[column]!r}]"

    def _encode(self) -> CodeArray:
        """Check the chart's shape and cell texts; return the uint8 bit codes."""
        n, m = len(self.actions), len(self.roles)
        if not isinstance(self.chart, tuple):
            raise InvalidTypeError("chart", self.chart, "a tuple (or list) of rows")
        if len(self.chart) != n:
            raise ValidationError(
                "chart", len(self.chart), f"one row per action ({n} rows)"
            )
        for row, cells in enumerate(self.chart):
            field = f"chart[{self.actions[row]!r}]"
            if not isinstance(cells, tuple):
                raise InvalidTypeError(field, cells, "a tuple (or list) of cells")
            if len(cells) != m:
                raise ValidationError(field, cells, f"one cell per role ({m} cells)")
        flat = np.array([cell for cells in self.chart for cell in cells], dtype=object)
        kinds = set(map(type, flat.tolist()))
        if kinds - {str}:
            index = next(
                i for i, c in enumerate(flat.tolist()) if not isinstance(c, str)
            )
            raise InvalidTypeError(
                self._cell_field(index // m, index % m), flat[index], "a str of letters"
            )
        # Few distinct cell texts: encode each once, then map back (vectorised).
        texts, inverse = np.unique(flat.astype(str), return_inverse=True)
        table = np.zeros(len(texts), dtype=np.uint8)
        for position, text in enumerate(texts.tolist()):
            if not set(text) <= set(_ORDER) or len(set(text)) != len(text):
                index = int(np.flatnonzero(inverse == position)[0])
                raise ValidationError(
                    self._cell_field(index // m, index % m), text, _LETTERS_EXPECTED
                )
            table[position] = sum(_BITS[letter] for letter in text)
        return table[inverse].reshape(n, m)

    # --- building -------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Mapping[str, Mapping[str, str]],
        *,
        roles: Iterable[str] | None = None,
        catalog: RoleCatalog | Iterable[str] | None = None,
        accountable_does_work: bool = True,
    ) -> RACIMatrix:
        """Build a matrix from ``{action: {role: letters}}``; missing cells are empty.

        Parameters
        ----------
        rows
            Action → role key → letters, e.g.
            ``{"Contain the attack": {"security_lead": "AR"}}``.
        roles
            The columns, in order. By default, every role the rows name, in
            order of first appearance. If given, a role the rows name that is
            not among them is an error.
        catalog
            A `RoleCatalog` (e.g. `crisisops.planning.roles.default_roles()`)
            or an iterable of role keys; if given, every column must be one
            of them (see `check_roles()`).
        accountable_does_work
            See the class attributes.

        Raises
        ------
        InvalidTypeError
            If ``rows`` or a row is not a mapping.
        UnknownKeyError
            For a role not in ``roles`` or not in ``catalog``; the message
            names the action.
        ValidationError
            For any broken RACI rule (see the module docstring).
        """
        if not isinstance(rows, Mapping):
            raise InvalidTypeError(
                "rows", rows, "a mapping of action to {role: letters}"
            )
        for action, row in rows.items():
            if not isinstance(row, Mapping):
                raise InvalidTypeError(
                    f"rows[{action!r}]", row, "a mapping of role key to letters"
                )
        named = list(dict.fromkeys(role for row in rows.values() for role in row))
        if roles is None:
            columns = tuple(named)
        else:
            if isinstance(roles, str) or not isinstance(roles, Iterable):
                raise InvalidTypeError("roles", roles, "an iterable of role keys")
            columns = tuple(roles)
            for action, row in rows.items():
                for role in row:
                    if role not in columns:
                        raise UnknownKeyError(
                            f"role in rows[{action!r}]", role, map(str, columns)
                        )
        matrix = cls(
            actions=tuple(rows),
            roles=columns,
            chart=tuple(
                tuple(row.get(role, "") for role in columns) for row in rows.values()
            ),
            accountable_does_work=accountable_does_work,
        )
        if catalog is not None:
            matrix.check_roles(catalog)
        return matrix

    def check_roles(self, catalog: RoleCatalog | Iterable[str]) -> RACIMatrix:
        """Return the matrix if every role is in ``catalog``.

        Parameters
        ----------
        catalog
            A `RoleCatalog` or any iterable of role keys (the same vocabulary
            ``check_roles()`` takes on a playbook or an escalation chain).

        Raises
        ------
        InvalidTypeError
            If ``catalog`` is neither (a string, a crisis-type catalog, ...).
        UnknownKeyError
            For the first role that is not, naming an action it appears in.
        """
        known = role_keys(catalog, "catalog")
        for column, role in enumerate(self.roles):
            if role not in known:
                rows = np.flatnonzero(self._codes[:, column])
                where = (
                    f"role in chart[{self.actions[int(rows[0])]!r}]"
                    if rows.size
                    else "role in roles"
                )
                raise UnknownKeyError(where, role, sorted(known))
        return self

    def with_cell(self, action: str, role: str, letters: str) -> RACIMatrix:
        """Return a copy with one cell changed (validated like any matrix).

        A new role key adds a column, empty for every other action.
        """
        row = self._row(action)
        check_key(role, "role", dotted=False)
        check_str(letters, "letters", allow_empty=True)
        roles = self.roles if role in self.roles else (*self.roles, role)
        column = roles.index(role)
        chart = [list(cells) + [""] * (len(roles) - len(cells)) for cells in self.chart]
        chart[row][column] = letters
        return attrs.evolve(self, roles=roles, chart=tuple(map(tuple, chart)))

    # --- reading --------------------------------------------------------------

    @property
    def codes(self) -> CodeArray:
        """Read-only uint8 array, actions × roles, of bits R 1, A 2, C 4, I 8."""
        return self._codes

    def _row(self, action: str) -> int:
        check_str(action, "action")
        try:
            return self.actions.index(action)
        except ValueError:
            raise UnknownKeyError("action", action, self.actions) from None

    def _column(self, role: str) -> int:
        check_key(role, "role", dotted=False)
        try:
            return self.roles.index(role)
        except ValueError:
            raise UnknownKeyError("role", role, self.roles) from None

    def _holders(self, action: str, bit: int) -> tuple[str, ...]:
        row = self._codes[self._row(action)]
        return tuple(self.roles[j] for j in np.flatnonzero(row & bit))

    def cell(self, action: str, role: str) -> str:
        """Return the letters of ``role`` for ``action`` (``""`` if none)."""
        return self.chart[self._row(action)][self._column(role)]

    def accountable(self, action: str) -> str:
        """Return the one role Accountable for ``action``."""
        return self._holders(action, _A)[0]

    def responsible(self, action: str) -> tuple[str, ...]:
        """Return the roles doing ``action``: its R roles, else (A alone) its A."""
        doers = self._holders(action, _R)
        return doers or self._holders(action, _A)

    def consulted(self, action: str) -> tuple[str, ...]:
        """Return the roles Consulted on ``action``."""
        return self._holders(action, _C)

    def informed(self, action: str) -> tuple[str, ...]:
        """Return the roles Informed of ``action``."""
        return self._holders(action, _I)

    def actions_for(self, role: str, letter: RACILetter | str) -> tuple[str, ...]:
        """Return the actions where ``role`` holds ``letter``, in matrix order."""
        column = self._column(role)
        letter = _letter(letter)
        rows = np.flatnonzero(self._codes[:, column] & letter.bit)
        return tuple(self.actions[i] for i in rows)

    def counts(self, letter: RACILetter | str) -> FrozenDict[str, int]:
        """Return, per role, the number of actions where it holds ``letter``."""
        letter = _letter(letter)
        totals = ((self._codes & letter.bit) != 0).sum(axis=0)
        return FrozenDict(zip(self.roles, totals.tolist(), strict=True))

    def workload(self) -> FrozenDict[str, int]:
        """Return, per role, the number of actions where it is R or A (A+R once)."""
        totals = ((self._codes & (_R | _A)) != 0).sum(axis=0)
        return FrozenDict(zip(self.roles, totals.tolist(), strict=True))

    def overload(self, threshold: int) -> tuple[RACIOverload, ...]:
        """Return the roles that are R or A on more than ``threshold`` actions.

        Sorted by count, highest first, then in column order.

        Parameters
        ----------
        threshold
            Most actions a role should carry as R or A, an int >= 0.

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``threshold`` is not an int >= 0.
        """
        if isinstance(threshold, bool) or not isinstance(threshold, int):
            raise InvalidTypeError("threshold", threshold, "an int >= 0")
        if threshold < 0:
            raise ValidationError("threshold", threshold, "an int >= 0")
        doing = (self._codes & (_R | _A)) != 0
        totals = doing.sum(axis=0)
        over = np.flatnonzero(totals > threshold)
        ranked = sorted(over.tolist(), key=lambda j: (-int(totals[j]), j))
        return tuple(
            RACIOverload(
                role=self.roles[j],
                actions=tuple(self.actions[i] for i in np.flatnonzero(doing[:, j])),
                threshold=threshold,
            )
            for j in ranked
        )

    def idle_roles(self) -> tuple[str, ...]:
        """Return the roles with no letter on any action."""
        idle = ~(self._codes != 0).any(axis=0)
        return tuple(self.roles[j] for j in np.flatnonzero(idle))

    def to_rows(self) -> dict[str, dict[str, str]]:
        """Return ``{action: {role: letters}}`` with the empty cells left out."""
        return {
            action: {
                role: cell for role, cell in zip(self.roles, cells, strict=True) if cell
            }
            for action, cells in zip(self.actions, self.chart, strict=True)
        }
