"""Tenant scoping, proven route by route.

A Kota Kupang (5371) operator must not list, read, change or export a record of Kab. Timor Tengah Utara
(5303) by any route (web page, API endpoint, CLI command), and must get 404, never 403: a 403 would confirm
that the record exists. Each refusal is paired with a control: the TTU operator (or the NTT province monitor,
for reads) gets through the same route with the same request, so a 404 caused by a wrong URL or a broken body
cannot pass for scoping. The route tables are checked against the URL resolver, the OpenAPI document and the
list of management commands, so a new route that takes an id or a region fails here until it is covered.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from payung.accounts import cli, scope
from payung.accounts.models import ApiToken, Role, User
from payung.api.api import api as ninja_api
from payung.audit.models import AuditEvent
from payung.contributions.models import Payment
from payung.coverage.models import Agreement, Membership, RegistrationBatch, RegistrationEntry
from payung.reconcile import services as reconcile
from payung.reconcile.models import BpjsSnapshot, Finding, Reconciliation
from payung.registry.models import DuplicateCandidate, ImportBatch, Person
from tests.api.conftest import BASE
from tests.api.world import FAST_HASHERS, build
from tests.contributions import money

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Tidak ditemukan."}


@pytest.fixture
def world(db, tmp_path, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "files"
    return _with_reconciliation(_with_money(build(tmp_path)), tmp_path)


def _with_reconciliation(world, tmp_path):
    """A TTU BPJS list reconciled with TTU's registry by the TTU operator; its proposed pair is the
    finding the review routes decide on (accepting it is the control's valid request)."""
    person = world.ttu.person
    bpjs = tmp_path / "bpjs-5303-rahasia.csv"
    bpjs.write_text(f"NO KPJ,NIK,NAMA PESERTA,TGL LAHIR\n23011111111,{person.nik},{person.name},30/04/1985\n")
    ttu = world.users["ttu"]
    snapshot = reconcile.upload(ttu, world.ttu.region, bpjs, filename=bpjs.name, period=dt.date(2030, 1, 1))
    world.ttu.reconciliation = reconcile.run(ttu, snapshot, channel="cli")
    world.ttu.finding = Finding.objects.get(reconciliation=world.ttu.reconciliation, person=person,
                                            bpjs_line__isnull=False)  # fmt: skip
    return world


def _with_money(world):
    """A finance user per tenant and an unpaid TTU bill: money routes are refused and controlled by the
    users who may record payments, so a 404 there proves the scope, not the role."""
    for name, code in (("kupang_finance", "5371"), ("ttu_finance", "5303")):
        user = User.objects.create_user(name, role=Role.FINANCE, region_id=code)
        world.users[name] = user
        world.tokens[name] = ApiToken.issue(user, "ujian")[1]
    agreement = money.agreement(world.ttu.region, "PKS/TTU/RAHASIA", category="bpu")
    world.ttu.bill = money.bill(
        agreement, dt.date(2023, 1, 1), [money.Line(world.ttu.person, world.ttu.unit, "JKM", 6_800)]
    )
    # A TTU member whom BPJS rejected once: pending again, so the TTU treasurer's control can register.
    world.ttu.agreement = agreement
    Membership.objects.create(
        agreement=agreement, region=world.ttu.region, person=world.ttu.person, unit=world.ttu.unit,
        engagement=world.ttu.person.engagements.get(), start=dt.date(2023, 1, 1), end=dt.date(2024, 4, 9),
        basis=1_000_000,
    )  # fmt: skip
    world.ttu.registration = RegistrationBatch.objects.create(agreement=agreement)
    RegistrationEntry.objects.create(batch=world.ttu.registration, person=world.ttu.person, state="rejected")
    return world


# Routes that write money: refused for the Kupang treasurer, controlled by the TTU treasurer.
MONEY_ROUTES = {
    ("post", "/bills/{bill_id}/payments"),
    "bill_pay",
    ("post", "/agreements/{agreement_id}/enrol"),
    ("post", "/agreements/{agreement_id}/registrations"),
    ("post", "/registrations/{batch_id}/reply"),
    "agreement_edit",
    "agreement_enrol",
    "registration_create",
    "registration_reply",
}


def _actors(route) -> tuple[str, str]:
    return ("kupang_finance", "ttu_finance") if route in MONEY_ROUTES else ("kupang", "ttu")


def _state(world) -> dict:
    """Everything a write on a TTU record could change; compared before and after the refused attempts."""
    people = Person.objects.filter(region_id="5303").order_by("pk")
    return {
        "people": list(people.values("pk", "name", "phone", "status")),
        "engagements": sorted(people.values_list("engagements__pk", "engagements__group")),
        "batches": list(ImportBatch.objects.filter(region_id="5303").values("pk", "state", "imported")),
        "candidates": list(DuplicateCandidate.objects.filter(region_id="5303").values("pk", "state")),
        "payments": list(Payment.objects.filter(bill__region_id="5303").values("pk", "amount")),
        "agreements": list(Agreement.objects.filter(region_id="5303").values("pk", "number", "valid_to")),
        "memberships": list(Membership.objects.filter(region_id="5303").values("pk", "start", "end")),
        "registrations": list(
            RegistrationEntry.objects.filter(batch__agreement__region_id="5303").values("pk", "state", "kpj")
        ),
        "reconciliations": list(Reconciliation.objects.filter(region_id="5303").values("pk")),
        "snapshots": list(BpjsSnapshot.objects.filter(region_id="5303").values("pk")),
        "findings": list(Finding.objects.filter(region_id="5303").values("pk", "state", "action", "reason")),
    }


def _kupang_left_no_trail(world) -> bool:
    """A refused request records nothing: no view, no export, no change in the Kupang operator's name."""
    return not AuditEvent.objects.filter(
        actor__in=[world.users["kupang"], world.users["kupang_finance"]]
    ).exists()


# --------------------------------------------------------------------------------------------- API
# (method, OpenAPI path) -> (the TTU object in the path, the request body). Bodies are valid for the TTU
# operator, whose success is the control.
STATUS = {"status": "ended", "effective_date": "2026-01-31", "reason": "Kontrak selesai"}
API_ROUTES = {
    ("get", "/people/{person_id}"): ("person", lambda w: None),
    ("patch", "/people/{person_id}"): (
        "person",
        lambda w: {"phone": "081100000000", "reason": "Nomor baru", "version": w.ttu.person.version},
    ),
    ("post", "/people/{person_id}/engagements"): (
        "person",
        lambda w: {"unit_id": w.ttu.unit.pk, "group": "rentan"},
    ),
    ("post", "/people/{person_id}/status"): ("person", lambda w: STATUS),
    ("get", "/imports/{batch_id}"): ("batch", lambda w: None),
    ("get", "/imports/{batch_id}/errors.xlsx"): ("batch", lambda w: None),
    ("post", "/duplicates/{candidate_id}/merge"): (
        "candidate",
        lambda w: {"keep": w.ttu.person.pk, "reason": "Orang yang sama"},
    ),
    ("post", "/duplicates/{candidate_id}/dismiss"): ("candidate", lambda w: {"reason": "Orang berbeda"}),
    ("get", "/bills/{bill_id}/payments"): ("bill", lambda w: None),
    ("post", "/bills/{bill_id}/payments"): (
        "bill",
        lambda w: {"paid_on": "2023-01-20", "amount": 100, "reference": "SP2D-1"},
    ),
    ("get", "/people/{person_id}/ledger"): ("person", lambda w: None),
    ("get", "/bills/{bill_id}"): ("bill", lambda w: None),
    ("get", "/agreements/{agreement_id}"): ("agreement", lambda w: None),
    ("get", "/agreements/{agreement_id}/memberships"): ("agreement", lambda w: None),
    ("post", "/agreements/{agreement_id}/enrol"): ("agreement", lambda w: {}),
    ("post", "/agreements/{agreement_id}/registrations"): ("agreement", lambda w: {"layout": "sipp"}),
    ("get", "/registrations/{batch_id}/file.xlsx"): ("registration", lambda w: None),
    ("post", "/registrations/{batch_id}/reply"): (
        "registration",
        lambda w: {"upload": f"NIK,KPJ\n{w.ttu.person.nik},23012345678\n"},
    ),
    ("get", "/reconciliations/{reconciliation_id}"): ("reconciliation", lambda w: None),
    ("get", "/reconciliations/{reconciliation_id}/findings"): ("reconciliation", lambda w: None),
    ("post", "/reconciliations/{reconciliation_id}/rerun"): ("reconciliation", lambda w: {}),
    ("get", "/reconciliations/{reconciliation_id}/bpjs.xlsx"): ("reconciliation", lambda w: None),
    ("get", "/reconciliations/{reconciliation_id}/summary.xlsx"): ("reconciliation", lambda w: None),
    ("post", "/findings/{finding_id}/review"): (
        "finding",
        lambda w: {"decision": "accept", "reason": "Orang yang sama"},
    ),
}
# Operations with no object id: lists (checked below for leaks) and creations that name a region.
API_LISTS = {
    ("get", "/people"),
    ("get", "/units"),
    ("get", "/duplicates"),
    ("get", "/arrears"),
    ("get", "/agreements"),
    ("get", "/bills"),
    ("get", "/reconciliations"),
}
API_CREATES = {
    ("post", "/people"),
    ("post", "/imports"),
    ("post", "/agreements"),
    ("post", "/bills/generate"),
    ("post", "/reconciliations"),
}
# Reference data, the same for everyone: published Kemendagri codes, the pure NIK check, the national rules
# and the quote computed from them (adding a rule version is a right of its own: tests/rules, tests/api).
API_REFERENCE = {
    ("get", "/nik/{nik}"),
    ("get", "/regions/{code}"),
    ("get", "/rules"),
    ("get", "/rules/{key}/versions"),
    ("post", "/rules/{key}/versions"),
    ("get", "/contributions/quote"),
}


def _operations() -> set[tuple[str, str]]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return {(method, path.removeprefix(BASE)) for path, ops in paths.items() for method in ops}


def test_every_api_operation_is_covered_by_this_proof():
    covered = set(API_ROUTES) | API_LISTS | API_CREATES | API_REFERENCE
    assert _operations() == covered, "classify the new API route here and prove its scoping"


def _object(world, kind: str):
    return {
        "person": world.ttu.person,
        "batch": world.ttu.batch,
        "candidate": world.ttu.candidate,
        "bill": world.ttu.bill,
        "agreement": world.ttu.agreement,
        "registration": world.ttu.registration,
        "reconciliation": world.ttu.reconciliation,
        "finding": world.ttu.finding,
    }[kind]


def _call(client, world, who: str, method: str, path: str, body):
    headers = world.auth(who)
    if method == "get":
        return client.get(BASE + path, headers=headers)
    if body and "upload" in body:  # a file upload: a fresh multipart body for every call
        upload = StringIO(body["upload"])
        upload.name = "balasan.csv"
        return client.post(BASE + path, {"file": upload}, headers=headers)
    send = getattr(client, method)
    return send(BASE + path, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.parametrize("route", sorted(API_ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_api_route_hides_another_tenants_record(client, world, route):
    method, template = route
    kind, body_of = API_ROUTES[route]
    target = _object(world, kind)
    path = re.sub(r"\{\w+\}", str(target.pk), template)
    body = body_of(world)
    before = _state(world)
    outsider, owner = _actors(route)

    refused = _call(client, world, outsider, method, path, body)
    assert refused.status_code == 404 and refused.json() == NOT_FOUND
    missing = _call(client, world, outsider, method, path.replace(str(target.pk), "987654", 1), body)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND), "out of scope must read as missing"

    monitor = _call(client, world, "province", method, path, body)
    assert monitor.status_code == (200 if method == "get" else 403), monitor.content
    assert _state(world) == before and _kupang_left_no_trail(world)

    control = _call(client, world, owner, method, path, body)
    assert 200 <= control.status_code < 300, control.content


def test_api_lists_leave_out_the_other_tenant(client, world):
    ttu_nik = world.ttu.person.nik
    people = _call(client, world, "kupang", "get", "/people", None).json()["results"]
    by_nik = _call(client, world, "kupang", "get", f"/people?q={ttu_nik}", None).json()["results"]
    by_name = _call(client, world, "kupang", "get", "/people?q=Yohanes Kefi", None).json()["results"]
    units = _call(client, world, "kupang", "get", "/units", None).json()
    pairs = _call(client, world, "kupang", "get", "/duplicates", None).json()["results"]
    assert {p["id"] for p in people} == {world.kupang.person.pk, world.kupang.twin.pk}
    assert by_nik == by_name == []
    assert {u["id"] for u in units} == {world.kupang.unit.pk}
    assert {c["id"] for c in pairs} == {world.kupang.candidate.pk}
    agreements = _call(client, world, "kupang_finance", "get", "/agreements", None).json()
    assert agreements == []
    monitor_agreements = _call(client, world, "province", "get", "/agreements", None).json()
    assert [a["id"] for a in monitor_agreements] == [world.ttu.agreement.pk]
    arrears = _call(client, world, "kupang", "get", "/arrears?on=2023-12-31", None).json()
    assert arrears["bills"] == arrears["lapsed"] == []
    monitor_arrears = _call(client, world, "province", "get", "/arrears?on=2023-12-31", None).json()
    assert [b["bill_id"] for b in monitor_arrears["bills"]] == [world.ttu.bill.pk]
    monitor = _call(client, world, "province", "get", "/people", None).json()
    assert monitor["count"] == 4  # the control: the province monitor sees both tenants


def test_api_creations_into_the_other_tenant_are_404(client, world):
    person = {
        "nik": "5303014101850009",
        "name": "Uji",
        "sex": "P",
        "birth_date": "1985-01-01",
        "region": "5303",
    }
    assert _call(client, world, "kupang", "post", "/people", person).json() == NOT_FOUND
    upload = {"file": StringIO("NIK,Nama\n"), "region": "5303"}
    response = client.post(f"{BASE}/imports", upload, headers=world.auth("kupang"))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    pks = {
        "region": "5303", "number": "PKS/BARU", "pemda_party": "Pemkab TTU", "bpjs_branch": "Cabang Kefa",
        "signed_on": "2024-01-02", "valid_from": "2024-04-10", "valid_to": "2027-04-09",
        "groups": ["teacher"], "programs": ["JKM"],
    }  # fmt: skip
    assert _call(client, world, "kupang_finance", "post", "/agreements", pks).json() == NOT_FOUND
    assert _call(client, world, "ttu_finance", "post", "/agreements", pks).status_code == 201  # the control
    month = {"region": "5303", "period": "2023-02"}
    assert _call(client, world, "kupang_finance", "post", "/bills/generate", month).json() == NOT_FOUND
    assert _call(client, world, "ttu_finance", "post", "/bills/generate", month).status_code == 201  # control
    assert _state(world)["people"] == [
        {"pk": p.pk, "name": p.name, "phone": "", "status": "active"}
        for p in (world.ttu.person, world.ttu.twin)
    ]


# --------------------------------------------------------------------------------------------- web
# URL name -> (the TTU object in the URL, method, form data). The web answers non-editors 404 as well.
WEB_ROUTES = {
    "person": ("person", "get", {}),
    "person_edit": ("person", "post", {"name": "Diubah", "reason": "uji"}),
    "engagement_add": ("person", "post", {"unit": "", "group": "rentan"}),
    "status_change": ("person", "post", STATUS),
    "import": ("batch", "get", {}),
    "import_commit": ("batch", "post", {}),
    "import_errors": ("batch", "get", {}),
    "duplicate": ("candidate", "get", {}),
    "duplicate_merge": ("candidate", "post", {"keep": "left", "reason": "Orang yang sama"}),
    "duplicate_dismiss": ("candidate", "post", {"reason": "Orang berbeda"}),
    "bill": ("bill", "get", {}),
    "bill_pay": ("bill", "post", {"paid_on": "20/01/2023", "amount": "100", "reference": "SP2D-1"}),
    "ledger": ("person", "get", {}),
    "bill_xlsx": ("bill", "get", {}),
    "bill_pdf": ("bill", "get", {}),
    "agreement": ("agreement", "get", {}),
    "agreement_edit": ("agreement", "post", {"number": "DIUBAH", "reason": "uji"}),
    "agreement_enrol": ("agreement", "post", {}),
    "registration_create": ("agreement", "post", {}),
    "registration_file": ("registration", "get", {}),
    "registration_reply": ("registration", "post", {}),
    "reconciliation": ("reconciliation", "get", {}),
    "reconcile_findings": ("reconciliation", "get", {}),
    "reconcile_rerun": ("reconciliation", "post", {}),
    "reconcile_bpjs_xlsx": ("reconciliation", "get", {}),
    "reconcile_summary_xlsx": ("reconciliation", "get", {}),
    "reconcile_finding": ("finding", "get", {}),
    "reconcile_review": ("finding", "post", {"decision": "accept", "reason": "Orang yang sama"}),
}
WEB_LISTS = {
    "people": "Yohanes Kefi",
    "duplicates": "Yohanis Kefi",
    "import_history": "daftar-5303",
    "arrears": "PKS/TTU/RAHASIA",
    "agreements": "PKS/TTU/RAHASIA",
    "bills": "PKS/TTU/RAHASIA",
    "reconcile": "bpjs-5303-rahasia.csv",
}


def _web_patterns(patterns=None, prefix="") -> dict[str, object]:
    """Every named web URL that takes an argument (the API has its own proof above)."""
    found = {}
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace not in {"api"}:
                found.update(_web_patterns(entry.url_patterns, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern) and entry.pattern.converters and entry.name:
            found[entry.name] = entry
    return found


def test_every_web_url_with_an_id_is_covered_by_this_proof():
    assert set(_web_patterns()) == set(WEB_ROUTES), "add the new page to WEB_ROUTES and prove its scoping"


def _browser(world, who: str) -> Client:
    browser = Client()
    browser.force_login(world.users[who])
    return browser


def _web(browser: Client, name: str, pk: int, method: str, data: dict):
    from django.urls import reverse

    url = reverse(name, args=[pk])
    return browser.get(url) if method == "get" else browser.post(url, data)


@pytest.mark.parametrize("name", sorted(WEB_ROUTES))
def test_web_page_hides_another_tenants_record(world, name):
    kind, method, data = WEB_ROUTES[name]
    target = _object(world, kind)
    before = _state(world)
    outsider, owner = _actors(name)
    assert _web(_browser(world, outsider), name, target.pk, method, data).status_code == 404
    monitor = _web(_browser(world, "province"), name, target.pk, method, data)
    assert monitor.status_code == (200 if method == "get" else 404)
    assert _state(world) == before and _kupang_left_no_trail(world)
    control = _web(_browser(world, owner), name, target.pk, method, data)
    assert control.status_code not in (404, 500)


@pytest.mark.parametrize("name", sorted(WEB_LISTS))
def test_web_lists_leave_out_the_other_tenant(world, name):
    from django.urls import reverse

    text = WEB_LISTS[name]
    assert text not in _browser(world, "kupang").get(reverse(name)).content.decode()
    assert text in _browser(world, "province").get(reverse(name)).content.decode()


# --------------------------------------------------------------------------------------------- CLI
# Payung's management commands that touch no tenant's records, and why.
CLI_UNSCOPED = {
    "nik": "pure NIK check: no registry data",
    "token": "server administrator's tool: issues credentials, reads no records",
    "demo-data": "server setup: generates synthetic demo people from a seed",
    "demo-roster": "writes synthetic roster files from a seed; no database",
    "demo-users": "server setup: creates the demo accounts",
    "demo-coverage": "server setup: demo agreements, bills and payments over the demo people",
    "rules": "national reference data; adding a version checks its own right (tests/rules)",
    "contributions": "a quote from the rules alone: no registry data",
}
CLI_SCOPED = {"import", "duplicates", "agreements", "enrol", "registrations", "bills", "reconcile"}


def _payung_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("payung")}


def test_every_payung_command_is_classified():
    assert set(_payung_commands()) == set(CLI_UNSCOPED) | CLI_SCOPED


def _options(parser) -> set[str]:
    names = set()
    for action in parser._actions:
        names.update(action.option_strings)
        if isinstance(action.choices, dict):  # subcommands: name -> parser
            for sub in action.choices.values():
                names |= _options(sub)
    return names


@pytest.mark.parametrize("name", sorted(CLI_SCOPED))
def test_scoped_commands_take_a_user(name):
    command = load_command_class(_payung_commands()[name], name)
    assert "--user" in _options(command.create_parser("payung", name))


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
    before = _state(world)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command(*command, "--user", "kupang_finance", stdout=StringIO())
    with pytest.raises(CommandError, match="tidak berhak"):
        call_command(*command, "--user", "province", stdout=StringIO())
    assert _state(world) == before and _kupang_left_no_trail(world)
    call_command(*command, "--user", "ttu_finance", stdout=StringIO())  # the control
    listed = StringIO()
    call_command("agreements", "list", "--json", "--user", "kupang_finance", stdout=listed)
    assert json.loads(listed.getvalue()) == []


def test_cli_reconcile_against_another_tenant_is_not_found(world, tmp_path):
    bpjs = tmp_path / "bpjs.csv"
    bpjs.write_text(f"NO KPJ,NIK,NAMA PESERTA\n23012222222,{world.ttu.person.nik},{world.ttu.person.name}\n")
    command = ["reconcile", "--region", "5303", str(bpjs), "--period", "2030-01", "--json"]
    before = _state(world)
    with pytest.raises(CommandError, match="5303 tidak ditemukan"):
        call_command(*command, "--user", "kupang", stdout=StringIO())
    with pytest.raises(CommandError, match="tidak berhak"):
        call_command(*command, "--user", "province", stdout=StringIO())
    assert _state(world) == before and _kupang_left_no_trail(world)
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
