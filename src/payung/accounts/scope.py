"""Tenancy: what a user may see. Every list, read, change and export goes through these functions.

A kab/kota user sees its own region; a province monitor sees every kab/kota whose code starts with its
province's; a superuser with no region sees all. An operator restricted to some units sees only the people
engaged in those units. Out-of-scope records are answered with 404 (never 403: that would confirm they exist).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from payung.accounts.models import Role


def region_prefix(user) -> str | None:
    """Region code prefix the user may see; '' means everything; None means nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.region_id:
        return user.region_id
    return "" if user.is_superuser else None


def regions_filter(user, field: str = "region_id") -> dict[str, object]:
    """Lookup kwargs for ``field`` (a Region foreign key ``*_id`` or a plain code column)."""
    prefix = region_prefix(user)
    if prefix is None:
        return {f"{field}__in": []}
    if not prefix:
        return {}
    if len(prefix) == 4:  # a kab/kota: its own rows, an exact (indexed) match
        return {field: prefix}
    # A province: every kab/kota below it. Django refuses __startswith on a foreign key's attname,
    # but region__code__startswith compiles to the same column (no join).
    lookup = field.removesuffix("_id") + "__code" if field.endswith("_id") else field
    return {f"{lookup}__startswith": prefix}


def people(user, queryset: QuerySet | None = None) -> QuerySet:
    from payung.registry.models import Person

    qs = (queryset if queryset is not None else Person.objects.all()).filter(**regions_filter(user))
    unit_ids = restricted_unit_ids(user)
    if unit_ids is not None:
        qs = qs.filter(engagements__unit_id__in=unit_ids).distinct()
    return qs


def units(user, queryset: QuerySet | None = None) -> QuerySet:
    from payung.registry.models import Unit

    qs = (queryset if queryset is not None else Unit.objects.all()).filter(**regions_filter(user))
    unit_ids = restricted_unit_ids(user)
    return qs if unit_ids is None else qs.filter(id__in=unit_ids)


def scoped(user, queryset: QuerySet, field: str = "region_id") -> QuerySet:
    """Any region-carrying queryset (imports, duplicate candidates, audit) cut to the user's regions."""
    return queryset.filter(**regions_filter(user, field))


def region_wide(user, queryset: QuerySet, field: str = "region_id") -> QuerySet:
    """Records about a whole region (bills, reconciliations, their findings): the user's regions. An
    operator limited to some units sees none: such a record cut to its units would read as a different,
    wrong one."""
    qs = scoped(user, queryset, field)
    return qs.none() if restricted_unit_ids(user) is not None else qs


def imports(user, queryset: QuerySet | None = None) -> QuerySet:
    """Import batches of the user's regions; a unit-limited operator sees its units' and its own uploads."""
    from payung.registry.models import ImportBatch

    qs = scoped(user, queryset if queryset is not None else ImportBatch.objects.all())
    unit_ids = restricted_unit_ids(user)
    return qs if unit_ids is None else qs.filter(Q(unit_id__in=unit_ids) | Q(uploaded_by=user))


def duplicate_candidates(user, queryset: QuerySet | None = None) -> QuerySet:
    """Pairs whose remaining people the user may all see: a pair across regions would otherwise show a
    record of another tenant. After a merge the removed side is NULL and the decision stays visible."""
    from payung.registry.models import DuplicateCandidate

    visible = people(user).values("pk")
    qs = scoped(user, queryset if queryset is not None else DuplicateCandidate.objects.all())
    return qs.filter(Q(left__in=visible) | Q(left__isnull=True), Q(right__in=visible) | Q(right__isnull=True))


def restricted_unit_ids(user) -> list[int] | None:
    if getattr(user, "role", None) != Role.OPERATOR:
        return None
    ids = list(user.units.values_list("id", flat=True))
    return ids or None


def get_or_404(queryset: QuerySet, **lookup):
    """Like get_object_or_404 on an already scoped queryset."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def tenant_of(user):
    """The kab/kota a user writes into: their own; for a national admin (no region) the one they chose to
    work in on the web (``acting_region``, payung.web.acting), else None; None for province monitors."""
    region = user.region if user.region_id else getattr(user, "acting_region", None)
    return region if region is not None and region.is_tenant else None
