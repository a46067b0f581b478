"""Suite-wide fixtures: regions come from migrations; tenants and users are made per test."""

import os

import pytest

BROWSER_DIR = "browser"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if f"/{BROWSER_DIR}/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: whatever it guarded did not run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") == "true" and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; a skip counts as a failure here.", red=True)
        session.exitstatus = 1
