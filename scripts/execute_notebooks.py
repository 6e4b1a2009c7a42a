"""Re-execute notebooks in place, so their stored outputs (which nbval compares) are current.

Usage: .venv/bin/python scripts/execute_notebooks.py [--out DIR] [chapters/NAME.ipynb ...]
(default: every chapter, in the order of _toc.yml, so the scorecard comes after the
chapters it summarises)

With ``--out DIR`` the executed notebooks are written to ``DIR/chapters/`` and the
committed ones are left alone (``scripts/book`` and ``scripts/chapter`` do this); the
scorecard then reads the chapters executed in ``DIR`` (environment variable
``VPT_EXECUTED``), so it always summarises the run it belongs to.

Each notebook runs top to bottom in a fresh kernel from its own folder, with
PYTHONHASHSEED=0 as in the tests. No execution timestamps are stored, so a
re-run changes only what the computation changed (consecutive stream outputs, which the kernel
splits at random, are merged). Run it after changing `vpt`
or a notebook, then commit the notebook.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def chapters_in_toc_order() -> list[Path]:
    """Every notebook named in _toc.yml, in the book's order."""
    names = re.findall(r"file:\s*(\S+)", (ROOT / "_toc.yml").read_text())
    return [ROOT / f"{name}.ipynb" for name in names if (ROOT / f"{name}.ipynb").exists()]


def merge_streams(outputs: list) -> list:
    """Consecutive stream outputs of the same stream as one (the kernel splits them at random)."""
    merged: list = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1]["name"] == out["name"]
        ):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def execute(path: Path, out: Path | None = None) -> float:
    """Run ``path`` top to bottom in a fresh kernel; store its outputs in place, or at ``out``; the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # volatile: timestamps of the last run
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=600, kernel_name="python3", record_timing=False, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    nb.metadata.get("language_info", {}).pop("version", None)  # the interpreter's patch level is volatile
    nbformat.write(nb, out or path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    """Execute the notebooks named in ``argv``, or every chapter in the order of _toc.yml."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        # the kernel inherits the environment: re-exec so set ordering matches the tests
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    out_dir = None
    if argv[:1] == ["--out"]:
        if len(argv) < 2:
            raise SystemExit("--out needs a directory")
        out_dir = Path(argv[1]).resolve()
        argv = argv[2:]
        os.environ["VPT_EXECUTED"] = str(out_dir / "chapters")  # read by the scorecard's kernel
    paths = [Path(p).resolve() for p in argv] or chapters_in_toc_order()
    for path in paths:
        target = None if out_dir is None else out_dir / path.relative_to(ROOT)
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        print(f"{path.relative_to(ROOT)}: {execute(path, target):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
