"""Lessons learned and the improvement actions that answer them (book §6.2–§6.3).

Book §6.2 總結經驗和教訓 asks, after every crisis, "哪些措施是有效的,哪些措施
需要改進或調整" — which measures worked and which must improve — and names five
themes the lessons fall under: 識別危機的敏感性 (sensitivity to the signals),
建立快速反應機制 (a fast response mechanism), 溝通與協作的重要性
(communication and collaboration), 靈活調整策略 (flexible strategy) and
重視數據分析與監控 (data analysis and monitoring). §6.3 持續改進與優化危機管理體系
turns them into a continuous-improvement plan. This module holds the two
kinds of value a review records for that:

* `Lesson` – one lesson, classified the Google SRE way (Beyer et al. 2016,
  "Example Postmortem": what went well, what went wrong, where we got lucky;
  `LessonKind`) and by the book's theme (`LessonTheme`);
* `ImprovementAction` – one action item with an owner, a due date and a
  status (`ImprovementStatus`), typed by `ImprovementKind`: the categories
  of Lunney, Lueder & O'Connor (2017), "Postmortem Action Items: Plan the Work and Work
  the Plan" (investigate, mitigate, repair, detect, prevent), plus the SRE
  example's *process* and the book's training (§6.3 四、團隊建設與培訓強化). An
  action may name what it changes: a monitoring trigger rule, a risk-register
  entry or a playbook step, so the portfolio can follow it back to the
  warning system (book §6.4 預防未來危機的發生).

Both are immutable: changing an action's status returns a new action
(`ImprovementAction.start`, `complete`, `cancel`), and the review record
(`crisisops.review.record.Review`) keeps the history of who did it.

Examples
--------
>>> import datetime as dt
>>> from crisisops.review.lessons import (
...     ImprovementAction,
...     ImprovementKind,
...     Lesson,
...     LessonKind,
...     LessonTheme,
... )
>>> lesson = Lesson(
...     key="late_alert",
...     kind=LessonKind.WENT_POORLY,
...     theme=LessonTheme.SENSITIVITY,
...     text="The complaint-rate trigger fired two days after complaints rose.",
...     evidence="Alert fired 2026-03-03; complaints up from 2026-03-01.",
... )
>>> lesson.theme.labels.zh_hant
'識別危機的敏感性'
>>> t0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)
>>> action = ImprovementAction(
...     key="tighten_complaint_trigger",
...     title="Re-calibrate the complaint-rate trigger on the last 90 days",
...     kind=ImprovementKind.DETECT,
...     owner="chen",
...     created_at=t0,
...     due_at=t0 + dt.timedelta(days=14),
...     lesson="late_alert",
...     trigger_rule="complaint_surge",
... )
>>> action.is_overdue(t0 + dt.timedelta(days=15))
True
>>> done = action.complete(at=t0 + dt.timedelta(days=7))
>>> done.status.value, done.is_overdue(t0 + dt.timedelta(days=15))
('done', False)
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from crisisops._time import instant
from crisisops._validation import (
    check_aware,
    check_key,
    field_name,
    is_aware_datetime,
    is_enum,
    is_key,
    is_optional,
    is_text,
)
from crisisops.errors import TransitionError, ValidationError
from crisisops.labels import Labels
from crisisops.review._shared import check_not_before

__all__ = [
    "IMPROVEMENT_TRANSITIONS",
    "ImprovementAction",
    "ImprovementKind",
    "ImprovementStatus",
    "Lesson",
    "LessonKind",
    "LessonTheme",
]

_labels = Labels.of

_OPTIONAL_MOMENT = is_optional(is_aware_datetime())


# --- lesson themes and kinds ---------------------------------------------------


class LessonTheme(enum.Enum):
    """The five lesson themes of book §6.2 總結經驗和教訓.

    Every lesson falls under one, so lessons can be counted per theme across
    reviews (e.g. "most of our lessons are about communication").
    """

    SENSITIVITY = "sensitivity"
    SPEED = "speed"
    COMMUNICATION = "communication"
    FLEXIBILITY = "flexibility"
    DATA_MONITORING = "data_monitoring"

    def __str__(self) -> str:
        """Return the key, e.g. ``"data_monitoring"``."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The theme's name in English, 繁體 (the book's heading) and 简体."""
        return _THEME_LABELS[self]

    @property
    def book_section(self) -> str:
        """The book section (and its numbered point) that states the theme."""
        return _THEME_SECTIONS[self]


