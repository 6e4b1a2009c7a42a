"""A threat catalogue for the ledger's security claims (Theorems 4-5; Sec. II-G, III-B, IV-G), each tried in code.

Every :class:`Threat` names an attack, the claim it tests and the verdict the
catalogue states for it; :func:`try_threat` runs the attack on a fresh
:func:`demo_network` and reports what the ledger did. The tests check that
every verdict agrees with what happens (an attack stated as defended must be
refused, and the ledger left unchanged; one stated as not defended must go
through), so the chapter's table cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vpt._checks import choice, count, generator, instance, text
from vpt.chain.coin import CoinError, Wallets
from vpt.chain.ledger import (
    Block,
    Chain,
    Ledger,
    Registry,
    Transaction,
    ValidationError,
    make_block,
    sign_transaction,
)
from vpt.chain.recovery import recover_vpp

__all__ = [
    "STATUSES",
    "THREATS",
    "Attempt",
    "Network",
    "Threat",
    "demo_network",
    "expected_refusal",
    "random_alterations",
    "try_threat",
]

#: The verdicts of the catalogue; the last is for legitimate use that a defence must not refuse.
STATUSES = ("defended", "defended after the fix", "not defended", "accepted, as it must be")

_NODES = [
    ("h1", "home", "NMI-1"),
    ("h2", "home", "NMI-2"),
    ("h3", "home", "NMI-3"),
    ("h4", "home", "NMI-4"),
    ("v1", "lvpp", None),
    ("v2", "lvpp", None),
    ("v3", "lvpp", None),
]
MINING_REWARD = 500


@dataclass
class Network:
    """A small LVPP network: registry, the nodes' keys, a ledger with two honest blocks, and wallets."""

    registry: Registry
    keys: dict[str, Ed25519PrivateKey]
    ledger: Ledger
    wallets: Wallets

    def trade(self, seller: str, buyer: str, coins: int, slot: str, nonce: int = 0) -> Transaction:
        """A trade of 100 Wh signed by both parties (``ValueError`` for a node without a key here)."""
        self._key(seller)
        self._key(buyer)
        tx = Transaction(seller, buyer, 100, coins, slot, nonce=nonce)
        return sign_transaction(tx, {seller: self.keys[seller], buyer: self.keys[buyer]})

    def mine(self, leader: str, transactions: list[Transaction], miners: list[str], fee_permille: int = 100) -> Block:
        """Append an honest block: the leader signs it, the rewards follow Eq. 7."""
        key = self._key(leader)
        if not isinstance(miners, list):
            raise ValueError(f"miners must be a list of node ids, got {miners!r:.80}")
        rewards = self.ledger.poem_rewards(transactions, len(miners), fee_permille=fee_permille)
        return self.ledger.append(leader, transactions, miners, rewards, key=key, fee_permille=fee_permille)

    def chain(self) -> Chain:
        """The chain as LVPP ``v1`` reads it."""
        return self.ledger.read("v1")

    def _key(self, node: str) -> Ed25519PrivateKey:
        if not isinstance(node, str) or node not in self.keys:
            raise ValueError(f"no key for node {node!r:.80} in this network")
        return self.keys[node]


def demo_network() -> Network:
    """The network every attack starts from: 4 homes, 3 LVPPs, two honest blocks (deterministic keys)."""
    registry = Registry()
    keys = {
        node: registry.register(node, role, meter, key_seed=bytes([i + 1]) * 32)
        for i, (node, role, meter) in enumerate(_NODES)
    }
    net = Network(registry, keys, Ledger("lvpp", registry, mining_reward=MINING_REWARD), Wallets(registry))
    net.mine(
        "v1",
        [net.trade("h1", "h2", 60, "2013-01-02T12:00"), net.trade("h3", "h4", 40, "2013-01-02T12:00")],
        ["v1", "v2"],
    )
    net.mine("v2", [net.trade("h2", "h1", 45, "2013-01-02T13:00")], ["v2"], fee_permille=70)
    return net


@dataclass(frozen=True)
class Attempt:
    """What happened: the attack was ``refused`` (with the error's message) or went through (what it achieved)."""

    refused: bool
    outcome: str
    ledger_unchanged: bool = True


