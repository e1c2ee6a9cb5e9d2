"""Taxonomy: crisis types, SCCT clusters, response levels and lifecycle phases."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.taxonomy import (
    CoombsStage,
    CrisisCategory,
    CrisisType,
    CrisisTypeCatalog,
    FinkStage,
    PearsonMitroffStage,
    Phase,
    ResponseLevel,
    SCCTCluster,
    SCCTCrisisType,
    default_catalog,
)

from .strategies import crisis_types

TEXT = Labels(en="Flash-sale overload", zh_hant="秒殺超載", zh_hans="秒杀超载")


def _flash_sale(**changes: Any) -> CrisisType:
    fields: dict[str, Any] = {
        "key": "market.flash_sale_overload",
        "category": CrisisCategory.MARKET,
        "labels": TEXT,
        "description": TEXT,
        "book_section": "§2.1 市場危機",
        "indicators": ["tech.error_rate"],
        "default_roles": ["crisis_lead"],
        "default_playbooks": ["peak_load_scaling"],
    }
    fields.update(changes)
    return CrisisType(**fields)


# --- crisis types -------------------------------------------------------------


def test_crisis_type_normalises_lists_to_tuples() -> None:
    flash = _flash_sale()

    assert ("tech.error_rate",) == flash.indicators
    assert flash.scct_cluster is None


def test_scct_cluster_follows_the_scct_type() -> None:
    flash = _flash_sale(scct_type=SCCTCrisisType.TECHNICAL_ERROR_ACCIDENT)

    assert SCCTCluster.ACCIDENTAL == flash.scct_cluster


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"key": "Market.Flash"}, ValidationError, "key"),
        ({"key": "market"}, ValidationError, "key"),
        ({"key": "product.flash_sale"}, ValidationError, "key"),
        ({"key": "market..x"}, ValidationError, "key"),
        ({"key": 5}, InvalidTypeError, "key"),
        ({"category": "market"}, InvalidTypeError, "category"),
        ({"labels": {"en": "x"}}, InvalidTypeError, "labels"),
        ({"description": None}, InvalidTypeError, "description"),
        ({"book_section": "2.1"}, ValidationError, "book_section"),
        ({"book_section": 2}, InvalidTypeError, "book_section"),
        ({"indicators": "tech.error_rate"}, InvalidTypeError, "indicators"),
        ({"indicators": ["Tech Error"]}, ValidationError, "indicators[0]"),
        ({"indicators": ["a.b", "a.b"]}, ValidationError, "indicators"),
        ({"default_roles": ["crisis.lead"]}, ValidationError, "default_roles[0]"),
        ({"default_playbooks": [3]}, InvalidTypeError, "default_playbooks[0]"),
        ({"scct_type": "rumor"}, InvalidTypeError, "scct_type"),
        ({"parent": "market.flash_sale_overload"}, ValidationError, "parent"),
        ({"parent": "Not A Key"}, ValidationError, "parent"),
    ],
)
def test_bad_crisis_type_fields_are_refused_naming_the_field(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        _flash_sale(**changes)

    assert f"'{field}'" in str(caught.value)


def test_crisis_type_is_immutable_and_evolves_with_validation() -> None:
    flash = _flash_sale()

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        flash.key = "market.other"  # type: ignore[misc]  # the point of the test
    with pytest.raises(ValidationError):
        attrs.evolve(flash, key="technical.flash")


@given(crisis_types())
def test_generated_types_live_under_their_category(crisis: CrisisType) -> None:
    assert crisis.key.startswith(crisis.category.value + ".")


# --- the catalog of crisis types ----------------------------------------------


def test_default_catalog_is_a_fresh_equal_value_each_call() -> None:
    assert default_catalog() == default_catalog()
    assert default_catalog() is not default_catalog()


def test_user_types_are_added_without_touching_the_default() -> None:
    mine = default_catalog().add(_flash_sale())

    assert "market.flash_sale_overload" in mine
    assert "market.flash_sale_overload" not in default_catalog()
    with pytest.raises(DuplicateKeyError, match="duplicate crisis type"):
        mine.add(_flash_sale())


def test_unknown_type_key_suggests_the_right_one() -> None:
    with pytest.raises(
        UnknownKeyError, match=r"did you mean 'supply_chain\.inventory'"
    ):
        default_catalog()["supply_chain.inventroy"]


def test_labels_must_be_unique_per_language() -> None:
    copycat = _flash_sale(
        labels=Labels(en="inventory CRISIS", zh_hant="新", zh_hans="新")
    )

    with pytest.raises(DuplicateKeyError, match=r"label \(en\) 'inventory crisis'"):
        default_catalog().add(copycat)


def test_parent_must_be_in_the_catalog() -> None:
    with pytest.raises(UnknownKeyError, match="parent crisis type"):
        default_catalog().add(_flash_sale(parent="market.no_such_type"))


def test_child_types_are_listed_under_their_parent() -> None:
    catalog = default_catalog().add(_flash_sale(parent="market.demand_shift"))

    children = catalog.children("market.demand_shift")

    assert ("market.flash_sale_overload",) == tuple(c.key for c in children)
    with pytest.raises(UnknownKeyError):
        catalog.children("market.nothing")


def test_in_category_keeps_only_that_category() -> None:
    market = default_catalog().in_category(CrisisCategory.MARKET)

    assert len(market) > 0
    assert {CrisisCategory.MARKET} == {t.category for t in market}
    with pytest.raises(InvalidTypeError, match="'category'"):
        default_catalog().in_category("market")  # type: ignore[arg-type]


def test_every_book_category_has_types() -> None:
    assert tuple(CrisisCategory) == default_catalog().categories()


@pytest.mark.parametrize(
    "label", ["Inventory crisis", "inventory CRISIS", "庫存危機", "库存危机"]
)
def test_types_are_found_by_label_in_any_language(label: str) -> None:
    assert "supply_chain.inventory" == default_catalog().by_label(label).key


def test_unknown_label_is_refused_with_suggestions() -> None:
    with pytest.raises(UnknownKeyError, match="did you mean '庫存危機'"):
        default_catalog().by_label("庫存危")
    with pytest.raises(InvalidTypeError):
        default_catalog().by_label(None)  # type: ignore[arg-type]


def test_category_labels_and_sections_come_from_the_book() -> None:
    assert "供應鏈危機" == CrisisCategory.SUPPLY_CHAIN.labels.zh_hant
    assert "§2.4 財務危機" == CrisisCategory.FINANCIAL.book_section


def test_catalog_rejects_entries_that_are_not_crisis_types() -> None:
    with pytest.raises(InvalidTypeError, match="a CrisisType"):
        CrisisTypeCatalog(["market.demand_shift"])


# --- SCCT ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scct_type", "cluster"),
    [
        (SCCTCrisisType.NATURAL_DISASTER, SCCTCluster.VICTIM),
        (SCCTCrisisType.RUMOR, SCCTCluster.VICTIM),
        (SCCTCrisisType.WORKPLACE_VIOLENCE, SCCTCluster.VICTIM),
        (SCCTCrisisType.PRODUCT_TAMPERING, SCCTCluster.VICTIM),
        (SCCTCrisisType.CHALLENGE, SCCTCluster.ACCIDENTAL),
        (SCCTCrisisType.TECHNICAL_ERROR_ACCIDENT, SCCTCluster.ACCIDENTAL),
        (SCCTCrisisType.TECHNICAL_ERROR_PRODUCT_HARM, SCCTCluster.ACCIDENTAL),
        (SCCTCrisisType.HUMAN_ERROR_ACCIDENT, SCCTCluster.PREVENTABLE),
        (SCCTCrisisType.HUMAN_ERROR_PRODUCT_HARM, SCCTCluster.PREVENTABLE),
        (SCCTCrisisType.ORGANIZATIONAL_MISDEED_NO_INJURIES, SCCTCluster.PREVENTABLE),
        (
            SCCTCrisisType.ORGANIZATIONAL_MISDEED_MANAGEMENT_MISCONDUCT,
            SCCTCluster.PREVENTABLE,
        ),
        (SCCTCrisisType.ORGANIZATIONAL_MISDEED_WITH_INJURIES, SCCTCluster.PREVENTABLE),
    ],
)
def test_scct_types_fall_in_the_clusters_of_coombs_2007_table_1(
    scct_type: SCCTCrisisType, cluster: SCCTCluster
) -> None:
    assert cluster == scct_type.cluster


def test_intensifiers_move_one_cluster_up_and_stop_at_preventable() -> None:
    assert SCCTCluster.ACCIDENTAL == SCCTCluster.VICTIM.intensified()
    assert SCCTCluster.PREVENTABLE == SCCTCluster.ACCIDENTAL.intensified()
    assert SCCTCluster.PREVENTABLE == SCCTCluster.PREVENTABLE.intensified()
    assert [1, 2, 3] == [c.responsibility for c in SCCTCluster]
    assert "可預防型" == SCCTCluster.PREVENTABLE.labels.zh_hant


# --- response levels ----------------------------------------------------------


def test_levels_are_ordered_by_severity_level_one_most_severe() -> None:
    assert ResponseLevel.I > ResponseLevel.II > ResponseLevel.III > ResponseLevel.IV
    assert ResponseLevel.IV < ResponseLevel.I
    assert ResponseLevel.II <= ResponseLevel.II
    assert ResponseLevel.II >= ResponseLevel.III
    assert ResponseLevel.I == max(ResponseLevel)
    expected = [ResponseLevel.IV, ResponseLevel.III, ResponseLevel.II, ResponseLevel.I]
    assert expected == sorted(ResponseLevel)


def test_levels_do_not_compare_with_other_things() -> None:
    with pytest.raises(TypeError):
        _ = ResponseLevel.I < 1  # the point of the test
    text: object = "I"
    assert ResponseLevel.I != text


@pytest.mark.parametrize(
    ("level", "number", "severity", "colour", "zh_hant", "sev"),
    [
        (ResponseLevel.I, 1, 4, "red", "特別重大", "SEV1"),
        (ResponseLevel.II, 2, 3, "orange", "重大", "SEV2"),
        (ResponseLevel.III, 3, 2, "yellow", "較大", "SEV3"),
        (ResponseLevel.IV, 4, 1, "blue", "一般", "SEV4"),
    ],
)
def test_each_level_has_its_number_colour_label_and_severity(
    level: ResponseLevel,
    number: int,
    severity: int,
    colour: str,
    zh_hant: str,
    sev: str,
) -> None:
    assert number == level.number
    assert severity == level.severity
    assert colour == level.colour
    assert zh_hant == level.labels.zh_hant
    assert sev == level.to_sev()
    assert level == ResponseLevel.from_sev(sev)
    assert level == ResponseLevel.from_number(number)


def test_sev_spellings_are_accepted() -> None:
    assert ResponseLevel.I == ResponseLevel.from_sev("SEV-1")
    assert ResponseLevel.III == ResponseLevel.from_sev(" sev3 ")


@pytest.mark.parametrize(
    ("bad", "error"), [("SEV5", UnknownKeyError), (1, InvalidTypeError)]
)
def test_unmapped_severities_are_refused(bad: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        ResponseLevel.from_sev(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (0, ValidationError),
        (5, ValidationError),
        (True, InvalidTypeError),
        ("1", InvalidTypeError),
    ],
)
def test_level_numbers_outside_one_to_four_are_refused(
    bad: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match="'number'"):
        ResponseLevel.from_number(bad)  # type: ignore[arg-type]


def test_escalation_moves_one_step_and_saturates() -> None:
    assert ResponseLevel.II == ResponseLevel.III.escalated()
    assert ResponseLevel.I == ResponseLevel.I.escalated()
    assert ResponseLevel.IV == ResponseLevel.III.de_escalated()
    assert ResponseLevel.IV == ResponseLevel.IV.de_escalated()


def test_str_of_a_level_is_readable() -> None:
    assert "Level II 重大 (orange)" == str(ResponseLevel.II)


@given(st.sampled_from(ResponseLevel), st.sampled_from(ResponseLevel))
def test_level_order_is_total_and_matches_severity(
    a: ResponseLevel, b: ResponseLevel
) -> None:
    assert (a < b) == (a.severity < b.severity)
    assert (a < b) + (a == b) + (a > b) == 1
    assert a.escalated() >= a >= a.de_escalated()


# --- phases -------------------------------------------------------------------


def test_phases_follow_the_book_and_review_feeds_back_to_warning() -> None:
    order = [Phase.WARNING]
    for _ in range(5):
        order.append(order[-1].next)

    expected = [
        Phase.WARNING,
        Phase.ASSESSMENT,
        Phase.STRATEGY,
        Phase.EXECUTION,
        Phase.REVIEW,
        Phase.WARNING,
    ]
    assert expected == order
    assert ["預警", "評估", "策略", "執行", "復盤"] == [p.labels.zh_hant for p in Phase]


def test_phases_only_move_forward() -> None:
    assert Phase.EXECUTION == Phase.WARNING.move_to(Phase.EXECUTION)
    assert Phase.WARNING == Phase.REVIEW.move_to(Phase.WARNING)
    assert (Phase.WARNING,) == Phase.REVIEW.allowed_next()


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Phase.EXECUTION, Phase.STRATEGY),
        (Phase.STRATEGY, Phase.STRATEGY),
        (Phase.REVIEW, Phase.EXECUTION),
        (Phase.ASSESSMENT, Phase.WARNING),
    ],
)
def test_backward_moves_are_transition_errors(current: Phase, target: Phase) -> None:
    with pytest.raises(TransitionError, match=f"from {current.name} to {target.name}"):
        current.move_to(target)


def test_move_to_needs_a_phase() -> None:
    with pytest.raises(InvalidTypeError, match="'target'"):
        Phase.WARNING.move_to("review")  # type: ignore[arg-type]


@given(st.sampled_from(Phase), st.sampled_from(Phase))
def test_a_move_is_allowed_exactly_when_it_goes_forward_or_closes_the_loop(
    current: Phase, target: Phase
) -> None:
    order = list(Phase)
    forward = order.index(target) > order.index(current)
    closes_loop = current is Phase.REVIEW and target is Phase.WARNING

    assert (forward or closes_loop) == current.can_move_to(target)


def test_other_models_map_onto_the_phases() -> None:
    assert Phase.EXECUTION == Phase.from_fink(FinkStage.CHRONIC)
    assert Phase.WARNING == Phase.from_fink(FinkStage.PRODROMAL)
    assert Phase.ASSESSMENT == Phase.from_pearson_mitroff(
        PearsonMitroffStage.PROBING_AND_PREVENTION
    )
    assert Phase.REVIEW == Phase.from_pearson_mitroff(PearsonMitroffStage.LEARNING)
    assert Phase.REVIEW == Phase.from_coombs(CoombsStage.POST_CRISIS)
    assert (FinkStage.ACUTE, FinkStage.CHRONIC) == Phase.EXECUTION.fink_stages
    assert CoombsStage.PRE_CRISIS == Phase.ASSESSMENT.coombs_stage


def test_the_stage_mappings_agree_in_both_directions() -> None:
    for stage in FinkStage:
        assert stage in Phase.from_fink(stage).fink_stages
    for pm_stage in PearsonMitroffStage:
        assert pm_stage in Phase.from_pearson_mitroff(pm_stage).pearson_mitroff_stages
    for coombs in CoombsStage:
        assert coombs == Phase.from_coombs(coombs).coombs_stage
    every_fink = {s for p in Phase for s in p.fink_stages}
    every_pm = {s for p in Phase for s in p.pearson_mitroff_stages}
    assert set(FinkStage) == every_fink
    assert set(PearsonMitroffStage) == every_pm


def test_stage_lookups_refuse_the_wrong_model() -> None:
    with pytest.raises(InvalidTypeError, match="a FinkStage"):
        Phase.from_fink(CoombsStage.CRISIS)  # type: ignore[arg-type]


def test_each_phase_cites_its_chapter() -> None:
    assert "§5 危機執行與應對實踐" == Phase.EXECUTION.book_section
