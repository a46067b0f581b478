"""What is still owed: balances, late fines, arrears and the allocation of a bill's payments over its lines
(who lost BPU protection: contributions.lapse; each person's ledger: contributions.ledger).

Allocation (decision 0010): a bill's payments cover its lines in the bill's own order (unit name, person
name, program, month, line id) until they run out. The order is byte-wise on every database (COLLATE "C" on
PostgreSQL, BINARY on SQLite), so the same payment covers the same lines wherever it is stored. It is
computed in the database with one running sum per bill (a window function), so a page of a bill's lines
reads only the result, not the whole bill.

Dates: every figure is "as of" a day ``on``: payments recorded with a later ``paid_on`` do not count yet.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Collate
from django.utils.translation import gettext_lazy as _

from payung.contributions.calculator import share
from payung.contributions.models import Bill, BillLine, Payment
from payung.rules import queries as rule_queries
from payung.rules.book import RuleBook

FINE_KEY = "pu.late_fine"

STATUS_LABELS = {
    "paid": _("Lunas"),
    "partial": _("Sebagian"),
    "unpaid": _("Belum dibayar"),
    "overdue": _("Lewat jatuh tempo"),
    "credit": _("Kredit"),
}


# ------------------------------------------------------------------------------------------ one bill
def _paid_filter(on: dt.date | None, prefix: str = "") -> Q:
    return Q(**{f"{prefix}paid_on__lte": on}) if on is not None else Q()


def paid(bill: Bill, on: dt.date | None = None) -> int:
    """What has been paid on ``bill`` (up to ``on``, when given)."""
    found = Payment.objects.filter(_paid_filter(on), bill_id=bill.pk).aggregate(s=Sum("amount"))["s"]
    return found or 0


def outstanding(bill: Bill, on: dt.date | None = None) -> int:
    """What is still due on ``bill``; never below zero (a bill of refunds owes nothing)."""
    return max(bill.total - paid(bill, on), 0)


def status(total: int, paid_amount: int, due_date: dt.date, on: dt.date) -> str:
    """'paid', 'overdue' (something unpaid after the due date), 'partial' or 'unpaid'; 'credit' for a bill
    whose corrections exceed its month (below zero): nothing to pay, BPJS owes the difference back, and it
    is never shown as paid (decision 0020, bills without cover)."""
    if total < 0:
        return "credit"
    if paid_amount >= total:
        return "paid"
    if on > due_date:
        return "overdue"
    return "partial" if paid_amount > 0 else "unpaid"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has none (31 Jan + 1 = 29 Feb 2024)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_late(due_date: dt.date, on: dt.date) -> int:
    """Started months after the due date: one from the day after it, two from a month and a day after."""
    if on <= due_date:
        return 0
    months = (on.year - due_date.year) * 12 + on.month - due_date.month
    return months + 1 if add_months(due_date, months) < on else months


def fine_rate(book: RuleBook, bill: Bill) -> Decimal | None:
    """The fine percent in force on the bill's due date, the day lateness starts (None: no such rule)."""
    version = book.optional(FINE_KEY, bill.due_date, bill.region_id)
    return version.value if version is not None else None


def fine(bill: Bill, on: dt.date, *, book: RuleBook | None = None, unpaid: int | None = None) -> int:
    """The late fine on ``on``: ``pu.late_fine`` % of what is still unpaid, per started month after the due
    date, rounded once (calculator.share); 0 unless the bill's agreement says the fine binds the Pemda."""
    if not bill.agreement.late_fine:
        return 0
    months = months_late(bill.due_date, on)
    unpaid = outstanding(bill, on) if unpaid is None else unpaid
    if not months or unpaid <= 0:
        return 0
    rate = fine_rate(book or rule_queries.book(), bill)
    return share(unpaid, rate * months) if rate else 0


# ------------------------------------------------------------------------------------------ arrears
@dataclass(frozen=True)
class ArrearsRow:
    bill: Bill
    paid: int
    outstanding: int
    days_late: int
    months_late: int
    fine: int
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def with_paid(bills: QuerySet, on: dt.date | None = None) -> QuerySet:
    """``bills`` with ``paid_amount``: their payments up to ``on``, summed in the same query."""
    payments = Payment.objects.filter(_paid_filter(on), bill=OuterRef("pk")).order_by()
    total = payments.values("bill").annotate(s=Sum("amount")).values("s")
    return bills.annotate(paid_amount=Coalesce(Subquery(total), Value(0)))


