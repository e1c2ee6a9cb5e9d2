"""JSON Schemas of the documents: real documents validate, broken ones do not.

Every document type of `crisisops.schemas.DOCUMENTS` is built the way the
book's cases build it (a crisis with most event kinds, a register with a
history, a review, a communication plan, a drill report) and its ``to_data``
document, after a trip through strict JSON, must validate. Broken documents
must fail both the schema and ``from_data``. The committed files under
``schemas/`` must equal what the generator returns.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import functools
import json
import runpy
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import attrs
import jsonschema
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from crisisops.errors import (
    InvalidTypeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.monitoring import (
    Above,
    AllOf,
    AnyOf,
    Below,
    Calibrated,
    Change,
    CUSUMChart,
    EWMAChart,
    FixedReference,
    Guards,
    LevelShift,
    MissingData,
    MOfN,
    Not,
    Outside,
    PreviousValue,
    Raw,
    RollingZScore,
    SeasonalLag,
    Side,
    Threshold,
    ThresholdSet,
    Tier,
    TrailingMean,
    TrailingMedian,
    TriggerRule,
    WarmupReference,
)
from crisisops.planning import (
    Cause,
    CauseAnalysis,
    CauseFamily,
    StrategyFamily,
    default_playbooks,
)
from crisisops.planning.causes import Evidence, FiveWhys, Why
from crisisops.response import (
    Crisis,
    FeedbackChannel,
    LossCategory,
    Origin,
    OriginKind,
    RateCard,
)
from crisisops.review import (
    ImprovementAction,
    ImprovementKind,
    Lesson,
    LessonKind,
    LessonTheme,
    Review,
)
from crisisops.risk import (
    PERT,
    Assessment,
    CompoundLossModel,
    Control,
    ControlTarget,
    FAIRModel,
    LogNormal,
    Poisson,
    Risk,
    RiskRegister,
)
from crisisops.risk.distributions import Empirical
from crisisops.scenarios import DrillReport, customer_service_case
from crisisops.schemas import (
    DOCUMENTS,
    JSON_SCHEMA_DIALECT,
    document_schema,
    document_schemas,
    json_schema,
)
from crisisops.serialization import SCHEMA_VERSION, from_data, to_data
from crisisops.stakeholders import (
    Channel,
    CommunicationPlan,
    Stakeholder,
    StakeholderGraph,
    plan_communication,
    recommend_response,
)
from crisisops.taxonomy import ResponseLevel
from tests.strategies import aware_datetimes, crisis_types, labels

ROOT = Path(__file__).resolve().parent.parent
TAIPEI = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI)  # a Monday, Taipei time
Validator = jsonschema.Draft202012Validator


def h(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def plain(document: dict[str, Any]) -> Any:
    """The document as another language reads it: through strict JSON."""
    return json.loads(json.dumps(document, allow_nan=False))


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    schema = document_schema(name)
    return Validator(schema, format_checker=Validator.FORMAT_CHECKER)


_CLASS_VALIDATORS: dict[type, jsonschema.protocols.Validator] = {}


def class_validator(cls: type) -> jsonschema.protocols.Validator:
    if cls not in _CLASS_VALIDATORS:
        _CLASS_VALIDATORS[cls] = Validator(json_schema(cls))
    return _CLASS_VALIDATORS[cls]


def errors_of(name: str, document: Any) -> list[str]:
    return [error.message for error in validator(name).iter_errors(document)]


# --- documents built as the book's cases build them -------------------------------


@functools.cache
def drill_report() -> DrillReport:
    """Book case four (customer service) drilled on ten SKUs: crises and reviews."""
    return customer_service_case(skus=10).drill(seed=1)


@functools.cache
def resolved_crisis() -> Crisis:
    """Book §5.4 案例四: a complaint surge, reopened once, with most event kinds."""
    origin = Origin(
        kind=OriginKind.ALERT,
        reference="complaint_surge/shop/1",
        signal_onset=h(-6),
        detected_at=h(-1),
        crisis_type="other.customer_service_failure",
        level=ResponseLevel.III,
        summary="breach of rule complaint_surge on shop",
    )
    rates = RateCard(
        currency="TWD",
        hourly={"crisis_lead": Decimal(1000), "customer_service": Decimal("500.50")},
        default_hourly=Decimal(400),
    )
    c = Crisis.declare(
        "cs_0302",
        title="Customer complaints surge",
        crisis_type="other.customer_service_failure",
        level=ResponseLevel.III,
        at=h(0),
        actor="monitor",
        lead="lin",
        origins=[origin],
        rates=rates,
    )
    c = c.confirm(at=h(1), actor="lin", root_cause="Too few agents for the promotion")
    c = c.link_origin(
        Origin(kind=OriginKind.REPORT, reference="ticket 4711"),
        at=h(1.5),
        actor="lin",
    )
    c = c.escalate(at=h(2), actor="lin", reason="Complaints doubled")
    c = c.assign_role("customer_service", "wu", at=h(2), actor="lin")
    c = c.assign_role("scribe", "bo", at=h(2), actor="lin")
    c = c.activate_playbook(
        default_playbooks()["service_recovery"], at=h(2.5), actor="lin"
    )
    c = c.assign_action(
        "add_agents",
        at=h(3),
        actor="lin",
        title="Add ten agents",
        owner="wu",
        due_at=h(8),
        done_when="Ten more agents online",
    )
    c = c.assign_action(
        "call_vendor",
        at=h(3),
        actor="lin",
        title="Call the outsourced vendor",
        owner="wu",
        due_at=h(6),
        done_when="The vendor has a plan",
    )
    c = c.start_action("add_agents", at=h(4), actor="wu")
    c = c.block_action("add_agents", at=h(4.5), actor="wu", reason="No desks free")
    c = c.reassign_action(
        "add_agents", at=h(5), actor="lin", reason="Desks tomorrow", due_at=h(20)
    )
    c = c.cancel_action("call_vendor", at=h(5), actor="lin", reason="Vendor called us")
    c = c.record_communication(
        at=h(5),
        actor="mei",
        audience="customers",
        channel=Channel.WEBSITE_NOTICE,
        internal=False,
        summary="We are adding agents",
        next_update_at=h(9),
    )
    c = c.record_feedback(
        at=h(6),
        actor="wu",
        channel=FeedbackChannel.HOTLINE,
        volume=120,
        sentiment=-0.4,
        negative_share=0.6,
        kpis={"feedback.complaints": 340.0},
    )
    c = c.adjust_strategy(
        at=h(6.5),
        actor="lin",
        summary="Answer in public first",
        reason="Sentiment fell",
        families=[StrategyFamily.COMMUNICATION],
    )
    c = c.reallocate_resources(
        at=h(6.5),
        actor="lin",
        amounts={"people.customer_service": 10, "money.overtime": 20000},
        reason="Staff the queue",
    )
    c = c.start_action("add_agents", at=h(7), actor="wu")
    c = c.complete_action("add_agents", at=h(7.5), actor="wu", note="12 agents")
    c = c.relinquish_role("scribe", "bo", at=h(8), actor="lin", reason="Off shift")
    c = c.assign_role("crisis_lead", "mei", at=h(8), actor="lin", reason="Shift change")
    c = c.mark_contained(at=h(10), actor="mei")
    c = c.de_escalate(at=h(11), actor="mei", reason="Queue back under 5 min")
    c = c.record_loss(
        at=h(12),
        actor="fin",
        category=LossCategory.REFUNDS_COMPENSATION,
        amount=Decimal("12000.50"),
    )
    c = c.mark_recovered(at=h(20), actor="mei")
    c = c.resolve(at=h(22), actor="mei", summary="Queue normal")
    c = c.reopen(at=h(24), actor="mei", reason="The queue grew again")
    c = c.mark_contained(at=h(26), actor="mei")
    c = c.mark_recovered(at=h(28), actor="mei")
    return c.resolve(at=h(30), actor="mei", summary="Queue normal for a day")


def other_crises() -> list[Crisis]:
    """The endings the resolved crisis does not have: dismissed, merged, reviewed."""
    first = Crisis.declare(
        "false_alarm",
        title="Sales dip",
        crisis_type="market.demand_shift",
        level=ResponseLevel.IV,
        at=h(0),
        actor="monitor",
        lead="lin",
    )
    merged = Crisis.declare(
        "duplicate_report",
        title="Complaints on the hotline",
        crisis_type="other.customer_service_failure",
        level=ResponseLevel.IV,
        at=h(0),
        actor="hotline",
        lead="wu",
    ).merge_into("cs_0302", at=h(1), actor="lin", reason="Same incident")
    return [
        first.dismiss(at=h(2), actor="lin", reason="Holiday effect"),
        merged,
        resolved_crisis().mark_reviewed(at=h(60), actor="mei", review="review_cs"),
    ]


@functools.cache
def review() -> Review:
    """The crisis's review with causes, lessons and improvements, submitted."""
    causes = CauseAnalysis(
        crisis_key="cs_0302",
        causes=[
            Cause(
                key="no_staffing_plan",
                family=CauseFamily.PRODUCT_SERVICE_QUALITY,
                description="No staffing plan for promotions",
                is_root=True,
                evidence=[
                    Evidence(
                        source="helpdesk log",
                        observed_at=h(-3),
                        metric="feedback.complaints",
                    )
                ],
            )
        ],
        chains=[
            FiveWhys(
                problem="Tickets waited an hour",
                whys=[
                    Why(answer="Too few agents"),
                    Why(answer="No plan", cause="no_staffing_plan"),
                ],
            )
        ],
    )
    draft = Review.draft(
        resolved_crisis(),
        key="review_cs_0302",
        at=h(48),
        owner="mei",
        summary="Complaints surged during the promotion.",
        causes=causes,
    )
    draft = draft.add_lesson(
        Lesson(
            key="too_few_agents",
            kind=LessonKind.WENT_POORLY,
            theme=LessonTheme.SPEED,
            text="Staffing did not follow the promotion calendar.",
        ),
        at=h(49),
        actor="mei",
    )
    draft = draft.add_improvement(
        ImprovementAction(
            key="staff_plan",
            title="Tie the agent roster to the promotion calendar",
            kind=ImprovementKind.PROCESS,
            owner="wu",
            created_at=h(49),
            due_at=h(49 + 24 * 14),
            lesson="too_few_agents",
        ),
        at=h(49),
        actor="mei",
    )
    draft = draft.start_improvement("staff_plan", at=h(50), actor="wu")
    return draft.submit(at=h(51), actor="mei")


