"""Spread of negative opinion: exact probabilities, interventions, CRN, bad input."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    CrisisOpsError,
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import diffusion
from crisisops.stakeholders.diffusion import (
    MAX_RUNS,
    DiffusionModel,
    DiffusionNetwork,
    Intervention,
    InterventionEffect,
    SpreadComparison,
    SpreadResult,
    compare_interventions,
    simulate_spread,
)
from crisisops.stakeholders.graph import Influence, Stakeholder, StakeholderGraph

IC = DiffusionModel.INDEPENDENT_CASCADE
LT = DiffusionModel.LINEAR_THRESHOLD
STOP = InterventionEffect.STOP_SPREADING
NEUTRAL = InterventionEffect.NEUTRAL

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "concepts" / "stakeholders-diffusion.md"
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)

RUNS = 20_000  # tiny graphs: 20,000 runs take milliseconds


def chain(p1: float, p2: float) -> DiffusionNetwork:
    return DiffusionNetwork.from_arcs(["a", "b", "c"], [("a", "b", p1), ("b", "c", p2)])


def diamond(pab: float, pac: float, pbd: float, pcd: float) -> DiffusionNetwork:
    return DiffusionNetwork.from_arcs(
        ["a", "b", "c", "d"],
        [("a", "b", pab), ("a", "c", pac), ("b", "d", pbd), ("c", "d", pcd)],
    )


def close(expected: float, estimate: float, runs: int = RUNS) -> bool:
    """Within 4.5 Monte Carlo standard errors of a probability (or mean <= 1)."""
    se = math.sqrt(max(expected * (1.0 - expected), 1e-12) / runs)
    return abs(estimate - expected) <= 4.5 * se + 1e-12


def random_network(seed: int, n: int = 12, arcs: int = 30) -> DiffusionNetwork:
    rng = np.random.default_rng(seed)
    pairs = {(int(u), int(v)) for u, v in rng.integers(0, n, size=(arcs, 2)) if u != v}
    keys = [f"s{i}" for i in range(n)]
    weights = rng.uniform(0.05, 0.7, len(pairs))
    return DiffusionNetwork.from_arcs(
        keys,
        [
            (keys[u], keys[v], float(w))
            for (u, v), w in zip(sorted(pairs), weights, strict=True)
        ],
    )


# --- vocabulary -------------------------------------------------------------------


def test_models_and_effects_carry_bilingual_labels() -> None:
    assert "獨立級聯模型" == IC.labels.zh_hant
    assert "线性阈值模型" == LT.labels.zh_hans
    assert "停止傳播" == STOP.labels.zh_hant
    assert "Turns neutral" == NEUTRAL.labels.en


# --- the network ------------------------------------------------------------------


def test_from_arcs_builds_csr_by_source_keeping_arc_order() -> None:
    net = DiffusionNetwork.from_arcs(
        ["a", "b", "c"], [("b", "c", 0.3), ("a", "c", 0.2), ("a", "b", 1.0)]
    )
    # hand-built CSR: a -> c, a -> b (given order), b -> c, c has none
    assert [0, 2, 3, 3] == net.indptr.tolist()
    assert [2, 1, 2] == net.targets.tolist()
    assert [0.2, 1.0, 0.3] == net.weights.tolist()
    assert [0, 1, 2] == net.in_degree().tolist()
    assert [2, 1, 0] == net.out_degree().tolist()
    assert [0.0, 1.0, 0.5] == net.in_weight_sums().round(12).tolist()
    assert (3, 3) == (net.node_count, net.arc_count)
    assert 1 == net.index("b")
    assert not net.indptr.flags.writeable
    assert not net.weights.flags.writeable


def test_from_csr_names_nodes_by_index_and_copies_writable_input() -> None:
    indptr = np.array([0, 1, 1])
    net = DiffusionNetwork.from_csr(indptr, [1], [0.5])
    indptr[1] = 0
    assert ("0", "1") == net.keys
    assert [0, 1, 1] == net.indptr.tolist()


def test_presets_replace_the_weights() -> None:
    net = diamond(0.1, 0.2, 0.3, 0.4)
    assert [0.05] * 4 == net.with_uniform_probability(0.05).weights.tolist()
    # weighted cascade: 1/indeg(target); b and c have one in-arc, d has two
    assert [1.0, 1.0, 0.5, 0.5] == net.with_weighted_cascade().weights.tolist()
    assert net.keys == net.with_weighted_cascade().keys
    assert [0.1, 0.2, 0.3, 0.4] == net.weights.tolist()  # unchanged


def test_a_stakeholder_graph_gives_its_influence_weights() -> None:
    def person(key: str, kind: str) -> Stakeholder:
        return Stakeholder(
            key=key,
            name=key.title(),
            kind=kind,
            power=0.5,
            legitimacy=0.5,
            urgency=0.5,
            interest=0.5,
        )

    graph = StakeholderGraph(
        stakeholders=[
            person("kol", "influencers"),
            person("buyers", "customers"),
            person("press", "media"),
        ],
        influences=[
            Influence(source="kol", target="buyers", weight=1.0),
            Influence(source="buyers", target="press", weight=1.0),
        ],
    )
    net = DiffusionNetwork.from_graph(graph)
    assert graph.keys == net.keys
    assert [1, 2] == net.targets.tolist()
    result = simulate_spread(graph, ["kol"], runs=10, rng=1)  # a graph works too
    assert [3] * 10 == result.reach.tolist()
    with pytest.raises(InvalidTypeError, match="'graph'"):
        DiffusionNetwork.from_graph(net)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "error", "text"),
    [
        (
            lambda: DiffusionNetwork.from_csr([0, 1], [0], [1.5]),
            ValidationError,
            "weights",
        ),
        (
            lambda: DiffusionNetwork.from_csr(
                [0, 1, 2], [1, 0], [0.5, math.nan], keys=["a", "b"]
            ),
            ValidationError,
            "weights\\[1\\] \\(arc 'b' -> 'a'\\)",
        ),
        (lambda: chain(0.5, math.nan), ValidationError, "arcs\\[1\\] weight"),
        (
            lambda: DiffusionNetwork.from_csr([0, 1], [3], [0.5]),
            ValidationError,
            "targets",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0, 2], [0], [0.5]),
            ValidationError,
            "indptr",
        ),
        (
            lambda: DiffusionNetwork.from_csr([1, 1], [0], [0.5]),
            ValidationError,
            "indptr",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0, 1, 0], [0], [0.5]),
            ValidationError,
            "indptr",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0, 1], [0], [0.5, 0.5]),
            ValidationError,
            "weights",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0, 1], [0.5], [0.5]),
            InvalidTypeError,
            "targets",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0], [], [], keys=[]),
            ValidationError,
            "keys",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0, 0, 0], [], [], keys=["a", "a"]),
            DuplicateKeyError,
            "'a'",
        ),
        (
            lambda: DiffusionNetwork.from_arcs(["a"], [("a", "x", 0.5)]),
            UnknownKeyError,
            "arcs\\[0\\] target",
        ),
        (
            lambda: DiffusionNetwork.from_arcs(["a", "b"], [("a", "b")]),  # type: ignore[list-item]
            InvalidTypeError,
            "arcs",
        ),
        (
            lambda: DiffusionNetwork.from_arcs(["a", "b"], [("a", "b", -0.1)]),
            ValidationError,
            "weight",
        ),
        (lambda: chain(0.5, 0.5).with_uniform_probability(2.0), ValidationError, "'p'"),
        (
            lambda: chain(0.5, 0.5).with_uniform_probability(math.nan),
            ValidationError,
            "'p'",
        ),
        (
            lambda: chain(0.5, 0.5).with_uniform_probability(True),  # noqa: FBT003
            InvalidTypeError,
            "'p'",
        ),
        (
            lambda: DiffusionNetwork.from_arcs(["a", "b"], [("a", "b", True)]),
            InvalidTypeError,
            "arcs\\[0\\] weight",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0, 1], [0], [True]),
            InvalidTypeError,
            "weights",
        ),
        (
            lambda: DiffusionNetwork.from_csr([0, 1], [0], ["0.5"]),
            InvalidTypeError,
            "weights",
        ),
        (
            lambda: DiffusionNetwork.from_arcs("ab", [("a", "b", 0.5)]),
            InvalidTypeError,
            "keys",
        ),
        (lambda: chain(0.5, 0.5).index("z"), UnknownKeyError, "'z'"),
        (lambda: chain(0.5, 0.5).index(0), InvalidTypeError, "'key'"),  # type: ignore[arg-type]
    ],
)
def test_bad_networks_are_refused_naming_the_field(
    build: object, error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text):
        build()  # type: ignore[operator]


# --- independent cascade: exact probabilities by hand -----------------------------


@pytest.mark.parametrize("p", [0.3, 0.5, 0.8])
def test_a_chain_of_two_arcs_reaches_its_end_with_p_squared(p: float) -> None:
    result = simulate_spread(chain(p, p), ["a"], runs=RUNS, rng=11)
    assert close(p, result.probability("b"))
    assert close(p * p, result.probability("c"))
    assert 1.0 == result.probability("a")
    # per-step means by hand: 1 seed, then p, then p²; reach 1 + p + p²
    assert 3 == result.step_counts.size
    assert close(p, result.step_counts[1])
    assert close(p * p, result.step_counts[2])
    assert abs(result.mean_reach - (1 + p + p * p)) <= 4.5 * result.standard_error


def test_a_chain_with_different_probabilities_multiplies_them() -> None:
    result = simulate_spread(chain(0.6, 0.3), ["a"], runs=RUNS, rng=12)
    assert close(0.6, result.probability("b"))
    assert close(0.18, result.probability("c"))  # 0.6 · 0.3


def test_a_uniform_diamond_reaches_its_sink_by_either_path() -> None:
    p = 0.5
    result = simulate_spread(diamond(p, p, p, p), ["a"], runs=RUNS, rng=13)
    # P(d) = 1 − (1 − p²)² = 1 − 0.75² = 0.4375 (two independent paths)
    assert close(0.4375, result.probability("d"))
    assert close(2 * p / 2, result.step_counts[1] / 2)  # E[new at step 1] = 2p


def test_a_diamond_with_four_probabilities() -> None:
    result = simulate_spread(diamond(0.5, 0.4, 0.6, 0.7), ["a"], runs=RUNS, rng=14)
    # P(d) = 1 − (1 − 0.5·0.6)(1 − 0.4·0.7) = 1 − 0.7·0.72 = 0.496
    assert close(0.496, result.probability("d"))
    assert close(0.5, result.probability("b"))
    assert close(0.4, result.probability("c"))


def test_certain_and_impossible_arcs_are_exact() -> None:
    sure = simulate_spread(chain(1.0, 1.0), ["a"], runs=50, rng=1)
    assert [3] * 50 == sure.reach.tolist()
    assert [1.0, 1.0, 1.0] == sure.step_counts.tolist()
    assert [1.0, 1.0, 1.0] == sure.node_probability.tolist()
    never = simulate_spread(chain(0.0, 0.0), ["a"], runs=50, rng=1)
    assert [1] * 50 == never.reach.tolist()
    assert [1.0] == never.step_counts.tolist()
    half = simulate_spread(chain(1.0, 0.0), ["a"], runs=50, rng=1)
    assert [1.0, 1.0] == half.step_counts.tolist()


def test_max_steps_cuts_the_horizon() -> None:
    result = simulate_spread(chain(1.0, 1.0), ["a"], runs=10, rng=1, max_steps=1)
    assert [2] * 10 == result.reach.tolist()
    assert [1.0, 1.0] == result.step_counts.tolist()
    only_seeds = simulate_spread(chain(1.0, 1.0), ["a"], runs=10, rng=1, max_steps=0)
    assert [1] * 10 == only_seeds.reach.tolist()


def test_geometric_skips_give_independent_coins_on_a_star() -> None:
    leaves = [f"leaf{i}" for i in range(40)]
    star = DiffusionNetwork.from_arcs(
        ["hub", *leaves], [("hub", leaf, 0.2) for leaf in leaves]
    )
    result = simulate_spread(star, ["hub"], runs=RUNS, rng=15)
    reached = result.reach - 1
    # Binomial(40, 0.2): mean 8, variance 6.4 (by hand)
    assert abs(reached.mean() - 8.0) <= 4.5 * math.sqrt(6.4 / RUNS)
    assert abs(reached.var() - 6.4) <= 0.35
    assert all(close(0.2, result.probability(leaf)) for leaf in leaves)


def test_skip_results_do_not_depend_on_the_draw_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    leaves = [f"leaf{i}" for i in range(30)]
    star = DiffusionNetwork.from_arcs(
        ["hub", *leaves], [("hub", leaf, 0.3) for leaf in leaves]
    ).with_uniform_probability(0.3)
    usual = simulate_spread(star, ["hub"], runs=500, rng=3)
    # one draw per round forces every pair through many rounds
    monkeypatch.setattr(diffusion, "_skip_budget", lambda degree, _p: degree * 0 + 1)
    assert usual == simulate_spread(star, ["hub"], runs=500, rng=3)


# --- linear threshold --------------------------------------------------------------


@pytest.mark.parametrize("w", [0.2, 0.5, 0.9])
def test_lt_on_two_nodes_reaches_with_the_weight(w: float) -> None:
    pair = DiffusionNetwork.from_arcs(["a", "b"], [("a", "b", w)])
    result = simulate_spread(pair, ["a"], runs=RUNS, rng=21, model=LT)
    assert close(w, result.probability("b"))  # P(θ ≤ w) = w
    assert LT is result.model


def test_lt_adds_the_weights_of_negative_in_neighbours() -> None:
    net = DiffusionNetwork.from_arcs(
        ["a", "b", "c"], [("a", "c", 0.3), ("b", "c", 0.45)]
    )
    both = simulate_spread(net, ["a", "b"], runs=RUNS, rng=22, model=LT)
    assert close(0.75, both.probability("c"))  # 0.3 + 0.45
    one = simulate_spread(net, ["a"], runs=RUNS, rng=22, model=LT)
    assert close(0.3, one.probability("c"))


def test_lt_on_a_chain_multiplies_and_counts_late_pressure() -> None:
    # thresholds independent: P(c) = 0.6 · 0.5 (by hand)
    result = simulate_spread(chain(0.6, 0.5), ["a"], runs=RUNS, rng=23, model=LT)
    assert close(0.3, result.probability("c"))
    assert close(0.3, result.step_counts[2])
    # c hears from a at step 1 and from b at step 2: P(c) = 0.2 + 0.3 (sums)
    net = DiffusionNetwork.from_arcs(
        ["a", "b", "c"], [("a", "b", 1.0), ("a", "c", 0.2), ("b", "c", 0.3)]
    )
    late = simulate_spread(net, ["a"], runs=RUNS, rng=24, model=LT)
    assert close(0.5, late.probability("c"))
    assert close(0.3, late.step_counts[2])  # θ in (0.2, 0.5]


def test_lt_refuses_in_weights_above_one_naming_the_node() -> None:
    net = DiffusionNetwork.from_arcs(
        ["a", "b", "hub"], [("a", "hub", 0.7), ("b", "hub", 0.6)]
    )
    with pytest.raises(ValidationError, match="in-weights of 'hub'") as caught:
        simulate_spread(net, ["a"], runs=10, rng=1, model=LT)
    assert caught.value.value == pytest.approx(1.3)
    simulate_spread(net, ["a"], runs=10, rng=1)  # fine for IC
    simulate_spread(net.with_weighted_cascade(), ["a"], runs=10, rng=1, model=LT)


# --- reproducibility and the engine's invariances -----------------------------------


def test_the_same_seed_gives_the_same_result() -> None:
    net = random_network(1)
    first = simulate_spread(net, ["s0", "s3"], runs=300, rng=2026)
    assert first == simulate_spread(net, ["s0", "s3"], runs=300, rng=2026)
    assert first != simulate_spread(net, ["s0", "s3"], runs=300, rng=2027)
    generator = np.random.default_rng(5)
    one = simulate_spread(net, ["s0"], runs=100, rng=generator)
    two = simulate_spread(net, ["s0"], runs=100, rng=generator)  # stream advanced
    # a Generator is used as is: its first call equals a fresh Generator(5),
    # and the second call draws new stream keys, so new runs
    assert one == simulate_spread(net, ["s0"], runs=100, rng=np.random.default_rng(5))
    assert one.reach.tolist() != two.reach.tolist()


def tallies_for(
    net: DiffusionNetwork,
    model: DiffusionModel,
    settings: list[tuple[int | None, bool | None]],
) -> list[diffusion._Tally]:
    _, plan = diffusion._plan_arrays(
        net,
        [
            Intervention(nodes=["s2", "s5"], step=2),
            Intervention(nodes=["s7"], step=1, effect=NEUTRAL),
        ],
    )
    return [
        diffusion._spread(
            diffusion._arrays(net),
            np.array([0, 4], dtype=np.int64),
            model=model,
            runs=700,
            keys=(np.uint64(3), np.uint64(4)),
            plan=plan,
            max_steps=None,
            batch_size=batch,
            dense=dense,
        )
        for batch, dense in settings
    ]


def assert_same_tallies(tallies: list[diffusion._Tally]) -> None:
    for tally in tallies[1:]:
        assert np.array_equal(tallies[0].reach, tally.reach)
        assert np.array_equal(tallies[0].step_counts, tally.step_counts)
        assert np.array_equal(tallies[0].node_probability, tally.node_probability)


@pytest.mark.parametrize("kind", ["per-arc IC", "uniform IC", "LT"])
@pytest.mark.parametrize("seed", [1, 2])
def test_batches_and_storage_do_not_change_results(kind: str, seed: int) -> None:
    net = random_network(seed)
    model = LT if kind == "LT" else IC
    if kind == "LT":
        net = net.with_weighted_cascade()
    if kind == "uniform IC":
        net = net.with_uniform_probability(0.35)
    settings: list[tuple[int | None, bool | None]] = [
        (None, None),
        (7, True),
        (7, False),
        (700, False),
        (64, True),
    ]
    assert_same_tallies(tallies_for(net, model, settings))


@pytest.mark.parametrize("model", [IC, LT])
def test_the_sparse_store_gives_the_same_runs_after_moving_to_a_bitmap(
    model: DiffusionModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = random_network(4, n=30, arcs=120)
    if model is LT:
        net = net.with_weighted_cascade()
    reference = tallies_for(net, model, [(700, True)])
    # tiny limits: finished runs are dropped early and batches switch to bits
    monkeypatch.setattr(diffusion, "_FORGET_FROM", 8)
    monkeypatch.setattr(diffusion, "_BITMAP_FROM", 40)
    assert_same_tallies(reference + tallies_for(net, model, [(700, False), (9, False)]))


def test_uniform_probabilities_and_per_arc_coins_agree_in_law() -> None:
    # Nearly uniform weights take the per-arc coin path; uniform ones the skips.
    net = random_network(3).with_uniform_probability(0.3)
    almost = DiffusionNetwork.from_csr(
        net.indptr,
        net.targets,
        np.full(net.arc_count, 0.3) + np.linspace(0, 1e-12, net.arc_count),
        keys=net.keys,
    )
    skips = simulate_spread(net, ["s0"], runs=RUNS, rng=31)
    coins = simulate_spread(almost, ["s0"], runs=RUNS, rng=32)
    se = math.hypot(skips.standard_error, coins.standard_error)
    assert abs(skips.mean_reach - coins.mean_reach) <= 4.5 * se


# --- interventions ------------------------------------------------------------------


def test_silencing_the_middle_of_a_chain_before_step_1_stops_the_spread() -> None:
    quiet = [Intervention(nodes=["b"], step=1)]
    result = simulate_spread(
        chain(0.7, 0.7), ["a"], runs=2_000, rng=41, interventions=quiet
    )
    assert 0.0 == result.probability("c")
    assert close(0.7, result.probability("b"), 2_000)  # b may still be negative
    won = [Intervention(nodes=["b"], step=1, effect=NEUTRAL)]
    neutral = simulate_spread(
        chain(0.7, 0.7), ["a"], runs=2_000, rng=41, interventions=won
    )
    assert [1] * 2_000 == neutral.reach.tolist()
    assert [1.0] == neutral.step_counts.tolist()
    assert won == list(neutral.interventions)


def test_a_neutralised_node_that_was_negative_leaves_the_reach() -> None:
    late = [Intervention(nodes=["b"], step=2, effect=NEUTRAL)]
    result = simulate_spread(chain(1.0, 1.0), ["a"], runs=10, rng=1, interventions=late)
    # b turned negative at step 1, is won over before step 2: c never hears
    assert [1.0, 1.0] == result.step_counts.tolist()
    assert [1] * 10 == result.reach.tolist()
    assert 0.0 == result.probability("b")
    # ...unless the horizon ends before the message arrives
    short = simulate_spread(
        chain(1.0, 1.0), ["a"], runs=10, rng=1, interventions=late, max_steps=1
    )
    assert [2] * 10 == short.reach.tolist()


def test_late_interventions_change_nothing_and_the_earliest_step_counts() -> None:
    net = chain(1.0, 1.0)
    after = [Intervention(nodes=["c"], step=5)]
    assert [3] * 5 == simulate_spread(
        net, ["a"], runs=5, rng=1, interventions=after
    ).reach.tolist()
    twice = [Intervention(nodes=["b"], step=9), Intervention(nodes=["b", "c"], step=2)]
    result = simulate_spread(net, ["a"], runs=5, rng=1, interventions=twice)
    assert [2] * 5 == result.reach.tolist()  # b silent from step 2 on


@pytest.mark.parametrize("effect", [STOP, NEUTRAL])
def test_lt_interventions_withdraw_the_weight_of_silent_nodes(
    effect: InterventionEffect,
) -> None:
    # a -> c (0.4) and b -> c (0.4), both seeds. Silencing b before step 1:
    # c only feels a's 0.4.
    net = DiffusionNetwork.from_arcs(
        ["a", "b", "c"], [("a", "c", 0.4), ("b", "c", 0.4)]
    )
    plan = [Intervention(nodes=["b"], step=1, effect=effect)]
    result = simulate_spread(
        net, ["a", "b"], runs=RUNS, rng=42, model=LT, interventions=plan
    )
    assert close(0.4, result.probability("c"))
    # a chain a -> b -> c with c also pushed by a: b silenced before step 2
    # withdraws its weight after c failed to turn at step 1.
    net = DiffusionNetwork.from_arcs(
        ["a", "b", "c", "d"],
        [("a", "b", 1.0), ("b", "d", 0.5), ("c", "d", 0.5), ("a", "c", 1.0)],
    )
    silence_b = [Intervention(nodes=["b"], step=3, effect=effect)]
    result = simulate_spread(
        net, ["a"], runs=RUNS, rng=43, model=LT, interventions=silence_b
    )
    # b and c turn at step 1; d feels 0.5 + 0.5 = 1 at step 2: always negative
    assert 1.0 == result.probability("d")


def test_lt_silence_after_some_pressure_withdraws_it() -> None:
    # a (seed) -> b (1.0) -> d (0.5); a -> c (1.0) -> e (1.0) -> d (0.5).
    # Step 1: b, c. Step 2: d feels b's 0.5; e turns. Step 3: b silenced, so d
    # feels only e's 0.5 (not 1.0): P(d) = 0.5 instead of 1.
    net = DiffusionNetwork.from_arcs(
        ["a", "b", "c", "d", "e"],
        [
            ("a", "b", 1.0),
            ("a", "c", 1.0),
            ("b", "d", 0.5),
            ("c", "e", 1.0),
            ("e", "d", 0.5),
        ],
    )
    plan = [Intervention(nodes=["b"], step=3)]
    result = compare_interventions(net, ["a"], plan, runs=RUNS, rng=44, model=LT)
    assert 1.0 == result.baseline.probability("d")
    assert close(0.5, result.plan.probability("d"))
    # step 2: e always, d (via b) when θ_d <= 0.5, as without the plan
    assert close(0.5, result.plan.step_counts[2] - 1.0)
    assert 3 == result.plan.step_counts.size  # nothing at step 3: d feels 0.5


def reference_reach(
    net: DiffusionNetwork,
    model: DiffusionModel,
    plan: list[Intervention],
    runs: int,
    seed: int,
) -> np.ndarray:
    """Straightforward one-run-at-a-time simulation of the documented rules."""
    n = net.node_count
    silent = [10**9] * n
    immune = [10**9] * n
    for item in plan:
        for key in item.nodes:
            i = net.index(key)
            if item.effect is NEUTRAL:
                immune[i] = min(immune[i], item.step)
            silent[i] = min(silent[i], item.step)
    out = net.out_degree().tolist()
    starts = net.indptr.tolist()
    targets = net.targets.tolist()
    weights = net.weights.tolist()
    rng = np.random.default_rng(seed)
    reach = []
    for _ in range(runs):  # the reference is plain Python on purpose
        theta = 1.0 - rng.random(n)
        active = {0: 0}
        frontier = [0]
        step = 0
        while frontier:
            step += 1
            new: list[int] = []
            pressure = [0.0] * n
            speakers = frontier if model is IC else list(active)
            for u in speakers:
                if silent[u] <= step:
                    continue
                for j in range(starts[u], starts[u] + out[u]):
                    v = targets[j]
                    if v in active or immune[v] <= step or v in new:
                        continue
                    if model is IC and rng.random() < weights[j]:
                        new.append(v)
                    pressure[v] += weights[j]
            if model is LT:
                new = [
                    v
                    for v in range(n)
                    if v not in active and immune[v] > step and pressure[v] >= theta[v]
                ]
            for v in new:
                active[v] = step
            frontier = new
        reach.append(sum(1 for v in active if immune[v] >= 10**9))
    return np.array(reach)


@pytest.mark.parametrize("model", [IC, LT])
@pytest.mark.parametrize("with_plan", [False, True])
def test_the_engine_agrees_with_a_plain_python_simulation(
    model: DiffusionModel, *, with_plan: bool
) -> None:
    net = random_network(14, n=10, arcs=30)  # s0 has 4 out-arcs; the plan bites
    if model is LT:
        net = net.with_weighted_cascade()
    plan = (
        [
            Intervention(nodes=["s3", "s6"], step=2),
            Intervention(nodes=["s1"], step=1, effect=NEUTRAL),
        ]
        if with_plan
        else []
    )
    ours = simulate_spread(
        net, ["s0"], runs=RUNS, rng=61, model=model, interventions=plan
    )
    theirs = reference_reach(net, model, plan, 2_000, 62)
    se = math.hypot(ours.standard_error, float(theirs.std(ddof=1)) / math.sqrt(2_000))
    assert abs(ours.mean_reach - float(theirs.mean())) <= 4.5 * se


# --- exact probabilities by enumeration ----------------------------------------------

_NEVER = 10**9
# fires(step, active, frontier) -> the stakeholders newly negative at `step`
_Fires = Callable[[int, dict[int, int], list[int]], list[int]]


class _Exact:
    """Exact node probabilities, mean reach and mean step counts of a setup.

    Independent cascade: every subset of live arcs, weighted by its
    probability (the live-edge view of KKT 2003), is run deterministically.
    Linear threshold: the run only depends on which interval between the
    possible in-weight sums each threshold falls in, so every combination of
    intervals is run with its threshold at the interval's top, weighted by
    the intervals' lengths. Interventions follow the documented rules.
    """

    def __init__(
        self, net: DiffusionNetwork, seeds: list[int], plan: list[Intervention]
    ) -> None:
        n = net.node_count
        self.n, self.seeds = n, seeds
        self.arcs = [
            (u, int(net.targets[j]), float(net.weights[j]))
            for u in range(n)
            for j in range(int(net.indptr[u]), int(net.indptr[u + 1]))
        ]
        self.silent, self.immune = [_NEVER] * n, [_NEVER] * n
        for item in plan:
            for key in item.nodes:
                i = net.index(key)
                self.silent[i] = min(self.silent[i], item.step)
                if item.effect is NEUTRAL:
                    self.immune[i] = min(self.immune[i], item.step)

    def _run(self, fires: _Fires) -> tuple[list[int], list[int]]:
        """Run to the end; ``fires(step, active, new)`` lists the newly negative."""
        active = dict.fromkeys(self.seeds, 0)
        frontier, step, counts = list(self.seeds), 0, [len(self.seeds)]
        while frontier:
            step += 1
            frontier = fires(step, active, frontier)
            active.update(dict.fromkeys(frontier, step))
            if frontier:
                counts.append(len(frontier))
        return [v for v in active if self.immune[v] >= _NEVER], counts

    def _tally(
        self, outcomes: list[tuple[float, list[int], list[int]]]
    ) -> tuple[list[float], float, list[float]]:
        probability, steps = [0.0] * self.n, [0.0] * self.n
        for weight, final, counts in outcomes:
            for v in final:
                probability[v] += weight
            for t, c in enumerate(counts):
                steps[t] += weight * c
        reach = sum(probability)
        return probability, reach, [x for x in steps if x > 0]

    def ic(self) -> tuple[list[float], float, list[float]]:
        outcomes = []
        for live in itertools.product((False, True), repeat=len(self.arcs)):
            weight = math.prod(
                w if on else 1 - w
                for (_, _, w), on in zip(self.arcs, live, strict=True)
            )

            def fires(
                step: int,
                active: dict[int, int],
                frontier: list[int],
                live: tuple[bool, ...] = live,
            ) -> list[int]:
                new: list[int] = []
                for (u, v, _), on in zip(self.arcs, live, strict=True):
                    if (
                        on
                        and u in frontier
                        and self.silent[u] > step
                        and v not in active
                        and v not in new
                        and self.immune[v] > step
                    ):
                        new.append(v)
                return new

            outcomes.append((weight, *self._run(fires)))
        return self._tally(outcomes)

    def lt(self) -> tuple[list[float], float, list[float]]:
        cells = []
        for v in range(self.n):
            weights = [w for (_, t, w) in self.arcs if t == v]
            sums = {
                sum(c)
                for r in range(len(weights) + 1)
                for c in itertools.combinations(weights, r)
            }
            tops = sorted(x for x in sums | {1.0} if 0.0 < x <= 1.0)
            cells.append(list(zip(tops, np.diff([0.0, *tops]).tolist(), strict=True)))
        outcomes = []
        for combo in itertools.product(*cells):
            theta = [top for top, _ in combo]

            def fires(
                step: int,
                active: dict[int, int],
                _: list[int],
                theta: list[float] = theta,
            ) -> list[int]:
                pressure = [0.0] * self.n
                for u, v, w in self.arcs:
                    if u in active and self.silent[u] > step:
                        pressure[v] += w
                return [
                    v
                    for v in range(self.n)
                    if v not in active
                    and self.immune[v] > step
                    and pressure[v] >= theta[v] - 1e-12
                ]

            outcomes.append((math.prod(size for _, size in combo), *self._run(fires)))
        return self._tally(outcomes)


@pytest.mark.parametrize("model", [IC, LT])
@pytest.mark.parametrize("seed", [3, 8, 21])
def test_the_engine_matches_exact_probabilities_by_enumeration(
    model: DiffusionModel, seed: int
) -> None:
    # Small random graphs (5 nodes, 7 arcs: 128 live-arc subsets) with a plan
    # that silences one node and wins another over; every node probability,
    # the mean reach and every mean step count against the exact value.
    rng = np.random.default_rng(seed)
    keys = [f"n{i}" for i in range(5)]
    pairs = [(a, b) for a in range(5) for b in range(5) if a != b]
    chosen = [pairs[i] for i in rng.choice(len(pairs), 7, replace=False)]
    net = DiffusionNetwork.from_arcs(
        keys,
        [
            (keys[a], keys[b], float(w))
            for (a, b), w in zip(chosen, rng.uniform(0.1, 0.9, 7), strict=True)
        ],
    )
    if model is LT:
        net = DiffusionNetwork.from_csr(
            net.indptr,
            net.targets,
            net.with_weighted_cascade().weights * 0.8,
            keys=keys,
        )
    plan = [
        Intervention(nodes=["n1"], step=2),
        Intervention(nodes=["n3"], step=2, effect=NEUTRAL),
    ]
    exact = _Exact(net, [0], plan)
    probability, reach, steps = exact.ic() if model is IC else exact.lt()

    result = simulate_spread(
        net, ["n0"], runs=RUNS, rng=seed, model=model, interventions=plan
    )

    for key, expected in zip(keys, probability, strict=True):
        assert close(expected, result.probability(key)), key
    assert abs(result.mean_reach - reach) <= 4.5 * result.standard_error + 1e-12
    assert len(steps) >= result.step_counts.size
    for t, expected in enumerate(steps):
        counted = result.step_counts[t] if t < result.step_counts.size else 0.0
        # a step count is a mean of counts <= 5: its SE is at most sqrt(5 e / R)
        assert abs(counted - expected) <= 4.5 * math.sqrt(5 * expected / RUNS) + 1e-12


# --- common random numbers -----------------------------------------------------------


@pytest.mark.parametrize("model", [IC, LT])
def test_a_plan_never_reaches_more_than_doing_nothing_run_by_run(
    model: DiffusionModel,
) -> None:
    net = random_network(7, n=20, arcs=60)
    if model is LT:
        net = net.with_weighted_cascade()
    plan = [
        Intervention(nodes=["s1", "s2", "s3"], step=1),
        Intervention(nodes=["s4", "s5"], step=2, effect=NEUTRAL),
    ]
    comparison = compare_interventions(
        net, ["s0", "s9"], plan, runs=3_000, rng=51, model=model
    )
    assert bool((comparison.plan.reach <= comparison.baseline.reach).all())
    assert bool((comparison.reduction >= 0).all())
    assert bool((comparison.probability_reduction >= -1e-12).all())
    assert comparison.mean_reduction > 0
    assert comparison.reduction_standard_error < comparison.unpaired_standard_error
    baseline = simulate_spread(net, ["s0", "s9"], runs=3_000, rng=51, model=model)
    assert baseline == comparison.baseline  # same stream keys: the same runs
    assert comparison.mean_reduction == pytest.approx(
        comparison.baseline.mean_reach - comparison.plan.mean_reach
    )
    assert 0.0 < comparison.relative_reduction <= 1.0


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    silent=st.sets(st.integers(0, 11), min_size=1, max_size=4),
    step=st.integers(1, 4),
    neutral=st.booleans(),
    lt=st.booleans(),
)
def test_crn_pairing_holds_for_any_blocking_plan(
    seed: int, silent: set[int], step: int, *, neutral: bool, lt: bool
) -> None:
    net = random_network(seed)
    if lt:
        net = net.with_weighted_cascade()
    plan = [
        Intervention(
            nodes=[f"s{i}" for i in sorted(silent)],
            step=step,
            effect=NEUTRAL if neutral else STOP,
        )
    ]
    comparison = compare_interventions(
        net, ["s0"], plan, runs=200, rng=seed, model=LT if lt else IC
    )
    assert bool((comparison.plan.reach <= comparison.baseline.reach).all())
    assert bool(
        (comparison.plan.node_probability <= comparison.baseline.node_probability).all()
    )


# --- result objects ------------------------------------------------------------------


def made_result(**changes: object) -> SpreadResult:
    fields: dict[str, object] = {
        "model": IC,
        "network": chain(0.5, 0.5),
        "seeds": ["a"],
        "reach": [1, 2, 3, 2],
        "step_counts": [1.0, 0.75, 0.25],
        "node_probability": [1.0, 0.75, 0.25],
    }
    fields.update(changes)
    return SpreadResult(**fields)  # type: ignore[arg-type]


def test_result_statistics_by_hand() -> None:
    result = made_result()
    assert 4 == result.runs
    assert 2.0 == result.mean_reach
    # sd of [1, 2, 3, 2] with ddof 1: sqrt(2/3); SE = sd / 2
    assert result.reach_sd == pytest.approx(math.sqrt(2 / 3))
    assert result.standard_error == pytest.approx(math.sqrt(2 / 3) / 2)
    assert 2 == result.steps
    assert [1.0, 1.75, 2.0] == result.cumulative_counts.tolist()
    assert 0.25 == result.exceedance_probability(2)
    assert 2.0 == result.reach_percentile(50)
    assert (("b", 0.75), ("c", 0.25)) == result.most_exposed()
    assert (("a", 1.0),) == result.most_exposed(1, include_seeds=True)
    assert ("a", "b", "c") == result.keys
    assert 0.75 == result.probability("b")
    assert 0.0 == made_result(reach=[2]).standard_error


@pytest.mark.parametrize(
    ("changes", "error", "text"),
    [
        ({"reach": []}, ValidationError, "reach"),
        ({"reach": [-1]}, ValidationError, "reach"),
        ({"reach": [1.5]}, InvalidTypeError, "reach"),
        ({"node_probability": [1.0, 0.5]}, ValidationError, "node_probability"),
        ({"node_probability": [1.0, 0.5, 1.5]}, ValidationError, "node_probability"),
        ({"step_counts": []}, ValidationError, "step_counts"),
        ({"step_counts": [math.inf]}, ValidationError, "step_counts"),
        ({"seeds": ["zz"]}, UnknownKeyError, "seeds"),
        ({"seeds": []}, ValidationError, "seeds"),
        # tallies that cannot come from one simulation (by hand: 3 nodes,
        # 1 seed, node probabilities summing to the mean reach 2.0)
        ({"reach": [1, 2, 4, 1]}, ValidationError, "at most the number of nodes"),
        ({"step_counts": [2.0, 0.5]}, ValidationError, r"step_counts\[0\]"),
        (
            {"node_probability": [1.0, 0.75, 0.5]},
            ValidationError,
            "add up to the mean reach",
        ),
        ({"model": "ic"}, InvalidTypeError, "model"),
        ({"network": "net"}, InvalidTypeError, "network"),
        ({"max_steps": -1}, ValidationError, "max_steps"),
        ({"interventions": [Intervention(nodes=["q"], step=1)]}, UnknownKeyError, "q"),
    ],
)
def test_bad_results_are_refused(
    changes: dict[str, object], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text):
        made_result(**changes)


def test_result_queries_refuse_bad_arguments() -> None:
    result = made_result()
    with pytest.raises(UnknownKeyError, match="'x'"):
        result.probability("x")
    with pytest.raises(ValidationError, match="'q'"):
        result.reach_percentile(101)
    with pytest.raises(InvalidTypeError, match="'count'"):
        result.exceedance_probability("2")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'count'"):
        result.most_exposed(-1)
    with pytest.raises(InvalidTypeError, match="'count'"):
        result.most_exposed(True)  # noqa: FBT003
    with pytest.raises(InvalidTypeError, match="'key'"):
        result.probability(None)  # type: ignore[arg-type]
    assert (("b", 0.75),) == result.most_exposed(np.int64(1))


def test_a_comparison_needs_the_same_setup() -> None:
    with pytest.raises(ValidationError, match=r"plan\.runs"):
        SpreadComparison(
            baseline=made_result(),
            plan=made_result(reach=[1, 3], node_probability=[1.0, 0.5, 0.5]),
        )
    with pytest.raises(ValidationError, match=r"plan\.network"):
        SpreadComparison(
            baseline=made_result(), plan=made_result(network=chain(0.5, 0.4))
        )
    with pytest.raises(ValidationError, match=r"plan\.model"):
        SpreadComparison(baseline=made_result(), plan=made_result(model=LT))
    with pytest.raises(InvalidTypeError, match="plan"):
        SpreadComparison(baseline=made_result(), plan=None)  # type: ignore[arg-type]


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 1_000),
    runs=st.integers(1, 40),
    step=st.integers(1, 3),
    neutral=st.booleans(),
    max_steps=st.none() | st.integers(0, 5),
)
def test_results_round_trip_through_plain_data(
    seed: int, runs: int, step: int, max_steps: int | None, *, neutral: bool
) -> None:
    net = random_network(seed)
    plan = [Intervention(nodes=["s1"], step=step, effect=NEUTRAL if neutral else STOP)]
    comparison = compare_interventions(
        net, ["s0"], plan, runs=runs, rng=seed, max_steps=max_steps
    )
    document = json.loads(json.dumps(to_data(comparison), allow_nan=False))
    assert comparison == from_data(SpreadComparison, document)
    assert comparison.plan == from_data(SpreadResult, to_data(comparison.plan))
    assert net == from_data(DiffusionNetwork, to_data(net))
    assert plan[0] == from_data(Intervention, to_data(plan[0]))


# --- bad input at the entry points ------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"seeds": ["zz"]}, UnknownKeyError, "seeds\\[0\\]"),
        ({"seeds": []}, ValidationError, "seeds"),
        ({"seeds": ["a", "a"]}, DuplicateKeyError, "'a'"),
        ({"seeds": "a"}, InvalidTypeError, "seeds"),
        ({"seeds": [1]}, InvalidTypeError, "seeds\\[0\\]"),
        ({"runs": 0}, ValidationError, "runs"),
        ({"runs": MAX_RUNS + 1}, ValidationError, "runs"),
        ({"runs": 2.0}, InvalidTypeError, "runs"),
        ({"runs": True}, InvalidTypeError, "runs"),
        ({"rng": None}, ValidationError, "rng"),
        ({"rng": -1}, ValidationError, "rng"),
        ({"rng": 1.5}, InvalidTypeError, "rng"),
        ({"model": "linear_treshold"}, UnknownKeyError, "'linear_threshold'"),
        ({"model": 1}, InvalidTypeError, "model"),
        ({"max_steps": -1}, ValidationError, "max_steps"),
        ({"max_steps": 1.0}, InvalidTypeError, "max_steps"),
        ({"network": "graph"}, InvalidTypeError, "network"),
        (
            {"interventions": [Intervention(nodes=["zz"], step=1)]},
            UnknownKeyError,
            "interventions\\[0\\].nodes\\[0\\]",
        ),
        ({"interventions": ["b"]}, InvalidTypeError, "interventions\\[0\\]"),
        (
            {"interventions": Intervention(nodes=["b"], step=1)},
            InvalidTypeError,
            "interventions",
        ),
    ],
)
def test_simulate_spread_refuses_bad_input_and_leaves_the_stream_alone(
    kwargs: dict[str, object], error: type[Exception], text: str
) -> None:
    generator = np.random.default_rng(9)
    state = generator.bit_generator.state
    arguments: dict[str, object] = {
        "network": chain(0.5, 0.5),
        "seeds": ["a"],
        "rng": generator,
        "runs": 10,
    }
    arguments.update(kwargs)
    network = arguments.pop("network")
    seeds = arguments.pop("seeds")
    with pytest.raises(error, match=text):
        simulate_spread(network, seeds, **arguments)  # type: ignore[arg-type]
    assert state == generator.bit_generator.state


def test_compare_interventions_refuses_bad_input() -> None:
    net = chain(0.5, 0.5)
    with pytest.raises(ValidationError, match="interventions"):
        compare_interventions(net, ["a"], [], runs=10, rng=1)
    with pytest.raises(UnknownKeyError, match="seeds"):
        compare_interventions(net, ["x"], [Intervention(nodes=["b"], step=1)], rng=1)
    with pytest.raises(ValidationError, match="in-weights of 'c'"):
        compare_interventions(
            DiffusionNetwork.from_arcs(
                ["a", "b", "c"], [("a", "c", 0.9), ("b", "c", 0.9)]
            ),
            ["a"],
            [Intervention(nodes=["b"], step=1)],
            rng=1,
            model=LT,
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"nodes": []}, ValidationError, "nodes"),
        ({"nodes": ["a", "a"]}, ValidationError, "nodes"),
        ({"nodes": "a"}, InvalidTypeError, "nodes"),
        ({"step": 0}, ValidationError, "step"),
        ({"step": 1.0}, InvalidTypeError, "step"),
        ({"step": True}, InvalidTypeError, "step"),
        ({"effect": "neutrl"}, UnknownKeyError, "did you mean 'neutral'"),
        ({"effect": 1}, InvalidTypeError, "effect"),
    ],
)
def test_bad_interventions_are_refused(
    kwargs: dict[str, object], error: type[Exception], text: str
) -> None:
    arguments: dict[str, object] = {"nodes": ["a"], "step": 1}
    arguments.update(kwargs)
    with pytest.raises(error, match=text):
        Intervention(**arguments)  # type: ignore[arg-type]
    assert issubclass(error, CrisisOpsError)


def test_models_and_effects_may_be_given_by_their_values() -> None:
    by_value = simulate_spread(
        chain(0.5, 0.5), ["a"], runs=200, rng=4, model="linear_threshold"
    )
    won = Intervention(nodes=["b"], step=1, effect="neutral")

    assert by_value == simulate_spread(
        chain(0.5, 0.5), ["a"], runs=200, rng=4, model=LT
    )
    assert NEUTRAL is won.effect


def test_numpy_integers_are_accepted_where_ints_are() -> None:
    step = Intervention(nodes=["b"], step=np.int64(2))
    assert 2 == step.step
    assert type(step.step) is int
    result = simulate_spread(
        chain(0.5, 0.5),
        ["a"],
        runs=np.int64(5),
        rng=np.int64(3),
        max_steps=np.int64(1),
    )
    assert (5, 1) == (result.runs, result.max_steps)


# --- the concept page -------------------------------------------------------------


def test_every_python_block_of_the_concept_page_runs_in_order() -> None:
    blocks = [m.group(1) for m in _PYTHON_BLOCK.finditer(PAGE.read_text("utf-8"))]
    assert len(blocks) >= 4
    namespace: dict[str, object] = {"__name__": "docs_stakeholders_diffusion"}
    for number, block in enumerate(blocks, start=1):
        code = compile(block, f"{PAGE.name}, python block {number}", "exec")
        exec(code, namespace)  # noqa: S102  our own documentation, run as a test
