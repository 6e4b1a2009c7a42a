"""Input validation shared by the modules: every public entry point checks its arguments here, at the boundary.

Each helper raises :class:`ValueError` with a message naming the parameter and
what was wrong; Python and NumPy numbers are accepted alike.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: The largest array (in elements) a single call may allocate at once: 2**27 float64 values, 1 GiB.
#: Calls whose memory grows faster than their input check their size against it up front.
MAX_CELLS = 2**27
#: The largest number of random draws or simulation steps a single call accepts (a run of minutes).
MAX_DRAWS = 10**10


def number(value: Any, name: str) -> float:
    """A finite real number (Python or NumPy scalar; ``bool``, strings and ``None`` are refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    try:
        v = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return v


def positive(value: Any, name: str) -> float:
    """A finite number > 0 (privacy budgets, sensitivities, scales)."""
    v = number(value, name)
    if v <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return v


def non_negative(value: Any, name: str) -> float:
    """A finite number >= 0."""
    v = number(value, name)
    if v < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return v


def probability(value: Any, name: str, *, open_interval: bool = False) -> float:
    """A number in ``[0, 1]`` (``(0, 1)`` with ``open_interval``)."""
    v = number(value, name)
    if (not 0 < v < 1) if open_interval else (not 0 <= v <= 1):
        raise ValueError(f"{name} must be in {'(0, 1)' if open_interval else '[0, 1]'}, got {value!r}")
    return v


def count(value: Any, name: str, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer (Python or NumPy; not ``bool``, not a float) in ``[minimum, maximum]``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    v = int(value)
    if v < minimum or (maximum is not None and v > maximum):
        bound = f"in {minimum}..{maximum}" if maximum is not None else f">= {minimum}"
        raise ValueError(f"{name} must be an integer {bound}, got {value!r}")
    return v


def generator(value: Any, name: str = "rng") -> np.random.Generator:
    """A :class:`numpy.random.Generator` (a seed or ``None`` is refused: draws must be reproducible)."""
    if not isinstance(value, np.random.Generator):
        raise ValueError(f"{name} must be a numpy.random.Generator, e.g. numpy.random.default_rng(seed); got {value!r}")
    return value


def choice(value: Any, name: str, options: tuple[str, ...]) -> str:
    """One of a fixed set of option names."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(map(repr, options))}")
    return value


def real_array(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """``values`` as a float array, refusing strings, ``None``, objects, complex and ragged nesting."""
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of real numbers, got {values!r}") from None
    if raw.dtype.kind not in "iuf" and not (raw.dtype.kind == "b" and raw.size == 0) and raw.size:
        raise ValueError(f"{name} must be an array of real numbers, got dtype {raw.dtype}")
    return raw.astype(float)


def finite_array(
    values: ArrayLike,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    minimum: float | None = None,
    nonempty: bool = False,
) -> NDArray[np.float64]:
    """A float array of finite values, with optional dimension, lower bound and non-emptiness checks."""
    arr = real_array(values, name)
    if ndim is not None and arr.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    if nonempty and arr.size == 0:
        raise ValueError(f"{name} is empty")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains an infinite value")
    if minimum is not None and (arr < minimum).any():
        raise ValueError(f"{name} must be >= {minimum:g}, got {arr.min()!r}")
    return arr


def prices_1d(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """A 1-D array of finite, non-negative prices (an empty array is allowed)."""
    arr = finite_array(values, name, ndim=1)
    if (arr < 0).any():
        raise ValueError(f"{name} contains a negative value ({arr.min()})")
    return arr


def cells(n: int, name: str) -> int:
    """Refuse an allocation of ``n`` elements above :data:`MAX_CELLS`, naming what would be too large."""
    if n > MAX_CELLS:
        raise ValueError(f"{name} would need {n:,} array elements, above the limit of {MAX_CELLS:,} (1 GiB)")
    return n


def instance(value: Any, cls: type | tuple[type, ...], name: str) -> Any:
    """``value`` if it is an instance of ``cls``; a ``ValueError`` naming the parameter otherwise."""
    if not isinstance(value, cls):
        names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        raise ValueError(f"{name} must be a {names}, got {value!r:.80}")
    return value


def text(value: Any, name: str) -> str:
    """A non-empty string (node ids, slots, labels)."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r:.80}")
    return value
