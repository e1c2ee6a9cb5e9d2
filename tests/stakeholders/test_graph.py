"""Stakeholder graph: kinds, validation, queries, updates, centrality (book §4-5)."""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders.graph import (
    SCORE_FIELDS,
    Channel,
    Influence,
    Stakeholder,
    StakeholderGraph,
    StakeholderKind,
    StakeholderKindCatalog,
    betweenness,
    communities,
    default_kinds,
    key_influencers,
    pagerank,
)


def _person(key: str, kind: str = "public", **scores: Any) -> Stakeholder:
    values: dict[str, Any] = {
        "power": 0.5,
        "legitimacy": 0.5,
        "urgency": 0.5,
        "interest": 0.5,
    }
    values.update(scores)
    return Stakeholder(key=key, name=key.title(), kind=kind, **values)


def _any(value: object) -> Any:
    """Pass a deliberately wrong value past the type checker."""
    return value


def _scored(key: str, field: str, value: object) -> Stakeholder:
    values: dict[str, Any] = {
        "power": 0.5,
        "legitimacy": 0.5,
        "urgency": 0.5,
        "interest": 0.5,
        field: value,
    }
    return Stakeholder(key=key, name=key, kind="public", **values)


def _arc(source: str, target: str, weight: float) -> Influence:
    return Influence(source=source, target=target, weight=weight)


def _shop() -> StakeholderGraph:
    # A KOL sways buyers and the press; the press sways buyers and the public.
    return StakeholderGraph(
        stakeholders=[
            _person("kol", "influencers", reach=200_000),
            _person("buyers", "customers", reach=8_000),
            _person("press", "media", reach=50_000),
            _person("public", "public", reach=1_000_000),
            _person("staff", "employees", reach=40),
        ],
        influences=[
            _arc("kol", "buyers", 0.5),
            _arc("press", "buyers", 0.8),
            _arc("kol", "press", 0.2),
            _arc("press", "public", 0.6),
        ],
    )


def _round_trip(value: Any) -> Any:
    return from_data(
        type(value), json.loads(json.dumps(to_data(value), allow_nan=False))
    )


# --- channels and kinds ---------------------------------------------------------------


def test_every_channel_has_three_distinct_labels() -> None:
    for channel in Channel:
        labels = channel.labels
        assert isinstance(labels, Labels)
        assert channel.value == Channel(channel.value).value
    assert len({c.labels.zh_hant for c in Channel}) == len(Channel)
    assert "電話熱線" == Channel.HOTLINE.labels.zh_hant
    assert [Channel.INTERNAL_MEETING] == [c for c in Channel if c.internal]


def test_default_kinds_cover_the_issue_and_use_the_books_words() -> None:
    kinds = default_kinds()
    required = {
        "customers",
        "customer_segment",
        "suppliers",
        "logistics_partners",
        "platform",
        "media",
        "influencers",
        "public",
        "employees",
        "regulators",
        "investors",
    }

    assert required <= set(kinds.keys())
    assert "物流服務商" == kinds["logistics_partners"].labels.zh_hant
    assert "供應商" == kinds["suppliers"].labels.zh_hant
    assert "媒體" == kinds["media"].labels.zh_hant
    assert "員工" == kinds["employees"].labels.zh_hant
    assert "電商平臺" == kinds["platform"].labels.zh_hant
    assert ["employees"] == [k.key for k in kinds if k.internal]
    for kind in kinds:
        assert kind.channels, kind.key
        assert kind.description is not None
        assert all(isinstance(c, Channel) for c in kind.default_channels)
    assert (Channel.INTERNAL_MEETING, Channel.EMAIL) == kinds[
        "employees"
    ].default_channels


def test_the_kind_catalog_is_open_and_never_changes_in_place() -> None:
    kinds = default_kinds()
    own = StakeholderKind(
        key="franchisees",
        labels=Labels(en="Franchisees", zh_hant="加盟商", zh_hans="加盟商"),
        internal=False,
        channels=[Channel.EMAIL, "supplier_call"],
    )

    extended = kinds.add(own)

    assert ("email", "supplier_call") == extended["franchisees"].channels
    assert "franchisees" not in kinds
    with pytest.raises(DuplicateKeyError):
        extended.add(own)


