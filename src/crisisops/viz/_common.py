"""What every crisisops figure shares: colours, languages, the lazy matplotlib import.

Nothing here imports matplotlib at module level: `new_figure` asks
`crisisops._optional.require` for it the first time a figure is built, so
``import crisisops.viz`` stays as light as the core.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from crisisops._optional import require
from crisisops._validation import check_str
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.taxonomy import ResponseLevel

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CRITICAL_COLOUR",
    "EXTRA",
    "LEVEL_COLOURS",
    "NO_LEVEL_COLOUR",
    "check_language",
    "check_title",
    "date_axis",
    "date_number",
    "date_numbers",
    "level_colour",
    "new_figure",
    "term",
    "tolerate_missing_glyphs",
]

#: The optional extra that installs matplotlib.
EXTRA = "viz"

#: Fill colour of each `ResponseLevel`, after its warning colour (book §3
#: 層級劃分; the four-tier convention of `crisisops.taxonomy`): Level I red,
#: II orange, III yellow, IV blue, in tones light enough for black text.
LEVEL_COLOURS: FrozenDict[ResponseLevel, str] = FrozenDict(
    {
        ResponseLevel.I: "#e8543f",
        ResponseLevel.II: "#f39c34",
        ResponseLevel.III: "#f7d547",
        ResponseLevel.IV: "#5b9bd5",
    }
)
#: Colour of something without a level (a no-data alert).
NO_LEVEL_COLOUR = "#9e9e9e"
#: Colour of the actions on the critical path in a crisis timeline.
CRITICAL_COLOUR = "#c0392b"

# matplotlib's words, e.g. "Glyph 39640 (...) missing from font(s) DejaVu Sans."
_MISSING_GLYPH = r"Glyph .* missing from"
_PROBE = Labels(en="-", zh_hant="-", zh_hans="-")


@contextlib.contextmanager
def tolerate_missing_glyphs() -> Iterator[None]:
    """Ignore matplotlib's "Glyph ... missing from font(s)" warning, and only it.

    The book's Chinese terms need a CJK font that the default font lacks;
    crisisops sets no font, so it silences that one warning while it lays
    out or draws a figure (`crisisops.viz._figure.BookFigure`).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_MISSING_GLYPH, category=UserWarning)
        yield


def new_figure(feature: str, *, width: float, height: float) -> Figure:
    """Return an empty figure (constrained layout), importing matplotlib now.

    Raises
    ------
    MissingExtraError
        If matplotlib is not installed (``pip install 'crisisops[viz]'``).
    """
    require("matplotlib.figure", extra=EXTRA, feature=feature)
    from crisisops.viz._figure import BookFigure  # noqa: PLC0415  needs matplotlib

    return BookFigure(figsize=(width, height), layout="constrained")


def check_language(language: object) -> str | None:
    """Return ``language`` if it is ``None`` or a language tag crisisops has.

    ``None`` means both scripts: ``"High (高)"``; a tag (``"en"``,
    ``"zh-Hant"``, ``"zh-Hans"``, ``"zh-TW"``, ...) means that language only.

    Raises
    ------
    InvalidTypeError, UnknownKeyError
        For a value that is not a str, or a tag without labels.
    """
    if language is None:
        return None
    _PROBE.get(language)  # type: ignore[arg-type]  # raises, naming 'language'
    assert isinstance(language, str)  # noqa: S101  narrowing for mypy
    return language


def check_title(title: object) -> str | None:
    """Return ``title`` if it is ``None`` (the default title) or a str."""
    if title is not None and not isinstance(title, str):
        raise InvalidTypeError("title", title, "a str or None")
    return title


def term(labels: Labels, language: str | None) -> str:
    """Return ``labels`` in ``language``; both scripts when it is ``None``."""
    return str(labels) if language is None else labels.get(language)


def level_colour(level: ResponseLevel | None) -> str:
    """Return the fill colour of a response level (grey for none)."""
    return NO_LEVEL_COLOUR if level is None else LEVEL_COLOURS[level]


def _dates() -> Any:  # noqa: ANN401  matplotlib.dates, partly untyped
    """Return ``matplotlib.dates`` (loaded by `new_figure` already)."""
    return require("matplotlib.dates", extra="viz", feature="crisisops.viz")


def date_axis(axes: Axes, tz: dt.tzinfo | None) -> None:
    """Put dates on the x axis, read in ``tz`` (the data's own zone, not UTC)."""
    dates = _dates()
    locator = dates.AutoDateLocator(tz=tz)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=tz))


def date_number(moment: dt.datetime) -> float:
    """Return matplotlib's number for an aware moment (days since its epoch)."""
    return float(_dates().date2num(moment))


def date_numbers(moments: Sequence[dt.datetime]) -> npt.NDArray[np.float64]:
    """Return matplotlib's numbers for aware moments, as a float64 array."""
    numbers = _dates().date2num(list(moments))
    return np.asarray(numbers, dtype=np.float64).reshape(-1)


T = TypeVar("T")


def named_items(
    mapping: Mapping[object, object], field: str, kind: type[T], what: str
) -> list[tuple[str, T]]:
    """Check a non-empty mapping of name → ``kind`` (a figure's series).

    ``field`` names the argument in errors, ``what`` the kind in words
    (``"a LossDistribution"``). Returns the items in the mapping's order.
    """
    if not mapping:
        raise ValidationError(field, mapping, f"at least one {what.split(' ', 1)[1]}")
    named: list[tuple[str, T]] = []
    for name, value in mapping.items():
        check_str(name, f"{field} key")
        if not isinstance(value, kind):
            raise InvalidTypeError(f"{field}[{name!r}]", value, what)
        named.append((str(name), value))
    return named
