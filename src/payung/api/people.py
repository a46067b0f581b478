"""People and units. Every read starts from accounts.scope, so another tenant's id answers 404."""

from __future__ import annotations

from dataclasses import fields

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from payung.accounts import scope
from payung.api import queries
from payung.api.auth import require_editor
from payung.api.pagination import PageQuery, page_of
from payung.api.preconditions import read_version, required_text, tag
from payung.api.schemas import (
    EngagementIn,
    EngagementOut,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
    Problem,
    StatusChangeOut,
    StatusIn,
    TransferIn,
    UnitOut,
    WageChangeIn,
)
from payung.coverage import enrolment
from payung.registry import services
from payung.registry.models import Engagement, Person
from payung.registry.search import search_people
from payung.registry.services import EngagementData, PersonData, ValidationFailed

router = Router(tags=["people"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS = {**ERRORS, 409: Problem}  # 409: the person changed since the version the client read


class PeopleFilter(PageQuery):
    q: str = ""
    unit: int | None = None
    group: str | None = None
    status: str | None = None


def _visible_person(request, person_id: int) -> Person:
    return scope.get_or_404(scope.people(request.auth).select_related("region"), pk=person_id)


def _filtered(user, query: PeopleFilter):
    qs = scope.people(user)
    engagement = {}
    if query.unit is not None:
        engagement["engagements__unit_id"] = query.unit
    if query.group:
        engagement["engagements__group"] = query.group
    if engagement:  # one filter() call: unit and group must hold for the same engagement
        qs = qs.filter(**engagement).distinct()
    if query.status:
        qs = qs.filter(status=query.status)
    return qs


@router.get("/people", response={200: PersonPage, **ERRORS}, summary="Cari dan daftar orang (NIK disamarkan)")
def list_people(request, query: Query[PeopleFilter]):
    qs = _filtered(request.auth, query)
    if query.q.strip():
        # Search ranks by relevance and stops at its limit; the pages walk that ranked list.
        return page_of(list(search_people(qs, query.q, limit=query.offset + query.page_size)), query)
    return page_of(qs.order_by("name", "id"), query)


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, **ERRORS},
    summary="Data lengkap satu orang (ETag: versinya, untuk If-Match saat mengubah)",
)
def read_person(request, person_id: int, response: HttpResponse):
    person = _visible_person(request, person_id)
    services.record_view(request.auth, person, channel="api")
    tag(response, person.version)
    return person


def _engagement_data(data: EngagementIn) -> EngagementData:
    return EngagementData(**data.dict())


def _check_unit(user, unit_id: int) -> None:
    """A unit outside the user's scope reads exactly like one that does not exist."""
    if not scope.units(user).filter(pk=unit_id).exists():
        raise ValidationFailed({"unit_id": [_("Unit tidak ditemukan di wilayah ini.")]})


def _target_region(user, code: str | None):
    region = queries.tenant(user, code) if code else None
    require_editor(user)
    region = region or scope.tenant_of(user)
    if region is None:
        raise ValidationFailed({"region": [_("Pilih kabupaten/kota tujuan.")]})
    return region


@router.post("/people", response={201: PersonOut, **ERRORS}, summary="Daftarkan orang baru")
def create_person(request, payload: PersonIn):
    user = request.auth
    region = _target_region(user, payload.region)
    if scope.restricted_unit_ids(user) is not None and payload.engagement is None:
        # Without an engagement in one of its units the operator could not see what it just created.
        raise ValidationFailed({"engagement": [_("Pilih unit tempat orang ini bekerja.")]})
    if payload.engagement:
        _check_unit(user, payload.engagement.unit_id)
    data = PersonData(**payload.dict(exclude={"region", "engagement"}))
    with transaction.atomic():
        person = services.create_person(user, region, data, channel="api")
        if payload.engagement:
            services.add_engagement(user, person, _engagement_data(payload.engagement), channel="api")
    return Status(201, person)


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, 428: Problem, **WRITE_ERRORS},
    summary="Ubah data orang (dengan alasan; If-Match atau version wajib)",
)
def update_person(request, person_id: int, payload: PersonPatch, response: HttpResponse):
    person = _visible_person(request, person_id)
    require_editor(request.auth)
    version = read_version(request, payload.version)
    if version is None:
        return Status(428, {"detail": required_text()})
    if not payload.reason.strip():
        raise ValidationFailed({"reason": [_("Alasan wajib diisi.")]})
    current = {f.name: getattr(person, f.name) for f in fields(PersonData) if f.name != "village_code"}
    current["village_code"] = person.village_id
    # null clears only the desa; for the other fields it means "leave as is".
    changes = {
        k: v
        for k, v in payload.dict(exclude={"reason", "version"}, exclude_unset=True).items()
        if v is not None or k == "village_code"
    }
    data = PersonData(**{**current, **changes})
    services.update_person(request.auth, person, data, version=version, reason=payload.reason, channel="api")
    tag(response, person.version)
    return person


