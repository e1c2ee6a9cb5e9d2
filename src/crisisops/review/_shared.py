"""Private helpers shared by the review modules: one definition of each fact.

The portfolio figures (`crisisops.review.portfolio`), the prevention list
(`crisisops.review.prevention`) and the re-tuning (`crisisops.review.retune`)
read the same facts from crises and reviews; each used to carry its own copy,
and the copies had begun to disagree. They live here once:

* **onset** of a crisis – its impact start, else its detection, else its
  declaration (`onset`); **detected** – its detection, else its declaration
  (`detected`);
* **settled** – a crisis from ``CONFIRMED`` to ``REVIEWED`` is a confirmed
  crisis, a ``DISMISSED`` one a false alarm (誤報), a ``DETECTED`` one is
  still undecided (`settled`); a ``MERGED`` crisis stands for the crisis it
  was merged into (`final_crisis`);
* the **current review** of a crisis – its latest review (a reopened crisis
  may be reviewed again), among those written by a moment (`latest_reviews`);
* which **trigger rule answers for** a crisis – one of the rule's crisis type
  or a sub-type of it, or one started by an alert of the rule
  (`answers_for`, `alert_rule_entity`);
* the input checks every entry point runs on an iterable of crises or reviews,
  a count validator, and microsecond timestamps for numpy arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

from crisisops._time import instant
from crisisops._validation import check_key, field_name
from crisisops.errors import DuplicateKeyError, InvalidTypeError, ValidationError
from crisisops.response import (
    Crisis,
    CrisisStatus,
    Milestones,
    Origin,
    OriginKind,
)
from crisisops.taxonomy import ResponseLevel

if TYPE_CHECKING:
    from crisisops.review.record import Review

__all__ = [
    "EPOCH",
    "MICROSECOND",
    "NEVER",
    "Named",
    "alert_rule_entity",
    "answers_for",
    "check_not_before",
    "check_unique_keys",
    "crisis_list",
    "detected",
    "final_crisis",
    "is_count",
    "items_of",
    "latest_reviews",
    "micros",
    "micros_of",
    "onset",
    "origin_alerts",
    "peak_level",
    "settled",
]

IntArray = npt.NDArray[np.int64]
T = TypeVar("T")

EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
MICROSECOND: Final = dt.timedelta(microseconds=1)
#: A moment later than any other, as microseconds (a missing end, "never").
NEVER: Final = int(np.iinfo(np.int64).max)

_CONFIRMED: Final = frozenset(
    {
        CrisisStatus.CONFIRMED,
        CrisisStatus.RESPONDING,
        CrisisStatus.CONTAINED,
        CrisisStatus.RECOVERING,
        CrisisStatus.RESOLVED,
        CrisisStatus.REVIEWED,
    }
)


# --- time as numbers -------------------------------------------------------------


def micros(moment: dt.datetime) -> int:
    """Return ``moment`` as integer microseconds since the Unix epoch (UTC)."""
    return (instant(moment) - EPOCH) // MICROSECOND


def micros_of(moments: Iterable[dt.datetime]) -> IntArray:
    """Return moments as an int64 array of microseconds since the epoch."""
    return np.fromiter((micros(m) for m in moments), dtype=np.int64)


def check_not_before(
    value: dt.datetime | None, field: str, earlier: dt.datetime, name: str
) -> None:
    """Raise unless ``value`` (if set) is at or after ``earlier``, as instants."""
    if value is not None and instant(value) < instant(earlier):
        raise ValidationError(
            field, value, f"a moment at or after {name} ({earlier.isoformat()})"
        )


# --- validators and input checks -------------------------------------------------


class Named:
    """Stand-in attribute so a shared validator names a field or an argument."""

    __slots__ = ("alias", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.alias = name


def is_count(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Validate an int >= 0 (not a bool): an attrs validator."""
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int >= 0")
    if value < 0:
        raise ValidationError(name, value, "an int >= 0")


def items_of(values: object, field: str, kind: type[T], expected: str) -> list[T]:
    """Return ``values`` as a list after checking it holds only ``kind`` items.

    A string, a mapping or a single ``kind`` value is refused as a whole
    (``field``); a wrong item is named by its index (``field[i]``).
    """
    if isinstance(values, (str, bytes, Mapping, kind)) or not isinstance(
        values, Iterable
    ):
        raise InvalidTypeError(field, values, expected)
    items = list(values)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidTypeError(f"{field}[{index}]", item, f"a {kind.__name__}")
    return items


def check_unique_keys(items: Iterable[Any], kind: str) -> None:
    """Raise `DuplicateKeyError` for two items with one ``key``."""
    seen: set[str] = set()
    for item in items:
        if item.key in seen:
            raise DuplicateKeyError(kind, item.key)
        seen.add(item.key)


