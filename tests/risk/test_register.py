"""Risk sources, assessments, risks and the register with its history (book §3)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import pickle
from collections.abc import Callable
from functools import partial
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    CrisisOpsError,
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.risk.controls import Control, ControlTarget
from crisisops.risk.distributions import Bernoulli, Constant, Poisson
from crisisops.risk.portfolio import Portfolio, simulate_portfolio
from crisisops.risk.register import (
    Assessment,
    AssessmentKind,
    ChangeKind,
    RegisterChange,
    Risk,
    RiskRegister,
    RiskSource,
    RiskSourceCatalog,
    RiskStatus,
    SourceOrigin,
    Treatment,
    default_sources,
)
from crisisops.risk.scales import (
    ImpactDimension,
    ImpactRating,
    ImpactRule,
    RiskMatrix,
    Scale,
    ScaleLevel,
    default_matrix,
)
from crisisops.risk.simulation import CompoundLossModel
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import CrisisCategory, ResponseLevel, default_catalog

TAIPEI = dt.timezone(dt.timedelta(hours=8))
NAIVE = dt.datetime(2026, 4, 1)  # noqa: DTZ001  a naive datetime, to be refused

# Visible text, and keys such as ``stock_out2``.
texts = st.text(min_size=1, max_size=20).filter(lambda s: s.strip() != "")
key_words = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)


def _at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=TAIPEI)


def _assessment(
    likelihood: int,
    impacts: dict[str, int],
    at: dt.datetime | None = None,
    model: CompoundLossModel | None = None,
) -> Assessment:
    return Assessment(
        likelihood=likelihood,
        impacts=impacts,
        assessed_at=at or _at(1, 10),
        assessor="risk_panel",
        loss_model=model,
    )


def _constant_loss(amount: float) -> CompoundLossModel:
    """A loss of exactly ``amount`` every year: one sure event of fixed size."""
    return CompoundLossModel(
        frequency=Bernoulli(probability=1.0), severity=Constant(value=amount)
    )


def _risk(key: str, crisis_type: str, **fields: Any) -> Risk:
    return Risk(key=key, title=key.replace("_", " "), crisis_type=crisis_type, **fields)


def _shop() -> RiskRegister:
    """Six risks of a shop; scores by hand on the default 5 × 5 (impact = worst).

    stockout L4 × I4 = 16 high, checkout_outage L3 × I5 = 15 high,
    price_war L5 × I4 = 20 extreme, data_leak L2 × I5 = 10 high,
    cash_crunch L2 × I2 = 4 low, parcel_damage not assessed.
    """
    risks = [
        _risk(
            "stockout",
            "supply_chain.peak_season_stockout",
            source="supply.disruption",
            owner_role="supply_chain_lead",
            status=RiskStatus.ASSESSED,
            current=_assessment(
                4,
                {"financial": 4, "customer_relationship": 3},
                model=_constant_loss(300.0),
            ),
            next_review=_at(4, 1),
            tags=("peak",),
        ),
        _risk(
            "checkout_outage",
            "technical.system_failure",
            source="technical.peak_load",
            owner_role="tech_lead",
            status=RiskStatus.ASSESSED,
            current=_assessment(
                3, {"financial": 5, "brand": 4}, model=_constant_loss(500.0)
            ),
            next_review=_at(7, 1),
            tags=("peak",),
        ),
        _risk(
            "price_war",
            "market.competition",
            source="market.competition",
            owner_role="marketing_lead",
            status=RiskStatus.ASSESSED,
            current=_assessment(5, {"market_position": 4}),
        ),
        _risk(
            "data_leak",
            "technical.data_loss_leak",
            source="technical.cyber_attack",
            owner_role="tech_lead",
            status=RiskStatus.ASSESSED,
            current=_assessment(2, {"brand": 5, "customer_relationship": 5}),
            next_review=_at(3, 1),
        ),
        _risk(
            "cash_crunch",
            "financial.cash_shortage",
            source="finance.cash_flow",
            owner_role="cfo",
            status=RiskStatus.ASSESSED,
            current=_assessment(2, {"financial": 2}, model=_constant_loss(100.0)),
        ),
        _risk("parcel_damage", "other.logistics_damage", source="supply.logistics"),
    ]
    register = RiskRegister()
    for day, risk in enumerate(risks, start=1):
        register = register.add(risk, at=_at(1, day), by="ops_lead")
    return register


def _keys(risks: tuple[Risk, ...]) -> list[str]:
    return [risk.key for risk in risks]


def _json_round_trip(value: object) -> Any:
    return from_data(
        type(value), json.loads(json.dumps(to_data(value), allow_nan=False))
    )


# --- sources -------------------------------------------------------------------------


def test_the_book_sources_come_first_with_their_labels() -> None:
    sources = default_sources()

    # book §3 確定風險源: 供應鏈中斷、市場競爭激化、消費者投訴增多
    assert ["供應鏈中斷", "市場競爭激化", "消費者投訴增多"] == [
        source.labels.zh_hant for source in sources.entries[:3] if source.labels
    ]
    assert len(sources) == len(set(sources.keys())) == 15
    assert all(source.labels is not None for source in sources)
    assert ["supply.disruption", "supply.inventory"] == list(
        sources.in_category(CrisisCategory.SUPPLY_CHAIN).keys()
    )
    assert 5 == len(sources.of_origin(SourceOrigin.INTERNAL))
    assert "外部" == SourceOrigin.EXTERNAL.labels.zh_hant


def test_a_source_catalog_is_open_and_suggests_keys() -> None:
    mine = RiskSource(
        key="platform.rule_change",
        title="Marketplace rule change",
        category=CrisisCategory.MARKET,
        origin=SourceOrigin.EXTERNAL,
    )
    sources = default_sources().add(mine)

    assert "platform.rule_change" in sources
    assert "platform.rule_change" not in default_sources()
    with pytest.raises(UnknownKeyError, match=r"supply\.disruption"):
        sources["supply.disruptoin"]
    with pytest.raises(DuplicateKeyError):
        sources.add(mine)


@pytest.mark.parametrize(
    ("make", "error", "field"),
    [
        (
            lambda: RiskSource(
                key="Bad Key",
                title="t",
                category=CrisisCategory.MARKET,
                origin=SourceOrigin.INTERNAL,
            ),
            ValidationError,
            "key",
        ),
        (
            lambda: RiskSource(
                key="a",
                title=" ",
                category=CrisisCategory.MARKET,
                origin=SourceOrigin.INTERNAL,
            ),
            ValidationError,
            "title",
        ),
        (
            lambda: RiskSource(
                key="a",
                title="t",
                category="market",  # type: ignore[arg-type]
                origin=SourceOrigin.INTERNAL,
            ),
            InvalidTypeError,
            "category",
        ),
        (
            lambda: RiskSource(
                key="a",
                title="t",
                category=CrisisCategory.MARKET,
                origin="internal",  # type: ignore[arg-type]
            ),
            InvalidTypeError,
            "origin",
        ),
        (
            lambda: RiskSource(
                key="a",
                title="t",
                category=CrisisCategory.MARKET,
                origin=SourceOrigin.INTERNAL,
                labels="x",  # type: ignore[arg-type]
            ),
            InvalidTypeError,
            "labels",
        ),
        (lambda: default_sources().in_category("market"), InvalidTypeError, "category"),  # type: ignore[arg-type]
        (lambda: default_sources().of_origin("internal"), InvalidTypeError, "origin"),  # type: ignore[arg-type]
        (lambda: RiskSourceCatalog(["x"]), InvalidTypeError, r"entries\[0\]"),
    ],
)
def test_bad_sources_are_refused_naming_the_field(
    make: Callable[[], object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=rf"'{field}"):
        make()


# --- status, treatment, kinds --------------------------------------------------------

# The transition table, written out as the specification (docstring of RiskStatus).
_ALLOWED = {
    RiskStatus.IDENTIFIED: {RiskStatus.ASSESSED, RiskStatus.CLOSED},
    RiskStatus.ASSESSED: {RiskStatus.TREATED, RiskStatus.ACCEPTED, RiskStatus.CLOSED},
    RiskStatus.TREATED: {
        RiskStatus.ASSESSED,
        RiskStatus.ACCEPTED,
        RiskStatus.MONITORED,
        RiskStatus.CLOSED,
    },
    RiskStatus.ACCEPTED: {RiskStatus.ASSESSED, RiskStatus.TREATED, RiskStatus.CLOSED},
    RiskStatus.MONITORED: {
        RiskStatus.ASSESSED,
        RiskStatus.TREATED,
        RiskStatus.ACCEPTED,
        RiskStatus.CLOSED,
    },
    RiskStatus.CLOSED: set(),
}


@pytest.mark.parametrize("current", list(RiskStatus))
@pytest.mark.parametrize("target", list(RiskStatus))
def test_status_transitions_follow_the_table(
    current: RiskStatus, target: RiskStatus
) -> None:
    allowed = target in _ALLOWED[current]

    assert allowed == current.can_move_to(target)
    if allowed:
        assert target is current.move_to(target)
    else:
        with pytest.raises(TransitionError, match=f"from {current.name} to"):
            current.move_to(target)


def test_status_move_to_refuses_other_types() -> None:
    with pytest.raises(InvalidTypeError, match="'target'"):
        RiskStatus.IDENTIFIED.move_to("assessed")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "member",
    [*RiskStatus, *Treatment, *AssessmentKind, *ChangeKind, *SourceOrigin],
)
def test_every_term_has_trilingual_labels(member: Any) -> None:
    labels = member.labels

    assert isinstance(labels, Labels)
    assert labels.en
    assert labels.zh_hant
    assert labels.zh_hans


def test_treatments_are_the_iso_31000_options() -> None:
    assert ["avoid", "mitigate", "transfer", "accept"] == [t.value for t in Treatment]
    assert ["規避", "降低", "轉移", "接受"] == [t.labels.zh_hant for t in Treatment]
    assert not RiskStatus.CLOSED.is_active
    assert all(
        status.is_active for status in RiskStatus if status is not RiskStatus.CLOSED
    )


# --- assessments ---------------------------------------------------------------------


def test_an_assessment_grades_on_the_default_matrix() -> None:
    assessment = _assessment(4, {"financial": 4, "customer_relationship": 3})

    # worst dimension 4; score 4 × 4 = 16; 10 <= 16 < 20 is "high" (Level II)
    assert 4 == assessment.impact()
    assert 16 == assessment.score()
    assert "high" == assessment.grade().key
    assert ResponseLevel.II is assessment.grade(default_matrix()).response_level


def test_an_assessment_uses_the_given_impact_rule() -> None:
    assessment = _assessment(2, {"financial": 2, "brand": 5})
    rule = ImpactRule.weighted({"financial": 3, "brand": 1})

    # (3·2 + 1·5) / 4 = 2.75, rounded half up to 3; score 2 × 3 = 6: medium
    assert 3 == assessment.impact(rule)
    assert 6 == assessment.score(rule=rule)
    assert "medium" == assessment.grade(rule=rule).key
    assert 10 == assessment.score()  # the worst dimension: 2 × 5


def test_a_plain_mapping_becomes_an_impact_rating() -> None:
    assessment = _assessment(1, {"supply_chain": 2})

    assert ImpactRating(levels={ImpactDimension.SUPPLY_CHAIN: 2}) == assessment.impacts


def _small_matrix() -> RiskMatrix:
    def scale(key: str) -> Scale:
        return Scale(
            key=key,
            labels=Labels(en=key, zh_hant=key, zh_hans=key),
            levels=[
                ScaleLevel(
                    value=n, labels=Labels(en=f"{n}", zh_hant=f"{n}", zh_hans=f"{n}")
                )
                for n in (1, 2, 3)
            ],
        )

    low, medium, high = default_matrix().grades[:3]
    return RiskMatrix.by_product(
        likelihood=scale("likelihood"),
        impact=scale("impact"),
        grades=[low, medium, high],
        thresholds=(3, 6),
    )


def test_levels_off_the_matrix_scales_are_refused_naming_the_field() -> None:
    small = _small_matrix()

    with pytest.raises(UnknownKeyError, match=r"for impacts.levels\['brand'\]"):
        _assessment(2, {"brand": 5}).score(small)
    with pytest.raises(UnknownKeyError, match=r"for current.likelihood"):
        _assessment(4, {"brand": 1}).check(small, "current")
    assert 6 == _assessment(2, {"brand": 3}).score(small)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"likelihood": 0}, ValidationError, "likelihood"),
        ({"likelihood": 2.0}, InvalidTypeError, "likelihood"),
        ({"likelihood": True}, InvalidTypeError, "likelihood"),
        ({"impacts": 3}, InvalidTypeError, "impacts"),
        ({"impacts": {"weather": 3}}, UnknownKeyError, "impact dimension"),
        ({"impacts": {}}, ValidationError, "levels"),
        ({"assessed_at": NAIVE}, NaiveDatetimeError, "assessed_at"),
        ({"assessor": ""}, ValidationError, "assessor"),
        ({"note": None}, InvalidTypeError, "note"),
        ({"loss_model": Constant(value=1.0)}, InvalidTypeError, "loss_model"),
    ],
)
def test_bad_assessments_are_refused(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    fields: dict[str, Any] = {
        "likelihood": 2,
        "impacts": {"brand": 2},
        "assessed_at": _at(1, 1),
        "assessor": "me",
        **changes,
    }
    with pytest.raises(error, match=field):
        Assessment(**fields)


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda a: a.score("matrix"), InvalidTypeError, "'matrix'"),
        (lambda a: a.grade(rule="max"), InvalidTypeError, "'rule'"),
        (lambda a: a.impact("max"), InvalidTypeError, "'rule'"),
        (lambda a: a.check(default_matrix(), 3), InvalidTypeError, "'field'"),
        (lambda a: a.check(default_matrix(), None), InvalidTypeError, "'field'"),
    ],
)
def test_assessment_methods_refuse_bad_arguments(
    call: Callable[[Assessment], object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        call(_assessment(2, {"brand": 2}))


# --- risks ---------------------------------------------------------------------------


def test_a_risk_knows_its_category_and_last_assessment() -> None:
    risk = _risk(
        "stockout",
        "supply_chain.peak_season_stockout",
        inherent=_assessment(5, {"financial": 5}, _at(1, 2)),
        current=_assessment(4, {"financial": 4}, _at(3, 30)),
        target=_assessment(2, {"financial": 2}, _at(6, 30)),
        status=RiskStatus.ASSESSED,
    )

    assert CrisisCategory.SUPPLY_CHAIN is risk.category
    assert _at(3, 30) == risk.last_assessed  # the target is a goal, not counted
    assert risk.assessment(AssessmentKind.TARGET) is risk.target
    assert _risk("x", "market.competition").last_assessed is None


def test_review_dates_are_overdue_only_strictly_after() -> None:
    risk = _risk("x", "market.competition", next_review=_at(4, 1))
    same_instant_in_utc = dt.datetime(2026, 4, 1, 1, 0, tzinfo=dt.timezone.utc)

    assert not risk.is_overdue(_at(4, 1))
    assert not risk.is_overdue(same_instant_in_utc)
    assert risk.is_overdue(_at(4, 1) + dt.timedelta(microseconds=1))
    assert not _risk("y", "market.competition").is_overdue(_at(12, 31))


def test_controls_applied_to_the_inherent_loss_model() -> None:
    inherent = _assessment(
        3,
        {"financial": 3},
        model=CompoundLossModel(
            frequency=Poisson(rate=2.0), severity=Constant(value=10.0)
        ),
    )
    screening = Control(
        key="screening",
        title="Screening",
        target=ControlTarget.LIKELIHOOD,
        effectiveness=0.5,
    )
    risk = _risk(
        "fraud", "financial.risk_control", inherent=inherent, controls=[screening]
    )

    controlled = risk.controlled_loss_model()

    assert isinstance(controlled, CompoundLossModel)
    assert Poisson(rate=1.0) == controlled.frequency  # 2 × (1 − 0.5)
    assert risk.controlled_loss_model(AssessmentKind.CURRENT) is None


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"key": "Bad"}, ValidationError, "'key'"),
        ({"title": ""}, ValidationError, "'title'"),
        ({"crisis_type": "weather.storm"}, ValidationError, "'crisis_type'"),
        ({"crisis_type": 3}, InvalidTypeError, "'crisis_type'"),
        ({"source": "Supply Disruption"}, ValidationError, "'source'"),
        ({"owner_role": ""}, ValidationError, "'owner_role'"),
        ({"status": "assessed"}, InvalidTypeError, "'status'"),
        ({"status": RiskStatus.ASSESSED}, ValidationError, "'status'"),
        ({"treatment": "avoid"}, InvalidTypeError, "'treatment'"),
        ({"controls": ["x"]}, InvalidTypeError, r"'controls\[0\]'"),
        ({"trigger_rules": ["a", "a"]}, ValidationError, "'trigger_rules'"),
        ({"indicators": "sales.gmv"}, InvalidTypeError, "'indicators'"),
        ({"current": {"likelihood": 2}}, InvalidTypeError, "'current'"),
        ({"next_review": NAIVE}, NaiveDatetimeError, "'next_review'"),
        ({"tags": ["peak", "peak"]}, ValidationError, "'tags'"),
        ({"tags": [""]}, ValidationError, r"'tags\[0\]'"),
    ],
)
def test_bad_risks_are_refused_naming_the_field(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    fields: dict[str, Any] = {
        "key": "x",
        "title": "X",
        "crisis_type": "market.competition",
    }
    with pytest.raises(error, match=field):
        Risk(**{**fields, **changes})


def test_the_status_must_agree_with_assessments_and_treatment() -> None:
    assessed = _assessment(2, {"brand": 2})

    with pytest.raises(ValidationError, match=r"'treatment'.*ACCEPTED"):
        _risk("x", "market.competition", status=RiskStatus.ACCEPTED, current=assessed)
    with pytest.raises(ValidationError, match=r"'treatment'.*TREATED"):
        _risk("x", "market.competition", status=RiskStatus.TREATED, current=assessed)
    accepted = _risk(
        "x",
        "market.competition",
        status=RiskStatus.ACCEPTED,
        treatment=Treatment.ACCEPT,
        inherent=assessed,
    )
    assert RiskStatus.ACCEPTED is accepted.status


def test_controls_of_a_risk_have_unique_keys() -> None:
    control = Control(
        key="c", title="C", target=ControlTarget.IMPACT, effectiveness=0.1
    )

    with pytest.raises(DuplicateKeyError, match="'c'"):
        _risk("x", "market.competition", controls=[control, control])


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda r: r.assessment("current"), InvalidTypeError, "'which'"),
        (
            lambda r: r.is_overdue(NAIVE),
            NaiveDatetimeError,
            "'as_of'",
        ),
        (lambda r: r.controlled_loss_model("inherent"), InvalidTypeError, "'which'"),
    ],
)
def test_risk_methods_refuse_bad_arguments(
    call: Callable[[Risk], object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        call(_risk("x", "market.competition"))


# --- the register: changes and history -----------------------------------------------


def test_add_update_retire_make_an_append_only_history() -> None:
    stockout = _risk("stockout", "supply_chain.inventory", source="supply.inventory")
    supplier = Control(
        key="second_supplier",
        title="Second supplier",
        target=ControlTarget.IMPACT,
        effectiveness=0.6,
    )
    empty = RiskRegister()
    added = empty.add(stockout, at=_at(1, 5), by="ops_lead")
    assessed = added.assess(
        "stockout",
        _assessment(4, {"financial": 4}, _at(1, 20)),
        at=_at(1, 20),
        by="panel",
    )
    treated = assessed.update(
        "stockout",
        at=_at(2, 1),
        by="ops_lead",
        note="second supplier signed",
        status=RiskStatus.TREATED,
        treatment=Treatment.MITIGATE,
        controls=[supplier],
    )
    retired = treated.retire(
        "stockout", at=_at(6, 30), by="ops_lead", reason="product line discontinued"
    )

    assert 0 == len(empty.history)  # every step left the one before untouched
    assert [ChangeKind.ADD] == [c.kind for c in added.history]
    assert [
        ChangeKind.ADD,
        ChangeKind.UPDATE,
        ChangeKind.UPDATE,
        ChangeKind.RETIRE,
    ] == [c.kind for c in retired.history]
    assert retired.history[:3] == treated.history
    assert ("status", "current") == assessed.history[-1].changed_fields
    assert ("status", "treatment", "controls") == treated.history[-1].changed_fields
    assert "second supplier signed" == treated.history[-1].note
    assert RiskStatus.ASSESSED is assessed["stockout"].status
    assert "stockout" not in retired
    assert 0 == len(retired)
    assert RiskStatus.CLOSED is retired.retired()[0].status
    assert "product line discontinued" == retired.history[-1].note
    assert _at(1, 5) == retired.added_at("stockout")
    assert 4 == len(retired.changes_of("stockout"))
    assert retired.history[-1].before == treated["stockout"]


def test_as_of_replays_the_history_up_to_a_moment() -> None:
    register = (
        _shop()
        .update("price_war", at=_at(2, 1), by="cmo", owner_role="cmo")
        .retire("cash_crunch", at=_at(3, 1), by="cfo", reason="credit line secured")
    )

    january = register.as_of(_at(1, 31))
    on_the_day = register.as_of(_at(3, 1))

    assert "marketing_lead" == january["price_war"].owner_role
    assert "cash_crunch" in january
    assert "cash_crunch" not in on_the_day  # a change exactly at the moment counts
    assert register == register.as_of(_at(12, 31))
    assert 0 == len(register.as_of(_at(1, 1, 8)))


def test_a_retired_key_is_never_reused() -> None:
    register = _shop().retire("cash_crunch", at=_at(2, 1), by="cfo", reason="merged")

    with pytest.raises(DuplicateKeyError, match="retired"):
        register.add(
            _risk("cash_crunch", "financial.cash_shortage"), at=_at(2, 2), by="cfo"
        )
    with pytest.raises(UnknownKeyError, match="risk \\(retired\\)"):
        register["cash_crunch"]
    assert register.get("cash_crunch") is None
    with pytest.raises(UnknownKeyError):
        register.retire("cash_crunch", at=_at(2, 3), by="cfo", reason="again")


def test_impossible_status_changes_raise_transition_errors() -> None:
    identified_but_rated = _risk(
        "x", "market.competition", current=_assessment(2, {"brand": 2})
    )
    register = RiskRegister().add(identified_but_rated, at=_at(1, 1), by="me")

    with pytest.raises(TransitionError, match="from IDENTIFIED to TREATED"):
        register.update(
            "x",
            at=_at(1, 2),
            by="me",
            status=RiskStatus.TREATED,
            treatment=Treatment.AVOID,
        )
    assessed = register.update("x", at=_at(1, 2), by="me", status=RiskStatus.ASSESSED)
    with pytest.raises(TransitionError, match="from ASSESSED to MONITORED"):
        assessed.update(
            "x",
            at=_at(1, 3),
            by="me",
            status=RiskStatus.MONITORED,
            treatment=Treatment.MITIGATE,
        )
    with pytest.raises(ValidationError, match="retire"):
        assessed.update("x", at=_at(1, 3), by="me", status=RiskStatus.CLOSED)
    assert 2 == len(assessed.history)


def test_the_crisis_type_is_checked_only_against_a_given_catalog() -> None:
    made_up = _risk("x", "market.flash_sale_overload")

    assert "x" in RiskRegister().add(made_up, at=_at(1, 1), by="me")
    with pytest.raises(UnknownKeyError, match="crisis type"):
        RiskRegister(catalog=default_catalog()).add(made_up, at=_at(1, 1), by="me")
    known = _risk("y", "market.competition")
    assert "y" in RiskRegister(catalog=default_catalog()).add(
        known, at=_at(1, 1), by="me"
    )


def test_sources_are_checked_against_the_register_catalog() -> None:
    typo = _risk("x", "market.competition", source="supply.disruptoin")

    with pytest.raises(UnknownKeyError, match=r"did you mean 'supply\.disruption'"):
        RiskRegister().add(typo, at=_at(1, 1), by="me")
    with pytest.raises(UnknownKeyError, match="risk source"):
        RiskRegister(sources=RiskSourceCatalog(())).add(
            _risk("x", "market.competition", source="supply.disruption"),
            at=_at(1, 1),
            by="me",
        )


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda r: r.add("risk", at=_at(2, 1), by="me"), InvalidTypeError, "'risk'"),
        (
            lambda r: r.add(_risk("new", "market.competition"), at=_at(1, 1), by="me"),
            ValidationError,
            "'at'",
        ),
        (
            lambda r: r.add(_risk("new", "market.competition"), at=NAIVE, by="me"),
            NaiveDatetimeError,
            "'at'",
        ),
        (
            lambda r: r.add(_risk("new", "market.competition"), at=_at(2, 1), by=""),
            ValidationError,
            "'by'",
        ),
        (
            lambda r: r.add(
                _risk("stockout", "market.competition"), at=_at(2, 1), by="me"
            ),
            DuplicateKeyError,
            "stockout",
        ),
        (
            lambda r: r.add(
                attrs.evolve(
                    _risk("new", "market.competition"), status=RiskStatus.CLOSED
                ),
                at=_at(2, 1),
                by="me",
            ),
            ValidationError,
            "'risk.status'",
        ),
        (
            lambda r: r.replace(r["price_war"], at=_at(2, 1), by="me"),
            ValidationError,
            "differs",
        ),
        (lambda r: r.replace("x", at=_at(2, 1), by="me"), InvalidTypeError, "'risk'"),
        (
            lambda r: r.update("stockuot", at=_at(2, 1), by="me", title="x"),
            UnknownKeyError,
            "did you mean 'stockout'",
        ),
        (
            lambda r: r.update("stockout", at=_at(2, 1), by="me", owner="x"),
            UnknownKeyError,
            "did you mean 'owner_role'",
        ),
        (
            lambda r: r.update("stockout", at=_at(2, 1), by="me"),
            ValidationError,
            "'changes'",
        ),
        (
            lambda r: r.update("stockout", at=_at(2, 1), by="me", key="other"),
            ValidationError,
            "'key'",
        ),
        (
            lambda r: r.update("stockout", at=_at(2, 1), by="me", title=""),
            ValidationError,
            "'title'",
        ),
        (
            lambda r: r.update(3, at=_at(2, 1), by="me", title="x"),
            InvalidTypeError,
            "'key'",
        ),
        (
            lambda r: r.assess("stockout", "4x4", at=_at(2, 1), by="me"),
            InvalidTypeError,
            "'assessment'",
        ),
        (
            lambda r: r.assess(
                "stockout",
                _assessment(1, {"brand": 1}),
                at=_at(2, 1),
                by="me",
                which="current",
            ),
            InvalidTypeError,
            "'which'",
        ),
        (
            lambda r: r.assess(
                "stockout",
                _assessment(1, {"brand": 1}),
                at=_at(2, 1),
                by="me",
                next_review=NAIVE,
            ),
            NaiveDatetimeError,
            "'next_review'",
        ),
        (
            lambda r: r.retire("stockout", at=_at(2, 1), by="me", reason=" "),
            ValidationError,
            "'reason'",
        ),
        (
            lambda r: r.retire("stockout", at=_at(2, 1), by="me", reason=3),
            InvalidTypeError,
            "'reason'",
        ),
        (
            # recorded on 1 February, made on 1 March: from the future
            lambda r: r.assess(
                "stockout",
                _assessment(1, {"brand": 1}, _at(3, 1)),
                at=_at(2, 1),
                by="me",
            ),
            ValidationError,
            r"'assessment\.assessed_at'",
        ),
        (
            lambda r: r.retire("nope", at=_at(2, 1), by="me", reason="x"),
            UnknownKeyError,
            "nope",
        ),
        (lambda r: r["stockout", 1], InvalidTypeError, "'key'"),
        (lambda r: r.added_at("nope"), UnknownKeyError, "nope"),
        (lambda r: r.changes_of(1), InvalidTypeError, "'key'"),
        (lambda r: r.as_of(NAIVE), NaiveDatetimeError, "'moment'"),
    ],
)
def test_register_changes_refuse_bad_input_and_change_nothing(
    call: Callable[[RiskRegister], object], error: type[Exception], field: str
) -> None:
    register = _shop()
    before = register.history

    with pytest.raises(error, match=field):
        call(register)
    assert before == register.history


@pytest.mark.parametrize(
    ("make", "error", "field"),
    [
        (lambda: RiskRegister(history="x"), InvalidTypeError, "'history'"),
        (lambda: RiskRegister(history=["x"]), InvalidTypeError, r"'history\[0\]'"),
        (
            lambda: RiskRegister(sources=default_sources().entries),  # type: ignore[arg-type]
            InvalidTypeError,
            "'sources'",
        ),
        (lambda: RiskRegister(catalog="default"), InvalidTypeError, "'catalog'"),  # type: ignore[arg-type]
    ],
)
def test_registers_refuse_bad_fields(
    make: Callable[[], object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        make()


def test_a_history_out_of_order_or_inconsistent_is_refused() -> None:
    history = _shop().history
    a, b = history[0], history[1]
    first = a.after
    assert first is not None
    retire_a = RegisterChange(
        kind=ChangeKind.RETIRE,
        at=_at(2, 1),
        by="me",
        before=first,
        after=attrs.evolve(first, status=RiskStatus.CLOSED),
        note="done",
    )
    stale = RegisterChange(
        kind=ChangeKind.UPDATE,
        at=_at(2, 2),
        by="me",
        before=attrs.evolve(first, title="not what the register held"),
        after=attrs.evolve(first, title="new"),
    )

    with pytest.raises(ValidationError, match=r"'history\[1\].at'"):
        RiskRegister(history=[b, a])
    with pytest.raises(DuplicateKeyError):
        RiskRegister(history=[a, a])
    with pytest.raises(UnknownKeyError, match=r"history\[1\]"):
        RiskRegister(history=[b, retire_a])
    with pytest.raises(ValidationError, match=r"'history\[1\].before'"):
        RiskRegister(history=[a, stale])
    with pytest.raises(DuplicateKeyError, match="retired"):
        RiskRegister(history=[a, retire_a, attrs.evolve(a, at=_at(2, 3))])


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        (
            {"kind": ChangeKind.ADD, "before": "r", "after": "r"},
            ValidationError,
            "'before'",
        ),
        (
            {"kind": ChangeKind.ADD, "before": None, "after": None},
            ValidationError,
            "'after'",
        ),
        (
            {"kind": ChangeKind.UPDATE, "before": None, "after": "r"},
            ValidationError,
            "'before'",
        ),
        (
            {"kind": ChangeKind.UPDATE, "before": "r", "after": "r"},
            ValidationError,
            "differs",
        ),
        (
            {"kind": ChangeKind.UPDATE, "before": "r", "after": "other"},
            ValidationError,
            "'after.key'",
        ),
        (
            {"kind": ChangeKind.UPDATE, "before": "r", "after": "closed"},
            ValidationError,
            "'after.status'",
        ),
        (
            {"kind": ChangeKind.UPDATE, "before": "closed", "after": "r"},
            ValidationError,
            "'before.status'",
        ),
        (
            {"kind": ChangeKind.RETIRE, "before": "r", "after": "r"},
            ValidationError,
            "'after'",
        ),
        (
            {"kind": ChangeKind.RETIRE, "before": "r", "after": "closed"},
            ValidationError,
            "'note'",
        ),
        ({"kind": "add", "before": None, "after": "r"}, InvalidTypeError, "'kind'"),
        ({"kind": ChangeKind.ADD, "after": "r", "by": ""}, ValidationError, "'by'"),
        (
            {"kind": ChangeKind.ADD, "after": "r", "at": NAIVE},
            NaiveDatetimeError,
            "'at'",
        ),
    ],
)
def test_register_changes_must_fit_their_kind(
    fields: dict[str, Any], error: type[Exception], field: str
) -> None:
    risk = _risk("r", "market.competition")
    named = {
        "r": risk,
        "other": _risk("other", "market.competition"),
        "closed": attrs.evolve(risk, status=RiskStatus.CLOSED),
        None: None,
    }
    values = {
        "at": _at(1, 1),
        "by": "me",
        **fields,
    }
    for side in ("before", "after"):
        if side in values:
            values[side] = named[values[side]]
    with pytest.raises(error, match=field):
        RegisterChange(**values)


# --- the register: queries -----------------------------------------------------------


def test_filters_by_status_category_owner_source_and_tag() -> None:
    register = _shop()

    assert ["parcel_damage"] == _keys(register.by_status(RiskStatus.IDENTIFIED))
    assert ["checkout_outage", "data_leak"] == _keys(
        register.by_category(CrisisCategory.TECHNICAL)
    )
    assert ["checkout_outage", "data_leak"] == _keys(register.by_owner("tech_lead"))
    assert ["stockout"] == _keys(register.by_source("supply.disruption"))
    assert [] == _keys(register.by_source("market.natural_disaster"))
    assert ["stockout", "checkout_outage"] == _keys(register.by_tag("peak"))
    assert 6 == len(register)
    assert _keys(register.risks) == list(register.keys())


def test_grades_and_response_levels_of_the_shop() -> None:
    register = _shop()

    assert ["stockout", "checkout_outage", "data_leak"] == _keys(
        register.by_grade("high")
    )
    assert ["price_war"] == _keys(register.by_grade(default_matrix().grades[3]))
    assert ["price_war"] == _keys(register.by_response_level(ResponseLevel.I))
    assert ["cash_crunch"] == _keys(register.by_response_level(ResponseLevel.IV))
    assert {
        "stockout": 16,
        "checkout_outage": 15,
        "price_war": 20,
        "data_leak": 10,
        "cash_crunch": 4,
    } == dict(register.scores())


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "score",
            ["price_war", "stockout", "checkout_outage", "data_leak", "cash_crunch"],
        ),
        (
            "grade",
            ["price_war", "stockout", "checkout_outage", "data_leak", "cash_crunch"],
        ),
        # likelihood 5, 4, 3, then 2 and 2: the tie goes to the higher score
        (
            "likelihood",
            ["price_war", "stockout", "checkout_outage", "data_leak", "cash_crunch"],
        ),
        # impact 5 (scores 15, 10), impact 4 (scores 20, 16), impact 2
        (
            "impact",
            ["checkout_outage", "data_leak", "price_war", "stockout", "cash_crunch"],
        ),
    ],
)
def test_top_ranks_by_each_measure(by: str, expected: list[str]) -> None:
    register = _shop()

    assert expected == _keys(register.top(10, by=by))
    assert expected[:2] == _keys(register.top(2, by=by))


def test_top_breaks_ties_by_key_and_skips_unassessed_risks() -> None:
    same = _assessment(3, {"brand": 3})
    register = RiskRegister()
    for day, key in enumerate(["b_risk", "c_risk", "a_risk"], start=1):
        register = register.add(
            _risk(key, "market.competition", current=same), at=_at(1, day), by="me"
        )
    register = register.add(
        _risk("unrated", "market.competition"), at=_at(1, 9), by="me"
    )

    assert ["a_risk", "b_risk", "c_risk"] == _keys(register.top(5))
    assert [] == _keys(register.top(5, which=AssessmentKind.RESIDUAL))


def test_the_heatmap_counts_risks_per_cell() -> None:
    counts = _shop().heatmap()

    expected = np.zeros((5, 5), dtype=np.int64)
    for likelihood, impact in [(4, 4), (3, 5), (5, 4), (2, 5), (2, 2)]:
        expected[likelihood - 1, impact - 1] += 1
    assert expected.tolist() == counts.tolist()
    assert not counts.flags.writeable
    assert 0 == RiskRegister().heatmap().sum()


def test_queries_name_the_risk_whose_level_is_off_the_matrix() -> None:
    with pytest.raises(
        UnknownKeyError, match=r"risks\['stockout'\].current.likelihood"
    ):
        _shop().top(3, matrix=_small_matrix())


def test_overdue_reviews_at_the_edges() -> None:
    register = _shop()

    # data_leak is due 1 March, stockout 1 April, checkout_outage 1 July
    assert [] == _keys(register.overdue(_at(3, 1)))
    assert ["data_leak"] == _keys(register.overdue(_at(3, 1) + dt.timedelta(seconds=1)))
    assert ["stockout", "data_leak"] == _keys(
        register.overdue(dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.timezone.utc))
    )
    assert ["price_war", "cash_crunch", "parcel_damage"] == _keys(
        register.unscheduled()
    )


def test_top_by_simulated_loss_ranks_the_modelled_risks() -> None:
    register = _shop()

    ranked = register.top_by_simulated_loss(5, trials=50, seed=2026)

    # constant annual losses: 500, 300, 100; the three unmodelled risks are skipped
    assert ["checkout_outage", "stockout", "cash_crunch"] == [r.key for r, _ in ranked]
    assert [500.0, 300.0, 100.0] == [losses.mean for _, losses in ranked]
    assert ["price_war", "data_leak", "parcel_damage"] == _keys(register.unmodelled())
    assert ["checkout_outage"] == [
        r.key
        for r, _ in register.top_by_simulated_loss(1, trials=5, seed=1, percentile=99)
    ]


def test_simulated_losses_do_not_depend_on_the_other_risks() -> None:
    model = CompoundLossModel(
        frequency=Poisson(rate=3.0), severity=Constant(value=10.0)
    )
    one = RiskRegister().add(
        _risk(
            "a", "market.competition", current=_assessment(1, {"brand": 1}, model=model)
        ),
        at=_at(1, 1),
        by="me",
    )
    two = (
        RiskRegister()
        .add(
            _risk(
                "b",
                "market.competition",
                current=_assessment(1, {"brand": 1}, model=model),
            ),
            at=_at(1, 1),
            by="me",
        )
        .add(one["a"], at=_at(1, 2), by="me")
    )

    alone = {r.key: d for r, d in one.top_by_simulated_loss(2, trials=500, seed=7)}
    together = {r.key: d for r, d in two.top_by_simulated_loss(2, trials=500, seed=7)}

    assert alone["a"] == together["a"]


def test_the_portfolio_holds_the_modelled_risks() -> None:
    register = _shop()

    portfolio = register.portfolio()
    result = simulate_portfolio(portfolio, trials=20, seed=3)

    assert isinstance(portfolio, Portfolio)
    assert {"stockout", "checkout_outage", "cash_crunch"} == set(portfolio.risks)
    assert 900.0 == result.total.mean  # 300 + 500 + 100 every year
    with pytest.raises(ValidationError, match="'which'"):
        register.portfolio(AssessmentKind.TARGET)


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda r: r.by_status("assessed"), InvalidTypeError, "'status'"),
        (lambda r: r.by_category("market"), InvalidTypeError, "'category'"),
        (lambda r: r.by_owner("Tech Lead"), ValidationError, "'owner_role'"),
        (
            lambda r: r.by_source("supply.disruptoin"),
            UnknownKeyError,
            "supply.disruption",
        ),
        (lambda r: r.by_tag(""), ValidationError, "'tag'"),
        (lambda r: r.overdue(NAIVE), NaiveDatetimeError, "'as_of'"),
        (lambda r: r.scores("5x5"), InvalidTypeError, "'matrix'"),
        (lambda r: r.scores(rule="max"), InvalidTypeError, "'rule'"),
        (lambda r: r.scores(which="current"), InvalidTypeError, "'which'"),
        (lambda r: r.by_grade("hihg"), UnknownKeyError, "did you mean 'high'"),
        (
            lambda r: r.by_grade(attrs.evolve(default_matrix().grades[0], key="nil")),
            UnknownKeyError,
            "nil",
        ),
        (lambda r: r.by_response_level("I"), InvalidTypeError, "'level'"),
        (lambda r: r.top(0), ValidationError, "'n'"),
        (lambda r: r.top(2.5), InvalidTypeError, "'n'"),
        (lambda r: r.top(3, by="scroe"), UnknownKeyError, "did you mean 'score'"),
        (lambda r: r.top(3, by=1), InvalidTypeError, "'by'"),
        (lambda r: r.heatmap(rule=3), InvalidTypeError, "'rule'"),
        (lambda r: r.loss_models("current"), InvalidTypeError, "'which'"),
        (lambda r: r.unmodelled(None), InvalidTypeError, "'which'"),
        (
            lambda r: r.top_by_simulated_loss(0, trials=10, seed=1),
            ValidationError,
            "'n'",
        ),
        (
            lambda r: r.top_by_simulated_loss(1, trials=0, seed=1),
            ValidationError,
            "'trials'",
        ),
        (
            lambda r: r.top_by_simulated_loss(1, trials=10, seed=-1),
            ValidationError,
            "'seed'",
        ),
        (
            lambda r: r.top_by_simulated_loss(1, trials=10, seed=None),
            ValidationError,  # as everywhere: randomness must be explicit
            "'seed'",
        ),
        (
            lambda r: r.top_by_simulated_loss(1, trials=10, seed=1, percentile=101),
            ValidationError,
            "'percentile'",
        ),
        (lambda r: r.portfolio("current"), InvalidTypeError, "'which'"),
        (lambda r: r.portfolio(shocks=["x"]), InvalidTypeError, r"'shocks\[0\]'"),
    ],
)
def test_register_queries_refuse_bad_input(
    call: Callable[[RiskRegister], object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        call(_shop())


# --- properties ----------------------------------------------------------------------

_times = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
    max_value=dt.datetime(2028, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
    timezones=st.sampled_from([dt.timezone.utc, TAIPEI]),
)
_impacts = st.dictionaries(
    st.sampled_from(ImpactDimension), st.integers(1, 5), min_size=1, max_size=3
)
_models = st.none() | st.builds(
    CompoundLossModel,
    frequency=st.builds(Poisson, rate=st.floats(0.0, 5.0)),
    severity=st.builds(Constant, value=st.floats(0.0, 1e6)),
)
_assessments = st.builds(
    Assessment,
    likelihood=st.integers(1, 5),
    impacts=_impacts,
    assessed_at=_times,
    assessor=texts,
    note=st.just("") | texts,
    loss_model=_models,
)
_controls = st.lists(
    st.builds(
        Control,
        key=key_words,
        title=texts,
        target=st.sampled_from(ControlTarget),
        effectiveness=st.floats(0.0, 1.0),
        annual_cost=st.floats(0.0, 1e5),
    ),
    max_size=2,
    unique_by=lambda control: control.key,
)
_open_statuses = [status for status in RiskStatus if status.is_active]


@st.composite
def risks(draw: st.DrawFn, key: str | None = None) -> Risk:
    """Draw a valid risk: the status agrees with its assessments and treatment."""
    category = draw(st.sampled_from(CrisisCategory))
    inherent = draw(st.none() | _assessments)
    current = draw(st.none() | _assessments)
    treatment = draw(st.none() | st.sampled_from(Treatment))
    allowed = [RiskStatus.IDENTIFIED]
    if inherent is not None or current is not None:
        allowed.append(RiskStatus.ASSESSED)
        if treatment is Treatment.ACCEPT:
            allowed.append(RiskStatus.ACCEPTED)
        if treatment is not None:
            allowed += [RiskStatus.TREATED, RiskStatus.MONITORED]
    return Risk(
        key=key or draw(key_words),
        title=draw(texts),
        crisis_type=f"{category.value}.{draw(key_words)}",
        description=draw(st.just("") | texts),
        source=draw(st.none() | st.sampled_from(default_sources().keys())),
        cause=draw(st.just("") | texts),
        event=draw(st.just("") | texts),
        consequence=draw(st.just("") | texts),
        owner_role=draw(st.none() | key_words),
        status=draw(st.sampled_from(allowed)),
        treatment=treatment,
        controls=draw(_controls),
        trigger_rules=draw(st.lists(key_words, unique=True, max_size=2)),
        indicators=draw(st.lists(key_words, unique=True, max_size=2)),
        inherent=inherent,
        current=current,
        residual=draw(st.none() | _assessments),
        target=draw(st.none() | _assessments),
        next_review=draw(st.none() | _times),
        tags=draw(st.lists(texts, unique=True, max_size=2)),
    )


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """Draw add / update / retire operations that a register accepts, in order."""
    ops: list[tuple[str, Any]] = []
    open_keys: list[str] = []
    used: set[str] = set()
    for _ in range(draw(st.integers(1, 8))):
        choice = draw(st.sampled_from(["add", "update", "retire"]))
        if choice == "add" or not open_keys:
            key = draw(key_words.filter(lambda k: k not in used))
            used.add(key)
            open_keys.append(key)
            ops.append(("add", draw(risks(key=key))))
        elif choice == "update":
            ops.append(("update", (draw(st.sampled_from(open_keys)), draw(texts))))
        else:
            key = draw(st.sampled_from(open_keys))
            open_keys.remove(key)
            ops.append(("retire", key))
    return ops


def _apply(ops: list[tuple[str, Any]]) -> tuple[list[RiskRegister], dict[str, Risk]]:
    """Apply the operations one by one; keep every register and a dict model."""
    registers = [RiskRegister()]
    model: dict[str, Risk] = {}
    moment = _at(1, 1)
    for step, (op, argument) in enumerate(ops):
        moment += dt.timedelta(hours=step % 2)  # equal moments are allowed too
        register = registers[-1]
        if op == "add":
            register = register.add(argument, at=moment, by="me")
            model[argument.key] = argument
        elif op == "update":
            key, title = argument
            if title == model[key].title:
                title += " (revised)"
            register = register.update(key, at=moment, by="me", title=title)
            model[key] = attrs.evolve(model[key], title=title)
        else:
            register = register.retire(argument, at=moment, by="me", reason="gone")
            del model[argument]
        registers.append(register)
    return registers, model


@settings(max_examples=40, deadline=None)
@given(operations())
def test_history_is_append_only_and_replaying_it_rebuilds_the_register(
    ops: list[tuple[str, Any]],
) -> None:
    registers, model = _apply(ops)
    final = registers[-1]

    for older, newer in itertools.pairwise(registers):
        assert older.history == newer.history[: len(older.history)]
        assert len(older.history) + 1 == len(newer.history)
    assert list(model.values()) == list(final.risks)
    rebuilt = RiskRegister()
    for change in final.history:
        assert change.after is not None
        if change.kind is ChangeKind.ADD:
            rebuilt = rebuilt.add(
                change.after, at=change.at, by=change.by, note=change.note
            )
        elif change.kind is ChangeKind.UPDATE:
            rebuilt = rebuilt.replace(
                change.after, at=change.at, by=change.by, note=change.note
            )
        else:
            rebuilt = rebuilt.retire(
                change.key, at=change.at, by=change.by, reason=change.note
            )
    assert final == rebuilt
    assert final.risks == RiskRegister(history=final.history).risks
    assert final.retired() == rebuilt.retired()


@st.composite
def scored_risks(draw: st.DrawFn) -> list[Risk]:
    keys = draw(st.lists(key_words, min_size=1, max_size=8, unique=True))
    return [
        _risk(
            key,
            "market.competition",
            current=_assessment(draw(st.integers(1, 5)), draw(_impacts)),
        )
        for key in keys
    ]


@settings(max_examples=40, deadline=None)
@given(
    scored_risks(),
    st.randoms(use_true_random=False),
    st.integers(1, 10),
    st.sampled_from(["score", "grade", "likelihood", "impact"]),
)
def test_top_is_sorted_and_independent_of_insertion_order(
    entries: list[Risk],
    shuffler: Any,
    n: int,
    by: str,
) -> None:
    shuffled = list(entries)
    shuffler.shuffle(shuffled)
    first, second = RiskRegister(), RiskRegister()
    for risk in entries:
        first = first.add(risk, at=_at(1, 1), by="me")
    for risk in shuffled:
        second = second.add(risk, at=_at(1, 1), by="me")

    top = first.top(n, by=by)

    assert _keys(top) == _keys(second.top(n, by=by))
    assert min(n, len(entries)) == len(top)
    scores = [risk.current.score() for risk in top if risk.current]
    if by == "score":
        assert scores == sorted(scores, reverse=True)
    assert set(_keys(top)) <= set(_keys(first.risks))


@settings(max_examples=10, deadline=None)
@given(
    st.lists(key_words, min_size=1, max_size=4, unique=True),
    st.randoms(use_true_random=False),
)
def test_top_by_simulated_loss_is_independent_of_insertion_order(
    keys: list[str],
    shuffler: Any,
) -> None:
    entries = [
        _risk(
            key,
            "market.competition",
            current=_assessment(
                1,
                {"brand": 1},
                model=CompoundLossModel(
                    frequency=Poisson(rate=1.0 + index), severity=Constant(value=10.0)
                ),
            ),
        )
        for index, key in enumerate(keys)
    ]
    shuffled = list(entries)
    shuffler.shuffle(shuffled)
    first, second = RiskRegister(), RiskRegister()
    for risk in entries:
        first = first.add(risk, at=_at(1, 1), by="me")
    for risk in shuffled:
        second = second.add(risk, at=_at(1, 1), by="me")

    a = first.top_by_simulated_loss(len(keys), trials=64, seed=11)
    b = second.top_by_simulated_loss(len(keys), trials=64, seed=11)

    assert [(r.key, d) for r, d in a] == [(r.key, d) for r, d in b]
    means = [d.mean for _, d in a]
    assert means == sorted(means, reverse=True)


# --- incremental changes against a replayed history ----------------------------------

_PLATFORM = RiskSource(
    key="platform.rule_change",
    title="Marketplace rule change",
    category=CrisisCategory.MARKET,
    origin=SourceOrigin.EXTERNAL,
)
_SOURCES = default_sources().add(_PLATFORM)
_CRISIS_TYPES = list(default_catalog().keys())


_KEY_POOL = [f"risk_{letter}" for letter in "abcdefghijklmnop"]


def _fresh_keys(taken: set[str]) -> st.SearchStrategy[str]:
    """Keys the register never held; branches may reuse one another's."""
    return st.sampled_from([key for key in _KEY_POOL if key not in taken])


