"""The paper's mining experiment (Sec. V-B): a month of trading rounds and 10,000 elections per mechanism."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vpt._checks import (
    MAX_CELLS,
    MAX_DRAWS,
    cells,
    choice,
    count,
    generator,
    instance,
    non_negative,
    positive,
    probability,
    text,
)
from vpt.data import Households
from vpt.market.mining import MECHANISMS, NO_WINNER, Rewards, check_params, elect, place_probabilities, rewards
from vpt.market.rounds import (
    PAPER_VPP_SIZES,
    MonthRounds,
    PriceModel,
    assign_vpps,
    hourly_energy,
    round_prices,
    run_rounds,
    trading_round,
)
from vpt.state import SystemState, limits_from_quantiles
from vpt.units import DELTA_Q2_KWH

__all__ = [
    "PAPER_EPSILONS",
    "TABLE_I_THRESHOLDS",
    "ElectionRun",
    "MiningSetting",
    "accumulate",
    "coin_flows",
    "estimate_transitions",
    "home_slots_traded",
    "month_of_rounds",
    "month_prices",
    "paper_settings",
    "run_elections",
    "share_states",
]

#: Privacy budgets of the paper's evaluation (Fig. 5-7).
PAPER_EPSILONS = (0.1, 0.01, 0.001)


@dataclass(frozen=True)
class MiningSetting:
    """One mechanism of Fig. 6-7: how winners are elected and which rounds' fees they share.

    ``pricing`` names the entry of :func:`month_of_rounds` whose rounds (and
    mining fees) the setting uses; ``params`` go to :func:`vpt.market.mining.elect`.
    PoE elects on each VPP's production-consumption imbalance instead of its
    traded energy.
    """

    name: str
    mechanism: str
    params: dict
    pricing: str

    def __post_init__(self) -> None:
        text(self.name, "name")
        choice(self.mechanism, "mechanism", MECHANISMS)
        if not isinstance(self.params, dict):
            raise ValueError(f"params must be a dict, got {self.params!r:.80}")
        check_params(self.mechanism, self.params)
        text(self.pricing, "pricing")


def paper_settings(sensitivity: float = DELTA_Q2_KWH, epsilons=PAPER_EPSILONS) -> list[MiningSetting]:
    """The six settings of Fig. 6: PoEM, PPoEM at each epsilon, PoA, PoE.

    PPoEM uses ``eps3 = eps`` for the election and ``eps1 = eps2 = eps`` for
    its prices (so its mining fees come from private prices);
    ``sensitivity`` is ``Delta q2`` in kWh (default :data:`vpt.units.DELTA_Q2_KWH`).
    """
    positive(sensitivity, "sensitivity")
    epsilons = _epsilons(epsilons)
    out = [MiningSetting("PoEM", "poem", {}, "poem")]
    out += [
        MiningSetting(f"PPoEM eps={e:g}", "ppoem", {"eps3": e, "sensitivity": sensitivity}, f"ppoem eps={e:g}")
        for e in epsilons
    ]
    out += [MiningSetting("PoA", "poa", {}, "poem"), MiningSetting("PoE", "poe", {}, "poem")]
    return out


def _epsilons(values: Any) -> tuple[float, ...]:
    """A list or tuple of privacy budgets, each finite and > 0 (may be empty)."""
    if not isinstance(values, (list, tuple)):
        raise ValueError(f"epsilons must be a list or tuple of numbers, got {values!r:.80}")
    return tuple(positive(e, "epsilon") for e in values)


def month_of_rounds(
    homes: Households,
    rng: np.random.Generator,
    *,
    quantiles=(0.5, 0.9, 0.99),
    epsilons=PAPER_EPSILONS,
    length: int = 10,
    vpp_sizes=PAPER_VPP_SIZES,
) -> dict[str, MonthRounds]:
    """Every hourly round of ``homes`` under PoEM pricing and PPoEM pricing at each epsilon.

    The state limits are the given quantiles of the hourly aggregate demand
    (as in the system-state chapter). One child generator per pricing, all
    from ``rng``; the allocation is the same under every pricing because
    :func:`vpt.market.run_rounds` keeps the market's draws apart from the
    private prices' and each child starts from the same market seed.
    """
    instance(homes, Households, "homes")
    rng = generator(rng)
    epsilons = _epsilons(epsilons)
    length = count(length, "length")
    _, _, demand = hourly_energy(homes)
    limits = limits_from_quantiles(demand, quantiles)
    market_seed = _market_seed(rng)
    out = {"poem": run_rounds(homes, limits, np.random.default_rng(market_seed), vpp_sizes=vpp_sizes)}
    for e in epsilons:
        out[f"ppoem eps={e:g}"] = run_rounds(
            homes,
            limits,
            np.random.default_rng(market_seed),
            vpp_sizes=vpp_sizes,
            pricing="ppoem",
            eps1=e,
            eps2=e,
            length=length,
        )
    return out


def _market_seed(rng: np.random.Generator) -> int:
    """The one draw :func:`month_of_rounds` takes from its ``rng``: the seed of every pricing's market."""
    return int(rng.integers(2**63))


