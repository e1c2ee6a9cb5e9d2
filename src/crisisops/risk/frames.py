"""The risk register as a pandas DataFrame (optional extra ``pandas``).

Book §3 has the team quantify each risk's likelihood and impact and grade it
so the serious ones come first (風險量化與等級劃分), every quarter or
half-year (定期進行風險評估); ISO 31000 §6.7 asks for the result to be
recorded and reported. A register report is a table: one row per risk, its
owner and status, and where its chosen assessment puts it on the risk
matrix. `register_frame` builds that table from a `RiskRegister`, for
sorting, filtering, pivoting and exporting with pandas (`RiskRegister`
itself stays the record: the frame is a read-only report and does not come
back). pandas is imported on first use, never at ``import crisisops.risk``;
without it the function raises `crisisops.errors.MissingExtraError` naming
``pip install 'crisisops[pandas]'``.

Examples
--------
>>> from datetime import datetime, timezone
>>> from crisisops.risk import Assessment, Risk, RiskRegister
>>> from crisisops.risk.frames import register_frame
>>> q1 = datetime(2026, 3, 31, tzinfo=timezone.utc)
>>> register = RiskRegister().add(
...     Risk(
...         key="peak_season_stockout",
...         title="Best sellers run out during the 11.11 peak",
...         crisis_type="supply_chain.peak_season_stockout",
...         owner_role="supply_chain_lead",
...     ),
...     at=q1,
...     by="ops-lead",
... )
>>> register = register.assess(
...     "peak_season_stockout",
...     Assessment(
...         likelihood=4, impacts={"financial": 4}, assessed_at=q1, assessor="ops"
...     ),
...     at=q1,
...     by="ops-lead",
... )
>>> frame = register_frame(register, language="zh-Hant")
>>> row = frame.to_dict("records")[0]
>>> row["key"], row["status"], row["score"], row["grade"], row["grade_label"]
('peak_season_stockout', 'assessed', 16, 'high', '高')
>>> str(row["response_level"]), row["assessed_at"].isoformat()
('II', '2026-03-31T00:00:00+00:00')

References
----------
ISO 31000:2018 *Risk management — Guidelines*, §6.7 (recording and
reporting). Geneva: ISO.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from crisisops._frames import check_tz, level_dtype, one_zone, utc_index, utc_micros
from crisisops._optional import require
from crisisops._validation import check_aware
from crisisops.errors import InvalidTypeError
from crisisops.risk.register import AssessmentKind, Risk, RiskRegister
from crisisops.risk.scales import ImpactRule, RiskMatrix, default_matrix

if TYPE_CHECKING:
    from typing import TypeAlias

    import pandas as pd

    #: ``pandas.DataFrame``, for annotations (pandas is imported lazily).
    DataFrame: TypeAlias = pd.DataFrame

__all__ = ["register_frame"]

#: The columns of `register_frame`, in order.
REGISTER_COLUMNS: tuple[str, ...] = (
    "key",
    "title",
    "category",
    "crisis_type",
    "source",
    "owner_role",
    "status",
    "status_label",
    "treatment",
    "likelihood",
    "impact",
    "score",
    "grade",
    "grade_label",
    "response_level",
    "assessed_at",
    "assessor",
    "n_controls",
    "trigger_rules",
    "indicators",
    "tags",
    "added_at",
    "last_assessed",
    "next_review",
    "overdue",
)


def _datetime_index(
    pd: ModuleType, stamps: Sequence[dt.datetime | None], zone: dt.tzinfo
) -> Any:  # noqa: ANN401  a pandas DatetimeIndex
    """Return aware datetimes (``None`` → NaT) in ``zone``, to the microsecond."""
    return utc_index(pd, utc_micros(stamps), zone, "tz")


def _check_arguments(  # noqa: PLR0913  every argument of register_frame
    register: object,
    *,
    which: object,
    matrix: object,
    rule: object,
    as_of: object,
    tz: object,
) -> tuple[RiskMatrix, ImpactRule]:
    if not isinstance(register, RiskRegister):
        raise InvalidTypeError("register", register, "a RiskRegister")
    if not isinstance(which, AssessmentKind):
        raise InvalidTypeError("which", which, "an AssessmentKind")
    if matrix is not None and not isinstance(matrix, RiskMatrix):
        raise InvalidTypeError("matrix", matrix, "a RiskMatrix (or None: the default)")
    if rule is not None and not isinstance(rule, ImpactRule):
        raise InvalidTypeError(
            "rule", rule, "an ImpactRule (or None: the worst dimension)"
        )
    if as_of is not None:
        check_aware(as_of, "as_of")
    check_tz(tz)
    return (
        default_matrix() if matrix is None else matrix,
        ImpactRule.maximum() if rule is None else rule,
    )


def _graded(
    risks: Sequence[Risk],
    which: AssessmentKind,
    grid: RiskMatrix,
    rule: ImpactRule,
    language: str,
) -> dict[str, list[Any]]:
    """Return the assessment columns (``None`` for a risk without the assessment)."""
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "likelihood",
            "impact",
            "score",
            "grade",
            "grade_label",
            "response_level",
            "assessor",
        )
    }
    for risk in risks:
        assessment = risk.assessment(which)
        if assessment is None:
            for column in columns.values():
                column.append(None)
            continue
        assessment.check(grid, f"risks[{risk.key!r}].{which.value}")
        impact = assessment.impact(rule)
        grade = grid.grade(assessment.likelihood, impact)
        columns["likelihood"].append(assessment.likelihood)
        columns["impact"].append(impact)
        columns["score"].append(grid.score(assessment.likelihood, impact))
        columns["grade"].append(grade.key)
        columns["grade_label"].append(grade.labels.get(language))
        columns["response_level"].append(grade.response_level.value)
        columns["assessor"].append(assessment.assessor)
    return columns


def register_frame(  # noqa: PLR0913  the register and how to read it
    register: RiskRegister,
    *,
    which: AssessmentKind = AssessmentKind.CURRENT,
    matrix: RiskMatrix | None = None,
    rule: ImpactRule | None = None,
    as_of: dt.datetime | None = None,
    retired: bool = False,
    language: str = "en",
    tz: dt.tzinfo | None = None,
) -> DataFrame:
    """Return the risk register as a DataFrame: one row per risk.

    The columns, in order (`REGISTER_COLUMNS`):

    * the risk: ``key``, ``title``, ``category`` (the book §2
      `CrisisCategory` value), ``crisis_type``, ``source``, ``owner_role``,
      ``status`` (the `RiskStatus` value) and ``status_label`` (its name in
      ``language``), ``treatment`` (the `Treatment` value; missing while
      undecided);
    * the ``which`` assessment (the current one by default) on ``matrix``:
      ``likelihood``, ``impact`` (combined by ``rule``, the worst dimension by
      default), ``score`` = likelihood × impact (nullable ``Int64``, missing
      for a risk without that assessment), ``grade`` (the `RiskGrade` key),
      ``grade_label`` (its name in ``language``), ``response_level`` (``"I"``
      … ``"IV"``, an ordered categorical with the least severe first, so
      ``max`` is the most severe), ``assessed_at`` and ``assessor``;
    * ``n_controls``; ``trigger_rules``, ``indicators`` and ``tags`` as
      tuples (``frame.explode("tags")`` gives one row per tag);
    * ``added_at``, ``last_assessed`` and ``next_review``, timezone-aware
      (NaT when none), and ``overdue``: whether ``next_review`` is before
      ``as_of`` (nullable boolean, missing when ``as_of`` is not given).

    Every time is shown in the time zone the risks were added in (the zone
    of the ``added_at`` times), or in ``tz``: the same instants, one zone.

    Parameters
    ----------
    register
        The register.
    which
        The assessment to grade: `AssessmentKind.CURRENT` by default.
    matrix
        The `RiskMatrix`; `default_matrix()` if ``None``.
    rule
        The `ImpactRule` combining impact dimensions; the worst one if ``None``.
    as_of
        The moment to judge ``overdue`` at (timezone-aware); the library reads
        no clock, so pass it in.
    retired
        Also list the retired (closed) risks, after the open ones.
    language
        Language tag of the labels: ``"en"``, ``"zh-Hant"`` (the book's
        script) or ``"zh-Hans"``.
    tz
        Show every time in this zone instead (same instants). Needed when
        the risks were added in several zones.

    Raises
    ------
    MissingExtraError
        If pandas is not installed.
    InvalidTypeError
        For an argument of the wrong type.
    NaiveDatetimeError
        If ``as_of`` has no time zone.
    UnknownKeyError
        For an unknown language tag, or an assessment level that is not on
        the matrix's scales (naming the risk).
    ValidationError
        If the ``added_at`` times mix time zones and no ``tz`` is given.
    """
    pd = require("pandas", extra="pandas", feature="register_frame")
    grid, impact_rule = _check_arguments(
        register, which=which, matrix=matrix, rule=rule, as_of=as_of, tz=tz
    )
    grid.grades[0].labels.get(language)  # an unknown language tag raises here
    if not isinstance(retired, bool):
        raise InvalidTypeError("retired", retired, "a bool")
    risks = register.risks + (register.retired() if retired else ())
    graded = _graded(risks, which, grid, impact_rule, language)
    added = [register.added_at(risk.key) for risk in risks]
    zone = (
        tz
        if tz is not None
        else one_zone(added, lambda row: f"register.added_at({risks[row].key!r})")
    )

    def texts(values: list[str | None]) -> Any:  # noqa: ANN401  a pandas array
        return pd.array(values, dtype="str")

    def integers(values: list[int | None]) -> Any:  # noqa: ANN401  a pandas array
        return pd.array(values, dtype="Int64")

    def times(values: Sequence[dt.datetime | None]) -> Any:  # noqa: ANN401
        return _datetime_index(pd, values, zone).array

    def tuples(values: list[tuple[str, ...]]) -> Any:  # noqa: ANN401  a pandas array
        return pd.Series(values, dtype=object).array

    assessments = [risk.assessment(which) for risk in risks]
    columns: dict[str, Any] = {
        "key": texts([risk.key for risk in risks]),
        "title": texts([risk.title for risk in risks]),
        "category": texts([risk.category.value for risk in risks]),
        "crisis_type": texts([risk.crisis_type for risk in risks]),
        "source": texts([risk.source for risk in risks]),
        "owner_role": texts([risk.owner_role for risk in risks]),
        "status": texts([risk.status.value for risk in risks]),
        "status_label": texts([risk.status.labels.get(language) for risk in risks]),
        "treatment": texts(
            [None if risk.treatment is None else risk.treatment.value for risk in risks]
        ),
        "likelihood": integers(graded["likelihood"]),
        "impact": integers(graded["impact"]),
        "score": integers(graded["score"]),
        "grade": texts(graded["grade"]),
        "grade_label": texts(graded["grade_label"]),
        "response_level": pd.Categorical(
            graded["response_level"], dtype=level_dtype(pd)
        ),
        "assessed_at": times(
            [None if item is None else item.assessed_at for item in assessments]
        ),
        "assessor": texts(graded["assessor"]),
        "n_controls": np.array([len(risk.controls) for risk in risks], dtype=np.int64),
        "trigger_rules": tuples([risk.trigger_rules for risk in risks]),
        "indicators": tuples([risk.indicators for risk in risks]),
        "tags": tuples([risk.tags for risk in risks]),
        "added_at": times(added),
        "last_assessed": times([risk.last_assessed for risk in risks]),
        "next_review": times([risk.next_review for risk in risks]),
        "overdue": pd.array(
            [None if as_of is None else risk.is_overdue(as_of) for risk in risks],
            dtype="boolean",
        ),
    }
    return pd.DataFrame(columns, index=pd.RangeIndex(len(risks)))
