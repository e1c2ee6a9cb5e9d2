"""The supply-network example script and concept page run and say what they should."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "supply_network_risk.py"
PAGE = ROOT / "docs" / "concepts" / "supply-network.md"

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _run_example(capsys: pytest.CaptureFixture[str]) -> str:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    return capsys.readouterr().out


def _squeeze(line: str) -> str:
    return " ".join(line.split())


def test_the_example_prints_weak_points_concentration_and_outages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = _run_example(capsys)
    lines = [_squeeze(line) for line in output.splitlines()]

    assert "Teahouse online shop: Supply-chain crisis (供應鏈危機) risk" in lines
    tiers = "Tiers: supplier -> warehouse -> sku (4 suppliers, 2 warehouses, 4 skus)"
    assert f"{tiers}; 9 links" in lines
    # single points of failure, largest revenue at risk first
    assert "Single point of failure (單點故障)" in lines
    start = lines.index("Single point of failure (單點故障)")
    assert [
        "wh-south warehouse puer-cake 800 (29%)",
        "wh-east warehouse black-tea-100g 500 (18%)",
        "kiln-jingdezhen supplier tea-cup 300 (11%)",
    ] == lines[start + 4 : start + 7]
    # HHI per SKU: oolong 0.7² + 0.3² = 5,800 direct; farms 48/28/24% → 3,664;
    # Fujian 76% / Yunnan 24% → 6,352
    assert "oolong-250g 5,800 高度集中 1.7 3,664 6,352" in lines
    assert "tea-cup 10,000 高度集中 1.0 10,000 10,000" in lines
    assert "Revenue-weighted HHI: direct 8,200, upstream 5,513" in lines
    # outages: a partial loss, a full loss, a regional one and half capacity
    assert (
        "farm-anxi fails - black-tea-100g 60%, oolong-250g 48%, puer-cake 20% 37%"
        in lines
    )
    assert "kiln-jingdezhen fails tea-cup - 11%" in lines
    assert (
        "typhoon over Fujian black-tea-100g oolong-250g 76%, puer-cake 20% 56%" in lines
    )
    assert "kiln-jingdezhen at 50% - tea-cup 50% 5%" in lines
    # diversifying removes two of the three single points of failure
    assert "After diversifying (多元化供應鏈管理)" in lines
    assert "single points of failure 3 1" in lines
    assert "wh-south -> puer-cake" in lines


def test_the_example_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_example(capsys) == _run_example(capsys)


def test_the_concept_page_covers_the_api() -> None:
    code = "\n".join(_PYTHON_BLOCK.findall(PAGE.read_text(encoding="utf-8")))

    for name in (
        "SupplyNetwork(",
        "single_points_of_failure()",
        "concentration()",
        "upstream_exposure()",
        "outage_impact(",
        "herfindahl_index(",
        "ConcentrationBand.of(",
        "to_data(",
    ):
        assert name in code, name


def test_every_python_block_of_the_concept_page_runs_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocks = _PYTHON_BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 8
    namespace: dict[str, object] = {"__name__": "docs_supply_network"}
    for number, block in enumerate(blocks, start=1):
        compiled = compile(block, f"{PAGE.name}, python block {number}", "exec")
        exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test
    output = capsys.readouterr().out

    assert "wh-south warehouse ('puer',) 800.0 0.286" in output
    assert "{'black-tea': 1.0, 'oolong': 0.76, 'puer': 0.2}" in output
