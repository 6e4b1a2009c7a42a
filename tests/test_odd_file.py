"""Every chapter runs on a real-like file that is not the shipped one: odd ids, fewer homes, a day without trades.

A user's Ausgrid extract numbers its customers 2, 3, 5, ... (never 1..N), has
fewer homes than the paper and VPP sizes of its own, and covers days on which
nothing trades. The book must run on it page by page, say on every page which
data it ran on, and never repeat a number of the shipped data.
"""

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
from test_parameters_follow import rendered_text

from vpt import data

ROOT = Path(__file__).resolve().parents[1]
#: The chapters that read the households (``book_data()``), then the two summaries, which gather what those found.
#: The others (market, dp-calibration, race-and-capture, complexity) draw their own inputs: the data cannot change them.
CHAPTERS = [
    "system-state",
    "mining",
    "coin",
    "ledger",
    "dp-audit",
    "household-privacy",
    "winning-and-profit",
    "incentives",
    "repaired-vpt",
    "scorecard",
    "errata",
]
NO_HOUSEHOLDS = ("market", "dp-calibration", "race-and-capture", "complexity")
IDS = np.array([2, 3, 5, 8, 9, 11, 13, 14, 17, 19, 22, 23, 26, 29, 31, 34, 37, 38, 41, 43, 46, 47, 50, 53])


def odd_file(path: Path) -> Path:
    """24 homes numbered with gaps from 2, four days of February, the second without any sun."""
    homes = data.generate_households(n_homes=IDS.size, start_date="2013-02-01", n_days=4, seed=7)
    rainy = homes.generation.copy()
    rainy[:, 48:96] = 0.0
    data.write_ausgrid(dataclasses.replace(homes, customer=IDS, generation=rainy), path)
    return path


def test_every_chapter_runs_on_a_real_like_file_and_says_so(tmp_path):
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",
        "VPT_HOUSEHOLDS": str(odd_file(tmp_path / "extract.csv.gz")),
        "VPT_HOMES": str(IDS.size),
        "VPT_VPP_SIZES": "2,3,4,6,9",
    }
    out = tmp_path / "book"
    (out / "chapters").mkdir(parents=True)
    for name in NO_HOUSEHOLDS:  # their stored outputs hold on any data; the scorecard gathers them too
        shutil.copy(ROOT / "chapters" / f"{name}.ipynb", out / "chapters" / f"{name}.ipynb")
    run = subprocess.run(
        [sys.executable, "scripts/execute_notebooks.py", "--out", str(out), *(f"chapters/{c}.ipynb" for c in CHAPTERS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for name in CHAPTERS:
        text = rendered_text(nbformat.read(out / "chapters" / f"{name}.ipynb", as_version=4))
        if "data_source" in (ROOT / "chapters" / f"{name}.ipynb").read_text():
            assert "extract.csv.gz" in text and f"all {IDS.size} homes" in text, name
        # the shipped data's 100 homes appear only where the paper's own evaluation is meant
        stale = [
            m.group(0) for m in re.finditer(r".{40}\b100 (smart )?homes.{20}", text) if "its 100" not in m.group(0)
        ]
        assert not stale, (name, stale)
    ledger = rendered_text(nbformat.read(out / "chapters" / "ledger.ipynb", as_version=4))
    assert "2013-02-03 (the period's second day, 2013-02-02, has no trade)" in ledger


def test_a_net_only_file_runs_and_every_page_says_what_net_data_cannot_give(tmp_path):
    homes = data.read_ausgrid(odd_file(tmp_path / "extract.csv.gz"))
    path = tmp_path / "net.csv"
    net = homes.consumption - homes.generation
    rows = [
        f"{c},{str(t).replace('T', ' ')},{v:.3f}"
        for i, c in enumerate(homes.customer)
        for t, v in zip(homes.timestamps, net[i], strict=True)
    ]
    path.write_text("\n".join(["customer,timestamp,net_kwh", *rows]) + "\n")
    env = {**os.environ, "PYTHONHASHSEED": "0", "VPT_HOUSEHOLDS": str(path), "VPT_HOMES": str(IDS.size)}
    env["VPT_VPP_SIZES"] = "2,3,4,6,9"
    out = tmp_path / "book"
    pages = ["system-state", "mining"]
    run = subprocess.run(
        [sys.executable, "scripts/execute_notebooks.py", "--out", str(out), *(f"chapters/{c}.ipynb" for c in pages)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for name in pages:
        text = rendered_text(nbformat.read(out / "chapters" / f"{name}.ipynb", as_version=4))
        assert "the net-energy file net.csv" in text and "sees imports only" in text, name


def test_the_chapters_left_out_above_read_no_household_data():
    for name in NO_HOUSEHOLDS:
        source = (ROOT / "chapters" / f"{name}.ipynb").read_text(encoding="utf-8")
        assert "book_data(" not in source and "VPT_HOUSEHOLDS" not in source, name


def test_every_chapter_either_runs_on_the_odd_file_or_reads_no_household_data():
    notebooks = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    assert notebooks == set(CHAPTERS) | set(NO_HOUSEHOLDS), notebooks ^ (set(CHAPTERS) | set(NO_HOUSEHOLDS))
