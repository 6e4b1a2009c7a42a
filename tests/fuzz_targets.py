"""Every public name of ``vpt``, with one small valid call per callable, for the fuzz suite (tests/test_fuzz_*.py).

A *target* is a factory returning ``(function, kwargs)``: a fresh valid call
(fresh objects each time, so a mutating method cannot leak state between
examples). The fuzz tests replace some of the keyword arguments with hostile
or extreme values and check the contract of the boundary layer: the call
raises ``ValueError`` (or a documented subclass) or returns a valid result.

Names that are not called: constants (checked for type only) and *records*,
the frozen dataclasses a function returns (``Trades``, ``Settlement``, ...):
they hold results and do not validate when built by hand; their methods are
targets, and every record is checked to come out of at least one target.
"""

from __future__ import annotations

import functools
import importlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import vpt
from vpt import (
    accounting,
    auction,
    audit,
    book,
    coin,
    complexity,
    data,
    experiments,
    incentives,
    ledger,
    market,
    mechanisms,
    mining,
    plotting,
    privacy,
    recovery,
    repair,
    report,
    settlement,
    simulate,
    stability,
    state,
    theory,
    threats,
    units,
)

#: Every module of the package, as ``vpt`` lists them for lazy loading (a test checks that list is complete).
MODULES = tuple(importlib.import_module(f"vpt.{name}") for name in vpt.MODULES)

Call = tuple[Callable[..., Any], dict[str, Any]]


def rng() -> np.random.Generator:
    return np.random.default_rng(0)


LIMITS = state.StateLimits(stable=1.0, breakdown=2.0, shutdown=3.0)


@functools.cache
def homes() -> data.Households:
    return data.generate_households(n_homes=4, n_days=2, seed=1)


@functools.cache
def month() -> dict[str, market.MonthRounds]:
    return experiments.month_of_rounds(homes(), rng(), epsilons=(0.1,), length=3, vpp_sizes=(2, 2))


@functools.cache
def election_run() -> experiments.ElectionRun:
    rounds = month()
    return experiments.run_elections(rounds, experiments.paper_settings(epsilons=(0.1,))[:2], 3, rng())["PoEM"]


@functools.cache
def trading_homes() -> data.Households:
    """Ten homes over two days: enough for rounds with trades in two VPPs of five."""
    return data.generate_households(n_homes=10, n_days=2, seed=1)


@functools.cache
def fig5_grid() -> stability.Fig5Grid:
    return stability.fig5_grid(rng(), reps=2, counts=[2, 3])


def _light_replicate(seeds: stability.Seeds) -> stability.Replicate:
    return stability.Replicate("reproduced", f"data seed mod 7 = {seeds.data % 7}")


#: A seed check that costs nothing, for the sweep's targets.
LIGHT_CHECK = stability.SeedCheck("market", "a light check", _light_replicate)


def trades() -> auction.Trades:
    return auction.match([9.0, 7.0, 5.0], [4.0, 6.0, 8.0])


def registry_and_keys() -> tuple[ledger.Registry, dict]:
    reg = ledger.Registry()
    keys = {}
    for node, role, meter in [("v1", "lvpp", None), ("v2", "rvpp", None), ("h1", "home", "m1"), ("h2", "home", "m2")]:
        keys[node] = reg.register(node, role, meter, key_seed=node.encode().ljust(32, b"\0"))
    return reg, keys


def signed_tx() -> ledger.Transaction:
    _, keys = registry_and_keys()
    tx = ledger.Transaction(seller="h1", buyer="h2", energy_wh=100, coins=20, slot="2013-01-01T12:00")
    return ledger.sign_transaction(tx, {"h1": keys["h1"], "h2": keys["h2"]})


def a_block() -> ledger.Block:
    return ledger.make_block(
        0, "0" * 64, [signed_tx()], ["v1"], [501], fee_permille=100, leader_key=registry_and_keys()[1]["v1"]
    )


def a_ledger() -> ledger.Ledger:
    reg, _ = registry_and_keys()
    return ledger.Ledger("lvpp", reg, mining_reward=500)


def wallets() -> coin.Wallets:
    reg, _ = registry_and_keys()
    w = coin.Wallets(reg)
    w.exchange("h2", "v1", 100, "buy")
    return w


def _laplace_sampler(mu: Any, size: int, g: np.random.Generator) -> np.ndarray:
    return g.laplace(mu, 1.0, size)


def _tmp(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix="vpt-fuzz-")) / name


@functools.cache
def ausgrid_file() -> Path:
    path = _tmp("homes.csv")
    data.write_ausgrid(homes(), path)
    return path


def _axes() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    plt.close(fig)
    return ax


def _mine_call() -> Call:
    net = threats.demo_network()
    tx = net.trade("h4", "h3", 30, "2013-01-02T14:00")
    return net.mine, {"leader": "v1", "transactions": [tx], "miners": ["v1"], "fee_permille": 100}


E = np.array([1.0, 2.0, 3.0, 4.0])
P3 = np.array([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.4, 0.5]])

