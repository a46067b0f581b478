"""The coverage API: create an agreement (422 with field messages on bad input), enrol, read the
memberships (NIKs masked), register and read BPJS's reply."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest

from payung.accounts.models import ApiToken

BASE = "/api/v1"
D = dt.date
PKS = {
    "number": "560/PKS/001/IV/2021", "pemda_party": "Pemerintah Kota Kupang",
    "bpjs_branch": "BPJS Ketenagakerjaan Cabang Kupang", "signed_on": "2021-04-01",
    "valid_from": "2021-04-10", "valid_to": "2024-04-09", "groups": ["non_asn"], "programs": ["JKK", "JKM"],
    "jkk_class": 1, "budget_account": "5.1.02.01.01.0003",
}  # fmt: skip


@pytest.fixture
def call(client, kupang):
    tokens = {u.username: ApiToken.issue(u, "uji")[1] for u in (kupang.finance, kupang.operator)}

    def send(who, method, path, body=None, **extra):
        headers = {"Authorization": f"Bearer {tokens[who]}", **extra.pop("headers", {})}
        if method == "get":
            return client.get(BASE + path, headers=headers)
        if "files" in extra:
            return client.post(BASE + path, extra["files"], headers=headers)
        return client.post(
            BASE + path, json.dumps(body or {}), content_type="application/json", headers=headers
        )

    return send


def test_create_enrol_list_register_reply(call, kupang):
    yohanes = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    created = call("kupang.keuangan", "post", "/agreements", PKS)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["region"] == "5371" and created.json()["people"] == 0
    enrolled = call("kupang.keuangan", "post", f"/agreements/{pk}/enrol")
    assert enrolled.json()["added"] == 1
    page = call("kupang.op", "get", f"/agreements/{pk}/memberships").json()
    assert page["count"] == 1
    member = page["results"][0]
    assert member["nik"] != yohanes.nik and member["nik"] == yohanes.masked_nik
    assert (member["start"], member["end"], member["basis"]) == ("2021-04-10", "2024-04-09", 2_500_000)
    batch = call("kupang.keuangan", "post", f"/agreements/{pk}/registrations", {"layout": "sipp"}).json()
    assert batch["entries"] == 1
    assert call("kupang.op", "get", batch["file_url"].removeprefix(BASE)).status_code == 200
    upload = StringIO(f"NIK;KPJ;Status\n{yohanes.nik};23012345678;Terdaftar\n123;1;Terdaftar\n")
    upload.name = "balasan.csv"
    reply = call("kupang.keuangan", "post", f"/registrations/{batch['id']}/reply", files={"file": upload})
    assert reply.json() == {
        "registered": 1, "rejected": 0, "conflicts": 0,
        "problems": [{"line": 3, "reason": "NIK '123' harus 16 digit."}],
    }  # fmt: skip
    yohanes.refresh_from_db()
    assert yohanes.kpj == "23012345678"


def test_bad_agreement_is_422_with_messages_in_the_callers_language(call):
    bad = {**PKS, "valid_to": "2020-01-01", "jkk_class": None}
    refused = call("kupang.keuangan", "post", "/agreements", bad, headers={"Accept-Language": "en"})
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"valid_to", "signed_on", "jkk_class"}
    assert call("kupang.keuangan", "get", "/agreements").json() == []


def test_an_operator_reads_but_may_not_write(call):
    assert call("kupang.op", "post", "/agreements", PKS).status_code == 403
    pk = call("kupang.keuangan", "post", "/agreements", PKS).json()["id"]
    assert call("kupang.op", "get", f"/agreements/{pk}").status_code == 200
    assert call("kupang.op", "post", f"/agreements/{pk}/enrol").status_code == 403
