"""Benchmark: folding and extending a crisis event log (issue #7).

Two measurements:

1. **Fold**: rebuild a crisis from 100,000 events (``Crisis.from_events``)
   and report events per second.
2. **Commands**: apply 10,000 commands one by one to a crisis whose log
   already holds 1,000 events and to one whose log holds 100,000, and report
   the time per command for each. A command checks itself against the current
   state and appends one event; it never replays or copies the log, so the
   two times should be about equal (ratio ≈ 1). The reference, measured in the
   same run, is what an event-sourced aggregate without persistent state pays:
   rebuilding the crisis from its whole log for every command
   (``Crisis.from_events(events + [event])``), timed on a sample of commands.

The commands are timed twice: with the garbage collector as it is, and
after ``gc.freeze()`` has moved the long-lived logs out of its reach. The
first shows what a process holding a 100,000-event crisis sees (CPython's full
collections walk every live object, so a big heap slows all allocating code);
the second isolates the cost of the command itself.

The command mix is a busy crisis: actions assigned, started and completed,
feedback batches, stakeholder updates, and the level escalated and
de-escalated in turn.

Run with ``python benchmarks/bench_response.py [events] [commands]``.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import time

from crisisops.response import (
    Crisis,
    FeedbackChannel,
)
from crisisops.stakeholders import Channel
from crisisops.taxonomy import ResponseLevel

START = dt.datetime(2026, 11, 11, tzinfo=dt.timezone.utc)
STEP = dt.timedelta(seconds=1)


def declared() -> Crisis:
    """Return a confirmed traffic-drop crisis with a lead and a deputy."""
    crisis = Crisis.declare(
        "traffic_drop_2026_11",
        title="Traffic fell 40% after the platform outage",
        crisis_type="market.traffic_swing",
        level=ResponseLevel.III,
        at=START,
        actor="monitoring",
        lead="mei",
    )
    crisis = crisis.assign_role("deputy_lead", "jun", at=START, actor="mei")
    return crisis.confirm(
        at=START, actor="mei", root_cause="search ranking lost in the outage"
    )


def _assign(crisis: Crisis, at: dt.datetime, index: int) -> Crisis:
    return crisis.assign_action(
        f"step_{index // 6}",
        at=at,
        actor="mei",
        title="Restore a traffic source",
        owner="jun",
        due_at=at + dt.timedelta(hours=4),
        done_when="the source's sessions are back to baseline",
    )


def _start(crisis: Crisis, at: dt.datetime, index: int) -> Crisis:
    return crisis.start_action(f"step_{index // 6}", at=at, actor="jun")


def _feedback(crisis: Crisis, at: dt.datetime, index: int) -> Crisis:
    return crisis.record_feedback(
        at=at,
        actor="cs_bot",
        channel=FeedbackChannel.ONLINE_SERVICE,
        volume=40 + index % 17,
        sentiment=-0.2,
    )


def _complete(crisis: Crisis, at: dt.datetime, index: int) -> Crisis:
    return crisis.complete_action(f"step_{index // 6}", at=at, actor="jun")


def _update(crisis: Crisis, at: dt.datetime, _index: int) -> Crisis:
    return crisis.record_communication(
        at=at,
        actor="mei",
        audience="customers",
        channel=Channel.SOCIAL_MEDIA,
        internal=False,
        summary="We are restoring search traffic; next update in 1 h.",
    )


def _level(crisis: Crisis, at: dt.datetime, index: int) -> Crisis:
    if (index // 6) % 2 == 0:
        return crisis.escalate(at=at, actor="mei", reason="sessions still falling")
    return crisis.de_escalate(at=at, actor="mei", reason="sessions stable again")


#: The busy mix, one command of each kind in turn.
MIX = (_assign, _start, _feedback, _complete, _update, _level)


def command(crisis: Crisis, at: dt.datetime, index: int) -> Crisis:
    """Apply the ``index``-th command of the busy mix."""
    return MIX[index % len(MIX)](crisis, at, index)


def grown(events: int) -> tuple[Crisis, int]:
    """Return a crisis with ``events`` events and the next command index."""
    crisis = declared()
    index = 0
    at = START
    while crisis.version < events:
        at += STEP
        crisis = command(crisis, at, index)
        index += 1
    return crisis, index


def time_commands(crisis: Crisis, first: int, count: int) -> float:
    """Apply ``count`` commands from index ``first``; return seconds per command."""
    at = crisis.last_event_at
    started = time.perf_counter()
    for index in range(first, first + count):
        at += STEP
        crisis = command(crisis, at, index)
    return (time.perf_counter() - started) / count


def time_replay(crisis: Crisis, first: int, count: int) -> float:
    """Seconds per command when every command replays the whole log."""
    events = list(crisis.events)
    at = crisis.last_event_at
    roles, catalog = crisis.roles, crisis.catalog
    elapsed = 0.0
    for index in range(first, first + count):
        at += STEP
        event = command(crisis, at, index).events[-1]
        started = time.perf_counter()
        crisis = Crisis.from_events([*events, event], roles=roles, catalog=catalog)
        elapsed += time.perf_counter() - started
        events.append(event)
    return elapsed / count


def main() -> None:
    """Run both measurements and print the ratios."""
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    commands = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    small_size = min(1_000, total)

    big, big_next = grown(total)
    events = big.events
    started = time.perf_counter()
    rebuilt = Crisis.from_events(events, roles=big.roles, catalog=big.catalog)
    fold = time.perf_counter() - started
    assert rebuilt == big
    rate = len(events) / fold
    print(f"fold: {len(events):,} events in {fold:.2f} s = {rate:,.0f} events/s")

    small, small_next = grown(small_size)
    time_commands(small, small_next, min(commands, 1_000))  # warm up
    for label, frozen in (("gc as is", False), ("old objects frozen", True)):
        if frozen:
            # CPython's full collections walk every live object, so a large
            # heap (the 100,000-event log) slows any code that allocates;
            # gc.freeze() is the documented remedy for long-lived data.
            gc.collect()
            gc.freeze()
        per_small = time_commands(small, small_next, commands)
        per_big = time_commands(big, big_next, commands)
        print(
            f"commands ({label}): {commands:,} applied one by one; "
            f"{per_small * 1e6:.1f} µs each after {small.version:,} events, "
            f"{per_big * 1e6:.1f} µs each after {big.version:,} events "
            f"(ratio {per_big / per_small:.2f}; 1.00 = no growth with the log)"
        )
    gc.unfreeze()
    sample = max(1, min(commands, 200))
    replay_small = time_replay(small, small_next, sample)
    replay_big = time_replay(big, big_next, max(1, sample // 20))
    print(
        f"reference (replay the log per command): "
        f"{replay_small * 1e6:,.0f} µs after {small.version:,} events, "
        f"{replay_big * 1e6:,.0f} µs after {big.version:,} events; "
        f"crisisops is {replay_small / per_small:,.0f}x and "
        f"{replay_big / per_big:,.0f}x faster"
    )


if __name__ == "__main__":
    main()
