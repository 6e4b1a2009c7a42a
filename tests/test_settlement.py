"""PoEM and PPoEM prices, fees and welfare (Eq. 3, 7-10, 13-14)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from vpt.market.auction import Trades, match
from vpt.market.settlement import ppoem_price_string, ppoem_prices, settle_poem, settle_ppoem, truncated_laplace
from vpt.state import SystemState

TRADES = match([30.0, 25.0, 12.0], [20.0, 10.0, 24.0])  # (30, 10) and (25, 20)


def test_poem_pays_the_bid_and_splits_fees_at_the_state_rate():
    s = settle_poem(TRADES, SystemState.STABLE)
    np.testing.assert_allclose(s.price, [30.0, 25.0])
    np.testing.assert_allclose(s.transaction_fee, [3.0, 2.5])
    np.testing.assert_allclose(s.mining_fee, [3.0, 2.5])
    np.testing.assert_allclose(s.seller_net, [24.0, 20.0])
    np.testing.assert_allclose(s.seller_welfare, [14.0, 0.0])
    np.testing.assert_allclose(s.buyer_welfare, [0.0, 0.0])
    assert s.mining_sum == pytest.approx(5.5)


def test_poem_ask_reading_leaves_the_seller_paying_the_fees():
    s = settle_poem(TRADES, SystemState.WARNING, price_rule="ask")
    np.testing.assert_allclose(s.price, [10.0, 20.0])
    np.testing.assert_allclose(s.seller_welfare, [-1.4, -2.8])  # -2 * 7 % * ask
    np.testing.assert_allclose(s.buyer_welfare, [20.0, 5.0])


@pytest.mark.parametrize("state", list(SystemState))
def test_money_is_conserved_in_every_trade(state):
    s = settle_poem(TRADES, state)
    np.testing.assert_allclose(s.price, s.seller_net + s.transaction_fee + s.mining_fee)


prices = st.floats(0.0, 100.0, allow_nan=False)


@given(
    st.lists(st.tuples(prices, prices), min_size=1, max_size=8),
    st.sampled_from([1e-3, 0.1, 1.0, 50.0]),
    st.sampled_from(["bid", "midpoint"]),
    st.sampled_from(["truncate", "clip"]),
    st.integers(0, 2**31),
)
def test_ppoem_price_stays_between_ask_and_bid(pairs, eps, centre, keep, seed):
    ask = np.array([min(p) for p in pairs])
    bid = np.array([max(p) for p in pairs])
    p = ppoem_prices(bid, ask, eps1=eps, eps2=eps, length=5, rng=np.random.default_rng(seed), centre=centre, keep=keep)
    assert np.all(p >= ask) and np.all(p <= bid)


def test_truncated_laplace_matches_its_law():
    rng = np.random.default_rng(12)
    x = truncated_laplace(np.array([[4.0]]), 2.0, np.array([[0.0]]), np.array([[10.0]]), rng, (1, 20000)).ravel()
    lap = stats.laplace(4.0, 2.0)
    lo, hi = lap.cdf(0.0), lap.cdf(10.0)
    cdf = lambda v: (lap.cdf(np.clip(v, 0, 10)) - lo) / (hi - lo)  # noqa: E731
    assert stats.kstest(x, cdf).pvalue > 0.01


def test_price_string_shape_and_clip_reading_piles_up_at_the_ends():
    rng = np.random.default_rng(3)
    s = ppoem_price_string(np.array([20.0, 30.0]), np.array([10.0, 10.0]), eps1=0.01, length=7, rng=rng, keep="clip")
    assert s.shape == (2, 7)
    assert np.isin(s, [10.0, 20.0, 30.0]).mean() > 0.8  # scale 100 >> dif: almost every draw is clipped


def test_exponential_choice_with_huge_budget_picks_the_fairest_candidate():
    rng = np.random.default_rng(0)
    bid, ask = np.full(200, 30.0), np.full(200, 10.0)
    p = ppoem_prices(bid, ask, eps1=0.01, eps2=1e6, length=50, rng=rng, quality="maxmin")
    assert np.abs(p - 20.0).max() < 3.0  # best of 50 near-uniform candidates is close to the midpoint


def test_settle_ppoem_has_buyer_and_seller_welfare():
    s = settle_ppoem(TRADES, SystemState.STABLE, rng=np.random.default_rng(1), eps1=0.1, eps2=0.1, length=10)
    np.testing.assert_allclose(s.buyer_welfare, TRADES.bid - s.price)
    np.testing.assert_allclose(s.seller_welfare, s.price * 0.8 - TRADES.ask)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"eps1": 0.0}, "eps1 must be finite and > 0"),
        ({"eps2": -1.0}, "eps2 must be finite and > 0"),
        ({"eps1": float("nan")}, "eps1"),
        ({"length": 0}, r"length \(l\) must be an integer"),
        ({"centre": "ask"}, "unknown centre"),
        ({"keep": "reject"}, "unknown keep"),
        ({"quality": "seller"}, "unknown quality"),
        ({"laplace_sensitivity": 0.0}, "laplace_sensitivity"),
    ],
)
def test_ppoem_refuses_bad_parameters(kwargs, message):
    options = {"eps1": 0.1, "eps2": 0.1, "length": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        ppoem_prices(np.array([2.0]), np.array([1.0]), rng=np.random.default_rng(0), **options)


def test_ppoem_refuses_mismatched_or_crossed_prices():
    with pytest.raises(ValueError, match="equal length"):
        ppoem_prices(np.array([2.0, 3.0]), np.array([1.0]), eps1=1, eps2=1, length=2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="bid >= ask"):
        ppoem_prices(np.array([1.0]), np.array([2.0]), eps1=1, eps2=1, length=2, rng=np.random.default_rng(0))


def test_empty_round_settles_to_nothing():
    empty = match([], [])
    assert settle_poem(empty, SystemState.STABLE).mining_sum == 0.0
    assert (
        settle_ppoem(empty, SystemState.STABLE, rng=np.random.default_rng(0), eps1=1, eps2=1, length=3).price.size == 0
    )


def test_unknown_price_rule_is_refused():
    with pytest.raises(ValueError, match="unknown price_rule"):
        settle_poem(TRADES, SystemState.STABLE, price_rule="mid")
    assert isinstance(TRADES, Trades)


def test_truncated_laplace_refuses_parameters_that_do_not_broadcast_to_the_size():
    with pytest.raises(ValueError, match="must broadcast to size"):
        truncated_laplace(np.zeros(3), 1.0, np.zeros(3), np.ones(3), np.random.default_rng(0), (2, 4))


def test_truncated_laplace_draws_one_value_per_cell_with_array_parameters():
    rng = np.random.default_rng(1)
    lo, hi = np.array([[0.0], [5.0]]), np.array([[1.0], [5.0]])
    x = truncated_laplace(np.array([[0.5], [9.0]]), np.array([[0.3], [1.0]]), lo, hi, rng, (2, 1000))
    assert x.shape == (2, 1000)
    assert ((x[0] >= 0) & (x[0] <= 1)).all() and (x[1] == 5.0).all()
