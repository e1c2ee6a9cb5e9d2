"""SCCT response recommendations: what to say, by crisis cluster (book §5, Coombs 2007).

Book §5 (保持與內外部利益相關者的溝通) asks for communication that is sincere and
transparent (真誠透明的溝通態度) and §4 for a communication strategy
(溝通策略) per crisis. Coombs' Situational Crisis Communication Theory (SCCT)
says *which* response protects reputation best, from how much responsibility
stakeholders attribute to the organisation:

1. **Cluster** (Coombs 2007, Table 1). Each SCCT crisis type falls into the
   victim, accidental or preventable cluster (`crisisops.taxonomy.SCCTCluster`);
   a crisis type of the catalog names its SCCT type (`CrisisType.scct_type`).
2. **Intensifiers.** A crisis history (similar crises before) or an
   unfavourable prior relational reputation moves the crisis one cluster up:
   victim is treated as accidental, accidental as preventable. Both together
   still move it one step (guideline 3 and 5 say "and/or").
3. **Base response first.** Every response starts with *instructing
   information* (how stakeholders protect themselves: recalls, workarounds)
   and *adjusting information* (concern, sympathy, corrective action).
4. **Posture** (Coombs 2007, Table 2) by the eight guidelines of the paper,
   quoted by number on the result (`Guideline`): base response alone for a
   victim crisis (1); diminish — excuse, justification — for a victim crisis
   with an intensifier (3) or an accidental one without (4); rebuild —
   compensation, apology — for an accidental crisis with an intensifier (5)
   and every preventable crisis (6); deny — attack the accuser, denial,
   scapegoat — for rumor and challenge crises when the claim is unfounded
   (7; an explicit input, never inferred).
5. **Supplements.** Bolstering is secondary: reminder and ingratiation may
   supplement any response and victimage joins the victim-cluster types (2).
   Compensation is added whenever victims suffer serious harm.
6. **Consistency** (guideline 8). Deny never mixes with diminish or rebuild:
   every `MessageStrategy` and `ResponseRecommendation` refuses such a mix
   with a `ValidationError`, and `check_strategies()` checks any set. When
   serious harm calls for compensation in a rumor or challenge crisis, deny
   is not "possible" (guideline 7) and the cluster's posture is used instead.
   A `ResponseRecommendation` (e.g. read from plain data) must also say what
   these rules say for its own inputs: the same posture and guidelines, and
   strategies chosen among the prescribed ones.

References
----------
Coombs, W. Timothy. 2007. "Protecting Organization Reputations During a
Crisis: The Development and Application of Situational Crisis Communication
Theory." *Corporate Reputation Review* 10 (3): 163–76.
https://doi.org/10.1057/palgrave.crr.1550049.

Coombs, W. Timothy. 2007. "Crisis Management and Communications." Institute
for Public Relations (the companion rules on compensation and bolstering).

Coombs, W. Timothy, and Sherry J. Holladay. 2002. "Helping Crisis Managers
Protect Reputational Assets: Initial Tests of the Situational Crisis
Communication Theory." *Management Communication Quarterly* 16 (2): 165–86.
https://doi.org/10.1177/089331802237233.

Examples
--------
A peak-load outage (book §2.5 系統故障危機) is a technical-error accident, in
the accidental cluster; with no history and a neutral reputation SCCT advises
diminish (guideline 4):

>>> from crisisops.stakeholders.scct import recommend_response
>>> outage = recommend_response(
...     "technical.system_failure", history=False, prior_reputation="neutral"
... )
>>> outage.cluster.value, outage.posture.value
('accidental', 'diminish')
>>> [s.value for s in outage.strategies]
['excuse', 'justification']
>>> [g.number for g in outage.guidelines]
[4, None]

A second outage (crisis history) is treated as preventable: rebuild
(guideline 5), and serious harm to customers adds nothing new, because
compensation is already part of rebuild:

>>> again = recommend_response(
...     "technical.system_failure",
...     history=True,
...     prior_reputation="neutral",
...     serious_harm=True,
... )
>>> again.posture.value, [s.value for s in again.strategies]
('rebuild', ['compensation', 'apology'])
>>> [step.value for step in again.steps][:2]  # the base response comes first
['instructing_information', 'adjusting_information']

A false counterfeit claim is a rumor: deny, and never mixed with an apology:

>>> from crisisops.taxonomy import SCCTCrisisType
>>> rumor = recommend_response(
...     SCCTCrisisType.RUMOR,
...     history=False,
...     prior_reputation="favourable",
...     claim_unfounded=True,
... )
>>> rumor.posture.labels.zh_hant, [s.value for s in rumor.strategies]
('否認型', ['attack_the_accuser', 'denial', 'scapegoat'])
>>> from crisisops.stakeholders.scct import ResponseStrategy, check_strategies
>>> mixed = [ResponseStrategy.DENIAL, ResponseStrategy.APOLOGY]
>>> check_strategies(mixed)  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
crisisops.errors.ValidationError: 'strategies' must be a set that does not mix deny ...
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, NamedTuple

import attrs

from crisisops._validation import (
    field_name,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_tuple_of,
    is_unique,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.labels import Labels
from crisisops.taxonomy import (
    CrisisType,
    CrisisTypeCatalog,
    SCCTCluster,
    SCCTCrisisType,
    default_catalog,
)

__all__ = [
    "BaseResponse",
    "Guideline",
    "MessageStrategy",
    "PriorReputation",
    "ResponsePosture",
    "ResponseRecommendation",
    "ResponseStrategy",
    "check_strategies",
    "recommend_response",
]


_labels = Labels.of


# --- vocabularies -------------------------------------------------------------


class PriorReputation(enum.Enum):
    """How stakeholders saw the organisation before the crisis (Coombs 2007).

    An unfavourable prior relational reputation is an intensifier: it moves the
    crisis one cluster up. Favourable and neutral are treated alike (the
    guidelines say "neutral or positive").

    Examples
    --------
    The same peak-load outage: diminish for a shop in good standing, rebuild
    for one with an unfavourable reputation (treated as preventable):

    >>> [(r.value, r.intensifies) for r in PriorReputation]
    [('favourable', False), ('neutral', False), ('unfavourable', True)]
    >>> def posture(reputation):
    ...     advice = recommend_response(
    ...         "technical.system_failure", history=False, prior_reputation=reputation
    ...     )
    ...     return advice.posture.value
    >>> posture(PriorReputation.FAVOURABLE), posture(PriorReputation.UNFAVOURABLE)
    ('diminish', 'rebuild')
    >>> PriorReputation.UNFAVOURABLE.labels.zh_hant
    '不佳'
    """

    FAVOURABLE = "favourable"
    NEUTRAL = "neutral"
    UNFAVOURABLE = "unfavourable"

    @property
    def labels(self) -> Labels:
        """Name of the reputation in English, 繁體 and 简体."""
        return _REPUTATION_LABELS[self]

    @property
    def intensifies(self) -> bool:
        """Whether this reputation intensifies the crisis (only unfavourable)."""
        return self is PriorReputation.UNFAVOURABLE


_REPUTATION_LABELS = {
    PriorReputation.FAVOURABLE: _labels("Favourable", "良好", "良好"),
    PriorReputation.NEUTRAL: _labels("Neutral", "中性", "中性"),
    PriorReputation.UNFAVOURABLE: _labels("Unfavourable", "不佳", "不佳"),
}


class BaseResponse(enum.Enum):
    """The two halves of SCCT's base response, which always comes first.

    *Instructing information* tells stakeholders how to protect themselves
    physically and financially (recalls, workarounds, what to do now);
    *adjusting information* helps them cope psychologically (concern, sympathy,
    corrective action). The book's call for sincere, transparent, complete
    information (真誠透明, 提供準確、完整的信息) is the same duty.

    Examples
    --------
    A natural disaster with no history is a victim crisis: the base response
    alone (guideline 1), no primary posture:

    >>> from crisisops.taxonomy import SCCTCrisisType
    >>> storm = recommend_response(
    ...     SCCTCrisisType.NATURAL_DISASTER, history=False, prior_reputation="neutral"
    ... )
    >>> storm.posture is None, storm.base_response == tuple(BaseResponse)
    (True, True)
    >>> [element.labels.zh_hant for element in BaseResponse]
    ['指導性信息', '調整性信息']
    """

    INSTRUCTING_INFORMATION = "instructing_information"
    ADJUSTING_INFORMATION = "adjusting_information"

    @property
    def labels(self) -> Labels:
        """Name of the element in English, 繁體 and 简体."""
        return _BASE_LABELS[self]


_BASE_LABELS = {
    BaseResponse.INSTRUCTING_INFORMATION: _labels(
        "Instructing information", "指導性信息", "指导性信息"
    ),
    BaseResponse.ADJUSTING_INFORMATION: _labels(
        "Adjusting information", "調整性信息", "调整性信息"
    ),
}


class ResponsePosture(enum.Enum):
    """The postures of SCCT response strategies (Coombs 2007, Table 2).

    Deny, diminish and rebuild are *primary* postures; bolstering is
    *secondary*, a supplement to a primary response.

    Examples
    --------
    >>> [(p.value, p.primary, [s.value for s in p.strategies]) for p in ResponsePosture]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('deny', True, ['attack_the_accuser', 'denial', 'scapegoat']),
     ('diminish', True, ['excuse', 'justification']),
     ('rebuild', True, ['compensation', 'apology']),
     ('bolstering', False, ['reminder', 'ingratiation', 'victimage'])]
    >>> ResponsePosture.REBUILD.labels.zh_hant
    '重建型'
    """

    DENY = "deny"
    DIMINISH = "diminish"
    REBUILD = "rebuild"
    BOLSTERING = "bolstering"

    @property
    def primary(self) -> bool:
        """Whether the posture is primary (deny, diminish, rebuild)."""
        return self is not ResponsePosture.BOLSTERING

    @property
    def strategies(self) -> tuple[ResponseStrategy, ...]:
        """The strategies of this posture, in Table 2 order."""
        return tuple(s for s in ResponseStrategy if s.posture is self)

    @property
    def labels(self) -> Labels:
        """Name of the posture in English, 繁體 and 简体."""
        return _POSTURE_LABELS[self]


_POSTURE_LABELS = {
    ResponsePosture.DENY: _labels("Deny", "否認型", "否认型"),
    ResponsePosture.DIMINISH: _labels("Diminish", "淡化型", "淡化型"),
    ResponsePosture.REBUILD: _labels("Rebuild", "重建型", "重建型"),
    ResponsePosture.BOLSTERING: _labels("Bolstering", "強化型", "强化型"),
}


class ResponseStrategy(enum.Enum):
    """The ten crisis response strategies of Coombs (2007, Table 2).

    Labels are pinned to the 2007 paper; later editions of *Ongoing Crisis
    Communication* rename some of them.
    """

    ATTACK_THE_ACCUSER = "attack_the_accuser"
    DENIAL = "denial"
    SCAPEGOAT = "scapegoat"
    EXCUSE = "excuse"
    JUSTIFICATION = "justification"
    COMPENSATION = "compensation"
    APOLOGY = "apology"
    REMINDER = "reminder"
    INGRATIATION = "ingratiation"
    VICTIMAGE = "victimage"

    @property
    def posture(self) -> ResponsePosture:
        """The posture the strategy belongs to."""
        return _STRATEGY_POSTURE[self]

    @property
    def labels(self) -> Labels:
        """Name of the strategy in English, 繁體 and 简体."""
        return _STRATEGY_TEXT[self][0]

    @property
    def description(self) -> Labels:
        """What the strategy does, after Coombs (2007, Table 2)."""
        return _STRATEGY_TEXT[self][1]


_STRATEGY_POSTURE = {
    ResponseStrategy.ATTACK_THE_ACCUSER: ResponsePosture.DENY,
    ResponseStrategy.DENIAL: ResponsePosture.DENY,
    ResponseStrategy.SCAPEGOAT: ResponsePosture.DENY,
    ResponseStrategy.EXCUSE: ResponsePosture.DIMINISH,
    ResponseStrategy.JUSTIFICATION: ResponsePosture.DIMINISH,
    ResponseStrategy.COMPENSATION: ResponsePosture.REBUILD,
    ResponseStrategy.APOLOGY: ResponsePosture.REBUILD,
    ResponseStrategy.REMINDER: ResponsePosture.BOLSTERING,
    ResponseStrategy.INGRATIATION: ResponsePosture.BOLSTERING,
    ResponseStrategy.VICTIMAGE: ResponsePosture.BOLSTERING,
}

_STRATEGY_TEXT = {
    ResponseStrategy.ATTACK_THE_ACCUSER: (
        _labels("Attack the accuser", "攻擊指控者", "攻击指控者"),
        _labels(
            "Confront the person or group claiming something is wrong.",
            "正面回擊聲稱企業有過錯的個人或團體。",
            "正面回击声称企业有过错的个人或团体。",
        ),
    ),
    ResponseStrategy.DENIAL: (
        _labels("Denial", "否認", "否认"),
        _labels(
            "Assert that there is no crisis.",
            "聲明危機並不存在。",
            "声明危机并不存在。",
        ),
    ),
    ResponseStrategy.SCAPEGOAT: (
        _labels("Scapegoat", "歸咎他人", "归咎他人"),
        _labels(
            "Blame a person or group outside the organisation.",
            "將責任歸於企業以外的個人或團體。",
            "将责任归于企业以外的个人或团体。",
        ),
    ),
    ResponseStrategy.EXCUSE: (
        _labels("Excuse", "辯解", "辩解"),
        _labels(
            "Minimise responsibility: deny intent to harm or claim no control.",
            "減輕責任:否認有意造成傷害,或說明無法控制事件。",
            "减轻责任:否认有意造成伤害,或说明无法控制事件。",
        ),
    ),
    ResponseStrategy.JUSTIFICATION: (
        _labels("Justification", "合理化", "合理化"),
        _labels(
            "Minimise the perceived damage caused by the crisis.",
            "淡化危機造成的損害。",
            "淡化危机造成的损害。",
        ),
    ),
    ResponseStrategy.COMPENSATION: (
        _labels("Compensation", "補償", "补偿"),
        _labels(
            "Offer money or other gifts to victims.",
            "向受害者提供金錢或其他補償。",
            "向受害者提供金钱或其他补偿。",
        ),
    ),
    ResponseStrategy.APOLOGY: (
        _labels("Apology", "道歉", "道歉"),
        _labels(
            "Take full responsibility and ask stakeholders for forgiveness.",
            "承擔全部責任並請求利益相關者原諒。",
            "承担全部责任并请求利益相关者原谅。",
        ),
    ),
    ResponseStrategy.REMINDER: (
        _labels("Reminder", "提醒", "提醒"),
        _labels(
            "Tell stakeholders about the organisation's past good works.",
            "提醒利益相關者企業過去的良好作為。",
            "提醒利益相关者企业过去的良好作为。",
        ),
    ),
    ResponseStrategy.INGRATIATION: (
        _labels("Ingratiation", "迎合讚揚", "迎合赞扬"),
        _labels(
            "Praise stakeholders and remind them of past good works.",
            "讚揚利益相關者,並提及企業過去的良好作為。",
            "赞扬利益相关者,并提及企业过去的良好作为。",
        ),
    ),
    ResponseStrategy.VICTIMAGE: (
        _labels("Victimage", "同為受害者", "同为受害者"),
        _labels(
            "Remind stakeholders that the organisation is a victim too.",
            "提醒利益相關者企業同樣是危機的受害者。",
            "提醒利益相关者企业同样是危机的受害者。",
        ),
    ),
}

_DENY = ResponsePosture.DENY
_DENY_TYPES = frozenset({SCCTCrisisType.RUMOR, SCCTCrisisType.CHALLENGE})


class Guideline(enum.Enum):
    """The rules a recommendation follows, cited on every result.

    ``GUIDELINE_1`` ... ``GUIDELINE_8`` are the eight numbered crisis response
    guidelines of Coombs (2007); `number` gives the paper's number.
    ``COMPENSATE_SERIOUS_HARM`` and ``BOLSTER_ANY_RESPONSE`` are the two
    companion rules of Coombs' practitioner guidance of the same year
    (Institute for Public Relations 2007); their `number` is ``None``.

    Examples
    --------
    A repeated outage is decided by guideline 5, and bolstering may be added
    by the companion rule:

    >>> again = recommend_response(
    ...     "technical.system_failure", history=True, prior_reputation="neutral"
    ... )
    >>> [(g.name, g.number) for g in again.guidelines]
    [('GUIDELINE_5', 5), ('BOLSTER_ANY_RESPONSE', None)]
    >>> Guideline.GUIDELINE_5.source
    'Coombs 2007, Corporate Reputation Review 10 (3), guideline 5'
    >>> Guideline.GUIDELINE_8.summary.en
    'Stay consistent: never mix deny with diminish or rebuild.'
    """

    GUIDELINE_1 = "guideline_1"
    GUIDELINE_2 = "guideline_2"
    GUIDELINE_3 = "guideline_3"
    GUIDELINE_4 = "guideline_4"
    GUIDELINE_5 = "guideline_5"
    GUIDELINE_6 = "guideline_6"
    GUIDELINE_7 = "guideline_7"
    GUIDELINE_8 = "guideline_8"
    COMPENSATE_SERIOUS_HARM = "compensate_serious_harm"
    BOLSTER_ANY_RESPONSE = "bolster_any_response"

    @property
    def number(self) -> int | None:
        """The guideline's number in Coombs (2007), or ``None`` for a companion."""
        if self.value.startswith("guideline_"):
            return int(self.value.removeprefix("guideline_"))
        return None

    @property
    def source(self) -> str:
        """Where the rule comes from."""
        if self.number is None:
            return "Coombs 2007, Crisis Management and Communications (IPR)"
        return (
            f"Coombs 2007, Corporate Reputation Review 10 (3), guideline {self.number}"
        )

    @property
    def summary(self) -> Labels:
        """The rule in a sentence (paraphrased), in English, 繁體 and 简体."""
        return _GUIDELINE_SUMMARIES[self]


