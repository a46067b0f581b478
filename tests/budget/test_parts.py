"""Scenario parts by village (desa or kecamatan): the people whose unit lies there, priced exactly as that
village's row of the whole region's scenario; a place of another region is refused, on the web and the API
alike, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from payung.accounts.models import ApiToken, Role, User
from payung.budget import queries, services
from payung.budget.models import Scenario
from payung.regions.models import Region
from payung.registry.models import Unit
from payung.registry.services import ValidationFailed
from tests.contributions import world

NAMOSAIN, ALAK = "5371011001", "5371011008"  # two desa of kecamatan Alak (537101), Kota Kupang


@pytest.fixture
def kupang(db):
    pks = world.agreement(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2027, 12, 31),
                          funding_source="dana_desa")  # fmt: skip
    offices = {
        code: Unit.objects.create(
            region_id="5371", code=f"D{code}", name=f"Kantor {code}", kind="village", village_id=code
        )  # fmt: skip
        for code in (NAMOSAIN, ALAK, "5371021001")
    }
    for code, wages in (
        (NAMOSAIN, (2_000_000, 2_000_000)),
        (ALAK, (3_000_000,)),
        ("5371021001", (2_500_000,)),
    ):
        for wage in wages:
            world.member(pks, wage, dt.date(2024, 6, 1), place=offices[code])
    return Region.objects.get(code="5371")


def made(region, village: str = "") -> Scenario:
    parts = services.from_registry(region, 2025, ("JKK", "JKM"), village=village)
    return services.create(None, region, services.ScenarioData(2025, "Uji", parts=parts))


def test_a_village_part_costs_its_row_of_the_region(kupang):
    whole = queries.price(made(kupang)).by("village")
    desa = made(kupang, NAMOSAIN)
    priced = queries.price(desa)
    assert priced.total == whole["Namosain"] == 12 * 2 * 10_800
    assert priced.by("village") == {"Namosain": priced.total}
    part = desa.parts.get()
    assert part.village_id == NAMOSAIN and part.label.endswith("· Namosain")
    kecamatan = queries.price(made(kupang, "537101"))  # Namosain and Alak, not the other kecamatan's desa
    assert kecamatan.total == whole["Namosain"] + whole["Alak"]


def test_a_variant_keeps_the_village(kupang):
    desa = made(kupang, NAMOSAIN)
    four = services.with_programs(None, desa, 0, ("JKK", "JKM", "JHT", "JP"))
    assert four.parts.get().village_id == NAMOSAIN


def test_a_place_of_another_region_is_refused_by_the_service(kupang):
    for code in ("5303011001", "5371", "53710110"):
        with pytest.raises(ValidationFailed) as refused:
            made(kupang, code)
        assert "village" in refused.value.errors
    part = services.PartData("x", "non_asn", village="5303011001")
    with pytest.raises(ValidationFailed):
        services.create(None, kupang, services.ScenarioData(2025, "x", parts=(part,)))
    assert not Scenario.objects.exists()


def _api(client, user, body):
    token = ApiToken.issue(user, "uji")[1]
    return client.post("/api/v1/budget/scenarios", json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip


def test_api_and_web_take_a_village(client, kupang):
    finance = User.objects.create_user("kupang.fin", role=Role.FINANCE, region_id="5371")
    answer = _api(client, finance, {"region": "5371", "year": 2025, "village": NAMOSAIN})
    assert answer.status_code == 201
    assert answer.json()["priced"]["total"] == 12 * 2 * 10_800
    assert [p["village"] for p in answer.json()["parts"]] == [NAMOSAIN]
    foreign = _api(client, finance, {"region": "5371", "year": 2025, "village": "5303011001"})
    assert foreign.status_code == 422 and "wilayah ini" in foreign.json()["detail"]
    client.force_login(finance)
    page = client.get(reverse("budget") + "?tahun=2025")
    assert f'value="{NAMOSAIN}"' in page.content.decode() and "Kec. Alak" in page.content.decode()
    form = {"year": 2025, "programs": ["JKK", "JKM"], "jkk_class": 1, "shares": "employer", "wage_from": 1,
            "umk_from": 1}  # fmt: skip
    bad = client.post(reverse("budget_scenario_create"), form | {"village": "5303011001"})
    assert bad.status_code == 400 and "bukan milik wilayah ini" in bad.content.decode()
    good = client.post(reverse("budget_scenario_create"), form | {"village": ALAK})
    assert good.status_code == 302
    assert queries.price(Scenario.objects.latest("id")).total == 12 * 16_200
    assert Scenario.objects.count() == 2


def test_api_adds_planned_people_as_the_web_does(client, kupang):
    finance = User.objects.create_user("kupang.fin", role=Role.FINANCE, region_id="5371")
    teachers = {"label": "Guru kontrak", "people": 245, "wage": 1_500_000, "from_month": 7,
                "funding_source": "apbd", "growth": [{"month": 10, "people": -5}]}  # fmt: skip
    answer = _api(client, finance, {"region": "5371", "year": 2025, "groups": ["non_asn"],
                                    "planned": [teachers]})  # fmt: skip
    assert answer.status_code == 201, answer.content
    body = answer.json()
    planned = body["parts"][-1]
    assert planned["label"] == "Guru kontrak" and planned["planned_wage"] == 1_500_000
    assert planned["growth"] == [{"month": 7, "people": 245}, {"month": 10, "people": -5}]
    registry = 12 * (2 * 10_800 + 16_200 + 13_500)  # the four people of the three kantor desa
    assert body["priced"]["total"] == registry + 3 * 245 * 8_100 + 3 * 240 * 8_100
    # the same part through the web's form prices the same
    client.force_login(finance)
    base = Scenario.objects.get(pk=body["id"])
    web = {"label": "Guru kontrak", "category": "pu", "people": 245, "wage": "1.500.000", "from_month": 7,
           "growth": "10:-5", "funding_source": "apbd", "programs": ["JKK", "JKM"]}  # fmt: skip
    assert client.post(reverse("budget_scenario_planned", args=[base.pk]), web).status_code == 302
    variant = Scenario.objects.latest("id")
    assert queries.price(variant).total == body["priced"]["total"] + 3 * 245 * 8_100 + 3 * 240 * 8_100


@pytest.mark.parametrize(
    "change, field",
    [
        ({"people": 0}, "people"),
        ({"people": -3}, "people"),
        ({"wage": 0}, "wage"),
        ({"category": "asn"}, "category"),
        ({"funding_source": "bank"}, "funding_source"),
        ({"label": " "}, "label"),
        ({"from_month": 13}, "growth"),
    ],
)
def test_api_refuses_bad_planned_people(client, kupang, change, field):
    finance = User.objects.create_user("kupang.fin", role=Role.FINANCE, region_id="5371")
    part = {"label": "Guru", "people": 10, "wage": 1_500_000} | change
    answer = _api(client, finance, {"region": "5371", "year": 2025, "planned": [part]})
    assert answer.status_code == 422 and field in answer.json()["errors"]
    assert not Scenario.objects.exists()


def test_a_scenario_of_a_saved_filter_keeps_its_criteria(client, kupang):
    from payung.registry import filters

    finance = User.objects.create_user("kupang.fin", role=Role.FINANCE, region_id="5371")
    office = Unit.objects.get(code=f"D{NAMOSAIN}")
    mine = filters.save(finance, kupang, "Kantor Namosain", {"unit": office.pk, "group": "non_asn"})
    answer = _api(client, finance, {"region": "5371", "year": 2025, "saved_filter": mine.pk})
    assert answer.status_code == 201, answer.content
    part = answer.json()["parts"][0]
    assert part["label"] == "Kantor Namosain" and part["criteria"] == {"unit": office.pk, "group": "non_asn"}
    assert answer.json()["priced"]["total"] == 12 * 2 * 10_800
    mine.criteria = {"group": "non_asn"}  # the filter changed later: the scenario is not repriced
    mine.save()
    made = Scenario.objects.get(pk=answer.json()["id"])
    assert queries.price(made).total == 12 * 2 * 10_800
    assert made.parts.get().criteria == {"unit": office.pk, "group": "non_asn"}
    variant = services.with_programs(None, made, 0, ("JKK", "JKM", "JHT", "JP"))
    assert variant.parts.get().criteria == {"unit": office.pk, "group": "non_asn"}
    # the web form offers the region's filters and makes the same scenario
    client.force_login(finance)
    form = {"year": 2025, "programs": ["JKK", "JKM"], "jkk_class": 1, "shares": "employer", "wage_from": 1,
            "umk_from": 1, "saved_filter": mine.pk}  # fmt: skip
    assert "Kantor Namosain" in client.get(reverse("budget") + "?tahun=2025").content.decode()
    assert client.post(reverse("budget_scenario_create"), form).status_code == 302
    assert queries.price(Scenario.objects.latest("id")).total == 12 * (
        2 * 10_800 + 16_200 + 13_500
    )  # all non-ASN
    both = client.post(reverse("budget_scenario_create"), form | {"village": NAMOSAIN})
    assert both.status_code == 400 and "tanpa desa" in both.content.decode()


def test_a_saved_filter_of_another_region_is_refused(client, kupang):
    from payung.registry import filters

    ttu_unit = Unit.objects.create(region_id="5303", code="T", name="Unit TTU", kind="opd")
    theirs = filters.save(None, Region.objects.get(code="5303"), "TTU", {"unit": ttu_unit.pk})
    finance = User.objects.create_user("kupang.fin", role=Role.FINANCE, region_id="5371")
    answer = _api(client, finance, {"region": "5371", "year": 2025, "saved_filter": theirs.pk})
    assert answer.status_code == 422 and "saved_filter" in answer.json()["errors"]
    assert not Scenario.objects.exists()
