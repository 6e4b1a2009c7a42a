import numpy as np
import pytest
from scipy import stats

from vpt.market import settlement
from vpt.privacy import laws

OPTS = {"eps1": 0.1, "eps2": 0.1, "length": 10}


def test_the_bare_price_density_integrates_to_one():
    x = np.linspace(-400.0, 440.0, 420_001)
    f = laws.bare_ppoem_price_density(x, 20.0, 12.0, **OPTS)
    assert np.sum((f[1:] + f[:-1]) / 2 * np.diff(x)) == pytest.approx(1.0, abs=1e-5)


def test_the_bare_price_density_is_the_law_of_the_sampled_prices():
    n = 400_000
    prices = settlement.ppoem_prices(
        np.full(n, 20.0), np.full(n, 12.0), rng=np.random.default_rng(4), keep="none", **OPTS
    )
    x = np.linspace(-400.0, 440.0, 420_001)
    f = laws.bare_ppoem_price_density(x, 20.0, 12.0, **OPTS)
    cdf = np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) / 2 * np.diff(x))])
    edges = np.interp(np.linspace(0, 1, 41)[1:-1], cdf, x)  # 40 bins of equal probability under the density
    observed = np.bincount(np.searchsorted(edges, prices), minlength=40)
    expected = np.diff(np.concatenate([[0.0], np.interp(edges, x, cdf), [cdf[-1]]])) / cdf[-1] * n
    assert stats.chisquare(observed, expected).pvalue > 1e-3


def test_one_candidate_is_the_laplace_mechanism_and_loses_exactly_eps1():
    loss = laws.bare_ppoem_price_loss(20.0, 21.5, 12.0, eps1=0.1, eps2=0.1, length=1)
    assert loss == pytest.approx(0.15, rel=1e-9)


def test_a_uniform_selection_releases_one_laplace_draw():
    loss = laws.bare_ppoem_price_loss(20.0, 21.0, 12.0, eps1=0.1, eps2=1e-6, length=10)
    assert loss == pytest.approx(0.1, abs=1e-4)


@pytest.mark.parametrize("seed", range(30))
def test_the_released_price_stays_within_the_coupling_bound(seed):
    g = np.random.default_rng(seed)
    eps1, eps2 = g.uniform(0.05, 1.0, 2)
    ask = g.uniform(0, 20)
    bid = ask + g.uniform(0, 15)
    d = g.uniform(0.2, 2.0)
    length = int(g.integers(2, 20))
    if 2 * (length - 1) * eps1 / eps2 <= 1.1:  # E[1/S] infinite or too slow: the tail is refused, not guessed
        with pytest.raises(ValueError, match="E\\[1/S\\]"):
            laws.bare_ppoem_price_loss(bid, bid + d, ask, eps1=eps1, eps2=eps2, length=length, points=4001)
        return
    loss = laws.bare_ppoem_price_loss(bid, bid + d, ask, eps1=eps1, eps2=eps2, length=length, points=4001)
    assert loss <= (eps1 + eps2) * d + 1e-9
    assert loss > 0


def test_far_from_the_ask_the_loss_is_the_tail_limit_eps1_plus_half_eps2():
    # the tail beyond the grid decides it: the grid alone stops short of eps1 + eps2 / 2 = 1.05
    loss = laws.bare_ppoem_price_loss(42.0, 43.0, 12.0, eps1=1.0, eps2=0.1, length=10)
    assert loss == pytest.approx(1.05, abs=2e-4)


def test_bad_arguments_of_the_bare_price_law_are_refused():
    with pytest.raises(ValueError, match="ask <= bid"):
        laws.bare_ppoem_price_density([1.0], 10.0, 12.0, **OPTS)
    with pytest.raises(ValueError, match="eps1"):
        laws.bare_ppoem_price_loss(20.0, 21.0, 12.0, eps1=0.0, eps2=0.1, length=10)
