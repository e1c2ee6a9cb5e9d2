"""The ``--plots DIR`` option the examples share (figures need ``crisisops[viz]``).

Every example prints its story; with ``--plots DIR`` it also saves its
figures as PNG files there. The library never writes files: the examples do,
with these two helpers.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plots_directory(
    argv: Sequence[str] | None = None, description: str | None = None
) -> Path | None:
    """Return the directory of ``--plots DIR``, or ``None`` without the option.

    Unknown arguments are ignored: the tests run the examples inside pytest,
    whose own arguments are still on the command line.
    """
    parser = argparse.ArgumentParser(description=description, allow_abbrev=False)
    parser.add_argument(
        "--plots",
        type=Path,
        metavar="DIR",
        help="also save the figures as PNG files in DIR (needs crisisops[viz])",
    )
    arguments, _ = parser.parse_known_args(argv)
    plots: Path | None = arguments.plots
    return plots


def save_figures(directory: Path, figures: Mapping[str, Figure]) -> None:
    """Save each figure as a PNG file in ``directory`` and print its path."""
    directory.mkdir(parents=True, exist_ok=True)
    print()
    for name, figure in figures.items():
        path = directory / name
        figure.savefig(path, dpi=120)
        print(f"saved {path}")
