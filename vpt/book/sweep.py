"""The sweep of the book's seed-dependent verdicts over independent seed sets: collected here, decided by each part.

A verdict that rests on random draws is only settled if it holds for other
draws too. Each part of the library keeps the seed checks of its chapters
beside its experiment code (:data:`vpt.market.stability.CHECKS` for the
market, mining and incentives chapters, :data:`vpt.chain.stability.CHECKS`
for the ledger, :data:`vpt.privacy.stability.CHECKS` for the privacy audit);
this module only collects them in the book's order (:data:`CHECKS`) and runs
them over the seed sets of :func:`vpt.seeds.seed_sets` (:func:`sweep`). The
scorecard shows, for each claim, how many seed sets agree with the chapter's
verdict.

The sweep takes minutes, so :func:`cached_sweep` stores it in
``data/stability.json`` under a key that covers the library's source and the
seeds: a change to ``vpt`` makes the stored sweep stale, the test suite says
so, and ``python -m vpt.book.sweep`` recomputes it. The tests also recompute
one seed set in full and compare it with the stored one.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import functools
import hashlib
import io
import json
import os
import sys
import tokenize
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vpt._checks import instance, text
from vpt.book.parallel import add_executor_arguments, check_argv, executor_of, run_tasks
from vpt.book.report import VERDICTS
from vpt.chain import stability as chain_checks
from vpt.market import stability as market_checks
from vpt.privacy import stability as privacy_checks
from vpt.seeds import N_SEED_SETS, SWEEP_ROOT, Replicate, SeedCheck, Seeds, seed_sets

__all__ = [
    "BOOK_ORDER",
    "CHECKS",
    "STORED_SWEEP",
    "cache_key",
    "cached_sweep",
    "checks_of",
    "code_key",
    "code_of",
    "recompute",
    "recompute_seed_set",
    "select_checks",
    "sources_of",
    "sweep",
    "write_sweep",
]

#: Where the sweep is stored (``data/`` beside the package), written by ``python -m vpt.book.sweep``.
STORED_SWEEP = Path(__file__).resolve().parents[2] / "data" / "stability.json"
#: The chapters (notebook stems) in the order of the book's table of contents (``_toc.yml``; a test keeps them equal).
BOOK_ORDER = (
    "system-state",
    "market",
    "mining",
    "coin",
    "ledger",
    "dp-calibration",
    "dp-audit",
    "household-privacy",
    "race-and-capture",
    "winning-and-profit",
    "complexity",
    "incentives",
    "repaired-vpt",
    "scorecard",
    "errata",
    "references",
)
#: Every verdict of the book that rests on random draws, with the function that recomputes it from a seed set,
#: in the book's order (each chapter's checks in the order of its verdict table).
CHECKS: tuple[SeedCheck, ...] = tuple(
    sorted(
        (*market_checks.CHECKS, *chain_checks.CHECKS, *privacy_checks.CHECKS),
        key=lambda c: BOOK_ORDER.index(c.chapter),
    )
)


def checks_of(chapter: str) -> tuple[SeedCheck, ...]:
    """The checks of :data:`CHECKS` for one chapter (notebook stem), in the order of its verdict table."""
    chapter = text(chapter, "chapter")
    found = tuple(c for c in CHECKS if c.chapter == chapter)
    if not found:
        raise ValueError(f"no seed check for chapter {chapter!r}; chapters: {sorted({c.chapter for c in CHECKS})}")
    return found


def recompute(check: SeedCheck, seeds: Seeds) -> Replicate:
    """One check at one seed set, its verdict checked to be one of :data:`vpt.book.report.VERDICTS`."""
    instance(check, SeedCheck, "check")
    instance(seeds, Seeds, "seeds")
    r = check.check(seeds)
    if not isinstance(r, Replicate) or r.verdict not in VERDICTS:
        raise ValueError(f"check {check.claim!r} returned {r!r:.80}, not a Replicate with a verdict")
    return r


def _seed_list(seeds: Any) -> list[Seeds]:
    if not isinstance(seeds, (list, tuple)) or not seeds or not all(isinstance(s, Seeds) for s in seeds):
        raise ValueError(f"seeds must be a non-empty list of Seeds, got {seeds!r:.80}")
    return list(seeds)


def _check_list(checks: Any) -> list[SeedCheck]:
    if not isinstance(checks, (list, tuple)) or not checks or not all(isinstance(c, SeedCheck) for c in checks):
        raise ValueError(f"checks must be a non-empty list of SeedCheck, got {checks!r:.80}")
    return list(checks)


def sweep(
    seeds: Sequence[Seeds],
    checks: Sequence[SeedCheck] = CHECKS,
    *,
    serial: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> dict[tuple[str, str], list[Replicate]]:
    """Every check at every seed set: ``{(chapter, claim): [replicate per seed set]}``.

    One task per seed set (its checks share the households and rounds they draw, cached per process), run by
    :func:`vpt.book.parallel.run_tasks`: serially by default, on a local Dask cluster of ``workers`` processes, or
    on the Dask ``scheduler`` at that address. Each task draws only from its own seed set, so the result is the
    same, value for value, however it runs.
    """
    seed_list, check_list = _seed_list(seeds), _check_list(checks)
    if serial is False and workers is None and scheduler is None:
        serial = True  # the default: in this process
    per_set = run_tasks(
        recompute_seed_set,
        [(tuple(check_list), s) for s in seed_list],
        serial=serial,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )
    out: dict[tuple[str, str], list[Replicate]] = {}
    for replicates in per_set:
        for c, r in zip(check_list, replicates, strict=True):
            out.setdefault((c.chapter, c.claim), []).append(r)
    return out


def recompute_seed_set(checks: Sequence[SeedCheck], seeds: Seeds) -> list[Replicate]:
    """Every check of ``checks`` at one seed set, in order (one task of :func:`sweep`)."""
    return [recompute(c, seeds) for c in _check_list(checks)]


def select_checks(names: Sequence[str]) -> list[SeedCheck]:
    """The checks of :data:`CHECKS` named by chapter (``mining``) or by check (``vpp10``, from ``_check_vpp10``).

    Raises
    ------
    ValueError
        If a name selects no check (the message lists the names).

    Examples
    --------
    >>> [c.claim[:18] for c in select_checks(["vpp10"])]
    ['Fig. 6(a): under P', 'Fig. 7: VPP 10 acc']
    """
    if isinstance(names, str) or not isinstance(names, (list, tuple)) or not names:
        raise ValueError(f"names must be a non-empty list of chapter or check names, got {names!r:.80}")
    known = sorted({c.chapter for c in CHECKS} | {_short(c) for c in CHECKS})
    for name in names:
        if name not in known:
            raise ValueError(f"no seed check is named {name!r}; the names are: {', '.join(known)}")
    return [c for c in CHECKS if c.chapter in names or _short(c) in names]


def _short(check: SeedCheck) -> str:
    return check.check.__name__.removeprefix("_check_")


def code_of(source: str) -> str:
    r"""``source`` without its docstrings, comments, trailing spaces and blank lines: what the key hashes.

    A docstring or comment cannot change what the sweep computes, so editing
    one does not make the stored sweep stale; any change to the code does.
    Docstrings are found with :mod:`ast` and comments with :mod:`tokenize`, by
    position, so the result is the same on every supported Python.

    Raises
    ------
    ValueError
        If ``source`` is not a string of valid Python.

    Examples
    --------
    >>> code_of("def f(x):\n    'Twice x.'\n    return 2 * x  # doubled\n")
    'def f(x):\n    return 2 * x'
    """
    if not isinstance(source, str):
        raise ValueError(f"source must be Python source text (a str), got {type(source).__name__}")
    return _code_of(source)


@functools.lru_cache(maxsize=512)
def _code_of(source: str) -> str:
    """:func:`code_of` after its check, cached by source text (the keys hash the same files many times)."""
    try:
        tree = ast.parse(source)
        comments = [
            (tok.start, tok.end)
            for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT
        ]
    except (SyntaxError, tokenize.TokenError) as err:
        raise ValueError(f"source is not valid Python: {err}") from err
    spans, docstrings = list(comments), []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and first.end_lineno is not None
                and first.end_col_offset is not None
            ):
                docstrings.append(((first.lineno, first.col_offset), (first.end_lineno, first.end_col_offset)))
    lines = source.replace("\r\n", "\n").split("\n")

    def column(row: int, byte_offset: int) -> int:  # ast counts UTF-8 bytes, tokenize characters
        return len(lines[row - 1].encode("utf-8")[:byte_offset].decode("utf-8"))

    spans += [((r0, column(r0, c0)), (r1, column(r1, c1))) for (r0, c0), (r1, c1) in docstrings]
    for (row0, col0), (row1, col1) in sorted(spans, reverse=True):
        head, tail = lines[row0 - 1][:col0], lines[row1 - 1][col1:]
        lines[row0 - 1 : row1] = [head + tail]
    return "\n".join(line.rstrip() for line in lines if line.strip())


def sources_of(module: str = "vpt.book.sweep") -> list[Path]:
    """The files of ``vpt`` that importing ``module`` runs: its own, its packages' ``__init__`` and what they import.

    Found from the import statements (:mod:`ast`, anywhere in a module), so the
    result does not depend on what the running process has imported already.
    The key of the stored sweep covers these files only: the book's editorial
    modules (its map of claims, its plots) are not among them.

    Raises
    ------
    ValueError
        If ``module`` is not a module of ``vpt``.

    Examples
    --------
    >>> names = [p.as_posix().split("vpt/", 1)[1] for p in sources_of("vpt.units")]
    >>> "units.py" in names, "market/__init__.py" in names
    (True, False)
    """
    package = Path(__file__).resolve().parents[1]

    def file_of(name: str) -> Path | None:
        parts = name.split(".")[1:]
        as_package = package.joinpath(*parts, "__init__.py")
        as_module = package.joinpath(*parts[:-1], f"{parts[-1]}.py") if parts else as_package
        return as_package if as_package.is_file() else as_module if as_module.is_file() else None

    if not isinstance(module, str) or not (module == "vpt" or module.startswith("vpt.")) or file_of(module) is None:
        raise ValueError(f"module must name a module of vpt (e.g. 'vpt.book.sweep'), got {module!r:.60}")
    seen: set[Path] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a, a.b and a.b.c
            path = file_of(".".join(parts[:i]))
            if path is None or path in seen:
                continue
            seen.add(path)
            for imported, names in _imports_of(path.read_text(encoding="utf-8")):
                todo.append(imported)
                todo += [f"{imported}.{a}" for a in names if file_of(f"{imported}.{a}")]
    return sorted(seen, key=lambda p: p.relative_to(package).as_posix())


@functools.lru_cache(maxsize=512)
def _imports_of(source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ``vpt`` modules ``source`` imports, each with the names imported from it (cached by source text)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(a.name, ()) for a in node.names if a.name.split(".")[0] == "vpt"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "vpt":
            out.append((node.module, tuple(a.name for a in node.names)))
    return tuple(out)


def cache_key(seeds: Sequence[Seeds], checks: Sequence[SeedCheck] = CHECKS) -> str:
    """SHA-256 over the code the sweep runs (:func:`code_of` each of :func:`sources_of`), the seeds and the claims.

    A change to the code of any module the sweep imports (not only this one)
    changes the key; docstrings, comments and modules it does not import do not.
    """
    seed_list, check_list = _seed_list(seeds), _check_list(checks)
    return code_key(
        "vpt.book.sweep",
        repr([dataclasses.astuple(s) for s in seed_list]),
        repr([(c.chapter, c.claim, c.check.__name__) for c in check_list]),
    )


def code_key(module: str, *parameters: str) -> str:
    """SHA-256 over the code ``module`` runs (:func:`code_of` each of :func:`sources_of`) and ``parameters``.

    The key of every stored computation of the book: the sweep (:func:`cache_key`), the published benchmark and the
    repaired VPT's frontier, each with the parameters that decide its values.

    Raises
    ------
    ValueError
        If ``module`` is not a module of ``vpt``, or a parameter is not a string.
    """
    if not all(isinstance(p, str) for p in parameters):
        raise ValueError("parameters must be strings (the repr of what decides the stored values)")
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sources_of(module):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(code_of(path.read_text(encoding="utf-8")).encode())
    for p in parameters:
        h.update(p.encode())
    return h.hexdigest()


def cached_sweep(
    path: str | os.PathLike, seeds: Sequence[Seeds] | None = None, checks: Sequence[SeedCheck] = CHECKS
) -> tuple[dict[tuple[str, str], list[Replicate]], bool]:
    """The sweep over ``seeds`` (default :func:`seed_sets`), from ``path`` if stored there under the current key.

    Computed if ``path`` holds no sweep under the current :func:`cache_key`
    (and not written: ``python -m vpt.book.sweep`` writes it). Returns the
    sweep and whether it came from the file.

    Raises
    ------
    ValueError
        If ``path`` is not a path, or the file is not a stored sweep.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a str or os.PathLike, got {path!r:.80}")
    seed_list = seed_sets() if seeds is None else _seed_list(seeds)
    check_list = _check_list(checks)
    key = cache_key(seed_list, check_list)
    p = Path(path)
    if p.is_file():
        try:
            stored = json.loads(p.read_text(encoding="utf-8"))
            if stored["key"] == key:
                result = {
                    (r["chapter"], r["claim"]): [Replicate(str(v), str(m)) for v, m in r["replicates"]]
                    for r in stored["results"]
                }
                return result, True
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{p}: not a stored sweep ({type(exc).__name__}: {exc})") from None
    return sweep(seed_list, check_list), False


