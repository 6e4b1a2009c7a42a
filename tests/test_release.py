"""The version is written once and every place that shows it agrees; licence and citation files are there."""

import re
import tomllib
from pathlib import Path

import yaml

import vpt

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_read_from_one_place_and_the_citation_and_changelog_follow_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]  # read from vpt.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", vpt.__version__)
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["version"] == vpt.__version__
    assert any("VPT" in ref["title"] for ref in citation["references"]), "the citation must reference the paper"
    first = re.search(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert first is not None and first.group(1) == vpt.__version__, "CHANGELOG.md's newest entry is another version"


def test_the_licences_are_there_and_the_readme_names_them():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "CC BY 4.0" in (ROOT / "LICENSE-TEXT.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "CC BY 4.0" in readme and "CITATION.cff" in readme
