"""Trading rounds on household data."""

import numpy as np
import pytest

from vpt import data, market
from vpt.state import StateLimits, SystemState


def test_paper_vpp_sizes_cover_100_homes_in_order():
    vpp = market.assign_vpps(market.PAPER_VPP_SIZES, 100)
    assert np.bincount(vpp).tolist() == list(market.PAPER_VPP_SIZES)
    assert np.all(np.diff(vpp) >= 0)
    with pytest.raises(ValueError, match="add up to 99"):
        market.assign_vpps([50, 49], 100)
    with pytest.raises(ValueError, match="positive integers"):
        market.assign_vpps([0, 100], 100)


def test_round_credits_each_vpp_with_what_its_sellers_sold():
    surplus = np.array([0.35, 0.0, 0.2, 0.0])
    deficit = np.array([0.0, 0.5, 0.0, 0.05])  # home 3 wants less than a slot
    ask = np.array([10.0, 0.0, 5.0, 0.0])
    bid = np.array([0.0, 20.0, 0.0, 30.0])
    r = market.trading_round(surplus, deficit, ask, bid, np.array([0, 0, 1, 1]), SystemState.STABLE, slot_kwh=0.1)
    assert len(r.seller_home) == 5 and len(r.buyer_home) == 5
    # 5 buyer slots at 2.0/slot; the two cheap slots of home 2 sell first, then three of home 0
    assert len(r.trades) == 5
    np.testing.assert_allclose(r.vpp_energy, [0.3, 0.2])
    np.testing.assert_allclose(r.settlement.price, 2.0)


def test_round_without_buyers_trades_nothing():
    r = market.trading_round([1.0], [0.0], [5.0], [9.0], [0], SystemState.STABLE)
    assert len(r.trades) == 0 and r.vpp_energy.tolist() == [0.0]


def test_round_refuses_bad_input():
    with pytest.raises(ValueError, match="one entry per home"):
        market.trading_round([1.0], [0.0, 1.0], [5.0], [9.0], [0], SystemState.STABLE)
    with pytest.raises(ValueError, match="surplus_kwh contains a negative value"):
        market.trading_round([-1.0], [0.0], [5.0], [9.0], [0], SystemState.STABLE)
    with pytest.raises(ValueError, match="unknown pricing"):
        market.trading_round([1.0], [1.0], [5.0], [9.0], [0], SystemState.STABLE, pricing="vcg")
    with pytest.raises(ValueError, match="pass rng"):
        market.trading_round(
            [1.0], [1.0], [5.0], [9.0], [0], SystemState.STABLE, pricing="ppoem", eps1=1, eps2=1, length=2
        )


def test_price_model_refuses_empty_ranges():
    with pytest.raises(ValueError, match="low < high"):
        market.PriceModel(ask_low=20.0, ask_high=10.0)


@pytest.fixture(scope="module")
def week():
    return data.generate_households(100, "2013-01-01", 7, seed=1)


def test_month_of_rounds_allocation_does_not_depend_on_pricing(week):
    limits = StateLimits(40.0, 80.0, 120.0)
    a = market.run_rounds(week, limits, np.random.default_rng(4))
    b = market.run_rounds(week, limits, np.random.default_rng(4), pricing="ppoem", eps1=0.1, eps2=0.1, length=5)
    np.testing.assert_array_equal(a.vpp_energy, b.vpp_energy)
    assert a.traded.sum() > 0 and not np.allclose(a.buyer_paid, b.buyer_paid)
    np.testing.assert_allclose(a.buyer_paid, a.seller_received + a.transaction_fees + a.mining_sum)
    np.testing.assert_allclose(a.traded_kwh, a.vpp_energy.sum(axis=1))
    assert a.vpp_energy.shape == (7 * 24, 10)
    assert np.all(a.n_trades[~a.traded] == 0)
