"""What every response carries on a local start (CSP, frame and referrer policy, cookie flags), and the
API docs page: behind login, with Swagger UI from Payung's own static files."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_send_csp_frame_and_referrer_policies(client):
    response = client.get("/masuk/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP on a local start


def test_the_session_cookie_lasts_a_working_day_and_ends_with_the_browser(client, operator, settings):
    settings.AXES_ENABLED = True
    client.post("/masuk/", {"username": "operator_kupang", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 3600


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_api_docs_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/masuk/?next={path}"


def test_api_docs_load_nothing_from_another_site(client, operator):
    client.force_login(operator)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert {"/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui.css"} <= set(assets)
    assert all(asset.startswith("/static/") for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert response.headers["Content-Security-Policy"] == settings.PAYUNG_CONTENT_SECURITY_POLICY
    assert '"validatorUrl": null' in page  # Swagger UI would otherwise ask validator.swagger.io