def test_a_kind_rejects_unknown_or_repeated_channels_and_bad_keys() -> None:
    labels = Labels(en="X", zh_hant="X", zh_hans="X")
    with pytest.raises(UnknownKeyError, match="did you mean 'hotline'"):
        StakeholderKind(key="x", labels=labels, internal=False, channels=["hotlin"])
    with pytest.raises(ValidationError, match="channels"):
        StakeholderKind(
            key="x", labels=labels, internal=False, channels=["email", "email"]
        )
    with pytest.raises(ValidationError, match="key"):
        StakeholderKind(key="two.words", labels=labels, internal=False)
    with pytest.raises(InvalidTypeError, match="internal"):
        StakeholderKind(key="x", labels=labels, internal=_any(1))
    with pytest.raises(InvalidTypeError, match=r"channels\[0\]"):
        StakeholderKind(key="x", labels=labels, internal=False, channels=[3])
    with pytest.raises(InvalidTypeError, match="labels"):
        StakeholderKind(key="x", labels="X", internal=False)  # type: ignore[arg-type]


def test_the_kind_catalog_round_trips() -> None:
    kinds = default_kinds()

    assert kinds == _round_trip(kinds)
    assert isinstance(_round_trip(kinds), StakeholderKindCatalog)


# --- stakeholders and influences ------------------------------------------------------


def test_a_stakeholder_stores_floats_channels_and_defaults() -> None:
    person = Stakeholder(
        key="segment.vip",
        name="VIP customers",
        kind="customer_segment",
        power=1,
        legitimacy=np.float64(0.75),
        urgency=0,
        interest=0.9,
        reach=np.int64(120),
        channels=["email", Channel.HOTLINE],
    )

    assert 1.0 == person.power
    assert isinstance(person.power, float)
    assert isinstance(person.legitimacy, float)
    assert 120 == person.reach
    assert isinstance(person.reach, int)
    assert (Channel.EMAIL, Channel.HOTLINE) == person.channels
    assert 0.0 == _person("a").sentiment
    assert () == _person("a").channels


@pytest.mark.parametrize("field", ["power", "legitimacy", "urgency", "interest"])
@pytest.mark.parametrize("value", [-0.01, 1.01, math.nan, math.inf, -math.inf])
def test_a_score_outside_the_unit_interval_or_not_finite_is_rejected(
    field: str, value: float
) -> None:
    with pytest.raises(ValidationError, match=field) as error:
        _scored("a", field, value)

    assert field == error.value.field


@pytest.mark.parametrize("field", ["power", "legitimacy", "urgency", "interest"])
@pytest.mark.parametrize("value", [True, "0.5", None])
def test_a_score_of_the_wrong_type_is_rejected(field: str, value: object) -> None:
    with pytest.raises(InvalidTypeError, match=field):
        _scored("a", field, value)


@pytest.mark.parametrize("value", [-1.01, 1.01, math.nan])
def test_sentiment_lies_in_minus_one_to_one(value: float) -> None:
    assert -1.0 == _person("a", sentiment=-1).sentiment
    with pytest.raises(ValidationError, match="sentiment"):
        _person("a", sentiment=value)


def test_reach_is_a_non_negative_int() -> None:
    with pytest.raises(ValidationError, match="reach"):
        _person("a", reach=-1)
    with pytest.raises(InvalidTypeError, match="reach"):
        _person("a", reach=1.5)
    with pytest.raises(InvalidTypeError, match="reach"):
        _person("a", reach=True)


def test_a_stakeholder_rejects_bad_keys_names_kinds_and_channels() -> None:
    with pytest.raises(ValidationError, match="'key'"):
        _person("Not A Key")
    with pytest.raises(ValidationError, match="'kind'"):
        _person("a", kind="media.print")
    with pytest.raises(ValidationError, match="'name'"):
        Stakeholder(
            key="a", name=" ", kind="x", power=0, legitimacy=0, urgency=0, interest=0
        )
    with pytest.raises(UnknownKeyError, match=r"channels\[0\]"):
        _person("a", channels=["fax"])
    with pytest.raises(UnknownKeyError, match="did you mean 'hotline'"):
        _person("a", channels=["hotlin"])
    with pytest.raises(InvalidTypeError, match=r"channels\[0\]"):
        _person("a", channels=[7])
    with pytest.raises(ValidationError, match="channels"):
        _person("a", channels=["email", "email"])


def test_an_influence_has_a_weight_in_the_unit_interval_and_no_self_loop() -> None:
    assert 1.0 == _arc("a", "b", 1).weight
    with pytest.raises(ValidationError, match="self-loops"):
        _arc("a", "a", 0.5)
    for weight in (-0.1, 1.1, math.nan):
        with pytest.raises(ValidationError, match="weight"):
            _arc("a", "b", weight)
    with pytest.raises(InvalidTypeError, match="weight"):
        _arc("a", "b", weight=True)


