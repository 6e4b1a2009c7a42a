"""Double auctions on the unit-slot market: the paper's pricing rules beside truthful and budget-balanced ones.

Every mechanism starts from the same sorted clearing (:func:`vpt.market.auction.match`):
with bids sorted down, ``b_1 >= b_2 >= ...``, and asks sorted up,
``a_1 <= a_2 <= ...``, the efficient number of trades ``k`` is the largest with
``b_k > a_k``. Ties between equal prices go to the lower index, as in
:func:`~vpt.market.auction.match`. A missing ``(k+1)``-th bid counts as ``-inf`` and a
missing ``(k+1)``-th ask as ``+inf`` (nobody else to trade).

Names (:data:`MECHANISMS`):

``"pay-as-bid"``
    The paper's PoEM price (Eq. 3): the ``k`` pairs trade, each buyer pays its
    bid and its seller gets it.
``"pay-as-ask"``
    The price of the paper's Sec. V-A reading: each pair trades at the ask.
``"ppoem"``
    PPoEM's private price (Eq. 9-10) between each pair's ask and bid
    (:func:`vpt.market.settlement.ppoem_prices`; needs ``rng`` and ``eps1``, ``eps2``,
    ``length``).
``"vcg"``
    Vickrey-Clarke-Groves: the ``k`` pairs trade; each buyer pays
    ``max(b_{k+1}, a_k)``, each seller gets ``min(a_{k+1}, b_k)``. Truthful and
    efficient, runs a deficit.
``"trade-reduction"``
    McAfee's trade reduction: the ``k - 1`` best pairs trade, buyers pay
    ``b_k``, sellers get ``a_k``. Truthful, runs a surplus, loses one trade.
``"mcafee"``
    McAfee (1992): the price ``p = (b_{k+1} + a_{k+1}) / 2``; if it lies in
    ``[a_k, b_k]`` all ``k`` pairs trade at ``p``, else trade reduction.
    Truthful, weakly budget-balanced.
``"sbba"``
    SBBA (Segal-Halevi, Hassidim and Aumann 2016): ``p = min(b_k, a_{k+1})``. If
    ``p = a_{k+1}`` (also when ``a_{k+1} = b_k``) the ``k`` pairs trade at ``p``; else the ``k - 1`` best
    buyers trade at ``p`` with ``k - 1`` of the ``k`` best sellers chosen by a
    uniformly random priority order (needs ``rng``). Truthful for every
    lottery draw, strongly budget-balanced.
``"k-double"``
    The k-double auction (uniform price): all ``k`` pairs trade at
    ``p = lo + kappa (hi - lo)`` in the market-clearing interval
    ``[lo, hi] = [max(a_k, b_{k+1}), min(b_k, a_{k+1})]`` (``kappa`` in [0, 1],
    default 0.5). Efficient and budget-balanced, not truthful.

The outcome's ``buyer`` and ``seller`` index the input arrays, one entry per
trading buyer and seller; ``buyer_pays`` and ``seller_gets`` are aligned with
them; ``budget`` is the total paid minus the total received (fees of the
paper's system states are transfers to third parties and are left out: each
mechanism is compared as a market between the traders).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import choice, generator, number, prices_1d
from vpt.market.auction import _match_sorted
from vpt.market.settlement import check_pricing_options, ppoem_prices

__all__ = ["MECHANISMS", "Outcome", "clear"]

#: Mechanism names accepted by :func:`clear`.
MECHANISMS = ("pay-as-bid", "pay-as-ask", "ppoem", "vcg", "trade-reduction", "mcafee", "sbba", "k-double")


@dataclass(frozen=True)
class Outcome:
    """Who trades and what money moves: ``buyer[i]`` pays ``buyer_pays[i]``, ``seller[j]`` gets ``seller_gets[j]``."""

    buyer: NDArray[np.int64]
    seller: NDArray[np.int64]
    buyer_pays: NDArray[np.float64]
    seller_gets: NDArray[np.float64]

    @property
    def budget(self) -> float:
        """Total paid by buyers minus total received by sellers (> 0 surplus, < 0 deficit)."""
        return float(self.buyer_pays.sum() - self.seller_gets.sum())


def _uniform(buyers: NDArray, sellers: NDArray, pay: float, get: float) -> Outcome:
    return Outcome(
        buyers.astype(np.int64),
        sellers.astype(np.int64),
        np.full(buyers.size, float(pay)),
        np.full(sellers.size, float(get)),
    )


def clear(
    bids: ArrayLike,
    asks: ArrayLike,
    mechanism: str,
    *,
    rng: np.random.Generator | None = None,
    **params: Any,
) -> Outcome:
    """Clear a unit-slot double auction with ``mechanism`` (see the module docstring for each rule).

    Parameters
    ----------
    bids, asks
        One price per buyer and per seller (finite, >= 0; either may be empty).
    mechanism
        One of :data:`MECHANISMS`.
    rng
        Needed by ``"sbba"`` (its lottery) and ``"ppoem"`` (its private price).
    **params
        ``kappa`` for ``"k-double"``; ``eps1``, ``eps2``, ``length`` (and the
        other options of :func:`vpt.market.settlement.ppoem_prices`) for ``"ppoem"``.

    Raises
    ------
    ValueError
        For invalid prices, an unknown mechanism or parameter, ``kappa``
        outside [0, 1], or a missing ``rng`` where one is needed.

    Examples
    --------
    Buyers value a slot at 10, 8, 6 and 2; sellers' costs are 1, 3, 5 and 9. The
    efficient trades are the first three pairs (6 > 5, but 2 < 9), so ``k = 3``,
    with ``b_4 = 2`` and ``a_4 = 9`` the first pair left out.

    >>> bids, asks = [10.0, 8.0, 6.0, 2.0], [1.0, 3.0, 5.0, 9.0]
    >>> o = clear(bids, asks, "pay-as-bid")
    >>> o.buyer.tolist(), o.buyer_pays.tolist(), o.budget
    ([0, 1, 2], [10.0, 8.0, 6.0], 0.0)

    VCG: buyers pay ``max(b_4, a_3) = 5``, sellers get ``min(a_4, b_3) = 6``; a
    deficit of 1 per pair.

    >>> o = clear(bids, asks, "vcg")
    >>> o.buyer_pays.tolist(), o.seller_gets.tolist(), o.budget
    ([5.0, 5.0, 5.0], [6.0, 6.0, 6.0], -3.0)

    Trade reduction: the two best pairs trade; buyers pay ``b_3 = 6``, sellers
    get ``a_3 = 5``.

    >>> o = clear(bids, asks, "trade-reduction")
    >>> o.buyer.tolist(), o.seller.tolist(), o.budget
    ([0, 1], [0, 1], 2.0)

    McAfee: ``p = (b_4 + a_4) / 2 = 5.5`` lies in ``[a_3, b_3] = [5, 6]``, so all
    three pairs trade at 5.5.

    >>> o = clear(bids, asks, "mcafee")
    >>> o.buyer.tolist(), o.buyer_pays.tolist(), o.budget
    ([0, 1, 2], [5.5, 5.5, 5.5], 0.0)

    SBBA: ``p = min(b_3, a_4) = 6 = b_3``, so buyers 0 and 1 trade at 6 with two
    of the three cheapest sellers, drawn by lottery.

    >>> o = clear(bids, asks, "sbba", rng=np.random.default_rng(0))
    >>> o.buyer.tolist(), len(o.seller), o.buyer_pays.tolist(), o.budget
    ([0, 1], 2, [6.0, 6.0], 0.0)

    k-double auction: the clearing interval is ``[max(a_3, b_4), min(b_3, a_4)]
    = [5, 6]``; with ``kappa = 0.5`` all three pairs trade at 5.5.

    >>> clear(bids, asks, "k-double").buyer_pays.tolist()
    [5.5, 5.5, 5.5]
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    choice(mechanism, "mechanism", MECHANISMS)
    allowed = {"k-double": {"kappa"}}.get(mechanism, set())
    if mechanism == "ppoem":
        check_pricing_options("ppoem", params)
    elif set(params) - allowed:
        raise ValueError(f"mechanism {mechanism!r} takes no parameter(s) {', '.join(sorted(map(str, params)))}")
    if mechanism in ("sbba", "ppoem"):
        if rng is None:
            raise ValueError(f"mechanism {mechanism!r} draws at random: pass rng")
        rng = generator(rng)
    elif rng is not None:
        generator(rng)
    if mechanism == "k-double":
        kappa = number(params.get("kappa", 0.5), "kappa")
        if not 0 <= kappa <= 1:
            raise ValueError(f"kappa must be in [0, 1], got {kappa!r}")
    return _clear(b, a, mechanism, rng, params)


