"""Salience (Mitchell, Agle & Wood 1997) and the power-interest grid (Mendelow)."""

from __future__ import annotations

import datetime as dt
import json
import math
import zoneinfo
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders.classification import (
    ClassificationMoves,
    ClassificationSnapshot,
    PowerInterestSnapshot,
    PowerInterestThresholds,
    Quadrant,
    QuadrantMove,
    SalienceClass,
    SalienceGroup,
    SalienceMove,
    SalienceSnapshot,
    SalienceThresholds,
    classify,
    classify_power_interest,
    classify_salience,
    quadrant,
    salience_class,
    who_hears_first,
)
from crisisops.stakeholders.graph import (
    Influence,
    Stakeholder,
    StakeholderGraph,
    default_kinds,
)

AT = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
LATER = AT + dt.timedelta(hours=6)
BELOW = float(np.nextafter(0.5, 0.0))  # the largest float under the 0.5 threshold


def _any(value: object) -> Any:
    """Pass a deliberately wrong value past the type checker."""
    return value


def _person(
    key: str,
    power: float = 0.0,
    legitimacy: float = 0.0,
    urgency: float = 0.0,
    interest: float = 0.0,
    *,
    kind: str = "public",
    reach: int = 0,
) -> Stakeholder:
    return Stakeholder(
        key=key,
        name=key,
        kind=kind,
        power=power,
        legitimacy=legitimacy,
        urgency=urgency,
        interest=interest,
        reach=reach,
    )


def _round_trip(value: Any) -> Any:
    return from_data(
        type(value), json.loads(json.dumps(to_data(value), allow_nan=False))
    )


# --- salience classes, by hand --------------------------------------------------------

# (power, legitimacy, urgency) -> class, group, attribute count; Mitchell, Agle &
# Wood (1997), Figure 2 and Table 1. 0.5 sits exactly on the default threshold.
SALIENCE_TABLE = [
    ((0.0, 0.0, 0.0), SalienceClass.NON_STAKEHOLDER, SalienceGroup.NONE, 0),
    ((0.9, 0.1, 0.2), SalienceClass.DORMANT, SalienceGroup.LATENT, 1),
    ((0.1, 0.5, BELOW), SalienceClass.DISCRETIONARY, SalienceGroup.LATENT, 1),
    ((BELOW, 0.2, 1.0), SalienceClass.DEMANDING, SalienceGroup.LATENT, 1),
    ((0.5, 0.5, 0.0), SalienceClass.DOMINANT, SalienceGroup.EXPECTANT, 2),
    ((0.7, 0.3, 0.8), SalienceClass.DANGEROUS, SalienceGroup.EXPECTANT, 2),
    ((0.2, 0.9, 0.5), SalienceClass.DEPENDENT, SalienceGroup.EXPECTANT, 2),
    ((0.5, 0.5, 0.5), SalienceClass.DEFINITIVE, SalienceGroup.DEFINITIVE, 3),
]


@pytest.mark.parametrize(("scores", "expected", "group", "count"), SALIENCE_TABLE)
def test_each_of_the_eight_salience_classes_by_hand(
    scores: tuple[float, float, float],
    expected: SalienceClass,
    group: SalienceGroup,
    count: int,
) -> None:
    snapshot = classify_salience([_person("x", *scores)], at=AT)

    assert expected == salience_class(*scores)
    assert (expected,) == snapshot.classes
    assert (group,) == snapshot.groups
    assert [count] == snapshot.attribute_counts().tolist()
    assert group == expected.group
    assert count == expected.attribute_count


def test_the_eight_classes_in_one_vectorised_snapshot() -> None:
    people = [_person(f"p{i}", *row[0]) for i, row in enumerate(SALIENCE_TABLE)]

    snapshot = classify_salience(people, at=AT)

    assert tuple(row[1] for row in SALIENCE_TABLE) == snapshot.classes
    assert [0, 1, 1, 1, 2, 2, 2, 3] == snapshot.attribute_counts().tolist()
    assert dict.fromkeys(SalienceClass, 1) == dict(snapshot.counts())
    assert ("p4", "p5", "p6") == snapshot.keys_in(SalienceGroup.EXPECTANT)
    assert ("p7",) == snapshot.keys_in(SalienceClass.DEFINITIVE)
    assert SalienceClass.DANGEROUS == snapshot.class_of("p5")


