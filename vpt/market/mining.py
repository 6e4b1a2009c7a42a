"""Miner election (Eq. 4-6, 11) and mining rewards (Eq. 7, 12) of PoEM and PPoEM, with PoA and PoE."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import (
    MAX_CELLS,
    MAX_DRAWS,
    cells,
    choice,
    count,
    finite_array,
    generator,
    non_negative,
    positive,
    real_array,
)

__all__ = [
    "MECHANISMS",
    "NO_WINNER",
    "Rewards",
    "elect",
    "log_weights",
    "own_place_probabilities",
    "place_probabilities",
    "pool_from_rewards",
    "rewards",
    "top_sellers",
    "winner_probabilities",
]

#: Mechanism names accepted by :func:`winner_probabilities` and :func:`elect`.
MECHANISMS = ("poem", "ppoem", "poa", "poe")
#: Marks a place of an election that nobody can fill (no eligible VPP left).
NO_WINNER = -1


def _energy(energy: ArrayLike, *, rows: bool) -> NDArray[np.float64]:
    e = real_array(energy, "energy")
    if e.ndim not in ((1, 2) if rows else (1,)):
        raise ValueError(f"energy must be a 1-D array{' or one row per election' if rows else ''}, got shape {e.shape}")
    if e.shape[-1] == 0:
        raise ValueError("energy is empty: an election needs at least one VPP")
    if np.isnan(e).any() or np.isinf(e).any():
        raise ValueError("energy must be finite (no NaN or inf)")
    if (e < 0).any():
        raise ValueError(f"energy must be non-negative, got {e.min()}")
    return e


def log_weights(energy: ArrayLike, mechanism: str, **params: float) -> NDArray[np.float64]:
    """Log of each VPP's (unnormalised) selection weight; ``-inf`` means never selected.

    ``"poem"``
        weight = traded energy (Eq. 4-5: a VPP with 70 % of the energy has a
        70 % chance).
    ``"ppoem"``
        log weight = ``eps3 * energy / (2 * sensitivity)``: the exponential
        mechanism of Eq. 11 with quality ``q2`` = traded energy and
        ``Delta q2`` = ``sensitivity``. Both parameters are required. Shifted
        by each row's maximum (the largest log weight is 0), which leaves the
        law unchanged and cannot overflow for large energies.
    ``"poa"``
        equal weights: Proof of Authority, every authority node equally likely.
    ``"poe"``
        Proof of Energy as the paper describes it in words (Sec. V-B): the VPP
        that keeps production and consumption closest to balance is favoured.
        Here ``energy`` is each VPP's imbalance ``|production - consumption|``
        and the weight is ``1 / (imbalance + floor)``, ``floor`` > 0 (default
        1e-3, i.e. 1 Wh when energy is in kWh) keeping a perfectly balanced
        VPP's weight finite.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    check_params(mechanism, params)
    e = _energy(energy, rows=True)
    if mechanism == "poem":
        with np.errstate(divide="ignore"):
            return np.log(e)
    if mechanism == "ppoem":
        factor = params["eps3"] / (2.0 * params["sensitivity"])  # finite or +inf, never NaN
        # shifted so that the largest weight of each row is exp(0): eps3 * energy / (2 sensitivity) itself
        # overflows for large energies, the differences to the row's maximum cannot turn into NaN
        gap = e - e.max(axis=-1, keepdims=True)
        with np.errstate(over="ignore", invalid="ignore"):  # inf * 0 where gap == 0 is replaced by the where
            return np.where(gap == 0, 0.0, factor * gap)
    if mechanism == "poa":
        return np.zeros_like(e)
    with np.errstate(divide="ignore"):  # -log(e + floor), without overflowing e + floor
        return -np.logaddexp(np.log(e), math.log(params.get("floor", 1e-3)))


def check_params(mechanism: str, params: dict) -> None:
    """Refuse a parameter the mechanism does not take, a missing PPoEM parameter, or a value not finite and > 0."""
    allowed = {"poem": set(), "ppoem": {"eps3", "sensitivity"}, "poa": set(), "poe": {"floor"}}[mechanism]
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(f"mechanism {mechanism!r} takes no parameter(s) {', '.join(sorted(map(str, unknown)))}")
    for name in sorted(allowed):
        if name in params:
            positive(params[name], name)
        elif mechanism == "ppoem":
            raise ValueError(f"mechanism 'ppoem' needs the parameter {name!r}")


