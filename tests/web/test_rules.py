"""The rules page, adding a version on the web, and the calculator page."""

from __future__ import annotations

import pytest

from payung.accounts.models import User
from payung.rules.models import RuleVersion

pytestmark = pytest.mark.django_db


def test_rules_page_shows_the_value_in_force_on_the_chosen_day_with_its_source(client, login):
    login("kupang")
    page = client.get("/aturan/", {"on": "15/05/2023"}).content.decode()
    assert "9.559.600" in page and "PP 45/2015" in page and "2.123.994" in page  # NTT's floor for Kupang
    in_force = '<span class="money">Rp {}</span></td>'
    before_march = client.get("/aturan/", {"on": "29/02/2024"}).content.decode()
    assert in_force.format("9.559.600") in before_march and in_force.format("10.042.300") not in before_march
    assert "Tambah versi" not in page


def test_only_who_may_set_rules_reaches_the_form(client, login):
    login("kupang")
    assert client.get("/aturan/tambah/").status_code == 404
    User.objects.create_superuser("root", password="x" * 12)
    client.login(username="root", password="x" * 12)
    response = client.post(
        "/aturan/tambah/",
        {
            "key": "pu.jp.wage_cap",
            "scope": "",
            "effective_from": "01/03/2027",
            "value": "11600000",
            "confidence": "U",
            "source": "Surat BPJS",
        },
    )
    assert response.status_code == 302
    assert RuleVersion.objects.filter(parameter_id="pu.jp.wage_cap", effective_from="2027-03-01").exists()
    again = client.post(
        "/aturan/tambah/",
        {
            "key": "pu.jp.wage_cap",
            "scope": "",
            "effective_from": "01/03/2027",
            "value": "1",
            "confidence": "U",
            "source": "x",
        },
    ).content.decode()
    assert "Sudah ada versi" in again


def test_calculator_page(client, login):
    login("kupang")
    page = client.get(
        "/kalkulator/",
        {
            "category": "pu",
            "amount": "Rp 2.500.000",
            "programs": ["JKK", "JKM"],
            "jkk_class": "1",
            "on": "01/05/2023",
        },
    ).content.decode()
    assert "13.500" in page and "PP 44/2015 pasal 18" in page
    refused = client.get(
        "/kalkulator/", {"category": "bpu", "amount": "1000000", "programs": ["JP"], "on": "01/05/2023"}
    ).content.decode()
    assert "Program JP tidak ada untuk kategori bpu" in refused


def test_a_version_reaching_issued_bills_warns_on_the_rules_page(client):
    import datetime as dt

    from payung.contributions import billing
    from payung.regions.models import Region
    from tests.contributions import world

    world.member(world.agreement(), 2_000_000, dt.date(2021, 4, 10))
    billing.generate(None, Region.objects.get(code="5371"), dt.date(2023, 5, 1))
    User.objects.create_superuser("root", password="x" * 12)
    client.login(username="root", password="x" * 12)
    form = {"key": "pu.jkm.employer", "scope": "", "effective_from": "01/05/2023", "value": "0.4",
            "confidence": "U", "source": "Uji"}  # fmt: skip
    page = client.post("/aturan/tambah/", form, follow=True).content.decode()
    assert "msg-warning" in page and "1 tagihan yang sudah dibuat (mulai Mei 2023)" in page