@pytest.mark.parametrize(
    ("power", "legitimacy", "urgency", "expected"),
    [
        (False, False, False, SalienceClass.NON_STAKEHOLDER),
        (True, False, False, SalienceClass.DORMANT),
        (False, True, False, SalienceClass.DISCRETIONARY),
        (False, False, True, SalienceClass.DEMANDING),
        (True, True, False, SalienceClass.DOMINANT),
        (True, False, True, SalienceClass.DANGEROUS),
        (False, True, True, SalienceClass.DEPENDENT),
        (True, True, True, SalienceClass.DEFINITIVE),
    ],
)
def test_classes_from_attributes_and_back(
    *, power: bool, legitimacy: bool, urgency: bool, expected: SalienceClass
) -> None:
    found = SalienceClass.from_attributes(
        power=power, legitimacy=legitimacy, urgency=urgency
    )

    assert expected == found
    held = tuple(
        name
        for name, flag in (
            ("power", power),
            ("legitimacy", legitimacy),
            ("urgency", urgency),
        )
        if flag
    )
    assert held == found.attributes


def test_every_class_group_and_quadrant_has_distinct_bilingual_labels() -> None:
    for members in (SalienceClass, SalienceGroup, Quadrant):
        names = [m.labels for m in members]
        assert len({n.en for n in names}) == len(names)
        assert len({n.zh_hant for n in names}) == len(names)
        assert len({n.zh_hans for n in names}) == len(names)
    assert "確定型" == SalienceClass.DEFINITIVE.labels.zh_hant
    assert "潛在型利益相關者" == SalienceGroup.LATENT.labels.zh_hant
    assert ["none", "low", "moderate", "high"] == [g.salience.en for g in SalienceGroup]


def test_custom_salience_thresholds_move_the_boundary() -> None:
    strict = SalienceThresholds(power=0.8, legitimacy=0.3, urgency=1)

    assert SalienceClass.DEPENDENT == salience_class(0.79, 0.3, 1.0, thresholds=strict)
    assert SalienceClass.DEFINITIVE == salience_class(0.8, 0.3, 1.0, thresholds=strict)
    assert 1.0 == strict.urgency


# --- power-interest quadrants at and around the thresholds ----------------------------


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (0.5, 0.5, Quadrant.MANAGE_CLOSELY),
        (0.5, BELOW, Quadrant.KEEP_SATISFIED),
        (BELOW, 0.5, Quadrant.KEEP_INFORMED),
        (BELOW, BELOW, Quadrant.MONITOR),
        (
            float(np.nextafter(0.5, 1.0)),
            float(np.nextafter(0.5, 1.0)),
            Quadrant.MANAGE_CLOSELY,
        ),
        (0.0, 0.0, Quadrant.MONITOR),
        (1.0, 1.0, Quadrant.MANAGE_CLOSELY),
        (1.0, 0.0, Quadrant.KEEP_SATISFIED),
        (0.0, 1.0, Quadrant.KEEP_INFORMED),
    ],
)
def test_quadrants_at_and_around_the_default_thresholds(
    power: float, interest: float, expected: Quadrant
) -> None:
    snapshot = classify_power_interest(
        [_person("x", power=power, interest=interest)], at=AT
    )

    assert expected == quadrant(power, interest)
    assert (expected,) == snapshot.quadrants


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (0.7, 0.3, Quadrant.MANAGE_CLOSELY),
        (0.7, 0.29, Quadrant.KEEP_SATISFIED),
        (0.69, 0.3, Quadrant.KEEP_INFORMED),
        (0.69, 0.29, Quadrant.MONITOR),
    ],
)
def test_quadrants_at_and_around_custom_thresholds(
    power: float, interest: float, expected: Quadrant
) -> None:
    limits = PowerInterestThresholds(power=0.7, interest=0.3)

    assert expected == quadrant(power, interest, thresholds=limits)