@functools.cache
def register() -> RiskRegister:
    """Book §3 風險登記冊: two risks added, assessed with loss models, one retired."""
    stockout = Risk(
        key="peak_stockout",
        title="Best sellers run out during 618",
        crisis_type="supply_chain.inventory",
        owner_role="supply_lead",
        controls=[
            Control(
                key="second_supplier",
                title="Second supplier for the ten best sellers",
                target=ControlTarget.LIKELIHOOD,
                effectiveness=0.4,
                annual_cost=80_000.0,
            )
        ],
        tags=["peak"],
    )
    outage = Risk(
        key="site_outage",
        title="Checkout fails at peak",
        crisis_type="technical.system_failure",
    )
    result = RiskRegister()
    result = result.add(stockout, at=h(0), by="risk_office")
    result = result.add(outage, at=h(0), by="risk_office")
    result = result.assess(
        "peak_stockout",
        Assessment(
            likelihood=4,
            impacts={"financial": 3, "brand": 2},
            assessed_at=h(24),
            assessor="risk_panel",
            loss_model=CompoundLossModel(
                frequency=Poisson(rate=1.25), severity=LogNormal(mu=11.0, sigma=0.8)
            ),
        ),
        at=h(24),
        by="risk_panel",
        next_review=h(24 * 90),
    )
    result = result.assess(
        "site_outage",
        Assessment(
            likelihood=3,
            impacts={"financial": 4},
            assessed_at=h(24),
            assessor="risk_panel",
            loss_model=FAIRModel(
                loss_magnitude=Empirical(
                    values=[1.0e5, 2.5e5, 8.0e5], weights=[0.5, 0.3, 0.2]
                ),
                loss_event_frequency=PERT(low=0.5, mode=2.0, high=6.0),
            ),
        ),
        at=h(24),
        by="risk_panel",
    )
    result = result.update("site_outage", at=h(25), by="cto", owner_role="tech_lead")
    return result.retire("site_outage", at=h(26), by="cto", reason="New platform")


