"""The ledger's seed-dependent verdicts: block integrity under random alterations, and Algorithm 4's recovery."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from vpt.chain import recovery, threats
from vpt.chain.day_chain import build_day_chain
from vpt.chain.ledger import LAYERS
from vpt.seeds import Replicate, SeedCheck, Seeds, households

__all__ = ["CHECKS"]


@functools.lru_cache(maxsize=2)
def _check_recovery(seeds: Seeds) -> Replicate:
    rng = np.random.default_rng([seeds.election, 2])
    worst = min(
        recovery.fault_injection(fault, f, n_trials=200, rng=rng, threshold=th)["correct"]
        for th in ("network", "responders")
        for fault in recovery.FAULTS
        for f in range(5)
    )
    return Replicate(
        "reproduced under a reading" if worst == 1 else "refuted", f"correct in {worst:.0%} of trials at worst (f <= 4)"
    )


def _check_integrity(seeds: Seeds) -> Replicate:
    homes = households(seeds)
    day = build_day_chain(homes, str(homes.days()[1]), np.random.default_rng(seeds.market))
    registry: Any = day.registry
    ledger: Any = day.ledger
    chain = ledger.read(day.homes[0])
    chain.validate(registry, LAYERS["lvpp"]["append"])
    messages = threats.random_alterations(chain, registry, 2000, np.random.default_rng(seeds.election))
    undetected = sum(m is None for m in messages)
    return Replicate("reproduced under a reading" if undetected == 0 else "refuted", f"{undetected} of 2000 undetected")


#: The seed checks of the ledger chapter, in the order of its verdict table.
CHECKS: tuple[SeedCheck, ...] = (
    SeedCheck("ledger", "Theorem 4, block integrity", _check_integrity),
    SeedCheck("ledger", "Theorem 4, data availability", _check_recovery),
    SeedCheck("ledger", "Algorithm 4: a recovering VPP", _check_recovery),
)