# --- building a graph -----------------------------------------------------------------


def test_an_empty_graph_is_valid() -> None:
    graph = StakeholderGraph()

    assert () == graph.keys
    assert [0] == graph.out_arrays()[0].tolist()
    assert 0 == pagerank(graph).size
    assert 0 == betweenness(graph).size
    assert () == communities(graph)


def test_two_stakeholders_with_one_key_are_rejected() -> None:
    with pytest.raises(DuplicateKeyError, match="'kol'"):
        StakeholderGraph(stakeholders=[_person("kol"), _person("kol")])


def test_an_arc_to_an_unknown_stakeholder_names_it_and_suggests() -> None:
    with pytest.raises(UnknownKeyError) as error:
        StakeholderGraph(
            stakeholders=[_person("press"), _person("buyers")],
            influences=[_arc("press", "buyer", 0.5)],
        )

    assert ("buyers",) == error.value.suggestions
    assert "influences[0].target" in str(error.value)


def test_an_arc_from_an_unknown_stakeholder_is_rejected() -> None:
    with pytest.raises(UnknownKeyError, match=r"influences\[1\].source"):
        StakeholderGraph(
            stakeholders=[_person("a"), _person("b")],
            influences=[_arc("a", "b", 0.5), _arc("c", "a", 0.5)],
        )


def test_a_repeated_arc_is_rejected_with_both_positions() -> None:
    with pytest.raises(
        DuplicateKeyError, match=r"influences\[2\] repeats influences\[0\]"
    ):
        StakeholderGraph(
            stakeholders=[_person("a"), _person("b")],
            influences=[_arc("a", "b", 0.5), _arc("b", "a", 0.5), _arc("a", "b", 0.1)],
        )


def test_items_of_the_wrong_type_are_rejected() -> None:
    with pytest.raises(InvalidTypeError, match=r"stakeholders\[0\]"):
        StakeholderGraph(stakeholders=["a"])
    with pytest.raises(InvalidTypeError, match=r"influences\[0\]"):
        StakeholderGraph(stakeholders=[_person("a")], influences=[("a", "b", 1.0)])
    with pytest.raises(InvalidTypeError, match="stakeholders"):
        StakeholderGraph(stakeholders="ab")


# --- queries --------------------------------------------------------------------------


def test_queries_answer_in_node_order() -> None:
    graph = _shop()

    assert ("kol", "buyers", "press", "public", "staff") == graph.keys
    assert 5 == len(graph)
    assert "press" in graph
    assert "nobody" not in graph
    assert 2 == graph.index("press")
    assert "Press" == graph.stakeholder("press").name
    assert ("buyers", "press") == graph.successors("kol")
    assert ("kol", "press") == graph.predecessors("buyers")
    assert () == graph.successors("staff")
    assert 0.8 == graph.influence("press", "buyers").weight  # type: ignore[union-attr]
    assert graph.influence("buyers", "press") is None


def test_out_arrays_are_the_csr_form_of_the_arcs() -> None:
    indptr, targets, weights = _shop().out_arrays()

    # kol -> buyers, press; buyers -> none; press -> buyers, public (arc order).
    assert [0, 2, 2, 4, 4, 4] == indptr.tolist()
    assert [1, 2, 1, 3] == targets.tolist()
    assert [0.5, 0.2, 0.8, 0.6] == weights.tolist()
    assert ("int64", "int64", "float64") == (
        indptr.dtype.name,
        targets.dtype.name,
        weights.dtype.name,
    )
    assert [0, 0, 2, 2] == _shop().arc_sources().tolist()


def test_degree_and_weight_sums() -> None:
    graph = _shop()

    assert [0, 2, 1, 1, 0] == graph.in_degree().tolist()
    assert pytest.approx([0.0, 1.3, 0.2, 0.6, 0.0]) == graph.in_weight_sums().tolist()
    assert pytest.approx([0.7, 0.0, 1.4, 0.0, 0.0]) == graph.out_weight_sums().tolist()
    assert [200_000, 8_000, 50_000, 1_000_000, 40] == graph.score_array(
        "reach"
    ).tolist()