def month_prices(homes: Households, rng: np.random.Generator) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Every home's ask and bid in every round (c/kWh, ``(rounds, homes)``) as :func:`month_of_rounds` draws them.

    With the same ``rng`` (a fresh generator of the same seed), these are
    the prices of its rounds: :func:`vpt.market.run_rounds` splits the
    market seed into the market's stream (these prices) and PPoEM's.
    """
    instance(homes, Households, "homes")
    market_rng, _ = np.random.default_rng(_market_seed(generator(rng))).spawn(2)
    _, _, demand = hourly_energy(homes)
    return round_prices(homes.n_homes, demand.size, market_rng, PriceModel())


def home_slots_traded(
    homes: Households, rng: np.random.Generator, *, vpp_sizes=PAPER_VPP_SIZES, slot_kwh: float = 0.1
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The slots each home bought and sold in each of :func:`month_of_rounds`' PoEM rounds, ``(homes, rounds)`` each.

    The rounds are cleared again with the prices of :func:`month_prices`
    (the allocation does not depend on the state or the pricing rule).
    """
    instance(homes, Households, "homes")
    asks, bids = month_prices(homes, rng)
    vpp = assign_vpps(vpp_sizes, homes.n_homes)
    surplus, deficit, _ = hourly_energy(homes)
    bought = np.zeros((homes.n_homes, asks.shape[0]), dtype=np.int64)
    sold = np.zeros_like(bought)
    for r in range(asks.shape[0]):
        res = trading_round(surplus[:, r], deficit[:, r], asks[r], bids[r], vpp, SystemState.STABLE, slot_kwh=slot_kwh)
        bought[:, r] = np.bincount(res.buyer_home[res.trades.buyer], minlength=homes.n_homes)
        sold[:, r] = np.bincount(res.seller_home[res.trades.seller], minlength=homes.n_homes)
    return bought, sold


@dataclass(frozen=True)
class ElectionRun:
    """The outcome of ``n`` elections of one setting.

    ``round_index[e]`` is the trading round whose energies election ``e``
    used; ``expected`` the exact expected number of first, second and third
    places of each VPP, shape ``(3, n_vpps)``, and ``variance`` its exact
    variance (elections are independent, each with its own probabilities).
    """

    setting: MiningSetting
    round_index: NDArray[np.int64]
    winners: NDArray[np.int64]
    rewards: Rewards
    mining_sum: NDArray[np.float64]
    expected: NDArray[np.float64]
    variance: NDArray[np.float64]

    def counts(self) -> NDArray[np.int64]:
        """Observed number of first, second and third places of each VPP, shape ``(3, n_vpps)``."""
        v = self.expected.shape[1]
        return np.stack([np.bincount(w[w != NO_WINNER], minlength=v) for w in self.winners.T])


def run_elections(
    rounds: dict[str, MonthRounds],
    settings: list[MiningSetting],
    n_elections: int,
    rng: np.random.Generator,
    *,
    mining_reward: float = 500.0,
) -> dict[str, ElectionRun]:
    """``n_elections`` elections per setting, each on a trading round drawn at random.

    The paper runs 10,000 elections, "in each mining election, the picked
    energies of VPPs are selected to form a probability distribution". A
    month has fewer rounds with trades than that, so each election draws one
    of the month's rounds that had at least one trade, uniformly with
    replacement (rounds without trades mine no block). All settings use the
    same sequence of rounds.
    """
    n = count(n_elections, "n_elections", maximum=MAX_DRAWS)
    rng = generator(rng)
    non_negative(mining_reward, "mining_reward")
    if not isinstance(rounds, dict) or not rounds or not all(isinstance(r, MonthRounds) for r in rounds.values()):
        raise ValueError("rounds must map pricing names to MonthRounds (as month_of_rounds returns)")
    if (
        not isinstance(settings, (list, tuple))
        or not settings
        or not all(isinstance(s, MiningSetting) for s in settings)
    ):
        raise ValueError("settings must be a non-empty list of MiningSetting")
    for s in settings:
        if s.pricing not in rounds:
            raise ValueError(f"setting {s.name!r} uses the rounds {s.pricing!r}, which are not in rounds")
        cells(n * rounds[s.pricing].vpp_energy.shape[1], f"{n} elections")
    first = rounds[settings[0].pricing]
    traded = np.flatnonzero(first.traded)
    if traded.size == 0:
        raise ValueError("no round had a trade: there is nothing to elect on")
    idx = rng.choice(traded, size=n)
    uniq, reps = np.unique(idx, return_counts=True)
    out = {}
    for s in settings:
        r = rounds[s.pricing]
        energy = r.vpp_imbalance if s.mechanism == "poe" else r.vpp_energy
        winners = elect(energy[idx], s.mechanism, n, rng, **s.params)
        p = place_probabilities(energy[uniq], s.mechanism, **s.params)  # (u, 3, V)
        expected = (p * reps[:, None, None]).sum(axis=0)
        variance = (p * (1 - p) * reps[:, None, None]).sum(axis=0)
        msum = r.mining_sum[idx]
        pay = rewards(winners, msum, s.mechanism, mining_reward=mining_reward, rng=rng)
        out[s.name] = ElectionRun(s, idx, winners, pay, msum, expected, variance)
    return out


