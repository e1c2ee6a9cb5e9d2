"""The runnable examples run and print what a reader expects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(script: str) -> str:
    completed = subprocess.run(  # noqa: S603  our own script, fixed arguments
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        encoding="utf-8",
    )
    return completed.stdout


def test_quickstart_prints_the_catalog_levels_and_one_type_in_detail() -> None:
    output = _run("quickstart.py")

    assert "34 built-in crisis types" in output
    assert "Supply-chain crisis / 供應鏈危機 / 供应链危机" in output
    assert "supply_chain.inventory" in output
    assert "庫存危機" in output
    assert "Level I    red     特別重大" in output
    assert "§5.4 案例分析" in output
    assert '"type": "CrisisType"' in output
    assert "equal to the original? True" in output
