"""Closed forms of Theorems 6-9: the paper's printed formulas and the results derived in the book."""

from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import count, finite_array, probability

__all__ = [
    "leader_profit",
    "market_race_ballot",
    "market_race_exact",
    "market_race_printed",
    "mean_sojourn",
    "mean_sojourn_printed",
    "share_after",
    "stationary_distribution",
    "steady_share",
    "throughput",
]


def _non_negative(x: ArrayLike, name: str) -> NDArray[np.float64]:
    a = finite_array(x, name)
    if (a < 0).any():
        raise ValueError(f"{name} must be non-negative numbers")
    return a


def _probability(x: ArrayLike, name: str) -> NDArray[np.float64]:
    a = finite_array(x, name)
    if (a < 0).any() or (a > 1).any():
        raise ValueError(f"{name} must be a probability in [0, 1]")
    return a


def _broadcast(*arrays: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    try:
        return tuple(np.broadcast_arrays(*arrays))
    except ValueError:
        raise ValueError(f"the arguments' shapes {[a.shape for a in arrays]} do not broadcast together") from None


# ------------------------------------------------------------------ Theorem 6


def market_race_printed(s_x: ArrayLike, s_y: ArrayLike, e: ArrayLike) -> NDArray[np.float64]:
    """Theorem 6 as printed (Eq. 15): ``[Sx(Sx-E) - Sy(Sy+E)] / [Sx(Sx-E) + Sy(Sy-E) + 2 Sx Sy]``.

    Returned as printed, without clipping (it is negative when ``Sx < Sy + E``);
    ``nan`` where its denominator ``(Sx + Sy)(Sx + Sy - E)`` vanishes.
    """
    sx, sy, ee = _broadcast(_non_negative(s_x, "S_x"), _non_negative(s_y, "S_y"), _non_negative(e, "E"))
    out = _printed_ratio(sx, sy, ee)
    huge = ~np.isfinite(out) & (np.maximum(np.maximum(sx, sy), ee) > 1e150)
    if huge.any():  # the squares overflowed: the ratio is scale-free, so divide by the largest input first
        scale = np.maximum(np.maximum(sx, sy), ee)
        out = np.where(huge, _printed_ratio(sx / scale, sy / scale, ee / scale), out)
    return out


def _printed_ratio(sx: NDArray, sy: NDArray, ee: NDArray) -> NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        num = sx * (sx - ee) - sy * (sy + ee)
        den = sx * (sx - ee) + sy * (sy - ee) + 2 * sx * sy
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


def market_race_ballot(s_x: ArrayLike, s_y: ArrayLike) -> NDArray[np.float64]:
    """Probability that x was strictly ahead of y after every trade (derived, the ballot theorem).

    With trades of equal size in uniformly random order, ``P = (Sx - Sy)/(Sx + Sy)``
    for ``Sx > Sy`` and 0 otherwise (x cannot have been always ahead).
    """
    sx, sy = _broadcast(_non_negative(s_x, "S_x"), _non_negative(s_y, "S_y"))
    with np.errstate(over="ignore"):
        total = sx + sy
    # where S_x + S_y overflows, the scale-free ratio is taken of the halved inputs
    a, b = np.where(np.isinf(total), sx / 2, sx), np.where(np.isinf(total), sy / 2, sy)
    p = (a - b) / np.where(a + b > 0, a + b, 1.0)
    return np.where(sx > sy, p, 0.0)


# ------------------------------------------------------------------ Theorem 7


def steady_share(p_out: ArrayLike, p_in: ArrayLike) -> NDArray[np.float64]:
    """Theorem 7 (Eq. 16): steady-state share ``C_x = P_x'x / (P_x'x + P_xx')`` of the two-state chain.

    ``p_out`` = ``P_xx'`` (a customer of x moves away), ``p_in`` = ``P_x'x``.
    Undefined (``nan``) when both are 0: the chain never moves and the share
    stays where it started.
    """
    po, pi = _probability(p_out, "P_xx'"), _probability(p_in, "P_x'x")
    total = po + pi
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, pi / np.where(total > 0, total, 1.0), np.nan)


