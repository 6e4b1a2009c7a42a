"""The book's seed-dependent verdicts as functions of their seeds, and their sweep over independent seeds.

A verdict that rests on random draws (synthetic households, market prices,
elections, private prices, audits, fault injection) is only settled if it
holds for other draws too. Each chapter decides such a verdict with the
criterion functions below (``*_verdict``); each :class:`SeedCheck` recomputes
one of those verdicts from a :class:`Seeds` (a data, a market and an election
seed) with the chapter's sizes, and :func:`sweep` runs every check over
independent seed sets. The scorecard shows, for each claim, how many seed sets
agree with the chapter's verdict.

The sweep takes minutes, so :func:`cached_sweep` stores it in
``data/stability.json`` under a key that covers the library's source and the
seeds: a change to ``vpt`` makes the stored sweep stale, the test suite says
so, and ``python -m vpt.stability`` recomputes it. The tests also recompute
one seed set in full and compare it with the stored one.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

from vpt._checks import count, finite_array, generator, instance, positive, probability, text
from vpt.report import VERDICTS

__all__ = [
    "CHECKS",
    "FIG5_EPSILONS",
    "MAX_AUCTIONS",
    "N_SEED_SETS",
    "SIMILAR",
    "STORED_SWEEP",
    "SWEEP_ROOT",
    "Assignments",
    "Dq2Map",
    "Fig5Grid",
    "Replicate",
    "SeedCheck",
    "Seeds",
    "TopSellerCurve",
    "assignment_leaders",
    "cache_key",
    "cached_sweep",
    "checks_of",
    "clear_lead",
    "dq2_map",
    "election_law_threshold",
    "election_law_worst_z",
    "equalise_verdict",
    "fig5_grid",
    "fig5_settings",
    "fig5_trends",
    "fig5_verdict",
    "negative_welfare_share",
    "price_scale_shares",
    "recompute",
    "seed_sets",
    "similar_from",
    "similar_verdict",
    "sweep",
    "top_seller_curve",
    "top_seller_verdict",
    "vpp10_verdict",
    "welfare_trend",
]

#: The root of the sweep's seed sets (fixed before any result was looked at: the issue's number).
SWEEP_ROOT = 11
#: How many independent seed sets the scorecard's sweep uses.
N_SEED_SETS = 5
#: PPoEM's budgets in Fig. 5 and the price-scale map (the paper's).
FIG5_EPSILONS = (0.1, 0.01, 0.001)
#: "Similar" seller welfare: PPoEM keeps at least this share of PoEM's.
SIMILAR = 0.8
#: The most random auctions one call of :func:`fig5_grid` or :func:`price_scale_shares` runs (the book: 4,000 and
#: 1,400; each takes about half a millisecond per setting).
MAX_AUCTIONS = 10_000
#: Where the sweep is stored (``data/`` beside the package), written by ``python -m vpt.stability``.
STORED_SWEEP = Path(__file__).resolve().parents[1] / "data" / "stability.json"


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
    >>> a != b and all(isinstance(s, int) for s in dataclasses.astuple(a))
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


# --- criteria shared by the chapters and the sweep -------------------------------------------------------------------


def welfare_trend(x: ArrayLike, mean: ArrayLike, se: ArrayLike) -> float:
    """Slope of the least-squares line through ``(x, mean)``, in standard errors of the slope.

    The points are independent with standard errors ``se``; a curve whose
    standard errors are all zero (a welfare that is zero by rule) has no
    trend: 0.

    Examples
    --------
    >>> welfare_trend([1, 2, 3], [1.0, 2.0, 3.0], [0.1, 0.1, 0.1])  # doctest: +ELLIPSIS
    14.14...
    """
    x = finite_array(x, "x", ndim=1)
    m = finite_array(mean, "mean", ndim=1)
    s = finite_array(se, "se", ndim=1, minimum=0.0)
    if not x.size == m.size == s.size >= 2:
        raise ValueError(f"x, mean and se must have one length >= 2, got {x.size}, {m.size}, {s.size}")
    if np.ptp(x) == 0:
        raise ValueError("x must not be constant")
    if not np.any(s > 0):
        return 0.0
    with np.errstate(all="ignore"):
        w = (x - x.mean()) / np.sum((x - x.mean()) ** 2)
        z = float(np.sum(w * m) / np.sqrt(np.sum(w**2 * s**2)))
    if not math.isfinite(z):
        raise ValueError("the trend overflows or underflows in floating point: rescale x, mean and se")
    return z


@dataclass(frozen=True)
class Fig5Grid:
    """Fig. 5's welfare against the number of buyers and of sellers.

    ``by_buyers[i]`` (``counts[i]`` buyers, 50 sellers) and ``by_sellers[i]`` (50 buyers, ``counts[i]`` sellers) are
    each the dict of :func:`vpt.market.auction_welfare` over ``settings``.
    """

    counts: NDArray[np.int64]
    settings: dict[str, dict]
    by_buyers: list[dict[str, NDArray[np.float64]]]
    by_sellers: list[dict[str, NDArray[np.float64]]]


def fig5_settings(epsilons: Sequence[float] = FIG5_EPSILONS) -> dict[str, dict]:
    """The settlement settings of Fig. 5: PoEM (bid), PoEM's ask reading, PPoEM at each budget (``l`` = 10)."""
    if not isinstance(epsilons, (list, tuple)) or not epsilons:
        raise ValueError(f"epsilons must be a non-empty list of budgets, got {epsilons!r:.80}")
    out: dict[str, dict] = {"PoEM": {"pricing": "poem"}, "PoEM, ask reading": {"pricing": "poem", "price_rule": "ask"}}
    for e in epsilons:
        e = positive(e, "epsilon")
        out[f"PPoEM eps={e:g}"] = {"pricing": "ppoem", "eps1": e, "eps2": e, "length": 10}
    return out


