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
from scipy import stats

from vpt._checks import count, instance
from vpt.data import SHIPPED, Households, generate_households

__all__ = [
    "N_SEED_SETS",
    "SETTLED_LOWER",
    "SWEEP_ROOT",
    "Agreement",
    "Replicate",
    "SeedCheck",
    "Seeds",
    "agreement",
    "households",
    "seed_sets",
]

#: The root of the sweep's seed sets (fixed before any result was looked at: the issue's number).
SWEEP_ROOT = 11
#: How many independent seed sets the scorecard's sweep uses (at least 50: with 5, a rule that fails one time in
#: five would still agree at every seed set a third of the time).
N_SEED_SETS = 50
#: A seed-dependent verdict is settled only if the lower end of the 95 % Clopper-Pearson interval of the share of
#: seed sets that agree with it is above this (chosen before the 50-set sweep was run: a verdict that other draws
#: contradict one time in five or more is not settled).
SETTLED_LOWER = 0.8


@dataclass(frozen=True)
class Agreement:
    """How many of ``n`` seed sets agree with a verdict, and the share's 95 % Clopper-Pearson interval.

    ``settled`` if the interval's lower end is above :data:`SETTLED_LOWER`.
    """

    agree: int
    n: int
    low: float
    high: float
    settled: bool


def agreement(agree: int, n: int) -> Agreement:
    """The agreement of ``agree`` of ``n`` seed sets with a verdict (exact binomial interval, scipy).

    Raises
    ------
    ValueError
        If ``n`` is not a whole number >= 1 or ``agree`` not one from 0 to ``n``.

    Examples
    --------
    >>> a = agreement(50, 50)
    >>> round(a.low, 3), a.settled
    (0.929, True)
    >>> agreement(5, 5).settled  # five of five cannot settle a verdict: the interval reaches down to 0.478
    False
    """
    n = count(n, "n", minimum=1)
    agree = count(agree, "agree", maximum=n)
    ci = stats.binomtest(agree, n).proportion_ci(confidence_level=0.95, method="exact")
    low, high = float(ci.low), float(ci.high)
    return Agreement(agree, n, low, high, low > SETTLED_LOWER)


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
