"""The repaired VPT: an allocation private by construction, its exact expectations, budgets, misreports and records."""

import itertools
import math

import numpy as np
import pytest
from fuzz_targets import repaired_inputs
from hypothesis import given, settings
from hypothesis import strategies as st

from vpt import market
from vpt.privacy import accounting, audit, repair
from vpt.privacy.laws import exact_epsilon
from vpt.repaired import protocol, records

prices = st.floats(0.0, 40.0, allow_nan=False)
slots = st.integers(0, 30)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(1.0, 35.0),
    st.lists(st.tuples(prices, prices, slots, slots), min_size=2, max_size=12),
    st.lists(st.tuples(prices, prices, slots, slots), min_size=2, max_size=12),
    st.integers(0, 1),
)
def test_changing_other_households_reports_at_a_fixed_price_never_changes_a_households_fill(price, rows, others, who):
    """The property the billboard lemma needs: household ``who``'s fill is a function of the price and its own row."""
    n = min(len(rows), len(others))
    rows, others = rows[:n], others[:n]
    changed = list(others)
    changed[who] = rows[who]  # household `who` keeps its reports, every other household's change arbitrarily
    before = protocol.fill(price, *map(list, zip(*rows, strict=True)))
    after = protocol.fill(price, *map(list, zip(*changed, strict=True)))
    assert before[0][who] == after[0][who] and before[1][who] == after[1][who]


def test_the_exact_clearing_at_the_same_price_lets_another_households_ask_flip_a_trade():
    """The control: clear_at, the allocation the household-privacy chapter shows not private, fails that property."""
    g = np.random.default_rng(0)
    assert repair.clear_at([20.0], [], 18.0, g)[0].size == 0
    assert repair.clear_at([20.0], [15.0], 18.0, g)[0].size == 1
    assert protocol.fill(18.0, [20.0, 0.0], [0.0, 0.0], [1, 0], [0, 0])[0][0] == 1
    assert protocol.fill(18.0, [20.0, 0.0], [0.0, 15.0], [1, 0], [0, 1])[0][0] == 1


def test_fees_fill_exactly_when_the_fee_adjusted_value_crosses_the_price():
    bought, sold = protocol.fill(10.0, [11.0, 10.9], [9.0, 9.1], [1, 1], [1, 1], buyer_fee=0.1, seller_fee=0.1)
    assert bought.tolist() == [1, 0] and sold.tolist() == [1, 0]


def test_the_tables_quality_is_the_capped_clearing_quality_of_each_round():
    inputs = repaired_inputs()
    tables = protocol.round_tables(**inputs, cap=2)
    for r in (0, 7, 31):
        sm = market.slot_market(
            inputs["surplus_kwh"][:, r], inputs["deficit_kwh"][:, r], inputs["asks"][r], inputs["bids"][r]
        )
        u = repair.clearing_quality(sm.bids / 0.1, sm.asks / 0.1, bid_owner=sm.bid_owner, ask_owner=sm.ask_owner, cap=2)
        np.testing.assert_array_equal(tables.quality[r], u)


def test_the_gains_at_a_price_are_the_mean_over_every_way_to_pick_the_internal_trades():
    """m * (mean bid - mean ask) is the average of clear_at's lotteries, enumerated exactly."""
    surplus = np.array([[0.0], [0.2], [0.1]])
    deficit = np.array([[0.3], [0.0], [0.0]])
    asks, bids = np.array([[0.0, 10.0, 12.0]]), np.array([[20.0, 0.0, 0.0]])
    tables = protocol.round_tables(surplus, deficit, asks, bids, cap=5, grid=[15.0])
    bid_slots, ask_slots = [20.0] * 3, [10.0, 10.0, 12.0]
    draws = [
        sum(bs) - sum(a) for bs in itertools.combinations(bid_slots, 3) for a in itertools.combinations(ask_slots, 3)
    ]
    assert tables.gains[0, 0] == pytest.approx(np.mean(draws))
    assert tables.gains_sorted[0, 0] == pytest.approx(max(draws))  # the highest bids and the lowest asks
    assert tables.poem_gains[0] == pytest.approx(60.0 - 32.0)


def test_at_a_large_budget_the_expected_gains_are_those_of_the_best_quality_price():
    tables = protocol.round_tables(**repaired_inputs(), cap=2)
    plan = protocol.release_plan(48, "hour")
    out = protocol.expected_outcome(tables, plan, 1e4)
    # the law concentrates evenly on the prices of the largest quality (ties split it)
    best = sum(g[q == q.max()].mean() for g, q in zip(tables.gains, tables.quality, strict=True))
    assert out.gains == pytest.approx(best, rel=1e-6)
    low = protocol.expected_outcome(tables, plan, 1e-3)
    assert low.gains < out.gains


