"""The claim command line and REST API: the quote exactly as the issue names it, the claims list scoped by
--user, the export audited; the API's claim file read (audited, with its ETag) and a stale write refused."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from payung.accounts.models import ApiToken, Role, User
from payung.audit.models import AuditEvent
from payung.claims import services
from payung.claims.models import Claim
from payung.claims.services import Details, EventData
from tests.claims import world

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


def quote(*args: str) -> str:
    out = StringIO()
    call_command("benefits", "quote", *args, stdout=out)
    return out.getvalue()


QUOTE = (
    "--program",
    "jkm",
    "--event",
    "death",
    "--on",
    "2024-05-01",
    "--member-since",
    "2021-04-10",
    "--wage",
    "2.500.000",
    "--children",
    "2",
)


def test_the_quote_prints_each_part_the_total_the_children_and_the_rules():
    found = json.loads(quote(*QUOTE, "--json"))
    assert [(p["code"], p["amount"]) for p in found["parts"]] == [
        ("lump_sum", 20_000_000),
        ("periodic", 12_000_000),
        ("funeral", 10_000_000),
    ]
    assert (found["total"], found["scholarship_children"]) == (42_000_000, 2)
    assert {r["key"] for r in found["rules"]} >= {"benefit.jkm.lump_sum", "benefit.scholarship.children"}
    text = quote(*QUOTE)
    assert "Rp 42.000.000" in text and "2 anak" in text and "PP 82/2019" in text


def test_the_quote_before_the_change_and_for_a_work_accident():
    earlier = {"2024-05-01": "2019-05-01", "2021-04-10": "2014-01-01"}
    before = json.loads(quote(*[earlier.get(a, a) for a in QUOTE], "--json"))
    assert before["total"] == 24_000_000
    jkk = json.loads(
        quote(
            "--program",
            "jkk",
            "--event",
            "death",
            "--on",
            "2024-05-01",
            "--member-since",
            "2024-01-01",
            "--income",
            "1000000",
            "--work-related",
            "--children",
            "1",
            "--json",
        )
    )
    assert (jkk["category"], jkk["total"], jkk["scholarship_children"]) == ("bpu", 48_000_000 + 22_000_000, 1)
    parts = json.loads(
        quote(
            "--program",
            "jkk",
            "--event",
            "disability",
            "--on",
            "2024-05-01",
            "--member-since",
            "2020-01-01",
            "--wage",
            "2000000",
            "--disability-items",
            "arm_shoulder_right",
            "--json",
        )
    )["parts"]
    assert parts[0] == {
        "code": "disability",
        "label": "Santunan cacat",
        "amount": 64_000_000,
        "kind": "cash",
        "detail": {"percent": "40", "function": None},
    }


@pytest.mark.parametrize(
    ("more", "message"),
    [
        (("--children", "-1"), "Jumlah anak"),
        (("--member-since", "2025-01-01"), "tidak boleh sesudah"),
        (("--work-related",), "dibayar dari JKK"),
        (("--on", "2015-06-30", "--member-since", "2015-01-01"), "Belum ada aturan"),
    ],
)
def test_bad_quote_input_is_one_plain_line(more, message):
    with pytest.raises(CommandError, match=message):
        quote(*QUOTE, *more)  # the last value of an option wins


@pytest.fixture
def town():
    found = world.kupang()
    for bill in found.bills():
        world.pay(bill)
    claim = services.record_event(
        None,
        found.people["Yohanes"],
        EventData("death", dt.date(2025, 4, 20), details=Details(children=1)),
        channel="cli",
    )
    found.claim = claim
    return found


def test_claims_list_is_scoped_by_the_user(town):
    User.objects.create_user("kupang", role=Role.OPERATOR, region_id="5371")
    User.objects.create_user("ttu", role=Role.OPERATOR, region_id="5303")
    out = StringIO()
    call_command("claims", "list", "--region", "5371", "--json", "--user", "kupang", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["id"], r["computed_total"], r["nik"][-2:]) for r in rows] == [
        (town.claim.pk, 42_000_000, town.people["Yohanes"].nik[-2:])
    ]
    assert "*" in rows[0]["nik"]
    with pytest.raises(CommandError, match="5371 tidak ditemukan"):
        call_command("claims", "list", "--region", "5371", "--user", "ttu", stdout=StringIO())


def test_claims_export_writes_the_workbook_and_audits_it(town, tmp_path):
    out = tmp_path / "klaim.xlsx"
    call_command("claims", "export", "--region", "5371", "--out", str(out), stdout=StringIO())
    rows = list(openpyxl.load_workbook(out).active.values)
    assert rows[3][3] == town.people["Yohanes"].name and rows[3][11] == 42_000_000
    assert AuditEvent.objects.filter(action="export", after__format="claims.xlsx", channel="cli").exists()


def test_the_api_reads_a_claim_file_audited_and_refuses_a_stale_write(client, town):
    user = User.objects.create_user("op", role=Role.OPERATOR, region_id="5371")
    auth = {"Authorization": f"Bearer {ApiToken.issue(user, 'uji')[1]}"}
    claim = town.claim
    answer = client.get(f"{BASE}/claims/{claim.pk}", headers=auth)
    assert answer.status_code == 200 and answer["ETag"] == f'"{claim.version}"'
    body = answer.json()
    assert body["computed_total"] == 42_000_000 and body["eligibility"]["verdict"] == "protected"
    assert AuditEvent.objects.filter(action="claim.view", actor=user, channel="api").count() == 1
    stale = {"received": {"kpj_card": ""}}
    headers = {**auth, "If-Match": f'"{claim.version + 5}"'}
    refused = client.put(
        f"{BASE}/claims/{claim.pk}/documents",
        json.dumps(stale),
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 409 and not Claim.objects.get().documents.exists()
    fresh = client.put(
        f"{BASE}/claims/{claim.pk}/documents",
        json.dumps({**stale, "version": claim.version}),
        content_type="application/json",
        headers=auth,
    )
    assert fresh.status_code == 200 and fresh.json()["documents"][0]["received"] is True


def test_the_api_quote_and_a_bad_event(client, town):
    user = User.objects.create_user("op", role=Role.OPERATOR, region_id="5371")
    auth = {"Authorization": f"Bearer {ApiToken.issue(user, 'uji')[1]}"}
    found = client.get(
        f"{BASE}/benefits/quote?program=jkm&event=death&on=2019-12-01&member_since=2010-01-01", headers=auth
    ).json()
    assert found["total"] == 24_000_000
    maria = town.people["Maria"]
    future = {"kind": "death", "occurred_on": "2099-01-01"}
    answer = client.post(
        f"{BASE}/people/{maria.pk}/claims", json.dumps(future), content_type="application/json", headers=auth
    )
    assert answer.status_code == 422 and "masa depan" in answer.json()["errors"]["occurred_on"][0]
    assert Claim.objects.count() == 1
