"""Reads of monitoring: a region's summary for a month (refreshed when its data changed), its breakdowns with
the priority groups first, the named list behind each number, the 12-month trend, and the province rollup.

Scoping (decision 0004): a kab/kota user reads its own region; a province monitor every kab/kota below its
province; a superuser all. The named list is people: it goes through accounts.scope.people, so a
unit-limited operator sees only their units' people (and no region-wide money).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from payung.accounts import scope
from payung.budget import queries as budget_queries
from payung.monitoring import compute, services
from payung.monitoring.models import Entry, Priority, Regulation, Source, Summary
from payung.regions.models import Region
from payung.registry.models import Group, Person

STATUSES = ("people", "covered", "paid", "unpaid", "uncovered")


def regions(user) -> QuerySet[Region]:
    """The kab/kota the user may monitor."""
    return scope.scoped(user, Region.objects.filter(level=Region.Level.REGENCY), "code")


def region_or_none(user, code: str) -> Region | None:
    return regions(user).filter(code=code).first()


def has_local_data(region_code: str) -> bool:
    return Person.objects.filter(region_id=region_code).exists()


def summary(
    region_code: str, period: dt.date, *, refresh: bool = True, light: bool = False
) -> Summary | None:
    """The month's summary: local data when this server holds the region's registry (recomputed when
    stale if ``refresh``, computed once when missing), else the latest imported file's, else None.
    ``light``: without the breakdown rows (the rollup and the trend read only the totals)."""
    first = compute.first_of(period)
    stored = Summary.objects.defer("rows") if light else Summary.objects.all()
    if has_local_data(region_code):
        if refresh:
            return services.refresh(region_code, first)
        found = stored.filter(region_id=region_code, period=first, source=Source.LOCAL).first()
        return found or services.refresh(region_code, first)
    return stored.filter(region_id=region_code, period=first, source=Source.FILE).first()


def trend(region_code: str, period: dt.date, months: int = 12) -> list[Summary]:
    """The summaries of the ``months`` months up to ``period``, oldest first. Past months are kept as
    computed (computed once when missing); ``period`` itself is refreshed when stale."""
    first = compute.first_of(period)
    found = []
    for back in range(months - 1, -1, -1):
        month = compute.add_months(first, -back)
        found.append(summary(region_code, month, refresh=back == 0, light=back > 0))
    return [s for s in found if s is not None]


# ------------------------------------------------------------------------------------------ breakdowns
def named_rows(summary_: Summary, by: str) -> list[dict]:
    """The breakdown rows ``by`` group / unit / kind / kecamatan / village, largest gap first, with names."""
    rows = [{**r, "q": f"{by}={r['key']}"} for r in summary_.rows if r["by"] == by]
    if by == "group":
        labels = dict(Group.choices)
        for r in rows:
            r["name"] = str(labels.get(r["key"], r["key"]))
    elif by in ("kecamatan", "village"):
        names = dict(Region.objects.filter(code__in=[r["key"] for r in rows]).values_list("code", "name"))
        for r in rows:
            r["name"] = names.get(r["key"], "") or "—"
    return rows


@dataclass
class PriorityRow:
    priority: Priority
    tally: dict


def priorities(summary_: Summary) -> list[PriorityRow]:
    """The region's priority groups with their coverage in the summary's month, counted from its list."""
    found = []
    for priority in Priority.objects.filter(region_id=summary_.region_id).select_related("unit"):
        entries = entries_of(
            summary_, unit=priority.unit_id, group=priority.group, position=priority.position
        )
        people = entries.values("person_id").distinct().count()
        covered = entries.filter(covered=True).values("person_id").distinct().count()
        paid = entries.filter(paid=True).values("person_id").distinct().count()
        found.append(
            PriorityRow(
                priority, {"people": people, "covered": covered, "uncovered": people - covered, "paid": paid}
            )
        )
    return found


def entries_of(
    summary_: Summary,
    *,
    unit: int | None = None,
    group: str = "",
    kind: str = "",
    village: str = "",
    kecamatan: str = "",
    status: str = "people",
    reason: str = "",
    position: str = "",
    program: str = "",
) -> QuerySet:
    """The named list behind one number of the summary."""
    rows = Entry.objects.filter(summary=summary_)
    if unit:
        rows = rows.filter(unit_id=unit)
    if group:
        rows = rows.filter(group=group)
    if kind:
        rows = rows.filter(unit__kind=kind)
    if village:
        rows = rows.filter(village=village)
    if kecamatan:
        rows = rows.filter(village__startswith=kecamatan)
    if position:
        rows = rows.filter(position=position)
    if program in compute.PROGRAMS:  # "JKK" among "JKK,JKM" (codes never contain one another)
        rows = rows.filter(programs__contains=program)
    elif program[:2] == "tk" and program[2:] in "1234" and program[2:]:
        rows = rows.filter(_tk_count(int(program[2:])))
    # "covered IN (...)" rather than "covered = False": Django writes the latter as NOT covered, which no
    # index serves; the former uses (summary, covered, name, id) for the filter and the order alike.
    rows = rows.filter(
        {
            "people": Q(),
            "covered": Q(covered__in=[True]),
            "paid": Q(covered__in=[True], paid=True),
            "unpaid": Q(covered__in=[True], paid=False),
            "uncovered": Q(covered__in=[False]),
        }.get(status, Q())
    )
    if reason:
        rows = rows.filter(reason=reason)
    return rows


def _tk_count(n: int) -> Q:
    """Entries with exactly ``n`` of the four BPJS TK programs (their ``programs`` lists them, sorted)."""
    combos = [c for c in _subsets(compute.TK_PROGRAMS) if len(c) == n]
    found = Q(pk__in=[])
    for combo in combos:
        has = Q()
        for p in compute.TK_PROGRAMS:
            has &= Q(programs__contains=p) if p in combo else ~Q(programs__contains=p)
        found |= has
    return found


def _subsets(items: tuple[str, ...]) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [()]
    for item in items:
        found += [(*s, item) for s in found]
    return found


def named_list(user, summary_: Summary, **filters) -> QuerySet:
    """The named list behind one number (``filters`` as entries_of) as the user may see it, in the list's
    order: a group's or a kind's list by unit (the contract teachers school by school), any other by name,
    the order its index serves. The web page, its XLSX, the API and the command read this one list."""
    rows = visible_entries(user, entries_of(summary_, **filters))
    by_unit = filters.get("group") or filters.get("kind")
    return rows.order_by(*(("unit__name", "name", "id") if by_unit else ("name", "id")))


def with_people(ids: list[int]) -> list[Entry]:
    """The entries ``ids`` in that order, with their person and unit. A page is read as ids from the index
    alone first, so a deep page does not join the people it skips."""
    found = {e.pk: e for e in Entry.objects.filter(pk__in=ids).select_related("person", "unit")}
    return [found[pk] for pk in ids]


def page_of(rows: QuerySet, number, size: int):
    """A page of ``rows`` (ordered) for the web page (Django's paginator)."""
    from django.core.paginator import Paginator

    page = Paginator(rows.values_list("id", flat=True), size).get_page(number)
    page.object_list = with_people(list(page.object_list))
    return page


def visible_entries(user, rows: QuerySet) -> QuerySet:
    """``rows`` cut to the people the user may see (a unit-limited operator: their units' people)."""
    if scope.restricted_unit_ids(user) is None:
        return rows
    return rows.filter(person__in=scope.people(user).values("pk"))


# ------------------------------------------------------------------------------------------ facts
def regulation(region_code: str) -> Regulation | None:
    return Regulation.objects.filter(region_id=region_code).order_by("-issued_on", "-id").first()


def budget_allocated(region_code: str, year: int, found: Summary | None) -> int | None:
    """The year's allocation: from an imported district summary, else the region's adopted budget lines
    (budget.queries.allocated); None when nobody recorded it."""
    if found is not None and found.source == Source.FILE:
        return found.figures.get("budget_allocated")
    return budget_queries.allocated(region_code, year)