def crisis_list(crises: object, field: str = "crises") -> list[Crisis]:
    """Check an iterable of crises with distinct keys; return it as a list."""
    items = items_of(crises, field, Crisis, "an iterable of crisisops.response.Crisis")
    check_unique_keys(items, "crisis")
    return items


# --- what a crisis was -------------------------------------------------------------


def onset(marks: Milestones) -> dt.datetime:
    """When a crisis began: its impact start, else its detection, else its declaration.

    The impact start defaults to the earliest signal onset of the crisis's
    origins (an alert's first breach, `crisisops.response.Crisis.declare`).
    """
    moment = marks.impact_started or marks.detected or marks.declared
    if moment is None:  # a declared crisis always has its declaration
        raise ValidationError("milestones.declared", None, "a declaration moment")
    return moment


def detected(marks: Milestones) -> dt.datetime:
    """When a crisis was detected: its ``detected`` milestone, else its declaration."""
    moment = marks.detected or marks.declared
    if moment is None:
        raise ValidationError("milestones.declared", None, "a declaration moment")
    return moment


def peak_level(crisis: Crisis) -> ResponseLevel:
    """Return the most severe level the crisis held (Level I beats Level II)."""
    return max(change.level for change in crisis.level_changes)


def settled(status: CrisisStatus) -> bool | None:
    """Whether a status says confirmed (``True``), false alarm (``False``) or neither.

    ``CONFIRMED`` … ``REVIEWED`` is a confirmed crisis, ``DISMISSED`` a false
    alarm; ``DETECTED`` (still being triaged) and ``MERGED`` (it stands for its
    merge target: see `final_crisis`) are ``None``.
    """
    if status in _CONFIRMED:
        return True
    if status is CrisisStatus.DISMISSED:
        return False
    return None


def final_crisis(crisis: Crisis, by_key: Mapping[str, Crisis]) -> Crisis | None:
    """Follow merges to the crisis that carries the response; ``None`` if not given."""
    seen = {crisis.key}
    while crisis.status is CrisisStatus.MERGED:
        target = crisis.merged_into
        if target is None or target in seen or target not in by_key:
            return None
        seen.add(target)
        crisis = by_key[target]
    return crisis


def latest_reviews(
    reviews: Iterable[Review], *, as_of: dt.datetime | None = None
) -> dict[str, Review]:
    """Return the current review of each crisis: its latest one, by ``created_at``.

    A reopened crisis may be reviewed again; the later review supersedes the
    earlier. With ``as_of``, only reviews written (created) at or before it
    count, so a figure dated ``as_of`` reads the same later. Ties keep the
    review given last. The result keeps the order of first appearance.
    """
    moment = None if as_of is None else instant(as_of)
    latest: dict[str, Review] = {}
    for review in reviews:
        created = instant(review.created_at)
        if moment is not None and created > moment:
            continue
        held = latest.get(review.crisis)
        if held is None or instant(held.created_at) <= created:
            latest[review.crisis] = review
    return latest


# --- which rule answers for which crisis -------------------------------------------


def alert_rule_entity(reference: str) -> tuple[str, str] | None:
    """Split an alert id ``rule/entity/episode[/no_data]`` into (rule, entity).

    ``None`` for a reference that is not shaped like an alert id
    (`crisisops.monitoring.Alert.id`).
    """
    parts = reference.split("/")
    if parts[-1] == "no_data":
        parts = parts[:-1]
    if len(parts) < 3 or not parts[-1].isdigit():  # rule/entity/episode
        return None
    entity = "/".join(parts[1:-1])
    if not entity.strip() or not parts[0]:
        return None
    return parts[0], entity


def origin_alerts(origins: Iterable[Origin]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the rules and entities of the alert origins, in first-seen order.

    A reference whose rule part is not a well-formed key names no rule (its
    entity still counts).
    """
    rules: dict[str, None] = {}
    entities: dict[str, None] = {}
    for origin in origins:
        if origin.kind is not OriginKind.ALERT:
            continue
        parts = alert_rule_entity(origin.reference)
        if parts is None:
            continue
        if _is_key(parts[0]):
            rules[parts[0]] = None
        entities[parts[1]] = None
    return tuple(rules), tuple(entities)


def _is_key(text: str) -> bool:
    try:
        check_key(text, "rule")
    except ValidationError:
        return False
    return True


def answers_for(
    rule: str, rule_type: str, crisis_type: str, crisis_rules: Iterable[str]
) -> bool:
    """Whether a trigger rule should have caught a crisis (its recall counts it).

    It should when the crisis is of the rule's crisis type or a sub-type of
    it (``market`` answers for ``market.demand_shift``), or when an alert of
    the rule is among the crisis's origins (the rule raised it, whatever type
    it was confirmed as).
    """
    return (
        crisis_type == rule_type
        or crisis_type.startswith(rule_type + ".")
        or rule in crisis_rules
    )