_GUIDELINE_SUMMARIES = {
    Guideline.GUIDELINE_1: _labels(
        "Victim crisis, no history, neutral or favourable reputation: the base "
        "response (instructing and adjusting information) can be enough.",
        "受害型危機、無危機歷史、先前聲譽中性或良好:基本回應(指導性與調整性信息)即可足夠。",
        "受害型危机、无危机历史、先前声誉中性或良好:基本回应(指导性与调整性信息)即可足够。",
    ),
    Guideline.GUIDELINE_2: _labels(
        "Victimage can be part of the response for workplace violence, product "
        "tampering, natural disasters and rumors.",
        "工作場所暴力、產品被惡意篡改、自然災害和謠言可加入同為受害者策略。",
        "工作场所暴力、产品被恶意篡改、自然灾害和谣言可加入同为受害者策略。",
    ),
    Guideline.GUIDELINE_3: _labels(
        "Victim crisis with a crisis history and/or an unfavourable prior "
        "reputation: diminish.",
        "受害型危機且有危機歷史及/或先前聲譽不佳:採用淡化型策略。",
        "受害型危机且有危机历史及/或先前声誉不佳:采用淡化型策略。",
    ),
    Guideline.GUIDELINE_4: _labels(
        "Accidental crisis, no history, neutral or favourable reputation: diminish.",
        "意外型危機、無危機歷史、先前聲譽中性或良好:採用淡化型策略。",
        "意外型危机、无危机历史、先前声誉中性或良好:采用淡化型策略。",
    ),
    Guideline.GUIDELINE_5: _labels(
        "Accidental crisis with a crisis history and/or an unfavourable prior "
        "reputation: rebuild.",
        "意外型危機且有危機歷史及/或先前聲譽不佳:採用重建型策略。",
        "意外型危机且有危机历史及/或先前声誉不佳:采用重建型策略。",
    ),
    Guideline.GUIDELINE_6: _labels(
        "Preventable crisis: rebuild, whatever the history or reputation.",
        "可預防型危機:不論危機歷史或先前聲譽,採用重建型策略。",
        "可预防型危机:不论危机历史或先前声誉,采用重建型策略。",
    ),
    Guideline.GUIDELINE_7: _labels(
        "Rumor and challenge crises: deny, when possible (the claim is unfounded).",
        "謠言與挑戰型危機:在可能時(指控不實)採用否認型策略。",
        "谣言与挑战型危机:在可能时(指控不实)采用否认型策略。",
    ),
    Guideline.GUIDELINE_8: _labels(
        "Stay consistent: never mix deny with diminish or rebuild.",
        "保持一致:否認型策略不可與淡化型或重建型策略混用。",
        "保持一致:否认型策略不可与淡化型或重建型策略混用。",
    ),
    Guideline.COMPENSATE_SERIOUS_HARM: _labels(
        "Compensate whenever victims suffer serious harm.",
        "受害者遭受嚴重傷害時,一律給予補償。",
        "受害者遭受严重伤害时,一律给予补偿。",
    ),
    Guideline.BOLSTER_ANY_RESPONSE: _labels(
        "Reminder and ingratiation can supplement any response.",
        "提醒與迎合讚揚可作為任何回應的補充。",
        "提醒与迎合赞扬可作为任何回应的补充。",
    ),
}


