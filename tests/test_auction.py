"""Allocation rule (Eq. 1-2, Algorithm 2 lines 1-15): sorted implementation against the literal loops."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt.market.auction import match, match_literal

# Prices on a coarse grid, so that ties (equal bids, equal asks, bid == ask) are common.
grid_prices = st.lists(st.integers(0, 20).map(float), max_size=25)


@given(grid_prices, grid_prices, st.sampled_from(["sorted", "given", "given-stop"]))
def test_sorted_implementation_gives_the_same_trades_as_the_literal_loops(bids, asks, order):
    fast = match(bids, asks, seller_order=order)
    slow = match_literal(bids, asks, seller_order=order)
    np.testing.assert_array_equal(fast.buyer, slow.buyer)
    np.testing.assert_array_equal(fast.seller, slow.seller)


@given(grid_prices, grid_prices, st.sampled_from(["sorted", "given", "given-stop"]))
def test_nobody_trades_twice_and_every_bid_beats_its_ask(bids, asks, order):
    t = match(bids, asks, seller_order=order)
    assert len(set(t.buyer.tolist())) == len(t) and len(set(t.seller.tolist())) == len(t)
    assert np.all(t.bid > t.ask)
    np.testing.assert_array_equal(t.bid, np.asarray(bids)[t.buyer])
    np.testing.assert_array_equal(t.ask, np.asarray(asks)[t.seller])


@given(grid_prices, grid_prices)
def test_sorted_reading_trades_the_largest_k_with_kth_highest_bid_above_kth_lowest_ask(bids, asks):
    b = np.sort(bids)[::-1]
    a = np.sort(asks)
    k = min(len(b), len(a))
    expected = max([j for j in range(k + 1) if j == 0 or b[j - 1] > a[j - 1]])
    assert len(match(bids, asks)) == expected


def _gains(t):
    return float(np.sum(t.bid - t.ask))


@given(grid_prices, grid_prices)
def test_sorted_reading_maximises_the_gains_from_trade(bids, asks):
    # brute force: best assignment of buyers to sellers, a pair counting only if bid > ask
    from scipy.optimize import linear_sum_assignment

    b, a = np.asarray(bids), np.asarray(asks)
    best = 0.0
    if b.size and a.size:
        gain = np.clip(b[:, None] - a[None, :], 0.0, None)
        rows, cols = linear_sum_assignment(gain, maximize=True)
        best = float(gain[rows, cols].sum())
    assert _gains(match(bids, asks)) == pytest.approx(best)
    assert _gains(match(bids, asks, seller_order="given")) <= best + 1e-9


def test_worked_example_and_the_two_seller_orders():
    bids, asks = [30.0, 25.0, 12.0], [20.0, 10.0, 24.0]
    s = match(bids, asks)  # asks served 10, 20, 24
    assert list(zip(s.buyer, s.seller, strict=True)) == [(0, 1), (1, 0)]
    g = match(bids, asks, seller_order="given")  # 20 takes 30, 10 takes 25, 24 fails on 12
    assert list(zip(g.buyer, g.seller, strict=True)) == [(0, 0), (1, 1)]
    # where the readings differ: the first seller in line takes the best bid
    g2 = match([30.0, 15.0], [14.0, 5.0], seller_order="given")
    assert list(zip(g2.buyer, g2.seller, strict=True)) == [(0, 0), (1, 1)]
    given, sorted_ = (match([30.0, 15.0], [25.0, 5.0], seller_order=o).seller for o in ("given", "sorted"))
    assert given.tolist() == [0, 1] and sorted_.tolist() == [1]  # seller 0 takes 30 first / seller 1 does


def test_the_literal_return_stops_the_given_order_at_the_first_failed_seller():
    # seller 1 (ask 26) fails against the remaining bid 25; "given" goes on to seller 2, "given-stop" ends there
    bids, asks = [30.0, 25.0], [20.0, 26.0, 10.0]
    assert match(bids, asks, seller_order="given").seller.tolist() == [0, 2]
    assert match(bids, asks, seller_order="given-stop").seller.tolist() == [0]
    assert match_literal(bids, asks, seller_order="given-stop").seller.tolist() == [0]


def test_ties_go_to_the_lower_index_and_equal_prices_do_not_trade():
    t = match([5.0, 5.0], [1.0])
    assert t.buyer.tolist() == [0]
    assert len(match([5.0], [5.0])) == 0


def test_empty_sides_are_a_round_without_trades():
    assert len(match([], [1.0])) == 0
    assert len(match([1.0], [])) == 0
    assert len(match_literal([], [])) == 0


@pytest.mark.parametrize(
    ("bids", "asks", "kwargs", "message"),
    [
        ([np.nan], [1.0], {}, "bids contains NaN"),
        ([1.0], [np.inf], {}, "asks contains an infinite"),
        ([-1.0], [1.0], {}, "bids contains a negative"),
        ([[1.0]], [1.0], {}, "bids must be a 1-D"),
        ([1.0], [1.0], {"seller_order": "random"}, "unknown seller_order"),
    ],
)
def test_bad_input_is_refused(bids, asks, kwargs, message):
    for f in (match, match_literal):
        with pytest.raises(ValueError, match=message):
            f(bids, asks, **kwargs)