def test_every_returned_array_is_read_only() -> None:
    graph = _shop()
    arrays = [
        *graph.out_arrays(),
        graph.arc_sources(),
        graph.in_degree(),
        graph.in_weight_sums(),
        graph.score_array("power"),
        pagerank(graph),
        betweenness(graph),
    ]

    for array in arrays:
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0


def test_the_shared_csr_arrays_can_never_be_made_writable() -> None:
    graph = _shop()

    for array in (*graph.out_arrays(), graph.arc_sources()):
        with pytest.raises(ValueError, match="WRITEABLE"):
            array.setflags(write=True)


def test_a_fresh_array_made_writable_does_not_touch_the_graph() -> None:
    graph = _shop()
    degree = graph.in_degree()

    degree.setflags(write=True)
    degree[...] = 7

    assert [0, 2, 1, 1, 0] == graph.in_degree().tolist()


def test_kinds_are_checked_against_a_catalog() -> None:
    graph = _shop()

    graph.check_kinds(default_kinds())
    assert [False, False, False, False, True] == graph.internal_mask(
        default_kinds()
    ).tolist()
    odd = graph.with_stakeholder(_person("fan", "influencer"))
    with pytest.raises(UnknownKeyError, match=r"stakeholders\[5\].kind") as error:
        odd.check_kinds(default_kinds())
    assert "influencers" in error.value.suggestions


def test_graph_returns_a_fresh_networkx_copy_each_time() -> None:
    graph = _shop()

    first = graph.graph()
    first.add_edge("staff", "public", weight=1.0)
    first.nodes["kol"]["power"] = 0.0
    second = graph.graph()

    assert isinstance(second, nx.DiGraph)
    assert list(graph.keys) == list(second.nodes)
    assert not second.has_edge("staff", "public")
    assert 0.5 == second.nodes["kol"]["power"]
    assert 0.8 == second["press"]["buyers"]["weight"]
    assert first is not second


def test_lookups_reject_unknown_keys_and_bad_types() -> None:
    graph = _shop()
    with pytest.raises(UnknownKeyError, match="did you mean 'press'"):
        graph.index("pres")
    with pytest.raises(InvalidTypeError, match="key"):
        graph.index(2)  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError):
        graph.stakeholder("nobody")
    with pytest.raises(UnknownKeyError):
        graph.successors("nobody")
    with pytest.raises(UnknownKeyError):
        graph.predecessors("nobody")
    with pytest.raises(UnknownKeyError):
        graph.influence("kol", "nobody")
    with pytest.raises(UnknownKeyError, match="did you mean 'power'"):
        graph.score_array("powr")
    with pytest.raises(InvalidTypeError, match="catalog"):
        graph.check_kinds(["media"])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="catalog"):
        graph.internal_mask(None)  # type: ignore[arg-type]


# --- immutable updates ----------------------------------------------------------------


def test_with_stakeholder_appends_a_new_key_and_replaces_an_old_one_in_place() -> None:
    graph = _shop()

    added = graph.with_stakeholder(_person("regulator", "regulators"))
    replaced = graph.with_stakeholder(_person("press", "media", power=0.9))

    assert "regulator" == added.keys[-1]
    assert graph.keys == replaced.keys
    assert 0.9 == replaced.stakeholder("press").power
    assert graph.influences == replaced.influences
    assert 0.5 == graph.stakeholder("press").power
    with pytest.raises(InvalidTypeError, match="stakeholder"):
        graph.with_stakeholder("press")  # type: ignore[arg-type]


def test_without_drops_stakeholders_and_their_arcs() -> None:
    graph = _shop()

    smaller = graph.without("press")

    assert ("kol", "buyers", "public", "staff") == smaller.keys
    assert [("kol", "buyers")] == [(a.source, a.target) for a in smaller.influences]
    assert 5 == len(graph)
    with pytest.raises(UnknownKeyError):
        graph.without("press", "nobody")


def test_with_influence_adds_or_reweights_an_arc() -> None:
    graph = _shop()

    added = graph.with_influence("public", "staff", 0.1)
    reweighted = graph.with_influence(_arc("kol", "press", 0.9))

    assert 0.1 == added.influence("public", "staff").weight  # type: ignore[union-attr]
    assert len(graph.influences) + 1 == len(added.influences)
    assert 0.9 == reweighted.influence("kol", "press").weight  # type: ignore[union-attr]
    assert len(graph.influences) == len(reweighted.influences)
    assert 0.2 == graph.influence("kol", "press").weight  # type: ignore[union-attr]