def fig5_grid(rng: np.random.Generator, *, reps: int = 200, counts: Sequence[int] = range(10, 101, 10)) -> Fig5Grid:
    """Fig. 5 regenerated: mean welfare per auction against the number of buyers, then of sellers."""
    from vpt import market

    rng = generator(rng)
    raw = finite_array(list(counts) if isinstance(counts, range) else counts, "counts", ndim=1, minimum=1)
    if raw.size < 2 or np.any(raw != np.round(raw)) or np.any(raw > 10**6):
        raise ValueError(f"counts must be at least two integers in 1..10**6, got {counts!r:.80}")
    c = raw.astype(np.int64)
    reps = count(reps, "reps", 2, maximum=MAX_AUCTIONS)
    if 2 * c.size * reps > MAX_AUCTIONS:
        raise ValueError(f"2 x {c.size} counts x {reps} reps auctions exceed MAX_AUCTIONS = {MAX_AUCTIONS:,}")
    settings = fig5_settings()
    by_buyers = [market.auction_welfare(int(n), 50, reps, rng, settings) for n in c]
    by_sellers = [market.auction_welfare(50, int(n), reps, rng, settings) for n in c]
    return Fig5Grid(c, settings, by_buyers, by_sellers)


def fig5_trends(grid: Fig5Grid) -> dict[str, tuple[float, float, float, float]]:
    """Per setting, :func:`welfare_trend` of sellers' and buyers' welfare with buyers, then with sellers."""
    instance(grid, Fig5Grid, "grid")

    def z(results: list, name: str, side: int) -> float:  # side 0: sellers' welfare, 1: buyers'
        return welfare_trend(grid.counts, [r[name][side] for r in results], [r[name][side + 2] for r in results])

    return {
        name: (
            z(grid.by_buyers, name, 0),
            z(grid.by_buyers, name, 1),
            z(grid.by_sellers, name, 0),
            z(grid.by_sellers, name, 1),
        )
        for name in grid.settings
    }


def fig5_verdict(trends: Mapping[str, Sequence[float]]) -> tuple[str, dict[str, bool]]:
    """Fig. 5's "welfare increases with the number of buyers and of sellers" and which curves rise.

    A curve rises when its slope is more than 2 standard errors above zero;
    PoEM's buyers' welfare is zero by rule and not asked to rise. Reproduced
    if every setting's four relations rise; under a reading if PoEM's (the
    book's default reading) do; refuted otherwise.
    """
    if not isinstance(trends, Mapping) or "PoEM" not in trends:
        raise ValueError("trends must be the dict of fig5_trends, with a 'PoEM' entry")
    for name, zs in trends.items():
        if finite_array(zs, f"trends[{name!r}]", ndim=1).size != 4:
            raise ValueError(f"trends[{name!r}] must hold the four slopes of fig5_trends, got {zs!r:.80}")
    rising = {
        name: all(z > 2 for k, z in enumerate(zs) if not (name == "PoEM" and k % 2)) for name, zs in trends.items()
    }
    verdict = "reproduced" if all(rising.values()) else ("reproduced under a reading" if rising["PoEM"] else "refuted")
    return verdict, rising