_THEME_LABELS = {
    LessonTheme.SENSITIVITY: _labels(
        "Sensitivity to crisis signals", "識別危機的敏感性", "识别危机的敏感性"
    ),
    LessonTheme.SPEED: _labels(
        "Fast response mechanism", "建立快速反應機制", "建立快速反应机制"
    ),
    LessonTheme.COMMUNICATION: _labels(
        "Communication and collaboration", "溝通與協作的重要性", "沟通与协作的重要性"
    ),
    LessonTheme.FLEXIBILITY: _labels(
        "Flexible strategy adjustment", "靈活調整策略", "灵活调整策略"
    ),
    LessonTheme.DATA_MONITORING: _labels(
        "Data analysis and monitoring", "重視數據分析與監控", "重视数据分析与监控"
    ),
}
_THEME_SECTIONS = {
    LessonTheme.SENSITIVITY: "§6.2 總結經驗和教訓 一、識別危機的敏感性",
    LessonTheme.SPEED: "§6.2 總結經驗和教訓 二、建立快速反應機制",
    LessonTheme.COMMUNICATION: "§6.2 總結經驗和教訓 三、溝通與協作的重要性",
    LessonTheme.FLEXIBILITY: "§6.2 總結經驗和教訓 四、靈活調整策略",
    LessonTheme.DATA_MONITORING: "§6.2 總結經驗和教訓 五、重視數據分析與監控",
}


