"""Committed notebooks carry no volatile metadata, so a re-run changes only what the computation changed."""

import json
from pathlib import Path

import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.ipynb"))
NOTEBOOK_KEYS = {"kernelspec", "language_info"}
CELL_KEYS = {"code": {"tags", "mystnb"}, "markdown": {"tags"}, "raw": {"tags"}}


def volatile_metadata(nb: dict) -> list[str]:
    """What in a notebook's metadata depends on when, where or with what it was run."""
    problems = [f"notebook metadata {k!r}" for k in sorted(set(nb["metadata"]) - NOTEBOOK_KEYS)]
    if "version" in nb["metadata"].get("language_info", {}):
        problems.append("language_info.version (the Python that ran it)")
    for i, cell in enumerate(nb["cells"]):
        extra = set(cell.get("metadata", {})) - CELL_KEYS[cell["cell_type"]]
        problems += [f"cell {i} metadata {k!r}" for k in sorted(extra)]
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_has_no_volatile_metadata(path):
    problems = volatile_metadata(json.loads(path.read_text()))
    assert not problems, f"{path.name}: volatile metadata (re-run it with scripts/execute_notebooks.py): {problems}"


def test_execution_timestamps_and_python_version_are_caught():
    nb = {
        "metadata": {"kernelspec": {}, "language_info": {"name": "python", "version": "3.11.7"}},
        "cells": [
            {"cell_type": "code", "metadata": {"execution": {"iopub.status.busy": "2026"}, "tags": []}},
            {"cell_type": "markdown", "metadata": {}},
        ],
    }
    assert volatile_metadata(nb) == ["language_info.version (the Python that ran it)", "cell 0 metadata 'execution'"]


def test_there_are_notebooks_to_check():
    assert len(CHAPTERS) >= 10


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_shows_no_warning_or_error_output(path):
    # a warning in a stored output names a temporary file of the kernel that wrote it, so nbval fails on every other
    # machine; and a reader should not see one
    nb = json.loads(path.read_text())
    bad = [
        f"cell {i}: {out.get('name', out['output_type'])}"
        for i, cell in enumerate(nb["cells"])
        for out in cell.get("outputs", [])
        if out["output_type"] == "error"
        or (out["output_type"] == "stream" and out.get("name") == "stderr")
        or (out["output_type"] == "stream" and "Warning:" in "".join(out.get("text", "")))
    ]
    assert not bad, f"{path.name}: {bad}"