def trigger_rule() -> TriggerRule:
    """A two-tier rule using every signal, predicate, reference and combinator."""
    return TriggerRule(
        name="sales_slump",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.III,
                AnyOf(
                    [
                        Threshold(
                            signal=Change(
                                metric="sales.gmv", baseline=TrailingMean(window=7)
                            ),
                            predicate=Below(-0.2),
                            guards=Guards(min_baseline=1000.0),
                        ),
                        Threshold(
                            signal=Change(metric="sales.gmv", baseline=SeasonalLag()),
                            predicate=Below(Calibrated("gmv_drop")),
                        ),
                        Threshold(
                            signal=Change(
                                metric="sales.orders",
                                baseline=TrailingMedian(window=5, min_periods=3),
                            ),
                            predicate=Below(-0.3, inclusive=True),
                        ),
                        Threshold(
                            signal=Change(
                                metric="sales.orders",
                                baseline=PreviousValue(),
                                relative=False,
                            ),
                            predicate=Below(-50.0),
                        ),
                        Threshold(
                            signal=RollingZScore(metric="sales.gmv", window=14),
                            predicate=Outside(-3.0, Calibrated("z_high")),
                        ),
                        EWMAChart(metric="sales.orders", reference=WarmupReference(28)),
                        CUSUMChart(
                            metric="sales.orders",
                            reference=FixedReference(mean=100.0, sigma=10.0),
                            side=Side.LOWER,
                        ),
                    ]
                ),
            ),
            Tier(
                ResponseLevel.II,
                AllOf(
                    [
                        Threshold(
                            signal=LevelShift(metric="sales.gmv", window=7),
                            predicate=Below(-0.4),
                        ),
                        Not(Threshold(signal=Raw("sales.gmv"), predicate=Above(0.0))),
                    ]
                ),
            ),
        ],
        persistence=MOfN(2, 3),
        clear_condition=Threshold(signal=Raw("sales.gmv"), predicate=Above(5000.0)),
        cooldown=2,
        missing=MissingData.NO_DATA,
        max_gap=3,
        labels={"team": "growth"},
        description="GMV falls against several baselines",
    )


def threshold_set() -> ThresholdSet:
    """A flat bound with a NaN (no bound for that entity) and a weekday bound."""
    weekly = np.arange(14, dtype=np.float64).reshape(7, 2)
    return ThresholdSet(
        version="2026-Q1",
        fitted_through=h(0),
        valid_from=h(24),
        entities=["sku_1", "sku_2"],
        bounds={"gmv_drop": [-0.25, float("nan")], "z_high": weekly},
        notes={"gmv_drop": "5th percentile of 90 days"},
    )


