"""The seed sweep: its stored results are current and recompute, each check names one claim, the criteria decide."""

import json
from pathlib import Path

import numpy as np
import pytest

from vpt import seeds
from vpt.book import sweep
from vpt.book.report import collect_verdicts
from vpt.market import stability

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"


def test_the_stored_sweep_was_computed_by_the_current_code():
    stored = json.loads(sweep.STORED_SWEEP.read_text())
    assert stored["key"] == sweep.cache_key(seeds.seed_sets()), (
        "data/stability.json is stale (vpt changed since it was computed): run `python -m vpt.book.sweep`"
    )
    assert [tuple(s.values()) for s in stored["seeds"]] == [(s.data, s.market, s.election) for s in seeds.seed_sets()]


def test_the_first_seed_set_recomputes_to_the_stored_replicates():
    # read the file directly: a stale file fails here at once instead of recomputing all seed sets first
    stored = json.loads(sweep.STORED_SWEEP.read_text())
    if stored["key"] != sweep.cache_key(seeds.seed_sets()):
        pytest.fail("data/stability.json is stale: run `python -m vpt.book.sweep`")
    first = {(r["chapter"], r["claim"]): r["replicates"][0] for r in stored["results"]}
    fresh = sweep.sweep(seeds.seed_sets()[:1])
    assert set(fresh) == set(first)
    for claim, (replicate,) in fresh.items():
        assert [replicate.verdict, replicate.measured] == first[claim], claim


def test_every_check_names_exactly_one_claim_of_its_chapter():
    for check in sweep.CHECKS:
        rows = collect_verdicts([CHAPTERS / f"{check.chapter}.ipynb"])
        assert sum(claim.startswith(check.claim) for _, claim, _, _ in rows) == 1, check.claim
        assert check in sweep.checks_of(check.chapter)


def test_seed_sets_are_distinct_and_reproducible():
    a, b = seeds.seed_sets(5), seeds.seed_sets(5)
    assert a == b
    values = [v for s in a for v in (s.data, s.market, s.election)]
    assert len(set(values)) == len(values)
    assert seeds.seed_sets(5, root=12) != a


def test_welfare_trend_is_the_least_squares_slope_in_standard_errors():
    rng = np.random.default_rng(0)
    x = np.arange(10.0)
    mean = 2.0 * x + rng.normal(0, 1, 10)
    se = np.full(10, 0.5)
    slope = np.polyfit(x, mean, 1)[0]
    slope_se = 0.5 / np.sqrt(np.sum((x - x.mean()) ** 2))
    assert stability.welfare_trend(x, mean, se) == pytest.approx(slope / slope_se)
    assert stability.welfare_trend(x, np.zeros(10), np.zeros(10)) == 0.0  # zero by rule: no trend


def test_fig5_verdict_names_the_rules_whose_welfare_does_not_rise():
    rise, flat = (5.0, 0.0, 5.0, 0.0), (5.0, 1.0, 5.0, 0.0)
    assert stability.fig5_verdict({"PoEM": rise, "B": (5.0, 5.0, 5.0, 5.0)}) == (
        "reproduced",
        {"PoEM": True, "B": True},
    )
    assert stability.fig5_verdict({"PoEM": rise, "B": flat})[0] == "reproduced under a reading"
    assert stability.fig5_verdict({"PoEM": (1.0, 0.0, 5.0, 0.0), "B": rise})[0] == "refuted"


def test_similar_verdict_distinguishes_the_unit_scale_from_a_finer_unit():
    shares = {1: dict.fromkeys(stability.FIG5_EPSILONS, 0.5), 10: dict.fromkeys(stability.FIG5_EPSILONS, 0.9)}
    start = stability.similar_from(shares)
    assert start == dict.fromkeys(stability.FIG5_EPSILONS, 10)
    assert stability.similar_verdict(start) == "reproduced under a reading"
    assert stability.similar_verdict(dict.fromkeys(stability.FIG5_EPSILONS, 1)) == "reproduced"
    assert stability.similar_verdict({0.1: 10, 0.01: None, 0.001: 1}) == "refuted"
    # a share that dips below the threshold at a larger scale moves the start past it
    shares[100] = {0.1: 0.7, 0.01: 0.95, 0.001: 0.95}
    assert stability.similar_from(shares)[0.1] is None