def test_with_influence_rejects_bad_arcs() -> None:
    graph = _shop()
    with pytest.raises(UnknownKeyError, match="did you mean 'public'"):
        graph.with_influence("publc", "staff", 0.1)
    with pytest.raises(ValidationError, match="self-loops"):
        graph.with_influence("kol", "kol", 0.1)
    with pytest.raises(ValidationError, match="weight"):
        graph.with_influence("kol", "staff")
    with pytest.raises(ValidationError, match="weight"):
        graph.with_influence("kol", "staff", 1.5)
    with pytest.raises(ValidationError, match="target"):
        graph.with_influence(_arc("kol", "staff", 0.1), "staff")


def test_without_influence_removes_one_arc() -> None:
    graph = _shop()

    smaller = graph.without_influence("kol", "press")

    assert smaller.influence("kol", "press") is None
    assert 3 == len(smaller.influences)
    with pytest.raises(UnknownKeyError, match="influence"):
        smaller.without_influence("kol", "press")


def test_with_scores_moves_a_stakeholder_and_keeps_the_original() -> None:
    graph = _shop()

    moved = graph.with_scores("buyers", urgency=0.95, sentiment=-0.7, reach=9_000)

    assert (0.95, -0.7, 9_000) == (
        moved.stakeholder("buyers").urgency,
        moved.stakeholder("buyers").sentiment,
        moved.stakeholder("buyers").reach,
    )
    assert 0.5 == graph.stakeholder("buyers").urgency
    assert graph.influences == moved.influences


def test_with_scores_rejects_unknown_fields_and_bad_values() -> None:
    graph = _shop()
    with pytest.raises(UnknownKeyError, match="did you mean 'urgency'"):
        graph.with_scores("buyers", urgencey=0.5)
    with pytest.raises(UnknownKeyError, match="score field"):
        graph.with_scores("buyers", key=0.5)
    with pytest.raises(ValidationError, match="urgency"):
        graph.with_scores("buyers", urgency=1.5)
    with pytest.raises(UnknownKeyError, match="stakeholder"):
        graph.with_scores("buyer", urgency=0.5)
    with pytest.raises(InvalidTypeError, match="urgency"):
        graph.with_scores("buyers", urgency=True)
    with pytest.raises(ValidationError, match="sentiment"):
        graph.with_scores("buyers", sentiment=math.inf)
    with pytest.raises(ValidationError, match="reach"):
        graph.with_scores("buyers", reach=-1)
    with pytest.raises(InvalidTypeError, match="key"):
        graph.without(_any(3))
    with pytest.raises(InvalidTypeError, match="key"):
        graph.with_scores(_any(None), urgency=0.5)
    assert _shop() == graph


def test_the_graph_round_trips_and_hashes() -> None:
    graph = _shop().with_stakeholder(
        _person("vip", "customer_segment", channels=["email"], sentiment=-0.25)
    )

    again = _round_trip(graph)

    assert graph == again
    assert hash(graph) == hash(again)
    assert graph.out_arrays()[1].tolist() == again.out_arrays()[1].tolist()


def test_a_document_with_a_dangling_arc_is_refused() -> None:
    document = to_data(_shop())
    document["data"]["influences"][0]["target"] = "nobody"

    with pytest.raises(SerializationError, match="nobody"):
        from_data(StakeholderGraph, document)


# --- centrality -----------------------------------------------------------------------


def test_pagerank_of_one_arc_matches_the_formula() -> None:
    # a -> b reversed is b -> a; a is dangling and spreads its rank evenly:
    # x_b = (1 - alpha)/2 + alpha x_a / 2 and x_a + x_b = 1
    # => x_a = (1 - (1 - alpha)/2) / (1 + alpha/2) = 0.925 / 1.425.
    graph = StakeholderGraph(
        stakeholders=[_person("a"), _person("b")], influences=[_arc("a", "b", 1.0)]
    )

    spreaders = pagerank(graph)
    receivers = pagerank(graph, reverse=False)

    assert pytest.approx([0.925 / 1.425, 0.5 / 1.425], abs=1e-9) == spreaders.tolist()
    assert pytest.approx([0.5 / 1.425, 0.925 / 1.425], abs=1e-9) == receivers.tolist()


