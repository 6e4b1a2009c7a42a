"""Reproducible companion to the VPT paper: state, market, mining and audit code.

The modules load on first use, so ``import vpt`` is cheap and ``vpt.auction``,
``vpt.mining`` and the others work after it. See the README's quick-start.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: The library's modules (``bench`` is the benchmark command).
MODULES = (
    "accounting",
    "audit",
    "auction",
    "bench",
    "book",
    "coin",
    "complexity",
    "data",
    "experiments",
    "incentives",
    "ledger",
    "market",
    "mechanisms",
    "mining",
    "plotting",
    "privacy",
    "recovery",
    "repair",
    "report",
    "settlement",
    "simulate",
    "stability",
    "state",
    "theory",
    "threats",
    "units",
)


def __getattr__(name: str) -> Any:
    if name in MODULES:
        return importlib.import_module(f"vpt.{name}")
    raise AttributeError(f"module 'vpt' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *MODULES])
