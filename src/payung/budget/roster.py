"""The people a budget prices, read from the registry set-based: counted by group, unit and wage in one
GROUP BY (a million people are a few thousand rows), and turned into pricing parts.

The current roster is every active engagement of an active person (status, not contract end dates: a
decree is renewed every year, and a known departure is planned as negative growth). A person holds one
engagement per unit and group. Which category a group is priced in, where its money comes from and what
a BPU member declares follow the region's agreement (PKS) for the group when there is one; otherwise
pekerja rentan are BPU at the income where the JKK minimum binds, the other groups wage earners, and
village officials and RT/RW heads are paid from each village's Dana Desa, the rest from the APBD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import Count, Q

from payung.budget import pricing
from payung.coverage.models import Agreement, FundingSource
from payung.registry.models import Engagement, Group, Status, Unit
from payung.rules.book import RuleBook

BPU_GROUPS = (Group.RENTAN,)
VILLAGE_GROUPS = (Group.VILLAGE_OFFICIAL, Group.RT_RW)
VILLAGE_SOURCES = (FundingSource.DANA_DESA, FundingSource.ADD, FundingSource.APBDES)


@dataclass(frozen=True)
class Terms:
    """How one group of a region is priced by default."""

    category: str
    source: str
    income: int | None  # BPU: the declared income where the roster has none


def counted(
    region_code: str,
    groups: list[str] | None = None,
    unit_ids: list[int] | None = None,
    place: str = "",
    status: str = "",
) -> dict:
    """group -> its roster (pricing.ROSTER columns; basis None where the registry has no wage).

    ``place``: a desa or kecamatan code; only the engagements whose unit lies there. A person's village is
    where the unit is (as the per-village breakdown and the APBDes figures place them), not where the
    person lives: a village part then costs exactly its row of the region's scenario. ``status``: a saved
    filter's person status, on top of the active roster."""
    rows = Engagement.objects.filter(
        person__region_id=region_code, status=Status.ACTIVE, person__status=Status.ACTIVE
    )
    if groups:
        rows = rows.filter(group__in=groups)
    if unit_ids:
        rows = rows.filter(unit_id__in=unit_ids)
    if place:
        rows = rows.filter(Q(unit__village_id=place) | Q(unit__village__parent_id=place))
    if status:  # a saved filter's person status (the people list's): only ``active`` leaves anyone
        rows = rows.filter(person__status=status)
    # One narrow GROUP BY (engagement x person only); the few units' names are read afterwards.
    counts = list(
        rows.values_list("group", "unit_id", "monthly_wage").annotate(people=Count("id")).order_by()
    )
    names = {
        pk: (name, village or name)
        for pk, name, village in Unit.objects.filter(pk__in={c[1] for c in counts}).values_list(
            "pk", "name", "village__name"
        )
    }
    found: dict[str, dict[str, list]] = {}
    for group, unit_id, wage, people in counts:
        columns = found.setdefault(group, {c: [] for c in pricing.ROSTER})
        name, village = names[unit_id]
        columns["unit_id"].append(unit_id)
        columns["unit"].append(name)
        columns["village"].append(village)
        columns["basis"].append(wage)
        columns["people"].append(people)
    return {group: pl.DataFrame(columns, schema=pricing.ROSTER) for group, columns in found.items()}


def terms(region_code: str, group: str, year: int, book: RuleBook) -> Terms:
    """The group's category, funding source and BPU income: its latest agreement's, else the defaults."""
    agreements = Agreement.objects.filter(region_id=region_code).order_by("-valid_from", "-pk")
    found = [a for a in agreements if group in (a.groups or [])]  # a region has a handful
    if found:
        pks = found[0]
        income = pks.declared_income if pks.category == "bpu" else None
        return Terms(pks.category, pks.funding_source, income or lowest_income(book, year, region_code))
    category = "bpu" if group in BPU_GROUPS else "pu"
    source = FundingSource.DANA_DESA if group in VILLAGE_GROUPS else FundingSource.APBD
    return Terms(category, str(source), lowest_income(book, year, region_code) if category == "bpu" else None)


def lowest_income(book: RuleBook, year: int, region_code: str) -> int:
    """The declared income at which BPU JKK's minimum binds (minimum / rate): what a package is priced on."""
    on = dt.date(year, 1, 1)
    minimum = book.optional("bpu.jkk.minimum", on, region_code)
    rate = book.optional("bpu.jkk.rate", on, region_code)
    if minimum is None or rate is None or not rate.value:
        return 1
    return int(minimum.value * 100 / rate.value)


def part(
    name: str,
    roster: pl.DataFrame,
    group_terms: Terms,
    programs: tuple[str, ...],
    *,
    source: str | None = None,
    growth: tuple[pricing.Growth, ...] = (),
    growth_basis: int | None = None,
) -> pricing.Part:
    """A pricing part of a group's roster: BPU members without an income declare the default one."""
    source = source or group_terms.source
    if group_terms.category == "bpu" and group_terms.income:
        roster = roster.with_columns(pl.col("basis").fill_null(group_terms.income))
    return pricing.Part(
        name=name,
        category=group_terms.category,
        programs=programs,
        source=source,
        roster=roster,
        growth=growth,
        growth_basis=growth_basis or (group_terms.income if group_terms.category == "bpu" else None),
        village_paid=source in VILLAGE_SOURCES,
    )
