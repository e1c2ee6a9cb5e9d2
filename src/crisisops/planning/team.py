"""Crisis-response teams, escalation chains and meeting cadences (book §4.1).

Book §4.1 成立危機應對小組 asks for a team whose members have clear duties
(明確小組職責與分工), a communication mechanism with regular meetings and
emergency contacts (建立溝通機制: 定期的會議制度、緊急聯絡), and §4.4 asks to
hold coordination meetings on a schedule (定期召開協調會議). This module turns
that into values:

* `Member` – a person on the roster: the roles they can fill, their skills and
  when they are available (`AvailabilityWindow`, timezone-aware).
* `Roster` – the open, keyed list of members.
* `StaffingPolicy` – which roles each `ResponseLevel` adds to a crisis type's
  own ``default_roles``, how many people a role needs, and the span of control.
* `assemble_team()` – picks available members for the required roles and
  returns a `Team`: who fills which role, the lead and the deputy, the chain of
  command, the uncovered roles and the single-person dependencies.
* `EscalationChain` – per level, who is notified and after how long.
* `MeetingCadence` – per level, when the coordination meetings are.

The rules of assembly
---------------------
**Required roles.** ``crisis_lead`` always (every team has a commander), then
the crisis type's ``default_roles``, then what the level adds. The default
policy adds ``deputy_lead``, ``scribe``, ``comms_liaison`` and
``legal_counsel`` at Levels I and II (特別重大, 重大) and nothing at Levels III
and IV: a serious crisis needs a deputy, a record, a liaison and, as the book
says, legal counsel "必要時" (when needed). Repeated roles count once.

**Who qualifies.** A member can fill a role if the role's key is in
``Member.roles`` and the member is available at the moment ``at`` (no windows
means always available; a window is half-open, ``start <= at < end``).

**Who is picked.** The lead first, then each required role in order. For each
role the candidates are ranked by the number of roles they already hold in
this team (fewest first, to spread the load) and then by member key, and the
first ``headcount`` of them are taken. One person may hold several roles, but
the lead never fills ``deputy_lead``. The lead is the first ``crisis_lead``
candidate by key, preferring one who leaves somebody else for ``deputy_lead``
when that role is required. The result depends only on the set of members,
never on their order in the roster.

**The deputy.** The member filling ``deputy_lead``; where that role is not
required or not filled, the first other available member (same ranking) who
can fill ``crisis_lead`` or ``deputy_lead`` — ICS asks that a deputy be
qualified to take over. ``None`` if there is nobody, or no lead.

**Gaps.** A required role nobody available can fill is *uncovered*; one filled
by fewer people than its headcount is *understaffed*. A required role that
only one member of the whole roster can fill (available or not) is a
*single-person dependency*: the team has no backup for it.

**Chain of command (unity of command).** The team is a tree rooted at the
lead: every other member reports to exactly one member. A member is placed by
their first required role (its `ICSFunction`):

1. the deputy, and command roles, report to the lead;
2. a second or later holder of a role reports to its first holder (a unit
   and its leader, e.g. extra customer-service staff);
3. in the four general-staff sections (operations, planning, logistics,
   finance/administration) the first member leads the section and reports to
   the lead; later members of the section report to that section chief;
4. command-staff officers (public information, liaison, safety) report to
   the lead.

Above ``max_span`` direct reports (default 7; ICS teaches 3–7, 5 being
optimal) the team carries a `SpanOfControlWarning`. In ICS an unfilled
function is performed by the next level up, ultimately the commander:
`Team.acting_for()` answers who that is.

Examples
--------
>>> from datetime import datetime, timedelta, timezone
>>> from crisisops.planning.team import DEFAULT_MAX_SPAN, Member, Roster
>>> from crisisops.planning.team import SpanOfControlWarning, StaffingPolicy, Team
>>> from crisisops.planning.team import assemble_team
>>> from crisisops.taxonomy import ResponseLevel
>>> at = datetime(2026, 11, 11, 9, 0, tzinfo=timezone(timedelta(hours=8)))
>>> roster = Roster(
...     [
...         Member(key="chen", name="Chen", roles=["crisis_lead", "ops_expert"]),
...         Member(key="lin", name="Lin", roles=["supply_chain_lead"]),
...         Member(key="wang", name="Wang", roles=["customer_service", "marketing_pr"]),
...         Member(key="zhao", name="Zhao", roles=["customer_service"]),
...     ]
... )
>>> team = assemble_team("supply_chain.inventory", ResponseLevel.III, roster, at=at)
>>> team.lead, team.member_for("supply_chain_lead"), team.uncovered
('chen', 'lin', ('data_analyst',))
>>> team.members_for("ops_expert"), team.reports_to["lin"]
(('chen',), 'chen')
>>> team.single_person_dependencies  # Zhao backs up customer service
('crisis_lead', 'supply_chain_lead', 'ops_expert', 'marketing_pr')
>>> team.max_span == DEFAULT_MAX_SPAN, team.span_warnings
(True, ())

Two customer-service agents are wanted: Zhao, the second, reports to Wang,
the first. Nobody can analyse data, so the lead acts for that role:

>>> policy = StaffingPolicy(headcount={"customer_service": 2})
>>> team: Team = assemble_team(
...     "supply_chain.inventory", ResponseLevel.III, roster, at=at, policy=policy
... )
>>> team.members(), team.members_for("customer_service")
(('chen', 'lin', 'wang', 'zhao'), ('wang', 'zhao'))
>>> team.chain_of_command("zhao"), team.direct_reports("chen")
(('zhao', 'wang', 'chen'), ('lin', 'wang'))
>>> team.roles_of("wang"), team.acting_for("data_analyst")
(('customer_service', 'marketing_pr'), 'chen')
>>> team.uncovered, team.is_fully_staffed
(('data_analyst',), False)

The lead's two direct reports are within the `DEFAULT_MAX_SPAN` of 7, but
above a strict span of 1:

>>> strict = StaffingPolicy(max_span=1)
>>> (warning,) = assemble_team(
...     "supply_chain.inventory", ResponseLevel.III, roster, at=at, policy=strict
... ).span_warnings
>>> warning == SpanOfControlWarning(
...     supervisor="chen", direct_reports=["lin", "wang"], limit=1
... )
True

References
----------
FEMA. 2017. *National Incident Management System*, 3rd ed., Component II
(unity of command, modular organisation, span of control 3–7, deputies).
PagerDuty. *Incident Response Documentation* ("Different Roles for
Incidents"; escalation policies).
Netflix Dispatch, ``src/dispatch/incident/priority/config.py`` (tactical
report reminders every 2 h, 6 h and 12 h for High, Medium and Low priority).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import attrs

from crisisops._time import Frequency, Recurrence, after_elapsed, instant
from crisisops._validation import (
    check_aware,
    check_key,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    is_unique,
    to_frozendict,
    to_str_tuple,
    to_tuple,
)
from crisisops.catalog import Catalog
from crisisops.errors import (
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.planning._common import role_keys
from crisisops.planning.roles import ICSFunction, RoleCatalog, default_roles
from crisisops.taxonomy import (
    CrisisType,
    CrisisTypeCatalog,
    ResponseLevel,
    default_catalog,
)

__all__ = [
    "DEFAULT_MAX_SPAN",
    "AvailabilityWindow",
    "EscalationChain",
    "EscalationNotice",
    "EscalationStep",
    "MeetingCadence",
    "Member",
    "Roster",
    "SpanOfControlWarning",
    "StaffingPolicy",
    "Team",
    "assemble_team",
    "default_escalation_chain",
]

#: Most direct reports a supervisor should have (ICS teaches 3-7).
DEFAULT_MAX_SPAN = 7

_LEAD = "crisis_lead"
_DEPUTY = "deputy_lead"


def _check_positive_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, "an int >= 1")
    if value < 1:
        raise ValidationError(field, value, "an int >= 1")
    return value


def _is_positive_int(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_positive_int(value, field_name(attribute))


# --- members and the roster ---------------------------------------------------


@attrs.frozen(kw_only=True)
class AvailabilityWindow:
    """A period when a member can be called in: ``start <= moment < end``.

    Attributes
    ----------
    start
        First moment of the window; timezone-aware.
    end
        End of the window, excluded; timezone-aware and after ``start``.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> shift = AvailabilityWindow(
    ...     start=datetime(2026, 11, 11, 8, tzinfo=timezone.utc),
    ...     end=datetime(2026, 11, 11, 20, tzinfo=timezone.utc),
    ... )
    >>> shift.contains(datetime(2026, 11, 11, 20, tzinfo=timezone.utc))
    False
    """

    start: dt.datetime = attrs.field(validator=is_aware_datetime())
    end: dt.datetime = attrs.field(validator=is_aware_datetime())

    def __attrs_post_init__(self) -> None:
        """Check that the window is not empty (compared as instants)."""
        if instant(self.end) <= instant(self.start):
            raise ValidationError(
                "end", self.end, f"after 'start' ({self.start.isoformat()})"
            )

    @property
    def duration(self) -> dt.timedelta:
        """Length of the window in elapsed time (across DST changes too)."""
        return instant(self.end) - instant(self.start)

    def contains(self, moment: dt.datetime) -> bool:
        """Return whether ``moment`` (timezone-aware) falls in the window.

        Moments compare as instants, whatever their zones: in the hour a zone
        falls back, 01:50 before the change comes before 01:10 after it.
        """
        check_aware(moment, "moment")
        return instant(self.start) <= instant(moment) < instant(self.end)


@attrs.frozen(kw_only=True)
class Member:
    """A person on the roster who can join a crisis-response team.

    Attributes
    ----------
    key
        Stable key of the person, e.g. ``"chen"`` or ``"ops.chen"``.
    name
        Display name.
    roles
        Keys of the roles the person can fill, e.g. ``("crisis_lead",)``;
        `assemble_team()` checks them against the role catalog.
    skills
        Skill keys, compared with `Role.skills` by `Role.missing_skills()`.
    availability
        When the person can be called in; empty means always.
    """

    key: str = attrs.field(validator=is_key())
    name: str = attrs.field(validator=is_text())
    roles: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("role key")],
    )
    skills: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("skill key")],
    )
    availability: tuple[AvailabilityWindow, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(AvailabilityWindow, "an AvailabilityWindow")),
    )

    def is_available(self, at: dt.datetime) -> bool:
        """Return whether the person is available at ``at`` (timezone-aware)."""
        check_aware(at, "at")
        return not self.availability or any(
            window.contains(at) for window in self.availability
        )

    def can_fill(self, role_key: str) -> bool:
        """Return whether ``role_key`` is one of the person's roles."""
        check_key(role_key, "role_key", dotted=False)
        return role_key in self.roles


