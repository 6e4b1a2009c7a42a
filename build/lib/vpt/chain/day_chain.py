"""A day of the paper's PoEM trading rounds recorded on the LVPP ledger: the chain the ledger chapter attacks.

The market's rounds (:mod:`vpt.market.rounds`) and election
(:mod:`vpt.market.mining`) decide who trades and who mines; this module turns
them into signed transactions, coin movements (:mod:`vpt.chain.coin`) and
blocks of a permissioned ledger (:mod:`vpt.chain.ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import count, generator, instance
from vpt.chain.coin import Wallets
from vpt.chain.ledger import FEE_PERMILLE, POEM_SPLIT_TENTHS, Ledger, Registry, Transaction, sign_transaction
from vpt.data import Households
from vpt.market.mining import elect
from vpt.market.rounds import PAPER_VPP_SIZES, PriceModel, assign_vpps, hourly_energy, household_prices, trading_round
from vpt.state import SystemState, classify_demand, limits_from_quantiles

__all__ = ["DayChain", "build_day_chain", "build_trading_day_chain"]


@dataclass
class DayChain:
    """A day of trading rounds recorded on the LVPP ledger, with keys, wallets and what went in."""

    registry: Registry
    keys: dict
    ledger: Ledger
    wallets: Wallets
    homes: list[str]
    vpps: list[str]
    vpp_energy: NDArray[np.float64]  # (rounds, V) kWh sold per VPP, from the auction
    unpaid: int


def build_day_chain(
    homes: Households,
    day: str,
    rng: np.random.Generator,
    *,
    mining_reward: int = 500,
    vpp_sizes: ArrayLike = PAPER_VPP_SIZES,
) -> DayChain:
    """Record one day of PoEM trading rounds (hourly, rounds with trades) on a permissioned LVPP ledger.

    Each home is a registered node with its smart-meter id; each of the ten
    VPPs an LVPP. Keys are derived from ``rng`` so that the chain is
    reproducible (a demonstration, not a key-management practice). ``vpp_sizes``
    assigns the homes to VPPs in order (:func:`vpt.market.assign_vpps`; the
    paper's ten VPPs by default). Per
    round: the auction's unit slots are merged into one transaction per
    (seller, buyer) pair (energy in Wh, coins = price in whole cents,
    rounded), signed by both; buyers first buy the coins they need from
    their VPP (an authoritative node); trades are settled in VPP coin at the
    round's fee rate (whole coins, rounded down); the PoEM election picks three
    LVPPs; the leader signs and appends the block, which records the fee rate;
    the rewards (MR plus 70/20/10 % of the mining pool, rounded down) are paid,
    and the ledger checks them against Eq. 7.
    """
    instance(homes, Households, "homes")
    rng = generator(rng)
    mining_reward = count(mining_reward, "mining_reward", minimum=0)
    one = homes.subset(start_date=day, n_days=1)
    registry = Registry()
    keys = {}
    home_ids = [f"home-{c:03d}" for c in one.customer]
    for hid, c in zip(home_ids, one.customer, strict=True):
        keys[hid] = registry.register(hid, "home", meter_id=f"NMI-{c:05d}", key_seed=rng.bytes(32))
    vpp_of = assign_vpps(vpp_sizes, one.n_homes)
    vpp_ids = [f"lvpp-{v + 1:02d}" for v in range(int(vpp_of.max()) + 1)]
    for vid in vpp_ids:
        keys[vid] = registry.register(vid, "lvpp", key_seed=rng.bytes(32))
    ledger = Ledger("lvpp", registry, mining_reward=mining_reward)
    wallets = Wallets(registry)
    base_ask, base_bid = household_prices(one.n_homes, rng, PriceModel())
    surplus, deficit, demand = hourly_energy(one)
    _, _, month_demand = hourly_energy(homes)
    states = classify_demand(demand, limits_from_quantiles(month_demand, (0.5, 0.9, 0.99)))
    energies = []
    unpaid = 0
    for r in range(demand.size):
        res = trading_round(surplus[:, r], deficit[:, r], base_ask, base_bid, vpp_of, SystemState(int(states[r])))
        if len(res.trades) == 0:
            continue
        energies.append(res.vpp_energy)
        seller_home = res.seller_home[res.trades.seller]
        buyer_home = res.buyer_home[res.trades.buyer]
        pairs: dict[tuple[int, int], list[float]] = {}
        for s_h, b_h, price in zip(seller_home, buyer_home, res.settlement.price, strict=True):
            pairs.setdefault((int(s_h), int(b_h)), []).append(float(price))
        slot = str(one.timestamps[2 * r])
        permille = FEE_PERMILLE[int(states[r])]  # the state's fee rate, in whole per mille
        txs = []
        for (s_h, b_h), prices in sorted(pairs.items()):
            coins = round(sum(prices))
            fee = coins * permille // 1000
            seller, buyer = home_ids[s_h], home_ids[b_h]
            tx = sign_transaction(
                Transaction(seller, buyer, 100 * len(prices), coins, slot), {seller: keys[seller], buyer: keys[buyer]}
            )
            wallets.exchange(buyer, vpp_ids[vpp_of[b_h]], max(0, coins - wallets.held(buyer)), "buy")
            wallets.trade(buyer, seller, vpp_ids[vpp_of[s_h]], coins, fee, fee)
            txs.append(tx)
        winners = [w for w in elect(res.vpp_energy, "poem", 1, rng)[0] if w >= 0]
        pool = wallets.held("<mining pool>")
        shares = [pool * tenths // 10 for tenths in POEM_SPLIT_TENTHS[: len(winners)]]
        miners = [vpp_ids[w] for w in winners]
        rewards = [shares[0] + mining_reward, *shares[1:]]
        ledger.append(miners[0], txs, miners, rewards, key=keys[miners[0]], fee_permille=permille)
        unpaid = wallets.pay_rewards(miners, shares, mining_reward)
    return DayChain(registry, keys, ledger, wallets, home_ids, vpp_ids, np.array(energies), unpaid)


def build_trading_day_chain(
    homes: Households,
    seed: int,
    *,
    prefer: int = 1,
    mining_reward: int = 500,
    vpp_sizes: ArrayLike = PAPER_VPP_SIZES,
) -> tuple[str, DayChain]:
    """The chain of the first day with trades, from the period's day ``prefer`` on (then the days before it).

    A day without a trade (a rainy day: no home has a surplus) gives an empty
    chain, on which nothing can be shown; this tries day ``prefer`` (0 is the
    period's first), then the later days, then the earlier ones, and returns
    the first day whose chain has a block, with that chain. Each day is
    built with ``default_rng(seed)``, so the chain does not depend on how many
    days were tried.

    Returns
    -------
    tuple of (str, DayChain)
        The day (ISO) and its chain.

    Raises
    ------
    ValueError
        If no day of the period has a trade (the chapter then has no chain to
        show: the data hold no surplus that meets a demand).
    """
    instance(homes, Households, "homes")
    seed = count(seed, "seed", minimum=0)
    prefer = count(prefer, "prefer", minimum=0)
    days = [str(d) for d in homes.days()]
    first = min(prefer, len(days) - 1)
    for day in [*days[first:], *days[:first][::-1]]:
        chain = build_day_chain(
            homes, day, np.random.default_rng(seed), mining_reward=mining_reward, vpp_sizes=vpp_sizes
        )
        if len(chain.vpp_energy):  # a block per round with trades
            return day, chain
    raise ValueError(
        f"no day from {days[0]} to {days[-1]} has a trade (no home's surplus meets another's demand at a price "
        "both accept): there is no chain to record; choose a period with sun (VPT_START, VPT_DAYS)"
    )
