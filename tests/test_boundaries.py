"""The boundary promises, pinned on the examples of a held-out probe sweep: clear errors or correct values."""

import gzip
import time

import numpy as np
import pytest

from vpt import data, market, theory
from vpt._checks import MAX_CELLS, count, generator
from vpt.chain import coin, ledger, recovery
from vpt.market import mining, settlement
from vpt.privacy import audit, laws
from vpt.state import SystemState
from vpt.theory import simulate

# ---------------------------------------------------------------- wrong answers for valid input


@pytest.mark.parametrize("capacity", [1023, 2000, 10_000])
def test_throughput_of_an_overloaded_queue_is_the_service_rate(capacity):
    # rho = 2: the server is (almost) never idle, so it serves R_s (1 - 2^-K) per unit time
    assert theory.throughput(2.0, 1.0, capacity) == pytest.approx(1.0, rel=1e-12)


def test_throughput_is_stable_for_huge_load_and_capacity():
    assert theory.throughput(1e6, 1.0, 10_000) == pytest.approx(1.0)
    assert theory.throughput(1.0, 1e6, 10_000) == pytest.approx(1.0, rel=1e-5)


def test_throughput_agrees_with_the_textbook_formula_where_that_does_not_overflow():
    rho = np.array([0.3, 0.9, 0.999, 1.0 - 1e-13, 1.0, 1.001, 1.5, 3.0])
    k = 7
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = np.where(rho == 1.0, k / (k + 1), (1 - rho**k) / (1 - rho ** (k + 1)))
    np.testing.assert_allclose(theory.throughput(rho, 1.0, k), rho * direct, rtol=1e-9)


def test_leader_profit_inherits_the_stable_throughput():
    assert theory.leader_profit(2.0, 1.0, 2000, 3.0, 0.5) == pytest.approx(3.0 - 0.5)


def test_ppoem_election_with_huge_energies_elects_the_dominant_vpp():
    energy = [1e300, 2e300, 0.0]
    p = mining.winner_probabilities(energy, "ppoem", eps3=0.1, sensitivity=1.0)
    np.testing.assert_array_equal(p, [0.0, 1.0, 0.0])
    winners = mining.elect(energy, "ppoem", 50, np.random.default_rng(0), eps3=0.1, sensitivity=1.0)
    assert (winners[:, 0] == 1).all()
    places = mining.place_probabilities(energy, "ppoem", eps3=0.1, sensitivity=1.0)
    np.testing.assert_allclose(places, [[0, 1, 0], [1, 0, 0], [0, 0, 1]])


def test_poe_weights_do_not_overflow_for_huge_imbalances():
    p = mining.winner_probabilities([1e308, 1.7e308], "poe")
    assert np.isfinite(p).all()
    assert p[0] > p[1]


# ---------------------------------------------------------------- silent acceptance


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_ppoem_prices_refuse_non_finite_bids(bad):
    with pytest.raises(ValueError, match="bid contains"):
        settlement.ppoem_prices(
            np.array([bad]), np.array([1.0]), eps1=0.1, eps2=0.1, length=3, rng=np.random.default_rng(0)
        )


def _select(**kw):
    args = dict(
        string=np.array([[11.0, 12.0]]),
        bid=np.array([20.0]),
        ask=np.array([10.0]),
        eps2=0.1,
        quality_sensitivity=1.0,
        rng=np.random.default_rng(0),
    )
    return settlement.select_price(**{**args, **kw})


def test_select_price_refuses_an_unknown_quality():
    with pytest.raises(ValueError, match="unknown quality 'totl'"):
        _select(quality="totl")


@pytest.mark.parametrize("eps2", [np.nan, -1.0, 0.0])
def test_select_price_refuses_a_budget_that_is_not_positive(eps2):
    with pytest.raises(ValueError, match="eps2 must be"):
        _select(eps2=eps2)


def _ledger_with_keys():
    reg = ledger.Registry()
    keys = {
        n: reg.register(n, r, m, key_seed=n.encode().ljust(32, b"\0"))
        for n, r, m in [("v1", "lvpp", None), ("h1", "home", "m1"), ("h2", "home", "m2")]
    }
    tx = ledger.sign_transaction(
        ledger.Transaction("h1", "h2", 100, 20, "2013-01-01T12:00"), {h: keys[h] for h in ("h1", "h2")}
    )
    return ledger.Ledger("lvpp", reg), tx, keys["v1"]


