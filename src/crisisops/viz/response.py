"""The crisis timeline: actions as a Gantt chart, the critical path, the levels (§5).

Book §5 (執行危機應對策略) wants every solution concrete, with an owner and a
deadline (明確責任人及執行時間), and the response adjusted as the crisis moves
(實時反饋與調整策略). `crisis_timeline` draws one `Crisis` from its event log:
above, its response level over time as a band in the level's colour (each
escalation or de-escalation starts a new stretch); below, one bar per
action from its start to its completion (the critical path of its playbook
in red), a tick at each deadline, and the lifecycle milestones (detected,
declared, contained, recovered, resolved) as dotted lines.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from crisisops._time import instant
from crisisops._validation import check_aware
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.labels import Labels
from crisisops.response import Action, ActionStatus, Crisis, Milestone
from crisisops.viz._common import (
    CRITICAL_COLOUR,
    LEVEL_COLOURS,
    check_language,
    check_title,
    date_axis,
    date_number,
    date_numbers,
    new_figure,
    term,
    tolerate_missing_glyphs,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["ACTION_COLOUR", "crisis_timeline"]

#: Colour of an action that is not on the critical path.
ACTION_COLOUR = "#78909c"

_labels = Labels.of
_LEVEL = _labels("Response level", "響應級別", "响应级别")
_ACTIONS = _labels("Actions", "應對措施", "应对措施")
_CRITICAL = _labels("critical path", "關鍵路徑", "关键路径")
_OTHER = _labels("other actions", "其他措施", "其他措施")
_WAITING = _labels("not started: created → due", "未開始", "未开始")
_DUE = _labels("deadline", "執行時間", "执行时间")
#: The milestones drawn, each a vertical line in its own colour and style.
_DRAWN: tuple[tuple[Milestone, str, str], ...] = (
    (Milestone.IMPACT_STARTED, "#8e24aa", ":"),
    (Milestone.DETECTED, "#ef6c00", "--"),
    (Milestone.DECLARED, "#c62828", "-."),
    (Milestone.CONTAINED, "#1565c0", "--"),
    (Milestone.RECOVERED, "#2e7d32", ":"),
    (Milestone.RESOLVED, "#1b5e20", "-"),
)


def _span(action: Action, end: dt.datetime) -> tuple[dt.datetime, dt.datetime, bool]:
    """Return where an action's bar starts and ends, and whether work began."""
    if action.status is ActionStatus.DONE and action.completed_at is not None:
        return action.started_at or action.created_at, action.completed_at, True
    if action.status is ActionStatus.CANCELLED and action.cancelled_at is not None:
        return action.started_at or action.created_at, action.cancelled_at, False
    if action.started_at is not None:  # in progress, or blocked after starting
        return action.started_at, max(end, action.started_at, key=instant), True
    return action.created_at, action.due_at, False


def _short_key(action: Action) -> str:
    prefix = f"{action.playbook}."
    if action.playbook and action.key.startswith(prefix):
        return action.key[len(prefix) :]
    return action.key


def _end_of(crisis: Crisis, as_of: object) -> dt.datetime:
    if as_of is not None:
        moment = check_aware(as_of, "as_of")
        if instant(moment) < instant(crisis.declared_at):
            raise ValidationError(
                "as_of",
                moment,
                f"a moment at or after the declaration ({crisis.declared_at})",
            )
        return moment
    resolved = crisis.milestones.resolved
    return crisis.last_event_at if resolved is None else resolved


def _check_window(window: object) -> tuple[dt.datetime, dt.datetime] | None:
    if window is None:
        return None
    if not isinstance(window, (tuple, list)) or len(window) != 2:
        raise InvalidTypeError("window", window, "a (start, end) pair or None")
    start = check_aware(window[0], "window[0]")
    end = check_aware(window[1], "window[1]")
    if instant(end) <= instant(start):
        raise ValidationError("window[1]", end, f"a moment after window[0] ({start})")
    return start, end


