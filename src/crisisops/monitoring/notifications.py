r"""Notification policy as pure data: grouping, inhibition, silences, repeats.

Book §3 (建立危機預警機制) asks that a warning reach the right people quickly
and without drowning them: a surge of alerts about one SKU is one message,
a Level I crisis makes its own Level III warning redundant, a planned
promotion must not page anyone. This module does Alertmanager's job for the
alerts (`Alert`) of a monitor, as pure
functions over values: no I/O, no clock. Its output is a tuple of
`Notification` values; sending them (mail, chat, phone) is the host
application's business.

**Everything is counted in ticks**, the monitor's periods (one tick per
timestamp), never in wall-clock durations. That removes the most common
Alertmanager confusion (repeat vs group interval; alertmanager#642, #2647)
and makes results reproducible.

Labels
    Every alert has a label set (`alert_labels()`): ``rule``, ``entity``,
    ``crisis_type``, ``level`` (``"I"`` … ``"IV"``, ``""`` for a no-data
    alert), ``severity`` (``"SEV1"`` … ``"SEV4"``, ``""``), ``kind``
    (``"breach"`` / ``"no_data"``), plus the rule's own
    `labels`.
Muting (silences and inhibition), before grouping
    An alert is *muted* at a tick while a `Silence` that is active then
    matches it, or while an `InhibitRule` applies: another alert that
    fires at that tick matches the rule's ``source`` and has the same values
    for the ``equal`` labels, and the muted alert matches ``target``.
    `InhibitRule.by_level()` builds the rules that mute less severe
    alerts while a more severe one fires for the same entity. Muted alerts
    are invisible to grouping: they open no group, never appear in a
    notification, and do not count as firing. A resolution is reported only
    if the alert is muted neither at the tick it resolves nor at the flush
    that reports it (a silence that starts in between drops it, as
    Alertmanager mutes resolved alerts at each flush too); so an alert muted
    throughout its life is never mentioned, and (as in Alertmanager) one that
    was notified and then muted does not get a "resolved" message either.
Grouping and timing
    Alerts are grouped by the values of `NotificationPolicy.group_by`
    (a missing label counts as ``""``). A group opens at the tick its first
    visible alert arrives; it is *flushed* (considered for notification)
    ``group_wait`` ticks later, then every ``group_interval`` ticks while it
    has visible firing alerts. A flush with nothing firing closes the group;
    the next visible alert opens a new one (with a new ``group_wait``).
Deduplication (Alertmanager's ``needsUpdate``)
    At a flush, with ``F`` the visible firing alerts of the group and ``R``
    the visible alerts that resolved since its last flush, a notification is
    made when

    1. nothing firing was notified for the group before (or the last
       notification had nothing firing) and ``F`` is not empty
       (reason ``NEW``);
    2. ``F`` is not a subset of the last notification's firing alerts
       (``CHANGED``); an alert counts as new when its level changed, since
       ``level`` is part of its label set, as an alert's fingerprint in
       Alertmanager is its label set;
    3. ``F`` is empty and the last notification had firing alerts
       (``RESOLVED``);
    4. ``send_resolved`` is set and ``R`` is not a subset of the last
       notification's resolved alerts (``RESOLVED``);
    5. at least ``repeat_interval`` ticks passed since the last notification
       (``REPEAT``).

    Otherwise nothing is sent. Consequences, as in Alertmanager: an alert that
    resolves before ``group_wait`` elapsed is never notified; an alert that
    fires and resolves between two flushes of a group that already notified
    something else is never mentioned; repeats happen only at flushes, so the
    effective repeat interval is ``repeat_interval`` rounded up to a multiple
    of ``group_interval`` (`NotificationPolicy.effective_repeat_interval`).
    With ``send_resolved=False`` resolved alerts are left out of every
    notification, and case 3 clears the group's record without producing a
    notification.

Two drivers, one semantics
    `notify_step()` takes one tick (the alerts firing now and those that
    resolved in it) and a `NotificationState`; `plan_notifications()`
    folds the very same step over a whole
    `Evaluation` (or an event stream, or
    alert values). Both give identical notifications. The state is plain
    data: save it with `crisisops.serialization.to_data()` and continue
    later with identical results.

Differences from Alertmanager, on purpose: a single route (no routing tree
or receivers; run one policy per receiver); muting is applied before
grouping, checked at every tick for firing alerts and, for a resolved one,
at its resolution tick and again at the flush that reports it (Alertmanager
mutes only at each flush, after grouping, so there a muted alert can open a
group and start its ``group_wait``); time is
ticks, and a repeat fires when exactly ``repeat_interval`` ticks have passed
(Alertmanager compares wall-clock times, where processing latency pushes an
exact multiple one ``group_interval`` later); the notification log never
expires (Alertmanager drops entries after its retention, 120 h by default).

Examples
--------
A sales slump (Level III) and a GMV crash (Level I) on the same SKU, grouped
by entity; the crash inhibits the slump while it fires.

>>> import datetime as dt
>>> from crisisops.monitoring.monitor import Alert, AlertKind, Evidence
>>> from crisisops.monitoring.notifications import (
...     InhibitRule,
...     NotificationPolicy,
...     plan_notifications,
... )
>>> from crisisops.taxonomy import ResponseLevel
>>> days = [dt.datetime(2026, 11, d, tzinfo=dt.timezone.utc) for d in range(1, 8)]
>>> def alert(rule, level, fired, resolved):
...     return Alert(
...         kind=AlertKind.BREACH,
...         rule=rule,
...         entity="sku-1",
...         episode=1,
...         crisis_type="market.demand_shift",
...         level=level,
...         fired_level=level,
...         peak_level=level,
...         first_breach_at=days[fired],
...         fired_at=days[fired],
...         resolved_at=days[resolved],
...         evidence=Evidence(
...             observed=60, signal=-0.4, baseline=100, bound=-0.2, run_length=3
...         ),
...     )
>>> alerts = [
...     alert("sales_slump", ResponseLevel.III, fired=1, resolved=5),
...     alert("gmv_crash", ResponseLevel.I, fired=2, resolved=4),
... ]
>>> policy = NotificationPolicy(
...     group_by=("entity",), inhibit_rules=InhibitRule.by_level()
... )
>>> notes = plan_notifications(policy, alerts, days)
>>> [(note.tick, note.reason.value) for note in notes]
[(1, 'new'), (2, 'changed'), (4, 'changed'), (5, 'resolved')]
>>> notes[1].firing  # the Level I crash inhibits the Level III slump
('gmv_crash/sku-1/1',)
>>> notes[2].firing, notes[2].resolved
(('sales_slump/sku-1/1',), ('gmv_crash/sku-1/1',))

A `Notification` carries everything a message needs, e.g. a subject line:

>>> def subject(note: Notification) -> str:
...     severities = ", ".join(note.labels[alert]["severity"] for alert in note.firing)
...     entity = note.group_labels["entity"]
...     return f"{note.at:%d %b} {entity} {note.reason.value}: {severities or 'clear'}"
>>> [subject(note) for note in notes]  # doctest: +NORMALIZE_WHITESPACE
['02 Nov sku-1 new: SEV3', '03 Nov sku-1 changed: SEV1',
 '05 Nov sku-1 changed: SEV3', '06 Nov sku-1 resolved: clear']

Those labels come from `alert_labels()`: the built-in ones first, in a fixed
order (`BUILTIN_LABELS`), then the rule's own. ``rules`` may be any of the
`RuleLabels` forms; ``None`` adds nothing:

>>> from crisisops.monitoring.notifications import BUILTIN_LABELS, alert_labels
>>> from crisisops.monitoring.notifications import RuleLabels
>>> crash = alerts[1]
>>> labels = alert_labels(crash, {"gmv_crash": {"team": "sales"}})
>>> labels["rule"], labels["level"], labels["severity"], labels["team"]
('gmv_crash', 'I', 'SEV1', 'sales')
>>> BUILTIN_LABELS
('rule', 'entity', 'crisis_type', 'level', 'severity', 'kind')
>>> tuple(labels) == (*BUILTIN_LABELS, "team")
True
>>> forms: list[RuleLabels] = [None, {"gmv_crash": {"team": "sales"}}]
>>> [alert_labels(crash, rules).get("team") for rules in forms]
[None, 'sales']

References
----------
Prometheus Authors. "Alertmanager." Prometheus documentation (grouping,
inhibition, silences). https://prometheus.io/docs/alerting/latest/alertmanager/
Prometheus Authors. "Alertmanager configuration: route (``group_by``,
``group_wait``, ``group_interval``, ``repeat_interval``), ``inhibit_rule``,
``matcher``." https://prometheus.io/docs/alerting/latest/configuration/
Prometheus Authors. Alertmanager source: ``notify/notify.go``
(``DedupStage.needsUpdate``), ``dispatch/dispatch.go`` (aggregation groups),
``inhibit/inhibit.go``, ``silence/silence.go``.
https://github.com/prometheus/alertmanager
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs

from crisisops._validation import (
    check_aware,
    check_str,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    is_optional,
    is_text,
    is_tuple_of,
    to_frozendict,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.monitoring.monitor import (
    Alert,
    AlertEvent,
    AlertKind,
    Evaluation,
    EventKind,
)
from crisisops.monitoring.rules import TriggerRule
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "BUILTIN_LABELS",
    "GroupState",
    "InhibitRule",
    "MatchOp",
    "Matcher",
    "Notification",
    "NotificationPolicy",
    "NotificationReason",
    "NotificationState",
    "RuleLabels",
    "Silence",
    "alert_labels",
    "notify_step",
    "plan_notifications",
]

#: The labels every alert carries, in this order; a rule's own labels come
#: after them and may not reuse these names.
BUILTIN_LABELS = ("rule", "entity", "crisis_type", "level", "severity", "kind")

#: Where rule labels come from: the rules themselves, a mapping of rule name to
#: labels, or ``None`` for no rule labels.
RuleLabels = Iterable[TriggerRule] | Mapping[str, Mapping[str, str]] | None

Labels = FrozenDict[str, str]
GroupKey = tuple[str, ...]


# --- validators -------------------------------------------------------------


def _ticks(minimum: int) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidTypeError(name, value, "an int number of ticks")
        if value < minimum:
            raise ValidationError(name, value, f"at least {minimum} tick(s)")

    return validate


def _check_tick(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, "an int tick index")
    if value < 0:
        raise ValidationError(field, value, "a tick index of at least 0")
    return value


def _is_label_names(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_text())(_instance, attribute, value)
    if len(set(value)) != len(value):
        raise ValidationError(name, value, "label names without repeats")


def _is_labels(value: object, field: str) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidTypeError(field, value, "a mapping of str to str")


def _to_nested_frozendict(value: Any) -> Any:  # noqa: ANN401  passes bad input on
    if isinstance(value, Mapping):
        return FrozenDict(
            (k, FrozenDict(v) if isinstance(v, Mapping) else v)
            for k, v in value.items()
        )
    return value


def _is_labels_by_id(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of alert id to labels")
    for key, labels in value.items():
        if not isinstance(key, str):
            raise InvalidTypeError(name, key, "a mapping keyed by alert id (str)")
        _is_labels(labels, f"{name}[{key!r}]")


# --- matchers ---------------------------------------------------------------


class MatchOp(enum.Enum):
    """How a `Matcher` compares a label value (Alertmanager's operators).

    Examples
    --------
    >>> from crisisops.monitoring import Matcher, MatchOp
    >>> [op.value for op in MatchOp]
    ['=', '!=', '=~', '!~']
    >>> not_low = Matcher("level", "!=", "IV")  # the text is read as its MatchOp
    >>> not_low.op is MatchOp.NOT_EQUAL, not_low.matches({"level": "II"})
    (True, True)
    """

    EQUAL = "="
    NOT_EQUAL = "!="
    REGEX = "=~"
    NOT_REGEX = "!~"


def _to_op(value: object) -> object:
    if isinstance(value, str):
        for op in MatchOp:
            if op.value == value:
                return op
    return value


def _is_op(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if isinstance(value, MatchOp):
        return
    expected = "one of '=', '!=', '=~', '!~' (or a MatchOp)"
    if isinstance(value, str):
        raise ValidationError(field_name(attribute), value, expected)
    raise InvalidTypeError(field_name(attribute), value, expected)


@attrs.frozen
class Matcher:
    """One label condition of a silence or inhibit rule: ``label op value``.

    ``=`` and ``!=`` compare text; ``=~`` and ``!~`` match a regular
    expression against the **whole** value (anchored, as in Alertmanager:
    ``level=~"I|II"`` matches ``"I"`` and ``"II"`` but not ``"III"``). A label
    the alert does not have matches as the empty string, so ``team=""``
    selects alerts without a ``team`` label. The pattern is compiled once,
    when the matcher is made.

    Attributes
    ----------
    label
        The label name, e.g. ``"entity"``.
    op
        ``"="``, ``"!="``, ``"=~"`` or ``"!~"`` (or a `MatchOp`).
    value
        The text or regular expression to compare with (may be empty).

    Raises
    ------
    ValidationError
        For an unknown operator or, with ``=~`` / ``!~``, a value that is not
        a valid regular expression.

    Examples
    --------
    >>> m = Matcher("level", "=~", "I|II")
    >>> m.matches({"level": "II"}), m.matches({"level": "III"}), str(m)
    (True, False, 'level=~"I|II"')
    """

    label: str = attrs.field(validator=is_text())
    op: MatchOp = attrs.field(converter=_to_op, validator=_is_op)
    value: str = attrs.field(validator=is_text(allow_empty=True))
    _pattern: re.Pattern[str] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        """Compile the regular expression once (for ``=~`` and ``!~``)."""
        if self.op in (MatchOp.REGEX, MatchOp.NOT_REGEX):
            try:
                pattern = re.compile(self.value)
            except re.error as exc:
                raise ValidationError(
                    "value", self.value, f"a valid regular expression ({exc})"
                ) from None
            object.__setattr__(self, "_pattern", pattern)

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Return whether ``labels`` satisfy the matcher (missing label = ``""``)."""
        text = labels.get(self.label, "")
        if self.op is MatchOp.EQUAL:
            return text == self.value
        if self.op is MatchOp.NOT_EQUAL:
            return text != self.value
        assert self._pattern is not None  # noqa: S101  compiled for regex ops
        found = self._pattern.fullmatch(text) is not None
        return found if self.op is MatchOp.REGEX else not found

    def __str__(self) -> str:
        """Show the matcher in Alertmanager's syntax, e.g. ``level=~"I|II"``."""
        quoted = self.value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.label}{self.op.value}"{quoted}"'


