"""Operation counters of Theorems 10-12 agree exactly with the symbolic counts."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from vpt.market import auction
from vpt.theory import complexity

N, S, j = sp.symbols("N S j", integer=True, positive=True)

# Symbolic counts of the literal transcription (Algorithm 2 lines 2-15), two input families.
NO_TRADE = {  # every bid <= every ask
    "seller_loop": S,
    "max_scan": S * N,
    "max_compare": S * (N - 1),
    "buyer_loop": S * N,
    "bid_compare": S * N,
}
ALL_TRADE = {  # bids given in decreasing order, every bid > every ask, N >= S
    "seller_loop": S,
    "max_scan": S * N,
    "max_compare": sp.summation(N - j - 1, (j, 0, S - 1)),
    "buyer_loop": sp.summation(j + 1, (j, 0, S - 1)),
    "bid_compare": S,
}


@pytest.mark.parametrize("n_buyers", [1, 2, 5, 9])
@pytest.mark.parametrize("n_sellers", [1, 3, 7])
def test_literal_counts_match_symbolic_counts_when_nothing_trades(n_buyers, n_sellers):
    _, c = complexity.count_auction_literal(np.ones(n_buyers), np.full(n_sellers, 2.0))
    for kind, formula in NO_TRADE.items():
        assert c[kind] == formula.subs({N: n_buyers, S: n_sellers}), kind


@pytest.mark.parametrize(("n_buyers", "n_sellers"), [(1, 1), (4, 2), (6, 6), (10, 3), (12, 9)])
def test_literal_counts_match_symbolic_counts_when_everything_trades(n_buyers, n_sellers):
    bids = np.arange(n_buyers, 0, -1) + 100.0
    t, c = complexity.count_auction_literal(bids, np.arange(float(n_sellers)))
    assert len(t) == n_sellers
    for kind, formula in ALL_TRADE.items():
        assert c[kind] == formula.subs({N: n_buyers, S: n_sellers}), kind


def _merge_sort_presorted(n: int) -> int:
    """Comparisons of a top-down merge sort on sorted input: each merge compares len(left) times."""
    return 0 if n <= 1 else n // 2 + _merge_sort_presorted(n // 2) + _merge_sort_presorted(n - n // 2)


@pytest.mark.parametrize(("n_buyers", "n_sellers"), [(1, 1), (5, 3), (8, 8), (16, 4)])
def test_sorted_counts_on_presorted_input(n_buyers, n_sellers):
    _t, c = complexity.count_auction_sorted(np.arange(n_buyers, 0, -1) + 100.0, np.arange(float(n_sellers)))
    assert c["sort_compare"] == _merge_sort_presorted(n_buyers) + _merge_sort_presorted(n_sellers)
    assert c["clear_compare"] == min(n_buyers, n_sellers)


def test_sorted_counts_are_half_n_log2_n_on_sorted_powers_of_two():
    _, c = complexity.count_auction_sorted(np.arange(64, 0, -1) + 100.0, np.arange(64.0))
    assert c["sort_compare"] == 2 * (64 // 2 * 6)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=40), st.lists(st.integers(0, 9), min_size=1, max_size=40))
def test_sort_comparisons_stay_within_the_merge_sort_bound(bids, asks):
    _, c = complexity.count_auction_sorted(np.array(bids, float), np.array(asks, float))
    bound = sum(n * math.ceil(math.log2(n)) - 2 ** math.ceil(math.log2(n)) + 1 for n in (len(bids), len(asks)))
    assert c["sort_compare"] <= bound


def test_counted_versions_trade_like_match():
    rng = np.random.default_rng(0)
    for _ in range(20):
        b, a = rng.integers(0, 8, 30).astype(float), rng.integers(0, 8, 25).astype(float)
        ref = auction.match(b, a)
        for f in (complexity.count_auction_literal, complexity.count_auction_sorted):
            t, _ = f(b, a)
            np.testing.assert_array_equal(t.buyer, ref.buyer)
            np.testing.assert_array_equal(t.seller, ref.seller)


def test_fees_and_miner_selection_counts():
    assert complexity.count_fees_and_welfare(7).counts == {"loop": 7, "arith": 35}
    c = complexity.count_miner_selection(10, 40)
    assert c.counts == {"energy_sum": 10, "share_loop": 20, "draw_scan": 27, "fee_sum": 40, "rewards": 4}
    assert c.total == 6 * 10 - 3 + 40 + 4