def plan() -> CommunicationPlan:
    """Book §5.4 案例三: a Level I data-breach plan for a small shop."""

    def person(key: str, kind: str, reach: int) -> Stakeholder:
        return Stakeholder(
            key=key,
            name=key.title(),
            kind=kind,
            power=0.6,
            legitimacy=0.8,
            urgency=0.7,
            interest=0.9,
            reach=reach,
            channels=(Channel.EMAIL,),
        )

    graph = StakeholderGraph(
        stakeholders=[
            person("buyers", "customers", 50_000),
            person("press", "media", 20_000),
            person("cac", "regulators", 1),
            person("staff", "employees", 120),
        ]
    )
    recommendation = recommend_response(
        "technical.data_security_breach",
        history=False,
        prior_reputation="neutral",
        serious_harm=True,
    )
    return plan_communication(
        "technical.data_security_breach",
        ResponseLevel.I,
        graph,
        at=h(0),
        recommendation=recommendation,
    )


def documents() -> dict[str, list[Any]]:
    """Every document type with the instances built above."""
    report = drill_report()
    return {
        "crisis": [resolved_crisis(), *other_crises()],
        "risk_register": [register(), RiskRegister()],
        "trigger_rule": [trigger_rule(), *report.policy.rules],
        "threshold_set": [threshold_set()],
        "review": [review()],
        "communication_plan": [plan()],
        "drill_report": [report],
    }


# --- the schemas are valid and complete -----------------------------------------


def test_documents_names_the_top_level_types_ui_tools_need() -> None:
    assert [
        "crisis",
        "risk_register",
        "trigger_rule",
        "threshold_set",
        "review",
        "communication_plan",
        "drill_report",
    ] == list(DOCUMENTS)
    assert list(DOCUMENTS) == list(document_schemas())


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = document_schema(name)
    Validator.check_schema(schema)
    assert JSON_SCHEMA_DIALECT == schema["$schema"]
    assert {"const": SCHEMA_VERSION} == schema["properties"]["schema_version"]
    assert {"const": DOCUMENTS[name].__name__} == schema["properties"]["type"]
    assert list(schema["$defs"]) == sorted(schema["$defs"])


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node))
    return set()


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_reference_resolves_and_every_definition_is_used(name: str) -> None:
    schema = document_schema(name)
    assert {f"#/$defs/{key}" for key in schema["$defs"]} == _refs(schema)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_class_and_field_is_described_from_its_docstring(name: str) -> None:
    schema = document_schema(name)
    undescribed = [
        f"{key}.{field}"
        for key, definition in schema["$defs"].items()
        for field, prop in definition.get("properties", {}).items()
        if field != "@type" and not prop.get("description")
    ]
    untitled = [k for k, d in schema["$defs"].items() if not d.get("description")]
    assert [] == undescribed
    assert [] == untitled


def test_the_generator_is_deterministic_and_returns_fresh_data() -> None:
    first = document_schema("crisis")
    second = document_schema("crisis")
    assert json.dumps(first) == json.dumps(second)
    first["$defs"]["Crisis"]["title"] = "changed"
    assert "Crisis" == document_schema("crisis")["$defs"]["Crisis"]["title"]


# --- real documents validate --------------------------------------------------------


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_real_documents_of_every_type_validate(name: str) -> None:
    instances = documents()[name]
    for instance in instances:
        document = plain(to_data(instance))
        assert [] == errors_of(name, document), instance


def test_the_crisis_documents_cover_every_event_kind() -> None:
    seen = {
        event["@type"]
        for crisis in documents()["crisis"]
        for event in plain(to_data(crisis))["data"]["events"]
    }
    schema = document_schema("crisis")
    kinds = {
        ref["$ref"].rsplit("/", 1)[1]
        for ref in schema["$defs"]["Crisis"]["properties"]["events"]["items"]["oneOf"]
    }
    assert 26 == len(kinds)  # the 26 event classes of crisisops.response.events
    assert kinds == seen


def test_the_drill_report_holds_crises_and_reviews_that_validate_on_their_own() -> None:
    # The report itself validates in test_real_documents_of_every_type_validate.
    report = drill_report()
    assert report.crises
    assert report.reviews
    for crisis in report.crises:
        assert [] == errors_of("crisis", plain(to_data(crisis)))
    for one in report.reviews:
        assert [] == errors_of("review", plain(to_data(one)))


# --- broken documents are rejected, by the schema and by from_data ---------------


DROP = object()  # a mutation that deletes the field instead of setting it

