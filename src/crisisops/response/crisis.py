"""The `Crisis` aggregate: a crisis is the fold of its append-only event log.

Book §5 (危機執行與應對實踐) is a sequence of things that happen to a crisis:
the team forms, the type and root cause are identified (精準識別危機類型和根源),
concrete solutions get an owner and a time (明確責任人及執行時間), messages go
out, feedback comes in (實時反饋), the strategy and resources are adjusted, the
situation is brought under control and recovered. crisisops records each of
those as an event (`crisisops.response.events`) and derives everything else
— status, level, lead, actions, milestones — by folding the events in order
(event sourcing, as in Fowler's "Event Sourcing" pattern).

* Every command (`Crisis.confirm`, `Crisis.assign_action`, ...) builds one
  event, checks it against the crisis as it stands and returns a new `Crisis`
  with the event appended. A refused command raises (`TransitionError` for a
  move the lifecycle does not allow, `ValidationError`, `UnknownKeyError`,
  `DuplicateKeyError` or `InvalidTypeError` for a bad value) and changes
  nothing: a `Crisis` is immutable.
* ``Crisis(events=...)`` and `Crisis.from_events` replay a log through the
  very same checks, so a stored log (``to_data``) rebuilds the identical
  crisis, and a log that no sequence of commands could have made is refused,
  naming the event (``events[3].at``).
* A command costs the same whatever the length of the log: the log and the
  growing collections live in persistent structures
  (`crisisops._persistent`) that share storage between versions, so nothing
  is copied per command. Reading ``events`` or ``actions`` builds a tuple.

The lifecycle follows `crisisops.response.lifecycle.TRANSITIONS`; in addition:

* escalation, roles, actions, strategy and resource changes need an active
  crisis (``DETECTED`` to ``RECOVERING``); a playbook needs a confirmed one
  (``CONFIRMED`` to ``RECOVERING``); communications, feedback and losses are
  also recorded on a ``RESOLVED`` crisis (a final all-clear, late refunds),
  and its outstanding actions may still be started, completed or cancelled
  (the follow-up steps of a playbook, such as its review, come after the
  resolution);
* in ``CONFIRMED`` the first playbook, assigned action or started action
  moves the crisis to ``RESPONDING``;
* the crisis has exactly one lead (role ``crisis_lead``) at every moment:
  assigning the role hands it off, relinquishing it is refused; an unfilled
  role is held by the lead (the Incident Command System's rule), which is
  whom a playbook step's action goes to when nobody holds its role;
* ``reopen`` brings a resolved, reviewed or dismissed crisis back to
  ``RESPONDING``, clearing the contained … reviewed milestones (the events
  keep them) and starting a new active period (`Crisis.active_periods`):
  the time while the crisis was closed is neither time at a level nor
  response cost.

Examples
--------
>>> import datetime as dt
>>> from crisisops.response.crisis import Crisis
>>> from crisisops.taxonomy import ResponseLevel
>>> t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
>>> def hours(n):
...     return t0 + dt.timedelta(hours=n)
>>> crisis = Crisis.declare(
...     "traffic_drop",
...     title="Traffic fell by half after a competitor's scandal spread",
...     crisis_type="market.traffic_swing",
...     level=ResponseLevel.III,
...     at=t0,
...     actor="duty manager",
...     lead="mei",
... )
>>> crisis = crisis.confirm(
...     at=hours(1), actor="mei", root_cause="Search ranking lost to a rumour"
... )
>>> crisis = crisis.assign_action(
...     "promote",
...     at=hours(2),
...     actor="mei",
...     title="Launch advertising and promotions",
...     owner="lin",
...     due_at=hours(14),
...     done_when="Campaigns are live on the channels that lost traffic",
... )
>>> crisis.status.value, crisis.lead, crisis.version
('responding', 'mei', 3)
>>> crisis.mark_reviewed(at=hours(3), actor="mei")
Traceback (most recent call last):
...
crisisops.errors.TransitionError: cannot move crisis 'traffic_drop' from responding to reviewed; allowed next: contained, merged
>>> Crisis.from_events(crisis.events) == crisis
True

The lead holds `LEAD_ROLE` alone: assigning the role to another member is a
hand-off, and the last holder cannot simply give it up:

>>> from crisisops.response.crisis import LEAD_ROLE
>>> handed = crisis.assign_role(LEAD_ROLE, "lin", at=hours(4), actor="mei")
>>> handed.lead, handed.holders(LEAD_ROLE), LEAD_ROLE
('lin', ('lin',), 'crisis_lead')
>>> handed.relinquish_role(LEAD_ROLE, "lin", at=hours(5), actor="lin")
Traceback (most recent call last):
...
crisisops.errors.TransitionError: cannot move the 'crisis_lead' role of crisis 'traffic_drop' from lin to nobody; allowed next: another member, by a hand-off: assign_role('crisis_lead', ...)
"""  # noqa: E501  doctest output is one line

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from crisisops._persistent import AppendLog, PersistentMap
from crisisops._time import instant
from crisisops._validation import check_aware, check_key, check_str, to_tuple
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.planning import Playbook, RoleCatalog, StrategyFamily, default_roles
from crisisops.response.events import (
    EVENT_TYPES,
    ActionAssigned,
    ActionBlocked,
    ActionCancelled,
    ActionCompleted,
    ActionReassigned,
    ActionStarted,
    CommunicationRecorded,
    CrisisConfirmed,
    CrisisContained,
    CrisisDeclared,
    CrisisDismissed,
    CrisisEvent,
    CrisisMerged,
    CrisisRecovered,
    CrisisReopened,
    CrisisResolved,
    CrisisReviewed,
    FeedbackRecorded,
    LevelDeEscalated,
    LevelEscalated,
    LossRecorded,
    OriginLinked,
    PlaybookActivated,
    ResourcesReallocated,
    RoleAssigned,
    RoleRelinquished,
    StrategyAdjusted,
)
from crisisops.response.lifecycle import (
    TRANSITIONS,
    CrisisMode,
    CrisisStatus,
    Milestones,
)
from crisisops.response.records import (
    Action,
    ActionPriority,
    ActionStatus,
    FeedbackChannel,
    LevelChange,
    LossCategory,
    Origin,
    RateCard,
    RoleAssignment,
)
from crisisops.stakeholders import Channel
from crisisops.taxonomy import CrisisTypeCatalog, ResponseLevel, default_catalog

__all__ = ["LEAD_ROLE", "Crisis"]

#: The role of the crisis lead (the incident commander): exactly one member
#: holds it at every moment of a crisis.
LEAD_ROLE: Final = "crisis_lead"

_S = CrisisStatus
_ACTIVE: Final = frozenset(status for status in CrisisStatus if status.is_active)
_CONFIRMED_ACTIVE: Final = _ACTIVE - {_S.DETECTED}
_RECORDING: Final = _ACTIVE | {_S.RESOLVED}

# The status each lifecycle event moves the crisis to.
_TARGET: Final[dict[type[Any], CrisisStatus]] = {
    CrisisConfirmed: _S.CONFIRMED,
    CrisisDismissed: _S.DISMISSED,
    CrisisMerged: _S.MERGED,
    CrisisContained: _S.CONTAINED,
    CrisisRecovered: _S.RECOVERING,
    CrisisResolved: _S.RESOLVED,
    CrisisReviewed: _S.REVIEWED,
    CrisisReopened: _S.RESPONDING,
}

# The statuses in which each event may be appended. Lifecycle events follow
# the transition table; reopen is the move back from a closed status.
_ALLOWED: Final[dict[type[Any], frozenset[CrisisStatus]]] = {
    **{
        kind: frozenset(s for s in CrisisStatus if target in TRANSITIONS[s])
        for kind, target in _TARGET.items()
    },
    CrisisReopened: frozenset(
        s for s in CrisisStatus if not s.is_active and _S.RESPONDING in TRANSITIONS[s]
    ),
    LevelEscalated: _ACTIVE,
    LevelDeEscalated: _ACTIVE,
    RoleAssigned: _ACTIVE,
    RoleRelinquished: _ACTIVE,
    ActionAssigned: _ACTIVE,
    ActionStarted: _RECORDING,
    ActionCompleted: _RECORDING,
    ActionBlocked: _ACTIVE,
    ActionReassigned: _ACTIVE,
    ActionCancelled: _RECORDING,
    StrategyAdjusted: _ACTIVE,
    ResourcesReallocated: _ACTIVE,
    PlaybookActivated: _CONFIRMED_ACTIVE,
    CommunicationRecorded: _RECORDING,
    FeedbackRecorded: _RECORDING,
    LossRecorded: _RECORDING,
    OriginLinked: _RECORDING,
}