def crisis_timeline(
    crisis: Crisis,
    *,
    as_of: dt.datetime | None = None,
    window: tuple[dt.datetime, dt.datetime] | None = None,
    language: str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw a crisis: the level band above, the actions as a Gantt chart below.

    Each action is a bar from ``started_at`` to ``completed_at`` (to
    ``as_of`` while it runs); an action not started yet is a faint, hatched
    bar from its creation to its deadline, a cancelled one ends where it was
    cancelled. Bars on the critical path (``Action.critical``, the longest
    chain of the playbook) are red (`CRITICAL_COLOUR`), the others grey
    (`ACTION_COLOUR`); a black tick marks each deadline (``due_at``). The
    level band has one stretch per entry of ``crisis.level_changes`` in the
    level's colour (`LEVEL_COLOURS`), up to the resolution (or ``as_of``).
    The milestones reached (impact started, detected, declared, contained,
    recovered, resolved) are vertical lines across both, named with their
    time in the legend: the gap from impact to detection is the time to
    detect.

    Parameters
    ----------
    crisis
        The `Crisis`.
    as_of
        The moment to draw up to (aware); default the resolution, else the
        last event. Running actions end here.
    window
        ``(start, end)`` of the time axis, to zoom in (e.g. on the first
        days' actions); default from the first moment to the last one
        drawn.
    language
        ``None`` for English and Traditional Chinese, or a language tag.
    title
        The title; default the crisis's title and key.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes sharing the time axis: the level band (one span per level
        stretch, ``gid`` ``"level:<i>"``) and the Gantt chart (one bar per
        action in ``crisis.actions`` order, top to bottom, ``gid``
        ``"action:<key>"``; one scatter of deadlines, ``gid`` ``"due"``; one
        line per milestone reached, ``gid`` ``"milestone:<name>"``).

    Raises
    ------
    InvalidTypeError
        For a crisis that is not a `Crisis`, or a bad ``as_of``, ``window``
        or title.
    NaiveDatetimeError, ValidationError
        For a naive moment, an ``as_of`` before the declaration, or a window
        that ends before it starts.
    UnknownKeyError
        For an unknown language tag.
    MissingExtraError
        Without matplotlib.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.response import Crisis
    >>> from crisisops.taxonomy import ResponseLevel
    >>> at = dt.datetime(2026, 5, 4, 9, tzinfo=dt.timezone.utc)
    >>> crisis = Crisis.declare(
    ...     "site_down",
    ...     title="Site down",
    ...     crisis_type="technical.system_failure",
    ...     level=ResponseLevel.III,
    ...     at=at,
    ...     actor="mei",
    ...     lead="mei",
    ... )
    >>> crisis = crisis.escalate(
    ...     at=at + dt.timedelta(hours=2),
    ...     actor="mei",
    ...     reason="checkout down too",
    ... )
    >>> band, gantt = crisis_timeline(crisis, language="en").axes
    >>> len(band.patches), gantt.get_ylabel()
    (2, 'Actions')
    """
    if not isinstance(crisis, Crisis):
        raise InvalidTypeError("crisis", crisis, "a Crisis")
    end = _end_of(crisis, as_of)
    zoom = _check_window(window)
    chosen_language = check_language(language)
    chosen_title = check_title(title)
    actions = crisis.actions
    spans = [_span(action, end) for action in actions]
    if zoom is None:
        impact = crisis.milestones.impact_started
        first = [crisis.declared_at, *(s for s, _, _ in spans)]
        last = [end, *(e for _, e, _ in spans), *(a.due_at for a in actions)]
        zoom = (
            min([*first, *([] if impact is None else [impact])], key=instant),
            max(last, key=instant),
        )
    tz = crisis.declared_at.tzinfo

    with tolerate_missing_glyphs():
        rows = max(len(actions), 3)
        figure = new_figure("crisis_timeline", width=11.0, height=2.0 + 0.34 * rows)
        band, gantt = figure.subplots(
            2, 1, sharex=True, height_ratios=[1.0, rows / 2.0]
        )
        _draw_levels(band, crisis, end, chosen_language)
        handles: list[Artist] = []
        handles += _draw_actions(gantt, actions, spans, chosen_language)
        handles += _draw_milestones(band, gantt, crisis, end, chosen_language)
        gantt.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8
        )
        span = date_number(zoom[1]) - date_number(zoom[0])
        gantt.set_xlim(
            date_number(zoom[0]) - 0.02 * span, date_number(zoom[1]) + 0.02 * span
        )
        date_axis(gantt, tz)
        band.set_title(
            f"{crisis.title} ({crisis.key})" if chosen_title is None else chosen_title
        )
    return figure


def _draw_levels(
    axes: Axes,
    crisis: Crisis,
    end: dt.datetime,
    language: str | None,
) -> None:
    changes = crisis.level_changes
    moments = [change.at for change in changes] + [end]
    for position, change in enumerate(changes):  # a few escalations at most
        left = date_number(moments[position])
        right = date_number(moments[position + 1])
        axes.axvspan(
            left,
            right,
            color=LEVEL_COLOURS[change.level],
            gid=f"level:{position}",
        )
        axes.text(
            (left + right) / 2.0,
            0.5,
            f"{change.level.value} {term(change.level.labels, language)}",
            ha="center",
            va="center",
            fontsize=8,
            clip_on=True,
        )
    axes.set_ylim(0.0, 1.0)
    axes.set_yticks([])
    axes.set_ylabel(
        term(_LEVEL, language), rotation=0, ha="right", va="center", fontsize=8
    )


def _draw_actions(
    axes: Axes,
    actions: tuple[Action, ...],
    spans: list[tuple[dt.datetime, dt.datetime, bool]],
    language: str | None,
) -> list[Artist]:
    from matplotlib.lines import Line2D  # noqa: PLC0415  lazy extra
    from matplotlib.patches import Patch  # noqa: PLC0415  lazy extra

    rows = np.arange(len(actions))
    if actions:
        lefts = date_numbers([s for s, _, _ in spans])
        rights = date_numbers([e for _, e, _ in spans])
        colours = [CRITICAL_COLOUR if a.critical else ACTION_COLOUR for a in actions]
        bars = axes.barh(
            rows,
            rights - lefts,
            left=lefts,
            height=0.6,
            color=colours,
            edgecolor="#37474f",
            linewidth=0.6,
        )
        for bar, action, (_, _, started) in zip(bars, actions, spans, strict=True):
            bar.set_gid(f"action:{action.key}")
            if not started:
                bar.set_alpha(0.35)
                bar.set_hatch("//")
        axes.scatter(
            date_numbers([a.due_at for a in actions]),
            rows,
            marker="|",
            s=220,
            color="black",
            zorder=3,
            gid="due",
        )
    axes.set_yticks(rows, [f"{_short_key(a)} · {a.owner}" for a in actions], fontsize=8)
    axes.set_ylim(len(actions) - 0.5 if actions else 0.5, -0.5)
    axes.set_ylabel(term(_ACTIONS, language))
    axes.grid(visible=True, axis="x", alpha=0.3)
    return [
        Patch(facecolor=CRITICAL_COLOUR, label=term(_CRITICAL, language)),
        Patch(facecolor=ACTION_COLOUR, label=term(_OTHER, language)),
        Patch(
            facecolor=ACTION_COLOUR,
            alpha=0.35,
            hatch="//",
            label=term(_WAITING, language),
        ),
        Line2D(
            [],
            [],
            color="black",
            marker="|",
            linestyle="",
            markersize=12,
            label=term(_DUE, language),
        ),
    ]


def _draw_milestones(
    band: Axes,
    gantt: Axes,
    crisis: Crisis,
    end: dt.datetime,
    language: str | None,
) -> list[Artist]:
    tz = crisis.declared_at.tzinfo
    milestones = crisis.milestones
    handles: list[Artist] = []
    for milestone, colour, style in _DRAWN:  # six named moments
        moment: dt.datetime | None = getattr(milestones, milestone.value)
        if moment is None or instant(moment) > instant(end):
            continue
        x = date_number(moment)
        band.axvline(x, color=colour, linestyle=style, linewidth=1.2)
        handles.append(
            gantt.axvline(
                x,
                color=colour,
                linestyle=style,
                linewidth=1.2,
                label=f"{term(milestone.labels, language)} "
                f"{moment.astimezone(tz):%m-%d %H:%M}",
                gid=f"milestone:{milestone.value}",
            )
        )
    return handles
