import pytest

from tests.api.world import PASSWORD, build


@pytest.fixture
def world(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    # Four users a test: the production hasher's deliberate slowness would be most of the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build(tmp_path)


@pytest.fixture
def login(client, world):
    """Log the test client in as one of the world's users (kupang, kupang_viewer, ttu, province)."""

    def as_user(who: str):
        assert client.login(username=who, password=PASSWORD)
        return world.users[who]

    return as_user
