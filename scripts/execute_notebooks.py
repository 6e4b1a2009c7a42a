"""Re-execute notebooks in place, so their stored outputs (which nbval compares) are current.

Usage: python scripts/execute_notebooks.py [notebook ...]   (default: every chapters/*.ipynb)

Each notebook runs top to bottom in a fresh kernel from its own folder, with
PYTHONHASHSEED=0 as in the tests. Run it after changing `vpt` or a notebook, then
commit the notebook.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # the kernel inherits the environment: re-exec so set ordering matches the tests
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    paths = [Path(p) for p in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        print(f"{path}: {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