def _replayed(register: RiskRegister) -> RiskRegister:
    """Rebuild a register from its history: the reference for every change."""
    return RiskRegister(
        history=register.history, sources=register.sources, catalog=register.catalog
    )


def _assert_same(built: RiskRegister, replayed: RiskRegister) -> None:
    """The two registers are equal and answer every query alike."""
    assert isinstance(built.history, tuple)
    assert replayed.history == built.history
    assert replayed == built
    assert replayed.risks == built.risks
    assert replayed.keys() == built.keys()
    assert replayed.retired() == built.retired()
    assert len(replayed) == len(built)
    for key in sorted({change.key for change in built.history}):
        assert replayed.added_at(key) == built.added_at(key)
        assert replayed.get(key) == built.get(key)
        assert (key in replayed) == (key in built)
        assert replayed.changes_of(key) == built.changes_of(key)
    for which in AssessmentKind:
        assert replayed.scores(which=which) == built.scores(which=which)
        assert _keys(replayed.top(5, which=which)) == _keys(built.top(5, which=which))
        assert (
            replayed.heatmap(which=which).tolist()
            == built.heatmap(which=which).tolist()
        )
        assert replayed.loss_models(which) == built.loss_models(which)
    for status in RiskStatus:
        assert replayed.by_status(status) == built.by_status(status)
    assert replayed.unscheduled() == built.unscheduled()
    for change in built.history[::3]:
        assert replayed.overdue(change.at) == built.overdue(change.at)
        assert replayed.as_of(change.at) == built.as_of(change.at)


