"""The world and the route tables of the scoping proofs (test_scoping: another tenant; test_unit_scoping: an
operator limited to some units of the same tenant).

Two tenants from tests.api.world, a finance user per tenant, a TTU agreement with a bill and a registration
batch, a TTU reconciliation with a proposed pair, and a TTU operator limited to a second TTU unit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

from django.core.management import get_commands
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from payung.accounts.models import ApiToken, Role, User
from payung.api.api import api as ninja_api
from payung.audit.models import AuditEvent
from payung.budget.models import BudgetLine, Scenario
from payung.claims import checklist, pricing
from payung.claims.models import Claim, Document, Event, Heir, Scholarship
from payung.contributions.models import Payment
from payung.coverage.models import Agreement, Membership, RegistrationBatch, RegistrationEntry
from payung.monitoring.models import Meeting, Priority, Regulation
from payung.reconcile import services as reconcile
from payung.reconcile.models import BpjsSnapshot, Finding, Reconciliation
from payung.registry.models import DuplicateCandidate, Engagement, ImportBatch, Person, SavedFilter, Unit
from payung.registry.nik import compose
from tests.api.conftest import BASE
from tests.api.world import World, build, person
from tests.contributions import money

UNIT_OPERATOR = "ttu_unit"


def build_world(tmp_path) -> World:
    world = _with_reconciliation(_with_unit_operator(_with_money(build(tmp_path))), tmp_path)
    return _with_meeting(_with_budget(_with_claims(world)))


def _with_budget(world):
    """A TTU budget scenario for next year (planned people only: it prices without the registry) adopted as
    a budget line."""
    from django.utils import timezone

    from payung.budget import lines as budget_lines
    from payung.budget import services as budget
    from payung.registry import filters

    year = timezone.localdate().year + 1
    planned = budget.PartData(
        "Guru RAHASIA", programs=("JKK", "JKM"), planned_people=10, planned_wage=2_000_000
    )
    data = budget.ScenarioData(year, "Skenario TTU RAHASIA", parts=(planned,))
    world.ttu.scenario = budget.create(None, world.ttu.region, data)
    world.ttu.budget_line = budget_lines.adopt(None, world.ttu.scenario, "5.1.02.99", "Iuran guru", "apbd",
                                         dt.date(year - 1, 12, 1))  # fmt: skip
    world.ttu.saved_filter = filters.save(world.users["ttu"], world.ttu.region, "Filter TTU RAHASIA",
                                          {"group": "rentan"})  # fmt: skip
    return world


def _with_meeting(world):
    """A coordination meeting of NTT (the province's reports are linked from the rollup)."""
    world.meeting = Meeting.objects.create(
        province_id="53", held_on=dt.date(2030, 2, 1), period=dt.date(2030, 1, 1), title="Rapat koordinasi"
    )
    return world


NOT_FOUND = {"detail": "Tidak ditemukan."}


def _with_reconciliation(world, tmp_path):
    """A TTU BPJS list reconciled with TTU's registry by the TTU operator; its proposed pair is the
    finding the review routes decide on (accepting it is the control's valid request)."""
    person = world.ttu.person
    bpjs = tmp_path / "bpjs-5303-rahasia.csv"
    bpjs.write_text(f"NO KPJ,NIK,NAMA PESERTA,TGL LAHIR\n23011111111,{person.nik},{person.name},30/04/1985\n")
    ttu = world.users["ttu"]
    snapshot = reconcile.upload(ttu, world.ttu.region, bpjs, filename=bpjs.name, period=dt.date(2030, 1, 1))
    world.ttu.reconciliation = reconcile.run(ttu, snapshot, channel="cli")
    world.ttu.finding = Finding.objects.get(
        reconciliation=world.ttu.reconciliation, person=person, bpjs_line__isnull=False
    )
    return world


def _with_unit_operator(world):
    """A TTU operator limited to a second TTU unit, with one person of their own there who is also a member
    under the TTU agreement: what a unit-limited operator may read of an agreement is that person only."""
    region, agreement = world.ttu.region, world.ttu.agreement
    unit = Unit.objects.create(region=region, code="U5303B", name="Puskesmas Kefa", kind="opd")
    mine = person(region, unit, "Kornelis Taek", "530301", dt.date(1990, 1, 2), "L", 3)
    Membership.objects.create(
        agreement=agreement,
        region=region,
        person=mine,
        unit=unit,
        engagement=mine.engagements.get(),
        start=dt.date(2023, 1, 1),
        end=dt.date(2024, 4, 9),
        basis=1_000_000,
    )
    world.ttu.own_unit, world.ttu.own_person = unit, mine
    user = User.objects.create_user(UNIT_OPERATOR, role=Role.OPERATOR, region=region)
    user.units.set([unit])
    world.users[UNIT_OPERATOR] = user
    world.tokens[UNIT_OPERATOR] = ApiToken.issue(user, "ujian")[1]
    return world


def _claim(world, kind: str, on: dt.date, state: str = "draft", **fields) -> Claim:
    """A TTU claim written directly (the services would record a death in the registry and re-derive the
    world's hand-made memberships): priced and checked as the services would."""
    person = world.ttu.person
    event = Event.objects.create(
        region=world.ttu.region, person=person, kind=kind, occurred_on=on, work_related=kind == "accident"
    )
    claim = Claim(
        region=world.ttu.region,
        event=event,
        person=person,
        program="JKM" if kind == "death" else "JKK",
        category="bpu",
        basis=1_000_000,
        member_since=dt.date(2019, 1, 1),
        state=state,
        **fields,
    )
    pricing.reprice(claim)
    pricing.recheck(claim)
    claim.save()
    return claim


def _with_claims(world):
    """Three claims of the TTU person: a death (draft) with a child heir and a spouse to remove, an accident
    whose documents are complete (to submit), and an accident submitted to BPJS (to decide on)."""
    death = _claim(world, "death", dt.date(2024, 3, 1))
    child = Heir.objects.create(
        claim=death,
        relation="child",
        nik=compose("530301", dt.date(2012, 5, 5), "L", 31),
        name="Markus Kefi",
        sex="L",
        birth_date=dt.date(2012, 5, 5),
    )
    Heir.objects.create(
        claim=death,
        relation="spouse",
        nik=compose("530301", dt.date(1986, 1, 1), "P", 32),
        name="Maria Kefi",
        sex="P",
        birth_date=dt.date(1986, 1, 1),
    )
    pricing.reprice(death)
    death.save()
    Scholarship.objects.create(claim=death, heir=child, school_year=2023, level="smp", amount=2_000_000)
    complete = _claim(world, "accident", dt.date(2023, 8, 1), state="complete")
    for code in checklist.needed_documents(complete):
        Document.objects.create(claim=complete, code=code, received_on=dt.date(2023, 8, 5))
    submitted = _claim(
        world, "accident", dt.date(2023, 9, 1), state="submitted", submitted_on=dt.date(2023, 9, 10)
    )
    world.ttu.claim, world.ttu.claim_complete, world.ttu.claim_submitted = death, complete, submitted
    world.ttu.child = child
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
        agreement=agreement,
        region=world.ttu.region,
        person=world.ttu.person,
        unit=world.ttu.unit,
        engagement=world.ttu.person.engagements.get(),
        start=dt.date(2023, 1, 1),
        end=dt.date(2024, 4, 9),
        basis=1_000_000,
    )
    world.ttu.registration = RegistrationBatch.objects.create(agreement=agreement)
    RegistrationEntry.objects.create(batch=world.ttu.registration, person=world.ttu.person, state="rejected")
    world.ttu.kpj_conflict = RegistrationEntry.objects.create(
        batch=world.ttu.registration, person=world.ttu.twin, state="conflict", kpj="53030000001"
    )
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
    "registration_resolve",
    "budget_scenario_programs",
    "budget_scenario_planned",
    "budget_scenario_growth",
    "budget_scenario_adopt",
    ("post", "/budget/scenarios/{scenario_id}/adopt"),
    ("post", "/budget/lines/{line_id}/amend"),
}


