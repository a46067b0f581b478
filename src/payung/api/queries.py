"""Scoped reads the API needs beyond accounts.scope's people/units (candidates for moving into scope.py).

An operator restricted to some units sees only imports of those units (or its own uploads), and a duplicate
pair only when it may see both people: a pair across regions would otherwise show a record of another tenant.
After a merge the removed side is NULL: the decision stays visible with the side that remains.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from payung.accounts import scope
from payung.regions.models import Region
from payung.registry.models import DuplicateCandidate, ImportBatch, Unit


def import_batches(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = scope.scoped(user, queryset if queryset is not None else ImportBatch.objects.all())
    unit_ids = scope.restricted_unit_ids(user)
    return qs if unit_ids is None else qs.filter(Q(unit_id__in=unit_ids) | Q(uploaded_by=user))


def duplicate_candidates(user, queryset: QuerySet | None = None) -> QuerySet:
    visible = scope.people(user).values("pk")
    qs = scope.scoped(user, queryset if queryset is not None else DuplicateCandidate.objects.all())
    return qs.filter(Q(left__in=visible) | Q(left__isnull=True), Q(right__in=visible) | Q(right__isnull=True))


def tenant(user, code: str) -> Region:
    """A kab/kota the user may see, or 404 exactly as for a code that does not exist."""
    regions = Region.objects.filter(level=Region.Level.REGENCY, **scope.regions_filter(user, "code"))
    return scope.get_or_404(regions, code=code.strip())


def unit_by_code(user, region: Region, code: str) -> Unit:
    return scope.get_or_404(scope.units(user).filter(region=region), code=code.strip())
