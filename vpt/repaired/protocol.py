"""A VPT that keeps its promises: the repaired round, its expected cost against PoEM, and a household-day's budget.

The repaired round has three steps, each a plain function of public values and one household's own reports where
the guarantee needs it:

1. **Price.** One clearing price per *release*: a group of hourly rounds (every hour, each hour of the day over the
   period, each day, or the whole period; :data:`FREQUENCIES`). Its quality ``u(p)`` is the sum over the group's
   rounds of the slots that could trade at ``p`` (:func:`vpt.privacy.repair.clearing_quality`, at most ``cap``
   slots of a household counted per round), and report-noisy-max draws the price
   (:func:`vpt.privacy.repair.select_price`). A household-day touches each round of its day once, so it moves a
   release's quality by at most ``cap`` times the rounds of one day in the group (:func:`release_plan`), and the
   noise scale :func:`vpt.privacy.repair.noise_scale` of that sensitivity makes each release ``eps``-DP for any
   change of one household's day (reports changed arbitrarily, or the household present or absent).
2. **Allocation** (:func:`fill`). A household's fill depends on the public price and its own reports only: every
   bid at or above the price buys all its slots, every ask at or below the fee-adjusted price sells all of them,
   and the VPP's grid connection takes the imbalance at the grid's tariffs. By the billboard lemma (Hsu et al. 2016)
   everything a household learns, the price and its own fill, is ``eps``-DP with respect to every other household.
3. **Settlement.** Buyers pay the price, sellers receive it less the VPP's fee, the grid buys the excess supply at
   its feed-in tariff and sells the missing energy at its retail tariff (:data:`FEED_IN`, :data:`RETAIL`).

:func:`round_tables` computes, for every round and every grid price, what the round would give at that price
(quality, gains from trade, slots bought and sold); :func:`expected_outcome` takes the expectation over the exact
law of the drawn prices (:func:`vpt.privacy.repair.price_law`), so the cost is computed without sampling.
:func:`day_events` and :func:`budget_split` account for a household-day across every release with the PLD
accountant of :mod:`vpt.privacy.accounting`, and :func:`best_misreport` searches a household's best misreport
exactly.

References
----------
J. Hsu, Z. Huang, A. Roth, T. Roughgarden, Z. S. Wu. Private matchings and allocations. SIAM J. Comput. 45(6), 2016
(the billboard lemma). F. McSherry, K. Talwar. Mechanism design via differential privacy. FOCS 2007.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import cells, choice, count, finite_array, generator, non_negative, positive, prices_1d, probability
from vpt.market.auction import match
from vpt.market.mining import elect
from vpt.market.rounds import PriceModel, slot_market
from vpt.privacy import accounting
from vpt.privacy.repair import PRICE_GRID, noise_scale, price_law

__all__ = [
    "BUDGETS",
    "DAY",
    "FEED_IN",
    "FREQUENCIES",
    "MEASURES",
    "RETAIL",
    "ExpectedOutcome",
    "FrontierPoint",
    "Misreport",
    "ReleasePlan",
    "RoundTables",
    "best_misreport",
    "budget_split",
    "day_events",
    "draw_fills",
    "elect_daily",
    "election_scores",
    "expected_outcome",
    "fill",
    "frontier",
    "group_laws",
    "household_slots",
    "posted_price_ceiling",
    "release_plan",
    "round_tables",
    "truthful_utility",
]

#: Hourly rounds in a day.
DAY = 24
#: How often a price is released: every round, each hour of the day over the period, each day, once for the period.
FREQUENCIES = ("hour", "hour-of-day", "day", "period")
#: The grid's feed-in tariff (c/kWh): what the VPP gets for excess supply; the low end of the asks' range.
FEED_IN = PriceModel().ask_low
#: The grid's retail tariff (c/kWh): what the VPP pays for missing energy; the high end of the bids' range.
RETAIL = PriceModel().bid_high


def fill(
    price: float,
    bid: ArrayLike,
    ask: ArrayLike,
    requests: ArrayLike,
    offers: ArrayLike,
    *,
    buyer_fee: float = 0.0,
    seller_fee: float = 0.0,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each household's slots bought and sold at a public price: a function of the price and its own reports only.

    Household ``i`` buys all ``requests[i]`` slots if ``bid[i] >= (1 + buyer_fee) * price`` (what it pays), and
    sells all ``offers[i]`` slots if ``ask[i] <= (1 - seller_fee) * price`` (what it receives): each trades exactly
    when its fee-adjusted value ``bid / (1 + buyer_fee)`` or cost ``ask / (1 - seller_fee)`` crosses the price.
    The rule is element-wise: entry ``i`` of the result depends on row ``i`` of the inputs and the price, never on
    another household's reports, which is what makes the allocation jointly private (billboard lemma).

    Parameters
    ----------
    price
        The released clearing price, c/kWh (> 0).
    bid, ask
        Each household's bid and ask in c/kWh (>= 0), one per household.
    requests, offers
        Each household's slots requested and offered (whole numbers >= 0).
    buyer_fee, seller_fee
        The VPP's fees: buyers pay ``(1 + buyer_fee)`` times the price (``buyer_fee >= 0``), sellers receive
        ``(1 - seller_fee)`` times it (``seller_fee`` in [0, 1)).

    Returns
    -------
    bought, sold
        Slots bought and sold by each household.

    Raises
    ------
    ValueError
        For arrays of different lengths, negative or non-finite values, fractional slots, a price not > 0 or a fee
        outside [0, 1).

    Examples
    --------
    >>> bought, sold = fill(18.0, [20.0, 15.0, 0.0], [0.0, 0.0, 12.0], [3, 2, 0], [0, 0, 4])
    >>> bought.tolist(), sold.tolist()
    ([3, 0, 0], [0, 0, 4])
    """
    p = positive(price, "price")
    b, a = prices_1d(bid, "bid"), prices_1d(ask, "ask")
    req, off = _slots(requests, "requests"), _slots(offers, "offers")
    if not (b.shape == a.shape == req.shape == off.shape):
        raise ValueError(
            f"bid, ask, requests and offers must have one entry per household each, got lengths "
            f"{b.size}, {a.size}, {req.size}, {off.size}"
        )
    pay, keep = 1.0 + non_negative(buyer_fee, "buyer_fee"), 1.0 - _fee(seller_fee)
    return np.where(b >= pay * p, req, 0), np.where(a <= keep * p, off, 0)


