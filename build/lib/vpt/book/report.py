"""Small helpers that turn results into the book's Markdown tables and verdicts."""

from __future__ import annotations

import decimal
import json
import math
import numbers
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vpt._checks import count, number
from vpt.readings import Holds, reading

__all__ = [
    "FINDING_MEANING",
    "STORED_DIGITS",
    "VERDICTS",
    "VERDICT_MEANINGS",
    "collect_findings",
    "collect_readings",
    "collect_verdicts",
    "findings_table",
    "markdown_table",
    "readings_table",
    "rounded",
    "verdict_table",
]

#: Significant digits a stored number keeps by default: more than any prose or
#: table of the book shows (at most four), far fewer than the 15-17 digits in
#: which BLAS, SIMD and libm kernels of different CPUs may disagree.
STORED_DIGITS = 6

#: The verdicts a chapter may give a claim of the paper, each with its one definition (the introduction and the
#: scorecard print these; a test checks that the introduction says the same).
VERDICT_MEANINGS = {
    "reproduced": "the claim holds as the paper states it: our implementation or derivation gives what the paper "
    "says, within the stated tolerance",
    "reproduced under a reading": "the claim holds only under a reading of something the paper leaves open (a "
    "parameter, a unit, an order); the chapter names the reading and shows over which range of the open parameter "
    "the claim holds and where it fails",
    "refuted": "the claim does not hold under any reading the paper's text admits (a reading its own words or proof "
    "rule out is recorded with the rescues, not adopted); the chapter shows the evidence and, where one can be "
    "derived, the corrected statement",
    "cannot be checked": "the paper does not give what a check would need (data, parameters, a definition), or the "
    "claim is not one that code or mathematics can decide; the chapter says what is missing",
}
#: The verdicts, in the order the book lists them.
VERDICTS = tuple(VERDICT_MEANINGS)
#: What a design finding is: a flaw the book finds in a design whose claim, as written, holds; listed apart from
#: the verdicts, never counted as a refutation.
FINDING_MEANING = (
    "a flaw the book finds in the paper's design where the paper's claim, as written, holds (or makes no claim): "
    "listed apart from the verdicts, never counted as a refutation"
)


def rounded(value: float, digits: int = STORED_DIGITS, *, rtol: float = 1e-12) -> float:
    """A number rounded to ``digits`` significant digits, for storing in a notebook's output.

    Every number a chapter glues into its prose passes through this
    function (printed and tabulated ones are formatted with fewer digits), so
    the stored output is a function of the
    computation and not of the CPU that ran it: floating-point results differ
    between machines in their last bits (SIMD widths, BLAS kernels, libm), and
    a full-precision ``repr`` would make the strict notebook tests fail on any
    machine but the one that wrote them.

    Parameters
    ----------
    value
        A finite real number (Python or NumPy scalar). Integers and booleans
        are exact on every machine and are returned unchanged.
    digits
        Significant digits to keep, 1 to 15.
    rtol
        Relative distance to a rounding tie below which the rounded digit
        could depend on the last bits of the computation.

    Returns
    -------
    float
        The nearest float to ``value`` with ``digits`` significant digits.

    Raises
    ------
    ValueError
        If ``value`` is not a finite real number, ``digits`` is not an integer
        in 1..15, or ``value`` lies within ``rtol`` (relative) of a rounding
        tie: then another CPU could store a different last digit, and the
        chapter must keep more or fewer digits.

    Examples
    --------
    >>> rounded(1.2587423513658589)
    1.25874
    >>> rounded(1.2587423513658584)
    1.25874
    >>> rounded(72.57691511178994, 3)
    72.6
    >>> rounded(1.0 / 3.0, 2)
    0.33
    >>> rounded(7)
    7
    >>> rounded(0.125, 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 0.125 lies within a relative 1e-12 of a tie at 2 significant digits; ...
    """
    digits = count(digits, "digits", minimum=1, maximum=15)
    rtol = number(rtol, "rtol")
    if not 0 <= rtol < 0.5:
        raise ValueError(f"rtol must be in [0, 0.5), got {rtol!r}")
    if isinstance(value, bool | int):
        return value
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if not isinstance(value, numbers.Real):
        raise ValueError(f"value must be a real number, got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"value must be finite, got {value!r}")
    if x == 0.0:
        return 0.0
    exponent = math.floor(math.log10(abs(x))) - digits + 1
    with decimal.localcontext() as ctx:  # exact decimal arithmetic: no overflow or underflow at the float range's ends
        ctx.prec = 1100
        scaled = abs(decimal.Decimal(x)).scaleb(-exponent)
        near_tie = abs(scaled - int(scaled) - decimal.Decimal("0.5")) <= decimal.Decimal(rtol) * scaled
    if near_tie:
        raise ValueError(
            f"{x!r} lies within a relative {rtol:g} of a tie at {digits} significant digits; "
            "its stored digits could depend on the CPU: keep more or fewer digits"
        )
    return float(f"{x:.{digits - 1}e}")


def markdown_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    align: str | None = None,
    *,
    label: str | None = None,
    caption: str | None = None,
) -> str:
    """A GitHub/MyST Markdown table.

    Parameters
    ----------
    header
        Column titles.
    rows
        One sequence per row, as many cells as ``header``; cells are ``str()``-ed.
    align
        One character per column, ``"l"`` or ``"r"``; default all left.
    label, caption
        With a ``label``, the table is wrapped in a MyST ``table`` directive
        with that name and the ``caption``, so the book numbers it and the
        text can refer to it (``{numref}``). Needs the book's
        ``nb_render_markdown_format: myst``.

    Raises
    ------
    ValueError
        If ``header`` is not a list of strings, a row or ``align`` does not
        have one entry per column, a cell is a float NaN (a computed value
        that is undefined must be written as text, saying why), or a
        ``caption`` is given without a ``label`` or the other way round.

    Examples
    --------
    >>> print(markdown_table(["a", "b"], [[1, 2]], align="lr"))
    | a | b |
    | --- | ---: |
    | 1 | 2 |
    """
    if not isinstance(header, (list, tuple)) or not header or not all(isinstance(h, str) for h in header):
        raise ValueError(f"header must be a non-empty list of column titles (str), got {header!r:.80}")
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, (list, tuple)) for r in rows):
        raise ValueError(f"rows must be a list of rows (lists or tuples of cells), got {rows!r:.80}")
    for name, value in (("align", align), ("label", label), ("caption", caption)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be a string or None, got {value!r:.80}")
    n = len(header)
    align = align or "l" * n
    if len(align) != n or set(align) - {"l", "r"}:
        raise ValueError(f"align must be {n} characters of 'l'/'r', got {align!r}")
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells, the header {n}")
        if any(isinstance(c, (float, np.floating)) and math.isnan(c) for c in row):
            raise ValueError(f"row {i} has a NaN cell: write an undefined value as text that says why")
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" if a == "l" else "---:" for a in align) + " |",
    ]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    if (label is None) != (caption is None):
        raise ValueError("a table needs both a label and a caption, or neither")
    if label is not None:
        lines = [f":::{{table}} {caption}", f":name: {label}", "", *lines, ":::"]
    return "\n".join(lines)


