import json

import pytest

from tests.api.world import FAST_HASHERS, build

BASE = "/api/v1"


@pytest.fixture
def world(db, tmp_path, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build(tmp_path)


class Api:
    """The Django test client speaking JSON with a bearer token, as a script would."""

    def __init__(self, client, world):
        self.client, self.world = client, world

    def __call__(self, who: str | None, method: str, path: str, body=None, lang: str = "", **extra):
        headers = dict(self.world.auth(who)) if who else {}
        if lang:
            headers["Accept-Language"] = lang
        url = BASE + path
        if method == "get":
            return self.client.get(url, body or {}, headers=headers)
        if "files" in extra:  # multipart
            return self.client.post(url, {**(body or {}), **extra["files"]}, headers=headers)
        send = getattr(self.client, method)
        return send(url, json.dumps(body or {}), content_type="application/json", headers=headers)


@pytest.fixture
def api(client, world):
    return Api(client, world)
