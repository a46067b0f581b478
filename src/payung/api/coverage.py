"""Agreements (PKS), their memberships, enrolment and collective registrations over the API.

Scoping as everywhere (coverage.queries over accounts.scope): another tenant's agreement or batch answers
404, never 403; a unit-limited operator reads an agreement with only their units' people in it, and no
registration batch (region-wide). Writing
(creating an agreement, enrolling, registering) needs a role that manages money (admin, finance).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from payung import uploads
from payung.accounts import scope
from payung.api import queries
from payung.api.pagination import PageQuery, page_of
from payung.api.schemas import Problem
from payung.coverage import enrolment, registration
from payung.coverage import queries as coverage_queries
from payung.coverage.models import Agreement, RegistrationBatch
from payung.coverage.services import AgreementData, create_agreement
from payung.registry.services import ValidationFailed

router = Router(tags=["coverage"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class AgreementIn(Schema):
    region: str | None = Field(None, description="Kode kabupaten/kota (bawaan: wilayah pengguna)")
    number: str
    title: str = ""
    pemda_party: str
    bpjs_branch: str
    signed_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    category: str = Field("pu", description="pu | bpu")
    groups: list[str] = Field(description="non_asn, rentan, perangkat, rt_rw, teacher")
    programs: list[str] = Field(description="mis. JKK, JKM")
    jkk_class: int | None = Field(None, description="1-5, wajib bila PU dengan JKK")
    declared_income: int | None = Field(None, description="BPU: penghasilan per bulan (Rp)")
    funding_source: str = Field("apbd", description="apbd | dana_desa | add | apbdes | other")
    budget_account: str = ""
    late_fine: bool = False
    mid_month_rule: str = Field("any_day", description="any_day | first_day")
    unit_ids: list[int] = Field(default_factory=list, description="kosong: semua unit")
    notes: str = ""


class AgreementOut(Schema):
    id: int
    region: str
    number: str
    title: str
    pemda_party: str
    bpjs_branch: str
    signed_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    category: str
    groups: list[str]
    programs: list[str]
    jkk_class: int | None
    declared_income: int | None
    funding_source: str
    budget_account: str
    late_fine: bool
    mid_month_rule: str
    unit_ids: list[int]
    notes: str
    people: int = Field(description="Orang dengan masa kepesertaan di PKS ini")
    days_left: int | None = Field(description="Hari sampai berakhir, bila 90 hari atau kurang")


class MembershipOut(Schema):
    id: int
    person_id: int
    nik: str = Field(description="NIK disamarkan")
    name: str
    unit_id: int
    unit_name: str
    start: dt.date
    end: dt.date | None
    basis: int = Field(description="Upah atau penghasilan per bulan (Rp)")
    end_reason: str


class MembershipPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MembershipOut]


class EnrolOut(Schema):
    engagements: int
    people: int
    periods: int
    added: int
    removed: int
    without_wage: int


class BatchOut(Schema):
    id: int
    agreement_id: int
    layout: str
    created_at: dt.datetime
    replied_at: dt.datetime | None
    entries: int
    registered: int
    rejected: int
    file_url: str


class ReplyProblem(Schema):
    line: int
    reason: str


class ReplyOut(Schema):
    registered: int
    rejected: int
    conflicts: int = Field(0, description="KPJ berbeda dari registri: menunggu keputusan, tidak ditimpa")
    problems: list[ReplyProblem]


class RegisterIn(Schema):
    layout: str = "sipp"


def _agreement(request, agreement_id: int) -> Agreement:
    return scope.get_or_404(coverage_queries.agreements(request.auth), pk=agreement_id)


def _require_treasurer(user) -> None:
    """Call after the object was fetched through the scope: a 403 may only answer for visible records."""
    if not user.can_manage_money:
        raise PermissionDenied


TERMS = ("number", "title", "pemda_party", "bpjs_branch", "signed_on", "valid_from", "valid_to",
         "category", "groups", "programs", "jkk_class", "declared_income", "funding_source",
         "budget_account", "late_fine", "mid_month_rule", "notes")  # fmt: skip


def _out(user, agreement: Agreement) -> dict:
    left = dict(coverage_queries.expiring(Agreement.objects.filter(pk=agreement.pk), timezone.localdate()))
    return {
        **{name: getattr(agreement, name) for name in TERMS},
        "id": agreement.pk,
        "region": agreement.region_id,
        "unit_ids": sorted(agreement.units.values_list("id", flat=True)),
        "people": coverage_queries.memberships(user, agreement).values("person_id").distinct().count(),
        "days_left": left.get(agreement),
    }


@router.get("/agreements", response={200: list[AgreementOut], **ERRORS}, summary="PKS yang boleh dilihat")
def list_agreements(request, region: str = ""):
    agreements = coverage_queries.agreements(request.auth)
    if region.strip():
        agreements = agreements.filter(region_id=region.strip())
    return [_out(request.auth, a) for a in agreements.order_by("region_id", "-valid_from", "number")]


@router.post("/agreements", response={201: AgreementOut, **ERRORS}, summary="Catat PKS baru")
def create(request, payload: AgreementIn):
    user = request.auth
    region = queries.tenant(user, payload.region) if payload.region else scope.tenant_of(user)
    _require_treasurer(user)
    if region is None or not region.is_tenant:
        raise ValidationFailed({"region": [_("Pilih kabupaten/kota tujuan.")]})
    data = AgreementData(**payload.dict(exclude={"region"}))
    return Status(201, _out(user, create_agreement(user, region, data, channel="api")))


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS}, summary="Satu PKS")
def read(request, agreement_id: int):
    return _out(request.auth, _agreement(request, agreement_id))


@router.get(
    "/agreements/{agreement_id}/memberships",
    response={200: MembershipPage, **ERRORS},
    summary="Masa kepesertaan di satu PKS (NIK disamarkan)",
)
def memberships(request, agreement_id: int, query: Query[PageQuery]):
    agreement = _agreement(request, agreement_id)
    rows = coverage_queries.memberships(request.auth, agreement).select_related("person", "unit")
    page = page_of(rows.order_by("person__name", "person_id", "start"), query)
    results = [
        {
            **{
                k: getattr(m, k)
                for k in ("id", "person_id", "unit_id", "start", "end", "basis", "end_reason")
            },
            "nik": m.person.masked_nik,
            "name": m.person.name,
            "unit_name": m.unit.name,
        }
        for m in page["results"]
    ]
    return {**page, "results": results}


@router.post(
    "/agreements/{agreement_id}/enrol",
    response={200: EnrolOut, **ERRORS},
    summary="Daftarkan peserta: susun ulang masa kepesertaan dari registri",
)
def enrol(request, agreement_id: int):
    agreement = _agreement(request, agreement_id)
    _require_treasurer(request.auth)
    return enrolment.sync(agreement, user=request.auth, channel="api")


def _batch_out(batch: RegistrationBatch) -> dict:
    states = list(batch.entries.values_list("state", flat=True))
    return {
        "id": batch.pk,
        "agreement_id": batch.agreement_id,
        "layout": batch.layout,
        "created_at": batch.created_at,
        "replied_at": batch.replied_at,
        "entries": len(states),
        "registered": states.count("registered"),
        "rejected": states.count("rejected"),
        "file_url": reverse("api:registration_file", args=[batch.pk]),
    }


@router.post(
    "/agreements/{agreement_id}/registrations",
    response={201: BatchOut, **ERRORS},
    summary="Pendaftaran kolektif: semua peserta yang belum dikirim ke BPJS",
)
def register(request, agreement_id: int, payload: RegisterIn):
    agreement = _agreement(request, agreement_id)
    _require_treasurer(request.auth)
    batch = registration.create_batch(request.auth, agreement, layout_code=payload.layout, channel="api")
    return Status(201, _batch_out(batch))


@router.get(
    "/registrations/{batch_id}/file.xlsx",
    response={200: None, **ERRORS},
    url_name="registration_file",
    summary="Berkas pendaftaran (XLSX, NIK lengkap; tercatat di jejak audit)",
)
def registration_file(request, batch_id: int):
    path = registration.batch_file(request.auth, batch_id, channel="api")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@router.post(
    "/registrations/{batch_id}/reply",
    response={200: ReplyOut, **ERRORS},
    summary="Balasan BPJS (XLSX/CSV: NIK, KPJ, status, keterangan); baris bermasalah dilaporkan",
)
def registration_reply(request, batch_id: int, file: File[UploadedFile]):
    batch = scope.get_or_404(coverage_queries.registration_batches(request.auth), pk=batch_id)
    _require_treasurer(request.auth)
    with uploads.received(file, fallback=uploads.REPLY_FILE) as upload:
        result = registration.reply(
            request.auth,
            batch,
            upload.path,
            filename=upload.name,
            lang=translation.get_language() or "id",
            channel="api",
        )
    return result.as_dict()
