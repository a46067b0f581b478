"""Issue 10's acceptance test: a death in Kota Kupang, from the person's page to the money in the heirs'
hands, in Chromium.

The Kupang operator (demo user kupang.operator) records the death of a demo non-ASN whose bills are paid,
sees Rp 42,000,000 and the children who qualify for scholarships, adds two heirs, ticks off the documents,
prints the letter to BPJS, records the claim as submitted and paid; then records the death of someone whose
months the Pemda left unpaid and sees why that claim is at risk, and that it is the Pemda's fault. Every
screen is photographed at 1366 and 390 px, in Indonesian and English (test-artifacts/screens/claims-*.png).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from payung.claims.models import Claim
from payung.contributions import arrears
from payung.contributions.models import Bill, BillLine
from payung.coverage.models import Membership
from payung.demo.users import DEMO_USERS
from payung.registry.nik import compose
from tests.browser.conftest import PHONE, log_in, screenshot, switch_language

OPERATOR = next(u for u in DEMO_USERS if u.username == "kupang.operator")


@pytest.fixture
def kupang(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    call_command("demo-data", region=["5371"], scale=0.2, verbosity=0)
    call_command("demo-coverage", region=["5371"], verbosity=0)
    call_command("demo-users", verbosity=0)


def fill_date(page, selector: str, day: dt.date) -> None:
    """A date as the form's widget takes it: ISO in a date picker, else the Indonesian order."""
    field = page.locator(selector)
    field.fill(day.isoformat() if field.get_attribute("type") == "date" else day.strftime("%d-%m-%Y"))