@attrs.frozen
class Roster(Catalog[Member]):
    """The people who can be called into a crisis team, looked up by key.

    A `Catalog` of `Member` values: keys are unique (`DuplicateKeyError`
    otherwise), ``roster["chen"]`` looks a member up (`UnknownKeyError` with
    suggestions), and `add()`, `replace()` and `without()` return new rosters.

    Examples
    --------
    >>> roster = Roster([Member(key="chen", name="Chen", roles=["crisis_lead"])])
    >>> roster["chen"].name, [m.key for m in roster.qualified_for("crisis_lead")]
    ('Chen', ['chen'])
    """

    entry_type = Member
    kind = "roster member"

    @property
    def members(self) -> tuple[Member, ...]:
        """The members, in roster order."""
        return self.entries

    def available_at(self, at: dt.datetime) -> tuple[Member, ...]:
        """Return the members available at ``at``, in roster order."""
        check_aware(at, "at")
        return tuple(member for member in self.entries if member.is_available(at))

    def qualified_for(
        self, role_key: str, *, at: dt.datetime | None = None
    ) -> tuple[Member, ...]:
        """Return the members who can fill ``role_key`` (available at ``at`` if set)."""
        check_key(role_key, "role_key", dotted=False)
        if at is not None:
            check_aware(at, "at")
        return tuple(
            member
            for member in self.entries
            if role_key in member.roles and (at is None or member.is_available(at))
        )


# --- the staffing policy ------------------------------------------------------

_SERIOUS_LEVEL_ROLES = (_DEPUTY, "scribe", "comms_liaison", "legal_counsel")


def _default_level_roles() -> FrozenDict[ResponseLevel, tuple[str, ...]]:
    return FrozenDict(
        {
            ResponseLevel.I: _SERIOUS_LEVEL_ROLES,
            ResponseLevel.II: _SERIOUS_LEVEL_ROLES,
            ResponseLevel.III: (),
            ResponseLevel.IV: (),
        }
    )


