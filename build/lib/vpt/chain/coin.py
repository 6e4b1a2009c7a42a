"""VPP coin (Sec. III-D-3): earned only by selling energy, spent only by buying it, exchanged only via authorities."""

from __future__ import annotations

import numbers

import numpy as np

from vpt._checks import instance, text
from vpt.chain.ledger import Registry

__all__ = ["AUTHORITY_ROLES", "CoinError", "Wallets"]

#: Roles of the "authoritative nodes" through which coins are exchanged for local currency.
AUTHORITY_ROLES = frozenset({"lvpp", "rvpp", "gud"})
POOL = "<mining pool>"


class CoinError(ValueError):
    """A coin operation the rules forbid; balances are left unchanged."""


class Wallets:
    """Balances of VPP coin (whole coins) with the paper's three uses and full accounting.

    Every operation checks everything first and changes nothing if it fails:
    :class:`CoinError` (a ``ValueError``) for what the rules forbid or a
    malformed amount, ``PermissionError`` for a node id that is not registered.
    The invariant :meth:`check_conservation` holds after every successful
    operation: the coins held (wallets plus the mining pool) equal the coins
    minted as mining rewards plus the coins bought with local currency minus
    those sold back.
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = instance(registry, Registry, "registry")
        self.balance: dict[str, int] = {}
        self.minted = 0
        self.bought = 0
        self.sold = 0

    def held(self, node_id: str) -> int:
        """Coins held by ``node_id`` (0 if none; the pool is ``"<mining pool>"``)."""
        text(node_id, "node_id")
        return self.balance.get(node_id, 0)

    def _add(self, node_id: str, coins: int) -> None:
        self.balance[node_id] = self.balance.get(node_id, 0) + coins

    @staticmethod
    def _amount(value: int, name: str) -> int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 0:
            raise CoinError(f"{name} must be a whole, non-negative number of coins, got {value!r:.80}")
        return int(value)

    def _member(self, node_id: str) -> str:
        text(node_id, "node id")
        self.registry.node(node_id)  # raises PermissionError for strangers
        return node_id

    def trade(self, buyer: str, seller: str, vpp: str, price: int, transaction_fee: int, mining_fee: int) -> None:
        """Settle one energy trade (Algorithm 2 lines 16-23).

        The buyer pays ``price``; the seller gets the price less both fees; the
        trading VPP the transaction fee; the mining pool the mining fee.

        Raises
        ------
        CoinError
            For negative amounts, fees above the price, a buyer who cannot pay,
            or a VPP that is not an authoritative node.
        """
        price, transaction_fee, mining_fee = (
            self._amount(v, name)
            for name, v in (("price", price), ("transaction_fee", transaction_fee), ("mining_fee", mining_fee))
        )
        for node in (buyer, seller, vpp):
            self._member(node)
        if buyer == seller:
            raise CoinError("a node cannot buy from itself")
        if self.registry.node(vpp).role not in AUTHORITY_ROLES:
            raise CoinError(f"{vpp!r} is not a VPP and cannot collect a transaction fee")
        if transaction_fee + mining_fee > price:
            raise CoinError("the fees exceed the price")
        if self.held(buyer) < price:
            raise CoinError(f"{buyer!r} holds {self.held(buyer)} coins and cannot pay {price}")
        self._add(buyer, -(price))
        self._add(seller, price - transaction_fee - mining_fee)
        self._add(vpp, transaction_fee)
        self._add(POOL, mining_fee)

    def pay_rewards(self, winners: list[str], fee_shares: list[int], mining_reward: int) -> int:
        """Pay the miners; what stays in the pool unpaid is returned.

        The leader gets ``mining_reward`` (newly minted) plus its fee share; the
        others their fee shares, all taken from the pool.

        Raises
        ------
        CoinError
            If the shares exceed the pool, a winner is not an authoritative node,
            or the lists do not match.
        """
        if not isinstance(winners, (list, tuple)) or not isinstance(fee_shares, (list, tuple)):
            raise CoinError("winners and fee_shares must be lists")
        if len(winners) != len(fee_shares) or not winners:
            raise CoinError("one fee share per winner, and at least a leader")
        if len(set(map(repr, winners))) != len(winners):
            raise CoinError("a miner can be elected only once per election")
        mining_reward = self._amount(mining_reward, "mining_reward")
        fee_shares = [self._amount(s, "fee share") for s in fee_shares]
        for w in winners:
            self._member(w)
            if self.registry.node(w).role not in AUTHORITY_ROLES:
                raise CoinError(f"{w!r} cannot mine")
        if sum(fee_shares) > self.held(POOL):
            raise CoinError(f"the shares ({sum(fee_shares)}) exceed the mining pool ({self.held(POOL)})")
        for w, s in zip(winners, fee_shares, strict=True):
            self._add(w, s)
            self._add(POOL, -(s))
        self._add(winners[0], mining_reward)
        self.minted += mining_reward
        return self.held(POOL)

    def exchange(self, node: str, authority: str, coins: int, direction: str) -> None:
        """Buy (``"buy"``) or sell (``"sell"``) coins for local currency, only through an authoritative node.

        Raises
        ------
        CoinError
            If ``authority`` is not an authoritative node, the direction is
            unknown, or a seller holds fewer coins than it sells.
        """
        coins = self._amount(coins, "coins")
        self._member(node)
        self._member(authority)
        if direction not in ("buy", "sell") or not isinstance(direction, str):
            raise CoinError(f"direction must be 'buy' or 'sell', got {direction!r:.80}")
        if self.registry.node(authority).role not in AUTHORITY_ROLES:
            raise CoinError(f"{authority!r} is not an authoritative node: coins are exchanged only through one")
        if direction == "buy":
            self._add(node, coins)
            self.bought += coins
        elif direction == "sell":
            if self.held(node) < coins:
                raise CoinError(f"{node!r} holds {self.held(node)} coins and cannot sell {coins}")
            self._add(node, -(coins))
            self.sold += coins
        else:
            raise CoinError(f"direction must be 'buy' or 'sell', got {direction!r}")

    def transfer(self, sender: str, receiver: str, coins: int) -> None:
        """Refused always: participants cannot trade coins with each other (Sec. III-D-3)."""
        raise CoinError(
            "VPP coins cannot be transferred between participants; "
            "they are earned by selling energy and spent by buying it"
        )

    def total(self) -> int:
        """Coins held in all wallets and the pool."""
        return sum(self.balance.values())

    def check_conservation(self) -> None:
        """Raise ``CoinError`` unless held = minted + bought - sold and no balance is negative."""
        if any(v < 0 for v in self.balance.values()):
            raise CoinError("a balance is negative")
        if self.total() != self.minted + self.bought - self.sold:
            raise CoinError(
                f"coins held {self.total()} != minted {self.minted} + bought {self.bought} - sold {self.sold}"
            )