def arrears(bills: QuerySet, on: dt.date) -> list[ArrearsRow]:
    """Every bill of ``bills`` billed by ``on`` with something unpaid on ``on``, oldest due date first:
    what is owed, how late, and the fine where the agreement applies it. One query for all of them."""
    rows = (
        with_paid(bills.filter(period__lte=on), on)
        .filter(total__gt=F("paid_amount"))
        .select_related("agreement", "region")
        .order_by("due_date", "region_id", "agreement__number", "pk")
    )
    book = rule_queries.book()
    found = []
    for bill in rows:
        unpaid = bill.total - bill.paid_amount
        found.append(
            ArrearsRow(
                bill=bill,
                paid=bill.paid_amount,
                outstanding=unpaid,
                days_late=max((on - bill.due_date).days, 0),
                months_late=months_late(bill.due_date, on),
                fine=fine(bill, on, book=book, unpaid=unpaid),
                status=status(bill.total, bill.paid_amount, bill.due_date, on),
            )
        )
    return found


@dataclass
class RegionTotal:
    region: object
    bills: int = 0
    outstanding: int = 0
    overdue: int = 0  # of which past the due date
    fine: int = 0


def region_totals(rows: Iterable[ArrearsRow]) -> list[RegionTotal]:
    totals: dict[str, RegionTotal] = {}
    for row in rows:
        total = totals.setdefault(row.bill.region_id, RegionTotal(row.bill.region))
        total.bills += 1
        total.outstanding += row.outstanding
        total.overdue += row.outstanding if row.days_late else 0
        total.fine += row.fine
    return [totals[code] for code in sorted(totals)]


# ------------------------------------------------------------------------------------------ allocation
def line_order(using: str = "default") -> list:
    """The bill's own order (unit, name, program, month, id), byte-wise whatever the database's locale."""
    collation = "C" if connections[using].vendor == "postgresql" else "BINARY"
    return [
        Collate(F("unit_name"), collation),
        Collate(F("name"), collation),
        F("program"),
        F("period"),
        F("id"),
    ]


def _allocated(lines: QuerySet, on: dt.date | None) -> QuerySet:
    """``lines`` (whole bills: the running sum needs every line ahead) with ``running``, the bill's total
    up to and including the line in the bill's order, and ``bill_paid``, the bill's payments up to ``on``.
    A line is covered when ``running <= bill_paid``; partly covered when ``running - total < bill_paid``."""
    payments = Payment.objects.filter(_paid_filter(on), bill=OuterRef("bill_id")).order_by()
    bill_paid = payments.values("bill").annotate(s=Sum("amount")).values("s")
    return lines.order_by().annotate(
        running=Window(Sum("total"), partition_by=[F("bill_id")], order_by=line_order(lines.db)),
        bill_paid=Coalesce(Subquery(bill_paid), Value(0)),
    )


def _select(lines: QuerySet, columns: list[str], sql_after: str, params: list) -> list:
    """Run SQL over the allocated lines as a table ``a``. A filter on a line's own columns must come after
    the running sum (a WHERE inside would drop the lines ahead of it), hence the derived table."""
    inner, inner_params = lines.query.sql_with_params()
    select = ", ".join(f"a.{c}" for c in columns)
    sql = f"SELECT {select} FROM ({inner}) a {sql_after}"
    with connections[lines.db].cursor() as cursor:
        cursor.execute(sql, [*inner_params, *params])
        return cursor.fetchall()


def covered(total: int, running: int, bill_paid: int) -> int:
    """How much of one line the bill's payments cover: lines ahead take their share first. A refund line
    (negative) owes nothing and counts as covered."""
    if total <= 0:
        return total
    return min(max(bill_paid - (running - total), 0), total)


def line_status(total: int, covered_amount: int) -> str:
    if covered_amount >= total:
        return "paid"
    return "partial" if covered_amount > 0 else "unpaid"


def allocation(bill: Bill, on: dt.date | None = None, ids: Iterable[int] | None = None) -> dict[int, int]:
    """line id -> the amount of it covered by the bill's payments (up to ``on``); only ``ids`` when given
    (a page of lines: the running sum still reads the whole bill, only the page comes back)."""
    lines = BillLine.objects.filter(bill_id=bill.pk)
    columns = ["id", "total", "running", "bill_paid"]
    where, params = "", []
    if ids is not None:
        params = [int(pk) for pk in ids] or [0]
        where = f"WHERE a.id IN ({', '.join(['%s'] * len(params))})"
    rows = _select(_allocated(lines, on).values(*columns), columns, where, params)
    return {pk: covered(total, running, bill_paid) for pk, total, running, bill_paid in rows}


def _as_date(value) -> dt.date:
    """Raw SQL on SQLite gives dates back as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