def test_each_quadrant_has_its_mendelow_cell_levels_and_strategy() -> None:
    cells = {q: (q.cell, q.high_power, q.high_interest) for q in Quadrant}

    assert {
        Quadrant.MONITOR: ("A", False, False),
        Quadrant.KEEP_INFORMED: ("B", False, True),
        Quadrant.KEEP_SATISFIED: ("C", True, False),
        Quadrant.MANAGE_CLOSELY: ("D", True, True),
    } == cells
    for where in Quadrant:
        assert where == Quadrant.from_levels(
            high_power=where.high_power, high_interest=where.high_interest
        )
        assert where.strategy.zh_hant
    assert "Key players" in Quadrant.MANAGE_CLOSELY.strategy.en
    assert "Minimal effort" in Quadrant.MONITOR.strategy.en


# --- snapshots ------------------------------------------------------------------------


def _crisis_cast() -> list[Stakeholder]:
    return [
        _person("regulator", 0.9, 0.9, 0.7, 0.8, kind="regulators"),
        _person("kol", 0.6, 0.2, 0.9, 0.9, kind="influencers"),
        _person("buyers", 0.3, 0.8, 0.8, 0.9, kind="customers"),
        _person("staff", 0.2, 0.9, 0.1, 0.4, kind="employees"),
    ]


def test_a_combined_snapshot_holds_both_models_at_one_moment() -> None:
    snapshot = classify(_crisis_cast(), at=AT)

    assert AT == snapshot.at
    assert ("regulator", "kol", "buyers", "staff") == snapshot.keys
    assert (
        SalienceClass.DEFINITIVE,
        SalienceClass.DANGEROUS,
        SalienceClass.DEPENDENT,
        SalienceClass.DISCRETIONARY,
    ) == snapshot.salience.classes
    assert (
        Quadrant.MANAGE_CLOSELY,
        Quadrant.MANAGE_CLOSELY,
        Quadrant.KEEP_INFORMED,
        Quadrant.MONITOR,
    ) == snapshot.power_interest.quadrants
    assert ("buyers",) == snapshot.power_interest.keys_in(Quadrant.KEEP_INFORMED)
    assert 2 == snapshot.power_interest.counts()[Quadrant.MANAGE_CLOSELY]


def test_a_graph_is_classified_like_its_stakeholders() -> None:
    graph = StakeholderGraph(stakeholders=_crisis_cast())

    assert classify(_crisis_cast(), at=AT) == classify(graph, at=AT)


def test_a_dependent_stakeholder_with_a_powerful_ally_becomes_definitive() -> None:
    # Mitchell, Agle & Wood's own example of a class change: buyers gain power
    # once the regulator takes up their case.
    graph = StakeholderGraph(stakeholders=_crisis_cast())
    before = classify(graph, at=AT)
    after = classify(graph.with_scores("buyers", power=0.75), at=LATER)

    moves = after.moves_since(before)

    assert (
        SalienceMove(
            key="buyers",
            before=SalienceClass.DEPENDENT,
            after=SalienceClass.DEFINITIVE,
        ),
    ) == moves.salience
    assert 1 == moves.salience[0].rank_change
    assert (
        QuadrantMove(
            key="buyers",
            before=Quadrant.KEEP_INFORMED,
            after=Quadrant.MANAGE_CLOSELY,
        ),
    ) == moves.quadrants
    assert ("buyers",) == moves.keys


def test_moves_list_stakeholders_who_joined_or_left() -> None:
    before = classify_salience(_crisis_cast()[:3], at=AT)
    after = classify_salience([*_crisis_cast()[1:], _person("press", 0.8)], at=LATER)

    moves = after.moves_since(before)

    assert (
        SalienceMove(key="staff", before=None, after=SalienceClass.DISCRETIONARY),
        SalienceMove(key="press", before=None, after=SalienceClass.DORMANT),
        SalienceMove(key="regulator", before=SalienceClass.DEFINITIVE, after=None),
    ) == moves
    assert -3 == moves[-1].rank_change
    assert () == after.moves_since(after)


def test_moves_since_a_later_snapshot_or_other_thresholds_are_refused() -> None:
    early = classify(_crisis_cast(), at=AT)
    late = classify(_crisis_cast(), at=LATER)
    other = classify_salience(
        _crisis_cast(), at=AT, thresholds=SalienceThresholds(power=0.6)
    )

    with pytest.raises(ValidationError, match="at or before"):
        early.moves_since(late)
    with pytest.raises(ValidationError, match=r"earlier\.thresholds"):
        late.salience.moves_since(other)
    with pytest.raises(InvalidTypeError, match="earlier"):
        late.moves_since(_any(late.salience))
    with pytest.raises(InvalidTypeError, match="earlier"):
        late.salience.moves_since(_any(late.power_interest))
    with pytest.raises(InvalidTypeError, match="earlier"):
        late.power_interest.moves_since(_any(None))


