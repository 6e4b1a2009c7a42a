"""Exact output laws and exact privacy losses: the ground truth shared by the mechanisms and the auditor.

:func:`exact_epsilon` is the privacy loss between two known discrete output
laws; :func:`ordered_top3_law` the law of the election's ordered triple
(Eq. 6). The mechanisms of :mod:`vpt.privacy.mechanisms` state their true
loss with them, and the auditor (:mod:`vpt.privacy.audit`) checks its
certified bounds against them.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import cells, real_array

__all__ = ["exact_epsilon", "ordered_top3_law"]


def exact_epsilon(p: ArrayLike, q: ArrayLike) -> float:
    """The exact privacy loss ``max_o |ln p(o) / q(o)|`` between two discrete output laws.

    Outcomes impossible under both laws are ignored; an outcome possible
    under one law only gives ``inf``.

    Raises
    ------
    ValueError
        If the arrays differ in shape, hold negative or non-finite values, or
        do not each sum to 1 (within 1e-9).

    Examples
    --------
    >>> round(exact_epsilon([0.75, 0.25], [0.25, 0.75]), 6)
    1.098612
    >>> exact_epsilon([1.0, 0.0], [0.5, 0.5])
    inf
    """
    p = real_array(p, "p")
    q = real_array(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    for name, a in (("p", p), ("q", q)):
        if not np.all(np.isfinite(a)) or (a < 0).any():
            raise ValueError(f"{name} must be finite and non-negative")
        if abs(a.sum() - 1.0) > 1e-9:
            raise ValueError(f"{name} must sum to 1, sums to {a.sum()!r}")
    both = (p > 0) & (q > 0)
    if ((p > 0) != (q > 0)).any():
        return math.inf
    if not both.any():
        return 0.0
    return float(np.max(np.abs(np.log(p[both]) - np.log(q[both]))))


def ordered_top3_law(log_weights: ArrayLike) -> NDArray[np.float64]:
    """Probability of every ordered (first, second, third) of successive sampling, shape ``(V, V, V)``.

    Entry ``[i, j, k]`` is ``w_i/W * w_j/(W - w_i) * w_k/(W - w_i - w_j)`` for
    distinct ``i, j, k`` (Eq. 6 with weights ``w = exp(log_weights)``), zero
    otherwise; computed in log space. Memory grows as ``V^3``: above
    :data:`MAX_CELLS` entries (about 500 VPPs) a ``ValueError`` is raised.
    """
    lw = real_array(log_weights, "log_weights")
    v = lw.size
    if lw.ndim != 1 or v < 3:
        raise ValueError("need a 1-D array of at least 3 log weights")
    if np.isnan(lw).any() or np.isposinf(lw).any():
        raise ValueError("log_weights must be finite or -inf (weight 0), not NaN or +inf")
    cells(v**3, f"the law of {v} VPPs (V^3 entries)")
    top = np.max(lw[np.isfinite(lw)]) if np.isfinite(lw).any() else 0.0
    w = np.exp(lw - top)
    eye = np.eye(v, dtype=bool)
    # remaining weight after removing i (and j), summed directly: no cancellation
    rest1 = np.where(eye, 0.0, w[None, :]).sum(axis=1)  # (V,)
    rest2 = np.where(eye[:, None, :] | eye[None, :, :], 0.0, w[None, None, :]).sum(axis=2)  # (V, V)
    i, j, k = np.meshgrid(np.arange(v), np.arange(v), np.arange(v), indexing="ij")
    distinct = (i != j) & (j != k) & (i != k)
    with np.errstate(divide="ignore", invalid="ignore"):
        law = (w[i] / w.sum()) * (w[j] / rest1[i]) * (w[k] / rest2[i, j])
    return np.where(distinct & np.isfinite(law), law, 0.0)