def _networkx_pagerank(
    reference: nx.DiGraph, *, alpha: float = 0.85, weight: str | None
) -> dict[str, float]:
    """PageRank as networkx defines it, without scipy (a runtime-free check).

    ``nx.pagerank`` needs scipy, which crisisops does not install; this is
    networkx's own eigenvector formulation (the former ``pagerank_numpy``):
    the stationary vector of ``nx.google_matrix``, which handles dangling
    nodes and weights exactly as ``nx.pagerank`` does.
    """
    nodes = list(reference)
    matrix = nx.google_matrix(reference, alpha=alpha, weight=weight, nodelist=nodes)
    values, vectors = np.linalg.eig(np.asarray(matrix).T)
    vector = np.real(vectors[:, int(np.argmax(np.real(values)))])
    vector = vector / vector.sum()
    return dict(zip(nodes, vector.tolist(), strict=True))


@pytest.mark.parametrize("reverse", [True, False])
@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("alpha", [0.85, 0.5])
def test_pagerank_agrees_with_networkx(
    *, reverse: bool, weighted: bool, alpha: float
) -> None:
    graph = _shop().with_influence("staff", "kol", 0.0)
    reference = graph.graph().reverse() if reverse else graph.graph()

    expected = _networkx_pagerank(
        reference, alpha=alpha, weight="weight" if weighted else None
    )
    actual = pagerank(graph, alpha=alpha, weighted=weighted, reverse=reverse)

    assert pytest.approx([expected[k] for k in graph.keys], abs=1e-8) == actual.tolist()
    assert pytest.approx(1.0) == float(actual.sum())


