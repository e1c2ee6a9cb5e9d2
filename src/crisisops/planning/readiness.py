"""Readiness check: could this roster run these plans for every crisis? (book §4).

The book closes its team chapter with training and drills (培訓與演練): simulate
real crises so the team knows the process, and keep the contingency plans
(預案) up to date so they stay usable (制定應急預案:……定期更新和完善預案,
確保預案的有效性和可操作性). Before any drill, three questions can be answered
from data alone, for every crisis type of the taxonomy and every response
level:

* **staffing** – which roles the crisis needs (`assemble_team()`) that
  nobody available can fill;
* **ownership** – which playbook steps would have no owner: their owner
  role is not filled on the team `assemble_team()` forms for the type and
  level, because nobody available holds it or because neither the type's
  ``default_roles`` nor the level call that role onto the team. This is
  exactly the set `activate()` would list in `ActionPlan.unowned` when the
  plan is started with that team;
* **timeliness** – which playbooks have a critical path longer than the
  level's target response time (`Playbook.meets_target()`), or whether the
  type has no playbook for that level at all.

`check_readiness()` runs the three checks and gives each crisis type and
level a **readiness score** in [0, 1]: the mean of three shares, each 1 when
nothing is wrong:

* staffed share = 1 − uncovered roles / required roles;
* owned share = 1 − steps without an owner on the team / steps in the
  type's playbooks for the level (0 when there is no playbook);
* timely share = playbooks meeting the target / playbooks (0 when there is
  no playbook).

A type's score is the mean over the levels checked. The weights are our
documented choice: each question counts equally, because any one of them
failing stops a response.

Examples
--------
>>> import datetime as dt
>>> from crisisops.planning.readiness import LevelReadiness, ReadinessReport
>>> from crisisops.planning.readiness import TypeReadiness, UnownedStep, check_readiness
>>> from crisisops.planning.team import Member
>>> from crisisops.taxonomy import ResponseLevel
>>> at = dt.datetime(2026, 11, 11, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> roster = [
...     Member(key="lin", name="Lin", roles=["crisis_lead", "ops_expert"]),
...     Member(key="wu", name="Wu", roles=["supply_chain_lead", "deputy_lead"]),
...     Member(key="chen", name="Chen", roles=["customer_service", "marketing_pr"]),
... ]
>>> report: ReadinessReport = check_readiness(
...     roster,
...     at=at,
...     crisis_types=["supply_chain.inventory", "technical.data_security_breach"],
...     levels=[ResponseLevel.IV, ResponseLevel.I],
... )

The same roster is far less ready for a data breach (no security lead, no
engineer, no counsel) than for a stock-out:

>>> [level.name for level in report.levels]  # most severe first
['I', 'IV']
>>> report.scores().round(3).tolist()  # types x levels
[[0.819, 0.897], [0.569, 0.578]]
>>> [result.crisis_type for result in report.weakest(1)]
['technical.data_security_breach']
>>> report.uncovered_roles()  # doctest: +NORMALIZE_WHITESPACE
('comms_liaison', 'data_analyst', 'legal_counsel', 'scribe', 'security_lead',
 'tech_maintenance')

Level I calls four more roles onto the team (deputy, scribe, liaison,
counsel); three of them are open, so the stock-out is less ready at Level I
than at Level IV (`TypeReadiness`):

>>> stockout: TypeReadiness = report.crisis_type("supply_chain.inventory")
>>> stockout.level(ResponseLevel.I).uncovered_roles
('data_analyst', 'scribe', 'comms_liaison', 'legal_counsel')
>>> round(stockout.score, 3)  # mean of 0.819 (Level I) and 0.897 (Level IV)
0.858

At Level IV (`LevelReadiness`) a stock-out needs six roles and the roster
fills five; one of the playbook's seven steps has no owner, because nobody
analyses data (`UnownedStep`); the plan fits the target time. The score is
the mean of 5/6, 6/7 and 1:

>>> level: LevelReadiness = stockout.level(ResponseLevel.IV)
>>> len(level.required_roles), level.uncovered_roles
(6, ('data_analyst',))
>>> level.playbooks, level.steps
(('inventory_replenishment',), 7)
>>> (unowned,) = level.unowned_steps
>>> unowned == UnownedStep(
...     playbook="inventory_replenishment",
...     step="reforecast_demand",
...     owner_role="data_analyst",
... )
True
>>> [round(share, 3) for share in (level.staffed_share, level.owned_share)]
[0.833, 0.857]
>>> level.timely_share, round(level.score, 3), level.is_ready
(1.0, 0.897, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from crisisops._validation import (
    check_aware,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_tuple_of,
    is_unique,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.planning.playbooks import (
    TARGET_RESPONSE,
    PlaybookCatalog,
    default_playbooks,
)
from crisisops.planning.roles import RoleCatalog, default_roles
from crisisops.planning.team import (
    Member,
    Roster,
    StaffingPolicy,
    _as_roster,
    assemble_team,
)
from crisisops.taxonomy import CrisisTypeCatalog, ResponseLevel, default_catalog

__all__ = [
    "LevelReadiness",
    "ReadinessReport",
    "TypeReadiness",
    "UnownedStep",
    "check_readiness",
]

#: Response levels from the most to the least severe.
_LEVELS = (ResponseLevel.I, ResponseLevel.II, ResponseLevel.III, ResponseLevel.IV)


def _share(value: float) -> float:
    return float(min(1.0, max(0.0, value)))


def _is_count(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int >= 0")
    if value < 0:
        raise ValidationError(name, value, "an int >= 0")


@attrs.frozen(kw_only=True)
class UnownedStep:
    """A playbook step whose owner role nobody on the assembled team fills.

    Attributes
    ----------
    playbook
        The playbook's key.
    step
        The step's key.
    owner_role
        The role key the step needs.

    Examples
    --------
    >>> step = UnownedStep(
    ...     playbook="inventory_replenishment",
    ...     step="reforecast_demand",
    ...     owner_role="data_analyst",
    ... )
    >>> step.owner_role
    'data_analyst'

    The module example finds this step unowned on a roster where nobody
    analyses data.
    """

    playbook: str = attrs.field(validator=is_key(dotted=False))
    step: str = attrs.field(validator=is_key(dotted=False))
    owner_role: str = attrs.field(validator=is_key(dotted=False))


@attrs.frozen(kw_only=True)
class LevelReadiness:
    """Readiness for one crisis type at one response level.

    Attributes
    ----------
    crisis_type
        The crisis type's key.
    level
        The response level checked.
    required_roles
        Roles the crisis needs at that level (see `assemble_team()`).
    uncovered_roles
        Required roles nobody available can fill.
    playbooks
        Keys of the playbooks that serve this type at this level.
    steps
        How many steps those playbooks have in all.
    unowned_steps
        Steps whose owner role nobody on the team assembled for this type
        and level fills (what `activate()` would leave unowned).
    slow_playbooks
        Playbooks whose critical path exceeds the level's target time.
    staffed_share, owned_share, timely_share
        The three shares described in the module docstring, each in [0, 1].
    score
        Their mean.

    Examples
    --------
    The module example reads the readiness of a stock-out at Level IV: five
    of six roles filled, six of seven steps owned, the plan on time.
    """

    crisis_type: str = attrs.field(validator=is_key())
    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    required_roles: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("role key")],
    )
    uncovered_roles: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("role key")],
    )
    playbooks: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("playbook key")],
    )
    steps: int = attrs.field(validator=_is_count)
    unowned_steps: tuple[UnownedStep, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(UnownedStep, "an UnownedStep")),
    )
    slow_playbooks: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("playbook key")],
    )
    staffed_share: float = attrs.field(validator=is_finite(low=0.0, high=1.0))
    owned_share: float = attrs.field(validator=is_finite(low=0.0, high=1.0))
    timely_share: float = attrs.field(validator=is_finite(low=0.0, high=1.0))
    score: float = attrs.field(validator=is_finite(low=0.0, high=1.0))

    @property
    def has_playbook(self) -> bool:
        """Whether any playbook serves this type at this level."""
        return bool(self.playbooks)

    @property
    def is_ready(self) -> bool:
        """Whether all three checks pass (score 1)."""
        return self.score >= 1.0


@attrs.frozen(kw_only=True)
class TypeReadiness:
    """Readiness for one crisis type over the levels checked.

    Attributes
    ----------
    crisis_type
        The crisis type's key.
    levels
        One `LevelReadiness` per level, most severe first.
    score
        The mean of the levels' scores.

    Examples
    --------
    The module example compares a stock-out's readiness at Level I and at
    Level IV.
    """

    crisis_type: str = attrs.field(validator=is_key())
    levels: tuple[LevelReadiness, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(
            is_instance(LevelReadiness, "a LevelReadiness"), min_length=1
        ),
    )
    score: float = attrs.field(validator=is_finite(low=0.0, high=1.0))

    def level(self, level: ResponseLevel) -> LevelReadiness:
        """Return the result for one level.

        Raises
        ------
        UnknownKeyError
            If that level was not checked.
        """
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        for result in self.levels:
            if result.level is level:
                return result
        raise UnknownKeyError(
            "response level",
            getattr(level, "value", level),
            [r.level.value for r in self.levels],
        )


@attrs.frozen(kw_only=True)
class ReadinessReport:
    """The readiness of a roster and its playbooks for every crisis type.

    Attributes
    ----------
    at
        The moment whose availability was checked.
    levels
        The levels checked, most severe first.
    types
        One `TypeReadiness` per crisis type checked: in catalog order, or in
        the order ``crisis_types`` gave them.

    Examples
    --------
    The module example checks one roster for a stock-out and a data breach
    at Levels I and IV, and finds the weakest type.
    """

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    levels: tuple[ResponseLevel, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_enum(ResponseLevel), min_length=1),
    )
    types: tuple[TypeReadiness, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(TypeReadiness, "a TypeReadiness")),
    )

    def crisis_type(self, key: str) -> TypeReadiness:
        """Return one crisis type's readiness.

        Raises
        ------
        UnknownKeyError
            If the type was not checked (the closest keys are suggested).
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a crisis-type key (str)")
        for result in self.types:
            if result.crisis_type == key:
                return result
        raise UnknownKeyError("crisis type", key, [r.crisis_type for r in self.types])

    def scores(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Return the scores as a (types × levels) array, for a heat map."""
        values = np.array(
            [[level.score for level in result.levels] for result in self.types],
            dtype=np.float64,
        ).reshape(len(self.types), len(self.levels))
        values.setflags(write=False)
        return values

    def weakest(self, n: int = 5) -> tuple[TypeReadiness, ...]:
        """Return the ``n`` least ready crisis types, least ready first.

        Ties keep catalog order.

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``n`` is not an int >= 0.
        """
        count: object = n
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidTypeError("n", n, "an int >= 0")
        if n < 0:
            raise ValidationError("n", n, "an int >= 0")
        ranked = sorted(self.types, key=lambda result: result.score)
        return tuple(ranked[:n])

    def uncovered_roles(self) -> tuple[str, ...]:
        """Return every role some crisis needs but nobody available can fill."""
        found = {
            role
            for result in self.types
            for level in result.levels
            for role in level.uncovered_roles
        }
        return tuple(sorted(found))


def _type_keys(crisis_types: object, types: CrisisTypeCatalog) -> tuple[str, ...]:
    """Check the crisis-type keys to report on: known, unique, at least one."""
    if isinstance(crisis_types, (str, bytes, Mapping)) or not isinstance(
        crisis_types, Iterable
    ):
        raise InvalidTypeError(
            "crisis_types", crisis_types, "an iterable of crisis-type keys"
        )
    keys = tuple(crisis_types)
    if not keys:
        raise ValidationError("crisis_types", keys, "at least one crisis-type key")
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if not isinstance(key, str):
            raise InvalidTypeError(
                f"crisis_types[{index}]", key, "a crisis-type key (str)"
            )
        if key not in types:
            raise UnknownKeyError(
                f"crisis type (crisis_types[{index}])", key, types.keys()
            )
        if key in seen:
            raise DuplicateKeyError("crisis type (in crisis_types)", key)
        seen.add(key)
    return keys


def _levels(levels: object) -> tuple[ResponseLevel, ...]:
    if isinstance(levels, (str, bytes)) or not isinstance(levels, Iterable):
        raise InvalidTypeError("levels", levels, "an iterable of ResponseLevel")
    chosen = tuple(levels)
    if not chosen:
        raise ValidationError("levels", chosen, "at least one ResponseLevel")
    for index, level in enumerate(chosen):
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError(f"levels[{index}]", level, "a ResponseLevel")
    return tuple(level for level in _LEVELS if level in chosen)


def check_readiness(  # noqa: PLR0913  the roster, the moment and what to check against
    roster: Roster | Iterable[Member],
    *,
    at: dt.datetime,
    playbooks: PlaybookCatalog | None = None,
    catalog: CrisisTypeCatalog | None = None,
    roles: RoleCatalog | None = None,
    crisis_types: Iterable[str] | None = None,
    levels: Iterable[ResponseLevel] = _LEVELS,
    targets: Mapping[ResponseLevel, dt.timedelta] = TARGET_RESPONSE,
    policy: StaffingPolicy | None = None,
) -> ReadinessReport:
    """Check staffing, step ownership and timeliness for every crisis and level.

    Parameters
    ----------
    roster
        The people who could respond, with their roles and availability.
    at
        The moment to check availability at (aware).
    playbooks
        The playbook catalog; `default_playbooks()` if ``None``.
    catalog
        The crisis types; `crisisops.taxonomy.default_catalog()` if ``None``.
    roles
        The role catalog for team assembly; `default_roles()` if ``None``.
    crisis_types
        Keys of the types to check; every type of ``catalog`` if ``None``.
    levels
        The response levels to check; all four by default. A level given
        twice is checked once; results are ordered most severe first.
    targets
        Target response time per level (`TARGET_RESPONSE` by default).
    policy
        The staffing policy for team assembly (its default if ``None``).

    Returns
    -------
    ReadinessReport
        One result per type and level; see the module docstring for the
        score.

    Raises
    ------
    NaiveDatetimeError
        If ``at`` has no time zone.
    InvalidTypeError
        If an argument has the wrong type.
    UnknownKeyError
        If a crisis-type key is not in the catalog.
    DuplicateKeyError
        If ``crisis_types`` names a type twice.
    ValidationError
        If ``levels`` or ``crisis_types`` is empty.
    """
    moment = check_aware(at, "at")
    members = _as_roster(roster)
    chosen_levels = _levels(levels)
    plans = default_playbooks() if playbooks is None else playbooks
    if not isinstance(plans, PlaybookCatalog):
        raise InvalidTypeError("playbooks", plans, "a PlaybookCatalog")
    types = default_catalog() if catalog is None else catalog
    if not isinstance(types, CrisisTypeCatalog):
        raise InvalidTypeError("catalog", types, "a CrisisTypeCatalog")
    role_catalog = default_roles() if roles is None else roles
    keys = (
        tuple(types.keys()) if crisis_types is None else _type_keys(crisis_types, types)
    )

    results: list[TypeReadiness] = []
    for key in keys:
        per_level: list[LevelReadiness] = []
        for level in chosen_levels:
            team = assemble_team(
                key,
                level,
                members,
                at=moment,
                roles=role_catalog,
                catalog=types,
                policy=policy,
            )
            serving = tuple(plans.for_crisis_type(key, level))
            steps = sum(len(plan.steps) for plan in serving)
            unowned = tuple(
                UnownedStep(
                    playbook=plan.key, step=step.key, owner_role=step.owner_role
                )
                for plan in serving
                for step in plan.steps
                if team.member_for(step.owner_role) is None
            )
            slow = tuple(
                plan.key
                for plan in serving
                if not plan.meets_target(level, targets=targets)
            )
            required = len(team.required)
            staffed = _share(1.0 - len(team.uncovered) / required) if required else 1.0
            owned = _share(1.0 - len(unowned) / steps) if steps else 0.0
            timely = _share(1.0 - len(slow) / len(serving)) if serving else 0.0
            per_level.append(
                LevelReadiness(
                    crisis_type=key,
                    level=level,
                    required_roles=team.required,
                    uncovered_roles=team.uncovered,
                    playbooks=tuple(plan.key for plan in serving),
                    steps=steps,
                    unowned_steps=unowned,
                    slow_playbooks=slow,
                    staffed_share=staffed,
                    owned_share=owned,
                    timely_share=timely,
                    score=(staffed + owned + timely) / 3.0,
                )
            )
        score = sum(result.score for result in per_level) / len(per_level)
        results.append(
            TypeReadiness(crisis_type=key, levels=per_level, score=_share(score))
        )
    return ReadinessReport(at=moment, levels=chosen_levels, types=results)
