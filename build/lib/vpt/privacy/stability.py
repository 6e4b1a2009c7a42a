"""The privacy audit's seed-dependent verdict (Theorem 3): the auditor's certified bound at a seed set.

Theorem 1's verdict ("reproduced under a reading") is decided by derivation, the reading of F_i, and is not
swept; its certified bounds illustrate the readings under which it fails.
"""

from __future__ import annotations

import numpy as np

from vpt.privacy import audit, mechanisms
from vpt.seeds import Replicate, SeedCheck, Seeds

__all__ = ["CHECKS"]


def _check_theorem3(seeds: Seeds) -> Replicate:
    ask, bid, bid2, eps, length = 12.0, 20.0, 21.0, 0.1, 10
    sampler = mechanisms.ppoem_price_sampler(ask, eps1=eps, eps2=eps, length=length)
    r = audit.epsilon_lower_bound(
        sampler, bid, bid2, n=1_000_000, n_pilot=100_000, alpha=0.05, rng=np.random.default_rng([seeds.election, 1])
    )
    lb = float(r.epsilon_lower)
    return Replicate("refuted" if lb > 0.2 else "cannot be checked", f"certified >= {lb:.1f} (claim 0.2)")


#: The seed check of the dp-audit chapter.
CHECKS: tuple[SeedCheck, ...] = (SeedCheck("dp-audit", "Theorem 3 (with Lemma 1)", _check_theorem3),)
