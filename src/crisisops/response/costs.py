"""What a crisis cost: the response (people's time) and the business loss, apart.

The book counts a crisis in what it costs: a response that is fast and well
run "減少損失" (§5 執行危機應對策略, reduces the losses), and the impact
analysis weighs the financial effect (§4 確定影響範圍: 財務影響, 評估危機對公司
收入、利潤及現金流的影響程度) against the people, material and money the
response takes (§4 資源調配: 人力、物力、財力). crisisops keeps the two sums
apart, as Netflix Dispatch does (response cost) and as FAIR does (forms of
loss), and no function adds them: an hour of the crisis lead and a refunded
order are different kinds of money.

**Response cost** — `response_cost()` — follows Dispatch's *classic* cost
model: each role assignment of the crisis (`Crisis.role_assignments`) costs

``amount = counted hours × engagement weight of the role × hourly rate``

* the assignment runs from ``assumed_at`` to ``relinquished_at``, or, while
  it is still held, to ``as_of``; only its time inside the crisis's active
  periods counts (`Crisis.active_periods`: from the declaration, or a
  reopening, to the resolution, dismissal or merge that ended it), so a role
  still held when the crisis ended stops costing then, and the time between
  a resolution and a later reopening costs nothing — a reopening never
  rewrites what the crisis had cost up to then;
* **counted hours** (the Dispatch day rule): the first 24 hours of an
  assignment count in full; every later 24 hours count
  ``RateCard.daily_hours_after_first_day`` hours (8 by default), pro rata —
  nobody works round the clock for a week. A 36-hour assignment counts
  ``24 + 12 × 8 / 24 = 28`` hours. Counted hours are rounded half-even to
  the micro-hour (`HOURS_QUANTUM`, 3.6 ms) — the only rounding anywhere —
  and written without trailing zeros (``28``, ``31.333333``);
* weights (`RateCard.weight_for`: crisis lead 1, scribe and comms
  liaison 0.75, others 0.5) and rates (`RateCard.rate_for`) come from the
  `RateCard` **frozen into the crisis** when it was declared (the
  ``rates`` of its ``CrisisDeclared`` event).

Rates are frozen because Dispatch's were not: changing the rate parameters
silently rewrote the cost of every old incident (Netflix/dispatch PR #2182,
#4172, #5179), and incremental updates in floating point drifted. Here the
cost is recomputed from the event log every time, in `decimal.Decimal`, with
the rates the crisis was declared with; a rate card edited next year cannot
reach a crisis of this year. Amounts and totals are **exact** (products and
sums of decimals, never rounded to cents): round only for display, e.g.
``total.quantize(Decimal("0.01"))``.

**Business loss** — `business_loss()` — sums the crisis's recorded losses
(`Crisis.losses`, ``LossRecorded`` events) per `LossCategory` (lost sales,
refunds and compensation, penalties, recovery spend, other), keeping
estimates and actual figures apart. The *best known* figure of a category is
its actual sum as soon as one actual entry exists (actual figures replace
the estimates), else its estimate sum.

Examples
--------
A checkout outage declared at 09:00 with a rate card in TWD; the lead holds
the role for 36 hours, a scribe joins at 10:00 and leaves at 14:00.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from crisisops.response.costs import response_cost
>>> from crisisops.response.crisis import Crisis
>>> from crisisops.response.records import RateCard
>>> from crisisops.taxonomy import ResponseLevel
>>> t0 = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
>>> hour = dt.timedelta(hours=1)
>>> card = RateCard(
...     currency="TWD",
...     hourly={"crisis_lead": Decimal("1200"), "scribe": Decimal("600")},
... )
>>> crisis = Crisis.declare(
...     "checkout_down",
...     title="Checkout down",
...     crisis_type="technical.system_failure",
...     level=ResponseLevel.II,
...     at=t0,
...     actor="ops",
...     lead="alice",
...     rates=card,
... )
>>> crisis = crisis.assign_role("scribe", "bob", at=t0 + hour, actor="alice")
>>> crisis = crisis.relinquish_role("scribe", "bob", at=t0 + 5 * hour, actor="bob")
>>> cost = response_cost(crisis, as_of=t0 + 36 * hour)
>>> [
...     f"{x.member}: {x.hours} h × {x.weight} × {x.rate} = {x.amount}"
...     for x in cost.lines
... ]
['alice: 28 h × 1 × 1200 = 33600', 'bob: 4 h × 0.75 × 600 = 1800.00']
>>> cost.currency, cost.total
('TWD', Decimal('35400.00'))

Counted hours are rounded to `HOURS_QUANTUM`: twenty minutes into the
crisis, the lead has worked a third of an hour.

>>> from crisisops.response.costs import HOURS_QUANTUM
>>> early = response_cost(crisis, as_of=t0 + dt.timedelta(minutes=20))
>>> early.lines[0].hours, (Decimal(20) / 60).quantize(HOURS_QUANTUM)
(Decimal('0.333333'), Decimal('0.333333'))
>>> early.total  # 0.333333 h × 1 × 1200
Decimal('399.999600')

Losses are recorded as they become known; the actual refund figure replaces
the estimate:

>>> from crisisops.response.costs import business_loss
>>> from crisisops.response.records import LossCategory
>>> refunds = LossCategory.REFUNDS_COMPENSATION
>>> crisis = crisis.record_loss(
...     at=t0 + 6 * hour, actor="alice", category=refunds, amount=Decimal("50000")
... )
>>> crisis = crisis.record_loss(
...     at=t0 + 30 * hour,
...     actor="alice",
...     category=refunds,
...     amount=Decimal("42318.50"),
...     estimate=False,
... )
>>> loss = business_loss(crisis)
>>> loss.best_known[refunds], loss.estimate[refunds], loss.total_best_known
(Decimal('42318.50'), Decimal('50000'), Decimal('42318.50'))

References
----------
Netflix Dispatch, ``src/dispatch/incident_cost/service.py`` (classic cost
model: engagement multipliers IC 1.0, scribe 0.75, liaison 0.75, others 0.5;
time beyond 24 h counted as 8 h a day). https://github.com/Netflix/dispatch.
The Open Group. 2013. *Risk Taxonomy (O-RT), Version 2.0* (FAIR forms of
loss: productivity, response, replacement, fines and judgments, competitive
advantage, reputation).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from crisisops._time import instant
from crisisops._validation import (
    check_amount,
    check_aware,
    field_name,
    is_aware_datetime,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    to_frozendict,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.planning import check_currency
from crisisops.response._checks import is_amount, to_decimal
from crisisops.response.crisis import Crisis, check_crisis
from crisisops.response.records import LossCategory, RateCard

__all__ = [
    "HOURS_QUANTUM",
    "BusinessLoss",
    "CostLine",
    "ResponseCost",
    "business_loss",
    "response_cost",
]

#: Counted hours are rounded (half-even) to this step: one micro-hour, 3.6 ms.
HOURS_QUANTUM = Decimal("0.000001")

_ZERO = Decimal(0)
_HOUR_US = 3_600_000_000  # microseconds in an hour
_DAY_US = 24 * _HOUR_US
# Products and sums of finite decimals are exact given enough digits; this
# context has every digit libmpdec allows and traps any rounding, so an
# inexact amount is a loud error, never a silent one.
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)
# The one division (hours from microseconds, with the day rule) is done with
# ample digits, then quantized to HOURS_QUANTUM.
_DIVIDE = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)


# --- validators and converters ---------------------------------------------


def _is_currency(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Validate an ISO 4217 code: three capital letters."""
    check_currency(value, field_name(attribute))


