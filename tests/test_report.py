"""Markdown tables and verdicts used by every chapter."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpt.book.report import collect_verdicts, markdown_table, rounded, verdict_table


def test_verdict_table_bolds_the_verdict():
    text = verdict_table([("claim", "finding", "refuted")])
    assert text.splitlines()[-1] == "| claim | finding | **refuted** |"


def test_verdict_table_refuses_unknown_verdicts():
    with pytest.raises(ValueError, match="must be one of"):
        verdict_table([("claim", "finding", "mostly fine")])


def test_markdown_table_escapes_pipes_and_checks_widths():
    assert markdown_table(["a"], [["x|y"]]).splitlines()[-1] == "| x\\|y |"
    with pytest.raises(ValueError, match="row 0 has 1 cells"):
        markdown_table(["a", "b"], [[1]])
    with pytest.raises(ValueError, match="align"):
        markdown_table(["a", "b"], [[1, 2]], align="c")


def test_collect_verdicts_reads_the_first_verdict_table_of_each_notebook(tmp_path):
    import json

    from vpt.book.report import collect_verdicts

    table = verdict_table([("a | b", "found", "refuted"), ("c", "ok", "reproduced")])
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Chapter one\n", "text"]},
            {"cell_type": "code", "source": [], "outputs": [{"data": {"text/markdown": table}}]},
            {
                "cell_type": "code",
                "source": [],
                "outputs": [{"data": {"text/markdown": verdict_table([("x", "y", "refuted")])}}],
            },
        ]
    }
    path = tmp_path / "one.ipynb"
    path.write_text(json.dumps(nb))
    assert collect_verdicts([path]) == [
        ("Chapter one", "a | b", "found", "refuted"),
        ("Chapter one", "c", "ok", "reproduced"),
    ]


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: abs(x) > 1e-12),
    st.integers(min_value=1, max_value=10),
    st.integers(min_value=-64, max_value=64),
)
def test_rounded_does_not_depend_on_the_last_bits(x, digits, ulps):
    """A value and a neighbour a few ulps away store the same digits, or the helper refuses both."""
    y = x
    for _ in range(abs(ulps)):
        y = math.nextafter(y, math.inf if ulps > 0 else -math.inf)
    try:
        rx = rounded(x, digits)
    except ValueError:
        return  # near a tie: the chapter must choose other digits
    assert rounded(y, digits) == rx
    assert abs(rx - x) <= 0.5 * 10.0 ** (math.floor(math.log10(abs(x))) - digits + 1) * (1 + 1e-9)


def test_rounded_keeps_the_requested_significant_digits():
    assert rounded(1.9951382484056108, 4) == 1.995
    assert rounded(-0.0014856454427634152) == -0.00148565
    assert rounded(186.32000000000002) == 186.32
    assert rounded(0.0) == 0.0


def test_rounded_passes_exact_integers_and_booleans_through():
    import numpy as np

    assert rounded(12) == 12 and isinstance(rounded(12), int)
    assert rounded(np.int64(5)) == 5 and type(rounded(np.int64(5))) is int
    assert rounded(True) is True


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), "1.5", None])
def test_rounded_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(ValueError, match="value must be"):
        rounded(value)


@pytest.mark.parametrize("digits", [0, 16, 2.0, True])
def test_rounded_refuses_bad_digit_counts(digits):
    with pytest.raises(ValueError, match="digits must be"):
        rounded(1.5, digits)


def test_rounded_refuses_values_at_a_rounding_tie():
    with pytest.raises(ValueError, match="tie at 1 significant"):
        rounded(2.5, 1)
    assert rounded(2.5, 2) == 2.5


def test_a_labelled_table_is_a_numbered_myst_table_directive():
    text = markdown_table(["a"], [[1]], label="tab-x", caption="A caption")
    assert text.splitlines() == [":::{table} A caption", ":name: tab-x", "", "| a |", "| --- |", "| 1 |", ":::"]
    with pytest.raises(ValueError, match="both a label and a caption"):
        markdown_table(["a"], [[1]], label="tab-x")


def test_collect_verdicts_reads_labelled_verdict_tables(tmp_path):
    import json

    from vpt.book.report import collect_verdicts

    table = verdict_table([("c", "ok", "reproduced")], label="tab-verdicts-one")
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["# One\n"]},
            {"cell_type": "code", "source": [], "outputs": [{"data": {"text/markdown": table}}]},
        ]
    }
    path = tmp_path / "one.ipynb"
    path.write_text(json.dumps(nb))
    assert collect_verdicts([path]) == [("One", "c", "ok", "reproduced")]


def test_rounded_checks_digits_even_for_exact_integers():
    with pytest.raises(ValueError, match="digits must be"):
        rounded(7, 0)


def test_findings_table_is_collected_apart_from_the_verdicts(tmp_path):
    import json

    from vpt.book.report import collect_findings, findings_table

    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Chapter two"]},
            {"cell_type": "code", "outputs": [{"data": {"text/markdown": verdict_table([("c", "ok", "reproduced")])}}]},
            {
                "cell_type": "code",
                "outputs": [{"data": {"text/markdown": findings_table([("Eq. 12", "35 % unpaid")])}}],
            },
        ]
    }
    path = tmp_path / "two.ipynb"
    path.write_text(json.dumps(nb))
    assert collect_findings([path]) == [("Chapter two", "Eq. 12", "35 % unpaid")]
    assert collect_verdicts([path]) == [("Chapter two", "c", "ok", "reproduced")]
    with pytest.raises(ValueError, match="design element, finding"):
        findings_table([])


def test_the_introduction_defines_each_verdict_as_vpt_report_does():
    from pathlib import Path

    from vpt.book.report import FINDING_MEANING, VERDICT_MEANINGS

    intro = " ".join((Path(__file__).parents[1] / "chapters" / "intro.md").read_text().split())
    for verdict, meaning in VERDICT_MEANINGS.items():
        assert f"{verdict} : {meaning}." in intro, verdict
    assert FINDING_MEANING in intro


def test_a_wider_table_that_contains_the_verdict_header_is_not_collected(tmp_path):
    import json

    wide = markdown_table(["chapter", "paper says", "we find", "verdict"], [["ch", "c", "f", "**refuted**"]])
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {"text/markdown": wide}}]}]}
    path = tmp_path / "scorecard.ipynb"
    path.write_text(json.dumps(nb))
    assert collect_verdicts([path]) == []
