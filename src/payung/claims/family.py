"""Writes about the family of a deceased participant: heirs (with their NIKs checked and linked to the
registry) and the children's scholarships, per child and school year. Transactional, checked first,
audited, and each takes the claim's next version (decision 0013), like claims.services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from payung.audit.locking import claim as take_version
from payung.audit.services import record, snapshot
from payung.claims import checklist, heirs, pricing, services
from payung.claims.models import Claim, EventKind, Heir, Relation, Scholarship
from payung.registry import nik as nik_rules
from payung.registry.models import Person
from payung.registry.services import MAX_WAGE, ValidationFailed

SCHOOL_YEAR_STARTS = (7, 1)  # Indonesian school years start in July


@dataclass
class HeirData:
    relation: str
    nik: str
    name: str
    birth_date: dt.date | None = None  # None: read from the NIK
    sex: str = ""  # "": read from the NIK
    married: bool = False
    working: bool = False
    phone: str = ""
    bank_account: str = ""


def _heir_errors(claim: Claim, data: HeirData) -> tuple[dict[str, list[str]], nik_rules.NikInfo]:
    errors: dict[str, list[str]] = {}
    if claim.event.kind != EventKind.DEATH:
        errors["relation"] = [
            _("Klaim kecelakaan dibayar kepada pekerjanya sendiri; ahli waris hanya untuk klaim kematian.")
        ]
    if data.relation not in Relation.values:
        errors["relation"] = [_("Hubungan dengan peserta tidak dikenal.")]
    info = nik_rules.parse(data.nik, birth_date=data.birth_date, sex=data.sex or None)
    if not info.valid:
        lang = translation.get_language() or "id"
        errors["nik"] = [r.text(lang) for r in info.reasons]
    elif info.nik == claim.person.nik:
        errors["nik"] = [_("Ahli waris tidak boleh orang yang meninggal itu sendiri (NIK yang sama).")]
    elif claim.heirs.filter(nik=info.nik).exists():
        errors["nik"] = [_("NIK ini sudah tercatat sebagai ahli waris klaim ini.")]
    if not data.name.strip():
        errors["name"] = [_("Nama wajib diisi.")]
    elif len(data.name.strip()) > 150:
        errors["name"] = [_("Terlalu panjang (maks. %(n)s karakter).") % {"n": 150}]
    born = data.birth_date or info.birth_date
    if born and born > timezone.localdate():
        errors["birth_date"] = [_("Tanggal lahir tidak boleh di masa depan.")]
    for name, limit in (("phone", 20), ("bank_account", 60)):
        if len(getattr(data, name).strip()) > limit:
            errors[name] = [_("Terlalu panjang (maks. %(n)s karakter).") % {"n": limit}]
    return errors, info


@transaction.atomic
def add_heir(user, claim: Claim, data: HeirData, *, version: int | None, channel: str = "web") -> Heir:
    """An heir of the deceased; the NIK must be valid (and agree with the birth date and sex given), not
    the deceased's own, and is linked to the registry's record of the same NIK in the region."""
    services.editable(claim)
    errors, info = _heir_errors(claim, data)
    if errors:
        raise ValidationFailed(errors)
    take_version(claim, version)
    linked = Person.objects.filter(region_id=claim.region_id, nik=info.nik).first()
    heir = Heir.objects.create(
        claim=claim,
        relation=data.relation,
        nik=info.nik,
        name=" ".join(data.name.split()),
        sex=data.sex or info.sex,
        birth_date=data.birth_date or info.birth_date,
        person=linked,
        married=data.married,
        working=data.working,
        phone=data.phone.strip(),
        bank_account=data.bank_account.strip(),
    )
    _repriced(claim)
    _trail(user, "claim.heir_add", claim, heir, ["relation", "nik", "name", "person_id"], channel)
    return heir


@transaction.atomic
def remove_heir(user, claim: Claim, heir: Heir, *, version: int | None, channel: str = "web") -> None:
    services.editable(claim)
    if heir.scholarships.exists():
        raise ValidationFailed({"heir": [_("Ahli waris ini sudah punya beasiswa tercatat; tidak dihapus.")]})
    take_version(claim, version)
    before = snapshot(heir, ["relation", "nik", "name"])
    heir.delete()
    _repriced(claim)
    record(user, "claim.heir_remove", claim, before=before, channel=channel)


def _repriced(claim: Claim) -> None:
    """Children recorded change the scholarship count, a spouse the documents needed."""
    pricing.reprice(claim)
    checklist.state_by_documents(claim)
    claim.save(update_fields=["quote", "computed_total", "state"])


def _trail(user, action: str, claim: Claim, row, names: list[str], channel: str) -> None:
    """The claim's audit event for a heir or scholarship written: which row, which of its fields."""
    record(user, action, claim, after=snapshot(row, names), channel=channel)