def _all_match(matchers: tuple[Matcher, ...], labels: Mapping[str, str]) -> bool:
    return all(m.matches(labels) for m in matchers)


_EMPTY: Labels = FrozenDict()


# --- silences ---------------------------------------------------------------


def _check_silence_matchers(instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(Matcher, "a Matcher"), min_length=1)(
        instance, attribute, value
    )
    if all(m.matches(_EMPTY) for m in value):
        raise ValidationError(
            field_name(attribute),
            tuple(str(m) for m in value),
            "at least one matcher that does not match the empty string "
            "(a silence must not mute every alert)",
        )


@attrs.frozen(kw_only=True)
class Silence:
    """Mute matching alerts during the window ``[starts_at, ends_at)``.

    A silence is active at ``starts_at`` and no longer at ``ends_at``. It mutes
    an alert when **all** its matchers match the alert's labels. As in
    Alertmanager, at least one matcher must not match the empty string, so a
    silence cannot mute everything by accident.

    Attributes
    ----------
    matchers
        The label conditions; at least one.
    starts_at
        When the silence starts (timezone-aware).
    ends_at
        When it ends (timezone-aware, after ``starts_at``).
    comment
        Why, e.g. ``"Double 11 promotion: sales swings expected"``.
    created_by
        Who set it.

    Examples
    --------
    Double 11: mute sku-1's alerts on 10 and 11 November (the end is
    excluded):

    >>> import datetime as dt
    >>> from crisisops.monitoring import Matcher, Silence
    >>> def nov(day):
    ...     return dt.datetime(2026, 11, day, tzinfo=dt.timezone.utc)
    >>> promotion = Silence(
    ...     matchers=[Matcher("entity", "=", "sku-1")],
    ...     starts_at=nov(10),
    ...     ends_at=nov(12),
    ...     comment="Double 11 promotion: sales swings expected",
    ... )
    >>> promotion.mutes({"entity": "sku-1", "level": "III"}, nov(11))
    True
    >>> promotion.mutes({"entity": "sku-1"}, nov(12)), promotion.is_active(nov(12))
    (False, False)
    >>> promotion.mutes({"entity": "sku-2"}, nov(11))
    False

    A silence whose matchers all accept the empty string would mute every
    alert, so it is refused:

    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     Silence(
    ...         matchers=[Matcher("team", "=", "")], starts_at=nov(10), ends_at=nov(12)
    ...     )
    ... except ValidationError as error:
    ...     error.field
    'matchers'
    """

    matchers: tuple[Matcher, ...] = attrs.field(
        converter=to_tuple, validator=_check_silence_matchers
    )
    starts_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    ends_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    comment: str = attrs.field(default="", validator=is_text(allow_empty=True))
    created_by: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check the window is not empty."""
        if not self.ends_at > self.starts_at:
            raise ValidationError(
                "ends_at",
                self.ends_at,
                f"a moment after starts_at ({self.starts_at.isoformat()})",
            )

    def is_active(self, at: dt.datetime) -> bool:
        """Return whether the silence is in force: ``starts_at <= at < ends_at``."""
        check_aware(at, "at")
        return self.starts_at <= at < self.ends_at

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Return whether every matcher matches ``labels``."""
        return _all_match(self.matchers, labels)

    def mutes(self, labels: Mapping[str, str], at: dt.datetime) -> bool:
        """Return whether the silence mutes an alert with ``labels`` at ``at``."""
        return self.is_active(at) and self.matches(labels)


