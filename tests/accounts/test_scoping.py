"""Tenant scoping, proven route by route.

A Kota Kupang (5371) operator must not list, read, change or export a record of Kab. Timor Tengah Utara
(5303) by any route (web page, API endpoint, CLI command), and must get 404, never 403: a 403 would confirm
that the record exists. Each refusal is paired with a control: the TTU operator (or the NTT province monitor,
for reads) gets through the same route with the same request, so a 404 caused by a wrong URL or a broken body
cannot pass for scoping. The route tables are checked against the URL resolver, the OpenAPI document and the
list of management commands, so a new route that takes an id or a region fails here until it is covered.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, load_command_class

from payung.accounts import cli, scope
from payung.registry.models import ImportBatch, Person
from tests.accounts.routes import (
    API_CREATES,
    API_LISTS,
    API_REFERENCE,
    API_ROUTES,
    CLI_SCOPED,
    CLI_UNSCOPED,
    NOT_FOUND,
    WEB_LISTS,
    WEB_ROUTES,
    actors,
    api_path,
    call,
    left_no_trail,
    logged_in,
    operations,
    parser_options,
    payung_commands,
    state,
    target_of,
    web,
    web_patterns,
)
from tests.api.conftest import BASE

pytestmark = pytest.mark.django_db


def test_every_api_operation_is_covered_by_this_proof():
    covered = set(API_ROUTES) | API_LISTS | API_CREATES | API_REFERENCE
    assert operations() == covered, "classify the new API route here and prove its scoping"


@pytest.mark.parametrize("route", sorted(API_ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_api_route_hides_another_tenants_record(client, world, route):
    method, template = route
    kind, body_of = API_ROUTES[route]
    target = target_of(world, kind)
    path = api_path(template, target)
    body = body_of(world)
    before = state(world)
    outsider, owner = actors(route)

    refused = call(client, world, outsider, method, path, body)
    assert refused.status_code == 404 and refused.json() == NOT_FOUND
    missing = call(client, world, outsider, method, path.replace(str(target.pk), "987654", 1), body)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND), "out of scope must read as missing"

    monitor = call(client, world, "province", method, path, body)
    assert monitor.status_code == (200 if method == "get" else 403), monitor.content
    assert state(world) == before and left_no_trail(world, "kupang", "kupang_finance")

    control = call(client, world, owner, method, path, body)
    assert 200 <= control.status_code < 300, control.content


def test_api_lists_leave_out_the_other_tenant(client, world):
    ttu_nik = world.ttu.person.nik
    people = call(client, world, "kupang", "get", "/people", None).json()["results"]
    by_nik = call(client, world, "kupang", "get", f"/people?q={ttu_nik}", None).json()["results"]
    by_name = call(client, world, "kupang", "get", "/people?q=Yohanes Kefi", None).json()["results"]
    units = call(client, world, "kupang", "get", "/units", None).json()
    pairs = call(client, world, "kupang", "get", "/duplicates", None).json()["results"]
    assert {p["id"] for p in people} == {world.kupang.person.pk, world.kupang.twin.pk}
    assert by_nik == by_name == []
    assert {u["id"] for u in units} == {world.kupang.unit.pk}
    assert {c["id"] for c in pairs} == {world.kupang.candidate.pk}
    agreements = call(client, world, "kupang_finance", "get", "/agreements", None).json()
    assert agreements == []
    monitor_agreements = call(client, world, "province", "get", "/agreements", None).json()
    assert [a["id"] for a in monitor_agreements] == [world.ttu.agreement.pk]
    arrears = call(client, world, "kupang", "get", "/arrears?on=2023-12-31", None).json()
    assert arrears["bills"] == arrears["lapsed"] == []
    monitor_arrears = call(client, world, "province", "get", "/arrears?on=2023-12-31", None).json()
    assert [b["bill_id"] for b in monitor_arrears["bills"]] == [world.ttu.bill.pk]
    monitor = call(client, world, "province", "get", "/people", None).json()
    assert monitor["count"] == 5  # the control: the province monitor sees both tenants


def test_api_creations_into_the_other_tenant_are_404(client, world):
    person = {
        "nik": "5303014101850009",
        "name": "Uji",
        "sex": "P",
        "birth_date": "1985-01-01",
        "region": "5303",
    }
    assert call(client, world, "kupang", "post", "/people", person).json() == NOT_FOUND
    upload = {"file": StringIO("NIK,Nama\n"), "region": "5303"}
    response = client.post(f"{BASE}/imports", upload, headers=world.auth("kupang"))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    pks = {
        "region": "5303", "number": "PKS/BARU", "pemda_party": "Pemkab TTU", "bpjs_branch": "Cabang Kefa",
        "signed_on": "2024-01-02", "valid_from": "2024-04-10", "valid_to": "2027-04-09",
        "groups": ["teacher"], "programs": ["JKM"],
    }  # fmt: skip
    assert call(client, world, "kupang_finance", "post", "/agreements", pks).json() == NOT_FOUND
    assert call(client, world, "ttu_finance", "post", "/agreements", pks).status_code == 201  # the control
    month = {"region": "5303", "period": "2023-02"}
    assert call(client, world, "kupang_finance", "post", "/bills/generate", month).json() == NOT_FOUND
    assert call(client, world, "ttu_finance", "post", "/bills/generate", month).status_code == 201  # control
    assert state(world)["people"] == [
        {"pk": p.pk, "name": p.name, "phone": "", "status": "active"}
        for p in (world.ttu.person, world.ttu.twin, world.ttu.own_person)
    ]


def test_every_web_url_with_an_id_is_covered_by_this_proof():
    assert set(web_patterns()) == set(WEB_ROUTES), "add the new page to WEB_ROUTES and prove its scoping"


@pytest.mark.parametrize("name", sorted(WEB_ROUTES))
def test_web_page_hides_another_tenants_record(world, name):
    kind, method, data = WEB_ROUTES[name]
    target = target_of(world, kind)
    before = state(world)
    outsider, owner = actors(name)
    assert web(logged_in(world, outsider), name, target.pk, method, data).status_code == 404
    monitor = web(logged_in(world, "province"), name, target.pk, method, data)
    assert monitor.status_code == (200 if method == "get" else 404)
    assert state(world) == before and left_no_trail(world, "kupang", "kupang_finance")
    control = web(logged_in(world, owner), name, target.pk, method, data)
    assert control.status_code not in (404, 500)


@pytest.mark.parametrize("name", sorted(WEB_LISTS))
def test_web_lists_leave_out_the_other_tenant(world, name):
    from django.urls import reverse

    text = WEB_LISTS[name]
    assert text not in logged_in(world, "kupang").get(reverse(name)).content.decode()
    assert text in logged_in(world, "province").get(reverse(name)).content.decode()


def test_every_payung_command_is_classified():
    assert set(payung_commands()) == set(CLI_UNSCOPED) | CLI_SCOPED


@pytest.mark.parametrize("name", sorted(CLI_SCOPED))
def test_scoped_commands_take_a_user(name):
    command = load_command_class(payung_commands()[name], name)
    assert "--user" in parser_options(command.create_parser("payung", name))


def _import(tmp_path, *args: str) -> dict:
    roster = tmp_path / "daftar.csv"
    roster.write_text(
        "NIK,Nama,Jenis Kelamin,Tanggal Lahir,Unit Kerja\n"
        "5303014101900004,Uji Coba,P,01/01/1990,Dinas Kab. Timor Tengah Utara\n"
    )
    out = StringIO()
    call_command("import", "roster", str(roster), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_import_into_another_tenant_is_not_found(world, tmp_path):
    with pytest.raises(CommandError) as refused:
        _import(tmp_path, "--region", "5303", "--user", "kupang")
    with pytest.raises(CommandError) as missing:
        _import(tmp_path, "--region", "5399", "--user", "kupang")
    assert str(refused.value) == str(missing.value).replace("5399", "5303")
    assert "tidak ditemukan" in str(refused.value)
    with pytest.raises(CommandError) as monitor:
        _import(tmp_path, "--region", "5303", "--user", "province")
    assert "tidak berhak" in str(monitor.value)
    assert not ImportBatch.objects.exclude(pk__in=[world.kupang.batch.pk, world.ttu.batch.pk]).exists()
    assert _import(tmp_path, "--region", "5303", "--user", "ttu")["imported"] == 1  # the control


@pytest.mark.parametrize("action", ["list", "find"])
def test_cli_duplicates_of_another_tenant_are_not_found(world, action):
    out = StringIO()
    with pytest.raises(CommandError, match="5303 tidak ditemukan"):
        call_command("duplicates", action, "--region", "5303", "--user", "kupang", stdout=out)
    assert "Kefi" not in out.getvalue()
    call_command("duplicates", "list", "--region", "5303", "--user", "province", "--json", stdout=out)
    assert "Yohanes Kefi" in out.getvalue()  # the control: the monitor reads TTU's queue


@pytest.mark.parametrize(
    "args",
    [
        ("enrol", "--agreement", "{agreement}"),
        ("registrations", "export", "--agreement", "{agreement}", "--out", "{out}"),
        ("registrations", "reply", "{reply}", "--batch", "{batch}"),
        ("bills", "generate", "--region", "5303", "--period", "2023-02"),
    ],
)
def test_cli_coverage_of_another_tenant_is_not_found(world, tmp_path, args):
    reply = tmp_path / "balasan.csv"
    reply.write_text(f"NIK,KPJ\n{world.ttu.person.nik},23012345678\n")
    values = {"agreement": world.ttu.agreement.pk, "batch": world.ttu.registration.pk, "reply": reply,
              "out": tmp_path / "kirim.xlsx"}  # fmt: skip
    command = [str(a).format(**values) for a in args]
    before = state(world)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command(*command, "--user", "kupang_finance", stdout=StringIO())
    with pytest.raises(CommandError, match="tidak berhak"):
        call_command(*command, "--user", "province", stdout=StringIO())
    assert state(world) == before and left_no_trail(world, "kupang", "kupang_finance")
    call_command(*command, "--user", "ttu_finance", stdout=StringIO())  # the control
    listed = StringIO()
    call_command("agreements", "list", "--json", "--user", "kupang_finance", stdout=listed)
    assert json.loads(listed.getvalue()) == []


def test_cli_reconcile_against_another_tenant_is_not_found(world, tmp_path):
    bpjs = tmp_path / "bpjs.csv"
    bpjs.write_text(f"NO KPJ,NIK,NAMA PESERTA\n23012222222,{world.ttu.person.nik},{world.ttu.person.name}\n")
    command = ["reconcile", "--region", "5303", str(bpjs), "--period", "2030-01", "--json"]
    before = state(world)
    with pytest.raises(CommandError, match="5303 tidak ditemukan"):
        call_command(*command, "--user", "kupang", stdout=StringIO())
    with pytest.raises(CommandError, match="tidak berhak"):
        call_command(*command, "--user", "province", stdout=StringIO())
    assert state(world) == before and left_no_trail(world, "kupang", "kupang_finance")
    out = StringIO()
    call_command(*command, "--user", "ttu", stdout=out)  # the control
    assert json.loads(out.getvalue())["region"] == "5303"


def test_cli_user_from_the_environment(world, monkeypatch):
    monkeypatch.setenv(cli.ENV_USER, "kupang")
    user = cli.acting_user({})
    assert user == world.users["kupang"]
    with pytest.raises(CommandError, match="5303 tidak ditemukan"):
        cli.tenant(user, "5303")
    assert cli.tenant(cli.acting_user({"user": "ttu"}), "5303").code == "5303"


def test_cli_helper_answers_not_found_alike_for_missing_and_foreign_objects(world):
    kupang = world.users["kupang"]
    people = cli.visible(kupang, Person.objects.all(), scope.people)
    messages = []
    for pk in (world.ttu.person.pk, 987654):
        with pytest.raises(CommandError) as refused:
            cli.get_visible(people, "Orang", pk)
        messages.append(str(refused.value).replace(str(pk), "#"))
    assert messages[0] == messages[1]
    assert cli.get_visible(people, "Orang", world.kupang.person.pk) == world.kupang.person
    with pytest.raises(CommandError, match="tidak ditemukan"):
        cli.unit(kupang, world.ttu.region, world.ttu.unit.code)
    with pytest.raises(CommandError, match="tidak ditemukan atau tidak aktif"):
        cli.acting_user({"user": "siapa"})
    assert cli.acting_user({}) is None  # the server's own shell: unscoped


UNIT_ADD = ("units", "add", "--region", "5303", "--code", "BARU", "--name", "Unit Baru")


@pytest.mark.parametrize("args", [UNIT_ADD, ("units", "list", "--region", "5303")], ids=lambda a: a[1])
def test_cli_units_of_another_tenant_are_not_found(world, args):
    before = state(world)
    with pytest.raises(CommandError) as refused:
        call_command(*args, "--user", "kupang", stdout=StringIO())
    with pytest.raises(CommandError) as missing:
        call_command(*[a.replace("5303", "5399") for a in args], "--user", "kupang", stdout=StringIO())
    assert str(refused.value) == str(missing.value).replace("5399", "5303")
    assert state(world) == before and left_no_trail(world, "kupang")
    call_command(*args, "--user", "ttu", stdout=StringIO())  # the control


def test_cli_units_add_needs_an_editing_role_and_list_leaves_out_the_other_tenant(world):
    before = state(world)
    with pytest.raises(CommandError, match="tidak berhak"):
        call_command(*UNIT_ADD, "--user", "province", stdout=StringIO())
    assert state(world) == before
    listed = StringIO()
    call_command("units", "list", "--json", "--user", "kupang", stdout=listed)
    assert {u["region"] for u in json.loads(listed.getvalue())} == {"5371"}
