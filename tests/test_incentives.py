"""vpt.market.incentives: multi-slot traders, PPoEM's expected price, wash trading, the benchmark."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from vpt import market
from vpt.book.settings import book_data
from vpt.market import incentives, mechanisms
from vpt.state import fee_rates, limits_from_quantiles

prices = st.lists(st.integers(1, 40).map(float), min_size=1, max_size=6)
TRUTHFUL = ("vcg", "trade-reduction", "mcafee", "sbba")


@settings(max_examples=30)
@given(prices, prices, st.sampled_from(["pay-as-bid", "pay-as-ask", "vcg", "mcafee", "k-double"]), st.data())
def test_a_traders_utility_is_the_sum_over_its_slots(bids, asks, mechanism, data):
    # one household holding several buyer slots at one value: its utility is the sum of its slots' utilities
    value = data.draw(st.sampled_from(bids))
    slots = [i for i, b in enumerate(bids) if b == value]
    whole = incentives.utility(bids, asks, mechanism, "buyer", slots, value)
    o = mechanisms.clear(bids, asks, mechanism)
    by_slot = sum(value - o.buyer_pays[k] for k, i in enumerate(o.buyer) if i in slots)
    assert whole == pytest.approx(by_slot, abs=1e-9)


@settings(max_examples=25)
@given(prices, prices, st.sampled_from([m for m in mechanisms.MECHANISMS if m != "ppoem"]), st.data())
def test_a_grid_search_never_finds_more_than_the_exact_search(bids, asks, mechanism, data):
    side = data.draw(st.sampled_from(["buyer", "seller"]))
    index = data.draw(st.integers(0, (len(bids) if side == "buyer" else len(asks)) - 1))
    seed = data.draw(st.integers(0, 3))  # SBBA's lottery draw
    exact = incentives.best_misreport(bids, asks, mechanism, side, index, seed=seed)
    grid = incentives.best_misreport(
        bids, asks, mechanism, side, index, candidates=np.arange(0.0, 45.0, 0.5), seed=seed
    )
    assert grid.gain <= exact.gain + 1e-9
    assert exact.truthful_utility == grid.truthful_utility


@settings(max_examples=25)
@given(prices, prices, st.sampled_from(TRUTHFUL), st.sampled_from([0.2, 0.14, 0.06, 0.02]), st.data())
def test_with_fees_the_truthful_mechanisms_are_truthful_in_the_fee_adjusted_cost(bids, asks, mechanism, fee, data):
    # a seller of cost c keeps (1 - f) p: its utility is (1 - f) times that of a fee-free seller of cost c / (1 - f),
    # so asking c / (1 - f) is a best response and never ends below zero; asking c may lose and may be beaten
    j = data.draw(st.integers(0, len(asks) - 1))
    seed = data.draw(st.integers(0, 3))
    cost = asks[j]
    adjusted = list(asks)
    adjusted[j] = cost / (1 - fee)
    with_fee = incentives.utility(bids, adjusted, mechanism, "seller", j, cost, seed=seed, seller_fee=fee)
    fee_free = incentives.utility(bids, adjusted, mechanism, "seller", j, cost / (1 - fee), seed=seed)
    assert with_fee == pytest.approx((1 - fee) * fee_free, abs=1e-9)
    assert with_fee >= -1e-9
    best = incentives.best_misreport(bids, asks, mechanism, "seller", j, seed=seed, seller_fee=fee)
    assert best.best_utility <= with_fee + 1e-9
    assert best.gain == pytest.approx(max(-best.truthful_utility, 0.0), abs=1e-9)


def test_fees_can_make_asking_the_cost_lose_money():
    # VCG pays the seller min(a_2, b_1) = 4 > its cost 3.5, but it keeps 80 % of it: 3.2 - 3.5 < 0
    m = incentives.best_misreport([10.0, 3.0], [3.5, 4.0], "vcg", "seller", 0, seller_fee=0.2)
    assert m.truthful_utility == pytest.approx(-0.3)
    assert m.best_utility == 0.0 and m.report > 3.5
    with pytest.raises(ValueError, match="seller_fee must be a share in"):
        incentives.utility([10.0], [1.0], "vcg", "seller", 0, 1.0, seller_fee=1.0)
    with pytest.raises(ValueError, match="seller_fee"):
        incentives.audit_markets([([10.0], [1.0])], "vcg", seller_fee=-0.1)


def test_households_lose_the_unit_traders_guarantee_under_trade_reduction():
    # buyer household 0 owns slots 0 and 1 (value 10); truthful, its slot 1 is the k-th bid and is dropped,
    # and its own bid 10 is the price of slot 0; bidding just above 7 for both, it still trades slot 0 at 7
    bids, asks = [10.0, 10.0, 7.0], [1.0, 2.0, 9.5]
    truthful = incentives.utility(bids, asks, "trade-reduction", "buyer", [0, 1], 10.0)
    m = incentives.best_misreport(bids, asks, "trade-reduction", "buyer", [0, 1])
    assert truthful == 0.0 and m.gain == pytest.approx(3.0, abs=1e-6) and m.slots == 2
    # each slot alone, as a unit trader, has no gain
    assert incentives.best_misreport(bids, asks, "trade-reduction", "buyer", 1).gain <= 1e-9


def test_ppoems_expected_utility_is_the_mean_over_its_private_prices():
    bids, asks = [28.0, 22.0, 19.0], [9.0, 12.0, 18.0]
    params = {"eps1": 0.5, "eps2": 0.5, "length": 10}
    u = incentives.utility(bids, asks, "ppoem", "seller", 1, 12.0, n_draws=20_000, seed=3, **params)
    assert u == incentives.utility(bids, asks, "ppoem", "seller", 1, 12.0, n_draws=20_000, seed=3, **params)
    direct = []
    for s in range(2_000):  # the mechanism itself, cleared again and again
        o = mechanisms.clear(bids, asks, "ppoem", rng=np.random.default_rng([11, s]), **params)
        direct.append(o.seller_gets[list(o.seller).index(1)] - 12.0)
    assert u == pytest.approx(np.mean(direct), abs=4 * np.std(direct) / np.sqrt(len(direct)))


def test_bad_audit_arguments_are_refused():
    with pytest.raises(ValueError, match="share one true value"):
        incentives.best_misreport([10.0, 8.0], [1.0], "vcg", "buyer", [0, 1])
    with pytest.raises(ValueError, match="distinct buyer slots"):
        incentives.utility([10.0, 8.0], [1.0], "vcg", "buyer", [0, 0], 10.0)
    with pytest.raises(ValueError, match="no seller slot belongs to owner 3"):
        incentives.audit_traders([10.0], [1.0], "vcg", traders=[("seller", 3)])
    with pytest.raises(ValueError, match="one integer owner per slot"):
        incentives.audit_traders([10.0, 9.0], [1.0], "vcg", bid_owner=[0])
    with pytest.raises(ValueError, match="no market has an efficient trade"):
        incentives.audit_markets([([1.0], [5.0])], "vcg")
    with pytest.raises(ValueError, match="unknown mechanism"):
        incentives.wash_trading_gain([1.0, 2.0], 0.0, 0.1, [1.0], "poe", price=10.0)
    with pytest.raises(ValueError, match="fee_rate must be in"):
        incentives.wash_trading_gain([1.0, 2.0], 0.0, 1.5, [1.0], "poem", price=10.0)
    with pytest.raises(ValueError, match="needs the parameter"):
        incentives.wash_trading_gain([1.0, 2.0], 0.0, 0.1, [1.0], "ppoem", price=10.0)
    with pytest.raises(ValueError, match="not the published benchmark table"):
        incentives.published_gain_from_trade(path="README.md")


def test_wash_trading_gain_against_closed_forms():
    e, x, fee, price = np.array([1.0, 3.0, 6.0]), np.array([0.5, 4.0]), 0.07, 25.0
    poem = incentives.wash_trading_gain(e, 0.0, fee, x, "poem", price=price)
    for j in range(3):  # PoEM's leader law (Eq. 4-5), the pool being only the wash trade's own mining fee
        lead_before, lead_after = e[j] / e.sum(), (e[j] + x) / (e.sum() + x)
        assert (poem[j] >= 500 * (lead_after - lead_before) - 2 * fee * price * x - 1e-9).all()
    poa = incentives.wash_trading_gain(e, 2.0, fee, x, "poa", price=price)
    assert np.allclose(poa, -2 * fee * price * x)  # PoA: the election ignores energy, only the fees remain
    one_party = incentives.wash_trading_gain(e, 2.0, fee, x, "poa", price=price, coalition=True)
    assert np.allclose(one_party, -fee * price * x)  # the transaction fee returns to the VPP
    flat = incentives.wash_trading_gain(e, 2.0, fee, x, "ppoem", price=price, eps3=1e-12, sensitivity=1.0)
    # a vanishing budget makes PPoEM's election uniform; the mining fee of the wash trade joins the pool, and a
    # uniform election pays it back on average (0.5 + 0.1 + 0.05) / 3 of it (Eq. 12 in expectation)
    assert np.allclose(flat, poa + 0.65 / 3 * fee * price * x, atol=1e-6)
    rows = incentives.wash_trading_gain(np.stack([e, e[::-1]]), [2.0, 1.0], [fee, 0.01], x, "poem", price=price)
    assert rows.shape == (2, 3, 2)


def test_audit_markets_reports_budget_efficiency_and_individual_rationality():
    markets = [([10.0, 8.0, 6.0, 2.0], [1.0, 3.0, 5.0, 9.0]), ([12.0, 4.0], [3.0, 7.0])]
    vcg = incentives.audit_markets(markets, "vcg")
    assert vcg.budget < 0 and vcg.efficiency == 1.0 and vcg.individually_rational and (vcg.gains <= 1e-9).all()
    tr = incentives.audit_markets(markets, "trade-reduction")
    assert tr.budget > 0 and tr.efficiency < 1.0
    bid = incentives.audit_markets(markets, "pay-as-bid")
    assert bid.gains.max() > 0 and bid.gains.size == 12


def test_slot_market_is_the_round_the_market_clears():
    slots = market.slot_market([0.35, 0.0, 0.2], [0.0, 0.25, 0.0], [9.0, 10.0, 12.0], [20.0, 22.0, 25.0])
    assert slots.ask_owner.tolist() == [0, 0, 0, 2, 2] and slots.bid_owner.tolist() == [1, 1]
    assert np.allclose(slots.asks, [0.9, 0.9, 0.9, 1.2, 1.2]) and np.allclose(slots.bids, [2.2, 2.2])
    with pytest.raises(ValueError, match="one entry per home"):
        market.slot_market([0.35], [0.0, 0.25], [9.0], [20.0])


def test_published_benchmark_is_read_as_shipped():
    table = incentives.published_gain_from_trade()
    assert table["mcafee"][10] == (98.37, 91.78)
    assert table["sbba"][100] == (99.49, 99.49)
    assert table["trade-reduction"][5] == (79.11, 53.42)


def test_mcafee_sbba_and_trade_reduction_reproduce_the_published_benchmark_for_every_seed():
    # Gonen and Segal-Halevi (AAAI 2020), 50,000 markets per size; five independent seeds here
    table = incentives.published_gain_from_trade()
    z = []
    for seed in range(5):
        rng = np.random.default_rng([2020, seed])
        for name in table:
            for n in (5, 10, 25):
                res = incentives.gain_from_trade(name, n, 400, rng)
                for value, se, published in (
                    (res.total, res.total_se, table[name][n][0]),
                    (res.market, res.market_se, table[name][n][1]),
                ):
                    z.append((value - published) / np.sqrt(se**2 * (1 + 400 / 50_000) + 0.01**2 / 12))
    assert np.abs(z).max() < norm.ppf(1 - 0.01 / (2 * len(z))), np.round(z, 2)


@pytest.fixture(scope="module")
def homes():
    return book_data().homes


@pytest.mark.parametrize("seed", range(5))
def test_the_chapters_verdicts_hold_for_every_seed(seed, homes):
    rng = np.random.default_rng([12, seed])
    model = market.PriceModel()
    markets = [
        (rng.uniform(model.bid_low, model.bid_high, 5), rng.uniform(model.ask_low, model.ask_high, 5)) for _ in range(3)
    ]
    ppoem = {"eps1": 0.1, "eps2": 0.1, "length": 10, "n_draws": 5}
    audit = {
        name: incentives.audit_markets(markets, name, seed=seed, **(ppoem if name == "ppoem" else {}))
        for name in mechanisms.MECHANISMS
    }
    for name in ("pay-as-bid", "pay-as-ask", "ppoem"):  # most traders gain by lying under the paper's prices
        assert np.mean(audit[name].gains > 1e-9) > 0.5, name
    for name in TRUTHFUL:
        assert audit[name].gains.max() <= 1e-9, name
    assert audit["k-double"].gains.mean() < audit["pay-as-bid"].gains.mean()
    # the election: wash trading pays under PoEM for most (round, VPP) pairs, never under PoA
    _, _, demand = market.hourly_energy(homes)
    rounds = market.run_rounds(homes, limits_from_quantiles(demand, (0.5, 0.9, 0.99)), rng)
    picked = rng.choice(np.flatnonzero(rounds.traded), 10, replace=False)
    args = (
        rounds.vpp_energy[picked],
        rounds.mining_sum[picked],
        fee_rates(rounds.state[picked]),
        np.geomspace(0.1, 300.0, 14),
    )
    price = model.bid_high * (1 + model.jitter)
    assert (incentives.wash_trading_gain(*args, "poem", price=price).max(axis=2) > 0).mean() > 0.9
    assert (incentives.wash_trading_gain(*args, "poa", price=price).max(axis=2) <= 0).all()
    tiny = incentives.wash_trading_gain(*args, "ppoem", price=price, eps3=0.001, sensitivity=1.0)
    assert (tiny.max(axis=2) <= 0).all()


def test_the_best_wash_trade_beats_every_volume_of_a_fine_grid():
    g = np.random.default_rng(11)
    energy = g.uniform(0.0, 5.0, (4, 5))
    pool, fee = g.uniform(0.0, 30.0, 4), np.array([0.1, 0.07, 0.03, 0.01])
    for mechanism, params in (("poem", {}), ("ppoem", {"eps3": 0.1, "sensitivity": 1.0})):
        for coalition in (False, True):
            best = incentives.best_wash_trade(energy, pool, fee, mechanism, price=30.0, coalition=coalition, **params)
            volumes = np.linspace(0.0, best.bound.max(), 20_001)
            grid = incentives.wash_trading_gain(
                energy, pool, fee, volumes, mechanism, price=30.0, coalition=coalition, **params
            )
            assert np.all(grid.max(axis=2) <= np.maximum(best.gain, 0.0) + 1e-7)
            assert np.all((best.gain > 0) == (grid.max(axis=2) > 1e-9))


def test_no_wash_trade_pays_beyond_the_bound():
    best = incentives.best_wash_trade([1.0, 3.0, 0.5], 12.0, 0.1, "poem", price=20.0)
    volumes = best.bound[0] * np.array([1.0, 2.0, 10.0])
    beyond = incentives.wash_trading_gain([1.0, 3.0, 0.5], 12.0, 0.1, volumes, "poem", price=20.0)
    assert np.all(beyond <= 0)
    assert np.all(best.kwh <= best.bound[0])


def test_a_free_wash_trade_has_no_best_volume():
    with pytest.raises(ValueError, match="free"):
        incentives.best_wash_trade([1.0, 3.0], 0.0, 0.0, "poem", price=10.0)
