"""Payments, arrears and the person ledger. Bills and people come through the same scope as the web pages:
another tenant's id answers 404; a visible bill answers 403 to a user who does not manage money."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status
from pydantic import Field

from payung.accounts import scope
from payung.api.schemas import Problem
from payung.contributions import arrears, lapse, ledger
from payung.contributions.models import Bill
from payung.contributions.payments import PaymentData, record_payment, visible_bills
from payung.coverage.models import Agreement
from payung.registry import nik as nik_rules

router = Router(tags=["payments"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class PaymentIn(Schema):
    paid_on: dt.date
    amount: int = Field(description="Rupiah, bilangan bulat; paling banyak sisa tagihan")
    reference: str = Field(description="Nomor SP2D atau bukti transfer")
    note: str = ""


class PaymentOut(Schema):
    id: int
    paid_on: dt.date
    amount: int
    reference: str
    note: str
    recorded_by: str | None
    recorded_at: dt.datetime

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.username if obj.recorded_by_id else None


class BillPayments(Schema):
    bill_id: int
    agreement: str
    period: dt.date
    due_date: dt.date
    total: int
    paid: int
    outstanding: int
    status: str = Field(description="paid, partial, unpaid, overdue atau credit (koreksi melebihi tagihan)")
    fine: int = Field(description="Denda keterlambatan hari ini (0 bila PKS tidak memberlakukannya)")
    payments: list[PaymentOut]


class ArrearsBill(Schema):
    bill_id: int
    region: str
    agreement: str
    period: dt.date
    due_date: dt.date
    total: int
    paid: int
    outstanding: int
    days_late: int
    months_late: int
    fine: int
    status: str


class RegionArrears(Schema):
    region: str
    name: str
    bills: int
    outstanding: int
    overdue: int
    fine: int


class LapsedPersonOut(Schema):
    person_id: int
    name: str
    nik: str = Field(description="NIK disamarkan")
    unit: str
    since: dt.date
    until: dt.date
    months: int


class LapsedGroup(Schema):
    agreement_id: int
    agreement: str
    region: str
    people: list[LapsedPersonOut]


class ArrearsOut(Schema):
    on: dt.date
    bills: list[ArrearsBill]
    regions: list[RegionArrears]
    lapsed: list[LapsedGroup]


class ArrearsQuery(Schema):
    on: dt.date | None = Field(None, description="Keadaan pada tanggal ini (YYYY-MM-DD); bawaan hari ini")


class LedgerLine(Schema):
    line_id: int
    bill_id: int
    bill_period: dt.date
    agreement: str
    month: dt.date
    program: str
    kind: str
    unit: str
    amount: int
    paid: int
    status: str


class LedgerOut(Schema):
    person_id: int
    name: str
    billed: int
    paid: int
    unpaid: int
    lines: list[LedgerLine]


def _bill(request, bill_id: int) -> Bill:
    return scope.get_or_404(visible_bills(request.auth).select_related("agreement"), pk=bill_id)


def _bill_payments(bill: Bill) -> dict:
    today = dt.date.today()
    paid = arrears.paid(bill)
    unpaid = max(bill.total - paid, 0)
    return {
        "bill_id": bill.pk,
        "agreement": bill.agreement.number,
        "period": bill.period,
        "due_date": bill.due_date,
        "total": bill.total,
        "paid": paid,
        "outstanding": unpaid,
        "status": arrears.status(bill.total, paid, bill.due_date, today),
        "fine": arrears.fine(bill, today, unpaid=unpaid),
        "payments": list(bill.payments.select_related("recorded_by")),
    }


@router.get(
    "/bills/{bill_id}/payments",
    response={200: BillPayments, **ERRORS},
    summary="Pembayaran sebuah tagihan dan sisanya",
)
def list_payments(request, bill_id: int):
    return _bill_payments(_bill(request, bill_id))


@router.post(
    "/bills/{bill_id}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Catat pembayaran (boleh sebagian, tidak melebihi sisa tagihan)",
)
def add_payment(request, bill_id: int, payload: PaymentIn):
    bill = _bill(request, bill_id)
    if not request.auth.can_manage_money:
        raise PermissionDenied
    data = PaymentData(payload.paid_on, payload.amount, payload.reference, payload.note)
    return Status(201, record_payment(request.auth, bill, data, channel="api"))


@router.get(
    "/arrears", response={200: ArrearsOut, **ERRORS}, summary="Tunggakan, denda dan peserta BPU nonaktif"
)
def list_arrears(request, query: Query[ArrearsQuery]):
    on = min(query.on or dt.date.today(), dt.date.today())
    bills = visible_bills(request.auth)
    rows = arrears.arrears(bills, on)
    lapsed = []
    for agreement in Agreement.objects.filter(category="bpu", bills__in=bills).distinct().order_by("pk"):
        people = lapse.lapsed(agreement, on)
        if people:
            lapsed.append(
                {
                    "agreement_id": agreement.pk,
                    "agreement": agreement.number,
                    "region": agreement.region_id,
                    "people": [
                        {**vars(p), "nik": nik_rules.mask(p.nik), "unit": p.unit_name} for p in people
                    ],
                }
            )
    return {
        "on": on,
        "bills": [
            {
                "bill_id": r.bill.pk,
                "region": r.bill.region_id,
                "agreement": r.bill.agreement.number,
                "period": r.bill.period,
                "due_date": r.bill.due_date,
                "total": r.bill.total,
                "paid": r.paid,
                "outstanding": r.outstanding,
                "days_late": r.days_late,
                "months_late": r.months_late,
                "fine": r.fine,
                "status": r.status,
            }
            for r in rows
        ],
        "regions": [
            {
                "region": t.region.code,
                "name": t.region.name,
                "bills": t.bills,
                "outstanding": t.outstanding,
                "overdue": t.overdue,
                "fine": t.fine,
            }
            for t in arrears.region_totals(rows)
        ],
        "lapsed": lapsed,
    }


@router.get(
    "/people/{person_id}/ledger",
    response={200: LedgerOut, **ERRORS},
    summary="Buku besar iuran satu orang: setiap baris tagihan, dibayar atau belum",
)
def person_ledger(request, person_id: int):
    person = scope.get_or_404(scope.people(request.auth), pk=person_id)
    rows = ledger.ledger(person)
    billed, paid = sum(r.amount for r in rows), sum(r.covered for r in rows)
    return {
        "person_id": person.pk,
        "name": person.name,
        "billed": billed,
        "paid": paid,
        "unpaid": billed - paid,
        "lines": [{**vars(r), "unit": r.unit_name, "paid": r.covered} for r in rows],
    }
