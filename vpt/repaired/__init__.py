"""A VPT that keeps its promises: the repaired round, private per household and day, priced against PoEM.

The book's chapter "A VPT that keeps its promises" (part "Beyond the paper") runs on these modules:

- :mod:`~vpt.repaired.protocol`: the released price, the allocation that depends on the price and a household's
  own reports only, the settlement with the grid, the expected cost against PoEM, a household-day's budget and
  the exact best misreport;
- :mod:`~vpt.repaired.records`: what the ledger records: the public releases, and a fixed-size encrypted record per
  household and round that only it and the operator can read.

It builds on :mod:`vpt.privacy.repair` (the private price), :mod:`vpt.privacy.accounting` (the PLD accountant) and
:mod:`vpt.market` (slots, PoEM's clearing, the election); it never imports the audit side.
The public names of the modules are also names of the package.
"""

from vpt.repaired import protocol, records
from vpt.repaired.protocol import (
    BUDGETS,
    DAY,
    FEED_IN,
    FREQUENCIES,
    MEASURES,
    RETAIL,
    ExpectedOutcome,
    FrontierPoint,
    Misreport,
    ReleasePlan,
    RoundTables,
    best_misreport,
    budget_split,
    day_events,
    draw_fills,
    elect_daily,
    election_scores,
    expected_outcome,
    fill,
    frontier,
    group_laws,
    household_slots,
    posted_price_ceiling,
    release_plan,
    round_tables,
    truthful_utility,
)
from vpt.repaired.records import RECORD_BYTES, SealedRecord, TradeRecord, open_record, seal_records

__all__ = [
    "BUDGETS",
    "DAY",
    "FEED_IN",
    "FREQUENCIES",
    "MEASURES",
    "RECORD_BYTES",
    "RETAIL",
    "ExpectedOutcome",
    "FrontierPoint",
    "Misreport",
    "ReleasePlan",
    "RoundTables",
    "SealedRecord",
    "TradeRecord",
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
    "open_record",
    "posted_price_ceiling",
    "protocol",
    "records",
    "release_plan",
    "round_tables",
    "seal_records",
    "truthful_utility",
]
