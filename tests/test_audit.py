"""The empirical DP auditor and the exact privacy losses."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt import privacy
from vpt.market import mining
from vpt.privacy import audit, laws


def test_exact_epsilon_hand_cases():
    assert laws.exact_epsilon([0.75, 0.25], [0.25, 0.75]) == pytest.approx(math.log(3))
    assert laws.exact_epsilon([0.5, 0.5], [0.5, 0.5]) == 0.0
    assert laws.exact_epsilon([1.0, 0.0], [0.5, 0.5]) == math.inf
    assert laws.exact_epsilon([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0


@pytest.mark.parametrize(
    ("p", "q", "message"),
    [
        ([0.5, 0.5], [1.0], "same shape"),
        ([0.6, 0.6], [0.5, 0.5], "sum to 1"),
        ([-0.5, 1.5], [0.5, 0.5], "non-negative"),
        ([np.nan, 1.0], [0.5, 0.5], "finite"),
    ],
)
def test_exact_epsilon_refuses_bad_laws(p, q, message):
    with pytest.raises(ValueError, match=message):
        laws.exact_epsilon(p, q)


def test_ordered_top3_law_is_a_distribution_whose_first_margin_is_the_winner_law():
    energy = np.array([1.0, 2.0, 0.5, 4.0])
    lw = mining.log_weights(energy, "ppoem", eps3=0.7, sensitivity=1.0)
    law = laws.ordered_top3_law(lw)
    assert law.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(
        law.sum(axis=(1, 2)), mining.winner_probabilities(energy, "ppoem", eps3=0.7, sensitivity=1.0)
    )
    np.testing.assert_allclose(
        law.sum(axis=(0, 2)), mining.place_probabilities(energy, "ppoem", eps3=0.7, sensitivity=1.0)[1]
    )


def test_exponential_mechanism_first_winner_exact_loss_within_eps3():
    # moving one unit of energy between two VPPs: the worst case of the first winner approaches eps3
    e = np.array([0.0, 50.0, 0.0])
    f = np.array([0.0, 49.0, 1.0])
    p = mining.winner_probabilities(e, "ppoem", eps3=1.0, sensitivity=1.0)
    q = mining.winner_probabilities(f, "ppoem", eps3=1.0, sensitivity=1.0)
    assert laws.exact_epsilon(p, q) <= 1.0 + 1e-12


def test_correct_mechanism_is_not_flagged_at_a_fixed_seed():
    m = privacy.laplace(0.5)
    r = audit.epsilon_lower_bound(
        m.sampler, m.data, m.neighbour, n=200_000, rng=np.random.default_rng(1), log_density=m.log_density
    )
    assert 0.4 < r.epsilon_lower <= 0.5
    assert r.n == 200_000 and r.n_pilot == 20_000 and r.n_events == 8


def test_broken_mechanism_is_flagged():
    m = privacy.broken_laplace(0.5)  # claims 0.5, loses 2
    r = audit.epsilon_lower_bound(m.sampler, m.data, m.neighbour, n=100_000, rng=np.random.default_rng(2))
    assert r.epsilon_lower > 1.5


def test_discrete_outputs_use_outcomes_as_events():
    m = privacy.randomized_response(1.0)
    r = audit.epsilon_lower_bound(m.sampler, m.data, m.neighbour, n=100_000, rng=np.random.default_rng(3))
    assert r.event.startswith("output ==")
    assert 0.9 < r.epsilon_lower <= 1.0


def test_support_difference_gives_a_large_bound():
    # a uniform on [0, b]: the event "output > 1" is impossible when b = 1
    def sampler(b, size, rng):
        return rng.uniform(0.0, b, size)

    r = audit.epsilon_lower_bound(sampler, 2.0, 1.0, n=100_000, rng=np.random.default_rng(4))
    assert r.epsilon_lower > 8 and r.counts[1] == 0


def test_false_alarm_rate_is_at_most_alpha():
    # 40 small audits of an exact eps = 1 mechanism at alpha = 0.2: the bound must rarely exceed 1
    m = privacy.laplace(1.0)
    seeds = np.random.SeedSequence(7).spawn(40)
    over = [
        audit.epsilon_lower_bound(
            m.sampler,
            0.0,
            1.0,
            n=2000,
            n_pilot=2000,
            alpha=0.2,
            rng=np.random.default_rng(s),
            log_density=m.log_density,
        ).epsilon_lower
        > 1.0
        for s in seeds
    ]
    assert np.mean(over) <= 0.2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": 1.0}, "alpha"),
        ({"n": 0}, "n must be"),
        ({"n_events": 0}, "n_events"),
        ({"n_pilot": 0}, "n_pilot"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    m = privacy.laplace(1.0)
    options = {"n": 100, "rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(ValueError, match=message):
        audit.epsilon_lower_bound(m.sampler, 0.0, 1.0, **options)


def test_sampler_of_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="the sampler must return"):
        audit.epsilon_lower_bound(lambda d, size, rng: np.zeros(size + 1), 0, 1, n=10, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="need log_density or score"):
        audit.epsilon_lower_bound(lambda d, size, rng: rng.random((size, 2)), 0, 1, n=10, rng=np.random.default_rng(0))


def test_clopper_pearson_bounds_bracket_the_estimate():
    lo = audit.clopper_pearson(30, 100, 0.025, "lower")
    hi = audit.clopper_pearson(30, 100, 0.025, "upper")
    assert lo < 0.3 < hi
    assert audit.clopper_pearson(0, 100, 0.05, "lower") == 0.0
    assert audit.clopper_pearson(100, 100, 0.05, "upper") == 1.0
    with pytest.raises(ValueError, match="side"):
        audit.clopper_pearson(1, 2, 0.05, "both")


@given(
    st.lists(
        st.sampled_from([0.0, 1.0, 1.5, 2.0, np.inf, -np.inf, np.nan]) | st.floats(-3, 3), min_size=1, max_size=60
    ),
    st.lists(
        st.sampled_from([0.0, 1.0, 1.5, 2.0, np.inf, -np.inf, np.nan]) | st.floats(-3, 3), min_size=1, max_size=60
    ),
)
def test_pilot_hits_by_binary_search_equal_the_direct_counts(p_scores, q_scores):
    from vpt.privacy.audit import _Event, _pilot_hits

    sp, sq = np.array(p_scores), np.array(q_scores)
    values = sorted(set(p_scores[:5] + q_scores[:5] + [np.inf, -np.inf, np.nan]), key=repr)
    events = [_Event(kind, v, fwd) for v in values for kind in ("le", "ge", "eq") for fwd in (True, False)]
    a, b = _pilot_hits(events, sp, sq, discrete=False)
    assert a.tolist() == [ev.hits(sp) for ev in events]
    assert b.tolist() == [ev.hits(sq) for ev in events]
