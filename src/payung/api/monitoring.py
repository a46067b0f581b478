"""Coverage over the API (issue 12, point 5): a kab/kota's rows per unit and group, a province's rows per
kab/kota. Counts and money only; the same rows as `payung coverage report` (monitoring.report). And the
named list behind a number (who is not protected, and why), paged like every list of the API
(api.pagination), NIKs masked, each page read audited; the same rows as `payung coverage list`.

Scoping: a kab/kota the user monitors (own, a province monitor's, all for a superuser), else 404; an
operator limited to some units gets 404 (region-wide figures, as bills). A province: its monitor or a
superuser, else 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from payung.accounts import scope
from payung.api.pagination import PageQuery, page_of
from payung.api.schemas import Problem
from payung.audit.services import record
from payung.monitoring import compute, queries, report
from payung.monitoring.models import Reason
from payung.regions.models import Region
from payung.registry.models import Group, Unit

router = Router(tags=["monitoring"])
ERRORS = {401: Problem, 404: Problem, 422: Problem}


def _period(text: str) -> dt.date:
    try:
        return (
            compute.first_of(dt.datetime.strptime(text, "%Y-%m").date())
            if text
            else compute.first_of(timezone.localdate())
        )
    except ValueError:
        raise Http404 from None


@router.get("/monitoring/regions/{code}", response={200: list[dict], **ERRORS})
def region_rows(request, code: str, period: str = ""):
    """One row per unit and per group of a kab/kota, and its total (``total: true``) with the money."""
    region = queries.region_or_none(request.auth, code)
    if region is None or scope.restricted_unit_ids(request.auth) is not None:
        raise Http404
    return report.district_rows(region, _period(period))


class ListFilter(PageQuery):
    """Which number's list: the month, the status and any of the page's filters (monitoring.queries)."""

    period: str = Field("", description="Bulan YYYY-MM (bawaan: bulan ini)")
    status: Literal["people", "covered", "paid", "unpaid", "uncovered"] = "people"
    reason: Reason | None = None
    unit: int | None = Field(None, description="ID unit kerja")
    group: Group | None = None
    kind: Unit.Kind | None = None
    village: str = Field("", max_length=13, description="Kode desa/kelurahan")
    kecamatan: str = Field("", max_length=8, description="Kode kecamatan")
    position: str = Field("", max_length=120)
    program: str = Field("", max_length=4, description="JKK, JKM, JHT, JP, JKN, atau tk1..tk4")


class EntryOut(Schema):
    person_id: int
    nik: str = Field(description="Disamarkan")
    name: str
    unit_id: int | None
    unit: str
    group: str
    position: str
    village: str
    covered: bool
    paid: bool
    reason: str = Field(
        description="Mengapa belum: no_agreement, never, ended, lapsed, unpaid; '' bila beres"
    )
    programs: list[str]


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    period: str = Field(description="YYYY-MM")
    as_of: dt.date = Field(description="Iuran dan tunggakan dihitung sampai hari ini")
    results: list[EntryOut]


@router.get(
    "/monitoring/regions/{code}/people",
    response={200: EntryPage, **ERRORS},
    summary="Daftar nama di balik satu angka cakupan (NIK disamarkan)",
)
def named_list(request, code: str, query: Query[ListFilter]):
    """Only for a kab/kota whose registry is on this server (a district reporting by file sends no names)."""
    region = queries.region_or_none(request.auth, code)
    if region is None or scope.restricted_unit_ids(request.auth) is not None:
        raise Http404
    summary = report.list_summary(region, _period(query.period))
    if summary is None:
        raise Http404
    filters = query.model_dump(mode="json", exclude={"page", "page_size", "period"}, exclude_none=True)
    page = page_of(queries.named_list(request.auth, summary, **filters).values_list("id", flat=True), query)
    record(
        request.auth,
        "view",
        object_type="monitoring.list",
        object_id=code,
        region_code=code,
        after={
            "period": summary.period.isoformat(),
            "page": query.page,
            **{k: v for k, v in filters.items() if v},
        },
        channel="api",
    )
    rows = [report.entry_row(e) for e in queries.with_people(page["results"])]
    return page | report.month_of(summary) | {"results": rows}


@router.get("/monitoring/provinces/{code}", response={200: list[dict], **ERRORS})
def province_rows(request, code: str, period: str = ""):
    """One row per kab/kota of the province (those without data: ``no_data: true``), ranked."""
    prefix = scope.region_prefix(request.auth)
    province = Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
    if province is None or not report.may_see_province(prefix, code):
        raise Http404
    return report.province_rows(province, _period(period), prefix or "")