def _to_level_roles(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if isinstance(value, Mapping):
        return FrozenDict((level, to_tuple(keys)) for level, keys in value.items())
    return value


def _check_level_roles(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of ResponseLevel to role keys")
    for level, keys in value.items():
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError(f"{name} key", level, "a ResponseLevel")
        field = f"{name}[{level.name}]"
        if not isinstance(keys, tuple):
            raise InvalidTypeError(field, keys, "a tuple (or list) of role keys")
        for index, key in enumerate(keys):
            check_key(key, f"{field}[{index}]", dotted=False)
        if len(set(keys)) != len(keys):
            raise ValidationError(field, keys, "role keys without repeats")


def _check_headcount(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of role key to an int >= 1")
    for key, count in value.items():
        check_key(key, f"{name} key", dotted=False)
        _check_positive_int(count, f"{name}[{key!r}]")
        if key in (_LEAD, _DEPUTY) and count != 1:
            raise ValidationError(
                f"{name}[{key!r}]",
                count,
                "1: a team has one lead and one deputy (unity of command)",
            )


@attrs.frozen(kw_only=True)
class StaffingPolicy:
    """Which roles a response level adds, how many people each role needs.

    Attributes
    ----------
    level_roles
        Roles each `ResponseLevel` adds to the crisis type's own
        ``default_roles``. The default adds ``deputy_lead``, ``scribe``,
        ``comms_liaison`` and ``legal_counsel`` at Levels I and II and nothing
        at Levels III and IV. A level that is missing adds nothing.
    headcount
        People wanted per role, e.g. ``{"customer_service": 3}`` for the
        book's case 4 (增加客服人員配備, add customer-service staff); roles not
        listed want one. ``crisis_lead`` and ``deputy_lead`` are always one.
    max_span
        Most direct reports before a `SpanOfControlWarning` (default 7).

    Examples
    --------
    >>> from crisisops.taxonomy import ResponseLevel
    >>> StaffingPolicy().roles_for(ResponseLevel.II)
    ('deputy_lead', 'scribe', 'comms_liaison', 'legal_counsel')
    >>> StaffingPolicy(headcount={"customer_service": 3}).wanted("customer_service")
    3
    """

    level_roles: FrozenDict[ResponseLevel, tuple[str, ...]] = attrs.field(
        factory=_default_level_roles,
        converter=_to_level_roles,
        validator=_check_level_roles,
    )
    headcount: FrozenDict[str, int] = attrs.field(
        factory=FrozenDict, converter=to_frozendict, validator=_check_headcount
    )
    max_span: int = attrs.field(default=DEFAULT_MAX_SPAN, validator=_is_positive_int)

    def roles_for(self, level: ResponseLevel) -> tuple[str, ...]:
        """Return the roles ``level`` adds (empty if the level is not listed)."""
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        return self.level_roles.get(level, ())

    def wanted(self, role_key: str) -> int:
        """Return how many people ``role_key`` needs (1 unless listed)."""
        check_key(role_key, "role_key", dotted=False)
        return self.headcount.get(role_key, 1)


# --- the team -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SpanOfControlWarning:
    """A supervisor with more direct reports than the span of control allows.

    ICS teaches a span of control of 3 to 7 direct reports (5 is optimal);
    above the limit, split the function into units with their own leads.

    Attributes
    ----------
    supervisor
        Member key of the supervisor.
    direct_reports
        Member keys of the people who report to them.
    limit
        The span that was exceeded.

    Examples
    --------
    `assemble_team()` attaches them to the `Team` (see the module example,
    where a strict span of 1 flags the lead):

    >>> warning = SpanOfControlWarning(
    ...     supervisor="chen", direct_reports=["lin", "wang"], limit=1
    ... )
    >>> warning.count, warning.message.split(",")[0]
    (2, "'chen' has 2 direct reports")
    """

    supervisor: str = attrs.field(validator=is_key())
    direct_reports: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_key())
    )
    limit: int = attrs.field(validator=_is_positive_int)

    @property
    def count(self) -> int:
        """Number of direct reports."""
        return len(self.direct_reports)

    @property
    def message(self) -> str:
        """The warning in words."""
        return (
            f"{self.supervisor!r} has {self.count} direct reports, more than the "
            f"span of control of {self.limit} (ICS recommends 3-7)"
        )


def _check_assignments(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of role key to member keys")
    for role, members in value.items():
        check_key(role, f"{name} key", dotted=False)
        field = f"{name}[{role!r}]"
        if not isinstance(members, tuple) or not members:
            raise ValidationError(field, members, "a non-empty tuple of member keys")
        for index, member in enumerate(members):
            check_key(member, f"{field}[{index}]")
        if len(set(members)) != len(members):
            raise ValidationError(field, members, "member keys without repeats")


def _to_assignments(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if isinstance(value, Mapping):
        return FrozenDict((role, to_tuple(keys)) for role, keys in value.items())
    return value


def _check_reports_to(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of member key to member key")
    for key, target in value.items():
        check_key(key, f"{name} key")
        check_key(target, f"{name}[{key!r}]")


def _check_understaffed(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of role key to an int >= 1")
    for key, missing in value.items():
        check_key(key, f"{name} key", dotted=False)
        _check_positive_int(missing, f"{name}[{key!r}]")


@attrs.frozen(kw_only=True)
class Team:
    """A crisis-response team: who fills which role and who reports to whom.

    Built by `assemble_team()`; the constructor checks that the values fit
    together (every required role is either assigned or uncovered, the lead
    holds ``crisis_lead``, the chain of command is a tree rooted at the lead).

    Attributes
    ----------
    crisis_type
        Key of the crisis type the team was assembled for.
    level
        The response level it was assembled for.
    at
        The moment availability was checked; timezone-aware.
    required
        The roles the type and level require, in assembly order.
    assignments
        Role key → member keys filling it, for the filled roles only.
    lead
        Member key of the crisis lead (holds ``crisis_lead``); ``None`` if
        nobody available can lead.
    deputy
        Member key of the lead's deputy, never the lead; ``None`` if none.
    reports_to
        Member key → the member they report to. Every member but the lead
        appears once; following it always ends at the lead (unity of command).
        Empty when there is no lead.
    uncovered
        Required roles nobody available can fill.
    understaffed
        Role key → how many more people it needs, for filled roles below their
        headcount.
    single_person_dependencies
        Required roles only one member of the whole roster can fill.
    max_span
        The span of control `span_warnings` checks against.

    Examples
    --------
    The module example assembles a stock-out team of four with two
    customer-service agents and walks its chain of command.
    """

    crisis_type: str = attrs.field(validator=is_key())
    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    required: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("role key")],
    )
    assignments: FrozenDict[str, tuple[str, ...]] = attrs.field(
        converter=_to_assignments, validator=_check_assignments
    )
    lead: str | None = attrs.field(validator=is_optional(is_key()))
    deputy: str | None = attrs.field(validator=is_optional(is_key()))
    reports_to: FrozenDict[str, str] = attrs.field(
        converter=to_frozendict, validator=_check_reports_to
    )
    uncovered: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("role key")],
    )
    understaffed: FrozenDict[str, int] = attrs.field(
        factory=FrozenDict, converter=to_frozendict, validator=_check_understaffed
    )
    single_person_dependencies: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("role key")],
    )
    max_span: int = attrs.field(default=DEFAULT_MAX_SPAN, validator=_is_positive_int)

    def __attrs_post_init__(self) -> None:
        """Check that roles, lead, deputy and the chain of command fit together."""
        self._check_roles()
        self._check_command()
        self._check_tree()

    def _check_roles(self) -> None:
        required = set(self.required)
        for role in self.assignments:
            if role not in required:
                raise ValidationError(
                    "assignments", role, f"a required role (one of {self.required})"
                )
        for role in self.uncovered:
            if role in self.assignments:
                raise ValidationError(
                    "uncovered", role, "a role that is not also assigned"
                )
        missing = required - set(self.assignments) - set(self.uncovered)
        if missing:
            raise ValidationError(
                "uncovered",
                self.uncovered,
                f"every required role that is not assigned (missing {sorted(missing)})",
            )
        for role in self.understaffed:
            if role not in self.assignments:
                raise ValidationError(
                    "understaffed", role, "a role that is assigned (filled in part)"
                )
        for role in self.single_person_dependencies:
            if role not in required:
                raise ValidationError(
                    "single_person_dependencies", role, "a required role"
                )

    def _check_command(self) -> None:
        holders = self.assignments.get(_LEAD)
        if self.lead is None:
            if holders is not None:
                raise ValidationError(
                    "lead", None, f"the member filling 'crisis_lead' ({holders[0]!r})"
                )
            if self.deputy is not None:
                raise ValidationError(
                    "deputy", self.deputy, "None when there is no lead"
                )
            return
        if holders != (self.lead,):
            raise ValidationError(
                "lead",
                self.lead,
                f"the one member filling 'crisis_lead' (got {holders})",
            )
        if self.deputy == self.lead:
            raise ValidationError("deputy", self.deputy, "a member other than the lead")
        deputies = self.assignments.get(_DEPUTY)
        if deputies is not None and self.deputy != deputies[0]:
            raise ValidationError(
                "deputy",
                self.deputy,
                f"the member filling 'deputy_lead' ({deputies[0]!r})",
            )

    def _check_tree(self) -> None:
        members = self.members()
        if self.lead is None:
            if self.reports_to:
                raise ValidationError(
                    "reports_to", dict(self.reports_to), "empty when there is no lead"
                )
            return
        known = set(members)
        if self.lead in self.reports_to:
            raise ValidationError(
                f"reports_to[{self.lead!r}]",
                self.reports_to[self.lead],
                "absent: the lead reports to nobody in the team",
            )
        for member in members[1:]:
            if member not in self.reports_to:
                raise ValidationError(
                    "reports_to", member, "a supervisor for every member but the lead"
                )
        for member, supervisor in self.reports_to.items():
            if member not in known:
                raise ValidationError("reports_to", member, "a member of the team")
            if supervisor not in known:
                raise ValidationError(
                    f"reports_to[{member!r}]", supervisor, "a member of the team"
                )
        for member in members[1:]:
            seen = {member}
            current = member
            while current != self.lead:
                current = self.reports_to[current]
                if current in seen:
                    raise ValidationError(
                        f"reports_to[{member!r}]",
                        current,
                        "a chain that ends at the lead (found a cycle)",
                    )
                seen.add(current)

    # --- reading ---------------------------------------------------------------

    def members(self) -> tuple[str, ...]:
        """Return every member key: lead, deputy, then by role in required order."""
        found: dict[str, None] = {}
        for key in (self.lead, self.deputy):
            if key is not None:
                found.setdefault(key)
        for role in self.required:
            for key in self.assignments.get(role, ()):
                found.setdefault(key)
        return tuple(found)

    def members_for(self, role_key: str) -> tuple[str, ...]:
        """Return the members filling ``role_key`` (empty if nobody does)."""
        check_key(role_key, "role_key", dotted=False)
        return self.assignments.get(role_key, ())

    def member_for(self, role_key: str) -> str | None:
        """Return the first member filling ``role_key``, or ``None``."""
        members = self.members_for(role_key)
        return members[0] if members else None

    def acting_for(self, role_key: str) -> str | None:
        """Return who performs ``role_key``: its first member, else the lead.

        In ICS an unfilled function is performed by the next level up,
        ultimately the commander (modular organisation).
        """
        member = self.member_for(role_key)
        return self.lead if member is None else member

    def roles_of(self, member_key: str) -> tuple[str, ...]:
        """Return the roles ``member_key`` fills, in required order.

        Raises
        ------
        UnknownKeyError
            If ``member_key`` is not on the team.
        """
        check_key(member_key, "member_key")
        if member_key not in self.members():
            raise UnknownKeyError("team member", member_key, self.members())
        return tuple(
            role
            for role in self.required
            if member_key in self.assignments.get(role, ())
        )

    def direct_reports(self, member_key: str) -> tuple[str, ...]:
        """Return the members who report to ``member_key``, in member order."""
        check_key(member_key, "member_key")
        members = self.members()
        if member_key not in members:
            raise UnknownKeyError("team member", member_key, members)
        return tuple(m for m in members if self.reports_to.get(m) == member_key)

    def chain_of_command(self, member_key: str) -> tuple[str, ...]:
        """Return ``member_key`` and each supervisor above it, up to the lead."""
        check_key(member_key, "member_key")
        members = self.members()
        if member_key not in members:
            raise UnknownKeyError("team member", member_key, members)
        chain = [member_key]
        while chain[-1] in self.reports_to:
            chain.append(self.reports_to[chain[-1]])
        return tuple(chain)

    @property
    def span_warnings(self) -> tuple[SpanOfControlWarning, ...]:
        """Supervisors with more than ``max_span`` direct reports, in member order."""
        warnings = []
        for member in self.members():
            reports = self.direct_reports(member)
            if len(reports) > self.max_span:
                warnings.append(
                    SpanOfControlWarning(
                        supervisor=member, direct_reports=reports, limit=self.max_span
                    )
                )
        return tuple(warnings)

    @property
    def is_fully_staffed(self) -> bool:
        """Whether every required role has its full headcount."""
        return not self.uncovered and not self.understaffed