# --- the consistency invariant (guideline 8) ----------------------------------


def _check_strategies(
    strategies: tuple[ResponseStrategy, ...], field: str
) -> tuple[ResponseStrategy, ...]:
    for index, strategy in enumerate(strategies):
        if not isinstance(strategy, ResponseStrategy):
            names = ", ".join(s.name for s in ResponseStrategy)
            raise InvalidTypeError(
                f"{field}[{index}]", strategy, f"a ResponseStrategy ({names})"
            )
    if len(set(strategies)) != len(strategies):
        raise ValidationError(field, strategies, "strategies without repeats")
    postures = {strategy.posture for strategy in strategies}
    if _DENY in postures and postures & {
        ResponsePosture.DIMINISH,
        ResponsePosture.REBUILD,
    }:
        raise ValidationError(
            field,
            tuple(s.value for s in strategies),
            "a set that does not mix deny with diminish or rebuild "
            "(Coombs 2007, guideline 8)",
        )
    return strategies


def check_strategies(
    strategies: Iterable[ResponseStrategy], field: str = "strategies"
) -> tuple[ResponseStrategy, ...]:
    """Return ``strategies`` as a tuple if they form a consistent set.

    A set is consistent when it holds only `ResponseStrategy` members, none
    twice, and never mixes a deny strategy (attack the accuser, denial,
    scapegoat) with a diminish (excuse, justification) or rebuild
    (compensation, apology) one — guideline 8 of Coombs (2007): mixing them
    erodes the whole response. Bolstering strategies mix with anything.

    Parameters
    ----------
    strategies
        The strategies of one response, e.g. every strategy of a plan.
    field
        Name used in the error message.

    Raises
    ------
    InvalidTypeError
        If ``strategies`` is not an iterable of `ResponseStrategy`.
    ValidationError
        For a repeat or a deny / diminish-or-rebuild mix.
    """
    if not isinstance(field, str):
        raise InvalidTypeError("field", field, "a str")
    items = to_tuple(strategies)
    if not isinstance(items, tuple):
        raise InvalidTypeError(field, strategies, "an iterable of ResponseStrategy")
    return _check_strategies(items, field)


