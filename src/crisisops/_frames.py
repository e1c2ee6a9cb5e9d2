"""What the pandas adapters of every stage share (optional extra ``pandas``).

`crisisops.monitoring.frames` and `crisisops.risk.frames` both turn aware
datetimes into a time-zoned ``DatetimeIndex`` and response levels into an
ordered categorical; the risk stage may not import monitoring, so the shared
pieces live here, below both. pandas is never imported by this module: the
callers pass the module they loaded with `crisisops._optional.require`.

Examples
--------
>>> import datetime as dt
>>> zone = dt.timezone(dt.timedelta(hours=8))
>>> stamps = [dt.datetime(2026, 3, 1, 9, tzinfo=zone), None]
>>> one_zone(stamps, lambda i: f"stamps[{i}]") is zone
True
>>> one_zone([None], lambda i: f"stamps[{i}]")
datetime.timezone.utc
>>> check_tz(zone) is zone, check_tz(None)
(True, None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.taxonomy import ResponseLevel

__all__ = ["check_tz", "level_dtype", "one_zone", "utc_index", "utc_micros"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)
#: numpy's NaT, as an int64.
NAT = np.iinfo(np.int64).min


def check_tz(tz: object) -> dt.tzinfo | None:
    """Return the ``tz`` argument of a frame function, checked.

    Raises
    ------
    InvalidTypeError
        If ``tz`` is neither a ``datetime.tzinfo`` nor ``None``.
    """
    if tz is not None and not isinstance(tz, dt.tzinfo):
        raise InvalidTypeError(
            "tz",
            tz,
            "a datetime.tzinfo such as datetime.timezone.utc or "
            "zoneinfo.ZoneInfo('Asia/Taipei'), or None to keep the time zone",
        )
    return tz


def level_dtype(pd: ModuleType) -> Any:  # noqa: ANN401  a pandas dtype
    """Return the ordered categorical of response levels, least severe first.

    Sorting, ``min`` and ``max`` then follow severity, as `ResponseLevel`
    comparisons do: ``max`` is the most severe level.
    """
    levels = sorted(ResponseLevel, key=lambda level: level.severity)
    return pd.CategoricalDtype([level.value for level in levels], ordered=True)


def one_zone(
    stamps: Sequence[dt.datetime | None], field: Callable[[int], str]
) -> dt.tzinfo:
    """Return the time zone every stamp shares (UTC if there is none).

    Raises
    ------
    ValidationError
        Naming the first stamp (``field(position)``) in another zone: a
        DataFrame column holds one time zone.
    """
    zone: dt.tzinfo | None = None
    first = 0
    for position, stamp in enumerate(stamps):
        if stamp is None:
            continue
        if zone is None:
            zone, first = stamp.tzinfo, position
        elif stamp.tzinfo is not zone and stamp.tzinfo != zone:
            raise ValidationError(
                field(position),
                stamp,
                f"a datetime in the time zone of {field(first)} ({zone}): a "
                "DataFrame column holds one time zone, so pass tz= to convert "
                "every timestamp to one",
            )
    return dt.timezone.utc if zone is None else zone


def utc_micros(stamps: Sequence[dt.datetime | None]) -> npt.NDArray[np.int64]:
    """Return microseconds since the epoch of aware stamps (``None`` → `NAT`)."""
    return np.array(
        [
            NAT if stamp is None else (stamp - _EPOCH) // _MICROSECOND
            for stamp in stamps
        ],
        dtype=np.int64,
    )


def utc_index(
    pd: ModuleType,
    micros: npt.NDArray[np.int64],
    zone: dt.tzinfo,
    field: str,
) -> Any:  # noqa: ANN401  a pandas DatetimeIndex
    """Return ``micros`` (from `utc_micros`) as a ``DatetimeIndex`` in ``zone``.

    Raises
    ------
    ValidationError
        Naming ``field`` if pandas cannot hold ``zone``.
    """
    index = pd.DatetimeIndex(micros.view("datetime64[us]")).tz_localize(dt.timezone.utc)
    try:
        return index.tz_convert(zone)
    except (TypeError, ValueError, AttributeError) as error:
        raise ValidationError(
            field,
            zone,
            "a time zone pandas can hold (datetime.timezone, zoneinfo.ZoneInfo "
            "or dateutil.tz)",
        ) from error