def share_after(steps: ArrayLike, start: float, p_out: float, p_in: float) -> NDArray[np.float64]:
    """Expected share of x after ``steps`` steps from share ``start`` (derived).

    ``C_t = C* + (C_0 - C*) (1 - P_xx' - P_x'x)^t``: the distance to the steady
    state shrinks by the factor ``|1 - P_xx' - P_x'x|`` per step.
    """
    t = finite_array(steps, "steps")
    if (t < 0).any() or (t != np.floor(t)).any():
        raise ValueError("steps must be whole numbers of steps >= 0")
    c0 = probability(start, "start")
    po, pi = probability(p_out, "P_xx'"), probability(p_in, "P_x'x")
    if po + pi == 0:
        return np.full_like(t, c0)
    c = pi / (po + pi)
    return c + (c0 - c) * (1 - po - pi) ** t


# ------------------------------------------------------------------ Theorem 8


def _transition_matrix(p: ArrayLike) -> NDArray[np.float64]:
    m = finite_array(p, "the transition matrix")
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ValueError(f"the transition matrix must be square, got shape {m.shape}")
    if np.isnan(m).any() or (m < 0).any() or (m > 1).any():
        raise ValueError("transition probabilities must be in [0, 1]")
    if not np.allclose(m.sum(axis=1), 1.0, atol=1e-9):
        raise ValueError("every row of the transition matrix must sum to 1")
    return m


def stationary_distribution(p: ArrayLike) -> NDArray[np.float64]:
    """The stationary distribution ``pi P = pi`` of an irreducible chain.

    Raises
    ------
    ValueError
        If the matrix is not a stochastic matrix, or its stationary
        distribution is not unique (the chain is reducible).
    """
    m = _transition_matrix(p)
    n = m.shape[0]
    a = np.vstack([m.T - np.eye(n), np.ones(n)])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    if np.linalg.matrix_rank(a) < n:
        raise ValueError("the chain has no unique stationary distribution (it is reducible)")
    pi, *_ = np.linalg.lstsq(a, b, rcond=None)
    return np.clip(pi, 0.0, None) / np.clip(pi, 0.0, None).sum()


def _states(g: Any, n: int, name: str) -> NDArray[np.int64]:
    """A non-empty set of states 0..n-1, given as a list, tuple or integer array."""
    a = np.asarray(g) if isinstance(g, (list, tuple, np.ndarray)) else np.asarray(None)
    if a.ndim != 1 or a.size == 0 or a.dtype.kind not in "iu" or (a < 0).any() or (a >= n).any():
        raise ValueError(f"{name} must be a non-empty list of states 0..{n - 1}, got {g!r:.80}")
    return a.astype(np.int64)


def _groups(n: int, high, mid, low):
    sets = [_states(g, n, name) for g, name in ((high, "high"), (mid, "mid"), (low, "low"))]
    flat = np.concatenate(sets)
    if np.unique(flat).size != flat.size:
        raise ValueError("the state sets T1, T2, T3 must not overlap")
    return sets


def mean_sojourn_printed(p: ArrayLike, high=(0,), mid=(1,), low=(2,)) -> float:
    """Theorem 8 as printed (Eq. 17).

    ``sum_{j in T1} pi_j / sum_{l in T3} sum_{k in T2} sum_{j in T1} pi_j (P_jk + P_jl)``.
    """
    m = _transition_matrix(p)
    t1, t2, t3 = _groups(m.shape[0], high, mid, low)
    pi = stationary_distribution(m)
    den = sum(pi[j] * (m[j, k] + m[j, low_state]) for low_state in t3 for k in t2 for j in t1)
    return float(pi[t1].sum() / den) if den > 0 else float("inf")


def mean_sojourn(p: ArrayLike, high=(0,)) -> float:
    """Mean length (in steps) of a visit to the set ``high`` of a stationary chain (derived).

    ``pi(A) / sum_{j in A} sum_{k not in A} pi_j P_jk``: the time the chain
    spends in ``A`` per unit time, divided by the rate at which it leaves
    ``A``. ``inf`` if the chain never leaves ``A``.
    """
    m = _transition_matrix(p)
    a = np.unique(_states(high, m.shape[0], "high"))
    pi = stationary_distribution(m)
    out = np.setdiff1d(np.arange(m.shape[0]), a)
    flow = float((pi[a, None] * m[np.ix_(a, out)]).sum())
    return float(pi[a].sum() / flow) if flow > 0 else float("inf")


# ------------------------------------------------------------------ Theorem 9


