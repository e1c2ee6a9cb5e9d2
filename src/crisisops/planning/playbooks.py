"""Contingency playbooks (預案): steps, owners, deadlines, the critical path (book §4).

The book asks every shop to write its emergency plans before it needs them:
"制定詳細的應急預案。預案中應包含可能發生的各種危機情況、應對策略、資源調配方案"
(§4 成立危機應對小組, 5. 制定應急預案), to give each solution "責任人及執行時間"
— an owner and a deadline (§5 執行危機應對策略, 3.) — and to start the plan the
moment a trigger fires ("應立即啟動銷售危機應急預案", §3). This module holds
those plans as values:

* `StrategyFamily` – the five strategy families of §4 制定針對性的應對策略
  (溝通策略, 危機處理團隊組建, 資源調配, 法律風險防控, 預案制定與演練); every
  step is tagged with the families it serves.
* `PlaybookStep` – one step: an owner role, a deadline as an offset from
  activation (`DeadlineOffset`, built from a ``dateutil`` ``relativedelta``
  or a ``timedelta``; never negative), a working duration, the steps it
  depends on, the resources it needs, a "done when" criterion and whether it
  is a communication step.
* `Playbook` – a plan for some crisis types and a range of response levels.
  Its steps form a directed acyclic graph, checked on construction (a cycle
  is named in the error). `Playbook.schedule()` runs the critical path
  method: earliest and latest start and finish of every step, slack, the
  critical path and the total duration; `Playbook.meets_target()` says
  whether that fits the level's target response time (`TARGET_RESPONSE`).
* `PlaybookCatalog` and `default_playbooks()` – the open catalog; the
  built-in one has a plan for every key of
  ``crisisops._crisis_types.PLAYBOOK_KEYS``, written from the book.
* `activate()` – turns a playbook into an `ActionPlan` of `PlannedAction`
  values for one crisis: named owners (from a team's ``member_for``), aware
  due datetimes and a dated schedule. Steps nobody can own stay in the plan
  and are listed in `ActionPlan.unowned`; nothing is dropped.

Critical path method
--------------------
Kelley and Walker's (1959) critical path method, on activity-on-node
networks: a forward pass gives each step's earliest start (the latest
earliest finish among its dependencies, 0 for a step without any) and
earliest finish (start + duration); the total duration is the largest
earliest finish. A backward pass gives the latest finish (the smallest latest
start among its dependants, the total duration for a step without any) and
the latest start. Slack = latest start − earliest start; the critical path
is a chain of zero-slack steps from the start to the end whose durations add
up to the total. Both passes run level by level over the graph (Kahn's
topological levels), one round of numpy array operations per level, so the
work is linear in steps + dependencies plus a fixed cost per level; there is
no Python recursion. A long chain, where every level holds one step, pays
that fixed cost per step (``benchmarks/bench_planning_paths.py`` measures
both shapes against ``networkx.dag_longest_path``).

Times
-----
Durations and the schedule are elapsed time: a step scheduled 30 hours after
activation starts 30 real hours later, also across a daylight-saving change.
Deadlines are calendar offsets, added the way ``dateutil`` adds a
``relativedelta`` to an aware datetime, on the wall clock of the activation
time's zone: "one month" from 31 January is 28 (or 29) February, "one day"
is the same local time the next day; a wall time the zone skips when it
springs forward moves on by the gap. Deadlines and scheduled times are
compared as instants (`PlannedAction.is_late`), so the hour a zone repeats
when it falls back orders them by real time, not by their wall-clock reading.

Examples
--------
>>> import datetime as dt
>>> from crisisops.planning.playbooks import Playbook, PlaybookStep
>>> from crisisops.labels import Labels
>>> hours = lambda n: dt.timedelta(hours=n)
>>> plan = Playbook(
...     key="stockout_drill",
...     labels=Labels(en="Stock-out drill", zh_hant="缺貨演練", zh_hans="缺货演练"),
...     steps=[
...         PlaybookStep(
...             key="assess_stock",
...             title="Assess stock",
...             owner_role="supply_chain_lead",
...             deadline=hours(4),
...             duration=hours(2),
...             done_when="Shortfall per SKU known",
...         ),
...         PlaybookStep(
...             key="contact_suppliers",
...             title="Contact suppliers",
...             owner_role="supply_chain_lead",
...             deadline=hours(12),
...             duration=hours(6),
...             depends_on=["assess_stock"],
...             done_when="Emergency supply confirmed",
...         ),
...         PlaybookStep(
...             key="inform_customers",
...             title="Inform customers",
...             owner_role="customer_service",
...             deadline=hours(2),
...             duration=hours(1),
...             depends_on=["assess_stock"],
...             done_when="Every affected buyer told",
...             is_communication=True,
...         ),
...     ],
... )
>>> plan.critical_path()
('assess_stock', 'contact_suppliers')
>>> plan.total_duration()
datetime.timedelta(seconds=28800)

The `Schedule` of the critical path method: both later steps start once the
2 h assessment is done, and the plan ends at 2 + 6 = 8 h, so informing
customers (1 h) can slip 5 h (times in microseconds, one per step):

>>> from crisisops.planning.playbooks import Schedule, StepTiming
>>> schedule: Schedule = plan.schedule()
>>> hour = 3_600_000_000
>>> (schedule.earliest_start_us // hour).tolist()
[0, 2, 2]
>>> (schedule.latest_start_us // hour).tolist()
[0, 2, 7]
>>> (schedule.slack_us // hour).tolist(), schedule.critical_steps
([0, 0, 5], ('assess_stock', 'contact_suppliers'))
>>> timing: StepTiming = schedule.timing("inform_customers")
>>> str(timing.earliest_start), str(timing.latest_start), str(timing.slack)
('2:00:00', '7:00:00', '5:00:00')
>>> timing.critical, schedule.timing("contact_suppliers").critical
(False, True)
>>> from crisisops.taxonomy import ResponseLevel
>>> plan.meets_target(ResponseLevel.I)  # 8 h fits the 24 h of Level I
True
>>> from crisisops.planning.playbooks import TARGET_RESPONSE
>>> [target // hours(1) for target in TARGET_RESPONSE.values()]  # I, II, III, IV
[24, 48, 72, 168]

`activate()` makes the steps concrete for one crisis. Any object with
``member_for(role_key)`` names the owners (a `MemberLookup`, such as a
``Team``); this stub knows only the supply-chain lead, so informing
customers stays in the plan, unowned. Customers are due to hear within 2 h,
but the step waits for the 2 h assessment and is scheduled to finish late:

>>> from crisisops.planning.playbooks import ActionPlan, MemberLookup, PlannedAction
>>> from crisisops.planning.playbooks import activate
>>> class OnCall:
...     def member_for(self, role_key):
...         return {"supply_chain_lead": "mei"}.get(role_key)
>>> team: MemberLookup = OnCall()
>>> at = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
>>> actions: ActionPlan = activate(plan, "peak_2026.stockout", at, team)
>>> [(action.key, action.owner) for action in actions.actions]
[('assess_stock', 'mei'), ('contact_suppliers', 'mei'), ('inform_customers', None)]
>>> actions.playbook_key, actions.critical_path
('stockout_drill', ('assess_stock', 'contact_suppliers'))
>>> [a.key for a in actions.unowned], actions.finish.isoformat()
(['inform_customers'], '2026-11-11T17:00:00+00:00')
>>> [a.key for a in actions.late], [a.key for a in actions.communications]
(['inform_customers'], ['inform_customers'])
>>> [action.title for action in actions.by_owner("mei")]
['Assess stock', 'Contact suppliers']
>>> inform: PlannedAction = actions.action("inform_customers")
>>> inform.due.isoformat(), inform.scheduled_finish.isoformat()
('2026-11-11T11:00:00+00:00', '2026-11-11T12:00:00+00:00')
>>> inform.is_late, inform.is_owned, inform.critical, str(inform.slack)
(True, False, False, '5:00:00')

References
----------
Kelley, James E., and Morgan R. Walker. 1959. "Critical-Path Planning and
Scheduling." In *Proceedings of the Eastern Joint Computer Conference*,
160–73. https://doi.org/10.1145/1460299.1460318.
Kahn, Arthur B. 1962. "Topological Sorting of Large Networks."
*Communications of the ACM* 5 (11): 558–62.
https://doi.org/10.1145/368996.369025.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, Protocol

import attrs
import networkx as nx
import numpy as np
from dateutil.relativedelta import relativedelta

from crisisops._time import after_elapsed, instant, wall_time
from crisisops._validation import (
    check_aware,
    check_finite,
    check_key,
    check_str,
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
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.planning._common import role_keys
from crisisops.planning.roles import RoleCatalog
from crisisops.taxonomy import CrisisType, ResponseLevel

__all__ = [
    "TARGET_RESPONSE",
    "ActionPlan",
    "DeadlineOffset",
    "MemberLookup",
    "PlannedAction",
    "Playbook",
    "PlaybookCatalog",
    "PlaybookStep",
    "Schedule",
    "StepTiming",
    "StrategyFamily",
    "activate",
    "default_playbooks",
]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
IndexArray = np.ndarray[Any, np.dtype[np.intp]]

_MICROSECOND = dt.timedelta(microseconds=1)
_ZERO = dt.timedelta(0)


_labels = Labels.of


# --- strategy families ----------------------------------------------------------


class StrategyFamily(enum.Enum):
    """The five strategy families of book §4 制定針對性的應對策略.

    The book lists five points to cover when writing targeted strategies;
    each playbook step is tagged with the ones it serves (crisisops' reading
    of each family is given after the book's words):

    * ``COMMUNICATION`` 溝通策略 – "建立快速響應機制,及時發布準確信息,保持與
      利益相關者的溝通": any step that informs or listens to customers, the
      public, media, suppliers, partners, regulators or staff.
    * ``TEAM`` 危機處理團隊組建 – "組建專業、高效的危機處理團隊,負責應對危機的
      各項工作": the team's own work of assessing, analysing causes and impact,
      deciding and tracking.
    * ``RESOURCES`` 資源調配 – "合理分配人力、物力、財力等資源": steps that
      move people, material or money, or put technical capacity to work.
    * ``LEGAL_RISK`` 法律風險防控 – "及時咨詢專業法律機構,避免法律風險": legal
      review, regulatory duties, evidence and contracts.
    * ``DRILLS`` 預案制定與演練 – "制定應急預案,並定期進行演練": updating plans,
      training and rehearsing.

    Examples
    --------
    >>> [family.labels.zh_hant for family in StrategyFamily]
    ['溝通策略', '危機處理團隊組建', '資源調配', '法律風險防控', '預案制定與演練']
    >>> StrategyFamily("legal_risk").labels.en
    'Legal-risk control'
    """

    COMMUNICATION = "communication"
    TEAM = "team"
    RESOURCES = "resources"
    LEGAL_RISK = "legal_risk"
    DRILLS = "drills"

    @property
    def labels(self) -> Labels:
        """The family's name in English, 繁體 (the book's term) and 简体."""
        return _FAMILY_LABELS[self]

    @property
    def book_section(self) -> str:
        """Where the book lists the family."""
        return "§4 制定針對性的應對策略"


_FAMILY_LABELS = {
    StrategyFamily.COMMUNICATION: _labels("Communication", "溝通策略", "沟通策略"),
    StrategyFamily.TEAM: _labels(
        "Crisis-team formation", "危機處理團隊組建", "危机处理团队组建"
    ),
    StrategyFamily.RESOURCES: _labels("Resource allocation", "資源調配", "资源调配"),
    StrategyFamily.LEGAL_RISK: _labels(
        "Legal-risk control", "法律風險防控", "法律风险防控"
    ),
    StrategyFamily.DRILLS: _labels(
        "Contingency plans and drills", "預案制定與演練", "预案制定与演练"
    ),
}


#: Target response time per level: how long the whole plan (its critical
#: path) may take from activation. crisisops' documented choice, not the
#: book's: the book only asks to respond "在最短時間內"; ``ResponseLevel`` has no
#: target times of its own. Level I 24 h, II 48 h, III 72 h, IV 7 days.
TARGET_RESPONSE: FrozenDict[ResponseLevel, dt.timedelta] = FrozenDict(
    {
        ResponseLevel.I: dt.timedelta(hours=24),
        ResponseLevel.II: dt.timedelta(hours=48),
        ResponseLevel.III: dt.timedelta(hours=72),
        ResponseLevel.IV: dt.timedelta(days=7),
    }
)


# --- deadlines --------------------------------------------------------------------

_ABSOLUTE_FIELDS = (
    "year",
    "month",
    "day",
    "weekday",
    "hour",
    "minute",
    "second",
    "microsecond",
)
_RELATIVE_FIELDS = (
    "years",
    "months",
    "days",
    "hours",
    "minutes",
    "seconds",
    "microseconds",
)
_OFFSET_EXPECTED = "a DeadlineOffset, a dateutil relativedelta or a datetime.timedelta"


def _check_months(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int >= 0")
    if value < 0:
        raise ValidationError(
            name, value, "an int >= 0 (deadlines never precede activation)"
        )


def _check_delta(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta")
    if value < _ZERO:
        raise ValidationError(
            name, value, "a timedelta >= 0 (deadlines never precede activation)"
        )


@attrs.frozen(kw_only=True)
class DeadlineOffset:
    """A deadline as a calendar offset from activation; never negative.

    Build it from what you have with `DeadlineOffset.of()`: a
    ``dateutil.relativedelta.relativedelta`` (months and years are kept as
    calendar months, so "one month after 31 January" is the end of February)
    or a ``datetime.timedelta``. `PlaybookStep` does this for its
    ``deadline`` field. Only relative offsets are allowed: a ``relativedelta``
    with absolute fields (``day=31``, ``weekday=FR``) or leap days is refused,
    and so is any negative part.

    Attributes
    ----------
    months
        Whole calendar months (a year is 12), ``>= 0``.
    delta
        Days and time of day on top of the months, ``>= 0``.

    Examples
    --------
    >>> import datetime as dt
    >>> from dateutil.relativedelta import relativedelta
    >>> offset = DeadlineOffset.of(relativedelta(months=1, hours=12))
    >>> str(offset)
    'P1MT12H'
    >>> taipei = dt.timezone(dt.timedelta(hours=8))
    >>> offset.apply(dt.datetime(2026, 1, 31, 9, 0, tzinfo=taipei)).isoformat()
    '2026-02-28T21:00:00+08:00'
    """

    months: int = attrs.field(default=0, validator=_check_months)
    delta: dt.timedelta = attrs.field(default=_ZERO, validator=_check_delta)

    @classmethod
    def of(
        cls,
        value: DeadlineOffset | relativedelta | dt.timedelta,
        field: str = "deadline",
    ) -> DeadlineOffset:
        """Return ``value`` as a `DeadlineOffset`.

        Parameters
        ----------
        value
            A `DeadlineOffset` (returned as is), a ``relativedelta`` or a
            ``timedelta``.
        field
            Name of the argument, used in error messages.

        Raises
        ------
        InvalidTypeError
            For any other type.
        ValidationError
            For a negative offset (any negative part), or a ``relativedelta``
            with absolute fields or leap days.
        """
        if isinstance(value, DeadlineOffset):
            return value
        if isinstance(value, dt.timedelta):
            if value < _ZERO:
                raise ValidationError(
                    field, value, "an offset >= 0 (deadlines never precede activation)"
                )
            return cls(delta=value)
        if isinstance(value, relativedelta):
            return cls._from_relativedelta(value, field)
        raise InvalidTypeError(field, value, _OFFSET_EXPECTED)

    @classmethod
    def _from_relativedelta(cls, value: relativedelta, field: str) -> DeadlineOffset:
        absolute = [
            name for name in _ABSOLUTE_FIELDS if getattr(value, name) is not None
        ]
        if absolute or value.leapdays:
            raise ValidationError(
                field,
                value,
                "a relative offset (no absolute fields such as day=31 or weekday, "
                f"no leapdays; found {absolute or ['leapdays']})",
            )
        negative = [name for name in _RELATIVE_FIELDS if getattr(value, name) < 0]
        if negative:
            raise ValidationError(
                field,
                value,
                f"an offset >= 0 in every part (negative: {', '.join(negative)}); "
                "deadlines never precede activation",
            )
        return cls(
            months=int(value.years) * 12 + int(value.months),
            delta=dt.timedelta(
                days=value.days,
                hours=value.hours,
                minutes=value.minutes,
                seconds=value.seconds,
                microseconds=value.microseconds,
            ),
        )

    def to_relativedelta(self) -> relativedelta:
        """Return the offset as a ``dateutil`` ``relativedelta``."""
        return relativedelta(months=self.months) + self.delta

    def apply(self, at: dt.datetime) -> dt.datetime:
        """Return the due moment for an activation at ``at`` (aware).

        Months are added first, on the calendar (a day the target month lacks
        becomes its last day), then ``delta``, on the wall clock of ``at``'s
        zone: ``at + self.to_relativedelta()``. A wall time that the zone
        skips when it springs forward is moved forward by the gap (02:30 on
        that Sunday in New York becomes 03:30 EDT, the same instant); an
        ambiguous one in the hour the zone falls back is its first occurrence.

        Raises
        ------
        InvalidTypeError, NaiveDatetimeError
            If ``at`` is not an aware datetime.
        ValidationError
            If the due moment would pass the end of ``datetime`` (year 9999).
        """
        check_aware(at, "at")
        try:
            return wall_time(at + self.to_relativedelta())
        except (OverflowError, ValueError):
            raise ValidationError(
                "at", at, f"a moment that leaves room for the offset {self}"
            ) from None

    def __str__(self) -> str:
        """Show the offset as an ISO 8601 duration, e.g. ``P1M2DT3H``."""
        days = self.delta.days
        seconds = self.delta.seconds
        micro = self.delta.microseconds
        text = "P"
        if self.months:
            text += f"{self.months}M"
        if days:
            text += f"{days}D"
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        clock = ""
        if hours:
            clock += f"{hours}H"
        if minutes:
            clock += f"{minutes}M"
        if secs or micro:
            clock += f"{secs}.{micro:06d}S" if micro else f"{secs}S"
        if clock:
            text += "T" + clock
        return text if text != "P" else "PT0S"


def _to_deadline(
    value: DeadlineOffset | relativedelta | dt.timedelta,
) -> DeadlineOffset:
    """Convert what `DeadlineOffset.of` accepts; pass anything else through."""
    if isinstance(value, (DeadlineOffset, relativedelta, dt.timedelta)):
        return DeadlineOffset.of(value)
    return value  # the validator reports it


# --- steps --------------------------------------------------------------------------


def _check_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta")
    if value < _ZERO:
        raise ValidationError(name, value, "a duration >= 0")


def _to_amounts(value: Mapping[str, Any]) -> FrozenDict[str, float]:
    """Copy a mapping of resource key → amount, numbers as floats."""
    if not isinstance(value, Mapping):
        return value  # the validator reports it
    return to_frozendict(
        {
            key: float(amount)
            if isinstance(amount, (int, float)) and not isinstance(amount, bool)
            else amount
            for key, amount in value.items()
        }
    )


def _check_amounts(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of resource key to amount")
    for key, amount in value.items():
        check_key(key, f"{name} key")
        check_finite(amount, f"{name}[{key!r}]", low=0.0)


@attrs.frozen(kw_only=True)
class PlaybookStep:
    """One step of a playbook: what to do, who owns it, by when (book §4, §5).

    The book wants each solution "具體、可行,並明確責任人及執行時間" (§5
    執行危機應對策略): concrete, with an owner and a time. A step names its
    owner by role (a key such as ``"supply_chain_lead"``), so one playbook fits
    every team; `activate()` turns the role into a member.

    Attributes
    ----------
    key
        Key of the step within its playbook, one lowercase word such as
        ``"assess_stock"``.
    title
        What to do, in a line.
    labels
        The title in English, 繁體 and 简体, when there is one (the built-in
        playbooks have them).
    owner_role
        Key of the role that owns the step, e.g. ``"customer_service"``.
    deadline
        When the step must be done, as an offset from activation: a
        `DeadlineOffset`, or a ``relativedelta`` / ``timedelta`` converted to
        one. Never negative.
    duration
        Working time the step takes once started (``>= 0``); the schedule
        and the critical path use it.
    depends_on
        Keys of the steps that must finish before this one starts.
    resources
        Resources the step needs: resource key → amount (finite, ``>= 0``),
        e.g. ``{"people.customer_service": 32}`` (person-hours).
    done_when
        The criterion that says the step is done (a verification criterion).
    is_communication
        Whether the step communicates with stakeholders (a statement, a
        notice, an answer); `ActionPlan.communications` lists them.
    families
        The book's strategy families the step serves.
    """

    key: str = attrs.field(validator=is_key(dotted=False))
    title: str = attrs.field(validator=is_text())
    owner_role: str = attrs.field(validator=is_key(dotted=False))
    deadline: DeadlineOffset = attrs.field(
        converter=_to_deadline,
        validator=is_instance(DeadlineOffset, _OFFSET_EXPECTED),
    )
    duration: dt.timedelta = attrs.field(validator=_check_duration)
    done_when: str = attrs.field(validator=is_text())
    depends_on: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("dependency")],
    )
    resources: FrozenDict[str, float] = attrs.field(
        factory=FrozenDict, converter=_to_amounts, validator=_check_amounts
    )
    is_communication: bool = attrs.field(
        default=False, validator=is_instance(bool, "a bool")
    )
    families: tuple[StrategyFamily, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[is_tuple_of(is_enum(StrategyFamily)), is_unique("strategy family")],
    )
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels or None"))
    )

    def __attrs_post_init__(self) -> None:
        """Refuse a step that depends on itself."""
        if self.key in self.depends_on:
            raise ValidationError(
                "depends_on",
                self.depends_on,
                f"keys of other steps (step {self.key!r} cannot depend on itself)",
            )


# --- the critical path method, on arrays ----------------------------------------------


class _Passes(NamedTuple):
    """Result of the forward and backward passes, in microseconds."""

    earliest_start: IntArray
    earliest_finish: IntArray
    latest_start: IntArray
    latest_finish: IntArray
    path: list[int]


class _CycleError(Exception):
    """Internal: the graph has a cycle among the nodes still waiting."""

    def __init__(self, waiting: IndexArray) -> None:
        super().__init__("cycle")
        self.waiting = waiting


def _gather(ptr: IndexArray, nodes: IndexArray) -> IndexArray:
    """Return the positions of every out-edge of ``nodes`` in a CSR layout."""
    starts = ptr[nodes]
    counts = ptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.intp)
    shift = starts - (np.cumsum(counts) - counts)
    positions: IndexArray = np.arange(total, dtype=np.intp) + np.repeat(shift, counts)
    return positions


def _critical_path_method(
    durations: IntArray, sources: IndexArray, targets: IndexArray
) -> _Passes:
    """Run both CPM passes over a DAG given as edge arrays (source → target).

    Levels come from Kahn's algorithm, one round of array operations per level;
    each edge is touched once in each pass. Raises `_CycleError` if some nodes
    never become free (they lie on or after a cycle).
    """
    n = durations.size
    order = np.argsort(sources, kind="stable")
    edge_source = sources[order]
    edge_target = targets[order]
    ptr = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(np.bincount(sources, minlength=n), out=ptr[1:])
    waiting = np.bincount(targets, minlength=n)

    earliest_start = np.zeros(n, dtype=np.int64)
    earliest_finish = np.zeros(n, dtype=np.int64)
    # One entry per level: (its steps, or the step's index when it is alone;
    # the heads and tails of the edges leaving it).
    levels: list[tuple[IndexArray | int, IndexArray, IndexArray]] = []
    done = 0
    frontier = np.flatnonzero(waiting == 0)
    while frontier.size:
        if frontier.size == 1:  # a level of one step (deep plans): scalars, slices
            node = int(frontier[0])
            finish = earliest_start[node] + durations[node]
            earliest_finish[node] = finish
            low, high = int(ptr[node]), int(ptr[node + 1])
            heads = edge_target[low:high]
            tails = edge_source[low:high]
            np.maximum.at(earliest_start, heads, finish)
            levels.append((node, heads, tails))
        else:
            earliest_finish[frontier] = earliest_start[frontier] + durations[frontier]
            edges = _gather(ptr, frontier)
            heads = edge_target[edges]
            tails = edge_source[edges]
            np.maximum.at(earliest_start, heads, earliest_finish[tails])
            levels.append((frontier, heads, tails))
        done += frontier.size
        np.subtract.at(waiting, heads, 1)
        ready = heads[waiting[heads] == 0]
        frontier = np.unique(ready) if ready.size > 1 else ready
    if done < n:
        raise _CycleError(np.flatnonzero(waiting > 0))

    total = earliest_finish.max() if n else np.int64(0)
    latest_finish = np.full(n, total, dtype=np.int64)
    latest_start = np.zeros(n, dtype=np.int64)
    for nodes, heads, tails in reversed(levels):
        if isinstance(nodes, int):
            if heads.size:
                latest_finish[nodes] = min(
                    latest_finish[nodes], latest_start[heads].min()
                )
            latest_start[nodes] = latest_finish[nodes] - durations[nodes]
            continue
        if heads.size:
            np.minimum.at(latest_finish, tails, latest_start[heads])
        latest_start[nodes] = latest_finish[nodes] - durations[nodes]

    path = _one_critical_path(
        earliest_start, earliest_finish, latest_start, sources, targets, total
    )
    return _Passes(earliest_start, earliest_finish, latest_start, latest_finish, path)


def _one_critical_path(  # noqa: PLR0913, PLR0917  the passes' arrays, named
    earliest_start: IntArray,
    earliest_finish: IntArray,
    latest_start: IntArray,
    sources: IndexArray,
    targets: IndexArray,
    total: np.int64,
) -> list[int]:
    """Return one critical path, as node indices from start to end.

    Deterministic: it ends at the first (lowest-index) step without
    dependants whose earliest finish is the total, and walks back through
    the lowest-index dependency that finishes exactly when the step starts.
    """
    n = earliest_start.size
    if n == 0:
        return []
    zero_slack = latest_start == earliest_start
    tight = (
        (earliest_finish[sources] == earliest_start[targets])
        & zero_slack[sources]
        & zero_slack[targets]
    )
    tight_sources = sources[tight]
    tight_targets = targets[tight]
    ranked = np.lexsort((tight_sources, tight_targets))
    tight_sources = tight_sources[ranked]
    tight_targets = tight_targets[ranked]
    heads, first = np.unique(tight_targets, return_index=True)
    best = np.full(n, -1, dtype=np.intp)
    best[heads] = tight_sources[first]
    sinks = np.bincount(sources, minlength=n) == 0
    node = int(np.flatnonzero(sinks & (earliest_finish == total))[0])
    path = [node]
    while best[node] >= 0:  # one iteration per step on the path
        node = int(best[node])
        path.append(node)
    path.reverse()
    return path


def _as_int64(value: object) -> object:
    """Copy an array-like of whole microseconds into a read-only int64 array."""
    try:
        array = np.array(value, dtype=np.int64, copy=True)
    except (TypeError, ValueError, OverflowError):
        return value  # the validator reports it
    array.setflags(write=False)
    return array


def _check_us_array(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if not isinstance(value, np.ndarray) or value.ndim != 1:
        raise InvalidTypeError(
            field_name(attribute), value, "a 1-D array of int64 microseconds"
        )


def _us(value: int | np.integer[Any]) -> dt.timedelta:
    return dt.timedelta(microseconds=int(value))


_STEP_KEYS_TEXT = re.compile(r"[a-z][a-z0-9_]{0,119}(?:\n[a-z][a-z0-9_]{0,119})*")


def _are_step_keys(*, min_length: int) -> Callable[[Any, Any, Any], None]:
    """Validate a tuple of step keys: one C-speed match, per item only on failure."""
    per_item = is_tuple_of(is_key(dotted=False), min_length=min_length)

    def validate(instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        if (
            isinstance(value, tuple)
            and len(value) >= min_length
            and set(map(type, value)) <= {str}
        ):
            text = "\n".join(value)
            if not value or (
                text.count("\n") == len(value) - 1 and _STEP_KEYS_TEXT.fullmatch(text)
            ):
                return
        per_item(instance, attribute, value)  # raises, naming the bad item

    return validate


@attrs.frozen(kw_only=True)
class StepTiming:
    """Schedule of one step: earliest and latest start and finish, slack.

    Attributes
    ----------
    key
        The step's key.
    duration
        The step's duration.
    earliest_start, earliest_finish
        Earliest moments, as offsets from activation.
    latest_start, latest_finish
        Latest moments that do not delay the whole plan.
    slack
        ``latest_start - earliest_start``: how long the step can slip.
    critical
        Whether the slack is zero.

    Examples
    --------
    `Schedule.timing()` gives one; the module example reads the timing of a
    step that can slip 5 h.
    """

    key: str = attrs.field(validator=is_key(dotted=False))
    duration: dt.timedelta = attrs.field(validator=_check_duration)
    earliest_start: dt.timedelta = attrs.field(validator=_check_duration)
    earliest_finish: dt.timedelta = attrs.field(validator=_check_duration)
    latest_start: dt.timedelta = attrs.field(validator=_check_duration)
    latest_finish: dt.timedelta = attrs.field(validator=_check_duration)
    slack: dt.timedelta = attrs.field(validator=_check_duration)
    critical: bool = attrs.field(validator=is_instance(bool, "a bool"))


@attrs.frozen(kw_only=True)
class Schedule:
    """The critical-path schedule of a playbook (Kelley and Walker 1959).

    Times are offsets from activation in whole microseconds, as read-only
    int64 arrays in step order (one entry per key of ``step_keys``);
    `timing()` gives one step's times as ``timedelta`` values.

    Attributes
    ----------
    step_keys
        The steps, in playbook order.
    duration_us
        Each step's duration.
    earliest_start_us, earliest_finish_us
        Forward pass: earliest start and finish.
    latest_start_us, latest_finish_us
        Backward pass: latest start and finish that keep the total.
    critical_path
        Keys of one chain of zero-slack steps from start to end whose
        durations add up to the total duration.

    Examples
    --------
    `Playbook.schedule()` builds it; the module example reads the forward and
    backward passes of a three-step stock-out drill.
    """

    step_keys: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_are_step_keys(min_length=1)
    )
    duration_us: IntArray = attrs.field(
        converter=_as_int64,
        validator=_check_us_array,
        eq=attrs.cmp_using(eq=np.array_equal),
    )
    earliest_start_us: IntArray = attrs.field(
        converter=_as_int64,
        validator=_check_us_array,
        eq=attrs.cmp_using(eq=np.array_equal),
    )
    earliest_finish_us: IntArray = attrs.field(
        converter=_as_int64,
        validator=_check_us_array,
        eq=attrs.cmp_using(eq=np.array_equal),
    )
    latest_start_us: IntArray = attrs.field(
        converter=_as_int64,
        validator=_check_us_array,
        eq=attrs.cmp_using(eq=np.array_equal),
    )
    latest_finish_us: IntArray = attrs.field(
        converter=_as_int64,
        validator=_check_us_array,
        eq=attrs.cmp_using(eq=np.array_equal),
    )
    critical_path: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_are_step_keys(min_length=1)
    )
    _index: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check shapes and the CPM identities; index the keys."""
        n = len(self.step_keys)
        index = FrozenDict((key, i) for i, key in enumerate(self.step_keys))
        if len(index) != n:
            duplicate = next(k for k in self.step_keys if self.step_keys.count(k) > 1)
            raise DuplicateKeyError("step key", duplicate)
        arrays = {
            "duration_us": self.duration_us,
            "earliest_start_us": self.earliest_start_us,
            "earliest_finish_us": self.earliest_finish_us,
            "latest_start_us": self.latest_start_us,
            "latest_finish_us": self.latest_finish_us,
        }
        for name, array in arrays.items():
            if array.shape != (n,):
                raise ValidationError(name, array.shape, f"one value per step ({n},)")
        if (self.duration_us < 0).any() or (self.earliest_start_us < 0).any():
            raise ValidationError(
                "duration_us", self.duration_us, "durations and starts >= 0"
            )
        if not np.array_equal(
            self.earliest_start_us + self.duration_us, self.earliest_finish_us
        ) or not np.array_equal(
            self.latest_start_us + self.duration_us, self.latest_finish_us
        ):
            raise ValidationError(
                "earliest_finish_us",
                self.earliest_finish_us,
                "start + duration for every step, earliest and latest",
            )
        if (self.latest_start_us < self.earliest_start_us).any():
            raise ValidationError(
                "latest_start_us",
                self.latest_start_us,
                "no earlier than earliest start",
            )
        for position, key in enumerate(self.critical_path):
            if key not in index:
                raise UnknownKeyError(
                    f"step (critical_path[{position}])", key, self.step_keys
                )
        object.__setattr__(self, "_index", index)

    @property
    def total_duration(self) -> dt.timedelta:
        """Length of the critical path: the largest earliest finish."""
        return _us(self.earliest_finish_us.max())

    @property
    def slack_us(self) -> IntArray:
        """Each step's slack (latest − earliest start), in microseconds."""
        slack = self.latest_start_us - self.earliest_start_us
        slack.setflags(write=False)
        return slack

    @property
    def critical_steps(self) -> tuple[str, ...]:
        """Keys of every step with zero slack, in playbook order."""
        zero = np.flatnonzero(self.latest_start_us == self.earliest_start_us)
        return tuple(self.step_keys[i] for i in zero)

    def timing(self, key: str) -> StepTiming:
        """Return the schedule of step ``key`` as ``timedelta`` values.

        Raises
        ------
        UnknownKeyError
            If no step has that key (with suggestions).
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a str step key")
        if key not in self._index:
            raise UnknownKeyError("step", key, self.step_keys)
        i = self._index[key]
        slack = int(self.latest_start_us[i] - self.earliest_start_us[i])
        return StepTiming(
            key=key,
            duration=_us(self.duration_us[i]),
            earliest_start=_us(self.earliest_start_us[i]),
            earliest_finish=_us(self.earliest_finish_us[i]),
            latest_start=_us(self.latest_start_us[i]),
            latest_finish=_us(self.latest_finish_us[i]),
            slack=_us(slack),
            critical=slack == 0,
        )

    def timings(self) -> tuple[StepTiming, ...]:
        """Return every step's `StepTiming`, in playbook order."""
        return tuple(self.timing(key) for key in self.step_keys)


