"""The repaired VPT's privacy-cost frontier on every seed set of the stability sweep, on the executor, stored.

``python -m vpt.book.frontier`` computes, for each of the sweep's seed sets (:func:`vpt.seeds.seed_sets`), the
repaired market's expected gains from trade as a share of PoEM's, its energy settled with the grid and the VPP's
revenue at every release frequency and household-day budget (:func:`vpt.repaired.protocol.frontier`), one task
per seed set, and stores them in ``data/repaired-frontier.json`` under the SHA-256 of the code it runs. The
chapter "A VPT that keeps its promises" reads the stored file for the spread over seed sets; the tests recompute
the first seed set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vpt._checks import instance
from vpt.book.parallel import add_executor_arguments, check_argv, executor_of, run_tasks
from vpt.book.sweep import code_key
from vpt.market import experiments
from vpt.market.rounds import hourly_energy
from vpt.repaired.protocol import BUDGETS, FREQUENCIES, frontier, round_tables
from vpt.seeds import N_SEED_SETS, Seeds, households, seed_sets

__all__ = ["CAP", "COLUMNS", "STORED", "cached_frontier", "frontier_key", "main", "seed_set_frontier", "write_frontier"]

#: Slots of one household counted per round in a price's quality (1 kWh), as in the household-privacy chapter.
CAP = 10
#: What each point stores.
COLUMNS = ("share", "share_sorted", "share_volume", "grid_kwh", "poem_grid_kwh", "revenue")
#: Where the frontier is stored.
STORED = Path(__file__).resolve().parents[2] / "data" / "repaired-frontier.json"


def seed_set_frontier(seeds: Seeds) -> list[list[float]]:
    """The frontier on one seed set's households and prices: one row of :data:`COLUMNS` per point.

    The points run over :data:`vpt.repaired.protocol.FREQUENCIES`, then
    :data:`vpt.repaired.protocol.BUDGETS`.

    Raises
    ------
    ValueError
        If ``seeds`` is not a :class:`vpt.seeds.Seeds`.
    """
    instance(seeds, Seeds, "seeds")
    homes = households(seeds)
    surplus, deficit, _ = hourly_energy(homes)
    asks, bids = experiments.month_prices(homes, np.random.default_rng(seeds.market))
    tables = round_tables(surplus, deficit, asks, bids, cap=CAP)
    return [[float(getattr(p.outcome, c)) for c in COLUMNS] for p in frontier(tables)]


def frontier_key(n_seed_sets: int = N_SEED_SETS) -> str:
    """SHA-256 of the code the frontier runs and its parameters (:func:`vpt.book.sweep.code_key`)."""
    return code_key("vpt.book.frontier", repr((seed_sets(n_seed_sets), CAP, BUDGETS, FREQUENCIES, COLUMNS)))


def write_frontier(path: str | os.PathLike = STORED, n_seed_sets: int = N_SEED_SETS, **executor: Any) -> dict:
    """Compute the frontier on ``n_seed_sets`` seed sets (``executor``: :func:`vpt.book.parallel.run_tasks`' options).

    The key is computed before the run, so an edit during it makes the file stale, not wrongly fresh.

    Raises
    ------
    ValueError
        If ``path`` is not a path or the executor's options are invalid.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a str or os.PathLike, got {path!r:.80}")
    key = frontier_key(n_seed_sets)
    if not any(k in executor for k in ("serial", "workers", "scheduler")):
        executor = {**executor, "serial": True}
    rows = run_tasks(seed_set_frontier, [(s,) for s in seed_sets(n_seed_sets)], **executor)
    payload = {
        "key": key,
        "n_seed_sets": n_seed_sets,
        "cap": CAP,
        "budgets": list(BUDGETS),
        "frequencies": list(FREQUENCIES),
        "columns": list(COLUMNS),
        "results": rows,
    }
    Path(path).write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return payload


def cached_frontier(path: str | os.PathLike = STORED) -> tuple[np.ndarray | None, dict]:
    """The stored frontier, ``(seed sets, frequencies, budgets, columns)``, if fresh (else None), and the payload.

    Raises
    ------
    ValueError
        If ``path`` is not a path, or the file is not a stored frontier.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a str or os.PathLike, got {path!r:.80}")
    p = Path(path)
    if not p.is_file():
        return None, {}
    try:
        stored = json.loads(p.read_text(encoding="utf-8"))
        shape = (stored["n_seed_sets"], len(stored["frequencies"]), len(stored["budgets"]), len(stored["columns"]))
        values = np.array(stored["results"], dtype=np.float64).reshape(shape)
        fresh = stored["key"] == frontier_key(stored["n_seed_sets"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{p}: not a stored frontier ({type(exc).__name__}: {exc})") from None
    return (values if fresh else None), stored


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vpt.book.frontier``: compute and store the frontier (``--help``).

    Raises
    ------
    ValueError
        If ``argv`` is given and is not a list of strings.
    """
    argv = check_argv(argv)
    parser = argparse.ArgumentParser(
        prog="python -m vpt.book.frontier",
        description="The repaired VPT's privacy-cost frontier on the stability sweep's seed sets.",
    )
    parser.add_argument(
        "--seed-sets", type=int, default=N_SEED_SETS, metavar="N", help="how many seed sets (default %(default)s)"
    )
    parser.add_argument("--out", default=str(STORED), metavar="FILE", help="where to write (default: %(default)s)")
    add_executor_arguments(parser)
    args = parser.parse_args(argv)
    try:
        payload = write_frontier(args.out, args.seed_sets, **executor_of(args))
    except ValueError as err:
        parser.error(str(err))
    values = np.array(payload["results"]).reshape(args.seed_sets, len(FREQUENCIES), len(BUDGETS), len(COLUMNS))
    for i, f in enumerate(FREQUENCIES):
        shares = values[:, i, :, 0].mean(axis=0)
        print(f"{f}: " + "; ".join(f"eps {e:g} {s:.1%}" for e, s in zip(BUDGETS, shares, strict=True)))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
