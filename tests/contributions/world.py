"""Small worlds for the bill tests: an agreement, people engaged in units, and their membership periods.

Memberships are written here directly (the coverage helper's enrolment derives them in the product); the
tests then change them the way a re-derivation would (a wage change splits a period, a death ends it).
"""

from __future__ import annotations

import datetime as dt
import itertools

from payung.coverage.models import Agreement, Membership
from payung.registry.models import Engagement, Person, Unit

_numbers = itertools.count(1)


def agreement(region: str = "5371", **fields) -> Agreement:
    values = {
        "number": f"PKS/{next(_numbers):03d}/BPJSTK/2021",
        "pemda_party": "Pemerintah Kota Kupang",
        "bpjs_branch": "BPJS Ketenagakerjaan Cabang Kupang",
        "signed_on": dt.date(2021, 4, 1),
        "valid_from": dt.date(2021, 4, 10),
        "valid_to": dt.date(2024, 4, 9),
        "category": "pu",
        "groups": ["non_asn"],
        "programs": ["JKK", "JKM"],
        "jkk_class": 1,
        "budget_account": "5.1.01.02.01.0001",
        **fields,
    }
    return Agreement.objects.create(region_id=region, **values)


def unit(
    region: str = "5371", code: str = "DLHK", name: str = "Dinas Lingkungan Hidup dan Kebersihan"
) -> Unit:
    return Unit.objects.get_or_create(region_id=region, code=code, defaults={"name": name, "kind": "opd"})[0]


def person(region: str = "5371", name: str = "Yohanes Bria", nik: str | None = None) -> Person:
    number = next(_numbers)
    return Person.objects.create(
        region_id=region,
        nik=nik or f"{region}01{number:010d}",
        name=name,
        name_key=name.lower(),
        sex="L",
        birth_date=dt.date(1990, 1, 1),
    )


def member(
    pks: Agreement,
    wage: int,
    start: dt.date,
    end: dt.date | None = None,
    *,
    who: Person | None = None,
    place: Unit | None = None,
    name: str = "Yohanes Bria",
) -> Membership:
    who = who or person(pks.region_id, name)
    place = place or unit(pks.region_id)
    engagement, _ = Engagement.objects.get_or_create(
        person=who, unit=place, group=pks.groups[0], defaults={"monthly_wage": wage}
    )
    return Membership.objects.create(
        agreement=pks,
        region_id=pks.region_id,
        person=who,
        engagement=engagement,
        unit=place,
        start=start,
        end=end,
        basis=wage,
    )
