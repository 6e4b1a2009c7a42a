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
import zmq
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

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


def failure_banner(path: Path, nb, exc: CellExecutionError) -> str:
    """What a reader of the built page must see first when its notebook stopped: which cell, which error."""
    index = next(
        (i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None
    )
    where = f"code cell {sum(c.cell_type == 'code' for c in nb.cells[: index + 1])}" if index is not None else "a cell"
    return (
        "```{admonition} This page did not run on this data\n"
        ":class: error\n\n"
        f"`{path.name}` stopped at {where} with `{exc.ename}: {exc.evalue}`. The outputs below end there; "
        "nothing after it, and no verdict of this page, was computed in this build. Fix the data or the settings "
        "(the README's 'Your own data') and rebuild.\n"
        "```"
    )


def execute(path: Path, out: Path | None = None) -> float:
    """Run ``path`` top to bottom in a fresh kernel; store its outputs in place, or at ``out``; the seconds it took.

    With ``out``, a notebook that stops at an error is still written there, its outputs up to the error and a
    banner at the top that names the cell and the error, so the book can be built and says which page failed;
    the error is then raised again.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # volatile: timestamps of the last run
    start = time.perf_counter()
    # CurveZMQ keys from the manager encrypt the kernel's sockets (and spare the build log the kernel's warning
    # about plain TCP) wherever pyzmq has CurveZMQ; elsewhere the kernel runs as before
    km = KernelManager(kernel_name="python3", transport_encryption="auto" if zmq.has("curve") else "disabled")
    try:
        NotebookClient(
            nb,
            km=km,
            timeout=600,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    except CellExecutionError as exc:
        if out is not None:
            nb.cells.insert(1, nbformat.v4.new_markdown_cell(failure_banner(path, nb, exc)))
            nbformat.write(nb, out)
        raise
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=False)
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
    failed = []
    for path in paths:
        target = None if out_dir is None else out_dir / path.relative_to(ROOT)
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        try:
            print(f"{path.relative_to(ROOT)}: {execute(path, target):.1f} s", flush=True)
        except CellExecutionError as exc:
            failed.append(f"{path.relative_to(ROOT)}: {exc.ename}: {exc.evalue}")
            print(f"{path.relative_to(ROOT)}: FAILED ({exc.ename}: {exc.evalue})", file=sys.stderr, flush=True)
            if out_dir is None:
                break  # in place, a failed notebook is not written; the committed one stays as it was
    if failed:
        print("\nthese notebooks did not run (each built page says where it stopped):", file=sys.stderr)
        print("\n".join(f"  {f}" for f in failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
