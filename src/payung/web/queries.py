"""Reads behind the web pages. Every one starts from a scoped queryset (accounts.scope)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from payung.accounts import scope
from payung.audit.models import AuditEvent
from payung.registry.models import DuplicateCandidate, Engagement, Group, Person, Status


def _labelled(rows: dict[str, int], choices) -> list[tuple[str, str, int]]:
    return [(value, label, rows.get(value, 0)) for value, label in choices]


def dashboard(user) -> dict:
    """Counts for the home page: people by group and by status, open duplicates, recent imports."""
    people = scope.people(user)
    by_status = dict(people.order_by().values_list("status").annotate(n=Count("id")))
    by_group = dict(
        Engagement.objects.filter(person__in=people.values("id"))
        .order_by()
        .values_list("group")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {
        "total": sum(by_status.values()),
        "by_status": _labelled(by_status, Status.choices),
        "by_group": _labelled(by_group, Group.choices),
        "open_duplicates": open_duplicates(user).count(),
        "recent_imports": imports(user)[:5],
    }


def imports(user) -> QuerySet:
    return scope.imports(user).select_related("uploaded_by", "unit")


def open_duplicates(user) -> QuerySet:
    """Open candidates whose two records the user may both see."""
    open_pairs = DuplicateCandidate.objects.filter(state=DuplicateCandidate.State.OPEN)
    return scope.duplicate_candidates(user, open_pairs).select_related("left", "right")


def filter_people(user, *, unit=None, group: str = "", status: str = "") -> QuerySet:
    qs = scope.people(user)
    engaged = Q()
    if unit is not None:
        engaged &= Q(unit=unit)
    if group:
        engaged &= Q(group=group)
    if engaged:
        qs = qs.filter(id__in=Engagement.objects.filter(engaged).values("person_id"))
    if status:
        qs = qs.filter(status=status)
    return qs


VIEW = "person.view"


def person_trail(person: Person, limit: int = 50) -> dict:
    """The person's audit trail, newest first: changes (to the person and their engagements) and, apart,
    the views of the full record, which would otherwise bury the changes."""
    engagement_ids = [str(pk) for pk in person.engagements.values_list("id", flat=True)]
    events = AuditEvent.objects.filter(
        Q(object_type="registry.person", object_id=str(person.pk))
        | Q(object_type="registry.engagement", object_id__in=engagement_ids)
    ).select_related("actor")
    views = events.filter(action=VIEW)
    return {
        "changes": events.exclude(action=VIEW)[:limit],
        "views": views[:20],
        "view_count": views.count(),
    }


def changeable_engagements(user) -> QuerySet:
    """Engagements whose wage or unit this user may change from a date: of people they see, in units they
    may manage, still active (a unit-limited operator changes only its own units' engagements)."""
    people, units = scope.people(user).values("id"), scope.units(user).values("id")
    engagements = Engagement.objects.filter(person__in=people, unit__in=units, status=Status.ACTIVE)
    return engagements.select_related("person__region", "unit")
