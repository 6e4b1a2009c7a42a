"""The repaired market: its exact price law, both samplers (seeded NumPy and OpenDP's) against it, its guarantee."""

import numpy as np
import pytest
from scipy import stats

from vpt.privacy import laws, repair


def chi_square_p(draws, law):
    counts = np.bincount(draws, minlength=law.size)
    keep = law * draws.size >= 5
    observed = np.append(counts[keep], counts[~keep].sum())
    expected = np.append(law[keep], law[~keep].sum()) * draws.size
    if expected[-1] == 0:
        observed, expected = observed[:-1], expected[:-1]
    return stats.chisquare(observed, expected).pvalue


QUALITY = np.array([0.0, 3.0, 5.0, 6.0, 6.0, 2.0])


def test_price_law_agrees_with_adaptive_quadrature():
    from scipy import integrate

    u, s = np.array([0.0, 2.0, 2.0, 7.0, 6.5, -30.0]), 1.7
    z = (u - u.max()) / s

    def density(x, i):
        return np.exp(-(x - z[i])) * np.prod(-np.expm1(-(x - np.delete(z, i))))

    quad = np.array(
        [integrate.quad(density, 0.0, np.inf, args=(i,), epsabs=0.0, epsrel=1e-12, limit=200)[0] for i in range(u.size)]
    )
    assert repair.price_law(u, s) == pytest.approx(quad / quad.sum(), rel=1e-8, abs=1e-15)


def test_price_law_for_two_candidates_is_half_the_exponential_tail():
    d, s = 1.5, 2.0
    law = repair.price_law([0.0, d], s)
    assert law[0] == pytest.approx(0.5 * np.exp(-d / s), rel=1e-9)
    assert repair.price_law(QUALITY, 3.0).sum() == pytest.approx(1.0)


def test_the_seeded_sampler_draws_the_exact_law_and_not_another():
    g = np.random.default_rng(3)
    draws = np.array([repair.select_price(QUALITY, 2.0, rng=g) for _ in range(20_000)])
    assert chi_square_p(draws, repair.price_law(QUALITY, 2.0)) > 1e-4
    assert chi_square_p(draws, repair.price_law(QUALITY, 4.0)) < 1e-6  # the test has the power to see a wrong scale


def test_opendp_sampler_draws_the_exact_law_and_not_another():
    # OpenDP samples from the operating system's randomness and cannot be seeded: a statistical test, with a
    # threshold (1e-6) that a correct sampler fails once in a million runs
    draws = np.array([repair.select_price(QUALITY, 2.0) for _ in range(5_000)])
    assert chi_square_p(draws, repair.price_law(QUALITY, 2.0)) > 1e-6
    assert chi_square_p(draws, repair.price_law(QUALITY, 4.0)) < 1e-6


def test_the_repaired_price_is_eps_dp_for_any_household_added_or_removed():
    rng = np.random.default_rng(5)
    for _ in range(20):
        bids, asks = rng.uniform(10, 30, 40), rng.uniform(6, 22, 40)
        bid_owner, ask_owner = rng.integers(0, 8, 40), rng.integers(8, 16, 40)
        cap, eps = 3, 0.7
        u = repair.clearing_quality(bids, asks, bid_owner=bid_owner, ask_owner=ask_owner, cap=cap)
        scale = repair.noise_scale(eps, cap)
        for h in range(16):
            kb, ka = bid_owner != h, ask_owner != h
            u2 = repair.clearing_quality(bids[kb], asks[ka], bid_owner=bid_owner[kb], ask_owner=ask_owner[ka], cap=cap)
            # the same household turned around: its bids offered as asks at the same prices, or its asks bid
            mb, ma = bid_owner == h, ask_owner == h
            u3 = repair.clearing_quality(
                np.concatenate([bids[~mb], asks[ma]]),
                np.concatenate([asks[~ma], bids[mb]]),
                bid_owner=np.concatenate([bid_owner[~mb], ask_owner[ma]]),
                ask_owner=np.concatenate([ask_owner[~ma], bid_owner[mb]]),
                cap=cap,
            )
            for other in (u2, u3):
                assert np.abs(u - other).max() <= cap
                loss = laws.exact_epsilon(repair.price_law(u, scale), repair.price_law(other, scale))
                assert loss <= eps + 1e-9


def test_a_change_that_moves_scores_both_ways_needs_the_factor_two():
    cap, eps = 3, 1.0
    before, after = np.array([0.0, cap]), np.array([cap, 0.0])
    right = laws.exact_epsilon(
        repair.price_law(before, repair.noise_scale(eps, cap)), repair.price_law(after, repair.noise_scale(eps, cap))
    )
    assert 0.8 * eps < right <= eps  # log(2 e^(eps/2) - 1): more than half the budget, within it
    half_noise = laws.exact_epsilon(repair.price_law(before, cap / eps), repair.price_law(after, cap / eps))
    assert half_noise > eps  # without the factor 2 the guarantee fails
    # OpenDP's own privacy map for the deployed measurement agrees
    assert repair._opendp_noisy_max(repair.noise_scale(eps, cap)).map(float(cap)) == pytest.approx(eps)


def test_clearing_at_a_price_trades_every_slot_that_accepts_it_on_the_short_side():
    bids, asks = np.array([20.0, 18.0, 15.0, 30.0]), np.array([10.0, 17.0, 19.0])
    b, a = repair.clear_at(bids, asks, 17.5, np.random.default_rng(0))
    assert b.size == a.size == 2 and set(a) == {0, 1} and np.all(bids[b] >= 17.5)
    with pytest.raises(ValueError):
        repair.clear_at(bids, asks, -1.0, np.random.default_rng(0))


def test_the_cap_counts_at_most_cap_slots_of_each_household():
    bids = np.full(10, 20.0)
    u = repair.clearing_quality(bids, [5.0] * 10, [15.0], bid_owner=np.zeros(10, int), ask_owner=np.arange(10), cap=4)
    assert u.tolist() == [4.0]