# --- inhibition -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class InhibitRule:
    """Mute ``target`` alerts while a ``source`` alert fires with equal labels.

    An alert matching every ``target`` matcher is muted while another alert
    that fires at the same tick matches every ``source`` matcher and has the
    same value (missing = ``""``) for each label in ``equal``. An alert that
    matches both sides cannot be inhibited by alerts that also match both
    sides (so a rule never mutes a whole set of alerts against each other,
    nor an alert itself). A source inhibits even while it is silenced or
    inhibited itself, as in Alertmanager. Empty matcher tuples match every
    alert.

    Attributes
    ----------
    source
        Matchers an inhibiting alert must match.
    target
        Matchers a muted alert must match.
    equal
        Labels whose values must be equal on both alerts, e.g. ``("entity",)``.
    """

    source: tuple[Matcher, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_instance(Matcher, "a Matcher"))
    )
    target: tuple[Matcher, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_instance(Matcher, "a Matcher"))
    )
    equal: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=_is_label_names
    )

    @classmethod
    def by_level(cls, equal: Iterable[str] = ("entity",)) -> tuple[InhibitRule, ...]:
        """Return rules that mute less severe alerts while a more severe one fires.

        Book §3 (層級劃分): while a Level I crisis fires for an entity, its
        Level II–IV warnings add nothing. One rule per boundary: Level I mutes
        II–IV, Level I–II mute III–IV, Level I–III mute IV, for alerts with
        equal ``equal`` labels (by default the same entity; add
        ``"crisis_type"`` to keep different crisis types apart). Alerts at the
        same level never mute each other; no-data alerts (no level) are
        neither muted nor muting.

        Examples
        --------
        >>> [str(r.source[0]) for r in InhibitRule.by_level()]
        ['level=~"I"', 'level=~"I|II"', 'level=~"I|II|III"']
        """
        names = to_str_tuple(equal)
        ordered = [level.value for level in ResponseLevel]
        return tuple(
            cls(
                source=(Matcher("level", "=~", "|".join(ordered[:index])),),
                target=(Matcher("level", "=~", "|".join(ordered[index:])),),
                equal=names,
            )
            for index in range(1, len(ordered))
        )

    def source_matches(self, labels: Mapping[str, str]) -> bool:
        """Return whether ``labels`` match every source matcher."""
        return _all_match(self.source, labels)

    def target_matches(self, labels: Mapping[str, str]) -> bool:
        """Return whether ``labels`` match every target matcher."""
        return _all_match(self.target, labels)

    def equal_values(self, labels: Mapping[str, str]) -> tuple[str, ...]:
        """Return the values of the ``equal`` labels (missing = ``""``)."""
        return tuple(labels.get(name, "") for name in self.equal)


# --- the policy -------------------------------------------------------------


