"""Benchmark: what ``import crisisops`` costs, against ``import numpy`` (issue #10).

The target: ``import crisisops`` costs at most 1.3x ``import numpy``, measured
in the same run, and loads none of the optional extras. Each import runs in a
fresh interpreter with ``-X importtime``; the figure is the cumulative time
CPython reports for the top-level package (interpreter start-up excluded).
The two imports alternate so that a busy machine slows both alike; the median
of ``--runs`` runs (default 21) is reported, with the ratio.

It also times the first use of each stage package (``import
crisisops.monitoring`` and so on), which loads numpy, attrs and the stage's
own modules: the cost moves to where it is needed.

Run with ``python benchmarks/bench_import.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

EXTRAS = ("dask", "distributed", "jsonschema", "matplotlib", "pandas", "tqdm")
STAGES = (
    "taxonomy",
    "monitoring",
    "risk",
    "planning",
    "stakeholders",
    "response",
    "review",
    "scenarios",
)


def import_time(statement: str, package: str) -> tuple[float, list[str]]:
    """Return the cumulative import time of ``package`` in ms, and extras loaded."""
    loaded = f"print(','.join(m for m in {EXTRAS!r} if m in sys.modules))"
    probe = f"import sys\n{statement}\n{loaded}"
    completed = subprocess.run(  # noqa: S603  our own interpreter, literal code
        [sys.executable, "-X", "importtime", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    )
    cumulative = 0
    for line in completed.stderr.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[2] == package and parts[1].isdigit():
            cumulative = int(parts[1])
    extras = [name for name in completed.stdout.strip().split(",") if name]
    return cumulative / 1000.0, extras


def main() -> None:
    """Measure and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    ours: list[float] = []
    reference: list[float] = []
    loaded: set[str] = set()
    for _ in range(runs):
        numpy_ms, _extras = import_time("import numpy", "numpy")
        reference.append(numpy_ms)
        crisisops_ms, extras = import_time("import crisisops", "crisisops")
        ours.append(crisisops_ms)
        loaded.update(extras)
    ours_ms = statistics.median(ours)
    numpy_ms = statistics.median(reference)
    print(f"import numpy     : {numpy_ms:7.1f} ms (median of {runs})")
    print(f"import crisisops : {ours_ms:7.1f} ms (median of {runs})")
    print(f"ratio            : {ours_ms / numpy_ms:7.3f}x (target <= 1.3x)")
    print(f"extras loaded    : {sorted(loaded) or 'none'}")
    print()
    print("first use of each stage package (median of 5, numpy included):")
    for stage in STAGES:
        times = [
            import_time(f"import crisisops.{stage}", f"crisisops.{stage}")[0]
            for _ in range(5)
        ]
        print(f"  crisisops.{stage:<13} {statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