def shares(claim: Claim) -> dict[int, int]:
    """heir id -> the cash each entitled heir receives (an equal split; decision 0019)."""
    found = [heirs.Facts(h.pk, h.relation, h.birth_date) for h in claim.heirs.all()]
    return heirs.shares(claim.computed_total, found)


# ------------------------------------------------------------------------------------------ scholarships
def school_year_start(year: int) -> dt.date:
    return dt.date(year, *SCHOOL_YEAR_STARTS)


def _year_of(day: dt.date) -> int:
    """The school year a day falls in, by the year it starts: 2025 for 10 March 2026 is 2025/2026."""
    return day.year if (day.month, day.day) >= SCHOOL_YEAR_STARTS else day.year - 1


def _scholarship_errors(claim: Claim, heir: Heir, year: int | None, level: str) -> dict[str, list[str]]:
    quote = claim.quote.get("scholarship", {})
    if not quote.get("children"):
        return {"heir": [_("Klaim ini tidak memberi beasiswa (lihat rincian manfaat).")]}
    if heir.claim_id != claim.pk or heir.relation != Relation.CHILD:
        return {"heir": [_("Beasiswa hanya untuk anak peserta yang tercatat sebagai ahli waris.")]}
    if year is None or not _year_of(claim.event.occurred_on) <= year <= _year_of(timezone.localdate()) + 1:
        return {
            "school_year": [_("Tahun ajaran harus sejak tahun ajaran peristiwa sampai tahun ajaran depan.")]
        }
    start = school_year_start(year)
    max_age = quote_max_age(claim)
    facts = heirs.Facts(heir.pk, heir.relation, heir.birth_date, heir.married, heir.working)
    problem = heirs.child_problem(facts, start, max_age)
    if problem == "age":
        return {
            "heir": [
                _(
                    "%(name)s berumur %(age)s tahun pada awal tahun ajaran %(year)s/%(next)s: beasiswa "
                    "berakhir pada umur %(max)s tahun."
                )
                % {
                    "name": heir.name,
                    "age": heirs.age(heir.birth_date, start),
                    "year": year,
                    "next": year + 1,
                    "max": max_age,
                }
            ]
        }
    if problem:
        return {"heir": [_("Anak yang sudah menikah atau bekerja tidak menerima beasiswa.")]}
    children = [h for h in claim.heirs.all() if h.relation == Relation.CHILD]
    chosen = heirs.scholarship_children(
        [heirs.Facts(h.pk, h.relation, h.birth_date, h.married, h.working) for h in children],
        claim.event.occurred_on,
        max_age,
        quote["children"],
    )
    if heir.pk not in {c.key for c in chosen}:
        return {
            "heir": [
                _("Beasiswa paling banyak untuk %(n)s anak, yang tertua lebih dulu; anak ini tidak termasuk.")
                % {"n": quote["children"]}
            ]
        }
    return _level_errors(claim, heir, level, quote)


def quote_max_age(claim: Claim) -> int | None:
    from payung.rules import queries as rule_queries

    version = rule_queries.book().optional("benefit.scholarship.max_age", claim.event.occurred_on)
    return int(version.value) if version else None