def actors(route) -> tuple[str, str]:
    return ("kupang_finance", "ttu_finance") if route in MONEY_ROUTES else ("kupang", "ttu")


def state(world) -> dict:
    """Everything a write on a TTU record could change; compared before and after the refused attempts."""
    people = Person.objects.filter(region_id="5303").order_by("pk")
    return {
        "people": list(people.values("pk", "name", "phone", "status")),
        "saved_filters": list(SavedFilter.objects.filter(region_id="5303").values("pk", "name", "criteria")),
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
        "units": list(Unit.objects.filter(region_id="5303").values("pk", "code", "name")),
        "claims": list(
            Claim.objects.filter(region_id="5303").values("pk", "state", "version", "paid_amount")
        ),
        "events": list(Event.objects.filter(region_id="5303").values("pk", "kind", "occurred_on")),
        "heirs": list(Heir.objects.filter(claim__region_id="5303").values("pk", "nik")),
        "documents": list(Document.objects.filter(claim__region_id="5303").values("pk", "code", "note")),
        "scholarships": list(Scholarship.objects.filter(claim__region_id="5303").values("pk", "state")),
        "scenarios": list(Scenario.objects.filter(region_id="5303").values("pk", "name")),
        "budget_lines": list(BudgetLine.objects.filter(region_id="5303").values("pk", "version", "amount")),
        "regulations": list(Regulation.objects.filter(region_id="5303").values("pk", "number")),
        "priorities": list(Priority.objects.filter(region_id="5303").values("pk", "label")),
    }


