"""The budget over the REST API and the web pages: a plan, a scenario, its variant, adoption, APBD-P, bad
input answered plainly (422 / the form's message), another region's records 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from payung.accounts.models import ApiToken, Role, User
from payung.budget.models import BudgetLine, Scenario
from tests.contributions import world

BASE = "/api/v1"


@pytest.fixture
def kupang(db):
    pks = world.agreement(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2027, 12, 31))
    for wage in (2_000_000, 2_000_000, 3_000_000):
        world.member(pks, wage, dt.date(2024, 6, 1))
    finance = User.objects.create_user("kupang.fin", role=Role.FINANCE, region_id="5371")
    outsider = User.objects.create_user("ttu.fin", role=Role.FINANCE, region_id="5303")
    return finance, outsider


def auth(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.issue(user, 'uji')[1]}"}


def post(client, path, body, user):
    return client.post(BASE + path, json.dumps(body), content_type="application/json", headers=auth(user))


def test_api_plan_scenario_adopt_amend(client, kupang):
    finance, outsider = kupang
    plan = client.get(
        f"{BASE}/budget/plan?region=5371&year=2027&programs=jkk,jkm&jkk_class=1", headers=auth(finance)
    )
    assert plan.status_code == 200 and plan.json()["total"] == 12 * 37_800
    assert client.get(f"{BASE}/budget/plan?region=5371&year=2027", headers=auth(outsider)).status_code == 404
    bad = client.get(f"{BASE}/budget/plan?region=5371&year=2027&programs=jkx", headers=auth(finance))
    assert bad.status_code == 422 and "JKX" in bad.json()["detail"]
    made = post(client, "/budget/scenarios", {"region": "5371", "year": 2027, "name": "Uji"}, finance)
    assert made.status_code == 201 and made.json()["priced"]["total"] == 12 * 37_800
    scenario = made.json()["id"]
    assert client.get(f"{BASE}/budget/scenarios/{scenario}", headers=auth(outsider)).status_code == 404
    old = post(client, "/budget/scenarios", {"region": "5371", "year": 2010}, finance)
    assert old.status_code == 422 and Scenario.objects.count() == 1
    body = {"account_code": "5.1.02.02.02.0007", "account_name": "Iuran", "adopted_on": "2026-12-01"}
    line = post(client, f"/budget/scenarios/{scenario}/adopt", body, finance).json()
    change = {"amount": 400_000, "adopted_on": "2027-09-01"}
    amended = post(client, f"/budget/lines/{line['id']}/amend", change, finance)
    assert amended.status_code == 201 and amended.json()["version"] == 2
    read = client.get(f"{BASE}/budget/lines/{line['id']}", headers=auth(finance)).json()
    assert read["amount"] == 400_000 and [v["version"] for v in read["versions"]] == [2, 1]
    assert read["realisation"]["runs_out"] is not None
    assert [x["id"] for x in client.get(f"{BASE}/budget/lines", headers=auth(finance)).json()] == [
        amended.json()["id"]
    ]


def test_web_pages_in_both_languages_and_the_one_click_variant(client, kupang):
    finance, outsider = kupang
    client.force_login(finance)
    form = {"year": "2027", "name": "Kupang 2027", "programs": ["JKK", "JKM"], "jkk_class": "1",
            "shares": "employer", "wage_from": "1", "umk_from": "1"}  # fmt: skip
    answer = client.post(reverse("budget_scenario_create"), form)
    scenario = Scenario.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("budget_scenario", args=[scenario.pk])
    for lang in ("id", "en"):
        page = client.get(answer.url, headers={"accept-language": lang}).content.decode()
        assert "<svg" in page and ("Rp 453.600" if lang == "id" else "Rp 453,600") in page
        # the cost axis of a small scenario (Rp 37,800 a month) in whole units, never "Rp 0 jt"
        assert ("Rp 25 rb" if lang == "id" else "Rp 25 K") in page and "Rp 0 " not in page
    switched = client.post(reverse("budget_scenario_programs", args=[scenario.pk]),
                           {"part": "0", "programs": ["JKK", "JKM", "JHT", "JP"]})  # fmt: skip
    assert switched.status_code == 302 and "bandingkan" in switched.url
    compare = client.get(switched.url).content.decode()
    assert compare.count("<polyline") == 2 and "Selisih" in compare
    wrong = client.post(reverse("budget_scenario_create"), {**form, "wage_percent": "-100"})
    assert wrong.status_code == 400 and "Perubahan upah harus lebih dari -100 %" in wrong.content.decode()
    assert Scenario.objects.count() == 2
    adopt = {
        "funding_source": "apbd",
        "account_code": "5.1.02",
        "account_name": "Iuran",
        "adopted_on": "01-12-2026",
    }
    adopted = client.post(reverse("budget_scenario_adopt", args=[scenario.pk]), adopt)
    line = BudgetLine.objects.get()
    assert adopted.url == reverse("budget_line", args=[line.pk])
    amended = client.post(adopted.url, {"amount": "100.000", "adopted_on": "02-01-2027", "note": "APBD-P"})
    assert amended.status_code == 302 and BudgetLine.objects.count() == 2
    assert "habis pada" in client.get(amended.url).content.decode()
    for name in ("budget_scenario_xlsx", "budget_scenario_pdf"):
        assert client.get(reverse(name, args=[scenario.pk])).status_code == 200
    assert client.get(reverse("budget_line_xlsx", args=[line.pk])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("budget_scenario", args=[scenario.pk])).status_code == 404
