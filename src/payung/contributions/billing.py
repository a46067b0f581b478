"""Monthly bills: one immutable snapshot per agreement (PKS) and month, computed set-based.

``generate`` computes the month's own lines inside the database: who is billed under the agreement's
mid-month rule is chosen into a temporary table (``chosen_members``), and one INSERT ... SELECT writes every
person x program line from it, the amounts by the same ``Formula`` a single quote uses rendered as SQL
(``formula_sql``, rounding by ``calculator.share``), from the rules in force on the 1st of the month.
Earlier months' corrections are computed the same way, in the database too (``stage_adjustments``).
Decision: docs/decisions/0010.

Who is billed for a month (``chosen_members``):
- ``any_day``: everyone with a period overlapping the month; ``first_day``: a period covering its 1st.
- One line per person and program. When a person has several periods in the month (a wage change or a
  transfer splits a period), the period in force on the 1st wins, else the earliest one; so a wage rise
  takes effect from the next full month, like the rules themselves.
- A period's basis is the wage (PU) or declared income (BPU); a BPU period without one takes the
  agreement's declared income.

Adjustments: for every earlier month already billed under the agreement, the month is computed again
from today's memberships and rules (with the mid-month rule that bill used), compared per person x program
with everything billed for it so far (its own bill and earlier corrections), and each difference becomes
an ADJUSTMENT line dated with the corrected month. Nothing already billed is ever changed.

Never a bill without members (decision 0020, bills without cover): a month in which nobody is covered
under the agreement is refused with the reason (the last membership ended, or the first starts later);
the corrections of earlier months it would have carried stay pending for the next bill with members (they
are computed afresh each time, against everything billed so far). A bill whose corrections exceed its
month is a credit (arrears.status), never "paid". The SQL is in contributions.month_sql, the refusals'
words in contributions.refusals.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone, translation
from django.utils.translation import ngettext

from payung import formats
from payung.audit.services import record, stored_user
from payung.contributions import calculator
from payung.contributions.calculator import PROGRAMS, Formula, QuoteError
from payung.contributions.models import Bill
from payung.contributions.month_sql import (
    check_wages,
    chosen_members,
    insert_adjustments,
    insert_regular,
    month_sums,
    stage_adjustments,
    sums,
)
from payung.contributions.refusals import BillingError
from payung.coverage import queries as coverage_queries
from payung.coverage.models import Agreement, Membership
from payung.coverage.queries import month_end
from payung.rules import queries as rule_queries
from payung.rules.book import RuleBook, RuleMissing

__all__ = ["BillingError", "generate", "parse_period", "month_end", "next_month", "due_date"]


def parse_period(text: str) -> dt.date:
    """'2023-05' (or '2023-5', '05/2023') -> the first day of that month."""
    text = str(text).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if match is None:
        raise BillingError("period")
    year, month = (int(g) for g in (match.groups() if "-" in text else reversed(match.groups())))
    if not 1 <= month <= 12 or year < 1900:
        raise BillingError("period")
    return dt.date(year, month, 1)


def next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def due_date(book: RuleBook, category: str, period: dt.date, region: str = "") -> dt.date:
    """PU: ``pu.due_day`` of the following month; BPU: ``bpu.due_day`` of the month paid for (the day
    clipped to the month's length)."""
    try:
        day = int(book.at(f"{category}.due_day", period, region).value)
    except RuleMissing as missing:
        raise _rule_missing(missing, period) from None
    month = next_month(period) if category == "pu" else period
    return month.replace(day=min(day, month_end(month).day))


def _rule_missing(missing: RuleMissing, on: dt.date) -> BillingError:
    return BillingError("rule_missing", key=missing.key, on=on, first=missing.first)


# ------------------------------------------------------------------------------------------ agreements
def valid_agreements(region_code: str, period: dt.date):
    """The region's agreements valid on any day of the month, oldest first."""
    return coverage_queries.valid_in(region_code, period).order_by("valid_from", "number")


def bills_reached(version) -> tuple[int, dt.date | None]:
    """Bills already issued that a new rule ``version`` (rules.models.RuleVersion) would have priced: the
    bills of its category and region whose month's formulas (month_formulas, the bill's own choice of
    rules) now use it. How many, and the first month. They stay as they are; the next bill of each such
    agreement carries the difference as adjustments (decision 0010), so the operator is told."""
    book = rule_queries.book()
    first = version.effective_from
    first = first if first.day == 1 else next_month(first.replace(day=1))
    bills = Bill.objects.filter(period__gte=first, agreement__category=version.parameter.category)
    if version.region_code:
        bills = bills.filter(region_id=version.region_code)
    reached = [
        bill.period
        for bill in bills.select_related("agreement").only("period", "agreement")
        if version.pk in _version_ids(book, bill.agreement, bill.period)
    ]
    return len(reached), min(reached, default=None)


def _version_ids(book: RuleBook, agreement: Agreement, month: dt.date) -> set[int]:
    try:
        return {v.id for f in month_formulas(book, agreement, month) for v in f.versions}
    except BillingError:  # no billable rule that month: nothing it could have priced
        return set()


def reached_note(version) -> str | None:
    """What to tell whoever adds a rule version that reaches bills already issued (bills_reached)."""
    count, first = bills_reached(version)
    if not count:
        return None
    text = ngettext(
        "Perhatian: %(count)s tagihan yang sudah dibuat (mulai %(first)s) termasuk masa berlaku versi ini. "
        "Tagihan itu tidak diubah; tagihan berikutnya dari PKS yang sama membawa selisihnya sebagai koreksi.",
        "Perhatian: %(count)s tagihan yang sudah dibuat (mulai %(first)s) termasuk masa berlaku versi ini. "
        "Tagihan itu tidak diubah; tagihan berikutnya dari PKS yang sama membawa selisihnya sebagai koreksi.",
        count,
    )  # Indonesian counts without a plural; English needs one
    return text % {"count": count, "first": formats.format_month(first, translation.get_language())}


def _agreements(region, period: dt.date, agreement: Agreement | None) -> list[Agreement]:
    valid = list(valid_agreements(region.code, period))
    if agreement is None:
        if not valid:
            raise BillingError("no_agreement", region=region.name, period=period)
        return valid
    if agreement.region_id != region.code or agreement.pk not in {a.pk for a in valid}:
        raise BillingError(
            "outside",
            number=agreement.number,
            valid_from=agreement.valid_from,
            valid_to=agreement.valid_to,
            period=period,
        )
    return [agreement]


def _check_period(period: dt.date) -> dt.date:
    period = period.replace(day=1)
    latest = next_month(timezone.localdate().replace(day=1))
    if period > latest:
        raise BillingError("future", period=period, latest=latest)
    return period


# ------------------------------------------------------------------------------------------ generation
def generate(
    user, region, period: dt.date, *, agreement: Agreement | None = None, channel: str = "web"
) -> list[Bill]:
    """The bills of ``region`` for the month of ``period``: one per agreement valid in it (or only
    ``agreement``). All or nothing: any refusal (BillingError) leaves the database as it was."""
    period = _check_period(period)
    agreements = _agreements(region, period, agreement)
    billed = dict(Bill.objects.filter(agreement__in=agreements, period=period).values_list("agreement", "pk"))
    todo = [a for a in agreements if a.pk not in billed]
    if not todo:  # asked again for a month already billed: say which bill holds it
        first = agreements[0]
        raise BillingError("exists", number=first.number, period=period, bill=billed[first.pk])
    book = rule_queries.book()
    with transaction.atomic():
        return [_generate_one(user, a, period, book, channel) for a in todo]


def _generate_one(user, agreement: Agreement, period: dt.date, book: RuleBook, channel: str) -> Bill:
    if not Membership.objects.filter(agreement=agreement).exists():
        raise BillingError("no_members", number=agreement.number)
    formulas = month_formulas(book, agreement, period)
    versions = {v.id: v for f in formulas for v in f.versions}
    earlier = []
    for bill in Bill.objects.filter(agreement=agreement, period__lt=period).only("period", "mid_month_rule"):
        found = month_formulas(book, agreement, bill.period)
        versions.update({v.id: v for f in found for v in f.versions})
        earlier.append((bill, found))
    earlier.sort(key=lambda pair: pair[0].period)
    with chosen_members(agreement, period, agreement.mid_month_rule) as chosen:
        check_wages(chosen, agreement)
        people, employer, worker = month_sums(chosen, formulas)
        with stage_adjustments(agreement, period, earlier) as adjusted:
            count, more_employer, more_worker = sums(adjusted)
            if not people:
                raise nobody(agreement, period, pending=more_employer + more_worker if count else 0)
            totals = {
                "people": people,
                "line_count": people * len(formulas) + count,
                "employer": employer + more_employer,
                "worker": worker + more_worker,
                "adjustments": more_employer + more_worker,
                "total": employer + worker + more_employer + more_worker,
            }
            bill = _create(user, agreement, period, book, versions, totals)
            insert_regular(bill.pk, chosen, period, formulas, people)
            insert_adjustments(bill.pk, adjusted)
    summary = dict(totals, period=period.isoformat(), agreement=agreement.number)
    record(
        user, "bill.generate", bill, after=summary | {"due_date": bill.due_date.isoformat()}, channel=channel
    )
    return bill


def nobody(agreement: Agreement, period: dt.date, *, pending: int = 0) -> BillingError:
    """The refusal of a month in which nobody is covered under ``agreement``, with the reason: the last
    membership ended before it, or the first starts after it. ``pending``: the corrections of earlier
    months that wait for the next bill with members."""
    periods = Membership.objects.filter(agreement=agreement)
    found = periods.aggregate(
        last=Max("end", filter=Q(end__lt=period)), first=Min("start", filter=Q(start__gt=month_end(period)))
    )
    if found["last"] is not None and not periods.filter(end__isnull=True, start__lt=period).exists():
        return BillingError(
            "nobody_since", number=agreement.number, period=period, last=found["last"], pending=pending
        )
    if found["first"] is not None:
        return BillingError(
            "nobody_yet", number=agreement.number, period=period, first=found["first"], pending=pending
        )
    return BillingError("nobody", number=agreement.number, period=period, pending=pending)


def month_formulas(book: RuleBook, agreement: Agreement, month: dt.date) -> list[Formula]:
    """The agreement's billable programs' formulas on the 1st of ``month`` (JKP, paid by the central
    government, is never billed)."""
    category = agreement.category
    known = PROGRAMS.get(category, ())
    programs = sorted(
        {p.upper() for p in agreement.programs},
        key=lambda p: (p not in known, known.index(p) if p in known else 0, p),
    )
    formulas = []
    for program in programs:
        try:
            found = calculator.formula(
                book, category, program, month, agreement.jkk_class, agreement.region_id
            )
        except QuoteError as error:
            raise BillingError(error.code, **error.params) from None
        if {"employer", "worker"} & set(found.terms):
            formulas.append(found)
    if not formulas:
        raise BillingError("no_programs", number=agreement.number)
    return formulas


# ------------------------------------------------------------------------------------------ writing
def _create(
    user, agreement: Agreement, period: dt.date, book: RuleBook, versions: dict, totals: dict
) -> Bill:
    """The bill's row, with its totals already known (a bill is never changed once written)."""
    due = due_date(book, agreement.category, period, agreement.region_id)
    due_version = book.at(f"{agreement.category}.due_day", period, agreement.region_id)
    versions[due_version.id] = due_version
    try:
        with transaction.atomic():
            return Bill.objects.create(
                region_id=agreement.region_id,
                agreement=agreement,
                period=period,
                due_date=due,
                generated_by=stored_user(user),
                mid_month_rule=agreement.mid_month_rule,
                rules=[v.as_dict() for v in sorted(versions.values(), key=_version_order)],
                **totals,
            )
    except IntegrityError:  # the same bill generated a moment ago by someone else
        existing = Bill.objects.get(agreement=agreement, period=period)
        raise BillingError("exists", number=agreement.number, period=period, bill=existing.pk) from None


def _version_order(version) -> tuple:
    return (version.key, version.region_code, version.effective_from)
