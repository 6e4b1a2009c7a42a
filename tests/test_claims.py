"""The book's map of the paper's claims (vpt.book.claims) agrees with the verdict tables the chapters store."""

from pathlib import Path

import pytest

from vpt.book.claims import CAUSES, ROOT_CAUSES, cause_of
from vpt.book.report import collect_verdicts

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
SUMMARIES = ("scorecard", "errata", "dp-calibration")  # no verdict table of their own
VERDICTS = {p.stem: collect_verdicts([p]) for p in sorted(CHAPTERS.glob("*.ipynb")) if p.stem not in SUMMARIES}


def test_every_refutation_has_one_root_cause_and_only_refutations_have_one():
    for stem, rows in VERDICTS.items():
        for _, claim, _, verdict in rows:
            cause = cause_of(stem, claim)
            if verdict == "refuted":
                assert cause is not None, f"{stem}: the refutation {claim[:60]!r} has no root cause in vpt.book.claims"
            else:
                assert cause is None, f"{stem}: {claim[:60]!r} is {verdict}, yet has the root cause {cause.key!r}"


def test_every_cause_names_one_verdict_row_and_every_root_cause_is_used():
    for (stem, start), key in CAUSES.items():
        matches = [c for _, c, _, _ in VERDICTS[stem] if c.startswith(start)]
        assert len(matches) == 1, f"{stem}: {start!r} matches {len(matches)} verdict rows"
        assert key in ROOT_CAUSES
    assert set(CAUSES.values()) == set(ROOT_CAUSES)


def test_cause_of_refuses_what_is_not_a_row():
    with pytest.raises(ValueError, match="must be strings"):
        cause_of("dp-audit", None)