@pytest.mark.parametrize("reward", [-500, 1.9, "7", np.float64(7.0), None, True])
def test_ledger_refuses_rewards_that_are_not_whole_coins_and_stays_unchanged(reward):
    led, tx, key = _ledger_with_keys()
    led.append("v1", [tx], ["v1"], [500], key=key)
    before = led.read("v1").to_bytes()
    with pytest.raises(ledger.ValidationError, match="reward must be an integer >= 0"):
        led.append("v1", [], ["v1"], [reward], key=key)
    assert led.read("v1").to_bytes() == before


def test_ledger_accepts_numpy_integer_rewards_and_its_chain_parses_back():
    led, tx, key = _ledger_with_keys()
    led.append("v1", [tx], ["v1"], [np.int64(507)], key=key)
    chain = led.read("v1")
    assert ledger.Chain.from_bytes(chain.to_bytes()).to_bytes() == chain.to_bytes()
    assert type(chain.blocks[0].rewards[0]) is int


def _nan_sampler(x, size, rng):
    return np.where(rng.random(size) < 0.5, np.nan, x)


def test_audit_refuses_a_sampler_that_returns_nan():
    with pytest.raises(ValueError, match="sampler returned NaN"):
        audit.epsilon_lower_bound(_nan_sampler, 0.0, 1.0, n=1000, rng=np.random.default_rng(0))


def test_audit_accepts_numpy_float_alpha():
    out = audit.epsilon_lower_bound(
        lambda x, size, rng: rng.laplace(x, 1.0, size),
        0.0,
        1.0,
        n=2000,
        rng=np.random.default_rng(0),
        alpha=np.float32(0.05),
    )
    assert out.alpha == pytest.approx(0.05)


@pytest.mark.parametrize("k", [11, -1, np.nan])
def test_clopper_pearson_refuses_counts_outside_zero_to_n(k):
    with pytest.raises(ValueError, match="k "):
        audit.clopper_pearson(k, 10, 0.05, "lower")


# ---------------------------------------------------------------- hangs and memory


def _quick(fn, *args, **kw):
    start = time.perf_counter()
    with pytest.raises(ValueError) as info:
        fn(*args, **kw)
    assert time.perf_counter() - start < 5.0, "refused, but only after a long computation"
    return str(info.value)


def test_queue_simulation_refuses_an_infinite_arrival_rate():
    msg = _quick(simulate.queue_throughput, np.inf, 1.0, 3, 10.0, 2, np.random.default_rng(0))
    assert "arrival" in msg


def test_queue_simulation_refuses_runs_beyond_the_event_limit():
    assert "events" in _quick(simulate.queue_throughput, 1e6, 1.0, 3, 1e6, 100, np.random.default_rng(0))


@pytest.mark.parametrize("n_trials", [1e308, 10**12, 2.0])
def test_fault_injection_refuses_huge_or_float_trial_counts(n_trials):
    assert "n_trials" in _quick(recovery.fault_injection, "stale", 1, n_trials=n_trials, rng=np.random.default_rng(0))


def test_place_probabilities_refuse_cubic_memory_beyond_the_limit():
    assert "V^3" in _quick(mining.place_probabilities, np.ones(1000), "poem")


def test_place_probabilities_of_many_rows_run_in_bounded_chunks(monkeypatch):
    rows = np.random.default_rng(0).uniform(size=(35, 10))
    whole = mining.place_probabilities(rows, "poem")
    monkeypatch.setattr(mining, "MAX_CELLS", 10_000)  # 10 rows of 10^3 cells per chunk: 4 chunks
    np.testing.assert_array_equal(mining.place_probabilities(rows, "poem"), whole)
    np.testing.assert_allclose(whole.sum(axis=2), 1.0)


def test_ordered_top3_law_refuses_cubic_memory_beyond_the_limit():
    assert "V^3" in _quick(laws.ordered_top3_law, np.zeros(1500))


