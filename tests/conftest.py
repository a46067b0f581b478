"""Suite-wide fixtures: regions come from migrations; tenants and users are made per test."""

import os

import pytest
from hypothesis import HealthCheck, settings

from payung.regions.loader import load_regions

# The properties are checked on the same examples everywhere; only the clock is not: on a shared, loaded
# machine (CI, two cores) generating examples can pass Hypothesis's speed limits without anything wrong.
settings.register_profile("payung", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("payung")

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


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(request):
    """A transactional test empties every table when it ends, the regions and rules loaded by migration
    too. Put them back before each transactional test (a no-op when present, ~2 s when not) rather than
    trusting the order tests run in."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
        from payung.regions.models import Region
        from payung.rules import loader, models

        load_regions(Region)
        loader.load(vars(models))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real password hashing costs ~0.3 s a user; tests check who may do what, not the hash's strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _login_throttle_off(settings):
    """django-axes needs the request at authenticate(), which Client.login does not pass; tests of the
    throttle (tests/accounts/test_throttle.py) turn it back on and log in through the login page."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _each_test_starts_in_indonesian():
    """A request with Accept-Language: en leaves English active on the test thread; a real process (a
    command, a server worker) starts in settings.LANGUAGE_CODE, and so does each test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