def _check_group_by(instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _is_label_names(instance, attribute, value)
    if "..." in value:
        raise ValidationError(
            field_name(attribute),
            value,
            "label names ('...', group by every label, is not supported: list "
            "the labels, e.g. ('rule', 'entity') for one group per alert)",
        )


@attrs.frozen(kw_only=True)
class NotificationPolicy:
    """How alerts become notifications: grouping, timing, muting (all in ticks).

    A tick is one period of the monitor (a day for daily KPIs). Timing:

    * a group's first notification is considered ``group_wait`` ticks after
      its first alert arrived (``0``: in the same tick), so alerts arriving
      together go out together;
    * after that, the group is reconsidered every ``group_interval`` ticks;
      new or changed alerts wait for the next such flush;
    * an unchanged group is notified again when ``repeat_interval`` ticks
      passed since its last notification, checked only at flushes, so the
      effective repeat interval is ``repeat_interval`` rounded up to a
      multiple of ``group_interval`` (`effective_repeat_interval`),
      as in Alertmanager.

    Attributes
    ----------
    group_by
        Labels whose values make a group (``()``: one group for everything).
    group_wait
        Ticks to wait before a new group's first notification (≥ 0).
    group_interval
        Ticks between reconsiderations of a group (≥ 1).
    repeat_interval
        Ticks after which an unchanged, still-firing group is notified again
        (≥ ``group_interval``).
    send_resolved
        Whether resolved alerts are reported.
    inhibit_rules
        Inhibit rules, e.g. ``InhibitRule.by_level()``.
    silences
        Silences (`Silence`).

    Raises
    ------
    ValidationError
        For a negative ``group_wait``, a ``group_interval`` below 1, or a
        ``repeat_interval`` below ``group_interval`` (it could never be
        honoured: repeats happen only at flushes).
    """

    group_by: tuple[str, ...] = attrs.field(
        default=("rule",), converter=to_str_tuple, validator=_check_group_by
    )
    group_wait: int = attrs.field(default=0, validator=_ticks(0))
    group_interval: int = attrs.field(default=1, validator=_ticks(1))
    repeat_interval: int = attrs.field(default=24, validator=_ticks(1))
    send_resolved: bool = attrs.field(
        default=True, validator=is_instance(bool, "a bool")
    )
    inhibit_rules: tuple[InhibitRule, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(InhibitRule, "an InhibitRule")),
    )
    silences: tuple[Silence, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Silence, "a Silence")),
    )

    def __attrs_post_init__(self) -> None:
        """Check the interval combination."""
        if self.repeat_interval < self.group_interval:
            raise ValidationError(
                "repeat_interval",
                self.repeat_interval,
                f"at least group_interval ({self.group_interval} ticks): repeats "
                "are only sent when a group is flushed",
            )

    @property
    def effective_repeat_interval(self) -> int:
        """Ticks between repeats of an unchanged group (whole group intervals)."""
        return math.ceil(self.repeat_interval / self.group_interval) * (
            self.group_interval
        )

    def group_key(self, labels: Mapping[str, str]) -> GroupKey:
        """Return the group an alert with ``labels`` belongs to."""
        return tuple(labels.get(name, "") for name in self.group_by)

    def silenced(self, labels: Mapping[str, str], at: dt.datetime) -> bool:
        """Return whether a silence mutes an alert with ``labels`` at ``at``."""
        return any(s.mutes(labels, at) for s in self.silences)


# --- notifications ----------------------------------------------------------


class NotificationReason(enum.Enum):
    """Why a notification was made (which ``needsUpdate`` case fired).

    Examples
    --------
    Case 1 of the module's list is ``NEW``, case 2 ``CHANGED``, cases 3 and 4
    ``RESOLVED`` and case 5 ``REPEAT`` (see `notify_step` for each in turn):

    >>> [reason.value for reason in NotificationReason]
    ['new', 'changed', 'repeat', 'resolved']
    """

    NEW = "new"
    CHANGED = "changed"
    REPEAT = "repeat"
    RESOLVED = "resolved"


def _check_notification_ids(instance: Notification) -> None:
    overlap = set(instance.firing) & set(instance.resolved)
    if overlap:
        raise ValidationError(
            "resolved", sorted(overlap), "alert ids that are not also firing"
        )
    listed = {*instance.firing, *instance.resolved}
    if set(instance.labels) != listed:
        raise ValidationError(
            "labels",
            sorted(set(instance.labels) ^ listed),
            "labels for exactly the firing and resolved alerts",
        )
    if len(instance.group_key) != len(instance.group_labels):
        raise ValidationError(
            "group_labels", instance.group_labels, "one label per group_key value"
        )


@attrs.frozen(kw_only=True)
class Notification:
    """One message for the host application to send about one group of alerts.

    Attributes
    ----------
    group_key
        The values of the policy's ``group_by`` labels.
    group_labels
        The same, as ``{label: value}``.
    at
        Timestamp of the tick the notification was made in.
    tick
        Index of that tick.
    reason
        Why it was made (`NotificationReason`).
    firing
        Ids of every visible firing alert of the group (sorted), new or not.
    resolved
        Ids of the alerts resolved since the group's last flush that are not
        muted at ``at`` (sorted; empty unless ``send_resolved``).
    labels
        The label set of every listed alert, by id, as of ``at`` (the level an
        alert had when it resolved, for resolved ones).
    """

    group_key: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text(allow_empty=True))
    )
    group_labels: FrozenDict[str, str] = attrs.field(
        converter=to_frozendict,
        validator=lambda _i, a, v: _is_labels(v, field_name(a)),
    )
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    tick: int = attrs.field(validator=_ticks(0))
    reason: NotificationReason = attrs.field(validator=is_enum(NotificationReason))
    firing: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=is_tuple_of(is_text())
    )
    resolved: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=is_tuple_of(is_text())
    )
    labels: FrozenDict[str, FrozenDict[str, str]] = attrs.field(
        factory=FrozenDict, converter=_to_nested_frozendict, validator=_is_labels_by_id
    )

    def __attrs_post_init__(self) -> None:
        """Check ids and labels agree."""
        _check_notification_ids(self)


# --- state ------------------------------------------------------------------


def _check_group_state(group: GroupState) -> None:
    if group.pending_since is None and (
        group.last_flush is not None or group.pending_resolved
    ):
        raise ValidationError(
            "pending_since",
            None,
            "a tick when last_flush or pending_resolved is set (an open group)",
        )
    if (
        group.pending_since is not None
        and group.last_flush is not None
        and group.last_flush < group.pending_since
    ):
        raise ValidationError(
            "last_flush", group.last_flush, "a tick not before pending_since"
        )
    if group.last_notified is None and (
        group.notified_firing or group.notified_resolved
    ):
        raise ValidationError(
            "last_notified", None, "a tick when notified alerts are recorded"
        )
    if group.last_notified is not None and not group.notified_firing:
        raise ValidationError(
            "notified_firing",
            group.notified_firing,
            "the alerts firing at last_notified (at least one)",
        )


@attrs.frozen(kw_only=True)
class GroupState:
    """What the notifier remembers about one group, as plain data.

    Two parts, as in Alertmanager: the *open group* (``pending_since``,
    ``last_flush``, ``pending_resolved``; gone once a flush finds nothing
    firing) and the *notification log* (``last_notified``,
    ``notified_firing``, ``notified_resolved``; kept while the last
    notification listed firing alerts).

    Attributes
    ----------
    key
        The group's ``group_by`` label values.
    pending_since
        Tick the open group was created (``None``: no open group).
    last_flush
        Tick of the open group's last flush (``None``: not flushed yet).
    pending_resolved
        Alerts that resolved since the last flush: id → labels.
    last_notified
        Tick of the last notification (``None``: nothing firing notified).
    notified_firing
        Alerts firing at the last notification: id → level (``""`` for
        no-data).
    notified_resolved
        Ids of the alerts resolved at the last notification.

    Examples
    --------
    What the notifier keeps after notifying one firing alert at tick 0 and
    flushing the group again at tick 2 (`notify_step` shows it made):

    >>> from crisisops.monitoring import GroupState
    >>> group = GroupState(
    ...     key=("sales_slump",),
    ...     pending_since=0,
    ...     last_flush=2,
    ...     last_notified=0,
    ...     notified_firing={"sales_slump/sku-1/1": "III"},
    ... )
    >>> group.notified_firing["sales_slump/sku-1/1"], group.pending_resolved
    ('III', FrozenDict({}))

    The parts must agree: a group flushed at tick 3 was opened at some tick.

    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     GroupState(key=("sales_slump",), last_flush=3)
    ... except ValidationError as error:
    ...     error.field
    'pending_since'
    """

    key: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text(allow_empty=True))
    )
    pending_since: int | None = attrs.field(
        default=None, validator=is_optional(_ticks(0))
    )
    last_flush: int | None = attrs.field(default=None, validator=is_optional(_ticks(0)))
    pending_resolved: FrozenDict[str, FrozenDict[str, str]] = attrs.field(
        factory=FrozenDict, converter=_to_nested_frozendict, validator=_is_labels_by_id
    )
    last_notified: int | None = attrs.field(
        default=None, validator=is_optional(_ticks(0))
    )
    notified_firing: FrozenDict[str, str] = attrs.field(
        factory=FrozenDict,
        converter=to_frozendict,
        validator=lambda _i, a, v: _is_labels(v, field_name(a)),
    )
    notified_resolved: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=is_tuple_of(is_text())
    )

    def __attrs_post_init__(self) -> None:
        """Check the parts are consistent."""
        _check_group_state(self)


