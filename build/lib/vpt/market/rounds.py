"""A VPT trading round on household data: who sells, who buys, at what asks and bids, and what each VPP traded."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import MAX_CELLS, MAX_DRAWS, cells, choice, count, generator, instance, number, positive, prices_1d
from vpt.data import Households
from vpt.market.auction import Trades, match
from vpt.market.settlement import Settlement, check_pricing_options, settle, settle_poem, settle_ppoem
from vpt.state import StateLimits, SystemState, classify_demand
from vpt.units import slot_sensitivities

__all__ = [
    "PAPER_VPP_SIZES",
    "MonthRounds",
    "PriceModel",
    "Round",
    "SlotMarket",
    "assign_vpps",
    "auction_welfare",
    "hourly_energy",
    "household_prices",
    "round_prices",
    "run_rounds",
    "slot_market",
    "trading_round",
]

#: Prosumers per VPP in the paper's evaluation (Sec. V-B; they sum to 100).
PAPER_VPP_SIZES = (3, 3, 4, 5, 5, 10, 10, 10, 20, 30)


def assign_vpps(sizes: ArrayLike, n_homes: int) -> NDArray[np.int64]:
    """VPP index of each home: the first ``sizes[0]`` homes to VPP 0, the next ``sizes[1]`` to VPP 1, ...

    Raises
    ------
    ValueError
        If a size is < 1 or the sizes do not add up to ``n_homes``.
    """
    s = np.asarray(sizes)
    if s.ndim != 1 or s.size == 0 or (s < 1).any() or not np.issubdtype(s.dtype, np.integer):
        raise ValueError(f"VPP sizes must be positive integers, got {sizes!r}")
    if s.sum() != n_homes:
        raise ValueError(f"VPP sizes add up to {s.sum()}, not to the {n_homes} homes")
    return np.repeat(np.arange(s.size), s)


@dataclass(frozen=True)
class PriceModel:
    """How households price energy, in c/kWh (1 VPP coin = 1 cent).

    The paper gives no prices. Asks lie between what a seller could get
    otherwise and the retail price; bids between the feed-in level and the
    retail price a buyer would pay otherwise. Defaults (Sydney, 2012-13):
    IPART's benchmark range for a fair solar feed-in value was 7.7-12.9
    c/kWh and regulated retail prices were close to 28 c/kWh. Each home
    draws a base ask and bid once, uniform in the ranges, and every round
    moves them by a uniform relative jitter.
    """

    ask_low: float = 7.7
    ask_high: float = 20.0
    bid_low: float = 12.9
    bid_high: float = 28.0
    jitter: float = 0.10

    def __post_init__(self) -> None:
        for name in ("ask_low", "ask_high", "bid_low", "bid_high"):
            positive(getattr(self, name), name)
        if not (self.ask_low < self.ask_high and self.bid_low < self.bid_high):
            raise ValueError("price ranges must have low < high")
        if not 0 <= number(self.jitter, "jitter") < 1:
            raise ValueError(f"jitter must be in [0, 1), got {self.jitter}")


def household_prices(
    n_homes: int, rng: np.random.Generator, model: PriceModel = PriceModel()
) -> tuple[NDArray, NDArray]:
    """Each home's base ask and base bid in c/kWh (uniform in the model's ranges)."""
    n = count(n_homes, "n_homes", maximum=MAX_CELLS)
    rng = generator(rng)
    instance(model, PriceModel, "model")
    return rng.uniform(model.ask_low, model.ask_high, n), rng.uniform(model.bid_low, model.bid_high, n)


def round_prices(
    n_homes: int, n_rounds: int, rng: np.random.Generator, model: PriceModel = PriceModel()
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Every home's ask and bid in every round (c/kWh), shape ``(n_rounds, n_homes)`` each.

    The base prices of :func:`household_prices`, then per round a uniform
    relative jitter of ``model.jitter`` on each home's ask and bid (drawn in
    that order, round by round: the stream :func:`run_rounds` uses).
    """
    n = count(n_homes, "n_homes", maximum=MAX_CELLS)
    r = count(n_rounds, "n_rounds", maximum=MAX_CELLS)
    cells(2 * n * r, "the prices of every home in every round")
    base_ask, base_bid = household_prices(n, rng, model)
    j = model.jitter
    asks, bids = np.empty((r, n)), np.empty((r, n))
    for k in range(r):
        asks[k] = base_ask * rng.uniform(1 - j, 1 + j, n)
        bids[k] = base_bid * rng.uniform(1 - j, 1 + j, n)
    return asks, bids