@pytest.mark.parametrize("frequency", protocol.FREQUENCIES)
def test_the_budget_split_spends_the_day_and_no_more(frequency):
    plan = protocol.release_plan(48, frequency)
    er, e3 = protocol.budget_split(1.0, plan)
    assert 2 * e3 == pytest.approx(0.1)
    spent = accounting.pld_epsilon(protocol.day_events(plan, er, e3), 1e-6, discretization=1e-3)
    assert spent <= 1.0
    if er < 0.9:  # not the single release that takes the whole price budget: a little more would overspend
        assert accounting.pld_epsilon(protocol.day_events(plan, er * 1.01, e3), 1e-6, discretization=1e-3) > 1.0


def test_a_release_plan_counts_the_releases_a_household_day_touches():
    assert protocol.release_plan(72, "hour").n_releases == 72
    assert protocol.release_plan(72, "day").n_releases == 3
    assert protocol.release_plan(72, "period").per_day == 1
    with pytest.raises(ValueError, match="whole days"):
        protocol.release_plan(30, "hour")


@pytest.mark.parametrize("side", ["buyer", "seller"])
def test_no_misreport_gains_more_than_the_privacy_bound_and_truth_is_optimal_at_a_fixed_price(side):
    tables = protocol.round_tables(**repaired_inputs(), cap=2)
    plan = protocol.release_plan(48, "hour")
    for eps in (0.1, 1.0, 5.0):
        value, k = (20.0, 5) if side == "buyer" else (10.0, 4)
        m = protocol.best_misreport(tables, plan, eps, 3, k, value, side)
        assert m.gain >= 0
        assert m.gain <= math.expm1(eps) * m.truthful + 1e-12
    huge = protocol.best_misreport(tables, plan, 1e4, 3, 5, 20.0, "buyer")  # the price no longer moves
    assert huge.gain == pytest.approx(0.0, abs=1e-9)


def test_the_audit_certifies_no_more_than_the_budget_for_another_households_view():
    """Household 0's view (the price, its own fill) with household 1 (a seller) present or absent: <= eps_release."""
    inputs = repaired_inputs()
    r, eps = 5, 1.0
    grid = repair.PRICE_GRID

    def quality(present):
        keep = [0, 1, 2] if present else [0, 2]
        sm = market.slot_market(
            inputs["surplus_kwh"][keep, r],
            inputs["deficit_kwh"][keep, r],
            inputs["asks"][r][keep],
            inputs["bids"][r][keep],
        )
        return repair.clearing_quality(
            sm.bids / 0.1, sm.asks / 0.1, bid_owner=sm.bid_owner, ask_owner=sm.ask_owner, cap=2
        )

    laws = {present: repair.price_law(quality(present), repair.noise_scale(eps, 2)) for present in (True, False)}

    own_fill = np.array([protocol.fill(p, [20.0], [15.0], [5], [0])[0][0] for p in grid])  # household 0's rule

    def view(present, size, rng):
        idx = rng.choice(grid.size, size=size, p=laws[present])
        return np.stack([idx, own_fill[idx]], axis=1)

    result = audit.epsilon_lower_bound(view, True, False, n=200_000, rng=np.random.default_rng(3))
    exact = exact_epsilon(laws[True], laws[False])
    assert 0.3 < exact <= eps + 1e-12  # a neighbour that moves the price law, within the budget
    assert result.epsilon_lower <= exact
    assert result.epsilon_lower > 0.5 * exact  # the audit is strong enough to see most of the loss


def test_the_audit_of_the_old_allocation_certifies_far_more_than_any_budget():
    """The control: with clear_at, another household's single ask decides whether household 0's bid trades."""

    def view(with_ask, size, rng):
        return np.array([repair.clear_at([20.0], [15.0] if with_ask else [], 18.0, rng)[0].size for _ in range(size)])

    result = audit.epsilon_lower_bound(view, True, False, n=2_000, n_pilot=500, rng=np.random.default_rng(4))
    assert result.epsilon_lower > 5.0


def test_records_open_only_with_their_households_key_and_not_when_moved():
    keys = [bytes(16), bytes(range(16)), bytes(range(1, 17))]
    sealed = records.seal_records(9, 17.5, [4, 0, 0], [0, 2, 0], keys)
    assert {len(s.ciphertext) for s in sealed} == {records.RECORD_BYTES}
    assert len({s.nonce for s in sealed}) == len(sealed)  # a fresh nonce for every record
    again = records.seal_records(9, 17.5, [4, 0, 0], [0, 2, 0], keys)
    assert again[0].nonce != sealed[0].nonce and records.open_record(keys[0], again[0]) == records.open_record(
        keys[0], sealed[0]
    )
    assert records.open_record(keys[1], sealed[1]) == records.TradeRecord(9, 0, 2, 17.5)
    with pytest.raises(ValueError, match="wrong key, or the record was altered or moved"):
        records.open_record(keys[0], sealed[1])
    moved = records.SealedRecord(0, 9, sealed[1].nonce, sealed[1].ciphertext)
    with pytest.raises(ValueError, match="altered or moved"):
        records.open_record(keys[1], moved)
    later = records.SealedRecord(1, 10, sealed[1].nonce, sealed[1].ciphertext)
    with pytest.raises(ValueError, match="altered or moved"):
        records.open_record(keys[1], later)


