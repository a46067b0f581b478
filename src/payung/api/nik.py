"""NIK check: pure reference logic, no registry data, so no scope is involved."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from ninja import Query, Router, Schema

from payung.api.schemas import NikCheckOut, Problem
from payung.registry import nik as nik_rules

router = Router(tags=["reference"])


class NikQuery(Schema):
    birth_date: dt.date | None = None
    sex: str | None = None


@router.get(
    "/nik/{nik}",
    response={200: NikCheckOut, 401: Problem, 422: Problem},
    summary="Periksa NIK: sah atau tidak, alasannya, wilayah, tanggal lahir dan jenis kelamin",
)
def check_nik(request, nik: str, query: Query[NikQuery]):
    info = nik_rules.parse(nik, birth_date=query.birth_date, sex=query.sex)
    return info.as_dict(translation.get_language() or "id")