# (document, what is broken, path to the field, new value or DROP)
MUTATIONS: list[tuple[str, str, str, Any]] = [
    ("crisis", "missing field", "data.events.0.title", DROP),
    ("crisis", "wrong enum value", "data.events.0.level", "V"),
    ("crisis", "wrong type", "data.events.0.sequence", "many"),
    ("crisis", "unknown property", "data.events.0.colour", 1),
    ("crisis", "unknown event tag", "data.events.1.@type", "Panic"),
    ("crisis", "naive datetime", "data.events.0.at", "2026-03-02T09:00:00"),
    ("crisis", "decimal as a float", "data.events.0.rates.default_hourly", 12.5),
    ("risk_register", "missing field", "data.history.0.by", DROP),
    ("risk_register", "wrong enum value", "data.history.0.kind", "gone"),
    ("risk_register", "wrong type", "data.sources", []),
    ("risk_register", "unknown property", "data.shadow", True),
    ("trigger_rule", "missing field", "data.crisis_type", DROP),
    ("trigger_rule", "wrong enum value", "data.missing", "skip"),
    ("trigger_rule", "wrong type", "data.cooldown", "2"),
    ("trigger_rule", "unknown property", "data.tiers.0.weight", 1),
    ("trigger_rule", "tag missing", "data.persistence.@type", DROP),
    ("threshold_set", "missing field", "data.valid_from", DROP),
    ("threshold_set", "wrong dtype", "data.bounds.gmv_drop.dtype", "complex128"),
    ("threshold_set", "wrong type", "data.bounds.gmv_drop.data", ["x"]),
    ("threshold_set", "unknown property", "data.bounds.gmv_drop.order", 1),
    ("review", "missing field", "data.owner", DROP),
    ("review", "wrong enum value", "data.status", "archived"),
    ("review", "wrong type", "data.created_at", "P1D"),
    ("review", "unknown property", "data.lessons.0.mood", "x"),
    ("communication_plan", "missing field", "data.steps.0.message", DROP),
    ("communication_plan", "wrong enum value", "data.level", "V"),
    ("communication_plan", "wrong type", "data.steps", 3),
    ("communication_plan", "unknown property", "data.budget", 0),
    ("communication_plan", "bad duration", "data.steps.0.cadence.first_within", "3h"),
    # The drill report holds crises, reviews and rules broken above; a broken
    # envelope is refused before its (large) data is read.
    ("drill_report", "envelope version", "schema_version", 2),
    ("drill_report", "envelope type", "type", "Crisis"),
    ("threshold_set", "envelope extra", "meta", {}),
    ("threshold_set", "envelope missing", "schema_version", DROP),
]


def mutate(document: dict[str, Any], path: str, value: Any) -> None:
    """Set (or with DROP delete) the field at a dotted path; digits index lists."""
    *parents, last = [int(s) if s.isdigit() else s for s in path.split(".")]
    node: Any = document
    for step in parents:
        node = node[step]
    if value is DROP:
        del node[last]
    else:
        node[last] = value


@functools.cache
def _sample_document(name: str) -> str:
    builders: dict[str, Callable[[], object]] = {
        "crisis": resolved_crisis,
        "risk_register": register,
        "trigger_rule": trigger_rule,
        "threshold_set": threshold_set,
        "review": review,
        "communication_plan": plan,
        "drill_report": drill_report,
    }
    return json.dumps(to_data(builders[name]()), allow_nan=False)


@pytest.mark.parametrize(
    ("name", "what", "path", "value"),
    MUTATIONS,
    ids=[f"{name}: {what}" for name, what, _, _ in MUTATIONS],
)
def test_broken_documents_fail_the_schema_and_from_data(
    name: str, what: str, path: str, value: Any
) -> None:
    # The unbroken documents validate (test_real_documents_of_every_type_validate).
    document = json.loads(_sample_document(name))
    mutate(document, path, value)

    assert not validator(name).is_valid(document), what
    with pytest.raises(SerializationError):
        from_data(DOCUMENTS[name], document)


def test_a_seconds_offset_fails_the_schema_as_from_data_cannot_read_it() -> None:
    # datetime.isoformat writes historic local-mean-time offsets with seconds
    # ("+00:19:32"); dateutil's isoparse, which from_data uses, refuses them.
    document = json.loads(_sample_document("threshold_set"))
    document["data"]["fitted_through"] = "1900-01-01T00:00:00+00:19:32"
    assert errors_of("threshold_set", document)
    with pytest.raises(SerializationError):
        from_data(ThresholdSet, document)


def test_equivalent_spellings_from_other_languages_validate() -> None:
    # JavaScript's Date.toISOString() writes milliseconds and "Z".
    document = json.loads(_sample_document("threshold_set"))
    document["data"]["valid_from"] = "2026-03-03T01:00:00.000Z"
    assert [] == errors_of("threshold_set", document)
    assert h(24) == from_data(ThresholdSet, document).valid_from


# --- schemas of small classes, by hand ----------------------------------------------

