"""Privacy: the auditor, the mechanisms under audit, a household's accountant and the repaired market.

The book's part "Privacy" (the calibration, audit and household-privacy
chapters) runs on these modules:

- :mod:`~vpt.privacy.laws`: exact output laws and exact privacy losses;
- :mod:`~vpt.privacy.audit`: lower confidence bounds on a mechanism's privacy loss, and stress pairs;
- :mod:`~vpt.privacy.mechanisms`: the mechanisms under audit, textbook ones and the paper's PPoEM pieces;
- :mod:`~vpt.privacy.accounting`: a household's loss over many releases (dp-accounting);
- :mod:`~vpt.privacy.repair`: the repaired private markets (OpenDP);
- :mod:`~vpt.privacy.stability`: the seed checks of the privacy audit's verdicts.

The mechanisms never import the audit side: the auditor imports the
mechanisms. The public names of the modules are also names of the package,
except the seed checks of :mod:`~vpt.privacy.stability`.
"""

from vpt.privacy import accounting, audit, laws, mechanisms, repair, stability
from vpt.privacy.accounting import basic_epsilon, optimal_pure_delta, pld_epsilon, ppoem_slot_events, slot_events_total
from vpt.privacy.audit import AuditResult, StressPair, clopper_pearson, epsilon_lower_bound, find_stress_pair
from vpt.privacy.laws import bare_ppoem_price_density, bare_ppoem_price_loss, exact_epsilon, ordered_top3_law
from vpt.privacy.mechanisms import (
    Mechanism,
    broken_laplace,
    election_sampler,
    laplace,
    laplace_string_log_density,
    ppoem_price_sampler,
    ppoem_string_sampler,
    price_selection_law,
    randomized_response,
    report_noisy_max,
    report_noisy_max_law,
)
from vpt.privacy.repair import (
    PRICE_GRID,
    RepairedRound,
    clear_at,
    clearing_quality,
    noise_scale,
    price_law,
    repaired_election,
    repaired_ppoem_prices,
    repaired_round,
    select_price,
)

__all__ = [
    "PRICE_GRID",
    "AuditResult",
    "Mechanism",
    "RepairedRound",
    "StressPair",
    "accounting",
    "audit",
    "bare_ppoem_price_density",
    "bare_ppoem_price_loss",
    "basic_epsilon",
    "broken_laplace",
    "clear_at",
    "clearing_quality",
    "clopper_pearson",
    "election_sampler",
    "epsilon_lower_bound",
    "exact_epsilon",
    "find_stress_pair",
    "laplace",
    "laplace_string_log_density",
    "laws",
    "mechanisms",
    "noise_scale",
    "optimal_pure_delta",
    "ordered_top3_law",
    "pld_epsilon",
    "ppoem_price_sampler",
    "ppoem_slot_events",
    "ppoem_string_sampler",
    "price_law",
    "price_selection_law",
    "randomized_response",
    "repair",
    "repaired_election",
    "repaired_ppoem_prices",
    "repaired_round",
    "report_noisy_max",
    "report_noisy_max_law",
    "select_price",
    "slot_events_total",
    "stability",
]
