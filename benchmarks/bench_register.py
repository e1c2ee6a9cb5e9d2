"""Benchmark: one change to a risk register, incremental against a full replay.

`RiskRegister.add`, `update`, `replace`, `assess` and `retire` check the one
new change against the register's current state and build the next register
from it, without replaying. The reference is what every change used to
cost, measured in the same run: rebuilding the register from its whole
history, ``RiskRegister(history=(*history, change))``, which replays and
re-checks every change.

The first table is for registers of 100, 1,000 and 5,000 risks, per change:

* ``add`` – building the register by N adds, total time / N;
* ``update`` – one update of a register that already holds N risks (the
  mean of 200 in a row, each on the register the previous one returned);
* ``rebuild`` – the reference: the same update applied by replaying the
  history of N + 1 changes (best of 3); ``ratio`` is rebuild / update.

The second table keeps 100 risks and grows the history (every risk updated
again and again): an update must not get slower as the history grows.

Both ways must give equal registers (asserted); nothing about time is
asserted. Run with ``python benchmarks/bench_register.py``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import partial

from crisisops.risk.register import (
    Risk,
    RiskRegister,
    RiskSourceCatalog,
    default_sources,
)

SIZES = (100, 1_000, 5_000)
HISTORIES = (1_000, 10_000)
UPDATES = 200
REPEATS = 3
AT = dt.datetime(2026, 4, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def best_of(repeats: int, action: Callable[[], object]) -> float:
    """Return the fastest of ``repeats`` timings of ``action()`` in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def make_risks(n: int) -> list[Risk]:
    """Return ``n`` distinct risks of a shop's register."""
    return [
        Risk(
            key=f"risk_{index:05d}",
            title=f"Risk number {index}",
            crisis_type="market.competition",
            source="market.competition",
            owner_role="risk_office",
        )
        for index in range(n)
    ]


def build(risks: list[Risk], sources: RiskSourceCatalog) -> RiskRegister:
    """Add the risks one by one: the incremental path."""
    register = RiskRegister(sources=sources)
    for risk in risks:
        register = register.add(risk, at=AT, by="risk_office")
    return register


def update_all(register: RiskRegister, keys: list[str], round_: int) -> RiskRegister:
    """Update the title of each key once, in a row: the incremental path."""
    for key in keys:
        register = register.update(key, at=AT, by="ops", title=f"{key} v{round_}")
    return register


def compare(register: RiskRegister, keys: list[str]) -> tuple[float, float]:
    """Return the seconds per update, incremental and by replaying the history."""
    incremental = best_of(REPEATS, lambda: update_all(register, keys, -1)) / len(keys)
    changed = register.update(keys[0], at=AT, by="ops", title="rebuilt")
    history = changed.history  # the register's history and the update
    sources = register.sources
    rebuild = best_of(REPEATS, lambda: RiskRegister(history=history, sources=sources))
    replayed = RiskRegister(history=history, sources=sources)
    assert changed == replayed
    assert changed.risks == replayed.risks
    return incremental, rebuild


def main() -> None:
    """Time both paths for each size and print the per-change times and ratio."""
    sources = default_sources()
    compare(build(make_risks(100), sources), ["risk_00000"])  # warm up
    print("Time per change in µs; rebuild = replay the whole history (the old way)")
    print(f"\n{'risks':>6} {'add':>8} {'update':>8} {'rebuild':>10} {'ratio':>7}")
    for n in SIZES:
        risks = make_risks(n)
        register = build(risks, sources)
        add = best_of(REPEATS, partial(build, risks, sources)) / n
        keys = [risk.key for risk in risks[:UPDATES]]
        incremental, rebuild = compare(register, keys)
        print(
            f"{n:>6,} {add * 1e6:>8.1f} {incremental * 1e6:>8.1f} "
            f"{rebuild * 1e6:>10.1f} {rebuild / incremental:>6.0f}x"
        )

    print(f"\n{'risks':>6} {'history':>8} {'update':>8} {'rebuild':>10} {'ratio':>7}")
    risks = make_risks(100)
    keys = [risk.key for risk in risks]
    for length in HISTORIES:
        register = build(risks, sources)
        for round_ in range((length - len(risks)) // len(keys)):
            register = update_all(register, keys, round_)
        incremental, rebuild = compare(register, keys)
        print(
            f"{len(register):>6,} {len(register.history):>8,} "
            f"{incremental * 1e6:>8.1f} {rebuild * 1e6:>10.1f} "
            f"{rebuild / incremental:>6.0f}x"
        )


if __name__ == "__main__":
    main()
