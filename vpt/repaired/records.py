"""What the repaired VPT's ledger records: the public releases, and a sealed record per household and round.

The ledger chapter's chain (signatures, replay protection, Eq. 7's checks) carries over; what changes is what a
block holds. Its public part is only what the privacy accounting already pays for: the round's released price
(and the day's elected VPPs and the public block reward). Each household's trade is a record that only it and
the operator can read: AES-GCM (the ``cryptography`` package) under the household's key, with the household and
the round as associated data, so a record cannot be moved to another household or round without failing its
check. Every registered household gets exactly one record of the same size in every round, traded or not, so
neither the number of records nor their sizes tell an outside observer who traded.

Every record is sealed under a fresh random 96-bit nonce from the operating system (``os.urandom``: a
cryptographic draw, not one of the book's seeded simulation draws), stored beside it, so a key never meets the
same nonce twice however often rounds are numbered from 0 or records sealed again. Its protection is
computational (AES-GCM), not differential privacy: the accounting covers the public releases only.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from numpy.typing import ArrayLike

from vpt._checks import count, finite_array, instance, positive

__all__ = ["RECORD_BYTES", "SealedRecord", "TradeRecord", "open_record", "seal_records"]

_PLAIN = struct.Struct("<QIId")  # round, slots bought, slots sold, price (c/kWh)
_TAG = 16
_NONCE = 12
#: The size of every sealed record's ciphertext, whoever it belongs to and whether it traded.
RECORD_BYTES = _PLAIN.size + _TAG


@dataclass(frozen=True)
class TradeRecord:
    """A household's trade in one round with the VPP's pool: slots bought and sold at the round's price."""

    round_index: int
    bought: int
    sold: int
    price: float

    def __post_init__(self) -> None:
        count(self.round_index, "round_index", minimum=0, maximum=2**63 - 1)
        count(self.bought, "bought", minimum=0, maximum=2**32 - 1)
        count(self.sold, "sold", minimum=0, maximum=2**32 - 1)
        positive(self.price, "price")


@dataclass(frozen=True)
class SealedRecord:
    """A household's record as the ledger stores it: its id, round and nonce in clear, its trade sealed."""

    household: int
    round_index: int
    nonce: bytes
    ciphertext: bytes

    def __post_init__(self) -> None:
        count(self.household, "household", minimum=0, maximum=2**32 - 1)
        count(self.round_index, "round_index", minimum=0, maximum=2**63 - 1)
        if not isinstance(self.nonce, bytes) or len(self.nonce) != _NONCE:
            raise ValueError(f"nonce must be {_NONCE} bytes, got {self.nonce!r:.40}")
        if not isinstance(self.ciphertext, bytes) or len(self.ciphertext) != RECORD_BYTES:
            raise ValueError(f"ciphertext must be {RECORD_BYTES} bytes, got {self.ciphertext!r:.40}")


def _key(key: bytes, name: str) -> AESGCM:
    if not isinstance(key, bytes) or len(key) not in (16, 24, 32):
        raise ValueError(f"{name} must be an AES key of 16, 24 or 32 bytes (AESGCM.generate_key), got {key!r:.40}")
    return AESGCM(key)


def _aad(household: int, round_index: int) -> bytes:
    return household.to_bytes(4, "little") + round_index.to_bytes(8, "little")


def seal_records(
    round_index: int, price: float, bought: ArrayLike, sold: ArrayLike, keys: Sequence[bytes]
) -> list[SealedRecord]:
    """One sealed record per registered household for one round (``keys[i]``: household ``i``'s key).

    Raises
    ------
    ValueError
        For a round not >= 0, a price not > 0, fills that are not whole numbers >= 0, or lengths that differ from
        the number of keys.

    Examples
    --------
    >>> keys = [bytes(16), bytes(range(16))]
    >>> sealed = seal_records(7, 18.5, [3, 0], [0, 0], keys)
    >>> [len(r.ciphertext) for r in sealed] == [RECORD_BYTES] * 2
    True
    >>> open_record(keys[0], sealed[0])
    TradeRecord(round_index=7, bought=3, sold=0, price=18.5)
    """
    r = count(round_index, "round_index", minimum=0, maximum=2**63 - 1)
    p = positive(price, "price")
    b = finite_array(bought, "bought", ndim=1, minimum=0)
    s = finite_array(sold, "sold", ndim=1, minimum=0)
    if not isinstance(keys, (list, tuple)) or not (b.size == s.size == len(keys)):
        raise ValueError(f"bought, sold and keys must have one entry per household, got {b.size}, {s.size} and keys")
    if not (np.array_equal(b, np.floor(b)) and np.array_equal(s, np.floor(s))):
        raise ValueError("bought and sold must be whole numbers of slots")
    out = []
    for h, key in enumerate(keys):
        plain = _PLAIN.pack(*_fields(TradeRecord(r, int(b[h]), int(s[h]), p)))
        nonce = os.urandom(_NONCE)
        out.append(SealedRecord(h, r, nonce, _key(key, f"keys[{h}]").encrypt(nonce, plain, _aad(h, r))))
    return out


def _fields(rec: TradeRecord) -> tuple[int, int, int, float]:
    return rec.round_index, rec.bought, rec.sold, rec.price


def open_record(key: bytes, record: SealedRecord) -> TradeRecord:
    """Read a sealed record with its household's key (or the operator's copy of it).

    Raises
    ------
    ValueError
        If the key is not the record's household's, or the record was altered or moved to another household or
        round.
    """
    instance(record, SealedRecord, "record")
    try:
        plain = _key(key, "key").decrypt(record.nonce, record.ciphertext, _aad(record.household, record.round_index))
    except InvalidTag:
        raise ValueError(
            f"record of household {record.household}, round {record.round_index}: wrong key, or the record was "
            "altered or moved"
        ) from None
    r, bought, sold, price = _PLAIN.unpack(plain)
    return TradeRecord(r, bought, sold, price)