# --- assembly -----------------------------------------------------------------


def _resolve_crisis_type(crisis_type: object, catalog: CrisisTypeCatalog) -> CrisisType:
    if isinstance(crisis_type, CrisisType):
        return crisis_type
    if not isinstance(crisis_type, str):
        raise InvalidTypeError(
            "crisis_type", crisis_type, "a crisis-type key or a CrisisType"
        )
    return catalog[crisis_type]


def _dedupe(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))


def _pick_lead(
    candidates: list[Member], available: list[Member], *, deputy_needed: bool
) -> Member | None:
    """Pick the lead: first by key, preferring one who leaves a deputy."""
    if not candidates:
        return None

    def leaves_deputy(lead: Member) -> bool:
        return any(_DEPUTY in m.roles and m.key != lead.key for m in available)

    if deputy_needed:
        return min(candidates, key=lambda m: (not leaves_deputy(m), m.key))
    return min(candidates, key=lambda m: m.key)


class _Staffing(NamedTuple):
    """Who fills each required role, and the gaps."""

    assignments: dict[str, tuple[str, ...]]
    uncovered: list[str]
    understaffed: dict[str, int]
    load: dict[str, int]


def _fill_roles(
    required: tuple[str, ...],
    available: list[Member],
    lead: Member | None,
    policy: StaffingPolicy,
) -> _Staffing:
    """Fill each required role in order: fewest roles held first, then by key."""
    load = {member.key: 0 for member in available}
    staffing = _Staffing({}, [], {}, load)
    for role in required:
        if role == _LEAD:
            picked = [] if lead is None else [lead.key]
        else:
            candidates = [
                m
                for m in available
                if role in m.roles
                and not (role == _DEPUTY and lead is not None and m.key == lead.key)
            ]
            candidates.sort(key=lambda m: (load[m.key], m.key))
            picked = [m.key for m in candidates[: policy.wanted(role)]]
        for key in picked:
            load[key] += 1
        if not picked:
            staffing.uncovered.append(role)
            continue
        staffing.assignments[role] = tuple(picked)
        if len(picked) < policy.wanted(role):
            staffing.understaffed[role] = policy.wanted(role) - len(picked)
    return staffing