def paid_up_death() -> tuple[object, dt.date]:
    """A member and a day whose months are all billed and paid: the 10th of the second billed month."""
    bills = list(Bill.objects.filter(region_id="5371").order_by("period"))
    day = bills[1].period.replace(day=10)
    member = (
        Membership.objects.filter(region_id="5371", start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .exclude(person__claims__isnull=False)
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    return member.person, day


def unpaid_person():
    """The last person on the half-paid bill: the partial payment never reached their lines."""
    half_paid = next(b for b in Bill.objects.filter(region_id="5371") if 0 < arrears.paid(b) < b.total)
    line = BillLine.objects.filter(bill=half_paid).order_by(*[o.desc() for o in arrears.line_order()]).first()
    return line.person


def record_death(page, base: str, person, day: dt.date, *, children: int = 0) -> Claim:
    page.goto(f"{base}/orang/{person.pk}/")
    page.click(f"a[href='/orang/{person.pk}/peristiwa/']")
    page.check("input[name=kind][value=death]")
    fill_date(page, "#id_occurred_on", day)
    page.fill("#id_place", "RSUD S.K. Lerik")
    page.fill("#id_cause", "Sakit jantung")
    page.fill("#id_reporter", "Istri almarhum")
    fill_date(page, "#id_member_since", dt.date(2021, 4, 10))  # the KPJ card: seed 001's first PKS
    page.fill("#id_children", str(children))
    screenshot(page, "claims-1-event-form")
    page.locator("form.form button.primary").click()
    page.wait_for_url(re.compile(r".*/klaim/\d+/$"))
    return Claim.objects.get(person=person, event__kind="death")


def add_heir(page, base: str, claim: Claim, relation: str, name: str, nik: str) -> None:
    page.goto(f"{base}/klaim/{claim.pk}/")
    page.click(f"a[href='/klaim/{claim.pk}/ahli-waris/']")
    page.select_option("#id_relation", relation)
    page.fill("#id_nik", nik)
    page.fill("#id_name", name)
    screenshot(page, "claims-3-heir-form")
    page.locator("form.form button.primary").click()
    page.wait_for_url(re.compile(rf".*/klaim/{claim.pk}/$"))


def test_a_death_from_the_person_page_to_the_money_in_the_heirs_hands(kupang, live_server, page, tmp_path):
    base = live_server.url
    log_in(page, live_server, OPERATOR.username, OPERATOR.password)
    person, day = paid_up_death()
    claim = record_death(page, base, person, day, children=2)

    benefit = page.locator("section.card", has=page.locator("h2", has_text="Manfaat")).inner_text()
    assert "Rp 42.000.000" in benefit and "Beasiswa untuk 2 anak" in benefit
    assert "Terlindungi" in page.locator(".badge.st-active").first.inner_text()
    screenshot(page, "claims-2-claim")

    surname = person.name.split()[-1]
    add_heir(
        page, base, claim, "spouse", f"Yuliana {surname}", compose("537101", dt.date(1987, 2, 2), "P", 41)
    )
    add_heir(page, base, claim, "child", f"Agnes {surname}", compose("537101", dt.date(2013, 6, 1), "P", 42))
    heirs = page.locator("#ahli-waris").inner_text()
    assert f"Yuliana {surname}" in heirs and f"Agnes {surname}" in heirs and "Rp 21.000.000" in heirs

    boxes = page.locator("#dokumen input[type=checkbox]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.fill("#dokumen input[name=note_death_certificate]", "5371-KM-12082025-0042")
    page.click("#dokumen button")
    page.wait_for_url(re.compile(rf".*/klaim/{claim.pk}/$"))
    assert "Lengkap" in page.locator("#dokumen .badge").inner_text()
    claim.refresh_from_db()
    assert claim.state == "complete"
    screenshot(page, "claims-4-documents-complete")

    with page.expect_download() as download:
        page.click(f"a[href='/klaim/{claim.pk}/surat.pdf']")
    letter = tmp_path / download.value.suggested_filename
    download.value.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF") and letter.stat().st_size > 1_500

    fill_date(page, "#id_submitted_on", day + dt.timedelta(days=14))
    page.fill("#id_bpjs_reference", "TT/KPG/0042")
    page.click(f"form[action='/klaim/{claim.pk}/ajukan/'] button")
    page.wait_for_url(re.compile(rf".*/klaim/{claim.pk}/$"))
    fill_date(page, "#id_decided_on", day + dt.timedelta(days=18))
    page.fill("#id_paid_amount", "42.000.000")
    page.click(f"form[action='/klaim/{claim.pk}/putusan/'] button")
    page.wait_for_url(re.compile(rf".*/klaim/{claim.pk}/$"))
    assert "Dibayar BPJS Rp 42.000.000" in page.locator("#bpjs").inner_text()
    claim.refresh_from_db()
    assert (claim.state, claim.paid_amount, claim.difference) == ("paid", 42_000_000, 0)
    screenshot(page, "claims-5-paid")

    at_risk = record_death(page, base, unpaid_person(), timezone.localdate())
    verdict = page.locator("section.card", has=page.locator("h2", has_text="Terlindungi pada hari itu?"))
    text = verdict.inner_text()
    assert "Berisiko" in text and "Kelalaian Pemda" in text and "belum dibayar Pemda" in text
    assert at_risk.eligibility["pemda_fault"] and at_risk.verdict == "at_risk"
    screenshot(page, "claims-6-at-risk")
    page.goto(f"{base}/klaim/")
    assert page.locator("tbody tr").count() >= 2
    screenshot(page, "claims-7-list")


def test_every_claim_screen_on_a_phone_and_in_english(kupang, live_server, open_context):
    call_command("demo-claims", region=["5371"], verbosity=0)
    claim = Claim.objects.filter(state="paid", program="JKM").first()
    person = Membership.objects.filter(region_id="5371").exclude(person__claims__isnull=False).first().person
    paths = {
        "list": "/klaim/",
        "claim": f"/klaim/{claim.pk}/",
        "event-form": f"/orang/{person.pk}/peristiwa/",
        "heir-form": f"/klaim/{Claim.objects.filter(state='draft').first().pk}/ahli-waris/",
        "details-form": f"/klaim/{Claim.objects.filter(state='draft').first().pk}/ubah/",
    }
    for size, viewport in (("phone", PHONE), ("desktop", None)):
        for lang in ("id", "en"):
            page = open_context(viewport, lang).new_page()
            log_in(page, live_server, OPERATOR.username, OPERATOR.password)
            if lang == "en":
                switch_language(page, "en")
            for name, path in paths.items():
                assert page.goto(live_server.url + path).status == 200, name
                body = page.locator("main").inner_text()
                if lang == "en":  # no Indonesian left on the English pages (names and numbers aside)
                    assert not re.search(r"\b(Peristiwa|Ahli waris|Terlindungi|Simpan|Dokumen)\b", body), name
                screenshot(page, f"claims-{name}-{size}-{lang}")
