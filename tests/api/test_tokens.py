"""`payung token create|list|revoke`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payung.accounts.models import ApiToken
from tests.api.conftest import BASE


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_prints_a_working_token_once_and_stores_only_its_hash(client, world):
    secret, note = _run("create", "--user", "kupang", "--label", "skrip BKPSDM")
    assert "tidak akan ditampilkan lagi" in note
    token = ApiToken.objects.get(label="skrip BKPSDM")
    assert token.digest == ApiToken.hash(secret) and secret not in token.digest
    response = client.get(f"{BASE}/units", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    listing, _ = _run("list", "--user", "kupang")
    assert "skrip BKPSDM" in listing and secret not in listing


def test_revoke_by_id_and_by_value(client, world):
    secret, _ = _run("create", "--user", "ttu", "--label", "a")
    _run("revoke", "--token", secret)
    assert client.get(f"{BASE}/units", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    _run("create", "--user", "ttu", "--label", "b")
    _run("revoke", "--id", str(ApiToken.objects.get(label="b").pk))
    assert not ApiToken.objects.filter(label__in=["a", "b"]).exists()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        _run("revoke", "--id", "999999")


def test_create_for_an_unknown_user_fails_cleanly(world):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        _run("create", "--user", "siapa", "--label", "x")
