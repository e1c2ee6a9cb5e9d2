"""The figure tests render with Agg: no display, no GUI toolkit."""

from __future__ import annotations

import matplotlib as mpl

mpl.use("Agg")
