"""Prices, fees and welfare of matched trades: PoEM (Eq. 3, 7-8) and PPoEM (Eq. 9-10, 13-14)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import MAX_CELLS, cells, choice, count, finite_array, generator, instance, positive, prices_1d
from vpt.market.auction import Trades
from vpt.state import SystemState

__all__ = [
    "PPOEM_CENTRES",
    "PPOEM_KEEP",
    "PPOEM_QUALITIES",
    "Settlement",
    "ppoem_price_string",
    "ppoem_prices",
    "select_price",
    "settle",
    "settle_poem",
    "settle_ppoem",
    "truncated_laplace",
]

PPOEM_CENTRES = ("bid", "midpoint")
PPOEM_KEEP = ("truncate", "clip", "none")
PPOEM_QUALITIES = ("maxmin", "total")
POEM_PRICE_RULES = ("bid", "ask")


@dataclass(frozen=True)
class Settlement:
    """Money flows of each trade of a round, in price units (VPP coins).

    Attributes
    ----------
    price
        ``P``: what the buyer pays.
    transaction_fee
        ``T = P * RT_tx``, sent to the trading VPP (Algorithm 2 line 19).
    mining_fee
        ``M = P * RT_m``, pooled for the miners (line 21).
    seller_net
        ``P_f = P - (T + M)``, what the seller receives (line 23).
    seller_welfare
        ``P_f - a`` (Eq. 8; Algorithm 3 line 31).
    buyer_welfare
        ``b - P`` (Eq. 14); zero under PoEM's pay-as-bid rule.
    """

    price: NDArray[np.float64]
    transaction_fee: NDArray[np.float64]
    mining_fee: NDArray[np.float64]
    seller_net: NDArray[np.float64]
    seller_welfare: NDArray[np.float64]
    buyer_welfare: NDArray[np.float64]

    @property
    def mining_sum(self) -> float:
        """``M_sum``: the round's pooled mining fees (Algorithm 2 line 40)."""
        return float(self.mining_fee.sum())


#: Options of each pricing rule, for callers that pass them through (``**pricing_options``).
PRICING_OPTIONS = {
    "poem": frozenset({"price_rule"}),
    "ppoem": frozenset(
        {"eps1", "eps2", "length", "laplace_sensitivity", "quality_sensitivity", "centre", "keep", "quality"}
    ),
}


def check_pricing_options(pricing: str, options: dict) -> None:
    """Refuse an unknown pricing rule, an option it does not take, or a missing required PPoEM option."""
    choice(pricing, "pricing", tuple(PRICING_OPTIONS))
    unknown = set(options) - PRICING_OPTIONS[pricing]
    if unknown:
        raise ValueError(f"pricing {pricing!r} takes no option(s) {', '.join(sorted(map(str, unknown)))}")
    missing = {"eps1", "eps2", "length"} - set(options) if pricing == "ppoem" else set()
    if missing:
        raise ValueError(f"pricing 'ppoem' needs the option(s) {', '.join(sorted(missing))}")


def settle(trades: Trades, price: NDArray[np.float64], state: SystemState) -> Settlement:
    """Fees and welfare of trades at given prices, with the fee rates of ``state`` (Algorithm 1).

    Raises
    ------
    ValueError
        If ``trades`` is not a :class:`~vpt.market.auction.Trades`, ``price`` does not
        have one entry per trade or is not finite, or ``state`` is not a
        system state.
    """
    instance(trades, Trades, "trades")
    price = finite_array(price, "price")
    if price.shape != (len(trades),):
        raise ValueError(f"price must have one entry per trade ({len(trades)}), got shape {price.shape}")
    state = SystemState(state)
    tx = price * state.transaction_fee_rate
    mining = price * state.mining_fee_rate
    net = price - (tx + mining)
    return Settlement(price, tx, mining, net, net - trades.ask, trades.bid - price)


