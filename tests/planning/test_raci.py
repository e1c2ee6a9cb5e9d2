"""RACI charts: validation, queries, overload (PMBOK RAM; book §4.1 職責與分工)."""

from __future__ import annotations

import json
from typing import Any

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
from crisisops.planning.raci import RACILetter, RACIMatrix, RACIOverload
from crisisops.planning.roles import default_roles
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import default_catalog

# The book's data-security case (§5.4 case 3): contain, restore, investigate,
# notify users and regulators.
BREACH = {
    "Contain the attack": {
        "security_lead": "AR",
        "tech_maintenance": "R",
        "crisis_lead": "I",
    },
    "Restore data from backup": {
        "tech_maintenance": "R",
        "security_lead": "A",
        "crisis_lead": "I",
    },
    "Investigate the source": {"security_lead": "AR", "legal_counsel": "C"},
    "Notify users and regulators": {
        "crisis_lead": "A",
        "comms_liaison": "R",
        "legal_counsel": "C",
        "marketing_pr": "C",
    },
}


def _breach() -> RACIMatrix:
    return RACIMatrix.from_rows(BREACH)


def _round_trip(value: Any) -> Any:
    return from_data(
        type(value), json.loads(json.dumps(to_data(value), allow_nan=False))
    )


# --- a hand-worked chart ------------------------------------------------------------


def test_columns_follow_first_appearance_and_cells_are_filled_in() -> None:
    chart = _breach()

    assert (
        "security_lead",
        "tech_maintenance",
        "crisis_lead",
        "legal_counsel",
        "comms_liaison",
        "marketing_pr",
    ) == chart.roles
    assert ("AR", "R", "I", "", "", "") == chart.chart[0]
    assert "" == chart.cell("Investigate the source", "crisis_lead")
    assert BREACH == chart.to_rows()


def test_the_bit_codes_by_hand() -> None:
    # R 1, A 2, C 4, I 8: "AR" is 3
    assert [
        [3, 1, 8, 0, 0, 0],
        [2, 1, 8, 0, 0, 0],
        [3, 0, 0, 4, 0, 0],
        [0, 0, 2, 4, 1, 4],
    ] == _breach().codes.tolist()
    assert np.uint8 == _breach().codes.dtype
    assert not _breach().codes.flags.writeable


def test_who_does_approves_advises_and_hears() -> None:
    chart = _breach()

    assert "security_lead" == chart.accountable("Restore data from backup")
    assert ("security_lead", "tech_maintenance") == chart.responsible(
        "Contain the attack"
    )
    # A alone does the work: the Accountable counts as the doer
    assert ("security_lead",) == chart.responsible("Investigate the source")
    assert ("comms_liaison",) == chart.responsible("Notify users and regulators")
    assert ("legal_counsel", "marketing_pr") == chart.consulted(
        "Notify users and regulators"
    )
    assert ("crisis_lead",) == chart.informed("Contain the attack")


def test_counts_and_workload_by_hand() -> None:
    chart = _breach()

    # R or A (A+R once): security 3 (contain, restore, investigate), tech 2,
    # crisis lead 1 (notify), legal 0, comms 1, marketing 0
    assert {
        "security_lead": 3,
        "tech_maintenance": 2,
        "crisis_lead": 1,
        "legal_counsel": 0,
        "comms_liaison": 1,
        "marketing_pr": 0,
    } == dict(chart.workload())
    assert 2 == chart.counts("C")["legal_counsel"]
    assert 2 == chart.counts(RACILetter.INFORMED)["crisis_lead"]
    assert 2 == chart.counts("r")["security_lead"]
    assert ("Contain the attack", "Investigate the source") == chart.actions_for(
        "security_lead", "R"
    )
    assert ("Notify users and regulators",) == chart.actions_for(
        "crisis_lead", RACILetter.ACCOUNTABLE
    )


def test_overload_lists_roles_over_the_threshold_most_loaded_first() -> None:
    chart = _breach()

    assert (
        RACIOverload(
            role="security_lead",
            actions=(
                "Contain the attack",
                "Restore data from backup",
                "Investigate the source",
            ),
            threshold=1,
        ),
        RACIOverload(
            role="tech_maintenance",
            actions=("Contain the attack", "Restore data from backup"),
            threshold=1,
        ),
    ) == chart.overload(1)
    assert ("security_lead",) == tuple(o.role for o in chart.overload(2))
    assert () == chart.overload(3)
    # every role with any R or A; ties (1 each) keep column order
    assert ("security_lead", "tech_maintenance", "crisis_lead", "comms_liaison") == (
        tuple(o.role for o in chart.overload(0))
    )
    assert 3 == chart.overload(2)[0].count


def test_idle_roles_have_no_letter_at_all() -> None:
    chart = RACIMatrix.from_rows(
        {"Approve refunds": {"finance_lead": "AR"}},
        roles=["finance_lead", "scribe", "data_analyst"],
    )

    assert ("scribe", "data_analyst") == chart.idle_roles()
    assert () == _breach().idle_roles()


