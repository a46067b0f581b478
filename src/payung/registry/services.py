"""Every write to the registry of one person at a time. Views, API and CLI call these; each is audited.

Bulk writes (imports, demo data) go through registry.bulk instead; both validate NIKs with registry.nik.
A write that changes a person takes its next version (audit.locking); ``version`` is the one the caller
read, so a form or PATCH started from an older read is refused (Conflict) instead of reverting a change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.audit.locking import claim
from payung.audit.services import record, snapshot
from payung.regions.models import Region
from payung.registry import bulk
from payung.registry import nik as nik_rules
from payung.registry.models import Engagement, Group, Person, Sex, Status, StatusChange, Unit
from payung.registry.names import index_values

MAX_WAGE = 10**12  # Rp 1 trillion a month is a typo, not a wage


class ValidationFailed(Exception):
    """Field -> messages, in the active language; nothing was written."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class NotAllowed(ValidationFailed):
    """The user lacks the right: a form shows it on its field like any other error, the API answers 403."""


@dataclass
class PersonData:
    nik: str
    name: str
    sex: str
    birth_date: dt.date
    birth_place: str = ""
    address: str = ""
    village_code: str | None = None
    phone: str = ""
    mother_maiden_name: str = ""
    kpj: str = ""

    def as_fields(self) -> dict[str, object]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["village_id"] = data.pop("village_code") or None
        return data