def _pick_deputy(
    staffing: _Staffing, available: list[Member], lead: Member | None
) -> str | None:
    """Return the ``deputy_lead`` holder, else the best other possible lead."""
    if lead is None:
        return None
    if _DEPUTY in staffing.assignments:
        return staffing.assignments[_DEPUTY][0]
    backups = [
        m
        for m in available
        if m.key != lead.key and (_LEAD in m.roles or _DEPUTY in m.roles)
    ]
    backups.sort(key=lambda m: (staffing.load[m.key], m.key))
    return backups[0].key if backups else None


def _build_tree(
    order: tuple[str, ...],
    lead: str | None,
    deputy: str | None,
    primary: Mapping[str, str],
    roles: RoleCatalog,
) -> dict[str, str]:
    """Place every member in the chain of command (rules in the module docstring)."""
    if lead is None:
        return {}
    reports_to: dict[str, str] = {}
    unit_leads: dict[str, str] = {}
    section_chiefs: dict[ICSFunction, str] = {}
    for member in order:
        if member == lead:
            continue
        if member == deputy:
            reports_to[member] = lead
            continue
        role = primary[member]
        function = roles[role].ics_function
        if role in unit_leads:
            reports_to[member] = unit_leads[role]
        elif function.is_general_staff and function in section_chiefs:
            reports_to[member] = section_chiefs[function]
        else:
            reports_to[member] = lead
            if function.is_general_staff:
                section_chiefs[function] = member
        unit_leads.setdefault(role, member)
    return reports_to


def _check_inputs(
    level: object,
    roster: object,
    roles: object,
    catalog: object,
    policy: object,
) -> Roster:
    if not isinstance(level, ResponseLevel):
        raise InvalidTypeError("level", level, "a ResponseLevel")
    if not isinstance(roles, RoleCatalog):
        raise InvalidTypeError("roles", roles, "a RoleCatalog")
    if not isinstance(catalog, CrisisTypeCatalog):
        raise InvalidTypeError("catalog", catalog, "a CrisisTypeCatalog")
    if not isinstance(policy, StaffingPolicy):
        raise InvalidTypeError("policy", policy, "a StaffingPolicy")
    return _as_roster(roster)


def _as_roster(roster: object) -> Roster:
    """Return ``roster`` as a `Roster`, naming ``roster[i]`` for a non-member.

    Shared by `assemble_team()` and ``check_readiness()`` so both refuse a
    bad roster the same way.
    """
    if isinstance(roster, Roster):
        return roster
    if isinstance(roster, (str, bytes, Mapping)) or not isinstance(roster, Iterable):
        raise InvalidTypeError("roster", roster, "a Roster or an iterable of Members")
    members = tuple(roster)
    for index, member in enumerate(members):
        if not isinstance(member, Member):
            raise InvalidTypeError(f"roster[{index}]", member, "a Member")
    return Roster(members)


