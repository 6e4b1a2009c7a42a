"""Incentive audit of the double auctions and of the miner election: what a trader gains by misreporting."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import MAX_CELLS, cells, choice, count, finite_array, generator, non_negative, number, prices_1d
from vpt.market.mechanisms import MECHANISMS, _clear, clear
from vpt.market.mining import own_place_probabilities
from vpt.market.settlement import check_pricing_options, ppoem_prices

__all__ = [
    "ELECTION_SHARES",
    "PUBLISHED_COLUMNS",
    "WASH_GRID",
    "GainFromTrade",
    "MarketAudit",
    "Misreport",
    "WashTrade",
    "audit_markets",
    "audit_traders",
    "best_misreport",
    "best_responses",
    "best_wash_trade",
    "gain_from_columns",
    "gain_from_trade",
    "market_columns",
    "published_gain_from_trade",
    "utility",
    "wash_trading_gain",
]

#: Mechanisms whose outcome depends on random draws (their utility is averaged over draws).
RANDOM = ("sbba", "ppoem")
#: Reports tried in addition to the breakpoints for ``"ppoem"``, whose expected price moves continuously.
PPOEM_GRID = 32


@dataclass(frozen=True)
class Misreport:
    """A trader's best report against truthful others: ``gain`` = utility at ``report`` minus truthful utility.

    ``index`` is the trader's first slot on ``side`` and ``slots`` the number of
    slots that share its one report (1 for a unit trader, a household's slots
    in the book's trading rounds).
    """

    side: str
    index: int
    slots: int
    value: float
    report: float
    truthful_utility: float
    best_utility: float

    @property
    def gain(self) -> float:
        """What misreporting adds to the trader's (expected) utility; 0 if telling the truth is best."""
        return self.best_utility - self.truthful_utility


def _members(index: int | Sequence[int] | NDArray, n_side: int, side: str) -> NDArray[np.int64]:
    """The slots one trader reports for: an index or a non-empty sequence of distinct indices on ``side``."""
    if n_side == 0:
        raise ValueError(f"there is no {side} to audit")
    if isinstance(index, (list, tuple, np.ndarray)):
        arr = np.asarray(index)
        if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu":
            raise ValueError(f"index must be a slot index or a 1-D sequence of slot indices, got {index!r:.60}")
        if arr.min() < 0 or arr.max() >= n_side or np.unique(arr).size != arr.size:
            raise ValueError(f"index must hold distinct {side} slots in 0..{n_side - 1}, got {index!r:.80}")
        return arr.astype(np.int64)
    return np.array([count(index, "index", minimum=0, maximum=n_side - 1)], dtype=np.int64)


def utility(
    bids: ArrayLike,
    asks: ArrayLike,
    mechanism: str,
    side: str,
    index: int | Sequence[int] | NDArray[np.integer],
    value: float,
    *,
    n_draws: int = 1,
    seed: int = 0,
    seller_fee: float = 0.0,
    **params: Any,
) -> float:
    """The (expected) utility of a trader with true ``value`` per slot, given the reports ``bids`` and ``asks``.

    Parameters
    ----------
    bids, asks
        The reports (one price per slot).
    mechanism
        One of :data:`vpt.market.mechanisms.MECHANISMS`.
    side
        ``"buyer"`` or ``"seller"``.
    index
        The trader's slot on ``side``, or the sequence of its slots (a
        household that reports one price for several slots).
    value
        Its true value (buyer) or cost (seller) per slot.
    n_draws, seed
        Random mechanisms are averaged over ``n_draws`` draws, the same draws
        for every report (common random numbers, so that the difference
        between two reports is not noise). ``"sbba"``: one lottery per seed
        ``seed, seed + 1, ...``, so ``n_draws=1`` is the utility under one
        lottery draw. ``"ppoem"``: its allocation is the sorted matching's,
        and each of the trader's trades gets ``n_draws`` private prices
        (:func:`vpt.market.settlement.ppoem_prices`) from ``default_rng(seed)``.
    seller_fee
        The share of what a seller receives that it pays in fees, in [0, 1):
        Algorithm 2 (lines 16-21) deducts the transaction and the mining fee,
        each ``RT`` times the price, so ``2 RT`` (0.2 in the Stable state;
        :func:`vpt.state.fee_rates`). Default 0: no fees.
    **params
        The mechanism's parameters (see :func:`vpt.market.mechanisms.clear`).

    Returns
    -------
    float
        A buyer gets ``value - paid`` per slot it trades, a seller ``(1 -
        seller_fee) received - value``; 0 for a slot that does not trade.

    Notes
    -----
    With fees a seller of cost ``c`` gets ``(1 - f) p - c = (1 - f) (p - c /
    (1 - f))``: its utility is ``1 - f`` times that of a seller of cost ``c /
    (1 - f)`` without fees. A mechanism truthful without fees is therefore
    truthful in the *fee-adjusted cost* ``c / (1 - f)``, not in ``c``.

    Examples
    --------
    >>> round(utility([10.0, 3.0], [2.0, 4.0], "vcg", "seller", 0, 2.0, seller_fee=0.2), 12)  # gets min(a_2, b_1) = 4
    1.2
    """
    choice(mechanism, "mechanism", MECHANISMS)
    choice(side, "side", ("buyer", "seller"))
    value = number(value, "value")
    seed = count(seed, "seed", minimum=0)
    keep = 1.0 - _fee(seller_fee)
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    members = _members(index, b.size if side == "buyer" else a.size, side)
    draws = _draws(b, a, mechanism, n_draws, params)
    return _utility(b, a, mechanism, side, members, value, draws, seed, params, keep)


def _fee(seller_fee: Any) -> float:
    """A seller's fee share, validated: a number in [0, 1)."""
    f = number(seller_fee, "seller_fee")
    if not 0.0 <= f < 1.0:
        raise ValueError(f"seller_fee must be a share in [0, 1) (2 RT: 0.2 in the Stable state), got {seller_fee!r}")
    return f


def _draws(b: NDArray[np.float64], a: NDArray[np.float64], mechanism: str, n_draws: Any, params: dict) -> int:
    """Validate the mechanism's parameters; the number of random draws to average over (1 if it draws nothing)."""
    if mechanism == "ppoem":
        check_pricing_options("ppoem", params)
    else:
        clear(b, a, mechanism, rng=np.random.default_rng(0), **params)  # validates the parameters
    return count(n_draws, "n_draws", maximum=10**6) if mechanism in RANDOM else 1


def _utility(
    b: NDArray[np.float64],
    a: NDArray[np.float64],
    mechanism: str,
    side: str,
    members: NDArray[np.int64],
    value: float,
    draws: int,
    seed: int,
    params: dict,
    keep: float = 1.0,
) -> float:
    """:func:`utility` on validated arguments; a seller keeps ``keep`` of what it receives."""
    mine = np.zeros(b.size if side == "buyer" else a.size, dtype=bool)
    mine[members] = True
    sign = 1.0 if side == "buyer" else -1.0  # utility = sign * (value - money) per traded slot
    share = 1.0 if side == "buyer" else keep  # the fees come out of the seller's money
    if mechanism == "ppoem":
        o = _clear(b, a, "pay-as-bid", None, {})
        pos = np.flatnonzero(mine[o.buyer if side == "buyer" else o.seller])
        if pos.size == 0:
            return 0.0
        cells(pos.size * draws, "the private prices of the trader's trades")
        bid_pair, ask_pair = np.repeat(o.buyer_pays[pos], draws), np.repeat(a[o.seller[pos]], draws)
        price = ppoem_prices(bid_pair, ask_pair, rng=np.random.default_rng(seed), **params)
        return float(sign * (value * pos.size - share * price.sum() / draws))
    total = 0.0
    for d in range(draws):
        rng = np.random.default_rng(seed + d) if mechanism == "sbba" else None
        o = _clear(b, a, mechanism, rng, params)
        who, money = (o.buyer, o.buyer_pays) if side == "buyer" else (o.seller, o.seller_gets)
        hit = mine[who]
        total += sign * (value * np.count_nonzero(hit) - share * money[hit].sum())
    return float(total / draws)


def best_misreport(
    bids: ArrayLike,
    asks: ArrayLike,
    mechanism: str,
    side: str,
    index: int | Sequence[int] | NDArray[np.integer],
    *,
    candidates: ArrayLike | None = None,
    n_draws: int = 1,
    seed: int = 0,
    seller_fee: float = 0.0,
    **params: Any,
) -> Misreport:
    """The best report of one trader, everyone else truthful.

    ``bids`` and ``asks`` are the true values; ``index`` is the trader's slot
    or the sequence of its slots (which must share one true value: the
    trader reports one price for all of them).

    Without ``candidates`` the search is exact: the trader's outcome changes
    only where its report crosses another trader's report (or, for
    McAfee's price, the average of another bid and another ask), and
    between such points each mechanism's price is constant or linear in the
    report, so the best report's utility is attained (to within a relative
    1e-9) among 0, the truth, and every such point, at it and nudged just
    above and below (ties between equal reports are broken by index). For
    ``"ppoem"`` the expected private price moves continuously with the
    report, so :data:`PPOEM_GRID` evenly spaced reports are added
    and the gain found is a lower bound. With ``candidates`` (e.g. a fine
    grid, for markets of many slots) only those reports and the truth are
    tried: the gain found is a lower bound on the best gain. ``seller_fee``
    as in :func:`utility` (the fees scale a seller's money, so the
    breakpoints are the same).

    Raises
    ------
    ValueError
        For invalid prices, an unknown mechanism or side, an index outside
        the side, slots with different true values, or invalid candidates.

    Examples
    --------
    Under the paper's pay-as-bid rule sellers are paired with bids in the order
    of their asks, so the seller of cost 5, paired with the bid of 6 when
    truthful, asks less than 1 and is paired with the bid of 10 instead.

    >>> m = best_misreport([10.0, 8.0, 6.0], [1.0, 3.0, 5.0], "pay-as-bid", "seller", 2)
    >>> m.truthful_utility, m.best_utility, m.report < 1.0
    (1.0, 5.0, True)
    >>> round(best_misreport([10.0, 8.0, 6.0], [1.0, 3.0, 5.0], "vcg", "seller", 2).gain, 12)
    0.0

    A trader with two slots is no longer a unit trader, and VCG's truthfulness
    does not carry over. A household values two slots at 10 each; another
    buyer bids 6; the asks are 1 and 9. Truthful, both its slots trade at VCG's
    price ``max(b_3, a_2) = 9``: utility 2. Bidding just above 6 for both, it
    gives up its second slot (now the first bid left out) and its first pays
    ``max(b_2, a_1)``, its own bid of about 6: utility about 4 (demand
    reduction).

    >>> m = best_misreport([10.0, 10.0, 6.0], [1.0, 9.0], "vcg", "buyer", [0, 1])
    >>> m.truthful_utility, round(m.best_utility, 6)
    (2.0, 4.0)
    """
    choice(mechanism, "mechanism", MECHANISMS)
    choice(side, "side", ("buyer", "seller"))
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    own = b if side == "buyer" else a
    members = _members(index, own.size, side)
    if np.unique(own[members]).size != 1:
        raise ValueError("the slots of one trader must share one true value (it reports one price for all)")
    value = float(own[members[0]])
    others = np.concatenate([np.delete(own, members), b if side == "seller" else a])
    if candidates is None:
        points = [np.unique(others)]
        if mechanism == "mcafee":  # McAfee's price (b_{k+1} + a_{k+1}) / 2 averages another bid and another ask
            other_bids = np.unique(np.delete(b, members) if side == "buyer" else b)
            other_asks = np.unique(a if side == "buyer" else np.delete(a, members))
            cells(other_bids.size * other_asks.size, "McAfee's breakpoints (averages of a bid and an ask)")
            points.append(((other_bids[:, None] + other_asks[None, :]) / 2).ravel())
        p = np.unique(np.concatenate(points))
        nudge = 1e-9 * (1.0 + np.abs(p))
        extra: list[ArrayLike] = [[0.0, value]]
        if mechanism == "ppoem":
            extra.append(np.linspace(0.0, max(float(others.max(initial=0.0)), value), PPOEM_GRID))
        tried = np.unique(np.clip(np.concatenate([p - nudge, p, p + nudge, *extra]), 0.0, None))
    else:
        tried = np.unique(np.concatenate([prices_1d(candidates, "candidates"), [value]]))
    cells(tried.size, "the reports to try")

    seed = count(seed, "seed", minimum=0)
    keep = 1.0 - _fee(seller_fee)
    draws = _draws(b, a, mechanism, n_draws, params)
    r = own.copy()
    reports = (r, a) if side == "buyer" else (b, r)

    def at(report: float) -> float:
        r[members] = report
        return _utility(*reports, mechanism, side, members, value, draws, seed, params, keep)

    truthful = at(value)
    utilities = np.array([at(float(x)) for x in tried])
    best = int(np.argmax(utilities))
    if utilities[best] <= truthful:  # telling the truth is (one of) the best reports
        return Misreport(side, int(members[0]), int(members.size), value, value, truthful, truthful)
    report, utility_best = float(tried[best]), float(utilities[best])
    return Misreport(side, int(members[0]), int(members.size), value, report, truthful, utility_best)


def _owners(owner: ArrayLike | None, n: int, name: str) -> NDArray[np.int64]:
    if owner is None:
        return np.arange(n, dtype=np.int64)
    o = np.asarray(owner) if isinstance(owner, (list, tuple, np.ndarray)) else np.asarray(None)
    if o.shape != (n,) or (n and o.dtype.kind not in "iu"):
        raise ValueError(f"{name} must hold one integer owner per slot ({n}), got {owner!r:.80}")
    return o.astype(np.int64)


def audit_traders(
    bids: ArrayLike,
    asks: ArrayLike,
    mechanism: str,
    *,
    bid_owner: ArrayLike | None = None,
    ask_owner: ArrayLike | None = None,
    traders: Sequence[tuple[str, int]] | None = None,
    candidates: ArrayLike | None = None,
    n_draws: int = 1,
    seed: int = 0,
    seller_fee: float = 0.0,
    **params: Any,
) -> list[Misreport]:
    """:func:`best_misreport` for every trader of a market (or those in ``traders``), everyone else truthful.

    Parameters
    ----------
    bids, asks
        True values, one per slot.
    bid_owner, ask_owner
        The trader of each slot (default: every slot its own trader). The
        slots of one owner report one price together (a household).
    traders
        ``(side, owner)`` pairs to audit; default every owner on both sides.
    candidates, n_draws, seed, seller_fee, **params
        As in :func:`best_misreport`.

    Returns
    -------
    list of Misreport
        One per audited trader, buyers first, in owner order.
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    owner = {"buyer": _owners(bid_owner, b.size, "bid_owner"), "seller": _owners(ask_owner, a.size, "ask_owner")}
    if traders is None:
        todo = [(s, int(t)) for s in ("buyer", "seller") for t in np.unique(owner[s])]
    else:
        if not isinstance(traders, (list, tuple)):
            raise ValueError(f"traders must be a list of (side, owner) pairs, got {traders!r:.80}")
        todo = []
        for pair in traders:
            if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
                raise ValueError(f"traders must be a list of (side, owner) pairs, got {pair!r:.80}")
            side = choice(pair[0], "side", ("buyer", "seller"))
            t = count(pair[1], "owner", minimum=0)
            if not (owner[side] == t).any():
                raise ValueError(f"no {side} slot belongs to owner {t}")
            todo.append((side, t))
    return [
        best_misreport(
            b,
            a,
            mechanism,
            side,
            np.flatnonzero(owner[side] == t),
            candidates=candidates,
            n_draws=n_draws,
            seed=seed,
            seller_fee=seller_fee,
            **params,
        )
        for side, t in todo
    ]


@dataclass(frozen=True)
class GainFromTrade:
    """Gain from trade of a mechanism in percent of the optimum, over ``n_markets`` random markets.

    ``total`` counts the traders' values (buyers' values minus sellers'
    costs of the trades made), ``market`` what is left to the traders after
    the mechanism's budget surplus (the auctioneer's share); ``*_se`` are
    standard errors of these ratios of means (delta method); ``trades`` the
    mean number of trades and ``optimal_trades`` the mean efficient number.
    """

    mechanism: str
    n: int
    n_markets: int
    total: float
    total_se: float
    market: float
    market_se: float
    trades: float
    optimal_trades: float


def gain_from_trade(
    mechanism: str,
    n: int,
    n_markets: int,
    rng: np.random.Generator,
    *,
    low: float = 1.0,
    high: float = 1000.0,
    **params: Any,
) -> GainFromTrade:
    """McAfee's (1992) benchmark: ``n`` buyers and ``n`` sellers, values and costs uniform on ``[low, high]``.

    Each market is drawn from ``rng`` and cleared by :func:`vpt.market.mechanisms.clear`
    (SBBA's lottery and PPoEM's prices from ``rng`` too); the optimum is the
    sorted matching's gain from trade.

    Raises
    ------
    ValueError
        For an unknown mechanism, ``n`` or ``n_markets`` < 1, ``low`` < 0 or
        ``high`` <= ``low``.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    n = count(n, "n", maximum=MAX_CELLS)
    n_markets = count(n_markets, "n_markets")
    cells(n * n_markets, f"{n_markets} markets of {n} buyers and {n} sellers")
    rng = generator(rng)
    low = non_negative(low, "low")
    high = number(high, "high")
    if not high > low:
        raise ValueError(f"high must be > low, got low={low!r}, high={high!r}")
    clear([high], [low], mechanism, rng=np.random.default_rng(0), **params)  # validates the parameters
    return gain_from_columns(mechanism, n, _market_columns(mechanism, n, n_markets, rng, low, high, params))


