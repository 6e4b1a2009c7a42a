"""The double auction's allocation rule (Eq. 1-2, Algorithm 2 lines 1-15) for unit energy slots."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt._checks import choice, prices_1d

__all__ = ["SELLER_ORDERS", "Trades", "match", "match_literal"]

#: The readings of the order in which sellers are served (see :func:`match`).
SELLER_ORDERS = ("sorted", "given", "given-stop")
#: The most buyer-seller pairs :func:`match_literal` (a Python double loop) accepts.
LITERAL_LIMIT = 10**8


@dataclass(frozen=True)
class Trades:
    """Matched slots of one auction: trade ``t`` gives seller ``seller[t]``'s slot to buyer ``buyer[t]``.

    ``buyer`` and ``seller`` index the input arrays of :func:`match`; ``bid`` and
    ``ask`` are the matched buyer's bid and seller's ask (``bid > ask``).
    """

    buyer: NDArray[np.int64]
    seller: NDArray[np.int64]
    bid: NDArray[np.float64]
    ask: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.buyer.shape[0])

    @classmethod
    def from_indices(cls, buyer, seller, bids: NDArray, asks: NDArray) -> Trades:
        """The trades pairing ``buyer[k]`` with ``seller[k]``, with their bids and asks.

        Raises
        ------
        ValueError
            If ``bids`` or ``asks`` are not valid prices (as in :func:`match`),
            or ``buyer`` and ``seller`` are not 1-D integer arrays of equal
            length indexing them.
        """
        b = prices_1d(bids, "bids")
        a = prices_1d(asks, "asks")
        idx = []
        for name, value, size in (("buyer", buyer, b.size), ("seller", seller, a.size)):
            arr = np.asarray(value) if isinstance(value, (list, tuple, np.ndarray)) else np.asarray(None)
            if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
                raise ValueError(f"{name} must be a 1-D array of integer indices, got {value!r:.80}")
            arr = arr.astype(np.int64)
            if arr.size and (arr.min() < 0 or arr.max() >= size):
                raise ValueError(f"{name} holds an index outside 0..{size - 1}")
            idx.append(arr)
        if idx[0].size != idx[1].size:
            raise ValueError(f"buyer and seller must have equal length, got {idx[0].size} and {idx[1].size}")
        return cls(idx[0], idx[1], b[idx[0]], a[idx[1]])


def match(bids: ArrayLike, asks: ArrayLike, *, seller_order: str = "sorted") -> Trades:
    """Clear a double auction of unit energy slots (the paper's allocation rule).

    Each buyer bids for one slot and each seller offers one slot. Following
    Algorithm 2 (lines 1-15) and Eq. 1-2, sellers are served one after the
    other, and each is given the **highest remaining bid** if that bid is
    strictly greater than the seller's ask (Eq. 3: a trade needs ``b > a``).

    The paper does not say in which order sellers are served:

    ``"sorted"`` (default)
        Sellers by increasing ask. Then the ``k``-th highest bid meets the
        ``k``-th lowest ask, and the number of trades is the largest ``k``
        with ``b_(k) > a_(k)``: the welfare-maximising clearing of a double
        auction. It is also the only reading under which Algorithm 2's
        ``return 'bid did not match the ask'`` on the first failed seller
        loses no trade (every later seller asks more).
    ``"given"``
        Sellers in the order of ``asks``; a seller whose ask is not beaten by
        the highest remaining bid is skipped and the next one is tried.
    ``"given-stop"``
        Sellers in the order of ``asks``, and the auction stops at the first
        seller whose ask is not beaten: Algorithm 2's ``return 'bid did not
        match the ask'`` read literally.

    Ties between equal bids (or equal asks) go to the lower index. Runs in
    ``O((N + S) log(N + S))``: the sorted reading index-sorts each side once
    (ties then put in index order, as a stable sort would) and counts the
    trades; the ``"given"`` reading adds an ``O(S)`` Python loop.

    Parameters
    ----------
    bids, asks
        1-D arrays of finite, non-negative prices; either may be empty.
    seller_order
        ``"sorted"``, ``"given"`` or ``"given-stop"``.

    Returns
    -------
    Trades
        In the order the sellers were served.

    Raises
    ------
    ValueError
        If an array is not 1-D or holds NaN, infinite or negative prices, or
        ``seller_order`` is unknown.

    Examples
    --------
    >>> t = match([10.0, 30.0, 20.0], [25.0, 5.0, 15.0])
    >>> t.buyer.tolist(), t.seller.tolist()
    ([1, 2], [1, 2])
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    choice(seller_order, "seller_order", SELLER_ORDERS)
    if seller_order == "sorted":
        return _match_sorted(b, a)
    by_bid = np.argsort(-b, kind="stable")
    sorted_bids = b[by_bid]
    buyers, sellers = [], []
    top = 0
    for j in range(a.size):
        if top < b.size and sorted_bids[top] > a[j]:
            buyers.append(by_bid[top])
            sellers.append(j)
            top += 1
        elif seller_order == "given-stop":
            break  # the pseudo-code's return
    return Trades.from_indices(buyers, sellers, b, a)


def _match_sorted(b: NDArray[np.float64], a: NDArray[np.float64]) -> Trades:
    """The sorted reading of :func:`match` on prices already validated (the core that mechanisms reuse)."""
    # A fast (unstable) index sort of each side, then a fix-up that makes
    # ties come by index exactly as a stable sort would.
    by_bid = np.argsort(-b)
    by_ask = np.argsort(a)
    neg_bids = -b[by_bid]
    asks_up = a[by_ask]
    k = min(b.size, a.size)
    n = int(np.count_nonzero(-neg_bids[:k] > asks_up[:k]))  # monotone: True ... True False ... False
    buyer, seller = _stable_prefix(by_bid, neg_bids, n), _stable_prefix(by_ask, asks_up, n)
    return Trades(buyer, seller, b[buyer], a[seller])  # valid indices by construction: no second validation


def _stable_prefix(order: NDArray, values: NDArray, n: int) -> NDArray[np.int64]:
    """Make ``order[:n]`` equal to the first ``n`` of a *stable* sort, given any correct sort.

    ``order`` sorts the key (not necessarily stably) and ``values`` is the key
    in that order. Equal keys must come by increasing index, including at the
    cut ``n``, where the lowest indices of a tied run must be the ones kept.
    The fix-up costs nothing when there are no ties.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    head = order[:n]
    if n < values.size and values[n] == values[n - 1]:  # a tied run crosses the cut
        lo = int(np.searchsorted(values, values[n - 1], side="left"))
        hi = int(np.searchsorted(values, values[n - 1], side="right"))
        head = np.concatenate([order[:lo], np.sort(order[lo:hi])[: n - lo]])
    v = values[:n]
    if n > 1 and np.any(v[1:] == v[:-1]):  # ties inside: order them by index
        groups = np.cumsum(np.r_[True, v[1:] != v[:-1]])
        head = head[np.lexsort((head, groups))]
    return head.astype(np.int64, copy=False)


def match_literal(bids: ArrayLike, asks: ArrayLike, *, seller_order: str = "sorted") -> Trades:
    """Reference transcription of Algorithm 2, lines 1-15, with its nested loops.

    For each seller ``j`` (line 2) the loop over buyers ``k`` (line 3) looks
    for the buyer whose bid equals the highest remaining bid (line 4,
    ``b == max_bid(j)``) and exceeds the ask; that buyer wins the slot
    (lines 5-6, 13-14) and leaves the auction. ``O(S N)`` comparisons. Used
    only to test :func:`match` and to count operations; same arguments,
    result and errors as :func:`match`, and a ``ValueError`` above
    :data:`LITERAL_LIMIT` buyer-seller pairs (a minute of pure Python).
    """
    b = prices_1d(bids, "bids")
    a = prices_1d(asks, "asks")
    choice(seller_order, "seller_order", SELLER_ORDERS)
    if b.size * a.size > LITERAL_LIMIT:
        raise ValueError(
            f"match_literal loops over {b.size} x {a.size} buyer-seller pairs, above {LITERAL_LIMIT:,}: use match"
        )
    sellers_in_turn = list(np.argsort(a, kind="stable")) if seller_order == "sorted" else list(range(a.size))
    remaining = [True] * b.size
    buyers, sellers = [], []
    for j in sellers_in_turn:  # line 2
        max_bid = max((b[k] for k in range(b.size) if remaining[k]), default=None)  # line 1
        winner = None
        for k in range(b.size):  # line 3
            if remaining[k] and b[k] > a[j] and b[k] == max_bid:  # line 4
                winner = k  # lines 5-6
                break
        if winner is None:  # lines 7-9: 'bid did not match the ask'
            if seller_order == "given-stop":
                break  # read literally, the return ends the auction
            continue
        remaining[winner] = False
        buyers.append(winner)  # lines 13-14
        sellers.append(j)
    return Trades.from_indices(buyers, sellers, b, a)
