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
import pkgutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import vpt
from vpt import book, data, market, privacy, readings, seeds, state, theory, units
from vpt.book import claims, parallel, plotting, published, report, sweep
from vpt.book import frontier as book_frontier
from vpt.chain import coin, day_chain, ledger, recovery, threats
from vpt.market import auction, experiments, incentives, mechanisms, mining, settlement, stability
from vpt.privacy import accounting, audit, laws, repair
from vpt.repaired import protocol, records
from vpt.theory import complexity, simulate

#: Every module of the package (a leaf of the subpackages, or a ground module), whose ``__all__`` the suite covers.
MODULES = tuple(
    importlib.import_module(m.name)
    for m in pkgutil.walk_packages(vpt.__path__, "vpt.")
    if not m.ispkg and not m.name.rsplit(".", 1)[-1].startswith("_")
)

Call = tuple[Callable[..., Any], dict[str, Any]]


def repaired_inputs() -> dict[str, np.ndarray]:
    """Two days of three homes: home 0 buys 0.5 kWh at 20 c, home 1 sells 0.4 kWh at 10 c, home 2 varies."""
    g = np.random.default_rng(11)
    surplus = np.zeros((3, 48))
    deficit = np.zeros((3, 48))
    deficit[0], surplus[1] = 0.5, 0.4
    surplus[2], deficit[2] = g.uniform(0, 0.3, 48), g.uniform(0, 0.3, 48)
    asks = np.tile([15.0, 10.0, 12.0], (48, 1))
    bids = np.tile([20.0, 18.0, 22.0], (48, 1))
    return {"surplus_kwh": surplus, "deficit_kwh": deficit, "asks": asks, "bids": bids}


def repaired_tables() -> protocol.RoundTables:
    return protocol.round_tables(**repaired_inputs(), cap=2)


KEYS = [bytes(16), bytes(range(16))]


def rng() -> np.random.Generator:
    return np.random.default_rng(0)


LIMITS = state.StateLimits(stable=1.0, breakdown=2.0, shutdown=3.0)


@functools.cache
def homes() -> data.Households:
    return data.generate_households(n_homes=4, n_days=2, seed=1)


@functools.cache
def _net_csv() -> Path:
    """A one-day net-energy file of two homes (data.read_net)."""
    path = _tmp("net.csv")
    t = np.arange("2013-01-01T00:00", "2013-01-02T00:00", 30, dtype="datetime64[m]")
    rows = [f"{c},{str(x).replace('T', ' ')},{0.1 * (k % 5) - 0.2:.2f}" for c in (3, 7) for k, x in enumerate(t)]
    Path(path).write_text("\n".join(["customer,timestamp,net_kwh", *rows]) + "\n")
    return path


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


def _light_replicate(s: seeds.Seeds) -> seeds.Replicate:
    return seeds.Replicate("reproduced", f"data seed mod 7 = {s.data % 7}")