def settle_poem(trades: Trades, state: SystemState, *, price_rule: str = "bid") -> Settlement:
    """PoEM settlement: pay-as-bid price (Eq. 3), fees (Algorithm 2 lines 16-21), welfare (Eq. 8).

    Parameters
    ----------
    trades
        The matched slots.
    state
        The round's system state, which sets ``RT_tx = RT_m``.
    price_rule
        ``"bid"`` (default): the buyer pays its bid, as Eq. 3 and Algorithm 2
        line 11 say. ``"ask"``: the buyer pays the seller's ask, as Sec. V-A
        says ("in PoEM the final price is the ask of the seller"). The paper
        contradicts itself; the chapter shows both.
    """
    choice(price_rule, "price_rule", POEM_PRICE_RULES)
    instance(trades, Trades, "trades")
    return settle(trades, trades.bid if price_rule == "bid" else trades.ask, state)


def truncated_laplace(
    centre: NDArray,
    scale: float | NDArray,
    low: NDArray,
    high: NDArray,
    rng: np.random.Generator,
    size: tuple[int, ...],
) -> NDArray[np.float64]:
    """Exact draws from a Laplace law restricted to ``[low, high]`` (inverse CDF, stable in log space).

    ``centre``, ``low`` and ``high`` broadcast against ``size``; requires
    ``low <= high``. The two sides of the centre are exponential pieces; a
    side is chosen with its probability mass, then a point is drawn inside it.
    """
    # Everything that depends on the parameters only is computed at their own
    # (broadcast) shape, once, not once per draw.
    params = [finite_array(v, name) for v, name in ((centre, "centre"), (low, "low"), (high, "high"), (scale, "scale"))]
    try:
        mu, lo, hi, s = np.broadcast_arrays(*params)
    except ValueError:
        raise ValueError("centre, low, high and scale must broadcast together") from None
    if not isinstance(size, tuple) or not all(isinstance(n, (int, np.integer)) and n >= 0 for n in size):
        raise ValueError(f"size must be a tuple of array dimensions, got {size!r:.80}")
    try:
        fits = np.broadcast_shapes(mu.shape, tuple(size)) == tuple(size)
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"centre, scale, low and high (shape {mu.shape}) must broadcast to size {tuple(size)}")
    cells(math.prod(size), "size")
    if (s <= 0).any():
        raise ValueError("scale must be > 0")
    if (lo > hi).any():
        raise ValueError("every interval needs low <= high")
    rng = generator(rng)
    # left piece [lo, min(hi, mu)] where density ~ exp((x - mu)/s); right piece mirrored
    l_hi = np.minimum(hi, mu)
    r_lo = np.maximum(lo, mu)
    # over: a scale far below the interval's width gives infinite widths, whose limits below are exact
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        left_w = np.where(l_hi > lo, (l_hi - lo) / s, 0.0)
        right_w = np.where(hi > r_lo, (hi - r_lo) / s, 0.0)
        # log mass of each piece (up to the common factor s)
        log_left = np.where(left_w > 0, (l_hi - mu) / s + np.log(-np.expm1(-left_w)), -np.inf)
        log_right = np.where(right_w > 0, (mu - r_lo) / s + np.log(-np.expm1(-right_w)), -np.inf)
        p_left = 1.0 / (1.0 + np.exp(log_right - log_left))
    p_left = np.where(np.isneginf(log_left), 0.0, np.where(np.isneginf(log_right), 1.0, p_left))
    u_side = rng.random(size)
    u = rng.random(size)
    # inverse CDF inside the chosen piece: l_hi + s log1p(u expm1(-left_w)) on the left,
    # r_lo - s log1p(u expm1(-right_w)) on the right
    left = u_side < p_left
    x = np.log1p(u * np.where(left, np.expm1(-left_w), np.expm1(-right_w)))
    x *= np.where(left, s, -s)
    x += np.where(left, l_hi, r_lo)
    x = np.where(lo == hi, lo, x)  # degenerate interval
    return np.clip(x, lo, hi)  # only rounding can leave the interval


