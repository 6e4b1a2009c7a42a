"""The book's map of the paper's claims (vpt.book.claims) agrees with the verdict tables the chapters store."""

from pathlib import Path

import pytest

from vpt.book.claims import (
    CAUSES,
    RESCUES,
    ROOT_CAUSES,
    Rescue,
    cause_of,
    coverage,
    read_coverage,
    rescues_of,
    rescues_table,
)
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


def test_every_refutation_was_put_to_a_rescuer_and_every_rescue_names_one_row():
    rows = {(stem, claim): verdict for stem, chapter_rows in VERDICTS.items() for _, claim, _, verdict in chapter_rows}
    for (stem, start), rescue in RESCUES.items():
        matches = [(claim, v) for (s, claim), v in rows.items() if s == stem and claim.startswith(start)]
        assert len(matches) == 1, f"{stem}: the rescue of {start!r} matches {len(matches)} verdict rows"
        verdict = matches[0][1]
        # a rescue that holds makes the verdict 'under a reading'; one that fails leaves it refuted
        expected = "reproduced under a reading" if rescue.holds else "refuted"
        outcome = "holds" if rescue.holds else "fails"
        assert verdict == expected, f"{stem}: {start!r} is {verdict}, but its rescue {outcome}"
    for (stem, claim), verdict in rows.items():
        if verdict == "refuted":
            assert any(s == stem and claim.startswith(start) for s, start in RESCUES), (
                f"{stem}: the refutation {claim[:60]!r} was never put to a rescuer (vpt.book.claims.RESCUES)"
            )


def test_a_rescue_needs_both_its_texts():
    with pytest.raises(ValueError, match="a rescue's answer must be a non-empty string"):
        Rescue("a reading", " ")
    with pytest.raises(ValueError, match="holds must be True or False"):
        Rescue("a reading", "why", holds="yes")
    with pytest.raises(ValueError, match="chapter must be a chapter's file stem"):
        rescues_of(3)


def test_every_claim_a_reader_listed_names_one_verdict_row_and_every_row_is_named():
    rows = {(stem, claim) for stem, chapter_rows in VERDICTS.items() for _, claim, _, _ in chapter_rows}
    named = set()
    for c in coverage():
        if c.status == "not covered":
            continue
        matches = [(s, claim) for s, claim in rows if s == c.chapter and claim.startswith(c.row_start)]
        assert len(matches) == 1, f"lines {c.paper_lines}: {c.chapter}: {c.row_start!r} matches {len(matches)} rows"
        named.update(matches)
    unnamed = sorted(rows - named)
    assert not unnamed, f"verdict rows no claim of the paper maps to (vpt/book/coverage.csv): {unnamed[:3]}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("paper_lines,claim\n1,x\n", "needs exactly the columns"),
        ("paper_lines,claim,chapter,row_start,status,note\n", "has no rows"),
        ("paper_lines,claim,chapter,row_start,status,note\n1-x,c,m,r,covered,\n", "line 2: paper_lines must be"),
        ("paper_lines,claim,chapter,row_start,status,note\n9-3,c,m,r,covered,\n", "line 2: paper_lines must be"),
        ("paper_lines,claim,chapter,row_start,status,note\n1,c,m,r,done,\n", "status must be one of"),
        ("paper_lines,claim,chapter,row_start,status,note\n1,c,,,covered in part,n\n", "names its chapter"),
        ("paper_lines,claim,chapter,row_start,status,note\n1,c,m,r,covered in part,\n", "needs a note"),
        ("paper_lines,claim,chapter,row_start,status,note\n1,c,m,r\n", "line 2: expected 6 fields"),
        # an Arabic-Indic digit one, which Python's int() would accept
        ("paper_lines,claim,chapter,row_start,status,note\n\u0661,c,m,r,covered,\n", "paper_lines must be"),
    ],
)
def test_a_malformed_coverage_file_is_refused_naming_the_line(text, message):
    with pytest.raises(ValueError, match=message):
        read_coverage(text)


def test_each_chapter_shows_its_rescues_beside_its_verdicts():
    for stem in sorted({ch for ch, _ in RESCUES}):
        stored = (CHAPTERS / f"{stem}.ipynb").read_text(encoding="utf-8")
        assert f":name: tab-rescues-{stem}" in stored, f"{stem} does not show its rescues (rescues_table)"
    with pytest.raises(ValueError, match="no claim of 'mining' was put to the reviewer"):
        rescues_table("mining")
