"""Arms-transfer briefings: import, tidy and analyse SIPRI and context data.

The data path, one module per step: ``sources`` (catalogue, where files are) -> ``fetch``
(download from publishers) -> ``importers`` (read and validate each file format) -> ``data``
(tidy tables) -> ``regions``, ``transfers``, ``deals``, ``context``, ``claims`` (pure analysis)
-> ``charts`` -> notebooks -> ``render``.

Submodules are imported on first use: ``from analysis import transfers``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["charts", "claims", "context", "data", "deals", "errors", "regions", "sources", "transfers"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f"analysis.{name}")
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