def verdict_table(rows: Sequence[tuple[str, str, str]], *, label: str | None = None) -> str:
    """The verdict table every chapter ends with: paper says / we find / verdict.

    With a ``label`` it is a numbered table captioned "Verdicts" (see
    :func:`markdown_table`).

    Raises
    ------
    ValueError
        If ``rows`` is not a list of (claim, finding, verdict) strings, or a
        verdict is not one of :data:`VERDICTS`.
    """
    if not isinstance(rows, (list, tuple)) or not all(
        isinstance(r, (list, tuple)) and len(r) == 3 and all(isinstance(c, str) for c in r) for r in rows
    ):
        raise ValueError(f"rows must be a list of (paper says, we find, verdict) strings, got {rows!r:.80}")
    for claim, _, verdict in rows:
        if verdict not in VERDICTS:
            raise ValueError(f"verdict for {claim!r} must be one of {VERDICTS}, got {verdict!r}")
    caption = "Verdicts: each claim of the paper this chapter checks, what we find, and the verdict" if label else None
    return markdown_table(
        ["paper says", "we find", "verdict"], [(c, f, f"**{v}**") for c, f, v in rows], label=label, caption=caption
    )


def findings_table(rows: Sequence[tuple[str, str]], *, label: str | None = None) -> str:
    """The table of design findings a chapter may add after its verdicts: what in the design, what we find.

    A design finding is not a verdict on a claim (see :data:`FINDING_MEANING`).
    With a ``label`` it is a numbered table captioned "Design findings".

    Raises
    ------
    ValueError
        If ``rows`` is not a non-empty list of (design element, finding) strings.
    """
    if (
        not isinstance(rows, (list, tuple))
        or not rows
        or not all(isinstance(r, (list, tuple)) and len(r) == 2 and all(isinstance(c, str) for c in r) for r in rows)
    ):
        raise ValueError(f"rows must be a non-empty list of (design element, finding) strings, got {rows!r:.80}")
    caption = "Design findings: flaws in the design where the paper's claim, as written, holds" if label else None
    return markdown_table(["design", "finding"], [tuple(r) for r in rows], label=label, caption=caption)