def _sort_groups(value: Any) -> Any:  # noqa: ANN401  passes bad input on
    value = to_tuple(value)
    if isinstance(value, tuple) and all(isinstance(g, GroupState) for g in value):
        return tuple(sorted(value, key=lambda g: g.key))
    return value


def _check_groups(instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(GroupState, "a GroupState"))(instance, attribute, value)
    for before, after in itertools.pairwise(value):
        if before.key == after.key:
            raise DuplicateKeyError("group key", after.key)


@attrs.frozen(kw_only=True)
class NotificationState:
    """The notifier's memory between ticks, as plain data.

    Start with ``NotificationState()``; each `notify_step()` returns the
    next one. Save it with `crisisops.serialization.to_data()` and restore
    it with ``from_data(NotificationState, data)`` to continue exactly.

    Attributes
    ----------
    tick
        Index of the last processed tick (``None`` before the first).
    at
        Timestamp of the last processed tick.
    groups
        Per-group memory, sorted by key; groups with nothing to remember are
        dropped.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.monitoring import GroupState, NotificationState
    >>> from crisisops.serialization import to_data
    >>> fresh = NotificationState()  # before the first tick
    >>> fresh.tick, fresh.at, fresh.groups
    (None, None, ())
    >>> state = NotificationState(
    ...     tick=0,
    ...     at=dt.datetime(2026, 11, 10, tzinfo=dt.timezone.utc),
    ...     groups=[
    ...         GroupState(
    ...             key=("sales_slump",),
    ...             pending_since=0,
    ...             last_flush=0,
    ...             last_notified=0,
    ...             notified_firing={"sales_slump/sku-1/1": "III"},
    ...         )
    ...     ],
    ... )
    >>> data = to_data(state)["data"]  # plain data, ready to store
    >>> data["tick"], data["at"], data["groups"][0]["notified_firing"]
    (0, '2026-11-10T00:00:00+00:00', {'sales_slump/sku-1/1': 'III'})
    """

    tick: int | None = attrs.field(default=None, validator=is_optional(_ticks(0)))
    at: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    groups: tuple[GroupState, ...] = attrs.field(
        default=(), converter=_sort_groups, validator=_check_groups
    )

    def __attrs_post_init__(self) -> None:
        """Check tick and timestamp go together."""
        if (self.tick is None) != (self.at is None):
            raise ValidationError(
                "at", self.at, "set exactly when tick is set (both or neither)"
            )


# --- labels -----------------------------------------------------------------


def _rule_table(rules: object, field: str = "rules") -> dict[str, Labels] | None:
    """Normalise the accepted forms of rule labels to ``{rule name: labels}``."""
    if rules is None:
        return None
    table: dict[str, Labels] = {}
    if isinstance(rules, Mapping):
        for name, labels in rules.items():
            check_str(name, f"{field} key")
            _is_labels(labels, f"{field}[{name!r}]")
            table[name] = FrozenDict(labels)
    elif isinstance(rules, Iterable) and not isinstance(rules, (str, bytes)):
        for index, rule in enumerate(rules):
            if not isinstance(rule, TriggerRule):
                raise InvalidTypeError(f"{field}[{index}]", rule, "a TriggerRule")
            if rule.name in table:
                raise DuplicateKeyError("rule", rule.name)
            table[rule.name] = rule.labels
    else:
        raise InvalidTypeError(
            field, rules, "TriggerRules or a mapping of rule name to labels"
        )
    for name, labels in table.items():
        for label in labels:
            if label in BUILTIN_LABELS:
                raise ValidationError(
                    f"{field}[{name!r}].labels[{label!r}]",
                    labels[label],
                    f"a label name other than the built-in ones {BUILTIN_LABELS}",
                )
    return table


def _labels(  # noqa: PLR0913  the parts of an alert's identity
    *,
    kind: AlertKind,
    rule: str,
    entity: str,
    crisis_type: str,
    level: ResponseLevel | None,
    table: dict[str, Labels] | None,
) -> Labels:
    labels = {
        "rule": rule,
        "entity": entity,
        "crisis_type": crisis_type,
        "level": "" if level is None else level.value,
        "severity": "" if level is None else level.to_sev(),
        "kind": kind.value,
    }
    if table is not None:
        if rule not in table:
            raise UnknownKeyError("rule (no labels given for it)", rule, table)
        labels.update(table[rule])
    return FrozenDict(labels)


def alert_labels(alert: Alert, rules: RuleLabels = None) -> FrozenDict[str, str]:
    """Return the label set silences, inhibition and grouping look at.

    The built-in labels (`BUILTIN_LABELS`) come from the alert:
    ``rule``, ``entity``, ``crisis_type``, ``level`` (``"I"`` … ``"IV"``, or
    ``""`` for a no-data alert), ``severity`` (``"SEV1"`` … ``"SEV4"`` or
    ``""``) and ``kind`` (``"breach"`` or ``"no_data"``). The rule's own
    labels are added when ``rules`` is given.

    Parameters
    ----------
    alert
        The alert, as it is now (its current level).
    rules
        The monitor's rules, or a mapping of rule name to labels; ``None``
        adds no rule labels.

    Raises
    ------
    UnknownKeyError
        If ``rules`` is given but does not know the alert's rule.
    ValidationError
        If a rule's labels reuse a built-in label name.

    Examples
    --------
    The module example labels a Level I GMV crash (severity ``SEV1``) and
    adds its rule's ``team`` label.
    """
    if not isinstance(alert, Alert):
        raise InvalidTypeError("alert", alert, "an Alert")
    return _alert_labels(alert, _rule_table(rules))


def _alert_labels(alert: Alert, table: dict[str, Labels] | None) -> Labels:
    return _labels(
        kind=alert.kind,
        rule=alert.rule,
        entity=alert.entity,
        crisis_type=alert.crisis_type,
        level=alert.level,
        table=table,
    )


# --- the step ---------------------------------------------------------------


class _Seen(NamedTuple):
    """An alert as the notifier sees it at one tick: identity and labels."""

    id: str
    labels: Labels