def test_the_stored_frontier_is_fresh_and_its_command_recomputes_the_first_seed_set(tmp_path):
    from vpt.book import frontier

    stored, payload = frontier.cached_frontier()
    assert stored is not None, "data/repaired-frontier.json is stale: run python -m vpt.book.frontier"
    assert payload["n_seed_sets"] >= 50
    out = tmp_path / "one.json"
    assert frontier.main(["--serial", "--seed-sets", "1", "--out", str(out)]) == 0
    first, _ = frontier.cached_frontier(out)
    np.testing.assert_allclose(first[0], stored[0], rtol=1e-9)


def test_election_scores_cap_each_household_hour_and_sum_each_vpps_day():
    bought = np.zeros((3, 48), dtype=np.int64)
    sold = np.zeros((3, 48), dtype=np.int64)
    bought[0, 5], sold[1, 30], bought[2, 30] = 25, 3, 4  # household 0 over the cap of 10 slots in one hour
    scores = protocol.election_scores(bought, sold, [0, 1, 1], cap=10)
    np.testing.assert_allclose(scores, [[1.0, 0.0], [0.0, 0.7]])


def test_the_daily_election_is_ppoem_at_a_household_days_sensitivity():
    scores = np.array([[0.0, 100.0, 1.0]] * 4000)
    leaders = protocol.elect_daily(scores, 50.0, np.random.default_rng(1), cap=10)[:, 0]
    p = np.exp(50.0 * scores[0] / (2 * 24.0))
    np.testing.assert_allclose(np.bincount(leaders, minlength=3) / leaders.size, p / p.sum(), atol=0.03)


def test_drawn_fills_follow_the_drawn_price_and_each_households_own_reports():
    inputs = repaired_inputs()
    tables = protocol.round_tables(**inputs, cap=2)
    plan = protocol.release_plan(48, "day")
    price, bought, sold = protocol.draw_fills(
        tables,
        plan,
        1.0,
        inputs["bids"],
        inputs["asks"],
        inputs["surplus_kwh"],
        inputs["deficit_kwh"],
        np.random.default_rng(5),
    )
    assert np.unique(price[:24]).size == 1 and np.unique(price[24:]).size == 1  # one price per day
    for r in (0, 30):
        b, s = protocol.fill(
            price[r],
            inputs["bids"][r],
            inputs["asks"][r],
            np.floor(inputs["deficit_kwh"][:, r] / 0.1 + 1e-9),
            np.floor(inputs["surplus_kwh"][:, r] / 0.1 + 1e-9),
        )
        np.testing.assert_array_equal(bought[:, r], b)
        np.testing.assert_array_equal(sold[:, r], s)


def test_a_misreport_counts_the_households_other_rounds_of_the_release_and_stays_within_the_bound():
    tables = protocol.round_tables(**repaired_inputs(), cap=2)
    plan = protocol.release_plan(48, "day")
    for eps in (0.5, 5.0):
        for side, v, k in (("buyer", 20.0, 5), ("seller", 10.0, 4)):
            other = sum(protocol.truthful_utility(tables, k, v, side) for _ in range(23))  # its day's other rounds
            alone = protocol.best_misreport(tables, plan, eps, 3, k, v, side)
            whole = protocol.best_misreport(tables, plan, eps, 3, k, v, side, elsewhere=other)
            law = protocol.group_laws(tables, plan, eps)[0]
            assert whole.truthful == pytest.approx(alone.truthful + float(law @ other))
            assert 0 <= whole.gain <= math.expm1(eps) * whole.truthful + 1e-12


def test_the_posted_price_ceiling_is_the_best_price_of_each_release_and_bounds_the_private_outcomes():
    tables = protocol.round_tables(**repaired_inputs(), cap=2)
    for frequency in protocol.FREQUENCIES:
        plan = protocol.release_plan(48, frequency)
        ceiling = protocol.posted_price_ceiling(tables, plan)
        out = protocol.expected_outcome(tables, plan, 2.0)
        assert out.share <= ceiling["random"] + 1e-12
        assert out.share_sorted <= ceiling["sorted"] + 1e-12
        assert out.share_volume <= ceiling["volume"] + 1e-12
        assert out.share <= out.share_sorted + 1e-12
    hourly = protocol.posted_price_ceiling(tables, protocol.release_plan(48, "hour"))
    assert hourly["random"] == pytest.approx(tables.gains.max(axis=1).sum() / tables.poem_gains.sum())
