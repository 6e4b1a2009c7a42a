"""The register of open parameters, the chapters' tables of readings, and the joint reading."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt.book.report import collect_readings, collect_verdicts, readings_table
from vpt.market import stability
from vpt.readings import READINGS, Holds, joint_reading, reading

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
VERDICT_CHAPTERS = sorted(
    p for p in CHAPTERS.glob("*.ipynb") if p.stem not in ("scorecard", "errata", "dp-calibration")
)


@pytest.mark.parametrize("path", VERDICT_CHAPTERS, ids=lambda p: p.stem)
def test_every_verdict_under_a_reading_names_its_readings_and_every_reading_row_names_a_verdict(path):
    verdicts = collect_verdicts([path])
    readings = collect_readings([path])
    claims = [c for _, c, _, _ in verdicts]
    for _, claim, _, key, _ in readings:
        assert key in READINGS
        matches = [c for c in claims if c.startswith(claim)]
        assert len(matches) == 1, f"{path.stem}: reading row {claim!r} matches {len(matches)} verdict rows"
    named = {c for c in claims for _, claim, *_ in readings if c.startswith(claim)}
    for _, claim, _, verdict in verdicts:
        if verdict == "reproduced under a reading":
            assert claim in named, f"{path.stem}: {claim!r} is judged under a reading but names none of the register"


def test_the_register_holds_every_open_parameter_the_issue_lists():
    for key in ("price_unit", "f_i", "dq1", "dq2", "seller_order", "assignment", "ties", "fee_payer"):
        r = reading(key)
        assert r.is_range or r.book in r.options
    assert reading("lead_criterion").options == tuple(f"ahead by {sd:g} s.d." for sd in stability.LEAD_SDS)
    with pytest.raises(ValueError, match="unknown reading 'nope': the register holds"):
        reading("nope")


@given(st.floats(0.001, 1e4), st.floats(0.001, 1e4))
def test_an_interval_reads_back_as_it_was_written(a, b):
    lo, hi = min(a, b), max(a, b)
    holds = Holds.interval(lo, hi)
    back = Holds.parse("dq2", holds.describe("dq2"))
    assert back.low == pytest.approx(lo, rel=1e-3) and back.high == pytest.approx(hi, rel=1e-3)
    for h in (Holds.interval(lo, None), Holds.interval(None, hi), Holds.interval(None, None), Holds.nowhere()):
        text = h.describe("dq2")
        assert Holds.parse("dq2", text).describe("dq2") == text


def test_options_read_back_and_unknown_options_are_refused():
    h = Holds.options("interval", ["final price only in [ask, bid]"])
    assert Holds.parse("interval", h.describe("interval")) == h
    assert Holds.parse("interval", "none").empty
    with pytest.raises(ValueError, match="unknown option"):
        Holds.options("interval", ["no interval"])
    with pytest.raises(ValueError, match="is a range"):
        Holds.options("dq2", [])
    with pytest.raises(ValueError, match="cannot read"):
        Holds.parse("dq2", "about 40 Wh")


def test_a_claim_holds_if_one_of_its_cases_holds():
    claims = {
        "equalises": [
            {"lead_criterion": Holds.options("lead_criterion", ["ahead by 2 s.d."]), "dq2": Holds.interval(43, None)},
            {"lead_criterion": Holds.options("lead_criterion", ["ahead by 3 s.d."]), "dq2": Holds.interval(29, None)},
        ],
        "incentive": {"dq2": Holds.interval(None, 38)},
    }
    j = joint_reading(claims)
    assert set(j.held) == {"equalises", "incentive"}
    assert j.assignment["lead_criterion"] == "ahead by 3 s.d."
    assert j.assignment["dq2"] == "from 29 to 38 Wh"
    only_2sd = {**claims, "equalises": claims["equalises"][:1]}
    j2 = joint_reading(only_2sd)
    assert len(j2.held) == 1 and j2.conflicts and not j2.unsaved


def test_claims_that_no_reading_saves_are_told_apart_from_conflicts():
    claims = {
        "theorem 3": {"interval": Holds.nowhere()},
        "keeps the interval": {"interval": Holds.options("interval", ["string and price in [ask, bid]"])},
        "theorem 1": {
            "interval": Holds.options("interval", ["final price only in [ask, bid]"]),
            "f_i": Holds.options("f_i", ["L1 sensitivity of the string"]),
        },
    }
    j = joint_reading(claims, always=["lemma 1"])
    assert j.unsaved == ("theorem 3",)
    assert "lemma 1" in j.held and len(j.held) == 2
    assert len(j.conflicts) == 1
    # a tie keeps the book's own reading: the interval binds the string and the price
    assert j.assignment["interval"] == "string and price in [ask, bid]"


def test_the_joint_reading_refuses_what_it_cannot_search():
    with pytest.raises(ValueError, match="must be a Holds"):
        joint_reading({"a": {"dq2": (1, 2)}})
    with pytest.raises(ValueError, match="is a range"):
        joint_reading({"a": {"dq2": Holds.options("f_i", ["1 price unit per entry"])}})
    with pytest.raises(ValueError, match="at least one case"):
        joint_reading({"a": []})


def test_a_readings_table_round_trips_through_a_stored_notebook(tmp_path):
    import json

    table = readings_table(
        [
            ("Fig. 7: VPP 10 leads.", "dq2", Holds.interval(None, 38.5), 2),
            ("Fig. 7: VPP 10 leads.", "ties", Holds.nowhere()),
        ],
        label="tab-readings-x",
    )
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["# A chapter"]},
            {"cell_type": "code", "outputs": [{"data": {"text/markdown": table}}]},
        ]
    }
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    rows = collect_readings([path])
    assert rows == [
        ("A chapter", "Fig. 7: VPP 10 leads.", 2, "dq2", Holds.interval(None, 38.5)),
        ("A chapter", "Fig. 7: VPP 10 leads.", 1, "ties", Holds.nowhere()),
    ]
