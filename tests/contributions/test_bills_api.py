"""Bills over the REST API: generate, list, read with paginated lines; scope, roles and refusals."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from payung.accounts.models import ApiToken, User
from payung.audit.models import AuditEvent
from payung.contributions.models import Bill
from tests.contributions import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    tokens = {}
    for username, role, region in (
        ("kupang.keuangan", "finance", "5371"),
        ("kupang.lihat", "viewer", "5371"),
        ("ttu.keuangan", "finance", "5303"),
    ):
        user = User.objects.create_user(username, role=role, region_id=region)
        tokens[username] = ApiToken.issue(user, "uji")[1]

    def send(who: str, method: str, path: str, body=None, lang: str = "id"):
        headers = {"Authorization": f"Bearer {tokens[who]}", "Accept-Language": lang}
        if method == "get":
            return client.get("/api/v1" + path, body or {}, headers=headers)
        return client.post(
            "/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers
        )

    return send


@pytest.fixture
def pks():
    agreement = world.agreement()
    for n in range(3):
        world.member(agreement, 2_000_000 + n * 100_000, dt.date(2021, 4, 10), name=f"Orang {n}")
    return agreement


def test_generate_list_and_read(call, pks):
    made = call("kupang.keuangan", "post", "/bills/generate", {"region": "5371", "period": "2023-05"})
    assert made.status_code == 201, made.content
    (bill,) = made.json()
    assert (bill["period"], bill["agreement_number"], bill["people"], bill["line_count"]) == (
        "2023-05", pks.number, 3, 6
    )  # fmt: skip
    assert bill["total"] == Bill.objects.get().total and bill["rules"] and bill["due_date"] == "2023-06-15"
    listing = call("kupang.lihat", "get", "/bills", {"period": "2023-05"}).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == bill["id"]
    page = call("kupang.lihat", "get", f"/bills/{bill['id']}", {"page": 2, "page_size": 4}).json()
    assert page["lines"]["count"] == 6 and len(page["lines"]["results"]) == 2
    line = page["lines"]["results"][0]
    assert len(line["nik"]) == 16 and line["kind"] == "regular" and line["period"] == "2023-05"
    event = AuditEvent.objects.get(action="export", object_id=str(bill["id"]))
    assert event.after == {"format": "api", "rows": 2} and event.channel == "api"


def test_refusals_are_422_in_the_callers_language(call, pks):
    body = {"region": "5371", "period": "2023-05"}
    assert call("kupang.keuangan", "post", "/bills/generate", body).status_code == 201
    again = call("kupang.keuangan", "post", "/bills/generate", body, lang="en")
    assert again.status_code == 422 and "already exists" in again.json()["detail"]
    outside = call("kupang.keuangan", "post", "/bills/generate", {**body, "period": "2024-05"})
    assert outside.status_code == 422 and "Mei 2024" in outside.json()["detail"]
    bad = call("kupang.keuangan", "post", "/bills/generate", {**body, "period": "Mei"})
    assert bad.status_code == 422 and bad.json()["errors"]["period"]
    assert Bill.objects.count() == 1


def test_scope_and_role(call, pks):
    body = {"region": "5371", "period": "2023-05"}
    assert call("ttu.keuangan", "post", "/bills/generate", body).status_code == 404
    assert call("kupang.lihat", "post", "/bills/generate", body).status_code == 403
    assert (
        call("kupang.keuangan", "post", "/bills/generate", {**body, "agreement": 999999}).status_code == 404
    )
    assert not Bill.objects.exists()
    bill = call("kupang.keuangan", "post", "/bills/generate", {**body, "agreement": pks.pk}).json()[0]
    assert call("ttu.keuangan", "get", f"/bills/{bill['id']}").status_code == 404
    assert call("ttu.keuangan", "get", "/bills").json()["count"] == 0