@router.post(
    "/people/{person_id}/engagements",
    response={201: EngagementOut, **ERRORS},
    summary="Tambah keterlibatan (unit dan kelompok)",
)
def add_engagement(request, person_id: int, payload: EngagementIn):
    person = _visible_person(request, person_id)
    require_editor(request.auth)
    _check_unit(request.auth, payload.unit_id)
    engagement = services.add_engagement(request.auth, person, _engagement_data(payload), channel="api")
    return Status(201, Engagement.objects.select_related("unit").get(pk=engagement.pk))


@router.post(
    "/people/{person_id}/status",
    response={201: StatusChangeOut, **WRITE_ERRORS},
    summary="Catat perubahan status (aktif, berhenti, meninggal; If-Match atau version bila ada)",
)
def change_status(request, person_id: int, payload: StatusIn):
    person = _visible_person(request, person_id)
    require_editor(request.auth)
    engagement = None
    if payload.engagement_id is not None:
        engagement = person.engagements.filter(pk=payload.engagement_id).first()
        if engagement is None:
            raise ValidationFailed({"engagement_id": [_("Keterlibatan tidak ditemukan pada orang ini.")]})
    change = services.change_status(
        request.auth,
        person,
        payload.status,
        payload.effective_date,
        reason=payload.reason,
        engagement=engagement,
        version=read_version(request, payload.version),
        channel="api",
    )
    return Status(201, change)


def _changeable_engagement(request, person_id: int, engagement_id: int) -> Engagement:
    """A visible person's engagement in a unit the user may manage (else 404), for an editor (else 403)."""
    person = _visible_person(request, person_id)
    engagement = person.engagements.filter(pk=engagement_id, unit__in=scope.units(request.auth).values("id"))
    found = scope.get_or_404(engagement.select_related("person", "unit"))
    require_editor(request.auth)
    return found


@router.post(
    "/people/{person_id}/engagements/{engagement_id}/wage",
    response={200: EngagementOut, **ERRORS},
    summary="Catat upah baru sejak suatu tanggal (kepesertaan dipecah pada tanggal itu)",
)
def change_wage(request, person_id: int, engagement_id: int, payload: WageChangeIn):
    engagement = _changeable_engagement(request, person_id, engagement_id)
    enrolment.change_wage(
        request.auth,
        engagement,
        payload.monthly_wage,
        payload.effective_date,
        reason=payload.reason,
        channel="api",
    )
    return Engagement.objects.select_related("unit").get(pk=engagement.pk)


@router.post(
    "/people/{person_id}/engagements/{engagement_id}/transfer",
    response={201: EngagementOut, **ERRORS},
    summary="Mutasi ke unit lain sejak suatu tanggal (menjawab penugasan baru)",
)
def transfer(request, person_id: int, engagement_id: int, payload: TransferIn):
    engagement = _changeable_engagement(request, person_id, engagement_id)
    _check_unit(request.auth, payload.unit_id)
    unit = scope.units(request.auth).get(pk=payload.unit_id)
    new = enrolment.transfer(
        request.auth, engagement, unit, payload.effective_date, reason=payload.reason, channel="api"
    )
    return Status(201, Engagement.objects.select_related("unit").get(pk=new.pk))


class UnitFilter(Schema):
    kind: str | None = None


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Unit yang boleh dilihat pengguna")
def list_units(request, query: Query[UnitFilter]):
    qs = scope.units(request.auth).order_by("region_id", "name")
    return qs.filter(kind=query.kind) if query.kind else qs