def price_scale_shares(
    rng: np.random.Generator, *, scales: Sequence[float] = (1, 3, 10, 30, 100, 300, 1000), reps: int = 200
) -> dict[float, dict[float, float]]:
    """PPoEM's seller welfare as a share of PoEM's (10 buyers, 50 sellers) with every price multiplied by a scale.

    Returns ``{scale: {epsilon: share}}`` for the budgets :data:`FIG5_EPSILONS`.
    """
    from vpt import market

    rng = generator(rng)
    if not isinstance(scales, (list, tuple)) or not scales:
        raise ValueError(f"scales must be a non-empty list of price multipliers, got {scales!r:.80}")
    for s in scales:
        if not 0 < positive(s, "scale") <= 1e6:
            raise ValueError(f"a scale must be in (0, 1e6], got {s!r}")
    reps = count(reps, "reps", 2, maximum=MAX_AUCTIONS)
    if len(scales) * reps > MAX_AUCTIONS:
        raise ValueError(f"{len(scales)} scales x {reps} reps auctions exceed MAX_AUCTIONS = {MAX_AUCTIONS:,}")
    model = market.PriceModel()
    settings = fig5_settings()
    out = {}
    for s in scales:
        f = positive(s, "scale")
        m = market.PriceModel(
            model.ask_low * f, model.ask_high * f, model.bid_low * f, model.bid_high * f, model.jitter
        )
        w = market.auction_welfare(10, 50, reps, rng, settings, price_model=m)
        if not w["PoEM"][0] > 0:
            raise ValueError(f"PoEM's sellers gained nothing at scale {s!r}: no share to compare (more repetitions)")
        out[s] = {e: float(w[f"PPoEM eps={e:g}"][0] / w["PoEM"][0]) for e in FIG5_EPSILONS}
    return out


def similar_from(shares: dict[float, dict[float, float]], share: float = SIMILAR) -> dict[float, float | None]:
    """Per budget, the smallest scale from which PPoEM keeps at least ``share`` of PoEM's seller welfare.

    "From" means at that scale and every larger one tried; None if at none.
    """
    share = probability(share, "share")
    if not isinstance(shares, dict) or not shares:
        raise ValueError(f"shares must be the dict of price_scale_shares, got {shares!r:.80}")
    for k, v in shares.items():
        positive(k, "a scale")
        if not isinstance(v, dict) or set(v) != set(FIG5_EPSILONS):
            raise ValueError(f"shares[{k!r}] must map each of {FIG5_EPSILONS} to a share, got {v!r:.80}")
        finite_array(list(v.values()), f"shares[{k!r}]")
    scales = sorted(shares)
    return {
        e: next((s for s in scales if all(shares[t][e] >= share for t in scales if t >= s)), None)
        for e in FIG5_EPSILONS
    }


def similar_verdict(start: dict[float, float | None]) -> str:
    """PPoEM's "similar seller welfare".

    Reproduced if it holds at the unit scale for every budget, under a reading (a finer price unit) if from some
    scale on for every budget, refuted if at no scale for some budget.
    """
    if not isinstance(start, dict) or not start:
        raise ValueError(f"start must be the dict of similar_from, got {start!r:.80}")
    for s in start.values():
        if s is not None:
            positive(s, "a scale")
    if any(s is None for s in start.values()):
        return "refuted"
    return "reproduced" if all(s == 1 for s in start.values()) else "reproduced under a reading"


def negative_welfare_share(rng: np.random.Generator, *, n_auctions: int = 1000, n: int = 50) -> dict[Any, float]:
    """Per system state, the share of PoEM trades whose seller welfare is negative (``n`` buyers and sellers)."""
    from vpt import auction, market, settlement
    from vpt.state import SystemState

    rng = generator(rng)
    n_auctions = count(n_auctions, "n_auctions", maximum=10**6)
    n = count(n, "n", maximum=10**4)
    model = market.PriceModel()
    negative: dict[Any, list] = {s: [] for s in SystemState}
    for _ in range(n_auctions):
        t = auction.match(rng.uniform(model.bid_low, model.bid_high, n), rng.uniform(model.ask_low, model.ask_high, n))
        for s in SystemState:
            negative[s].append(settlement.settle_poem(t, s).seller_welfare < 0)
    return {s: float(np.concatenate(v).mean()) for s, v in negative.items()}


def clear_lead(share: ArrayLike, n_elections: int) -> tuple[int, int, bool]:
    """The VPPs with the largest and second-largest leader share, and whether the first is clearly ahead.

    "Wins most" in a figure of ``n_elections`` draws: ahead of the next VPP by
    more than 2 standard deviations of the difference of their counts.

    Examples
    --------
    >>> clear_lead([0.1, 0.5, 0.4], 10_000)
    (1, 2, True)
    """
    p = finite_array(share, "share", ndim=1, minimum=0.0)
    n = count(n_elections, "n_elections")
    if p.size < 2:
        raise ValueError(f"share must hold at least two VPPs' shares, got {share!r:.80}")
    order = np.argsort(-p, kind="stable")
    first, second = int(order[0]), int(order[1])
    return first, second, bool(p[first] - p[second] > 2 * math.sqrt((p[first] + p[second]) / n))


@dataclass(frozen=True)
class Dq2Map:
    """PPoEM's leader shares against Delta q2 (Wh).

    Per value the first and second VPP, VPP ``big``'s share and the spread, and the values where ``big`` is
    clearly first at eps3 = 0.1 (``big_first``), followed by ``second`` (``paper``), and where no VPP is clearly
    ahead at eps3 = 0.01 and 0.001 (``flat``).
    """

    dq2_wh: tuple[float, ...]
    first: tuple[int, ...]
    second: tuple[int, ...]
    share_big: tuple[float, ...]
    spread: tuple[float, ...]
    big_first: tuple[float, ...]
    paper: tuple[float, ...]
    flat: tuple[float, ...]