def ppoem_price_string(
    bid: NDArray,
    ask: NDArray,
    *,
    eps1: float,
    length: int,
    rng: np.random.Generator,
    laplace_sensitivity: float = 1.0,
    centre: str = "bid",
    keep: str = "truncate",
) -> NDArray[np.float64]:
    """The Laplace price string of PPoEM (Eq. 9; Algorithm 3 lines 13-15), shape ``(n_trades, length)``.

    Each entry is a Laplace draw of scale ``F_i / eps1`` (``F_i`` =
    ``laplace_sensitivity``) around ``centre``, kept inside ``[ask, bid]``
    because the paper "ensures that the price is always greater than the ask
    and less than the bidding value".

    Readings (the paper leaves them open; line 14, "Laplace Mean = ...", is
    illegible):

    * ``centre="bid"`` (default): Eq. 9 writes ``Lap(W_bid(j), F_i, eps1)``,
      the Laplace mechanism applied to the winning bid. ``"midpoint"``:
      centred on ``(ask + bid) / 2``, in the middle of the "price string
      limitations" ``dif = bid - ask``.
    * ``keep="truncate"`` (default): each draw comes from the Laplace law
      conditioned on ``[ask, bid]`` (exact inverse-CDF sampling).
      ``"clip"``: draws outside are moved to the nearest end. ``"none"``:
      the bare Laplace string of Eq. 9, not kept in the interval (the
      mechanism the proofs of Theorems 1 and 3 analyse; its prices can fall
      outside ``[ask, bid]``).
    * ``F_i = 1`` by default: the proof of Theorem 1 takes bids that differ
      by at most 1 in L1 norm.
    """
    eps1 = positive(eps1, "eps1")
    length = count(length, "length (l)", maximum=MAX_CELLS)
    f = positive(laplace_sensitivity, "laplace_sensitivity")
    choice(centre, "centre", PPOEM_CENTRES)
    choice(keep, "keep", PPOEM_KEEP)
    bid, ask = _bids_and_asks(bid, ask)
    cells(bid.size * length, f"{bid.size} price strings of length {length}")
    rng = generator(rng)
    scale = f / eps1
    if not math.isfinite(scale):
        raise ValueError(f"the Laplace scale laplace_sensitivity / eps1 = {f!r} / {eps1!r} overflows")
    bid = bid[:, None]
    ask = ask[:, None]
    mu = bid if centre == "bid" else (bid + ask) / 2
    size = (bid.shape[0], length)
    if keep == "truncate":
        return truncated_laplace(mu, scale, ask, bid, rng, size)
    if keep == "none":
        with np.errstate(over="ignore"):
            string = mu + rng.laplace(0.0, scale, size)
        if not np.all(np.isfinite(string)):
            raise ValueError("the bare Laplace string overflows: the scale laplace_sensitivity / eps1 is too large")
        return string
    with np.errstate(over="ignore"):  # a draw beyond the float range lands on an end of [ask, bid]
        return np.clip(mu + rng.laplace(0.0, scale, size), ask, bid)