def left_no_trail(world, *who: str) -> bool:
    """A refused request records nothing: no view, no export, no change in the refused users' names."""
    return not AuditEvent.objects.filter(actor__in=[world.users[name] for name in who]).exists()


# --------------------------------------------------------------------------------------------- API
# (method, OpenAPI path) -> (the TTU object in the path, the request body). Bodies are valid for the TTU
# operator, whose success is the control.
STATUS = {"status": "ended", "effective_date": "2026-01-31", "reason": "Kontrak selesai"}
DATED = {"effective_date": "2026-01-01", "reason": "UMK 2026 / SK mutasi"}
WAGE = {**DATED, "monthly_wage": 2_500_000}
ACCIDENT = {"kind": "accident", "occurred_on": "2023-10-02", "place": "Kebun", "stmb_months": 1}
HEIR = {"relation": "parent", "nik": compose("530301", dt.date(1950, 2, 2), "P", 33), "name": "Ana Kefi"}
API_ROUTES = {
    ("get", "/budget/scenarios/{scenario_id}"): ("scenario", lambda w: None),
    ("post", "/budget/scenarios/{scenario_id}/adopt"): (
        "scenario",
        lambda w: {"account_code": "5.1.02", "account_name": "Iuran", "adopted_on": "2026-12-01"},
    ),
    ("get", "/budget/lines/{line_id}"): ("budget_line", lambda w: None),
    ("post", "/budget/lines/{line_id}/amend"): (
        "budget_line",
        lambda w: {"amount": 2_000_000, "adopted_on": dt.date.today().isoformat(), "note": "APBD-P"},
    ),
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
    ("post", "/people/{person_id}/engagements/{engagement_id}/wage"): ("engagement", lambda w: WAGE),
    ("post", "/people/{person_id}/engagements/{engagement_id}/transfer"): (
        "engagement",
        lambda w: {**DATED, "unit_id": w.ttu.own_unit.pk},
    ),
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
    ("post", "/people/{person_id}/claims"): ("person", lambda w: ACCIDENT),
    ("get", "/claims/{claim_id}"): ("claim", lambda w: None),
    ("post", "/claims/{claim_id}/heirs"): ("claim", lambda w: HEIR),
    ("put", "/claims/{claim_id}/documents"): ("claim", lambda w: {"received": {"kpj_card": "KPJ"}}),
    ("post", "/claims/{claim_id}/submission"): ("claim_complete", lambda w: {"submitted_on": "2023-08-20"}),
    ("post", "/claims/{claim_id}/decision"): (
        "claim_submitted",
        lambda w: {"outcome": "paid", "decided_on": "2023-09-15", "paid_amount": 1_500_000},
    ),
    ("post", "/claims/{claim_id}/scholarships"): (
        "claim",
        lambda w: {"heir_id": w.ttu.child.pk, "school_year": 2024, "level": "smp"},
    ),
    ("get", "/claims/{claim_id}/letter.pdf"): ("claim", lambda w: None),
    ("get", "/monitoring/regions/{code}"): ("region", lambda w: None),
    ("get", "/monitoring/regions/{code}/people"): ("region", lambda w: None),
}
# Operations with no object id: lists (checked below for leaks) and creations that name a region.
API_LISTS = {
    ("get", "/budget/scenarios"),
    ("get", "/budget/lines"),
    ("get", "/people"),
    ("get", "/units"),
    ("get", "/duplicates"),
    ("get", "/arrears"),
    ("get", "/agreements"),
    ("get", "/bills"),
    ("get", "/reconciliations"),
    ("get", "/claims"),
    ("get", "/monitoring/provinces/{code}"),  # a province's own rows (tests/monitoring/test_api.py)
}
API_CREATES = {
    ("get", "/budget/plan"),  # reads a region named in the query: proven in test_budget_api
    ("post", "/budget/scenarios"),
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
    ("get", "/benefits/quote"),
}


