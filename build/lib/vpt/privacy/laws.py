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

from vpt._checks import cells, count, finite_array, number, positive, real_array

__all__ = ["bare_ppoem_price_density", "bare_ppoem_price_loss", "exact_epsilon", "ordered_top3_law"]


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


#: Gauss-Laguerre and Gauss-Legendre rules for :func:`bare_ppoem_price_density` (fixed: the density is smooth on
#: each piece they integrate).
_LAGUERRE_NODES = np.polynomial.laguerre.laggauss(120)
_LEGENDRE_NODES = np.polynomial.legendre.leggauss(120)


def _bare_ppoem_parts(
    bid: float,
    ask: float,
    eps1: float,
    eps2: float,
    length: int,
    f_i: float,
    dq1: float,
) -> tuple[float, float, float, int]:
    """Validated (Laplace scale s, selection factor c, bid, l) of the bare PPoEM price."""
    b = number(bid, "bid")
    a = number(ask, "ask")
    if not 0 <= a <= b:
        raise ValueError(f"need 0 <= ask <= bid, got ask {ask!r} and bid {bid!r}")
    s = positive(f_i, "laplace_sensitivity") / positive(eps1, "eps1")
    c = positive(eps2, "eps2") / (2 * positive(dq1, "quality_sensitivity"))
    if not (math.isfinite(s) and math.isfinite(c)) or s > 1e6 or c * (b - a + 60 * s) > 600:
        raise ValueError("the Laplace scale or the selection's weights are out of the computable range")
    return s, c, b, count(length, "length (l)", maximum=10_000)


def _phi(t: NDArray[np.float64], s: float, c: float, b: float, a: float) -> NDArray[np.float64]:
    """``E[exp(-t w(O))]`` for O ~ Laplace(b, s) and the weight ``w(o) = exp(c min(o - a, b - o))``, per ``t``."""
    m = (a + b) / 2
    y, v = _LAGUERRE_NODES
    z, u = _LEGENDRE_NODES
    t = t[:, None]
    below = 0.5 * math.exp(-(b - m) / s) * (v * np.exp(-t * np.exp(c * (m - s * y - a)))).sum(axis=1)
    if b > m:  # [m, b]: the density (1/2s) exp(-(b - o)/s), the weight exp(c (b - o))
        o = m + (b - m) * (z + 1) / 2
        mid = ((b - m) / 2) * (u * np.exp(-(b - o) / s) / (2 * s) * np.exp(-t * np.exp(c * (b - o)))).sum(axis=1)
    else:
        mid = np.zeros(t.shape[0])
    above = 0.5 * (v * np.exp(-t * np.exp(-c * s * y))).sum(axis=1)
    return np.asarray(below + mid + above, dtype=np.float64)


def bare_ppoem_price_density(
    x: ArrayLike,
    bid: float,
    ask: float,
    *,
    eps1: float,
    eps2: float,
    length: int,
    laplace_sensitivity: float = 1.0,
    quality_sensitivity: float = 1.0,
) -> NDArray[np.float64]:
    """Density of the price PPoEM releases *without* its interval (Eq. 9-10, Algorithm 3 lines 13-19, 22).

    The bare mechanism draws ``length`` candidates ``O_k ~ Laplace(bid, F_i / eps1)`` (no ``[ask, bid]``) and
    releases one, chosen with probability proportional to ``w(O_k) = exp(eps2 q1(O_k) / (2 Delta q1))``,
    ``q1(o) = min(o - ask, bid - o)``. By symmetry over the candidates,

    ``f(x) = l g(x) E[w(x) / (w(x) + S)] = l g(x) int_0^inf w(x) exp(-t w(x)) phi(t)^(l-1) dt``,

    with ``g`` the Laplace density, ``S`` the weights of the other ``l - 1`` candidates and
    ``phi(t) = E[exp(-t w(O))]`` (Gauss-Laguerre and Gauss-Legendre rules on the pieces where the integrands are
    smooth; the outer integral by the trapezoidal rule in ``ln t``, at steps of 0.02 in ``log w`` interpolated).

    Examples
    --------
    >>> x = np.linspace(-300.0, 340.0, 64001)
    >>> f = bare_ppoem_price_density(x, 20.0, 12.0, eps1=0.1, eps2=0.1, length=10)
    >>> round(float(np.sum(f) * (x[1] - x[0])), 4)  # a density: it integrates to 1
    1.0
    """
    s, c, b, length = _bare_ppoem_parts(bid, ask, eps1, eps2, length, laplace_sensitivity, quality_sensitivity)
    a = float(ask)
    xs = finite_array(x, "x", ndim=1, nonempty=True)
    cells(xs.size, "points x")
    g = np.exp(-np.abs(xs - b) / s) / (2 * s)
    if length == 1:
        return np.asarray(g, dtype=np.float64)
    log_w = c * np.minimum(xs - a, b - xs)
    if log_w.min() < -600:
        raise ValueError("x lies too far from the bid and the ask: the selection weights underflow")
    # the share is close to w E[1/S] for small w: interpolated as log share against log w, it is nearly linear
    lo, hi = float(log_w.min()) - 1e-9, float(log_w.max()) + 1e-9
    grid = np.linspace(lo, hi, min(2001, 2 + int((hi - lo) / 0.02)))  # steps of at most 0.02 in log w
    log_share = np.log(_selection_share(np.exp(grid), s, c, b, a, length))
    return np.asarray(length * g * np.exp(np.interp(log_w, grid, log_share)))


