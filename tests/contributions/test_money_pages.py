"""The bill page, the payment form, the arrears page and the person ledger: scoped, masked, Indonesian."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from payung.accounts.models import Role, User
from payung.contributions.models import Payment
from tests.api.world import PASSWORD, build
from tests.contributions import money

pytestmark = pytest.mark.django_db
MAY = dt.date(2023, 5, 1)


@pytest.fixture
def world(db, tmp_path):
    return money_world(tmp_path)


def money_world(tmp_path):
    """tests.api's two tenants, a treasurer each, a Kupang May 2023 bill with a correction line, and six
    unpaid months of a TTU BPU agreement (its one member has lapsed)."""
    world = build(tmp_path)
    for name, code in (("kupang_finance", "5371"), ("ttu_finance", "5303")):
        world.users[name] = User.objects.create_user(
            name, password=PASSWORD, role=Role.FINANCE, region_id=code
        )
    kupang, ttu = world.kupang, world.ttu
    world.bill = money.bill(
        money.agreement(kupang.region, "PKS/KPG/2021"),
        MAY,
        [
            money.Line(kupang.person, kupang.unit, "JKK", 5_400),
            money.Line(kupang.person, kupang.unit, "JKM", 6_750),
            money.Line(kupang.twin, kupang.unit, "JKK", 5_400),
            money.Line(kupang.twin, kupang.unit, "JKM", 6_750),
            money.Line(kupang.twin, kupang.unit, "JKK", 1_200, period=dt.date(2023, 4, 1)),
        ],
    )
    bpu = money.agreement(ttu.region, "PKS/TTU/BPU", category="bpu", valid_to=dt.date(2025, 12, 31))
    world.ttu_bills = [
        money.bill(
            bpu, month, [money.Line(ttu.person, ttu.unit, "JKM", 6_800)], due_date=month.replace(day=15)
        )
        for month in money.months(dt.date(2023, 1, 1), 6)
    ]
    return world


def browser(world, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_bill_page_shows_totals_masked_lines_and_the_form(world):
    bill = world.bill
    page = browser(world, "kupang_finance").get(reverse("bill", args=[bill.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "PKS/KPG/2021" in html and "Mei 2023" in html and "Lewat jatuh tempo" in html
    assert '<span class="money">Rp 25.500</span>' in html  # the whole bill, the adjustment included
    assert '<span class="money">Rp 24.300</span>' in html  # this month's lines, in both totals tables
    assert "Koreksi bulan lalu" in html and '<span class="money">Rp 1.200</span>' in html
    person = world.kupang.person
    assert person.nik not in html and person.nik[:6] + "********" + person.nik[14:] in html
    assert f'action="/tagihan/{bill.pk}/bayar/"' in html


def test_viewer_reads_but_cannot_pay(world):
    viewer = browser(world, "kupang_viewer")
    html = viewer.get(reverse("bill", args=[world.bill.pk])).content.decode()
    assert "Catat pembayaran" not in html
    data = {"paid_on": "10/06/2023", "amount": "1.000", "reference": "SP2D-1"}
    assert viewer.post(reverse("bill_pay", args=[world.bill.pk]), data).status_code == 404
    assert not Payment.objects.exists()


def test_paying_through_the_form(world):
    finance = browser(world, "kupang_finance")
    url = reverse("bill_pay", args=[world.bill.pk])
    too_much = finance.post(url, {"paid_on": "10/06/2023", "amount": "Rp 25.501", "reference": "SP2D-1"})
    assert too_much.status_code == 200
    assert "Pembayaran melebihi sisa tagihan Rp 25.500." in too_much.content.decode()
    assert not Payment.objects.exists()
    done = finance.post(
        url, {"paid_on": "10/06/2023", "amount": "10.000", "reference": "SP2D-1"}, follow=True
    )
    html = done.content.decode()
    assert "Pembayaran Rp 10.000 dicatat. Sisa tagihan Rp 15.500." in html and "SP2D-1" in html
    assert Payment.objects.get().amount == 10_000


def test_pages_of_another_tenant_are_404(world):
    finance = browser(world, "kupang_finance")
    ttu_bill = world.ttu_bills[0]
    assert finance.get(reverse("bill", args=[ttu_bill.pk])).status_code == 404
    data = {"paid_on": "10/01/2023", "amount": "100", "reference": "X"}
    assert finance.post(reverse("bill_pay", args=[ttu_bill.pk]), data).status_code == 404
    assert finance.get(reverse("ledger", args=[world.ttu.person.pk])).status_code == 404
    assert browser(world, "province").get(reverse("bill", args=[ttu_bill.pk])).status_code == 200
    assert (
        browser(world, "ttu_finance").post(reverse("bill_pay", args=[ttu_bill.pk]), data).status_code == 302
    )
    assert not Payment.objects.exclude(bill=ttu_bill).exists()


def test_arrears_page_with_fines_and_lapsed_people(world):
    html = browser(world, "kupang_finance").get(reverse("arrears")).content.decode()
    assert "PKS/KPG/2021" in html and "PKS/TTU/BPU" not in html and "Yohanes Kefi" not in html
    monitor = browser(world, "province").get(reverse("arrears")).content.decode()
    assert "Kepesertaan BPU nonaktif" in monitor and "Yohanes Kefi" in monitor
    nik = world.ttu.person.nik
    assert nik not in monitor and nik[:6] + "********" + nik[14:] in monitor
    before = browser(world, "province").get(reverse("arrears"), {"tanggal": "2023-02-01"}).content.decode()
    assert (
        "Keadaan pada 01-02-2023" in re.sub(r"<[^>]+>", "", before)
        and "Kepesertaan BPU nonaktif" not in before
    )


def test_ledger_page_and_the_link_to_it(world):
    finance = browser(world, "kupang_finance")
    twin = world.kupang.twin
    assert (
        reverse("ledger", args=[twin.pk]) in finance.get(reverse("person", args=[twin.pk])).content.decode()
    )
    html = finance.get(reverse("ledger", args=[twin.pk])).content.decode()
    assert "Buku besar iuran" in html and "koreksi" in html and "Belum dibayar" in html
    assert twin.nik not in html


def test_a_credit_bill_says_what_is_owed_back_and_offers_no_payment(world):
    """Corrections above the month (a late death of several people): never "Lunas", nothing to pay."""
    kupang = world.kupang
    credit = money.bill(
        money.agreement(kupang.region, "PKS/KPG/2022"),
        MAY,
        [
            money.Line(kupang.person, kupang.unit, "JKM", 6_750),
            money.Line(kupang.twin, kupang.unit, "JKM", -20_250, period=dt.date(2023, 2, 1)),
        ],
    )
    html = browser(world, "kupang_finance").get(reverse("bill", args=[credit.pk])).content.decode()
    heading = html[html.index("<h1>") : html.index("</h1>")]
    assert 'st-open">Kredit</span>' in heading and "Lunas" not in heading
    assert 'bernilai kredit <span class="money">Rp 13.500</span>' in html
    assert f'action="/tagihan/{credit.pk}/bayar/"' not in html
