"""Coverage as rows for the command and the API (issue 12, point 5): for a kab/kota one row per unit and
per group plus its total; for a province one row per kab/kota, those without data marked. Each row has
``region``, ``people``, ``covered``, ``uncovered`` and the money figures. Counts and money only."""

from __future__ import annotations

import datetime as dt

from payung.monitoring import queries, rollup
from payung.regions.models import Region

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