_A = ActionStatus
# How an action's status may move (DONE and CANCELLED are final).
_ACTION_NEXT: Final[dict[ActionStatus, tuple[ActionStatus, ...]]] = {
    _A.OPEN: (_A.IN_PROGRESS, _A.BLOCKED, _A.DONE, _A.CANCELLED),
    _A.IN_PROGRESS: (_A.BLOCKED, _A.DONE, _A.CANCELLED),
    _A.BLOCKED: (_A.IN_PROGRESS, _A.CANCELLED),
    _A.DONE: (),
    _A.CANCELLED: (),
}

_DECLARED_REASON: Final = "declared"


@functools.cache
def _default_types() -> CrisisTypeCatalog:
    """Return the built-in crisis types, built once (an immutable value)."""
    return default_catalog()


@functools.cache
def _default_roles() -> RoleCatalog:
    """Return the built-in roles, built once (an immutable value)."""
    return default_roles()


# --- the state a log folds into ---------------------------------------------------


class _State:
    """Everything the events of a crisis imply, built without copying history.

    A plain record, never changed once built: `evolve` makes the next one
    (a dictionary copy, hence no ``__slots__``). The growing parts are
    persistent structures (`AppendLog`, `PersistentMap`) that share storage
    with the previous state.
    """

    roles: RoleCatalog
    types: CrisisTypeCatalog
    key: str
    log: AppendLog[CrisisEvent]
    status: CrisisStatus
    status_changes: AppendLog[tuple[dt.datetime, CrisisStatus]]
    crisis_type: str
    root_cause: str | None
    title: str
    mode: CrisisMode
    level: ResponseLevel
    level_changes: AppendLog[LevelChange]
    origins: tuple[Origin, ...]
    milestones: Milestones
    rates: RateCard | None
    lead: str
    assignments: PersistentMap[int, RoleAssignment]
    assignment_index: PersistentMap[tuple[str, str], int]
    holders: PersistentMap[str, tuple[str, ...]]
    actions: PersistentMap[str, Action]
    playbooks: PersistentMap[str, dt.datetime]
    communications: AppendLog[CommunicationRecorded]
    feedback: AppendLog[FeedbackRecorded]
    adjustments: AppendLog[StrategyAdjusted]
    losses: AppendLog[LossRecorded]
    resources: PersistentMap[str, float]
    merged_into: str | None
    reopen_count: int
    ended_at: dt.datetime | None
    declared_at: dt.datetime
    last_at: dt.datetime

    @classmethod
    def initial(cls, roles: RoleCatalog, types: CrisisTypeCatalog) -> _State:
        """Return the state before the first event: only the reference data."""
        state = cls()
        state.roles = roles
        state.types = types
        state.log = AppendLog.empty()
        return state

    def evolve(self, **changes: Any) -> _State:  # noqa: ANN401  any field's value
        """Return a copy of this state with ``changes`` applied.

        One C-level copy of the instance dictionary: O(number of fields),
        whatever the length of the log.
        """
        state = object.__new__(_State)
        state.__dict__ = {**self.__dict__, **changes}
        return state


def _where(prefix: str, field: str) -> str:
    return f"{prefix}{field}"


def _kind(kind: str, prefix: str) -> str:
    """Name a kind of key, with where it came from when replaying a log."""
    return f"{kind} (in {prefix.rstrip('.')})" if prefix else kind


def _command_error(state: _State, event: CrisisEvent) -> TransitionError:
    """Return the error for an event the crisis's status does not allow."""
    status = state.status
    kind = type(event)
    target = _TARGET.get(kind)
    what = f"crisis {state.key!r}"
    if target is not None and kind is not CrisisReopened:
        return TransitionError(what, status, target, TRANSITIONS[status])
    allowed = ", ".join(s.value for s in CrisisStatus if s in _ALLOWED[kind])
    return TransitionError(
        what, status, f"{event.command} (allowed while {allowed})", TRANSITIONS[status]
    )


def _advance(state: _State, event: object, prefix: str = "") -> _State:
    """Return the state after ``event``: the one step of every command and replay.

    Checks that ``event`` fits ``state`` — it is a crisis event of this
    crisis, at the next sequence number, not earlier than the last event,
    allowed in the current status, naming known keys — then builds the next
    state. ``prefix`` (``"events[3]."`` when replaying) prefixes the field
    names in error messages. Raises before anything is built.
    """
    handler = _HANDLERS.get(type(event))
    if handler is None:
        names = ", ".join(kind.__name__ for kind in EVENT_TYPES)
        raise InvalidTypeError(
            prefix.rstrip(".") or "event", event, f"a crisis event ({names})"
        )
    event = cast("CrisisEvent", event)
    version = len(state.log)
    if version == 0:
        if not isinstance(event, CrisisDeclared):
            raise ValidationError(
                _where(prefix, "@type"),
                type(event).__name__,
                "CrisisDeclared: every crisis log starts with its declaration",
            )
    else:
        if isinstance(event, CrisisDeclared):
            raise ValidationError(
                _where(prefix, "@type"),
                "CrisisDeclared",
                "any event but CrisisDeclared: a crisis is declared once",
            )
        if event.crisis != state.key:
            raise ValidationError(
                _where(prefix, "crisis"),
                event.crisis,
                f"the key of this crisis ({state.key!r})",
            )
        if instant(event.at) < instant(state.last_at):
            raise ValidationError(
                _where(prefix, "at"),
                event.at,
                "a moment at or after the last event "
                f"({state.last_at.isoformat()}): the log only grows forward in time",
            )
        if state.status not in _ALLOWED[type(event)]:
            raise _command_error(state, event)
    if event.sequence != version:
        raise ValidationError(
            _where(prefix, "sequence"),
            event.sequence,
            f"{version}, the number of events before it",
        )
    return handler(state, event, prefix)


# --- one handler per event type ---------------------------------------------------


def _check_crisis_type(state: _State, crisis_type: str, prefix: str) -> None:
    if crisis_type not in state.types:
        raise UnknownKeyError(
            _kind("crisis type", prefix), crisis_type, state.types.keys()
        )


def _check_role(state: _State, role: str, prefix: str) -> None:
    if role not in state.roles:
        raise UnknownKeyError(_kind("role", prefix), role, state.roles.keys())


_EMPTY_ASSIGNMENTS: Final[PersistentMap[int, RoleAssignment]] = PersistentMap.empty()
_EMPTY_INDEX: Final[PersistentMap[tuple[str, str], int]] = PersistentMap.empty()
_EMPTY_HOLDERS: Final[PersistentMap[str, tuple[str, ...]]] = PersistentMap.empty()


def _declared(state: _State, event: CrisisDeclared, prefix: str) -> _State:
    _check_crisis_type(state, event.crisis_type, prefix)
    _check_role(state, LEAD_ROLE, prefix)
    at = event.at
    first_level = LevelChange(
        at=at,
        actor=event.actor,
        level=event.level,
        previous=None,
        reason=_DECLARED_REASON,
    )
    lead = RoleAssignment(role=LEAD_ROLE, member=event.lead, assumed_at=at)
    return state.evolve(
        key=event.crisis,
        log=state.log.appended(event),
        status=_S.DETECTED,
        status_changes=AppendLog.of(((at, _S.DETECTED),)),
        crisis_type=event.crisis_type,
        root_cause=None,
        title=event.title,
        mode=event.mode,
        level=event.level,
        level_changes=AppendLog.of((first_level,)),
        origins=event.origins,
        milestones=Milestones(
            impact_started=event.impact_started_at,
            detected=event.detected_at,
            declared=at,
        ),
        rates=event.rates,
        lead=event.lead,
        assignments=_EMPTY_ASSIGNMENTS.set(0, lead),
        assignment_index=_EMPTY_INDEX.set((LEAD_ROLE, event.lead), 0),
        holders=_EMPTY_HOLDERS.set(LEAD_ROLE, (event.lead,)),
        actions=PersistentMap.empty(),
        playbooks=PersistentMap.empty(),
        communications=AppendLog.empty(),
        feedback=AppendLog.empty(),
        adjustments=AppendLog.empty(),
        losses=AppendLog.empty(),
        resources=PersistentMap.empty(),
        merged_into=None,
        reopen_count=0,
        ended_at=None,
        declared_at=at,
        last_at=at,
    )


def _next(state: _State, event: CrisisEvent, **changes: Any) -> _State:  # noqa: ANN401
    """Return the state with ``event`` logged and ``changes`` applied.

    A new ``status`` is also appended to the status history (O(1)).
    """
    status = changes.get("status")
    if status is not None and status is not state.status:
        changes["status_changes"] = state.status_changes.appended((event.at, status))
    return state.evolve(log=state.log.appended(event), last_at=event.at, **changes)


