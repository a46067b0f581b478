"""The bills page (/tagihan/): list and generate form; the XLSX and PDF downloads, scoped and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from payung.accounts.models import User
from payung.audit.models import AuditEvent
from payung.contributions.models import Bill
from payung.registry.models import Unit
from tests.contributions import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    make = User.objects.create_user
    finance = make("kupang.keuangan", role="finance", region_id="5371")
    limited = make("kupang.unit", role="operator", region_id="5371")
    limited.units.add(world.unit())
    return {
        "finance": finance,
        "viewer": make("kupang.lihat", role="viewer", region_id="5371"),
        "limited": limited,
        "ttu": make("ttu.keuangan", role="finance", region_id="5303"),
        "province": make("ntt", role="province", region_id="53"),
    }


@pytest.fixture
def pks():
    agreement = world.agreement()
    world.member(agreement, 2_000_000, dt.date(2021, 4, 10))
    world.member(agreement, 3_000_000, dt.date(2021, 4, 10), name="Maria Bere")
    return agreement


def test_finance_generates_a_month_and_lands_on_the_bill(client, users, pks):
    client.force_login(users["finance"])
    page = client.get(reverse("bills"))
    assert page.status_code == 200 and "Buat tagihan" in page.content.decode()
    response = client.post(reverse("bills"), {"period": "2023-05", "agreement": ""})
    bill = Bill.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bill", args=[bill.pk])
    assert bill.total == 2 * 4_800 + 2 * 6_000 + 2_400 + 3_000 and bill.generated_by == users["finance"]
    listing = client.get(reverse("bills")).content.decode()
    assert "Mei 2023" in listing and "Rp 27.000" in listing
    assert reverse("bill_xlsx", args=[bill.pk]) in listing


def test_refusals_show_on_the_form_and_change_nothing(client, users, pks):
    client.force_login(users["finance"])
    client.post(reverse("bills"), {"period": "2023-05"})
    for period, message in (
        ("2023-05", "sudah dibuat"),
        ("2024-05", "Tidak ada PKS"),
        ("2023-13", "Bulan tidak terbaca"),
    ):
        response = client.post(reverse("bills"), {"period": period})
        assert response.status_code == 400 and message in response.content.decode()
    assert Bill.objects.count() == 1
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.post(reverse("bills"), {"period": "2023-05"})
    assert "already exists" in response.content.decode()


def test_only_treasurers_see_the_form_and_may_post(client, users, pks):
    for who in ("viewer", "province"):
        client.force_login(users[who])
        page = client.get(reverse("bills"))
        assert page.status_code == 200 and "Buat tagihan" not in page.content.decode()
        assert client.post(reverse("bills"), {"period": "2023-05"}).status_code == 400
    assert not Bill.objects.exists()


def test_downloads_are_scoped_and_audited(client, users, pks):
    client.force_login(users["finance"])
    client.post(reverse("bills"), {"period": "2023-05"})
    bill = Bill.objects.get()
    xlsx = client.get(reverse("bill_xlsx", args=[bill.pk]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert "tagihan-" in xlsx["Content-Disposition"] and ".xlsx" in xlsx["Content-Disposition"]
    pdf = client.get(reverse("bill_pdf", args=[bill.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    events = AuditEvent.objects.filter(action="export", object_id=str(bill.pk), channel="web")
    assert sorted(e.after["format"] for e in events) == ["pdf", "xlsx"]
    client.force_login(users["province"])  # the province monitor reads its kab/kota's bills
    assert client.get(reverse("bill_pdf", args=[bill.pk])).status_code == 200
    for who in ("ttu", "limited"):  # another tenant; an operator limited to one unit
        client.force_login(users[who])
        assert client.get(reverse("bill_xlsx", args=[bill.pk])).status_code == 404
        assert reverse("bill_xlsx", args=[bill.pk]) not in client.get(reverse("bills")).content.decode()
    assert Unit.objects.filter(region_id="5371").exists()