def _is_loss_mapping(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Validate a `FrozenDict` of `LossCategory` to a finite decimal >= 0."""
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of LossCategory to Decimal")
    for category, amount in value.items():
        if not isinstance(category, LossCategory):
            raise InvalidTypeError(f"{name} key", category, "a LossCategory")
        check_amount(amount, f"{name}[{category.value}]")


def _exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    with decimal.localcontext(_EXACT):
        return sum(amounts, _ZERO)


def _exact_product(*factors: Decimal) -> Decimal:
    with decimal.localcontext(_EXACT):
        result = Decimal(1)
        for factor in factors:
            result *= factor
        return result


# --- response cost ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class CostLine:
    """The cost of one role assignment: counted hours × weight × rate.

    Attributes
    ----------
    role
        The role key, e.g. ``"crisis_lead"``.
    member
        Who held it.
    start
        When the costed interval began (the assignment's ``assumed_at``).
    end
        The last moment counted: the assignment's ``relinquished_at``, else
        the end of the crisis's last active period it overlaps, else
        ``as_of``; cut at ``as_of``. At or after ``start`` (equal for an
        assignment that had not begun by ``as_of``).
    hours
        Counted hours of the assignment's time inside the crisis's active
        periods, after the day rule (first 24 h in full, later days at
        ``RateCard.daily_hours_after_first_day`` h per 24 h), rounded to
        `HOURS_QUANTUM`; ``>= 0``.
    weight
        The role's engagement weight (`RateCard.weight_for`); ``>= 0``.
    rate
        The role's hourly rate (`RateCard.rate_for`); ``>= 0``.
    amount
        ``hours × weight × rate``, exact (checked).

    Examples
    --------
    A scribe's four hours at weight 0.75 and 600 an hour; the amount must be
    the exact product:

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from crisisops.response.costs import CostLine
    >>> t0 = dt.datetime(2026, 11, 11, 10, 0, tzinfo=dt.timezone.utc)
    >>> four_hours = {"start": t0, "end": t0 + dt.timedelta(hours=4), "hours": 4}
    >>> line = CostLine(
    ...     role="scribe",
    ...     member="bob",
    ...     **four_hours,
    ...     weight=Decimal("0.75"),
    ...     rate=600,
    ...     amount=Decimal("1800.00"),
    ... )
    >>> line.hours * line.weight * line.rate
    Decimal('1800.00')
    >>> CostLine(
    ...     role="scribe",
    ...     member="bob",
    ...     **four_hours,
    ...     weight=Decimal("0.75"),
    ...     rate=600,
    ...     amount=Decimal(1900),
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'amount' must be hours × weight × rate = 1800.00 (got Decimal('1900'))
    """  # noqa: E501  doctest output is one line

    role: str = attrs.field(validator=is_key(dotted=False))
    member: str = attrs.field(validator=is_key())
    start: dt.datetime = attrs.field(validator=is_aware_datetime())
    end: dt.datetime = attrs.field(validator=is_aware_datetime())
    hours: Decimal = attrs.field(converter=to_decimal, validator=is_amount)
    weight: Decimal = attrs.field(converter=to_decimal, validator=is_amount)
    rate: Decimal = attrs.field(converter=to_decimal, validator=is_amount)
    amount: Decimal = attrs.field(converter=to_decimal, validator=is_amount)

    def __attrs_post_init__(self) -> None:
        """Check the interval's order and that the amount is the product."""
        if instant(self.end) < instant(self.start):
            raise ValidationError(
                "end", self.end, f"at or after start ({self.start.isoformat()})"
            )
        expected = _exact_product(self.hours, self.weight, self.rate)
        if self.amount != expected:
            raise ValidationError(
                "amount", self.amount, f"hours × weight × rate = {expected}"
            )


@attrs.frozen(kw_only=True)
class ResponseCost:
    """The response cost of a crisis as of a moment, line by line.

    Attributes
    ----------
    crisis
        The crisis key.
    currency
        The ISO 4217 currency of the crisis's frozen rate card.
    lines
        One `CostLine` per role assignment, in the order the roles were
        assumed (`Crisis.role_assignments`).
    total
        The exact sum of the lines' amounts (checked); not rounded.
    as_of
        The moment the cost is measured at: the ``as_of`` given, or, for a
        crisis that has ended and was costed without one, its last event.

    Examples
    --------
    Two lines, a lead and a scribe, four hours each; the total is their exact
    sum and `by_role` splits it per role:

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from crisisops.response.costs import CostLine, ResponseCost
    >>> t0 = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.timezone.utc)
    >>> t4 = t0 + dt.timedelta(hours=4)
    >>> lead = CostLine(
    ...     role="crisis_lead",
    ...     member="alice",
    ...     start=t0,
    ...     end=t4,
    ...     hours=4,
    ...     weight=1,
    ...     rate=1200,
    ...     amount=4800,
    ... )
    >>> scribe = CostLine(
    ...     role="scribe",
    ...     member="bob",
    ...     start=t0,
    ...     end=t4,
    ...     hours=4,
    ...     weight=Decimal("0.75"),
    ...     rate=600,
    ...     amount=Decimal("1800.00"),
    ... )
    >>> cost = ResponseCost(
    ...     crisis="checkout_down",
    ...     currency="TWD",
    ...     lines=[lead, scribe],
    ...     total=Decimal("6600.00"),
    ...     as_of=t4,
    ... )
    >>> dict(cost.by_role())
    {'crisis_lead': Decimal('4800'), 'scribe': Decimal('1800.00')}
    >>> ResponseCost(
    ...     crisis="checkout_down", currency="TWD", lines=[lead], total=6000, as_of=t4
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'total' must be the sum of the lines' amounts (4800) (got Decimal('6000'))
    """  # noqa: E501  doctest output is one line

    crisis: str = attrs.field(validator=is_text())
    currency: str = attrs.field(validator=_is_currency)
    lines: tuple[CostLine, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_instance(CostLine, "a CostLine"))
    )
    total: Decimal = attrs.field(converter=to_decimal, validator=is_amount)
    as_of: dt.datetime = attrs.field(validator=is_aware_datetime())

    def __attrs_post_init__(self) -> None:
        """Check that the total is the sum of the lines."""
        expected = _exact_sum(line.amount for line in self.lines)
        if self.total != expected:
            raise ValidationError(
                "total", self.total, f"the sum of the lines' amounts ({expected})"
            )

    def by_role(self) -> FrozenDict[str, Decimal]:
        """Return the exact cost per role, roles in the order first assumed."""
        totals: dict[str, list[Decimal]] = {}
        for line in self.lines:
            totals.setdefault(line.role, []).append(line.amount)
        return FrozenDict(
            {role: _exact_sum(amounts) for role, amounts in totals.items()}
        )


def _rates_of(crisis: Crisis) -> RateCard:
    rates = crisis.rates
    if rates is None:
        raise ValidationError(
            "rates",
            None,
            f"a RateCard frozen into crisis {crisis.key!r} when it was declared "
            "(Crisis.declare(..., rates=RateCard(...))) to cost its response",
        )
    return rates


def _counted_hours(elapsed: dt.timedelta, daily_hours: Decimal) -> Decimal:
    """Return the counted hours of ``elapsed`` under the Dispatch day rule.

    ``min(t, 24 h) + max(t - 24 h, 0) × daily_hours / 24``, in hours, rounded
    half-even to `HOURS_QUANTUM`, without trailing zeros.
    """
    micros = max(elapsed // dt.timedelta(microseconds=1), 0)
    first = min(micros, _DAY_US)
    later = micros - first
    with decimal.localcontext(_DIVIDE):
        # (first·24 + later·daily) / (24 · µs per hour), one division.
        numerator = Decimal(first * 24) + Decimal(later) * daily_hours
        hours = (numerator / Decimal(24 * _HOUR_US)).quantize(HOURS_QUANTUM)
    # Drop the zeros the quantum adds (28.000000 -> 28, 1.500000 -> 1.5), so
    # amounts carry only the digits the inputs have.
    if hours == hours.to_integral_value():
        return hours.quantize(Decimal(1))
    return hours.normalize(_DIVIDE)


def _last_counted(crisis: Crisis, start: dt.datetime, stop: dt.datetime) -> dt.datetime:
    """Return the last moment of ``[start, stop]`` in an active period (else start)."""
    ends = [
        stop if end is None else min(instant(end), stop)
        for begin, end in crisis.active_periods
        if instant(begin) < stop
    ]
    return max([start, *ends])


def _cost_as_of(crisis: Crisis, as_of: dt.datetime | None) -> dt.datetime:
    """Validate ``as_of`` for costing and return the moment of the cost."""
    if as_of is None:
        if crisis.ended_at is None:
            raise ValidationError(
                "as_of",
                None,
                f"a timezone-aware moment: crisis {crisis.key!r} is still "
                f"{crisis.status} (not ended), so its cost needs an as_of",
            )
        return crisis.last_event_at
    check_aware(as_of, "as_of")
    if instant(as_of) < instant(crisis.declared_at):
        raise ValidationError(
            "as_of",
            as_of,
            f"at or after the declaration of crisis {crisis.key!r} "
            f"({crisis.declared_at.isoformat()})",
        )
    return as_of


def response_cost(crisis: Crisis, *, as_of: dt.datetime | None = None) -> ResponseCost:
    """Return the response cost of a crisis: role-weighted hours × frozen rates.

    See the module docstring for the model (Dispatch classic, with the day
    rule). Each `Crisis.role_assignments` entry gives one `CostLine`, costed
    over the part of ``[assumed_at, relinquished_at or as_of]`` (cut at
    ``as_of``) that lies in `Crisis.active_periods`; an assignment that began
    after ``as_of`` gets a line of zero hours (`Crisis.active_time`). The
    cost as of a moment is therefore the same whatever the crisis did later,
    a reopening included. Rates and weights come from `Crisis.rates`, the
    `RateCard` frozen in the crisis's ``CrisisDeclared`` event, never from a
    card passed in, so the cost of a crisis can only change through its own
    events. Drills are costed like real crises (their hours are real);
    metrics leave them out.

    The cost is monotone in ``as_of``: a later ``as_of`` never lowers it.

    Parameters
    ----------
    crisis
        The crisis.
    as_of
        The moment to cost up to; timezone-aware, not before the crisis was
        declared. Required while the crisis has not ended
        (``crisis.ended_at is None``); for an ended crisis it defaults to the
        whole log (its last event).

    Returns
    -------
    ResponseCost

    Raises
    ------
    InvalidTypeError
        If ``crisis`` is not a `Crisis`, or ``as_of`` not a datetime.
    NaiveDatetimeError
        For a naive ``as_of``.
    ValidationError
        ``as_of`` missing while the crisis is active, or before its
        declaration; ``rates``: the crisis was declared without a rate card.
    UnknownKeyError
        For a role with no hourly rate and no default rate on the card,
        naming the role and suggesting close role keys.
    """
    check_crisis(crisis)
    moment = _cost_as_of(crisis, as_of)
    rates = _rates_of(crisis)
    now = instant(moment)
    lines: list[CostLine] = []
    for assignment in crisis.role_assignments:
        role = assignment.role
        if role not in rates.hourly and rates.default_hourly is None:
            raise UnknownKeyError(
                f"role with an hourly rate on the rate card of crisis {crisis.key!r} "
                "(and the card has no default_hourly)",
                role,
                rates.hourly.keys(),
            )
        start_at = instant(assignment.assumed_at)
        released = assignment.relinquished_at
        stop = now if released is None else min(instant(released), now)
        elapsed = crisis.active_time(start_at, stop)
        end_at = _last_counted(crisis, start_at, stop)
        hours = _counted_hours(elapsed, rates.daily_hours_after_first_day)
        weight = rates.weight_for(role)
        rate = rates.rate_for(role)
        lines.append(
            CostLine(
                role=role,
                member=assignment.member,
                start=assignment.assumed_at,
                end=end_at.astimezone(assignment.assumed_at.tzinfo),
                hours=hours,
                weight=weight,
                rate=rate,
                amount=_exact_product(hours, weight, rate),
            )
        )
    return ResponseCost(
        crisis=crisis.key,
        currency=rates.currency,
        lines=tuple(lines),
        total=_exact_sum(line.amount for line in lines),
        as_of=moment,
    )


# --- business loss ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class BusinessLoss:
    """The business loss of a crisis by category, estimates and actuals apart.

    Only categories with at least one entry of the kind appear in ``actual``
    and ``estimate`` (a missing key means "nothing recorded", not zero);
    categories are in `LossCategory` order.

    Attributes
    ----------
    crisis
        The crisis key.
    currency
        The currency of the crisis's rate card, or ``None`` if it has none
        (the amounts are then in the shop's own currency, unnamed).
    actual
        Per category, the sum of the entries recorded as actual figures.
    estimate
        Per category, the sum of the entries recorded as estimates.
    best_known
        Per category with any entry: the actual sum if the category has an
        actual entry, else the estimate sum.
    total_actual
        Sum of ``actual``.
    total_estimate
        Sum of ``estimate``.
    total_best_known
        Sum of ``best_known``.

    Examples
    --------
    Refunds were estimated at 50,000 and then booked at 42,318.50; lost sales
    are only estimated. The actual refunds replace their estimate in the best
    known figures:

    >>> from decimal import Decimal
    >>> from crisisops.response.costs import BusinessLoss
    >>> from crisisops.response.records import LossCategory
    >>> refunds, sales = LossCategory.REFUNDS_COMPENSATION, LossCategory.LOST_SALES
    >>> loss = BusinessLoss(
    ...     crisis="checkout_down",
    ...     currency="TWD",
    ...     actual={refunds: Decimal("42318.50")},
    ...     estimate={refunds: Decimal(50000), sales: Decimal(120000)},
    ...     best_known={refunds: Decimal("42318.50"), sales: Decimal(120000)},
    ...     total_actual=Decimal("42318.50"),
    ...     total_estimate=Decimal(170000),
    ...     total_best_known=Decimal("162318.50"),
    ... )
    >>> loss.best_known[refunds], loss.total_best_known
    (Decimal('42318.50'), Decimal('162318.50'))

    `business_loss()` builds one from a crisis's ``LossRecorded`` events (see
    the module docstring).
    """

    crisis: str = attrs.field(validator=is_text())
    currency: str | None = attrs.field(validator=is_optional(_is_currency))
    actual: FrozenDict[LossCategory, Decimal] = attrs.field(
        converter=to_frozendict, validator=_is_loss_mapping
    )
    estimate: FrozenDict[LossCategory, Decimal] = attrs.field(
        converter=to_frozendict, validator=_is_loss_mapping
    )
    best_known: FrozenDict[LossCategory, Decimal] = attrs.field(
        converter=to_frozendict, validator=_is_loss_mapping
    )
    total_actual: Decimal = attrs.field(converter=to_decimal, validator=is_amount)
    total_estimate: Decimal = attrs.field(converter=to_decimal, validator=is_amount)
    total_best_known: Decimal = attrs.field(converter=to_decimal, validator=is_amount)

    def __attrs_post_init__(self) -> None:
        """Check that best-known figures and totals follow from the sums."""
        expected = _best_known(self.actual, self.estimate)
        if dict(self.best_known) != dict(expected):
            raise ValidationError(
                "best_known",
                self.best_known,
                f"the actual sum where one exists, else the estimate ({expected!r})",
            )
        for name, mapping in (
            ("total_actual", self.actual),
            ("total_estimate", self.estimate),
            ("total_best_known", self.best_known),
        ):
            total = _exact_sum(mapping.values())
            if getattr(self, name) != total:
                raise ValidationError(name, getattr(self, name), f"the sum {total}")


def _best_known(
    actual: FrozenDict[LossCategory, Decimal],
    estimate: FrozenDict[LossCategory, Decimal],
) -> FrozenDict[LossCategory, Decimal]:
    return FrozenDict(
        {
            category: actual[category] if category in actual else estimate[category]
            for category in LossCategory
            if category in actual or category in estimate
        }
    )


def business_loss(crisis: Crisis) -> BusinessLoss:
    """Return the crisis's recorded business loss per category.

    Sums the ``LossRecorded`` events (`Crisis.losses`) per `LossCategory`,
    estimates and actual figures separately, exactly in `Decimal`. The best
    known figure of a category is its actual sum once any actual entry exists
    — actual figures supersede estimates — else its estimate sum. Several
    entries of one kind add up (e.g. refunds paid on two days); to correct
    an estimate, record the actual figure. Kept apart from `response_cost()`:
    nothing here adds the two.

    Parameters
    ----------
    crisis
        The crisis.

    Returns
    -------
    BusinessLoss

    Raises
    ------
    InvalidTypeError
        If ``crisis`` is not a `Crisis`.
    """
    check_crisis(crisis)
    actual: dict[LossCategory, list[Decimal]] = {}
    estimate: dict[LossCategory, list[Decimal]] = {}
    for entry in crisis.losses:
        target = estimate if entry.estimate else actual
        target.setdefault(entry.category, []).append(entry.amount)
    actual_sums = FrozenDict(
        {c: _exact_sum(actual[c]) for c in LossCategory if c in actual}
    )
    estimate_sums = FrozenDict(
        {c: _exact_sum(estimate[c]) for c in LossCategory if c in estimate}
    )
    best = _best_known(actual_sums, estimate_sums)
    rates = crisis.rates
    return BusinessLoss(
        crisis=crisis.key,
        currency=None if rates is None else rates.currency,
        actual=actual_sums,
        estimate=estimate_sums,
        best_known=best,
        total_actual=_exact_sum(actual_sums.values()),
        total_estimate=_exact_sum(estimate_sums.values()),
        total_best_known=_exact_sum(best.values()),
    )