def assemble_team(  # noqa: PLR0913  keyword-only options with documented defaults
    crisis_type: str | CrisisType,
    level: ResponseLevel,
    roster: Roster | Iterable[Member],
    *,
    at: dt.datetime,
    roles: RoleCatalog | None = None,
    catalog: CrisisTypeCatalog | None = None,
    policy: StaffingPolicy | None = None,
) -> Team:
    """Pick available members for the roles a crisis type and level require.

    The rules (required roles, who qualifies, tie-breaks, the deputy, gaps
    and the chain of command) are in the module docstring.

    Parameters
    ----------
    crisis_type
        A crisis-type key looked up in ``catalog``, or a `CrisisType`.
    level
        The response level; with the policy it decides the extra roles.
    roster
        The people who can be called in (a `Roster` or any iterable of
        `Member` with unique keys).
    at
        The moment of assembly; only members available then are picked.
    roles
        The role catalog every role key must be in (default `default_roles()`).
    catalog
        The crisis-type catalog (default `crisisops.taxonomy.default_catalog()`).
    policy
        Level roles, headcounts and span of control (default
        ``StaffingPolicy()``).

    Returns
    -------
    Team
        The team, with its uncovered roles, understaffed roles, single-person
        dependencies and, as `Team.span_warnings`, any span-of-control warning.

    Raises
    ------
    InvalidTypeError
        For an argument of the wrong type.
    NaiveDatetimeError
        If ``at`` has no timezone.
    UnknownKeyError
        For an unknown crisis type, or a role key (of the type, the policy or
        a member) that is not in ``roles``; the message names where it is.
    DuplicateKeyError
        If two members share a key.
    """
    check_aware(at, "at")
    roles = default_roles() if roles is None else roles
    catalog = default_catalog() if catalog is None else catalog
    policy = StaffingPolicy() if policy is None else policy
    roster = _check_inputs(level, roster, roles, catalog, policy)
    kind = _resolve_crisis_type(crisis_type, catalog)

    roles.require((_LEAD,), "required roles")
    roles.require(kind.default_roles, f"crisis type {kind.key!r} default_roles")
    roles.require(policy.roles_for(level), f"policy.level_roles[{level.name}]")
    roles.require(tuple(policy.headcount), "policy.headcount")
    for member in roster:
        roles.require(member.roles, f"roster[{member.key!r}].roles")

    required = _dedupe((_LEAD, *kind.default_roles, *policy.roles_for(level)))
    available = sorted(roster.available_at(at), key=lambda m: m.key)
    lead = _pick_lead(
        [m for m in available if _LEAD in m.roles],
        available,
        deputy_needed=_DEPUTY in required,
    )
    staffing = _fill_roles(required, available, lead, policy)
    deputy = _pick_deputy(staffing, available, lead)
    dependencies = tuple(
        role
        for role in required
        if sum(1 for member in roster if role in member.roles) == 1
    )
    order: dict[str, None] = dict.fromkeys(
        key for key in (None if lead is None else lead.key, deputy) if key is not None
    )
    primary: dict[str, str] = {}
    for role in required:
        for key in staffing.assignments.get(role, ()):
            order.setdefault(key)
            primary.setdefault(key, role)
    reports_to = _build_tree(
        tuple(order), None if lead is None else lead.key, deputy, primary, roles
    )
    return Team(
        crisis_type=kind.key,
        level=level,
        at=at,
        required=required,
        assignments=staffing.assignments,
        lead=None if lead is None else lead.key,
        deputy=deputy,
        reports_to=reports_to,
        uncovered=staffing.uncovered,
        understaffed=staffing.understaffed,
        single_person_dependencies=dependencies,
        max_span=policy.max_span,
    )


# --- escalation ---------------------------------------------------------------


def _is_delay(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta")
    if value < dt.timedelta(0):
        raise ValidationError(name, value, "a delay >= 0")


@attrs.frozen(kw_only=True)
class EscalationStep:
    """One rung of an escalation chain: after a delay, notify these roles.

    Attributes
    ----------
    after
        Delay from the moment the crisis is declared at the level (>= 0). It
        is an exact `datetime.timedelta`: escalation delays are minutes and
        hours, where calendar arithmetic (months, DST days) has no place.
    notify
        Role keys to notify, at least one, without repeats.

    Examples
    --------
    >>> from datetime import timedelta
    >>> step = EscalationStep(after=timedelta(minutes=30), notify=["senior_management"])
    >>> str(step.after), step.notify
    ('0:30:00', ('senior_management',))
    """

    after: dt.timedelta = attrs.field(validator=_is_delay)
    notify: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[
            is_tuple_of(is_key(dotted=False), min_length=1),
            is_unique("role key"),
        ],
    )


@attrs.frozen(kw_only=True)
class EscalationNotice:
    """A dated notice of an escalation schedule (see `EscalationChain.schedule`).

    Attributes
    ----------
    level
        The response level whose chain it comes from.
    at
        When the roles are to be notified; timezone-aware.
    after
        The step's delay from the declaration.
    notify
        Role keys to notify.

    Examples
    --------
    A Level III crisis declared at 09:00 reaches the lead at once and senior
    management two hours later:

    >>> from datetime import datetime, timezone
    >>> from crisisops.taxonomy import ResponseLevel
    >>> declared = datetime(2026, 11, 11, 9, 0, tzinfo=timezone.utc)
    >>> notices = default_escalation_chain().schedule(ResponseLevel.III, declared)
    >>> last: EscalationNotice = notices[-1]
    >>> last.at.isoformat(), str(last.after), last.notify
    ('2026-11-11T11:00:00+00:00', '2:00:00', ('senior_management',))
    """

    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    after: dt.timedelta = attrs.field(validator=_is_delay)
    notify: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=is_tuple_of(is_key(dotted=False), min_length=1),
    )


_LEVELS_BY_SEVERITY = (
    ResponseLevel.I,
    ResponseLevel.II,
    ResponseLevel.III,
    ResponseLevel.IV,
)


