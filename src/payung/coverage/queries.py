"""Reads of agreements: which a user may see, which are valid in a month, which are about to expire, what
they cover.

Scoping (decision 0004): an agreement's terms concern every unit of its region, so every user of the region
reads them, an operator limited to some units too; what an agreement says about people (memberships, counts
of people) is cut to the people the user may see. A registration batch is the region's submission to BPJS
(every unit's people with full NIKs, answered by one reply): region-wide, a unit-limited operator sees none.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from payung.accounts import scope
from payung.coverage.models import Agreement, Membership, RegistrationBatch

WARN_DAYS = (90, 30)  # decision 0010: warnings 90 and 30 days before an agreement ends


def month_end(first_day: dt.date) -> dt.date:
    return first_day.replace(day=calendar.monthrange(first_day.year, first_day.month)[1])


def agreements(user, queryset: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    """Agreements of the user's regions."""
    return scope.scoped(user, Agreement.objects.select_related("region") if queryset is None else queryset)


def registration_batches(user, queryset: QuerySet | None = None) -> QuerySet[RegistrationBatch]:
    """Registration batches of the user's regions; none for a unit-limited operator (region-wide)."""
    batches = queryset if queryset is not None else RegistrationBatch.objects.select_related("agreement")
    return scope.region_wide(user, batches, "agreement__region_id")


def _seen_people(user, field: str) -> Q | None:
    """A filter to the people a unit-limited operator sees; None for a user who sees the whole region."""
    if scope.restricted_unit_ids(user) is None:
        return None
    return Q(**{f"{field}__in": scope.people(user).values("pk")})


def memberships(user, agreement: Agreement) -> QuerySet[Membership]:
    """The agreement's periods of the people the user may see."""
    rows = Membership.objects.filter(agreement=agreement)
    seen = _seen_people(user, "person")
    return rows if seen is None else rows.filter(seen)


def with_people(user, queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Each agreement annotated with ``people``: those the user may see with a period under it."""
    seen = _seen_people(user, "memberships__person")
    return queryset.annotate(people=Count("memberships__person", distinct=True, filter=seen))


def valid_in(region_code: str, period_first_day: dt.date) -> QuerySet[Agreement]:
    """The region's agreements valid on any day of the month that starts on ``period_first_day``."""
    first = period_first_day.replace(day=1)
    return Agreement.objects.filter(
        region_id=region_code, valid_from__lte=month_end(first), valid_to__gte=first
    )


def expiring(queryset: QuerySet[Agreement], today: dt.date) -> list[tuple[Agreement, int]]:
    """Agreements still valid today that end within 90 days, with the days left (0: ends today),
    soonest first. Under 30 days left is the second, sharper warning."""
    soon = queryset.filter(
        valid_from__lte=today, valid_to__gte=today, valid_to__lte=today + dt.timedelta(WARN_DAYS[0])
    )
    return [(a, (a.valid_to - today).days) for a in soon.order_by("valid_to", "number")]


@dataclass(frozen=True)
class CoverEnd:
    """The day the last person covered under an agreement loses cover: the agreement's end, or earlier
    when every membership ends before it (contracts ending, deaths, people leaving)."""

    agreement: Agreement
    last_day: dt.date  # the last day anyone is covered (inclusive)
    days_left: int  # from today; below 0: nobody has been covered since the day after last_day
    by_agreement: bool  # the agreement itself ends then (else its people's periods do)

    @property
    def level(self) -> int:
        """90 or 30 (the warning due), 0 when nobody is covered any more."""
        return 0 if self.days_left < 0 else min(d for d in WARN_DAYS if self.days_left <= d)


def cover_ends(user, queryset: QuerySet[Agreement], today: dt.date) -> dict[int, CoverEnd]:
    """Agreement id -> CoverEnd, for the agreements valid today whose last covered person loses cover
    within 90 days, or already has (decision 0020, bills without cover). Without memberships the
    agreement's end counts; memberships are those of the people the user may see. One query."""
    seen = _seen_people(user, "memberships__person")
    last_end = Coalesce("memberships__end", F("valid_to"))
    rows = (
        queryset.filter(valid_from__lte=today, valid_to__gte=today)
        .order_by()
        .annotate(last_end=Max(last_end, filter=seen))
    )
    found = {}
    for agreement in rows:
        last = min(agreement.valid_to, agreement.last_end or agreement.valid_to)
        days = (last - today).days
        if days <= WARN_DAYS[0]:
            found[agreement.pk] = CoverEnd(agreement, last, days, last == agreement.valid_to)
    return found


def warning_level(days_left: int | None) -> int | None:
    """90 or 30 (the warning due), or None."""
    if days_left is None or days_left < 0:
        return None
    return min((d for d in WARN_DAYS if days_left <= d), default=None)


def counts_by_unit_and_program(user, agreement: Agreement, on: dt.date) -> list[dict]:
    """Per unit: people the user may see with any period under the agreement, and those covered on ``on``
    for each of its programs (an agreement's programs cover the same people, so the counts are equal)."""
    covered_on = Q(start__lte=on) & (Q(end__gte=on) | Q(end__isnull=True))
    rows = (
        memberships(user, agreement)
        .values("unit_id", "unit__name")
        .annotate(
            people=Count("person_id", distinct=True),
            on_day=Count("person_id", distinct=True, filter=covered_on),
        )
        .order_by("unit__name")
    )
    return [
        {
            "unit": r["unit__name"],
            "people": r["people"],
            "programs": {p: r["on_day"] for p in agreement.programs},
        }
        for r in rows
    ]


def person_coverage(person) -> list[dict]:
    """A person's coverage periods per program, newest first: agreement, from, to, basis."""
    periods = Membership.objects.filter(person=person).select_related("agreement", "unit").order_by("-start")
    return [
        {"program": program, "membership": m, "agreement": m.agreement}
        for m in periods
        for program in m.agreement.programs
    ]
