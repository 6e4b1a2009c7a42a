"""Shared test configuration: deterministic hypothesis runs, so CI never flakes."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The browser test needs a built book and Chromium: scripts/test runs it after the build.
collect_ignore = [] if os.environ.get("VPT_BROWSER_TEST") == "1" else ["browser"]

#: The longest test files and notebooks (tens of seconds each), run first: with ``--dist loadfile`` a file's tests
#: stay on one worker, so starting the long ones first lets the workers finish together (longest first).
LONGEST_FIRST = (
    "tests/test_odd_file.py",
    "chapters/incentives.ipynb",
    "chapters/dp-calibration.ipynb",
    "chapters/dp-audit.ipynb",
    "chapters/winning-and-profit.ipynb",
    "tests/test_parameters_follow.py",
    "tests/test_stability.py",
    "chapters/mining.ipynb",
    "chapters/repaired-vpt.ipynb",
    "tests/test_incentives.py",
)


def pytest_collection_modifyitems(items):
    """Reorder the collected items so that the longest files start first (a stable sort: order kept within)."""

    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