def test_moments_compare_as_instants_across_the_repeated_hour() -> None:
    # Berlin, 2026-10-25: 02:50 CEST (00:50 UTC) comes before 02:10 CET
    # (01:10 UTC, fold=1), although its wall clock reads later.
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    first = dt.datetime(2026, 10, 25, 2, 50, tzinfo=berlin)
    second = dt.datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=berlin)
    people = _crisis_cast()

    before = classify(people, at=first)
    after = classify(people, at=second)

    assert () == after.moves_since(before).keys
    with pytest.raises(ValidationError, match="at or before"):
        before.moves_since(after)
    # 02:10 CEST and 02:10 CET read the same on the wall, an hour apart
    with pytest.raises(ValidationError, match=r"power_interest\.at"):
        ClassificationSnapshot(
            salience=classify_salience(people, at=second.replace(fold=0)),
            power_interest=classify_power_interest(people, at=second),
        )


def test_snapshot_arrays_are_read_only_copies() -> None:
    power = np.array([0.1, 0.9])
    snapshot = SalienceSnapshot(
        at=AT, keys=["a", "b"], power=power, legitimacy=[0, 1], urgency=[1, 1]
    )

    power[0] = 0.9

    assert [0.1, 0.9] == snapshot.power.tolist()
    assert (SalienceClass.DEMANDING, SalienceClass.DEFINITIVE) == snapshot.classes
    for array in (snapshot.power, snapshot.codes(), snapshot.attribute_counts()):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


def test_an_empty_snapshot_is_valid() -> None:
    snapshot = classify(StakeholderGraph(), at=AT)

    assert () == snapshot.keys
    assert () == snapshot.salience.classes
    assert 0 == sum(snapshot.power_interest.counts().values())


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"at": dt.datetime(2026, 11, 11)}, NaiveDatetimeError, "at"),  # noqa: DTZ001  naive on purpose
        ({"at": "2026-11-11"}, InvalidTypeError, "at"),
        ({"keys": ["a", "a"]}, DuplicateKeyError, None),
        ({"keys": ["a", "B"]}, ValidationError, "keys[1]"),
        ({"power": [0.1]}, ValidationError, "power"),
        ({"power": [0.1, math.nan]}, ValidationError, "power[1]"),
        ({"legitimacy": [0.1, 1.5]}, ValidationError, "legitimacy[1]"),
        ({"urgency": [-0.1, 0.5]}, ValidationError, "urgency[0]"),
        ({"urgency": [True, False]}, InvalidTypeError, "urgency"),
        ({"urgency": ["x", "y"]}, InvalidTypeError, "urgency"),
        # numpy would parse numeric text and read True as 1.0: both refused
        ({"urgency": ["0.5", "0.2"]}, InvalidTypeError, "urgency"),
        ({"power": [True, 0.5]}, InvalidTypeError, "power"),
        ({"power": np.array(["0.1", "0.2"])}, InvalidTypeError, "power"),
        ({"power": np.array([True, False])}, InvalidTypeError, "power"),
        ({"power": [[0.1, 0.2]]}, ValidationError, "power"),
        ({"thresholds": PowerInterestThresholds()}, InvalidTypeError, "thresholds"),
    ],
)
def test_a_salience_snapshot_rejects_bad_fields(
    changes: dict[str, Any], error: type[Exception], field: str | None
) -> None:
    fields: dict[str, Any] = {
        "at": AT,
        "keys": ["a", "b"],
        "power": [0.1, 0.2],
        "legitimacy": [0.1, 0.2],
        "urgency": [0.1, 0.2],
    }
    fields.update(changes)

    with pytest.raises(error) as raised:
        SalienceSnapshot(**fields)

    if field is not None:
        assert field == raised.value.field  # type: ignore[attr-defined]