def _state(register: RiskRegister) -> tuple[object, ...]:
    """Everything a refused change must leave as it was, the shared log included."""
    return (
        register.history,
        register.risks,
        register.retired(),
        dict(register._added_at),
        len(register._log._changes),
    )


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_changes_build_the_register_its_history_replays_to(  # noqa: PLR0912, PLR0915  one scenario per operation
    data: st.DataObject,
) -> None:
    """Random adds, updates, replacements, assessments, retirements and refusals,
    sometimes branching off an older register: every register equals the one
    rebuilt from its own history, and a refused change changes nothing."""
    catalog = default_catalog() if data.draw(st.booleans(), label="catalog") else None
    registers = [RiskRegister(sources=_SOURCES, catalog=catalog)]
    held: list[set[str]] = [set()]  # keys each register ever held
    moment = _at(1, 1)
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        moment += dt.timedelta(hours=data.draw(st.integers(0, 1)))
        newest = data.draw(st.booleans(), label="newest")
        index = (
            len(registers) - 1
            if newest
            else data.draw(st.integers(0, len(registers) - 1))
        )
        register, known = registers[index], held[index]
        open_keys = list(register.keys())
        choices = ["add", "refused"]
        if open_keys:
            choices += ["update", "replace", "assess", "retire"]
        op = data.draw(st.sampled_from(choices), label="op")
        event(f"{op} on {'the newest' if newest else 'an older'} register")
        if op == "add":
            key = data.draw(_fresh_keys(known), label="key")
            risk = data.draw(risks(key=key), label="risk")
            if catalog is not None:
                risk = attrs.evolve(
                    risk, crisis_type=data.draw(st.sampled_from(_CRISIS_TYPES))
                )
            new = register.add(risk, at=moment, by="ops")
            known = known | {key}
        elif op == "update":
            key = data.draw(st.sampled_from(open_keys))
            title = f"{register[key].title} v{len(register.history)}"
            new = register.update(key, at=moment, by="ops", title=title)
        elif op == "retire":
            key = data.draw(st.sampled_from(open_keys))
            new = register.retire(key, at=moment, by="ops", reason="gone")
        elif op in ("replace", "assess"):
            key = data.draw(st.sampled_from(open_keys))
            before = _state(register)
            try:
                if op == "replace":
                    drawn = data.draw(risks(key=key), label="replacement")
                    new = register.replace(
                        attrs.evolve(drawn, crisis_type=register[key].crisis_type),
                        at=moment,
                        by="ops",
                    )
                else:
                    assessment = attrs.evolve(
                        data.draw(_assessments, label="assessment"),
                        assessed_at=moment,
                    )
                    which = data.draw(st.sampled_from(AssessmentKind))
                    new = register.assess(
                        key, assessment, at=moment, by="panel", which=which
                    )
            except CrisisOpsError:  # e.g. a status move the drawn risk may not make
                assert before == _state(register)
                continue
        else:
            before = _state(register)
            refusals: list[Callable[[], object]] = [
                partial(register.update, "never_added", at=moment, by="ops", title="x"),
                partial(
                    register.add,
                    _risk("fresh_key", "market.competition", source="no.such_source"),
                    at=moment,
                    by="ops",
                ),
            ]
            if open_keys:
                key = open_keys[0]
                refusals += [
                    partial(register.add, register[key], at=moment, by="ops"),
                    partial(register.replace, register[key], at=moment, by="ops"),
                    partial(
                        register.update,
                        key,
                        at=moment,
                        by="ops",
                        status=RiskStatus.CLOSED,
                    ),
                    partial(register.retire, key, at=moment, by="ops", reason=" "),
                ]
            if register.history:
                late = register.history[-1].at - dt.timedelta(seconds=1)
                refusals.append(
                    partial(
                        register.add,
                        _risk("fresh_key", "market.competition"),
                        at=late,
                        by="ops",
                    )
                )
            attempt = data.draw(st.sampled_from(refusals), label="refusal")
            with pytest.raises(CrisisOpsError):
                attempt()
            assert before == _state(register)
            continue
        registers.append(new)
        held.append(known)
    for register in registers:  # branches never disturbed one another
        _assert_same(register, _replayed(register))


