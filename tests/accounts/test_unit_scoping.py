"""Unit scoping, proven route by route: an operator limited to some units of the SAME tenant.

The TTU operator limited to the second TTU unit (routes.UNIT_OPERATOR) tries every route of the scoping
proof on TTU's records: people of the other unit, that unit's import, the duplicate pair, and the records
about the whole region (bills, registration batches, reconciliations, findings). Each answers 404 as a
missing record would (decision 0004), changes nothing and leaves no trail in the operator's name; the one
record a unit-limited operator reads is an agreement, whose terms concern every unit, cut to their own
people. The control is the region-wide user of the same region (the TTU operator, or the TTU treasurer on
money routes), who gets through the same request.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from payung.reconcile.models import BpjsSnapshot, Reconciliation
from tests.accounts.routes import (
    API_ROUTES,
    NOT_FOUND,
    UNIT_OPERATOR,
    WEB_LISTS,
    WEB_ROUTES,
    actors,
    api_path,
    call,
    left_no_trail,
    logged_in,
    state,
    target_of,
    web,
)
from tests.api.conftest import BASE

pytestmark = pytest.mark.django_db

# Routes a unit-limited operator reaches: the agreement's terms (its people cut to their units), and writes
# on it that their role may not make (403 on a record they may read, as for any operator).
API_CUT = {("get", "/agreements/{agreement_id}"), ("get", "/agreements/{agreement_id}/memberships")}
API_ROLE_REFUSED = {
    ("post", "/agreements/{agreement_id}/enrol"),
    ("post", "/agreements/{agreement_id}/registrations"),
}
WEB_CUT = {"agreement"}
OTHER_UNIT = "Dinas Kab. Timor Tengah Utara"  # the TTU unit the operator is not limited to


def _expected(route) -> int:
    return 200 if route in API_CUT else 403 if route in API_ROLE_REFUSED else 404


@pytest.mark.parametrize("route", sorted(API_ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_api_route_as_a_unit_limited_operator(client, world, route):
    method, template = route
    kind, body_of = API_ROUTES[route]
    path = api_path(template, target_of(world, kind))
    body = body_of(world)
    before = state(world)

    answer = call(client, world, UNIT_OPERATOR, method, path, body)
    assert answer.status_code == _expected(route), answer.content
    if answer.status_code == 404:
        assert answer.json() == NOT_FOUND
        assert left_no_trail(world, UNIT_OPERATOR)
    assert state(world) == before

    control = call(client, world, actors(route)[1], method, path, body)
    assert 200 <= control.status_code < 300, control.content


def test_api_agreement_is_cut_to_the_operators_people(client, world):
    agreement = world.ttu.agreement.pk
    mine = call(client, world, UNIT_OPERATOR, "get", f"/agreements/{agreement}", None).json()
    whole = call(client, world, "ttu", "get", f"/agreements/{agreement}", None).json()
    assert (mine["people"], whole["people"]) == (1, 2)
    rows = call(client, world, UNIT_OPERATOR, "get", f"/agreements/{agreement}/memberships", None).json()
    assert [r["person_id"] for r in rows["results"]] == [world.ttu.own_person.pk]
    listed = call(client, world, UNIT_OPERATOR, "get", "/agreements", None).json()
    assert [(a["id"], a["people"]) for a in listed] == [(agreement, 1)]


def test_api_lists_hold_only_the_operators_units(client, world):
    def ids(path: str) -> list[int]:
        found = call(client, world, UNIT_OPERATOR, "get", path, None).json()
        return [row["id"] for row in (found["results"] if isinstance(found, dict) else found)]

    assert ids("/people") == [world.ttu.own_person.pk]
    assert ids(f"/people?q={world.ttu.person.nik}") == []
    assert ids("/units") == [world.ttu.own_unit.pk]
    assert ids("/duplicates") == ids("/bills") == ids("/reconciliations") == []
    arrears = call(client, world, UNIT_OPERATOR, "get", "/arrears?on=2023-12-31", None).json()
    assert arrears["bills"] == arrears["lapsed"] == []
    assert len(call(client, world, "ttu", "get", "/people", None).json()["results"]) == 3  # the control


def _bpjs_list(world) -> str:
    return f"NO KPJ,NIK,NAMA PESERTA\n23019999999,{world.ttu.person.nik},{world.ttu.person.name}\n"


def _bpjs_upload(world) -> dict:
    upload = StringIO(_bpjs_list(world))
    upload.name = "bpjs.csv"
    return {"file": upload, "region": "5303", "period": "2030-02"}


def test_api_region_wide_creations_are_refused(client, world):
    before = state(world)
    auth = world.auth(UNIT_OPERATOR)
    run = client.post(f"{BASE}/reconciliations", _bpjs_upload(world), headers=auth)
    assert run.status_code == 403, run.content
    month = call(
        client, world, UNIT_OPERATOR, "post", "/bills/generate", {"region": "5303", "period": "2023-02"}
    )
    assert month.status_code == 403
    assert state(world) == before and left_no_trail(world, UNIT_OPERATOR)
    control = client.post(f"{BASE}/reconciliations", _bpjs_upload(world), headers=world.auth("ttu"))
    assert control.status_code == 201, control.content


@pytest.mark.parametrize("name", sorted(WEB_ROUTES))
def test_web_page_as_a_unit_limited_operator(world, name):
    kind, method, data = WEB_ROUTES[name]
    target = target_of(world, kind)
    before = state(world)
    answer = web(logged_in(world, UNIT_OPERATOR), name, target.pk, method, data)
    assert answer.status_code == (200 if name in WEB_CUT else 404)
    assert state(world) == before
    if name not in WEB_CUT:
        assert left_no_trail(world, UNIT_OPERATOR)
    control = web(logged_in(world, actors(name)[1]), name, target.pk, method, data)
    assert control.status_code not in (404, 500)


def test_web_agreement_page_is_cut_to_the_operators_units(world):
    url = reverse("agreement", args=[world.ttu.agreement.pk])
    mine = logged_in(world, UNIT_OPERATOR).get(url).content.decode()
    whole = logged_in(world, "ttu").get(url).content.decode()
    registration_file = reverse("registration_file", args=[world.ttu.registration.pk])
    assert "Puskesmas Kefa" in mine and OTHER_UNIT not in mine and registration_file not in mine
    assert OTHER_UNIT in whole and registration_file in whole  # the control


@pytest.mark.parametrize("name", sorted(WEB_LISTS))
def test_web_lists_as_a_unit_limited_operator(world, name):
    text = WEB_LISTS[name]
    shown = logged_in(world, UNIT_OPERATOR).get(reverse(name)).content.decode()
    # The agreements list names the PKS (its terms concern every unit); nothing else of the region shows.
    assert (text in shown) == (name == "agreements")
    assert text in logged_in(world, "ttu").get(reverse(name)).content.decode()


def test_web_reconciliation_upload_is_not_offered_nor_accepted(world):
    browser = logged_in(world, UNIT_OPERATOR)
    assert 'type="file"' not in browser.get(reverse("reconcile")).content.decode()
    upload = _bpjs_upload(world)
    assert (
        browser.post(reverse("reconcile"), {"file": upload["file"], "period": "2030-02"}).status_code == 404
    )
    assert Reconciliation.objects.count() == BpjsSnapshot.objects.count() == 1


# --------------------------------------------------------------------------------------------- CLI
def _cli(*args, who: str = UNIT_OPERATOR) -> str:
    out = StringIO()
    call_command(*args, "--user", who, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (("enrol", "--agreement", "{agreement}"), "tidak berhak"),
        (("registrations", "export", "--agreement", "{agreement}", "--out", "{out}"), "tidak berhak"),
        (("registrations", "reply", "{reply}", "--batch", "{batch}"), "tidak ditemukan"),
        (("bills", "generate", "--region", "5303", "--period", "2023-02"), "tidak berhak"),
        (("bills", "export", "--bill", "{bill}", "--out", "{out}"), "tidak ditemukan"),
        (("reconcile", "--region", "5303", "{bpjs}", "--period", "2030-02"), "tidak berhak"),
        (
            ("units", "add", "--region", "5303", "--code", "BARU", "--name", "Unit Baru"),
            "tidak dapat menambah",
        ),
    ],
    ids=lambda a: " ".join(a[:2]) if isinstance(a, tuple) else a,
)
def test_cli_as_a_unit_limited_operator(world, tmp_path, args, refusal):
    reply, bpjs = tmp_path / "balasan.csv", tmp_path / "bpjs.csv"
    reply.write_text(f"NIK,KPJ\n{world.ttu.person.nik},23012345678\n")
    bpjs.write_text(_bpjs_list(world))
    ttu = world.ttu
    values = {"agreement": ttu.agreement.pk, "batch": ttu.registration.pk, "bill": ttu.bill.pk,
              "reply": reply, "bpjs": bpjs, "out": tmp_path / "keluar.xlsx"}  # fmt: skip
    command = [str(a).format(**values) for a in args]
    before = state(world)
    with pytest.raises(CommandError, match=refusal):
        _cli(*command)
    assert state(world) == before and left_no_trail(world, UNIT_OPERATOR)
    assert not (tmp_path / "keluar.xlsx").exists()
    _cli(*command, who="ttu" if args[0] in {"reconcile", "units"} else "ttu_finance")  # the control


def test_cli_lists_hold_only_the_operators_units(world):
    listed = json.loads(_cli("agreements", "list", "--json"))
    assert [(a["id"], a["people"]) for a in listed] == [(world.ttu.agreement.pk, 1)]
    pairs = _cli("duplicates", "list", "--region", "5303", "--json")
    assert json.loads(pairs) == []
    assert "Yohanis Kefi" in _cli("duplicates", "list", "--region", "5303", "--json", who="ttu")  # control
    assert [u["code"] for u in json.loads(_cli("units", "list", "--json"))] == [world.ttu.own_unit.code]
    assert len(json.loads(_cli("units", "list", "--region", "5303", "--json", who="ttu"))) == 2  # control


# ------------------------------------------------------------------------------------------- imports
def _roster(tmp_path, world) -> str:
    """Kornelis in the operator's own unit, Yohanes (renamed) and a newcomer in the other TTU unit."""
    roster = tmp_path / "daftar.csv"
    roster.write_text(
        "NIK,Nama,Jenis Kelamin,Tanggal Lahir,Unit Kerja\n"
        f"{world.ttu.own_person.nik},Kornelis Taek,L,02/01/1990,Puskesmas Kefa\n"
        f"{world.ttu.person.nik},Yohanes DIUBAH,P,30/04/1985,{OTHER_UNIT}\n"
        f"5303014101900004,Uji Coba,P,01/01/1990,{OTHER_UNIT}\n"
    )
    return str(roster)


def test_an_import_with_rows_of_another_unit_writes_nothing_on_any_channel(client, world, tmp_path):
    before = state(world)
    with pytest.raises(CommandError, match="Baris 3, 4 memakai unit di luar unit Anda"):
        _cli("import", "roster", _roster(tmp_path, world), "--region", "5303", "--json")
    with open(_roster(tmp_path, world), "rb") as upload:
        api = client.post(
            f"{BASE}/imports", {"file": upload, "region": "5303"}, headers=world.auth(UNIT_OPERATOR)
        )
    assert "memakai unit di luar unit Anda" in api.json()["message"]
    browser = logged_in(world, UNIT_OPERATOR)
    with open(_roster(tmp_path, world), "rb") as upload:
        page = browser.post(reverse("import_upload"), {"file": upload, "group": "non_asn"}, follow=True)
    assert "memakai unit di luar unit Anda" in page.content.decode()
    after = state(world)
    assert after["people"] == before["people"] and after["engagements"] == before["engagements"]
    imported = json.loads(
        _cli("import", "roster", _roster(tmp_path, world), "--region", "5303", "--json", who="ttu")
    )
    assert imported["imported"] == 1 and imported["updated"] == 1  # the control: the region-wide operator
