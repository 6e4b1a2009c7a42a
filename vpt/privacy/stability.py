"""The privacy audit's seed-dependent verdicts (Theorems 1 and 3): the auditor's certified bounds at a seed set."""

from __future__ import annotations

import functools

import numpy as np

from vpt.privacy import audit, mechanisms
from vpt.seeds import Replicate, SeedCheck, Seeds

__all__ = ["CHECKS"]


def _dp_audit(seeds: Seeds, which: str) -> float:
    ask, bid, bid2, eps, length = 12.0, 20.0, 21.0, 0.1, 10
    rng = np.random.default_rng([seeds.election, 0 if which == "string" else 1])
    if which == "string":
        sampler = mechanisms.ppoem_string_sampler(ask, keep="truncate", eps1=eps, length=length)
        log_density = functools.partial(mechanisms.laplace_string_log_density, ask=ask, eps1=eps)
    else:
        sampler, log_density = mechanisms.ppoem_price_sampler(ask, eps1=eps, eps2=eps, length=length), None
    r = audit.epsilon_lower_bound(
        sampler, bid, bid2, n=1_000_000, n_pilot=100_000, alpha=0.05, rng=rng, log_density=log_density
    )
    return float(r.epsilon_lower)


def _check_theorem1(seeds: Seeds) -> Replicate:
    lb = _dp_audit(seeds, "string")
    return Replicate("refuted" if lb > 0.1 else "cannot be checked", f"certified >= {lb:.1f} (claim 0.1)")


def _check_theorem3(seeds: Seeds) -> Replicate:
    lb = _dp_audit(seeds, "price")
    return Replicate("refuted" if lb > 0.2 else "cannot be checked", f"certified >= {lb:.1f} (claim 0.2)")


#: The seed checks of the dp-audit chapter, in the order of its verdict table.
CHECKS: tuple[SeedCheck, ...] = (
    SeedCheck("dp-audit", "Theorem 1: the Laplace price string", _check_theorem1),
    SeedCheck("dp-audit", "Theorem 3 (with Lemma 1)", _check_theorem3),
)