def _inhibited(
    rules: tuple[InhibitRule, ...],
    sources: Sequence[_Seen],
    targets: Sequence[_Seen],
) -> set[str]:
    """Ids of ``targets`` muted by ``rules`` while ``sources`` fire."""
    muted: set[str] = set()
    for rule in rules:
        # equal values -> [sources, sources that also match the target side]
        index: dict[tuple[str, ...], list[int]] = {}
        for source in sources:
            if rule.source_matches(source.labels):
                counts = index.setdefault(rule.equal_values(source.labels), [0, 0])
                counts[0] += 1
                counts[1] += rule.target_matches(source.labels)
        if not index:
            continue
        for target in targets:
            if target.id in muted or not rule.target_matches(target.labels):
                continue
            found = index.get(rule.equal_values(target.labels))
            if found is None:
                continue
            both_sides = rule.source_matches(target.labels)
            if (found[0] - found[1] if both_sides else found[0]) > 0:
                muted.add(target.id)
    return muted


class _Group:
    """Working copy of a `GroupState` during one step."""

    __slots__ = (
        "key",
        "last_flush",
        "last_notified",
        "notified_firing",
        "notified_resolved",
        "pending_resolved",
        "pending_since",
    )

    def __init__(self, key: GroupKey, state: GroupState | None = None) -> None:
        self.key = key
        self.pending_since = None if state is None else state.pending_since
        self.last_flush = None if state is None else state.last_flush
        self.pending_resolved: dict[str, Labels] = (
            {} if state is None else dict(state.pending_resolved)
        )
        self.last_notified = None if state is None else state.last_notified
        self.notified_firing: Labels = (
            _EMPTY if state is None else state.notified_firing
        )
        self.notified_resolved: tuple[str, ...] = (
            () if state is None else state.notified_resolved
        )

    def begin(self, tick: int) -> None:
        if self.pending_since is None:
            self.pending_since = tick
            self.last_flush = None

    def due(self, policy: NotificationPolicy, tick: int) -> bool:
        if self.pending_since is None:
            return False
        if self.last_flush is None:
            return tick >= self.pending_since + policy.group_wait
        return tick >= self.last_flush + policy.group_interval

    def decide(
        self,
        policy: NotificationPolicy,
        tick: int,
        firing: Mapping[str, str],
        resolved: Iterable[str],
    ) -> NotificationReason | None:
        """Alertmanager's ``needsUpdate``, in ticks."""
        if self.last_notified is None:
            return NotificationReason.NEW if firing else None
        if not firing.items() <= self.notified_firing.items():
            return NotificationReason.CHANGED
        if not firing:
            return NotificationReason.RESOLVED  # the last one had firing alerts
        if policy.send_resolved and not set(resolved) <= set(self.notified_resolved):
            return NotificationReason.RESOLVED
        if tick - self.last_notified >= policy.repeat_interval:
            return NotificationReason.REPEAT
        return None

    def flush(
        self,
        policy: NotificationPolicy,
        at: dt.datetime,
        tick: int,
        firing: Mapping[str, Labels],
        resolved: Mapping[str, Labels],
    ) -> Notification | None:
        """Flush the group: ``resolved`` are the pending ones visible now."""
        note = None
        if firing or resolved:
            levels = {alert_id: labels["level"] for alert_id, labels in firing.items()}
            reason = self.decide(policy, tick, levels, resolved)
            if reason is not None:
                if levels:
                    self.last_notified = tick
                    self.notified_firing = FrozenDict(sorted(levels.items()))
                    self.notified_resolved = tuple(sorted(resolved))
                else:
                    self.last_notified = None
                    self.notified_firing = _EMPTY
                    self.notified_resolved = ()
                if levels or policy.send_resolved:
                    shown = sorted(resolved) if policy.send_resolved else []
                    labels = {i: firing[i] for i in sorted(firing)}
                    labels.update((i, resolved[i]) for i in shown)
                    note = Notification(
                        group_key=self.key,
                        group_labels=FrozenDict(
                            zip(policy.group_by, self.key, strict=True)
                        ),
                        at=at,
                        tick=tick,
                        reason=reason,
                        firing=tuple(sorted(firing)),
                        resolved=tuple(shown),
                        labels=labels,
                    )
        self.pending_resolved = {}
        self.last_flush = tick
        if not firing:
            self.pending_since = None
            self.last_flush = None
        return note

    def freeze(self) -> GroupState | None:
        if self.pending_since is None and self.last_notified is None:
            return None
        return GroupState(
            key=self.key,
            pending_since=self.pending_since,
            last_flush=self.last_flush,
            pending_resolved=FrozenDict(sorted(self.pending_resolved.items())),
            last_notified=self.last_notified,
            notified_firing=self.notified_firing,
            notified_resolved=self.notified_resolved,
        )


def _advance(  # noqa: PLR0913  one tick of the notifier
    policy: NotificationPolicy,
    state: NotificationState,
    *,
    at: dt.datetime,
    tick: int,
    active: Sequence[_Seen],
    resolved: Sequence[_Seen],
) -> tuple[NotificationState, tuple[Notification, ...]]:
    """Advance one tick (the step both drivers use; inputs already validated)."""
    silences = [s for s in policy.silences if s.is_active(at)]
    # Resolutions waiting for their group's flush are checked again now: an
    # alert muted at the flush tick is left out of the notification (as
    # Alertmanager's MuteStage filters resolved alerts at every flush).
    waiting = [
        _Seen(alert_id, labels)
        for group_state in state.groups
        for alert_id, labels in group_state.pending_resolved.items()
    ]
    inhibited = _inhibited(policy.inhibit_rules, active, [*active, *resolved, *waiting])

    def visible(seen: _Seen) -> bool:
        return seen.id not in inhibited and not any(
            s.matches(seen.labels) for s in silences
        )

    groups = {g.key: _Group(g.key, g) for g in state.groups}
    firing: dict[GroupKey, dict[str, Labels]] = {}
    for seen in active:
        if visible(seen):
            key = policy.group_key(seen.labels)
            firing.setdefault(key, {})[seen.id] = seen.labels
            groups.setdefault(key, _Group(key)).begin(tick)
    for seen in resolved:
        if visible(seen):
            key = policy.group_key(seen.labels)
            group = groups.setdefault(key, _Group(key))
            group.begin(tick)
            group.pending_resolved[seen.id] = seen.labels
    notes: list[Notification] = []
    kept: list[GroupState] = []
    for key in sorted(groups):
        group = groups[key]
        if group.due(policy, tick):
            shown = {
                alert_id: labels
                for alert_id, labels in group.pending_resolved.items()
                if visible(_Seen(alert_id, labels))
            }
            note = group.flush(policy, at, tick, firing.get(key, {}), shown)
            if note is not None:
                notes.append(note)
        frozen = group.freeze()
        if frozen is not None:
            kept.append(frozen)
    return NotificationState(tick=tick, at=at, groups=tuple(kept)), tuple(notes)


def _check_step_order(
    policy: NotificationPolicy, state: NotificationState, at: dt.datetime, tick: int
) -> None:
    if state.tick is not None and tick <= state.tick:
        raise ValidationError(
            "tick_index", tick, f"a tick after the last one ({state.tick})"
        )
    if state.at is not None and at <= state.at:
        raise ValidationError(
            "at", at, f"a moment after the last tick ({state.at.isoformat()})"
        )
    for index, group in enumerate(state.groups):
        if len(group.key) != len(policy.group_by):
            raise ValidationError(
                f"state.groups[{index}].key",
                group.key,
                f"{len(policy.group_by)} value(s), one per policy.group_by label "
                "(was the state made with another policy?)",
            )


