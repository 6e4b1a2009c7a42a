"""Ledger, VPP coin and recovery (Algorithm 4)."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt import data
from vpt.chain import day_chain, recovery
from vpt.chain.coin import CoinError, Wallets
from vpt.chain.ledger import (
    Block,
    Chain,
    Ledger,
    Registry,
    Transaction,
    ValidationError,
    canonical,
    make_block,
    sign_transaction,
)


def _seed(i):
    return bytes([i]) * 32


@pytest.fixture(scope="module")
def net():
    reg = Registry()
    keys = {
        n: reg.register(n, role, meter, key_seed=_seed(i))
        for i, (n, role, meter) in enumerate(
            [
                ("h1", "home", "M1"),
                ("h2", "home", "M2"),
                ("h3", "der", "M3"),
                ("v1", "lvpp", None),
                ("v2", "lvpp", None),
                ("r1", "rvpp", None),
                ("g1", "gud", None),
                ("b1", "mbb", None),
            ],
            start=1,
        )
    }
    return reg, keys


def _tx(keys, seller="h1", buyer="h2", wh=300, coins=60, slot="2013-01-02T12:00"):
    return sign_transaction(Transaction(seller, buyer, wh, coins, slot), {seller: keys[seller], buyer: keys[buyer]})


@pytest.fixture(scope="module")
def chain(net):
    reg, keys = net
    led = Ledger("lvpp", reg)
    led.append("v1", [_tx(keys), _tx(keys, "h3", "h2", 100, 20)], ["v1", "v2"], [507, 2], key=keys["v1"])
    led.append("v2", [_tx(keys, "h2", "h1", 200, 45, "2013-01-02T13:00")], ["v2"], [504], key=keys["v2"])
    return led.read("h1")


def test_canonical_encoding_is_sorted_compact_ascii():
    assert canonical({"b": 1, "a": [1, "x"]}) == b'{"a":[1,"x"],"b":1}'


def test_valid_chain_validates_and_round_trips(net, chain):
    reg, _ = net
    chain.validate(reg)
    again = Chain.from_bytes(chain.to_bytes())
    assert again.to_bytes() == chain.to_bytes()
    again.validate(reg)


@given(st.data())
def test_any_single_byte_change_is_detected(net, chain, data_):
    reg, _ = net
    raw = bytearray(chain.blocks[0].to_bytes())
    i = data_.draw(st.integers(0, len(raw) - 1))
    new = data_.draw(st.integers(0, 255).filter(lambda b: b != raw[i]))
    raw[i] = new
    with pytest.raises(ValidationError):
        block = Block.from_bytes(bytes(raw))
        Chain([block, chain.blocks[1]]).validate(reg)


def test_reordered_or_dropped_blocks_fail(net, chain):
    reg, _ = net
    with pytest.raises(ValidationError, match="index"):
        Chain([chain.blocks[1], chain.blocks[0]]).validate(reg)
    with pytest.raises(ValidationError, match="index"):
        Chain([chain.blocks[1]]).validate(reg)


def test_forged_signature_fails(net, chain):
    reg, keys = net
    tx = chain.blocks[0].transactions[0]
    forged = sign_transaction(
        Transaction(tx.seller, tx.buyer, tx.energy_wh, tx.coins, tx.slot),
        {tx.seller: keys["h3"], tx.buyer: keys[tx.buyer]},
    )
    b0 = chain.blocks[0]
    block = make_block(0, b0.prev_hash, [forged], b0.miners, b0.rewards, leader_key=keys[b0.miners[0]])
    with pytest.raises(ValidationError, match="valid signature of its seller"):
        Chain([block]).validate(reg)


def test_altered_amount_with_rehash_still_fails_on_signatures(net, chain):
    reg, keys = net
    tx = chain.blocks[0].transactions[0]
    cheat = Transaction(tx.seller, tx.buyer, tx.energy_wh, tx.coins + 1, tx.slot, tx.signatures)
    b0 = chain.blocks[0]
    block = make_block(0, b0.prev_hash, [cheat], b0.miners, b0.rewards, leader_key=keys[b0.miners[0]])
    with pytest.raises(ValidationError, match="signature"):
        Chain([block]).validate(reg)


@pytest.mark.parametrize(
    ("layer", "node", "action"),
    [
        ("lvpp", "h1", "append"),
        ("lvpp", "g1", "read"),
        ("rvpp", "h1", "read"),
        ("rvpp", "v1", "append"),
        ("gud", "v1", "read"),
        ("gud", "h1", "append"),
        ("lvpp", "stranger", "read"),
    ],
)
def test_unauthorised_access_raises_permission_error(net, layer, node, action):
    reg, keys = net
    led = Ledger(layer, reg)
    with pytest.raises(PermissionError):
        if action == "read":
            led.read(node)
        else:
            led.append(node, [], [node], [0], key=keys.get(node, keys["h1"]))
    assert len(led) == 0


@pytest.mark.parametrize(
    ("layer", "reader"), [("lvpp", "h1"), ("lvpp", "h3"), ("lvpp", "r1"), ("rvpp", "v1"), ("gud", "r1"), ("gud", "g1")]
)
def test_authorised_readers_can_read(net, layer, reader):
    reg, _ = net
    assert len(Ledger(layer, reg).read(reader).blocks) == 0


def test_electing_a_miner_without_rights_is_refused(net):
    reg, keys = net
    led = Ledger("lvpp", reg)
    with pytest.raises(PermissionError, match="no mining rights"):
        led.append("v1", [], ["v1", "h2"], [500, 0], key=keys["v1"])
    assert len(led) == 0


def test_invalid_block_leaves_the_ledger_unchanged(net):
    reg, keys = net
    led = Ledger("lvpp", reg)
    bad = Transaction("h1", "h2", 100, 10, "t", {"h1": "00" * 64, "h2": "00" * 64})
    with pytest.raises(ValidationError):
        led.append("v1", [bad], ["v1"], [500], key=keys["v1"])
    assert len(led) == 0


def test_one_account_per_smart_meter():
    reg = Registry()
    reg.register("a", "home", "M-1", key_seed=_seed(1))
    with pytest.raises(ValueError, match="one account per meter"):
        reg.register("b", "home", "M-1", key_seed=_seed(2))
    with pytest.raises(ValueError, match="needs a smart-meter id"):
        reg.register("c", "home")
    with pytest.raises(ValueError, match="unknown role"):
        reg.register("d", "miner")
    with pytest.raises(ValueError, match="already registered"):
        reg.register("a", "lvpp")


def test_malformed_block_bytes_are_refused():
    for raw in (
        b"not json",
        b"[]",
        b'{"index":0}',
        b'{"hash":"x","index":-1,"miners":[],"prev_hash":"0","rewards":[],"transactions":[]}',
    ):
        with pytest.raises(ValidationError):
            Block.from_bytes(raw)


# ------------------------------------------------------------------ VPP coin


def _wallets(net):
    reg, _ = net
    w = Wallets(reg)
    w.exchange("h2", "v1", 100, "buy")
    return w


def test_trade_moves_every_coin(net):
    w = _wallets(net)
    w.trade("h2", "h1", "v1", 50, 5, 5)
    assert (w.balance["h2"], w.balance["h1"], w.balance["v1"], w.held("<mining pool>")) == (50, 40, 5, 5)
    assert w.pay_rewards(["v1", "v2"], [3, 1], 500) == 1
    w.check_conservation()


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (lambda w: w.trade("h2", "h1", "v1", 500, 5, 5), "cannot pay"),
        (lambda w: w.trade("h2", "h1", "v1", -5, 0, 0), "non-negative"),
        (lambda w: w.trade("h2", "h1", "h3", 50, 5, 5), "not a VPP"),
        (lambda w: w.trade("h2", "h1", "v1", 10, 6, 6), "fees exceed"),
        (lambda w: w.transfer("h2", "h1", 10), "cannot be transferred"),
        (lambda w: w.exchange("h2", "h1", 10, "sell"), "not an authoritative node"),
        (lambda w: w.exchange("h1", "v1", 10, "sell"), "cannot sell"),
        (lambda w: w.pay_rewards(["v1"], [1000], 500), "exceed the mining pool"),
        (lambda w: w.pay_rewards(["h1"], [0], 500), "cannot mine"),
    ],
)
def test_forbidden_coin_operations_leave_balances_unchanged(net, op, message):
    w = _wallets(net)
    before = dict(w.balance), w.minted, w.bought, w.sold
    with pytest.raises(CoinError, match=message):
        op(w)
    assert (dict(w.balance), w.minted, w.bought, w.sold) == before


@given(st.lists(st.tuples(st.sampled_from(["trade", "buy", "sell", "reward"]), st.integers(0, 200)), max_size=30))
def test_coins_are_conserved_under_any_sequence_of_operations(net, ops):
    w = _wallets(net)
    for kind, amount in ops:
        try:
            if kind == "trade":
                w.trade("h2", "h1", "v1", amount, amount // 10, amount // 10)
            elif kind == "buy":
                w.exchange("h2", "v2", amount, "buy")
            elif kind == "sell":
                w.exchange("h1", "v1", amount, "sell")
            else:
                w.pay_rewards(["v1"], [min(amount, w.held("<mining pool>"))], 500)
        except CoinError:
            pass
        w.check_conservation()


def test_strangers_cannot_hold_coins(net):
    w = _wallets(net)
    with pytest.raises(PermissionError):
        w.exchange("nobody", "v1", 5, "buy")


# ------------------------------------------------------------------ Algorithm 4


def test_vpp_recovery_adopts_only_above_half():
    assert recovery.recover_vpp(["a"] * 6 + ["b"] * 4, 10).action == "adopt"
    out = recovery.recover_vpp(["a"] * 5 + ["b"] * 5, 10)  # exactly half: strict '>' fails
    assert out.action == "warn" and out.count == 5
    assert recovery.recover_vpp(["a"] * 5 + [None] * 5, 10).action == "warn"
    assert recovery.recover_vpp(["a"] * 5 + [None] * 5, 10, threshold="responders").action == "adopt"
    assert recovery.recover_vpp([None] * 10, 10).action == "warn"


def test_meter_recovery_trusts_the_leader():
    assert recovery.recover_meter("x").hash == "x"
    assert recovery.recover_meter(None).action == "warn"


@pytest.mark.parametrize("fault", recovery.FAULTS)
def test_fault_injection_outcomes_by_number_of_faulty_peers(fault):
    rng = np.random.default_rng(0)
    for f in range(11):
        out = recovery.fault_injection(fault, f, n_trials=50, rng=rng)
        assert out["correct"] == (1.0 if f <= 4 else 0.0)
        wrong_expected = 1.0 if (fault in ("colluding", "stale") and f >= 6) else 0.0
        assert out["wrong"] == wrong_expected, (fault, f, out)


def test_fault_injection_refuses_bad_arguments():
    with pytest.raises(ValueError, match="unknown fault"):
        recovery.fault_injection("sleepy", 1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="cannot exceed"):
        recovery.fault_injection("crashed", 11, rng=np.random.default_rng(0))


def test_day_chain_is_valid_and_coins_balance():
    homes = data.generate_households(100, "2013-01-01", 3, seed=2)
    d = day_chain.build_day_chain(homes, "2013-01-02", np.random.default_rng(3))
    chain = d.ledger.read("home-001")
    chain.validate(d.registry)
    d.wallets.check_conservation()
    assert len(chain.blocks) > 0


def test_a_day_without_trades_gives_way_to_the_next_day_with_trades_and_a_sunless_period_is_refused():
    homes = data.generate_households(12, "2013-01-01", 3, seed=2)
    rainy = homes.generation.copy()
    rainy[:, 48:96] = 0.0  # the second day: no sun, no surplus, no trade
    wet = dataclasses.replace(homes, generation=rainy)
    assert len(day_chain.build_day_chain(wet, "2013-01-02", np.random.default_rng(3), vpp_sizes=(6, 6)).vpp_energy) == 0
    day, chain = day_chain.build_trading_day_chain(wet, 3, prefer=1, vpp_sizes=(6, 6))
    assert day == "2013-01-03" and len(chain.vpp_energy) > 0
    chain.ledger.read(chain.homes[0]).validate(chain.registry)
    # the chain of a day does not depend on the days tried before it
    direct = day_chain.build_day_chain(wet, "2013-01-03", np.random.default_rng(3), vpp_sizes=(6, 6))
    assert chain.ledger.read(chain.homes[0]).head_hash == direct.ledger.read(direct.homes[0]).head_hash
    dark = dataclasses.replace(homes, generation=np.zeros_like(homes.generation))
    with pytest.raises(ValueError, match="no day from 2013-01-01 to 2013-01-03 has a trade"):
        day_chain.build_trading_day_chain(dark, 3, vpp_sizes=(6, 6))


def test_cached_signature_checks_still_refuse_any_other_message_signature_or_key(net):
    reg, keys = net
    tx = _tx(keys)
    message = canonical(tx.body())
    signature = bytes.fromhex(tx.signatures["h1"])
    for _ in range(2):  # the second round is answered from the cache
        assert reg.verify("h1", signature, message)
        assert not reg.verify("h1", signature, message + b" ")
        assert not reg.verify("h1", bytes([signature[0] ^ 1]) + signature[1:], message)
        assert not reg.verify("h2", signature, message)
        assert not reg.verify("nobody", signature, message)
