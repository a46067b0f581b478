"""Monthly bills over the API: generate a month, list the region's bills, read one bill with its lines.

Scoping as everywhere (accounts.scope): another tenant's region or bill answers 404. Generating needs a
role that manages money (admin, finance); a refusal (no agreement that month, already billed, no members,
a rule missing, ...) is a 422 whose ``detail`` says why, in the caller's language, and changes nothing.
A bill's lines carry full NIKs: each page read is audited like an export.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import translation
from ninja import Query, Router, Schema, Status
from pydantic import Field

from payung.accounts import scope
from payung.api import queries
from payung.api.pagination import PageQuery, page_of
from payung.api.schemas import Problem
from payung.contributions import billing, exports, payments
from payung.contributions.models import Bill
from payung.coverage.models import Agreement

router = Router(tags=["bills"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class GenerateIn(Schema):
    region: str = Field(description="Kode kabupaten/kota, mis. 5371")
    period: str = Field(description="Bulan tagihan, YYYY-MM")
    agreement: int | None = Field(None, description="Hanya PKS dengan ID ini (bawaan: semua yang berlaku)")


class RuleOut(Schema):
    id: int | None
    key: str
    region: str
    effective_from: str
    value: str
    source: str
    confidence: str


class BillOut(Schema):
    id: int
    region: str
    agreement_id: int
    agreement_number: str
    period: str = Field(description="YYYY-MM")
    due_date: dt.date
    mid_month_rule: str
    people: int
    line_count: int
    employer: int
    worker: int
    adjustments: int = Field(description="Bagian jumlah yang mengoreksi bulan-bulan sebelumnya")
    total: int
    generated_at: dt.datetime
    generated_by: str | None
    rules: list[RuleOut]


class BillPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[BillOut]


class LineOut(Schema):
    id: int
    person_id: int | None
    nik: str
    name: str
    unit_id: int | None
    unit_name: str
    program: str
    period: str = Field(description="Bulan yang dibayar (YYYY-MM): bulan tagihan, atau bulan yang dikoreksi")
    kind: str = Field(description="regular | adjustment")
    basis: int
    employer: int
    worker: int
    total: int


class LinePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LineOut]


class BillDetailOut(BillOut):
    lines: LinePage


class BillFilter(PageQuery):
    region: str = ""
    period: str = Field("", description="YYYY-MM")
    agreement: int | None = None


def visible_bills(user):
    return payments.visible_bills(user, Bill.objects.select_related("agreement", "generated_by"))


def _out(bill: Bill) -> dict:
    return {
        **{k: getattr(bill, k) for k in ("id", "agreement_id", "due_date", "mid_month_rule", "people",
                                          "line_count", "employer", "worker", "adjustments", "total",
                                          "generated_at", "rules")},
        "region": bill.region_id,
        "agreement_number": bill.agreement.number,
        "period": bill.period.strftime("%Y-%m"),
        "generated_by": bill.generated_by.username if bill.generated_by else None,
    }  # fmt: skip


def _refused(error: billing.BillingError) -> Status:
    text = error.text(translation.get_language() or "id")
    field = "period" if error.code in {"period", "future", "no_agreement", "exists"} else "agreement"
    return Status(422, {"detail": text, "errors": {field: [text]}})


@router.post(
    "/bills/generate", response={201: list[BillOut], **ERRORS}, summary="Buat tagihan satu bulan (per PKS)"
)
def generate_bills(request, payload: GenerateIn):
    user = request.auth
    region = queries.tenant(user, payload.region)  # 404 before 403
    agreement = None
    if payload.agreement is not None:
        agreement = scope.get_or_404(Agreement.objects.filter(region=region), pk=payload.agreement)
    if not user.can_manage_money:
        raise PermissionDenied
    try:
        period = billing.parse_period(payload.period)
        bills = billing.generate(user, region, period, agreement=agreement, channel="api")
    except billing.BillingError as error:
        return _refused(error)
    return Status(201, [_out(bill) for bill in bills])


@router.get("/bills", response={200: BillPage, **ERRORS}, summary="Tagihan wilayah Anda, terbaru dulu")
def list_bills(request, query: Query[BillFilter]):
    bills = visible_bills(request.auth)
    if query.region.strip():
        bills = bills.filter(region_id=query.region.strip())
    if query.period.strip():
        try:
            bills = bills.filter(period=billing.parse_period(query.period))
        except billing.BillingError as error:
            return _refused(error)
    if query.agreement is not None:
        bills = bills.filter(agreement_id=query.agreement)
    page = page_of(bills.order_by("-period", "agreement__number", "id"), query)
    return {**page, "results": [_out(bill) for bill in page["results"]]}


@router.get(
    "/bills/{bill_id}",
    response={200: BillDetailOut, **ERRORS},
    summary="Satu tagihan dengan barisnya per orang (berhalaman; NIK lengkap, tercatat di jejak audit)",
)
def read_bill(request, bill_id: int, query: Query[PageQuery]):
    bill = scope.get_or_404(visible_bills(request.auth), pk=bill_id)
    page = page_of(bill.lines.order_by("id"), query)
    lines = [
        {**{k: getattr(line, k) for k in ("id", "person_id", "nik", "name", "unit_id", "unit_name", "program",
                                          "kind", "basis", "employer", "worker", "total")},
         "period": line.period.strftime("%Y-%m")}
        for line in page["results"]
    ]  # fmt: skip
    exports.audited(request.auth, bill, "api", channel="api", rows=len(lines))
    return {**_out(bill), "lines": {**page, "results": lines}}