def hourly_energy(homes: Households) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per home and hour: energy to sell, energy to buy (kWh), and the aggregate demand (kW).

    A round is one hour (Sec. III-B: "a specific round (e.g., hourly)"). A
    home's net use over the hour is consumption minus its own PV
    generation; a surplus is offered for sale, a deficit is bought. The
    aggregate demand that Algorithm 1 watches is the consumption of all
    homes, in kW averaged over the hour (as in the system-state chapter).

    Returns
    -------
    surplus, deficit : numpy.ndarray, shape ``(n_homes, n_hours)``
    demand_kw : numpy.ndarray, shape ``(n_hours,)``
    """
    instance(homes, Households, "homes")
    n, t = homes.consumption.shape
    per_hour = (n, t // 2, 2)
    net = (homes.consumption - homes.generation).reshape(per_hour).sum(axis=2)
    demand_kw = homes.consumption.reshape(per_hour).sum(axis=(0, 2))  # kWh in one hour = mean kW
    return np.maximum(-net, 0.0), np.maximum(net, 0.0), demand_kw


@dataclass(frozen=True)
class Round:
    """One trading round: the state, the slots, the trades and what each VPP traded.

    ``seller_home[s]`` and ``buyer_home[b]`` map the auction's slots to homes;
    ``vpp_energy[v]`` is the energy (kWh) sold by the sellers of VPP ``v``.
    """

    state: SystemState
    seller_home: NDArray[np.int64]
    buyer_home: NDArray[np.int64]
    trades: Trades
    settlement: Settlement
    vpp_energy: NDArray[np.float64]


def trading_round(
    surplus_kwh: ArrayLike,
    deficit_kwh: ArrayLike,
    ask: ArrayLike,
    bid: ArrayLike,
    vpp_of_home: ArrayLike,
    state: SystemState,
    *,
    slot_kwh: float = 0.1,
    pricing: str = "poem",
    rng: np.random.Generator | None = None,
    **pricing_options,
) -> Round:
    """Clear one round: offers and requests in unit slots of ``slot_kwh``, auction, settlement.

    A home with surplus ``x`` offers ``floor(x / slot_kwh)`` slots at its
    ask, a home with deficit ``y`` bids for ``floor(y / slot_kwh)`` slots at
    its bid (prices per slot = price per kWh x ``slot_kwh``); the remainder
    below one slot goes to or comes from the grid. Slots are matched by
    :func:`vpt.market.auction.match` (sorted reading) and settled with PoEM's
    pay-as-bid rule (``pricing="poem"``, option ``price_rule``) or PPoEM's
    private prices (``pricing="ppoem"``, options of
    :func:`vpt.market.settlement.ppoem_prices`, needs ``rng``). PPoEM's ``F_i`` and
    ``Delta q1`` default to :mod:`vpt.units`' 1 c/kWh, i.e. ``slot_kwh`` coins
    per slot (:func:`vpt.units.slot_sensitivities`), so a slot's private price
    is as private as a price per kWh in the privacy chapters.

    Raises
    ------
    ValueError
        For arrays of different lengths, negative energies or prices, or an
        unknown ``pricing``.
    """
    surplus = prices_1d(surplus_kwh, "surplus_kwh")
    deficit = prices_1d(deficit_kwh, "deficit_kwh")
    ask = prices_1d(ask, "ask")
    bid = prices_1d(bid, "bid")
    vpp = np.asarray(vpp_of_home) if isinstance(vpp_of_home, (list, tuple, np.ndarray)) else np.asarray(None)
    n = surplus.shape
    if not (deficit.shape == ask.shape == bid.shape == vpp.shape == n):
        raise ValueError("surplus, deficit, ask, bid and vpp_of_home must be 1-D arrays of one entry per home")
    if vpp.size and (vpp.dtype.kind not in "iu" or vpp.min() < 0):
        raise ValueError("vpp_of_home must hold VPP indices (integers >= 0)")
    state = SystemState(state)
    choice(pricing, "pricing", ("poem", "ppoem"))
    check_pricing_options(pricing, pricing_options)
    if rng is not None:
        generator(rng)
    slot = positive(slot_kwh, "slot_kwh")
    slots = _slot_market(surplus, deficit, ask, bid, slot)
    seller_home, buyer_home = slots.ask_owner, slots.bid_owner
    trades = match(slots.bids, slots.asks)
    if pricing == "poem":
        settlement = settle_poem(trades, state, **pricing_options)
    else:
        if rng is None:
            raise ValueError("pricing 'ppoem' draws private prices: pass rng")
        # F_i and Delta q1 are defined per kWh (vpt.units): per slot they scale with the slot
        settlement = settle_ppoem(trades, state, rng=rng, **{**slot_sensitivities(slot), **pricing_options})
    n_vpps = int(vpp.max()) + 1 if vpp.size else 0
    sold_by = vpp[seller_home[trades.seller]]
    vpp_energy = np.bincount(sold_by, minlength=n_vpps).astype(np.float64) * slot
    return Round(SystemState(state), seller_home, buyer_home, trades, settlement, vpp_energy)


@dataclass(frozen=True)
class SlotMarket:
    """A round's double auction in unit slots: one price per slot and the home that owns it."""

    bids: NDArray[np.float64]
    asks: NDArray[np.float64]
    bid_owner: NDArray[np.int64]
    ask_owner: NDArray[np.int64]


