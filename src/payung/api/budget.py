"""The budget over the API: a year priced from the current registry (nothing stored), scenarios (made from
the registry, priced), adopting one as a budget line, the lines with their versions and realisation, and an
APBD-P amendment (a new version).

Scoping as everywhere (accounts.scope): another tenant's region, scenario or line answers 404; budget
records are region-wide (a unit-limited operator sees none). Writing needs a role that manages money
(admin, finance). Bad input (a year before the rules, an unknown program, ...) is a 422 whose ``detail``
says why, in the caller's language, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import translation
from ninja import Query, Router, Schema, Status
from pydantic import Field

from payung.accounts import scope
from payung.api import queries as api_queries
from payung.api.schemas import Problem
from payung.budget import assumptions, pricing, queries, realisation, saved, services
from payung.budget import lines as budget_lines
from payung.budget.models import BudgetLine, Scenario
from payung.registry.services import ValidationFailed

router = Router(tags=["budget"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class PlanQuery(Schema):
    region: str = Field(description="Kode kabupaten/kota, mis. 5303")
    year: int = Field(description="Tahun anggaran")
    programs: str = Field("jkk,jkm", description="jkk,jkm[,jht,jp,jkn]")
    jkk_class: int | None = Field(None, description="Kelompok risiko JKK (1-5) untuk penerima upah")
    group: str = Field("", description="Kelompok saja, mis. rentan atau perangkat,rt_rw")
    shares: str = Field("employer", description="employer atau all (Pemda juga membayar bagian pekerja)")


class GrowthIn(Schema):
    group: str = Field(description="Kelompok dalam skenario, mis. rentan")
    month: int = Field(description="Mulai bulan (1-12)")
    people: int = Field(description="Orang bertambah (negatif: berkurang)")


class StepIn(Schema):
    month: int = Field(description="Mulai bulan (1-12)")
    people: int = Field(description="Orang bertambah (negatif: berkurang)")


class PlannedIn(Schema):
    label: str = Field(description="Nama kelompok, mis. Guru kontrak 26 sekolah")
    category: str = Field("pu", description="pu atau bpu")
    people: int = Field(description="Jumlah orang (belum terdaftar)")
    wage: int = Field(description="Upah/penghasilan sebulan dalam rupiah")
    from_month: int = Field(1, description="Mulai bulan (1-12)")
    programs: list[str] = Field(default_factory=lambda: ["JKK", "JKM"])
    funding_source: str = Field("apbd", description="apbd, dana_desa, add, apbdes, ...")
    growth: list[StepIn] = Field(default_factory=list, description="Perubahan berikutnya: orang mulai bulan")


class ScenarioIn(Schema):
    region: str
    year: int
    name: str = ""
    programs: list[str] = Field(default_factory=lambda: ["JKK", "JKM"])
    jkk_class: int | None = 1
    shares: str = "employer"
    groups: list[str] | None = Field(None, description="Kelompok yang dihitung (bawaan: semua)")
    saved_filter: int | None = Field(
        None, description="Id filter tersimpan: orang dari filter itu (kriterianya disalin)"
    )
    village: str = Field(
        "",
        description="Kode desa (atau kecamatan): hanya orang yang unitnya di sana (bawaan: seluruh wilayah)",
    )
    wage_percent: Decimal | None = Field(None, description="Kenaikan upah dalam persen, mis. 5 atau -2.5")
    wage_from: int = Field(1, description="Bulan mulai kenaikan upah (1-12)")
    umk: int | None = Field(None, description="UMK baru dalam rupiah (upah PU di bawahnya dinaikkan)")
    umk_from: int = Field(1, description="Bulan mulai UMK baru (1-12)")
    growth: list[GrowthIn] = Field(
        default_factory=list, description="Pertumbuhan per kelompok: orang lebih (atau kurang) mulai bulan"
    )
    planned: list[PlannedIn] = Field(
        default_factory=list, description="Orang yang belum terdaftar (mis. guru kontrak), seperti di web"
    )


class AdoptIn(Schema):
    funding_source: str = "apbd"
    account_code: str
    account_name: str
    adopted_on: dt.date


class AmendIn(Schema):
    amount: int
    adopted_on: dt.date
    note: str = ""


class LineQuery(Schema):
    region: str = ""
    year: int | None = None


def _to_manage(user, found, pk: int):
    """The object ``pk`` of ``found`` (404 outside the user's scope) for a money manager (else 403)."""
    thing = scope.get_or_404(found, pk=pk)
    if not user.can_manage_money:
        raise PermissionDenied
    return thing


def _refused(error: pricing.PricingError) -> Status:
    text = error.text(translation.get_language() or "id")
    return Status(422, {"detail": text, "errors": {error.code: [text]}})


def _invalid(error: ValidationFailed) -> Status:
    text = " ".join(m for messages in error.errors.values() for m in messages)
    return Status(422, {"detail": text, "errors": error.errors})


def _scenario_out(scenario: Scenario, priced: pricing.Priced | None = None) -> dict[str, Any]:
    out = {
        "id": scenario.pk,
        "region": scenario.region_id,
        "year": scenario.year,
        "name": scenario.name,
        "jkk_class": scenario.jkk_class,
        "shares": scenario.shares,
        "wage_percent": None if scenario.wage_percent is None else str(scenario.wage_percent),
        "wage_from": scenario.wage_from,
        "umk": scenario.umk,
        "umk_from": scenario.umk_from,
        "based_on": scenario.based_on_id,
        "parts": [
            {"label": p.label, "group": p.group, "village": p.village_id or "", "criteria": p.criteria,
             "category": p.category, "programs": p.programs,
             "funding_source": p.funding_source, "planned_people": p.planned_people,
             "planned_wage": p.planned_wage, "growth": p.growth}
            for p in scenario.parts.all()
        ],
    }  # fmt: skip
    return out | ({"priced": priced.as_dict()} if priced is not None else {})


def _line_out(line: BudgetLine) -> dict[str, Any]:
    fields = ("id", "region_id", "year", "series", "version", "stage", "account_code", "account_name",
              "funding_source", "amount", "adopted_on", "scenario_id", "note")  # fmt: skip
    return {f.removesuffix("_id") if f != "id" else f: getattr(line, f) for f in fields} | {
        "agreements": [a.pk for a in line.agreements.all()]
    }


@router.get(
    "/budget/plan", response={200: dict[str, Any], **ERRORS}, summary="Harga setahun dari daftar sekarang"
)
def plan(request, query: Query[PlanQuery]):
    region = api_queries.tenant(request.auth, query.region)
    groups = [g.strip() for g in query.group.split(",") if g.strip()] or None
    try:
        priced = queries.plan(
            region.code,
            query.year,
            query.programs,
            jkk_class=query.jkk_class,
            groups=groups,
            shares=query.shares,
        )
    except pricing.PricingError as error:
        return _refused(error)
    return priced.as_dict()


@router.get("/budget/scenarios", response={200: list[dict[str, Any]], **ERRORS}, summary="Skenario anggaran")
def list_scenarios(request, query: Query[LineQuery]):
    found = queries.scenarios(request.auth).prefetch_related("parts")
    if query.region.strip():
        found = found.filter(region_id=query.region.strip())
    if query.year is not None:
        found = found.filter(year=query.year)
    return [_scenario_out(s) for s in found.order_by("-year", "-id")]


@router.post("/budget/scenarios", response={201: dict[str, Any], **ERRORS}, summary="Skenario dari daftar")
def create_scenario(request, payload: ScenarioIn):
    user = request.auth
    region = api_queries.tenant(user, payload.region)  # 404 before 403
    if not user.can_manage_money:
        raise PermissionDenied
    try:
        parts = saved.chosen(region, payload.year, tuple(payload.programs), payload.groups,
                             payload.village.strip(), payload.saved_filter)  # fmt: skip
        wanted: dict[str, tuple[pricing.Growth, ...]] = {}
        for step in payload.growth:
            wanted[step.group] = (*wanted.get(step.group, ()), pricing.Growth(step.month, step.people))
        planned = tuple(
            services.planned(p.label, p.category, p.people, p.wage, p.from_month, tuple(p.programs),
                             p.funding_source, tuple(pricing.Growth(g.month, g.people) for g in p.growth))
            for p in payload.planned
        )  # fmt: skip
        data = services.ScenarioData(
            payload.year, payload.name, payload.jkk_class, payload.shares, payload.wage_percent,
            payload.wage_from, payload.umk, payload.umk_from, parts=assumptions.grow(parts, wanted) + planned,
        )  # fmt: skip
        scenario = services.create(user, region, data, channel="api")
    except pricing.PricingError as error:
        return _refused(error)
    except ValidationFailed as error:
        return _invalid(error)
    return Status(201, _scenario_out(scenario, queries.price(scenario)))


@router.get(
    "/budget/scenarios/{scenario_id}",
    response={200: dict[str, Any], **ERRORS},
    summary="Satu skenario, dihitung",
)
def read_scenario(request, scenario_id: int):
    scenario = scope.get_or_404(queries.scenarios(request.auth).prefetch_related("parts"), pk=scenario_id)
    try:
        return _scenario_out(scenario, queries.price(scenario))
    except pricing.PricingError as error:
        return _refused(error)


@router.post(
    "/budget/scenarios/{scenario_id}/adopt",
    response={201: dict[str, Any], **ERRORS},
    summary="Tetapkan skenario sebagai pagu (versi 1)",
)
def adopt(request, scenario_id: int, payload: AdoptIn):
    user = request.auth
    scenario = _to_manage(user, queries.scenarios(user), scenario_id)
    try:
        line = budget_lines.adopt(user, scenario, payload.account_code, payload.account_name,
                              payload.funding_source, payload.adopted_on, channel="api")  # fmt: skip
    except ValidationFailed as error:
        return _invalid(error)
    return Status(201, _line_out(line))


@router.get("/budget/lines", response={200: list[dict[str, Any]], **ERRORS}, summary="Pagu (versi terbaru)")
def list_lines(request, query: Query[LineQuery]):
    found = queries.lines(request.auth).prefetch_related("agreements")
    if query.region.strip():
        found = found.filter(region_id=query.region.strip())
    if query.year is not None:
        found = found.filter(year=query.year)
    return [_line_out(line) for line in queries.latest(found)]


@router.get(
    "/budget/lines/{line_id}",
    response={200: dict[str, Any], **ERRORS},
    summary="Satu pagu: versinya dan realisasinya (ditagih, dibayar, perkiraan, bulan habis)",
)
def read_line(request, line_id: int):
    line = scope.get_or_404(queries.lines(request.auth), pk=line_id)
    versions = list(
        BudgetLine.objects.filter(series=line.series).order_by("-version").prefetch_related("agreements")
    )
    return {
        **_line_out(versions[0]),
        "versions": [_line_out(v) for v in versions],
        "realisation": realisation.of_line(versions[0]),
    }


@router.post(
    "/budget/lines/{line_id}/amend",
    response={201: dict[str, Any], **ERRORS},
    summary="Perubahan pagu (APBD-P): versi baru",
)
def amend(request, line_id: int, payload: AmendIn):
    user = request.auth
    line = _to_manage(user, queries.lines(user), line_id)
    newest = BudgetLine.objects.filter(series=line.series).order_by("-version").first()
    try:
        amended = budget_lines.amend(
            user, newest, payload.amount, payload.adopted_on, payload.note, channel="api"
        )
    except ValidationFailed as error:
        return _invalid(error)
    return Status(201, _line_out(amended))
