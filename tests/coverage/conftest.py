"""A small Kota Kupang with a finance user, two units and a few contract staff, for the coverage tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from payung.accounts.models import Role, User
from payung.coverage.services import AgreementData, create_agreement
from payung.regions.models import Region
from payung.registry import services
from payung.registry.models import Engagement, Person, Unit
from payung.registry.nik import compose
from payung.registry.services import EngagementData, PersonData

# Seed 001: Kota Kupang's PKS with BPJS Ketenagakerjaan, JKK 0.24 % (class 1) and JKM 0.30 %, APBD.
PKS = dict(
    number="560/PKS/001/IV/2021",
    pemda_party="Pemerintah Kota Kupang",
    bpjs_branch="BPJS Ketenagakerjaan Cabang Kupang",
    signed_on=dt.date(2021, 4, 1),
    valid_from=dt.date(2021, 4, 10),
    valid_to=dt.date(2024, 4, 9),
    category="pu",
    groups=["non_asn"],
    programs=["JKK", "JKM"],
    jkk_class=1,
    budget_account="5.1.02.01.01.0003",
)


def pks(**changes) -> AgreementData:
    return AgreementData(**{**PKS, **changes})


@dataclass
class Kupang:
    region: Region
    dlhk: Unit
    dinkes: Unit
    finance: User
    operator: User
    people: list[Person] = field(default_factory=list)

    def hire(self, name: str, unit: Unit, *, start=None, end=None, wage=2_500_000, group="non_asn", seq=None):
        seq = seq or len(self.people) + 1
        born = dt.date(1985, 1 + seq % 12, 1 + seq % 28)
        data = PersonData(nik=compose("537101", born, "L", seq), name=name, sex="L", birth_date=born)
        person = services.create_person(None, self.region, data, channel="cli")
        engagement = EngagementData(
            unit_id=unit.pk, group=group, start_date=start, end_date=end, monthly_wage=wage, position="Staf"
        )
        services.add_engagement(None, person, engagement, channel="cli")
        self.people.append(person)
        return person

    def engagement(self, person: Person) -> Engagement:
        return person.engagements.get()

    def agreement(self, **changes):
        return create_agreement(self.finance, self.region, pks(**changes), channel="cli")


@pytest.fixture
def kupang(db) -> Kupang:
    region = Region.objects.get(code="5371")
    dlhk = Unit.objects.create(region=region, code="DLHK", name="Dinas Lingkungan Hidup", kind="opd")
    dinkes = Unit.objects.create(region=region, code="DINKES", name="Dinas Kesehatan", kind="opd")
    finance = User.objects.create_user("kupang.keuangan", role=Role.FINANCE, region=region)
    operator = User.objects.create_user("kupang.op", role=Role.OPERATOR, region=region)
    return Kupang(region, dlhk, dinkes, finance, operator)