def test_cells_are_normalised() -> None:
    chart = RACIMatrix.from_rows({"Approve refunds": {"finance_lead": " ra "}})

    assert "AR" == chart.cell("Approve refunds", "finance_lead")
    assert ("finance_lead",) == chart.responsible("Approve refunds")


def test_letters_are_trilingual() -> None:
    assert ["負責執行", "當責", "諮詢", "知會"] == [
        letter.labels.zh_hant for letter in RACILetter
    ]
    assert [1, 2, 4, 8] == [letter.bit for letter in RACILetter]


# --- validation --------------------------------------------------------------------


def test_two_accountables_are_refused_naming_the_action_and_the_roles() -> None:
    with pytest.raises(ValidationError) as caught:
        RACIMatrix.from_rows(
            {
                "Contain the attack": {"security_lead": "AR"},
                "Approve refunds": {"finance_lead": "A", "crisis_lead": "A"},
            }
        )
    assert "chart['Approve refunds']" == caught.value.field
    assert "found 2: 'finance_lead', 'crisis_lead'" in caught.value.expected


def test_an_action_without_an_accountable_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        RACIMatrix.from_rows({"Restore data": {"tech_maintenance": "R"}})
    assert "chart['Restore data']" == caught.value.field
    assert "found none" in caught.value.expected


@pytest.mark.parametrize("cell", ["RC", "CI", "AC", "RI", "ARC", "ACI"])
def test_two_letters_other_than_a_plus_r_are_refused(cell: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RACIMatrix.from_rows({"Restore data": {"security_lead": "A", "tech": cell}})
    assert "chart['Restore data']['tech']" == caught.value.field
    assert "except A+R" in caught.value.expected


@pytest.mark.parametrize("cell", ["RR", "X", "R-", "AA"])
def test_repeated_or_unknown_letters_are_refused(cell: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RACIMatrix.from_rows({"Restore data": {"security_lead": "A", "tech": cell}})
    assert "chart['Restore data']['tech']" == caught.value.field


def test_an_explicit_responsible_can_be_required() -> None:
    rows = {"Investigate the source": {"security_lead": "A", "legal_counsel": "C"}}

    # A alone does the work by default
    lenient = RACIMatrix.from_rows(rows)
    assert ("security_lead",) == lenient.responsible("Investigate the source")
    with pytest.raises(ValidationError, match="at least one Responsible"):
        RACIMatrix.from_rows(rows, accountable_does_work=False)
    rows["Investigate the source"]["security_lead"] = "AR"
    strict = RACIMatrix.from_rows(rows, accountable_does_work=False)
    assert ("security_lead",) == strict.responsible("Investigate the source")


def test_a_role_catalog_rejects_unknown_roles_naming_the_action() -> None:
    assert _breach() == RACIMatrix.from_rows(BREACH, catalog=default_roles())
    with pytest.raises(UnknownKeyError) as caught:
        RACIMatrix.from_rows(
            {"Restore data": {"security_lead": "A", "tech_maintainance": "R"}},
            catalog=default_roles(),
        )
    assert "chart['Restore data']" in str(caught.value)
    assert ("tech_maintenance",) == caught.value.suggestions
    # an unused column names where it is too
    idle = RACIMatrix.from_rows(
        {"Restore data": {"security_lead": "AR"}}, roles=["security_lead", "boss"]
    )
    with pytest.raises(UnknownKeyError, match="role in roles 'boss'"):
        idle.check_roles(default_roles())


def test_given_columns_refuse_a_role_they_do_not_list() -> None:
    with pytest.raises(UnknownKeyError, match=r"rows\['Restore data'\]"):
        RACIMatrix.from_rows(
            {"Restore data": {"security_lead": "A", "tech": "R"}},
            roles=["security_lead"],
        )


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"actions": []}, ValidationError, "actions"),
        ({"actions": ["a", "a"]}, DuplicateKeyError, None),
        ({"actions": ["a", " "]}, ValidationError, "actions[1]"),
        ({"roles": []}, ValidationError, "roles"),
        ({"roles": ["x", "x"]}, DuplicateKeyError, None),
        ({"roles": ["X"]}, ValidationError, "roles[0]"),
        ({"roles": "x"}, InvalidTypeError, "roles"),
        ({"chart": [["A"], ["A"]]}, ValidationError, "chart"),
        ({"chart": [["A", ""]]}, ValidationError, "chart['a']"),
        ({"chart": ["A"]}, InvalidTypeError, "chart['a']"),
        ({"chart": [[1]]}, InvalidTypeError, "chart['a']['x']"),
        ({"chart": "A"}, InvalidTypeError, "chart"),
        ({"accountable_does_work": 1}, InvalidTypeError, "accountable_does_work"),
    ],
)
def test_bad_matrices_are_refused_naming_the_field(
    fields: dict[str, Any], error: type[Exception], field: str | None
) -> None:
    arguments: dict[str, Any] = {"actions": ["a"], "roles": ["x"], "chart": [["A"]]}
    arguments.update(fields)
    with pytest.raises(error) as caught:
        RACIMatrix(**arguments)
    if field is not None:
        assert field == caught.value.field  # type: ignore[attr-defined]