def _market_columns(
    mechanism: str, n: int, n_markets: int, rng: np.random.Generator, low: float, high: float, params: dict
) -> NDArray[np.float64]:
    """Per market: optimum, total, market gain, trades and efficient trades, shape ``(5, n_markets)``."""
    cols = np.zeros((5, n_markets))
    for r in range(n_markets):
        b, a = rng.uniform(low, high, n), rng.uniform(low, high, n)
        best = _clear(b, a, "pay-as-bid", None, {})
        o = _clear(b, a, mechanism, rng, params)
        cols[0, r] = b[best.buyer].sum() - a[best.seller].sum()
        cols[1, r] = b[o.buyer].sum() - a[o.seller].sum()
        cols[2, r] = cols[1, r] - o.budget
        cols[3, r] = o.buyer.size
        cols[4, r] = best.buyer.size
    return cols


def market_columns(
    mechanism: str, n: int, n_markets: int, seed: int, *, low: float = 1.0, high: float = 1000.0
) -> NDArray[np.float64]:
    """The per-market columns of :func:`gain_from_trade` for ``n_markets`` markets drawn from ``seed`` alone.

    One task of a large benchmark (:func:`vpt.book.published.published_size_benchmark`): each chunk of markets
    has its own seed, so chunks can run anywhere, in any order, and :func:`gain_from_columns` of their
    concatenation is the same.

    Returns
    -------
    numpy.ndarray
        Shape ``(5, n_markets)``: optimum, total, market gain, trades, efficient trades.

    Raises
    ------
    ValueError
        As :func:`gain_from_trade`, or if ``seed`` is not a whole number >= 0.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    n = count(n, "n", maximum=MAX_CELLS)
    n_markets = count(n_markets, "n_markets")
    cells(n * n_markets, f"{n_markets} markets of {n} buyers and {n} sellers")
    seed = count(seed, "seed", minimum=0)
    low = non_negative(low, "low")
    high = number(high, "high")
    if not high > low:
        raise ValueError(f"high must be > low, got low={low!r}, high={high!r}")
    return _market_columns(mechanism, n, n_markets, np.random.default_rng(seed), low, high, {})


def gain_from_columns(mechanism: str, n: int, cols: NDArray[np.float64]) -> GainFromTrade:
    """The :class:`GainFromTrade` of per-market columns (:func:`market_columns`, concatenated along axis 1).

    Raises
    ------
    ValueError
        If ``cols`` is not a finite array of shape ``(5, m)`` with a positive total optimum.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    n = count(n, "n", maximum=MAX_CELLS)
    c = finite_array(cols, "cols", ndim=2)
    if c.shape[0] != 5 or c.shape[1] < 1:
        raise ValueError(f"cols must have shape (5, n_markets), got {c.shape}")
    if np.abs(c).max() > 1e100:
        raise ValueError("cols must hold the gains and trade counts of markets (each below 1e100 in size)")
    opt, n_markets = c[0], c.shape[1]
    if not opt.sum() > 0:
        raise ValueError("the markets have no gain from trade to compare with (the optimum sums to 0)")

    def ratio(x: NDArray[np.float64]) -> tuple[float, float]:
        q = x.sum() / opt.sum()
        se = np.std(x - q * opt, ddof=1) / opt.mean() / np.sqrt(n_markets) if n_markets > 1 else np.inf
        return 100 * float(q), 100 * float(se)

    total, total_se = ratio(c[1])
    market, market_se = ratio(c[2])
    return GainFromTrade(
        mechanism, n, n_markets, total, total_se, market, market_se, float(c[3].mean()), float(c[4].mean())
    )


