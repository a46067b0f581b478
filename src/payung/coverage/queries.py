"""Reads of agreements: which are valid in a month, which are about to expire, what they cover."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Count, Q, QuerySet

from payung.coverage.models import Agreement, Membership

WARN_DAYS = (90, 30)  # decision 0010: warnings 90 and 30 days before an agreement ends


def month_end(first_day: dt.date) -> dt.date:
    return first_day.replace(day=calendar.monthrange(first_day.year, first_day.month)[1])


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


def warning_level(days_left: int | None) -> int | None:
    """90 or 30 (the warning due), or None."""
    if days_left is None or days_left < 0:
        return None
    return min((d for d in WARN_DAYS if days_left <= d), default=None)


def counts_by_unit_and_program(agreement: Agreement, on: dt.date) -> list[dict]:
    """Per unit: people with any period under the agreement, and those covered on ``on`` for each of its
    programs (an agreement's programs cover the same people, so the counts per program are equal)."""
    covered_on = Q(start__lte=on) & (Q(end__gte=on) | Q(end__isnull=True))
    rows = (
        Membership.objects.filter(agreement=agreement)
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