def slot_market(
    surplus_kwh: ArrayLike, deficit_kwh: ArrayLike, ask: ArrayLike, bid: ArrayLike, *, slot_kwh: float = 0.1
) -> SlotMarket:
    """The unit-slot market of one round, as :func:`trading_round` builds it.

    A home with surplus ``x`` kWh offers ``floor(x / slot_kwh)`` slots at its
    ask, a home with deficit ``y`` bids for ``floor(y / slot_kwh)`` slots at
    its bid; prices per slot are prices per kWh times ``slot_kwh``. Slots of
    one home are consecutive, homes in index order.

    Raises
    ------
    ValueError
        For arrays of different lengths, negative or non-finite energies or
        prices, or a ``slot_kwh`` not > 0.
    """
    surplus = prices_1d(surplus_kwh, "surplus_kwh")
    deficit = prices_1d(deficit_kwh, "deficit_kwh")
    ask = prices_1d(ask, "ask")
    bid = prices_1d(bid, "bid")
    if not (deficit.shape == ask.shape == bid.shape == surplus.shape):
        raise ValueError("surplus, deficit, ask and bid must be 1-D arrays of one entry per home")
    return _slot_market(surplus, deficit, ask, bid, positive(slot_kwh, "slot_kwh"))


def _slot_market(
    surplus: NDArray[np.float64], deficit: NDArray[np.float64], ask: NDArray, bid: NDArray, slot: float
) -> SlotMarket:
    with np.errstate(over="ignore"):
        offers_f = np.floor(surplus / slot + 1e-9)
        requests_f = np.floor(deficit / slot + 1e-9)
    cells(int(min(offers_f.sum() + requests_f.sum(), 2.0**62)), f"the slots of {slot!r} kWh of this round")
    homes = np.arange(surplus.size)
    seller_home = np.repeat(homes, offers_f.astype(np.int64))
    buyer_home = np.repeat(homes, requests_f.astype(np.int64))
    return SlotMarket(bid[buyer_home] * slot, ask[seller_home] * slot, buyer_home, seller_home)