def _selection_share(w: NDArray[np.float64], s: float, c: float, b: float, a: float, length: int) -> NDArray:
    """``E[w / (w + S)] = int_0^inf w exp(-t w) phi(t)^(l-1) dt`` for each weight ``w``, ``S`` the other weights.

    In ``tau = ln t`` the integrand is smooth and falls off exponentially at both ends, so the trapezoidal rule
    at steps of 0.05 converges geometrically.
    """
    step = 0.05
    tau = np.arange(math.log(1e-12 / w.max()), math.log(60.0 / w.min()) + step, step)
    t = np.exp(tau)
    with np.errstate(divide="ignore"):
        log_phi = np.log(_phi(t, s, c, b, a))
    expo = np.log(w)[:, None] + tau[None, :] - w[:, None] * t[None, :] + (length - 1) * log_phi[None, :]
    return np.exp(expo).sum(axis=1) * step


def bare_ppoem_price_loss(
    bid: float,
    neighbour_bid: float,
    ask: float,
    *,
    eps1: float,
    eps2: float,
    length: int,
    laplace_sensitivity: float = 1.0,
    quality_sensitivity: float = 1.0,
    span: float = 40.0,
    points: int = 8001,
) -> float:
    """The largest ``|ln f(x) - ln f'(x)|`` of :func:`bare_ppoem_price_density` under two bids, over a grid of ``x``.

    The grid runs ``span`` Laplace scales beyond the ask and the larger bid (``points`` points); the log-ratio's
    limits as ``x`` goes to either infinity, where it is often largest, are added in closed form: far out the
    selection weight ``w(x)`` vanishes, ``E[w / (w + S)]`` tends to ``w(x) E[1/S]`` with
    ``E[1/S] = int_0^inf phi(t)^(l-1) dt``, and the log-ratio to the Laplace and weight terms plus
    ``ln(E_b[1/S] / E_b'[1/S])``. Where ``E[1/S]`` is infinite or converges too slowly to compute
    (``(l - 1) (1 / s) / c <= 1.1``, ``s`` the Laplace scale and ``c`` the selection's factor), a ``ValueError``
    says so rather than report the grid's maximum, a lower bound, as the loss.

    Examples
    --------
    >>> loss = bare_ppoem_price_loss(20.0, 21.0, 12.0, eps1=0.1, eps2=0.1, length=10)
    >>> 0.1 < loss <= 0.2  # above eps1 alone, within the coupling bound eps1 + eps2
    True
    """
    s, c, b, length = _bare_ppoem_parts(bid, ask, eps1, eps2, length, laplace_sensitivity, quality_sensitivity)
    b2 = _bare_ppoem_parts(neighbour_bid, ask, eps1, eps2, length, laplace_sensitivity, quality_sensitivity)[2]
    a = float(ask)
    span = positive(span, "span")
    n = count(points, "points", minimum=3, maximum=10**6)
    lo, hi = min(a, b, b2) - span * s, max(b, b2) + span * s
    x = np.linspace(lo, hi, n)
    f, f2 = (
        bare_ppoem_price_density(
            x,
            one_bid,
            ask,
            eps1=eps1,
            eps2=eps2,
            length=length,
            laplace_sensitivity=laplace_sensitivity,
            quality_sensitivity=quality_sensitivity,
        )
        for one_bid in (b, b2)
    )
    if not (np.all(f > 0) and np.all(f2 > 0)):
        raise ValueError("the densities underflow on the grid: use a smaller span")
    grid_max = float(np.max(np.abs(np.log(f) - np.log(f2))))
    d = b2 - b
    log_ratio_inv_s = _log_mean_inverse_sum(s, c, b, a, length) - _log_mean_inverse_sum(s, c, b2, a, length)
    # x -> +inf: Laplace ratio exp(-d/s), weight ratio exp(-c d); x -> -inf: exp(d/s), weights equal (both x - ask)
    tails = (-d / s - c * d + log_ratio_inv_s, d / s + log_ratio_inv_s) if length > 1 else (-d / s, d / s)
    return max(grid_max, *(abs(v) for v in tails))


def _log_mean_inverse_sum(s: float, c: float, b: float, a: float, length: int) -> float:
    """``ln E[1/S]`` for ``S`` the weights of ``l - 1`` candidates, ``ln int_0^inf phi(t)^(l-1) dt`` (0 for l = 1)."""
    if length == 1:
        return 0.0  # one candidate: it is always selected, E[w / (w + 0)] = 1, no factor
    decay = (length - 1) * (1.0 / s) / c  # phi(t)^(l-1) falls off like t^-decay
    if decay <= 1.1:
        raise ValueError(
            "the released price's tail loss needs E[1/S], which is infinite or converges too slowly here "
            f"((l - 1) eps1 / F_i / c = {decay:.3g} <= 1.1): use more candidates or a smaller eps2 / eps1"
        )
    step = 0.02
    w_max = math.exp(c * (b - a) / 2)
    tau = np.arange(math.log(1e-14 / w_max), min(700.0, 60.0 / (decay - 1.0) + 60.0), step)
    with np.errstate(divide="ignore"):
        log_phi = np.log(_phi(np.exp(tau), s, c, b, a))
    terms = tau + (length - 1) * log_phi  # t phi(t)^(l-1), in ln t
    top = float(np.max(terms))
    return top + math.log(float(np.exp(terms - top).sum()) * step)
