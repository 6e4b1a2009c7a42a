"""The README's quick-start runs as written."""

import doctest
from pathlib import Path


def test_readme_quick_start_runs_as_written():
    result = doctest.testfile(
        str(Path(__file__).resolve().parents[1] / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted >= 8
    assert result.failed == 0
