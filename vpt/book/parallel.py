"""One executor for the book's embarrassingly parallel computations: serially, on a local Dask cluster, or on any.

A computation is a list of independent tasks, each carrying its own seeds
(spawned from one :class:`numpy.random.SeedSequence` by the caller), so its
result does not depend on where or in which order the tasks run:
:func:`run_tasks` returns the same values, in the same order, serially
(``serial=True``, no Dask at all), on a local cluster of ``workers`` processes
(``dask.distributed.LocalCluster``) or on an existing Dask scheduler
(``scheduler="tcp://host:8786"``). Dask is the optional extra ``vpt[parallel]``.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from vpt._checks import count
from vpt._optional import require

__all__ = ["add_executor_arguments", "check_argv", "executor_of", "run_tasks", "runner"]


def run_tasks(
    fn: Callable[..., Any],
    tasks: Sequence[tuple],
    *,
    serial: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> list[Any]:
    """``[fn(*task) for task in tasks]``, serially or on Dask; the results are identical whichever runs them.

    Parameters
    ----------
    fn
        A function importable by the workers (defined at the top level of a module).
    tasks
        The argument tuples, one per task.
    serial
        Run in this process, without Dask (the reference the others are tested against).
    workers
        The number of worker processes of a local Dask cluster (default: the machine's cores).
    scheduler
        The address of a running Dask scheduler (``dask scheduler`` / ``dask worker ADDRESS``) to run on instead.
    progress
        Show Dask's progress bar (for a terminal; never in a notebook's stored output).

    Raises
    ------
    ValueError
        If ``fn`` is not callable, ``tasks`` is not a list of tuples, ``workers`` is not a whole number >= 1, or
        more than one of ``serial``, ``workers`` and ``scheduler`` is given.
    ImportError
        If Dask is needed and not installed (``pip install "vpt[parallel]"``).

    Examples
    --------
    >>> run_tasks(pow, [(2, 3), (3, 2)], serial=True)
    [8, 9]
    """
    if not callable(fn):
        raise ValueError(f"fn must be a function, got {fn!r:.60}")
    if not isinstance(tasks, (list, tuple)) or not all(isinstance(t, tuple) for t in tasks):
        raise ValueError(f"tasks must be a list of argument tuples, got {tasks!r:.80}")
    _check_executor(serial, workers, scheduler, progress)
    if serial or not tasks:
        return [fn(*t) for t in tasks]
    n = count(workers if workers is not None else (os.cpu_count() or 1), "workers", minimum=1, maximum=1024)
    distributed = require("distributed", "the Dask executor (run_tasks without serial=True)")
    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        )
    client = distributed.Client(cluster if cluster is not None else scheduler)
    try:
        futures = client.map(fn, *zip(*tasks, strict=True), pure=False)
        if progress:
            distributed.progress(futures)
        return list(client.gather(futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _check_executor(serial: Any, workers: Any, scheduler: Any, progress: Any) -> None:
    """Refuse an executor that is ambiguous or invalid (:func:`run_tasks`' Raises)."""
    if not isinstance(serial, bool) or not isinstance(progress, bool):
        raise ValueError("serial and progress must be True or False")
    if scheduler is not None and not (isinstance(scheduler, str) and scheduler.strip()):
        raise ValueError(
            f"scheduler must be a Dask scheduler's address such as 'tcp://127.0.0.1:8786', got {scheduler!r}"
        )
    if workers is not None:
        count(workers, "workers", minimum=1, maximum=1024)
    chosen = [name for name, v in (("serial", serial), ("workers", workers), ("scheduler", scheduler)) if v]
    if len(chosen) > 1:
        raise ValueError(f"give one of serial, workers and scheduler, not {' and '.join(chosen)}")


def runner(**executor: Any) -> Callable[[Callable[..., Any], Sequence[tuple]], list[Any]]:
    """A function ``run(fn, tasks)`` that runs tasks on this executor, for the library's ``runner=`` arguments.

    The mechanisms and audits of :mod:`vpt.market` and :mod:`vpt.privacy` take such a ``runner`` (they do not
    import the book's executor); ``executor`` holds :func:`run_tasks`' options.

    Raises
    ------
    ValueError
        For an option :func:`run_tasks` does not take, or one it refuses.

    Examples
    --------
    >>> runner(serial=True)(pow, [(2, 5)])
    [32]
    """
    unknown = set(executor) - {"serial", "workers", "scheduler", "progress"}
    if unknown:
        raise ValueError(f"unknown executor options {sorted(unknown)}: give serial, workers, scheduler or progress")
    _check_executor(
        executor.get("serial", False),
        executor.get("workers"),
        executor.get("scheduler"),
        executor.get("progress", False),
    )
    return functools.partial(_run, executor=dict(executor))


def _run(fn: Callable[..., Any], tasks: Sequence[tuple], *, executor: dict[str, Any]) -> list[Any]:
    return run_tasks(fn, tasks, **executor)


def check_argv(argv: Sequence[str] | None) -> list[str]:
    """The command-line arguments (``None``: the process's own), refusing anything but a list of strings.

    Raises
    ------
    ValueError
        If ``argv`` is not ``None`` or a list of strings.
    """
    if argv is not None and (
        isinstance(argv, str) or not isinstance(argv, (list, tuple)) or not all(isinstance(a, str) for a in argv)
    ):
        raise ValueError(f"argv must be a list of strings (the command's arguments), got {argv!r:.80}")
    return list(sys.argv[1:] if argv is None else argv)


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """Give a command line the executor's options: ``--serial``, ``--workers N`` or ``--scheduler ADDRESS``."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--serial", action="store_true", help="run in this process, without Dask")
    where.add_argument("--workers", type=int, metavar="N", help="a local Dask cluster of N processes (default: cores)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="an existing Dask scheduler, e.g. tcp://127.0.0.1:8786")


def executor_of(args: argparse.Namespace) -> dict[str, Any]:
    """:func:`run_tasks`' options from the parsed options of :func:`add_executor_arguments`.

    A progress bar is shown only on a terminal; without options the tasks run on a local cluster of all cores.
    """
    executor: dict[str, Any] = {"progress": sys.stderr.isatty()}
    if args.scheduler:
        executor["scheduler"] = args.scheduler
    elif args.serial:
        executor["serial"] = True
    else:
        executor["workers"] = args.workers if args.workers is not None else (os.cpu_count() or 1)
    return executor