def _confirmed(state: _State, event: CrisisConfirmed, prefix: str) -> _State:
    _check_crisis_type(state, event.crisis_type, prefix)
    return _next(
        state,
        event,
        status=_S.CONFIRMED,
        crisis_type=event.crisis_type,
        root_cause=event.root_cause,
        milestones=attrs.evolve(state.milestones, acknowledged=event.at),
    )


def _level_changed(
    state: _State, event: LevelEscalated | LevelDeEscalated, prefix: str
) -> _State:
    if event.previous is not state.level:
        raise ValidationError(
            _where(prefix, "previous"),
            event.previous,
            f"the crisis's current level ({state.level})",
        )
    change = LevelChange(
        at=event.at,
        actor=event.actor,
        level=event.level,
        previous=event.previous,
        reason=event.reason,
    )
    return _next(
        state,
        event,
        level=event.level,
        level_changes=state.level_changes.appended(change),
    )


def _role_assigned(state: _State, event: RoleAssigned, prefix: str) -> _State:
    role, member, at = event.role, event.member, event.at
    _check_role(state, role, prefix)
    holders = state.holders.get(role, ())
    if member in holders:
        raise DuplicateKeyError(_kind(f"holder of role {role!r}", prefix), member)
    assignments = state.assignments
    index = state.assignment_index
    changes: dict[str, Any] = {}
    if role == LEAD_ROLE:
        if event.handoff_from != state.lead:
            raise ValidationError(
                _where(prefix, "handoff_from"),
                event.handoff_from,
                f"the current lead ({state.lead!r}): a crisis has exactly one "
                "lead, so assigning the lead role hands it off",
            )
        previous = index[(LEAD_ROLE, state.lead)]
        ended = attrs.evolve(assignments[previous], relinquished_at=at)
        assignments = assignments.set(previous, ended)
        holders = ()
        changes["lead"] = member
    elif event.handoff_from is not None:
        raise ValidationError(
            _where(prefix, "handoff_from"),
            event.handoff_from,
            f"None: only the {LEAD_ROLE!r} role is handed off",
        )
    position = len(assignments)
    assignment = RoleAssignment(
        role=role, member=member, assumed_at=at, handoff_from=event.handoff_from
    )
    return _next(
        state,
        event,
        assignments=assignments.set(position, assignment),
        assignment_index=index.set((role, member), position),
        holders=state.holders.set(role, (*holders, member)),
        **changes,
    )


def _role_relinquished(state: _State, event: RoleRelinquished, prefix: str) -> _State:
    role, member = event.role, event.member
    _check_role(state, role, prefix)
    if role == LEAD_ROLE:
        raise TransitionError(
            f"the {LEAD_ROLE!r} role of crisis {state.key!r}",
            state.lead,
            "nobody",
            (f"another member, by a hand-off: assign_role({LEAD_ROLE!r}, ...)",),
        )
    holders = state.holders.get(role, ())
    if member not in holders:
        raise UnknownKeyError(
            _kind(f"holder of role {role!r}", prefix), member, holders
        )
    position = state.assignment_index[(role, member)]
    ended = attrs.evolve(state.assignments[position], relinquished_at=event.at)
    return _next(
        state,
        event,
        assignments=state.assignments.set(position, ended),
        holders=state.holders.set(role, tuple(m for m in holders if m != member)),
    )


def _responding(state: _State) -> CrisisStatus:
    """Return the status after work starts: a confirmed crisis now responds."""
    return _S.RESPONDING if state.status is _S.CONFIRMED else state.status


def _check_new_actions(
    state: _State, actions: tuple[Action, ...], prefix: str, field: str
) -> None:
    """Check new actions: fresh keys, known dependencies, no cycle, known roles."""
    batch: dict[str, Action] = {}
    for action in actions:
        if action.key in state.actions or action.key in batch:
            raise DuplicateKeyError(_kind("action", prefix), action.key)
        batch[action.key] = action
    for position, action in enumerate(actions):
        where = f"{prefix}{field}" + (f"[{position}]" if len(actions) > 1 else "")
        for dependency in action.depends_on:
            if dependency not in state.actions and dependency not in batch:
                raise UnknownKeyError(
                    f"action (dependency of {action.key!r}, {where}.depends_on)",
                    dependency,
                    [*batch, *state.actions],
                )
        if action.owner_role is not None:
            _check_role(state, action.owner_role, f"{where}.owner_role.")
    if len(actions) > 1:
        _check_acyclic(batch, f"{prefix}{field}")


def _check_acyclic(batch: Mapping[str, Action], field: str) -> None:
    """Raise if the dependencies among new actions form a cycle (Kahn 1962)."""
    waiting = {
        key: {d for d in action.depends_on if d in batch}
        for key, action in batch.items()
    }
    ready = [key for key, deps in waiting.items() if not deps]
    done: set[str] = set()
    while ready:
        key = ready.pop()
        done.add(key)
        for other, deps in waiting.items():
            if key in deps:
                deps.discard(key)
                if not deps and other not in done:
                    ready.append(other)
    if len(done) != len(batch):
        stuck = sorted(set(batch) - done)
        raise ValidationError(field, stuck, "actions whose dependencies form no cycle")


def _playbook_activated(state: _State, event: PlaybookActivated, prefix: str) -> _State:
    if event.playbook in state.playbooks:
        raise DuplicateKeyError(_kind("activated playbook", prefix), event.playbook)
    _check_new_actions(state, event.actions, prefix, "actions")
    actions = state.actions
    for action in event.actions:
        actions = actions.set(action.key, action)
    return _next(
        state,
        event,
        actions=actions,
        playbooks=state.playbooks.set(event.playbook, event.at),
        status=_responding(state),
    )


def _action_assigned(state: _State, event: ActionAssigned, prefix: str) -> _State:
    _check_new_actions(state, (event.action,), prefix, "action")
    action = event.action
    return _next(
        state,
        event,
        actions=state.actions.set(action.key, action),
        status=_responding(state),
    )


def _find_action(state: _State, key: str, prefix: str) -> Action:
    action = state.actions.get(key)
    if action is None:
        raise UnknownKeyError(_kind("action", prefix), key, state.actions)
    return action


def _check_action_move(
    state: _State, action: Action, target: ActionStatus | str, *, froms: Iterable[Any]
) -> None:
    if action.status not in froms:
        raise TransitionError(
            f"action {action.key!r} of crisis {state.key!r}",
            action.status,
            target,
            _ACTION_NEXT[action.status],
        )


def _check_dependencies_done(
    state: _State, action: Action, target: ActionStatus
) -> None:
    undone = [
        key for key in action.depends_on if state.actions[key].status is not _A.DONE
    ]
    if undone:
        allowed = tuple(
            s for s in _ACTION_NEXT[action.status] if s not in (_A.IN_PROGRESS, _A.DONE)
        )
        raise TransitionError(
            f"action {action.key!r} (waiting for {', '.join(undone)} to be done)",
            action.status,
            target,
            allowed,
        )


def _updated(state: _State, event: CrisisEvent, action: Action) -> _State:
    return _next(state, event, actions=state.actions.set(action.key, action))


def _action_started(state: _State, event: ActionStarted, prefix: str) -> _State:
    action = _find_action(state, event.action, prefix)
    _check_action_move(state, action, _A.IN_PROGRESS, froms=(_A.OPEN, _A.BLOCKED))
    _check_dependencies_done(state, action, _A.IN_PROGRESS)
    started = attrs.evolve(
        action,
        status=_A.IN_PROGRESS,
        started_at=action.started_at or event.at,
        blocked_reason=None,
    )
    return _next(
        state,
        event,
        actions=state.actions.set(action.key, started),
        status=_responding(state),
    )


def _action_completed(state: _State, event: ActionCompleted, prefix: str) -> _State:
    action = _find_action(state, event.action, prefix)
    _check_action_move(state, action, _A.DONE, froms=(_A.OPEN, _A.IN_PROGRESS))
    _check_dependencies_done(state, action, _A.DONE)
    done = attrs.evolve(
        action,
        status=_A.DONE,
        started_at=action.started_at or event.at,
        completed_at=event.at,
    )
    return _updated(state, event, done)


def _action_blocked(state: _State, event: ActionBlocked, prefix: str) -> _State:
    action = _find_action(state, event.action, prefix)
    _check_action_move(state, action, _A.BLOCKED, froms=(_A.OPEN, _A.IN_PROGRESS))
    blocked = attrs.evolve(action, status=_A.BLOCKED, blocked_reason=event.reason)
    return _updated(state, event, blocked)