def dq2_map(
    energy_rows: ArrayLike,
    n_elections: int,
    *,
    dq2_wh: Sequence[float] = (1000, 300, 100, 50, 30, 10, 3, 1),
    big: int | None = None,
    second: int | None = None,
    flat: bool = True,
) -> Dq2Map:
    """Leader shares of PPoEM's election (exact, Eq. 11) averaged over the traded rounds, for each Delta q2.

    ``big`` and ``second`` default to the last and second-last VPP (the
    paper's VPP 10 and VPP 9). With ``flat=False`` the eps3 = 0.01 and 0.001
    shares are not computed (``Dq2Map.flat`` is empty).
    """
    from vpt import mining

    rows = _energy_rows(energy_rows)
    count(n_elections, "n_elections")
    dq2_wh = tuple(float(d) for d in finite_array(dq2_wh, "dq2_wh", ndim=1, nonempty=True))
    instance(flat, bool, "flat")
    v = rows.shape[1]
    big = v - 1 if big is None else count(big, "big", 0, maximum=v - 1)
    second = v - 2 if second is None else count(second, "second", 0, maximum=v - 1)

    def shares(eps3: float, dq: float) -> NDArray[np.float64]:
        return mining.place_probabilities(rows, "ppoem", eps3=eps3, sensitivity=dq / 1000)[:, 0, :].mean(axis=0)

    first, nxt, share_big, spread, big_first, paper, flat_dq = [], [], [], [], [], [], []
    for dq in dq2_wh:
        dq = positive(dq, "Delta q2")
        s = shares(0.1, dq)
        f, n2, clear = clear_lead(s, n_elections)
        first.append(f)
        nxt.append(n2)
        share_big.append(float(s[big]))
        spread.append(float(s.max() - s.min()))
        if f == big and clear:
            big_first.append(dq)
            if n2 == second:
                paper.append(dq)
        if flat and not any(clear_lead(shares(e, dq), n_elections)[2] for e in (0.01, 0.001)):
            flat_dq.append(dq)
    return Dq2Map(
        tuple(dq2_wh),
        tuple(first),
        tuple(nxt),
        tuple(share_big),
        tuple(spread),
        tuple(big_first),
        tuple(paper),
        tuple(flat_dq),
    )


@dataclass(frozen=True)
class Assignments:
    """The election's leaders under random assignments of the homes to ``n_vpps`` VPPs (one entry per assignment).

    ``poem_first``: the VPP clearly first under PoEM (-1 if none, see :func:`clear_lead`); ``poem_paper``: whether
    that is the last VPP with the second-last next (the paper's VPP 10, then VPP 9); ``ppoem_big_first``: the
    Delta q2 values (Wh) at which the last VPP is clearly first under PPoEM at eps3 = 0.1 (:func:`dq2_map`).
    """

    n_vpps: int
    poem_first: tuple[int, ...]
    poem_paper: tuple[bool, ...]
    ppoem_big_first: tuple[tuple[float, ...], ...]


def _energy_rows(energy_rows: ArrayLike) -> NDArray[np.float64]:
    """Validated (rounds, VPPs) energies: finite, non-negative, at least one round and two VPPs."""
    rows = finite_array(energy_rows, "energy_rows", ndim=2, minimum=0.0)
    if rows.shape[0] < 1 or rows.shape[1] < 2:
        raise ValueError(f"energy_rows must be (rounds, VPPs) with at least two VPPs, got shape {rows.shape}")
    return rows