@st.composite
def graphs(draw: st.DrawFn, *, max_size: int = 7) -> StakeholderGraph:
    """Draw a small valid graph with random scores and arcs."""
    keys = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True),
            unique=True,
            max_size=max_size,
        )
    )
    unit = st.floats(min_value=0.0, max_value=1.0, allow_subnormal=False)
    people = [
        Stakeholder(
            key=key,
            name=key,
            kind=draw(st.sampled_from(["customers", "media", "employees"])),
            power=draw(unit),
            legitimacy=draw(unit),
            urgency=draw(unit),
            interest=draw(unit),
            sentiment=draw(st.floats(min_value=-1.0, max_value=1.0)),
            reach=draw(st.integers(min_value=0, max_value=10**7)),
            channels=draw(st.lists(st.sampled_from(Channel), unique=True, max_size=3)),
        )
        for key in keys
    ]
    pairs = [(a, b) for a in keys for b in keys if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    arcs = [_arc(a, b, draw(unit)) for a, b in chosen]
    return StakeholderGraph(stakeholders=people, influences=arcs)


@settings(max_examples=40, deadline=None)
@given(graphs(), st.booleans(), st.booleans())
def test_pagerank_agrees_with_networkx_on_random_graphs(
    graph: StakeholderGraph,
    reverse: bool,  # noqa: FBT001  hypothesis passes it positionally
    weighted: bool,  # noqa: FBT001
) -> None:
    if len(graph) == 0:
        return
    reference = graph.graph().reverse() if reverse else graph.graph()

    expected = _networkx_pagerank(reference, weight="weight" if weighted else None)
    actual = pagerank(graph, weighted=weighted, reverse=reverse)

    assert pytest.approx([expected[k] for k in graph.keys], abs=1e-8) == actual.tolist()


def test_betweenness_of_a_chain_by_hand() -> None:
    # a -> b -> c: b lies on the one path a..c; normalised by (n-1)(n-2) = 2.
    graph = StakeholderGraph(
        stakeholders=[_person("a"), _person("b"), _person("c")],
        influences=[_arc("a", "b", 0.5), _arc("b", "c", 0.5)],
    )

    assert [0.0, 0.5, 0.0] == betweenness(graph).tolist()
    assert [0.0, 1.0, 0.0] == betweenness(graph, normalized=False).tolist()


def test_betweenness_reads_weight_as_inverse_length() -> None:
    # Lengths 1/w: a->b->c is 2 + 2 = 4. A weak shortcut a->c (w 0.2, length 5)
    # leaves b the broker; a strong one (w 0.5, length 2) bypasses b.
    chain = [_arc("a", "b", 0.5), _arc("b", "c", 0.5)]
    people = [_person("a"), _person("b"), _person("c")]
    weak = StakeholderGraph(
        stakeholders=people, influences=[*chain, _arc("a", "c", 0.2)]
    )
    strong = StakeholderGraph(
        stakeholders=people, influences=[*chain, _arc("a", "c", 0.5)]
    )

    assert [0.0, 0.5, 0.0] == betweenness(weak).tolist()
    assert [0.0, 0.0, 0.0] == betweenness(strong).tolist()
    assert [0.0, 0.0, 0.0] == betweenness(weak, weighted=False).tolist()


def test_betweenness_ignores_arcs_of_weight_zero() -> None:
    graph = StakeholderGraph(
        stakeholders=[_person("a"), _person("b"), _person("c")],
        influences=[_arc("a", "b", 0.0), _arc("b", "c", 0.5)],
    )

    assert [0.0, 0.0, 0.0] == betweenness(graph).tolist()
    assert [0.0, 0.5, 0.0] == betweenness(graph, weighted=False).tolist()


def test_betweenness_agrees_with_networkx_directly() -> None:
    graph = _shop().with_influence("buyers", "staff", 0.4)
    reference = nx.DiGraph()
    reference.add_nodes_from(graph.keys)
    reference.add_weighted_edges_from(
        ((a.source, a.target, 1.0 / a.weight) for a in graph.influences),
        weight="length",
    )

    expected = nx.betweenness_centrality(reference, weight="length")

    assert (
        pytest.approx([expected[k] for k in graph.keys]) == betweenness(graph).tolist()
    )


def test_key_influencers_rank_spreaders_and_brokers() -> None:
    graph = _shop()

    assert ("kol", "press") == key_influencers(graph, top=2)
    assert ("press",) == key_influencers(graph, top=1, measure="betweenness")
    assert 5 == len(key_influencers(graph, top=50))


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda g: pagerank(g, alpha=1.0), ValidationError, "alpha"),
        (lambda g: pagerank(g, alpha=-0.1), ValidationError, "alpha"),
        (lambda g: pagerank(g, alpha=math.nan), ValidationError, "alpha"),
        (lambda g: pagerank(g, tol=0.0), ValidationError, "tol"),
        (lambda g: pagerank(g, alpha=0.99999), ValidationError, "alpha"),
        (lambda g: pagerank(g, weighted=_any(1)), InvalidTypeError, "weighted"),
        (lambda g: pagerank(g, reverse=_any("yes")), InvalidTypeError, "reverse"),
        (lambda _: pagerank(_any(nx.DiGraph())), InvalidTypeError, "graph"),
        (lambda g: betweenness(g, weighted=_any(None)), InvalidTypeError, "weighted"),
        (lambda g: betweenness(g, normalized=_any(0)), InvalidTypeError, "normalized"),
        (lambda _: betweenness(_any([])), InvalidTypeError, "graph"),
        (lambda g: key_influencers(g, top=0), ValidationError, "top"),
        (lambda g: key_influencers(g, top=_any(1.5)), InvalidTypeError, "top"),
        (lambda g: key_influencers(g, measure=_any("degree")), UnknownKeyError, None),
        (lambda _: key_influencers(_any("g")), InvalidTypeError, "graph"),
        (lambda g: communities(g, method=_any("leiden")), UnknownKeyError, None),
        (lambda g: communities(g, resolution=0.0), ValidationError, "resolution"),
        (lambda g: communities(g, seed=1), ValidationError, "seed"),
        (lambda g: communities(g, method="louvain"), ValidationError, "rng"),
        (lambda g: communities(g, rng=1), ValidationError, "rng"),
        (
            lambda g: communities(g, method="louvain", rng=1, seed=1),
            ValidationError,
            "seed",
        ),
        (
            lambda g: communities(g, method="louvain", rng=_any(1.5)),
            InvalidTypeError,
            "rng",
        ),
        (lambda g: key_influencers(g, top=_any(np.True_)), InvalidTypeError, "top"),
        (lambda g: communities(g, method="louvain", seed=-1), ValidationError, "seed"),
        (
            lambda g: communities(g, method="louvain", seed=_any(1.5)),
            InvalidTypeError,
            "seed",
        ),
        (lambda _: communities(_any(None)), InvalidTypeError, "graph"),
    ],
)
def test_analysis_functions_reject_bad_input(
    call: Any, error: type[Exception], field: str | None
) -> None:
    with pytest.raises(error) as raised:
        call(_shop())

    if field is not None:
        assert field == raised.value.field  # type: ignore[attr-defined]


# --- communities ----------------------------------------------------------------------