def test_a_power_interest_snapshot_rejects_bad_fields() -> None:
    with pytest.raises(ValidationError, match=r"interest\[0\]"):
        PowerInterestSnapshot(at=AT, keys=["a"], power=[0.5], interest=[2.0])
    with pytest.raises(NaiveDatetimeError):
        PowerInterestSnapshot(
            at=dt.datetime(2026, 1, 1),  # noqa: DTZ001  naive on purpose
            keys=["a"],
            power=[0.5],
            interest=[0.5],
        )
    with pytest.raises(InvalidTypeError, match="thresholds"):
        PowerInterestSnapshot(
            at=AT,
            keys=["a"],
            power=[0.5],
            interest=[0.5],
            thresholds=_any(SalienceThresholds()),
        )


def test_a_combined_snapshot_refuses_parts_that_disagree() -> None:
    people = _crisis_cast()
    salience = classify_salience(people, at=AT)
    grid = classify_power_interest(people, at=AT)

    with pytest.raises(ValidationError, match=r"power_interest.at"):
        ClassificationSnapshot(
            salience=salience, power_interest=classify_power_interest(people, at=LATER)
        )
    with pytest.raises(ValidationError, match=r"power_interest.keys"):
        ClassificationSnapshot(
            salience=salience,
            power_interest=classify_power_interest(people[::-1], at=AT),
        )
    moved = [_person("regulator", 0.1, interest=0.8), *people[1:]]
    with pytest.raises(ValidationError, match=r"power_interest.power"):
        ClassificationSnapshot(
            salience=salience, power_interest=classify_power_interest(moved, at=AT)
        )
    with pytest.raises(InvalidTypeError, match="salience"):
        ClassificationSnapshot(salience=_any(grid), power_interest=grid)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0.0, ValidationError),
        (-0.1, ValidationError),
        (1.01, ValidationError),
        (math.nan, ValidationError),
        (True, InvalidTypeError),
        ("0.5", InvalidTypeError),
    ],
)
def test_thresholds_lie_in_zero_exclusive_to_one(
    value: object, error: type[Exception]
) -> None:
    for field in ("power", "legitimacy", "urgency"):
        with pytest.raises(error, match=field):
            SalienceThresholds(**{field: value})
    for field in ("power", "interest"):
        with pytest.raises(error, match=field):
            PowerInterestThresholds(**{field: value})


def test_scalar_helpers_reject_bad_scores_and_thresholds() -> None:
    with pytest.raises(ValidationError, match="legitimacy"):
        salience_class(0.5, 1.5, 0.5)
    with pytest.raises(InvalidTypeError, match="urgency"):
        salience_class(0.5, 0.5, _any("high"))
    with pytest.raises(InvalidTypeError, match="thresholds"):
        salience_class(0.5, 0.5, 0.5, thresholds=_any(PowerInterestThresholds()))
    with pytest.raises(ValidationError, match="interest"):
        quadrant(0.5, math.nan)
    with pytest.raises(InvalidTypeError, match="power"):
        quadrant(_any(None), 0.5)
    with pytest.raises(InvalidTypeError, match="thresholds"):
        quadrant(0.5, 0.5, thresholds=_any(SalienceThresholds()))
    with pytest.raises(InvalidTypeError, match="power"):
        SalienceClass.from_attributes(power=_any(1), legitimacy=True, urgency=True)
    with pytest.raises(InvalidTypeError, match="high_interest"):
        Quadrant.from_levels(high_power=True, high_interest=_any(None))


def test_classify_functions_reject_bad_input() -> None:
    people = _crisis_cast()
    for function in (classify, classify_salience, classify_power_interest):
        with pytest.raises(NaiveDatetimeError, match="at"):
            function(people, at=dt.datetime(2026, 1, 1))  # noqa: DTZ001  naive on purpose
        with pytest.raises(InvalidTypeError, match="stakeholders"):
            function(_any("buyers"), at=AT)
        with pytest.raises(InvalidTypeError, match="stakeholders"):
            function(_any(None), at=AT)
        with pytest.raises(InvalidTypeError, match=r"stakeholders\[1\]"):
            function(_any([people[0], "kol"]), at=AT)
        with pytest.raises(DuplicateKeyError, match="kol"):
            function([*people, people[1]], at=AT)
    with pytest.raises(InvalidTypeError, match="grid_thresholds"):
        classify(people, at=AT, grid_thresholds=_any(SalienceThresholds()))
    with pytest.raises(InvalidTypeError, match="thresholds"):
        classify(people, at=AT, salience_thresholds=_any(PowerInterestThresholds()))


