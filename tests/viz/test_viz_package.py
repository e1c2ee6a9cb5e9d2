"""The figure package: lazy matplotlib, no pyplot, no files, quiet about CJK glyphs."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import warnings

import pytest
from matplotlib.figure import Figure

from crisisops import viz
from crisisops.errors import MissingExtraError
from crisisops.risk import default_matrix
from crisisops.viz._common import tolerate_missing_glyphs

PROBE = textwrap.dedent(
    """
    import sys
    import crisisops.viz
    before = sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib")
    from crisisops.risk import default_matrix
    figure = crisisops.viz.risk_heat_map(default_matrix())
    loaded = "matplotlib.figure" in sys.modules, "matplotlib.pyplot" in sys.modules
    print(before, *loaded)
    """
)


def test_importing_the_package_imports_no_matplotlib_and_drawing_no_pyplot() -> None:
    completed = subprocess.run(  # noqa: S603  our own probe, fixed arguments
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    assert "[] True False" == completed.stdout.strip()


def test_without_matplotlib_a_figure_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)

    with pytest.raises(MissingExtraError, match=r"pip install 'crisisops\[viz\]'"):
        viz.risk_heat_map(default_matrix())


def test_a_figure_is_a_matplotlib_figure_that_renders_its_chinese_without_warning() -> (
    None
):
    figure = viz.risk_heat_map(default_matrix(), language="zh-Hant")
    buffer = io.BytesIO()

    # The suite runs with warnings as errors: a "Glyph missing" warning
    # would fail here if the default font lacks the CJK characters.
    figure.savefig(buffer, format="png", bbox_inches="tight")

    assert isinstance(figure, Figure)
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_only_the_missing_glyph_warning_is_silenced() -> None:
    with tolerate_missing_glyphs():
        warnings.warn(
            "Glyph 39640 (高) missing from font(s) DejaVu Sans.", stacklevel=1
        )
        with pytest.raises(UserWarning, match="something else"):
            warnings.warn("something else", stacklevel=1)


def test_the_public_api_is_listed() -> None:
    assert sorted(viz.__all__) == dir(viz)
    for name in viz.__all__:
        assert getattr(viz, name) is not None