def _clear(b: NDArray[np.float64], a: NDArray[np.float64], mechanism: str, rng: Any, params: dict) -> Outcome:
    """The rules of :func:`clear` on validated arguments (the incentive audit calls it many times per market)."""
    trades = _match_sorted(b, a)  # sorted clearing: trade t pairs the t-th highest bid with the t-th lowest ask
    k = len(trades)
    buyers, sellers = trades.buyer, trades.seller
    if k == 0:
        return _uniform(buyers, sellers, 0.0, 0.0)
    b_k, a_k = trades.bid[-1], trades.ask[-1]
    b_next = _next(b, buyers, largest=True)
    a_next = _next(a, sellers, largest=False)

    if mechanism == "pay-as-bid":
        return Outcome(buyers, sellers, trades.bid.copy(), trades.bid.copy())
    if mechanism == "pay-as-ask":
        return Outcome(buyers, sellers, trades.ask.copy(), trades.ask.copy())
    if mechanism == "ppoem":
        assert rng is not None
        price = ppoem_prices(trades.bid, trades.ask, rng=rng, **params)
        return Outcome(buyers, sellers, price, price.copy())
    if mechanism == "vcg":
        return _uniform(buyers, sellers, max(b_next, a_k), min(a_next, b_k))
    if mechanism == "trade-reduction":
        return _uniform(buyers[:-1], sellers[:-1], b_k, a_k)
    if mechanism == "mcafee":
        if np.isfinite(b_next) and np.isfinite(a_next):
            p = (b_next + a_next) / 2
            if a_k <= p <= b_k:
                return _uniform(buyers, sellers, p, p)
        return _uniform(buyers[:-1], sellers[:-1], b_k, a_k)
    if mechanism == "sbba":
        p = min(b_k, a_next)
        if p == a_next:  # a_{k+1} <= b_k: the k pairs trade at a_{k+1} (a tie a_{k+1} = b_k included, as in SBBA)
            return _uniform(buyers, sellers, p, p)
        assert rng is not None
        priority = rng.permutation(a.size)  # the lottery: a uniformly random order of all sellers
        chosen = sellers[np.argsort(priority[sellers], kind="stable")][: k - 1]
        return _uniform(buyers[:-1], np.sort(chosen), p, p)
    # k-double
    kappa = float(params.get("kappa", 0.5))
    lo, hi = max(a_k, b_next), min(b_k, a_next)
    return _uniform(buyers, sellers, lo + kappa * (hi - lo), lo + kappa * (hi - lo))


def _next(values: NDArray[np.float64], taken: NDArray[np.int64], *, largest: bool) -> float:
    """The best price among those not trading (``-inf``/``+inf`` when there is none)."""
    rest = np.ones(values.size, dtype=bool)
    rest[taken] = False
    if not rest.any():
        return -np.inf if largest else np.inf
    return float(values[rest].max() if largest else values[rest].min())
