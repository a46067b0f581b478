"""Accounts fixtures: a Kota Kupang operator with a known password, and the scoping proofs' world
(tests.accounts.routes)."""

import pytest

from payung.accounts.models import Role, User
from tests.accounts.routes import build_world
from tests.api.world import FAST_HASHERS

PASSWORD = "payung-rahasia-2026"
KUPANG = "5371"


@pytest.fixture
def operator(db) -> User:
    """A Kota Kupang operator whose password is PASSWORD."""
    return User.objects.create_user(
        "operator_kupang", password=PASSWORD, role=Role.OPERATOR, region_id=KUPANG
    )


@pytest.fixture
def world(db, tmp_path, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world(tmp_path)