@dataclass(frozen=True)
class Threat:
    """One attack: its name, the paper's claim it tests, the catalogue's verdict and the defence (or gap)."""

    name: str
    claim: str
    status: str
    defence: str
    attack: Callable[[Network], Attempt]

    def __post_init__(self) -> None:
        for name in ("name", "claim", "defence"):
            text(getattr(self, name), name)
        choice(self.status, "status", STATUSES)
        if not callable(self.attack):
            raise ValueError(f"attack must be callable, got {self.attack!r:.80}")


def _append_attempt(net: Network, do: Callable[[], object]) -> Attempt:
    """Run an append that the ledger should refuse; report the refusal and whether the ledger stayed the same."""
    before = net.chain().to_bytes()
    try:
        do()
    except (ValidationError, PermissionError, CoinError) as exc:
        return Attempt(True, str(exc), net.chain().to_bytes() == before)
    return Attempt(False, "appended", False)


def _validate_attempt(net: Network, chain: Chain, *, mining_reward: int | None = MINING_REWARD) -> Attempt:
    try:
        chain.validate(net.registry, frozenset({"lvpp"}), mining_reward=mining_reward)
    except ValidationError as exc:
        return Attempt(True, str(exc))
    return Attempt(False, "the chain validates")


def _replay_across(net: Network) -> Attempt:
    old = net.chain().blocks[0].transactions[0]
    rewards = net.ledger.poem_rewards([old], 1, fee_permille=100)
    return _append_attempt(
        net, lambda: net.ledger.append("v3", [old], ["v3"], rewards, key=net.keys["v3"], fee_permille=100)
    )


def _replay_within(net: Network) -> Attempt:
    tx = net.trade("h4", "h3", 30, "2013-01-02T14:00")
    rewards = net.ledger.poem_rewards([tx, tx], 1, fee_permille=100)
    return _append_attempt(
        net, lambda: net.ledger.append("v1", [tx, tx], ["v1"], rewards, key=net.keys["v1"], fee_permille=100)
    )


def _genuine_repeat(net: Network) -> Attempt:
    # the same parties trade the same amount in the same slot twice: distinct nonces, distinct ids
    txs = [net.trade("h4", "h3", 30, "2013-01-02T14:00", nonce=n) for n in (0, 1)]
    try:
        net.mine("v1", txs, ["v1"])
    except ValidationError as exc:
        return Attempt(True, str(exc))
    return Attempt(False, "both trades recorded (different nonces)")


def _forge_without_keys(net: Network) -> Attempt:
    # rebuild block 0 from the public signed trades, crediting v3 with a large reward; the attacker holds no VPP key
    b0 = net.chain().blocks[0]
    attacker = Ed25519PrivateKey.from_private_bytes(b"\x66" * 32)
    forged = make_block(
        0, b0.prev_hash, b0.transactions, ["v3"], [10_000], fee_permille=b0.fee_permille, leader_key=attacker
    )
    return _validate_attempt(net, Chain([forged]), mining_reward=None)


def _unsigned_block(net: Network) -> Attempt:
    b0 = net.chain().blocks[0]
    bare = make_block(0, b0.prev_hash, b0.transactions, b0.miners, b0.rewards, fee_permille=b0.fee_permille)
    return _validate_attempt(net, Chain([bare]))


def _inflated_reward(net: Network) -> Attempt:
    tx = net.trade("h4", "h3", 30, "2013-01-02T14:00")
    honest = net.ledger.poem_rewards([tx], 1, fee_permille=100)
    return _append_attempt(
        net, lambda: net.ledger.append("v1", [tx], ["v1"], [honest[0] + 1000], key=net.keys["v1"], fee_permille=100)
    )


def _ppoem_reward(net: Network) -> Attempt:
    # a PPoEM ledger cannot check rewards: Eq. 12 draws the leader's share R_R privately
    ppoem = Ledger("lvpp", net.registry)  # no mining_reward: no reward rule
    tx = net.trade("h4", "h3", 30, "2013-01-02T14:00")
    before = ppoem.read("v1").to_bytes()
    try:
        ppoem.append("v1", [tx], ["v1"], [MINING_REWARD + 10_000], key=net.keys["v1"], fee_permille=100)
    except ValidationError as exc:
        return Attempt(True, str(exc), ppoem.read("v1").to_bytes() == before)
    return Attempt(False, "a reward of 10,500 coins from a pool of 3 is appended", False)


