"""The optional dependencies: each part that needs one imports it here, and a missing one names its extra.

``vpt`` needs only NumPy, SciPy and cryptography (``pip install vpt``). The
household accountant needs dp-accounting and the deployed private sampler
OpenDP (``vpt[privacy]``), the plots Matplotlib (``vpt[plot]``), the benchmark
of the chapters the book's tools (``vpt[book]``), the sweeps on Dask ``vpt[parallel]``. They are imported on first
use, so ``import vpt`` and every module import without them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "require"]

#: The extra of ``pyproject.toml`` that installs each optional top-level module.
EXTRAS = {
    "dp_accounting": "privacy",
    "opendp": "privacy",
    "matplotlib": "plot",
    "nbformat": "book",
    "nbclient": "book",
    "dask": "parallel",
    "distributed": "parallel",
}


def require(module: str, needed_for: str) -> ModuleType:
    """Import the optional ``module`` (a dotted name), or raise an ImportError naming the extra to install.

    Raises
    ------
    ImportError
        If the module is not installed: the message says what needs it and the ``pip install`` that brings it.
    ValueError
        If ``module`` is not one of the optional modules of :data:`EXTRAS`.

    Examples
    --------
    >>> require("matplotlib.axes", "a plot").Axes.__name__
    'Axes'
    >>> require("numpy", "nothing")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 'numpy' is not an optional dependency of vpt (those are: dp_accounting, opendp, ...)
    """
    top = module.split(".")[0] if isinstance(module, str) else None
    if top not in EXTRAS:
        raise ValueError(f"{module!r} is not an optional dependency of vpt (those are: {', '.join(EXTRAS)})")
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name is None or err.name.split(".")[0] != top:
            raise  # the module is there but one of its own imports failed: not a missing extra
        extra = EXTRAS[top]
        raise ImportError(
            f"{needed_for} needs {top}, an optional dependency of vpt: install it with pip install 'vpt[{extra}]'"
        ) from err
