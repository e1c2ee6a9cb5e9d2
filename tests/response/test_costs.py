"""Response cost (role-weighted hours × frozen rates) and business loss."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.response.costs import (
    HOURS_QUANTUM,
    BusinessLoss,
    CostLine,
    ResponseCost,
    business_loss,
    response_cost,
)
from crisisops.response.crisis import Crisis
from crisisops.response.lifecycle import CrisisMode
from crisisops.response.records import LossCategory, RateCard
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)
LEAD = "crisis_lead"

LOST_SALES = LossCategory.LOST_SALES
REFUNDS = LossCategory.REFUNDS_COMPENSATION
PENALTIES = LossCategory.PENALTIES


def _card(**changes: Any) -> RateCard:
    values: dict[str, Any] = {
        "currency": "TWD",
        "hourly": {
            LEAD: Decimal(1000),
            "scribe": Decimal(400),
            "comms_liaison": Decimal(600),
        },
    }
    values.update(changes)
    return RateCard(**values)


def _declare(
    key: str = "checkout_down",
    *,
    rates: RateCard | None = None,
    mode: CrisisMode = CrisisMode.REAL,
) -> Crisis:
    return Crisis.declare(
        key,
        title="Checkout down",
        crisis_type="technical.system_failure",
        level=ResponseLevel.II,
        at=T0,
        actor="ops",
        lead="alice",
        mode=mode,
        rates=rates,
    )


def _staffed(rates: RateCard | None = None) -> Crisis:
    """A crisis with four role assignments, still active after 30 hours.

    alice leads from 0 h and hands off to dave at 30 h; bob is scribe from
    1 h to 5 h; carol is comms liaison from 2 h on.
    """
    crisis = _declare(rates=rates if rates is not None else _card())
    crisis = crisis.confirm(at=T0 + H / 2, actor="alice", root_cause="Bad deploy")
    crisis = crisis.assign_role("scribe", "bob", at=T0 + H, actor="alice")
    crisis = crisis.assign_role("comms_liaison", "carol", at=T0 + 2 * H, actor="alice")
    crisis = crisis.relinquish_role("scribe", "bob", at=T0 + 5 * H, actor="bob")
    return crisis.assign_role(LEAD, "dave", at=T0 + 30 * H, actor="alice")


def _resolved(rates: RateCard | None = None) -> Crisis:
    """`_staffed`, contained at 40 h, recovered at 44 h, resolved at 48 h."""
    crisis = _staffed(rates)
    crisis = crisis.mark_contained(at=T0 + 40 * H, actor="dave")
    crisis = crisis.mark_recovered(at=T0 + 44 * H, actor="dave")
    return crisis.resolve(at=T0 + 48 * H, actor="dave")


def _json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


# --- hand-worked response cost ---------------------------------------------------


def test_cost_of_a_resolved_crisis_is_worked_out_by_hand() -> None:
    cost = response_cost(_resolved())

    # Each line: counted hours (first 24 h in full, later hours at 8/24) ×
    # weight (lead 1, scribe and liaison 0.75) × rate.
    # alice, lead, 0 h → 30 h (hand-off): 24 + 6·8/24 = 26 h; 26·1·1000 = 26000
    # bob, scribe, 1 h → 5 h: 4 h; 4·0.75·400 = 1200
    # carol, liaison, 2 h → 48 h (crisis resolved): 46 h → 24 + 22·8/24
    #   = 31.3333… h, rounded to the micro-hour 31.333333;
    #   31.333333·0.75·600 = 14099.99985
    # dave, lead, 30 h → 48 h: 18 h; 18·1·1000 = 18000
    expected = [
        (LEAD, "alice", Decimal(26), Decimal(1), Decimal(1000), Decimal(26000)),
        ("scribe", "bob", Decimal(4), Decimal("0.75"), Decimal(400), Decimal(1200)),
        (
            "comms_liaison",
            "carol",
            Decimal("31.333333"),
            Decimal("0.75"),
            Decimal(600),
            Decimal("14099.99985"),
        ),
        (LEAD, "dave", Decimal(18), Decimal(1), Decimal(1000), Decimal(18000)),
    ]
    assert expected == [
        (line.role, line.member, line.hours, line.weight, line.rate, line.amount)
        for line in cost.lines
    ]
    # 26000 + 1200 + 14099.99985 + 18000, exact, not rounded to cents
    assert Decimal("59299.99985") == cost.total
    assert "TWD" == cost.currency
    assert "checkout_down" == cost.crisis
    assert T0 + 48 * H == cost.as_of  # the last event: the resolution
    assert [T0 + 30 * H, T0 + 5 * H, T0 + 48 * H, T0 + 48 * H] == [
        line.end for line in cost.lines
    ]


def test_by_role_adds_the_lines_of_each_role() -> None:
    cost = response_cost(_resolved())

    # lead: 26000 + 18000; scribe 1200; liaison 14099.99985
    assert {
        LEAD: Decimal(44000),
        "scribe": Decimal(1200),
        "comms_liaison": Decimal("14099.99985"),
    } == dict(cost.by_role())


def test_cost_as_of_cuts_every_interval() -> None:
    cost = response_cost(_resolved(), as_of=T0 + 3 * H)

    # alice 0→3 h: 3·1·1000 = 3000; bob 1→3 h: 2·0.75·400 = 600;
    # carol 2→3 h: 1·0.75·600 = 450; dave has not started: 0 h, 0
    assert [Decimal(3000), Decimal(600), Decimal(450), Decimal(0)] == [
        line.amount for line in cost.lines
    ]
    assert Decimal(4050) == cost.total
    assert T0 + 3 * H == cost.as_of
    assert T0 + 30 * H == cost.lines[3].start == cost.lines[3].end


def test_an_active_crisis_is_costed_up_to_as_of() -> None:
    crisis = _staffed()

    cost = response_cost(crisis, as_of=T0 + 54 * H)

    # alice 30 h → 26 h counted = 26000; bob 4 h = 1200;
    # carol 2→54 h = 52 h: 24 + 28·8/24 = 33.333333 h, ·0.75·600 = 14999.99985;
    # dave 30→54 h = 24 h: 24000
    assert [
        Decimal(26000),
        Decimal(1200),
        Decimal("14999.99985"),
        Decimal(24000),
    ] == [line.amount for line in cost.lines]


def test_a_later_as_of_than_the_end_changes_nothing() -> None:
    crisis = _resolved()

    assert response_cost(crisis) == attrs.evolve(
        response_cost(crisis, as_of=T0 + 100 * H), as_of=T0 + 48 * H
    )


def test_the_time_between_a_resolution_and_a_reopening_costs_nothing() -> None:
    crisis = _resolved().reopen(at=T0 + 50 * H, actor="dave", reason="back again")

    cost = response_cost(crisis, as_of=T0 + 52 * H)

    # Active 0 → 48 h (resolved) and 50 h (reopened) → 52 h; the gap 48 → 50 h
    # is not response time. carol 2 → 48 h + 50 → 52 h = 48 h,
    # 24 + 24·8/24 = 32 h; dave 30 → 48 h + 50 → 52 h = 20 h.
    assert [Decimal(26), Decimal(4), Decimal(32), Decimal(20)] == [
        line.hours for line in cost.lines
    ]
    assert T0 + 52 * H == cost.lines[3].end


def test_a_reopening_never_rewrites_the_cost_up_to_then() -> None:
    resolved = _resolved()
    # Reopened thirty days after the resolution at 48 h.
    reopened = resolved.reopen(at=T0 + 768 * H, actor="dave", reason="back again")

    # As of a moment in the gap, the cost is what it was before the reopening.
    in_the_gap = T0 + 400 * H
    assert attrs.evolve(response_cost(resolved), as_of=in_the_gap) == (
        response_cost(reopened, as_of=in_the_gap)
    )
    # One hour after the reopening, one more active hour and none for the
    # thirty days in between: carol 47 h → 24 + 23·8/24 = 31.666667 h;
    # dave 19 h (the gap alone would have counted 24 + 29·8 = 256 h more).
    later = response_cost(reopened, as_of=T0 + 769 * H)
    assert [Decimal(26), Decimal(4), Decimal("31.666667"), Decimal(19)] == [
        line.hours for line in later.lines
    ]


def test_default_rate_and_engagement_cover_unlisted_roles() -> None:
    card = _card(default_hourly=Decimal(300))
    crisis = _declare(rates=card).assign_role(
        "legal_counsel", "erin", at=T0, actor="alice"
    )

    line = response_cost(crisis, as_of=T0 + 2 * H).lines[1]

    # 2 h · default weight 0.5 · default rate 300 = 300
    assert ("legal_counsel", Decimal(2), Decimal("0.5"), Decimal(300)) == (
        line.role,
        line.hours,
        line.weight,
        line.rate,
    )
    assert Decimal(300) == line.amount


def test_the_day_rule_uses_the_cards_hours_per_later_day() -> None:
    crisis = _declare(rates=_card(daily_hours_after_first_day=Decimal(12)))

    line = response_cost(crisis, as_of=T0 + 72 * H).lines[0]

    # 72 h = 24 h in full + 48 h at 12/24: 24 + 24 = 48 h
    assert Decimal(48) == line.hours


def test_a_drill_is_costed_like_a_real_crisis() -> None:
    drill = _declare(rates=_card(), mode=CrisisMode.DRILL)

    assert Decimal(2000) == response_cost(drill, as_of=T0 + 2 * H).total


def test_timezones_do_not_change_the_cost() -> None:
    crisis = _resolved()

    in_taipei = response_cost(crisis, as_of=(T0 + 3 * H).astimezone(TAIPEI))

    assert response_cost(crisis, as_of=T0 + 3 * H).total == in_taipei.total


# --- frozen rates -----------------------------------------------------------


def test_rates_changed_after_the_declaration_never_change_the_cost() -> None:
    hourly = {LEAD: Decimal(1000), "scribe": Decimal(400), "comms_liaison": 600}
    card = _card(hourly=hourly)
    crisis = _resolved(card)
    before = response_cost(crisis)

    # The dict the card was built from changes, and next year's card differs:
    hourly[LEAD] = Decimal(5000)
    next_year = attrs.evolve(card, hourly={LEAD: 9000}, default_hourly=Decimal(1))
    newer_crisis = _resolved(next_year)

    assert before == response_cost(crisis)
    assert Decimal("59299.99985") == response_cost(crisis).total
    assert response_cost(newer_crisis).total != before.total
    assert card == crisis.rates


def test_cost_is_recomputed_identically_from_the_stored_events() -> None:
    crisis = _resolved()
    stored = [_json(to_data(event)) for event in crisis.events]

    restored = Crisis.from_events(
        [
            from_data(type(event), doc)
            for event, doc in zip(crisis.events, stored, strict=True)
        ]
    )

    assert response_cost(crisis) == response_cost(restored)


money = st.decimals(min_value=0, max_value=100_000, places=2)


@settings(max_examples=40, deadline=None)
@given(lead_rate=money, scribe_rate=money, liaison_rate=money, later_rate=money)
def test_the_cost_uses_the_card_frozen_at_the_declaration(
    lead_rate: Decimal, scribe_rate: Decimal, liaison_rate: Decimal, later_rate: Decimal
) -> None:
    frozen = _card(
        hourly={LEAD: lead_rate, "scribe": scribe_rate, "comms_liaison": liaison_rate}
    )
    crisis = _resolved(frozen)
    # The shop's rates change; a newer crisis is declared with the new card.
    _declare("later_crisis", rates=_card(hourly={LEAD: later_rate}))
    stored = Crisis.from_events(
        from_data(type(event), _json(to_data(event))) for event in crisis.events
    )

    # The hand-worked counted hours (test above) at the frozen rates: lead
    # 26 + 18 h × 1, scribe 4 h × 0.75, liaison 31.333333 h × 0.75.
    expected = (
        Decimal(44) * lead_rate
        + Decimal(3) * scribe_rate
        + Decimal("23.49999975") * liaison_rate
    )
    assert expected == response_cost(crisis).total == response_cost(stored).total
    assert frozen == stored.rates


# --- properties -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(min_value=0, max_value=200 * 3600),
    extra=st.integers(min_value=0, max_value=200 * 3600),
)
def test_cost_is_monotone_in_as_of(first: int, extra: int) -> None:
    crisis = _resolved()
    earlier = response_cost(crisis, as_of=T0 + dt.timedelta(seconds=first))
    later = response_cost(crisis, as_of=T0 + dt.timedelta(seconds=first + extra))

    assert earlier.total <= later.total
    assert all(
        a.amount <= b.amount for a, b in zip(earlier.lines, later.lines, strict=True)
    )


@settings(max_examples=80, deadline=None)
@given(
    micros=st.integers(min_value=0, max_value=30 * 24 * 3600 * 10**6),
    daily=st.integers(min_value=0, max_value=24),
)
def test_counted_hours_follow_the_day_rule_exactly(micros: int, daily: int) -> None:
    crisis = _declare(rates=_card(daily_hours_after_first_day=daily))

    line = response_cost(crisis, as_of=T0 + dt.timedelta(microseconds=micros)).lines[0]

    # min(t, 24 h) + max(t − 24 h, 0)·daily/24, in hours, as an exact fraction
    day = 24 * 3600 * 10**6
    exact = (
        Fraction(min(micros, day)) + Fraction(max(micros - day, 0) * daily, 24)
    ) / (3600 * 10**6)
    assert abs(Fraction(line.hours) - exact) <= Fraction(HOURS_QUANTUM) / 2
    assert line.amount == line.hours * line.weight * line.rate


@settings(max_examples=30, deadline=None)
@given(offset=st.integers(min_value=0, max_value=100 * 3600))
def test_response_costs_round_trip_through_plain_data(offset: int) -> None:
    cost = response_cost(_resolved(), as_of=T0 + dt.timedelta(seconds=offset))

    restored = from_data(ResponseCost, _json(to_data(cost)))

    assert cost == restored
    assert [str(line.amount) for line in cost.lines] == [
        str(line.amount) for line in restored.lines
    ]


# --- business loss ----------------------------------------------------------


def _with_losses(rates: RateCard | None = None) -> Crisis:
    crisis = _declare(rates=rates)
    entries = [
        (LOST_SALES, Decimal(100000), True),
        (LOST_SALES, Decimal(20000), True),
        (REFUNDS, Decimal(5000), True),
        (REFUNDS, Decimal("4200.50"), False),
        (REFUNDS, Decimal(300), False),
        (PENALTIES, Decimal(10000), False),
    ]
    for hours, (category, amount, estimate) in enumerate(entries, start=1):
        crisis = crisis.record_loss(
            at=T0 + hours * H,
            actor="alice",
            category=category,
            amount=amount,
            estimate=estimate,
        )
    return crisis


def test_business_loss_is_worked_out_by_hand() -> None:
    loss = business_loss(_with_losses(_card()))

    # lost sales: estimates only, 100000 + 20000 = 120000
    # refunds: estimate 5000; actual 4200.50 + 300 = 4500.50, which wins
    # penalties: actual 10000
    assert {REFUNDS: Decimal("4500.50"), PENALTIES: Decimal(10000)} == dict(loss.actual)
    assert {LOST_SALES: Decimal(120000), REFUNDS: Decimal(5000)} == dict(loss.estimate)
    assert {
        LOST_SALES: Decimal(120000),
        REFUNDS: Decimal("4500.50"),
        PENALTIES: Decimal(10000),
    } == dict(loss.best_known)
    assert Decimal("14500.50") == loss.total_actual
    assert Decimal(125000) == loss.total_estimate
    assert Decimal("134500.50") == loss.total_best_known
    assert "TWD" == loss.currency
    assert [LOST_SALES, REFUNDS, PENALTIES] == list(loss.best_known)


def test_business_loss_without_a_rate_card_has_no_currency() -> None:
    loss = business_loss(_with_losses())

    assert loss.currency is None
    assert Decimal("134500.50") == loss.total_best_known


def test_a_crisis_without_losses_has_none() -> None:
    loss = business_loss(_declare(rates=_card()))

    assert {} == dict(loss.best_known)
    assert Decimal(0) == loss.total_actual == loss.total_estimate
    assert Decimal(0) == loss.total_best_known


def test_business_loss_is_kept_apart_from_response_cost() -> None:
    crisis = _with_losses(_card())

    # Recording losses does not move the response cost: 2 h of the lead only.
    assert Decimal(2000) == response_cost(crisis, as_of=T0 + 2 * H).total


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(LossCategory),
            st.decimals(min_value=0, max_value=10**9, places=2),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_business_loss_sums_and_round_trips(
    entries: list[tuple[LossCategory, Decimal, bool]],
) -> None:
    crisis = _declare(rates=_card())
    for minutes, (category, amount, estimate) in enumerate(entries, start=1):
        crisis = crisis.record_loss(
            at=T0 + dt.timedelta(minutes=minutes),
            actor="alice",
            category=category,
            amount=amount,
            estimate=estimate,
        )

    loss = business_loss(crisis)

    assert sum((a for _, a, e in entries if not e), Decimal(0)) == loss.total_actual
    assert sum((a for _, a, e in entries if e), Decimal(0)) == loss.total_estimate
    for category in LossCategory:
        actuals = [a for c, a, e in entries if c is category and not e]
        estimates = [a for c, a, e in entries if c is category and e]
        if actuals:
            assert sum(actuals, Decimal(0)) == loss.best_known[category]
        elif estimates:
            assert sum(estimates, Decimal(0)) == loss.best_known[category]
        else:
            assert category not in loss.best_known
    assert loss == from_data(BusinessLoss, _json(to_data(loss)))


# --- bad input --------------------------------------------------------------


def test_response_cost_needs_a_crisis() -> None:
    with pytest.raises(InvalidTypeError, match="'crisis'"):
        response_cost("checkout_down", as_of=T0)  # type: ignore[arg-type]


def test_an_active_crisis_needs_as_of() -> None:
    with pytest.raises(ValidationError) as caught:
        response_cost(_staffed())

    assert "as_of" == caught.value.field
    assert "still" in str(caught.value)


def test_as_of_must_not_precede_the_declaration() -> None:
    with pytest.raises(ValidationError) as caught:
        response_cost(_staffed(), as_of=T0 - dt.timedelta(seconds=1))

    assert "as_of" == caught.value.field


def test_as_of_must_be_aware() -> None:
    with pytest.raises(NaiveDatetimeError):
        response_cost(_staffed(), as_of=dt.datetime(2026, 3, 3))  # noqa: DTZ001


def test_as_of_must_be_a_datetime() -> None:
    with pytest.raises(InvalidTypeError, match="'as_of'"):
        response_cost(_staffed(), as_of="2026-03-03")  # type: ignore[arg-type]


def test_a_crisis_without_a_rate_card_cannot_be_costed() -> None:
    with pytest.raises(ValidationError) as caught:
        response_cost(_declare(), as_of=T0 + H)

    assert "rates" == caught.value.field


def test_a_role_without_a_rate_is_named() -> None:
    crisis = _declare(rates=_card()).assign_role(
        "legal_counsel", "erin", at=T0, actor="alice"
    )

    with pytest.raises(UnknownKeyError) as caught:
        response_cost(crisis, as_of=T0 + H)

    assert "legal_counsel" == caught.value.key
    assert "hourly rate" in str(caught.value)
    assert "checkout_down" in str(caught.value)


def _line(**changes: Any) -> CostLine:
    values: dict[str, Any] = {
        "role": "scribe",
        "member": "bob",
        "start": T0,
        "end": T0 + 4 * H,
        "hours": Decimal(4),
        "weight": Decimal("0.75"),
        "rate": Decimal(400),
        "amount": Decimal(1200),
    }
    values.update(changes)
    return CostLine(**values)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"amount": Decimal(1201)}, ValidationError, "amount"),
        ({"hours": 4.0}, InvalidTypeError, "hours"),
        ({"rate": Decimal("NaN")}, ValidationError, "rate"),
        ({"weight": Decimal(-1)}, ValidationError, "weight"),
        ({"end": T0 - H}, ValidationError, "end"),
        ({"role": "Scribe"}, ValidationError, "role"),
        ({"start": dt.datetime(2026, 3, 2)}, NaiveDatetimeError, "start"),  # noqa: DTZ001
    ],
)
def test_cost_lines_refuse_bad_fields(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        _line(**changes)

    assert field == caught.value.field  # type: ignore[attr-defined]


def test_cost_lines_take_ints_as_decimals() -> None:
    assert Decimal(1200) == _line(hours=4, rate=400, weight=Decimal("0.75")).amount


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"total": Decimal(1)}, ValidationError, "total"),
        ({"currency": "twd"}, ValidationError, "currency"),
        ({"lines": ("line",)}, InvalidTypeError, "lines[0]"),
        ({"crisis": " "}, ValidationError, "crisis"),
    ],
)
def test_response_costs_refuse_bad_fields(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    values: dict[str, Any] = {
        "crisis": "checkout_down",
        "currency": "TWD",
        "lines": [_line()],
        "total": Decimal(1200),
        "as_of": T0 + 4 * H,
    }
    values.update(changes)

    with pytest.raises(error) as caught:
        ResponseCost(**values)

    assert field == caught.value.field  # type: ignore[attr-defined]


def test_business_loss_needs_a_crisis() -> None:
    with pytest.raises(InvalidTypeError, match="'crisis'"):
        business_loss(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"best_known": {REFUNDS: Decimal(5)}}, ValidationError, "best_known"),
        ({"total_actual": Decimal(1)}, ValidationError, "total_actual"),
        (
            {"estimate": {REFUNDS: Decimal(-5)}},
            ValidationError,
            "estimate[refunds_compensation]",
        ),
        ({"estimate": {"refunds": Decimal(5)}}, InvalidTypeError, "estimate key"),
        ({"actual": [1]}, InvalidTypeError, "actual"),
        ({"currency": "NT$"}, ValidationError, "currency"),
    ],
)
def test_business_losses_refuse_bad_fields(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    values: dict[str, Any] = {
        "crisis": "checkout_down",
        "currency": "TWD",
        "actual": FrozenDict({REFUNDS: Decimal(4)}),
        "estimate": FrozenDict({REFUNDS: Decimal(5)}),
        "best_known": FrozenDict({REFUNDS: Decimal(4)}),
        "total_actual": Decimal(4),
        "total_estimate": Decimal(5),
        "total_best_known": Decimal(4),
    }
    values.update(changes)

    with pytest.raises(error) as caught:
        BusinessLoss(**values)

    assert field == caught.value.field  # type: ignore[attr-defined]


def test_failed_calls_change_nothing() -> None:
    crisis = _staffed()
    events = tuple(crisis.events)

    with pytest.raises(ValidationError):
        response_cost(crisis)

    assert events == tuple(crisis.events)
