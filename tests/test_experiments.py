"""The mining experiment: rounds, elections, rewards and coin flows."""

import numpy as np
import pytest

from vpt import data, market
from vpt.market import experiments
from vpt.market.mining import NO_WINNER


@pytest.fixture(scope="module")
def setup():
    homes = data.generate_households(100, "2013-01-01", 4, seed=3)
    rounds = experiments.month_of_rounds(homes, np.random.default_rng(1), epsilons=(0.1,))
    runs = experiments.run_elections(
        rounds, experiments.paper_settings(epsilons=(0.1,)), 3000, np.random.default_rng(2)
    )
    return rounds, runs


def test_every_setting_uses_the_same_rounds_and_only_traded_ones(setup):
    rounds, runs = setup
    idx = {name: run.round_index.tolist() for name, run in runs.items()}
    assert len({tuple(v) for v in idx.values()}) == 1
    assert rounds["poem"].traded[next(iter(runs.values())).round_index].all()


def test_counts_match_the_exact_expectation_within_five_standard_deviations(setup):
    _, runs = setup
    for run in runs.values():
        var = np.where(run.variance > 0, run.variance, 1.0)
        assert np.abs((run.counts() - run.expected) / np.sqrt(var)).max() < 5
        assert run.counts()[0].sum() == (run.winners[:, 0] != NO_WINNER).sum()


def test_coin_flows_satisfy_both_identities(setup):
    rounds, runs = setup
    for run in runs.values():
        if run.setting.mechanism not in ("poem", "ppoem"):
            continue
        f = experiments.coin_flows(run, rounds[run.setting.pricing])
        assert f["buyers_paid"] == pytest.approx(f["sellers_received"] + f["transaction_fees"] + f["mining_pool"])
        assert f["mining_pool"] == pytest.approx(f["fees_paid_to_miners"] + f["unpaid"])
        assert f["minted"] == 500.0 * (run.winners[:, 0] != NO_WINNER).sum()


def test_accumulated_rewards_add_up_to_what_was_paid(setup):
    _, runs = setup
    for run in runs.values():
        assert experiments.accumulate(run, 10).sum() == pytest.approx(run.rewards.paid.sum())


def test_settings_refuse_bad_sensitivity():
    with pytest.raises(ValueError, match="sensitivity"):
        experiments.paper_settings(sensitivity=0.0)


def test_elections_need_a_round_with_trades():
    zero = data.generate_households(10, "2013-01-01", 1, seed=0)
    # no PV at all: every home only consumes, so nobody sells
    homes = data.Households(
        zero.customer,
        zero.postcode,
        zero.capacity_kwp,
        zero.timestamps,
        zero.consumption,
        zero.controlled_load,
        np.zeros_like(zero.generation),
    )
    rounds = experiments.month_of_rounds(homes, np.random.default_rng(0), epsilons=(), vpp_sizes=[5, 5])
    with pytest.raises(ValueError, match="no round had a trade"):
        experiments.run_elections(rounds, experiments.paper_settings(epsilons=())[:1], 10, np.random.default_rng(0))


def test_home_slots_traded_are_the_trades_of_month_of_rounds():
    homes = data.generate_households(n_homes=20, n_days=2, seed=3)
    sizes = (5, 5, 10)
    rounds = experiments.month_of_rounds(homes, np.random.default_rng(8), epsilons=(), vpp_sizes=sizes)["poem"]
    bought, sold = experiments.home_slots_traded(homes, np.random.default_rng(8), vpp_sizes=sizes)
    vpp = market.assign_vpps(sizes, homes.n_homes)
    by_vpp = np.stack([sold[vpp == v].sum(axis=0) for v in range(len(sizes))], axis=1) * 0.1
    np.testing.assert_allclose(by_vpp, rounds.vpp_energy, atol=1e-12)
    np.testing.assert_array_equal(bought.sum(axis=0), rounds.n_trades)
    np.testing.assert_array_equal(sold.sum(axis=0), rounds.n_trades)
