"""Mechanisms under audit: textbook calibration mechanisms, the paper's PPoEM pieces, and a repaired PPoEM.

Each mechanism comes as a sampler ``sampler(input, size, rng)`` for
:func:`vpt.audit.epsilon_lower_bound`, with its log density or exact output law
where one is known.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, stats

from vpt._checks import (
    MAX_CELLS,
    cells,
    choice,
    count,
    finite_array,
    generator,
    non_negative,
    number,
    positive,
    probability,
    text,
)
from vpt.mining import MECHANISMS, check_params, elect
from vpt.settlement import _bids_and_asks, ppoem_price_string, ppoem_prices, select_price

__all__ = [
    "Mechanism",
    "StressPair",
    "broken_laplace",
    "election_sampler",
    "find_stress_pair",
    "laplace",
    "laplace_string_log_density",
    "ppoem_price_sampler",
    "ppoem_string_sampler",
    "price_selection_law",
    "randomized_response",
    "repaired_election",
    "repaired_ppoem_prices",
    "report_noisy_max",
    "report_noisy_max_law",
]


@dataclass(frozen=True)
class Mechanism:
    """A mechanism to audit: its sampler, optional log density, and its true privacy loss.

    ``true_epsilon`` is the exact privacy loss between ``data`` and
    ``neighbour`` (not merely an upper bound), ``claimed_epsilon`` what the
    mechanism is supposed to guarantee.
    """

    name: str
    sampler: object
    data: object
    neighbour: object
    true_epsilon: float
    claimed_epsilon: float
    log_density: object = None


# ----------------------------------------------------------------- textbook mechanisms


def laplace(eps: float, length: int = 1, name: str | None = None) -> Mechanism:
    """``length`` independent Laplace draws of scale ``1/eps`` around the input (sensitivity 1).

    Inputs 0 and 1: the true loss is ``length * eps`` (each coordinate's loss is
    at most ``eps``, attained together on ``x <= 0``).
    """
    eps = positive(eps, "eps")
    length = count(length, "length", maximum=MAX_CELLS)
    if name is not None:
        text(name, "name")

    def sampler(mu, size, rng):
        return rng.laplace(mu, 1 / eps, size if length == 1 else (size, length))

    def log_density(mu, x):
        d = np.subtract(x, mu, dtype=float)  # -|x - mu| * eps, in place: these arrays are large
        np.abs(d, out=d)
        np.negative(d, out=d)
        d *= eps
        return d if length == 1 else d.sum(axis=1)

    label = name or (f"Laplace, eps={eps:g}" if length == 1 else f"{length} Laplace draws at eps={eps:g} each")
    return Mechanism(label, sampler, 0.0, 1.0, length * eps, length * eps, log_density)


def broken_laplace(eps: float) -> Mechanism:
    """A classic bug: Laplace noise of scale ``eps`` instead of ``1/eps``. Claims ``eps``, loses ``1/eps``."""
    eps = positive(eps, "eps")

    def sampler(mu, size, rng):
        return rng.laplace(mu, eps, size)

    def log_density(mu, x):
        return -np.abs(np.asarray(x) - mu) / eps

    return Mechanism(f"broken Laplace (scale eps), claims eps={eps:g}", sampler, 0.0, 1.0, 1 / eps, eps, log_density)


def randomized_response(eps: float) -> Mechanism:
    """Report the true bit with probability ``e^eps / (1 + e^eps)``; inputs 0 and 1; true loss ``eps``."""
    eps = positive(eps, "eps")
    keep = 1 / (1 + math.exp(-eps))  # e^eps / (1 + e^eps), without overflow

    def sampler(bit, size, rng):
        flip = rng.random(size) >= keep
        return np.where(flip, 1 - bit, bit).astype(np.int64)

    return Mechanism(f"randomized response, eps={eps:g}", sampler, 0, 1, eps, eps)


def report_noisy_max_law(counts: ArrayLike, eps: float) -> NDArray[np.float64]:
    """Exact law of the index of ``argmax(counts + Laplace(1/eps))``, by numerical integration.

    ``counts`` is a finite 1-D array of 1 to 20 counts (the integration is
    quadratic in their number); larger inputs raise ``ValueError``.
    """
    c = finite_array(counts, "counts", ndim=1, nonempty=True)
    if c.size > 20:
        raise ValueError(f"report_noisy_max_law integrates numerically over at most 20 counts, got {c.size}")
    eps = positive(eps, "eps")
    b = 1 / eps
    law = np.empty(c.size)
    for i in range(c.size):
        others = np.delete(c, i)

        def integrand(x, ci=c[i], others=others):
            return stats.laplace.pdf(x, ci, b) * np.prod(stats.laplace.cdf(x, others, b))

        # split the line at the kinks of the Laplace densities
        pts = sorted(set(c.tolist()))
        with warnings.catch_warnings():
            warnings.simplefilter("error", integrate.IntegrationWarning)
            try:
                law[i] = sum(
                    integrate.quad(integrand, lo, hi, limit=200, epsabs=1e-13, epsrel=1e-11)[0]
                    for lo, hi in zip([-np.inf, *pts], [*pts, np.inf], strict=True)
                )
            except integrate.IntegrationWarning as exc:
                msg = f"the numerical integration did not converge for counts {c} at eps={eps}: {exc}"
                raise ValueError(msg) from None
    return law / law.sum()


def report_noisy_max(eps: float, counts=(0.0, 0.0, 0.0), neighbour=(1.0, 0.0, 0.0)) -> Mechanism:
    """Report-noisy-max with Laplace(1/eps) noise on sensitivity-1 counts; ``eps``-DP.

    The true loss between the two given count vectors is computed exactly
    from the output laws (it is below ``eps`` for a single pair).
    """
    eps = positive(eps, "eps")
    from vpt.audit import exact_epsilon

    if np.shape(counts) != np.shape(neighbour):
        raise ValueError(
            f"counts and neighbour must have the same shape, got {np.shape(counts)} and {np.shape(neighbour)}"
        )
    true = exact_epsilon(report_noisy_max_law(counts, eps), report_noisy_max_law(neighbour, eps))

    def sampler(c, size, rng):
        c = np.asarray(c, dtype=float)
        return np.argmax(c + rng.laplace(0.0, 1 / eps, (size, c.size)), axis=1).astype(np.int64)

    return Mechanism(f"report noisy max, eps={eps:g}", sampler, tuple(counts), tuple(neighbour), true, eps)


# ----------------------------------------------------------------- the paper's PPoEM pieces


def laplace_string_log_density(
    bid: float,
    x: NDArray,
    *,
    ask: float,
    eps1: float,
    laplace_sensitivity: float = 1.0,
    keep: str = "truncate",
    centre: str = "bid",
) -> NDArray[np.float64]:
    """Log density of a PPoEM price string (rows of ``x``) given the winning ``bid``.

    ``keep="truncate"``: product of Laplace densities conditioned on
    ``[ask, bid]`` (``-inf`` outside); ``keep="none"``: the plain Laplace
    mechanism of Eq. 9, ``Lap(W_bid, F_i, eps1)``, with no constraint.
    """
    choice(keep, "keep", ("truncate", "none"))
    choice(centre, "centre", ("bid", "midpoint"))
    bid = non_negative(bid, "bid")
    ask = non_negative(ask, "ask")
    if bid < ask:
        raise ValueError(f"bid must be >= ask, got bid={bid!r} and ask={ask!r}")
    s = positive(laplace_sensitivity, "laplace_sensitivity") / positive(eps1, "eps1")
    if not math.isfinite(s):
        raise ValueError("the Laplace scale laplace_sensitivity / eps1 overflows")
    mu = bid if centre == "bid" else (bid + ask) / 2
    x = np.atleast_2d(finite_array(x, "x"))
    if x.ndim != 2:
        raise ValueError(f"x must hold one price string per row (2-D), got shape {x.shape}")
    logpdf = x - mu  # -|x - mu| / s - log(2 s), in place: these arrays are large
    np.abs(logpdf, out=logpdf)
    np.negative(logpdf, out=logpdf)
    logpdf /= s
    logpdf -= math.log(2 * s)
    if keep == "none":
        return logpdf.sum(axis=1)
    mass = stats.laplace.cdf(bid, mu, s) - stats.laplace.cdf(ask, mu, s)
    if not mass > 0:
        raise ValueError(f"the interval [ask, bid] has no Laplace mass at scale {s!r}: the truncated law is undefined")
    inside = (x >= ask) & (x <= bid)
    return np.where(inside.all(axis=1), (logpdf - math.log(mass)).sum(axis=1), -np.inf)


def price_selection_law(
    string: ArrayLike, bid: float, ask: float, *, eps2: float, quality_sensitivity: float = 1.0
) -> NDArray:
    """Exact law of the exponential choice of Eq. 10 over a fixed string (quality ``min(o - a, b - o)``)."""
    o = finite_array(string, "string", ndim=1, nonempty=True)
    bid = number(bid, "bid")
    ask = number(ask, "ask")
    factor = positive(eps2, "eps2") / (2 * positive(quality_sensitivity, "quality_sensitivity"))
    with np.errstate(over="ignore"):
        q = np.minimum(o - ask, bid - o)
        gap = q - q.max()  # <= 0: the best candidates have weight exp(0), nothing overflows
        z = np.exp(np.where(gap == 0, 0.0, factor * gap))
    return z / z.sum()


# ----------------------------------------------------------------- the repair


def repaired_ppoem_prices(
    bid: ArrayLike,
    ask: ArrayLike,
    *,
    eps1: float,
    eps2: float,
    length: int,
    rng: np.random.Generator,
    price_range: tuple[float, float],
    sensitivity: float = 1.0,
) -> NDArray[np.float64]:
    """A PPoEM price that is ``(eps1 + eps2)``-DP by construction.

    Neighbouring inputs: one trade's bid and ask each change by at most
    ``sensitivity`` (price units). Two changes to the paper's mechanism:

    1. The Laplace string spends ``eps1 / length`` per draw (scale
       ``length * sensitivity / eps1``), so the whole string is ``eps1``-DP
       by basic composition; it is clamped to the **public** range
       ``price_range`` (tariff floor and ceiling), which is post-processing,
       instead of to the private ``[ask, bid]``.
    2. The exponential choice (Eq. 10, quality ``min(o - ask, bid - o)``,
       whose sensitivity is ``sensitivity``) is ``eps2``-DP given the string.

    The cost: a price may fall outside ``[ask, bid]``.
    """
    if not isinstance(price_range, (list, tuple)) or len(price_range) != 2:
        raise ValueError(f"price_range must be two prices (low, high), got {price_range!r:.80}")
    lo, hi = number(price_range[0], "price_range low"), number(price_range[1], "price_range high")
    if not lo < hi:
        raise ValueError(f"price_range must be two finite prices low < high, got {price_range}")
    eps1 = positive(eps1, "eps1")
    eps2 = positive(eps2, "eps2")
    length = count(length, "length (l)", maximum=MAX_CELLS)
    sens = positive(sensitivity, "sensitivity")
    bid, ask = _bids_and_asks(bid, ask)
    cells(bid.size * length, f"{bid.size} price strings of length {length}")
    rng = generator(rng)
    scale = length * sens / eps1
    if not math.isfinite(scale):
        raise ValueError("the Laplace scale length * sensitivity / eps1 overflows")
    with np.errstate(over="ignore"):  # a draw beyond the float range is clamped to the range like any other
        string = np.clip(bid[:, None] + rng.laplace(0.0, scale, (bid.size, length)), lo, hi)
    return select_price(string, bid, ask, eps2=eps2, quality_sensitivity=sens, rng=rng)


def repaired_election(
    energy: ArrayLike, n_elections: int, rng: np.random.Generator, *, eps3: float, sensitivity: float
):
    """Leader, second and third winner, ``eps3``-DP together: each draw spends ``eps3 / 3`` (Eq. 6, 11)."""
    eps3 = positive(eps3, "eps3")
    return elect(energy, "ppoem", n_elections, rng, eps3=eps3 / 3, sensitivity=sensitivity)


def ppoem_string_sampler(ask: float, **options):
    """Sampler of PPoEM price strings for a fixed ask; the input is the winning bid.

    ``options`` are those of :func:`vpt.settlement.ppoem_price_string`; they
    and ``ask`` are checked here, by one draw from a throw-away generator.
    """
    ask = non_negative(ask, "ask")
    ppoem_price_string(np.array([ask]), np.array([ask]), rng=np.random.default_rng(0), **options)

    def sampler(bid, size, rng):
        return ppoem_price_string(np.full(size, number(bid, "bid")), np.full(size, ask), rng=rng, **options)

    return sampler


def ppoem_price_sampler(ask: float, **options):
    """Sampler of PPoEM final prices (Eq. 9-10) for a fixed ask; the input is the winning bid.

    ``options`` are those of :func:`vpt.settlement.ppoem_prices`; they and
    ``ask`` are checked here, by one draw from a throw-away generator.
    """
    ask = non_negative(ask, "ask")
    ppoem_prices(np.array([ask]), np.array([ask]), rng=np.random.default_rng(0), **options)

    def sampler(bid, size, rng):
        return ppoem_prices(np.full(size, number(bid, "bid")), np.full(size, ask), rng=rng, **options)

    return sampler


def election_sampler(mechanism: str, places: int = 1, **params):
    """Sampler of elections for :func:`vpt.audit.epsilon_lower_bound`; the input is the energy vector.

    ``places=1`` releases the leader only; ``places=3`` the ordered triple.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    check_params(mechanism, params)
    places = count(places, "places", maximum=3)

    def sampler(energy, size, rng):
        w = elect(np.asarray(energy, dtype=float), mechanism, size, rng, **params)
        return w[:, 0] if places == 1 else w[:, :places]

    return sampler


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
    from vpt.audit import exact_epsilon

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
