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
