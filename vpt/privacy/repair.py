"""Repaired private markets: one differentially private clearing price per round, and the per-trade repair.

The book repairs PPoEM twice. The privacy audit's first repair
(:func:`repaired_ppoem_prices`, :func:`repaired_election`) keeps PPoEM's shape
(a price per trade, three elected winners) and spends the budgets so that
each release is private by composition; its prices are drawn with NumPy's
floating-point Laplace sampler, so its guarantee holds for the exact law only
(floating point opens Mironov's 2012 kind of hole): a reference design for
measuring cost, not one to deploy. The design of the household-privacy chapter,
the rest of this module, prices a whole round at once and samples with
OpenDP.

PPoEM prices every trade from its own buyer's bid, kept in [ask, bid]: not
differentially private at any budget (the privacy audit). The repair prices a
whole round at once. From a public grid of prices, :func:`clearing_quality`
scores each price ``p`` by the slots that could trade at it,
``u(p) = min(#bid slots >= p, #ask slots <= p)``, counting at most ``cap``
slots of each household; :func:`select_price` draws the price by report-noisy-
max with exponential noise of scale ``2 cap / eps`` (the law of McKenna and
Sheldon's permute-and-flip, Ding et al. 2021), which is ``eps``-DP for any change of one
household's bids or asks, or its arrival or departure (``u`` moves by at most
``cap`` at every price; the score is not monotone, hence the factor 2). Then
:func:`clear_at` trades at the drawn price: every bid at or above it and every
ask at or below it, the long side rationed by lot.

Only the price is differentially private. :func:`clear_at` decides who trades
from everyone's slots, so whether a household trades at the public price
depends on the others' reports: when no ask lies at or below the price no
bid trades, and one other household's single ask makes one trade (an
infinite loss for that ask, at any ``eps`` and any ``cap``; the lottery only
changes which positive probability). A private allocation must let a
household's fill depend only on the public price and its own reports, which
this module does not give.

The deployed sampler is OpenDP's ``make_noisy_max`` (exact sampling from the
operating system's randomness, which cannot be seeded); with a NumPy
``Generator`` the same law is simulated for the book's seeded figures.
:func:`price_law` gives the law (numerical integration to near machine
precision) for the tests of both samplers.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import MAX_CELLS, cells, count, finite_array, generator, number, positive, prices_1d
from vpt._optional import require
from vpt.market import settlement
from vpt.market.auction import match
from vpt.market.mining import elect
from vpt.market.rounds import slot_market

__all__ = [
    "PRICE_GRID",
    "RepairedRound",
    "clear_at",
    "clearing_quality",
    "noise_scale",
    "price_law",
    "repaired_election",
    "repaired_ppoem_prices",
    "repaired_round",
    "select_price",
]

#: The public grid of clearing prices, c/kWh: every 0.5 c from 6 to 32 (the book's asks and bids lie within).
PRICE_GRID = np.round(np.arange(6.0, 32.0001, 0.5), 1)


def _slots_with_cap(prices: NDArray, owners: NDArray | None, cap: int | None) -> NDArray:
    """The prices of the slots the quality counts: at most ``cap`` per owner (the first ones), all without a cap."""
    if cap is None or owners is None:
        return prices
    o = np.asarray(owners)
    if o.shape != prices.shape or (o.size and (o.dtype.kind not in "iu" or o.min() < 0)):
        raise ValueError("owners must be one non-negative integer per slot")
    if o.size == 0:
        return prices
    order = np.argsort(o, kind="stable")
    so = o[order]
    first = np.searchsorted(so, so, side="left")
    rank = np.empty(o.size, dtype=np.int64)
    rank[order] = np.arange(o.size) - first
    return prices[rank < cap]


def clearing_quality(
    bids: ArrayLike,
    asks: ArrayLike,
    grid: ArrayLike = PRICE_GRID,
    *,
    bid_owner: ArrayLike | None = None,
    ask_owner: ArrayLike | None = None,
    cap: int | None = None,
) -> NDArray[np.float64]:
    """``u(p) = min(#bids >= p, #asks <= p)`` at each grid price: the slots that could trade at ``p``.

    Bids and asks are slot prices in c/kWh. With ``cap`` (and the owners of
    the slots), at most ``cap`` slots of each household are counted, so that
    one household moves every ``u(p)`` by at most ``cap``.

    Examples
    --------
    >>> clearing_quality([20.0, 15.0, 12.0], [10.0, 14.0], [11.0, 14.0, 16.0])
    array([1., 2., 1.])
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    g = finite_array(grid, "grid", ndim=1, nonempty=True)
    if cap is not None:
        cap = count(cap, "cap")
        if bid_owner is None or ask_owner is None:
            raise ValueError("a cap needs bid_owner and ask_owner")
        b = _slots_with_cap(b, np.asarray(bid_owner), cap)
        a = _slots_with_cap(a, np.asarray(ask_owner), cap)
    n_bids = b.size - np.searchsorted(np.sort(b), g, side="left")
    n_asks = np.searchsorted(np.sort(a), g, side="right")
    return np.minimum(n_bids, n_asks).astype(np.float64)


def noise_scale(eps: float, cap: int) -> float:
    """The exponential noise scale that makes :func:`select_price` ``eps``-DP for a household with ``cap`` slots.

    Examples
    --------
    >>> noise_scale(1.0, 10)
    20.0
    """
    return 2.0 * count(cap, "cap") / positive(eps, "eps")


def select_price(quality: ArrayLike, scale: float, *, rng: np.random.Generator | None = None) -> int:
    """The index of the grid price drawn by report-noisy-max with exponential noise of ``scale``.

    Without ``rng``: OpenDP's ``make_noisy_max`` (``MaxDivergence``, a
    non-monotone L-infinity score), exact and unseeded, as deployed. With a
    NumPy ``Generator``: the same law, simulated (``argmax(u + Exp(scale))``),
    for seeded figures.

    Raises
    ------
    ValueError
        If ``quality`` is not a non-empty 1-D finite array, or ``scale`` is not
        finite and > 0.
    """
    u = finite_array(quality, "quality", ndim=1, nonempty=True)
    s = positive(scale, "scale")
    if rng is not None:
        g = generator(rng)
        return int(np.argmax(u + g.exponential(s, u.size)))
    try:
        return int(_opendp_noisy_max(s)([float(x) for x in u]))
    except ImportError:
        raise  # OpenDP is missing: the message names the extra to install
    except Exception as exc:  # OpenDP reports bad arguments (an overflowing scale, say) as its own exceptions
        raise ValueError(f"OpenDP's noisy max refused the call: {exc}") from None


@functools.lru_cache(maxsize=16)
def _opendp_noisy_max(scale: float) -> Any:
    """OpenDP's report-noisy-max measurement of ``scale`` (built once per scale)."""
    dp = require("opendp.prelude", "the deployed private sampler (OpenDP's noisy max)")  # optional

    dp.enable_features("contrib")
    return dp.m.make_noisy_max(
        dp.vector_domain(dp.atom_domain(T=float, nan=False)),
        dp.linf_distance(T=float, monotonic=False),
        dp.max_divergence(),
        scale=scale,
    )


def price_law(quality: ArrayLike, scale: float) -> NDArray[np.float64]:
    """The exact law of :func:`select_price`: ``P(i) = int f(x - u_i) prod_{j != i} F(x - u_j) dx``.

    ``f`` and ``F`` are the density and distribution function of the
    exponential noise. Every noisy score is at least its score, so the
    largest is at least ``max(u)``; from there the integrand is smooth and
    decays like ``exp(-x / scale)``, and a 150-point Gauss-Laguerre rule
    integrates it (checked against adaptive quadrature in the tests).
    """
    u = finite_array(quality, "quality", ndim=1, nonempty=True)
    s = positive(scale, "scale")
    if u.size > 10_000:
        raise ValueError(f"price_law takes at most 10,000 candidates, got {u.size}")
    with np.errstate(over="ignore"):
        z = (u - u.max()) / s  # in noise scales, the largest at 0
    if not np.all(np.isfinite(z)):
        raise ValueError("quality differences overflow at this scale")
    x, w = _LAGUERRE
    with np.errstate(divide="ignore", under="ignore"):
        log_f = np.log1p(-np.exp(z[None, :] - x[:, None]))  # (nodes, candidates): log F(x - z_j)
    total = log_f.sum(axis=1, keepdims=True)
    p = np.exp(z) * (w[:, None] * np.exp(total - log_f)).sum(axis=0)
    return p / p.sum()


_LAGUERRE = np.polynomial.laguerre.laggauss(150)


def clear_at(
    bids: ArrayLike, asks: ArrayLike, price: float, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Trade at one price: bids at or above it buy, asks at or below it sell, the long side rationed by lot.

    Returns the indices of the trading bid slots and ask slots (as many of
    each).
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    p = positive(price, "price")
    g = generator(rng)
    buyers = np.flatnonzero(b >= p)
    sellers = np.flatnonzero(a <= p)
    m = min(buyers.size, sellers.size)
    return np.sort(g.choice(buyers, m, replace=False)), np.sort(g.choice(sellers, m, replace=False))


@dataclass(frozen=True)
class RepairedRound:
    """One round of the repaired market.

    The drawn price (c/kWh), the slots traded, and the gains from trade (bid minus ask in c/kWh, summed over the
    traded slots) against the most any clearing could realise (PoEM's sorted clearing).
    """

    price: float
    traded: int
    gains: float
    max_gains: float


def repaired_round(
    surplus_kwh: ArrayLike,
    deficit_kwh: ArrayLike,
    ask: ArrayLike,
    bid: ArrayLike,
    *,
    eps: float,
    cap: int,
    rng: np.random.Generator,
    grid: ArrayLike = PRICE_GRID,
    slot_kwh: float = 0.1,
) -> RepairedRound:
    """One round of the repaired market on the slots :func:`vpt.market.slot_market` builds.

    The price is drawn with the seeded simulation of :func:`select_price`
    (scale :func:`noise_scale`), then :func:`clear_at`. Gains are in c/kWh
    summed over the traded slots.
    """
    g = generator(rng)
    slot = positive(slot_kwh, "slot_kwh")
    sm = slot_market(surplus_kwh, deficit_kwh, ask, bid, slot_kwh=slot)
    bids, asks = sm.bids / slot, sm.asks / slot  # back to c/kWh
    grid_a = finite_array(grid, "grid", ndim=1, nonempty=True)
    u = clearing_quality(bids, asks, grid_a, bid_owner=sm.bid_owner, ask_owner=sm.ask_owner, cap=cap)
    price = float(grid_a[select_price(u, noise_scale(eps, cap), rng=g)])
    if price <= 0:
        raise ValueError("grid prices must be > 0")
    bi, ai = clear_at(bids, asks, price, g)
    best = match(bids, asks)
    return RepairedRound(
        price, int(bi.size), float(bids[bi].sum() - asks[ai].sum()), float(np.sum(best.bid - best.ask))
    )


# --- the per-trade repair of the privacy audit -----------------------------------------------------------------------


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

    The cost: a price may fall outside ``[ask, bid]``. The guarantee is for
    the exact law: the draws use NumPy's floating-point Laplace sampler, which
    does not implement it exactly (see the module docstring).
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
    bid, ask = settlement._bids_and_asks(bid, ask)
    cells(bid.size * length, f"{bid.size} price strings of length {length}")
    rng = generator(rng)
    scale = length * sens / eps1
    if not math.isfinite(scale):
        raise ValueError("the Laplace scale length * sensitivity / eps1 overflows")
    with np.errstate(over="ignore"):  # a draw beyond the float range is clamped to the range like any other
        string = np.clip(bid[:, None] + rng.laplace(0.0, scale, (bid.size, length)), lo, hi)
    return settlement.select_price(string, bid, ask, eps2=eps2, quality_sensitivity=sens, rng=rng)


def repaired_election(
    energy: ArrayLike, n_elections: int, rng: np.random.Generator, *, eps3: float, sensitivity: float
) -> NDArray[np.int64]:
    """Leader, second and third winner, ``eps3``-DP together: each draw spends ``eps3 / 3`` (Eq. 6, 11)."""
    eps3 = positive(eps3, "eps3")
    return elect(energy, "ppoem", n_elections, rng, eps3=eps3 / 3, sensitivity=sensitivity)
