"""Recording a payment against a bill: the one write path of web, API and CLI. Validated and audited.

A payment may be partial but never more than what is still due: the bill's row is locked while the
remaining balance is read and the payment written, so two clerks entering the same SP2D at once cannot
overpay it together (decision 0010).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from payung import formats
from payung.accounts import scope
from payung.audit.services import record, snapshot, stored_user
from payung.contributions import arrears
from payung.contributions.models import Bill, Payment
from payung.registry.services import ValidationFailed

MAX_REFERENCE = 100


@dataclass
class PaymentData:
    paid_on: dt.date | None
    amount: int | None
    reference: str
    note: str = ""


def visible_bills(user, queryset=None):
    """Bills the user may see: a bill lists every unit's people, so scope.region_wide."""
    return scope.region_wide(user, queryset if queryset is not None else Bill.objects.all())


def rupiah(amount: int) -> str:
    """Rp 1.234.567 (Indonesian) or Rp 1,234,567 (English), for messages."""
    return formats.format_rupiah(amount, translation.get_language())


def _errors(bill: Bill, data: PaymentData, due: int, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    amount = data.amount
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = [_("Jumlah pembayaran harus bilangan bulat rupiah lebih dari 0.")]
    elif due <= 0:
        errors["amount"] = [_("Tagihan ini sudah lunas.")]
    elif amount > due:
        errors["amount"] = [_("Pembayaran melebihi sisa tagihan %(due)s.") % {"due": rupiah(due)}]
    if data.paid_on is None:
        errors["paid_on"] = [_("Tanggal bayar wajib diisi.")]
    elif data.paid_on > today:
        errors["paid_on"] = [_("Tanggal bayar tidak boleh di masa depan.")]
    elif data.paid_on < bill.period:
        month = formats.format_month(bill.period, translation.get_language())
        errors["paid_on"] = [
            _("Tanggal bayar tidak boleh sebelum bulan tagihan (%(month)s).") % {"month": month}
        ]
    if not data.reference.strip():
        errors["reference"] = [_("Nomor referensi (SP2D/bukti transfer) wajib diisi.")]
    elif len(data.reference.strip()) > MAX_REFERENCE:
        errors["reference"] = [_("Nomor referensi paling panjang 100 karakter.")]
    return errors


@transaction.atomic
def record_payment(user, bill: Bill, data: PaymentData, *, channel: str = "web") -> Payment:
    """Record ``data`` against ``bill``; ValidationFailed (nothing written) on bad input or overpayment."""
    locked = Bill.objects.select_for_update().get(pk=bill.pk)
    errors = _errors(locked, data, arrears.outstanding(locked), dt.date.today())
    if errors:
        raise ValidationFailed(errors)
    payment = Payment.objects.create(
        bill=locked,
        paid_on=data.paid_on,
        amount=data.amount,
        reference=data.reference.strip(),
        note=data.note.strip(),
        recorded_by=stored_user(user),
    )
    record(
        user,
        "payment.create",
        payment,
        region_code=locked.region_id,
        after=snapshot(payment, ["bill_id", "paid_on", "amount", "reference", "note"]),
        channel=channel,
    )
    return payment
