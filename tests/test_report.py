"""Markdown tables and verdicts used by every chapter."""

import pytest

from vpt.report import markdown_table, verdict_table


def test_verdict_table_bolds_the_verdict():
    text = verdict_table([("claim", "finding", "differs")])
    assert text.splitlines()[-1] == "| claim | finding | **differs** |"


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

    from vpt.report import collect_verdicts

    table = verdict_table([("a | b", "found", "differs"), ("c", "ok", "reproduced")])
    nb = {"cells": [{"cell_type": "markdown", "source": ["# Chapter one\n", "text"]},
                    {"cell_type": "code", "source": [], "outputs": [{"data": {"text/markdown": table}}]},
                    {"cell_type": "code", "source": [], "outputs": [{"data": {"text/markdown": verdict_table([("x", "y", "differs")])}}]}]}
    path = tmp_path / "one.ipynb"
    path.write_text(json.dumps(nb))
    assert collect_verdicts([path]) == [("Chapter one", "a | b", "found", "differs"), ("Chapter one", "c", "ok", "reproduced")]
