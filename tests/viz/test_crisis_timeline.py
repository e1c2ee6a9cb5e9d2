"""The crisis timeline: one bar per action, the critical path in red, the level band."""

from __future__ import annotations

import datetime as dt

import pytest

from crisisops.errors import InvalidTypeError, NaiveDatetimeError, ValidationError
from crisisops.taxonomy import ResponseLevel
from crisisops.viz import ACTION_COLOUR, CRITICAL_COLOUR, LEVEL_COLOURS, crisis_timeline

from .build import crisis, edges, find, num, offsets, rgba

HOUR = dt.timedelta(hours=1)


def test_each_action_is_a_bar_from_start_to_completion_critical_ones_red() -> None:
    state = crisis()

    band, gantt = crisis_timeline(state, language="en").axes

    bars = [p for p in gantt.patches if str(p.get_gid()).startswith("action:")]
    assert [f"action:{a.key}" for a in state.actions] == [b.get_gid() for b in bars]
    expected = [CRITICAL_COLOUR if a.critical else ACTION_COLOUR for a in state.actions]
    assert [rgba(c)[:3] for c in expected] == [b.get_facecolor()[:3] for b in bars]
    # The first step ran 11:00 to 14:00 on 4 May; the second started at 15:00
    # and still runs at the last event, containment at 15:00 on 5 May.
    done, running, waiting = bars[0], bars[1], bars[2]
    first, second, third = state.actions[:3]
    assert first.started_at is not None
    assert first.completed_at is not None
    assert (num(first.started_at), num(first.completed_at)) == pytest.approx(
        edges(done)
    )
    assert second.started_at is not None
    assert (num(second.started_at), num(state.last_event_at)) == pytest.approx(
        edges(running)
    )
    # Not started: faint and hatched, from its creation to its deadline.
    assert (num(third.created_at), num(third.due_at)) == pytest.approx(edges(waiting))
    assert "//" == waiting.get_hatch()
    assert 0.35 == waiting.get_alpha()
    assert [
        "analyse_sales_drop · hao",
        "adjust_product_strategy · wei",
        "strengthen_promotion · lan",
        "improve_service · wei",
        "track_recovery · hao",
        "review_and_drill · mei",
    ] == [t.get_text() for t in gantt.get_yticklabels()]
    assert "Sales slump (sales_slump)" == band.get_title()


def test_a_tick_marks_every_deadline_on_its_row() -> None:
    state = crisis()

    gantt = crisis_timeline(state).axes[1]

    points = offsets(find(gantt.collections, "due"))
    assert [num(a.due_at) for a in state.actions] == pytest.approx(
        points[:, 0].tolist()
    )
    assert list(range(len(state.actions))) == points[:, 1].tolist()


def test_the_level_band_has_one_stretch_per_level_in_its_colour() -> None:
    state = crisis()

    band = crisis_timeline(state).axes[0]

    # Declared III at 09:00, II from 12:00, III again from 05:00 the next day,
    # up to the last event (contained at 15:00 on 5 May).
    spans = [p for p in band.patches if str(p.get_gid()).startswith("level:")]
    assert [ResponseLevel.III, ResponseLevel.II, ResponseLevel.III] == [
        change.level for change in state.level_changes
    ]
    moments = [c.at for c in state.level_changes] + [state.last_event_at]
    for position, span in enumerate(spans):
        level = state.level_changes[position].level
        assert rgba(LEVEL_COLOURS[level])[:3] == span.get_facecolor()[:3]
        assert (num(moments[position]), num(moments[position + 1])) == pytest.approx(
            edges(span)
        )
    assert ["III 較大", "II 重大", "III 較大"] == [
        t.get_text() for t in crisis_timeline(state, language="zh-Hant").axes[0].texts
    ]


def test_the_milestones_reached_are_lines_named_in_the_legend() -> None:
    state = crisis()

    gantt = crisis_timeline(state, language="en").axes[1]

    lines = [ln for ln in gantt.lines if str(ln.get_gid()).startswith("milestone:")]
    # Impact 03:00, detected = declared 09:00, contained 15:00 the next day;
    # not recovered or resolved yet. (Acknowledged is not drawn.)
    assert [
        "milestone:impact_started",
        "milestone:detected",
        "milestone:declared",
        "milestone:contained",
    ] == [ln.get_gid() for ln in lines]
    legend = gantt.get_legend()
    assert legend is not None
    texts = [t.get_text() for t in legend.get_texts()]
    assert "Impact started 05-04 03:00" in texts
    assert "Contained 05-05 15:00" in texts


def test_as_of_and_window_choose_what_is_drawn() -> None:
    state = crisis()
    declared = state.declared_at

    band, gantt = crisis_timeline(
        state,
        as_of=declared + 10 * HOUR,
        window=(declared, declared + 12 * HOUR),
    ).axes

    assert num(declared + 10 * HOUR) == pytest.approx(edges(gantt.patches[1])[1])
    span = num(declared + 12 * HOUR) - num(declared)
    assert (
        num(declared) - 0.02 * span,
        num(declared + 12 * HOUR) + 0.02 * span,
    ) == pytest.approx(gantt.get_xlim())
    # At 19:00 on 4 May the level is still II: the band ends there.
    assert num(declared + 10 * HOUR) == pytest.approx(edges(band.patches[-1])[1])


@pytest.mark.parametrize(
    ("value", "arguments", "error", "match"),
    [
        ("crisis", {}, InvalidTypeError, "'crisis'"),
        (crisis(), {"as_of": dt.datetime(2026, 5, 5)}, NaiveDatetimeError, "'as_of'"),  # noqa: DTZ001
        (
            crisis(),
            {"as_of": dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)},
            ValidationError,
            "'as_of'",
        ),
        (crisis(), {"window": "May"}, InvalidTypeError, "'window'"),
        (
            crisis(),
            {
                "window": (
                    dt.datetime(2026, 5, 5, tzinfo=dt.timezone.utc),
                    dt.datetime(2026, 5, 4, tzinfo=dt.timezone.utc),
                )
            },
            ValidationError,
            r"'window\[1\]'",
        ),
        (crisis(), {"title": ["x"]}, InvalidTypeError, "'title'"),
    ],
)
def test_bad_timeline_input_is_refused(
    value: object, arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        crisis_timeline(value, **arguments)  # type: ignore[arg-type]
