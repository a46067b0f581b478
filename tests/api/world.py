"""Two tenants and their users, shared by the API tests and the scoping proof.

Kota Kupang (5371) and Kab. Timor Tengah Utara (5303), each with a unit, people, an import with an error
file and a duplicate pair; users: a Kupang operator and viewer, a TTU operator, and an NTT province monitor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from payung.accounts.models import ApiToken, Role, User
from payung.regions.models import Region
from payung.registry import services
from payung.registry.models import DuplicateCandidate, ImportBatch, ImportIssue, Person, Unit
from payung.registry.nik import compose
from payung.registry.services import EngagementData, PersonData

KUPANG, TTU, NTT = "5371", "5303", "53"
PASSWORD = "rahasia-ujian-123"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: PBKDF2 costs ~0.5 s a user


@dataclass
class Tenant:
    region: Region
    unit: Unit
    person: Person
    twin: Person  # a second record of nearly the same person: the duplicate pair
    batch: ImportBatch
    candidate: DuplicateCandidate


@dataclass
class World:
    kupang: Tenant
    ttu: Tenant
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def person(region: Region, unit: Unit, name: str, district: str, born: dt.date, sex: str, seq: int) -> Person:
    data = PersonData(nik=compose(district, born, sex, seq), name=name, sex=sex, birth_date=born)
    created = services.create_person(None, region, data, channel="cli")
    services.add_engagement(None, created, EngagementData(unit_id=unit.pk, group="non_asn"), channel="cli")
    return created


def error_file(folder: Path, name: str) -> Path:
    book = Workbook()
    book.active.append(["NIK", "Nama", "Alasan"])
    book.active.append(["123", name, "NIK harus 16 digit"])
    path = folder / f"{name}.xlsx"
    book.save(path)
    return path


def tenant(code: str, district: str, names: tuple[str, str], folder: Path) -> Tenant:
    region = Region.objects.get(code=code)
    unit = Unit.objects.create(region=region, code=f"U{code}", name=f"Dinas {region.name}", kind="opd")
    first = person(region, unit, names[0], district, dt.date(1985, 4, 30), "P", 1)
    twin = person(region, unit, names[1], district, dt.date(1985, 4, 30), "P", 2)
    batch = ImportBatch.objects.create(
        region=region,
        unit=unit,
        filename=f"daftar-{code}.xlsx",
        sha256=code * 8,
        state=ImportBatch.State.COMMITTED,
        total_rows=2,
        imported=1,
        rejected=1,
        error_file=str(error_file(folder, names[0])),
    )
    ImportIssue.objects.create(batch=batch, line=3, column="NIK", code="length", message="NIK harus 16 digit")
    candidate = DuplicateCandidate.objects.create(region=region, left=first, right=twin, score=0.97)
    return Tenant(region, unit, first, twin, batch, candidate)


def build(folder: Path) -> World:
    world = World(
        kupang=tenant(KUPANG, "537101", ("Maria Bere", "Maria Berek"), folder),
        ttu=tenant(TTU, "530301", ("Yohanes Kefi", "Yohanis Kefi"), folder),
    )
    roles = {
        "kupang": (Role.OPERATOR, KUPANG),
        "kupang_viewer": (Role.VIEWER, KUPANG),
        "ttu": (Role.OPERATOR, TTU),
        "province": (Role.PROVINCE, NTT),
    }
    for username, (role, code) in roles.items():
        user = User.objects.create_user(username, password=PASSWORD, role=role, region_id=code)
        world.users[username] = user
        world.tokens[username] = ApiToken.issue(user, "ujian")[1]
    return world