def _seen_alerts(
    alerts: Iterable[Alert],
    field: str,
    at: dt.datetime,
    table: dict[str, Labels] | None,
    *,
    resolved: bool,
) -> list[_Seen]:
    if isinstance(alerts, (str, bytes, Mapping)) or not isinstance(alerts, Iterable):
        raise InvalidTypeError(field, alerts, "an iterable of Alert values")
    seen: list[_Seen] = []
    for index, alert in enumerate(alerts):
        name = f"{field}[{index}]"
        if not isinstance(alert, Alert):
            raise InvalidTypeError(name, alert, "an Alert")
        if alert.fired_at > at:
            raise ValidationError(
                f"{name}.fired_at", alert.fired_at, "a moment not after the tick"
            )
        if resolved and (alert.resolved_at is None or alert.resolved_at > at):
            raise ValidationError(
                f"{name}.resolved_at",
                alert.resolved_at,
                f"a moment not after the tick ({at.isoformat()}): it resolved",
            )
        if not resolved and alert.resolved_at is not None and alert.resolved_at <= at:
            raise ValidationError(
                f"{name}.resolved_at",
                alert.resolved_at,
                f"None or a moment after the tick ({at.isoformat()}): it fires",
            )
        seen.append(_Seen(alert.id, _alert_labels(alert, table)))
    return seen


def notify_step(  # noqa: PLR0913, PLR0917  one tick: policy, memory, time, alerts
    policy: NotificationPolicy,
    state: NotificationState,
    at: dt.datetime,
    tick_index: int,
    alerts_active: Iterable[Alert],
    alerts_resolved: Iterable[Alert] = (),
    *,
    rules: RuleLabels = None,
) -> tuple[NotificationState, tuple[Notification, ...]]:
    """Process one tick: return the next state and the tick's notifications.

    Call it once per tick, in order, with every alert firing at the tick
    (e.g. ``monitor.open_alerts`` after `Monitor.step()`) and those that
    resolved in it (`StepResult.resolved`). Folding it over every tick
    gives exactly `plan_notifications()`. Skipping a tick delays any flush
    due in it to the next call (a timer that fired late).

    Parameters
    ----------
    policy
        The notification policy.
    state
        The state after the previous tick (``NotificationState()`` at first).
    at
        The tick's timestamp (timezone-aware, after the previous one).
    tick_index
        The tick's index (≥ 0, after the previous one); intervals count these.
    alerts_active
        Alerts firing at the tick (``resolved_at`` ``None`` or later).
    alerts_resolved
        Alerts that resolved in the tick (``resolved_at`` set, not later).
    rules
        The monitor's rules or ``{rule name: labels}``, for the rules' labels.

    Returns
    -------
    tuple
        ``(next state, notifications)``, notifications sorted by group key.

    Raises
    ------
    ValidationError
        If the tick is not after the state's last one, an alert's times do
        not fit the tick, or the state was made with another ``group_by``.
    DuplicateKeyError
        If an alert id is given twice.

    Examples
    --------
    One Level III alert watched tick by tick (a day each), repeated every two
    ticks, resolved on the fourth day:

    >>> import datetime as dt
    >>> import attrs
    >>> from crisisops.monitoring import (
    ...     Alert,
    ...     AlertKind,
    ...     Evidence,
    ...     GroupState,
    ...     NotificationPolicy,
    ...     NotificationReason,
    ...     NotificationState,
    ...     notify_step,
    ... )
    >>> from crisisops.taxonomy import ResponseLevel
    >>> days = [dt.datetime(2026, 11, d, tzinfo=dt.timezone.utc) for d in range(10, 14)]
    >>> slump = Alert(
    ...     kind=AlertKind.BREACH,
    ...     rule="sales_slump",
    ...     entity="sku-1",
    ...     episode=1,
    ...     crisis_type="market.demand_shift",
    ...     level=ResponseLevel.III,
    ...     fired_level=ResponseLevel.III,
    ...     peak_level=ResponseLevel.III,
    ...     first_breach_at=days[0],
    ...     fired_at=days[0],
    ...     evidence=Evidence(
    ...         observed=60, signal=-0.4, baseline=100, bound=-0.3, run_length=3
    ...     ),
    ... )
    >>> policy = NotificationPolicy(group_by=("rule",), repeat_interval=2)
    >>> state = NotificationState()
    >>> sent = []
    >>> for tick in range(3):
    ...     state, notes = notify_step(policy, state, days[tick], tick, [slump])
    ...     sent.extend(notes)
    >>> [(note.tick, note.reason.value, note.firing) for note in sent]
    [(0, 'new', ('sales_slump/sku-1/1',)), (2, 'repeat', ('sales_slump/sku-1/1',))]
    >>> state.groups == (
    ...     GroupState(
    ...         key=("sales_slump",),
    ...         pending_since=0,
    ...         last_flush=2,
    ...         last_notified=2,
    ...         notified_firing={"sales_slump/sku-1/1": "III"},
    ...     ),
    ... )
    True
    >>> closed = attrs.evolve(slump, resolved_at=days[3])
    >>> state, notes = notify_step(policy, state, days[3], 3, [], [closed])
    >>> [(note.reason is NotificationReason.RESOLVED, note.resolved) for note in notes]
    [(True, ('sales_slump/sku-1/1',))]
    >>> state.tick, state.groups  # nothing left to remember
    (3, ())
    """
    if not isinstance(policy, NotificationPolicy):
        raise InvalidTypeError("policy", policy, "a NotificationPolicy")
    if not isinstance(state, NotificationState):
        raise InvalidTypeError("state", state, "a NotificationState")
    check_aware(at, "at")
    tick = _check_tick(tick_index, "tick_index")
    _check_step_order(policy, state, at, tick)
    table = _rule_table(rules)
    active = _seen_alerts(alerts_active, "alerts_active", at, table, resolved=False)
    resolved = _seen_alerts(
        alerts_resolved, "alerts_resolved", at, table, resolved=True
    )
    ids: set[str] = set()
    for seen in (*active, *resolved):
        if seen.id in ids:
            raise DuplicateKeyError("alert id", seen.id)
        ids.add(seen.id)
    return _advance(policy, state, at=at, tick=tick, active=active, resolved=resolved)


# --- the batch driver -------------------------------------------------------


_OPEN, _CHANGE, _CLOSE = 0, 1, 2


class _Timeline:
    """One alert over the ticks: when it opens, changes level, closes."""

    __slots__ = ("changes", "end", "id", "start")

    def __init__(self, alert_id: str, start: int, labels: Labels) -> None:
        self.id = alert_id
        self.start = start
        self.end: int | None = None
        self.changes: list[tuple[int, Labels]] = [(start, labels)]


def _check_timestamps(timestamps: object) -> tuple[dt.datetime, ...]:
    if isinstance(timestamps, (str, bytes, Mapping)) or not isinstance(
        timestamps, Iterable
    ):
        raise InvalidTypeError("timestamps", timestamps, "an iterable of datetimes")
    stamps = tuple(timestamps)
    for index, stamp in enumerate(stamps):
        check_aware(stamp, f"timestamps[{index}]")
        if index and not stamp > stamps[index - 1]:
            raise ValidationError(
                f"timestamps[{index}]", stamp, "strictly increasing timestamps"
            )
    return stamps


