"""The monitoring concept page's code runs, and so does the sales-slump example."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "concepts" / "monitoring.md"
EXAMPLE = ROOT / "examples" / "sales_slump_trigger.py"

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _python_blocks(markdown: str) -> list[str]:
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


def test_the_page_has_code_for_every_part_of_the_concept() -> None:
    code = "\n".join(_python_blocks(PAGE.read_text(encoding="utf-8")))

    for name in (
        "default_metrics",
        "Panel.from_metric_arrays",
        "EWMAChart",
        "CUSUMChart",
        "AllOf",
        "TriggerRule",
        "MissingData",
        "Monitor.resume",
        "calibrate(",
        "recalibrate(",
        "backtest(",
        "plan_notifications",
        "notify_step",
    ):
        assert name in code, name


def test_every_python_block_of_the_concept_page_runs_in_order() -> None:
    blocks = _python_blocks(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    namespace: dict[str, object] = {"__name__": "docs_monitoring"}
    for number, block in enumerate(blocks, start=1):
        compiled = compile(block, f"{PAGE.name}, python block {number}", "exec")
        exec(compiled, namespace)  # noqa: S102  our own documentation, run as a test


def _run_example() -> str:
    environment = dict(os.environ)
    source = str(ROOT / "src")
    known = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = source if not known else source + os.pathsep + known
    environment["PYTHONIOENCODING"] = "utf-8"
    completed = subprocess.run(  # noqa: S603  our own script, fixed arguments
        [sys.executable, str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        encoding="utf-8",
        env=environment,
    )
    return completed.stdout


def test_the_sales_slump_example_prints_alerts_with_their_explanations() -> None:
    output = _run_example()
    lines = output.splitlines()

    assert "A synthetic shop: 20 SKUs, 365 days" in output
    assert "Thresholds v2026-Q1: fitted through 2026-03-31" in output
    alerts = [line for line in lines if line.startswith(("sales_crisis ", "review"))]
    assert alerts, output
    # the book's three-day rule fired, with 繁體 level labels and its evidence
    three_day = [line for line in lines if line.startswith("sales_crisis ")]
    assert len(three_day) >= 1
    assert any("II 重大" in line for line in three_day)
    assert any("IV 一般" in line or "III 較大" in line for line in three_day)
    assert "3 days in a row, thresholds v2026-Q1" in output
    assert "vs baseline" in output
    # the negative-review surge was found on the SKU it was injected into
    surges = [line for line in lines if line.startswith("review_surge ")]
    assert surges
    assert all(" SKU-12 " in line for line in surges)
    assert "review surge investigated on: SKU-12" in output
    assert "product.performance 性能問題" in output
    # summary, back-test and notifications
    assert "alerts by peak level:" in output
    assert "alerts per SKU per 100 days" in output
    assert "out-of-sample" in output
    assert "Notifications (" in output
    assert "new       sales/SKU-04" in output
    assert "SKU-15" not in output.split("Notifications (", 1)[1].split("\n", 1)[1]


def test_the_sales_slump_example_is_deterministic() -> None:
    assert _run_example() == _run_example()
