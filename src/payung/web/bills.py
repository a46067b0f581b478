"""Web pages for monthly bills: the region's bills with their totals and the form that generates a month
(users who manage money), and the bill as files (XLSX per unit and per person, PDF cover letter).

Scoping: bills of the user's regions (accounts.scope); an operator limited to some units sees none (a bill
names every unit's people). Each download is audited. The bill page itself lives in web.payments.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung import formats
from payung.accounts import scope
from payung.contributions import billing, exports, payments
from payung.contributions.models import Bill
from payung.coverage import queries as coverage_queries
from payung.coverage.models import Agreement
from payung.web.forms import Form, MonthField
from payung.web.templatetags.payung import angka, money

PAGE_SIZE = 50


def visible_bills(user):
    """contributions.payments.visible_bills (the one scoping rule for bills), with what these pages show."""
    return payments.visible_bills(user, Bill.objects.select_related("agreement", "region"))


class GenerateForm(Form):
    period = MonthField(
        label=gettext_lazy("Bulan tagihan"), help_text=gettext_lazy("Paling jauh bulan depan.")
    )
    agreement = forms.ModelChoiceField(
        label=gettext_lazy("Perjanjian (PKS)"),
        queryset=Agreement.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua PKS yang berlaku pada bulan itu"),
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(region=region)


def _generate_form(user, data=None) -> GenerateForm | None:
    """The form for a kab/kota user who manages money; None for everyone else."""
    region = scope.tenant_of(user)
    if region is None or not user.can_manage_money:
        return None
    initial = {"period": billing.next_month(timezone.localdate().replace(day=1))}
    return GenerateForm(data, region=region, initial=initial)


@login_required
def bills_list(request: HttpRequest) -> HttpResponse:
    form = _generate_form(request.user, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            bills = billing.generate(
                request.user,
                scope.tenant_of(request.user),
                form.cleaned_data["period"],
                agreement=form.cleaned_data["agreement"],
                channel="web",
            )
        except billing.BillingError as error:
            form.add_error(None, error.text(translation.get_language() or "id"))
        else:
            for bill in bills:
                messages.success(
                    request,
                    _("Tagihan %(month)s PKS %(number)s dibuat: %(people)s orang, %(total)s.")
                    % {
                        "month": formats.format_month(bill.period, translation.get_language()),
                        "number": bill.agreement.number,
                        "people": angka(bill.people),
                        "total": money(bill.total),
                    },
                )
            return redirect(reverse("bill", args=[bills[0].pk]) if len(bills) == 1 else reverse("bills"))
    if request.method == "POST" and (form is None or form.errors):
        status = 400
    bills = visible_bills(request.user).annotate(paid=Coalesce(Sum("payments__amount"), 0))
    page = Paginator(bills.order_by("-period", "agreement__number"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Warned before generating (decision 0020): agreements whose covered people all lose cover soon.
    covers = []
    if form is not None:
        mine = coverage_queries.agreements(request.user).filter(region=scope.tenant_of(request.user))
        found = coverage_queries.cover_ends(request.user, mine, timezone.localdate())
        covers = sorted(found.values(), key=lambda c: (c.last_day, c.agreement.number))
    context = {"title": _("Tagihan iuran"), "page": page, "form": form, "covers": covers}
    return render(request, "web/bills.html", context, status=status)


def _download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    bill = scope.get_or_404(visible_bills(request.user), pk=pk)
    stem = f"{slugify(bill.agreement.number)}-{bill.period:%Y-%m}"
    folder = Path(tempfile.mkdtemp(prefix="payung-bill-"))
    try:
        if kind == "xlsx":
            path = exports.bill_xlsx(bill, folder / "tagihan.xlsx")
            name = f"tagihan-{stem}.xlsx"
        else:
            path = exports.cover_letter_pdf(bill, folder / "surat.pdf")
            name = f"surat-pengantar-{stem}.pdf"
        handle = path.open("rb")  # still readable after its folder is gone (the response streams it)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    exports.audited(request.user, bill, kind, channel="web")
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
def bill_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "xlsx")


@login_required
def bill_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "pdf")