#: name -> factory of a valid call.
TARGETS: dict[str, Callable[[], Call]] = {
    # auction
    "auction.match": lambda: (auction.match, {"bids": [9.0, 7.0, 5.0], "asks": [4.0, 6.0], "seller_order": "sorted"}),
    "auction.match_literal": lambda: (
        auction.match_literal,
        {"bids": [9.0, 7.0, 5.0], "asks": [4.0, 6.0], "seller_order": "given"},
    ),
    "auction.Trades.from_indices": lambda: (
        auction.Trades.from_indices,
        {"buyer": [0], "seller": [1], "bids": np.array([9.0]), "asks": np.array([3.0, 4.0])},
    ),
    # audit
    "audit.clopper_pearson": lambda: (
        audit.clopper_pearson,
        {"k": [0, 3, 10], "n": 10, "level": 0.05, "side": "lower"},
    ),
    "audit.epsilon_lower_bound": lambda: (
        audit.epsilon_lower_bound,
        {
            "sampler": _laplace_sampler,
            "data": 0.0,
            "neighbour": 1.0,
            "n": 200,
            "rng": rng(),
            "alpha": 0.05,
            "n_pilot": 200,
            "log_density": None,
            "score": None,
            "n_events": 4,
            "chunk": 100,
            "score_decimals": 9,
        },
    ),
    "audit.exact_epsilon": lambda: (audit.exact_epsilon, {"p": [0.25, 0.75], "q": [0.5, 0.5]}),
    "audit.ordered_top3_law": lambda: (audit.ordered_top3_law, {"log_weights": [0.0, 1.0, -1.0, 0.5]}),
    # book
    "book.book_data": lambda: (
        book.book_data,
        {"path": None, "n_homes": 100, "vpp_sizes": None, "start": "2013-01-03", "n_days": 5},
    ),
    # coin
    "coin.Wallets": lambda: (coin.Wallets, {"registry": registry_and_keys()[0]}),
    "coin.Wallets.held": lambda: (wallets().held, {"node_id": "h2"}),
    "coin.Wallets.trade": lambda: (
        wallets().trade,
        {"buyer": "h2", "seller": "h1", "vpp": "v1", "price": 20, "transaction_fee": 2, "mining_fee": 2},
    ),
    "coin.Wallets.pay_rewards": lambda: (
        wallets().pay_rewards,
        {"winners": ["v1", "v2"], "fee_shares": [0, 0], "mining_reward": 500},
    ),
    "coin.Wallets.exchange": lambda: (
        wallets().exchange,
        {"node": "h1", "authority": "v1", "coins": 10, "direction": "buy"},
    ),
    "coin.Wallets.transfer": lambda: (wallets().transfer, {"sender": "h2", "receiver": "h1", "coins": 5}),
    "coin.Wallets.total": lambda: (wallets().total, {}),
    "coin.Wallets.check_conservation": lambda: (wallets().check_conservation, {}),
    # complexity
    "complexity.count_auction_literal": lambda: (complexity.count_auction_literal, {"bids": [9.0, 5.0], "asks": [4.0]}),
    "complexity.count_auction_sorted": lambda: (complexity.count_auction_sorted, {"bids": [9.0, 5.0], "asks": [4.0]}),
    "complexity.count_fees_and_welfare": lambda: (complexity.count_fees_and_welfare, {"n_trades": 5}),
    "complexity.count_miner_selection": lambda: (complexity.count_miner_selection, {"n_vpps": 4, "n_trades": 5}),
    # data
    "data.Households.days": lambda: (homes().days, {}),
    "data.Households.subset": lambda: (homes().subset, {"n_homes": 2, "start_date": "2013-01-02", "n_days": 1}),
    "data.annual_summary": lambda: (data.annual_summary, {"households": homes()}),
    "data.generate_households": lambda: (
        data.generate_households,
        {"n_homes": 2, "start_date": "2013-01-01", "n_days": 1, "seed": 3},
    ),
    "data.load_households": lambda: (data.load_households, {"path": ausgrid_file()}),
    "data.read_ausgrid": lambda: (data.read_ausgrid, {"path": ausgrid_file()}),
    "data.write_ausgrid": lambda: (
        data.write_ausgrid,
        {"households": homes(), "path": _tmp("out.csv"), "title": "fuzz"},
    ),
    # experiments
    "experiments.MiningSetting": lambda: (
        experiments.MiningSetting,
        {"name": "x", "mechanism": "ppoem", "params": {"eps3": 0.1, "sensitivity": 1.0}, "pricing": "poem"},
    ),
    "experiments.ElectionRun.counts": lambda: (election_run().counts, {}),
    "experiments.accumulate": lambda: (experiments.accumulate, {"run": election_run(), "n_vpps": 2}),
    "experiments.build_day_chain": lambda: (
        experiments.build_day_chain,
        {"homes": homes(), "day": "2013-01-01", "rng": rng(), "mining_reward": 500, "vpp_sizes": (2, 2)},
    ),
    "experiments.coin_flows": lambda: (experiments.coin_flows, {"run": election_run(), "rounds": month()["poem"]}),
    "experiments.estimate_transitions": lambda: (
        experiments.estimate_transitions,
        {"states": np.array([0, 1, 2, 1, 0]), "n_states": 3},
    ),
    "experiments.month_of_rounds": lambda: (
        experiments.month_of_rounds,
        {
            "homes": homes(),
            "rng": rng(),
            "quantiles": (0.5, 0.9, 0.99),
            "epsilons": (0.1,),
            "length": 2,
            "vpp_sizes": (2, 2),
        },
    ),
    "experiments.paper_settings": lambda: (experiments.paper_settings, {"sensitivity": 1.0, "epsilons": (0.1,)}),
    "experiments.run_elections": lambda: (
        experiments.run_elections,
        {
            "rounds": month(),
            "settings": experiments.paper_settings(epsilons=(0.1,)),
            "n_elections": 2,
            "rng": rng(),
            "mining_reward": 500.0,
        },
    ),
    "experiments.share_states": lambda: (
        experiments.share_states,
        {"rounds": month()["poem"], "vpp": 1, "thresholds": (0.1, 0.2)},
    ),
    # ledger
    "ledger.canonical": lambda: (ledger.canonical, {"obj": {"a": [1, "b"]}}),
    "ledger.make_block": lambda: (
        ledger.make_block,
        {
            "index": 0,
            "prev_hash": "0" * 64,
            "transactions": [signed_tx()],
            "miners": ["v1"],
            "rewards": [501],
            "fee_permille": 100,
            "leader_key": registry_and_keys()[1]["v1"],
        },
    ),
    "ledger.sign_transaction": lambda: (
        ledger.sign_transaction,
        {
            "tx": ledger.Transaction(seller="h1", buyer="h2", energy_wh=1, coins=1, slot="s"),
            "signers": {"h1": registry_and_keys()[1]["h1"]},
        },
    ),
    "ledger.Block.content": lambda: (a_block().content, {}),
    "ledger.Block.compute_hash": lambda: (a_block().compute_hash, {}),
    "ledger.Block.to_bytes": lambda: (a_block().to_bytes, {}),
    "ledger.Block.from_bytes": lambda: (ledger.Block.from_bytes, {"data": a_block().to_bytes()}),
    "ledger.Chain": lambda: (ledger.Chain, {"blocks": [a_block()]}),
    "ledger.Chain.validate": lambda: (
        ledger.Chain([a_block()]).validate,
        {"registry": registry_and_keys()[0], "miner_roles": frozenset({"lvpp"}), "start": 0, "mining_reward": 500},
    ),
    "ledger.Chain.to_bytes": lambda: (ledger.Chain([a_block()]).to_bytes, {}),
    "ledger.Chain.from_bytes": lambda: (ledger.Chain.from_bytes, {"data": ledger.Chain([a_block()]).to_bytes()}),
    "ledger.Ledger": lambda: (
        ledger.Ledger,
        {"layer": "lvpp", "registry": registry_and_keys()[0], "mining_reward": 500},
    ),
    "ledger.Ledger.read": lambda: (a_ledger().read, {"node_id": "h1"}),
    "ledger.Ledger.append": lambda: (
        a_ledger().append,
        {
            "node_id": "v1",
            "transactions": [signed_tx()],
            "miners": ["v1"],
            "rewards": [501],
            "key": registry_and_keys()[1]["v1"],
            "fee_permille": 100,
        },
    ),
    "ledger.Node": lambda: (ledger.Node, {"node_id": "x", "role": "home", "meter_id": "m", "public_key": bytes(32)}),
    "ledger.Registry": lambda: (ledger.Registry, {}),
    "ledger.Registry.register": lambda: (
        ledger.Registry().register,
        {"node_id": "h9", "role": "home", "meter_id": "m9", "key_seed": bytes(32)},
    ),
    "ledger.Registry.node": lambda: (registry_and_keys()[0].node, {"node_id": "h1"}),
    "ledger.Registry.verify": lambda: (
        registry_and_keys()[0].verify,
        {"node_id": "h1", "signature": bytes(64), "message": b"m"},
    ),
    "ledger.Transaction": lambda: (
        ledger.Transaction,
        {"seller": "h1", "buyer": "h2", "energy_wh": 100, "coins": 20, "slot": "s", "signatures": {}},
    ),
    "ledger.Transaction.body": lambda: (signed_tx().body, {}),
    "ledger.Transaction.to_obj": lambda: (signed_tx().to_obj, {}),
    "ledger.Transaction.from_obj": lambda: (ledger.Transaction.from_obj, {"obj": signed_tx().to_obj()}),
    "ledger.Transaction.check": lambda: (signed_tx().check, {"registry": registry_and_keys()[0]}),
    # incentives
    "incentives.utility": lambda: (
        incentives.utility,
        {
            "bids": [10.0, 8.0, 6.0],
            "asks": [1.0, 3.0, 5.0],
            "mechanism": "sbba",
            "side": "seller",
            "index": 1,
            "value": 3.0,
            "n_draws": 2,
            "seed": 0,
        },
    ),
    "incentives.best_misreport": lambda: (
        incentives.best_misreport,
        {"bids": [10.0, 8.0, 6.0], "asks": [1.0, 3.0, 5.0], "mechanism": "mcafee", "side": "buyer", "index": 2},
    ),
    "incentives.audit_traders": lambda: (
        incentives.audit_traders,
        {
            "bids": [10.0, 10.0, 6.0],
            "asks": [1.0, 9.0],
            "mechanism": "vcg",
            "bid_owner": [0, 0, 1],
            "ask_owner": [0, 1],
            "traders": [("buyer", 0), ("seller", 1)],
        },
    ),
    "incentives.audit_markets": lambda: (
        incentives.audit_markets,
        {"markets": [([10.0, 8.0, 6.0], [1.0, 3.0, 5.0]), ([4.0], [2.0])], "mechanism": "mcafee", "seed": 1},
    ),
    "incentives.best_responses": lambda: (
        incentives.best_responses,
        {"bids": [10.0, 8.0, 6.0], "asks": [1.0, 3.0, 5.0], "mechanism": "pay-as-bid"},
    ),
    "incentives.gain_from_trade": lambda: (
        incentives.gain_from_trade,
        {"mechanism": "sbba", "n": 4, "n_markets": 5, "rng": rng(), "low": 1.0, "high": 1000.0},
    ),
    "incentives.published_gain_from_trade": lambda: (incentives.published_gain_from_trade, {}),
    "incentives.wash_trading_gain": lambda: (
        incentives.wash_trading_gain,
        {
            "vpp_energy": [[1.0, 3.0, 0.5], [2.0, 0.0, 1.0]],
            "mining_sum": [2.0, 1.0],
            "fee_rate": [0.1, 0.03],
            "fake_kwh": [0.5, 2.0],
            "mechanism": "ppoem",
            "price": 30.0,
            "mining_reward": 500.0,
            "eps3": 0.1,
            "sensitivity": 1.0,
        },
    ),
    # mechanisms
    "mechanisms.clear": lambda: (
        mechanisms.clear,
        {"bids": [10.0, 8.0, 6.0, 2.0], "asks": [1.0, 3.0, 5.0, 9.0], "mechanism": "sbba", "rng": rng()},
    ),
    # market
    "market.PriceModel": lambda: (
        market.PriceModel,
        {"ask_low": 7.7, "ask_high": 20.0, "bid_low": 12.9, "bid_high": 28.0, "jitter": 0.1},
    ),
    "market.slot_market": lambda: (
        market.slot_market,
        {
            "surplus_kwh": [0.35, 0.0, 0.2],
            "deficit_kwh": [0.0, 0.25, 0.0],
            "ask": [9.0, 10.0, 12.0],
            "bid": [20.0, 22.0, 25.0],
            "slot_kwh": 0.1,
        },
    ),
    "market.assign_vpps": lambda: (market.assign_vpps, {"sizes": [2, 3], "n_homes": 5}),
    "market.auction_welfare": lambda: (
        market.auction_welfare,
        {
            "n_buyers": 3,
            "n_sellers": 3,
            "n_reps": 2,
            "rng": rng(),
            "settings": {"poem": {"pricing": "poem"}},
            "price_model": market.PriceModel(),
            "state": state.SystemState.STABLE,
        },
    ),
    "market.hourly_energy": lambda: (market.hourly_energy, {"homes": homes()}),
    "market.household_prices": lambda: (
        market.household_prices,
        {"n_homes": 3, "rng": rng(), "model": market.PriceModel()},
    ),
    "market.run_rounds": lambda: (
        market.run_rounds,
        {
            "homes": homes(),
            "limits": LIMITS,
            "rng": rng(),
            "vpp_sizes": (2, 2),
            "price_model": market.PriceModel(),
            "slot_kwh": 0.1,
            "pricing": "poem",
        },
    ),
    "market.trading_round": lambda: (
        market.trading_round,
        {
            "surplus_kwh": [0.3, 0.0],
            "deficit_kwh": [0.0, 0.2],
            "ask": [8.0, 9.0],
            "bid": [15.0, 20.0],
            "vpp_of_home": [0, 1],
            "state": state.SystemState.STABLE,
            "slot_kwh": 0.1,
            "pricing": "poem",
            "rng": None,
        },
    ),
    # mining
    "mining.elect": lambda: (
        mining.elect,
        {"energy": E, "mechanism": "ppoem", "n_elections": 5, "rng": rng(), "eps3": 0.1, "sensitivity": 1.0},
    ),
    "mining.log_weights": lambda: (mining.log_weights, {"energy": E, "mechanism": "poe", "floor": 1e-3}),
    "mining.place_probabilities": lambda: (
        mining.place_probabilities,
        {"energy": E, "mechanism": "ppoem", "eps3": 0.1, "sensitivity": 1.0},
    ),
    "mining.rewards": lambda: (
        mining.rewards,
        {
            "winners": np.array([[0, 1, 2], [1, -1, -1]]),
            "mining_sum": [3.0, 4.0],
            "mechanism": "ppoem",
            "mining_reward": 500.0,
            "rng": rng(),
        },
    ),
    "mining.winner_probabilities": lambda: (
        mining.winner_probabilities,
        {"energy": E, "mechanism": "ppoem", "eps3": 0.1, "sensitivity": 1.0},
    ),
    # plotting
    "plotting.plot_demand_with_states": lambda: (
        plotting.plot_demand_with_states,
        {
            "ax": _axes(),
            "timestamps": np.arange("2013-01-01T00", "2013-01-01T04", dtype="datetime64[h]"),
            "demand": [0.5, 1.5, 2.5, 3.5],
            "limits": LIMITS,
            "unit": "kW",
        },
    ),
    # privacy
    "privacy.broken_laplace": lambda: (privacy.broken_laplace, {"eps": 0.5}),
    "privacy.election_sampler": lambda: (
        privacy.election_sampler,
        {"mechanism": "ppoem", "places": 3, "eps3": 0.1, "sensitivity": 1.0},
    ),
    "privacy.find_stress_pair": lambda: (
        privacy.find_stress_pair,
        {
            "law": lambda e: mining.winner_probabilities(e, "ppoem", eps3=1.0, sensitivity=1.0),
            "relation": "move",
            "rng": rng(),
            "n_trials": 5,
            "floor": 1e-3,
            "max_vpps": 4,
            "scales": (2.0, 5.0),
            "delta": 1.0,
        },
    ),
    "privacy.laplace": lambda: (privacy.laplace, {"eps": 0.5, "length": 2, "name": "x"}),
    "privacy.laplace_string_log_density": lambda: (
        privacy.laplace_string_log_density,
        {
            "bid": 20.0,
            "x": np.array([[12.0, 19.0]]),
            "ask": 10.0,
            "eps1": 0.3,
            "laplace_sensitivity": 1.0,
            "keep": "truncate",
            "centre": "bid",
        },
    ),
    "privacy.ppoem_price_sampler": lambda: (
        privacy.ppoem_price_sampler,
        {"ask": 10.0, "eps1": 0.1, "eps2": 0.1, "length": 3},
    ),
    "privacy.ppoem_string_sampler": lambda: (privacy.ppoem_string_sampler, {"ask": 10.0, "eps1": 0.1, "length": 3}),
    "privacy.price_selection_law": lambda: (
        privacy.price_selection_law,
        {"string": [11.0, 15.0, 19.0], "bid": 20.0, "ask": 10.0, "eps2": 2.0, "quality_sensitivity": 1.0},
    ),
    "privacy.randomized_response": lambda: (privacy.randomized_response, {"eps": 0.5}),
    "privacy.repaired_election": lambda: (
        privacy.repaired_election,
        {"energy": E, "n_elections": 3, "rng": rng(), "eps3": 0.3, "sensitivity": 1.0},
    ),
    "privacy.repaired_ppoem_prices": lambda: (
        privacy.repaired_ppoem_prices,
        {
            "bid": [20.0, 15.0],
            "ask": [10.0, 12.0],
            "eps1": 0.1,
            "eps2": 0.1,
            "length": 3,
            "rng": rng(),
            "price_range": (7.7, 28.0),
            "sensitivity": 1.0,
        },
    ),
    "privacy.report_noisy_max": lambda: (
        privacy.report_noisy_max,
        {"eps": 1.0, "counts": (0.0, 0.0, 0.0), "neighbour": (1.0, 0.0, 0.0)},
    ),
    "privacy.report_noisy_max_law": lambda: (privacy.report_noisy_max_law, {"counts": [1.0, 0.0, 0.0], "eps": 1.0}),
    # recovery
    "recovery.fault_injection": lambda: (
        recovery.fault_injection,
        {
            "fault": "stale",
            "n_faulty": 2,
            "n_vpps": 5,
            "n_trials": 20,
            "rng": rng(),
            "threshold": "network",
            "stale_depth": 1,
        },
    ),
    "recovery.recover_meter": lambda: (recovery.recover_meter, {"leader_response": "ab"}),
    "recovery.recover_vpp": lambda: (
        recovery.recover_vpp,
        {"responses": ["a", "a", None], "n_vpps": 3, "threshold": "network"},
    ),
    # report
    "report.collect_verdicts": lambda: (report.collect_verdicts, {"notebook_paths": []}),
    "report.collect_findings": lambda: (report.collect_findings, {"notebook_paths": []}),
    "report.findings_table": lambda: (
        report.findings_table,
        {"rows": [("Eq. 12", "35 % of the pool is paid to nobody")], "label": "tab-findings-x"},
    ),
    "report.markdown_table": lambda: (
        report.markdown_table,
        {"header": ["a", "b"], "rows": [[1, 2.5]], "align": "lr", "label": "tab-x", "caption": "c"},
    ),
    "report.rounded": lambda: (report.rounded, {"value": 1.2345678, "digits": 6, "rtol": 1e-12}),
    "report.verdict_table": lambda: (
        report.verdict_table,
        {"rows": [("claim", "finding", "reproduced")], "label": "tab-verdicts-x"},
    ),
    # settlement
    "settlement.ppoem_price_string": lambda: (
        settlement.ppoem_price_string,
        {
            "bid": np.array([20.0]),
            "ask": np.array([10.0]),
            "eps1": 0.1,
            "length": 3,
            "rng": rng(),
            "laplace_sensitivity": 1.0,
            "centre": "bid",
            "keep": "truncate",
        },
    ),
    "settlement.ppoem_prices": lambda: (
        settlement.ppoem_prices,
        {
            "bid": np.array([20.0, 15.0]),
            "ask": np.array([10.0, 15.0]),
            "eps1": 0.1,
            "eps2": 0.1,
            "length": 3,
            "rng": rng(),
            "laplace_sensitivity": 1.0,
            "quality_sensitivity": 1.0,
            "centre": "bid",
            "keep": "truncate",
            "quality": "maxmin",
        },
    ),
    "settlement.select_price": lambda: (
        settlement.select_price,
        {
            "string": np.array([[11.0, 12.0], [14.0, 15.0]]),
            "bid": np.array([20.0, 15.0]),
            "ask": np.array([10.0, 14.0]),
            "eps2": 0.1,
            "quality_sensitivity": 1.0,
            "rng": rng(),
            "quality": "maxmin",
        },
    ),
    "settlement.settle": lambda: (
        settlement.settle,
        {"trades": trades(), "price": np.array([8.0, 6.5]), "state": state.SystemState.WARNING},
    ),
    "settlement.settle_poem": lambda: (
        settlement.settle_poem,
        {"trades": trades(), "state": state.SystemState.STABLE, "price_rule": "ask"},
    ),
    "settlement.settle_ppoem": lambda: (
        settlement.settle_ppoem,
        {"trades": trades(), "state": state.SystemState.STABLE, "rng": rng(), "eps1": 0.1, "eps2": 0.1, "length": 3},
    ),
    "settlement.truncated_laplace": lambda: (
        settlement.truncated_laplace,
        {
            "centre": np.array([5.0]),
            "scale": 2.0,
            "low": np.array([1.0]),
            "high": np.array([4.0]),
            "rng": rng(),
            "size": (1, 3),
        },
    ),
    # simulate
    "simulate.market_race": lambda: (
        simulate.market_race,
        {"x_trades": 3, "y_trades": 2, "n_trials": 10, "rng": rng()},
    ),
    "simulate.mean_run_length": lambda: (simulate.mean_run_length, {"in_set": [True, True, False, True]}),
    "simulate.queue_throughput": lambda: (
        simulate.queue_throughput,
        {"arrival": 1.0, "service": 2.0, "capacity": 3, "horizon": 20.0, "n_reps": 3, "rng": rng(), "warmup": 1.0},
    ),
    "simulate.run_lengths": lambda: (simulate.run_lengths, {"in_set": [True, True, False, True]}),
    "simulate.simulate_chain": lambda: (simulate.simulate_chain, {"p": P3, "steps": 10, "start": 0, "rng": rng()}),
    "simulate.two_state_shares": lambda: (
        simulate.two_state_shares,
        {"n_customers": 10, "steps": 3, "start": 0.5, "p_out": 0.1, "p_in": 0.2, "rng": rng()},
    ),
    # state
    "state.StateLimits": lambda: (state.StateLimits, {"stable": 1.0, "breakdown": 2.0, "shutdown": 3.0}),
    "state.StateLimits.as_array": lambda: (LIMITS.as_array, {}),
    "state.SystemState": lambda: (state.SystemState, {"value": 2}),
    "state.classify_demand": lambda: (
        state.classify_demand,
        {"demand": [0.5, 2.5], "limits": LIMITS, "nonpositive": "stable"},
    ),
    "state.fee_rates": lambda: (state.fee_rates, {"states": [0, 1, 3]}),
    "state.limits_from_quantiles": lambda: (
        state.limits_from_quantiles,
        {"demand": np.linspace(0.0, 10.0, 50), "quantiles": (0.5, 0.9, 0.99)},
    ),
    "state.state_occupancy": lambda: (state.state_occupancy, {"codes": [0, 1, 1, 3]}),
    # threats
    "threats.Threat": lambda: (
        threats.Threat,
        {"name": "n", "claim": "c", "status": "defended", "defence": "d", "attack": threats.THREATS[0].attack},
    ),
    "threats.demo_network": lambda: (threats.demo_network, {}),
    "threats.try_threat": lambda: (threats.try_threat, {"threat": threats.THREATS[0]}),
    "threats.random_alterations": lambda: (
        threats.random_alterations,
        {"chain": ledger.Chain([a_block()]), "registry": registry_and_keys()[0], "n": 3, "rng": rng()},
    ),
    "threats.expected_refusal": lambda: (threats.expected_refusal, {"threat": threats.THREATS[-1]}),
    "threats.Network.trade": lambda: (
        threats.demo_network().trade,
        {"seller": "h1", "buyer": "h2", "coins": 5, "slot": "2013-01-03T10:00", "nonce": 3},
    ),
    "threats.Network.mine": _mine_call,
    "threats.Network.chain": lambda: (threats.demo_network().chain, {}),
    # theory
    "theory.leader_profit": lambda: (
        theory.leader_profit,
        {"arrival": 1.0, "service": 2.0, "capacity": 5, "gain": 3.0, "cost": 0.5},
    ),
    "theory.market_race_ballot": lambda: (theory.market_race_ballot, {"s_x": [3.0, 1.0], "s_y": [1.0, 2.0]}),
    "theory.market_race_exact": lambda: (theory.market_race_exact, {"x_trades": 4, "y_trades": 2}),
    "theory.market_race_printed": lambda: (
        theory.market_race_printed,
        {"s_x": [3.0, 1.0], "s_y": [1.0, 2.0], "e": 1.0},
    ),
    "theory.mean_sojourn": lambda: (theory.mean_sojourn, {"p": P3, "high": (0,)}),
    "theory.mean_sojourn_printed": lambda: (
        theory.mean_sojourn_printed,
        {"p": P3, "high": (0,), "mid": (1,), "low": (2,)},
    ),
    "theory.share_after": lambda: (theory.share_after, {"steps": [0, 1, 5], "start": 0.5, "p_out": 0.1, "p_in": 0.2}),
    "theory.stationary_distribution": lambda: (theory.stationary_distribution, {"p": P3}),
    "theory.steady_share": lambda: (theory.steady_share, {"p_out": [0.1, 0.3], "p_in": 0.2}),
    "theory.throughput": lambda: (theory.throughput, {"arrival": 1.0, "service": 2.0, "capacity": 5}),
    # accounting
    "accounting.basic_epsilon": lambda: (
        accounting.basic_epsilon,
        {"events": [("laplace", 10.0, 3), ("pure", 0.1, 2)]},
    ),
    "accounting.pld_epsilon": lambda: (
        accounting.pld_epsilon,
        {"events": [("laplace", 10.0, 3), ("pure", 0.1, 2)], "delta": 1e-6, "discretization": 1e-3},
    ),
    "accounting.optimal_pure_delta": lambda: (accounting.optimal_pure_delta, {"eps0": 0.2, "k": 5, "eps": 0.5}),
    "accounting.ppoem_slot_events": lambda: (
        accounting.ppoem_slot_events,
        {"distance": 1.0, "eps1": 0.1, "eps2": 0.1, "length": 10, "f_i": 1.0, "dq1": 1.0},
    ),
    "accounting.slot_events_total": lambda: (
        accounting.slot_events_total,
        {"events": [("laplace", 10.0, 10), ("pure", 0.1, 1)], "slots": 4},
    ),
    # repair
    "repair.clearing_quality": lambda: (
        repair.clearing_quality,
        {
            "bids": [20.0, 15.0, 12.0],
            "asks": [10.0, 14.0],
            "grid": [11.0, 14.0, 16.0],
            "bid_owner": [0, 0, 1],
            "ask_owner": [2, 3],
            "cap": 1,
        },
    ),
    "repair.noise_scale": lambda: (repair.noise_scale, {"eps": 1.0, "cap": 10}),
    "repair.select_price": lambda: (repair.select_price, {"quality": [0.0, 2.0, 1.0], "scale": 1.0, "rng": rng()}),
    "repair.price_law": lambda: (repair.price_law, {"quality": [0.0, 2.0, 1.0], "scale": 1.0}),
    "repair.clear_at": lambda: (
        repair.clear_at,
        {"bids": [20.0, 15.0, 12.0], "asks": [10.0, 14.0], "price": 14.5, "rng": rng()},
    ),
    "repair.repaired_round": lambda: (
        repair.repaired_round,
        {
            "surplus_kwh": [0.5, 0.0, 0.3],
            "deficit_kwh": [0.0, 0.6, 0.0],
            "ask": [10.0, 11.0, 12.0],
            "bid": [20.0, 25.0, 22.0],
            "eps": 1.0,
            "cap": 3,
            "rng": rng(),
        },
    ),
    # units and the round prices
    "units.slot_sensitivities": lambda: (units.slot_sensitivities, {"slot_kwh": 0.1}),
    "market.round_prices": lambda: (market.round_prices, {"n_homes": 3, "n_rounds": 2, "rng": rng()}),
    "experiments.month_prices": lambda: (experiments.month_prices, {"homes": homes(), "rng": rng()}),
    "experiments.home_slots_traded": lambda: (
        experiments.home_slots_traded,
        {"homes": homes(), "rng": rng(), "vpp_sizes": (2, 2), "slot_kwh": 0.1},
    ),
    # stability
    "stability.seed_sets": lambda: (stability.seed_sets, {"n": 2, "root": 3}),
    "stability.welfare_trend": lambda: (
        stability.welfare_trend,
        {"x": [1.0, 2.0, 3.0], "mean": [1.0, 1.5, 3.0], "se": [0.1, 0.2, 0.1]},
    ),
    "stability.fig5_settings": lambda: (stability.fig5_settings, {"epsilons": (0.1, 0.01)}),
    "stability.fig5_grid": lambda: (stability.fig5_grid, {"rng": rng(), "reps": 2, "counts": [2, 3]}),
    "stability.fig5_trends": lambda: (stability.fig5_trends, {"grid": fig5_grid()}),
    "stability.fig5_verdict": lambda: (
        stability.fig5_verdict,
        {"trends": {"PoEM": (3.0, 0.0, 2.5, 0.0), "PPoEM eps=0.1": (3.0, 1.0, -2.5, 0.0)}},
    ),
    "stability.price_scale_shares": lambda: (
        stability.price_scale_shares,
        {"rng": rng(), "scales": (1, 10), "reps": 2},
    ),
    "stability.similar_from": lambda: (
        stability.similar_from,
        {"shares": {1: {0.1: 0.5, 0.01: 0.4, 0.001: 0.3}, 10: {0.1: 0.9, 0.01: 0.5, 0.001: 0.4}}, "share": 0.8},
    ),
    "stability.similar_verdict": lambda: (stability.similar_verdict, {"start": {0.1: 10, 0.01: None, 0.001: None}}),
    "stability.negative_welfare_share": lambda: (
        stability.negative_welfare_share,
        {"rng": rng(), "n_auctions": 3, "n": 5},
    ),
    "stability.clear_lead": lambda: (stability.clear_lead, {"share": [0.2, 0.5, 0.3], "n_elections": 100}),
    "stability.dq2_map": lambda: (
        stability.dq2_map,
        {"energy_rows": [[0.5, 1.0, 2.0], [1.0, 0.0, 0.3]], "n_elections": 100, "dq2_wh": (1000, 10), "flat": True},
    ),
    "stability.assignment_leaders": lambda: (
        stability.assignment_leaders,
        {"homes": trading_homes(), "vpp_sizes": (5, 5), "n_assign": 1, "rng": rng(), "n_elections": 100},
    ),
    "stability.vpp10_verdict": lambda: (
        stability.vpp10_verdict,
        {"assignments": stability.Assignments(3, (2, -1), (False, False), ((10.0,), ())), "big_first_dq2": [30.0]},
    ),
    "stability.equalise_verdict": lambda: (stability.equalise_verdict, {"flat_dq2": [1000.0, 300.0]}),
    "stability.top_seller_curve": lambda: (
        stability.top_seller_curve,
        {"energy_rows": [[0.5, 1.0, 2.0], [1.0, 0.0, 0.3]], "ratios": [0.1, 1.0, 10.0, 100.0]},
    ),
    "stability.top_seller_verdict": lambda: (
        stability.top_seller_verdict,
        {"curve": stability.top_seller_curve([[0.5, 1.0, 2.0]], ratios=[0.1, 10.0, 1000.0]), "at_ratio": 0.1},
    ),
    "stability.election_law_worst_z": lambda: (stability.election_law_worst_z, {"runs": {"PoEM": election_run()}}),
    "stability.election_law_threshold": lambda: (stability.election_law_threshold, {"n_cells": 300, "level": 0.01}),
    "stability.checks_of": lambda: (stability.checks_of, {"chapter": "market"}),
    "stability.recompute": lambda: (stability.recompute, {"check": LIGHT_CHECK, "seeds": stability.Seeds(1, 2, 3)}),
    "stability.sweep": lambda: (
        stability.sweep,
        {"seeds": stability.seed_sets(2), "checks": [LIGHT_CHECK]},
    ),
    "stability.cache_key": lambda: (stability.cache_key, {"seeds": stability.seed_sets(2), "checks": [LIGHT_CHECK]}),
    "stability.cached_sweep": lambda: (
        stability.cached_sweep,
        {"path": _tmp("no-sweep.json"), "seeds": stability.seed_sets(1), "checks": [LIGHT_CHECK]},
    ),
}

