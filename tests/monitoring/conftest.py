import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The summaries' "checked lately" marks (monitoring.services.CHECK_EVERY) do not outlive a test."""
    cache.clear()
    yield
    cache.clear()