def test_lookups_in_a_snapshot_reject_unknown_keys() -> None:
    snapshot = classify(_crisis_cast(), at=AT)

    with pytest.raises(UnknownKeyError, match="did you mean 'buyers'"):
        snapshot.salience.class_of("buyer")
    with pytest.raises(UnknownKeyError):
        snapshot.power_interest.quadrant_of("nobody")
    with pytest.raises(InvalidTypeError, match="key"):
        snapshot.salience.class_of(_any(1))
    with pytest.raises(InvalidTypeError, match="salience"):
        snapshot.salience.keys_in(_any(Quadrant.MONITOR))
    with pytest.raises(InvalidTypeError, match="where"):
        snapshot.power_interest.keys_in(_any(SalienceClass.DORMANT))


@pytest.mark.parametrize(
    ("build", "error", "field"),
    [
        (
            lambda: SalienceMove(key="a", before=_any("dormant"), after=None),
            InvalidTypeError,
            "before",
        ),
        (
            lambda: SalienceMove(
                key="a", before=SalienceClass.DORMANT, after=SalienceClass.DORMANT
            ),
            ValidationError,
            "after",
        ),
        (
            lambda: SalienceMove(key="a", before=None, after=None),
            ValidationError,
            "after",
        ),
        (
            lambda: SalienceMove(key="A", before=None, after=SalienceClass.DORMANT),
            ValidationError,
            "key",
        ),
        (
            lambda: QuadrantMove(key="a", before=Quadrant.MONITOR, after=_any(1)),
            InvalidTypeError,
            "after",
        ),
        (
            lambda: QuadrantMove(
                key="a", before=Quadrant.MONITOR, after=Quadrant.MONITOR
            ),
            ValidationError,
            "after",
        ),
        (
            lambda: ClassificationMoves(salience=_any("buyers"), quadrants=()),
            InvalidTypeError,
            "salience",
        ),
        (
            lambda: ClassificationMoves(salience=(), quadrants=[_any(None)]),
            InvalidTypeError,
            "quadrants[0]",
        ),
    ],
)
def test_moves_reject_bad_fields(
    build: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as raised:
        build()

    assert field == raised.value.field  # type: ignore[attr-defined]


def test_snapshots_and_moves_round_trip() -> None:
    before = classify(_crisis_cast(), at=AT)
    after = classify(
        [*_crisis_cast()[:2], _person("buyers", 0.9, 0.9, 0.9, 0.9)], at=LATER
    )
    moves = after.moves_since(before)

    assert before == _round_trip(before)
    assert moves == _round_trip(moves)
    assert isinstance(_round_trip(moves), ClassificationMoves)
    assert hash(before) == hash(_round_trip(before))


def test_a_tampered_document_cannot_hold_a_score_out_of_range() -> None:
    document = to_data(classify_salience(_crisis_cast(), at=AT))
    document["data"]["power"]["data"][2] = 1.5

    with pytest.raises(SerializationError, match="power"):
        from_data(SalienceSnapshot, document)


# --- who hears first ------------------------------------------------------------------


def test_who_hears_first_orders_by_salience_then_influence_then_reach() -> None:
    graph = StakeholderGraph(
        stakeholders=[
            _person("press", 0.7, 0.6, 0.4, kind="media", reach=50_000),
            _person("buyers", 0.6, 0.9, 0.9, kind="customers", reach=8_000),
            _person("kol", 0.6, 0.4, 0.8, kind="influencers", reach=200_000),
            _person("fans", 0.2, 0.7, 0.8, kind="public", reach=90_000),
            _person("staff", 0.1, 0.9, 0.1, kind="employees", reach=40),
            _person("bystanders", kind="public", reach=5_000_000),
        ],
        influences=[Influence(source="kol", target="fans", weight=0.6)],
    )

    # buyers: definitive. kol, fans, press: expectant; the KOL sways the fans
    # (highest PageRank); fans and press tie on PageRank, fans reach more.
    # staff: latent. bystanders: non-stakeholder, however large their reach.
    assert ("buyers", "kol", "fans", "press", "staff", "bystanders") == who_hears_first(
        graph
    )
    # With the kind catalog, internal stakeholders (employees) come first.
    assert "staff" == who_hears_first(graph, kinds=default_kinds())[0]
    strict = SalienceThresholds(legitimacy=0.95)
    assert "kol" == who_hears_first(graph, thresholds=strict)[0]


def test_who_hears_first_breaks_full_ties_by_node_order() -> None:
    graph = StakeholderGraph(stakeholders=[_person(k, 0.9) for k in ("c", "a", "b")])

    assert ("c", "a", "b") == who_hears_first(graph)
    assert () == who_hears_first(StakeholderGraph())


def test_who_hears_first_rejects_bad_input() -> None:
    graph = StakeholderGraph(stakeholders=[_person("a", kind="martians")])

    with pytest.raises(InvalidTypeError, match="graph"):
        who_hears_first(_any([_person("a")]))
    with pytest.raises(InvalidTypeError, match="thresholds"):
        who_hears_first(graph, thresholds=_any(0.5))
    with pytest.raises(InvalidTypeError, match="kinds"):
        who_hears_first(graph, kinds=_any(["employees"]))
    with pytest.raises(UnknownKeyError, match="martians"):
        who_hears_first(graph, kinds=default_kinds())


# --- properties -----------------------------------------------------------------------

unit = st.floats(min_value=0.0, max_value=1.0)


@st.composite
def casts(draw: st.DrawFn) -> list[Stakeholder]:
    """Draw stakeholders with unique keys and scores often on the threshold."""
    keys = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9]{0,4}", fullmatch=True),
            unique=True,
            max_size=8,
        )
    )
    score = st.one_of(unit, st.sampled_from([0.5, BELOW, 0.0, 1.0]))
    return [
        _person(
            key,
            draw(score),
            draw(score),
            draw(score),
            draw(score),
            reach=draw(st.integers(min_value=0, max_value=10**6)),
        )
        for key in keys
    ]