def _altered_amount(net: Network) -> Attempt:
    b0 = net.chain().blocks[0]
    tx = b0.transactions[0]
    cheat = Transaction(tx.seller, tx.buyer, tx.energy_wh, tx.coins * 2, tx.slot, tx.signatures, tx.nonce)
    block = make_block(
        0,
        b0.prev_hash,
        [cheat, *b0.transactions[1:]],
        b0.miners,
        b0.rewards,
        fee_permille=b0.fee_permille,
        leader_key=net.keys["v1"],
    )
    return _validate_attempt(net, Chain([block]), mining_reward=None)


def _forged_signature(net: Network) -> Attempt:
    tx = Transaction("h1", "h2", 100, 10, "2013-01-02T14:00")
    forged = sign_transaction(tx, {"h1": net.keys["h3"], "h2": net.keys["h2"]})  # h3 signs in h1's name
    rewards = net.ledger.poem_rewards([forged], 1, fee_permille=100)
    return _append_attempt(
        net, lambda: net.ledger.append("v1", [forged], ["v1"], rewards, key=net.keys["v1"], fee_permille=100)
    )


def _wrong_leader_key(net: Network) -> Attempt:
    tx = net.trade("h4", "h3", 30, "2013-01-02T14:00")
    rewards = net.ledger.poem_rewards([tx], 1, fee_permille=100)
    return _append_attempt(
        net, lambda: net.ledger.append("v1", [tx], ["v1"], rewards, key=net.keys["v2"], fee_permille=100)
    )


def _key_substitution(net: Network) -> Attempt:
    try:
        net.registry.register("h1", "home", "NMI-99", key_seed=b"\x66" * 32)
    except ValueError as exc:
        return Attempt(True, str(exc))
    return Attempt(False, "h1 re-registered with the attacker's key")


def _registration(net: Network, node: str, meter: str, accepted: str) -> Attempt:
    """Try to register ``node`` as a home on ``meter``: defended if the registry refuses it."""
    try:
        net.registry.register(node, "home", meter)
    except ValueError as exc:
        return Attempt(True, str(exc))
    return Attempt(False, accepted)


def _sybil_same_meter(net: Network) -> Attempt:
    return _registration(net, "h1-bis", "NMI-1", "a second account on meter NMI-1")


def _sybil_new_meter(net: Network) -> Attempt:
    return _registration(net, "ghost", "NMI-invented", "'ghost' registered with a meter id nobody checked")


def _reordered(net: Network) -> Attempt:
    b = net.chain().blocks
    return _validate_attempt(net, Chain([b[1], b[0]]))


def _withheld(net: Network) -> Attempt:
    # the leader leaves a signed trade out of its block: nothing in validation knows the trade existed
    kept = net.trade("h4", "h3", 30, "2013-01-02T14:00")
    net.trade("h1", "h2", 25, "2013-01-02T14:00")  # signed by both parties, never included
    try:
        net.mine("v1", [kept], ["v1"])
    except ValidationError as exc:
        return Attempt(True, str(exc))
    return Attempt(False, "the block without the withheld trade is appended")


def _equivocation(net: Network) -> Attempt:
    # the leader of height 2 signs two different blocks; each extends the chain validly on its own
    chain = net.chain()
    a = net.trade("h4", "h3", 30, "2013-01-02T14:00")
    b = net.trade("h1", "h2", 25, "2013-01-02T14:00")
    forks = []
    for txs in ([a], [b]):
        rewards = net.ledger.poem_rewards(txs, 1, fee_permille=100)
        block = make_block(2, chain.head_hash, txs, ["v1"], rewards, fee_permille=100, leader_key=net.keys["v1"])
        forks.append(_validate_attempt(net, Chain([*chain.blocks, block])))
    if any(f.refused for f in forks):
        return Attempt(True, "; ".join(f.outcome for f in forks if f.refused))
    return Attempt(False, "both blocks at height 2 validate; only the two signatures by v1 prove the equivocation")


