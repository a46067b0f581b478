"""Claims over the API: a person's death or work accident, and the claim file (heirs, documents,
BPJS's answer, scholarships, the letter).

Scoping as everywhere (claims.queries over accounts.scope): another tenant's claim, or a person outside a
unit-limited operator's units, answers 404. Writing needs an editing role (admin, operator). Every read of
a claim file is audited. Writes honour ``If-Match`` / ``version`` (decision 0013): a stale one is a 409.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, get_type_hints

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, create_model

from payung.accounts import scope
from payung.api import queries as api_queries
from payung.api.auth import require_editor
from payung.api.pagination import PageQuery, page_of
from payung.api.preconditions import read_version, tag
from payung.api.schemas import Problem
from payung.claims import checklist, exports, family, pricing, queries, services
from payung.claims.models import Claim
from payung.registry.services import ValidationFailed

router = Router(tags=["claims"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS = {**ERRORS, 409: Problem}


# ------------------------------------------------------------------------------------------ claims
class ClaimRow(Schema):
    id: int
    region: str
    person_id: int
    name: str
    nik: str = Field(description="NIK disamarkan")
    event: str
    occurred_on: dt.date
    program: str
    state: str
    verdict: str
    pemda_fault: bool
    computed_total: int
    scholarship_children: int
    paid_amount: int | None
    difference: int | None


class ClaimPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ClaimRow]


class ClaimFilter(PageQuery):
    region: str = ""
    state: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@router.get(
    "/claims", response={200: ClaimPage, **ERRORS}, summary="Klaim yang boleh dilihat (NIK disamarkan)"
)
def list_claims(request, query: Query[ClaimFilter]):
    claims = queries.listing(request.auth, state=query.state, since=query.since, until=query.until)
    if query.region.strip():
        claims = claims.filter(region=api_queries.tenant(request.auth, query.region))
    page = page_of(claims, query)
    return {**page, "results": [queries.row(c) for c in page["results"]]}


def _claim(request, claim_id: int) -> Claim:
    found = queries.visible(request.auth, Claim.objects.select_related("event", "person", "region"))
    return scope.get_or_404(found, pk=claim_id)


def _for_edit(request, claim_id: int) -> Claim:
    """The claim to change: 404 outside the scope first, then 403 for a role that may not write."""
    claim = _claim(request, claim_id)
    require_editor(request.auth)
    return claim


def _file(claim: Claim) -> dict:
    """The claim file as JSON: what the claim page shows."""
    shown = queries.claim_file(claim)
    person, event = claim.person, claim.event
    return {
        **queries.row(claim),
        "nik": person.nik,
        "version": claim.version,
        "category": claim.category,
        "basis": claim.basis,
        "member_since": claim.member_since,
        "event_detail": {
            "kind": event.kind,
            "work_related": event.work_related,
            "occurred_on": event.occurred_on,
            "occurred_time": event.occurred_time,
            "place": event.place,
            "cause": event.cause,
            "reporter": event.reporter,
            "doctor_statement_on": event.doctor_statement_on,
        },
        "quote": claim.quote,
        "eligibility": {**claim.eligibility, "findings": shown["findings"]},
        "heirs": [
            {
                "id": r.heir.pk,
                "relation": r.heir.relation,
                "name": r.heir.name,
                "nik": r.heir.nik,
                "birth_date": r.heir.birth_date,
                "person_id": r.heir.person_id,
                "entitled": r.entitled,
                "share": r.share,
                "scholarship": r.scholarship,
            }
            for r in shown["heirs"]
        ],
        "documents": shown["documents"],
        "deadlines": [{"code": d.code, "due": d.due, "state": state} for d, state in shown["deadlines"]],
        "scholarships": [
            {
                "id": s.pk,
                "heir_id": s.heir_id,
                "school_year": s.school_year,
                "level": s.level,
                "amount": s.amount,
                "state": s.state,
                "paid_on": s.paid_on,
                "paid_amount": s.paid_amount,
            }
            for s in shown["scholarships"]
        ],
        "submitted_on": claim.submitted_on,
        "bpjs_reference": claim.bpjs_reference,
        "decided_on": claim.decided_on,
        "refusal_reason": claim.refusal_reason,
    }


def _answer(request, claim: Claim, response: HttpResponse) -> dict:
    services.record_view(request.auth, claim, channel="api")
    tag(response, claim.version)
    return _file(claim)


@router.get(
    "/claims/{claim_id}", response={200: dict, **ERRORS}, summary="Berkas klaim (tercatat di jejak audit)"
)
def read_claim(request, claim_id: int, response: HttpResponse):
    claim = _claim(request, claim_id)
    pricing.recheck(claim)
    return _answer(request, claim, response)


class _Event(Schema):
    kind: str = Field(description="death | accident")
    occurred_on: dt.date
    work_related: bool = False
    occurred_time: dt.time | None = None
    place: str = ""
    cause: str = ""
    reporter: str = ""


def _with_fields_of(base: type[Schema], source: type, name: str, **more: Any) -> type[Schema]:
    """``base`` plus the fields of the dataclass ``source`` (types and defaults) in one flat body: the
    claim's details are listed once, in claims.services.Details, and a field added there is taken here."""
    hints = get_type_hints(source)
    taken = {
        f.name: (hints[f.name], ... if f.default is MISSING else f.default) for f in dataclass_fields(source)
    }
    return create_model(name, __base__=base, **taken, **more)