# --- playbooks ----------------------------------------------------------------------


def _check_book_section(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, str):
        raise InvalidTypeError(name, value, "a str such as '§5.4 案例分析'")
    if len(value) < 2 or not value.startswith("§") or not value[1].isdigit():
        raise ValidationError(
            name, value, "a book reference such as '§5.4 案例分析' (a '§' then a digit)"
        )


def _check_steps(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of PlaybookStep")
    if not value:
        raise ValidationError(name, value, "at least one step")
    for index, step in enumerate(value):
        if not isinstance(step, PlaybookStep):
            raise InvalidTypeError(f"{name}[{index}]", step, "a PlaybookStep")


@attrs.frozen(kw_only=True)
class Playbook:
    """A contingency plan (預案) for some crisis types and levels (book §4).

    Its steps form a directed acyclic graph through ``depends_on``; the
    graph is checked when the playbook is built: step keys are unique, every
    dependency names a step of the playbook (typos get suggestions), and
    there is no cycle (the error names one, e.g. ``'a → b → a'``). Owner
    roles are checked against a role vocabulary with `check_roles()`.

    Attributes
    ----------
    key
        Stable key, e.g. ``"inventory_replenishment"``.
    labels
        Name in English, 繁體 and 简体.
    steps
        The steps, at least one, in display order (ties in the schedule are
        broken by this order).
    crisis_types
        Keys of the crisis types the plan serves, e.g.
        ``("supply_chain.inventory",)``.
    min_level
        The least severe response level the plan is for (default Level IV).
    max_level
        The most severe level the plan is for (default Level I); at least as
        severe as ``min_level``.
    description
        What the plan does, in three languages, when given.
    book_section
        Where the book describes the response, e.g. ``"§5.4 案例一"``.
    """

    key: str = attrs.field(validator=is_key())
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    steps: tuple[PlaybookStep, ...] = attrs.field(
        converter=to_tuple, validator=_check_steps
    )
    crisis_types: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("crisis type")],
    )
    min_level: ResponseLevel = attrs.field(
        default=ResponseLevel.IV, validator=is_enum(ResponseLevel)
    )
    max_level: ResponseLevel = attrs.field(
        default=ResponseLevel.I, validator=is_enum(ResponseLevel)
    )
    description: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels or None"))
    )
    book_section: str | None = attrs.field(
        default=None, validator=is_optional(_check_book_section)
    )
    _index: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _durations: IntArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _sources: IndexArray = attrs.field(init=False, repr=False, eq=False, hash=False)
    _targets: IndexArray = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Check levels, unique keys, known dependencies and acyclicity."""
        if self.min_level > self.max_level:
            raise ValidationError(
                "min_level",
                self.min_level,
                f"a level no more severe than max_level ({self.max_level})",
            )
        index: dict[str, int] = {}
        for step in self.steps:
            if step.key in index:
                raise DuplicateKeyError("playbook step", step.key)
            index[step.key] = len(index)
        sources: list[int] = []
        targets: list[int] = []
        for position, step in enumerate(self.steps):
            for dependency in step.depends_on:
                if dependency not in index:
                    raise UnknownKeyError(
                        f"dependency of step {step.key!r} "
                        f"(steps[{position}].depends_on)",
                        dependency,
                        index,
                    )
                sources.append(index[dependency])
                targets.append(position)
        durations = np.array(
            [step.duration // _MICROSECOND for step in self.steps], dtype=np.int64
        )
        source_array = np.array(sources, dtype=np.intp)
        target_array = np.array(targets, dtype=np.intp)
        for array in (durations, source_array, target_array):
            array.setflags(write=False)
        object.__setattr__(self, "_index", FrozenDict(index))
        object.__setattr__(self, "_durations", durations)
        object.__setattr__(self, "_sources", source_array)
        object.__setattr__(self, "_targets", target_array)
        self._passes()  # raises ValidationError naming a cycle, if there is one

    # --- reading ---------------------------------------------------------------

    @property
    def step_keys(self) -> tuple[str, ...]:
        """Keys of the steps, in order."""
        return tuple(self._index)

    def step(self, key: str) -> PlaybookStep:
        """Return the step with ``key``; raise `UnknownKeyError` if there is none."""
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a str step key")
        if key not in self._index:
            raise UnknownKeyError("step", key, self._index.keys())
        return self.steps[self._index[key]]

    def covers(self, level: ResponseLevel) -> bool:
        """Return whether the plan is for ``level`` (between min and max level)."""
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        return self.min_level <= level <= self.max_level

    def owner_roles(self) -> tuple[str, ...]:
        """Return the roles that own steps, each once, in step order."""
        return tuple(dict.fromkeys(step.owner_role for step in self.steps))

    def communication_steps(self) -> tuple[PlaybookStep, ...]:
        """Return the steps that communicate with stakeholders."""
        return tuple(step for step in self.steps if step.is_communication)

    def resource_totals(self) -> FrozenDict[str, float]:
        """Return the amount of each resource all steps need together."""
        totals: dict[str, float] = {}
        for step in self.steps:
            for key, amount in step.resources.items():
                totals[key] = totals.get(key, 0.0) + amount
        return FrozenDict(totals)

    def check_roles(self, known: RoleCatalog | Iterable[str]) -> Playbook:
        """Return the playbook if every owner role is in ``known``.

        Parameters
        ----------
        known
            A `RoleCatalog` (e.g. ``default_roles()``) or any iterable of role
            keys (e.g. ``crisisops._crisis_types.ROLE_KEYS``).

        Raises
        ------
        InvalidTypeError
            If ``known`` is neither (a string, a crisis-type catalog, ...).
        UnknownKeyError
            Naming the first step whose ``owner_role`` is unknown, with the
            closest known keys as suggestions.
        """
        roles = role_keys(known, "known")
        for position, step in enumerate(self.steps):
            if step.owner_role not in roles:
                raise UnknownKeyError(
                    f"owner role of step {step.key!r} (steps[{position}].owner_role)",
                    step.owner_role,
                    sorted(roles),
                )
        return self

    def graph(self) -> nx.DiGraph:
        """Return the dependency graph: an edge runs from a dependency to its step.

        Each node is a step key with the attributes ``duration`` (a
        ``timedelta``) and ``owner_role``. The graph is a new object; changing
        it does not change the playbook.
        """
        graph = nx.DiGraph()
        for step in self.steps:
            graph.add_node(step.key, duration=step.duration, owner_role=step.owner_role)
        graph.add_edges_from(
            (dependency, step.key)
            for step in self.steps
            for dependency in step.depends_on
        )
        return graph

    # --- the critical path method ------------------------------------------------

    def _passes(self) -> _Passes:
        try:
            return _critical_path_method(self._durations, self._sources, self._targets)
        except _CycleError as cycle:
            raise ValidationError(
                "steps",
                self._name_cycle(cycle.waiting),
                "steps whose dependencies form no cycle (a directed acyclic graph)",
            ) from None

    def _name_cycle(self, waiting: IndexArray) -> str:
        """Name one cycle among the steps that never became free (networkx)."""
        stuck = set(waiting.tolist())
        keys = self.step_keys
        graph = nx.DiGraph()
        graph.add_edges_from(
            (keys[s], keys[t])
            for s, t in zip(self._sources.tolist(), self._targets.tolist(), strict=True)
            if s in stuck and t in stuck
        )
        edges = nx.find_cycle(graph)
        names = [edge[0] for edge in edges]
        return " → ".join([*names, names[0]])

    def schedule(self) -> Schedule:
        """Return the critical-path schedule (earliest/latest times, slack, path)."""
        passes = self._passes()
        keys = self.step_keys
        return Schedule(
            step_keys=keys,
            duration_us=self._durations,
            earliest_start_us=passes.earliest_start,
            earliest_finish_us=passes.earliest_finish,
            latest_start_us=passes.latest_start,
            latest_finish_us=passes.latest_finish,
            critical_path=tuple(keys[i] for i in passes.path),
        )

    def critical_path(self) -> tuple[str, ...]:
        """Return the keys of one critical path (longest chain by duration)."""
        keys = self.step_keys
        return tuple(keys[i] for i in self._passes().path)

    def total_duration(self) -> dt.timedelta:
        """Return the length of the critical path."""
        return _us(self._passes().earliest_finish.max())

    def meets_target(
        self,
        level: ResponseLevel,
        *,
        targets: Mapping[ResponseLevel, dt.timedelta] = TARGET_RESPONSE,
    ) -> bool:
        """Return whether the critical path fits the level's target response time.

        Parameters
        ----------
        level
            The response level.
        targets
            Target time per level; `TARGET_RESPONSE` (our documented choice)
            by default.

        Raises
        ------
        InvalidTypeError
            If ``level`` is not a `ResponseLevel` or its target is not a
            ``timedelta``.
        ValidationError
            If the level's target is negative.
        UnknownKeyError
            If ``targets`` has no entry for ``level``.
        """
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        if not isinstance(targets, Mapping):
            raise InvalidTypeError(
                "targets", targets, "a mapping of level to timedelta"
            )
        if level not in targets:
            raise UnknownKeyError(
                "response level in targets", level.name, [lv.name for lv in targets]
            )
        target = targets[level]
        if not isinstance(target, dt.timedelta):
            raise InvalidTypeError(f"targets[{level.name}]", target, "a timedelta")
        if target < _ZERO:
            raise ValidationError(f"targets[{level.name}]", target, "a timedelta >= 0")
        return self.total_duration() <= target


# --- the catalog ----------------------------------------------------------------------


@attrs.frozen
class PlaybookCatalog(Catalog[Playbook]):
    """The open catalog of playbooks, looked up by key.

    Start from `default_playbooks()` and `add()` or `replace()` your own
    (DESIGN principle 7); every change returns a new catalog.

    Examples
    --------
    >>> from crisisops.planning.playbooks import default_playbooks
    >>> from crisisops.taxonomy import ResponseLevel
    >>> catalog = default_playbooks()
    >>> catalog["inventory_replenishment"].labels.zh_hant
    '庫存補貨預案'
    >>> catalog.for_crisis_type("technical.data_security_breach").keys()
    ('security_incident', 'data_breach_notification', 'data_restore')

    A catalog of your own holds just the playbooks you give it:

    >>> mine = PlaybookCatalog([catalog["inventory_replenishment"]])
    >>> mine.keys()
    ('inventory_replenishment',)
    >>> mine.for_crisis_type("technical.data_security_breach").keys()
    ()
    """

    entry_type = Playbook
    kind = "playbook"

    def for_crisis_type(
        self, crisis_type: str | CrisisType, level: ResponseLevel | None = None
    ) -> PlaybookCatalog:
        """Return the playbooks that list ``crisis_type`` (and cover ``level``).

        Parameters
        ----------
        crisis_type
            A crisis-type key or a `CrisisType`.
        level
            When given, keep only playbooks whose level range covers it.
        """
        key = crisis_type.key if isinstance(crisis_type, CrisisType) else crisis_type
        check_key(key, "crisis_type")
        if level is not None and not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel or None")
        return self.select(
            lambda entry: (
                key in entry.crisis_types and (level is None or entry.covers(level))
            )
        )

    def defaults_for(self, crisis_type: CrisisType) -> tuple[Playbook, ...]:
        """Return the playbooks a crisis type names in ``default_playbooks``, in order.

        Raises
        ------
        UnknownKeyError
            If the catalog lacks one of them (with suggestions).
        """
        if not isinstance(crisis_type, CrisisType):
            raise InvalidTypeError("crisis_type", crisis_type, "a CrisisType")
        return tuple(self[key] for key in crisis_type.default_playbooks)

    def check_roles(self, known: RoleCatalog | Iterable[str]) -> PlaybookCatalog:
        """Return the catalog if every step of every playbook has a known owner role.

        ``known`` is a `RoleCatalog` or any iterable of role keys, as for
        `Playbook.check_roles()`.

        Raises
        ------
        InvalidTypeError
            If ``known`` is neither.
        UnknownKeyError
            Naming the playbook and step with an unknown role.
        """
        roles = role_keys(known, "known")
        for playbook in self.entries:
            for position, step in enumerate(playbook.steps):
                if step.owner_role not in roles:
                    raise UnknownKeyError(
                        f"owner role of step {step.key!r} in playbook "
                        f"{playbook.key!r} (steps[{position}].owner_role)",
                        step.owner_role,
                        sorted(roles),
                    )
        return self


def default_playbooks() -> PlaybookCatalog:
    """Return the built-in playbooks: one for every key of ``PLAYBOOK_KEYS``.

    Written from the book's strategies (§2) and case studies (§5.4); see
    ``crisisops.planning._default_playbooks`` for the sources of each. The
    catalog is rebuilt on each call (cheap and immutable).
    """
    from crisisops.planning._default_playbooks import (  # noqa: PLC0415  cycle
        BUILT_IN_PLAYBOOKS,
    )

    return PlaybookCatalog(BUILT_IN_PLAYBOOKS)


# --- activation ---------------------------------------------------------------------


class MemberLookup(Protocol):
    """Anything that names the member who fills a role, such as a ``Team``.

    ``crisisops.planning.team.Team`` has this method; any object with it
    works (a stub in tests, a roster service's adapter).

    Examples
    --------
    The module example activates a playbook with a stub that knows one role;
    the step whose role it does not know stays in the plan, unowned.
    """

    def member_for(self, role_key: str) -> str | None:
        """Return the key of the member who fills ``role_key``, or ``None``."""
        ...


def _check_optional_text(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is not None:
        check_str(value, field_name(attribute))


@attrs.frozen(kw_only=True)
class PlannedAction:
    """A playbook step made concrete for one crisis: owner, dates (book §5).

    Attributes
    ----------
    key
        The step's key.
    title
        What to do.
    labels
        The title in three languages, when the step has them.
    owner_role
        The role that owns the action.
    owner
        Key of the member who owns it, or ``None`` when nobody fills the role
        (the action stays in the plan; see `ActionPlan.unowned`).
    due
        Deadline: activation time plus the step's deadline offset (aware).
    scheduled_start, scheduled_finish
        Earliest start and finish: activation plus the step's earliest start
        and finish from the critical path method (aware).
    depends_on
        Keys of the actions that must finish first.
    resources
        Resource key → amount needed.
    done_when
        The "done when" criterion.
    is_communication
        Whether the action communicates with stakeholders.
    families
        The book's strategy families the action serves.
    critical
        Whether the action is critical: its slack is zero, so any slip delays
        the whole plan (the critical path method's definition, as in
        `StepTiming.critical`). Every action of `ActionPlan.critical_path` is
        critical; where two chains are equally long, the actions of both are.
    slack
        How long the action can slip without delaying the plan.

    Examples
    --------
    The module example activates a stock-out drill and reads the action that
    is due before the step it waits for is done (late, unowned).
    """

    key: str = attrs.field(validator=is_key(dotted=False))
    title: str = attrs.field(validator=is_text())
    owner_role: str = attrs.field(validator=is_key(dotted=False))
    owner: str | None = attrs.field(validator=_check_optional_text)
    due: dt.datetime = attrs.field(validator=is_aware_datetime())
    scheduled_start: dt.datetime = attrs.field(validator=is_aware_datetime())
    scheduled_finish: dt.datetime = attrs.field(validator=is_aware_datetime())
    done_when: str = attrs.field(validator=is_text())
    depends_on: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(dotted=False)), is_unique("dependency")],
    )
    resources: FrozenDict[str, float] = attrs.field(
        factory=FrozenDict, converter=_to_amounts, validator=_check_amounts
    )
    is_communication: bool = attrs.field(
        default=False, validator=is_instance(bool, "a bool")
    )
    families: tuple[StrategyFamily, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[is_tuple_of(is_enum(StrategyFamily)), is_unique("strategy family")],
    )
    critical: bool = attrs.field(default=False, validator=is_instance(bool, "a bool"))
    slack: dt.timedelta = attrs.field(default=_ZERO, validator=_check_duration)
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels or None"))
    )

    def __attrs_post_init__(self) -> None:
        """Check that the action finishes no earlier than it starts (instants)."""
        if instant(self.scheduled_finish) < instant(self.scheduled_start):
            raise ValidationError(
                "scheduled_finish",
                self.scheduled_finish,
                f"a moment at or after scheduled_start ({self.scheduled_start})",
            )

    @property
    def is_owned(self) -> bool:
        """Whether a member owns the action."""
        return self.owner is not None

    @property
    def is_late(self) -> bool:
        """Whether the scheduled finish falls after the deadline (as instants)."""
        return instant(self.scheduled_finish) > instant(self.due)


def _check_actions(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of PlannedAction")
    if not value:
        raise ValidationError(name, value, "at least one action")
    for index, action in enumerate(value):
        if not isinstance(action, PlannedAction):
            raise InvalidTypeError(f"{name}[{index}]", action, "a PlannedAction")


@attrs.frozen(kw_only=True)
class ActionPlan:
    """The concrete actions of one activated playbook (book §5 執行危機應對策略).

    Attributes
    ----------
    crisis_key
        Identifier of the crisis the plan responds to: any non-blank text, e.g.
        ``"peak_2026.stockout"`` or a ticket number ``"INC-2026-0042"`` (the
        same identifier every planning value of one crisis carries).
    playbook_key
        Key of the playbook that was activated.
    activated_at
        When it was activated (aware).
    actions
        One `PlannedAction` per step, in playbook order; none is ever dropped.
    critical_path
        Keys of the actions on the critical path, in order.

    Examples
    --------
    The module example activates a stock-out drill and lists the plan's
    unowned, late and communication actions.
    """

    crisis_key: str = attrs.field(validator=is_text())
    playbook_key: str = attrs.field(validator=is_key())
    activated_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    actions: tuple[PlannedAction, ...] = attrs.field(
        converter=to_tuple, validator=_check_actions
    )
    critical_path: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=is_tuple_of(is_key(dotted=False))
    )
    _index: FrozenDict[str, int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check unique keys, known dependencies and critical-path keys."""
        index: dict[str, int] = {}
        for action in self.actions:
            if action.key in index:
                raise DuplicateKeyError("planned action", action.key)
            index[action.key] = len(index)
        for position, action in enumerate(self.actions):
            for dependency in action.depends_on:
                if dependency not in index:
                    raise UnknownKeyError(
                        f"dependency of action {action.key!r} "
                        f"(actions[{position}].depends_on)",
                        dependency,
                        index,
                    )
        for position, key in enumerate(self.critical_path):
            if key not in index:
                raise UnknownKeyError(f"action (critical_path[{position}])", key, index)
        object.__setattr__(self, "_index", FrozenDict(index))

    def action(self, key: str) -> PlannedAction:
        """Return the action with ``key``; `UnknownKeyError` if none."""
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a str action key")
        if key not in self._index:
            raise UnknownKeyError("action", key, self._index.keys())
        return self.actions[self._index[key]]

    @property
    def unowned(self) -> tuple[PlannedAction, ...]:
        """Actions whose role nobody fills: they need an owner, not deletion."""
        return tuple(action for action in self.actions if action.owner is None)

    @property
    def late(self) -> tuple[PlannedAction, ...]:
        """Actions whose scheduled finish is after their deadline."""
        return tuple(action for action in self.actions if action.is_late)

    @property
    def communications(self) -> tuple[PlannedAction, ...]:
        """Actions that communicate with stakeholders."""
        return tuple(action for action in self.actions if action.is_communication)

    @property
    def finish(self) -> dt.datetime:
        """When the last action is scheduled to finish (the latest instant)."""
        return max((action.scheduled_finish for action in self.actions), key=instant)

    def by_owner(self, member: str) -> tuple[PlannedAction, ...]:
        """Return the actions ``member`` owns, in plan order."""
        check_str(member, "member")
        return tuple(action for action in self.actions if action.owner == member)


def _after(at: dt.datetime, microseconds: int) -> dt.datetime:
    """Return ``at`` plus elapsed time, in ``at``'s zone (through UTC)."""
    try:
        return after_elapsed(at, dt.timedelta(microseconds=microseconds))
    except (OverflowError, ValueError):
        raise ValidationError(
            "at", at, "a moment that leaves room for the plan's schedule"
        ) from None


def _owners(team: object, roles: Iterable[str]) -> dict[str, str | None]:
    """Ask ``team.member_for`` once per role; check what comes back."""
    member_for = getattr(team, "member_for", None)
    if not callable(member_for):
        raise InvalidTypeError(
            "team", team, "a Team or any object with a member_for(role_key) method"
        )
    owners: dict[str, str | None] = {}
    for role in roles:
        member = member_for(role)
        if member is not None:
            check_str(member, f"team.member_for({role!r})")
        owners[role] = member
    return owners


def activate(
    playbook: Playbook,
    crisis_key: str,
    at: dt.datetime,
    team: MemberLookup,
) -> ActionPlan:
    """Turn a playbook into concrete actions for one crisis (啟動應急預案).

    Each step becomes a `PlannedAction`: its owner is
    ``team.member_for(step.owner_role)``; its deadline is ``at`` plus the
    step's offset (calendar arithmetic, see `DeadlineOffset.apply`); its
    scheduled start and finish are ``at`` plus the earliest start and finish
    of the critical path method (elapsed time). A step whose role nobody
    fills is kept with ``owner=None`` and listed in `ActionPlan.unowned`.

    Parameters
    ----------
    playbook
        The plan to activate.
    crisis_key
        Identifier of the crisis, e.g. ``"2026-11-peak-stockout"``.
    at
        Activation moment; must be timezone-aware. Dates come out in its zone.
    team
        A ``Team`` or any object with ``member_for(role_key) -> str | None``.

    Returns
    -------
    ActionPlan
        One action per step, in playbook order, and the critical path.

    Raises
    ------
    InvalidTypeError
        If ``playbook`` is not a `Playbook`, ``team`` has no ``member_for`` or
        it returns something other than a key or ``None``.
    NaiveDatetimeError
        If ``at`` has no timezone.
    ValidationError
        If ``crisis_key`` is blank, or a due date would pass year 9999.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.planning.playbooks import activate, default_playbooks
    >>> class Roster:
    ...     def member_for(self, role_key):
    ...         return {"supply_chain_lead": "mei", "data_analyst": "raj"}.get(role_key)
    >>> plan = activate(
    ...     default_playbooks()["inventory_replenishment"],
    ...     "2026-11-peak-stockout",
    ...     dt.datetime(2026, 11, 10, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    ...     Roster(),
    ... )
    >>> first = plan.action("assess_stock")
    >>> first.owner, first.due.isoformat()
    ('mei', '2026-11-11T00:00:00+08:00')
    >>> [action.owner_role for action in plan.unowned][:2]
    ['customer_service', 'marketing_pr']
    """
    if not isinstance(playbook, Playbook):
        raise InvalidTypeError("playbook", playbook, "a Playbook")
    check_str(crisis_key, "crisis_key")
    check_aware(at, "at")
    owners = _owners(team, playbook.owner_roles())
    schedule = playbook.schedule()
    slack = schedule.slack_us
    actions: list[PlannedAction] = []
    for i, step in enumerate(playbook.steps):
        actions.append(
            PlannedAction(
                key=step.key,
                title=step.title,
                labels=step.labels,
                owner_role=step.owner_role,
                owner=owners[step.owner_role],
                due=step.deadline.apply(at),
                scheduled_start=_after(at, int(schedule.earliest_start_us[i])),
                scheduled_finish=_after(at, int(schedule.earliest_finish_us[i])),
                depends_on=step.depends_on,
                resources=step.resources,
                done_when=step.done_when,
                is_communication=step.is_communication,
                families=step.families,
                critical=int(slack[i]) == 0,
                slack=_us(slack[i]),
            )
        )
    return ActionPlan(
        crisis_key=crisis_key,
        playbook_key=playbook.key,
        activated_at=at,
        actions=tuple(actions),
        critical_path=schedule.critical_path,
    )