def _unelected_leader(net: Network) -> Attempt:
    # any LVPP can name itself leader: the election's draw is private, so no validator can recompute it
    try:
        net.mine("v3", [net.trade("h4", "h3", 30, "2013-01-02T14:00")], ["v3"])
    except (ValidationError, PermissionError) as exc:
        return Attempt(True, str(exc))
    return Attempt(False, "v3 mined and rewarded itself without having been drawn")


def _double_spend(net: Network) -> Attempt:
    w = net.wallets
    w.exchange("h2", "v1", 50, "buy")
    w.trade("h2", "h1", "v1", 50, 5, 5)
    before = dict(w.balance)
    try:
        w.trade("h2", "h3", "v1", 50, 5, 5)  # the same 50 coins again
    except CoinError as exc:
        return Attempt(True, str(exc), dict(w.balance) == before)
    return Attempt(False, "h2 paid twice with the same coins", False)


def _served_chain(n_colluding: int) -> Callable[[Network], Attempt]:
    def attack(net: Network) -> Attempt:
        honest = net.chain()
        truncated = Chain(honest.blocks[:1])
        truncated.validate(net.registry)  # a prefix of a valid chain is valid by itself
        n = 10
        answers: list[str | None] = [honest.head_hash] * (n - n_colluding)
        answers += [truncated.head_hash] * n_colluding
        out = recover_vpp(answers, n)
        if out.action == "adopt" and out.hash == honest.head_hash:
            return Attempt(True, f"adopts the honest head ({n - n_colluding} of {n} agree)")
        if out.action == "warn":
            return Attempt(True, f"warns the leader ({out.count} of {n} agree, M_sm = {out.threshold:g})")
        return Attempt(False, f"adopts the truncated chain served by {n_colluding} of {n} peers")

    return attack