#: Records: frozen result types, each produced by the target named here (checked by the coverage test).
RECORDS: dict[str, str] = {
    "auction.Trades": "auction.match",
    "audit.AuditResult": "audit.epsilon_lower_bound",
    "book.BookData": "book.book_data",
    "complexity.Counts": "complexity.count_fees_and_welfare",
    "incentives.Misreport": "incentives.best_misreport",
    "incentives.GainFromTrade": "incentives.gain_from_trade",
    "incentives.MarketAudit": "incentives.audit_markets",
    "market.SlotMarket": "market.slot_market",
    "mechanisms.Outcome": "mechanisms.clear",
    "data.Households": "data.generate_households",
    "experiments.DayChain": "experiments.build_day_chain",
    "experiments.ElectionRun": "experiments.run_elections",
    "market.MonthRounds": "market.run_rounds",
    "market.Round": "market.trading_round",
    "mining.Rewards": "mining.rewards",
    "privacy.Mechanism": "privacy.laplace",
    "privacy.StressPair": "privacy.find_stress_pair",
    "recovery.Outcome": "recovery.recover_vpp",
    "settlement.Settlement": "settlement.settle",
    "threats.Attempt": "threats.try_threat",
    "threats.Network": "threats.demo_network",
    "repair.RepairedRound": "repair.repaired_round",
    "stability.Seeds": "stability.seed_sets",
    "stability.Replicate": "stability.recompute",
    "stability.SeedCheck": "stability.checks_of",
    "stability.Fig5Grid": "stability.fig5_grid",
    "stability.Dq2Map": "stability.dq2_map",
    "stability.Assignments": "stability.assignment_leaders",
    "stability.TopSellerCurve": "stability.top_seller_curve",
}

#: Exceptions, whose contract is to be raised, not called.
EXCEPTIONS = ("coin.CoinError", "ledger.ValidationError")

#: Exceptions other than ValueError that a target documents: PermissionError for a node id that is not
#: registered, or has no right to read or mine a layer.
DOCUMENTED_ERRORS: dict[str, type[Exception]] = {
    name: PermissionError
    for name in (
        "ledger.Ledger.read",
        "ledger.Ledger.append",
        "ledger.Registry.node",
        "coin.Wallets.trade",
        "coin.Wallets.pay_rewards",
        "coin.Wallets.exchange",
    )
}

#: Targets documented to return NaN for some finite input (the docstring says where).
NAN_DOCUMENTED = {"theory.market_race_printed", "theory.steady_share", "simulate.mean_run_length"}


def public_names() -> list[str]:
    """``module.name`` of every name in every module's ``__all__``."""
    return [f"{m.__name__.removeprefix('vpt.')}.{name}" for m in MODULES for name in m.__all__]