def operations() -> set[tuple[str, str]]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return {(method, path.removeprefix(BASE)) for path, ops in paths.items() for method in ops}


def target_of(world, kind: str):
    return {
        "person": world.ttu.person,
        "engagement": world.ttu.person.engagements.get(),
        "batch": world.ttu.batch,
        "candidate": world.ttu.candidate,
        "bill": world.ttu.bill,
        "agreement": world.ttu.agreement,
        "registration": world.ttu.registration,
        "kpj_conflict": world.ttu.kpj_conflict,
        "reconciliation": world.ttu.reconciliation,
        "finding": world.ttu.finding,
        "claim": world.ttu.claim,
        "claim_complete": world.ttu.claim_complete,
        "claim_submitted": world.ttu.claim_submitted,
        "scenario": world.ttu.scenario,
        "budget_line": world.ttu.budget_line,
        "saved_filter": world.ttu.saved_filter,
        "region": world.ttu.region,
    }[kind]


def api_path(template: str, target) -> str:
    """The path of ``target``: its id in every {..._id}; an engagement's path names its person first."""
    person_id = getattr(target, "person_id", None) if isinstance(target, Engagement) else None
    path = template.replace("{person_id}", str(person_id)) if person_id else template
    return re.sub(r"\{\w+\}", str(target.pk), path)


def call(client, world, who: str, method: str, path: str, body):
    headers = world.auth(who)
    if method == "get":
        return client.get(BASE + path, headers=headers)
    if body and "upload" in body:  # a file upload: a fresh multipart body for every call
        upload = StringIO(body["upload"])
        upload.name = "balasan.csv"
        return client.post(BASE + path, {"file": upload}, headers=headers)
    send = getattr(client, method)
    return send(BASE + path, json.dumps(body), content_type="application/json", headers=headers)


# --------------------------------------------------------------------------------------------- web
# URL name -> (the TTU object in the URL, method, form data). The web answers non-editors 404 as well.
PLANNED = {"label": "Guru", "category": "pu", "people": "5", "wage": "2000000", "from_month": "1",
           "funding_source": "apbd", "programs": ["JKK", "JKM"]}  # fmt: skip
