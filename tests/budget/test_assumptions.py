"""A scenario's assumptions (wage change, new UMK, JKK class, growth in steps) are checked once, for the
service, the API and the web alike: out of range is refused in Indonesian (422 / next to the form's fields)
and nothing is stored; in range, they price the year."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from payung.accounts.models import ApiToken, Role, User
from payung.budget import assumptions, pricing, queries, services
from payung.budget.models import Scenario
from payung.regions.models import Region
from payung.registry.services import ValidationFailed
from tests.contributions import world

BASE = "/api/v1"
# Kupang's three non-ASN: 2,000,000 x2 and 3,000,000; JKK (class 1) + JKM = 0.54 % of the wage.
MONTH = 2 * 10_800 + 16_200


@pytest.fixture
def kupang(db):
    pks = world.agreement(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2027, 12, 31))
    for wage in (2_000_000, 2_000_000, 3_000_000):
        world.member(pks, wage, dt.date(2024, 6, 1))
    finance = User.objects.create_user("kf", role=Role.FINANCE, region_id="5371")
    return Region.objects.get(code="5371"), finance


def made(region, growth=(), **changes) -> services.ScenarioData:
    parts = services.from_registry(region, 2027, ("JKK", "JKM"))
    parts = tuple(services.replace(p, growth=growth) for p in parts)
    return services.ScenarioData(2027, "uji", parts=parts, **changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"wage_percent": Decimal(-100)}, "wage_percent"),
        ({"wage_percent": Decimal("1000.01")}, "wage_percent"),
        ({"wage_percent": Decimal("NaN")}, "wage_percent"),
        ({"wage_percent": Decimal("10.555")}, "wage_percent"),
        ({"wage_from": 13}, "wage_from"),
        ({"umk_from": 0}, "umk_from"),
        ({"umk": 0}, "umk"),
        ({"jkk_class": 6}, "jkk_class"),
        ({"growth": (pricing.Growth(13, 5),)}, "growth"),
        ({"growth": (pricing.Growth(7, 0),)}, "growth"),
        ({"growth": (pricing.Growth(7, 5), pricing.Growth(7, 2))}, "growth"),
    ],
)
def test_out_of_range_is_refused_and_nothing_stored(kupang, changes, field):
    region, _ = kupang
    with pytest.raises(ValidationFailed) as refused:
        services.create(None, region, made(region, **changes))
    assert field in refused.value.errors and not Scenario.objects.exists()


def test_growth_steps_as_typed_on_the_web():
    assert assumptions.steps("10:-5, 7:+1.200;\n3: 4") == (
        pricing.Growth(3, 4), pricing.Growth(7, 1200), pricing.Growth(10, -5)
    )  # fmt: skip
    assert assumptions.steps("  ") == ()
    for wrong in ("7", "juli:+5", "7:+5x", "7:"):
        with pytest.raises(ValidationFailed):
            assumptions.steps(wrong)


def post(client, body, user):
    token = ApiToken.issue(user, "uji")[1]
    return client.post(f"{BASE}/budget/scenarios", json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}", "accept-language": "id"})  # fmt: skip


def test_the_api_takes_the_web_forms_assumptions(client, kupang):
    region, finance = kupang
    body = {"region": "5371", "year": 2027, "umk": 3_000_000, "umk_from": 4,
            "growth": [{"group": "non_asn", "month": 10, "people": 2}]}  # fmt: skip
    answer = post(client, body, finance)
    assert answer.status_code == 201, answer.json()
    # Jan-Mar as registered; from April everyone at the new UMK (3 x 16,200); from October 2 more at it.
    assert answer.json()["priced"]["total"] == 3 * MONTH + 9 * 3 * 16_200 + 3 * 2 * 16_200
    assert answer.json()["umk"] == 3_000_000 and answer.json()["parts"][0]["growth"] == [
        {"month": 10, "people": 2}
    ]
    raised = post(client, {"region": "5371", "year": 2027, "wage_percent": "10", "wage_from": 7}, finance)
    # From July: 2,200,000 x2 and 3,300,000.
    assert raised.json()["priced"]["total"] == 6 * MONTH + 6 * (2 * 11_880 + 17_820)
    stored = Scenario.objects.get(pk=raised.json()["id"])
    assert queries.price(stored).total == raised.json()["priced"]["total"]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"wage_percent": "-100"}, "Perubahan upah harus lebih dari -100 %"),
        ({"umk": 0}, "UMK harus bilangan bulat rupiah"),
        ({"wage_from": 13}, "Bulan harus 1 sampai 12"),
        ({"growth": [{"group": "rentan", "month": 7, "people": 5}]}, "Kelompok rentan tidak ada"),
        ({"growth": [{"group": "non_asn", "month": 7, "people": 0}]}, "bukan nol"),
        ({"growth": [{"group": "non_asn", "month": 2, "people": -3}]}, "mengosongkan"),
    ],
)
def test_the_api_refuses_bad_assumptions_in_indonesian(client, kupang, changes, words):
    _, finance = kupang
    answer = post(client, {"region": "5371", "year": 2027, **changes}, finance)
    assert answer.status_code == 422 and words in answer.json()["detail"], answer.json()
    assert not Scenario.objects.exists()


def test_planned_people_in_several_steps_on_the_web(client, kupang):
    region, finance = kupang
    base = services.create(None, region, made(region))
    client.force_login(finance)
    form = {"label": "Guru kontrak", "category": "pu", "people": "10", "wage": "1.500.000", "from_month": "3",
            "growth": "7:+5, 10:-2", "funding_source": "apbd", "programs": ["JKK", "JKM"]}  # fmt: skip
    answer = client.post(reverse("budget_scenario_planned", args=[base.pk]), form)
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    variant = Scenario.objects.get(based_on=base)
    # 1,500,000 x 0.54 % = 8,100 a person: 10 from March, 15 from July, 13 from October.
    assert queries.price(variant).total - queries.price(base).total == 8_100 * (10 * 4 + 15 * 3 + 13 * 3)
    bad = client.post(reverse("budget_scenario_planned", args=[base.pk]), {**form, "growth": "juli:5"})
    assert bad.status_code == 400 and "bulan:jumlah" in bad.content.decode()
    emptied = client.post(reverse("budget_scenario_planned", args=[base.pk]), {**form, "growth": "7:-11"})
    assert emptied.status_code == 400 and "mengosongkan" in emptied.content.decode()
    assert Scenario.objects.count() == 2


def test_a_registry_group_grows_in_steps_on_the_web(client, kupang):
    region, finance = kupang
    base = services.create(None, region, made(region))
    client.force_login(finance)
    page = client.get(reverse("budget_scenario", args=[base.pk])).content.decode()
    assert 'id="pertumbuhan"' in page
    url = reverse("budget_scenario_growth", args=[base.pk])
    answer = client.post(url, {"part": "0", "growth": "7:+2, 10:-1"})
    assert answer.status_code == 302 and "bandingkan" in answer.url
    variant = Scenario.objects.get(based_on=base)
    assert "7:+2, 10:-1" in variant.name
    # Each step at the wage of the part's middle person (2,000,000 x2 and 3,000,000: 10,800 a month).
    assert queries.price(variant).total - queries.price(base).total == 10_800 * (2 * 3 + 1 * 3)
    for typed, words in (("juli", "bulan:jumlah"), ("2:-3", "mengosongkan"), ("13:+1", "1 sampai 12")):
        refused = client.post(url, {"part": "0", "growth": typed})
        assert refused.status_code == 400 and words in refused.content.decode(), typed
    assert client.post(url, {"part": "5", "growth": "7:+1"}).status_code == 400
    assert Scenario.objects.count() == 2
