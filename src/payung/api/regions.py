"""Kemendagri regions: public reference data (the codes are published), the same for every user."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router

from payung.api.schemas import Problem, RegionOut
from payung.regions.models import Region

router = Router(tags=["reference"])


@router.get(
    "/regions/{code}", response={200: RegionOut, 401: Problem, 404: Problem}, summary="Wilayah dan anaknya"
)
def read_region(request, code: str):
    region = get_object_or_404(Region, code=code.strip().replace(".", ""))
    children = region.children.order_by("code").values("code", "name", "level")
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent_id,
        "children": list(children),
    }
