"""Benchmark of vpt against the paper's literal algorithm and the hardware floor: ``python -m vpt.book.bench``.

Every row is a ratio of two timings measured side by side in the same run
(best of several repeats), so the table is comparable across machines in a
way that absolute seconds are not. The result is printed and, with
``--write PATH``, saved as JSON with the date and a description of the
machine. It is a command, not a library: it exports no names (``__all__`` is
empty) and is exercised by running it, not by the fuzz suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from vpt._optional import require
from vpt.book import published, sweep
from vpt.book.parallel import runner
from vpt.market.auction import match, match_literal
from vpt.market.mining import elect
from vpt.privacy.audit import epsilon_lower_bound
from vpt.privacy.mechanisms import laplace, ppoem_price_sampler

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[2]


def best_of(fn, repeats: int = 5, budget: float = 2.0) -> float:
    """The best wall-clock time of ``fn()`` over up to ``repeats`` runs (fewer if they exceed ``budget`` s)."""
    best = float("inf")
    spent = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        t = time.perf_counter() - start
        best = min(best, t)
        spent += t
        if spent > budget:
            break
    return best


def machine() -> dict:
    """What the benchmark ran on."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": dt.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
    }


def bench_auction(rows: list, literal_limit_s: float) -> None:
    """Time the clearing against the literal loops and against a bare sort; append the rows."""
    rng = np.random.default_rng(1)
    stopped = None
    for n in (100, 300, 1000, 3000, 10000):
        b, a = rng.uniform(12.9, 28, n), rng.uniform(7.7, 20, n)
        t_fast = best_of(lambda: match(b, a))
        if stopped is None:
            t_lit = best_of(lambda: match_literal(b, a), repeats=1, budget=0)
            rows.append(
                {
                    "benchmark": "literal nested loops / vpt.market.auction.match",
                    "size": f"N = S = {n}",
                    "baseline_s": t_fast,
                    "measured_s": t_lit,
                    "ratio": t_lit / t_fast,
                }
            )
            if t_lit > literal_limit_s:
                stopped = n
        else:
            rows.append(
                {
                    "benchmark": "literal nested loops / vpt.market.auction.match",
                    "size": f"N = S = {n}",
                    "baseline_s": t_fast,
                    "measured_s": None,
                    "ratio": None,
                    "note": f"not run: the literal version took more than {literal_limit_s:g} s at N = S = {stopped}",
                }
            )
    for n in (1_000, 10_000, 100_000, 1_000_000):
        b, a = rng.uniform(12.9, 28, n), rng.uniform(7.7, 20, n)
        t_sort = best_of(lambda: (np.sort(b), np.sort(a)), repeats=7, budget=5)
        t_arg = best_of(lambda: (np.argsort(b), np.argsort(a)), repeats=7, budget=5)
        t_match = best_of(lambda: match(b, a), repeats=7, budget=5)
        rows.append(
            {
                "benchmark": "vpt.market.auction.match / numpy.sort of bids and asks",
                "size": f"N = S = {n}",
                "baseline_s": t_sort,
                "measured_s": t_match,
                "ratio": t_match / t_sort,
                "note": "target at 10^6: within 3x" if n == 1_000_000 else "",
            }
        )
        rows.append(
            {
                "benchmark": "vpt.market.auction.match / numpy.argsort of bids and asks "
                "(the floor for returning indices)",
                "size": f"N = S = {n}",
                "baseline_s": t_arg,
                "measured_s": t_match,
                "ratio": t_match / t_arg,
            }
        )


