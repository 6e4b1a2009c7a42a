"""Input validation shared by the modules: every public entry point checks at the boundary."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray


def prices_1d(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """A 1-D array of finite, non-negative prices (an empty array is allowed)."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains an infinite value")
    if (arr < 0).any():
        raise ValueError(f"{name} contains a negative value ({arr.min()})")
    return arr


def _finite_number(value: float, name: str, *, strict: bool) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(v) or (v <= 0 if strict else v < 0):
        raise ValueError(f"{name} must be finite and {'> 0' if strict else '>= 0'}, got {value!r}")
    return v


def positive(value: float, name: str) -> float:
    """A finite number > 0 (privacy budgets, sensitivities, scales)."""
    return _finite_number(value, name, strict=True)


def non_negative(value: float, name: str) -> float:
    """A finite number >= 0."""
    return _finite_number(value, name, strict=False)


def count(value: int, name: str, minimum: int = 1) -> int:
    """An integer >= minimum."""
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def choice(value: str, name: str, options: tuple[str, ...]) -> str:
    """One of a fixed set of option names."""
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(map(repr, options))}")
    return value