def write_sweep(
    path: str | os.PathLike,
    seeds: Sequence[Seeds] | None = None,
    checks: Sequence[SeedCheck] = CHECKS,
    **executor: Any,
) -> dict[tuple[str, str], list[Replicate]]:
    """Compute the sweep (``executor``: the keywords of :func:`sweep`) and store it at ``path`` under its key.

    The key (:func:`cache_key`) is computed before the run: an edit during it makes the stored sweep stale, not
    wrongly fresh.

    Raises
    ------
    ValueError
        If ``path`` is not a path, or the seeds, checks or executor are not valid.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a str or os.PathLike, got {path!r:.80}")
    seed_list = seed_sets() if seeds is None else _seed_list(seeds)
    check_list = _check_list(checks)
    key = cache_key(seed_list, check_list)
    result = sweep(seed_list, check_list, **executor)
    payload = {
        "key": key,
        "seeds": [dataclasses.asdict(s) for s in seed_list],
        "results": [
            {"chapter": ch, "claim": cl, "replicates": [[r.verdict, r.measured] for r in reps]}
            for (ch, cl), reps in result.items()
        ],
    }
    Path(path).write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vpt.book.sweep``: the command-line interface of the sweep (``--help``).

    ``argv`` defaults to the process's arguments. Exits (``SystemExit``) with status 2 and a message naming the
    problem for bad options, as any command line does.

    Raises
    ------
    ValueError
        If ``argv`` is given and is not a list of strings.
    """
    argv = check_argv(argv)
    names = sorted({c.chapter for c in CHECKS} | {_short(c) for c in CHECKS})
    parser = argparse.ArgumentParser(
        prog="python -m vpt.book.sweep",
        description="Recompute the book's seed-dependent verdicts over independent seed sets and store them "
        "(the scorecard reads data/stability.json). Each task draws only from its own seed set: serial, local and "
        "remote runs give identical files.",
        epilog=f"check names: {', '.join(names)}",
    )
    parser.add_argument(
        "--seed-sets",
        type=int,
        default=N_SEED_SETS,
        metavar="N",
        help=f"how many seed sets, spawned from SeedSequence({SWEEP_ROOT}) (default {N_SEED_SETS})",
    )
    parser.add_argument("--checks", nargs="+", metavar="NAME", help="only these chapters or checks (default: all)")
    parser.add_argument(
        "--out", default=str(STORED_SWEEP), metavar="FILE", help="where to write (default: %(default)s)"
    )
    add_executor_arguments(parser)
    args = parser.parse_args(argv)
    try:
        seeds = seed_sets(args.seed_sets)
        checks = select_checks(args.checks) if args.checks else list(CHECKS)
        result = write_sweep(args.out, seeds, checks, **executor_of(args))
    except ValueError as err:
        parser.error(str(err))
    for (chapter, claim), reps in result.items():
        counts = {v: sum(r.verdict == v for r in reps) for v in dict.fromkeys(r.verdict for r in reps)}
        print(f"{chapter}: {claim[:60]}: " + ", ".join(f"{v} {n}" for v, n in counts.items()))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
