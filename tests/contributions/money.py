"""Bills written directly (insert-only rows), for the payment, arrears and ledger tests.

The bills here do not come from contributions.billing on purpose: these tests are about what happens after
a bill exists, and a hand-made bill lets each test state exactly which lines it has, in which order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from payung.contributions.arrears import add_months
from payung.contributions.models import Bill, BillLine
from payung.coverage.models import Agreement
from payung.regions.models import Region
from payung.registry.models import Person, Unit
from payung.registry.nik import compose


def agreement(region: Region, number: str = "PKS/001/2021", *, category: str = "pu", **fields) -> Agreement:
    values = {
        "pemda_party": f"Pemerintah {region.name}",
        "bpjs_branch": "BPJS Ketenagakerjaan Cabang Kupang",
        "signed_on": dt.date(2021, 4, 1),
        "valid_from": dt.date(2021, 4, 10),
        "valid_to": dt.date(2024, 4, 9),
        "category": category,
        "groups": ["rentan"] if category == "bpu" else ["non_asn"],
        "programs": ["JKK", "JKM"],
        "jkk_class": None if category == "bpu" else 1,
        **fields,
    }
    return Agreement.objects.create(region=region, number=number, **values)


def unit(region: Region, name: str, code: str = "") -> Unit:
    found, _ = Unit.objects.get_or_create(
        region=region, code=code or name[:40], defaults={"name": name, "kind": "opd"}
    )
    return found


def person(region: Region, name: str, seq: int, district: str = "") -> Person:
    born = dt.date(1980, 1 + seq % 12, 1 + seq % 28)
    nik = compose(district or region.code + "01", born, "L", seq)
    return Person.objects.create(
        region=region, nik=nik, name=name, name_key=name.lower(), sex="L", birth_date=born
    )


@dataclass
class Line:
    person: Person
    unit: Unit
    program: str
    total: int
    period: dt.date | None = None  # an earlier month: an adjustment
    employer: int | None = None


def bill(
    agreement: Agreement, period: dt.date, lines: list[Line], *, due_date: dt.date | None = None
) -> Bill:
    """A bill of ``lines`` (its totals summed), due on the 15th of the next month unless told."""
    total = sum(line.total for line in lines)
    made = Bill.objects.create(
        region_id=agreement.region_id,
        agreement=agreement,
        period=period,
        due_date=due_date or add_months(period, 1).replace(day=15),
        mid_month_rule=agreement.mid_month_rule,
        people=len({line.person.pk for line in lines}),
        line_count=len(lines),
        employer=total,
        total=total,
        adjustments=sum(line.total for line in lines if line.period),
    )
    BillLine.objects.bulk_create(
        BillLine(
            bill=made,
            person=line.person,
            nik=line.person.nik,
            name=line.person.name,
            unit=line.unit,
            unit_name=line.unit.name,
            program=line.program,
            period=line.period or period,
            kind="adjustment" if line.period else "regular",
            basis=2_000_000,
            employer=line.total,
            worker=0,
            total=line.total,
        )
        for line in lines
    )
    return made


def months(first: dt.date, count: int) -> list[dt.date]:
    return [add_months(first, n) for n in range(count)]
