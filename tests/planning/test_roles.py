"""Response-team roles and their ICS functions (book §4.1 成立危機應對小組)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops._crisis_types import ROLE_KEYS
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.planning.roles import ICSFunction, Role, RoleCatalog, default_roles
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import default_catalog
from tests.strategies import key_words, labels, texts


def _name(text: str) -> Labels:
    return Labels(en=text, zh_hant=text, zh_hans=text)


def _round_trip(value: Any) -> Any:
    return from_data(
        type(value), json.loads(json.dumps(to_data(value), allow_nan=False))
    )


def _role(**changes: Any) -> Role:
    fields: dict[str, Any] = {
        "key": "warehouse_lead",
        "labels": _name("Warehouse lead"),
        "duties": ["Run picking and packing"],
        "ics_function": ICSFunction.OPERATIONS,
    }
    fields.update(changes)
    return Role(**fields)


# --- the built-in catalog ----------------------------------------------------------


def test_the_catalog_has_every_role_key_and_every_crisis_types_default_roles() -> None:
    roles = default_roles()
    needed = set(ROLE_KEYS) | {
        role for kind in default_catalog() for role in kind.default_roles
    }

    assert set() == needed - set(roles.keys())
    assert 13 == len(ROLE_KEYS)
    # the thirteen of ROLE_KEYS plus the escalation audience
    assert (*ROLE_KEYS, "senior_management") == roles.keys()


# The book's five roles and their duties (明確小組職責與分工), quoted from §4.1.
BOOK_ROLES = [
    ("ops_expert", "電商運營專家", "分析危機原因和趨勢"),
    ("marketing_pr", "市場營銷人員", "品牌傳播與公關工作"),
    ("customer_service", "客戶服務團隊代表", "消費者溝通與安撫"),
    ("tech_maintenance", "技術維護人員", "網站和平臺的穩定運行"),
    ("legal_counsel", "法律顧問", "提供法律建議和支持"),
]


@pytest.mark.parametrize(("key", "term", "duty"), BOOK_ROLES)
def test_the_books_five_roles_carry_its_terms_and_duties(
    key: str, term: str, duty: str
) -> None:
    role = default_roles()[key]

    assert term == role.labels.zh_hant
    assert any(duty in text for text in role.duties)
    assert role.description is not None
    assert duty in role.description.zh_hant
    assert "§4.1 成立危機應對小組" == role.book_section


# crisisops' documented mapping of the team onto ICS (style-and-theory.md B5):
# PR and customer service → PIO; partners and legal → liaison; tech → operations.
ICS_MAPPING = {
    "crisis_lead": ICSFunction.COMMAND,
    "deputy_lead": ICSFunction.COMMAND,
    "ops_expert": ICSFunction.PLANNING,
    "marketing_pr": ICSFunction.PUBLIC_INFORMATION,
    "customer_service": ICSFunction.PUBLIC_INFORMATION,
    "tech_maintenance": ICSFunction.OPERATIONS,
    "legal_counsel": ICSFunction.LIAISON,
    "scribe": ICSFunction.PLANNING,
    "comms_liaison": ICSFunction.LIAISON,
    "supply_chain_lead": ICSFunction.LOGISTICS,
    "finance_lead": ICSFunction.FINANCE_ADMINISTRATION,
    "data_analyst": ICSFunction.PLANNING,
    "security_lead": ICSFunction.OPERATIONS,
    "senior_management": ICSFunction.COMMAND,
}


@pytest.mark.parametrize(("key", "function"), ICS_MAPPING.items())
def test_each_role_maps_to_its_documented_ics_function(
    key: str, function: ICSFunction
) -> None:
    assert function is default_roles()[key].ics_function


def test_every_built_in_role_is_trilingual_with_duties_and_skills() -> None:
    for role in default_roles():
        assert role.labels.en.isascii()
        assert not role.labels.zh_hant.isascii()
        assert not role.labels.zh_hans.isascii()
        assert role.duties
        assert role.skills
        assert role.description is not None


def test_roles_from_practice_have_no_book_section_and_the_rest_cite_one() -> None:
    sections = {role.key: role.book_section for role in default_roles()}

    assert {"crisis_lead", "deputy_lead", "scribe"} == {
        key for key, section in sections.items() if section is None
    }
    assert all(s.startswith("§") for s in sections.values() if s is not None)


def test_the_catalog_is_rebuilt_on_each_call() -> None:
    assert default_roles() == default_roles()
    assert default_roles() is not default_roles()


# --- ICS functions -----------------------------------------------------------------


def test_every_function_is_command_command_staff_or_general_staff() -> None:
    for function in ICSFunction:
        kinds = [
            function is ICSFunction.COMMAND,
            function.is_command_staff,
            function.is_general_staff,
        ]
        assert 1 == sum(kinds), function
    assert 3 == sum(f.is_command_staff for f in ICSFunction)
    assert 4 == sum(f.is_general_staff for f in ICSFunction)


def test_ics_functions_have_the_taiwan_ics_terms() -> None:
    assert ["指揮", "作業組", "計畫組", "後勤組", "財務行政組"] == [
        f.labels.zh_hant
        for f in (
            ICSFunction.COMMAND,
            ICSFunction.OPERATIONS,
            ICSFunction.PLANNING,
            ICSFunction.LOGISTICS,
            ICSFunction.FINANCE_ADMINISTRATION,
        )
    ]
    assert "公共信息官" == ICSFunction.PUBLIC_INFORMATION.labels.zh_hans


# --- the open catalog ----------------------------------------------------------------


def test_by_function_lists_the_roles_of_one_function_in_order() -> None:
    planning = default_roles().by_function(ICSFunction.PLANNING)

    assert ("ops_expert", "scribe", "data_analyst") == planning.keys()
    assert () == default_roles().by_function(ICSFunction.SAFETY).keys()


def test_adding_a_role_returns_a_new_catalog() -> None:
    roles = default_roles()
    mine = roles.add(_role())

    assert "warehouse_lead" in mine
    assert "warehouse_lead" not in roles
    with pytest.raises(DuplicateKeyError, match="duplicate role 'warehouse_lead'"):
        mine.add(_role())


def test_require_returns_the_keys_and_names_the_field_of_an_unknown_one() -> None:
    roles = default_roles()

    assert ("scribe", "ops_expert") == roles.require(["scribe", "ops_expert"], "x")
    with pytest.raises(UnknownKeyError) as caught:
        roles.require(["scribe", "ops_expret"], "roster['chen'].roles")
    assert "roster['chen'].roles" in str(caught.value)
    assert ("ops_expert",) == caught.value.suggestions


def test_missing_skills_lists_the_roles_skills_a_person_lacks_in_role_order() -> None:
    expert = default_roles()["ops_expert"]

    # role skills: ecommerce_operations, root_cause_analysis, strategy_planning
    assert ("root_cause_analysis", "strategy_planning") == expert.missing_skills(
        ["ecommerce_operations", "excel"]
    )
    assert () == expert.missing_skills(expert.skills)


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"key": "ops.expert"}, ValidationError, "key"),
        ({"key": ""}, ValidationError, "key"),
        ({"labels": "Warehouse lead"}, InvalidTypeError, "labels"),
        ({"duties": []}, ValidationError, "duties"),
        ({"duties": "Run picking"}, InvalidTypeError, "duties"),
        ({"duties": ["Run picking", "  "]}, ValidationError, "duties[1]"),
        ({"duties": ["a", "a"]}, ValidationError, "duties"),
        ({"skills": ["Bad Skill"]}, ValidationError, "skills[0]"),
        ({"skills": ["a", "a"]}, ValidationError, "skills"),
        ({"ics_function": "operations"}, InvalidTypeError, "ics_function"),
        ({"book_section": "4.1"}, ValidationError, "book_section"),
        ({"book_section": 4}, InvalidTypeError, "book_section"),
        ({"description": "text"}, InvalidTypeError, "description"),
    ],
)
def test_a_bad_role_is_refused_naming_the_field(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        _role(**changes)
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_a_catalog_holds_only_roles() -> None:
    with pytest.raises(InvalidTypeError, match="a Role"):
        RoleCatalog([_role(), "scribe"])


def test_catalog_methods_refuse_bad_arguments() -> None:
    roles = default_roles()
    with pytest.raises(InvalidTypeError):
        roles.by_function("planning")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        roles.require("scribe", "x")
    with pytest.raises(ValidationError, match=r"x\[0\]"):
        roles.require(["Scribe"], "x")
    with pytest.raises(UnknownKeyError, match="unknown role 'boss'"):
        roles["boss"]
    with pytest.raises(InvalidTypeError):
        roles["scribe"].missing_skills("documentation")
    with pytest.raises(ValidationError, match=r"skills\[1\]"):
        roles["scribe"].missing_skills(["documentation", "Not A Key"])


# --- plain data ----------------------------------------------------------------------


def test_the_default_catalog_round_trips() -> None:
    assert default_roles() == _round_trip(default_roles())


roles_strategy = st.builds(
    Role,
    key=key_words,
    labels=labels,
    duties=st.lists(texts, min_size=1, max_size=3, unique=True),
    skills=st.lists(key_words, max_size=3, unique=True),
    ics_function=st.sampled_from(ICSFunction),
    book_section=st.none() | st.sampled_from(["§4.1 成立危機應對小組", "§5"]),
    description=st.none() | labels,
)


@settings(max_examples=40)
@given(roles_strategy)
def test_roles_round_trip(role: Role) -> None:
    assert role == _round_trip(role)
