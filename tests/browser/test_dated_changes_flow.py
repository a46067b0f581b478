"""Ubah upah and Mutasi in a browser: the person page's two actions, both forms with an error next to its
field, at 1366 and 390 px in Indonesian and English (test-artifacts/screens/person-*-wage|transfer-*)."""

from __future__ import annotations

import datetime as dt

from payung.registry import services
from payung.registry.models import Unit
from payung.registry.services import EngagementData
from tests.api.world import PASSWORD, build
from tests.browser.conftest import DESKTOP, PHONE, layout_faults, log_in, screenshot, switch_language


def test_wage_change_and_transfer_forms(transactional_db, live_server, open_context, tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build(tmp_path)
    kupang = world.kupang
    Unit.objects.create(region=kupang.region, code="DINKES", name="Dinas Kesehatan", kind="opd")
    person = kupang.person
    engagement = person.engagements.get()
    engagement.position, engagement.start_date, engagement.monthly_wage = (
        "Petugas kebersihan",
        dt.date(2024, 1, 1),
        2_250_000,
    )
    engagement.save()
    services.add_engagement(
        None, person, EngagementData(unit_id=Unit.objects.get(code="DINKES").pk, group="rentan")
    )
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        for lang in ("id", "en"):
            page = open_context(viewport, "id").new_page()
            log_in(page, live_server, "kupang", PASSWORD)
            if lang == "en":
                switch_language(page, "en")
            page.goto(f"{live_server.url}/orang/{person.pk}/")
            assert page.locator(f"a[href='/penugasan/{engagement.pk}/upah/']").count() == 1
            assert layout_faults(page) == [], (size, lang)
            screenshot(page, f"person-actions-{size}-{lang}")
            page.goto(f"{live_server.url}/penugasan/{engagement.pk}/upah/")
            page.fill("#id_monthly_wage", "2.500.000")
            page.fill("#id_effective_date", "01-01-2020")
            page.fill("#id_reason", "UMK 2026")
            page.click("form.form button.primary")
            assert page.locator(".field.invalid").count() == 1
            assert layout_faults(page) == [], (size, lang)
            screenshot(page, f"person-wage-{size}-{lang}")
            page.goto(f"{live_server.url}/penugasan/{engagement.pk}/mutasi/")
            page.fill("#id_effective_date", "31-02-2026")
            page.click("form.form button.primary")
            assert page.locator(".field.invalid").count() == 3  # unit, date, reason
            assert layout_faults(page) == [], (size, lang)
            screenshot(page, f"person-transfer-{size}-{lang}")