def test_clear_lead_needs_two_standard_deviations_of_a_count():
    n = 10_000
    p = 0.3
    gap = (4 / n + np.sqrt(16 / n**2 + 32 * p / n)) / 2  # solves gap = 2 sqrt((2p + gap) / n)
    assert stability.clear_lead([p + 1.01 * gap, p], n)[2]
    assert not stability.clear_lead([p + 0.99 * gap, p], n)[2]
    assert stability.clear_lead([0.1, 0.3, 0.6], n)[:2] == (2, 1)


def test_election_law_threshold_is_bonferronis():
    assert stability.election_law_threshold(1, 0.05) == pytest.approx(1.959964, abs=1e-6)
    assert stability.election_law_threshold(300, 0.01) == pytest.approx(4.149410, abs=1e-6)


def test_the_top_seller_verdict_follows_the_crossing():
    # one round: VPP 2 sells most; PPoEM's leader probability rises with eps3 / Delta q2 towards 1
    rows = [[0.5, 1.0, 2.0]]
    curve = stability.top_seller_curve(rows, ratios=np.logspace(-3, 3, 25))
    assert curve.p_poem == pytest.approx(2.0 / 3.5)
    assert curve.crossing is not None and 0.1 < curve.crossing < 10
    assert stability.top_seller_verdict(curve) == "reproduced under a reading"
    assert stability.top_seller_verdict(curve, at_ratio=curve.crossing * 1.01) == "reproduced"
    never = stability.top_seller_curve(rows, ratios=[0.001, 0.01])
    assert never.crossing is None and stability.top_seller_verdict(never) == "refuted"


def test_vpp10_and_equalise_verdicts():
    typical = stability.Assignments(3, (2, 2, -1), (True, True, False), ((30.0,), (10.0,), ()))
    lucky = stability.Assignments(3, (2, -1, -1), (True, False, False), ((30.0,), (), ()))
    none = stability.Assignments(3, (1, -1, 2), (False, False, False), ((30.0,), (), ()))
    assert stability.vpp10_verdict(typical) == "reproduced under a reading"  # 2 of 3 assignments
    assert stability.vpp10_verdict(lucky) == "cannot be checked"  # 1 of 3: hangs on the assignment
    assert stability.vpp10_verdict(none) == "refuted"  # PoEM first with PPoEM never first for any Delta q2
    assert stability.vpp9_verdict(typical) == "reproduced under a reading"
    assert stability.vpp9_verdict(lucky) == "cannot be checked"
    assert stability.vpp9_verdict(none) == "refuted"
    assert stability.equalise_verdict([1000.0]) == "reproduced under a reading"
    assert stability.equalise_verdict([]) == "refuted"


def test_the_key_ignores_docstrings_and_comments_but_not_code():
    base = 'def f(x):\n    """Twice x, é."""\n    return 2 * x\n'
    assert sweep.code_of(base) == sweep.code_of(base.replace("Twice x, é.", "Double.") + "# a comment\n")
    assert sweep.code_of(base) == sweep.code_of(base.replace("2 * x\n", "2 * x  # doubled\n"))
    assert sweep.code_of(base) != sweep.code_of(base.replace("2 * x", "3 * x"))
    assert sweep.code_of(base) != sweep.code_of(base.replace("return", "x = 1\n    return"))
    with pytest.raises(ValueError, match="not valid Python"):
        sweep.code_of("def f(:\n")


def test_the_key_covers_what_the_sweep_imports_and_not_the_editorial_map():
    names = {p.as_posix().split("vpt/", 1)[1] for p in sweep.sources_of()}
    assert {"market/mining.py", "privacy/audit.py", "chain/ledger.py", "book/sweep.py", "seeds.py"} <= names
    assert "book/claims.py" not in names and "book/bench.py" not in names
    with pytest.raises(ValueError, match="module of vpt"):
        sweep.sources_of("numpy")
