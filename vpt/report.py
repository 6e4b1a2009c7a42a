"""Small helpers that turn results into the book's Markdown tables and verdicts."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["VERDICTS", "collect_verdicts", "markdown_table", "verdict_table"]

#: The three verdicts a chapter may give a claim of the paper.
VERDICTS = ("reproduced", "differs", "cannot be checked")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None) -> str:
    """A GitHub/MyST Markdown table.

    Parameters
    ----------
    header
        Column titles.
    rows
        One sequence per row, as many cells as ``header``; cells are ``str()``-ed.
    align
        One character per column, ``"l"`` or ``"r"``; default all left.

    Raises
    ------
    ValueError
        If a row or ``align`` does not have one entry per column.

    Examples
    --------
    >>> print(markdown_table(["a", "b"], [[1, 2]], align="lr"))
    | a | b |
    | --- | ---: |
    | 1 | 2 |
    """
    n = len(header)
    align = align or "l" * n
    if len(align) != n or set(align) - {"l", "r"}:
        raise ValueError(f"align must be {n} characters of 'l'/'r', got {align!r}")
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells, the header {n}")
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" if a == "l" else "---:" for a in align) + " |",
    ]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict_table(rows: Sequence[tuple[str, str, str]]) -> str:
    """The verdict table every chapter ends with: paper says / we find / verdict.

    Raises
    ------
    ValueError
        If a verdict is not one of :data:`VERDICTS`.
    """
    for claim, _, verdict in rows:
        if verdict not in VERDICTS:
            raise ValueError(f"verdict for {claim!r} must be one of {VERDICTS}, got {verdict!r}")
    return markdown_table(["paper says", "we find", "verdict"], [(c, f, f"**{v}**") for c, f, v in rows])


def _cells(row: str) -> list[str]:
    """Cells of a Markdown table row, honouring escaped pipes."""
    import re

    inner = row.strip()[1:-1] if row.strip().startswith("|") else row.strip()
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def collect_verdicts(notebook_paths) -> list[tuple[str, str, str, str]]:
    """(chapter, paper says, we find, verdict) for the first verdict table stored in each notebook.

    Reads the notebooks' stored outputs (they are executed and checked by
    nbval), so a scorecard built from them repeats exactly what each chapter
    shows.
    """
    import json
    from pathlib import Path

    rows = []
    for path in notebook_paths:
        nb = json.loads(Path(path).read_text())
        title = next((line[2:].strip() for c in nb["cells"] if c["cell_type"] == "markdown"
                      for line in "".join(c["source"]).splitlines() if line.startswith("# ")), Path(path).stem)
        for cell in nb["cells"]:
            texts = ["".join(o.get("data", {}).get("text/markdown", "")) for o in cell.get("outputs", [])]
            table = next((t for t in texts if t.startswith("| paper says | we find | verdict |")), None)
            if table is None:
                continue
            for line in table.splitlines()[2:]:
                claim, finding, verdict = _cells(line)
                rows.append((title, claim, finding, verdict.strip("*")))
            break
    return rows