def assignment_leaders(
    homes: Any,
    vpp_sizes: Sequence[int],
    n_assign: int,
    rng: np.random.Generator,
    n_elections: int,
    *,
    market_seed: int = 20130101,
) -> Assignments:
    """PoEM's and PPoEM's expected leaders under random assignments of the homes to the VPPs.

    For each of ``n_assign`` random permutations of ``homes``, the month's
    rounds are run (market draws from ``market_seed``); PoEM's expected
    leader shares (Eq. 4-5) and PPoEM's (Eq. 11, by :func:`dq2_map`) are
    averaged over the traded rounds.
    """
    from vpt import market, state
    from vpt.data import Households

    instance(homes, Households, "homes")
    rng = generator(rng)
    sizes = finite_array(vpp_sizes, "vpp_sizes", ndim=1, minimum=1)
    if sizes.size < 2 or np.any(sizes != np.round(sizes)) or sizes.sum() != homes.n_homes:
        raise ValueError(f"vpp_sizes must be at least two whole sizes adding up to {homes.n_homes} homes")
    n_assign = count(n_assign, "n_assign", maximum=1000)
    count(n_elections, "n_elections")
    market_seed = count(market_seed, "market_seed", minimum=0)
    _, _, demand = market.hourly_energy(homes)
    limits = state.limits_from_quantiles(demand, (0.5, 0.9, 0.99))
    per_home = ("customer", "postcode", "capacity_kwp", "consumption", "controlled_load", "generation")
    big, second = len(vpp_sizes) - 1, len(vpp_sizes) - 2
    firsts, paper_order, ppoem = [], [], []
    for _ in range(n_assign):
        perm = rng.permutation(homes.n_homes)
        shuffled = dataclasses.replace(homes, **{f: getattr(homes, f)[perm] for f in per_home})
        r = market.run_rounds(shuffled, limits, np.random.default_rng(market_seed), vpp_sizes=vpp_sizes)
        e = r.vpp_energy[r.traded]
        if e.shape[0] == 0:
            raise ValueError("an assignment has no round with trades: no leader to compare")
        f, n2, clear = clear_lead((e / e.sum(axis=1, keepdims=True)).mean(axis=0), n_elections)
        firsts.append(f if clear else -1)
        paper_order.append(clear and f == big and n2 == second)
        ppoem.append(dq2_map(e, n_elections, flat=False).big_first)
    return Assignments(len(vpp_sizes), tuple(firsts), tuple(paper_order), tuple(ppoem))


def vpp10_verdict(assignments: Assignments, big_first_dq2: Sequence[float]) -> str:
    """Fig. 6(a)/Fig. 7's "VPP 10 wins most under PoEM and PPoEM (eps 0.1)".

    Under a reading (an assignment of homes, a Delta q2) if the largest VPP is clearly first under PoEM in some
    assignment, and under PPoEM for some Delta q2 in the book's assignment (``big_first_dq2``) or in some random
    one; refuted otherwise.
    """
    instance(assignments, Assignments, "assignments")
    in_order = finite_array(big_first_dq2, "big_first_dq2", ndim=1)
    poem = assignments.n_vpps - 1 in assignments.poem_first
    ppoem = bool(in_order.size) or any(assignments.ppoem_big_first)
    return "reproduced under a reading" if poem and ppoem else "refuted"


def equalise_verdict(flat_dq2: Sequence[float]) -> str:
    """Fig. 6's "PPoEM at eps 0.01 and 0.001 equalises the winners".

    Under a reading (Delta q2) if no VPP is clearly ahead at both budgets for some Delta q2 tried; refuted
    otherwise.
    """
    return "reproduced under a reading" if finite_array(flat_dq2, "flat_dq2", ndim=1).size else "refuted"


@dataclass(frozen=True)
class TopSellerCurve:
    """P(leader = the round's top seller) under PPoEM against eps3 / Delta q2 (per kWh), and PoEM's.

    ``crossing`` is the ratio from which PPoEM matches PoEM (None if not within the grid).
    """

    ratios: NDArray[np.float64]
    p_ppoem: NDArray[np.float64]
    p_poem: float
    crossing: float | None


def top_seller_curve(energy_rows: ArrayLike, *, ratios: ArrayLike | None = None) -> TopSellerCurve:
    """The exact probability, averaged over traded rounds, that the election's leader is the round's top seller.

    The crossing with PoEM's probability is found by Brent's method on
    log10(ratio) within the grid's bracketing interval (PPoEM's probability
    rises with the ratio).
    """
    from vpt import mining

    rows = _energy_rows(energy_rows)
    if np.any(rows.sum(axis=1) <= 0):
        raise ValueError("every round of energy_rows must have a sale (a top seller)")
    grid = np.logspace(-3, 2, 41) if ratios is None else finite_array(ratios, "ratios", ndim=1, nonempty=True)
    if np.any(grid <= 0) or np.any(np.diff(grid) <= 0) or grid.max() > 1e6:
        raise ValueError("ratios must be increasing, positive and at most 1e6 per kWh")
    top = np.argmax(rows, axis=1)
    at = np.arange(rows.shape[0])

    def p_top(ratio: float) -> float:
        return float(mining.place_probabilities(rows, "ppoem", eps3=ratio, sensitivity=1.0)[:, 0, :][at, top].mean())

    p = np.array([p_top(r) for r in grid])
    p_poem = float(mining.place_probabilities(rows, "poem")[:, 0, :][at, top].mean())
    if not (np.all(np.isfinite(p)) and math.isfinite(p_poem)):
        raise ValueError("the leader probabilities overflow for these energies and ratios")
    above = np.flatnonzero(p >= p_poem)
    crossing = None
    if above.size and above[0] > 0:
        k = int(above[0])
        lo, hi = np.log10(grid[k - 1]), np.log10(grid[k])
        crossing = float(10 ** optimize.brentq(lambda x: p_top(10**x) - p_poem, lo, hi, xtol=1e-6))
    return TopSellerCurve(grid, p, p_poem, crossing)


