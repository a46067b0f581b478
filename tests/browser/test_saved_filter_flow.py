"""Saved filters in Chromium: an operator filters the people list, saves it as "Kantor Namosain", finds it
listed (and applies it again with one click); a finance officer then makes next year's budget scenario of
that filter's people. Screens at 1366 and 390 px, in Indonesian and English."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from payung.accounts.models import Role, User
from payung.budget.models import Scenario
from payung.registry.models import SavedFilter, Unit
from tests.browser.conftest import DESKTOP, PHONE, layout_faults, log_in, screenshot
from tests.contributions import world

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def kupang(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    pks = world.agreement(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2030, 12, 31))
    office = Unit.objects.create(region_id="5371", code="DN", name="Kantor Kelurahan Namosain",
                                 kind="village", village_id="5371011001")  # fmt: skip
    for wage in (2_000_000, 2_000_000):
        world.member(pks, wage, dt.date(2024, 6, 1), place=office)
    world.member(pks, 3_000_000, dt.date(2024, 6, 1))
    User.objects.create_user("kupang.op", password=PASSWORD, role=Role.OPERATOR, region_id="5371")
    User.objects.create_user("kupang.fin", password=PASSWORD, role=Role.FINANCE, region_id="5371")
    return office


def test_save_a_filter_then_budget_its_people(kupang, page, open_context, live_server):
    base = live_server.url
    log_in(page, live_server, "kupang.op", PASSWORD)
    page.goto(f"{base}/orang/")
    page.select_option("#f-unit", str(kupang.pk))
    page.select_option("#f-group", "non_asn")
    page.locator("form.filters button.primary").click()
    page.fill("#f-name", "Kantor Namosain")
    page.get_by_role("button", name="Simpan filter ini").click()
    page.wait_for_url(re.compile(r".*/orang/\?unit=\d+&group=non_asn$"))
    assert SavedFilter.objects.get().criteria == {"unit": kupang.pk, "group": "non_asn"}
    assert "Kantor Namosain" in page.locator("#filter-tersimpan").inner_text()
    for lang in ("id", "en"):
        for size in (DESKTOP, PHONE):
            shot = open_context(size, lang).new_page()
            log_in(shot, live_server, "kupang.op", PASSWORD)
            shot.goto(f"{base}/orang/?unit={kupang.pk}&group=non_asn")
            assert layout_faults(shot) == []
            screenshot(shot, f"saved-filter-people-{size['width']}-{lang}")

    page = open_context().new_page()
    log_in(page, live_server, "kupang.fin", PASSWORD)
    year = dt.date.today().year + 1
    page.goto(f"{base}/anggaran/?tahun={year}")
    page.locator("#skenario-baru summary").click()
    page.fill("[name=name]", "Namosain")
    page.select_option("[name=saved_filter]", label="Kantor Namosain")
    screenshot(page, "saved-filter-budget-form-1366-id")
    page.locator("#skenario-baru button.primary").click()
    page.wait_for_url(re.compile(r".*/anggaran/skenario/\d+/$"))
    made = Scenario.objects.get(name="Namosain")
    assert made.parts.get().label == "Kantor Namosain"
    row = page.locator("tr", has_text="Kantor Namosain").first
    assert "2" in row.inner_text()
    screenshot(page, "saved-filter-scenario-1366-id")