def winner_probabilities(energy: ArrayLike, mechanism: str, **params: float) -> NDArray[np.float64]:
    """Exact probability of each VPP being the first winner (the leader).

    Parameters
    ----------
    energy
        One value per VPP (1-D): traded energy for ``"poem"`` and
        ``"ppoem"``, production-consumption imbalance for ``"poe"``, ignored
        (but still validated) for ``"poa"``.
    mechanism
        ``"poem"``, ``"ppoem"``, ``"poa"`` or ``"poe"``; see :func:`log_weights`.
    **params
        ``eps3`` and ``sensitivity`` for ``"ppoem"``; ``floor`` for ``"poe"``.

    Returns
    -------
    numpy.ndarray
        Non-negative, summing to 1.

    Raises
    ------
    ValueError
        For NaN, infinite or negative energy, an empty or non-1-D array, an
        unknown mechanism or parameter, ``eps3`` or ``sensitivity`` not > 0,
        and for ``"poem"`` when no energy was traded: Eq. 4-5 divide by the
        total traded energy, so a round without trades has no PoEM election
        (:func:`elect` returns :data:`NO_WINNER` for it).

    Examples
    --------
    >>> winner_probabilities([1.0, 3.0], "poem").tolist()
    [0.25, 0.75]
    """
    choice(mechanism, "mechanism", MECHANISMS)
    check_params(mechanism, params)
    e = _energy(energy, rows=False)
    if mechanism == "poem" and e.sum() == 0:
        raise ValueError("no energy was traded: PoEM's shares (Eq. 4-5) are undefined; the round elects nobody")
    logw = log_weights(e, mechanism, **params)
    w = np.exp(logw - logw.max())
    return w / w.sum()