def _to_steps(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if isinstance(value, Mapping):
        return FrozenDict((level, to_tuple(steps)) for level, steps in value.items())
    return value


def _check_steps(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of ResponseLevel to steps")
    for level in value:
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError(f"{name} key", level, "a ResponseLevel")
    for level in _LEVELS_BY_SEVERITY:
        field = f"{name}[{level.name}]"
        steps = value.get(level)
        if steps is None:
            raise ValidationError(name, sorted(lv.name for lv in value), "every level")
        if not isinstance(steps, tuple) or not steps:
            raise ValidationError(field, steps, "a non-empty tuple of EscalationSteps")
        notified: set[str] = set()
        previous: dt.timedelta | None = None
        for index, step in enumerate(steps):
            if not isinstance(step, EscalationStep):
                raise InvalidTypeError(f"{field}[{index}]", step, "an EscalationStep")
            if previous is not None and step.after <= previous:
                raise ValidationError(
                    f"{field}[{index}].after",
                    step.after,
                    f"later than the step before ({previous})",
                )
            previous = step.after
            for role in step.notify:
                if role in notified:
                    raise ValidationError(
                        f"{field}[{index}].notify",
                        role,
                        "a role not already notified by an earlier step",
                    )
                notified.add(role)


@attrs.frozen(kw_only=True)
class EscalationChain:
    """Per response level, who is notified and after how long (緊急聯絡).

    The book's communication mechanism makes information flow quickly inside
    the team and up to senior management (信息在小組內部以及公司高層之間能夠
    迅速流通); an escalation chain says how quickly, level by level. Each step
    fires at its delay after the crisis is declared, unless the crisis is
    resolved first (acknowledging stops escalation, as in PagerDuty's
    escalation policies; stopping is the caller's business).

    Rules checked: every level has at least one step; delays strictly
    increase within a level; a role is notified at most once per level; and a
    role that a level notifies is notified at every more severe level too, no
    later (a more severe crisis never reaches a role later, or not at all).

    Attributes
    ----------
    steps
        `ResponseLevel` → its steps, in order of delay.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.taxonomy import ResponseLevel
    >>> chain = default_escalation_chain()
    >>> declared = datetime(2026, 11, 11, 9, 0, tzinfo=timezone.utc)
    >>> [
    ...     (notice.at.strftime("%H:%M"), notice.notify)
    ...     for notice in chain.schedule(ResponseLevel.II, declared)
    ... ]  # doctest: +NORMALIZE_WHITESPACE
    [('09:00', ('crisis_lead', 'deputy_lead')),
     ('09:30', ('senior_management', 'comms_liaison')),
     ('10:00', ('legal_counsel',))]

    A chain of your own: each level is a list of `EscalationStep` values.
    One that tells senior management later at Level I than at Level II is
    refused:

    >>> from datetime import timedelta
    >>> from crisisops.errors import ValidationError
    >>> def chain(level_i_delay):
    ...     lead = EscalationStep(after=timedelta(0), notify=["crisis_lead"])
    ...     return EscalationChain(
    ...         steps={
    ...             ResponseLevel.I: [
    ...                 lead,
    ...                 EscalationStep(
    ...                     after=level_i_delay, notify=["senior_management"]
    ...                 ),
    ...             ],
    ...             ResponseLevel.II: [
    ...                 lead,
    ...                 EscalationStep(
    ...                     after=timedelta(hours=1), notify=["senior_management"]
    ...                 ),
    ...             ],
    ...             ResponseLevel.III: [lead],
    ...             ResponseLevel.IV: [lead],
    ...         }
    ...     )
    >>> str(
    ...     chain(timedelta(minutes=10)).first_notice(
    ...         ResponseLevel.I, "senior_management"
    ...     )
    ... )
    '0:10:00'
    >>> try:
    ...     chain(timedelta(hours=2))
    ... except ValidationError as error:
    ...     error.field
    'steps[I]'
    """

    steps: FrozenDict[ResponseLevel, tuple[EscalationStep, ...]] = attrs.field(
        converter=_to_steps, validator=_check_steps
    )

    def __attrs_post_init__(self) -> None:
        """Check that more severe levels reach each role, and no later."""
        roles = _dedupe(
            role
            for level in _LEVELS_BY_SEVERITY
            for step in self.steps[level]
            for role in step.notify
        )
        for role in roles:
            delays = [
                (level, self.first_notice(level, role)) for level in _LEVELS_BY_SEVERITY
            ]
            for (severe, early), (milder, late) in itertools.pairwise(delays):
                if late is None:
                    continue
                if early is None:
                    raise ValidationError(
                        f"steps[{severe.name}]",
                        role,
                        f"a notice of {role!r}: the less severe Level "
                        f"{milder.name} notifies it (after {late})",
                    )
                if early > late:
                    raise ValidationError(
                        f"steps[{severe.name}]",
                        role,
                        f"a notice of {role!r} no later than at the less severe "
                        f"Level {milder.name} ({late}), not {early}",
                    )

    def steps_for(self, level: ResponseLevel) -> tuple[EscalationStep, ...]:
        """Return the steps of ``level``."""
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        return self.steps[level]

    def first_notice(self, level: ResponseLevel, role_key: str) -> dt.timedelta | None:
        """Return the delay before ``role_key`` is notified at ``level``, if ever."""
        check_key(role_key, "role_key", dotted=False)
        for step in self.steps_for(level):
            if role_key in step.notify:
                return step.after
        return None

    def schedule(
        self, level: ResponseLevel, declared_at: dt.datetime
    ) -> tuple[EscalationNotice, ...]:
        """Return the dated notices for a crisis declared at ``level``.

        Parameters
        ----------
        level
            The response level.
        declared_at
            When the crisis was declared at that level; timezone-aware. Each
            notice is ``step.after`` of elapsed time later, shown in the
            ``tzinfo`` of ``declared_at``; across a daylight-saving change
            the wall-clock time shifts (24 hours after 12:00 EST on the day
            before clocks go forward is 13:00 EDT).
        """
        steps = self.steps_for(level)
        check_aware(declared_at, "declared_at")
        return tuple(
            EscalationNotice(
                level=level,
                at=after_elapsed(declared_at, step.after),
                after=step.after,
                notify=step.notify,
            )
            for step in steps
        )

    def notified_by(
        self, level: ResponseLevel, declared_at: dt.datetime, moment: dt.datetime
    ) -> tuple[str, ...]:
        """Return the roles notified at or before ``moment``, in notice order.

        ``moment`` and the notices compare as instants, in any zones.
        """
        check_aware(moment, "moment")
        now = instant(moment)
        return tuple(
            role
            for notice in self.schedule(level, declared_at)
            if instant(notice.at) <= now
            for role in notice.notify
        )

    def check_roles(self, roles: RoleCatalog | Iterable[str]) -> EscalationChain:
        """Return the chain if every role it notifies is in ``roles``.

        Parameters
        ----------
        roles
            A `RoleCatalog` or any iterable of role keys (the same
            vocabulary ``check_roles()`` takes on a RACI matrix or a playbook).

        Raises
        ------
        InvalidTypeError
            If ``roles`` is neither.
        UnknownKeyError
            For the first unknown role, naming the level and step, with the
            closest known keys as suggestions.
        """
        known = role_keys(roles, "roles")
        for level in _LEVELS_BY_SEVERITY:
            for index, step in enumerate(self.steps[level]):
                for key in step.notify:
                    if key not in known:
                        raise UnknownKeyError(
                            f"role in steps[{level.name}][{index}].notify",
                            key,
                            sorted(known),
                        )
        return self


def default_escalation_chain() -> EscalationChain:
    """Return crisisops' default escalation chain (a documented choice).

    ======= ============================================ ======================
    Level   At once                                      Then
    ======= ============================================ ======================
    I       lead, deputy, comms liaison, senior mgmt.    15 min: legal counsel
    II      lead, deputy                                 30 min: senior mgmt.,
                                                         comms liaison;
                                                         1 h: legal counsel
    III     lead                                         2 h: senior mgmt.
    IV      lead                                         24 h: senior mgmt.
    ======= ============================================ ======================

    The most severe level reaches senior management at once, as major
    incidents engage the executive team in PagerDuty's crisis practice; the
    delays grow with each milder level, and a role is never reached later at
    a more severe level.
    """
    minutes = dt.timedelta(minutes=1)
    hours = dt.timedelta(hours=1)
    return EscalationChain(
        steps={
            ResponseLevel.I: (
                EscalationStep(
                    after=0 * minutes,
                    notify=(_LEAD, _DEPUTY, "comms_liaison", "senior_management"),
                ),
                EscalationStep(after=15 * minutes, notify=("legal_counsel",)),
            ),
            ResponseLevel.II: (
                EscalationStep(after=0 * minutes, notify=(_LEAD, _DEPUTY)),
                EscalationStep(
                    after=30 * minutes, notify=("senior_management", "comms_liaison")
                ),
                EscalationStep(after=1 * hours, notify=("legal_counsel",)),
            ),
            ResponseLevel.III: (
                EscalationStep(after=0 * minutes, notify=(_LEAD,)),
                EscalationStep(after=2 * hours, notify=("senior_management",)),
            ),
            ResponseLevel.IV: (
                EscalationStep(after=0 * minutes, notify=(_LEAD,)),
                EscalationStep(after=24 * hours, notify=("senior_management",)),
            ),
        }
    )


# --- meeting cadence ----------------------------------------------------------


def _check_series(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_instance(Recurrence, "a Recurrence"), min_length=1)(
        _instance, attribute, value
    )
    assert isinstance(value, tuple)  # noqa: S101  narrowing for mypy
    if len(set(value)) != len(value):
        raise ValidationError(name, value, "recurrences without repeats")


#: Hours between coordination meetings per level in `MeetingCadence.for_level`.
_DEFAULT_MEETING_HOURS = {
    ResponseLevel.I: 4,
    ResponseLevel.II: 8,
    ResponseLevel.III: 24,
    ResponseLevel.IV: 24 * 7,
}


@attrs.frozen(kw_only=True)
class MeetingCadence:
    """When a level's coordination meetings are (book §4.4 定期召開協調會議).

    The book asks for regular coordination meetings that gather each
    department's situation, problems and solutions (組織定期的協調會議,匯總各部門
    的運營情況、遇到的難題及解決方案), part of the team's meeting system
    (§4.1 定期的會議制度). A cadence is the union of one or more `Recurrence`
    series: "every 4 hours" is six daily series four hours apart, because a
    `Recurrence` repeats at most daily and keeps each meeting's wall-clock
    time across daylight-saving changes.

    Attributes
    ----------
    level
        The response level the cadence is for.
    series
        The recurring series whose occurrences are the meetings; at least
        one, without repeats.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> from crisisops.taxonomy import ResponseLevel
    >>> taipei = timezone(timedelta(hours=8))
    >>> declared = datetime(2026, 11, 11, 9, 0, tzinfo=taipei)
    >>> cadence = MeetingCadence.for_level(ResponseLevel.I, declared)
    >>> cadence.next_meeting(datetime(2026, 11, 11, 10, 30, tzinfo=taipei)).isoformat()
    '2026-11-11T13:00:00+08:00'
    >>> len(cadence.meetings(declared, declared + timedelta(days=1)))  # both ends in
    7
    """

    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    series: tuple[Recurrence, ...] = attrs.field(
        converter=to_tuple, validator=_check_series
    )

    @classmethod
    def every(
        cls, level: ResponseLevel, start: dt.datetime, *, hours: int
    ) -> MeetingCadence:
        """Return meetings every ``hours`` hours from ``start``.

        ``hours`` must divide 24 (1, 2, 3, 4, 6, 8, 12: that many daily
        series) or be a whole number of days (24, 48, ...: one daily series
        with that interval).

        Raises
        ------
        ValidationError
            For any other ``hours``.
        """
        check_aware(start, "start")
        _check_positive_int(hours, "hours")
        series: tuple[Recurrence, ...]
        if hours % 24 == 0:
            series = (
                Recurrence(
                    frequency=Frequency.DAILY, start=start, interval=hours // 24
                ),
            )
        elif 24 % hours == 0:
            series = tuple(
                Recurrence(
                    frequency=Frequency.DAILY,
                    start=start + dt.timedelta(hours=k * hours),
                )
                for k in range(24 // hours)
            )
        else:
            raise ValidationError(
                "hours",
                hours,
                "a divisor of 24 (1, 2, 3, 4, 6, 8, 12) or a multiple of 24",
            )
        return cls(level=level, series=series)

    @classmethod
    def for_level(cls, level: ResponseLevel, start: dt.datetime) -> MeetingCadence:
        """Return crisisops' default cadence for ``level``, first meeting at ``start``.

        Level I every 4 hours, Level II every 8 hours, Level III daily and
        Level IV weekly — a documented choice between Netflix Dispatch's
        tactical-report reminders (every 2, 6 and 12 hours by priority) and
        the Google SRE book's state-document updates (at least every 4 hours).
        """
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        return cls.every(level, start, hours=_DEFAULT_MEETING_HOURS[level])

    def next_meeting(self, after: dt.datetime) -> dt.datetime | None:
        """Return the first meeting strictly after ``after`` (``None`` if none)."""
        check_aware(after, "after")
        upcoming = [
            moment
            for moment in (series.next_after(after) for series in self.series)
            if moment is not None
        ]
        return min(upcoming, key=instant) if upcoming else None

    def meetings(
        self, after: dt.datetime, before: dt.datetime
    ) -> tuple[dt.datetime, ...]:
        """Return the meetings from ``after`` to ``before`` (both included), in order.

        Raises
        ------
        NaiveDatetimeError, ValidationError
            For naive datetimes or ``before`` earlier than ``after``.
        """
        found = {
            moment
            for series in self.series
            for moment in series.occurrences(after, before)
        }
        return tuple(sorted(found, key=instant))
