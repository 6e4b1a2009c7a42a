"""The reproducible companion to the VPT paper: PoEM/PPoEM energy trading and block mining for blockchain VPPs.

Its subpackages follow the parts of the book:

- ``vpt.market``: the double auction, settlement, the paper's and the truthful mechanisms, the miner election,
  the trading rounds, the paper's mining experiment and the incentive audits;
- ``vpt.privacy``: the auditor, exact laws and losses, the mechanisms under audit, a household's accountant
  and the repaired private markets;
- ``vpt.chain``: the permissioned ledger, VPP coin, Algorithm 4's recovery and the threat catalogue;
- ``vpt.theory``: Theorems 6-12 in closed form, their independent simulators and operation counts;
- ``vpt.repaired``: a VPT that keeps its promises: the repaired round, private per household and day, its
  ledger records and its cost against PoEM;
- ``vpt.book``: the data settings of the chapters, tables and verdicts, plots, the seed sweep and the benchmark.

They stand on the ground modules:

- ``vpt.data``: half-hourly household data, a seeded generator, and readers for Ausgrid and net-energy files;
- ``vpt.state``: the system state of a VPP (Algorithm 1);
- ``vpt.units``: the book's units and the paper's sensitivities F_i, Delta q1 and Delta q2;
- ``vpt.readings``: the register of what the paper leaves open, the book's reading of each, and the joint reading;
- ``vpt.seeds``: the seed sets of the seed-dependent verdicts, and what a seed check returns.

Imports run one way, down these layers: the ground imports none of the subpackages; ``vpt.market`` imports
only the ground; ``vpt.privacy``, ``vpt.chain`` and ``vpt.theory`` import the market and the ground but not one
another; ``vpt.repaired`` imports the market, privacy and chain; ``vpt.book`` imports them all. Every public
function validates its arguments (``ValueError`` naming what was wrong) and takes an explicit
``numpy.random.Generator`` where it draws. The modules load on first use, so ``import vpt`` is cheap; see the
README's quick-start.
"""

import importlib as _importlib

__version__ = "0.2.0"

#: The subpackages and ground modules, the names ``dir(vpt)`` lists.
_PUBLIC = (
    "book",
    "chain",
    "data",
    "market",
    "privacy",
    "readings",
    "repaired",
    "seeds",
    "state",
    "theory",
    "units",
)
__all__ = list(_PUBLIC)


def __getattr__(name: str) -> object:
    """Load a subpackage or ground module on first use (``vpt.market`` after ``import vpt``)."""
    if name in _PUBLIC:
        return _importlib.import_module(f"vpt.{name}")
    raise AttributeError(f"module 'vpt' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The subpackages and ground modules."""
    return list(_PUBLIC)