WEB_ROUTES = {
    "person": ("person", "get", {}),
    "person_edit": ("person", "post", {"name": "Diubah", "reason": "uji"}),
    "engagement_add": ("person", "post", {"unit": "", "group": "rentan"}),
    "status_change": ("person", "post", STATUS),
    "wage_change": ("engagement", "post", {**WAGE, "effective_date": "01-01-2026"}),
    "transfer": ("engagement", "post", {**DATED, "effective_date": "01-01-2026", "unit": ""}),
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
    "registration_resolve": ("kpj_conflict", "post", {"choice": "bpjs"}),
    "reconciliation": ("reconciliation", "get", {}),
    "reconcile_findings": ("reconciliation", "get", {}),
    "reconcile_rerun": ("reconciliation", "post", {}),
    "reconcile_bpjs_xlsx": ("reconciliation", "get", {}),
    "reconcile_summary_xlsx": ("reconciliation", "get", {}),
    "reconcile_finding": ("finding", "get", {}),
    "reconcile_review": ("finding", "post", {"decision": "accept", "reason": "Orang yang sama"}),
    "claim_create": ("person", "post", {**ACCIDENT, "occurred_on": "02/10/2023", "version": "0"}),
    "claim": ("claim", "get", {}),
    "claim_edit": ("claim", "post", {"children": "1", "version": "0"}),
    "claim_heir": ("claim", "post", {**HEIR, "version": "0"}),
    "claim_heir_remove": ("claim", "post", {"heir": "0", "version": "0"}),
    "claim_documents": ("claim", "post", {"received": "kpj_card", "version": "0"}),
    "claim_submit": ("claim_complete", "post", {"submitted_on": "20/08/2023", "version": "0"}),
    "claim_decide": (
        "claim_submitted",
        "post",
        {
            "outcome": "refused",
            "decided_on": "15/09/2023",
            "refusal_reason": "Bukan kecelakaan kerja",
            "version": "0",
        },
    ),
    "claim_scholarship": (
        "claim",
        "post",
        {"heir": "0", "school_year": "2024", "level": "smp", "version": "0"},
    ),
    "claim_scholarship_pay": ("claim", "post", {"scholarship": "0", "paid_on": "01/08/2024", "amount": "1"}),
    "claim_letter": ("claim", "get", {}),
    "people_filter_delete": ("saved_filter", "post", {}),  # its author (or an admin) only
    "budget_scenario": ("scenario", "get", {}),
    "budget_scenario_programs": ("scenario", "post", {"part": "0", "programs": ["JKK", "JKM", "JHT", "JP"]}),
    "budget_scenario_planned": ("scenario", "post", PLANNED),
    "budget_scenario_growth": ("scenario", "post", {"part": "0", "growth": "7:+2"}),
    "budget_scenario_adopt": (
        "scenario",
        "post",
        {
            "funding_source": "apbd",
            "account_code": "5.1.02",
            "account_name": "Iuran",
            "adopted_on": "01/12/2026",
        },
    ),
    "budget_scenario_xlsx": ("scenario", "get", {}),
    "budget_scenario_pdf": ("scenario", "get", {}),
    "budget_line": ("budget_line", "get", {}),
    "budget_line_xlsx": ("budget_line", "get", {}),
    # Monitoring of a kab/kota (its code in the URL): region-wide, read by its users and the province; the
    # writes (recompute, a regulation, a priority group) by its own users only.
    "monitoring_region": ("region", "get", {}),
    "monitoring_list": ("region", "get", {}),
    "monitoring_list_xlsx": ("region", "get", {}),
    "monitoring_dashboard": ("region", "get", {}),
    "monitoring_refresh": ("region", "post", {}),
    "monitoring_regulation": (
        "region",
        "post",
        {"kind": "perbup", "number": "9 Tahun 2025", "issued_on": "01/02/2025", "title": "Jamsostek"},
    ),
    "monitoring_priority": ("region", "post", {"label": "Petani", "group": "rentan", "reason": "Miskin"}),
}
WEB_LISTS = {
    "people": "Yohanes Kefi",
    "duplicates": "Yohanis Kefi",
    "import_history": "daftar-5303",
    "arrears": "PKS/TTU/RAHASIA",
    "agreements": "PKS/TTU/RAHASIA",
    "bills": "PKS/TTU/RAHASIA",
    "reconcile": "bpjs-5303-rahasia.csv",
    "claims": "Yohanes Kefi",
    "budget": "Skenario TTU RAHASIA",
    "uncovered": "Yohanes Kefi",
}


def web_patterns(patterns=None, prefix="") -> dict[str, object]:
    """Every named web URL that takes an argument (the API has its own proof above)."""
    found = {}
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace not in {"api"}:
                found.update(web_patterns(entry.url_patterns, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern) and entry.pattern.converters and entry.name:
            found[entry.name] = entry
    return found


def logged_in(world, who: str) -> Client:
    browser = Client()
    browser.force_login(world.users[who])
    return browser


def web(browser: Client, name: str, pk: int, method: str, data: dict):
    from django.urls import reverse

    url = reverse(name, args=[pk])
    return browser.get(url) if method == "get" else browser.post(url, data)


# --------------------------------------------------------------------------------------------- CLI
# Payung's management commands that touch no tenant's records, and why.
CLI_UNSCOPED = {
    "nik": "pure NIK check: no registry data",
    "token": "server administrator's tool: issues credentials, reads no records",
    "demo-data": "server setup: generates synthetic demo people from a seed",
    "demo-roster": "writes synthetic roster files from a seed; no database",
    "demo-users": "server setup: creates the demo accounts",
    "demo-coverage": "server setup: demo agreements, bills and payments over the demo people",
    "demo-claims": "server setup: demo deaths, accidents and claims over the demo coverage",
    "demo-province": "server setup: the province's other districts, regulations, priorities and summaries",
    "rules": "national reference data; adding a version checks its own right (tests/rules)",
    "contributions": "a quote from the rules alone: no registry data",
    "benefits": "a benefit quote from the rules alone: no registry data",
}
CLI_SCOPED = {
    "coverage",
    "import",
    "duplicates",
    "agreements",
    "enrol",
    "registrations",
    "bills",
    "reconcile",
    "units",
    "claims",
    "budget",
}


def payung_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("payung")}


def parser_options(parser) -> set[str]:
    names = set()
    for action in parser._actions:
        names.update(action.option_strings)
        if isinstance(action.choices, dict):  # subcommands: name -> parser
            for sub in action.choices.values():
                names |= parser_options(sub)
    return names