def _level_errors(claim: Claim, heir: Heir, level: str, quote: dict) -> dict[str, list[str]]:
    if quote.get("lump_sum"):
        if claim.scholarships.exists():
            return {
                "heir": [_("Beasiswa sebelum PP 82/2019 dibayar sekali untuk satu anak: sudah tercatat.")]
            }
        return {}
    levels = {x["level"]: x for x in quote.get("levels", [])}
    if level not in levels:
        return {"level": [_("Jenjang pendidikan tidak dikenal.")]}
    used = heir.scholarships.filter(level=level).count()
    if used >= levels[level]["years"]:
        return {"level": [_("Beasiswa jenjang ini paling lama %(n)s tahun dan sudah habis.") % {"n": used}]}
    return {}


@transaction.atomic
def add_scholarship(
    user,
    claim: Claim,
    heir: Heir,
    school_year: int | None,
    level: str,
    *,
    version: int | None,
    channel: str = "web",
) -> Scholarship:
    """One child's scholarship for one school year, at the amount of its level in the rules of the day of
    the event. Refused for a child too old (23 at the school year's start), married or working, beyond
    the number of children or the years a level allows."""
    errors = _scholarship_errors(claim, heir, school_year, level)
    if not errors and Scholarship.objects.filter(heir=heir, school_year=school_year).exists():
        errors = {"school_year": [_("Beasiswa tahun ajaran ini sudah tercatat untuk anak ini.")]}
    if errors:
        raise ValidationFailed(errors)
    take_version(claim, version)
    quote = claim.quote["scholarship"]
    if quote.get("lump_sum"):
        level, amount = "lump_sum", quote["lump_sum"]
    else:
        amount = next(x["per_year"] for x in quote["levels"] if x["level"] == level)
    found = Scholarship.objects.create(
        claim=claim, heir=heir, school_year=school_year, level=level, amount=amount
    )
    _trail(
        user, "claim.scholarship_add", claim, found, ["heir_id", "school_year", "level", "amount"], channel
    )
    return found


@transaction.atomic
def pay_scholarship(
    user,
    claim: Claim,
    scholarship: Scholarship,
    paid_on: dt.date | None,
    amount: int | None,
    *,
    version: int | None,
    channel: str = "web",
) -> Scholarship:
    errors: dict[str, list[str]] = {}
    if scholarship.claim_id != claim.pk or scholarship.state == Scholarship.State.PAID:
        errors["scholarship"] = [_("Beasiswa ini sudah dibayar.")]
    if paid_on is None or paid_on > timezone.localdate():
        errors["paid_on"] = [_("Tanggal bayar wajib diisi dan tidak boleh di masa depan.")]
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount < MAX_WAGE:
        errors["paid_amount"] = [_("Jumlah yang dibayar harus bilangan bulat rupiah lebih dari 0.")]
    if errors:
        raise ValidationFailed(errors)
    take_version(claim, version)
    scholarship.state, scholarship.paid_on, scholarship.paid_amount = Scholarship.State.PAID, paid_on, amount
    scholarship.save(update_fields=["state", "paid_on", "paid_amount"])
    _trail(
        user,
        "claim.scholarship_pay",
        claim,
        scholarship,
        ["heir_id", "school_year", "paid_on", "paid_amount"],
        channel,
    )
    return scholarship


def remaining(claim: Claim, heir: Heir) -> dict[str, object]:
    """What is left for a child: years per level not yet used, and the day the scholarship ends by age."""
    quote = claim.quote.get("scholarship", {})
    used: dict[str, int] = {}
    for level in heir.scholarships.values_list("level", flat=True):
        used[level] = used.get(level, 0) + 1
    max_age = quote_max_age(claim)
    ends = None
    if max_age is not None:
        born = heir.birth_date
        ends = (
            born.replace(year=born.year + max_age)
            if (born.month, born.day) != (2, 29)
            else dt.date(born.year + max_age, 3, 1)
        )
    levels = [
        {**x, "used": used.get(x["level"], 0), "left": x["years"] - used.get(x["level"], 0)}
        for x in quote.get("levels", [])
    ]
    return {
        "levels": levels,
        "ends_on": ends,
        "paid": sum(s.paid_amount or 0 for s in heir.scholarships.all()),
    }