def _two_camps() -> StakeholderGraph:
    # Two tight triangles joined by one weak arc: buyers' camp and suppliers' camp.
    people = [_person(k) for k in ("s1", "b1", "b2", "s2", "b3", "s3")]
    buyers = [("b1", "b2"), ("b2", "b3"), ("b3", "b1")]
    suppliers = [("s1", "s2"), ("s2", "s3"), ("s3", "s1")]
    arcs = [_arc(a, b, 0.9) for a, b in buyers + suppliers]
    arcs += [_arc(b, a, 0.9) for a, b in buyers + suppliers]
    return StakeholderGraph(
        stakeholders=people, influences=[*arcs, _arc("b1", "s1", 0.1)]
    )


def test_communities_find_the_two_camps_in_node_order() -> None:
    graph = _two_camps()

    found = communities(graph)

    assert (("s1", "s2", "s3"), ("b1", "b2", "b3")) == found
    assert found == communities(graph)


def test_louvain_is_reproducible_under_a_seed() -> None:
    graph = _two_camps()

    first = communities(graph, method="louvain", seed=2026)
    again = communities(graph, method="louvain", seed=2026)
    from_generator = communities(
        graph, method="louvain", seed=np.random.default_rng(2026)
    )

    assert first == again
    assert {frozenset(c) for c in first} == {
        frozenset({"s1", "s2", "s3"}),
        frozenset({"b1", "b2", "b3"}),
    }
    assert {frozenset(c) for c in first} == {frozenset(c) for c in from_generator}


def test_rng_and_its_networkx_alias_seed_are_one_argument() -> None:
    graph = _two_camps()

    by_rng = communities(graph, method="louvain", rng=2026)

    assert by_rng == communities(graph, method="louvain", seed=2026)
    # a numpy integer is the same seed as the int (not a draw from it)
    assert by_rng == communities(graph, method="louvain", rng=np.int64(2026))
    assert ("kol", "press") == key_influencers(_shop(), top=np.int64(2))


@pytest.mark.parametrize("method", ["greedy", "louvain"])
def test_a_graph_without_positive_influence_is_all_singletons(method: str) -> None:
    # networkx divides by the total weight; with only weight-0 arcs (or none)
    # modularity is undefined and each stakeholder stands alone.
    people = [_person(k) for k in ("a", "b", "c")]
    zero = StakeholderGraph(stakeholders=people, influences=[_arc("a", "b", 0.0)])
    rng = 1 if method == "louvain" else None

    assert (("a",), ("b",), ("c",)) == communities(zero, method=method, rng=rng)  # type: ignore[arg-type]
    assert (("a",), ("b",), ("c",)) == communities(
        StakeholderGraph(stakeholders=people),
        method=method,  # type: ignore[arg-type]
        rng=rng,
    )


def test_an_isolated_stakeholder_forms_its_own_community() -> None:
    graph = _two_camps().with_stakeholder(_person("loner"))

    found = communities(graph)

    assert ("loner",) == found[-1]
    assert sorted(graph.keys) == sorted(k for c in found for k in c)


# --- properties -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_any_graph_round_trips_through_plain_data(graph: StakeholderGraph) -> None:
    assert graph == _round_trip(graph)


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_the_csr_arrays_hold_exactly_the_arcs(graph: StakeholderGraph) -> None:
    indptr, targets, weights = graph.out_arrays()
    keys = graph.keys
    sources = np.repeat(np.arange(len(graph)), np.diff(indptr))

    rebuilt = {
        (keys[s], keys[t], w)
        for s, t, w in zip(
            sources.tolist(), targets.tolist(), weights.tolist(), strict=True
        )
    }

    assert {(a.source, a.target, a.weight) for a in graph.influences} == rebuilt
    assert sources.tolist() == graph.arc_sources().tolist()
    for arc in graph.influences:
        assert arc is graph.influence(arc.source, arc.target)
    in_degree = [sum(a.target == k for a in graph.influences) for k in keys]
    assert in_degree == graph.in_degree().tolist()


@settings(max_examples=60, deadline=None)
@given(
    graphs(max_size=5),
    st.sampled_from(SCORE_FIELDS[:4]),
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(allow_nan=True),
)
def test_updates_never_change_the_original(
    graph: StakeholderGraph, field: str, good: float, anything: float
) -> None:
    if len(graph) == 0:
        return
    before = to_data(graph)
    key = graph.keys[0]

    graph.with_scores(key, **{field: good})
    with contextlib.suppress(ValidationError):
        graph.with_scores(key, **{field: anything})
    graph.with_stakeholder(_person("zz_new"))
    graph.without(key)
    if len(graph) > 1:
        graph.with_influence(graph.keys[1], key, good)
    graph.graph().clear()

    assert before == to_data(graph)