def elect(
    energy: ArrayLike, mechanism: str, n_elections: int, rng: np.random.Generator, **params: float
) -> NDArray[np.int64]:
    """Run elections: first, second and third winner of each (Eq. 6).

    The leader is drawn with the probabilities of :func:`winner_probabilities`;
    the second winner from the remaining VPPs, and the third from those left,
    each with probability proportional to the same weights ("random[D_vpp,
    excluding the winners]", Eq. 6). All elections are drawn at once with the
    Gumbel-top-3 trick (adding independent Gumbel noise to the log weights and
    taking the three largest is exactly successive sampling without
    replacement), so 10,000 elections take milliseconds and no weight is ever
    exponentiated: nothing overflows however large ``eps3 * energy``.

    A place that no VPP with positive weight can fill is :data:`NO_WINNER`
    (``-1``): under PoEM a VPP that traded nothing has no chance, so a round in
    which fewer than three VPPs traded has fewer winners, and a round with no
    trade at all has none (the paper's rule is undefined there; we elect
    nobody and mint no reward).

    Parameters
    ----------
    energy
        One vector of per-VPP values used for every election, or an array of
        shape ``(n_elections, n_vpps)`` with one row per election.
    mechanism, params
        As in :func:`winner_probabilities`.
    n_elections
        Number of elections (>= 1).
    rng
        The random generator.

    Returns
    -------
    numpy.ndarray of int, shape ``(n_elections, 3)``
        VPP indices of the first, second and third winner; never a repeat
        within one election.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    check_params(mechanism, params)
    n = count(n_elections, "n_elections", maximum=MAX_DRAWS)
    rng = generator(rng)
    e = _energy(energy, rows=True)
    cells(n * e.shape[-1], f"{n} elections of {e.shape[-1]} VPPs")
    if e.ndim == 2 and e.shape[0] != n:
        raise ValueError(f"energy has {e.shape[0]} rows but n_elections is {n}")
    logw = np.broadcast_to(log_weights(e, mechanism, **params), (n, e.shape[-1]))
    keys = logw + rng.gumbel(size=logw.shape)
    k = min(3, logw.shape[1])
    top = np.argsort(-keys, axis=1, kind="stable")[:, :k]
    winners = np.full((n, 3), NO_WINNER, dtype=np.int64)
    eligible = np.isfinite(np.take_along_axis(logw, top, axis=1))
    winners[:, :k] = np.where(eligible, top, NO_WINNER)
    return winners


@dataclass(frozen=True)
class Rewards:
    """Coins paid to the first, second and third winner of each election.

    ``paid[:, i]`` is paid to ``winners[:, i]``; ``unpaid`` is the part of the
    pooled mining fees that the reward rule pays to nobody; ``minted`` the
    fixed reward ``MR`` created for each election that has a leader.
    """

    paid: NDArray[np.float64]
    unpaid: NDArray[np.float64]
    minted: NDArray[np.float64]

    def __post_init__(self) -> None:
        for name in ("paid", "unpaid", "minted"):
            arr = getattr(self, name)
            if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "iuf":
                raise ValueError(f"{name} must be a numpy array of coins, got {arr!r:.60}")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{name} must be finite coins")
        n = self.unpaid.shape[0] if self.unpaid.ndim == 1 else -1
        if self.paid.shape != (n, 3) or self.minted.shape != (n,):
            raise ValueError(
                f"paid must be (n, 3) and unpaid and minted (n,), got {self.paid.shape}, {self.unpaid.shape}, "
                f"{self.minted.shape}"
            )
        # unpaid = M_sum - what is paid from it, so it may round a few ulps below 0
        if (self.paid < 0).any() or (self.minted < 0).any() or (self.unpaid < -1e-9 * (1 + self.paid.sum(1))).any():
            raise ValueError("paid, unpaid and minted must be >= 0 coins")


def _winner_rows(winners: object) -> NDArray[np.int64]:
    """``winners`` as an ``(n, 3)`` integer array of places, each row naming distinct VPPs (or NO_WINNER)."""
    w = np.asarray(winners) if isinstance(winners, (list, tuple, np.ndarray)) else np.asarray(None)
    if w.ndim != 2 or w.shape[1] != 3 or (w.size and w.dtype.kind not in "iu"):
        raise ValueError(f"winners must be an integer array of shape (n, 3), got {winners!r:.80}")
    if w.size and w.min() < NO_WINNER:
        raise ValueError(f"winners must be VPP indices >= 0 or NO_WINNER ({NO_WINNER})")
    w = w.astype(np.int64)
    filled = w != NO_WINNER
    repeated = filled[:, :, None] & filled[:, None, :] & (w[:, :, None] == w[:, None, :]) & ~np.eye(3, dtype=bool)
    if repeated.any():
        row = int(np.flatnonzero(repeated.any(axis=(1, 2)))[0])
        raise ValueError(
            f"winners row {row} names one VPP in two places ({w[row].tolist()}): each place is another VPP"
        )
    return w


def rewards(
    winners: NDArray[np.int64],
    mining_sum: ArrayLike,
    mechanism: str,
    *,
    mining_reward: float = 500.0,
    rng: np.random.Generator | None = None,
) -> Rewards:
    """Mining rewards of each election (Eq. 7 for PoEM, Eq. 12 for PPoEM).

    ``"poem"`` (Eq. 7)
        leader ``MR + 0.7 M_sum``, second ``0.2 M_sum``, third ``0.1 M_sum``.
    ``"ppoem"`` (Eq. 12)
        ``R_R`` uniform on ``[0, M_sum]``; leader ``MR + R_R``, second
        ``0.2 R_o``, third ``0.1 R_o`` with ``R_o = M_sum - R_R``: the other
        ``0.7 R_o`` is paid to nobody (needs ``rng``).
    ``"poa"``, ``"poe"``
        the leader gets ``MR`` only; these mechanisms have no mining fee, so
        any ``M_sum`` given stays unpaid.

    A place with :data:`NO_WINNER` is paid nothing and its share counts as
    unpaid; an election without a leader mints nothing.

    Raises
    ------
    ValueError
        For a negative or non-finite ``mining_sum`` or ``mining_reward``, a
        ``mining_sum`` that does not have one entry per election, or
        ``"ppoem"`` without ``rng``.
    """
    choice(mechanism, "mechanism", MECHANISMS)
    w = _winner_rows(winners)
    m = finite_array(mining_sum, "mining_sum", minimum=0.0)
    try:
        m = np.broadcast_to(m, (w.shape[0],)).copy()
    except ValueError:
        raise ValueError(f"mining_sum must have one entry per election ({w.shape[0]}), got shape {m.shape}") from None
    mr = non_negative(mining_reward, "mining_reward")
    if rng is not None:
        generator(rng)
    has = w != NO_WINNER
    if mechanism == "poem":
        shares = np.array([0.7, 0.2, 0.1]) * m[:, None]
    elif mechanism == "ppoem":
        if rng is None:
            raise ValueError("mechanism 'ppoem' draws its reward split at random: pass rng")
        r_r = rng.uniform(0.0, 1.0, m.shape) * m
        r_o = m - r_r
        shares = np.stack([r_r, 0.2 * r_o, 0.1 * r_o], axis=1)
    else:
        shares = np.zeros((m.shape[0], 3))
    paid_fees = np.where(has, shares, 0.0)
    minted = np.where(has[:, 0], mr, 0.0)
    paid = paid_fees.copy()
    paid[:, 0] += minted
    return Rewards(paid=paid, unpaid=m - paid_fees.sum(axis=1), minted=minted)


def top_sellers(energy: ArrayLike) -> NDArray[np.bool_]:
    """Which VPPs are their round's top seller: all that tie for the largest traded energy, shape of ``energy``.

    A round in which several VPPs sold the same largest energy has several top sellers; the leader "is the top
    seller" when it is any of them. A round without a sale has none.

    Examples
    --------
    >>> top_sellers([[1.0, 3.0, 3.0], [0.0, 0.0, 0.0]]).astype(int).tolist()
    [[0, 1, 1], [0, 0, 0]]
    """
    e = _energy(energy, rows=True)
    if (e < 0).any():
        raise ValueError("energy must be non-negative (a VPP's traded energy)")
    top = e.max(axis=-1, keepdims=True)
    return np.asarray((e == top) & (top > 0), dtype=bool)


def pool_from_rewards(
    winners: ArrayLike, paid: ArrayLike, mechanism: str, *, mining_reward: float = 500.0
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The pooled mining fees ``M_sum`` of each election, read back from the rewards it paid (Eq. 7, Eq. 12).

    What an observer of the paid rewards (Algorithm 2 line 44, Algorithm 3 line 54) learns. PoEM: ``M_sum =
    (leader's reward - MR) / 0.7``. PPoEM pays the leader ``MR + R_R`` and the second ``0.2 R_o`` with ``R_o =
    M_sum - R_R``, so ``M_sum = (leader's reward - MR) + second's reward / 0.2``: the random split (Eq. 12) hides
    nothing once both rewards are seen.

    Returns
    -------
    tuple of numpy.ndarray
        ``M_sum`` per election, and whether the rewards determine it (a leader under PoEM; a leader and a second
        winner under PPoEM); where they do not, the first array holds 0.

    Examples
    --------
    >>> r = rewards(np.array([[1, 0, 2]]), [40.0], "ppoem", rng=np.random.default_rng(1))
    >>> pool, known = pool_from_rewards([[1, 0, 2]], r.paid, "ppoem")
    >>> round(float(pool[0]), 9), bool(known[0])
    (40.0, True)
    """
    choice(mechanism, "mechanism", ("poem", "ppoem"))
    w = _winner_rows(winners)
    money = finite_array(paid, "paid", minimum=0.0)
    if money.shape != w.shape:
        raise ValueError(f"paid must have the shape of winners {w.shape}, got {money.shape}")
    mr = non_negative(mining_reward, "mining_reward")
    if mechanism == "poem":
        known = w[:, 0] != NO_WINNER
        pool = (money[:, 0] - mr) / 0.7
    else:
        known = (w[:, 0] != NO_WINNER) & (w[:, 1] != NO_WINNER)
        pool = (money[:, 0] - mr) + money[:, 1] / 0.2
    return np.where(known, pool, 0.0), known


