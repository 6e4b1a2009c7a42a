"""The published double-auction benchmark at its published size: 50,000 markets per size, on the executor, stored.

Gonen and Segal-Halevi's table (:func:`vpt.market.incentives.published_gain_from_trade`) rests on 50,000
random markets per size; the incentives chapter compares the book's McAfee auction, SBBA and trade reduction
with it at the same size. The markets are split into chunks, each drawn from its own seed spawned from one
:class:`numpy.random.SeedSequence` (the same markets for every mechanism), so the result is the same however
the chunks run (:func:`vpt.book.parallel.run_tasks`). It takes minutes, so ``python -m vpt.book.published``
stores it in ``data/published-benchmark.json`` under a key of the code it runs and its parameters; the tests
fail while it is stale and recompute a chunk.
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

from vpt._checks import count
from vpt.book.parallel import add_executor_arguments, check_argv, executor_of, run_tasks
from vpt.book.sweep import code_key
from vpt.market.incentives import GainFromTrade, gain_from_columns, market_columns

__all__ = [
    "CHUNK",
    "MECHANISMS",
    "N_MARKETS",
    "ROOT",
    "SIZES",
    "STORED",
    "benchmark_key",
    "cached_benchmark",
    "chunk_seeds",
    "main",
    "published_size_benchmark",
]

#: The sizes (buyers = sellers) the chapter compares.
SIZES = (5, 10, 15, 25, 50, 100)
#: Markets per size, as published.
N_MARKETS = 50_000
#: Markets per task.
CHUNK = 5_000
#: The root seed (McAfee's year, fixed before any result was looked at).
ROOT = 1992
#: The mechanisms of the published table.
MECHANISMS = ("mcafee", "sbba", "trade-reduction")
#: Where the benchmark is stored.
STORED = Path(__file__).resolve().parents[2] / "data" / "published-benchmark.json"


def chunk_seeds(n: int, n_markets: int = N_MARKETS, chunk: int = CHUNK, root: int = ROOT) -> list[int]:
    """The seeds of the chunks of size ``n``: one per ``chunk`` markets, spawned from ``(root, n)``.

    Examples
    --------
    >>> len(chunk_seeds(5)), chunk_seeds(5)[:1] == chunk_seeds(5)[:1], chunk_seeds(5) != chunk_seeds(10)
    (10, True, True)
    """
    n = count(n, "n", minimum=1)
    n_markets = count(n_markets, "n_markets", minimum=1)
    chunk = count(chunk, "chunk", minimum=1)
    root = count(root, "root", minimum=0)
    if n_markets % chunk:
        raise ValueError(f"n_markets ({n_markets}) must be a multiple of chunk ({chunk})")
    count(n_markets // chunk, "the number of chunks (n_markets / chunk)", maximum=100_000)
    children = np.random.SeedSequence([root, n]).spawn(n_markets // chunk)
    return [int(c.generate_state(1)[0]) for c in children]


def _tasks(sizes: Sequence[int], n_markets: int, chunk: int, root: int) -> list[tuple[str, int, int, int]]:
    return [(m, n, chunk, s) for m in MECHANISMS for n in sizes for s in chunk_seeds(n, n_markets, chunk, root)]


def published_size_benchmark(
    sizes: Sequence[int] = SIZES,
    n_markets: int = N_MARKETS,
    chunk: int = CHUNK,
    root: int = ROOT,
    **executor: Any,
) -> tuple[dict[str, dict[int, GainFromTrade]], list[list[float]]]:
    """The gain from trade of each mechanism at each size over ``n_markets`` markets, and each chunk's column sums.

    ``executor`` takes the keywords of :func:`vpt.book.parallel.run_tasks` (default: serially).

    Raises
    ------
    ValueError
        If a size, ``n_markets``, ``chunk`` or ``root`` is not valid.
    """
    if not isinstance(sizes, (list, tuple)) or not sizes:
        raise ValueError(f"sizes must be a non-empty list of market sizes, got {sizes!r:.60}")
    tasks = _tasks(sizes, n_markets, chunk, root)
    if not any(k in executor for k in ("serial", "workers", "scheduler")):
        executor = {**executor, "serial": True}
    columns = run_tasks(market_columns, tasks, **executor)
    out: dict[str, dict[int, GainFromTrade]] = {m: {} for m in MECHANISMS}
    sums = []
    for m in MECHANISMS:
        for n in sizes:
            parts = [c for (tm, tn, _, _), c in zip(tasks, columns, strict=True) if (tm, tn) == (m, n)]
            out[m][n] = gain_from_columns(m, n, np.concatenate(parts, axis=1))
            sums += [[float(x) for x in p.sum(axis=1)] for p in parts]
    return out, sums


def benchmark_key(
    sizes: Sequence[int] = SIZES, n_markets: int = N_MARKETS, chunk: int = CHUNK, root: int = ROOT
) -> str:
    """SHA-256 of the code the benchmark runs and its parameters (:func:`vpt.book.sweep.code_key`).

    Raises
    ------
    ValueError
        If the sizes or the counts are not whole numbers >= 1.
    """
    if not isinstance(sizes, (list, tuple)) or not sizes:
        raise ValueError(f"sizes must be a non-empty list of market sizes, got {sizes!r:.60}")
    sizes = [count(n, "a size", minimum=1) for n in sizes]
    n_markets, chunk = count(n_markets, "n_markets", minimum=1), count(chunk, "chunk", minimum=1)
    root = count(root, "root", minimum=0)
    return code_key("vpt.book.published", repr((tuple(sizes), n_markets, chunk, root, MECHANISMS)))


def cached_benchmark(path: str | os.PathLike = STORED) -> tuple[dict[str, dict[int, GainFromTrade]] | None, dict]:
    """The stored benchmark if ``path`` holds one under the current key (else None), and the stored payload.

    Raises
    ------
    ValueError
        If ``path`` is not a path, or the file is not a stored benchmark.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a str or os.PathLike, got {path!r:.80}")
    p = Path(path)
    if not p.is_file():
        return None, {}
    try:
        stored = json.loads(p.read_text(encoding="utf-8"))
        result = {m: {int(n): GainFromTrade(**g) for n, g in by_n.items()} for m, by_n in stored["results"].items()}
        fresh = stored["key"] == benchmark_key(stored["sizes"], stored["n_markets"], stored["chunk"], stored["root"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{p}: not a stored benchmark ({type(exc).__name__}: {exc})") from None
    return (result if fresh else None), stored


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vpt.book.published``: compute and store the benchmark (``--help``).

    Raises
    ------
    ValueError
        If ``argv`` is given and is not a list of strings.
    """
    argv = check_argv(argv)
    parser = argparse.ArgumentParser(
        prog="python -m vpt.book.published",
        description="McAfee's benchmark at the published size (50,000 markets per size) for the incentives chapter.",
    )
    parser.add_argument(
        "--markets", type=int, default=N_MARKETS, metavar="N", help="markets per size (default %(default)s)"
    )
    parser.add_argument("--out", default=str(STORED), metavar="FILE", help="where to write (default: %(default)s)")
    add_executor_arguments(parser)
    args = parser.parse_args(argv)
    executor = executor_of(args)
    try:
        key = benchmark_key(SIZES, args.markets, CHUNK, ROOT)
        result, sums = published_size_benchmark(SIZES, args.markets, CHUNK, ROOT, **executor)
    except ValueError as err:
        parser.error(str(err))
    payload = {
        "key": key,
        "sizes": list(SIZES),
        "n_markets": args.markets,
        "chunk": CHUNK,
        "root": ROOT,
        "results": {m: {str(n): g.__dict__ for n, g in by_n.items()} for m, by_n in result.items()},
        "chunk_sums": sums,
    }
    Path(args.out).write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    for m, by_n in result.items():
        print(m + ": " + "; ".join(f"n={n} {g.total:.2f} % (market {g.market:.2f} %)" for n, g in by_n.items()))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