# The patterns, written out by hand from RFC 3339 and serialization's grammar.
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
DURATION = r"^-?P(?:\d{1,9}D(?:T\d{1,12}(?:\.\d{1,6})?S)?|T\d{1,12}(?:\.\d{1,6})?S)$"
FLOAT = {"anyOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]}


@attrs.frozen(kw_only=True)
class Window:
    """A time window.

    Longer text that is not the summary.

    Attributes
    ----------
    start
        When it
        opens.
    length
        How long it lasts, ``None`` if open.
    """

    start: dt.datetime
    length: dt.timedelta | None = None


def test_the_schema_of_a_small_class_by_hand() -> None:
    described = {
        "title": "Window",
        "description": "A time window.",
        "type": "object",
        "properties": {
            "start": {
                "description": "When it opens.",
                "type": "string",
                "format": "date-time",
                "pattern": DATETIME,
            },
            "length": {
                "description": "How long it lasts, `None` if open.",
                "anyOf": [{"type": "string", "pattern": DURATION}, {"type": "null"}],
            },
        },
        "required": ["start", "length"],
        "additionalProperties": False,
    }
    expected = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Window",
        "description": "A time window.",
        "type": "object",
        "properties": {
            "schema_version": {"const": 1},
            "type": {"const": "Window"},
            "data": {"$ref": "#/$defs/Window"},
        },
        "required": ["schema_version", "type", "data"],
        "additionalProperties": False,
        "$defs": {"Window": described},
    }

    assert expected == json_schema(Window)


def test_labels_and_enums_by_hand() -> None:
    schema = json_schema(Labels)
    assert ["en", "zh_hant", "zh_hans"] == schema["$defs"]["Labels"]["required"]
    assert {"type": "string"} == {
        k: v
        for k, v in schema["$defs"]["Labels"]["properties"]["en"].items()
        if k != "description"
    }
    levels = json_schema(ResponseLevel)
    assert {"$ref": "#/$defs/ResponseLevel"} == levels["properties"]["data"]
    assert ["I", "II", "III", "IV"] == levels["$defs"]["ResponseLevel"]["enum"]
    assert "string" == levels["$defs"]["ResponseLevel"]["type"]
    assert [] == list(Validator(levels).iter_errors(plain(to_data(ResponseLevel.II))))


def test_tagged_unions_and_arrays_in_the_trigger_rule_schema() -> None:
    defs = document_schema("trigger_rule")["$defs"]
    # Above.bound is float | Calibrated: a number (or NaN text) or a tagged object.
    assert {"oneOf": [{"$ref": "#/$defs/Calibrated"}, FLOAT]} == {
        k: v for k, v in defs["Above"]["properties"]["bound"].items() if k == "oneOf"
    }
    assert {"const": "Calibrated"} == defs["Calibrated"]["properties"]["@type"]
    assert "@type" == defs["Calibrated"]["required"][0]
    # FrozenDict[str, str] is an object of strings.
    labels_prop = defs["TriggerRule"]["properties"]["labels"]
    assert "object" == labels_prop["type"]
    assert {"type": "string"} == labels_prop["additionalProperties"]
    bounds = document_schema("threshold_set")["$defs"]["ThresholdSet"]["properties"]
    array = bounds["bounds"]["additionalProperties"]
    assert {"const": "float64"} == array["properties"]["dtype"]
    assert FLOAT == array["properties"]["data"]["items"]
    assert ["dtype", "shape", "data"] == array["required"]


@attrs.frozen
class Lists:
    """A list, a fixed pair and a frozenset."""

    names: list[str]
    pair: tuple[int, Colour]
    tags: frozenset[str]


def test_sequences_by_hand() -> None:
    # list[X] is described as serialization documents it, a list of X; no
    # crisisops class has such a field (serialization handles only tuples so far).
    properties = json_schema(Lists)["$defs"]["Lists"]["properties"]
    assert {"type": "array", "items": {"type": "string"}} == properties["names"]
    assert {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"$ref": "#/$defs/Colour"}],
        "items": False,
        "minItems": 2,
    } == properties["pair"]
    assert {
        "type": "array",
        "items": {"type": "string"},
        "uniqueItems": True,
    } == properties["tags"]


def test_a_generic_catalog_has_its_entry_type() -> None:
    defs = document_schema("crisis")["$defs"]
    entries = defs["RoleCatalog"]["properties"]["entries"]
    assert {"$ref": "#/$defs/Role"} == entries["items"]


def test_enum_keyed_mappings_name_their_keys() -> None:
    defs = document_schema("crisis")["$defs"]
    # ResponseMetrics is in the review; the crisis has RateCard (str keys).
    review_defs = document_schema("review")["$defs"]
    time_at_level = review_defs["ResponseMetrics"]["properties"]["time_at_level"]
    assert {"$ref": "#/$defs/ResponseLevel"} == time_at_level["propertyNames"]
    assert "object" == defs["RateCard"]["properties"]["hourly"]["type"]


# --- every type serialization writes: hypothesis ------------------------------------


class Colour(enum.Enum):
    """A colour."""

    RED = "red"
    BLUE = "blue"


class Size(enum.Enum):
    """A size, with integer values: a mapping keyed by it is a list of pairs."""

    SMALL = 1
    LARGE = 3


@attrs.frozen(kw_only=True)
class Circle:
    """A circle."""

    radius: float