#: A seed check that costs nothing, for the sweep's targets.
LIGHT_CHECK = seeds.SeedCheck("market", "a light check", _light_replicate)


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
    "market.auction:match": lambda: (
        auction.match,
        {"bids": [9.0, 7.0, 5.0], "asks": [4.0, 6.0], "seller_order": "sorted"},
    ),
    "market.auction:match_literal": lambda: (
        auction.match_literal,
        {"bids": [9.0, 7.0, 5.0], "asks": [4.0, 6.0], "seller_order": "given"},
    ),
    "market.auction:Trades.from_indices": lambda: (
        auction.Trades.from_indices,
        {"buyer": [0], "seller": [1], "bids": np.array([9.0]), "asks": np.array([3.0, 4.0])},
    ),
    # audit
    "privacy.audit:clopper_pearson": lambda: (
        audit.clopper_pearson,
        {"k": [0, 3, 10], "n": 10, "level": 0.05, "side": "lower"},
    ),
    "privacy.audit:epsilon_lower_bound": lambda: (
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
    "privacy.laws:bare_ppoem_price_density": lambda: (
        laws.bare_ppoem_price_density,
        {"x": [0.0, 15.0, 30.0], "bid": 20.0, "ask": 12.0, "eps1": 0.1, "eps2": 0.1, "length": 5},
    ),
    "privacy.laws:bare_ppoem_price_loss": lambda: (
        laws.bare_ppoem_price_loss,
        {"bid": 20.0, "neighbour_bid": 21.0, "ask": 12.0, "eps1": 0.1, "eps2": 0.1, "length": 5, "points": 201},
    ),
    "privacy.laws:exact_epsilon": lambda: (laws.exact_epsilon, {"p": [0.25, 0.75], "q": [0.5, 0.5]}),
    "privacy.laws:ordered_top3_law": lambda: (laws.ordered_top3_law, {"log_weights": [0.0, 1.0, -1.0, 0.5]}),
    # book
    "book.settings:book_data": lambda: (
        book.book_data,
        {"path": None, "n_homes": 100, "vpp_sizes": None, "start": "2013-01-03", "n_days": 5},
    ),
    # coin
    "chain.coin:Wallets": lambda: (coin.Wallets, {"registry": registry_and_keys()[0]}),
    "chain.coin:Wallets.held": lambda: (wallets().held, {"node_id": "h2"}),
    "chain.coin:Wallets.trade": lambda: (
        wallets().trade,
        {"buyer": "h2", "seller": "h1", "vpp": "v1", "price": 20, "transaction_fee": 2, "mining_fee": 2},
    ),
    "chain.coin:Wallets.pay_rewards": lambda: (
        wallets().pay_rewards,
        {"winners": ["v1", "v2"], "fee_shares": [0, 0], "mining_reward": 500},
    ),
    "chain.coin:Wallets.exchange": lambda: (
        wallets().exchange,
        {"node": "h1", "authority": "v1", "coins": 10, "direction": "buy"},
    ),
    "chain.coin:Wallets.transfer": lambda: (wallets().transfer, {"sender": "h2", "receiver": "h1", "coins": 5}),
    "chain.coin:Wallets.total": lambda: (wallets().total, {}),
    "chain.coin:Wallets.check_conservation": lambda: (wallets().check_conservation, {}),
    # complexity
    "theory.complexity:count_auction_literal": lambda: (
        complexity.count_auction_literal,
        {"bids": [9.0, 5.0], "asks": [4.0]},
    ),
    "theory.complexity:count_auction_sorted": lambda: (
        complexity.count_auction_sorted,
        {"bids": [9.0, 5.0], "asks": [4.0]},
    ),
    "theory.complexity:count_fees_and_welfare": lambda: (complexity.count_fees_and_welfare, {"n_trades": 5}),
    "theory.complexity:count_miner_selection": lambda: (complexity.count_miner_selection, {"n_vpps": 4, "n_trades": 5}),
    # data
    "data:Households.days": lambda: (homes().days, {}),
    "data:Households.subset": lambda: (homes().subset, {"n_homes": 2, "start_date": "2013-01-02", "n_days": 1}),
    "data:annual_summary": lambda: (data.annual_summary, {"households": homes()}),
    # the data classes validate on construction like the functions do
    "data:Households": lambda: (
        data.Households,
        {
            f: getattr(homes(), f)
            for f in (
                "customer",
                "postcode",
                "capacity_kwp",
                "timestamps",
                "consumption",
                "controlled_load",
                "generation",
            )
        },
    ),
    "market.auction:Trades": lambda: (
        auction.Trades,
        {"buyer": trades().buyer, "seller": trades().seller, "bid": trades().bid, "ask": trades().ask},
    ),
    "market.mining:Rewards": lambda: (
        mining.Rewards,
        {"paid": np.array([[535.0, 3.0, 1.5]]), "unpaid": np.array([0.0]), "minted": np.array([500.0])},
    ),
    "data:generate_households": lambda: (
        data.generate_households,
        {"n_homes": 2, "start_date": "2013-01-01", "n_days": 1, "seed": 3},
    ),
    "data:load_households": lambda: (data.load_households, {"path": ausgrid_file()}),
    "data:read_ausgrid": lambda: (data.read_ausgrid, {"path": ausgrid_file()}),
    "data:write_ausgrid": lambda: (
        data.write_ausgrid,
        {"households": homes(), "path": _tmp("out.csv"), "title": "fuzz"},
    ),
    # experiments
    "market.experiments:MiningSetting": lambda: (
        experiments.MiningSetting,
        {"name": "x", "mechanism": "ppoem", "params": {"eps3": 0.1, "sensitivity": 1.0}, "pricing": "poem"},
    ),
    "market.experiments:ElectionRun.counts": lambda: (election_run().counts, {}),
    "market.experiments:accumulate": lambda: (experiments.accumulate, {"run": election_run(), "n_vpps": 2}),
    "chain.day_chain:build_day_chain": lambda: (
        day_chain.build_day_chain,
        {"homes": homes(), "day": "2013-01-01", "rng": rng(), "mining_reward": 500, "vpp_sizes": (2, 2)},
    ),
    "data:households_from_net": lambda: (
        data.households_from_net,
        {
            "customer": [7, 3],
            "timestamps": np.arange("2013-01-01T00:00", "2013-01-02T00:00", 30, dtype="datetime64[m]"),
            "net_kwh": np.tile(np.linspace(-0.5, 0.5, 48), (2, 1)),
            "postcode": [2000, 2001],
            "capacity_kwp": [1.5, 2.0],
        },
    ),
    "data:read_net": lambda: (data.read_net, {"path": _net_csv()}),
    "data:is_net_file": lambda: (data.is_net_file, {"path": _net_csv()}),
    "chain.day_chain:build_trading_day_chain": lambda: (
        day_chain.build_trading_day_chain,
        {"homes": homes(), "seed": 3, "prefer": 1, "mining_reward": 500, "vpp_sizes": (2, 2)},
    ),
    "market.experiments:coin_flows": lambda: (
        experiments.coin_flows,
        {"run": election_run(), "rounds": month()["poem"]},
    ),
    "market.experiments:estimate_transitions": lambda: (
        experiments.estimate_transitions,
        {"states": np.array([0, 1, 2, 1, 0]), "n_states": 3},
    ),
    "market.experiments:month_of_rounds": lambda: (
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
    "market.experiments:paper_settings": lambda: (experiments.paper_settings, {"sensitivity": 1.0, "epsilons": (0.1,)}),
    "market.experiments:run_elections": lambda: (
        experiments.run_elections,
        {
            "rounds": month(),
            "settings": experiments.paper_settings(epsilons=(0.1,)),
            "n_elections": 2,
            "rng": rng(),
            "mining_reward": 500.0,
        },
    ),
    "market.experiments:share_states": lambda: (
        experiments.share_states,
        {"rounds": month()["poem"], "vpp": 1, "thresholds": (0.1, 0.2)},
    ),
    # ledger
    "chain.ledger:canonical": lambda: (ledger.canonical, {"obj": {"a": [1, "b"]}}),
    "chain.ledger:make_block": lambda: (
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
    "chain.ledger:sign_transaction": lambda: (
        ledger.sign_transaction,
        {
            "tx": ledger.Transaction(seller="h1", buyer="h2", energy_wh=1, coins=1, slot="s"),
            "signers": {"h1": registry_and_keys()[1]["h1"]},
        },
    ),
    "chain.ledger:Block.content": lambda: (a_block().content, {}),
    "chain.ledger:Block.compute_hash": lambda: (a_block().compute_hash, {}),
    "chain.ledger:Block.to_bytes": lambda: (a_block().to_bytes, {}),
    "chain.ledger:Block.from_bytes": lambda: (ledger.Block.from_bytes, {"data": a_block().to_bytes()}),
    "chain.ledger:Chain": lambda: (ledger.Chain, {"blocks": [a_block()]}),
    "chain.ledger:Chain.validate": lambda: (
        ledger.Chain([a_block()]).validate,
        {"registry": registry_and_keys()[0], "miner_roles": frozenset({"lvpp"}), "start": 0, "mining_reward": 500},
    ),
    "chain.ledger:Chain.to_bytes": lambda: (ledger.Chain([a_block()]).to_bytes, {}),
    "chain.ledger:Chain.from_bytes": lambda: (ledger.Chain.from_bytes, {"data": ledger.Chain([a_block()]).to_bytes()}),
    "chain.ledger:Ledger": lambda: (
        ledger.Ledger,
        {"layer": "lvpp", "registry": registry_and_keys()[0], "mining_reward": 500},
    ),
    "chain.ledger:Ledger.read": lambda: (a_ledger().read, {"node_id": "h1"}),
    "chain.ledger:Ledger.append": lambda: (
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
    "chain.ledger:Node": lambda: (
        ledger.Node,
        {"node_id": "x", "role": "home", "meter_id": "m", "public_key": bytes(32)},
    ),
    "chain.ledger:Registry": lambda: (ledger.Registry, {}),
    "chain.ledger:Registry.register": lambda: (
        ledger.Registry().register,
        {"node_id": "h9", "role": "home", "meter_id": "m9", "key_seed": bytes(32)},
    ),
    "chain.ledger:Registry.node": lambda: (registry_and_keys()[0].node, {"node_id": "h1"}),
    "chain.ledger:Registry.verify": lambda: (
        registry_and_keys()[0].verify,
        {"node_id": "h1", "signature": bytes(64), "message": b"m"},
    ),
    "chain.ledger:Transaction": lambda: (
        ledger.Transaction,
        {"seller": "h1", "buyer": "h2", "energy_wh": 100, "coins": 20, "slot": "s", "signatures": {}},
    ),
    "chain.ledger:Transaction.body": lambda: (signed_tx().body, {}),
    "chain.ledger:Transaction.to_obj": lambda: (signed_tx().to_obj, {}),
    "chain.ledger:Transaction.from_obj": lambda: (ledger.Transaction.from_obj, {"obj": signed_tx().to_obj()}),
    "chain.ledger:Transaction.check": lambda: (signed_tx().check, {"registry": registry_and_keys()[0]}),
    # incentives
    "market.incentives:utility": lambda: (
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
    "market.incentives:best_misreport": lambda: (
        incentives.best_misreport,
        {"bids": [10.0, 8.0, 6.0], "asks": [1.0, 3.0, 5.0], "mechanism": "mcafee", "side": "buyer", "index": 2},
    ),
    "market.incentives:audit_traders": lambda: (
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
    "market.incentives:audit_markets": lambda: (
        incentives.audit_markets,
        {"markets": [([10.0, 8.0, 6.0], [1.0, 3.0, 5.0]), ([4.0], [2.0])], "mechanism": "mcafee", "seed": 1},
    ),
    "market.incentives:best_responses": lambda: (
        incentives.best_responses,
        {"bids": [10.0, 8.0, 6.0], "asks": [1.0, 3.0, 5.0], "mechanism": "pay-as-bid"},
    ),
    "market.incentives:gain_from_trade": lambda: (
        incentives.gain_from_trade,
        {"mechanism": "sbba", "n": 4, "n_markets": 5, "rng": rng(), "low": 1.0, "high": 1000.0},
    ),
    "market.incentives:published_gain_from_trade": lambda: (incentives.published_gain_from_trade, {}),
    "market.incentives:best_wash_trade": lambda: (
        incentives.best_wash_trade,
        {"vpp_energy": [1.0, 3.0, 0.5], "mining_sum": 10.0, "fee_rate": 0.1, "mechanism": "poem", "price": 20.0},
    ),
    "market.incentives:wash_trading_gain": lambda: (
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
    "market.mechanisms:clear": lambda: (
        mechanisms.clear,
        {"bids": [10.0, 8.0, 6.0, 2.0], "asks": [1.0, 3.0, 5.0, 9.0], "mechanism": "sbba", "rng": rng()},
    ),
    # market
    "market.rounds:PriceModel": lambda: (
        market.PriceModel,
        {"ask_low": 7.7, "ask_high": 20.0, "bid_low": 12.9, "bid_high": 28.0, "jitter": 0.1},
    ),
    "market.rounds:slot_market": lambda: (
        market.slot_market,
        {
            "surplus_kwh": [0.35, 0.0, 0.2],
            "deficit_kwh": [0.0, 0.25, 0.0],
            "ask": [9.0, 10.0, 12.0],
            "bid": [20.0, 22.0, 25.0],
            "slot_kwh": 0.1,
        },
    ),
    "market.rounds:assign_vpps": lambda: (market.assign_vpps, {"sizes": [2, 3], "n_homes": 5}),
    "market.rounds:auction_welfare": lambda: (
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
    "market.rounds:hourly_energy": lambda: (market.hourly_energy, {"homes": homes()}),
    "market.rounds:household_prices": lambda: (
        market.household_prices,
        {"n_homes": 3, "rng": rng(), "model": market.PriceModel()},
    ),
    "market.rounds:run_rounds": lambda: (
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
    "market.rounds:trading_round": lambda: (
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
    "market.mining:elect": lambda: (
        mining.elect,
        {"energy": E, "mechanism": "ppoem", "n_elections": 5, "rng": rng(), "eps3": 0.1, "sensitivity": 1.0},
    ),
    "market.mining:log_weights": lambda: (mining.log_weights, {"energy": E, "mechanism": "poe", "floor": 1e-3}),
    "market.mining:place_probabilities": lambda: (
        mining.place_probabilities,
        {"energy": E, "mechanism": "ppoem", "eps3": 0.1, "sensitivity": 1.0},
    ),
    "market.mining:pool_from_rewards": lambda: (
        mining.pool_from_rewards,
        {"winners": [[1, 0, 2], [0, -1, -1]], "paid": [[530.0, 4.0, 2.0], [500.0, 0.0, 0.0]], "mechanism": "ppoem"},
    ),
    "market.mining:top_sellers": lambda: (mining.top_sellers, {"energy": [[2.0, 5.0, 5.0], [1.0, 0.0, 3.0]]}),
    "market.mining:rewards": lambda: (
        mining.rewards,
        {
            "winners": np.array([[0, 1, 2], [1, -1, -1]]),
            "mining_sum": [3.0, 4.0],
            "mechanism": "ppoem",
            "mining_reward": 500.0,
            "rng": rng(),
        },
    ),
    "market.mining:winner_probabilities": lambda: (
        mining.winner_probabilities,
        {"energy": E, "mechanism": "ppoem", "eps3": 0.1, "sensitivity": 1.0},
    ),
    # plotting
    "book.plotting:plot_demand_with_states": lambda: (
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
    "privacy.mechanisms:broken_laplace": lambda: (privacy.broken_laplace, {"eps": 0.5}),
    "privacy.mechanisms:election_sampler": lambda: (
        privacy.election_sampler,
        {"mechanism": "ppoem", "places": 3, "eps3": 0.1, "sensitivity": 1.0},
    ),
    "privacy.audit:find_stress_pair": lambda: (
        audit.find_stress_pair,
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
    "privacy.mechanisms:laplace": lambda: (privacy.laplace, {"eps": 0.5, "length": 2, "name": "x"}),
    "privacy.mechanisms:laplace_string_log_density": lambda: (
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
    "privacy.mechanisms:ppoem_price_sampler": lambda: (
        privacy.ppoem_price_sampler,
        {"ask": 10.0, "eps1": 0.1, "eps2": 0.1, "length": 3},
    ),
    "privacy.mechanisms:ppoem_string_sampler": lambda: (
        privacy.ppoem_string_sampler,
        {"ask": 10.0, "eps1": 0.1, "length": 3},
    ),
    "privacy.mechanisms:price_selection_law": lambda: (
        privacy.price_selection_law,
        {"string": [11.0, 15.0, 19.0], "bid": 20.0, "ask": 10.0, "eps2": 2.0, "quality_sensitivity": 1.0},
    ),
    "privacy.mechanisms:randomized_response": lambda: (privacy.randomized_response, {"eps": 0.5}),
    "privacy.repair:repaired_election": lambda: (
        repair.repaired_election,
        {"energy": E, "n_elections": 3, "rng": rng(), "eps3": 0.3, "sensitivity": 1.0},
    ),
    "privacy.repair:repaired_ppoem_prices": lambda: (
        repair.repaired_ppoem_prices,
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
    "privacy.mechanisms:report_noisy_max": lambda: (
        privacy.report_noisy_max,
        {"eps": 1.0, "counts": (0.0, 0.0, 0.0), "neighbour": (1.0, 0.0, 0.0)},
    ),
    "privacy.mechanisms:report_noisy_max_law": lambda: (
        privacy.report_noisy_max_law,
        {"counts": [1.0, 0.0, 0.0], "eps": 1.0},
    ),
    # recovery
    "chain.recovery:fault_injection": lambda: (
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
    "chain.recovery:recover_meter": lambda: (recovery.recover_meter, {"leader_response": "ab"}),
    "chain.recovery:recover_vpp": lambda: (
        recovery.recover_vpp,
        {"responses": ["a", "a", None], "n_vpps": 3, "threshold": "network"},
    ),
    # readings
    "readings:reading": lambda: (readings.reading, {"key": "dq2"}),
    "readings:Reading": lambda: (
        readings.Reading,
        {"key": "x", "parameter": "x", "paper": "p", "options": ("a", "b"), "book": "a", "unit": ""},
    ),
    "readings:Holds.options": lambda: (readings.Holds.options, {"key": "f_i", "options": ["1 price unit per entry"]}),
    "readings:Holds.interval": lambda: (readings.Holds.interval, {"low": 1.0, "high": 2.0}),
    "readings:Holds.nowhere": lambda: (readings.Holds.nowhere, {}),
    "readings:Holds.parse": lambda: (readings.Holds.parse, {"key": "dq2", "description": "from 1 to 2 Wh"}),
    "readings:Holds.contains": lambda: (readings.Holds.interval(1.0, 2.0).contains, {"value": 1.5}),
    "readings:Holds.describe": lambda: (readings.Holds.interval(1.0, 2.0).describe, {"key": "dq2"}),
    "readings:book_reading": lambda: (readings.book_reading, {}),
    "readings:holds_under": lambda: (
        readings.holds_under,
        {"cases": [{"dq2": readings.Holds.interval(1.0, 2.0)}], "values": {"dq2": 1.5}},
    ),
    "readings:joint_reading": lambda: (
        readings.joint_reading,
        {"claims": {"a": {"dq2": readings.Holds.interval(1.0, 2.0)}}, "always": ["b"]},
    ),
    "book.claims:cause_of": lambda: (
        claims.cause_of,
        {"chapter": "dp-audit", "claim": "Theorem 3 (with Lemma 1): the private auction is (eps1 + eps2)-DP."},
    ),
    "book.claims:rescues_of": lambda: (claims.rescues_of, {"chapter": "dp-audit"}),
    "book.claims:coverage": lambda: (claims.coverage, {}),
    "book.claims:rescues_table": lambda: (claims.rescues_table, {"chapter": "coin"}),
    "book.claims:read_coverage": lambda: (
        claims.read_coverage,
        {"text": "paper_lines,claim,chapter,row_start,status,note\n12,A claim.,market,A row,covered,\n"},
    ),
    # report
    "book.report:collect_readings": lambda: (report.collect_readings, {"notebook_paths": []}),
    "book.report:readings_table": lambda: (
        report.readings_table,
        {"rows": [("claim", "dq2", readings.Holds.interval(None, 38.0), 1)], "label": "tab-readings-x"},
    ),
    "book.report:collect_verdicts": lambda: (report.collect_verdicts, {"notebook_paths": []}),
    "book.report:collect_findings": lambda: (report.collect_findings, {"notebook_paths": []}),
    "book.report:findings_table": lambda: (
        report.findings_table,
        {"rows": [("Eq. 12", "35 % of the pool is paid to nobody")], "label": "tab-findings-x"},
    ),
    "book.report:markdown_table": lambda: (
        report.markdown_table,
        {"header": ["a", "b"], "rows": [[1, 2.5]], "align": "lr", "label": "tab-x", "caption": "c"},
    ),
    "book.report:rounded": lambda: (report.rounded, {"value": 1.2345678, "digits": 6, "rtol": 1e-12}),
    "book.report:verdict_table": lambda: (
        report.verdict_table,
        {"rows": [("claim", "finding", "reproduced")], "label": "tab-verdicts-x"},
    ),
    # settlement
    "market.settlement:ppoem_price_string": lambda: (
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
    "market.settlement:ppoem_prices": lambda: (
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
    "market.settlement:select_price": lambda: (
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
    "market.settlement:settle": lambda: (
        settlement.settle,
        {"trades": trades(), "price": np.array([8.0, 6.5]), "state": state.SystemState.WARNING},
    ),
    "market.settlement:settle_poem": lambda: (
        settlement.settle_poem,
        {"trades": trades(), "state": state.SystemState.STABLE, "price_rule": "ask"},
    ),
    "market.settlement:settle_ppoem": lambda: (
        settlement.settle_ppoem,
        {"trades": trades(), "state": state.SystemState.STABLE, "rng": rng(), "eps1": 0.1, "eps2": 0.1, "length": 3},
    ),
    "market.settlement:truncated_laplace": lambda: (
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
    "theory.simulate:market_race": lambda: (
        simulate.market_race,
        {"x_trades": 3, "y_trades": 2, "n_trials": 10, "rng": rng()},
    ),
    "theory.simulate:mean_run_length": lambda: (simulate.mean_run_length, {"in_set": [True, True, False, True]}),
    "theory.simulate:queue_throughput": lambda: (
        simulate.queue_throughput,
        {"arrival": 1.0, "service": 2.0, "capacity": 3, "horizon": 20.0, "n_reps": 3, "rng": rng(), "warmup": 1.0},
    ),
    "theory.simulate:run_lengths": lambda: (simulate.run_lengths, {"in_set": [True, True, False, True]}),
    "theory.simulate:simulate_chain": lambda: (
        simulate.simulate_chain,
        {"p": P3, "steps": 10, "start": 0, "rng": rng()},
    ),
    "theory.simulate:two_state_shares": lambda: (
        simulate.two_state_shares,
        {"n_customers": 10, "steps": 3, "start": 0.5, "p_out": 0.1, "p_in": 0.2, "rng": rng()},
    ),
    # state
    "state:StateLimits": lambda: (state.StateLimits, {"stable": 1.0, "breakdown": 2.0, "shutdown": 3.0}),
    "state:StateLimits.as_array": lambda: (LIMITS.as_array, {}),
    "state:SystemState": lambda: (state.SystemState, {"value": 2}),
    "state:classify_demand": lambda: (
        state.classify_demand,
        {"demand": [0.5, 2.5], "limits": LIMITS, "nonpositive": "stable"},
    ),
    "state:fee_rates": lambda: (state.fee_rates, {"states": [0, 1, 3]}),
    "state:limits_from_quantiles": lambda: (
        state.limits_from_quantiles,
        {"demand": np.linspace(0.0, 10.0, 50), "quantiles": (0.5, 0.9, 0.99)},
    ),
    "state:state_occupancy": lambda: (state.state_occupancy, {"codes": [0, 1, 1, 3]}),
    # threats
    "chain.threats:Threat": lambda: (
        threats.Threat,
        {"name": "n", "claim": "c", "status": "defended", "defence": "d", "attack": threats.THREATS[0].attack},
    ),
    "chain.threats:demo_network": lambda: (threats.demo_network, {}),
    "chain.threats:try_threat": lambda: (threats.try_threat, {"threat": threats.THREATS[0]}),
    "chain.threats:random_alterations": lambda: (
        threats.random_alterations,
        {"chain": ledger.Chain([a_block()]), "registry": registry_and_keys()[0], "n": 3, "rng": rng()},
    ),
    "chain.threats:expected_refusal": lambda: (threats.expected_refusal, {"threat": threats.THREATS[-1]}),
    "chain.threats:Network.trade": lambda: (
        threats.demo_network().trade,
        {"seller": "h1", "buyer": "h2", "coins": 5, "slot": "2013-01-03T10:00", "nonce": 3},
    ),
    "chain.threats:Network.mine": _mine_call,
    "chain.threats:Network.chain": lambda: (threats.demo_network().chain, {}),
    # theory
    "theory.closed_forms:leader_profit": lambda: (
        theory.leader_profit,
        {"arrival": 1.0, "service": 2.0, "capacity": 5, "gain": 3.0, "cost": 0.5},
    ),
    "theory.closed_forms:market_race_ballot": lambda: (
        theory.market_race_ballot,
        {"s_x": [3.0, 1.0], "s_y": [1.0, 2.0]},
    ),
    "theory.closed_forms:market_race_exact": lambda: (theory.market_race_exact, {"x_trades": 4, "y_trades": 2}),
    "theory.closed_forms:market_race_printed": lambda: (
        theory.market_race_printed,
        {"s_x": [3.0, 1.0], "s_y": [1.0, 2.0], "e": 1.0},
    ),
    "theory.closed_forms:mean_sojourn": lambda: (theory.mean_sojourn, {"p": P3, "high": (0,)}),
    "theory.closed_forms:mean_sojourn_printed": lambda: (
        theory.mean_sojourn_printed,
        {"p": P3, "high": (0,), "mid": (1,), "low": (2,)},
    ),
    "theory.closed_forms:share_after": lambda: (
        theory.share_after,
        {"steps": [0, 1, 5], "start": 0.5, "p_out": 0.1, "p_in": 0.2},
    ),
    "theory.closed_forms:stationary_distribution": lambda: (theory.stationary_distribution, {"p": P3}),
    "theory.closed_forms:steady_share": lambda: (theory.steady_share, {"p_out": [0.1, 0.3], "p_in": 0.2}),
    "theory.closed_forms:throughput": lambda: (theory.throughput, {"arrival": 1.0, "service": 2.0, "capacity": 5}),
    # accounting
    "privacy.accounting:basic_epsilon": lambda: (
        accounting.basic_epsilon,
        {"events": [("laplace", 10.0, 3), ("pure", 0.1, 2)]},
    ),
    "privacy.accounting:pld_epsilon": lambda: (
        accounting.pld_epsilon,
        {"events": [("laplace", 10.0, 3), ("pure", 0.1, 2)], "delta": 1e-6, "discretization": 1e-3},
    ),
    "privacy.accounting:optimal_pure_delta": lambda: (accounting.optimal_pure_delta, {"eps0": 0.2, "k": 5, "eps": 0.5}),
    "privacy.accounting:ppoem_slot_events": lambda: (
        accounting.ppoem_slot_events,
        {"distance": 1.0, "eps1": 0.1, "eps2": 0.1, "f_i": 1.0, "dq1": 1.0},
    ),
    "privacy.accounting:slot_events_total": lambda: (
        accounting.slot_events_total,
        {"events": [("laplace", 10.0, 10), ("pure", 0.1, 1)], "slots": 4},
    ),
    # repair
    "privacy.repair:clearing_quality": lambda: (
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
    "privacy.repair:noise_scale": lambda: (repair.noise_scale, {"eps": 1.0, "cap": 10}),
    "privacy.repair:select_price": lambda: (
        repair.select_price,
        {"quality": [0.0, 2.0, 1.0], "scale": 1.0, "rng": rng()},
    ),
    "privacy.repair:price_law": lambda: (repair.price_law, {"quality": [0.0, 2.0, 1.0], "scale": 1.0}),
    "privacy.repair:clear_at": lambda: (
        repair.clear_at,
        {"bids": [20.0, 15.0, 12.0], "asks": [10.0, 14.0], "price": 14.5, "rng": rng()},
    ),
    "privacy.repair:repaired_round": lambda: (
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
    "units:slot_sensitivities": lambda: (units.slot_sensitivities, {"slot_kwh": 0.1}),
    "market.rounds:round_prices": lambda: (market.round_prices, {"n_homes": 3, "n_rounds": 2, "rng": rng()}),
    "market.experiments:month_prices": lambda: (experiments.month_prices, {"homes": homes(), "rng": rng()}),
    "market.experiments:home_slots_traded": lambda: (
        experiments.home_slots_traded,
        {"homes": homes(), "rng": rng(), "vpp_sizes": (2, 2), "slot_kwh": 0.1},
    ),
    # stability
    "seeds:seed_sets": lambda: (seeds.seed_sets, {"n": 2, "root": 3}),
    "market.stability:welfare_trend": lambda: (
        stability.welfare_trend,
        {"x": [1.0, 2.0, 3.0], "mean": [1.0, 1.5, 3.0], "se": [0.1, 0.2, 0.1]},
    ),
    "market.stability:fig5_settings": lambda: (stability.fig5_settings, {"epsilons": (0.1, 0.01)}),
    "market.stability:fig5_grid": lambda: (stability.fig5_grid, {"rng": rng(), "reps": 2, "counts": [2, 3]}),
    "market.stability:fig5_trends": lambda: (stability.fig5_trends, {"grid": fig5_grid()}),
    "market.stability:fig5_verdict": lambda: (
        stability.fig5_verdict,
        {"trends": {"PoEM": (3.0, 0.0, 2.5, 0.0), "PPoEM eps=0.1": (3.0, 1.0, -2.5, 0.0)}},
    ),
    "market.stability:price_scale_shares": lambda: (
        stability.price_scale_shares,
        {"rng": rng(), "scales": (1, 10), "reps": 2},
    ),
    "market.stability:similar_from": lambda: (
        stability.similar_from,
        {"shares": {1: {0.1: 0.5, 0.01: 0.4, 0.001: 0.3}, 10: {0.1: 0.9, 0.01: 0.5, 0.001: 0.4}}, "share": 0.8},
    ),
    "market.stability:similar_verdict": lambda: (
        stability.similar_verdict,
        {"start": {0.1: 10, 0.01: None, 0.001: None}},
    ),
    "market.stability:negative_welfare_share": lambda: (
        stability.negative_welfare_share,
        {"rng": rng(), "n_auctions": 3, "n": 5},
    ),
    "market.stability:clear_lead": lambda: (stability.clear_lead, {"share": [0.2, 0.5, 0.3], "n_elections": 100}),
    "market.stability:dq2_map": lambda: (
        stability.dq2_map,
        {"energy_rows": [[0.5, 1.0, 2.0], [1.0, 0.0, 0.3]], "n_elections": 100, "dq2_wh": (1000, 10), "flat": True},
    ),
    "market.stability:assignment_leaders": lambda: (
        stability.assignment_leaders,
        {"homes": trading_homes(), "vpp_sizes": (5, 5), "n_assign": 1, "rng": rng(), "n_elections": 100},
    ),
    "market.stability:vpp10_verdict": lambda: (
        stability.vpp10_verdict,
        {"assignments": stability.Assignments(3, (2, -1), (False, False), ((10.0,), ()))},
    ),
    "market.stability:vpp9_verdict": lambda: (
        stability.vpp9_verdict,
        {"assignments": stability.Assignments(3, (2, -1), (True, False), ((10.0,), ()))},
    ),
    "market.stability:assignment_verdict": lambda: (
        stability.assignment_verdict,
        {"holds": [True, False, True], "typical": 0.5},
    ),
    "market.stability:equalise_verdict": lambda: (stability.equalise_verdict, {"flat_dq2": [1000.0, 300.0]}),
    "market.stability:top_seller_curve": lambda: (
        stability.top_seller_curve,
        {"energy_rows": [[0.5, 1.0, 2.0], [1.0, 0.0, 0.3]], "ratios": [0.1, 1.0, 10.0, 100.0]},
    ),
    "market.stability:top_seller_verdict": lambda: (
        stability.top_seller_verdict,
        {"curve": stability.top_seller_curve([[0.5, 1.0, 2.0]], ratios=[0.1, 10.0, 1000.0]), "at_ratio": 0.1},
    ),
    "market.stability:unit_of_500": lambda: (
        stability.unit_of_500,
        {"rng": rng(), "sellers": [5, 10], "reps": 3},
    ),
    "market.stability:one_unit_verdict": lambda: (
        stability.one_unit_verdict,
        {"shares_at_unit": {0.1: 0.9, 0.01: 0.5, 0.001: 0.4}, "share": 0.8},
    ),
    "market.stability:joint_dq2": lambda: (
        stability.joint_dq2,
        {"flat_up_to": 0.5, "big_from": 1.0, "crossing": 2.5, "eps3": 0.1, "low": 0.01},
    ),
    "market.stability:lead_ratios": lambda: (
        stability.lead_ratios,
        {"energy_rows": [[0.5, 1.0, 2.0], [0.2, 0.4, 3.0]], "n_elections": 1000},
    ),
    "market.stability:election_law_worst_z": lambda: (
        stability.election_law_worst_z,
        {"runs": {"PoEM": election_run()}},
    ),
    "market.stability:election_law_threshold": lambda: (
        stability.election_law_threshold,
        {"n_cells": 300, "level": 0.01},
    ),
    "book.sweep:checks_of": lambda: (sweep.checks_of, {"chapter": "market"}),
    "book.sweep:recompute": lambda: (sweep.recompute, {"check": LIGHT_CHECK, "seeds": seeds.Seeds(1, 2, 3)}),
    "book.sweep:sweep": lambda: (
        sweep.sweep,
        {"seeds": seeds.seed_sets(2), "checks": [LIGHT_CHECK]},
    ),
    "seeds:households": lambda: (seeds.households, {"seeds": seeds.Seeds(1, 2, 3)}),
    "book.sweep:cache_key": lambda: (sweep.cache_key, {"seeds": seeds.seed_sets(2), "checks": [LIGHT_CHECK]}),
    "book.sweep:code_key": lambda: (sweep.code_key, {"module": "vpt.book.published"}),
    "book.sweep:select_checks": lambda: (sweep.select_checks, {"names": ["mining"]}),
    "book.sweep:recompute_seed_set": lambda: (
        sweep.recompute_seed_set,
        {"checks": [LIGHT_CHECK], "seeds": seeds.Seeds(1, 2, 3)},
    ),
    "book.sweep:write_sweep": lambda: (
        sweep.write_sweep,
        {"path": _tmp("sweep.json"), "seeds": seeds.seed_sets(1), "checks": [LIGHT_CHECK]},
    ),
    "book.parallel:run_tasks": lambda: (
        functools.partial(parallel.run_tasks, str),
        {"tasks": [(1.0,)], "serial": True},
    ),
    "book.parallel:runner": lambda: (parallel.runner, {"serial": True}),
    "book.frontier:frontier_key": lambda: (book_frontier.frontier_key, {"n_seed_sets": 2}),
    "book.frontier:cached_frontier": lambda: (book_frontier.cached_frontier, {"path": _tmp("no-frontier.json")}),
    "market.mining:own_place_probabilities": lambda: (
        mining.own_place_probabilities,
        {"energy": [[1.0, 3.0, 2.0], [2.0, 2.0, 0.0]], "own": [1, 0], "mechanism": "poem"},
    ),
    "repaired.protocol:fill": lambda: (
        protocol.fill,
        {"price": 18.0, "bid": [20.0, 15.0, 0.0], "ask": [0.0, 0.0, 12.0], "requests": [3, 2, 0], "offers": [0, 0, 4]},
    ),
    "repaired.protocol:household_slots": lambda: (
        protocol.household_slots,
        {"surplus_kwh": repaired_inputs()["surplus_kwh"], "deficit_kwh": repaired_inputs()["deficit_kwh"]},
    ),
    "repaired.protocol:release_plan": lambda: (protocol.release_plan, {"n_rounds": 48, "frequency": "day"}),
    "repaired.protocol:round_tables": lambda: (protocol.round_tables, {**repaired_inputs(), "cap": 2}),
    "repaired.protocol:group_laws": lambda: (
        protocol.group_laws,
        {"tables": repaired_tables(), "plan": protocol.release_plan(48, "day"), "eps_release": 0.5},
    ),
    "repaired.protocol:expected_outcome": lambda: (
        protocol.expected_outcome,
        {"tables": repaired_tables(), "plan": protocol.release_plan(48, "hour"), "eps_release": 0.5},
    ),
    "repaired.protocol:day_events": lambda: (
        protocol.day_events,
        {"plan": protocol.release_plan(48, "hour"), "eps_release": 0.1, "eps3": 0.05},
    ),
    "repaired.protocol:budget_split": lambda: (
        protocol.budget_split,
        {"eps_day": 1.0, "plan": protocol.release_plan(48, "hour")},
    ),
    "repaired.protocol:best_misreport": lambda: (
        protocol.best_misreport,
        {
            "tables": repaired_tables(),
            "plan": protocol.release_plan(48, "hour"),
            "eps_release": 0.5,
            "round_index": 3,
            "own_slots": 5,
            "value": 20.0,
            "side": "buyer",
        },
    ),
    "repaired.protocol:frontier": lambda: (
        protocol.frontier,
        {"tables": repaired_tables(), "budgets": (1.0,), "frequencies": ("day",)},
    ),
    "repaired.protocol:draw_fills": lambda: (
        protocol.draw_fills,
        {
            "tables": repaired_tables(),
            "plan": protocol.release_plan(48, "day"),
            "eps_release": 0.5,
            "bids": repaired_inputs()["bids"],
            "asks": repaired_inputs()["asks"],
            "surplus_kwh": repaired_inputs()["surplus_kwh"],
            "deficit_kwh": repaired_inputs()["deficit_kwh"],
            "rng": rng(),
        },
    ),
    "repaired.protocol:election_scores": lambda: (
        protocol.election_scores,
        {"bought": np.ones((3, 48)), "sold": np.zeros((3, 48)), "vpp_of_home": [0, 1, 1], "cap": 2},
    ),
    "repaired.protocol:elect_daily": lambda: (
        protocol.elect_daily,
        {"scores": [[1.0, 2.0, 3.0], [0.0, 4.0, 1.0]], "eps3": 0.1, "rng": rng(), "cap": 2},
    ),
    "repaired.protocol:truthful_utility": lambda: (
        protocol.truthful_utility,
        {"tables": repaired_tables(), "own_slots": 5, "value": 20.0, "side": "buyer"},
    ),
    "repaired.protocol:posted_price_ceiling": lambda: (
        protocol.posted_price_ceiling,
        {"tables": repaired_tables(), "plan": protocol.release_plan(48, "day")},
    ),
    "repaired.records:seal_records": lambda: (
        records.seal_records,
        {"round_index": 3, "price": 18.5, "bought": [3, 0], "sold": [0, 1], "keys": KEYS},
    ),
    "repaired.records:open_record": lambda: (
        records.open_record,
        {"key": KEYS[1], "record": records.seal_records(3, 18.5, [3, 0], [0, 1], KEYS)[1]},
    ),
    "book.parallel:check_argv": lambda: (parallel.check_argv, {"argv": ["--serial"]}),
    "seeds:agreement": lambda: (seeds.agreement, {"agree": 48, "n": 50}),
    "market.incentives:market_columns": lambda: (
        incentives.market_columns,
        {"mechanism": "mcafee", "n": 5, "n_markets": 20, "seed": 3},
    ),
    "market.incentives:gain_from_columns": lambda: (
        incentives.gain_from_columns,
        {"mechanism": "mcafee", "n": 5, "cols": incentives.market_columns("mcafee", 5, 20, 3)},
    ),
    "book.published:chunk_seeds": lambda: (published.chunk_seeds, {"n": 5, "n_markets": 100, "chunk": 50}),
    "book.published:published_size_benchmark": lambda: (
        published.published_size_benchmark,
        {"sizes": [5], "n_markets": 40, "chunk": 20},
    ),
    "book.published:benchmark_key": lambda: (published.benchmark_key, {"sizes": [5], "n_markets": 40, "chunk": 20}),
    "book.published:cached_benchmark": lambda: (published.cached_benchmark, {"path": _tmp("no-benchmark.json")}),
    "book.sweep:code_of": lambda: (sweep.code_of, {"source": "x = 1  # one\n"}),
    "book.sweep:sources_of": lambda: (sweep.sources_of, {"module": "vpt.book.sweep"}),
    "book.sweep:cached_sweep": lambda: (
        sweep.cached_sweep,
        {"path": _tmp("no-sweep.json"), "seeds": seeds.seed_sets(1), "checks": [LIGHT_CHECK]},
    ),
}

#: Records: frozen result types, each produced by the target named here (checked by the coverage test).
RECORDS: dict[str, str] = {
    "repaired.protocol:ExpectedOutcome": "repaired.protocol:expected_outcome",
    "repaired.protocol:FrontierPoint": "repaired.protocol:frontier",
    "repaired.protocol:Misreport": "repaired.protocol:best_misreport",
    "repaired.protocol:ReleasePlan": "repaired.protocol:release_plan",
    "repaired.protocol:RoundTables": "repaired.protocol:round_tables",
    "repaired.records:SealedRecord": "repaired.records:seal_records",
    "repaired.records:TradeRecord": "repaired.records:open_record",
    "market.incentives:WashTrade": "market.incentives:best_wash_trade",
    "market.auction:Trades": "market.auction:match",
    "privacy.audit:AuditResult": "privacy.audit:epsilon_lower_bound",
    "book.settings:BookData": "book.settings:book_data",
    "theory.complexity:Counts": "theory.complexity:count_fees_and_welfare",
    "market.incentives:Misreport": "market.incentives:best_misreport",
    "market.incentives:GainFromTrade": "market.incentives:gain_from_trade",
    "market.incentives:MarketAudit": "market.incentives:audit_markets",
    "market.rounds:SlotMarket": "market.rounds:slot_market",
    "market.mechanisms:Outcome": "market.mechanisms:clear",
    "data:Households": "data:generate_households",
    "chain.day_chain:DayChain": "chain.day_chain:build_day_chain",
    "market.experiments:ElectionRun": "market.experiments:run_elections",
    "market.rounds:MonthRounds": "market.rounds:run_rounds",
    "market.rounds:Round": "market.rounds:trading_round",
    "market.mining:Rewards": "market.mining:rewards",
    "privacy.mechanisms:Mechanism": "privacy.mechanisms:laplace",
    "privacy.audit:StressPair": "privacy.audit:find_stress_pair",
    "chain.recovery:Outcome": "chain.recovery:recover_vpp",
    "market.settlement:Settlement": "market.settlement:settle",
    "chain.threats:Attempt": "chain.threats:try_threat",
    "chain.threats:Network": "chain.threats:demo_network",
    "privacy.repair:RepairedRound": "privacy.repair:repaired_round",
    "seeds:Seeds": "seeds:seed_sets",
    "seeds:Replicate": "book.sweep:recompute",
    "seeds:SeedCheck": "book.sweep:checks_of",
    "market.stability:Fig5Grid": "market.stability:fig5_grid",
    "market.stability:Dq2Map": "market.stability:dq2_map",
    "market.stability:Assignments": "market.stability:assignment_leaders",
    "market.stability:TopSellerCurve": "market.stability:top_seller_curve",
    "readings:JointReading": "readings:joint_reading",
    "book.claims:RootCause": "book.claims:cause_of",
    "book.claims:Rescue": "book.claims:rescues_of",
    "book.claims:Coverage": "book.claims:read_coverage",
    "seeds:Agreement": "seeds:agreement",
}

#: Exceptions, whose contract is to be raised, not called.
EXCEPTIONS = ("chain.coin:CoinError", "chain.ledger:ValidationError")

#: Exceptions other than ValueError that a target documents: PermissionError for a node id that is not
#: registered, or has no right to read or mine a layer.
DOCUMENTED_ERRORS: dict[str, type[Exception]] = {
    name: PermissionError
    for name in (
        "chain.ledger:Ledger.read",
        "chain.ledger:Ledger.append",
        "chain.ledger:Registry.node",
        "chain.coin:Wallets.trade",
        "chain.coin:Wallets.pay_rewards",
        "chain.coin:Wallets.exchange",
    )
}

#: The command lines (``python -m``), their argparse plumbing and the frontier's per-seed-set task: not fuzzed, since
#: an empty argument list runs the whole computation for minutes (and one seed set's frontier takes seconds);
#: tests/test_parallel.py and tests/test_repaired.py run them and check their errors and options.
COMMANDS = (
    "book.sweep:main",
    "book.published:main",
    "book.frontier:main",
    "book.frontier:seed_set_frontier",
    "book.frontier:write_frontier",
    "book.parallel:add_executor_arguments",
    "book.parallel:executor_of",
)

#: Targets documented to return NaN for some finite input (the docstring says where).
NAN_DOCUMENTED = {
    "theory.closed_forms:market_race_printed",
    "theory.closed_forms:steady_share",
    "theory.simulate:mean_run_length",
}


def public_names() -> list[str]:
    """``module:name`` (the module relative to ``vpt``) of every name in every module's ``__all__``."""
    return [f"{m.__name__.removeprefix('vpt.')}:{name}" for m in MODULES for name in m.__all__]
