"""The market: the double auction, its settlement, the paper's and the truthful mechanisms, the miner election.

The book's part "The VPT system" (the market and mining chapters) and its
chapter on incentives run on these modules:

- :mod:`~vpt.market.auction`: the double auction's allocation rule (Eq. 1-2, Algorithm 2 lines 1-15);
- :mod:`~vpt.market.settlement`: prices, fees and welfare of PoEM (Eq. 3, 7-8) and PPoEM (Eq. 9-10, 13-14);
- :mod:`~vpt.market.mechanisms`: the paper's pricing rules beside truthful and budget-balanced double auctions;
- :mod:`~vpt.market.mining`: the miner election (Eq. 4-6, 11) and mining rewards (Eq. 7, 12);
- :mod:`~vpt.market.rounds`: trading rounds on household data, and the welfare of random auctions (Fig. 5);
- :mod:`~vpt.market.experiments`: the paper's mining experiment (Sec. V-B);
- :mod:`~vpt.market.incentives`: what a trader gains by misreporting, or by trading with itself;
- :mod:`~vpt.market.stability`: the criteria of the seed-dependent verdicts of these chapters, and their seed checks.

The public names of the modules are also names of the package (``vpt.market.match``
is ``vpt.market.auction.match``), except ``MECHANISMS``, which both
:mod:`~vpt.market.mechanisms` (the double auctions) and :mod:`~vpt.market.mining`
(the elections) define, and the seed checks of :mod:`~vpt.market.stability`.
"""

from vpt.market import auction, experiments, incentives, mechanisms, mining, rounds, settlement, stability
from vpt.market.auction import SELLER_ORDERS, Trades, match, match_literal
from vpt.market.experiments import (
    PAPER_EPSILONS,
    TABLE_I_THRESHOLDS,
    ElectionRun,
    MiningSetting,
    accumulate,
    coin_flows,
    estimate_transitions,
    home_slots_traded,
    month_of_rounds,
    month_prices,
    paper_settings,
    run_elections,
    share_states,
)
from vpt.market.incentives import (
    ELECTION_SHARES,
    PUBLISHED_COLUMNS,
    WASH_GRID,
    GainFromTrade,
    MarketAudit,
    Misreport,
    WashTrade,
    audit_markets,
    audit_traders,
    best_misreport,
    best_responses,
    best_wash_trade,
    gain_from_trade,
    published_gain_from_trade,
    utility,
    wash_trading_gain,
)
from vpt.market.mechanisms import Outcome, clear
from vpt.market.mining import (
    NO_WINNER,
    Rewards,
    elect,
    log_weights,
    own_place_probabilities,
    place_probabilities,
    pool_from_rewards,
    rewards,
    top_sellers,
    winner_probabilities,
)
from vpt.market.rounds import (
    PAPER_VPP_SIZES,
    MonthRounds,
    PriceModel,
    Round,
    SlotMarket,
    assign_vpps,
    auction_welfare,
    hourly_energy,
    household_prices,
    round_prices,
    run_rounds,
    slot_market,
    trading_round,
)
from vpt.market.settlement import (
    PPOEM_CENTRES,
    PPOEM_KEEP,
    PPOEM_QUALITIES,
    Settlement,
    ppoem_price_string,
    ppoem_prices,
    select_price,
    settle,
    settle_poem,
    settle_ppoem,
    truncated_laplace,
)

__all__ = [
    "ELECTION_SHARES",
    "NO_WINNER",
    "PAPER_EPSILONS",
    "PAPER_VPP_SIZES",
    "PPOEM_CENTRES",
    "PPOEM_KEEP",
    "PPOEM_QUALITIES",
    "PUBLISHED_COLUMNS",
    "SELLER_ORDERS",
    "TABLE_I_THRESHOLDS",
    "WASH_GRID",
    "ElectionRun",
    "GainFromTrade",
    "MarketAudit",
    "MiningSetting",
    "Misreport",
    "MonthRounds",
    "Outcome",
    "PriceModel",
    "Rewards",
    "Round",
    "Settlement",
    "SlotMarket",
    "Trades",
    "WashTrade",
    "accumulate",
    "assign_vpps",
    "auction",
    "auction_welfare",
    "audit_markets",
    "audit_traders",
    "best_misreport",
    "best_responses",
    "best_wash_trade",
    "clear",
    "coin_flows",
    "elect",
    "estimate_transitions",
    "experiments",
    "gain_from_trade",
    "home_slots_traded",
    "hourly_energy",
    "household_prices",
    "incentives",
    "log_weights",
    "match",
    "match_literal",
    "mechanisms",
    "mining",
    "month_of_rounds",
    "month_prices",
    "own_place_probabilities",
    "paper_settings",
    "place_probabilities",
    "pool_from_rewards",
    "ppoem_price_string",
    "ppoem_prices",
    "published_gain_from_trade",
    "rewards",
    "round_prices",
    "rounds",
    "run_elections",
    "run_rounds",
    "select_price",
    "settle",
    "settle_poem",
    "settle_ppoem",
    "settlement",
    "share_states",
    "slot_market",
    "stability",
    "top_sellers",
    "trading_round",
    "truncated_laplace",
    "utility",
    "wash_trading_gain",
    "winner_probabilities",
]
