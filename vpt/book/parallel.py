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

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

from vpt._checks import count
from vpt._optional import require

__all__ = ["run_tasks"]


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
    if not isinstance(serial, bool) or not isinstance(progress, bool):
        raise ValueError("serial and progress must be True or False")
    if scheduler is not None and not (isinstance(scheduler, str) and scheduler.strip()):
        raise ValueError(
            f"scheduler must be a Dask scheduler's address such as 'tcp://127.0.0.1:8786', got {scheduler!r}"
        )
    chosen = [name for name, v in (("serial", serial), ("workers", workers), ("scheduler", scheduler)) if v]
    if len(chosen) > 1:
        raise ValueError(f"give one of serial, workers and scheduler, not {' and '.join(chosen)}")
    if serial or not tasks:
        return [fn(*t) for t in tasks]
    n = count(workers if workers is not None else (os.cpu_count() or 1), "workers", minimum=1, maximum=1024)
    distributed = require("distributed", "the Dask executor (run_tasks without serial=True)")
    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
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