def _slots(values: ArrayLike, name: str) -> NDArray[np.int64]:
    arr = finite_array(values, name, ndim=1, minimum=0)
    if not np.array_equal(arr, np.floor(arr)):
        raise ValueError(f"{name} must be whole numbers of slots")
    return arr.astype(np.int64)


def _fee(seller_fee: float) -> float:
    fee = non_negative(seller_fee, "seller_fee")
    if fee >= 1:
        raise ValueError(f"seller_fee must be in [0, 1), got {fee!r}")
    return fee


@dataclass(frozen=True)
class ReleasePlan:
    """Which release prices each hourly round, how many releases a household-day touches, and their sensitivity.

    ``group[r]`` is the release of round ``r``; ``per_day`` the releases whose quality one household-day enters;
    ``rounds_per_day`` the rounds of one day in a release (a household-day moves the release's quality by at most
    ``cap * rounds_per_day``).
    """

    frequency: str
    group: NDArray[np.int64]
    per_day: int
    rounds_per_day: int

    def __post_init__(self) -> None:
        choice(self.frequency, "frequency", FREQUENCIES)
        count(self.per_day, "per_day")
        count(self.rounds_per_day, "rounds_per_day")

    @property
    def n_releases(self) -> int:
        """The number of prices released over the period."""
        return int(self.group.max()) + 1