@attrs.frozen(kw_only=True)
class Square:
    """A square."""

    side: float


@attrs.frozen(kw_only=True)
class Sample:
    """One field of every kind serialization writes."""

    when: dt.datetime
    day: dt.date
    lasting: dt.timedelta
    amount: Decimal
    ratio: float
    count: int
    flag: bool
    name: str
    note: str | None
    colour: Colour
    mode: Literal["fast", "slow"]
    tags: frozenset[str]
    pair: tuple[int, str]
    values: tuple[float, ...]
    shares: FrozenDict[Colour, float]
    sizes: FrozenDict[Size, int]
    shape: Circle | Square
    bound: float | Circle
    maybe: Circle | Square | None
    circle: Circle | None
    series: np.ndarray[Any, np.dtype[np.float64]] = attrs.field(eq=False)
    counts: np.ndarray[Any, np.dtype[np.int16]] = attrs.field(eq=False)
    anything: np.ndarray[Any, Any] = attrs.field(eq=False)


shapes = st.one_of(
    st.builds(Circle, radius=st.floats()), st.builds(Square, side=st.floats())
)
samples = st.builds(
    Sample,
    when=aware_datetimes,
    day=st.dates(),
    lasting=st.timedeltas(),
    amount=st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda d: abs(d.adjusted()) < 9000 and len(d.as_tuple().digits) <= 100
    ),
    ratio=st.floats(),
    count=st.integers(),
    flag=st.booleans(),
    name=st.text(),
    note=st.none() | st.text(),
    colour=st.sampled_from(Colour),
    mode=st.sampled_from(["fast", "slow"]),
    tags=st.frozensets(st.text(max_size=3), max_size=4),
    pair=st.tuples(st.integers(), st.text(max_size=3)),
    values=st.lists(st.floats(), max_size=4).map(tuple),
    shares=st.dictionaries(st.sampled_from(Colour), st.floats()).map(FrozenDict),
    sizes=st.dictionaries(st.sampled_from(Size), st.integers()).map(FrozenDict),
    shape=shapes,
    bound=st.floats() | st.builds(Circle, radius=st.floats()),
    maybe=st.none() | shapes,
    circle=st.none() | st.builds(Circle, radius=st.floats()),
    series=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)),
    counts=hnp.arrays(np.int16, hnp.array_shapes(min_dims=1, max_dims=2, max_side=3)),
    anything=st.sampled_from([np.bool_, np.uint8, np.int64, np.float32]).flatmap(
        lambda dtype: hnp.arrays(dtype, hnp.array_shapes(max_dims=1, max_side=3))
    ),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=samples)
def test_every_kind_of_value_validates_as_to_data_writes_it(sample: Sample) -> None:
    document = plain(to_data(sample))

    assert [] == list(class_validator(Sample).iter_errors(document))
    back = from_data(Sample, document)  # what validates, from_data reads
    assert sample.when == back.when
    assert sample.lasting == back.lasting
    assert sample.amount == back.amount


@settings(max_examples=30, deadline=None)
@given(value=st.one_of(labels, crisis_types()))
def test_generated_labels_and_crisis_types_validate(value: object) -> None:
    document = plain(to_data(value))
    assert [] == list(class_validator(type(value)).iter_errors(document))


@settings(max_examples=30, deadline=None)
@given(
    guards=st.builds(
        Guards,
        min_baseline=st.none() | st.floats(0, 1e9),
        min_abs_change=st.none() | st.floats(0, 1e9),
    ),
    reference=st.builds(
        FixedReference, mean=st.floats(-1e6, 1e6), sigma=st.floats(0.1, 1e6)
    ),
)
def test_generated_condition_parts_validate(
    guards: Guards, reference: FixedReference
) -> None:
    for value in (guards, reference):
        document = plain(to_data(value))
        assert [] == list(class_validator(type(value)).iter_errors(document))


def test_a_class_in_a_union_and_alone_gets_two_definitions() -> None:
    @attrs.frozen(kw_only=True)
    class Holder:
        """Holds a circle twice."""

        alone: Circle
        either: Circle | Square

    defs = json_schema(Holder)["$defs"]
    assert {"Circle", "CircleTagged", "Holder", "Square"} == set(defs)
    assert "@type" not in defs["Circle"]["properties"]
    assert {"const": "Circle"} == defs["CircleTagged"]["properties"]["@type"]
    document = plain(to_data(Holder(alone=Circle(radius=1), either=Circle(radius=2))))
    assert [] == list(Validator(json_schema(Holder)).iter_errors(document))


def _same_name_classes() -> tuple[type, type]:
    def first() -> type:
        @attrs.frozen
        class Part:
            """A part with a number."""

            number: int

        return Part

    def second() -> type:
        @attrs.frozen
        class Part:
            """A part with a name."""

            name: str

        return Part

    return first(), second()


