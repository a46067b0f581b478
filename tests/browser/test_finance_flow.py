"""Issue 3's acceptance test: Kota Kupang's finance office, from the agreement to the arrears, in Chromium.

The finance user (demo user kupang.keuangan) records the PKS of seed 001 (10 Apr 2021 - 9 Apr 2024, JKK risk
class 1 at 0.24 % and JKM at 0.30 %, paid from the APBD), enrols the demo non-ASN, generates the May 2023
bill, downloads it as XLSX, records a partial payment and finds the rest on the arrears page; a bill for
May 2024 is refused because the agreement has ended. Every step leaves test-artifacts/screens/finance-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Q

from payung.contributions.calculator import share
from payung.contributions.models import Bill, Payment
from payung.coverage.models import Agreement, Membership
from payung.demo.users import DEMO_USERS
from payung.registry.models import Engagement
from tests.browser.conftest import log_in, screenshot

FINANCE = next(u for u in DEMO_USERS if u.username == "kupang.keuangan")
NUMBER = "PKS/001/BPJS-KPG/IV/2021"
RATES = {"JKK": Decimal("0.24"), "JKM": Decimal("0.30")}


@pytest.fixture
def kupang(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "files"
    call_command("demo-data", region=["5371"], verbosity=0)
    call_command("demo-users", verbosity=0)


def choose(page, name: str, *values: str) -> None:
    """Pick ``values`` in the field called ``name``, whether the form shows a select, radios or boxes."""
    field = page.locator(f"[name={name}]").first
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(list(values))
        return
    for value in values:
        page.check(f"input[name={name}][value='{value}']")


def create_agreement(page, base: str) -> Agreement:
    page.goto(f"{base}/pks/baru/")
    page.fill("[name=number]", NUMBER)
    page.fill("[name=pemda_party]", "Pemerintah Kota Kupang")
    page.fill("[name=bpjs_branch]", "BPJS Ketenagakerjaan Cabang Kupang")
    page.fill("[name=signed_on]", "01/04/2021")
    page.fill("[name=valid_from]", "10/04/2021")
    page.fill("[name=valid_to]", "09/04/2024")
    choose(page, "category", "pu")
    choose(page, "groups", "non_asn")
    choose(page, "programs", "JKK", "JKM")
    choose(page, "jkk_class", "1")
    choose(page, "funding_source", "apbd")
    screenshot(page, "finance-1-agreement-form")
    page.locator("form.form button.primary").click()
    page.wait_for_url(re.compile(r".*/pks/\d+/$"))
    screenshot(page, "finance-2-agreement")
    agreement = Agreement.objects.get(region_id="5371", number=NUMBER)
    assert (agreement.programs, agreement.jkk_class, agreement.funding_source) == (["JKK", "JKM"], 1, "apbd")
    return agreement


def enrol(page, base: str, agreement: Agreement) -> int:
    page.goto(f"{base}/pks/{agreement.pk}/")
    page.locator(f"form[action$='/pks/{agreement.pk}/peserta/'] button").click()
    page.wait_for_load_state()
    screenshot(page, "finance-3-enrolled")
    people = Membership.objects.filter(agreement=agreement).values("person").distinct().count()
    non_asn = Engagement.objects.filter(person__region_id="5371", group="non_asn").values("person").distinct()
    assert 2_000 <= people <= non_asn.count()
    return people


def generate(page, base: str, period: str) -> None:
    page.goto(f"{base}/tagihan/")
    page.fill("#id_period", period)
    page.locator("form.form button.primary").click()
    page.wait_for_load_state()


def test_finance_office_from_agreement_to_arrears(kupang, live_server, page, tmp_path):
    base = live_server.url
    log_in(page, live_server, FINANCE.username, FINANCE.password)
    agreement = create_agreement(page, base)
    people = enrol(page, base, agreement)

    generate(page, base, "2023-05")
    page.wait_for_url(re.compile(r".*/tagihan/\d+/$"))
    bill = Bill.objects.get(agreement=agreement)
    covered_in_may = (
        Membership.objects.filter(agreement=agreement, start__lte=dt.date(2023, 5, 31))
        .filter(Q(end__isnull=True) | Q(end__gte=dt.date(2023, 5, 1)))
        .values("person")
        .distinct()
        .count()
    )  # the agreement bills a full month for any covered day in it (mid-month rule any_day)
    assert 1_500 <= bill.people == covered_in_may <= people and bill.lines.count() == 2 * bill.people
    for basis, program, total in bill.lines.values_list("basis", "program", "total")[:500]:
        assert total == share(basis, RATES[program])  # JKK class 1 at 0.24 %, JKM at 0.30 %
    assert bill.total == sum(bill.lines.values_list("total", flat=True))
    screenshot(page, "finance-4-bill")

    with page.expect_download() as download:
        page.locator("a[href$='/unduh.xlsx']").first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    assert len(book.sheetnames) >= 2  # a summary and the per-unit / per-person sheets
    assert _numbers_in(book).issuperset({bill.total})

    partial = bill.total // 2
    page.click("#bayar summary")  # the payment form opens under its button
    page.fill("#id_paid_on", "20-06-2023")
    page.fill("#id_amount", f"{partial:,}".replace(",", "."))
    page.fill("#id_reference", "SP2D-0456/LS/BPKAD/2023")
    page.locator("#bayar button.primary").click()
    page.wait_for_url(re.compile(rf".*/tagihan/{bill.pk}/$"))
    assert page.locator(".msg-success").count() == 1
    assert Payment.objects.get(bill=bill).amount == partial
    screenshot(page, "finance-5-partly-paid")

    page.click("nav.main-nav a[href='/tunggakan/']")
    row = page.locator("tr", has=page.locator(f"a[href='/tagihan/{bill.pk}/']"))
    left = f"Rp {bill.total - partial:,}".replace(",", ".")
    assert left in row.inner_text()
    screenshot(page, "finance-6-arrears")

    generate(page, base, "2024-05")
    assert "Tidak ada PKS Kota Kupang yang berlaku" in page.locator(".alert").first.inner_text()
    assert Bill.objects.count() == 1  # refused: the agreement ended on 9 April 2024
    screenshot(page, "finance-7-may-2024-refused")


def _numbers_in(book) -> set[int]:
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            found.update(v for v in row if isinstance(v, int))
    return found