@settings(max_examples=80, deadline=None)
@given(casts(), st.randoms(use_true_random=False))
def test_classification_does_not_depend_on_stakeholder_order(
    people: list[Stakeholder], shuffler: Any
) -> None:
    shuffled = list(people)
    shuffler.shuffle(shuffled)

    first = classify(people, at=AT)
    second = classify(shuffled, at=AT)

    for person in people:
        assert first.salience.class_of(person.key) == second.salience.class_of(
            person.key
        )
        assert first.power_interest.quadrant_of(
            person.key
        ) == second.power_interest.quadrant_of(person.key)
    assert first.salience.counts() == second.salience.counts()


@settings(max_examples=80, deadline=None)
@given(casts())
def test_the_vectorised_snapshot_matches_the_scalar_rules(
    people: list[Stakeholder],
) -> None:
    snapshot = classify(people, at=AT)

    for person, cls, where in zip(
        people,
        snapshot.salience.classes,
        snapshot.power_interest.quadrants,
        strict=True,
    ):
        held = (person.power >= 0.5, person.legitimacy >= 0.5, person.urgency >= 0.5)
        assert held == (
            "power" in cls.attributes,
            "legitimacy" in cls.attributes,
            "urgency" in cls.attributes,
        )
        assert (person.power >= 0.5, person.interest >= 0.5) == (
            where.high_power,
            where.high_interest,
        )


@settings(max_examples=60, deadline=None)
@given(casts(), unit, unit, unit)
def test_any_snapshot_round_trips(
    people: list[Stakeholder], power: float, legitimacy: float, urgency: float
) -> None:
    limits = SalienceThresholds(
        power=max(power, 0.01), legitimacy=max(legitimacy, 0.01), urgency=urgency or 1
    )
    snapshot = classify(people, at=AT, salience_thresholds=limits)

    assert snapshot == _round_trip(snapshot)
    assert snapshot.salience.classes == _round_trip(snapshot).salience.classes


@settings(max_examples=60, deadline=None)
@given(casts(), casts())
def test_moves_are_exactly_the_keys_whose_class_differs(
    before_people: list[Stakeholder], after_people: list[Stakeholder]
) -> None:
    before = classify_salience(before_people, at=AT)
    after = classify_salience(after_people, at=LATER)

    moves = after.moves_since(before)

    old = dict(zip(before.keys, before.classes, strict=True))
    new = dict(zip(after.keys, after.classes, strict=True))
    expected = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    assert expected == {m.key for m in moves}
    for move in moves:
        assert (old.get(move.key), new.get(move.key)) == (move.before, move.after)
