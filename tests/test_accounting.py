"""The accountant's wiring: dp-accounting's PLD against basic composition and the exact optimal composition."""

import math

import pytest

from vpt.privacy import accounting


def test_the_accountant_is_tight_for_composed_pure_mechanisms():
    # k-fold eps0-DP: the accountant's epsilon at delta is valid (exact delta below) and within its discretisation
    for eps0, k in ((0.1, 24), (0.5, 10), (1.0, 3)):
        eps = accounting.pld_epsilon([("pure", eps0, k)], 1e-6)
        assert accounting.optimal_pure_delta(eps0, k, eps) <= 1e-6 * (1 + 1e-9)
        assert accounting.optimal_pure_delta(eps0, k, eps - 0.01) > 1e-6
        assert eps <= accounting.basic_epsilon([("pure", eps0, k)])


def test_the_accountant_beats_basic_composition_for_many_releases():
    events = [("laplace", 10.0, 830), ("pure", 0.1, 83)]
    assert accounting.basic_epsilon(events) == pytest.approx(91.3)
    assert accounting.pld_epsilon(events, 1e-6, discretization=1e-2) < 0.25 * accounting.basic_epsilon(events)


def test_one_laplace_draw_costs_its_epsilon():
    # Laplace with scale 10 x sensitivity: delta(eps) = 1 - exp((eps - 0.1) / 2), so eps(1e-6) = 0.1 - 2e-6
    assert accounting.pld_epsilon([("laplace", 10.0, 1)], 1e-6) == pytest.approx(0.1, abs=1e-3)


def test_optimal_composition_in_closed_form():
    assert accounting.optimal_pure_delta(0.3, 5, 1.5) == 0.0  # at k eps0 nothing is left
    assert accounting.optimal_pure_delta(0.3, 1, 0.0) == pytest.approx(math.tanh(0.15))
    deltas = [accounting.optimal_pure_delta(0.2, 20, e) for e in (0.0, 0.5, 1.0, 2.0, 4.0)]
    assert deltas == sorted(deltas, reverse=True) and deltas[0] < 1


def test_basic_composition_is_lemma_1():
    assert accounting.basic_epsilon([("pure", 0.1, 3), ("laplace", 20.0, 4)]) == pytest.approx(0.5)


def test_ppoem_slot_events_scale_with_the_bids_distance():
    one = accounting.ppoem_slot_events(1.0, eps1=0.1, eps2=0.1)
    two = accounting.ppoem_slot_events(2.0, eps1=0.1, eps2=0.1)
    assert accounting.basic_epsilon(two) == pytest.approx(2 * accounting.basic_epsilon(one))
    assert accounting.slot_events_total(one, 5) == [("pure", 0.2, 5)]


def test_a_slots_event_is_the_coupling_bound_on_the_released_price():
    (kind, budget, n), *rest = accounting.ppoem_slot_events(1.0, eps1=0.1, eps2=0.05, f_i=2.0, dq1=0.5)
    assert (kind, n, rest) == ("pure", 1, [])
    assert budget == pytest.approx(0.1 / 2.0 + 0.05 / 0.5)


def test_bad_accounting_arguments_are_refused():
    for bad in ([], [("gauss", 1.0, 1)], [("pure", -1.0, 1)], [("pure", 0.1, 0)], "x"):
        with pytest.raises(ValueError):
            accounting.basic_epsilon(bad)
    with pytest.raises(ValueError, match="delta"):
        accounting.pld_epsilon([("pure", 0.1, 1)], 0.0)
    with pytest.raises(ValueError, match="coarser"):
        accounting.pld_epsilon([("pure", 1.0, 10**6)], 1e-6, discretization=1e-4)
