"""The Content-Security-Policy breaks no page: Chromium reports no violation on the login page, a locked-out
login, the upload page (its script) and the API docs (Swagger UI from Payung's own static files)."""

from __future__ import annotations

import pytest

from payung.accounts.models import Role, User
from tests.accounts.conftest import KUPANG, PASSWORD
from tests.browser.conftest import log_in, screenshot


@pytest.fixture
def operator(transactional_db, settings):
    settings.AXES_ENABLED = True
    return User.objects.create_user(
        "operator_kupang", password=PASSWORD, role=Role.OPERATOR, region_id=KUPANG
    )


def watch(page) -> list[str]:
    """Console errors and blocked requests: a CSP violation shows as either."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"{request.url}: {request.failure}"))
    return problems


def offline(page, live_server) -> list[str]:
    """Cut the browser off from every other site, as on a Pemda network without internet: any request
    that is not to Payung fails, and is listed."""
    outside: list[str] = []

    def only_payung(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.context.route("**/*", only_payung)
    return outside


def test_pages_and_api_docs_run_under_the_policy_without_internet(page, live_server, operator):
    """Issue 13, point 5: /api/v1/docs was blank without internet (Swagger UI from a CDN)."""
    outside = offline(page, live_server)
    problems = watch(page)
    log_in(page, live_server, "operator_kupang", PASSWORD)
    page.goto(f"{live_server.url}/impor/")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")  # the operations, read from openapi.json
    assert page.locator(".opblock").count() >= 30  # every operation listed, not an empty shell
    page.locator(".opblock").first.click()  # and it works: an operation opens
    page.wait_for_selector(".opblock-body")
    screenshot(page, "api-docs")
    assert outside == [] and problems == []


def test_the_lockout_message_shows_on_the_login_page(page, live_server, operator):
    problems = watch(page)
    page.goto(f"{live_server.url}/masuk/")
    for attempt in range(5):
        page.fill("#id_username", "operator_kupang")
        page.fill("#id_password", f"salah-{attempt}")
        page.click("button.primary")
    alert = page.locator(".alert").inner_text()
    assert "Terlalu banyak percobaan masuk yang gagal" in alert
    screenshot(page, "login-locked")
    assert [p for p in problems if "429" not in p] == []  # the page itself answers 429 by design