def accumulate(run: ElectionRun, n_vpps: int) -> NDArray[np.float64]:
    """Total reward of each VPP over all elections of ``run`` (Fig. 7)."""
    instance(run, ElectionRun, "run")
    n_vpps = count(n_vpps, "n_vpps", minimum=int(run.winners.max(initial=-1)) + 1, maximum=MAX_CELLS)
    total = np.zeros(n_vpps)
    for place in range(3):
        w = run.winners[:, place]
        ok = w != NO_WINNER
        np.add.at(total, w[ok], run.rewards.paid[ok, place])
    return total


def coin_flows(run: ElectionRun, rounds: MonthRounds) -> dict[str, float]:
    """Where every coin of the elected rounds goes (VPP coin accounting).

    Sums over the rounds used by ``run``'s elections (a round used twice is
    counted twice). Identities that must hold: ``buyers_paid = sellers_received
    + transaction_fees + mining_pool`` and ``mining_pool = fees_paid_to_miners
    + unpaid``; new coins enter only as ``minted`` (the fixed reward MR).
    """
    instance(run, ElectionRun, "run")
    instance(rounds, MonthRounds, "rounds")
    i = run.round_index
    if i.size and i.max() >= rounds.n_trades.size:
        raise ValueError("run's elections use rounds that rounds does not have")
    paid = run.rewards.paid.sum()
    minted = run.rewards.minted.sum()
    return {
        "buyers_paid": float(rounds.buyer_paid[i].sum()),
        "sellers_received": float(rounds.seller_received[i].sum()),
        "transaction_fees": float(rounds.transaction_fees[i].sum()),
        "mining_pool": float(run.mining_sum.sum()),
        "fees_paid_to_miners": float(paid - minted),
        "unpaid": float(run.rewards.unpaid.sum()),
        "minted": float(minted),
        "rewards_total": float(paid),
    }


#: Share thresholds of Table I: above 20 % is T1, 10-20 % is T2, below 10 % is T3.
TABLE_I_THRESHOLDS = (0.10, 0.20)


def share_states(rounds: MonthRounds, vpp: int, thresholds=TABLE_I_THRESHOLDS) -> NDArray[np.int64]:
    """Table I state of one VPP in every round with trades, in time order: 0 = T1, 1 = T2, 2 = T3.

    The state is set by the VPP's share of the round's traded energy: above
    ``thresholds[1]`` is T1 (high chance to win the next election), above
    ``thresholds[0]`` T2, the rest T3.
    """
    instance(rounds, MonthRounds, "rounds")
    if not isinstance(thresholds, (list, tuple)) or len(thresholds) != 2:
        raise ValueError(f"thresholds must be two shares (low, high), got {thresholds!r:.80}")
    lo, hi = (probability(t, "threshold") for t in thresholds)
    if not lo < hi:
        raise ValueError(f"thresholds must satisfy 0 <= low < high <= 1, got {thresholds}")
    traded = rounds.traded
    vpp = count(vpp, "vpp", minimum=0, maximum=rounds.vpp_energy.shape[1] - 1)
    share = rounds.vpp_energy[traded, vpp] / rounds.traded_kwh[traded]
    return np.where(share > hi, 0, np.where(share > lo, 1, 2)).astype(np.int64)


def estimate_transitions(states: NDArray[np.int64], n_states: int = 3) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Transition counts and their row-normalised maximum-likelihood matrix from a state sequence.

    Raises
    ------
    ValueError
        If a state is never left (its row of counts is empty), so its row of
        the matrix cannot be estimated.
    """
    n_states = count(n_states, "n_states", maximum=4096)
    s = np.asarray(states) if isinstance(states, (list, tuple, np.ndarray)) else np.asarray(None)
    if s.ndim != 1 or (s.size and s.dtype.kind not in "iu"):
        raise ValueError(f"states must be a 1-D array of integer states, got {states!r:.80}")
    if s.size < 2:
        raise ValueError("states must hold at least two steps to count a transition")
    if s.min() < 0 or s.max() >= n_states:
        raise ValueError(f"states must be in 0..{n_states - 1}")
    s = s.astype(np.int64)
    counts = np.zeros((n_states, n_states), dtype=np.int64)
    np.add.at(counts, (s[:-1], s[1:]), 1)
    rows = counts.sum(axis=1, keepdims=True)
    if (rows == 0).any():
        raise ValueError(f"state(s) {np.flatnonzero(rows.ravel() == 0).tolist()} never seen before the last step")
    return counts, counts / rows
