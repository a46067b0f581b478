"""Web pages for money owed: one bill (totals, lines, payments, the payment form), arrears, a person's ledger.

Scoping: bills come from contributions.payments.visible_bills (the user's regions), people from
accounts.scope; anything else answers 404. Only users who manage money (admin, finance) record payments;
for anyone else the payment URL does not exist.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung.accounts import scope
from payung.contributions import arrears, lapse, ledger
from payung.contributions.models import Bill, LineKind
from payung.contributions.payments import PaymentData, record_payment, rupiah, visible_bills
from payung.coverage.models import Agreement
from payung.registry import nik as nik_rules
from payung.registry.services import ValidationFailed
from payung.web.forms import Form, RupiahField, ServiceForm, date_field
from payung.web.views import treasurer_required

PAGE_SIZE = 50
LAPSED_SHOWN = 200  # names per agreement on the arrears page; the API lists them all


class PaymentForm(ServiceForm):
    paid_on = date_field(gettext_lazy("Tanggal bayar"), required=True)
    amount = RupiahField(
        label=gettext_lazy("Jumlah (Rp)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reference = forms.CharField(
        label=gettext_lazy("Nomor SP2D / bukti transfer"), max_length=100, widget=forms.TextInput()
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def payment_data(self) -> PaymentData:
        data = self.cleaned_data
        return PaymentData(data["paid_on"], data["amount"], data["reference"], data.get("note") or "")


def _bill(request: HttpRequest, pk: int) -> Bill:
    return scope.get_or_404(visible_bills(request.user).select_related("agreement", "region"), pk=pk)


def _link(name: str, pk: int) -> str:
    """A URL another part builds (exports): left out until it exists, rather than breaking this page."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _sums(lines, key: str) -> list[dict]:
    order = arrears.line_order(lines.db)[0] if key == "unit_name" else key
    return list(
        lines.order_by()
        .values(key)
        .annotate(
            people=Count("nik", distinct=True),
            employer_sum=Sum("employer"),
            worker_sum=Sum("worker"),
            total_sum=Sum("total"),
        )
        .order_by(order)
    )


def _summary(bill: Bill, today: dt.date) -> dict:
    paid = arrears.paid(bill)
    state = arrears.status(bill.total, paid, bill.due_date, today)
    return {
        "paid": paid,
        "outstanding": max(bill.total - paid, 0),
        "status": state,
        "status_label": arrears.STATUS_LABELS[state],
        "credit": max(-bill.total, 0),  # corrections above the month: BPJS owes it back
        "fine": arrears.fine(bill, today, unpaid=max(bill.total - paid, 0)),
        "days_late": max((today - bill.due_date).days, 0) if paid < bill.total else 0,
    }


def _with_allocation(bill: Bill, page) -> list:
    lines = list(page.object_list)
    covered = arrears.allocation(bill, ids=[line.pk for line in lines])
    for line in lines:
        line.covered = covered.get(line.pk, 0)
        line.state = arrears.line_status(line.total, line.covered)
        line.state_label = arrears.STATUS_LABELS[line.state]
        line.masked = nik_rules.mask(line.nik)
    return lines


@login_required
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _bill(request, pk)
    return _bill_page(request, bill, PaymentForm() if request.user.can_manage_money else None)


def _bill_page(request: HttpRequest, bill: Bill, form: PaymentForm | None) -> HttpResponse:
    today = dt.date.today()
    regular = bill.lines.filter(kind=LineKind.REGULAR)
    adjustments = bill.lines.filter(kind=LineKind.ADJUSTMENT)
    order = arrears.line_order(bill.lines.db)
    page = Paginator(regular.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    fixes = Paginator(adjustments.order_by(*order), PAGE_SIZE).get_page(request.GET.get("koreksi"))
    context = {
        "bill": bill,
        "title": _("Tagihan %(agreement)s") % {"agreement": bill.agreement.number},
        "summary": _summary(bill, today),
        "by_unit": _sums(regular, "unit_name"),
        "by_program": _sums(regular, "program"),
        "regular_total": regular.aggregate(s=Sum("total"))["s"] or 0,
        "page": page,
        "lines": _with_allocation(bill, page),
        "fixes": fixes,
        "fix_lines": _with_allocation(bill, fixes),
        "payments": bill.payments.select_related("recorded_by"),
        "form": form,
        "xlsx": _link("bill_xlsx", bill.pk),
        "pdf": _link("bill_pdf", bill.pk),
    }
    return render(request, "web/bill_detail.html", context)


@treasurer_required
def bill_pay(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _bill(request, pk)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = record_payment(request.user, bill, form.payment_data(), channel="web")
        except ValidationFailed as failed:
            form.show(failed.errors)
        else:
            left = arrears.outstanding(bill)
            messages.success(
                request,
                _("Pembayaran %(amount)s dicatat. Sisa tagihan %(left)s.")
                % {"amount": rupiah(payment.amount), "left": rupiah(left)},
            )
            return redirect("bill", pk=bill.pk)
    if request.method == "POST":
        return _bill_page(request, bill, form)
    return redirect(reverse("bill", args=[bill.pk]) + "#bayar")


class AsOfForm(Form):
    """?tanggal=... looks at the arrears as they stood on an earlier day (default and at most today)."""

    tanggal = date_field(gettext_lazy("Per tanggal"))

    def day(self, today: dt.date) -> dt.date:
        asked = self.cleaned_data["tanggal"] if self.is_valid() else None
        return min(asked or today, today)


@login_required
def arrears_page(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None, initial={"tanggal": dt.date.today()})
    on = form.day(dt.date.today())
    bills = visible_bills(request.user)
    rows = arrears.arrears(bills, on)
    lapsed = []
    bpu = Agreement.objects.filter(category="bpu", bills__in=bills).distinct().order_by("region_id", "number")
    for agreement in bpu:
        people = lapse.lapsed(agreement, on)
        if people:
            shown = [(p, nik_rules.mask(p.nik)) for p in people[:LAPSED_SHOWN]]
            lapsed.append({"agreement": agreement, "people": shown, "count": len(people)})
    context = {
        "title": _("Tunggakan"),
        "form": form,
        "on": on,
        "today": on == dt.date.today(),
        "rows": rows,
        "totals": arrears.region_totals(rows),
        "lapsed": lapsed,
        "shown": LAPSED_SHOWN,
    }
    return render(request, "web/arrears.html", context)


@login_required
def ledger_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = scope.get_or_404(scope.people(request.user).select_related("region"), pk=pk)
    rows = ledger.ledger(person)
    bill_ids = {r.bill_id for r in rows}
    billed = sum(r.amount for r in rows)
    covered = sum(r.covered for r in rows)
    context = {
        "title": _("Buku besar iuran %(name)s") % {"name": person.name},
        "person": person,
        "masked": nik_rules.mask(person.nik),
        "rows": rows,
        "billed": billed,
        "covered": covered,
        "unpaid": billed - covered,
        # A person's ledger may cite a bill the user cannot open (an operator limited to some units).
        "openable": set(visible_bills(request.user).values_list("pk", flat=True).filter(pk__in=bill_ids)),
    }
    return render(request, "web/ledger.html", context)