def test_two_classes_of_one_name_get_qualified_definitions() -> None:
    one, two = _same_name_classes()

    machine = attrs.make_class(
        "Machine", {"first": attrs.field(type=one), "second": attrs.field(type=two)}
    )
    defs = json_schema(machine)["$defs"]
    qualified = sorted(name for name in defs if name.endswith(".Part"))
    assert 2 == len(qualified)
    assert all(".test_schemas." in name for name in qualified)
    assert {"number"} == set(defs[qualified[0]]["properties"])
    assert {"name"} == set(defs[qualified[1]]["properties"])


# --- generic classes ----------------------------------------------------------------

ItemT = TypeVar("ItemT")


@attrs.frozen
class Box(Generic[ItemT]):
    """A box of one item."""

    item: ItemT


@attrs.frozen
class IntBox(Box[int]):
    """A box of an integer."""


OtherT = TypeVar("OtherT")


@attrs.frozen
class PairBox(Box[tuple[OtherT, OtherT]], Generic[OtherT]):
    """A box of a pair of one type."""


@attrs.frozen
class DatePairBox(PairBox[dt.date]):
    """A box of two dates."""


def test_a_subclass_fixes_the_type_variable() -> None:
    defs = json_schema(IntBox)["$defs"]
    assert {"description": "A box of an integer."} == {
        k: v for k, v in defs["IntBox"].items() if k == "description"
    }
    assert {"type": "integer"} == defs["IntBox"]["properties"]["item"]


def test_type_variables_resolve_through_two_generations() -> None:
    item = json_schema(DatePairBox)["$defs"]["DatePairBox"]["properties"]["item"]
    date = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    assert {
        "type": "array",
        "prefixItems": [date, date],
        "items": False,
        "minItems": 2,
    } == item
    box = DatePairBox((dt.date(2026, 6, 18), dt.date(2026, 11, 11)))
    document = plain(to_data(box))
    assert ["2026-06-18", "2026-11-11"] == document["data"]["item"]
    assert [] == list(class_validator(DatePairBox).iter_errors(document))


# --- bad input ----------------------------------------------------------------------


@attrs.frozen
class Loose:
    """A field of any type."""

    value: Any


@attrs.frozen
class BareTuple:
    """A tuple without item type."""

    values: tuple  # type: ignore[type-arg]


@attrs.frozen
class TwoPlain:
    """A union of two plain types."""

    value: int | str


@attrs.frozen
class Unresolved:
    """An annotation naming nothing."""

    value: NoSuchType  # type: ignore[name-defined]  # noqa: F821


class Shape(enum.Enum):
    """An enum whose values are not plain JSON."""

    POINT = (0, 0)


@attrs.frozen
class Shaped:
    """A field of that enum."""

    shape: Shape


@pytest.mark.parametrize(
    ("cls", "match"),
    [
        (Loose, r"'Loose\.value' must be a type crisisops serialises.*typing\.Any"),
        (BareTuple, r"'BareTuple\.values' must be a type crisisops serialises"),
        (
            TwoPlain,
            r"'TwoPlain\.value' must be a type crisisops serialises.*int \| str",
        ),
        (Unresolved, r"'Unresolved' must be a class whose annotations resolve.*NoSuch"),
        (Shaped, r"'Shaped\.shape' must be a value of the enum Shape that is plain"),
        (Box, r"'Box\.item' must be .*not a free type variable"),
    ],
)
def test_unsupported_annotations_name_the_field(cls: type, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        json_schema(cls)


@pytest.mark.parametrize(
    "value", [42, None, "Crisis", dict, int, Labels(en="a", zh_hant="b", zh_hans="c")]
)
def test_json_schema_refuses_what_is_not_a_value_class(value: Any) -> None:
    with pytest.raises(
        InvalidTypeError, match="'cls' must be an attrs class or an enum"
    ):
        json_schema(value)


def test_document_schema_refuses_unknown_names() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean 'crisis'"):
        document_schema("crisis_log")
    with pytest.raises(InvalidTypeError, match="'name' must be a document name"):
        document_schema(Crisis)  # type: ignore[arg-type]


# --- the committed files and the lazy import ------------------------------------------


def test_the_committed_schema_files_are_current() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "write_schemas.py"))
    folder = ROOT / "schemas"
    files = sorted(path.name for path in folder.glob("*.schema.json"))

    assert sorted(f"{name}.schema.json" for name in DOCUMENTS) == files
    for name in DOCUMENTS:
        text = (folder / f"{name}.schema.json").read_text(encoding="utf-8")
        assert script["render"](name) == text, (
            f"schemas/{name}.schema.json is stale: run python scripts/write_schemas.py"
        )
        assert document_schema(name) == json.loads(text)


def test_importing_the_module_does_not_import_jsonschema() -> None:
    code = (
        "import sys, crisisops.schemas; "
        "assert 'jsonschema' not in sys.modules, 'jsonschema imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


def test_mutating_a_returned_schema_does_not_touch_the_next() -> None:
    schema = json_schema(Window)
    deep = copy.deepcopy(schema)
    schema["$defs"]["Window"]["properties"].clear()
    assert deep == json_schema(Window)