def release_plan(n_rounds: int, frequency: str) -> ReleasePlan:
    """The releases of a period of ``n_rounds`` hourly rounds (whole days) at one of :data:`FREQUENCIES`.

    Examples
    --------
    >>> plan = release_plan(48, "hour-of-day")
    >>> plan.n_releases, plan.per_day, plan.rounds_per_day
    (24, 24, 1)
    """
    n = count(n_rounds, "n_rounds", maximum=10**7)
    choice(frequency, "frequency", FREQUENCIES)
    if n % DAY:
        raise ValueError(f"n_rounds must be whole days of {DAY} hourly rounds, got {n}")
    r = np.arange(n, dtype=np.int64)
    if frequency == "hour":
        return ReleasePlan(frequency, r, DAY, 1)
    if frequency == "hour-of-day":
        return ReleasePlan(frequency, r % DAY, DAY, 1)
    if frequency == "day":
        return ReleasePlan(frequency, r // DAY, 1, DAY)
    return ReleasePlan(frequency, np.zeros(n, dtype=np.int64), 1, DAY)


@dataclass(frozen=True)
class RoundTables:
    """What every round gives at every grid price, and what PoEM gives (one row per round).

    ``quality``, ``gains``, ``gains_sorted``, ``bought`` and ``sold`` have shape ``(rounds, grid)``: the capped
    clearing quality (``min(buy_counted, sell_counted)``, the bid and ask slots at most ``cap`` per household that
    could trade), the gains from trade, and the slots bought and sold. Gains are bid minus ask in c/kWh summed
    over the ``min(bought, sold)`` slots traded among households (times ``slot_kwh`` for cents). Every crossing
    report fills, so which filled slots count as traded among households (and which with the grid) is a label
    that changes no payment: ``gains`` spreads them at random over the filled slots (the mean, as the rationing
    lottery of :func:`vpt.privacy.repair.clear_at` would), ``gains_sorted`` gives them to the highest bids and
    lowest asks (as PoEM's sorted clearing does). ``poem_gains`` and ``poem_slots`` are PoEM's sorted clearing of
    the same slots, ``bid_slots`` and ``ask_slots`` every slot bid and asked.
    """

    grid: NDArray[np.float64]
    buy_counted: NDArray[np.float64]
    sell_counted: NDArray[np.float64]
    gains: NDArray[np.float64]
    gains_sorted: NDArray[np.float64]
    bought: NDArray[np.int64]
    sold: NDArray[np.int64]
    poem_gains: NDArray[np.float64]
    poem_slots: NDArray[np.int64]
    bid_slots: NDArray[np.int64]
    ask_slots: NDArray[np.int64]
    slot_kwh: float
    cap: int
    buyer_fee: float
    seller_fee: float

    @property
    def quality(self) -> NDArray[np.float64]:
        """Each round's capped clearing quality at each grid price (:func:`vpt.privacy.repair.clearing_quality`)."""
        return np.minimum(self.buy_counted, self.sell_counted)


def _at_or_above(prices: NDArray, weights: NDArray, grid: NDArray) -> NDArray[np.float64]:
    """The total weight of the prices at or above each grid price."""
    order = np.argsort(prices, kind="stable")
    tail = np.concatenate([np.cumsum(weights[order][::-1])[::-1], [0.0]])
    return tail[np.searchsorted(prices[order], grid, side="left")]


def _at_or_below(prices: NDArray, weights: NDArray, grid: NDArray) -> NDArray[np.float64]:
    """The total weight of the prices at or below each grid price."""
    order = np.argsort(prices, kind="stable")
    head = np.concatenate([[0.0], np.cumsum(weights[order])])
    return head[np.searchsorted(prices[order], grid, side="right")]


def round_tables(
    surplus_kwh: ArrayLike,
    deficit_kwh: ArrayLike,
    asks: ArrayLike,
    bids: ArrayLike,
    *,
    cap: int,
    grid: ArrayLike = PRICE_GRID,
    slot_kwh: float = 0.1,
    buyer_fee: float = 0.0,
    seller_fee: float = 0.0,
) -> RoundTables:
    """Every round's quality, gains and fills at every grid price, from the households' energies and prices.

    Parameters
    ----------
    surplus_kwh, deficit_kwh
        ``(homes, rounds)``: each household's surplus and deficit in each hourly round (kWh), as
        :func:`vpt.market.hourly_energy` gives them.
    asks, bids
        ``(rounds, homes)``: each household's ask and bid in each round (c/kWh), as
        :func:`vpt.market.experiments.month_prices` gives them.
    cap
        Slots of one household counted in a round's quality (>= 1).
    grid
        The public candidate prices (c/kWh, > 0).
    slot_kwh
        The energy of a slot (kWh).
    buyer_fee, seller_fee
        The VPP's fees (:func:`fill`): a bid trades at ``p`` if ``bid / (1 + buyer_fee) >= p``, an ask if
        ``ask / (1 - seller_fee) <= p``.

    Raises
    ------
    ValueError
        For arrays of mismatched shapes, negative or non-finite values, a grid price not > 0, or a bad cap or fee.
    """
    s = finite_array(surplus_kwh, "surplus_kwh", ndim=2, minimum=0)
    d = finite_array(deficit_kwh, "deficit_kwh", ndim=2, minimum=0)
    a = finite_array(asks, "asks", ndim=2, minimum=0)
    b = finite_array(bids, "bids", ndim=2, minimum=0)
    if not (s.shape == d.shape == a.T.shape == b.T.shape):
        raise ValueError(
            f"surplus and deficit must be (homes, rounds) and asks and bids (rounds, homes), got {s.shape}, "
            f"{d.shape}, {a.shape}, {b.shape}"
        )
    g = finite_array(grid, "grid", ndim=1, nonempty=True)
    if (g <= 0).any():
        raise ValueError("grid prices must be > 0")
    cap = count(cap, "cap")
    slot = positive(slot_kwh, "slot_kwh")
    pay, keep = 1.0 + non_negative(buyer_fee, "buyer_fee"), 1.0 - _fee(seller_fee)
    n_rounds = s.shape[1]
    requests, offers = household_slots(s, d, slot_kwh=slot)
    shape = (n_rounds, g.size)
    buy_counted, sell_counted, gains, gains_sorted = np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape)
    bought, sold = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    poem_gains, poem_slots = np.zeros(n_rounds), np.zeros(n_rounds, dtype=np.int64)
    bid_slots, ask_slots = np.zeros(n_rounds, dtype=np.int64), np.zeros(n_rounds, dtype=np.int64)
    for r in range(n_rounds):
        sm = slot_market(s[:, r], d[:, r], a[r], b[r], slot_kwh=slot)
        bid_c, ask_c = sm.bids / slot / pay, sm.asks / slot / keep  # c/kWh, fee-adjusted
        req, off = requests[:, r], offers[:, r]
        buy_counted[r] = _at_or_above(b[r] / pay, np.minimum(req, cap).astype(np.float64), g)
        sell_counted[r] = _at_or_below(a[r] / keep, np.minimum(off, cap).astype(np.float64), g)
        sb, sa = np.sort(bid_c), np.sort(ask_c)
        n_buy = sb.size - np.searchsorted(sb, g, side="left")
        n_sell = np.searchsorted(sa, g, side="right")
        top = np.concatenate([[0.0], np.cumsum(sb[::-1])])  # sum of the k highest bids
        low = np.concatenate([[0.0], np.cumsum(sa)])  # sum of the k lowest fee-adjusted asks
        m = np.minimum(n_buy, n_sell)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_bid = np.where(n_buy > 0, top[n_buy] / np.maximum(n_buy, 1), 0.0) * pay  # true bids
            mean_ask = np.where(n_sell > 0, low[n_sell] / np.maximum(n_sell, 1), 0.0) * keep  # true asks
        gains[r] = m * (mean_bid - mean_ask)
        gains_sorted[r] = top[m] * pay - low[m] * keep  # the m highest bids less the m lowest asks
        bought[r], sold[r] = n_buy, n_sell
        bid_slots[r], ask_slots[r] = sb.size, sa.size
        best = match(sm.bids / slot, sm.asks / slot)
        poem_gains[r] = float(np.sum(best.bid - best.ask))
        poem_slots[r] = best.bid.size
    return RoundTables(
        g,
        buy_counted,
        sell_counted,
        gains,
        gains_sorted,
        bought,
        sold,
        poem_gains,
        poem_slots,
        bid_slots,
        ask_slots,
        slot,
        cap,
        pay - 1.0,
        1.0 - keep,
    )