@dataclass(frozen=True)
class MonthRounds:
    """Per-round results of :func:`run_rounds` (one row per hourly round).

    Money columns are sums over the round's trades, in coins (cents).
    """

    hour: NDArray[np.datetime64]
    state: NDArray[np.int64]
    vpp_energy: NDArray[np.float64]  # (R, V) kWh sold by each VPP's sellers
    vpp_imbalance: NDArray[np.float64]  # (R, V) |production - consumption| of each VPP's homes, kWh
    n_trades: NDArray[np.int64]
    traded_kwh: NDArray[np.float64]
    buyer_paid: NDArray[np.float64]
    seller_received: NDArray[np.float64]
    transaction_fees: NDArray[np.float64]
    mining_sum: NDArray[np.float64]
    seller_welfare: NDArray[np.float64]
    buyer_welfare: NDArray[np.float64]

    @property
    def traded(self) -> NDArray[np.bool_]:
        """Rounds in which at least one slot was traded."""
        return self.n_trades > 0


def run_rounds(
    homes: Households,
    limits: StateLimits,
    rng: np.random.Generator,
    *,
    vpp_sizes: ArrayLike = PAPER_VPP_SIZES,
    price_model: PriceModel = PriceModel(),
    slot_kwh: float = 0.1,
    pricing: str = "poem",
    **pricing_options,
) -> MonthRounds:
    """Run every hourly round of ``homes``: state (Algorithm 1), auction, settlement, VPP energies.

    ``rng`` is split into two independent streams: one for the homes' base
    prices and each round's jitter, one for PPoEM's private prices. So the
    same seed gives the same allocation under every pricing rule, and only
    the prices differ.
    """
    instance(homes, Households, "homes")
    instance(limits, StateLimits, "limits")
    rng = generator(rng)
    instance(price_model, PriceModel, "price_model")
    choice(pricing, "pricing", ("poem", "ppoem"))
    check_pricing_options(pricing, pricing_options)
    vpp = assign_vpps(vpp_sizes, homes.n_homes)
    n_vpps = int(vpp.max()) + 1
    market_rng, price_rng = rng.spawn(2)
    surplus, deficit, demand_kw = hourly_energy(homes)
    asks, bids = round_prices(homes.n_homes, demand_kw.size, market_rng, price_model)
    states = classify_demand(demand_kw, limits)
    n_rounds = demand_kw.size
    per_hour = (homes.n_homes, n_rounds, 2)
    vpp_matrix = np.zeros((n_vpps, homes.n_homes))
    vpp_matrix[vpp, np.arange(homes.n_homes)] = 1.0
    production = vpp_matrix @ homes.generation.reshape(per_hour).sum(axis=2)
    consumption = vpp_matrix @ homes.consumption.reshape(per_hour).sum(axis=2)
    cols = {
        k: np.zeros(n_rounds)
        for k in (
            "traded_kwh",
            "buyer_paid",
            "seller_received",
            "transaction_fees",
            "mining_sum",
            "seller_welfare",
            "buyer_welfare",
        )
    }
    energy = np.zeros((n_rounds, n_vpps))
    n_trades = np.zeros(n_rounds, dtype=np.int64)
    for r in range(n_rounds):
        res = trading_round(
            surplus[:, r],
            deficit[:, r],
            asks[r],
            bids[r],
            vpp,
            SystemState(int(states[r])),
            slot_kwh=slot_kwh,
            pricing=pricing,
            rng=price_rng,
            **pricing_options,
        )
        s = res.settlement
        energy[r] = res.vpp_energy
        n_trades[r] = len(res.trades)
        cols["traded_kwh"][r] = len(res.trades) * slot_kwh
        cols["buyer_paid"][r] = s.price.sum()
        cols["seller_received"][r] = s.seller_net.sum()
        cols["transaction_fees"][r] = s.transaction_fee.sum()
        cols["mining_sum"][r] = s.mining_sum
        cols["seller_welfare"][r] = s.seller_welfare.sum()
        cols["buyer_welfare"][r] = s.buyer_welfare.sum()
    hours = homes.timestamps[::2]
    return MonthRounds(hours, states, energy, np.abs(production - consumption).T, n_trades, **cols)


