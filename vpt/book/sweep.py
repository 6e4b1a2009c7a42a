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

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vpt._checks import instance, text
from vpt.book.report import VERDICTS
from vpt.chain import stability as chain_checks
from vpt.market import stability as market_checks
from vpt.privacy import stability as privacy_checks
from vpt.seeds import Replicate, SeedCheck, Seeds, seed_sets

__all__ = ["BOOK_ORDER", "CHECKS", "STORED_SWEEP", "cache_key", "cached_sweep", "checks_of", "recompute", "sweep"]

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


def sweep(seeds: Sequence[Seeds], checks: Sequence[SeedCheck] = CHECKS) -> dict[tuple[str, str], list[Replicate]]:
    """Every check at every seed set: ``{(chapter, claim): [replicate per seed set]}``."""
    seed_list, check_list = _seed_list(seeds), _check_list(checks)
    out: dict[tuple[str, str], list[Replicate]] = {}
    for s in seed_list:
        for c in check_list:
            out.setdefault((c.chapter, c.claim), []).append(recompute(c, s))
    return out


def cache_key(seeds: Sequence[Seeds], checks: Sequence[SeedCheck] = CHECKS) -> str:
    """SHA-256 over the library's source (line endings normalised), the seed sets and the checks' claims.

    What the sweep depends on: a change to any module of ``vpt`` (not only
    this one) changes the key.
    """
    seed_list, check_list = _seed_list(seeds), _check_list(checks)
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_text(encoding="utf-8").replace("\r\n", "\n").encode())
    h.update(repr([dataclasses.astuple(s) for s in seed_list]).encode())
    h.update(repr([(c.chapter, c.claim, c.check.__name__) for c in check_list]).encode())
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


def _write_sweep(path: Path, seeds: Sequence[Seeds] | None = None) -> dict[tuple[str, str], list[Replicate]]:
    """Compute the sweep and store it at ``path`` under the :func:`cache_key` of the code that computed it."""
    seed_list = seed_sets() if seeds is None else _seed_list(seeds)
    key = cache_key(seed_list)  # before the run: an edit during it makes the stored sweep stale, not wrongly fresh
    result = sweep(seed_list)
    payload = {
        "key": key,
        "seeds": [dataclasses.asdict(s) for s in seed_list],
        "results": [
            {"chapter": ch, "claim": cl, "replicates": [[r.verdict, r.measured] for r in reps]}
            for (ch, cl), reps in result.items()
        ],
    }
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":  # python -m vpt.book.sweep: recompute data/stability.json
    target = STORED_SWEEP
    for (chapter, claim), reps in _write_sweep(target).items():
        print(f"{chapter}: {claim[:60]}: " + "; ".join(r.verdict for r in reps))
