"""Authentication (bearer token, browser session with CSRF), the OpenAPI document and error bodies."""

from __future__ import annotations

import logging

from django.test import Client, RequestFactory

from payung.accounts.models import ApiToken
from payung.api.api import api as ninja_api
from tests.api.conftest import BASE
from tests.api.world import PASSWORD


def test_no_credentials_is_401_json(client, world):
    response = client.get(f"{BASE}/people")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "token" in response.json()["detail"]


def test_unknown_token_is_401(client, world):
    response = client.get(f"{BASE}/people", headers={"Authorization": "Bearer pyg_tidak-ada"})
    assert response.status_code == 401


def test_a_token_authenticates_and_records_its_use(api, world):
    token = ApiToken.objects.get(user=world.users["kupang"])
    assert token.last_used_at is None
    assert api("kupang", "get", "/units").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_inactive_users_token_stops_working(api, world):
    world.users["kupang"].is_active = False
    world.users["kupang"].save()
    assert api("kupang", "get", "/units").status_code == 401


def test_revoked_token_stops_working(api, world):
    ApiToken.objects.filter(user=world.users["kupang"]).delete()
    assert api("kupang", "get", "/units").status_code == 401


def test_browser_session_reads_and_needs_csrf_to_write(world):
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username="kupang", password=PASSWORD)
    assert browser.get(f"{BASE}/people").status_code == 200
    body = {"status": "ended", "effective_date": "2026-01-01", "reason": "Kontrak habis"}
    path = f"{BASE}/people/{world.kupang.person.pk}/status"
    refused = browser.post(path, body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.cookies.load({"csrftoken": "a" * 32})
    allowed = browser.post(path, body, content_type="application/json", headers={"X-CSRFToken": "a" * 32})
    assert allowed.status_code == 201, allowed.content


def test_openapi_document_and_docs_are_served(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("pembaca"))  # both are behind login
    schema = client.get(f"{BASE}/openapi.json").json()
    assert schema["info"]["title"] == "Payung API"
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/imports", "/api/v1/nik/{nik}"} <= set(
        schema["paths"]
    )
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "BrowserSession"}
    assert client.get(f"{BASE}/docs").status_code == 200


def test_an_unexpected_error_is_a_generic_500_and_is_logged(caplog):
    request = RequestFactory().get(f"{BASE}/people")
    with caplog.at_level(logging.ERROR, logger="payung.api"):
        response = ninja_api.on_exception(request, RuntimeError("rahasia internal"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "rahasia internal" not in body and "Traceback" not in body
    assert "kesalahan di server" in body
    assert "rahasia internal" in caplog.text


def test_messages_follow_accept_language(api, world):
    indonesian = api("kupang", "get", "/people/987654").json()["detail"]
    english = api("kupang", "get", "/people/987654", lang="en").json()["detail"]
    assert indonesian == "Tidak ditemukan."
    assert english != indonesian, "the English catalogue lacks the API's messages"
