"""The chain: the permissioned ledger, VPP coin, Algorithm 4's recovery and the threat catalogue.

The ledger and coin chapters of the book's part "The VPT system" run on these modules:

- :mod:`~vpt.chain.ledger`: signed transactions, hashed blocks, three layers (Sec. II-G, III-D);
- :mod:`~vpt.chain.coin`: VPP coin (Sec. III-D-3);
- :mod:`~vpt.chain.recovery`: Algorithm 4, recovery of a crashed node (Sec. IV-G), and its fault injection;
- :mod:`~vpt.chain.threats`: a threat catalogue for the ledger's security claims (Theorems 4-5);
- :mod:`~vpt.chain.day_chain`: a day of the paper's trading rounds recorded on the ledger;
- :mod:`~vpt.chain.stability`: the seed checks of the ledger's verdicts.

The public names of the modules are also names of the package, except the
seed checks of :mod:`~vpt.chain.stability`.
"""

from vpt.chain import coin, day_chain, ledger, recovery, stability, threats
from vpt.chain.coin import AUTHORITY_ROLES, CoinError, Wallets
from vpt.chain.day_chain import DayChain, build_day_chain
from vpt.chain.ledger import (
    LAYERS,
    ROLES,
    Block,
    Chain,
    Ledger,
    Node,
    Registry,
    Transaction,
    ValidationError,
    canonical,
    make_block,
    sign_transaction,
)
from vpt.chain.recovery import FAULTS, Outcome, fault_injection, recover_meter, recover_vpp
from vpt.chain.threats import (
    STATUSES,
    THREATS,
    Attempt,
    Network,
    Threat,
    demo_network,
    expected_refusal,
    random_alterations,
    try_threat,
)

__all__ = [
    "AUTHORITY_ROLES",
    "FAULTS",
    "LAYERS",
    "ROLES",
    "STATUSES",
    "THREATS",
    "Attempt",
    "Block",
    "Chain",
    "CoinError",
    "DayChain",
    "Ledger",
    "Network",
    "Node",
    "Outcome",
    "Registry",
    "Threat",
    "Transaction",
    "ValidationError",
    "Wallets",
    "build_day_chain",
    "canonical",
    "coin",
    "day_chain",
    "demo_network",
    "expected_refusal",
    "fault_injection",
    "ledger",
    "make_block",
    "random_alterations",
    "recover_meter",
    "recover_vpp",
    "recovery",
    "sign_transaction",
    "stability",
    "threats",
    "try_threat",
]
