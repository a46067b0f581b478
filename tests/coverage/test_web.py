"""The PKS pages: list with expiry warnings, forms with inline messages, detail with enrolment and the
registration round trip, and the person page's coverage periods."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from payung.coverage.models import Agreement, Membership, RegistrationBatch

D = dt.date
FORM = {
    "number": "560/PKS/001/IV/2021", "pemda_party": "Pemerintah Kota Kupang",
    "bpjs_branch": "BPJS Ketenagakerjaan Cabang Kupang", "signed_on": "01/04/2021",
    "valid_from": "10/04/2021", "valid_to": "09/04/2024", "category": "pu", "groups": ["non_asn"],
    "programs": ["JKK", "JKM"], "jkk_class": "1", "funding_source": "apbd",
    "budget_account": "5.1.02.01.01.0003", "mid_month_rule": "any_day",
}  # fmt: skip


@pytest.fixture
def finance(kupang) -> Client:
    browser = Client()
    browser.force_login(kupang.finance)
    return browser


@pytest.fixture
def operator(kupang) -> Client:
    browser = Client()
    browser.force_login(kupang.operator)
    return browser


def test_create_shows_service_errors_next_to_their_fields(finance):
    page = finance.post(reverse("agreement_create"), {**FORM, "valid_to": "01/01/2021", "jkk_class": ""})
    assert page.status_code == 200 and not Agreement.objects.exists()
    form = page.context["form"]
    assert "valid_to" in form.errors and "jkk_class" in form.errors
    assert "Akhir masa berlaku harus sesudah awal masa berlaku." in page.content.decode()


def test_create_enrol_register_reply_and_see_it_on_the_person_page(finance, kupang, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    created = finance.post(reverse("agreement_create"), FORM)
    agreement = Agreement.objects.get()
    assert created.url == reverse("agreement", args=[agreement.pk])
    finance.post(reverse("agreement_enrol", args=[agreement.pk]))
    assert Membership.objects.count() == 1
    detail = finance.get(reverse("agreement", args=[agreement.pk])).content.decode()
    assert "Dinas Lingkungan Hidup" in detail and "Buat berkas untuk 1 orang" in detail
    finance.post(reverse("registration_create", args=[agreement.pk]))
    batch = RegistrationBatch.objects.get()
    download = finance.get(reverse("registration_file", args=[batch.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    book = Workbook()
    book.active.append(["NIK", "No KPJ", "Status"])
    book.active.append([person.nik, "23012345678", "Terdaftar"])
    book.active.append(["999", "", "Terdaftar"])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "balasan.xlsx"
    answer = finance.post(reverse("registration_reply", args=[batch.pk]), {"file": buffer})
    text = answer.content.decode()
    assert answer.status_code == 200 and "1 terdaftar" in text and "baris 3" in text and "16 digit" in text
    person.refresh_from_db()
    assert person.kpj == "23012345678"
    page = finance.get(reverse("person", args=[person.pk])).content.decode()
    assert "Kepesertaan" in page and agreement.number in page and "09-04-2024" in page


def test_list_warns_90_and_30_days_before_the_end(finance, kupang):
    today = dt.date.today()
    kupang.agreement(valid_from=today - dt.timedelta(days=400), valid_to=today + dt.timedelta(days=25))
    kupang.agreement(
        number="B", groups=["teacher"], valid_from=today - dt.timedelta(days=400),
        valid_to=today + dt.timedelta(days=80),
    )  # fmt: skip
    kupang.agreement(number="C", groups=["rt_rw"], valid_from=today, valid_to=today + dt.timedelta(days=400))
    page = finance.get(reverse("agreements"))
    levels = [row["cover"] and row["cover"].level for row in page.context["rows"]]
    assert sorted(levels, key=str) == sorted([30, 90, None], key=str)
    assert "25 hari lagi" in page.content.decode() and "80 hari lagi" in page.content.decode()


def test_warned_90_and_30_days_before_every_covered_person_loses_cover(finance, kupang):
    """Issue 13: the demo's Kupang PKS runs to April 2027 but every contract ends 31 Dec 2026; nothing
    warned, and January's bill came out for 0 people. The agreement page, the list and the bills page now
    warn before the last membership ends, and say when nobody is covered any more."""
    from payung.coverage import enrolment

    today = dt.date.today()
    ends = today + dt.timedelta(days=25)
    kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2020, 1, 1), end=ends)
    kupang.hire("Maria Taolin", kupang.dinkes, start=D(2020, 1, 1), end=today + dt.timedelta(days=10))
    agreement = kupang.agreement(valid_from=today - dt.timedelta(400), valid_to=today + dt.timedelta(400))
    enrolment.sync(agreement)
    shown = f"{ends:%d-%m-%Y}"
    for name, args in (("agreement", [agreement.pk]), ("agreements", []), ("bills", [])):
        page = finance.get(reverse(name, args=args)).content.decode()
        assert "Semua peserta PKS" in page and shown in page and "25 hari lagi" in page, name
    # Once every period has ended while the agreement runs on: nobody is covered, said as such.
    Membership.objects.filter(agreement=agreement).update(end=today - dt.timedelta(days=1))
    page = finance.get(reverse("agreement", args=[agreement.pk])).content.decode()
    assert "Tidak ada lagi peserta PKS" in page
    assert "Tanpa peserta terlindungi" in finance.get(reverse("agreements")).content.decode()


def test_operator_reads_but_the_write_pages_do_not_exist(operator, kupang):
    agreement = kupang.agreement()
    assert operator.get(reverse("agreement", args=[agreement.pk])).status_code == 200
    assert operator.get(reverse("agreement_create")).status_code == 404
    assert operator.post(reverse("agreement_enrol", args=[agreement.pk])).status_code == 404
    assert "Daftarkan peserta" not in operator.get(reverse("agreement", args=[agreement.pk])).content.decode()


def test_a_kpj_conflict_is_listed_on_the_agreement_and_decided_there(finance, operator, kupang):
    from payung.coverage import enrolment
    from payung.coverage.models import RegistrationEntry

    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    batch = RegistrationBatch.objects.create(agreement=agreement)
    type(person).objects.filter(pk=person.pk).update(kpj="11111111111")
    entry = RegistrationEntry.objects.create(batch=batch, person=person, state="conflict", kpj="23012345678")
    page = finance.get(reverse("agreement", args=[agreement.pk])).content.decode()
    assert "KPJ berbeda dari balasan BPJS" in page and "23012345678" in page and "11111111111" in page
    assert person.nik not in page
    seen = operator.get(reverse("agreement", args=[agreement.pk])).content.decode()
    assert "registration_resolve" not in seen and "Pakai KPJ BPJS" not in seen
    url = reverse("registration_resolve", args=[entry.pk])
    assert operator.post(url, {"choice": "bpjs"}).status_code == 404
    done = finance.post(url, {"choice": "bpjs"})
    assert done.status_code == 302 and done.url.endswith("#kpj-berbeda")
    person.refresh_from_db()
    assert person.kpj == "23012345678"
    assert "KPJ berbeda dari balasan BPJS" not in finance.get(done.url).content.decode()
