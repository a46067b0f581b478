"""A small Kota Kupang for the claim tests, built through the product's own services: non-ASN staff of
one unit, the agreement of seed 001's successor (JKK class 1 + JKM), enrolment, bills for Jan-Jun 2025,
and payments of the months a test says; plus a Kab. TTU BPU agreement for pekerja rentan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from payung.contributions import arrears, billing, payments
from payung.contributions.models import Bill
from payung.coverage import enrolment
from payung.coverage.models import Agreement
from payung.coverage.services import create_agreement
from payung.demo.coverage import AGREEMENTS
from payung.regions.models import Region
from payung.registry import services
from payung.registry.models import Person, Unit
from payung.registry.nik import compose
from payung.registry.services import EngagementData, PersonData

MONTHS = [dt.date(2025, m, 1) for m in range(1, 7)]
# The demo's agreements (seed 001's successor in Kupang; TTU's BPU package), TTU's from January 2025.
KUPANG_PKS = AGREEMENTS["5371"]
TTU_PKS = replace(AGREEMENTS["5303"], valid_from=dt.date(2025, 1, 1))


@dataclass
class Town:
    region: Region
    unit: Unit
    agreement: Agreement
    people: dict[str, Person] = field(default_factory=dict)

    def bills(self) -> list[Bill]:
        return list(Bill.objects.filter(agreement=self.agreement).order_by("period"))


def add_person(
    region: Region,
    unit: Unit,
    name: str,
    seq: int,
    *,
    group: str = "non_asn",
    wage=2_500_000,
    sex: str = "L",
    born: dt.date = dt.date(1985, 3, 14),
    start=dt.date(2022, 1, 1),
) -> Person:
    nik = compose(region.code + "01", born, sex, seq)
    person = services.create_person(None, region, PersonData(nik=nik, name=name, sex=sex, birth_date=born))
    services.add_engagement(
        None, person, EngagementData(unit_id=unit.pk, group=group, start_date=start, monthly_wage=wage)
    )
    return person


def kupang(names=("Yohanes Bria", "Maria Seran", "Petrus Manek")) -> Town:
    region = Region.objects.get(code="5371")
    unit = Unit.objects.create(region=region, code="DLHK", name="Dinas Lingkungan Hidup", kind="opd")
    agreement = create_agreement(None, region, KUPANG_PKS, channel="cli")
    town = Town(region, unit, agreement)
    for seq, name in enumerate(names, start=1):
        town.people[name.split()[0]] = add_person(region, unit, name, seq, wage=2_500_000 + seq * 100_000)
    enrolment.sync(agreement)
    for month in MONTHS:
        billing.generate(None, region, month, agreement=agreement, channel="cli")
    return town


def ttu(names=("Kornelis Taek",)) -> Town:
    region = Region.objects.get(code="5303")
    unit = Unit.objects.create(region=region, code="TANI", name="Kelompok Tani Bikomi", kind="sector")
    agreement = create_agreement(None, region, TTU_PKS, channel="cli")
    town = Town(region, unit, agreement)
    for seq, name in enumerate(names, start=1):
        town.people[name.split()[0]] = add_person(region, unit, name, seq, group="rentan", wage=None)
    enrolment.sync(agreement)
    for month in MONTHS:
        billing.generate(None, region, month, agreement=agreement, channel="cli")
    return town


def pay(bill: Bill, amount: int | None = None, on: dt.date | None = None) -> None:
    """Pay ``bill`` (in full unless ``amount``), three days before it is due unless ``on``."""
    due = arrears.outstanding(bill)
    paid_on = on or bill.due_date - dt.timedelta(days=3)
    data = payments.PaymentData(paid_on, amount or due, f"SP2D/{bill.pk}/{paid_on:%m%d}")
    payments.record_payment(None, bill, data, channel="cli")
