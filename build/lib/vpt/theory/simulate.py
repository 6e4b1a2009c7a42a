"""Independent simulators for Theorems 6-9: random trade orders, Markov chains, and a finite queue."""

from __future__ import annotations

import bisect

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import MAX_CELLS, MAX_DRAWS, cells, count, finite_array, generator, non_negative, positive, probability

__all__ = [
    "market_race",
    "mean_run_length",
    "queue_throughput",
    "run_lengths",
    "simulate_chain",
    "two_state_shares",
]


#: The most steps :func:`simulate_chain` takes (a Python loop of about a minute).
STEP_LIMIT = 10**8


def market_race(x_trades: int, y_trades: int, n_trials: int, rng: np.random.Generator) -> NDArray[np.bool_]:
    """For each trial, whether x was strictly ahead of y after every trade (Theorem 6's event).

    x makes ``x_trades`` and y ``y_trades`` trades of equal size, reported in a
    uniformly random order (each trial a random permutation).
    """
    a = count(x_trades, "x_trades", 0)
    b = count(y_trades, "y_trades", 0)
    n = count(n_trials, "n_trials")
    rng = generator(rng)
    cells(n * (a + b), f"{n} trials of {a + b} trades")
    if a + b == 0:
        return np.zeros(n, dtype=bool)
    order = np.argsort(rng.random((n, a + b)), axis=1) < a  # True = a trade of x
    lead = np.cumsum(np.where(order, 1, -1), axis=1)
    return np.all(lead > 0, axis=1)


