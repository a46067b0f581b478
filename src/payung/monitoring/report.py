"""Coverage as rows for the command and the API (issue 12, point 5): for a kab/kota one row per unit and
per group plus its total; for a province one row per kab/kota, those without data marked. Each row has
``region``, ``people``, ``covered``, ``uncovered`` and the money figures. Counts and money only.

And the named list behind a number, a page at a time (``count`` of the whole list, ``page``, ``page_size``,
``results``: the shape of every paged list of the API), one row per person x unit with the NIK masked."""

from __future__ import annotations

import datetime as dt

from payung.monitoring import queries, rollup
from payung.monitoring.models import Entry, Source, Summary
from payung.regions.models import Region
from payung.registry.nik import mask

MONEY = ("billed", "paid", "outstanding", "year_billed", "year_paid", "claims_paid_year")
COUNTS = ("people", "covered", "uncovered", "paid")


def may_see_province(prefix: str | None, code: str) -> bool:
    """A user's region prefix ('' everything, None nothing) against a province code."""
    return prefix is not None and (code.startswith(prefix) or prefix.startswith(code)) and len(prefix) <= 2


def district_rows(region: Region, period: dt.date) -> list[dict]:
    summary = queries.summary(region.code, period)
    if summary is None:
        return [{"region": region.code, "name": region.name, "no_data": True}]
    money = {k: summary.figures.get("money", {}).get(k, 0) for k in MONEY}
    rows = []
    for by in ("unit", "group"):
        for r in queries.named_rows(summary, by):
            rows.append({"region": region.code, by: r["name"] or r["key"], **{k: r[k] for k in COUNTS}})
    total = {k: summary.figures.get(k, 0) for k in COUNTS}
    rows.append({"region": region.code, "name": region.name, "total": True, **total, **money})
    return rows


def province_rows(province: Region, period: dt.date, prefix: str = "") -> list[dict]:
    rows = []
    for d in rollup.districts(province, period):
        if prefix and not d.region.code.startswith(prefix):
            continue
        if d.summary is None:
            rows.append({"region": d.region.code, "name": d.region.name, "no_data": True})
            continue
        rows.append(
            {
                "region": d.region.code,
                "name": d.region.name,
                "source": d.source,
                **{k: d.figures.get(k, 0) for k in COUNTS},
                **{k: d.money.get(k, 0) for k in MONEY},
                "score": d.score,
                "rank": d.rank,
            }
        )
    return rows


# ------------------------------------------------------------------------------------------ named list
def list_summary(region: Region, period: dt.date) -> Summary | None:
    """The month whose named list can be read: a local summary (a district reporting by signed file sends
    counts only, no names)."""
    found = queries.summary(region.code, period)
    return found if found is not None and found.source == Source.LOCAL else None


def entry_row(entry: Entry) -> dict:
    """One person x unit of the list: why not (a Reason code, '' when protected and paid) and programs."""
    return {
        "person_id": entry.person_id,
        "nik": mask(entry.person.nik),
        "name": entry.name,
        "unit_id": entry.unit_id,
        "unit": entry.unit.name if entry.unit else "",
        "group": entry.group,
        "position": entry.position,
        "village": entry.village,
        "covered": entry.covered,
        "paid": entry.paid,
        "reason": entry.reason,
        "programs": entry.programs.split(",") if entry.programs else [],
    }


def named_page(user, summary: Summary, filters: dict, *, page: int, page_size: int) -> dict:
    """Page ``page`` (from 1) of the named list (queries.named_list) in the API's page shape, with the month
    and the day it was counted to."""
    rows = queries.named_list(user, summary, **filters)
    start = (page - 1) * page_size
    ids = list(rows.values_list("id", flat=True)[start : start + page_size])
    return {
        "count": rows.count(),
        "page": page,
        "page_size": page_size,
        **month_of(summary),
        "results": [entry_row(e) for e in queries.with_people(ids)],
    }


def month_of(summary: Summary) -> dict:
    return {"period": f"{summary.period:%Y-%m}", "as_of": summary.as_of.isoformat()}
