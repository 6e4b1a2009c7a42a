"""Seed sets for the book's seed-dependent verdicts, and what a seed check returns.

A verdict that rests on random draws (synthetic households, market prices,
elections, private prices, audits, fault injection) is only settled if it
holds for other draws too. Each part of the library keeps the checks of its
own chapters beside its experiment code (:mod:`vpt.market.stability`,
:mod:`vpt.privacy.stability`, :mod:`vpt.chain.stability`): a :class:`SeedCheck`
recomputes one chapter's verdict from a :class:`Seeds` (a data, a market and
an election seed) and returns a :class:`Replicate`. :mod:`vpt.book.sweep`
collects them and runs them over the independent seed sets of
:func:`seed_sets`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vpt._checks import count, instance
from vpt.data import SHIPPED, Households, generate_households

__all__ = ["N_SEED_SETS", "SWEEP_ROOT", "Replicate", "SeedCheck", "Seeds", "households", "seed_sets"]

#: The root of the sweep's seed sets (fixed before any result was looked at: the issue's number).
SWEEP_ROOT = 11
#: How many independent seed sets the scorecard's sweep uses.
N_SEED_SETS = 5


@dataclass(frozen=True)
class Seeds:
    """One seed set of the sweep.

    ``data`` draws the synthetic households (:func:`vpt.data.generate_households`), ``market`` the prices and the
    market's draws, ``election`` the elections, assignments of homes, audits and fault injections.
    """

    data: int
    market: int
    election: int


def seed_sets(n: int = N_SEED_SETS, root: int = SWEEP_ROOT) -> list[Seeds]:
    """``n`` independent seed sets spawned from ``root`` (:class:`numpy.random.SeedSequence`).

    Examples
    --------
    >>> a, b = seed_sets(2)
    >>> a != b and all(isinstance(s, int) for s in (a.data, a.market, a.election))
    True
    """
    n = count(n, "n", maximum=1000)
    root = count(root, "root", minimum=0)
    out = []
    for child in np.random.SeedSequence(root).spawn(n):
        data, market, election = (int(x) for x in child.generate_state(3))
        out.append(Seeds(data, market, election))
    return out


@dataclass(frozen=True)
class Replicate:
    """A verdict recomputed at one seed set, with the number it rests on (short text)."""

    verdict: str
    measured: str


@dataclass(frozen=True)
class SeedCheck:
    """One seed-dependent verdict.

    The chapter (notebook stem), the start of the claim's text in its verdict table, and the function that
    recomputes the verdict from a :class:`Seeds`.
    """

    chapter: str
    claim: str
    check: Callable[[Seeds], Replicate]


def households(seeds: Seeds) -> Households:
    """The seed set's synthetic households: :data:`vpt.data.SHIPPED`'s homes and period drawn at ``seeds.data``.

    Cached (the market's, the mining's and the ledger's checks of one seed set share them).
    """
    instance(seeds, Seeds, "seeds")
    return _households(seeds.data)


@functools.lru_cache(maxsize=2)
def _households(data_seed: int) -> Households:
    return generate_households(**{**SHIPPED, "seed": data_seed})
