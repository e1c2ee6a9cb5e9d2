"""Shared test set-up: the examples can be run in-process with ``runpy``.

The example scripts share ``examples/_plots.py`` (their ``--plots DIR``
option). Run as scripts, Python puts their folder first on ``sys.path``;
``runpy.run_path`` does not, so the tests do it here.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.append(str(EXAMPLES))
