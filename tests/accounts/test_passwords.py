"""Password strength: the change-password page refuses a password like the username or all digits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def change(client, user, new: str):
    client.force_login(user)
    return client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ("operator_kupang", "terlalu mirip dengan nama pengguna"),
        ("OperatorKupang1!", "terlalu mirip dengan nama pengguna"),
        ("8402917365", "seluruhnya terdiri dari angka"),
        ("pendek", "terlalu pendek"),
    ],
)
def test_a_weak_new_password_is_refused_with_the_reason(client, operator, new, reason):
    response = change(client, operator, new)
    assert response.status_code == 200
    assert reason in response.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)


def test_a_strong_new_password_is_accepted(client, operator):
    assert change(client, operator, "tenun-ikat-sabu-raijua").status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("tenun-ikat-sabu-raijua")