def two_state_shares(
    n_customers: int, steps: int, start: float, p_out: float, p_in: float, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Share of ``n_customers`` prosumers served by VPP x at steps 0..steps (Theorem 7's chain).

    Each prosumer is an independent two-state chain: a customer of x leaves
    with probability ``p_out``, a customer of the others joins x with
    probability ``p_in``. ``round(start * n_customers)`` start with x.
    """
    n = count(n_customers, "n_customers", maximum=MAX_CELLS)
    t = count(steps, "steps", 0)
    start, p_out, p_in = (probability(v, name) for name, v in (("start", start), ("p_out", p_out), ("p_in", p_in)))
    rng = generator(rng)
    if n * max(t, 1) > MAX_DRAWS:
        raise ValueError(f"{n} customers over {t} steps is above the limit of {MAX_DRAWS:,} draws")
    with_x = np.zeros(n, dtype=bool)
    with_x[: round(start * n)] = True
    shares = np.empty(t + 1)
    shares[0] = with_x.mean()
    for s in range(1, t + 1):
        u = rng.random(n)
        with_x = np.where(with_x, u >= p_out, u < p_in)
        shares[s] = with_x.mean()
    return shares


def simulate_chain(p: ArrayLike, steps: int, start: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """A path of ``steps`` states of the Markov chain with transition matrix ``p``, from state ``start``.

    Raises
    ------
    ValueError
        If ``p`` is not a square stochastic matrix, ``start`` is not one of
        its states, ``steps`` is not an integer in ``1..``:data:`STEP_LIMIT`
        (a Python loop), or ``rng`` is not a Generator.
    """
    m = finite_array(p, "p", ndim=2)
    if m.shape[0] != m.shape[1] or m.size == 0 or (m < 0).any() or not np.allclose(m.sum(axis=1), 1.0):
        raise ValueError("p must be a square stochastic matrix")
    n = count(steps, "steps", maximum=STEP_LIMIT)
    start = count(start, "start", minimum=0, maximum=m.shape[0] - 1)
    rng = generator(rng)
    cum = np.cumsum(m, axis=1)
    cum[:, -1] = 1.0
    rows = cum.tolist()  # bisect on Python floats: the comparisons of searchsorted(side="right"), 10x faster per step
    u = rng.random(n).tolist()
    path = [0] * n
    state = int(start)
    for i in range(n):
        path[i] = state
        state = bisect.bisect_right(rows[state], u[i])
    return np.array(path, dtype=np.int64)


def run_lengths(in_set: ArrayLike) -> NDArray[np.int64]:
    """Lengths of the maximal runs of ``True`` in a boolean sequence.

    Runs cut by the ends of the sequence are left out (their length is not
    observed in full). ``in_set`` holds booleans (or the integers 0 and 1).
    """
    x = _booleans(in_set)
    padded = np.concatenate([[False], x, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    starts, ends = edges[::2], edges[1::2]
    keep = (starts > 0) & (ends < x.size)
    return (ends - starts)[keep]


def _booleans(in_set: ArrayLike) -> NDArray[np.bool_]:
    """A 1-D boolean array; integers must be 0 or 1 (no silent truth value of other numbers)."""
    x = np.asarray(in_set) if isinstance(in_set, (list, tuple, np.ndarray)) else np.asarray(None)
    if x.ndim != 1 or (x.size and x.dtype.kind not in "biu"):
        raise ValueError(f"in_set must be a 1-D array of booleans, got {in_set!r:.80}")
    if x.dtype.kind in "iu" and ((x != 0) & (x != 1)).any():
        raise ValueError("in_set holds integers other than 0 and 1")
    return x.astype(bool)


def mean_run_length(in_set: ArrayLike) -> tuple[float, float, int]:
    """Mean length of complete runs of ``True``, its standard error, and the number of runs.

    NaN marks what the data cannot give: both are NaN when there is no
    complete run, the standard error is NaN for a single run.
    """
    runs = run_lengths(in_set)
    if runs.size == 0:
        return float("nan"), float("nan"), 0
    se = runs.std(ddof=1) / np.sqrt(runs.size) if runs.size > 1 else float("nan")
    return float(runs.mean()), float(se), int(runs.size)


def queue_throughput(
    arrival: float,
    service: float,
    capacity: int,
    horizon: float,
    n_reps: int,
    rng: np.random.Generator,
    warmup: float = 0.0,
) -> NDArray[np.float64]:
    """Served transactions per unit time in ``n_reps`` independent runs of an M/M/1/capacity queue.

    A continuous-time event simulation, all replications advanced together:
    in each state the next event comes after an exponential time at rate
    ``arrival + service * (queue > 0)``; an arrival finding ``capacity``
    transactions in the system is turned away. Counting starts after
    ``warmup`` (the queue starts empty).

    Raises
    ------
    ValueError
        If a rate is not finite (``arrival >= 0``, ``service > 0``), the
        capacity or ``n_reps`` is not an integer >= 1, ``horizon`` is not
        finite and > 0, ``warmup`` not finite and >= 0, ``rng`` not a
        Generator, or the expected number of events
        ``(arrival + service) * (warmup + horizon) * n_reps`` exceeds
        :data:`~vpt._checks.MAX_DRAWS`.
    """
    lam = non_negative(arrival, "arrival")
    mu = positive(service, "service")
    k = count(capacity, "capacity")
    span = positive(horizon, "horizon")
    t_end = span + non_negative(warmup, "warmup")
    reps = count(n_reps, "n_reps", maximum=MAX_CELLS)
    rng = generator(rng)
    if (lam + mu) * t_end * reps > MAX_DRAWS:
        raise ValueError(f"about {(lam + mu) * t_end * reps:.3g} events, above the limit of {MAX_DRAWS:,}")
    if lam == 0:  # nothing arrives, nothing is served
        return np.zeros(reps)
    t = np.zeros(reps)
    q = np.zeros(reps, dtype=np.int64)
    served = np.zeros(reps)
    active = np.ones(reps, dtype=bool)
    while active.any():
        rate = lam + mu * (q > 0)
        dt = rng.exponential(1.0, reps) / rate
        t_new = t + dt
        active &= t_new <= t_end
        is_arrival = rng.random(reps) * rate < lam
        serve = active & ~is_arrival & (q > 0)
        served += serve & (t_new > warmup)
        q = q + (active & is_arrival & (q < k)) - serve
        t = np.where(active, t_new, t)
    return served / span
