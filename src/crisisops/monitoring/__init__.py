"""Key-indicator monitoring and trigger rules (book §3 關鍵指標監控).

This package is being built; its public API is listed in ``__all__``.
"""

from __future__ import annotations

__all__: list[str] = []
