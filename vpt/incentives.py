"""Incentive audit of the double auctions: what one trader gains by misreporting while everyone else is truthful."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from vpt._checks import choice, count, number, prices_1d
from vpt.mechanisms import MECHANISMS, clear

__all__ = ["Misreport", "best_misreport", "utility"]

#: Mechanisms whose outcome depends on random draws (their utility is averaged over draws).
RANDOM = ("sbba", "ppoem")


@dataclass(frozen=True)
class Misreport:
    """A trader's best report against truthful others: ``gain`` = utility at ``report`` minus truthful utility."""

    side: str
    index: int
    value: float
    report: float
    truthful_utility: float
    best_utility: float

    @property
    def gain(self) -> float:
        """What misreporting adds to the trader's (expected) utility; 0 if telling the truth is best."""
        return self.best_utility - self.truthful_utility


def utility(
    bids: ArrayLike,
    asks: ArrayLike,
    mechanism: str,
    side: str,
    index: int,
    value: float,
    *,
    n_draws: int = 1,
    seed: int = 0,
    **params: Any,
) -> float:
    """The (expected) utility of trader ``index`` on ``side`` with true ``value``, given the reports ``bids``/``asks``.

    A buyer gets ``value - paid`` if it trades, a seller ``received - value``;
    0 otherwise. Random mechanisms are averaged over ``n_draws`` draws with
    seeds ``seed, seed + 1, ...`` (the same draws for every report: common
    random numbers, so that differences between reports are not noise).
    """
    choice(side, "side", ("buyer", "seller"))
    value = number(value, "value")
    seed = count(seed, "seed", minimum=0)
    n_side = np.size(bids) if side == "buyer" else np.size(asks)
    index = count(index, "index", minimum=0, maximum=max(n_side - 1, 0))
    draws = count(n_draws, "n_draws", maximum=10**6) if mechanism in RANDOM else 1
    total = 0.0
    for d in range(draws):
        rng = np.random.default_rng(seed + d) if mechanism in RANDOM else None
        o = clear(bids, asks, mechanism, rng=rng, **params)
        if side == "buyer":
            hit = np.flatnonzero(o.buyer == index)
            total += value - o.buyer_pays[hit[0]] if hit.size else 0.0
        else:
            hit = np.flatnonzero(o.seller == index)
            total += o.seller_gets[hit[0]] - value if hit.size else 0.0
    return float(total / draws)


def best_misreport(
    bids: ArrayLike,
    asks: ArrayLike,
    mechanism: str,
    side: str,
    index: int,
    *,
    n_draws: int = 1,
    seed: int = 0,
    **params: Any,
) -> Misreport:
    """The best report of one trader, everyone else truthful, by exact search over the breakpoints.

    ``bids`` and ``asks`` are the true values. A trader's outcome changes only
    where its report crosses another report (or an average of two, for
    McAfee's and the k-double auction's prices), so the candidates are 0, the
    truth, every other report and every midpoint of two reports, each also
    nudged just above and below (ties are broken by index).

    Examples
    --------
    Under the paper's pay-as-bid rule sellers are paired with bids in the order
    of their asks, so the seller of cost 5, paired with the bid of 6 when
    truthful, asks less than 1 and is paired with the bid of 10 instead.

    >>> m = best_misreport([10.0, 8.0, 6.0], [1.0, 3.0, 5.0], "pay-as-bid", "seller", 2)
    >>> m.truthful_utility, m.best_utility, m.report < 1.0
    (1.0, 5.0, True)
    >>> round(best_misreport([10.0, 8.0, 6.0], [1.0, 3.0, 5.0], "vcg", "seller", 2).gain, 12)
    0.0
    """
    choice(mechanism, "mechanism", MECHANISMS)
    choice(side, "side", ("buyer", "seller"))
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    own = b if side == "buyer" else a
    if own.size == 0:
        raise ValueError(f"there is no {side} to audit")
    index = count(index, "index", minimum=0, maximum=own.size - 1)
    value = float(own[index])
    others = np.concatenate([np.delete(own, index), b if side == "seller" else a])
    points = np.unique(np.concatenate([others, (others[:, None] + others[None, :]).ravel() / 2, [0.0, value]]))
    nudge = 1e-9 * (1.0 + np.abs(points))
    candidates = np.unique(np.clip(np.concatenate([points, points - nudge, points + nudge]), 0.0, None))

    def at(report: float) -> float:
        r = own.copy()
        r[index] = report
        reports = (r, a) if side == "buyer" else (b, r)
        return utility(*reports, mechanism, side, index, value, n_draws=n_draws, seed=seed, **params)

    truthful = at(value)
    utilities = np.array([at(float(x)) for x in candidates])
    best = int(np.argmax(utilities))
    return Misreport(side, index, value, float(candidates[best]), truthful, float(utilities[best]))
