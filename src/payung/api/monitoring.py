"""Coverage over the API (issue 12, point 5): a kab/kota's rows per unit and group, a province's rows per
kab/kota. Counts and money only; the same rows as `payung coverage report` (monitoring.report).

Scoping: a kab/kota the user monitors (own, a province monitor's, all for a superuser), else 404; an
operator limited to some units gets 404 (region-wide figures, as bills). A province: its monitor or a
superuser, else 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Router

from payung.accounts import scope
from payung.api.schemas import Problem
from payung.monitoring import compute, queries, report
from payung.regions.models import Region

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


@router.get("/monitoring/provinces/{code}", response={200: list[dict], **ERRORS})
def province_rows(request, code: str, period: str = ""):
    """One row per kab/kota of the province (those without data: ``no_data: true``), ranked."""
    prefix = scope.region_prefix(request.auth)
    province = Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
    if province is None or not report.may_see_province(prefix, code):
        raise Http404
    return report.province_rows(province, _period(period), prefix or "")
