"""The risk register as a pandas DataFrame: one row per risk, graded on a matrix."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zoneinfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    MissingExtraError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.risk import (
    Assessment,
    AssessmentKind,
    Control,
    ControlTarget,
    ImpactRule,
    Risk,
    RiskRegister,
    RiskStatus,
    Treatment,
    default_matrix,
    register_frame,
)
from crisisops.risk.frames import REGISTER_COLUMNS

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
Q1 = dt.datetime(2026, 3, 31, 17, 0, tzinfo=TAIPEI)
Q2 = dt.datetime(2026, 6, 30, 17, 0, tzinfo=TAIPEI)


def _assessment(
    likelihood: int, impacts: dict[str, int], at: dt.datetime = Q1
) -> Assessment:
    return Assessment(
        likelihood=likelihood, impacts=impacts, assessed_at=at, assessor="ops-lead"
    )


def _register() -> RiskRegister:
    """Three risks: one assessed and treated, one only identified, one retired."""
    stockout = Risk(
        key="peak_season_stockout",
        title="Best sellers run out during the 11.11 peak",
        crisis_type="supply_chain.peak_season_stockout",
        source="supply.disruption",
        owner_role="supply_chain_lead",
        controls=[
            Control(
                key="second_supplier",
                title="Second supplier",
                target=ControlTarget.LIKELIHOOD,
                effectiveness=0.5,
            )
        ],
        trigger_rules=["stockout_rate_high"],
        indicators=["supply.stockout_rate"],
        tags=["peak", "supplier"],
    )
    outage = Risk(
        key="checkout_outage",
        title="Checkout fails at peak",
        crisis_type="technical.system_failure",
    )
    leak = Risk(
        key="data_leak", title="Customer data leak", crisis_type="technical.data_leak"
    )
    register = RiskRegister()
    for risk in (stockout, outage, leak):
        register = register.add(risk, at=Q1, by="ops-lead")
    register = register.assess(
        "peak_season_stockout",
        _assessment(4, {"financial": 4, "customer_relationship": 3}),
        at=Q1,
        by="ops-lead",
        next_review=Q2,
    )
    register = register.update(
        "peak_season_stockout",
        at=Q1,
        by="ops-lead",
        status=RiskStatus.TREATED,
        treatment=Treatment.MITIGATE,
    )
    register = register.assess(
        "data_leak", _assessment(1, {"brand": 3}), at=Q1, by="cto"
    )
    return register.retire("data_leak", at=Q2, by="cto", reason="Vault migration done")


def test_the_register_becomes_one_row_per_open_risk() -> None:
    frame = register_frame(_register())
    assert list(REGISTER_COLUMNS) == frame.columns.tolist()
    assert ["peak_season_stockout", "checkout_outage"] == frame["key"].tolist()
    row = frame.to_dict("records")[0]
    assert ("supply_chain", "supply.disruption", "supply_chain_lead") == (
        row["category"],
        row["source"],
        row["owner_role"],
    )
    assert ("treated", "Being treated", "mitigate") == (
        row["status"],
        row["status_label"],
        row["treatment"],
    )
    # By hand on the default 5 × 5 matrix: impact = worst dimension = 4,
    # score = 4 × 4 = 16, in the band 10–19: grade "high", response level II.
    assert (4, 4, 16) == (row["likelihood"], row["impact"], row["score"])
    assert ("high", "High", "II") == (
        row["grade"],
        row["grade_label"],
        row["response_level"],
    )
    assert (Q1, "ops-lead") == (row["assessed_at"], row["assessor"])
    assert 1 == row["n_controls"]
    assert ("stockout_rate_high",) == row["trigger_rules"]
    assert ("supply.stockout_rate",) == row["indicators"]
    assert ("peak", "supplier") == row["tags"]
    assert (Q1, Q1, Q2) == (row["added_at"], row["last_assessed"], row["next_review"])
    assert pd.isna(row["overdue"])  # no as_of given: unknown
    assert TAIPEI == frame["assessed_at"].dt.tz


def test_a_risk_without_the_assessment_has_missing_grading() -> None:
    frame = register_frame(_register())
    row = frame.iloc[1]
    for column in (
        "likelihood",
        "impact",
        "score",
        "grade",
        "grade_label",
        "response_level",
        "assessed_at",
        "assessor",
        "treatment",
        "source",
        "owner_role",
        "last_assessed",
        "next_review",
    ):
        assert pd.isna(row[column]), column
    assert "Int64" == str(frame["score"].dtype)  # integers stay integers
    assert ["peak", "supplier"] == frame.explode("tags")["tags"].dropna().tolist()


def test_retired_risks_come_after_the_open_ones_when_asked_for() -> None:
    frame = register_frame(_register(), retired=True)
    assert ["peak_season_stockout", "checkout_outage", "data_leak"] == frame[
        "key"
    ].tolist()
    leak = frame.iloc[2]
    # 1 × 3 = 3, in the band 1–4: grade "low", response level IV (by hand).
    assert ("closed", 3, "low", "IV") == (
        leak["status"],
        leak["score"],
        leak["grade"],
        leak["response_level"],
    )


def test_response_levels_order_by_severity_and_labels_follow_the_language() -> None:
    frame = register_frame(_register(), retired=True, language="zh-Hant")
    assert "II" == frame["response_level"].max()  # II is more severe than IV
    assert ["高", None, "低"] == [
        None if pd.isna(label) else label for label in frame["grade_label"]
    ]
    assert "已處置" == frame.loc[0, "status_label"]
    simplified = register_frame(_register(), language="zh-Hans")
    assert "已处置" == simplified.loc[0, "status_label"]


def test_which_rule_and_matrix_choose_the_grading() -> None:
    register = _register().assess(
        "peak_season_stockout",
        _assessment(2, {"financial": 2}, at=Q2),
        at=Q2,
        by="ops-lead",
        which=AssessmentKind.RESIDUAL,
    )
    residual = register_frame(register, which=AssessmentKind.RESIDUAL)
    assert [4, None] == [  # 2 × 2 (by hand)
        None if pd.isna(score) else score for score in residual["score"]
    ]
    assert Q2 == residual.loc[0, "assessed_at"]
    weights = {"financial": 1, "customer_relationship": 3}
    weighted = ImpactRule.weighted(weights)
    mean = register_frame(register, rule=weighted, matrix=default_matrix())
    # (1·4 + 3·3) / 4 = 3.25, rounded to impact 3; score 4 × 3 = 12 (by hand).
    assert (3, 12, "high") == tuple(mean.loc[0, ["impact", "score", "grade"]])


def test_overdue_is_judged_at_the_moment_given() -> None:
    early = register_frame(_register(), as_of=Q2)
    late = register_frame(_register(), as_of=Q2 + dt.timedelta(seconds=1))
    # Due exactly at Q2 is due, not overdue; a risk without a date never is.
    assert [False, False] == early["overdue"].tolist()
    assert [True, False] == late["overdue"].tolist()
    assert "boolean" == str(late["overdue"].dtype)


def test_every_time_shows_in_the_zone_the_risks_were_added_in() -> None:
    summer = dt.datetime(2026, 7, 1, 9, 0, tzinfo=BERLIN)  # +02:00 (summer time)
    register = _register().update(
        "peak_season_stockout", at=Q2, by="ops", next_review=summer
    )
    frame = register_frame(register)
    # The same instant in Taipei time (added_at's zone): 15:00 +08:00.
    assert "2026-07-01T15:00:00+08:00" == frame.loc[0, "next_review"].isoformat()
    assert TAIPEI == frame["next_review"].dt.tz
    in_berlin = register_frame(register, tz=BERLIN)
    assert "2026-07-01T09:00:00+02:00" == in_berlin.loc[0, "next_review"].isoformat()
    # Q1 (31 March, 17:00 +08:00) is 11:00 +02:00 in Berlin, after the 29 March
    # change to summer time (by hand).
    assert "2026-03-31T11:00:00+02:00" == in_berlin.loc[0, "added_at"].isoformat()


def test_risks_added_in_several_zones_need_tz() -> None:
    register = _register().add(
        Risk(key="late", title="Late", crisis_type="market.demand_shift"),
        at=Q2.astimezone(UTC),
        by="ops",
    )
    with pytest.raises(ValidationError, match=r"register.added_at\('late'\).*tz="):
        register_frame(register)
    frame = register_frame(register, tz=UTC)
    assert Q2 == frame.loc[2, "added_at"]
    assert UTC == frame["added_at"].dt.tz


@st.composite
def _graded_registers(draw: st.DrawFn) -> RiskRegister:
    register = RiskRegister()
    count = draw(st.integers(0, 4))
    for number in range(count):
        key = f"risk_{number}"
        register = register.add(
            Risk(key=key, title=f"Risk {number}", crisis_type="market.demand_shift"),
            at=Q1,
            by="ops",
        )
        if draw(st.booleans()):
            impacts = draw(
                st.dictionaries(
                    st.sampled_from(["financial", "brand", "customer_relationship"]),
                    st.integers(1, 5),
                    min_size=1,
                )
            )
            register = register.assess(
                key, _assessment(draw(st.integers(1, 5)), impacts), at=Q1, by="ops"
            )
    return register


@settings(max_examples=30, deadline=None)
@given(register=_graded_registers())
def test_scores_and_grades_agree_with_the_register(register: RiskRegister) -> None:
    frame = register_frame(register)
    assert list(register.keys()) == frame["key"].tolist()
    scores = dict(zip(frame["key"], frame["score"], strict=True))
    assert dict(register.scores()) == {
        key: score for key, score in scores.items() if not pd.isna(score)
    }
    for risk, grade, level in zip(
        register, frame["grade"], frame["response_level"], strict=True
    ):
        if risk.current is None:
            assert pd.isna(grade)
            assert pd.isna(level)
        else:
            assert risk.current.grade().key == grade
            assert risk.current.grade().response_level.value == level


def test_an_empty_register_gives_the_columns() -> None:
    frame = register_frame(RiskRegister())
    assert list(REGISTER_COLUMNS) == frame.columns.tolist()
    assert 0 == len(frame)
    assert "datetime64[us, UTC]" == str(frame["added_at"].dtype)


def test_register_frame_refuses_bad_arguments() -> None:
    register = _register()
    with pytest.raises(InvalidTypeError, match="'register' must be a RiskRegister"):
        register_frame(register.risks)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'which' must be an AssessmentKind"):
        register_frame(register, which="current")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'matrix'"):
        register_frame(register, matrix="5x5")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'rule'"):
        register_frame(register, rule=max)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError, match="'as_of'"):
        register_frame(register, as_of=dt.datetime(2026, 6, 30))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError, match="'retired' must be a bool"):
        register_frame(register, retired="yes")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="language tag 'fr'"):
        register_frame(register, language="fr")
    with pytest.raises(InvalidTypeError, match="'tz'"):
        register_frame(register, tz="UTC")  # type: ignore[arg-type]


def test_a_level_off_the_matrix_names_the_risk() -> None:
    register = RiskRegister().add(
        Risk(key="odd", title="Odd", crisis_type="market.demand_shift"), at=Q1, by="x"
    )
    register = register.assess("odd", _assessment(6, {"brand": 2}), at=Q1, by="x")
    with pytest.raises(UnknownKeyError, match=r"risks\['odd'\].current.likelihood"):
        register_frame(register)


def test_importing_the_risk_stage_does_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "import crisisops.risk\n"
        "import crisisops.risk.frames\n"
        "from crisisops.risk import register_frame\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandas'))\n"
    )
    result = subprocess.run(  # noqa: S603  our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "[]" == result.stdout.strip()


def test_without_pandas_the_function_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(MissingExtraError, match=r"pip install 'crisisops\[pandas\]'"):
        register_frame(_register())