class LessonKind(enum.Enum):
    """What a lesson records: the Google SRE postmortem's three lists.

    *What went well*, *what went wrong* and *where we got lucky* (Beyer et al.
    2016, *Site Reliability Engineering*, "Example Postmortem"); the book's
    §6.1 四、總結經驗教訓 asks the same: "哪些措施是有效的,哪些措施需要改進".
    A lucky lesson is a risk that did not bite this time and deserves an
    action as much as a failure does.
    """

    WENT_WELL = "went_well"
    WENT_POORLY = "went_poorly"
    LUCKY = "lucky"

    def __str__(self) -> str:
        """Return the key, e.g. ``"went_poorly"``."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The kind's name in English, 繁體 and 简体."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    LessonKind.WENT_WELL: _labels("What went well", "做得好的", "做得好的"),
    LessonKind.WENT_POORLY: _labels("What went poorly", "需要改進的", "需要改进的"),
    LessonKind.LUCKY: _labels("Where we got lucky", "僥倖之處", "侥幸之处"),
}


@attrs.frozen(kw_only=True)
class Lesson:
    """One lesson learned from a crisis (book §6.2 總結經驗和教訓).

    Attributes
    ----------
    key
        Key of the lesson, unique within its review, e.g. ``"late_alert"``;
        improvement actions refer to it.
    kind
        Went well, went poorly, or lucky.
    theme
        Which of the book's five lesson themes it falls under.
    text
        The lesson itself, in a sentence or two.
    evidence
        What supports it (a metric, a timeline entry, a message), if noted.
    """

    key: str = attrs.field(validator=is_key())
    kind: LessonKind = attrs.field(validator=is_enum(LessonKind))
    theme: LessonTheme = attrs.field(validator=is_enum(LessonTheme))
    text: str = attrs.field(validator=is_text())
    evidence: str = attrs.field(default="", validator=is_text(allow_empty=True))


# --- improvement actions -----------------------------------------------------


class ImprovementKind(enum.Enum):
    """The type of an improvement action (postmortem action item).

    The first five are the categories of Lunney, Lueder & O'Connor (2017), "Postmortem
    Action Items: Plan the Work and Work the Plan" (*;login:* 42 (1)):
    *investigate* this incident, *mitigate* it, *repair* the damage, *detect*
    future incidents, *prevent* future incidents (their "mitigate future
    incidents" is folded into *prevent* and *mitigate*). *Process* is the
    Google SRE example postmortem's type for changes to how people work
    (playbooks, checklists); *training* is book §6.3 四、團隊建設與培訓強化
    ("定期進行相關培訓") and §4.1 培訓與演練. Monzo's three action types map
    onto them: detective → detect, preventative → prevent, corrective →
    mitigate/repair.
    """

    INVESTIGATE = "investigate"
    MITIGATE = "mitigate"
    REPAIR = "repair"
    DETECT = "detect"
    PREVENT = "prevent"
    PROCESS = "process"
    TRAINING = "training"

    def __str__(self) -> str:
        """Return the key, e.g. ``"detect"``."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The kind's name in English, 繁體 and 简体."""
        return _IMPROVEMENT_KIND_LABELS[self]

    @property
    def looks_forward(self) -> bool:
        """Whether the action is about future crises rather than this one.

        Investigate, mitigate and repair deal with the crisis just reviewed;
        detect, prevent, process and training change how the next one goes.
        """
        return self in _FORWARD_KINDS


_FORWARD_KINDS = frozenset(
    {
        ImprovementKind.DETECT,
        ImprovementKind.PREVENT,
        ImprovementKind.PROCESS,
        ImprovementKind.TRAINING,
    }
)
_IMPROVEMENT_KIND_LABELS = {
    ImprovementKind.INVESTIGATE: _labels("Investigate", "調查", "调查"),
    ImprovementKind.MITIGATE: _labels("Mitigate", "緩解", "缓解"),
    ImprovementKind.REPAIR: _labels("Repair damage", "修復損害", "修复损害"),
    ImprovementKind.DETECT: _labels("Detect earlier", "改進預警", "改进预警"),
    ImprovementKind.PREVENT: _labels("Prevent", "預防", "预防"),
    ImprovementKind.PROCESS: _labels("Process change", "流程優化", "流程优化"),
    ImprovementKind.TRAINING: _labels("Training", "培訓與演練", "培训与演练"),
}


class ImprovementStatus(enum.Enum):
    """Where an improvement action stands (Rootly's open/in progress/done/cancelled).

    ``DONE`` and ``CANCELLED`` are final; see `IMPROVEMENT_TRANSITIONS`.

    Examples
    --------
    >>> from crisisops.review.lessons import IMPROVEMENT_TRANSITIONS, ImprovementStatus
    >>> [(s.value, s.is_outstanding, s.labels.zh_hant) for s in ImprovementStatus]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('open', True, '待辦'), ('in_progress', True, '進行中'),
     ('done', False, '已完成'), ('cancelled', False, '已取消')]
    >>> [s.value for s in IMPROVEMENT_TRANSITIONS[ImprovementStatus.OPEN]]
    ['in_progress', 'done', 'cancelled']
    >>> IMPROVEMENT_TRANSITIONS[ImprovementStatus.DONE]
    ()

    A done action cannot be started again:

    >>> import datetime as dt
    >>> from crisisops.review.lessons import ImprovementAction, ImprovementKind
    >>> t0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)
    >>> action = ImprovementAction(
    ...     key="faq_update",
    ...     title="Add the delay FAQ to the help centre",
    ...     kind=ImprovementKind.MITIGATE,
    ...     owner="chen",
    ...     created_at=t0,
    ...     due_at=t0 + dt.timedelta(days=14),
    ... )
    >>> done = action.complete(at=t0 + dt.timedelta(days=2))
    >>> done.status is ImprovementStatus.DONE
    True
    >>> done.start(at=t0 + dt.timedelta(days=3))
    Traceback (most recent call last):
    ...
    crisisops.errors.TransitionError: cannot move improvement 'faq_update' from done to in_progress; allowed next: nothing
    """  # noqa: E501  doctest output is one line

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    def __str__(self) -> str:
        """Return the key, e.g. ``"in_progress"`` (used in error messages)."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The status's name in English, 繁體 and 简体."""
        return _STATUS_LABELS[self]

    @property
    def is_outstanding(self) -> bool:
        """Whether work remains: open or in progress."""
        return self in _OUTSTANDING


_OUTSTANDING = frozenset({ImprovementStatus.OPEN, ImprovementStatus.IN_PROGRESS})
_STATUS_LABELS = {
    ImprovementStatus.OPEN: _labels("Open", "待辦", "待办"),
    ImprovementStatus.IN_PROGRESS: _labels("In progress", "進行中", "进行中"),
    ImprovementStatus.DONE: _labels("Done", "已完成", "已完成"),
    ImprovementStatus.CANCELLED: _labels("Cancelled", "已取消", "已取消"),
}

#: The status changes an improvement action allows. An open action may be done
#: without being started first (small fixes), or cancelled ("not doing");
#: done and cancelled are final.
IMPROVEMENT_TRANSITIONS: dict[ImprovementStatus, tuple[ImprovementStatus, ...]] = {
    ImprovementStatus.OPEN: (
        ImprovementStatus.IN_PROGRESS,
        ImprovementStatus.DONE,
        ImprovementStatus.CANCELLED,
    ),
    ImprovementStatus.IN_PROGRESS: (
        ImprovementStatus.DONE,
        ImprovementStatus.CANCELLED,
    ),
    ImprovementStatus.DONE: (),
    ImprovementStatus.CANCELLED: (),
}

# Which timestamps each status needs and forbids.
_REQUIRED: dict[ImprovementStatus, tuple[str, ...]] = {
    ImprovementStatus.OPEN: (),
    ImprovementStatus.IN_PROGRESS: ("started_at",),
    ImprovementStatus.DONE: ("completed_at",),
    ImprovementStatus.CANCELLED: ("cancelled_at",),
}
_FORBIDDEN: dict[ImprovementStatus, tuple[str, ...]] = {
    ImprovementStatus.OPEN: ("started_at", "completed_at", "cancelled_at"),
    ImprovementStatus.IN_PROGRESS: ("completed_at", "cancelled_at"),
    ImprovementStatus.DONE: ("cancelled_at",),
    ImprovementStatus.CANCELLED: ("completed_at",),
}


def _check_playbook_step(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    """Check a ``"playbook_key.step_key"`` reference (at least two segments)."""
    if value is None:
        return
    name = field_name(attribute)
    check_key(value, name)
    assert isinstance(value, str)  # noqa: S101  narrowing for mypy
    if "." not in value:
        raise ValidationError(
            name,
            value,
            "a 'playbook_key.step_key' reference, e.g. 'customer_service.add_agents'",
        )


@attrs.frozen(kw_only=True)
class ImprovementAction:
    """One item of the continuous-improvement plan (book §6.3 持續改進).

    "基於危機處理的評估和總結經驗教訓,制定針對性的持續改進計劃" (§6.1 五、持續改進
    計劃): every action has an owner and a due date (Google's "actionable,
    specific and bounded"; Monzo and Dispatch keep both), and a status whose
    timestamps agree with it: ``OPEN`` has none, ``IN_PROGRESS`` a
    ``started_at``, ``DONE`` a ``completed_at`` (and ``started_at`` if it was
    started), ``CANCELLED`` a ``cancelled_at`` (and ``started_at`` if it was
    started). Every timestamp is at or after ``created_at``; ``completed_at``
    and ``cancelled_at`` are at or after ``started_at``.

    The optional links say what the action changes, so the portfolio can
    follow lessons back into the warning system: a monitoring trigger rule
    (typically a *detect* action), a risk-register entry (typically *prevent*)
    or a playbook step (typically *process*). They are not tied to the kind:
    a *mitigate* action may well change a playbook step.

    Attributes
    ----------
    key
        Key of the action, unique within its review.
    title
        What to do, stated so that one can tell when it is done.
    kind
        The action's type.
    owner
        Key of the member who owns it (required: an action without an owner
        is not a plan).
    due_at
        Deadline, at or after ``created_at``.
    created_at
        When the action was added.
    status
        Where it stands.
    completed_at
        When it was done (``DONE`` only).
    lesson
        Key of the lesson it answers, if any.
    trigger_rule
        Name of the monitoring `crisisops.monitoring.TriggerRule` it changes.
    risk
        Key of the risk-register entry it changes.
    playbook_step
        ``"playbook_key.step_key"`` of the playbook step it changes.
    started_at
        When work started, if it was started.
    cancelled_at
        When it was cancelled (``CANCELLED`` only).
    note
        Free text: progress notes, or why it was cancelled.
    """

    key: str = attrs.field(validator=is_key())
    title: str = attrs.field(validator=is_text())
    kind: ImprovementKind = attrs.field(validator=is_enum(ImprovementKind))
    owner: str = attrs.field(validator=is_key())
    due_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    created_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    status: ImprovementStatus = attrs.field(
        default=ImprovementStatus.OPEN, validator=is_enum(ImprovementStatus)
    )
    completed_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    lesson: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    trigger_rule: str | None = attrs.field(
        default=None, validator=is_optional(is_key())
    )
    risk: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    playbook_step: str | None = attrs.field(
        default=None, validator=_check_playbook_step
    )
    started_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    cancelled_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    note: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check the deadline, the timestamps' order and their fit with the status."""
        created = self.created_at
        check_not_before(self.due_at, "due_at", created, "created_at")
        for name in ("started_at", "completed_at", "cancelled_at"):
            check_not_before(getattr(self, name), name, created, "created_at")
        if self.started_at is not None:
            for name in ("completed_at", "cancelled_at"):
                check_not_before(
                    getattr(self, name), name, self.started_at, "started_at"
                )
        status = self.status
        for name in _REQUIRED[status]:
            if getattr(self, name) is None:
                raise ValidationError(
                    name, None, f"set for an improvement with status {status.value!r}"
                )
        for name in _FORBIDDEN[status]:
            value = getattr(self, name)
            if value is not None:
                raise ValidationError(
                    name, value, f"None for an improvement with status {status.value!r}"
                )

    # --- queries ---------------------------------------------------------------

    def is_overdue(self, as_of: dt.datetime) -> bool:
        """Return whether the action is outstanding and past its due date at ``as_of``.

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``as_of`` is not an aware datetime.
        """
        check_aware(as_of, "as_of")
        return self.status.is_outstanding and instant(self.due_at) < instant(as_of)

    @property
    def finished_on_time(self) -> bool | None:
        """For a done action, whether it was done by its due date; else ``None``."""
        if self.status is not ImprovementStatus.DONE or self.completed_at is None:
            return None
        return instant(self.completed_at) <= instant(self.due_at)

    # --- status changes (each returns a new action) ----------------------------

    def _moved(self, target: ImprovementStatus, at: dt.datetime) -> None:
        """Check that ``target`` may follow the current status at ``at``."""
        if target not in IMPROVEMENT_TRANSITIONS[self.status]:
            raise TransitionError(
                f"improvement {self.key!r}",
                self.status,
                target,
                IMPROVEMENT_TRANSITIONS[self.status],
            )
        check_aware(at, "at")
        check_not_before(at, "at", self.created_at, "the improvement's created_at")
        if self.started_at is not None:
            check_not_before(at, "at", self.started_at, "the improvement's started_at")

    def start(self, *, at: dt.datetime) -> ImprovementAction:
        """Return the action in progress from ``at``.

        Raises
        ------
        TransitionError
            Unless the action is open.
        InvalidTypeError, ValidationError
            If ``at`` is not an aware datetime at or after ``created_at``.
        """
        self._moved(ImprovementStatus.IN_PROGRESS, at)
        return attrs.evolve(self, status=ImprovementStatus.IN_PROGRESS, started_at=at)

    def complete(
        self, *, at: dt.datetime, note: str | None = None
    ) -> ImprovementAction:
        """Return the action done at ``at`` (``note``, if given, replaces the note).

        Raises
        ------
        TransitionError
            Unless the action is open or in progress.
        InvalidTypeError, ValidationError
            If ``at`` is not an aware datetime at or after ``created_at`` and
            ``started_at``, or ``note`` is not a str.
        """
        self._moved(ImprovementStatus.DONE, at)
        return attrs.evolve(
            self,
            status=ImprovementStatus.DONE,
            completed_at=at,
            note=self.note if note is None else note,
        )

    def cancel(self, *, at: dt.datetime, note: str | None = None) -> ImprovementAction:
        """Return the action cancelled ("not doing") at ``at``; ``note`` says why.

        Raises
        ------
        TransitionError
            Unless the action is open or in progress.
        InvalidTypeError, ValidationError
            If ``at`` is not an aware datetime at or after ``created_at`` and
            ``started_at``, or ``note`` is not a str.
        """
        self._moved(ImprovementStatus.CANCELLED, at)
        return attrs.evolve(
            self,
            status=ImprovementStatus.CANCELLED,
            cancelled_at=at,
            note=self.note if note is None else note,
        )
