"""The dated changes as an operator reaches them: "Ubah upah" and "Mutasi" on the person's page and the
API's .../wage and .../transfer. They split the membership at the date (the next bill corrects the months
already billed) instead of overwriting the engagement, refuse bad input in Indonesian and hide another
region's or unit's engagement (404)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from payung.accounts.models import ApiToken, Role, User
from payung.audit.models import AuditEvent
from payung.contributions import billing
from payung.contributions.models import BillLine, LineKind
from payung.coverage import enrolment
from payung.coverage.models import Membership
from payung.regions.models import Region
from payung.registry.models import Engagement

BASE = "/api/v1"
D = dt.date


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(client, user, path: str, body: dict):
    token = ApiToken.issue(user, "uji")[1]
    headers = {"Authorization": f"Bearer {token}"}
    return client.post(BASE + path, json.dumps(body), content_type="application/json", headers=headers)


def periods(person) -> list[tuple]:
    rows = Membership.objects.filter(person=person).order_by("start")
    return list(rows.values_list("unit__code", "start", "end", "basis"))


@pytest.fixture
def covered(kupang):
    """Yohanes at DLHK since 2015 at Rp 2.500.000, enrolled, January 2023 already billed."""
    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1), end=D(2026, 12, 31))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    billing.generate(None, kupang.region, D(2023, 1, 1))
    return person


def test_wage_change_on_the_person_page_splits_the_period_and_the_next_bill_corrects(kupang, covered):
    engagement = kupang.engagement(covered)
    page = browser(kupang.operator).get(reverse("person", args=[covered.pk])).content.decode()
    assert reverse("wage_change", args=[engagement.pk]) in page and "Ubah upah" in page
    form = {"monthly_wage": "Rp 2.750.000", "effective_date": "01-01-2023", "reason": "UMK 2023"}
    answer = browser(kupang.operator).post(reverse("wage_change", args=[engagement.pk]), form, follow=True)
    assert "Upah baru sudah dicatat." in answer.content.decode()
    assert periods(covered) == [
        ("DLHK", D(2021, 4, 10), D(2022, 12, 31), 2_500_000),
        ("DLHK", D(2023, 1, 1), D(2024, 4, 9), 2_750_000),
    ]
    (february,) = billing.generate(None, kupang.region, D(2023, 2, 1))
    lines = BillLine.objects.filter(bill=february, person=covered)
    regular = sorted(lines.filter(kind=LineKind.REGULAR).values_list("program", "basis", "total"))
    assert regular == [("JKK", 2_750_000, 6_600), ("JKM", 2_750_000, 8_250)]
    january = lines.filter(kind=LineKind.ADJUSTMENT, period=D(2023, 1, 1))
    assert sum(january.values_list("total", flat=True)) == (6_600 + 8_250) - (6_000 + 7_500)
    trail = browser(kupang.operator).get(reverse("person", args=[covered.pk])).content.decode()
    assert "Upah diubah" in trail and "UMK 2023" in trail


def test_transfer_on_the_person_page_moves_the_person_from_the_date(kupang, covered):
    old = kupang.engagement(covered)
    form = {"unit": kupang.dinkes.pk, "effective_date": "01-03-2023", "reason": "SK mutasi 800/12"}
    answer = browser(kupang.operator).post(reverse("transfer", args=[old.pk]), form, follow=True)
    assert "Mutasi sudah dicatat." in answer.content.decode()
    assert periods(covered) == [
        ("DLHK", D(2021, 4, 10), D(2023, 2, 28), 2_500_000),
        ("DINKES", D(2023, 3, 1), D(2024, 4, 9), 2_500_000),
    ]
    page = answer.content.decode()
    assert "Mutasi ke unit lain" in page and "SK mutasi 800/12" in page and "engagement_id" not in page
    trail = AuditEvent.objects.get(action="engagement.transfer")
    assert (trail.before["end_date"], trail.after["end_date"]) == ("2026-12-31", "2023-02-28")
    (march,) = billing.generate(None, kupang.region, D(2023, 3, 1))
    units = set(BillLine.objects.filter(bill=march, person=covered).values_list("unit__code", flat=True))
    assert units == {"DINKES"}


@pytest.mark.parametrize(
    ("name", "form", "field", "message"),
    [
        ("wage_change", {"monthly_wage": "0", "effective_date": "01-01-2023", "reason": "x"}, "monthly_wage",
         "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
        ("wage_change", {"monthly_wage": "3000000", "effective_date": "01-01-2010", "reason": "x"},
         "effective_date", "Tanggal berlaku tidak boleh sebelum awal kontrak."),
        ("wage_change", {"monthly_wage": "3000000", "effective_date": "31-02-2023", "reason": ""},
         "effective_date", "Tanggal tidak terbaca."),
        ("transfer", {"unit": "", "effective_date": "01-03-2023", "reason": "x"}, "unit",
         "Bidang ini tidak boleh kosong."),
        ("transfer", {"unit": "DINKES", "effective_date": "01-03-2015", "reason": "x"}, "effective_date",
         "Tanggal pindah harus sesudah awal kontrak."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_indonesian_next_to_the_field(kupang, covered, name, form, field, message):
    if form.get("unit") == "DINKES":
        form = {**form, "unit": kupang.dinkes.pk}
    before = periods(covered)
    answer = browser(kupang.operator).post(reverse(name, args=[kupang.engagement(covered).pk]), form)
    assert answer.status_code == 200
    assert message in str(answer.context["form"].errors.get(field))
    assert periods(covered) == before and Engagement.objects.filter(person=covered).count() == 1


def test_another_regions_or_units_engagement_is_not_found(kupang, covered):
    engagement = kupang.engagement(covered)
    kabupaten = User.objects.create_user("ttu.op", role=Role.OPERATOR, region=Region.objects.get(code="5303"))
    limited = User.objects.create_user("kupang.dinkes", role=Role.OPERATOR, region=kupang.region)
    limited.units.set([kupang.dinkes])
    form = {"monthly_wage": "3000000", "effective_date": "01-01-2023", "reason": "x"}
    for user in (kabupaten, limited):
        assert browser(user).post(reverse("wage_change", args=[engagement.pk]), form).status_code == 404
        assert browser(user).get(reverse("transfer", args=[engagement.pk])).status_code == 404
        path = f"/people/{covered.pk}/engagements/{engagement.pk}/wage"
        assert api(Client(), user, path, {**form, "effective_date": "2023-01-01"}).status_code == 404
    assert not AuditEvent.objects.filter(action="engagement.wage").exists()


def test_a_unit_limited_operator_transfers_only_to_its_own_units(kupang):
    person = kupang.hire("Maria Taolin", kupang.dinkes, start=D(2015, 3, 1))
    limited = User.objects.create_user("kupang.dinkes", role=Role.OPERATOR, region=kupang.region)
    limited.units.set([kupang.dinkes])
    engagement = kupang.engagement(person)
    page = browser(limited).get(reverse("transfer", args=[engagement.pk])).content.decode()
    assert kupang.dlhk.name not in page  # DLHK is not its unit: not offered
    body = {"unit_id": kupang.dlhk.pk, "effective_date": "2023-03-01", "reason": "Mutasi"}
    refused = api(Client(), limited, f"/people/{person.pk}/engagements/{engagement.pk}/transfer", body)
    assert refused.status_code == 422
    assert refused.json()["errors"]["unit_id"] == ["Unit tidak ditemukan di wilayah ini."]


def test_api_wage_and_transfer_answer_the_new_engagement(kupang, covered, client):
    engagement = kupang.engagement(covered)
    path = f"/people/{covered.pk}/engagements/{engagement.pk}"
    wage = api(client, kupang.operator, f"{path}/wage",
               {"monthly_wage": 2_750_000, "effective_date": "2023-01-01", "reason": "UMK 2023"})  # fmt: skip
    assert wage.status_code == 200, wage.content
    assert (wage.json()["id"], wage.json()["monthly_wage"]) == (engagement.pk, 2_750_000)
    body = {"unit_id": kupang.dinkes.pk, "effective_date": "2023-03-01", "reason": "Mutasi"}
    moved = api(client, kupang.operator, f"{path}/transfer", body)
    assert moved.status_code == 201, moved.content
    assert (moved.json()["unit_name"], moved.json()["start_date"]) == (kupang.dinkes.name, "2023-03-01")
    assert periods(covered) == [
        ("DLHK", D(2021, 4, 10), D(2022, 12, 31), 2_500_000),
        ("DLHK", D(2023, 1, 1), D(2023, 2, 28), 2_750_000),
        ("DINKES", D(2023, 3, 1), D(2024, 4, 9), 2_750_000),
    ]


def test_api_refuses_bad_input_in_indonesian(kupang, covered, client):
    path = f"/people/{covered.pk}/engagements/{kupang.engagement(covered).pk}/wage"
    refused = api(
        client, kupang.operator, path, {"monthly_wage": -1, "effective_date": "2010-01-01", "reason": " "}
    )
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors["reason"] == ["Alasan wajib diisi."]
    assert errors["monthly_wage"] == ["Upah harus lebih dari 0 dan kurang dari Rp 1 triliun."]
    assert periods(covered)[0][3] == 2_500_000 and len(periods(covered)) == 1