def test_a_chain_of_changes_shares_one_log_until_an_older_register_branches() -> None:
    base = RiskRegister().add(_risk("a", "market.competition"), at=_at(1, 1), by="me")
    first = base.add(_risk("b", "market.competition"), at=_at(1, 2), by="me")
    second = first.update("a", at=_at(1, 3), by="me", title="A")
    branch = first.retire("b", at=_at(1, 4), by="me", reason="merged")

    assert first._log is second._log  # appended in place: nothing copied
    assert branch._log is not first._log  # first was not the newest: copied
    assert ["a", "b"] == list(first.keys())
    assert [ChangeKind.ADD, ChangeKind.ADD, ChangeKind.UPDATE] == [
        change.kind for change in second.history
    ]
    assert [ChangeKind.ADD, ChangeKind.ADD, ChangeKind.RETIRE] == [
        change.kind for change in branch.history
    ]
    assert 2 == len(first.history)
    for register in (base, first, second, branch):
        _assert_same(register, _replayed(register))


def test_the_history_of_a_changed_register_is_built_once_when_read() -> None:
    register = _shop().update("stockout", at=_at(2, 1), by="me", title="Stock-out")

    history = register.history

    assert history is register.history  # kept once built
    assert 7 == len(history)
    assert getattr(register, "no_such_attribute", None) is None
    with pytest.raises(AttributeError, match="no_such_attribute"):
        register.no_such_attribute  # type: ignore[attr-defined]  # noqa: B018


