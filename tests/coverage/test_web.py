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
    assert "Kepesertaan" in page and agreement.number in page and "9 Apr 2024" in page


def test_list_warns_90_and_30_days_before_the_end(finance, kupang):
    today = dt.date.today()
    kupang.agreement(valid_from=today - dt.timedelta(days=400), valid_to=today + dt.timedelta(days=25))
    kupang.agreement(
        number="B", groups=["teacher"], valid_from=today - dt.timedelta(days=400),
        valid_to=today + dt.timedelta(days=80),
    )  # fmt: skip
    kupang.agreement(number="C", groups=["rt_rw"], valid_from=today, valid_to=today + dt.timedelta(days=400))
    page = finance.get(reverse("agreements"))
    levels = [row["level"] for row in page.context["rows"]]
    assert sorted(levels, key=str) == sorted([30, 90, None], key=str)
    assert "25 hari lagi" in page.content.decode() and "80 hari lagi" in page.content.decode()


def test_operator_reads_but_the_write_pages_do_not_exist(operator, kupang):
    agreement = kupang.agreement()
    assert operator.get(reverse("agreement", args=[agreement.pk])).status_code == 200
    assert operator.get(reverse("agreement_create")).status_code == 404
    assert operator.post(reverse("agreement_enrol", args=[agreement.pk])).status_code == 404
    assert "Daftarkan peserta" not in operator.get(reverse("agreement", args=[agreement.pk])).content.decode()