def readings_table(rows: Sequence[tuple], *, label: str | None = None) -> str:
    """The table of readings a chapter adds after its verdicts: for each claim and open parameter, where it holds.

    Each row is ``(claim, key, holds)`` or ``(claim, key, holds, case)``: the
    claim as its verdict row states it (or the start of it), a reading of the
    register (:data:`vpt.readings.READINGS`) the verdict rests on, the options
    or the interval under which the claim holds (:class:`vpt.readings.Holds`),
    and the case (default 1). A claim holds if, in one of its cases, every
    reading takes a value where it holds. The scorecard collects these tables
    (:func:`collect_readings`) for its joint reading. With a ``label`` it is
    numbered and captioned "Readings".

    Raises
    ------
    ValueError
        If ``rows`` is not a non-empty list of such tuples, a key is not in the register, or a case is not a
        positive integer.

    Examples
    --------
    >>> print(readings_table([("Fig. 7: VPP 10 leads.", "dq2", Holds.interval(None, 38.5))]))
    | paper says | case | reading | holds under | the book's reading |
    | --- | --- | --- | --- | --- |
    | Fig. 7: VPP 10 leads. | 1 | Delta q2 (`dq2`) | up to 38.5 Wh | 1000 Wh |
    """
    if (
        not isinstance(rows, (list, tuple))
        or not rows
        or not all(
            isinstance(r, (list, tuple))
            and len(r) in (3, 4)
            and isinstance(r[0], str)
            and isinstance(r[1], str)
            and isinstance(r[2], Holds)
            for r in rows
        )
    ):
        raise ValueError(f"rows must be a non-empty list of (claim, reading key, Holds[, case]), got {rows!r:.80}")
    cells = []
    for claim, key, holds, *case in rows:
        r = reading(key)
        book = r.book if isinstance(r.book, str) else f"{r.book:g} {r.unit}"
        n = count(case[0], "case") if case else 1
        cells.append((claim, str(n), f"{r.parameter} (`{key}`)", holds.describe(key), book))
    caption = "Readings: where each claim that rests on an open parameter holds" if label else None
    return markdown_table(
        ["paper says", "case", "reading", "holds under", "the book's reading"], cells, label=label, caption=caption
    )


#: The header of a table of readings (:func:`readings_table`).
_READINGS_HEAD = "| paper says | case | reading | holds under | the book's reading |"


def collect_readings(notebook_paths) -> list[tuple[str, str, int, str, Holds]]:
    """(chapter, claim, case, reading key, where it holds) for the first table of readings in each notebook."""
    out = []
    for title, (claim, case, parameter, holds, _) in _collect(notebook_paths, _READINGS_HEAD):
        m = re.search(r"`(\w+)`", parameter)
        if m is None or not case.isdigit():
            raise ValueError(f"{title}: the reading {parameter!r} (case {case!r}) names no register key")
        out.append((title, claim, int(case), m.group(1), Holds.parse(m.group(1), holds)))
    return out


def _table_at(text: str, head: str) -> list[str]:
    """The lines of ``text`` from the line that is exactly ``head`` on (empty if there is none).

    A wider table whose header contains ``head`` is not taken for it.
    """
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == head), None)
    return [] if start is None else lines[start:]


def _cells(row: str) -> list[str]:
    """Cells of a Markdown table row, honouring escaped pipes."""
    inner = row.strip()[1:-1] if row.strip().startswith("|") else row.strip()
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def collect_verdicts(notebook_paths) -> list[tuple[str, str, str, str]]:
    """(chapter, paper says, we find, verdict) for the first verdict table stored in each notebook.

    Reads the notebooks' stored outputs (they are executed and checked by
    nbval), so a scorecard built from them repeats exactly what each chapter
    shows.
    """
    return [(t, c, f, v.strip("*")) for t, (c, f, v) in _collect(notebook_paths, "| paper says | we find | verdict |")]


def collect_findings(notebook_paths) -> list[tuple[str, str, str]]:
    """(chapter, design, finding) for the first table of design findings (:func:`findings_table`) in each notebook."""
    return [(t, d, f) for t, (d, f) in _collect(notebook_paths, "| design | finding |")]


def _collect(notebook_paths, head: str) -> list[tuple[str, list[str]]]:
    """(chapter title, cells) of each row of the first stored table headed ``head`` in each notebook."""
    if isinstance(notebook_paths, (str, os.PathLike)) or not isinstance(notebook_paths, (list, tuple)):
        raise ValueError(f"notebook_paths must be a list of paths, got {notebook_paths!r:.80}")
    rows = []
    for path in notebook_paths:
        if not isinstance(path, (str, os.PathLike)):
            raise ValueError(f"a notebook path must be a str or os.PathLike, got {path!r:.80}")
        try:
            nb = json.loads(Path(path).read_text())
            cells = nb["cells"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a readable notebook ({type(exc).__name__}: {exc})") from None
        if not isinstance(cells, list):
            raise ValueError(f"{path}: not a notebook (no list of cells)")
        title = next(
            (
                line[2:].strip()
                for c in nb["cells"]
                if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines()
                if line.startswith("# ")
            ),
            Path(path).stem,
        )
        for cell in nb["cells"]:
            texts = ["".join(o.get("data", {}).get("text/markdown", "")) for o in cell.get("outputs", [])]
            table = next((lines for t in texts if (lines := _table_at(t, head))), None)
            if table is None:
                continue
            for line in table[2:]:
                if not line.startswith("|"):
                    break  # the end of a labelled table's directive
                rows.append((title, _cells(line)))
            break
    return rows
