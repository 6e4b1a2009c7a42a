"""Theory: Theorems 6-12 in closed form, their independent simulators, and operation counts.

The book's parts "Market theorems" and "Cost" run on these modules:

- :mod:`~vpt.theory.closed_forms`: the paper's printed formulas of Theorems 6-9 and the results derived in the book;
- :mod:`~vpt.theory.simulate`: random trade orders, Markov chains and a finite queue, independent of the formulas;
- :mod:`~vpt.theory.complexity`: operation-counted transcriptions of PoEM for Theorems 10-12.

The public names of the modules are also names of the package.
"""

from vpt.theory import closed_forms, complexity, simulate
from vpt.theory.closed_forms import (
    leader_profit,
    market_race_ballot,
    market_race_exact,
    market_race_printed,
    mean_sojourn,
    mean_sojourn_printed,
    share_after,
    stationary_distribution,
    steady_share,
    throughput,
)
from vpt.theory.complexity import (
    Counts,
    count_auction_literal,
    count_auction_sorted,
    count_fees_and_welfare,
    count_miner_selection,
)
from vpt.theory.simulate import (
    market_race,
    mean_run_length,
    queue_throughput,
    run_lengths,
    simulate_chain,
    two_state_shares,
)

__all__ = [
    "Counts",
    "closed_forms",
    "complexity",
    "count_auction_literal",
    "count_auction_sorted",
    "count_fees_and_welfare",
    "count_miner_selection",
    "leader_profit",
    "market_race",
    "market_race_ballot",
    "market_race_exact",
    "market_race_printed",
    "mean_run_length",
    "mean_sojourn",
    "mean_sojourn_printed",
    "queue_throughput",
    "run_lengths",
    "share_after",
    "simulate",
    "simulate_chain",
    "stationary_distribution",
    "steady_share",
    "throughput",
    "two_state_shares",
]