def _action_reassigned(state: _State, event: ActionReassigned, prefix: str) -> _State:
    action = _find_action(state, event.action, prefix)
    _check_action_move(
        state, action, "reassigned", froms=(_A.OPEN, _A.IN_PROGRESS, _A.BLOCKED)
    )
    if event.due_at != action.due_at and instant(event.due_at) < instant(event.at):
        raise ValidationError(
            _where(prefix, "due_at"),
            event.due_at,
            f"a new deadline at or after the reassignment ({event.at.isoformat()})",
        )
    moved = attrs.evolve(action, owner=event.owner, due_at=event.due_at)
    return _updated(state, event, moved)


def _action_cancelled(state: _State, event: ActionCancelled, prefix: str) -> _State:
    action = _find_action(state, event.action, prefix)
    _check_action_move(
        state, action, _A.CANCELLED, froms=(_A.OPEN, _A.IN_PROGRESS, _A.BLOCKED)
    )
    cancelled = attrs.evolve(
        action, status=_A.CANCELLED, cancelled_at=event.at, blocked_reason=None
    )
    return _updated(state, event, cancelled)


def _communicated(state: _State, event: CommunicationRecorded, _prefix: str) -> _State:
    return _next(state, event, communications=state.communications.appended(event))


def _feedback(state: _State, event: FeedbackRecorded, _prefix: str) -> _State:
    return _next(state, event, feedback=state.feedback.appended(event))


def _adjusted(state: _State, event: StrategyAdjusted, _prefix: str) -> _State:
    return _next(state, event, adjustments=state.adjustments.appended(event))


def _reallocated(state: _State, event: ResourcesReallocated, _prefix: str) -> _State:
    resources = state.resources
    for key, amount in event.amounts.items():
        resources = resources.set(key, amount)
    return _next(state, event, resources=resources)


def _loss(state: _State, event: LossRecorded, _prefix: str) -> _State:
    return _next(state, event, losses=state.losses.appended(event))


def _milestone(state: _State, **moments: Any) -> Milestones:  # noqa: ANN401
    return attrs.evolve(state.milestones, **moments)


def _contained(state: _State, event: CrisisContained, _prefix: str) -> _State:
    marks = _milestone(state, contained=event.at)
    return _next(state, event, status=_S.CONTAINED, milestones=marks)


def _recovered(state: _State, event: CrisisRecovered, _prefix: str) -> _State:
    marks = _milestone(state, recovered=event.at)
    return _next(state, event, status=_S.RECOVERING, milestones=marks)


def _resolved(state: _State, event: CrisisResolved, _prefix: str) -> _State:
    marks = _milestone(state, resolved=event.at)
    return _next(state, event, status=_S.RESOLVED, milestones=marks, ended_at=event.at)


def _reviewed(state: _State, event: CrisisReviewed, _prefix: str) -> _State:
    marks = _milestone(state, reviewed=event.at)
    return _next(state, event, status=_S.REVIEWED, milestones=marks)


def _dismissed(state: _State, event: CrisisDismissed, _prefix: str) -> _State:
    return _next(state, event, status=_S.DISMISSED, ended_at=event.at)


def _origin_linked(state: _State, event: OriginLinked, prefix: str) -> _State:
    origin = event.origin
    if any(
        (known.kind, known.reference) == (origin.kind, origin.reference)
        for known in state.origins
    ):
        raise DuplicateKeyError(
            _kind("origin", prefix), f"{origin.kind.value}:{origin.reference}"
        )
    return _next(state, event, origins=(*state.origins, origin))


def _merged(state: _State, event: CrisisMerged, _prefix: str) -> _State:
    return _next(
        state, event, status=_S.MERGED, merged_into=event.into, ended_at=event.at
    )


def _reopened(state: _State, event: CrisisReopened, _prefix: str) -> _State:
    marks = _milestone(
        state, contained=None, recovered=None, resolved=None, reviewed=None
    )
    return _next(
        state,
        event,
        status=_S.RESPONDING,
        milestones=marks,
        ended_at=None,
        reopen_count=state.reopen_count + 1,
    )


_Handler = Callable[[_State, Any, str], _State]

_HANDLERS: Final[dict[type[Any], _Handler]] = {
    CrisisDeclared: _declared,
    CrisisConfirmed: _confirmed,
    LevelEscalated: _level_changed,
    LevelDeEscalated: _level_changed,
    RoleAssigned: _role_assigned,
    RoleRelinquished: _role_relinquished,
    PlaybookActivated: _playbook_activated,
    ActionAssigned: _action_assigned,
    ActionStarted: _action_started,
    ActionCompleted: _action_completed,
    ActionBlocked: _action_blocked,
    ActionReassigned: _action_reassigned,
    ActionCancelled: _action_cancelled,
    CommunicationRecorded: _communicated,
    FeedbackRecorded: _feedback,
    StrategyAdjusted: _adjusted,
    ResourcesReallocated: _reallocated,
    LossRecorded: _loss,
    CrisisContained: _contained,
    CrisisRecovered: _recovered,
    CrisisResolved: _resolved,
    CrisisReviewed: _reviewed,
    CrisisDismissed: _dismissed,
    CrisisMerged: _merged,
    CrisisReopened: _reopened,
    OriginLinked: _origin_linked,
}


# --- the aggregate ------------------------------------------------------------------


def _to_roles(value: RoleCatalog | None) -> RoleCatalog:
    return _default_roles() if value is None else value


def _check_roles(_instance: object, _attribute: Any, value: object) -> None:  # noqa: ANN401
    if not isinstance(value, RoleCatalog):
        raise InvalidTypeError("roles", value, "a planning.RoleCatalog or None")


def _check_catalog(_instance: object, _attribute: Any, value: object) -> None:  # noqa: ANN401
    if value is not None and not isinstance(value, CrisisTypeCatalog):
        raise InvalidTypeError("catalog", value, "a CrisisTypeCatalog or None")


def _check_events(_instance: object, _attribute: Any, value: object) -> None:  # noqa: ANN401
    if not isinstance(value, tuple):
        raise InvalidTypeError("events", value, "a tuple (or list) of crisis events")
    if not value:
        raise ValidationError(
            "events", value, "at least one event, the CrisisDeclared that starts it"
        )


def check_crisis(value: object, field: str = "crisis") -> Crisis:
    """Return ``value`` if it is a `Crisis`, else raise `InvalidTypeError`.

    The entry point of every function that reads a crisis (metrics, costs,
    communications, suggestions); not part of the public API.
    """
    if not isinstance(value, Crisis):
        raise InvalidTypeError(field, value, "a Crisis")
    return value


def _rebuild(cls: type[Crisis], fields: dict[str, Any]) -> Crisis:
    """Build a crisis from its public fields (used by `copy` and `pickle`)."""
    return cls(**fields)


def _earliest(moments: Iterable[dt.datetime | None]) -> dt.datetime | None:
    known = [moment for moment in moments if moment is not None]
    return min(known, key=instant) if known else None