#: Expected share of the pooled mining fees paid to the first, second and third winner (Eq. 7; Eq. 12 in
#: expectation: ``R_R`` uniform on ``[0, M]`` pays the leader ``M / 2`` on average, the others 0.2 and 0.1 of
#: the other half); PoA pays no fee shares (:func:`vpt.market.mining.rewards`).
ELECTION_SHARES = {"poem": (0.7, 0.2, 0.1), "ppoem": (0.5, 0.1, 0.05), "poa": (0.0, 0.0, 0.0)}


def wash_trading_gain(
    vpp_energy: ArrayLike,
    mining_sum: ArrayLike,
    fee_rate: ArrayLike,
    fake_kwh: ArrayLike,
    mechanism: str,
    *,
    price: float,
    mining_reward: float = 500.0,
    coalition: bool = False,
    **params: float,
) -> NDArray[np.float64]:
    """What a VPP expects to gain, net of fees, by recording fake trades between its own homes.

    A wash trade of ``x`` kWh at ``price`` (coins per kWh) adds ``x`` to the
    VPP's traded energy in the election of its round; the selling home
    pays the transaction fee and the mining fee, ``fee_rate * price * x``
    each (Algorithm 2 lines 16-21), and the mining fee joins the round's pool
    ``M``. The VPP's expected reward is ``sum_i P(place i) * share_i`` with
    ``MR`` added to the leader's share (:data:`ELECTION_SHARES`); the place
    laws are exact (:func:`vpt.market.mining.place_probabilities`).

    Two readings of who pays: by default the homes pay both fees and nothing
    comes back but the reward (an upper bound on the cost). With
    ``coalition=True`` the VPP and its homes are one party, and the
    transaction fee, which "is sent directly to corresponding VPP" (Sec.
    III-B), comes back to it: only the mining fee is a cost.

    Parameters
    ----------
    vpp_energy
        Traded energy of each VPP (kWh), shape ``(V,)`` or one row per round ``(R, V)``.
    mining_sum
        The round's pooled mining fees ``M`` (coins), scalar or one per round.
    fee_rate
        The round's fee rate ``RT_tx = RT_m`` (Algorithm 1), scalar or one per round.
    fake_kwh
        The wash volumes to try (kWh, >= 0).
    mechanism
        ``"poem"``, ``"ppoem"`` (needs ``eps3`` and ``sensitivity`` in
        kWh) or ``"poa"``. PoE's weights depend on a VPP's imbalance, not on
        its traded energy, and are not covered.
    price
        Coins per kWh of the fake trade (the fees scale with it).
    mining_reward
        ``MR``, paid to the leader.
    coalition
        Whether the transaction fee returns to the VPP (see above).

    Returns
    -------
    numpy.ndarray
        Shape ``(R, V, len(fake_kwh))`` (``(V, len(fake_kwh))`` for one round):
        expected reward with ``x`` fake kWh minus expected reward without,
        minus the fees paid, in coins. Positive entries are wash trades that pay.

    Examples
    --------
    Two VPPs trade 1 and 3 kWh; PoEM elects the first with probability 1/4.
    With 2 fake kWh at 10 coins and a fee rate of 0.1 it leads with
    probability 1/2 (and is second otherwise) and pays 4 coins of fees, 2 of
    them into the pool (MR = 500, no other fees).

    >>> g = wash_trading_gain([1.0, 3.0], 0.0, 0.1, [2.0], "poem", price=10.0)
    >>> round(float(g[0, 0]), 6)  # 0.5 * (500 + 0.7 * 2) + 0.5 * 0.2 * 2 - 0.25 * 500 - 4
    121.9
    """
    fake = finite_array(fake_kwh, "fake_kwh", minimum=0.0)
    if fake.ndim != 1:
        raise ValueError(f"fake_kwh must be 1-D, got shape {fake.shape}")
    setting, one_round = _wash_setting(
        vpp_energy, mining_sum, fee_rate, mechanism, price, mining_reward, coalition, params
    )
    n_rounds, v = setting.energy.shape
    base = setting.rewards(np.zeros((n_rounds, v)))  # the rewards without a wash trade
    out = np.empty((n_rounds, v, fake.size))
    for i, x in enumerate(fake):
        out[:, :, i] = setting.gains(np.full((n_rounds, v), x), base)
    return out[0] if one_round else out