def test_queries_refuse_bad_arguments() -> None:
    chart = _breach()
    with pytest.raises(UnknownKeyError, match="did you mean 'Contain the attack'"):
        chart.accountable("Contain the atack")
    with pytest.raises(UnknownKeyError, match="unknown role 'scribe'"):
        chart.cell("Contain the attack", "scribe")
    with pytest.raises(ValidationError, match="letter"):
        chart.actions_for("security_lead", "X")
    with pytest.raises(InvalidTypeError, match="letter"):
        chart.counts(1)  # type: ignore[arg-type]
    for threshold in (-1,):
        with pytest.raises(ValidationError, match="threshold"):
            chart.overload(threshold)
    for threshold_of_wrong_type in (1.5, True, "2"):
        with pytest.raises(InvalidTypeError, match="threshold"):
            chart.overload(threshold_of_wrong_type)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="rows"):
        RACIMatrix.from_rows([("a", {"x": "A"})])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"rows\['a'\]"):
        RACIMatrix.from_rows({"a": "A"})  # type: ignore[dict-item]
    with pytest.raises(InvalidTypeError, match="roles"):
        RACIMatrix.from_rows({"a": {"x": "A"}}, roles="x")
    # One role vocabulary everywhere: a RoleCatalog or an iterable of keys.
    with pytest.raises(UnknownKeyError, match="tech_maintenance"):
        chart.check_roles({"security_lead"})
    with pytest.raises(InvalidTypeError, match="'catalog'"):
        chart.check_roles(default_catalog())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'catalog'"):
        chart.check_roles("security_lead")


def test_with_cell_returns_a_new_validated_matrix() -> None:
    chart = _breach()
    changed = chart.with_cell("Investigate the source", "data_analyst", "R")

    assert "data_analyst" == changed.roles[-1]
    assert ("security_lead", "data_analyst") == changed.responsible(
        "Investigate the source"
    )
    assert "" == changed.cell("Contain the attack", "data_analyst")
    assert "data_analyst" not in chart.roles  # the old one is unchanged
    with pytest.raises(ValidationError, match="exactly one Accountable"):
        chart.with_cell("Investigate the source", "crisis_lead", "A")
    with pytest.raises(UnknownKeyError):
        chart.with_cell("Nothing", "crisis_lead", "A")
    with pytest.raises(InvalidTypeError):
        chart.with_cell("Contain the attack", "crisis_lead", None)  # type: ignore[arg-type]
    assert _breach() == chart


def test_an_overload_report_checks_its_fields() -> None:
    with pytest.raises(ValidationError, match="threshold"):
        RACIOverload(role="scribe", actions=["Keep the log"], threshold=-1)
    with pytest.raises(InvalidTypeError, match="threshold"):
        RACIOverload(role="scribe", actions=["Keep the log"], threshold=True)
    with pytest.raises(ValidationError, match="actions"):
        RACIOverload(role="scribe", actions=[], threshold=0)


def test_a_document_with_two_accountables_is_refused() -> None:
    document = to_data(_breach())
    document["data"]["chart"][0][2] = "A"
    with pytest.raises(SerializationError, match="exactly one Accountable"):
        from_data(RACIMatrix, document)


# --- properties -------------------------------------------------------------------

ROLES = ("lead", "ops", "pr", "service", "tech", "legal")
OTHER_CELLS = st.sampled_from(["", "", "R", "C", "I"])


@st.composite
def matrices(draw: st.DrawFn) -> RACIMatrix:
    """Draw a valid matrix: one A (or AR) per row, other cells R, C, I or empty."""
    n_roles = draw(st.integers(min_value=1, max_value=len(ROLES)))
    roles = ROLES[:n_roles]
    n_actions = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for _ in range(n_actions):
        cells = [draw(OTHER_CELLS) for _ in roles]
        accountable = draw(st.integers(min_value=0, max_value=n_roles - 1))
        cells[accountable] = draw(st.sampled_from(["A", "AR"]))
        rows.append(cells)
    return RACIMatrix(
        actions=[f"action {i}" for i in range(n_actions)], roles=roles, chart=rows
    )


@settings(max_examples=60)
@given(matrices(), st.integers(min_value=0, max_value=8))
def test_vectorised_counts_match_counting_cell_by_cell(
    chart: RACIMatrix, threshold: int
) -> None:
    expected = {
        role: sum(1 for row in chart.chart if set(row[column]) & {"R", "A"})
        for column, role in enumerate(chart.roles)
    }

    assert expected == dict(chart.workload())
    assert {r for r, n in expected.items() if n > threshold} == {
        o.role for o in chart.overload(threshold)
    }
    for action in chart.actions:
        assert chart.accountable(action) in chart.roles
        assert chart.responsible(action)


@settings(max_examples=60)
@given(matrices())
def test_matrices_round_trip(chart: RACIMatrix) -> None:
    assert chart == _round_trip(chart)
    assert chart == RACIMatrix.from_rows(chart.to_rows(), roles=chart.roles)
    for overload in chart.overload(0):
        assert overload == _round_trip(overload)