def _person_errors(data: PersonData, region: Region, person_id: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    info = nik_rules.parse(data.nik, birth_date=data.birth_date, sex=data.sex)
    if not info.valid:
        lang = translation.get_language() or "id"
        errors["nik"] = [r.text(lang) for r in info.reasons]
    elif Person.objects.filter(region=region, nik=info.nik).exclude(pk=person_id).exists():
        errors["nik"] = [_("NIK ini sudah terdaftar di wilayah ini.")]
    if not data.name.strip():
        errors["name"] = [_("Nama wajib diisi.")]
    if data.sex not in Sex.values:
        errors["sex"] = [_("Jenis kelamin harus L atau P.")]
    if data.village_code and not data.village_code.startswith(region.code):
        errors["village_code"] = [_("Desa/kelurahan harus berada di wilayah ini.")]
    if data.kpj and not (data.kpj.isdigit() and len(data.kpj) == 11):
        errors["kpj"] = [_("Nomor KPJ harus 11 digit.")]
    return errors


def _check(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def create_person(user, region: Region, data: PersonData, *, channel: str = "web") -> Person:
    data.nik = nik_rules.clean(data.nik)
    _check(_person_errors(data, region, None))
    person = Person(region=region, **data.as_fields(), **index_values(data.name))
    try:
        person.save()
    except IntegrityError:  # a concurrent insert of the same NIK
        raise ValidationFailed({"nik": [_("NIK ini sudah terdaftar di wilayah ini.")]}) from None
    record(user, "person.create", person, after=snapshot(person), channel=channel)
    return person


@transaction.atomic
def update_person(
    user, person: Person, data: PersonData, *, version: int | None, reason: str = "", channel: str = "web"
) -> Person:
    """``version``: the one the editor read (None: no earlier read, e.g. a script's own read-and-write)."""
    data.nik = nik_rules.clean(data.nik)
    _check(_person_errors(data, person.region, person.pk))
    before = snapshot(person)
    for name, value in {**data.as_fields(), **index_values(data.name)}.items():
        setattr(person, name, value)
    after = snapshot(person)
    changed = {k for k in after if after[k] != before[k]}
    if not changed:  # the record already holds these values: nothing to write, so nothing to lose
        return person
    claim(person, version)
    person.save()
    record(
        user,
        "person.update",
        person,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
        channel=channel,
    )
    return person


@dataclass
class EngagementData:
    unit_id: int
    group: str
    position: str = ""
    decree_number: str = ""
    decree_date: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    monthly_wage: int | None = None
    occupation: str = ""
    poverty_status: str = ""


def _engagement_errors(data: EngagementData, person: Person) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not Unit.objects.filter(pk=data.unit_id, region_id=person.region_id).exists():
        errors["unit_id"] = [_("Unit tidak ditemukan di wilayah ini.")]
    if data.group not in Group.values:
        errors["group"] = [_("Kelompok tidak dikenal.")]
    if data.monthly_wage is not None and not 0 < data.monthly_wage < MAX_WAGE:
        errors["monthly_wage"] = [_("Upah harus lebih dari 0 dan kurang dari Rp 1 triliun.")]
    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors["end_date"] = [_("Akhir kontrak tidak boleh sebelum awal kontrak.")]
    return errors


@transaction.atomic
def add_engagement(user, person: Person, data: EngagementData, *, channel: str = "web") -> Engagement:
    _check(_engagement_errors(data, person))
    if Engagement.objects.filter(person=person, unit_id=data.unit_id, group=data.group).exists():
        raise ValidationFailed({"unit_id": [_("Orang ini sudah tercatat di unit dan kelompok ini.")]})
    engagement = Engagement.objects.create(
        person=person, **{f.name: getattr(data, f.name) for f in fields(data)}
    )
    record(
        user,
        "engagement.create",
        engagement,
        region_code=person.region_id,
        after=snapshot(engagement),
        channel=channel,
    )
    return engagement


@transaction.atomic
def change_status(
    user,
    person: Person,
    status: str,
    effective_date: dt.date,
    *,
    reason: str,
    engagement: Engagement | None = None,
    version: int | None = None,
    channel: str = "web",
) -> StatusChange:
    """Record a status with its effective date; the person's (or engagement's) current status follows it.
    ``version``: the person's, as the form showed it (None: whatever it is now)."""
    errors: dict[str, list[str]] = {}
    if status not in Status.values:
        errors["status"] = [_("Status tidak dikenal.")]
    if not reason.strip():
        errors["reason"] = [_("Alasan wajib diisi.")]
    if effective_date > dt.date.today() + dt.timedelta(days=366):
        errors["effective_date"] = [_("Tanggal berlaku terlalu jauh di masa depan.")]
    _check(errors)
    claim(person, version)
    change = StatusChange.objects.create(
        person=person,
        engagement=engagement,
        status=status,
        effective_date=effective_date,
        reason=reason,
        recorded_by=user,
    )
    before = {"status": person.status}
    target = engagement or person
    latest = StatusChange.objects.filter(person=person, engagement=engagement).first()
    target.status = latest.status
    target.save(update_fields=["status"])
    if status == Status.DECEASED and engagement is None:
        person.engagements.update(status=Status.DECEASED)
    # Coverage is derived from status changes: a death or an end reported (even late) moves the periods.
    from payung.coverage import enrolment  # coverage builds on the registry, not the other way round

    enrolment.resync([engagement] if engagement else list(person.engagements.all()), user, channel)
    record(
        user,
        "person.status",
        person,
        before=before,
        after={"status": person.status, "effective_date": effective_date.isoformat()},
        reason=reason,
        channel=channel,
    )
    return change


def _code_taken(code: str) -> list[str]:
    return [_("Unit berkode %(code)s sudah ada di wilayah ini.") % {"code": code}]


def _unit_errors(region: Region, code: str, name: str, group: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    max_code = Unit._meta.get_field("code").max_length
    if not code:
        errors["code"] = [_("Kode unit wajib diisi.")]
    elif len(code) > max_code:
        errors["code"] = [_("Kode unit paling panjang %(max)s karakter.") % {"max": max_code}]
    elif Unit.objects.filter(region=region, code=code).exists():
        errors["code"] = _code_taken(code)
    if not name:
        errors["name"] = [_("Nama unit wajib diisi.")]
    if group not in Group.values:
        errors["group"] = [
            _("Kelompok %(group)s tidak dikenal; pilih salah satu: %(groups)s.")
            % {"group": group, "groups": ", ".join(Group.values)}
        ]
    return errors


@transaction.atomic
def create_unit(user, region: Region, code: str, name: str, group: str, *, channel: str = "web") -> Unit:
    """A unit added by hand. ``group`` (who works there) sets its kind exactly as an import naming the unit
    would (registry.bulk.new_unit), so adding a unit first and importing it later give the same unit."""
    if scope.restricted_unit_ids(user) is not None:  # the new unit would be outside what they may see
        raise NotAllowed(
            {"unit": [_("Operator yang dibatasi pada unit tertentu tidak dapat menambah unit.")]}
        )
    code, name = code.strip(), " ".join(name.split())
    _check(_unit_errors(region, code, name, group))
    unit = bulk.new_unit(region.code, code, name, group)
    if (
        unit.village_id
        and not Region.objects.filter(code=unit.village_id, level=Region.Level.VILLAGE).exists()
    ):
        raise ValidationFailed(
            {"code": [_("Desa/kelurahan %(code)s tidak ada di wilayah ini.") % {"code": code}]}
        )
    try:
        unit.save()
    except IntegrityError:  # a concurrent insert of the same code
        raise ValidationFailed({"code": _code_taken(code)}) from None
    record(user, "unit.create", unit, after=snapshot(unit), channel=channel)
    return unit


def record_view(user, person: Person, *, channel: str = "web") -> None:
    """A full record (unmasked NIK, address, phone) was shown: UU 27/2022 wants that on the trail."""
    record(user, "person.view", person, channel=channel)


def record_export(user, what: str, region_code: str, count: int, *, channel: str = "web") -> None:
    record(
        user,
        "export",
        object_type=what,
        object_id=str(count),
        region_code=region_code,
        after={"rows": count},
        channel=channel,
    )