def _tick_of(index: dict[dt.datetime, int], moment: dt.datetime, field: str) -> int:
    if moment not in index:
        raise ValidationError(field, moment, "one of the given timestamps")
    return index[moment]


def _event_alert_id(event: AlertEvent, kind: AlertKind) -> str:
    # The same identity as Alert.id: rule/entity/episode (plus /no_data).
    suffix = "/no_data" if kind is AlertKind.NO_DATA else ""
    return f"{event.rule}/{event.entity}/{event.episode}{suffix}"


def _timelines_from_events(
    events: Sequence[AlertEvent],
    index: dict[dt.datetime, int],
    table: dict[str, Labels] | None,
) -> list[_Timeline]:
    ticks = []
    for position, event in enumerate(events):
        if not isinstance(event, AlertEvent):
            raise InvalidTypeError(f"events[{position}]", event, "an AlertEvent")
        ticks.append(_tick_of(index, event.at, f"events[{position}].at"))
    order = sorted(range(len(events)), key=ticks.__getitem__)
    opened: dict[tuple[str, str, AlertKind], _Timeline] = {}
    timelines: list[_Timeline] = []
    for position in order:
        event, tick = events[position], ticks[position]
        no_data = event.kind in (EventKind.NO_DATA, EventKind.DATA_RESUMED)
        kind = AlertKind.NO_DATA if no_data else AlertKind.BREACH
        key = (event.rule, event.entity, kind)
        if event.kind in (EventKind.FIRED, EventKind.NO_DATA):
            if key in opened:
                raise ValidationError(
                    f"events[{position}]", event, "no second alert while one is open"
                )
            labels = _labels(
                kind=kind,
                rule=event.rule,
                entity=event.entity,
                crisis_type=event.crisis_type,
                level=event.level,
                table=table,
            )
            timeline = _Timeline(_event_alert_id(event, kind), tick, labels)
            opened[key] = timeline
            timelines.append(timeline)
            continue
        if key not in opened:
            raise ValidationError(
                f"events[{position}]", event, "an event about an open alert"
            )
        if event.kind is EventKind.LEVEL_CHANGED:
            timeline = opened[key]
            labels = _labels(
                kind=kind,
                rule=event.rule,
                entity=event.entity,
                crisis_type=event.crisis_type,
                level=event.level,
                table=table,
            )
            timeline.changes.append((tick, labels))
        else:
            opened.pop(key).end = tick
    return timelines


def _timelines_from_alerts(
    alerts: Sequence[Alert],
    index: dict[dt.datetime, int],
    table: dict[str, Labels] | None,
) -> list[_Timeline]:
    timelines: list[_Timeline] = []
    ids: set[str] = set()
    for position, alert in enumerate(alerts):
        name = f"source[{position}]"
        if not isinstance(alert, Alert):
            raise InvalidTypeError(name, alert, "an Alert")
        if alert.id in ids:
            raise DuplicateKeyError("alert id", alert.id)
        ids.add(alert.id)
        start = _tick_of(index, alert.fired_at, f"{name}.fired_at")
        first = _labels(
            kind=alert.kind,
            rule=alert.rule,
            entity=alert.entity,
            crisis_type=alert.crisis_type,
            level=alert.fired_level,
            table=table,
        )
        timeline = _Timeline(alert.id, start, first)
        for number, change in enumerate(alert.level_changes):
            at = _tick_of(index, change.at, f"{name}.level_changes[{number}].at")
            changed = _labels(
                kind=alert.kind,
                rule=alert.rule,
                entity=alert.entity,
                crisis_type=alert.crisis_type,
                level=change.level,
                table=table,
            )
            timeline.changes.append((at, changed))
        if alert.resolved_at is not None:
            end = _tick_of(index, alert.resolved_at, f"{name}.resolved_at")
            if end < start:
                raise ValidationError(
                    f"{name}.resolved_at", alert.resolved_at, "a moment after fired_at"
                )
            timeline.end = end
        timelines.append(timeline)
    return timelines


def _timelines(
    source: object,
    index: dict[dt.datetime, int],
    rules: RuleLabels,
) -> list[_Timeline]:
    if isinstance(source, Evaluation):
        table = _rule_table(rules if rules is not None else source.monitor.rules)
        return _timelines_from_events(source.events, index, table)
    if isinstance(source, (str, bytes, Mapping)) or not isinstance(source, Iterable):
        raise InvalidTypeError("source", source, "an Evaluation, AlertEvents or Alerts")
    items = tuple(source)
    table = _rule_table(rules)
    if items and isinstance(items[0], AlertEvent):
        return _timelines_from_events(items, index, table)
    return _timelines_from_alerts(items, index, table)


def plan_notifications(
    policy: NotificationPolicy,
    source: Evaluation | Iterable[AlertEvent] | Iterable[Alert],
    timestamps: Iterable[dt.datetime],
    *,
    rules: RuleLabels = None,
) -> tuple[Notification, ...]:
    """Return every notification over ``timestamps`` (batch driver).

    This folds `notify_step()` over the ticks (tick ``i`` is
    ``timestamps[i]``), starting from ``NotificationState()``, so it equals
    streaming tick by tick.

    Parameters
    ----------
    policy
        The notification policy.
    source
        An `Evaluation` (its events give
        each alert's level at every tick), its events, or alert values: each
        fires over ``[fired_at, resolved_at)`` at its ``fired_level``, then at
        the level of each of its ``level_changes``.
    timestamps
        The ticks, timezone-aware and strictly increasing, e.g. the panel's
        timestamps. Every alert time must be one of them.
    rules
        The rules or ``{rule name: labels}``; for an Evaluation it defaults to
        the evaluation's rules.

    Raises
    ------
    ValidationError
        If an alert time (firing, level change, resolution) is not one of the
        timestamps, or the events are inconsistent.
    """
    if not isinstance(policy, NotificationPolicy):
        raise InvalidTypeError("policy", policy, "a NotificationPolicy")
    stamps = _check_timestamps(timestamps)
    index = {stamp: tick for tick, stamp in enumerate(stamps)}
    timelines = _timelines(source, index, rules)
    # Per tick, in this order: open alerts, change levels, close alerts.
    operations: dict[int, list[tuple[int, _Timeline, Labels | None]]] = {}
    for timeline in timelines:
        first, *later = timeline.changes
        operations.setdefault(timeline.start, []).append((_OPEN, timeline, first[1]))
        for tick, labels in later:
            operations.setdefault(tick, []).append((_CHANGE, timeline, labels))
        if timeline.end is not None:
            operations.setdefault(timeline.end, []).append((_CLOSE, timeline, None))
    state = NotificationState()
    active: dict[str, Labels] = {}
    notes: list[Notification] = []
    for tick, at in enumerate(stamps):
        resolved: list[_Seen] = []
        for step, timeline, new_labels in sorted(
            operations.get(tick, ()), key=lambda op: op[0]
        ):
            if step == _CLOSE:
                resolved.append(_Seen(timeline.id, active.pop(timeline.id)))
            else:
                assert new_labels is not None  # noqa: S101  open and change carry them
                active[timeline.id] = new_labels
        seen = [_Seen(alert_id, labels) for alert_id, labels in active.items()]
        state, produced = _advance(
            policy, state, at=at, tick=tick, active=seen, resolved=resolved
        )
        notes.extend(produced)
    return tuple(notes)
