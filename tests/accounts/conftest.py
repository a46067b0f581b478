"""The scoping proofs' world (tests.accounts.routes)."""

import pytest

from tests.accounts.routes import build_world
from tests.api.world import FAST_HASHERS


@pytest.fixture
def world(db, tmp_path, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world(tmp_path)