def _wash_setting(
    vpp_energy: ArrayLike,
    mining_sum: ArrayLike,
    fee_rate: ArrayLike,
    mechanism: str,
    price: float,
    mining_reward: float,
    coalition: bool,
    params: dict,
) -> tuple[_WashSetting, bool]:
    """The validated arguments of :func:`wash_trading_gain` and :func:`best_wash_trade`, and whether one round."""
    choice(mechanism, "mechanism", tuple(ELECTION_SHARES))
    e = finite_array(vpp_energy, "vpp_energy", minimum=0.0)
    one_round = e.ndim == 1
    e = np.atleast_2d(e)
    if e.ndim != 2 or e.shape[1] == 0:
        raise ValueError(f"vpp_energy must be (V,) or (R, V) with V >= 1, got shape {np.shape(vpp_energy)}")
    n_rounds, v = e.shape
    per_round = {}
    for name, values in (("mining_sum", mining_sum), ("fee_rate", fee_rate)):
        x = finite_array(values, name, minimum=0.0)
        try:
            per_round[name] = np.broadcast_to(x, (n_rounds,)).astype(np.float64)
        except ValueError:
            raise ValueError(f"{name} must be a scalar or one value per round ({n_rounds})") from None
    if (per_round["fee_rate"] > 1).any():
        raise ValueError("fee_rate must be in [0, 1]")
    price = non_negative(price, "price")
    mr = non_negative(mining_reward, "mining_reward")
    if not isinstance(coalition, (bool, np.bool_)):
        raise ValueError(f"coalition must be True or False, got {coalition!r:.80}")
    paid_fees = 1.0 if coalition else 2.0  # the mining fee alone, or both fees
    params = dict(params)
    if mechanism != "ppoem" and params:
        raise ValueError(f"mechanism {mechanism!r} takes no parameter(s) {', '.join(sorted(map(str, params)))}")
    cells(n_rounds * v * v**3, "the place laws of every VPP's wash trade")
    fee = per_round["fee_rate"] * price
    return _WashSetting(e, per_round["mining_sum"], fee, mechanism, params, mr, paid_fees), one_round