# ---------------------------------------------------------------- wrong exception types


@pytest.mark.parametrize("value", [np.inf, None, "3", 2.0, 2.5, True, np.nan])
def test_count_check_raises_value_error_for_anything_but_an_integer(value):
    with pytest.raises(ValueError, match="n must be an integer"):
        count(value, "n")


def test_count_check_accepts_numpy_integers_and_enforces_its_maximum():
    assert count(np.int32(5), "n") == 5
    with pytest.raises(ValueError, match=r"in 1\.\.10"):
        count(11, "n", maximum=10)


@pytest.mark.parametrize(
    "data", ["{}", b"[" * 100_000, b"{" * 50_000, b"\xff", b"nul", b'{"index": 1e400}', b"1" * 5000]
)
def test_block_decoder_raises_only_validation_errors(data):
    with pytest.raises(ledger.ValidationError):
        ledger.Block.from_bytes(data)


def test_chain_decoder_refuses_text():
    with pytest.raises(ledger.ValidationError, match="bytes"):
        ledger.Chain.from_bytes("not bytes")


def test_corrupt_gzip_file_raises_value_error_naming_the_file(tmp_path):
    path = tmp_path / "homes.csv.gz"
    path.write_bytes(gzip.compress(b"title\n")[:-6] + b"garbage!")
    with pytest.raises(ValueError, match=r"homes\.csv\.gz"):
        data.read_ausgrid(path)


@pytest.mark.parametrize("rng", [None, 0, np.random.RandomState(0), "seed"])
@pytest.mark.parametrize(
    "call",
    [
        lambda rng: mining.elect([1.0, 2.0], "poem", 3, rng),
        lambda rng: simulate.market_race(2, 1, 5, rng),
        lambda rng: simulate.simulate_chain([[0.5, 0.5], [0.5, 0.5]], 5, 0, rng),
        lambda rng: market.household_prices(3, rng),
        lambda rng: settlement.ppoem_prices(np.array([2.0]), np.array([1.0]), eps1=1, eps2=1, length=2, rng=rng),
        lambda rng: recovery.fault_injection("stale", 1, rng=rng),
        lambda rng: audit.epsilon_lower_bound(lambda x, s, g: g.random(s), 0, 1, n=10, rng=rng),
    ],
)
def test_a_seed_or_none_instead_of_a_generator_is_refused_by_name(call, rng):
    with pytest.raises(ValueError, match=r"rng must be a numpy\.random\.Generator"):
        call(rng)


def test_generator_check_passes_a_generator_through():
    g = np.random.default_rng(1)
    assert generator(g) is g


# ---------------------------------------------------------------- valid input refused before


def test_wallets_trade_accepts_numpy_integer_coins():
    reg = ledger.Registry()
    for n, r, m in [("v1", "lvpp", None), ("h1", "home", "m1"), ("h2", "home", "m2")]:
        reg.register(n, r, m)
    w = coin.Wallets(reg)
    w.exchange("h2", "v1", np.int64(100), "buy")
    w.trade("h2", "h1", "v1", np.int64(20), np.int32(2), np.uint8(2))
    assert (w.held("h1"), w.held("h2"), w.held("v1")) == (16, 80, 2)
    w.check_conservation()


def test_size_limit_is_one_gibibyte_of_float64():
    assert MAX_CELLS * 8 == 2**30


# ---------------------------------------------------------------- the last kinds an outside sweep found


def _homes_with(**changes):
    h = data.generate_households(n_homes=3, n_days=1, seed=2)
    fields = {f: getattr(h, f) for f in ("customer", "postcode", "capacity_kwp", "timestamps", "consumption")}
    fields |= {"controlled_load": h.controlled_load, "generation": h.generation}
    return data.Households(**(fields | changes))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"capacity_kwp": np.array([1.0, np.nan, 2.0])}, "capacity_kwp must be finite"),
        ({"capacity_kwp": np.array([1.0, -0.5, 2.0])}, "capacity_kwp must be >= 0"),
        ({"customer": np.array([0, 1, 2])}, "customer ids must be"),
        ({"postcode": np.array([2000, 10000, 2100])}, "postcodes must be whole numbers from 0 to 9999"),
        ({"customer": [1, 2, 3]}, "customer must be a numpy array"),
    ],
)
def test_household_data_validate_on_construction(change, message):
    with pytest.raises(ValueError, match=message):
        _homes_with(**change)