def _softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Softmax over the last axis; a row of only ``-inf`` gives zeros (nobody left)."""
    top = logits.max(axis=-1, keepdims=True)
    alive = np.isfinite(top)
    z = np.exp(logits - np.where(alive, top, 0.0))
    total = z.sum(axis=-1, keepdims=True)
    return np.where(alive, z / np.where(total > 0, total, 1.0), 0.0)


def place_probabilities(energy: ArrayLike, mechanism: str, **params: float) -> NDArray[np.float64]:
    """Exact probability of each VPP being first, second and third winner, shape ``(3, n_vpps)``.

    Successive sampling without replacement in proportion to the weights of
    :func:`log_weights` (Eq. 6), summed over all orderings, in log space so
    that extreme weights (large ``eps3 * energy``) lose nothing to underflow.
    Row ``i`` sums to the probability that place ``i`` is filled; the rest is
    the probability of :data:`NO_WINNER` (fewer than ``i + 1`` VPPs with
    positive weight). ``energy`` may also have one row per election, giving
    ``(n, 3, n_vpps)``. Memory grows as ``V^3`` per row: rows are processed in
    chunks of at most :data:`~vpt._checks.MAX_CELLS` entries, and more than
    512 VPPs raise ``ValueError`` (use :func:`elect` to estimate by sampling).
    """
    choice(mechanism, "mechanism", MECHANISMS)
    check_params(mechanism, params)
    e = _energy(energy, rows=True)
    logw = np.atleast_2d(log_weights(e, mechanism, **params))  # (n, V)
    v = logw.shape[1]
    cells(v**3, f"the third-place law of {v} VPPs (V^3 entries; at most {int(MAX_CELLS ** (1 / 3))} VPPs)")
    per_chunk = max(1, MAX_CELLS // v**3)
    if logw.shape[0] > per_chunk:  # bounded memory: rows in chunks
        out = np.concatenate([_places(logw[i : i + per_chunk]) for i in range(0, logw.shape[0], per_chunk)])
    else:
        out = _places(logw)
    return out[0] if e.ndim == 1 else out


def own_place_probabilities(energy: ArrayLike, own: ArrayLike, mechanism: str, **params: float) -> NDArray[np.float64]:
    """The probability of VPP ``own[r]`` being first, second and third winner in row ``r``, shape ``(n, 3)``.

    The same law as :func:`place_probabilities` (``place_probabilities(energy)[r, :, own[r]]``), for one VPP of
    each row only: the third place then needs each pair's normaliser, not the whole ``V^3`` law, which makes it
    several times faster (the wash-trading search evaluates it thousands of times). Rows are processed in chunks
    as there.

    Raises
    ------
    ValueError
        As :func:`place_probabilities`, or if ``own`` is not one VPP index per row.

    Examples
    --------
    >>> own_place_probabilities([[1.0, 3.0], [2.0, 2.0]], [1, 0], "poem").round(3).tolist()
    [[0.75, 0.25, 0.0], [0.5, 0.5, 0.0]]
    """
    choice(mechanism, "mechanism", MECHANISMS)
    check_params(mechanism, params)
    e = _energy(energy, rows=True)
    logw = np.atleast_2d(log_weights(e, mechanism, **params))  # (n, V)
    n, v = logw.shape
    o = real_array(own, "own")
    if o.shape != (n,) or (o.size and (not np.array_equal(o, np.floor(o)) or o.min() < 0 or o.max() >= v)):
        raise ValueError(f"own must hold one VPP index in [0, {v}) per row ({n} rows), got shape {o.shape}")
    own_index = o.astype(np.int64)
    cells(v**3, f"the third-place law of {v} VPPs (V^3 entries; at most {int(MAX_CELLS ** (1 / 3))} VPPs)")
    per_chunk = max(1, MAX_CELLS // v**3)
    parts = [_own_places(logw[i : i + per_chunk], own_index[i : i + per_chunk]) for i in range(0, n, per_chunk)]
    return np.concatenate(parts) if parts else np.zeros((0, 3))


def _own_places(logw: NDArray[np.float64], own: NDArray[np.int64]) -> NDArray[np.float64]:
    """:func:`_places` for VPP ``own[r]`` of each row: the same operations, the third place's law for it alone."""
    n, v = logw.shape
    rows = np.arange(n)
    eye = np.eye(v, dtype=bool)
    p1 = _softmax(logw)
    c1 = _softmax(np.where(eye[None], -np.inf, logw[:, None, :]))
    pair = p1[:, :, None] * c1
    p2 = pair.sum(axis=1)
    removed = eye[:, None, :] | eye[None, :, :]
    logits = np.where(removed[None], -np.inf, logw[:, None, None, :])  # (n, V, V, V)
    top = logits.max(axis=-1)
    alive = np.isfinite(top)
    shift = np.where(alive, top, 0.0)
    total = np.exp(logits - shift[..., None]).sum(axis=-1)  # each pair's normaliser, as _softmax computes it
    # the own VPP's logit, -inf where it is one of the pair (as in the masked logits), then its term
    own_logit = np.where(removed[:, :, own].transpose(2, 0, 1), -np.inf, logw[rows, own][:, None, None])
    z_own = np.exp(own_logit - shift)
    c2_own = np.where(alive, z_own / np.where(total > 0, total, 1.0), 0.0)
    p3 = (pair * c2_own).sum(axis=(1, 2))
    return np.stack([p1[rows, own], p2[rows, own], p3], axis=1)


def _places(logw: NDArray[np.float64]) -> NDArray[np.float64]:
    """First, second and third place probabilities of each row of log weights, shape ``(n, 3, V)``."""
    v = logw.shape[1]
    eye = np.eye(v, dtype=bool)
    p1 = _softmax(logw)  # (n, V)
    # C1[i, j]: P(second = j | first = i) = softmax of logw with i removed
    c1 = _softmax(np.where(eye[None], -np.inf, logw[:, None, :]))  # (n, V, V)
    pair = p1[:, :, None] * c1  # P(first = i, second = j)
    p2 = pair.sum(axis=1)
    # C2[i, j, k]: P(third = k | first = i, second = j)
    removed = eye[:, None, :] | eye[None, :, :]  # (V, V, V): k in {i, j}
    c2 = _softmax(np.where(removed[None], -np.inf, logw[:, None, None, :]))  # (n, V, V, V)
    p3 = (pair[:, :, :, None] * c2).sum(axis=(1, 2))
    return np.stack([p1, p2, p3], axis=1)