def bench_elections(rows: list) -> None:
    """Time 10,000 elections of each mechanism against plain uniform draws; append the rows."""
    rng = np.random.default_rng(2)
    energy = rng.uniform(0, 5, (10_000, 10))
    imbalance = rng.uniform(0, 2, (10_000, 10))
    settings = {
        "poem": ({}, energy),
        "ppoem": ({"eps3": 0.1, "sensitivity": 1.0}, energy),
        "poa": ({}, energy),
        "poe": ({}, imbalance),
    }
    floor = best_of(lambda: rng.random((10_000, 10)))
    total = 0.0
    for name, (params, e) in settings.items():
        t = best_of(lambda: elect(e, name, 10_000, rng, **params))
        total += t
        rows.append(
            {
                "benchmark": f"10,000 elections ({name}) / 100,000 uniform draws",
                "size": "10 VPPs",
                "baseline_s": floor,
                "measured_s": t,
                "ratio": t / floor,
            }
        )
    rows.append(
        {
            "benchmark": "10,000 elections of all four mechanisms, total",
            "size": "10 VPPs",
            "baseline_s": None,
            "measured_s": total,
            "ratio": None,
            "note": "target: under 0.050 s",
        }
    )


def bench_audit(rows: list) -> None:
    """Time the auditor on the PPoEM price against raw Laplace draws; append the row."""
    sampler = ppoem_price_sampler(12.0, eps1=0.1, eps2=0.1, length=10)
    n = 200_000
    rng = np.random.default_rng(3)
    t_audit = best_of(lambda: epsilon_lower_bound(sampler, 20.0, 21.0, n=n, n_pilot=n // 10, rng=rng), repeats=2)
    t_raw = best_of(lambda: rng.laplace(20.0, 10.0, (2 * (n + n // 10), 10)), repeats=3)
    samples = 2 * (n + n // 10)
    rows.append(
        {
            "benchmark": "auditor on the PPoEM price / raw Laplace draws (same number of outputs)",
            "size": f"{samples:,} outputs",
            "baseline_s": t_raw,
            "measured_s": t_audit,
            "ratio": t_audit / t_raw,
            "note": f"auditor throughput {samples / t_audit:,.0f} outputs/s",
        }
    )


def _laplace_audit(n: int, chunk: int, **executor: Any) -> Any:
    """The auditor's confirmation of the Laplace mechanism (eps = 0.5) on ``n`` samples per input, chunk by chunk."""
    mech = laplace(0.5)
    run = runner(**(executor or {"serial": True}))
    rng = np.random.default_rng(2026)
    return epsilon_lower_bound(
        mech.sampler, mech.data, mech.neighbour, n=n, rng=rng, log_density=mech.log_density, chunk=chunk, runner=run
    )


def bench_scaling(
    rows: list, seed_sets: int = 4, workers: tuple[int, ...] = (1, 2), audit_samples: int = 100_000_000
) -> None:
    """Time the seed sweep, the published-size benchmark and a large audit serially and on local Dask clusters.

    Each parallel run is timed against the serial run of the same tasks in the same process (the speed-up is the
    ratio), and includes starting the cluster. From the serial time per task, the row also estimates the time of
    the stored computation at full size on more workers (its tasks spread over the workers, each at the serial time
    per task, plus the start-up measured here): a paper estimate, not a run.
    """
    full_sweep = len(sweep.seed_sets())
    full_bench = len(published.MECHANISMS) * len(published.SIZES) * published.N_MARKETS // published.CHUNK
    jobs = {
        f"the seed sweep, {seed_sets} seed sets (one task each) x {len(sweep.CHECKS)} checks": (
            lambda **ex: sweep.sweep(sweep.seed_sets(seed_sets), sweep.CHECKS, **ex),
            seed_sets,
            full_sweep,
        ),
        "the published benchmark, 3 mechanisms x 2 sizes x 20,000 markets (5,000 a task)": (
            lambda **ex: published.published_size_benchmark((5, 10), 20_000, 5_000, **ex),
            3 * 2 * 4,
            full_bench,
        ),
        f"the auditor's confirmation, Laplace eps = 0.5, {audit_samples:,} samples per input (10^6 a task)": (
            lambda **ex: _laplace_audit(audit_samples, 1_000_000, **ex),
            math.ceil(audit_samples / 1_000_000),
            1000,
        ),
    }
    for name, (run, n_tasks, full_tasks) in jobs.items():
        start = time.perf_counter()
        reference = run()
        serial = time.perf_counter() - start
        for n in workers:
            start = time.perf_counter()
            result = run(workers=n)
            took = time.perf_counter() - start
            same = "identical to serial" if repr(result) == repr(reference) else "DIFFERS from serial"
            per_task = serial / n_tasks
            overhead = max(took - math.ceil(n_tasks / n) * per_task, 0.0)
            estimate = ", ".join(
                f"{k} workers ~{math.ceil(full_tasks / k) * per_task + overhead:.0f} s" for k in (1, 8, 32)
            )
            rows.append(
                {
                    "benchmark": f"{name}: serial / {n} local Dask worker{'s' if n > 1 else ''}",
                    "size": f"{n_tasks} tasks",
                    "baseline_s": serial,
                    "measured_s": took,
                    "ratio": serial / took,
                    "note": f"speed-up {serial / took:.2f}x, {same}; at full size ({full_tasks} tasks): {estimate}",
                }
            )


def bench_notebooks(rows: list) -> None:
    """Time every chapter's execution and the whole book build; append the rows."""
    # optional: the notebook tooling of the book's environment, not a dependency of the library
    nbformat = require("nbformat", "the notebook benchmark")
    NotebookClient = require("nbclient", "the notebook benchmark").NotebookClient

    env_ok = os.environ.get("PYTHONHASHSEED") == "0"
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        rows.append(
            {
                "benchmark": f"execute chapter {path.stem}",
                "size": "",
                "baseline_s": None,
                "measured_s": time.perf_counter() - start,
                "ratio": None,
                "note": "" if env_ok else "PYTHONHASHSEED was not 0",
            }
        )
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        jb = Path(sys.executable).with_name("jupyter-book")
        done = subprocess.run(
            [str(jb), "build", str(ROOT), "--all", "--path-output", out], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"the book build failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        rows.append(
            {
                "benchmark": "whole book build (executing every notebook)",
                "size": "",
                "baseline_s": None,
                "measured_s": time.perf_counter() - start,
                "ratio": None,
            }
        )


def format_table(result: dict) -> str:
    """The result as a Markdown table."""
    m = result["machine"]
    lines = [
        f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores), Python {m['python']}, NumPy {m['numpy']}.",
        "",
        "| benchmark | size | baseline (s) | measured (s) | ratio | note |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in result["rows"]:
        f = lambda x, spec: "" if x is None else format(x, spec)  # noqa: E731
        lines.append(
            f"| {r['benchmark']} | {r['size']} | {f(r['baseline_s'], '.4g')} | {f(r['measured_s'], '.4g')} | "
            f"{f(r['ratio'], '.3g')} | {r.get('note', '')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print its table, optionally write it as JSON (``--write PATH``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="save the result as JSON here")
    parser.add_argument("--skip-notebooks", action="store_true", help="leave out the notebook and book timings")
    parser.add_argument(
        "--scaling", action="store_true", help="only the scaling rows: serial against 1 and 2 local Dask workers"
    )
    parser.add_argument(
        "--audit-samples",
        type=int,
        default=100_000_000,
        help="samples per input of the scaling rows' audit (default %(default)s)",
    )
    parser.add_argument(
        "--literal-limit",
        type=float,
        default=20.0,
        help="stop the literal auction once a run exceeds this many seconds",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    rows: list = []
    if args.scaling:
        bench_scaling(rows, audit_samples=args.audit_samples)
    else:
        bench_auction(rows, args.literal_limit)
        bench_elections(rows)
        bench_audit(rows)
        if not args.skip_notebooks:
            bench_notebooks(rows)
    result = {"machine": machine(), "rows": rows}
    print(format_table(result))
    if args.write:
        args.write.write_text(json.dumps(result, indent=1) + "\n")
        print(f"\nwritten to {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
