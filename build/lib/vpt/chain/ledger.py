"""The permissioned ledger of the VPT model (Sec. II-G, III-D): signed transactions, hashed blocks, three layers.

Canonical encoding (so that two implementations agree on every hash): a
transaction or block is encoded as JSON with keys sorted, no whitespace
(separators ``,`` and ``:``), ASCII only, integers for every amount (energy in
Wh, coins as whole VPP coins, i.e. cents) and strings for everything else.
A transaction is signed over the encoding of its fields without the
signatures (a ``nonce`` among them, so that two genuine trades with the same
parties, amounts and slot differ); its id is the SHA-256 of those same bytes,
and a chain may hold each id once (a replayed trade is refused). A block's
hash is the SHA-256 of the encoding of all its fields but the hash and the
signature, written as 64 lowercase hex digits; the block is signed by its
leader (the first elected miner) over the ASCII bytes of that hash. Its
``fee_permille`` (the round's fee rate, 100, 70, 30 or 10 per mille, Algorithm
1) lets a validator recompute the PoEM rewards of Eq. 7 from the block alone.
Signatures are Ed25519 (RFC 8032), hex encoded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import numbers
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from vpt._checks import choice, count, instance

__all__ = [
    "LAYERS",
    "ROLES",
    "Block",
    "Chain",
    "Ledger",
    "Node",
    "Registry",
    "Transaction",
    "ValidationError",
    "canonical",
    "make_block",
    "sign_transaction",
]

#: Node roles of the three-layer model (Fig. 1 of the paper).
ROLES = ("home", "der", "lvpp", "mbb", "rvpp", "gud")

#: Who may read and who may append (mine) each layer's ledger (Sec. II-G).
LAYERS: dict[str, dict[str, frozenset[str]]] = {
    # layer 1: controlled by the LVPPs, seen by homes and DERs; RVPPs may read but not modify
    "lvpp": {"read": frozenset({"home", "der", "lvpp", "rvpp"}), "append": frozenset({"lvpp"})},
    # layer 2: RVPPs mine, LVPPs only read
    "rvpp": {"read": frozenset({"lvpp", "rvpp"}), "append": frozenset({"rvpp"})},
    # layer 3: only RVPPs and GUDs view it and take part in mining
    "gud": {"read": frozenset({"rvpp", "gud"}), "append": frozenset({"rvpp", "gud"})},
}


class ValidationError(ValueError):
    """A transaction, block or chain that does not validate (the message says why)."""


def canonical(obj: Any) -> bytes:
    """The canonical byte encoding: sorted-key, whitespace-free ASCII JSON.

    Raises
    ------
    ValueError
        If ``obj`` holds anything JSON cannot encode exactly (NaN, infinities,
        arrays, bytes, non-string keys, cycles).
    """
    try:
        text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    except (TypeError, RecursionError) as exc:
        raise ValueError(f"not encodable as canonical JSON: {exc}") from None
    return text.encode("ascii")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _require_int(value: Any, name: str, minimum: int = 0) -> int:
    """An integer (Python or NumPy, not ``bool``) >= ``minimum``, as a Python ``int``; no coercion of other types."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValidationError(f"{name} must be an integer >= {minimum}, got {value!r:.80}")
    return int(value)


