"""Empirical differential-privacy auditing: lower confidence bounds on the privacy loss, and stress pairs.

A mechanism ``M`` is epsilon-DP if ``P[M(D) in E] <= exp(epsilon) P[M(D') in E]``
for all neighbouring ``D, D'`` and events ``E``. Any event with
``P[M(D) in E] >= p_lo`` and ``P[M(D') in E] <= q_hi`` therefore certifies
``epsilon >= ln(p_lo / q_hi)``. :func:`epsilon_lower_bound` finds such an
event on a pilot sample and confirms it on fresh samples with exact
(Clopper-Pearson) binomial bounds, in the manner of StatDP (Ding et al.
2018), DP-Sniper (Bichsel et al. 2021) and the auditing of Jagielski et al.
(2020). Where the output law is known, :func:`vpt.privacy.laws.exact_epsilon`
gives the loss exactly, and :func:`find_stress_pair` searches for the
neighbouring energy vectors at which an election's loss is largest.

References
----------
Z. Ding, Y. Wang, G. Wang, D. Zhang, D. Kifer. Detecting violations of
differential privacy. CCS 2018.
B. Bichsel, S. Steffen, I. Bogunovic, M. Vechev. DP-Sniper: black-box
discovery of differential privacy violations using classifiers. IEEE S&P 2021.
M. Jagielski, J. Ullman, A. Oprea. Auditing differentially private machine
learning: how private is private SGD? NeurIPS 2020.
C. J. Clopper, E. S. Pearson. The use of confidence or fiducial limits
illustrated in the case of the binomial. Biometrika 26, 1934.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from vpt._checks import MAX_CELLS, MAX_DRAWS, choice, count, finite_array, generator, positive, probability
from vpt.privacy.laws import exact_epsilon

__all__ = [
    "AuditResult",
    "StressPair",
    "clopper_pearson",
    "epsilon_lower_bound",
    "find_stress_pair",
]

Sampler = Callable[[Any, int, np.random.Generator], NDArray]
#: ``runner(fn, tasks)`` returns ``[fn(*task) for task in tasks]``, possibly computed elsewhere (on Dask).
Runner = Callable[[Callable[..., Any], list[tuple]], Any]

#: Continuous scores are rounded to this many decimals before events are formed.
SCORE_DECIMALS = 9


def clopper_pearson(k: ArrayLike, n: int, level: float, side: str) -> NDArray[np.float64]:
    """One-sided Clopper-Pearson bound for a binomial proportion.

    ``side="lower"``: ``P(p >= bound) >= 1 - level``; ``side="upper"``:
    ``P(p <= bound) >= 1 - level``. Exact (conservative) at every ``n``.
    ``k`` may be fractional (a predicted count); it must lie in ``[0, n]``.

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 1, ``k`` is not finite or outside
        ``[0, n]``, ``level`` is not in (0, 1), or ``side`` is unknown.
    """
    choice(side, "side", ("lower", "upper"))
    n = count(n, "n")
    level = probability(level, "level", open_interval=True)
    k = finite_array(k, "k")
    if (k < 0).any() or (k > n).any():
        raise ValueError(f"k must be in [0, n] = [0, {n}], got values from {k.min()!r} to {k.max()!r}")
    if side == "lower":
        return np.where(k > 0, stats.beta.ppf(level, np.maximum(k, 1e-300), n - k + 1), 0.0)
    return np.where(k < n, stats.beta.ppf(1 - level, k + 1, np.maximum(n - k, 1e-300)), 1.0)


@dataclass(frozen=True)
class AuditResult:
    """The outcome of :func:`epsilon_lower_bound`.

    ``epsilon_lower`` holds with probability at least ``1 - alpha`` over the
    audit's own randomness: the true privacy loss between the two inputs is
    at least this. ``event`` describes the event that attains it; ``counts``
    are its hits among the ``n`` fresh outputs of the numerator and
    denominator input (``direction`` says which is which); ``p_lower`` and
    ``q_upper`` their Clopper-Pearson bounds; ``n_events`` the number of
    (event, direction) pairs confirmed on the fresh samples, over which
    ``alpha`` was divided.
    """

    epsilon_lower: float
    event: str
    direction: str
    counts: tuple[int, int]
    p_lower: float
    q_upper: float
    n: int
    n_pilot: int
    n_events: int
    alpha: float


@dataclass(frozen=True)
class _Event:
    kind: str  # "le", "ge", "eq" on a scalar score, or "row" for a discrete outcome
    value: Any
    forward: bool  # True: numerator is the first input (data), False: the neighbour

    def describe(self, what: str) -> str:
        sym = {"le": "<=", "ge": ">=", "eq": "=="}.get(self.kind)
        if self.kind == "row":
            return f"output == {tuple(np.asarray(self.value).tolist()) if np.ndim(self.value) else self.value!r}"
        return f"{what} {sym} {self.value:.6g}"

    def hits(self, s: NDArray) -> int:
        if self.kind == "le":
            return int(np.count_nonzero(s <= self.value))
        if self.kind == "ge":
            return int(np.count_nonzero(s >= self.value))
        if self.kind == "eq":
            return int(np.count_nonzero(s == self.value))
        return int(np.count_nonzero(np.all(s == self.value, axis=1)))


def _pilot_hits(candidates: list[_Event], sp: NDArray, sq: NDArray, discrete: bool) -> tuple[NDArray, NDArray]:
    """Hits of every candidate event among the pilot scores ``sp`` and ``sq`` (exact counts).

    Scalar events are counted on the sorted scores by binary search, rows one
    by one; the counts equal :meth:`_Event.hits` on the unsorted scores.
    """
    if discrete:
        return (
            np.array([ev.hits(sp) for ev in candidates], dtype=np.int64),
            np.array([ev.hits(sq) for ev in candidates], dtype=np.int64),
        )
    kinds = np.array([ev.kind for ev in candidates])
    values = np.array([ev.value for ev in candidates], dtype=float)
    out = []
    for s in (sp, sq):
        s = np.sort(s)
        left, right = np.searchsorted(s, values, "left"), np.searchsorted(s, values, "right")
        hits = np.select([kinds == "le", kinds == "ge", kinds == "eq"], [right, s.size - left, right - left])
        # NaN scores are never hit by any event (as in _Event.hits): np.sort puts them last
        nan = int(np.count_nonzero(np.isnan(s)))
        if nan:
            hits = np.where(kinds == "ge", hits - nan, hits)
        hits = np.where(np.isnan(values), 0, hits)  # nothing compares equal to, above or below NaN
        out.append(hits.astype(np.int64))
    return out[0], out[1]


def _as_outputs(x: NDArray, size: int) -> NDArray:
    x = np.asarray(x)
    if x.ndim == 0 or x.shape[0] != size or x.ndim > 2:
        raise ValueError(
            f"the sampler must return an array of {size} outputs (shape ({size},) or ({size}, d)), got shape {x.shape}"
        )
    if x.dtype.kind not in "biuf":
        raise ValueError(f"the sampler must return numbers, got dtype {x.dtype}")
    if x.dtype.kind == "f" and np.isnan(x).any():
        raise ValueError("the sampler returned NaN: an output that no event can count")
    if x.dtype.kind == "f" and np.isinf(x).any():
        raise ValueError("the sampler returned an infinite output: a mechanism's outputs must be finite numbers")
    return x


def _discrete(x: NDArray) -> bool:
    return np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.bool_)


def epsilon_lower_bound(
    sampler: Sampler,
    data: Any,
    neighbour: Any,
    *,
    n: int,
    rng: np.random.Generator,
    alpha: float = 0.05,
    n_pilot: int | None = None,
    log_density: Callable[[Any, NDArray], NDArray] | None = None,
    score: Callable[[NDArray], NDArray] | None = None,
    n_events: int = 8,
    chunk: int = 1_000_000,
    score_decimals: int | None = SCORE_DECIMALS,
    runner: Runner | None = None,
) -> AuditResult:
    """A lower confidence bound on the privacy loss of ``sampler`` between ``data`` and ``neighbour``.

    Method (all bounds simultaneous at level ``1 - alpha``):

    1. **Pilot.** Draw ``n_pilot`` outputs from each input. Candidate events:
       for discrete outputs (integer scalars or integer rows), each outcome
       seen; for continuous outputs, half-lines ``{s <= t}``, ``{s >= t}`` at
       pilot quantiles and point masses (values repeated in the pilot) of a
       scalar score ``s``. The score is the output itself for scalar
       outputs, the log likelihood ratio ``log p(x | data) - log p(x |
       neighbour)`` when ``log_density`` is given (so the half-lines are the
       Neyman-Pearson optimal events), or ``score(x)``.
    2. **Selection.** For every (event, direction) the pilot frequencies
       predict the bound that ``n`` fresh samples would certify; the
       ``n_events`` best are kept. The pilot is then discarded, so the
       choice of events cannot bias the confirmation.
    3. **Confirmation.** Draw ``n`` fresh outputs from each input, count each
       kept event, and bound both probabilities with one-sided
       Clopper-Pearson bounds at level ``alpha / (2 n_events)`` each
       (Bonferroni over all bounds). ``epsilon_lower = max ln(p_lo / q_hi)``,
       and 0 if no event certifies anything.

    Parameters
    ----------
    sampler
        ``sampler(input, size, rng)`` returns ``size`` outputs: shape
        ``(size,)``, or ``(size, d)`` for tuple-valued outputs.
    data, neighbour
        The two neighbouring inputs, passed to ``sampler`` as they are.
    n
        Fresh outputs per input for the confirmation (>= 1).
    rng
        Random generator for every draw.
    alpha
        The bound holds with probability at least ``1 - alpha``; in (0, 1).
    n_pilot
        Pilot outputs per input; default ``max(10_000, n // 10)``.
    log_density
        ``log_density(input, outputs)``: log density (or mass) of each
        output under ``input``; ``-inf`` outside the support.
    score
        A scalar statistic of continuous vector outputs (needed for them when
        ``log_density`` is not given).
    n_events
        How many (event, direction) pairs to confirm (>= 1).
    chunk
        Outputs drawn at a time, to bound memory.
    score_decimals
        Continuous scores are rounded to this many decimals (default 9), so
        that no event hinges on the last bits of a float: that would audit the
        floating-point implementation rather than the mechanism. ``None``
        keeps the raw floats (to look for exactly such leaks).
    runner
        ``runner(fn, tasks)`` returning ``[fn(*t) for t in tasks]`` (for instance
        :func:`vpt.book.parallel.runner` on a Dask cluster): the confirmation's
        chunks then run as independent tasks, each drawing from its own child
        of ``rng`` (``rng.spawn``), so the bound is the same whichever runner
        runs them. ``None`` (default) draws the chunks one after another from
        ``rng`` itself (another random stream, the same method).

    Returns
    -------
    AuditResult

    Raises
    ------
    ValueError
        If ``alpha`` is not in (0, 1), ``n``, ``n_pilot``, ``n_events`` or
        ``chunk`` is not an integer >= 1 (``n`` at most :data:`MAX_DRAWS`,
        ``n_pilot`` and ``chunk`` at most :data:`MAX_CELLS`), ``rng`` is not a
        Generator, the sampler returns the wrong shape or NaN, ``log_density``
        returns NaN, or continuous vector outputs come without
        ``log_density`` or ``score``.
    """
    alpha = probability(alpha, "alpha", open_interval=True)
    n = count(n, "n", maximum=MAX_DRAWS)
    n_pilot = count(max(10_000, n // 10) if n_pilot is None else n_pilot, "n_pilot", maximum=MAX_CELLS)
    n_events = count(n_events, "n_events")
    chunk = count(chunk, "chunk", maximum=MAX_CELLS)
    rng = generator(rng)
    for name, fn in (("sampler", sampler), ("log_density", log_density), ("score", score)):
        if not callable(fn) and not (fn is None and name != "sampler"):
            raise ValueError(f"{name} must be callable, got {fn!r:.80}")
    if score_decimals is not None:
        score_decimals = count(score_decimals, "score_decimals", minimum=0, maximum=15)

    def draw(inp: Any, size: int) -> NDArray:
        return _as_outputs(sampler(inp, size, rng), size)

    to_score = _scorer(data, neighbour, log_density, score, score_decimals)

    # ---- pilot: candidate events, and the bound each predicts
    pilot_p = draw(data, n_pilot)
    pilot_q = draw(neighbour, n_pilot)
    discrete = _discrete(pilot_p) and log_density is None and score is None
    if discrete:
        sp, sq = pilot_p.reshape(n_pilot, -1), pilot_q.reshape(n_pilot, -1)
        what = "output"
    else:
        sp, sq = to_score(pilot_p), to_score(pilot_q)
        what = "log-likelihood ratio" if log_density is not None else ("score" if score is not None else "output")
    candidates = _candidate_events(sp, sq, discrete)
    level = alpha / (2 * n_events)
    chosen = _choose_events(candidates, sp, sq, discrete, n=n, n_pilot=n_pilot, level=level, n_events=n_events)
    del pilot_p, pilot_q, sp, sq  # the pilot is discarded: it chose the events, it does not count them

    # ---- confirmation on fresh samples, in chunks to bound memory
    sizes = [chunk] * (n // chunk) + ([n % chunk] if n % chunk else [])
    if runner is None:
        counted = [_count_hits(sampler, data, neighbour, to_score, chosen, discrete, size, rng) for size in sizes]
    else:
        if not callable(runner):
            raise ValueError(f"runner must be a function run(fn, tasks), got {runner!r:.80}")
        tasks = [
            (sampler, data, neighbour, to_score, chosen, discrete, size, child)
            for size, child in zip(sizes, rng.spawn(len(sizes)), strict=True)
        ]
        counted = list(runner(_count_hits, tasks))
        if len(counted) != len(sizes):
            raise ValueError(f"runner returned {len(counted)} results for {len(sizes)} tasks: it must return one each")
    hits_p: NDArray[np.int64] = np.array([c[0] for c in counted], dtype=np.int64).sum(axis=0)
    hits_q: NDArray[np.int64] = np.array([c[1] for c in counted], dtype=np.int64).sum(axis=0)

    eps, ev, cnt, p_lo, q_hi = _best_confirmed(chosen, hits_p, hits_q, n=n, level=level)
    return AuditResult(
        epsilon_lower=max(0.0, eps),
        event=ev.describe(what),
        direction="data / neighbour" if ev.forward else "neighbour / data",
        counts=cnt,
        p_lower=p_lo,
        q_upper=q_hi,
        n=n,
        n_pilot=n_pilot,
        n_events=len(chosen),
        alpha=alpha,
    )


def _count_hits(
    sampler: Sampler,
    data: Any,
    neighbour: Any,
    to_score: Callable[[NDArray], NDArray],
    chosen: list[_Event],
    discrete: bool,
    size: int,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """One confirmation chunk: ``size`` fresh outputs from each input, and how many fall in each chosen event."""
    xp = _as_outputs(sampler(data, size, rng), size)
    xq = _as_outputs(sampler(neighbour, size, rng), size)
    xp, xq = (xp.reshape(size, -1), xq.reshape(size, -1)) if discrete else (to_score(xp), to_score(xq))
    return (
        np.array([ev.hits(xp) for ev in chosen], dtype=np.int64),
        np.array([ev.hits(xq) for ev in chosen], dtype=np.int64),
    )


def _scorer(
    data: Any,
    neighbour: Any,
    log_density: Callable[[Any, NDArray], NDArray] | None,
    score: Callable[[NDArray], NDArray] | None,
    score_decimals: int | None,
) -> Callable[[NDArray], NDArray]:
    """The scalar score of continuous outputs that events are formed on (step 1 of the method).

    Scores are rounded to ``score_decimals``: events must not hinge on the last
    bits of a float, which would audit the floating-point implementation
    rather than the mechanism (see the book's section on Mironov's attack).
    """

    def rounded(s: NDArray) -> NDArray:
        return s if score_decimals is None else np.round(s, score_decimals)

    def to_score(x: NDArray) -> NDArray:
        if log_density is not None:
            lp = np.asarray(log_density(data, x), dtype=float)
            lq = np.asarray(log_density(neighbour, x), dtype=float)
            if lp.shape != (x.shape[0],) or lq.shape != (x.shape[0],):
                raise ValueError(
                    f"log_density must return one log density per output, shape ({x.shape[0]},); got {lp.shape} "
                    f"and {lq.shape}"
                )
            if np.isnan(lp).any() or np.isnan(lq).any() or np.isposinf(lp).any() or np.isposinf(lq).any():
                raise ValueError("log_density returned NaN or +inf (a log density is finite or -inf)")
            with np.errstate(invalid="ignore"):
                s = lp - lq
            return rounded(np.where(np.isnan(s), 0.0, s))  # -inf - -inf: impossible under both
        if score is not None:
            s = np.asarray(score(x), dtype=float)
            if s.shape != (x.shape[0],) or np.isnan(s).any():
                raise ValueError(f"score must return one number (not NaN) per output, got shape {s.shape}")
            return rounded(s)
        if x.ndim == 1:
            return rounded(x.astype(float))
        raise ValueError("continuous vector outputs need log_density or score to define events")

    return to_score


def _candidate_events(sp: NDArray, sq: NDArray, discrete: bool) -> list[_Event]:
    """Every (event, direction) the pilot suggests: outcomes seen, or half-lines and atoms of the score."""
    candidates: list[_Event] = []
    if discrete:
        for o in np.unique(np.concatenate([sp, sq]), axis=0):
            for fwd in (True, False):
                candidates.append(_Event("row", o, fwd))
        return candidates
    pooled = np.concatenate([sp, sq])
    finite = pooled[np.isfinite(pooled)]
    qs = np.concatenate(
        [
            [0.0, 1e-4, 5e-4, 1e-3, 2e-3, 5e-3],
            np.linspace(0.01, 0.99, 99),
            [0.995, 0.998, 0.999, 0.9995, 0.9999, 1.0],
        ]
    )
    thresholds = np.unique(np.quantile(finite, qs)) if finite.size else np.array([])
    values, counts = np.unique(pooled, return_counts=True)
    atoms = values[counts >= 5]
    for t in thresholds:
        for fwd in (True, False):
            candidates += [_Event("le", float(t), fwd), _Event("ge", float(t), fwd)]
    for t in atoms:
        for fwd in (True, False):
            candidates.append(_Event("eq", float(t), fwd))
    for t in (np.inf, -np.inf):  # support differences: outputs impossible under the other input
        if np.isin(t, pooled):
            for fwd in (True, False):
                candidates.append(_Event("eq", float(t), fwd))
    return candidates


def _choose_events(
    candidates: list[_Event],
    sp: NDArray,
    sq: NDArray,
    discrete: bool,
    *,
    n: int,
    n_pilot: int,
    level: float,
    n_events: int,
) -> list[_Event]:
    """The ``n_events`` distinct candidates whose pilot frequencies predict the best bound at ``n`` (step 2)."""
    a, b = _pilot_hits(candidates, sp, sq, discrete)
    num = np.array([x if ev.forward else y for ev, x, y in zip(candidates, a, b, strict=True)], dtype=float)
    den = np.array([y if ev.forward else x for ev, x, y in zip(candidates, a, b, strict=True)], dtype=float)
    lo = clopper_pearson((num + 0.5) / (n_pilot + 1) * n, n, level, "lower")
    hi = clopper_pearson((den + 0.5) / (n_pilot + 1) * n, n, level, "upper")
    with np.errstate(divide="ignore"):
        predicted = np.where(lo > 0, np.log(lo / hi), -np.inf)
    # best first; equal predictions keep the candidates' order
    chosen: list[_Event] = []
    seen = set()
    for i in np.argsort(-predicted, kind="stable"):
        ev = candidates[i]
        key = (ev.kind, ev.forward, repr(np.asarray(ev.value).tolist()))
        if key not in seen:
            seen.add(key)
            chosen.append(ev)
        if len(chosen) == n_events:
            break
    return chosen


def _best_confirmed(
    chosen: list[_Event], hits_p: NDArray, hits_q: NDArray, *, n: int, level: float
) -> tuple[float, _Event, tuple[int, int], float, float]:
    """The largest certified loss over the confirmed events, with its event, counts and bounds (step 3)."""
    best: tuple[float, _Event, tuple[int, int], float, float] | None = None
    for i, ev in enumerate(chosen):
        num, den = (hits_p[i], hits_q[i]) if ev.forward else (hits_q[i], hits_p[i])
        p_lo = float(clopper_pearson(num, n, level, "lower"))
        q_hi = float(clopper_pearson(den, n, level, "upper"))
        eps = math.log(p_lo / q_hi) if p_lo > 0 else 0.0
        if best is None or eps > best[0]:
            best = (eps, ev, (int(num), int(den)), p_lo, q_hi)
    if best is None:
        raise ValueError("no event to confirm: the pilot outputs gave no finite score to form an event from")
    return best


@dataclass(frozen=True)
class StressPair:
    """Two neighbouring energy vectors and the privacy loss of an election between them.

    ``auditable_loss`` is the largest ``|ln p(o)/q(o)|`` over outcomes ``o``
    with probability at least ``floor`` under the numerator law: the loss an
    empirical audit with about ``1/floor`` samples can see. ``exact_loss`` is
    the loss over all outcomes.
    """

    energy: NDArray[np.float64]
    neighbour: NDArray[np.float64]
    exact_loss: float
    auditable_loss: float


def find_stress_pair(
    law,
    relation: str,
    rng: np.random.Generator,
    *,
    n_trials: int = 2000,
    floor: float = 1e-3,
    max_vpps: int = 6,
    scales=(2.0, 5.0, 10.0),
    delta: float = 1.0,
) -> StressPair:
    """Random search for neighbouring energy vectors that maximise an election's auditable loss.

    ``law(energy)`` returns the output law (any shape, summing to 1).
    ``relation="add"``: one VPP's energy grows by ``delta`` (a household's
    trade added); ``"move"``: ``delta`` moves from one VPP to another (a
    household changes VPP). Energies are drawn uniformly on ``[0, scale]``
    for 3 to ``max_vpps`` VPPs.
    """
    choice(relation, "relation", ("add", "move"))
    if not callable(law):
        raise ValueError(f"law must be callable, got {law!r:.80}")
    rng = generator(rng)
    n_trials = count(n_trials, "n_trials", maximum=10**7)
    floor = probability(floor, "floor", open_interval=True)
    max_vpps = count(max_vpps, "max_vpps", minimum=3, maximum=1000)
    if not isinstance(scales, (list, tuple)) or not scales:
        raise ValueError(f"scales must be a non-empty list of positive numbers, got {scales!r:.80}")
    scales = [positive(s, "scale") for s in scales]
    delta = positive(delta, "delta")
    best: StressPair | None = None
    for _ in range(n_trials):
        v = int(rng.integers(3, max_vpps + 1))
        e = rng.uniform(0.0, float(rng.choice(scales)), v)
        f = e.copy()
        i, j = rng.choice(v, 2, replace=False)
        f[i] += delta
        if relation == "move":
            if f[j] < delta:
                continue
            f[j] -= delta
        p, q = law(e).ravel(), law(f).ravel()
        seen = [(p >= floor) & (q > 0), (q >= floor) & (p > 0)]
        with np.errstate(divide="ignore", invalid="ignore"):
            lr = np.log(p) - np.log(q)
        auditable = max(float(np.max(np.where(seen[0], lr, 0.0))), float(np.max(np.where(seen[1], -lr, 0.0))))
        if best is None or auditable > best.auditable_loss:
            best = StressPair(e, f, exact_epsilon(p, q), auditable)
    if best is None:
        raise ValueError(f"no trial found a pair of energies to compare (n_trials={n_trials}, delta={delta})")
    return best
