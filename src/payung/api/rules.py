"""Rules (versioned rates, caps, benefits) and the contribution quote: national reference data, so every
authenticated caller may read them; adding a version needs the rights of rules.services.add_version."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone, translation
from ninja import Query, Router, Schema

from payung.accounts import scope
from payung.api.schemas import Problem
from payung.contributions.calculator import QuoteError, quote
from payung.registry.services import ValidationFailed
from payung.rules import services
from payung.rules.models import Confidence
from payung.rules.queries import book, parameters

router = Router(tags=["rules"])


class VersionOut(Schema):
    id: int | None
    key: str
    region: str
    effective_from: dt.date
    value: str
    source: str
    confidence: str


class RuleOut(Schema):
    key: str
    description: str
    measure: str
    in_force: VersionOut | None


class RulesQuery(Schema):
    on: dt.date | None = None
    region: str = ""


@router.get(
    "/rules",
    response={200: list[RuleOut], 401: Problem},
    summary="Nilai setiap aturan yang berlaku pada suatu tanggal (bawaan: hari ini)",
)
def list_rules(request, query: Query[RulesQuery]):
    on, rules = query.on or timezone.localdate(), book()
    return [
        {
            "key": p.key,
            "description": p.description,
            "measure": p.measure,
            "in_force": _dict(rules.optional(p.key, on, query.region)),
        }
        for p in parameters()
    ]


def _dict(version):
    return version.as_dict() if version else None


@router.get(
    "/rules/{key}/versions",
    response={200: list[VersionOut], 401: Problem, 404: Problem},
    summary="Semua versi satu aturan, terbaru dahulu, dengan sumbernya",
)
def rule_versions(request, key: str):
    versions = book().history(key)
    if not versions:
        raise Http404
    return [v.as_dict() for v in versions]


class VersionIn(Schema):
    effective_from: dt.date
    value: str
    source: str
    confidence: str = Confidence.REGULATION
    note: str = ""
    region: str = ""


@router.post(
    "/rules/{key}/versions",
    response={201: VersionOut, 401: Problem, 403: Problem, 422: Problem},
    summary="Tambah versi baru suatu aturan (versi lama tidak pernah diubah)",
)
def add_version(request, key: str, payload: VersionIn):
    data = services.VersionData(
        key,
        payload.effective_from,
        payload.value,
        payload.source,
        payload.confidence,
        payload.note,
        payload.region,
    )
    version = services.add_version(request.auth, data, channel="api")
    return 201, {
        "id": version.pk,
        "key": key,
        "region": version.region_code,
        "effective_from": version.effective_from,
        "value": format(version.value.normalize(), "f"),
        "source": version.source,
        "confidence": version.confidence,
    }


class QuoteQuery(Schema):
    category: str
    amount: int
    programs: str  # comma-separated: jkk,jkm,jht,jp,jkp,jkn
    jkk_class: int | None = None
    on: dt.date | None = None


class LineOut(Schema):
    program: str
    basis: int
    employer: int
    worker: int
    government: int
    total: int
    rules: list[VersionOut]


class QuoteOut(Schema):
    category: str
    amount: int
    on: dt.date
    jkk_class: int | None
    programs: list[LineOut]
    employer: int
    worker: int
    total: int
    rounding: str


@router.get(
    "/contributions/quote",
    response={200: QuoteOut, 401: Problem, 422: Problem},
    summary="Iuran bulanan satu orang per program, dengan versi aturan yang dipakai (rupiah bulat)",
)
def contribution_quote(request, query: Query[QuoteQuery]):
    try:
        result = quote(
            book(),
            category=query.category,
            amount=query.amount,
            programs=query.programs.split(","),
            on=query.on or timezone.localdate(),
            jkk_class=query.jkk_class,
            region=scope.region_prefix(request.auth) or "",
        )
    except QuoteError as refused:
        field = {"amount": "amount", "jkk_class": "jkk_class", "jkk_class_missing": "jkk_class"}.get(
            refused.code
        )
        raise ValidationFailed(
            {field or "programs": [refused.text(translation.get_language() or "id")]}
        ) from None
    return result.as_dict()
