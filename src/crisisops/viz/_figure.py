"""The `Figure` every crisisops figure is: matplotlib's, tolerant of missing glyphs.

This module imports matplotlib at its top, so nothing imports it at
``import crisisops.viz``: `crisisops.viz._common.new_figure` loads it after
`crisisops._optional.require` has checked that matplotlib is installed.

The figures carry the book's terms in Chinese (風險矩陣, 利益相關者, ...). The
default matplotlib font (DejaVu Sans) has no CJK glyphs, and crisisops sets
no font (that is the application's choice), so rendering such a label makes
matplotlib warn "Glyph ... missing from font(s)" and draw a box. The warning
comes when the figure is drawn (``savefig``, ``canvas.draw``), long after the
crisisops function returned; `BookFigure` therefore silences exactly that
warning, and only while it draws itself, so code that runs with
``-W error`` (as the test suite does) can render and save the figures. Install
a CJK font (e.g. Noto Sans CJK) and name it in ``rcParams["font.sans-serif"]``
to see the characters.
"""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.artist import Artist
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from crisisops.viz._common import tolerate_missing_glyphs

__all__ = ["BookFigure"]


class BookFigure(Figure):
    """A matplotlib `Figure` that draws without warning about missing CJK glyphs.

    Everything else is matplotlib's own `Figure`: save it with ``savefig``,
    embed it in a GUI or a notebook, add axes to it.
    """

    def draw(self, renderer: RendererBase) -> None:
        """Draw the figure, ignoring only the missing-glyph warnings."""
        with tolerate_missing_glyphs():
            super().draw(renderer)

    def get_tightbbox(
        self,
        renderer: RendererBase | None = None,
        *,
        bbox_extra_artists: Iterable[Artist] | None = None,
    ) -> Bbox:
        """Measure the figure (``bbox_inches="tight"``), ignoring missing glyphs."""
        with tolerate_missing_glyphs():
            return super().get_tightbbox(
                renderer, bbox_extra_artists=bbox_extra_artists
            )