def household_slots(
    surplus_kwh: ArrayLike, deficit_kwh: ArrayLike, *, slot_kwh: float = 0.1
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each household's slots requested and offered in each round, ``(homes, rounds)``, as in the slot market.

    Whole slots of ``slot_kwh``, as :func:`vpt.market.slot_market` makes them; the rest goes to or comes from the
    grid.

    Raises
    ------
    ValueError
        For arrays of different shapes, negative or non-finite energies, or a ``slot_kwh`` not > 0.

    Examples
    --------
    >>> requests, offers = household_slots([[0.0, 0.35]], [[0.21, 0.0]])
    >>> requests.tolist(), offers.tolist()
    ([[2, 0]], [[0, 3]])
    """
    s = finite_array(surplus_kwh, "surplus_kwh", ndim=2, minimum=0)
    d = finite_array(deficit_kwh, "deficit_kwh", ndim=2, minimum=0)
    if s.shape != d.shape:
        raise ValueError(f"surplus and deficit must have the same shape (homes, rounds), got {s.shape} and {d.shape}")
    slot = positive(slot_kwh, "slot_kwh")
    with np.errstate(over="ignore"):
        requests, offers = np.floor(d / slot + 1e-9), np.floor(s / slot + 1e-9)  # as vpt.market.slot_market
    cells(int(min(requests.sum() + offers.sum(), 2.0**62)), f"the slots of {slot!r} kWh")
    return requests.astype(np.int64), offers.astype(np.int64)


def group_laws(tables: RoundTables, plan: ReleasePlan, eps_release: float) -> NDArray[np.float64]:
    """The exact law of each release's price, ``(releases, grid)``: report-noisy-max on the summed quality.

    The noise scale is :func:`vpt.privacy.repair.noise_scale` at ``eps_release`` for a household-day's
    sensitivity, ``cap * plan.rounds_per_day`` slots.

    Raises
    ------
    ValueError
        If the plan does not cover the tables' rounds, or ``eps_release`` is not > 0.
    """
    if not isinstance(tables, RoundTables) or not isinstance(plan, ReleasePlan):
        raise ValueError("group_laws needs RoundTables and a ReleasePlan")
    if plan.group.size != tables.quality.shape[0]:
        raise ValueError(f"the plan covers {plan.group.size} rounds, the tables {tables.quality.shape[0]}")
    scale = noise_scale(eps_release, tables.cap * plan.rounds_per_day)
    summed = np.zeros((plan.n_releases, tables.grid.size))
    np.add.at(summed, plan.group, tables.quality)
    return np.array([price_law(u, scale) for u in summed])


@dataclass(frozen=True)
class ExpectedOutcome:
    """The repaired market's expected month against PoEM's on the same slots (expectations over the price laws).

    Gains from trade under both labels of :class:`RoundTables` (c/kWh summed over slots) and the slots traded among
    households (a measure with no label); energy settled with the grid in kWh (every slot not traded among
    households, plus, for the repaired market, the imbalance); the VPP's revenue in c (what buyers pay, less what
    sellers receive, less the grid's retail price of the missing energy, plus its feed-in price of the excess).
    """

    gains: float
    gains_sorted: float
    internal_slots: float
    poem_gains: float
    poem_slots: float
    grid_kwh: float
    poem_grid_kwh: float
    revenue: float
    fee_income: float

    @property
    def share(self) -> float:
        """The repaired market's gains from trade as a share of PoEM's, internal trades spread at random."""
        return self.gains / self.poem_gains

    @property
    def share_sorted(self) -> float:
        """The same with the internal trades given to the highest bids and lowest asks (PoEM's labelling)."""
        return self.gains_sorted / self.poem_gains

    @property
    def share_volume(self) -> float:
        """The slots traded among households as a share of PoEM's (no label needed)."""
        return self.internal_slots / self.poem_slots


def expected_outcome(
    tables: RoundTables, plan: ReleasePlan, eps_release: float, *, feed_in: float = FEED_IN, retail: float = RETAIL
) -> ExpectedOutcome:
    """The expected outcome of the period when every release's price is drawn at ``eps_release``.

    Raises
    ------
    ValueError
        As :func:`group_laws`, or for tariffs not > 0, or PoEM without any gains from trade to compare with.
    """
    laws = group_laws(tables, plan, eps_release)[plan.group]  # (rounds, grid): each round's price law
    fin, ret = positive(feed_in, "feed_in"), positive(retail, "retail")
    p, slot = tables.grid, tables.slot_kwh
    pay, keep = 1.0 + tables.buyer_fee, 1.0 - tables.seller_fee
    internal = np.minimum(tables.bought, tables.sold)
    grid_slots = tables.bid_slots[:, None] + tables.ask_slots[:, None] - 2 * internal
    excess_demand = np.maximum(tables.bought - tables.sold, 0)
    excess_supply = np.maximum(tables.sold - tables.bought, 0)
    revenue = slot * (
        pay * p * tables.bought - keep * p * tables.sold - ret * excess_demand + fin * excess_supply
    )  # c, at each price
    fees = slot * p * ((pay - 1.0) * tables.bought + (1.0 - keep) * tables.sold)
    poem = float(tables.poem_gains.sum())
    if poem <= 0:
        raise ValueError("PoEM has no gains from trade on these rounds: there is nothing to compare with")
    return ExpectedOutcome(
        gains=float(np.sum(laws * tables.gains)),
        gains_sorted=float(np.sum(laws * tables.gains_sorted)),
        internal_slots=float(np.sum(laws * internal)),
        poem_gains=poem,
        poem_slots=float(tables.poem_slots.sum()),
        grid_kwh=float(np.sum(laws * grid_slots)) * slot,
        poem_grid_kwh=float(np.sum(tables.bid_slots + tables.ask_slots - 2 * tables.poem_slots)) * slot,
        revenue=float(np.sum(laws * revenue)),
        fee_income=float(np.sum(laws * fees)),
    )


def day_events(plan: ReleasePlan, eps_release: float, eps3: float) -> list[tuple[str, float, int]]:
    """A household-day's releases as accountant events: its prices, and the day's election (the released top three).

    The day's election draws the top three VPPs on their day's traded energy, each household's contribution capped,
    with :func:`vpt.market.mining.elect`'s PPoEM weights at ``eps3``; its released triple costs at most ``2 eps3``
    (the privacy audit: the ordered triple's exact loss reaches ``2 eps3``). The fill adds nothing (billboard
    lemma), the ledger's public part holds only these releases (:mod:`vpt.repaired.records`), and the rewards are a
    public constant per block.

    Examples
    --------
    >>> day_events(release_plan(24, "hour"), 0.05, 0.02)
    [('pure', 0.05, 24), ('pure', 0.04, 1)]
    """
    if not isinstance(plan, ReleasePlan):
        raise ValueError(f"plan must be a ReleasePlan, got {plan!r:.80}")
    return [("pure", positive(eps_release, "eps_release"), plan.per_day), ("pure", 2 * positive(eps3, "eps3"), 1)]


def budget_split(
    eps_day: float, plan: ReleasePlan, *, election_share: float = 0.1, delta: float = 1e-6, tol: float = 1e-4
) -> tuple[float, float]:
    """The per-release price budget and the election's ``eps3`` that spend ``eps_day`` per household-day at ``delta``.

    The election's triple gets ``election_share`` of the day's budget by basic composition (``2 eps3 =
    election_share * eps_day``); the price budget is the largest (to ``tol``, by bisection) at which the PLD
    accountant (:func:`vpt.privacy.accounting.pld_epsilon`) certifies the day's releases
    (:func:`day_events`) at ``eps_day`` or less.

    Raises
    ------
    ValueError
        For a budget not in [1e-3, 100], a share not in (0, 1), or a bad ``delta`` or ``tol``.
    """
    eps_day = positive(eps_day, "eps_day")
    if not 1e-3 <= eps_day <= 100:
        raise ValueError(f"eps_day must be in [1e-3, 100], got {eps_day!r}")
    share = probability(election_share, "election_share", open_interval=True)
    delta = probability(delta, "delta", open_interval=True)
    tol = positive(tol, "tol")
    if not isinstance(plan, ReleasePlan):
        raise ValueError(f"plan must be a ReleasePlan, got {plan!r:.80}")
    return _split(eps_day, plan.per_day, share, delta, tol)


@functools.lru_cache(maxsize=256)
def _split(eps_day: float, per_day: int, share: float, delta: float, tol: float) -> tuple[float, float]:
    """:func:`budget_split` for validated arguments (cached: it depends on no data, and the accountant is slow)."""
    eps3 = share * eps_day / 2
    step = min(1e-3, eps_day / 100)

    def spent(e: float) -> float:
        # dp-accounting divides by a vanishing mass for losses far in the tail (budgets of tens per day), which
        # overflows to inf inside a comparison it then decides correctly: the overflow is not an error here
        with np.errstate(over="ignore"):
            return accounting.pld_epsilon([("pure", e, per_day), ("pure", 2 * eps3, 1)], delta, discretization=step)

    lo, hi = (1 - share) * eps_day / per_day, (1 - share) * eps_day  # basic composition, and one release alone
    if spent(hi) <= eps_day:
        return hi, eps3
    while hi - lo > tol * lo:
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if spent(mid) <= eps_day else (lo, mid)
    return lo, eps3


@dataclass(frozen=True)
class Misreport:
    """A household's best report in one round: its truthful and best expected utility (c) and the report.

    The utilities are over every round of the release the round belongs to (its other rounds reported truthfully).
    """

    truthful: float
    best: float
    report: float

    @property
    def gain(self) -> float:
        """What the best misreport adds to the truthful utility (>= 0)."""
        return self.best - self.truthful


def truthful_utility(tables: RoundTables, own_slots: int, value: float, side: str) -> NDArray[np.float64]:
    """A household's utility (c) in one round at each grid price when it reports truthfully.

    ``own_slots`` slots to buy (``side="buyer"``, worth ``value`` c/kWh) or to sell (``"seller"``, at cost
    ``value``), at the tables' fees: ``k slot ((1 + fee_b)^-1 value - p)^+ (1 + fee_b)`` for a buyer, ``k slot
    ((1 - fee_s) p - value)^+`` for a seller.

    Raises
    ------
    ValueError
        For slots not >= 1, a negative value or an unknown side.
    """
    if not isinstance(tables, RoundTables):
        raise ValueError(f"tables must be RoundTables, got {tables!r:.80}")
    k = count(own_slots, "own_slots")
    v = non_negative(value, "value")
    choice(side, "side", ("buyer", "seller"))
    g = tables.grid
    pay, keep = 1.0 + tables.buyer_fee, 1.0 - tables.seller_fee
    per_slot = v - pay * g if side == "buyer" else keep * g - v
    return k * tables.slot_kwh * np.maximum(per_slot, 0.0)


def best_misreport(
    tables: RoundTables,
    plan: ReleasePlan,
    eps_release: float,
    round_index: int,
    own_slots: int,
    value: float,
    side: str,
    *,
    elsewhere: ArrayLike | None = None,
) -> Misreport:
    """A household's exact best price report in one round, everyone else truthful (expected utility, c).

    The household has ``own_slots`` slots to buy (``side="buyer"``, worth ``value`` c/kWh to it) or to sell
    (``side="seller"``, at cost ``value``), and is part of round ``round_index``'s tables at its true price. A
    report changes its own fill and the quality of its release (its capped slots enter at the grid prices its
    report crosses), hence the price law of every round of the release. ``elsewhere`` is the household's truthful
    utility at each grid price summed over its other rounds of the release (:func:`truthful_utility`; default
    none), which the changed law also weighs. Reports are searched at every grid price and just beyond the grid
    (no fill at all); any other report fills the same grid prices as one of these. Truth-telling is optimal at
    every fixed price, so the gain is at most ``(exp(eps) - 1)`` times the truthful utility over the release for a
    release that is ``eps``-DP in the household's report (McSherry and Talwar 2007).

    Raises
    ------
    ValueError
        For a round outside the tables, slots not >= 1, a negative value, an unknown side, or ``elsewhere`` not
        one finite value per grid price.
    """
    if not isinstance(tables, RoundTables) or not isinstance(plan, ReleasePlan):
        raise ValueError("best_misreport needs RoundTables and a ReleasePlan")
    r = count(round_index, "round_index", minimum=0, maximum=tables.quality.shape[0] - 1)
    k = count(own_slots, "own_slots")
    v = non_negative(value, "value")
    choice(side, "side", ("buyer", "seller"))
    g, slot = tables.grid, tables.slot_kwh
    other_rounds = np.zeros(g.size) if elsewhere is None else finite_array(elsewhere, "elsewhere", ndim=1)
    if other_rounds.shape != g.shape:
        raise ValueError(f"elsewhere must hold one utility per grid price ({g.size}), got shape {other_rounds.shape}")
    pay, keep = 1.0 + tables.buyer_fee, 1.0 - tables.seller_fee
    counted = min(k, tables.cap)
    others = np.zeros(g.size)  # the summed quality of the release's other rounds
    for other in np.flatnonzero(plan.group == plan.group[r]):
        if other != r:
            others += tables.quality[other]
    scale = noise_scale(eps_release, tables.cap * plan.rounds_per_day)
    cost = v / keep if side == "seller" else v / pay  # the fee-adjusted cost or value

    def fills(report: float) -> NDArray[np.bool_]:
        return g <= report if side == "buyer" else g >= report

    # the round's capped counts without the household: its capped slots entered where its true report fills
    own = np.where(fills(cost), counted, 0)
    buy = tables.buy_counted[r] - (own if side == "buyer" else 0)
    sell = tables.sell_counted[r] - (own if side == "seller" else 0)
    if (buy < 0).any() or (sell < 0).any():
        raise ValueError(f"round {r} has fewer counted {side} slots than the household's own: it is not in this round")
    per_slot = pay * (cost - g) if side == "buyer" else keep * (g - cost)

    def utility(report: float) -> float:
        filled = fills(report)
        add = np.where(filled, counted, 0)
        q = np.minimum(buy + add, sell) if side == "buyer" else np.minimum(buy, sell + add)
        law = price_law(others + q, scale)
        return float(np.sum(law * (k * slot * np.where(filled, per_slot, 0.0) + other_rounds)))

    candidates = [cost, *g.tolist(), (g[0] - 1.0) if side == "buyer" else (g[-1] + 1.0)]
    scores = [utility(c) for c in candidates]
    best = int(np.argmax(scores))
    if scores[best] <= scores[0]:
        return Misreport(scores[0], scores[0], v)
    report = candidates[best] * (keep if side == "seller" else pay)  # back to an ask or a bid
    return Misreport(scores[0], scores[best], report)


#: How the gains from trade among households are measured (:class:`ExpectedOutcome`): internal trades spread at
#: random over the filled slots, given to the highest bids and lowest asks, or the traded volume alone.
MEASURES = ("random", "sorted", "volume")


def posted_price_ceiling(tables: RoundTables, plan: ReleasePlan) -> dict[str, float]:
    """The most a posted price per release could give without any privacy, as a share of PoEM's, per measure.

    Each release takes the grid price with the largest total over its rounds (chosen knowing every report): the
    ceiling of any posted price at that release frequency, however private or not.

    Raises
    ------
    ValueError
        If the plan does not cover the tables' rounds, or PoEM has no gains from trade.
    """
    if not isinstance(tables, RoundTables) or not isinstance(plan, ReleasePlan):
        raise ValueError("posted_price_ceiling needs RoundTables and a ReleasePlan")
    if plan.group.size != tables.quality.shape[0]:
        raise ValueError(f"the plan covers {plan.group.size} rounds, the tables {tables.quality.shape[0]}")
    poem_gains, poem_slots = float(tables.poem_gains.sum()), float(tables.poem_slots.sum())
    if poem_gains <= 0:
        raise ValueError("PoEM has no gains from trade on these rounds: there is nothing to compare with")
    values = {
        "random": (tables.gains, poem_gains),
        "sorted": (tables.gains_sorted, poem_gains),
        "volume": (np.minimum(tables.bought, tables.sold).astype(np.float64), poem_slots),
    }
    out = {}
    for name, (per_price, total) in values.items():
        summed = np.zeros((plan.n_releases, tables.grid.size))
        np.add.at(summed, plan.group, per_price)
        out[name] = float(summed.max(axis=1).sum() / total)
    return out


#: The budgets per household-day of the frontier (delta = 1e-6).
BUDGETS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the privacy-cost frontier: a release frequency, a household-day budget, and what it gives."""

    frequency: str
    eps_day: float
    eps_release: float
    eps3: float
    outcome: ExpectedOutcome


def frontier(
    tables: RoundTables,
    budgets: tuple[float, ...] = BUDGETS,
    frequencies: tuple[str, ...] = FREQUENCIES,
    *,
    election_share: float = 0.1,
    delta: float = 1e-6,
) -> list[FrontierPoint]:
    """The expected outcome at every release frequency and household-day budget (:func:`budget_split`).

    Raises
    ------
    ValueError
        For an empty or invalid list of budgets or frequencies, or as :func:`budget_split` and
        :func:`expected_outcome`.
    """
    if not isinstance(tables, RoundTables):
        raise ValueError(f"tables must be RoundTables, got {tables!r:.80}")
    if not isinstance(budgets, (list, tuple)) or not budgets:
        raise ValueError(f"budgets must be a non-empty list of household-day budgets, got {budgets!r:.80}")
    if not isinstance(frequencies, (list, tuple)) or not frequencies:
        raise ValueError(f"frequencies must be a non-empty list of {FREQUENCIES}, got {frequencies!r:.80}")
    out = []
    for f in frequencies:
        plan = release_plan(tables.quality.shape[0], f)
        for e in budgets:
            er, e3 = budget_split(e, plan, election_share=election_share, delta=delta)
            out.append(FrontierPoint(f, float(e), er, e3, expected_outcome(tables, plan, er)))
    return out


def draw_fills(
    tables: RoundTables,
    plan: ReleasePlan,
    eps_release: float,
    bids: ArrayLike,
    asks: ArrayLike,
    surplus_kwh: ArrayLike,
    deficit_kwh: ArrayLike,
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """One draw of every release's price, and every household's fill in every round at its release's price.

    The prices are drawn from their exact laws (:func:`group_laws`) with ``rng``; the fills follow
    :func:`fill` with the tables' fees. Returns the price of each round (c/kWh) and the slots bought and sold,
    ``(homes, rounds)`` each.

    Raises
    ------
    ValueError
        As :func:`group_laws` and :func:`fill`, or for arrays whose shapes do not match the tables.
    """
    g = generator(rng)
    laws = group_laws(tables, plan, eps_release)
    drawn = np.array([g.choice(tables.grid.size, p=law) for law in laws])
    price = tables.grid[drawn[plan.group]]
    b, a = finite_array(bids, "bids", ndim=2, minimum=0), finite_array(asks, "asks", ndim=2, minimum=0)
    s = finite_array(surplus_kwh, "surplus_kwh", ndim=2, minimum=0)
    d = finite_array(deficit_kwh, "deficit_kwh", ndim=2, minimum=0)
    if not (s.shape == d.shape == b.T.shape == a.T.shape) or s.shape[1] != price.size:
        raise ValueError("bids and asks must be (rounds, homes) and the energies (homes, rounds) of the tables' rounds")
    requests, offers = household_slots(s, d, slot_kwh=tables.slot_kwh)
    bought, sold = np.zeros(s.shape, dtype=np.int64), np.zeros(s.shape, dtype=np.int64)
    for r in range(price.size):
        bought[:, r], sold[:, r] = fill(
            float(price[r]),
            b[r],
            a[r],
            requests[:, r],
            offers[:, r],
            buyer_fee=tables.buyer_fee,
            seller_fee=tables.seller_fee,
        )
    return price, bought, sold


def election_scores(
    bought: ArrayLike, sold: ArrayLike, vpp_of_home: ArrayLike, *, cap: int, slot_kwh: float = 0.1
) -> NDArray[np.float64]:
    """Each VPP's traded energy per day (kWh, ``(days, vpps)``), a household counted for at most ``cap`` slots an hour.

    A household-day then moves one VPP's score by at most ``DAY * cap * slot_kwh`` kWh: the sensitivity
    :func:`elect_daily` uses.

    Raises
    ------
    ValueError
        For fills that are not ``(homes, rounds)`` of whole days, or VPP indices that are not one per home.
    """
    b = finite_array(bought, "bought", ndim=2, minimum=0)
    s = finite_array(sold, "sold", ndim=2, minimum=0)
    vpp = finite_array(vpp_of_home, "vpp_of_home", ndim=1, minimum=0)
    if b.shape != s.shape or vpp.size != b.shape[0] or b.shape[1] % DAY or not np.array_equal(vpp, np.floor(vpp)):
        raise ValueError("bought and sold must be (homes, rounds) of whole days, and vpp_of_home one VPP per home")
    capped = np.minimum(b + s, count(cap, "cap")) * positive(slot_kwh, "slot_kwh")  # (homes, rounds), kWh
    per_day = capped.reshape(b.shape[0], -1, DAY).sum(axis=2)  # (homes, days)
    out = np.zeros((per_day.shape[1], int(vpp.max()) + 1))
    np.add.at(out.T, vpp.astype(np.int64), per_day)
    return out


def elect_daily(
    scores: ArrayLike, eps3: float, rng: np.random.Generator, *, cap: int, slot_kwh: float = 0.1
) -> NDArray[np.int64]:
    """Each day's leader, second and third VPP by PPoEM's exponential weights (Eq. 11) on the capped scores.

    The sensitivity is a household-day's largest move of one VPP's score, ``DAY * cap * slot_kwh`` kWh
    (:func:`election_scores`); the released triple costs at most ``2 eps3`` (:func:`day_events`).

    Raises
    ------
    ValueError
        As :func:`vpt.market.mining.elect`.
    """
    sc = finite_array(scores, "scores", ndim=2, minimum=0, nonempty=True)
    sensitivity = DAY * count(cap, "cap") * positive(slot_kwh, "slot_kwh")
    return elect(sc, "ppoem", sc.shape[0], generator(rng), eps3=positive(eps3, "eps3"), sensitivity=sensitivity)
