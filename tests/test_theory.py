"""Closed forms of Theorems 6-9 (printed and derived) and their simulators."""

from fractions import Fraction

import numpy as np
import pytest

from vpt import theory
from vpt.theory import simulate

# ---------------------------------------------------------------- Theorem 6


def test_market_race_hand_values():
    assert theory.market_race_exact(2, 1) == Fraction(1, 3)
    assert theory.market_race_ballot(2, 1) == pytest.approx(1 / 3)
    assert theory.market_race_printed(2, 1, 1) == pytest.approx(0.0)
    # printed = derived for x one report behind: (Sx - E - Sy)/(Sx - E + Sy)
    assert theory.market_race_printed(1500, 1250, 125) == pytest.approx(125 / 2625)


def test_market_race_singular_points():
    assert theory.market_race_ballot(3, 3) == 0.0
    assert theory.market_race_ballot(2, 5) == 0.0
    assert theory.market_race_ballot(0, 0) == 0.0
    assert np.isnan(theory.market_race_printed(1, 0, 1))  # a single report: 0/0
    assert theory.market_race_exact(1, 0) == 1


@pytest.mark.parametrize(("a", "b"), [(2, 1), (5, 3), (10, 3), (7, 6)])
def test_exact_count_matches_ballot_formula(a, b):
    assert float(theory.market_race_exact(a, b)) == pytest.approx(float(theory.market_race_ballot(a, b)))


def test_market_race_simulation_within_four_standard_errors_of_derived():
    rng = np.random.default_rng(66)
    for a, b in [(3, 1), (12, 10), (30, 10)]:
        p = float(theory.market_race_ballot(a, b))
        hits = simulate.market_race(a, b, 20000, rng).mean()
        assert abs(hits - p) <= 4 * np.sqrt(p * (1 - p) / 20000)


def test_market_race_refuses_negative_energy():
    with pytest.raises(ValueError, match="S_x"):
        theory.market_race_ballot(-1.0, 2.0)
    with pytest.raises(ValueError, match="E must be"):
        theory.market_race_printed(3.0, 2.0, -1.0)


# ---------------------------------------------------------------- Theorem 7


def test_steady_share_and_transient():
    assert theory.steady_share(0.2, 0.6) == pytest.approx(0.75)
    assert np.isnan(theory.steady_share(0.0, 0.0))
    c = theory.share_after(np.array([0, 1, 2]), 0.1, 0.2, 0.6)
    np.testing.assert_allclose(c, [0.1, 0.75 + (0.1 - 0.75) * 0.2, 0.75 + (0.1 - 0.75) * 0.04])
    np.testing.assert_allclose(theory.share_after(np.array([0, 1, 2]), 0.3, 1.0, 1.0), [0.3, 0.7, 0.3])  # periodic
    np.testing.assert_allclose(theory.share_after(np.array([5]), 0.3, 0.0, 0.0), [0.3])  # frozen


def test_two_state_simulation_matches_transient():
    rng = np.random.default_rng(7)
    sim = simulate.two_state_shares(20000, 10, 0.1, 0.3, 0.2, rng)
    exact = theory.share_after(np.arange(11), 0.1, 0.3, 0.2)
    assert np.abs(sim - exact).max() <= 4 * np.sqrt(0.25 / 20000)


@pytest.mark.parametrize(("po", "pi"), [(-0.1, 0.5), (0.5, 1.2), (np.nan, 0.5)])
def test_probabilities_outside_unit_interval_are_refused(po, pi):
    with pytest.raises(ValueError, match=r"probability|NaN"):
        theory.steady_share(po, pi)


# ---------------------------------------------------------------- Theorem 8

P3 = np.array([[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5]])


def test_mean_sojourn_of_single_state_is_geometric_mean():
    assert theory.mean_sojourn(P3, [0]) == pytest.approx(1 / 0.3)
    assert theory.mean_sojourn_printed(P3) == pytest.approx(1 / 0.3)


def test_printed_formula_overcounts_exits_with_grouped_states():
    P4 = np.array([[0.5, 0.25, 0.125, 0.125], [1 / 3, 1 / 3, 1 / 6, 1 / 6], [0.25] * 4, [0.5, 1 / 6, 1 / 6, 1 / 6]])
    assert theory.mean_sojourn(P4, [0]) == pytest.approx(2.0)
    assert theory.mean_sojourn_printed(P4, [0], [1], [2, 3]) == pytest.approx(4 / 3)


def test_simulated_visits_agree_with_mean_sojourn():
    path = simulate.simulate_chain(P3, 100_000, 0, np.random.default_rng(8))
    mean, se, n = simulate.mean_run_length(path == 0)
    assert abs(mean - 1 / 0.3) <= 4 * se and n > 1000


def test_run_lengths_drop_runs_cut_by_the_ends():
    assert simulate.run_lengths([True, True, False, True, False, False, True, True, True, False, True]).tolist() == [
        1,
        3,
    ]


def test_bad_chains_are_refused():
    with pytest.raises(ValueError, match="sum to 1"):
        theory.mean_sojourn(np.array([[0.5, 0.4], [0.5, 0.5]]), [0])
    with pytest.raises(ValueError, match="reducible"):
        theory.stationary_distribution(np.eye(2))
    with pytest.raises(ValueError, match="overlap"):
        theory.mean_sojourn_printed(P3, [0], [0], [2])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        theory.mean_sojourn(np.array([[1.5, -0.5], [0.5, 0.5]]), [0])


# ---------------------------------------------------------------- Theorem 9


def test_leader_profit_hand_values_and_rho_one_limit():
    # rho = 1/2, T_L = 1: throughput = lambda * (1 - 1/2) / (1 - 1/4) = 2/3 lambda
    assert theory.throughput(1.0, 2.0, 1) == pytest.approx(2 / 3)
    assert theory.leader_profit(1.0, 2.0, 1, 3.0, 0.5) == pytest.approx(2.0 - 1.0)
    assert theory.throughput(5.0, 5.0, 4) == pytest.approx(5.0 * 4 / 5)  # rho = 1: T_L / (T_L + 1)
    near = theory.throughput(5.0, 5.0 * (1 + 1e-7), 4)
    assert near == pytest.approx(4.0, rel=1e-5)


def test_queue_simulation_within_four_standard_errors():
    rng = np.random.default_rng(9)
    for lam, mu, k in [(10, 12, 10), (10, 10, 3), (8, 4, 2)]:
        runs = simulate.queue_throughput(lam, mu, k, 200.0, 60, rng, warmup=10.0)
        se = runs.std(ddof=1) / np.sqrt(runs.size)
        assert abs(runs.mean() - theory.throughput(lam, mu, k)) <= 4 * se


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1.0, 2.0, 3), "arrival rate"),
        ((1.0, 0.0, 3), "service rate"),
        ((1.0, 2.0, 0), "capacity"),
        ((1.0, 2.0, 1.5), "capacity"),
    ],
)
def test_bad_queue_parameters_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        theory.throughput(*args)


def test_negative_cost_is_refused():
    with pytest.raises(ValueError, match="cost"):
        theory.leader_profit(1.0, 2.0, 3, 1.0, -1.0)
