"""Saved filters of the people list: a name and the list's own criteria (unit, group, status), kept per
region. Saving and deleting are audited; reading goes through accounts.scope like every record.

The criteria are checked here once (the web's list and a budget scenario read them back): a unit of the
region, a known group and status, at least one of them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.accounts.models import Role
from payung.audit.services import record, snapshot
from payung.registry.models import Group, SavedFilter, Status, Unit
from payung.registry.services import ValidationFailed

CRITERIA = ("unit", "group", "status")


def visible(user) -> QuerySet:
    """The saved filters of the user's regions."""
    return scope.scoped(user, SavedFilter.objects.all())


def clean(region, criteria: dict) -> dict:
    """The list's criteria, checked: only unit, group and status, each a value the list offers."""
    found = {key: criteria[key] for key in CRITERIA if criteria.get(key) not in (None, "")}
    unit = found.get("unit")
    if unit is not None and not (
        str(unit).isdigit() and Unit.objects.filter(pk=int(unit), region=region).exists()
    ):
        raise ValidationFailed({"unit": [_("Unit itu bukan milik wilayah ini.")]})
    if unit is not None:
        found["unit"] = int(unit)
    if found.get("group", Group.values[0]) not in Group.values:
        raise ValidationFailed({"group": [_("Kelompok tidak dikenal.")]})
    if found.get("status", Status.values[0]) not in Status.values:
        raise ValidationFailed({"status": [_("Status tidak dikenal.")]})
    if not found:
        raise ValidationFailed({"name": [_("Pilih dulu unit, kelompok atau status untuk disimpan.")]})
    return found


def save(user, region, name: str, criteria: dict) -> SavedFilter:
    name = name.strip()[:80]
    if not name:
        raise ValidationFailed({"name": [_("Nama filter wajib diisi.")]})
    kept = clean(region, criteria)
    with transaction.atomic():
        saved = SavedFilter.objects.create(region=region, name=name, criteria=kept, created_by=user)
        record(user, "registry.filter.save", saved, after=snapshot(saved))
    return saved


def may_delete(user, saved: SavedFilter) -> bool:
    """Its author, or an admin of the region."""
    return saved.created_by_id == user.pk or user.role == Role.ADMIN


def delete(user, saved: SavedFilter) -> None:
    with transaction.atomic():
        record(user, "registry.filter.delete", saved, before=snapshot(saved))
        saved.delete()
