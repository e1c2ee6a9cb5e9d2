"""Benchmark: serialising a large numeric array against a bare numpy reference.

A KPI panel of 10,000 entities x 365 days is 3.65 million float64 values, with
some NaN (missing data). ``to_data`` / ``from_data`` must handle it at close to
the speed of the simplest lossless numpy round trip (``tolist`` and
``np.array``), with the NaN handling and type checks on top. This prints the
measured times and the ratio; it asserts nothing about time.

Run with ``python benchmarks/bench_serialization.py``.
"""

from __future__ import annotations

import time
from typing import Any

import attrs
import numpy as np

from crisisops.serialization import from_data, to_data


@attrs.frozen
class Panel:
    """A stand-in for a KPI panel: one float64 array."""

    values: np.ndarray[Any, Any] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))


def best_of(repeats: int, action: Any) -> float:  # noqa: ANN401  any callable
    """Return the fastest of ``repeats`` timings of ``action()`` in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Time crisisops against the reference and print the ratios."""
    rng = np.random.default_rng(20261127)
    values = rng.normal(100.0, 15.0, size=(10_000, 365))
    values[rng.random(values.shape) < 0.02] = np.nan  # 2 % missing
    panel = Panel(values)
    document = to_data(panel)

    def reference_out() -> object:
        return values.reshape(-1).tolist()

    flat = values.reshape(-1).tolist()

    def reference_in() -> object:
        return np.array(flat, dtype=np.float64).reshape(values.shape)

    restored = from_data(Panel, document)
    assert np.array_equal(restored.values, values, equal_nan=True)

    rows = [
        ("to_data", best_of(3, lambda: to_data(panel)), best_of(3, reference_out)),
        (
            "from_data",
            best_of(3, lambda: from_data(Panel, document)),
            best_of(3, reference_in),
        ),
    ]
    print(f"{values.size:,} float64 values, 2% NaN")
    for name, ours, reference in rows:
        print(
            f"{name:9s}: crisisops {ours * 1e3:8.1f} ms, numpy reference "
            f"{reference * 1e3:8.1f} ms, ratio {ours / reference:5.2f}x"
        )


if __name__ == "__main__":
    main()