def auction_welfare(
    n_buyers: int,
    n_sellers: int,
    n_reps: int,
    rng: np.random.Generator,
    settings: dict[str, dict],
    *,
    price_model: PriceModel = PriceModel(),
    state: SystemState = SystemState.STABLE,
) -> dict[str, NDArray[np.float64]]:
    """Mean total welfare of random one-slot-each auctions under several settlement settings (Fig. 5).

    Each repetition draws ``n_buyers`` bids and ``n_sellers`` asks (c/kWh,
    one 1 kWh slot each) uniformly from ``price_model``'s ranges, clears them
    with :func:`vpt.market.auction.match`, and settles the same trades under every
    setting, so settings differ only by their prices (common random numbers).

    ``settings`` maps a name to ``{"pricing": "poem" | "ppoem" | rule,
    **options}``: options of :func:`vpt.market.settlement.settle_poem` or
    :func:`vpt.market.settlement.ppoem_prices`, or a pricing rule of another
    design, a callable ``rule(bid, ask, *, rng, **options)`` returning one
    price per trade (for example
    :func:`vpt.privacy.repair.repaired_ppoem_prices`), whose trades are then
    settled by :func:`vpt.market.settlement.settle`.

    Returns
    -------
    dict
        name -> array ``[mean seller welfare, mean buyer welfare, standard
        error of the seller mean, standard error of the buyer mean]`` per
        auction, plus ``"trades"`` -> ``[mean number of trades, its standard error, 0, 0]``.
    """
    count(n_buyers, "n_buyers", 0, maximum=MAX_CELLS)
    count(n_sellers, "n_sellers", 0, maximum=MAX_CELLS)
    reps = count(n_reps, "n_reps", 2, maximum=MAX_DRAWS)
    rng = generator(rng)
    instance(price_model, PriceModel, "price_model")
    state = SystemState(state)
    if not isinstance(settings, dict) or not all(isinstance(k, str) for k in settings):
        raise ValueError(f"settings must map names to settings, got {settings!r:.80}")
    for name, setting in settings.items():
        if not isinstance(setting, dict) or "pricing" not in setting:
            raise ValueError(f"setting {name!r} must be a dict with a 'pricing' entry, got {setting!r:.80}")
        options = {k: v for k, v in setting.items() if k != "pricing"}
        if callable(setting["pricing"]):
            try:
                inspect.signature(setting["pricing"]).bind(np.empty(0), np.empty(0), rng=rng, **options)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"setting {name!r}: the pricing rule does not take these options ({exc})") from None
        else:
            pricing = choice(setting["pricing"], f"pricing of setting {name!r}", ("poem", "ppoem"))
            check_pricing_options(pricing, options)
    market_rng, price_rng = rng.spawn(2)
    seller = {k: np.zeros(reps) for k in settings}
    buyer = {k: np.zeros(reps) for k in settings}
    trades_n = np.zeros(reps)
    for r in range(reps):
        bids = market_rng.uniform(price_model.bid_low, price_model.bid_high, n_buyers)
        asks = market_rng.uniform(price_model.ask_low, price_model.ask_high, n_sellers)
        trades = match(bids, asks)
        trades_n[r] = len(trades)
        for name, setting in settings.items():
            options = dict(setting)
            pricing = options.pop("pricing")
            if pricing == "poem":
                s = settle_poem(trades, state, **options)
            elif pricing == "ppoem":
                s = settle_ppoem(trades, state, rng=price_rng, **options)
            else:
                s = settle(trades, pricing(trades.bid, trades.ask, rng=price_rng, **options), state)
            seller[name][r] = s.seller_welfare.sum()
            buyer[name][r] = s.buyer_welfare.sum()
    se = lambda x: x.std(ddof=1) / np.sqrt(reps)  # noqa: E731
    out = {k: np.array([seller[k].mean(), buyer[k].mean(), se(seller[k]), se(buyer[k])]) for k in settings}
    out["trades"] = np.array([trades_n.mean(), se(trades_n), 0.0, 0.0])
    return out