@pytest.mark.parametrize("order", ["reversed", "repeated"])
def test_household_timestamps_must_be_consecutive_half_hours(order):
    t = data.generate_households(n_homes=3, n_days=1, seed=2).timestamps
    bad = t[::-1].copy() if order == "reversed" else np.repeat(t[:24], 2)
    with pytest.raises(ValueError, match="consecutive half-hours"):
        _homes_with(timestamps=bad)


def test_a_trade_whose_bid_is_below_its_ask_is_refused():
    one = np.array([0])
    with pytest.raises(ValueError, match="bid is below its ask"):
        market.auction.Trades(one, one, np.array([5.0]), np.array([10.0]))
    with pytest.raises(ValueError, match="finite prices"):
        market.auction.Trades(one, one, np.array([np.nan]), np.array([10.0]))
    with pytest.raises(ValueError, match="equal length"):
        market.auction.Trades(one, np.array([0, 1]), np.array([12.0]), np.array([10.0]))


def test_reward_rows_that_name_one_vpp_twice_are_refused():
    with pytest.raises(ValueError, match="names one VPP in two places"):
        mining.rewards(np.array([[1, 1, 2]]), [40.0], "poem")
    with pytest.raises(ValueError, match="names one VPP in two places"):
        mining.pool_from_rewards(np.array([[0, 2, 2]]), np.array([[528.0, 8.0, 4.0]]), "poem")
    with pytest.raises(ValueError, match=r"paid must be \(n, 3\)"):
        mining.Rewards(np.zeros((1, 2)), np.zeros(1), np.zeros(1))
    with pytest.raises(ValueError, match="must be >= 0 coins"):
        mining.Rewards(np.array([[-1.0, 0.0, 0.0]]), np.zeros(1), np.zeros(1))


@pytest.mark.parametrize(("column", "text"), [(0, "1_000"), (0, "\u0661"), (0, "0"), (1, "1_0"), (2, "\u0662000")])
def test_the_ausgrid_reader_takes_only_plain_ids_capacities_and_postcodes(tmp_path, column, text):
    path = tmp_path / "homes.csv"
    data.write_ausgrid(data.generate_households(n_homes=1, n_days=1, seed=3), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[column] = text
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3, column"):
        data.read_ausgrid(path)


def test_a_trading_round_refuses_vpp_ids_that_would_allocate_gigabytes():
    with pytest.raises(ValueError, match="largest VPP index"):
        market.rounds.trading_round(
            [1.0, 0.0], [0.0, 1.0], [10.0, 10.0], [20.0, 20.0], np.array([0, 10**9]), SystemState(1)
        )


def test_report_noisy_max_stays_finite_at_extreme_budgets():
    from vpt.privacy import mechanisms

    assert mechanisms.report_noisy_max_law([0.0, 1.0, 2.0], 1e6).tolist() == [0.0, 0.0, 1.0]
    assert mechanisms.report_noisy_max_law([2.0, 1.0, 2.0], 1e6).tolist() == [0.5, 0.0, 0.5]
    with pytest.raises(ValueError, match="underflows in double precision"):
        mechanisms.report_noisy_max(1e6)
    assert mechanisms.randomized_response(710.0).true_epsilon == 710.0


def test_the_auditor_refuses_infinite_outputs_and_densities_of_the_wrong_shape():
    from vpt.privacy import mechanisms

    lap = mechanisms.laplace(1.0)
    with pytest.raises(ValueError, match="infinite output"):
        audit.epsilon_lower_bound(lambda d, s, r: np.full(s, np.inf), 0.0, 1.0, n=1000, rng=np.random.default_rng(0))
    for density in (lambda mu, x: np.zeros(3), lambda mu, x: 0.0):
        with pytest.raises(ValueError, match="one log density per output"):
            audit.epsilon_lower_bound(lap.sampler, 0.0, 1.0, n=1000, rng=np.random.default_rng(0), log_density=density)
