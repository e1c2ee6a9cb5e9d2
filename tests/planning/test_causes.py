"""Cause analysis: families, root vs contributing causes, five whys (book §4)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.planning.causes import (
    Cause,
    CauseAnalysis,
    CauseFamily,
    Evidence,
    FiveWhys,
    Why,
)
from crisisops.serialization import from_data, to_data

AT = dt.datetime(2026, 11, 11, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _round_trip(value: Any) -> Any:
    text = json.dumps(to_data(value), allow_nan=False, ensure_ascii=False)
    return from_data(type(value), json.loads(text))


def _cause(key: str, *to: str, root: bool = False, family: str = "other") -> Cause:
    return Cause(
        key=key,
        family=family,
        description=f"cause {key}",
        is_root=root,
        contributes_to=to,
    )


# The hand graph of the peak-season stockout (book §5 case 1), deepest causes
# on the left, arrows are contributes_to:
#
#   viral_trend_missed (root) ─→ forecast_low ─→ late_reorder ─→ stockout
#   competitor_promo (open) ───↗                                  ↑
#   single_supplier (root) ─→ supplier_delay ─────────────────────┘
def _stockout() -> CauseAnalysis:
    return CauseAnalysis(
        crisis_key="peak_2026.stockout",
        causes=[
            _cause("stockout", family="supply_chain_stability"),
            _cause("late_reorder", "stockout", family="supply_chain_stability"),
            _cause("forecast_low", "late_reorder", family="market_trend"),
            _cause(
                "viral_trend_missed", "forecast_low", root=True, family="market_trend"
            ),
            _cause("competitor_promo", "forecast_low", family="competition"),
            _cause(
                "single_supplier",
                "supplier_delay",
                root=True,
                family="supply_chain_stability",
            ),
            _cause("supplier_delay", "stockout", family="supply_chain_stability"),
        ],
        chains=[
            FiveWhys(
                problem="Best-seller out of stock on 11.11",
                whys=[
                    Why(answer="The re-order arrived late", cause="late_reorder"),
                    "It was sized on a low forecast",
                    Why(answer="The forecast missed the trend", cause="forecast_low"),
                    Why(
                        answer="Nobody watched social trends",
                        cause="viral_trend_missed",
                    ),
                ],
            )
        ],
    )


def _keys(causes: tuple[Cause, ...]) -> list[str]:
    return [cause.key for cause in causes]


# --- the book's families --------------------------------------------------------------


def test_the_five_families_carry_the_books_headings() -> None:
    assert [
        "市場趨勢",
        "供應鏈穩定性",
        "產品與服務質量",
        "競爭環境",
        "技術與網絡安全",
        "其他",
    ] == [family.labels.zh_hant for family in CauseFamily]
    assert "供应链稳定性" == CauseFamily.SUPPLY_CHAIN_STABILITY.labels.zh_hans
    assert CauseFamily.COMPETITION.question.zh_hant.startswith("分析競爭對手")
    assert "§4 分析危機原因和影響範圍" == CauseFamily.MARKET_TREND.book_section
    assert CauseFamily.OTHER.book_section is None


# --- root and contributing causes on the hand graph -----------------------------------


def test_root_and_contributing_causes_of_the_hand_graph() -> None:
    analysis = _stockout()

    assert ["viral_trend_missed", "single_supplier"] == _keys(analysis.root_causes())
    assert [
        "stockout",
        "late_reorder",
        "forecast_low",
        "competitor_promo",
        "supplier_delay",
    ] == _keys(analysis.contributing_causes())
    assert ["stockout"] == _keys(analysis.direct_causes())
    # competitor_promo has no deeper cause and is not a root: ask why again
    assert ["competitor_promo"] == _keys(analysis.open_causes())
    assert not analysis.is_complete


def test_causes_are_grouped_by_family_in_the_books_order() -> None:
    groups = _stockout().by_family()

    assert [
        CauseFamily.MARKET_TREND,
        CauseFamily.SUPPLY_CHAIN_STABILITY,
        CauseFamily.COMPETITION,
    ] == list(groups)
    assert ["forecast_low", "viral_trend_missed"] == _keys(
        groups[CauseFamily.MARKET_TREND]
    )
    assert isinstance(groups, FrozenDict)


def test_every_chain_leading_to_a_cause() -> None:
    analysis = _stockout()

    assert (
        ("viral_trend_missed", "forecast_low", "late_reorder"),
        ("competitor_promo", "forecast_low", "late_reorder"),
    ) == analysis.chain_to("late_reorder")
    # three sources reach stockout; ordered by the position of their causes
    assert (
        ("viral_trend_missed", "forecast_low", "late_reorder", "stockout"),
        ("competitor_promo", "forecast_low", "late_reorder", "stockout"),
        ("single_supplier", "supplier_delay", "stockout"),
    ) == analysis.chain_to("stockout")
    assert (("single_supplier",),) == analysis.chain_to("single_supplier")
    # in the order of the analysis: stockout is listed first
    assert ("stockout", "late_reorder") == analysis.leads_to("forecast_low")
    assert () == analysis.leads_to("stockout")


def test_marking_the_open_cause_as_root_completes_the_analysis() -> None:
    analysis = _stockout()
    causes = [
        attrs.evolve(c, is_root=True) if c.key == "competitor_promo" else c
        for c in analysis.causes
    ]

    complete = attrs.evolve(analysis, causes=causes)

    assert complete.is_complete
    assert () == complete.open_causes()


def test_a_sole_cause_may_be_a_root_that_leads_nowhere() -> None:
    analysis = CauseAnalysis(
        crisis_key="outage.ddos", causes=[_cause("ddos", root=True)]
    )

    assert ["ddos"] == _keys(analysis.root_causes())
    assert analysis.is_complete
    assert (("ddos",),) == analysis.chain_to("ddos")


def test_the_graph_is_private_and_queries_return_tuples() -> None:
    analysis = _stockout()

    assert "_graph" not in to_data(analysis)["data"]
    assert isinstance(analysis.root_causes(), tuple)
    assert isinstance(analysis.chain_to("stockout"), tuple)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        analysis.causes = ()  # type: ignore[misc]


# --- five whys ------------------------------------------------------------------------


def test_a_five_whys_chain_reads_down_to_its_root() -> None:
    chain = _stockout().chains[0]

    assert 4 == chain.depth
    assert "Nobody watched social trends" == chain.root_answer
    assert "viral_trend_missed" == chain.root_cause
    assert Why(answer="It was sized on a low forecast") == chain.whys[1]
    assert not chain.is_shallow


def test_one_answer_is_enough_but_shallow() -> None:
    chain = FiveWhys(problem="Site down", whys=["The database ran out of disk"])

    assert 1 == chain.depth
    assert chain.is_shallow
    assert chain.root_cause is None


def test_a_chain_must_end_at_a_root_cause() -> None:
    with pytest.raises(
        ValidationError,
        match=re.escape("'chains[0].whys[1].cause' must be a root cause"),
    ):
        attrs.evolve(
            _stockout(),
            chains=[
                FiveWhys(
                    problem="Out of stock",
                    whys=[
                        Why(answer="late", cause="late_reorder"),
                        Why(answer="low forecast", cause="forecast_low"),
                    ],
                )
            ],
        )


def test_each_answer_must_explain_the_one_before() -> None:
    # supplier_delay does not lead to forecast_low
    with pytest.raises(ValidationError, match="a cause that leads to 'forecast_low'"):
        attrs.evolve(
            _stockout(),
            chains=[
                FiveWhys(
                    problem="Out of stock",
                    whys=[
                        Why(answer="low forecast", cause="forecast_low"),
                        Why(answer="slow supplier", cause="supplier_delay"),
                    ],
                )
            ],
        )


def test_a_chain_names_known_causes_each_once() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean 'late_reorder'"):
        attrs.evolve(
            _stockout(),
            chains=[FiveWhys(problem="p", whys=[Why(answer="a", cause="late_reordr")])],
        )
    with pytest.raises(ValidationError, match="not already named"):
        attrs.evolve(
            _stockout(),
            chains=[
                FiveWhys(
                    problem="p",
                    whys=[
                        Why(answer="a", cause="forecast_low"),
                        Why(answer="b", cause="forecast_low"),
                    ],
                )
            ],
        )


def test_bad_five_whys_are_rejected() -> None:
    with pytest.raises(ValidationError, match="'whys' must be at least 1"):
        FiveWhys(problem="p", whys=[])
    with pytest.raises(ValidationError, match="'problem'"):
        FiveWhys(problem="", whys=["a"])
    with pytest.raises(InvalidTypeError, match=r"'whys\[0\]'"):
        FiveWhys(problem="p", whys=[3])
    with pytest.raises(InvalidTypeError, match="'whys'"):
        FiveWhys(problem="p", whys="because")
    with pytest.raises(ValidationError, match="'answer'"):
        Why(answer=" ")
    with pytest.raises(ValidationError, match="'cause'"):
        Why(answer="a", cause="Not A Key")


# --- bad analyses ---------------------------------------------------------------------


def test_a_cycle_is_named_in_the_error() -> None:
    with pytest.raises(ValidationError, match="found the cycle a → b → c → a"):
        CauseAnalysis(
            crisis_key="loop",
            causes=[_cause("a", "b"), _cause("b", "c"), _cause("c", "a")],
        )


def test_a_cause_cannot_contribute_to_itself() -> None:
    with pytest.raises(ValidationError, match=r"'contributes_to\[0\]'.*itself"):
        _cause("a", "a")


def test_an_unknown_effect_is_reported_with_a_suggestion() -> None:
    with pytest.raises(UnknownKeyError) as caught:
        CauseAnalysis(
            crisis_key="peak.stockout",
            causes=[_cause("root", "late_reordr", root=True), _cause("late_reorder")],
        )

    assert ("late_reorder",) == caught.value.suggestions
    assert "causes[0].contributes_to[0]" in str(caught.value)


def test_a_root_cause_must_have_no_deeper_cause() -> None:
    with pytest.raises(
        ValidationError, match=r"'causes\[1\]\.is_root'.*'a' contributes to 'b'"
    ):
        CauseAnalysis(
            crisis_key="x",
            causes=[_cause("a", "b"), _cause("b", "c", root=True), _cause("c")],
        )


def test_a_root_cause_must_lead_somewhere_unless_it_is_alone() -> None:
    with pytest.raises(ValidationError, match=r"'causes\[1\]\.contributes_to'"):
        CauseAnalysis(crisis_key="x", causes=[_cause("a"), _cause("b", root=True)])


def test_duplicate_and_malformed_causes_are_rejected() -> None:
    with pytest.raises(DuplicateKeyError, match="'a'"):
        CauseAnalysis(crisis_key="x", causes=[_cause("a"), _cause("a")])
    with pytest.raises(DuplicateKeyError, match="'b'"):
        _cause("a", "b", "b")
    with pytest.raises(ValidationError, match="'causes' must be at least 1"):
        CauseAnalysis(crisis_key="x", causes=[])
    # The crisis identifier is any non-blank text, as in every planning value.
    assert "INC-2026-0042" == (
        CauseAnalysis(crisis_key="INC-2026-0042", causes=[_cause("a")]).crisis_key
    )
    with pytest.raises(ValidationError, match="'crisis_key'"):
        CauseAnalysis(crisis_key=" ", causes=[_cause("a")])
    with pytest.raises(InvalidTypeError, match="'crisis_key'"):
        CauseAnalysis(crisis_key=7, causes=[_cause("a")])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'causes\[0\]'"):
        CauseAnalysis(crisis_key="x", causes=["a"])
    with pytest.raises(ValidationError, match="'key'"):
        _cause("Bad Key")
    with pytest.raises(ValidationError, match=r"'contributes_to\[0\]'"):
        _cause("a", "Not A Key")
    with pytest.raises(InvalidTypeError, match="'contributes_to'"):
        Cause(key="a", family="other", description="d", contributes_to="b")
    with pytest.raises(InvalidTypeError, match="'is_root'"):
        Cause(key="a", family="other", description="d", is_root=1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'description'"):
        Cause(key="a", family="other", description="")
    with pytest.raises(InvalidTypeError, match=r"'evidence\[0\]'"):
        Cause(key="a", family="other", description="d", evidence=["log"])


def test_an_unknown_family_is_rejected_with_a_suggestion() -> None:
    with pytest.raises(
        UnknownKeyError,
        match=r"cause family \(in family\) 'competitoin'; did you mean 'competition'",
    ):
        _cause("a", family="competitoin")
    with pytest.raises(InvalidTypeError, match="'family'"):
        Cause(key="a", family=1, description="d")


def test_queries_reject_unknown_keys() -> None:
    analysis = _stockout()

    with pytest.raises(UnknownKeyError, match="did you mean 'stockout'"):
        analysis.chain_to("stockuot")
    with pytest.raises(UnknownKeyError, match="cause 'nope'"):
        analysis.leads_to("nope")
    with pytest.raises(InvalidTypeError, match="'key'"):
        analysis.cause(3)  # type: ignore[arg-type]
    assert "late_reorder" == analysis.cause("late_reorder").key


def test_evidence_with_a_time_and_a_metric_is_kept() -> None:
    cause = Cause(
        key="late_reorder",
        family=CauseFamily.SUPPLY_CHAIN_STABILITY,
        description="Re-order after the cut-off",
        evidence=[
            Evidence(
                source="ERP purchase log",
                note="PO-8812 created 3 days after the cut-off",
                observed_at=AT,
                metric="supply.inventory_days_of_cover",
            )
        ],
    )

    assert AT == cause.evidence[0].observed_at
    assert cause == _round_trip(cause)


# --- properties -----------------------------------------------------------------------


@st.composite
def cause_graphs(draw: st.DrawFn) -> CauseAnalysis:
    """Draw a valid analysis: edges only run from a lower to a higher index."""
    size = draw(st.integers(1, 7))
    keys = [f"c{i}" for i in range(size)]
    targets = [
        sorted(draw(st.sets(st.sampled_from(keys[i + 1 :]), max_size=3)))
        if i + 1 < size
        else []
        for i in range(size)
    ]
    has_deeper = {t for ts in targets for t in ts}
    causes = []
    for i, key in enumerate(keys):
        can_be_root = key not in has_deeper and (bool(targets[i]) or size == 1)
        causes.append(
            Cause(
                key=key,
                family=draw(st.sampled_from(CauseFamily)),
                description=f"cause {i}",
                is_root=can_be_root and draw(st.booleans()),
                contributes_to=targets[i],
            )
        )
    order = draw(st.permutations(causes))
    return CauseAnalysis(crisis_key="drill.case", causes=order)


@settings(max_examples=40, deadline=None)
@given(cause_graphs())
def test_cause_analyses_round_trip_through_plain_data(analysis: CauseAnalysis) -> None:
    back = _round_trip(analysis)

    assert analysis == back
    assert analysis.chain_to(analysis.causes[0].key) == back.chain_to(
        analysis.causes[0].key
    )


@settings(max_examples=40, deadline=None)
@given(cause_graphs())
def test_roots_and_contributors_partition_the_causes(analysis: CauseAnalysis) -> None:
    roots = set(_keys(analysis.root_causes()))
    contributing = set(_keys(analysis.contributing_causes()))

    assert not roots & contributing
    assert {c.key for c in analysis.causes} == roots | contributing
    assert sum(len(group) for group in analysis.by_family().values()) == len(
        analysis.causes
    )
    assert set(_keys(analysis.open_causes())) <= contributing


@settings(max_examples=40, deadline=None)
@given(cause_graphs(), st.data())
def test_every_chain_follows_contributes_to_from_a_source(
    analysis: CauseAnalysis, data: st.DataObject
) -> None:
    target = data.draw(st.sampled_from([c.key for c in analysis.causes]))
    has_deeper = {t for c in analysis.causes for t in c.contributes_to}

    chains = analysis.chain_to(target)

    assert chains
    for chain in chains:
        assert target == chain[-1]
        assert chain[0] not in has_deeper
        for cause, effect in itertools.pairwise(chain):
            assert effect in analysis.cause(cause).contributes_to


@settings(max_examples=40, deadline=None)
@given(cause_graphs(), st.data())
def test_any_edge_back_up_the_graph_is_a_named_cycle(
    analysis: CauseAnalysis, data: st.DataObject
) -> None:
    edges = [(c.key, t) for c in analysis.causes for t in c.contributes_to]
    if not edges:
        return
    source, target = data.draw(st.sampled_from(edges))
    causes = [
        attrs.evolve(c, is_root=False, contributes_to=(*c.contributes_to, source))
        if c.key == target
        else attrs.evolve(c, is_root=False)
        for c in analysis.causes
    ]

    with pytest.raises(ValidationError, match="found the cycle") as caught:
        attrs.evolve(analysis, causes=causes)

    cycle = str(caught.value.value).split(" → ")
    assert cycle[0] == cycle[-1]
    assert len(cycle) >= 3