def _bids_and_asks(bid: ArrayLike, ask: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Matched bids and asks: 1-D finite non-negative prices of equal length with ``bid >= ask``."""
    b = prices_1d(bid, "bid")
    a = prices_1d(ask, "ask")
    if b.shape != a.shape:
        raise ValueError(f"bid and ask must be 1-D of equal length, got {b.shape} and {a.shape}")
    if (b < a).any():
        raise ValueError("every trade needs bid >= ask")
    return b, a


def ppoem_prices(
    bid: NDArray,
    ask: NDArray,
    *,
    eps1: float,
    eps2: float,
    length: int,
    rng: np.random.Generator,
    laplace_sensitivity: float = 1.0,
    quality_sensitivity: float = 1.0,
    centre: str = "bid",
    keep: str = "truncate",
    quality: str = "maxmin",
) -> NDArray[np.float64]:
    """PPoEM's final price of each trade (Eq. 9-10; Algorithm 3 lines 11-19).

    A price string of ``length`` candidates is drawn by :func:`ppoem_price_string`;
    the exponential mechanism (Eq. 10) then picks candidate ``o`` with
    probability proportional to ``exp(eps2 * q1(o) / (2 * dq1))``.

    The quality ``q1`` is only described as "keeping in view the social
    welfare of both the buyer and seller":

    * ``quality="maxmin"`` (default): ``q1(o) = min(o - ask, bid - o)``, the
      welfare of the worse-off side, which favours an even split;
    * ``quality="total"``: the sum of both welfares, ``bid - ask``, which does
      not depend on ``o``, so the choice is uniform over the string.

    ``dq1`` = ``quality_sensitivity`` (1 by default, the neighbouring bids of
    Theorem 1 differ by at most 1). Sampling uses the Gumbel-max trick, so
    large ``eps2 * q1`` cannot overflow.

    Returns
    -------
    numpy.ndarray
        One price per trade, in ``[ask, bid]``.

    Raises
    ------
    ValueError
        If a privacy budget or sensitivity is not finite and > 0, ``length``
        is < 1, an option is unknown, or ``bid`` and ``ask`` differ in length
        or have ``bid < ask``.
    """
    bid, ask = _bids_and_asks(bid, ask)
    eps2 = positive(eps2, "eps2")
    dq = positive(quality_sensitivity, "quality_sensitivity")
    choice(quality, "quality", PPOEM_QUALITIES)
    string = ppoem_price_string(
        bid, ask, eps1=eps1, length=length, rng=rng, laplace_sensitivity=laplace_sensitivity, centre=centre, keep=keep
    )
    return select_price(string, bid, ask, eps2=eps2, quality_sensitivity=dq, rng=rng, quality=quality)


def select_price(
    string: NDArray,
    bid: NDArray,
    ask: NDArray,
    *,
    eps2: float,
    quality_sensitivity: float,
    rng: np.random.Generator,
    quality: str = "maxmin",
) -> NDArray[np.float64]:
    """The exponential-mechanism choice of Eq. 10: one candidate per row of ``string``.

    Candidate ``o`` of a trade is picked with probability proportional to
    ``exp(eps2 * q1(o) / (2 * quality_sensitivity))``, by the Gumbel-max trick
    (no weight is exponentiated, so nothing overflows); ``quality`` as in
    :func:`ppoem_prices`.

    Raises
    ------
    ValueError
        If ``string`` is not a finite 2-D array with one row per trade and at
        least one candidate, ``bid``/``ask`` are not valid matched prices,
        ``eps2`` or ``quality_sensitivity`` is not finite and > 0, or
        ``quality`` is unknown.
    """
    bid, ask = _bids_and_asks(bid, ask)
    string = finite_array(string, "string", ndim=2)
    if string.shape[0] != bid.size or (bid.size and string.shape[1] == 0):
        raise ValueError(f"string must have one row of candidates per trade ({bid.size}), got shape {string.shape}")
    eps2 = positive(eps2, "eps2")
    quality_sensitivity = positive(quality_sensitivity, "quality_sensitivity")
    choice(quality, "quality", PPOEM_QUALITIES)
    rng = generator(rng)
    if quality == "maxmin":
        q = np.minimum(string - ask[:, None], bid[:, None] - string)
    else:
        q = np.broadcast_to((bid - ask)[:, None], string.shape)
    # the scale first, so that a huge eps2 or a tiny sensitivity gives +-inf keys, never NaN
    with np.errstate(over="ignore"):
        factor = eps2 / (2 * quality_sensitivity)
        gap = q - q.max(axis=1, keepdims=True)  # <= 0; the best candidates of a row have gap 0
        logits = np.where(gap == 0, 0.0, factor * gap)
    keys = logits + rng.gumbel(size=string.shape)
    pick = np.argmax(keys, axis=1) if string.shape[0] else np.zeros(0, dtype=int)
    return string[np.arange(string.shape[0]), pick]


def settle_ppoem(trades: Trades, state: SystemState, *, rng: np.random.Generator, **options) -> Settlement:
    """PPoEM settlement (Algorithm 3 lines 11-33): private prices, then fees and welfare (Eq. 13-14).

    ``options`` are those of :func:`ppoem_prices` (``eps1``, ``eps2``,
    ``length`` required).
    """
    instance(trades, Trades, "trades")
    check_pricing_options("ppoem", options)
    price = ppoem_prices(trades.bid, trades.ask, rng=rng, **options)
    return settle(trades, price, state)