def test_changed_registers_copy_pickle_and_subclass_like_any_value() -> None:
    register = _shop().retire("cash_crunch", at=_at(2, 1), by="cfo", reason="loan")

    assert register == copy.copy(register) == copy.deepcopy(register)
    assert register == pickle.loads(pickle.dumps(register))  # noqa: S301  our own data
    assert register.risks == copy.deepcopy(register).risks

    @attrs.frozen(kw_only=True)
    class Mine(RiskRegister):
        """A subclass: changes fall back to replaying."""

    mine = Mine().add(_risk("x", "market.competition"), at=_at(1, 1), by="me")
    assert isinstance(mine, Mine)
    assert ["x"] == list(mine.keys())


def test_as_of_with_no_later_change_is_the_register_itself() -> None:
    register = _shop()

    assert register.as_of(_at(12, 31)) is register
    assert register.history[:3] == register.as_of(_at(1, 3, 23)).history


# --- round trips ---------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(risks())
def test_risks_round_trip_through_plain_data(risk: Risk) -> None:
    assert risk == _json_round_trip(risk)


@settings(max_examples=30, deadline=None)
@given(_assessments)
def test_assessments_round_trip_through_plain_data(assessment: Assessment) -> None:
    assert assessment == _json_round_trip(assessment)


@settings(max_examples=20, deadline=None)
@given(operations())
def test_registers_with_history_round_trip_through_plain_data(
    ops: list[tuple[str, Any]],
) -> None:
    register = _apply(ops)[0][-1]

    restored = _json_round_trip(register)

    assert register == restored
    assert register.risks == restored.risks
    assert all(_json_round_trip(change) == change for change in register.history[:3])


def test_sources_enums_and_a_register_with_a_catalog_round_trip() -> None:
    with_catalog = RiskRegister(catalog=default_catalog()).add(
        _risk("x", "market.competition"), at=_at(1, 1), by="me"
    )

    assert with_catalog == _json_round_trip(with_catalog)
    assert default_sources() == _json_round_trip(default_sources())
    assert default_sources()["supply.inventory"] == _json_round_trip(
        default_sources()["supply.inventory"]
    )
    assert _shop() == _json_round_trip(_shop())
    for member in [
        *RiskStatus,
        *Treatment,
        *AssessmentKind,
        *ChangeKind,
        *SourceOrigin,
    ]:
        assert member is _json_round_trip(member)