EventIn = _with_fields_of(
    _Event,
    services.Details,
    "EventIn",
    version=(
        int | None,
        Field(None, description="Versi orang yang dibaca (kematian mengubah orangnya)"),
    ),
)


@router.post(
    "/people/{person_id}/claims",
    response={201: dict, **WRITE_ERRORS},
    summary="Catat kematian atau kecelakaan kerja dan buka klaimnya",
)
def create_claim(request, person_id: int, payload: EventIn, response: HttpResponse):
    person = scope.get_or_404(scope.people(request.auth).select_related("region"), pk=person_id)
    require_editor(request.auth)
    details = services.Details.taken(payload.dict())
    event = services.EventData(
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        work_related=payload.work_related,
        occurred_time=payload.occurred_time,
        place=payload.place,
        cause=payload.cause,
        reporter=payload.reporter,
        details=details,
    )
    version = read_version(request, payload.version)
    claim = services.record_event(request.auth, person, event, version=version, channel="api")
    return Status(201, _answer(request, claim, response))


class HeirIn(Schema):
    relation: str
    nik: str
    name: str
    birth_date: dt.date | None = None
    sex: str = ""
    married: bool = False
    working: bool = False
    phone: str = ""
    bank_account: str = ""
    version: int | None = None


@router.post("/claims/{claim_id}/heirs", response={201: dict, **WRITE_ERRORS}, summary="Tambah ahli waris")
def add_heir(request, claim_id: int, payload: HeirIn, response: HttpResponse):
    claim = _for_edit(request, claim_id)
    data = family.HeirData(**payload.dict(exclude={"version"}))
    family.add_heir(request.auth, claim, data, version=read_version(request, payload.version), channel="api")
    return Status(201, _answer(request, claim, response))


class DocumentsIn(Schema):
    received: dict[str, str] = Field(
        description="kode dokumen -> catatan (mis. nomor akta); yang tidak ada: belum ada"
    )
    version: int | None = None


@router.put(
    "/claims/{claim_id}/documents", response={200: dict, **WRITE_ERRORS}, summary="Dokumen yang sudah ada"
)
def set_documents(request, claim_id: int, payload: DocumentsIn, response: HttpResponse):
    claim = _for_edit(request, claim_id)
    version = read_version(request, payload.version)
    checklist.set_documents(request.auth, claim, payload.received, version=version, channel="api")
    return _answer(request, claim, response)


class SubmissionIn(Schema):
    submitted_on: dt.date
    bpjs_reference: str = ""
    version: int | None = None


@router.post(
    "/claims/{claim_id}/submission", response={200: dict, **WRITE_ERRORS}, summary="Klaim diajukan ke BPJS"
)
def submit(request, claim_id: int, payload: SubmissionIn, response: HttpResponse):
    claim = _for_edit(request, claim_id)
    services.submit(
        request.auth,
        claim,
        payload.submitted_on,
        reference=payload.bpjs_reference,
        version=read_version(request, payload.version),
        channel="api",
    )
    return _answer(request, claim, response)


class DecisionIn(Schema):
    outcome: str = Field(description="paid | refused")
    decided_on: dt.date
    paid_amount: int | None = None
    refusal_reason: str = ""
    version: int | None = None


@router.post(
    "/claims/{claim_id}/decision",
    response={200: dict, **WRITE_ERRORS},
    summary="Keputusan BPJS: dibayar (jumlah sebenarnya) atau ditolak (alasan)",
)
def decide(request, claim_id: int, payload: DecisionIn, response: HttpResponse):
    claim = _for_edit(request, claim_id)
    services.decide(
        request.auth,
        claim,
        payload.outcome,
        payload.decided_on,
        amount=payload.paid_amount,
        reason=payload.refusal_reason,
        version=read_version(request, payload.version),
        channel="api",
    )
    return _answer(request, claim, response)


class ScholarshipIn(Schema):
    heir_id: int
    school_year: int = Field(description="Tahun awal tahun ajaran, mis. 2025 untuk 2025/2026")
    level: str = Field("", description="tk_sd | smp | sma | college")
    version: int | None = None


@router.post(
    "/claims/{claim_id}/scholarships",
    response={201: dict, **WRITE_ERRORS},
    summary="Beasiswa satu anak untuk satu tahun ajaran",
)
def add_scholarship(request, claim_id: int, payload: ScholarshipIn, response: HttpResponse):
    claim = _for_edit(request, claim_id)
    heir = claim.heirs.filter(pk=payload.heir_id).first()
    if heir is None:
        raise ValidationFailed({"heir_id": [_("Anak tidak ditemukan pada klaim ini.")]})
    family.add_scholarship(
        request.auth,
        claim,
        heir,
        payload.school_year,
        payload.level,
        version=read_version(request, payload.version),
        channel="api",
    )
    return Status(201, _answer(request, claim, response))


@router.get(
    "/claims/{claim_id}/letter.pdf",
    response={200: None, **ERRORS},
    summary="Surat pengantar klaim ke BPJS (PDF, tercatat di jejak audit)",
)
def letter(request, claim_id: int):
    claim = _claim(request, claim_id)
    folder = Path(tempfile.mkdtemp(prefix="payung-claim-"))
    try:
        handle = exports.letter_pdf(claim, folder / "surat.pdf", today=timezone.localdate()).open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    exports.audited(request.auth, "claim.letter", claim.region_id, 1, claim=claim, channel="api")
    return FileResponse(handle, as_attachment=True, filename=f"surat-klaim-{claim.pk}.pdf")