def _require_str(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{name} must be a non-empty string, got {value!r:.80}")
    return value


def _require_sequence(value: Any, name: str) -> tuple:
    if not isinstance(value, (list, tuple)):
        raise ValidationError(f"{name} must be a list or tuple, got {value!r:.80}")
    return tuple(value)


@dataclass(frozen=True)
class Node:
    """A registered participant: id, role, smart-meter id (one account per meter) and public key."""

    node_id: str
    role: str
    meter_id: str | None
    public_key: bytes

    def __post_init__(self) -> None:
        _require_str(self.node_id, "node_id")
        choice(self.role, "role", ROLES)
        if self.meter_id is not None:
            _require_str(self.meter_id, "meter_id")
        if not isinstance(self.public_key, bytes) or len(self.public_key) != 32:
            raise ValueError(f"public_key must be 32 bytes (a raw Ed25519 key), got {self.public_key!r:.80}")


@functools.lru_cache(maxsize=1 << 17)
def _verify_ed25519(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Ed25519 verification of ``signature`` on ``message`` under the raw ``public_key`` (cached)."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


class Registry:
    """The permissioned membership: nodes, their keys, and the one-account-per-meter rule.

    Private keys are returned to the caller at registration (the node keeps
    its own key); the registry stores only public keys.
    """

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._meters: dict[str, str] = {}

    def register(
        self, node_id: str, role: str, meter_id: str | None = None, *, key_seed: bytes | None = None
    ) -> Ed25519PrivateKey:
        """Admit a node; return its new private key.

        The key is fresh from the operating system's randomness, or, if
        ``key_seed`` (32 bytes) is given, derived from it: the book does that
        so that its chains and hashes are reproducible. A deployment must not.

        Raises
        ------
        ValueError
            For an unknown role, a node id already taken, a home or DER without
            a smart-meter id, or a meter id that already has an account (the
            paper's defence against sybil identities).
        """
        _require_str(node_id, "node_id")
        choice(role, "role", ROLES)
        if meter_id is not None:
            _require_str(meter_id, "meter_id")
        if node_id in self._nodes:
            raise ValueError(f"node id {node_id!r} is already registered")
        if role in ("home", "der") and not meter_id:
            raise ValueError(f"a {role} needs a smart-meter id to join")
        if meter_id is not None and meter_id in self._meters:
            raise ValueError(
                f"smart meter {meter_id!r} already has an account ({self._meters[meter_id]!r}): one account per meter"
            )
        if key_seed is not None and (not isinstance(key_seed, bytes) or len(key_seed) != 32):
            raise ValueError("key_seed must be 32 bytes")
        key = Ed25519PrivateKey.generate() if key_seed is None else Ed25519PrivateKey.from_private_bytes(key_seed)
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._nodes[node_id] = Node(node_id, role, meter_id, public)
        if meter_id is not None:
            self._meters[meter_id] = node_id
        return key

    def node(self, node_id: str) -> Node:
        """The registered node ``node_id``.

        Raises
        ------
        ValueError
            If ``node_id`` is not a non-empty string.
        PermissionError
            If no such node is registered.
        """
        _require_str(node_id, "node_id")
        try:
            return self._nodes[node_id]
        except KeyError:
            raise PermissionError(f"unknown node {node_id!r}: not a member of the network") from None

    def verify(self, node_id: str, signature: bytes, message: bytes) -> bool:
        """Whether ``signature`` is ``node_id``'s Ed25519 signature of ``message``.

        Verification is a pure function of (public key, signature, message), so
        its result is cached: validating a chain again (after a refused
        append, in recovery, for every tampered copy) re-checks every field and
        hash but pays for each signature only once. Any altered byte is a new
        cache key and is verified afresh. An unknown node verifies nothing
        (``False``); arguments of the wrong type raise ``ValueError``.
        """
        _require_str(node_id, "node_id")
        for name, value in (("signature", signature), ("message", message)):
            if not isinstance(value, (bytes, bytearray)):
                raise ValueError(f"{name} must be bytes, got {value!r:.80}")
        try:
            public_key = self.node(node_id).public_key
        except PermissionError:
            return False
        return _verify_ed25519(public_key, bytes(signature), bytes(message))

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and node_id in self._nodes


@dataclass(frozen=True)
class Transaction:
    """One energy trade: seller, buyer, energy (Wh), VPP coins, time slot, and both parties' signatures."""

    seller: str
    buyer: str
    energy_wh: int
    coins: int
    slot: str
    signatures: dict[str, str] = field(default_factory=dict)
    nonce: int = 0

    def __post_init__(self) -> None:
        """Refuse malformed fields (:class:`ValidationError`); NumPy integers are stored as Python ints."""
        _require_str(self.seller, "seller")
        _require_str(self.buyer, "buyer")
        object.__setattr__(self, "energy_wh", _require_int(self.energy_wh, "energy_wh", 1))
        object.__setattr__(self, "coins", _require_int(self.coins, "coins", 0))
        _require_str(self.slot, "slot")
        object.__setattr__(self, "nonce", _require_int(self.nonce, "nonce", 0))
        sigs = self.signatures
        if not isinstance(sigs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in sigs.items()):
            raise ValidationError(f"signatures must map node ids to hex strings, got {sigs!r:.80}")

    def body(self) -> dict[str, Any]:
        """The signed fields."""
        return {
            "seller": self.seller,
            "buyer": self.buyer,
            "energy_wh": self.energy_wh,
            "coins": self.coins,
            "slot": self.slot,
            "nonce": self.nonce,
        }

    @property
    def tx_id(self) -> str:
        """The transaction's id: SHA-256 of its signed fields (64 hex digits); a chain holds each id once."""
        return _sha256(canonical(self.body()))

    def to_obj(self) -> dict[str, Any]:
        """The transaction as a JSON-ready dict (signed fields and signatures)."""
        return {**self.body(), "signatures": dict(self.signatures)}

    @classmethod
    def from_obj(cls, obj: Any) -> Transaction:
        """Parse a transaction from its JSON dict; :class:`ValidationError` on any malformed field."""
        if not isinstance(obj, dict) or set(obj) != {
            "seller",
            "buyer",
            "energy_wh",
            "coins",
            "slot",
            "nonce",
            "signatures",
        }:
            raise ValidationError(f"malformed transaction {obj!r:.200}")
        for name in ("energy_wh", "coins", "nonce"):  # the encoding has Python ints only (no NumPy types in JSON)
            if type(obj[name]) is not int:
                raise ValidationError(f"{name} must be an integer, got {obj[name]!r:.80}")
        sigs = obj["signatures"]
        return cls(
            obj["seller"],
            obj["buyer"],
            obj["energy_wh"],
            obj["coins"],
            obj["slot"],
            dict(sigs) if isinstance(sigs, dict) else sigs,
            obj["nonce"],
        )

    def check(self, registry: Registry) -> None:
        """Validate fields and both signatures against the registry.

        Raises
        ------
        ValidationError
            Naming what is wrong.
        ValueError
            If ``registry`` is not a :class:`Registry`.
        """
        instance(registry, Registry, "registry")
        Transaction.from_obj(self.to_obj())
        if self.seller == self.buyer:
            raise ValidationError("a node cannot trade with itself")
        message = canonical(self.body())
        for party in ("seller", "buyer"):
            node_id = getattr(self, party)
            if node_id not in registry:
                raise ValidationError(f"{party} {node_id!r} is not a registered node")
            sig = self.signatures.get(node_id)
            try:
                raw = bytes.fromhex(sig) if sig is not None else b""
            except ValueError:
                raw = b""
            if sig is None or sig != raw.hex() or not registry.verify(node_id, raw, message):
                raise ValidationError(f"transaction {self.body()} lacks a valid signature of its {party} {node_id!r}")
        if set(self.signatures) != {self.seller, self.buyer}:
            raise ValidationError("a transaction carries exactly the seller's and the buyer's signatures")


def sign_transaction(tx: Transaction, signers: dict[str, Ed25519PrivateKey]) -> Transaction:
    """Return ``tx`` signed by the given parties (their private keys by node id)."""
    instance(tx, Transaction, "tx")
    if not isinstance(signers, dict) or not all(
        isinstance(k, str) and isinstance(v, Ed25519PrivateKey) for k, v in signers.items()
    ):
        raise ValueError(f"signers must map node ids to Ed25519 private keys, got {signers!r:.80}")
    message = canonical(tx.body())
    sigs = dict(tx.signatures)
    for node_id, key in signers.items():
        sigs[node_id] = key.sign(message).hex()
    return Transaction(tx.seller, tx.buyer, tx.energy_wh, tx.coins, tx.slot, sigs, tx.nonce)


#: Fee rates of Algorithm 1's four states in per mille (Stable, Warning, Breakdown, Shutdown), as blocks record them.
FEE_PERMILLE = (100, 70, 30, 10)
#: The PoEM split of the pooled mining fees between the first, second and third miner (Eq. 7), in tenths.
POEM_SPLIT_TENTHS = (7, 2, 1)


@dataclass(frozen=True)
class Block:
    """A block: index, previous hash, the round's transactions, elected miners and their rewards, own hash.

    ``fee_permille`` is the round's fee rate (0 if the block does not state
    it) and ``signature`` the leader's Ed25519 signature of ``hash`` (hex; not
    part of the hashed content).
    """

    index: int
    prev_hash: str
    transactions: tuple[Transaction, ...]
    miners: tuple[str, ...]
    rewards: tuple[int, ...]
    hash: str
    fee_permille: int = 0
    signature: str = ""

    def __post_init__(self) -> None:
        """Refuse malformed fields (:class:`ValidationError`): rewards are whole, non-negative coins."""
        object.__setattr__(self, "index", _require_int(self.index, "index"))
        _require_str(self.prev_hash, "prev_hash")
        txs = _require_sequence(self.transactions, "transactions")
        if not all(isinstance(t, Transaction) for t in txs):
            raise ValidationError("transactions must be Transaction objects")
        object.__setattr__(self, "transactions", txs)
        object.__setattr__(
            self, "miners", tuple(_require_str(m, "miner") for m in _require_sequence(self.miners, "miners"))
        )
        rewards = _require_sequence(self.rewards, "rewards")
        object.__setattr__(self, "rewards", tuple(_require_int(r, "reward") for r in rewards))
        if not isinstance(self.hash, str):
            raise ValidationError(f"hash must be a string, got {self.hash!r:.80}")
        fee = _require_int(self.fee_permille, "fee_permille")
        if fee > 1000:
            raise ValidationError(f"fee_permille must be at most 1000, got {fee}")
        object.__setattr__(self, "fee_permille", fee)
        if not isinstance(self.signature, str):
            raise ValidationError(f"signature must be a hex string, got {self.signature!r:.80}")

    def content(self) -> dict[str, Any]:
        """The hashed fields."""
        return {
            "index": self.index,
            "prev_hash": self.prev_hash,
            "transactions": [t.to_obj() for t in self.transactions],
            "miners": list(self.miners),
            "rewards": list(self.rewards),
            "fee_permille": self.fee_permille,
        }

    def compute_hash(self) -> str:
        """SHA-256 of the block's canonical encoding without its hash, as 64 hex digits."""
        return _sha256(canonical(self.content()))

    def to_bytes(self) -> bytes:
        """The block's canonical encoding, hash and signature included."""
        return canonical({**self.content(), "hash": self.hash, "signature": self.signature})

    @classmethod
    def from_bytes(cls, data: bytes) -> Block:
        """Parse a canonical encoding strictly: anything that does not re-encode to the same bytes is refused.

        Raises
        ------
        ValidationError
            If the bytes are not the canonical encoding of a well-formed block.
        """
        if not isinstance(data, bytes):
            raise ValidationError(f"a block is parsed from bytes, got {type(data).__name__}")
        try:
            obj = json.loads(data.decode("ascii"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
            raise ValidationError(f"not a block encoding: {type(exc).__name__}: {exc}"[:300]) from None
        fields = ("index", "prev_hash", "transactions", "miners", "rewards", "fee_permille", "hash", "signature")
        if not isinstance(obj, dict) or set(obj) != set(fields):
            raise ValidationError(f"a block has exactly the fields {', '.join(fields)}")
        if (
            not isinstance(obj["transactions"], list)
            or not isinstance(obj["miners"], list)
            or not isinstance(obj["rewards"], list)
        ):
            raise ValidationError("transactions, miners and rewards must be lists")
        block = cls(
            _require_int(obj["index"], "index"),
            _require_str(obj["prev_hash"], "prev_hash"),
            tuple(Transaction.from_obj(t) for t in obj["transactions"]),
            tuple(_require_str(m, "miner") for m in obj["miners"]),
            tuple(_require_int(r, "reward") for r in obj["rewards"]),
            _require_str(obj["hash"], "hash"),
            _require_int(obj["fee_permille"], "fee_permille"),
            obj["signature"],
        )
        if block.to_bytes() != data:
            raise ValidationError("the bytes are not the block's canonical encoding")
        return block


GENESIS_PREV = "0" * 64


def make_block(
    index: int,
    prev_hash: str,
    transactions,
    miners,
    rewards,
    *,
    fee_permille: int = 0,
    leader_key: Ed25519PrivateKey | None = None,
) -> Block:
    """Assemble a block, compute its hash and, with ``leader_key``, sign it as its leader.

    An unsigned block (no ``leader_key``) is well-formed but does not validate
    in a chain: validation checks the leader's signature.

    Raises
    ------
    ValidationError
        For a malformed field: ``index`` not an integer >= 0, ``prev_hash``
        not a non-empty string, ``transactions`` not a list of
        :class:`Transaction`, ``miners`` not a list of node ids, or
        ``rewards`` not a list of whole, non-negative coins (nothing is
        rounded or converted: ``1.9`` and ``"7"`` are refused).
    """
    if leader_key is not None and not isinstance(leader_key, Ed25519PrivateKey):
        raise ValueError(f"leader_key must be an Ed25519 private key, got {leader_key!r:.80}")
    draft = Block(index, prev_hash, transactions, miners, rewards, "", fee_permille)
    digest = draft.compute_hash()
    signature = leader_key.sign(digest.encode("ascii")).hex() if leader_key is not None else ""
    return Block(
        draft.index, draft.prev_hash, draft.transactions, draft.miners, draft.rewards, digest, fee_permille, signature
    )


class Chain:
    """An append-only list of blocks; :meth:`validate` checks every link and every block's contents."""

    def __init__(self, blocks=()) -> None:
        if isinstance(blocks, (str, bytes)) or not hasattr(blocks, "__iter__"):
            raise ValidationError(f"blocks must be an iterable of Block, got {blocks!r:.80}")
        self.blocks: list[Block] = list(blocks)
        if not all(isinstance(b, Block) for b in self.blocks):
            raise ValidationError("blocks must be Block objects")

    @property
    def head_hash(self) -> str:
        """The hash of the last block (the genesis value for an empty chain)."""
        return self.blocks[-1].hash if self.blocks else GENESIS_PREV

    def validate(
        self,
        registry: Registry,
        miner_roles: frozenset[str] | None = None,
        *,
        start: int = 0,
        mining_reward: int | None = None,
    ) -> None:
        """Check indices, links, hashes, the leaders' signatures, miners, rewards and every transaction.

        Every block must be signed by its leader (its first miner), and every
        transaction id may occur once in the whole chain (a replayed trade is
        refused, in the same block or a later one). With ``mining_reward``
        (``MR``), the rewards must follow PoEM's Eq. 7 as far as the chain can
        verify them: the block's mining fees are ``coins * fee_permille //
        1000`` per transaction, they join what earlier blocks left unpaid in
        the pool, the first, second and third miner get ``7/10``, ``2/10`` and
        ``1/10`` of the pool (rounded down, whole coins) and the leader also
        ``MR``; the remainder stays in the pool. Whether the miners were the
        ones the election drew cannot be checked: the draw is private.

        ``start`` skips the checks of the blocks before it (already validated)
        but still reads their transaction ids and pool, and checks the link
        into block ``start``.

        Raises
        ------
        ValidationError
            At the first problem, naming the block.
        ValueError
            If ``registry`` is not a :class:`Registry`, ``miner_roles`` not a
            set of roles, or ``start`` not in ``0..len(blocks)``.
        """
        instance(registry, Registry, "registry")
        if miner_roles is not None and (
            not isinstance(miner_roles, (set, frozenset)) or not all(r in ROLES for r in miner_roles)
        ):
            raise ValueError(f"miner_roles must be a set of roles from {ROLES}, got {miner_roles!r:.80}")
        start = count(start, "start", minimum=0, maximum=len(self.blocks))
        if mining_reward is not None:
            mining_reward = _require_int(mining_reward, "mining_reward")
        seen: set[str] = set()
        pool = 0
        for block in self.blocks[:start]:
            seen.update(tx.tx_id for tx in block.transactions)
            pool = _pool_after(block, pool)
        prev = self.blocks[start - 1].hash if start > 0 else GENESIS_PREV
        for i, block in enumerate(self.blocks[start:], start=start):
            where = f"block {i}"
            if block.index != i:
                raise ValidationError(f"{where}: index {block.index}, expected {i} (reordered or missing block)")
            if block.prev_hash != prev:
                raise ValidationError(f"{where}: prev_hash does not match the previous block's hash")
            if block.compute_hash() != block.hash:
                raise ValidationError(f"{where}: contents do not match its hash")
            if not block.miners:
                raise ValidationError(f"{where}: a block needs a leader (its first miner) to sign it")
            if len(block.miners) != len(block.rewards) or len(set(block.miners)) != len(block.miners):
                raise ValidationError(f"{where}: miners and rewards do not match")
            if block.miners[0] not in registry or not _signed(registry, block.miners[0], block.signature, block.hash):
                raise ValidationError(f"{where}: lacks a valid signature of its leader {block.miners[0]!r}")
            for m in block.miners:
                if m not in registry:
                    raise ValidationError(f"{where}: miner {m!r} is not a registered node")
                if miner_roles is not None and registry.node(m).role not in miner_roles:
                    raise ValidationError(f"{where}: {m!r} has no mining rights on this ledger")
            for tx in block.transactions:
                try:
                    tx.check(registry)
                except ValidationError as exc:
                    raise ValidationError(f"{where}: {exc}") from None
                if tx.tx_id in seen:
                    raise ValidationError(f"{where}: transaction {tx.tx_id[:16]}... replays one already in the chain")
                seen.add(tx.tx_id)
            if mining_reward is not None:
                expected = _poem_rewards(block, pool, mining_reward)
                if list(block.rewards) != expected:
                    raise ValidationError(
                        f"{where}: rewards {list(block.rewards)} do not follow Eq. 7 (expected {expected})"
                    )
            pool = _pool_after(block, pool)
            prev = block.hash

    def to_bytes(self) -> bytes:
        """The chain as newline-separated canonical block encodings."""
        return b"\n".join(b.to_bytes() for b in self.blocks)

    @classmethod
    def from_bytes(cls, data: bytes) -> Chain:
        """Parse a chain from its canonical bytes; :class:`ValidationError` if they are malformed."""
        if not isinstance(data, bytes):
            raise ValidationError(f"a chain is parsed from bytes, got {type(data).__name__}")
        return cls(Block.from_bytes(line) for line in data.split(b"\n")) if data else cls()


def _signed(registry: Registry, node_id: str, signature: str, digest: str) -> bool:
    """Whether ``signature`` (hex) is ``node_id``'s signature of the ASCII bytes of ``digest``."""
    try:
        raw = bytes.fromhex(signature)
    except ValueError:
        return False
    return raw.hex() == signature and registry.verify(node_id, raw, digest.encode("ascii"))


def _block_fees(block: Block) -> int:
    """The block's pooled mining fees: ``coins * fee_permille // 1000`` per transaction (whole coins)."""
    return sum(tx.coins * block.fee_permille // 1000 for tx in block.transactions)


def _fee_shares(pool: int, n_miners: int) -> list[int]:
    return [pool * tenths // 10 for tenths in POEM_SPLIT_TENTHS[:n_miners]]


def _poem_rewards(block: Block, pool: int, mining_reward: int) -> list[int]:
    """The rewards Eq. 7 gives the block's miners from the pool as it stands before the block is paid."""
    shares = _fee_shares(pool + _block_fees(block), len(block.miners))
    return [shares[0] + mining_reward, *shares[1:]] if shares else []


def _pool_after(block: Block, pool: int) -> int:
    """What stays unpaid in the mining pool after the block's fees are added and its fee shares paid."""
    total = pool + _block_fees(block)
    return total - sum(_fee_shares(total, len(block.miners)))


class Ledger:
    """One layer's ledger with its permissions: who may read it and who may append (mine) blocks.

    With ``mining_reward`` (``MR``), every block's rewards are checked against
    PoEM's Eq. 7 (see :meth:`Chain.validate`); without it, rewards are only
    checked to be whole, non-negative coins (PPoEM's Eq. 12 draws its split at
    random, which a validator cannot recompute).
    """

    def __init__(self, layer: str, registry: Registry, *, mining_reward: int | None = None) -> None:
        choice(layer, "layer", tuple(LAYERS))
        instance(registry, Registry, "registry")
        self.layer = layer
        self.registry = registry
        self.mining_reward = None if mining_reward is None else _require_int(mining_reward, "mining_reward")
        self._chain = Chain()

    def _role(self, node_id: str) -> str:
        return self.registry.node(node_id).role

    def read(self, node_id: str) -> Chain:
        """A copy of the chain, for a node allowed to read this layer.

        Raises
        ------
        PermissionError
            If the node is unknown or its role may not read this layer.
        """
        role = self._role(node_id)
        if role not in LAYERS[self.layer]["read"]:
            raise PermissionError(f"{node_id!r} ({role}) may not read the {self.layer} ledger")
        return Chain(self._chain.blocks)

    def append(
        self,
        node_id: str,
        transactions,
        miners,
        rewards,
        *,
        key: Ed25519PrivateKey,
        fee_permille: int = 0,
    ) -> Block:
        """Mine the next block as its leader ``node_id`` (the first of ``miners``), signed with ``key``.

        The block is built, the extended chain validated (signatures, replays,
        and with the ledger's ``mining_reward`` the rewards of Eq. 7), and only
        then appended.

        Raises
        ------
        PermissionError
            If the node may not mine on this layer, or an elected miner may not.
        ValidationError
            If the new block does not validate (for instance ``key`` is not the
            leader's key, a transaction replays one in the chain, or the rewards
            break Eq. 7) or a field is malformed (see :func:`make_block`); the
            ledger is then unchanged.
        """
        role = self._role(node_id)
        miners = _require_sequence(miners, "miners")
        allowed = LAYERS[self.layer]["append"]
        if role not in allowed:
            raise PermissionError(f"{node_id!r} ({role}) may not mine or append on the {self.layer} ledger")
        for m in miners:
            if self._role(m) not in allowed:
                raise PermissionError(f"elected miner {m!r} has no mining rights on the {self.layer} ledger")
        if not miners or miners[0] != node_id:
            raise ValidationError(
                f"the block is mined by its leader, the first of miners {list(miners)}, not {node_id!r}"
            )
        block = make_block(
            len(self._chain.blocks),
            self._chain.head_hash,
            transactions,
            miners,
            rewards,
            fee_permille=fee_permille,
            leader_key=key,
        )
        candidate = Chain([*self._chain.blocks, block])
        candidate.validate(self.registry, allowed, start=len(candidate.blocks) - 1, mining_reward=self.mining_reward)
        self._chain = candidate
        return block

    def poem_rewards(self, transactions, n_miners: int, *, fee_permille: int) -> list[int]:
        """The rewards Eq. 7 gives the next block's ``n_miners`` miners (what :meth:`append` will accept).

        Raises
        ------
        ValueError
            If the ledger has no ``mining_reward`` (no reward rule), or an
            argument is malformed.
        """
        if self.mining_reward is None:
            raise ValueError("this ledger checks no reward rule (it was made without mining_reward)")
        n = count(n_miners, "n_miners", maximum=len(POEM_SPLIT_TENTHS))
        pool = 0
        for block in self._chain.blocks:
            pool = _pool_after(block, pool)
        draft = Block(
            len(self._chain.blocks), self._chain.head_hash, transactions, ("x",) * n, (0,) * n, "", fee_permille
        )
        return _poem_rewards(draft, pool, self.mining_reward)

    def __len__(self) -> int:
        return len(self._chain.blocks)
