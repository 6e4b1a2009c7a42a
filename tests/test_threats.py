"""The ledger's threat catalogue holds in code, and its decoders raise only ValidationError on any input."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt.chain import threats
from vpt.chain.ledger import Block, Chain, Transaction, ValidationError


@pytest.mark.parametrize("threat", threats.THREATS, ids=[t.name for t in threats.THREATS])
def test_every_verdict_of_the_catalogue_is_what_the_ledger_does(threat):
    attempt = threats.try_threat(threat)
    assert attempt.refused == threats.expected_refusal(threat), attempt.outcome
    if attempt.refused:
        assert attempt.ledger_unchanged, "a refused attack changed the ledger"


def test_replayed_trade_and_keyless_forgery_are_refused_and_leave_the_ledger_unchanged():
    by_name = {t.name: t for t in threats.THREATS}
    for name in (
        "a signed trade replayed in a later block by another miner",
        "a chain rebuilt from the public signed trades, crediting another miner, without any VPP's key",
    ):
        attempt = threats.try_threat(by_name[name])
        assert attempt.refused and attempt.ledger_unchanged
    net = threats.demo_network()
    assert len(net.ledger) == 2
    net.chain().validate(net.registry, mining_reward=threats.MINING_REWARD)


def test_the_catalogue_uses_every_verdict_and_names_each_threat_once():
    assert {t.status for t in threats.THREATS} == set(threats.STATUSES)
    assert len({t.name for t in threats.THREATS}) == len(threats.THREATS)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=20,
)


def _valid_block_bytes():
    return threats.demo_network().chain().blocks[1].to_bytes()


@given(st.binary(max_size=400))
def test_block_decoder_raises_only_validation_error_on_arbitrary_bytes(data):
    try:
        Block.from_bytes(data)
    except ValidationError:
        pass


@given(json_values)
def test_block_decoder_raises_only_validation_error_on_arbitrary_json(value):
    data = json.dumps(value).encode()
    try:
        Block.from_bytes(data)
    except ValidationError:
        pass


@given(st.data())
def test_block_decoder_refuses_or_round_trips_a_mutated_valid_block(data):
    raw = bytearray(_valid_block_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    try:
        block = Block.from_bytes(bytes(raw))
    except ValidationError:
        return
    assert block.to_bytes() == bytes(raw)


@given(st.lists(st.binary(max_size=80), max_size=4))
def test_chain_decoder_raises_only_validation_error(lines):
    try:
        Chain.from_bytes(b"\n".join(lines))
    except ValidationError:
        pass


@given(json_values)
def test_transaction_decoder_raises_only_validation_error(value):
    try:
        Transaction.from_obj(value)
    except ValidationError:
        pass


@given(
    st.fixed_dictionaries(
        {k: json_values for k in ("seller", "buyer", "energy_wh", "coins", "slot", "nonce", "signatures")}
    )
)
def test_transaction_decoder_on_objects_with_the_right_keys(obj):
    try:
        tx = Transaction.from_obj(obj)
    except ValidationError:
        return
    assert tx.to_obj() == obj
