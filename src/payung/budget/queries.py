"""Reads of budgets: pricing the current registry for a year (no scenario stored), and the allocations
other packages (monitoring) read."""

from __future__ import annotations

import polars as pl

from payung.accounts import scope
from payung.budget import pricing, roster
from payung.registry.models import Group
from payung.rules import queries as rule_queries


def plan(
    region_code: str,
    year: int,
    programs: str | tuple[str, ...],
    *,
    jkk_class: int | None = None,
    groups: list[str] | None = None,
    shares: str = "employer",
) -> pricing.Priced:
    """The region's current registry (or ``groups`` of it) priced for ``year`` with ``programs``."""
    wanted = pricing.programs_of(programs)
    known = set(Group.values)
    for group in groups or []:
        if group not in known:
            raise pricing.PricingError("group", group=group, known=", ".join(Group.values))
    book = rule_queries.book()
    rosters = roster.counted(region_code, groups)
    parts = [
        roster.part(group, frame, roster.terms(region_code, group, year, book), wanted)
        for group, frame in sorted(rosters.items())
    ]
    assumptions = pricing.Assumptions(year=year, region=region_code, jkk_class=jkk_class, shares=shares)
    return pricing.price(book, parts, assumptions)


# ------------------------------------------------------------------------------------------ scenarios
def scenarios(user, queryset=None):
    """Scenarios of the user's regions (region-wide: a unit-limited operator sees none)."""
    from payung.budget.models import Scenario

    return scope.region_wide(
        user, queryset if queryset is not None else Scenario.objects.select_related("region")
    )


def parts_of(scenario) -> list[pricing.Part]:
    """A stored scenario's parts as pricing parts: the people counted when it was made, and planned ones."""
    book = rule_queries.book()
    parts = []
    for stored in scenario.parts.prefetch_related("rows"):
        frame = stored_rows(stored)
        if stored.planned_people:
            planned = {"unit_id": [None], "unit": [None], "village": [None], "basis": [stored.planned_wage],
                       "people": [stored.planned_people]}  # fmt: skip
            frame = pl.concat([frame, pl.DataFrame(planned, schema=pricing.ROSTER)])
        income = None
        if stored.category == "bpu":
            terms = (
                roster.terms(scenario.region_id, stored.group, scenario.year, book) if stored.group else None
            )
            income = (terms.income if terms else None) or roster.lowest_income(
                book, scenario.year, scenario.region_id
            )
        group_terms = roster.Terms(stored.category, stored.funding_source, income)
        growth = tuple(pricing.Growth(int(g["month"]), int(g["people"])) for g in stored.growth)
        parts.append(
            roster.part(
                stored.label,
                frame,
                group_terms,
                tuple(stored.programs),
                growth=growth,
                growth_basis=stored.planned_wage,
            )  # fmt: skip
        )
    return parts


def stored_rows(part) -> pl.DataFrame:
    """A stored part's people as counted when its scenario was made (pricing.ROSTER columns)."""
    rows = [(r.unit_id, r.unit_name or None, r.village or None, r.basis, r.people) for r in part.rows.all()]
    return pl.DataFrame(rows, schema=pricing.ROSTER, orient="row")


def price(scenario) -> pricing.Priced:
    assumptions = pricing.Assumptions(
        year=scenario.year,
        region=scenario.region_id,
        jkk_class=scenario.jkk_class,
        shares=scenario.shares,
        wage_percent=scenario.wage_percent,
        wage_from=scenario.wage_from,
        umk=scenario.umk,
        umk_from=scenario.umk_from,
    )
    return pricing.price(rule_queries.book(), parts_of(scenario), assumptions)


def compare(priced: list[pricing.Priced], key: str, drop_null: bool = False) -> list[dict]:
    """Rows of ``key`` (program, source, unit, village, part, month) with each scenario's amount."""
    tables = [p.by(key, drop_null=drop_null) for p in priced]
    keys = list(dict.fromkeys(k for table in tables for k in table))
    return [{"key": k, "amounts": [t.get(k, 0) for t in tables]} for k in keys]


# ------------------------------------------------------------------------------------------ budget lines
def lines(user, queryset=None):
    """Budget lines of the user's regions, every version (region-wide)."""
    from payung.budget.models import BudgetLine

    return scope.region_wide(
        user, queryset if queryset is not None else BudgetLine.objects.select_related("region")
    )


def latest(queryset):
    """Only the latest version of each line (series)."""
    from django.db.models import Max

    newest = queryset.order_by().values("series").annotate(top=Max("version")).values_list("series", "top")
    wanted = {series: top for series, top in newest}
    return [line for line in queryset if wanted.get(line.series) == line.version]


def allocated(region, year: int) -> int | None:
    """The region's allocation for ``year``: the sum of the latest versions of its adopted budget lines, or
    None when it has none (monitoring reads this). ``region`` is a Region or its code."""
    from django.db.models import Max, OuterRef, Subquery, Sum

    from payung.budget.models import BudgetLine

    code = getattr(region, "code", region)
    rows = BudgetLine.objects.filter(region_id=code, year=year)
    newest = (
        BudgetLine.objects.filter(series=OuterRef("series")).values("series").annotate(top=Max("version"))
    )
    total = rows.filter(version=Subquery(newest.values("top"))).aggregate(total=Sum("amount"))["total"]
    return None if total is None else int(total)
