"""Mechanisms under audit: exact laws, the PPoEM string density, and the repaired PPoEM."""

import math

import numpy as np
import pytest
from scipy import stats

from vpt import privacy
from vpt.privacy import audit, repair


def test_report_noisy_max_law_matches_simulation():
    law = privacy.report_noisy_max_law([1.0, 0.0, 0.0], 1.0)
    x = privacy.report_noisy_max(1.0).sampler((1.0, 0.0, 0.0), 200_000, np.random.default_rng(0))
    observed = np.bincount(x, minlength=3)
    assert stats.chisquare(observed, law * observed.sum()).pvalue > 1e-3
    np.testing.assert_allclose(privacy.report_noisy_max_law([0.0, 0.0], 2.0), [0.5, 0.5])


def test_laplace_string_density_integrates_to_one_when_truncated():
    # one draw: the truncated density over [ask, bid] integrates to 1
    grid = np.linspace(10.0, 20.0, 20001)
    dens = np.exp(privacy.laplace_string_log_density(20.0, grid[:, None], ask=10.0, eps1=0.3))
    assert np.trapezoid(dens, grid) == pytest.approx(1.0, rel=1e-6)
    assert np.isneginf(privacy.laplace_string_log_density(20.0, np.array([[20.5]]), ask=10.0, eps1=0.3))[0]


def test_plain_laplace_string_loses_l_times_eps1():
    # the log density ratio of the untruncated string on x <= bid for bids 20 and 21 is l * eps1
    x = np.full((1, 10), 5.0)
    a = privacy.laplace_string_log_density(21.0, x, ask=0.0, eps1=0.1, keep="none")
    b = privacy.laplace_string_log_density(20.0, x, ask=0.0, eps1=0.1, keep="none")
    assert (b - a)[0] == pytest.approx(10 * 0.1)


def test_price_selection_law_is_the_exponential_mechanism():
    law = privacy.price_selection_law([11.0, 15.0, 19.0], 20.0, 10.0, eps2=2.0)
    w = np.exp(2.0 * np.array([1.0, 5.0, 1.0]) / 2)
    np.testing.assert_allclose(law, w / w.sum())


def test_repaired_prices_stay_in_the_public_range_and_can_leave_ask_bid():
    rng = np.random.default_rng(1)
    bid, ask = np.full(5000, 20.0), np.full(5000, 15.0)
    p = repair.repaired_ppoem_prices(bid, ask, eps1=0.1, eps2=0.1, length=10, rng=rng, price_range=(7.7, 28.0))
    assert p.min() >= 7.7 and p.max() <= 28.0
    assert ((p < ask) | (p > bid)).mean() > 0.3


def test_repaired_election_spends_a_third_per_draw():
    w = repair.repaired_election(np.array([0.0, 1.0, 2.0, 3.0]), 5, np.random.default_rng(0), eps3=3.0, sensitivity=1.0)
    assert w.shape == (5, 3)


def test_repaired_prices_refuse_bad_range():
    with pytest.raises(ValueError, match="price_range"):
        repair.repaired_ppoem_prices(
            [1.0], [0.5], eps1=1, eps2=1, length=2, rng=np.random.default_rng(0), price_range=(5.0, 5.0)
        )


def test_randomized_response_keeps_the_bit_with_the_right_probability():
    m = privacy.randomized_response(math.log(3))
    x = m.sampler(1, 100_000, np.random.default_rng(5))
    assert abs(x.mean() - 0.75) < 0.01


def test_stress_pair_search_finds_neighbours_within_the_leaders_bound():
    from vpt.market import mining

    law = lambda e: mining.winner_probabilities(e, "ppoem", eps3=1.0, sensitivity=1.0)  # noqa: E731
    sp = audit.find_stress_pair(law, "move", np.random.default_rng(0), n_trials=200)
    assert np.isclose(sp.energy.sum(), sp.neighbour.sum())
    assert np.abs(sp.energy - sp.neighbour).sum() == pytest.approx(2.0)
    assert sp.auditable_loss <= sp.exact_loss <= 1.0 + 1e-9
    with pytest.raises(ValueError, match="unknown relation"):
        audit.find_stress_pair(law, "swap", np.random.default_rng(0))
