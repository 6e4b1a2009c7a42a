"""The book: the data the chapters run on, their tables and verdicts, plots, the seed sweep and the benchmark.

- :mod:`~vpt.book.settings`: the households, VPPs and period every chapter runs on (``python -m vpt.book`` checks them);
- :mod:`~vpt.book.report`: Markdown tables, verdicts, readings and the numbers glued into the prose;
- :mod:`~vpt.book.claims`: the root cause of each refutation and the map of the paper's claims to verdict rows;
- :mod:`~vpt.book.plotting`: Matplotlib helpers shared by the chapters;
- :mod:`~vpt.book.parallel`: one executor for the parallel computations, serial or on Dask;
- :mod:`~vpt.book.sweep`: the sweep of every part's seed checks (``python -m vpt.book.sweep``);
- :mod:`~vpt.book.published`: the published auction benchmark at its size (``python -m vpt.book.published``);
- :mod:`~vpt.book.frontier`: the repaired VPT's frontier on the sweep's seed sets (``python -m vpt.book.frontier``);
- :mod:`~vpt.book.bench`: the benchmark (``python -m vpt.book.bench``).

The public names of :mod:`~vpt.book.settings`, :mod:`~vpt.book.report`,
:mod:`~vpt.book.plotting` and :mod:`~vpt.book.parallel` are also names of the package. The
others are imported on demand (``from vpt.book import claims``): the four commands,
:mod:`~vpt.book.sweep`, :mod:`~vpt.book.published`, :mod:`~vpt.book.frontier` and :mod:`~vpt.book.bench`, so that
``python -m`` runs them without importing them twice, and the editorial map
:mod:`~vpt.book.claims`, so that editing it does not make the stored sweep stale
(:func:`vpt.book.sweep.sources_of`).
"""

from vpt.book import parallel, plotting, report, settings
from vpt.book.parallel import run_tasks
from vpt.book.plotting import STATE_COLOURS, plot_demand_with_states
from vpt.book.report import (
    FINDING_MEANING,
    STORED_DIGITS,
    VERDICT_MEANINGS,
    VERDICTS,
    collect_findings,
    collect_readings,
    collect_verdicts,
    findings_table,
    markdown_table,
    readings_table,
    rounded,
    verdict_table,
)
from vpt.book.settings import DEFAULT_DAYS, DEFAULT_HOMES, ENVIRONMENT, BookData, book_data

__all__ = [
    "DEFAULT_DAYS",
    "DEFAULT_HOMES",
    "ENVIRONMENT",
    "FINDING_MEANING",
    "STATE_COLOURS",
    "STORED_DIGITS",
    "VERDICTS",
    "VERDICT_MEANINGS",
    "BookData",
    "book_data",
    "collect_findings",
    "collect_readings",
    "collect_verdicts",
    "findings_table",
    "markdown_table",
    "parallel",
    "plot_demand_with_states",
    "plotting",
    "readings_table",
    "report",
    "rounded",
    "run_tasks",
    "settings",
    "verdict_table",
]