def top_seller_verdict(curve: TopSellerCurve, *, at_ratio: float = 0.1) -> str:
    """The verdict on Table II's "PPoEM completely incentivises trading" (and "outperforms PoA and PoE").

    Judged by P(leader = top seller): reproduced if PPoEM matches PoEM already at the paper's largest budget with
    Delta q2 = 1 kWh (``at_ratio``), under a reading if it does from some larger eps3 / Delta q2 in the grid,
    refuted if at none.
    """
    instance(curve, TopSellerCurve, "curve")
    if curve.crossing is None:
        return "refuted"
    return "reproduced" if curve.crossing <= positive(at_ratio, "at_ratio") else "reproduced under a reading"


def election_law_worst_z(runs: Mapping[str, Any]) -> tuple[float, int]:
    """The largest |z| of a VPP's simulated place count against its exact law, and the number of cells.

    Over every setting of ``runs`` (:func:`vpt.experiments.run_elections`), place and VPP.
    """
    from vpt.experiments import ElectionRun

    if not isinstance(runs, Mapping) or not runs:
        raise ValueError(f"runs must be the non-empty dict of run_elections, got {runs!r:.80}")
    worst, cells = 0.0, 0
    for run in runs.values():
        instance(run, ElectionRun, "a run")
        obs, exp, var = run.counts(), run.expected, run.variance
        z = np.where(var > 0, (obs - exp) / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
        worst = max(worst, float(np.abs(z).max()))
        cells += z.size
    return worst, cells


def election_law_threshold(n_cells: int, level: float = 0.01) -> float:
    """The two-sided Bonferroni threshold on |z| for ``n_cells`` cells at family-wise level ``level``."""
    level = probability(level, "level", open_interval=True)
    return float(stats.norm.isf(level / (2 * count(n_cells, "n_cells"))))


# --- the checks of the sweep ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _month(seeds: Seeds) -> tuple[Any, Any, Any]:
    """The seed set's synthetic homes, their month of rounds and the paper's elections (10,000 per setting)."""
    from vpt import data, experiments

    homes = data.generate_households(**{**data.SHIPPED, "seed": seeds.data})
    rounds = experiments.month_of_rounds(homes, np.random.default_rng(seeds.market))
    runs = experiments.run_elections(
        rounds, experiments.paper_settings(sensitivity=1.0), 10_000, np.random.default_rng(seeds.election)
    )
    return homes, rounds, runs


def _traded_rows(seeds: Seeds) -> NDArray[np.float64]:
    _, rounds, _ = _month(seeds)
    poem = rounds["poem"]
    return poem.vpp_energy[np.flatnonzero(poem.traded)]


def _check_negative_welfare(seeds: Seeds) -> Replicate:
    from vpt.state import SystemState

    share = negative_welfare_share(np.random.default_rng(seeds.market))[SystemState.STABLE]
    return Replicate("refuted" if share > 0 else "reproduced", f"{share:.1%} of trades negative (Stable)")


def _check_fig5(seeds: Seeds) -> Replicate:
    verdict, rising = fig5_verdict(fig5_trends(fig5_grid(np.random.default_rng(seeds.market))))
    return Replicate(verdict, f"all relations rise for {sum(rising.values())} of {len(rising)} settings")


def _check_similar(seeds: Seeds) -> Replicate:
    start = similar_from(price_scale_shares(np.random.default_rng(seeds.market)))
    return Replicate(
        similar_verdict(start), "; ".join(f"eps {e:g}: " + (f"x{s:g}" if s else "none") for e, s in start.items())
    )


def _check_election_law(seeds: Seeds) -> Replicate:
    worst, cells = election_law_worst_z(_month(seeds)[2])
    ok = worst < election_law_threshold(cells)
    return Replicate("reproduced" if ok else "refuted", f"largest |z| {worst:.2f}")


@functools.lru_cache(maxsize=2)
def _check_vpp10(seeds: Seeds) -> Replicate:
    from vpt.market import PAPER_VPP_SIZES

    assignments = assignment_leaders(
        _month(seeds)[0], PAPER_VPP_SIZES, 10, np.random.default_rng(seeds.election), 10_000, market_seed=seeds.market
    )
    in_order = dq2_map(_traded_rows(seeds), 10_000, flat=False).big_first
    big = assignments.n_vpps - 1
    poem = sum(f == big for f in assignments.poem_first)
    ppoem = sum(bool(d) for d in assignments.ppoem_big_first)
    return Replicate(
        vpp10_verdict(assignments, in_order),
        f"VPP 10 clearly first in {poem} of 10 assignments under PoEM, {ppoem} under PPoEM (some Delta q2)",
    )


def _check_equalise(seeds: Seeds) -> Replicate:
    flat = dq2_map(_traded_rows(seeds), 10_000).flat
    return Replicate(
        equalise_verdict(flat), "flat for " + (", ".join(f"{d:g}" for d in flat) + " Wh" if flat else "none")
    )


@functools.lru_cache(maxsize=2)
def _check_top_seller(seeds: Seeds) -> Replicate:
    curve = top_seller_curve(_traded_rows(seeds))
    where = f"{curve.crossing:.2g} per kWh" if curve.crossing is not None else "none in the grid"
    return Replicate(top_seller_verdict(curve), f"PoEM {curve.p_poem:.3f}; PPoEM matches it from {where}")


def _dp_audit(seeds: Seeds, which: str) -> float:
    from vpt import audit, privacy

    ask, bid, bid2, eps, length = 12.0, 20.0, 21.0, 0.1, 10
    rng = np.random.default_rng([seeds.election, 0 if which == "string" else 1])
    if which == "string":
        sampler = privacy.ppoem_string_sampler(ask, keep="truncate", eps1=eps, length=length)
        log_density = functools.partial(privacy.laplace_string_log_density, ask=ask, eps1=eps)
    else:
        sampler, log_density = privacy.ppoem_price_sampler(ask, eps1=eps, eps2=eps, length=length), None
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


@functools.lru_cache(maxsize=2)
def _check_recovery(seeds: Seeds) -> Replicate:
    from vpt import recovery

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
    from vpt import experiments, threats
    from vpt.ledger import LAYERS

    homes = _month(seeds)[0]
    day = experiments.build_day_chain(homes, str(homes.days()[1]), np.random.default_rng(seeds.market))
    registry: Any = day.registry
    ledger: Any = day.ledger
    chain = ledger.read(day.homes[0])
    chain.validate(registry, LAYERS["lvpp"]["append"])
    messages = threats.random_alterations(chain, registry, 2000, np.random.default_rng(seeds.election))
    undetected = sum(m is None for m in messages)
    return Replicate("reproduced under a reading" if undetected == 0 else "refuted", f"{undetected} of 2000 undetected")


def _check_incentive_compatibility(seeds: Seeds) -> Replicate:
    from vpt import incentives, market

    model = market.PriceModel()
    rng = np.random.default_rng(seeds.market)
    markets = [
        (rng.uniform(model.bid_low, model.bid_high, 6), rng.uniform(model.ask_low, model.ask_high, 6))
        for _ in range(10)
    ]
    share = {}
    for name in ("pay-as-bid", "pay-as-ask", "ppoem"):
        params: dict[str, Any] = {"eps1": 0.1, "eps2": 0.1, "length": 10} if name == "ppoem" else {}
        n_draws = 20 if name == "ppoem" else 1
        gains = incentives.audit_markets(markets, name, n_draws=n_draws, seed=seeds.election % 2**31, **params).gains
        share[name] = float(np.mean(gains > 1e-9))
    # a rule under which no trader gains from any report tried is not refuted by this sample
    verdict = "refuted" if all(s > 0 for s in share.values()) else "reproduced"
    return Replicate(verdict, "lying pays " + " / ".join(f"{s:.0%}" for s in share.values()))


#: Every verdict of the book that rests on random draws, with the function that recomputes it from a seed set.
CHECKS: tuple[SeedCheck, ...] = (
    SeedCheck("market", "The settlement benefits all participating parties", _check_negative_welfare),
    SeedCheck("market", "Fig. 5: welfare increases with the number of buyers", _check_fig5),
    SeedCheck("market", "PPoEM gives sellers a social welfare similar to PoEM's", _check_similar),
    SeedCheck("mining", "PoEM elects the leader in proportion to traded energy", _check_election_law),
    SeedCheck("mining", "Fig. 6(a): under PoEM and PPoEM (eps 0.1) VPP 10 wins most", _check_vpp10),
    SeedCheck("mining", "Fig. 6: PPoEM at eps 0.01 and 0.001 equalises the winners", _check_equalise),
    SeedCheck("mining", "Fig. 7: VPP 10 accumulates the highest reward", _check_vpp10),
    SeedCheck("mining", "Table II: PoEM and PPoEM completely incentivise trading", _check_top_seller),
    SeedCheck("mining", "PoEM and PPoEM outperform PoA and PoE", _check_top_seller),
    SeedCheck("ledger", "Theorem 4, block integrity", _check_integrity),
    SeedCheck("ledger", "Theorem 4, data availability", _check_recovery),
    SeedCheck("ledger", "Algorithm 4: a recovering node", _check_recovery),
    SeedCheck("dp-audit", "Theorem 1: the Laplace price string", _check_theorem1),
    SeedCheck("dp-audit", "Theorem 3 (with Lemma 1)", _check_theorem3),
    SeedCheck("incentives", "Incentive-compatible energy trading", _check_incentive_compatibility),
)


def checks_of(chapter: str) -> tuple[SeedCheck, ...]:
    """The checks of :data:`CHECKS` for one chapter (notebook stem), in the order of its verdict table."""
    chapter = text(chapter, "chapter")
    found = tuple(c for c in CHECKS if c.chapter == chapter)
    if not found:
        raise ValueError(f"no seed check for chapter {chapter!r}; chapters: {sorted({c.chapter for c in CHECKS})}")
    return found


def recompute(check: SeedCheck, seeds: Seeds) -> Replicate:
    """One check at one seed set, its verdict checked to be one of :data:`vpt.report.VERDICTS`."""
    instance(check, SeedCheck, "check")
    instance(seeds, Seeds, "seeds")
    r = check.check(seeds)
    if not isinstance(r, Replicate) or r.verdict not in VERDICTS:
        raise ValueError(f"check {check.claim!r} returned {r!r:.80}, not a Replicate with a verdict")
    return r


def _seed_list(seeds: Any) -> list[Seeds]:
    if not isinstance(seeds, (list, tuple)) or not seeds or not all(isinstance(s, Seeds) for s in seeds):
        raise ValueError(f"seeds must be a non-empty list of Seeds, got {seeds!r:.80}")
    return list(seeds)


def _check_list(checks: Any) -> list[SeedCheck]:
    if not isinstance(checks, (list, tuple)) or not checks or not all(isinstance(c, SeedCheck) for c in checks):
        raise ValueError(f"checks must be a non-empty list of SeedCheck, got {checks!r:.80}")
    return list(checks)


def sweep(seeds: Sequence[Seeds], checks: Sequence[SeedCheck] = CHECKS) -> dict[tuple[str, str], list[Replicate]]:
    """Every check at every seed set: ``{(chapter, claim): [replicate per seed set]}``."""
    seed_list, check_list = _seed_list(seeds), _check_list(checks)
    out: dict[tuple[str, str], list[Replicate]] = {}
    for s in seed_list:
        for c in check_list:
            out.setdefault((c.chapter, c.claim), []).append(recompute(c, s))
    return out


def cache_key(seeds: Sequence[Seeds], checks: Sequence[SeedCheck] = CHECKS) -> str:
    """SHA-256 over the library's source (line endings normalised), the seed sets and the checks' claims.

    What the sweep depends on: a change to any module of ``vpt`` (not only
    this one) changes the key.
    """
    seed_list, check_list = _seed_list(seeds), _check_list(checks)
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_text(encoding="utf-8").replace("\r\n", "\n").encode())
    h.update(repr([dataclasses.astuple(s) for s in seed_list]).encode())
    h.update(repr([(c.chapter, c.claim, c.check.__name__) for c in check_list]).encode())
    return h.hexdigest()


