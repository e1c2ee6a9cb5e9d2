"""A state machine issuing random commands, valid and invalid, to a crisis.

After every step the crisis equals its own replay (``from_events``) in every
value of its read API, and the invariants hold: one lead at every moment,
milestones in order, terminal statuses left only by a reopen (never from
MERGED), and a refused command changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from crisisops._time import instant
from crisisops.errors import CrisisOpsError
from crisisops.labels import Labels
from crisisops.planning import Playbook, PlaybookStep, StrategyFamily, default_playbooks
from crisisops.response.crisis import LEAD_ROLE, Crisis
from crisisops.response.events import CrisisReopened
from crisisops.response.lifecycle import CrisisMode, CrisisStatus, Milestone, Milestones
from crisisops.response.records import ActionStatus, FeedbackChannel, LossCategory
from crisisops.stakeholders import Channel
from crisisops.taxonomy import ResponseLevel
from tests.response.test_crisis import read_api

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

MEMBERS = st.sampled_from(["m0", "m1", "m2", "m3"])
ROLES = st.sampled_from([LEAD_ROLE, LEAD_ROLE, "scribe", "data_analyst", "ceo"])
ACTION_KEYS = st.sampled_from(["a0", "a1", "a2", "pb.s1", "pb.s2", "ghost"])
DEPENDENCIES: st.SearchStrategy[list[str]] = st.just([]) | st.lists(
    ACTION_KEYS, max_size=2, unique=True
)
# Mostly forward in time; now and then before the last event (refused).
STEPS = st.integers(min_value=-20, max_value=240).map(lambda m: dt.timedelta(minutes=m))
LEVELS = st.none() | st.sampled_from(ResponseLevel)
# Mostly a reason; now and then a blank one (refused where a reason is needed).
TEXTS = st.sampled_from(["why", "because", "to be safe", "so", ""])

SMALL_PLAYBOOK = Playbook(
    key="pb",
    labels=Labels(en="Small plan", zh_hant="小預案", zh_hans="小预案"),
    steps=(
        PlaybookStep(
            key="s1",
            title="Look",
            owner_role="scribe",
            deadline=dt.timedelta(hours=2),
            duration=dt.timedelta(hours=1),
            done_when="Seen",
        ),
        PlaybookStep(
            key="s2",
            title="Act",
            owner_role="data_analyst",
            deadline=dt.timedelta(hours=6),
            duration=dt.timedelta(hours=2),
            done_when="Done",
            depends_on=("s1",),
        ),
    ),
    min_level=ResponseLevel.IV,
    max_level=ResponseLevel.II,  # not for Level I: activating then is refused
)
PLAYBOOKS = st.sampled_from([SMALL_PLAYBOOK, default_playbooks()["traffic_recovery"]])

Step = Callable[[Crisis], Crisis]


class CrisisMachine(RuleBasedStateMachine):
    """Random commands against one crisis, checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.crisis = Crisis.declare(
            "random_crisis",
            title="A crisis driven by random commands",
            crisis_type="market.traffic_swing",
            level=ResponseLevel.III,
            at=T0,
            actor="m0",
            lead="m0",
            mode=CrisisMode.DRILL,
        )
        self.refused = 0

    def at(self, step: dt.timedelta) -> dt.datetime:
        return self.crisis.last_event_at + step

    def attempt(self, command: Step) -> None:
        """Run ``command``; a refusal must leave the crisis exactly as it was."""
        before = self.crisis
        snapshot = read_api(before)
        try:
            after = command(before)
        except CrisisOpsError:
            self.refused += 1
            assert snapshot == read_api(before)
            return
        assert before.version + 1 == after.version
        assert snapshot == read_api(before)  # the old crisis is untouched
        # The status history only grows, by one entry per change of status.
        history = before.status_changes
        assert history == after.status_changes[: len(history)]
        if after.status is before.status:
            assert history == after.status_changes
        else:
            assert ((after.last_event_at, after.status),) == (
                after.status_changes[len(history) :]
            )
        if before.status.is_terminal and after.status is not before.status:
            assert before.status is not CrisisStatus.MERGED
            assert isinstance(after.events[-1], CrisisReopened)
        self.crisis = after

    # --- lifecycle ------------------------------------------------------------

    @rule(step=STEPS, cause=TEXTS, reclassify=st.booleans())
    def confirm(self, *, step: dt.timedelta, cause: str, reclassify: bool) -> None:
        kind = "market.brand_damage" if reclassify else None
        self.attempt(
            lambda c: c.confirm(
                at=self.at(step), actor="m0", root_cause=cause, crisis_type=kind
            )
        )

    @rule(step=STEPS, reason=TEXTS)
    def dismiss(self, *, step: dt.timedelta, reason: str) -> None:
        self.attempt(lambda c: c.dismiss(at=self.at(step), actor="m0", reason=reason))

    # Mostly into itself (refused): a merge ends the walk for good.
    @rule(step=STEPS, into=st.sampled_from(["random_crisis"] * 3 + ["other_crisis"]))
    def merge(self, *, step: dt.timedelta, into: str) -> None:
        self.attempt(
            lambda c: c.merge_into(into, at=self.at(step), actor="m0", reason="dup")
        )

    @rule(step=STEPS)
    def contain(self, *, step: dt.timedelta) -> None:
        self.attempt(lambda c: c.mark_contained(at=self.at(step), actor="m0"))

    @rule(step=STEPS)
    def recover(self, *, step: dt.timedelta) -> None:
        self.attempt(lambda c: c.mark_recovered(at=self.at(step), actor="m0"))

    @rule(step=STEPS)
    def resolve(self, *, step: dt.timedelta) -> None:
        self.attempt(lambda c: c.resolve(at=self.at(step), actor="m0"))

    @rule(step=STEPS)
    def review(self, *, step: dt.timedelta) -> None:
        self.attempt(lambda c: c.mark_reviewed(at=self.at(step), actor="m0"))

    @rule(step=STEPS, reason=TEXTS)
    def reopen(self, *, step: dt.timedelta, reason: str) -> None:
        self.attempt(lambda c: c.reopen(at=self.at(step), actor="m0", reason=reason))

    @rule(step=STEPS, choice=st.integers(min_value=0, max_value=5))
    def move_forward(self, *, step: dt.timedelta, choice: int) -> None:
        """Take a step the lifecycle allows (random rules rarely line them up)."""
        forward: dict[CrisisStatus, list[Step]] = {
            CrisisStatus.DETECTED: [
                lambda c: c.confirm(at=self.at(step), actor="m0", root_cause="found")
            ],
            CrisisStatus.CONFIRMED: [
                lambda c: c.activate_playbook(
                    SMALL_PLAYBOOK, at=self.at(step), actor="m0"
                ),
                lambda c: c.mark_contained(at=self.at(step), actor="m0"),
            ],
            CrisisStatus.RESPONDING: [
                lambda c: c.mark_contained(at=self.at(step), actor="m0")
            ],
            CrisisStatus.CONTAINED: [
                lambda c: c.mark_recovered(at=self.at(step), actor="m0")
            ],
            CrisisStatus.RECOVERING: [
                lambda c: c.resolve(at=self.at(step), actor="m0")
            ],
            CrisisStatus.RESOLVED: [
                lambda c: c.mark_reviewed(at=self.at(step), actor="m0"),
                lambda c: c.reopen(at=self.at(step), actor="m0", reason="again"),
            ],
            CrisisStatus.REVIEWED: [
                lambda c: c.reopen(at=self.at(step), actor="m0", reason="again")
            ],
            CrisisStatus.DISMISSED: [
                lambda c: c.reopen(at=self.at(step), actor="m0", reason="real")
            ],
            CrisisStatus.MERGED: [],
        }
        options = forward[self.crisis.status]
        if options:
            self.attempt(options[choice % len(options)])

    @rule(step=STEPS, choice=st.integers(min_value=0))
    def work_on_an_action(self, *, step: dt.timedelta, choice: int) -> None:
        """Move an existing action on: start, complete or unblock it."""
        actions = self.crisis.actions
        if not actions:
            return
        action = actions[choice % len(actions)]
        if action.status is ActionStatus.IN_PROGRESS:
            self.attempt(
                lambda c: c.complete_action(action.key, at=self.at(step), actor="m1")
            )
        else:
            self.attempt(
                lambda c: c.start_action(action.key, at=self.at(step), actor="m1")
            )

    # --- levels and roles ----------------------------------------------------------

    @rule(step=STEPS, to=LEVELS, up=st.booleans(), reason=TEXTS)
    def change_level(
        self, *, step: dt.timedelta, to: ResponseLevel | None, up: bool, reason: str
    ) -> None:
        if up:
            self.attempt(
                lambda c: c.escalate(at=self.at(step), actor="m0", reason=reason, to=to)
            )
        else:
            self.attempt(
                lambda c: c.de_escalate(
                    at=self.at(step), actor="m0", reason=reason, to=to
                )
            )

    @rule(step=STEPS, role=ROLES, member=MEMBERS)
    def assign_role(self, *, step: dt.timedelta, role: str, member: str) -> None:
        self.attempt(
            lambda c: c.assign_role(role, member, at=self.at(step), actor="m0")
        )

    @rule(step=STEPS, role=ROLES, member=MEMBERS)
    def relinquish_role(self, *, step: dt.timedelta, role: str, member: str) -> None:
        self.attempt(
            lambda c: c.relinquish_role(role, member, at=self.at(step), actor="m0")
        )

    # --- actions -------------------------------------------------------------------

    @rule(
        step=STEPS,
        key=ACTION_KEYS,
        owner=MEMBERS,
        due=st.integers(min_value=-60, max_value=600),
        deps=DEPENDENCIES,
    )
    def assign_action(
        self, *, step: dt.timedelta, key: str, owner: str, due: int, deps: list[str]
    ) -> None:
        def command(c: Crisis) -> Crisis:
            at = self.at(step)
            return c.assign_action(
                key,
                at=at,
                actor="m0",
                title="Do it",
                owner=owner,
                due_at=at + dt.timedelta(minutes=due),
                done_when="Done",
                depends_on=deps,
            )

        self.attempt(command)

    @rule(
        step=STEPS,
        key=ACTION_KEYS,
        verb=st.sampled_from(["start", "complete", "block", "cancel"]),
        reason=TEXTS,
    )
    def move_action(
        self, *, step: dt.timedelta, key: str, verb: str, reason: str
    ) -> None:
        def command(c: Crisis) -> Crisis:
            at = self.at(step)
            if verb == "start":
                return c.start_action(key, at=at, actor="m1")
            if verb == "complete":
                return c.complete_action(key, at=at, actor="m1", note=reason)
            if verb == "block":
                return c.block_action(key, at=at, actor="m1", reason=reason)
            return c.cancel_action(key, at=at, actor="m1", reason=reason)

        self.attempt(command)

    @rule(
        step=STEPS,
        key=ACTION_KEYS,
        owner=st.none() | MEMBERS,
        due=st.none() | st.integers(min_value=-60, max_value=600),
    )
    def reassign_action(
        self, *, step: dt.timedelta, key: str, owner: str | None, due: int | None
    ) -> None:
        def command(c: Crisis) -> Crisis:
            at = self.at(step)
            due_at = None if due is None else at + dt.timedelta(minutes=due)
            return c.reassign_action(
                key, at=at, actor="m0", reason="shift", owner=owner, due_at=due_at
            )

        self.attempt(command)

    @rule(step=STEPS, playbook=PLAYBOOKS, named=st.none() | MEMBERS)
    def activate_playbook(
        self, *, step: dt.timedelta, playbook: Playbook, named: str | None
    ) -> None:
        owners = None if named is None else {"scribe": named}
        self.attempt(
            lambda c: c.activate_playbook(
                playbook, at=self.at(step), actor="m0", owners=owners
            )
        )

    # --- records -----------------------------------------------------------------

    @rule(step=STEPS, promise=st.none() | st.integers(-30, 120), final=st.booleans())
    def communicate(
        self, *, step: dt.timedelta, promise: int | None, final: bool
    ) -> None:
        def command(c: Crisis) -> Crisis:
            at = self.at(step)
            nxt = None if promise is None else at + dt.timedelta(minutes=promise)
            return c.record_communication(
                at=at,
                actor="m2",
                audience="customers",
                channel=Channel.SOCIAL_MEDIA,
                internal=False,
                summary="Update",
                next_update_at=nxt,
                final=final,
            )

        self.attempt(command)

    @rule(
        step=STEPS,
        volume=st.integers(-1, 500),
        sentiment=st.none() | st.floats(-1.2, 1.2),
        visits=st.floats(0, 1e6),
    )
    def feedback(
        self, *, step: dt.timedelta, volume: int, sentiment: float | None, visits: float
    ) -> None:
        self.attempt(
            lambda c: c.record_feedback(
                at=self.at(step),
                actor="m3",
                channel=FeedbackChannel.SOCIAL_MEDIA,
                volume=volume,
                sentiment=sentiment,
                kpis={"traffic.visits": visits},
            )
        )

    @rule(step=STEPS, reason=TEXTS)
    def adjust(self, *, step: dt.timedelta, reason: str) -> None:
        self.attempt(
            lambda c: c.adjust_strategy(
                at=self.at(step),
                actor="m0",
                summary="More ads",
                reason=reason,
                families=[StrategyFamily.RESOURCES],
            )
        )

    @rule(
        step=STEPS,
        amount=st.integers(-5, 1000),
        key=st.sampled_from(["money.ads", "people.cs"]),
    )
    def reallocate(self, *, step: dt.timedelta, amount: int, key: str) -> None:
        self.attempt(
            lambda c: c.reallocate_resources(
                at=self.at(step), actor="m0", amounts={key: amount}, reason="shift"
            )
        )

    @rule(step=STEPS, cents=st.integers(-100, 10**7))
    def loss(self, *, step: dt.timedelta, cents: int) -> None:
        self.attempt(
            lambda c: c.record_loss(
                at=self.at(step),
                actor="fin",
                category=LossCategory.LOST_SALES,
                amount=Decimal(cents) / 100,
            )
        )

    @precondition(lambda self: self.crisis.version > 1)
    @rule(choice=st.integers(min_value=0))
    def replay_a_stored_event_again(self, *, choice: int) -> None:
        """Appending an old event again is refused (wrong sequence or time)."""
        events = self.crisis.events
        old = events[choice % len(events)]
        self.attempt(lambda c: c.append(old))

    # --- invariants ----------------------------------------------------------------

    @invariant()
    def equals_its_replay(self) -> None:
        replayed = Crisis.from_events(self.crisis.events)
        assert self.crisis == replayed
        assert read_api(self.crisis) == read_api(replayed)

    @invariant()
    def has_exactly_one_lead_at_every_moment(self) -> None:
        crisis = self.crisis
        assert (crisis.lead,) == crisis.holders(LEAD_ROLE)
        spans = [a for a in crisis.role_assignments if a.role == LEAD_ROLE]
        assert 1 == sum(a.relinquished_at is None for a in spans)
        assert crisis.lead == spans[-1].member
        assert crisis.declared_at == spans[0].assumed_at
        for before, after in itertools.pairwise(spans):
            # Each lead's time ends exactly when the next one's begins.
            assert before.relinquished_at == after.assumed_at
            assert before.member == after.handoff_from

    @invariant()
    def keeps_milestones_in_order(self) -> None:
        marks = self.crisis.milestones
        Milestones(**attrs.asdict(marks))  # re-validates the order
        moments = [marks.get(m) for m in Milestone]
        known = [instant(m) for m in moments if m is not None]
        assert known == sorted(known)
        assert marks.declared == self.crisis.declared_at
        if self.crisis.status.is_active:
            assert self.crisis.ended_at is None

    @invariant()
    def active_periods_follow_the_ends_and_reopenings(self) -> None:
        crisis = self.crisis
        periods = crisis.active_periods
        assert crisis.reopen_count + 1 == len(periods)
        assert crisis.declared_at == periods[0][0]
        assert crisis.ended_at == periods[-1][1]
        assert crisis.status.is_active == (periods[-1][1] is None)
        bounds = [instant(m) for period in periods for m in period if m is not None]
        assert bounds == sorted(bounds)

    @invariant()
    def actions_are_consistent(self) -> None:
        actions = {a.key: a for a in self.crisis.actions}
        for action in actions.values():
            assert set(action.depends_on) <= set(actions)
            if action.status.value in ("in_progress", "done"):
                assert all(actions[d].status.value == "done" for d in action.depends_on)


CrisisMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCrisisMachine = CrisisMachine.TestCase
