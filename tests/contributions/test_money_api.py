"""The payments, arrears and ledger endpoints: the same rules and scope as the pages."""

from __future__ import annotations

import json

import pytest

from payung.accounts.models import ApiToken
from payung.audit.models import AuditEvent
from payung.contributions.models import Payment
from tests.contributions.test_money_pages import money_world

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


@pytest.fixture
def world(db, tmp_path):
    return money_world(tmp_path)


def call(client, world, who, method, path, body=None, lang=""):
    headers = {"Authorization": f"Bearer {ApiToken.issue(world.users[who], 'uji')[1]}"}
    if lang:
        headers["Accept-Language"] = lang
    if method == "get":
        return client.get(BASE + path, body or {}, headers=headers)
    return client.post(BASE + path, json.dumps(body), content_type="application/json", headers=headers)


def test_record_and_list_payments(client, world):
    path = f"/bills/{world.bill.pk}/payments"
    body = {"paid_on": "2023-06-10", "amount": 10_000, "reference": "SP2D-7"}
    made = call(client, world, "kupang_finance", "post", path, body)
    assert made.status_code == 201 and made.json()["amount"] == 10_000
    assert made.json()["recorded_by"] == "kupang_finance"
    assert AuditEvent.objects.get(action="payment.create").channel == "api"
    listed = call(client, world, "kupang_viewer", "get", path).json()
    assert (listed["total"], listed["paid"], listed["outstanding"]) == (25_500, 10_000, 15_500)
    assert listed["status"] == "overdue" and [p["reference"] for p in listed["payments"]] == ["SP2D-7"]


def test_overpayment_and_bad_input_are_422_and_write_nothing(client, world):
    path = f"/bills/{world.bill.pk}/payments"
    too_much = call(
        client,
        world,
        "kupang_finance",
        "post",
        path,
        {"paid_on": "2023-06-10", "amount": 25_501, "reference": "X"},
    )
    assert too_much.status_code == 422
    assert too_much.json()["errors"] == {"amount": ["Pembayaran melebihi sisa tagihan Rp 25.500."]}
    missing = call(client, world, "kupang_finance", "post", path, {"paid_on": "2023-06-10", "amount": 5})
    assert missing.status_code == 422 and "reference" in missing.json()["errors"]
    assert not Payment.objects.exists()


def test_roles_and_scope(client, world):
    body = {"paid_on": "2023-06-10", "amount": 100, "reference": "X"}
    mine, theirs = f"/bills/{world.bill.pk}/payments", f"/bills/{world.ttu_bills[0].pk}/payments"
    assert call(client, world, "kupang_viewer", "post", mine, body).status_code == 403
    assert call(client, world, "kupang_finance", "post", theirs, body).status_code == 404
    assert call(client, world, "kupang_finance", "get", theirs).status_code == 404
    assert call(client, world, "province", "get", theirs).status_code == 200
    assert not Payment.objects.exists()


def test_arrears_and_ledger(client, world):
    mine = call(client, world, "kupang_finance", "get", "/arrears").json()
    assert [b["bill_id"] for b in mine["bills"]] == [world.bill.pk] and mine["lapsed"] == []
    assert [r["region"] for r in mine["regions"]] == ["5371"]
    monitor = call(client, world, "province", "get", "/arrears", {"on": "2023-12-31"}).json()
    assert monitor["on"] == "2023-12-31"
    [group] = monitor["lapsed"]
    [person] = group["people"]
    assert (
        person["name"] == "Yohanes Kefi" and person["nik"] != world.ttu.person.nik and person["months"] == 6
    )
    ledger = call(client, world, "kupang_finance", "get", f"/people/{world.kupang.twin.pk}/ledger").json()
    assert (ledger["billed"], ledger["paid"], ledger["unpaid"]) == (13_350, 0, 13_350)
    assert {line["kind"] for line in ledger["lines"]} == {"regular", "adjustment"}
    assert (
        call(client, world, "kupang_finance", "get", f"/people/{world.ttu.person.pk}/ledger").status_code
        == 404
    )