@dataclass(frozen=True)
class _WashSetting:
    """Rounds, pools, fee per kWh (coins) and election of a wash-trading computation."""

    energy: NDArray[np.float64]  # (R, V)
    pool: NDArray[np.float64]  # (R,)
    fee_per_kwh: NDArray[np.float64]  # (R,): fee_rate * price, each of the two fees per fake kWh
    mechanism: str
    params: dict
    mining_reward: float
    paid_fees: float

    def rewards(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Expected reward of VPP j in round r when it adds ``x[r, j]`` fake kWh (the others unchanged)."""
        n_rounds, v = self.energy.shape
        energy = self.energy[:, None, :] + x[:, :, None] * np.eye(v)[None]
        own_vpp = np.tile(np.arange(v), n_rounds)  # row (r, j) is round r with VPP j's fake volume: VPP j's places
        own = own_place_probabilities(energy.reshape(-1, v), own_vpp, self.mechanism, **self.params)
        own = own.reshape(n_rounds, v, 3)  # (R, V, 3): places of VPP j in row j
        shares = np.array(ELECTION_SHARES[self.mechanism])
        paid = shares[None, None, :] * (self.pool[:, None, None] + self.fee_per_kwh[:, None, None] * x[:, :, None])
        paid[:, :, 0] += self.mining_reward
        return np.asarray((own * paid).sum(axis=2), dtype=np.float64)

    def gains(self, x: NDArray[np.float64], base: NDArray[np.float64]) -> NDArray[np.float64]:
        """Expected net gain of each (round, VPP) for fake volume ``x[r, j]`` over rewards ``base`` without it."""
        return self.rewards(x) - base - self.paid_fees * self.fee_per_kwh[:, None] * x


@dataclass(frozen=True)
class WashTrade:
    """The most profitable wash trade of each (round, VPP): its expected net gain (coins) and volume (kWh).

    ``bound`` is the volume per round beyond which no wash trade can pay (see :func:`best_wash_trade`).
    """

    gain: NDArray[np.float64]
    kwh: NDArray[np.float64]
    bound: NDArray[np.float64]


#: Points of the grid :func:`best_wash_trade` starts from (geometric in the volume, on (0, bound]).
WASH_GRID = 200


def best_wash_trade(
    vpp_energy: ArrayLike,
    mining_sum: ArrayLike,
    fee_rate: ArrayLike,
    mechanism: str,
    *,
    price: float,
    mining_reward: float = 500.0,
    coalition: bool = False,
    **params: float,
) -> WashTrade:
    """The best fake volume of every (round, VPP), found on the whole range where a wash trade can pay.

    The arguments are those of :func:`wash_trading_gain` without ``fake_kwh``. A VPP's expected reward is at most
    ``MR + s_1 (M + f x)`` (``s_1`` the leader's share of the pool, ``f = fee_rate * price``) while it pays
    ``k f x`` in fees (``k`` = 2, or 1 with ``coalition``), so no volume beyond
    ``(MR + s_1 M) / ((k - s_1) f)`` can pay. The net gain is a smooth function of the volume (the place laws
    are); it is evaluated on :data:`WASH_GRID` geometric points up to that bound, and the best point of each pair
    is refined by golden-section search between its neighbours to a relative 1e-9 of the bound.

    Returns
    -------
    WashTrade
        ``gain`` and ``kwh`` of shape ``(R, V)`` (``(V,)`` for one round); a gain of 0 at 0 kWh where no
        volume pays more than 1e-9 of the round's stakes ``MR + M + 1`` (below that, the gain is rounding).

    Raises
    ------
    ValueError
        As :func:`wash_trading_gain`, and if some round's fee per kWh ``fee_rate * price`` is 0 (then every
        volume is free and the gain grows without bound).

    Examples
    --------
    Two VPPs trade 1 and 3 kWh (PoEM, 10 coins per kWh, fee rate 0.1, no other fees): the first is best off
    faking about 30 kWh, the second about 16.

    >>> w = best_wash_trade([1.0, 3.0], 0.0, 0.1, "poem", price=10.0)
    >>> np.round(w.kwh, 1).tolist(), np.round(w.gain, 1).tolist()
    ([29.9, 15.6], [290.6, 78.8])
    """
    setting, one_round = _wash_setting(
        vpp_energy, mining_sum, fee_rate, mechanism, price, mining_reward, coalition, params
    )
    n_rounds, v = setting.energy.shape
    pool, fee = setting.pool, setting.fee_per_kwh
    if not np.all(fee > 0):
        raise ValueError("a round's fee per kWh (fee_rate * price) is 0: every fake volume is free, no best one")
    s1 = max(ELECTION_SHARES[mechanism])
    bound = (setting.mining_reward + s1 * pool) / ((setting.paid_fees - s1) * fee)
    base_rewards = setting.rewards(np.zeros((n_rounds, v)))
    u = np.concatenate([[0.0], np.geomspace(1e-9, 1.0, WASH_GRID - 1)])  # fractions of the bound
    on_grid = np.stack([setting.gains(np.outer(bound * uk, np.ones(v)), base_rewards) for uk in u], axis=2)
    k = on_grid.argmax(axis=2)  # (R, V)
    lo = bound[:, None] * u[np.maximum(k - 1, 0)]
    hi = bound[:, None] * u[np.minimum(k + 1, u.size - 1)]
    ratio = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    gc, gd = setting.gains(c, base_rewards), setting.gains(d, base_rewards)
    while np.any(b - a > 1e-9 * bound[:, None]):
        left = gc > gd  # the maximum lies in [a, d]
        a, b = np.where(left, a, c), np.where(left, d, b)
        c_new, d_new = b - ratio * (b - a), a + ratio * (b - a)
        c, d = np.where(left, c_new, d), np.where(left, c, d_new)
        gc, gd = (
            np.where(left, setting.gains(c_new, base_rewards), gd),
            np.where(left, gc, setting.gains(d_new, base_rewards)),
        )
    x = (a + b) / 2
    g = setting.gains(x, base_rewards)
    grid_best = on_grid.max(axis=2)
    x = np.where(g >= grid_best, x, bound[:, None] * u[k])
    g = np.maximum(g, grid_best)
    # a gain within 1e-9 of the round's stakes is rounding (a VPP that leads surely gains nothing): no wash trade
    pays = g > 1e-9 * (setting.mining_reward + pool + 1.0)[:, None]
    x, g = np.where(pays, x, 0.0), np.where(pays, g, 0.0)
    if one_round:
        return WashTrade(g[0], x[0], bound)
    return WashTrade(g, x, bound)


@dataclass(frozen=True)
class MarketAudit:
    """One mechanism on a list of unit-slot markets: incentives, budget and efficiency.

    ``gains`` holds every trader's best-misreport gain (market by market,
    buyers then sellers); ``budget`` is the mean budget per market;
    ``efficiency`` the mean share of the optimal gains from trade captured
    with truthful reports, ``efficiency_best_responses`` with every
    trader's best response to the truth played at once (:func:`best_responses`);
    ``individually_rational`` whether no truthful trader ever ends below 0;
    ``seller`` marks the entries of ``gains`` (and ``truthful``, each
    trader's utility when truthful) that belong to sellers.
    """

    mechanism: str
    gains: NDArray[np.float64]
    budget: float
    efficiency: float
    efficiency_best_responses: float
    individually_rational: bool
    seller: NDArray[np.bool_]
    truthful: NDArray[np.float64]


def audit_markets(
    markets: Sequence[tuple[ArrayLike, ArrayLike]],
    mechanism: str,
    *,
    n_draws: int = 1,
    seed: int = 0,
    seller_fee: float = 0.0,
    runner: Callable[[Callable[..., Any], list[tuple]], Any] | None = None,
    **params: Any,
) -> MarketAudit:
    """:func:`audit_traders` on every ``(bids, asks)`` market, with the budget and efficiency of the outcome.

    Market ``i`` is audited with ``seed + i`` (SBBA's lottery, PPoEM's
    prices; see :func:`utility`) and cleared for its budget with
    ``default_rng([seed, i])``. A market without any efficient trade is
    left out of the efficiency means. With a ``seller_fee`` (see
    :func:`utility`) the gains and individual rationality count the fees.
    Each market is an independent task with its own seeds: ``runner(fn,
    tasks)`` (for instance :func:`vpt.book.parallel.runner` on a Dask
    cluster; default: one after another here) gives the same audit whichever
    runs them.

    Raises
    ------
    ValueError
        For an empty list, a market that is not a pair of price arrays,
        invalid mechanism arguments, or no market with an efficient trade.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    seed = count(seed, "seed", minimum=0)
    if not isinstance(markets, (list, tuple)) or not markets:
        raise ValueError(f"markets must be a non-empty list of (bids, asks) pairs, got {markets!r:.80}")
    if runner is not None and not callable(runner):
        raise ValueError(f"runner must be a function run(fn, tasks), got {runner!r:.80}")
    tasks = []
    for i, market in enumerate(markets):
        if not (isinstance(market, (list, tuple)) and len(market) == 2):
            raise ValueError(f"market {i} must be a (bids, asks) pair, got {market!r:.80}")
        b, a = prices_1d(market[0], f"bids of market {i}"), prices_1d(market[1], f"asks of market {i}")
        tasks.append((b, a, mechanism, n_draws, seed, i, seller_fee, params))
    if runner is None:
        audited = [_audit_market(*t) for t in tasks]
    else:
        audited = list(runner(_audit_market, tasks))
        if len(audited) != len(tasks):
            raise ValueError(f"runner returned {len(audited)} results for {len(tasks)} tasks: it must return one each")
    gains = [g for m in audited for g in m[0]]
    truthful = [t for m in audited for t in m[1]]
    sellers = [x for m in audited for x in m[2]]
    budgets = [m[3] for m in audited]
    eff = [m[4] for m in audited if m[4] is not None]
    eff_br = [m[5] for m in audited if m[5] is not None]
    if not eff:
        raise ValueError("no market has an efficient trade (every bid <= every ask): efficiency is undefined")
    return MarketAudit(
        mechanism,
        np.array(gains, dtype=np.float64),
        float(np.mean(budgets)),
        float(np.mean(eff)),
        float(np.mean(eff_br)),
        bool(min(truthful, default=0.0) >= -1e-9),
        np.array(sellers, dtype=bool),
        np.array(truthful, dtype=np.float64),
    )


def _audit_market(
    b: NDArray[np.float64],
    a: NDArray[np.float64],
    mechanism: str,
    n_draws: int,
    seed: int,
    i: int,
    seller_fee: float,
    params: dict[str, Any],
) -> tuple[list[float], list[float], list[bool], float, float | None, float | None]:
    """Market ``i`` of :func:`audit_markets`: gains, truthful utilities, sides, budget and both efficiencies."""
    report = audit_traders(b, a, mechanism, n_draws=n_draws, seed=seed + i, seller_fee=seller_fee, **params)
    o = clear(b, a, mechanism, rng=np.random.default_rng([seed, i]), **params)
    best = _clear(b, a, "pay-as-bid", None, {})
    optimum = b[best.buyer].sum() - a[best.seller].sum()
    eff = eff_br = None
    if optimum > 0:
        eff = float((b[o.buyer].sum() - a[o.seller].sum()) / optimum)
        rb, ra = _reports(report)
        o_br = clear(rb, ra, mechanism, rng=np.random.default_rng([seed, i]), **params)
        eff_br = float((b[o_br.buyer].sum() - a[o_br.seller].sum()) / optimum)
    return (
        [m.gain for m in report],
        [m.truthful_utility for m in report],
        [m.side == "seller" for m in report],
        float(o.budget),
        eff,
        eff_br,
    )


def best_responses(
    bids: ArrayLike,
    asks: ArrayLike,
    mechanism: str,
    *,
    n_draws: int = 1,
    seed: int = 0,
    **params: Any,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Every unit trader's best report against truthful others (:func:`best_misreport`), as new bids and asks.

    Played all at once, these reports are not an equilibrium (each is a best
    response to the truth, not to the others' misreports); they show how far
    the reports, and the gains from trade, move when every trader follows its
    own incentive once.
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    return _reports(audit_traders(b, a, mechanism, n_draws=n_draws, seed=seed, **params))


def _reports(audit: list[Misreport]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The audited traders' best reports as bids and asks (unit traders, in slot order)."""
    return (
        np.array([m.report for m in audit if m.side == "buyer"], dtype=np.float64),
        np.array([m.report for m in audit if m.side == "seller"], dtype=np.float64),
    )


#: Columns of the published comparison (:func:`published_gain_from_trade`) holding each mechanism's gain from
#: trade in percent of the optimum: (traders' values, what the traders keep after the auctioneer's surplus).
PUBLISHED_COLUMNS = {
    "mcafee": ("mcafeetgft", "mcafeemgft"),
    "sbba": ("extcompgft", "extcompgft"),
    "trade-reduction": ("mcafeenhtgft", "mcafeenhmgft"),
}


def published_gain_from_trade(path: str | None = None) -> dict[str, dict[int, tuple[float, float]]]:
    """The published benchmark of McAfee's auction, SBBA and trade reduction, per market size ``n``.

    Reads ``vpt/_data/gonen2020-mcafee-sbb-concise.csv`` (default, package data): the results
    file of the simulation experiment of Gonen and Segal-Halevi (AAAI 2020),
    repository ``github.com/erelsgl/auctions`` (MIT licence), file
    ``results/experiment_comparing_mcafee_to_sbb_concise.csv`` at commit
    ``6adb280``; 50,000 markets per row, ``n`` buyers with values and ``n``
    sellers with costs uniform on [1, 1000]. Its "McAfee" is McAfee's
    auction, "SBB External Competition" is SBBA, and "McAfee without
    heuristic" is trade reduction (McAfee's auction without the price
    ``(b_{k+1} + a_{k+1}) / 2``). SBBA's budget is balanced, so both of its
    numbers are the same.

    Returns
    -------
    dict
        ``{mechanism: {n: (total %, market %)}}`` (see :class:`GainFromTrade`).
    """
    file = Path(__file__).resolve().parents[1] / "_data" / "gonen2020-mcafee-sbb-concise.csv"
    if path is not None:
        if not isinstance(path, str):
            raise ValueError(f"path must be a str, got {path!r:.80}")
        file = Path(path)
    try:
        rows = list(csv.DictReader(file.read_text().splitlines()))
        return {
            name: {int(r["n"]): (float(r[total]), float(r[market])) for r in rows}
            for name, (total, market) in PUBLISHED_COLUMNS.items()
        }
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"{file}: not the published benchmark table ({type(exc).__name__}: {exc})") from None
