"""Operation-counted transcriptions of PoEM (Algorithm 2) for Theorems 10-12: deterministic counts, not timings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from vpt._checks import count, prices_1d
from vpt.market.auction import Trades

__all__ = ["Counts", "count_auction_literal", "count_auction_sorted", "count_fees_and_welfare", "count_miner_selection"]


@dataclass(frozen=True)
class Counts:
    """Operation counts of one run, by kind (loop iterations, comparisons, arithmetic)."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        """All operations counted, of every kind."""
        return int(sum(self.counts.values()))

    def __getitem__(self, key: str) -> int:
        return int(self.counts.get(key, 0))


#: The most loop iterations a counting function runs (its counts are kept in a Python loop): larger inputs
#: raise ``ValueError``.
LOOP_LIMIT = 10**7


def count_auction_literal(bids: ArrayLike, asks: ArrayLike) -> tuple[Trades, Counts]:
    """Algorithm 2 lines 1-15 as in :func:`vpt.market.auction.match_literal` (sorted seller order), counting.

    Counted: ``seller_loop`` (line 2 iterations), ``max_scan`` (iterations of
    the scan for the highest remaining bid, over all N buyers), ``max_compare``
    (comparisons inside it, one per remaining bid after the first),
    ``buyer_loop`` (line 3 iterations), ``bid_compare`` (line 4's ``b > a``
    tests, made for remaining buyers only). The initial sort of the bids
    (line 1) is counted separately by :func:`count_auction_sorted`'s sort.
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    if b.size * a.size > LOOP_LIMIT:
        raise ValueError(f"counting {b.size} x {a.size} buyer-seller pairs is above the limit of {LOOP_LIMIT:,}")
    c: Counter = Counter()
    remaining = [True] * b.size
    buyers, sellers = [], []
    for j in np.argsort(a, kind="stable"):
        c["seller_loop"] += 1
        best = None
        for k in range(b.size):
            c["max_scan"] += 1
            if remaining[k]:
                if best is not None:
                    c["max_compare"] += 1
                    if b[k] > best:
                        best = b[k]
                else:
                    best = b[k]
        winner = None
        for k in range(b.size):
            c["buyer_loop"] += 1
            if remaining[k]:
                c["bid_compare"] += 1
                if b[k] > a[j] and b[k] == best:
                    winner = k
                    break
        if winner is None:
            continue
        remaining[winner] = False
        buyers.append(winner)
        sellers.append(int(j))
    return Trades.from_indices(buyers, sellers, b, a), Counts(dict(c))


def _merge_sort(items: list, key, counter: Counter) -> list:
    """Top-down merge sort of ``items`` by ``key``, counting comparisons in ``counter["sort_compare"]``.

    A textbook merge sort rather than Python's built-in sort, whose comparison
    sequence is an implementation detail that changed between CPython
    versions: the counts below are then the same on every interpreter.
    """
    if len(items) <= 1:
        return list(items)
    mid = len(items) // 2
    left, right = _merge_sort(items[:mid], key, counter), _merge_sort(items[mid:], key, counter)
    merged, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        counter["sort_compare"] += 1
        if key(right[j]) < key(left[i]):
            merged.append(right[j])
            j += 1
        else:
            merged.append(left[i])
            i += 1
    return merged + left[i:] + right[j:]


def count_auction_sorted(bids: ArrayLike, asks: ArrayLike) -> tuple[Trades, Counts]:
    """The sorted clearing of :func:`vpt.market.auction.match`, in pure Python with counted comparisons.

    ``sort_compare``: comparisons made by a textbook merge sort (at most
    n ceil(log2 n) for n items) to order the bids
    (descending) and the asks (ascending), ties by index as in
    :func:`vpt.market.auction.match`; ``clear_compare``: the ``b_(k) > a_(k)`` tests
    of the clearing walk, which stops at the first failure.
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    c: Counter = Counter()
    by_bid = _merge_sort(list(range(b.size)), lambda i: (-b[i], i), c)
    by_ask = _merge_sort(list(range(a.size)), lambda j: (a[j], j), c)
    n = 0
    for k in range(min(b.size, a.size)):
        c["clear_compare"] += 1
        if not b[by_bid[k]] > a[by_ask[k]]:
            break
        n += 1
    return Trades.from_indices(by_bid[:n], by_ask[:n], b, a), Counts(dict(c))


def count_fees_and_welfare(n_trades: int) -> Counts:
    """Algorithm 2 lines 16-25 for ``n_trades`` winning slots, counting arithmetic.

    Per trade: a transaction fee and a mining fee (2 multiplications), the
    seller's net price (an addition and a subtraction) and welfare (a
    subtraction): ``loop`` iterations and ``arith`` operations.
    """
    c: Counter = Counter()
    for _ in range(count(n_trades, "n_trades", minimum=0, maximum=LOOP_LIMIT)):
        c["loop"] += 1
        c["arith"] += 2  # T = P * RT_tx, M = P * RT_m
        c["arith"] += 2  # P_f = P - (T + M)
        c["arith"] += 1  # SW = P_f - a
    return Counts(dict(c))


def count_miner_selection(n_vpps: int, n_trades: int) -> Counts:
    """Algorithm 2 lines 26-43, counting: the energy sum, the share loop, three draws, M_sum, rewards.

    ``energy_sum`` (line 29, one addition per VPP), ``share_loop`` (lines
    30-33, one division and one multiplication per VPP), ``draw_scan`` (each
    of the three draws scans the cumulative distribution of the VPPs still in
    the election: ``V``, ``V - 1``, ``V - 2`` steps), ``fee_sum`` (line 40,
    one addition per trade) and ``rewards`` (lines 41-43, three products and
    one sum).
    """
    v = count(n_vpps, "n_vpps", minimum=1, maximum=LOOP_LIMIT)
    w = count(n_trades, "n_trades", minimum=0, maximum=LOOP_LIMIT)
    c: Counter = Counter()
    for _ in range(v):
        c["energy_sum"] += 1
    for _ in range(v):
        c["share_loop"] += 2
    for place in range(min(3, v)):
        for _ in range(v - place):
            c["draw_scan"] += 1
    for _ in range(w):
        c["fee_sum"] += 1
    c["rewards"] += 4
    return Counts(dict(c))
