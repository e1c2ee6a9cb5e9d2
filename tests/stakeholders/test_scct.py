"""SCCT recommendations against Coombs (2007), and the deny-mixing invariant."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders.scct import (
    BaseResponse,
    Guideline,
    MessageStrategy,
    PriorReputation,
    ResponsePosture,
    ResponseRecommendation,
    ResponseStrategy,
    check_strategies,
    recommend_response,
)
from crisisops.taxonomy import SCCTCluster, SCCTCrisisType, default_catalog

S = ResponseStrategy
P = ResponsePosture
T = SCCTCrisisType
G = Guideline

# --- the expected table, written by hand from Coombs (2007) -------------------
#
# Table 1 clusters; and, per intensifier combination, the cluster the response
# is chosen for, the posture and the guideline that decides it. The six
# columns are (history, prior reputation):
#   no/favourable  no/neutral  no/unfavourable  yes/favourable  yes/neutral
#   yes/unfavourable
# Guideline 1: victim, no intensifier -> base response alone (B).
# Guideline 3: victim + history and/or unfavourable reputation -> diminish (D).
# Guideline 4: accidental, no intensifier -> diminish (D).
# Guideline 5: accidental + history and/or unfavourable reputation -> rebuild (R).
# Guideline 6: preventable -> rebuild (R) whatever history or reputation.
COLUMNS = [
    (False, "favourable"),
    (False, "neutral"),
    (False, "unfavourable"),
    (True, "favourable"),
    (True, "neutral"),
    (True, "unfavourable"),
]
VICTIM_ROW = ("V V A A A A", "B B D D D D", "1 1 3 3 3 3")
ACCIDENTAL_ROW = ("A A P P P P", "D D R R R R", "4 4 5 5 5 5")
PREVENTABLE_ROW = ("P P P P P P", "R R R R R R", "6 6 6 6 6 6")
TABLE = {
    # victim cluster: very little responsibility, mild threat
    T.NATURAL_DISASTER: VICTIM_ROW,
    T.RUMOR: VICTIM_ROW,
    T.WORKPLACE_VIOLENCE: VICTIM_ROW,
    T.PRODUCT_TAMPERING: VICTIM_ROW,
    # accidental cluster: low responsibility, moderate threat
    T.CHALLENGE: ACCIDENTAL_ROW,
    T.TECHNICAL_ERROR_ACCIDENT: ACCIDENTAL_ROW,
    T.TECHNICAL_ERROR_PRODUCT_HARM: ACCIDENTAL_ROW,
    # preventable cluster: strong responsibility, severe threat
    T.HUMAN_ERROR_ACCIDENT: PREVENTABLE_ROW,
    T.HUMAN_ERROR_PRODUCT_HARM: PREVENTABLE_ROW,
    T.ORGANIZATIONAL_MISDEED_NO_INJURIES: PREVENTABLE_ROW,
    T.ORGANIZATIONAL_MISDEED_MANAGEMENT_MISCONDUCT: PREVENTABLE_ROW,
    T.ORGANIZATIONAL_MISDEED_WITH_INJURIES: PREVENTABLE_ROW,
}
TYPE_CLUSTER = {
    "V": SCCTCluster.VICTIM,
    "A": SCCTCluster.ACCIDENTAL,
    "P": SCCTCluster.PREVENTABLE,
}
POSTURE = {"B": None, "D": P.DIMINISH, "R": P.REBUILD, "X": P.DENY}
# Table 2: the strategies of each primary posture.
STRATEGIES = {
    None: (),
    P.DENY: (S.ATTACK_THE_ACCUSER, S.DENIAL, S.SCAPEGOAT),
    P.DIMINISH: (S.EXCUSE, S.JUSTIFICATION),
    P.REBUILD: (S.COMPENSATION, S.APOLOGY),
}
CLUSTER_GUIDELINE = {
    "1": G.GUIDELINE_1,
    "3": G.GUIDELINE_3,
    "4": G.GUIDELINE_4,
    "5": G.GUIDELINE_5,
    "6": G.GUIDELINE_6,
}
# Guideline 2: victimage for the victim-cluster types.
VICTIMAGE_TYPES = {
    T.NATURAL_DISASTER,
    T.RUMOR,
    T.WORKPLACE_VIOLENCE,
    T.PRODUCT_TAMPERING,
}
# Guideline 7: deny only for rumor and challenge crises.
DENY_TYPES = {T.RUMOR, T.CHALLENGE}

CASES = [
    (scct_type, column, claim_unfounded, serious_harm)
    for scct_type in TABLE
    for column in range(6)
    for claim_unfounded in (False, True)
    for serious_harm in (False, True)
]


def test_the_table_covers_every_scct_type_and_combination() -> None:
    assert set(SCCTCrisisType) == set(TABLE)
    assert 12 * 6 * 2 * 2 == len(CASES)


@pytest.mark.parametrize(
    ("scct_type", "column", "claim_unfounded", "serious_harm"), CASES
)
def test_every_combination_follows_the_2007_guidelines(
    scct_type: SCCTCrisisType,
    column: int,
    claim_unfounded: bool,  # noqa: FBT001  pytest passes parameters positionally
    serious_harm: bool,  # noqa: FBT001
) -> None:
    history, reputation = COLUMNS[column]
    clusters, postures, numbers = (row.split() for row in TABLE[scct_type])

    if claim_unfounded and scct_type not in DENY_TYPES:
        with pytest.raises(ValidationError, match="'claim_unfounded'"):
            recommend_response(
                scct_type,
                history=history,
                prior_reputation=reputation,
                claim_unfounded=claim_unfounded,
                serious_harm=serious_harm,
            )
        return
    result = recommend_response(
        scct_type,
        history=history,
        prior_reputation=reputation,
        claim_unfounded=claim_unfounded,
        serious_harm=serious_harm,
    )

    deny = claim_unfounded and not serious_harm  # guideline 7, unless harm
    posture = P.DENY if deny else POSTURE[postures[column]]
    strategies = STRATEGIES[posture]
    if serious_harm and S.COMPENSATION not in strategies:
        strategies = (*strategies, S.COMPENSATION)
    if deny:
        guidelines = [G.GUIDELINE_7, G.GUIDELINE_8]
    else:
        guidelines = [G.GUIDELINE_8] if claim_unfounded else []
        guidelines.append(CLUSTER_GUIDELINE[numbers[column]])
    if serious_harm:
        guidelines.append(G.COMPENSATE_SERIOUS_HARM)
    supplementary: tuple[ResponseStrategy, ...] = (S.REMINDER, S.INGRATIATION)
    if scct_type in VICTIMAGE_TYPES:
        supplementary = (*supplementary, S.VICTIMAGE)
        guidelines.append(G.GUIDELINE_2)
    guidelines.append(G.BOLSTER_ANY_RESPONSE)

    assert TYPE_CLUSTER[clusters[0]] == result.type_cluster
    assert TYPE_CLUSTER[clusters[column]] == result.cluster
    assert posture == result.posture
    assert strategies == result.strategies
    assert supplementary == result.supplementary
    assert tuple(guidelines) == result.guidelines
    assert (
        BaseResponse.INSTRUCTING_INFORMATION,
        BaseResponse.ADJUSTING_INFORMATION,
    ) == result.steps[:2]
    assert (*result.base_response, *strategies, *supplementary) == result.steps


def test_guidelines_carry_the_papers_numbers_and_sources() -> None:
    assert [1, 2, 3, 4, 5, 6, 7, 8] == [g.number for g in Guideline][:8]
    assert G.COMPENSATE_SERIOUS_HARM.number is None
    assert G.BOLSTER_ANY_RESPONSE.number is None
    assert G.GUIDELINE_7.source.endswith("guideline 7")
    assert "IPR" in G.COMPENSATE_SERIOUS_HARM.source
    assert "否認型" in G.GUIDELINE_8.summary.zh_hant


def test_catalog_crisis_types_use_their_scct_type() -> None:
    # technical.system_failure is a technical-error accident (accidental).
    outage = recommend_response(
        "technical.system_failure", history=False, prior_reputation="neutral"
    )
    # market.brand_damage is a challenge: deny when the claim is unfounded.
    smear = recommend_response(
        default_catalog()["market.brand_damage"],
        history=True,
        prior_reputation=PriorReputation.UNFAVOURABLE,
        claim_unfounded=True,
    )

    assert "technical.system_failure" == outage.crisis_type
    assert T.TECHNICAL_ERROR_ACCIDENT == outage.scct_type
    assert P.DIMINISH == outage.posture
    assert "market.brand_damage" == smear.crisis_type
    assert P.DENY == smear.posture
    assert SCCTCluster.PREVENTABLE == smear.cluster  # intensified, but still deny


def test_history_and_unfavourable_reputation_together_move_one_cluster_only() -> None:
    both = recommend_response(
        T.NATURAL_DISASTER, history=True, prior_reputation="unfavourable"
    )

    assert SCCTCluster.ACCIDENTAL == both.cluster
    assert P.DIMINISH == both.posture  # guideline 3, not rebuild


# --- the deny invariant (guideline 8) ----------------------------------------------

DENY_STRATEGIES = (S.ATTACK_THE_ACCUSER, S.DENIAL, S.SCAPEGOAT)
OTHER_PRIMARY = (S.EXCUSE, S.JUSTIFICATION, S.COMPENSATION, S.APOLOGY)


@pytest.mark.parametrize(
    ("deny", "other"), list(itertools.product(DENY_STRATEGIES, OTHER_PRIMARY))
)
def test_a_strategy_set_mixing_deny_with_diminish_or_rebuild_is_rejected(
    deny: ResponseStrategy, other: ResponseStrategy
) -> None:
    with pytest.raises(ValidationError, match="guideline 8"):
        check_strategies([deny, other])
    with pytest.raises(ValidationError, match="guideline 8"):
        MessageStrategy(posture=P.DENY, strategies=(deny, other))
    with pytest.raises(ValidationError, match="guideline 8"):
        MessageStrategy(posture=other.posture, strategies=(other, deny))


def test_a_recommendation_that_mixes_deny_is_rejected() -> None:
    good = recommend_response(
        T.RUMOR, history=False, prior_reputation="neutral", claim_unfounded=True
    )

    with pytest.raises(ValidationError, match="guideline 8"):
        ResponseRecommendation(
            crisis_type=None,
            scct_type=T.RUMOR,
            history=False,
            prior_reputation=PriorReputation.NEUTRAL,
            claim_unfounded=True,
            serious_harm=False,
            message=MessageStrategy(posture=P.DENY, strategies=(S.DENIAL, S.APOLOGY)),
            guidelines=good.guidelines,
        )


def test_serious_harm_sets_deny_aside_because_compensation_would_mix() -> None:
    harmed = recommend_response(
        T.CHALLENGE,
        history=False,
        prior_reputation="neutral",
        claim_unfounded=True,
        serious_harm=True,
    )

    assert P.DIMINISH == harmed.posture
    assert (S.EXCUSE, S.JUSTIFICATION, S.COMPENSATION) == harmed.strategies
    assert G.GUIDELINE_8 in harmed.guidelines
    assert G.GUIDELINE_7 not in harmed.guidelines


def test_bolstering_mixes_with_any_posture() -> None:
    for posture, strategies in STRATEGIES.items():
        message = MessageStrategy(
            posture=posture,
            strategies=strategies,
            supplementary=(S.REMINDER, S.INGRATIATION, S.VICTIMAGE),
        )
        assert 3 == len(message.supplementary)


@given(st.sets(st.sampled_from(ResponseStrategy)))
def test_check_strategies_rejects_exactly_the_deny_mixes(
    chosen: set[ResponseStrategy],
) -> None:
    postures = {s.posture for s in chosen}
    mixes = P.DENY in postures and bool(postures & {P.DIMINISH, P.REBUILD})
    ordered = sorted(chosen, key=lambda s: s.value)

    if mixes:
        with pytest.raises(ValidationError):
            check_strategies(ordered)
    else:
        assert tuple(ordered) == check_strategies(ordered)


# --- properties ------------------------------------------------------------------

inputs = st.fixed_dictionaries(
    {
        "crisis_type": st.sampled_from(SCCTCrisisType),
        "history": st.booleans(),
        "prior_reputation": st.sampled_from(PriorReputation),
        "claim_unfounded": st.booleans(),
        "serious_harm": st.booleans(),
    }
).filter(lambda d: not d["claim_unfounded"] or d["crisis_type"] in DENY_TYPES)
RANK = {None: 0, P.DIMINISH: 1, P.REBUILD: 2}


@settings(max_examples=60)
@given(inputs)
def test_recommendations_never_mix_and_always_start_with_the_base_response(
    arguments: dict[str, object],
) -> None:
    result = recommend_response(**arguments)  # type: ignore[arg-type]

    check_strategies(result.strategies + result.supplementary)
    assert result.steps[0] is BaseResponse.INSTRUCTING_INFORMATION
    assert (S.COMPENSATION in result.strategies) == (
        result.serious_harm or result.posture is P.REBUILD
    )
    assert (result.posture is P.DENY) == (
        result.claim_unfounded and not result.serious_harm
    )


@settings(max_examples=60)
@given(inputs)
def test_an_intensifier_never_softens_the_posture(
    arguments: dict[str, object],
) -> None:
    calm = recommend_response(
        **{**arguments, "history": False, "prior_reputation": "neutral"}  # type: ignore[arg-type]
    )
    worse = recommend_response(
        **{**arguments, "history": True}  # type: ignore[arg-type]
    )

    if calm.posture is not P.DENY:
        assert RANK[calm.posture] <= RANK[worse.posture]
    assert calm.cluster.responsibility <= worse.cluster.responsibility


@settings(max_examples=40)
@given(inputs)
def test_recommendations_round_trip_through_plain_data(
    arguments: dict[str, object],
) -> None:
    result = recommend_response(**arguments)  # type: ignore[arg-type]

    document = json.loads(json.dumps(to_data(result)))

    assert result == from_data(ResponseRecommendation, document)


def test_a_document_that_mixes_deny_is_refused_on_the_way_in() -> None:
    document = to_data(
        recommend_response(
            T.RUMOR, history=False, prior_reputation="neutral", claim_unfounded=True
        )
    )
    document["data"]["message"]["strategies"] = ["denial", "apology"]

    with pytest.raises(SerializationError, match="guideline 8"):
        from_data(ResponseRecommendation, document)


def test_a_document_with_another_posture_is_refused_on_the_way_in() -> None:
    # An outage with no history and a neutral reputation is diminish
    # (guideline 4); a document claiming rebuild for it is not SCCT's advice.
    document = to_data(
        recommend_response(
            T.TECHNICAL_ERROR_ACCIDENT, history=False, prior_reputation="neutral"
        )
    )
    document["data"]["message"]["posture"] = "rebuild"
    document["data"]["message"]["strategies"] = ["apology"]

    with pytest.raises(SerializationError, match="guideline 4"):
        from_data(ResponseRecommendation, document)


def test_message_strategies_round_trip() -> None:
    message = MessageStrategy(
        base_response=(BaseResponse.ADJUSTING_INFORMATION,),
        posture=P.REBUILD,
        strategies=(S.APOLOGY,),
        supplementary=(S.REMINDER,),
    )

    assert message == from_data(MessageStrategy, to_data(message))


# --- labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "member",
    [
        *ResponseStrategy,
        *ResponsePosture,
        *BaseResponse,
        *PriorReputation,
    ],
)
def test_every_term_has_labels_in_three_languages(member: object) -> None:
    labels = member.labels  # type: ignore[attr-defined]

    assert labels.en.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in labels.zh_hant)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in labels.zh_hans)


def test_strategies_belong_to_the_postures_of_table_2() -> None:
    assert DENY_STRATEGIES == P.DENY.strategies
    assert (S.EXCUSE, S.JUSTIFICATION) == P.DIMINISH.strategies
    assert (S.COMPENSATION, S.APOLOGY) == P.REBUILD.strategies
    assert (S.REMINDER, S.INGRATIATION, S.VICTIMAGE) == P.BOLSTERING.strategies
    assert not P.BOLSTERING.primary
    assert "補償" == S.COMPENSATION.labels.zh_hant
    assert S.APOLOGY.description.en.startswith("Take full responsibility")


# --- bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"crisis_type": 42}, InvalidTypeError, "'crisis_type'"),
        ({"crisis_type": "technical.sytem_failure"}, UnknownKeyError, "system"),
        ({"crisis_type": "supply_chain.inventory"}, ValidationError, "SCCT type"),
        ({"history": 1}, InvalidTypeError, "'history'"),
        ({"history": "yes"}, InvalidTypeError, "'history'"),
        ({"prior_reputation": "good"}, UnknownKeyError, "prior reputation"),
        ({"prior_reputation": "favorable"}, UnknownKeyError, "favourable"),
        ({"prior_reputation": 3}, InvalidTypeError, "'prior_reputation'"),
        ({"claim_unfounded": None}, InvalidTypeError, "'claim_unfounded'"),
        ({"claim_unfounded": True}, ValidationError, "guideline 7"),
        ({"serious_harm": 0}, InvalidTypeError, "'serious_harm'"),
        ({"catalog": {"a": 1}}, InvalidTypeError, "'catalog'"),
    ],
)
def test_recommend_response_rejects_bad_input(
    arguments: dict[str, object], error: type[Exception], field: str
) -> None:
    call: dict[str, object] = {
        "crisis_type": "technical.system_failure",
        "history": False,
        "prior_reputation": "neutral",
        **arguments,
    }

    with pytest.raises(error, match=field):
        recommend_response(**call)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"base_response": ()}, ValidationError, "'base_response'"),
        ({"base_response": ("instructing",)}, InvalidTypeError, "base_response"),
        (
            {"posture": P.BOLSTERING, "strategies": (S.REMINDER,)},
            ValidationError,
            "posture",
        ),
        ({"posture": "deny"}, InvalidTypeError, "'posture'"),
        ({"strategies": (S.APOLOGY,)}, ValidationError, "strategies"),
        (
            {"posture": P.DIMINISH, "strategies": (S.COMPENSATION,)},
            ValidationError,
            "diminish posture",
        ),
        (
            {"posture": P.DIMINISH, "strategies": (S.EXCUSE, S.EXCUSE)},
            ValidationError,
            "repeats",
        ),
        ({"posture": P.DENY, "strategies": ()}, ValidationError, "deny posture"),
        ({"strategies": "excuse"}, InvalidTypeError, "'strategies'"),
        ({"supplementary": (S.EXCUSE,)}, ValidationError, "supplementary"),
        ({"supplementary": ("reminder",)}, InvalidTypeError, "supplementary"),
    ],
)
def test_message_strategy_rejects_bad_input(
    arguments: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        MessageStrategy(**arguments)  # type: ignore[arg-type]


def _recommendation(**changes: object) -> ResponseRecommendation:
    base: dict[str, object] = {
        "crisis_type": None,
        "scct_type": T.TECHNICAL_ERROR_ACCIDENT,
        "history": False,
        "prior_reputation": PriorReputation.NEUTRAL,
        "claim_unfounded": False,
        "serious_harm": False,
        # a subset of the prescribed strategies (excuse, not justification)
        "message": MessageStrategy(posture=P.DIMINISH, strategies=(S.EXCUSE,)),
        "guidelines": (G.GUIDELINE_4, G.BOLSTER_ANY_RESPONSE),
    }
    return ResponseRecommendation(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"crisis_type": "Not A Key"}, ValidationError, "'crisis_type'"),
        ({"scct_type": "rumor"}, InvalidTypeError, "'scct_type'"),
        ({"history": "no"}, InvalidTypeError, "'history'"),
        ({"prior_reputation": "neutral"}, InvalidTypeError, "'prior_reputation'"),
        ({"claim_unfounded": True}, ValidationError, "'claim_unfounded'"),
        ({"serious_harm": True}, ValidationError, "compensation"),
        ({"message": "diminish"}, InvalidTypeError, "'message'"),
        ({"guidelines": ()}, ValidationError, "'guidelines'"),
        ({"guidelines": (G.GUIDELINE_4, G.GUIDELINE_4)}, ValidationError, "repeats"),
        (
            {
                "scct_type": T.RUMOR,
                "message": MessageStrategy(posture=P.DENY, strategies=(S.DENIAL,)),
            },
            ValidationError,
            "guideline 7",
        ),
        # A technical-error accident with no intensifier is diminish
        # (guideline 4): rebuild, or the base response alone, is not SCCT's.
        (
            {"message": MessageStrategy(posture=P.REBUILD, strategies=(S.APOLOGY,))},
            ValidationError,
            "diminish posture .*guideline 4",
        ),
        ({"message": MessageStrategy()}, ValidationError, "'message.posture'"),
        # ... and the same with history is rebuild (guideline 5), not diminish
        ({"history": True}, ValidationError, "rebuild posture .*guideline 5"),
        # victimage is for the victim-cluster types only (guideline 2)
        (
            {
                "message": MessageStrategy(
                    posture=P.DIMINISH,
                    strategies=(S.EXCUSE,),
                    supplementary=(S.VICTIMAGE,),
                )
            },
            ValidationError,
            "'message.supplementary'",
        ),
        # compensation without serious harm is not part of diminish
        (
            {
                "message": MessageStrategy(
                    posture=P.DIMINISH, strategies=(S.EXCUSE, S.COMPENSATION)
                )
            },
            ValidationError,
            "'message.strategies'",
        ),
        (
            {
                "message": MessageStrategy(
                    base_response=(BaseResponse.ADJUSTING_INFORMATION,),
                    posture=P.DIMINISH,
                    strategies=(S.EXCUSE,),
                )
            },
            ValidationError,
            "'message.base_response'",
        ),
        ({"guidelines": (G.GUIDELINE_4,)}, ValidationError, "'guidelines'"),
        (
            {"guidelines": (G.GUIDELINE_5, G.BOLSTER_ANY_RESPONSE)},
            ValidationError,
            "'guidelines'",
        ),
    ],
)
def test_response_recommendation_rejects_bad_input(
    changes: dict[str, object], error: type[Exception], field: str
) -> None:
    assert P.DIMINISH == _recommendation().posture

    with pytest.raises(error, match=field):
        _recommendation(**changes)


@pytest.mark.parametrize(
    ("strategies", "field", "error", "match"),
    [
        (42, "strategies", InvalidTypeError, "'strategies'"),
        ("denial", "strategies", InvalidTypeError, "'strategies'"),
        (["denial"], "strategies", InvalidTypeError, r"strategies\[0\]"),
        ([S.DENIAL, S.DENIAL], "strategies", ValidationError, "repeats"),
        ([S.DENIAL], 7, InvalidTypeError, "'field'"),
        ([S.DENIAL, S.EXCUSE], "plan", ValidationError, "'plan'"),
    ],
)
def test_check_strategies_rejects_bad_input(
    strategies: object, field: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        check_strategies(strategies, field)  # type: ignore[arg-type]
