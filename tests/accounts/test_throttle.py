"""Password and token guessing is throttled per username (or token) and address (django-axes).

Every login here goes through the login page, as a browser's does; the suite's Client.login passes no
request, so tests/conftest.py turns axes off and these tests turn it on.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from payung.accounts.models import ApiToken
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "10.9.8.7"
COLLEAGUE = "10.1.1.1"
LOCKED = "Terlalu banyak percobaan masuk yang gagal"


@pytest.fixture(autouse=True)
def _throttle_on(settings):
    settings.AXES_ENABLED = True


def log_in(client: Client, password: str, address: str = ATTACKER):
    return client.post("/masuk/", {"username": "operator_kupang", "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_after_thirty_wrong_passwords_the_right_one_is_refused_with_the_lockout_message(client, operator):
    for attempt in range(30):
        log_in(client, f"salah-{attempt}")
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert LOCKED in page and "30 menit" in page
    assert 'name="password"' in page  # the login page, not axes' bare English text
    assert "Account locked" not in page


def test_the_limit_is_five_and_the_fifth_failure_already_says_so(client, operator):
    answers = [log_in(client, f"salah-{attempt}") for attempt in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert LOCKED not in answers[3].content.decode()
    assert LOCKED in answers[4].content.decode()


def test_the_lockout_is_per_address_so_a_colleague_still_logs_in(operator):
    attacker, colleague = Client(), Client()
    for attempt in range(10):
        log_in(attacker, f"salah-{attempt}")
    assert log_in(colleague, PASSWORD, address=COLLEAGUE).status_code == 302
    assert logged_in(colleague)


def test_an_admin_lifts_the_lockout_with_axes_reset_username(client, operator):
    for attempt in range(6):
        log_in(client, f"salah-{attempt}")
    call_command("axes_reset_username", "operator_kupang", verbosity=0)
    assert log_in(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_behind_a_proxy_the_named_header_is_the_address(settings, operator):
    settings.PAYUNG_CLIENT_IP_HEADER = "X-Real-IP"
    attacker, colleague = Client(), Client()
    for attempt in range(6):
        attacker.post(
            "/masuk/",
            {"username": "operator_kupang", "password": f"salah-{attempt}"},
            REMOTE_ADDR="127.0.0.1",
            headers={"X-Real-IP": ATTACKER},
        )
    response = colleague.post(
        "/masuk/",
        {"username": "operator_kupang", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        headers={"X-Real-IP": COLLEAGUE},
    )
    assert response.status_code == 302


def units(client: Client, token: str, address: str = ATTACKER):
    return client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=address)


def test_guessing_api_tokens_is_throttled_even_for_the_right_token(client, operator):
    _, token = ApiToken.issue(operator, "skrip")
    assert units(client, token).status_code == 200
    guesses = [units(client, f"pyg_tebakan-{n}").status_code for n in range(5)]
    assert guesses == [401] * 5
    refused = units(client, token)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Terlalu banyak permintaan; coba lagi nanti."}
    assert units(client, token, address=COLLEAGUE).status_code == 200


def test_token_failures_do_not_lock_a_users_password_login(client, operator):
    for n in range(10):
        units(client, f"pyg_tebakan-{n}")
    assert log_in(client, PASSWORD).status_code == 302


def test_a_counted_failure_stores_no_password(client, operator):
    log_in(client, "hampir-benar-2026")
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == ATTACKER and attempt.username == "operator_kupang"
    assert "hampir-benar-2026" not in attempt.post_data
