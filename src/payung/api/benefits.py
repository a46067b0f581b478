"""The benefit quote over the API: national reference data (the rules alone, no registry data), like the
contribution quote. Integer rupiah; ``total`` is cash, scholarships counted apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation
from ninja import Query, Router, Schema
from pydantic import Field

from payung.api.schemas import Problem
from payung.claims import benefits
from payung.registry.services import ValidationFailed
from payung.rules.queries import book

router = Router(tags=["claims"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class QuoteQuery(Schema):
    program: str = Field(description="jkm | jkk")
    event: str = Field(description="death | disability | accident")
    on: dt.date = Field(description="Tanggal peristiwa")
    member_since: dt.date = Field(description="Mulai menjadi peserta BPJS")
    wage: int | None = Field(None, description="Upah sebulan (PU)")
    income: int | None = Field(None, description="Penghasilan dilaporkan (BPU)")
    category: str | None = Field(None, description="pu | bpu (bawaan: bpu bila income)")
    work_related: bool = False
    children: int = 0
    disability: str = Field("", description="'' | partial | total")
    disability_percent: Decimal | None = None
    function_loss: Decimal | None = None
    stmb_months: int = 0
    transport: str = Field("", description="'' | land | sea | air")
    transport_cost: int = 0
    home_care_cost: int = 0


@router.get(
    "/benefits/quote",
    response={200: dict, **ERRORS},
    summary="Manfaat JKM/JKK per bagian (bilangan bulat rupiah)",
)
def quote(request, query: Query[QuoteQuery]):
    disability = None
    if query.disability == "total":
        disability = benefits.Disability(total=True)
    elif query.disability == "partial" or query.disability_percent is not None:
        disability = benefits.Disability(
            percent=query.disability_percent or Decimal(0), function=query.function_loss
        )
    case = benefits.Case(
        program=query.program.upper(),
        event=query.event,
        on=query.on,
        member_since=query.member_since,
        basis=query.wage if query.wage is not None else query.income,
        category=query.category or ("bpu" if query.income is not None and query.wage is None else "pu"),
        work_related=query.work_related,
        children=query.children,
        disability=disability,
        stmb_months=query.stmb_months,
        transport=query.transport,
        transport_cost=query.transport_cost,
        home_care_cost=query.home_care_cost,
    )
    lang = translation.get_language() or "id"
    try:
        return benefits.quote(book(), case).as_dict(lang)
    except benefits.BenefitError as refused:
        raise ValidationFailed({refused.code: [refused.text(lang)]}) from None
