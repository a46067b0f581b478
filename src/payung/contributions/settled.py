"""What a bill's payments cover, without a running sum over the whole bill when it is not needed.

The allocation rule (decision 0010, contributions.arrears): a bill's payments cover its lines in the
bill's own order until they run out; a refund line (negative) counts as covered and adds to what covers
the lines after it. Computed with a running sum over every line of a bill, that costs a read of the whole
bill (178,560 lines for the demo's TTU) for one person's ledger or for the lapsed people of an agreement.

Most bills need none (decision 0020, speed): a bill without refund lines is **wholly covered** once its
payments reach its total, and **not covered at all** while nothing is paid (its running sum never dips
below zero). Only a partly paid bill, or one with refund lines, needs the rule itself, and for one line
that is a single sum: the totals of the lines ahead of it in the bill's order (``ahead``). Bill lines never
change, so each fact holds for as long as the payments do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Min, Q, Sum
from django.db.models.functions import Coalesce

from payung.contributions.models import Bill, BillLine, LineKind, Payment


@dataclass(frozen=True)
class BillState:
    total: int
    paid: int  # up to the day asked for
    refunds: bool  # a line below zero (only adjustment lines can be)
    adjusted: frozenset = frozenset()  # the earlier months its adjustment lines correct

    @property
    def wholly(self) -> bool:
        """Every line covered."""
        return not self.refunds and self.paid >= self.total

    @property
    def nothing(self) -> bool:
        """No line above zero covered."""
        return not self.refunds and self.paid <= 0


def states(bill_ids: Iterable[int], on: dt.date | None = None) -> dict[int, BillState]:
    """bill id -> BillState, in three small queries. The adjustment lines are found through their own
    index (their month, ``kind = 'adjustment'`` only): ``bill_id + 0`` keeps SQLite from reading every
    line of the bills through the (bill, unit) index instead."""
    ids = sorted(set(bill_ids))
    if not ids:
        return {}
    bills = list(Bill.objects.filter(pk__in=ids).values_list("pk", "total", "period"))
    payments = Payment.objects.filter(bill_id__in=ids)
    if on is not None:
        payments = payments.filter(paid_on__lte=on)
    paid = dict(payments.order_by().values_list("bill_id").annotate(s=Coalesce(Sum("amount"), 0)))
    adjusted = (
        BillLine.objects.annotate(bill_plus=F("bill_id") + 0)
        .filter(kind=LineKind.ADJUSTMENT, period__lt=max(p for _, _, p in bills), bill_plus__in=ids)
        .order_by()
        .values_list("bill_id", "period")
        .annotate(lowest=Min("total"))
    )
    months: dict[int, set] = {}
    refunding = set()
    for pk, month, lowest in adjusted:
        months.setdefault(pk, set()).add(month)
        if lowest < 0:
            refunding.add(pk)
    return {
        pk: BillState(total, paid.get(pk, 0), pk in refunding, frozenset(months.get(pk, ())))
        for pk, total, _ in bills
    }


def ahead(line: dict, order: list) -> int:
    """The sum of the totals of the lines ahead of ``line`` (its id, bill_id and the order's fields) in
    its bill's order ``order`` (arrears.line_order: the same expressions, so the same collation)."""
    names = ["unit_name", "name", "program", "period", "id"]
    keyed = BillLine.objects.filter(bill_id=line["bill_id"]).annotate(
        **{f"k_{n}": expression for n, expression in zip(names, order, strict=True)}
    )
    before, equal = Q(), Q()
    for name in names:
        before |= equal & Q(**{f"k_{name}__lt": line[name]})
        equal &= Q(**{f"k_{name}": line[name]})
    return keyed.filter(before).aggregate(s=Coalesce(Sum(F("total")), 0))["s"]
