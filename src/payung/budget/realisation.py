"""Realisation of budget lines: what the linked agreements' bills have used of the allocation (billed, paid,
outstanding), what the rest of the year will cost at the current roster, and the month the allocation runs
out (when it does).

The rest of the year is priced like a plan (budget.pricing, through the bills' calculator): each linked
agreement's members covered today, counted by unit and basis, for the months after its last bill within
the agreement's validity, every part of the contribution (a bill's total).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from payung.budget import pricing, queries
from payung.budget.models import BudgetLine
from payung.contributions.billing import month_end
from payung.contributions.models import Bill, Payment
from payung.coverage.models import Membership
from payung.files.letters import count
from payung.rules import queries as rule_queries


def of_line(line: BudgetLine, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    agreements = list(line.agreements.all())
    bills = Bill.objects.filter(agreement__in=agreements, period__year=line.year)
    billed = {m: 0 for m in pricing.MONTHS}
    for period, total in (
        bills.values_list("period").annotate(total=Sum("total")).values_list("period", "total")
    ):
        billed[period.month] += int(total)
    paid = int(Payment.objects.filter(bill__in=bills).aggregate(s=Sum("amount"))["s"] or 0)
    projected = {m: 0 for m in pricing.MONTHS}
    book = rule_queries.book()
    for agreement in agreements:
        last = bills.filter(agreement=agreement).order_by("-period").values_list("period", flat=True).first()
        after = last.month if last else 0
        for month, amount in enumerate(_rest(book, agreement, line.year, today), start=1):
            if month > after and _valid(agreement, line.year, month):
                projected[month] += amount
    months, running, runs_out = [], 0, None
    for month in pricing.MONTHS:
        running += billed[month] + projected[month]
        if runs_out is None and running > line.amount:
            runs_out = dt.date(line.year, month, 1)
        months.append(
            {"month": month, "billed": billed[month], "projected": projected[month], "cumulative": running}
        )
    total_billed, total_projected = sum(billed.values()), sum(projected.values())
    return {
        "line": line.pk,
        "series": line.series,
        "version": line.version,
        "account_code": line.account_code,
        "account_name": line.account_name,
        "funding_source": line.funding_source,
        "year": line.year,
        "amount": line.amount,
        "billed": total_billed,
        "paid": paid,
        "outstanding": total_billed - paid,
        "projected": total_projected,
        "expected": total_billed + total_projected,
        "left": line.amount - total_billed - total_projected,
        "runs_out": runs_out,
        "months": months,
        "agreements": [a.number for a in agreements],
    }


def _valid(agreement, year: int, month: int) -> bool:
    first = dt.date(year, month, 1)
    return agreement.valid_from <= month_end(first) and agreement.valid_to >= first


def _rest(book, agreement, year: int, today: dt.date) -> list[int]:
    """The agreement's members covered ``today`` priced for each month of ``year`` (12 figures)."""
    open_now = Q(end__isnull=True) | Q(end__gte=today)
    rows = (
        Membership.objects.filter(open_now, agreement=agreement, start__lte=today)
        .values("unit_id", "basis")
        .annotate(unit_name=F("unit__name"), people=Count("person", distinct=True))
        .order_by()
    )
    frame = pl.DataFrame(
        {
            "unit_id": [r["unit_id"] for r in rows],
            "unit": [r["unit_name"] for r in rows],
            "village": [None] * len(rows),
            "basis": [r["basis"] or agreement.declared_income for r in rows],
            "people": [r["people"] for r in rows],
        },
        schema=pricing.ROSTER,
    )
    if not frame.height:
        return [0] * 12
    programs = tuple(p for p in pricing.BUDGET_PROGRAMS if p in {x.upper() for x in agreement.programs})
    part = pricing.Part(agreement.number, agreement.category, programs, agreement.funding_source, frame)
    assumptions = pricing.Assumptions(year, agreement.region_id, agreement.jkk_class, shares="all")
    try:
        return pricing.price(book, [part], assumptions).months()
    except pricing.PricingError:  # no rules yet for that year: nothing can be projected
        return [0] * 12


def of_region(user, region, year: int) -> dict:
    visible = BudgetLine.objects.all() if user is None else queries.lines(user)  # None: the server's admin
    found = queries.latest(visible.filter(region=region, year=year).prefetch_related("agreements"))
    rows = [of_line(line) for line in found]
    keys = ("amount", "billed", "paid", "outstanding", "projected", "expected", "left")
    return {
        "region": region.code,
        "year": year,
        "allocated": queries.allocated(region, year),
        "lines": rows,
        "totals": {k: sum(r[k] for r in rows) for k in keys},
    }


def report(found: dict) -> list[str]:
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from payung import formats

    rows = [_("Realisasi %(region)s tahun %(year)s") % {"region": found["region"], "year": found["year"]}]
    if not found["lines"]:
        return [*rows, _("Belum ada pagu anggaran untuk tahun ini.")]
    for line in found["lines"]:
        rows += ["", f"{line['account_code']} {line['account_name']} (v{line['version']})"]
        for key, label in ((("amount"), _("Pagu")), ("billed", _("Ditagih")), ("paid", _("Dibayar")),
                           ("outstanding", _("Belum dibayar")), ("projected", _("Perkiraan sisa tahun")),
                           ("left", _("Sisa pagu akhir tahun"))):  # fmt: skip
            rows.append(f"  {label:<28}{count(line[key]):>20}")
        if line["runs_out"]:
            month = formats.format_month(line["runs_out"], get_language())
            rows.append("  " + _("Perhatian: pagu habis pada %(month)s.") % {"month": month})
    return rows
