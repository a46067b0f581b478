"""A person's contribution ledger: every bill line of theirs and what the bills' payments cover of each
(the allocation rule of contributions.arrears, decision 0010), computed without a running sum over whole
bills (contributions.settled, decision 0020: speed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from payung.contributions import settled
from payung.contributions.arrears import STATUS_LABELS, _as_date, covered, line_order, line_status
from payung.contributions.models import Bill, BillLine, LineKind


@dataclass(frozen=True)
class LedgerRow:
    line_id: int
    bill_id: int
    bill_period: dt.date
    agreement: str
    month: dt.date  # the month paid for
    program: str
    kind: str
    unit_name: str
    amount: int
    covered: int
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def is_adjustment(self) -> bool:
        return self.kind == LineKind.ADJUSTMENT


def ledger(person, on: dt.date | None = None, *, program: str = "") -> list[LedgerRow]:
    """Every bill line of ``person`` (in ``program`` only, when given), newest month first, with what the
    bills' payments cover of each. Without a running sum over whole bills (contributions.settled): a line
    of a wholly paid or an unpaid bill is known from the bill; of a partly paid one, from the one sum of the
    lines ahead of it."""
    fields = ["id", "bill_id", "period", "program", "kind", "unit_name", "name", "total"]
    lines = BillLine.objects.filter(person_id=person.pk)
    lines = list((lines.filter(program=program) if program else lines).values(*fields))
    state = settled.states({line["bill_id"] for line in lines}, on)
    order = line_order(BillLine.objects.db)
    bills = {
        b.pk: b for b in Bill.objects.filter(pk__in=state).select_related("agreement").only(
            "period", "agreement__number"
        )
    }  # fmt: skip
    found = []
    for line in lines:
        bill, total, known = bills[line["bill_id"]], line["total"], state[line["bill_id"]]
        if known.wholly:
            share_covered = covered(total, total, known.paid) if total <= 0 else total
        elif known.nothing:
            share_covered = covered(total, total, 0)
        else:
            share_covered = covered(total, settled.ahead(line, order) + total, known.paid)
        found.append(
            LedgerRow(
                line_id=line["id"],
                bill_id=bill.pk,
                bill_period=bill.period,
                agreement=bill.agreement.number,
                month=_as_date(line["period"]),
                program=line["program"],
                kind=line["kind"],
                unit_name=line["unit_name"],
                amount=total,
                covered=share_covered,
                status=line_status(total, share_covered),
            )
        )
    found.sort(key=lambda r: (r.month, r.bill_period, r.program, r.line_id), reverse=True)
    return found