def cached_sweep(
    path: str | os.PathLike, seeds: Sequence[Seeds] | None = None, checks: Sequence[SeedCheck] = CHECKS
) -> tuple[dict[tuple[str, str], list[Replicate]], bool]:
    """The sweep over ``seeds`` (default :func:`seed_sets`), from ``path`` if stored there under the current key.

    Computed if ``path`` holds no sweep under the current :func:`cache_key`
    (and not written: ``python -m vpt.stability`` writes it). Returns the
    sweep and whether it came from the file.

    Raises
    ------
    ValueError
        If ``path`` is not a path, or the file is not a stored sweep.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a str or os.PathLike, got {path!r:.80}")
    seed_list = seed_sets() if seeds is None else _seed_list(seeds)
    check_list = _check_list(checks)
    key = cache_key(seed_list, check_list)
    p = Path(path)
    if p.is_file():
        try:
            stored = json.loads(p.read_text(encoding="utf-8"))
            if stored["key"] == key:
                result = {
                    (r["chapter"], r["claim"]): [Replicate(str(v), str(m)) for v, m in r["replicates"]]
                    for r in stored["results"]
                }
                return result, True
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{p}: not a stored sweep ({type(exc).__name__}: {exc})") from None
    return sweep(seed_list, check_list), False


def _write_sweep(path: Path, seeds: Sequence[Seeds] | None = None) -> dict[tuple[str, str], list[Replicate]]:
    """Compute the sweep and store it at ``path`` under the :func:`cache_key` of the code that computed it."""
    seed_list = seed_sets() if seeds is None else _seed_list(seeds)
    key = cache_key(seed_list)  # before the run: an edit during it makes the stored sweep stale, not wrongly fresh
    result = sweep(seed_list)
    payload = {
        "key": key,
        "seeds": [dataclasses.asdict(s) for s in seed_list],
        "results": [
            {"chapter": ch, "claim": cl, "replicates": [[r.verdict, r.measured] for r in reps]}
            for (ch, cl), reps in result.items()
        ],
    }
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":  # python -m vpt.stability: recompute data/stability.json
    target = STORED_SWEEP
    for (chapter, claim), reps in _write_sweep(target).items():
        print(f"{chapter}: {claim[:60]}: " + "; ".join(r.verdict for r in reps))
    print(f"written {target}")
