"""Algorithm 1: system-state classification and fee rates."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt.state import (
    FEE_RATES,
    StateLimits,
    SystemState,
    classify_demand,
    fee_rates,
    limits_from_quantiles,
    state_occupancy,
)

LIMITS = StateLimits(10.0, 20.0, 30.0)
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_fee_rates_are_the_papers_and_transaction_equals_mining():
    rates = [s.fee_rate for s in SystemState]
    assert rates == [0.10, 0.07, 0.03, 0.01]
    for s in SystemState:
        assert s.transaction_fee_rate == s.mining_fee_rate == s.fee_rate


def test_boundaries_follow_the_half_open_inequalities():
    # 0 < G <= S_l -> Stable, S_l < G <= B_r -> Warning, ...
    cases = {
        1e-9: SystemState.STABLE,
        10.0: SystemState.STABLE,
        np.nextafter(10.0, 11): SystemState.WARNING,
        20.0: SystemState.WARNING,
        np.nextafter(20.0, 21): SystemState.BREAKDOWN,
        30.0: SystemState.BREAKDOWN,
        np.nextafter(30.0, 31): SystemState.SHUTDOWN,
        1e12: SystemState.SHUTDOWN,
    }
    for demand, state in cases.items():
        assert classify_demand(demand, LIMITS) is state


def test_scalar_gives_enum_and_array_gives_codes_of_same_shape():
    assert isinstance(classify_demand(15.0, LIMITS), SystemState)
    codes = classify_demand(np.array([[5.0, 15.0], [25.0, 35.0]]), LIMITS)
    assert codes.shape == (2, 2)
    np.testing.assert_array_equal(codes, [[0, 1], [2, 3]])


def test_nonpositive_demand_is_stable_by_default_and_refused_on_request():
    np.testing.assert_array_equal(classify_demand(np.array([0.0, -5.0]), LIMITS), [0, 0])
    with pytest.raises(ValueError, match="demand <= 0"):
        classify_demand(0.0, LIMITS, nonpositive="raise")
    assert classify_demand(0.5, LIMITS, nonpositive="raise") is SystemState.STABLE
    with pytest.raises(ValueError, match="nonpositive"):
        classify_demand(1.0, LIMITS, nonpositive="clip")


def test_nan_demand_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        classify_demand(np.array([1.0, np.nan]), LIMITS)


@pytest.mark.parametrize(
    "limits",
    [(1.0, 1.0, 2.0), (3.0, 2.0, 1.0), (1.0, 2.0, np.inf), (np.nan, 2.0, 3.0), (1.0, 3.0, 2.0)],
)
def test_bad_limits_are_refused(limits):
    with pytest.raises(ValueError, match=r"state limits|must be a finite number"):
        StateLimits(*limits)


@given(st.lists(finite, min_size=1, max_size=50))
def test_classification_is_monotone_in_demand(values):
    demand = np.sort(np.array(values))
    codes = classify_demand(demand, LIMITS)
    assert np.all(np.diff(codes) >= 0)


@given(finite)
def test_every_demand_lands_in_exactly_one_state(g):
    s_l, b_r, m_c = LIMITS.as_array()
    memberships = [g <= s_l, s_l < g <= b_r, b_r < g <= m_c, m_c < g]
    assert sum(memberships) == 1
    assert memberships.index(True) == classify_demand(g, LIMITS).value


@given(st.lists(st.integers(0, 3), max_size=20))
def test_fee_rates_vectorised_match_enum(codes):
    np.testing.assert_array_equal(fee_rates(np.array(codes, dtype=int)), [SystemState(c).fee_rate for c in codes])


def test_fee_rates_refuse_unknown_codes():
    with pytest.raises(ValueError, match="state codes"):
        fee_rates(np.array([0, 4]))
    with pytest.raises(ValueError, match="state codes"):
        fee_rates(np.array([0.5]))


def test_fee_table_is_read_only():
    with pytest.raises(ValueError):
        FEE_RATES[0] = 0.5


def test_limits_from_quantiles_take_the_quantiles_of_the_data():
    demand = np.arange(1.0, 101.0)
    limits = limits_from_quantiles(demand, (0.5, 0.9, 0.99))
    np.testing.assert_allclose(limits.as_array(), np.quantile(demand, [0.5, 0.9, 0.99]))
    share = np.bincount(classify_demand(demand, limits), minlength=4) / demand.size
    np.testing.assert_allclose(share, [0.50, 0.40, 0.09, 0.01])


@pytest.mark.parametrize(
    ("demand", "quantiles", "message"),
    [
        (np.array([]), (0.5, 0.9, 0.99), "empty"),
        (np.array([1.0, np.nan]), (0.5, 0.9, 0.99), "NaN"),
        (np.arange(10.0), (0.9, 0.5, 0.99), "increasing"),
        (np.arange(10.0), (0.0, 0.5, 0.9), "increasing"),
        (np.ones(10), (0.5, 0.9, 0.99), "strictly increasing"),
    ],
)
def test_limits_from_quantiles_refuse_bad_input(demand, quantiles, message):
    with pytest.raises(ValueError, match=message):
        limits_from_quantiles(demand, quantiles)


def test_state_occupancy_counts_shares():
    np.testing.assert_allclose(state_occupancy(np.array([0, 0, 1, 3])), [0.5, 0.25, 0.0, 0.25])
    with pytest.raises(ValueError, match="no state codes"):
        state_occupancy(np.array([], dtype=int))
    with pytest.raises(ValueError, match="state codes"):
        state_occupancy(np.array([5]))
