"""Miner election (Eq. 4-6, 11) and rewards (Eq. 7, 12)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from vpt.market.mining import (
    NO_WINNER,
    elect,
    own_place_probabilities,
    place_probabilities,
    pool_from_rewards,
    rewards,
    top_sellers,
    winner_probabilities,
)

ENERGY = np.array([1.0, 2.0, 3.0, 0.0, 4.0, 10.0])
SETTINGS = [("poem", {}), ("ppoem", {"eps3": 0.5, "sensitivity": 1.0}), ("poa", {}), ("poe", {"floor": 0.1})]
energies = st.lists(st.floats(0.0, 1e6, allow_nan=False), min_size=1, max_size=12)


def test_poem_probabilities_are_energy_shares():
    np.testing.assert_allclose(winner_probabilities(ENERGY, "poem"), ENERGY / ENERGY.sum())


def test_ppoem_is_the_exponential_mechanism_of_eq_11():
    p = winner_probabilities(ENERGY, "ppoem", eps3=0.2, sensitivity=2.0)
    w = np.exp(0.2 * ENERGY / 4.0)
    np.testing.assert_allclose(p, w / w.sum())


def test_poa_is_uniform_and_poe_favours_balance():
    np.testing.assert_allclose(winner_probabilities(ENERGY, "poa"), 1 / 6)
    p = winner_probabilities(ENERGY, "poe")
    assert np.argmax(p) == 3 and np.argmin(p) == 5


@given(energies, st.sampled_from(range(4)), st.floats(1e-4, 1e4))
def test_probabilities_are_a_distribution_at_any_scale(energy, which, eps3):
    mechanism, params = SETTINGS[which]
    if mechanism == "ppoem":
        params = {"eps3": eps3, "sensitivity": 1.0}
    if mechanism == "poem" and sum(energy) == 0:
        return
    p = winner_probabilities(energy, mechanism, **params)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    assert p.sum() == pytest.approx(1.0)


def test_no_overflow_for_huge_eps3_times_energy():
    p = winner_probabilities([1e6, 2e6], "ppoem", eps3=1e3, sensitivity=1e-3)
    np.testing.assert_array_equal(p, [0.0, 1.0])
    w = elect([1e6, 2e6, 3e6], "ppoem", 5, np.random.default_rng(0), eps3=1e3, sensitivity=1e-3)
    np.testing.assert_array_equal(w, [[2, 1, 0]] * 5)


@given(energies, st.integers(1, 50), st.integers(0, 2**31), st.sampled_from(range(4)))
def test_elect_never_repeats_a_vpp_within_one_election(energy, n, seed, which):
    mechanism, params = SETTINGS[which]
    w = elect(energy, mechanism, n, np.random.default_rng(seed), **params)
    assert w.shape == (n, 3)
    for row in w:
        filled = row[row != NO_WINNER]
        assert len(set(filled.tolist())) == filled.size
        assert np.all(row[: filled.size] == filled)  # places fill in order


@pytest.mark.parametrize(("mechanism", "params"), SETTINGS)
def test_simulated_places_agree_with_exact_probabilities(mechanism, params):
    # chi-square goodness of fit at a fixed seed, for each of the three places
    n = 20000
    w = elect(ENERGY, mechanism, n, np.random.default_rng(2024), **params)
    exact = place_probabilities(ENERGY, mechanism, **params)
    for place in range(3):
        expected = exact[place] * n
        observed = np.bincount(w[:, place][w[:, place] >= 0], minlength=ENERGY.size)
        keep = expected > 0
        assert observed[~keep].sum() == 0
        assert stats.chisquare(observed[keep], expected[keep]).pvalue > 1e-3, (mechanism, place)


def test_first_place_of_place_probabilities_is_winner_probabilities():
    for mechanism, params in SETTINGS:
        np.testing.assert_allclose(
            place_probabilities(ENERGY, mechanism, **params)[0], winner_probabilities(ENERGY, mechanism, **params)
        )


def test_poem_with_few_traders_leaves_places_empty_and_no_trade_elects_nobody():
    w = elect([0.0, 5.0, 0.0], "poem", 4, np.random.default_rng(0))
    np.testing.assert_array_equal(w, [[1, NO_WINNER, NO_WINNER]] * 4)
    assert np.all(elect([0.0, 0.0], "poem", 3, np.random.default_rng(0)) == NO_WINNER)
    with pytest.raises(ValueError, match="no energy was traded"):
        winner_probabilities([0.0, 0.0], "poem")


def test_one_row_of_energy_per_election():
    energy = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    w = elect(energy, "poem", 2, np.random.default_rng(0))
    np.testing.assert_array_equal(w[:, 0], [0, 2])
    with pytest.raises(ValueError, match="2 rows but n_elections is 3"):
        elect(energy, "poem", 3, np.random.default_rng(0))


@pytest.mark.parametrize(
    ("energy", "mechanism", "params", "message"),
    [
        ([1.0, np.nan], "poem", {}, "finite"),
        ([1.0, np.inf], "poem", {}, "finite"),
        ([1.0, -1.0], "poem", {}, "non-negative"),
        ([], "poa", {}, "empty"),
        ([[[1.0]]], "poa", {}, "1-D"),
        ([1.0], "pow", {}, "unknown mechanism"),
        ([1.0], "ppoem", {"sensitivity": 1.0}, "needs the parameter 'eps3'"),
        ([1.0], "ppoem", {"eps3": 0.0, "sensitivity": 1.0}, "eps3 must be finite and > 0"),
        ([1.0], "ppoem", {"eps3": 1.0, "sensitivity": -1.0}, "sensitivity"),
        ([1.0], "poem", {"eps3": 1.0}, "takes no parameter"),
    ],
)
def test_bad_input_is_refused(energy, mechanism, params, message):
    with pytest.raises(ValueError, match=message):
        winner_probabilities(energy, mechanism, **params)
    with pytest.raises(ValueError, match=message):
        elect(energy, mechanism, 1, np.random.default_rng(0), **params)


def test_elect_refuses_bad_counts():
    with pytest.raises(ValueError, match="n_elections"):
        elect([1.0], "poa", 0, np.random.default_rng(0))


def test_poem_rewards_conserve_the_pool():
    r = rewards(np.array([[0, 1, 2], [3, NO_WINNER, NO_WINNER]]), [100.0, 50.0], "poem", mining_reward=500)
    np.testing.assert_allclose(r.paid, [[570.0, 20.0, 10.0], [535.0, 0.0, 0.0]])
    np.testing.assert_allclose(r.unpaid, [0.0, 15.0])
    np.testing.assert_allclose(r.minted, [500.0, 500.0])


def test_ppoem_rewards_leave_seven_tenths_of_the_remainder_unpaid():
    rng = np.random.default_rng(5)
    m = np.full(100000, 100.0)
    r = rewards(np.tile([0, 1, 2], (m.size, 1)), m, "ppoem", rng=rng)
    r_r = r.paid[:, 0] - 500.0
    np.testing.assert_allclose(r.paid[:, 1], 0.2 * (m - r_r))
    np.testing.assert_allclose(r.unpaid, 0.7 * (m - r_r))
    assert r.unpaid.mean() == pytest.approx(35.0, rel=0.01)  # E[0.7 R_o] = 0.35 M_sum


def test_poa_and_poe_pay_only_the_fixed_reward_and_no_leader_mints_nothing():
    r = rewards(np.array([[2, 0, 1], [NO_WINNER] * 3]), [10.0, 0.0], "poa")
    np.testing.assert_allclose(r.paid, [[500.0, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(r.minted, [500.0, 0.0])


def test_rewards_refuse_bad_input():
    with pytest.raises(ValueError, match="mining_sum"):
        rewards(np.array([[0, 1, 2]]), [-1.0], "poem")
    with pytest.raises(ValueError, match="pass rng"):
        rewards(np.array([[0, 1, 2]]), [1.0], "ppoem")
    with pytest.raises(ValueError, match="shape"):
        rewards(np.array([0, 1, 2]), [1.0], "poem")


def test_the_published_rewards_give_back_the_fee_pool_under_both_reward_rules():
    rng = np.random.default_rng(8)
    winners = np.vstack([elect(e, "ppoem", 1, rng, eps3=0.1, sensitivity=1.0) for e in rng.uniform(0.5, 5.0, (200, 6))])
    winners[:5, 1:] = NO_WINNER  # rounds in which only one VPP sold
    pool = rng.uniform(0.0, 80.0, winners.shape[0])
    for mechanism in ("poem", "ppoem"):
        paid = rewards(winners, pool, mechanism, rng=rng).paid
        found, known = pool_from_rewards(winners, paid, mechanism)
        assert np.allclose(found[known], pool[known], rtol=1e-12, atol=1e-9)
        assert known.sum() == (200 if mechanism == "poem" else 195)


def test_bad_rewards_are_refused_when_reading_the_pool():
    with pytest.raises(ValueError, match="shape"):
        pool_from_rewards([[0, 1, 2]], [[1.0, 2.0]], "poem")
    with pytest.raises(ValueError, match="mechanism"):
        pool_from_rewards([[0, 1, 2]], [[1.0, 2.0, 3.0]], "poa")


def test_every_vpp_tied_for_the_largest_sale_is_a_top_seller():
    mask = top_sellers([[2.0, 5.0, 5.0, 1.0], [0.0, 0.0, 0.0, 0.0], [4.0, 0.0, 0.0, 0.0]])
    assert mask.tolist() == [[False, True, True, False], [False] * 4, [True, False, False, False]]
    with pytest.raises(ValueError, match="non-negative"):
        top_sellers([1.0, -1.0])


@pytest.mark.parametrize(
    ("mechanism", "params"),
    [("poem", {}), ("ppoem", {"eps3": 0.1, "sensitivity": 1.0}), ("ppoem", {"eps3": 50.0, "sensitivity": 0.01})],
)
def test_own_place_probabilities_are_the_place_law_of_each_rows_own_vpp(mechanism, params):
    rng = np.random.default_rng(8)
    energy = rng.uniform(0, 5, (40, 7))
    energy[::5, 2] = 0.0  # VPPs without trade: PoEM gives them no chance
    own = rng.integers(0, 7, 40)
    full = place_probabilities(energy, mechanism, **params)
    np.testing.assert_allclose(
        own_place_probabilities(energy, own, mechanism, **params), full[np.arange(40), :, own], atol=1e-15
    )
    with pytest.raises(ValueError, match="own must hold one VPP index"):
        own_place_probabilities(energy, own[:-1], mechanism, **params)