def _rates(arrival, service, capacity):
    lam = finite_array(arrival, "the arrival rate R_A")
    mu = finite_array(service, "the service rate R_s")
    k = finite_array(capacity, "the capacity T_L")
    if (lam < 0).any():
        raise ValueError("the arrival rate R_A must be >= 0")
    if (mu <= 0).any():
        raise ValueError("the service rate R_s must be > 0")
    if (k < 1).any() or not np.all(np.equal(np.mod(k, 1), 0)):
        raise ValueError("the capacity T_L must be an integer >= 1")
    return _broadcast(lam, mu, k)


def throughput(arrival: ArrayLike, service: ArrayLike, capacity: ArrayLike) -> NDArray[np.float64]:
    """Transactions served per unit time by an M/M/1/T_L queue (derived): ``R_A (1 - P_{T_L})``.

    ``= R_A (1 - rho^T_L) / (1 - rho^(T_L + 1))`` with ``rho = R_A / R_s``, and
    its limit ``R_A T_L / (T_L + 1)`` at ``rho = 1``. Evaluated in a form that
    cannot overflow: with ``r = min(rho, 1/rho) <= 1``,
    ``g = expm1(T_L ln r) / expm1((T_L + 1) ln r)`` and the throughput is
    ``R_A g`` for ``rho <= 1`` and ``R_s g`` for ``rho > 1`` (the same
    expression divided through by ``rho^(T_L + 1)``); ``expm1`` keeps full
    precision near ``rho = 1``.

    Examples
    --------
    >>> throughput(1.0, 2.0, 1).item()  # M/M/1/1: R_A R_s / (R_A + R_s)
    0.6666666666666666
    >>> round(throughput(2.0, 1.0, 2000).item(), 12)  # rho = 2: the server is always busy
    1.0
    """
    lam, mu, k = _rates(arrival, service, capacity)
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        rho = lam / mu
        above = rho > 1
        log_r = np.log(np.where(above, mu / np.where(above, lam, 1.0), rho))  # ln r <= 0; -inf when R_A = 0
        near_one = np.abs(log_r) < 1e-12
        g = np.expm1(k * log_r) / np.expm1((k + 1) * np.where(near_one, -1.0, log_r))
    g = np.where(near_one, k / (k + 1), g)
    out = np.where(above, mu, lam) * g
    return out


def leader_profit(
    arrival: ArrayLike, service: ArrayLike, capacity: ArrayLike, gain: ArrayLike, cost: ArrayLike
) -> NDArray[np.float64]:
    """Theorem 9 (Eq. 48): ``T_p = R_A M (1 - rho^T_L) / (1 - rho^(T_L+1)) - C R_s``, ``rho = R_A/R_s``.

    The printed formula and the one derived from the balance equations of
    the M/M/1/T_L queue coincide; at ``rho = 1`` the limit
    ``R_A M T_L / (T_L + 1) - C R_s`` is used.
    """
    g = finite_array(gain, "the gain M")
    c = finite_array(cost, "the cost C")
    if (c < 0).any():
        raise ValueError("the cost C must be >= 0")
    with np.errstate(over="ignore", invalid="ignore"):
        out = g * throughput(arrival, service, capacity) - c * finite_array(service, "the service rate R_s")
    if not np.all(np.isfinite(out)):
        raise ValueError("the profit overflows the float range for these rates, gain and cost")
    return out


def market_race_exact(x_trades: int, y_trades: int):
    """Exact probability of Theorem 6's event by counting orderings (a ``fractions.Fraction``).

    Counts the orderings of ``x_trades`` x-trades and ``y_trades`` y-trades
    (equal sizes, all orderings equally likely) in which x is strictly ahead
    after every trade, by dynamic programming over lattice paths; independent
    of any formula.
    """
    a = count(x_trades, "x_trades", minimum=0)
    b = count(y_trades, "y_trades", minimum=0)
    if (a + 1) * (b + 1) > 10**7:
        raise ValueError(f"counting over {(a + 1) * (b + 1):,} lattice points is above the limit of 10,000,000")
    if a + b == 0:
        return Fraction(0)
    ways = [[0] * (b + 1) for _ in range(a + 1)]
    ways[0][0] = 1
    for i in range(a + 1):
        for j in range(b + 1):
            if i == j == 0:
                continue
            if i <= j:  # x not strictly ahead after this prefix
                continue
            ways[i][j] = (ways[i - 1][j] if i > 0 else 0) + (ways[i][j - 1] if j > 0 else 0)
    return Fraction(ways[a][b], comb(a + b, a))