#: The catalogue, in the order of the chapter's table.
THREATS: tuple[Threat, ...] = (
    Threat(
        "a signed trade replayed in a later block by another miner",
        "Theorem 4, transaction authenticity",
        "defended after the fix",
        "each trade's id (hash of its signed fields, with a nonce) may occur once in the chain",
        _replay_across,
    ),
    Threat(
        "a signed trade included twice in one block",
        "Theorem 4, transaction authenticity",
        "defended after the fix",
        "the same rule, within the block",
        _replay_within,
    ),
    Threat(
        "two genuine, identical trades in one slot (not an attack: must be accepted)",
        "Theorem 4 (no false refusal)",
        "accepted, as it must be",
        "distinct nonces give distinct ids, so both are recorded",
        _genuine_repeat,
    ),
    Threat(
        "a chain rebuilt from the public signed trades, crediting another miner, without any VPP's key",
        "Theorem 4, block integrity",
        "defended after the fix",
        "blocks are signed by their leader; the forger cannot sign as v3",
        _forge_without_keys,
    ),
    Threat(
        "an unsigned block",
        "Theorem 4, block integrity",
        "defended after the fix",
        "validation requires the leader's signature",
        _unsigned_block,
    ),
    Threat(
        "a leader signing with a key that is not its own",
        "Theorem 4, block integrity",
        "defended after the fix",
        "the signature is checked against the leader's registered key",
        _wrong_leader_key,
    ),
    Threat(
        "a leader paying itself more than Eq. 7",
        "Sec. III-B, mining rewards (Eq. 7)",
        "defended after the fix",
        "blocks record the fee rate; validators recompute Eq. 7 from the block and the pool",
        _inflated_reward,
    ),
    Threat(
        "a PPoEM leader paying itself more than Eq. 12 allows",
        "Sec. III-C, mining rewards (Eq. 12)",
        "not defended",
        "Eq. 12 draws the leader's share R_R at random and privately: no validator can recompute it",
        _ppoem_reward,
    ),
    Threat(
        "a miner doubling a trade's amount and re-hashing the block",
        "Theorem 4, transaction authenticity",
        "defended",
        "both parties sign each trade's fields",
        _altered_amount,
    ),
    Threat(
        "a trade signed in the seller's name with another node's key",
        "Theorem 4, transaction authenticity",
        "defended",
        "signatures are verified against the registered public keys",
        _forged_signature,
    ),
    Threat(
        "key substitution: re-registering an existing node id with the attacker's key",
        "Theorem 4, wallet security",
        "defended",
        "node ids are registered once; the registry has no re-keying operation",
        _key_substitution,
    ),
    Threat(
        "a sybil account on a smart meter that already has one",
        "Theorem 5, sybil resilience",
        "defended",
        "one account per meter id",
        _sybil_same_meter,
    ),
    Threat(
        "a sybil account with an invented meter id",
        "Theorem 5, sybil resilience",
        "not defended",
        "meter ids are not attested (no certificate from the distribution network): the rule only binds honest meters",
        _sybil_new_meter,
    ),
    Threat(
        "blocks served in another order",
        "Theorem 4, block integrity",
        "defended",
        "indices and the hash links",
        _reordered,
    ),
    Threat(
        "a leader withholding a signed trade from its block (censorship)",
        "Sec. IV-G, availability",
        "not defended",
        "nothing obliges a leader to include a trade; the parties can only resubmit to a later leader",
        _withheld,
    ),
    Threat(
        "a leader signing two different blocks at one height (equivocation)",
        "Sec. IV-G, consistency",
        "not defended",
        "validation accepts either fork; the two signatures prove the misbehaviour, but no rule acts on them",
        _equivocation,
    ),
    Threat(
        "a VPP mining and rewarding itself without having been drawn",
        "Sec. III-B, the election (Eq. 4-6)",
        "not defended",
        "each VPP draws the election privately: no validator can recompute it (a public seed would allow it)",
        _unelected_leader,
    ),
    Threat(
        "a buyer paying twice with the same VPP coins",
        "Theorem 4, double spending",
        "defended",
        "the wallet rules refuse a payment above the balance (vpt.chain.coin); "
        "chain validation alone carries no balances",
        _double_spend,
    ),
    Threat(
        "a truncated chain served to a recovering VPP by 4 of 10 peers",
        "Theorem 5 / Algorithm 4, recovery",
        "defended",
        "the strict majority C_HM > M_sm = V_N / 2",
        _served_chain(4),
    ),
    Threat(
        "a truncated chain served to a recovering VPP by 6 of 10 peers (colluding or stale)",
        "Theorem 5 / Algorithm 4, recovery",
        "not defended",
        "a prefix of a valid chain is valid, and the majority decides: beyond half the VPPs the wrong chain is adopted",
        _served_chain(6),
    ),
)


def try_threat(threat: Threat) -> Attempt:
    """Run ``threat``'s attack on a fresh :func:`demo_network`."""
    instance(threat, Threat, "threat")
    return threat.attack(demo_network())


def expected_refusal(threat: Threat) -> bool:
    """Whether the catalogue's verdict says the attempt must be refused (the two "defended" verdicts)."""
    instance(threat, Threat, "threat")
    return threat.status.startswith("defended")


def random_alterations(chain: Chain, registry: Registry, n: int, rng: np.random.Generator) -> list[str | None]:
    """Alter one random byte of one random block's encoding ``n`` times; what validation says of each altered chain.

    Each alteration adds 1-255 (mod 256) to a uniformly chosen byte of a
    uniformly chosen block, decodes the block and validates the chain with
    it (Theorem 4's block integrity). Returns, per alteration, the
    :class:`~vpt.chain.ledger.ValidationError` message, or None if the altered chain
    validated (an undetected alteration).
    """
    instance(chain, Chain, "chain")
    instance(registry, Registry, "registry")
    n = count(n, "n", maximum=10**6)
    rng = generator(rng)
    if not chain.blocks:
        raise ValueError("chain has no blocks to alter")
    out: list[str | None] = []
    for _ in range(n):
        i = int(rng.integers(len(chain.blocks)))
        raw = bytearray(chain.blocks[i].to_bytes())
        pos = int(rng.integers(len(raw)))
        raw[pos] = (raw[pos] + int(rng.integers(1, 256))) % 256
        try:
            blocks = list(chain.blocks)
            blocks[i] = Block.from_bytes(bytes(raw))
            Chain(blocks).validate(registry)
            out.append(None)
        except ValidationError as exc:
            out.append(str(exc))
    return out