def _validate_strategies(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Attrs validator: a consistent tuple of strategies."""
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of ResponseStrategy")
    _check_strategies(value, name)


# --- message strategy -----------------------------------------------------------


_BASE_RESPONSE = (
    BaseResponse.INSTRUCTING_INFORMATION,
    BaseResponse.ADJUSTING_INFORMATION,
)
_BOLSTER_ALWAYS = (ResponseStrategy.REMINDER, ResponseStrategy.INGRATIATION)


@attrs.frozen(kw_only=True)
class MessageStrategy:
    """What the messages of a crisis say: base response, posture, strategies.

    This is the "message strategy" (溝通策略) of a communication plan. Its
    `steps` list the base response first, then the primary strategies, then
    the bolstering supplements.

    Attributes
    ----------
    base_response
        The base-response elements, in order (default: instructing, then
        adjusting information). At least one, none twice.
    posture
        The primary posture (deny, diminish or rebuild), or ``None`` when the
        base response alone is the response (guideline 1). Never bolstering.
    strategies
        The primary strategies. Each belongs to ``posture``, except
        compensation, which joins any posture but deny when victims suffer
        serious harm; with ``posture=None`` only compensation is allowed. With
        a posture, at least one of its own strategies is present.
    supplementary
        Bolstering strategies (reminder, ingratiation, victimage) that may be
        added; only bolstering ones.

    Raises
    ------
    ValidationError
        If the strategies mix deny with diminish or rebuild (guideline 8), or
        break the rules above.

    Examples
    --------
    >>> message = MessageStrategy(
    ...     posture=ResponsePosture.DIMINISH,
    ...     strategies=[ResponseStrategy.EXCUSE],
    ...     supplementary=[ResponseStrategy.REMINDER],
    ... )
    >>> [step.value for step in message.steps]  # base response first
    ['instructing_information', 'adjusting_information', 'excuse', 'reminder']

    Deny never mixes with rebuild (guideline 8):

    >>> try:
    ...     MessageStrategy(
    ...         posture=ResponsePosture.DENY,
    ...         strategies=[ResponseStrategy.DENIAL, ResponseStrategy.APOLOGY],
    ...     )
    ... except ValidationError as error:
    ...     error.expected
    'a set that does not mix deny with diminish or rebuild (Coombs 2007, guideline 8)'
    """

    base_response: tuple[BaseResponse, ...] = attrs.field(
        default=_BASE_RESPONSE,
        converter=to_tuple,
        validator=[
            is_tuple_of(is_enum(BaseResponse), min_length=1),
            is_unique("base-response element"),
        ],
    )
    posture: ResponsePosture | None = attrs.field(
        default=None, validator=is_optional(is_enum(ResponsePosture))
    )
    strategies: tuple[ResponseStrategy, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_validate_strategies
    )
    supplementary: tuple[ResponseStrategy, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_validate_strategies
    )

    def __attrs_post_init__(self) -> None:
        """Check the posture, the strategies and the whole set's consistency."""
        _check_strategies((*self.strategies, *self.supplementary), "strategies")
        posture = self.posture
        if posture is ResponsePosture.BOLSTERING:
            raise ValidationError(
                "posture", posture, "a primary posture (deny, diminish, rebuild)"
            )
        for index, strategy in enumerate(self.supplementary):
            if strategy.posture is not ResponsePosture.BOLSTERING:
                raise ValidationError(
                    f"supplementary[{index}]",
                    strategy,
                    "a bolstering strategy (reminder, ingratiation, victimage)",
                )
        allowed = set(posture.strategies) if posture is not None else set()
        if posture is not _DENY:
            allowed.add(ResponseStrategy.COMPENSATION)
        for index, strategy in enumerate(self.strategies):
            if strategy not in allowed:
                shown = "none" if posture is None else posture.value
                raise ValidationError(
                    f"strategies[{index}]",
                    strategy,
                    f"a strategy of the posture ({shown}), or compensation "
                    "(not with deny)",
                )
        if posture is not None and not set(posture.strategies) & set(self.strategies):
            raise ValidationError(
                "strategies",
                self.strategies,
                f"at least one strategy of the {posture.value} posture",
            )

    @property
    def steps(self) -> tuple[BaseResponse | ResponseStrategy, ...]:
        """Base response first, then primary strategies, then supplements."""
        return (*self.base_response, *self.strategies, *self.supplementary)


# --- recommendation -------------------------------------------------------------


def _check_bool(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if not isinstance(value, bool):
        raise InvalidTypeError(field_name(attribute), value, "a bool")


@attrs.frozen(kw_only=True)
class ResponseRecommendation:
    """SCCT's recommended response to one crisis, with the guidelines it follows.

    Build it with `recommend_response()`; the fields record the inputs, the
    recommended `MessageStrategy` and the guidelines that decided it.

    Attributes
    ----------
    crisis_type
        Key of the catalog crisis type, or ``None`` when an SCCT crisis type
        was given directly.
    scct_type
        The SCCT crisis type (Coombs 2007, Table 1).
    history
        Whether the organisation had similar crises before (an intensifier).
    prior_reputation
        The prior relational reputation (unfavourable is an intensifier).
    claim_unfounded
        Whether the accusation behind a rumor or challenge crisis is false or
        illegitimate (guideline 7); only allowed for those two types.
    serious_harm
        Whether victims suffered serious harm (compensation is then required).
    message
        The recommended base response, posture and strategies.
    guidelines
        The rules that decided the recommendation, in the order applied.

    Raises
    ------
    ValidationError
        If the message mixes deny with diminish or rebuild, uses deny outside
        an unfounded rumor or challenge, lacks compensation despite serious
        harm, or otherwise departs from Coombs (2007) for these inputs: another
        posture, a strategy or supplement not prescribed (a subset of the
        prescribed ones is allowed), an incomplete base response, or other
        guidelines than the ones that decide the case.

    Examples
    --------
    An outage is an accident; an unfavourable reputation moves it to the
    preventable cluster, where SCCT prescribes rebuild:

    >>> advice: ResponseRecommendation = recommend_response(
    ...     "technical.system_failure", history=False, prior_reputation="unfavourable"
    ... )
    >>> advice.type_cluster.value, advice.intensified, advice.cluster.value
    ('accidental', True, 'preventable')
    >>> advice.posture.value, [s.value for s in advice.strategies]
    ('rebuild', ['compensation', 'apology'])

    A recommendation edited to say something else is refused:

    >>> import attrs
    >>> softer = MessageStrategy(
    ...     posture=ResponsePosture.DIMINISH, strategies=[ResponseStrategy.EXCUSE]
    ... )
    >>> try:
    ...     attrs.evolve(advice, message=softer)
    ... except ValidationError as error:
    ...     error.field
    'message.posture'
    """

    crisis_type: str | None = attrs.field(validator=is_optional(is_key()))
    scct_type: SCCTCrisisType = attrs.field(validator=is_enum(SCCTCrisisType))
    history: bool = attrs.field(validator=_check_bool)
    prior_reputation: PriorReputation = attrs.field(validator=is_enum(PriorReputation))
    claim_unfounded: bool = attrs.field(validator=_check_bool)
    serious_harm: bool = attrs.field(validator=_check_bool)
    message: MessageStrategy = attrs.field(
        validator=is_instance(MessageStrategy, "a MessageStrategy")
    )
    guidelines: tuple[Guideline, ...] = attrs.field(
        converter=to_tuple,
        validator=[
            is_tuple_of(is_enum(Guideline), min_length=1),
            is_unique("guideline"),
        ],
    )

    def __attrs_post_init__(self) -> None:
        """Check guideline 7 (deny only when unfounded) and the harm rule."""
        if self.claim_unfounded and self.scct_type not in _DENY_TYPES:
            raise ValidationError(
                "claim_unfounded",
                self.claim_unfounded,
                "False unless the crisis is a rumor or a challenge "
                f"(got SCCT type {self.scct_type.value!r}; guideline 7)",
            )
        if self.message.posture is _DENY and not self.claim_unfounded:
            raise ValidationError(
                "message",
                self.message.posture,
                "no deny posture unless the claim of a rumor or challenge is "
                "unfounded (guideline 7)",
            )
        if (
            self.serious_harm
            and ResponseStrategy.COMPENSATION not in self.message.strategies
        ):
            raise ValidationError(
                "message",
                self.message.strategies,
                "strategies with compensation when victims suffer serious harm",
            )
        self._check_against_the_guidelines()

    def _check_against_the_guidelines(self) -> None:
        """Check that the message and guidelines are what Coombs prescribes.

        A recommendation read from plain data (or built by hand) must say
        what `recommend_response` says for the same inputs: the same posture
        and guidelines, primary strategies and supplements drawn from the
        prescribed ones (a subset is a choice among them), and the full base
        response.
        """
        decided = _decide(
            self.scct_type,
            intensified=self.intensified,
            claim_unfounded=self.claim_unfounded,
            serious_harm=self.serious_harm,
        )
        message = self.message
        rule = next(g for g in decided.guidelines if g.number not in (None, 2, 8))
        if message.posture is not decided.posture:
            shown = "no posture (base response alone)"
            if decided.posture is not None:
                shown = f"the {decided.posture.value} posture"
            raise ValidationError(
                "message.posture",
                None if message.posture is None else message.posture.value,
                f"{shown} for this crisis (Coombs 2007, guideline {rule.number})",
            )
        for field, chosen, allowed in (
            ("strategies", message.strategies, decided.strategies),
            ("supplementary", message.supplementary, decided.supplementary),
        ):
            extra = [s.value for s in chosen if s not in allowed]
            if extra:
                raise ValidationError(
                    f"message.{field}",
                    tuple(s.value for s in chosen),
                    f"strategies among {[s.value for s in allowed]} for this "
                    f"crisis (not {extra}; victimage only for victim-cluster "
                    "types, guideline 2)",
                )
        if set(message.base_response) != set(_BASE_RESPONSE):
            raise ValidationError(
                "message.base_response",
                tuple(b.value for b in message.base_response),
                "both instructing and adjusting information (the base response)",
            )
        if self.guidelines != decided.guidelines:
            raise ValidationError(
                "guidelines",
                tuple(g.value for g in self.guidelines),
                f"the rules that decide this crisis, in order: "
                f"{[g.value for g in decided.guidelines]}",
            )

    @property
    def type_cluster(self) -> SCCTCluster:
        """The cluster of the SCCT crisis type (Coombs 2007, Table 1)."""
        return self.scct_type.cluster

    @property
    def intensified(self) -> bool:
        """Whether an intensifier (history, unfavourable reputation) applies."""
        return self.history or self.prior_reputation.intensifies

    @property
    def cluster(self) -> SCCTCluster:
        """The cluster the response is chosen for, after the intensifiers."""
        cluster = self.type_cluster
        return cluster.intensified() if self.intensified else cluster

    @property
    def posture(self) -> ResponsePosture | None:
        """The primary posture (``None``: the base response alone)."""
        return self.message.posture

    @property
    def base_response(self) -> tuple[BaseResponse, ...]:
        """The base-response elements, which always come first."""
        return self.message.base_response

    @property
    def strategies(self) -> tuple[ResponseStrategy, ...]:
        """The primary strategies to use."""
        return self.message.strategies

    @property
    def supplementary(self) -> tuple[ResponseStrategy, ...]:
        """The bolstering strategies that may supplement the response."""
        return self.message.supplementary

    @property
    def steps(self) -> tuple[BaseResponse | ResponseStrategy, ...]:
        """Base response first, then primary strategies, then supplements."""
        return self.message.steps


def _check_flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field, value, "a bool")
    return value


def _resolve_reputation(value: object) -> PriorReputation:
    if isinstance(value, PriorReputation):
        return value
    if not isinstance(value, str):
        raise InvalidTypeError(
            "prior_reputation",
            value,
            "a PriorReputation or one of 'favourable', 'neutral', 'unfavourable'",
        )
    try:
        return PriorReputation(value)
    except ValueError:
        raise UnknownKeyError(
            "prior reputation", value, [r.value for r in PriorReputation]
        ) from None


def _resolve_type(
    crisis_type: object, catalog: object
) -> tuple[str | None, SCCTCrisisType]:
    if isinstance(crisis_type, SCCTCrisisType):
        return None, crisis_type
    if isinstance(crisis_type, str):
        if catalog is None:
            catalog = default_catalog()
        if not isinstance(catalog, CrisisTypeCatalog):
            raise InvalidTypeError("catalog", catalog, "a CrisisTypeCatalog")
        entry = catalog[crisis_type]
    elif isinstance(crisis_type, CrisisType):
        entry = crisis_type
    else:
        raise InvalidTypeError(
            "crisis_type",
            crisis_type,
            "a crisis-type key, a CrisisType or an SCCTCrisisType",
        )
    if entry.scct_type is None:
        raise ValidationError(
            "crisis_type",
            entry.key,
            "a crisis type with an SCCT type (SCCT does not apply to crises "
            "that are not about reputation)",
        )
    return entry.key, entry.scct_type


def recommend_response(  # noqa: PLR0913  the inputs of SCCT, all keyword-only
    crisis_type: str | CrisisType | SCCTCrisisType,
    *,
    history: bool,
    prior_reputation: PriorReputation | str,
    claim_unfounded: bool = False,
    serious_harm: bool = False,
    catalog: CrisisTypeCatalog | None = None,
) -> ResponseRecommendation:
    """Recommend an SCCT crisis response, following Coombs (2007) exactly.

    The steps (each recorded as a `Guideline` on the result):

    1. Find the SCCT type's cluster (Table 1). A crisis history or an
       unfavourable prior reputation moves it one cluster up (once, even with
       both): victim → accidental → preventable.
    2. If the type is a rumor or challenge and ``claim_unfounded`` is true,
       deny (guideline 7; also 8: nothing of diminish or rebuild is added) —
       unless ``serious_harm`` requires compensation, which would mix deny
       with rebuild (guideline 8), so deny is not possible and step 3 decides.
    3. Otherwise by the (intensified) cluster: victim → base response alone
       (guideline 1); victim type with an intensifier → diminish (3);
       accidental → diminish (4); accidental type with an intensifier →
       rebuild (5); preventable type → rebuild (6).
    4. ``serious_harm`` adds compensation (companion rule).
    5. Supplements: reminder and ingratiation always (companion rule);
       victimage for the victim-cluster types (guideline 2).

    The base response (instructing, then adjusting information) always comes
    first.

    Parameters
    ----------
    crisis_type
        A crisis-type key of ``catalog`` (e.g. ``"technical.system_failure"``),
        a `CrisisType`, or an `SCCTCrisisType`. The type must have an SCCT type.
    history
        Whether the organisation had similar crises before.
    prior_reputation
        ``"favourable"``, ``"neutral"`` or ``"unfavourable"`` (or the enum).
    claim_unfounded
        Whether the rumor or challenge is false or illegitimate, so that deny
        is possible; must stay ``False`` for other crisis types.
    serious_harm
        Whether victims suffered serious harm.
    catalog
        Where to look up a key; `crisisops.taxonomy.default_catalog()` if
        ``None``.

    Returns
    -------
    ResponseRecommendation

    Raises
    ------
    InvalidTypeError
        For arguments of the wrong type (flags must be real ``bool``).
    UnknownKeyError
        For an unknown crisis-type key or prior reputation.
    ValidationError
        For a crisis type without an SCCT type, or ``claim_unfounded`` on a
        crisis that is not a rumor or challenge.
    """
    history = _check_flag(history, "history")
    claim_unfounded = _check_flag(claim_unfounded, "claim_unfounded")
    serious_harm = _check_flag(serious_harm, "serious_harm")
    reputation = _resolve_reputation(prior_reputation)
    if catalog is not None and not isinstance(catalog, CrisisTypeCatalog):
        raise InvalidTypeError("catalog", catalog, "a CrisisTypeCatalog")
    key, scct_type = _resolve_type(crisis_type, catalog)
    if claim_unfounded and scct_type not in _DENY_TYPES:
        raise ValidationError(
            "claim_unfounded",
            claim_unfounded,
            "False unless the crisis is a rumor or a challenge "
            f"(got SCCT type {scct_type.value!r}; guideline 7)",
        )

    decided = _decide(
        scct_type,
        intensified=history or reputation.intensifies,
        claim_unfounded=claim_unfounded,
        serious_harm=serious_harm,
    )
    return ResponseRecommendation(
        crisis_type=key,
        scct_type=scct_type,
        history=history,
        prior_reputation=reputation,
        claim_unfounded=claim_unfounded,
        serious_harm=serious_harm,
        message=MessageStrategy(
            posture=decided.posture,
            strategies=decided.strategies,
            supplementary=decided.supplementary,
        ),
        guidelines=decided.guidelines,
    )


class _Decision(NamedTuple):
    """What Coombs (2007) prescribes for one crisis: see `recommend_response`."""

    posture: ResponsePosture | None
    strategies: tuple[ResponseStrategy, ...]
    supplementary: tuple[ResponseStrategy, ...]
    guidelines: tuple[Guideline, ...]


def _decide(
    scct_type: SCCTCrisisType,
    *,
    intensified: bool,
    claim_unfounded: bool,
    serious_harm: bool,
) -> _Decision:
    """Apply the 2007 guidelines and the two companion rules, in order."""
    type_cluster = scct_type.cluster
    guidelines: list[Guideline] = []
    posture: ResponsePosture | None
    if claim_unfounded and not serious_harm:
        posture = _DENY
        guidelines += [Guideline.GUIDELINE_7, Guideline.GUIDELINE_8]
    else:
        if claim_unfounded:  # deny set aside: compensation would mix with it
            guidelines.append(Guideline.GUIDELINE_8)
        posture, rule = _CLUSTER_RULES[type_cluster, intensified]
        guidelines.append(rule)
    strategies = list(posture.strategies) if posture is not None else []
    if serious_harm:
        guidelines.append(Guideline.COMPENSATE_SERIOUS_HARM)
        if ResponseStrategy.COMPENSATION not in strategies:
            strategies.append(ResponseStrategy.COMPENSATION)
    supplementary = list(_BOLSTER_ALWAYS)
    if type_cluster is SCCTCluster.VICTIM:
        supplementary.append(ResponseStrategy.VICTIMAGE)
        guidelines.append(Guideline.GUIDELINE_2)
    guidelines.append(Guideline.BOLSTER_ANY_RESPONSE)
    return _Decision(
        posture, tuple(strategies), tuple(supplementary), tuple(guidelines)
    )


# (Table 1 cluster, intensified) -> (posture, guideline); guidelines 1 and 3-6.
_CLUSTER_RULES: dict[
    tuple[SCCTCluster, bool], tuple[ResponsePosture | None, Guideline]
] = {
    (SCCTCluster.VICTIM, False): (None, Guideline.GUIDELINE_1),
    (SCCTCluster.VICTIM, True): (ResponsePosture.DIMINISH, Guideline.GUIDELINE_3),
    (SCCTCluster.ACCIDENTAL, False): (ResponsePosture.DIMINISH, Guideline.GUIDELINE_4),
    (SCCTCluster.ACCIDENTAL, True): (ResponsePosture.REBUILD, Guideline.GUIDELINE_5),
    (SCCTCluster.PREVENTABLE, False): (ResponsePosture.REBUILD, Guideline.GUIDELINE_6),
    (SCCTCluster.PREVENTABLE, True): (ResponsePosture.REBUILD, Guideline.GUIDELINE_6),
}
