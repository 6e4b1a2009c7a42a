"""Mechanisms under audit: textbook calibration mechanisms and the paper's PPoEM pieces.

Each mechanism comes as a sampler ``sampler(input, size, rng)`` for
:func:`vpt.privacy.audit.epsilon_lower_bound`, with its log density or exact output law
where one is known.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, stats

from vpt._checks import (
    MAX_CELLS,
    choice,
    count,
    finite_array,
    non_negative,
    number,
    positive,
    text,
)
from vpt.market.mining import MECHANISMS, check_params, elect
from vpt.market.settlement import ppoem_price_string, ppoem_prices
from vpt.privacy.laws import exact_epsilon

__all__ = [
    "Mechanism",
    "broken_laplace",
    "election_sampler",
    "laplace",
    "laplace_string_log_density",
    "ppoem_price_sampler",
    "ppoem_string_sampler",
    "price_selection_law",
    "randomized_response",
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
    sampler: Callable[[Any, int, np.random.Generator], NDArray]
    data: Any
    neighbour: Any
    true_epsilon: float
    claimed_epsilon: float
    log_density: Callable[[Any, NDArray], NDArray] | None = None


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
    top = c == c.max()
    rest = c[~top]
    # A count at distance g below the maximum wins with probability below (1 + eps g / 2) e^(-eps g) (the
    # difference of two Laplace draws exceeding g): past eps g = 700 that underflows double precision, the law is
    # its limit, the maxima sharing equally (by symmetry), and the integral would return zeros or NaN.
    if rest.size == 0 or eps * (c.max() - rest.max()) > 700:
        return top / top.sum()
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
    if not (np.all(np.isfinite(law)) and law.sum() > 0):
        raise ValueError(f"the numerical integration underflowed for counts {c} at eps={eps}: use a smaller eps")
    return law / law.sum()


def report_noisy_max(eps: float, counts=(0.0, 0.0, 0.0), neighbour=(1.0, 0.0, 0.0)) -> Mechanism:
    """Report-noisy-max with Laplace(1/eps) noise on sensitivity-1 counts; ``eps``-DP.

    The true loss between the two given count vectors is computed exactly
    from the output laws (it is below ``eps`` for a single pair).
    """
    eps = positive(eps, "eps")
    if np.shape(counts) != np.shape(neighbour):
        raise ValueError(
            f"counts and neighbour must have the same shape, got {np.shape(counts)} and {np.shape(neighbour)}"
        )
    true = exact_epsilon(report_noisy_max_law(counts, eps), report_noisy_max_law(neighbour, eps))
    if not math.isfinite(true):
        raise ValueError(
            f"at eps={eps:g} an output's probability underflows in double precision, so the exact loss between "
            "these counts cannot be computed (the mechanism is eps-DP by its theorem): use a smaller eps"
        )

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


def ppoem_string_sampler(ask: float, **options):
    """Sampler of PPoEM price strings for a fixed ask; the input is the winning bid.

    ``options`` are those of :func:`vpt.market.settlement.ppoem_price_string`; they
    and ``ask`` are checked here, by one draw from a throw-away generator.
    """
    ask = non_negative(ask, "ask")
    ppoem_price_string(np.array([ask]), np.array([ask]), rng=np.random.default_rng(0), **options)

    def sampler(bid, size, rng):
        return ppoem_price_string(np.full(size, number(bid, "bid")), np.full(size, ask), rng=rng, **options)

    return sampler


def ppoem_price_sampler(ask: float, **options):
    """Sampler of PPoEM final prices (Eq. 9-10) for a fixed ask; the input is the winning bid.

    ``options`` are those of :func:`vpt.market.settlement.ppoem_prices`; they and
    ``ask`` are checked here, by one draw from a throw-away generator.
    """
    ask = non_negative(ask, "ask")
    ppoem_prices(np.array([ask]), np.array([ask]), rng=np.random.default_rng(0), **options)

    def sampler(bid, size, rng):
        return ppoem_prices(np.full(size, number(bid, "bid")), np.full(size, ask), rng=rng, **options)

    return sampler


def election_sampler(mechanism: str, places: int = 1, **params):
    """Sampler of elections for :func:`vpt.privacy.audit.epsilon_lower_bound`; the input is the energy vector.

    ``places=1`` releases the leader only; ``places=3`` the ordered triple.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    check_params(mechanism, params)
    places = count(places, "places", maximum=3)

    def sampler(energy, size, rng):
        w = elect(np.asarray(energy, dtype=float), mechanism, size, rng, **params)
        return w[:, 0] if places == 1 else w[:, :places]

    return sampler
