"""The double auctions of vpt.market.mechanisms: outcomes, budgets, individual rationality and truthfulness."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vpt.market.incentives import best_misreport
from vpt.market.mechanisms import MECHANISMS, clear

prices = st.lists(st.integers(1, 40).map(float), min_size=1, max_size=6)
TRUTHFUL = ("vcg", "trade-reduction", "mcafee", "sbba")


def _clear(bids, asks, mechanism, seed=0):
    params = {"eps1": 1.0, "eps2": 1.0, "length": 3} if mechanism == "ppoem" else {}
    return clear(bids, asks, mechanism, rng=np.random.default_rng(seed), **params)


@given(prices, prices, st.sampled_from(MECHANISMS))
def test_every_mechanism_is_individually_rational_and_trades_one_to_one(bids, asks, mechanism):
    o = _clear(bids, asks, mechanism)
    assert o.buyer.size == o.seller.size == o.buyer_pays.size == o.seller_gets.size
    assert len(set(o.buyer.tolist())) == o.buyer.size and len(set(o.seller.tolist())) == o.seller.size
    assert (o.buyer_pays <= np.asarray(bids)[o.buyer] + 1e-12).all()
    assert (o.seller_gets >= np.asarray(asks)[o.seller] - 1e-12).all()


@given(prices, prices)
def test_budgets_have_the_documented_signs(bids, asks):
    assert _clear(bids, asks, "vcg").budget <= 1e-12
    assert _clear(bids, asks, "trade-reduction").budget >= -1e-12
    assert _clear(bids, asks, "mcafee").budget >= -1e-12
    for mechanism in ("sbba", "k-double", "pay-as-bid", "pay-as-ask", "ppoem"):
        assert _clear(bids, asks, mechanism).budget == pytest.approx(0.0, abs=1e-9)


@given(prices, prices)
def test_efficient_mechanisms_make_every_efficient_trade_and_the_others_at_most_one_fewer(bids, asks):
    k = _clear(bids, asks, "pay-as-bid").buyer.size
    for mechanism in ("vcg", "k-double", "pay-as-ask", "ppoem"):
        assert _clear(bids, asks, mechanism).buyer.size == k
    for mechanism in ("trade-reduction", "mcafee", "sbba"):
        assert _clear(bids, asks, mechanism).buyer.size >= k - 1


@settings(max_examples=40)
@given(prices, prices, st.sampled_from(TRUTHFUL), st.sampled_from(["buyer", "seller"]), st.data())
def test_truthful_mechanisms_give_no_gain_to_any_misreport(bids, asks, mechanism, side, data):
    index = data.draw(st.integers(0, (len(bids) if side == "buyer" else len(asks)) - 1))
    seed = data.draw(st.integers(0, 3))  # SBBA: every lottery draw, not only on average
    m = best_misreport(bids, asks, mechanism, side, index, seed=seed)
    assert m.gain <= 1e-9, m


def test_the_papers_pay_as_bid_rule_rewards_sellers_who_underbid():
    rng = np.random.default_rng(1)
    gains = []
    for _ in range(4):
        bids, asks = rng.uniform(12.9, 28.0, 6), rng.uniform(7.7, 20.0, 6)
        gains += [best_misreport(bids, asks, "pay-as-bid", "seller", j).gain for j in range(6)]
    assert np.mean(np.array(gains) > 1e-9) > 0.3


def test_k_double_auction_is_not_truthful():
    m = best_misreport([10.0, 8.0, 6.0, 2.0], [1.0, 3.0, 5.0, 9.0], "k-double", "buyer", 0)
    assert m.gain > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mechanism": "vickrey"}, "unknown mechanism"),
        ({"mechanism": "sbba", "rng": None}, "pass rng"),
        ({"mechanism": "k-double", "kappa": 1.5}, r"kappa must be in \[0, 1\]"),
        ({"mechanism": "vcg", "kappa": 0.5}, "takes no parameter"),
        ({"mechanism": "ppoem", "rng": np.random.default_rng(0)}, "needs the option"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    args = {"rng": None, **kwargs}
    mechanism = args.pop("mechanism")
    with pytest.raises(ValueError, match=message):
        clear([10.0, 5.0], [1.0, 3.0], mechanism, **args)


def test_no_trade_without_a_bid_above_an_ask():
    for mechanism in MECHANISMS:
        o = _clear([1.0, 2.0], [5.0], mechanism)
        assert o.buyer.size == 0 and o.budget == 0.0