@attrs.frozen(kw_only=True, repr=False)
class Crisis:
    """One crisis as the fold of its event log (book §5 危機執行與應對實踐).

    Build one with `declare` and change it with its commands; each returns a
    new crisis with one more event (see the module docstring for the rules).
    ``Crisis(events=...)`` — the same as `from_events` — replays a stored
    log with the same checks. Two crises are equal when their events are
    (the key is the events'; ``roles`` and ``catalog`` are reference data).

    Every command takes ``at``, when it happened (timezone-aware, not before
    the last event: the log only grows forward in time), and ``actor``, who
    did or recorded it (non-empty text); the parameter lists below leave
    them out.

    Attributes
    ----------
    events
        The log, oldest first: a `CrisisDeclared`, then one event per
        command, numbered 0, 1, 2, … by ``sequence``, in non-decreasing time.
    roles
        The role catalog role keys are checked against (`default_roles()` if
        ``None``); it must hold ``crisis_lead``.
    catalog
        The crisis types ``crisis_type`` is checked against;
        ``None`` checks against `crisisops.taxonomy.default_catalog()`.
    """

    events: tuple[CrisisEvent, ...] = attrs.field(
        converter=to_tuple, validator=_check_events
    )
    roles: RoleCatalog = attrs.field(
        default=None, converter=_to_roles, validator=_check_roles, eq=False
    )
    catalog: CrisisTypeCatalog | None = attrs.field(
        default=None, validator=_check_catalog, eq=False
    )
    _state: _State = attrs.field(init=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Replay the events, checking each against the crisis as it stands."""
        state = _State.initial(self.roles, self.catalog or _default_types())
        for index, event in enumerate(self.events):
            state = _advance(state, event, f"events[{index}].")
        object.__setattr__(self, "_state", state)

    @classmethod
    def from_events(
        cls,
        events: Iterable[CrisisEvent],
        *,
        roles: RoleCatalog | None = None,
        catalog: CrisisTypeCatalog | None = None,
    ) -> Crisis:
        """Rebuild a crisis from its log (the same as ``Crisis(events=...)``).

        Raises
        ------
        ValidationError, TransitionError, UnknownKeyError, DuplicateKeyError
            For the first event that does not fit the crisis as the events
            before it left it; the field names where (``events[3].at``).
        InvalidTypeError
            For an item that is not a crisis event.
        """
        return cls(events=tuple(events), roles=roles, catalog=catalog)

    @classmethod
    def _of_state(
        cls, state: _State, roles: RoleCatalog, catalog: CrisisTypeCatalog | None
    ) -> Crisis:
        """Return the crisis in ``state``, built without replaying.

        Made with ``object.__new__`` and filled field by field: ``__init__``
        would replay the whole log. ``events`` is built from the log when
        first read (`__getattr__`).
        """
        crisis: Crisis = object.__new__(cls)
        object.__setattr__(crisis, "roles", roles)
        object.__setattr__(crisis, "catalog", catalog)
        object.__setattr__(crisis, "_state", state)
        return crisis

    def _successor(self, state: _State) -> Crisis:
        """Return the next crisis, in ``state``, with this one's reference data."""
        return self._of_state(state, self.roles, self.catalog)

    if not TYPE_CHECKING:  # hidden from mypy, which would then accept any name

        def __getattr__(self, name: str) -> object:
            """Build ``events`` from the log on first read, then keep it.

            Python calls this only for an attribute not set: ``events`` of a
            crisis made by a command. Any other name is an error.
            """
            if name != "events":
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}"
                )
            events = self._state.log.to_tuple()
            object.__setattr__(self, "events", events)
            return events

    def __reduce__(self) -> tuple[Callable[..., Crisis], tuple[object, ...]]:
        """Copy and pickle a crisis as its public fields; loading replays them."""
        fields = {"events": self.events, "roles": self.roles, "catalog": self.catalog}
        return (_rebuild, (type(self), fields))

    def __repr__(self) -> str:
        """Return a short description: key, status, level and version."""
        state = self._state
        return (
            f"Crisis(key={state.key!r}, status={state.status.value!r}, "
            f"level={state.level.value!r}, version={len(state.log)})"
        )

    def append(self, event: CrisisEvent) -> Crisis:
        """Return the crisis with one pre-built ``event`` appended.

        ``event.sequence`` must be `version` and ``event.crisis`` this key;
        the event is checked exactly as the commands' own events are.
        """
        return self._successor(_advance(self._state, event))

    # --- building ------------------------------------------------------------------

    @classmethod
    def declare(  # noqa: PLR0913  one keyword per field of the declaration
        cls,
        key: str,
        *,
        title: str,
        crisis_type: str,
        level: ResponseLevel,
        at: dt.datetime,
        actor: str,
        lead: str,
        mode: CrisisMode = CrisisMode.REAL,
        origins: Iterable[Origin] = (),
        detected_at: dt.datetime | None = None,
        impact_started_at: dt.datetime | None = None,
        rates: RateCard | None = None,
        summary: str = "",
        roles: RoleCatalog | None = None,
        catalog: CrisisTypeCatalog | None = None,
    ) -> Crisis:
        """Declare a crisis: its first event.

        Parameters
        ----------
        key
            The crisis's key, a dotted key such as ``"traffic_drop_2026"``.
        title
            A short name.
        crisis_type
            A key of ``catalog`` (default `crisisops.taxonomy.default_catalog()`).
        level
            The response level declared.
        at
            When it was declared (aware).
        actor
            Who declared it.
        lead
            Key of the member who leads (holds ``crisis_lead``) from now on.
        mode
            Real, drill or backfilled.
        origins
            The alerts, risks or reports that started it (`Origin`).
        detected_at
            When it was detected; default the earliest ``detected_at`` of the
            origins, else ``at``.
        impact_started_at
            When the impact began; default the earliest ``signal_onset`` of
            the origins, else unknown (``None``).
        rates
            The rate card to freeze into the crisis for its response cost.
        summary
            What is known so far.
        roles, catalog
            Reference data, as on the class.

        Raises
        ------
        ValidationError
            For blank text, a naive time, or impact started > detected >
            declared.
        UnknownKeyError
            For an unknown crisis type, or a role catalog without
            ``crisis_lead``.
        InvalidTypeError
            For a value of the wrong type.
        """
        check_key(key, "key")
        found: Any = to_tuple(origins)
        known = (
            [o for o in found if isinstance(o, Origin)]
            if isinstance(found, tuple)
            else []
        )
        if detected_at is None:
            detected_at = _earliest(o.detected_at for o in known) or at
        if impact_started_at is None:
            impact_started_at = _earliest(o.signal_onset for o in known)
        event = CrisisDeclared(
            crisis=key,
            sequence=0,
            at=at,
            actor=actor,
            title=title,
            crisis_type=crisis_type,
            level=level,
            mode=mode,
            lead=lead,
            origins=found,
            detected_at=detected_at,
            impact_started_at=impact_started_at,
            rates=rates,
            summary=summary,
        )
        # The reference data are checked as by __init__; the one event as by
        # a command (errors name the argument, not ``events[0]``).
        reference = _to_roles(roles)
        _check_roles(None, None, reference)
        _check_catalog(None, None, catalog)
        initial = _State.initial(reference, catalog or _default_types())
        return cls._of_state(_advance(initial, event), reference, catalog)

    # --- commands ------------------------------------------------------------------

    def _header(self, at: dt.datetime, actor: str) -> dict[str, Any]:
        return {
            "crisis": self._state.key,
            "sequence": len(self._state.log),
            "at": at,
            "actor": actor,
        }

    def _apply(self, event: CrisisEvent) -> Crisis:
        return self._successor(_advance(self._state, event))

    def confirm(
        self,
        *,
        at: dt.datetime,
        actor: str,
        root_cause: str,
        crisis_type: str | None = None,
    ) -> Crisis:
        """Confirm the crisis: type and root cause identified (→ ``CONFIRMED``).

        Book §5.1 精準識別危機類型和根源: before solutions are assigned, the
        type and the root cause are confirmed. Sets the acknowledged
        milestone (time to acknowledge is measured from detection to here).

        Parameters
        ----------
        root_cause
            The root cause found, in a sentence.
        crisis_type
            A key of ``catalog`` to reclassify the crisis (e.g. a traffic
            swing that turns out to be brand damage); ``None`` keeps the
            declared type.

        Raises
        ------
        TransitionError
            Unless the crisis is ``DETECTED``.
        ValidationError, UnknownKeyError
            For a blank root cause, a bad time, an unknown crisis type.
        """
        return self._apply(
            CrisisConfirmed(
                **self._header(at, actor),
                crisis_type=self._state.crisis_type
                if crisis_type is None
                else crisis_type,
                root_cause=root_cause,
            )
        )

    def _level_target(
        self, to: ResponseLevel | None, *, up: bool
    ) -> tuple[ResponseLevel, ResponseLevel]:
        current = self._state.level
        if to is not None and not isinstance(to, ResponseLevel):
            raise InvalidTypeError("to", to, "a ResponseLevel or None")
        if to is None:
            to = current.escalated() if up else current.de_escalated()
        moves = to > current if up else to < current
        if not moves:
            allowed = tuple(
                level
                for level in ResponseLevel
                if (level > current if up else level < current)
            )
            raise TransitionError(
                f"response level of crisis {self._state.key!r}", current, to, allowed
            )
        return current, to

    def escalate(
        self,
        *,
        at: dt.datetime,
        actor: str,
        reason: str,
        to: ResponseLevel | None = None,
    ) -> Crisis:
        """Make the response level more severe: one step, or to ``to``.

        Every change is kept with who, when and why (`level_changes`), so the
        time spent at each level can be measured.

        Parameters
        ----------
        reason
            Why (e.g. the feedback that breached the level's bounds).
        to
            The new level, more severe than the current one; ``None`` for
            one step (Level III → Level II).

        Raises
        ------
        TransitionError
            If the target is not strictly more severe (always at Level I),
            or the crisis is not active.
        ValidationError
            For a blank reason or a bad time.
        """
        previous, level = self._level_target(to, up=True)
        return self._apply(
            LevelEscalated(
                **self._header(at, actor), previous=previous, level=level, reason=reason
            )
        )

    def de_escalate(
        self,
        *,
        at: dt.datetime,
        actor: str,
        reason: str,
        to: ResponseLevel | None = None,
    ) -> Crisis:
        """Make the response level less severe: one step, or to ``to``.

        Parameters
        ----------
        reason
            Why (e.g. sentiment recovered).
        to
            The new level, less severe than the current one; ``None`` for
            one step (Level II → Level III).

        Raises
        ------
        TransitionError
            If the target is not strictly less severe (always at Level IV),
            or the crisis is not active.
        ValidationError
            For a blank reason or a bad time.
        """
        previous, level = self._level_target(to, up=False)
        return self._apply(
            LevelDeEscalated(
                **self._header(at, actor), previous=previous, level=level, reason=reason
            )
        )

    def assign_role(
        self, role: str, member: str, *, at: dt.datetime, actor: str, reason: str = ""
    ) -> Crisis:
        """Give ``member`` the role ``role``; for ``crisis_lead``, a hand-off.

        A member may hold several roles, and a role several members, except
        ``crisis_lead``: assigning it ends the current lead's assignment at
        ``at`` and records the hand-off, so there is never a moment with two
        leads or none (book §5.1 組建團隊; the Dispatch issue of two
        commanders after a hand-off).

        Parameters
        ----------
        role
            A role key of ``roles``, e.g. ``"scribe"``.
        member
            The member's key.
        reason
            Why (may be empty), e.g. ``"shift change"``.

        Raises
        ------
        UnknownKeyError
            For a role not in ``roles``.
        DuplicateKeyError
            If ``member`` already holds ``role``.
        TransitionError
            Unless the crisis is active.
        """
        check_str(role, "role")
        lead = self._state.lead
        handoff = lead if role == LEAD_ROLE and member != lead else None
        return self._apply(
            RoleAssigned(
                **self._header(at, actor),
                role=role,
                member=member,
                reason=reason,
                handoff_from=handoff,
            )
        )

    def relinquish_role(
        self, role: str, member: str, *, at: dt.datetime, actor: str, reason: str = ""
    ) -> Crisis:
        """End ``member``'s hold on ``role``.

        Raises
        ------
        TransitionError
            For ``crisis_lead`` (hand it off with `assign_role` instead), or
            unless the crisis is active.
        UnknownKeyError
            For an unknown role, or a member who does not hold it.
        """
        return self._apply(
            RoleRelinquished(
                **self._header(at, actor), role=role, member=member, reason=reason
            )
        )

    def _owner_for(self, role: str, owners: Mapping[str, str]) -> str:
        """Return a step's owner: the one named, the first holder, or the lead."""
        named = owners.get(role)
        if named is not None:
            return named
        holders = self._state.holders.get(role, ())
        return holders[0] if holders else self._state.lead

    def activate_playbook(
        self,
        playbook: Playbook,
        *,
        at: dt.datetime,
        actor: str,
        owners: Mapping[str, str] | None = None,
    ) -> Crisis:
        """Activate a contingency plan (預案): one action per step, at once.

        Each step becomes the action ``"<playbook>.<step>"``, owned by
        ``owners[step.owner_role]`` if given, else by the first current
        holder of that role, else by the lead (who holds every unfilled
        role); due at ``step.deadline.apply(at)``; depending on the actions
        of its steps' dependencies; critical if on ``playbook.critical_path()``.

        Parameters
        ----------
        playbook
            The contingency plan (`crisisops.planning.Playbook`); it must
            cover the crisis's current level.
        owners
            Role key → member key, for the steps of those roles; optional.

        Raises
        ------
        ValidationError
            If the playbook does not cover the crisis's current level.
        DuplicateKeyError
            If the playbook was activated before, or an action key is taken.
        UnknownKeyError
            For a step's owner role (or an ``owners`` key) not in ``roles``.
        TransitionError
            Unless the crisis is ``CONFIRMED`` to ``RECOVERING``.
        """
        if not isinstance(playbook, Playbook):
            raise InvalidTypeError("playbook", playbook, "a planning.Playbook")
        moment = check_aware(at, "at")
        chosen = self._check_owners(owners)
        level = self._state.level
        if not playbook.covers(level):
            raise ValidationError(
                "playbook",
                playbook.key,
                f"a playbook that covers the crisis's level {level} "
                f"(it covers {playbook.min_level} to {playbook.max_level})",
            )
        critical = set(playbook.critical_path())
        prefix = playbook.key
        actions = tuple(
            Action(
                key=f"{prefix}.{step.key}",
                title=step.title,
                owner=self._owner_for(step.owner_role, chosen),
                due_at=step.deadline.apply(moment),
                created_at=moment,
                done_when=step.done_when,
                depends_on=tuple(f"{prefix}.{dep}" for dep in step.depends_on),
                owner_role=step.owner_role,
                critical=step.key in critical,
                playbook=prefix,
            )
            for step in playbook.steps
        )
        return self._apply(
            PlaybookActivated(
                **self._header(moment, actor), playbook=prefix, actions=actions
            )
        )

    def _check_owners(self, owners: Mapping[str, str] | None) -> Mapping[str, str]:
        if owners is None:
            return {}
        if not isinstance(owners, Mapping):
            raise InvalidTypeError("owners", owners, "a mapping of role key to member")
        for role, member in owners.items():
            check_key(role, "owners key", dotted=False)
            if role not in self.roles:
                raise UnknownKeyError("role (owners key)", role, self.roles.keys())
            check_key(member, f"owners[{role!r}]")
        return owners

    def assign_action(  # noqa: PLR0913  one keyword per field of the action
        self,
        key: str,
        *,
        at: dt.datetime,
        actor: str,
        title: str,
        owner: str,
        due_at: dt.datetime,
        done_when: str,
        depends_on: Iterable[str] = (),
        priority: ActionPriority = ActionPriority.MEDIUM,
        owner_role: str | None = None,
    ) -> Crisis:
        """Add an action ad hoc, with an owner and a deadline (§5.1).

        "解決方案需具體、可行,並明確責任人及執行時間": a concrete solution with
        a named owner and a time. The first action of a confirmed crisis
        moves it to ``RESPONDING``.

        Parameters
        ----------
        key
            A dotted key, new in the crisis, e.g. ``"refund_vouchers"``.
        title
            What to do.
        owner
            Key of the member who owns it.
        due_at
            The deadline, at or after ``at``.
        done_when
            How to verify it is done (the "done when" criterion).
        depends_on
            Keys of actions of the crisis that must be done before this one
            starts.
        priority
            Its urgency within the crisis (not the crisis's severity level).
        owner_role
            The role that owns it, if any (a key of ``roles``).

        Raises
        ------
        DuplicateKeyError
            If the crisis already has an action ``key``.
        UnknownKeyError
            For a dependency that is not an action of the crisis, or an
            ``owner_role`` not in ``roles``.
        ValidationError
            If ``due_at`` is before ``at``, or for blank text.
        TransitionError
            Unless the crisis is active.
        """
        moment = check_aware(at, "at")
        action = Action(
            key=key,
            title=title,
            owner=owner,
            due_at=due_at,
            created_at=moment,
            done_when=done_when,
            depends_on=to_tuple(depends_on),
            owner_role=owner_role,
            priority=priority,
        )
        return self._apply(ActionAssigned(**self._header(at, actor), action=action))

    def start_action(self, key: str, *, at: dt.datetime, actor: str) -> Crisis:
        """Start (or resume) an open or blocked action whose dependencies are done.

        Raises
        ------
        UnknownKeyError
            For an unknown action.
        TransitionError
            If the action is not open or blocked, a dependency is not done,
            or the crisis is not active.
        """
        return self._apply(ActionStarted(**self._header(at, actor), action=key))

    def complete_action(
        self, key: str, *, at: dt.datetime, actor: str, note: str = ""
    ) -> Crisis:
        """Mark an open or in-progress action done (its dependencies done).

        Raises
        ------
        UnknownKeyError
            For an unknown action.
        TransitionError
            If the action is not open or in progress, a dependency is not
            done, or the crisis is not active.
        """
        return self._apply(
            ActionCompleted(**self._header(at, actor), action=key, note=note)
        )

    def block_action(
        self, key: str, *, at: dt.datetime, actor: str, reason: str
    ) -> Crisis:
        """Mark an open or in-progress action blocked, saying why.

        Raises
        ------
        UnknownKeyError
            For an unknown action.
        TransitionError
            If the action is not open or in progress, or the crisis is not
            active.
        """
        return self._apply(
            ActionBlocked(**self._header(at, actor), action=key, reason=reason)
        )

    def reassign_action(  # noqa: PLR0913  the action and what changes
        self,
        key: str,
        *,
        at: dt.datetime,
        actor: str,
        reason: str,
        owner: str | None = None,
        due_at: dt.datetime | None = None,
    ) -> Crisis:
        """Give an outstanding action a new owner, a new deadline, or both.

        Book §5.2 優化資源配置: when an action slips, move it to someone who
        can do it, or reset its deadline; the event keeps the old values.

        Parameters
        ----------
        key
            The action's key.
        reason
            Why.
        owner
            The new owner's key; ``None`` keeps the owner.
        due_at
            The new deadline, at or after ``at``; ``None`` keeps it.

        Raises
        ------
        ValidationError
            If neither ``owner`` nor ``due_at`` is given, or a new deadline
            is before ``at``.
        UnknownKeyError
            For an unknown action.
        TransitionError
            If the action is done or cancelled, or the crisis is not active.
        """
        if owner is None and due_at is None:
            raise ValidationError(
                "owner", None, "a new owner or a new due_at (at least one of them)"
            )
        current = self.action(key)
        return self._apply(
            ActionReassigned(
                **self._header(at, actor),
                action=key,
                owner=current.owner if owner is None else owner,
                due_at=current.due_at if due_at is None else due_at,
                reason=reason,
            )
        )

    def cancel_action(
        self, key: str, *, at: dt.datetime, actor: str, reason: str
    ) -> Crisis:
        """Drop an outstanding action, saying why.

        Raises
        ------
        UnknownKeyError
            For an unknown action.
        TransitionError
            If the action is done or cancelled, or the crisis is not active.
        """
        return self._apply(
            ActionCancelled(**self._header(at, actor), action=key, reason=reason)
        )

    def record_communication(  # noqa: PLR0913  one keyword per field of the message
        self,
        *,
        at: dt.datetime,
        actor: str,
        audience: str,
        channel: Channel,
        internal: bool,
        summary: str,
        strategy: str | None = None,
        next_update_at: dt.datetime | None = None,
        final: bool = False,
    ) -> Crisis:
        """Record a message sent to a stakeholder group (book §5.3).

        Book §5 保持與內外部利益相關者的溝通: tell employees first, then
        customers, suppliers, partners, media; keep updating. The messages
        are checked against a `CommunicationPlan` by
        `crisisops.response.communication`.

        Parameters
        ----------
        audience
            The communication-plan group key, e.g. ``"customers"``.
        channel
            The channel it went through.
        internal
            Whether the audience is inside the company.
        summary
            What it said.
        strategy
            The message strategy used (e.g. an SCCT response strategy).
        next_update_at
            When the message promised the next update, after ``at``.
        final
            Whether this is the last message to the group (the all-clear).

        Raises
        ------
        ValidationError, InvalidTypeError
            For a bad value (e.g. ``next_update_at`` before ``at``).
        TransitionError
            Unless the crisis is active or resolved.
        """
        return self._apply(
            CommunicationRecorded(
                **self._header(at, actor),
                audience=audience,
                channel=channel,
                internal=internal,
                summary=summary,
                strategy=strategy,
                next_update_at=next_update_at,
                final=final,
            )
        )

    def record_feedback(  # noqa: PLR0913  one keyword per field of the batch
        self,
        *,
        at: dt.datetime,
        actor: str,
        channel: FeedbackChannel,
        volume: int,
        sentiment: float | None = None,
        negative_share: float | None = None,
        kpis: Mapping[str, float] | None = None,
        note: str = "",
    ) -> Crisis:
        """Record a batch of feedback from one channel (book §5.2).

        Book §5.2 實時反饋機制: social media, online platforms, hotline,
        online service, e-mail, data reports.
        `crisisops.response.adjustments.suggest_adjustments` reads
        these batches.

        Parameters
        ----------
        channel
            Where the batch came from.
        volume
            How many items (posts, calls, chats, e-mails), >= 0.
        sentiment
            Mean sentiment in [-1, 1] (-1 all negative, +1 all positive).
        negative_share
            Share of negative items in [0, 1].
        kpis
            Metric key → reading, e.g. ``{"traffic.visits": 41000}``.
        note
            A remark (may be empty).

        Raises
        ------
        ValidationError, InvalidTypeError
            For a bad value (negative volume, sentiment outside [-1, 1],
            a non-finite KPI reading, ...).
        TransitionError
            Unless the crisis is active or resolved.
        """
        return self._apply(
            FeedbackRecorded(
                **self._header(at, actor),
                channel=channel,
                volume=volume,
                sentiment=sentiment,
                negative_share=negative_share,
                kpis=FrozenDict() if kpis is None else kpis,
                note=note,
            )
        )

    def adjust_strategy(
        self,
        *,
        at: dt.datetime,
        actor: str,
        summary: str,
        reason: str,
        families: Iterable[StrategyFamily] = (),
    ) -> Crisis:
        """Record an adjustment of the response strategy (book §5.2).

        Book §5.2 調整策略的實踐方法: re-assess the crisis and adjust the plan
        on the feedback collected.

        Parameters
        ----------
        summary
            What changed.
        reason
            Why (e.g. the feedback that prompted it).
        families
            The strategy families of book §4 the change concerns.

        Raises
        ------
        ValidationError, InvalidTypeError
            For blank text or a value that is not a `StrategyFamily`.
        TransitionError
            Unless the crisis is active.
        """
        return self._apply(
            StrategyAdjusted(
                **self._header(at, actor),
                summary=summary,
                reason=reason,
                families=to_tuple(families),
            )
        )

    def reallocate_resources(
        self, *, at: dt.datetime, actor: str, amounts: Mapping[str, float], reason: str
    ) -> Crisis:
        """Commit new amounts of some resources (book §5.2 優化資源配置).

        The listed resources get the new amounts; others keep theirs.

        Parameters
        ----------
        amounts
            Resource key → the amount committed from now on (finite, >= 0),
            at least one.
        reason
            Why.

        Raises
        ------
        ValidationError, InvalidTypeError
            For no amounts, a negative or non-finite amount, a bad key.
        TransitionError
            Unless the crisis is active.
        """
        return self._apply(
            ResourcesReallocated(
                **self._header(at, actor), amounts=amounts, reason=reason
            )
        )

    def record_loss(  # noqa: PLR0913  one keyword per field of the loss
        self,
        *,
        at: dt.datetime,
        actor: str,
        category: LossCategory,
        amount: Decimal,
        estimate: bool = True,
        note: str = "",
    ) -> Crisis:
        """Record a business loss (kept apart from the response cost).

        Parameters
        ----------
        category
            The kind of loss (lost sales, refunds and compensation, ...).
        amount
            How much, an exact `decimal.Decimal` >= 0 (ints are taken).
        estimate
            ``True`` for an estimate, ``False`` for an actual, booked figure
            (actual figures supersede estimates in
            `crisisops.response.costs.business_loss`).
        note
            A remark (may be empty).

        Raises
        ------
        ValidationError, InvalidTypeError
            For an amount that is not a finite Decimal >= 0, or a bad value.
        TransitionError
            Unless the crisis is active or resolved.
        """
        return self._apply(
            LossRecorded(
                **self._header(at, actor),
                category=category,
                amount=amount,
                estimate=estimate,
                note=note,
            )
        )

    def mark_contained(
        self, *, at: dt.datetime, actor: str, summary: str = ""
    ) -> Crisis:
        """Mark the situation under control (→ ``CONTAINED``).

        Allowed from ``CONFIRMED`` or ``RESPONDING``.

        Raises
        ------
        TransitionError
            From any other status (e.g. contain before confirm).
        """
        return self._apply(CrisisContained(**self._header(at, actor), summary=summary))

    def mark_recovered(
        self, *, at: dt.datetime, actor: str, summary: str = ""
    ) -> Crisis:
        """Mark service restored (``CONTAINED`` → ``RECOVERING``).

        Sets the ``recovered`` milestone: the shop works again (time to
        recover ends here) and the business now recovers — sales, traffic,
        trust — until `resolve` says it is back to normal.

        Raises
        ------
        TransitionError
            From any other status.
        """
        return self._apply(CrisisRecovered(**self._header(at, actor), summary=summary))

    def resolve(self, *, at: dt.datetime, actor: str, summary: str = "") -> Crisis:
        """Resolve the crisis (``RECOVERING`` → ``RESOLVED``); it ends at ``at``.

        Raises
        ------
        TransitionError
            From any other status.
        """
        return self._apply(CrisisResolved(**self._header(at, actor), summary=summary))

    def dismiss(self, *, at: dt.datetime, actor: str, reason: str) -> Crisis:
        """Dismiss a detected crisis as a false alarm (→ ``DISMISSED``).

        Raises
        ------
        TransitionError
            Unless the crisis is ``DETECTED``.
        ValidationError
            For a blank reason.
        """
        return self._apply(CrisisDismissed(**self._header(at, actor), reason=reason))

    def link_origin(self, origin: Origin, *, at: dt.datetime, actor: str) -> Crisis:
        """Link a further signal (an alert, a risk, a report) to the crisis.

        Alerts about the same trouble keep firing after a crisis is declared
        (another SKU, another indicator); linking them keeps the record of
        what detected the crisis complete, for trigger quality in reviews.
        The milestones stay as declared.

        Raises
        ------
        DuplicateKeyError
            If an origin of the same kind and reference is already linked.
        ValidationError
            If the signal was detected after ``at``.
        TransitionError
            Unless the crisis is active or resolved.
        """
        return self._apply(OriginLinked(**self._header(at, actor), origin=origin))

    def merge_into(
        self, target: str, *, at: dt.datetime, actor: str, reason: str
    ) -> Crisis:
        """Merge the crisis into the crisis ``target`` (→ ``MERGED``, final).

        Raises
        ------
        ValidationError
            If ``target`` is not a valid key or is this crisis's key.
        TransitionError
            Unless the crisis is active.
        """
        return self._apply(
            CrisisMerged(**self._header(at, actor), into=target, reason=reason)
        )

    def reopen(self, *, at: dt.datetime, actor: str, reason: str) -> Crisis:
        """Reopen a resolved, reviewed or dismissed crisis (→ ``RESPONDING``).

        Clears the contained, recovered, resolved and reviewed milestones and
        ``ended_at``; counts the reopening.

        Raises
        ------
        TransitionError
            From any other status.
        ValidationError
            For a blank reason.
        """
        return self._apply(CrisisReopened(**self._header(at, actor), reason=reason))

    def mark_reviewed(
        self,
        *,
        at: dt.datetime,
        actor: str,
        summary: str = "",
        review: str | None = None,
    ) -> Crisis:
        """Mark the post-crisis review done (``RESOLVED`` → ``REVIEWED``; book §6).

        Raises
        ------
        TransitionError
            Unless the crisis is ``RESOLVED``.
        """
        return self._apply(
            CrisisReviewed(**self._header(at, actor), summary=summary, review=review)
        )

    # --- reading -------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The crisis's key."""
        return self._state.key

    @property
    def version(self) -> int:
        """The number of events."""
        return len(self._state.log)

    @property
    def status(self) -> CrisisStatus:
        """Where the crisis stands in its lifecycle."""
        return self._state.status

    @property
    def status_changes(self) -> tuple[tuple[dt.datetime, CrisisStatus], ...]:
        """Every status the crisis had and when it began, oldest first.

        The first entry is ``(declared_at, DETECTED)``, then one per change
        of status: confirmation, the first work on a confirmed crisis,
        containment, …, a reopening. The time spent in each status follows
        from it without replaying the log (`crisisops.response.metrics`).
        """
        return self._state.status_changes.to_tuple()

    @property
    def active_periods(self) -> tuple[tuple[dt.datetime, dt.datetime | None], ...]:
        """The spans in which the crisis was active (``DETECTED`` to ``RECOVERING``).

        The first runs from the declaration to the resolution, dismissal or
        merge that ended it (`ended_at`); each reopening starts another. The
        last end is ``None`` while the crisis is active. Measures of time
        spent — the time at each level, the response cost — count only these
        spans: nobody responds to a resolved crisis, so the weeks between a
        resolution and a reopening are not response time, and a reopening
        never rewrites what the crisis had cost up to then.
        """
        periods: list[tuple[dt.datetime, dt.datetime | None]] = []
        start: dt.datetime | None = None
        for moment, status in self._state.status_changes:
            if status.is_active:
                start = moment if start is None else start
            elif start is not None:
                periods.append((start, moment))
                start = None
        if start is not None:
            periods.append((start, None))
        return tuple(periods)

    def active_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Return how long the crisis was active between ``start`` and ``end``.

        The part of ``[start, end)`` inside `active_periods` (a period still
        open runs on to ``end``), measured between instants; zero if ``end``
        is not after ``start``. The time at each level
        (`crisisops.response.metrics`) and the cost of each role assignment
        (`crisisops.response.costs`) are measured with it.

        Raises
        ------
        InvalidTypeError, NaiveDatetimeError
            If ``start`` or ``end`` is not a timezone-aware datetime.
        """
        low = instant(check_aware(start, "start"))
        high = instant(check_aware(end, "end"))
        total = dt.timedelta(0)
        for begin, stop in self.active_periods:
            until = high if stop is None else min(instant(stop), high)
            total += max(until - max(instant(begin), low), dt.timedelta(0))
        return total

    @property
    def crisis_type(self) -> str:
        """The crisis-type key (as confirmed, else as declared)."""
        return self._state.crisis_type

    @property
    def root_cause(self) -> str | None:
        """The root cause found at confirmation; ``None`` before."""
        return self._state.root_cause

    @property
    def title(self) -> str:
        """The crisis's short name."""
        return self._state.title

    @property
    def mode(self) -> CrisisMode:
        """Real, drill or backfilled."""
        return self._state.mode

    @property
    def level(self) -> ResponseLevel:
        """The current response level."""
        return self._state.level

    @property
    def level_changes(self) -> tuple[LevelChange, ...]:
        """Every level the crisis had, the declared one first."""
        return self._state.level_changes.to_tuple()

    @property
    def origins(self) -> tuple[Origin, ...]:
        """The alerts, risks or reports that started the crisis."""
        return self._state.origins

    @property
    def milestones(self) -> Milestones:
        """The lifecycle timestamps reached (cleared from contained on by a reopen)."""
        return self._state.milestones

    @property
    def rates(self) -> RateCard | None:
        """The rate card frozen into the crisis when it was declared."""
        return self._state.rates

    @property
    def declared_at(self) -> dt.datetime:
        """When the crisis was declared."""
        return self._state.declared_at

    @property
    def last_event_at(self) -> dt.datetime:
        """When the last event happened."""
        return self._state.last_at

    @property
    def lead(self) -> str:
        """The member who leads the crisis now (holds ``crisis_lead``)."""
        return self._state.lead

    @property
    def role_assignments(self) -> tuple[RoleAssignment, ...]:
        """Every role assignment, in the order assumed; ended ones have an end."""
        return tuple(self._state.assignments.values())

    def holders(self, role: str) -> tuple[str, ...]:
        """Return the members holding ``role`` now, in the order they took it.

        Raises
        ------
        UnknownKeyError
            For a role not in ``roles``.
        """
        check_str(role, "role")
        if role not in self.roles:
            raise UnknownKeyError("role", role, self.roles.keys())
        return self._state.holders.get(role, ())

    @property
    def actions(self) -> tuple[Action, ...]:
        """The actions, in the order they were created."""
        return tuple(self._state.actions.values())

    def action(self, key: str) -> Action:
        """Return the action ``key``.

        Raises
        ------
        UnknownKeyError
            If the crisis has no such action (suggesting close keys).
        """
        check_str(key, "key")
        return _find_action(self._state, key, "")

    def overdue_actions(self, as_of: dt.datetime) -> tuple[Action, ...]:
        """Return the outstanding actions whose deadline is before ``as_of``.

        Actions left outstanding when a crisis ended stay outstanding (no
        command moves them on a closed crisis); `crisisops.response.metrics`
        judges them at the end, not at a later ``as_of``.

        Raises
        ------
        InvalidTypeError, NaiveDatetimeError
            If ``as_of`` is not a timezone-aware datetime.
        """
        moment = check_aware(as_of, "as_of")
        return tuple(a for a in self._state.actions.values() if a.is_overdue(moment))

    @property
    def playbooks(self) -> FrozenDict[str, dt.datetime]:
        """The activated playbooks' keys and when each was activated."""
        return FrozenDict(self._state.playbooks.items())

    @property
    def communications(self) -> tuple[CommunicationRecorded, ...]:
        """The messages sent, oldest first."""
        return self._state.communications.to_tuple()

    @property
    def feedback(self) -> tuple[FeedbackRecorded, ...]:
        """The feedback batches recorded, oldest first."""
        return self._state.feedback.to_tuple()

    @property
    def strategy_adjustments(self) -> tuple[StrategyAdjusted, ...]:
        """The strategy adjustments, oldest first."""
        return self._state.adjustments.to_tuple()

    @property
    def resources(self) -> FrozenDict[str, float]:
        """The latest committed amount per resource key."""
        return FrozenDict(self._state.resources.items())

    @property
    def losses(self) -> tuple[LossRecorded, ...]:
        """The business losses recorded, oldest first."""
        return self._state.losses.to_tuple()

    @property
    def merged_into(self) -> str | None:
        """The key of the crisis this one was merged into, if merged."""
        return self._state.merged_into

    @property
    def reopen_count(self) -> int:
        """How many times the crisis was reopened."""
        return self._state.reopen_count

    @property
    def ended_at(self) -> dt.datetime | None:
        """When the crisis last stopped (resolved, dismissed, merged), else ``None``."""
        return self._state.ended_at
